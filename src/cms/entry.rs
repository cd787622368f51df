//! An article as the CMS sends it, made into jianfan's file, or refused
//! with the diagnostic `check` would print, in Chinese.
//!
//! Decap serialises its form as YAML front matter its own way (key order,
//! block lists, quotes). The file on disk is rewritten by jianfan's writer
//! ([`crate::source::writer`]), so a saved article reads exactly like one
//! from `jianfan new`, and keys the form does not edit (an article's own
//! glossary, `forked_from`) are carried over from the file as it was.
//! The result is then checked as `check` checks a file; a save that would
//! not build writes nothing.

use std::path::Path;

use serde_yaml::{Mapping, Value};

use crate::diagnostic::Diagnostic;
use crate::source::article::Article;
use crate::source::config::SiteConfig;
use crate::source::front_matter::split;
use crate::source::writer::{article_text, Fields};

/// Keys the CMS's form edits; any other key of the file on disk is kept.
const FORM_KEYS: [&str; 15] = [
    "title", "slug", "version", "subtitle", "date", "updated", "byline", "topics", "summary",
    "image", "alt", "caption", "credit", "draft", "body",
];

/// A save the server will not make, with what to tell the editor.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    /// The HTTP status: 422 for text that would not build, 409 for a
    /// conflict, 403 for a path outside the site's folders.
    pub status: u16,
    /// What the CMS shows, in Chinese.
    pub message: String,
}

impl Refusal {
    /// A refusal with `status` and `message`.
    pub fn new(status: u16, message: impl Into<String>) -> Refusal {
        Refusal {
            status,
            message: message.into(),
        }
    }
}

/// A scalar as text: numbers and booleans as YAML writes them, null empty.
fn scalar(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        Value::Number(n) => n.to_string(),
        Value::Bool(b) => b.to_string(),
        _ => String::new(),
    }
}

/// The front matter of `text` as a mapping; empty when it has none.
fn mapping(text: &str) -> Option<(Mapping, String)> {
    let parts = split(text).ok()?;
    let value: Value = serde_yaml::from_str(parts.yaml).ok()?;
    let map = match value {
        Value::Mapping(map) => map,
        Value::Null => Mapping::new(),
        _ => return None,
    };
    Some((map, parts.body.to_string()))
}

/// The article file for the CMS's `raw` text: its fields, its body, and
/// the version of the file the form was filled from (none for a new
/// article). Neither `slug` nor `version` is written into the file.
/// `on_disk` is the file as it is now, whose other keys are kept.
pub fn from_cms(
    raw: &str,
    on_disk: Option<&str>,
) -> Result<(Fields, String, Option<String>), Refusal> {
    let raw = raw.replace("\r\n", "\n");
    let Some((map, body)) = mapping(&raw) else {
        return Err(Refusal::new(
            422,
            "CMS 送來的內容沒有可讀的前置資料（front matter），未有儲存。請重新載入頁面再試。",
        ));
    };
    let mut fields = Fields::default();
    let get = |key: &str| map.get(key).map(scalar).unwrap_or_default();
    fields.title = get("title");
    fields.subtitle = get("subtitle");
    fields.date = get("date");
    fields.updated = get("updated");
    fields.byline = get("byline");
    fields.summary = get("summary");
    fields.image = get("image");
    fields.alt = get("alt");
    fields.caption = get("caption");
    fields.credit = get("credit");
    fields.topics = match map.get("topics") {
        Some(Value::Sequence(items)) => items.iter().map(scalar).collect(),
        Some(Value::String(one)) if !one.is_empty() => vec![one.clone()],
        _ => Vec::new(),
    };
    let old = on_disk.and_then(mapping);
    fields.draft = match (map.get("draft"), &old) {
        (Some(Value::Bool(draft)), _) => *draft,
        (Some(Value::String(text)), _) => text != "false",
        // Not in the form's data: as the file has it (no line: published),
        // and a new article is a draft, as `new` writes it.
        (_, Some((old, _))) => old.get("draft").and_then(Value::as_bool).unwrap_or(false),
        (_, None) => true,
    };
    // Keys the form does not know: written back so `check` names them.
    for (key, value) in &map {
        if !key.as_str().is_some_and(|k| FORM_KEYS.contains(&k)) {
            fields.kept.insert(key.clone(), value.clone());
        }
    }
    if let Some((old, _)) = old {
        for (key, value) in old {
            let edited = key.as_str().is_some_and(|k| FORM_KEYS.contains(&k));
            if !edited && !fields.kept.contains_key(&key) {
                fields.kept.insert(key, value);
            }
        }
    }
    let version = map.get("version").map(scalar).filter(|v| !v.is_empty());
    Ok((fields, body, version))
}

