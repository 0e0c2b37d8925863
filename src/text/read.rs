//! Reading an edition file: decoding (UTF-8 with or without BOM, GB18030/GBK),
//! refusing binary or other encodings, and the edition's metadata.

use std::fs;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use sha2::{Digest, Sha256};

use crate::error::{Error, Result};

/// A decoded edition file.
#[derive(Debug, Clone)]
pub struct Source {
    pub path: PathBuf,
    pub file_name: String,
    pub text: String,
    pub encoding: &'static str,
    pub sha256: String,
}

/// What is known of the edition: paper, date, page. `date_inferred` marks a year
/// taken from the text rather than stated by the user, a sidecar or the file name.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct EditionMeta {
    pub paper: Option<String>,
    pub date: Option<String>,
    pub year: Option<i32>,
    pub page: Option<String>,
    pub date_inferred: bool,
}

/// Metadata the user gave on the command line; each field overrides the sidecar.
#[derive(Debug, Clone, Default)]
pub struct MetaOverrides {
    pub paper: Option<String>,
    pub date: Option<String>,
    pub page: Option<String>,
}

pub fn read_source(path: &Path) -> Result<Source> {
    let bytes = fs::read(path).map_err(|e| Error::input(path, format!("cannot read: {e}")))?;
    let (text, encoding) = decode(&bytes).map_err(|m| Error::input(path, m))?;
    if text.trim().is_empty() {
        return Err(Error::input(path, "empty edition: no text to read"));
    }
    // A README or a sidecar named by a shell glob would otherwise become an
    // "edition" of one empty article.
    if !text.chars().any(crate::text::normalise::is_cjk) {
        return Err(Error::input(path, "not an edition: the file has no Chinese text"));
    }
    let file_name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    Ok(Source {
        path: path.to_path_buf(),
        file_name,
        text,
        encoding,
        sha256: format!("{:x}", Sha256::digest(&bytes)),
    })
}

/// UTF-8 first (it is self-validating), then a BOM, then GB18030 when a detector
/// agrees the bytes are Chinese; anything with control bytes is binary.
pub fn decode(bytes: &[u8]) -> std::result::Result<(String, &'static str), String> {
    if bytes.is_empty() {
        return Err("empty edition: the file has no bytes".into());
    }
    if let Some((enc, bom_len)) = encoding_rs::Encoding::for_bom(bytes) {
        if enc != encoding_rs::UTF_8 {
            return Err(format!("unsupported encoding {} (use UTF-8 or GB18030)", enc.name()));
        }
        let text = std::str::from_utf8(&bytes[bom_len..])
            .map_err(|e| format!("invalid UTF-8 after the BOM at byte {}", e.valid_up_to()))?;
        return Ok((check_text(text.to_owned())?, "UTF-8"));
    }
    if bytes.contains(&0) {
        return Err("binary file, not an edition text (NUL bytes)".into());
    }
    if let Ok(s) = std::str::from_utf8(bytes) {
        return Ok((check_text(s.to_owned())?, "UTF-8"));
    }
    let mut detector = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
    detector.feed(bytes, true);
    let guess = detector.guess(None, chardetng::Utf8Detection::Allow);
    if guess != encoding_rs::GBK && guess != encoding_rs::GB18030 {
        return Err(format!(
            "unsupported encoding (looks like {}; use UTF-8 or GB18030)",
            guess.name()
        ));
    }
    let (text, had_errors) = encoding_rs::GB18030.decode_without_bom_handling(bytes);
    if had_errors {
        return Err("neither valid UTF-8 nor valid GB18030".into());
    }
    Ok((check_text(text.into_owned())?, "GB18030"))
}

