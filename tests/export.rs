//! Exports, analytics and paths through the CLI, checked with the tools analysts
//! use: networkx reads GraphML and GEXF, Graphviz renders DOT, the Neo4j files
//! refer only to nodes they define, Chromium shows the HTML view.

mod util;

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;
use util::*;

const SAMPLE: &str = "editions/sample/chaoyang-news-2023-03.txt";

fn sample_store() -> tempfile::TempDir {
    let store = tempfile::tempdir().unwrap();
    ingest(store.path(), &[&fixture(SAMPLE)]);
    store
}

fn run(store: &Path, args: &[&str]) -> String {
    let out = guanxi(store).args(args).assert().success().get_output().stdout.clone();
    String::from_utf8(out).unwrap()
}

fn fails(store: &Path, args: &[&str]) -> String {
    let out = guanxi(store).args(args).assert().failure().get_output().stderr.clone();
    String::from_utf8(out).unwrap()
}

/// Runs `export` and returns the node and edge counts it reports.
fn export(store: &Path, format: &str, view: &str, path: &Path, extra: &[&str]) -> (usize, usize) {
    let mut args = vec![
        "export",
        "--format",
        format,
        "--view",
        view,
        "-o",
        path.to_str().unwrap(),
    ];
    args.extend(extra);
    let line = run(store, &args);
    let (counts, written) = line.trim().split_once(" → ").expect("N nodes, M edges → PATH");
    assert_eq!(PathBuf::from(written), path);
    let numbers: Vec<usize> = counts
        .split(|c: char| !c.is_ascii_digit())
        .filter_map(|s| s.parse().ok())
        .collect();
    (numbers[0], numbers[1])
}

fn networkx(kind: &str, path: &Path) -> Value {
    let out = Command::new(python())
        .arg(root().join("tests/python/read_export.py"))
        .arg(kind)
        .arg(path)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).unwrap()
}

fn person(name: &str) -> String {
    format!("https://w3id.org/guanxi/id/person/{name}")
}

/// The labels at both ends of each edge of a networkx graph, with its type.
fn labelled_edges(g: &Value) -> HashSet<(String, String, String)> {
    let label = |id: &Value| g["node"][id.as_str().unwrap()]["label"].as_str().unwrap().to_string();
    g["edge"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| (label(&e[0]), label(&e[1]), e[2]["type"].as_str().unwrap().to_string()))
        .collect()
}

#[test]
fn networkx_reads_graphml_and_gexf_with_the_reported_counts_and_attributes() {
    let store = sample_store();
    let dir = tempfile::tempdir().unwrap();
    for view in ["full", "people", "people-orgs", "places"] {
        for kind in ["graphml", "gexf"] {
            let path = dir.path().join(format!("{view}.{kind}"));
            let (nodes, edges) = export(store.path(), kind, view, &path, &[]);
            assert!(nodes > 0 && edges > 0, "{view} {kind}");
            let g = networkx(kind, &path);
            assert_eq!(
                (g["nodes"].as_u64(), g["edges"].as_u64()),
                (Some(nodes as u64), Some(edges as u64)),
                "{view} {kind}"
            );
            let leader = &g["node"][person("欧阳文博")];
            if view == "places" {
                continue;
            }
            assert_eq!(leader["label"], "欧阳文博", "{view} {kind}");
            assert_eq!(leader["type"], "Person");
            assert!(leader["posts"].as_str().unwrap().contains("朝阳区委书记"), "{leader}");
            assert!(leader["pagerank"].as_f64().unwrap() > 0.0);
            assert!(leader["degree"].as_i64().unwrap() > 0);
            let ties = labelled_edges(&g);
            if view == "people" {
                assert!(
                    ties.contains(&("欧阳文博".into(), "魏泽山".into(), "met".into())),
                    "{ties:?}"
                );
            }
            if view == "full" {
                assert!(ties.contains(&("魏泽山".into(), "承德市委书记".into(), "holds".into())));
                assert!(ties.contains(&("隆化县".into(), "承德市".into(), "contained-in".into())));
                let county = g["node"]
                    .as_object()
                    .unwrap()
                    .values()
                    .find(|n| n["label"] == "隆化县")
                    .unwrap();
                assert_eq!(county["code"], "130825000000");
                assert_eq!(county["level"], "County");
            }
        }
    }
    // Gephi's timeline: a dynamic graph whose dated edges carry spells.
    let path = dir.path().join("people.gexf");
    let g = networkx("gexf", &path);
    assert_eq!(g["mode"], "dynamic");
    // A post is a dynamic attribute of its holder, for the spell it is attested (the edition's date).
    let wei = &g["node"][person("魏泽山")];
    assert_eq!(
        wei["post"],
        serde_json::json!([["承德市委书记", "2023-03-10", "2023-03-10"]]),
        "{wei}"
    );
    assert_eq!(
        wei["spells"],
        serde_json::json!([["2023-03-06", "2023-03-10"]]),
        "{wei}"
    );
    let met = g["edge"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e[2]["type"] == "met")
        .unwrap();
    assert_eq!(met[2]["spells"][0][0], "2023-03-06", "{met}");
    assert!(met[2]["evidence"]
        .as_str()
        .unwrap()
        .contains("《朝阳区党政代表团赴承德对接京冀协作工作》"));
}

