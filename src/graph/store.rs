//! The on-disk Oxigraph store: one named graph per edition, replaced whole on
//! re-ingest, all editions of one command in one transaction.

use std::path::{Path, PathBuf};

use oxigraph::model::{GraphNameRef, Term};
use oxigraph::store::Store;

use super::rdf::EditionQuads;
use crate::error::{Error, Result};

pub struct GraphStore {
    pub store: Store,
    pub path: PathBuf,
}

fn store_error(path: &Path, e: impl std::fmt::Display) -> Error {
    Error::Store {
        path: path.to_path_buf(),
        message: e.to_string(),
    }
}

impl GraphStore {
    /// Opens the store at `path`, creating it on first use.
    pub fn open(path: &Path) -> Result<GraphStore> {
        let store = Store::open(path).map_err(|e| {
            let message = e.to_string();
            if message.contains("lock") {
                // RocksDB admits one writer: most likely `guanxi serve` holds it.
                store_error(
                    path,
                    format!("{message} (another guanxi process, e.g. `guanxi serve`, has the store open: send editions with `guanxi ingest --server URL` and query through the server)"),
                )
            } else {
                store_error(path, message)
            }
        })?;
        Ok(GraphStore {
            store,
            path: path.to_path_buf(),
        })
    }

    /// Opens an existing store; a missing one is an error, not an empty store.
    pub fn open_existing(path: &Path) -> Result<GraphStore> {
        if !path.is_dir() {
            return Err(store_error(
                path,
                "no store here: run `guanxi ingest` first, or give --store",
            ));
        }
        GraphStore::open(path)
    }

    /// An in-memory store, for tests and one-off work.
    pub fn in_memory() -> Result<GraphStore> {
        let store = Store::new().map_err(|e| store_error(Path::new(":memory:"), e))?;
        Ok(GraphStore {
            store,
            path: PathBuf::from(":memory:"),
        })
    }

    /// Replaces each edition's named graph and adds its reference data, atomically.
    pub fn replace_editions<'a>(&self, editions: impl IntoIterator<Item = &'a EditionQuads>) -> Result<()> {
        let err = |e| store_error(&self.path, e);
        let editions: Vec<&EditionQuads> = editions.into_iter().collect();
        let mut replaced = false;
        for e in &editions {
            replaced |= self.store.contains_named_graph(e.edition.as_ref()).map_err(err)?;
        }
        let quads = editions.iter().flat_map(|e| e.quads.iter().chain(&e.gazetteer));
        if replaced {
            let mut tx = self.store.start_transaction().map_err(err)?;
            for e in &editions {
                tx.clear_graph(GraphNameRef::NamedNode(e.edition.as_ref()))
                    .map_err(err)?;
            }
            for q in quads {
                tx.insert(q);
            }
            tx.commit().map_err(err)?;
        } else {
            // New editions only: the bulk loader writes sorted files straight into RocksDB, several
            // times faster than a transaction, which indexes every write in memory first. It is
            // atomic too: nothing is visible before `commit`.
            let mut loader = self.store.bulk_loader().with_max_memory_size_in_megabytes(1024);
            loader.load_quads(quads.cloned()).map_err(err)?;
            loader.commit().map_err(err)?;
        }
        self.store.flush().map_err(err)
    }

    pub fn stats(&self) -> Result<Stats> {
        let err = |e| store_error(&self.path, e);
        let triples = self.store.len().map_err(err)?;
        let count = |q: &str| -> Result<Vec<(String, usize)>> {
            let rows = super::query::select(&self.store, q)?;
            Ok(rows
                .into_iter()
                .filter_map(|r| {
                    let label = match r.first()? {
                        Some(Term::NamedNode(n)) => super::query::compact(n.as_str()),
                        Some(t) => t.to_string(),
                        None => String::new(),
                    };
                    let n = match r.get(1)? {
                        Some(Term::Literal(l)) => l.value().parse().ok()?,
                        _ => 0,
                    };
                    Some((label, n))
                })
                .collect())
        };
        let total = |q: &str| -> Result<usize> {
            let rows = super::query::select(&self.store, q)?;
            Ok(match rows.first().and_then(|r| r.first()).cloned().flatten() {
                Some(Term::Literal(l)) => l.value().parse().unwrap_or(0),
                _ => 0,
            })
        };
        let editions = total(
            "SELECT (COUNT(DISTINCT ?e) AS ?n) WHERE { GRAPH ?e { ?e a <https://schema.org/PublicationIssue> } }",
        )?;
        let articles =
            total("SELECT (COUNT(DISTINCT ?a) AS ?n) WHERE { GRAPH ?g { ?a a <https://schema.org/NewsArticle> } }")?;
        let classes = count(
            "SELECT ?c (COUNT(DISTINCT ?s) AS ?n) WHERE { GRAPH ?g { ?s a ?c } } GROUP BY ?c ORDER BY DESC(?n) ?c",
        )?;
        Ok(Stats {
            editions,
            articles,
            triples,
            graphs: self.store.named_graphs().count(),
            classes,
        })
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Stats {
    pub editions: usize,
    pub articles: usize,
    pub triples: usize,
    pub graphs: usize,
    pub classes: Vec<(String, usize)>,
}
