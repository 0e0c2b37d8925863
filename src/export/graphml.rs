//! GraphML with typed keys (networkx, Cytoscape, Gephi read them as
//! attributes) and yFiles node and edge labels, so yEd shows names.

use std::io::Write;

use quick_xml::escape::escape;

use super::project::Network;
use super::{edge_columns, node_columns, Column, Kind, LIST_SEPARATOR};
use crate::error::Result;

fn graphml_type(kind: Kind) -> &'static str {
    match kind {
        Kind::Int => "long",
        Kind::Float => "double",
        Kind::Text | Kind::List => "string",
    }
}

fn declare<T>(out: &mut dyn Write, class: &str, prefix: &str, columns: &[Column<T>]) -> Result<()> {
    for c in columns {
        writeln!(
            out,
            "  <key id=\"{prefix}_{0}\" for=\"{class}\" attr.name=\"{0}\" attr.type=\"{1}\"/>",
            c.name,
            graphml_type(c.kind)
        )?;
    }
    Ok(())
}

fn values<T>(out: &mut dyn Write, item: &T, prefix: &str, columns: &[Column<T>]) -> Result<()> {
    for c in columns {
        let v = (c.get)(item);
        if !v.is_empty() {
            writeln!(
                out,
                "      <data key=\"{prefix}_{}\">{}</data>",
                c.name,
                escape(v.joined(LIST_SEPARATOR))
            )?;
        }
    }
    Ok(())
}

/// yEd's node shape and fill by type.
fn shape(type_name: &str) -> (&'static str, &'static str) {
    match type_name {
        "Person" => ("ellipse", "#F4A261"),
        "Post" => ("roundrectangle", "#E9C46A"),
        "Organization" => ("rectangle", "#2A9D8F"),
        "Place" => ("hexagon", "#8AB17D"),
        "Event" => ("diamond", "#E76F51"),
        _ => ("rectangle", "#CCCCCC"),
    }
}

pub fn write(net: &Network, out: &mut dyn Write) -> Result<()> {
    let (nodes, edges) = (node_columns(net), edge_columns());
    writeln!(out, r#"<?xml version="1.0" encoding="UTF-8"?>"#)?;
    writeln!(
        out,
        r#"<graphml xmlns="http://graphml.graphdrawing.org/xmlns" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:y="http://www.yworks.com/xml/graphml" xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns http://www.yworks.com/xml/schema/graphml/1.1/ygraphml.xsd">"#
    )?;
    declare(out, "node", "n", &nodes)?;
    declare(out, "edge", "e", &edges)?;
    writeln!(out, r#"  <key id="ng" for="node" yfiles.type="nodegraphics"/>"#)?;
    writeln!(out, r#"  <key id="eg" for="edge" yfiles.type="edgegraphics"/>"#)?;
    writeln!(out, r#"  <graph id="guanxi" edgedefault="directed">"#)?;
    for n in net.graph.node_indices() {
        let node = &net.graph[n];
        writeln!(out, "    <node id=\"{}\">", escape(node.id.as_str()))?;
        values(out, node, "n", &nodes)?;
        let (shape, fill) = shape(node.type_name());
        // yEd sizes nothing by itself: a width that fits the name (CJK characters are wide).
        let width = 30 + 14 * node.label.chars().count().min(20);
        writeln!(
            out,
            "      <data key=\"ng\"><y:ShapeNode><y:Geometry width=\"{width}\" height=\"30\"/><y:Fill color=\"{fill}\"/><y:NodeLabel>{}</y:NodeLabel><y:Shape type=\"{shape}\"/></y:ShapeNode></data>",
            escape(node.label.as_str())
        )?;
        writeln!(out, "    </node>")?;
    }
    for e in net.graph.edge_indices() {
        let (s, t) = net.graph.edge_endpoints(e).expect("an edge of the graph");
        let edge = &net.graph[e];
        writeln!(
            out,
            "    <edge id=\"e{}\" source=\"{}\" target=\"{}\">",
            e.index(),
            escape(net.graph[s].id.as_str()),
            escape(net.graph[t].id.as_str())
        )?;
        values(out, edge, "e", &edges)?;
        writeln!(
            out,
            "      <data key=\"eg\"><y:PolyLineEdge><y:EdgeLabel>{}</y:EdgeLabel></y:PolyLineEdge></data>",
            escape(edge.label.as_str())
        )?;
        writeln!(out, "    </edge>")?;
    }
    writeln!(out, "  </graph>\n</graphml>")?;
    Ok(())
}
