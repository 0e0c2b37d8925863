//! The landing page at `/`: a SPARQL editor (YASGUI, served from the binary, so it
//! works offline), the saved queries of `queries/` as one-click examples, and the
//! vocabulary.

use crate::graph::rdf::PREFIXES;

/// The saved queries, embedded: file name and text.
pub const SAVED_QUERIES: &[(&str, &str)] = &[
    ("officials.rq", include_str!("../../queries/officials.rq")),
    ("person-posts.rq", include_str!("../../queries/person-posts.rq")),
    ("visits.rq", include_str!("../../queries/visits.rq")),
    ("met.rq", include_str!("../../queries/met.rq")),
    ("place-hierarchy.rq", include_str!("../../queries/place-hierarchy.rq")),
    ("articles.rq", include_str!("../../queries/articles.rq")),
    ("partnerships.rq", include_str!("../../queries/partnerships.rq")),
    ("organisations.rq", include_str!("../../queries/organisations.rq")),
    ("mentions.rq", include_str!("../../queries/mentions.rq")),
];

/// The graph contract (a copy of the shared GRAPH.md), served at `/vocabulary`.
pub const VOCABULARY: &str = include_str!("../../docs/GRAPH.md");

const TEMPLATE: &str = include_str!("landing.html");

/// A saved query's title: its first comment line, up to a colon.
pub fn title(query: &str) -> String {
    let first = query.lines().next().unwrap_or_default().trim_start_matches('#').trim();
    let title = first.split(':').next().unwrap_or(first);
    title.trim_end_matches('.').trim().to_string()
}

/// The comment lines that open a saved query: what it answers.
fn description(query: &str) -> String {
    query
        .lines()
        .take_while(|l| l.starts_with('#'))
        .map(|l| l.trim_start_matches('#').trim())
        .take_while(|l| !l.starts_with("Run:"))
        .collect::<Vec<_>>()
        .join(" ")
}

fn escape_html(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// The page, naming whether the endpoint takes editions.
pub fn page(allow_ingest: bool) -> String {
    let examples: Vec<serde_json::Value> = SAVED_QUERIES
        .iter()
        .map(|(file, text)| serde_json::json!({ "file": file, "title": title(text), "query": text }))
        .collect();
    let buttons: String = SAVED_QUERIES
        .iter()
        .enumerate()
        .map(|(i, (file, text))| {
            format!(
                "<li><button type=\"button\" data-example=\"{i}\" id=\"example-{}\" title=\"{}\">{}</button> <code>{}</code></li>\n",
                file.trim_end_matches(".rq"),
                escape_html(&description(text)),
                escape_html(&title(text)),
                file
            )
        })
        .collect();
    let prefixes: String = PREFIXES
        .iter()
        .map(|(p, iri)| {
            format!(
                "<tr><td><code>{p}:</code></td><td><code>{}</code></td></tr>\n",
                escape_html(iri)
            )
        })
        .collect();
    let package: serde_json::Value = serde_json::from_str(crate::web::YASGUI_PACKAGE).unwrap_or_default();
    let field = |k: &str| package[k].as_str().unwrap_or("?").to_string();
    // JSON inside <script>: "</" would end the element.
    let examples = serde_json::Value::from(examples).to_string().replace("</", "<\\/");
    TEMPLATE
        .replace("{{examples_json}}", &examples)
        .replace("{{example_buttons}}", &buttons)
        .replace("{{prefix_rows}}", &prefixes)
        .replace(
            "{{mode}}",
            if allow_ingest {
                "accepts editions (<code>POST /ingest</code>) and SPARQL Update"
            } else {
                "is read-only"
            },
        )
        .replace("{{yasgui}}", &format!("{} {}", field("name"), field("version")))
        .replace("{{yasgui_license}}", &field("license"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_saved_query_is_on_the_page() {
        let on_disk: Vec<String> = std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/queries"))
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n.ends_with(".rq"))
            .collect();
        let embedded: Vec<&str> = SAVED_QUERIES.iter().map(|(f, _)| *f).collect();
        for file in &on_disk {
            assert!(embedded.contains(&file.as_str()), "{file} is not on the landing page");
        }
        assert_eq!(on_disk.len(), embedded.len());
    }

    #[test]
    fn titles_come_from_the_first_comment_line() {
        assert_eq!(title("# Visits: who went where.\n# more\nSELECT"), "Visits");
        assert_eq!(
            title("# One person's posts across editions.\nSELECT"),
            "One person's posts across editions"
        );
    }

    #[test]
    fn the_page_fills_every_slot_and_keeps_scripts_closed() {
        let html = page(false);
        assert!(!html.contains("{{"), "an unfilled slot");
        assert!(html.contains("is read-only"));
        let json_start = html.find("id=\"saved-queries\"").unwrap();
        let json_end = json_start + html[json_start..].find("</script>").unwrap();
        assert!(html[json_start..json_end].contains("officials.rq"));
    }
}
