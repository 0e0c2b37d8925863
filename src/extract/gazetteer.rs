//! Gazetteers: reference data as plain TSV (places with division codes, villages,
//! titles, surnames, known persons and organisations), embedded in the binary and
//! overridable file by file from a directory. One aho-corasick automaton,
//! leftmost-longest, finds every known name in a text.

use std::collections::{HashMap, HashSet};
use std::io::Read;
use std::path::{Path, PathBuf};

use aho_corasick::{AhoCorasick, MatchKind};

use crate::error::{Error, Result};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Level {
    Province,
    Prefecture,
    County,
    Township,
    Village,
}

impl Level {
    fn parse(s: &str) -> Option<Level> {
        Some(match s {
            "province" => Level::Province,
            "prefecture" => Level::Prefecture,
            "county" => Level::County,
            "township" => Level::Township,
            "village" => Level::Village,
            _ => return None,
        })
    }

    /// The `gx:` class of the level, as GRAPH.md names it.
    pub fn class_name(self) -> &'static str {
        match self {
            Level::Province => "Province",
            Level::Prefecture => "Prefecture",
            Level::County => "County",
            Level::Township => "Township",
            Level::Village => "Village",
        }
    }
}

pub type PlaceId = usize;

#[derive(Debug, Clone)]
pub struct Place {
    pub code: String,
    pub name: String,
    pub level: Level,
    pub parent: Option<PlaceId>,
    pub short: Option<String>,
    /// Another full form text uses (`黔南州` for `黔南布依族苗族自治州`).
    pub alias: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OrgClass {
    Government,
    PartyCommittee,
    Department,
    Delegation,
    Zone,
    Project,
    Corporation,
    NewsMedia,
    Other,
}

impl OrgClass {
    pub fn parse(s: &str) -> Option<OrgClass> {
        Some(match s {
            "Government" => OrgClass::Government,
            "PartyCommittee" => OrgClass::PartyCommittee,
            "Department" => OrgClass::Department,
            "Delegation" => OrgClass::Delegation,
            "Zone" => OrgClass::Zone,
            "Project" => OrgClass::Project,
            "Corporation" => OrgClass::Corporation,
            "NewsMediaOrganization" => OrgClass::NewsMedia,
            "Organization" => OrgClass::Other,
            _ => return None,
        })
    }
}

#[derive(Debug, Clone)]
pub struct KnownOrg {
    pub name: String,
    pub class: OrgClass,
    pub aliases: Vec<String>,
}

/// Words of the post grammar (see `titles.tsv`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TitleWord {
    Role,
    /// A role in a company (`董事长`): held in the unit named before it, never
    /// in a jurisdiction.
    BusinessRole,
    Body,
    PartyDepartment,
    Group,
    /// Contains a role word but is none (`委员会`, `代表团`).
    Blocker,
}

/// Villages (code, name, parent code) by the 6-digit code prefix of their county.
type VillageIndex = HashMap<String, Vec<(String, String, String)>>;

/// What a gazetteer pattern stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Entry {
    Place { id: PlaceId, short: bool },
    Org(usize),
    Person(usize),
}

/// A gazetteer hit in a text, in char offsets.
#[derive(Debug, Clone, PartialEq)]
pub struct Hit {
    pub begin: usize,
    pub end: usize,
    pub entries: Vec<Entry>,
}

pub struct Gazetteer {
    pub places: Vec<Place>,
    by_code: HashMap<String, PlaceId>,
    /// Villages by the 6-digit code prefix of their county; loaded into `places`
    /// only when an edition names that county (620,000 of them would slow every start).
    villages: VillageIndex,
    loaded_villages: HashMap<String, Vec<PlaceId>>,
    pub orgs: Vec<KnownOrg>,
    pub persons: Vec<String>,
    pub titles: HashMap<String, TitleWord>,
    pub surnames: HashSet<String>,
    pub compound_surnames: HashSet<String>,
    patterns: Vec<Vec<Entry>>,
    automaton: AhoCorasick,
    title_words: Vec<String>,
    title_automaton: AhoCorasick,
}

