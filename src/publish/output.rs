//! The output folder: written into a staging folder beside the real one,
//! so a failed build leaves the previous site as it was. A build with no
//! previous output swaps the whole staging folder in when complete
//! ([`OutputDir::commit`]); a build over a previous output of its own moves
//! only its new files into it, through a journal
//! ([`crate::publish::journal`]) that the next build finishes if this one
//! is killed. jianfan only ever replaces a folder that carries its marker
//! file, so it cannot delete a folder it did not write. Each error names
//! the path it concerns.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};

use crate::publish::journal::{remove_tree, Journal};

pub use crate::layout::OUTPUT_MARKER;

/// An output folder being written: a staging folder that replaces the real
/// one on [`commit`](OutputDir::commit), and is removed if the build fails.
#[derive(Debug)]
pub struct OutputDir {
    target: PathBuf,
    staging: tempfile::TempDir,
    /// Folders made in the staging folder so far: a large site puts
    /// thousands of files in each, and asking the filesystem for the folder
    /// before every file cost as much as linking a kept file.
    folders: std::sync::Mutex<std::collections::HashSet<PathBuf>>,
    /// Updating the previous output in place: the files written into the
    /// staging folder so far, to move into it. `None`: swapping it whole.
    in_place: Option<std::sync::Mutex<Vec<String>>>,
}

impl OutputDir {
    /// Checks that `target` may be replaced, and creates its staging folder.
    ///
    /// `protected` lists folders the output must never be nor contain (the
    /// site root, content/, templates/, static/); `sources` lists folders it
    /// must not lie inside either (content/, templates/, static/). With
    /// `in_place`, a previous output of jianfan's is updated in place
    /// rather than replaced.
    pub fn prepare(
        target: &Path,
        protected: &[PathBuf],
        sources: &[PathBuf],
        in_place: bool,
    ) -> Result<OutputDir> {
        let target = absolute(target)?;
        for folder in sources {
            let folder = absolute(folder)?;
            if target.starts_with(&folder) {
                bail!(
                    "refusing to write the site into {}: it is inside {}, which holds the \
                     site's own files; choose an --output folder outside it",
                    target.display(),
                    folder.display()
                );
            }
        }
        for folder in protected {
            let folder = absolute(folder)?;
            if folder.starts_with(&target) {
                bail!(
                    "refusing to write the site into {}: it holds {}, which the build would \
                     replace; choose another --output folder",
                    target.display(),
                    folder.display()
                );
            }
        }
        let parent = target
            .parent()
            .context("the output folder cannot be the filesystem root")?;
        fs::create_dir_all(parent)
            .with_context(|| format!("cannot create {}", parent.display()))?;
        let name = target
            .file_name()
            .context("the output folder needs a name")?;
        let prefix = staging_prefix(name);
        recover_interrupted(&target, parent, &prefix);
        if target.exists() {
            let is_ours = target.join(OUTPUT_MARKER).is_file();
            let is_empty = fs::read_dir(&target)
                .with_context(|| format!("cannot read {}", target.display()))?
                .next()
                .is_none();
            if !is_ours && !is_empty {
                bail!(
                    "refusing to replace {}: it is not empty and was not written by jianfan \
                     (no {OUTPUT_MARKER} file); choose another --output folder or empty it",
                    target.display()
                );
            }
        }
        let staging = tempfile::Builder::new()
            .prefix(&prefix)
            .tempdir_in(parent)
            .with_context(|| format!("cannot create a staging folder in {}", parent.display()))?;
        fs::write(
            staging.path().join(OUTPUT_MARKER),
            "written by jianfan; safe to delete\n",
        )
        .with_context(|| format!("cannot write in {}", staging.path().display()))?;
        let in_place = (in_place && target.join(OUTPUT_MARKER).is_file()).then(Default::default);
        Ok(OutputDir {
            target,
            staging,
            folders: Default::default(),
            in_place,
        })
    }

    /// The folder that becomes the output.
    pub fn target(&self) -> &Path {
        &self.target
    }

