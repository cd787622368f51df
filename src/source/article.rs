//! Articles: the Markdown files under `content/`, read and checked.
//!
//! [`load_all`] reads every file in parallel and returns the articles newest
//! first, with every problem in every file in the run's report: bad front
//! matter, unknown topics, file names that cannot be URLs, and two files
//! claiming one slug. A file with errors is left out, but its slug is kept,
//! so later stages do not report links to it as broken.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use indexmap::IndexMap;
use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::diagnostic::{self, Diagnostic, Kind, Report};
use crate::fs::FileInfo;
use crate::layout::CONTENT_DIR;
use crate::source::config::SiteConfig;
use crate::source::front_matter::{self, FrontMatter};
use crate::source::glossary::Glossary;
use crate::source::markdown::Target;
use crate::source::markup::{self, MarkupProblem};
use crate::source::photo::{local_path, Photo};
use crate::source::record::{Known, Stamp};
use crate::source::span::Fixed;

/// One article, as its editor wrote it (in the source script). What
/// [`crate::source::record`] keeps of it is serialized; the text, body and
/// glossary are not.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Article {
    /// URL name, from the file name: `cyberport-ai-ecosystem`.
    pub slug: String,
    /// The file, relative to the site root, for messages.
    pub file: PathBuf,
    /// Its checked front matter.
    pub front: FrontMatter,
    /// The Markdown body (empty when taken from the record).
    #[serde(skip)]
    pub body: String,
    /// The file line the body starts on.
    pub body_line: usize,
    /// What the placeholders in the prepared text fields and body stand for
    /// (see [`crate::source::markup`]).
    pub spans: Vec<Fixed>,
    /// The site's glossary merged with the article's own, when it has one.
    #[serde(skip)]
    pub glossary: Option<Glossary>,
    /// For a hand-edited variant (`<slug>.<variant>.md`), its variant key.
    pub variant: Option<String>,
    /// A short hash of the file's text, recorded by the variants forked from it.
    pub source_hash: String,
    /// The photos of static/ it shows (the `image` key first, then the
    /// body's images by root path), where its file names them: what
    /// [`crate::photos`] processes, and where a bad photo's error points.
    pub images: Vec<ImageUse>,
    /// The file's text as read (BOM and CRLF removed): what the text lints
    /// scan, with lines and columns as in the file (empty when taken from
    /// the record).
    #[serde(skip)]
    pub text: String,
    /// Hand-edited variants of this article, by variant key.
    #[serde(skip)]
    pub forks: IndexMap<String, Article>,
    /// The file's stamp when it was read; `None` for a text that is not a
    /// file's (tests, the preview's unsaved text).
    #[serde(skip)]
    pub stamp: Option<Stamp>,
    /// Taken from the last build's record, its file unchanged since: its
    /// `text` and `body` were not read, and are empty. Later stages use
    /// what the caches keep of it instead (see [`crate::source::record`]).
    #[serde(skip)]
    pub from_record: bool,
}

impl Article {
    /// Its file and the files of its hand-edited variants.
    pub fn files(&self) -> impl Iterator<Item = &Article> {
        std::iter::once(self).chain(self.forks.values())
    }

    /// Whether any of its [`files`](Article::files) was taken from the
    /// record unread: converting it again needs them read first.
    pub fn unread(&self) -> bool {
        self.files().any(|a| a.from_record)
    }

    /// What became of the photo at `path` (`images/a.jpg` or
    /// `/images/a.jpg`), when this article shows it and it was processed.
    pub fn photo(&self, path: &str) -> Option<&Photo> {
        let path = path.split(['?', '#']).next().unwrap_or_default();
        let path = path.trim_start_matches('/');
        (self.images.iter())
            .find(|i| i.path == path)
            .and_then(|i| i.photo.as_ref())
    }

    /// Takes what became of each of its photos from `old` (the same
    /// article as the last build processed it); `None`, with nothing
    /// changed, when it shows a photo `old` did not.
    pub fn photos_from(&mut self, old: &Article) -> Option<()> {
        let then = |path: &str| old.images.iter().find(|o| o.path == path);
        if self.images.iter().any(|image| then(&image.path).is_none()) {
            return None;
        }
        for image in &mut self.images {
            image.photo = then(&image.path).and_then(|o| o.photo.clone());
        }
        Some(())
    }

