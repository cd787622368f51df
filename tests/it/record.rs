//! A publish reads only the article files that changed since the last
//! build into the same output (the rest come from its record), and what it
//! publishes is byte for byte what a clean build of the same files
//! publishes; a link that a change broke is still found.

use std::path::Path;
use std::time::Duration;

use crate::common::*;
use jianfan::commands::build::BuildSummary;

/// The basic fixture (five published articles and a draft) with an
/// article that links to another's page and to that article's day page.
fn site() -> tempfile::TempDir {
    let site = fixture("basic");
    write(
        site.path(),
        "links",
        "2025-03-10",
        "見[第一篇](@/economy-one.md)與[當日](/zh-hant/2025/03/03/)。",
    );
    age();
    site
}

fn write(root: &Path, slug: &str, date: &str, body: &str) {
    let text = format!("---\ntitle: 標題{slug}\ndate: {date}\ntopics: [economy]\n---\n\n{body}\n");
    std::fs::write(root.join(format!("content/{slug}.md")), text).expect("article");
}

/// Waits until every file written so far is older than the record's
/// safety margin for file stamps (two seconds) before the next build, as
/// a newsroom's archive is: a file changed closer to a build than that is
/// read again by the next one.
fn age() {
    std::thread::sleep(Duration::from_millis(2100));
}

fn publish(root: &Path) -> BuildSummary {
    build_site(root, &root.join("public")).expect("builds")
}

/// What a clean build of the same files (no output, no caches) publishes.
fn clean(root: &Path) -> Vec<(String, Vec<u8>)> {
    let copy = tempfile::tempdir().expect("temp dir");
    for part in ["content", "static", "templates"] {
        copy_tree(&root.join(part), &copy.path().join(part));
    }
    std::fs::copy(root.join("site.yaml"), copy.path().join("site.yaml")).expect("site.yaml");
    publish(copy.path());
    snapshot(&copy.path().join("public"))
}

/// The published site is byte for byte what a clean build publishes.
fn assert_same_as_clean(root: &Path) {
    assert_eq!(snapshot(&root.join("public")), clean(root));
}

fn cache(root: &Path, folder: &str) -> Vec<std::path::PathBuf> {
    let dir = root.join(".jianfan-cache").join(folder);
    let mut files: Vec<_> = (std::fs::read_dir(dir).expect("cache folder"))
        .map(|e| e.expect("entry").path())
        .collect();
    files.sort();
    files
}

#[test]
fn unchanged_files_are_not_read_and_the_site_is_as_a_clean_build_makes_it() {
    let site = site();
    let root = site.path();
    // The first build reads all seven files (the draft is read every time:
    // an unpublished article is not recorded).
    assert_eq!(publish(root).read, 7);
    age();

    // A new article: it and the draft are read, the other six are not.
    write(root, "new-story", "2025-03-12", "新的報道。");
    age();
    let summary = publish(root);
    assert_eq!((summary.read, summary.articles), (2, 7));
    assert_same_as_clean(root);

    // An edit that keeps the file's size (one character for another of the
    // same length) is still seen: the file's times changed.
    let file = root.join("content/economy-two.md");
    let text = std::fs::read_to_string(&file).expect("article");
    let edited = text.replacen("經濟", "金融", 1);
    assert_eq!(edited.len(), text.len());
    std::fs::write(&file, &edited).expect("edit");
    age();
    assert_eq!(publish(root).read, 2);
    assert_same_as_clean(root);
    let page = std::fs::read_to_string(root.join("public/zh-hant/articles/economy-two/index.html"))
        .expect("the edited article's page");
    assert!(page.contains("金融"), "the edit is published");

    // Converted texts lost from the cache: the articles are read again,
    // converted again, and published the same.
    for entry in cache(root, "converted").iter().take(3) {
        std::fs::remove_file(entry).expect("remove an entry");
    }
    write(root, "another-story", "2025-03-13", "再一篇。");
    age();
    let summary = publish(root);
    assert!(summary.read >= 2 + 3, "{} files read", summary.read);
    assert_same_as_clean(root);

    // Damaged entries, found only when a page needs their texts (the home
    // page lists every article): the build is made again, converting them.
    for entry in cache(root, "converted").iter().take(3) {
        std::fs::write(entry, b"damaged").expect("damage an entry");
    }
    write(root, "fourth-story", "2025-03-15", "第四篇。");
    age();
    publish(root);
    assert_same_as_clean(root);

    // A damaged record: every file is read, and nothing else changes.
    for record in cache(root, "builds") {
        if record.to_string_lossy().ends_with(".articles.bin") {
            std::fs::write(&record, b"not a record").expect("damage");
        }
    }
    write(root, "third-story", "2025-03-14", "第三篇。");
    assert_eq!(publish(root).read, 11);
    assert_same_as_clean(root);
}

