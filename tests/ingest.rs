//! Ingest end to end through the CLI: articles, places, mentions, identity, re-ingest.

mod util;

use std::collections::{HashMap, HashSet};

use util::*;

#[test]
fn real_page_articles_match_the_gold_file() {
    let Some(shared) = shared() else { return };
    let store = tempfile::tempdir().unwrap();
    let out = ingest(store.path(), &[&real_page(&shared)]);
    assert!(out.contains(": 3 articles"), "{out}");
    let rows = select(
        store.path(),
        "SELECT ?pos ?h ?sub ?role ?author ?src WHERE { ?a a schema:NewsArticle ; schema:position ?pos ; schema:headline ?h .
           OPTIONAL { ?a schema:alternativeHeadline ?sub } OPTIONAL { ?a gx:bylineRole ?role ; schema:author/schema:name ?author }
           OPTIONAL { ?a schema:sourceOrganization/schema:name ?src } } ORDER BY ?pos",
    );
    let gold = gold(&shared);
    let articles = gold["articles"].as_array().unwrap();
    assert_eq!(rows.len(), articles.len());
    for (row, g) in rows.iter().zip(articles) {
        let text = |v: &serde_json::Value| v.as_str().map(str::to_string);
        assert_eq!(row.get("h").cloned(), text(&g["headline"]));
        assert_eq!(row.get("sub").cloned(), text(&g["subheadline"]));
        assert_eq!(row.get("role").cloned(), text(&g["byline"]["role"]));
        assert_eq!(row.get("author").cloned(), text(&g["byline"]["person"]));
        assert_eq!(row.get("src").cloned(), text(&g["source"]));
    }
}

#[test]
fn gold_places_are_linked_with_codes_and_parents() {
    let Some(shared) = shared() else { return };
    let store = tempfile::tempdir().unwrap();
    ingest(store.path(), &[&real_page(&shared)]);
    let gold = gold(&shared);
    let places = gold["places"].as_array().unwrap();
    let linked: HashSet<String> = select(
        store.path(),
        "SELECT DISTINCT ?p WHERE { GRAPH ?g { ?m itsrdf:taIdentRef ?p } }",
    )
    .into_iter()
    .map(|r| r["p"].clone())
    .collect();
    let names: HashMap<&str, &str> = places
        .iter()
        .map(|p| (p["name"].as_str().unwrap(), p["code"].as_str().unwrap()))
        .collect();
    for p in places {
        let code = p["code"].as_str().unwrap();
        let iri = format!("https://w3id.org/guanxi/id/place/{code}");
        assert!(linked.contains(&iri), "{} is not mentioned", p["name"]);
        let rows = select(
            store.path(),
            &format!("SELECT ?name ?code ?level WHERE {{ <{iri}> schema:name ?name ; gx:divisionCode ?code ; gx:divisionLevel ?level }}"),
        );
        assert_eq!(rows.len(), 1, "{iri}");
        assert_eq!(rows[0]["name"], p["name"].as_str().unwrap());
        // The whole chain of parents, up to a province.
        let chain: Vec<String> = select(
            store.path(),
            &format!("SELECT ?code ?level WHERE {{ <{iri}> schema:containedInPlace+ ?a . ?a gx:divisionCode ?code ; gx:divisionLevel ?level }}"),
        )
        .into_iter()
        .map(|r| format!("{} {}", r["code"], r["level"]))
        .collect();
        if let Some(parent) = p["parent"].as_str() {
            let parent_code = names[parent];
            assert!(chain.iter().any(|c| c.starts_with(parent_code)), "{iri}: {chain:?}");
            assert!(chain.iter().any(|c| c.ends_with("#Province")), "{iri}: {chain:?}");
        } else {
            assert!(rows[0]["level"].ends_with("#Province"));
        }
    }
    let inner_mongolia = select(
        store.path(),
        r#"SELECT DISTINCT ?p WHERE { ?m nif:anchorOf "内蒙古" ; itsrdf:taIdentRef ?p }"#,
    );
    assert_eq!(inner_mongolia.len(), 1);
    assert_eq!(inner_mongolia[0]["p"], "https://w3id.org/guanxi/id/place/150000000000");
}

