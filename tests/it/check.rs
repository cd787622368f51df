//! `jianfan check` as editors and tools use it: what it reports, where, and
//! its exit status.

use std::path::Path;
use std::process::Command;

use crate::common::*;

fn check(root: &Path, args: &[&str]) -> (Option<i32>, String) {
    let run = Command::new(env!("CARGO_BIN_EXE_jianfan"))
        .arg("--root")
        .arg(root)
        .arg("check")
        .args(args)
        .output()
        .expect("jianfan runs");
    (
        run.status.code(),
        String::from_utf8_lossy(&run.stdout).into_owned(),
    )
}

#[test]
fn shipped_site_checks_clean() {
    let (status, out) = check(&repo(), &[]);
    assert_eq!(status, Some(0), "{out}");
    assert!(out.contains("check: 0 errors, 0 warnings, "), "{out}");
    // One entry: the byline's surname. What the dictionaries settle (於
    // before a time or a place, 其餘, 合作夥伴, 顛覆) is not listed.
    assert!(
        out.contains("To review: conversions that depend on context (1)"),
        "{out}"
    );
    let review = &out[out.find("To review").expect("reviews")..];
    let first = review.lines().nth(2).unwrap_or_default();
    assert_eq!(
        first,
        "  content/polyu-deepseek-forum.md:4:19: `鍾` may be a surname here; the build wrote zh-hans: 钟"
    );
    assert!(review.contains("      in 「報訊（記者 鍾健文）」"), "{out}");
    for settled in ["顯著", "於", "餘", "夥", "覆"] {
        assert!(!review.contains(&format!("`{settled}`")), "{out}");
    }
}

#[test]
fn bold_beside_chinese_punctuation_renders_and_only_stray_asterisks_are_warned() {
    let site = fixture("basic");
    std::fs::write(
        site.path().join("content/bold.md"),
        "---\ntitle: 粗體\ndate: 2025-03-04\ntopics: [economy]\n---\n\n\
         **重點。**接著說。\n\n文字**「引號」**之後。\n\n**重點**。與「**引號**」都對。\n\n\
         **只開不關\n",
    )
    .expect("article");
    let (status, out) = check(site.path(), &[]);
    assert_eq!(status, Some(0), "a warning, not an error:\n{out}");
    assert!(
        out.contains("warning: this `**` shows as two asterisks: it opens or closes no bold\n  --> content/bold.md:13:1"),
        "{out}"
    );
    assert_eq!(
        out.matches("shows as two asterisks").count(),
        1,
        "bold beside 。 and 「」 renders, so it is not warned about:\n{out}"
    );
    let output = site.path().join("public");
    build_site(site.path(), &output).expect("builds");
    let hant =
        std::fs::read_to_string(output.join("zh-hant/articles/bold/index.html")).expect("page");
    assert!(hant.contains("<strong>重點。</strong>接著說。"), "{hant}");
    assert!(
        hant.contains("文字<strong>「引號」</strong>之後。"),
        "{hant}"
    );
    assert!(hant.contains("<strong>重點</strong>。"), "{hant}");
    assert!(
        hant.contains("**只開不關"),
        "the stray pair stays as written"
    );
    let hans =
        std::fs::read_to_string(output.join("zh-hans/articles/bold/index.html")).expect("page");
    // The bold text is converted as any other (the engines differ on 接著).
    assert!(hans.contains("<strong>重点。</strong>接"), "{hans}");
}

