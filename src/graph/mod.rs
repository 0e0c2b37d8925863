//! rdf → store → query: the graph contract of GRAPH.md, on disk.

pub mod query;
pub mod rdf;
pub mod store;
