//! `jianfan build`: the whole pipeline, top to bottom.
//!
//! load (site.yaml, content/, templates/) → convert and assemble → plan every
//! output path → render and write in parallel into a staging folder → swap it
//! in. Only the first and last stages touch the disk. Any content error stops
//! the build before anything is written, with every problem in one report.

use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use anyhow::Result;
use rayon::prelude::*;

use crate::article::{self, Include, CONTENT_DIR};
use crate::cache::{ConversionCache, SearchCache, ShardFiles};
use crate::config::{SiteConfig, SITE_FILE};
use crate::convert::Engine;
use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::fs::OutputDir;
use crate::incremental::{self, Key, Keys, Manifest};
use crate::progress::Progress;
use crate::render::{file_for, Renderer, Route, Templates, TEMPLATES_DIR};
use crate::site::{Cached, Site};

/// The folder copied as is to the output root.
pub const STATIC_DIR: &str = "static";

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
    /// Shards of the search index.
    pub search_shards: usize,
    /// Search shards indexed anew; the rest were kept from the previous
    /// build or came from the search cache.
    pub indexed: usize,
    /// The assembled site, for previews; `None` when nothing had changed
    /// and the build stopped before converting anything.
    pub site: Option<Site>,
}

/// Builds the site at `options.root` into `options.output` with `engine`.
pub fn build(options: &BuildOptions, engine: &Arc<dyn Engine>) -> Result<BuildSummary> {
    let root = &options.root;
    let mut stage = Stopwatch::from_env();
    let progress = if options.progress {
        Progress::on_terminal()
    } else {
        Progress::none()
    };
    progress.stage("reading content");

    // Load. site.yaml first: articles are checked against its topics.
    let mut config = SiteConfig::load(root).map_err(Diagnostics)?;
    if let Some(url) = &options.base_url {
        config.set_base_url(url).map_err(anyhow::Error::msg)?;
    }
    let include = Include {
        drafts: options.drafts,
        future: options.future,
        ..Include::published()
    };
    let loaded = article::load_all(root, &config, include);
    let templates = Templates::load(&root.join(TEMPLATES_DIR));
    let articles = match (loaded, templates) {
        (Ok(articles), Ok(templates)) => (articles, templates),
        (loaded, templates) => {
            let mut problems = loaded.err().unwrap_or_default();
            if let Err(e) = templates {
                problems.push(Diagnostic::error(TEMPLATES_DIR, format!("{e:#}")).with_help(
                    "fix the template; Tera's syntax is described at https://keats.github.io/tera/docs/",
                ));
            }
            return Err(Diagnostics(problems).into());
        }
    };
    let (articles, templates) = articles;

    stage.lap("load");
    // What the previous build into this folder can lend: with the same
    // input and an intact output, there is nothing to do at all.
    let topic_articles = crate::site::topic_members(&config, &articles);
    let warnings = warnings(&config, &articles, &topic_articles);
    let engine_fingerprint = engine.fingerprint();
    let setting = incremental::Setting {
        root,
        engine: &engine_fingerprint,
        options: format!(
            "drafts={} future={} minify={}",
            options.drafts, options.future, options.minify
        ),
        templates: &templates.fingerprint,
    };
    let static_dir = root.join(STATIC_DIR);
    let static_files: Vec<(PathBuf, String, Key)> = crate::fs::files_under(&static_dir, root)?
        .into_iter()
        .map(|relative| {
            let shown = relative.to_string_lossy().replace('\\', "/");
            let key = incremental::static_key(&shown, &static_dir.join(&relative));
            (relative, shown, key)
        })
        .collect();
    let static_keys: Vec<(String, Key)> = static_files
        .iter()
        .map(|(_, shown, key)| (shown.clone(), key.clone()))
        .collect();
    let keys = Keys::compute(&config, &articles, &topic_articles, &static_keys, &setting);
    let manifest_path = Manifest::path(root, &options.output);
    let manifest = Manifest::load(&manifest_path);
    if manifest.unchanged(&keys.whole, &options.output) {
        stage.lap("load and compare with the previous build");
        return Ok(BuildSummary {
            articles: articles.len(),
            variants: config.variants.len(),
            pages: manifest
                .files
                .keys()
                .filter(|f| f.ends_with(".html"))
                .count(),
            static_files: static_files.len(),
            warnings,
            rendered: 0,
            converted: 0,
            search_shards: 0,
            indexed: 0,
            site: None,
        });
    }

    // Convert and assemble; articles converted by an earlier build with the
    // same settings come from the conversion cache.
    stage.lap("load");
    progress.stage("converting");
    let cache = ConversionCache::open(root, &config, &engine_fingerprint);
    let conversion_keys: Vec<Key> = keys.articles.iter().map(|k| cache.key(k)).collect();
    let cached = Cached {
        cache: &cache,
        keys: &conversion_keys,
    };
    let (site, converted) =
        Site::assemble_cached(config, articles, engine, cached).map_err(anyhow::Error::msg)?;
    stage.lap("convert and render Markdown");

    // Plan: every page in every variant, and the static files beside them.
    let routes = Route::all(&site);
    let jobs: Vec<(&Route, usize)> = routes
        .iter()
        .flat_map(|r| (0..site.editions.len()).map(move |e| (r, e)))
        .collect();
    let relatives: Vec<PathBuf> = static_files.iter().map(|(r, _, _)| r.clone()).collect();
    check_collisions(&site, &routes, &relatives)?;
    let broken = crate::links::check(&site, &relatives);
    if !broken.is_empty() {
        return Err(Diagnostics(broken).into());
    }
    stage.lap("plan and check links");

    // Render and write into the staging folder; swap it in when complete.
    let sources = [
        root.join(CONTENT_DIR),
        root.join(TEMPLATES_DIR),
        static_dir.clone(),
    ];
    let mut protected = sources.to_vec();
    protected.push(root.clone());
    let output = OutputDir::prepare(&options.output, &protected, &sources)?;
    let previous = output.target().to_path_buf();
    let renderer = Renderer::new(&site, &templates);
    progress.stage("rendering");
    let names: Vec<String> = site
        .editions
        .iter()
        .map(|e| e.variant.name.clone())
        .collect();
    progress.pages(&names, routes.len());
    // Pages as written, or minified when asked.
    let finish = |file: &str, text: String| -> Vec<u8> {
        if options.minify && file.ends_with(".html") {
            crate::minify::html(text.as_bytes())
        } else {
            text.into_bytes()
        }
    };
    // Each page: kept from the previous build when its key is unchanged,
    // rendered otherwise. Returns (file, key, rendered?).
    let outcomes: Vec<Result<(String, Key, bool), String>> = jobs
        .par_iter()
        .map(|(route, edition)| {
            let file = file_for(&route.path(&site, &site.editions[*edition].variant.prefix));
            let key = keys.page(route, *edition, &route.members(&site));
            progress.page_done(*edition);
            if manifest.reusable(&previous, &file, &key) {
                output.keep(&file).map_err(|e| format!("{e:#}"))?;
                return Ok((file, key, false));
            }
            let (file, html) = renderer
                .page(route, *edition)
                .map_err(|e| format!("{e:#}"))?;
            output
                .write(&file, &finish(&file, html))
                .map_err(|e| format!("{e:#}"))?;
            Ok((file, key, true))
        })
        .collect();
    let mut written: BTreeMap<String, Key> = BTreeMap::new();
    let mut failures = BTreeSet::new();
    let mut rendered = 0;
    for outcome in outcomes {
        match outcome {
            Ok((file, key, fresh)) => {
                rendered += usize::from(fresh);
                written.insert(file, key);
            }
            // One message per distinct failure: a broken template fails
            // every page that uses it the same way.
            Err(message) => {
                failures.insert(message);
            }
        }
    }
    if !failures.is_empty() {
        let problems = failures
            .into_iter()
            .map(|message| {
                Diagnostic::error(TEMPLATES_DIR, message).with_help(
                    "use only the variables README.md lists for templates (see \"Templates\")",
                )
            })
            .collect();
        return Err(Diagnostics(problems).into());
    }
    stage.lap("render pages");

    // Files made from site-wide inputs, or from every article.
    let mut made_once = |file: &str, key: Key, make: &dyn Fn() -> Result<Vec<u8>>| {
        if manifest.reusable(&previous, file, &key) {
            output.keep(file)?;
        } else {
            output.write(file, &make()?)?;
            rendered += 1;
        }
        written.insert(file.to_string(), key);
        anyhow::Ok(())
    };
    made_once("index.html", keys.site_only("root"), &|| {
        Ok(finish("index.html", renderer.root()?))
    })?;
    // Hosts serve /404.html for any missing address; the source script's
    // 404 page links from base_url's path, so it works there too.
    made_once("404.html", keys.site_only("404"), &|| {
        Ok(finish("404.html", renderer.page(&Route::NotFound, 0)?.1))
    })?;
    made_once("robots.txt", keys.site_only("robots"), &|| {
        Ok(renderer.robots()?.into_bytes())
    })?;
    made_once(
        crate::search::TABLE_FILE,
        keys.site_only("search table"),
        &|| Ok(crate::search::table_json().into_bytes()),
    )?;
    // The sitemap is one file, or an index and its parts for a large
    // archive; all of them are made from the same inputs, so they are kept
    // or made again together.
    let sitemap_key = keys.all_articles("sitemap");
    let previous_sitemaps: Vec<String> = std::iter::once("sitemap.xml".to_string())
        .chain(
            (1..)
                .map(crate::render::sitemap_part)
                .take_while(|part| manifest.lists(part)),
        )
        .collect();
    if previous_sitemaps
        .iter()
        .all(|file| manifest.reusable(&previous, file, &sitemap_key))
    {
        for file in previous_sitemaps {
            output.keep(&file)?;
            written.insert(file, sitemap_key.clone());
        }
    } else {
        for (file, xml) in renderer.sitemaps()? {
            output.write(&file, xml.as_bytes())?;
            rendered += 1;
            written.insert(file, sitemap_key.clone());
        }
    }
    stage.lap("root pages and sitemap");

    // The search index, shard by shard: a shard whose articles are all
    // unchanged is kept from the previous output; one built before, by any
    // build of this site into any folder, comes from the search cache; the
    // rest are indexed, side by side, and cached.
    let search_cache = SearchCache::open(root);
    let mut used = HashSet::new();
    let mut unindexed = Vec::new();
    let shards = crate::search::shards(&site);
    let search_shards = shards.len();
    for shard in shards {
        let key = keys.members(&format!("search {}", shard.name), &shard.members);
        let cached_key = SearchCache::key(shard.members.iter().map(|&i| &conversion_keys[i]));
        used.insert(cached_key.clone());
        let folder = shard.folder();
        let previous_files: Vec<&String> = manifest
            .files
            .iter()
            .filter(|(file, entry)| entry.key == key && file.starts_with(&folder))
            .map(|(file, _)| file)
            .collect();
        let reusable = !previous_files.is_empty()
            && previous_files
                .iter()
                .all(|file| manifest.reusable(&previous, file, &key));
        if reusable {
            previous_files
                .par_iter()
                .try_for_each(|file| output.keep(file))?;
            written.extend(previous_files.into_iter().map(|f| (f.clone(), key.clone())));
        } else if let Some(files) = search_cache.load(&cached_key) {
            write_shard(&output, &shard, &key, files, &mut written)?;
        } else {
            unindexed.push((shard, key, cached_key));
        }
    }
    let indexed = unindexed.len();
    if !unindexed.is_empty() {
        progress.stage("building the search index");
        let shards: Vec<crate::search::Shard> =
            unindexed.iter().map(|(s, _, _)| s.clone()).collect();
        let bundles = crate::search::build_shards(&site, &shards)?;
        for ((shard, key, cached_key), files) in unindexed.into_iter().zip(bundles) {
            search_cache.store(&cached_key, &files);
            write_shard(&output, &shard, &key, files, &mut written)?;
        }
    }
    search_cache.keep_only(&used);
    stage.lap("search index");

    let copied: Vec<(String, Key)> = static_files
        .par_iter()
        .map(|(relative, shown, key)| {
            let source = static_dir.join(relative);
            if manifest.reusable(&previous, shown, key) {
                output.keep(shown)?;
            } else if let Some(small) = options
                .minify
                .then(|| crate::fs::read_bytes(&source))
                .transpose()?
                .and_then(|bytes| crate::minify::static_file(shown, &bytes))
            {
                output.write(shown, &small)?;
            } else {
                output.copy(&source, shown)?;
            }
            Ok((shown.clone(), key.clone()))
        })
        .collect::<Result<_>>()?;
    written.extend(copied);
    stage.lap("static files");
    let target = output.target().to_path_buf();
    progress.stage("replacing the previous site");
    output.commit()?;
    Manifest::save(&manifest_path, &target, keys.whole.clone(), written);
    stage.lap("commit");
    drop(renderer);
    progress.finish();

    Ok(BuildSummary {
        articles: site.articles.len(),
        variants: site.editions.len(),
        pages: jobs.len() + 2,
        static_files: static_files.len(),
        warnings,
        rendered,
        converted,
        search_shards,
        indexed,
        site: Some(site),
    })
}

