//! The views templates receive: serializable structs of their own, apart
//! from the domain types, whose links are ready to use from the page they
//! appear on. Links are relative (so the site works under any sub-path and
//! on any host), except on 404 pages, which a host serves at any address
//! and which therefore link from `base_url`'s path, and in feeds and
//! metadata, which need absolute URLs.

use serde::Serialize;

use crate::convert::site::{ArticleText, Edition, Site};
use crate::render::routes::{page_count, Route};
use crate::render::templates::script_json;
use crate::source::front_matter::Published;

#[derive(Serialize)]
pub(crate) struct SiteView<'a> {
    pub(crate) title: &'a str,
    pub(crate) description: &'a str,
    pub(crate) base_url: &'a str,
    pub(crate) key: &'a str,
    pub(crate) lang: &'a str,
    pub(crate) name: &'a str,
    pub(crate) ui: &'a indexmap::IndexMap<String, String>,
    /// Link to this variant's home page.
    pub(crate) home: String,
    /// Link to this variant's topic list.
    pub(crate) topics_url: String,
    /// Link to this variant's search page.
    pub(crate) search_url: String,
    /// Absolute URL of this variant's Atom feed.
    pub(crate) feed_url: String,
    /// Link to the site's shared files (`static/` is copied to the root).
    pub(crate) assets: String,
    pub(crate) topics: Vec<TopicView<'a>>,
}

#[derive(Serialize)]
pub(crate) struct PageView<'a> {
    pub(crate) kind: &'static str,
    /// The key of the topic a topic page lists, for navigation.
    pub(crate) topic: Option<&'a str>,
    /// The page's own heading; empty where the template titles the page
    /// itself (home, topic list, search, 404).
    pub(crate) title: &'a str,
    pub(crate) description: &'a str,
    pub(crate) canonical: String,
    /// Links to this page in every variant, this one included.
    pub(crate) alternates: Vec<Alternate<'a>>,
    /// The page for readers whose language matches no variant.
    pub(crate) x_default: String,
    /// Open Graph: `article` or `website`, the locale and the others.
    pub(crate) og_type: &'static str,
    pub(crate) og_locale: &'a str,
    pub(crate) og_locale_alternates: Vec<&'a str>,
    /// Absolute URL of the lead image, when there is one.
    pub(crate) image: Option<String>,
    /// For articles: RFC 3339 publication and modification times.
    pub(crate) published: Option<String>,
    pub(crate) modified: Option<String>,
    /// For articles: the first topic's name.
    pub(crate) section: Option<&'a str>,
    /// For articles: the schema.org NewsArticle, as JSON safe in a script.
    pub(crate) json_ld: Option<String>,
    /// Atom feeds covering this page: (title, absolute URL).
    pub(crate) feeds: Vec<FeedLink>,
}

#[derive(Serialize)]
pub(crate) struct FeedLink {
    pub(crate) title: String,
    pub(crate) url: String,
}

#[derive(Serialize)]
pub(crate) struct Alternate<'a> {
    pub(crate) key: &'a str,
    pub(crate) lang: &'a str,
    pub(crate) name: &'a str,
    /// Absolute URL, for hreflang.
    pub(crate) url: String,
    /// Link from the current page, for the switcher.
    pub(crate) href: String,
    /// Link to that variant's home page.
    pub(crate) home: String,
    pub(crate) current: bool,
}

#[derive(Serialize)]
pub(crate) struct TopicView<'a> {
    pub(crate) key: &'a str,
    pub(crate) name: &'a str,
    pub(crate) description: &'a str,
    pub(crate) url: String,
    pub(crate) count: usize,
}

#[derive(Serialize)]
pub(crate) struct ArticleCard<'a> {
    pub(crate) slug: &'a str,
    pub(crate) title: &'a str,
    pub(crate) subtitle: Option<&'a str>,
    pub(crate) summary: &'a str,
    pub(crate) byline: Option<&'a str>,
    pub(crate) date: &'a str,
    pub(crate) date_iso: String,
    pub(crate) url: String,
    pub(crate) topics: Vec<TopicView<'a>>,
}

#[derive(Serialize)]
pub(crate) struct ArticleView<'a> {
    #[serde(flatten)]
    pub(crate) card: ArticleCard<'a>,
    pub(crate) content: &'a str,
    pub(crate) image: Option<String>,
    pub(crate) caption: Option<&'a str>,
}

