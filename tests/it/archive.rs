//! What a newsroom's deploy pays per story: publishing one article changes
//! a bounded set of output files whatever the archive's size, the pages of
//! closed periods stay byte for byte as they were, a correction changes
//! only the pages that show the article, and `--changes` lists exactly
//! what changed.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use crate::common::*;
use chrono::Datelike;
use jianfan::commands::build::{build, BuildOptions};

/// A site of `count` articles, two a day from 1 January 2025, each in one
/// or two of three topics, the newest last by slug.
fn archive(count: usize) -> tempfile::TempDir {
    let site = fixture("basic");
    let root = site.path();
    std::fs::remove_dir_all(root.join("content")).expect("fixture content");
    std::fs::create_dir_all(root.join("content")).expect("content/");
    let yaml = std::fs::read_to_string(root.join("site.yaml")).expect("site.yaml");
    let yaml = yaml.replacen(
        "topics:\n",
        "topics:\n  technology:\n    name: 科技\n    description: 科技新聞。\n",
        1,
    );
    std::fs::write(root.join("site.yaml"), yaml).expect("site.yaml");
    let topics = [
        "[science]",
        "[economy, technology]",
        "[technology]",
        "[science, economy]",
    ];
    for i in 0..count {
        let day = first_day() + chrono::Days::new((i / 2) as u64);
        write_article(root, &format!("story-{i:03}"), day, topics[i % 4], "報道");
    }
    site
}

fn first_day() -> chrono::NaiveDate {
    chrono::NaiveDate::from_ymd_opt(2025, 1, 1).expect("a date")
}

fn write_article(root: &Path, slug: &str, day: chrono::NaiveDate, topics: &str, title: &str) {
    let text = format!(
        "---\ntitle: {title} {slug}\ndate: {day}\ntopics: {topics}\n---\n\n香港科技園公司今日公佈{slug}的研究成果。\n"
    );
    std::fs::write(root.join(format!("content/{slug}.md")), text).expect("article");
}

/// Builds `root` into its `public/`, listing what changed; returns the
/// list as the build wrote it, by mark (`A`, `M`, `D`).
fn publish(root: &Path) -> BTreeMap<String, BTreeSet<String>> {
    let list = root.join("changes.txt");
    let options = BuildOptions {
        changes: Some(list.clone()),
        ..BuildOptions::new(root, root.join("public"))
    };
    build(&options, &jianfan::convert::default_engine()).expect("builds");
    let mut changes: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for line in std::fs::read_to_string(list).expect("the list").lines() {
        let (mark, file) = line.split_once('\t').expect("mark, tab, path");
        changes
            .entry(mark.to_string())
            .or_default()
            .insert(file.to_string());
    }
    changes
}

/// What differs between two snapshots, by mark, as `--changes` lists it.
fn diff(
    before: &[(String, Vec<u8>)],
    after: &[(String, Vec<u8>)],
) -> BTreeMap<String, BTreeSet<String>> {
    let before: BTreeMap<&String, &Vec<u8>> = before.iter().map(|(f, b)| (f, b)).collect();
    let after: BTreeMap<&String, &Vec<u8>> = after.iter().map(|(f, b)| (f, b)).collect();
    let mut changes: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (file, bytes) in &after {
        let mark = match before.get(file) {
            None => "A",
            Some(old) if old != bytes => "M",
            Some(_) => continue,
        };
        changes
            .entry(mark.into())
            .or_default()
            .insert(file.to_string());
    }
    for file in before.keys().filter(|f| !after.contains_key(*f)) {
        changes
            .entry("D".into())
            .or_default()
            .insert(file.to_string());
    }
    changes
}

/// Every changed file, whatever the mark, but the search index's.
fn pages(changes: &BTreeMap<String, BTreeSet<String>>) -> BTreeSet<String> {
    (changes.values().flatten())
        .filter(|f| !f.starts_with("pagefind/"))
        .cloned()
        .collect()
}

