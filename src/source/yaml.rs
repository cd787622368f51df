//! YAML syntax errors, pointed at the construct that is broken.
//!
//! libyaml reports where it *noticed* a problem, which is often a line
//! after the mistake: an unclosed `[` on line 4 is noticed at the next
//! key, on line 5. Its message also names the construct it was parsing
//! and where that started ("…, while parsing a flow sequence at line 4
//! column 9"); [`syntax_error`] points there, says what to do, and keeps
//! where the parser noticed as a note.

use crate::diagnostic::{Diagnostic, Kind};

/// A position libyaml reports: 1-based line and column (in characters).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Mark {
    line: usize,
    column: usize,
}

/// The diagnostic for a YAML syntax error in `yaml`, whose first line is
/// line `first_line` of its file; its file is the caller's to set.
/// `None` when the error is not a syntax error with a position (a value of
/// the wrong type, say), which the caller words itself.
pub fn syntax_error(
    error: &serde_yaml::Error,
    yaml: &str,
    first_line: usize,
    kind: Kind,
) -> Option<Diagnostic> {
    let text = error.to_string();
    let (problem, context) = match text.split_once(", while ") {
        Some((problem, context)) => (problem, Some(context)),
        None => (text.as_str(), None),
    };
    let (problem, noticed) = split_mark(problem)?;
    let context = context.and_then(split_mark);
    // A value of the wrong type has a position too, but is no syntax error.
    const SYNTAX: [&str; 6] = [
        "tab character",
        "cannot start any token",
        "mapping values are not allowed",
        "did not find expected",
        "could not find expected",
        "found unexpected",
    ];
    if context.is_none() && !SYNTAX.iter().any(|s| problem.contains(s)) {
        return None;
    }
    let file = |mark: Mark| Mark {
        line: mark.line + first_line - 1,
        column: mark.column,
    };
    let noticed = file(noticed);
    let line_text = yaml
        .lines()
        .nth(noticed.line - first_line)
        .unwrap_or_default();
    let at = |mark: Mark, message: &str, help: &str| {
        Diagnostic::error(kind, "", message)
            .at(Some(mark.line), Some(mark.column))
            .with_help(help)
    };
    let noticed_note = format!(
        "the YAML parser noticed it at line {}, column {}: {problem}",
        noticed.line, noticed.column
    );
    let diagnostic = match context.map(|(what, mark)| (what, file(mark))) {
        Some(("parsing a flow sequence", start)) => at(
            start,
            "this `[` is not closed",
            "end the list with `]` on the same line, e.g. `topics: [ai, green-tech]`",
        )
        .with_note(noticed_note),
        Some(("parsing a flow mapping", start)) => at(
            start,
            "this `{` is not closed",
            "end it with `}` on the same line, e.g. `{zh-hans: 出租车}`",
        )
        .with_note(noticed_note),
        Some(("scanning a quoted scalar", start)) => at(
            start,
            "this quotation mark is not closed",
            "end the text with the same quotation mark it starts with",
        )
        .with_note(noticed_note),
        _ if problem.contains("tab character") || problem.contains("cannot start any token") => at(
            Mark {
                line: noticed.line,
                column: 1,
            },
            "a tab where YAML needs spaces",
            "indent with spaces: YAML does not allow tabs in indentation",
        ),
        _ if problem == "mapping values are not allowed in this context"
            && line_text.starts_with(' ') =>
        {
            let key = line_text.trim_start().split(':').next().unwrap_or_default();
            at(
                Mark {
                    line: noticed.line,
                    column: 1,
                },
                "this line is indented, but the line before it opens no block",
                &format!("start `{key}:` at the first column, as the other keys are"),
            )
        }
        Some((what, start)) => at(
            noticed,
            problem,
            "fix the YAML syntax; quote text that starts with a special character",
        )
        .with_note(format!(
            "while {what} that starts at line {}, column {}",
            start.line, start.column
        )),
        None => at(
            noticed,
            problem,
            "fix the YAML syntax; quote text that starts with a special character",
        ),
    };
    Some(diagnostic)
}

/// `"what at line L column C"` → (`what`, the mark).
fn split_mark(text: &str) -> Option<(&str, Mark)> {
    let (what, place) = text.rsplit_once(" at line ")?;
    let (line, column) = place.split_once(" column ")?;
    let mark = Mark {
        line: line.trim().parse().ok()?,
        column: column.trim().parse().ok()?,
    };
    Some((what, mark))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// (message, line, column, notes) of the syntax error in `yaml`, which
    /// starts on file line 2 (after a front matter's `---`).
    fn located(yaml: &str) -> (String, usize, usize, Vec<String>) {
        let error = serde_yaml::from_str::<serde_yaml::Value>(yaml).expect_err("bad YAML");
        let d = syntax_error(&error, yaml, 2, Kind::Content).expect("a syntax error");
        (
            d.message,
            d.line.expect("line"),
            d.column.expect("column"),
            d.notes,
        )
    }

    #[test]
    fn an_unclosed_bracket_is_pointed_at_not_the_next_key() {
        let (message, line, column, notes) =
            located("title: 標題\ndate: 2025-03-01\ntopics: [ai, green\nsummary: 摘要\n");
        assert_eq!(
            (message.as_str(), line, column),
            ("this `[` is not closed", 4, 9)
        );
        assert_eq!(
            notes,
            ["the YAML parser noticed it at line 5, column 8: did not find expected ',' or ']'"]
        );
    }

    #[test]
    fn an_unclosed_brace_and_quote_are_pointed_at() {
        let (message, line, column, _) = located("title: {a: b\ndate: x\n");
        assert_eq!(
            (message.as_str(), line, column),
            ("this `{` is not closed", 2, 8)
        );
        let (message, line, column, _) = located("title: \"abc\ndate: x\n");
        assert_eq!(
            (message.as_str(), line, column),
            ("this quotation mark is not closed", 2, 8)
        );
    }

    #[test]
    fn a_tab_and_a_stray_indent_are_pointed_at_their_line() {
        let (message, line, column, _) = located("title: 標題\ndate: 2025-03-01\n\tsummary: tab\n");
        assert_eq!(
            (message.as_str(), line, column),
            ("a tab where YAML needs spaces", 4, 1)
        );
        let (message, line, column, _) = located("title: 標題\n date: 2025-03-01\nsummary: x\n");
        assert_eq!(
            (message.as_str(), line, column),
            (
                "this line is indented, but the line before it opens no block",
                3,
                1
            )
        );
    }
}
