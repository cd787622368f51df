//! `serve`'s quick path: an article saved with the same slug, date, topics
//! and publication status is read, converted and rendered alone, its pages
//! written in place into the served folder, and the search tier that holds
//! it merged again on a thread of its own once the saves pause.

use std::path::{Path, PathBuf};
use std::sync::{mpsc, Arc};

use anyhow::{Context as _, Result};

use super::{Shared, SEARCH_QUIET};
use crate::commands::build::BuildOptions;
use crate::diagnostic::Report;
use crate::publish::Published;

/// A search tier to merge again after a quick update: its folder in the
/// output and its blocks, as the site stood then.
pub(super) struct SearchJob {
    folder: String,
    blocks: Vec<BlockJob>,
    /// Where the unchanged blocks are.
    cache: crate::publish::cache::SearchCache,
    /// [`Shared::builds`] when the job was made.
    after_build: u64,
}

/// One block of a [`SearchJob`]'s tier.
enum BlockJob {
    /// A block with a changed article: its articles' records, to index and
    /// store in the search cache under its key, where the next full build
    /// finds it.
    Index(
        Vec<crate::render::search::Record>,
        crate::publish::keys::Key,
    ),
    /// A block unchanged since the last full build, by its search cache key.
    Cached(crate::publish::keys::Key),
}

/// The quick path for the commonest change: articles saved with the same
/// slug, date, topics and publication status. Only those articles are read
/// and converted, and only the pages that show them are rendered (their own
/// pages, the front and archive pages that list them, the feeds they are in,
/// the sitemap), written in place into the served folder. Returns the files
/// written and the search tiers to index again, or `None` when the change
/// is of another kind and the whole site must be built again.
pub(super) fn update_articles(
    options: &BuildOptions,
    shared: &Shared,
    paths: &[PathBuf],
    output: &Path,
) -> Option<Result<(Vec<String>, Vec<SearchJob>)>> {
    let root = &options.root;
    let content = root.join(crate::layout::CONTENT_DIR);
    let mut changed = Vec::new();
    for path in paths {
        if no_build_reads(&content, path) {
            continue;
        }
        let is_article = path.starts_with(&content)
            && path.extension().is_some_and(|e| e == "md")
            && path.is_file()
            && path
                .file_stem()
                .is_some_and(|s| !s.to_string_lossy().contains('.'));
        if !is_article {
            return None;
        }
        changed.push(path.strip_prefix(root).ok()?.to_path_buf());
    }
    if changed.is_empty() {
        return Some(Ok((Vec::new(), Vec::new())));
    }
    // While the last build's errors stand, the served site is an older one
    // and other files may still be wrong: build in full, so the list of
    // problems stays whole and shrinks only as each is fixed.
    if shared.error.read().expect("no writer panics").is_some() {
        return None;
    }
    let mut slot = shared.site.write().expect("no writer panics");
    let mut site_arc = slot.take()?;
    let result = (|| {
        // A preview being rendered holds the site; then build in full.
        let published = Arc::get_mut(&mut site_arc)?;
        let include = options.include();
        let mut indices = Vec::new();
        for file in &changed {
            let site = &published.site;
            let index = site.articles.iter().position(|a| &a.file == file)?;
            let old = &site.articles[index];
            let text = crate::fs::read_utf8(&root.join(file)).ok()?;
            // Errors are reported by the full build, with everything else.
            let mut article =
                crate::source::article::Article::parse(file, &text, &site.config).ok()?;
            // A photo the last build did not show needs its photo stage.
            article.photos_from(old)?;
            let same_place = old.forks.is_empty()
                && article.slug == old.slug
                && article.front.date == old.front.date
                && article.front.topics == old.front.topics
                && include.keeps(&article);
            if !same_place {
                return None;
            }
            let key = crate::publish::incremental::article_key(&article);
            published.conversion_keys[index] = published.conversions.key(&key);
            published.edited.insert(index);
            let site = &mut published.site;
            site.replace_article(index, article);
            indices.push(index);
        }
        let files = match render_articles(published, &indices, output, options.minify) {
            Ok(files) => files,
            Err(error) => return Some(Err(error)),
        };
        let after_build = *shared.builds.lock().expect("no holder panics");
        let site = &published.site;
        // The tiers holding a changed article, each with its blocks: the
        // changed ones to index, the others from the cache, where the last
        // full build left them (`Published::search_blocks`).
        let cache = crate::publish::cache::SearchCache::open(root);
        let keys = &published.search_blocks;
        let mut jobs = Vec::new();
        let mut first_block = 0;
        for tier in crate::render::search::tiers(site) {
            let numbers = first_block..first_block + tier.blocks.len();
            first_block = numbers.end;
            let changed = |block: &crate::render::search::Block| {
                block.members.iter().any(|i| indices.contains(i))
            };
            if !tier.blocks.iter().any(changed) || keys.len() < numbers.end {
                continue;
            }
            // A block edited by an earlier update is indexed again too: its
            // job may have been superseded by this one before it ran.
            let edited = |block: &crate::render::search::Block| {
                block.members.iter().any(|i| published.edited.contains(i))
            };
            // A body that cannot be read back: the full build reports it.
            let blocks = (tier.blocks.iter().zip(&keys[numbers]))
                .map(|(block, key)| match edited(block) {
                    true => Some(BlockJob::Index(
                        crate::render::search::records(site, block).ok()?,
                        crate::publish::cache::SearchCache::key(
                            block.members.iter().map(|&i| &published.conversion_keys[i]),
                        ),
                    )),
                    false => Some(BlockJob::Cached(key.clone())),
                })
                .collect::<Option<Vec<_>>>()?;
            jobs.push(SearchJob {
                folder: tier.folder(),
                blocks,
                cache: cache.clone(),
                after_build,
            });
        }
        Some(Ok((files, jobs)))
    })();
    *slot = Some(site_arc);
    result
}

