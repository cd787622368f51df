//! Inline conversion markup, as MediaWiki editors know it:
//!
//! * `-{乾隆}-` keeps the text as written in every variant;
//! * `-{zh-hant:的士;zh-hans:出租车}-` gives each listed variant its own text
//!   (variants not listed convert the source variant's text as usual).
//!
//! [`prepare`] lifts every such span out of a text, replacing it with a
//! placeholder (see [`crate::convert::localize`]), so later stages never see the
//! markup and it cannot reach a page. Problems come back with the byte
//! offset they are at, for file:line:column messages.

use std::ops::Range;

use indexmap::IndexMap;

use crate::diagnostic::{Diagnostic, Kind};
use crate::source::span::{placeholder, placeholder_index, Fixed, PLACEHOLDER_LIMIT};
use crate::text;

/// A problem in a text's markup: the byte offset it is at, and what is
/// wrong (the caller, who knows the file and where the text stands in it,
/// sets the file, line and column).
pub type MarkupProblem = (usize, Diagnostic);

fn problem(offset: usize, message: impl Into<String>, help: impl Into<String>) -> MarkupProblem {
    (
        offset,
        Diagnostic::error(Kind::Content, "", message).with_help(help),
    )
}

/// Replaces each `-{…}-` in `text` outside the `skip` ranges (code) with a
/// placeholder and appends its meaning to `spans`.
///
/// `variants` are the site's variant keys, `source` the source variant's.
pub fn prepare(
    text: &str,
    variants: &[&str],
    source: &str,
    skip: &[Range<usize>],
    spans: &mut Vec<Fixed>,
) -> Result<String, Vec<MarkupProblem>> {
    let mut problems: Vec<MarkupProblem> = text
        .char_indices()
        .filter(|(_, c)| placeholder_index(*c).is_some())
        .map(|(at, c)| {
            problem(
                at,
                format!("the private-use character U+{:X} cannot be used", c as u32),
                "jianfan reserves U+F0000–U+FFFFD; remove the character",
            )
        })
        .collect();
    let mut out = String::with_capacity(text.len());
    let mut copied = 0;
    for found in scan(text, skip) {
        let span = match found {
            Ok(span) => span,
            Err(open) => {
                problems.push(problem(
                    open,
                    "`-{` is not closed",
                    "close the conversion markup with `}-`, or write `-\\{` for a literal `-{`",
                ));
                break;
            }
        };
        match parse_span(
            &text[span.start + 2..span.end - 2],
            span.start + 2,
            variants,
            source,
        ) {
            Ok(fixed) => {
                if spans.len() >= PLACEHOLDER_LIMIT as usize {
                    problems.push(problem(
                        span.start,
                        "too many `-{…}-` spans",
                        "use a glossary",
                    ));
                    break;
                }
                out.push_str(&text[copied..span.start]);
                out.push(placeholder(spans.len()));
                spans.push(fixed);
            }
            Err(problem) => problems.push(problem),
        }
        copied = span.end;
    }
    out.push_str(&text[copied..]);
    if problems.is_empty() {
        Ok(out)
    } else {
        Err(problems)
    }
}

/// The byte ranges of the `-{…}-` spans in `text` outside `skip`, markers
/// included; an unclosed `-{` ends the scan with its offset as the error.
pub fn scan(text: &str, skip: &[Range<usize>]) -> Vec<Result<Range<usize>, usize>> {
    let in_skip = |at: usize| skip.iter().any(|r| r.contains(&at));
    let mut found = Vec::new();
    let mut search = 0;
    while let Some(at) = text[search..].find("-{") {
        let open = search + at;
        if in_skip(open) {
            search = open + 2;
            continue;
        }
        match text[open + 2..].find("}-") {
            Some(close) => {
                let end = open + 2 + close + 2;
                found.push(Ok(open..end));
                search = end;
            }
            None => {
                found.push(Err(open));
                break;
            }
        }
    }
    found
}

