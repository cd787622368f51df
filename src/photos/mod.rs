//! Photos: every raster image in static/ made fit to publish, between
//! reading the source and converting it.
//!
//! In: the [`Source`] (static/'s files, and the photos each article shows,
//! [`crate::source::article::ImageUse`]). Out: [`Photos`], what each shown
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
//! of the source's bytes and the settings: a rebuild reads each photo to
//! hash it and processes only new or changed ones. Photos are processed in
//! parallel, one decoded at a time per worker, so memory is bounded by the
//! largest photo allowed (`photos.max_megapixels`) times the workers.

pub mod html;
pub mod process;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::diagnostic::{Diagnostic, Kind, Report};
use crate::layout::{CACHE_DIR, STATIC_DIR};
use crate::source::article::ImageUse;
use crate::source::photo::{Format, Photo, PhotoConfig, Variant};
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
    let raster = |f: &&StaticFile| Format::of_name(&f.output).is_some();
    source.statics.iter().filter(raster).count()
}

/// The photos of `source`'s static/ processed as `source.config.photos`
/// says (see the module's doc): each article's [`ImageUse::photo`] set,
/// and `source.statics` rewritten to publish what was made. `done` is
/// called once per file processed or found in the cache. Every bad photo is
/// an error in `report` at each place an article shows it. Returns how many
/// photos articles show.
pub fn prepare(
    root: &Path,
    source: &mut Source,
    done: &(dyn Fn() + Sync),
    report: &mut Report,
) -> usize {
    let config = &source.config.photos;
    let mut uses: BTreeMap<String, Vec<ImageUse>> = BTreeMap::new();
    for article in source.articles.iter().flat_map(|a| a.files()) {
        for image in &article.images {
            uses.entry(image.path.clone())
                .or_default()
                .push(image.clone());
        }
    }
    let jobs: Vec<&StaticFile> = (source.statics.iter())
        .filter(|file| Format::of_name(&file.output).is_some())
        .collect();
    let cache = root.join(CACHE_DIR).join("photos");
    let static_dir = root.join(STATIC_DIR);
    let outcomes: Vec<Result<(PathBuf, Made), String>> = jobs
        .par_iter()
        .map(|file| {
            let shown = uses.contains_key(&file.output);
            let path = static_dir.join(&file.relative);
            let outcome = process_file(&path, &file.output, shown, config, &cache);
            done();
            outcome
        })
        .collect();

    let mut photos: BTreeMap<String, Photo> = BTreeMap::new();
    let mut statics: Vec<StaticFile> = (source.statics.iter())
        .filter(|file| Format::of_name(&file.output).is_none())
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
                report.extend(problems(file, &message, uses.get(&file.output)));
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
    photos.len()
}

/// The cache file of an unused image, stripped.
const STRIPPED: &str = "stripped";

/// The name a variant has in its cache folder.
fn file_name(output: &str) -> &str {
    output.rsplit('/').next().unwrap_or(output)
}

/// The errors for a photo that cannot be processed: at each place an
/// article shows it, or at its file in static/ when none does.
fn problems(file: &StaticFile, message: &str, uses: Option<&Vec<ImageUse>>) -> Vec<Diagnostic> {
    let help = "save it again as a JPEG, PNG or WebP of at most the size README's \
                \"Photos\" gives, or remove it";
    match uses {
        Some(uses) => (uses.iter())
            .map(|at| {
                let message = format!("photo `/{}`: {message}", file.output);
                Diagnostic::error(Kind::Content, &at.file, message)
                    .at(Some(at.line), Some(at.column))
                    .with_help(help)
            })
            .collect(),
        None => {
            let shown = format!("{STATIC_DIR}/{}", file.output);
            vec![Diagnostic::error(Kind::Site, shown, message.to_string()).with_help(help)]
        }
    }
}

