//! Person names in Chinese news language: a surname (single or compound) and
//! one or two characters, or a minority name that context marks (after a
//! title, in a list of officials, before a speech verb), with `·` for Uyghur
//! and Kazakh names. A name ends where a delimiter or the next word begins.

use jieba_rs::Jieba;

use super::gazetteer::Gazetteer;

/// Words that follow a name and so end it; longer ones are tried first.
const AFTER_NAME: &[&str] = &[
    "主持召开",
    "随团",
    "随同",
    "汇报",
    "一道",
    "亲自",
    "带头",
    "一行",
    "带领",
    "率领",
    "带队",
    "分别",
    "一同",
    "共同",
    "一起",
    "参加",
    "出席",
    "列席",
    "陪同",
    "主持",
    "讲话",
    "致辞",
    "发言",
    "宣读",
    "表示",
    "强调",
    "指出",
    "介绍",
    "要求",
    "认为",
    "希望",
    "提出",
    "会见",
    "会同",
    "调研",
    "考察",
    "视察",
    "看望",
    "慰问",
    "听取",
    "检查",
    "指导",
    "督导",
    "代表",
    "同志",
    "先生",
    "女士",
    "首先",
    "随后",
    "详细",
    "实地",
    "召开",
    "莅临",
    "前往",
    "来到",
    "深入",
    "走进",
    "作了",
    "当选",
    "通过",
    "坦言",
    "告诉",
    "回答",
    "就任",
    "任命",
    "免去",
    "在讲话",
    "在会上",
    "在座谈",
    "对此",
    "说",
    "率",
    "在",
    "等",
    "和",
    "与",
    "及",
    "同",
    "对",
    "到",
    "赴",
    "来",
    "是",
    "为",
    "向",
    "就",
    "将",
    "从",
    "于",
    "以",
    "的",
    "了",
    "也",
    "还",
    "都",
    "又",
    "则",
    "称",
    "任",
    "兼",
    "作",
    "做",
    "给",
    "把",
    "被",
    "让",
    "带",
];

const DELIMITERS: &[char] = &[
    '，', '。', '、', '；', '：', '！', '？', '（', '）', '“', '”', '‘', '’', '《', '》', '\n', ',', '.', ';', ':',
    '(', ')', '"', ' ', '—', '…', '【', '】', '「', '」',
];

const NAME_DOTS: &[char] = &['·', '•', '．', '・'];

/// Words that make a name-shaped run something else.
const NOT_A_NAME_END: &[&str] = &[
    "公司",
    "集团",
    "牌",
    "商行",
    "有限",
    "合作社",
    "超市",
    "酒店",
    "饭店",
    "店",
    "厂",
];

pub fn is_delimiter(c: char) -> bool {
    DELIMITERS.contains(&c) || c.is_whitespace()
}

/// Where the context of a name candidate comes from: a title or list makes a
/// name without a Han surname acceptable.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum NameContext {
    AfterTitle,
    Plain,
}

