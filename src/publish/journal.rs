//! Updating an output folder in place: a build that changes a few files of
//! a large site moves only those into it, instead of swapping in a whole
//! new tree (which links every unchanged file, then deletes the old tree).
//!
//! The new files are written into the staging folder first. Then a journal
//! listing them, and the files to delete, is written there in one step (a
//! rename), and only then is the output touched: each new file renamed into
//! place (one step per file), each deleted file removed, emptied folders
//! pruned, the journal and the staging folder removed. A build killed
//! before the journal exists left the output as it was, and its staging
//! folder is removed; one killed after is finished by the next build from
//! the journal, since every file it names is already written. Meanwhile a
//! reader of the folder sees each file old or new, never half written.

use std::fs;
use std::io::ErrorKind;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::layout::OUTPUT_MARKER;

/// The journal's name in the staging folder.
pub const JOURNAL: &str = ".jianfan-journal";

/// What one build changes in the output folder.
#[derive(Debug, Default, Serialize, Deserialize)]
pub struct Journal {
    /// Files written into the staging folder, to move into the output.
    pub moves: Vec<String>,
    /// Files to delete from the output.
    pub removes: Vec<String>,
}

impl Journal {
    /// Writes the journal into `staging` in one step: a reader finds it
    /// whole or not at all.
    pub fn write(&self, staging: &Path) -> Result<()> {
        let json = serde_json::to_vec(self).context("cannot write the journal")?;
        crate::fs::write_atomic(&staging.join(JOURNAL), &json)
    }

    /// The journal in `staging`, if a build wrote one.
    pub fn read(staging: &Path) -> Option<Journal> {
        let bytes = fs::read(staging.join(JOURNAL)).ok()?;
        serde_json::from_slice(&bytes).ok()
    }

    /// Carries the journal out from `staging` into `target`, then removes
    /// `staging`. Safe to repeat: a file already moved or removed is
    /// skipped.
    pub fn apply(&self, staging: &Path, target: &Path) -> Result<()> {
        let folders: std::collections::BTreeSet<PathBuf> = (self.moves.iter())
            .filter_map(|file| target.join(file).parent().map(Path::to_path_buf))
            .collect();
        folders
            .par_iter()
            .try_for_each(|folder| make_folder(target, folder))?;
        self.moves.par_iter().try_for_each(|file| {
            let (from, to) = (staging.join(file), target.join(file));
            if to.is_dir() && !to.is_symlink() && from.exists() {
                // A folder of the previous site where a file goes now: what
                // it held is gone from the site too.
                fs::remove_dir_all(&to)
                    .with_context(|| format!("cannot remove {}", to.display()))?;
            }
            match fs::rename(&from, &to) {
                Err(e) if e.kind() == ErrorKind::NotFound && to.exists() => Ok(()),
                other => other
                    .with_context(|| format!("cannot move the new {} into place", to.display())),
            }
        })?;
        self.removes.par_iter().try_for_each(|file| {
            let path = target.join(file);
            if path.is_dir() && !path.is_symlink() {
                // A file of the previous site that became a folder above.
                return Ok(());
            }
            match fs::remove_file(&path) {
                // Gone already, or its folder became a file above.
                Err(e) if !matches!(e.kind(), ErrorKind::NotFound | ErrorKind::NotADirectory) => {
                    Err(e).with_context(|| format!("cannot remove {}", path.display()))
                }
                _ => Ok(()),
            }
        })?;
        prune(target, &self.removes);
        // The journal first: a staging folder without one is removed by the
        // next build, which is right once everything above is done.
        let _ = fs::remove_file(staging.join(JOURNAL));
        remove_tree(staging)
    }
}