    /// The lead photo (the `image` key), when it was processed.
    pub fn lead_photo(&self) -> Option<&Photo> {
        self.images
            .iter()
            .find(|i| i.lead)
            .and_then(|i| i.photo.as_ref())
    }

    /// The glossary that applies to this article.
    pub fn glossary<'a>(&'a self, config: &'a SiteConfig) -> &'a Glossary {
        self.glossary.as_ref().unwrap_or(&config.glossary)
    }
}

/// A photo an article shows, and where its file names it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImageUse {
    /// Its path in static/ (and in the output), `/`-separated, without a
    /// leading `/`: `images/a.jpg`.
    pub path: String,
    /// The lead photo (the `image` key), shown first and loaded first.
    pub lead: bool,
    /// The line and column of its address in the article's file, for
    /// messages: 1-based line.
    pub line: usize,
    /// 1-based column, in characters.
    pub column: usize,
    /// What [`crate::photos`] made of it this build (set after loading;
    /// `None` for a photo that is not processed: an SVG, an animated GIF,
    /// one missing from static/).
    #[serde(skip)]
    pub photo: Option<Photo>,
}

/// The local photos an article file shows: its `image` key (a path in
/// static/, with or without a leading `/`) and the body's images whose
/// address is a root path (`/images/a.jpg`). Remote addresses are left alone.
fn image_uses(text: &str, split: &front_matter::Split<'_>, front: &FrontMatter) -> Vec<ImageUse> {
    let mut uses = Vec::new();
    let mut add = |path: &str, lead, (line, column)| {
        let (path, photo) = (path.to_string(), None);
        uses.push(ImageUse {
            path,
            lead,
            line,
            column,
            photo,
        });
    };
    if let Some(image) = front.image.as_deref() {
        let line = front.image_line.unwrap_or(1);
        let column = diagnostic::column_of(text, line, image).unwrap_or(1);
        if let Some(path) = local_path(image) {
            add(path, true, (line, column));
        }
    }
    for (offset, is_image, dest) in crate::source::markdown::link_targets(split.body) {
        let rooted = matches!(crate::source::markdown::target(&dest), Target::Root(_));
        if let (true, true, Some(path)) = (is_image, rooted, local_path(&dest)) {
            add(
                path,
                false,
                diagnostic::position(split.body, offset, split.body_line),
            );
        }
    }
    uses
}

/// Whether `slug` is lowercase ASCII letters and digits joined by hyphens.
pub fn is_valid_slug(slug: &str) -> bool {
    !slug.is_empty()
        && slug.split('-').all(|part| {
            !part.is_empty()
                && part
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        })
}

/// Which unpublished articles a load keeps.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Include {
    /// Articles marked `draft: true`.
    pub drafts: bool,
    /// Articles dated after `now`.
    pub future: bool,
    /// The moment that decides what is in the future.
    pub now: chrono::DateTime<chrono::FixedOffset>,
}

impl Include {
    /// Published articles only, as of now in Hong Kong.
    pub fn published() -> Include {
        Include {
            drafts: false,
            future: false,
            now: front_matter::hong_kong_now(),
        }
    }

    /// Every article, drafts and scheduled ones too.
    pub fn everything() -> Include {
        Include {
            drafts: true,
            future: true,
            ..Include::published()
        }
    }

    /// Whether `article` is kept.
    pub fn keeps(&self, article: &Article) -> bool {
        (self.drafts || !article.front.draft)
            && (self.future || !article.front.date.is_after(self.now))
    }
}

/// The articles of `content/` as loaded: those that parsed, and the slugs
/// of those that did not.
#[derive(Debug, Default)]
pub struct Loaded {
    /// The articles `include` keeps, newest first, hand-edited variants
    /// inside their source article.
    pub articles: Vec<Article>,
    /// Articles that loaded but are not published: drafts and scheduled
    /// ones that `include` leaves out, newest first.
    pub unpublished: Vec<Article>,
    /// The slugs of files with errors. The article exists, so a link to it
    /// is not broken; its own errors are reported once, on its file.
    pub failed: BTreeSet<String>,
    /// The bodies of files with errors whose fences were found, still to be
    /// checked.
    pub unparsed: Vec<Unparsed>,
}

