//! Photos: every raster image in static/ made fit to publish, between
//! reading the source and converting it.
//!
//! In: the [`Source`] (static/'s files, and the photos each article shows,
//! [`ImageUse`]). Out: the same, each [`ImageUse::photo`] set to what the
//! photo became, and static/'s file list rewritten so that the output
//! writer publishes the processed files instead of the originals.
//!
//! - A photo an article shows (its `image` key or a Markdown image) is
//!   turned upright from its EXIF orientation, resized to each of
//!   site.yaml's `photos.widths` narrower than it (and its own width when
//!   that is below the largest), and encoded as WebP and in its own format
//!   (a still GIF as PNG). None of them carries EXIF, GPS, XMP or IPTC; the
//!   colour profile is kept. Its own path (`images/a.jpg`) holds the
//!   largest fallback, so a link to it still works.
//! - Any other JPEG, PNG or WebP in static/ keeps its pixels and loses its
//!   metadata blocks ([`process::strip`]); one whose EXIF says to turn it is
//!   turned and encoded again, as removing the EXIF would show it sideways.
//! - Animated GIFs and SVG pass through as they are.
//!
//! Processed files live in `.jianfan-cache/photos/<key>/`, the key a hash
//! of the source's bytes and the settings: a rebuild processes only new or
//! changed photos, and does not even read one whose file stamp is as the
//! last build saw it ([`Hashes`]). Photos are processed in
//! parallel, one decoded at a time per worker, so memory is bounded by the
//! largest photo allowed (`photos.max_megapixels`) times the workers.

pub mod html;
pub mod process;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::diagnostic::{Diagnostic, Kind, Report};
use crate::fs::FileInfo;
use crate::layout::{CACHE_DIR, STATIC_DIR};
use crate::source::article::ImageUse;
use crate::source::photo::{is_photo_name, Format, Photo, PhotoConfig, Variant};
use crate::source::record::{nanos_since_epoch, Stamp};
use crate::source::{Source, StaticFile};

/// Bumped whenever processing changes what it makes from the same photo.
const VERSION: &str = "photos 1";

/// The width of the JPEG that link previews (`og:image`) and JSON-LD use:
/// what Facebook, LINE and WhatsApp ask for.
pub const SHARE_WIDTH: u32 = 1200;

/// The largest image file read, in bytes.
const MAX_FILE_BYTES: u64 = 256 << 20;

/// What processing made of one file of static/, as kept in the cache.
#[derive(Debug, Clone, Serialize, Deserialize)]
enum Made {
    /// A photo an article shows; its variants' bytes beside it.
    Photo(Photo),
    /// Another image, published at its own size without metadata.
    Stripped,
    /// Published as it is (animated GIF).
    AsIs,
}

/// How many files of `source`'s static/ [`prepare`] looks at.
pub fn count(source: &Source) -> usize {
    let raster = |f: &&StaticFile| is_photo_name(&f.output);
    source.statics.iter().filter(raster).count()
}

/// The photos of `source`'s static/ processed as `source.config.photos`
/// says (see the module's doc): each article's [`ImageUse::photo`] set,
/// and `source.statics` rewritten to publish what was made. `done` is
/// called once per file processed or found in the cache. Every bad photo is
/// an error in `report` at each place an article shows it.
pub fn prepare(root: &Path, source: &mut Source, done: &(dyn Fn() + Sync), report: &mut Report) {
    let config = &source.config.photos;
    // Where each photo is shown: the article file, line and column.
    let mut uses: BTreeMap<&str, Vec<(&Path, usize, usize)>> = BTreeMap::new();
    for article in source.articles.iter().flat_map(|a| a.files()) {
        for image in &article.images {
            let at = (article.file.as_path(), image.line, image.column);
            uses.entry(image.path.as_str()).or_default().push(at);
        }
    }
    let jobs: Vec<&StaticFile> = (source.statics.iter())
        .filter(|file| is_photo_name(&file.output))
        .collect();
    let shown = |output: &str| uses.contains_key(output);
    let outcomes = process_all(&jobs, &shown, config, root, done);

    let mut photos: BTreeMap<String, Photo> = BTreeMap::new();
    let mut statics: Vec<StaticFile> = (source.statics.iter())
        .filter(|file| !is_photo_name(&file.output))
        .cloned()
        .collect();
    for (file, outcome) in jobs.into_iter().zip(outcomes) {
        let in_cache = |folder: &Path, name: &str| Some(folder.join(name));
        match outcome {
            Ok((folder, Made::Photo(photo))) => {
                for variant in photo.files() {
                    statics.push(StaticFile {
                        relative: file.relative.clone(),
                        output: variant.file.clone(),
                        made: in_cache(&folder, file_name(&variant.file)),
                    });
                }
                let largest = photo
                    .fallback
                    .last()
                    .map(|v| folder.join(file_name(&v.file)));
                statics.push(StaticFile {
                    made: largest,
                    ..file.clone()
                });
                photos.insert(file.output.clone(), photo);
            }
            Ok((folder, Made::Stripped)) => statics.push(StaticFile {
                made: in_cache(&folder, STRIPPED),
                ..file.clone()
            }),
            Ok((_, Made::AsIs)) => statics.push(file.clone()),
            Err(message) => {
                report.extend(problems(file, &message, uses.get(file.output.as_str())));
                // Still there for the other lints: the build stops anyway.
                statics.push(file.clone());
            }
        }
    }
    statics.sort_by(|a, b| a.output.cmp(&b.output));
    source.statics = statics;
    let attach = |images: &mut Vec<ImageUse>| {
        for image in images {
            image.photo = photos.get(&image.path).cloned();
        }
    };
    for article in &mut source.articles {
        attach(&mut article.images);
        article
            .forks
            .values_mut()
            .for_each(|fork| attach(&mut fork.images));
    }
}