/// Writes one search shard's `files` (paths inside its folder) into the
/// output and records them under `key`.
fn write_shard(
    output: &OutputDir,
    shard: &crate::search::Shard,
    key: &Key,
    files: ShardFiles,
    written: &mut BTreeMap<String, Key>,
) -> Result<()> {
    let folder = shard.folder();
    let files: Vec<(String, Vec<u8>)> = files
        .into_iter()
        .map(|(name, bytes)| (format!("{folder}{name}"), bytes))
        .collect();
    files
        .par_iter()
        .try_for_each(|(file, bytes)| output.write(file, bytes))?;
    written.extend(files.into_iter().map(|(file, _)| (file, key.clone())));
    Ok(())
}

/// Prints how long each stage took to stderr when `JIANFAN_TIMINGS` is set:
/// the first thing to look at when a build is slow (see BENCHMARKS.md).
struct Stopwatch {
    last: Option<std::time::Instant>,
}

impl Stopwatch {
    fn from_env() -> Self {
        let on = std::env::var_os("JIANFAN_TIMINGS").is_some();
        Stopwatch {
            last: on.then(std::time::Instant::now),
        }
    }

    fn lap(&mut self, stage: &str) {
        if let Some(last) = self.last {
            let now = std::time::Instant::now();
            eprintln!("{:>8.1} ms  {stage}", (now - last).as_secs_f64() * 1e3);
            self.last = Some(now);
        }
    }
}

