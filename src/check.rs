//! `jianfan check`: everything a build would refuse, plus what an editor
//! should look at before publishing, without writing anything.
//!
//! Besides the build's own errors and warnings it reports, for the source
//! text (articles and the reader-visible values of site.yaml):
//!
//! * **wrong script**: Simplified-only characters in Traditional text, with
//!   the Traditional form (Cantonese characters and characters both scripts
//!   share are left alone — the sets come from [`crate::script`]);
//! * **ambiguous conversions**: characters whose Simplified form depends on
//!   context, with the phrase around them and the form the build chose, so
//!   the editor can confirm it or add a glossary entry or `-{…}-` markup.
//!
//! Text in code, in `-{…}-` markup and in glossary terms is the editor's
//! decision already and is not reported again.

use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use indexmap::IndexMap;
use rayon::prelude::*;
use serde::Serialize;

use crate::article::{self, Article};
use crate::config::{SiteConfig, SITE_FILE};
use crate::convert::{Converter, Engine};
use crate::diagnostic::{Diagnostic, Severity};
use crate::glossary::Glossary;
use crate::render::{Route, Templates, TEMPLATES_DIR};
use crate::site::Site;
use crate::{front_matter, markup, script};

/// How much attention a finding needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    /// The build refuses the site.
    Error,
    /// The build goes ahead, but something is likely wrong.
    Warning,
    /// A conversion an editor may want to confirm.
    Review,
    /// A draft or scheduled article, which `build` leaves out.
    Unpublished,
}

/// One thing `check` found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    /// Error, warning or review.
    pub level: Level,
    /// What sort of finding: `content`, `wrong-script`, `ambiguous`, …
    pub kind: &'static str,
    /// The file, relative to the site root.
    pub file: PathBuf,
    /// 1-based line.
    pub line: Option<usize>,
    /// 1-based column, in characters.
    pub column: Option<usize>,
    /// What was found.
    pub message: String,
    /// What to do.
    pub help: Option<String>,
    /// The phrase around the finding.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub context: Option<String>,
    /// For ambiguous conversions: the form each generated variant got.
    #[serde(skip_serializing_if = "IndexMap::is_empty")]
    pub chosen: IndexMap<String, String>,
}

impl Finding {
    fn from_diagnostic(d: Diagnostic, kind: &'static str) -> Finding {
        Finding {
            level: match d.severity {
                Severity::Error => Level::Error,
                Severity::Warning => Level::Warning,
            },
            kind,
            file: d.file,
            line: d.line,
            column: d.column,
            message: d.message,
            help: d.help,
            context: None,
            chosen: IndexMap::new(),
        }
    }

    fn to_diagnostic(&self) -> Diagnostic {
        Diagnostic {
            severity: if self.level == Level::Error {
                Severity::Error
            } else {
                Severity::Warning
            },
            file: self.file.clone(),
            line: self.line,
            column: self.column,
            message: self.message.clone(),
            help: self.help.clone(),
        }
    }

    fn location(&self) -> String {
        let mut at = self.file.display().to_string();
        if let Some(line) = self.line {
            at.push_str(&format!(":{line}"));
            if let Some(column) = self.column {
                at.push_str(&format!(":{column}"));
            }
        }
        at
    }
}

/// Everything `check` found, sorted by level, file and position.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Report {
    /// The findings.
    pub findings: Vec<Finding>,
}

impl Report {
    /// How many findings are at `level`.
    pub fn count(&self, level: Level) -> usize {
        self.findings.iter().filter(|f| f.level == level).count()
    }

    /// Whether the site cannot be built.
    pub fn has_errors(&self) -> bool {
        self.count(Level::Error) > 0
    }

    /// Readable text, grouped by level: errors and warnings as rustc shows
    /// them (with the offending line from the file under `root`), conversions
    /// to review one per line.
    pub fn to_text(&self, root: &Path, colour: bool) -> String {
        let mut out = String::new();
        let groups = [
            (Level::Error, "Errors: the site cannot be built"),
            (Level::Warning, "Warnings"),
            (
                Level::Review,
                "To review: conversions that depend on context",
            ),
            (
                Level::Unpublished,
                "Not published: drafts and scheduled articles",
            ),
        ];
        for (level, heading) in groups {
            let found: Vec<&Finding> = self.findings.iter().filter(|f| f.level == level).collect();
            if found.is_empty() {
                continue;
            }
            out.push_str(&format!("{heading} ({})\n\n", found.len()));
            if level == Level::Unpublished {
                for f in found {
                    out.push_str(&format!("  {}: {}\n", f.location(), f.message));
                }
            } else if level == Level::Review {
                for f in found {
                    out.push_str(&format!("  {}: {}\n", f.location(), f.message));
                }
                out.push_str("  help: if a form is wrong, add the phrase to the glossary or mark it with -{…}-\n");
            } else {
                let diagnostics: Vec<Diagnostic> =
                    found.into_iter().map(Finding::to_diagnostic).collect();
                out.push_str(&crate::diagnostic::render(&diagnostics, root, colour));
            }
            out.push('\n');
        }
        out.push_str(&format!(
            "check: {} errors, {} warnings, {} conversions to review\n",
            self.count(Level::Error),
            self.count(Level::Warning),
            self.count(Level::Review)
        ));
        out
    }

