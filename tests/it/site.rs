//! Whole sites built into temporary folders, checked for what a reader
//! notices: both scripts, counterpart links, topics and pagination, every
//! visible string converted, code and URLs untouched.

use std::collections::BTreeSet;

use crate::common::*;
use jianfan::convert::{default_engine, Converter};

fn hk2s() -> Converter {
    Converter::new(default_engine().as_ref(), &["hk2s".to_string()]).expect("hk2s")
}

/// Characters in `text` that only Traditional text uses, as the OpenCC
/// dictionaries say: Traditional forms left on a Simplified page.
fn traditional_left(text: &str) -> BTreeSet<char> {
    text.chars()
        .filter(|&c| jianfan::convert::script::is_traditional_only(c))
        .collect()
}

#[test]
fn shipped_site_builds_both_scripts_without_warnings() {
    let output = tempfile::tempdir().expect("temp dir");
    let summary = build_site(&repo(), &output.path().join("public")).expect("shipped site builds");
    assert!(
        summary.warnings.is_empty(),
        "warnings: {:?}",
        summary.warnings
    );
    assert_eq!(summary.articles, 5);
    assert_eq!(summary.variants, 2);
    let public = output.path().join("public");
    for slug in SHIPPED_SLUGS {
        let hant = page(&public, &format!("zh-hant/articles/{slug}/index.html"));
        let hans = page(&public, &format!("zh-hans/articles/{slug}/index.html"));
        let (title_hant, title_hans) = (texts(&hant, "h1"), texts(&hans, "h1"));
        assert_eq!(title_hant.len(), 1, "one h1 on {slug}");
        // hk2s, then the variant's punctuation (「」 → “”).
        let expected = hk2s()
            .convert(&title_hant[0])
            .replace('「', "“")
            .replace('」', "”");
        assert_eq!(title_hans[0], expected);
        assert_ne!(title_hant, title_hans, "{slug} differs between scripts");
    }
    let cyberport = page(
        &public,
        "zh-hans/articles/cyberport-ai-ecosystem/index.html",
    );
    assert_eq!(
        texts(&cyberport, "h1"),
        ["打造AI技术生态圈 数码港“招兵买马”"]
    );
    assert_eq!(
        texts(&cyberport, ".article-body h2").len(),
        3,
        "three sub-headings"
    );
    assert_eq!(
        texts(&cyberport, ".byline"),
        ["香港文汇报记者 莫楠、黄子龙"]
    );
    let polyu = page(&public, "zh-hant/articles/polyu-deepseek-forum/index.html");
    assert!(texts(&polyu, "figure figcaption")[0].starts_with("香港理工大學高等研究院昨日舉辦首場"));
}

#[test]
fn simplified_pages_show_no_traditional_text() {
    let output = tempfile::tempdir().expect("temp dir");
    build_site(&repo(), output.path()).expect("shipped site builds");
    let pages: Vec<String> = html_files(output.path())
        .into_iter()
        .filter(|f| f.starts_with("zh-hans/"))
        .collect();
    // Home, topic list, search, 404, 5 articles, the day and the archive
    // index, and per topic (7) its front page, month and archive index.
    assert_eq!(pages.len(), 32, "{pages:?}");
    for file in pages {
        let html = page(output.path(), &file);
        let text = reader_text(&html);
        let left = traditional_left(&text);
        assert!(
            left.is_empty(),
            "{file} still shows Traditional characters {left:?}"
        );
        let simplified = text
            .chars()
            .filter(|&c| jianfan::convert::script::is_simplified_only(c))
            .count();
        assert!(simplified > 5, "{file} is really Simplified");
    }
    // The check itself can fail: the Traditional pages are full of such characters.
    let source = reader_text(&page(output.path(), "zh-hant/index.html"));
    assert!(traditional_left(&source).len() > 20);
}

