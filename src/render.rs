//! Pages and feeds: which a site has, where each is written, and the view
//! each template receives.
//!
//! A [`Route`] is a page independent of script (the second page of topic
//! `ai`); each variant renders every route under its own prefix, so every
//! page has a counterpart in every other script, which the switcher, the
//! hreflang links and the sitemap point at. Templates get their own
//! serializable view structs whose links are ready to use from the page they
//! appear on: relative links (so the site works under any sub-path and on any
//! host), except on 404 pages, which a host serves at any address and which
//! therefore link from `base_url`'s path, and in feeds and metadata, which
//! need absolute URLs.

use std::path::Path;

use anyhow::{Context as _, Result};
use serde::Serialize;
use tera::{Context, Tera};

use crate::front_matter::Published;
use crate::site::{ArticleText, Edition, Site};

/// The folder of templates, under the site root.
pub const TEMPLATES_DIR: &str = "templates";

/// The site's Tera templates, parsed once per build.
pub struct Templates {
    tera: Tera,
    /// A hash of every template's name and text: incremental builds render
    /// everything again when it changes.
    pub fingerprint: String,
}

impl Templates {
    /// Parses every template (`.html`, `.xml`, `.txt`) under `dir`.
    pub fn load(dir: &Path) -> Result<Templates> {
        let mut sources = Vec::new();
        for relative in crate::fs::files_under(dir, dir.parent().unwrap_or(dir))? {
            if relative
                .extension()
                .is_some_and(|e| e == "html" || e == "xml" || e == "txt")
            {
                let text = crate::fs::read_text(&dir.join(&relative))?;
                let name = relative.to_string_lossy().replace('\\', "/");
                sources.push((name, text));
            }
        }
        let mut hasher = blake3::Hasher::new();
        for (name, text) in &sources {
            for part in [name.as_bytes(), text.as_bytes()] {
                hasher.update(&(part.len() as u64).to_le_bytes());
                hasher.update(part);
            }
        }
        let fingerprint = hasher.finalize().to_hex().to_string();
        let mut tera = Tera::default();
        // Tera's default also escapes `/`, which is safe but turns every URL
        // into `https:&#x2F;&#x2F;…`; these five are all HTML and XML need, in
        // text and in quoted attributes alike.
        tera.set_escape_fn(escape_html);
        tera.add_raw_templates(sources).map_err(|e| {
            anyhow::anyhow!("{}", error_chain(&e))
                .context(format!("the templates in {TEMPLATES_DIR}/ do not compile"))
        })?;
        for required in Route::TEMPLATES {
            if !tera.get_template_names().any(|n| n == *required) {
                anyhow::bail!(
                    "{TEMPLATES_DIR}/ has no `{required}`; every site needs {}",
                    Route::TEMPLATES.join(", ")
                );
            }
        }
        Ok(Templates { tera, fingerprint })
    }

    fn render(&self, name: &str, context: &Context) -> Result<String> {
        self.tera
            .render(name, context)
            .map_err(|e| anyhow::anyhow!("{}", error_chain(&e)))
    }
}

