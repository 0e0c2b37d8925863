//! Bad input: a one-line error naming the file, a non-zero exit, the store unchanged.

mod util;

use std::path::Path;

use util::*;

/// Runs `args` against a store holding the sample edition; checks the failure
/// and that the store is exactly as before.
fn fails_cleanly(args: &[&str], names: &str) {
    let store = tempfile::tempdir().unwrap();
    ingest(store.path(), &[&fixture("editions/sample/chaoyang-news-2023-03.txt")]);
    let before = dump(store.path());
    let out = guanxi(store.path()).args(args).assert().failure().get_output().clone();
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert_eq!(stderr.trim_end().lines().count(), 1, "one line: {stderr}");
    assert!(stderr.contains(names), "{stderr} should name {names}");
    assert_eq!(dump(store.path()), before, "the store changed");
}

fn write(dir: &Path, name: &str, bytes: &[u8]) -> String {
    let p = dir.join(name);
    std::fs::write(&p, bytes).unwrap();
    p.to_string_lossy().into_owned()
}

#[test]
fn missing_file() {
    fails_cleanly(&["ingest", "/nonexistent/edition.txt"], "/nonexistent/edition.txt");
}

#[test]
fn folder_without_editions() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "notes.md", b"nothing");
    let d = dir.path().to_string_lossy().into_owned();
    fails_cleanly(&["ingest", &d], &d);
}

#[test]
fn empty_file() {
    let dir = tempfile::tempdir().unwrap();
    let f = write(dir.path(), "empty.txt", b"");
    fails_cleanly(&["ingest", &f], &f);
}

#[test]
fn file_without_chinese_text() {
    let dir = tempfile::tempdir().unwrap();
    let f = write(dir.path(), "README.md", b"# Editions\n\nThe pages of March.\n");
    fails_cleanly(&["ingest", &f], &f);
}

#[test]
fn sidecar_without_its_edition() {
    let dir = tempfile::tempdir().unwrap();
    let f = write(dir.path(), "page3.meta.json", "{\"paper\": \"朝阳新闻\"}".as_bytes());
    fails_cleanly(&["ingest", &f], &f);
}

#[test]
fn binary_file() {
    let dir = tempfile::tempdir().unwrap();
    let f = write(
        dir.path(),
        "image.txt",
        &[0x89, b'P', b'N', b'G', 0, 0, 0, 13, 0xff, 0xfe],
    );
    fails_cleanly(&["ingest", &f], &f);
}

#[test]
fn unsupported_encoding() {
    let dir = tempfile::tempdir().unwrap();
    let mut utf16 = vec![0xFF, 0xFE];
    utf16.extend(
        "本报讯（记者 张三）近日，某地召开会议。"
            .encode_utf16()
            .flat_map(|u| u.to_le_bytes()),
    );
    let f = write(dir.path(), "utf16.txt", &utf16);
    fails_cleanly(&["ingest", &f], &f);
    let (sjis, _, _) = encoding_rs::SHIFT_JIS.encode("東京都で会議が開かれました。これは日本語の新聞記事です。");
    let f = write(dir.path(), "sjis.txt", &sjis);
    fails_cleanly(&["ingest", &f], &f);
}

#[test]
fn malformed_sidecar() {
    let dir = tempfile::tempdir().unwrap();
    let text = std::fs::read(fixture("editions/followup/chengde-daily-2023-04-13.txt")).unwrap();
    let f = write(dir.path(), "paper-x.txt", &text);
    let sidecar = write(dir.path(), "paper-x.meta.json", b"{\"paper\": \"X\", \"date\": ");
    fails_cleanly(&["ingest", &f], &sidecar);
    write(
        dir.path(),
        "paper-x.meta.json",
        b"{\"paper\": \"X\", \"date\": \"2023-13-45\"}",
    );
    fails_cleanly(&["ingest", &f], &sidecar);
}

#[test]
fn malformed_gazetteer_row() {
    let dir = tempfile::tempdir().unwrap();
    let tsv = write(
        dir.path(),
        "organizations.tsv",
        "name\tclass\taliases\n国务院\tGovernment\t\n某某\tNoSuchClass\t\n".as_bytes(),
    );
    let g = dir.path().to_string_lossy().into_owned();
    let edition = fixture("editions/followup/chengde-daily-2023-04-13.txt")
        .to_string_lossy()
        .into_owned();
    fails_cleanly(&["--gazetteers", &g, "ingest", &edition], &format!("{tsv}:3"));
}

#[test]
fn sparql_syntax_error_reports_its_position() {
    fails_cleanly(&["query", "-e", "SELECT * WHERE { ?s ?p }"], "1:");
}

#[test]
fn one_bad_file_among_good_ones_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let f = write(dir.path(), "empty.txt", b"   \n\n");
    let good = fixture("editions/followup/chengde-daily-2023-04-13.txt")
        .to_string_lossy()
        .into_owned();
    fails_cleanly(&["ingest", &good, &f], &f);
}
