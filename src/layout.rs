//! The names of a site's folders and files, as the editor sees them on
//! disk: one place for each, so `build`, `check`, `serve` and the help
//! texts always agree; and the one fact about the output that every stage
//! needs, where an article's page is. The rest of what a build *writes* is
//! named by [`crate::render::routes`].

/// The site configuration, at the site's root.
pub const SITE_FILE: &str = "site.yaml";

/// The articles, one Markdown file each.
pub const CONTENT_DIR: &str = "content";

/// The Tera templates.
pub const TEMPLATES_DIR: &str = "templates";

/// Files copied as they are to the output root.
pub const STATIC_DIR: &str = "static";

/// Where `build` writes when no `--output` is given, under the site root.
pub const DEFAULT_OUTPUT_DIR: &str = "public";

/// The file that marks a folder as jianfan's output (and a staging folder
/// as jianfan's): only such folders are ever replaced or removed.
pub const OUTPUT_MARKER: &str = ".jianfan-output";

/// The build caches (manifests, conversions, search shards), under the
/// site root: never served, and safe to delete.
pub const CACHE_DIR: &str = ".jianfan-cache";

/// Every folder and file `serve` watches: what a build reads.
pub const INPUTS: [&str; 4] = [CONTENT_DIR, TEMPLATES_DIR, STATIC_DIR, SITE_FILE];

/// The folder under each variant's prefix that holds the article pages.
pub const ARTICLES_DIR: &str = "articles";

/// The URL path, from the site root, of an article's page in the variant
/// at `prefix`: `zh-hans/articles/<slug>/`. Every article page is a folder
/// of its own in [`ARTICLES_DIR`], which links between articles rely on
/// ([`crate::convert::markdown`] writes them relative).
pub fn article_path(prefix: &str, slug: &str) -> String {
    format!("{prefix}/{ARTICLES_DIR}/{slug}/")
}
