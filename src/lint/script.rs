//! Text lints on the source: what `check` finds in the text editors wrote.
//!
//! * **wrong script** (warnings): Simplified-only characters, and Simplified
//!   words written with characters both scripts share (以后, 面包), each with
//!   the Traditional form in the source's standard. What counts as
//!   Traditional (Hong Kong's and Taiwan's forms, Cantonese) comes from
//!   [`crate::convert::script`];
//! * **conversions to review**, short and ranked: a surname that converts
//!   wrongly (於先生, a byline, 主席於文東), a dictionary phrase across a word
//!   boundary that the build repaired (執著於, 看著名單) or could not settle
//!   (沿著名山), then characters whose form depends on context and that
//!   nothing settles, one entry per finding with every place;
//! * **bold that stays asterisks** next to Chinese punctuation;
//! * **outside the Simplified standard**: characters Simplified pages keep
//!   that the Table of General Standard Chinese Characters lacks, reported.
//!
//! Text in code, in `-{…}-` markup and in glossary terms is the editor's
//! decision already and is not reported again. The articles' and
//! site.yaml's text comes from the source stage: nothing is read again.

use std::ops::Range;
use std::path::Path;

use indexmap::IndexMap;
use rayon::prelude::*;

use crate::convert::engine::{Converter, Engine};
use crate::convert::repair::{Reason, Repair};
use crate::convert::script::{self, Standard};
use crate::convert::site::Site;
use crate::diagnostic::{Diagnostic, Kind, Level, Report};
use crate::layout::SITE_FILE;
use crate::source::article::{Article, Unparsed};
use crate::source::config::SiteConfig;
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
    let mut found: Vec<Diagnostic> = per_article.into_iter().flatten().collect();
    let glossary = &site.config.glossary;
    for file in unparsed {
        found.extend(scanner.file(&file.file, &file.text, glossary));
    }
    found.extend(scanner.site_yaml(&site.config.text));
    report.extend(group_reviews(found));
}

/// What `check` says of one text (a headline, an article, front matter
/// and all) converted by `converters` under `config`: its warnings and the
/// conversions to review, grouped as `check` groups them, at `file`.
pub fn text(
    config: &SiteConfig,
    converters: &[Converter],
    engine: &dyn Engine,
    file: &Path,
    text: &str,
) -> Result<Vec<Diagnostic>, String> {
    let scanner = Scanner::with(config, converters, engine, true)?;
    if crate::source::front_matter::split(text).is_ok() {
        return Ok(group_reviews(scanner.file(file, text, &config.glossary)));
    }
    // A text without front matter is all body: scanned behind an empty
    // front matter, two lines that are not the reader's.
    let mut found = scanner.file(file, &format!("---\n---\n{text}"), &config.glossary);
    for diagnostic in &mut found {
        diagnostic.line = diagnostic.line.map(|line| line.saturating_sub(2));
    }
    Ok(group_reviews(found))
}

/// The source variant's written standard: Taiwan when its language tag
/// or a variant's first OpenCC config says so (`zh-Hant-TW`, `tw2s`).
fn source_standard(config: &SiteConfig) -> Standard {
    let source_is_taiwan = config.source().lang.to_ascii_uppercase().ends_with("-TW");
    let converts_from_taiwan = config
        .variants
        .iter()
        .any(|v| v.opencc.first().is_some_and(|c| c.starts_with("tw2")));
    if source_is_taiwan || converts_from_taiwan {
        Standard::Taiwan
    } else {
        Standard::HongKong
    }
}

/// How many places an entry of characters outside the standard lists.
const OUTSIDE_PLACES: usize = 5;

/// One entry per finding: the reviews with the same kind and message (the
/// same character, written the same way) become one, at its first place,
/// with the count and every place in its notes. Everything else passes.
fn group_reviews(found: Vec<Diagnostic>) -> Vec<Diagnostic> {
    let (reviews, mut others): (Vec<Diagnostic>, Vec<Diagnostic>) = found
        .into_iter()
        .partition(|d| matches!(d.level, Level::Review | Level::Outside));
    let mut groups: IndexMap<(Kind, String), Vec<Diagnostic>> = IndexMap::new();
    for review in reviews {
        groups
            .entry((review.kind, review.message.clone()))
            .or_default()
            .push(review);
    }
    for (_, mut places) in groups {
        places.sort_by(|a, b| (&a.file, a.line, a.column).cmp(&(&b.file, b.line, b.column)));
        let count = places.len();
        let mut first = places.remove(0);
        if count > 1 {
            let place = |d: &Diagnostic| {
                let context = d.context.as_deref().unwrap_or_default();
                format!("{} 「{context}」", d.location())
            };
            first.message = format!("{} ({count} places)", first.message);
            first.notes = std::iter::once(&first)
                .chain(places.iter())
                .map(place)
                .collect();
            // A character a Cantonese column writes a thousand times needs
            // a few places to be found, not all of them.
            if first.level == Level::Outside && count > OUTSIDE_PLACES {
                first.notes.truncate(OUTSIDE_PLACES);
                first
                    .notes
                    .push(format!("and {} more", count - OUTSIDE_PLACES));
            }
        }
        others.push(first);
    }
    others
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
    /// Whether the line is a byline field, where a name comes first.
    byline: bool,
}