#[test]
fn wrong_script_characters_are_warned_with_their_traditional_form() {
    let site = fixture("check");
    let (status, out) = check(site.path(), &[]);
    assert_eq!(status, Some(0), "warnings alone exit 0:\n{out}");
    assert!(out.contains("Warnings (3)"), "{out}");
    // As rustc shows it: message, location, the line, a marker, the fix.
    assert!(
        out.contains(
            "warning: `个` is a Simplified character in Traditional text, in 「去飲茶嘅。這个字是简体。」\n \
             --> content/mixed.md:7:18\n  |\n7 | 佢哋話呢度冇嘢，啲人咗去飲茶嘅。這个字是简体。\n"
        ),
        "{out}"
    );
    assert!(
        out.contains("= help: write `個`, or protect it with -{个}- if it is meant"),
        "{out}"
    );
    assert!(out.contains("--> content/mixed.md:7:21"), "{out}");
    assert!(out.contains("--> content/mixed.md:7:22"), "{out}");
    assert!(!out.contains('\u{1b}'), "no colour when piped");
    // Cantonese characters are Hong Kong Traditional text: no warning.
    // Simplified pages keep them, and the Simplified standard lacks them,
    // which the report's last group says.
    let outside = out.find("Outside the Table").expect("the outside group");
    for c in ['佢', '哋', '冇', '嘢', '啲', '咗', '嘅'] {
        let said = format!("`{c}`");
        assert!(!out[..outside].contains(&said), "{c} flagged:\n{out}");
        assert!(
            out[outside..].contains(&format!("{said}, not in the Table")),
            "{out}"
        );
    }
}

#[test]
fn ambiguity_is_reported_except_where_the_editor_decided() {
    let site = fixture("check");
    let (_, out) = check(site.path(), &[]);
    assert!(
        out.contains("To review: conversions that depend on context (1)"),
        "{out}"
    );
    // 著名 kept 著 after a verb with no word after it: the particle or 著名?
    assert!(
        out.contains("content/mixed.md:11:3: `著` after `沿`: its particle (沿着) or the start of 「著名山」? the build wrote zh-hans: 著\n      in 「他沿著名山走。」"),
        "{out}"
    );
    // -{乾坤}-, -{沿著名山}- (markup), `乾燥` (code) and 乾隆 (glossary) on
    // line 9 are decided.
    assert!(!out.contains("mixed.md:9:"), "{out}");
}

#[test]
fn json_output_is_for_tools() {
    let site = fixture("check");
    let (status, out) = check(site.path(), &["--format", "json"]);
    assert_eq!(status, Some(0));
    let report: serde_json::Value = serde_json::from_str(&out).expect("valid JSON");
    assert_eq!(report["errors"].as_array().map(Vec::len), Some(0));
    let warnings = report["warnings"].as_array().expect("warnings");
    assert_eq!(warnings.len(), 3);
    assert_eq!(warnings[0]["kind"], "wrong-script");
    assert_eq!(warnings[0]["file"], "content/mixed.md");
    assert_eq!(warnings[0]["line"], 7);
    let review = report["review"].as_array().expect("review");
    assert_eq!(review[0]["kind"], "phrase-boundary");
    assert_eq!(review[0]["chosen"]["zh-hans"], "著");
    assert_eq!(review[0]["context"], "他沿著名山走。");
}

#[test]
fn errors_exit_1_and_are_listed_first() {
    let site = fixture("check");
    std::fs::write(
        site.path().join("content/broken.md"),
        "---\ntitle: 壞\ndate: 2025-13-01\n---\n",
    )
    .expect("write");
    let (status, out) = check(site.path(), &[]);
    assert_eq!(status, Some(1), "{out}");
    assert!(
        out.starts_with(
            "Errors: the site cannot be built (1)\n\nerror: `2025-13-01` is not a real date\n \
             --> content/broken.md:3:7\n  |\n3 | date: 2025-13-01\n  |       ^\n"
        ),
        "{out}"
    );
    assert!(!site.path().join("public").exists(), "check writes nothing");
}

