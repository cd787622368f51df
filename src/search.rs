//! Search that understands Chinese in either script, built with Pagefind
//! used as a library (its `extended` build segments Chinese into words).
//!
//! Each variant gets its own index, under `<prefix>/pagefind/`. An article's
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

use crate::render::Route;
use crate::site::Site;

/// How much of an article search indexes, in characters. Articles are a few
/// thousand characters; Pagefind's indexer slows quadratically on very long
/// unbroken Chinese text, so the rest of an unusually long one is left out.
pub const INDEXED_CHARACTERS: usize = 20_000;

/// The normalisation table the search pages fetch, at the output root.
pub const TABLE_FILE: &str = "search-normalize.json";

/// The table: every character whose Simplified form differs, as JSON
/// (`{"數":"数", …}`), sorted so builds are reproducible.
pub fn table_json() -> String {
    let table: BTreeMap<String, String> = crate::script::simplified_forms()
        .map(|(t, s)| (t.to_string(), s.to_string()))
        .collect();
    serde_json::to_string(&table).expect("a map of strings serializes")
}

/// `text` with each character in its Simplified form.
pub fn normalize(text: &str) -> String {
    text.chars().map(crate::script::simplified_form).collect()
}

/// The files of every variant's index, as (output path, bytes).
pub fn indexes(site: &Site) -> Result<Vec<(String, Vec<u8>)>> {
    // Pagefind indexes one record at a time, so the variants' indexes are
    // built side by side, each on its own thread with a small runtime (its
    // API is async; the build is not).
    let bundles: Vec<Vec<(String, Vec<u8>)>> = (0..site.editions.len())
        .into_par_iter()
        .map(|number| {
            let edition = &site.editions[number];
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .context("cannot start the search indexer")?;
            let bundle = runtime
                .block_on(index_edition(site, number))
                .with_context(|| {
                    format!("cannot build the search index of {}", edition.variant.key)
                })?;
            Ok(bundle
                .into_iter()
                .map(|file| {
                    let name = file.filename.to_string_lossy().replace('\\', "/");
                    (
                        format!("{}/pagefind/{name}", edition.variant.prefix),
                        file.contents,
                    )
                })
                .collect())
        })
        .collect::<Result<_>>()?;
    let mut files: Vec<(String, Vec<u8>)> = bundles.into_iter().flatten().collect();
    files.sort_by(|a, b| a.0.cmp(&b.0));
    Ok(files)
}

async fn index_edition(site: &Site, number: usize) -> Result<Vec<pagefind::api::SyntheticFile>> {
    let edition = &site.editions[number];
    let options = pagefind::options::PagefindServiceConfig::builder()
        .keep_index_url(true)
        .force_language("zh".to_string())
        .build();
    let mut index = pagefind::api::PagefindIndex::new(Some(options))?;
    for (i, article) in site.articles.iter().enumerate() {
        let text = &edition.articles[i];
        let url = format!(
            "{}{}",
            site.config.base_path,
            Route::Article { index: i }.path(site, &edition.variant.prefix)
        );
        let full = format!("{}\n{}\n{}", text.title, text.summary, site.search_texts[i]);
        let content: String = normalize(&full).chars().take(INDEXED_CHARACTERS).collect();
        let topics: Vec<String> = article
            .front
            .topics
            .iter()
            .map(|(key, _)| edition.topics[key].name.clone())
            .collect();
        let meta = BTreeMap::from([
            ("title".to_string(), text.title.clone()),
            ("summary".to_string(), text.summary.clone()),
            ("date".to_string(), text.date.clone()),
        ]);
        let filters = BTreeMap::from([("topic".to_string(), topics)]);
        let sort = BTreeMap::from([("date".to_string(), article.front.date.rfc3339())]);
        index
            .add_custom_record(
                url,
                content,
                "zh".to_string(),
                Some(meta),
                Some(filters),
                Some(sort),
            )
            .await
            .with_context(|| format!("cannot index {}", article.file.display()))?;
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
