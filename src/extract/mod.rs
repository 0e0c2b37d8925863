//! gazetteer → mentions → resolve → facts: from an edition's articles to the
//! people, posts, places, organisations, events and partnerships they state.

pub mod dates;
pub mod events;
pub mod gazetteer;
pub mod names;
pub mod orgs;
pub mod places;
pub mod titles;

use std::collections::BTreeMap;
use std::path::Path;

use aho_corasick::{AhoCorasick, MatchKind};
use jieba_rs::Jieba;

use crate::error::Result;
use crate::text::{normalise::fold, Article};
use gazetteer::{CharOffsets, Entry, Gazetteer, Level, OrgClass, PlaceId};
use names::{name_before, SPEECH_VERBS};
use places::{level_suffix, PlaceMention};
use titles::{post_label, title_of, Jurisdiction};

/// The recognisers, loaded once: gazetteers and a segmenter that knows their words.
pub struct Extractor {
    pub gazetteer: Gazetteer,
    jieba: Jieba,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Target {
    Person(String),
    Place(PlaceId),
    Org(String),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Mention {
    pub begin: usize,
    pub end: usize,
    pub target: Target,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Organisation {
    pub name: String,
    pub alternate: Option<String>,
    pub class: OrgClass,
    pub place: Option<PlaceId>,
    pub parent: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Post {
    pub jurisdiction: Option<PlaceId>,
    pub title: String,
    /// The role word the title ends with (`副主任`).
    pub role: String,
    pub label: String,
    pub org: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Holding {
    pub person: String,
    pub post: Post,
    pub evidence: String,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Party {
    Place(PlaceId),
    Org(String),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EventKind {
    Visit,
    Meeting,
    Inspection,
    Ceremony,
    Signing,
    Appointment,
}

impl EventKind {
    pub fn name(self) -> &'static str {
        match self {
            EventKind::Visit => "Visit",
            EventKind::Meeting => "Meeting",
            EventKind::Inspection => "Inspection",
            EventKind::Ceremony => "Ceremony",
            EventKind::Signing => "Signing",
            EventKind::Appointment => "Appointment",
        }
    }

    /// CAMEO codes for interoperability with event datasets.
    pub fn cameo(self) -> &'static str {
        match self {
            EventKind::Visit => "042",
            EventKind::Meeting => "040",
            EventKind::Inspection => "043",
            EventKind::Ceremony => "040",
            EventKind::Signing => "057",
            EventKind::Appointment => "020",
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Event {
    pub kind: EventKind,
    pub label: String,
    pub start: Option<String>,
    pub end: Option<String>,
    pub delegation: Option<String>,
    pub leader: Option<String>,
    pub chair: Option<String>,
    pub locations: Vec<PlaceId>,
    pub attendees: Vec<String>,
    pub sites: Vec<Party>,
    pub parties: Vec<Party>,
    pub about: Option<String>,
    pub appointee: Option<String>,
    pub appointed_by: Option<String>,
    pub posts: Vec<Post>,
    pub removed: Vec<Post>,
    /// Indexes of this article's events that happened during this one.
    pub sub_events: Vec<usize>,
}

impl Event {
    pub fn new(kind: EventKind, label: String) -> Event {
        Event {
            kind,
            label,
            start: None,
            end: None,
            delegation: None,
            leader: None,
            chair: None,
            locations: Vec::new(),
            attendees: Vec::new(),
            sites: Vec::new(),
            parties: Vec::new(),
            about: None,
            appointee: None,
            appointed_by: None,
            posts: Vec::new(),
            removed: Vec::new(),
            sub_events: Vec::new(),
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Partnership {
    pub partners: Vec<Party>,
    pub since: Option<String>,
}

/// What one article states.
#[derive(Debug, Clone, Default)]
pub struct ArticleFacts {
    pub mentions: Vec<Mention>,
    pub persons: Vec<String>,
    pub places: Vec<PlaceId>,
    pub orgs: Vec<Organisation>,
    pub holdings: Vec<Holding>,
    pub events: Vec<Event>,
    pub partnerships: Vec<Partnership>,
}

/// What an edition states, article by article.
#[derive(Debug, Clone, Default)]
pub struct EditionFacts {
    /// The paper's own jurisdiction (`我区`, elliptic `区委书记`).
    pub home: Option<PlaceId>,
    pub articles: Vec<ArticleFacts>,
}

/// Where an edition is: places outside these are read only by their full names.
#[derive(Debug, Default)]
struct Regions {
    provinces: Vec<PlaceId>,
    prefectures: Vec<PlaceId>,
}

/// Per-article working state shared by the recognisers.
pub struct Doc<'a> {
    pub article: &'a Article,
    pub text: String,
    pub chars: Vec<char>,
    pub places: Vec<PlaceMention>,
    pub orgs: Vec<orgs::OrgMention>,
    pub titled: Vec<titles::Titled>,
    pub persons: Vec<(usize, usize, String)>,
    pub holdings: Vec<(usize, Holding)>,
}

impl Doc<'_> {
    pub fn slice(&self, b: usize, e: usize) -> String {
        self.chars[b..e].iter().collect()
    }

    /// Sentences as char ranges, split after `。！？；` and line ends.
    pub fn sentences(&self) -> Vec<(usize, usize)> {
        let mut out = Vec::new();
        let mut start = 0;
        for (i, c) in self.chars.iter().enumerate() {
            if matches!(c, '。' | '！' | '？' | '\n' | '；') {
                if i + 1 > start {
                    out.push((start, i + 1));
                }
                start = i + 1;
            }
        }
        if start < self.chars.len() {
            out.push((start, self.chars.len()));
        }
        out
    }
}

/// A person's name as a key: OCR's `•` and `.` between name parts are `·`.
pub fn canonical_name(name: &str) -> String {
    name.chars()
        .map(|c| {
            if matches!(c, '•' | '．' | '・' | '.') {
                '·'
            } else {
                c
            }
        })
        .collect()
}

impl Extractor {
    pub fn new(gazetteer_dir: Option<&Path>) -> Result<Extractor> {
        let gazetteer = Gazetteer::load(gazetteer_dir)?;
        let mut jieba = Jieba::new();
        for p in gazetteer.places.iter().filter(|p| p.level <= Level::County) {
            jieba.add_word(&p.name, Some(2000), Some("ns"));
            if let Some(s) = &p.short {
                jieba.add_word(s, Some(500), Some("ns"));
            }
        }
        for o in &gazetteer.orgs {
            jieba.add_word(&o.name, Some(2000), Some("nt"));
        }
        for w in gazetteer.titles.keys() {
            jieba.add_word(w, Some(2000), Some("n"));
        }
        Ok(Extractor { gazetteer, jieba })
    }

    /// Place mentions of a text. A two-character name is a place only where it
    /// is a word of its own (not `源汇` in `资源汇聚`) and lies in a province
    /// the edition is about (not `河西` in a Beijing paper); longer names are
    /// distinctive enough alone.
    fn place_mentions(
        &self,
        text: &str,
        home: Option<PlaceId>,
        regions: &Regions,
    ) -> (Vec<PlaceMention>, Vec<places::PlaceCandidates>) {
        let (provinces, regions) = (&regions.provinces, &regions.prefectures);
        let gaz = &self.gazetteer;
        let mut bounds = vec![0usize];
        for t in self.jieba.cut(text, false) {
            bounds.push(t.end);
        }
        let mut cands = places::candidates(&gaz.find(text));
        for c in &mut cands {
            if c.end - c.begin <= 2 {
                let aligned = bounds.binary_search(&c.begin).is_ok() && bounds.binary_search(&c.end).is_ok();
                c.ids
                    .retain(|&id| aligned && gaz.ancestry(id).any(|a| provinces.contains(&a)));
            }
            // Township names repeat across the country and some read like
            // parks (`…产业园`): one counts only inside a prefecture the edition names.
            c.ids
                .retain(|&id| gaz.place(id).level < Level::Township || gaz.ancestry(id).any(|a| regions.contains(&a)));
        }
        cands.retain(|c| !c.ids.is_empty());
        let context: Vec<PlaceId> = home.into_iter().collect();
        (places::resolve(gaz, &cands, home, &context), cands)
    }

    /// The provinces and prefectures an edition is about: the paper's and
    /// those its longer county-or-larger place names name.
    fn regions(&self, articles: &[Article], home: Option<PlaceId>) -> Regions {
        let gaz = &self.gazetteer;
        let mut named: Vec<PlaceId> = home.into_iter().collect();
        for a in articles {
            let cands = places::candidates(&gaz.find(&fold(&a.body.text)));
            let long: Vec<places::PlaceCandidates> = cands.into_iter().filter(|c| c.end - c.begin >= 3).collect();
            named.extend(
                places::resolve(gaz, &long, home, &[])
                    .into_iter()
                    .map(|m| m.id)
                    .filter(|&id| gaz.place(id).level <= Level::County),
            );
        }
        let mut regions = Regions::default();
        for id in named {
            let chain: Vec<PlaceId> = gaz.ancestry(id).collect();
            let province = *chain.last().expect("a place is its own ancestor");
            let prefecture = chain
                .iter()
                .copied()
                .find(|&p| gaz.place(p).level == Level::Prefecture)
                .unwrap_or(province);
            for (set, p) in [
                (&mut regions.provinces, province),
                (&mut regions.prefectures, prefecture),
            ] {
                if !set.contains(&p) {
                    set.push(p);
                }
            }
        }
        regions
    }

    /// The paper's jurisdiction: the most specific place its name carries. A
    /// name several places share is read by the edition's other places, else
    /// as the larger place (`运城日报` is the city's paper, not the county's).
    fn home_of(&self, paper: Option<&str>, articles: &[Article]) -> Option<PlaceId> {
        let gaz = &self.gazetteer;
        let cands = places::candidates(&gaz.find(&fold(paper?)));
        let context: Vec<PlaceId> = articles
            .iter()
            .flat_map(|a| places::candidates(&gaz.find(&fold(&a.body.text))))
            .filter(|c| c.ids.len() == 1 && c.end - c.begin >= 3)
            .map(|c| c.ids[0])
            .collect();
        let mut resolved = places::resolve(gaz, &cands, None, &context);
        if resolved.is_empty() {
            resolved = cands
                .iter()
                .filter_map(|c| c.ids.iter().copied().min_by_key(|&id| gaz.place(id).level))
                .map(|id| PlaceMention { begin: 0, end: 0, id })
                .collect();
        }
        resolved.iter().map(|m| m.id).max_by_key(|&id| gaz.place(id).level)
    }

    pub fn extract(&mut self, paper: Option<&str>, articles: &[Article], years: dates::YearContext) -> EditionFacts {
        let mut home = self.home_of(paper, articles);
        let provinces = self.regions(articles, home);
        let mut counts: BTreeMap<PlaceId, usize> = BTreeMap::new();
        for a in articles {
            for m in self.place_mentions(&fold(&a.body.text), home, &provinces).0 {
                *counts.entry(m.id).or_default() += 1;
            }
        }
        // Villages are found under the counties the edition names.
        let named: Vec<PlaceId> = counts.keys().copied().chain(home).collect();
        self.gazetteer.load_villages(&named);
        let villages = places::VillageMatcher::new(&self.gazetteer, &named);
        // Without a paper name, the most mentioned county or prefecture.
        if home.is_none() {
            home = counts
                .into_iter()
                .filter(|&(id, _)| matches!(self.gazetteer.place(id).level, Level::County | Level::Prefecture))
                .max_by_key(|&(id, n)| (n, std::cmp::Reverse(id)))
                .map(|(id, _)| id);
        }
        let mut docs: Vec<Doc> = articles
            .iter()
            .map(|a| self.read_article(a, home, &provinces, &villages))
            .collect();
        // Everyone discovered anywhere in the edition is found everywhere in it.
        let known: Vec<String> = {
            let mut names: Vec<String> = docs
                .iter()
                .flat_map(|d| d.persons.iter().map(|p| p.2.clone()))
                .collect();
            names.extend(self.gazetteer.persons.iter().cloned());
            names.sort();
            names.dedup();
            names
        };
        if !known.is_empty() {
            let ac = AhoCorasick::builder()
                .match_kind(MatchKind::LeftmostLongest)
                .build(&known)
                .expect("names make a valid automaton");
            for doc in &mut docs {
                let text = canonical_name(&doc.text);
                let offsets = CharOffsets::new(&text);
                for m in ac.find_iter(&text) {
                    let (b, e) = (offsets.char_at(m.start()), offsets.char_at(m.end()));
                    let taken = doc.persons.iter().any(|p| p.0 < e && b < p.1)
                        || doc.orgs.iter().any(|o| o.begin < e && b < o.end)
                        || doc.places.iter().any(|p| p.begin < e && b < p.end);
                    if !taken {
                        doc.persons.push((b, e, known[m.pattern().as_usize()].clone()));
                    }
                }
                doc.persons.sort_by_key(|p| p.0);
            }
        }
        let articles = docs.iter().map(|d| self.facts(d, home, years)).collect();
        EditionFacts { home, articles }
    }

    fn read_article<'a>(
        &self,
        article: &'a Article,
        home: Option<PlaceId>,
        provinces: &Regions,
        village_names: &places::VillageMatcher,
    ) -> Doc<'a> {
        let gaz = &self.gazetteer;
        let text = fold(&article.body.text);
        let chars: Vec<char> = text.chars().collect();
        let hits = gaz.find(&text);
        let (mut found, cands) = self.place_mentions(&text, home, provinces);
        let is_short = |m: &PlaceMention| cands.iter().any(|c| c.begin == m.begin && c.end == m.end && c.short);
        // A village name outranks a short form inside it (`红沙沟村` holds `乌兰`).
        let taken: Vec<(usize, usize)> = found
            .iter()
            .filter(|m| !is_short(m))
            .map(|m| (m.begin, m.end))
            .collect();
        let mut within: Vec<PlaceId> = found.iter().map(|m| m.id).collect();
        within.extend(home);
        let villages = village_names.find(gaz, &text, &within, &taken);
        found.retain(|m| !villages.iter().any(|v| v.begin < m.end && m.begin < v.end));
        found.extend(villages);
        found.sort_by_key(|m| m.begin);

        let mut org_mentions = orgs::find_orgs(gaz, &self.jieba, &chars, &text, &found);
        for h in &hits {
            for e in &h.entries {
                if let Entry::Org(i) = e {
                    if !org_mentions.iter().any(|o| o.begin <= h.begin && h.end <= o.end) {
                        let o = &gaz.orgs[*i];
                        org_mentions.push(orgs::OrgMention {
                            begin: h.begin,
                            end: h.end,
                            name: o.name.clone(),
                            printed: None,
                            class: o.class,
                            place: None,
                        });
                    }
                }
            }
        }
        for (b, e) in orgs::listed_companies(&chars, &text) {
            if !org_mentions.iter().any(|o| o.begin < e && b < o.end) {
                let name: String = chars[b..e].iter().collect();
                org_mentions.push(orgs::OrgMention {
                    begin: b,
                    end: e,
                    name,
                    printed: None,
                    class: OrgClass::Corporation,
                    place: None,
                });
            }
        }
        if let Some(src) = &article.source {
            let folded = fold(src);
            let at = text.rfind(&folded).map(|b| CharOffsets::new(&text).char_at(b));
            if let Some(b) = at {
                let e = b + folded.chars().count();
                org_mentions.retain(|o| !(o.begin < e && b < o.end));
                org_mentions.push(orgs::OrgMention {
                    begin: b,
                    end: e,
                    name: folded,
                    printed: None,
                    class: OrgClass::NewsMedia,
                    place: None,
                });
            }
        }
        org_mentions.sort_by_key(|o| o.begin);
        // A short place name inside a business's name is part of that name (`滨河投资大厦`).
        found.retain(|p| {
            let short = cands.iter().any(|c| c.begin == p.begin && c.end == p.end && c.short);
            !(short
                && org_mentions.iter().any(|o| {
                    o.begin <= p.begin
                        && p.end <= o.end
                        && !matches!(
                            o.class,
                            OrgClass::Delegation
                                | OrgClass::PartyCommittee
                                | OrgClass::Department
                                | OrgClass::Government
                        )
                }))
        });

        let titled = titles::titled_persons(gaz, &self.jieba, &chars, &text, &found);
        let mut persons: Vec<(usize, usize, String)> = Vec::new();
        let add_person = |b: usize, e: usize, persons: &mut Vec<(usize, usize, String)>| {
            if !persons.iter().any(|p| p.0 < e && b < p.1) {
                persons.push((b, e, canonical_name(&chars[b..e].iter().collect::<String>())));
            }
        };
        for t in &titled {
            for &(b, e) in &t.names {
                add_person(b, e, &mut persons);
            }
        }
        let offsets = CharOffsets::new(&text);
        for by in &article.bylines {
            let name = fold(&by.person);
            if let Some(at) = text.find(&name) {
                let b = offsets.char_at(at);
                add_person(b, b + name.chars().count(), &mut persons);
            }
        }
        for verb in SPEECH_VERBS {
            for (at, _) in text.match_indices(verb) {
                let v = offsets.char_at(at);
                if let Some((b, e)) = name_before(gaz, &self.jieba, &chars, v) {
                    let overlaps_org = org_mentions.iter().any(|o| o.begin < e && b < o.end);
                    if !overlaps_org {
                        add_person(b, e, &mut persons);
                    }
                }
            }
        }
        // `任命X为…`, `免去X的…职务`.
        for verb in ["任命", "免去"] {
            for at in find_all(&chars, verb) {
                if let Some((b, e)) = names::name_at(gaz, &self.jieba, &chars, at + 2, names::NameContext::Plain) {
                    add_person(b, e, &mut persons);
                }
            }
        }
        for h in hits
            .iter()
            .filter(|h| h.entries.iter().any(|e| matches!(e, Entry::Person(_))))
        {
            add_person(h.begin, h.end, &mut persons);
        }
        // Organisation names that were only name-shaped words go.
        persons.retain(|p| !org_mentions.iter().any(|o| o.begin <= p.0 && p.1 <= o.end));
        persons.sort_by_key(|p| p.0);
        // A name after a title outranks a short place name it contains (Tibetan
        // names are often also the short names of counties).
        found.retain(|m| !(is_short(m) && persons.iter().any(|p| p.0 < m.end && m.begin < p.1)));

        let mut doc = Doc {
            article,
            text,
            chars,
            places: found,
            orgs: org_mentions,
            titled,
            persons,
            holdings: Vec::new(),
        };
        doc.holdings = self.holdings(&doc, home);
        doc
    }

    /// The jurisdiction a level-only title refers to: the paper's own place or
    /// one above it, else a place of that level named later in the sentence
    /// (`县委书记X带领Y县代表团`), else the last one named before.
    fn elliptic(&self, doc: &Doc, level: &str, at: usize, home: Option<PlaceId>) -> Option<PlaceId> {
        let gaz = &self.gazetteer;
        // `区` is a district's, not an autonomous region's (`…自治区`).
        let fits = |id: PlaceId| {
            let p = gaz.place(id);
            let levels: &[Level] = match level {
                "省" => &[Level::Province],
                "盟" | "州" => &[Level::Prefecture],
                "市" => &[Level::Prefecture, Level::County, Level::Province],
                "县" | "区" | "旗" => &[Level::County],
                "乡" | "镇" | "街道" => &[Level::Township],
                _ => &[Level::Village],
            };
            p.name.ends_with(level) && levels.contains(&p.level) && !p.name.ends_with("自治区")
        };
        if let Some(h) = home {
            if let Some(p) = gaz.ancestry(h).find(|&p| fits(p)) {
                return Some(p);
            }
        }
        let sentence = doc
            .sentences()
            .into_iter()
            .find(|&(b, e)| b <= at && at < e)
            .unwrap_or((at, at));
        doc.places
            .iter()
            .find(|m| m.begin > at && m.end <= sentence.1 && fits(m.id))
            .or_else(|| doc.places.iter().rev().find(|m| m.end <= at && fits(m.id)))
            .map(|m| m.id)
    }

    /// The posts a chain names, each with its jurisdiction completed: a later
    /// phrase shares the place before it unless it names its own level. A bare
    /// role (`秘书长`) or a shortened body (`常委会委员`) takes the body of the
    /// post named just before (`区人大常委会副主任…，秘书长X`).
    pub fn posts_of_chain(
        &self,
        doc: &Doc,
        chain: &[titles::TitlePhrase],
        home: Option<PlaceId>,
        antecedent: Option<&Post>,
    ) -> Vec<Post> {
        let gaz = &self.gazetteer;
        let mut prev_place: Option<PlaceId> = None;
        let mut party: Option<String> = None;
        let mut posts = Vec::new();
        for (i, p) in chain.iter().enumerate() {
            let jurisdiction = match &p.jurisdiction {
                Jurisdiction::Place(id) => Some(*id),
                Jurisdiction::Elliptic(level) => match prev_place {
                    Some(prev) if gaz.place(prev).name.ends_with(level.as_str()) => Some(prev),
                    _ => self.elliptic(doc, level, p.begin, home),
                },
                Jurisdiction::None if p.business => None,
                Jurisdiction::None => prev_place,
            };
            let mut title = title_of(gaz, p, party.as_deref());
            party = p.party_body.clone().or(party.take());
            let mut unit = p.unit.clone();
            let mut jurisdiction = jurisdiction;
            if let (0, Some(a), Some(aj)) = (i, antecedent, antecedent.and_then(|a| a.jurisdiction)) {
                let body = a.title.strip_suffix(a.role.as_str()).unwrap_or("");
                let bare = jurisdiction.is_none() && unit.is_none() && p.rest == p.role && !p.business;
                let shortened = unit
                    .as_deref()
                    .is_some_and(|u| body.len() > u.len() && body.ends_with(u));
                if !body.is_empty() && (bare || shortened) {
                    title = format!("{body}{}", p.role);
                    jurisdiction = Some(aj);
                    unit = None;
                }
            }
            prev_place = jurisdiction.or(prev_place);
            match (jurisdiction, unit) {
                (_, Some(unit)) => posts.push(Post {
                    jurisdiction: None,
                    title: p.role.clone(),
                    role: p.role.clone(),
                    label: format!("{unit}{}", p.role),
                    org: Some(unit),
                }),
                (Some(j), None) => {
                    let name = &gaz.place(j).name;
                    posts.push(Post {
                        jurisdiction: Some(j),
                        label: post_label(name, &title),
                        org: post_org(name, &title, &p.role),
                        role: p.role.clone(),
                        title,
                    });
                }
                (None, None) => {}
            }
        }
        posts
    }

    fn holdings(&self, doc: &Doc, home: Option<PlaceId>) -> Vec<(usize, Holding)> {
        let mut out: Vec<(usize, Holding)> = Vec::new();
        for t in doc.titled.iter().filter(|t| t.group.is_none()) {
            let antecedent = out.last().map(|(_, h)| &h.post);
            let posts = self.posts_of_chain(doc, &t.chain, home, antecedent);
            let evidence_begin = t.chain.first().map_or(0, |p| p.begin);
            for &(b, e) in &t.names {
                let person = canonical_name(&doc.slice(b, e));
                let evidence = doc.slice(evidence_begin, e);
                for post in &posts {
                    out.push((
                        b,
                        Holding {
                            person: person.clone(),
                            post: post.clone(),
                            evidence: evidence.clone(),
                        },
                    ));
                }
            }
        }
        out
    }

    fn facts(&self, doc: &Doc, home: Option<PlaceId>, years: dates::YearContext) -> ArticleFacts {
        let gaz = &self.gazetteer;
        let mut mentions: Vec<Mention> = Vec::new();
        for p in &doc.places {
            mentions.push(Mention {
                begin: p.begin,
                end: p.end,
                target: Target::Place(p.id),
            });
        }
        for o in &doc.orgs {
            mentions.push(Mention {
                begin: o.begin,
                end: o.end,
                target: Target::Org(o.name.clone()),
            });
        }
        for p in &doc.persons {
            mentions.push(Mention {
                begin: p.0,
                end: p.1,
                target: Target::Person(p.2.clone()),
            });
        }
        // `我县`, `我区`: the paper's own place.
        if let Some(h) = home {
            for (i, w) in doc.chars.windows(2).enumerate() {
                if w[0] == '我' {
                    if let Some(p) = gaz
                        .ancestry(h)
                        .find(|&p| level_suffix(&gaz.place(p).name).starts_with(w[1]))
                    {
                        mentions.push(Mention {
                            begin: i,
                            end: i + 2,
                            target: Target::Place(p),
                        });
                    }
                }
            }
        }
        mentions.sort_by_key(|m| (m.begin, m.end));

        let mut persons: Vec<String> = Vec::new();
        for p in &doc.persons {
            if !persons.contains(&p.2) {
                persons.push(p.2.clone());
            }
        }
        let mut place_ids: Vec<PlaceId> = Vec::new();
        for m in &mentions {
            if let Target::Place(id) = m.target {
                if !place_ids.contains(&id) {
                    place_ids.push(id);
                }
            }
        }
        let mut holdings: Vec<Holding> = doc.holdings.iter().map(|(_, h)| h.clone()).collect();
        let (events, partnerships, appointed) = events::events(self, doc, home, years, &holdings);
        for h in appointed {
            if !holdings
                .iter()
                .any(|x| x.person == h.person && x.post.label == h.post.label)
            {
                holdings.push(h);
            }
        }
        let mut organisations: Vec<Organisation> = Vec::new();
        let add_org = |o: Organisation, list: &mut Vec<Organisation>| {
            if let Some(existing) = list.iter_mut().find(|x| x.name == o.name) {
                existing.alternate = existing.alternate.take().or(o.alternate);
            } else {
                list.push(o);
            }
        };
        for o in &doc.orgs {
            add_org(
                Organisation {
                    name: o.name.clone(),
                    alternate: o.printed.clone(),
                    class: o.class,
                    place: o.place,
                    parent: None,
                },
                &mut organisations,
            );
        }
        for h in &holdings {
            if !persons.contains(&h.person) {
                persons.push(h.person.clone());
            }
            // A body is listed where the text prints its name (`上海市支援合作办`
            // in `上海市支援合作办副主任`); one only implied (`…人民政府` of a
            // mayor) stays the post's `org:postIn`. Township and village bodies
            // are too many and too small to list.
            let small = h
                .post
                .jurisdiction
                .is_some_and(|j| gaz.place(j).level >= Level::Township);
            let printed = h.post.org.as_ref().is_some_and(|o| {
                let elliptic = h.post.jurisdiction.and_then(|j| {
                    let place = &gaz.place(j).name;
                    o.strip_prefix(place.as_str())
                        .map(|rest| format!("{}{rest}", level_suffix(place)))
                });
                doc.text.contains(o.as_str()) || elliptic.is_some_and(|e| doc.text.contains(&e))
            });
            if let (Some(org), false, true) = (&h.post.org, small, printed) {
                let class = if h.post.jurisdiction.is_none() {
                    OrgClass::Corporation
                } else if org.ends_with("人民政府") || org.ends_with("行政公署") {
                    OrgClass::Government
                } else if org.ends_with('委')
                    && h.post
                        .jurisdiction
                        .is_some_and(|j| org == &format!("{}委", gaz.place(j).name))
                {
                    OrgClass::PartyCommittee
                } else {
                    OrgClass::Department
                };
                let parent = h.post.jurisdiction.and_then(|j| {
                    let committee = format!("{}委", gaz.place(j).name);
                    (org != &committee && org.starts_with(&committee)).then_some(committee)
                });
                add_org(
                    Organisation {
                        name: org.clone(),
                        alternate: None,
                        class,
                        place: h.post.jurisdiction,
                        parent,
                    },
                    &mut organisations,
                );
            }
        }
        ArticleFacts {
            mentions,
            persons,
            places: place_ids,
            orgs: organisations,
            holdings,
            events,
            partnerships,
        }
    }
}

/// The body a post belongs to: `运城市` + `市委书记` → `运城市委`; + `市长` → `运城市人民政府`;
/// + `支援合作办副主任` → `…支援合作办`.
fn post_org(place: &str, title: &str, role: &str) -> Option<String> {
    let body = title.strip_suffix(role).unwrap_or("");
    const HEADS: &[&str] = &["省长", "市长", "县长", "区长", "旗长", "州长", "乡长", "镇长", "主席"];
    if body.is_empty() || body.chars().count() == 1 {
        if !HEADS.iter().any(|h| role.ends_with(h)) {
            return None;
        }
        let gov = if place.ends_with('盟') || place.ends_with("地区") {
            "行政公署"
        } else {
            "人民政府"
        };
        return Some(format!("{place}{gov}"));
    }
    Some(post_label(place, body))
}

/// Offsets of `needle` in `chars` (char positions).
pub fn find_all(chars: &[char], needle: &str) -> Vec<usize> {
    let n: Vec<char> = needle.chars().collect();
    if n.is_empty() || n.len() > chars.len() {
        return Vec::new();
    }
    (0..=chars.len() - n.len())
        .filter(|&i| chars[i..i + n.len()] == n[..])
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bodies_of_posts() {
        assert_eq!(post_org("运城市", "市委书记", "书记").as_deref(), Some("运城市委"));
        assert_eq!(post_org("运城市", "市长", "市长").as_deref(), Some("运城市人民政府"));
        assert_eq!(
            post_org("运城市", "副市长", "副市长").as_deref(),
            Some("运城市人民政府")
        );
        assert_eq!(
            post_org("阿拉善盟", "盟委宣传部部长", "部长").as_deref(),
            Some("阿拉善盟委宣传部")
        );
        assert_eq!(post_org("阿拉善盟", "盟委委员", "委员").as_deref(), Some("阿拉善盟委"));
        assert_eq!(
            post_org("上海市", "支援合作办副主任", "副主任").as_deref(),
            Some("上海市支援合作办")
        );
    }
}