/// A hand-edited variant that no longer matches its source.
fn fork_warnings(
    source: &crate::article::Article,
    fork: &crate::article::Article,
) -> Vec<Diagnostic> {
    let mut warnings = Vec::new();
    let hash = &source.source_hash;
    if fork.front.forked_from.as_deref() != Some(hash.as_str()) {
        let message = match &fork.front.forked_from {
            Some(_) => format!(
                "{} has changed since this variant was made from it",
                source.file.display()
            ),
            None => format!(
                "this variant does not record which version of {} it was made from",
                source.file.display()
            ),
        };
        warnings.push(
            Diagnostic::warning(&fork.file, message)
                .at_line(1)
                .with_help(format!(
                    "bring it up to date with {}, then set `forked_from: {hash}`",
                    source.file.display()
                )),
        );
    }
    let fork_topics: Vec<&str> = fork.front.topics.iter().map(|(t, _)| t.as_str()).collect();
    let topics: Vec<&str> = source
        .front
        .topics
        .iter()
        .map(|(t, _)| t.as_str())
        .collect();
    if fork_topics != topics || fork.front.date != source.front.date {
        warnings.push(
            Diagnostic::warning(
                &fork.file,
                "its `date` or `topics` differ from the source; the source's are used",
            )
            .at_line(1)
            .with_help(format!("copy them from {}", source.file.display())),
        );
    }
    warnings
}

