//! One photo, decoded once: turned upright, resized to each width, encoded
//! as WebP and in its own format; or, for a file no article shows, its
//! metadata removed without decoding it.
//!
//! Decoding refuses an image larger than the configured megapixels before
//! allocating it (a 30,000 × 30,000 PNG is a few kilobytes on disk and 3.6
//! GB decoded), and caps what the decoder may allocate.

use std::borrow::Cow;
use std::io::Cursor;

use fast_image_resize::{FilterType, ResizeAlg, ResizeOptions, Resizer};
use image::{DynamicImage, ImageDecoder, ImageFormat, ImageReader, Limits};

use crate::source::photo::Format;
use crate::source::photo::PhotoConfig;

/// A decoded photo, upright, with its colour profile.
pub struct Decoded {
    image: DynamicImage,
    icc: Option<Vec<u8>>,
    format: Format,
}

/// One encoded size of a photo.
pub struct Encoded {
    /// Width in pixels.
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
    /// How `bytes` are encoded.
    pub format: Format,
    /// The file's bytes.
    pub bytes: Vec<u8>,
}

/// The formats jianfan reads, from the file's first bytes (not its name).
pub fn sniff(bytes: &[u8]) -> Option<Format> {
    match image::guess_format(bytes).ok()? {
        ImageFormat::Jpeg => Some(Format::Jpeg),
        ImageFormat::Png => Some(Format::Png),
        ImageFormat::WebP => Some(Format::Webp),
        ImageFormat::Gif => Some(Format::Gif),
        _ => None,
    }
}

/// Whether a GIF has more than one frame: an animation, published as it is.
pub fn is_animated_gif(bytes: &[u8]) -> bool {
    use image::AnimationDecoder;
    image::codecs::gif::GifDecoder::new(Cursor::new(bytes))
        .map(|decoder| decoder.into_frames().take(2).count() > 1)
        .unwrap_or(false)
}

/// Decodes `bytes`, refusing more than `config.max_megapixels`, and turns
/// the picture upright as its EXIF orientation says.
pub fn decode(bytes: &[u8], config: &PhotoConfig) -> Result<Decoded, String> {
    let format = sniff(bytes).ok_or_else(not_an_image)?;
    if format == Format::Jpeg && !jpeg_is_whole(bytes) {
        return Err(
            "the image cannot be read: the file ends before the picture does \
                    (it was cut off while copying or uploading)"
                .to_string(),
        );
    }
    let reader = ImageReader::new(Cursor::new(bytes))
        .with_guessed_format()
        .map_err(|e| e.to_string())?;
    let mut decoder = reader.into_decoder().map_err(|e| unreadable(&e))?;
    let (width, height) = decoder.dimensions();
    let limit = u64::from(config.max_megapixels) * 1_000_000;
    if u64::from(width) * u64::from(height) > limit {
        return Err(format!(
            "the image is {width} × {height} pixels ({:.0} megapixels); a photo may have at most {} megapixels",
            (u64::from(width) * u64::from(height)) as f64 / 1e6,
            config.max_megapixels
        ));
    }
    let mut limits = Limits::default();
    // Four bytes a pixel (RGBA), twice over for the decoder's own buffers.
    limits.max_alloc = Some(limit * 8 + (64 << 20));
    decoder.set_limits(limits).map_err(|e| unreadable(&e))?;
    let orientation = decoder
        .orientation()
        .unwrap_or(image::metadata::Orientation::NoTransforms);
    let icc = decoder.icc_profile().ok().flatten();
    let mut image = DynamicImage::from_decoder(decoder).map_err(|e| unreadable(&e))?;
    image.apply_orientation(orientation);
    // Eight bits a channel, once: what the resizer and encoders take.
    let image = if image.color().has_alpha() {
        DynamicImage::ImageRgba8(image.into_rgba8())
    } else {
        DynamicImage::ImageRgb8(image.into_rgb8())
    };
    Ok(Decoded { image, icc, format })
}

/// Whether a JPEG's last scan is followed by its end-of-image marker. The
/// decoder fills a cut-off picture with grey rather than failing. Inside
/// a scan a 0xFF byte is always followed by 0x00 or a restart marker, so
/// the markers found are real ones; whatever follows the end (a second
/// picture some cameras append) ends with its own.
fn jpeg_is_whole(bytes: &[u8]) -> bool {
    let last = |marker: u8| bytes.windows(2).rposition(|w| w == [0xFF, marker]);
    match (last(0xDA), last(0xD9)) {
        (Some(scan), Some(end)) => end > scan,
        _ => false,
    }
}

