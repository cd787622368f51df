//! The assembled site: the articles, their topics, and one converted
//! [`Edition`] per script variant.
//!
//! This is where conversion happens, once per string per variant, before
//! any page is rendered: every template then receives text already in its
//! variant's script. Each article's Markdown is parsed once and rendered
//! once per variant, in parallel across articles.

use std::sync::Arc;

use indexmap::IndexMap;
use rayon::prelude::*;

use crate::article::Article;
use crate::config::{SiteConfig, Variant};
use crate::convert::{Converter, Engine};
use crate::markdown::Document;
use crate::text;

/// A whole site, ready to render.
#[derive(Debug)]
pub struct Site {
    /// The validated site.yaml.
    pub config: SiteConfig,
    /// The published articles, newest first.
    pub articles: Vec<Article>,
    /// Article indices (into `articles`) per topic key, newest first, in the
    /// order site.yaml lists the topics.
    pub topic_articles: IndexMap<String, Vec<usize>>,
    /// One edition per variant, in `config.variants` order.
    pub editions: Vec<Edition>,
}

/// Everything readers of one variant see, in that variant's script.
#[derive(Debug)]
pub struct Edition {
    /// The variant.
    pub variant: Variant,
    /// Site title.
    pub title: String,
    /// Site description.
    pub description: String,
    /// UI strings by key.
    pub ui: IndexMap<String, String>,
    /// Topic names and descriptions by key.
    pub topics: IndexMap<String, TopicText>,
    /// The articles, aligned with [`Site::articles`].
    pub articles: Vec<ArticleText>,
}

/// A topic's text in one variant.
#[derive(Debug, Clone)]
pub struct TopicText {
    /// Name.
    pub name: String,
    /// Description.
    pub description: String,
}

/// An article's reader-visible text in one variant.
#[derive(Debug, Clone)]
pub struct ArticleText {
    /// Headline.
    pub title: String,
    /// Deck.
    pub subtitle: Option<String>,
    /// Summary: the editor's, or the start of the first paragraph.
    pub summary: String,
    /// Byline.
    pub byline: Option<String>,
    /// Lead image caption.
    pub caption: Option<String>,
    /// Publication date as readers see it.
    pub date: String,
    /// The body as HTML.
    pub content: String,
}

impl Site {
    /// Converts `articles` into every variant of `config` with `engine`.
    pub fn assemble(
        config: SiteConfig,
        articles: Vec<Article>,
        engine: &Arc<dyn Engine>,
    ) -> Result<Site, String> {
        let converters: Vec<Converter> = config
            .variants
            .iter()
            .map(|v| {
                Converter::new(engine.as_ref(), &v.opencc)
                    .map_err(|e| format!("site.yaml: variant `{}`: {e}", v.key))
            })
            .collect::<Result<_, _>>()?;

        // Per article, every variant: the Markdown is parsed once.
        let per_article: Vec<Vec<ArticleText>> = articles
            .par_iter()
            .map(|article| {
                let document = Document::parse(&article.body);
                let summary = article.front.summary.clone().unwrap_or_else(|| {
                    let first = document.first_paragraph().unwrap_or_default();
                    text::cut_summary(&first, config.summary_length)
                });
                converters
                    .iter()
                    .map(|cc| ArticleText {
                        title: cc.convert(&article.front.title),
                        subtitle: article.front.subtitle.as_deref().map(|s| cc.convert(s)),
                        summary: cc.convert(&summary),
                        byline: article.front.byline.as_deref().map(|s| cc.convert(s)),
                        caption: article.front.caption.as_deref().map(|s| cc.convert(s)),
                        date: String::new(),
                        content: document.to_html(cc),
                    })
                    .collect()
            })
            .collect();

        let mut editions: Vec<Edition> = config
            .variants
            .iter()
            .zip(&converters)
            .map(|(variant, cc)| Edition {
                variant: variant.clone(),
                title: cc.convert(&config.title),
                description: cc.convert(&config.description),
                ui: config
                    .ui
                    .iter()
                    .map(|(k, v)| (k.clone(), cc.convert(v)))
                    .collect(),
                topics: config
                    .topics
                    .iter()
                    .map(|(key, t)| {
                        let text = TopicText {
                            name: cc.convert(&t.name),
                            description: cc.convert(&t.description),
                        };
                        (key.clone(), text)
                    })
                    .collect(),
                articles: Vec::with_capacity(articles.len()),
            })
            .collect();
        let date_formats: Vec<String> = converters
            .iter()
            .map(|cc| cc.convert(&config.date_format))
            .collect();
        for (article, texts) in articles.iter().zip(per_article) {
            for ((edition, mut text), format) in editions.iter_mut().zip(texts).zip(&date_formats) {
                text.date = article.front.date.display(format);
                edition.articles.push(text);
            }
        }

        let mut topic_articles: IndexMap<String, Vec<usize>> = config
            .topics
            .keys()
            .map(|k| (k.clone(), Vec::new()))
            .collect();
        for (index, article) in articles.iter().enumerate() {
            for (topic, _) in &article.front.topics {
                let members = topic_articles
                    .get_mut(topic)
                    .expect("topics were validated");
                if members.last() != Some(&index) {
                    members.push(index);
                }
            }
        }

        Ok(Site {
            config,
            articles,
            topic_articles,
            editions,
        })
    }
}
