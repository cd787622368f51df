//! The record of the last build's articles: what a publish into a large
//! archive does not read again.
//!
//! A build that succeeds records, next to its output's manifest, every
//! article file it published with the file's [`Stamp`] (size, modification
//! and change times, inode) and the article as loaded — front matter, spans,
//! hashes — without its text and body. The next build into the same output
//! stats every file under `content/` (it must, to see what changed) and
//! takes each file whose stamp is the recorded one from the record instead
//! of reading and parsing it: its later stages need no more of an
//! unchanged article than its hashes and front matter, since its converted
//! text comes from the conversion cache and its warnings were given when it
//! was read. Git's index trusts file stamps the same way, and distrusts them
//! the same way too: a file changed within [`RACY`] of the recorded build's
//! start is read again, since a file system's clock may not tell two writes
//! that close apart.
//!
//! The record is tied to site.yaml's text and the jianfan binary (both
//! decide how a file is parsed); with either changed, or the record missing
//! or damaged, every file is read, as in a clean build.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use serde::{Deserialize, Serialize};

use crate::fs::FileInfo;
use crate::source::article::Article;
use crate::source::StaticFile;

/// Bumped whenever the record's layout (or [`Article`]'s) changes.
const FORMAT: &str = "article-record 2";

/// How close to the recorded build's start a file's change may be before
/// its stamp is no longer trusted: file systems keep times in coarse ticks
/// (a few milliseconds on Linux, two seconds on FAT).
const RACY: Duration = Duration::from_secs(2);

/// What a file's metadata says of its content without reading it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Stamp {
    /// Size in bytes.
    pub len: u64,
    /// Last modification, in nanoseconds since 1970.
    pub modified: i128,
    /// Last change of the file or its metadata (a rename, a copy that kept
    /// the modification time), in nanoseconds since 1970; 0 where the
    /// platform does not keep it.
    pub changed: i128,
    /// The file's inode; 0 where the platform does not give it.
    pub inode: u64,
}

impl Stamp {
    /// The stamp of a file as the system describes it.
    pub fn of(info: &FileInfo) -> Stamp {
        Stamp {
            len: info.len,
            modified: info.modified,
            changed: info.changed,
            inode: info.inode,
        }
    }

    /// Whether a file with this stamp, looked at by a build that began at
    /// `began` (nanoseconds since 1970), can be trusted unchanged while the
    /// stamp is: it was last changed more than [`RACY`] before.
    pub fn settled(&self, began: i128) -> bool {
        self.modified.max(self.changed) < began - RACY.as_nanos() as i128
    }
}

/// Nanoseconds from 1970 to `time` (negative before).
pub fn nanos_since_epoch(time: SystemTime) -> i128 {
    match time.duration_since(SystemTime::UNIX_EPOCH) {
        Ok(after) => after.as_nanos() as i128,
        Err(before) => -(before.duration().as_nanos() as i128),
    }
}

/// The articles one build published, by file, as [`Known::load`] reads
/// them. [`Recording::save`] writes the same fields in the same order from
/// borrowed articles (postcard encodes a struct as its fields in order), so
/// a change here is a change there, and a new [`FORMAT`].
#[derive(Debug, Deserialize)]
struct Record {
    /// [`FORMAT`], site.yaml's text and the binary, hashed: what decides
    /// how a file is parsed.
    setting: String,
    /// When that build began to look at the files (nanoseconds since 1970).
    began: i128,
    /// Each published article file (hand-edited variants too) with its
    /// stamp as that build read it, by path from the site's folder.
    articles: Vec<(Stamp, Article)>,
    /// The output paths of static/'s files then.
    statics: Vec<String>,
}

/// Where a build's record is, and the identity of the binary that reads
/// and writes it (the caller, who knows both, says).
#[derive(Debug, Clone)]
pub struct Place {
    /// The record's file.
    pub path: PathBuf,
    /// The jianfan binary's identity.
    pub binary: String,
}

impl Place {
    /// The setting a record must have to be used with site.yaml's `text`.
    fn setting(&self, site_text: &str) -> String {
        let mut hasher = blake3::Hasher::new();
        for part in [FORMAT, &self.binary, site_text] {
            hasher.update(&(part.len() as u64).to_le_bytes());
            hasher.update(part.as_bytes());
        }
        hasher.finalize().to_hex()[..32].to_string()
    }
}

