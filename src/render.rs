//! Pages: which ones a site has, where each is written, and the view each
//! template receives.
//!
//! A [`Route`] is a page independent of script (the second page of topic
//! `ai`); each variant renders every route under its own prefix, so every
//! page has a counterpart in every other script, which the switcher and the
//! hreflang links point at. Templates get their own serializable view
//! structs whose links are ready to use from the page they appear on:
//! relative links (so the site works under any sub-path and on any host),
//! except on 404 pages, which a host serves at any address and which
//! therefore link from `base_url`'s path.

use std::path::Path;

use anyhow::{Context as _, Result};
use serde::Serialize;
use tera::{Context, Tera};

use crate::site::{ArticleText, Edition, Site};

/// The folder of templates, under the site root.
pub const TEMPLATES_DIR: &str = "templates";

/// The site's Tera templates, parsed once per build.
pub struct Templates {
    tera: Tera,
}

impl Templates {
    /// Parses every `.html` template under `dir`.
    pub fn load(dir: &Path) -> Result<Templates> {
        let mut sources = Vec::new();
        for relative in crate::fs::files_under(dir)? {
            if relative.extension().is_some_and(|e| e == "html") {
                let text = crate::fs::read_text(&dir.join(&relative))?;
                let name = relative.to_string_lossy().replace('\\', "/");
                sources.push((name, text));
            }
        }
        let mut tera = Tera::default();
        // Tera's default also escapes `/`, which is safe but turns every URL
        // into `https:&#x2F;&#x2F;…`; these five are all HTML needs, in text
        // and in quoted attributes alike.
        tera.set_escape_fn(escape_html);
        tera.add_raw_templates(sources).map_err(|e| {
            anyhow::anyhow!("{}", error_chain(&e))
                .context(format!("the templates in {} do not compile", dir.display()))
        })?;
        for required in Route::TEMPLATES {
            if !tera.get_template_names().any(|n| n == *required) {
                anyhow::bail!(
                    "{} has no `{required}`; every site needs {}",
                    dir.display(),
                    Route::TEMPLATES.join(", ")
                );
            }
        }
        Ok(Templates { tera })
    }

    fn render(&self, name: &str, context: &Context) -> Result<String> {
        self.tera
            .render(name, context)
            .map_err(|e| anyhow::anyhow!("{}", error_chain(&e)))
    }
}

/// Escapes text for HTML content and double- or single-quoted attributes.
fn escape_html(input: &str) -> String {
    let mut out = String::with_capacity(input.len() + input.len() / 8);
    for c in input.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

/// Tera's errors nest the useful part ("Variable `x` not found") in their
/// sources; show the whole chain on one line per cause.
fn error_chain(e: &dyn std::error::Error) -> String {
    let mut message = e.to_string();
    let mut source = e.source();
    while let Some(cause) = source {
        message.push_str(&format!("\n  caused by: {cause}"));
        source = cause.source();
    }
    message
}

/// A page of the site, the same in every script.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Route {
    /// The home page, or page N of the latest articles.
    Home {
        /// 1-based page number.
        page: usize,
    },
    /// An article.
    Article {
        /// Index into [`Site::articles`].
        index: usize,
    },
    /// The list of all topics.
    Topics,
    /// The articles of one topic.
    Topic {
        /// Topic key.
        key: String,
        /// 1-based page number.
        page: usize,
    },
    /// The page a host shows for a missing address.
    NotFound,
}

