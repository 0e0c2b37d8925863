//! The `guanxi` command: parses arguments and calls the library.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{bail, Context};
use clap::{Args, Parser, Subcommand, ValueEnum};
use guanxi::export::project::{Filter, View};
use guanxi::export::{self, Format as ExportFormatLib};
use guanxi::graph::query::{self, Format};
use guanxi::graph::store::GraphStore;
use guanxi::text::read::check_date;
use guanxi::text::MetaOverrides;

/// guanxi (关系): Chinese local newspaper editions into a knowledge graph.
#[derive(Parser)]
#[command(version, about, long_about = None)]
struct Cli {
    /// The on-disk store (created on first use).
    #[arg(long, global = true, env = "GUANXI_STORE", default_value = "output/guanxi.db", value_hint = clap::ValueHint::DirPath)]
    store: PathBuf,
    /// A folder whose gazetteer files replace the built-in ones of the same name.
    #[arg(long, global = true, env = "GUANXI_GAZETTEERS", value_hint = clap::ValueHint::DirPath)]
    gazetteers: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Read editions (files, or folders of *.txt) into the store, one named graph each.
    Ingest(IngestArgs),
    /// Run a SPARQL query over all editions (the union of all graphs is the default graph).
    Query(QueryArgs),
    /// Count editions, articles, triples and entities by class.
    Stats,
    /// Score the graph of each edition against its gold file (as shared/tools/score.py does).
    Eval(EvalArgs),
    /// Serve the store as a SPARQL endpoint (read-only unless --allow-ingest), with a query page at /.
    Serve(ServeArgs),
    /// Write the network for Gephi, Cytoscape, yEd, Graphviz, Neo4j, a browser; or dump the store.
    Export(ExportArgs),
    /// Degree, PageRank, betweenness, components and communities: the top nodes.
    Analyze(AnalyzeArgs),
    /// The shortest chain of people, events and posts between two people, with evidence.
    Path(PathArgs),
}

#[derive(Args)]
struct ExportArgs {
    #[arg(long, value_enum)]
    format: ExportFormat,
    /// Output file (a folder for csv and neo4j); default under output/.
    #[arg(short, long, value_hint = clap::ValueHint::AnyPath)]
    output: Option<PathBuf>,
    #[command(flatten)]
    network: NetworkArgs,
    /// Skip the measures (degree, PageRank, …): for very large graphs.
    #[arg(long)]
    no_analytics: bool,
}

#[derive(Args)]
struct AnalyzeArgs {
    /// How many nodes to list, by PageRank.
    #[arg(long, default_value_t = 20)]
    top: usize,
    #[command(flatten)]
    network: NetworkArgs,
}

#[derive(Args)]
struct PathArgs {
    /// A person's name (or IRI).
    from: String,
    /// Another person's name (or IRI).
    to: String,
}

/// Which part of the graph, and which records of it.
#[derive(Args)]
struct NetworkArgs {
    #[arg(long, value_enum, default_value_t = ViewArg::Full)]
    view: ViewArg,
    /// Only what happened on or after this date (YYYY-MM-DD).
    #[arg(long)]
    since: Option<String>,
    /// Only what happened on or before this date (YYYY-MM-DD).
    #[arg(long)]
    until: Option<String>,
    /// Only what happened in this place or a place inside it (name, short name or division code).
    #[arg(long)]
    within: Option<String>,
    /// Drop edges supported by fewer events or articles than this.
    #[arg(long, default_value_t = 1)]
    min_weight: u32,
}

#[derive(Clone, Copy, ValueEnum)]
enum ExportFormat {
    Gexf,
    Graphml,
    Dot,
    Cytoscape,
    Csv,
    Neo4j,
    Html,
    Nquads,
    Trig,
}

#[derive(Clone, Copy, ValueEnum)]
enum ViewArg {
    /// who met whom at the same event
    People,
    /// persons with their posts and organisations
    PeopleOrgs,
    /// places: division tree, partnerships, visits
    Places,
    /// everything, events as nodes
    Full,
}

