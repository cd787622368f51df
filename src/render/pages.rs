//! Pages and feeds: each route rendered in each script through its
//! template, and the root page where a reader chooses a script.

use anyhow::{Context as _, Result};
use serde::Serialize;
use tera::Context;

use std::borrow::Cow;

use crate::convert::site::{Body, Site};
use crate::layout::ARTICLES_DIR;
use crate::render::archive::Scope;
use crate::render::routes::{file_for, relative_root, Route, INDEX_FILE};
use crate::render::templates::{script_json, Templates};
use crate::render::views::*;

/// Renders pages of one site; links are built for the page being rendered.
pub struct Renderer<'a> {
    pub(crate) site: &'a Site,
    pub(crate) templates: &'a Templates,
}

impl<'a> Renderer<'a> {
    /// A renderer for `site` with `templates`.
    pub fn new(site: &'a Site, templates: &'a Templates) -> Self {
        Renderer { site, templates }
    }

    /// Renders `route` in edition `edition` (an index into
    /// [`Site::editions`]); returns the output file and its text.
    pub fn page(&self, route: &'a Route, edition: usize) -> Result<(String, String)> {
        self.page_sharing(route, edition, &mut None)
    }

    /// [`Renderer::page`], for the pages of one route in several editions:
    /// `body` holds the article's body once read (an article page reads it
    /// back from the cache), for the next edition.
    pub fn page_sharing(
        &self,
        route: &'a Route,
        edition: usize,
        body: &mut Option<Cow<'a, Body>>,
    ) -> Result<(String, String)> {
        let site = self.site;
        if let (Route::Article { index }, None) = (route, &body) {
            *body = Some(site.body(*index)?);
        }
        let ed = &site.editions[edition];
        let path = route.path(site, &ed.variant.prefix);
        let root = match route {
            Route::NotFound => site.config.base_path.clone(),
            _ => relative_root(&path),
        };
        let links = Links {
            site,
            edition: ed,
            number: edition,
            root: &root,
        };
        let mut context = Context::new();
        context.insert("site", &links.site_view());
        match route {
            Route::Feed => context.insert("feed", &links.feed(&site.newest, None, edition)?),
            Route::TopicFeed { key } => context.insert(
                "feed",
                &links.feed(&site.topic_articles[key], Some(key), edition)?,
            ),
            _ => {
                let page = self.page_view(route, edition, body.as_deref(), &links, &mut context)?;
                context.insert("page", &page);
            }
        }
        let text = self
            .templates
            .render(route.template(), &context)
            .with_context(|| format!("cannot render {}", file_for(&path)))?;
        Ok((file_for(&path), text))
    }