/// Publishes a new article the day after the newest one into an archive
/// of `count`: returns the files it changed outside the search index, and
/// checks the list against the folder and the closed periods against
/// their bytes before.
fn new_story_into(count: usize) -> BTreeSet<String> {
    let site = archive(count);
    let root = site.path();
    let output = root.join("public");
    publish(root);
    let before = snapshot(&output);
    let newest = first_day() + chrono::Days::new(((count - 1) / 2) as u64);
    let today = newest.succ_opt().expect("a day");
    write_article(
        root,
        "today",
        today,
        "[science, economy, technology]",
        "今日",
    );
    let listed = publish(root);
    let after = snapshot(&output);
    assert_eq!(
        listed,
        diff(&before, &after),
        "--changes lists what changed"
    );

    // Every archive page of a day before the newest one, and of a month
    // before today's, is as it was.
    let closed = |file: &str| {
        let numbers: Vec<u32> = file.split('/').filter_map(|p| p.parse().ok()).collect();
        match numbers[..] {
            [y, m, d] => {
                chrono::NaiveDate::from_ymd_opt(y as i32, m, d).is_some_and(|d| d < newest)
            }
            [y, m] => (y as i32, m) < (today.year(), today.month()),
            _ => false,
        }
    };
    let closed_pages: Vec<&(String, Vec<u8>)> =
        before.iter().filter(|(file, _)| closed(file)).collect();
    assert!(
        closed_pages.len() > 4,
        "{} closed pages",
        closed_pages.len()
    );
    for (file, bytes) in closed_pages {
        let now = after.iter().find(|(f, _)| f == file).map(|(_, b)| b);
        assert_eq!(now, Some(bytes), "{file} changed");
    }
    pages(&listed)
}

#[test]
fn a_new_story_changes_a_few_files_whatever_the_archive_size() {
    // The same files at 24 and 96 articles, but for the dates in their names.
    let undated = |files: &BTreeSet<String>| -> BTreeSet<String> {
        let dated = |part: &str| part.bytes().all(|b| b.is_ascii_digit()) || part.contains("-20");
        (files.iter())
            .map(|f| {
                f.split('/')
                    .map(|p| if dated(p) { "#" } else { p })
                    .collect::<Vec<_>>()
                    .join("/")
            })
            .collect()
    };
    let small = new_story_into(24);
    let large = new_story_into(96);
    assert_eq!(undated(&small), undated(&large));
    // Per script: the story, the home page, its day and the day before (a
    // "newer" link), the archive index (a new day), the feed, the news
    // sitemap, the topic list (its counts); per topic of its three, the
    // front page, its month and the feed. Then the sitemap's month and
    // index.
    let per_script = 8 + 3 * 3;
    assert_eq!(small.len(), 2 * per_script + 2, "{small:#?}");
    assert!(small.len() <= 50);
    for prefix in ["zh-hant", "zh-hans"] {
        assert!(small.contains(&format!("{prefix}/articles/today/index.html")));
        assert!(small.contains(&format!("{prefix}/topics/technology/2025/01/index.html")));
    }
}

#[test]
fn a_second_story_of_the_day_and_a_correction_touch_only_their_pages() {
    let site = archive(60);
    let root = site.path();
    let output = root.join("public");
    publish(root);
    let today = first_day() + chrono::Days::new(30);
    write_article(root, "morning", today, "[science]", "早上");
    publish(root);
    // The second story of the same day: no earlier day, no index.
    write_article(root, "evening", today, "[science]", "晚上");
    let second = pages(&publish(root));
    let expected: BTreeSet<String> = ["zh-hant", "zh-hans"]
        .iter()
        .flat_map(|p| {
            [
                "articles/evening/index.html",
                "index.html",
                "2025/01/31/index.html",
                "atom.xml",
                "sitemap-news.xml",
                "topics/index.html",
                "topics/science/index.html",
                "topics/science/2025/01/index.html",
                "topics/science/atom.xml",
            ]
            .map(|f| format!("{p}/{f}"))
        })
        // The index dates the month's part by its newest page: the same day.
        .chain(["sitemap-2025-01.xml".to_string()])
        .collect();
    assert_eq!(second, expected);

    // A correction to an old story (1 January, economy and technology, in
    // no feed): its pages and the pages of its periods; its month's sitemap
    // part for the new `updated` date, and the index that dates the part.
    let old = root.join("content/story-001.md");
    let text = std::fs::read_to_string(&old).expect("story");
    let corrected = text.replace("title: 報道", "title: 更正報道").replace(
        "date: 2025-01-01",
        "date: 2025-01-01\nupdated: 2025-02-01T09:00:00+08:00",
    );
    std::fs::write(&old, corrected).expect("save");
    let before = snapshot(&output);
    let listed = publish(root);
    assert_eq!(listed, diff(&before, &snapshot(&output)));
    let expected: BTreeSet<String> = ["zh-hant", "zh-hans"]
        .iter()
        .flat_map(|p| {
            [
                "articles/story-001/index.html",
                "2025/01/01/index.html",
                "topics/economy/2025/01/index.html",
                "topics/technology/2025/01/index.html",
            ]
            .map(|f| format!("{p}/{f}"))
        })
        .chain(["sitemap.xml".to_string(), "sitemap-2025-01.xml".to_string()])
        .collect();
    assert_eq!(pages(&listed), expected);
}
