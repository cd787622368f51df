//! Reusing the previous build: which output files can stay as they are.
//!
//! Every output file gets a *key*, a hash of exactly the inputs it is made
//! from: the site-wide inputs (site.yaml, templates, options, the engine, the
//! jianfan binary, the topics) plus, for a page, the articles it shows and
//! the archive pages it links to ([`crate::render::Route::links`]), and the
//! topic counts only for the pages whose templates show them. An
//! article is keyed by its slug and its source bytes (and its hand-edited
//! variants'), so keys are known right after loading, before anything is
//! converted or rendered.
//!
//! After a build, a manifest (file → key, size, modification time) is saved
//! in `.jianfan-cache/builds/` under the site root: outside the output, so it
//! is never served, and safe to delete (the next build is then a clean one).
//! The next build into the same folder:
//! - does nothing at all when the whole input is the same and every file of
//!   the previous output is still as written ([`Manifest::unchanged`]);
//! - otherwise renders only the files whose key changed and keeps the rest
//!   ([`Manifest::reusable`]): left in place when the output is updated in
//!   place, hard-linked into the staging folder when it is swapped whole.
//!   Unchanged files are never rewritten (their modification times stay,
//!   which sync tools and CDNs notice).

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use indexmap::IndexMap;
use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::fs::{FileInfo, Folder};
use crate::layout::CACHE_DIR;
use crate::publish::keys::{Hasher, Key};
use crate::render::Route;
use crate::source::article::Article;
use crate::source::config::SiteConfig;

/// The keys of one build's inputs.
#[derive(Debug, Clone)]
pub struct Keys {
    /// Everything every page depends on.
    pub site: Key,
    /// How many articles there are, in all and per topic: what the topic
    /// list shows, and the search page's tiers. Other pages leave it out
    /// unless their templates mention a count, so that publishing one
    /// article does not render every other page again.
    pub listing: Key,
    /// The route templates whose pages depend on [`Keys::listing`]
    /// ([`crate::render::Templates::counted`]).
    counted: Vec<&'static str>,
    /// Per article, aligned with the article list.
    pub articles: Vec<Key>,
    /// The whole input: equal keys mean an identical site.
    pub whole: Key,
}

/// An article's key: its slug, file and source bytes, and those of its
/// hand-edited variants. Known right after loading.
pub(crate) fn article_key(article: &Article) -> Key {
    let mut h = Hasher::new("article");
    h.part(article.slug.as_bytes())
        .part(article.file.to_string_lossy().as_bytes())
        .part(article.source_hash.as_bytes());
    for (variant, fork) in &article.forks {
        h.part(variant.as_bytes()).part(fork.source_hash.as_bytes());
    }
    // Its pages lay out its photos' sizes: a photo replaced under the same
    // name makes them again.
    for image in article.files().flat_map(|a| &a.images) {
        h.part(
            image
                .photo
                .as_ref()
                .map_or(b"-".as_slice(), |p| p.key.as_bytes()),
        );
    }
    h.finish()
}

/// What, besides the content, decides the output.
#[derive(Debug, Clone)]
pub struct Setting<'a> {
    /// The conversion engine's [`crate::convert::Engine::fingerprint`].
    pub engine: &'a str,
    /// Build options that change the output (drafts, future, minify…), as text.
    pub options: String,
    /// [`crate::render::Templates::fingerprint`].
    pub templates: &'a str,
    /// [`crate::render::Templates::counted`].
    pub counted: Vec<&'static str>,
}

