//! Posts as a grammar: jurisdiction (a place, or none when elliptic) + body
//! (`市委`, `人大常委会`, a department such as `支援合作办`) + role (`书记`,
//! `副市长`). Posts joined by `、` share the jurisdiction of the first and the
//! party committee it names; the name that follows the chain holds them all.

use jieba_rs::Jieba;

use super::gazetteer::{Gazetteer, PlaceId, TitleWord};
use super::names::{is_delimiter, name_list, NameContext};
use super::places::{level_suffix, PlaceMention};

/// Level characters that make a title elliptic (`区委书记`, `副市长`).
const LEVEL_CHARS: &[&str] = &[
    "街道", "社区", "嘎查", "省", "市", "县", "区", "旗", "盟", "州", "乡", "镇", "村",
];

/// Endings of a department or unit name standing before a role.
const UNIT_ENDINGS: &[&str] = &[
    "办公室",
    "委员会",
    "公司",
    "集团",
    "中心",
    "合作社",
    "局",
    "委",
    "办",
    "部",
    "厅",
    "室",
    "院",
    "所",
    "站",
    "队",
    "处",
    "科",
    "会",
    "组",
    "署",
    "行",
    "社",
    "校",
    "馆",
    "厂",
    "园",
    "区",
];

/// The jurisdiction of a post as the text gives it.
#[derive(Debug, Clone, PartialEq)]
pub enum Jurisdiction {
    Place(PlaceId),
    /// Only a level (`区委书记`): the paper's own place or one named nearby.
    Elliptic(String),
    None,
}

/// One element of a title chain, e.g. `运城市委副书记`.
#[derive(Debug, Clone, PartialEq)]
pub struct TitlePhrase {
    pub begin: usize,
    pub end: usize,
    pub jurisdiction: Jurisdiction,
    /// The title without the jurisdiction: `委副书记` after a place, `区委书记` when elliptic.
    pub rest: String,
    /// `X委` when the phrase names a party committee, for the departments after it.
    pub party_body: Option<String>,
    pub role: String,
    /// A unit that is not a government body (a company, a hospital).
    pub unit: Option<String>,
    /// A post in a business: it takes no jurisdiction from the chain or context.
    pub business: bool,
}

/// Persons named after a title chain or group label.
#[derive(Debug, Clone)]
pub struct Titled {
    pub chain: Vec<TitlePhrase>,
    pub names: Vec<(usize, usize)>,
    /// A group label (`区领导`): names, but no post.
    pub group: Option<String>,
}

fn is_role(kind: TitleWord) -> bool {
    matches!(kind, TitleWord::Role | TitleWord::BusinessRole)
}

/// Endings of a business's name: a post in it is held in the business.
const BUSINESS_ENDINGS: &[&str] = &[
    "公司",
    "集团",
    "合作社",
    "商行",
    "厂",
    "银行",
    "酒店",
    "医院",
    "学校",
    "协会",
    "商会",
];

/// Every chain of posts in a (folded) text: phrases joined by `、`.
pub fn chains(gaz: &Gazetteer, chars: &[char], text: &str, places: &[PlaceMention]) -> Vec<Vec<TitlePhrase>> {
    let words = gaz.find_title_words(text);
    let mut out = Vec::new();
    let mut i = 0;
    while i < words.len() {
        i += 1;
        if !is_role(words[i - 1].2) {
            continue;
        }
        let Some(first) = phrase(gaz, chars, &words, i - 1, places) else {
            continue;
        };
        let mut chain = vec![first];
        // Further posts after `、`, each a whole phrase starting right there.
        while let Some(start) = chain
            .last()
            .map(|p| p.end)
            .filter(|&e| chars.get(e) == Some(&'、'))
            .map(|e| e + 1)
        {
            let next = (i..words.len()).find(|&k| is_role(words[k].2) && words[k].0 >= start);
            let Some(k) = next else { break };
            match phrase(gaz, chars, &words, k, places) {
                Some(p) if p.begin == start => {
                    chain.push(p);
                    i = k + 1;
                }
                _ => break,
            }
        }
        out.push(chain);
    }
    out
}

