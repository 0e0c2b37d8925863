//! Events and standing relations from the sentences of one article: visits
//! (`X带领Y代表团赴Z…`), inspections (`调研`), meetings (`主持召开…会议`),
//! ceremonies (`…仪式`), signings (`签订…协议`), appointments (`任命X为…`,
//! `免去X的…职务`) and partnerships (`对口帮扶`, `结对`, `首次牵手` with a year).

use super::dates::{self, DateSpan, YearContext};
use super::gazetteer::{Level, OrgClass, PlaceId};
use super::names::is_delimiter;
use super::places::{chain_heads, PlaceMention};
use super::{find_all, Doc, Event, EventKind, Extractor, Holding, Partnership, Party};

const LEAD_VERBS: &[&str] = &["带领", "率领", "带队", "率"];
const MOVE_VERBS: &[&str] = &["前往", "来到", "抵达", "莅临", "赴", "到", "来"];
/// Words that end the destination part of a visit's lead clause.
const PURPOSE_VERBS: &[&str] = &[
    "对接", "考察", "调研", "开展", "进行", "参观", "交流", "学习", "座谈", "洽谈", "看望", "慰问", "检查", "督导",
    "走访", "回访",
];
const INSPECT_VERBS: &[&str] = &["调研", "视察", "检查", "督导", "走访", "考察"];
const SITE_VERBS: &[&str] = &["来到", "走进", "深入", "察看", "参观", "查看", "前往"];
/// Relations written as a verb between the two sides.
const PARTNER_VERBS: &[&str] = &["对口援助", "对口支援", "对口帮扶", "对口协作", "结对帮扶", "援助"];
const PARTNER_WORDS: &[&str] = &[
    "对口援助",
    "对口帮扶",
    "对口支援",
    "对口协作",
    "对口合作",
    "东西部协作",
    "东西部扶贫协作",
    "结对帮扶",
    "结对",
    "首次牵手",
    "牵手",
    "友好城市",
    "友好县",
    "援疆",
    "援藏",
    "协作关系",
    "帮扶关系",
    "合作关系",
    "扶贫协作",
];
const MEETING_WORDS: &[&str] = &[
    "联席会议",
    "常务会议",
    "常委会会议",
    "座谈会",
    "推进会",
    "部署会",
    "调度会",
    "专题会议",
    "工作会议",
    "全体会议",
    "会议",
    "大会",
];

struct Ctx<'a> {
    ex: &'a Extractor,
    doc: &'a Doc<'a>,
    home: Option<PlaceId>,
    dates: Vec<DateSpan>,
    officials: Vec<String>,
}

