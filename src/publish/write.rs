//! Writing a build: every page, root file, sitemap, search tier and static
//! file into the staging folder, each kept from the previous output when
//! its key is unchanged, then what changed put in place (the staging
//! folder swapped in, or its files moved in) and the manifest saved. The
//! one function [`everything`] runs it top to bottom.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use anyhow::{Context, Result};
use rayon::prelude::*;

use crate::convert::site::{LostText, Site};
use crate::diagnostic::{Diagnostic, Kind, Report};
use crate::layout::{CONTENT_DIR, STATIC_DIR, TEMPLATES_DIR};
use crate::publish::cache::SearchCache;
use crate::publish::keys::Hasher;
use crate::publish::keys::Key;
use crate::publish::output::OutputDir;
use crate::publish::progress::{self, Stages};
use crate::publish::{Previous, Published, Target};
use crate::render::routes::{INDEX_FILE, NOT_FOUND_FILE, ROBOTS_FILE, SITEMAP_FILE};
use crate::render::search::{self, Bundle, Tier};
use crate::render::sitemap::SitemapPart;
use crate::render::SitemapLimits;
use crate::render::{file_for, Plan, Renderer, Route};
use crate::source::StaticFile;

/// What a build wrote.
#[derive(Debug, Default)]
pub struct Written {
    /// HTML pages (all variants, root pages included).
    pub pages: usize,
    /// Files rendered anew; the rest were kept from the previous build.
    pub rendered: usize,
    /// Each block of the search index (what Pagefind indexes at once) by
    /// its key in the search cache, oldest first.
    pub block_keys: Vec<Key>,
    /// Search blocks indexed anew; the rest were kept or came from the
    /// search cache.
    pub indexed: usize,
    /// The output files this build added, changed and removed.
    pub changes: Changes,
}

/// The output files one build added, changed and removed, by
/// `/`-separated path: what a deploy step needs to move. A file rendered
/// again into the same bytes is not changed (it keeps its modification
/// time too).
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Changes {
    /// Files the previous build did not write.
    pub added: Vec<String>,
    /// Files the previous build wrote with other bytes.
    pub changed: Vec<String>,
    /// Files the previous build wrote that are gone.
    pub removed: Vec<String>,
}

impl Changes {
    /// How many files differ from the previous output.
    pub fn len(&self) -> usize {
        self.added.len() + self.changed.len() + self.removed.len()
    }

    /// Whether the output is as the previous build left it.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// One line a file, `A`, `M` or `D`, a tab and the path (as `git diff
    /// --name-status` prints them), in path order within each kind.
    pub fn lines(&self) -> String {
        let mut text = String::new();
        for (mark, files) in [
            ("A", &self.added),
            ("M", &self.changed),
            ("D", &self.removed),
        ] {
            for file in files {
                text.push_str(&format!("{mark}\t{file}\n"));
            }
        }
        text
    }
}

/// How a file of this build came to be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Made {
    /// Kept from the previous output under an unchanged key.
    Kept,
    /// Made again, into the bytes the previous output has there.
    Same,
    /// Made, with bytes the previous output did not have there.
    New,
}

/// One build's writing: the staging folder, what the previous build lends,
/// and the files written so far with their keys (the next manifest).
struct Writer<'a> {
    output: OutputDir,
    previous: &'a Previous,
    /// The previous output folder, where kept files are linked from, held
    /// open to look at the files it keeps.
    before: crate::fs::Folder,
    minify: bool,
    written: BTreeMap<String, Key>,
    rendered: usize,
    /// Files written with bytes the previous output did not have there.
    fresh: BTreeSet<String>,
    /// Files made anew (written, or found the same as the previous
    /// output's): the manifest looks at them again.
    made: BTreeSet<String>,
}

/// Writes `site` as `plan` says into `target`, replacing the previous
/// output only once everything is written.
pub fn everything(
    published: &Published,
    previous: &Previous,
    target: &Target<'_>,
    stages: &mut Stages,
) -> Result<Written> {
    let Published {
        site,
        templates,
        plan,
        statics,
        ..
    } = published;
    let root = target.root;
    let sources = [
        root.join(CONTENT_DIR),
        root.join(TEMPLATES_DIR),
        root.join(STATIC_DIR),
    ];
    let mut protected = sources.to_vec();
    protected.push(root.to_path_buf());
    // Over a previous output of its own, a build moves in only what changed.
    let in_place = !previous.manifest.files.is_empty();
    let output = OutputDir::prepare(target.output, &protected, &sources, in_place)?;
    let mut writer = Writer {
        before: crate::fs::Folder::open(output.target()),
        output,
        previous,
        minify: target.minify,
        written: BTreeMap::new(),
        rendered: 0,
        fresh: BTreeSet::new(),
        made: BTreeSet::new(),
    };
    let renderer = Renderer::new(site, templates);
    stages.enter("rendering");
    let pages = writer.pages(site, &renderer, plan, stages)?;
    stages.lap("render pages");
    writer.root_files(&renderer, &plan.routes)?;
    stages.lap("root pages and sitemap");
    let (block_keys, indexed) = writer.search(site, root, stages)?;
    stages.lap("search index");
    writer.statics(statics, &root.join(STATIC_DIR))?;
    stages.lap("static files");
    stages.enter("replacing the previous site");
    let changes = writer.changes();
    let Writer {
        output,
        written,
        rendered,
        made,
        ..
    } = writer;
    let target_dir = output.target().to_path_buf();
    output.commit(changes.removed.clone())?;
    previous.save(&target_dir, written, &made);
    stages.lap("commit");
    Ok(Written {
        pages: pages + 2,
        rendered,
        block_keys,
        indexed,
        changes,
    })
}

