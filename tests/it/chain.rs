//! `check`, `build` and `serve` run one chain of stages: what `build`
//! refuses, `check` reports, and the facts every stage shares (the files a
//! build writes, the keys site.yaml accepts) are defined once. Each test
//! here is a defect the two copies of the chain used to disagree on.

use std::collections::BTreeSet;
use std::path::Path;

use crate::common::*;
use jianfan::diagnostic::{Level, Report};

/// `check`'s errors, as `file:line:column: message`.
fn check_errors(root: &Path) -> BTreeSet<String> {
    let report = jianfan::commands::check::check(root, &jianfan::convert::default_engine());
    report
        .0
        .at_level(Level::Error)
        .into_iter()
        .map(|d| format!("{}: {}", d.location(), d.message))
        .collect()
}

/// `build`'s errors, in the same form; the build must fail.
fn build_errors(root: &Path) -> BTreeSet<String> {
    let output = root.join("public");
    let error = build_site(root, &output).expect_err("the build refuses the site");
    assert!(!output.exists(), "a refused build writes nothing");
    let report = error
        .downcast_ref::<Report>()
        .unwrap_or_else(|| panic!("content errors come back as a report: {error:#}"));
    report
        .at_level(Level::Error)
        .into_iter()
        .map(|d| format!("{}: {}", d.location(), d.message))
        .collect()
}

#[test]
fn check_reports_what_build_refuses_and_the_same_way() {
    let site = fixture("basic");
    let content = site.path().join("content");
    // A link to a draft: the draft is not published, so the link leads
    // nowhere in the built site (check used to load drafts as published).
    std::fs::write(
        content.join("to-draft.md"),
        "---\ntitle: 連到草稿\ndate: 2025-03-02\ntopics: [science]\n---\n\n看[草稿](@/draft-article.md)。\n",
    )
    .expect("write");
    // A file in static/ where a generated page goes (check used to skip
    // the collision check).
    let clash = site.path().join("static/zh-hant/topics");
    std::fs::create_dir_all(&clash).expect("mkdir");
    std::fs::write(clash.join("index.html"), "<p>old</p>").expect("write");
    // A bad front matter in one file does not hide the other files'
    // problems, and a link to that file is not reported as broken.
    std::fs::write(
        content.join("bad-date.md"),
        "---\ntitle: 壞日期\ndate: 2025-13-01\n---\n\n正文。\n",
    )
    .expect("write");
    std::fs::write(
        content.join("to-bad.md"),
        "---\ntitle: 連到壞檔\ndate: 2025-03-02\ntopics: [science]\n---\n\n看[壞](@/bad-date.md)。\n",
    )
    .expect("write");

    let expected: BTreeSet<String> = [
        "content/bad-date.md:3:7: `2025-13-01` is not a real date",
        "content/to-draft.md:7:2: the link `@/draft-article.md` leads to no article: there is no `draft-article.md`",
        "static/zh-hant/topics/index.html: would overwrite the generated page zh-hant/topics/index.html",
    ]
    .into_iter()
    .map(String::from)
    .collect();
    assert_eq!(check_errors(site.path()), expected);
    assert_eq!(build_errors(site.path()), expected);
}

#[test]
fn links_to_the_files_at_the_root_are_not_broken() {
    let site = fixture("basic");
    std::fs::write(
        site.path().join("content/root-files.md"),
        "---\ntitle: 根目錄\ndate: 2025-03-02\ntopics: [science]\n---\n\n\
         [地圖](/sitemap.xml)、[機械人](/robots.txt)、[首頁](/)與[找不到](/404.html)。\n",
    )
    .expect("write");
    assert_eq!(check_errors(site.path()), BTreeSet::new());
    let output = site.path().join("public");
    build_site(site.path(), &output).expect("builds");
    for file in ["sitemap.xml", "robots.txt", "index.html", "404.html"] {
        assert!(output.join(file).is_file(), "{file} is written");
    }
}

#[test]
fn a_variant_s_og_locale_is_accepted_as_documented() {
    let site = fixture("basic");
    let yaml = std::fs::read_to_string(site.path().join("site.yaml")).expect("site.yaml");
    let yaml = yaml.replace(
        "    prefix: zh-hant\n",
        "    prefix: zh-hant\n    og_locale: zh_HK\n",
    );
    std::fs::write(site.path().join("site.yaml"), yaml).expect("write");
    assert_eq!(check_errors(site.path()), BTreeSet::new());
    let output = site.path().join("public");
    build_site(site.path(), &output).expect("builds");
    let page = std::fs::read_to_string(output.join("zh-hant/articles/economy-one/index.html"))
        .expect("page");
    assert!(
        page.contains("<meta property=\"og:locale\" content=\"zh_HK\">"),
        "the page carries the locale site.yaml gives"
    );
}

#[test]
fn an_unknown_key_lists_every_key_the_struct_accepts() {
    let site = fixture("basic");
    let yaml = std::fs::read_to_string(site.path().join("site.yaml")).expect("site.yaml");
    let yaml = yaml.replace(
        "    prefix: zh-hant\n",
        "    prefix: zh-hant\n    xyzzy: 1\n",
    );
    std::fs::write(site.path().join("site.yaml"), yaml).expect("write");
    let report = jianfan::commands::check::check(site.path(), &jianfan::convert::default_engine());
    let errors = report.0.at_level(Level::Error);
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert_eq!(
        errors[0].help.as_deref(),
        Some(
            "valid keys are: lang, name, prefix, opencc, accept_languages, punctuation, og_locale"
        )
    );
}
