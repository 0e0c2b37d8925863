//! Normalisation of OCR layout with a map back to the raw file.
//!
//! Printed lines are joined without spaces (a word, name or number may break at
//! any line end), stray spaces inside CJK text and numbers go, letter-spaced runs
//! collapse, and every kept character remembers its raw line and column so a
//! mention can be checked by eye against the file.

/// Where a character of normalised text came from: 1-based raw line and column
/// (columns count characters).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Origin {
    pub line: u32,
    pub col: u32,
}

/// Text with one origin per character (`origin.len() == text.chars().count()`).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct MappedText {
    pub text: String,
    pub origin: Vec<Origin>,
}

impl MappedText {
    pub fn push(&mut self, c: char, origin: Origin) {
        self.text.push(c);
        self.origin.push(origin);
    }

    pub fn append(&mut self, other: &MappedText) {
        self.text.push_str(&other.text);
        self.origin.extend_from_slice(&other.origin);
    }

    pub fn char_len(&self) -> usize {
        self.origin.len()
    }

    /// The raw line where the character at `index` (a char offset) starts.
    pub fn line_at(&self, index: usize) -> u32 {
        self.origin.get(index).or(self.origin.last()).map_or(0, |o| o.line)
    }
}

/// One non-blank line of the raw file after normalisation.
#[derive(Debug, Clone)]
pub struct PrintedLine {
    /// 1-based line number in the raw file.
    pub line: usize,
    pub raw: String,
    pub text: MappedText,
    /// Characters separated by single spaces, as mastheads and slogans are set.
    pub letter_spaced: bool,
    /// A space run between two CJK runs: a headline's two clauses, set apart.
    pub gapped: bool,
    pub indented: bool,
}

impl PrintedLine {
    pub fn chars(&self) -> usize {
        self.text.char_len()
    }
}

pub fn is_cjk(c: char) -> bool {
    matches!(c as u32, 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x3134F)
}

/// Full-width ASCII digits and letters to their half-width forms; everything
/// else unchanged, so offsets are the same before and after.
pub fn fold_char(c: char) -> char {
    match c {
        '０'..='９' | 'Ａ'..='Ｚ' | 'ａ'..='ｚ' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        _ => c,
    }
}

pub fn fold(s: &str) -> String {
    s.chars().map(fold_char).collect()
}

fn is_latin(c: char) -> bool {
    fold_char(c).is_ascii_alphanumeric()
}

/// Every non-blank line of `raw`, normalised.
pub fn printed_lines(raw: &str) -> Vec<PrintedLine> {
    raw.lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
        .map(|(i, l)| normalise_line(i + 1, l.trim_end_matches('\r')))
        .collect()
}

fn normalise_line(line_no: usize, raw: &str) -> PrintedLine {
    let chars: Vec<char> = raw.chars().collect();
    let indented = chars.first().is_some_and(|c| c.is_whitespace());
    let mut text = MappedText::default();
    let mut gapped = false;
    let (mut spaced_pairs, mut visible) = (0usize, 0usize);
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c.is_whitespace() {
            let start = i;
            while i < chars.len() && chars[i].is_whitespace() {
                i += 1;
            }
            let before = start.checked_sub(1).map(|j| chars[j]);
            let after = chars.get(i).copied();
            if let (Some(b), Some(a)) = (before, after) {
                if i - start == 1 && !is_latin(b) {
                    spaced_pairs += 1;
                }
                if is_latin(b) && is_latin(a) && !(b.is_ascii_digit() || a.is_ascii_digit()) {
                    text.push(' ', origin(line_no, start));
                } else if is_cjk(b) && is_cjk(a) {
                    gapped = true;
                }
            }
            continue;
        }
        visible += 1;
        text.push(c, origin(line_no, i));
        i += 1;
    }
    let letter_spaced = visible >= 4 && spaced_pairs + 1 >= visible;
    PrintedLine {
        line: line_no,
        raw: raw.to_string(),
        text,
        letter_spaced,
        gapped: gapped && !letter_spaced,
        indented,
    }
}

fn origin(line: usize, index: usize) -> Origin {
    Origin {
        line: line as u32,
        col: index as u32 + 1,
    }
}

const SENTENCE_END: &[char] = &['。', '！', '？', '”', '…', '）', '：', '!', '?', '；'];

pub fn ends_sentence(s: &str) -> bool {
    s.trim_end().ends_with(SENTENCE_END)
}

/// Joins printed lines into one text: lines of a paragraph run on without a
/// separator; a paragraph ends after a line that closes a sentence and stops
/// short of the column width, or before an indented line.
pub fn join_lines(lines: &[&PrintedLine], width: usize) -> MappedText {
    let mut out = MappedText::default();
    for (i, line) in lines.iter().enumerate() {
        if i > 0 {
            let prev = lines[i - 1];
            let short = prev.chars() + 2 < width;
            if (ends_sentence(&prev.text.text) && short) || line.indented {
                let o = *prev.text.origin.last().unwrap_or(&origin(prev.line, 0));
                out.push('\n', Origin { col: o.col + 1, ..o });
            }
        }
        out.append(&line.text);
    }
    out
}

/// The column width of a page: the most common length of its longer lines.
pub fn column_width(lines: &[PrintedLine]) -> usize {
    let mut counts = std::collections::HashMap::new();
    for l in lines.iter().filter(|l| l.chars() >= 12) {
        *counts.entry(l.chars()).or_insert(0usize) += 1;
    }
    counts
        .into_iter()
        .max_by_key(|&(len, n)| (n, len))
        .map_or(24, |(len, _)| len)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn removes_spaces_inside_cjk_and_numbers_keeps_latin_words() {
        let l = normalise_line(3, "营业收入 460.6 亿元，同比 FENGTAI TIMES");
        assert_eq!(l.text.text, "营业收入460.6亿元，同比FENGTAI TIMES");
        assert_eq!(l.text.origin[4], Origin { line: 3, col: 6 });
        assert!(!l.letter_spaced);
    }

    #[test]
    fn collapses_letter_spacing() {
        let l = normalise_line(1, " 报 道 最 近 的 新 闻");
        assert_eq!(l.text.text, "报道最近的新闻");
        assert!(l.letter_spaced && l.indented);
    }

    #[test]
    fn joins_broken_words_and_numbers() {
        let lines = printed_lines("据介绍，2022\n\n年东\n\n湖区实现增长。\n\n新段落开始了，内容很长很长很长很长很长。");
        let refs: Vec<&PrintedLine> = lines.iter().collect();
        let joined = join_lines(&refs, 20);
        assert_eq!(
            joined.text,
            "据介绍，2022年东湖区实现增长。\n新段落开始了，内容很长很长很长很长很长。"
        );
        assert_eq!(joined.text.chars().count(), joined.origin.len());
        let pos = joined.text.chars().position(|c| c == '湖').unwrap();
        assert_eq!(joined.origin[pos], Origin { line: 5, col: 1 });
    }

    #[test]
    fn folds_full_width_digits_and_letters_only() {
        assert_eq!(fold("３月５日，ＡＢＣ。"), "3月5日，ABC。");
    }
}
