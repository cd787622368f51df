//! `jianfan build`: the whole pipeline, top to bottom.
//!
//! load (site.yaml, content/, templates/) → convert and assemble → plan every
//! output path → render and write in parallel into a staging folder → swap it
//! in. Only the first and last stages touch the disk. Any content error stops
//! the build before anything is written, with every problem in one report.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use anyhow::Result;
use rayon::prelude::*;

use crate::article::{self, Include, CONTENT_DIR};
use crate::config::{SiteConfig, SITE_FILE};
use crate::convert::Engine;
use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::fs::OutputDir;
use crate::render::{file_for, Renderer, Route, Templates, TEMPLATES_DIR};
use crate::site::Site;

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
    /// The assembled site, for previews.
    pub site: Site,
}

/// Builds the site at `options.root` into `options.output` with `engine`.
pub fn build(options: &BuildOptions, engine: &Arc<dyn Engine>) -> Result<BuildSummary> {
    let root = &options.root;

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

    // Convert and assemble.
    let site = Site::assemble(config, articles, engine).map_err(anyhow::Error::msg)?;
    let warnings = warnings(&site);

    // Plan: every page in every variant, and the static files beside them.
    let routes = Route::all(&site);
    let jobs: Vec<(&Route, usize)> = routes
        .iter()
        .flat_map(|r| (0..site.editions.len()).map(move |e| (r, e)))
        .collect();
    let static_dir = root.join(STATIC_DIR);
    let static_files = crate::fs::files_under(&static_dir, root)?;
    check_collisions(&site, &routes, &static_files)?;
    let broken = crate::links::check(&site, &static_files);
    if !broken.is_empty() {
        return Err(Diagnostics(broken).into());
    }

    // Render and write into the staging folder; swap it in when complete.
    let sources = [
        root.join(CONTENT_DIR),
        root.join(TEMPLATES_DIR),
        static_dir.clone(),
    ];
    let mut protected = sources.to_vec();
    protected.push(root.clone());
    let output = OutputDir::prepare(&options.output, &protected, &sources)?;
    let renderer = Renderer::new(&site, &templates);
    // Pages as written, or minified when asked.
    let finish = |file: &str, text: String| -> Vec<u8> {
        if options.minify && file.ends_with(".html") {
            crate::minify::html(text.as_bytes())
        } else {
            text.into_bytes()
        }
    };
    let failures: Vec<String> = jobs
        .par_iter()
        .filter_map(|(route, edition)| {
            let written = renderer
                .page(route, *edition)
                .and_then(|(file, html)| output.write(&file, &finish(&file, html)));
            written.err().map(|e| format!("{e:#}"))
        })
        .collect();
    if !failures.is_empty() {
        // One message per distinct failure: a broken template fails every
        // page that uses it the same way.
        let unique: BTreeSet<String> = failures.into_iter().collect();
        let problems = unique
            .into_iter()
            .map(|message| {
                Diagnostic::error(TEMPLATES_DIR, message).with_help(
                    "use only the variables README.md lists for templates (see \"Templates\")",
                )
            })
            .collect();
        return Err(Diagnostics(problems).into());
    }
    output.write("index.html", &finish("index.html", renderer.root()?))?;
    // Hosts serve /404.html for any missing address; the source script's
    // 404 page links from base_url's path, so it works there too.
    let (_, not_found) = renderer.page(&Route::NotFound, 0)?;
    output.write("404.html", &finish("404.html", not_found))?;
    output.write("sitemap.xml", renderer.sitemap()?.as_bytes())?;
    output.write("robots.txt", renderer.robots()?.as_bytes())?;
    output.write(
        crate::search::TABLE_FILE,
        crate::search::table_json().as_bytes(),
    )?;
    for (file, bytes) in crate::search::indexes(&site)? {
        output.write(&file, &bytes)?;
    }
    static_files.par_iter().try_for_each(|relative| {
        let shown = relative.to_string_lossy().replace('\\', "/");
        let source = static_dir.join(relative);
        if options.minify {
            if let Some(small) =
                crate::minify::static_file(&shown, &crate::fs::read_bytes(&source)?)
            {
                return output.write(&shown, &small);
            }
        }
        output.copy(&source, &shown)
    })?;
    output.commit()?;

    Ok(BuildSummary {
        articles: site.articles.len(),
        variants: site.editions.len(),
        pages: jobs.len() + 2,
        static_files: static_files.len(),
        warnings,
        site,
    })
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
        .filter(|f| generated.contains(f))
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
pub(crate) fn warnings(site: &Site) -> Vec<Diagnostic> {
    let mut warnings = Vec::new();
    for (key, members) in &site.topic_articles {
        if members.is_empty() {
            warnings.push(
                Diagnostic::warning(
                    SITE_FILE,
                    format!("topic `{key}` has no articles; its page will be empty"),
                )
                .at(site.config.topics[key].line, None)
                .with_help("file an article under it, or remove the topic"),
            );
        }
    }
    for article in &site.articles {
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
        ];
        let err = check_collisions(&site, &routes, &files).expect_err("collides");
        let text = err.to_string();
        assert!(
            text.contains("static/zh-hant/topics/index.html: would overwrite the generated page"),
            "{text}"
        );
        assert!(!text.contains("style.css"), "{text}");
    }

    #[test]
    fn an_empty_topic_is_a_warning_with_its_line() {
        let warnings = warnings(&site());
        assert_eq!(warnings.len(), 1);
        assert_eq!(
            warnings[0].to_string(),
            "warning: site.yaml:6: topic `ai` has no articles; its page will be empty\n  \
             help: file an article under it, or remove the topic"
        );
    }
}