const FILES: [(&str, &[u8]); 6] = [
    ("places.tsv", include_bytes!("../../gazetteers/places.tsv")),
    ("villages.tsv.gz", include_bytes!("../../gazetteers/villages.tsv.gz")),
    ("titles.tsv", include_bytes!("../../gazetteers/titles.tsv")),
    ("surnames.tsv", include_bytes!("../../gazetteers/surnames.tsv")),
    ("persons.tsv", include_bytes!("../../gazetteers/persons.tsv")),
    (
        "organizations.tsv",
        include_bytes!("../../gazetteers/organizations.tsv"),
    ),
];

/// One TSV file: rows of fields after the header, each with its line number.
struct Table {
    path: PathBuf,
    rows: Vec<(usize, Vec<String>)>,
}

impl Table {
    fn parse(path: PathBuf, text: &str, columns: &[&str], required: usize) -> Result<Table> {
        let mut lines = text.lines().enumerate();
        let header: Vec<&str> = match lines.next() {
            Some((_, h)) => h.trim_start_matches('\u{feff}').split('\t').collect(),
            None => return Err(Error::at_line(&path, 1, "empty gazetteer: a header row is needed")),
        };
        if header.len() < columns.len() || header.iter().zip(columns).any(|(h, c)| h.trim() != *c) {
            return Err(Error::at_line(
                &path,
                1,
                format!("malformed header: expected columns {}", columns.join(", ")),
            ));
        }
        let mut rows = Vec::new();
        for (i, line) in lines {
            if line.trim().is_empty() || line.starts_with('#') {
                continue;
            }
            let fields: Vec<String> = line.split('\t').map(|f| f.trim().to_string()).collect();
            if fields.len() > columns.len()
                || fields.len() < required
                || fields[..required].iter().any(String::is_empty)
            {
                return Err(Error::at_line(
                    &path,
                    i + 1,
                    format!(
                        "malformed row: expected {} tab-separated fields ({}), found {}",
                        columns.len(),
                        columns.join(", "),
                        fields.len()
                    ),
                ));
            }
            rows.push((i + 1, fields));
        }
        Ok(Table { path, rows })
    }

    fn error(&self, line: usize, message: impl Into<String>) -> Error {
        Error::at_line(&self.path, line, message)
    }
}

fn field(fields: &[String], i: usize) -> &str {
    fields.get(i).map_or("", String::as_str)
}

/// The bytes of a gazetteer file: from `dir` when it has the file, else embedded.
fn load_file(dir: Option<&Path>, name: &str) -> Result<(PathBuf, Vec<u8>)> {
    if let Some(dir) = dir {
        let path = dir.join(name);
        if path.exists() {
            let bytes = std::fs::read(&path).map_err(|e| Error::input(&path, format!("cannot read: {e}")))?;
            return Ok((path, bytes));
        }
    }
    let bytes = FILES
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, b)| b.to_vec())
        .unwrap_or_default();
    Ok((PathBuf::from(format!("gazetteers/{name}")), bytes))
}

fn load_text(dir: Option<&Path>, name: &str) -> Result<(PathBuf, String)> {
    let (path, bytes) = load_file(dir, name)?;
    let text = String::from_utf8(bytes).map_err(|e| Error::input(&path, format!("not UTF-8: {e}")))?;
    Ok((path, text))
}

