//! Routes: which pages and files a site has, and where each is written.
//! The one definition of the output's paths: the renderer, the link lint,
//! the sitemap, the incremental keys and the search index all read it.
//!
//! A [`Route`] is a page independent of script (the second page of topic
//! `ai`); each variant renders every route under its own prefix, so every
//! page has a counterpart in every other script, which the switcher, the
//! hreflang links and the sitemap point at.

use std::collections::BTreeSet;
use std::path::Path;

use crate::convert::site::Site;
use crate::diagnostic::{Diagnostic, Kind, Report};
use crate::layout::{article_path, STATIC_DIR};
use crate::render::archive::{self, Period, Scope};
use crate::source::StaticFile;

/// A page or feed of the site, the same in every script.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Route {
    /// The home page: the newest articles, and a link into the archive.
    Home,
    /// An article.
    Article {
        /// Index into [`Site::articles`].
        index: usize,
    },
    /// The list of all topics.
    Topics,
    /// A topic's front page: its newest articles.
    Topic {
        /// Topic key.
        key: String,
    },
    /// The articles of one period, in the site's archive or a topic's.
    Archive {
        /// Whose archive.
        scope: Scope,
        /// The period.
        period: Period,
    },
    /// Every period of an archive, by year.
    ArchiveIndex {
        /// Whose archive.
        scope: Scope,
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
        "archive.html",
        "archive_index.html",
        "search.html",
        "404.html",
        "root.html",
        "atom.xml",
        "sitemap.xml",
        "robots.txt",
    ];

    /// Every route of `site`, in a stable order.
    pub fn all(site: &Site) -> Vec<Route> {
        let mut routes = vec![Route::Home];
        routes.extend((0..site.articles.len()).map(|index| Route::Article { index }));
        routes.push(Route::Topics);
        let scopes = std::iter::once(Scope::Home)
            .chain(site.topic_articles.keys().map(|k| Scope::Topic(k.clone())));
        for scope in scopes {
            if let Scope::Topic(key) = &scope {
                routes.push(Route::Topic { key: key.clone() });
                routes.push(Route::TopicFeed { key: key.clone() });
            }
            let members = scope.members(site);
            for (period, _) in archive::periods(site, members, scope.span(site)) {
                routes.push(Route::Archive {
                    scope: scope.clone(),
                    period,
                });
            }
            routes.push(Route::ArchiveIndex { scope });
        }
        routes.extend([Route::Search, Route::NotFound, Route::Feed]);
        routes
    }

    /// The archive this route belongs to, for list pages.
    pub fn scope(&self) -> Option<Scope> {
        match self {
            Route::Home => Some(Scope::Home),
            Route::Topic { key } => Some(Scope::Topic(key.clone())),
            Route::Archive { scope, .. } | Route::ArchiveIndex { scope } => Some(scope.clone()),
            _ => None,
        }
    }

    /// The articles this route's page shows (a front page's newest, a
    /// period's, a feed's newest, an article itself): what its output
    /// depends on beyond the site-wide inputs and [`Route::links`].
    pub fn members(&self, site: &Site) -> Vec<usize> {
        let first = |members: &[usize], n: usize| members.iter().take(n).copied().collect();
        match self {
            Route::Home => first(&site.newest, site.config.front_page),
            Route::Topic { key } => first(&site.topic_articles[key], site.config.front_page),
            Route::Article { index } => vec![*index],
            Route::Archive { scope, period } => {
                let members = scope.members(site);
                members[archive::range_of(site, members, period)].to_vec()
            }
            Route::Feed => first(&site.newest, site.config.feed_limit),
            Route::TopicFeed { key } => first(&site.topic_articles[key], site.config.feed_limit),
            Route::Topics | Route::ArchiveIndex { .. } | Route::Search | Route::NotFound => {
                Vec::new()
            }
        }
    }

    /// The list pages this route's page links to that other articles
    /// decide: a front page's way into the archive (the period of its
    /// first older article), a period's non-empty neighbours, an archive
    /// index's periods. With [`Route::members`], what its key is made of.
    pub fn links(&self, site: &Site) -> Vec<Route> {
        let Some(scope) = self.scope() else {
            return Vec::new();
        };
        let members = scope.members(site);
        let archive = |period| Route::Archive {
            scope: scope.clone(),
            period,
        };
        match self {
            Route::Home | Route::Topic { .. } => members
                .get(site.config.front_page)
                .map(|&i| archive(Period::of(archive::day_of(site, i), scope.span(site))))
                .into_iter()
                .collect(),
            Route::Archive { period, .. } => {
                let (newer, older) = archive::neighbours(site, members, period);
                [newer, older].into_iter().flatten().map(archive).collect()
            }
            _ => archive::periods(site, members, scope.span(site))
                .into_iter()
                .map(|(period, _)| archive(period))
                .collect(),
        }
    }

    /// The URL path of this route under `prefix`, relative to the site root:
    /// `zh-hans/articles/<slug>/`.
    pub fn path(&self, site: &Site, prefix: &str) -> String {
        match self {
            Route::Home => format!("{prefix}/"),
            Route::Article { index } => article_path(prefix, &site.articles[*index].slug),
            Route::Topics => format!("{prefix}/topics/"),
            Route::Topic { key } => format!("{prefix}/topics/{key}/"),
            Route::Archive { scope, period } => {
                format!("{prefix}/{}{}", scope.folder(), period.path())
            }
            Route::ArchiveIndex { scope } => format!("{prefix}/{}archive/", scope.folder()),
            Route::Search => format!("{prefix}/search/"),
            Route::NotFound => format!("{prefix}/404.html"),
            Route::Feed => format!("{prefix}/atom.xml"),
            Route::TopicFeed { key } => format!("{prefix}/topics/{key}/atom.xml"),
        }
    }

    pub(crate) fn template(&self) -> &'static str {
        match self {
            Route::Home => "index.html",
            Route::Article { .. } => "article.html",
            Route::Topics => "topics.html",
            Route::Topic { .. } => "topic.html",
            Route::Archive { .. } => "archive.html",
            Route::ArchiveIndex { .. } => "archive_index.html",
            Route::Search => "search.html",
            Route::NotFound => "404.html",
            Route::Feed | Route::TopicFeed { .. } => "atom.xml",
        }
    }

    pub(crate) fn kind(&self) -> &'static str {
        match self {
            Route::Home => "home",
            Route::Article { .. } => "article",
            Route::Topics => "topics",
            Route::Topic { .. } => "topic",
            Route::Archive { .. } => "archive",
            Route::ArchiveIndex { .. } => "archive_index",
            Route::Search => "search",
            Route::NotFound => "not_found",
            Route::Feed | Route::TopicFeed { .. } => "feed",
        }
    }

    /// Whether search engines should find this page (the sitemap lists it).
    pub(crate) fn is_listed(&self) -> bool {
        !matches!(
            self,
            Route::Search | Route::NotFound | Route::Feed | Route::TopicFeed { .. }
        )
    }
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
pub(crate) fn relative_root(path: &str) -> String {
    "../".repeat(path.matches('/').count())
}