impl Ctx<'_> {
    fn person_ending_at(&self, at: usize) -> Option<String> {
        self.doc.persons.iter().find(|p| p.1 == at).map(|p| p.2.clone())
    }

    fn places_in(&self, b: usize, e: usize) -> Vec<&PlaceMention> {
        self.doc.places.iter().filter(|m| m.begin >= b && m.end <= e).collect()
    }

    /// The places of `[b, e)`, each chain by its most specific place.
    fn heads_in(&self, b: usize, e: usize) -> Vec<PlaceId> {
        chain_heads(&self.ex.gazetteer, &self.places_in(b, e))
    }

    fn date_in(&self, b: usize, e: usize) -> Option<&DateSpan> {
        self.dates.iter().find(|d| d.begin >= b && d.begin < e)
    }

    /// The last date stated before `at`: `8月31日上午，…。仪式上，…签订…`.
    fn date_before(&self, at: usize) -> Option<&DateSpan> {
        self.dates.iter().rev().find(|d| d.end <= at)
    }

    /// The article's first date: news gives the date of what it reports up front.
    fn lead_date(&self) -> Option<&DateSpan> {
        let first = self
            .doc
            .sentences()
            .into_iter()
            .nth(1)
            .or_else(|| self.doc.sentences().into_iter().next())
            .map_or(0, |s| s.1);
        self.dates.iter().find(|d| d.begin < first)
    }

    fn attendees(&self, except: &[&str]) -> Vec<String> {
        self.officials
            .iter()
            .filter(|n| !except.contains(&n.as_str()))
            .cloned()
            .collect()
    }

    fn set_dates(&self, event: &mut Event, span: Option<&DateSpan>) {
        if let Some(d) = span {
            event.start = Some(d.start.clone());
            event.end = Some(d.finish.clone());
        }
    }

    /// `我县`, `我市` right at `at`: the paper's own place of that level.
    fn home_at(&self, at: usize) -> Option<PlaceId> {
        let gaz = &self.ex.gazetteer;
        let (h, c) = (self.home?, *self.doc.chars.get(at + 1)?);
        (self.doc.chars.get(at) == Some(&'我'))
            .then(|| gaz.ancestry(h).find(|&p| gaz.place(p).name.ends_with(c)))
            .flatten()
    }

    fn party_names(&self, b: usize, e: usize) -> Vec<Party> {
        let mut out: Vec<(usize, Party)> = Vec::new();
        for o in self
            .doc
            .orgs
            .iter()
            .filter(|o| o.begin >= b && o.end <= e && o.class != OrgClass::NewsMedia)
        {
            out.push((o.begin, Party::Org(o.name.clone())));
        }
        let taken: Vec<(usize, usize)> = self.doc.orgs.iter().map(|o| (o.begin, o.end)).collect();
        let free: Vec<&PlaceMention> = self
            .places_in(b, e)
            .into_iter()
            .filter(|m| !taken.iter().any(|&(ob, oe)| ob <= m.begin && m.end <= oe))
            .collect();
        let heads = chain_heads(&self.ex.gazetteer, &free);
        for m in free {
            if heads.contains(&m.id) && !out.iter().any(|(_, p)| *p == Party::Place(m.id)) {
                out.push((m.begin, Party::Place(m.id)));
            }
        }
        // `我市`: the paper's own place.
        for at in b..e.saturating_sub(1) {
            if let Some(p) = self.home_at(at) {
                if !out.iter().any(|(_, x)| *x == Party::Place(p)) {
                    out.push((at, Party::Place(p)));
                }
            }
        }
        out.sort_by_key(|p| p.0);
        out.into_iter().map(|p| p.1).collect()
    }

    fn clause_end(&self, from: usize, limit: usize) -> usize {
        (from..limit)
            .find(|&i| matches!(self.doc.chars[i], '，' | '。' | '；' | '\n'))
            .unwrap_or(limit)
    }
}

fn first_of(chars: &[char], words: &[&str], b: usize, e: usize) -> Option<(usize, usize)> {
    (b..e).find_map(|i| {
        words.iter().find_map(|w| {
            let n = w.chars().count();
            (i + n <= e && chars[i..i + n].iter().copied().eq(w.chars())).then_some((i, i + n))
        })
    })
}

