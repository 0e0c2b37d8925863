//! SPARQL over the store with the union of all graphs as the default graph,
//! results as an aligned table or the standard result formats.

use std::io::Write;

use oxigraph::io::{JsonLdProfileSet, RdfFormat, RdfSerializer};
use oxigraph::model::{NamedNode, Term};
use oxigraph::sparql::results::{QueryResultsFormat, QueryResultsSerializer};
use oxigraph::sparql::{CancellationToken, QueryEvaluationError, QueryResults, SparqlEvaluator};
use oxigraph::store::Store;
use unicode_width::UnicodeWidthStr;

use super::rdf::PREFIXES;
use crate::error::{Error, Result};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Table,
    Csv,
    Tsv,
    Json,
    Xml,
    Turtle,
    NTriples,
    RdfXml,
    JsonLd,
}

impl Format {
    fn results_format(self) -> Option<QueryResultsFormat> {
        match self {
            Format::Csv => Some(QueryResultsFormat::Csv),
            Format::Tsv => Some(QueryResultsFormat::Tsv),
            Format::Json => Some(QueryResultsFormat::Json),
            Format::Xml => Some(QueryResultsFormat::Xml),
            _ => None,
        }
    }

    /// The graph format; a results format asked of a CONSTRUCT falls back to Turtle.
    pub fn rdf_format(self) -> RdfFormat {
        match self {
            Format::NTriples => RdfFormat::NTriples,
            Format::RdfXml => RdfFormat::RdfXml,
            Format::JsonLd => RdfFormat::JsonLd {
                profile: JsonLdProfileSet::empty(),
            },
            _ => RdfFormat::Turtle,
        }
    }
}

/// What a query runs over besides its text: the dataset of the SPARQL protocol
/// (`default-graph-uri`, `named-graph-uri`) and a token that stops it.
#[derive(Default, Clone)]
pub struct QueryOptions {
    /// Graphs whose merge is the default graph; none: the query's FROM, else the union of all graphs.
    pub default_graphs: Vec<NamedNode>,
    /// The named graphs `GRAPH ?g` may range over; none: the query's FROM NAMED, else all.
    pub named_graphs: Vec<NamedNode>,
    /// Cancelling it makes the evaluation fail with [`Error::Cancelled`].
    pub cancel: Option<CancellationToken>,
}

// The token has no Debug of its own.
impl std::fmt::Debug for QueryOptions {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("QueryOptions")
            .field("default_graphs", &self.default_graphs)
            .field("named_graphs", &self.named_graphs)
            .finish_non_exhaustive()
    }
}

/// How much a query wrote.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Written {
    /// Solutions or triples written (1 for ASK).
    pub rows: usize,
    /// Whether the results were cut at the row limit.
    pub truncated: bool,
}

/// The shape of a query's results, which decides the formats it can be written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ResultsKind {
    Solutions,
    Boolean,
    Graph,
}

pub fn kind_of(results: &QueryResults<'_>) -> ResultsKind {
    match results {
        QueryResults::Solutions(_) => ResultsKind::Solutions,
        QueryResults::Boolean(_) => ResultsKind::Boolean,
        QueryResults::Graph(_) => ResultsKind::Graph,
    }
}

fn evaluator(cancel: Option<&CancellationToken>) -> Result<SparqlEvaluator> {
    let mut evaluator = SparqlEvaluator::new();
    for (p, iri) in PREFIXES {
        evaluator = evaluator
            .with_prefix(*p, *iri)
            .map_err(|e| Error::Sparql(e.to_string()))?;
    }
    if let Some(token) = cancel {
        evaluator = evaluator.with_cancellation_token(token.clone());
    }
    Ok(evaluator)
}

fn syntax_error(e: impl std::fmt::Display) -> Error {
    Error::SparqlSyntax(one_line(&e.to_string()))
}

