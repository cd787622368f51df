//! Photos as a reader and a source's safety need them: a camera photo
//! carrying GPS and an orientation tag is published upright, in sizes for
//! phones and desktops, with no GPS in any published file; bad images are
//! errors at the article line that shows them.

use std::path::Path;

use crate::common::*;
use image::{ImageDecoder, ImageReader};
use img_parts::{Bytes, ImageEXIF};

/// A minimal EXIF block (little-endian TIFF): orientation 6 (turn 90°
/// clockwise to show) and a GPS latitude of 22° 17′ N.
fn exif_with_gps() -> Vec<u8> {
    let mut t: Vec<u8> = b"II\x2a\x00\x08\x00\x00\x00".to_vec();
    let entry = |t: &mut Vec<u8>, tag: u16, kind: u16, count: u32, value: u32| {
        t.extend(tag.to_le_bytes());
        t.extend(kind.to_le_bytes());
        t.extend(count.to_le_bytes());
        t.extend(value.to_le_bytes());
    };
    // IFD0 at 8: orientation, and where the GPS IFD is (38).
    t.extend(2u16.to_le_bytes());
    entry(&mut t, 0x0112, 3, 1, 6);
    entry(&mut t, 0x8825, 4, 1, 38);
    t.extend(0u32.to_le_bytes());
    // GPS IFD at 38: latitude reference "N", latitude at 68.
    t.extend(2u16.to_le_bytes());
    entry(&mut t, 0x0001, 2, 2, u32::from(b'N'));
    entry(&mut t, 0x0002, 5, 3, 68);
    t.extend(0u32.to_le_bytes());
    for (n, d) in [(22u32, 1u32), (17, 1), (0, 1)] {
        t.extend(n.to_le_bytes());
        t.extend(d.to_le_bytes());
    }
    t
}

/// A 2400 × 1200 camera JPEG (as stored: the camera was turned) with GPS.
fn camera_photo() -> Vec<u8> {
    let jpeg = plain_jpeg(2400, 1200);
    let mut parsed = img_parts::jpeg::Jpeg::from_bytes(Bytes::from(jpeg)).expect("parses");
    parsed.set_exif(Some(Bytes::from(exif_with_gps())));
    let mut out = Vec::new();
    parsed.encoder().write_to(&mut out).expect("writes");
    out
}

/// A two-frame GIF: an animation, published as it is.
fn animated_gif() -> Vec<u8> {
    let mut gif = Vec::new();
    {
        let mut encoder = image::codecs::gif::GifEncoder::new(&mut gif);
        for shade in [0u8, 255] {
            let frame = image::RgbaImage::from_pixel(8, 8, image::Rgba([shade, 0, 0, 255]));
            encoder
                .encode_frame(image::Frame::new(frame))
                .expect("frame");
        }
    }
    gif
}

fn article(root: &Path, slug: &str, front: &str, body: &str) {
    let text = format!(
        "---\ntitle: 相片{slug}\ndate: 2025-03-05\ntopics: [economy]\n{front}---\n\n{body}\n"
    );
    std::fs::write(root.join(format!("content/{slug}.md")), text).expect("article");
}

fn has_gps(bytes: &[u8]) -> bool {
    // The GPS IFD's tag and the latitude's numerator, as written above.
    let latitude = [22u8, 0, 0, 0, 1, 0, 0, 0, 17, 0, 0, 0];
    bytes.windows(latitude.len()).any(|w| w == latitude)
        || bytes.windows(6).any(|w| w == b"Exif\0\0")
}

fn size_and_orientation(bytes: &[u8]) -> ((u32, u32), bool) {
    let reader = ImageReader::new(std::io::Cursor::new(bytes))
        .with_guessed_format()
        .expect("format");
    let mut decoder = reader.into_decoder().expect("decodes");
    let turned =
        decoder.orientation().expect("orientation") != image::metadata::Orientation::NoTransforms;
    (decoder.dimensions(), turned)
}

