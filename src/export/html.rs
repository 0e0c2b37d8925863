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

/// Passes text on so that it is safe inside a `<script>` element: `</` never
/// closes it early (`<\/` means the same in JS strings and JSON). It streams,
/// so a large network is never held as one string.
struct ScriptSafe<'a> {
    inner: &'a mut dyn Write,
    after_lt: bool,
}

impl Write for ScriptSafe<'_> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let mut start = 0;
        for (i, &b) in buf.iter().enumerate() {
            let after_lt = if i == 0 { self.after_lt } else { buf[i - 1] == b'<' };
            if b == b'/' && after_lt {
                self.inner.write_all(&buf[start..i])?;
                self.inner.write_all(b"\\")?;
                start = i;
            }
        }
        self.inner.write_all(&buf[start..])?;
        if let Some(&last) = buf.last() {
            self.after_lt = last == b'<';
        }
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}

pub fn write(net: &Network, out: &mut dyn Write) -> Result<()> {
    let licence = CYTOSCAPE_LICENSE.replace("*/", "* /");
    let (head, rest) = split(VIEW, "/*LICENCE*/");
    let (between, rest) = split(rest, "/*CYTOSCAPE*/");
    let (before_elements, tail) = split(rest, "/*ELEMENTS*/");
    out.write_all(head.as_bytes())?;
    write!(out, "/*! Cytoscape.js — https://js.cytoscape.org\n{licence}*/")?;
    out.write_all(between.as_bytes())?;
    let mut script = ScriptSafe {
        inner: out,
        after_lt: false,
    };
    script.write_all(CYTOSCAPE_JS.as_bytes())?;
    script.inner.write_all(before_elements.as_bytes())?;
    script.after_lt = false;
    super::cytoscape::write(net, &mut script)?;
    out.write_all(tail.as_bytes())?;
    Ok(())
}

/// `view.html` around one of its placeholders; they are ours, so a missing
/// one is a bug in this crate, not in the input.
fn split<'a>(text: &'a str, placeholder: &str) -> (&'a str, &'a str) {
    text.split_once(placeholder)
        .unwrap_or_else(|| panic!("view.html lacks {placeholder}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn closing_tags_are_escaped_across_writes() {
        let mut out = Vec::new();
        let mut script = ScriptSafe {
            inner: &mut out,
            after_lt: false,
        };
        script.write_all(b"\"a</b> <").unwrap();
        script.write_all(b"/script>\"").unwrap();
        assert_eq!(String::from_utf8(out).unwrap(), r#""a<\/b> <\/script>""#);
    }
}
