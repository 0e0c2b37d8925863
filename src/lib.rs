//! guanxi (关系): Chinese local newspaper editions into a knowledge graph of
//! people, posts, places, organisations and events.
//!
//! The pipeline is a row of modules with plain data between them:
//! [`text`] (read → normalise → articles), [`extract`] (gazetteer → mentions →
//! resolve → facts), [`graph`] (RDF → store → query); [`ingest`] runs the row.

pub mod error;
pub mod eval;
pub mod export;
pub mod extract;
pub mod graph;
pub mod ingest;
pub mod serve;
pub mod text;
pub mod web;

pub use error::{Error, Result};