/// Whether `path` is a file in `content` that no build reads: an editor's
/// temporary or lock file (a hidden name, or one the save renamed away), or
/// a plain file that is not Markdown. Saving through a temporary file and a
/// rename reports both names, and the temporary one must not turn a quick
/// update into a full build. Anything else under content/ (a folder, a
/// link, a Markdown file) may change the site.
fn no_build_reads(content: &Path, path: &Path) -> bool {
    let Ok(inside) = path.strip_prefix(content) else {
        return false;
    };
    // The build's walk skips hidden and underscore names (`fs::markdown_files`).
    let hidden = inside
        .components()
        .any(|c| c.as_os_str().to_string_lossy().starts_with(['.', '_']));
    let markdown = path.extension().is_some_and(|e| e == "md");
    let plain_or_gone = match std::fs::symlink_metadata(path) {
        Ok(meta) => meta.is_file(),
        Err(_) => true,
    };
    hidden || (!markdown && plain_or_gone)
}

/// Renders the pages that show the articles at `indices` into `output`:
/// the build's link lint and page stage, for these articles only.
fn render_articles(
    published: &Published,
    indices: &[usize],
    output: &Path,
    minify: bool,
) -> Result<Vec<String>> {
    let (site, plan) = (&published.site, &published.plan);
    let mut report = Report::default();
    let failed = Default::default();
    let changed = indices.iter().copied();
    let statics = &published.statics;
    crate::lint::links::check_articles(site, plan, statics, &failed, changed, &mut report);
    if report.has_errors() {
        return Err(report.into());
    }
    let renderer = crate::render::Renderer::new(site, &published.templates);
    // The pages that show these articles: the same dependency the build's
    // keys are made from (`Route::members`).
    let pages: Vec<(String, String)> = (plan.routes.iter())
        .filter(|route| route.members(site).iter().any(|i| indices.contains(i)))
        .flat_map(|route| (0..site.editions.len()).map(move |e| (route, e)))
        .map(|(route, edition)| renderer.page(route, edition))
        .collect::<Result<_>>()?;
    let page_count = pages.len();
    for (file, text) in pages {
        let bytes = crate::publish::write::finish(minify, &file, text);
        crate::fs::write_atomic(&output.join(&file), &bytes)?;
    }
    // Last, as no reader waits for it: the sitemap of a large archive takes
    // longer than all the pages above together.
    // The same slugs, dates and topics: the same sitemap files, new bytes.
    let sitemaps = renderer.sitemaps(&plan.routes)?;
    for (file, xml) in &sitemaps {
        crate::fs::write_atomic(&output.join(file), xml.as_bytes())?;
    }
    let mut shown: Vec<String> = indices
        .iter()
        .map(|&i| site.articles[i].file.display().to_string())
        .collect();
    shown.push(format!("({} files)", page_count + sitemaps.len()));
    Ok(shown)
}