/// One run of plain text: its file, its line, its characters, and the
/// column its first character is at.
#[derive(Clone, Copy)]
struct Run<'a> {
    file: &'a Path,
    line: Line<'a>,
    chars: &'a [char],
    column: usize,
}

/// Finds wrong-script and ambiguous characters in source text.
struct Scanner<'a> {
    config: &'a SiteConfig,
    /// Variants whose conversion produces Simplified text, with converters.
    simplified: Vec<(&'a str, &'a Converter)>,
    /// Simplified → Traditional in the source's standard, for the forms
    /// to suggest.
    to_traditional: Converter,
    /// The source's written standard.
    standard: Standard,
    /// Whether to list conversions to review (`check`), or only what is
    /// wrong (`build`).
    reviews: bool,
}

impl<'a> Scanner<'a> {
    fn new(site: &'a Site, engine: &dyn Engine, reviews: bool) -> Result<Self, String> {
        Scanner::with(&site.config, &site.converters, engine, reviews)
    }

    /// A scanner for text converted by `converters`, one per variant of
    /// `config`.
    fn with(
        config: &'a SiteConfig,
        converters: &'a [Converter],
        engine: &dyn Engine,
        reviews: bool,
    ) -> Result<Self, String> {
        let simplified = config
            .variants
            .iter()
            .zip(converters)
            .filter(|(_, cc)| cc.is_simplified())
            .map(|(v, cc)| (v.key.as_str(), cc))
            .collect();
        let standard = source_standard(config);
        let to_traditional = match standard {
            Standard::HongKong => "s2hk",
            Standard::Taiwan => "s2twp",
        };
        let to_traditional = Converter::new(engine, &[to_traditional.to_string()])?;
        Ok(Scanner {
            config,
            simplified,
            to_traditional,
            standard,
            reviews,
        })
    }