#[test]
fn every_mention_is_its_slice_of_the_article_text_and_points_at_its_line() {
    let Some(shared) = shared() else { return };
    let store = tempfile::tempdir().unwrap();
    let sample = fixture("editions/sample/chaoyang-news-2023-03.txt");
    let page = real_page(&shared);
    ingest(store.path(), &[&page, &sample]);
    let rows = select(
        store.path(),
        "SELECT ?anchor ?b ?e ?text ?line ?file WHERE { ?m a gx:Mention ; nif:anchorOf ?anchor ; nif:beginIndex ?b ; nif:endIndex ?e ;
           gx:sourceLine ?line ; nif:referenceContext ?a . ?a schema:text ?text ; schema:isPartOf/gx:sourceFile ?file }",
    );
    assert!(rows.len() > 100, "{} mentions", rows.len());
    let raw: HashMap<String, Vec<String>> = [&page, &sample]
        .iter()
        .map(|p| {
            let name = p.file_name().unwrap().to_string_lossy().into_owned();
            (
                name,
                std::fs::read_to_string(p).unwrap().lines().map(String::from).collect(),
            )
        })
        .collect();
    for r in &rows {
        let (b, e): (usize, usize) = (r["b"].parse().unwrap(), r["e"].parse().unwrap());
        let slice: String = r["text"].chars().skip(b).take(e - b).collect();
        assert_eq!(slice, r["anchor"]);
        let line: usize = r["line"].parse().unwrap();
        let first = r["anchor"].chars().next().unwrap();
        let raw_line = &raw[&r["file"]][line - 1];
        assert!(
            raw_line.contains(first),
            "{} starts on line {line}: {raw_line}",
            r["anchor"]
        );
    }
}

#[test]
fn a_glob_over_a_folder_ingests_each_edition_once_with_its_sidecar() {
    // What `guanxi ingest sample/*` passes, less the gold file: the text and its sidecar.
    let dir = fixture("editions/sample");
    let mut named: Vec<std::path::PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| !p.to_string_lossy().ends_with(".gold.json"))
        .collect();
    named.sort();
    assert_eq!(named.len(), 2, "{named:?}");
    let store = tempfile::tempdir().unwrap();
    ingest(store.path(), &named.iter().map(|p| p.as_path()).collect::<Vec<_>>());
    let papers = select(
        store.path(),
        "SELECT ?name WHERE { ?e a schema:PublicationIssue ; schema:isPartOf/schema:name ?name }",
    );
    assert_eq!(papers.len(), 1, "{papers:?}");
    assert_eq!(papers[0]["name"], "朝阳新闻", "the sidecar's paper name");
}

#[test]
fn ingesting_again_replaces_the_edition_graph() {
    let Some(shared) = shared() else { return };
    let store = tempfile::tempdir().unwrap();
    ingest(store.path(), &[&real_page(&shared)]);
    let before = dump(store.path());
    ingest(store.path(), &[&real_page(&shared)]);
    assert_eq!(dump(store.path()), before);
    let editions = select(store.path(), "SELECT ?e WHERE { ?e a schema:PublicationIssue }");
    assert_eq!(editions.len(), 1);
}

