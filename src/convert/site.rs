//! The assembled site: the articles, their topics, and one converted
//! [`Edition`] per script variant.
//!
//! This is where conversion happens, once per string per variant, before
//! any page is rendered: every template then receives text already in its
//! variant's script. Each article's Markdown is parsed once and rendered
//! once per variant, in parallel across articles. Articles' bodies are left
//! in the conversion cache when it has them ([`Bodies`]), so the site holds
//! only the short texts lists show.

use std::sync::{Arc, OnceLock};

use indexmap::IndexMap;
use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::convert::localize::Localizer;
use crate::convert::markdown::Document;
use crate::convert::{Converter, Engine};
use crate::diagnostic::{Diagnostic, Kind, Report};
use crate::layout::SITE_FILE;
use crate::source::article::Article;
use crate::source::config::{SiteConfig, Variant};
use crate::source::glossary::Glossary;
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
    /// Every article index, newest first (`0..articles.len()`): the home
    /// pages' and the site archive's list, as a slice like a topic's.
    pub newest: Vec<usize>,
    /// One edition per variant, in `config.variants` order.
    pub editions: Vec<Edition>,
    /// Each variant's OpenCC converter, in `config.variants` order.
    pub converters: Vec<Converter>,
    /// Each article's long texts (body HTML per variant, search text),
    /// aligned with `articles`: see [`Bodies`].
    pub bodies: Bodies,
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
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
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
    /// Lead image alternative text.
    pub alt: Option<String>,
    /// Lead photo credit.
    pub credit: Option<String>,
    /// Publication date as readers see it.
    pub date: String,
}

/// An article's long texts: what only its own page, the feeds and its
/// search block need, so a build need not hold them all at once.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Body {
    /// The body as HTML, per variant in `config.variants` order.
    pub contents: Vec<String>,
    /// The body as plain text in the source script (markup resolved): what
    /// search indexes.
    pub search_text: String,
}

/// One article converted: what [`crate::publish::cache::ConversionCache`] keeps.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConvertedArticle {
    /// Its short texts in every variant, in `config.variants` order.
    pub texts: Vec<ArticleText>,
    /// Its long texts.
    pub body: Body,
}

/// Every article's converted texts: held in memory, or left in the
/// [`ConversionStore`] they were taken from or stored in, and read back when
/// a page, a feed or a search block needs them. A site of 30,000 articles
/// holds about 10 KB of body text per article (two scripts of HTML and a
/// search text) and 1 KB of short texts (headline, summary, date); a
/// publish into it renders a few dozen pages, so it reads back the short
/// texts of the articles those pages show, not of all 30,000.
pub struct Bodies {
    /// Per article: its body, or `None` when the store has it.
    held: Vec<Option<Body>>,
    /// Per article: its short texts in every variant, once converted or
    /// read back from the store.
    texts: Vec<OnceLock<Vec<ArticleText>>>,
    /// Where the texts not held are.
    store: Option<Arc<dyn ConversionStore + Send>>,
}

impl std::fmt::Debug for Bodies {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let held = self.held.iter().filter(|b| b.is_some()).count();
        let texts = self.texts.iter().filter(|t| t.get().is_some()).count();
        let all = self.held.len();
        write!(f, "Bodies {{ {held} of {all} held, {texts} short texts }}")
    }
}

impl Bodies {
    /// The body of article `index`: from memory, or read back from the
    /// store; `None` only when the store lost or damaged the entry during
    /// this build.
    fn get(&self, index: usize) -> Option<std::borrow::Cow<'_, Body>> {
        match &self.held[index] {
            Some(body) => Some(std::borrow::Cow::Borrowed(body)),
            None => (self.store.as_ref())
                .and_then(|store| store.load(index))
                .map(|converted| std::borrow::Cow::Owned(converted.body)),
        }
    }

    /// The short texts of article `index` in every variant: from memory, or
    /// read back from the store once; `None` as for [`Bodies::get`].
    fn texts(&self, index: usize) -> Option<&[ArticleText]> {
        let cell = &self.texts[index];
        if let Some(texts) = cell.get() {
            return Some(texts);
        }
        let loaded = self.store.as_ref()?.load_texts(index)?;
        Some(cell.get_or_init(|| loaded))
    }
}

