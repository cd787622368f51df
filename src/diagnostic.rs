//! Problems found in a site, with where they are and what to do: one type
//! for every stage, from site.yaml to the rendered pages.
//!
//! Every stage adds what it finds to one [`Report`] and passes on what it
//! could build, so one run shows every problem (as rustc shows every error
//! of a crate). A [`Diagnostic`] names the file, the line and column of the
//! construct that is wrong, what is wrong and what to do; `check` prints
//! the report as text, JSON or GitHub workflow commands, `build` and `serve`
//! as text.

use std::fmt;
use std::path::{Path, PathBuf};

use indexmap::IndexMap;
use serde::Serialize;

/// How much attention a diagnostic needs, most first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    /// The site cannot be built until this is fixed.
    Error,
    /// The site is built anyway; the editor should look.
    Warning,
    /// A conversion an editor may want to confirm.
    Review,
    /// A draft or scheduled article, which `build` leaves out.
    Unpublished,
    /// A character Simplified pages keep as the source writes it that the
    /// Table of General Standard Chinese Characters lacks (嘅, 砲): reported.
    Outside,
}

impl Level {
    /// The word a reader sees before the message.
    pub fn label(self) -> &'static str {
        match self {
            Level::Error => "error",
            Level::Warning => "warning",
            Level::Review => "review",
            Level::Unpublished => "unpublished",
            Level::Outside => "outside the standard",
        }
    }
}

/// What sort of problem, by the stage or lint that found it; tools filter
/// on it (`check --format json`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Kind {
    /// site.yaml, or the site as a whole (an empty topic).
    Site,
    /// An article's file, front matter or conversion markup.
    Content,
    /// The templates.
    Template,
    /// A link or image that leads nowhere.
    Link,
    /// Two outputs at one path (a file in static/ over a page).
    Output,
    /// Markdown that will not render as the editor meant.
    Markdown,
    /// A character outside the Simplified standard on Simplified pages.
    #[serde(rename = "outside-standard")]
    Standard,
    /// A character or word of the other script in the source.
    WrongScript,
    /// A conversion that depends on context.
    Ambiguous,
    /// A Simplified word that may be the end of a name (湖里 in the lane
    /// 西湖里, or 湖裏 「in the lake」).
    NameOrWord,
    /// A surname whose usual conversion is another surname (於先生 → 于).
    Surname,
    /// A dictionary phrase matched across a word boundary (著於 in 執著於).
    #[serde(rename = "phrase-boundary")]
    Straddle,
    /// A draft.
    Draft,
    /// An article dated in the future.
    Scheduled,
}

impl Kind {
    /// Where the kind stands in a list: the conversions to review that go
    /// wrong most often come first; every other kind keeps file order.
    fn rank(self) -> u8 {
        match self {
            Kind::Surname => 0,
            Kind::Straddle => 1,
            Kind::NameOrWord => 3,
            Kind::Ambiguous => 4,
            _ => 0,
        }
    }
}

/// One problem in one place.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    /// Error, warning, review or unpublished.
    pub level: Level,
    /// Which stage or lint found it.
    pub kind: Kind,
    /// The file the problem is in, relative to the site root, as the user
    /// would type it.
    pub file: PathBuf,
    /// 1-based line, where known.
    pub line: Option<usize>,
    /// 1-based column (in characters), where known.
    pub column: Option<usize>,
    /// What is wrong.
    pub message: String,
    /// What to do about it.
    pub help: Option<String>,
    /// The phrase around the problem, for text lints.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub context: Option<String>,
    /// More that helps, such as where else the problem shows.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
    /// For ambiguous conversions: the form each generated variant got.
    #[serde(skip_serializing_if = "IndexMap::is_empty")]
    pub chosen: IndexMap<String, String>,
}

impl Diagnostic {
    /// A diagnostic at `level` of `kind` in `file`.
    pub fn new(
        level: Level,
        kind: Kind,
        file: impl Into<PathBuf>,
        message: impl Into<String>,
    ) -> Self {
        Diagnostic {
            level,
            kind,
            file: file.into(),
            line: None,
            column: None,
            message: message.into(),
            help: None,
            context: None,
            notes: Vec::new(),
            chosen: IndexMap::new(),
        }
    }