/// Reads every article under `root/content`, reporting every problem of
/// every file and keeping every article that has none. A file whose stamp
/// `known` has recorded is taken from the record instead of read, unless a
/// page or one of `statics` the last build had is gone
/// (`statics_kept` false): the unchanged articles' links must then be
/// checked again, which needs their bodies, so every file is read.
pub fn load_all(
    root: &Path,
    config: &SiteConfig,
    include: Include,
    known: Known,
    statics_kept: bool,
    report: &mut Report,
) -> Loaded {
    let mut found = Report::default();
    let loaded = load_known(root, config, include, known, &mut found);
    if loaded.1.is_some_and(|kept| !(kept && statics_kept))
        && loaded.0.articles.iter().any(Article::unread)
    {
        return load_all(root, config, include, Known::default(), true, report);
    }
    report.extend(found);
    loaded.0
}

/// [`load_all`] with `known`; also says, when something was known, whether
/// every article page the record had is still published.
fn load_known(
    root: &Path,
    config: &SiteConfig,
    include: Include,
    known: Known,
    report: &mut Report,
) -> (Loaded, Option<bool>) {
    let dir = root.join(CONTENT_DIR);
    let (files, walk_problems) = crate::fs::markdown_files(&dir, root);
    report.extend(walk_problems.into_iter().map(|p| {
        Diagnostic::error(Kind::Content, CONTENT_DIR, p)
            .with_help("remove the looping link or fix the folder's permissions")
    }));

    // Every file is looked at; only those changed since the record are
    // read. An article is large (hundreds of bytes before its strings), and
    // a large archive's every copy of the list costs tens of megabytes of
    // fresh memory: the lists below are made once and changed in place.
    let known = std::sync::Mutex::new(known);
    let content = crate::fs::Folder::open(&dir);
    let (mut articles, failures): (Vec<Article>, Vec<(&PathBuf, Failed)>) =
        files.par_iter().partition_map(|path| {
            let info = content.metadata(path.strip_prefix(&dir).unwrap_or(path));
            let file = diagnostic::display_path(root, path);
            let taken = info.map(|i| Stamp::of(&i)).and_then(|stamp| {
                let mut known = known.lock().unwrap_or_else(|e| e.into_inner());
                known.take(&file, &stamp)
            });
            let loaded = match taken {
                Some(mut article) => {
                    article.glossary = (article.front.conversion.as_ref())
                        .map(|own| Glossary::new(&[&config.conversion, own]));
                    Ok(article)
                }
                None => load_one(root, path, info, config),
            };
            match loaded {
                Ok(article) => rayon::iter::Either::Left(article),
                Err(failed) => rayon::iter::Either::Right((path, failed)),
            }
        });
    let known = known.into_inner().unwrap_or_else(|e| e.into_inner());
    let mut failed = BTreeSet::new();
    let mut unparsed = Vec::new();
    for (path, found) in failures {
        report.extend(found.problems);
        failed.insert(slug_of(path).0);
        unparsed.extend(found.unparsed.map(|body| *body));
    }
    failed.extend(drop_duplicates(&mut articles, report));
    attach_forks(&mut articles, &failed, report);

    // Newest first; the slug breaks ties (slugs are unique by now), so the
    // order never depends on the file system.
    articles.sort_unstable_by(|a, b| {
        b.front
            .date
            .local()
            .cmp(&a.front.date.local())
            .then_with(|| a.slug.cmp(&b.slug))
    });
    let unpublished = if articles.iter().all(|a| include.keeps(a)) {
        Vec::new()
    } else {
        let (kept, unpublished) = articles.into_iter().partition(|a| include.keeps(a));
        articles = kept;
        unpublished
    };
    let kept =
        (!known.is_empty()).then(|| known.pages_kept(articles.iter().flat_map(Article::files)));
    let loaded = Loaded {
        articles,
        unpublished,
        failed,
        unparsed,
    };
    (loaded, kept)
}

/// Two files claiming one slug: both are reported, neither is built.
/// Returns the slugs taken out of `articles`.
fn drop_duplicates(articles: &mut Vec<Article>, report: &mut Report) -> BTreeSet<String> {
    let mut by_slug: BTreeMap<(&str, Option<&str>), Vec<&Path>> = BTreeMap::new();
    for article in articles.iter() {
        by_slug
            .entry((&article.slug, article.variant.as_deref()))
            .or_default()
            .push(&article.file);
    }
    let mut duplicated = BTreeSet::new();
    for ((slug, _), same) in by_slug.into_iter().filter(|(_, same)| same.len() > 1) {
        let names: Vec<String> = same.iter().map(|f| f.display().to_string()).collect();
        for file in &same {
            report.push(
                Diagnostic::error(
                    Kind::Content,
                    file,
                    format!("the slug `{slug}` is used by {}", names.join(" and ")),
                )
                .at_line(1)
                .with_help("each article's file name must be unique across content/; rename one"),
            );
        }
        duplicated.insert(slug.to_string());
    }
    if !duplicated.is_empty() {
        articles.retain(|a| !duplicated.contains(&a.slug));
    }
    duplicated
}