#[test]
fn graphviz_renders_the_dot_export() {
    let store = sample_store();
    let dir = tempfile::tempdir().unwrap();
    let dot = dir.path().join("full.dot");
    export(store.path(), "dot", "full", &dot, &[]);
    let out = Command::new("dot")
        .arg("-Tsvg")
        .arg(&dot)
        .output()
        .expect("Graphviz (.ci/setup installs it)");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let svg = String::from_utf8(out.stdout).unwrap();
    assert!(svg.contains("<svg") && svg.contains("欧阳文博"));
}

#[test]
fn neo4j_files_have_import_headers_and_every_relationship_end_is_a_node() {
    let store = sample_store();
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("neo4j");
    let (nodes, edges) = export(store.path(), "neo4j", "full", &out, &[]);
    let mut reader = csv::Reader::from_path(out.join("nodes.csv")).unwrap();
    let header: Vec<String> = reader.headers().unwrap().iter().map(String::from).collect();
    assert_eq!(header[0], "id:ID");
    assert_eq!(header.last().unwrap(), ":LABEL");
    assert!(header.contains(&"pagerank:double".to_string()) && header.contains(&"posts:string[]".to_string()));
    let posts_at = header.iter().position(|h| h == "posts:string[]").unwrap();
    let mut ids = HashSet::new();
    for row in reader.records() {
        let row = row.unwrap();
        assert!(ids.insert(row[0].to_string()), "duplicate id {}", &row[0]);
        if row[0] == person("魏泽山") {
            assert_eq!(&row[row.len() - 1], "Person");
            assert!(row[posts_at].split(';').any(|p| p == "承德市委书记"), "{row:?}");
        }
    }
    assert_eq!(ids.len(), nodes);
    let mut reader = csv::Reader::from_path(out.join("relationships.csv")).unwrap();
    let header: Vec<String> = reader.headers().unwrap().iter().map(String::from).collect();
    assert_eq!(&header[..3], [":START_ID", ":END_ID", ":TYPE"]);
    let mut types = HashSet::new();
    let mut n = 0;
    for row in reader.records() {
        let row = row.unwrap();
        assert!(ids.contains(&row[0]) && ids.contains(&row[1]), "{row:?}");
        types.insert(row[2].to_string());
        n += 1;
    }
    assert_eq!(n, edges);
    for t in ["HOLDS", "ATTENDED", "MET", "CONTAINED_IN", "HELD_IN"] {
        assert!(types.contains(t), "{t} in {types:?}");
    }
}