/// The meaning of the inside of one `-{…}-`, which starts at byte `offset`.
// A problem is the rare path, and the caller keeps it as it is.
#[allow(clippy::result_large_err)]
fn parse_span(
    inner: &str,
    offset: usize,
    variants: &[&str],
    source: &str,
) -> Result<Fixed, MarkupProblem> {
    if inner.trim().is_empty() {
        return Err(problem(
            offset - 2,
            "`-{}-` is empty",
            "put the text to keep inside, e.g. -{乾隆}-",
        ));
    }
    if !looks_per_variant(inner) {
        return Ok(Fixed::Keep(text::join_lines(inner)));
    }
    let mut texts = IndexMap::new();
    let mut at = offset;
    for part in inner.split(';') {
        let part_offset = at;
        at += part.len() + 1;
        if part.trim().is_empty() {
            continue; // `a:x;b:y;` ends with an empty part, as MediaWiki allows.
        }
        let Some((key, value)) = part.split_once(':') else {
            return Err(problem(
                part_offset,
                format!("`{}` has no variant key", part.trim()),
                "write each part as variant:text, e.g. -{zh-hant:的士;zh-hans:出租车}-",
            ));
        };
        let key = key.trim();
        let key_offset = part_offset + part.find(key).unwrap_or(0);
        if !variants.contains(&key) {
            let hint = crate::diagnostic::suggest(key, variants).replace("valid keys", "variants");
            return Err(problem(
                key_offset,
                format!("`{key}` is not a variant of this site"),
                hint,
            ));
        }
        if texts
            .insert(key.to_string(), text::join_lines(value.trim()))
            .is_some()
        {
            return Err(problem(
                key_offset,
                format!("`{key}` is given twice"),
                "give each variant one text",
            ));
        }
    }
    let fallback = texts
        .get(source)
        .or_else(|| texts.values().next())
        .cloned()
        .unwrap_or_default();
    Ok(Fixed::PerVariant { texts, fallback })
}

/// Whether the markup starts with `variant-key:`: lowercase ASCII, digits and
/// hyphens before the first colon. Anything else is text to keep.
fn looks_per_variant(inner: &str) -> bool {
    inner.split_once(':').is_some_and(|(key, _)| {
        let key = key.trim();
        key.starts_with(|c: char| c.is_ascii_lowercase())
            && key
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const VARIANTS: &[&str] = &["zh-hant", "zh-hans"];

    fn run(text: &str) -> Result<(String, Vec<Fixed>), Vec<MarkupProblem>> {
        let mut spans = Vec::new();
        prepare(text, VARIANTS, "zh-hant", &[], &mut spans).map(|t| (t, spans))
    }

    #[test]
    fn keep_span_becomes_a_placeholder() {
        let (text, spans) = run("清朝-{乾隆}-皇帝").expect("valid");
        assert_eq!(text, format!("清朝{}皇帝", placeholder(0)));
        assert_eq!(spans, [Fixed::Keep("乾隆".into())]);
    }

    #[test]
    fn per_variant_span_keeps_each_text() {
        let (_, spans) = run("坐-{zh-hant:的士;zh-hans:出租车;}-").expect("valid");
        let Fixed::PerVariant { texts, fallback } = &spans[0] else {
            panic!("per variant")
        };
        assert_eq!(texts["zh-hans"], "出租车");
        assert_eq!(fallback, "的士");
    }

    #[test]
    fn a_colon_in_plain_text_is_kept() {
        let (_, spans) = run("-{AI:人工智能}-").expect("valid");
        assert_eq!(spans, [Fixed::Keep("AI:人工智能".into())]);
    }

    #[test]
    fn soft_wrap_inside_markup_is_joined() {
        let (_, spans) = run("-{乾\n隆}-").expect("valid");
        assert_eq!(spans, [Fixed::Keep("乾隆".into())]);
    }

    #[test]
    fn unclosed_markup_is_an_error_at_its_start() {
        let errors = run("前文-{乾隆皇帝").expect_err("unclosed");
        assert_eq!(errors[0].0, "前文".len());
        assert_eq!(errors[0].1.message, "`-{` is not closed");
    }

    #[test]
    fn unknown_variant_key_is_an_error_at_the_key() {
        let errors = run("-{zh-hant:的士;zh-hanz:出租车}-").expect_err("unknown key");
        assert_eq!(errors[0].0, "-{zh-hant:的士;".len());
        assert_eq!(
            errors[0].1.message,
            "`zh-hanz` is not a variant of this site"
        );
        assert_eq!(errors[0].1.help.as_deref(), Some("did you mean `zh-hans`?"));
    }

    #[test]
    fn every_bad_span_is_reported() {
        let errors = run("-{}- 和 -{zh-tw:計程車}-").expect_err("two problems");
        assert_eq!(errors.len(), 2);
    }

    #[test]
    fn markup_in_skipped_ranges_is_left_alone() {
        let mut spans = Vec::new();
        let text = "`-{x}-` 與 -{y}-";
        let prepared = prepare(
            text,
            VARIANTS,
            "zh-hant",
            std::slice::from_ref(&(0..7)),
            &mut spans,
        )
        .expect("valid");
        assert_eq!(prepared, format!("`-{{x}}-` 與 {}", placeholder(0)));
    }

    #[test]
    fn reserved_characters_are_refused() {
        let errors = run(&format!("甲{}", placeholder(3))).expect_err("reserved");
        assert!(errors[0].1.message.contains("U+F0003"), "{errors:?}");
    }
}
