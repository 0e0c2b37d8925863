//! The SPARQL 1.1 Protocol's request shapes and content negotiation, apart from
//! any socket: what a GET or POST asks for, and which media type answers it.

use oxigraph::model::NamedNode;

use super::Problem;
use crate::graph::query::{Format, QueryOptions, ResultsKind};

/// What a request to `/sparql` asks for.
#[derive(Debug)]
pub enum Operation {
    Query { sparql: String, options: QueryOptions },
    Update(String),
}

/// The media types offered for SELECT and ASK results, the first being the default.
pub const RESULTS_TYPES: &[(&str, Format)] = &[
    ("application/sparql-results+json", Format::Json),
    ("application/sparql-results+xml", Format::Xml),
    ("text/csv", Format::Csv),
    ("text/tab-separated-values", Format::Tsv),
    ("application/json", Format::Json),
    ("application/xml", Format::Xml),
];

/// The media types offered for CONSTRUCT and DESCRIBE results and graph dumps.
pub const GRAPH_TYPES: &[(&str, Format)] = &[
    ("text/turtle", Format::Turtle),
    ("application/n-triples", Format::NTriples),
    ("application/ld+json", Format::JsonLd),
    ("application/rdf+xml", Format::RdfXml),
];

pub fn offers(kind: ResultsKind) -> &'static [(&'static str, Format)] {
    match kind {
        ResultsKind::Solutions | ResultsKind::Boolean => RESULTS_TYPES,
        ResultsKind::Graph => GRAPH_TYPES,
    }
}