    /// The article's source file, scanned field by field and line by line.
    fn article(&self, article: &Article) -> Vec<Diagnostic> {
        let glossary = article.glossary(self.config);
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
            if let (Some(key), Some(at)) = (current, value_at) {
                let numbered = Line {
                    number: index + 2,
                    text: line,
                    ahead: "",
                    byline: key == "byline",
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
                byline: false,
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
        let glossary = &self.config.glossary;
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
                byline: false,
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
            byline,
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
                    byline,
                };
                self.run(file, numbered, at..gap.start, &mut found);
            }
            at = at.max(gap.end);
        }
        found
    }

    /// Reports the characters and words of one run of plain text.
    fn run(&self, file: &Path, line: Line<'_>, run: Range<usize>, found: &mut Vec<Diagnostic>) {
        let text = &line.text[run.clone()];
        let chars: Vec<char> = text.chars().collect();
        let column_of_run = line.text[..run.start].chars().count() + 1;
        let at = |i: usize| (Some(line.number), Some(column_of_run + i));
        let context = |i: usize, len: usize| -> String {
            let from = i.saturating_sub(6);
            let to = (i + len + 6).min(chars.len());
            chars[from..to]
                .iter()
                .collect::<String>()
                .trim()
                .to_string()
        };

        for (i, &c) in chars.iter().enumerate() {
            if script::is_simplified_only(c) {
                let traditional = self.to_traditional.convert(&c.to_string());
                let context = context(i, 1);
                let (line_number, column) = at(i);
                found.push(
                    Diagnostic::warning(
                        Kind::WrongScript,
                        file,
                        format!(
                            "`{c}` is a Simplified character in Traditional text, in 「{context}」"
                        ),
                    )
                    .at(line_number, column)
                    .with_help(format!(
                        "write `{traditional}`, or protect it with -{{{c}}}- if it is meant"
                    ))
                    .with_context(context),
                );
            }
        }
        let mut words = script::simplified_words(text, self.standard);
        let lone = script::lone_characters(text, &words);
        locatives(&chars, &mut words);
        words.sort_by_key(|w| w.start);
        for word in words.into_iter().chain(lone) {
            let context = context(word.start, word.len);
            let (line_number, column) = at(word.start);
            // The converter writes the source's standard (裏 in Hong Kong).
            let traditional = self.to_traditional.convert(&word.word);
            if word.may_end_a_name {
                // 湖里 is Simplified for 湖裏, or the end of the lane 西湖里
                // (谷道 of the road 西谷道): a question, not a warning.
                if self.reviews {
                    found.push(
                        Diagnostic::new(
                            Level::Review,
                            Kind::NameOrWord,
                            file,
                            format!(
                                "「{}」: Simplified for 「{traditional}」, or the end of a place's name (a lane, a road)? in 「{context}」",
                                word.word
                            ),
                        )
                        .at(line_number, column)
                        .with_help(format!(
                            "write 「{traditional}」 if it is not a name; a name is right as it is (protect it with -{{…}}- or list it under `protect` to say so)"
                        ))
                        .with_context(context),
                    );
                }
                continue;
            }
            let message = if word.len == 1 {
                // A lone 后 or 几: Traditional writes it only inside a few words.
                format!(
                    "`{}` outside 皇后-like words is Simplified for `{traditional}`, in 「{context}」",
                    word.word
                )
            } else {
                format!(
                    "「{}」 is a Simplified word in Traditional text, in 「{context}」",
                    word.word
                )
            };
            let word = word.word;
            found.push(
                Diagnostic::warning(Kind::WrongScript, file, message)
                    .at(line_number, column)
                    .with_help(format!(
                        "write 「{traditional}」, or protect it with -{{{word}}}- if it is meant"
                    ))
                    .with_context(context),
            );
        }
        if self.reviews {
            let run = Run {
                file,
                line,
                chars: &chars,
                column: column_of_run,
            };
            self.reviews(&run, found);
            self.outside_standard(&run, found);
        }
    }

    /// The conversions of one run to review: surnames, repaired phrases,
    /// the particle question, and characters nothing settles.
    fn reviews(&self, run: &Run<'_>, found: &mut Vec<Diagnostic>) {
        let Run {
            file,
            line,
            chars,
            column: column_of_run,
        } = *run;
        let usage = script::usage();
        // Only a run with such a character can have anything to review;
        // the others are not converted again.
        let interesting = chars.iter().any(|&c| {
            script::ambiguous_forms(c).is_some()
                || usage.surnames.contains(&c)
                || script::is_extension(script::simplified_form(c))
        });
        if !interesting {
            return;
        }
        let text: String = chars.iter().collect();
        // A few characters of the next line, when the build joins it on.
        let ahead: String = line.ahead.chars().take(4).collect();
        let converted = self.convert_run(chars, &text, &ahead);
        let chosen_at = |i: usize| -> IndexMap<String, String> {
            converted
                .iter()
                .map(|(key, out, _)| {
                    let form = if out.len() == chars.len() {
                        out[i].to_string()
                    } else {
                        out.iter().collect()
                    };
                    (key.to_string(), form)
                })
                .collect()
        };
        let wrote = |chosen: &IndexMap<String, String>| -> String {
            chosen
                .iter()
                .map(|(k, v)| format!("{k}: {v}"))
                .collect::<Vec<_>>()
                .join(", ")
        };
        let settled = script::settled_ranges(&text);
        let context = |i: usize| -> String {
            chars[i.saturating_sub(6)..(i + 7).min(chars.len())]
                .iter()
                .collect::<String>()
                .trim()
                .to_string()
        };
        for (i, &c) in chars.iter().enumerate() {
            let chosen = chosen_at(i);
            let changed = chosen.values().any(|v| *v != c.to_string());
            let repair = converted
                .iter()
                .flat_map(|(_, _, repairs)| repairs)
                .find(|r| r.at == i);
            let surname = usage.surnames.contains(&c) && changed && self.is_name(&line, chars, i);
            // Settled: a phrase converted the character as a whole, or the
            // Simplified words that hold it write what the build wrote
            // (其餘 → 其余). A surname character's other form is the
            // surname, which the surname check asks about.
            let kept = chosen.values().all(|form| *form == c.to_string());
            // 著 kept by 著名 after a verb, with no word after to settle it.
            let particle = kept
                && repair.is_none()
                && i > 0
                && usage.particles.contains(&c)
                && usage.aspect.contains(&chars[i - 1])
                && settled.iter().any(|r| r.start == i);
            // The engine's own form of the character alone, where no phrase
            // claims it: what the dictionaries say when they say nothing
            // else (線 → 线, 哩 → 哩). The questions worth an editor's time
            // are where a phrase chose (著名 after a verb, above) or a
            // repair did.
            let usual = repair.is_none()
                && !settled.iter().any(|r| r.contains(&i))
                && (self.simplified.iter()).all(|(key, cc)| {
                    chosen
                        .get(*key)
                        .is_some_and(|form| *form == cc.convert(&c.to_string()))
                });
            let settled_here = settled.iter().any(|r| r.contains(&i))
                || usual
                || usage.surnames.contains(&c)
                || (kept && script::in_known_word(chars, i))
                || chosen.values().all(|form| {
                    let mut form = form.chars();
                    let written = form.next();
                    form.next().is_none()
                        && written.is_some_and(|w| script::forms_in_words(chars, i).contains(&w))
                });
            let review = if particle {
                Some(particle_question(c, chars, i, &wrote(&chosen)))
            } else {
                review_of(c, &wrote(&chosen), surname, repair, settled_here)
            };
            if let Some((kind, message, help)) = review {
                found.push(Diagnostic {
                    chosen,
                    ..Diagnostic::new(Level::Review, kind, file, message)
                        .at(Some(line.number), Some(column_of_run + i))
                        .with_help(help)
                        .with_context(context(i))
                });
            }
        }
    }

    /// The characters of one run whose form on Simplified pages the Table
    /// of General Standard Chinese Characters lacks: kept from the source
    /// (Cantonese 嘅, the variant 砲), or written by the conversion.
    fn outside_standard(&self, run: &Run<'_>, found: &mut Vec<Diagnostic>) {
        let chars = run.chars;
        if self.simplified.is_empty() {
            return;
        }
        for (i, &c) in chars.iter().enumerate() {
            let form = script::simplified_form(c);
            if script::is_standard(form) || script::is_extension(form) && form != c {
                continue;
            }
            let message = if form == c {
                format!("`{c}`, not in the Table of General Standard Chinese Characters, stays as the source writes it")
            } else {
                format!("`{c}` becomes `{form}`, which the Table of General Standard Chinese Characters lacks")
            };
            let context: String = chars[i.saturating_sub(6)..(i + 7).min(chars.len())]
                .iter()
                .collect();
            found.push(
                Diagnostic::new(Level::Outside, Kind::Standard, run.file, message)
                    .at(Some(run.line.number), Some(run.column + i))
                    .with_help("nothing to do if the character is meant; for the standard's form, add a glossary phrase")
                    .with_context(context.trim().to_string()),
            );
        }
    }

    /// The run `text` (`chars`) in every converted variant, each with the
    /// repairs made: converted with a few characters of the next line
    /// (`ahead`) when the build joins it on, cut back to the run.
    fn convert_run(
        &self,
        chars: &[char],
        text: &str,
        ahead: &str,
    ) -> Vec<(&str, Vec<char>, Vec<Repair>)> {
        (self.simplified.iter())
            .map(|(key, cc)| {
                let (out, repairs) = cc.convert_explained(&format!("{text}{ahead}"));
                let out: Vec<char> = out.chars().collect();
                if out.len() == chars.len() + ahead.chars().count() {
                    (*key, out[..chars.len()].to_vec(), repairs)
                } else {
                    let (out, repairs) = cc.convert_explained(text);
                    (*key, out.chars().collect(), repairs)
                }
            })
            .collect()
    }

    /// Whether `chars[i]` starts a name: before a title (於先生, 鍾教授,
    /// 於小華小姐), after a byline word (記者 鍾健文) or a role (主席於文東),
    /// or in a byline field.
    fn is_name(&self, line: &Line<'_>, chars: &[char], i: usize) -> bool {
        let usage = script::usage();
        let after: String = chars[i + 1..].iter().take(6).collect();
        let before: String = chars[..i].iter().collect();
        let before = before.trim_end_matches([' ', '\u{3000}', '（', '(', '：', ':']);
        // A word the character starts (於是, 於今) or ends (對於, 位於, 由於)
        // is not a name.
        let starts_word = chars
            .get(i + 1)
            .is_some_and(|n| script::is_traditional_word(&format!("{}{n}", chars[i])));
        let ends_word =
            i > 0 && script::is_traditional_word(&format!("{}{}", chars[i - 1], chars[i]));
        if ends_word && !line.byline {
            return false;
        }
        let before_title = usage.titles.iter().any(|title| {
            let one = title.chars().count() == 1;
            (0..=2).any(|k| {
                let gap: String = after.chars().take(k).collect();
                let ideographs = gap.chars().all(crate::text::is_cjk);
                ideographs
                    && gap.chars().count() == k
                    && (k == 0 || !starts_word)
                    && !(one && k > 0)
                    && after
                        .chars()
                        .skip(k)
                        .collect::<String>()
                        .starts_with(title.as_str())
            })
        });
        let after_byline = usage.bylines.iter().any(|b| before.ends_with(b.as_str()));
        // 主席於文東, 影星於佩珊: a role before, and no word after (主席於昨日
        // is 於 昨日; 於今 is a word).
        let after_role = (usage.roles.iter().chain(&usage.titles))
            .filter(|role| role.chars().count() > 1)
            .any(|role| before.ends_with(role.as_str()))
            && chars.get(i + 1).is_some_and(|&n| crate::text::is_cjk(n))
            && !starts_word
            && !script::starts_word(chars, i + 1);
        let starts_field = line.byline
            && (before.is_empty() || before.ends_with(|c: char| !crate::text::is_cjk(c)));
        before_title || after_byline || after_role || starts_field
    }
}

