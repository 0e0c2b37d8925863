//! The ingest job: files and folders in, one transaction of edition graphs out.
//! Every file is read and extracted before the store is opened, so bad input
//! leaves the store exactly as it was.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};
use crate::extract::dates::YearContext;
use crate::extract::{EditionFacts, Extractor};
use crate::graph::rdf::{edition_quads, EditionInput, EditionQuads};
use crate::graph::store::GraphStore;
use crate::text::read::sidecar_path;
use crate::text::{read_edition, Edition, MetaOverrides};

/// An edition ready for the store, with what was found in it.
pub struct Prepared {
    pub edition: Edition,
    pub facts: EditionFacts,
    pub quads: EditionQuads,
}

impl Prepared {
    /// One line for the user: what the edition gave.
    pub fn summary(&self) -> String {
        let f = &self.facts.articles;
        let count = |g: &dyn Fn(&crate::extract::ArticleFacts) -> usize| f.iter().map(g).sum::<usize>();
        let mut persons: Vec<&String> = f.iter().flat_map(|a| &a.persons).collect();
        persons.sort();
        persons.dedup();
        let mut places: Vec<_> = f.iter().flat_map(|a| &a.places).collect();
        places.sort();
        places.dedup();
        format!(
            "{}: {} articles, {} persons, {} places, {} holdings, {} events, {} partnerships, {} quads -> <{}>",
            self.edition.source.path.display(),
            self.edition.articles.len(),
            persons.len(),
            places.len(),
            count(&|a| a.holdings.len()),
            count(&|a| a.events.len()),
            count(&|a| a.partnerships.len()),
            self.quads.quads.len(),
            self.quads.edition.as_str(),
        )
    }
}

/// The edition files named: files as given, folders searched for `*.txt`.
pub fn edition_files(paths: &[PathBuf]) -> Result<Vec<PathBuf>> {
    let mut files = Vec::new();
    for p in paths {
        if p.is_dir() {
            let before = files.len();
            collect_txt(p, &mut files)?;
            if files.len() == before {
                return Err(Error::input(p, "no editions here: the folder has no *.txt files"));
            }
        } else if p.is_file() {
            files.push(p.clone());
        } else {
            return Err(Error::input(p, "no such file or folder"));
        }
    }
    // `guanxi ingest dir/*` names each edition's sidecar too; it is read with
    // its edition, so only a sidecar whose edition is missing is an error.
    let (sidecars, editions): (Vec<PathBuf>, Vec<PathBuf>) = files.into_iter().partition(|f| is_sidecar(f));
    let expected: HashSet<PathBuf> = editions.iter().map(|e| sidecar_path(e)).collect();
    if let Some(orphan) = sidecars.iter().find(|f| !expected.contains(*f)) {
        return Err(Error::input(
            orphan,
            "an edition's metadata sidecar, not an edition: name the edition's text file",
        ));
    }
    if editions.is_empty() {
        return Err(Error::Usage("no edition files given".into()));
    }
    Ok(editions)
}

fn is_sidecar(path: &Path) -> bool {
    path.file_name()
        .is_some_and(|n| n.to_string_lossy().ends_with(".meta.json"))
}

fn collect_txt(dir: &Path, out: &mut Vec<PathBuf>) -> Result<()> {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .map_err(|e| Error::input(dir, format!("cannot list: {e}")))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .collect();
    entries.sort();
    for e in entries {
        if e.is_dir() {
            collect_txt(&e, out)?;
        } else if e.extension().is_some_and(|x| x == "txt") {
            out.push(e);
        }
    }
    Ok(())
}

/// read → … → RDF for one file.
pub fn prepare(extractor: &mut Extractor, path: &Path, overrides: &MetaOverrides) -> Result<Prepared> {
    let edition = read_edition(path, overrides)?;
    let month = edition.meta.date.as_deref().and_then(|d| d[5..7].parse().ok());
    let years = YearContext {
        year: edition.meta.year,
        month,
    };
    let facts = extractor.extract(edition.meta.paper.as_deref(), &edition.articles, years);
    let quads = edition_quads(
        &extractor.gazetteer,
        &EditionInput {
            meta: &edition.meta,
            file_name: &edition.source.file_name,
            sha256: &edition.source.sha256,
            articles: &edition.articles,
            facts: &facts,
        },
    );
    Ok(Prepared { edition, facts, quads })
}

/// Reads every edition, then writes them all in one transaction.
pub fn ingest(
    store_path: &Path,
    paths: &[PathBuf],
    overrides: &MetaOverrides,
    gazetteers: Option<&Path>,
) -> Result<Vec<Prepared>> {
    let files = edition_files(paths)?;
    let mut extractor = Extractor::new(gazetteers)?;
    let prepared = files
        .iter()
        .map(|f| prepare(&mut extractor, f, overrides))
        .collect::<Result<Vec<_>>>()?;
    let store = GraphStore::open(store_path)?;
    store.replace_editions(prepared.iter().map(|p| &p.quads))?;
    Ok(prepared)
}
