//! The one projection from RDF to a petgraph network: who held which post,
//! who met whom at which event, which places are partners, and so on, with
//! weights, dates and the articles that support each edge.
//!
//! The store is read with plain quad patterns (one index scan per class or
//! predicate, one lookup per record or node), never with property paths or
//! joins over the whole store, so the cost grows with the size of the graph.
//! Every record (holding, event, partnership) is read inside its own named
//! graph, so a statement held by several editions counts once per edition and
//! weights count events and articles, not duplicates.

use std::collections::{HashMap, HashSet};
use std::rc::Rc;

use oxigraph::model::vocab::{rdf, rdfs};
use oxigraph::model::{
    GraphName, GraphNameRef, Literal, NamedNode, NamedNodeRef, NamedOrBlankNode, NamedOrBlankNodeRef, Quad, Term,
    TermRef,
};
use oxigraph::store::Store;
use petgraph::graph::DiGraph;

use super::analytics::Measures;
use crate::error::{Error, Result};
use crate::graph::rdf::{GAZETTEER_GRAPH, GX, ID, ORG, SCHEMA};

/// What a node stands for; read from its IRI, which the contract mints per kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum NodeType {
    Person,
    Post,
    Organization,
    Place,
    Event,
}

impl NodeType {
    pub fn name(self) -> &'static str {
        match self {
            NodeType::Person => "Person",
            NodeType::Post => "Post",
            NodeType::Organization => "Organization",
            NodeType::Place => "Place",
            NodeType::Event => "Event",
        }
    }

    fn of(iri: &str) -> Option<NodeType> {
        let local = iri.strip_prefix(ID)?;
        Some(match local.split('/').next()? {
            "person" => NodeType::Person,
            "post" => NodeType::Post,
            "org" => NodeType::Organization,
            "place" => NodeType::Place,
            "edition" if local.contains("/event/") => NodeType::Event,
            _ => return None,
        })
    }
}

/// The relations an edge can stand for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum EdgeType {
    /// person → post, from each attestation (`gx:Holding`)
    Holds,
    /// post → organisation (`org:postIn`)
    PostIn,
    /// post or organisation → place (`gx:jurisdiction`)
    Jurisdiction,
    /// organisation → parent organisation (`org:subOrganizationOf`)
    PartOf,
    /// delegation → the place it comes from (`gx:from`)
    From,
    /// person or delegation → event, labelled with the role
    Attended,
    /// event → place (`schema:location`)
    HeldIn,
    /// event → organisation or place inspected (`gx:site`)
    Site,
    /// organisation or place → signing or ceremony (`gx:party`)
    Party,
    /// appointment → post given (`gx:post`)
    AppointedTo,
    /// appointment → post taken away (`gx:removedFrom`)
    RemovedFrom,
    /// person — person who took part in the same event
    Met,
    /// delegation (else its leader) → place visited
    Visited,
    /// place or organisation — partner (`gx:Partnership`)
    Partner,
    /// place → parent place (`schema:containedInPlace`)
    ContainedIn,
}

impl EdgeType {
    pub const ALL: [EdgeType; 15] = [
        EdgeType::Holds,
        EdgeType::PostIn,
        EdgeType::Jurisdiction,
        EdgeType::PartOf,
        EdgeType::From,
        EdgeType::Attended,
        EdgeType::HeldIn,
        EdgeType::Site,
        EdgeType::Party,
        EdgeType::AppointedTo,
        EdgeType::RemovedFrom,
        EdgeType::Met,
        EdgeType::Visited,
        EdgeType::Partner,
        EdgeType::ContainedIn,
    ];

    pub fn name(self) -> &'static str {
        match self {
            EdgeType::Holds => "holds",
            EdgeType::PostIn => "post-in",
            EdgeType::Jurisdiction => "jurisdiction",
            EdgeType::PartOf => "part-of",
            EdgeType::From => "from",
            EdgeType::Attended => "attended",
            EdgeType::HeldIn => "held-in",
            EdgeType::Site => "site",
            EdgeType::Party => "party",
            EdgeType::AppointedTo => "appointed-to",
            EdgeType::RemovedFrom => "removed-from",
            EdgeType::Met => "met",
            EdgeType::Visited => "visited",
            EdgeType::Partner => "partner",
            EdgeType::ContainedIn => "contained-in",
        }
    }
}

/// Which part of the graph to project.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum View {
    /// persons who met at the same event
    People,
    /// persons, their posts and the organisations the posts belong to
    PeopleOrgs,
    /// places: the division tree, partnerships, visits
    Places,
    /// every relation, events as nodes
    Full,
    /// persons, events and posts only: the chains `path` looks for
    Chain,
}

impl View {
    pub fn edge_types(self) -> &'static [EdgeType] {
        use EdgeType::*;
        match self {
            View::People => &[Met],
            View::PeopleOrgs => &[Holds, PostIn, PartOf, Met],
            View::Places => &[ContainedIn, Partner, Visited],
            View::Full => &EdgeType::ALL,
            View::Chain => &[Holds, Attended, AppointedTo, RemovedFrom],
        }
    }
}

/// An article cited as evidence.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Article {
    pub iri: String,
    pub headline: String,
}

/// A sentence (a holding's words, an event's label) and the article it is from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Evidence {
    pub text: Rc<str>,
    pub article: Rc<Article>,
}