/// Processes one file of static/ (at `path`, published as `output`), or
/// takes what an earlier build made of the same bytes from the cache.
/// Returns the cache folder and what is in it.
fn process_file(
    path: &Path,
    output: &str,
    shown: bool,
    config: &PhotoConfig,
    cache: &Path,
) -> Result<(PathBuf, Made), String> {
    let size = std::fs::metadata(path)
        .map_err(|e| format!("cannot read the file: {e}"))?
        .len();
    if size > MAX_FILE_BYTES {
        return Err(format!(
            "the file is {} MiB; a photo may be at most {} MiB",
            size >> 20,
            MAX_FILE_BYTES >> 20
        ));
    }
    let bytes = std::fs::read(path).map_err(|e| format!("cannot read the file: {e}"))?;
    let key = key(&bytes, output, shown, config);
    let folder = cache.join(&key);
    let record = folder.join("made.json");
    if let Some(made) = std::fs::read(&record)
        .ok()
        .and_then(|text| serde_json::from_slice::<Made>(&text).ok())
    {
        return Ok((folder, made));
    }
    let (made, files) = make(&bytes, output, shown, config, &key)?;
    // Written whole into a folder of its own, then renamed: a build killed
    // meanwhile leaves no half-made entry behind.
    let temp = cache.join(format!("{key}.{}.tmp", std::process::id()));
    let write = || -> std::io::Result<()> {
        let _ = std::fs::remove_dir_all(&temp);
        std::fs::create_dir_all(&temp)?;
        for (name, bytes) in &files {
            std::fs::write(temp.join(name), bytes)?;
        }
        std::fs::write(temp.join("made.json"), serde_json::to_vec(&made)?)?;
        let _ = std::fs::remove_dir_all(&folder);
        std::fs::rename(&temp, &folder)
    };
    write().map_err(|e| format!("cannot write the photo cache in {}: {e}", cache.display()))?;
    Ok((folder, made))
}

/// The cache key of `bytes` published as `output` with `config`.
fn key(bytes: &[u8], output: &str, shown: bool, config: &PhotoConfig) -> String {
    let mut hasher = blake3::Hasher::new();
    let settings = format!(
        "{VERSION}|{output}|{shown}|{:?}|{}|{}",
        config.sorted_widths(),
        config.quality,
        config.max_megapixels
    );
    hasher.update(&(settings.len() as u64).to_le_bytes());
    hasher.update(settings.as_bytes());
    hasher.update(bytes);
    hasher.finalize().to_hex()[..32].to_string()
}

/// A file of a photo's cache folder: its name and bytes.
type CacheFile = (String, Vec<u8>);

/// What to publish for one file: the record and each file's name and bytes.
fn make(
    bytes: &[u8],
    output: &str,
    shown: bool,
    config: &PhotoConfig,
    key: &str,
) -> Result<(Made, Vec<CacheFile>), String> {
    let format = process::sniff(bytes).ok_or_else(|| {
        "the file is not an image jianfan can read (JPEG, PNG, WebP or GIF)".to_string()
    })?;
    if format == Format::Gif && process::is_animated_gif(bytes) {
        return Ok((Made::AsIs, Vec::new()));
    }
    if !shown {
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
    let stem = output.rsplit_once('.').map_or(output, |(stem, _)| stem);
    let name = |w: u32, format: Format| format!("{stem}-{w}w.{}", format.extension());
    // Every (width, format) to encode, each on its own worker.
    let mut wanted: Vec<(u32, Format)> = widths.iter().map(|&w| (w, fallback_format)).collect();
    if fallback_format != Format::Webp {
        wanted.extend(widths.iter().map(|&w| (w, Format::Webp)));
    }
    let share_width = SHARE_WIDTH.min(width);
    let share_is_fallback = fallback_format == Format::Jpeg && widths.contains(&share_width);
    if !share_is_fallback {
        wanted.push((share_width, Format::Jpeg));
    }
    let encoded: Vec<process::Encoded> = wanted
        .par_iter()
        .map(|&(w, format)| decoded.encode(w, format, config.quality))
        .collect::<Result<_, _>>()?;
    let mut files = Vec::new();
    let mut photo = Photo {
        key: key.to_string(),
        width: 0,
        height: 0,
        webp: Vec::new(),
        fallback: Vec::new(),
        fallback_format,
        share: Variant {
            file: String::new(),
            width: 0,
            height: 0,
        },
    };
    for (index, item) in encoded.into_iter().enumerate() {
        let is_share = !share_is_fallback && index == wanted.len() - 1;
        let file = if is_share {
            format!("{stem}-{}w-share.jpg", item.width)
        } else {
            name(item.width, item.format)
        };
        let variant = Variant {
            file: file.clone(),
            width: item.width,
            height: item.height,
        };
        if is_share {
            photo.share = variant;
        } else if item.format == fallback_format {
            photo.fallback.push(variant);
        } else {
            photo.webp.push(variant);
        }
        files.push((file_name(&file).to_string(), item.bytes));
    }
    if fallback_format == Format::Webp {
        photo.webp = photo.fallback.clone();
    }
    if share_is_fallback {
        photo.share = (photo.fallback.iter())
            .find(|v| v.width == share_width)
            .cloned()
            .unwrap_or_else(|| photo.fallback[0].clone());
    }
    let largest = photo
        .fallback
        .last()
        .cloned()
        .unwrap_or_else(|| photo.share.clone());
    (photo.width, photo.height) = (largest.width, largest.height);
    Ok((Made::Photo(photo), files))
}
