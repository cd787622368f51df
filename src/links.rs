//! Links and images that lead nowhere: checked before anything is written.
//!
//! Every link and image in every article (hand-edited variants included)
//! and every front-matter `image` is resolved the way the browser will
//! resolve it on the article page, and must land on a page the build writes
//! or a file in static/. `@/slug.md` links must name an existing article.
//! External addresses are not fetched.

use std::collections::BTreeSet;
use std::path::PathBuf;
use std::sync::OnceLock;

use crate::article::Article;
use crate::build::STATIC_DIR;
use crate::diagnostic::{self, Diagnostic};
use crate::markdown::{self, Target};
use crate::render::{file_for, Route};
use crate::site::Site;

/// Every problem with links and images in `site`; `static_files` are the
/// files under static/, relative to it.
pub fn check(site: &Site, static_files: &[PathBuf]) -> Vec<Diagnostic> {
    check_articles(site, static_files, 0..site.articles.len())
}

/// The problems of the articles at `indices` only: after one article is
/// saved, only its links can have changed.
pub fn check_articles(
    site: &Site,
    static_files: &[PathBuf],
    indices: impl IntoIterator<Item = usize>,
) -> Vec<Diagnostic> {
    let assets: BTreeSet<String> = static_files
        .iter()
        .map(|f| f.to_string_lossy().replace('\\', "/"))
        .collect();
    let slugs: BTreeSet<&str> = site.articles.iter().map(|a| a.slug.as_str()).collect();
    let checker = Checker {
        site,
        files: OnceLock::new(),
        assets,
        slugs,
    };

    let mut problems = Vec::new();
    for article in indices.into_iter().map(|i| &site.articles[i]) {
        let source_prefix = &site.config.source().prefix;
        problems.extend(checker.article(article, source_prefix));
        for (variant, fork) in &article.forks {
            let prefix = site
                .config
                .variants
                .iter()
                .find(|v| &v.key == variant)
                .map_or(source_prefix, |v| &v.prefix);
            problems.extend(checker.article(fork, prefix));
        }
    }
    problems
}

struct Checker<'a> {
    site: &'a Site,
    /// Pages the build writes, as output paths (`zh-hant/topics/index.html`);
    /// listed only when a link needs them (most links are `@/slug.md`).
    files: OnceLock<BTreeSet<String>>,
    /// Files from static/.
    assets: BTreeSet<String>,
    slugs: BTreeSet<&'a str>,
}

impl Checker<'_> {
    fn files(&self) -> &BTreeSet<String> {
        self.files.get_or_init(|| {
            let site = self.site;
            let mut files: BTreeSet<String> =
                ["index.html".to_string(), "404.html".to_string()].into();
            for route in Route::all(site) {
                for edition in &site.editions {
                    files.insert(file_for(&route.path(site, &edition.variant.prefix)));
                }
            }
            files
        })
    }

    fn article(&self, article: &Article, prefix: &str) -> Vec<Diagnostic> {
        let mut problems = Vec::new();
        let page = format!("{prefix}/articles/{}/", article.slug);
        for (offset, is_image, dest) in markdown::link_targets(&article.body) {
            let (line, column) = diagnostic::position(&article.body, offset, article.body_line);
            if let Some((message, help)) = self.problem(&dest, &page, is_image) {
                problems.push(
                    Diagnostic::error(&article.file, message)
                        .at(Some(line), Some(column))
                        .with_help(help),
                );
            }
        }
        if let Some(image) = &article.front.image {
            // Front-matter images are paths in static/, from the site root.
            let rooted = if image.starts_with('/') || image.contains(':') {
                image.clone()
            } else {
                format!("/{image}")
            };
            if let Some((message, help)) = self.problem(&rooted, &page, true) {
                let line = article.front.image_line;
                problems.push(
                    Diagnostic::error(&article.file, message)
                        .at(line, None)
                        .with_help(help),
                );
            }
        }
        problems
    }

    /// What is wrong with `dest` on the page at `page`, if anything.
    fn problem(&self, dest: &str, page: &str, is_image: bool) -> Option<(String, String)> {
        let what = if is_image { "image" } else { "link" };
        let path = match markdown::target(dest) {
            // Script and data addresses are dropped when the page is built.
            Target::External | Target::Fragment => return None,
            Target::Article { slug, .. } => {
                if self.slugs.contains(&slug) {
                    return None;
                }
                let help = match diagnostic::closest(slug, self.slugs.iter().copied()) {
                    Some(near) => format!("did you mean `@/{near}.md`?"),
                    None => {
                        "link to an article as @/<slug>.md, with the slug of a file in content/"
                            .to_string()
                    }
                };
                return Some((
                    format!("the {what} `{dest}` leads to no article: there is no `{slug}.md`"),
                    help,
                ));
            }
            Target::Root(rest) => rest.to_string(),
            Target::Relative(relative) => resolve(page, relative)?,
        };
        let path = path.split(['#', '?']).next().unwrap_or_default();
        let path = percent_encoding::percent_decode_str(path).decode_utf8_lossy();
        let file = file_for(&path);
        if self.files().contains(&file)
            || self.assets.contains(path.as_ref())
            || self.assets.contains(&file)
        {
            return None;
        }
        let help = if is_image || path.contains('.') {
            format!("add the file to {STATIC_DIR}/{path}, or correct the address")
        } else {
            "correct the address; link to articles as @/<slug>.md".to_string()
        };
        Some((
            format!("the {what} `{dest}` leads nowhere: the site has no `/{path}`"),
            help,
        ))
    }
}

/// `relative` resolved against the folder `page`, as a path from the site
/// root; `None` when it climbs above the root (then it is left alone: it
/// points outside the site).
fn resolve(page: &str, relative: &str) -> Option<String> {
    let mut parts: Vec<&str> = page.split('/').filter(|p| !p.is_empty()).collect();
    let trailing = relative.ends_with('/') || relative.is_empty();
    for part in relative.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            other => parts.push(other),
        }
    }
    let mut path = parts.join("/");
    if trailing && !path.is_empty() {
        path.push('/');
    }
    Some(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_paths_resolve_from_the_page_folder() {
        assert_eq!(
            resolve("zh-hant/articles/a/", "../b/").as_deref(),
            Some("zh-hant/articles/b/")
        );
        assert_eq!(
            resolve("zh-hant/articles/a/", "../../topics/ai/").as_deref(),
            Some("zh-hant/topics/ai/")
        );
        assert_eq!(resolve("zh-hant/articles/a/", "../../../../x"), None);
    }
}
