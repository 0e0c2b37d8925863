//! Organisations by the shape of Chinese organisation names: a run of nominal
//! words (by jieba's tags) ending in an organisation word (`…有限公司`, `…局`,
//! `…产业园`, `…代表团`). A leading chain of places keeps only its most specific
//! place; a township or village in front of a company is its address.

use jieba_rs::Jieba;

use super::gazetteer::{Gazetteer, Level, OrgClass, PlaceId};
use super::names::is_delimiter;
use super::places::PlaceMention;

/// Organisation words, longest first within a class; one-character words need
/// a place inside the name (`东湖区发展改革委`), or they would catch `格局`.
const ORG_WORDS: &[(&str, OrgClass)] = &[
    ("股份有限公司", OrgClass::Corporation),
    ("有限责任公司", OrgClass::Corporation),
    ("有限公司", OrgClass::Corporation),
    ("公司", OrgClass::Corporation),
    ("集团", OrgClass::Corporation),
    ("合作社", OrgClass::Corporation),
    ("商行", OrgClass::Corporation),
    ("代表团", OrgClass::Delegation),
    ("考察团", OrgClass::Delegation),
    ("人民政府", OrgClass::Government),
    ("行政公署", OrgClass::Government),
    ("委员会", OrgClass::Department),
    ("办公室", OrgClass::Department),
    ("产业园", OrgClass::Zone),
    ("科技园", OrgClass::Zone),
    ("工业园", OrgClass::Zone),
    ("文化园", OrgClass::Zone),
    ("物流园", OrgClass::Zone),
    ("开发区", OrgClass::Zone),
    ("高新区", OrgClass::Zone),
    ("示范区", OrgClass::Zone),
    ("商务区", OrgClass::Zone),
    ("科学园", OrgClass::Zone),
    ("科学城", OrgClass::Zone),
    ("创新园", OrgClass::Zone),
    ("示范园", OrgClass::Zone),
    ("工作组", OrgClass::Other),
    ("工作站", OrgClass::Other),
    ("服务站", OrgClass::Other),
    ("景区", OrgClass::Zone),
    ("试验区", OrgClass::Zone),
    ("合作区", OrgClass::Zone),
    ("中心", OrgClass::Other),
    ("医院", OrgClass::Other),
    ("卫生院", OrgClass::Other),
    ("学校", OrgClass::Other),
    ("小学", OrgClass::Other),
    ("中学", OrgClass::Other),
    ("大学", OrgClass::Other),
    ("学院", OrgClass::Other),
    ("研究院", OrgClass::Other),
    ("研究所", OrgClass::Other),
    ("协会", OrgClass::Other),
    ("商会", OrgClass::Other),
    ("银行", OrgClass::Corporation),
    ("法院", OrgClass::Government),
    ("检察院", OrgClass::Government),
    ("日报", OrgClass::NewsMedia),
    ("晚报", OrgClass::NewsMedia),
    ("时报", OrgClass::NewsMedia),
    ("电视台", OrgClass::NewsMedia),
    ("政府", OrgClass::Government),
    ("局", OrgClass::Department),
    ("办", OrgClass::Department),
    ("委", OrgClass::PartyCommittee),
    ("厅", OrgClass::Department),
    ("园", OrgClass::Zone),
];

/// Verbs that stand in organisation names right before the organisation word.
const ACTIVITIES: &[&str] = &[
    "治理", "服务", "发展", "管理", "执法", "帮扶", "调解", "交易", "展销", "监测", "救助", "培训", "指挥", "孵化",
    "创业", "就业", "保障", "审批", "监督", "检测", "协作",
];

/// Generic words that end like organisations but name none.
const NOT_ORGS: &[&str] = &[
    "中心",
    "公司",
    "集团",
    "企业",
    "政府",
    "医院",
    "学校",
    "园区",
    "产业园",
    "代表团",
    "服务中心",
    "党委",
    "委员会",
    "办公室",
    "各委办局",
    "委办局",
    "中央",
    "产业园区",
    "工业园区",
];

