//! read → normalise → articles: from a file on disk to an [`Edition`] of articles.

pub mod articles;
pub mod normalise;
pub mod read;

pub use articles::{Article, Byline, Masthead};
pub use normalise::{MappedText, Origin};
pub use read::{EditionMeta, MetaOverrides, Source};

use std::path::Path;

use crate::error::{Error, Result};
use crate::extract::dates::latest_year;

/// An edition read from disk: its source, metadata, masthead and articles.
#[derive(Debug, Clone)]
pub struct Edition {
    pub source: Source,
    pub meta: EditionMeta,
    pub masthead: Masthead,
    pub articles: Vec<Article>,
}

/// read → normalise → articles. Metadata the user, the sidecar or the file name
/// did not give comes from the masthead, and a year from the text as a last
/// resort, marked as inferred.
pub fn read_edition(path: &Path, overrides: &MetaOverrides) -> Result<Edition> {
    let source = read::read_source(path)?;
    let mut meta = read::edition_meta(path, overrides)?;
    let lines = normalise::printed_lines(&source.text);
    let (masthead, articles) = articles::split_articles(&lines);
    if articles.is_empty() {
        return Err(Error::input(path, "no articles found: the text has no body lines"));
    }
    meta.paper = meta.paper.or_else(|| masthead.paper.clone());
    meta.page = meta.page.or_else(|| masthead.page.clone());
    if meta.date.is_none() {
        meta.date = masthead.date.clone();
    }
    meta.year = meta.date.as_deref().and_then(|d| d[..4].parse().ok());
    if meta.year.is_none() {
        meta.year = latest_year(&normalise::fold(&source.text));
        meta.date_inferred = meta.year.is_some();
    }
    Ok(Edition {
        source,
        meta,
        masthead,
        articles,
    })
}
