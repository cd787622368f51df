//! Publish: from rendered bytes to the output folder, reusing what earlier
//! builds made.
//!
//! In: the [`crate::source::Source`] (for keys, before anything is
//! converted), then the assembled site, its [`crate::render::Plan`] and
//! templates. Out: the output folder, written into a staging folder and
//! put in place only when complete ([`output`], [`journal`]); the manifest that lets the
//! next build keep unchanged files ([`incremental`], [`keys`]); the
//! conversion and search caches ([`cache`]). It may import every stage
//! before it, never `lint` or `commands`.
//!
//! To add an output file made from the whole site: name it in
//! [`crate::render::routes::ROOT_FILES`] (so links to it are not broken and
//! static/ cannot overwrite it), render it in `render`, and write it in
//! [`write`] with a key from [`incremental::Keys`].

pub mod cache;
pub mod incremental;
pub mod journal;
pub mod keys;
pub mod minify;
pub mod output;
pub mod progress;
pub mod write;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::convert::engine::Engine;
use crate::convert::site::Site;
use crate::convert::site::{ArticleText, ConversionStore, ConvertedArticle};
use crate::render::{Plan, Templates};
use crate::source::article::Article;
use crate::source::{Source, StaticFile};
use cache::ConversionCache;
use incremental::{Keys, Manifest, Setting};
use keys::Key;

/// Where and how a build publishes.
#[derive(Debug, Clone)]
pub struct Target<'a> {
    /// The site's folder.
    pub root: &'a Path,
    /// The output folder, replaced as a whole when the build succeeds.
    pub output: &'a Path,
    /// Minify HTML, CSS and JavaScript.
    pub minify: bool,
    /// Every build option that changes the output, as text, for the keys.
    pub options: String,
}

/// A site ready to publish: what every stage before this one made. After
/// a build, the preview server keeps it for its quick path, which runs the
/// same stages again for one article.
#[derive(Debug)]
pub struct Published {
    /// The assembled site.
    pub site: Site,
    /// Its templates, parsed once.
    pub templates: Templates,
    /// Every output path.
    pub plan: Plan,
    /// The files of static/.
    pub statics: Vec<StaticFile>,
    /// Each search block's key in the search cache, oldest first, once the
    /// site is written: the preview merges a tier again from them.
    pub search_blocks: Vec<Key>,
    /// Each article's [`ConversionCache::key`], as the build read it; the
    /// preview updates an article's when it converts it again, and keys
    /// the search blocks it indexes from them.
    pub conversion_keys: Vec<Key>,
    /// The conversion cache the build read, for those keys.
    pub conversions: ConversionCache,
    /// The articles the preview has converted again since the build: the
    /// search blocks holding them are no longer the build's.
    pub edited: std::collections::BTreeSet<usize>,
}

/// Where the record of the articles published into `output` is kept
/// ([`crate::source::record`]): beside the output's manifest.
pub fn record_place(root: &Path, output: &Path) -> crate::source::record::Place {
    crate::source::record::Place {
        path: Manifest::path(root, output).with_extension("articles.bin"),
        binary: keys::Hasher::new("binary").binary().finish(),
    }
}

/// What the previous build into the same output folder, and the caches of
/// every earlier build of the site, can lend this one.
#[derive(Debug)]
pub struct Previous {
    /// The keys of this build's inputs.
    pub keys: Keys,
    /// Each static file's key, aligned with [`Source::statics`].
    pub static_keys: Vec<Key>,
    /// The last build's manifest (empty when there was none).
    pub manifest: Manifest,
    manifest_path: PathBuf,
    /// The conversion cache.
    pub cache: ConversionCache,
    /// Each article's entry in the conversion cache, aligned with the
    /// articles.
    pub conversion_keys: Vec<Key>,
    /// The keys of the entries the conversion cache holds, listed once when
    /// first needed.
    present: std::sync::OnceLock<std::sync::Arc<std::collections::HashSet<Key>>>,
}

impl Previous {
    /// Keys for `source` published to `target` with `templates` and
    /// `engine`, and the manifest of the last build into the same folder.
    /// Needs only the loaded input: nothing is converted or rendered yet.
    pub fn open(
        target: &Target<'_>,
        source: &Source,
        templates: Option<&Templates>,
        engine: &dyn Engine,
    ) -> Previous {
        let engine = engine.fingerprint();
        let setting = Setting {
            engine: &engine,
            options: target.options.clone(),
            // Without templates the build fails before writing: the keys
            // are never compared then.
            templates: templates.map_or("", |t| &t.fingerprint),
            counted: templates.map(|t| t.counted.clone()).unwrap_or_default(),
        };
        let static_dir = target.root.join(crate::layout::STATIC_DIR);
        let static_keys: Vec<Key> = source
            .statics
            .iter()
            .map(|f| {
                let from = f
                    .made
                    .clone()
                    .unwrap_or_else(|| static_dir.join(&f.relative));
                incremental::static_key(&f.output, &from)
            })
            .collect();
        let named: Vec<(String, Key)> = source
            .statics
            .iter()
            .zip(&static_keys)
            .map(|(f, key)| (f.output.clone(), key.clone()))
            .collect();
        let keys = Keys::compute(
            &source.config,
            &source.articles,
            &source.topics,
            &named,
            &setting,
        );
        let manifest_path = Manifest::path(target.root, target.output);
        let cache = ConversionCache::open(target.root, &source.config, &engine);
        let conversion_keys = keys.articles.iter().map(|k| cache.key(k)).collect();
        Previous {
            manifest: Manifest::load(&manifest_path),
            manifest_path,
            keys,
            static_keys,
            cache,
            conversion_keys,
            present: Default::default(),
        }
    }