/// The name starting at `pos` in `chars`, as (begin, end).
pub fn name_at(gaz: &Gazetteer, jieba: &Jieba, chars: &[char], pos: usize, ctx: NameContext) -> Option<(usize, usize)> {
    // The run up to the next delimiter, at most 13 characters.
    let mut run_end = pos;
    while run_end < chars.len() && run_end - pos < 13 && !is_delimiter(chars[run_end]) {
        run_end += 1;
    }
    let run: String = chars[pos..run_end].iter().collect();
    if run.chars().count() < 2 || !chars[pos].is_alphabetic() || chars[pos].is_ascii() {
        return None;
    }
    if run.contains(NAME_DOTS) {
        return dotted_name(chars, pos, run_end);
    }
    let surname = gaz.is_surname_start(&run);
    // After a title a name may run to five characters (a Tibetan `多吉次仁`, or a name whose first
    // character is also a surname); elsewhere a Han name is two or three.
    let (min, max) = match (surname, ctx) {
        (Some(s), NameContext::AfterTitle) => (s + 1, 5),
        (Some(s), NameContext::Plain) => (s + 1, s + 2),
        (None, NameContext::AfterTitle) => (2, 5),
        (None, NameContext::Plain) => return None,
    };
    let run_len = run_end - pos;
    if AFTER_NAME.iter().any(|w| w.chars().count() > 1 && run.starts_with(w)) {
        return None;
    }
    let ends_at = |k: usize, multi_only: bool| {
        let rest: String = chars[pos + k..run_end].iter().collect();
        rest.is_empty()
            || AFTER_NAME
                .iter()
                .any(|w| (!multi_only || w.chars().count() > 1) && rest.starts_with(*w))
    };
    let multi = || AFTER_NAME.iter().filter(|w| w.chars().count() > 1);
    // A Han name is surname + one or two; only then may it run on (`多吉次仁`).
    let han_max = surname.map_or(max, |s| s + 2).min(run_len);
    let stop = (min..=han_max)
        .find(|&k| ends_at(k, true))
        .or_else(|| surname.and_then(|_| (min..=han_max).find(|&k| ends_at(k, false))))
        .or_else(|| (han_max + 1..=max.min(run_len)).find(|&k| ends_at(k, true)))?;
    // No stop word inside a name (`会召开会议` is no name).
    if (1..stop).any(|k| {
        let rest: String = chars[pos + k..pos + stop].iter().collect();
        multi().any(|w| rest.starts_with(w))
    }) {
        return None;
    }
    let rest: String = chars[pos + stop..run_end].iter().collect();
    if starts_with_any(&rest, NOT_A_NAME_END.iter()) || (pos > 0 && chars[pos - 1] == '“') {
        return None;
    }
    let name: String = chars[pos..pos + stop].iter().collect();
    if !plausible_name(gaz, &name) || NOT_A_NAME_END.iter().any(|w| name.contains(w)) {
        return None;
    }
    // An ordinary word (`先后`, `首先`) is no name, whatever its first character.
    let tags = jieba.tag(&name, false);
    if tags.len() == 1 && ordinary_word(tags[0].tag) {
        return None;
    }
    Some((pos, pos + stop))
}

fn starts_with_any<'a>(s: &str, words: impl Iterator<Item = &'a &'a str>) -> bool {
    let mut words = words;
    words.any(|w| s.starts_with(*w))
}

/// `阿布都热依木·买买提`: parts joined by a dot (OCR gives `•` or `.` too).
fn dotted_name(chars: &[char], pos: usize, run_end: usize) -> Option<(usize, usize)> {
    let mut end = pos;
    while end < run_end && (super::super::text::normalise::is_cjk(chars[end]) || NAME_DOTS.contains(&chars[end])) {
        end += 1;
    }
    // The last part is as long as a name part goes before a following word.
    let text: String = chars[pos..end].iter().collect();
    let last_dot = text.rfind(NAME_DOTS)?;
    let tail: String = text[last_dot..].chars().skip(1).collect();
    let tail_len = (2..=tail.chars().count())
        .find(|&k| {
            let rest: String = tail.chars().skip(k).collect();
            rest.is_empty() || AFTER_NAME.iter().any(|w| rest.starts_with(w))
        })
        .unwrap_or(tail.chars().count());
    let head_len = text[..last_dot].chars().count() + 1;
    let len = head_len + tail_len;
    (len >= 4).then_some((pos, pos + len))
}

/// Tags of ordinary words (adverbs, verbs, pronouns…) that are never names.
pub fn ordinary_word(tag: &str) -> bool {
    matches!(
        tag.chars().next(),
        Some('d' | 'v' | 'p' | 'c' | 'u' | 'r' | 'm' | 'q' | 'a' | 'f' | 't' | 'z')
    )
}

