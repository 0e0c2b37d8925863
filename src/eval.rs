//! `guanxi eval`: the graph built from each edition scored against its gold
//! file (shared/spec/GOLD.md), a port of the reference scorer
//! `shared/tools/score.py` whose numbers agree with it on the same files.
//!
//! Each edition goes into a fresh in-memory store; the same SPARQL as
//! score.py's reads its facts back, and the same greedy matching scores them.
//! Sections: persons, places, organisations, holdings, event roles,
//! partnerships and articles make up "overall"; events and event dates are
//! shown but not in it. Where score.py would print a traceback on a malformed
//! gold file (a missing name, a list that is not one), this is an [`Error`]
//! naming the file; values that are neither text nor whole numbers are refused
//! the same way. An edition that cannot be read scores as empty and its error
//! is reported, as score.py does.
//!
//! One difference cannot be ported: score.py reads an on-disk store, this an
//! in-memory one, and the two can give rows in another order. Where matching
//! breaks a tie by that order (two predicted places of one name, one of them
//! also matching another entry by code), the counts could differ; on the
//! development editions they agree exactly (tests/eval.rs checks it).

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use oxigraph::model::Term;
use oxigraph::store::Store;
use serde::ser::{SerializeMap, Serializer};
use serde::Serialize;
use serde_json::Value;
use unicode_normalization::UnicodeNormalization;

use crate::error::{Error, Result};
use crate::extract::places::LEVEL_SUFFIXES;
use crate::extract::Extractor;
use crate::graph::query::select;
use crate::graph::store::GraphStore;
use crate::ingest::{edition_files, prepare};
use crate::text::MetaOverrides;

// ---------------------------------------------------------------- the vocabulary score.py queries with

const PREFIXES: &str = "PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>  PREFIX schema: <https://schema.org/>
PREFIX org: <http://www.w3.org/ns/org#>  PREFIX gx: <https://w3id.org/guanxi/ns#>
PREFIX itsrdf: <http://www.w3.org/2005/11/its/rdf#>
";
const SCHEMA: &str = "https://schema.org/";
const GX: &str = "https://w3id.org/guanxi/ns#";
const RDFS_LABEL: &str = "http://www.w3.org/2000/01/rdf-schema#label";
/// Names: Chinese or untagged only.
const ZH: &str = r#"FILTER(lang(?n) = "" || langMatches(lang(?n), "zh"))"#;
const ORG_CLASSES: &str = "org:Organization gx:Government gx:PartyCommittee gx:Department gx:Delegation gx:Zone \
                           schema:Corporation schema:NewsMediaOrganization schema:Organization";
const EVENT_TYPES: [&str; 6] = ["Visit", "Meeting", "Inspection", "Ceremony", "Signing", "Appointment"];

/// The sections that make up "overall", in table order.
pub const OVERALL: [&str; 7] = [
    "persons",
    "places",
    "organisations",
    "holdings",
    "event roles",
    "partnerships",
    "articles",
];
/// Every section, in table order: the overall ones, then two shown but not in overall.
pub const SECTIONS: [&str; 9] = [
    "persons",
    "places",
    "organisations",
    "holdings",
    "event roles",
    "partnerships",
    "articles",
    "events",
    "event dates",
];

/// How a role's values are normalised (the gold side the same way).
#[derive(Clone, Copy)]
enum Norm {
    Plain,
    Org,
    Date,
}

impl Norm {
    fn apply(self, s: &str) -> String {
        match self {
            Norm::Plain => norm(s),
            Norm::Org => norm_org(s),
            Norm::Date => norm(s).chars().take(10).collect(),
        }
    }
}

/// Event role → (property, normaliser).
const EVENT_ROLES: [(&str, &str, Norm); 15] = [
    ("delegation", "https://w3id.org/guanxi/ns#delegation", Norm::Org),
    ("leader", "https://w3id.org/guanxi/ns#leader", Norm::Plain),
    ("location", "https://schema.org/location", Norm::Plain),
    ("destinations", "https://schema.org/location", Norm::Plain),
    ("about", "https://schema.org/about", Norm::Plain),
    ("sites", "https://w3id.org/guanxi/ns#site", Norm::Org),
    ("chair", "https://w3id.org/guanxi/ns#chair", Norm::Plain),
    ("attendees", "https://schema.org/attendee", Norm::Plain),
    ("parties", "https://w3id.org/guanxi/ns#party", Norm::Org),
    ("appointee", "https://w3id.org/guanxi/ns#appointee", Norm::Plain),
    ("by", "https://w3id.org/guanxi/ns#appointedBy", Norm::Org),
    ("posts", "https://w3id.org/guanxi/ns#post", Norm::Org),
    ("removed", "https://w3id.org/guanxi/ns#removedFrom", Norm::Org),
    ("start", "https://schema.org/startDate", Norm::Date),
    ("end", "https://schema.org/endDate", Norm::Date),
];

/// An event matches on its type and one of these roles agreeing.
fn key_roles(kind: &str) -> &'static [&'static str] {
    match kind {
        "Visit" => &["delegation", "leader"],
        "Inspection" => &["leader", "sites"],
        "Meeting" => &["location", "about", "chair"],
        "Signing" => &["parties", "about"],
        "Ceremony" => &["parties", "location", "about"],
        "Appointment" => &["appointee"],
        _ => &["location", "about"],
    }
}

/// Role lists, scored as sets over matched events.
const ROLE_LISTS: [&str; 6] = ["destinations", "attendees", "parties", "sites", "posts", "removed"];

const ARTICLE_FACTS: [(&str, &str, Norm); 5] = [
    ("headline", "https://schema.org/headline", Norm::Plain),
    ("subheadline", "https://schema.org/alternativeHeadline", Norm::Plain),
    ("role", "https://w3id.org/guanxi/ns#bylineRole", Norm::Plain),
    ("author", "https://schema.org/author", Norm::Plain),
    ("source", "https://schema.org/sourceOrganization", Norm::Org),
];

// ---------------------------------------------------------------- normalisation (GOLD.md "Scoring")

/// Python's `\s` (str.isspace): Rust's whitespace and the four separators U+001C..U+001F.
fn is_py_space(c: char) -> bool {
    c.is_whitespace() || ('\u{1c}'..='\u{1f}').contains(&c)
}

/// NFKC (folds full-/half-width) and every whitespace character removed.
pub fn norm(s: &str) -> String {
    s.nfkc().filter(|c| !is_py_space(*c)).collect()
}

/// Organisation and post names also lose a leading 中共.
pub fn norm_org(s: &str) -> String {
    let n = norm(s);
    match n.strip_prefix("中共") {
        Some(rest) => rest.to_string(),
        None => n,
    }
}

/// The post's title with its jurisdiction taken off, in a form both sides share.
///
/// Drop the jurisdiction's full name, else its short name, from the front; then
/// drop a leading level suffix as well, so that for a jurisdiction X市 the titles
/// X市长, X市市长 and 市长 all become 长, and 中共X市委书记, X市委书记 and 市委书记 all
/// become 委书记, while 副市长 stays 副市长.
pub fn canon_title(title: &str, jurisdiction: &str) -> String {
    let t = norm_org(title);
    let full = norm(jurisdiction);
    let (short, suffix) = LEVEL_SUFFIXES
        .iter()
        .find(|s| full.ends_with(*s) && full.len() > s.len())
        .map_or((full.as_str(), ""), |s| (&full[..full.len() - s.len()], *s));
    let mut t = t.as_str();
    for prefix in [full.as_str(), short] {
        if !prefix.is_empty() && t.starts_with(prefix) {
            t = &t[prefix.len()..];
            break;
        }
    }
    if !suffix.is_empty() && t.starts_with(suffix) && t.len() > suffix.len() {
        t = &t[suffix.len()..];
    }
    t.to_string()
}

