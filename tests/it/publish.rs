//! A built site is ready to publish: feeds that parse in a real feed parser,
//! a sitemap with script alternates, metadata in the page's script, search
//! bundles, reproducible bytes, and the deployment options.

use std::path::Path;

use crate::common::*;
use jianfan::commands::build::{build, BuildOptions};
use jianfan::convert::default_engine;

fn feed(output: &std::path::Path, file: &str) -> feed_rs::model::Feed {
    let bytes = std::fs::read(output.join(file)).unwrap_or_else(|e| panic!("{file}: {e}"));
    feed_rs::parser::parse(&bytes[..]).unwrap_or_else(|e| panic!("{file} does not parse: {e}"))
}

#[test]
fn every_variant_and_topic_has_a_feed_that_parses() {
    let (_site, output) = built("basic");
    let hans = feed(&output, "zh-hans/atom.xml");
    assert_eq!(
        hans.title.as_ref().map(|t| t.content.as_str()),
        Some("测试新闻网")
    );
    assert_eq!(hans.language.as_deref(), Some("zh-Hans"));
    let titles: Vec<&str> = hans
        .entries
        .iter()
        .filter_map(|e| e.title.as_ref())
        .map(|t| t.content.as_str())
        .collect();
    assert_eq!(
        titles,
        [
            "数码港发展人工智能",
            "程式码与网址",
            "经济转型第一篇",
            "经济转型第二篇",
            "乾隆年间的 科学发现"
        ]
    );
    let first = &hans.entries[0];
    assert_eq!(
        first.links[0].href,
        "https://example.org/zh-hans/articles/visible-fields/"
    );
    let content = first
        .content
        .as_ref()
        .and_then(|c| c.body.as_deref())
        .expect("full content");
    assert!(content.contains("数码港昨日公布发展计划"), "{content}");
    assert_eq!(
        first.published.map(|d| d.to_rfc3339()).as_deref(),
        Some("2025-03-04T16:00:00+00:00")
    );

    let topic = feed(&output, "zh-hant/topics/economy/atom.xml");
    assert_eq!(
        topic.title.as_ref().map(|t| t.content.as_str()),
        Some("經濟發展 · 測試新聞網")
    );
    assert_eq!(topic.entries.len(), 3);
    assert_eq!(topic.language.as_deref(), Some("zh-Hant-HK"));
    for file in html_files(&output) {
        let _ = file; // every topic has a feed in every variant:
    }
    for prefix in ["zh-hant", "zh-hans"] {
        for key in ["science", "economy"] {
            feed(&output, &format!("{prefix}/topics/{key}/atom.xml"));
        }
    }
}

#[test]
fn feeds_are_capped_and_advertised_on_the_pages_they_cover() {
    let site = fixture("basic");
    let yaml = std::fs::read_to_string(site.path().join("site.yaml")).expect("site.yaml");
    std::fs::write(
        site.path().join("site.yaml"),
        yaml.replace("front_page: 2", "front_page: 2\nfeed_limit: 2"),
    )
    .expect("write");
    let output = site.path().join("public");
    build_site(site.path(), &output).expect("builds");
    assert_eq!(feed(&output, "zh-hant/atom.xml").entries.len(), 2);
    let topic_page = page(&output, "zh-hans/topics/science/index.html");
    assert_eq!(
        attrs(
            &topic_page,
            "link[rel=alternate][type='application/atom+xml']",
            "href"
        ),
        [
            "https://example.org/zh-hans/atom.xml",
            "https://example.org/zh-hans/topics/science/atom.xml"
        ]
    );
    let article = page(&output, "zh-hant/articles/soft-wrap/index.html");
    assert_eq!(
        attrs(
            &article,
            "link[rel=alternate][type='application/atom+xml']",
            "href"
        ),
        ["https://example.org/zh-hant/atom.xml"]
    );
}