/// A post a person holds, and the first and last date it is attested.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Held {
    pub post: String,
    pub first: Option<String>,
    pub last: Option<String>,
}

#[derive(Debug, Clone, Default)]
pub struct Node {
    /// The IRI.
    pub id: String,
    pub label: String,
    pub node_type: Option<NodeType>,
    /// The organisation's class, the event's kind, the post's title.
    pub kind: String,
    /// The place's division level.
    pub level: String,
    /// The place's division code.
    pub code: String,
    /// The posts a person holds (by the holdings in the projected range).
    pub posts: Vec<Held>,
    /// The words that attest a person's posts.
    pub evidence: Vec<Evidence>,
    /// The earliest and latest date of the node's edges and posts.
    pub first: Option<String>,
    pub last: Option<String>,
    pub measures: Measures,
}

impl Node {
    pub fn type_name(&self) -> &'static str {
        self.node_type.map_or("Thing", NodeType::name)
    }
}

#[derive(Debug, Clone)]
pub struct Edge {
    pub edge_type: EdgeType,
    pub label: String,
    /// How many records (events, holdings, partnerships, editions) support it.
    pub weight: u32,
    pub first: Option<String>,
    pub last: Option<String>,
    /// The first few pieces of evidence (at most [`MAX_EVIDENCE`]).
    pub evidence: Vec<Evidence>,
}

impl Edge {
    /// The distinct articles of the evidence kept.
    pub fn articles(&self) -> Vec<&Article> {
        let mut seen = HashSet::new();
        self.evidence
            .iter()
            .map(|e| e.article.as_ref())
            .filter(|a| seen.insert(&a.iri))
            .collect()
    }
}

/// Evidence kept per edge and per person: weights still count everything, but
/// a pair of people who met a thousand times need not carry a thousand sentences.
pub const MAX_EVIDENCE: usize = 5;

pub struct Network {
    pub graph: DiGraph<Node, Edge>,
    /// Whether [`Node::measures`] were computed.
    pub analysed: bool,
}

#[derive(Debug, Clone, Default)]
pub struct Filter {
    /// Inclusive ISO dates; an edge is kept for the records that fall in range.
    pub since: Option<String>,
    pub until: Option<String>,
    /// A place (name, short name, division code or IRI): only records about it
    /// or a place inside it.
    pub within: Option<String>,
    pub min_weight: u32,
}

fn iri(ns: &str, local: &str) -> NamedNode {
    NamedNode::new_unchecked(format!("{ns}{local}"))
}

/// A failure to read the store while projecting (the store itself was opened fine).
fn store_error(e: impl std::fmt::Display) -> Error {
    Error::Io(std::io::Error::other(format!("reading the store: {e}")))
}

fn quads<'a>(
    store: &'a Store,
    s: Option<NamedNodeRef<'_>>,
    p: Option<NamedNodeRef<'_>>,
    o: Option<TermRef<'_>>,
    g: Option<GraphNameRef<'_>>,
) -> impl Iterator<Item = Result<Quad>> + 'a {
    store
        .quads_for_pattern(s.map(NamedOrBlankNodeRef::from), p, o, g)
        .map(|q| q.map_err(store_error))
}

fn text(t: &Term) -> Option<&str> {
    match t {
        Term::NamedNode(n) => Some(n.as_str()),
        Term::Literal(l) => Some(l.value()),
        _ => None,
    }
}

fn local(iri: &str) -> &str {
    iri.rsplit(['#', '/']).next().unwrap_or(iri)
}

fn in_range(filter: &Filter, first: Option<&str>, last: Option<&str>) -> bool {
    if filter.since.is_none() && filter.until.is_none() {
        return true;
    }
    let (Some(first), Some(last)) = (first.or(last), last.or(first)) else {
        return false;
    };
    // gYear dates ("2022") compare correctly against full dates by prefix order.
    filter.since.as_deref().is_none_or(|s| last >= s)
        && filter
            .until
            .as_deref()
            .is_none_or(|u| first[..first.len().min(u.len())] <= *u)
}

/// One record's statements inside its graph, grouped by property local name.
struct Record {
    props: Vec<(String, String)>,
}

impl Record {
    fn read(store: &Store, s: NamedNodeRef<'_>, g: GraphNameRef<'_>) -> Result<Record> {
        let mut props = Vec::new();
        for q in quads(store, Some(s), None, None, Some(g)) {
            let q = q?;
            if let Some(v) = text(&q.object) {
                props.push((local(q.predicate.as_str()).to_string(), v.to_string()));
            }
        }
        Ok(Record { props })
    }

    fn all<'a>(&'a self, prop: &'a str) -> impl Iterator<Item = &'a str> + 'a {
        self.props
            .iter()
            .filter(move |(p, _)| p == prop)
            .map(|(_, v)| v.as_str())
    }

    fn one(&self, prop: &str) -> Option<&str> {
        self.props.iter().find(|(p, _)| p == prop).map(|(_, v)| v.as_str())
    }
}

struct Accumulated {
    edge: Edge,
    /// The last record counted, so a record that says the same thing twice
    /// (a leader also listed as attendee) weighs once.
    record: u64,
}