impl Gazetteer {
    /// The embedded gazetteers, with files in `dir` taking the place of theirs.
    pub fn load(dir: Option<&Path>) -> Result<Gazetteer> {
        let (path, text) = load_text(dir, "places.tsv")?;
        let table = Table::parse(
            path,
            &text,
            &["code", "name", "level", "parent_code", "short", "alias"],
            3,
        )?;
        let mut places = Vec::with_capacity(table.rows.len());
        let mut by_code = HashMap::with_capacity(table.rows.len());
        let mut parents = Vec::with_capacity(table.rows.len());
        for (line, f) in &table.rows {
            let code = f[0].clone();
            if code.len() != 12 || !code.bytes().all(|b| b.is_ascii_digit()) {
                return Err(table.error(*line, format!("malformed row: code {code:?} is not 12 digits")));
            }
            let level = Level::parse(&f[2])
                .ok_or_else(|| table.error(*line, format!("malformed row: unknown level {:?}", f[2])))?;
            by_code.insert(code.clone(), places.len());
            parents.push((*line, field(f, 3).to_string()));
            let short = Some(field(f, 4).to_string()).filter(|s| !s.is_empty());
            let alias = Some(field(f, 5).to_string()).filter(|s| !s.is_empty());
            places.push(Place {
                code,
                name: f[1].clone(),
                level,
                parent: None,
                short,
                alias,
            });
        }
        for (id, (line, parent)) in parents.iter().enumerate() {
            if parent.is_empty() {
                continue;
            }
            let pid = *by_code
                .get(parent)
                .ok_or_else(|| table.error(*line, format!("malformed row: unknown parent_code {parent}")))?;
            places[id].parent = Some(pid);
        }

        let villages = load_villages(dir)?;

        let (path, text) = load_text(dir, "titles.tsv")?;
        let table = Table::parse(path, &text, &["word", "kind"], 2)?;
        let mut titles = HashMap::new();
        for (line, f) in &table.rows {
            let kind = match f[1].as_str() {
                "role" => TitleWord::Role,
                "business-role" => TitleWord::BusinessRole,
                "body" => TitleWord::Body,
                "party-department" => TitleWord::PartyDepartment,
                "group" => TitleWord::Group,
                "blocker" => TitleWord::Blocker,
                other => return Err(table.error(*line, format!("malformed row: unknown kind {other:?}"))),
            };
            titles.insert(f[0].clone(), kind);
        }

        let (path, text) = load_text(dir, "surnames.tsv")?;
        let table = Table::parse(path, &text, &["surname", "compound"], 1)?;
        let mut surnames = HashSet::new();
        let mut compound_surnames = HashSet::new();
        for (_, f) in &table.rows {
            if f[0].chars().count() > 1 {
                compound_surnames.insert(f[0].clone());
            } else {
                surnames.insert(f[0].clone());
            }
        }

        let (path, text) = load_text(dir, "persons.tsv")?;
        let table = Table::parse(path, &text, &["name", "note"], 1)?;
        let persons: Vec<String> = table.rows.iter().map(|(_, f)| f[0].clone()).collect();

        let (path, text) = load_text(dir, "organizations.tsv")?;
        let table = Table::parse(path, &text, &["name", "class", "aliases"], 2)?;
        let mut orgs = Vec::new();
        for (line, f) in &table.rows {
            let class = OrgClass::parse(&f[1])
                .ok_or_else(|| table.error(*line, format!("malformed row: unknown class {:?}", f[1])))?;
            let aliases = field(f, 2)
                .split(['|', '，', ','])
                .map(str::trim)
                .filter(|a| !a.is_empty())
                .map(String::from)
                .collect();
            orgs.push(KnownOrg {
                name: f[0].clone(),
                class,
                aliases,
            });
        }

        let mut gazetteer = Gazetteer {
            places,
            by_code,
            villages,
            loaded_villages: HashMap::new(),
            orgs,
            persons,
            titles,
            surnames,
            compound_surnames,
            patterns: Vec::new(),
            automaton: AhoCorasick::new(["\u{0}"]).expect("a trivial automaton"),
            title_words: Vec::new(),
            title_automaton: AhoCorasick::new(["\u{0}"]).expect("a trivial automaton"),
        };
        gazetteer.build_automata()?;
        Ok(gazetteer)
    }