/// A converted text the conversion cache lost or damaged during a build
/// (the folder deleted, a disk error): the build stops before anything is
/// written, and [`crate::commands::build::build`] builds once more, which
/// converts the article again.
#[derive(Debug)]
pub struct LostText {
    /// The article's file.
    pub file: std::path::PathBuf,
}

impl std::fmt::Display for LostText {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "cannot read back the converted text of {} from .jianfan-cache/converted/ \
             (was it removed during the build?); build again",
            self.file.display()
        )
    }
}

impl std::error::Error for LostText {}

/// Where [`Site::assemble_cached`] takes articles converted before, and
/// keeps the ones it converts: the build's conversion cache
/// ([`crate::publish::cache::ConversionCache`]), which lives downstream and
/// so is reached through this trait.
pub trait ConversionStore: Sync {
    /// The article at `index` (into the articles being assembled), if an
    /// earlier build converted it with the same settings.
    fn load(&self, index: usize) -> Option<ConvertedArticle>;
    /// The short texts alone of the article at `index`: what a build needs
    /// of an article it does not convert again.
    fn load_texts(&self, index: usize) -> Option<Vec<ArticleText>> {
        self.load(index).map(|converted| converted.texts)
    }
    /// Whether the store has the article at `index`, without reading it: the
    /// site then reads its texts back only when a page needs them.
    fn holds(&self, index: usize) -> bool {
        self.load_texts(index).is_some()
    }
    /// Keeps the article at `index`, converted now; returns whether it was
    /// kept (a cache that cannot be written keeps nothing).
    fn store(&self, index: usize, converted: &ConvertedArticle) -> bool;
}

impl Site {
    /// Converts `articles` into every variant of `config` with `engine`;
    /// for tests and tools that have no build around them.
    pub fn assemble(
        config: SiteConfig,
        articles: Vec<Article>,
        engine: &Arc<dyn Engine>,
    ) -> Result<Site, Report> {
        let topics = crate::source::topic_members(&config, &articles);
        let mut report = Report::default();
        let (site, _) = Site::assemble_cached(config, articles, topics, engine, None, &mut report);
        if report.has_errors() {
            Err(report)
        } else {
            Ok(site)
        }
    }

    /// The convert stage: every reader-visible string of `articles` (whose
    /// topic members are `topics`) and of `config` in every variant. With a
    /// `store`, each article is taken from it when it was converted before
    /// with the same settings, and stored there when it is converted now;
    /// the site then reads each body back from the store when it is needed
    /// rather than holding them all. A variant whose converter cannot be
    /// made is reported, and its text left as written, so the later stages
    /// still run. Returns the site and the articles converted anew (indices
    /// into the articles).
    pub fn assemble_cached(
        config: SiteConfig,
        articles: Vec<Article>,
        topics: IndexMap<String, Vec<usize>>,
        engine: &Arc<dyn Engine>,
        store: Option<Arc<dyn ConversionStore + Send>>,
        report: &mut Report,
    ) -> (Site, Vec<usize>) {
        let converters: Vec<Converter> = config
            .variants
            .iter()
            .map(|v| {
                Converter::new(engine.as_ref(), &v.opencc).unwrap_or_else(|e| {
                    report.push(
                        Diagnostic::error(
                            Kind::Site,
                            SITE_FILE,
                            format!("variant `{}`: {e}", v.key),
                        )
                        .with_help("list OpenCC configurations this engine has in `opencc`"),
                    );
                    Converter::identity()
                })
            })
            .collect();
        let localizers = Localizers::new(&config, &converters);
        // Per article, every variant: the Markdown is parsed once, or not
        // at all when the cache has the article.
        // (short texts, the body unless the store keeps it, converted anew?)
        let store_ref = store.as_deref();
        let per_article: Vec<(Option<Vec<ArticleText>>, Option<Body>, bool)> = articles
            .par_iter()
            .enumerate()
            .map(|(i, article)| {
                if store_ref.is_some_and(|s| s.holds(i)) {
                    return (None, None, false);
                }
                let fresh = localizers.article(article, &config);
                // Taken from the record without its body, and its entry gone
                // since the build looked (a cache emptied meanwhile): what
                // was converted here lacks the body, so it is not kept, and
                // `Site::converted_unread` stops the build.
                let kept = !article.unread() && store_ref.is_some_and(|s| s.store(i, &fresh));
                (Some(fresh.texts), (!kept).then_some(fresh.body), true)
            })
            .collect();
        let converted: Vec<usize> = (per_article.iter().enumerate())
            .filter_map(|(i, (_, _, fresh))| fresh.then_some(i))
            .collect();
        let localizers = localizers.by_variant;

        let site_text = |l: &Localizer<'_>, text: &str| l.localize(text, &[], &config.glossary);
        let editions: Vec<Edition> = config
            .variants
            .iter()
            .zip(&localizers)
            .map(|(variant, l)| Edition {
                variant: variant.clone(),
                title: site_text(l, &config.title),
                description: site_text(l, &config.description),
                ui: config
                    .ui
                    .iter()
                    .map(|(k, v)| (k.clone(), site_text(l, v)))
                    .collect(),
                topics: config
                    .topics
                    .iter()
                    .map(|(key, t)| {
                        let text = TopicText {
                            name: site_text(l, &t.name),
                            description: site_text(l, &t.description),
                        };
                        (key.clone(), text)
                    })
                    .collect(),
            })
            .collect();
        let (mut held, mut texts) = (Vec::with_capacity(articles.len()), Vec::new());
        for (converted, body, _) in per_article {
            texts.push(converted.map(OnceLock::from).unwrap_or_default());
            held.push(body);
        }

        // The localizers borrow the converters, which the site keeps.
        drop(localizers);
        let site = Site {
            config,
            newest: (0..articles.len()).collect(),
            articles,
            topic_articles: topics,
            editions,
            converters,
            bodies: Bodies { held, texts, store },
        };
        (site, converted)
    }
}