impl Route {
    /// The templates every site must have.
    pub const TEMPLATES: &'static [&'static str] = &[
        "index.html",
        "article.html",
        "topics.html",
        "topic.html",
        "404.html",
        "root.html",
    ];

    /// Every route of `site`, in a stable order.
    pub fn all(site: &Site) -> Vec<Route> {
        let per_page = site.config.paginate_by;
        let mut routes: Vec<Route> = (1..=page_count(site.articles.len(), per_page))
            .map(|page| Route::Home { page })
            .collect();
        routes.extend((0..site.articles.len()).map(|index| Route::Article { index }));
        routes.push(Route::Topics);
        for (key, members) in &site.topic_articles {
            for page in 1..=page_count(members.len(), per_page) {
                routes.push(Route::Topic {
                    key: key.clone(),
                    page,
                });
            }
        }
        routes.push(Route::NotFound);
        routes
    }

    /// The URL path of this route under `prefix`, relative to the site root:
    /// `zh-hans/articles/<slug>/`.
    pub fn path(&self, site: &Site, prefix: &str) -> String {
        match self {
            Route::Home { page: 1 } => format!("{prefix}/"),
            Route::Home { page } => format!("{prefix}/page/{page}/"),
            Route::Article { index } => {
                format!("{prefix}/articles/{}/", site.articles[*index].slug)
            }
            Route::Topics => format!("{prefix}/topics/"),
            Route::Topic { key, page: 1 } => format!("{prefix}/topics/{key}/"),
            Route::Topic { key, page } => format!("{prefix}/topics/{key}/page/{page}/"),
            Route::NotFound => format!("{prefix}/404.html"),
        }
    }

    fn template(&self) -> &'static str {
        match self {
            Route::Home { .. } => "index.html",
            Route::Article { .. } => "article.html",
            Route::Topics => "topics.html",
            Route::Topic { .. } => "topic.html",
            Route::NotFound => "404.html",
        }
    }

    fn kind(&self) -> &'static str {
        match self {
            Route::Home { .. } => "home",
            Route::Article { .. } => "article",
            Route::Topics => "topics",
            Route::Topic { .. } => "topic",
            Route::NotFound => "not_found",
        }
    }
}

fn page_count(items: usize, per_page: usize) -> usize {
    items.div_ceil(per_page).max(1)
}

/// The file a URL path is written to: `a/b/` → `a/b/index.html`.
pub fn file_for(path: &str) -> String {
    if path.is_empty() || path.ends_with('/') {
        format!("{path}index.html")
    } else {
        path.to_string()
    }
}

/// How to reach the site root from a page at `path`: `zh-hant/articles/x/`
/// gives `../../../`.
fn relative_root(path: &str) -> String {
    "../".repeat(path.matches('/').count())
}

#[derive(Serialize)]
struct SiteView<'a> {
    title: &'a str,
    description: &'a str,
    base_url: &'a str,
    key: &'a str,
    lang: &'a str,
    name: &'a str,
    ui: &'a indexmap::IndexMap<String, String>,
    /// Link to this variant's home page.
    home: String,
    /// Link to this variant's topic list.
    topics_url: String,
    /// Link to the site's shared files (`static/` is copied to the root).
    assets: String,
    topics: Vec<TopicView<'a>>,
}

#[derive(Serialize)]
struct PageView<'a> {
    kind: &'static str,
    /// The key of the topic a topic page lists, for navigation.
    topic: Option<&'a str>,
    /// The page's own heading; empty where the template titles the page
    /// itself (home, topic list, 404).
    title: &'a str,
    description: &'a str,
    canonical: String,
    /// Links to this page in every variant, this one included.
    alternates: Vec<Alternate<'a>>,
    /// The page for readers whose language matches no variant.
    x_default: String,
}

#[derive(Serialize)]
struct Alternate<'a> {
    key: &'a str,
    lang: &'a str,
    name: &'a str,
    /// Absolute URL, for hreflang.
    url: String,
    /// Link from the current page, for the switcher.
    href: String,
    /// Link to that variant's home page.
    home: String,
    current: bool,
}

#[derive(Serialize)]
struct TopicView<'a> {
    key: &'a str,
    name: &'a str,
    description: &'a str,
    url: String,
    count: usize,
}

#[derive(Serialize)]
struct ArticleCard<'a> {
    slug: &'a str,
    title: &'a str,
    subtitle: Option<&'a str>,
    summary: &'a str,
    byline: Option<&'a str>,
    date: &'a str,
    date_iso: String,
    url: String,
    topics: Vec<TopicView<'a>>,
}

#[derive(Serialize)]
struct ArticleView<'a> {
    #[serde(flatten)]
    card: ArticleCard<'a>,
    content: &'a str,
    image: Option<String>,
    caption: Option<&'a str>,
}

#[derive(Serialize)]
struct Pagination {
    current: usize,
    total: usize,
    prev: Option<String>,
    next: Option<String>,
    pages: Vec<PageLink>,
}

#[derive(Serialize)]
struct PageLink {
    number: usize,
    url: String,
    current: bool,
}

