//! Facts to RDF quads exactly as GRAPH.md says: IRIs minted from canonical
//! keys, one named graph per edition, places with their ancestors in
//! `id:graph/gazetteer`.

use std::collections::BTreeSet;

use oxigraph::model::vocab::{rdf, rdfs, xsd};
use oxigraph::model::{GraphName, Literal, NamedNode, NamedOrBlankNode, Quad, Term};

use crate::extract::gazetteer::{Gazetteer, OrgClass, PlaceId};
use crate::extract::{EditionFacts, Event, Party, Post, Target};
use crate::text::{Article, EditionMeta};

pub const GX: &str = "https://w3id.org/guanxi/ns#";
pub const ID: &str = "https://w3id.org/guanxi/id/";
pub const SCHEMA: &str = "https://schema.org/";
pub const ORG: &str = "http://www.w3.org/ns/org#";
pub const PROV: &str = "http://www.w3.org/ns/prov#";
pub const NIF: &str = "http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#";
pub const ITSRDF: &str = "http://www.w3.org/2005/11/its/rdf#";
pub const GAZETTEER_GRAPH: &str = "https://w3id.org/guanxi/id/graph/gazetteer";

/// The prefixes of the contract, for queries and serialisations.
pub const PREFIXES: &[(&str, &str)] = &[
    ("gx", GX),
    ("id", ID),
    ("schema", SCHEMA),
    ("org", ORG),
    ("prov", PROV),
    ("nif", NIF),
    ("itsrdf", ITSRDF),
    ("rdf", "http://www.w3.org/1999/02/22-rdf-syntax-ns#"),
    ("rdfs", "http://www.w3.org/2000/01/rdf-schema#"),
    ("xsd", "http://www.w3.org/2001/XMLSchema#"),
    ("skos", "http://www.w3.org/2004/02/skos/core#"),
];

/// A key as an IRI path segment: characters IRIs forbid are percent-encoded,
/// Chinese stays as it is.
pub fn segment(key: &str) -> String {
    let mut out = String::with_capacity(key.len());
    for c in key.chars() {
        if c.is_whitespace() || c.is_control() || "<>\"{}|\\^`#?%/[]".contains(c) {
            let mut buf = [0u8; 4];
            for b in c.encode_utf8(&mut buf).bytes() {
                out.push_str(&format!("%{b:02X}"));
            }
        } else {
            out.push(c);
        }
    }
    out
}

fn node(iri: String) -> NamedNode {
    NamedNode::new_unchecked(iri)
}

fn term(ns: &str, local: &str) -> NamedNode {
    node(format!("{ns}{local}"))
}

pub fn place_iri(gaz: &Gazetteer, id: PlaceId) -> NamedNode {
    node(format!("{ID}place/{}", gaz.place(id).code))
}

pub fn person_iri(name: &str) -> NamedNode {
    node(format!("{ID}person/{}", segment(name)))
}

pub fn org_iri(name: &str) -> NamedNode {
    node(format!("{ID}org/{}", segment(name)))
}

pub fn post_iri(post: &Post) -> NamedNode {
    node(format!("{ID}post/{}", segment(&post.label)))
}

/// `id:edition/{paper}/{date or content hash prefix}[/{page}]`.
pub fn edition_iri(meta: &EditionMeta, sha256: &str) -> NamedNode {
    let paper = meta.paper.as_deref().unwrap_or("unknown");
    let when = meta.date.clone().unwrap_or_else(|| sha256[..12].to_string());
    let page = meta
        .page
        .as_ref()
        .map(|p| format!("/{}", segment(p)))
        .unwrap_or_default();
    node(format!("{ID}edition/{}/{}{page}", segment(paper), segment(&when)))
}

fn zh(s: &str) -> Term {
    Literal::new_language_tagged_literal_unchecked(s, "zh").into()
}

fn plain(s: &str) -> Term {
    Literal::new_simple_literal(s).into()
}

fn typed(s: &str, datatype: oxigraph::model::NamedNodeRef) -> Term {
    Literal::new_typed_literal(s, datatype).into()
}

fn integer(n: usize) -> Term {
    Literal::from(n as i64).into()
}

/// Collects quads for one named graph.
struct Graph {
    name: GraphName,
    quads: Vec<Quad>,
}

impl Graph {
    fn add(&mut self, s: &NamedNode, p: NamedNode, o: impl Into<Term>) {
        self.quads.push(Quad::new(
            NamedOrBlankNode::from(s.clone()),
            p,
            o.into(),
            self.name.clone(),
        ));
    }
}

/// Everything an edition contributes, ready for the store.
pub struct EditionQuads {
    pub edition: NamedNode,
    pub quads: Vec<Quad>,
    pub gazetteer: Vec<Quad>,
}