/// The projection's working state: nodes by IRI, edges by (source, target, type).
struct Builder<'a> {
    store: &'a Store,
    filter: &'a Filter,
    types: HashSet<EdgeType>,
    nodes: HashMap<String, u32>,
    node_iris: Vec<String>,
    edges: HashMap<(u32, u32, EdgeType), usize>,
    accumulated: Vec<Accumulated>,
    articles: HashMap<String, Rc<Article>>,
    labels: HashMap<String, Rc<str>>,
    persons: HashMap<String, (Vec<Held>, Vec<Evidence>)>,
    graph_dates: HashMap<String, String>,
    /// Places inside `--within` (itself included), when given.
    within: Option<HashSet<String>>,
    /// Post and organisation jurisdictions, for `--within`.
    jurisdictions: HashMap<String, String>,
    record: u64,
}

/// A relation seen in one record, before aggregation.
struct Occurrence<'r> {
    source: &'r str,
    target: &'r str,
    edge_type: EdgeType,
    label: &'r str,
}

/// Where and when a record happened and what it says, shared by its occurrences.
struct Context<'r> {
    /// Reference data (the division tree): no date filter applies to it.
    reference: bool,
    first: Option<&'r str>,
    last: Option<&'r str>,
    places: Vec<String>,
    evidence: Option<Evidence>,
}

impl<'a> Builder<'a> {
    fn wants(&self, t: EdgeType) -> bool {
        self.types.contains(&t)
    }

    fn node(&mut self, iri: &str) -> u32 {
        if let Some(&n) = self.nodes.get(iri) {
            return n;
        }
        let n = self.node_iris.len() as u32;
        self.nodes.insert(iri.to_string(), n);
        self.node_iris.push(iri.to_string());
        n
    }

    fn article(&mut self, article: &str) -> Result<Rc<Article>> {
        if let Some(a) = self.articles.get(article) {
            return Ok(a.clone());
        }
        let headline = self.literal(article, &iri(SCHEMA, "headline"))?.unwrap_or_default();
        let a = Rc::new(Article {
            iri: article.to_string(),
            headline,
        });
        self.articles.insert(article.to_string(), a.clone());
        Ok(a)
    }

    fn literal(&self, s: &str, p: &NamedNode) -> Result<Option<String>> {
        let s = NamedNode::new_unchecked(s);
        for q in quads(self.store, Some(s.as_ref()), Some(p.as_ref()), None, None) {
            if let Some(v) = text(&q?.object) {
                return Ok(Some(v.to_string()));
            }
        }
        Ok(None)
    }

    /// A post's or event's `rdfs:label`, cached: evidence for every edge of an event shares it.
    fn label(&mut self, iri: &str) -> Result<Rc<str>> {
        if let Some(l) = self.labels.get(iri) {
            return Ok(l.clone());
        }
        let l: Rc<str> = self
            .literal(iri, &rdfs::LABEL.into_owned())?
            .unwrap_or_else(|| local(iri).to_string())
            .into();
        self.labels.insert(iri.to_string(), l.clone());
        Ok(l)
    }

    fn is_within(&self, ctx: &Context) -> bool {
        match &self.within {
            None => true,
            Some(inside) => ctx.places.iter().any(|p| inside.contains(p)),
        }
    }

    /// Counts one record's occurrences, if the record passes the filters.
    fn add(&mut self, ctx: &Context, occurrences: &[Occurrence]) -> bool {
        if !(ctx.reference || in_range(self.filter, ctx.first, ctx.last)) || !self.is_within(ctx) {
            return false;
        }
        self.record += 1;
        for o in occurrences {
            if !self.types.contains(&o.edge_type) {
                continue;
            }
            let (s, t) = (self.node(o.source), self.node(o.target));
            let key = (s, t, o.edge_type);
            let n = *self.edges.entry(key).or_insert_with(|| {
                self.accumulated.push(Accumulated {
                    edge: Edge {
                        edge_type: o.edge_type,
                        label: o.label.to_string(),
                        weight: 0,
                        first: None,
                        last: None,
                        evidence: Vec::new(),
                    },
                    record: 0,
                });
                self.accumulated.len() - 1
            });
            let acc = &mut self.accumulated[n];
            if acc.record == self.record {
                continue;
            }
            acc.record = self.record;
            let e = &mut acc.edge;
            e.weight += 1;
            widen(&mut e.first, &mut e.last, ctx.first, ctx.last);
            if let Some(ev) = &ctx.evidence {
                if e.evidence.len() < MAX_EVIDENCE && !e.evidence.contains(ev) {
                    e.evidence.push(ev.clone());
                }
            }
        }
        true
    }

    fn graph_date(&self, g: &str) -> Option<&str> {
        self.graph_dates.get(g).map(String::as_str)
    }