/// Indexes the tiers of `queue` and swaps each into `output`, until the
/// queue closes. It starts once the saves pause for [`SEARCH_QUIET`], and
/// of several saves to one tier only the last is indexed: indexing a tier
/// takes a core for seconds, and an editor saving again and again wants
/// each page fast, not an index of every draft. A full build since a job
/// was made has indexed its tier already, so the job is dropped.
pub(super) fn index_in_background(
    queue: &mpsc::Receiver<SearchJob>,
    shared: &Shared,
    output: &Path,
) {
    while let Ok(job) = queue.recv() {
        let mut latest = std::collections::BTreeMap::from([(job.folder.clone(), job)]);
        loop {
            match queue.recv_timeout(SEARCH_QUIET) {
                Ok(job) => {
                    latest.insert(job.folder.clone(), job);
                }
                Err(mpsc::RecvTimeoutError::Timeout) => break,
                // The server is stopping: its folder is about to go.
                Err(mpsc::RecvTimeoutError::Disconnected) => return,
            }
        }
        for (folder, job) in latest {
            let stale = || *shared.builds.lock().expect("no holder panics") != job.after_build;
            if stale() {
                continue;
            }
            let started = std::time::Instant::now();
            let files = match merge_tier(job.blocks, &job.cache) {
                Ok(files) => files,
                Err(error) => {
                    eprintln!("warning: cannot update the search index {folder}: {error:#}");
                    continue;
                }
            };
            let builds = shared.builds.lock().expect("no holder panics");
            if *builds != job.after_build {
                continue;
            }
            match replace_tier(&output.join(&folder), &files) {
                Ok(()) => eprintln!(
                    "search index {folder} updated in {:.0} ms",
                    started.elapsed().as_secs_f64() * 1e3
                ),
                Err(error) => {
                    eprintln!("warning: cannot update the search index {folder}: {error:#}")
                }
            }
            drop(builds);
        }
    }
}

/// A tier's files: its changed blocks indexed, the others from the cache,
/// all merged.
fn merge_tier(
    blocks: Vec<BlockJob>,
    cache: &crate::publish::cache::SearchCache,
) -> Result<crate::render::search::Bundle> {
    let files: Vec<crate::render::search::Bundle> = blocks
        .into_iter()
        .map(|block| match block {
            BlockJob::Index(records, key) => {
                let files = crate::render::search::index(records)?;
                cache.store(&key, &files);
                Ok(files)
            }
            BlockJob::Cached(key) => cache
                .load(&key)
                .context("a block of it is no longer in .jianfan-cache/search/"),
        })
        .collect::<Result<_>>()?;
    crate::render::search::merge(&files)
}

/// Puts a tier's new files in its folder: the files its entry file names
/// first, the entry file last (a search started meanwhile finds a whole
/// index, old or new), then the files only the old index used are removed.
fn replace_tier(folder: &Path, files: &crate::render::search::Bundle) -> Result<()> {
    use crate::render::search::ENTRY;
    let (entry, rest): (Vec<_>, Vec<_>) = files.iter().partition(|(name, _)| name == ENTRY);
    for (name, bytes) in rest.into_iter().chain(entry) {
        let path = folder.join(name);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)
                .with_context(|| format!("cannot create {}", parent.display()))?;
        }
        crate::fs::write_atomic(&path, bytes)?;
    }
    let kept: std::collections::BTreeSet<PathBuf> =
        files.iter().map(|(name, _)| folder.join(name)).collect();
    for stale in walkdir::WalkDir::new(folder)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file() && !kept.contains(e.path()))
    {
        std::fs::remove_file(stale.path())
            .with_context(|| format!("cannot remove {}", stale.path().display()))?;
    }
    Ok(())
}