impl NetworkArgs {
    fn options(&self, analytics: bool) -> anyhow::Result<export::Options> {
        let date = |flag: &str, d: &Option<String>| -> anyhow::Result<Option<String>> {
            d.as_deref()
                .map(|d| check_date(d).with_context(|| format!("--{flag} {d:?} is not YYYY-MM-DD")))
                .transpose()
        };
        Ok(export::Options {
            view: match self.view {
                ViewArg::People => View::People,
                ViewArg::PeopleOrgs => View::PeopleOrgs,
                ViewArg::Places => View::Places,
                ViewArg::Full => View::Full,
            },
            filter: Filter {
                since: date("since", &self.since)?,
                until: date("until", &self.until)?,
                within: self.within.clone(),
                min_weight: self.min_weight,
            },
            analytics,
        })
    }
}

#[derive(Args)]
struct ServeArgs {
    /// The address to listen on.
    #[arg(long, default_value = "127.0.0.1:7878")]
    bind: std::net::SocketAddr,
    /// Accept editions (POST /ingest, `guanxi ingest --server`) and SPARQL Update.
    #[arg(long)]
    allow_ingest: bool,
    /// Cancel a query after this many seconds.
    #[arg(long, default_value_t = 30.0, value_name = "SECONDS")]
    timeout: f64,
    /// Send at most this many solutions (or triples) per query; more are cut and a header says so.
    #[arg(long, default_value_t = 100_000)]
    max_rows: usize,
    /// Refuse request bodies larger than this many bytes.
    #[arg(long, default_value_t = 8 * 1024 * 1024, value_name = "BYTES")]
    max_body: usize,
}

#[derive(Args)]
struct EvalArgs {
    /// EDITION.txt GOLD.json pairs.
    #[arg(required = true, value_names = ["EDITION.txt", "GOLD.json"], value_hint = clap::ValueHint::FilePath)]
    files: Vec<PathBuf>,
    /// Print one line of JSON instead of the tables.
    #[arg(long)]
    json: bool,
    /// List what was missed and what was spurious.
    #[arg(short, long)]
    verbose: bool,
}

#[derive(Args)]
struct IngestArgs {
    /// Edition files or folders.
    #[arg(required = true, value_hint = clap::ValueHint::AnyPath)]
    paths: Vec<PathBuf>,
    /// The paper's name (else the sidecar NAME.meta.json, else the masthead).
    #[arg(long)]
    paper: Option<String>,
    /// The edition's date, YYYY-MM-DD (else the sidecar, the file name, the masthead).
    #[arg(long)]
    date: Option<String>,
    /// The page.
    #[arg(long)]
    page: Option<String>,
    /// Send the editions to a running `guanxi serve --allow-ingest` at URL instead of writing the store.
    #[arg(long, value_name = "URL")]
    server: Option<String>,
}

#[derive(Args)]
struct QueryArgs {
    /// A file holding the query (e.g. one of queries/*.rq).
    #[arg(conflicts_with = "expression", required_unless_present = "expression", value_hint = clap::ValueHint::FilePath)]
    file: Option<PathBuf>,
    /// The query itself.
    #[arg(short = 'e', long = "expression")]
    expression: Option<String>,
    /// Output: table, csv, tsv, json, xml for SELECT/ASK; turtle or ntriples for CONSTRUCT/DESCRIBE.
    #[arg(long, value_enum, default_value_t = OutputFormat::Table)]
    format: OutputFormat,
}

#[derive(Clone, Copy, ValueEnum)]
enum OutputFormat {
    Table,
    Csv,
    Tsv,
    Json,
    Xml,
    Turtle,
    Ntriples,
}

impl From<ExportFormat> for ExportFormatLib {
    fn from(f: ExportFormat) -> ExportFormatLib {
        match f {
            ExportFormat::Gexf => ExportFormatLib::Gexf,
            ExportFormat::Graphml => ExportFormatLib::Graphml,
            ExportFormat::Dot => ExportFormatLib::Dot,
            ExportFormat::Cytoscape => ExportFormatLib::Cytoscape,
            ExportFormat::Csv => ExportFormatLib::Csv,
            ExportFormat::Neo4j => ExportFormatLib::Neo4j,
            ExportFormat::Html => ExportFormatLib::Html,
            ExportFormat::Nquads => ExportFormatLib::Nquads,
            ExportFormat::Trig => ExportFormatLib::Trig,
        }
    }
}

impl From<OutputFormat> for Format {
    fn from(f: OutputFormat) -> Format {
        match f {
            OutputFormat::Table => Format::Table,
            OutputFormat::Csv => Format::Csv,
            OutputFormat::Tsv => Format::Tsv,
            OutputFormat::Json => Format::Json,
            OutputFormat::Xml => Format::Xml,
            OutputFormat::Turtle => Format::Turtle,
            OutputFormat::Ntriples => Format::NTriples,
        }
    }
}