// ---------------------------------------------------------------- Python's str() and repr(), for labels

/// `repr()` of a Python str: the quote it picks and the escapes it writes
/// (non-printable characters approximated by controls and format characters).
fn py_repr_str(s: &str) -> String {
    let quote = if s.contains('\'') && !s.contains('"') {
        '"'
    } else {
        '\''
    };
    let mut out = String::with_capacity(s.len() + 2);
    out.push(quote);
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\t' => out.push_str("\\t"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            c if c == quote => {
                out.push('\\');
                out.push(c);
            }
            c if !py_printable(c) => {
                let n = c as u32;
                let _ = if n < 0x100 {
                    write!(out, "\\x{n:02x}")
                } else if n < 0x10000 {
                    write!(out, "\\u{n:04x}")
                } else {
                    write!(out, "\\U{n:08x}")
                };
            }
            c => out.push(c),
        }
    }
    out.push(quote);
    out
}

fn py_printable(c: char) -> bool {
    c == ' '
        || !(c.is_control()
            || c.is_whitespace()
            || matches!(c, '\u{ad}' | '\u{200b}'..='\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2060}'..='\u{2064}' | '\u{feff}'))
}

/// `repr()` of a float: the shortest digits that read back, exponent below 1e-4 and from 1e16.
fn py_float(x: f64) -> String {
    if !x.is_finite() {
        return if x.is_nan() {
            "NaN".into()
        } else if x > 0.0 {
            "Infinity".into()
        } else {
            "-Infinity".into()
        };
    }
    let a = x.abs();
    if a == 0.0 || (1e-4..1e16).contains(&a) {
        let s = x.to_string();
        if s.contains('.') {
            s
        } else {
            format!("{s}.0")
        }
    } else {
        let s = format!("{x:e}");
        let (mantissa, exp) = s.split_once('e').unwrap_or((&s, "0"));
        let (sign, digits) = exp.strip_prefix('-').map_or(("+", exp), |d| ("-", d));
        format!("{mantissa}e{sign}{digits:0>2}")
    }
}

/// `str()` of a JSON value read by Python's json module.
fn py_str(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        _ => py_repr(v),
    }
}

fn py_repr(v: &Value) -> String {
    match v {
        Value::Null => "None".into(),
        Value::Bool(true) => "True".into(),
        Value::Bool(false) => "False".into(),
        Value::Number(n) => match n.as_f64() {
            Some(f) if !(n.is_i64() || n.is_u64()) => py_float(f),
            _ => n.to_string(),
        },
        Value::String(s) => py_repr_str(s),
        Value::Array(a) => format!("[{}]", a.iter().map(py_repr).collect::<Vec<_>>().join(", ")),
        Value::Object(o) => format!(
            "{{{}}}",
            o.iter()
                .map(|(k, v)| format!("{}: {}", py_repr_str(k), py_repr(v)))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    }
}

fn truthy(v: Option<&Value>) -> bool {
    match v {
        None | Some(Value::Null) => false,
        Some(Value::Bool(b)) => *b,
        Some(Value::Number(n)) => n.as_f64().is_some_and(|f| f != 0.0),
        Some(Value::String(s)) => !s.is_empty(),
        Some(Value::Array(a)) => !a.is_empty(),
        Some(Value::Object(o)) => !o.is_empty(),
    }
}

// ---------------------------------------------------------------- items on both sides

/// What identifies an entry: any one shared between gold and predicted is a match.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
enum Key {
    Name(String),
    /// A place by name (`("name", …)` in score.py).
    PlaceName(String),
    /// A place by its statistical code.
    PlaceCode(String),
    /// (person, jurisdiction, canonical title)
    Holding(String, String, String),
    /// (parties, start year)
    Partnership(BTreeSet<String>, Option<String>),
}

#[derive(Debug, Clone)]
struct Keyed {
    keys: BTreeSet<Key>,
    label: String,
    optional: bool,
}

/// One fact of an article.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
enum Fact {
    Text(&'static str, String),
    Position(usize),
}

impl Fact {
    fn kind(&self) -> &'static str {
        match self {
            Fact::Text(k, _) => k,
            Fact::Position(_) => "position",
        }
    }
}

#[derive(Debug, Clone)]
struct Article {
    facts: BTreeSet<Fact>,
    label: String,
    optional: bool,
}

type RoleSets = BTreeMap<&'static str, BTreeSet<String>>;

#[derive(Debug, Clone)]
struct GoldEvent {
    kind: String,
    label: String,
    optional: bool,
    /// The roles the entry has (a null one too, as an empty set).
    roles: RoleSets,
    start: Option<String>,
    end: Option<String>,
}

impl GoldEvent {
    fn role(&self, role: &str) -> &BTreeSet<String> {
        static EMPTY: BTreeSet<String> = BTreeSet::new();
        self.roles.get(role).unwrap_or(&EMPTY)
    }
}

#[derive(Debug, Clone)]
struct PredEvent {
    kind: String,
    label: String,
    roles: RoleSets,
}

impl PredEvent {
    fn role(&self, role: &str) -> &BTreeSet<String> {
        static EMPTY: BTreeSet<String> = BTreeSet::new();
        self.roles.get(role).unwrap_or(&EMPTY)
    }
}

/// Items shown in the missed / spurious lists, sorted as Python's `sorted(key=str)`.
trait Shown: Ord + Clone {
    fn show(&self) -> String;
    fn sort_key(&self) -> String;
}

impl Shown for String {
    fn show(&self) -> String {
        self.clone()
    }
    fn sort_key(&self) -> String {
        self.clone()
    }
}

impl Shown for Fact {
    fn show(&self) -> String {
        match self {
            Fact::Text(k, v) => format!("{k}={v}"),
            Fact::Position(n) => format!("position={n}"),
        }
    }
    fn sort_key(&self) -> String {
        match self {
            Fact::Text(k, v) => format!("('{k}', {})", py_repr_str(v)),
            Fact::Position(n) => format!("('position', {n})"),
        }
    }
}

// ---------------------------------------------------------------- the gold side

struct GoldItems {
    persons: Vec<Keyed>,
    places: Vec<Keyed>,
    organisations: Vec<Keyed>,
    holdings: Vec<Keyed>,
    partnerships: Vec<Keyed>,
    events: Vec<GoldEvent>,
    articles: Vec<Article>,
}

/// Reads one gold file's fields, refusing what score.py could not read.
struct GoldReader<'a> {
    path: &'a Path,
}

type Object = serde_json::Map<String, Value>;

