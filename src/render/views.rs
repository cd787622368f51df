//! The views templates receive: serializable structs of their own, apart
//! from the domain types, whose links are ready to use from the page they
//! appear on. Links are relative (so the site works under any sub-path and
//! on any host), except on 404 pages, which a host serves at any address
//! and which therefore link from `base_url`'s path, and in feeds and
//! metadata, which need absolute URLs.

use serde::Serialize;

use crate::photos::html::Loading;
use crate::source::photo::{Photo, Variant};

use crate::convert::site::{ArticleText, Edition, Site};
use crate::render::archive::{Period, Scope};
use crate::render::routes::Route;
use crate::render::templates::script_json;
use crate::source::archive::Span;
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
    pub(crate) title: std::borrow::Cow<'a, str>,
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
    /// Its width and height, when known (a processed photo's shared JPEG).
    pub(crate) image_size: Option<(u32, u32)>,
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
    pub(crate) alt: Option<&'a str>,
    pub(crate) credit: Option<&'a str>,
    /// The lead photo as processed, when it was: its markup and sizes.
    pub(crate) photo: Option<PhotoView>,
}

/// A processed lead photo, for templates: `html` is the whole
/// `<picture>`, eager and first in line; the lists let a newsroom's own
/// template lay the sizes out differently.
#[derive(Serialize)]
pub(crate) struct PhotoView {
    pub(crate) html: String,
    pub(crate) width: u32,
    pub(crate) height: u32,
    pub(crate) sizes: String,
    pub(crate) webp: Vec<VariantView>,
    pub(crate) fallback: Vec<VariantView>,
    pub(crate) fallback_type: &'static str,
}

/// One size of a photo: its address and size.
#[derive(Serialize)]
pub(crate) struct VariantView {
    pub(crate) url: String,
    pub(crate) width: u32,
    pub(crate) height: u32,
}

/// Where a list page leads within its archive: on every front page,
/// period page and archive index as `archive`.
#[derive(Serialize)]
pub(crate) struct ArchiveNav {
    /// The period this page shows, named for readers (period pages).
    pub(crate) period: Option<String>,
    /// The archive page holding the next older article (front pages).
    pub(crate) more: Option<PeriodLink>,
    /// The nearest newer non-empty period (period pages).
    pub(crate) newer: Option<PeriodLink>,
    /// The nearest older non-empty period (period pages).
    pub(crate) older: Option<PeriodLink>,
    /// The archive's front page.
    pub(crate) front: String,
    /// The archive's index of periods.
    pub(crate) index: String,
    /// The archive's periods by year, newest first (archive indexes).
    pub(crate) years: Vec<ArchiveYear>,
}

/// A link to one period's page.
#[derive(Serialize)]
pub(crate) struct PeriodLink {
    pub(crate) url: String,
    pub(crate) label: String,
}

/// One year of an archive index: its months (or weeks), each with its days
/// when the archive is by day.
#[derive(Serialize)]
pub(crate) struct ArchiveYear {
    pub(crate) year: i32,
    pub(crate) groups: Vec<ArchiveGroup>,
}

/// A month of a daily archive (its days in `periods`, no page of its own),
/// or one period of a weekly or monthly archive (its page in `url`).
#[derive(Serialize)]
pub(crate) struct ArchiveGroup {
    pub(crate) label: String,
    pub(crate) url: Option<String>,
    pub(crate) periods: Vec<PeriodLink>,
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
    /// The edition's place in `site.editions`.
    pub(crate) number: usize,
    pub(crate) root: &'a str,
}

