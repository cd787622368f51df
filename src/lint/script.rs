//! Text lints on the source: what `check` finds in the text editors wrote.
//!
//! * **wrong script**: Simplified-only characters in Traditional text, with
//!   the Traditional form (Cantonese characters and characters both scripts
//!   share are left alone — the sets come from [`crate::convert::script`]);
//! * **ambiguous conversions**: characters whose Simplified form depends on
//!   context, with the phrase around them and the form the build chose, so
//!   the editor can confirm it or add a glossary entry or `-{…}-` markup;
//! * **bold that stays asterisks** next to Chinese punctuation.
//!
//! Text in code, in `-{…}-` markup and in glossary terms is the editor's
//! decision already and is not reported again. The articles' and
//! site.yaml's text comes from the source stage: nothing is read again.

use std::ops::Range;
use std::path::Path;

use indexmap::IndexMap;
use rayon::prelude::*;

use crate::convert::engine::{Converter, Engine};
use crate::convert::script;
use crate::convert::site::Site;
use crate::diagnostic::{Diagnostic, Kind, Level, Report};
use crate::layout::SITE_FILE;
use crate::source::article::{Article, Unparsed};
use crate::source::front_matter::{self, FrontMatter};
use crate::source::glossary::Glossary;
use crate::source::markup;

/// Scans the text of `site` (articles, and the reader-visible values of
/// site.yaml), of the `unpublished` articles, which editors check before
/// they publish them, and of the `unparsed` files that failed to load.
pub fn scripts(
    site: &Site,
    unpublished: &[Article],
    unparsed: &[Unparsed],
    engine: &dyn Engine,
    report: &mut Report,
) {
    let scanner = match Scanner::new(site, engine, true) {
        Ok(scanner) => scanner,
        Err(message) => {
            report.push(Diagnostic::error(Kind::Site, SITE_FILE, message));
            return;
        }
    };
    let per_article: Vec<Vec<Diagnostic>> = site
        .articles
        .par_iter()
        .chain(unpublished.par_iter())
        .map(|a| scanner.article(a))
        .collect();
    report.extend(per_article.into_iter().flatten());
    let glossary = &site.config.glossary;
    for file in unparsed {
        report.extend(scanner.file(&file.file, &file.text, glossary));
    }
    report.extend(scanner.site_yaml(&site.config.text));
}

/// What `build` reports of the text lints: the wrong-script characters
/// and the stray `**` of the articles at `fresh` (those converted anew, so
/// an unchanged article is not scanned again), as warnings; the list of
/// conversions to review is `check`'s.
pub fn warnings(site: &Site, fresh: &[usize], engine: &dyn Engine, report: &mut Report) {
    if fresh.is_empty() {
        return;
    }
    let scanner = match Scanner::new(site, engine, false) {
        Ok(scanner) => scanner,
        Err(message) => {
            report.push(Diagnostic::error(Kind::Site, SITE_FILE, message));
            return;
        }
    };
    let found: Vec<Vec<Diagnostic>> = fresh
        .par_iter()
        .map(|&i| scanner.article(&site.articles[i]))
        .collect();
    report.extend(found.into_iter().flatten());
}

/// Bold that readers would see as asterisks, once per line of `body`
/// (which starts on file line `body_line`).
fn literal_bold(file: &Path, body: &str, body_line: usize) -> Vec<Diagnostic> {
    let mut lines_seen = std::collections::BTreeSet::new();
    crate::source::markdown::literal_bold(body)
        .into_iter()
        .filter_map(|at| {
            let (line, column) = crate::diagnostic::position(body, at, body_line);
            lines_seen.insert(line).then(|| {
                Diagnostic::warning(
                    Kind::Markdown,
                    file,
                    "this `**` shows as two asterisks: it opens or closes no bold",
                )
                .at(Some(line), Some(column))
                .with_help(
                    "bold opens and closes in one paragraph, with text on the inner side of \
                     both `**`; write `\\*\\*` if the asterisks are meant",
                )
            })
        })
        .collect()
}

/// A line of source text, with the start of the next line when the build
/// joins the two (a hard wrap between CJK characters).
#[derive(Clone, Copy)]
struct Line<'a> {
    number: usize,
    text: &'a str,
    ahead: &'a str,
}

