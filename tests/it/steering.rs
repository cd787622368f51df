//! Editors steering conversion from content and site.yaml alone: glossaries,
//! inline markup, punctuation, and a third variant added by configuration.

use crate::common::*;

#[test]
fn site_glossary_protects_and_replaces_terms() {
    let (_site, output) = built("steering");
    let hans = page(&output, "zh-hans/articles/site-glossary/index.html");
    assert_eq!(texts(&hans, "h1"), ["郭台銘乘出租车"]);
    assert_eq!(
        texts(&hans, ".article-body p")[0],
        "郭台銘乘出租车前往干燥的沙漠，研究乾隆年间的“地图”。"
    );
    // Code is neither converted, nor glossed, nor re-punctuated.
    assert_eq!(texts(&hans, ".article-body code"), ["「程式碼」的士"]);
    let hant = page(&output, "zh-hant/articles/site-glossary/index.html");
    assert_eq!(
        texts(&hant, ".article-body p")[0],
        "郭台銘乘的士前往乾燥的沙漠，研究乾隆年間的「地圖」。"
    );
}

#[test]
fn article_glossary_wins_over_the_site_glossary() {
    let (_site, output) = built("steering");
    let hans = page(&output, "zh-hans/articles/article-glossary/index.html");
    assert_eq!(texts(&hans, ".article-body p"), ["他乘计程车到數碼港。"]);
    // Other articles still use the site's entry.
    let other = page(&output, "zh-hans/articles/site-glossary/index.html");
    assert!(texts(&other, "h1")[0].contains("出租车"));
}

#[test]
fn inline_markup_works_in_every_field_and_never_shows() {
    let (_site, output) = built("steering");
    let hans = page(&output, "zh-hans/articles/inline/index.html");
    assert_eq!(texts(&hans, "h1"), ["數碼港开幕"]);
    assert_eq!(texts(&hans, ".subtitle"), ["出租车司机"]);
    assert_eq!(
        attrs(&hans, "meta[name=description]", "content"),
        ["摘要保留國字"]
    );
    assert_eq!(texts(&hans, "figcaption"), ["图說文字"]);
    let paragraphs = texts(&hans, ".article-body p");
    assert_eq!(
        paragraphs[0],
        "正文保留髮型，而头发照常转换。行内程式码-{不處理}-保持原样。"
    );
    assert_eq!(paragraphs[1], "换行的标记乾隆也能处理。");
    assert_eq!(texts(&hans, ".article-body code"), ["-{不處理}-"]);
    let hant = page(&output, "zh-hant/articles/inline/index.html");
    assert_eq!(texts(&hant, ".subtitle"), ["的士司機"]);
    assert_eq!(texts(&hant, "h1"), ["數碼港開幕"]);

    // No markup and no placeholder reaches any page, outside code.
    for file in html_files(&output) {
        let html = std::fs::read_to_string(output.join(&file)).expect("page");
        let without_code = html.replace("<code>-{不處理}-</code>", "");
        assert!(
            !without_code.contains("-{") && !without_code.contains("}-"),
            "{file} shows markup"
        );
        assert!(
            !html
                .chars()
                .any(|c| jianfan::source::span::placeholder_index(c).is_some()),
            "{file} leaks a placeholder"
        );
    }
}

#[test]
fn punctuation_is_per_variant() {
    let (_site, output) = built("steering");
    let hant = page(&output, "zh-hant/articles/site-glossary/index.html");
    assert!(texts(&hant, ".article-body p")[0].contains("「地圖」"));
    let (_site, output) = built("basic");
    let hans = page(&output, "zh-hans/articles/visible-fields/index.html");
    assert!(
        !texts(&hans, "body").join("").contains('“'),
        "off unless site.yaml turns it on"
    );
}

#[test]
fn malformed_markup_names_file_line_and_column() {
    let site = fixture("bad-markup");
    let error = build_site(site.path(), &site.path().join("public")).expect_err("bad markup");
    let text = error.to_string();
    assert!(
        text.contains("error: content/bad-markup.md:2:23: `zh-hanz` is not a variant of this site\n  help: did you mean `zh-hans`?"),
        "{text}"
    );
    assert!(
        text.contains("error: content/bad-markup.md:8:5: `-{` is not closed\n  help: close the conversion markup with `}-`"),
        "{text}"
    );
}