#[test]
fn plain_csv_and_cytoscape_json_hold_the_same_network() {
    let store = sample_store();
    let dir = tempfile::tempdir().unwrap();
    let csv_dir = dir.path().join("csv");
    let counts = export(store.path(), "csv", "people-orgs", &csv_dir, &[]);
    let rows = |file: &str| csv::Reader::from_path(csv_dir.join(file)).unwrap().records().count();
    assert_eq!((rows("nodes.csv"), rows("edges.csv")), counts);
    let cyjs = dir.path().join("g.cyjs");
    assert_eq!(export(store.path(), "cytoscape", "people-orgs", &cyjs, &[]), counts);
    let json: Value = serde_json::from_slice(&std::fs::read(&cyjs).unwrap()).unwrap();
    let nodes = json["elements"]["nodes"].as_array().unwrap();
    assert_eq!(
        (nodes.len(), json["elements"]["edges"].as_array().unwrap().len()),
        counts
    );
    let wei = nodes.iter().find(|n| n["data"]["label"] == "魏泽山").unwrap();
    assert!(wei["data"]["posts"]
        .as_array()
        .unwrap()
        .iter()
        .any(|p| p == "承德市委书记"));
    assert!(wei["data"]["pagerank"].as_f64().unwrap() > 0.0);
    // Without the measures the same network is written without their columns.
    let bare = dir.path().join("bare");
    assert_eq!(
        export(store.path(), "csv", "people-orgs", &bare, &["--no-analytics"]),
        counts
    );
    let header = std::fs::read_to_string(bare.join("nodes.csv")).unwrap();
    let header = header.lines().next().unwrap();
    assert!(
        header.starts_with("id,label,type") && !header.contains("pagerank"),
        "{header}"
    );
}

#[test]
fn filters_narrow_the_network() {
    let store = sample_store();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("g.graphml");
    let (_, all) = export(store.path(), "graphml", "people", &path, &[]);
    assert_eq!(
        export(store.path(), "graphml", "people", &path, &["--until", "2023-03-01"]),
        (0, 0)
    );
    let (_, since) = export(store.path(), "graphml", "people", &path, &["--since", "2023-03-06"]);
    assert_eq!(since, all);
    // The delegation went to 隆化县 and 滦平县, both in 承德市; none of it happened in 北京市.
    let (_, within) = export(store.path(), "graphml", "people", &path, &["--within", "承德市"]);
    assert_eq!(within, all);
    assert_eq!(
        export(store.path(), "graphml", "people", &path, &["--within", "北京市"]).1,
        0
    );
    let (places, _) = export(store.path(), "graphml", "places", &path, &["--within", "130825000000"]);
    let g = networkx("graphml", &path);
    assert_eq!(g["nodes"].as_u64(), Some(places as u64));
    assert!(labelled_edges(&g).contains(&("凤凰岭村".into(), "汤头沟镇".into(), "contained-in".into())));
    assert!(!labelled_edges(&g).iter().any(|(s, _, _)| s == "滦平县"));
    let (_, heavy) = export(store.path(), "graphml", "people", &path, &["--min-weight", "2"]);
    assert!(heavy < all);
}

#[test]
fn nquads_and_trig_dump_the_whole_store() {
    let store = sample_store();
    let dir = tempfile::tempdir().unwrap();
    let nq = dir.path().join("all.nq");
    let line = run(
        store.path(),
        &["export", "--format", "nquads", "-o", nq.to_str().unwrap()],
    );
    let quads: usize = line.split_whitespace().next().unwrap().parse().unwrap();
    assert_eq!(std::fs::read_to_string(&nq).unwrap().lines().count(), quads);
    let trig = dir.path().join("all.trig");
    run(
        store.path(),
        &["export", "--format", "trig", "-o", trig.to_str().unwrap()],
    );
    let text = std::fs::read_to_string(&trig).unwrap();
    assert!(text.contains("@prefix schema:") && text.contains("欧阳文博"));
}

#[test]
fn analyze_ranks_the_hubs() {
    let store = sample_store();
    let out = run(store.path(), &["analyze", "--top", "5"]);
    // The visit is a hub: the leader, 12 officials, the delegation and the two counties visited.
    let visit = out
        .lines()
        .find(|l| l.starts_with("朝阳区党政代表团赴隆化县、滦平县"))
        .unwrap_or_else(|| panic!("the visit among the top 5: {out}"));
    let visit: Vec<&str> = visit.split_whitespace().collect();
    assert_eq!(&visit[1..3], ["Event", "16"], "{out}");
    assert!(out.contains("(5 rows)"));
    assert!(
        out.lines()
            .last()
            .unwrap()
            .starts_with("61 nodes, 166 edges, 1 components"),
        "{out}"
    );
    // Among people alone, everyone on the visit met everyone else once: one clique.
    let people = run(store.path(), &["analyze", "--view", "people", "--top", "1"]);
    assert!(
        people
            .lines()
            .last()
            .unwrap()
            .starts_with("13 nodes, 78 edges, 1 components, 1 communities"),
        "{people}"
    );
}