/// Escapes text for HTML and XML content and quoted attributes.
pub fn escape_html(input: &str) -> String {
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

/// JSON to place inside a `<script>`: `<` written as `\u003c`, so no string
/// can close the script or open a comment.
pub fn script_json(value: &impl Serialize) -> String {
    serde_json::to_string(value)
        .expect("views serialize")
        .replace('<', "\\u003c")
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

/// A page or feed of the site, the same in every script.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
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
    /// The search page.
    Search,
    /// The page a host shows for a missing address.
    NotFound,
    /// The Atom feed of the latest articles.
    Feed,
    /// The Atom feed of one topic.
    TopicFeed {
        /// Topic key.
        key: String,
    },
}

impl Route {
    /// The templates every site must have.
    pub const TEMPLATES: &'static [&'static str] = &[
        "index.html",
        "article.html",
        "topics.html",
        "topic.html",
        "search.html",
        "404.html",
        "root.html",
        "atom.xml",
        "sitemap.xml",
        "robots.txt",
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
            routes.push(Route::TopicFeed { key: key.clone() });
        }
        routes.extend([Route::Search, Route::NotFound, Route::Feed]);
        routes
    }

    /// The articles this route's page shows (a list page's page of them, a
    /// feed's newest, an article itself): what its output depends on beyond
    /// the site-wide inputs.
    pub fn members(&self, site: &Site) -> Vec<usize> {
        let per_page = site.config.paginate_by;
        let page_of = |members: &[usize], page: usize| -> Vec<usize> {
            members
                .iter()
                .skip((page - 1) * per_page)
                .take(per_page)
                .copied()
                .collect()
        };
        match self {
            Route::Home { page } => {
                let first = (page - 1) * per_page;
                (first..(first + per_page).min(site.articles.len())).collect()
            }
            Route::Article { index } => vec![*index],
            Route::Topic { key, page } => page_of(&site.topic_articles[key], *page),
            Route::Feed => (0..site.articles.len().min(site.config.feed_limit)).collect(),
            Route::TopicFeed { key } => site.topic_articles[key]
                .iter()
                .take(site.config.feed_limit)
                .copied()
                .collect(),
            Route::Topics | Route::Search | Route::NotFound => Vec::new(),
        }
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
            Route::Search => format!("{prefix}/search/"),
            Route::NotFound => format!("{prefix}/404.html"),
            Route::Feed => format!("{prefix}/atom.xml"),
            Route::TopicFeed { key } => format!("{prefix}/topics/{key}/atom.xml"),
        }
    }

    fn template(&self) -> &'static str {
        match self {
            Route::Home { .. } => "index.html",
            Route::Article { .. } => "article.html",
            Route::Topics => "topics.html",
            Route::Topic { .. } => "topic.html",
            Route::Search => "search.html",
            Route::NotFound => "404.html",
            Route::Feed | Route::TopicFeed { .. } => "atom.xml",
        }
    }

    fn kind(&self) -> &'static str {
        match self {
            Route::Home { .. } => "home",
            Route::Article { .. } => "article",
            Route::Topics => "topics",
            Route::Topic { .. } => "topic",
            Route::Search => "search",
            Route::NotFound => "not_found",
            Route::Feed | Route::TopicFeed { .. } => "feed",
        }
    }

    /// Whether search engines should find this page (the sitemap lists it).
    fn is_listed(&self) -> bool {
        matches!(
            self,
            Route::Home { .. } | Route::Article { .. } | Route::Topics | Route::Topic { .. }
        )
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
    /// Link to this variant's search page.
    search_url: String,
    /// Absolute URL of this variant's Atom feed.
    feed_url: String,
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
    /// itself (home, topic list, search, 404).
    title: &'a str,
    description: &'a str,
    canonical: String,
    /// Links to this page in every variant, this one included.
    alternates: Vec<Alternate<'a>>,
    /// The page for readers whose language matches no variant.
    x_default: String,
    /// Open Graph: `article` or `website`, the locale and the others.
    og_type: &'static str,
    og_locale: &'a str,
    og_locale_alternates: Vec<&'a str>,
    /// Absolute URL of the lead image, when there is one.
    image: Option<String>,
    /// For articles: RFC 3339 publication and modification times.
    published: Option<String>,
    modified: Option<String>,
    /// For articles: the first topic's name.
    section: Option<&'a str>,
    /// For articles: the schema.org NewsArticle, as JSON safe in a script.
    json_ld: Option<String>,
    /// Atom feeds covering this page: (title, absolute URL).
    feeds: Vec<FeedLink>,
}

#[derive(Serialize)]
struct FeedLink {
    title: String,
    url: String,
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
    /// Stands for the pages left out between two links ("…").
    gap: bool,
}

