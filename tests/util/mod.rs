//! Helpers for the CLI tests: a store per test, the binary, the shared reference data.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use serde_json::Value;

pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// `../shared` beside the clone, or None (the caller says so and skips).
pub fn shared() -> Option<PathBuf> {
    let p = root().join("../shared");
    if p.join("editions").is_dir() {
        Some(p)
    } else {
        eprintln!("skipped: ../shared is not beside the clone (CI has it; .ci/run fails without it)");
        None
    }
}

pub fn fixture(rel: &str) -> PathBuf {
    root().join("tests/fixtures").join(rel)
}

pub fn guanxi(store: &Path) -> Command {
    let mut cmd = Command::cargo_bin("guanxi").expect("the guanxi binary");
    cmd.arg("--store")
        .arg(store)
        .env_remove("GUANXI_STORE")
        .env_remove("GUANXI_GAZETTEERS");
    cmd
}

pub fn ingest(store: &Path, paths: &[&Path]) -> String {
    let out = guanxi(store)
        .arg("ingest")
        .args(paths)
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    String::from_utf8(out).expect("UTF-8 output")
}

/// SELECT rows as maps of variable to value (IRIs and literals alike).
pub fn select(store: &Path, sparql: &str) -> Vec<std::collections::HashMap<String, String>> {
    let out = guanxi(store)
        .args(["query", "--format", "json", "-e", sparql])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let json: Value = serde_json::from_slice(&out).expect("SPARQL JSON results");
    json["results"]["bindings"]
        .as_array()
        .expect("bindings")
        .iter()
        .map(|b| {
            b.as_object()
                .expect("a binding")
                .iter()
                .map(|(k, v)| (k.clone(), v["value"].as_str().unwrap_or_default().to_string()))
                .collect()
        })
        .collect()
}

/// Everything in the store, sorted, to compare before and after a command.
pub fn dump(store: &Path) -> Vec<String> {
    if !store.exists() {
        return Vec::new();
    }
    let mut rows: Vec<String> = select(store, "SELECT ?g ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } }")
        .into_iter()
        .map(|r| format!("{:?} {:?} {:?} {:?}", r.get("g"), r.get("s"), r.get("p"), r.get("o")))
        .collect();
    rows.sort();
    rows
}

pub fn gold(shared: &Path) -> Value {
    let text = std::fs::read_to_string(shared.join("gold/fengtai-times-2022-12.gold.json")).expect("the gold file");
    serde_json::from_str(&text).expect("gold JSON")
}

pub fn real_page(shared: &Path) -> PathBuf {
    shared.join("editions/fengtai-times-2022-12.txt")
}

/// NAME.txt + NAME.gold.json in each fixture folder (not its subfolders), sorted.
pub fn fixture_pairs(dirs: &[&str]) -> Vec<(PathBuf, PathBuf)> {
    let mut pairs = Vec::new();
    for d in dirs {
        let mut golds: Vec<PathBuf> = std::fs::read_dir(fixture(d))
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.to_string_lossy().ends_with(".gold.json"))
            .collect();
        golds.sort();
        for g in golds {
            let t = PathBuf::from(g.to_string_lossy().replace(".gold.json", ".txt"));
            pairs.push((t, g));
        }
    }
    pairs
}

/// The Python of the project's virtualenv, holding the real clients the tests drive guanxi with
/// (networkx, rdflib, SPARQLWrapper, Selenium): `.ci/setup` creates it.
pub fn python() -> PathBuf {
    let p = root().join(".venv/bin/python");
    assert!(p.exists(), "{} is missing: run .ci/setup first", p.display());
    p
}