/// Parses `sparql` and evaluates it over the protocol's dataset, else the query's
/// FROM clauses, else the union of all graphs as the default graph.
pub fn execute(store: &Store, sparql: &str, options: &QueryOptions) -> Result<QueryResults<'static>> {
    let mut prepared = evaluator(options.cancel.as_ref())?
        .parse_query(sparql)
        .map_err(syntax_error)?;
    let dataset = prepared.dataset_mut();
    if !options.default_graphs.is_empty() || !options.named_graphs.is_empty() {
        dataset.set_default_graph(options.default_graphs.iter().cloned().map(Into::into).collect());
        if !options.named_graphs.is_empty() {
            dataset.set_available_named_graphs(options.named_graphs.iter().cloned().map(Into::into).collect());
        }
    } else if dataset.is_default_dataset() {
        dataset.set_default_graph_as_union();
    }
    prepared.on_store(store).execute().map_err(eval_error)
}

/// Runs a SPARQL Update (only the endpoint's `--allow-ingest` mode asks for it).
pub fn update(store: &Store, sparql: &str) -> Result<()> {
    evaluator(None)?
        .parse_update(sparql)
        .map_err(syntax_error)?
        .on_store(store)
        .execute()
        .map_err(|e| Error::Sparql(one_line(&e.to_string())))
}

fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn eval_error(e: QueryEvaluationError) -> Error {
    match e {
        QueryEvaluationError::Cancelled => Error::Cancelled,
        e => Error::Sparql(one_line(&e.to_string())),
    }
}

/// Rows of a SELECT, for the library's own questions.
pub fn select(store: &Store, sparql: &str) -> Result<Vec<Vec<Option<Term>>>> {
    match execute(store, sparql, &QueryOptions::default())? {
        QueryResults::Solutions(solutions) => {
            let vars = solutions.variables().to_vec();
            solutions
                .map(|s| {
                    let s = s.map_err(eval_error)?;
                    Ok(vars.iter().map(|v| s.get(v).cloned()).collect())
                })
                .collect()
        }
        _ => Err(Error::Sparql("expected a SELECT query".into())),
    }
}

/// Runs `sparql` and writes all its results in `format`.
pub fn run(store: &Store, sparql: &str, format: Format, out: &mut dyn Write) -> Result<()> {
    let results = execute(store, sparql, &QueryOptions::default())?;
    write_results(results, format, usize::MAX, out)?;
    Ok(())
}

/// Writes query results in `format`, at most `max_rows` solutions or triples.
pub fn write_results(
    results: QueryResults<'_>,
    format: Format,
    max_rows: usize,
    out: &mut dyn Write,
) -> Result<Written> {
    let mut limit = RowLimit {
        max: max_rows,
        written: Written {
            rows: 0,
            truncated: false,
        },
    };
    match results {
        QueryResults::Solutions(mut solutions) => {
            let vars = solutions.variables().to_vec();
            match format.results_format() {
                Some(f) => {
                    let mut w =
                        QueryResultsSerializer::from_format(f).serialize_solutions_to_writer(&mut *out, vars)?;
                    while let Some(s) = limit.take(solutions.next()) {
                        w.serialize(&s.map_err(eval_error)?)?;
                    }
                    w.finish()?;
                }
                None => {
                    let mut rows = Vec::new();
                    while let Some(s) = limit.take(solutions.next()) {
                        let s = s.map_err(eval_error)?;
                        rows.push(vars.iter().map(|v| s.get(v).map(display).unwrap_or_default()).collect());
                    }
                    let header: Vec<String> = vars.iter().map(|v| v.as_str().to_string()).collect();
                    write_table(out, &header, &rows)?;
                }
            }
        }
        QueryResults::Boolean(b) => {
            limit.written.rows = 1;
            match format.results_format() {
                Some(f) => {
                    QueryResultsSerializer::from_format(f).serialize_boolean_to_writer(&mut *out, b)?;
                }
                None => writeln!(out, "{b}")?,
            }
        }
        QueryResults::Graph(mut triples) => {
            let mut w = graph_serializer(format)?.for_writer(&mut *out);
            while let Some(t) = limit.take(triples.next()) {
                w.serialize_triple(&t.map_err(eval_error)?)?;
            }
            w.finish()?;
        }
    }
    Ok(limit.written)
}

