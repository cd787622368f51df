//! Search that understands Chinese in either script, built with Pagefind
//! used as a library (its `extended` build segments Chinese into words).
//!
//! One index serves every variant, under `pagefind/`, in shards of
//! [`SHARD_SIZE`] articles that the search page merges. An article's
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

/// One shard's files, as (path inside the shard's folder, bytes).
pub type ShardFiles = Vec<(String, Vec<u8>)>;

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

/// Articles per index shard. Pagefind's cost per article grows with the
/// size of an index (and its memory with it), so a large archive is indexed
/// in shards of this many articles, oldest first: a shard of old articles
/// never changes as news is added, so incremental builds reuse it, and the
/// shards are built side by side. The search page merges them. Smaller
/// shards build faster and in less memory but cost every reader more
/// requests per search (BENCHMARKS.md, "What a reader pays for the shards").
pub const SHARD_SIZE: usize = 1_000;

/// One shard of the search index.
#[derive(Debug, Clone)]
pub struct Shard {
    /// Its folder under [`INDEX_DIR`], e.g. `shard-000` (the oldest).
    pub name: String,
    /// Indices into [`Site::articles`], oldest first.
    pub members: Vec<usize>,
}

impl Shard {
    /// Its folder in the output, e.g. `pagefind/shard-000/`.
    pub fn folder(&self) -> String {
        format!("{INDEX_DIR}/{}/", self.name)
    }
}

/// The shards of `site`'s index: the oldest [`SHARD_SIZE`] articles, the
/// next ones, … the newest (partial) shard last.
pub fn shards(site: &Site) -> Vec<Shard> {
    let oldest_first: Vec<usize> = (0..site.articles.len()).rev().collect();
    let mut shards: Vec<Shard> = oldest_first
        .chunks(SHARD_SIZE)
        .enumerate()
        .map(|(number, members)| Shard {
            name: format!("shard-{number:03}"),
            members: members.to_vec(),
        })
        .collect();
    if shards.is_empty() {
        // A site with no articles yet still has a (empty) working search.
        shards.push(Shard {
            name: "shard-000".to_string(),
            members: Vec::new(),
        });
    }
    shards
}

/// The URLs of every shard's bundle, relative to the output root, for the
/// search pages.
pub fn shard_paths(site: &Site) -> Vec<String> {
    shards(site).iter().map(Shard::folder).collect()
}

/// What the index holds of one article, taken out of the site so that a
/// shard can be indexed apart from it (the preview server indexes on a
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

/// The records of `shard`'s articles, oldest first.
///
/// One index serves every script: the indexed text is normalised to one
/// script anyway. What a reader sees of a result is stored per variant
/// (`title-zh-hans`, `summary-zh-hans`, `date-zh-hans` …) with the article's
/// slug, and topic filters hold topic keys, so each search page shows results
/// and topics in its own script and links into its own variant.
pub fn records(site: &Site, shard: &Shard) -> Vec<Record> {
    shard
        .members
        .iter()
        .map(|&i| {
            let article = &site.articles[i];
            let mut meta = BTreeMap::from([("slug".to_string(), article.slug.clone())]);
            // Every variant's headline and summary is searchable (a
            // hand-edited variant may word them differently); the body is
            // the source's.
            let mut headings: Vec<String> = Vec::new();
            for edition in &site.editions {
                let text = &edition.articles[i];
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
            headings.push(normalize(&site.search_texts[i]));
            let content: String = headings
                .join("\n")
                .chars()
                .take(INDEXED_CHARACTERS)
                .collect();
            meta.insert(
                "title".to_string(),
                normalize(&site.editions[0].articles[i].title),
            );
            let topics: Vec<String> = article
                .front
                .topics
                .iter()
                .map(|(key, _)| key.clone())
                .collect();
            Record {
                url: format!("{}/{}/", crate::layout::ARTICLES_DIR, article.slug),
                content,
                meta,
                filters: BTreeMap::from([("topic".to_string(), topics)]),
                sort: BTreeMap::from([("date".to_string(), article.front.date.rfc3339())]),
                file: article.file.clone(),
            }
        })
        .collect()
}

/// The files of each of `shards` (aligned with it), built side by side.
pub fn build_shards(site: &Site, shards: &[Shard]) -> Result<Vec<ShardFiles>> {
    shards
        .par_iter()
        .map(|shard| {
            index(records(site, shard))
                .with_context(|| format!("cannot build the search index {}", shard.name))
        })
        .collect()
}

/// One shard's files, indexed from `records`, as (path inside the shard's
/// [`Shard::folder`], bytes), sorted by path.
pub fn index(records: Vec<Record>) -> Result<ShardFiles> {
    // Pagefind's API is async; the build is not. Each shard gets a small
    // runtime of its own.
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .context("cannot start the search indexer")?;
    let files = runtime.block_on(index_records(records))?;
    let mut files: ShardFiles = files
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