pub struct EditionInput<'a> {
    pub meta: &'a EditionMeta,
    pub file_name: &'a str,
    pub sha256: &'a str,
    pub articles: &'a [Article],
    pub facts: &'a EditionFacts,
}

pub fn edition_quads(gaz: &Gazetteer, input: &EditionInput) -> EditionQuads {
    let meta = input.meta;
    let edition = edition_iri(meta, input.sha256);
    let mut g = Graph {
        name: GraphName::NamedNode(edition.clone()),
        quads: Vec::new(),
    };
    let mut places: BTreeSet<PlaceId> = BTreeSet::new();

    let paper_name = meta.paper.as_deref().unwrap_or("unknown");
    let paper = node(format!("{ID}paper/{}", segment(paper_name)));
    g.add(&paper, rdf::TYPE.into(), term(SCHEMA, "Periodical"));
    g.add(&paper, term(SCHEMA, "name"), zh(paper_name));
    g.add(&edition, rdf::TYPE.into(), term(SCHEMA, "PublicationIssue"));
    g.add(&edition, term(SCHEMA, "isPartOf"), paper.clone());
    g.add(&edition, term(GX, "sourceFile"), plain(input.file_name));
    g.add(
        &edition,
        term(GX, "contentHash"),
        plain(&format!("sha256:{}", input.sha256)),
    );
    match (&meta.date, meta.year) {
        (Some(d), _) => g.add(&edition, term(SCHEMA, "datePublished"), typed(d, xsd::DATE)),
        (None, Some(y)) => g.add(
            &edition,
            term(SCHEMA, "datePublished"),
            typed(&y.to_string(), xsd::G_YEAR),
        ),
        _ => {}
    }
    if meta.date_inferred {
        g.add(&edition, term(GX, "dateInferred"), Literal::from(true));
    }
    if let Some(page) = &meta.page {
        g.add(&edition, term(SCHEMA, "pagination"), plain(page));
    }
    if let Some(home) = input.facts.home {
        g.add(&edition, term(SCHEMA, "spatialCoverage"), place_iri(gaz, home));
        places.insert(home);
    }

    for (article, facts) in input.articles.iter().zip(&input.facts.articles) {
        let a = node(format!("{}/article/{}", edition.as_str(), article.position));
        g.add(&a, rdf::TYPE.into(), term(SCHEMA, "NewsArticle"));
        g.add(&a, term(SCHEMA, "isPartOf"), edition.clone());
        g.add(&a, term(SCHEMA, "position"), integer(article.position));
        if let Some(h) = &article.headline {
            g.add(&a, term(SCHEMA, "headline"), zh(h));
        }
        if let Some(h) = &article.subheadline {
            g.add(&a, term(SCHEMA, "alternativeHeadline"), zh(h));
        }
        for by in &article.bylines {
            let p = person_iri(&crate::extract::canonical_name(&by.person));
            g.add(&a, term(SCHEMA, "author"), p);
            g.add(&a, term(GX, "bylineRole"), zh(&by.role));
        }
        if let Some(src) = &article.source {
            g.add(&a, term(SCHEMA, "sourceOrganization"), org_iri(src));
        }
        g.add(&a, term(SCHEMA, "text"), zh(&article.body.text));
        if let Some(d) = &meta.date {
            g.add(&a, term(SCHEMA, "datePublished"), typed(d, xsd::DATE));
        }

        let chars: Vec<char> = article.body.text.chars().collect();
        for m in &facts.mentions {
            let iri = node(format!("{}/mention/{}-{}", a.as_str(), m.begin, m.end));
            let target = match &m.target {
                Target::Person(n) => person_iri(n),
                Target::Place(id) => {
                    places.insert(*id);
                    place_iri(gaz, *id)
                }
                Target::Org(n) => org_iri(n),
            };
            g.add(&iri, rdf::TYPE.into(), term(GX, "Mention"));
            g.add(
                &iri,
                term(NIF, "anchorOf"),
                plain(&chars[m.begin..m.end].iter().collect::<String>()),
            );
            g.add(
                &iri,
                term(NIF, "beginIndex"),
                typed(&m.begin.to_string(), xsd::NON_NEGATIVE_INTEGER),
            );
            g.add(
                &iri,
                term(NIF, "endIndex"),
                typed(&m.end.to_string(), xsd::NON_NEGATIVE_INTEGER),
            );
            g.add(&iri, term(NIF, "referenceContext"), a.clone());
            g.add(&iri, term(ITSRDF, "taIdentRef"), target);
            g.add(
                &iri,
                term(GX, "sourceLine"),
                integer(article.body.line_at(m.begin) as usize),
            );
        }
        for name in facts.persons.iter().chain(article.bylines.iter().map(|b| &b.person)) {
            let name = crate::extract::canonical_name(name);
            let p = person_iri(&name);
            g.add(&p, rdf::TYPE.into(), term(SCHEMA, "Person"));
            g.add(&p, term(SCHEMA, "name"), zh(&name));
        }
        for o in &facts.orgs {
            let iri = org_iri(&o.name);
            g.add(&iri, rdf::TYPE.into(), term(ORG, "Organization"));
            let class = match o.class {
                OrgClass::Government => Some(term(GX, "Government")),
                OrgClass::PartyCommittee => Some(term(GX, "PartyCommittee")),
                OrgClass::Department => Some(term(GX, "Department")),
                OrgClass::Delegation => Some(term(GX, "Delegation")),
                OrgClass::Zone => Some(term(GX, "Zone")),
                OrgClass::Project => Some(term(GX, "Project")),
                OrgClass::Corporation => Some(term(SCHEMA, "Corporation")),
                OrgClass::NewsMedia => Some(term(SCHEMA, "NewsMediaOrganization")),
                OrgClass::Other => None,
            };
            if let Some(c) = class {
                g.add(&iri, rdf::TYPE.into(), c);
            }
            g.add(&iri, term(SCHEMA, "name"), zh(&o.name));
            if let Some(alt) = &o.alternate {
                g.add(&iri, term(SCHEMA, "alternateName"), zh(alt));
            }
            if let Some(p) = o.place {
                places.insert(p);
                let prop = if o.class == OrgClass::Delegation {
                    "from"
                } else {
                    "jurisdiction"
                };
                g.add(&iri, term(GX, prop), place_iri(gaz, p));
            }
            if let Some(parent) = &o.parent {
                g.add(&iri, term(ORG, "subOrganizationOf"), org_iri(parent));
            }
        }
        if let Some(src) = &article.source {
            let iri = org_iri(src);
            g.add(&iri, rdf::TYPE.into(), term(ORG, "Organization"));
            g.add(&iri, rdf::TYPE.into(), term(SCHEMA, "NewsMediaOrganization"));
            g.add(&iri, term(SCHEMA, "name"), zh(src));
        }
        for (n, h) in facts.holdings.iter().enumerate() {
            let post = post_iri(&h.post);
            add_post(gaz, &mut g, &mut places, &h.post);
            let person = person_iri(&h.person);
            g.add(&person, term(ORG, "holds"), post.clone());
            let iri = node(format!("{}/holding/{}", a.as_str(), n + 1));
            g.add(&iri, rdf::TYPE.into(), term(GX, "Holding"));
            g.add(&iri, term(ORG, "member"), person);
            g.add(&iri, term(GX, "post"), post);
            if let Some(d) = &meta.date {
                g.add(&iri, term(GX, "attestedOn"), typed(d, xsd::DATE));
            }
            g.add(&iri, term(PROV, "wasDerivedFrom"), a.clone());
            g.add(&iri, term(GX, "evidence"), zh(&h.evidence));
        }
        let event_iri = |n: usize| node(format!("{}/event/{}", a.as_str(), n + 1));
        for (n, e) in facts.events.iter().enumerate() {
            add_event(gaz, &mut g, &mut places, &event_iri(n), e, &a);
            for &sub in &e.sub_events {
                g.add(&event_iri(n), term(SCHEMA, "subEvent"), event_iri(sub));
            }
        }
        for (n, p) in facts.partnerships.iter().enumerate() {
            let iri = node(format!("{}/partnership/{}", a.as_str(), n + 1));
            g.add(&iri, rdf::TYPE.into(), term(GX, "Partnership"));
            for party in &p.partners {
                let t = party_term(gaz, &mut places, party);
                g.add(&iri, term(GX, "partner"), t);
            }
            if let Some(y) = &p.since {
                g.add(&iri, term(SCHEMA, "startDate"), typed(y, xsd::G_YEAR));
            }
            g.add(&iri, term(PROV, "wasDerivedFrom"), a.clone());
        }
    }
    EditionQuads {
        edition,
        quads: g.quads,
        gazetteer: gazetteer_quads(gaz, &places),
    }
}

