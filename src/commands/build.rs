//! `jianfan build`: the whole chain of stages, top to bottom, in [`build`].
//!
//! source (site.yaml, content/, static/, templates/) → convert (every
//! string once per script) → render's plan (every output path) → lints
//! (links, site warnings, a dry render of each kind of page) → the one stop
//! → publish (render and write in parallel into a staging folder, put
//! what changed in place). Every stage adds its problems to one report; with any error the
//! chain stops before anything is written, and the report holds every
//! problem of every stage.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use anyhow::Result;

use crate::convert::site::{LostText, Site};
use crate::convert::Engine;
use crate::diagnostic::{Diagnostic, Level, Report};
use crate::publish::progress::Stages;
use crate::publish::write::{Changes, Written};
use crate::publish::{Previous, Published, Target};
use crate::render::{Plan, Templates};
use crate::source::article::Include;
use crate::{lint, photos, publish, render, source};

/// What `build` is asked to do.
#[derive(Debug, Clone)]
pub struct BuildOptions {
    /// The site's folder (holding site.yaml).
    pub root: PathBuf,
    /// Where the site is written; replaced as a whole when the build succeeds.
    pub output: PathBuf,
    /// Include articles marked `draft: true`.
    pub drafts: bool,
    /// Include articles dated in the future.
    pub future: bool,
    /// Serve from this URL instead of site.yaml's `base_url` (staging,
    /// previews, the local server).
    pub base_url: Option<String>,
    /// Minify HTML, CSS and JavaScript.
    pub minify: bool,
    /// Show a progress display on stderr when it is a terminal and the build
    /// takes more than a second.
    pub progress: bool,
    /// Where to write the list of output files this build added, changed
    /// and removed ([`Changes::lines`]), for a deploy step that moves only
    /// those.
    pub changes: Option<PathBuf>,
    /// Keep every article's Markdown in the published site after the
    /// lints, for the preview server's side-by-side page; a plain build lets
    /// it go, so that its memory holds converted text only.
    pub keep_sources: bool,
}

impl BuildOptions {
    /// Publish the site at `root` into `output`, as site.yaml says.
    pub fn new(root: impl Into<PathBuf>, output: impl Into<PathBuf>) -> Self {
        BuildOptions {
            root: root.into(),
            output: output.into(),
            drafts: false,
            future: false,
            base_url: None,
            minify: false,
            progress: false,
            changes: None,
            keep_sources: false,
        }
    }

    /// The articles these options publish, as of now.
    pub fn include(&self) -> Include {
        Include {
            drafts: self.drafts,
            future: self.future,
            ..Include::published()
        }
    }

    /// Where this build's record of its articles goes: beside the
    /// output's manifest. None for the preview, which keeps every article's
    /// Markdown and so reads every file, and when the caches are not
    /// trusted.
    fn record(&self, trust: Trust) -> Option<crate::source::record::Place> {
        let kept = !self.keep_sources && trust == Trust::Caches;
        kept.then(|| publish::record_place(&self.root, &self.output))
    }

    /// Where and how to publish.
    fn target(&self) -> Target<'_> {
        Target {
            root: &self.root,
            output: &self.output,
            minify: self.minify,
            // Every option that changes the output, for the keys.
            options: format!(
                "drafts={} future={} minify={}",
                self.drafts, self.future, self.minify
            ),
        }
    }
}

/// What a successful build wrote.
#[derive(Debug)]
pub struct BuildSummary {
    /// Articles published.
    pub articles: usize,
    /// Scripts published.
    pub variants: usize,
    /// HTML pages written (all variants, root pages included).
    pub pages: usize,
    /// Files copied from static/.
    pub static_files: usize,
    /// Things the editor should look at; the build went ahead.
    pub warnings: Vec<Diagnostic>,
    /// Files rendered anew; the rest were kept from the previous build.
    pub rendered: usize,
    /// Articles converted anew; the rest came from the conversion cache.
    pub converted: usize,
    /// Article files read (hand-edited variants and unpublished ones
    /// included); the others were unchanged since the last build into the
    /// same output and taken from its record ([`crate::source::record`]).
    pub read: usize,
    /// Blocks of the search index (what Pagefind indexes at once).
    pub search_blocks: usize,
    /// Search blocks indexed anew; the rest were kept from the previous
    /// build or came from the search cache.
    pub indexed: usize,
    /// The output files added, changed and removed.
    pub changes: Changes,
    /// The published site, for previews; `None` when nothing had changed
    /// and the build stopped before converting anything.
    pub published: Option<Published>,
}

/// Builds the site at `options.root` into `options.output` with `engine`.
/// Content problems come back as a [`Report`] inside the error.
pub fn build(options: &BuildOptions, engine: &Arc<dyn Engine>) -> Result<BuildSummary> {
    if options.minify && !crate::publish::minify::available() {
        anyhow::bail!(
            "--minify needs a jianfan built with the cargo feature `minify`: the release \
             binaries have it; from source, `cargo install jianfan --features minify` or \
             `cargo run --features minify -- build --minify`"
        );
    }
    match attempt(options, engine, Trust::Caches) {
        // The conversion cache lost or damaged an entry that the build
        // needed (for a page, or to convert a recorded article): nothing
        // was written. Built again without trusting the caches'
        // listing or the record: every file is read and every entry checked
        // as it is taken, so a bad one is converted again.
        Err(lost) if lost.is::<LostText>() => attempt(options, engine, Trust::Nothing),
        result => result,
    }
}