/// Tags of words that may stand inside an organisation's name.
fn nominal(tag: &str) -> bool {
    matches!(tag.chars().next(), Some('n' | 'j' | 'l' | 'b' | 'f' | 's' | 'g' | 'k'))
        || matches!(tag, "vn" | "an" | "eng" | "x" | "i" | "mq")
}

#[derive(Debug, Clone, PartialEq)]
pub struct OrgMention {
    pub begin: usize,
    pub end: usize,
    pub name: String,
    /// The printed form when it is longer than `name` (`上海市东湖区发展改革委`).
    pub printed: Option<String>,
    pub class: OrgClass,
    pub place: Option<PlaceId>,
}

pub fn find_orgs(
    gaz: &Gazetteer,
    jieba: &Jieba,
    chars: &[char],
    text: &str,
    places: &[PlaceMention],
) -> Vec<OrgMention> {
    let tokens = jieba.tag(text, true);
    let mut out: Vec<OrgMention> = Vec::new();
    let mut token_index = 0usize;
    let mut pos = 0usize;
    let mut token_starts: Vec<(usize, usize, String)> = Vec::with_capacity(tokens.len());
    for t in &tokens {
        let len = t.word.chars().count();
        token_starts.push((pos, pos + len, t.tag.to_string()));
        pos += len;
    }
    for i in 0..chars.len() {
        let rest: String = chars[i..chars.len().min(i + 6)].iter().collect();
        let Some(&(word, class)) = ORG_WORDS.iter().find(|(w, _)| rest.starts_with(w)) else {
            continue;
        };
        let end = i + word.chars().count();
        // The organisation word must end a token, or it is part of another word (`委员`).
        while token_index < token_starts.len() && token_starts[token_index].1 < end {
            token_index += 1;
        }
        let Some((tok_begin, tok_end, tok_tag)) = token_starts.get(token_index).cloned() else {
            break;
        };
        if tok_end != end && !places.iter().any(|m| m.begin == end) && !chars.get(end).is_some_and(|&c| is_delimiter(c))
        {
            continue;
        }
        // `举办`, `主办` end in `办` but are verbs.
        if tok_end == end && tok_begin < i && tok_tag.starts_with('v') {
            continue;
        }
        let mut begin = token_starts.iter().find(|t| t.0 <= i && i < t.1).map_or(i, |t| t.0);
        // Walk left over nominal tokens and places; a verbal noun only next to
        // the organisation word (`社会治理中心`, not `规划建设…商务区`).
        let mut steps = 0;
        let mut coordinated = false;
        let mut has_place = false;
        loop {
            if let Some(m) = places.iter().find(|m| m.end == begin) {
                begin = m.begin;
                has_place = true;
                continue;
            }
            let Some(prev) = token_starts.iter().find(|t| t.1 == begin) else {
                break;
            };
            let word: String = chars[prev.0..prev.1].iter().collect();
            let verbal = prev.2 == "vn" && steps > 1;
            // A whole body before 和 (`…人民政府与…公司`) is a second party, not a part.
            let body_before = token_starts.iter().find(|t| t.1 == prev.0).is_some_and(|t| {
                ORG_WORDS
                    .iter()
                    .any(|(w, _)| chars[t.0..t.1].iter().collect::<String>().ends_with(w))
            });
            if matches!(word.as_str(), "和" | "与" | "及") && !has_place && !body_before {
                // `人力资源和社会保障局` is one name when a place heads it; else
                // `A和B产业园` joins two and names neither alone.
                let reaches_place = token_starts
                    .iter()
                    .rev()
                    .filter(|t| t.1 <= prev.0 && prev.0 - t.0 <= 12)
                    .take_while(|t| nominal(&t.2))
                    .any(|t| places.iter().any(|m| m.end == t.1 || m.begin == t.0));
                if reaches_place {
                    begin = prev.0;
                    continue;
                }
                coordinated = true;
                break;
            }
            // Activity words that name what a centre or bureau does (`社会治理中心`).
            let activity = steps == 0 && ACTIVITIES.contains(&word.as_str());
            if (!nominal(&prev.2) && !activity)
                || verbal
                || word.chars().any(is_delimiter)
                || end - prev.0 > 20
                || is_stop_word(&word)
                || matches!(word.as_str(), "和" | "与" | "及")
            {
                break;
            }
            begin = prev.0;
            steps += 1;
        }
        // `A和B产业园`: one name joined by 和, not B's own.
        if coordinated {
            continue;
        }
        if let Some(m) = shape(
            &Scan {
                gaz,
                jieba,
                chars,
                places,
            },
            begin,
            end,
            class,
            word,
        ) {
            out.push(m);
        }
    }
    // The longest reading wins where organisations overlap.
    out.sort_by_key(|m| (m.begin, std::cmp::Reverse(m.end)));
    let mut kept: Vec<OrgMention> = Vec::new();
    for m in out {
        if kept.iter().any(|k| k.begin <= m.begin && m.end <= k.end) {
            continue;
        }
        kept.retain(|k| !(m.begin <= k.begin && k.end <= m.end));
        kept.push(m);
    }
    kept
}

