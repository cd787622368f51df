//! The build caches: work kept between builds so that it is done once.
//!
//! - **Converted articles** ([`ConversionCache`]): each article as every
//!   variant's readers see it — converted with OpenCC, glossaries and markup
//!   applied, Markdown rendered. One file per article under
//!   `.jianfan-cache/converted/` in the site's folder, named by a hash of
//!   exactly what decides its conversion: the article's source bytes (and its
//!   hand-edited variants'), the site.yaml settings that steer conversion
//!   (variants, their OpenCC chains and punctuation, the glossary, the date
//!   format, the summary length, Markdown options), the engine (with the
//!   system OpenCC's library and dictionary files, when it is the engine)
//!   and the jianfan binary. Nothing else — a new topic, a template or `base_url` —
//!   changes a conversion, so none of them empties the cache.
//! - **Search blocks** ([`SearchCache`]): the Pagefind files of each block
//!   of the search index (before blocks are merged into tiers), under
//!   `.jianfan-cache/search/`, named by a hash of its articles' conversion
//!   keys (an index is made from nothing but the converted articles). A
//!   build into a new or emptied output folder, or one whose newest tier
//!   changed, takes them from here instead of indexing the archive again.
//!
//! An entry is never stale: a changed input is a different file name. The
//! caches are outside the output, so they are never served, and safe to
//! delete between builds: a missing, unreadable or damaged entry is made
//! again, and a cache that cannot be written only costs speed. During a
//! build the converted articles are also where each article's body is read
//! back from ([`crate::convert::site::Bodies`]); deleting them then fails
//! that build, which leaves the previous output as it was. After each build,
//! entries the build did not use are removed, so the folders hold about one
//! entry per article and one per search block.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use serde::de::DeserializeOwned;
use serde::Serialize;

use crate::convert::site::{ArticleText, ConvertedArticle};
use crate::layout::CACHE_DIR;
use crate::publish::keys::{Hasher, Key};
use crate::render::search::Bundle;
use crate::source::config::SiteConfig;

/// The converted articles' folder under [`CACHE_DIR`].
pub const CONVERTED_DIR: &str = "converted";

/// The search blocks' folder under [`CACHE_DIR`].
pub const SEARCH_DIR: &str = "search";

/// The file name extension of an entry.
const EXTENSION: &str = "bin";

/// Bumped whenever [`ConvertedArticle`]'s layout changes, so a newer jianfan
/// never reads an older entry (the binary's identity is in the key too; this
/// also covers a cache shared between installations of one version).
const FORMAT: &str = "converted-article 2";

/// Bumped whenever a search entry's layout changes.
const SEARCH_FORMAT: &str = "search-block 1";

/// How much of an entry to read first for [`Entries::load_first`]: a
/// converted article's short texts in two scripts take about 1 KB (a
/// headline, a summary of 120 characters, a date), its body 5 to 20 KB.
/// Reading 8 KB first copied most of each entry: at 30,000 articles that
/// was a fifth of a new article's build.
const FIRST_READ: usize = 2 * 1024;

/// A folder of entries, each one value encoded with postcard in a file named
/// by its key.
#[derive(Debug, Clone)]
struct Entries {
    dir: PathBuf,
}

impl Entries {
    fn path(&self, key: &str) -> PathBuf {
        self.dir.join(format!("{key}.{EXTENSION}"))
    }

    /// The entry for `key`, if there is a readable one.
    fn load<T: DeserializeOwned>(&self, key: &str) -> Option<T> {
        let bytes = std::fs::read(self.path(key)).ok()?;
        // A truncated or otherwise undecodable entry (a full disk, a killed
        // build on a filesystem without atomic rename) is removed, and so
        // made again.
        postcard::from_bytes(&bytes)
            .ok()
            .or_else(|| self.damaged(key))
    }