/// Moves each hand-edited variant in `articles` into its article's
/// `forks`; a variant of an article that is not there is reported, unless
/// that article's file `failed` (its errors are reported already).
fn attach_forks(articles: &mut Vec<Article>, failed: &BTreeSet<String>, report: &mut Report) {
    if articles.iter().all(|a| a.variant.is_none()) {
        return;
    }
    let (forks, sources): (Vec<Article>, Vec<Article>) = std::mem::take(articles)
        .into_iter()
        .partition(|a| a.variant.is_some());
    *articles = sources;
    let index: std::collections::HashMap<String, usize> = (articles.iter().enumerate())
        .map(|(i, a)| (a.slug.clone(), i))
        .collect();
    for fork in forks {
        match index.get(&fork.slug) {
            Some(&i) => {
                let variant = fork.variant.clone().expect("partitioned on variant");
                articles[i].forks.insert(variant, fork);
            }
            None if failed.contains(&fork.slug) => {}
            None => report.push(
                Diagnostic::error(Kind::Content, &fork.file, format!("there is no `{}.md` for this variant of it", fork.slug))
                    .at_line(1)
                    .with_help("a hand-edited variant replaces the page of an existing article; create the article first, or rename this file"),
            ),
        }
    }
}

/// Reads again, whole, the files of the articles at `indices` (and their
/// hand-edited variants) that were taken from the record: a later stage
/// found it needs their text and body after all (the conversion cache lost
/// their entry). A file that no longer reads as recorded changed during
/// the build; its problems are reported, and the build stops.
pub fn read_again(
    root: &Path,
    config: &SiteConfig,
    articles: &mut [Article],
    indices: &[usize],
    report: &mut Report,
) {
    let again = |article: &mut Article, report: &mut Report| {
        if !article.from_record {
            return;
        }
        match load_one(root, &root.join(&article.file), None, config) {
            Ok(read) => {
                article.text = read.text;
                article.body = read.body;
                article.from_record = false;
            }
            Err(failed) => report.extend(failed.problems),
        }
    };
    for &index in indices {
        let article = &mut articles[index];
        again(article, report);
        for fork in article.forks.values_mut() {
            again(fork, report);
        }
    }
}

/// The slug and variant key a file's name gives: `a.md` is article `a`,
/// `a.zh-hans.md` its hand-edited Simplified variant.
fn slug_of(file: &Path) -> (String, Option<String>) {
    let stem = file
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    match stem.split_once('.') {
        Some((slug, variant)) => (slug.to_string(), Some(variant.to_string())),
        None => (stem, None),
    }
}

/// The largest article file jianfan reads (README "Limits"). A newspaper
/// article is a few kilobytes; anything this large is a mistake, and
/// refusing it early keeps builds fast and memory bounded.
pub const MAX_ARTICLE_BYTES: u64 = 4 * 1024 * 1024;

/// Reads the article at `path`; `info` is what the system said of the file
/// just before (looked at again when not given).
fn load_one(
    root: &Path,
    path: &Path,
    info: Option<FileInfo>,
    config: &SiteConfig,
) -> Result<Article, Failed> {
    let file = diagnostic::display_path(root, path);
    // Taken before the text is read: a change while reading shows next time.
    let info = info.or_else(|| std::fs::metadata(path).ok().map(|m| FileInfo::of(&m)));
    if let Some(info) = &info {
        if info.len > MAX_ARTICLE_BYTES {
            return Err(Failed::without_body(vec![Diagnostic::error(
                Kind::Content,
                &file,
                format!(
                    "the file is {:.1} MiB; an article may be at most {} MiB",
                    info.len as f64 / 1048576.0,
                    MAX_ARTICLE_BYTES / 1048576
                ),
            )
            .with_help(
                "split it into several articles, or move data files to static/",
            )]));
        }
    }
    let text = crate::fs::read_utf8(path).map_err(|e| {
        Failed::without_body(vec![match e {
            crate::fs::ReadError::Io(e) => Diagnostic::error(Kind::Content, &file, format!("cannot read the file: {e}"))
                .with_help("check that the file exists and can be read"),
            crate::fs::ReadError::NotUtf8 { line } => {
                Diagnostic::error(Kind::Content, &file, "the file is not valid UTF-8 text").at_line(line).with_help(
                    "save it as UTF-8 (in most editors: Save As, encoding UTF-8); this is the first bad line",
                )
            }
        }])
    })?;
    let mut article = Article::read(&file, &text, config)?;
    article.stamp = info.as_ref().map(Stamp::of);
    Ok(article)
}

