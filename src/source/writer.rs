//! jianfan's front-matter writer: an article's file from its fields, in
//! the one layout `jianfan new` and the CMS (`/admin/` in `serve`) write.
//!
//! The keys come in a fixed order, the ones every article may need shown
//! even when empty (`subtitle:`, `byline:` …) so an editor opening the file
//! sees what can be filled in; the rarer ones (`updated`, `alt`, `credit`,
//! an article's own glossary) only when given. Values are written by
//! serde_yaml, so a title with a colon or a quote stays one string.

use anyhow::{Context, Result};
use serde_yaml::{Mapping, Value};

/// An article's front matter as the writer takes it: text as typed,
/// empty where not given.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Fields {
    /// The headline.
    pub title: String,
    /// The second headline line.
    pub subtitle: String,
    /// `2025-03-07`, or a date with time and offset.
    pub date: String,
    /// When the article was last changed; written only when given.
    pub updated: String,
    /// Who wrote it.
    pub byline: String,
    /// Topic keys from site.yaml, in the editor's order.
    pub topics: Vec<String>,
    /// The editor's summary.
    pub summary: String,
    /// The lead photo: `/images/a.jpg` or an address.
    pub image: String,
    /// The lead photo's alternative text; written only when given.
    pub alt: String,
    /// What the lead photo tells of the story.
    pub caption: String,
    /// Who took the lead photo; written only when given.
    pub credit: String,
    /// Kept out of the build while true.
    pub draft: bool,
    /// Keys no form edits (an article's `conversion:` glossary,
    /// `forked_from`), written after the others as they were.
    pub kept: Mapping,
}

/// `key: value` for a text value; `key:` alone when it is empty.
fn text_line(out: &mut String, key: &str, value: &str) -> Result<()> {
    if value.trim().is_empty() {
        out.push_str(key);
        out.push_str(":\n");
        return Ok(());
    }
    let written = serde_yaml::to_string(value).with_context(|| format!("cannot write `{key}`"))?;
    out.push_str(key);
    out.push_str(": ");
    out.push_str(&written);
    Ok(())
}

/// The whole file: front matter, a blank line, and `body` (its line
/// endings made LF, ending in one newline; nothing after the blank line
/// when it is empty).
pub fn article_text(fields: &Fields, body: &str) -> Result<String> {
    let mut out = String::from("---\n");
    text_line(&mut out, "title", &fields.title)?;
    text_line(&mut out, "subtitle", &fields.subtitle)?;
    text_line(&mut out, "date", &fields.date)?;
    if !fields.updated.trim().is_empty() {
        text_line(&mut out, "updated", &fields.updated)?;
    }
    text_line(&mut out, "byline", &fields.byline)?;
    // A flow list, as editors write it by hand: `topics: [ai, startups]`.
    let topics: Vec<String> = (fields.topics.iter())
        .map(|t| {
            let written = serde_yaml::to_string(t).context("cannot write a topic")?;
            Ok(written.trim_end().to_string())
        })
        .collect::<Result<_>>()?;
    out.push_str(&format!("topics: [{}]\n", topics.join(", ")));
    text_line(&mut out, "summary", &fields.summary)?;
    text_line(&mut out, "image", &fields.image)?;
    if !fields.alt.trim().is_empty() {
        text_line(&mut out, "alt", &fields.alt)?;
    }
    text_line(&mut out, "caption", &fields.caption)?;
    if !fields.credit.trim().is_empty() {
        text_line(&mut out, "credit", &fields.credit)?;
    }
    out.push_str(if fields.draft {
        "draft: true\n"
    } else {
        "draft: false\n"
    });
    if !fields.kept.is_empty() {
        let kept = serde_yaml::to_string(&Value::Mapping(fields.kept.clone()))
            .context("cannot write the article's other keys")?;
        out.push_str(&kept);
    }
    out.push_str("---\n\n");
    let body = body.replace("\r\n", "\n");
    let body = body.trim_start_matches('\n').trim_end();
    if !body.is_empty() {
        out.push_str(body);
        out.push('\n');
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::front_matter::{split, FrontMatter};

    #[test]
    fn every_key_round_trips_through_the_parser() {
        let mut kept = Mapping::new();
        kept.insert("forked_from".into(), "abc".into());
        let fields = Fields {
            title: "數碼港: 「新」發展".into(),
            subtitle: "副題".into(),
            date: "2026-12-06".into(),
            updated: "2026-12-07T09:30:00+08:00".into(),
            byline: "記者 莫楠".into(),
            topics: vec!["ai".into(), "startups".into()],
            summary: "第一行\n第二行".into(),
            image: "/images/a.jpg".into(),
            alt: "碼頭".into(),
            caption: "圖說".into(),
            credit: "攝影：甲".into(),
            draft: false,
            kept,
        };
        let text = article_text(&fields, "正文。\r\n\r\n第二段。\n\n\n").expect("written");
        assert!(text.ends_with("---\n\n正文。\n\n第二段。\n"), "{text}");
        let parts = split(&text).expect("split");
        let front = FrontMatter::parse(parts.yaml, 2).expect("parses");
        assert_eq!(front.title, fields.title);
        assert_eq!(front.summary.as_deref(), Some("第一行\n第二行"));
        assert_eq!(front.topics.len(), 2);
        assert_eq!(
            front.updated.expect("updated").iso(),
            "2026-12-07T09:30:00+08:00"
        );
        assert!(text.contains("\ndate: 2026-12-06\n"), "{text}");
        assert_eq!(front.forked_from.as_deref(), Some("abc"));
        assert_eq!(front.credit.as_deref(), Some("攝影：甲"));
        assert!(!front.draft);
    }
}
