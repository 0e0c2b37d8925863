//! Splitting an edition into articles in reading order.
//!
//! Bodies open with a byline (`本报讯（记者 X）`) or follow a headline block, and
//! close before the next headline block, the next opening, or after a `来源：`
//! line. Headlines are short lines without sentence punctuation which OCR puts
//! after their body or between articles, so each headline line goes to the
//! article whose text it shares most with, nearby articles first.

use std::collections::HashSet;

use super::normalise::{column_width, ends_sentence, fold, is_cjk, join_lines, MappedText, PrintedLine};

#[derive(Debug, Clone, PartialEq)]
pub struct Byline {
    pub role: String,
    pub person: String,
}

#[derive(Debug, Clone)]
pub struct Article {
    /// 1-based position in reading order.
    pub position: usize,
    pub headline: Option<String>,
    pub subheadline: Option<String>,
    pub bylines: Vec<Byline>,
    pub source: Option<String>,
    pub body: MappedText,
}

/// What the page's masthead says about the edition.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Masthead {
    pub paper: Option<String>,
    pub date: Option<String>,
    pub page: Option<String>,
}

const BYLINE_ROLES: &[&str] = &[
    "本报记者",
    "特约记者",
    "见习记者",
    "融媒记者",
    "首席记者",
    "记者",
    "特约通讯员",
    "通讯员",
    "实习生",
];

const HEADLINE_PUNCT: &[char] = &['，', '。', '；', '！', '？', '、', '：', ',', ';', ':'];

#[derive(Debug, Clone, Copy, PartialEq)]
enum Kind {
    Masthead,
    Headline,
    Body,
}

/// An article opening: `本报讯`, a dateline `本报X月X日电`, `新华社…电`, or a bracketed byline.
pub fn is_opening(text: &str) -> bool {
    let head: String = text.chars().take(24).collect();
    head.starts_with("本报讯")
        || ((head.starts_with("本报") || head.starts_with("新华社")) && head.contains("电"))
        || ["（", "("].iter().any(|b| {
            head.strip_prefix(b)
                .is_some_and(|rest| BYLINE_ROLES.iter().any(|r| rest.starts_with(r)))
        })
}

/// `来源：江西日报`, `转自X`: the organisation a reprint comes from.
pub fn source_of(text: &str) -> Option<String> {
    let t = text.trim().trim_start_matches(['（', '(']);
    let rest = ["来源：", "来源:", "转自", "稿件来源："]
        .iter()
        .find_map(|p| t.strip_prefix(p))?;
    let name: String = rest
        .trim()
        .trim_end_matches(['）', ')', '。'])
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    (!name.is_empty() && name.chars().count() <= 20).then_some(name)
}

fn is_date_line(text: &str) -> bool {
    text.contains("星期")
        || text.contains("版") && text.contains('年')
        || text.contains("周") && text.contains("日") && text.contains('年')
}

fn has_cjk(text: &str) -> bool {
    text.chars().any(is_cjk)
}

fn headline_shaped(line: &PrintedLine) -> bool {
    let t = &line.text.text;
    line.chars() <= 30
        && has_cjk(t)
        && !t.starts_with(['（', '('])
        // `郭庄镇：消夏文化节`: a colon may join a short label to a headline.
        && !t.replacen(['：', ':'], "", 1).contains(HEADLINE_PUNCT)
        && t.find(['：', ':']).is_none_or(|c| t[..c].chars().count() <= 8 && !t.contains(['“', '"']))
        && !t.ends_with(['：', ':'])
        && !is_opening(t)
        && source_of(t).is_none()
        && !t.ends_with(|c: char| c.is_ascii_digit())
}

fn body_shaped(line: &PrintedLine) -> bool {
    is_opening(&line.text.text) || (line.text.text.contains(HEADLINE_PUNCT) && line.chars() >= 8)
}