/// Renders pages of one site; links are built for the page being rendered.
pub struct Renderer<'a> {
    site: &'a Site,
    templates: &'a Templates,
    /// Every article index, newest first: the home pages' list.
    all_articles: Vec<usize>,
}

impl<'a> Renderer<'a> {
    /// A renderer for `site` with `templates`.
    pub fn new(site: &'a Site, templates: &'a Templates) -> Self {
        Renderer {
            site,
            templates,
            all_articles: (0..site.articles.len()).collect(),
        }
    }

    /// Renders `route` in edition `edition` (an index into
    /// [`Site::editions`]); returns the output file and its HTML.
    pub fn page(&self, route: &Route, edition: usize) -> Result<(String, String)> {
        let site = self.site;
        let ed = &site.editions[edition];
        let path = route.path(site, &ed.variant.prefix);
        let root = match route {
            Route::NotFound => site.config.base_path.clone(),
            _ => relative_root(&path),
        };
        let links = Links {
            site,
            edition: ed,
            root: &root,
        };
        let mut context = Context::new();
        context.insert("site", &links.site_view());

        let (title, description): (&str, &str) = match route {
            Route::Home { page } => {
                let (cards, pagination) =
                    links.paginate(&self.all_articles, *page, |p| Route::Home { page: p });
                context.insert("articles", &cards);
                context.insert("pagination", &pagination);
                ("", &ed.description)
            }
            Route::Article { index } => {
                let text = &ed.articles[*index];
                let article = &site.articles[*index];
                let image = article
                    .front
                    .image
                    .as_deref()
                    .map(|image| links.asset(image));
                context.insert(
                    "article",
                    &ArticleView {
                        card: links.card(*index),
                        content: &text.content,
                        image,
                        caption: text.caption.as_deref(),
                    },
                );
                (&text.title, &text.summary)
            }
            // The templates title these pages from their own UI strings.
            Route::Topics | Route::NotFound => ("", &ed.description),
            Route::Topic { key, page } => {
                let members = &site.topic_articles[key];
                let (cards, pagination) = links.paginate(members, *page, |p| Route::Topic {
                    key: key.clone(),
                    page: p,
                });
                context.insert("articles", &cards);
                context.insert("pagination", &pagination);
                context.insert("topic", &links.topic(key));
                let topic = &ed.topics[key];
                (&topic.name, &topic.description)
            }
        };
        context.insert(
            "page",
            &PageView {
                kind: route.kind(),
                topic: match route {
                    Route::Topic { key, .. } => Some(key),
                    _ => None,
                },
                title,
                description,
                canonical: format!("{}{path}", site.config.base_url),
                alternates: links.alternates(route),
                x_default: format!(
                    "{}{}",
                    site.config.base_url,
                    route.path(site, &site.editions[0].variant.prefix)
                ),
            },
        );
        let html = self
            .templates
            .render(route.template(), &context)
            .with_context(|| format!("cannot render {}", file_for(&path)))?;
        Ok((file_for(&path), html))
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
        let mut context = Context::new();
        // In a <script>, `</script>` or `<!--` inside a string would end or
        // break it: JSON allows `<` to be written as \u003c.
        let for_script: Vec<serde_json::Value> = choices
            .iter()
            .map(|c| {
                serde_json::json!({
                    "key": c.key,
                    "href": c.href,
                    "accept_languages": c.accept_languages,
                })
            })
            .collect();
        let json = serde_json::to_string(&for_script)?.replace('<', "\\u003c");
        context.insert("choices", &choices);
        context.insert("choices_json", &json);
        context.insert("base_url", &self.site.config.base_url);
        context.insert("source", &choices[0]);
        self.templates
            .render("root.html", &context)
            .context("cannot render index.html")
    }
}

struct Links<'a> {
    site: &'a Site,
    edition: &'a Edition,
    root: &'a str,
}

impl<'a> Links<'a> {
    fn href(&self, route: &Route) -> String {
        format!(
            "{}{}",
            self.root,
            route.path(self.site, &self.edition.variant.prefix)
        )
    }

    /// A link to a file from static/, or an absolute URL as it is.
    fn asset(&self, path: &str) -> String {
        if path.contains("://") || path.starts_with("//") {
            path.to_string()
        } else {
            format!("{}{}", self.root, path.trim_start_matches('/'))
        }
    }