#[test]
fn every_page_links_to_its_counterpart_in_the_other_script() {
    let (_site, output) = built("basic");
    for file in html_files(&output) {
        if file == "index.html" || file == "404.html" {
            continue;
        }
        let (prefix, rest) = file.split_once('/').expect("under a variant");
        let html = page(&output, &file);
        let lang = html
            .root_element()
            .attr("lang")
            .expect("html lang")
            .to_string();
        assert_eq!(
            lang,
            if prefix == "zh-hant" {
                "zh-Hant-HK"
            } else {
                "zh-Hans"
            },
            "{file}"
        );

        let hreflang = attrs(&html, "link[rel=alternate][hreflang]", "hreflang");
        assert_eq!(hreflang, ["zh-Hant-HK", "zh-Hans", "x-default"], "{file}");
        for url in attrs(&html, "link[rel=alternate][hreflang]", "href") {
            let target = url.strip_prefix("https://example.org/").expect("absolute");
            let target = resolve("", target, "/");
            assert!(
                output.join(&target).is_file(),
                "{file}: hreflang {url} is missing"
            );
            assert!(
                target.ends_with(rest),
                "{file}: hreflang {url} is another page"
            );
        }
        let canonical = attrs(&html, "link[rel=canonical]", "href");
        let expected_canonical = format!(
            "https://example.org/{}",
            file.trim_end_matches("index.html")
        );
        assert_eq!(canonical, [expected_canonical], "{file}");

        let switch = attrs(&html, "nav.switcher a", "href");
        assert_eq!(switch.len(), 1, "{file}: one link to the other script");
        let target = resolve(&file, &switch[0], "/");
        let other = if prefix == "zh-hant" {
            "zh-hans"
        } else {
            "zh-hant"
        };
        assert_eq!(
            target,
            format!("{other}/{rest}"),
            "{file}: switcher leads elsewhere"
        );
        let labels = attrs(&html, "nav.switcher a", "lang");
        assert_eq!(
            labels.len(),
            1,
            "{file}: the switcher label carries its own lang"
        );

        // Every internal link on the page leads to a page that exists.
        for href in attrs(&html, "a[href]", "href") {
            if href.starts_with("http") || href.starts_with('#') {
                continue;
            }
            let target = resolve(&file, &href, "/");
            assert!(
                output.join(&target).is_file(),
                "{file}: link {href} → {target} is missing"
            );
        }
    }
}

#[test]
fn front_pages_lead_into_the_archive_by_period() {
    let (_site, output) = built("basic");
    // A topic's front page: its two newest (front_page: 2), then the month
    // that holds the next older one, and the topic's archive index.
    let front_file = "zh-hant/topics/science/index.html";
    let front = page(&output, front_file);
    assert_eq!(texts(&front, "h1"), ["科學發現"]);
    assert_eq!(
        texts(&front, ".card-title"),
        ["數碼港發展人工智能", "程式碼與網址"]
    );
    let more = attrs(&front, "a[data-more]", "href");
    let month_file = "zh-hant/topics/science/2025/03/index.html";
    assert_eq!(resolve(front_file, &more[0], "/"), month_file);
    assert_eq!(texts(&front, "a[data-more]"), ["較早的報道（2025年3月）"]);
    // The month's page: all of the topic's articles of March, newest first,
    // titled by the period, with no other month to lead to.
    let month = page(&output, month_file);
    assert_eq!(texts(&month, "h1"), ["科學發現 · 2025年3月"]);
    assert_eq!(
        texts(&month, "title"),
        ["科學發現 · 2025年3月 | 測試新聞網"]
    );
    assert_eq!(
        texts(&month, ".card-title"),
        [
            "數碼港發展人工智能",
            "程式碼與網址",
            "經濟轉型第二篇",
            "乾隆年間的 科學發現"
        ]
    );
    assert!(attrs(&month, "a[rel=prev], a[rel=next]", "href").is_empty());
    let nav: Vec<String> = attrs(&month, ".archive-nav a", "href")
        .iter()
        .map(|href| resolve(month_file, href, "/"))
        .collect();
    assert_eq!(
        nav,
        [front_file, "zh-hant/topics/science/archive/index.html"]
    );
    // The draft (2025-03-06, science) is left out everywhere.
    assert!(!output.join("zh-hant/articles/draft-article").exists());
    assert!(!output.join("zh-hant/2025/03/06").exists());

    // The home page leads to the day of its third newest article; a day's
    // page to the nearest days that have articles (03-04 and 03-02).
    let home_file = "zh-hans/index.html";
    let home = page(&output, home_file);
    assert_eq!(
        texts(&home, ".card-title"),
        ["数码港发展人工智能", "程式码与网址"]
    );
    let day_file = "zh-hans/2025/03/03/index.html";
    let more = attrs(&home, "a[data-more]", "href");
    assert_eq!(resolve(home_file, &more[0], "/"), day_file);
    let day = page(&output, day_file);
    assert_eq!(texts(&day, "h1"), ["2025年3月3日"]);
    assert_eq!(texts(&day, ".card-title"), ["经济转型第一篇"]);
    let near = |rel: &str| {
        let href = attrs(&day, &format!("a[rel={rel}]"), "href");
        resolve(day_file, &href[0], "/")
    };
    assert_eq!(near("prev"), "zh-hans/2025/03/04/index.html");
    assert_eq!(near("next"), "zh-hans/2025/03/02/index.html");
    assert_eq!(texts(&day, "a[rel=next]"), ["较旧：2025年3月2日"]);
    // Nothing on a period's page counts the archive.
    assert!(
        !reader_text(&day).contains("篇报道"),
        "{}",
        reader_text(&day)
    );
    // The archive index: every day, newest first, under its month.
    let index_file = "zh-hans/archive/index.html";
    let index = page(&output, index_file);
    assert_eq!(texts(&index, "h1"), ["报道存档"]);
    assert_eq!(texts(&index, ".archive-month"), ["2025年3月"]);
    let days: Vec<String> = attrs(&index, ".archive-days a", "href")
        .iter()
        .map(|href| resolve(index_file, href, "/"))
        .collect();
    assert_eq!(
        days,
        ["05", "04", "03", "02", "01"].map(|d| format!("zh-hans/2025/03/{d}/index.html"))
    );
    // Counts stay on the topic list, and numbered pages are gone.
    let overview = page(&output, "zh-hans/topics/index.html");
    assert_eq!(texts(&overview, ".topic-list h2"), ["科学发现", "经济发展"]);
    assert_eq!(
        texts(&overview, ".topic-list .count"),
        ["4 篇报道", "3 篇报道"]
    );
    assert!(!output.join("zh-hans/page").exists());
}