/// Splits the printed lines of an edition into its masthead and articles.
pub fn split_articles(lines: &[PrintedLine]) -> (Masthead, Vec<Article>) {
    let width = column_width(lines);
    let first_body = lines.iter().position(body_shaped).unwrap_or(lines.len());
    let mut kinds: Vec<Kind> = Vec::with_capacity(lines.len());
    let mut masthead = Masthead::default();
    for line in &lines[..first_body] {
        let t = &line.text.text;
        let kind = if line.letter_spaced || !has_cjk(t) {
            Kind::Masthead
        } else if is_date_line(t) {
            masthead.date = masthead.date.or_else(|| crate::extract::dates::full_date(&fold(t)));
            masthead.page = masthead.page.or_else(|| page_of(t));
            // `清徐周报  2023年9月5日 星期二`: the paper's name before the date.
            let lead: String = line.raw.trim().chars().take_while(|c| is_cjk(*c)).collect();
            if masthead.paper.is_none() && (2..=10).contains(&lead.chars().count()) && !lead.ends_with('年') {
                masthead.paper = Some(lead);
            }
            Kind::Masthead
        } else if masthead.paper.is_none() && line.chars() <= 10 && kinds.iter().all(|k| *k == Kind::Masthead) {
            masthead.paper = Some(t.clone());
            Kind::Masthead
        } else {
            Kind::Headline
        };
        kinds.push(kind);
    }
    for line in &lines[first_body..] {
        kinds.push(if headline_shaped(line) {
            Kind::Headline
        } else {
            Kind::Body
        });
    }
    demote_column_fragments(lines, &mut kinds);

    // Bodies, and which headline lines stand between them.
    let mut bodies: Vec<Vec<usize>> = Vec::new();
    let mut current: Vec<usize> = Vec::new();
    let mut headline_lines: Vec<(usize, usize)> = Vec::new(); // (line index, bodies closed before it)
    for (i, line) in lines.iter().enumerate() {
        match kinds[i] {
            Kind::Masthead => {}
            Kind::Headline => {
                if !current.is_empty() {
                    bodies.push(std::mem::take(&mut current));
                }
                headline_lines.push((i, bodies.len()));
            }
            Kind::Body => {
                if is_opening(&line.text.text) && !current.is_empty() {
                    bodies.push(std::mem::take(&mut current));
                }
                current.push(i);
                if source_of(&line.text.text).is_some() {
                    bodies.push(std::mem::take(&mut current));
                }
            }
        }
    }
    if !current.is_empty() {
        bodies.push(current);
    }

    let mut articles: Vec<Article> = bodies
        .iter()
        .enumerate()
        .map(|(n, idx)| {
            let refs: Vec<&PrintedLine> = idx.iter().map(|&i| &lines[i]).collect();
            let first_raw: String = refs.iter().take(2).map(|l| l.raw.trim()).collect::<Vec<_>>().join("");
            Article {
                position: n + 1,
                headline: None,
                subheadline: None,
                bylines: if is_opening(&refs[0].text.text) {
                    parse_byline(&first_raw)
                } else {
                    Vec::new()
                },
                source: refs.last().and_then(|l| source_of(&l.text.text)),
                body: join_lines(&refs, width),
            }
        })
        .collect();
    assign_headlines(lines, &headline_lines, &mut articles);
    (masthead, articles)
}

/// A short unpunctuated line inside a narrow column is a body line, not a
/// headline: the body went on before it (no sentence end) or goes on after it at
/// the same width.
fn demote_column_fragments(lines: &[PrintedLine], kinds: &mut [Kind]) {
    let mut i = 0;
    while i < lines.len() {
        if kinds[i] != Kind::Headline {
            i += 1;
            continue;
        }
        let start = i;
        while i < lines.len() && kinds[i] == Kind::Headline {
            i += 1;
        }
        let prev_open = start > 0
            && kinds[start - 1] == Kind::Body
            && !ends_sentence(&lines[start - 1].text.text)
            && source_of(&lines[start - 1].text.text).is_none();
        if prev_open {
            kinds[start..i].iter_mut().for_each(|k| *k = Kind::Body);
            continue;
        }
        // The first line of a paragraph may lack punctuation: it is as wide as
        // the body line after it, where a headline is narrower.
        let full = |k: usize| {
            let local = lines[k..lines.len().min(k + 2)]
                .iter()
                .map(PrintedLine::chars)
                .max()
                .unwrap_or(0);
            lines[k].chars() * 10 >= local * 9
        };
        let mut end = i;
        while end > start
            && end < lines.len()
            && kinds[end] == Kind::Body
            && !is_opening(&lines[end].text.text)
            && full(end)
            && lines[end - 1].chars() * 5 >= lines[end].chars() * 4
        {
            kinds[end - 1] = Kind::Body;
            end -= 1;
        }
    }
}

