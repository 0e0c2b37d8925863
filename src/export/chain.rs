//! `guanxi path A B`: the shortest chain of people, events and posts between
//! two people, each step with the evidence that supports it.

use std::fmt::Write as _;

use oxigraph::store::Store;
use petgraph::graph::NodeIndex;

use super::analytics::shortest_path;
use super::project::{project, Filter, Network, Node, NodeType, View};
use crate::error::{Error, Result};
use crate::graph::rdf::person_iri;

/// The person a name (or IRI) stands for; several people of one name are an error that lists them.
fn person(net: &Network, who: &str) -> Result<NodeIndex> {
    let iri = person_iri(who);
    let persons = || {
        net.graph
            .node_indices()
            .filter(|n| net.graph[*n].node_type == Some(NodeType::Person))
    };
    if let Some(n) = persons().find(|n| net.graph[*n].id == who || net.graph[*n].id == iri.as_str()) {
        return Ok(n);
    }
    let named: Vec<NodeIndex> = persons().filter(|n| net.graph[*n].label == who).collect();
    match named.as_slice() {
        [n] => Ok(*n),
        [] => Err(Error::Usage(format!(
            "no person {who:?} with a post or an event in the store"
        ))),
        many => Err(Error::Usage(format!(
            "{who:?} is ambiguous: {}",
            many.iter()
                .map(|n| net.graph[*n].id.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        ))),
    }
}

fn describe(node: &Node) -> String {
    let mut facts = vec![node.type_name().to_string()];
    facts.extend([&node.kind].into_iter().filter(|k| !k.is_empty()).cloned());
    if !node.posts.is_empty() {
        facts.push(
            node.posts
                .iter()
                .map(|p| p.post.as_str())
                .collect::<Vec<_>>()
                .join("、"),
        );
    }
    if node.node_type == Some(NodeType::Event) {
        match (&node.first, &node.last) {
            (Some(f), Some(l)) if f != l => facts.push(format!("{f} – {l}")),
            (Some(f), _) => facts.push(f.clone()),
            _ => {}
        }
    }
    format!("{} ({})", node.label, facts.join(", "))
}

/// The chain from `from` to `to` as text, or an error when there is none.
pub fn path(store: &Store, from: &str, to: &str) -> Result<String> {
    let net = project(store, View::Chain, &Filter::default())?;
    let (a, b) = (person(&net, from)?, person(&net, to)?);
    let keep = |n: NodeIndex| {
        matches!(
            net.graph[n].node_type,
            Some(NodeType::Person | NodeType::Event | NodeType::Post)
        )
    };
    let steps = shortest_path(&net, a, b, keep)
        .ok_or_else(|| Error::Usage(format!("no chain of people, events and posts joins {from} and {to}")))?;
    let mut out = String::new();
    let _ = writeln!(out, "{}", describe(&net.graph[a]));
    let mut at = a;
    for step in &steps {
        let edge = &net.graph[step.edge];
        let (source, _) = net.graph.edge_endpoints(step.edge).expect("an edge of the graph");
        let role = if edge.label != edge.edge_type.name() {
            format!(" [{}]", edge.label)
        } else {
            String::new()
        };
        let arrow = if source == at {
            format!("—{}{role}→", edge.edge_type.name())
        } else {
            format!("←{}{role}—", edge.edge_type.name())
        };
        let _ = writeln!(out, "  {arrow} {}", describe(&net.graph[step.node]));
        for ev in &edge.evidence {
            let _ = writeln!(out, "      evidence: {} ——《{}》", ev.text, ev.article.headline);
        }
        at = step.node;
    }
    let _ = writeln!(out, "{} steps", steps.len());
    Ok(out)
}
