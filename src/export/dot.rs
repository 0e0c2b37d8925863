//! Graphviz DOT: names as labels, shapes by type, every attribute kept, and a
//! font that has Chinese glyphs (Graphviz falls back to another when it is missing).

use std::io::Write;

use super::project::Network;
use super::{edge_columns, node_columns, Column, LIST_SEPARATOR};
use crate::error::Result;

pub const FONT: &str = "Noto Sans CJK SC";

/// A DOT double-quoted string.
fn quoted(s: &str) -> String {
    let mut q = String::with_capacity(s.len() + 2);
    q.push('"');
    for c in s.chars() {
        match c {
            '"' => q.push_str("\\\""),
            '\\' => q.push_str("\\\\"),
            '\n' | '\r' => q.push_str("\\n"),
            c => q.push(c),
        }
    }
    q.push('"');
    q
}

fn attributes<T>(item: &T, columns: &[Column<T>], extra: &[(&str, String)]) -> String {
    let mut parts: Vec<String> = extra.iter().map(|(k, v)| format!("{k}={}", quoted(v))).collect();
    for c in columns {
        let v = (c.get)(item);
        if !v.is_empty() {
            // DOT's own `weight` must be an integer, which ours is.
            parts.push(format!("{}={}", c.name, quoted(&v.joined(LIST_SEPARATOR))));
        }
    }
    parts.join(", ")
}

fn shape(type_name: &str) -> &'static str {
    match type_name {
        "Person" => "ellipse",
        "Post" => "box",
        "Organization" => "component",
        "Place" => "house",
        "Event" => "diamond",
        _ => "plaintext",
    }
}

pub fn write(net: &Network, out: &mut dyn Write) -> Result<()> {
    let (nodes, edges) = (node_columns(net), edge_columns());
    let font = quoted(FONT);
    writeln!(out, "digraph guanxi {{")?;
    writeln!(out, "  graph [fontname={font}, overlap=false, charset=\"UTF-8\"];")?;
    writeln!(out, "  node [fontname={font}];\n  edge [fontname={font}, fontsize=10];")?;
    for n in net.graph.node_indices() {
        let node = &net.graph[n];
        let extra = [("shape", shape(node.type_name()).to_string())];
        writeln!(out, "  {} [{}];", quoted(&node.id), attributes(node, &nodes, &extra))?;
    }
    for e in net.graph.edge_indices() {
        let (s, t) = net.graph.edge_endpoints(e).expect("an edge of the graph");
        let edge = &net.graph[e];
        writeln!(
            out,
            "  {} -> {} [{}];",
            quoted(&net.graph[s].id),
            quoted(&net.graph[t].id),
            attributes(edge, &edges, &[])
        )?;
    }
    writeln!(out, "}}")?;
    Ok(())
}