/// The cache file of an unused image, stripped.
const STRIPPED: &str = "stripped";

/// The name a variant has in its cache folder.
fn file_name(output: &str) -> &str {
    output.rsplit('/').next().unwrap_or(output)
}

/// The errors for a photo that cannot be processed: at each place an
/// article shows it, or at its file in static/ when none does.
fn problems(
    file: &StaticFile,
    message: &str,
    uses: Option<&Vec<(&Path, usize, usize)>>,
) -> Vec<Diagnostic> {
    let help = "save it again as a JPEG, PNG or WebP of at most the size README's \
                \"Photos\" gives, or remove it";
    match uses {
        Some(uses) => (uses.iter())
            .map(|&(article, line, column)| {
                let message = format!("photo `/{}`: {message}", file.output);
                Diagnostic::error(Kind::Content, article, message)
                    .at(Some(line), Some(column))
                    .with_help(help)
            })
            .collect(),
        None => {
            let shown = format!("{STATIC_DIR}/{}", file.output);
            vec![Diagnostic::error(Kind::Site, shown, message.to_string()).with_help(help)]
        }
    }
}

/// Processes each of `jobs` (files of static/; `shown` tells which an
/// article shows), or takes what an earlier build made of it from the
/// cache. First every file is looked up in the cache, in parallel (a file
/// whose stamp is unchanged is not even read: [`Hashes`]); then what is
/// missing is made with memory bounded: with at least as many photos to
/// make as workers, each worker makes one photo at a time and its sizes one
/// after another; with fewer, the photos are made one at a time, each one's
/// sizes in parallel. Either way no worker holds more than one decoded
/// photo (with both in parallel, rayon lets a worker that waits for its own
/// photo's sizes start another photo).
fn process_all(
    jobs: &[&StaticFile],
    shown: &(dyn Fn(&str) -> bool + Sync),
    config: &PhotoConfig,
    root: &Path,
    done: &(dyn Fn() + Sync),
) -> Vec<Result<(PathBuf, Made), String>> {
    let cache = root.join(CACHE_DIR).join("photos");
    let static_dir = root.join(STATIC_DIR);
    let known = Hashes::load(&cache);
    let began = nanos_since_epoch(std::time::SystemTime::now());
    let looked: Vec<Result<Looked, String>> = jobs
        .par_iter()
        .map(|file| {
            let looked = Looked::up(file, &static_dir, &known, shown, config, &cache);
            if !matches!(looked, Ok(Looked { made: None, .. })) {
                done();
            }
            looked
        })
        .collect();
    let files = (jobs.iter().zip(&looked))
        .filter_map(|(file, looked)| {
            Some((
                file.output.clone(),
                looked.as_ref().ok()?.fingerprint.clone(),
            ))
        })
        .collect();
    Hashes { began, files }.save(&cache);

    let missing = (looked.iter())
        .filter(|l| matches!(l, Ok(Looked { made: None, .. })))
        .count();
    let sizes_in_parallel = missing < rayon::current_num_threads();
    let make_one = |(file, looked): (&&StaticFile, Result<Looked, String>)| {
        let looked = looked?;
        let folder = cache.join(&looked.key);
        if let Some(made) = looked.made {
            return Ok((folder, made));
        }
        let made = make_entry(
            file,
            &looked,
            shown(&file.output),
            config,
            &folder,
            sizes_in_parallel,
        );
        done();
        Ok((folder, made?))
    };
    if sizes_in_parallel {
        jobs.iter().zip(looked).map(make_one).collect()
    } else {
        jobs.par_iter().zip(looked).map(make_one).collect()
    }
}