/// A page as written, or minified when asked: the last step of every
/// page, in a build and in the preview's quick path.
pub fn finish(minify: bool, file: &str, text: String) -> Vec<u8> {
    if minify && file.ends_with(".html") {
        crate::publish::minify::html(text.as_bytes())
    } else {
        text.into_bytes()
    }
}

impl Writer<'_> {
    /// Whether `file` can be kept from the previous output under `key`.
    fn reusable(&self, file: &str, key: &str) -> bool {
        self.previous.manifest.reusable(&self.before, file, key)
    }

    /// Keeps `file` from the previous output when its key is unchanged;
    /// otherwise makes it and [`put`](Self::put)s it.
    fn keep_or_make(
        &self,
        file: &str,
        key: &str,
        make: impl FnOnce() -> Result<Vec<u8>>,
    ) -> Result<Made> {
        if self.reusable(file, key) {
            self.output.keep(file)?;
            Ok(Made::Kept)
        } else {
            self.put(file, &make()?)
        }
    }

    /// Writes `bytes` as `file`, or keeps the previous output's file when
    /// it holds the same bytes (a page whose inputs changed but not its
    /// text): so its time stays, and it is not a change.
    fn put(&self, file: &str, bytes: &[u8]) -> Result<Made> {
        // The bytes decide, not the manifest's times: an output folder a CI
        // job restored from its cache has new times but the same files.
        let old = self.before.path().join(file);
        let same = std::fs::symlink_metadata(&old)
            .is_ok_and(|m| m.is_file() && m.len() == bytes.len() as u64)
            && std::fs::read(&old).is_ok_and(|old| old == bytes);
        if same {
            self.output.keep(file)?;
            Ok(Made::Same)
        } else {
            self.output.write(file, bytes)?;
            Ok(Made::New)
        }
    }

    /// Records `file` as this build has it: in the next manifest under
    /// `key`, looked at again there unless kept, and a change when new.
    fn record(&mut self, file: String, key: Key, made: Made) {
        if made != Made::Kept {
            self.made.insert(file.clone());
        }
        if made == Made::New {
            self.fresh.insert(file.clone());
        }
        self.written.insert(file, key);
    }

    /// What this build changed against the previous output, from the files
    /// written so far and the previous manifest.
    fn changes(&self) -> Changes {
        let before = &self.previous.manifest.files;
        let mut changes = Changes::default();
        for file in self.written.keys() {
            if !before.contains_key(file) {
                changes.added.push(file.clone());
            } else if self.fresh.contains(file) {
                changes.changed.push(file.clone());
            }
        }
        changes.removed = (before.keys())
            .filter(|file| !self.written.contains_key(*file))
            .cloned()
            .collect();
        changes
    }

    /// Every route in every variant, side by side: kept from the previous
    /// build when its key is unchanged, rendered otherwise. Returns how
    /// many pages there are.
    fn pages(
        &mut self,
        site: &Site,
        renderer: &Renderer<'_>,
        plan: &Plan,
        stages: &Stages,
    ) -> Result<usize> {
        let names: Vec<String> = site
            .editions
            .iter()
            .map(|e| e.variant.name.clone())
            .collect();
        stages.progress.pages(&names, plan.routes.len());
        let keys = &self.previous.keys;
        // (file, key, how it was made) for each page: a route's pages in
        // every script are made by one job, which reads an article's body
        // and works out the route's members once for all of them.
        let outcomes: Vec<Result<(String, Key, Made)>> = plan
            .routes
            .par_iter()
            .flat_map_iter(|route| {
                let (members, links) = (route.members(site), route.links(site));
                let mut body = None;
                let pages: Vec<_> = (0..site.editions.len())
                    .map(|edition| {
                        let prefix = &site.editions[edition].variant.prefix;
                        let file = file_for(&route.path(site, prefix));
                        let key = keys.page(route, edition, &members, &links);
                        let made = self.keep_or_make(&file, &key, || {
                            let (_, html) = renderer.page_sharing(route, edition, &mut body)?;
                            Ok(finish(self.minify, &file, html))
                        })?;
                        stages.progress.page_done(edition);
                        Ok((file, key, made))
                    })
                    .collect();
                pages
            })
            .collect();
        stages.progress.redraw();
        // One message per distinct failure: a broken template fails every
        // page that uses it the same way.
        let mut failures = BTreeSet::new();
        for outcome in outcomes {
            match outcome {
                Ok((file, key, made)) => {
                    self.rendered += usize::from(made != Made::Kept);
                    self.record(file, key, made);
                }
                // Not the templates' fault: the build is made again.
                Err(lost) if lost.is::<LostText>() => return Err(lost),
                Err(error) => {
                    failures.insert(format!("{error:#}"));
                }
            }
        }
        if !failures.is_empty() {
            let mut report = Report::default();
            report.extend(failures.into_iter().map(|message| {
                Diagnostic::error(Kind::Template, TEMPLATES_DIR, message).with_help(
                    "use only the variables README.md lists for templates (see \"Templates\")",
                )
            }));
            return Err(report.into());
        }
        Ok(plan.routes.len() * site.editions.len())
    }

    /// A file made from site-wide inputs: kept when its key is unchanged.
    fn once(&mut self, file: &str, key: Key, make: impl FnOnce() -> Result<Vec<u8>>) -> Result<()> {
        let made = self.keep_or_make(file, &key, make)?;
        self.rendered += usize::from(made != Made::Kept);
        self.record(file.to_string(), key, made);
        Ok(())
    }

    /// A file made cheaply from what it shows: keyed by its own bytes.
    fn by_bytes(&mut self, file: &str, bytes: Vec<u8>) -> Result<()> {
        let key = Hasher::new("bytes").part(&bytes).finish();
        self.once(file, key, || Ok(bytes))
    }

    /// The root page, the root 404 page, robots.txt, the search table and
    /// the sitemap.
    fn root_files(&mut self, renderer: &Renderer<'_>, routes: &[Route]) -> Result<()> {
        let keys = &self.previous.keys;
        let (root, not_found) = (keys.site_only("root"), keys.site_only("404"));
        let (robots, table) = (keys.site_only("robots"), keys.site_only("search table"));
        let minify = self.minify;
        self.once(INDEX_FILE, root, || {
            Ok(finish(minify, INDEX_FILE, renderer.root()?))
        })?;
        // Hosts serve /404.html for any missing address; the source script's
        // 404 page links from base_url's path, so it works there too.
        self.once(NOT_FOUND_FILE, not_found, || {
            Ok(finish(
                minify,
                NOT_FOUND_FILE,
                renderer.page(&Route::NotFound, 0)?.1,
            ))
        })?;
        self.once(ROBOTS_FILE, robots, || Ok(renderer.robots()?.into_bytes()))?;
        self.once(search::TABLE_FILE, table, || {
            Ok(search::table_json().into_bytes())
        })?;
        self.sitemaps(renderer, routes)
    }

    /// The sitemap: each month's part kept while its pages' addresses and
    /// dates are unchanged, rendered side by side otherwise; the index and
    /// each script's news sitemap, made from few entries, are keyed by
    /// their own bytes.
    fn sitemaps(&mut self, renderer: &Renderer<'_>, routes: &[Route]) -> Result<()> {
        let parts = renderer.sitemap_parts(routes, SitemapLimits::PROTOCOL);
        let site = &self.previous.keys.site;
        let keyed: Vec<(&SitemapPart, Key)> = (parts.iter())
            .map(|part| {
                let key = Hasher::new("sitemap part")
                    .part(site.as_bytes())
                    .part(part.fingerprint().as_bytes())
                    .finish();
                (part, key)
            })
            .collect();
        let made: Vec<(String, Key, Made)> = keyed
            .into_par_iter()
            .map(|(part, key)| {
                let render = || Ok(renderer.sitemap_part(part)?.into_bytes());
                let made = self.keep_or_make(&part.file, &key, render)?;
                Ok((part.file.clone(), key, made))
            })
            .collect::<Result<_>>()?;
        for (file, key, made) in made {
            self.rendered += usize::from(made != Made::Kept);
            self.record(file, key, made);
        }
        self.by_bytes(SITEMAP_FILE, renderer.sitemap_index(&parts).into_bytes())?;
        for edition in 0..renderer.site.editions.len() {
            let (file, xml) = renderer.news_sitemap(edition)?;
            self.by_bytes(&file, xml.into_bytes())?;
        }
        Ok(())
    }

    /// The search index, tier by tier (one at a time, so that memory holds
    /// one tier's blocks): a tier whose articles are all unchanged is kept
    /// from the previous output; otherwise its blocks come from the search
    /// cache (made by any build of this site into any folder) or are
    /// indexed and cached, and are merged into the tier. Returns every
    /// block's cache key and how many blocks were indexed.
    fn search(&mut self, site: &Site, root: &Path, stages: &Stages) -> Result<(Vec<Key>, usize)> {
        let search_cache = SearchCache::open(root);
        let pool = search::indexing_pool()?;
        let mut all_keys = Vec::new();
        let mut indexed = 0;
        let conversions = &self.previous.conversion_keys;
        let tiers = search::tiers(site);
        stages
            .progress
            .blocks(tiers.iter().map(|tier| tier.blocks.len()).sum());
        for tier in tiers {
            let block_keys: Vec<Key> = (tier.blocks.iter())
                .map(|block| SearchCache::key(block.members.iter().map(|&i| &conversions[i])))
                .collect();
            // A tier is made from its blocks alone: not from the site-wide
            // inputs every page depends on (the article count, templates),
            // so a new article leaves the older tiers as they are.
            let key = SearchCache::key(&block_keys);
            all_keys.extend(block_keys.iter().cloned());
            let folder = tier.folder();
            // The tier's files sort together, after its folder's name.
            let before: Vec<String> = (self.previous.manifest.files.range(folder.clone()..))
                .take_while(|(file, _)| file.starts_with(&folder))
                .filter(|(_, entry)| entry.key == key)
                .map(|(file, _)| file.clone())
                .collect();
            if !before.is_empty() && before.iter().all(|file| self.reusable(file, &key)) {
                before
                    .par_iter()
                    .try_for_each(|file| self.output.keep(file))?;
                self.written
                    .extend(before.into_iter().map(|f| (f, key.clone())));
                stages.progress.blocks_done(tier.blocks.len());
                continue;
            }
            let cached: Vec<Option<Bundle>> =
                block_keys.iter().map(|k| search_cache.load(k)).collect();
            let missing = cached.iter().filter(|c| c.is_none()).count();
            if missing > 0 {
                stages.enter("building the search index");
            }
            indexed += missing;
            stages.progress.blocks_done(cached.len() - missing);
            let store = |number: usize, files: &Bundle| {
                search_cache.store(&block_keys[number], files);
                stages.progress.blocks_done(1);
                // On the indexing thread, whose heap held Pagefind's index.
                progress::collect();
            };
            let blocks = search::block_files(&pool, site, &tier.blocks, cached, store)
                .with_context(|| format!("cannot build the search index {}", tier.name))?;
            let files = search::merge(&blocks)
                .with_context(|| format!("cannot merge the search index {}", tier.name))?;
            drop(blocks);
            self.tier(&tier, &key, files)?;
            progress::give_back_memory();
        }
        stages.progress.redraw();
        search_cache.keep_only(&all_keys.iter().cloned().collect());
        Ok((all_keys, indexed))
    }

    /// Writes one search tier's `files` (paths inside its folder) and
    /// records them under `key`.
    fn tier(&mut self, tier: &Tier, key: &Key, files: Bundle) -> Result<()> {
        let folder = tier.folder();
        let files: Vec<(String, Vec<u8>)> = files
            .into_iter()
            .map(|(name, bytes)| (format!("{folder}{name}"), bytes))
            .collect();
        // Most of a tier merged again is as it was (Pagefind names its
        // fragments by their content): only new bytes are changes.
        let made: Vec<Made> = files
            .par_iter()
            .map(|(file, bytes)| self.put(file, bytes))
            .collect::<Result<_>>()?;
        for ((file, _), made) in files.into_iter().zip(made) {
            self.record(file, key.clone(), made);
        }
        Ok(())
    }

    /// Copies static/ (minifying CSS and JavaScript when asked), keeping
    /// files whose name, size and time are unchanged.
    fn statics(&mut self, statics: &[StaticFile], static_dir: &Path) -> Result<()> {
        let copied: Vec<(String, Key, Made)> = statics
            .par_iter()
            .zip(&self.previous.static_keys)
            .map(|(file, key)| {
                let source = (file.made.clone()).unwrap_or_else(|| static_dir.join(&file.relative));
                let shown = &file.output;
                let reused = self.reusable(shown, key);
                if reused {
                    self.output.keep(shown)?;
                } else if let Some(small) = (self.minify)
                    .then(|| crate::fs::read_bytes(&source))
                    .transpose()?
                    .and_then(|bytes| crate::publish::minify::static_file(shown, &bytes))
                {
                    self.output.write(shown, &small)?;
                } else {
                    self.output.copy(&source, shown)?;
                }
                let made = if reused { Made::Kept } else { Made::New };
                Ok((shown.clone(), key.clone(), made))
            })
            .collect::<Result<_>>()?;
        for (file, key, made) in copied {
            self.record(file, key, made);
        }
        Ok(())
    }
}
