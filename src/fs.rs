//! Reading the site's files, and writing the new files `new`, `import` and
//! `fork` make and the files replaced in one step: each error names the path it concerns. The output folder is
//! written by [`crate::publish::output`].

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};

/// Why a text file could not be read.
#[derive(Debug)]
pub enum ReadError {
    /// The file could not be opened or read.
    Io(std::io::Error),
    /// The bytes are not UTF-8; the first bad one is on this 1-based line.
    NotUtf8 {
        /// The line of the first bad byte.
        line: usize,
    },
}

/// Reads a UTF-8 text file.
pub fn read_utf8(path: &Path) -> std::result::Result<String, ReadError> {
    let bytes = fs::read(path).map_err(ReadError::Io)?;
    String::from_utf8(bytes).map_err(|e| {
        let valid = &e.as_bytes()[..e.utf8_error().valid_up_to()];
        ReadError::NotUtf8 {
            line: valid.iter().filter(|&&b| b == b'\n').count() + 1,
        }
    })
}

/// Reads a UTF-8 text file, naming the file when it cannot.
pub fn read_text(path: &Path) -> Result<String> {
    read_utf8(path).map_err(|e| match e {
        ReadError::Io(e) => {
            anyhow::Error::new(e).context(format!("cannot read {}", path.display()))
        }
        ReadError::NotUtf8 { line } => anyhow::anyhow!(
            "{} is not valid UTF-8 text (first bad byte on line {line}); save it as UTF-8",
            path.display()
        ),
    })
}

/// Writes a new file; `Ok(false)` when `path` already exists, which is
/// never replaced: `new`, `import` and `fork` must not overwrite an editor's
/// work. Creation and the check are one step (`create_new`), so no race.
pub fn write_new(path: &Path, text: &str) -> Result<bool> {
    let mut file = match fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
    {
        Ok(file) => file,
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => return Ok(false),
        Err(e) => return Err(e).with_context(|| format!("cannot create {}", path.display())),
    };
    file.write_all(text.as_bytes())
        .with_context(|| format!("cannot write {}", path.display()))?;
    Ok(true)
}

/// Replaces the file at `path` with `bytes` in one step (a temporary file
/// beside it, renamed over it), so a reader sees the old file or the new
/// one, never half of one.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    let dir = match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    };
    let mut temp = tempfile::NamedTempFile::new_in(dir)
        .with_context(|| format!("cannot write in {}", dir.display()))?;
    temp.write_all(bytes)
        .with_context(|| format!("cannot write {}", path.display()))?;
    temp.persist(path)
        .with_context(|| format!("cannot replace {}", path.display()))?;
    Ok(())
}

/// Reads a file's bytes, naming the file when it cannot.
pub fn read_bytes(path: &Path) -> Result<Vec<u8>> {
    fs::read(path).with_context(|| format!("cannot read {}", path.display()))
}

/// What a file's metadata says of it without reading it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FileInfo {
    /// A regular file (not a folder, nor a link when links are not followed).
    pub is_file: bool,
    /// Size in bytes.
    pub len: u64,
    /// Last modification, in nanoseconds since 1970.
    pub modified: i128,
    /// Last change of the file or its metadata (a rename, a copy that kept
    /// the modification time), in nanoseconds since 1970; 0 where the
    /// platform does not keep it.
    pub changed: i128,
    /// The file's inode; 0 where the platform does not give it.
    pub inode: u64,
}

impl FileInfo {
    /// What `metadata` says.
    pub fn of(metadata: &fs::Metadata) -> FileInfo {
        #[cfg(unix)]
        {
            use std::os::unix::fs::MetadataExt;
            FileInfo {
                is_file: metadata.is_file(),
                len: metadata.len(),
                modified: nanos(metadata.mtime(), metadata.mtime_nsec()),
                changed: nanos(metadata.ctime(), metadata.ctime_nsec()),
                inode: metadata.ino(),
            }
        }
        #[cfg(not(unix))]
        {
            let modified = metadata.modified().ok().map_or(0, |time| {
                match time.duration_since(std::time::SystemTime::UNIX_EPOCH) {
                    Ok(after) => after.as_nanos() as i128,
                    Err(before) => -(before.duration().as_nanos() as i128),
                }
            });
            FileInfo {
                is_file: metadata.is_file(),
                len: metadata.len(),
                modified,
                changed: 0,
                inode: 0,
            }
        }
    }
}

/// Seconds and nanoseconds as nanoseconds since 1970.
fn nanos(secs: i64, nsec: i64) -> i128 {
    secs as i128 * 1_000_000_000 + nsec as i128
}

/// A folder held open, whose files are looked at by their path inside it.
/// A build looks at every source file and every output file it keeps (a
/// hundred thousand in a large archive); by a full path the system walks
/// every folder of it each time (`/home/…/site/public/zh-hant/articles/…`),
/// and that walk was most of the cost.
pub struct Folder {
    path: PathBuf,
    #[cfg(target_os = "linux")]
    handle: Option<std::os::fd::OwnedFd>,
}

impl Folder {
    /// Opens `path`; a folder that cannot be opened is looked into by full
    /// paths instead (and a file in a missing folder is simply not there).
    pub fn open(path: &Path) -> Folder {
        Folder {
            path: path.to_path_buf(),
            #[cfg(target_os = "linux")]
            handle: {
                use rustix::fs::{Mode, OFlags, CWD};
                let flags = OFlags::RDONLY | OFlags::DIRECTORY | OFlags::CLOEXEC;
                rustix::fs::openat(CWD, path, flags, Mode::empty()).ok()
            },
        }
    }