/// Every `<url>` of the sitemap's parts, as the index lists them, with
/// the part it is in; and the index's other entries (the news sitemaps).
fn sitemap_urls(output: &Path) -> (Vec<(String, String)>, Vec<String>) {
    let index = std::fs::read_to_string(output.join("sitemap.xml")).expect("sitemap");
    let mut urls = Vec::new();
    let mut news = Vec::new();
    for part in sitemap_locs(&index, "sitemap") {
        let file = part
            .strip_prefix("https://example.org/")
            .expect("on the site");
        if file.ends_with("sitemap-news.xml") {
            news.push(file.to_string());
            continue;
        }
        let xml = std::fs::read_to_string(output.join(file)).expect("a listed part exists");
        urls.extend(
            sitemap_locs(&xml, "url")
                .into_iter()
                .map(|u| (u, file.to_string())),
        );
    }
    (urls, news)
}

#[test]
fn the_sitemap_lists_every_page_with_its_counterparts() {
    let (_site, output) = built("basic");
    let (urls, news) = sitemap_urls(&output);
    assert_eq!(
        news,
        ["zh-hant/sitemap-news.xml", "zh-hans/sitemap-news.xml"]
    );
    let locs: Vec<&String> = urls.iter().map(|(url, _)| url).collect();
    // Every listed page exists, once, and every page but 404 and search is
    // listed.
    for file in html_files(&output) {
        let url = format!(
            "https://example.org/{}",
            file.trim_end_matches("index.html")
        );
        let unlisted = file.ends_with("404.html") || file.contains("/search/");
        let times = locs.iter().filter(|l| ***l == url).count();
        assert_eq!(times, usize::from(!unlisted), "{file}");
    }
    assert_eq!(
        locs.len(),
        html_files(&output).len() - 5,
        "root + all pages but 2×404, 404 and 2×search"
    );
    // Everything the fixture publishes is of March 2025: one part.
    assert!(urls.iter().all(|(_, part)| part == "sitemap-2025-03.xml"));
    let xml = std::fs::read_to_string(output.join("sitemap-2025-03.xml")).expect("part");
    let doc = roxmltree::Document::parse(&xml).expect("well-formed XML");
    for url in doc.descendants().filter(|n| n.has_tag_name("url")) {
        let alternates: Vec<(&str, &str)> = url
            .children()
            .filter(|c| c.has_tag_name("link"))
            .map(|l| {
                (
                    l.attribute("hreflang").unwrap_or_default(),
                    l.attribute("href").unwrap_or_default(),
                )
            })
            .collect();
        let langs: Vec<&str> = alternates.iter().map(|a| a.0).collect();
        assert_eq!(langs, ["zh-Hant-HK", "zh-Hans", "x-default"]);
        let lastmod = url
            .children()
            .find(|c| c.has_tag_name("lastmod"))
            .and_then(|l| l.text());
        assert!(
            lastmod.is_some_and(|l| l.starts_with("2025-03-0")),
            "{lastmod:?}"
        );
    }
    let robots = std::fs::read_to_string(output.join("robots.txt")).expect("robots.txt");
    assert!(
        robots.contains("Sitemap: https://example.org/sitemap.xml"),
        "{robots}"
    );
}

/// The `<loc>`s of `tag` elements (`url` or `sitemap`) in a sitemap file.
fn sitemap_locs(xml: &str, tag: &str) -> Vec<String> {
    let doc = roxmltree::Document::parse(xml).expect("well-formed XML");
    doc.descendants()
        .filter(|n| n.has_tag_name(tag))
        .filter_map(|n| n.children().find(|c| c.has_tag_name("loc")))
        .filter_map(|loc| loc.text().map(String::from))
        .collect()
}