/// All `title + name` constructions in a (folded) text, and group labels with
/// the names after them.
pub fn titled_persons(
    gaz: &Gazetteer,
    jieba: &Jieba,
    chars: &[char],
    text: &str,
    places: &[PlaceMention],
) -> Vec<Titled> {
    let mut out: Vec<Titled> = Vec::new();
    for (b, e, kind) in gaz.find_title_words(text) {
        if kind == TitleWord::Group {
            let names = name_list(gaz, jieba, chars, e, NameContext::AfterTitle);
            if !names.is_empty() {
                out.push(Titled {
                    chain: Vec::new(),
                    names,
                    group: Some(chars[b..e].iter().collect()),
                });
            }
        }
    }
    for chain in chains(gaz, chars, text, places) {
        let mut end = chain.last().map_or(0, |p| p.end);
        // `副县长（挂职）某某某`: a qualifier in brackets stands between post and name.
        if matches!(chars.get(end), Some('（' | '(')) {
            if let Some(close) = (end + 1..chars.len().min(end + 8)).find(|&k| matches!(chars[k], '）' | ')')) {
                end = close + 1;
            }
        }
        let names = name_list(gaz, jieba, chars, end, NameContext::AfterTitle);
        if !names.is_empty() {
            out.push(Titled {
                chain,
                names,
                group: None,
            });
        }
    }
    out.sort_by_key(|t| t.names[0].0);
    out
}