    fn build_automata(&mut self) -> Result<()> {
        let mut index: HashMap<String, usize> = HashMap::new();
        let mut words: Vec<String> = Vec::new();
        let mut patterns: Vec<Vec<Entry>> = Vec::new();
        let mut add = |word: &str, entry: Entry| {
            let k = *index.entry(word.to_string()).or_insert_with(|| {
                words.push(word.to_string());
                patterns.push(Vec::new());
                words.len() - 1
            });
            if !patterns[k].contains(&entry) {
                patterns[k].push(entry);
            }
        };
        for (id, p) in self.places.iter().enumerate() {
            add(&p.name, Entry::Place { id, short: false });
            if let Some(s) = &p.short {
                add(s, Entry::Place { id, short: true });
            }
            if let Some(a) = &p.alias {
                add(a, Entry::Place { id, short: false });
            }
        }
        for (i, o) in self.orgs.iter().enumerate() {
            add(&o.name, Entry::Org(i));
            for a in &o.aliases {
                add(a, Entry::Org(i));
            }
        }
        for (i, p) in self.persons.iter().enumerate() {
            add(p, Entry::Person(i));
        }
        self.automaton = AhoCorasick::builder()
            .match_kind(MatchKind::LeftmostLongest)
            .build(&words)
            .map_err(|e| Error::Usage(format!("gazetteer automaton: {e}")))?;
        self.patterns = patterns;
        self.title_words = self.titles.keys().cloned().collect();
        self.title_automaton = AhoCorasick::builder()
            .match_kind(MatchKind::LeftmostLongest)
            .build(&self.title_words)
            .map_err(|e| Error::Usage(format!("title automaton: {e}")))?;
        Ok(())
    }

    /// Every gazetteer name in `text` (leftmost-longest), in char offsets.
    pub fn find(&self, text: &str) -> Vec<Hit> {
        let offsets = CharOffsets::new(text);
        self.automaton
            .find_iter(text)
            .map(|m| Hit {
                begin: offsets.char_at(m.start()),
                end: offsets.char_at(m.end()),
                entries: self.patterns[m.pattern().as_usize()].clone(),
            })
            .collect()
    }

    /// Every title-grammar word in `text`, in char offsets.
    pub fn find_title_words(&self, text: &str) -> Vec<(usize, usize, TitleWord)> {
        let offsets = CharOffsets::new(text);
        self.title_automaton
            .find_iter(text)
            .map(|m| {
                let word = &self.title_words[m.pattern().as_usize()];
                (offsets.char_at(m.start()), offsets.char_at(m.end()), self.titles[word])
            })
            .collect()
    }

    pub fn place(&self, id: PlaceId) -> &Place {
        &self.places[id]
    }

    pub fn by_code(&self, code: &str) -> Option<PlaceId> {
        self.by_code.get(code).copied()
    }