#[test]
fn a_camera_photo_is_published_upright_in_sizes_without_gps() {
    let site = fixture("basic");
    let root = site.path();
    std::fs::create_dir_all(root.join("static/images")).expect("mkdir");
    let photo = camera_photo();
    assert!(has_gps(&photo), "the fixture carries GPS");
    assert!(
        size_and_orientation(&photo).1,
        "the fixture asks to be turned"
    );
    std::fs::write(root.join("static/images/lead.jpg"), &photo).expect("photo");
    std::fs::write(root.join("static/images/body.jpg"), &photo).expect("photo");
    std::fs::write(root.join("static/images/unused.jpg"), &photo).expect("photo");
    let animation = animated_gif();
    std::fs::write(root.join("static/images/moving.gif"), &animation).expect("gif");
    article(
        root,
        "photo-story",
        "image: images/lead.jpg\ncaption: 記者在現場。\nalt: 一幅彩色漸變圖\ncredit: 本報記者\n",
        "第一段。\n\n![街頭的漸變](/images/body.jpg \"漸變之後\")\n\n文字中![小圖](/images/body.jpg)兩張。\n",
    );
    // Photos elsewhere are left alone: the address as written.
    article(
        root,
        "remote-photo",
        "image: https://images.example.com/wire/a.jpg\n",
        "![通訊社](https://images.example.com/wire/b.jpg)\n",
    );
    let output = root.join("public");
    build_site(root, &output).expect("builds");
    let remote = std::fs::read_to_string(output.join("zh-hant/articles/remote-photo/index.html"))
        .expect("page");
    for address in ["wire/a.jpg", "wire/b.jpg"] {
        let tag = format!(r#"<img src="https://images.example.com/{address}""#);
        assert!(remote.contains(&tag), "{tag} in {remote}");
    }

    // No file published carries GPS or any EXIF block.
    let mut images = 0;
    for entry in walkdir::WalkDir::new(&output) {
        let entry = entry.expect("entry");
        let name = entry.path().to_string_lossy().to_string();
        if [".jpg", ".webp", ".png"].iter().any(|e| name.ends_with(e)) {
            let bytes = std::fs::read(entry.path()).expect("read");
            assert!(!has_gps(&bytes), "{name} carries EXIF or GPS");
            images += 1;
        }
    }
    // Upright: 1200 × 2400 turned; widths 480, 800, 1200 in JPEG and WebP,
    // the lead's own path holds the largest.
    for (file, width) in [
        ("lead-480w.jpg", 480),
        ("lead-800w.webp", 800),
        ("lead-1200w.jpg", 1200),
    ] {
        let bytes = std::fs::read(output.join("images").join(file)).expect(file);
        let ((w, h), turned) = size_and_orientation(&bytes);
        assert_eq!((w, h, turned), (width, width * 2, false), "{file}");
    }
    assert!(
        !output.join("images/lead-1600w.jpg").exists(),
        "never enlarged"
    );
    assert_eq!(
        size_and_orientation(&std::fs::read(output.join("images/lead.jpg")).expect("lead")).0,
        (1200, 2400)
    );
    // A photo no article shows: its pixels kept at its own size, upright,
    // without metadata.
    let unused = std::fs::read(output.join("images/unused.jpg")).expect("unused");
    assert_eq!(size_and_orientation(&unused), ((1200, 2400), false));
    assert!(images >= 13, "{images} images");
    // An animation and an SVG pass through as they are.
    assert_eq!(
        std::fs::read(output.join("images/moving.gif")).expect("gif"),
        animation
    );
    let svg = std::fs::read(root.join("static/favicon.svg")).expect("svg");
    assert_eq!(std::fs::read(output.join("favicon.svg")).expect("svg"), svg);

    let page = std::fs::read_to_string(output.join("zh-hant/articles/photo-story/index.html"))
        .expect("page");
    let lead = page.split("lead-figure").nth(1).expect("lead figure");
    assert!(lead.contains(r#"<source type="image/webp" srcset="../../../images/lead-480w.webp 480w, ../../../images/lead-800w.webp 800w, ../../../images/lead-1200w.webp 1200w""#), "{lead}");
    assert!(
        lead.contains(r#"width="1200" height="2400" alt="一幅彩色漸變圖" fetchpriority="high""#),
        "{lead}"
    );
    assert!(
        lead.contains("記者在現場。 <span class=\"credit\">圖片來源：本報記者</span>"),
        "{lead}"
    );
    // Body photos: lazy, a titled one alone in its paragraph a figure.
    assert!(page.contains(r#"alt="街頭的漸變" loading="lazy" decoding="async"></picture><figcaption>漸變之後</figcaption></figure>"#), "{page}");
    assert!(page.contains(r#"alt="小圖" loading="lazy""#), "{page}");
    assert!(
        page.contains(
            r#"<meta property="og:image" content="https://example.org/images/lead-1200w.jpg">"#
        ),
        "{page}"
    );
    assert!(
        page.contains(r#"<meta property="og:image:width" content="1200">"#),
        "{page}"
    );
    assert!(
        page.contains(r#""image":["https://example.org/images/lead-1200w.jpg"]"#),
        "JSON-LD"
    );
    // Simplified: alt text, caption and credit converted.
    let hans = std::fs::read_to_string(output.join("zh-hans/articles/photo-story/index.html"))
        .expect("page");
    assert!(
        hans.contains(r#"alt="一幅彩色渐变图""#)
            && hans.contains("记者在现场。")
            && hans.contains("图片来源：本报记者"),
        "{hans}"
    );
    assert!(
        hans.contains(r#"alt="街头的渐变""#) && hans.contains("<figcaption>渐变之后</figcaption>"),
        "{hans}"
    );

    // A rebuild processes nothing: the cache holds each photo once.
    let cached = |root: &Path| {
        std::fs::read_dir(root.join(".jianfan-cache/photos"))
            .expect("cache")
            .count()
    };
    let before = cached(root);
    std::fs::remove_dir_all(&output).expect("rm");
    build_site(root, &output).expect("rebuilds");
    assert_eq!(cached(root), before);

    // A photo replaced under the same name, after the last build's stamps
    // have settled, is read and processed again: its sizes are the new
    // photo's.
    std::thread::sleep(std::time::Duration::from_millis(2100));
    std::fs::write(root.join("static/images/body.jpg"), plain_jpeg(600, 300)).expect("photo");
    build_site(root, &output).expect("builds");
    let bytes = std::fs::read(output.join("images/body-600w.webp")).expect("new size");
    assert_eq!(size_and_orientation(&bytes), ((600, 300), false));
    assert!(
        !output.join("images/body-1200w.jpg").exists(),
        "old sizes gone"
    );
    let page = std::fs::read_to_string(output.join("zh-hant/articles/photo-story/index.html"))
        .expect("page");
    assert!(
        page.contains(r#"width="600" height="300" alt="小圖""#),
        "{page}"
    );
}

#[test]
fn bad_images_are_errors_at_the_lines_that_show_them() {
    let site = fixture("basic");
    let root = site.path();
    std::fs::create_dir_all(root.join("static/images")).expect("mkdir");
    std::fs::write(root.join("static/images/text.jpg"), "not a photo").expect("write");
    let mut truncated = camera_photo();
    truncated.truncate(truncated.len() / 3);
    std::fs::write(root.join("static/images/cut.jpg"), truncated).expect("write");
    // A 30,000 × 30,000 PNG: a few kilobytes on disk, 3.6 GB decoded.
    let mut bomb = Vec::new();
    {
        let mut encoder = png::Encoder::new(&mut bomb, 30_000, 30_000);
        encoder.set_color(png::ColorType::Grayscale);
        let mut writer = encoder.write_header().expect("header");
        let mut stream = writer.stream_writer().expect("stream");
        let row = vec![0u8; 30_001];
        for _ in 0..100 {
            std::io::Write::write_all(&mut stream, &row).expect("row");
        }
        drop(stream);
    }
    std::fs::write(root.join("static/images/bomb.png"), &bomb).expect("write");
    // A phone's HEIC photo no article shows: refused, not published with
    // its GPS.
    let heic = b"\0\0\0\x18ftypheic\0\0\0\0mif1heic";
    std::fs::write(root.join("static/images/phone.heic"), heic).expect("write");
    article(
        root,
        "bad-photos",
        "image: images/text.jpg\n",
        "![甲](/images/cut.jpg)\n\n![乙](/images/bomb.png)\n",
    );
    let error = build_site(root, &root.join("public")).expect_err("bad photos fail");
    let report = format!("{error:#}");
    for expected in [
        "content/bad-photos.md:5:8: photo `/images/text.jpg`: jianfan reads JPEG, PNG, WebP and GIF \
         photos, and this file is none of them",
        "static/images/phone.heic: jianfan reads JPEG, PNG, WebP and GIF photos",
        "content/bad-photos.md:8:1: photo `/images/cut.jpg`: the image cannot be read: the file ends",
        "content/bad-photos.md:10:1: photo `/images/bomb.png`: the image is 30000 × 30000 pixels \
         (900 megapixels); a photo may have at most 64 megapixels",
    ] {
        assert!(report.contains(expected), "missing {expected:?} in:\n{report}");
    }
    assert!(
        report.contains("4 errors found"),
        "only the photos' errors: {report}"
    );
    assert!(!root.join("public").exists(), "nothing written");
}