#[test]
fn every_visible_field_is_converted() {
    let (_site, output) = built("basic");
    let html = page(&output, "zh-hans/articles/visible-fields/index.html");
    assert_eq!(texts(&html, "title"), ["数码港发展人工智能 | 测试新闻网"]);
    assert_eq!(texts(&html, "h1"), ["数码港发展人工智能"]);
    assert_eq!(texts(&html, ".subtitle"), ["绿色科技枢纽开幕"]);
    assert_eq!(texts(&html, ".byline"), ["记者 陈大文"]);
    assert_eq!(texts(&html, "figcaption"), ["图为数码港大楼"]);
    assert_eq!(attrs(&html, ".lead-figure img", "alt"), ["图为数码港大楼"]);
    assert_eq!(
        attrs(&html, "meta[name=description]", "content"),
        ["数码港昨日公布发展计划，吸引多间企业进驻。"],
        "summary: first paragraph, cut at a sentence end within 30 characters"
    );
    assert_eq!(texts(&html, ".article-body a[href^=https]"), ["数码港网页"]);
    assert_eq!(
        attrs(&html, ".article-body a[href^=https]", "title"),
        ["数码港简介"]
    );
    assert_eq!(attrs(&html, ".article-body img", "alt"), ["数码港标志"]);
    assert_eq!(texts(&html, ".article-body td"), ["企业数量", "2,200间"]);
    assert!(texts(&html, ".footnote-definition")[0].contains("资料来源：创新科技及工业局"));
    assert_eq!(
        texts(&html, ".topic-nav a"),
        ["首页", "科学发现", "经济发展", "搜寻"]
    );
    assert_eq!(texts(&html, ".site-title"), ["测试新闻网"]);
    assert_eq!(texts(&html, ".skip-link"), ["跳至正文"]);
    assert_eq!(texts(&html, "time"), ["2025年3月5日"]);
    // Images from static/ resolve from the page.
    assert_eq!(
        attrs(&html, ".lead-figure img", "src"),
        ["../../../images/photo.svg"]
    );
    assert!(output.join("images/photo.svg").is_file());
}

#[test]
fn a_phrase_split_by_a_line_break_converts_as_a_phrase() {
    let (_site, output) = built("basic");
    let html = page(&output, "zh-hans/articles/soft-wrap/index.html");
    // 乾 alone becomes 干; in the name 乾隆 it stays. The wrap fell between them.
    assert_eq!(
        texts(&html, ".article-body p"),
        ["清朝乾隆皇帝在位期间，宫廷收藏了大量科学仪器。"]
    );
}