    /// An error of `kind` in `file`.
    pub fn error(kind: Kind, file: impl Into<PathBuf>, message: impl Into<String>) -> Self {
        Diagnostic::new(Level::Error, kind, file, message)
    }

    /// A warning of `kind` in `file`.
    pub fn warning(kind: Kind, file: impl Into<PathBuf>, message: impl Into<String>) -> Self {
        Diagnostic::new(Level::Warning, kind, file, message)
    }

    /// Sets the file, for problems found in text before its file is known
    /// (a front-matter parser works on a string).
    pub fn in_file(mut self, file: impl Into<PathBuf>) -> Self {
        self.file = file.into();
        self
    }

    /// Sets the line (1-based).
    pub fn at_line(mut self, line: usize) -> Self {
        self.line = Some(line);
        self
    }

    /// Sets the line and column (both 1-based), when a line is known.
    pub fn at(mut self, line: Option<usize>, column: Option<usize>) -> Self {
        self.line = line;
        self.column = line.and(column);
        self
    }

    /// Adds what the editor should do.
    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// Adds the phrase around the problem.
    pub fn with_context(mut self, context: impl Into<String>) -> Self {
        self.context = Some(context.into());
        self
    }

    /// Adds a note.
    pub fn with_note(mut self, note: impl Into<String>) -> Self {
        self.notes.push(note.into());
        self
    }

    /// `file:line:column`, as far as known.
    pub fn location(&self) -> String {
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

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}: {}: {}",
            self.level.label(),
            self.location(),
            self.message
        )?;
        for note in &self.notes {
            write!(f, "\n  note: {note}")?;
        }
        if let Some(help) = &self.help {
            write!(f, "\n  help: {help}")?;
        }
        Ok(())
    }
}

/// Everything one run found, from every stage: what each stage adds to,
/// and, when it holds errors, the error a build fails with.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Report {
    diagnostics: Vec<Diagnostic>,
}

impl Report {
    /// Adds one diagnostic.
    pub fn push(&mut self, diagnostic: Diagnostic) {
        self.diagnostics.push(diagnostic);
    }

    /// Whether anything found stops the site from being built.
    pub fn has_errors(&self) -> bool {
        self.count(Level::Error) > 0
    }

    /// How many diagnostics are at `level`.
    pub fn count(&self, level: Level) -> usize {
        self.diagnostics.iter().filter(|d| d.level == level).count()
    }

    /// Every diagnostic, by level, then by how often its kind really goes
    /// wrong ([`Kind::rank`]: a possible surname before a context-dependent
    /// character), then file and position (a file's problems in the order
    /// an editor meets them).
    pub fn sorted(&self) -> Vec<&Diagnostic> {
        let mut all: Vec<&Diagnostic> = self.diagnostics.iter().collect();
        all.sort_by(|a, b| {
            (a.level, a.kind.rank(), &a.file, a.line, a.column).cmp(&(
                b.level,
                b.kind.rank(),
                &b.file,
                b.line,
                b.column,
            ))
        });
        all
    }

    /// The diagnostics at `level`, sorted.
    pub fn at_level(&self, level: Level) -> Vec<&Diagnostic> {
        self.sorted()
            .into_iter()
            .filter(|d| d.level == level)
            .collect()
    }

    /// The closing line of a failed build: how many errors, and that
    /// nothing was written.
    pub fn summary(&self) -> String {
        let errors = self.count(Level::Error);
        format!(
            "{errors} error{} found; nothing was written",
            plural(errors)
        )
    }
}

impl From<Vec<Diagnostic>> for Report {
    fn from(diagnostics: Vec<Diagnostic>) -> Report {
        Report { diagnostics }
    }
}

impl IntoIterator for Report {
    type Item = Diagnostic;
    type IntoIter = std::vec::IntoIter<Diagnostic>;
    fn into_iter(self) -> Self::IntoIter {
        self.diagnostics.into_iter()
    }
}