#[test]
fn a_link_broken_by_a_deleted_or_redated_article_is_still_an_error() {
    let site = site();
    let root = site.path();
    publish(root);

    // links.md is unchanged, but the article it links to is gone: its
    // links are checked again, and the build stops with the right place.
    let one = root.join("content/economy-one.md");
    let text = std::fs::read_to_string(&one).expect("article");
    std::fs::remove_file(&one).expect("delete");
    let report = build_site(root, &root.join("public")).expect_err("a broken link");
    let report = format!("{report:#}");
    assert!(report.contains("content/links.md:7:"), "{report}");
    assert!(report.contains("economy-one"), "{report}");

    // Back, then moved to another day: the day page links.md names is gone
    // (no other article is dated 3 March).
    std::fs::write(&one, &text).expect("restore");
    age();
    publish(root);
    std::fs::write(&one, text.replace("2025-03-03", "2025-03-04")).expect("redate");
    age();
    let report = build_site(root, &root.join("public")).expect_err("a broken link");
    let report = format!("{report:#}");
    assert!(report.contains("content/links.md:7:"), "{report}");
    assert!(report.contains("2025/03/03"), "{report}");
}

#[test]
fn a_hand_edited_variant_and_its_article_are_each_read_when_they_change() {
    let site = site();
    let root = site.path();
    let engine = jianfan::convert::default_engine();
    let fork =
        jianfan::commands::fork::fork(root, "economy-one", "zh-hans", &engine).expect("forks");
    let text = std::fs::read_to_string(&fork).expect("the variant");
    std::fs::write(
        &fork,
        text.replace("香港经济正在转型。", "编辑改写的简体版本。"),
    )
    .expect("hand edit");
    age();
    publish(root);
    let simplified = root.join("public/zh-hans/articles/economy-one/index.html");
    let page = || std::fs::read_to_string(&simplified).expect("the variant's page");
    assert!(page().contains("编辑改写的简体版本"), "{}", page());

    // The article changes, its variant does not: the variant is read again
    // to convert the pair, and its page keeps the editor's text.
    let article = root.join("content/economy-one.md");
    let source = std::fs::read_to_string(&article).expect("article");
    std::fs::write(
        &article,
        source.replace("title: 經濟轉型第一篇", "title: 經濟轉型首篇"),
    )
    .expect("edit");
    age();
    let summary = publish(root);
    assert_eq!(summary.read, 3, "the article, its variant and the draft");
    assert!(page().contains("编辑改写的简体版本"), "{}", page());
    assert_same_as_clean(root);

    // The variant changes, its article does not.
    let text = std::fs::read_to_string(&fork).expect("the variant");
    std::fs::write(&fork, text.replace("编辑改写的简体版本", "再次改写的版本")).expect("hand edit");
    age();
    publish(root);
    assert!(page().contains("再次改写的版本"), "{}", page());
    assert_same_as_clean(root);
}

#[test]
fn a_file_written_just_before_a_build_is_read_again_by_the_next() {
    let site = site();
    let root = site.path();
    publish(root);
    // Written moments before the build starts: a file system's clock may
    // not tell this write from one right after the build read the file, so
    // the record does not vouch for it.
    write(root, "breaking", "2025-03-12", "快訊。");
    assert_eq!(publish(root).read, 2, "the new article and the draft");
    age();
    write(root, "follow-up", "2025-03-13", "跟進。");
    age();
    assert_eq!(
        publish(root).read,
        3,
        "the follow-up, the draft, and the breaking story once more"
    );
    age();
    write(root, "third", "2025-03-14", "第三。");
    age();
    assert_eq!(
        publish(root).read,
        2,
        "now the breaking story is vouched for"
    );
    assert_same_as_clean(root);
}
