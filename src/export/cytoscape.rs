//! Cytoscape.js JSON (`{"elements": {"nodes": [{"data": …}], "edges": […]}}`),
//! which Cytoscape desktop imports too; written element by element.

use std::io::Write;

use serde_json::{Map, Value as Json};

use super::project::Network;
use super::{edge_columns, node_columns, Column, Value};
use crate::error::Result;

fn json(v: Value) -> Json {
    match v {
        Value::Text(t) => Json::String(t.into_owned()),
        Value::Int(n) => Json::from(n),
        Value::Float(x) => Json::from(x),
        Value::List(l) => Json::Array(l.into_iter().map(|s| Json::String(s.into_owned())).collect()),
    }
}

fn data<T>(item: &T, columns: &[Column<T>], mut map: Map<String, Json>) -> Json {
    for c in columns {
        map.insert(c.name.to_string(), json((c.get)(item)));
    }
    let mut element = Map::new();
    element.insert("data".into(), Json::Object(map));
    Json::Object(element)
}

pub fn write(net: &Network, out: &mut dyn Write) -> Result<()> {
    let (nodes, edges) = (node_columns(net), edge_columns());
    write!(out, "{{\"elements\":{{\"nodes\":[")?;
    for (i, n) in net.graph.node_indices().enumerate() {
        let node = &net.graph[n];
        let mut id = Map::new();
        id.insert("id".into(), Json::String(node.id.clone()));
        write!(out, "{}", if i == 0 { "\n" } else { ",\n" })?;
        serde_json::to_writer(&mut *out, &data(node, &nodes, id)).map_err(std::io::Error::from)?;
    }
    write!(out, "],\"edges\":[")?;
    for (i, e) in net.graph.edge_indices().enumerate() {
        let (s, t) = net.graph.edge_endpoints(e).expect("an edge of the graph");
        let mut ends = Map::new();
        ends.insert("id".into(), Json::String(format!("e{}", e.index())));
        ends.insert("source".into(), Json::String(net.graph[s].id.clone()));
        ends.insert("target".into(), Json::String(net.graph[t].id.clone()));
        write!(out, "{}", if i == 0 { "\n" } else { ",\n" })?;
        serde_json::to_writer(&mut *out, &data(&net.graph[e], &edges, ends)).map_err(std::io::Error::from)?;
    }
    writeln!(out, "]}}}}")?;
    Ok(())
}