/// An article file with errors whose `---` fences were found: its body is
/// still checked (links, images, the text lints), so one bad key does not
/// hide the rest of the file's problems.
#[derive(Debug, Clone)]
pub struct Unparsed {
    /// The slug its file name gives.
    pub slug: String,
    /// The file, relative to the site root.
    pub file: PathBuf,
    /// The file's text (BOM and CRLF removed).
    pub text: String,
    /// The body, conversion markup lifted out; empty when the markup
    /// itself has errors.
    pub body: String,
    /// The file line the body starts on.
    pub body_line: usize,
}

/// Why an article did not load: every problem, and the body when it could
/// still be read.
#[derive(Debug)]
pub struct Failed {
    /// Every problem of the file.
    pub problems: Vec<Diagnostic>,
    /// The body, when the front matter's fences were found.
    pub unparsed: Option<Box<Unparsed>>,
}

impl Failed {
    fn without_body(problems: Vec<Diagnostic>) -> Failed {
        Failed {
            problems,
            unparsed: None,
        }
    }
}

impl Article {
    /// Checks one article's text. `file` is its path relative to the site
    /// root; the slug comes from its name.
    pub fn parse(file: &Path, text: &str, config: &SiteConfig) -> Result<Article, Vec<Diagnostic>> {
        Article::read(file, text, config).map_err(|failed| failed.problems)
    }

    /// [`Article::parse`], keeping what can still be checked of a file with
    /// errors.
    pub fn read(file: &Path, text: &str, config: &SiteConfig) -> Result<Article, Failed> {
        let located = |d: Diagnostic| d.in_file(file);
        let mut problems = Vec::new();
        let (slug, variant) = slug_of(file);
        if let Some(variant) = &variant {
            let generated = config.generated_keys();
            if !generated.contains(&variant.as_str()) {
                problems.push(
                    Diagnostic::error(
                        Kind::Content,
                        file,
                        format!("`{variant}` in the file name is not a generated variant"),
                    )
                    .with_help(format!(
                        "a hand-edited variant is named <slug>.<variant>.md with one of: {}",
                        generated.join(", ")
                    )),
                );
            }
        }
        if !is_valid_slug(&slug) {
            problems.push(
                Diagnostic::error(Kind::Content, file, format!("the file name `{slug}` cannot be a URL"))
                    .with_help("name article files in lowercase ASCII with hyphens, e.g. cyberport-ai-ecosystem.md"),
            );
        }
        if text.contains('\0') {
            problems.push(
                Diagnostic::error(
                    Kind::Content,
                    file,
                    "this is a binary file, not Markdown text",
                )
                .with_help("remove it from content/ or give it another extension"),
            );
            return Err(Failed::without_body(problems));
        }
        // Editors on Windows save with a BOM and CRLF; both must just work.
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let normalised;
        let text = if text.contains('\r') {
            normalised = text.replace("\r\n", "\n");
            normalised.as_str()
        } else {
            text
        };

        let source_hash = content_hash(text);
        let split = match front_matter::split(text) {
            Ok(split) => split,
            Err(problem) => {
                problems.push(located(problem));
                return Err(Failed::without_body(problems));
            }
        };
        let unparsed = |body: String| Unparsed {
            slug: slug.clone(),
            file: file.to_path_buf(),
            text: text.to_string(),
            body,
            body_line: split.body_line,
        };
        match FrontMatter::parse(split.yaml, 2) {
            Ok(front) => {
                problems.extend(front_problems(
                    file,
                    text,
                    &split,
                    &front,
                    variant.is_some(),
                    config,
                ));
                let (article, found) = prepare(file, &split, front, config);
                problems.extend(found);
                if problems.is_empty() {
                    let images = image_uses(text, &split, &article.front);
                    return Ok(Article {
                        slug,
                        variant,
                        source_hash,
                        images,
                        text: text.to_string(),
                        ..article
                    });
                }
                Err(Failed {
                    problems,
                    unparsed: Some(Box::new(unparsed(article.body))),
                })
            }
            Err(found) => {
                problems.extend(found.into_iter().map(located));
                // The front matter is broken, the body may not be: its
                // markup is checked here, its links and text later.
                let keys = config.variant_keys();
                let skip = crate::source::markdown::code_ranges(split.body);
                let source = config.source().key.as_str();
                let body = markup::prepare(split.body, &keys, source, &skip, &mut Vec::new())
                    .unwrap_or_else(|found| {
                        let located = found.into_iter().map(|e| body_problem(file, &split, e));
                        problems.extend(located);
                        String::new()
                    });
                Err(Failed {
                    problems,
                    unparsed: Some(Box::new(unparsed(body))),
                })
            }
        }
    }
}

