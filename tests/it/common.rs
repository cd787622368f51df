//! Helpers shared by the integration tests: fixture sites built into
//! temporary folders, and the ways a test reads pages as a reader would.

#![allow(dead_code, unreachable_pub)]

use std::path::{Component, Path, PathBuf};

use jianfan::commands::build::{build, BuildOptions, BuildSummary};
use scraper::{ElementRef, Html, Node, Selector};

/// The repository root, where the shipped site lives.
pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A copy of `tests/fixtures/<name>` over the shipped templates/ and static/,
/// with `tests/fixtures/default-site.yaml` unless the fixture has its own.
pub fn fixture(name: &str) -> tempfile::TempDir {
    let site = tempfile::tempdir().expect("temp dir");
    copy_tree(&repo().join("templates"), &site.path().join("templates"));
    copy_tree(&repo().join("static"), &site.path().join("static"));
    std::fs::copy(
        repo().join("tests/fixtures/default-site.yaml"),
        site.path().join("site.yaml"),
    )
    .expect("default site.yaml");
    copy_tree(&repo().join("tests/fixtures").join(name), site.path());
    site
}

/// Copies every file under `from` into `to`, keeping relative paths.
pub fn copy_tree(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.expect("readable fixture");
        let target = to.join(entry.path().strip_prefix(from).expect("under from"));
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).expect("mkdir");
        } else {
            std::fs::copy(entry.path(), &target).expect("copy");
        }
    }
}

/// The slugs of the five shipped articles (content/).
pub const SHIPPED_SLUGS: [&str; 5] = [
    "cyberport-ai-ecosystem",
    "greentech-hub-opens",
    "cityu-us-patents",
    "hkust-elastocaloric-cooler",
    "polyu-deepseek-forum",
];

/// Builds the site at `root` into `output` with the default engine.
pub fn build_site(root: &Path, output: &Path) -> anyhow::Result<BuildSummary> {
    let options = BuildOptions::new(root, output);
    build(&options, &jianfan::convert::default_engine())
}

/// Builds a fixture into a fresh output folder; returns (site, output dir).
pub fn built(name: &str) -> (tempfile::TempDir, PathBuf) {
    let site = fixture(name);
    let output = site.path().join("public");
    build_site(site.path(), &output).expect("fixture builds");
    (site, output)
}

/// The HTML of the page at `relative` in `output`.
pub fn page(output: &Path, relative: &str) -> Html {
    let text = std::fs::read_to_string(output.join(relative))
        .unwrap_or_else(|e| panic!("{relative} should exist: {e}"));
    Html::parse_document(&text)
}

/// The text of every element matching `selector`.
pub fn texts(html: &Html, selector: &str) -> Vec<String> {
    let selector = Selector::parse(selector).expect("valid selector");
    html.select(&selector)
        .map(|e| e.text().collect::<String>().trim().to_string())
        .collect()
}

/// The value of `attr` on every element matching `selector`.
pub fn attrs(html: &Html, selector: &str, attr: &str) -> Vec<String> {
    let selector = Selector::parse(selector).expect("valid selector");
    html.select(&selector)
        .filter_map(|e| e.attr(attr).map(str::to_string))
        .collect()
}

/// All the text a reader of the page's own script sees: the body and the
/// title, plus the meta description, leaving out code, scripts, and any
/// element marked with another language (the switcher's labels).
pub fn reader_text(html: &Html) -> String {
    let root = html.root_element();
    let lang = root.attr("lang").unwrap_or_default().to_string();
    let mut text = String::new();
    collect_text(root, &lang, &mut text);
    for description in attrs(html, "meta[name=description]", "content") {
        text.push('\n');
        text.push_str(&description);
    }
    text
}

fn collect_text(element: ElementRef<'_>, lang: &str, out: &mut String) {
    let name = element.value().name();
    if matches!(name, "script" | "style" | "code" | "pre") {
        return;
    }
    if element.attr("lang").is_some_and(|l| l != lang) {
        return;
    }
    for child in element.children() {
        match child.value() {
            Node::Text(t) => out.push_str(t),
            Node::Element(_) => {
                collect_text(ElementRef::wrap(child).expect("an element"), lang, out);
                out.push(' ');
            }
            _ => {}
        }
    }
}

/// Every HTML file under `output`, relative to it, sorted.
pub fn html_files(output: &Path) -> Vec<String> {
    let mut files: Vec<String> = walkdir::WalkDir::new(output)
        .into_iter()
        .map(|e| e.expect("readable output"))
        .filter(|e| e.path().extension().is_some_and(|x| x == "html"))
        .map(|e| {
            e.path()
                .strip_prefix(output)
                .expect("under output")
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    files.sort();
    files
}

/// The output file a link on page `from` (a file relative to the output)
/// leads to, for relative links and for links under `base_path`.
pub fn resolve(from: &str, href: &str, base_path: &str) -> String {
    let href = href.split('#').next().unwrap_or_default();
    let joined = match href.strip_prefix(base_path) {
        Some(rest) if href.starts_with('/') => PathBuf::from(rest),
        _ => Path::new(from).parent().unwrap_or(Path::new("")).join(href),
    };
    let mut parts: Vec<String> = Vec::new();
    for component in joined.components() {
        match component {
            Component::ParentDir => {
                parts.pop().expect("link climbs above the site root");
            }
            Component::Normal(p) => parts.push(p.to_string_lossy().into_owned()),
            _ => {}
        }
    }
    let path = parts.join("/");
    if href.ends_with('/') || path.is_empty() {
        if path.is_empty() {
            "index.html".to_string()
        } else {
            format!("{path}/index.html")
        }
    } else {
        path
    }
}

/// Every file under `dir` with its bytes, sorted: two snapshots are equal
/// exactly when nothing under `dir` changed.
pub fn snapshot(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut files: Vec<(String, Vec<u8>)> = walkdir::WalkDir::new(dir)
        .into_iter()
        .map(|e| e.expect("readable"))
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let name = e
                .path()
                .strip_prefix(dir)
                .expect("under dir")
                .display()
                .to_string();
            (name, std::fs::read(e.path()).expect("readable file"))
        })
        .collect();
    files.sort();
    files
}

/// The inode of `path`: the same file or folder, or one put in its place.
pub fn inode(path: &Path) -> u64 {
    use std::os::unix::fs::MetadataExt;
    std::fs::metadata(path)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
        .ino()
}

/// A `width` × `height` JPEG of colour gradients, without metadata.
pub fn plain_jpeg(width: u32, height: u32) -> Vec<u8> {
    let image = image::RgbImage::from_fn(width, height, |x, y| {
        image::Rgb([(x % 256) as u8, (y % 256) as u8, ((x + y) % 256) as u8])
    });
    let mut jpeg = Vec::new();
    let mut writer = std::io::Cursor::new(&mut jpeg);
    (image::DynamicImage::ImageRgb8(image))
        .write_to(&mut writer, image::ImageFormat::Jpeg)
        .expect("encodes");
    jpeg
}