/// The page numbers a pagination bar shows: the first and last pages and two
/// either side of the current one, `None` where pages are left out. An archive
/// of ten thousand articles has a thousand pages; listing them all on each
/// page would make every page's size, and the build, grow with the archive.
fn page_window(current: usize, total: usize) -> Vec<Option<usize>> {
    const AROUND: usize = 2;
    let mut numbers: Vec<usize> = vec![1, total];
    numbers.extend(current.saturating_sub(AROUND).max(1)..=(current + AROUND).min(total));
    numbers.sort_unstable();
    numbers.dedup();
    let mut shown = Vec::with_capacity(numbers.len() + 2);
    for number in numbers.into_iter().filter(|&n| n >= 1) {
        match shown.last() {
            // A gap of one page is shown as that page: "1 2 3" reads better than "1 … 3".
            Some(&Some(before)) if number == before + 2 => shown.push(Some(before + 1)),
            Some(&Some(before)) if number > before + 2 => shown.push(None),
            _ => {}
        }
        shown.push(Some(number));
    }
    shown
}

#[derive(Serialize)]
struct FeedView<'a> {
    title: String,
    subtitle: &'a str,
    lang: &'a str,
    /// The feed's own absolute URL (its id and `rel="self"`).
    url: String,
    /// The page the feed follows.
    alternate: String,
    /// The newest entry's time: not the build's, so builds are reproducible.
    updated: String,
    entries: Vec<FeedEntry<'a>>,
}

#[derive(Serialize)]
struct FeedEntry<'a> {
    title: &'a str,
    url: String,
    published: String,
    updated: String,
    summary: &'a str,
    byline: Option<&'a str>,
    topics: Vec<&'a str>,
    content: &'a str,
}

/// How much one sitemap file may hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SitemapLimits {
    /// Pages (`<url>` entries).
    pub urls: usize,
    /// Bytes, uncompressed.
    pub bytes: usize,
}

/// The file of part `number` (from 1) of a sitemap too large for one file.
pub fn sitemap_part(number: usize) -> String {
    format!("sitemap-{number}.xml")
}

/// Whether `file` is named as a sitemap part (`sitemap-12.xml`).
pub fn is_sitemap_part(file: &str) -> bool {
    file.strip_prefix("sitemap-")
        .and_then(|rest| rest.strip_suffix(".xml"))
        .is_some_and(|number| !number.is_empty() && number.bytes().all(|b| b.is_ascii_digit()))
}

impl SitemapLimits {
    /// The sitemap protocol's limits (sitemaps.org): 50,000 URLs and 50 MB
    /// per file. A two-script site reaches them at about 20,000 articles.
    pub const PROTOCOL: SitemapLimits = SitemapLimits {
        urls: 50_000,
        bytes: 50 * 1024 * 1024,
    };
}

