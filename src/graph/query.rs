//! SPARQL over the store with the union of all graphs as the default graph,
//! results as an aligned table or the standard result formats.

use std::io::Write;

use oxigraph::io::{RdfFormat, RdfSerializer};
use oxigraph::model::Term;
use oxigraph::sparql::results::{QueryResultsFormat, QueryResultsSerializer};
use oxigraph::sparql::{QueryResults, SparqlEvaluator};
use oxigraph::store::Store;
use unicode_width::UnicodeWidthStr;

use super::rdf::PREFIXES;
use crate::error::{Error, Result};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Table,
    Csv,
    Tsv,
    Json,
    Xml,
    Turtle,
    NTriples,
}

fn prepare(store: &Store, sparql: &str) -> Result<oxigraph::sparql::BoundPreparedSparqlQuery<'static>> {
    let mut evaluator = SparqlEvaluator::new();
    for (p, iri) in PREFIXES {
        evaluator = evaluator
            .with_prefix(*p, *iri)
            .map_err(|e| Error::Sparql(e.to_string()))?;
    }
    let mut prepared = evaluator
        .parse_query(sparql)
        .map_err(|e| Error::Sparql(format!("syntax error: {}", one_line(&e.to_string()))))?;
    prepared.dataset_mut().set_default_graph_as_union();
    Ok(prepared.on_store(store))
}

fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn eval_error(e: impl std::fmt::Display) -> Error {
    Error::Sparql(one_line(&e.to_string()))
}

/// Rows of a SELECT, for the library's own questions.
pub fn select(store: &Store, sparql: &str) -> Result<Vec<Vec<Option<Term>>>> {
    match prepare(store, sparql)?.execute().map_err(eval_error)? {
        QueryResults::Solutions(solutions) => {
            let vars = solutions.variables().to_vec();
            solutions
                .map(|s| {
                    let s = s.map_err(eval_error)?;
                    Ok(vars.iter().map(|v| s.get(v).cloned()).collect())
                })
                .collect()
        }
        _ => Err(Error::Sparql("expected a SELECT query".into())),
    }
}

/// Runs `sparql` and writes its results in `format`.
pub fn run(store: &Store, sparql: &str, format: Format, out: &mut dyn Write) -> Result<()> {
    let results = prepare(store, sparql)?.execute().map_err(eval_error)?;
    let results_format = match format {
        Format::Csv => Some(QueryResultsFormat::Csv),
        Format::Tsv => Some(QueryResultsFormat::Tsv),
        Format::Json => Some(QueryResultsFormat::Json),
        Format::Xml => Some(QueryResultsFormat::Xml),
        _ => None,
    };
    match results {
        QueryResults::Solutions(solutions) => {
            let vars = solutions.variables().to_vec();
            match results_format {
                Some(f) => {
                    let mut w =
                        QueryResultsSerializer::from_format(f).serialize_solutions_to_writer(&mut *out, vars)?;
                    for s in solutions {
                        w.serialize(&s.map_err(eval_error)?)?;
                    }
                    w.finish()?;
                }
                None => {
                    let rows: Vec<Vec<String>> = solutions
                        .map(|s| {
                            let s = s.map_err(eval_error)?;
                            Ok(vars.iter().map(|v| s.get(v).map(display).unwrap_or_default()).collect())
                        })
                        .collect::<Result<_>>()?;
                    let header: Vec<String> = vars.iter().map(|v| v.as_str().to_string()).collect();
                    write_table(out, &header, &rows)?;
                }
            }
        }
        QueryResults::Boolean(b) => match results_format {
            Some(f) => {
                QueryResultsSerializer::from_format(f).serialize_boolean_to_writer(&mut *out, b)?;
            }
            None => writeln!(out, "{b}")?,
        },
        QueryResults::Graph(triples) => {
            let rdf_format = if format == Format::NTriples {
                RdfFormat::NTriples
            } else {
                RdfFormat::Turtle
            };
            let mut serializer = RdfSerializer::from_format(rdf_format);
            if rdf_format == RdfFormat::Turtle {
                for (p, iri) in PREFIXES.iter().filter(|(p, _)| *p != "id") {
                    serializer = serializer
                        .with_prefix(*p, *iri)
                        .map_err(|e| Error::Sparql(e.to_string()))?;
                }
            }
            let mut w = serializer.for_writer(&mut *out);
            for t in triples {
                w.serialize_triple(&t.map_err(eval_error)?)?;
            }
            w.finish()?;
        }
    }
    Ok(())
}

/// An IRI with its contract prefix (`id:person/王志远`), a literal's value.
pub fn compact(iri: &str) -> String {
    PREFIXES
        .iter()
        .filter(|(_, ns)| iri.starts_with(ns))
        .max_by_key(|(_, ns)| ns.len())
        .map_or_else(|| format!("<{iri}>"), |(p, ns)| format!("{p}:{}", &iri[ns.len()..]))
}

fn display(term: &Term) -> String {
    match term {
        Term::NamedNode(n) => compact(n.as_str()),
        Term::BlankNode(b) => b.to_string(),
        Term::Literal(l) => l.value().replace('\n', " "),
        #[allow(unreachable_patterns)]
        _ => term.to_string(),
    }
}

/// Columns aligned by display width, so Chinese (two columns a character) lines up.
pub fn write_table(out: &mut dyn Write, header: &[String], rows: &[Vec<String>]) -> Result<()> {
    const MAX: usize = 60;
    let clip = |s: &str| -> String {
        if s.width() <= MAX {
            return s.to_string();
        }
        let mut w = 0;
        let mut t: String = s
            .chars()
            .take_while(|c| {
                w += unicode_width::UnicodeWidthChar::width(*c).unwrap_or(0);
                w < MAX
            })
            .collect();
        t.push('…');
        t
    };
    let cells: Vec<Vec<String>> = std::iter::once(header.to_vec())
        .chain(rows.iter().cloned())
        .map(|r| r.iter().map(|c| clip(c)).collect())
        .collect();
    let widths: Vec<usize> = (0..header.len())
        .map(|i| cells.iter().map(|r| r[i].width()).max().unwrap_or(0))
        .collect();
    for (n, row) in cells.iter().enumerate() {
        let line: Vec<String> = row
            .iter()
            .zip(&widths)
            .map(|(c, w)| format!("{c}{}", " ".repeat(w - c.width())))
            .collect();
        writeln!(out, "{}", line.join("  ").trim_end())?;
        if n == 0 {
            let rule: Vec<String> = widths.iter().map(|w| "-".repeat(*w)).collect();
            writeln!(out, "{}", rule.join("  "))?;
        }
    }
    writeln!(out, "({} rows)", rows.len())?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn syntax_errors_report_their_position() {
        let store = Store::new().unwrap();
        let err = run(&store, "SELECT * WHERE { ?s ?p }", Format::Json, &mut Vec::new()).unwrap_err();
        let msg = err.to_string();
        assert!(msg.contains("1:"), "{msg}");
        assert!(!msg.contains('\n'));
    }

    #[test]
    fn tables_align_wide_characters() {
        let mut out = Vec::new();
        write_table(
            &mut out,
            &["名".into(), "x".into()],
            &[vec!["王少".into(), "1".into()], vec!["a".into(), "2".into()]],
        )
        .unwrap();
        let text = String::from_utf8(out).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines[2], "王少  1");
        assert_eq!(lines[3], "a     2");
    }
}