/// Removes a previous site or a used staging folder: its top-level folders
/// in parallel, since a large archive has tens of thousands of files and
/// removing is one call per file. The marker goes last, so that a build
/// killed while removing leaves a marked folder, which the next build
/// removes (`output::recover`).
pub(crate) fn remove_tree(dir: &Path) -> Result<()> {
    let entries: Vec<PathBuf> = fs::read_dir(dir)
        .with_context(|| format!("cannot read {}", dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|path| !path.ends_with(OUTPUT_MARKER))
        .collect();
    entries.par_iter().for_each(|path| {
        // What fails here is caught by the final remove_dir_all below.
        let _ = if path.is_dir() && !path.is_symlink() {
            fs::remove_dir_all(path)
        } else {
            fs::remove_file(path)
        };
    });
    fs::remove_dir_all(dir).with_context(|| format!("cannot remove {}", dir.display()))
}

/// Makes `folder` inside `target`; a file of the previous site that stands
/// where one of its folders goes (a page that became a folder) is removed
/// first, as the new site does not have it.
fn make_folder(target: &Path, folder: &Path) -> Result<()> {
    if fs::create_dir_all(folder).is_ok() {
        return Ok(());
    }
    let inside = folder.strip_prefix(target).unwrap_or(folder);
    let mut path = target.to_path_buf();
    for part in inside.components() {
        path.push(part);
        if fs::symlink_metadata(&path).is_ok_and(|m| !m.is_dir()) {
            let _ = fs::remove_file(&path);
        }
    }
    fs::create_dir_all(folder).with_context(|| format!("cannot create {}", folder.display()))
}

/// Removes the folders of `removed` files that are left empty, deepest
/// first, up to (not including) `target`.
fn prune(target: &Path, removed: &[String]) {
    let mut folders: Vec<PathBuf> = Vec::new();
    for file in removed {
        let mut folder = Path::new(file).parent();
        while let Some(f) = folder.filter(|f| !f.as_os_str().is_empty()) {
            folders.push(f.to_path_buf());
            folder = f.parent();
        }
    }
    folders.sort_by_key(|f| std::cmp::Reverse(f.components().count()));
    folders.dedup();
    for folder in folders {
        // Fails, as it should, on a folder that still holds something.
        let _ = fs::remove_dir(target.join(folder));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Writes `text` to `file` under `root`, making its folders.
    fn put(root: &Path, file: &str, text: &str) {
        let path = root.join(file);
        fs::create_dir_all(path.parent().expect("under root")).expect("mkdir");
        fs::write(path, text).expect("write");
    }

    fn read(root: &Path, file: &str) -> String {
        fs::read_to_string(root.join(file)).expect(file)
    }

    #[test]
    fn a_journal_carried_out_twice_gives_the_same_folder() {
        let dir = tempfile::tempdir().expect("temp dir");
        let (staging, target) = (dir.path().join("staging"), dir.path().join("public"));
        put(&staging, "zh-hant/2025/03/08/index.html", "new day");
        put(&staging, "index.html", "new home");
        put(&target, "index.html", "old home");
        put(&target, "zh-hant/2025/03/07/index.html", "gone");
        let journal = Journal {
            moves: vec!["index.html".into(), "zh-hant/2025/03/08/index.html".into()],
            removes: vec!["zh-hant/2025/03/07/index.html".into()],
        };
        journal.write(&staging).expect("journal");
        // Killed half-way: one file moved, then the next build carries the
        // journal out from the start.
        fs::rename(staging.join("index.html"), target.join("index.html")).expect("moved");
        let found = Journal::read(&staging).expect("the journal");
        found.apply(&staging, &target).expect("applied");
        assert_eq!(read(&target, "index.html"), "new home");
        assert_eq!(read(&target, "zh-hant/2025/03/08/index.html"), "new day");
        assert!(
            !target.join("zh-hant/2025/03").join("07").exists(),
            "an emptied folder goes"
        );
        assert!(target.join("zh-hant/2025/03/08").is_dir());
        assert!(!staging.exists());
    }

    #[test]
    fn a_file_and_a_folder_may_trade_places() {
        let dir = tempfile::tempdir().expect("temp dir");
        let (staging, target) = (dir.path().join("staging"), dir.path().join("public"));
        put(&staging, "notes/index.html", "a folder now");
        put(&staging, "data", "a file now");
        put(&target, "notes", "a file before");
        put(&target, "data/a.json", "in a folder before");
        let journal = Journal {
            moves: vec!["notes/index.html".into(), "data".into()],
            removes: vec!["notes".into(), "data/a.json".into()],
        };
        journal.write(&staging).expect("journal");
        journal.apply(&staging, &target).expect("applied");
        assert_eq!(read(&target, "notes/index.html"), "a folder now");
        assert_eq!(read(&target, "data"), "a file now");
    }
}