impl GoldReader<'_> {
    fn bad(&self, what: impl std::fmt::Display) -> Error {
        Error::input(self.path, format!("malformed gold: {what}"))
    }

    /// `gold.get(section, [])`, each entry an object.
    fn entries<'v>(&self, gold: &'v Object, section: &str) -> Result<Vec<&'v Object>> {
        match gold.get(section) {
            None => Ok(Vec::new()),
            Some(Value::Array(a)) => a
                .iter()
                .enumerate()
                .map(|(i, e)| {
                    e.as_object()
                        .ok_or_else(|| self.bad(format!("{section}[{i}] is not an object")))
                })
                .collect(),
            Some(_) => Err(self.bad(format!("\"{section}\" is not a list"))),
        }
    }

    /// A text field: None when absent or null; whole numbers as Python writes them.
    fn opt_text(&self, e: &Object, key: &str, at: &str) -> Result<Option<String>> {
        match e.get(key) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(s)) => Ok(Some(s.clone())),
            Some(Value::Number(n)) if n.is_i64() || n.is_u64() => Ok(Some(n.to_string())),
            Some(_) => Err(self.bad(format!("{at}: \"{key}\" is not text"))),
        }
    }

    fn text(&self, e: &Object, key: &str, at: &str) -> Result<String> {
        match e.get(key) {
            None => Err(self.bad(format!("{at}: no \"{key}\""))),
            _ => self
                .opt_text(e, key, at)?
                .ok_or_else(|| self.bad(format!("{at}: \"{key}\" is null"))),
        }
    }

    /// Python's `e.get(key) or ...`: absent, null and empty text are all false.
    fn truthy_text(&self, e: &Object, key: &str, at: &str) -> Result<Option<String>> {
        Ok(self.opt_text(e, key, at)?.filter(|s| !s.is_empty()))
    }

    /// A list of texts.
    fn texts(&self, v: &Value, key: &str, at: &str) -> Result<Vec<String>> {
        let bad = || self.bad(format!("{at}: \"{key}\" is not a list of texts"));
        v.as_array()
            .ok_or_else(bad)?
            .iter()
            .map(|x| match x {
                Value::String(s) => Ok(s.clone()),
                Value::Number(n) if n.is_i64() || n.is_u64() => Ok(n.to_string()),
                _ => Err(bad()),
            })
            .collect()
    }

    fn items(&self, gold: &Value) -> Result<GoldItems> {
        let gold = gold.as_object().ok_or_else(|| self.bad("not a JSON object"))?;
        let optional = |e: &Object| truthy(e.get("optional"));
        let mut g = GoldItems {
            persons: Vec::new(),
            places: Vec::new(),
            organisations: Vec::new(),
            holdings: Vec::new(),
            partnerships: Vec::new(),
            events: Vec::new(),
            articles: Vec::new(),
        };
        for (i, p) in self.entries(gold, "persons")?.into_iter().enumerate() {
            let name = self.text(p, "name", &format!("persons[{i}]"))?;
            g.persons.push(Keyed {
                keys: BTreeSet::from([Key::Name(norm(&name))]),
                label: name,
                optional: optional(p),
            });
        }
        for (i, p) in self.entries(gold, "places")?.into_iter().enumerate() {
            let at = format!("places[{i}]");
            let name = self.text(p, "name", &at)?;
            let key = match self.truthy_text(p, "code", &at)? {
                Some(code) => Key::PlaceCode(norm(&code)),
                None => Key::PlaceName(norm(&name)),
            };
            g.places.push(Keyed {
                keys: BTreeSet::from([key]),
                label: name,
                optional: optional(p),
            });
        }
        for (i, o) in self.entries(gold, "organizations")?.into_iter().enumerate() {
            let at = format!("organizations[{i}]");
            let name = self.text(o, "name", &at)?;
            let aliases = match o.get("aliases") {
                None => Vec::new(),
                Some(v) => self.texts(v, "aliases", &at)?,
            };
            let keys = std::iter::once(&name)
                .chain(&aliases)
                .map(|n| Key::Name(norm_org(n)))
                .collect();
            g.organisations.push(Keyed {
                keys,
                label: name,
                optional: optional(o),
            });
        }
        for (i, h) in self.entries(gold, "holdings")?.into_iter().enumerate() {
            let at = format!("holdings[{i}]");
            let person = self.text(h, "person", &at)?;
            let jurisdiction = self.opt_text(h, "jurisdiction", &at)?.unwrap_or_default();
            let raw_title = self.opt_text(h, "title", &at)?;
            let title = raw_title.clone().filter(|s| !s.is_empty());
            let post = self.truthy_text(h, "post", &at)?;
            // `post or title` for the label, `title or post` for the key, as score.py has them.
            let shown = post.clone().or(raw_title);
            let title = title.or(post).unwrap_or_default();
            g.holdings.push(Keyed {
                keys: BTreeSet::from([Key::Holding(
                    norm(&person),
                    norm(&jurisdiction),
                    canon_title(&title, &jurisdiction),
                )]),
                label: format!("{person} {}", shown.as_deref().unwrap_or("None")),
                optional: optional(h),
            });
        }
        for (i, p) in self.entries(gold, "partnerships")?.into_iter().enumerate() {
            let at = format!("partnerships[{i}]");
            let parties = match p.get("parties") {
                None => return Err(self.bad(format!("{at}: no \"parties\""))),
                Some(v) => self.texts(v, "parties", &at)?,
            };
            let since = if truthy(p.get("since")) {
                Some(py_str(&p["since"]))
            } else {
                None
            };
            g.partnerships.push(Keyed {
                keys: BTreeSet::from([Key::Partnership(
                    parties.iter().map(|x| norm_org(x)).collect(),
                    since.as_ref().map(|s| s.chars().take(4).collect()),
                )]),
                label: format!("{} {}", parties.join("+"), since.unwrap_or_default()),
                optional: optional(p),
            });
        }
        for (i, e) in self.entries(gold, "events")?.into_iter().enumerate() {
            let at = format!("events[{i}]");
            let kind = self.text(e, "type", &at)?;
            let named = ["delegation", "leader", "appointee", "location"];
            let shown = named
                .iter()
                .find(|k| truthy(e.get(**k)))
                .or(named.last())
                .map_or_else(|| "None".to_string(), |k| e.get(*k).map_or("None".to_string(), py_str));
            let mut roles = RoleSets::new();
            for &(role, _, f) in &EVENT_ROLES {
                if matches!(role, "by" | "start" | "end") {
                    continue;
                }
                let values = match e.get(role) {
                    None => continue,
                    Some(Value::String(s)) => vec![s.clone()],
                    Some(v) if !truthy(Some(v)) => Vec::new(),
                    Some(v) => self.texts(v, role, &at)?,
                };
                roles.insert(role, values.iter().map(|v| f.apply(v)).collect());
            }
            let date = |k: &str| -> Result<Option<String>> {
                match e.get(k) {
                    Some(Value::String(s)) if !s.is_empty() => Ok(Some(s.clone())),
                    v if !truthy(v) => Ok(None),
                    _ => Err(self.bad(format!("{at}: \"{k}\" is not a date"))),
                }
            };
            g.events.push(GoldEvent {
                label: format!("{kind} {shown}"),
                kind,
                optional: optional(e),
                roles,
                start: date("start")?,
                end: date("end")?,
            });
        }
        for (n, a) in self.entries(gold, "articles")?.into_iter().enumerate() {
            let at = format!("articles[{n}]");
            let headline = self.text(a, "headline", &at)?;
            let mut facts = BTreeSet::from([Fact::Position(n + 1), Fact::Text("headline", norm(&headline))]);
            if let Some(s) = self.truthy_text(a, "subheadline", &at)? {
                facts.insert(Fact::Text("subheadline", norm(&s)));
            }
            let bylines: Vec<&Object> = match a.get("byline").filter(|v| truthy(Some(v))) {
                None => Vec::new(),
                Some(Value::Object(b)) => vec![b],
                Some(Value::Array(list)) => list
                    .iter()
                    .map(|b| {
                        b.as_object()
                            .ok_or_else(|| self.bad(format!("{at}: a byline is not an object")))
                    })
                    .collect::<Result<_>>()?,
                Some(_) => return Err(self.bad(format!("{at}: \"byline\" is not an object or a list"))),
            };
            for b in bylines {
                for (k, f) in [("role", "role"), ("author", "person")] {
                    if let Some(v) = self.truthy_text(b, f, &at)? {
                        facts.insert(Fact::Text(k, norm(&v)));
                    }
                }
            }
            if let Some(s) = self.truthy_text(a, "source", &at)? {
                facts.insert(Fact::Text("source", norm_org(&s)));
            }
            g.articles.push(Article {
                facts,
                label: headline,
                optional: optional(a),
            });
        }
        Ok(g)
    }
}

// ---------------------------------------------------------------- reading the graph

