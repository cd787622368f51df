//! Links and images that lead nowhere: checked before anything is written.
//!
//! Every link and image in every article (hand-edited variants included)
//! and every front-matter `image` is resolved the way the browser will
//! resolve it on the article page, and must land on a page the build writes
//! or a file in static/. `@/slug.md` links must name an existing article.
//! External addresses are not fetched.

use std::collections::BTreeSet;
use std::path::Path;

use crate::convert::site::Site;
use crate::diagnostic::{self, Diagnostic, Kind, Report};
use crate::layout::article_path;
use crate::layout::STATIC_DIR;
use crate::render::routes::{file_for, Plan};
use crate::source::article::{Article, Unparsed};
use crate::source::markdown::{self, Target};
use crate::source::StaticFile;

/// Every problem with links and images in the source's articles, as
/// assembled in `site` and planned as `plan`, and in the bodies of the
/// files that failed to load. Links to those files are not reported: their
/// own errors are.
pub fn check(
    site: &Site,
    plan: &Plan,
    statics: &[StaticFile],
    failed: &BTreeSet<String>,
    unparsed: &[Unparsed],
    report: &mut Report,
) {
    let checker = Checker::new(site, plan, statics, failed);
    checker.articles(site, 0..site.articles.len(), report);
    let prefix = &site.config.source().prefix;
    for file in unparsed {
        let page = article_path(prefix, &file.slug);
        report.extend(checker.body(&file.file, &file.body, file.body_line, &page));
    }
}

/// The problems of the articles at `indices` only: after one article is
/// saved, only its links can have changed.
pub fn check_articles(
    site: &Site,
    plan: &Plan,
    statics: &[StaticFile],
    failed: &BTreeSet<String>,
    indices: impl IntoIterator<Item = usize>,
    report: &mut Report,
) {
    Checker::new(site, plan, statics, failed).articles(site, indices, report);
}

struct Checker<'a> {
    /// Every page and root file the build writes.
    plan: &'a Plan,
    /// Files from static/, as output paths.
    assets: BTreeSet<&'a str>,
    slugs: BTreeSet<&'a str>,
    failed: &'a BTreeSet<String>,
}

impl<'a> Checker<'a> {
    fn new(
        site: &'a Site,
        plan: &'a Plan,
        statics: &'a [StaticFile],
        failed: &'a BTreeSet<String>,
    ) -> Self {
        Checker {
            plan,
            assets: statics.iter().map(|f| f.output.as_str()).collect(),
            slugs: site.articles.iter().map(|a| a.slug.as_str()).collect(),
            failed,
        }
    }

    /// The articles of `site` at `indices`, with their hand-edited variants.
    fn articles(&self, site: &Site, indices: impl IntoIterator<Item = usize>, report: &mut Report) {
        let source_prefix = &site.config.source().prefix;
        for article in indices.into_iter().map(|i| &site.articles[i]) {
            report.extend(self.article(article, source_prefix));
            for (variant, fork) in &article.forks {
                let prefix = (site.config.variants.iter())
                    .find(|v| &v.key == variant)
                    .map_or(source_prefix, |v| &v.prefix);
                report.extend(self.article(fork, prefix));
            }
        }
    }

    fn article(&self, article: &Article, prefix: &str) -> Vec<Diagnostic> {
        // A file taken from the record is unchanged, its links resolved in
        // the last build, and every page and static file that build had is
        // still there (the record is not used otherwise): nothing to check.
        if article.from_record {
            return Vec::new();
        }
        let page = article_path(prefix, &article.slug);
        let mut problems = self.body(&article.file, &article.body, article.body_line, &page);
        if let Some(image) = &article.front.image {
            // Front-matter images are paths in static/, from the site root.
            let rooted = if image.starts_with('/') || image.contains(':') {
                image.clone()
            } else {
                format!("/{image}")
            };
            if let Some((message, help)) = self.problem(&rooted, &page, true) {
                let line = article.front.image_line;
                let column = line.and_then(|l| diagnostic::column_of(&article.text, l, image));
                problems.push(
                    Diagnostic::error(Kind::Link, &article.file, message)
                        .at(line, column)
                        .with_help(help),
                );
            }
        }
        problems
    }

    /// The links and images of a `body` that starts on line `body_line` of
    /// `file`, on the page at `page`.
    fn body(&self, file: &Path, body: &str, body_line: usize, page: &str) -> Vec<Diagnostic> {
        let mut problems = Vec::new();
        for (offset, is_image, dest) in markdown::link_targets(body) {
            let (line, column) = diagnostic::position(body, offset, body_line);
            if let Some((message, help)) = self.problem(&dest, page, is_image) {
                problems.push(
                    Diagnostic::error(Kind::Link, file, message)
                        .at(Some(line), Some(column))
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
                if self.slugs.contains(&slug) || self.failed.contains(slug) {
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
        if self.plan.writes(&file)
            || self.assets.contains(path.as_ref())
            || self.assets.contains(file.as_str())
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