    /// The place and its ancestors, nearest first.
    pub fn ancestry(&self, id: PlaceId) -> impl Iterator<Item = PlaceId> + '_ {
        std::iter::successors(Some(id), move |&p| self.places[p].parent)
    }

    pub fn is_within(&self, id: PlaceId, ancestor: PlaceId) -> bool {
        self.ancestry(id).any(|p| p == ancestor)
    }

    /// Loads the villages of the counties that contain `within` into `places`,
    /// so they get ids like any other place; a county is loaded once.
    pub fn load_villages(&mut self, within: &[PlaceId]) {
        for &w in within {
            let Some(county) = self.ancestry(w).find(|&a| self.places[a].level == Level::County) else {
                continue;
            };
            let key = self.places[county].code[..6].to_string();
            if self.loaded_villages.contains_key(&key) {
                continue;
            }
            let mut ids = Vec::new();
            for (vcode, name, parent) in self.villages.get(&key).cloned().unwrap_or_default() {
                let Some(&pid) = self.by_code.get(&parent) else {
                    continue;
                };
                self.places.push(Place {
                    code: vcode.clone(),
                    name,
                    level: Level::Village,
                    parent: Some(pid),
                    short: None,
                    alias: None,
                });
                self.by_code.insert(vcode, self.places.len() - 1);
                ids.push(self.places.len() - 1);
            }
            self.loaded_villages.insert(key, ids);
        }
    }

    /// The villages of the county containing `place`, once loaded.
    pub fn villages_of(&self, place: PlaceId) -> &[PlaceId] {
        self.ancestry(place)
            .find(|&a| self.places[a].level == Level::County)
            .and_then(|c| self.loaded_villages.get(&self.places[c].code[..6]))
            .map_or(&[], Vec::as_slice)
    }

    pub fn is_surname_start(&self, s: &str) -> Option<usize> {
        let mut chars = s.chars();
        let two: String = chars.by_ref().take(2).collect();
        if two.chars().count() == 2 && self.compound_surnames.contains(&two) {
            return Some(2);
        }
        let one: String = two.chars().take(1).collect();
        self.surnames.contains(&one).then_some(1)
    }
}

fn load_villages(dir: Option<&Path>) -> Result<VillageIndex> {
    let (path, bytes) = load_file(dir, "villages.tsv.gz")?;
    let mut text = String::new();
    flate2::read::GzDecoder::new(&bytes[..])
        .read_to_string(&mut text)
        .map_err(|e| Error::input(&path, format!("cannot decompress: {e}")))?;
    let table = Table::parse(path, &text, &["code", "name", "parent_code"], 3)?;
    let mut villages = VillageIndex::new();
    for (line, mut f) in table.rows {
        if f[0].len() != 12 {
            return Err(Error::at_line(
                &table.path,
                line,
                format!("malformed row: code {:?} is not 12 digits", f[0]),
            ));
        }
        let parent = f.pop().unwrap_or_default();
        let name = f.pop().unwrap_or_default();
        let code = f.pop().unwrap_or_default();
        villages
            .entry(code[..6].to_string())
            .or_default()
            .push((code, name, parent));
    }
    Ok(villages)
}

/// Byte offsets of a text to char offsets.
pub struct CharOffsets {
    starts: Vec<usize>,
}

impl CharOffsets {
    pub fn new(text: &str) -> CharOffsets {
        let mut starts: Vec<usize> = text.char_indices().map(|(b, _)| b).collect();
        starts.push(text.len());
        CharOffsets { starts }
    }

    pub fn char_at(&self, byte: usize) -> usize {
        self.starts.partition_point(|&b| b < byte)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn malformed_rows_name_file_and_line() {
        let err = Table::parse(
            "x.tsv".into(),
            "name\tclass\taliases\n国务院\tGovernment\n\t\n",
            &["name", "class", "aliases"],
            2,
        );
        assert!(err.is_ok(), "a blank line is skipped");
        let err = Table::parse(
            "x.tsv".into(),
            "name\tclass\taliases\n国务院\n",
            &["name", "class", "aliases"],
            2,
        )
        .err()
        .unwrap();
        assert_eq!(err.to_string().split(": malformed").next(), Some("x.tsv:2"));
    }

    #[test]
    fn embedded_gazetteer_links_short_forms() {
        let g = Gazetteer::load(None).unwrap();
        let hits = g.find("山西太原市清徐县");
        assert_eq!(hits.len(), 3);
        let Entry::Place { id, short } = hits[0].entries[0] else {
            panic!("a place")
        };
        assert!(short);
        assert_eq!(g.place(id).name, "山西省");
        assert_eq!(hits[2].begin, 5);
        let id = g.by_code("310104000000").unwrap();
        assert_eq!(g.place(g.place(id).parent.unwrap()).name, "上海市", "市辖区 is skipped");
    }
}