/// Events and partnerships of one article, and the holdings its appointments state.
pub fn events(
    ex: &Extractor,
    doc: &Doc,
    home: Option<PlaceId>,
    years: YearContext,
    holdings: &[Holding],
) -> (Vec<Event>, Vec<Partnership>, Vec<Holding>) {
    let years = YearContext {
        year: years.year.or_else(|| dates::latest_year(&doc.text)),
        ..years
    };
    let bylines: Vec<String> = doc
        .article
        .bylines
        .iter()
        .map(|b| super::canonical_name(&b.person))
        .collect();
    // Officials: people named with a post of a jurisdiction or a group label;
    // a company's head is no official.
    let mut officials: Vec<String> = Vec::new();
    for t in doc
        .titled
        .iter()
        .filter(|t| t.group.is_some() || t.chain.iter().any(|p| !p.business))
    {
        for &(b, e) in &t.names {
            let n = super::canonical_name(&doc.slice(b, e));
            if !officials.contains(&n) && !bylines.contains(&n) {
                officials.push(n);
            }
        }
    }
    for h in holdings.iter().filter(|h| h.post.jurisdiction.is_some()) {
        if !officials.contains(&h.person) && !bylines.contains(&h.person) {
            officials.push(h.person.clone());
        }
    }
    let ctx = Ctx {
        ex,
        doc,
        home,
        dates: dates::date_spans(&doc.text, years),
        officials,
    };
    let mut out: Vec<Event> = Vec::new();
    let mut extra_holdings = Vec::new();
    let visit = visit(&ctx);
    let in_visit = visit.is_some();
    if let Some(v) = visit {
        out.push(v);
    } else if let Some(i) = inspection(&ctx) {
        out.push(i);
    }
    let found = meetings_and_ceremonies(&ctx, in_visit);
    let signed = found.iter().any(|e| e.kind == EventKind::Signing);
    for ev in found {
        // One event told twice is one event; a signing ceremony is its signings.
        let retold = out
            .iter()
            .any(|e| e.kind == ev.kind && e.about.is_some() && e.about == ev.about);
        let signing_ceremony =
            signed && ev.kind == EventKind::Ceremony && ev.about.as_deref().is_some_and(|a| a.ends_with("签约仪式"));
        if !retold && !signing_ceremony {
            out.push(ev);
        }
    }
    appointments(&ctx, &mut out, &mut extra_holdings);
    if in_visit {
        let subs: Vec<usize> = (1..out.len()).collect();
        let (start, end) = (out[0].start.clone(), out[0].end.clone());
        for &k in &subs {
            if out[k].start.is_none() {
                out[k].start.clone_from(&start);
                out[k].end.clone_from(&end);
            }
        }
        out[0].sub_events = subs;
    }
    (out, partnerships(&ctx, years), extra_holdings)
}

fn visit(ctx: &Ctx) -> Option<Event> {
    let chars = &ctx.doc.chars;
    let gaz = &ctx.ex.gazetteer;
    for (sb, se) in ctx.doc.sentences() {
        let lead = first_of(chars, LEAD_VERBS, sb, se);
        let delegation = ctx
            .doc
            .orgs
            .iter()
            .find(|o| o.begin >= sb && o.end <= se && o.class == OrgClass::Delegation);
        let party_of = find_all(&chars[sb..se], "一行").first().map(|&i| sb + i);
        // Movement follows the leader's verb or the delegation, whichever comes
        // first (`X代表团来到Y…，Z带队`).
        let anchor = [lead.map(|l| l.1), delegation.map(|d| d.end), party_of.map(|p| p + 2)]
            .into_iter()
            .flatten()
            .min()?;
        let Some((mb, me)) = first_of(chars, MOVE_VERBS, anchor, se) else {
            continue;
        };
        let leader = lead
            .and_then(|(lb, _)| ctx.person_ending_at(lb))
            .or_else(|| party_of.and_then(|p| ctx.person_ending_at(p)));
        if leader.is_none() && delegation.is_none() {
            continue;
        }
        let stop = first_of(chars, PURPOSE_VERBS, me, se).map_or(ctx.clause_end(me, se), |p| p.0);
        let mut destinations = ctx.heads_in(me, stop);
        if destinations.is_empty() {
            destinations.extend(ctx.home_at(me));
        }
        if destinations.is_empty() {
            continue;
        }
        let _ = mb;
        let names: Vec<&str> = destinations.iter().map(|&d| gaz.place(d).name.as_str()).collect();
        let who = delegation
            .map(|d| d.name.clone())
            .or_else(|| leader.clone())
            .unwrap_or_default();
        let mut event = Event::new(EventKind::Visit, format!("{who}赴{}", names.join("、")));
        event.delegation = delegation.map(|d| d.name.clone());
        event.leader = leader.clone();
        event.locations = destinations;
        let leader_name = leader.unwrap_or_default();
        event.attendees = ctx.attendees(&[leader_name.as_str()]);
        ctx.set_dates(&mut event, ctx.date_in(sb, se).or_else(|| ctx.lead_date()));
        event.about = PARTNER_WORDS
            .iter()
            .find(|w| !find_all(&chars[sb..se], w).is_empty())
            .map(|w| w.to_string());
        return Some(event);
    }
    None
}

