//! Place mentions: gazetteer hits resolved to one division each by the chain
//! they stand in (`运城市清徐县`), the article's other places and the paper's
//! own district; a name that stays ambiguous is left unlinked, never guessed.
//! Villages are looked up only under the counties an article names.

use aho_corasick::{AhoCorasick, MatchKind};

use super::gazetteer::{CharOffsets, Entry, Gazetteer, Hit, Level, PlaceId};

#[derive(Debug, Clone, PartialEq)]
pub struct PlaceMention {
    pub begin: usize,
    pub end: usize,
    pub id: PlaceId,
}

/// Level suffixes of division names, longest first.
pub const LEVEL_SUFFIXES: &[&str] = &[
    "特别行政区",
    "自治区",
    "自治州",
    "自治县",
    "自治旗",
    "地区",
    "街道",
    "社区",
    "嘎查",
    "苏木",
    "新区",
    "省",
    "市",
    "县",
    "区",
    "旗",
    "盟",
    "州",
    "乡",
    "镇",
    "村",
];

/// The level suffix a division's name ends with (`运城市` → `市`).
pub fn level_suffix(name: &str) -> &'static str {
    LEVEL_SUFFIXES
        .iter()
        .find(|s| name.ends_with(*s) && name.len() > s.len())
        .copied()
        .unwrap_or("")
}

/// Candidates for every place-name hit, before resolution.
pub struct PlaceCandidates {
    pub begin: usize,
    pub end: usize,
    pub ids: Vec<PlaceId>,
    pub short: bool,
}

pub fn candidates(hits: &[Hit]) -> Vec<PlaceCandidates> {
    hits.iter()
        .filter_map(|h| {
            let ids: Vec<PlaceId> = h
                .entries
                .iter()
                .filter_map(|e| match e {
                    Entry::Place { id, .. } => Some(*id),
                    _ => None,
                })
                .collect();
            let short = h.entries.iter().all(|e| matches!(e, Entry::Place { short: true, .. }));
            (!ids.is_empty()).then_some(PlaceCandidates {
                begin: h.begin,
                end: h.end,
                ids,
                short,
            })
        })
        .collect()
}

/// Resolves candidates: first those with one reading, then the others by the
/// chain they stand in, by the places already resolved, and by `home`.
pub fn resolve(
    gaz: &Gazetteer,
    cands: &[PlaceCandidates],
    home: Option<PlaceId>,
    context: &[PlaceId],
) -> Vec<PlaceMention> {
    let mut resolved: Vec<Option<PlaceId>> = cands.iter().map(|c| (c.ids.len() == 1).then(|| c.ids[0])).collect();
    for _ in 0..2 {
        for i in 0..cands.len() {
            if resolved[i].is_some() {
                continue;
            }
            let c = &cands[i];
            // A chain: the place just before contains this one, or this one contains the next.
            let prev = (i > 0 && cands[i - 1].end == c.begin)
                .then(|| resolved[i - 1])
                .flatten();
            let next = (i + 1 < cands.len() && cands[i + 1].begin == c.end)
                .then(|| resolved[i + 1])
                .flatten();
            let in_chain: Vec<PlaceId> = c
                .ids
                .iter()
                .copied()
                .filter(|&id| prev.is_some_and(|p| gaz.is_within(id, p)) || next.is_some_and(|n| gaz.is_within(n, id)))
                .collect();
            if in_chain.len() == 1 {
                resolved[i] = Some(in_chain[0]);
                continue;
            }
            let known: Vec<PlaceId> = resolved
                .iter()
                .flatten()
                .copied()
                .chain(context.iter().copied())
                .collect();
            resolved[i] =
                best_by_context(gaz, &c.ids, &known).or_else(|| home.and_then(|h| best_by_context(gaz, &c.ids, &[h])));
        }
    }
    cands
        .iter()
        .zip(resolved)
        .filter_map(|(c, r)| {
            r.map(|id| PlaceMention {
                begin: c.begin,
                end: c.end,
                id,
            })
        })
        .collect()
}

/// The one candidate closest in the hierarchy to the known places: sharing a
/// county beats sharing a prefecture beats sharing a province.
fn best_by_context(gaz: &Gazetteer, ids: &[PlaceId], known: &[PlaceId]) -> Option<PlaceId> {
    let closeness = |id: PlaceId| -> usize {
        known
            .iter()
            .filter(|&&k| k != id)
            .map(|&k| {
                let shared = gaz.ancestry(id).find(|a| gaz.is_within(k, *a));
                shared.map_or(0, |a| match gaz.place(a).level {
                    Level::Province => 1,
                    Level::Prefecture => 2,
                    _ => 3,
                })
            })
            .max()
            .unwrap_or(0)
    };
    let scored: Vec<(usize, PlaceId)> = ids.iter().map(|&id| (closeness(id), id)).collect();
    let top = scored.iter().map(|s| s.0).max()?;
    let best: Vec<PlaceId> = scored.iter().filter(|s| s.0 == top).map(|s| s.1).collect();
    (top > 0 && best.len() == 1).then(|| best[0])
}