fn is_stop_word(word: &str) -> bool {
    [
        "包括", "以及", "其中", "全市", "全区", "全县", "各", "等", "我们", "这", "该", "本", "各级", "相关", "有关",
        "率", "率领", "带领", "会见", "陪同", "一行", "经", "由", "在", "为", "任命", "免去", "任",
    ]
    .contains(&word)
}

/// What an organisation name is read against.
struct Scan<'a> {
    gaz: &'a Gazetteer,
    jieba: &'a Jieba,
    chars: &'a [char],
    places: &'a [PlaceMention],
}

fn shape(scan: &Scan, mut begin: usize, end: usize, class: OrgClass, word: &str) -> Option<OrgMention> {
    let Scan {
        gaz,
        jieba,
        chars,
        places,
    } = *scan;
    let printed: String = chars[begin..end].iter().collect();
    let inside: Vec<&PlaceMention> = places.iter().filter(|m| m.begin >= begin && m.end <= end).collect();
    // Leading places: keep the most specific; drop a township or village in front of a business.
    let mut lead: Vec<&PlaceMention> = Vec::new();
    let mut at = begin;
    while let Some(m) = inside.iter().find(|m| m.begin == at) {
        lead.push(m);
        at = m.end;
    }
    let place = lead.last().map(|m| m.id).or_else(|| inside.first().map(|m| m.id));
    if let Some(last) = lead.last() {
        let level = gaz.place(last.id).level;
        let business = matches!(class, OrgClass::Corporation | OrgClass::Other | OrgClass::Zone);
        if business && level >= Level::Township && last.end < end {
            begin = last.end;
        } else if lead.len() > 1 && !business {
            begin = last.begin;
        }
    }
    let name: String = chars[begin..end].iter().collect();
    let n = name.chars().count();
    let core = n - word.chars().count();
    let single_char_word = word.chars().count() == 1;
    if core < 2 && !(class == OrgClass::PartyCommittee && place.is_some())
        || n > 24
        || NOT_ORGS.contains(&name.as_str())
        || ((single_char_word
            || matches!(
                class,
                OrgClass::Government | OrgClass::Department | OrgClass::PartyCommittee
            ))
            && inside.is_empty())
        || inside.iter().any(|m| m.begin == begin && m.end == end)
        || (class == OrgClass::Delegation && inside.is_empty())
        || holds_title(gaz, &name)
        || (inside.is_empty() && !distinctive(jieba, &name[..name.len() - word.len()]))
    {
        return None;
    }
    let class = match class {
        OrgClass::PartyCommittee if !inside.iter().any(|m| m.end + 1 == end) => OrgClass::Department,
        c => c,
    };
    // The committees of townships and villages are too many and too small to list.
    let governmental = matches!(
        class,
        OrgClass::PartyCommittee | OrgClass::Department | OrgClass::Government
    );
    if governmental && place.is_some_and(|p| gaz.place(p).level >= Level::Township) {
        return None;
    }
    Some(OrgMention {
        begin,
        end,
        printed: (printed != name).then_some(printed),
        name,
        class,
        place,
    })
}