fn inspection(ctx: &Ctx) -> Option<Event> {
    let chars = &ctx.doc.chars;
    let gaz = &ctx.ex.gazetteer;
    let mut event: Option<Event> = None;
    for (sb, se) in ctx.doc.sentences() {
        let Some((vb, _)) = first_of(chars, INSPECT_VERBS, sb, se).or_else(|| {
            // Once under way, a tour goes on `来到`, `走进`, `在X` the next site.
            event.as_ref().and_then(|_| {
                first_of(chars, SITE_VERBS, sb, se).or_else(|| {
                    (sb..se)
                        .find(|&i| {
                            chars[i] == '在'
                                && (ctx.doc.places.iter().any(|m| m.begin == i + 1)
                                    || ctx.doc.orgs.iter().any(|o| o.begin == i + 1))
                        })
                        .map(|i| (i, i + 1))
                })
            })
        }) else {
            continue;
        };
        let leader = ctx
            .doc
            .persons
            .iter()
            .filter(|p| p.0 >= sb && p.1 <= vb && ctx.officials.contains(&p.2))
            .find(|p| find_all(&chars[p.1..vb], "陪同").is_empty())
            .map(|p| p.2.clone());
        let ev = match (&mut event, leader) {
            (Some(ev), _) => ev,
            (None, Some(leader)) => {
                let mut ev = Event::new(EventKind::Inspection, format!("{leader}调研"));
                ev.attendees = ctx.attendees(&[leader.as_str()]);
                ev.leader = Some(leader);
                ctx.set_dates(&mut ev, ctx.date_in(sb, se).or_else(|| ctx.lead_date()));
                event.insert(ev)
            }
            (None, None) => continue,
        };
        // Sites: the businesses, parks and the most specific places visited.
        for party in ctx.party_names(sb, se) {
            let keep = match &party {
                Party::Place(id) => gaz.place(*id).level >= Level::Township,
                Party::Org(name) => ctx.doc.orgs.iter().any(|o| {
                    &o.name == name
                        && matches!(
                            o.class,
                            OrgClass::Corporation | OrgClass::Zone | OrgClass::Project | OrgClass::Other
                        )
                }),
            };
            if keep && !ev.sites.contains(&party) {
                ev.sites.push(party);
            }
        }
    }
    // The most specific place of each route: a township drops out when a
    // village in it is a site too.
    if let Some(ev) = &mut event {
        let places: Vec<PlaceId> = ev
            .sites
            .iter()
            .filter_map(|s| match s {
                Party::Place(id) => Some(*id),
                Party::Org(_) => None,
            })
            .collect();
        ev.sites.retain(|s| match s {
            Party::Place(id) => !places.iter().any(|&o| o != *id && gaz.is_within(o, *id)),
            Party::Org(_) => true,
        });
    }
    event.filter(|e| !e.sites.is_empty())
}

