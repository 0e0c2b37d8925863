//! GEXF 1.3 for Gephi: a dynamic graph (`timeformat="date"`) whose edges and
//! nodes live for the spell of their dates, so Gephi's timeline can play the
//! network; undated edges (the division tree) are always there. A person's
//! posts are also a dynamic attribute (`post`), each for the spell it is attested.

use std::io::Write;

use quick_xml::escape::escape;

use super::project::Network;
use super::{edge_columns, node_columns, Column, Kind, LIST_SEPARATOR};
use crate::error::Result;

fn gexf_type(kind: Kind) -> &'static str {
    match kind {
        Kind::Int => "long",
        Kind::Float => "double",
        Kind::Text | Kind::List => "string",
    }
}

/// `label` and `weight` are GEXF's own XML attributes, not attribute values.
fn declared<T>(columns: &[Column<T>]) -> impl Iterator<Item = &Column<T>> {
    columns.iter().filter(|c| !matches!(c.name, "label" | "weight"))
}

fn declare<T>(out: &mut dyn Write, class: &str, columns: &[Column<T>]) -> Result<()> {
    writeln!(out, "    <attributes class=\"{class}\" mode=\"static\">")?;
    for c in declared(columns) {
        writeln!(
            out,
            "      <attribute id=\"{0}\" title=\"{0}\" type=\"{1}\"/>",
            c.name,
            gexf_type(c.kind)
        )?;
    }
    writeln!(out, "    </attributes>")?;
    Ok(())
}

/// The static values of the columns, then whatever `dynamic` adds.
fn values<T>(
    out: &mut dyn Write,
    item: &T,
    columns: &[Column<T>],
    dynamic: impl Fn(&mut dyn Write) -> Result<()>,
) -> Result<()> {
    writeln!(out, "        <attvalues>")?;
    for c in declared(columns) {
        let v = (c.get)(item);
        if !v.is_empty() {
            writeln!(
                out,
                "          <attvalue for=\"{}\" value=\"{}\"/>",
                c.name,
                escape(v.joined(LIST_SEPARATOR))
            )?;
        }
    }
    dynamic(out)?;
    writeln!(out, "        </attvalues>")?;
    Ok(())
}

fn spell(out: &mut dyn Write, first: &Option<String>, last: &Option<String>) -> Result<()> {
    if let (Some(f), Some(l)) = (first, last) {
        writeln!(
            out,
            "        <spells><spell start=\"{}\" end=\"{}\"/></spells>",
            day(f),
            day(l)
        )?;
    }
    Ok(())
}

/// A date as GEXF's `date` wants it: a year alone (`2018`) becomes its first day.
fn day(d: &str) -> String {
    if d.len() == 4 {
        format!("{d}-01-01")
    } else {
        d.to_string()
    }
}

pub fn write(net: &Network, out: &mut dyn Write) -> Result<()> {
    let (nodes, edges) = (node_columns(net), edge_columns());
    writeln!(out, r#"<?xml version="1.0" encoding="UTF-8"?>"#)?;
    writeln!(
        out,
        r#"<gexf xmlns="http://gexf.net/1.3" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="http://gexf.net/1.3 http://gexf.net/1.3/gexf.xsd" version="1.3">"#
    )?;
    writeln!(out, "  <meta><creator>guanxi</creator></meta>")?;
    writeln!(
        out,
        r#"  <graph mode="dynamic" defaultedgetype="directed" timeformat="date">"#
    )?;
    declare(out, "node", &nodes)?;
    writeln!(out, "    <attributes class=\"node\" mode=\"dynamic\">")?;
    writeln!(out, "      <attribute id=\"post\" title=\"post\" type=\"string\"/>")?;
    writeln!(out, "    </attributes>")?;
    declare(out, "edge", &edges)?;
    writeln!(out, "    <nodes>")?;
    for n in net.graph.node_indices() {
        let node = &net.graph[n];
        writeln!(
            out,
            "      <node id=\"{}\" label=\"{}\">",
            escape(node.id.as_str()),
            escape(node.label.as_str())
        )?;
        values(out, node, &nodes, |out| {
            for held in &node.posts {
                if let (Some(f), Some(l)) = (&held.first, &held.last) {
                    writeln!(
                        out,
                        "          <attvalue for=\"post\" value=\"{}\" start=\"{}\" end=\"{}\"/>",
                        escape(held.post.as_str()),
                        day(f),
                        day(l)
                    )?;
                }
            }
            Ok(())
        })?;
        spell(out, &node.first, &node.last)?;
        writeln!(out, "      </node>")?;
    }
    writeln!(out, "    </nodes>\n    <edges>")?;
    for e in net.graph.edge_indices() {
        let (s, t) = net.graph.edge_endpoints(e).expect("an edge of the graph");
        let edge = &net.graph[e];
        writeln!(
            out,
            "      <edge id=\"{}\" source=\"{}\" target=\"{}\" label=\"{}\" weight=\"{}\">",
            e.index(),
            escape(net.graph[s].id.as_str()),
            escape(net.graph[t].id.as_str()),
            escape(edge.label.as_str()),
            edge.weight
        )?;
        values(out, edge, &edges, |_| Ok(()))?;
        spell(out, &edge.first, &edge.last)?;
        writeln!(out, "      </edge>")?;
    }
    writeln!(out, "    </edges>\n  </graph>\n</gexf>")?;
    Ok(())
}