/// A month over the protocol's 50,000 URLs is too large to build in a
/// test; the same code runs with small limits here.
#[test]
fn a_month_too_large_for_one_file_takes_several_parts() {
    use jianfan::render::{Renderer, SitemapLimits, Templates};
    let site_dir = fixture("basic");
    let output = site_dir.path().join("public");
    let summary = build_site(site_dir.path(), &output).expect("builds");
    let site = summary.published.expect("assembled").site;
    let templates = Templates::load(&site_dir.path().join("templates")).expect("templates");
    let renderer = Renderer::new(&site, &templates);
    let routes = jianfan::render::Route::all(&site);
    let (built, _) = sitemap_urls(&output);
    let every_page: Vec<String> = built.into_iter().map(|(url, _)| url).collect();
    assert!(every_page.len() > 20, "{} pages", every_page.len());

    for limits in [
        SitemapLimits {
            urls: 7,
            bytes: usize::MAX,
        },
        SitemapLimits {
            urls: 50_000,
            bytes: 4_000,
        },
    ] {
        let files = renderer.sitemaps_within(&routes, limits).expect("renders");
        let (index_name, index) = &files[0];
        assert_eq!(index_name, "sitemap.xml", "search engines start here");
        assert!(index.contains("<sitemapindex"), "{index}");
        let parts: Vec<&(String, String)> = files[1..]
            .iter()
            .filter(|(name, _)| !name.ends_with("sitemap-news.xml"))
            .collect();
        assert!(parts.len() >= 3, "{limits:?}: {} parts", parts.len());
        let names: Vec<&str> = parts.iter().map(|(name, _)| name.as_str()).collect();
        assert_eq!(names[..2], ["sitemap-2025-03.xml", "sitemap-2025-03-2.xml"]);
        let listed: Vec<String> = parts
            .iter()
            .map(|(name, _)| format!("https://example.org/{name}"))
            .collect();
        assert_eq!(sitemap_locs(index, "sitemap")[..parts.len()], listed);
        let mut pages = Vec::new();
        for (name, xml) in &parts {
            let locs = sitemap_locs(xml, "url");
            assert!(locs.len() <= limits.urls, "{name}: {} URLs", locs.len());
            assert!(xml.len() <= limits.bytes, "{name}: {} bytes", xml.len());
            pages.extend(locs);
        }
        assert_eq!(pages, every_page, "every page once, in order");
        // Each part's lastmod in the index is its newest page's.
        let doc = roxmltree::Document::parse(index).expect("XML");
        for ((_, xml), entry) in parts
            .iter()
            .zip(doc.descendants().filter(|n| n.has_tag_name("sitemap")))
        {
            let part = roxmltree::Document::parse(xml).expect("XML");
            let newest = part
                .descendants()
                .filter(|n| n.has_tag_name("lastmod"))
                .filter_map(|n| n.text())
                .filter_map(|t| chrono::DateTime::parse_from_rfc3339(t).ok())
                .max()
                .expect("dated pages");
            let listed = entry
                .children()
                .find(|c| c.has_tag_name("lastmod"))
                .and_then(|n| n.text())
                .and_then(|t| chrono::DateTime::parse_from_rfc3339(t).ok())
                .expect("lastmod");
            assert_eq!(listed, newest);
        }
    }
    // Within the protocol's limits, the build's own files.
    for (file, xml) in renderer.sitemaps(&routes).expect("renders") {
        let written = std::fs::read_to_string(output.join(&file)).expect("written");
        assert_eq!(xml, written, "{file}");
    }
}

#[test]
fn article_metadata_is_complete_and_in_the_pages_script() {
    let (_site, output) = built("basic");
    let hans = page(&output, "zh-hans/articles/visible-fields/index.html");
    let meta = |property: &str| attrs(&hans, &format!("meta[property='{property}']"), "content");
    assert_eq!(meta("og:title"), ["数码港发展人工智能"]);
    assert_eq!(meta("og:type"), ["article"]);
    assert_eq!(meta("og:locale"), ["zh_CN"]);
    assert_eq!(meta("og:locale:alternate"), ["zh_HK"]);
    assert_eq!(
        meta("og:url"),
        ["https://example.org/zh-hans/articles/visible-fields/"]
    );
    assert_eq!(meta("og:image"), ["https://example.org/images/photo.svg"]);
    assert_eq!(
        meta("article:published_time"),
        ["2025-03-05T00:00:00+08:00"]
    );
    assert_eq!(meta("article:section"), ["科学发现"]);
    assert_eq!(
        meta("og:description"),
        ["数码港昨日公布发展计划，吸引多间企业进驻。"]
    );
    let json = texts(&hans, "script[type='application/ld+json']");
    let ld: serde_json::Value = serde_json::from_str(&json[0]).expect("JSON-LD parses");
    assert_eq!(ld["@type"], "NewsArticle");
    assert_eq!(ld["headline"], "数码港发展人工智能");
    assert_eq!(ld["inLanguage"], "zh-Hans");
    assert_eq!(ld["author"]["name"], "记者 陈大文");
    assert_eq!(ld["datePublished"], "2025-03-05T00:00:00+08:00");
    assert_eq!(ld["isPartOf"]["name"], "测试新闻网");
    assert_eq!(ld["image"][0], "https://example.org/images/photo.svg");
    let all_meta: String = attrs(&hans, "meta", "content").join("") + &json[0];
    let left: Vec<char> = all_meta
        .chars()
        .filter(|&c| jianfan::convert::script::is_traditional_only(c))
        .collect();
    assert!(
        left.is_empty(),
        "Traditional characters in Simplified metadata: {left:?}"
    );
    let home = page(&output, "zh-hant/index.html");
    assert_eq!(
        attrs(&home, "meta[property='og:type']", "content"),
        ["website"]
    );
    assert_eq!(
        attrs(&home, "meta[property='og:locale']", "content"),
        ["zh_HK"]
    );
}