/// Counts solutions or triples as they are written and stops at the limit.
struct RowLimit {
    max: usize,
    written: Written,
}

impl RowLimit {
    /// The next item while under the limit; at it, none, noting whether more were left.
    fn take<T>(&mut self, next: Option<T>) -> Option<T> {
        let item = next?;
        if self.written.rows == self.max {
            self.written.truncated = true;
            return None;
        }
        self.written.rows += 1;
        Some(item)
    }
}

/// A serialiser for triples in `format`; Turtle gets the contract's prefixes
/// (not `id:`, whose local names would need escaped slashes).
pub fn graph_serializer(format: Format) -> Result<RdfSerializer> {
    let rdf_format = format.rdf_format();
    let mut serializer = RdfSerializer::from_format(rdf_format);
    if rdf_format == RdfFormat::Turtle {
        for (p, iri) in PREFIXES.iter().filter(|(p, _)| *p != "id") {
            serializer = serializer
                .with_prefix(*p, *iri)
                .map_err(|e| Error::Sparql(e.to_string()))?;
        }
    }
    Ok(serializer)
}

/// An IRI with its contract prefix (`id:person/王志远`), a literal's value.
pub fn compact(iri: &str) -> String {
    PREFIXES
        .iter()
        .filter(|(_, ns)| iri.starts_with(ns))
        .max_by_key(|(_, ns)| ns.len())
        .map_or_else(|| format!("<{iri}>"), |(p, ns)| format!("{p}:{}", &iri[ns.len()..]))
}

fn display(term: &Term) -> String {
    match term {
        Term::NamedNode(n) => compact(n.as_str()),
        Term::BlankNode(b) => b.to_string(),
        Term::Literal(l) => l.value().replace('\n', " "),
        #[allow(unreachable_patterns)]
        _ => term.to_string(),
    }
}

/// Columns aligned by display width, so Chinese (two columns a character) lines up.
pub fn write_table(out: &mut dyn Write, header: &[String], rows: &[Vec<String>]) -> Result<()> {
    const MAX: usize = 60;
    let clip = |s: &str| -> String {
        if s.width() <= MAX {
            return s.to_string();
        }
        let mut w = 0;
        let mut t: String = s
            .chars()
            .take_while(|c| {
                w += unicode_width::UnicodeWidthChar::width(*c).unwrap_or(0);
                w < MAX
            })
            .collect();
        t.push('…');
        t
    };
    let cells: Vec<Vec<String>> = std::iter::once(header.to_vec())
        .chain(rows.iter().cloned())
        .map(|r| r.iter().map(|c| clip(c)).collect())
        .collect();
    let widths: Vec<usize> = (0..header.len())
        .map(|i| cells.iter().map(|r| r[i].width()).max().unwrap_or(0))
        .collect();
    for (n, row) in cells.iter().enumerate() {
        let line: Vec<String> = row
            .iter()
            .zip(&widths)
            .map(|(c, w)| format!("{c}{}", " ".repeat(w - c.width())))
            .collect();
        writeln!(out, "{}", line.join("  ").trim_end())?;
        if n == 0 {
            let rule: Vec<String> = widths.iter().map(|w| "-".repeat(*w)).collect();
            writeln!(out, "{}", rule.join("  "))?;
        }
    }
    writeln!(out, "({} rows)", rows.len())?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn syntax_errors_report_their_position() {
        let store = Store::new().unwrap();
        let err = run(&store, "SELECT * WHERE { ?s ?p }", Format::Json, &mut Vec::new()).unwrap_err();
        let msg = err.to_string();
        assert!(msg.contains("1:"), "{msg}");
        assert!(!msg.contains('\n'));
    }

    #[test]
    fn tables_align_wide_characters() {
        let mut out = Vec::new();
        write_table(
            &mut out,
            &["名".into(), "x".into()],
            &[vec!["王少".into(), "1".into()], vec!["a".into(), "2".into()]],
        )
        .unwrap();
        let text = String::from_utf8(out).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines[2], "王少  1");
        assert_eq!(lines[3], "a     2");
    }
}
