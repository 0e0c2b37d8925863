//! The usual network measures, computed on the projected network taken as
//! undirected (who is tied to whom, whichever way the relation reads):
//! degree, weighted degree, PageRank, betweenness, connected components and
//! Louvain communities; and the shortest chain between two nodes.
//!
//! Everything is linear in the number of edges per pass except betweenness:
//! exact (Brandes, one breadth-first search per node) up to
//! [`EXACT_BETWEENNESS_NODES`] nodes, and estimated from [`BETWEENNESS_PIVOTS`]
//! evenly spread source nodes above that, scaled up by nodes / pivots.
//! petgraph's own `page_rank` compares every pair of nodes in each iteration,
//! so PageRank here is the usual power iteration over the edges.

use std::collections::{HashMap, VecDeque};

use petgraph::graph::{EdgeIndex, NodeIndex};
use petgraph::unionfind::UnionFind;
use petgraph::visit::EdgeRef;

use super::project::Network;

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Measures {
    pub degree: u32,
    pub weighted_degree: u64,
    pub pagerank: f64,
    /// Normalised to [0, 1] as networkx does for undirected graphs.
    pub betweenness: f64,
    /// Components numbered by size, 0 the largest.
    pub component: u32,
    /// Communities numbered by size, 0 the largest.
    pub community: u32,
}

pub const EXACT_BETWEENNESS_NODES: usize = 5_000;
pub const BETWEENNESS_PIVOTS: usize = 200;
const DAMPING: f64 = 0.85;
const PAGERANK_ITERATIONS: usize = 100;
const PAGERANK_TOLERANCE: f64 = 1e-10;

/// The undirected adjacency of the network: neighbours with the edge's weight and index.
struct Adjacency {
    neighbours: Vec<Vec<(usize, f64, EdgeIndex)>>,
}

impl Adjacency {
    fn of(net: &Network, keep: impl Fn(NodeIndex) -> bool) -> Adjacency {
        let g = &net.graph;
        let mut neighbours = vec![Vec::new(); g.node_count()];
        for e in g.edge_references() {
            let (s, t) = (e.source(), e.target());
            if s == t || !keep(s) || !keep(t) {
                continue;
            }
            let w = f64::from(e.weight().weight);
            neighbours[s.index()].push((t.index(), w, e.id()));
            neighbours[t.index()].push((s.index(), w, e.id()));
        }
        Adjacency { neighbours }
    }

    fn len(&self) -> usize {
        self.neighbours.len()
    }
}

/// Computes every measure and stores it on the nodes.
pub fn analyse(net: &mut Network) {
    let adj = Adjacency::of(net, |_| true);
    let pagerank = pagerank(&adj);
    let betweenness = betweenness(&adj);
    let components = number_by_size(&components(net));
    let communities = number_by_size(&louvain(&adj));
    for (i, node) in net.graph.node_weights_mut().enumerate() {
        node.measures = Measures {
            degree: adj.neighbours[i].len() as u32,
            weighted_degree: adj.neighbours[i].iter().map(|(_, w, _)| *w as u64).sum(),
            pagerank: pagerank[i],
            betweenness: betweenness[i],
            component: components[i],
            community: communities[i],
        };
    }
    net.analysed = true;
}

/// Weighted PageRank; the rank of nodes without edges is spread over all.
fn pagerank(adj: &Adjacency) -> Vec<f64> {
    let n = adj.len();
    if n == 0 {
        return Vec::new();
    }
    let strength: Vec<f64> = adj
        .neighbours
        .iter()
        .map(|ns| ns.iter().map(|(_, w, _)| w).sum())
        .collect();
    let mut rank = vec![1.0 / n as f64; n];
    for _ in 0..PAGERANK_ITERATIONS {
        let dangling: f64 = (0..n).filter(|&i| strength[i] == 0.0).map(|i| rank[i]).sum();
        let base = (1.0 - DAMPING) / n as f64 + DAMPING * dangling / n as f64;
        let mut next = vec![base; n];
        for (i, ns) in adj.neighbours.iter().enumerate() {
            if strength[i] > 0.0 {
                let share = DAMPING * rank[i] / strength[i];
                for (j, w, _) in ns {
                    next[*j] += share * w;
                }
            }
        }
        let change: f64 = next.iter().zip(&rank).map(|(a, b)| (a - b).abs()).sum();
        rank = next;
        if change < PAGERANK_TOLERANCE * n as f64 {
            break;
        }
    }
    rank
}