type Row = Vec<Option<String>>;

fn term_value(t: &Term) -> String {
    match t {
        Term::NamedNode(n) => n.as_str().to_string(),
        Term::BlankNode(b) => b.as_str().to_string(),
        Term::Literal(l) => l.value().to_string(),
        #[allow(unreachable_patterns)]
        _ => t.to_string(),
    }
}

fn rows(store: &Store, sparql: &str) -> Result<Vec<Row>> {
    Ok(select(store, sparql)?
        .into_iter()
        .map(|r| r.iter().map(|t| t.as_ref().map(term_value)).collect())
        .collect())
}

/// A variable the pattern always binds (score.py: a KeyError, which empties the section).
fn need<'r>(row: &'r Row, i: usize, var: &str) -> Result<&'r str> {
    row.get(i)
        .and_then(|v| v.as_deref())
        .ok_or_else(|| Error::Sparql(format!("'{var}' unbound")))
}

/// The edition's IRIs as a `VALUES` list: the PublicationIssue whose gx:sourceFile
/// is `basename`, else the only one in the store.
fn find_editions(store: &Store, basename: &str) -> Result<String> {
    let lit = basename.replace('\\', "\\\\").replace('"', "\\\"");
    let mut found = rows(
        store,
        &format!(
            "{PREFIXES}SELECT DISTINCT ?e WHERE {{ ?e a schema:PublicationIssue ; \
             gx:sourceFile ?f . FILTER(STR(?f) = \"{lit}\") }}"
        ),
    )?;
    if found.is_empty() {
        found = rows(
            store,
            &format!("{PREFIXES}SELECT DISTINCT ?e WHERE {{ ?e a schema:PublicationIssue }}"),
        )?;
        if found.len() != 1 {
            return Err(Error::Sparql(format!(
                "no schema:PublicationIssue with gx:sourceFile {} and {} editions in the store",
                py_repr_str(basename),
                found.len()
            )));
        }
    }
    let mut eds = found
        .iter()
        .map(|r| Ok(format!("<{}>", need(r, 0, "e")?)))
        .collect::<Result<Vec<_>>>()?;
    eds.sort();
    let eds = eds.join(" ");
    let any = rows(
        store,
        &format!("SELECT ?s WHERE {{ VALUES ?g {{ {eds} }} GRAPH ?g {{ ?s ?p ?o }} }} LIMIT 1"),
    )?;
    if any.is_empty() {
        return Err(Error::Sparql(format!(
            "no named graph {eds}: GRAPH.md puts an edition's statements in the graph named by the edition IRI"
        )));
    }
    Ok(eds)
}

/// Pattern: ?var occurs, as subject or object, in one of the editions' named graphs.
fn in_edition(var: &str, eds: &str) -> String {
    format!("FILTER EXISTS {{ VALUES ?g {{ {eds} }} GRAPH ?g {{ {{ ?{var} ?x ?y }} UNION {{ ?y ?x ?{var} }} }} }}")
}

/// Keyed items in first-seen order, as a Python dict keeps them.
#[derive(Default)]
struct Ordered {
    index: HashMap<String, usize>,
    items: Vec<Keyed>,
}

impl Ordered {
    fn entry(&mut self, id: &str, label: impl FnOnce() -> String) -> &mut Keyed {
        let i = *self.index.entry(id.to_string()).or_insert_with(|| {
            self.items.push(Keyed {
                keys: BTreeSet::new(),
                label: label(),
                optional: false,
            });
            self.items.len() - 1
        });
        &mut self.items[i]
    }
}

/// Persons, organisations: instances of `classes` that occur in the edition's
/// graph, each with its names (`props`) normalised by `f`.
fn x_named(store: &Store, eds: &str, classes: &str, props: &str, f: fn(&str) -> String) -> Result<Vec<Keyed>> {
    let found = rows(
        store,
        &format!(
            "{PREFIXES}SELECT DISTINCT ?r ?n WHERE {{ VALUES ?c {{ {classes} }}
        VALUES ?np {{ {props} }} ?r a ?c ; ?np ?n . {ZH} {} }}",
            in_edition("r", eds)
        ),
    )?;
    let mut out = Ordered::default();
    for r in &found {
        let (id, n) = (need(r, 0, "r")?, need(r, 1, "n")?);
        out.entry(id, || n.to_string()).keys.insert(Key::Name(f(n)));
    }
    Ok(out.items)
}

fn norm_fn(s: &str) -> String {
    norm(s)
}

fn norm_org_fn(s: &str) -> String {
    norm_org(s)
}

/// Places mentioned (itsrdf:taIdentRef), or a jurisdiction / location / partner, in the edition's graph.
fn x_places(store: &Store, eds: &str) -> Result<Vec<Keyed>> {
    let found = rows(
        store,
        &format!(
            "{PREFIXES}SELECT DISTINCT ?pl ?n ?code WHERE {{
        VALUES ?g {{ {eds} }}
        GRAPH ?g {{ {{ ?m itsrdf:taIdentRef ?pl }} UNION {{ ?s gx:jurisdiction ?pl }}
                   UNION {{ ?s schema:location ?pl }} UNION {{ ?s gx:partner ?pl }} }}
        ?pl a schema:AdministrativeArea .
        OPTIONAL {{ ?pl schema:name ?n {ZH} }} OPTIONAL {{ ?pl gx:divisionCode ?code }} }}"
        ),
    )?;
    let mut out = Ordered::default();
    for r in &found {
        let pl = need(r, 0, "pl")?;
        let (n, code) = (r[1].as_deref(), r[2].as_deref());
        let p = out.entry(pl, || n.filter(|n| !n.is_empty()).unwrap_or(pl).to_string());
        if let Some(n) = n {
            p.keys.insert(Key::PlaceName(norm(n)));
        }
        if let Some(c) = code {
            p.keys.insert(Key::PlaceCode(norm(c)));
        }
    }
    Ok(out.items)
}

/// The title is the post's gx:title, else its rdfs:label (canon_title copes with both).
fn x_holdings(store: &Store, eds: &str) -> Result<Vec<Keyed>> {
    let zh = |v: &str| format!(r#"FILTER(lang(?{v}) = "" || langMatches(lang(?{v}), "zh"))"#);
    let found = rows(
        store,
        &format!(
            "{PREFIXES}SELECT ?h ?person ?label ?title ?jur WHERE {{
        VALUES ?g {{ {eds} }} GRAPH ?g {{ ?h a gx:Holding }} ?h org:member ?p ; gx:post ?post .
        OPTIONAL {{ ?p schema:name ?person {} }}
        OPTIONAL {{ ?post rdfs:label ?label }} OPTIONAL {{ ?post gx:title ?title }}
        OPTIONAL {{ ?post gx:jurisdiction ?j . ?j schema:name ?jur {} }} }}",
            zh("person"),
            zh("jur")
        ),
    )?;
    let mut out = Ordered::default();
    for r in &found {
        let h = need(r, 0, "h")?;
        let (person, label, title, jur) = (r[1].as_deref(), r[2].as_deref(), r[3].as_deref(), r[4].as_deref());
        fn nonempty(s: Option<&str>) -> Option<&str> {
            s.filter(|s| !s.is_empty())
        }
        let t = nonempty(title).or(label).unwrap_or("");
        let j = jur.unwrap_or("");
        out.entry(h, || {
            format!("{} {}", person.unwrap_or("None"), nonempty(label).unwrap_or(t))
        })
        .keys
        .insert(Key::Holding(norm(person.unwrap_or("")), norm(j), canon_title(t, j)));
    }
    Ok(out.items)
}

/// A subject's types (local names) and, per property, per object, the object's values.
#[derive(Default)]
struct Described {
    types: BTreeSet<String>,
    props: HashMap<String, BTreeMap<String, BTreeSet<String>>>,
}

