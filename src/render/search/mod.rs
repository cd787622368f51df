//! Search that understands Chinese in either script, built with Pagefind
//! used as a library (its `extended` build segments Chinese into words).
//!
//! One index serves every variant, under `pagefind/`, in *tiers* by age
//! ([`tiers`]): Pagefind indexes blocks of [`BLOCK_SIZE`] articles, and
//! [`merge`] joins [`TIER_BLOCKS`] of them into one tier, which the search
//! page loads newest first, an older tier only when the newer ones hold too
//! few results. An article's
//! *indexed text* is normalised to Simplified character by character with a
//! table read from OpenCC's dictionaries; the search page normalises the
//! reader's query with the very same table (written to [`TABLE_FILE`]), so
//! 數碼港 and 数码港 find the same articles on every variant. What a reader
//! sees of a result — title, summary, topics — is stored as metadata in the
//! variant's own script, so results always show in the page's script.
//! Normalising character by character (never by phrase) is what makes the
//! two sides agree exactly.

use std::collections::BTreeMap;

use anyhow::{Context, Result};
use rayon::prelude::*;

use crate::convert::site::Site;

mod merge;

pub use merge::{merge, ENTRY};

/// A Pagefind bundle's files, as (path inside its folder, bytes), sorted by
/// path.
pub type Bundle = Vec<(String, Vec<u8>)>;

/// How much of an article search indexes, in characters. Articles are a few
/// thousand characters; Pagefind's indexer slows quadratically on very long
/// unbroken Chinese text, so the rest of an unusually long one is left out.
pub const INDEXED_CHARACTERS: usize = 20_000;

/// The normalisation table the search pages fetch, at the output root.
pub const TABLE_FILE: &str = "search-normalize.json";

/// The table: every character whose Simplified form differs, as JSON
/// (`{"數":"数", …}`), sorted so builds are reproducible.
pub fn table_json() -> String {
    let table: BTreeMap<String, String> = crate::convert::script::simplified_forms()
        .map(|(t, s)| (t.to_string(), s.to_string()))
        .collect();
    serde_json::to_string(&table).expect("a map of strings serializes")
}

/// `text` with each character in its Simplified form.
pub fn normalize(text: &str) -> String {
    text.chars()
        .map(crate::convert::script::simplified_form)
        .collect()
}

/// The folder of the search index, at the output root.
pub const INDEX_DIR: &str = "pagefind";

/// Articles Pagefind indexes at once: a *block*. Pagefind holds about
/// 0.4 MB per article until an index is written, so the block bounds the
/// build's memory (a few blocks are indexed side by side, see
/// [`INDEXING_THREADS`]); a new article costs indexing its block again, so
/// it bounds the time an edit takes too. Blocks are cached. At 125 rather
/// than 250 a clean 10,000-article build peaks at 562–569 MB instead of
/// 642–655 MB, in about the same time (BENCHMARKS.md).
pub const BLOCK_SIZE: usize = 125;

/// Blocks merged into one *tier*, the index a reader's browser loads: 40
/// blocks, 5,000 articles. Tiers are by age, oldest first; every tier but
/// the newest is full and never changes as news is added, so a new article
/// costs its block and a merge of the newest tier. The search page loads the
/// newest tier first and an older one only when the newer ones hold too few
/// results, so the first results of a query cost the same whatever the size
/// of the archive (BENCHMARKS.md, "Tiers").
pub const TIER_BLOCKS: usize = 40;

/// How many blocks are indexed side by side at most, whatever the cores:
/// each holds its block in memory.
pub const INDEXING_THREADS: usize = 4;

/// A block of the search index: what Pagefind indexes in one go.
#[derive(Debug, Clone)]
pub struct Block {
    /// Indices into [`Site::articles`], oldest first.
    pub members: Vec<usize>,
}

/// A tier of the search index: its blocks, merged, in one folder.
#[derive(Debug, Clone)]
pub struct Tier {
    /// Its folder under [`INDEX_DIR`], e.g. `tier-00` (the oldest).
    pub name: String,
    /// Its blocks, oldest first.
    pub blocks: Vec<Block>,
}

