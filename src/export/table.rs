//! Node and edge tables: plain CSV (`nodes.csv`, `edges.csv`) and the files
//! `neo4j-admin database import full` reads (`nodes.csv` with `:ID` and
//! `:LABEL`, `relationships.csv` with `:START_ID`, `:END_ID`, `:TYPE`, typed
//! property columns and `;`-separated arrays). One writer, two dialects.

use std::io::Write;

use super::project::Network;
use super::{edge_columns, node_columns, Column, Kind, LIST_SEPARATOR};
use crate::error::Result;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dialect {
    Plain,
    Neo4j,
}

type Writer = fn(&Network, &mut dyn Write) -> Result<()>;

impl Dialect {
    /// The files of the dialect and what writes each.
    pub fn files(self) -> [(&'static str, Writer); 2] {
        match self {
            Dialect::Plain => [
                ("nodes.csv", |n, o| nodes(n, o, Dialect::Plain)),
                ("edges.csv", |n, o| edges(n, o, Dialect::Plain)),
            ],
            Dialect::Neo4j => [
                ("nodes.csv", |n, o| nodes(n, o, Dialect::Neo4j)),
                ("relationships.csv", |n, o| edges(n, o, Dialect::Neo4j)),
            ],
        }
    }

    fn header<T>(self, c: &Column<T>) -> String {
        match (self, c.kind) {
            (Dialect::Plain, _) | (Dialect::Neo4j, Kind::Text) => c.name.to_string(),
            (Dialect::Neo4j, Kind::Int) => format!("{}:long", c.name),
            (Dialect::Neo4j, Kind::Float) => format!("{}:double", c.name),
            (Dialect::Neo4j, Kind::List) => format!("{}:string[]", c.name),
        }
    }

    fn cell<T>(self, item: &T, c: &Column<T>) -> String {
        let v = (c.get)(item);
        match self {
            Dialect::Plain => v.joined(LIST_SEPARATOR),
            // Neo4j's array delimiter is `;`; an item's own `;` would split it.
            Dialect::Neo4j => match v {
                super::Value::List(items) => items.iter().map(|i| i.replace(';', "；")).collect::<Vec<_>>().join(";"),
                v => v.joined(""),
            },
        }
    }
}

/// Neo4j's relationship type: `met` → `MET`, `contained-in` → `CONTAINED_IN`.
fn relationship_type(name: &str) -> String {
    name.to_uppercase().replace('-', "_")
}

fn nodes(net: &Network, out: &mut dyn Write, dialect: Dialect) -> Result<()> {
    let columns = node_columns(net);
    let mut w = csv::Writer::from_writer(out);
    let mut header = vec![if dialect == Dialect::Neo4j {
        "id:ID".to_string()
    } else {
        "id".to_string()
    }];
    header.extend(columns.iter().map(|c| dialect.header(c)));
    if dialect == Dialect::Neo4j {
        header.push(":LABEL".into());
    }
    w.write_record(&header).map_err(csv_error)?;
    for node in net.graph.node_weights() {
        let mut row = vec![node.id.clone()];
        row.extend(columns.iter().map(|c| dialect.cell(node, c)));
        if dialect == Dialect::Neo4j {
            row.push(node.type_name().to_string());
        }
        w.write_record(&row).map_err(csv_error)?;
    }
    w.flush()?;
    Ok(())
}

fn edges(net: &Network, out: &mut dyn Write, dialect: Dialect) -> Result<()> {
    let columns = edge_columns();
    let mut w = csv::Writer::from_writer(out);
    let mut header: Vec<String> = match dialect {
        Dialect::Plain => vec!["source".into(), "target".into()],
        Dialect::Neo4j => vec![":START_ID".into(), ":END_ID".into(), ":TYPE".into()],
    };
    header.extend(columns.iter().map(|c| dialect.header(c)));
    w.write_record(&header).map_err(csv_error)?;
    for e in net.graph.edge_indices() {
        let (s, t) = net.graph.edge_endpoints(e).expect("an edge of the graph");
        let edge = &net.graph[e];
        let mut row = vec![net.graph[s].id.clone(), net.graph[t].id.clone()];
        if dialect == Dialect::Neo4j {
            row.push(relationship_type(edge.edge_type.name()));
        }
        row.extend(columns.iter().map(|c| dialect.cell(edge, c)));
        w.write_record(&row).map_err(csv_error)?;
    }
    w.flush()?;
    Ok(())
}

fn csv_error(e: csv::Error) -> crate::Error {
    crate::Error::Io(std::io::Error::other(e))
}
