//! `jianfan fork <slug> <variant>`: start a hand-edited variant of an article.
//!
//! Writes `content/<slug>.<variant>.md` beside the source, holding the
//! article as the build would convert it today — front matter and Markdown,
//! formatting kept — plus `forked_from`, the hash of the source it was made
//! from. From then on the build uses that file for the variant instead of
//! converting, and warns when the source changes. It never overwrites.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use anyhow::{bail, Context, Result};
use serde::Serialize;

use crate::convert::localize::Localizer;
use crate::convert::{Converter, Engine};
use crate::diagnostic::{self, Report};
use crate::source::article;
use crate::source::config::SiteConfig;

/// The front matter of a new hand-edited variant, in the usual key order.
#[derive(Serialize)]
struct ForkFrontMatter<'a> {
    title: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    subtitle: Option<String>,
    date: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    byline: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    topics: Vec<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    summary: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    image: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    caption: Option<String>,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    draft: bool,
    forked_from: &'a str,
}

/// Writes the hand-edited variant `variant` of article `slug` under `root`;
/// returns its path.
pub fn fork(root: &Path, slug: &str, variant: &str, engine: &Arc<dyn Engine>) -> Result<PathBuf> {
    let config = SiteConfig::load(root).map_err(Report::from)?;
    let Some(target) = config
        .variants
        .iter()
        .find(|v| v.key == variant && !v.is_source())
    else {
        let generated = config.generated_keys();
        bail!(
            "`{variant}` is not a generated variant of this site; choose one of: {}",
            generated.join(", ")
        );
    };
    let mut report = Report::default();
    let everything = article::Include::everything();
    let loaded = article::load_all(
        root,
        &config,
        everything,
        Default::default(),
        true,
        &mut report,
    );
    if report.has_errors() {
        return Err(report.into());
    }
    let articles = loaded.articles;
    let Some(article) = articles.iter().find(|a| a.slug == slug) else {
        let slugs: Vec<&str> = articles.iter().map(|a| a.slug.as_str()).collect();
        let hint = match diagnostic::closest(slug, slugs.iter().copied()) {
            Some(near) => format!("; did you mean `{near}`?"),
            None => String::new(),
        };
        bail!("there is no article `{slug}` in content/{hint}");
    };
    let file = root
        .join(&article.file)
        .with_file_name(format!("{slug}.{variant}.md"));

    let converter = Converter::new(engine.as_ref(), &target.opencc).map_err(anyhow::Error::msg)?;
    let localizer = Localizer::new(&target.key, &converter, target.punctuation);
    let glossary = article.glossary(&config);
    let localize = |text: &str| localizer.localize(text, &article.spans, glossary);
    let front = &article.front;
    let header = ForkFrontMatter {
        title: localize(&front.title),
        subtitle: front.subtitle.as_deref().map(localize),
        date: front.date.iso(),
        byline: front.byline.as_deref().map(localize),
        topics: front.topics.iter().map(|(t, _)| t.as_str()).collect(),
        summary: front.summary.as_deref().map(localize),
        image: front.image.as_deref(),
        caption: front.caption.as_deref().map(localize),
        draft: front.draft,
        forked_from: &article.source_hash,
    };
    let yaml = serde_yaml::to_string(&header).context("cannot write the front matter")?;
    let body = crate::convert::markdown::localize_source(&article.body, &localize);
    let text = format!("---\n{yaml}---\n{body}");

    if !crate::fs::write_new(&file, &text)? {
        bail!(
            "{} already exists; jianfan never overwrites it (delete it first to start again)",
            file.display()
        );
    }
    Ok(file)
}
