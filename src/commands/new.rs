//! `jianfan new`: a new article with complete front matter, ready to write.
//!
//! The file gets every front-matter key (the optional ones empty), today's
//! date in Hong Kong and `draft: true`, so nothing is published until an
//! editor says so. A bad slug or an unknown topic is refused with the
//! reason, and an existing file is never overwritten.

use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};

use crate::diagnostic::{self, Report};
use crate::layout::CONTENT_DIR;
use crate::source::article::is_valid_slug;
use crate::source::config::SiteConfig;
use crate::source::writer::{article_text, Fields};

/// The text of a new article: every key an article usually needs, today's
/// date, `draft: true`, and no body yet.
pub fn new_article(title: &str, topics: &[String], date: &str) -> Result<String> {
    let fields = Fields {
        title: title.to_string(),
        date: date.to_string(),
        topics: topics.to_vec(),
        draft: true,
        ..Fields::default()
    };
    article_text(&fields, "")
}

/// Writes `content/<slug>.md` under `root`; returns its path.
pub fn new(root: &Path, slug: &str, title: &str, topics: &[String]) -> Result<PathBuf> {
    if !is_valid_slug(slug) {
        bail!(
            "`{slug}` cannot be a slug: it becomes the article's URL, so use lowercase ASCII \
             letters and digits joined by single hyphens, e.g. cyberport-ai-ecosystem"
        );
    }
    if title.trim().is_empty() {
        bail!("the title is empty; pass --title \"…\"");
    }
    let config = SiteConfig::load(root).map_err(Report::from)?;
    for topic in topics {
        if !config.topics.contains_key(topic) {
            let keys: Vec<&str> = config.topics.keys().map(String::as_str).collect();
            bail!(
                "`{topic}` is not a topic in site.yaml; {}",
                diagnostic::suggest(topic, &keys).replace("valid keys", "the topics")
            );
        }
    }
    let date = crate::source::front_matter::hong_kong_now()
        .format("%Y-%m-%d")
        .to_string();
    let text = new_article(title, topics, &date)?;
    let dir = root.join(CONTENT_DIR);
    std::fs::create_dir_all(&dir).with_context(|| format!("cannot create {}", dir.display()))?;
    let path = dir.join(format!("{slug}.md"));
    if !crate::fs::write_new(&path, &text)? {
        bail!(
            "{} already exists; jianfan never overwrites it",
            path.display()
        );
    }
    Ok(path)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::front_matter::{split, FrontMatter};

    #[test]
    fn a_new_article_is_laid_out_as_editors_know_it() {
        let text =
            new_article("標題: 一", &["ai".into(), "startups".into()], "2026-12-06").expect("text");
        assert_eq!(
            text,
            "---\ntitle: '標題: 一'\nsubtitle:\ndate: 2026-12-06\nbyline:\ntopics: [ai, startups]\n\
             summary:\nimage:\ncaption:\ndraft: true\n---\n\n"
        );
    }

    #[test]
    fn a_new_article_has_every_key_and_parses() {
        let text = new_article("數碼港: 新發展", &["ai".into()], "2026-11-24").expect("text");
        let fm = FrontMatter::parse(split(&text).expect("split").yaml, 2).expect("valid");
        assert_eq!(fm.title, "數碼港: 新發展");
        assert!(fm.draft);
        assert_eq!(fm.topics[0].0, "ai");
        for key in ["subtitle:", "byline:", "summary:", "image:", "caption:"] {
            assert!(text.contains(key), "{key}");
        }
    }
}