/// Everything that converts one article, built once per site.
struct Localizers<'c> {
    /// One per variant, converting.
    by_variant: Vec<Localizer<'c>>,
    /// One per variant that only resolves markup: for hand-edited variants,
    /// already in their script, and for the search text.
    hand_edited: Vec<Localizer<'c>>,
    /// `date_format` in each variant's script.
    date_formats: Vec<String>,
}

/// The converter of text already in its script.
static AS_WRITTEN: std::sync::LazyLock<Converter> = std::sync::LazyLock::new(Converter::identity);

impl<'c> Localizers<'c> {
    fn new(config: &'c SiteConfig, converters: &'c [Converter]) -> Self {
        let by_variant: Vec<Localizer<'c>> = config
            .variants
            .iter()
            .zip(converters)
            .map(|(v, cc)| Localizer::new(&v.key, cc, v.punctuation))
            .collect();
        let date_formats = by_variant
            .iter()
            .map(|l| l.localize(&config.date_format, &[], &Glossary::default()))
            .collect();
        let hand_edited = config
            .variants
            .iter()
            .map(|v| Localizer::new(&v.key, &AS_WRITTEN, false))
            .collect();
        Localizers {
            by_variant,
            hand_edited,
            date_formats,
        }
    }

    /// One article in every variant, and its search text. The Markdown is
    /// parsed once.
    fn article(&self, article: &Article, config: &SiteConfig) -> ConvertedArticle {
        let no_glossary = Glossary::default();
        let document = Document::parse_with(&article.body, config.markdown.unsafe_html);
        let glossary = article.glossary(config);
        let search_text: Vec<String> = document
            .blocks()
            .iter()
            .map(|block| self.hand_edited[0].localize(block, &article.spans, &no_glossary))
            .collect();
        let (texts, contents) = self
            .by_variant
            .iter()
            .zip(&self.hand_edited)
            .zip(&self.date_formats)
            .map(|((l, plain), format)| {
                let date = article.front.date.display(format);
                match article.forks.get(l.variant()) {
                    Some(fork) => {
                        let document =
                            Document::parse_with(&fork.body, config.markdown.unsafe_html);
                        article_text(fork, &document, plain, &no_glossary, date, config)
                    }
                    None => article_text(article, &document, l, glossary, date, config),
                }
            })
            .unzip();
        ConvertedArticle {
            texts,
            body: Body {
                contents,
                search_text: search_text.join("\n"),
            },
        }
    }
}

impl Site {
    /// Puts `article` in place of article `index` (same slug, date and
    /// topics, so no list changes order) and converts only it: what the
    /// preview server does when one article is saved.
    pub fn replace_article(&mut self, index: usize, article: Article) {
        let localizers = Localizers::new(&self.config, &self.converters);
        let converted = localizers.article(&article, &self.config);
        drop(localizers);
        self.bodies.texts[index] = OnceLock::from(converted.texts);
        self.bodies.held[index] = Some(converted.body);
        self.articles[index] = article;
    }