    /// Removes the damaged entry for `key`, so that no build takes it for
    /// one it can read back.
    fn damaged<T>(&self, key: &str) -> Option<T> {
        let _ = std::fs::remove_file(self.path(key));
        None
    }

    /// The first value of the entry for `key` (the first field of the
    /// struct it holds), read from the file's start only: a converted
    /// article's short texts come before its body, which a build that
    /// converts nothing new never needs to read whole.
    fn load_first<T: DeserializeOwned>(&self, key: &str) -> Option<T> {
        use std::io::Read;
        let mut file = std::fs::File::open(self.path(key)).ok()?;
        let mut bytes = Vec::with_capacity(FIRST_READ);
        file.by_ref()
            .take(FIRST_READ as u64)
            .read_to_end(&mut bytes)
            .ok()?;
        match postcard::take_from_bytes::<T>(&bytes) {
            Ok((value, _)) => Some(value),
            Err(postcard::Error::DeserializeUnexpectedEnd) if bytes.len() == FIRST_READ => {
                file.read_to_end(&mut bytes).ok()?;
                postcard::take_from_bytes::<T>(&bytes)
                    .ok()
                    .map(|(value, _)| value)
                    .or_else(|| self.damaged(key))
            }
            Err(_) => self.damaged(key),
        }
    }

    /// Stores `value` under `key`. Written to a temporary file and renamed,
    /// so a reader never sees half an entry, even when two builds of the
    /// site run at once. Returns whether it was stored; a failure costs
    /// only speed: the next build does the work again.
    fn store<T: Serialize>(&self, key: &str, value: &T) -> bool {
        let Ok(bytes) = postcard::to_stdvec(value) else {
            return false;
        };
        if std::fs::create_dir_all(&self.dir).is_err() {
            return false;
        }
        let Ok(mut temp) = tempfile::Builder::new()
            .prefix(".entry")
            .tempfile_in(&self.dir)
        else {
            return false;
        };
        std::io::Write::write_all(&mut temp, &bytes).is_ok() && temp.persist(self.path(key)).is_ok()
    }

    /// The keys of the entries there are.
    fn present(&self) -> HashSet<Key> {
        let Ok(entries) = std::fs::read_dir(&self.dir) else {
            return HashSet::new();
        };
        let suffix = format!(".{EXTENSION}");
        (entries.flatten())
            .filter_map(|e| Some(e.file_name().to_str()?.strip_suffix(&suffix)?.to_string()))
            .collect()
    }

    /// Removes every entry whose key is not in `used`: what earlier versions
    /// of the content, or deleted articles, left behind.
    fn keep_only(&self, used: &HashSet<Key>) {
        self.remove(self.present().difference(used));
    }

    /// Removes the entries of `keys`.
    fn remove<'a>(&self, keys: impl Iterator<Item = &'a Key>) {
        for key in keys {
            let _ = std::fs::remove_file(self.path(key));
        }
    }
}

/// Converted articles of one site, by key.
#[derive(Debug, Clone)]
pub struct ConversionCache {
    /// `.jianfan-cache/converted/` of the site.
    entries: Entries,
    /// Hash of everything besides the article that decides a conversion.
    setting: Key,
}

impl ConversionCache {
    /// The cache of the site at `root`, for articles converted as `config`
    /// says with the engine whose [`crate::convert::Engine::fingerprint`] is
    /// `engine`.
    pub fn open(root: &Path, config: &SiteConfig, engine: &str) -> Self {
        let mut h = Hasher::new(FORMAT);
        h.binary().part(engine.as_bytes());
        // Only what steers conversion: a variant's name, prefix or language
        // tag, a topic or a UI string leave every article's text as it is.
        for variant in &config.variants {
            h.part(variant.key.as_bytes())
                .part(format!("{:?} {}", variant.opencc, variant.punctuation).as_bytes());
        }
        h.part(format!("{:?}", config.conversion).as_bytes())
            .part(config.date_format.as_bytes())
            .number(config.summary_length)
            .part(format!("{:?}", config.markdown).as_bytes());
        ConversionCache {
            entries: Entries {
                dir: root.join(CACHE_DIR).join(CONVERTED_DIR),
            },
            setting: h.finish(),
        }
    }