/// The message for a file that is not a JPEG, PNG, WebP or GIF.
pub fn not_an_image() -> String {
    "jianfan reads JPEG, PNG, WebP and GIF photos, and this file is none of them \
     (another format, such as HEIC or TIFF, or not an image)"
        .to_string()
}

fn unreadable(error: &image::ImageError) -> String {
    format!("the image cannot be read: {error}")
}

impl Decoded {
    /// Width and height, upright.
    pub fn size(&self) -> (u32, u32) {
        (self.image.width(), self.image.height())
    }

    /// The format its fallback variants are encoded in: its own, a still
    /// GIF as PNG.
    pub fn fallback(&self) -> Format {
        match self.format {
            Format::Gif => Format::Png,
            other => other,
        }
    }

    /// The picture at `width` (never wider than it is), encoded as `format`.
    pub fn encode(&self, width: u32, format: Format, quality: u8) -> Result<Encoded, String> {
        let (w, h) = self.size();
        let width = width.min(w).max(1);
        let height =
            ((u64::from(h) * u64::from(width) + u64::from(w) / 2) / u64::from(w)).max(1) as u32;
        let resized = if width == w {
            Cow::Borrowed(&self.image)
        } else {
            let mut target = DynamicImage::new(width, height, self.image.color());
            let options =
                ResizeOptions::new().resize_alg(ResizeAlg::Convolution(FilterType::Lanczos3));
            Resizer::new()
                .resize(&self.image, &mut target, &options)
                .map_err(|e| format!("the image cannot be resized: {e}"))?;
            Cow::Owned(target)
        };
        // A JPEG has no transparency: a transparent picture goes on white.
        let resized = match resized.as_rgba8() {
            Some(rgba) if format == Format::Jpeg => Cow::Owned(on_white(rgba)),
            _ => resized,
        };
        let alpha = resized.color().has_alpha();
        let bytes = match format {
            Format::Webp => {
                let encoder = if alpha {
                    webp::Encoder::from_rgba(resized.as_bytes(), width, height)
                } else {
                    webp::Encoder::from_rgb(resized.as_bytes(), width, height)
                };
                let bytes = encoder.encode(f32::from(quality)).to_vec();
                with_profile(bytes, self.icc.as_deref())
            }
            Format::Jpeg => {
                let mut bytes = Vec::new();
                let encoder =
                    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut bytes, quality);
                resized
                    .write_with_encoder(encoder)
                    .map_err(|e| format!("the image cannot be encoded: {e}"))?;
                with_profile(bytes, self.icc.as_deref())
            }
            Format::Png | Format::Gif => {
                let mut bytes = Vec::new();
                resized
                    .write_to(&mut Cursor::new(&mut bytes), ImageFormat::Png)
                    .map_err(|e| format!("the image cannot be encoded: {e}"))?;
                with_profile(bytes, self.icc.as_deref())
            }
        };
        Ok(Encoded {
            width,
            height,
            format,
            bytes,
        })
    }
}

/// `rgba` laid on a white background.
fn on_white(rgba: &image::RgbaImage) -> DynamicImage {
    let blend = |c: u8, a: u8| {
        ((u32::from(c) * u32::from(a) + 255 * (255 - u32::from(a)) + 127) / 255) as u8
    };
    let rgb = image::RgbImage::from_fn(rgba.width(), rgba.height(), |x, y| {
        let [r, g, b, a] = rgba.get_pixel(x, y).0;
        image::Rgb([blend(r, a), blend(g, a), blend(b, a)])
    });
    DynamicImage::ImageRgb8(rgb)
}

/// `bytes` with the colour profile `icc` embedded, so colours show as the
/// photographer's camera meant them (a wide-gamut photo looks washed out
/// read as sRGB).
fn with_profile(bytes: Vec<u8>, icc: Option<&[u8]>) -> Vec<u8> {
    let Some(icc) = icc else {
        return bytes;
    };
    use img_parts::{Bytes, ImageICC};
    match img_parts::DynImage::from_bytes(Bytes::from(bytes.clone())) {
        Ok(Some(mut image)) => {
            image.set_icc_profile(Some(Bytes::copy_from_slice(icc)));
            let mut out = Vec::with_capacity(bytes.len() + icc.len());
            match image.encoder().write_to(&mut out) {
                Ok(_) => out,
                Err(_) => bytes,
            }
        }
        _ => bytes,
    }
}