/// Brandes' betweenness over unweighted shortest paths, from every node or from evenly spread pivots.
fn betweenness(adj: &Adjacency) -> Vec<f64> {
    let n = adj.len();
    let mut centrality = vec![0.0; n];
    if n < 3 {
        return centrality;
    }
    let sources: Vec<usize> = if n <= EXACT_BETWEENNESS_NODES {
        (0..n).collect()
    } else {
        (0..BETWEENNESS_PIVOTS).map(|k| k * n / BETWEENNESS_PIVOTS).collect()
    };
    let mut sigma = vec![0.0f64; n];
    let mut distance = vec![usize::MAX; n];
    let mut delta = vec![0.0f64; n];
    let mut order = Vec::with_capacity(n);
    let mut queue = VecDeque::new();
    for &s in &sources {
        for &v in &order {
            sigma[v] = 0.0;
            distance[v] = usize::MAX;
            delta[v] = 0.0;
        }
        order.clear();
        sigma[s] = 1.0;
        distance[s] = 0;
        queue.push_back(s);
        while let Some(v) = queue.pop_front() {
            order.push(v);
            for &(w, _, _) in &adj.neighbours[v] {
                if distance[w] == usize::MAX {
                    distance[w] = distance[v] + 1;
                    queue.push_back(w);
                }
                if distance[w] == distance[v] + 1 {
                    sigma[w] += sigma[v];
                }
            }
        }
        for &w in order.iter().rev() {
            for &(v, _, _) in &adj.neighbours[w] {
                if distance[v] != usize::MAX && distance[v] + 1 == distance[w] {
                    delta[v] += sigma[v] / sigma[w] * (1.0 + delta[w]);
                }
            }
            if w != s {
                centrality[w] += delta[w];
            }
        }
    }
    // Each undirected path was counted from both ends; normalise by the pairs of other nodes,
    // and scale a sample up to all sources.
    let scale = n as f64 / sources.len() as f64 / ((n - 1) * (n - 2)) as f64;
    centrality.iter_mut().for_each(|c| *c *= scale);
    centrality
}

/// Weakly connected components, as a label per node.
fn components(net: &Network) -> Vec<usize> {
    let g = &net.graph;
    let mut sets = UnionFind::new(g.node_count());
    for e in g.edge_references() {
        sets.union(e.source().index(), e.target().index());
    }
    sets.into_labeling()
}

/// Louvain communities: nodes move to the neighbouring community that gains
/// the most modularity (in node order, ties to the lower number, so every run
/// agrees), then communities become nodes and it starts again, until nothing moves.
fn louvain(adj: &Adjacency) -> Vec<usize> {
    let mut level = Level {
        neighbours: adj
            .neighbours
            .iter()
            .map(|ns| ns.iter().map(|&(j, w, _)| (j, w)).collect())
            .collect(),
        self_loops: vec![0.0; adj.len()],
    };
    let mut community: Vec<usize> = (0..adj.len()).collect();
    for _ in 0..LOUVAIN_LEVELS {
        let Some(moved) = level.local_moving() else { break };
        community.iter_mut().for_each(|c| *c = moved[*c]);
        level = level.aggregate(&moved);
    }
    community
}

const LOUVAIN_LEVELS: usize = 20;
const LOUVAIN_PASSES: usize = 50;

/// A weighted undirected graph at one level of Louvain: symmetric neighbour lists and self-loops.
struct Level {
    neighbours: Vec<Vec<(usize, f64)>>,
    self_loops: Vec<f64>,
}

impl Level {
    /// A community per node (numbered 0..), or None when no node moved.
    fn local_moving(&self) -> Option<Vec<usize>> {
        let n = self.neighbours.len();
        let strength: Vec<f64> = (0..n)
            .map(|i| self.neighbours[i].iter().map(|(_, w)| w).sum::<f64>() + 2.0 * self.self_loops[i])
            .collect();
        let total: f64 = strength.iter().sum();
        if total == 0.0 {
            return None;
        }
        let mut community: Vec<usize> = (0..n).collect();
        let mut tot = strength.clone();
        let mut to_community = vec![0.0f64; n];
        let mut touched: Vec<usize> = Vec::new();
        let mut any = false;
        for _ in 0..LOUVAIN_PASSES {
            let mut moved = false;
            for i in 0..n {
                let current = community[i];
                for &(j, w) in &self.neighbours[i] {
                    let c = community[j];
                    if to_community[c] == 0.0 {
                        touched.push(c);
                    }
                    to_community[c] += w;
                }
                tot[current] -= strength[i];
                let gain = |c: usize| to_community[c] - tot[c] * strength[i] / total;
                let mut best = (current, gain(current));
                for &c in &touched {
                    let g = gain(c);
                    if g > best.1 + 1e-12 || ((g - best.1).abs() <= 1e-12 && c < best.0 && best.0 != current) {
                        best = (c, g);
                    }
                }
                tot[best.0] += strength[i];
                if best.0 != current {
                    community[i] = best.0;
                    moved = true;
                }
                for c in touched.drain(..) {
                    to_community[c] = 0.0;
                }
            }
            any |= moved;
            if !moved {
                break;
            }
        }
        any.then(|| {
            let mut number = HashMap::new();
            community
                .iter()
                .map(|c| {
                    let next = number.len();
                    *number.entry(*c).or_insert(next)
                })
                .collect()
        })
    }