/// The file of the sitemap's part `number` (from 1) of `month`
/// (`2025-03`): `sitemap-2025-03.xml`, then `sitemap-2025-03-2.xml` for a
/// month too large for one file.
pub fn sitemap_part(month: &str, number: usize) -> String {
    match number {
        1 => format!("sitemap-{month}.xml"),
        _ => format!("sitemap-{month}-{number}.xml"),
    }
}

/// Whether `file` is named as a sitemap part (`sitemap-2025-03.xml`,
/// `sitemap-pages.xml`): the names a site's growth may take, reserved.
pub fn is_sitemap_part(file: &str) -> bool {
    file.strip_prefix("sitemap-")
        .and_then(|rest| rest.strip_suffix(".xml"))
        .is_some_and(|name| {
            name == "pages"
                || (name.starts_with(|c: char| c.is_ascii_digit())
                    && name.bytes().all(|b| b.is_ascii_digit() || b == b'-'))
        })
}

/// A script's Google News sitemap: `zh-hant/sitemap-news.xml`.
pub fn news_sitemap(prefix: &str) -> String {
    format!("{prefix}/sitemap-news.xml")
}

/// The files at the output root, made from the whole site.
pub const ROOT_FILES: [&str; 5] = [
    INDEX_FILE,
    NOT_FOUND_FILE,
    ROBOTS_FILE,
    crate::render::search::TABLE_FILE,
    SITEMAP_FILE,
];
/// The root page, where a reader chooses a script.
pub const INDEX_FILE: &str = "index.html";
/// The page hosts serve for any missing address.
pub const NOT_FOUND_FILE: &str = "404.html";
/// robots.txt.
pub const ROBOTS_FILE: &str = "robots.txt";
/// The sitemap, or the sitemap index of a large archive.
pub const SITEMAP_FILE: &str = "sitemap.xml";

