//! `guanxi ingest --server URL`: editions sent to a running endpoint (started with
//! `--allow-ingest`), one POST each, so its queries see them at once.

use std::path::PathBuf;

use oxhttp::model::header::CONTENT_TYPE;
use oxhttp::model::{Body, Method, Request};
use oxhttp::Client;

use crate::error::{Error, Result};
use crate::ingest::edition_files;
use crate::text::read::edition_meta;
use crate::text::MetaOverrides;

/// The `/ingest` URL of a server given by its base URL (or by that URL itself).
fn ingest_url(server: &str) -> String {
    let base = server.trim_end_matches('/');
    if base.ends_with("/ingest") {
        base.to_string()
    } else {
        format!("{base}/ingest")
    }
}

/// Sends each edition with the metadata resolved here (options, sidecar, file name),
/// stopping at the first the server refuses; returns the server's line for each.
pub fn ingest_through_server(server: &str, paths: &[PathBuf], overrides: &MetaOverrides) -> Result<Vec<String>> {
    let files = edition_files(paths)?;
    // Metadata first, for all files: a bad sidecar stops the command before anything is sent.
    let metas = files
        .iter()
        .map(|f| edition_meta(f, overrides))
        .collect::<Result<Vec<_>>>()?;
    let client = Client::new().with_global_timeout(std::time::Duration::from_secs(300));
    let url = ingest_url(server);
    let mut lines = Vec::new();
    for (file, meta) in files.iter().zip(metas) {
        let bytes = std::fs::read(file).map_err(|e| Error::input(file, format!("cannot read: {e}")))?;
        let mut query = form_urlencoded::Serializer::new(String::new());
        query.append_pair("name", &file.file_name().unwrap_or_default().to_string_lossy());
        for (key, value) in [("paper", &meta.paper), ("date", &meta.date), ("page", &meta.page)] {
            if let Some(v) = value {
                query.append_pair(key, v);
            }
        }
        let request = Request::builder()
            .method(Method::POST)
            .uri(format!("{url}?{}", query.finish()))
            .header(CONTENT_TYPE, "text/plain; charset=utf-8")
            .body(Body::from(bytes))
            .map_err(|e| Error::Usage(format!("--server {server:?}: {e}")))?;
        let response = client
            .request(request)
            .map_err(|e| Error::Usage(format!("{url}: {e}")))?;
        let status = response.status();
        let text = response
            .into_body()
            .to_string()
            .map_err(|e| Error::Usage(format!("{url}: {e}")))?;
        let text = text.trim().to_string();
        if !status.is_success() {
            return Err(Error::input(file, format!("the server refused it ({status}): {text}")));
        }
        lines.push(text);
    }
    Ok(lines)
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_ingest_url_is_found_from_the_base() {
        assert_eq!(
            super::ingest_url("http://127.0.0.1:7878"),
            "http://127.0.0.1:7878/ingest"
        );
        assert_eq!(super::ingest_url("http://h:1/"), "http://h:1/ingest");
        assert_eq!(super::ingest_url("http://h:1/ingest"), "http://h:1/ingest");
    }
}