fn page_of(text: &str) -> Option<String> {
    let t = fold(text);
    let at = t.find('第')?;
    let digits: String = t[at + '第'.len_utf8()..]
        .chars()
        .take_while(|c| c.is_ascii_digit())
        .collect();
    (!digits.is_empty() && t[at..].contains('版')).then_some(digits)
}

fn bigrams(text: &str) -> HashSet<(char, char)> {
    let chars: Vec<char> = fold(text).chars().filter(|c| c.is_alphanumeric()).collect();
    chars.windows(2).map(|w| (w[0], w[1])).collect()
}

fn assign_headlines(lines: &[PrintedLine], headline_lines: &[(usize, usize)], articles: &mut [Article]) {
    if articles.is_empty() {
        return;
    }
    let grams: Vec<HashSet<(char, char)>> = articles.iter().map(|a| bigrams(&a.body.text)).collect();
    // A pair of characters every article has (the paper's place) tells nothing.
    let weight = |g: &(char, char)| {
        let df = grams.iter().filter(|s| s.contains(g)).count();
        ((articles.len() + 1) as f64 / (df + 1) as f64).ln() + 0.1
    };
    let mut assigned: Vec<Vec<Vec<usize>>> = vec![Vec::new(); articles.len()];
    // A short line broken mid-word before the next (`…市场主` + `体持续壮大`: the
    // text says `主体`) is one headline with it: they go to one article together.
    let split_word = |a: usize, b: usize| {
        let (x, y) = (fold(&lines[a].text.text), fold(&lines[b].text.text));
        match (x.chars().last(), y.chars().next()) {
            (Some(p), Some(q)) => grams.iter().any(|g| g.contains(&(p, q))),
            _ => false,
        }
    };
    let mut groups: Vec<(Vec<usize>, usize)> = Vec::new();
    for &(i, closed_before) in headline_lines {
        match groups.last_mut() {
            Some((g, _))
                if g.len() == 1
                    && g[0] + 1 == i
                    && lines[g[0]].chars() < 10
                    && lines[g[0]].chars() + lines[i].chars() <= 20
                    && split_word(g[0], i) =>
            {
                g.push(i)
            }
            _ => groups.push((vec![i], closed_before)),
        }
    }
    for (group, closed_before) in groups {
        let text: String = group.iter().map(|&i| lines[i].text.text.as_str()).collect();
        let line_grams = bigrams(&text);
        let total: f64 = line_grams.iter().map(weight).sum::<f64>().max(1e-9);
        let best = (0..articles.len())
            .map(|a| {
                let overlap = line_grams
                    .iter()
                    .filter(|g| grams[a].contains(g))
                    .map(weight)
                    .sum::<f64>()
                    / total;
                // Headlines stand after their body in this layout, else before it.
                let near = if a + 1 == closed_before {
                    0.15
                } else if a == closed_before {
                    0.1
                } else {
                    0.0
                };
                (overlap + near, a)
            })
            .max_by(|x, y| x.0.total_cmp(&y.0).then(y.1.cmp(&x.1)));
        if let Some((_, a)) = best {
            assigned[a].push(group);
        }
    }
    for (article, idx) in articles.iter_mut().zip(assigned) {
        let (headline, sub) = headline_units(lines, &idx);
        article.headline = headline;
        article.subheadline = sub;
    }
}