/// The CMS's view of a file: its text with `version:` (the file's hash,
/// which the form carries back on save) and `slug:` (the article's address,
/// unless a hosted CMS wrote it already) added first.
pub fn for_cms(text: &str, slug: &str, version: &str) -> String {
    let Some(rest) = text.strip_prefix("---\n") else {
        return text.to_string();
    };
    let front = rest.split("\n---").next().unwrap_or_default();
    let slug = match front.lines().any(|line| line.starts_with("slug:")) {
        true => String::new(),
        false => format!("slug: {slug}\n"),
    };
    format!("---\nversion: {version}\n{slug}{rest}")
}

/// Writes `fields` and `body` as `file` (`content/<slug>.md`) and checks
/// the result as `check` checks a file: the text, or every problem in
/// Chinese.
pub fn checked_text(
    file: &Path,
    fields: &Fields,
    body: &str,
    config: &SiteConfig,
) -> Result<String, Refusal> {
    let text = article_text(fields, body).map_err(|e| Refusal::new(422, format!("{e:#}")))?;
    match Article::parse(file, &text, config) {
        Ok(_) => Ok(text),
        Err(problems) => {
            let lines: Vec<String> = problems.iter().map(|d| in_chinese(d, config)).collect();
            Err(Refusal::new(
                422,
                format!("未有儲存：這樣的文章無法建置。\n{}", lines.join("\n")),
            ))
        }
    }
}

/// The text between the first pair of backticks in `message`.
fn quoted(message: &str) -> &str {
    message.split('`').nth(1).unwrap_or_default()
}

