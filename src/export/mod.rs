//! Exports of the graph for the tools analysts use: the store is projected
//! once into a petgraph [`Network`](project::Network) (`project`), measured
//! (`analytics`), and written by one small writer per format over the same
//! attribute columns (below), so every format carries the same facts.
//! N-Quads and TriG are dumps of the whole store.

pub mod analytics;
mod chain;
mod cytoscape;
mod dot;
mod gexf;
mod graphml;
mod html;
pub mod project;
mod table;

use std::borrow::Cow;
use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use oxigraph::io::{RdfFormat, RdfSerializer};
use oxigraph::store::Store;

use crate::error::{Error, Result};
use crate::graph::rdf::PREFIXES;
pub use chain::path;
use project::{Edge, Filter, Network, Node, View};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
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

impl Format {
    /// The default output under `output/`: a file, or a folder for the CSV formats.
    pub fn default_path(self, view: View) -> PathBuf {
        let view = match view {
            View::People => "people",
            View::PeopleOrgs => "people-orgs",
            View::Places => "places",
            View::Full | View::Chain => "full",
        };
        let name = match self {
            Format::Gexf => format!("guanxi-{view}.gexf"),
            Format::Graphml => format!("guanxi-{view}.graphml"),
            Format::Dot => format!("guanxi-{view}.dot"),
            Format::Cytoscape => format!("guanxi-{view}.cyjs"),
            Format::Csv => format!("guanxi-{view}-csv"),
            Format::Neo4j => format!("guanxi-{view}-neo4j"),
            Format::Html => format!("guanxi-{view}.html"),
            Format::Nquads => "guanxi.nq".to_string(),
            Format::Trig => "guanxi.trig".to_string(),
        };
        Path::new("output").join(name)
    }
}

pub struct Options {
    pub view: View,
    pub filter: Filter,
    /// Compute the measures (on by default; off saves time on very large graphs).
    pub analytics: bool,
}

/// What an export wrote.
pub enum Written {
    Network { nodes: usize, edges: usize, path: PathBuf },
    Quads { quads: usize, path: PathBuf },
}

impl std::fmt::Display for Written {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Written::Network { nodes, edges, path } => {
                write!(f, "{nodes} nodes, {edges} edges → {}", path.display())
            }
            Written::Quads { quads, path } => write!(f, "{quads} quads → {}", path.display()),
        }
    }
}

/// Projects the store as `options` say and analyses it.
pub fn network(store: &Store, options: &Options) -> Result<Network> {
    let mut net = project::project(store, options.view, &options.filter)?;
    if options.analytics {
        analytics::analyse(&mut net);
    }
    Ok(net)
}

pub fn export(store: &Store, format: Format, options: &Options, path: &Path) -> Result<Written> {
    let rdf = match format {
        Format::Nquads => Some(RdfFormat::NQuads),
        Format::Trig => Some(RdfFormat::TriG),
        _ => None,
    };
    if let Some(rdf) = rdf {
        let mut serializer = RdfSerializer::from_format(rdf);
        if rdf == RdfFormat::TriG {
            for (p, iri) in PREFIXES.iter().filter(|(p, _)| *p != "id") {
                serializer = serializer
                    .with_prefix(*p, *iri)
                    .map_err(|e| Error::Usage(e.to_string()))?;
            }
        }
        let out = create(path)?;
        let out = store
            .dump_to_writer(serializer, out)
            .map_err(|e| Error::Io(std::io::Error::other(e)))?;
        finish(out, path)?;
        let quads = store.len().map_err(|e| Error::Usage(e.to_string()))?;
        return Ok(Written::Quads {
            quads,
            path: path.to_path_buf(),
        });
    }
    let net = network(store, options)?;
    match format {
        Format::Csv | Format::Neo4j => {
            std::fs::create_dir_all(path).map_err(|e| io_error(path, e))?;
            let dialect = if format == Format::Neo4j {
                table::Dialect::Neo4j
            } else {
                table::Dialect::Plain
            };
            for (file, write) in dialect.files() {
                let p = path.join(file);
                let mut out = create(&p)?;
                write(&net, &mut out)?;
                finish(out, &p)?;
            }
        }
        _ => {
            let mut out = create(path)?;
            match format {
                Format::Gexf => gexf::write(&net, &mut out)?,
                Format::Graphml => graphml::write(&net, &mut out)?,
                Format::Dot => dot::write(&net, &mut out)?,
                Format::Cytoscape => cytoscape::write(&net, &mut out)?,
                _ => html::write(&net, &mut out)?,
            }
            finish(out, path)?;
        }
    }
    Ok(Written::Network {
        nodes: net.graph.node_count(),
        edges: net.graph.edge_count(),
        path: path.to_path_buf(),
    })
}

fn io_error(path: &Path, e: std::io::Error) -> Error {
    Error::input(path, e.to_string())
}

fn create(path: &Path) -> Result<BufWriter<File>> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(|e| io_error(dir, e))?;
    }
    Ok(BufWriter::new(File::create(path).map_err(|e| io_error(path, e))?))
}