    /// The folder's path.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// What the file at `relative` (a path inside the folder) is, following
    /// links, as [`fs::metadata`] does.
    pub fn metadata(&self, relative: &Path) -> Option<FileInfo> {
        self.look(relative, true)
    }

    /// What `relative` itself is, a link not followed, as
    /// [`fs::symlink_metadata`] does.
    pub fn symlink_metadata(&self, relative: &Path) -> Option<FileInfo> {
        self.look(relative, false)
    }

    fn look(&self, relative: &Path, follow: bool) -> Option<FileInfo> {
        #[cfg(target_os = "linux")]
        if let Some(handle) = &self.handle {
            use rustix::fs::{AtFlags, FileType};
            let flags = if follow {
                AtFlags::empty()
            } else {
                AtFlags::SYMLINK_NOFOLLOW
            };
            let stat = rustix::fs::statat(handle, relative, flags).ok()?;
            return Some(FileInfo {
                is_file: FileType::from_raw_mode(stat.st_mode) == FileType::RegularFile,
                len: stat.st_size as u64,
                modified: nanos(stat.st_mtime, stat.st_mtime_nsec as i64),
                changed: nanos(stat.st_ctime, stat.st_ctime_nsec as i64),
                inode: stat.st_ino,
            });
        }
        let path = self.path.join(relative);
        let metadata = if follow {
            fs::metadata(path)
        } else {
            fs::symlink_metadata(path)
        };
        metadata.ok().map(|m| FileInfo::of(&m))
    }
}

/// The Markdown files under `dir`, in a stable order, as `(path, slug)`.
///
/// Files whose name starts with `.` or `_` are skipped (editor backups,
/// drafts kept aside). Errors walking the tree (a symlink loop, an
/// unreadable folder) are returned as messages rather than ending the walk.
pub fn markdown_files(dir: &Path, boundary: &Path) -> (Vec<PathBuf>, Vec<String>) {
    // Messages show paths from the site's folder, as the editor sees them.
    let shown_base = dir.parent().unwrap_or(dir);
    let mut files = Vec::new();
    let mut problems = Vec::new();
    let walk = walkdir::WalkDir::new(dir)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| {
            e.depth() == 0 || !e.file_name().to_string_lossy().starts_with(['.', '_'])
        });
    for entry in walk {
        if let Ok(entry) = &entry {
            if let Err(e) = check_link(entry, boundary) {
                problems.push(format!("{e:#}").replace(&format!("{}/", shown_base.display()), ""));
                continue;
            }
        }
        match entry {
            Ok(entry) if entry.file_type().is_file() => {
                if entry.path().extension().is_some_and(|ext| ext == "md") {
                    files.push(entry.into_path());
                }
            }
            Ok(_) => {}
            Err(e) => {
                let relative = |p: &Path| {
                    p.strip_prefix(shown_base)
                        .unwrap_or(p)
                        .display()
                        .to_string()
                };
                problems.push(match (e.path(), e.loop_ancestor()) {
                    (Some(path), Some(ancestor)) => format!(
                        "{} is a link to {}, a folder that contains it: the folders loop",
                        relative(path),
                        relative(ancestor)
                    ),
                    _ => e
                        .to_string()
                        .replace(&format!("{}/", shown_base.display()), ""),
                });
            }
        }
    }
    (files, problems)
}

/// Refuses a symbolic link whose target lies outside `boundary`: following
/// it would publish (or read as content) a file from elsewhere on the
/// machine.
fn check_link(entry: &walkdir::DirEntry, boundary: &Path) -> Result<()> {
    if !entry.path_is_symlink() {
        return Ok(());
    }
    let target = fs::canonicalize(entry.path())
        .with_context(|| format!("{} is a broken link; remove it", entry.path().display()))?;
    let boundary = fs::canonicalize(boundary).unwrap_or_else(|_| boundary.to_path_buf());
    if target.starts_with(&boundary) {
        Ok(())
    } else {
        bail!(
            "{} is a link to {}, outside the site's folder; copy the file into the site \
             instead, so that nothing else on this machine is published",
            entry.path().display(),
            target.display()
        )
    }
}

/// The files under `dir` (e.g. `static/`), as paths relative to it, sorted.
/// Links are followed only when they stay inside `boundary` (the site root).
pub fn files_under(dir: &Path, boundary: &Path) -> Result<Vec<PathBuf>> {
    if !dir.exists() {
        return Ok(Vec::new());
    }
    let mut files = Vec::new();
    for entry in walkdir::WalkDir::new(dir)
        .follow_links(true)
        .sort_by_file_name()
    {
        let entry = entry.with_context(|| format!("cannot read {}", dir.display()))?;
        check_link(&entry, boundary)?;
        if entry.file_type().is_file() {
            let relative = entry
                .path()
                .strip_prefix(dir)
                .expect("walkdir yields paths under dir");
            files.push(relative.to_path_buf());
        }
    }
    Ok(files)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn invalid_utf8_names_file_and_line() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("bad.md");
        fs::write(&path, b"line one\nline \xff two\n").expect("write");
        let err = read_text(&path).expect_err("not UTF-8").to_string();
        assert!(
            err.contains("bad.md is not valid UTF-8 text (first bad byte on line 2)"),
            "{err}"
        );
    }
}