impl<'a> Links<'a> {
    /// The short texts of article `index` in this edition (read back from
    /// the conversion cache the first time a page needs them).
    pub(crate) fn text(&self, index: usize) -> anyhow::Result<&'a ArticleText> {
        self.site.text(self.number, index)
    }

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

    /// The lead `photo` for the article page's template, its markup with
    /// alternative text `alt`.
    pub(crate) fn photo_view(&self, photo: &Photo, alt: &str, sizes: &str) -> PhotoView {
        let url = |file: &str| self.asset(file);
        let list = |variants: &[Variant]| {
            (variants.iter())
                .map(|v| VariantView {
                    url: url(&v.file),
                    width: v.width,
                    height: v.height,
                })
                .collect()
        };
        PhotoView {
            html: crate::photos::html::picture(photo, &url, alt, None, sizes, Loading::Lead),
            width: photo.width,
            height: photo.height,
            sizes: sizes.to_string(),
            webp: list(&photo.webp),
            fallback: list(&photo.fallback),
            fallback_type: photo.fallback_format.mime(),
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
            home: self.href(&Route::Home),
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
            }),
            count: self.site.topic_articles[key].len(),
        }
    }

    pub(crate) fn card(&self, index: usize) -> anyhow::Result<ArticleCard<'a>> {
        let article = &self.site.articles[index];
        let text = self.text(index)?;
        Ok(ArticleCard {
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
        })
    }

    /// The cards of `members`.
    pub(crate) fn cards(&self, members: &[usize]) -> anyhow::Result<Vec<ArticleCard<'a>>> {
        members.iter().map(|&i| self.card(i)).collect()
    }

    /// Where list page `route` of archive `scope` leads.
    pub(crate) fn archive_nav(&self, route: &Route, scope: &Scope) -> ArchiveNav {
        let site = self.site;
        let ui = &self.edition.ui;
        let link = |route: &Route| self.period_link(route);
        let links = route.links(site);
        let front = match scope {
            Scope::Home => Route::Home,
            Scope::Topic(key) => Route::Topic { key: key.clone() },
        };
        let mut nav = ArchiveNav {
            period: None,
            more: None,
            newer: None,
            older: None,
            front: self.href(&front),
            index: self.href(&Route::ArchiveIndex {
                scope: scope.clone(),
            }),
            years: Vec::new(),
        };
        match route {
            Route::Home | Route::Topic { .. } => nav.more = links.first().and_then(link),
            Route::Archive { period, .. } => {
                nav.period = Some(period.label(ui));
                for other in &links {
                    if let Route::Archive { period: p, .. } = other {
                        let slot = if p > period {
                            &mut nav.newer
                        } else {
                            &mut nav.older
                        };
                        *slot = link(other);
                    }
                }
            }
            _ => nav.years = self.years(&links),
        }
        nav
    }

    /// A link to a period's page, named for readers; `None` for another
    /// route.
    fn period_link(&self, route: &Route) -> Option<PeriodLink> {
        match route {
            Route::Archive { period, .. } => Some(PeriodLink {
                url: self.href(route),
                label: period.label(&self.edition.ui),
            }),
            _ => None,
        }
    }

    /// An archive index's periods (`links`, newest first) by year.
    fn years(&self, links: &[Route]) -> Vec<ArchiveYear> {
        let ui = &self.edition.ui;
        let mut years: Vec<ArchiveYear> = Vec::new();
        for route in links {
            let (Route::Archive { period, .. }, Some(link)) = (route, self.period_link(route))
            else {
                continue;
            };
            // A week belongs to its ISO year, as its folder does.
            let year = match period.span {
                Span::Week => chrono::Datelike::iso_week(&period.start).year(),
                _ => chrono::Datelike::year(&period.start),
            };
            if years.last().is_none_or(|y| y.year != year) {
                years.push(ArchiveYear {
                    year,
                    groups: Vec::new(),
                });
            }
            let groups = &mut years.last_mut().expect("pushed above").groups;
            if period.span == Span::Day {
                let month = Period::of(period.start, Span::Month).label(ui);
                if groups.last().is_none_or(|g| g.label != month) {
                    groups.push(ArchiveGroup {
                        label: month,
                        url: None,
                        periods: Vec::new(),
                    });
                }
                groups.last_mut().expect("pushed above").periods.push(link);
            } else {
                groups.push(ArchiveGroup {
                    label: link.label,
                    url: Some(link.url),
                    periods: Vec::new(),
                });
            }
        }
        years
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
                        Route::Home.path(self.site, &ed.variant.prefix)
                    ),
                    current: ed.variant.key == self.edition.variant.key,
                }
            })
            .collect()
    }

    /// The schema.org NewsArticle of article `index`, in this variant.
    pub(crate) fn news_article(&self, index: usize, page: &PageView<'_>) -> anyhow::Result<String> {
        let text = self.text(index)?;
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
        Ok(script_json(&value))
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
                }),
            ),
            None => (
                ed.title.clone(),
                self.absolute(&Route::Feed),
                self.absolute(&Route::Home),
            ),
        };
        let entries: Vec<FeedEntry<'a>> = members
            .iter()
            .take(site.config.feed_limit)
            .map(|&index| {
                let article = &site.articles[index];
                let text = self.text(index)?;
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