#[test]
fn path_on_the_sample_edition_goes_through_the_visit() {
    let store = sample_store();
    let out = run(store.path(), &["path", "欧阳文博", "宁晓燕"]);
    assert!(out.starts_with("欧阳文博 (Person, 朝阳区委书记)"), "{out}");
    assert!(
        out.contains("—attended [leader]→ 朝阳区党政代表团") && out.contains("(Event, Visit, 2023-03-06 – 2023-03-09)"),
        "{out}"
    );
    assert!(
        out.contains("←attended [attendee]— 宁晓燕 (Person, 隆化县县长"),
        "{out}"
    );
    assert!(
        out.contains("evidence: ") && out.contains("《朝阳区党政代表团赴承德对接京冀协作工作》"),
        "{out}"
    );
    assert!(out.trim_end().ends_with("2 steps"), "{out}");
}

#[test]
fn path_on_the_real_page_goes_through_the_delegation_visit() {
    let Some(shared) = shared() else { return };
    let store = tempfile::tempdir().unwrap();
    ingest(store.path(), &[&real_page(&shared)]);
    let out = run(store.path(), &["path", "王少峰", "万超岐"]);
    println!("{out}");
    assert!(out.starts_with("王少峰 (Person"), "{out}");
    assert!(out.contains("Visit"), "{out}");
    assert!(out.contains("代表团"), "{out}");
    assert!(out.contains("《丰台区党政代表团赴内蒙古对接东西部协作工作》"), "{out}");
    assert!(out.contains("万超岐 (Person"), "{out}");
}

#[test]
fn html_view_shows_the_graph_and_finds_a_person() {
    let store = sample_store();
    let dir = tempfile::tempdir().unwrap();
    let html = dir.path().join("view.html");
    let (nodes, _) = export(store.path(), "html", "full", &html, &[]);
    let page = std::fs::read_to_string(&html).unwrap();
    assert!(
        page.contains("Copyright") && page.contains("cytoscape"),
        "the library and its licence are bundled"
    );
    assert!(!page.contains("<script src"), "nothing is loaded from elsewhere");
    let shot = root().join("output/html-view.png");
    let out = Command::new(python())
        .arg(root().join("tests/python/html_view.py"))
        .arg(&html)
        .arg("魏泽山")
        .arg(&shot)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let seen: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(seen["errors"], serde_json::json!([]), "{seen}");
    assert_eq!(seen["nodes"].as_u64(), Some(nodes as u64));
    assert!(seen["painted"].as_u64().unwrap() > 5_000, "the canvas is blank: {seen}");
    assert_eq!(seen["selected"], serde_json::json!(["魏泽山"]), "{seen}");
    let info = seen["info"].as_str().unwrap();
    assert!(info.contains("承德市委书记") && info.contains("Evidence"), "{info}");
}

#[test]
fn bad_input_gives_one_line_errors() {
    let store = sample_store();
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("x.gexf");
    let o = out.to_str().unwrap();
    let one_line = |e: String| {
        assert_eq!(e.trim_end().lines().count(), 1, "{e}");
        e
    };
    assert!(fails(store.path(), &["export", "--format", "pdf", "-o", o]).contains("invalid value 'pdf'"));
    let e = one_line(fails(
        store.path(),
        &["export", "--format", "gexf", "-o", o, "--since", "2023-02-30"],
    ));
    assert!(e.contains("--since \"2023-02-30\" is not YYYY-MM-DD"), "{e}");
    let e = one_line(fails(
        store.path(),
        &["export", "--format", "gexf", "-o", o, "--within", "亚特兰蒂斯"],
    ));
    assert!(e.contains("no such place"), "{e}");
    let e = one_line(fails(store.path(), &["path", "欧阳文博", "无名氏"]));
    assert!(e.contains("no person \"无名氏\""), "{e}");
    let e = one_line(fails(
        &dir.path().join("nowhere"),
        &["export", "--format", "gexf", "-o", o],
    ));
    assert!(e.contains("no store here"), "{e}");
    let e = one_line(fails(&dir.path().join("nowhere"), &["path", "a", "b"]));
    assert!(e.contains("no store here"), "{e}");
    assert!(!out.exists());
}