fn finish(mut out: BufWriter<File>, path: &Path) -> Result<()> {
    out.flush().map_err(|e| io_error(path, e))
}

/// A value of an attribute column.
pub enum Value<'a> {
    Text(Cow<'a, str>),
    Int(u64),
    Float(f64),
    List(Vec<Cow<'a, str>>),
}

impl Value<'_> {
    pub fn is_empty(&self) -> bool {
        match self {
            Value::Text(t) => t.is_empty(),
            Value::List(l) => l.is_empty(),
            _ => false,
        }
    }

    /// The value as one string; list items joined by `separator`.
    pub fn joined(&self, separator: &str) -> String {
        match self {
            Value::Text(t) => t.to_string(),
            Value::Int(n) => n.to_string(),
            Value::Float(x) => x.to_string(),
            Value::List(l) => l.join(separator),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Text,
    Int,
    Float,
    List,
}

/// An attribute every writer writes, under this name and type.
pub struct Column<T> {
    pub name: &'static str,
    pub kind: Kind,
    pub get: fn(&T) -> Value<'_>,
}

fn text(s: &str) -> Value<'_> {
    Value::Text(Cow::Borrowed(s))
}

fn date(d: &Option<String>) -> Value<'_> {
    text(d.as_deref().unwrap_or(""))
}

fn evidence(items: &[project::Evidence]) -> Value<'_> {
    Value::List(
        items
            .iter()
            .map(|e| Cow::Owned(format!("{} ——《{}》", e.text, e.article.headline)))
            .collect(),
    )
}

/// The node attributes (the id is written apart); the measures when computed.
pub fn node_columns(net: &Network) -> Vec<Column<Node>> {
    let mut columns: Vec<Column<Node>> = vec![
        Column {
            name: "label",
            kind: Kind::Text,
            get: |n| text(&n.label),
        },
        Column {
            name: "type",
            kind: Kind::Text,
            get: |n| text(n.type_name()),
        },
        Column {
            name: "kind",
            kind: Kind::Text,
            get: |n| text(&n.kind),
        },
        Column {
            name: "level",
            kind: Kind::Text,
            get: |n| text(&n.level),
        },
        Column {
            name: "code",
            kind: Kind::Text,
            get: |n| text(&n.code),
        },
        Column {
            name: "posts",
            kind: Kind::List,
            get: |n| Value::List(n.posts.iter().map(|p| Cow::Borrowed(p.post.as_str())).collect()),
        },
        Column {
            name: "first",
            kind: Kind::Text,
            get: |n| date(&n.first),
        },
        Column {
            name: "last",
            kind: Kind::Text,
            get: |n| date(&n.last),
        },
        Column {
            name: "evidence",
            kind: Kind::List,
            get: |n| evidence(&n.evidence),
        },
    ];
    if net.analysed {
        let measures: [Column<Node>; 6] = [
            Column {
                name: "degree",
                kind: Kind::Int,
                get: |n| Value::Int(n.measures.degree.into()),
            },
            Column {
                name: "weighted_degree",
                kind: Kind::Int,
                get: |n| Value::Int(n.measures.weighted_degree),
            },
            Column {
                name: "pagerank",
                kind: Kind::Float,
                get: |n| Value::Float(n.measures.pagerank),
            },
            Column {
                name: "betweenness",
                kind: Kind::Float,
                get: |n| Value::Float(n.measures.betweenness),
            },
            Column {
                name: "component",
                kind: Kind::Int,
                get: |n| Value::Int(n.measures.component.into()),
            },
            Column {
                name: "community",
                kind: Kind::Int,
                get: |n| Value::Int(n.measures.community.into()),
            },
        ];
        columns.extend(measures);
    }
    columns
}

/// The edge attributes (source and target are written apart).
pub fn edge_columns() -> Vec<Column<Edge>> {
    vec![
        Column {
            name: "type",
            kind: Kind::Text,
            get: |e| text(e.edge_type.name()),
        },
        Column {
            name: "label",
            kind: Kind::Text,
            get: |e| text(&e.label),
        },
        Column {
            name: "weight",
            kind: Kind::Int,
            get: |e| Value::Int(e.weight.into()),
        },
        Column {
            name: "first",
            kind: Kind::Text,
            get: |e| date(&e.first),
        },
        Column {
            name: "last",
            kind: Kind::Text,
            get: |e| date(&e.last),
        },
        Column {
            name: "articles",
            kind: Kind::List,
            get: |e| {
                Value::List(
                    e.articles()
                        .into_iter()
                        .map(|a| Cow::Borrowed(a.iri.as_str()))
                        .collect(),
                )
            },
        },
        Column {
            name: "evidence",
            kind: Kind::List,
            get: |e| evidence(&e.evidence),
        },
    ]
}

/// List items inside one text cell (XML attributes, DOT, plain CSV).
pub const LIST_SEPARATOR: &str = " | ";