/// The content hash of each file of static/ the last build processed,
/// with the file's stamp then: a photo whose stamp is unchanged is not read
/// again to be hashed (a newsroom's static/ holds gigabytes of photos), as
/// [`crate::source::record`] does for articles.
#[derive(Debug, Default, Serialize, Deserialize)]
struct Hashes {
    /// When that build began to look at the files (nanoseconds since 1970).
    began: i128,
    /// Stamp and content hash (blake3 of the bytes), by output path.
    files: BTreeMap<String, (Stamp, String)>,
}

impl Hashes {
    const FILE: &'static str = "hashes.json";

    fn load(cache: &Path) -> Hashes {
        let bytes = std::fs::read(cache.join(Self::FILE)).unwrap_or_default();
        serde_json::from_slice(&bytes).unwrap_or_default()
    }

    /// Saved whole; failure only makes the next build read every photo.
    fn save(&self, cache: &Path) {
        if let Ok(bytes) = serde_json::to_vec(self) {
            let _ = std::fs::create_dir_all(cache);
            let _ = crate::fs::write_atomic(&cache.join(Self::FILE), &bytes);
        }
    }
}

/// One file of static/, looked up in the cache.
struct Looked {
    /// Where it is.
    path: PathBuf,
    /// Its stamp and content hash, for the next build's [`Hashes`].
    fingerprint: (Stamp, String),
    /// Its cache key: the folder of what is made of it.
    key: String,
    /// What an earlier build made of it, when the cache has it.
    made: Option<Made>,
}

impl Looked {
    /// `file`, hashed unless `known` has its hash under an unchanged,
    /// settled stamp, and looked up in `cache`.
    fn up(
        file: &StaticFile,
        static_dir: &Path,
        known: &Hashes,
        shown: &(dyn Fn(&str) -> bool + Sync),
        config: &PhotoConfig,
        cache: &Path,
    ) -> Result<Looked, String> {
        let path = static_dir.join(&file.relative);
        let unreadable = |e: std::io::Error| format!("cannot read the file: {e}");
        let stamp = Stamp::of(&FileInfo::of(
            &std::fs::metadata(&path).map_err(unreadable)?,
        ));
        if stamp.len > MAX_FILE_BYTES {
            return Err(format!(
                "the file is {} MiB; a photo may be at most {} MiB",
                stamp.len >> 20,
                MAX_FILE_BYTES >> 20
            ));
        }
        let hash = match known.files.get(&file.output) {
            Some((then, hash)) if *then == stamp && stamp.settled(known.began) => hash.clone(),
            _ => blake3::hash(&std::fs::read(&path).map_err(unreadable)?)
                .to_hex()
                .to_string(),
        };
        let key = key(&hash, &file.output, shown(&file.output), config);
        let made = std::fs::read(cache.join(&key).join(MADE))
            .ok()
            .and_then(|text| serde_json::from_slice::<Made>(&text).ok());
        Ok(Looked {
            path,
            fingerprint: (stamp, hash),
            key,
            made,
        })
    }
}

/// The record of what a cache folder holds.
const MADE: &str = "made.json";

/// Makes what to publish for `file` into its cache `folder`, written whole
/// into a folder of its own and then renamed: a build killed meanwhile
/// leaves no half-made entry behind.
fn make_entry(
    file: &StaticFile,
    looked: &Looked,
    shown: bool,
    config: &PhotoConfig,
    folder: &Path,
    sizes_in_parallel: bool,
) -> Result<Made, String> {
    let bytes = std::fs::read(&looked.path).map_err(|e| format!("cannot read the file: {e}"))?;
    let photo = Job {
        output: &file.output,
        shown,
        key: &looked.key,
        sizes_in_parallel,
    };
    let (made, files) = make(&bytes, &photo, config)?;
    let temp = folder.with_extension(format!("{}.tmp", std::process::id()));
    let write = || -> std::io::Result<()> {
        let _ = std::fs::remove_dir_all(&temp);
        std::fs::create_dir_all(&temp)?;
        for (name, bytes) in &files {
            std::fs::write(temp.join(name), bytes)?;
        }
        std::fs::write(temp.join(MADE), serde_json::to_vec(&made)?)?;
        let _ = std::fs::remove_dir_all(folder);
        std::fs::rename(&temp, folder)
    };
    let cache = folder.parent().unwrap_or(folder);
    write().map_err(|e| format!("cannot write the photo cache in {}: {e}", cache.display()))?;
    Ok(made)
}