#[derive(Serialize)]
struct SitemapEntry {
    url: String,
    lastmod: Option<String>,
    alternates: Vec<(String, String)>,
    x_default: String,
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
    /// [`Site::editions`]); returns the output file and its text.
    pub fn page(&self, route: &'a Route, edition: usize) -> Result<(String, String)> {
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
        match route {
            Route::Feed => context.insert("feed", &links.feed(&self.all_articles, None)),
            Route::TopicFeed { key } => {
                context.insert("feed", &links.feed(&site.topic_articles[key], Some(key)))
            }
            _ => {
                let page = self.page_view(route, &links, &mut context);
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
        links: &Links<'a>,
        context: &mut Context,
    ) -> PageView<'a> {
        let site = self.site;
        let ed = links.edition;
        let mut page = PageView {
            kind: route.kind(),
            topic: None,
            // The templates title the other pages from their UI strings.
            title: "",
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
            Route::Home { page: number } => {
                let (cards, pagination) =
                    links.paginate(&self.all_articles, *number, |p| Route::Home { page: p });
                context.insert("articles", &cards);
                context.insert("pagination", &pagination);
            }
            Route::Article { index } => {
                let text = &ed.articles[*index];
                let article = &site.articles[*index];
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
                page.title = &text.title;
                page.description = &text.summary;
                page.og_type = "article";
                page.image = article
                    .front
                    .image
                    .as_deref()
                    .map(|i| links.absolute_asset(i));
                page.published = Some(article.front.date.rfc3339());
                page.modified = Some(
                    article
                        .front
                        .updated
                        .unwrap_or(article.front.date)
                        .rfc3339(),
                );
                page.section = section;
                page.json_ld = Some(links.news_article(*index, &page));
                context.insert(
                    "article",
                    &ArticleView {
                        card: links.card(*index),
                        content: &text.content,
                        image,
                        caption: text.caption.as_deref(),
                    },
                );
            }
            Route::Topic { key, page: number } => {
                let members = &site.topic_articles[key];
                let (cards, pagination) = links.paginate(members, *number, |p| Route::Topic {
                    key: key.clone(),
                    page: p,
                });
                context.insert("articles", &cards);
                context.insert("pagination", &pagination);
                context.insert("topic", &links.topic(key));
                let topic = &ed.topics[key];
                page.topic = Some(key);
                page.title = &topic.name;
                page.description = &topic.description;
                page.feeds.push(FeedLink {
                    title: format!("{} · {}", topic.name, ed.title),
                    url: links.absolute(&Route::TopicFeed { key: key.clone() }),
                });
            }
            Route::Search => {
                context.insert(
                    "search",
                    &serde_json::json!({
                        "shards": crate::search::shard_paths(site)
                            .iter()
                            .map(|path| format!("{}{path}", links.root))
                            .collect::<Vec<_>>(),
                        "articles": format!("{}{}/articles/", links.root, ed.variant.prefix),
                        "variant": ed.variant.key,
                        "table": format!("{}{}", links.root, crate::search::TABLE_FILE),
                    }),
                );
            }
            Route::Topics | Route::NotFound | Route::Feed | Route::TopicFeed { .. } => {}
        }
        page
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
            .context("cannot render index.html")
    }

    /// The sitemap files, as (file at the output root, XML): `sitemap.xml`
    /// alone while the site fits in one file (the protocol's
    /// [`SitemapLimits::PROTOCOL`]), otherwise `sitemap.xml` as a sitemap
    /// index of `sitemap-1.xml`, `sitemap-2.xml`, … So robots.txt and
    /// search engines always start from `sitemap.xml`.
    pub fn sitemaps(&self) -> Result<Vec<(String, String)>> {
        self.sitemaps_within(SitemapLimits::PROTOCOL)
    }

    /// [`Renderer::sitemaps`] with files of at most `limits`.
    pub fn sitemaps_within(&self, limits: SitemapLimits) -> Result<Vec<(String, String)>> {
        let entries = self.sitemap_entries();
        let render = |entries: &[SitemapEntry]| {
            let mut context = Context::new();
            context.insert("entries", entries);
            self.templates
                .render("sitemap.xml", &context)
                .context("cannot render sitemap.xml")
        };
        if entries.len() <= limits.urls {
            let xml = render(&entries)?;
            if xml.len() <= limits.bytes {
                return Ok(vec![("sitemap.xml".to_string(), xml)]);
            }
        }
        // Too many pages or bytes for one file: parts of as many entries as
        // fit, fewer if a part's bytes are over the limit (URLs are long
        // when a site has many scripts).
        let mut per_part = limits.urls.min(entries.len()).max(1);
        let parts = loop {
            let parts: Vec<String> = entries
                .chunks(per_part)
                .map(&render)
                .collect::<Result<_>>()?;
            if per_part == 1 || parts.iter().all(|xml| xml.len() <= limits.bytes) {
                break parts;
            }
            per_part = per_part.div_ceil(2);
        };
        let base = &self.site.config.base_url;
        let mut index = String::from(
            "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n\
             <sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
        );
        let mut files = Vec::with_capacity(parts.len() + 1);
        for (number, (xml, chunk)) in parts.into_iter().zip(entries.chunks(per_part)).enumerate() {
            let file = sitemap_part(number + 1);
            index.push_str(&format!(
                "  <sitemap>\n    <loc>{}</loc>\n",
                escape_html(&format!("{base}{file}"))
            ));
            // The latest by instant: articles may carry different offsets.
            let newest = chunk
                .iter()
                .filter_map(|e| e.lastmod.as_deref())
                .filter_map(|t| Some((chrono::DateTime::parse_from_rfc3339(t).ok()?, t)))
                .max_by_key(|(instant, _)| *instant);
            if let Some((_, lastmod)) = newest {
                index.push_str(&format!("    <lastmod>{lastmod}</lastmod>\n"));
            }
            index.push_str("  </sitemap>\n");
            files.push((file, xml));
        }
        index.push_str("</sitemapindex>\n");
        files.insert(0, ("sitemap.xml".to_string(), index));
        Ok(files)
    }

    /// Every listed page in every variant, with its counterparts as hreflang
    /// alternates: the sitemap's entries.
    fn sitemap_entries(&self) -> Vec<SitemapEntry> {
        let site = self.site;
        let base = &site.config.base_url;
        let newest = |members: &[usize]| {
            members
                .first()
                .map(|&i| last_changed(&site.articles[i].front))
        };
        let mut entries = vec![SitemapEntry {
            url: base.clone(),
            lastmod: newest(&self.all_articles),
            alternates: site
                .editions
                .iter()
                .map(|ed| {
                    (
                        ed.variant.lang.clone(),
                        format!("{base}{}/", ed.variant.prefix),
                    )
                })
                .collect(),
            x_default: base.clone(),
        }];
        let per_page = site.config.paginate_by;
        for route in Route::all(site).iter().filter(|r| r.is_listed()) {
            let lastmod = match route {
                Route::Article { index } => Some(last_changed(&site.articles[*index].front)),
                Route::Home { page } => newest(&self.all_articles[(page - 1) * per_page..]),
                Route::Topic { key, page } => newest(
                    site.topic_articles[key]
                        .get((page - 1) * per_page..)
                        .unwrap_or_default(),
                ),
                _ => newest(&self.all_articles),
            };
            let alternates: Vec<(String, String)> = site
                .editions
                .iter()
                .map(|ed| {
                    (
                        ed.variant.lang.clone(),
                        format!("{base}{}", route.path(site, &ed.variant.prefix)),
                    )
                })
                .collect();
            for (_, url) in &alternates {
                entries.push(SitemapEntry {
                    url: url.clone(),
                    lastmod: lastmod.clone(),
                    alternates: alternates.clone(),
                    x_default: alternates[0].1.clone(),
                });
            }
        }
        entries
    }

    /// `robots.txt`, pointing at the sitemap.
    pub fn robots(&self) -> Result<String> {
        let mut context = Context::new();
        context.insert(
            "sitemap",
            &format!("{}sitemap.xml", self.site.config.base_url),
        );
        self.templates
            .render("robots.txt", &context)
            .context("cannot render robots.txt")
    }
}

/// When an article last changed, for feeds and the sitemap.
fn last_changed(front: &crate::front_matter::FrontMatter) -> String {
    front.updated.unwrap_or(front.date).rfc3339()
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

    fn absolute(&self, route: &Route) -> String {
        format!(
            "{}{}",
            self.site.config.base_url,
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

    fn absolute_asset(&self, path: &str) -> String {
        if path.contains("://") || path.starts_with("//") {
            path.to_string()
        } else {
            format!(
                "{}{}",
                self.site.config.base_url,
                path.trim_start_matches('/')
            )
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
            search_url: self.href(&Route::Search),
            feed_url: self.absolute(&Route::Feed),
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
            pages: page_window(page, total)
                .into_iter()
                .map(|number| match number {
                    Some(number) => PageLink {
                        number,
                        url: self.href(&route_of(number)),
                        current: number == page,
                        gap: false,
                    },
                    None => PageLink {
                        number: 0,
                        url: String::new(),
                        current: false,
                        gap: true,
                    },
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

    /// The schema.org NewsArticle of article `index`, in this variant.
    fn news_article(&self, index: usize, page: &PageView<'_>) -> String {
        let text = &self.edition.articles[index];
        let mut value = serde_json::json!({
            "@context": "https://schema.org",
            "@type": "NewsArticle",
            "headline": text.title,
            "description": text.summary,
            "datePublished": page.published,
            "dateModified": page.modified,
            "inLanguage": self.edition.variant.lang,
            "mainEntityOfPage": page.canonical,
            "isPartOf": {"@type": "WebSite", "name": self.edition.title, "url": self.site.config.base_url},
            "publisher": {"@type": "Organization", "name": self.edition.title},
        });
        if let Some(byline) = &text.byline {
            value["author"] = serde_json::json!({"@type": "Person", "name": byline});
        }
        if let Some(image) = &page.image {
            value["image"] = serde_json::json!([image]);
        }
        if let Some(section) = page.section {
            value["articleSection"] = serde_json::json!(section);
        }
        script_json(&value)
    }

    /// An Atom feed of `members` (newest first, capped by `feed_limit`).
    fn feed(&self, members: &'a [usize], topic: Option<&str>) -> FeedView<'a> {
        let ed = self.edition;
        let site = self.site;
        let (title, url, alternate) = match topic {
            Some(key) => (
                format!("{} · {}", ed.topics[key].name, ed.title),
                self.absolute(&Route::TopicFeed {
                    key: key.to_string(),
                }),
                self.absolute(&Route::Topic {
                    key: key.to_string(),
                    page: 1,
                }),
            ),
            None => (
                ed.title.clone(),
                self.absolute(&Route::Feed),
                self.absolute(&Route::Home { page: 1 }),
            ),
        };
        let entries: Vec<FeedEntry<'a>> = members
            .iter()
            .take(site.config.feed_limit)
            .map(|&index| {
                let article = &site.articles[index];
                let text = &ed.articles[index];
                FeedEntry {
                    title: &text.title,
                    url: self.absolute(&Route::Article { index }),
                    published: article.front.date.rfc3339(),
                    updated: last_changed(&article.front),
                    summary: &text.summary,
                    byline: text.byline.as_deref(),
                    topics: article
                        .front
                        .topics
                        .iter()
                        .map(|(key, _)| ed.topics[key].name.as_str())
                        .collect(),
                    content: &text.content,
                }
            })
            .collect();
        let updated = entries
            .iter()
            .map(|e| e.updated.clone())
            .max_by_key(|u| Published::parse(u).map(|p| p.local()))
            .unwrap_or_else(|| "1970-01-01T00:00:00+00:00".to_string());
        FeedView {
            title,
            subtitle: &ed.description,
            lang: &ed.variant.lang,
            url,
            alternate,
            updated,
            entries,
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn long_paginations_show_the_ends_and_the_pages_near_the_current_one() {
        let shown = |current, total| {
            super::page_window(current, total)
                .into_iter()
                .map(|n| n.map_or("…".to_string(), |n| n.to_string()))
                .collect::<Vec<_>>()
                .join(" ")
        };
        assert_eq!(shown(1, 1), "1");
        assert_eq!(shown(1, 5), "1 2 3 4 5");
        assert_eq!(shown(1, 1000), "1 2 3 … 1000");
        assert_eq!(shown(500, 1000), "1 … 498 499 500 501 502 … 1000");
        assert_eq!(shown(4, 1000), "1 2 3 4 5 6 … 1000");
        assert_eq!(shown(1000, 1000), "1 … 998 999 1000");
    }

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
    fn json_in_a_script_cannot_close_it() {
        assert_eq!(
            script_json(&"</script><!--"),
            "\"\\u003c/script>\\u003c!--\""
        );
    }

    #[test]
    fn page_count_is_at_least_one() {
        assert_eq!(page_count(0, 10), 1);
        assert_eq!(page_count(10, 10), 1);
        assert_eq!(page_count(11, 10), 2);
    }
}
