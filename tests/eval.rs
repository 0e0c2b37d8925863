//! `guanxi eval` against the reference scorer: the same counts, section by
//! section, per edition and micro, on the real page and the fixture editions.

mod util;

use std::path::{Path, PathBuf};
use std::process::Command;

use predicates::prelude::*;
use serde_json::Value;
use util::*;

const SECTIONS: [&str; 10] = [
    "persons",
    "places",
    "organisations",
    "holdings",
    "event roles",
    "partnerships",
    "articles",
    "events",
    "event dates",
    "overall",
];

fn eval_cmd() -> assert_cmd::Command {
    let mut cmd = assert_cmd::Command::cargo_bin("guanxi").expect("the guanxi binary");
    cmd.arg("eval")
        .env_remove("GUANXI_STORE")
        .env_remove("GUANXI_GAZETTEERS");
    cmd
}

/// The JSON line and the last line (`overall F1 0.xxx`) of a `--json` run.
fn json_and_last(stdout: &[u8]) -> (Value, String) {
    let text = String::from_utf8(stdout.to_vec()).expect("UTF-8 output");
    let mut lines = text.lines();
    let json = serde_json::from_str(lines.next().expect("a JSON line")).expect("one line of JSON");
    let last = lines.last().expect("an overall line").to_string();
    (json, last)
}

fn ours(pairs: &[(PathBuf, PathBuf)]) -> (Value, String) {
    let mut cmd = eval_cmd();
    for (t, g) in pairs {
        cmd.arg(t).arg(g);
    }
    let out = cmd.arg("--json").assert().success().get_output().stdout.clone();
    json_and_last(&out)
}

fn reference(shared: &Path, pairs: &[(PathBuf, PathBuf)]) -> (Value, String) {
    let mut cmd = Command::new("python3");
    cmd.arg(shared.join("tools/score.py"))
        .arg("--bin")
        .arg(assert_cmd::cargo::cargo_bin("guanxi"))
        .arg("--json")
        .env_remove("GUANXI_STORE")
        .env_remove("GUANXI_GAZETTEERS");
    for (t, g) in pairs {
        cmd.arg(t).arg(g);
    }
    let out = cmd.output().expect("python3 runs the reference scorer");
    assert!(
        out.status.success(),
        "score.py failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    json_and_last(&out.stdout)
}

/// Differences in gold / predicted / TP (and the P, R, F1 they give) between two section maps.
fn compare(what: &str, a: &Value, b: &Value, diffs: &mut Vec<String>) {
    for s in SECTIONS {
        let line = |v: &Value| {
            let x = &v[s];
            let n = |k: &str| x[k].to_string();
            format!(
                "{:>5}{:>5}{:>5} {} {} {}",
                n("gold"),
                n("predicted"),
                n("tp"),
                n("p"),
                n("r"),
                n("f1")
            )
        };
        let (la, lb) = (line(a), line(b));
        println!("{what:<40} {s:<14} eval {la:<36} score.py {lb}");
        for k in ["gold", "predicted", "tp", "p", "r", "f1"] {
            if a[s][k].is_null() || a[s][k] != b[s][k] {
                diffs.push(format!("{what} {s} {k}: eval {} score.py {}", a[s][k], b[s][k]));
            }
        }
    }
}

#[test]
fn eval_agrees_with_score_py() {
    let Some(shared) = shared() else {
        eprintln!("skipped: score.py and the real page are in ../shared");
        return;
    };
    let mut pairs = vec![(real_page(&shared), shared.join("gold/fengtai-times-2022-12.gold.json"))];
    pairs.extend(fixture_pairs(&["editions/sample", "editions/dev", "editions/followup"]));
    assert!(pairs.len() >= 9);
    let (a, a_last) = ours(&pairs);
    let (b, b_last) = reference(&shared, &pairs);
    let (ea, eb) = (a["editions"].as_array().unwrap(), b["editions"].as_array().unwrap());
    assert_eq!(ea.len(), pairs.len());
    assert_eq!(eb.len(), pairs.len());
    let mut diffs = Vec::new();
    for (x, y) in ea.iter().zip(eb) {
        assert_eq!(x["edition"], y["edition"]);
        assert_eq!(x["errors"], serde_json::json!([]), "{}", x["edition"]);
        let name = x["edition"].as_str().unwrap().rsplit('/').next().unwrap().to_string();
        compare(&name, &x["sections"], &y["sections"], &mut diffs);
    }
    compare("all (micro)", &a["micro"], &b["micro"], &mut diffs);
    assert!(diffs.is_empty(), "eval and score.py disagree:\n{}", diffs.join("\n"));
    assert_eq!(a_last, b_last);
}

#[test]
fn eval_prints_score_tables() {
    let pairs = fixture_pairs(&["editions/sample"]);
    let (t, g) = &pairs[0];
    let out = eval_cmd()
        .arg(t)
        .arg(g)
        .arg(t)
        .arg(g)
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let text = String::from_utf8(out).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines[0], format!("== {}", t.display()));
    assert_eq!(lines[1], "section         gold  pred    TP      P      R     F1");
    assert!(lines[2].starts_with("persons "), "{text}");
    assert!(text.contains("\nevents*  "), "{text}");
    assert!(text.contains("\n== all 2 editions (micro)\n"), "{text}");
    assert!(text.contains("(* shown, not in overall)"), "{text}");
    let last = lines.last().unwrap();
    let f1: f64 = last
        .strip_prefix("overall F1 ")
        .expect("overall F1 last")
        .parse()
        .unwrap();
    assert!((0.0..=1.0).contains(&f1));
    // The same edition twice: micro counts are twice the edition's.
    let (json, json_last) = ours(&[pairs[0].clone(), pairs[0].clone()]);
    assert_eq!(&json_last, last);
    for s in SECTIONS {
        let one = &json["editions"][0]["sections"][s];
        assert!(one["gold"].is_u64(), "{s}");
        assert_eq!(
            json["micro"][s]["tp"].as_u64().unwrap(),
            2 * one["tp"].as_u64().unwrap(),
            "{s}"
        );
    }
}

#[test]
fn eval_refuses_odd_file_lists_and_bad_gold() {
    let pairs = fixture_pairs(&["editions/sample"]);
    let (t, g) = &pairs[0];
    eval_cmd()
        .arg(t)
        .arg(g)
        .arg(t)
        .assert()
        .failure()
        .stderr(predicates::str::contains("pairs"));
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("broken.gold.json");
    std::fs::write(&bad, "{\"persons\": [{\"title\": \"x\"}]}").unwrap();
    eval_cmd()
        .arg(t)
        .arg(&bad)
        .assert()
        .failure()
        .stderr(predicates::str::contains("broken.gold.json").and(predicates::str::contains("name")));
}