    /// JSON for tools: `{"errors": […], "warnings": […], "review": […]}`.
    pub fn to_json(&self) -> String {
        let pick = |level| {
            self.findings
                .iter()
                .filter(|f| f.level == level)
                .collect::<Vec<_>>()
        };
        let value = serde_json::json!({
            "errors": pick(Level::Error),
            "warnings": pick(Level::Warning),
            "review": pick(Level::Review),
            "unpublished": pick(Level::Unpublished),
        });
        serde_json::to_string_pretty(&value).expect("findings serialize")
    }
}

/// Checks the site at `root`.
pub fn check(root: &Path, engine: &Arc<dyn Engine>) -> Report {
    let mut findings = Vec::new();
    let config = match SiteConfig::load(root) {
        Ok(config) => config,
        Err(problems) => {
            findings.extend(
                problems
                    .into_iter()
                    .map(|d| Finding::from_diagnostic(d, "site")),
            );
            return sorted(findings);
        }
    };
    let templates = Templates::load(&root.join(TEMPLATES_DIR));
    if let Err(e) = &templates {
        let d = Diagnostic::error(TEMPLATES_DIR, format!("{e:#}"));
        findings.push(Finding::from_diagnostic(d, "template"));
    }
    let articles = match article::load_all(root, &config, article::Include::everything()) {
        Ok(articles) => articles,
        Err(problems) => {
            findings.extend(
                problems
                    .into_iter()
                    .map(|d| Finding::from_diagnostic(d, "content")),
            );
            return sorted(findings);
        }
    };
    let site = match Site::assemble(config, articles, engine) {
        Ok(site) => site,
        Err(message) => {
            findings.push(Finding::from_diagnostic(
                Diagnostic::error(SITE_FILE, message),
                "site",
            ));
            return sorted(findings);
        }
    };
    findings.extend(
        crate::build::warnings(&site.config, &site.articles, &site.topic_articles)
            .into_iter()
            .map(|d| Finding::from_diagnostic(d, "site")),
    );
    let static_files =
        crate::fs::files_under(&root.join(crate::build::STATIC_DIR), root).unwrap_or_default();
    let broken = crate::links::check(&site, &static_files);
    findings.extend(
        broken
            .into_iter()
            .map(|d| Finding::from_diagnostic(d, "link")),
    );
    if let Ok(templates) = &templates {
        findings.extend(dry_render(&site, templates));
    }
    findings.extend(unpublished(&site));

    let scanner = match Scanner::new(&site, engine.as_ref()) {
        Ok(scanner) => scanner,
        Err(message) => {
            findings.push(Finding::from_diagnostic(
                Diagnostic::error(SITE_FILE, message),
                "site",
            ));
            return sorted(findings);
        }
    };
    let per_article: Vec<Vec<Finding>> = site
        .articles
        .par_iter()
        .map(|a| scanner.article(root, a))
        .collect();
    findings.extend(per_article.into_iter().flatten());
    if let Ok(text) = crate::fs::read_text(&root.join(SITE_FILE)) {
        findings.extend(scanner.site_yaml(&text));
    }
    sorted(findings)
}

/// Bold that readers would see as asterisks, once per line of `body`
/// (which starts on file line `body_line`).
fn literal_bold(file: &Path, body: &str, body_line: usize) -> Vec<Finding> {
    let mut lines_seen = std::collections::BTreeSet::new();
    crate::markdown::literal_bold(body)
        .into_iter()
        .filter_map(|at| {
            let (line, column) = crate::diagnostic::position(body, at, body_line);
            lines_seen.insert(line).then(|| {
                Finding::from_diagnostic(
                    Diagnostic::warning(
                        file,
                        "this `**` shows as two asterisks: next to punctuation such as 。 or 「, \
                         bold only starts or ends where the punctuation is on the other side",
                    )
                    .at(Some(line), Some(column))
                    .with_help(
                        "write `**重點**。` rather than `**重點。**`, and `「**引號**」` rather \
                         than `**「引號」**`",
                    ),
                    "markdown",
                )
            })
        })
        .collect()
}

/// Renders one page of every kind in every variant, keeping nothing: a
/// template that uses a variable the context lacks fails here.
fn dry_render(site: &Site, templates: &Templates) -> Vec<Finding> {
    let renderer = crate::render::Renderer::new(site, templates);
    let mut samples = vec![Route::Home { page: 1 }, Route::Topics, Route::NotFound];
    if !site.articles.is_empty() {
        samples.push(Route::Article { index: 0 });
    }
    if let Some(key) = site.topic_articles.keys().next() {
        samples.push(Route::Topic {
            key: key.clone(),
            page: 1,
        });
    }
    let mut failures: Vec<String> = samples
        .iter()
        .flat_map(|route| (0..site.editions.len()).map(move |e| (route, e)))
        .filter_map(|(route, edition)| renderer.page(route, edition).err())
        .chain(renderer.root().err())
        .map(|e| format!("{e:#}"))
        .collect();
    failures.dedup();
    failures
        .into_iter()
        .map(|message| {
            let d = Diagnostic::error(TEMPLATES_DIR, message)
                .with_help("use only the variables README.md lists for templates");
            Finding::from_diagnostic(d, "template")
        })
        .collect()
}

