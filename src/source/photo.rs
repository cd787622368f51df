//! Photos as data: site.yaml's `photos` key (how [`crate::photos`] makes
//! the photos of articles fit for phones and desktops), and what a photo
//! became, which the later stages lay out.

use serde::{Deserialize, Serialize};

use crate::diagnostic::{self, Diagnostic, Kind};
use crate::layout::SITE_FILE;

/// How photos are processed.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PhotoConfig {
    /// The widths, in pixels, each photo is made in (never wider than the
    /// original). The default covers a phone's column at one to three
    /// device pixels per CSS pixel and a desktop's 36em column at two.
    #[serde(default = "default_widths")]
    pub widths: Vec<u32>,
    /// JPEG and WebP quality, 1–100.
    #[serde(default = "default_quality")]
    pub quality: u8,
    /// The largest photo accepted, in megapixels: a larger one is refused
    /// before it is decoded (a decompression bomb decodes to gigabytes).
    #[serde(default = "default_max_megapixels")]
    pub max_megapixels: u32,
    /// `sizes` of every photo's `<img>`: how wide the templates show an
    /// article's photos. The default matches the shipped style.css (a
    /// 36em column, the screen less 2rem on a phone).
    #[serde(default = "default_sizes")]
    pub sizes: String,
}

impl Default for PhotoConfig {
    fn default() -> Self {
        PhotoConfig {
            widths: default_widths(),
            quality: default_quality(),
            max_megapixels: default_max_megapixels(),
            sizes: default_sizes(),
        }
    }
}

fn default_widths() -> Vec<u32> {
    vec![480, 800, 1200, 1600]
}
fn default_quality() -> u8 {
    75
}
fn default_max_megapixels() -> u32 {
    64
}
fn default_sizes() -> String {
    "(min-width: 38em) 36em, calc(100vw - 2rem)".to_string()
}

impl PhotoConfig {
    /// The widths, sorted, each once.
    pub fn sorted_widths(&self) -> Vec<u32> {
        let mut widths = self.widths.clone();
        widths.sort_unstable();
        widths.dedup();
        widths
    }

    /// Every problem with these settings, at their lines of site.yaml's `text`.
    pub fn problems(&self, text: &str) -> Vec<Diagnostic> {
        let photos = diagnostic::line_of_key(text, "photos").unwrap_or(1);
        let at = |key: &str| diagnostic::line_of_nested_key(text, photos, key).or(Some(photos));
        let error = |key: &str, message: String, help: &str| {
            Diagnostic::error(Kind::Site, SITE_FILE, message)
                .at(at(key), None)
                .with_help(help)
        };
        let mut problems = Vec::new();
        if self.widths.is_empty() || self.widths.iter().any(|&w| !(16..=8192).contains(&w)) {
            problems.push(error(
                "widths",
                "`photos.widths` must list widths from 16 to 8192 pixels".into(),
                "e.g. [480, 800, 1200, 1600]",
            ));
        }
        if !(1..=100).contains(&self.quality) {
            problems.push(error(
                "quality",
                format!("`photos.quality` {} is not from 1 to 100", self.quality),
                "75 keeps photos sharp at a third of the size of 90",
            ));
        }
        if !(1..=1000).contains(&self.max_megapixels) {
            problems.push(error(
                "max_megapixels",
                format!(
                    "`photos.max_megapixels` {} is not from 1 to 1000",
                    self.max_megapixels
                ),
                "64 accepts any camera's photo",
            ));
        }
        problems
    }
}

/// The path in static/ of a local image `address` (`/images/a.jpg` or
/// `images/a.jpg` → `images/a.jpg`, without a query or fragment); `None`
/// for a remote address, which is left alone.
pub fn local_path(address: &str) -> Option<&str> {
    let remote = address.contains(':') || address.starts_with("//");
    let path = address.split(['?', '#']).next().unwrap_or_default();
    let path = path.trim_start_matches('/');
    (!remote && !path.is_empty()).then_some(path)
}

/// An image format jianfan reads or writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    /// JPEG.
    Jpeg,
    /// PNG.
    Png,
    /// WebP.
    Webp,
    /// GIF (read only; a still GIF is published as PNG).
    Gif,
}

impl Format {
    /// The file extension written.
    pub fn extension(self) -> &'static str {
        match self {
            Format::Jpeg => "jpg",
            Format::Png => "png",
            Format::Webp => "webp",
            Format::Gif => "gif",
        }
    }

    /// The MIME type, for `<source type>`.
    pub fn mime(self) -> &'static str {
        match self {
            Format::Jpeg => "image/jpeg",
            Format::Png => "image/png",
            Format::Webp => "image/webp",
            Format::Gif => "image/gif",
        }
    }
}

/// Whether the file named `path` is, by its extension, a raster image:
/// what [`crate::photos`] looks at. Besides the formats jianfan reads, the
/// camera and export formats it cannot (HEIC, AVIF, TIFF, BMP, JPEG XL,
/// DNG) are named, so that such a file is refused rather than published
/// with its EXIF and GPS.
pub fn is_photo_name(path: &str) -> bool {
    let extension = path.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase());
    matches!(
        extension.as_deref(),
        Some(
            "jpg"
                | "jpeg"
                | "png"
                | "webp"
                | "gif"
                | "heic"
                | "heif"
                | "avif"
                | "tif"
                | "tiff"
                | "bmp"
                | "jxl"
                | "dng"
        )
    )
}

/// One size of a processed photo.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Variant {
    /// Its path in the output, `/`-separated: `images/a-800w.webp`.
    pub file: String,
    /// Width in pixels.
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
}

/// What a photo an article shows became.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Photo {
    /// The hash of its bytes and the settings, which names its cache
    /// folder: part of the key of every page that shows it.
    pub key: String,
    /// Width of its largest variant, upright.
    pub width: u32,
    /// Height of its largest variant, upright.
    pub height: u32,
    /// WebP variants, narrowest first.
    pub webp: Vec<Variant>,
    /// Variants in its own format, narrowest first (the same as `webp`
    /// for a WebP photo).
    pub fallback: Vec<Variant>,
    /// The format of `fallback`.
    pub fallback_format: Format,
    /// A JPEG about [`crate::photos::SHARE_WIDTH`] wide, for link previews.
    pub share: Variant,
}

impl Photo {
    /// Whether the WebP variants are the fallback ones.
    pub fn webp_only(&self) -> bool {
        self.fallback_format == Format::Webp
    }

    /// Every output file of this photo.
    pub fn files(&self) -> impl Iterator<Item = &Variant> {
        let webp = self.webp.iter().filter(|_| !self.webp_only());
        webp.chain(&self.fallback)
            .chain(std::iter::once(&self.share))
    }
}
