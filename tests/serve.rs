//! The SPARQL endpoint end to end: the real binary on a free loopback port, spoken
//! to with curl, SPARQLWrapper and rdflib, and its landing page in headless Chromium.

mod util;

use std::fs::File;
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use serde_json::Value;
use util::*;

/// A `guanxi serve` process, stopped with SIGTERM (or killed) when dropped.
struct Served {
    child: Child,
    url: String,
    log: PathBuf,
    _dir: tempfile::TempDir,
}

impl Served {
    fn start(store: &Path, options: &[&str]) -> Served {
        let port = TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let dir = tempfile::tempdir().unwrap();
        let log = dir.path().join("serve.log");
        let child = Command::new(assert_cmd::cargo::cargo_bin("guanxi"))
            .arg("--store")
            .arg(store)
            .args(["serve", "--bind", &format!("127.0.0.1:{port}")])
            .args(options)
            .env_remove("GUANXI_STORE")
            .env_remove("GUANXI_GAZETTEERS")
            .stdout(Stdio::null())
            .stderr(File::create(&log).unwrap())
            .spawn()
            .expect("start guanxi serve");
        let mut served = Served {
            child,
            url: format!("http://127.0.0.1:{port}"),
            log,
            _dir: dir,
        };
        // Ready when it answers /health; a server that exits is a failure.
        for _ in 0..600 {
            if let Some(status) = served.child.try_wait().unwrap() {
                panic!("guanxi serve exited ({status}): {}", served.log_text());
            }
            if TcpStream::connect(("127.0.0.1", port)).is_ok() && served.get("/health", &[]).status == 200 {
                return served;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        panic!("guanxi serve did not come up: {}", served.log_text());
    }

    fn log_text(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }

    fn sparql(&self) -> String {
        format!("{}/sparql", self.url)
    }

    fn get(&self, path: &str, args: &[&str]) -> Reply {
        curl(&[&[format!("{}{path}", self.url).as_str()], args].concat())
    }

    /// SIGTERM, then the exit status and everything the server logged.
    fn stop(mut self) -> (std::process::ExitStatus, String) {
        let pid = self.child.id().to_string();
        assert!(Command::new("kill").args(["-TERM", &pid]).status().unwrap().success());
        let status = self.child.wait().unwrap();
        (status, self.log_text())
    }
}

impl Drop for Served {
    fn drop(&mut self) {
        if let Ok(None) = self.child.try_wait() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

struct Reply {
    status: u16,
    headers: String,
    body: String,
}

impl Reply {
    fn header(&self, name: &str) -> Option<String> {
        self.headers.lines().find_map(|l| {
            let (k, v) = l.split_once(':')?;
            k.eq_ignore_ascii_case(name).then(|| v.trim().to_string())
        })
    }

    fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("{e}: {}", self.body))
    }
}

/// curl with the response headers kept apart from the body.
fn curl(args: &[&str]) -> Reply {
    let out = Command::new("curl")
        .args(["-s", "-S", "-i", "--max-time", "120"])
        .args(args)
        .output()
        .expect("curl (installed by .ci/setup)");
    assert!(
        out.status.success(),
        "curl {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).expect("UTF-8 reply");
    let (headers, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    let status = headers.split_whitespace().nth(1).and_then(|s| s.parse().ok()).unwrap();
    Reply {
        status,
        headers: headers.to_string(),
        body: body.to_string(),
    }
}

fn sample_store() -> tempfile::TempDir {
    let store = tempfile::tempdir().unwrap();
    ingest(store.path(), &[&fixture("editions/sample/chaoyang-news-2023-03.txt")]);
    store
}

const PERSONS: &str = "SELECT DISTINCT ?name WHERE { ?p a schema:Person ; schema:name ?name } ORDER BY ?name";
const SAMPLE_EDITION: &str = "https://w3id.org/guanxi/id/edition/朝阳新闻/2023-03-10/1";
const GAZETTEER: &str = "https://w3id.org/guanxi/id/graph/gazetteer";

fn names(json: &Value) -> Vec<String> {
    json["results"]["bindings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b["name"]["value"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn queries_by_get_and_post_answer_in_the_negotiated_format() {
    let store = sample_store();
    let editions = select(store.path(), "SELECT ?e WHERE { ?e a schema:PublicationIssue }");
    assert_eq!(editions[0]["e"], SAMPLE_EDITION);
    let server = Served::start(store.path(), &[]);
    let url = server.sparql();

    // GET, no Accept: SPARQL JSON; the union default graph holds the edition's people.
    let get = curl(&["-G", &url, "--data-urlencode", &format!("query={PERSONS}")]);
    assert_eq!(get.status, 200);
    assert_eq!(get.header("content-type").unwrap(), "application/sparql-results+json");
    assert!(names(&get.json()).contains(&"欧阳文博".to_string()), "{}", get.body);

    // POST form and POST application/sparql-query give the same rows.
    let form = curl(&[&url, "--data-urlencode", &format!("query={PERSONS}")]);
    assert_eq!(names(&form.json()), names(&get.json()));
    let direct = curl(&[
        &url,
        "-H",
        "Content-Type: application/sparql-query",
        "--data-binary",
        PERSONS,
    ]);
    assert_eq!(names(&direct.json()), names(&get.json()));

    // CSV, TSV and XML results.
    let query = format!("query={PERSONS}");
    let csv = curl(&["-G", &url, "-H", "Accept: text/csv", "--data-urlencode", &query]);
    assert_eq!(csv.header("content-type").unwrap(), "text/csv; charset=utf-8");
    assert!(
        csv.body.starts_with("name\r\n") && csv.body.contains("\r\n欧阳文博\r\n"),
        "{}",
        csv.body
    );
    let tsv = curl(&[
        "-G",
        &url,
        "-H",
        "Accept: text/tab-separated-values",
        "--data-urlencode",
        &query,
    ]);
    assert!(
        tsv.body.starts_with("?name\n") && tsv.body.contains("\"欧阳文博\"@zh"),
        "{}",
        tsv.body
    );
    let xml = curl(&[
        "-G",
        &url,
        "-H",
        "Accept: application/sparql-results+xml",
        "--data-urlencode",
        &query,
    ]);
    assert!(
        xml.body.contains("<literal xml:lang=\"zh\">欧阳文博</literal>"),
        "{}",
        xml.body
    );

    // ASK.
    let ask = curl(&[
        "-G",
        &url,
        "--data-urlencode",
        "query=ASK { ?p schema:name \"欧阳文博\"@zh }",
    ]);
    assert_eq!(ask.json()["boolean"], true);

    // CONSTRUCT in each graph format.
    let construct = "query=CONSTRUCT { ?a schema:headline ?h } WHERE { ?a a schema:NewsArticle ; schema:headline ?h }";
    for (accept, expected) in [
        ("text/turtle", "schema:headline \"在协作中实现共赢发展\""),
        (
            "application/n-triples",
            "<https://schema.org/headline> \"在协作中实现共赢发展\"",
        ),
        ("application/ld+json", "\"在协作中实现共赢发展\""),
        ("application/rdf+xml", ">在协作中实现共赢发展</"),
    ] {
        let reply = curl(&[
            "-G",
            &url,
            "-H",
            &format!("Accept: {accept}"),
            "--data-urlencode",
            construct,
        ]);
        assert_eq!(reply.status, 200, "{accept}: {}", reply.body);
        assert!(reply.header("content-type").unwrap().starts_with(accept));
        assert!(reply.body.contains(expected), "{accept}: {}", reply.body);
    }

    // The protocol's dataset: the reference graph alone has no people; one named graph for GRAPH ?g.
    let only_gazetteer = curl(&[
        "-G",
        &url,
        "--data-urlencode",
        &format!("query={PERSONS}"),
        "--data-urlencode",
        &format!("default-graph-uri={GAZETTEER}"),
    ]);
    assert!(names(&only_gazetteer.json()).is_empty());
    let graphs = curl(&[
        "-G",
        &url,
        "--data-urlencode",
        "query=SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }",
        "--data-urlencode",
        &format!("named-graph-uri={GAZETTEER}"),
    ]);
    let graphs = graphs.json();
    let graphs = graphs["results"]["bindings"].as_array().unwrap();
    assert_eq!(graphs.len(), 1);
    assert_eq!(graphs[0]["g"]["value"], GAZETTEER);
}

#[test]
fn bad_requests_get_clear_errors_and_the_endpoint_is_read_only() {
    let store = sample_store();
    let server = Served::start(store.path(), &["--max-body", "2000", "--max-rows", "2"]);
    let url = server.sparql();

    let syntax = curl(&["-G", &url, "--data-urlencode", "query=SELECT * WHERE { ?s ?p }"]);
    assert_eq!(syntax.status, 400);
    assert!(
        syntax.body.contains("syntax error") && syntax.body.contains("1:"),
        "{}",
        syntax.body
    );

    let png = curl(&[
        "-G",
        &url,
        "-H",
        "Accept: image/png",
        "--data-urlencode",
        "query=ASK {}",
    ]);
    assert_eq!(png.status, 406);
    assert!(png.body.contains("application/sparql-results+json"), "{}", png.body);
    let plain = curl(&[&url, "-H", "Content-Type: text/plain", "--data-binary", "ASK {}"]);
    assert_eq!(plain.status, 415);
    let none = curl(&[&url, "-G"]);
    assert_eq!(none.status, 400);

    let big = format!("query=ASK {{}} #{}", "x".repeat(3000));
    assert_eq!(curl(&[&url, "--data-binary", &big]).status, 413);

    // At most --max-rows solutions, and a header says there were more.
    let cut = curl(&["-G", &url, "--data-urlencode", &format!("query={PERSONS}")]);
    assert_eq!(names(&cut.json()).len(), 2);
    assert_eq!(cut.header("guanxi-results-truncated").as_deref(), Some("2"));

    // Writes are refused, and the store is as it was.
    let before = curl(&[
        "-G",
        &url,
        "--data-urlencode",
        "query=SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }",
    ]);
    let update = curl(&[
        &url,
        "-H",
        "Content-Type: application/sparql-update",
        "--data-binary",
        "CLEAR ALL",
    ]);
    assert_eq!(update.status, 403);
    assert!(update.body.contains("read-only"), "{}", update.body);
    let form_update = curl(&[&url, "--data-urlencode", "update=CLEAR ALL"]);
    assert_eq!(form_update.status, 403);
    let put = server.get(
        "/store?default",
        &["-X", "PUT", "-H", "Content-Type: text/turtle", "--data-binary", ""],
    );
    assert_eq!(put.status, 403);
    let ingest = server.get("/ingest", &["--data-binary", "本报讯"]);
    assert_eq!(ingest.status, 403);
    let after = curl(&[
        "-G",
        &url,
        "--data-urlencode",
        "query=SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }",
    ]);
    assert_eq!(after.body, before.body);

    assert_eq!(server.get("/nowhere", &[]).status, 404);
    assert_eq!(server.get("/health", &["-X", "DELETE"]).status, 405);
}

#[test]
fn graph_store_dumps_cors_health_and_access_log() {
    let store = sample_store();
    let server = Served::start(store.path(), &[]);

    let edition = form_urlencoded::byte_serialize(SAMPLE_EDITION.as_bytes()).collect::<String>();
    let graph = server.get(&format!("/store?graph={edition}"), &[]);
    assert_eq!(graph.status, 200);
    assert_eq!(graph.header("content-type").unwrap(), "text/turtle; charset=utf-8");
    assert!(graph.body.contains("朝阳区党政代表团赴承德对接京冀协作工作"));
    let default = server.get("/store?default", &["-H", "Accept: application/n-triples"]);
    assert!(default.body.contains("\"欧阳文博\"@zh"));
    // The union default graph is a set: a triple stated in two graphs is dumped once.
    let lines: Vec<&str> = default.body.lines().collect();
    let mut unique = lines.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(lines.len(), unique.len());
    assert_eq!(server.get("/store?graph=http://example.org/none", &[]).status, 404);
    assert_eq!(server.get("/store", &[]).status, 400);

    let health = server.get("/health", &[]);
    assert_eq!(health.json()["status"], "ok");
    assert_eq!(health.json()["read_only"], true);
    assert_eq!(health.header("access-control-allow-origin").as_deref(), Some("*"));

    let preflight = server.get(
        "/sparql",
        &[
            "-X",
            "OPTIONS",
            "-H",
            "Origin: http://yasgui.example",
            "-H",
            "Access-Control-Request-Method: POST",
        ],
    );
    assert_eq!(preflight.status, 204);
    // Browsers allow GET and POST without Access-Control-Allow-Methods; the body's type must be allowed.
    assert!(preflight
        .header("access-control-allow-headers")
        .unwrap()
        .contains("Content-Type"));

    let page = server.get("/", &[]);
    assert!(page.body.contains("assets/yasgui.min.js") && page.body.contains("Who met whom"));
    let js = server.get("/assets/yasgui.min.js", &[]);
    assert_eq!(js.status, 200);
    assert!(js.body.len() > 100_000);
    assert!(server.get("/vocabulary", &[]).body.contains("# The graph contract"));

    let (status, log) = server.stop();
    assert!(status.success(), "{log}");
    assert!(log.contains("GET /health 200"), "{log}");
    assert!(log.contains("OPTIONS /sparql 204"), "{log}");
    assert!(log.contains("guanxi: stopped"), "{log}");
}

#[test]
fn sparqlwrapper_and_rdflib_read_the_endpoint() {
    let store = sample_store();
    let server = Served::start(store.path(), &[]);
    let out = Command::new(python())
        .arg(root().join("tests/python/sparql_clients.py"))
        .arg(server.sparql())
        .arg("PREFIX schema: <https://schema.org/> SELECT ?headline ?position WHERE { ?a a schema:NewsArticle ; schema:headline ?headline ; schema:position ?position } ORDER BY ?position")
        .arg("PREFIX schema: <https://schema.org/> CONSTRUCT { ?p schema:name ?name } WHERE { ?p a schema:Person ; schema:name ?name }")
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let read: Value = serde_json::from_slice(&out.stdout).unwrap();
    let headlines = |rows: &Value| -> Vec<String> {
        rows.as_array()
            .unwrap()
            .iter()
            .map(|r| r["headline"].as_str().unwrap().to_string())
            .collect()
    };
    let expected = [
        "朝阳区数字经济核心产业增加值稳步攀升",
        "在协作中实现共赢发展",
        "朝阳区党政代表团赴承德对接京冀协作工作",
    ];
    assert_eq!(headlines(&read["json"]), expected);
    assert_eq!(headlines(&read["csv"]), expected);
    assert_eq!(read["csv"][1]["position"], "2");
    let person = Value::from(vec![
        "https://w3id.org/guanxi/id/person/欧阳文博",
        "https://schema.org/name",
        "欧阳文博",
    ]);
    assert!(
        read["turtle"].as_array().unwrap().contains(&person),
        "{}",
        read["turtle"]
    );
    assert_eq!(read["rdfxml"], read["turtle"]);
}

#[test]
fn editions_ingested_through_the_server_are_seen_at_once() {
    let store = tempfile::tempdir().unwrap();
    let db = store.path().join("db");
    let server = Served::start(&db, &["--allow-ingest"]);
    let url = server.sparql();
    let ask = "query=ASK { ?p schema:name \"欧阳文博\"@zh }";
    assert_eq!(curl(&["-G", &url, "--data-urlencode", ask]).json()["boolean"], false);

    // A bad edition is refused with its reason, and nothing is written.
    let binary = store.path().join("scan.txt");
    std::fs::write(&binary, b"\x00\x01\x02PDF").unwrap();
    let refused = guanxi(&db)
        .args(["ingest", "--server", &server.url])
        .arg(&binary)
        .assert()
        .failure();
    let message = String::from_utf8_lossy(&refused.get_output().stderr).into_owned();
    assert!(message.contains("scan.txt") && message.contains("400"), "{message}");
    let count = "query=SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }";
    assert_eq!(
        curl(&["-G", &url, "--data-urlencode", count]).json()["results"]["bindings"][0]["n"]["value"],
        "0"
    );

    // The sample edition, with its sidecar's metadata, through `ingest --server`.
    let sent = guanxi(&db)
        .args(["ingest", "--server", &server.url])
        .arg(fixture("editions/sample/chaoyang-news-2023-03.txt"))
        .assert()
        .success();
    let line = String::from_utf8_lossy(&sent.get_output().stdout).into_owned();
    assert!(
        line.contains("chaoyang-news-2023-03.txt: 3 articles") && line.contains(SAMPLE_EDITION),
        "{line}"
    );
    assert_eq!(curl(&["-G", &url, "--data-urlencode", ask]).json()["boolean"], true);

    // A second writer cannot open the store underneath the server.
    let cli = guanxi(&db)
        .arg("ingest")
        .arg(fixture("editions/followup/chengde-daily-2023-04-13.txt"))
        .assert()
        .failure();
    let message = String::from_utf8_lossy(&cli.get_output().stderr).into_owned();
    assert!(message.contains("ingest --server"), "{message}");

    // A plain POST of the text with its metadata does the same.
    let text = fixture("editions/followup/chengde-daily-2023-04-13.txt");
    let posted = server.get(
        "/ingest?name=chengde.txt&paper=%E6%89%BF%E5%BE%B7%E6%97%A5%E6%8A%A5&date=2023-04-13",
        &["--data-binary", &format!("@{}", text.display())],
    );
    assert_eq!(posted.status, 200, "{}", posted.body);
    assert!(posted.body.contains("/edition/承德日报/2023-04-13"), "{}", posted.body);
    let editions = curl(&[
        "-G",
        &url,
        "--data-urlencode",
        "query=SELECT ?e WHERE { ?e a schema:PublicationIssue }",
    ]);
    assert_eq!(editions.json()["results"]["bindings"].as_array().unwrap().len(), 2);
    assert_eq!(server.get("/health", &[]).json()["ingested"], 2);

    // SPARQL Update is taken in this mode.
    let update = curl(&[
        &url,
        "--data-urlencode",
        "update=INSERT DATA { GRAPH <urn:note> { <urn:a> <urn:b> \"c\" } }",
    ]);
    assert_eq!(update.status, 204, "{}", update.body);
    let (status, log) = server.stop();
    assert!(status.success(), "{log}");
}

#[test]
fn a_query_past_the_timeout_is_cut_off_while_others_are_answered() {
    let store = sample_store();
    let server = Served::start(store.path(), &["--timeout", "1"]);
    let url = server.sparql();
    // Every triple with every triple with every triple: about 10^9 combinations for
    // a thousand triples, far past the one-second limit.
    let slow = "query=SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }";
    let slow_url = url.clone();
    let slow_query = std::thread::spawn(move || curl(&["-G", &slow_url, "--data-urlencode", slow]));
    // Once the slow query is in flight (beside the /health request itself), the others are answered.
    let in_flight = || server.get("/health", &[]).json()["in_flight"].as_u64().unwrap();
    for _ in 0..600 {
        if in_flight() >= 2 || slow_query.is_finished() {
            break;
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    for _ in 0..5 {
        let fast = curl(&[
            "-G",
            &url,
            "--data-urlencode",
            "query=ASK { ?p schema:name \"欧阳文博\"@zh }",
        ]);
        assert_eq!(fast.json()["boolean"], true);
    }
    assert!(!slow_query.is_finished(), "the slow query ended before the fast ones");
    let slow = slow_query.join().unwrap();
    assert_eq!(slow.status, 503, "{}", slow.body);
    assert!(slow.body.contains("time limit"), "{}", slow.body);
    assert_eq!(server.get("/health", &[]).status, 200);
}

#[test]
fn the_landing_page_runs_a_saved_query_in_chromium() {
    let store = sample_store();
    let server = Served::start(store.path(), &[]);
    let screenshot = root().join("target/serve-landing-page.png");
    let out = Command::new(python())
        .arg(root().join("tests/python/landing_page.py"))
        .arg(format!("{}/", server.url))
        .arg("example-articles")
        .arg(&screenshot)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}\n{}",
        String::from_utf8_lossy(&out.stderr),
        server.log_text()
    );
    let page: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(page["title"], "guanxi SPARQL endpoint");
    let rows: Vec<&str> = page["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r.as_str().unwrap())
        .collect();
    assert_eq!(rows.len(), 3, "{rows:?}");
    assert!(rows[1].contains("在协作中实现共赢发展"), "{rows:?}");
    assert!(std::fs::metadata(&screenshot).unwrap().len() > 10_000);
    assert!(server.log_text().contains("POST /sparql 200"));
}

#[test]
fn the_vocabulary_page_is_the_shared_graph_contract() {
    let Some(shared) = shared() else { return };
    let spec = std::fs::read_to_string(shared.join("spec/GRAPH.md")).unwrap();
    let copy = std::fs::read_to_string(root().join("docs/GRAPH.md")).unwrap();
    assert_eq!(
        copy, spec,
        "docs/GRAPH.md is behind ../shared/spec/GRAPH.md: copy it again"
    );
}