    /// Writes `bytes` at `relative` (a `/`-separated path) in the output.
    pub fn write(&self, relative: &str, bytes: &[u8]) -> Result<()> {
        let path = self.staging.path().join(relative);
        self.make_parent(&path)?;
        let mut file = fs::File::create(&path)
            .with_context(|| format!("cannot create {}", self.shown(relative)))?;
        file.write_all(bytes)
            .with_context(|| format!("cannot write {}", self.shown(relative)))?;
        self.staged(relative);
        Ok(())
    }

    /// Notes that `relative` is new, for an update in place.
    fn staged(&self, relative: &str) {
        if let Some(moves) = &self.in_place {
            moves
                .lock()
                .expect("no holder panics")
                .push(relative.to_string());
        }
    }

    /// Copies the file at `source` to `relative` in the output.
    pub fn copy(&self, source: &Path, relative: &str) -> Result<()> {
        let path = self.staging.path().join(relative);
        self.make_parent(&path)?;
        fs::copy(source, &path).with_context(|| {
            format!(
                "cannot copy {} to {}",
                source.display(),
                self.shown(relative)
            )
        })?;
        self.staged(relative);
        Ok(())
    }

    /// Puts the previous output's file at `relative` into the new output
    /// unchanged: a hard link (same file, same modification time, no bytes
    /// written), or a copy where links cannot be made.
    pub fn keep(&self, relative: &str) -> Result<()> {
        if self.in_place.is_some() {
            // It stays where it is.
            return Ok(());
        }
        let path = self.staging.path().join(relative);
        self.make_parent(&path)?;
        let previous = self.target.join(relative);
        if fs::hard_link(&previous, &path).is_ok() {
            return Ok(());
        }
        fs::copy(&previous, &path)
            .with_context(|| format!("cannot keep {}", self.shown(relative)))
            .map(drop)
    }

    /// Makes the folder `path` goes in, once per folder.
    fn make_parent(&self, path: &Path) -> Result<()> {
        let Some(parent) = path.parent() else {
            return Ok(());
        };
        if self
            .folders
            .lock()
            .expect("no holder panics")
            .contains(parent)
        {
            return Ok(());
        }
        // Two threads may both make it: create_dir_all allows that.
        fs::create_dir_all(parent)
            .with_context(|| format!("cannot create {}", parent.display()))?;
        (self.folders.lock().expect("no holder panics")).insert(parent.to_path_buf());
        Ok(())
    }

    fn shown(&self, relative: &str) -> String {
        self.target.join(relative).display().to_string()
    }

    /// Replaces the output with what was written, deleting `removed` (the
    /// previous build's files this one did not write). Updating in place,
    /// the new files are moved in through a journal; otherwise, until this
    /// returns, the previous output is untouched, and on Linux the two are
    /// exchanged in one step, so there is no moment without a complete site.
    pub fn commit(self, removed: Vec<String>) -> Result<()> {
        let staging = self.staging.keep();
        if let Some(moves) = self.in_place {
            let journal = Journal {
                moves: moves.into_inner().expect("no holder panics"),
                removes: removed,
            };
            journal.write(&staging)?;
            return journal.apply(&staging, &self.target);
        }
        let parent = self.target.parent().expect("checked in prepare");
        let name = self
            .target
            .file_name()
            .expect("checked in prepare")
            .to_string_lossy();
        if !self.target.exists() {
            return fs::rename(&staging, &self.target)
                .with_context(|| format!("cannot move the new site to {}", self.target.display()));
        }
        let old = parent.join(format!(".{name}.jianfan-old-{}", std::process::id()));
        if exchange(&staging, &self.target).is_ok() {
            // `staging` now holds the previous site.
            return remove_tree(&staging);
        }
        fs::rename(&self.target, &old)
            .with_context(|| format!("cannot move the previous {} aside", self.target.display()))?;
        if let Err(e) = fs::rename(&staging, &self.target) {
            // Put the previous site back rather than leave none.
            let _ = fs::rename(&old, &self.target);
            let _ = fs::remove_dir_all(&staging);
            return Err(e)
                .with_context(|| format!("cannot move the new site to {}", self.target.display()));
        }
        remove_tree(&old)
    }
}

/// Swaps two directories atomically where the system can.
#[cfg(target_os = "linux")]
fn exchange(a: &Path, b: &Path) -> std::io::Result<()> {
    use rustix::fs::{renameat_with, RenameFlags, CWD};
    renameat_with(CWD, a, CWD, b, RenameFlags::EXCHANGE).map_err(std::io::Error::from)
}

