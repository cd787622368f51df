//! Bold and emphasis by the markdown-cjk-friendly specification: its own
//! test cases (`tests/fixtures/cjk-friendly/`), and the cases of Chinese
//! news text together in one paragraph, rendered and published.

use crate::common::{build_site, repo};
use jianfan::convert::markdown::Document;

fn render(markdown: &str) -> String {
    Document::parse(markdown).to_html(&|text: &str| text.to_string())
}

#[test]
fn the_specifications_test_cases_pass() {
    let dir = repo().join("tests/fixtures/cjk-friendly");
    let cases = std::fs::read_to_string(dir.join("cases.md")).expect("cases");
    let expected = std::fs::read_to_string(dir.join("expected.html")).expect("expected");
    let inputs: Vec<&str> = cases.trim_end().split("\n\n").collect();
    let outputs: Vec<&str> = expected.lines().collect();
    assert_eq!(inputs.len(), outputs.len(), "one expected line per case");
    assert!(inputs.len() > 100, "{} cases", inputs.len());
    let failed: Vec<String> = inputs
        .iter()
        .zip(&outputs)
        .filter_map(|(input, want)| {
            let got = render(input);
            // The reference escapes `"` in text as `&quot;`; pulldown-cmark's
            // writer leaves it, which HTML reads the same.
            let want = want.replace("&quot;", "\"");
            (got.trim_end() != want).then(|| format!("{input}\n  want {want}\n  got  {got}"))
        })
        .collect();
    assert!(
        failed.is_empty(),
        "{} failed:\n{}",
        failed.len(),
        failed.join("\n")
    );
}

#[test]
fn bold_runs_side_by_side_in_one_paragraph_never_nest() {
    assert_eq!(
        render("**重點。**接著說明。文字**「引號」**之後。"),
        "<p><strong>重點。</strong>接著說明。文字<strong>「引號」</strong>之後。</p>\n"
    );
    // Three runs, one beside CommonMark's own bold, one in a link.
    assert_eq!(
        render("**一、**甲**乙**丙[**「丁」**](https://x.org/)。**戊！**己"),
        "<p><strong>一、</strong>甲<strong>乙</strong>丙<a href=\"https://x.org/\"><strong>「丁」</strong></a>。<strong>戊！</strong>己</p>\n"
    );
    // Bold beside italics, and strikethrough, in the same paragraph.
    assert_eq!(
        render("*「註」*說：**「重要」**，~~「舊」~~新。"),
        "<p><em>「註」</em>說：<strong>「重要」</strong>，<del>「舊」</del>新。</p>\n"
    );
}

/// The published page, converted: bold in the right places in both
/// scripts, and `check` warns only of the `**` that stays asterisks.
#[test]
fn a_published_article_has_its_bold_in_both_scripts() {
    let site = tempfile::tempdir().expect("temp dir");
    crate::common::copy_tree(&repo().join("templates"), &site.path().join("templates"));
    std::fs::copy(repo().join("site.yaml"), site.path().join("site.yaml")).expect("site.yaml");
    let content = site.path().join("content");
    std::fs::create_dir_all(&content).expect("content");
    std::fs::write(
        content.join("bold.md"),
        "---\ntitle: 粗體\ndate: 2026-03-09\ntopics: [ai]\n---\n\n\
         **重點。**接著說明。文字**「引號」**之後。\n\n\
         **只開了一半。\n\n一半**也不關。\n",
    )
    .expect("write");
    let output = site.path().join("public");
    build_site(site.path(), &output).expect("builds");
    let hant =
        std::fs::read_to_string(output.join("zh-hant/articles/bold/index.html")).expect("page");
    assert!(
        hant.contains(
            "<p><strong>重點。</strong>接著說明。文字<strong>「引號」</strong>之後。</p>"
        ),
        "{hant}"
    );
    let hans =
        std::fs::read_to_string(output.join("zh-hans/articles/bold/index.html")).expect("page");
    assert!(
        hans.contains("<p><strong>重点。</strong>接着说明。文字<strong>“引号”</strong>之后。</p>"),
        "{hans}"
    );
    let check = std::process::Command::new(env!("CARGO_BIN_EXE_jianfan"))
        .arg("--root")
        .arg(site.path())
        .args(["check", "--format", "json"])
        .output()
        .expect("runs");
    let report: serde_json::Value = serde_json::from_slice(&check.stdout).expect("JSON");
    let places: Vec<String> = report["warnings"]
        .as_array()
        .expect("warnings")
        .iter()
        .filter(|d| d["kind"] == "markdown")
        .map(|d| format!("{}:{}", d["line"], d["column"]))
        .collect();
    assert_eq!(places, ["9:1", "11:3"], "{report:#}");
}