/// The question for 著 of 著名 after a verb (沿著名山): the verb's particle
/// (沿着名山) or the start of 著名 (沿 著名 山)?
fn particle_question(c: char, chars: &[char], i: usize, wrote: &str) -> (Kind, String, String) {
    let verb = chars[i - 1];
    let next: String = chars[i + 1..].iter().take(2).collect();
    let particle = script::simplified_form(c);
    (
        Kind::Straddle,
        format!("`{c}` after `{verb}`: its particle ({verb}{particle}) or the start of 「{c}{next}」? the build wrote {wrote}"),
        format!("if it is the particle, write -{{zh-hant:{verb}{c};zh-hans:{verb}{particle}}}-; if 「{c}{next}」 is meant, nothing to do"),
    )
}

/// 哪里, 這里, 心里: after a character of `locative` in the data file, 里 is
/// a locative, never the end of a lane's name, so a warning; a locative
/// the phrase tables do not know (這里) is added to `words`.
fn locatives(chars: &[char], words: &mut Vec<script::SimplifiedWord>) {
    let usage = script::usage();
    let locative = |at: usize| at > 0 && usage.locatives.contains(&chars[at - 1]);
    for word in words.iter_mut() {
        let last = word.start + word.len - 1;
        if word.may_end_a_name && chars[last] == '里' && locative(last) {
            word.may_end_a_name = false;
        }
    }
    for (at, _) in chars.iter().enumerate().filter(|(_, &c)| c == '里') {
        let covered = words
            .iter()
            .any(|w| (w.start..w.start + w.len).contains(&at));
        let word = chars
            .get(at.wrapping_sub(1)..=at)
            .map(|w| w.iter().collect::<String>());
        let known = word.as_deref().is_some_and(script::is_traditional_word);
        if locative(at) && !covered && !known {
            words.push(script::SimplifiedWord {
                word: format!("{}里", chars[at - 1]),
                traditional: format!("{}裏", chars[at - 1]),
                start: at - 1,
                len: 2,
                may_end_a_name: false,
            });
        }
    }
}