impl Extend<Diagnostic> for Report {
    fn extend<I: IntoIterator<Item = Diagnostic>>(&mut self, diagnostics: I) {
        self.diagnostics.extend(diagnostics);
    }
}

/// A failed build shows its errors, sorted, and the summary line.
impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for diagnostic in self.at_level(Level::Error) {
            writeln!(f, "{diagnostic}")?;
        }
        write!(f, "{}", self.summary())
    }
}

impl std::error::Error for Report {}

fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

/// Whether diagnostics on standard error should be coloured: on a terminal,
/// unless `NO_COLOR` is set (<https://no-color.org>).
pub fn colour_stderr() -> bool {
    use std::io::IsTerminal;
    std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
}

/// Renders diagnostics as rustc does: the message, the location, the
/// offending line with a marker under the column, and the help. Files are
/// read from under `root` to show the line; `colour` adds ANSI styles.
pub fn render<'a>(
    diagnostics: impl IntoIterator<Item = &'a Diagnostic>,
    root: &Path,
    colour: bool,
) -> String {
    use annotate_snippets::{AnnotationKind, Level, Origin, Renderer, Snippet};

    let renderer = if colour {
        Renderer::styled()
    } else {
        Renderer::plain()
    };
    let mut files: std::collections::HashMap<&Path, Option<String>> =
        std::collections::HashMap::new();
    let mut out = String::new();
    for d in diagnostics {
        let level = match d.level {
            crate::diagnostic::Level::Error => Level::ERROR,
            crate::diagnostic::Level::Warning => Level::WARNING,
            crate::diagnostic::Level::Review
            | crate::diagnostic::Level::Unpublished
            | crate::diagnostic::Level::Outside => Level::NOTE,
        };
        let path = d.file.display().to_string();
        let text = files
            .entry(&d.file)
            .or_insert_with(|| std::fs::read_to_string(root.join(&d.file)).ok())
            .as_deref();
        let source_line = d.line.and_then(|n| text.and_then(|t| t.lines().nth(n - 1)));
        let group = level.primary_title(d.message.as_str());
        let located = match (d.line, source_line) {
            (Some(number), Some(line)) => {
                // The column counts characters; the marker needs bytes.
                let start = d
                    .column
                    .and_then(|c| line.char_indices().nth(c - 1).map(|(at, _)| at))
                    .unwrap_or(0);
                let end = line[start..]
                    .chars()
                    .next()
                    .map_or(start, |c| start + c.len_utf8());
                let snippet = Snippet::source(line)
                    .line_start(number)
                    .path(path.as_str())
                    .annotation(AnnotationKind::Primary.span(start..end.max(start)));
                group.element(snippet)
            }
            _ => {
                let mut origin = Origin::path(path.as_str());
                if let Some(number) = d.line {
                    origin = origin.line(number);
                }
                group.element(origin)
            }
        };
        let noted = d.notes.iter().fold(located, |group, note| {
            group.element(Level::NOTE.message(note.as_str()))
        });
        let report = match &d.help {
            Some(help) => noted.element(Level::HELP.message(help.as_str())),
            None => noted,
        };
        out.push_str(&renderer.render(&[report]));
        out.push('\n');
    }
    out
}

/// The candidate closest to `wrong`, if one is close enough to be a typo.
pub fn closest<'a>(wrong: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    candidates
        .into_iter()
        .map(|c| (strsim::jaro_winkler(wrong, c), c))
        .filter(|(score, _)| *score > 0.75)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, c)| c)
}

/// A "did you mean" hint, or a list of what is valid when nothing is close.
pub fn suggest(wrong: &str, candidates: &[&str]) -> String {
    match closest(wrong, candidates.iter().copied()) {
        Some(near) => format!("did you mean `{near}`?"),
        None => format!("valid keys are: {}", candidates.join(", ")),
    }
}