#[test]
fn each_variant_has_a_search_page_and_index() {
    let (_site, output) = built("basic");
    // One index for every script (its text is normalised to one script).
    for file in [
        "pagefind.js",
        "pagefind-entry.json",
        "wasm.unknown.pagefind",
    ] {
        assert!(
            output.join(format!("pagefind/tier-00/{file}")).is_file(),
            "pagefind/tier-00/{file}"
        );
    }
    for prefix in ["zh-hant", "zh-hans"] {
        assert!(!output.join(format!("{prefix}/pagefind")).exists());
        let search = page(&output, &format!("{prefix}/search/index.html"));
        // With scripting on, HTML parsers read <noscript> as text.
        let message = texts(&search, "noscript").join("");
        assert!(
            message.contains("JavaScript"),
            "a message without JavaScript: {message}"
        );
    }
    let table: std::collections::BTreeMap<String, String> = serde_json::from_str(
        &std::fs::read_to_string(output.join("search-normalize.json")).expect("table"),
    )
    .expect("JSON");
    let normalize = |s: &str| {
        s.chars()
            .map(|c| table.get(&c.to_string()).cloned().unwrap_or(c.to_string()))
            .collect::<String>()
    };
    assert_eq!(normalize("數碼港"), normalize("数码港"));
    let not_found = page(&output, "404.html");
    let links = attrs(&not_found, "main a", "href");
    assert_eq!(
        links,
        ["/zh-hant/", "/zh-hans/", "/zh-hant/", "/zh-hant/search/"],
        "both scripts and the search"
    );
}

#[test]
fn building_twice_writes_identical_bytes_everywhere() {
    let site = fixture("basic");
    let (first, second) = (site.path().join("one"), site.path().join("two"));
    build_site(site.path(), &first).expect("first build");
    build_site(site.path(), &second).expect("second build");
    let files = |dir: &std::path::Path| {
        let mut all: Vec<String> = walkdir::WalkDir::new(dir)
            .into_iter()
            .map(|e| e.expect("readable"))
            .filter(|e| e.file_type().is_file())
            .map(|e| {
                e.path()
                    .strip_prefix(dir)
                    .expect("under")
                    .display()
                    .to_string()
            })
            .collect();
        all.sort();
        all
    };
    let listed = files(&first);
    assert_eq!(listed, files(&second));
    assert!(
        listed
            .iter()
            .any(|f| f.starts_with("pagefind/tier-00/index/")),
        "search index included"
    );
    for file in listed {
        assert_eq!(
            std::fs::read(first.join(&file)).ok(),
            std::fs::read(second.join(&file)).ok(),
            "{file}"
        );
    }
}

/// Without the cargo feature, `--minify` is refused before anything is
/// read or written, and says how to get it.
#[cfg(not(feature = "minify"))]
#[test]
fn minify_without_the_feature_is_refused_with_the_way_to_get_it() {
    let site = fixture("basic");
    let output = site.path().join("public");
    let options = BuildOptions {
        minify: true,
        ..BuildOptions::new(site.path(), &output)
    };
    let error = build(&options, &default_engine()).expect_err("refused");
    assert!(error.to_string().contains("--features minify"), "{error}");
    assert!(!output.exists(), "nothing written");
}