impl Described {
    /// All values of a property, normalised.
    fn vals(&self, prop: &str, f: Norm) -> BTreeSet<String> {
        self.props
            .get(prop)
            .into_iter()
            .flat_map(|objects| objects.values().flatten())
            .map(|v| f.apply(v))
            .collect()
    }
}

/// The instances of `classes` typed in the editions' graphs, sorted by IRI; an
/// object's value is its schema:name, else its rdfs:label (posts), else itself.
fn describe(store: &Store, eds: &str, classes: &str) -> Result<BTreeMap<String, Described>> {
    let found = rows(
        store,
        &format!(
            "{PREFIXES}SELECT ?s ?t ?p ?o ?v WHERE {{
        VALUES ?g {{ {eds} }} VALUES ?t {{ {classes} }} GRAPH ?g {{ ?s a ?t }} ?s ?p ?o .
        OPTIONAL {{ ?o schema:name ?n {ZH} }} OPTIONAL {{ ?o rdfs:label ?lb }}
        BIND(COALESCE(STR(?n), STR(?lb), STR(?o)) AS ?v) }}"
        ),
    )?;
    let mut out: BTreeMap<String, Described> = BTreeMap::new();
    for r in &found {
        let (s, t, p, o, v) = (
            need(r, 0, "s")?,
            need(r, 1, "t")?,
            need(r, 2, "p")?,
            need(r, 3, "o")?,
            need(r, 4, "v")?,
        );
        let d = out.entry(s.to_string()).or_default();
        d.types.insert(t.rsplit(['#', '/']).next().unwrap_or(t).to_string());
        d.props
            .entry(p.to_string())
            .or_default()
            .entry(o.to_string())
            .or_default()
            .insert(v.to_string());
    }
    Ok(out)
}

fn x_events(store: &Store, eds: &str) -> Result<Vec<PredEvent>> {
    let classes: Vec<String> = EVENT_TYPES.iter().map(|t| format!("gx:{t}")).collect();
    let mut events = Vec::new();
    for (iri, d) in describe(store, eds, &classes.join(" "))? {
        let mut roles: RoleSets = EVENT_ROLES
            .iter()
            .map(|&(role, prop, f)| (role, d.vals(prop, f)))
            .collect();
        roles
            .entry("about")
            .or_default()
            .extend(d.vals(RDFS_LABEL, Norm::Plain));
        let kind = d.types.iter().next().cloned().unwrap_or_default();
        if kind != "Visit" {
            roles.insert("destinations", BTreeSet::new()); // only a visit's locations make a role list
        }
        events.push(PredEvent {
            label: format!("{kind} {iri}"),
            kind,
            roles,
        });
    }
    Ok(events)
}

fn x_partnerships(store: &Store, eds: &str) -> Result<Vec<Keyed>> {
    let year = regex::Regex::new(r"^-?\d{4}").expect("a valid pattern");
    let mut out = Vec::new();
    for (_, d) in describe(store, eds, "gx:Partnership")? {
        let parties: BTreeSet<String> = d
            .props
            .get(&format!("{GX}partner"))
            .into_iter()
            .flat_map(|objects| objects.values())
            .filter_map(|vs| vs.iter().map(|v| norm_org(v)).min())
            .collect();
        let years: BTreeSet<String> = d
            .vals(&format!("{SCHEMA}startDate"), Norm::Plain)
            .iter()
            .filter_map(|v| year.find(v).map(|m| m.as_str().to_string()))
            .collect();
        let keys = if years.is_empty() {
            BTreeSet::from([Key::Partnership(parties.clone(), None)])
        } else {
            years
                .iter()
                .map(|y| Key::Partnership(parties.clone(), Some(y.clone())))
                .collect()
        };
        let parties: Vec<&str> = parties.iter().map(String::as_str).collect();
        let years: Vec<&str> = years.iter().map(String::as_str).collect();
        out.push(Keyed {
            keys,
            label: format!("{} {}", parties.join("+"), years.join(",")),
            optional: false,
        });
    }
    Ok(out)
}

/// Each article as a set of facts; its position is its rank in reading order (by schema:position).
fn x_articles(store: &Store, eds: &str) -> Result<Vec<Article>> {
    let arts = describe(store, eds, "schema:NewsArticle")?;
    let mut order: Vec<(Option<i128>, &String)> = Vec::new();
    for (iri, d) in &arts {
        let mut positions = Vec::new();
        for v in d.vals(&format!("{SCHEMA}position"), Norm::Plain) {
            let digits = v.trim_start_matches('-');
            // Python's str.isdigit() then int(): other scripts' digits are left out here.
            if !digits.is_empty() && digits.chars().all(|c| c.is_ascii_digit()) {
                if v.len() - digits.len() > 1 {
                    return Err(Error::Sparql(format!("invalid literal for int() with base 10: {v:?}")));
                }
                positions.push(v.parse::<i128>().unwrap_or(i128::MAX));
            }
        }
        order.push((positions.into_iter().min(), iri));
    }
    // No position sorts last (score.py: infinity).
    order.sort_by(|a, b| (a.0.is_none(), a.0, a.1).cmp(&(b.0.is_none(), b.0, b.1)));
    let mut out = Vec::new();
    for (rank, (_, iri)) in order.into_iter().enumerate() {
        let d = &arts[iri];
        let mut facts: BTreeSet<Fact> = ARTICLE_FACTS
            .iter()
            .flat_map(|&(k, prop, f)| d.vals(prop, f).into_iter().map(move |v| Fact::Text(k, v)))
            .collect();
        facts.insert(Fact::Position(rank + 1));
        out.push(Article {
            facts,
            label: iri.clone(),
            optional: false,
        });
    }
    Ok(out)
}

/// What was read from one edition's graph.
#[derive(Default)]
struct Predicted {
    persons: Vec<Keyed>,
    places: Vec<Keyed>,
    organisations: Vec<Keyed>,
    holdings: Vec<Keyed>,
    events: Vec<PredEvent>,
    partnerships: Vec<Keyed>,
    articles: Vec<Article>,
}

/// Reads every section; a failing one stays empty and is reported in `errors`.
fn predicted(store: &Store, eds: &str, errors: &mut Vec<String>) -> Predicted {
    fn take<T: Default>(r: Result<T>, section: &str, errors: &mut Vec<String>) -> T {
        r.unwrap_or_else(|e| {
            errors.push(format!("{section}: {e}"));
            T::default()
        })
    }
    Predicted {
        persons: take(
            x_named(store, eds, "schema:Person", "schema:name", norm_fn),
            "persons",
            errors,
        ),
        places: take(x_places(store, eds), "places", errors),
        organisations: take(
            x_named(store, eds, ORG_CLASSES, "schema:name schema:alternateName", norm_org_fn),
            "organisations",
            errors,
        ),
        holdings: take(x_holdings(store, eds), "holdings", errors),
        events: take(x_events(store, eds), "events", errors),
        partnerships: take(x_partnerships(store, eds), "partnerships", errors),
        articles: take(x_articles(store, eds), "articles", errors),
    }
}

// ---------------------------------------------------------------- matching and counting