/// Text that is mostly control characters is binary data that happened to decode.
fn check_text(text: String) -> std::result::Result<String, String> {
    let controls = text
        .chars()
        .filter(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t' | '\u{c}'))
        .count();
    if controls * 20 > text.chars().count().max(1) {
        return Err("binary file, not an edition text (control bytes)".into());
    }
    Ok(text)
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Sidecar {
    paper: Option<String>,
    date: Option<String>,
    page: Option<serde_json::Value>,
}

/// `NAME.meta.json` beside `NAME.txt`.
pub fn sidecar_path(path: &Path) -> PathBuf {
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    path.with_file_name(format!("{stem}.meta.json"))
}

/// Metadata by precedence: the command line, the sidecar, a date in the file name.
/// The text's own evidence (masthead, latest year) is added later by the caller.
pub fn edition_meta(path: &Path, overrides: &MetaOverrides) -> Result<EditionMeta> {
    let mut meta = EditionMeta::default();
    let sidecar = sidecar_path(path);
    if sidecar.exists() {
        let raw =
            fs::read_to_string(&sidecar).map_err(|e| Error::input(&sidecar, format!("cannot read sidecar: {e}")))?;
        let parsed: Sidecar = serde_json::from_str(&raw)
            .map_err(|e| Error::at_line(&sidecar, e.line(), format!("malformed sidecar: {e}")))?;
        meta.paper = parsed.paper.filter(|p| !p.trim().is_empty());
        if let Some(d) = parsed.date {
            meta.date =
                Some(check_date(&d).ok_or_else(|| {
                    Error::input(&sidecar, format!("malformed sidecar: date {d:?} is not YYYY-MM-DD"))
                })?);
        }
        meta.page = match parsed.page {
            None | Some(serde_json::Value::Null) => None,
            Some(serde_json::Value::Number(n)) => Some(n.to_string()),
            Some(serde_json::Value::String(s)) => Some(s),
            Some(other) => {
                return Err(Error::input(
                    &sidecar,
                    format!("malformed sidecar: page {other} is not a number or string"),
                ))
            }
        };
    }
    if let Some(p) = &overrides.paper {
        meta.paper = Some(p.clone());
    }
    if let Some(d) = &overrides.date {
        meta.date = Some(check_date(d).ok_or_else(|| Error::Usage(format!("--date {d:?} is not YYYY-MM-DD")))?);
    }
    if let Some(p) = &overrides.page {
        meta.page = Some(p.clone());
    }
    if meta.date.is_none() {
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        meta.date = date_in_file_name(&name);
    }
    meta.year = meta.date.as_deref().and_then(|d| d[..4].parse().ok());
    Ok(meta)
}

/// `YYYY-MM-DD` (also `YYYY/MM/DD`, `YYYYMMDD`) with a real month and day.
pub fn check_date(s: &str) -> Option<String> {
    let digits: String = s.chars().filter(|c| c.is_ascii_digit()).collect();
    let seps = s.chars().filter(|c| !c.is_ascii_digit()).count();
    if digits.len() != 8 || !(seps == 0 || seps == 2) {
        return None;
    }
    let (y, m, d): (i32, u32, u32) = (
        digits[..4].parse().ok()?,
        digits[4..6].parse().ok()?,
        digits[6..].parse().ok()?,
    );
    valid_ymd(y, m, d).then(|| format!("{y:04}-{m:02}-{d:02}"))
}

pub fn valid_ymd(y: i32, m: u32, d: u32) -> bool {
    let days = match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
        2 => 28,
        _ => return false,
    };
    (1800..=2200).contains(&y) && (1..=days).contains(&d)
}

/// A date written into a file name: `2023-03-09`, `2023_03_09`, `20230309`.
fn date_in_file_name(name: &str) -> Option<String> {
    let chars: Vec<char> = name.chars().collect();
    for start in 0..chars.len() {
        if start > 0 && chars[start - 1].is_ascii_digit() {
            continue;
        }
        for len in [10, 8] {
            if start + len > chars.len() {
                continue;
            }
            let window: String = chars[start..start + len].iter().collect();
            let after_is_digit = chars.get(start + len).is_some_and(|c| c.is_ascii_digit());
            if after_is_digit {
                continue;
            }
            let ok_shape = if len == 10 {
                let b = window.as_bytes();
                b[4] == b[7] && matches!(b[4], b'-' | b'_' | b'.')
            } else {
                window.chars().all(|c| c.is_ascii_digit())
            };
            if ok_shape {
                if let Some(d) = check_date(&window) {
                    return Some(d);
                }
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_utf8_bom_and_gb18030() {
        assert_eq!(decode("本报讯".as_bytes()).unwrap().0, "本报讯");
        let mut bom = vec![0xEF, 0xBB, 0xBF];
        bom.extend_from_slice("本报讯".as_bytes());
        assert_eq!(decode(&bom).unwrap().0, "本报讯");
        let (gb, _, _) = encoding_rs::GB18030.encode("本报讯（记者 张三）运城市委书记在会上表示，欢迎代表团。");
        let (text, enc) = decode(&gb).unwrap();
        assert_eq!(enc, "GB18030");
        assert!(text.starts_with("本报讯"));
    }

    #[test]
    fn refuses_binary_and_other_encodings() {
        assert!(decode(&[0x7f, 0x45, 0x4c, 0x46, 0, 1, 2])
            .unwrap_err()
            .contains("binary"));
        let (sjis, _, _) = encoding_rs::SHIFT_JIS.encode("これは日本語の文章です。東京都で会議が開かれました。");
        assert!(decode(&sjis).is_err());
        let utf16 = [0xFF, 0xFE, 0x2c, 0x67];
        assert!(decode(&utf16).unwrap_err().contains("unsupported encoding"));
    }

    #[test]
    fn finds_dates_in_file_names() {
        assert_eq!(date_in_file_name("paper-2023-03-09.txt").as_deref(), Some("2023-03-09"));
        assert_eq!(date_in_file_name("ed1_20190530_p3.txt").as_deref(), Some("2019-05-30"));
        assert_eq!(date_in_file_name("fengtai-times-2022-12.txt"), None);
        assert_eq!(
            date_in_file_name("ed00001_320281_20190530.txt").as_deref(),
            Some("2019-05-30")
        );
    }
}