fn meetings_and_ceremonies(ctx: &Ctx, in_visit: bool) -> Vec<Event> {
    let chars = &ctx.doc.chars;
    let mut out = Vec::new();
    for (sb, se) in ctx.doc.sentences() {
        let sentence: String = chars[sb..se].iter().collect();
        if let Some((cb, ce)) = first_of(chars, &["仪式"], sb, se) {
            let start = (sb..cb)
                .rev()
                .find(|&i| is_delimiter(chars[i]) || matches!(chars[i], '了' | '行' | '办' | '场'))
                .map_or(sb, |i| i + 1);
            // The parties stand before the verb (`A与B举行了捐赠仪式`) or inside the
            // ceremony's name (`出席A与B结对共建签约仪式`).
            let clause = (sb..cb)
                .rev()
                .find(|&i| matches!(chars[i], '，' | '；'))
                .map_or(sb, |i| i + 1);
            let named_inside = ctx.party_names(start, cb);
            let (parties, about_start) = if named_inside.len() >= 2 {
                let last_end = ctx
                    .doc
                    .places
                    .iter()
                    .map(|m| m.end)
                    .chain(ctx.doc.orgs.iter().map(|o| o.end))
                    .filter(|&e| e > start && e <= cb)
                    .max()
                    .unwrap_or(start);
                (named_inside, last_end + usize::from(chars.get(last_end) == Some(&'的')))
            } else {
                (ctx.party_names(clause, start), start)
            };
            let about: String = chars[about_start..ce].iter().collect();
            let mut ev = Event::new(EventKind::Ceremony, about.clone());
            ev.about = Some(about);
            ev.parties = parties;
            ev.locations = location_of(ctx, sb, se, &ev.parties);
            ctx.set_dates(&mut ev, ctx.date_in(sb, se).or_else(|| ctx.date_before(sb)));
            if !in_visit {
                ev.attendees = ctx.attendees(&[]);
            }
            out.push(ev);
        }
        let signing =
            first_of(chars, &["签订", "签署", "签约"], sb, se).filter(|&(_, ke)| chars.get(ke) != Some(&'仪'));
        if let Some((kb, ke)) = signing {
            let what_end = first_of(chars, &["协议", "合同", "备忘录", "协议书"], ke, se).map(|w| w.1);
            let about = what_end.map(|e| {
                chars[ke..e]
                    .iter()
                    .collect::<String>()
                    .trim_start_matches('了')
                    .to_string()
            });
            let parties = ctx.party_names(sb, kb);
            if !parties.is_empty() {
                let mut ev = Event::new(EventKind::Signing, about.clone().unwrap_or_else(|| "签约".into()));
                ev.about = about;
                ev.parties = parties;
                ctx.set_dates(&mut ev, ctx.date_in(sb, se).or_else(|| ctx.date_before(sb)));
                if !in_visit {
                    ev.attendees = ctx.attendees(&[]);
                }
                out.push(ev);
            }
        }
        let host = first_of(chars, &["主持召开", "召开", "主持", "举行"], sb, se);
        let meeting = first_of(chars, MEETING_WORDS, host.map_or(se, |h| h.1), se);
        // `X会议召开`: the meeting named before the verb, its start after a place or a comma.
        let named_before = || {
            let (mb, me) = first_of(chars, MEETING_WORDS, sb, se)?;
            let after: String = chars[me..se.min(me + 2)].iter().collect();
            if !(after == "召开" || after == "举行") {
                return None;
            }
            let start = (sb..mb)
                .rev()
                .find(|&i| is_delimiter(chars[i]) || ctx.doc.places.iter().any(|m| m.end == i + 1))
                .map_or(sb, |i| i + 1);
            Some(((start, start), (mb, me)))
        };
        let host_meeting = match (host, meeting) {
            (Some(h), Some(m)) => Some((h, m)),
            _ => named_before(),
        };
        if let Some(((hb, he), (_, me))) = host_meeting {
            if sentence.contains("仪式") {
                continue;
            }
            let about: String = chars[he..me]
                .iter()
                .collect::<String>()
                .trim_start_matches('了')
                .to_string();
            let mut ev = Event::new(EventKind::Meeting, about.clone());
            ev.about = Some(about);
            ev.chair = ctx.person_ending_at(hb).or_else(|| {
                // `X主持会议` after the meeting is named.
                first_of(chars, &["主持"], me, se).and_then(|(b, _)| ctx.person_ending_at(b))
            });
            // The chair attends too.
            let chair = ev.chair.clone();
            ev.locations = location_of(ctx, sb, se, &[]);
            ctx.set_dates(
                &mut ev,
                ctx.date_in(sb, se).or_else(|| ctx.date_before(sb)).or_else(|| {
                    if in_visit {
                        None
                    } else {
                        ctx.lead_date()
                    }
                }),
            );
            if !in_visit {
                ev.attendees = ctx.attendees(&[]);
                if let Some(c) = chair.filter(|c| !ev.attendees.contains(c)) {
                    ev.attendees.insert(0, c);
                }
            }
            out.push(ev);
        }
    }
    out
}

