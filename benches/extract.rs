//! Extraction throughput: the bundled sample edition read, extracted and turned
//! into quads N times (default 1,000) in one process, without the store.
//! `cargo bench --bench extract [-- N]` prints editions per second and MB/s.

use std::path::Path;
use std::time::Instant;

use guanxi::extract::Extractor;
use guanxi::ingest::prepare;
use guanxi::text::MetaOverrides;

fn main() {
    let n: usize = std::env::args().skip(1).find_map(|a| a.parse().ok()).unwrap_or(1000);
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/editions/sample/chaoyang-news-2023-03.txt");
    let bytes = std::fs::metadata(&path).expect("the sample edition").len() as f64;
    let start = Instant::now();
    let mut extractor = Extractor::new(None).expect("the embedded gazetteers");
    let load = start.elapsed();
    let start = Instant::now();
    let mut quads = 0;
    for _ in 0..n {
        quads += prepare(&mut extractor, &path, &MetaOverrides::default())
            .expect("the sample edition")
            .quads
            .quads
            .len();
    }
    let secs = start.elapsed().as_secs_f64();
    println!(
        "start-up {:.3} s; {n} editions in {secs:.2} s: {:.1} editions/s, {:.2} MB/s, {} quads each",
        load.as_secs_f64(),
        n as f64 / secs,
        bytes * n as f64 / secs / 1e6,
        quads / n
    );
}