    fn holding(&mut self, r: &Record, g: &str) -> Result<()> {
        let (Some(person), Some(post)) = (r.one("member"), r.one("post")) else {
            return Ok(());
        };
        let date = r.one("attestedOn").or(self.graph_date(g)).map(str::to_string);
        let evidence = match (r.one("evidence"), r.one("wasDerivedFrom")) {
            (Some(t), Some(a)) => Some(Evidence {
                text: t.into(),
                article: self.article(a)?,
            }),
            _ => None,
        };
        let places: Vec<String> = self.jurisdictions.get(post).cloned().into_iter().collect();
        let ctx = Context {
            reference: false,
            first: date.as_deref(),
            last: date.as_deref(),
            places,
            evidence: evidence.clone(),
        };
        let counted = self.add(
            &ctx,
            &[Occurrence {
                source: person,
                target: post,
                edge_type: EdgeType::Holds,
                label: "holds",
            }],
        );
        if counted {
            let label = self.label(post)?;
            let (posts, said) = self.persons.entry(person.to_string()).or_default();
            let held = match posts.iter_mut().position(|p| *p.post == *label) {
                Some(n) => &mut posts[n],
                None => {
                    posts.push(Held {
                        post: label.to_string(),
                        first: None,
                        last: None,
                    });
                    posts.last_mut().expect("just pushed")
                }
            };
            widen(&mut held.first, &mut held.last, date.as_deref(), date.as_deref());
            if let Some(ev) = evidence {
                if said.len() < 2 * MAX_EVIDENCE && !said.contains(&ev) {
                    said.push(ev);
                }
            }
        }
        Ok(())
    }

    fn event(&mut self, event: &str, kind: &str, r: &Record, g: &str) -> Result<()> {
        let date = self.graph_date(g).map(str::to_string);
        let first = r.one("startDate").or(date.as_deref()).map(str::to_string);
        let last = r.one("endDate").or(first.as_deref()).map(str::to_string);
        let evidence = match r.one("wasDerivedFrom") {
            Some(a) => Some(Evidence {
                text: self.label(event)?,
                article: self.article(a)?,
            }),
            None => None,
        };
        let is_place = |x: &&str| NodeType::of(x) == Some(NodeType::Place);
        let places: Vec<String> = r
            .all("location")
            .chain(r.all("site").filter(is_place))
            .chain(r.all("party").filter(is_place))
            .map(str::to_string)
            .collect();
        let mut occurrences = Vec::new();
        let mut participants: Vec<&str> = Vec::new();
        for role in ["leader", "chair", "appointee", "attendee"] {
            for p in r.all(role) {
                occurrences.push(Occurrence {
                    source: p,
                    target: event,
                    edge_type: EdgeType::Attended,
                    label: role,
                });
                if !participants.contains(&p) {
                    participants.push(p);
                }
            }
        }
        for d in r.all("delegation") {
            occurrences.push(Occurrence {
                source: d,
                target: event,
                edge_type: EdgeType::Attended,
                label: "delegation",
            });
        }
        let outgoing = [
            ("location", EdgeType::HeldIn),
            ("site", EdgeType::Site),
            ("post", EdgeType::AppointedTo),
            ("removedFrom", EdgeType::RemovedFrom),
        ];
        for (prop, edge_type) in outgoing {
            for x in r.all(prop) {
                occurrences.push(Occurrence {
                    source: event,
                    target: x,
                    edge_type,
                    label: edge_type.name(),
                });
            }
        }
        for x in r.all("party") {
            occurrences.push(Occurrence {
                source: x,
                target: event,
                edge_type: EdgeType::Party,
                label: "party",
            });
        }
        if self.wants(EdgeType::Met) {
            participants.sort_unstable();
            for (i, a) in participants.iter().enumerate() {
                for b in &participants[i + 1..] {
                    occurrences.push(Occurrence {
                        source: a,
                        target: b,
                        edge_type: EdgeType::Met,
                        label: "met",
                    });
                }
            }
        }
        if kind == "Visit" {
            let visitors: Vec<&str> = match r.one("delegation") {
                Some(d) => vec![d],
                None => r.all("leader").collect(),
            };
            for v in visitors {
                for place in r.all("location") {
                    occurrences.push(Occurrence {
                        source: v,
                        target: place,
                        edge_type: EdgeType::Visited,
                        label: "visited",
                    });
                }
            }
        }
        let ctx = Context {
            reference: false,
            first: first.as_deref(),
            last: last.as_deref(),
            places,
            evidence,
        };
        self.add(&ctx, &occurrences);
        Ok(())
    }

    fn partnership(&mut self, r: &Record, g: &str) -> Result<()> {
        let date = self.graph_date(g).map(str::to_string);
        let mut partners: Vec<&str> = r.all("partner").collect();
        partners.sort_unstable();
        partners.dedup();
        let label = r
            .one("startDate")
            .map_or_else(|| "partner".to_string(), |y| format!("partner since {y}"));
        let evidence = match r.one("wasDerivedFrom") {
            Some(a) => {
                let article = self.article(a)?;
                let names: Vec<String> = partners.iter().map(|p| self.name(p)).collect::<Result<_>>()?;
                Some(Evidence {
                    text: format!("{}: {label}", names.join("、")).into(),
                    article,
                })
            }
            None => None,
        };
        let places: Vec<String> = partners
            .iter()
            .flat_map(|p| [Some(p.to_string()), self.jurisdictions.get(*p).cloned()])
            .flatten()
            .collect();
        let mut occurrences = Vec::new();
        for (i, a) in partners.iter().enumerate() {
            for b in &partners[i + 1..] {
                occurrences.push(Occurrence {
                    source: a,
                    target: b,
                    edge_type: EdgeType::Partner,
                    label: &label,
                });
            }
        }
        let ctx = Context {
            reference: false,
            first: date.as_deref(),
            last: date.as_deref(),
            places,
            evidence,
        };
        self.add(&ctx, &occurrences);
        Ok(())
    }