    fn site_view(&self) -> SiteView<'a> {
        let ed = self.edition;
        SiteView {
            title: &ed.title,
            description: &ed.description,
            base_url: &self.site.config.base_url,
            key: &ed.variant.key,
            lang: &ed.variant.lang,
            name: &ed.variant.name,
            ui: &ed.ui,
            home: self.href(&Route::Home { page: 1 }),
            topics_url: self.href(&Route::Topics),
            assets: self.root.to_string(),
            topics: self
                .site
                .topic_articles
                .keys()
                .map(|key| self.topic(key))
                .collect(),
        }
    }

    fn topic(&self, key: &'a str) -> TopicView<'a> {
        let text = &self.edition.topics[key];
        TopicView {
            key,
            name: &text.name,
            description: &text.description,
            url: self.href(&Route::Topic {
                key: key.to_string(),
                page: 1,
            }),
            count: self.site.topic_articles[key].len(),
        }
    }

    fn card(&self, index: usize) -> ArticleCard<'a> {
        let article = &self.site.articles[index];
        let text: &'a ArticleText = &self.edition.articles[index];
        ArticleCard {
            slug: &article.slug,
            title: &text.title,
            subtitle: text.subtitle.as_deref(),
            summary: &text.summary,
            byline: text.byline.as_deref(),
            date: &text.date,
            date_iso: article.front.date.iso(),
            url: self.href(&Route::Article { index }),
            topics: article
                .front
                .topics
                .iter()
                .map(|(key, _)| self.topic(key))
                .collect(),
        }
    }

    fn paginate(
        &self,
        members: &[usize],
        page: usize,
        route_of: impl Fn(usize) -> Route,
    ) -> (Vec<ArticleCard<'a>>, Pagination) {
        let per_page = self.site.config.paginate_by;
        let total = page_count(members.len(), per_page);
        let cards = members
            .iter()
            .skip((page - 1) * per_page)
            .take(per_page)
            .map(|&i| self.card(i))
            .collect();
        let pagination = Pagination {
            current: page,
            total,
            prev: (page > 1).then(|| self.href(&route_of(page - 1))),
            next: (page < total).then(|| self.href(&route_of(page + 1))),
            pages: (1..=total)
                .map(|number| PageLink {
                    number,
                    url: self.href(&route_of(number)),
                    current: number == page,
                })
                .collect(),
        };
        (cards, pagination)
    }

    fn alternates(&self, route: &Route) -> Vec<Alternate<'a>> {
        self.site
            .editions
            .iter()
            .map(|ed| {
                let path = route.path(self.site, &ed.variant.prefix);
                Alternate {
                    key: &ed.variant.key,
                    lang: &ed.variant.lang,
                    name: &ed.variant.name,
                    url: format!("{}{path}", self.site.config.base_url),
                    href: format!("{}{path}", self.root),
                    home: format!(
                        "{}{}",
                        self.root,
                        Route::Home { page: 1 }.path(self.site, &ed.variant.prefix)
                    ),
                    current: ed.variant.key == self.edition.variant.key,
                }
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clean_urls_map_to_index_files() {
        assert_eq!(
            file_for("zh-hans/articles/a/"),
            "zh-hans/articles/a/index.html"
        );
        assert_eq!(file_for("zh-hans/404.html"), "zh-hans/404.html");
        assert_eq!(file_for(""), "index.html");
    }

    #[test]
    fn relative_root_climbs_one_level_per_folder() {
        assert_eq!(relative_root("zh-hant/"), "../");
        assert_eq!(
            relative_root("zh-hant/topics/ai/page/2/"),
            "../../../../../"
        );
        assert_eq!(relative_root(""), "");
    }

    #[test]
    fn escaping_makes_markup_inert_but_keeps_urls_readable() {
        assert_eq!(
            escape_html("<script>\"'&</title>"),
            "&lt;script&gt;&quot;&#39;&amp;&lt;/title&gt;"
        );
        assert_eq!(
            escape_html("https://example.org/a/"),
            "https://example.org/a/"
        );
    }

    #[test]
    fn page_count_is_at_least_one() {
        assert_eq!(page_count(0, 10), 1);
        assert_eq!(page_count(10, 10), 1);
        assert_eq!(page_count(11, 10), 2);
    }
}