/// Greedy one-to-one matching: required gold entries first, then the best
/// score (None: no match). Returns ({gold index: pred index}, the pred indexes
/// that are false positives). A prediction matched to an optional entry is
/// neither TP nor FP. With `ignore_dups`, neither is one whose matching entries
/// were all taken by others: sections are sets.
fn greedy<G, P>(
    gold: &[G],
    optional: impl Fn(&G) -> bool,
    pred: &[P],
    score: impl Fn(&G, &P) -> Option<Vec<i64>>,
    ignore_dups: bool,
) -> (HashMap<usize, usize>, Vec<usize>) {
    let mut cands = Vec::new();
    for (gi, g) in gold.iter().enumerate() {
        for (pj, p) in pred.iter().enumerate() {
            if let Some(s) = score(g, p) {
                cands.push((optional(g), s.into_iter().map(|x| -x).collect::<Vec<_>>(), gi, pj));
            }
        }
    }
    cands.sort();
    let (mut pairs, mut used, mut touched) = (HashMap::new(), BTreeSet::new(), BTreeSet::new());
    for (_, _, gi, pj) in cands {
        touched.insert(pj);
        if !pairs.contains_key(&gi) && !used.contains(&pj) {
            pairs.insert(gi, pj);
            used.insert(pj);
        }
    }
    let fp = (0..pred.len())
        .filter(|pj| !(used.contains(pj) || ignore_dups && touched.contains(pj)))
        .collect();
    (pairs, fp)
}

/// Counts of one section, with what was missed and what was spurious.
#[derive(Debug, Clone, Default)]
struct Tally {
    gold: usize,
    predicted: usize,
    tp: usize,
    missed: Vec<String>,
    spurious: Vec<String>,
}

impl Tally {
    /// One gold set against one predicted set.
    fn add<T: Shown>(&mut self, gold: &BTreeSet<T>, pred: &BTreeSet<T>, label: &str) {
        self.gold += gold.len();
        self.predicted += pred.len();
        self.tp += gold.intersection(pred).count();
        let listed = |a: &BTreeSet<T>, b: &BTreeSet<T>| {
            let mut d: Vec<&T> = a.difference(b).collect();
            d.sort_by_cached_key(|x| x.sort_key());
            d.into_iter()
                .map(|x| format!("{label}{}", x.show()))
                .collect::<Vec<_>>()
        };
        self.missed.extend(listed(gold, pred));
        self.spurious.extend(listed(pred, gold));
    }
}

fn one(s: &str) -> BTreeSet<String> {
    BTreeSet::from([s.to_string()])
}

fn score_set(gold: &[Keyed], pred: &[Keyed]) -> Tally {
    // Same keys: the same item (the last one's label, the first one's place).
    let mut index: HashMap<&BTreeSet<Key>, usize> = HashMap::new();
    let mut uniq: Vec<Keyed> = Vec::new();
    for p in pred {
        match index.get(&p.keys) {
            Some(&i) => uniq[i].label = p.label.clone(),
            None => {
                index.insert(&p.keys, uniq.len());
                uniq.push(p.clone());
            }
        }
    }
    let (pairs, fp) = greedy(
        gold,
        |g| g.optional,
        &uniq,
        |g, p| (!g.keys.is_disjoint(&p.keys)).then(|| vec![1]),
        true,
    );
    let mut s = Tally::default();
    for (gi, g) in gold.iter().enumerate() {
        if !g.optional {
            let found = if pairs.contains_key(&gi) {
                one(&g.label)
            } else {
                BTreeSet::new()
            };
            s.add(&one(&g.label), &found, "");
        }
    }
    s.add(
        &BTreeSet::new(),
        &fp.iter().map(|&pj| uniq[pj].label.clone()).collect(),
        "",
    );
    s.predicted = s.tp + fp.len(); // labels of distinct false positives may coincide
    s
}

/// events: matched on type + a key role that agrees. event roles: each role list
/// the gold event has, as a set, against its match; an unmatched event counts
/// against an empty one. event dates: start and end, exact, over matched events.
fn score_events(gold: &[GoldEvent], pred: &[PredEvent]) -> (Tally, Tally, Tally) {
    let ev_score = |g: &GoldEvent, p: &PredEvent| -> Option<Vec<i64>> {
        if g.kind != p.kind {
            return None;
        }
        let agree = key_roles(&g.kind)
            .iter()
            .filter(|r| !g.role(r).is_disjoint(p.role(r)))
            .count();
        let shared: usize = ROLE_LISTS
            .iter()
            .map(|r| g.role(r).intersection(p.role(r)).count())
            .sum();
        (agree > 0).then(|| vec![agree as i64, shared as i64])
    };
    let (pairs, fp) = greedy(gold, |g| g.optional, pred, ev_score, true);
    let (mut events, mut roles, mut dates) = (Tally::default(), Tally::default(), Tally::default());
    let empty = BTreeSet::new();
    for (gi, g) in gold.iter().enumerate() {
        if g.optional {
            continue;
        }
        let p = pairs.get(&gi).map(|&pj| &pred[pj]);
        events.add(&one(&g.label), &p.map_or_else(BTreeSet::new, |_| one(&g.label)), "");
        for role in ROLE_LISTS {
            if let Some(gs) = g.roles.get(role) {
                roles.add(gs, p.map_or(&empty, |p| p.role(role)), &format!("{} {role}: ", g.label));
            }
        }
        if let Some(p) = p {
            for (f, gv) in [("start", &g.start), ("end", &g.end)] {
                let gs = gv.as_deref().map_or_else(BTreeSet::new, one);
                dates.add(&gs, p.role(f), &format!("{} {f}: ", g.label));
            }
        }
    }
    for pj in fp {
        let p = &pred[pj];
        events.add(&BTreeSet::new(), &one(&p.label), "");
        for role in ROLE_LISTS {
            roles.add(&BTreeSet::new(), p.role(role), &format!("{} {role}: ", p.label));
        }
    }
    (events, roles, dates)
}

/// Articles pair up on headline or reading-order position; their facts are then
/// compared as sets. An article that pairs with none counts all its facts as
/// missed (gold) or spurious (predicted).
fn score_articles(gold: &[Article], pred: &[Article]) -> Tally {
    let art_score = |g: &Article, p: &Article| -> Option<Vec<i64>> {
        let same: Vec<&Fact> = g.facts.intersection(&p.facts).collect();
        same.iter()
            .any(|f| matches!(f.kind(), "headline" | "position"))
            .then(|| vec![same.len() as i64])
    };
    let (pairs, fp) = greedy(gold, |g| g.optional, pred, art_score, false);
    let mut s = Tally::default();
    let empty = BTreeSet::new();
    for (gi, g) in gold.iter().enumerate() {
        if !g.optional {
            let p = pairs.get(&gi).map_or(&empty, |&pj| &pred[pj].facts);
            s.add(&g.facts, p, &format!("{}: ", g.label));
        }
    }
    for pj in fp {
        s.add(&BTreeSet::new(), &pred[pj].facts, &format!("{}: ", pred[pj].label));
    }
    s
}

fn score_edition(g: &GoldItems, p: &Predicted) -> BTreeMap<&'static str, Tally> {
    let mut out = BTreeMap::from([
        ("persons", score_set(&g.persons, &p.persons)),
        ("places", score_set(&g.places, &p.places)),
        ("organisations", score_set(&g.organisations, &p.organisations)),
        ("holdings", score_set(&g.holdings, &p.holdings)),
        ("partnerships", score_set(&g.partnerships, &p.partnerships)),
    ]);
    let (events, roles, dates) = score_events(&g.events, &p.events);
    out.insert("events", events);
    out.insert("event roles", roles);
    out.insert("event dates", dates);
    out.insert("articles", score_articles(&g.articles, &p.articles));
    out
}

// ---------------------------------------------------------------- the report

/// One section's counts and scores (P, R, F1 rounded to 6 places, as score.py does).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Section {
    pub gold: usize,
    pub predicted: usize,
    pub tp: usize,
    /// Per edition only: gold items not predicted.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub missed: Option<Vec<String>>,
    /// Per edition only: predicted items not in the gold.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub spurious: Option<Vec<String>>,
    pub p: f64,
    pub r: f64,
    pub f1: f64,
}