/// The record of the last build, opened for this one: the articles it can
/// lend, taken out one by one as their files are found unchanged.
#[derive(Debug, Default)]
pub struct Known {
    /// The recorded articles whose stamps are trusted, until taken.
    articles: Vec<Option<(Stamp, Article)>>,
    /// Every recorded file (path from the site's folder): its place in
    /// `articles` and the [`listing`] of its article then.
    files: HashMap<PathBuf, (usize, u64)>,
    /// The output paths of static/'s files then.
    pub statics: Vec<String>,
}

/// What of an article decides which pages exist (its page, and the period
/// and topic pages it is listed on), hashed: its slug, variant, date and
/// topics.
fn listing(article: &Article) -> u64 {
    let mut hasher = blake3::Hasher::new();
    let topics = article.front.topics.iter().map(|(t, _)| t.as_str());
    let variant = article.variant.as_deref().unwrap_or("");
    let date = format!("{:?}", article.front.date);
    for part in [article.slug.as_str(), variant, &date]
        .into_iter()
        .chain(topics)
    {
        hasher.update(&(part.len() as u64).to_le_bytes());
        hasher.update(part.as_bytes());
    }
    let bytes = hasher.finalize();
    u64::from_le_bytes(bytes.as_bytes()[..8].try_into().expect("8 bytes"))
}

impl Known {
    /// The record at `place`, if it was written with site.yaml's `site_text`
    /// by this binary; otherwise nothing is known.
    pub fn load(place: &Place, site_text: &str) -> Known {
        let Some(record) = std::fs::read(&place.path)
            .ok()
            .and_then(|bytes| postcard::from_bytes::<Record>(&bytes).ok())
            .filter(|r| r.setting == place.setting(site_text))
        else {
            return Known::default();
        };
        let files = (record.articles.iter().enumerate())
            .map(|(i, (_, a))| (a.file.clone(), (i, listing(a))))
            .collect();
        let articles = (record.articles.into_iter())
            .map(|(stamp, article)| stamp.settled(record.began).then_some((stamp, article)))
            .collect();
        Known {
            articles,
            files,
            statics: record.statics,
        }
    }

    /// Whether nothing is known.
    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }

    /// The recorded article of `file`, if its `stamp` is the recorded one.
    pub fn take(&mut self, file: &Path, stamp: &Stamp) -> Option<Article> {
        let &(index, _) = self.files.get(file)?;
        match self.articles[index].take() {
            Some((recorded, mut article)) if &recorded == stamp => {
                article.from_record = true;
                article.stamp = Some(recorded);
                Some(article)
            }
            _ => None,
        }
    }

    /// Whether every page the last build had for its articles still exists
    /// among `published` (this build's articles and their hand-edited
    /// variants): no article gone, none re-dated or moved between topics.
    /// Then the links of the articles taken from the record, which all
    /// resolved in the last build, still do.
    pub fn pages_kept<'a>(&self, published: impl Iterator<Item = &'a Article>) -> bool {
        let mut still = 0;
        for article in published {
            let same =
                |&&(_, then): &&(usize, u64)| article.from_record || then == listing(article);
            still += usize::from(self.files.get(&article.file).is_some_and(|e| same(&e)));
        }
        still == self.files.len()
    }
}

/// Where a build's record goes, and when the build began to look at the
/// files: what [`save`](Recording::save) needs besides what was published.
#[derive(Debug, Clone)]
pub struct Recording {
    /// Where the record is.
    pub place: Place,
    /// When the build began to look at the files.
    pub began: SystemTime,
}

impl Recording {
    /// The recording of a build that begins now, into `place`.
    pub fn begin(place: Place) -> Recording {
        Recording {
            place,
            began: SystemTime::now(),
        }
    }

    /// Writes the record of a build of the site whose site.yaml reads
    /// `site_text`, that published `articles` (with their hand-edited
    /// variants) and static/'s `statics`. Written whole to a temporary file
    /// and renamed; a record that cannot be written only makes the next
    /// build read every file.
    pub fn save(&self, site_text: &str, articles: &[Article], statics: &[StaticFile]) {
        #[derive(Serialize)]
        struct Writing<'a> {
            setting: String,
            began: i128,
            articles: Vec<(Stamp, &'a Article)>,
            statics: Vec<&'a str>,
        }
        let files = (articles.iter())
            .flat_map(Article::files)
            .filter_map(|a| a.stamp.map(|stamp| (stamp, a)));
        let record = Writing {
            setting: self.place.setting(site_text),
            began: nanos_since_epoch(self.began),
            articles: files.collect(),
            statics: statics.iter().map(|f| f.output.as_str()).collect(),
        };
        if let Ok(bytes) = postcard::to_stdvec(&record) {
            let _ = crate::fs::write_atomic(&self.place.path, &bytes);
        }
    }
}
