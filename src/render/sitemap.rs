//! The sitemap, in parts by month of publication, its index, each
//! script's Google News sitemap, and robots.txt.
//!
//! `sitemap.xml` is always an index. Each part holds the pages of one
//! month: its articles and the archive pages of its periods (a week goes
//! with the month it ends in); the front pages, the topic list and the
//! archive indexes go with the newest month. So publishing a story
//! rewrites the current month's part and the index, and a closed month's
//! part stays byte for byte as it was.

use std::collections::BTreeMap;

use anyhow::{Context as _, Result};
use chrono::{DateTime, FixedOffset};
use serde::Serialize;
use tera::Context;

use crate::render::archive::{self, day_of, Scope};
use crate::render::pages::Renderer;
use crate::render::routes::{news_sitemap, sitemap_part, Route, ROBOTS_FILE, SITEMAP_FILE};
use crate::render::templates::escape_html;
use crate::source::front_matter::Published;

/// How much one sitemap file may hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SitemapLimits {
    /// Pages (`<url>` entries).
    pub urls: usize,
    /// Bytes, uncompressed.
    pub bytes: usize,
}

impl SitemapLimits {
    /// The sitemap protocol's limits (sitemaps.org): 50,000 URLs and 50 MB
    /// per file.
    pub const PROTOCOL: SitemapLimits = SitemapLimits {
        urls: 50_000,
        bytes: 50 * 1024 * 1024,
    };
}

/// Google News lists what was published in the last two days, at most
/// 1,000 articles per sitemap.
const NEWS_DAYS: i64 = 2;
const NEWS_LIMIT: usize = 1_000;

/// One page of the sitemap, in one script, with its counterparts.
#[derive(Serialize, Debug)]
pub struct SitemapEntry {
    url: String,
    lastmod: Option<String>,
    alternates: Vec<(String, String)>,
    x_default: String,
}

/// One file of the sitemap: a month's pages (or a share of them, for a
/// month too large for one file).
#[derive(Debug)]
pub struct SitemapPart {
    /// Its name at the output root: `sitemap-2025-03.xml`.
    pub file: String,
    entries: Vec<SitemapEntry>,
}

impl SitemapPart {
    /// Everything its bytes are made from, for its key.
    pub fn fingerprint(&self) -> String {
        let mut h = blake3::Hasher::new();
        for e in &self.entries {
            let lastmod = e.lastmod.as_deref().unwrap_or("");
            for part in [&e.url[..], lastmod, &e.x_default] {
                h.update(&(part.len() as u64).to_le_bytes())
                    .update(part.as_bytes());
            }
            for (lang, url) in &e.alternates {
                h.update(lang.as_bytes())
                    .update(b"\0")
                    .update(url.as_bytes());
            }
        }
        h.finalize().to_hex().to_string()
    }

    /// The latest `lastmod` of its pages, for the index.
    fn newest(&self) -> Option<&str> {
        (self.entries.iter())
            .filter_map(|e| e.lastmod.as_deref())
            .filter_map(|t| Some((DateTime::parse_from_rfc3339(t).ok()?, t)))
            .max_by_key(|(instant, _)| *instant)
            .map(|(_, t)| t)
    }
}

/// When a page last changed: the instant, and as written.
type Lastmod = Option<(DateTime<FixedOffset>, String)>;

fn later(a: Lastmod, b: Lastmod) -> Lastmod {
    match (a, b) {
        (Some(a), Some(b)) => Some(if b.0 > a.0 { b } else { a }),
        (a, b) => a.or(b),
    }
}