/// What is wrong with a parsed front matter in the light of the site:
/// unknown topics, and `forked_from` outside a hand-edited variant.
fn front_problems(
    file: &Path,
    text: &str,
    split: &front_matter::Split<'_>,
    front: &FrontMatter,
    is_variant: bool,
    config: &SiteConfig,
) -> Vec<Diagnostic> {
    let mut problems = Vec::new();
    let (slug, _) = slug_of(file);
    if let Some(written) = front.slug.as_deref().filter(|written| *written != slug) {
        let line = diagnostic::line_of_key(split.yaml, "slug").map(|l| l + 1);
        problems.push(
            Diagnostic::error(
                Kind::Content,
                file,
                format!("`slug: {written}` is not the file's name `{slug}`"),
            )
            .at(line, Some(1))
            .with_help(format!(
                "the file's name is the article's URL: rename the file to {written}.md, or remove the `slug:` line"
            )),
        );
    }
    for (topic, line) in &front.topics {
        if !config.topics.contains_key(topic) {
            let keys: Vec<&str> = config.topics.keys().map(String::as_str).collect();
            let help = match diagnostic::closest(topic, keys.iter().copied()) {
                Some(near) => format!(
                    "did you mean `{near}`? Topics are defined under `topics:` in site.yaml"
                ),
                None => format!(
                    "the topics are {}; add new ones under `topics:` in site.yaml",
                    keys.join(", ")
                ),
            };
            problems.push(
                Diagnostic::error(Kind::Content, file, format!("unknown topic `{topic}`"))
                    .at(
                        *line,
                        line.and_then(|l| diagnostic::column_of(text, l, topic)),
                    )
                    .with_help(help),
            );
        }
    }
    if !is_variant && front.forked_from.is_some() {
        problems.push(
            Diagnostic::error(
                Kind::Content,
                file,
                "`forked_from` belongs in a hand-edited variant",
            )
            .at(
                diagnostic::line_of_key(split.yaml, "forked_from").map(|l| l + 1),
                Some(1),
            )
            .with_help("remove it; `jianfan fork` writes it into <slug>.<variant>.md files"),
        );
    }
    problems
}