#[test]
fn code_urls_and_attributes_are_not_converted() {
    // Attributes of raw HTML matter only where raw HTML is allowed.
    let site = fixture("basic");
    let yaml = std::fs::read_to_string(site.path().join("site.yaml")).expect("site.yaml");
    std::fs::write(
        site.path().join("site.yaml"),
        format!("{yaml}\nmarkdown:\n  unsafe_html: true\n"),
    )
    .expect("write");
    let output = site.path().join("public");
    build_site(site.path(), &output).expect("builds");
    let html = page(&output, "zh-hans/articles/code-and-urls/index.html");
    assert_eq!(texts(&html, ".article-body p code"), ["數碼港 = 發展()"]);
    assert_eq!(
        texts(&html, ".article-body pre code"),
        ["# 數碼港註解\nprint(\"數碼港\")"]
    );
    let link = attrs(&html, ".article-body a", "href");
    assert_eq!(link.len(), 1);
    let decoded = percent_decode(&link[0]);
    assert_eq!(decoded, "https://example.org/數碼港/發展?查詢=數據");
    assert_eq!(texts(&html, ".article-body a"), ["数码港"]);
    assert_eq!(attrs(&html, ".article-body span", "title"), ["數碼港屬性"]);
    assert_eq!(texts(&html, ".article-body span"), ["数码港"]);
    assert_eq!(
        attrs(&html, "meta[name=description]", "content"),
        ["编辑亲自撰写的摘要。"]
    );
    // The Traditional page keeps everything as written.
    let source = page(&output, "zh-hant/articles/code-and-urls/index.html");
    assert_eq!(texts(&source, ".article-body a"), ["數碼港"]);
}

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).expect("ascii");
            out.push(u8::from_str_radix(hex, 16).expect("hex"));
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).expect("utf-8")
}

#[test]
fn root_page_offers_every_script_without_javascript() {
    let (_site, output) = built("basic");
    let root = page(&output, "index.html");
    assert_eq!(attrs(&root, "main a", "href"), ["zh-hant/", "zh-hans/"]);
    assert_eq!(
        attrs(&root, "main section", "lang"),
        ["zh-Hant-HK", "zh-Hans"]
    );
    assert_eq!(
        texts(&root, "main a"),
        ["進入網站（繁體）", "进入网站（简体）"]
    );
    let script = texts(&root, "head script").join("");
    assert!(
        script.contains("navigator.languages"),
        "redirects to the preferred script"
    );
    assert!(
        script.contains("\"accept_languages\":[\"zh-Hans\"]"),
        "{script}"
    );
}

#[test]
fn a_site_under_a_sub_path_links_within_it() {
    let (_site, output) = built("sub-path");
    let article = page(&output, "zh-hant/articles/only/index.html");
    assert_eq!(
        attrs(&article, "link[rel=canonical]", "href"),
        ["https://example.org/news/zh-hant/articles/only/"]
    );
    // 404 pages are served at any address, so they link from the sub-path.
    for file in ["404.html", "zh-hans/404.html"] {
        let not_found = page(&output, file);
        let links = attrs(&not_found, "a[href]", "href");
        assert!(!links.is_empty());
        for href in links.iter().filter(|h| !h.starts_with('#')) {
            assert!(href.starts_with("/news/"), "{file}: {href}");
            let target = resolve(file, href, "/news/");
            assert!(output.join(&target).is_file(), "{file}: {href} → {target}");
        }
        assert_eq!(
            attrs(&not_found, "link[rel=stylesheet]", "href"),
            ["/news/style.css"]
        );
    }
}

#[test]
fn building_twice_writes_identical_bytes() {
    let site = fixture("basic");
    let (first, second) = (site.path().join("one"), site.path().join("two"));
    build_site(site.path(), &first).expect("first build");
    build_site(site.path(), &second).expect("second build");
    let files = html_files(&first);
    assert_eq!(files, html_files(&second));
    for file in files {
        let (a, b) = (
            std::fs::read(first.join(&file)),
            std::fs::read(second.join(&file)),
        );
        assert_eq!(
            a.expect("first"),
            b.expect("second"),
            "{file} differs between builds"
        );
    }
}

#[test]
fn drafts_are_built_only_when_asked() {
    let site = fixture("basic");
    let output = site.path().join("public");
    let options = jianfan::commands::build::BuildOptions {
        drafts: true,
        ..jianfan::commands::build::BuildOptions::new(site.path(), &output)
    };
    jianfan::commands::build::build(&options, &default_engine()).expect("builds with drafts");
    assert!(output
        .join("zh-hans/articles/draft-article/index.html")
        .is_file());
}
