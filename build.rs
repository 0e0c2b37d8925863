//! Installs the browser libraries declared in `src/web/package.json` (pinned by its lockfile) into
//! `OUT_DIR/web`, so the binary can embed them: the landing page's SPARQL editor and the HTML
//! export's graph view work offline, and no third-party code is kept in the repository.
use std::path::Path;
use std::process::Command;

fn main() {
    let out = std::env::var("OUT_DIR").expect("cargo sets OUT_DIR");
    let web = Path::new(&out).join("web");
    std::fs::create_dir_all(&web).expect("create OUT_DIR/web");
    for file in ["package.json", "package-lock.json"] {
        let source = Path::new("src/web").join(file);
        println!("cargo:rerun-if-changed={}", source.display());
        std::fs::copy(&source, web.join(file)).unwrap_or_else(|e| panic!("copy {}: {e}", source.display()));
    }
    let installed = web.join("node_modules/.package-lock.json");
    let lock = std::fs::read(web.join("package-lock.json")).expect("read lockfile");
    let stamp = web.join("installed.lock");
    if installed.exists() && std::fs::read(&stamp).is_ok_and(|s| s == lock) {
        return;
    }
    let status = Command::new("npm")
        .args(["ci", "--no-audit", "--no-fund", "--ignore-scripts", "--loglevel=error"])
        .current_dir(&web)
        .status()
        .unwrap_or_else(|e| panic!("run npm (Node.js is needed to build guanxi; .ci/setup installs it): {e}"));
    assert!(status.success(), "npm ci failed in {}", web.display());
    std::fs::write(&stamp, lock).expect("write install stamp");
}