    /// The graph of communities: weights between them summed, weights inside them as self-loops.
    fn aggregate(&self, community: &[usize]) -> Level {
        let k = community.iter().max().map_or(0, |m| m + 1);
        let mut between: Vec<HashMap<usize, f64>> = vec![HashMap::new(); k];
        let mut self_loops = vec![0.0; k];
        for (i, ns) in self.neighbours.iter().enumerate() {
            let ci = community[i];
            self_loops[ci] += self.self_loops[i];
            for &(j, w) in ns {
                let cj = community[j];
                if ci == cj {
                    // Each edge inside is met from both ends.
                    self_loops[ci] += w / 2.0;
                } else {
                    *between[ci].entry(cj).or_default() += w;
                }
            }
        }
        Level {
            neighbours: between
                .into_iter()
                .map(|m| {
                    let mut v: Vec<(usize, f64)> = m.into_iter().collect();
                    v.sort_by_key(|(c, _)| *c);
                    v
                })
                .collect(),
            self_loops,
        }
    }
}

/// Renumbers labels 0, 1, … from the largest group down (ties by first node).
fn number_by_size(labels: &[usize]) -> Vec<u32> {
    let mut size: HashMap<usize, (usize, usize)> = HashMap::new();
    for (i, l) in labels.iter().enumerate() {
        let e = size.entry(*l).or_insert((0, i));
        e.0 += 1;
    }
    let mut groups: Vec<(usize, (usize, usize))> = size.into_iter().collect();
    groups.sort_by(|a, b| b.1 .0.cmp(&a.1 .0).then(a.1 .1.cmp(&b.1 .1)));
    let rank: HashMap<usize, u32> = groups.iter().enumerate().map(|(r, (l, _))| (*l, r as u32)).collect();
    labels.iter().map(|l| rank[l]).collect()
}

/// One step of a chain: the edge taken and the node reached.
#[derive(Debug, Clone)]
pub struct Step {
    pub edge: EdgeIndex,
    pub node: NodeIndex,
}

/// The shortest chain from `from` to `to` (breadth-first, edges taken either way),
/// through nodes `keep` accepts; None when they are not connected.
pub fn shortest_path(
    net: &Network,
    from: NodeIndex,
    to: NodeIndex,
    keep: impl Fn(NodeIndex) -> bool,
) -> Option<Vec<Step>> {
    let adj = Adjacency::of(net, keep);
    let mut came: Vec<Option<(usize, EdgeIndex)>> = vec![None; adj.len()];
    let mut seen = vec![false; adj.len()];
    let mut queue = VecDeque::from([from.index()]);
    seen[from.index()] = true;
    while let Some(v) = queue.pop_front() {
        if v == to.index() {
            let mut steps = Vec::new();
            let mut at = v;
            while let Some((prev, edge)) = came[at] {
                steps.push(Step {
                    edge,
                    node: NodeIndex::new(at),
                });
                at = prev;
            }
            steps.reverse();
            return Some(steps);
        }
        for &(w, _, e) in &adj.neighbours[v] {
            if !seen[w] {
                seen[w] = true;
                came[w] = Some((v, e));
                queue.push_back(w);
            }
        }
    }
    None
}