/// A file in static/ must not stand where a generated page goes.
fn check_collisions(site: &Site, routes: &[Route], static_files: &[PathBuf]) -> Result<()> {
    let mut generated: BTreeSet<String> = [
        "index.html",
        "404.html",
        "sitemap.xml",
        "robots.txt",
        crate::search::TABLE_FILE,
    ]
    .into_iter()
    .map(String::from)
    .collect();
    for edition in &site.editions {
        for route in routes {
            generated.insert(file_for(&route.path(site, &edition.variant.prefix)));
        }
    }
    let clashes: Vec<Diagnostic> = static_files
        .iter()
        .map(|f| f.to_string_lossy().replace('\\', "/"))
        // A large archive's sitemap part names are reserved even while the
        // sitemap is one file, so a site never stops building as it grows.
        .filter(|f| generated.contains(f) || crate::render::is_sitemap_part(f))
        .map(|f| {
            Diagnostic::error(
                Path::new(STATIC_DIR).join(&f),
                format!("would overwrite the generated page {f}"),
            )
            .with_help("move or rename the file in static/")
        })
        .collect();
    if clashes.is_empty() {
        Ok(())
    } else {
        Err(Diagnostics(clashes).into())
    }
}

/// Things that build fine but that a reader would find odd.
pub(crate) fn warnings(
    config: &SiteConfig,
    articles: &[crate::article::Article],
    topic_articles: &indexmap::IndexMap<String, Vec<usize>>,
) -> Vec<Diagnostic> {
    let mut warnings = Vec::new();
    for (key, members) in topic_articles {
        if members.is_empty() {
            warnings.push(
                Diagnostic::warning(
                    SITE_FILE,
                    format!("topic `{key}` has no articles; its page will be empty"),
                )
                .at(config.topics[key].line, None)
                .with_help("file an article under it, or remove the topic"),
            );
        }
    }
    for article in articles {
        for fork in article.forks.values() {
            warnings.extend(fork_warnings(article, fork));
        }
        if article.front.topics.is_empty() {
            warnings.push(
                Diagnostic::warning(
                    &article.file,
                    "the article has no topics; only the home page lists it",
                )
                .at_line(2)
                .with_help("add e.g. `topics: [ai]` to its front matter"),
            );
        }
    }
    warnings
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::convert::default_engine;

    fn site() -> Site {
        let config = SiteConfig::parse(
            "title: t\nbase_url: https://example.org/\nvariants:\n  zh-hant: {lang: zh-Hant-HK, \
             name: 繁體, prefix: zh-hant}\ntopics:\n  ai: {name: 人工智能}\n",
        )
        .expect("valid");
        Site::assemble(config, Vec::new(), &default_engine()).expect("assembles")
    }

    #[test]
    fn a_static_file_cannot_replace_a_page() {
        let site = site();
        let routes = Route::all(&site);
        let files = [
            PathBuf::from("style.css"),
            PathBuf::from("zh-hant/topics/index.html"),
            PathBuf::from("sitemap-3.xml"),
            PathBuf::from("sitemap-news.xml"),
        ];
        let err = check_collisions(&site, &routes, &files).expect_err("collides");
        let text = err.to_string();
        assert!(
            text.contains("static/zh-hant/topics/index.html: would overwrite the generated page"),
            "{text}"
        );
        assert!(
            text.contains("static/sitemap-3.xml: would overwrite"),
            "a large archive's sitemap part: {text}"
        );
        assert!(!text.contains("style.css"), "{text}");
        assert!(!text.contains("sitemap-news.xml"), "{text}");
    }

    #[test]
    fn an_empty_topic_is_a_warning_with_its_line() {
        let site = site();
        let warnings = warnings(&site.config, &site.articles, &site.topic_articles);
        assert_eq!(warnings.len(), 1);
        assert_eq!(
            warnings[0].to_string(),
            "warning: site.yaml:6: topic `ai` has no articles; its page will be empty\n  \
             help: file an article under it, or remove the topic"
        );
    }
}