/// Where something in `[b, e)` happened: a place after `在`, else the most
/// specific place of the sentence that is not a party, else the paper's place.
fn location_of(ctx: &Ctx, b: usize, e: usize, parties: &[Party]) -> Vec<PlaceId> {
    let chars = &ctx.doc.chars;
    if let Some(at) = (b..e).find(|&i| chars[i] == '在') {
        if let Some(m) = ctx.doc.places.iter().find(|m| m.begin == at + 1) {
            let heads = ctx.heads_in(m.begin, ctx.clause_end(m.begin, e));
            if let Some(&h) = heads.first() {
                return vec![h];
            }
        }
    }
    let heads: Vec<PlaceId> = ctx
        .heads_in(b, e)
        .into_iter()
        .filter(|h| !parties.contains(&Party::Place(*h)))
        .collect();
    heads.first().copied().or(ctx.home).into_iter().collect()
}

fn appointments(ctx: &Ctx, out: &mut Vec<Event>, holdings: &mut Vec<Holding>) {
    let doc = ctx.doc;
    let chars = &doc.chars;
    let gaz = &ctx.ex.gazetteer;
    let chains = super::titles::chains(gaz, chars, &doc.text, &doc.places);
    let chain_from = |at: usize| chains.iter().find(|c| c.first().is_some_and(|p| p.begin == at));
    let by = |at: usize| {
        let sentence = doc.sentences().into_iter().rev().find(|s| s.0 <= at).unwrap_or((0, at));
        let decided = first_of(chars, &["研究决定", "决定"], sentence.0, at.max(sentence.0));
        let scope = decided.map_or((sentence.0, at), |d| (sentence.0, d.0));
        let named = doc
            .orgs
            .iter()
            .rev()
            .find(|o| o.begin >= scope.0 && o.end <= scope.1 && o.class != OrgClass::Delegation)
            .map(|o| o.name.clone());
        // `经县委研究决定`: the paper's own committee.
        named.or_else(|| {
            let text: String = chars[scope.0..scope.1].iter().collect();
            let gaz = &ctx.ex.gazetteer;
            ["人大常委会", "委"].iter().find_map(|body| {
                let at = text.find(body)?;
                let level = text[..at].chars().last()?;
                let place = ctx
                    .home
                    .and_then(|h| gaz.ancestry(h).find(|&p| gaz.place(p).name.ends_with(level)))?;
                Some(super::titles::post_label(
                    &gaz.place(place).name,
                    &format!("{level}{body}"),
                ))
            })
        })
    };
    let add = |name: String,
               at: usize,
               post: Option<Vec<super::Post>>,
               removed: Option<Vec<super::Post>>,
               out: &mut Vec<Event>| {
        let idx = match out
            .iter()
            .position(|e| e.kind == EventKind::Appointment && e.appointee.as_deref() == Some(name.as_str()))
        {
            Some(i) => i,
            None => {
                let mut ev = Event::new(EventKind::Appointment, format!("{name}任免"));
                ev.appointee = Some(name.clone());
                ev.appointed_by = by(at);
                ctx.set_dates(&mut ev, ctx.lead_date());
                out.push(ev);
                out.len() - 1
            }
        };
        out[idx].posts.extend(post.unwrap_or_default());
        out[idx].removed.extend(removed.unwrap_or_default());
    };
    let mut verbs: Vec<(usize, &str)> = ["任命", "免去"]
        .iter()
        .flat_map(|v| find_all(chars, v).into_iter().map(move |at| (at, *v)))
        .collect();
    verbs.sort();
    {
        for (at, verb) in verbs {
            let after = at + 2;
            // `任命X为…`, `任命X同志为…`, `免去X的…职务`, and `免去其…` for the one just named.
            let (name, mut k) = match doc.persons.iter().find(|p| p.0 == after) {
                Some(p) => (p.2.clone(), p.1),
                None if chars.get(after) == Some(&'其') => match out.iter().rev().find_map(|e| e.appointee.clone()) {
                    Some(n) => (n, after),
                    None => continue,
                },
                None => continue,
            };
            if chars[k..].starts_with(&['同', '志']) {
                k += 2;
            }
            let joiner = if verb == "任命" { '为' } else { '的' };
            if chars.get(k) != Some(&joiner) && chars.get(k) != Some(&'其') {
                continue;
            }
            let Some(chain) = chain_from(k + 1) else { continue };
            let posts = ctx.ex.posts_of_chain(doc, chain, ctx.home, None);
            if posts.is_empty() {
                continue;
            }
            if verb == "任命" {
                let evidence = doc.slice(at, chain.last().map_or(k + 1, |p| p.end));
                for post in &posts {
                    holdings.push(Holding {
                        person: name.clone(),
                        post: post.clone(),
                        evidence: evidence.clone(),
                    });
                }
                add(name, at, Some(posts), None, out);
            } else {
                add(name, at, None, Some(posts), out);
            }
        }
    }
}

