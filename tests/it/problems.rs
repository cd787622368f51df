//! Every problem in one run: a site with eighteen errors of fourteen kinds,
//! three warnings, a review and a draft (`tests/fixtures/many-problems`),
//! checked once and built once. Each problem must be listed, in file
//! order, at the line and column of the construct that is wrong, in the
//! same way by `check` (text, JSON, GitHub annotations) and by `build`.

use std::path::Path;
use std::process::Command;

use crate::common::*;

/// One problem: (level, kind, file, line, column).
type Expected = (
    &'static str,
    &'static str,
    &'static str,
    Option<u64>,
    Option<u64>,
);

/// Every problem of the fixture, as (level, kind, file, line, column), in
/// the order `check` lists them.
const EXPECTED: &[Expected] = &[
    // A file name that cannot be a URL: the file itself is the construct.
    ("error", "content", "content/Bad_Name.md", None, None),
    ("error", "content", "content/bad-date.md", Some(3), Some(7)),
    // The front-matter image, then a relative link and an image in the body.
    ("error", "link", "content/broken-links.md", Some(5), Some(8)),
    ("error", "link", "content/broken-links.md", Some(8), Some(2)),
    (
        "error",
        "link",
        "content/broken-links.md",
        Some(10),
        Some(1),
    ),
    // An unknown variant in -{…}-, then an unclosed -{.
    ("error", "content", "content/markup.md", Some(7), Some(4)),
    ("error", "content", "content/markup.md", Some(9), Some(3)),
    (
        "error",
        "content",
        "content/misspelt-key.md",
        Some(4),
        Some(1),
    ),
    ("error", "content", "content/no-title.md", Some(1), Some(1)),
    ("error", "content", "content/not-utf8.md", Some(2), None),
    (
        "error",
        "content",
        "content/orphan.zh-hans.md",
        Some(1),
        None,
    ),
    ("error", "content", "content/sub/twin.md", Some(1), None),
    ("error", "content", "content/tab.md", Some(4), Some(1)),
    ("error", "content", "content/twin.md", Some(1), None),
    (
        "error",
        "content",
        "content/unknown-topic.md",
        Some(4),
        Some(10),
    ),
    // The unclosed `[` itself, not the closing `---` where YAML noticed;
    // and the body of that same file is still checked.
    (
        "error",
        "content",
        "content/yaml-bracket.md",
        Some(4),
        Some(9),
    ),
    ("error", "link", "content/yaml-bracket.md", Some(7), Some(4)),
    (
        "error",
        "output",
        "static/zh-hant/topics/index.html",
        None,
        None,
    ),
    (
        "warning",
        "wrong-script",
        "content/text-lints.md",
        Some(7),
        Some(4),
    ),
    (
        "warning",
        "markdown",
        "content/text-lints.md",
        Some(7),
        Some(8),
    ),
    ("warning", "site", "content/untagged.md", Some(2), None),
    (
        "review",
        "surname",
        "content/text-lints.md",
        Some(7),
        Some(17),
    ),
    ("unpublished", "draft", "content/draft.md", None, None),
];

