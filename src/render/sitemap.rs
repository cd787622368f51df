//! The sitemap (an index of parts for a large archive) and robots.txt.

use anyhow::{Context as _, Result};
use serde::Serialize;
use tera::Context;

use crate::render::pages::Renderer;
use crate::render::routes::{sitemap_part, Route, ROBOTS_FILE, SITEMAP_FILE};
use crate::render::templates::escape_html;
use crate::render::views::last_changed;

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

impl Renderer<'_> {
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
                return Ok(vec![(SITEMAP_FILE.to_string(), xml)]);
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
        files.insert(0, (SITEMAP_FILE.to_string(), index));
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
            &format!("{}{SITEMAP_FILE}", self.site.config.base_url),
        );
        self.templates
            .render("robots.txt", &context)
            .with_context(|| format!("cannot render {ROBOTS_FILE}"))
    }
}