fn partnerships(ctx: &Ctx, years: YearContext) -> Vec<Partnership> {
    let chars = &ctx.doc.chars;
    let mut out: Vec<Partnership> = Vec::new();
    for (sb, se) in ctx.doc.sentences() {
        if first_of(chars, PARTNER_WORDS, sb, se).is_none() && first_of(chars, &["建立"], sb, se).is_none() {
            continue;
        }
        // Two sides joined by 与/和/同 in one clause, or on either side of the
        // relation itself (`运城市对口援助清徐县`).
        // The joiner nearest before the relation word is the one it joins.
        let relation = first_of(chars, PARTNER_WORDS, sb, se).map_or(se, |w| w.0);
        let clause_of_relation = (sb..relation)
            .rev()
            .find(|&i| matches!(chars[i], '，' | '；'))
            .map_or(sb, |i| i + 1);
        let joiner = (clause_of_relation..relation)
            .rev()
            .find(|&i| matches!(chars[i], '与' | '和' | '同'))
            .map(|i| (i, i + 1))
            .or_else(|| first_of(chars, &["与", "和", "同"], sb, se))
            .or_else(|| first_of(chars, PARTNER_VERBS, sb, se));
        let Some((jb, je)) = joiner else {
            continue;
        };
        let clause_start = (sb..jb)
            .rev()
            .find(|&i| matches!(chars[i], '，' | '；' | '：'))
            .map_or(sb, |i| i + 1);
        // A standing relation is between places or public bodies; an agreement
        // signed today (`…签订结对帮扶协议`) is a signing, not the relation itself.
        if first_of(chars, &["签订", "签署", "签约"], sb, se).is_some() {
            continue;
        }
        let public = |p: &Party| match p {
            Party::Place(_) => true,
            Party::Org(name) => ctx.doc.orgs.iter().any(|o| {
                &o.name == name
                    && matches!(
                        o.class,
                        OrgClass::Government | OrgClass::PartyCommittee | OrgClass::Department
                    )
            }),
        };
        let left: Vec<Party> = ctx.party_names(clause_start, jb).into_iter().filter(public).collect();
        let right_end = ctx.clause_end(je, se);
        let right: Vec<Party> = ctx.party_names(je, right_end).into_iter().filter(public).collect();
        let (Some(a), Some(b)) = (left.last().cloned(), right.first().cloned()) else {
            continue;
        };
        if first_of(chars, PARTNER_WORDS, sb, se).is_none() && first_of(chars, &["关系"], je, se).is_none() {
            continue;
        }
        let since = dates::years_in(&chars[sb..se].iter().collect::<String>())
            .into_iter()
            .map(|(_, y)| y)
            .min()
            .or_else(|| years_ago(chars, sb, se, years.year))
            .map(|y| y.to_string());
        let partners = vec![a, b];
        match out.iter_mut().find(|p| same_parties(&p.partners, &partners)) {
            Some(p) => p.since = p.since.take().or(since),
            None => out.push(Partnership { partners, since }),
        }
    }
    out
}

/// `26年来` counted back from the edition's year.
fn years_ago(chars: &[char], b: usize, e: usize, year: Option<i32>) -> Option<i32> {
    let text: String = chars[b..e].iter().collect();
    let at = text.find("年来")?;
    let digits: String = text[..at]
        .chars()
        .rev()
        .take_while(|c| c.is_ascii_digit())
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    Some(year? - digits.parse::<i32>().ok()?)
}

fn same_parties(a: &[Party], b: &[Party]) -> bool {
    a.len() == b.len() && a.iter().all(|x| b.contains(x))
}