/// Whether a build takes the record and the conversion cache's listing at
/// their word, reading back an article's texts only when a page needs them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Trust {
    Caches,
    Nothing,
}

/// One attempt at [`build`].
fn attempt(options: &BuildOptions, engine: &Arc<dyn Engine>, trust: Trust) -> Result<BuildSummary> {
    let mut report = Report::default();
    let mut stages = Stages::start(options.progress);
    stages.enter("reading content");
    let (root, include, record) = (&options.root, options.include(), options.record(trust));
    let base_url = options.base_url.as_deref();
    // Without a readable site.yaml no other stage can run.
    let Some(mut source) = source::read(root, include, base_url, record, &mut report) else {
        return Err(report.into());
    };
    process_photos(root, &mut source, &stages, &mut report);
    let templates = Templates::read(root, &mut report);
    lint::site::warnings(&source, &mut report);
    let target = options.target();
    let previous = Previous::open(&target, &source, templates.as_ref(), engine.as_ref());
    source.read_again(root, &previous.lost(&source), &mut report);
    stages.lap("load");
    if !report.has_errors() && previous.unchanged(&options.output) {
        publish::output::recover(&options.output);
        source.keep_record();
        return BuildSummary::unchanged(&source, &previous, report).record_changes(options);
    }

    stages.enter("converting");
    let (read, recording) = (source.read(), source.recording.take());
    let (config, articles, topics) = (source.config, source.articles, source.topics);
    let store = Some(previous.conversions(trust == Trust::Caches));
    let (mut site, converted) =
        Site::assemble_cached(config, articles, topics, engine, store, &mut report);
    previous.forget_unused_conversions();
    site.converted_unread(&converted)?;
    stages.lap("convert and render Markdown");

    let plan = Plan::new(&site, &source.statics, &mut report);
    let (statics, failed, unparsed) = (&source.statics, &source.failed, &source.unparsed);
    lint::links::check(&site, &plan, statics, failed, unparsed, &mut report);
    lint::script::warnings(&site, &converted, engine.as_ref(), &mut report);
    if let Some(templates) = &templates {
        render::dry_run(&site, templates, &mut report)?;
    }
    if !options.keep_sources {
        site.forget_sources();
    }
    stages.lap("plan and check");
    // The one stop: with any error nothing is written, and the previous
    // output stays as it was.
    let Some(templates) = templates.filter(|_| !report.has_errors()) else {
        return Err(report.into());
    };

    let published = previous.ready(site, templates, plan, source.statics);
    let written = publish::write::everything(&published, &previous, &target, &mut stages)?;
    if let Some(recording) = recording {
        let site = &published.site;
        recording.save(&site.config.text, &site.articles, &published.statics);
    }
    stages.progress.finish();
    let summary = BuildSummary::new(published, written, converted.len(), report);
    BuildSummary { read, ..summary }.record_changes(options)
}

/// The photos stage ([`photos::prepare`]), counted on the progress display.
fn process_photos(root: &Path, source: &mut source::Source, stages: &Stages, report: &mut Report) {
    stages.enter("processing photos");
    let progress = &stages.progress;
    progress.photos(photos::count(source));
    photos::prepare(root, source, &|| progress.photo_done(), report);
}

impl BuildSummary {
    /// Writes the list of changed files where `options` ask for it.
    fn record_changes(self, options: &BuildOptions) -> Result<BuildSummary> {
        if let Some(path) = &options.changes {
            crate::fs::write_atomic(path, self.changes.lines().as_bytes())?;
        }
        Ok(self)
    }

    /// A build that found everything as the last one left it.
    fn unchanged(source: &source::Source, previous: &Previous, report: Report) -> BuildSummary {
        BuildSummary {
            articles: source.articles.len(),
            variants: source.config.variants.len(),
            pages: previous.pages(),
            static_files: source.statics.len(),
            warnings: report
                .at_level(Level::Warning)
                .into_iter()
                .cloned()
                .collect(),
            rendered: 0,
            converted: 0,
            read: source.read(),
            search_blocks: 0,
            indexed: 0,
            changes: Changes::default(),
            published: None,
        }
    }

    /// A build that wrote `written`.
    fn new(mut published: Published, written: Written, converted: usize, report: Report) -> Self {
        published.search_blocks = written.block_keys;
        BuildSummary {
            articles: published.site.articles.len(),
            variants: published.site.editions.len(),
            pages: written.pages,
            static_files: published.statics.len(),
            warnings: report
                .at_level(Level::Warning)
                .into_iter()
                .cloned()
                .collect(),
            rendered: written.rendered,
            converted,
            read: 0,
            search_blocks: published.search_blocks.len(),
            indexed: written.indexed,
            changes: written.changes,
            published: Some(published),
        }
    }
}