/// Every page and file one build writes, and where: planned before
/// anything is rendered, so collisions and broken links are found first.
#[derive(Debug)]
pub struct Plan {
    /// Every route, in a stable order.
    pub routes: Vec<Route>,
    /// Every output file the routes (in every variant) and the root files
    /// make; search index tiers and sitemap parts aside.
    pub files: BTreeSet<String>,
}

impl Plan {
    /// The plan of `site`, with a file of static/ that would stand where a
    /// generated file goes reported in `report`.
    pub fn new(site: &Site, statics: &[StaticFile], report: &mut Report) -> Plan {
        let routes = Route::all(site);
        let mut files: BTreeSet<String> = ROOT_FILES.into_iter().map(String::from).collect();
        for edition in &site.editions {
            for route in &routes {
                files.insert(file_for(&route.path(site, &edition.variant.prefix)));
            }
            files.insert(news_sitemap(&edition.variant.prefix));
        }
        for file in statics {
            let f = &file.output;
            // A large archive's sitemap part names are reserved even while the
            // sitemap is one file, so a site never stops building as it grows.
            if files.contains(f) || is_sitemap_part(f) {
                report.push(
                    Diagnostic::error(
                        Kind::Output,
                        Path::new(STATIC_DIR).join(&file.relative),
                        format!("would overwrite the generated page {f}"),
                    )
                    .with_help("move or rename the file in static/"),
                );
            }
        }
        Plan { routes, files }
    }

    /// Whether the build writes `file` (an output path), or copies it from
    /// static/.
    pub fn writes(&self, file: &str) -> bool {
        self.files.contains(file)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::convert::default_engine;
    use crate::source::config::SiteConfig;

    #[test]
    fn a_static_file_cannot_replace_a_page() {
        let config = SiteConfig::parse(
            "title: t\nbase_url: https://example.org/\nvariants:\n  zh-hant: {lang: zh-Hant-HK, \
             name: 繁體, prefix: zh-hant}\ntopics:\n  ai: {name: 人工智能}\n",
        )
        .expect("valid");
        let site = Site::assemble(config, Vec::new(), &default_engine()).expect("assembles");
        let statics: Vec<StaticFile> = [
            "style.css",
            "zh-hant/topics/index.html",
            "sitemap-3.xml",
            "sitemap-2031-01-2.xml",
            "sitemap-news.xml",
            "robots.txt",
        ]
        .into_iter()
        .map(|f| StaticFile {
            relative: f.into(),
            output: f.to_string(),
            made: None,
        })
        .collect();
        let mut report = Report::default();
        let plan = Plan::new(&site, &statics, &mut report);
        let clashes: Vec<String> = report.sorted().iter().map(|d| d.to_string()).collect();
        assert_eq!(
            clashes,
            [
                "error: static/robots.txt: would overwrite the generated page robots.txt\n  \
                 help: move or rename the file in static/",
                "error: static/sitemap-2031-01-2.xml: would overwrite the generated page \
                 sitemap-2031-01-2.xml\n  help: move or rename the file in static/",
                "error: static/sitemap-3.xml: would overwrite the generated page sitemap-3.xml\n  \
                 help: move or rename the file in static/",
                "error: static/zh-hant/topics/index.html: would overwrite the generated page \
                 zh-hant/topics/index.html\n  help: move or rename the file in static/",
            ],
            "a page, a root file and a large archive's sitemap part; not style.css or \
             sitemap-news.xml"
        );
        assert!(!plan.writes("zh-hant/articles/index.html"));
        assert!(plan.writes("sitemap.xml") && plan.writes("zh-hant/topics/ai/index.html"));
    }

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
            relative_root("zh-hant/topics/ai/2025/03/"),
            "../../../../../"
        );
        assert_eq!(relative_root(""), "");
    }
}