fn add_post(gaz: &Gazetteer, g: &mut Graph, places: &mut BTreeSet<PlaceId>, post: &Post) {
    let iri = post_iri(post);
    g.add(&iri, rdf::TYPE.into(), term(ORG, "Post"));
    g.add(&iri, rdfs::LABEL.into(), zh(&post.label));
    g.add(&iri, term(GX, "title"), zh(&post.title));
    if let Some(j) = post.jurisdiction {
        places.insert(j);
        g.add(&iri, term(GX, "jurisdiction"), place_iri(gaz, j));
    }
    if let Some(org) = &post.org {
        g.add(&iri, term(ORG, "postIn"), org_iri(org));
    }
}

fn party_term(gaz: &Gazetteer, places: &mut BTreeSet<PlaceId>, party: &Party) -> NamedNode {
    match party {
        Party::Place(id) => {
            places.insert(*id);
            place_iri(gaz, *id)
        }
        Party::Org(name) => org_iri(name),
    }
}

fn add_event(
    gaz: &Gazetteer,
    g: &mut Graph,
    places: &mut BTreeSet<PlaceId>,
    iri: &NamedNode,
    e: &Event,
    article: &NamedNode,
) {
    g.add(iri, rdf::TYPE.into(), term(GX, e.kind.name()));
    g.add(iri, rdfs::LABEL.into(), zh(&e.label));
    g.add(iri, term(GX, "cameoCode"), plain(e.kind.cameo()));
    g.add(iri, term(PROV, "wasDerivedFrom"), article.clone());
    if let Some(d) = &e.start {
        g.add(iri, term(SCHEMA, "startDate"), typed(d, xsd::DATE));
    }
    if let Some(d) = &e.end {
        g.add(iri, term(SCHEMA, "endDate"), typed(d, xsd::DATE));
    }
    if let Some(d) = &e.delegation {
        g.add(iri, term(GX, "delegation"), org_iri(d));
    }
    for (role, name) in [("leader", &e.leader), ("chair", &e.chair), ("appointee", &e.appointee)] {
        if let Some(n) = name {
            g.add(iri, term(GX, role), person_iri(n));
        }
    }
    for &l in &e.locations {
        places.insert(l);
        g.add(iri, term(SCHEMA, "location"), place_iri(gaz, l));
    }
    for a in &e.attendees {
        g.add(iri, term(SCHEMA, "attendee"), person_iri(a));
    }
    for s in &e.sites {
        let t = party_term(gaz, places, s);
        g.add(iri, term(GX, "site"), t);
    }
    for p in &e.parties {
        let t = party_term(gaz, places, p);
        g.add(iri, term(GX, "party"), t);
    }
    if let Some(a) = &e.about {
        g.add(iri, term(SCHEMA, "about"), zh(a));
    }
    if let Some(b) = &e.appointed_by {
        g.add(iri, term(GX, "appointedBy"), org_iri(b));
    }
    for (prop, posts) in [("post", &e.posts), ("removedFrom", &e.removed)] {
        for p in posts {
            add_post(gaz, g, places, p);
            g.add(iri, term(GX, prop), post_iri(p));
        }
    }
}