    /// Fills `context` for an HTML page and returns the page's own view.
    fn page_view(
        &self,
        route: &'a Route,
        edition: usize,
        body: Option<&Body>,
        links: &Links<'a>,
        context: &mut Context,
    ) -> Result<PageView<'a>> {
        let site = self.site;
        let ed = links.edition;
        let mut page = PageView {
            kind: route.kind(),
            topic: None,
            // The templates title the other pages from their UI strings.
            title: Cow::Borrowed(""),
            description: &ed.description,
            canonical: links.absolute(route),
            alternates: links.alternates(route),
            x_default: format!(
                "{}{}",
                site.config.base_url,
                route.path(site, &site.editions[0].variant.prefix)
            ),
            og_type: "website",
            og_locale: &ed.variant.og_locale,
            og_locale_alternates: site
                .editions
                .iter()
                .filter(|e| e.variant.key != ed.variant.key)
                .map(|e| e.variant.og_locale.as_str())
                .collect(),
            image: None,
            image_size: None,
            published: None,
            modified: None,
            section: None,
            json_ld: None,
            feeds: vec![FeedLink {
                title: ed.title.clone(),
                url: links.absolute(&Route::Feed),
            }],
        };
        match route {
            Route::Home
            | Route::Topic { .. }
            | Route::Archive { .. }
            | Route::ArchiveIndex { .. } => {
                self.list_view(route, links, &mut page, context)?;
            }
            Route::Article { index } => {
                let body = body.expect("read for article pages");
                self.article_view(*index, edition, body, links, &mut page, context)?;
            }
            Route::Search => {
                context.insert(
                    "search",
                    &serde_json::json!({
                        "tiers": crate::render::search::tier_paths(site)
                            .iter()
                            .map(|path| format!("{}{path}", links.root))
                            .collect::<Vec<_>>(),
                        "articles": format!("{}{}/{ARTICLES_DIR}/", links.root, ed.variant.prefix),
                        "variant": ed.variant.key,
                        "table": format!("{}{}", links.root, crate::render::search::TABLE_FILE),
                    }),
                );
            }
            Route::Topics | Route::NotFound | Route::Feed | Route::TopicFeed { .. } => {}
        }
        Ok(page)
    }

    /// A front page, a period's page or an archive index: its articles,
    /// where it leads in its archive, and its topic.
    fn list_view(
        &self,
        route: &'a Route,
        links: &Links<'a>,
        page: &mut PageView<'a>,
        context: &mut Context,
    ) -> Result<()> {
        let (site, ed) = (self.site, links.edition);
        let scope = route.scope().expect("list pages belong to an archive");
        context.insert("articles", &links.cards(&route.members(site))?);
        let nav = links.archive_nav(route, &scope);
        if let Scope::Topic(key) = &scope {
            let (key, topic) = ed.topics.get_key_value(key).expect("a topic of site.yaml");
            context.insert("topic", &links.topic(key));
            page.topic = Some(key);
            page.title = Cow::Borrowed(&topic.name);
            page.description = &topic.description;
            page.feeds.push(FeedLink {
                title: format!("{} · {}", topic.name, ed.title),
                url: links.absolute(&Route::TopicFeed { key: key.clone() }),
            });
        }
        // A period's page and an archive index are titled by what they
        // hold: "人工智能 · 2025年3月", "2025年3月7日", "報道存檔".
        let heading = match route {
            Route::Archive { .. } => nav.period.clone(),
            Route::ArchiveIndex { .. } => ed.ui.get("archive").cloned(),
            _ => None,
        };
        if let Some(heading) = heading {
            let title = match &scope {
                Scope::Topic(key) => format!("{} · {heading}", ed.topics[key].name),
                Scope::Home => heading,
            };
            context.insert("heading", &title);
            page.title = Cow::Owned(title.clone());
        }
        context.insert("archive", &nav);
        Ok(())
    }

    /// An article page: its metadata in `page`, its view in `context`.
    fn article_view(
        &self,
        index: usize,
        edition: usize,
        body: &Body,
        links: &Links<'a>,
        page: &mut PageView<'a>,
        context: &mut Context,
    ) -> Result<()> {
        let (site, ed) = (self.site, links.edition);
        let text = links.text(index)?;
        let article = &site.articles[index];
        let image = article
            .front
            .image
            .as_deref()
            .map(|image| links.asset(image));
        let section = article
            .front
            .topics
            .first()
            .map(|(key, _)| ed.topics[key].name.as_str());
        page.title = Cow::Borrowed(&text.title);
        page.description = &text.summary;
        page.og_type = "article";
        // Link previews get the shared JPEG of a processed lead photo.
        let share = article.lead_photo().map(|p| &p.share);
        page.image = match share {
            Some(share) => Some(links.absolute_asset(&share.file)),
            None => (article.front.image.as_deref()).map(|i| links.absolute_asset(i)),
        };
        page.image_size = share.map(|s| (s.width, s.height));
        page.published = Some(article.front.date.rfc3339());
        page.modified = Some(
            article
                .front
                .updated
                .unwrap_or(article.front.date)
                .rfc3339(),
        );
        page.section = section;
        page.json_ld = Some(links.news_article(index, page)?);
        context.insert(
            "article",
            &ArticleView {
                card: links.card(index)?,
                content: &body.contents[edition],
                image,
                caption: text.caption.as_deref(),
                alt: text.alt.as_deref(),
                credit: text.credit.as_deref(),
                photo: article.lead_photo().map(|photo| {
                    let alt =
                        (text.alt.as_deref().or(text.caption.as_deref())).unwrap_or(&text.title);
                    links.photo_view(photo, alt, &site.config.photos.sizes)
                }),
            },
        );
        Ok(())
    }

    /// The root page that lets a reader choose a script.
    pub fn root(&self) -> Result<String> {
        #[derive(Serialize)]
        struct Choice<'a> {
            key: &'a str,
            lang: &'a str,
            name: &'a str,
            title: &'a str,
            description: &'a str,
            ui: &'a indexmap::IndexMap<String, String>,
            href: String,
            accept_languages: &'a [String],
        }
        let choices: Vec<Choice<'_>> = self
            .site
            .editions
            .iter()
            .map(|ed| Choice {
                key: &ed.variant.key,
                lang: &ed.variant.lang,
                name: &ed.variant.name,
                title: &ed.title,
                description: &ed.description,
                ui: &ed.ui,
                href: format!("{}/", ed.variant.prefix),
                accept_languages: &ed.variant.accept_languages,
            })
            .collect();
        // The redirect script needs only these; `<` is escaped for <script>.
        let for_script: Vec<serde_json::Value> = choices
            .iter()
            .map(|c| serde_json::json!({"key": c.key, "href": c.href, "accept_languages": c.accept_languages}))
            .collect();
        let mut context = Context::new();
        context.insert("choices", &choices);
        context.insert("choices_json", &script_json(&for_script));
        context.insert("base_url", &self.site.config.base_url);
        context.insert("source", &choices[0]);
        self.templates
            .render("root.html", &context)
            .with_context(|| format!("cannot render {INDEX_FILE}"))
    }
}