impl Keys {
    /// Keys for `articles` published with `config` in `setting`.
    pub fn compute(
        config: &SiteConfig,
        articles: &[Article],
        topic_articles: &IndexMap<String, Vec<usize>>,
        static_files: &[(String, Key)],
        setting: &Setting<'_>,
    ) -> Keys {
        let mut site = Hasher::new("site");
        site.binary()
            .part(setting.engine.as_bytes())
            .part(setting.options.as_bytes())
            .part(config.base_url.as_bytes());
        site.part(config.text.as_bytes());
        site.part(setting.templates.as_bytes());
        // The navigation lists every topic.
        for key in topic_articles.keys() {
            site.part(key.as_bytes());
        }
        let site = site.finish();
        // List pages show how many articles each topic has, and page on the
        // number of articles.
        let mut listing = Hasher::new("listing");
        listing.part(site.as_bytes()).number(articles.len());
        for members in topic_articles.values() {
            listing.number(members.len());
        }
        let listing = listing.finish();

        let article_keys: Vec<Key> = articles.par_iter().map(article_key).collect();
        let mut whole = Hasher::new("whole");
        whole.part(site.as_bytes());
        for key in &article_keys {
            whole.part(key.as_bytes());
        }
        // static/ decides no page, but a file there can break a link or
        // collide with a page, and is itself part of the output.
        for (file, key) in static_files {
            whole.part(file.as_bytes()).part(key.as_bytes());
        }
        Keys {
            site,
            listing,
            counted: setting.counted.clone(),
            whole: whole.finish(),
            articles: article_keys,
        }
    }

    /// The key of `route` in edition `edition`: `members` are the articles
    /// it shows ([`Route::members`]), `links` the list pages it links to
    /// that other articles decide ([`Route::links`]).
    pub fn page(&self, route: &Route, edition: usize, members: &[usize], links: &[Route]) -> Key {
        let mut h = Hasher::new("page");
        let counts = matches!(route, Route::Topics | Route::Search)
            || self.counted.contains(&route.template());
        let site = if counts { &self.listing } else { &self.site };
        h.part(site.as_bytes()).number(edition);
        // An article page is named by its article (the slug is in its key),
        // not by its place in the list, which a newer article shifts.
        match route {
            Route::Article { .. } => h.part(b"article"),
            other => h.part(format!("{other:?}").as_bytes()),
        };
        for &i in members {
            h.part(self.articles[i].as_bytes());
        }
        for link in links {
            h.part(format!("{link:?}").as_bytes());
        }
        h.finish()
    }

    /// The key of a file made from site-wide inputs only (robots.txt…);
    /// the listing is in it, as the root 404 page shows the navigation.
    pub fn site_only(&self, what: &str) -> Key {
        let mut h = Hasher::new(what);
        h.part(self.listing.as_bytes());
        h.finish()
    }
}

/// The key of a file copied from static/: its name, size and time.
pub fn static_key(relative: &str, source: &Path) -> Key {
    let mut h = Hasher::new("static");
    h.part(relative.as_bytes());
    if let Ok(meta) = std::fs::metadata(source) {
        h.number(meta.len() as usize);
        h.part(&FileInfo::of(&meta).modified.to_le_bytes());
    }
    h.finish()
}

/// One output file as the previous build left it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entry {
    /// The key it was made from.
    pub key: Key,
    /// Its size, to notice it was changed since.
    pub size: u64,
    /// Its modification time in nanoseconds since 1970, likewise.
    pub modified: i128,
}

/// What a build wrote into an output folder.
#[derive(Debug, Default, Serialize, Deserialize)]
pub struct Manifest {
    /// [`Keys::whole`] of that build.
    pub whole: Key,
    /// Every file, by `/`-separated path.
    pub files: BTreeMap<String, Entry>,
}

impl Manifest {
    /// The manifest file for builds of `root` into `output`.
    pub fn path(root: &Path, output: &Path) -> PathBuf {
        let output = std::path::absolute(output).unwrap_or_else(|_| output.to_path_buf());
        let name = blake3::hash(output.to_string_lossy().as_bytes()).to_hex();
        root.join(CACHE_DIR)
            .join("builds")
            .join(format!("{}.bin", &name[..16]))
    }

    /// The previous build's manifest, or an empty one (a clean build) when
    /// there is none or it cannot be read.
    pub fn load(path: &Path) -> Manifest {
        std::fs::read(path)
            .ok()
            .and_then(|bytes| postcard::from_bytes(&bytes).ok())
            .unwrap_or_default()
    }