/// Places with codes, levels, names and their whole chain of parents; and the
/// few schema statements GRAPH.md declares.
fn gazetteer_quads(gaz: &Gazetteer, mentioned: &BTreeSet<PlaceId>) -> Vec<Quad> {
    let mut g = Graph {
        name: GraphName::NamedNode(node(GAZETTEER_GRAPH.to_string())),
        quads: Vec::new(),
    };
    let mut all: BTreeSet<PlaceId> = BTreeSet::new();
    for &p in mentioned {
        all.extend(gaz.ancestry(p));
    }
    for id in all {
        let place = gaz.place(id);
        let iri = place_iri(gaz, id);
        g.add(&iri, rdf::TYPE.into(), term(SCHEMA, "AdministrativeArea"));
        g.add(&iri, term(SCHEMA, "name"), zh(&place.name));
        if let Some(s) = &place.short {
            g.add(&iri, term(SCHEMA, "alternateName"), zh(s));
        }
        g.add(&iri, term(GX, "divisionCode"), plain(&place.code));
        g.add(&iri, term(GX, "divisionLevel"), term(GX, place.level.class_name()));
        if let Some(parent) = place.parent {
            g.add(&iri, term(SCHEMA, "containedInPlace"), place_iri(gaz, parent));
        }
    }
    let sub = |g: &mut Graph, a: NamedNode, b: NamedNode| g.add(&a, rdfs::SUB_CLASS_OF.into(), b);
    sub(&mut g, term(GX, "Holding"), term(ORG, "Membership"));
    for kind in ["Visit", "Meeting", "Inspection", "Ceremony", "Signing", "Appointment"] {
        sub(&mut g, term(GX, kind), term(SCHEMA, "Event"));
    }
    g.add(
        &term(GX, "jurisdiction"),
        rdfs::SUB_PROPERTY_OF.into(),
        term(SCHEMA, "areaServed"),
    );
    g.quads
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn segments_keep_chinese_and_escape_the_rest() {
        assert_eq!(segment("王伟~清徐县"), "王伟~清徐县");
        assert_eq!(segment("A B/C"), "A%20B%2FC");
    }
}