#[cfg(feature = "minify")]
#[test]
fn base_url_can_be_overridden_and_output_minified() {
    let site = fixture("basic");
    let output = site.path().join("staging");
    let options = BuildOptions {
        base_url: Some("https://staging.example.org/preview/".into()),
        minify: true,
        ..BuildOptions::new(site.path(), &output)
    };
    build(&options, &default_engine()).expect("builds");
    let article = page(&output, "zh-hans/articles/soft-wrap/index.html");
    assert_eq!(
        attrs(&article, "link[rel=canonical]", "href"),
        ["https://staging.example.org/preview/zh-hans/articles/soft-wrap/"]
    );
    assert_eq!(
        texts(&article, ".article-body p"),
        ["清朝乾隆皇帝在位期间，宫廷收藏了大量科学仪器。"]
    );
    let plain = fixture("basic");
    let (_plain, plain_output) = (
        build_site(plain.path(), &plain.path().join("public")),
        plain.path().join("public"),
    );
    let size = |dir: &std::path::Path, f: &str| std::fs::metadata(dir.join(f)).expect("file").len();
    assert!(size(&output, "zh-hans/index.html") < size(&plain_output, "zh-hans/index.html"));
    assert!(size(&output, "style.css") < size(&plain_output, "style.css"));
    let not_found = std::fs::read_to_string(output.join("404.html")).expect("404");
    // Minified attributes may lose their quotes, as HTML allows.
    assert!(
        not_found.contains("href=/preview/zh-hans/")
            || not_found.contains("href=\"/preview/zh-hans/\""),
        "sub-path 404 links"
    );
}

/// Our own scripts: the script-choice memory, the JSON-LD block, the
/// root page's redirect and the search page's module.
fn is_ours(script: &scraper::ElementRef<'_>) -> bool {
    let text: String = script.text().collect();
    script.attr("type") == Some("application/ld+json")
        || text.contains("jianfan-variant")
        || text.contains("pagefind.js")
}

#[test]
fn strings_from_content_never_become_live_markup() {
    let (_site, output) = built("injection");
    let hostile = [
        "alert(1)",
        "alert(2)",
        "alert(3)",
        "alert(4)",
        "alert(5)",
        "alert(\"site\")",
        "alert(\"topic\")",
        "alert(\"ui\")",
        "alert('glossary')",
    ];
    for file in html_files(&output) {
        let html = page(&output, &file);
        let scripts = scraper::Selector::parse("script").expect("selector");
        for script in html.select(&scripts) {
            let text: String = script.text().collect();
            assert!(
                is_ours(&script),
                "{file}: a script that is not ours: {text}"
            );
            for h in hostile {
                assert!(
                    !text.contains(h) || script.attr("type") == Some("application/ld+json"),
                    "{file}: {h} in a script"
                );
            }
        }
        let all = scraper::Selector::parse("*").expect("selector");
        for element in html.select(&all) {
            let name = element.value().name();
            assert!(
                !matches!(name, "iframe" | "svg" | "b" | "img")
                    || file.contains("index.html") && name == "img",
                "{file}: a <{name}> from content"
            );
            for (attribute, value) in element.value().attrs() {
                assert!(!attribute.starts_with("on"), "{file}: <{name} {attribute}>");
                assert!(
                    !value.to_lowercase().contains("javascript:") && !value.starts_with("data:"),
                    "{file}: {attribute}={value}"
                );
            }
        }
    }
    // The hostile headline is kept, as text, everywhere it is shown.
    let article = page(&output, "zh-hant/articles/hostile/index.html");
    let title = "<script>alert(1)</script>「引號」\"雙引號\"'單引號'</title>";
    assert_eq!(texts(&article, "h1"), [title]);
    assert!(texts(&article, "title")[0].starts_with(title));
    let ld: serde_json::Value =
        serde_json::from_str(&texts(&article, "script[type='application/ld+json']")[0])
            .expect("JSON-LD parses");
    assert_eq!(ld["headline"], title);
    assert_eq!(
        texts(&article, ".byline"),
        ["記者 <img src=x onerror=alert(2)>"]
    );
    let body = texts(&article, ".article-body").join("");
    assert!(
        body.contains("<script>alert(3)</script>") && body.contains("按我"),
        "{body}"
    );
    let hans = page(&output, "zh-hans/articles/hostile/index.html");
    assert!(texts(&hans, ".article-body p")
        .join("")
        .contains("乘<b onmouseover=alert('glossary')>出租车</b>"));
    // Feeds and the sitemap are well-formed XML that carries the text.
    let feed =
        feed_rs::parser::parse(&std::fs::read(output.join("zh-hant/atom.xml")).expect("feed")[..])
            .expect("parses");
    assert_eq!(
        feed.entries[0].title.as_ref().map(|t| t.content.as_str()),
        Some(title)
    );
    let topic_feed =
        std::fs::read_to_string(output.join("zh-hant/topics/science/atom.xml")).expect("feed");
    roxmltree::Document::parse(&topic_feed).expect("well-formed");
    assert!(!topic_feed.contains("<script>"), "escaped in XML");
    roxmltree::Document::parse(
        &std::fs::read_to_string(output.join("sitemap.xml")).expect("sitemap"),
    )
    .expect("well-formed");
}