fn run(cli: Cli) -> anyhow::Result<()> {
    let mut out = std::io::stdout().lock();
    match cli.command {
        Command::Ingest(args) => {
            let overrides = MetaOverrides {
                paper: args.paper,
                date: args.date,
                page: args.page,
            };
            if let Some(server) = &args.server {
                for line in guanxi::serve::ingest_through_server(server, &args.paths, &overrides)? {
                    writeln!(out, "{line}")?;
                }
                return Ok(());
            }
            let done = guanxi::ingest::ingest(&cli.store, &args.paths, &overrides, cli.gazetteers.as_deref())?;
            for p in &done {
                writeln!(out, "{}", p.summary())?;
            }
            writeln!(out, "{} editions into {}", done.len(), cli.store.display())?;
        }
        Command::Query(args) => {
            let sparql = match (&args.file, &args.expression) {
                (Some(f), None) => {
                    std::fs::read_to_string(f).with_context(|| format!("{}: cannot read", f.display()))?
                }
                (None, Some(e)) => e.clone(),
                _ => bail!("give a query file or -e 'SPARQL'"),
            };
            let store = GraphStore::open_existing(&cli.store)?;
            query::run(&store.store, &sparql, args.format.into(), &mut out)?;
        }
        Command::Stats => {
            let store = GraphStore::open_existing(&cli.store)?;
            let s = store.stats()?;
            writeln!(
                out,
                "editions  {}\narticles  {}\ntriples   {}\ngraphs    {}",
                s.editions, s.articles, s.triples, s.graphs
            )?;
            let rows: Vec<Vec<String>> = s.classes.iter().map(|(c, n)| vec![c.clone(), n.to_string()]).collect();
            query::write_table(&mut out, &["class".into(), "entities".into()], &rows)?;
        }
        Command::Eval(args) => {
            let pairs = guanxi::eval::pairs(&args.files)?;
            let report = guanxi::eval::evaluate(&pairs, &MetaOverrides::default(), cli.gazetteers.as_deref())?;
            for m in report.messages() {
                eprintln!("{m}");
            }
            write!(out, "{}", report.render(args.json, args.verbose))?;
            if report.has_errors() {
                bail!("some editions could not be read: their sections scored as empty");
            }
        }
        Command::Serve(args) => {
            if !(args.timeout > 0.0 && args.timeout.is_finite()) {
                bail!("--timeout must be a positive number of seconds");
            }
            guanxi::serve::serve(guanxi::serve::Config {
                store: cli.store,
                bind: args.bind,
                allow_ingest: args.allow_ingest,
                timeout: std::time::Duration::from_secs_f64(args.timeout),
                max_rows: args.max_rows,
                max_body: args.max_body,
                gazetteers: cli.gazetteers,
            })?;
        }
        Command::Export(args) => {
            let options = args.network.options(!args.no_analytics)?;
            let format: ExportFormatLib = args.format.into();
            let path = args.output.unwrap_or_else(|| format.default_path(options.view));
            let store = GraphStore::open_existing(&cli.store)?;
            let written = export::export(&store.store, format, &options, &path)?;
            writeln!(out, "{written}")?;
        }
        Command::Analyze(args) => {
            let options = args.network.options(true)?;
            let store = GraphStore::open_existing(&cli.store)?;
            let net = export::network(&store.store, &options)?;
            let (header, rows, summary) = export::analytics::ranking(&net, args.top);
            query::write_table(&mut out, &header, &rows)?;
            writeln!(out, "{summary}")?;
        }
        Command::Path(args) => {
            let store = GraphStore::open_existing(&cli.store)?;
            write!(out, "{}", export::path(&store.store, &args.from, &args.to)?)?;
        }
    }
    Ok(())
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            // A reader that stops early (`| head`) is no failure.
            let broken_pipe = e.chain().any(|c| {
                c.downcast_ref::<std::io::Error>().is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
                    || matches!(c.downcast_ref::<guanxi::Error>(), Some(guanxi::Error::Io(io)) if io.kind() == std::io::ErrorKind::BrokenPipe)
            });
            if broken_pipe {
                return ExitCode::SUCCESS;
            }
            eprintln!("guanxi: {e:#}");
            ExitCode::FAILURE
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn cli_is_well_formed() {
        use clap::CommandFactory;
        super::Cli::command().debug_assert();
    }
}