    /// The body of article `index` (see [`Bodies`]). Fails only when the
    /// conversion cache lost its entry during this build.
    pub fn body(&self, index: usize) -> anyhow::Result<std::borrow::Cow<'_, Body>> {
        (self.bodies.get(index)).ok_or_else(|| self.lost(index))
    }

    /// The short texts of article `index` in edition number `edition` (see
    /// [`Bodies`]). Fails only when the conversion cache lost or damaged
    /// its entry during this build.
    pub fn text(&self, edition: usize, index: usize) -> anyhow::Result<&ArticleText> {
        let texts = self.bodies.texts(index);
        texts
            .and_then(|t| t.get(edition))
            .ok_or_else(|| self.lost(index))
    }

    /// Fails with [`LostText`] when one of the articles `converted` anew was
    /// taken from the record unread (its conversion entry went after the
    /// build listed the cache): what was converted lacks its body.
    pub fn converted_unread(&self, converted: &[usize]) -> anyhow::Result<()> {
        match converted.iter().find(|&&i| self.articles[i].unread()) {
            Some(&index) => Err(self.lost(index)),
            None => Ok(()),
        }
    }

    fn lost(&self, index: usize) -> anyhow::Error {
        let file = self.articles[index].file.clone();
        anyhow::Error::new(LostText { file })
    }

    /// Lets go of every article's Markdown and file text, which only the
    /// lints and the preview read: after the lints, a build needs the
    /// converted texts alone, and 30,000 articles' sources are about
    /// 170 MB.
    pub fn forget_sources(&mut self) {
        self.articles.iter_mut().for_each(forget_source);
    }
}

/// [`Site::forget_sources`] for one article and its hand-edited variants.
fn forget_source(article: &mut Article) {
    article.body = String::new();
    article.text = String::new();
    article.forks.values_mut().for_each(forget_source);
}