#[test]
fn a_rebuild_keeps_unchanged_files_and_matches_a_clean_build() {
    let (site, output) = built("basic");
    let untouched = output.join("zh-hans/articles/economy-two/index.html");
    let edited = output.join("zh-hant/articles/economy-one/index.html");
    let before = (inode(&untouched), inode(&edited));

    // Nothing changed: nothing converted, nothing written.
    let again = build_site(site.path(), &output).expect("rebuilds");
    assert!(
        again.published.is_none(),
        "an unchanged site is not converted again"
    );
    assert_eq!(again.rendered, 0);
    assert_eq!((inode(&untouched), inode(&edited)), before);

    // One article edited: its pages are new, the others are the same files,
    // and the result is exactly what a clean build writes.
    let file = site.path().join("content/economy-one.md");
    let text = std::fs::read_to_string(&file).expect("article");
    std::fs::write(&file, text.replace("經濟轉型第一篇", "經濟轉型首篇")).expect("edit");
    let after = build_site(site.path(), &output).expect("rebuilds");
    assert!(
        after.rendered > 0 && after.rendered < after.pages,
        "{}",
        after.rendered
    );
    assert_eq!(
        inode(&untouched),
        before.0,
        "an unchanged page was rewritten"
    );
    assert_ne!(inode(&edited), before.1);
    assert!(std::fs::read_to_string(&edited)
        .expect("page")
        .contains("經濟轉型首篇"));
    let clean = site.path().join("clean");
    build_site(site.path(), &clean).expect("clean build");
    assert!(
        snapshot(&output) == snapshot(&clean),
        "an incremental build differs from a clean one"
    );

    // A page edited by hand in the output is noticed and written again.
    std::fs::write(&untouched, "tampered").expect("write");
    build_site(site.path(), &output).expect("rebuilds");
    assert!(snapshot(&output) == snapshot(&clean));

    // The cache is safe to delete: the next build is a clean one.
    std::fs::remove_dir_all(site.path().join(".jianfan-cache")).expect("cache exists");
    let fresh = build_site(site.path(), &output).expect("rebuilds");
    assert!(fresh.rendered >= fresh.pages);
    assert!(snapshot(&output) == snapshot(&clean));
}