#[cfg(not(target_os = "linux"))]
fn exchange(_: &Path, _: &Path) -> std::io::Result<()> {
    Err(std::io::Error::new(
        std::io::ErrorKind::Unsupported,
        "no atomic exchange here",
    ))
}

/// The name every staging folder of the output folder `name` starts with.
fn staging_prefix(name: &std::ffi::OsStr) -> String {
    format!(".{}.jianfan-tmp-", name.to_string_lossy())
}

/// Clears what builds into `target` that were killed left beside it (see
/// [`OutputDir::prepare`]); a build that finds nothing to write calls this
/// alone, so leftovers never outlive the next build.
pub fn recover(target: &Path) {
    let Ok(target) = absolute(target) else {
        return;
    };
    if let (Some(parent), Some(name)) = (target.parent(), target.file_name()) {
        recover_interrupted(&target, parent, &staging_prefix(name));
    }
}

/// Folders left by a build that was killed: an update in place whose
/// journal was written is finished; unfinished staging folders go;
/// a previous site moved aside (only possible where directories cannot be
/// exchanged atomically) comes back if the output is missing. Only folders
/// carrying our marker are touched, and empty staging folders (a build
/// killed before it wrote the marker).
fn recover_interrupted(target: &Path, parent: &Path, prefix: &str) {
    let Ok(entries) = fs::read_dir(parent) else {
        return;
    };
    let old_prefix = prefix.replace("jianfan-tmp-", "jianfan-old-");
    for entry in entries.flatten() {
        let path = entry.path();
        let name = entry.file_name().to_string_lossy().into_owned();
        if !path.join(OUTPUT_MARKER).is_file() {
            if name.starts_with(prefix) {
                // Removes the folder only if it is empty.
                let _ = fs::remove_dir(&path);
            }
            continue;
        }
        if name.starts_with(&old_prefix) && !target.exists() {
            let _ = fs::rename(&path, target);
        } else if let Some(journal) = (Journal::read(&path))
            .filter(|_| name.starts_with(prefix) && target.join(OUTPUT_MARKER).is_file())
        {
            // Killed while moving its files into place: finish the update
            // (of the site it began on, not of a folder made since).
            let _ = journal.apply(&path, target);
        } else if name.starts_with(prefix) || name.starts_with(&old_prefix) {
            let _ = fs::remove_dir_all(&path);
        }
    }
}