/// One diagnostic as the CMS shows it: where, what is wrong and what to do
/// in Chinese, then `check`'s own line, for looking it up.
pub fn in_chinese(diagnostic: &Diagnostic, config: &SiteConfig) -> String {
    let message = diagnostic.message.as_str();
    let what = if message.ends_with("is not a real date") {
        format!(
            "「{}」不是真實的日期，請寫成 2025-03-07 這樣的日期。",
            quoted(message)
        )
    } else if message.starts_with("unknown topic") {
        let names: Vec<&str> = config.topics.values().map(|t| t.name.as_str()).collect();
        format!(
            "「{}」不是 site.yaml 裏的專題。可選的專題：{}。",
            quoted(message),
            names.join("、")
        )
    } else if message.starts_with("the file name") && message.ends_with("cannot be a URL") {
        format!(
            "網址名稱「{}」不能用作網址：只可用小寫英文字母、數字和單個連字號，例如 cyberport-ai-ecosystem。",
            quoted(message)
        )
    } else if message.starts_with("the required key") {
        let field = match quoted(message) {
            "title" => "標題",
            "date" => "日期",
            other => other,
        };
        format!("必須填寫「{field}」。")
    } else if message.starts_with("unknown front-matter key") {
        format!("不認識的欄位「{}」。", quoted(message))
    } else if message == "`-{` is not closed" {
        "轉換標記「-{」沒有以「}-」結束；如要顯示「-{」本身，請寫 -\\{。".to_string()
    } else if message.contains("is not the file's name") {
        "「網址名稱」與檔案名稱不符；已發佈的文章不要更改網址名稱。".to_string()
    } else {
        let help = diagnostic.help.as_deref().unwrap_or_default();
        format!("網站無法建置：{message}。{help}")
    };
    let place = match (diagnostic.line, diagnostic.column) {
        (Some(line), Some(column)) => format!("第 {line} 行第 {column} 字"),
        (Some(line), None) => format!("第 {line} 行"),
        _ => String::new(),
    };
    format!(
        "・{} {place}：{what}\n  （jianfan check：{}: {}）",
        diagnostic.file.display(),
        diagnostic.location(),
        message
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config() -> SiteConfig {
        SiteConfig::parse(
            "title: t\nbase_url: https://example.org/\nvariants:\n  zh-hant:\n    lang: zh-Hant-HK\n    name: 繁體\n    prefix: zh-hant\n\
             topics:\n  ai:\n    name: 人工智能\n  startups:\n    name: 初創企業\n",
        )
        .expect("site.yaml")
    }

    #[test]
    fn decaps_layout_becomes_the_layout_of_new() {
        let raw =
            "---\ntitle: 數碼港「招兵買馬」\nslug: cyberport\ndate: \"2026-12-06\"\ndraft: true\n\
                   topics:\n  - ai\n  - startups\nsubtitle: \"\"\n---\n正文第一段。\n";
        let (fields, body, _) = from_cms(raw, None).expect("read");
        let text = checked_text(Path::new("content/cyberport.md"), &fields, &body, &config())
            .expect("builds");
        // What `jianfan new` writes (commands/new.rs), then the body.
        let new = "---\ntitle: 數碼港「招兵買馬」\nsubtitle:\ndate: 2026-12-06\nbyline:\ntopics: [ai, startups]\n\
                   summary:\nimage:\ncaption:\ndraft: true\n---\n\n";
        assert_eq!(text, format!("{new}正文第一段。\n"));
    }

    #[test]
    fn keys_the_form_does_not_edit_are_kept_from_the_file() {
        let disk = "---\ntitle: 舊\ndate: 2026-12-01\nconversion:\n  protect: [數碼港]\nforked_from: ab\n---\n\n舊文。\n";
        let raw = "---\ntitle: 新\ndate: 2026-12-01\ndraft: false\n---\n新文。\n";
        let (fields, body, _) = from_cms(raw, Some(disk)).expect("read");
        let text = article_text(&fields, &body).expect("text");
        assert!(
            text.contains("conversion:\n  protect:\n  - 數碼港\nforked_from: ab\n---\n\n新文。\n"),
            "{text}"
        );
        assert!(text.contains("title: 新\n"));
    }

    #[test]
    fn a_bad_date_and_an_unknown_topic_are_refused_together_in_chinese() {
        let raw = "---\ntitle: 標題\ndate: 2026-02-30\ntopics: [ia]\n---\n正文。\n";
        let (fields, body, _) = from_cms(raw, None).expect("read");
        let refusal = checked_text(Path::new("content/a.md"), &fields, &body, &config())
            .expect_err("refused");
        assert_eq!(refusal.status, 422);
        assert!(
            refusal.message.contains("「2026-02-30」不是真實的日期"),
            "{}",
            refusal.message
        );
        assert!(
            refusal.message.contains("content/a.md:4:7"),
            "{}",
            refusal.message
        );
        // The date stops the front matter before topics are looked at, as
        // in `check`; once it is fixed, the topic is named.
        let raw = raw.replace("2026-02-30", "2026-02-28");
        let (fields, body, _) = from_cms(&raw, None).expect("read");
        let refusal = checked_text(Path::new("content/a.md"), &fields, &body, &config())
            .expect_err("refused");
        assert!(
            refusal
                .message
                .contains("「ia」不是 site.yaml 裏的專題。可選的專題：人工智能、初創企業"),
            "{}",
            refusal.message
        );
    }

    #[test]
    fn a_published_article_saved_without_the_toggle_stays_published() {
        let disk = "---\ntitle: 舊\ndate: 2026-12-01\n---\n\n舊文。\n";
        let raw = "---\ntitle: 新\ndate: 2026-12-01\n---\n新文。\n";
        assert!(!from_cms(raw, Some(disk)).expect("read").0.draft);
        let drafted = disk.replace("---\n\n", "draft: true\n---\n\n");
        assert!(from_cms(raw, Some(&drafted)).expect("read").0.draft);
        assert!(
            from_cms(raw, None).expect("read").0.draft,
            "a new article is a draft"
        );
        let off = "---\ntitle: 新\ndate: 2026-12-01\ndraft: false\n---\n";
        assert!(!from_cms(off, Some(&drafted)).expect("read").0.draft);
    }

    #[test]
    fn the_form_sees_the_slug_once() {
        let text = "---\ntitle: 甲\ndate: 2026-12-01\n---\n\n正文。\n";
        let form = for_cms(text, "a", "f00d");
        assert_eq!(form, format!("---\nversion: f00d\nslug: a\n{}", &text[4..]));
        let hosted = "---\ntitle: 甲\nslug: a\ndate: 2026-12-01\n---\n\n正文。\n";
        assert_eq!(
            for_cms(hosted, "a", "f00d"),
            format!("---\nversion: f00d\n{}", &hosted[4..])
        );
        // Back from the form, neither is written into the file.
        let (fields, body, version) = from_cms(&form, Some(text)).expect("read");
        assert_eq!(version.as_deref(), Some("f00d"));
        assert_eq!(
            article_text(&fields, &body)
                .expect("text")
                .matches("slug")
                .count(),
            0
        );
        assert!(!article_text(&fields, &body)
            .expect("text")
            .contains("version"));
    }

    #[test]
    fn a_name_that_is_not_a_url_is_refused() {
        let raw = "---\ntitle: 標題\ndate: 2026-02-28\n---\n";
        let (fields, body, _) = from_cms(raw, None).expect("read");
        let refusal = checked_text(Path::new("content/數碼港.md"), &fields, &body, &config())
            .expect_err("refused");
        assert!(
            refusal.message.contains("網址名稱「數碼港」不能用作網址"),
            "{}",
            refusal.message
        );
    }
}