/// The 1-based line within `yaml` on which the top-level `key:` is written.
///
/// serde_yaml reports positions for syntax errors only; for a well-formed
/// document whose *values* are wrong, this finds the line to point at.
pub fn line_of_key(yaml: &str, key: &str) -> Option<usize> {
    yaml.lines()
        .position(|line| is_key_line(line, key))
        .map(|i| i + 1)
}

/// The 1-based line, at or after `from_line`, where `key:` is written at any
/// indentation (a key inside a nested mapping).
pub fn line_of_nested_key(yaml: &str, from_line: usize, key: &str) -> Option<usize> {
    yaml.lines()
        .enumerate()
        .skip(from_line.saturating_sub(1))
        .find(|(_, line)| is_key_line(line.trim_start(), key))
        .map(|(i, _)| i + 1)
}

fn is_key_line(line: &str, key: &str) -> bool {
    [key.to_string(), format!("\"{key}\""), format!("'{key}'")]
        .iter()
        .any(|quoted| {
            line.strip_prefix(quoted.as_str())
                .is_some_and(|rest| rest.trim_start().starts_with(':'))
        })
}

/// The 1-based line, at or after `from_line`, where `value` is written.
pub fn line_of_value(yaml: &str, from_line: usize, value: &str) -> Option<usize> {
    yaml.lines()
        .enumerate()
        .skip(from_line.saturating_sub(1))
        .find(|(_, line)| line.contains(value))
        .map(|(i, _)| i + 1)
}

/// The 1-based (line, column) of byte `offset` in `text`, whose first line
/// is line `first_line` of its file; columns count characters.
pub fn position(text: &str, offset: usize, first_line: usize) -> (usize, usize) {
    let before = &text[..offset];
    let line = first_line + before.matches('\n').count();
    let column = before
        .rsplit('\n')
        .next()
        .unwrap_or_default()
        .chars()
        .count()
        + 1;
    (line, column)
}

/// The 1-based column (in characters) where `needle` starts on 1-based
/// line `line` of `text`.
pub fn column_of(text: &str, line: usize, needle: &str) -> Option<usize> {
    let line = text.lines().nth(line.checked_sub(1)?)?;
    line.find(needle).map(|at| line[..at].chars().count() + 1)
}

/// Shows a path relative to `root` when it lies inside it, as an editor
/// working in the site's folder would type it.
pub fn display_path(root: &Path, path: &Path) -> PathBuf {
    path.strip_prefix(root)
        .map(Path::to_path_buf)
        .unwrap_or_else(|_| path.to_path_buf())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_names_file_line_column_and_help() {
        let d = Diagnostic::error(Kind::Content, "content/a.md", "unknown key `topic`")
            .at(Some(3), Some(1))
            .with_help("did you mean `topics`?");
        assert_eq!(
            d.to_string(),
            "error: content/a.md:3:1: unknown key `topic`\n  help: did you mean `topics`?"
        );
    }

    #[test]
    fn suggests_the_nearest_key() {
        assert_eq!(
            suggest("topic", &["title", "topics", "date"]),
            "did you mean `topics`?"
        );
        assert_eq!(
            suggest("zzz", &["title", "date"]),
            "valid keys are: title, date"
        );
    }

    #[test]
    fn finds_key_and_value_lines() {
        let yaml = "title: 標題\ntopics:\n  - ai\n  - nope\n";
        assert_eq!(line_of_key(yaml, "topics"), Some(2));
        assert_eq!(line_of_key(yaml, "date"), None);
        assert_eq!(line_of_nested_key("a:\n  b: 1\n", 1, "b"), Some(2));
        assert_eq!(line_of_value(yaml, 2, "nope"), Some(4));
    }

    #[test]
    fn summary_line_counts_errors() {
        let mut all = Report::default();
        all.push(Diagnostic::error(Kind::Content, "b.md", "y"));
        all.push(Diagnostic::warning(Kind::Site, "a.md", "w"));
        all.push(Diagnostic::error(Kind::Content, "a.md", "x"));
        assert_eq!(
            all.to_string(),
            "error: a.md: x\nerror: b.md: y\n2 errors found; nothing was written",
            "errors only, in file order"
        );
    }
}