    /// The entry's key for the article whose [`crate::publish::incremental::article_key`]
    /// is `article`: it names the article's converted text exactly.
    pub fn key(&self, article: &str) -> Key {
        let mut h = Hasher::new("converted");
        h.part(self.setting.as_bytes()).part(article.as_bytes());
        h.finish()
    }

    /// The entry for `key`, if there is a readable one.
    pub fn load(&self, key: &str) -> Option<ConvertedArticle> {
        self.entries.load(key)
    }

    /// The short texts of the entry for `key`, without reading its body.
    pub fn load_texts(&self, key: &str) -> Option<Vec<ArticleText>> {
        self.entries.load_first(key)
    }

    /// Stores `converted` under `key`; see [`Entries::store`]. Returns
    /// whether it was stored.
    pub fn store(&self, key: &str, converted: &ConvertedArticle) -> bool {
        self.entries.store(key, converted)
    }

    /// The keys of the entries the cache holds now.
    pub fn present(&self) -> HashSet<Key> {
        self.entries.present()
    }

    /// Removes the entries of `keys`.
    pub fn remove<'a>(&self, keys: impl Iterator<Item = &'a Key>) {
        self.entries.remove(keys);
    }
}

/// The search index's blocks of one site, by key: what Pagefind made of
/// them, before they are merged into tiers.
#[derive(Debug, Clone)]
pub struct SearchCache {
    /// `.jianfan-cache/search/` of the site.
    entries: Entries,
}

impl SearchCache {
    /// The cache of the site at `root`.
    pub fn open(root: &Path) -> Self {
        SearchCache {
            entries: Entries {
                dir: root.join(CACHE_DIR).join(SEARCH_DIR),
            },
        }
    }