/// The offer the client prefers by its `Accept` header: the highest quality, ties
/// going to the server's order; no header means the first offer. None: 406.
pub fn negotiate<T: Copy>(accept: Option<&str>, offered: &[(&'static str, T)]) -> Option<(&'static str, T)> {
    let accept = accept.map(str::trim).filter(|a| !a.is_empty());
    let Some(accept) = accept else {
        return offered.first().copied();
    };
    let ranges: Vec<(String, f32)> = accept
        .split(',')
        .filter_map(|range| {
            let mut parts = range.split(';');
            let media = parts.next()?.trim().to_ascii_lowercase();
            let q = parts
                .filter_map(|p| p.trim().strip_prefix("q="))
                .find_map(|q| q.trim().parse::<f32>().ok())
                .unwrap_or(1.0);
            (!media.is_empty()).then_some((media, q))
        })
        .collect();
    // The most specific range that matches decides an offer's quality.
    let quality = |offer: &str| -> f32 {
        let major = offer.split('/').next().unwrap_or_default();
        let mut best: Option<(u8, f32)> = None;
        for (media, q) in &ranges {
            let specificity = if media == offer {
                3
            } else if media.strip_suffix("/*") == Some(major) {
                2
            } else if media == "*/*" || media == "*" {
                1
            } else {
                continue;
            };
            if best.is_none_or(|(s, _)| specificity > s) {
                best = Some((specificity, *q));
            }
        }
        best.map_or(0.0, |(_, q)| q)
    };
    let mut chosen: Option<((&'static str, T), f32)> = None;
    for offer in offered {
        let q = quality(offer.0);
        if q > 0.0 && chosen.is_none_or(|(_, best)| q > best) {
            chosen = Some((*offer, q));
        }
    }
    chosen.map(|(offer, _)| offer)
}

/// A header value without its parameters (`text/plain; charset=utf-8` → `text/plain`).
pub fn essence(content_type: &str) -> String {
    content_type
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase()
}

/// The operation of a GET (`url_query` only) or POST (form or direct body).
pub fn operation(post: Option<(&str, &[u8])>, url_query: &str) -> Result<Operation, Problem> {
    let mut params: Vec<(String, String)> = form_urlencoded::parse(url_query.as_bytes()).into_owned().collect();
    let mut direct = None;
    if let Some((content_type, body)) = post {
        let text = || {
            std::str::from_utf8(body)
                .map(str::to_string)
                .map_err(|_| Problem::bad_request("the request body is not UTF-8"))
        };
        match essence(content_type).as_str() {
            "application/x-www-form-urlencoded" => {
                params.extend(form_urlencoded::parse(body).into_owned());
            }
            "application/sparql-query" => {
                direct = Some(Operation::Query {
                    sparql: text()?,
                    options: QueryOptions::default(),
                })
            }
            "application/sparql-update" => direct = Some(Operation::Update(text()?)),
            other => {
                return Err(Problem::new(
                    415,
                    format!(
                        "unsupported request type {other:?}: POST application/x-www-form-urlencoded, \
                         application/sparql-query or application/sparql-update"
                    ),
                ))
            }
        }
    }
    let mut options = QueryOptions::default();
    let mut query = None;
    let mut update = None;
    for (key, value) in params {
        match key.as_str() {
            "query" => set_once(&mut query, "query", value)?,
            "update" => set_once(&mut update, "update", value)?,
            "default-graph-uri" => options.default_graphs.push(graph_iri(&key, &value)?),
            "named-graph-uri" => options.named_graphs.push(graph_iri(&key, &value)?),
            _ => {}
        }
    }
    let operation = match (direct, query, update) {
        (Some(Operation::Query { sparql, .. }), None, None) => Operation::Query { sparql, options },
        (Some(Operation::Update(u)), None, None) => Operation::Update(u),
        (None, Some(sparql), None) => Operation::Query { sparql, options },
        (None, None, Some(u)) => Operation::Update(u),
        (None, None, None) => {
            return Err(Problem::bad_request(
                "no query: give query=… (GET or form POST) or POST application/sparql-query",
            ))
        }
        _ => return Err(Problem::bad_request("give one query or one update, not several")),
    };
    if post.is_none() && matches!(operation, Operation::Update(_)) {
        return Err(Problem::bad_request("SPARQL Update must be POSTed"));
    }
    Ok(operation)
}

fn set_once(slot: &mut Option<String>, name: &str, value: String) -> Result<(), Problem> {
    if slot.replace(value).is_some() {
        return Err(Problem::bad_request(format!("{name} given twice")));
    }
    Ok(())
}

fn graph_iri(key: &str, value: &str) -> Result<NamedNode, Problem> {
    NamedNode::new(value).map_err(|e| Problem::bad_request(format!("{key} {value:?} is not an IRI: {e}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_accept_header_gets_the_first_offer() {
        assert_eq!(negotiate(None, RESULTS_TYPES).unwrap().1, Format::Json);
        assert_eq!(negotiate(Some("*/*"), GRAPH_TYPES).unwrap().1, Format::Turtle);
    }

    #[test]
    fn quality_and_specificity_decide() {
        let csv = negotiate(Some("application/sparql-results+json;q=0.5, text/csv"), RESULTS_TYPES);
        assert_eq!(csv.unwrap().0, "text/csv");
        let tsv = negotiate(Some("text/*;q=0.9, text/csv;q=0.1"), RESULTS_TYPES);
        assert_eq!(tsv.unwrap().0, "text/tab-separated-values");
        let jsonld = negotiate(Some("application/ld+json, */*;q=0.1"), GRAPH_TYPES);
        assert_eq!(jsonld.unwrap().1, Format::JsonLd);
    }

    #[test]
    fn nothing_acceptable_is_none() {
        assert!(negotiate(Some("image/png"), RESULTS_TYPES).is_none());
        assert!(negotiate(Some("text/csv"), GRAPH_TYPES).is_none());
        assert!(negotiate(Some("text/turtle;q=0"), &GRAPH_TYPES[..1]).is_none());
    }

    #[test]
    fn get_and_form_posts_carry_the_dataset() {
        let op = operation(
            None,
            "query=ASK%7B%7D&default-graph-uri=http%3A%2F%2Fex.org%2Fa&named-graph-uri=http://ex.org/b",
        )
        .unwrap();
        let Operation::Query { sparql, options } = op else {
            panic!("{op:?}")
        };
        assert_eq!(sparql, "ASK{}");
        assert_eq!(options.default_graphs[0].as_str(), "http://ex.org/a");
        assert_eq!(options.named_graphs[0].as_str(), "http://ex.org/b");
        let op = operation(
            Some((
                "application/x-www-form-urlencoded; charset=UTF-8",
                b"query=ASK+%7B%7D".as_slice(),
            )),
            "",
        );
        assert!(matches!(op, Ok(Operation::Query { sparql, .. }) if sparql == "ASK {}"));
    }

    #[test]
    fn direct_posts_take_the_body() {
        let op = operation(
            Some(("application/sparql-query", b"ASK {}".as_slice())),
            "named-graph-uri=http://ex.org/g",
        )
        .unwrap();
        assert!(
            matches!(op, Operation::Query { ref sparql, ref options } if sparql == "ASK {}" && options.named_graphs.len() == 1)
        );
        let op = operation(Some(("application/sparql-update", b"CLEAR ALL".as_slice())), "").unwrap();
        assert!(matches!(op, Operation::Update(u) if u == "CLEAR ALL"));
    }

    #[test]
    fn malformed_requests_are_refused_with_their_status() {
        assert_eq!(operation(None, "").unwrap_err().status, 400);
        assert_eq!(operation(None, "query=a&query=b").unwrap_err().status, 400);
        assert_eq!(operation(None, "update=CLEAR%20ALL").unwrap_err().status, 400);
        assert_eq!(
            operation(None, "query=ASK{}&default-graph-uri=not%20an%20iri")
                .unwrap_err()
                .status,
            400
        );
        assert_eq!(
            operation(Some(("text/plain", b"ASK {}".as_slice())), "")
                .unwrap_err()
                .status,
            415
        );
        assert_eq!(
            operation(Some(("application/sparql-query", b"\xff".as_slice())), "")
                .unwrap_err()
                .status,
            400
        );
    }
}