#[test]
fn broken_links_and_missing_images_are_errors_in_check_and_build() {
    let site = fixture("basic");
    std::fs::write(
        site.path().join("content/links.md"),
        "---\ntitle: 連結\ndate: 2025-03-01\ntopics: [science]\nimage: /images/absent.jpg\n---\n\n\
         [好](@/economy-one.md)和[也好](../economy-two/)與[專題](/zh-hant/topics/science/)。\n\n\
         [壞](@/economy-three.md)和[錯](../nowhere/)。\n\n![圖](/images/missing.png)\n",
    )
    .expect("write");
    let (status, out) = check(site.path(), &[]);
    assert_eq!(status, Some(1), "{out}");
    assert!(out.contains("error: the link `@/economy-three.md` leads to no article: there is no `economy-three.md`\n  --> content/links.md:10:1"), "{out}");
    assert!(out.contains("= help: did you mean `@/economy-"), "{out}");
    assert!(out.contains("error: the link `../nowhere/` leads nowhere: the site has no `/zh-hant/articles/nowhere/`\n  --> content/links.md:10:25"), "{out}");
    assert!(out.contains("error: the image `/images/missing.png` leads nowhere: the site has no `/images/missing.png`\n  --> content/links.md:12:1"), "{out}");
    assert!(
        out.contains("= help: add the file to static/images/missing.png, or correct the address"),
        "{out}"
    );
    assert!(
        out.contains("error: the image `/images/absent.jpg` leads nowhere"),
        "{out}"
    );
    assert!(out.contains("--> content/links.md:5"), "{out}");
    assert!(
        !out.contains("@/economy-one.md`"),
        "good links pass:\n{out}"
    );
    assert!(!out.contains("../economy-two/"), "good links pass:\n{out}");
    let built =
        build_site(site.path(), &site.path().join("public")).expect_err("build refuses too");
    assert!(built
        .to_string()
        .contains("content/links.md:10:1: the link `@/economy-three.md` leads to no article"));
}

#[test]
fn internal_links_lead_to_the_article_in_the_readers_script() {
    let site = fixture("basic");
    std::fs::write(
        site.path().join("content/links.md"),
        "---\ntitle: 連結\ndate: 2025-03-01\ntopics: [science]\n---\n\n見[另一篇](@/economy-one.md#top)。\n",
    )
    .expect("write");
    let output = site.path().join("public");
    build_site(site.path(), &output).expect("builds");
    for prefix in ["zh-hant", "zh-hans"] {
        let file = format!("{prefix}/articles/links/index.html");
        let href = attrs(&page(&output, &file), ".article-body a", "href");
        assert_eq!(href, ["../economy-one/#top"]);
        assert_eq!(
            resolve(&file, &href[0], "/"),
            format!("{prefix}/articles/economy-one/index.html")
        );
    }
}

#[test]
fn a_template_variable_that_does_not_exist_is_caught() {
    let site = fixture("basic");
    let path = site.path().join("templates/topics.html");
    let template = std::fs::read_to_string(&path).expect("template");
    std::fs::write(
        &path,
        template.replace("{{ topic.description }}", "{{ topic.summary }}"),
    )
    .expect("write");
    let (status, out) = check(site.path(), &[]);
    assert_eq!(status, Some(1), "{out}");
    assert!(
        out.contains("cannot render zh-hant/topics/index.html"),
        "{out}"
    );
    assert!(out.contains("topic.summary"), "{out}");
}

#[test]
fn drafts_and_scheduled_articles_are_listed() {
    let site = fixture("basic");
    std::fs::write(
        site.path().join("content/later.md"),
        "---\ntitle: 明日新聞\ndate: 2099-01-01\ntopics: [science]\n---\n\n未來。\n",
    )
    .expect("write");
    let (status, out) = check(site.path(), &[]);
    assert_eq!(status, Some(0), "{out}");
    assert!(
        out.contains("Not published: drafts and scheduled articles (2)"),
        "{out}"
    );
    assert!(
        out.contains("content/draft-article.md: draft: 未完成的草稿"),
        "{out}"
    );
    assert!(
        out.contains("content/later.md: scheduled for 2099-01-01: 明日新聞"),
        "{out}"
    );
    let output = site.path().join("public");
    build_site(site.path(), &output).expect("builds");
    assert!(
        !output.join("zh-hant/articles/later").exists(),
        "scheduled articles wait"
    );
    let options = jianfan::commands::build::BuildOptions {
        future: true,
        ..jianfan::commands::build::BuildOptions::new(site.path(), site.path().join("preview"))
    };
    jianfan::commands::build::build(&options, &jianfan::convert::default_engine())
        .expect("builds with --future");
    assert!(site
        .path()
        .join("preview/zh-hant/articles/later/index.html")
        .is_file());
}