impl Tier {
    /// Its folder in the output, e.g. `pagefind/tier-00/`.
    pub fn folder(&self) -> String {
        format!("{INDEX_DIR}/{}/", self.name)
    }
}

/// The tiers of `site`'s index, oldest first: blocks of [`BLOCK_SIZE`]
/// articles from the oldest, [`TIER_BLOCKS`] blocks to a tier, the newest
/// block and tier partial.
pub fn tiers(site: &Site) -> Vec<Tier> {
    let oldest_first: Vec<usize> = (0..site.articles.len()).rev().collect();
    let blocks: Vec<Block> = oldest_first
        .chunks(BLOCK_SIZE)
        .map(|members| Block {
            members: members.to_vec(),
        })
        .collect();
    let mut tiers: Vec<Tier> = blocks
        .chunks(TIER_BLOCKS)
        .enumerate()
        .map(|(number, blocks)| Tier {
            name: format!("tier-{number:02}"),
            blocks: blocks.to_vec(),
        })
        .collect();
    if tiers.is_empty() {
        // A site with no articles yet still has a (empty) working search.
        tiers.push(Tier {
            name: "tier-00".to_string(),
            blocks: vec![Block {
                members: Vec::new(),
            }],
        });
    }
    tiers
}

/// The URLs of every tier's bundle, relative to the output root, **newest
/// first**: the order the search page loads them in.
pub fn tier_paths(site: &Site) -> Vec<String> {
    tiers(site).iter().rev().map(Tier::folder).collect()
}

/// What the index holds of one article, taken out of the site so that a
/// block can be indexed apart from it (the preview server indexes on a
/// thread of its own while the site changes).
#[derive(Debug, Clone)]
pub struct Record {
    /// The article's address relative to a variant's root, e.g.
    /// `articles/<slug>/`.
    url: String,
    /// The indexed text, normalised to one script.
    content: String,
    /// What a result shows, per variant (`title-zh-hans`, …).
    meta: BTreeMap<String, String>,
    /// Topic keys.
    filters: BTreeMap<String, Vec<String>>,
    /// The date, for sorting.
    sort: BTreeMap<String, String>,
    /// The article's file, for error messages.
    file: std::path::PathBuf,
}

/// The records of `block`'s articles, oldest first. Fails only when an
/// article's body cannot be read back ([`Site::body`](crate::convert::site::Site::body)).
///
/// One index serves every script: the indexed text is normalised to one
/// script anyway. What a reader sees of a result is stored per variant
/// (`title-zh-hans`, `summary-zh-hans`, `date-zh-hans` …) with the article's
/// slug, and topic filters hold topic keys, so each search page shows results
/// and topics in its own script and links into its own variant.
pub fn records(site: &Site, block: &Block) -> Result<Vec<Record>> {
    block
        .members
        .iter()
        .map(|&i| {
            let article = &site.articles[i];
            let mut meta = BTreeMap::from([("slug".to_string(), article.slug.clone())]);
            // Every variant's headline and summary is searchable (a
            // hand-edited variant may word them differently); the body is
            // the source's.
            let mut headings: Vec<String> = Vec::new();
            for (number, edition) in site.editions.iter().enumerate() {
                let text = site.text(number, i)?;
                let key = &edition.variant.key;
                meta.insert(format!("title-{key}"), text.title.clone());
                meta.insert(format!("summary-{key}"), text.summary.clone());
                meta.insert(format!("date-{key}"), text.date.clone());
                // Converted text normalises back to the source's: index it once.
                let heading = normalize(&format!("{}\n{}", text.title, text.summary));
                if !headings.contains(&heading) {
                    headings.push(heading);
                }
            }
            let body = site.body(i)?;
            headings.push(normalize(&body.search_text));
            let content: String = headings
                .join("\n")
                .chars()
                .take(INDEXED_CHARACTERS)
                .collect();
            meta.insert("title".to_string(), normalize(&site.text(0, i)?.title));
            let topics: Vec<String> = article
                .front
                .topics
                .iter()
                .map(|(key, _)| key.clone())
                .collect();
            Ok(Record {
                url: format!("{}/{}/", crate::layout::ARTICLES_DIR, article.slug),
                content,
                meta,
                filters: BTreeMap::from([("topic".to_string(), topics)]),
                sort: BTreeMap::from([("date".to_string(), article.front.date.rfc3339())]),
                file: article.file.clone(),
            })
        })
        .collect()
}