/// Lifts conversion markup out of every field editors may steer and out of
/// the body, and merges the article's glossary with the site's. The slug is
/// filled in by the caller.
fn prepare(
    file: &Path,
    split: &front_matter::Split<'_>,
    mut front: FrontMatter,
    config: &SiteConfig,
) -> (Article, Vec<Diagnostic>) {
    let keys = config.variant_keys();
    let source = config.source().key.as_str();
    let mut spans = Vec::new();
    let mut problems = Vec::new();

    let mut field = |key: &str, value: &mut String, spans: &mut Vec<Fixed>| match markup::prepare(
        value,
        &keys,
        source,
        &[],
        spans,
    ) {
        Ok(prepared) => *value = prepared,
        Err(found) => {
            let line = diagnostic::line_of_key(split.yaml, key);
            let text = line
                .and_then(|l| split.yaml.lines().nth(l - 1))
                .unwrap_or_default();
            for (offset, problem) in found {
                let column = text.find(value.as_str()).map(|start| {
                    text[..start].chars().count() + value[..offset].chars().count() + 1
                });
                problems.push(problem.in_file(file).at(line.map(|l| l + 1), column));
            }
        }
    };
    for (key, value) in front.text_fields_mut() {
        if let Some(value) = value {
            field(key, value, &mut spans);
        }
    }

    let skip = crate::source::markdown::code_ranges(split.body);
    let body =
        markup::prepare(split.body, &keys, source, &skip, &mut spans).unwrap_or_else(|found| {
            problems.extend(found.into_iter().map(|e| body_problem(file, split, e)));
            String::new()
        });

    let glossary = front.conversion.as_ref().map(|own| {
        let from = diagnostic::line_of_key(split.yaml, "conversion").unwrap_or(1);
        for (needle, problem) in own.problems(&keys) {
            let line = diagnostic::line_of_value(split.yaml, from, &needle).map(|l| l + 1);
            problems.push(problem.in_file(file).at(line, None));
        }
        Glossary::new(&[&config.conversion, own])
    });

    let article = Article {
        slug: String::new(),
        file: file.to_path_buf(),
        front,
        body,
        body_line: split.body_line,
        spans,
        glossary,
        variant: None,
        source_hash: String::new(),
        text: String::new(),
        forks: IndexMap::new(),
        stamp: None,
        from_record: false,
        images: Vec::new(),
    };
    (article, problems)
}

/// The hash a hand-edited variant records of its source: the first 16 hex
/// digits of BLAKE3 over the text (BOM and CRLF already removed).
pub fn content_hash(text: &str) -> String {
    blake3::hash(text.as_bytes()).to_hex()[..16].to_string()
}

/// A markup problem in the body, located in the file.
fn body_problem(file: &Path, split: &front_matter::Split<'_>, found: MarkupProblem) -> Diagnostic {
    let (offset, problem) = found;
    let (line, column) = diagnostic::position(split.body, offset, split.body_line);
    problem.in_file(file).at(Some(line), Some(column))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config() -> SiteConfig {
        SiteConfig::parse(
            "title: t\nbase_url: https://example.org/\nvariants:\n  zh-hant:\n    lang: zh-Hant-HK\n    \
             name: 繁體\n    prefix: zh-hant\ntopics:\n  ai:\n    name: 人工智能\n",
        )
        .expect("valid config")
    }

    fn parse(name: &str, text: &str) -> Result<Article, Vec<String>> {
        Article::parse(Path::new(name), text, &config())
            .map_err(|all| all.iter().map(ToString::to_string).collect())
    }

    #[test]
    fn slugs_are_lowercase_ascii_with_hyphens() {
        assert!(is_valid_slug("cyberport-ai-ecosystem"));
        assert!(is_valid_slug("hk2025"));
        for bad in ["", "Cyberport", "a--b", "-a", "a_b", "數碼港", "a.zh-hans"] {
            assert!(!is_valid_slug(bad), "{bad}");
        }
    }

    #[test]
    fn bom_and_crlf_just_work() {
        let article = parse(
            "content/a.md",
            "\u{feff}---\r\ntitle: 標題\r\ndate: 2025-03-07\r\n---\r\n正文\r\n",
        )
        .expect("valid");
        assert_eq!(article.front.title, "標題");
        assert_eq!(article.body, "正文\n");
    }

    #[test]
    fn unknown_topic_names_line_and_nearest_topic() {
        let errors = parse(
            "content/a.md",
            "---\ntitle: t\ndate: 2025-03-07\ntopics:\n  - ia\n---\n",
        )
        .expect_err("unknown topic");
        assert_eq!(
            errors[0],
            "error: content/a.md:5:5: unknown topic `ia`\n  help: the topics are ai; add new ones under `topics:` in site.yaml"
        );
    }

    #[test]
    fn bad_file_name_and_bad_front_matter_are_both_reported() {
        let errors =
            parse("content/Bad Name.md", "---\ntitle: t\n---\n").expect_err("two problems");
        assert_eq!(errors.len(), 2, "{errors:?}");
        assert!(errors[0].contains("the file name `Bad Name` cannot be a URL"));
        assert!(errors[1].contains("content/Bad Name.md:1:1: the required key `date` is missing"));
    }

    #[test]
    fn binary_file_is_refused() {
        let errors = parse("content/a.md", "\0\0\0PNG").expect_err("binary");
        assert!(errors[0].contains("this is a binary file"), "{errors:?}");
    }
}
