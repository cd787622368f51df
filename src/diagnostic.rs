//! Problems found in a site's input, with where they are and what to do.
//!
//! Loading never stops at the first bad file: every stage collects
//! [`Diagnostic`]s, and the build fails once, at the end of loading, with all
//! of them in a [`Diagnostics`] error. Each names the file, the line (and the
//! column where one is known), what is wrong and how to fix it.

use std::fmt;
use std::path::{Path, PathBuf};

/// How serious a diagnostic is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    /// The site is built anyway; the editor should look.
    Warning,
    /// The site cannot be built until this is fixed.
    Error,
}

/// One problem in one place.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// Error or warning.
    pub severity: Severity,
    /// The file the problem is in, as the user would type it.
    pub file: PathBuf,
    /// 1-based line, where known.
    pub line: Option<usize>,
    /// 1-based column (in characters), where known.
    pub column: Option<usize>,
    /// What is wrong.
    pub message: String,
    /// What to do about it.
    pub help: Option<String>,
}

impl Diagnostic {
    /// An error in `file`.
    pub fn error(file: impl Into<PathBuf>, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            file: file.into(),
            line: None,
            column: None,
            message: message.into(),
            help: None,
        }
    }

    /// A warning in `file`.
    pub fn warning(file: impl Into<PathBuf>, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(file, message)
        }
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
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let label = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        write!(f, "{label}: {}", self.file.display())?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
            if let Some(column) = self.column {
                write!(f, ":{column}")?;
            }
        }
        write!(f, ": {}", self.message)?;
        if let Some(help) = &self.help {
            write!(f, "\n  help: {help}")?;
        }
        Ok(())
    }
}

/// Every error found in one run, reported together.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostics(pub Vec<Diagnostic>);

impl Diagnostics {
    /// The closing line: how many errors, and that nothing was written.
    pub fn summary(&self) -> String {
        let errors = self
            .0
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .count();
        format!(
            "{errors} error{} found; nothing was written",
            plural(errors)
        )
    }
}

impl fmt::Display for Diagnostics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for diagnostic in &self.0 {
            writeln!(f, "{diagnostic}")?;
        }
        write!(f, "{}", self.summary())
    }
}

impl std::error::Error for Diagnostics {}

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
pub fn render(diagnostics: &[Diagnostic], root: &Path, colour: bool) -> String {
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
        let level = match d.severity {
            Severity::Error => Level::ERROR,
            Severity::Warning => Level::WARNING,
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
        let report = match &d.help {
            Some(help) => located.element(Level::HELP.message(help.as_str())),
            None => located,
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
        let d = Diagnostic::error("content/a.md", "unknown key `topic`")
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
        let all = Diagnostics(vec![
            Diagnostic::error("a.md", "x"),
            Diagnostic::error("b.md", "y"),
        ]);
        assert!(all
            .to_string()
            .ends_with("2 errors found; nothing was written"));
    }
}
