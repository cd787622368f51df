//! The only files the CMS may touch: `content/<slug>.md` and
//! `static/images/<name>`, inside the site's own folder.
//!
//! A path from the browser is refused before any file is opened when it is
//! empty, absolute, has a `..` or `.` part or a backslash, or names
//! anything but one file directly in those two folders; and when the
//! folder or the file is a symbolic link out of the site (checked again,
//! after creating the folder, just before writing).

use std::io::{ErrorKind, Read};
use std::path::{Path, PathBuf};

use crate::cms::entry::Refusal;
use crate::layout::CONTENT_DIR;
use crate::source::article::MAX_ARTICLE_BYTES;

/// How deep in sub-folders of content/ the CMS reaches.
const MAX_SUB_FOLDERS: usize = 4;

/// Which of the two folders a path must be in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Area {
    /// `content/<slug>.md`, not a hand-edited variant.
    Article,
    /// `static/images/<name>` with a photo's extension.
    Photo,
}

impl Area {
    /// The folder, relative to the site's root.
    fn folder(self) -> &'static str {
        match self {
            Area::Article => CONTENT_DIR,
            Area::Photo => crate::cms::config::MEDIA_FOLDER,
        }
    }
}

/// A checked path of the CMS's.
#[derive(Debug, Clone)]
pub struct Place {
    /// As Decap names it: `content/a.md`.
    pub relative: String,
    /// On disk.
    pub path: PathBuf,
    root: PathBuf,
    area: Area,
}

fn forbidden(message: String) -> Refusal {
    Refusal::new(403, message)
}

/// The hash the CMS knows a file's version by.
pub fn hash(bytes: &[u8]) -> String {
    blake3::hash(bytes).to_hex().to_string()
}

impl Place {
    /// `relative` checked as a file of `area` under `root`.
    pub fn new(root: &Path, relative: &str, area: Area) -> Result<Place, Refusal> {
        let refuse = |why: &str| forbidden(format!("不可寫入「{relative}」：{why}"));
        let parts: Vec<&str> = relative.split('/').collect();
        let bad_part = |p: &&str| p.is_empty() || *p == "." || *p == "..";
        if relative.contains(['\\', '\0', ':']) || parts.iter().any(bad_part) {
            return Err(refuse(
                "路徑須是網站資料夾內的相對路徑，不可含 .. 或絕對路徑。",
            ));
        }
        let folder: Vec<&str> = area.folder().split('/').collect();
        let (name, dir) = parts.split_last().expect("split gives one part at least");
        // Articles may be kept in sub-folders of content/ (by year, say), as
        // the build reads them; photos go straight into static/images/.
        let in_folder = match area {
            Area::Article => {
                dir.first() == Some(&folder[0])
                    && dir.len() <= 1 + MAX_SUB_FOLDERS
                    && dir[1..].iter().all(|d| !d.starts_with(['.', '_']))
            }
            Area::Photo => dir == folder.as_slice(),
        };
        if !in_folder {
            return Err(refuse(match area {
                Area::Article => "文章只可存放在 content/ 資料夾。",
                Area::Photo => "圖片只可存放在 static/images/ 資料夾。",
            }));
        }
        match area {
            Area::Article => {
                let stem = name.strip_suffix(".md").unwrap_or_default();
                if stem.is_empty() {
                    return Err(refuse(
                        "請填寫「網址名稱」（文章網址的一部分，例如 cyberport-ai-ecosystem）。",
                    ));
                }
                if stem.contains('.') {
                    return Err(refuse(
                        "手動編輯的版本（<網址名稱>.<版本>.md）不在 CMS 編輯，請用文字編輯器。",
                    ));
                }
            }
            Area::Photo => {
                if name.starts_with('.') || !crate::source::photo::is_photo_name(name) {
                    return Err(refuse("只可上載相片（JPEG、PNG、WebP、GIF）。"));
                }
            }
        }
        let place = Place {
            relative: relative.to_string(),
            path: root.join(relative),
            root: root.to_path_buf(),
            area,
        };
        place.inside()?;
        Ok(place)
    }

    /// Refuses a folder or file that leads out of the site by a link.
    fn inside(&self) -> Result<(), Refusal> {
        let refuse = || {
            forbidden(format!(
                "不可寫入「{}」：它或它的資料夾是指向網站以外的連結。",
                self.relative
            ))
        };
        let root = self.root.canonicalize().map_err(|_| refuse())?;
        let folder = root.join(self.area.folder());
        // The area's folder must be itself, and the file's own folder (where
        // it exists yet) inside it, with no link leading elsewhere.
        for (dir, exact) in [
            (self.root.join(self.area.folder()), true),
            (self.parent(), false),
        ] {
            match dir.canonicalize() {
                Ok(real) if real == folder || (!exact && real.starts_with(&folder)) => {}
                Ok(_) => return Err(refuse()),
                Err(e) if e.kind() == ErrorKind::NotFound => {}
                Err(_) => return Err(refuse()),
            }
        }
        match std::fs::symlink_metadata(&self.path) {
            Ok(meta) if meta.file_type().is_symlink() => Err(refuse()),
            _ => Ok(()),
        }
    }

    /// The folder the file is in.
    fn parent(&self) -> PathBuf {
        self.path
            .parent()
            .map(Path::to_path_buf)
            .unwrap_or_default()
    }

    /// The article's slug (its file name without `.md`).
    pub fn slug(&self) -> &str {
        self.name().strip_suffix(".md").unwrap_or(self.name())
    }

    /// The file's name.
    pub fn name(&self) -> &str {
        self.relative.rsplit('/').next().unwrap_or_default()
    }