/// One article's reader-visible text through `localizer`: its short texts
/// and its body as HTML.
fn article_text(
    article: &Article,
    document: &Document<'_>,
    localizer: &Localizer<'_>,
    glossary: &Glossary,
    date: String,
    config: &SiteConfig,
) -> (ArticleText, String) {
    let localize = |text: &str| localizer.localize(text, &article.spans, glossary);
    let summary = match &article.front.summary {
        Some(summary) => localize(summary),
        None => {
            let first = document.first_paragraph().unwrap_or_default();
            localize(&text::cut_summary(&first, config.summary_length))
        }
    };
    let text = ArticleText {
        title: localize(&article.front.title),
        subtitle: article.front.subtitle.as_deref().map(localize),
        summary,
        byline: article.front.byline.as_deref().map(localize),
        caption: article.front.caption.as_deref().map(localize),
        alt: article.front.alt.as_deref().map(localize),
        credit: article.front.credit.as_deref().map(localize),
        date,
    };
    let photo = |address: &str| article.photo(address);
    let sizes = &config.photos.sizes;
    (text, document.to_html_with_photos(&localize, &photo, sizes))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::convert::default_engine;
    use std::path::Path;

    const SITE: &str = "\
title: 港聞科創
description: 香港科技新聞
base_url: https://example.org/
summary_length: 8
date_format: \"%Y年%-m月%-d日\"
variants:
  zh-hant: {lang: zh-Hant-HK, name: 繁體, prefix: zh-hant}
  zh-hans: {lang: zh-Hans, name: 简体, prefix: zh-hans, opencc: [hk2s]}
topics:
  ai: {name: 人工智能, description: 人工智能發展}
  green-tech: {name: 綠色科技}
ui:
  home: 首頁
";

    fn article(slug: &str, date: &str, topics: &str, body: &str) -> Article {
        let text = format!("---\ntitle: 數碼港{slug}\ndate: {date}\ntopics: {topics}\n---\n{body}");
        let config = SiteConfig::parse(SITE).expect("valid site");
        Article::parse(Path::new(&format!("content/{slug}.md")), &text, &config).expect("valid")
    }

    fn assemble(articles: Vec<Article>) -> Site {
        Site::assemble(
            SiteConfig::parse(SITE).expect("valid"),
            articles,
            &default_engine(),
        )
        .expect("assembles")
    }

    #[test]
    fn every_site_string_is_converted_per_variant() {
        let site = assemble(vec![article(
            "a",
            "2025-03-07",
            "[ai]",
            "研發專利是鞏固創科發展的關鍵。",
        )]);
        let [hant, hans] = &site.editions[..] else {
            panic!("two editions")
        };
        assert_eq!(
            (hant.title.as_str(), hans.title.as_str()),
            ("港聞科創", "港闻科创")
        );
        assert_eq!(hans.description, "香港科技新闻");
        assert_eq!(hans.ui["home"], "首页");
        assert_eq!(hans.topics["ai"].name, "人工智能");
        assert_eq!(hans.topics["green-tech"].name, "绿色科技");
        let text = site.text(1, 0).expect("held");
        assert_eq!(text.title, "数码港a");
        assert_eq!(text.summary, "研发专利是巩固创……");
        assert_eq!(text.date, "2025年3月7日");
        let body = site.body(0).expect("held");
        assert_eq!(body.contents[0], "<p>研發專利是鞏固創科發展的關鍵。</p>\n");
        assert_eq!(body.contents[1], "<p>研发专利是巩固创科发展的关键。</p>\n");
    }

    /// A store in memory that keeps what it is given when `keeps`, and can
    /// lose everything.
    #[derive(Default)]
    struct Memory {
        keeps: bool,
        entries: std::sync::Mutex<std::collections::HashMap<usize, ConvertedArticle>>,
    }

    impl ConversionStore for Memory {
        fn load(&self, index: usize) -> Option<ConvertedArticle> {
            self.entries.lock().expect("lock").get(&index).cloned()
        }
        fn store(&self, index: usize, converted: &ConvertedArticle) -> bool {
            if self.keeps {
                self.entries
                    .lock()
                    .expect("lock")
                    .insert(index, converted.clone());
            }
            self.keeps
        }
    }

    #[test]
    fn bodies_a_store_keeps_are_read_back_and_the_rest_held() {
        let assemble_with = |store: Arc<Memory>| {
            let config = SiteConfig::parse(SITE).expect("valid");
            let articles = vec![article("a", "2025-03-07", "[ai]", "數碼港**發展**。")];
            let topics = crate::source::topic_members(&config, &articles);
            let engine = default_engine();
            let mut report = Report::default();
            let dyn_store: Arc<dyn ConversionStore + Send> = store;
            let (site, converted) = Site::assemble_cached(
                config,
                articles,
                topics,
                &engine,
                Some(dyn_store),
                &mut report,
            );
            assert_eq!(converted, [0], "converted anew");
            site
        };
        let kept = Arc::new(Memory {
            keeps: true,
            ..Memory::default()
        });
        let site = assemble_with(kept.clone());
        assert!(site.bodies.held[0].is_none(), "left in the store");
        let body = site.body(0).expect("read back");
        assert_eq!(body.contents[1], "<p>数码港<strong>发展</strong>。</p>\n");
        assert_eq!(body.search_text, "數碼港發展。");
        // An entry lost during the build is an error that says what to do.
        kept.entries.lock().expect("lock").clear();
        let lost = site.body(0).expect_err("lost").to_string();
        assert!(
            lost.contains("content/a.md") && lost.contains("build again"),
            "{lost}"
        );

        // A store that cannot keep anything: the site holds the body.
        let site = assemble_with(Arc::new(Memory::default()));
        let body = site.body(0).expect("held");
        assert_eq!(body.contents[0], "<p>數碼港<strong>發展</strong>。</p>\n");
    }

    #[test]
    fn topics_collect_their_articles_in_article_order() {
        let site = assemble(vec![
            article("new", "2025-03-07", "[ai, green-tech]", "新"),
            article("old", "2025-03-01", "[ai, ai]", "舊"),
        ]);
        assert_eq!(
            site.topic_articles["ai"],
            [0, 1],
            "a repeated topic counts once"
        );
        assert_eq!(site.topic_articles["green-tech"], [0]);
    }

    #[test]
    fn every_text_field_of_the_front_matter_reaches_readers() {
        // The fields `check` scans and `-{…}-` steers are the fields each
        // variant's text carries: one list, FrontMatter::TEXT_KEYS.
        let site = assemble(vec![article("a", "2025-03-07", "[ai]", "正文。")]);
        let text = serde_json::to_value(site.text(1, 0).expect("held")).expect("serializes");
        for key in crate::source::front_matter::FrontMatter::TEXT_KEYS {
            assert!(text.get(key).is_some(), "`{key}` is converted for readers");
        }
    }
}