    /// The key of a block of the articles whose [`ConversionCache::key`]s
    /// are `converted`, oldest first. The index is made from those converted
    /// texts and the articles' front matter (which their source is part of)
    /// alone, so these keys decide it; the binary's identity, in each of
    /// them, covers Pagefind's version and how jianfan calls it.
    pub fn key<'a>(converted: impl IntoIterator<Item = &'a Key>) -> Key {
        let mut h = Hasher::new(SEARCH_FORMAT);
        for key in converted {
            h.part(key.as_bytes());
        }
        h.finish()
    }

    /// The block's files stored under `key`, if there is a readable entry.
    pub fn load(&self, key: &str) -> Option<Bundle> {
        self.entries.load(key)
    }

    /// Stores a block's files under `key`; see [`Entries::store`].
    pub fn store(&self, key: &str, files: &Bundle) {
        self.entries.store(key, files);
    }

    /// Removes every block whose key is not in `used`.
    pub fn keep_only(&self, used: &HashSet<Key>) {
        self.entries.keep_only(used);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::convert::site::{ArticleText, Body};

    const SITE: &str = "title: t\nbase_url: https://example.org/\nvariants:\n  zh-hant: {lang: \
                        zh-Hant-HK, name: 繁體, prefix: zh-hant}\n  zh-hans: {lang: zh-Hans, \
                        name: 简体, prefix: zh-hans, opencc: [hk2s]}\n";

    fn converted(title: &str) -> ConvertedArticle {
        ConvertedArticle {
            texts: vec![ArticleText {
                title: title.to_string(),
                subtitle: None,
                summary: "摘要".to_string(),
                byline: Some("記者".to_string()),
                caption: None,
                alt: None,
                credit: None,
                date: "2025年3月7日".to_string(),
            }],
            body: Body {
                contents: vec!["<p>內文</p>\n".to_string()],
                search_text: "內文".to_string(),
            },
        }
    }

    fn cache(root: &Path, site: &str) -> ConversionCache {
        let config = SiteConfig::parse(site).expect("valid site");
        ConversionCache::open(root, &config, "opencc-fmmseg")
    }

    #[test]
    fn an_entry_reads_back_as_stored_and_unused_ones_go() {
        let dir = tempfile::tempdir().expect("temp dir");
        let cache = cache(dir.path(), SITE);
        let (a, b) = (cache.key("article a"), cache.key("article b"));
        assert_ne!(a, b);
        assert!(cache.load(&a).is_none(), "empty at first");
        assert!(cache.store(&a, &converted("數碼港")), "stored");
        assert!(cache.store(&b, &converted("科學園")), "stored");
        assert_eq!(cache.load(&a), Some(converted("數碼港")));

        assert_eq!(cache.present(), HashSet::from([a.clone(), b.clone()]));
        cache.remove([&a].into_iter());
        assert!(cache.load(&a).is_none(), "unused entry removed");
        assert_eq!(cache.load(&b), Some(converted("科學園")));
    }

    #[test]
    fn short_texts_read_back_without_the_body_whatever_their_length() {
        let dir = tempfile::tempdir().expect("temp dir");
        let cache = cache(dir.path(), SITE);
        // A long body after short texts, and short texts longer than the
        // first read (a summary of 4,000 characters is 12 KB).
        let mut long_body = converted("數碼港");
        long_body.body.contents[0] = "內文".repeat(20_000);
        let mut long_texts = converted("科學園");
        long_texts.texts[0].summary = "摘要".repeat(2_000);
        for (name, article) in [("body", &long_body), ("texts", &long_texts)] {
            let key = cache.key(name);
            assert!(cache.store(&key, article));
            assert_eq!(
                cache.load_texts(&key).as_ref(),
                Some(&article.texts),
                "{name}"
            );
        }
        // A damaged entry is a miss here too.
        let key = cache.key("body");
        let path = cache.entries.path(&key);
        std::fs::write(&path, [0xff; 3]).expect("damage");
        assert!(cache.load_texts(&key).is_none());
    }

    #[test]
    fn a_damaged_entry_is_a_miss() {
        let dir = tempfile::tempdir().expect("temp dir");
        let cache = cache(dir.path(), SITE);
        let key = cache.key("article");
        cache.store(&key, &converted("數碼港"));
        let path = cache.entries.path(&key);
        let bytes = std::fs::read(&path).expect("entry written");
        std::fs::write(&path, &bytes[..bytes.len() / 2]).expect("truncate");
        assert!(cache.load(&key).is_none());
        assert!(!path.exists(), "removed, so that it is made again");
        // Short texts cut short too.
        cache.store(&key, &converted("數碼港"));
        std::fs::write(&path, &bytes[..8]).expect("truncate");
        assert!(cache.load_texts(&key).is_none());
        assert!(!path.exists(), "removed, so that it is made again");
    }

    #[test]
    fn only_what_steers_conversion_changes_the_keys() {
        let dir = tempfile::tempdir().expect("temp dir");
        let key = |site: &str| cache(dir.path(), site).key("article");
        let base = key(SITE);
        let with_topic = format!("{SITE}topics:\n  ai: {{name: 人工智能}}\n");
        assert_eq!(key(&with_topic), base, "a new topic converts nothing");
        let moved = SITE.replace("https://example.org/", "https://news.example.org/");
        assert_eq!(key(&moved), base, "base_url converts nothing");

        let glossary = format!("{SITE}conversion:\n  protect: [着手]\n");
        assert_ne!(key(&glossary), base, "a glossary entry changes conversions");
        let taiwan = SITE.replace("[hk2s]", "[hk2s, s2twp]");
        assert_ne!(key(&taiwan), base, "an OpenCC chain changes conversions");
        let dated = format!("{SITE}date_format: \"%Y年%-m月%-d日\"\n");
        assert_ne!(key(&dated), base, "dates are part of an article's text");
    }
}