impl Renderer<'_> {
    /// Every sitemap file of the site whose routes are `routes` (the
    /// [`crate::render::Plan`]'s), as (file at the output root or in a
    /// script's folder, XML): the index first, then the parts, then the
    /// news sitemaps.
    pub fn sitemaps(&self, routes: &[Route]) -> Result<Vec<(String, String)>> {
        self.sitemaps_within(routes, SitemapLimits::PROTOCOL)
    }

    /// [`Renderer::sitemaps`] with parts of at most `limits`.
    pub fn sitemaps_within(
        &self,
        routes: &[Route],
        limits: SitemapLimits,
    ) -> Result<Vec<(String, String)>> {
        let parts = self.sitemap_parts(routes, limits);
        let mut files = vec![(SITEMAP_FILE.to_string(), self.sitemap_index(&parts))];
        for part in &parts {
            files.push((part.file.clone(), self.sitemap_part(part)?));
        }
        for edition in 0..self.site.editions.len() {
            files.push(self.news_sitemap(edition)?);
        }
        Ok(files)
    }

    /// The sitemap's parts, by month, each of at most `limits`; nothing
    /// rendered yet.
    pub fn sitemap_parts(&self, routes: &[Route], limits: SitemapLimits) -> Vec<SitemapPart> {
        let site = self.site;
        let month = |day: chrono::NaiveDate| day.format("%Y-%m").to_string();
        // The pages that show the newest articles go with the newest month
        // (a site with no article has them alone).
        let current = site
            .articles
            .first()
            .map_or("pages".into(), |_| month(day_of(site, 0)));
        // When the newest article was published or last changed.
        let newest = self.changed(site.newest.get(..1).unwrap_or_default());
        let mut months: BTreeMap<String, Vec<SitemapEntry>> = BTreeMap::new();
        let root = self.root_entry(newest.clone().map(|(_, text)| text));
        months.entry(current.clone()).or_default().push(root);
        for route in routes.iter().filter(|r| r.is_listed()) {
            let (home, lastmod) = match route {
                Route::Article { index } => (month(day_of(site, *index)), self.changed(&[*index])),
                Route::Archive { period, .. } => (month(period.end()), self.period_changed(route)),
                Route::Topics => (current.clone(), newest.clone()),
                Route::ArchiveIndex { scope } => (current.clone(), self.index_changed(scope)),
                _ => (current.clone(), self.changed(&route.members(site))),
            };
            let entries = months.entry(home).or_default();
            entries.extend(self.entries(route, lastmod.map(|(_, text)| text)));
        }
        let mut parts = Vec::new();
        for (month, entries) in months {
            // Parts of as many entries as the limits allow; the bytes are
            // bounded from above by the entries' text (escaping at most
            // doubles it) and the markup around it.
            let mut chunk: Vec<SitemapEntry> = Vec::new();
            let mut bytes = 0;
            let mut number = 0;
            let mut flush = |chunk: &mut Vec<SitemapEntry>| {
                number += 1;
                parts.push(SitemapPart {
                    file: sitemap_part(&month, number),
                    entries: std::mem::take(chunk),
                });
            };
            for entry in entries {
                let size = 2
                    * (entry.url.len()
                        + entry.x_default.len()
                        + entry
                            .alternates
                            .iter()
                            .map(|(l, u)| l.len() + u.len())
                            .sum::<usize>())
                    + 200
                    + 80 * entry.alternates.len();
                if !chunk.is_empty() && (chunk.len() == limits.urls || bytes + size > limits.bytes)
                {
                    flush(&mut chunk);
                    bytes = 0;
                }
                bytes += size;
                chunk.push(entry);
            }
            if !chunk.is_empty() {
                flush(&mut chunk);
            }
        }
        parts
    }

    /// When article `index` was published.
    fn published(&self, index: usize) -> Lastmod {
        let date = self.site.articles[index].front.date;
        Some((date.instant(), date.rfc3339()))
    }

    /// The latest change among articles `members`.
    fn changed(&self, members: &[usize]) -> Lastmod {
        members
            .iter()
            .map(|&i| {
                let front = &self.site.articles[i].front;
                let when: Published = front.updated.unwrap_or(front.date);
                Some((when.instant(), when.rfc3339()))
            })
            .fold(None, later)
    }

    /// When a period's page last changed: its articles, or the first story
    /// of the next newer period, which gave it its "newer" link.
    fn period_changed(&self, route: &Route) -> Lastmod {
        let site = self.site;
        let own = self.changed(&route.members(site));
        let Route::Archive { period, scope } = route else {
            return own;
        };
        let newer = route.links(site).into_iter().find_map(|link| match link {
            Route::Archive { period: p, .. } if p > *period => Some(p),
            _ => None,
        });
        let members = scope.members(site);
        let first_of_newer = newer.and_then(|p| {
            let range = archive::range_of(site, members, &p);
            // Newest first: the period's first story is its last member.
            range.end.checked_sub(1).map(|last| members[last])
        });
        later(own, first_of_newer.and_then(|i| self.published(i)))
    }

    /// When an archive index last changed: when its newest period's first
    /// story was published, which added that period.
    fn index_changed(&self, scope: &Scope) -> Lastmod {
        let site = self.site;
        let members = scope.members(site);
        let newest = archive::periods(site, members, scope.span(site))
            .into_iter()
            .next();
        let first = newest.and_then(|(_, range)| range.end.checked_sub(1));
        first.and_then(|last| self.published(members[last]))
    }

    /// The root page, where a reader chooses a script: each script's home
    /// page is its alternate.
    fn root_entry(&self, lastmod: Option<String>) -> SitemapEntry {
        let site = self.site;
        let base = &site.config.base_url;
        SitemapEntry {
            url: base.clone(),
            lastmod,
            alternates: (site.editions.iter())
                .map(|ed| {
                    (
                        ed.variant.lang.clone(),
                        format!("{base}{}/", ed.variant.prefix),
                    )
                })
                .collect(),
            x_default: base.clone(),
        }
    }

    /// `route`'s page in every script, each with the others as alternates.
    fn entries(&self, route: &Route, lastmod: Option<String>) -> Vec<SitemapEntry> {
        let site = self.site;
        let base = &site.config.base_url;
        let alternates: Vec<(String, String)> = site
            .editions
            .iter()
            .map(|ed| {
                let url = format!("{base}{}", route.path(site, &ed.variant.prefix));
                (ed.variant.lang.clone(), url)
            })
            .collect();
        (alternates.iter())
            .map(|(_, url)| SitemapEntry {
                url: url.clone(),
                lastmod: lastmod.clone(),
                alternates: alternates.clone(),
                x_default: alternates[0].1.clone(),
            })
            .collect()
    }

    /// One part's XML, through the `sitemap.xml` template.
    pub fn sitemap_part(&self, part: &SitemapPart) -> Result<String> {
        let mut context = Context::new();
        context.insert("entries", &part.entries);
        self.templates
            .render("sitemap.xml", &context)
            .with_context(|| format!("cannot render {}", part.file))
    }

    /// `sitemap.xml`: the index of `parts` and of every script's news
    /// sitemap.
    pub fn sitemap_index(&self, parts: &[SitemapPart]) -> String {
        let base = &self.site.config.base_url;
        let mut index = String::from(
            "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n\
             <sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
        );
        let news = (self.site.editions.iter()).map(|ed| (news_sitemap(&ed.variant.prefix), None));
        let listed = parts
            .iter()
            .map(|p| (p.file.clone(), p.newest()))
            .chain(news);
        for (file, lastmod) in listed {
            let loc = escape_html(&format!("{base}{file}"));
            index.push_str(&format!("  <sitemap>\n    <loc>{loc}</loc>\n"));
            if let Some(lastmod) = lastmod {
                index.push_str(&format!("    <lastmod>{lastmod}</lastmod>\n"));
            }
            index.push_str("  </sitemap>\n");
        }
        index.push_str("</sitemapindex>\n");
        index
    }

    /// Edition `edition`'s Google News sitemap, as (file, XML): its
    /// articles of the two days up to the newest one's publication (not
    /// the build's clock, so the same input builds the same bytes), at most
    /// 1,000, with the publication's name and language.
    pub fn news_sitemap(&self, edition: usize) -> Result<(String, String)> {
        let site = self.site;
        let ed = &site.editions[edition];
        let language = news_language(&ed.variant.lang);
        let mut xml = String::from(
            "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n\
             <urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\" \
             xmlns:news=\"http://www.google.com/schemas/sitemap-news/0.9\">\n",
        );
        let newest = site.articles.first().map(|a| a.front.date.instant());
        let recent = (0..site.articles.len()).take(NEWS_LIMIT).take_while(|&i| {
            let published = site.articles[i].front.date.instant();
            newest.is_some_and(|n| n - published <= chrono::Duration::days(NEWS_DAYS))
        });
        for index in recent {
            let article = &site.articles[index];
            let url = format!(
                "{}{}",
                site.config.base_url,
                Route::Article { index }.path(site, &ed.variant.prefix)
            );
            xml.push_str(&format!(
                "  <url>\n    <loc>{}</loc>\n    <news:news>\n      <news:publication>\n        \
                 <news:name>{}</news:name>\n        <news:language>{language}</news:language>\n      \
                 </news:publication>\n      <news:publication_date>{}</news:publication_date>\n      \
                 <news:title>{}</news:title>\n    </news:news>\n  </url>\n",
                escape_html(&url),
                escape_html(&ed.title),
                article.front.date.rfc3339(),
                escape_html(&site.text(edition, index)?.title),
            ));
        }
        xml.push_str("</urlset>\n");
        Ok((news_sitemap(&ed.variant.prefix), xml))
    }

    /// `robots.txt`, pointing at the sitemap.
    pub fn robots(&self) -> Result<String> {
        let mut context = Context::new();
        context.insert(
            "sitemap",
            &format!("{}{SITEMAP_FILE}", self.site.config.base_url),
        );
        self.templates
            .render("robots.txt", &context)
            .with_context(|| format!("cannot render {ROBOTS_FILE}"))
    }
}

/// The language Google News knows a script by: `zh-cn` for Simplified,
/// `zh-tw` for Traditional (its documentation's two Chinese codes), else
/// the tag's language.
fn news_language(lang: &str) -> String {
    let lower = lang.to_ascii_lowercase();
    let mut parts = lower.split('-');
    let language = parts.next().unwrap_or_default().to_string();
    let rest: Vec<&str> = parts.collect();
    if language != "zh" {
        return language;
    }
    let simplified = rest.contains(&"hans")
        || (!rest.contains(&"hant") && rest.iter().any(|r| ["cn", "sg", "my"].contains(r)));
    if simplified { "zh-cn" } else { "zh-tw" }.to_string()
}

#[cfg(test)]
mod tests {
    #[test]
    fn google_news_knows_chinese_as_two_scripts() {
        for (lang, news) in [
            ("zh-Hant-HK", "zh-tw"),
            ("zh-Hans", "zh-cn"),
            ("zh-CN", "zh-cn"),
            ("zh-HK", "zh-tw"),
            ("en-GB", "en"),
        ] {
            assert_eq!(super::news_language(lang), news, "{lang}");
        }
    }
}