/// The phrase ending with the role word `words[k]`: extends left over a body,
/// a department or unit name, and the places before them.
fn phrase(
    gaz: &Gazetteer,
    chars: &[char],
    words: &[(usize, usize, TitleWord)],
    k: usize,
    places: &[PlaceMention],
) -> Option<TitlePhrase> {
    let (rb, re, kind) = words[k];
    if places.iter().any(|m| m.begin < rb && rb < m.end) {
        return None; // `小店区长期`: the role word starts inside a place name
    }
    let role: String = chars[rb..re].iter().collect();
    let mut begin = rb;
    let mut place: Option<PlaceId> = None;
    let mut unit: Option<String> = None;
    let mut business = false;
    loop {
        // A body such as `市委` may share its level character with the place
        // before it (`运城市委`): the place then ends one character into it.
        let body_at_begin = words[..k].iter().any(|w| w.0 == begin && w.2 == TitleWord::Body);
        if let Some(m) = places
            .iter()
            .find(|m| m.end == begin || (body_at_begin && m.end == begin + 1 && m.begin < begin))
        {
            place = place.or(Some(m.id));
            begin = m.begin;
            continue;
        }
        if place.is_some() || business {
            break;
        }
        if let Some(&(wb, _, _)) = words[..k]
            .iter()
            .rev()
            .find(|w| w.1 == begin && matches!(w.2, TitleWord::Body | TitleWord::PartyDepartment))
        {
            begin = wb;
            continue;
        }
        // An elliptic level right after a delimiter: `村` in `，村党支部书记`.
        if begin > 0
            && LEVEL_CHARS
                .iter()
                .any(|l| l.chars().count() == 1 && l.starts_with(chars[begin - 1]))
            && (begin == 1 || is_delimiter(chars[begin - 2]))
        {
            begin -= 1;
            break;
        }
        // An unknown unit name, bounded by a place on its left or by a delimiter.
        let mut b = begin;
        while b > 0 && begin - b < 20 && !is_delimiter(chars[b - 1]) && !places.iter().any(|m| m.end == b) {
            b -= 1;
        }
        let candidate: String = chars[b..begin].iter().collect();
        let bounded = b == 0 || is_delimiter(chars[b - 1]) || places.iter().any(|m| m.end == b);
        if b < begin && bounded && UNIT_ENDINGS.iter().any(|u| candidate.ends_with(u)) && candidate.chars().count() >= 2
        {
            // A company's post is held in the company, whatever place its name starts with.
            if BUSINESS_ENDINGS.iter().any(|u| candidate.ends_with(u)) {
                business = true;
                begin = places.iter().find(|m| m.end == b).map_or(b, |m| m.begin);
                while let Some(m) = places.iter().find(|m| m.end == begin) {
                    begin = m.begin;
                }
                break;
            }
            // A body of a jurisdiction (`县交通运输局`, `区人民法院`) is no business unit.
            let governmental = places.iter().any(|m| m.end == b)
                || LEVEL_CHARS.iter().any(|l| candidate.starts_with(l))
                || ["委", "局", "办", "部", "厅", "室"]
                    .iter()
                    .any(|u| candidate.ends_with(u));
            if !governmental {
                if candidate.chars().count() < 4 {
                    break; // `公司董事长`: no name, no unit
                }
                unit = Some(candidate);
            }
            begin = b;
            continue;
        }
        break;
    }
    if business || kind == TitleWord::BusinessRole {
        // A post in a named business; `公司总经理X` names a person but no post.
        let unit: String = chars[begin..rb].iter().collect();
        let named = unit.chars().count() >= 4;
        return Some(TitlePhrase {
            begin: if named { begin } else { rb },
            end: re,
            jurisdiction: Jurisdiction::None,
            rest: role.clone(),
            party_body: None,
            role,
            unit: named.then_some(unit),
            business: true,
        });
    }
    // The chain's place is its first (largest) only for the jurisdiction check;
    // the most specific place is the last one before the title.
    let last_place = places
        .iter()
        .filter(|m| m.begin >= begin && m.end <= rb)
        .max_by_key(|m| m.end)
        .map(|m| (m.id, m.end));
    let (jurisdiction, rest_start) = match last_place {
        Some((id, end)) => (Jurisdiction::Place(id), end),
        None => {
            let head: String = chars[begin..re].iter().collect();
            // `区委书记`, or a head whose role names the level (`副县长`).
            let level = LEVEL_CHARS.iter().find(|l| head.starts_with(*l)).or_else(|| {
                (begin == rb)
                    .then(|| LEVEL_CHARS.iter().find(|l| role.contains(&format!("{l}长"))))
                    .flatten()
            });
            match level {
                Some(l) => (Jurisdiction::Elliptic(l.to_string()), begin),
                None => (Jurisdiction::None, begin),
            }
        }
    };
    let rest: String = chars[rest_start..re].iter().collect();
    if rest.is_empty() {
        return None;
    }
    let party_body = match &jurisdiction {
        Jurisdiction::Place(id) if rest.starts_with('委') => Some(format!("{}委", level_char(&gaz.place(*id).name))),
        _ => LEVEL_CHARS
            .iter()
            .find(|l| {
                rest.starts_with(&format!("{l}委"))
                    || rest.starts_with(&format!("{l}党委"))
                    || rest.starts_with(&format!("{l}党工委"))
            })
            .map(|l| {
                let body_len = rest[l.len()..].find('委').map_or(0, |i| i + '委'.len_utf8());
                format!("{l}{}", &rest[l.len()..l.len() + body_len])
            }),
    };
    Some(TitlePhrase {
        begin,
        end: re,
        jurisdiction,
        rest,
        party_body,
        role,
        unit,
        business: false,
    })
}

/// The level a committee is named by: `州委` for a `…自治州`, `市委` for a `…市`.
fn level_char(place_name: &str) -> String {
    let suffix = level_suffix(place_name);
    match suffix {
        "地区" => "地".to_string(),
        _ => suffix.chars().last().map(String::from).unwrap_or_default(),
    }
}

