//! One self-contained HTML file: the network as Cytoscape.js elements, the
//! Cytoscape.js library (installed from npm by `build.rs`, never kept in the
//! repository) with its licence notice, and a small view (`view.html`):
//! search, type and date filters, colour by type or community, size by PageRank,
//! and a panel with a node's posts and evidence. It opens from disk, offline.

use std::io::Write;

use super::project::Network;
use crate::error::Result;
use crate::web::{CYTOSCAPE_JS, CYTOSCAPE_LICENSE};

const VIEW: &str = include_str!("view.html");

/// Text safe inside a `<script>` element: `</` never closes it early.
fn in_script(s: &str) -> String {
    s.replace("</", "<\\/")
}

pub fn write(net: &Network, out: &mut dyn Write) -> Result<()> {
    let mut elements = Vec::new();
    super::cytoscape::write(net, &mut elements)?;
    let elements = String::from_utf8(elements).expect("serde_json writes UTF-8");
    let licence = CYTOSCAPE_LICENSE.replace("*/", "* /");
    let page = VIEW
        .replace(
            "/*LICENCE*/",
            &format!("/*! Cytoscape.js — https://js.cytoscape.org\n{licence}*/"),
        )
        .replace("/*CYTOSCAPE*/", &in_script(CYTOSCAPE_JS))
        .replace("/*ELEMENTS*/", &in_script(elements.trim_end()));
    out.write_all(page.as_bytes())?;
    Ok(())
}