/// Not a title word, place or bare number; not a word that only looks like one.
pub fn plausible_name(gaz: &Gazetteer, name: &str) -> bool {
    let n = name.chars().count();
    (2..=12).contains(&n)
        && name.chars().all(|c| c.is_alphabetic() || NAME_DOTS.contains(&c))
        && !name.chars().any(|c| c.is_ascii())
        && gaz.find_title_words(name).is_empty()
        && !gaz.find(name).iter().any(|h| {
            // A place's full name is no name; a short form may be one.
            h.end - h.begin >= 2
                && h.entries
                    .iter()
                    .any(|e| matches!(e, super::gazetteer::Entry::Place { short: false, .. }))
        })
        && ![
            "领导", "同志", "干部", "群众", "代表", "书记", "负责", "相关", "有关", "各级", "全体", "双方", "两地",
            "职务", "职位", "一职", "人选",
        ]
        .iter()
        .any(|w| name.contains(w))
}

/// Names in a `、`-list starting at `pos`: `蒋一鸣、周立夏、田野一同参加`.
pub fn name_list(gaz: &Gazetteer, jieba: &Jieba, chars: &[char], pos: usize, ctx: NameContext) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut at = pos;
    while let Some((b, e)) = name_at(gaz, jieba, chars, at, ctx) {
        out.push((b, e));
        if chars.get(e) == Some(&'、') {
            at = e + 1;
        } else {
            break;
        }
    }
    out
}

/// Speech and action verbs that a person's name stands right before.
pub const SPEECH_VERBS: &[&str] = &[
    "表示",
    "强调",
    "指出",
    "介绍",
    "要求",
    "认为",
    "希望",
    "提出",
    "说",
    "坦言",
    "称",
    "在讲话中",
    "在会上",
    "在致辞中",
    "主持",
    "致辞",
    "讲话",
    "带领",
    "率领",
    "一行",
];

/// A name right before a speech verb at the start of a clause: `杨柳青强调`.
pub fn name_before(gaz: &Gazetteer, jieba: &Jieba, chars: &[char], verb_at: usize) -> Option<(usize, usize)> {
    let mut b = verb_at;
    while b > 0 && verb_at - b < 6 && !is_delimiter(chars[b - 1]) {
        b -= 1;
    }
    if b == verb_at || (b > 0 && !is_delimiter(chars[b - 1]) && verb_at - b >= 6) {
        return None;
    }
    let (s, e) = name_at(gaz, jieba, chars, b, NameContext::Plain)?;
    (e == verb_at).then_some((s, e))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn name(text: &str, ctx: NameContext) -> Option<String> {
        let gaz = Gazetteer::load(None).unwrap();
        let chars: Vec<char> = text.chars().collect();
        name_at(&gaz, &Jieba::new(), &chars, 0, ctx).map(|(b, e)| chars[b..e].iter().collect())
    }

    #[test]
    fn names_end_at_the_next_word() {
        assert_eq!(name("王志远带领代表团", NameContext::Plain).as_deref(), Some("王志远"));
        assert_eq!(name("杨柳青表示，欢迎", NameContext::Plain).as_deref(), Some("杨柳青"));
        assert_eq!(name("欧阳修竹强调", NameContext::Plain).as_deref(), Some("欧阳修竹"));
        assert_eq!(name("李为民表示", NameContext::Plain).as_deref(), Some("李为民"));
        assert_eq!(
            name("图布新分别参加", NameContext::AfterTitle).as_deref(),
            Some("图布新")
        );
        assert_eq!(name("图布新分别参加", NameContext::Plain), None);
        assert_eq!(
            name("阿布都热依木·买买提表示", NameContext::AfterTitle).as_deref(),
            Some("阿布都热依木·买买提")
        );
    }

    #[test]
    fn companies_are_not_names() {
        assert_eq!(name("杨明华公司", NameContext::Plain), None);
        assert_eq!(name("巴特尔牌", NameContext::AfterTitle), None);
        assert_eq!(name("先后调研了", NameContext::AfterTitle), None);
    }
}
