//! Source: from the site's folder on disk to checked input.
//!
//! In: the site root and which articles to publish. Out: a [`Source`] —
//! the validated site.yaml, the articles that loaded (newest first), the
//! slugs of those that did not, each topic's members, and the files of
//! static/ — with every problem of every file in the run's [`Report`].
//! Only this stage (and the output writer in [`crate::publish`]) touches
//! the disk. It imports the root modules only (diagnostic, fs, layout,
//! text): nothing of the stages after it.

pub mod archive;
pub mod article;
pub mod config;
pub mod front_matter;
pub mod glossary;
pub mod markdown;
pub mod markup;
pub mod photo;
pub mod record;
pub mod span;
pub mod writer;
pub mod yaml;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use indexmap::IndexMap;

use crate::diagnostic::{Diagnostic, Kind, Report};
use crate::layout::{SITE_FILE, STATIC_DIR};
use article::{Article, Include};
use config::SiteConfig;

/// A site's input, checked.
#[derive(Debug)]
pub struct Source {
    /// The validated site.yaml.
    pub config: SiteConfig,
    /// The articles to publish, newest first.
    pub articles: Vec<Article>,
    /// Drafts and scheduled articles that are not published this time.
    pub unpublished: Vec<Article>,
    /// The slugs of article files with errors (see [`article::Loaded`]).
    pub failed: BTreeSet<String>,
    /// The bodies of those files, still checked by the lints.
    pub unparsed: Vec<article::Unparsed>,
    /// Indices into `articles` per topic key, newest first, in the order
    /// site.yaml lists the topics.
    pub topics: IndexMap<String, Vec<usize>>,
    /// The files of static/.
    pub statics: Vec<StaticFile>,
    /// Where this build's record of its articles goes, and when it began
    /// to look at the files; `None` for a build that keeps no record.
    pub recording: Option<record::Recording>,
}

impl Source {
    /// Reads again, whole, the articles at `indices` that were taken from
    /// the record (see [`article::read_again`]); `root` is the site's folder.
    pub fn read_again(&mut self, root: &Path, indices: &[usize], report: &mut Report) {
        article::read_again(root, &self.config, &mut self.articles, indices, report);
    }

    /// Records the articles when any file was read, for a build that found
    /// nothing to publish: the record then says what the files are now.
    pub fn keep_record(&self) {
        if let Some(recording) = self.recording.as_ref().filter(|_| self.read() > 0) {
            recording.save(&self.config.text, &self.articles, &self.statics);
        }
    }

    /// How many article files were read, rather than taken from the
    /// record: changed ones, unpublished ones, and every one without a
    /// record.
    pub fn read(&self) -> usize {
        let files = self.articles.iter().flat_map(Article::files);
        files.filter(|a| !a.from_record).count() + self.unpublished.len()
    }
}

/// A file of static/, copied as it is to the same path in the output.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StaticFile {
    /// Its path under static/.
    pub relative: PathBuf,
    /// The same with `/` separators: its path in the output.
    pub output: String,
    /// Where its published bytes are when they are not the file's own: a
    /// photo processed by [`crate::photos`], in the cache.
    pub made: Option<PathBuf>,
}

/// Reads and checks the site at `root`, taking the articles whose files
/// are unchanged from the last build's `record` when there is one (see
/// [`record`]). `None` only when site.yaml cannot be read or validated:
/// every other stage needs its variants and topics.
pub fn read(
    root: &Path,
    include: Include,
    base_url: Option<&str>,
    record: Option<record::Place>,
    report: &mut Report,
) -> Option<Source> {
    let recording = record.map(record::Recording::begin);
    let mut config = match SiteConfig::load(root) {
        Ok(config) => config,
        Err(problems) => {
            report.extend(problems);
            return None;
        }
    };
    if let Some(url) = base_url {
        if let Err(message) = config.set_base_url(url) {
            report.push(
                Diagnostic::error(Kind::Site, SITE_FILE, message)
                    .with_help("give --base-url an address such as https://example.org/news/"),
            );
        }
    }
    let statics = statics(root, report);
    let known = (recording.as_ref()).map_or_else(Default::default, |r| {
        record::Known::load(&r.place, &config.text)
    });
    let outputs: BTreeSet<&str> = statics.iter().map(|f| f.output.as_str()).collect();
    let statics_kept = known.statics.iter().all(|s| outputs.contains(s.as_str()));
    let loaded = article::load_all(root, &config, include, known, statics_kept, report);
    let topics = topic_members(&config, &loaded.articles);
    Some(Source {
        statics,
        recording,
        topics,
        config,
        articles: loaded.articles,
        unpublished: loaded.unpublished,
        failed: loaded.failed,
        unparsed: loaded.unparsed,
    })
}

/// The files under static/, sorted.
fn statics(root: &Path, report: &mut Report) -> Vec<StaticFile> {
    match crate::fs::files_under(&root.join(STATIC_DIR), root) {
        Ok(files) => files
            .into_iter()
            .map(|relative| StaticFile {
                output: relative.to_string_lossy().replace('\\', "/"),
                relative,
                made: None,
            })
            .collect(),
        Err(e) => {
            report.push(
                Diagnostic::error(Kind::Site, STATIC_DIR, format!("{e:#}"))
                    .with_help("remove the looping link or fix the folder's permissions"),
            );
            Vec::new()
        }
    }
}

/// Article indices per topic key, newest first, in the order site.yaml
/// lists the topics.
pub fn topic_members(config: &SiteConfig, articles: &[Article]) -> IndexMap<String, Vec<usize>> {
    let mut topic_articles: IndexMap<String, Vec<usize>> = config
        .topics
        .keys()
        .map(|k| (k.clone(), Vec::new()))
        .collect();
    for (index, article) in articles.iter().enumerate() {
        for (topic, _) in &article.front.topics {
            let members = topic_articles
                .get_mut(topic)
                .expect("an article with an unknown topic does not load");
            if members.last() != Some(&index) {
                members.push(index);
            }
        }
    }
    topic_articles
}