    /// A person's, organisation's or place's `schema:name`, else the post's or event's label.
    fn name(&mut self, entity: &str) -> Result<String> {
        match self.literal(entity, &iri(SCHEMA, "name"))? {
            Some(n) => Ok(n),
            None => Ok(self.label(entity)?.to_string()),
        }
    }

    /// Standing statements about entities (`org:postIn` …): one record per edition that says it.
    fn standing(&mut self, predicate: NamedNode, edge_type: EdgeType) -> Result<()> {
        if !self.wants(edge_type) {
            return Ok(());
        }
        for q in quads(self.store, None, Some(predicate.as_ref()), None, None) {
            let q = q?;
            let (Some(target), GraphName::NamedNode(g)) = (text(&q.object), &q.graph_name) else {
                continue;
            };
            let NamedOrBlankNode::NamedNode(source) = &q.subject else {
                continue;
            };
            let source = source.as_str();
            let reference = g.as_str() == GAZETTEER_GRAPH;
            let date = if reference {
                None
            } else {
                self.graph_date(g.as_str()).map(str::to_string)
            };
            let mut places = vec![source.to_string(), target.to_string()];
            places.extend(self.jurisdictions.get(source).cloned());
            // The division tree is reference data: within a place means its
            // descendants, and no date filter applies to it.
            let ctx = Context {
                first: date.as_deref(),
                last: date.as_deref(),
                reference,
                places: if edge_type == EdgeType::ContainedIn {
                    vec![source.to_string()]
                } else {
                    places
                },
                evidence: None,
            };
            let occurrence = Occurrence {
                source,
                target,
                edge_type,
                label: edge_type.name(),
            };
            self.add(&ctx, &[occurrence]);
        }
        Ok(())
    }
}

fn widen(first: &mut Option<String>, last: &mut Option<String>, from: Option<&str>, to: Option<&str>) {
    if let Some(f) = from {
        if first.as_deref().is_none_or(|x| f < x) {
            *first = Some(f.to_string());
        }
    }
    if let Some(t) = to.or(from) {
        if last.as_deref().is_none_or(|x| t > x) {
            *last = Some(t.to_string());
        }
    }
}

/// Reads the view of the store that `view` and `filter` select.
pub fn project(store: &Store, view: View, filter: &Filter) -> Result<Network> {
    let mut b = Builder {
        store,
        filter,
        types: view.edge_types().iter().copied().collect(),
        nodes: HashMap::new(),
        node_iris: Vec::new(),
        edges: HashMap::new(),
        accumulated: Vec::new(),
        articles: HashMap::new(),
        labels: HashMap::new(),
        persons: HashMap::new(),
        graph_dates: HashMap::new(),
        within: None,
        jurisdictions: HashMap::new(),
        record: 0,
    };
    for q in quads(store, None, Some(iri(SCHEMA, "datePublished").as_ref()), None, None) {
        let q = q?;
        if let (NamedOrBlankNode::NamedNode(s), GraphName::NamedNode(g), Some(d)) =
            (&q.subject, &q.graph_name, text(&q.object))
        {
            if s == g {
                b.graph_dates.insert(g.as_str().to_string(), d.to_string());
            }
        }
    }
    if let Some(place) = &filter.within {
        b.within = Some(places_within(store, place)?);
        for p in [iri(GX, "jurisdiction"), iri(GX, "from")] {
            for q in quads(store, None, Some(p.as_ref()), None, None) {
                let q = q?;
                if let (NamedOrBlankNode::NamedNode(s), Some(o)) = (&q.subject, text(&q.object)) {
                    b.jurisdictions
                        .entry(s.as_str().to_string())
                        .or_insert_with(|| o.to_string());
                }
            }
        }
    }

    let typed = |class: NamedNode| -> Result<Vec<(NamedNode, GraphName)>> {
        quads(store, None, Some(rdf::TYPE), Some(class.as_ref().into()), None)
            .filter_map(|q| match q {
                Ok(Quad {
                    subject: NamedOrBlankNode::NamedNode(s),
                    graph_name,
                    ..
                }) => Some(Ok((s, graph_name))),
                Ok(_) => None,
                Err(e) => Some(Err(e)),
            })
            .collect()
    };
    // Holdings always: they give persons their posts, whatever the view.
    for (s, g) in typed(iri(GX, "Holding"))? {
        let r = Record::read(store, s.as_ref(), g.as_ref())?;
        b.holding(&r, &graph_key(&g))?;
    }
    use EdgeType::*;
    let event_types = [Attended, HeldIn, Site, Party, AppointedTo, RemovedFrom, Met, Visited];
    if event_types.iter().any(|t| b.wants(*t)) {
        // The event classes are those the reference graph declares subclasses of schema:Event.
        let mut classes: Vec<NamedNode> = quads(
            store,
            None,
            Some(rdfs::SUB_CLASS_OF),
            Some(iri(SCHEMA, "Event").as_ref().into()),
            None,
        )
        .filter_map(|q| match q {
            Ok(Quad {
                subject: NamedOrBlankNode::NamedNode(s),
                ..
            }) => Some(Ok(s)),
            Ok(_) => None,
            Err(e) => Some(Err(e)),
        })
        .collect::<Result<HashSet<_>>>()?
        .into_iter()
        .collect();
        classes.sort();
        for class in classes {
            for (s, g) in typed(class.clone())? {
                let r = Record::read(store, s.as_ref(), g.as_ref())?;
                b.event(s.as_str(), local(class.as_str()), &r, &graph_key(&g))?;
            }
        }
    }
    if b.wants(Partner) {
        for (s, g) in typed(iri(GX, "Partnership"))? {
            let r = Record::read(store, s.as_ref(), g.as_ref())?;
            b.partnership(&r, &graph_key(&g))?;
        }
    }
    b.standing(iri(ORG, "postIn"), PostIn)?;
    b.standing(iri(GX, "jurisdiction"), Jurisdiction)?;
    b.standing(iri(ORG, "subOrganizationOf"), PartOf)?;
    b.standing(iri(GX, "from"), From)?;
    b.standing(iri(SCHEMA, "containedInPlace"), ContainedIn)?;
    b.finish()
}

