//! `jianfan check`: the build's chain up to a dry render, writing nothing,
//! with the text lints on top: everything `build` would refuse, under the
//! same draft and schedule rules, plus what an editor should look at before
//! publishing (wrong-script characters, conversions to review, bold that
//! stays asterisks, drafts and scheduled articles).

use std::path::Path;
use std::sync::Arc;

use crate::convert::site::Site;
use crate::convert::Engine;
use crate::diagnostic::{Diagnostic, Kind, Level, Report};
use crate::render::{Plan, Templates};
use crate::source::article::Article;
use crate::{lint, render, source};

/// Checks the site at `root` as `build` with the default options would
/// publish it, and lints the text of every article, drafts included.
pub fn check(root: &Path, engine: &Arc<dyn Engine>) -> CheckReport {
    let mut report = Report::default();
    let include = source::article::Include::published();
    let Some(mut source) = source::read(root, include, None, None, &mut report) else {
        return CheckReport(report);
    };
    crate::photos::prepare(root, &mut source, &|| {}, &mut report);
    let templates = Templates::read(root, &mut report);
    lint::site::warnings(&source, &mut report);
    let (config, articles, topics) = (source.config, source.articles, source.topics);
    let (site, _) = Site::assemble_cached(config, articles, topics, engine, None, &mut report);
    let plan = Plan::new(&site, &source.statics, &mut report);
    let (statics, failed, unparsed) = (&source.statics, &source.failed, &source.unparsed);
    lint::links::check(&site, &plan, statics, failed, unparsed, &mut report);
    if let Some(templates) = &templates {
        // Every text is held (no conversion cache here), so none can be lost.
        let _ = render::dry_run(&site, templates, &mut report);
    }
    let drafts = &source.unpublished;
    lint::script::scripts(&site, drafts, unparsed, engine.as_ref(), &mut report);
    report.extend(drafts.iter().map(unpublished));
    CheckReport(report)
}

/// A draft or scheduled article, which this build leaves out.
fn unpublished(article: &Article) -> Diagnostic {
    let (kind, why) = if article.front.draft {
        (Kind::Draft, "draft".to_string())
    } else {
        let when = article.front.date.iso();
        (Kind::Scheduled, format!("scheduled for {when}"))
    };
    let message = format!("{why}: {}", article.front.title);
    Diagnostic::new(Level::Unpublished, kind, &article.file, message)
}

/// A workflow command's message, escaped as GitHub's runner reads it.
fn data(text: &str) -> String {
    text.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// A workflow command's property value, escaped.
fn property(text: &str) -> String {
    data(text).replace(':', "%3A").replace(',', "%2C")
}

/// Everything `check` found, and the ways to print it.
#[derive(Debug, Clone, Default)]
pub struct CheckReport(pub Report);

impl CheckReport {
    /// Whether the site cannot be built.
    pub fn has_errors(&self) -> bool {
        self.0.has_errors()
    }

    /// Readable text, grouped by level and in file order: errors and
    /// warnings as rustc shows them (with the offending line from the file
    /// under `root`), conversions to review one entry each, most important
    /// first, with the phrase or every place.
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
            (
                Level::Outside,
                "Outside the Table of General Standard Chinese Characters: kept on Simplified pages as the source writes them",
            ),
        ];
        for (level, heading) in groups {
            let found = self.0.at_level(level);
            if found.is_empty() {
                continue;
            }
            out.push_str(&format!("{heading} ({})\n\n", found.len()));
            match level {
                Level::Error | Level::Warning => {
                    out.push_str(&crate::diagnostic::render(found, root, colour));
                }
                Level::Review | Level::Unpublished | Level::Outside => {
                    for d in &found {
                        out.push_str(&format!("  {}: {}\n", d.location(), d.message));
                        // A grouped review lists its places; a single one
                        // shows its phrase.
                        match (&d.context, d.notes.is_empty()) {
                            (Some(context), true) => {
                                out.push_str(&format!("      in 「{context}」\n"))
                            }
                            _ => {
                                for note in &d.notes {
                                    out.push_str(&format!("      {note}\n"));
                                }
                            }
                        }
                    }
                }
            }
            if level == Level::Review {
                out.push_str("  help: if a form is wrong, add the phrase to the glossary or mark it with -{…}-\n");
            }
            out.push('\n');
        }
        out.push_str(&format!(
            "check: {} errors, {} warnings, {} conversions to review\n",
            self.0.count(Level::Error),
            self.0.count(Level::Warning),
            self.0.count(Level::Review)
        ));
        out
    }

    /// GitHub Actions workflow commands, one per diagnostic in file order
    /// (`::error file=…,line=…,col=…,title=…::message`; warnings as
    /// `::warning`, reviews and unpublished articles as `::notice`), so a
    /// pull request shows each problem on its line.
    pub fn to_github(&self) -> String {
        let mut out = String::new();
        for d in self.0.sorted() {
            let command = match d.level {
                Level::Error => "error",
                Level::Warning => "warning",
                Level::Review | Level::Unpublished | Level::Outside => "notice",
            };
            let mut properties = vec![format!("file={}", property(&d.file.to_string_lossy()))];
            if let Some(line) = d.line {
                properties.push(format!("line={line}"));
                if let Some(column) = d.column {
                    properties.push(format!("col={column}"));
                }
            }
            let kind = serde_json::to_value(d.kind).expect("kinds serialize");
            let title = format!("jianfan {}", kind.as_str().unwrap_or_default());
            properties.push(format!("title={}", property(&title)));
            let mut message = d.message.clone();
            for note in &d.notes {
                message.push_str(&format!("\nnote: {note}"));
            }
            if let Some(help) = &d.help {
                message.push_str(&format!("\nhelp: {help}"));
            }
            out.push_str(&format!(
                "::{command} {}::{}\n",
                properties.join(","),
                data(&message)
            ));
        }
        out
    }

    /// JSON for tools: `{"errors": […], "warnings": […], "review": […],
    /// "unpublished": […], "outside_standard": […]}`, each list in file
    /// order.
    pub fn to_json(&self) -> String {
        let value = serde_json::json!({
            "errors": self.0.at_level(Level::Error),
            "warnings": self.0.at_level(Level::Warning),
            "review": self.0.at_level(Level::Review),
            "unpublished": self.0.at_level(Level::Unpublished),
            "outside_standard": self.0.at_level(Level::Outside),
        });
        serde_json::to_string_pretty(&value).expect("diagnostics serialize")
    }
}
