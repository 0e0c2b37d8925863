//! Dates as papers write them: `12月9日-12日`, `3月5日至7日`, `8月30日-9月1日`,
//! `2022年12月9日`; a year-less date takes the edition's year (the previous one
//! for a December event in a January paper).

use std::sync::LazyLock;

use regex::Regex;

use crate::text::read::valid_ymd;

static RANGE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:(\d{4})年)?(\d{1,2})月(\d{1,2})日?(?:\s*(?:-|—|–|－|~|～|至|到)\s*(?:(\d{4})年)?(?:(\d{1,2})月)?(\d{1,2})日)?")
        .expect("a valid date pattern")
});
static YEAR: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"((?:19|20)\d{2})年").expect("a valid year pattern"));
static FULL: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(\d{4})年(\d{1,2})月(\d{1,2})日").expect("a valid date pattern"));

/// A stated date span, in char offsets of the text it was found in.
#[derive(Debug, Clone, PartialEq)]
pub struct DateSpan {
    pub begin: usize,
    pub end: usize,
    pub start: String,
    pub finish: String,
}

/// The year a year-less date belongs to, from what the edition says of itself.
#[derive(Debug, Clone, Copy, Default)]
pub struct YearContext {
    pub year: Option<i32>,
    /// The edition's month, when its full date is known.
    pub month: Option<u32>,
}

impl YearContext {
    fn year_for(&self, month: u32) -> Option<i32> {
        let y = self.year?;
        Some(match self.month {
            Some(m) if m <= 2 && month >= 11 => y - 1,
            _ => y,
        })
    }
}

fn ymd(y: i32, m: u32, d: u32) -> Option<String> {
    valid_ymd(y, m, d).then(|| format!("{y:04}-{m:02}-{d:02}"))
}

/// Every date or date range in a (folded) text.
pub fn date_spans(text: &str, years: YearContext) -> Vec<DateSpan> {
    let offsets = super::gazetteer::CharOffsets::new(text);
    let num = |c: Option<regex::Match>| c.and_then(|m| m.as_str().parse::<u32>().ok());
    RANGE
        .captures_iter(text)
        .filter_map(|c| {
            let whole = c.get(0)?;
            if !whole.as_str().contains('日') {
                return None;
            }
            let m1 = num(c.get(2))?;
            let d1 = num(c.get(3))?;
            let y1 = num(c.get(1)).map(|y| y as i32).or_else(|| years.year_for(m1))?;
            let start = ymd(y1, m1, d1)?;
            let finish = match num(c.get(6)) {
                Some(d2) => {
                    let m2 = num(c.get(5)).unwrap_or(m1);
                    let y2 = num(c.get(4))
                        .map(|y| y as i32)
                        .unwrap_or(if m2 < m1 { y1 + 1 } else { y1 });
                    ymd(y2, m2, d2).filter(|f| *f >= start)?
                }
                None => start.clone(),
            };
            Some(DateSpan {
                begin: offsets.char_at(whole.start()),
                end: offsets.char_at(whole.end()),
                start,
                finish,
            })
        })
        .collect()
}

/// A complete date (`2023年3月9日`) as ISO, e.g. from a masthead.
pub fn full_date(text: &str) -> Option<String> {
    let c = FULL.captures(text)?;
    ymd(c[1].parse().ok()?, c[2].parse().ok()?, c[3].parse().ok()?)
}

/// The latest year a text states (`2022年`).
pub fn latest_year(text: &str) -> Option<i32> {
    YEAR.captures_iter(text).filter_map(|c| c[1].parse().ok()).max()
}

/// Years stated with their char offsets: `1996年` and `2016年以来`.
pub fn years_in(text: &str) -> Vec<(usize, i32)> {
    let offsets = super::gazetteer::CharOffsets::new(text);
    YEAR.captures_iter(text)
        .filter_map(|c| Some((offsets.char_at(c.get(0)?.start()), c[1].parse().ok()?)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spans(text: &str, year: i32) -> Vec<(String, String)> {
        date_spans(
            text,
            YearContext {
                year: Some(year),
                month: None,
            },
        )
        .into_iter()
        .map(|s| (s.start, s.finish))
        .collect()
    }

    #[test]
    fn reads_ranges_in_common_forms() {
        assert_eq!(
            spans("12月9日-12日，区委", 2022),
            [("2022-12-09".into(), "2022-12-12".into())]
        );
        assert_eq!(spans("3月5日至7日", 2023), [("2023-03-05".into(), "2023-03-07".into())]);
        assert_eq!(
            spans("8月30日-9月1日", 2023),
            [("2023-08-30".into(), "2023-09-01".into())]
        );
        assert_eq!(
            spans("2021年6月3日上午", 2023),
            [("2021-06-03".into(), "2021-06-03".into())]
        );
        assert_eq!(
            spans("12月28日至1月2日", 2022),
            [("2022-12-28".into(), "2023-01-02".into())]
        );
        assert!(spans("近日，", 2022).is_empty());
    }

    #[test]
    fn a_december_event_in_a_january_paper_is_last_year() {
        let ctx = YearContext {
            year: Some(2023),
            month: Some(1),
        };
        assert_eq!(date_spans("12月28日", ctx)[0].start, "2022-12-28");
    }

    #[test]
    fn finds_latest_year() {
        assert_eq!(latest_year("1996年，……2022年1-9月"), Some(2022));
        assert_eq!(full_date("2019年5月30日 星期四"), Some("2019-05-30".into()));
    }
}