    /// The file's bytes, `None` when there is no file.
    fn read_limited(&self, limit: u64) -> Result<Option<Vec<u8>>, Refusal> {
        let failed =
            |e: std::io::Error| Refusal::new(500, format!("無法讀取 {}：{e}", self.relative));
        let file = match std::fs::File::open(&self.path) {
            Ok(file) => file,
            Err(e) if e.kind() == ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(failed(e)),
        };
        let mut bytes = Vec::new();
        file.take(limit + 1)
            .read_to_end(&mut bytes)
            .map_err(failed)?;
        if bytes.len() as u64 > limit {
            return Err(Refusal::new(
                413,
                format!("{} 太大，CMS 不會開啟。", self.relative),
            ));
        }
        Ok(Some(bytes))
    }

    /// The article's text, `None` when there is no file.
    pub fn read_text(&self) -> Result<Option<String>, Refusal> {
        let bytes = self.read_limited(MAX_ARTICLE_BYTES)?;
        Ok(bytes.map(|b| String::from_utf8_lossy(&b).into_owned()))
    }

    /// The photo's bytes.
    pub fn read_bytes(&self) -> Result<Vec<u8>, Refusal> {
        let limit = super::MAX_API_BODY as u64;
        self.read_limited(limit)?
            .ok_or_else(|| Refusal::new(404, format!("找不到 {}。", self.relative)))
    }

    /// Replaces the file in one step (readers and the watcher see the old
    /// file or the new one).
    pub fn write(&self, bytes: &[u8]) -> Result<(), Refusal> {
        let failed =
            |e: anyhow::Error| Refusal::new(500, format!("無法寫入 {}：{e:#}", self.relative));
        std::fs::create_dir_all(self.root.join(self.area.folder()))
            .map_err(|e| failed(e.into()))?;
        self.inside()?;
        std::fs::create_dir_all(self.parent()).map_err(|e| failed(e.into()))?;
        self.inside()?;
        crate::fs::write_atomic(&self.path, bytes).map_err(failed)
    }

    /// Removes the file; one already gone is fine.
    pub fn remove(&self) -> Result<(), Refusal> {
        match std::fs::remove_file(&self.path) {
            Ok(()) => Ok(()),
            Err(e) if e.kind() == ErrorKind::NotFound => Ok(()),
            Err(e) => Err(Refusal::new(
                500,
                format!("無法刪除 {}：{e}", self.relative),
            )),
        }
    }
}

/// The `date:` of an article's front matter, read from its first lines.
fn date_of(path: &Path) -> String {
    let mut head = Vec::with_capacity(4096);
    if let Ok(file) = std::fs::File::open(path) {
        let _ = file.take(4096).read_to_end(&mut head);
    }
    let head = String::from_utf8_lossy(&head);
    (head.lines().skip(1).take_while(|l| l.trim_end() != "---"))
        .find_map(|l| l.strip_prefix("date:"))
        .map(|d| d.trim().trim_matches(['"', '\'']).to_string())
        .unwrap_or_default()
}

/// Regular files directly in `folder` whose names `keep` accepts.
fn names_in(folder: &Path, keep: impl Fn(&str) -> bool) -> Vec<(String, PathBuf)> {
    let Ok(entries) = std::fs::read_dir(folder) else {
        return Vec::new();
    };
    entries
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_ok_and(|t| t.is_file()))
        .filter_map(|e| Some((e.file_name().into_string().ok()?, e.path())))
        .filter(|(name, _)| keep(name))
        .collect()
}

/// The articles of `content/` as the build finds them (sub-folders
/// included, `.`- and `_`-names skipped), without hand-edited variants:
/// paths from the root, with `/` separators.
fn articles(root: &Path) -> Vec<String> {
    let (files, _) = crate::fs::markdown_files(&root.join(CONTENT_DIR), root);
    (files.iter())
        .filter_map(|path| {
            let relative = path.strip_prefix(root).ok()?.to_str()?.replace('\\', "/");
            let stem = path.file_stem()?.to_str()?;
            (!stem.contains('.')).then_some(relative)
        })
        .collect()
}

/// Another file of `content/` with the slug of `place` (an article or a
/// hand-edited variant of one), if there is one.
pub fn same_slug(root: &Path, place: &Place) -> Option<String> {
    let (files, _) = crate::fs::markdown_files(&root.join(CONTENT_DIR), root);
    (files.iter()).find_map(|path| {
        let name = path.file_name()?.to_str()?;
        let slug = name.split('.').next()?;
        let relative = path.strip_prefix(root).ok()?.to_str()?.replace('\\', "/");
        (slug == place.slug() && relative != place.relative).then_some(relative)
    })
}

/// Up to `limit` articles of `content/`, newest date first, then by path.
pub fn newest_articles(root: &Path, limit: usize) -> Vec<String> {
    let mut dated: Vec<(String, String)> = (articles(root).into_iter())
        .map(|relative| (date_of(&root.join(&relative)), relative))
        .collect();
    dated.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
    dated.truncate(limit);
    dated.into_iter().map(|(_, relative)| relative).collect()
}

/// Up to `limit` photos of `static/images/`, last changed first.
pub fn newest_photos(root: &Path, limit: usize) -> Vec<String> {
    let folder = crate::cms::config::MEDIA_FOLDER;
    let keep = |name: &str| !name.starts_with('.') && crate::source::photo::is_photo_name(name);
    let mut photos: Vec<(std::time::SystemTime, String)> = names_in(&root.join(folder), keep)
        .into_iter()
        .map(|(name, path)| {
            let changed = std::fs::metadata(path).and_then(|m| m.modified());
            (changed.unwrap_or(std::time::UNIX_EPOCH), name)
        })
        .collect();
    photos.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
    photos.truncate(limit);
    (photos.into_iter())
        .map(|(_, name)| format!("{folder}/{name}"))
        .collect()
}