/// Lines printed one after the other form one headline when together they are
/// no longer than a headline; a line with figures or two clauses set apart is
/// a subheadline.
fn headline_units(lines: &[PrintedLine], groups: &[Vec<usize>]) -> (Option<String>, Option<String>) {
    let mut units: Vec<(String, bool)> = Vec::new(); // (text, subheadline-like)
    let mut prev: Option<usize> = None;
    for group in groups {
        if group.len() > 1 {
            units.push((group.iter().map(|&i| lines[i].text.text.as_str()).collect(), false));
            prev = None;
            continue;
        }
        let i = group[0];
        let line = &lines[i];
        let t = line.text.text.clone();
        let sub_like = line.gapped
            || t.chars()
                .any(|c| fold(&c.to_string()).chars().all(|d| d.is_ascii_digit()));
        let joins = prev.is_some_and(|p| {
            let (last, last_sub) = units.last().expect("a previous unit");
            // A line that stops mid-clause (`…调研时强调`) goes on in the next.
            let open = ["强调", "表示", "指出", "要求", "时", "的", "和", "与"]
                .iter()
                .any(|w| last.ends_with(w));
            p + 1 == i && !sub_like && !last_sub && (open || last.chars().count() + t.chars().count() <= 26)
        });
        if joins {
            units.last_mut().expect("a previous unit").0.push_str(&t);
        } else {
            units.push((t, sub_like));
        }
        prev = Some(i);
    }
    match units.len() {
        0 => (None, None),
        1 => (Some(units.remove(0).0), None),
        _ => {
            // The main title is plain and terse; a kicker or deck carries
            // figures, two clauses, or more words.
            let main = (0..units.len())
                .min_by_key(|&k| (units[k].1, units[k].0.chars().count()))
                .unwrap_or(0);
            let headline = units.remove(main).0;
            (Some(headline), Some(units.remove(0).0))
        }
    }
}

/// `本报讯（记者 张三 通讯员 李四）`: each role with the names after it.
pub fn parse_byline(raw: &str) -> Vec<Byline> {
    let Some(open) = raw.find(['（', '(']) else {
        return Vec::new();
    };
    let inner_start = open + raw[open..].chars().next().map_or(1, char::len_utf8);
    let Some(close_rel) = raw[inner_start..].find(['）', ')']) else {
        return Vec::new();
    };
    if raw[..open].chars().count() > 20 {
        return Vec::new();
    }
    let inner = &raw[inner_start..inner_start + close_rel];
    let mut out = Vec::new();
    let mut rest = inner.trim();
    let mut role: Option<&str> = None;
    while !rest.is_empty() {
        if let Some(r) = BYLINE_ROLES.iter().find(|r| rest.starts_with(*r)) {
            role = Some(r);
            rest = rest[r.len()..].trim_start();
            continue;
        }
        let end = rest
            .char_indices()
            .find(|&(k, c)| {
                c.is_whitespace() || c == '、' || c == '，' || BYLINE_ROLES.iter().any(|r| rest[k..].starts_with(r))
            })
            .map_or(rest.len(), |(k, _)| k);
        let mut name = &rest[..end];
        name = name.trim_end_matches(['摄', '/']);
        if let (Some(r), true) = (role, (2..=6).contains(&name.chars().count())) {
            let role = if r == "本报记者" { "记者" } else { r };
            out.push(Byline {
                role: role.to_string(),
                person: name.to_string(),
            });
        }
        rest = rest[end..].trim_start_matches(|c: char| c.is_whitespace() || c == '、' || c == '，');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::normalise::printed_lines;

    #[test]
    fn parses_bylines_with_several_roles() {
        assert_eq!(
            parse_byline("本报讯（记者 丁戊己）12月9日"),
            vec![Byline {
                role: "记者".into(),
                person: "丁戊己".into()
            }]
        );
        let two = parse_byline("本报讯（记者 张三丰 通讯员 李四、王五）近日");
        assert_eq!(two.len(), 3);
        assert_eq!(
            two[2],
            Byline {
                role: "通讯员".into(),
                person: "王五".into()
            }
        );
        assert_eq!(parse_byline("本报讯（通讯员甲乙丙）日前")[0].person, "甲乙丙");
    }

    #[test]
    fn reads_sources() {
        assert_eq!(source_of("来源：江西日报").as_deref(), Some("江西日报"));
        assert_eq!(source_of("今天来源不明"), None);
    }

    #[test]
    fn headlines_after_bodies_go_to_their_articles() {
        let page = "报 道 新 闻\n\n本报讯（记者 甲乙丙）河西县召开春耕生产\n\n推进会，部署全年春耕生产工作任务。\n\n河西县部署春耕生产\n\n随着气温回升，城区绿化工作全面展开，各街道\n\n加快推进城区绿化，植树三万余株，美化环境。\n\n城区绿化全面展开\n";
        let (_, arts) = split_articles(&printed_lines(page));
        assert_eq!(arts.len(), 2);
        assert_eq!(arts[0].headline.as_deref(), Some("河西县部署春耕生产"));
        assert_eq!(arts[1].headline.as_deref(), Some("城区绿化全面展开"));
        assert_eq!(arts[0].bylines[0].person, "甲乙丙");
    }
}