#[test]
fn a_new_article_renders_the_lists_again_but_not_the_other_articles() {
    let (site, output) = built("basic");
    let other = output.join("zh-hans/articles/economy-two/index.html");
    let topics = output.join("zh-hant/topics/index.html");
    let before = (inode(&other), inode(&topics));
    let new = "---\ntitle: 經濟轉型第三篇\ndate: 2025-03-09\ntopics: [economy]\n---\n\n新篇。\n";
    std::fs::write(site.path().join("content/economy-three.md"), new).expect("write");
    build_site(site.path(), &output).expect("rebuilds");
    assert_eq!(
        inode(&other),
        before.0,
        "another article's page was rendered again"
    );
    assert_ne!(inode(&topics), before.1, "the topic counts changed");
    let clean = site.path().join("clean");
    build_site(site.path(), &clean).expect("clean build");
    assert!(snapshot(&output) == snapshot(&clean));

    // A template that shows counts on article pages makes them depend on
    // every article: they are rendered again, and still match a clean build.
    let template = site.path().join("templates/article.html");
    let text = std::fs::read_to_string(&template).expect("template");
    let text = text.replace(
        "{%- for topic in article.topics %}",
        "{%- for topic in article.topics %}<i>{{ topic.count }}</i>",
    );
    assert!(text.contains("topic.count"), "the template has its loop");
    std::fs::write(&template, text).expect("write");
    build_site(site.path(), &output).expect("rebuilds");
    let before = inode(&other);
    let newer = new.replace("第三篇", "第四篇").replace("03-09", "03-10");
    std::fs::write(site.path().join("content/economy-four.md"), newer).expect("write");
    build_site(site.path(), &output).expect("rebuilds");
    assert_ne!(inode(&other), before, "the counts on the page changed");
    std::fs::remove_dir_all(&clean).expect("remove");
    build_site(site.path(), &clean).expect("clean build");
    assert!(snapshot(&output) == snapshot(&clean));
}
/// Every entry of the site's conversion cache.
/// The entries of one of the site's caches (`converted` or `search`).
fn cache_entries(site: &std::path::Path, cache: &str) -> Vec<std::path::PathBuf> {
    let dir = site.join(".jianfan-cache").join(cache);
    let mut entries: Vec<_> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.expect("entry").path())
        .collect();
    entries.sort();
    entries
}

#[test]
fn conversions_and_search_blocks_come_from_the_cache_and_match_a_clean_build() {
    // Glossaries and inline markup: the cached text must carry them too.
    let site = fixture("steering");
    let one = site.path().join("one");
    let first = build_site(site.path(), &one).expect("builds");
    assert_eq!(
        first.converted, first.articles,
        "a first build converts all"
    );
    assert_eq!(first.indexed, first.search_blocks, "and indexes all");
    assert_eq!(
        cache_entries(site.path(), "converted").len(),
        first.articles
    );
    assert_eq!(cache_entries(site.path(), "search").len(), 1, "one block");

    // A new output folder (the output deleted, or a second target): the
    // pages are rendered again but no article is converted or indexed again.
    let two = site.path().join("two");
    let second = build_site(site.path(), &two).expect("builds");
    assert_eq!(second.converted, 0);
    assert_eq!(second.indexed, 0, "the search index comes from the cache");
    assert!(second.rendered >= second.pages, "every file written anew");
    assert!(snapshot(&one) == snapshot(&two));

    // One article edited: only it is converted; its old entry is removed.
    let file = site.path().join("content/inline.md");
    let text = std::fs::read_to_string(&file).expect("article");
    let edited = text.replacen("\n\n", "\n\n數碼港發展迅速。\n\n", 1);
    assert_ne!(edited, text);
    std::fs::write(&file, &edited).expect("edit");
    let third = build_site(site.path(), &two).expect("rebuilds");
    assert_eq!(third.converted, 1);
    assert_eq!(third.indexed, 1, "its block is indexed again");
    assert_eq!(
        cache_entries(site.path(), "converted").len(),
        third.articles
    );
    assert_eq!(
        cache_entries(site.path(), "search").len(),
        1,
        "old block gone"
    );
    let page =
        std::fs::read_to_string(two.join("zh-hans/articles/inline/index.html")).expect("page");
    assert!(page.contains("数码港发展迅速"), "the edit is converted");

    // Exactly what a build with no cache at all writes.
    let clean_site = fixture("steering");
    std::fs::write(clean_site.path().join("content/inline.md"), &edited).expect("edit");
    let clean = clean_site.path().join("public");
    let cold = build_site(clean_site.path(), &clean).expect("clean build");
    assert_eq!(cold.converted, cold.articles);
    assert!(snapshot(&two) == snapshot(&clean));

    // Damaged entries are made again, never shown.
    for cache in ["converted", "search"] {
        for entry in cache_entries(site.path(), cache) {
            std::fs::write(&entry, b"\x05garbage").expect("damage");
        }
    }
    let three = site.path().join("three");
    let repaired = build_site(site.path(), &three).expect("builds");
    assert_eq!(repaired.converted, repaired.articles);
    assert_eq!(repaired.indexed, repaired.search_blocks);
    assert!(snapshot(&three) == snapshot(&clean));
    assert!(snapshot(&three)
        .iter()
        .all(|(name, _)| !name.contains(".jianfan-cache")));
}