    /// Records the files of `output` with their keys. A file not in
    /// `restat` (not written by this build) whose key is the one `known`
    /// has for it is taken from `known`, as it was found intact under it;
    /// the others are looked at again. A cache that cannot be written only
    /// makes the next build a clean one, so failure is ignored.
    pub fn save(
        path: &Path,
        output: &Path,
        whole: Key,
        keys: BTreeMap<String, Key>,
        known: &Manifest,
        restat: &BTreeSet<String>,
    ) {
        let output = Folder::open(output);
        let files = keys
            .into_par_iter()
            .filter_map(|(file, key)| {
                if let Some(entry) = known.files.get(&file) {
                    if entry.key == key && !restat.contains(&file) {
                        return Some((file, entry.clone()));
                    }
                }
                let info = output.metadata(Path::new(&file))?;
                let entry = Entry {
                    key,
                    size: info.len,
                    modified: info.modified,
                };
                Some((file, entry))
            })
            .collect();
        let manifest = Manifest { whole, files };
        if let Some(parent) = path.parent() {
            let _ = std::fs::create_dir_all(parent);
        }
        // postcard: a large archive's manifest lists over 100,000 files,
        // and JSON took a tenth of a second each way.
        if let Ok(bytes) = postcard::to_stdvec(&manifest) {
            let temp = path.with_extension("tmp");
            if std::fs::write(&temp, bytes).is_ok() {
                let _ = std::fs::rename(&temp, path);
            }
        }
    }

    /// Whether the output is exactly what a build of `whole` would write:
    /// same input, and every file still as the previous build left it.
    pub fn unchanged(&self, whole: &str, output: &Path) -> bool {
        !self.files.is_empty() && self.whole == whole && {
            let output = Folder::open(output);
            (self.files.par_iter()).all(|(file, entry)| intact(&output, file, entry))
        }
    }

    /// Whether `file` in `output` was made from `key` and is still as written,
    /// so the new build can link it instead of rendering it again.
    pub fn reusable(&self, output: &Folder, file: &str, key: &str) -> bool {
        self.files
            .get(file)
            .is_some_and(|entry| entry.key == key && intact(output, file, entry))
    }
}

fn intact(output: &Folder, file: &str, entry: &Entry) -> bool {
    (output.symlink_metadata(Path::new(file)))
        .is_some_and(|m| m.is_file && m.len == entry.size && m.modified == entry.modified)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_changed_or_touched_file_is_not_reused() {
        let dir = tempfile::tempdir().expect("temp dir");
        let output = dir.path().join("public");
        std::fs::create_dir_all(&output).expect("mkdir");
        std::fs::write(output.join("a.html"), "one").expect("write");
        let path = dir.path().join("manifest.bin");
        let keys = BTreeMap::from([("a.html".to_string(), "k1".to_string())]);
        Manifest::save(
            &path,
            &output,
            "w".into(),
            keys,
            &Manifest::default(),
            &BTreeSet::new(),
        );
        let manifest = Manifest::load(&path);
        assert!(manifest.unchanged("w", &output));
        assert!(!manifest.unchanged("other input", &output));
        let folder = Folder::open(&output);
        assert!(manifest.reusable(&folder, "a.html", "k1"));
        assert!(!manifest.reusable(&folder, "a.html", "k2"));
        assert!(!manifest.reusable(&folder, "b.html", "k1"));
        // Edited by hand since: rendered again, never trusted.
        std::fs::write(output.join("a.html"), "changed").expect("write");
        assert!(!manifest.reusable(&folder, "a.html", "k1"));
        assert!(!manifest.unchanged("w", &output));
    }

    #[test]
    fn a_missing_manifest_means_a_clean_build() {
        let manifest = Manifest::load(Path::new("/nonexistent/manifest.bin"));
        assert!(manifest.files.is_empty());
        assert!(!manifest.unchanged("", Path::new("/nonexistent")));
    }
}