/// Finds wrong-script and ambiguous characters in source text.
struct Scanner<'a> {
    site: &'a Site,
    /// Variants whose conversion produces Simplified text, with converters.
    simplified: Vec<(&'a str, &'a Converter)>,
    /// Simplified → Traditional (Hong Kong), for the forms to suggest.
    to_traditional: Converter,
    /// Whether to list conversions to review (`check`), or only what is
    /// wrong (`build`).
    reviews: bool,
}

impl<'a> Scanner<'a> {
    fn new(site: &'a Site, engine: &dyn Engine, reviews: bool) -> Result<Self, String> {
        let simplified = site
            .config
            .variants
            .iter()
            .zip(&site.converters)
            .filter(|(v, _)| {
                v.opencc
                    .last()
                    .is_some_and(|c| c.ends_with("2s") || c.ends_with("2sp"))
            })
            .map(|(v, cc)| (v.key.as_str(), cc))
            .collect();
        let to_traditional = Converter::new(engine, &["s2hk".to_string()])?;
        Ok(Scanner {
            site,
            simplified,
            to_traditional,
            reviews,
        })
    }

    /// The article's source file, scanned field by field and line by line.
    fn article(&self, article: &Article) -> Vec<Diagnostic> {
        let glossary = article.glossary(&self.site.config);
        self.file(&article.file, &article.text, glossary)
    }

    /// The `text` of an article's `file`, scanned field by field and line
    /// by line, leaving out `glossary` terms.
    fn file(&self, file: &Path, text: &str, glossary: &Glossary) -> Vec<Diagnostic> {
        let Ok(split) = front_matter::split(text) else {
            return Vec::new();
        };
        let mut found = Vec::new();

        // Front matter: the values of the text keys, continuation lines too.
        let mut current: Option<&str> = None;
        for (index, line) in split.yaml.lines().enumerate() {
            let indented = line.starts_with([' ', '\t']);
            let value_at = if indented {
                Some(0)
            } else {
                current = line
                    .split_once(':')
                    .map(|(key, _)| key.trim())
                    .filter(|k| FrontMatter::TEXT_KEYS.contains(k));
                current.map(|key| line.find(':').map_or(key.len(), |i| i + 1))
            };
            if let (Some(_), Some(at)) = (current, value_at) {
                let numbered = Line {
                    number: index + 2,
                    text: line,
                    ahead: "",
                };
                found.extend(self.line(file, numbered, at, &[], glossary));
            }
        }

        // The body, outside code and raw HTML.
        let code = crate::source::markdown::code_ranges(split.body);
        let body_lines: Vec<&str> = split.body.split('\n').collect();
        let mut start = 0;
        for (index, line) in body_lines.iter().copied().enumerate() {
            let end = start + line.len();
            let skip: Vec<Range<usize>> = code
                .iter()
                .filter(|r| r.start < end && r.end > start)
                .map(|r| r.start.saturating_sub(start)..(r.end - start).min(line.len()))
                .collect();
            // A phrase wrapped onto the next line converts as one phrase.
            let next = body_lines.get(index + 1).map_or("", |n| n.trim_start());
            let joined = crate::text::soft_break_between(line.chars().last(), next.chars().next());
            let ahead = if joined.is_empty() { next } else { "" };
            let numbered = Line {
                number: split.body_line + index,
                text: line,
                ahead,
            };
            found.extend(self.line(file, numbered, 0, &skip, glossary));
            start = end + 1;
        }
        found.extend(literal_bold(file, split.body, split.body_line));
        found
    }

    /// The values readers see in site.yaml: title, description, topics, ui.
    fn site_yaml(&self, text: &str) -> Vec<Diagnostic> {
        let file = Path::new(SITE_FILE);
        let glossary = &self.site.config.glossary;
        let mut found = Vec::new();
        let mut section = "";
        for (index, line) in text.lines().enumerate() {
            if !line.starts_with([' ', '\t', '#']) && !line.is_empty() {
                section = line.split(':').next().unwrap_or_default().trim();
            }
            if !["title", "description", "topics", "ui"].contains(&section) {
                continue;
            }
            let Some(colon) = line.find(':') else {
                continue;
            };
            let value_end = line.find(" #").unwrap_or(line.len()).max(colon + 1);
            let numbered = Line {
                number: index + 1,
                text: &line[..value_end],
                ahead: "",
            };
            found.extend(self.line(file, numbered, colon + 1, &[], glossary));
        }
        found
    }