/// Python's round(x, 6): correctly rounded, ties to even on the exact value.
fn round6(x: f64) -> f64 {
    format!("{x:.6}").parse().unwrap_or(x)
}

impl Section {
    /// P, R and F1 for counts; an empty side scores 1.0 when the other is empty too, else 0.0.
    fn new(gold: usize, predicted: usize, tp: usize, lists: Option<(Vec<String>, Vec<String>)>) -> Section {
        let p = if predicted > 0 {
            tp as f64 / predicted as f64
        } else {
            f64::from(u8::from(gold == 0))
        };
        let r = if gold > 0 {
            tp as f64 / gold as f64
        } else {
            f64::from(u8::from(predicted == 0))
        };
        let f1 = if p + r != 0.0 { 2.0 * p * r / (p + r) } else { 0.0 };
        let (missed, spurious) = lists.map_or((None, None), |(m, s)| (Some(m), Some(s)));
        Section {
            gold,
            predicted,
            tp,
            missed,
            spurious,
            p: round6(p),
            r: round6(r),
            f1: round6(f1),
        }
    }

    /// Micro sum of the counts (the item lists stay with the parts).
    fn total<'a>(parts: impl IntoIterator<Item = &'a Section>) -> Section {
        let (mut g, mut p, mut t) = (0, 0, 0);
        for s in parts {
            g += s.gold;
            p += s.predicted;
            t += s.tp;
        }
        Section::new(g, p, t, None)
    }
}

/// The sections in table order, then "overall".
#[derive(Debug, Clone, PartialEq)]
pub struct Sections(pub Vec<(String, Section)>);

impl Sections {
    pub fn get(&self, name: &str) -> Option<&Section> {
        self.0.iter().find(|(k, _)| k == name).map(|(_, s)| s)
    }

    /// Micro over the overall sections.
    pub fn overall(&self) -> &Section {
        self.get("overall").expect("every report has an overall")
    }

    fn finish(secs: Vec<(String, Section)>) -> Sections {
        let overall = Section::total(
            secs.iter()
                .filter(|(k, _)| OVERALL.contains(&k.as_str()))
                .map(|(_, s)| s),
        );
        let mut secs = secs;
        secs.push(("overall".into(), overall));
        Sections(secs)
    }
}

impl Serialize for Sections {
    fn serialize<S: Serializer>(&self, serializer: S) -> std::result::Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.0.len()))?;
        for (k, v) in &self.0 {
            map.serialize_entry(k, v)?;
        }
        map.end()
    }
}

/// One edition scored against its gold file.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EditionReport {
    /// The edition file, as given.
    pub edition: String,
    /// The gold file, as given.
    pub gold: String,
    /// What went wrong reading the edition or its graph (the sections concerned score as empty).
    pub errors: Vec<String>,
    pub sections: Sections,
    /// Notes for the user, such as a gold file made for another edition (not in the JSON).
    #[serde(skip)]
    pub warnings: Vec<String>,
}

/// Every edition, and micro-averages over all of them.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Report {
    pub editions: Vec<EditionReport>,
    pub micro: Sections,
}

impl Report {
    /// The warnings and errors, one line each, as score.py writes them to stderr.
    pub fn messages(&self) -> Vec<String> {
        let mut out = Vec::new();
        for e in &self.editions {
            out.extend(e.warnings.iter().map(|w| format!("warning: {w}")));
            let base = basename(&e.edition);
            out.extend(e.errors.iter().map(|x| format!("error: {base}: {x}")));
        }
        out
    }

    /// Whether an edition or one of its sections could not be read.
    pub fn has_errors(&self) -> bool {
        self.editions.iter().any(|e| !e.errors.is_empty())
    }

    /// One line of JSON, laid out as score.py's `--json` (Python's separators and floats).
    pub fn to_json(&self) -> String {
        let mut out = Vec::new();
        let mut ser = serde_json::Serializer::with_formatter(&mut out, PyFormatter);
        self.serialize(&mut ser).expect("a report serialises");
        String::from_utf8(out).expect("JSON is UTF-8")
    }

    /// Everything score.py prints to stdout: the tables (or the JSON line), then `overall F1 0.xxx`.
    pub fn render(&self, json: bool, verbose: bool) -> String {
        let mut out = String::new();
        if json {
            out.push_str(&self.to_json());
            out.push('\n');
        } else {
            for e in &self.editions {
                table(&mut out, &e.edition, &e.sections, verbose);
            }
            if self.editions.len() > 1 {
                let title = format!("all {} editions (micro)", self.editions.len());
                table(&mut out, &title, &self.micro, verbose);
            }
        }
        let _ = writeln!(out, "overall F1 {:.3}", self.micro.overall().f1);
        out
    }
}

fn table(out: &mut String, title: &str, secs: &Sections, verbose: bool) {
    let _ = writeln!(
        out,
        "== {title}\n{:<14}{:>6}{:>6}{:>6}{:>7}{:>7}{:>7}",
        "section", "gold", "pred", "TP", "P", "R", "F1"
    );
    let mut starred = false;
    for (k, s) in &secs.0 {
        let star = !OVERALL.contains(&k.as_str()) && k != "overall";
        starred |= star;
        let name = format!("{k}{}", if star { "*" } else { "" });
        let _ = writeln!(
            out,
            "{name:<14}{:>6}{:>6}{:>6}{:>7.3}{:>7.3}{:>7.3}",
            s.gold, s.predicted, s.tp, s.p, s.r, s.f1
        );
        if verbose {
            for (what, items) in [("missed", &s.missed), ("spurious", &s.spurious)] {
                for item in items.iter().flatten() {
                    let _ = writeln!(out, "    {what}: {item}");
                }
            }
        }
    }
    out.push_str(if starred { "(* shown, not in overall)\n\n" } else { "\n" });
}

/// Python's json.dumps layout: `, ` and `: ` between items, floats as repr() writes them.
struct PyFormatter;

impl serde_json::ser::Formatter for PyFormatter {
    fn begin_array_value<W: ?Sized + std::io::Write>(&mut self, w: &mut W, first: bool) -> std::io::Result<()> {
        if first {
            Ok(())
        } else {
            w.write_all(b", ")
        }
    }

    fn begin_object_key<W: ?Sized + std::io::Write>(&mut self, w: &mut W, first: bool) -> std::io::Result<()> {
        if first {
            Ok(())
        } else {
            w.write_all(b", ")
        }
    }

    fn begin_object_value<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        w.write_all(b": ")
    }

    fn write_f64<W: ?Sized + std::io::Write>(&mut self, w: &mut W, value: f64) -> std::io::Result<()> {
        w.write_all(py_float(value).as_bytes())
    }
}

/// `os.path.basename`: what follows the last `/`.
fn basename(path: &str) -> &str {
    path.rsplit('/').next().unwrap_or(path)
}

// ---------------------------------------------------------------- the job

/// EDITION.txt GOLD.json pairs from a flat list of files.
pub fn pairs(files: &[PathBuf]) -> Result<Vec<(PathBuf, PathBuf)>> {
    if files.is_empty() || !files.len().is_multiple_of(2) {
        return Err(Error::Usage(format!(
            "give EDITION.txt GOLD.json pairs ({} files given)",
            files.len()
        )));
    }
    Ok(files.chunks(2).map(|p| (p[0].clone(), p[1].clone())).collect())
}

/// Reads and checks a gold file.
fn read_gold(path: &Path) -> Result<(Value, GoldItems)> {
    let text = std::fs::read_to_string(path).map_err(|e| Error::input(path, format!("cannot read: {e}")))?;
    let gold: Value =
        serde_json::from_str(&text).map_err(|e| Error::at_line(path, e.line(), format!("not JSON: {e}")))?;
    let items = GoldReader { path }.items(&gold)?;
    Ok((gold, items))
}