/// The threads blocks are indexed on: at most [`INDEXING_THREADS`].
pub fn indexing_pool() -> Result<rayon::ThreadPool> {
    rayon::ThreadPoolBuilder::new()
        .num_threads(rayon::current_num_threads().min(INDEXING_THREADS))
        .build()
        .context("cannot start the search indexer")
}

/// Indexes the blocks of `blocks` that `cached` has no files for, side by
/// side on `pool`, and returns every block's files, aligned with `blocks`;
/// `store` is given each block indexed anew.
pub fn block_files(
    pool: &rayon::ThreadPool,
    site: &Site,
    blocks: &[Block],
    cached: Vec<Option<Bundle>>,
    store: impl Fn(usize, &Bundle) + Sync,
) -> Result<Vec<Bundle>> {
    pool.install(|| {
        (blocks.par_iter().zip(cached).enumerate())
            .map(|(number, (block, cached))| match cached {
                Some(files) => Ok(files),
                None => {
                    let files = index(records(site, block)?)?;
                    store(number, &files);
                    Ok(files)
                }
            })
            .collect()
    })
}

/// One block's files, indexed from `records` by Pagefind, as (path inside
/// the bundle's folder, bytes), sorted by path.
pub fn index(records: Vec<Record>) -> Result<Bundle> {
    // Pagefind's API is async; the build is not. Each block gets a small
    // runtime of its own.
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .context("cannot start the search indexer")?;
    let files = runtime.block_on(index_records(records))?;
    let mut files: Bundle = files
        .into_iter()
        .map(|file| {
            let name = file.filename.to_string_lossy().replace('\\', "/");
            (name, file.contents)
        })
        .collect();
    files.sort_by(|a, b| a.0.cmp(&b.0));
    Ok(files)
}

async fn index_records(records: Vec<Record>) -> Result<Vec<pagefind::api::SyntheticFile>> {
    let options = pagefind::options::PagefindServiceConfig::builder()
        .keep_index_url(true)
        .force_language("zh".to_string())
        .build();
    let mut index = pagefind::api::PagefindIndex::new(Some(options))?;
    for record in records {
        index
            .add_custom_record(
                record.url,
                record.content,
                "zh".to_string(),
                Some(record.meta),
                Some(record.filters),
                Some(record.sort),
            )
            .await
            .with_context(|| format!("cannot index {}", record.file.display()))?;
    }
    index.get_files().await
}

impl Record {
    /// A record made up for tests: one variant's title, one topic, a date.
    #[cfg(test)]
    pub(crate) fn custom(url: &str, content: &str, title: &str, topic: &str, date: &str) -> Self {
        Record {
            url: url.to_string(),
            content: normalize(content),
            meta: BTreeMap::from([("title".to_string(), title.to_string())]),
            filters: BTreeMap::from([("topic".to_string(), vec![topic.to_string()])]),
            sort: BTreeMap::from([("date".to_string(), date.to_string())]),
            file: std::path::PathBuf::from(url),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_scripts_normalise_alike() {
        assert_eq!(normalize("數碼港"), normalize("数码港"));
        assert_eq!(normalize("香港綠色科技"), "香港绿色科技");
        assert_eq!(normalize("GreenTech 2025"), "GreenTech 2025");
    }

    #[test]
    fn the_table_is_what_normalize_uses() {
        let table: BTreeMap<String, String> = serde_json::from_str(&table_json()).expect("JSON");
        assert_eq!(table.get("數").map(String::as_str), Some("数"));
        assert!(!table.contains_key("港"), "only characters that change");
        assert!(table.len() > 2000, "{} entries", table.len());
    }
}