fn absolute(path: &Path) -> Result<PathBuf> {
    std::path::absolute(path).with_context(|| format!("cannot resolve {}", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A first build into `target` that wrote `file` with `bytes`.
    fn first_site(target: &Path, file: &str, bytes: &[u8]) {
        let first = OutputDir::prepare(target, &[], &[], false).expect("prepare");
        first.write(file, bytes).expect("write");
        first.commit(Vec::new()).expect("commit");
    }

    #[test]
    fn commit_replaces_previous_output() {
        let dir = tempfile::tempdir().expect("temp dir");
        let target = dir.path().join("public");
        first_site(&target, "a/index.html", b"one");
        let second = OutputDir::prepare(&target, &[], &[], false).expect("prepare");
        second.write("b/index.html", b"two").expect("write");
        assert_eq!(
            fs::read(target.join("a/index.html")).expect("old stays until commit"),
            b"one"
        );
        second.commit(Vec::new()).expect("commit");
        assert!(
            !target.join("a/index.html").exists(),
            "stale files disappear"
        );
        assert_eq!(fs::read(target.join("b/index.html")).expect("new"), b"two");
        let leftovers: Vec<_> = fs::read_dir(dir.path()).expect("ls").collect();
        assert_eq!(leftovers.len(), 1, "no staging folder left behind");
    }

    #[test]
    fn dropped_output_leaves_previous_site() {
        let dir = tempfile::tempdir().expect("temp dir");
        let target = dir.path().join("public");
        first_site(&target, "index.html", b"live");
        let failed = OutputDir::prepare(&target, &[], &[], false).expect("prepare");
        failed.write("index.html", b"half").expect("write");
        drop(failed);
        assert_eq!(fs::read(target.join("index.html")).expect("live"), b"live");
    }

    #[test]
    fn refuses_a_folder_it_did_not_write() {
        let dir = tempfile::tempdir().expect("temp dir");
        fs::write(dir.path().join("precious.txt"), "keep").expect("write");
        let err = OutputDir::prepare(dir.path(), &[], &[], false).expect_err("must refuse");
        assert!(
            err.to_string().contains("was not written by jianfan"),
            "{err}"
        );
    }

    #[test]
    fn refuses_to_contain_the_site_root() {
        let dir = tempfile::tempdir().expect("temp dir");
        let err = OutputDir::prepare(dir.path(), &[dir.path().join("content")], &[], false)
            .expect_err("must refuse");
        assert!(
            err.to_string().contains("refusing to write the site into"),
            "{err}"
        );
    }

    #[test]
    fn a_site_moved_aside_by_a_killed_build_comes_back() {
        let dir = tempfile::tempdir().expect("temp dir");
        let aside = dir.path().join(".public.jianfan-old-999");
        fs::create_dir(&aside).expect("mkdir");
        fs::write(aside.join(OUTPUT_MARKER), "").expect("marker");
        fs::write(aside.join("index.html"), "live").expect("page");
        let stale = dir.path().join(".public.jianfan-tmp-abc");
        fs::create_dir(&stale).expect("mkdir");
        fs::write(stale.join(OUTPUT_MARKER), "").expect("marker");
        let target = dir.path().join("public");
        let _pending = OutputDir::prepare(&target, &[], &[], false).expect("prepare");
        assert_eq!(
            fs::read_to_string(target.join("index.html")).expect("restored"),
            "live"
        );
        assert!(!stale.exists() && !aside.exists());
    }

    #[test]
    fn staging_folders_of_killed_builds_go_even_before_their_marker() {
        let dir = tempfile::tempdir().expect("temp dir");
        // Killed between making the folder and writing the marker.
        let bare = dir.path().join(".public.jianfan-tmp-bare");
        fs::create_dir(&bare).expect("mkdir");
        // Not ours: a folder with the prefix and something in it.
        let foreign = dir.path().join(".public.jianfan-tmp-foreign");
        fs::create_dir(&foreign).expect("mkdir");
        fs::write(foreign.join("notes.txt"), "keep").expect("file");
        let marked = dir.path().join(".public.jianfan-tmp-marked");
        fs::create_dir(&marked).expect("mkdir");
        fs::write(marked.join(OUTPUT_MARKER), "").expect("marker");
        // What a build that finds nothing to write calls.
        recover(&dir.path().join("public"));
        assert!(!bare.exists() && !marked.exists());
        assert!(foreign.join("notes.txt").is_file(), "unmarked files stay");
    }

    #[test]
    fn a_killed_update_is_finished_only_over_the_site_it_began_on() {
        let dir = tempfile::tempdir().expect("temp dir");
        let target = dir.path().join("public");
        first_site(&target, "index.html", b"old");
        // An update of `file` killed after its journal was written.
        let killed = |file: &str| {
            let update = OutputDir::prepare(&target, &[], &[], true).expect("prepare");
            update.write(file, b"new").expect("write");
            let staging = update.staging.keep();
            let journal = Journal {
                moves: vec![file.into()],
                removes: Vec::new(),
            };
            journal.write(&staging).expect("journal");
            staging
        };
        let staging = killed("index.html");
        recover(&target);
        assert_eq!(fs::read(target.join("index.html")).expect("page"), b"new");
        assert!(!staging.exists());
        // The same, but the output was removed meanwhile: nothing is
        // written where no site is.
        let staging = killed("a.html");
        fs::remove_dir_all(&target).expect("output removed");
        recover(&target);
        assert!(!target.exists() && !staging.exists());
    }

    #[test]
    fn refuses_to_write_inside_the_sources() {
        let dir = tempfile::tempdir().expect("temp dir");
        let content = dir.path().join("content");
        let err = OutputDir::prepare(
            &content.join("out"),
            &[],
            std::slice::from_ref(&content),
            false,
        )
        .expect_err("must refuse");
        assert!(err.to_string().contains("is inside"), "{err}");
    }
}