/// The `top` nodes by PageRank as table rows, and a summary line.
pub fn ranking(net: &Network, top: usize) -> (Vec<String>, Vec<Vec<String>>, String) {
    let header = [
        "node",
        "type",
        "degree",
        "weighted",
        "pagerank",
        "betweenness",
        "component",
        "community",
    ]
    .map(String::from)
    .to_vec();
    let mut order: Vec<NodeIndex> = net.graph.node_indices().collect();
    order.sort_by(|a, b| {
        let (x, y) = (&net.graph[*a], &net.graph[*b]);
        y.measures
            .pagerank
            .total_cmp(&x.measures.pagerank)
            .then(x.id.cmp(&y.id))
    });
    let rows = order
        .iter()
        .take(top)
        .map(|n| {
            let node = &net.graph[*n];
            let m = &node.measures;
            vec![
                node.label.clone(),
                node.type_name().to_string(),
                m.degree.to_string(),
                m.weighted_degree.to_string(),
                format!("{:.4}", m.pagerank),
                format!("{:.4}", m.betweenness),
                m.component.to_string(),
                m.community.to_string(),
            ]
        })
        .collect();
    let count = |f: fn(&Measures) -> u32| net.graph.node_weights().map(|n| f(&n.measures) + 1).max().unwrap_or(0);
    let sampled = if net.graph.node_count() > EXACT_BETWEENNESS_NODES {
        format!(" (betweenness estimated from {BETWEENNESS_PIVOTS} pivots)")
    } else {
        String::new()
    };
    let summary = format!(
        "{} nodes, {} edges, {} components, {} communities{sampled}",
        net.graph.node_count(),
        net.graph.edge_count(),
        count(|m| m.component),
        count(|m| m.community)
    );
    (header, rows, summary)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::export::project::{Edge, EdgeType, Node};
    use petgraph::graph::DiGraph;

    fn network(n: usize, edges: &[(usize, usize)]) -> Network {
        let mut graph = DiGraph::new();
        let nodes: Vec<NodeIndex> = (0..n)
            .map(|i| {
                graph.add_node(Node {
                    id: format!("n{i}"),
                    ..Node::default()
                })
            })
            .collect();
        for &(a, b) in edges {
            graph.add_edge(
                nodes[a],
                nodes[b],
                Edge {
                    edge_type: EdgeType::Met,
                    label: "met".into(),
                    weight: 1,
                    first: None,
                    last: None,
                    evidence: Vec::new(),
                },
            );
        }
        Network { graph, analysed: false }
    }

    fn measures(net: &Network) -> Vec<Measures> {
        net.graph.node_weights().map(|n| n.measures.clone()).collect()
    }

    #[test]
    fn a_path_of_three_has_its_middle_on_every_shortest_path() {
        let mut net = network(3, &[(0, 1), (1, 2)]);
        analyse(&mut net);
        let m = measures(&net);
        assert_eq!(m.iter().map(|m| m.betweenness).collect::<Vec<_>>(), vec![0.0, 1.0, 0.0]);
        assert_eq!(m.iter().map(|m| m.degree).collect::<Vec<_>>(), vec![1, 2, 1]);
        assert!(m[1].pagerank > m[0].pagerank && (m[0].pagerank - m[2].pagerank).abs() < 1e-12);
        let total: f64 = m.iter().map(|m| m.pagerank).sum();
        assert!((total - 1.0).abs() < 1e-9);
    }

    #[test]
    fn betweenness_agrees_with_rustworkx() {
        let edges = [
            (0, 1),
            (0, 2),
            (1, 2),
            (2, 3),
            (3, 4),
            (4, 5),
            (4, 6),
            (5, 6),
            (6, 7),
            (1, 7),
            (8, 9),
        ];
        let mut net = network(10, &edges);
        analyse(&mut net);
        let ours: Vec<f64> = measures(&net).iter().map(|m| m.betweenness).collect();
        let undirected =
            petgraph::graph::UnGraph::<(), ()>::from_edges(edges.iter().map(|&(a, b)| (a as u32, b as u32)));
        let theirs = rustworkx_core::centrality::betweenness_centrality(&undirected, false, true, usize::MAX);
        for (a, b) in ours.iter().zip(theirs) {
            assert!((a - b.unwrap()).abs() < 1e-9, "{ours:?}");
        }
    }

    #[test]
    fn components_and_communities_are_numbered_by_size() {
        // Two triangles joined by one edge, and a separate pair.
        let mut net = network(8, &[(0, 1), (1, 2), (0, 2), (2, 3), (3, 4), (4, 5), (3, 5), (6, 7)]);
        analyse(&mut net);
        let m = measures(&net);
        assert_eq!(
            m.iter().map(|m| m.component).collect::<Vec<_>>(),
            vec![0, 0, 0, 0, 0, 0, 1, 1]
        );
        let c: Vec<u32> = m.iter().map(|m| m.community).collect();
        assert_eq!(c[0], c[1]);
        assert_eq!(c[1], c[2]);
        assert_eq!(c[3], c[4]);
        assert_eq!(c[4], c[5]);
        assert_ne!(c[0], c[3]);
        assert_eq!(c[6], c[7]);
        assert_ne!(c[6], c[0]);
    }

    #[test]
    fn shortest_paths_skip_nodes_not_kept() {
        let net = network(5, &[(0, 1), (1, 4), (0, 2), (2, 3), (3, 4)]);
        let via = |keep: fn(NodeIndex) -> bool| {
            shortest_path(&net, NodeIndex::new(0), NodeIndex::new(4), keep)
                .map(|s| s.iter().map(|s| s.node.index()).collect::<Vec<_>>())
        };
        assert_eq!(via(|_| true), Some(vec![1, 4]));
        assert_eq!(via(|n| n.index() != 1), Some(vec![2, 3, 4]));
        assert_eq!(via(|n| n.index() != 1 && n.index() != 3), None);
    }
}