/// The graph one edition gives, in a fresh in-memory store (as `guanxi ingest` would build it).
fn ingest(txt: &Path, overrides: &MetaOverrides, gazetteers: Option<&Path>) -> Result<GraphStore> {
    let files = edition_files(&[txt.to_path_buf()])?;
    // A fresh extractor per edition, as score.py runs a fresh `guanxi ingest`:
    // the gazetteer loads villages as editions name their counties and keeps them.
    let mut extractor = Extractor::new(gazetteers)?;
    let prepared = files
        .iter()
        .map(|f| prepare(&mut extractor, f, overrides))
        .collect::<Result<Vec<_>>>()?;
    let store = GraphStore::in_memory()?;
    store.replace_editions(prepared.iter().map(|p| &p.quads))?;
    Ok(store)
}

/// Scores each (edition, gold) pair as score.py does, and micro-averages over all.
/// A gold file that cannot be read is an error; an edition that cannot be read
/// scores as empty, with its error in the report.
pub fn evaluate(pairs: &[(PathBuf, PathBuf)], overrides: &MetaOverrides, gazetteers: Option<&Path>) -> Result<Report> {
    if let Some(dir) = gazetteers {
        // A bad gazetteer folder is the user's mistake for every pair alike: say so once.
        Extractor::new(Some(dir))?;
    }
    let mut editions = Vec::new();
    for (txt, gold_path) in pairs {
        let (gold, items) = read_gold(gold_path)?;
        let (edition, gold_name) = (txt.display().to_string(), gold_path.display().to_string());
        let base = basename(&edition).to_string();
        let mut warnings = Vec::new();
        if let Some(file) = gold.get("file").filter(|f| truthy(Some(f))) {
            if file.as_str() != Some(base.as_str()) {
                warnings.push(format!("{gold_name} is the gold for {}, not {base}", py_str(file)));
            }
        }
        let mut errors = Vec::new();
        let pred = match ingest(txt, overrides, gazetteers).and_then(|s| {
            let eds = find_editions(&s.store, &base)?;
            Ok((s, eds))
        }) {
            Ok((store, eds)) => predicted(&store.store, &eds, &mut errors),
            Err(e) => {
                errors.push(e.to_string());
                Predicted::default()
            }
        };
        let mut tallies = score_edition(&items, &pred);
        let sections = SECTIONS
            .iter()
            .map(|&k| {
                let t = tallies.remove(k).unwrap_or_default();
                (
                    k.to_string(),
                    Section::new(t.gold, t.predicted, t.tp, Some((t.missed, t.spurious))),
                )
            })
            .collect();
        editions.push(EditionReport {
            edition,
            gold: gold_name,
            errors,
            sections: Sections::finish(sections),
            warnings,
        });
    }
    let micro = SECTIONS
        .iter()
        .map(|&k| {
            let parts = editions.iter().filter_map(|e: &EditionReport| e.sections.get(k));
            (k.to_string(), Section::total(parts))
        })
        .collect();
    Ok(Report {
        editions,
        micro: Sections::finish(micro),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn norm_folds_width_and_drops_every_space() {
        assert_eq!(norm("Ａ１ 云泽\u{3000}区\t\n"), "A1云泽区");
        assert_eq!(norm("云\u{a0}泽\u{1f}"), "云泽");
        assert_eq!(norm("（一）"), "(一)");
        assert_eq!(norm_org("中共云泽区委"), "云泽区委");
        assert_eq!(norm_org(" 中 共云泽区委"), "云泽区委");
        assert_eq!(norm_org("云泽区中共党校"), "云泽区中共党校");
    }

    #[test]
    fn canon_title_sends_the_forms_of_a_post_to_one() {
        for t in ["云泽市长", "云泽市市长", "市长"] {
            assert_eq!(canon_title(t, "云泽市"), "长", "{t}");
        }
        for t in ["中共云泽市委书记", "云泽市委书记", "市委书记"] {
            assert_eq!(canon_title(t, "云泽市"), "委书记", "{t}");
        }
        assert_eq!(canon_title("云泽市副市长", "云泽市"), "副市长");
        assert_eq!(canon_title("副市长", "云泽市"), "副市长");
        // The suffix alone is not taken off a title that is nothing else.
        assert_eq!(canon_title("云泽市", "云泽市"), "");
        assert_eq!(canon_title("市", "云泽市"), "市");
        // Longest suffix first; no jurisdiction leaves the title as it is.
        assert_eq!(canon_title("霁川自治州州长", "霁川自治州"), "州长");
        assert_eq!(canon_title("霁川州长", "霁川自治州"), "州长");
        assert_eq!(canon_title("中共党组书记", ""), "党组书记");
    }

    fn keyed(names: &[&str], optional: bool) -> Keyed {
        Keyed {
            keys: names.iter().map(|n| Key::Name(n.to_string())).collect(),
            label: names[0].to_string(),
            optional,
        }
    }

    #[test]
    fn optional_entries_and_second_names_count_neither_way() {
        let gold = [
            keyed(&["甲乙", "甲"], false),
            keyed(&["丙丁"], true),
            keyed(&["戊己"], false),
        ];
        let pred = [
            keyed(&["甲"], false),
            keyed(&["甲乙"], false), // a second resource for one entry: ignored
            keyed(&["丙丁"], false), // an optional entry found: ignored
            keyed(&["庚辛"], false), // invented: a false positive
            keyed(&["庚辛"], false), // the same keys: the same item
        ];
        let s = score_set(&gold, &pred);
        assert_eq!((s.gold, s.predicted, s.tp), (2, 2, 1));
        assert_eq!(s.missed, ["戊己"]);
        assert_eq!(s.spurious, ["庚辛"]);
        let sec = Section::new(s.gold, s.predicted, s.tp, None);
        assert_eq!((sec.p, sec.r, sec.f1), (0.5, 0.5, 0.5));
    }

    #[test]
    fn scores_round_and_print_as_python_does() {
        assert_eq!(Section::new(3, 0, 0, None).p, 0.0);
        assert_eq!(Section::new(0, 0, 0, None).f1, 1.0);
        assert_eq!(Section::new(7, 6, 5, None).r, 0.714286);
        assert_eq!(round6(0.0078125), 0.007812);
        assert_eq!(py_float(1.0), "1.0");
        assert_eq!(py_float(0.954545), "0.954545");
        assert_eq!(py_float(0.00005), "5e-05");
        assert_eq!(format!("{:.3}", 0.5625), "0.562");
        assert_eq!(py_repr_str("a'b"), "\"a'b\"");
        assert_eq!(
            Fact::Position(3)
                .sort_key()
                .cmp(&Fact::Text("headline", "x".into()).sort_key()),
            std::cmp::Ordering::Greater
        );
    }

    #[test]
    fn odd_file_lists_are_usage_errors() {
        let files: Vec<PathBuf> = ["a.txt", "a.gold.json", "b.txt"].iter().map(PathBuf::from).collect();
        assert!(matches!(pairs(&files), Err(Error::Usage(_))));
        assert_eq!(pairs(&files[..2]).unwrap().len(), 1);
    }

    #[test]
    fn malformed_gold_names_the_file() {
        let dir = std::env::temp_dir().join(format!("guanxi-eval-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("bad.gold.json");
        for (text, want) in [
            ("{\"persons\": [{\"nom\": \"x\"}]}", "persons[0]: no \"name\""),
            ("{\"persons\": {}}", "not a list"),
            ("{\n\"persons\": [", "bad.gold.json:2:"),
        ] {
            std::fs::write(&path, text).unwrap();
            let err = read_gold(&path).err().expect("an error").to_string();
            assert!(err.contains("bad.gold.json") && err.contains(want), "{err}");
        }
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