#[test]
fn a_second_edition_reuses_the_iris_of_shared_people_posts_and_places() {
    let store = tempfile::tempdir().unwrap();
    ingest(
        store.path(),
        &[
            &fixture("editions/sample/chaoyang-news-2023-03.txt"),
            &fixture("editions/followup/chengde-daily-2023-04-13.txt"),
        ],
    );
    let graphs_of = |iri: &str| {
        select(
            store.path(),
            &format!("SELECT DISTINCT ?g WHERE {{ GRAPH ?g {{ {{ <{iri}> ?p ?o }} UNION {{ ?s ?p <{iri}> }} }} }}"),
        )
        .into_iter()
        .map(|r| r["g"].clone())
        .filter(|g| g.contains("/edition/"))
        .count()
    };
    let id = "https://w3id.org/guanxi/id/";
    for iri in [
        format!("{id}person/欧阳文博"),
        format!("{id}person/魏泽山"),
        format!("{id}post/承德市委书记"),
        format!("{id}place/130800000000"),
    ] {
        assert_eq!(graphs_of(&iri), 2, "{iri} should be in both editions");
    }
    let posts = select(
        store.path(),
        r#"SELECT ?post (COUNT(DISTINCT ?g) AS ?n) WHERE { GRAPH ?g { ?h org:member <https://w3id.org/guanxi/id/person/欧阳文博> ; gx:post ?post } } GROUP BY ?post"#,
    );
    assert!(posts.iter().any(|r| r["n"] == "2"), "{posts:?}");
}

#[test]
fn gb18030_editions_read_like_utf8_ones() {
    let utf8 = tempfile::tempdir().unwrap();
    let gb = tempfile::tempdir().unwrap();
    ingest(utf8.path(), &[&fixture("editions/dev/hebei-yangyuan-2023-04-12.txt")]);
    ingest(
        gb.path(),
        &[&fixture("editions/dev/gb18030/hebei-yangyuan-2023-04-12.txt")],
    );
    let hashless = |rows: Vec<String>| rows.into_iter().filter(|r| !r.contains("sha256:")).collect::<Vec<_>>();
    assert_eq!(hashless(dump(gb.path())), hashless(dump(utf8.path())));
}

#[test]
fn query_formats_and_stats() {
    let store = tempfile::tempdir().unwrap();
    ingest(store.path(), &[&fixture("editions/sample/chaoyang-news-2023-03.txt")]);
    let run = |args: &[&str]| {
        String::from_utf8(
            guanxi(store.path())
                .args(args)
                .assert()
                .success()
                .get_output()
                .stdout
                .clone(),
        )
        .unwrap()
    };
    let q = "SELECT ?h WHERE { ?a schema:headline ?h } ORDER BY ?h";
    assert!(run(&["query", "--format", "csv", "-e", q]).starts_with("h\r\n"));
    assert!(run(&["query", "--format", "tsv", "-e", q]).starts_with("?h\n"));
    assert!(run(&["query", "--format", "xml", "-e", q]).contains("<sparql"));
    let table = run(&["query", "-e", q]);
    assert!(table.contains("(3 rows)"), "{table}");
    assert_eq!(run(&["query", "-e", "ASK { ?p a schema:Person }"]).trim(), "true");
    let turtle = run(&[
        "query",
        "-e",
        "CONSTRUCT { ?p a schema:Person } WHERE { ?p a schema:Person }",
    ]);
    assert!(turtle.contains("schema:Person"), "{turtle}");
    let nt = run(&[
        "query",
        "--format",
        "ntriples",
        "-e",
        "CONSTRUCT { ?p a schema:Person } WHERE { ?p a schema:Person }",
    ]);
    assert!(nt.lines().all(|l| l.ends_with(" .")));
    let stats = run(&["stats"]);
    assert!(
        stats.contains("editions  1") && stats.contains("articles  3"),
        "{stats}"
    );
    assert!(stats.contains("schema:Person"));
}

#[test]
fn saved_queries_run() {
    let store = tempfile::tempdir().unwrap();
    ingest(store.path(), &[&fixture("editions/sample/chaoyang-news-2023-03.txt")]);
    let dir = root().join("queries");
    let mut n = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "rq") {
            guanxi(store.path()).arg("query").arg(&path).assert().success();
            n += 1;
        }
    }
    assert!(n >= 6, "{n} saved queries");
}