/// Drafts and articles dated in the future.
fn unpublished(site: &Site) -> Vec<Finding> {
    let now = crate::front_matter::hong_kong_now();
    site.articles
        .iter()
        .filter_map(|a| {
            let why = if a.front.draft {
                "draft".to_string()
            } else if a.front.date.is_after(now) {
                format!("scheduled for {}", a.front.date.iso())
            } else {
                return None;
            };
            Some(Finding {
                level: Level::Unpublished,
                kind: if a.front.draft { "draft" } else { "scheduled" },
                file: a.file.clone(),
                line: None,
                column: None,
                message: format!("{why}: {}", a.front.title),
                help: None,
                context: None,
                chosen: IndexMap::new(),
            })
        })
        .collect()
}

fn sorted(mut findings: Vec<Finding>) -> Report {
    findings.sort_by(|a, b| {
        (a.level, &a.file, a.line, a.column).cmp(&(b.level, &b.file, b.line, b.column))
    });
    Report { findings }
}

/// A line of source text, with the start of the next line when the build
/// joins the two (a hard wrap between CJK characters).
#[derive(Clone, Copy)]
struct Line<'a> {
    number: usize,
    text: &'a str,
    ahead: &'a str,
}

/// Front-matter keys whose values readers see.
const TEXT_KEYS: &[&str] = &["title", "subtitle", "summary", "byline", "caption"];

/// Finds wrong-script and ambiguous characters in source text.
struct Scanner<'a> {
    site: &'a Site,
    /// Variants whose conversion produces Simplified text, with converters.
    simplified: Vec<(&'a str, &'a Converter)>,
    /// Simplified → Traditional (Hong Kong), for the forms to suggest.
    to_traditional: Converter,
}

impl<'a> Scanner<'a> {
    fn new(site: &'a Site, engine: &dyn Engine) -> Result<Self, String> {
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
        })
    }

    /// The article's source file, scanned field by field and line by line.
    fn article(&self, root: &Path, article: &Article) -> Vec<Finding> {
        let Ok(raw) = crate::fs::read_text(&root.join(&article.file)) else {
            return Vec::new();
        };
        let raw = raw
            .strip_prefix('\u{feff}')
            .unwrap_or(&raw)
            .replace("\r\n", "\n");
        let Ok(split) = front_matter::split(&raw) else {
            return Vec::new();
        };
        let glossary = article.glossary(&self.site.config);
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
                    .filter(|k| TEXT_KEYS.contains(k));
                current.map(|key| line.find(':').map_or(key.len(), |i| i + 1))
            };
            if let (Some(_), Some(at)) = (current, value_at) {
                let numbered = Line {
                    number: index + 2,
                    text: line,
                    ahead: "",
                };
                found.extend(self.line(&article.file, numbered, at, &[], glossary));
            }
        }

        // The body, outside code and raw HTML.
        let code = crate::markdown::code_ranges(split.body);
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
            found.extend(self.line(&article.file, numbered, 0, &skip, glossary));
            start = end + 1;
        }
        found.extend(literal_bold(&article.file, split.body, split.body_line));
        found
    }

    /// The values readers see in site.yaml: title, description, topics, ui.
    fn site_yaml(&self, text: &str) -> Vec<Finding> {
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
    ) -> Vec<Finding> {
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
    fn run(&self, file: &Path, line: Line<'_>, run: Range<usize>, found: &mut Vec<Finding>) {
        let Line {
            number,
            text: line,
            ahead,
        } = line;
        let text = &line[run.clone()];
        let chars: Vec<char> = text.chars().collect();
        // A few characters of the next line, when the build joins it on.
        let ahead: String = ahead.chars().take(4).collect();
        let interesting = chars
            .iter()
            .any(|&c| script::is_simplified_only(c) || script::ambiguous_forms(c).is_some());
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
                found.push(Finding {
                    level: Level::Warning,
                    kind: "wrong-script",
                    file: file.to_path_buf(),
                    line: Some(number),
                    column,
                    message: format!(
                        "`{c}` is a Simplified character in Traditional text, in 「{context}」"
                    ),
                    help: Some(format!(
                        "write `{traditional}`, or protect it with -{{{c}}}- if it is meant"
                    )),
                    context: Some(context),
                    chosen: IndexMap::new(),
                });
            } else if let Some(forms) = script::ambiguous_forms(c) {
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
                found.push(Finding {
                    level: Level::Review,
                    kind: "ambiguous",
                    file: file.to_path_buf(),
                    line: Some(number),
                    column,
                    message: format!(
                        "`{c}` in 「{context}」 has more than one Simplified form ({forms}); the build wrote {}",
                        choices.join(", ")
                    ),
                    help: Some("if that form is wrong, add the phrase to the glossary or mark it with -{…}-".into()),
                    context: Some(context),
                    chosen,
                });
            }
        }
    }
}