    /// Scans `line.text[from..]`, leaving out `skip`, markup spans and
    /// glossary terms.
    fn line(
        &self,
        file: &Path,
        line: Line<'_>,
        from: usize,
        skip: &[Range<usize>],
        glossary: &Glossary,
    ) -> Vec<Diagnostic> {
        let Line {
            number,
            text: line,
            ahead,
        } = line;
        let mut excluded: Vec<Range<usize>> = skip.to_vec();
        excluded.push(0..from);
        excluded.extend(
            markup::scan(line, skip)
                .into_iter()
                .map(|s| s.unwrap_or_else(|open| open..line.len())),
        );
        excluded.extend(glossary.find_iter(line).map(|(range, _)| range));
        excluded.sort_by_key(|r| r.start);

        let mut found = Vec::new();
        let mut at = 0;
        for gap in excluded
            .iter()
            .chain(std::iter::once(&(line.len()..line.len())))
        {
            if gap.start > at {
                let ahead = if gap.start == line.len() { ahead } else { "" };
                let numbered = Line {
                    number,
                    text: line,
                    ahead,
                };
                self.run(file, numbered, at..gap.start, &mut found);
            }
            at = at.max(gap.end);
        }
        found
    }

    /// Reports the characters of one run of plain text.
    fn run(&self, file: &Path, line: Line<'_>, run: Range<usize>, found: &mut Vec<Diagnostic>) {
        let Line {
            number,
            text: line,
            ahead,
        } = line;
        let text = &line[run.clone()];
        let chars: Vec<char> = text.chars().collect();
        // A few characters of the next line, when the build joins it on.
        let ahead: String = ahead.chars().take(4).collect();
        let interesting = chars.iter().any(|&c| {
            script::is_simplified_only(c) || self.reviews && script::ambiguous_forms(c).is_some()
        });
        if !interesting {
            return;
        }
        let converted: Vec<(&str, Vec<char>)> = self
            .simplified
            .iter()
            .map(|(key, cc)| {
                let with_ahead = cc.convert(&format!("{text}{ahead}"));
                let converted: Vec<char> = with_ahead.chars().collect();
                if converted.len() == chars.len() + ahead.chars().count() {
                    (*key, converted[..chars.len()].to_vec())
                } else {
                    (*key, cc.convert(text).chars().collect())
                }
            })
            .collect();
        let column_of_run = line[..run.start].chars().count() + 1;
        for (i, &c) in chars.iter().enumerate() {
            let column = Some(column_of_run + i);
            let context: String = chars[i.saturating_sub(6)..(i + 7).min(chars.len())]
                .iter()
                .collect();
            let context = context.trim().to_string();
            if script::is_simplified_only(c) {
                let traditional = self.to_traditional.convert(&c.to_string());
                found.push(
                    Diagnostic::warning(
                        Kind::WrongScript,
                        file,
                        format!(
                            "`{c}` is a Simplified character in Traditional text, in 「{context}」"
                        ),
                    )
                    .at(Some(number), column)
                    .with_help(format!(
                        "write `{traditional}`, or protect it with -{{{c}}}- if it is meant"
                    ))
                    .with_context(context),
                );
            } else if let Some(forms) = script::ambiguous_forms(c).filter(|_| self.reviews) {
                let chosen: IndexMap<String, String> = converted
                    .iter()
                    .map(|(key, out)| {
                        let form = if out.len() == chars.len() {
                            out[i].to_string()
                        } else {
                            out.iter().collect()
                        };
                        (key.to_string(), form)
                    })
                    .collect();
                let choices: Vec<String> =
                    chosen.iter().map(|(k, v)| format!("{k}: {v}")).collect();
                let forms: String = forms
                    .iter()
                    .map(char::to_string)
                    .collect::<Vec<_>>()
                    .join(" ");
                let message = format!(
                    "`{c}` in 「{context}」 has more than one Simplified form ({forms}); the build wrote {}",
                    choices.join(", ")
                );
                found.push(Diagnostic {
                    chosen,
                    ..Diagnostic::new(Level::Review, Kind::Ambiguous, file, message)
                        .at(Some(number), column)
                        .with_help(
                            "if that form is wrong, add the phrase to the glossary or mark it with -{…}-",
                        )
                        .with_context(context)
                });
            }
        }
    }
}