/// `bytes` (a JPEG, PNG or WebP file) without any block that can say where
/// or with what it was taken — EXIF (GPS included), XMP, IPTC, comments,
/// text chunks — and with its colour profile and pixels untouched. `None`
/// when the container cannot be parsed.
pub fn strip(bytes: &[u8], format: Format) -> Option<Vec<u8>> {
    use img_parts::{Bytes, ImageEXIF};
    let input = Bytes::copy_from_slice(bytes);
    let mut out = Vec::with_capacity(bytes.len());
    match format {
        Format::Jpeg => {
            let mut jpeg = img_parts::jpeg::Jpeg::from_bytes(input).ok()?;
            // Kept: JFIF (APP0), the ICC profile (APP2) and Adobe's colour
            // transform (APP14, which CMYK files need to decode). Every
            // other application block and comment goes.
            jpeg.segments_mut().retain(|segment| {
                let marker = segment.marker();
                let app = (0xE0..=0xEF).contains(&marker);
                !(app && !matches!(marker, 0xE0 | 0xE2 | 0xEE) || marker == 0xFE)
            });
            jpeg.encoder().write_to(&mut out).ok()?;
        }
        Format::Png => {
            let mut png = img_parts::png::Png::from_bytes(input).ok()?;
            png.chunks_mut().retain(|chunk| {
                !matches!(
                    &chunk.kind(),
                    b"eXIf" | b"tEXt" | b"zTXt" | b"iTXt" | b"tIME"
                )
            });
            png.encoder().write_to(&mut out).ok()?;
        }
        Format::Webp => {
            let mut webp = img_parts::webp::WebP::from_bytes(input).ok()?;
            webp.set_exif(None);
            webp.remove_chunks_by_id(*b"XMP ");
            webp.encoder().write_to(&mut out).ok()?;
        }
        Format::Gif => return None,
    }
    Some(out)
}

/// Whether a JPEG, PNG or WebP file's EXIF asks for it to be turned before
/// it is shown: removing the EXIF would then show it on its side.
pub fn needs_turning(bytes: &[u8]) -> bool {
    let Ok(reader) = ImageReader::new(Cursor::new(bytes)).with_guessed_format() else {
        return false;
    };
    reader.into_decoder().is_ok_and(|mut decoder| {
        decoder
            .orientation()
            .is_ok_and(|o| o != image::metadata::Orientation::NoTransforms)
    })
}

/// `bytes` turned upright and encoded again in `format`, at its own size.
pub fn turned(bytes: &[u8], config: &PhotoConfig) -> Result<Vec<u8>, String> {
    let decoded = decode(bytes, config)?;
    let (width, _) = decoded.size();
    let fallback = decoded.fallback();
    // Near-lossless: the photo is published at its own size.
    Ok(decoded.encode(width, fallback, 92)?.bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decoded(image: DynamicImage) -> Decoded {
        let mut png = Vec::new();
        image
            .write_to(&mut Cursor::new(&mut png), ImageFormat::Png)
            .expect("png");
        decode(&png, &PhotoConfig::default()).expect("decodes")
    }

    #[test]
    fn a_transparent_photo_goes_on_white_as_jpeg_and_stays_transparent_otherwise() {
        let clear = image::RgbaImage::from_pixel(40, 20, image::Rgba([0, 0, 0, 0]));
        let photo = decoded(DynamicImage::ImageRgba8(clear));
        let jpeg = photo.encode(20, Format::Jpeg, 90).expect("jpeg");
        let back = image::load_from_memory(&jpeg.bytes)
            .expect("decodes")
            .to_rgb8();
        assert_eq!((jpeg.width, jpeg.height), (20, 10));
        assert!(back.pixels().all(|p| p.0.iter().all(|&c| c > 245)), "white");
        let png = photo.encode(40, Format::Png, 90).expect("png");
        let back = image::load_from_memory(&png.bytes)
            .expect("decodes")
            .to_rgba8();
        assert!(back.pixels().all(|p| p.0[3] == 0), "still transparent");
    }

    #[test]
    fn a_cut_off_jpeg_is_not_whole() {
        let mut jpeg = Vec::new();
        let image = DynamicImage::ImageRgb8(image::RgbImage::new(64, 64));
        image
            .write_to(&mut Cursor::new(&mut jpeg), ImageFormat::Jpeg)
            .expect("jpeg");
        assert!(jpeg_is_whole(&jpeg));
        assert!(!jpeg_is_whole(&jpeg[..jpeg.len() - 10]));
    }
}