#[test]
fn a_third_variant_needs_only_site_yaml() {
    let (_site, output) = built("three-variants");
    let tw = page(&output, "zh-tw/articles/here/index.html");
    assert_eq!(tw.root_element().attr("lang"), Some("zh-Hant-TW"));
    assert_eq!(texts(&tw, "h1"), ["這裡的軟件"]);
    assert_eq!(
        texts(&page(&output, "zh-hans/articles/here/index.html"), "h1"),
        ["这里的软件"]
    );
    assert_eq!(
        texts(&page(&output, "zh-hant/articles/here/index.html"), "h1"),
        ["這裏的軟件"]
    );

    for file in html_files(&output).iter().filter(|f| f.contains('/')) {
        let html = page(&output, file);
        let langs = attrs(&html, "link[rel=alternate][hreflang]", "hreflang");
        assert_eq!(
            langs,
            ["zh-Hant-HK", "zh-Hans", "zh-Hant-TW", "x-default"],
            "{file}"
        );
        let switch = attrs(&html, "nav.switcher a", "href");
        assert_eq!(switch.len(), 2, "{file}: links to the two other scripts");
        for href in switch {
            let target = resolve(file, &href, "/");
            assert!(output.join(&target).is_file(), "{file}: {href}");
        }
    }
    assert!(output.join("zh-tw/topics/economy/index.html").is_file());
    assert_eq!(
        texts(&page(&output, "zh-tw/topics/index.html"), ".topic-list h2"),
        ["科學發現", "經濟發展"]
    );
    let root = page(&output, "index.html");
    assert_eq!(
        attrs(&root, "main a", "href"),
        ["zh-hant/", "zh-hans/", "zh-tw/"]
    );
}

#[test]
fn a_hand_edited_variant_replaces_the_generated_page_and_goes_stale() {
    let site = fixture("basic");
    let engine = jianfan::convert::default_engine();
    let path = jianfan::commands::fork::fork(site.path(), "economy-one", "zh-hans", &engine)
        .expect("forks");
    assert_eq!(path, site.path().join("content/economy-one.zh-hans.md"));
    let text = std::fs::read_to_string(&path).expect("written");
    assert!(
        text.starts_with(
            "---\ntitle: 经济转型第一篇\ndate: 2025-03-03\ntopics:\n- economy\nforked_from: "
        ),
        "{text}"
    );
    assert!(text.ends_with("---\n\n香港经济正在转型。\n"), "{text}");

    // The editor rewrites it; the build publishes their words, unconverted.
    std::fs::write(
        &path,
        text.replace("香港经济正在转型。", "香港经济正加快转型（编辑改写）。"),
    )
    .expect("edit");
    let output = site.path().join("public");
    let summary = build_site(site.path(), &output).expect("builds");
    assert!(summary.warnings.is_empty(), "{:?}", summary.warnings);
    let hans = page(&output, "zh-hans/articles/economy-one/index.html");
    assert_eq!(
        texts(&hans, ".article-body p"),
        ["香港经济正加快转型（编辑改写）。"]
    );
    let hant = page(&output, "zh-hant/articles/economy-one/index.html");
    assert_eq!(texts(&hant, ".article-body p"), ["香港經濟正在轉型。"]);

    // The source changes: build and check warn, naming the new hash.
    let source = site.path().join("content/economy-one.md");
    let changed = std::fs::read_to_string(&source).expect("source") + "\n新增一段。\n";
    std::fs::write(&source, &changed).expect("edit source");
    let summary = build_site(site.path(), &output).expect("still builds");
    let hash = jianfan::source::article::content_hash(&changed);
    assert_eq!(
        summary.warnings.iter().map(ToString::to_string).collect::<Vec<_>>(),
        [format!(
            "warning: content/economy-one.zh-hans.md:1: content/economy-one.md has changed since this variant was made from it\n  \
             help: bring it up to date with content/economy-one.md, then set `forked_from: {hash}`"
        )]
    );
    let report = jianfan::commands::check::check(site.path(), &engine);
    assert!(
        report
            .to_text(site.path(), false)
            .contains("content/economy-one.md has changed since"),
        "{}",
        report.to_text(site.path(), false)
    );

    // Forking again never overwrites the editor's work.
    let again = jianfan::commands::fork::fork(site.path(), "economy-one", "zh-hans", &engine)
        .expect_err("exists");
    assert!(
        again
            .to_string()
            .contains("already exists; jianfan never overwrites it"),
        "{again}"
    );
    assert!(std::fs::read_to_string(&path)
        .expect("kept")
        .contains("编辑改写"));
}

#[test]
fn a_variant_file_needs_a_generated_variant_and_a_source() {
    let site = fixture("basic");
    std::fs::write(
        site.path().join("content/economy-one.zh-hanz.md"),
        "---\ntitle: t\ndate: 2025-03-01\n---\n",
    )
    .expect("write");
    std::fs::write(
        site.path().join("content/orphan.zh-hans.md"),
        "---\ntitle: t\ndate: 2025-03-01\n---\n",
    )
    .expect("write");
    let error = build_site(site.path(), &site.path().join("public")).expect_err("two problems");
    let text = error.to_string();
    assert!(text.contains("error: content/economy-one.zh-hanz.md: `zh-hanz` in the file name is not a generated variant"), "{text}");
    assert!(
        text.contains(
            "error: content/orphan.zh-hans.md:1: there is no `orphan.md` for this variant of it"
        ),
        "{text}"
    );
}