#[derive(Serialize)]
pub(crate) struct Pagination {
    pub(crate) current: usize,
    pub(crate) total: usize,
    pub(crate) prev: Option<String>,
    pub(crate) next: Option<String>,
    pub(crate) pages: Vec<PageLink>,
}

#[derive(Serialize)]
pub(crate) struct PageLink {
    pub(crate) number: usize,
    pub(crate) url: String,
    pub(crate) current: bool,
    /// Stands for the pages left out between two links ("…").
    pub(crate) gap: bool,
}

/// The page numbers a pagination bar shows: the first and last pages and two
/// either side of the current one, `None` where pages are left out. An archive
/// of ten thousand articles has a thousand pages; listing them all on each
/// page would make every page's size, and the build, grow with the archive.
pub(crate) fn page_window(current: usize, total: usize) -> Vec<Option<usize>> {
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
pub(crate) struct FeedView<'a> {
    pub(crate) title: String,
    pub(crate) subtitle: &'a str,
    pub(crate) lang: &'a str,
    /// The feed's own absolute URL (its id and `rel="self"`).
    pub(crate) url: String,
    /// The page the feed follows.
    pub(crate) alternate: String,
    /// The newest entry's time: not the build's, so builds are reproducible.
    pub(crate) updated: String,
    pub(crate) entries: Vec<FeedEntry<'a>>,
}

#[derive(Serialize)]
pub(crate) struct FeedEntry<'a> {
    pub(crate) title: &'a str,
    pub(crate) url: String,
    pub(crate) published: String,
    pub(crate) updated: String,
    pub(crate) summary: &'a str,
    pub(crate) byline: Option<&'a str>,
    pub(crate) topics: Vec<&'a str>,
    pub(crate) content: String,
}

/// When an article last changed, for feeds and the sitemap.
pub(crate) fn last_changed(front: &crate::source::front_matter::FrontMatter) -> String {
    front.updated.unwrap_or(front.date).rfc3339()
}

pub(crate) struct Links<'a> {
    pub(crate) site: &'a Site,
    pub(crate) edition: &'a Edition,
    pub(crate) root: &'a str,
}

impl<'a> Links<'a> {
    pub(crate) fn href(&self, route: &Route) -> String {
        format!(
            "{}{}",
            self.root,
            route.path(self.site, &self.edition.variant.prefix)
        )
    }

    pub(crate) fn absolute(&self, route: &Route) -> String {
        format!(
            "{}{}",
            self.site.config.base_url,
            route.path(self.site, &self.edition.variant.prefix)
        )
    }

    /// A link to a file from static/, or an absolute URL as it is.
    pub(crate) fn asset(&self, path: &str) -> String {
        if path.contains("://") || path.starts_with("//") {
            path.to_string()
        } else {
            format!("{}{}", self.root, path.trim_start_matches('/'))
        }
    }

    pub(crate) fn absolute_asset(&self, path: &str) -> String {
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

    pub(crate) fn site_view(&self) -> SiteView<'a> {
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

    pub(crate) fn topic(&self, key: &'a str) -> TopicView<'a> {
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

    pub(crate) fn card(&self, index: usize) -> ArticleCard<'a> {
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

    pub(crate) fn paginate(
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

    pub(crate) fn alternates(&self, route: &Route) -> Vec<Alternate<'a>> {
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
    pub(crate) fn news_article(&self, index: usize, page: &PageView<'_>) -> String {
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

    /// An Atom feed of `members` (newest first, capped by `feed_limit`) in
    /// edition number `edition`. Fails only when an entry's body cannot be
    /// read back ([`Site::body`](crate::convert::site::Site::body)).
    pub(crate) fn feed(
        &self,
        members: &'a [usize],
        topic: Option<&str>,
        edition: usize,
    ) -> anyhow::Result<FeedView<'a>> {
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
                let body = site.body(index)?;
                Ok(FeedEntry {
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
                    content: body.contents[edition].clone(),
                })
            })
            .collect::<anyhow::Result<_>>()?;
        let updated = entries
            .iter()
            .map(|e| e.updated.clone())
            .max_by_key(|u| Published::parse(u).map(|p| p.local()))
            .unwrap_or_else(|| "1970-01-01T00:00:00+00:00".to_string());
        Ok(FeedView {
            title,
            subtitle: &ed.description,
            lang: &ed.variant.lang,
            url,
            alternate,
            updated,
            entries,
        })
    }
}
#[cfg(test)]
mod tests {

    #[test]
    pub(crate) fn long_paginations_show_the_ends_and_the_pages_near_the_current_one() {
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
}