    /// The keys of the entries the conversion cache holds as the build
    /// starts.
    fn present(&self) -> &std::sync::Arc<std::collections::HashSet<Key>> {
        self.present
            .get_or_init(|| std::sync::Arc::new(self.cache.present()))
    }

    /// Whether the input is the one the last build published, and its
    /// output is still as written: then there is nothing to do.
    pub fn unchanged(&self, output: &Path) -> bool {
        self.manifest.unchanged(&self.keys.whole, output)
    }

    /// The HTML pages the last build wrote.
    pub fn pages(&self) -> usize {
        self.manifest
            .files
            .keys()
            .filter(|f| f.ends_with(".html"))
            .count()
    }

    /// Saves the manifest of a build into `output` that wrote `written`.
    /// `restat` lists the files it wrote (or compared with what it would
    /// have written); the others are as the last manifest has them.
    pub fn save(
        &self,
        output: &Path,
        written: BTreeMap<String, Key>,
        restat: &std::collections::BTreeSet<String>,
    ) {
        let whole = self.keys.whole.clone();
        Manifest::save(
            &self.manifest_path,
            output,
            whole,
            written,
            &self.manifest,
            restat,
        );
    }

    /// `site` ready to publish with `templates` as `plan` says, with this
    /// build's caches for the preview's quick path.
    pub fn ready(
        &self,
        site: Site,
        templates: Templates,
        plan: Plan,
        statics: Vec<StaticFile>,
    ) -> Published {
        Published {
            site,
            templates,
            plan,
            statics,
            search_blocks: Vec::new(),
            conversion_keys: self.conversion_keys.clone(),
            conversions: self.cache.clone(),
            edited: Default::default(),
        }
    }

    /// The articles of `source` taken from the record (or with a
    /// hand-edited variant taken from it) whose converted text the
    /// conversion cache no longer holds: they must be read again, whole, to
    /// be converted.
    pub fn lost(&self, source: &Source) -> Vec<usize> {
        if !source.articles.iter().any(Article::unread) {
            return Vec::new();
        }
        let present = self.present();
        (source
            .articles
            .iter()
            .zip(&self.conversion_keys)
            .enumerate())
        .filter(|(_, (a, key))| a.unread() && !present.contains(*key))
        .map(|(i, _)| i)
        .collect()
    }

    /// Drops the conversion cache's entries that no article of this build
    /// uses (those this build stored are its articles', so all used).
    pub fn forget_unused_conversions(&self) {
        let used: std::collections::HashSet<&Key> = self.conversion_keys.iter().collect();
        let unused = self.present().iter().filter(|key| !used.contains(key));
        self.cache.remove(unused);
    }
}

impl Previous {
    /// The conversion cache, entry by article: where the convert stage
    /// takes and keeps articles, and where the site reads texts back from.
    /// `listed`: an entry the cache's folder lists is taken as readable
    /// (read back only when a page needs it); otherwise each entry's short
    /// texts are read now, and a damaged one converted again.
    pub fn conversions(&self, listed: bool) -> std::sync::Arc<dyn ConversionStore + Send> {
        std::sync::Arc::new(Conversions {
            cache: self.cache.clone(),
            keys: self.conversion_keys.clone(),
            present: listed.then(|| std::sync::Arc::clone(self.present())),
        })
    }
}

/// The conversion cache's entries of one build's articles, by article.
struct Conversions {
    cache: ConversionCache,
    /// Each article's key, aligned with the articles.
    keys: Vec<Key>,
    /// The keys of the entries there were as the build started, when the
    /// listing is trusted; otherwise an entry is held when its short texts
    /// read back (a damaged one is then converted again).
    present: Option<std::sync::Arc<std::collections::HashSet<Key>>>,
}

impl ConversionStore for Conversions {
    fn load(&self, index: usize) -> Option<ConvertedArticle> {
        self.cache.load(&self.keys[index])
    }

    fn load_texts(&self, index: usize) -> Option<Vec<ArticleText>> {
        self.cache.load_texts(&self.keys[index])
    }

    fn store(&self, index: usize, converted: &ConvertedArticle) -> bool {
        self.cache.store(&self.keys[index], converted)
    }

    fn holds(&self, index: usize) -> bool {
        match &self.present {
            Some(present) => present.contains(&self.keys[index]),
            None => self.load_texts(index).is_some(),
        }
    }
}