/// `运城市委常委` is a post and `市长某某率…代表团` a sentence, not bodies.
fn holds_title(gaz: &Gazetteer, name: &str) -> bool {
    use super::gazetteer::TitleWord;
    gaz.find_title_words(name)
        .iter()
        .any(|&(_, _, k)| matches!(k, TitleWord::Role | TitleWord::BusinessRole | TitleWord::Group))
}

/// A proper name in it, not only common words (`餐饮集团`, `集体经济合作社`):
/// a word the dictionary tags as a name, or one it does not know at all.
fn distinctive(jieba: &Jieba, core: &str) -> bool {
    jieba.tag(core, false).iter().any(|t| {
        matches!(t.tag, "nr" | "nrt" | "nrfg" | "ns" | "nt" | "nz" | "eng" | "x") || t.word.chars().count() == 1
    })
}

/// `包括A、B、C在内的…企业`: the items of an inclusive list of companies.
pub fn listed_companies(chars: &[char], text: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let offsets = super::gazetteer::CharOffsets::new(text);
    for (b, _) in text.match_indices("包括") {
        let start = offsets.char_at(b) + 2;
        let Some(rel) = chars[start..chars.len().min(start + 80)]
            .iter()
            .collect::<String>()
            .find("在内")
        else {
            continue;
        };
        let stop = start + chars[start..].iter().collect::<String>()[..rel].chars().count();
        let after: String = chars[stop..chars.len().min(stop + 40)].iter().collect();
        if !(after.contains("企业") || after.contains("公司")) {
            continue;
        }
        let mut item = start;
        for k in start..=stop {
            if k == stop
                || chars[k] == '、'
                || chars[k] == '和' && k + 1 < stop && chars[k + 1] != '、' && k == stop - 1
            {
                if (2..=10).contains(&(k - item)) {
                    out.push((item, k));
                }
                item = k + 1;
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::places::{candidates, resolve};

    fn orgs(text: &str) -> Vec<String> {
        let gaz = Gazetteer::load(None).unwrap();
        let jieba = Jieba::new();
        let chars: Vec<char> = text.chars().collect();
        let places = resolve(&gaz, &candidates(&gaz.find(text)), None, &[]);
        find_orgs(&gaz, &jieba, &chars, text, &places)
            .into_iter()
            .map(|m| m.name)
            .collect()
    }

    #[test]
    fn organisation_names_by_shape() {
        assert_eq!(orgs("日前，从上海市徐汇区发展改革委获悉"), ["徐汇区发展改革委"]);
        assert_eq!(orgs("随后到达清徐县徐沟镇金穗米业公司调研"), ["金穗米业公司"]);
        assert_eq!(orgs("上城区党政代表团赴山西"), ["上城区党政代表团"]);
        assert!(orgs("构建发展新格局").is_empty());
    }

    #[test]
    fn inclusive_lists_name_companies() {
        let text = "已集聚了包括大恒科技、墨方、微想在内的39家企业";
        let chars: Vec<char> = text.chars().collect();
        let items: Vec<String> = listed_companies(&chars, text)
            .iter()
            .map(|&(b, e)| chars[b..e].iter().collect())
            .collect();
        assert_eq!(items, ["大恒科技", "墨方", "微想"]);
    }
}