/// Village and community names of the counties an edition names, in one
/// automaton built once per edition.
pub struct VillageMatcher {
    ids: Vec<Vec<PlaceId>>,
    automaton: Option<AhoCorasick>,
}

impl VillageMatcher {
    pub fn new(gaz: &Gazetteer, named: &[PlaceId]) -> VillageMatcher {
        let mut by_name: std::collections::BTreeMap<String, Vec<PlaceId>> = std::collections::BTreeMap::new();
        let mut seen = std::collections::HashSet::new();
        for &w in named {
            for &v in gaz.villages_of(w) {
                let name = &gaz.place(v).name;
                if name.chars().count() >= 3 && seen.insert(v) {
                    by_name.entry(name.clone()).or_default().push(v);
                }
            }
        }
        let (names, ids): (Vec<String>, Vec<Vec<PlaceId>>) = by_name.into_iter().unzip();
        let automaton = (!names.is_empty())
            .then(|| {
                AhoCorasick::builder()
                    .match_kind(MatchKind::LeftmostLongest)
                    .build(&names)
                    .ok()
            })
            .flatten();
        VillageMatcher { ids, automaton }
    }

    /// Villages named in `text` under the townships and counties in `within`; a
    /// name that fits several of them is left out.
    pub fn find(&self, gaz: &Gazetteer, text: &str, within: &[PlaceId], taken: &[(usize, usize)]) -> Vec<PlaceMention> {
        let Some(ac) = &self.automaton else { return Vec::new() };
        let counties: Vec<PlaceId> = within
            .iter()
            .filter_map(|&p| gaz.ancestry(p).find(|&a| gaz.place(a).level == Level::County))
            .collect();
        let offsets = CharOffsets::new(text);
        let mut out = Vec::new();
        for m in ac.find_iter(text) {
            let (begin, end) = (offsets.char_at(m.start()), offsets.char_at(m.end()));
            if taken.iter().any(|&(b, e)| b < end && begin < e) {
                continue;
            }
            let k = m.pattern().as_usize();
            let near = |level: Level, set: &[PlaceId]| -> Vec<PlaceId> {
                self.ids[k]
                    .iter()
                    .copied()
                    .filter(|&v| set.iter().any(|&w| gaz.place(w).level == level && gaz.is_within(v, w)))
                    .collect()
            };
            let in_county = near(Level::County, &counties);
            let chosen = match in_county.len() {
                1 => Some(in_county[0]),
                0 => None,
                _ => Some(near(Level::Township, within))
                    .filter(|t| t.len() == 1)
                    .map(|t| t[0]),
            };
            if let Some(id) = chosen {
                out.push(PlaceMention { begin, end, id });
            }
        }
        out
    }
}

/// The most specific place of each chain in `mentions` (sorted): a chain is a
/// run of places each directly after, and contained in, the one before.
pub fn chain_heads(gaz: &Gazetteer, mentions: &[&PlaceMention]) -> Vec<PlaceId> {
    let mut out: Vec<PlaceId> = Vec::new();
    let mut prev: Option<&PlaceMention> = None;
    for m in mentions {
        let continues = prev.is_some_and(|p| p.end == m.begin && gaz.is_within(m.id, p.id));
        if continues {
            out.pop();
        }
        if !out.contains(&m.id) {
            out.push(m.id);
        }
        prev = Some(m);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suffixes() {
        assert_eq!(level_suffix("运城市"), "市");
        assert_eq!(level_suffix("宁夏回族自治区"), "自治区");
        assert_eq!(level_suffix("迎泽街道"), "街道");
    }

    #[test]
    fn resolves_repeated_names_by_chain_and_context() {
        let gaz = Gazetteer::load(None).unwrap();
        let text = "和林格尔县城关镇";
        let cands = candidates(&gaz.find(text));
        assert!(cands[1].ids.len() > 1, "城关镇 is in many counties");
        let resolved = resolve(&gaz, &cands, None, &[]);
        assert_eq!(gaz.place(resolved[1].id).code, "150123100000");
        let alone = candidates(&gaz.find("城关镇"));
        assert!(resolve(&gaz, &alone, None, &[]).is_empty(), "ambiguous alone: unlinked");
    }
}