/// The title of a phrase as GRAPH.md's `gx:title` has it, given the party
/// committee named earlier in its chain: `盟委` + `宣传部部长`.
pub fn title_of(gaz: &Gazetteer, phrase: &TitlePhrase, chain_party: Option<&str>) -> String {
    let rest = &phrase.rest;
    if let Jurisdiction::Place(id) = phrase.jurisdiction {
        if rest.starts_with('委') {
            return format!("{}{}", level_char(&gaz.place(id).name), rest);
        }
    }
    let department = gaz
        .titles
        .iter()
        .any(|(w, k)| *k == TitleWord::PartyDepartment && rest.starts_with(w.as_str()));
    // `市委常委、秘书长X`: a committee role after the committee keeps it.
    let committee_role = rest == &phrase.role && ["秘书长", "副秘书长", "常委", "委员"].contains(&rest.as_str());
    match chain_party {
        Some(party) if (department || committee_role) && phrase.party_body.is_none() => format!("{party}{rest}"),
        _ => rest.clone(),
    }
}

/// A post's label: `运城市` + `市委书记` → `运城市委书记`; `运城市` + `市长` → `运城市市长`.
pub fn post_label(place_name: &str, title: &str) -> String {
    let suffix = level_suffix(place_name);
    let short = level_char(place_name);
    let stripped = title
        .strip_prefix(suffix)
        .or_else(|| title.strip_prefix(short.as_str()).filter(|_| !short.is_empty()));
    match stripped {
        // `县` + `长` stays `清徐县县长`; `县委书记`, `县委` and `县交通运输局局长` share
        // the suffix, and `…自治州` + `州委书记` is `…自治州委书记`.
        Some(rest) if !suffix.is_empty() && (rest.starts_with('委') || rest.chars().count() >= 2) => {
            format!("{place_name}{rest}")
        }
        _ => format!("{place_name}{title}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::places::{candidates, resolve};

    fn parse(text: &str) -> Vec<(Vec<String>, Vec<String>)> {
        let gaz = Gazetteer::load(None).unwrap();
        let chars: Vec<char> = text.chars().collect();
        let places = resolve(&gaz, &candidates(&gaz.find(text)), None, &[]);
        titled_persons(&gaz, &Jieba::new(), &chars, text, &places)
            .into_iter()
            .map(|t| {
                let mut party: Option<String> = None;
                let titles = t
                    .chain
                    .iter()
                    .map(|p| {
                        let title = title_of(&gaz, p, party.as_deref());
                        party = p.party_body.clone().or(party.take());
                        title
                    })
                    .collect();
                (
                    titles,
                    t.names.iter().map(|&(b, e)| chars[b..e].iter().collect()).collect(),
                )
            })
            .collect()
    }

    #[test]
    fn chains_share_jurisdiction_and_party_committee() {
        let r = parse("运城市委副书记、市长甲乙丙，阿拉善盟委委员、宣传部部长丁戊己分别参加。");
        assert_eq!(
            r[0],
            (
                vec!["市委副书记".to_string(), "市长".into()],
                vec!["甲乙丙".to_string()]
            )
        );
        assert_eq!(r[1].0, vec!["盟委委员".to_string(), "盟委宣传部部长".into()]);
    }

    #[test]
    fn elliptic_titles_and_departments() {
        let r = parse("区委书记张三带领代表团。上海市支援合作办副主任李四参加。");
        assert_eq!(r[0].0, vec!["区委书记".to_string()]);
        assert_eq!(r[1].0, vec!["支援合作办副主任".to_string()]);
        assert_eq!(post_label("运城市", "市委书记"), "运城市委书记");
        assert_eq!(post_label("运城市", "市长"), "运城市市长");
        assert_eq!(post_label("清徐县", "县交通运输局局长"), "清徐县交通运输局局长");
    }

    #[test]
    fn group_labels_list_names() {
        let r = parse("区领导甲乙丙、丁戊、庚辛壬一同参加。");
        assert_eq!(r[0].1, vec!["甲乙丙".to_string(), "丁戊".into(), "庚辛壬".into()]);
    }
}
