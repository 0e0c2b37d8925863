//! Browser libraries installed from the npm registry by `build.rs` and embedded in the binary.

macro_rules! installed {
    ($path:literal) => {
        include_str!(concat!(env!("OUT_DIR"), "/web/node_modules/", $path))
    };
}

/// Cytoscape.js, the graph view of the HTML export.
pub const CYTOSCAPE_JS: &str = installed!("cytoscape/dist/cytoscape.min.js");
/// Cytoscape.js's licence, printed into every HTML export that bundles it.
pub const CYTOSCAPE_LICENSE: &str = installed!("cytoscape/LICENSE");
/// YASGUI, the SPARQL editor of the endpoint's landing page.
pub const YASGUI_JS: &str = installed!("@zazuko/yasgui/build/yasgui.min.js");
/// YASGUI's stylesheet.
pub const YASGUI_CSS: &str = installed!("@zazuko/yasgui/build/yasgui.min.css");
/// YASGUI's package manifest: it carries the licence (MIT) the landing page cites.
pub const YASGUI_PACKAGE: &str = installed!("@zazuko/yasgui/package.json");