/// What to ask an editor about character `c` of a run, which the build
/// wrote as `wrote`: (kind, message, help), or nothing.
fn review_of(
    c: char,
    wrote: &str,
    surname: bool,
    repair: Option<&Repair>,
    settled_here: bool,
) -> Option<(Kind, String, String)> {
    if surname {
        Some((
            Kind::Surname,
            format!("`{c}` may be a surname here; the build wrote {wrote}"),
            format!(
                "if it is the surname {c}, protect the name with -{{…}}-: the usual Simplified form is another surname"
            ),
        ))
    } else if let Some(repair) = repair {
        match repair.reason {
            Reason::Straddle => Some((
                Kind::Straddle,
                format!(
                    "a dictionary phrase across a word boundary wrote `{}` here; the build wrote {wrote}",
                    repair.converted
                ),
                "check the Simplified text here; if it is wrong, add the phrase to the glossary or mark it with -{…}-"
                    .to_string(),
            )),
            // The source character stays, as it should (README): nothing
            // for the editor to decide.
            Reason::Unreadable => None,
            // OpenCC's own table form, as the embedded engine writes it:
            // nothing for the editor to decide.
            Reason::Unknown => None,
        }
    } else if let Some(forms) = script::ambiguous_forms(c) {
        (!settled_here).then(|| {
            let forms: Vec<String> = forms.iter().map(char::to_string).collect();
            (
                Kind::Ambiguous,
                format!(
                    "`{c}` has more than one Simplified form ({}); the build wrote {wrote}",
                    forms.join(" ")
                ),
                "if that form is wrong, add the phrase to the glossary or mark it with -{…}-"
                    .to_string(),
            )
        })
    } else {
        None
    }
}