fn graph_key(g: &GraphName) -> String {
    match g {
        GraphName::NamedNode(n) => n.as_str().to_string(),
        _ => String::new(),
    }
}

/// `place` (a name, short name, division code or IRI) and every place inside it, by the division tree.
fn places_within(store: &Store, place: &str) -> Result<HashSet<String>> {
    let gazetteer = NamedNode::new_unchecked(GAZETTEER_GRAPH);
    let in_gazetteer = Some(GraphNameRef::NamedNode(gazetteer.as_ref()));
    let mut roots = HashSet::new();
    let candidates: [(NamedNode, Term); 4] = [
        (
            iri(SCHEMA, "name"),
            Literal::new_language_tagged_literal_unchecked(place, "zh").into(),
        ),
        (
            iri(SCHEMA, "alternateName"),
            Literal::new_language_tagged_literal_unchecked(place, "zh").into(),
        ),
        (iri(GX, "divisionCode"), Literal::new_simple_literal(place).into()),
        (
            iri(GX, "divisionCode"),
            Literal::new_simple_literal(place.trim_start_matches(&format!("{ID}place/"))).into(),
        ),
    ];
    for (p, o) in &candidates {
        for q in quads(store, None, Some(p.as_ref()), Some(o.as_ref()), in_gazetteer) {
            if let NamedOrBlankNode::NamedNode(s) = q?.subject {
                roots.insert(s.as_str().to_string());
            }
        }
    }
    if roots.is_empty() {
        return Err(Error::Usage(format!("--within {place:?}: no such place in the store")));
    }
    let mut children: HashMap<String, Vec<String>> = HashMap::new();
    for q in quads(
        store,
        None,
        Some(iri(SCHEMA, "containedInPlace").as_ref()),
        None,
        in_gazetteer,
    ) {
        let q = q?;
        if let (NamedOrBlankNode::NamedNode(s), Some(parent)) = (&q.subject, text(&q.object)) {
            children
                .entry(parent.to_string())
                .or_default()
                .push(s.as_str().to_string());
        }
    }
    let mut inside = HashSet::new();
    let mut todo: Vec<String> = roots.into_iter().collect();
    while let Some(p) = todo.pop() {
        if inside.insert(p.clone()) {
            todo.extend(children.get(&p).into_iter().flatten().cloned());
        }
    }
    Ok(inside)
}

