//! The library's error type: every variant names the file (and line) it is about,
//! so the binary can print one clear line.

use std::path::PathBuf;

#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    #[error("{}: {message}", path.display())]
    Input { path: PathBuf, message: String },
    #[error("{}:{line}: {message}", path.display())]
    InputLine {
        path: PathBuf,
        line: usize,
        message: String,
    },
    #[error("SPARQL: {0}")]
    Sparql(String),
    /// The query or update does not parse; the message gives line and column.
    #[error("SPARQL: syntax error: {0}")]
    SparqlSyntax(String),
    /// The query's cancellation token fired (the endpoint's time limit).
    #[error("SPARQL: the query was cancelled: it ran past its time limit")]
    Cancelled,
    #[error("store {}: {message}", path.display())]
    Store { path: PathBuf, message: String },
    #[error("{0}")]
    Usage(String),
    #[error(transparent)]
    Io(#[from] std::io::Error),
}

impl Error {
    pub fn input(path: impl Into<PathBuf>, message: impl Into<String>) -> Self {
        Error::Input {
            path: path.into(),
            message: message.into(),
        }
    }

    pub fn at_line(path: impl Into<PathBuf>, line: usize, message: impl Into<String>) -> Self {
        Error::InputLine {
            path: path.into(),
            line,
            message: message.into(),
        }
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;