fn run(root: &Path, args: &[&str]) -> (Option<i32>, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_jianfan"))
        .arg("--root")
        .arg(root)
        .args(args)
        .output()
        .expect("jianfan runs");
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// The start of a text output's `-->` line for a problem: `file:line:column`
/// and the line's end where the column is known; where it is not, the
/// snippet marks column 1 when it can show the line, so only
/// `file:line` is certain.
fn location(file: &str, line: Option<u64>, column: Option<u64>) -> String {
    match (line, column) {
        (Some(l), Some(c)) => format!("{file}:{l}:{c}\n"),
        (Some(l), None) => format!("{file}:{l}"),
        _ => format!("{file}\n"),
    }
}

#[test]
fn check_json_lists_every_problem_with_its_place() {
    let site = fixture("many-problems");
    let (status, out, _) = run(site.path(), &["check", "--format", "json"]);
    assert_eq!(status, Some(1), "{out}");
    let json: serde_json::Value = serde_json::from_str(&out).expect("JSON");
    let mut found = Vec::new();
    for group in ["errors", "warnings", "review", "unpublished"] {
        for d in json[group].as_array().expect("a list") {
            found.push((
                d["level"].as_str().expect("level").to_string(),
                d["kind"].as_str().expect("kind").to_string(),
                d["file"].as_str().expect("file").to_string(),
                d["line"].as_u64(),
                d["column"].as_u64(),
            ));
        }
    }
    let expected: Vec<_> = EXPECTED
        .iter()
        .map(|(l, k, f, line, col)| (l.to_string(), k.to_string(), f.to_string(), *line, *col))
        .collect();
    assert_eq!(found, expected);
    let kinds: std::collections::BTreeSet<&str> = EXPECTED.iter().map(|e| e.1).collect();
    assert!(kinds.len() >= 8, "{kinds:?}");
    let yaml = &json["errors"][15];
    assert_eq!(yaml["message"], "this `[` is not closed");
    assert_eq!(
        yaml["notes"][0],
        "the YAML parser noticed it at line 5, column 1: did not find expected ',' or ']'"
    );
}

#[test]
fn check_text_lists_every_problem_grouped_and_in_file_order() {
    let site = fixture("many-problems");
    let (status, out, _) = run(site.path(), &["check"]);
    assert_eq!(status, Some(1), "{out}");
    assert!(
        out.starts_with("Errors: the site cannot be built (18)\n"),
        "{out}"
    );
    assert!(out.contains("\nWarnings (3)\n"), "{out}");
    assert!(
        out.ends_with("check: 18 errors, 3 warnings, 1 conversions to review\n"),
        "{out}"
    );
    // Errors and warnings point at their place; the later groups list theirs.
    let mut at = 0;
    for (level, _, file, line, column) in EXPECTED {
        let place = location(file, *line, *column);
        let shown = match *level {
            "error" | "warning" => format!("--> {place}"),
            _ => format!("  {}: ", place.trim_end()),
        };
        let Some(found) = out[at..].find(&shown) else {
            panic!("{shown:?} missing, or out of order, after byte {at}:\n{out}");
        };
        at += found + shown.len();
    }
    assert!(
        out.contains("= note: the YAML parser noticed it at line 5, column 1"),
        "{out}"
    );
}

#[test]
fn check_for_github_annotates_every_problem_on_its_line() {
    let site = fixture("many-problems");
    let (status, out, _) = run(site.path(), &["check", "--format", "github"]);
    assert_eq!(status, Some(1), "{out}");
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), EXPECTED.len(), "{out}");
    for ((level, kind, file, line, column), annotation) in EXPECTED.iter().zip(&lines) {
        let command = match *level {
            "error" => "error",
            "warning" => "warning",
            _ => "notice",
        };
        let mut start = format!("::{command} file={file}");
        if let Some(line) = line {
            start.push_str(&format!(",line={line}"));
            if let Some(column) = column {
                start.push_str(&format!(",col={column}"));
            }
        }
        start.push_str(&format!(",title=jianfan {kind}::"));
        assert!(
            annotation.starts_with(&start),
            "{annotation}\nwanted {start}"
        );
        assert!(!annotation[start.len()..].contains('\n'));
    }
    assert!(lines[15].contains("this `[` is not closed%0Anote: the YAML parser noticed"));
}

#[test]
fn build_reports_the_same_errors_and_writes_nothing() {
    let site = fixture("many-problems");
    let output = site.path().join("public");
    let (status, _, err) = run(site.path(), &["build", "--output", "public"]);
    assert_eq!(status, Some(1), "{err}");
    assert!(!output.exists(), "nothing is written");
    assert!(
        err.ends_with("18 errors found; nothing was written\n"),
        "{err}"
    );
    // The text lints' warnings too, for the articles this build converted.
    for warning in [
        "--> content/text-lints.md:7:4",
        "--> content/text-lints.md:7:8",
    ] {
        assert!(err.contains(warning), "{warning} in:\n{err}");
    }
    assert!(
        !err.contains("more than one Simplified form"),
        "reviews are check's"
    );
    let mut at = 0;
    for (_, _, file, line, column) in EXPECTED.iter().filter(|e| e.0 == "error") {
        let shown = format!("--> {}", location(file, *line, *column));
        let Some(found) = err[at..].find(&shown) else {
            panic!("{shown:?} missing, or out of order, after byte {at}:\n{err}");
        };
        at += found + shown.len();
    }
}

#[test]
fn a_failed_build_leaves_the_previous_site_as_it_was() {
    let site = fixture("basic");
    let output = site.path().join("public");
    build_site(site.path(), &output).expect("builds");
    let before = std::fs::read(output.join("zh-hant/index.html")).expect("page");
    copy_tree(
        &repo().join("tests/fixtures/many-problems/content"),
        &site.path().join("content"),
    );
    let (status, _, err) = run(site.path(), &["build", "--output", "public"]);
    assert_eq!(status, Some(1), "{err}");
    assert!(err.contains("errors found; nothing was written"), "{err}");
    assert_eq!(
        std::fs::read(output.join("zh-hant/index.html")).expect("kept"),
        before
    );
}