/// What [`make`] is asked to make of one file.
struct Job<'a> {
    /// Its path in the output.
    output: &'a str,
    /// Whether an article shows it.
    shown: bool,
    /// Its cache key.
    key: &'a str,
    /// Encode its sizes in parallel ([`process_all`]).
    sizes_in_parallel: bool,
}

/// The cache key of a file whose bytes hash to `hash`, published as
/// `output` with `config`.
fn key(hash: &str, output: &str, shown: bool, config: &PhotoConfig) -> String {
    let widths = config.sorted_widths();
    let (quality, limit) = (config.quality, config.max_megapixels);
    let parts = (VERSION, output, shown, widths, quality, limit, hash);
    let text = serde_json::to_string(&parts).unwrap_or_default();
    blake3::hash(text.as_bytes()).to_hex()[..32].to_string()
}

/// A file of a photo's cache folder: its name and bytes.
type CacheFile = (String, Vec<u8>);

/// What to publish for one file: the record and each file's name and bytes.
fn make(
    bytes: &[u8],
    job: &Job<'_>,
    config: &PhotoConfig,
) -> Result<(Made, Vec<CacheFile>), String> {
    let format = process::sniff(bytes).ok_or_else(process::not_an_image)?;
    if format == Format::Gif && process::is_animated_gif(bytes) {
        return Ok((Made::AsIs, Vec::new()));
    }
    if !job.shown {
        let stripped = if format != Format::Gif && !process::needs_turning(bytes) {
            process::strip(bytes, format)
        } else {
            None
        };
        let stripped = match stripped {
            Some(stripped) => stripped,
            None => process::turned(bytes, config)?,
        };
        return Ok((Made::Stripped, vec![(STRIPPED.to_string(), stripped)]));
    }
    let decoded = process::decode(bytes, config)?;
    let (width, _) = decoded.size();
    let fallback_format = decoded.fallback();
    // Each configured width narrower than the photo, and its own width
    // when that is not above the largest: never an enlargement.
    let all = config.sorted_widths();
    let mut widths: Vec<u32> = all.iter().copied().filter(|&w| w < width).collect();
    if all.last().is_some_and(|&max| width <= max) {
        widths.push(width);
    }
    // Every size to encode: the fallbacks, the
    // WebPs (the same files for a WebP photo), and the shared JPEG unless
    // a fallback is that JPEG already.
    let share_width = SHARE_WIDTH.min(width);
    let mut wanted: Vec<(Role, u32, Format)> = (widths.iter())
        .map(|&w| (Role::Fallback, w, fallback_format))
        .collect();
    if fallback_format != Format::Webp {
        wanted.extend(widths.iter().map(|&w| (Role::Webp, w, Format::Webp)));
    }
    if !(fallback_format == Format::Jpeg && widths.contains(&share_width)) {
        wanted.push((Role::Share, share_width, Format::Jpeg));
    }
    let encode = |&(_, w, format): &(Role, u32, Format)| decoded.encode(w, format, config.quality);
    let encoded: Vec<process::Encoded> = if job.sizes_in_parallel {
        wanted.par_iter().map(encode).collect::<Result<_, _>>()?
    } else {
        wanted.iter().map(encode).collect::<Result<_, _>>()?
    };

    let stem = (job.output.rsplit_once('.')).map_or(job.output, |(stem, _)| stem);
    let (mut fallback, mut webp, mut share, mut files) = (Vec::new(), Vec::new(), None, Vec::new());
    for ((role, _, format), item) in wanted.into_iter().zip(encoded) {
        let suffix = if role == Role::Share { "-share" } else { "" };
        let file = format!("{stem}-{}w{suffix}.{}", item.width, format.extension());
        files.push((file_name(&file).to_string(), item.bytes));
        let variant = Variant {
            file,
            width: item.width,
            height: item.height,
        };
        match role {
            Role::Fallback => fallback.push(variant),
            Role::Webp => webp.push(variant),
            Role::Share => share = Some(variant),
        }
    }
    if fallback_format == Format::Webp {
        webp.clone_from(&fallback);
    }
    let share = share.or_else(|| fallback.iter().find(|v| v.width == share_width).cloned());
    let largest = fallback.last().ok_or("the photo has no size to publish")?;
    let photo = Photo {
        key: job.key.to_string(),
        width: largest.width,
        height: largest.height,
        share: share.unwrap_or_else(|| largest.clone()),
        webp,
        fallback,
        fallback_format,
    };
    Ok((Made::Photo(photo), files))
}

/// What one encoded size of a photo is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Role {
    /// A `srcset` entry in the photo's own format.
    Fallback,
    /// A `srcset` entry of the WebP `<source>`.
    Webp,
    /// The JPEG link previews show.
    Share,
}