impl Builder<'_> {
    /// Drops edges below `--min-weight`, keeps the nodes the remaining edges
    /// join, and reads each node's name, kind and attributes.
    fn finish(mut self) -> Result<Network> {
        let mut graph = DiGraph::new();
        let mut index: HashMap<u32, petgraph::graph::NodeIndex> = HashMap::new();
        let accumulated = std::mem::take(&mut self.accumulated);
        let keys: Vec<(u32, u32)> = {
            let mut by_index: Vec<((u32, u32), usize)> = self.edges.iter().map(|(k, &n)| ((k.0, k.1), n)).collect();
            by_index.sort_unstable_by_key(|(_, n)| *n);
            by_index.into_iter().map(|(k, _)| k).collect()
        };
        for ((s, t), acc) in keys.into_iter().zip(accumulated) {
            if acc.edge.weight < self.filter.min_weight.max(1) {
                continue;
            }
            let mut ends = [s, t].map(|n| {
                *index.entry(n).or_insert_with(|| {
                    graph.add_node(Node {
                        id: self.node_iris[n as usize].clone(),
                        ..Node::default()
                    })
                })
            });
            let e = acc.edge;
            for end in &mut ends {
                let node = &mut graph[*end];
                widen(&mut node.first, &mut node.last, e.first.as_deref(), e.last.as_deref());
            }
            graph.add_edge(ends[0], ends[1], e);
        }
        for node in graph.node_weights_mut() {
            self.describe(node)?;
        }
        Ok(Network { graph, analysed: false })
    }

    /// A node's name and attributes, each read with its own lookup that stops at
    /// the first answer: a person named in a thousand editions is read once, not a thousand times.
    fn describe(&mut self, node: &mut Node) -> Result<()> {
        node.node_type = NodeType::of(&node.id);
        let id = node.id.as_str();
        node.label = match self.literal(id, &iri(SCHEMA, "name"))? {
            Some(name) => name,
            None => self.label(id)?.to_string(),
        };
        match node.node_type {
            Some(NodeType::Place) => {
                node.code = self.literal(id, &iri(GX, "divisionCode"))?.unwrap_or_default();
                node.level = self
                    .literal(id, &iri(GX, "divisionLevel"))?
                    .map(|l| local(&l).to_string())
                    .unwrap_or_default();
            }
            Some(NodeType::Post) => node.kind = self.literal(id, &iri(GX, "title"))?.unwrap_or_default(),
            Some(NodeType::Organization | NodeType::Event) => {
                // The class besides org:Organization: a delegation, a government, a visit …
                let s = NamedNode::new_unchecked(id);
                let mut classes = HashSet::new();
                for q in quads(self.store, Some(s.as_ref()), Some(rdf::TYPE), None, None) {
                    if let Some(c) = text(&q?.object) {
                        classes.insert(local(c).to_string());
                    }
                }
                node.kind = classes
                    .into_iter()
                    .filter(|c| c != "Organization")
                    .min()
                    .unwrap_or_default();
            }
            _ => {}
        }
        if let Some((posts, evidence)) = self.persons.remove(&node.id) {
            for held in &posts {
                widen(
                    &mut node.first,
                    &mut node.last,
                    held.first.as_deref(),
                    held.last.as_deref(),
                );
            }
            node.posts = posts;
            node.evidence = evidence;
        }
        Ok(())
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use oxigraph::io::RdfFormat;

    /// Two editions: a visit with a leader and two attendees (and a second
    /// meeting of two of them), a holding, a partnership; places in the reference graph.
    pub(crate) const TINY: &str = r#"
@prefix gx: <https://w3id.org/guanxi/ns#> . @prefix schema: <https://schema.org/> .
@prefix org: <http://www.w3.org/ns/org#> . @prefix prov: <http://www.w3.org/ns/prov#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix id: <https://w3id.org/guanxi/id/> .
id:graph\/gazetteer {
  gx:Visit rdfs:subClassOf schema:Event . gx:Meeting rdfs:subClassOf schema:Event .
  id:place\/1 schema:name "甲省"@zh ; gx:divisionCode "1" ; gx:divisionLevel gx:Province .
  id:place\/11 schema:name "乙县"@zh ; schema:alternateName "乙"@zh ; gx:divisionCode "11" ; gx:divisionLevel gx:County ; schema:containedInPlace id:place\/1 .
  id:place\/2 schema:name "丙市"@zh ; gx:divisionCode "2" ; gx:divisionLevel gx:Prefecture .
}
id:edition\/p\/2023-01-05 {
  id:edition\/p\/2023-01-05 a schema:PublicationIssue ; schema:datePublished "2023-01-05"^^<http://www.w3.org/2001/XMLSchema#date> .
  id:edition\/p\/2023-01-05\/article\/1 a schema:NewsArticle ; schema:headline "甲团访乙"@zh .
  id:person\/张一 a schema:Person ; schema:name "张一"@zh .
  id:person\/李二 a schema:Person ; schema:name "李二"@zh .
  id:person\/王三 a schema:Person ; schema:name "王三"@zh .
  id:post\/乙县县长 a org:Post ; rdfs:label "乙县县长"@zh ; gx:title "县长"@zh ; gx:jurisdiction id:place\/11 .
  id:edition\/p\/2023-01-05\/article\/1\/holding\/1 a gx:Holding ; org:member id:person\/李二 ; gx:post id:post\/乙县县长 ;
     gx:attestedOn "2023-01-05" ; prov:wasDerivedFrom id:edition\/p\/2023-01-05\/article\/1 ; gx:evidence "乙县县长李二"@zh .
  id:edition\/p\/2023-01-05\/article\/1\/event\/1 a gx:Visit ; rdfs:label "甲团赴乙县"@zh ; schema:startDate "2023-01-02" ; schema:endDate "2023-01-03" ;
     gx:leader id:person\/张一 ; schema:attendee id:person\/张一 , id:person\/李二 , id:person\/王三 ; schema:location id:place\/11 ;
     gx:delegation id:org\/甲团 ; prov:wasDerivedFrom id:edition\/p\/2023-01-05\/article\/1 .
  id:org\/甲团 a <http://www.w3.org/ns/org#Organization> , gx:Delegation ; schema:name "甲团"@zh ; gx:from id:place\/2 .
  id:edition\/p\/2023-01-05\/article\/1\/partnership\/1 a gx:Partnership ; gx:partner id:place\/2 , id:place\/11 ;
     schema:startDate "2018" ; prov:wasDerivedFrom id:edition\/p\/2023-01-05\/article\/1 .
}
id:edition\/p\/2023-06-01 {
  id:edition\/p\/2023-06-01 a schema:PublicationIssue ; schema:datePublished "2023-06-01" .
  id:edition\/p\/2023-06-01\/article\/1 a schema:NewsArticle ; schema:headline "丙市座谈"@zh .
  id:person\/张一 a schema:Person ; schema:name "张一"@zh .
  id:person\/李二 a schema:Person ; schema:name "李二"@zh .
  id:edition\/p\/2023-06-01\/article\/1\/event\/1 a gx:Meeting ; rdfs:label "丙市座谈会"@zh ;
     gx:chair id:person\/张一 ; schema:attendee id:person\/李二 ; schema:location id:place\/2 ;
     prov:wasDerivedFrom id:edition\/p\/2023-06-01\/article\/1 .
}
"#;

    pub(crate) fn tiny() -> Store {
        let store = Store::new().unwrap();
        store.load_from_slice(RdfFormat::TriG, TINY.as_bytes()).unwrap();
        store
    }

    fn edges(net: &Network) -> Vec<(String, String, &'static str, u32)> {
        let mut v: Vec<_> = net
            .graph
            .edge_indices()
            .map(|e| {
                let (s, t) = net.graph.edge_endpoints(e).unwrap();
                let edge = &net.graph[e];
                (
                    net.graph[s].label.clone(),
                    net.graph[t].label.clone(),
                    edge.edge_type.name(),
                    edge.weight,
                )
            })
            .collect();
        v.sort();
        v
    }

    fn people(filter: Filter) -> Vec<(String, String, &'static str, u32)> {
        edges(&project(&tiny(), View::People, &filter).unwrap())
    }

    #[test]
    fn people_who_attend_the_same_event_meet_once_per_event() {
        let met = people(Filter::default());
        assert_eq!(
            met,
            vec![
                ("张一".into(), "李二".into(), "met", 2),
                ("张一".into(), "王三".into(), "met", 1),
                ("李二".into(), "王三".into(), "met", 1),
            ]
        );
    }

    #[test]
    fn nodes_carry_posts_evidence_and_dates() {
        let net = project(&tiny(), View::People, &Filter::default()).unwrap();
        let li = net.graph.node_weights().find(|n| n.label == "李二").unwrap();
        assert_eq!(li.node_type, Some(NodeType::Person));
        assert_eq!(
            li.posts,
            vec![Held {
                post: "乙县县长".into(),
                first: Some("2023-01-05".into()),
                last: Some("2023-01-05".into())
            }]
        );
        assert_eq!(&*li.evidence[0].text, "乙县县长李二");
        assert_eq!(li.evidence[0].article.headline, "甲团访乙");
        assert_eq!(
            (li.first.as_deref(), li.last.as_deref()),
            (Some("2023-01-02"), Some("2023-06-01"))
        );
        let e = net.graph.edge_weights().find(|e| e.weight == 2).unwrap();
        assert_eq!(e.articles().len(), 2);
        let mut said: Vec<&str> = e.evidence.iter().map(|ev| &*ev.text).collect();
        said.sort();
        assert_eq!(said, ["丙市座谈会", "甲团赴乙县"]);
    }

    #[test]
    fn dates_places_and_weights_filter_the_records() {
        let since = Filter {
            since: Some("2023-02-01".into()),
            ..Filter::default()
        };
        assert_eq!(people(since), vec![("张一".into(), "李二".into(), "met", 1)]);
        let until = Filter {
            until: Some("2023-01-02".into()),
            ..Filter::default()
        };
        assert_eq!(people(until).len(), 3);
        // The visit was in 乙县, inside 甲省; the meeting in 丙市, outside it.
        let within = Filter {
            within: Some("甲省".into()),
            ..Filter::default()
        };
        assert_eq!(people(within).iter().map(|e| e.3).sum::<u32>(), 3);
        let heavy = Filter {
            min_weight: 2,
            ..Filter::default()
        };
        assert_eq!(people(heavy).len(), 1);
        let nowhere = Filter {
            within: Some("无此地".into()),
            ..Filter::default()
        };
        assert!(matches!(project(&tiny(), View::People, &nowhere), Err(Error::Usage(_))));
    }

    #[test]
    fn places_view_has_the_tree_partnerships_and_visits() {
        let net = project(&tiny(), View::Places, &Filter::default()).unwrap();
        let e = edges(&net);
        assert!(e.contains(&("乙县".into(), "甲省".into(), "contained-in", 1)), "{e:?}");
        assert!(e.contains(&("甲团".into(), "乙县".into(), "visited", 1)), "{e:?}");
        let partner = net
            .graph
            .edge_weights()
            .find(|e| e.edge_type == EdgeType::Partner)
            .unwrap();
        assert_eq!(partner.label, "partner since 2018");
        let county = net.graph.node_weights().find(|n| n.label == "乙县").unwrap();
        assert_eq!((county.code.as_str(), county.level.as_str()), ("11", "County"));
        let delegation = net.graph.node_weights().find(|n| n.label == "甲团").unwrap();
        assert_eq!(delegation.kind, "Delegation");
    }

    #[test]
    fn full_view_has_events_as_nodes_with_roles() {
        let net = project(&tiny(), View::Full, &Filter::default()).unwrap();
        let e = edges(&net);
        for expected in [
            ("张一", "甲团赴乙县", "attended"),
            ("甲团", "甲团赴乙县", "attended"),
            ("甲团赴乙县", "乙县", "held-in"),
            ("李二", "乙县县长", "holds"),
            ("乙县县长", "乙县", "jurisdiction"),
            ("甲团", "丙市", "from"),
        ] {
            assert!(
                e.iter().any(|(s, t, ty, _)| (s.as_str(), t.as_str(), *ty) == expected),
                "{expected:?} in {e:?}"
            );
        }
        // The leader is also listed as attendee: one edge, counted once.
        let led = net
            .graph
            .edge_indices()
            .filter(|x| {
                let (s, t) = net.graph.edge_endpoints(*x).unwrap();
                net.graph[s].label == "张一" && net.graph[t].label == "甲团赴乙县"
            })
            .map(|x| net.graph[x].weight)
            .collect::<Vec<_>>();
        assert_eq!(led, vec![1]);
        let visit = net.graph.node_weights().find(|n| n.label == "甲团赴乙县").unwrap();
        assert_eq!(visit.kind, "Visit");
    }
}
