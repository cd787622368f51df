//! Render: from the assembled [`Site`] to the bytes of every output file.
//!
//! In: a [`Site`] (every string already in each variant's script) and the
//! [`Templates`]. Out: the [`Plan`] of every output path (checked for
//! collisions before anything is rendered), pages and feeds, the sitemap
//! and robots.txt, the search index, and the preview server's side-by-side
//! page. Nothing here reads the site's files or writes the output: that is
//! [`crate::source`]'s and [`crate::publish`]'s. It may import `source` and
//! `convert`, never `lint`, `publish` or `commands`.

pub mod archive;
mod pages;
pub mod preview;
pub mod routes;
pub mod search;
pub mod sitemap;
pub mod templates;
mod views;

pub use pages::Renderer;
pub use routes::{file_for, Plan, Route};
pub use sitemap::SitemapLimits;
pub use templates::{escape_html, Templates};

use crate::convert::site::{LostText, Site};
use crate::diagnostic::{Diagnostic, Kind, Report};
use crate::layout::TEMPLATES_DIR;
use archive::{Period, Scope};

/// Renders one page of every kind in every variant, keeping nothing: a
/// template that uses a variable the context lacks fails here, before the
/// build writes anything. `check` and `build` both run it.
pub fn dry_run(site: &Site, templates: &Templates, report: &mut Report) -> anyhow::Result<()> {
    let renderer = Renderer::new(site, templates);
    let mut samples = vec![
        Route::Home,
        Route::Topics,
        Route::NotFound,
        Route::ArchiveIndex { scope: Scope::Home },
    ];
    if !site.articles.is_empty() {
        samples.push(Route::Article { index: 0 });
        let period = Period::of(archive::day_of(site, 0), site.config.archive.home);
        let scope = Scope::Home;
        samples.push(Route::Archive { scope, period });
    }
    if let Some(key) = site.topic_articles.keys().next() {
        samples.push(Route::Topic { key: key.clone() });
    }
    let errors: Vec<anyhow::Error> = samples
        .iter()
        .flat_map(|route| (0..site.editions.len()).map(move |e| (route, e)))
        .filter_map(|(route, edition)| renderer.page(route, edition).err())
        .chain(renderer.root().err())
        .collect();
    // Not the templates' fault: the caller builds again.
    if let Some(lost) = errors.iter().position(|e| e.is::<LostText>()) {
        return Err(errors.into_iter().nth(lost).expect("found"));
    }
    let mut failures: Vec<String> = errors.iter().map(|e| format!("{e:#}")).collect();
    failures.dedup();
    report.extend(failures.into_iter().map(|message| {
        Diagnostic::error(Kind::Template, TEMPLATES_DIR, message)
            .with_help("use only the variables README.md lists for templates (see \"Templates\")")
    }));
    Ok(())
}
