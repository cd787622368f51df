//! `build --minify`: smaller HTML, CSS and JavaScript, via `minify-html`,
//! with the cargo feature `minify` (the release binaries have it). Without
//! it, [`available`] says so and `build` refuses `--minify` before anything
//! is read; the functions below then return their input.
//!
//! Only options that keep the output valid HTML are used (closing tags and
//! the html/head tags stay, attribute values keep their quotes where the
//! specification wants them), so minified pages still pass a validator.

#[cfg(feature = "minify")]
use minify_html::{minify, Cfg};

/// Whether this binary can minify (the cargo feature `minify`).
pub const fn available() -> bool {
    cfg!(feature = "minify")
}

/// Without the feature, nothing to minify with: `build` refuses the flag
/// first, so this only keeps the callers one shape.
#[cfg(not(feature = "minify"))]
fn minify(input: &[u8], _: &()) -> Vec<u8> {
    input.to_vec()
}

#[cfg(not(feature = "minify"))]
fn config() {}

#[cfg(feature = "minify")]
fn config() -> Cfg {
    Cfg {
        minify_css: true,
        minify_js: true,
        keep_closing_tags: true,
        keep_html_and_head_opening_tags: true,
        ..Cfg::new()
    }
}

/// A minified HTML page.
pub fn html(page: &[u8]) -> Vec<u8> {
    minify(page, &config())
}

/// A minified stylesheet or script from static/, or `None` for other files.
///
/// `minify-html` minifies CSS and JavaScript inside `<style>` and `<script>`;
/// a standalone file is handed to it in such an element and taken back out,
/// so one minifier serves every kind of file.
pub fn static_file(name: &str, bytes: &[u8]) -> Option<Vec<u8>> {
    let (open, close): (&[u8], &[u8]) = if name.ends_with(".css") {
        (b"<style>", b"</style>")
    } else if name.ends_with(".js") && !name.ends_with(".min.js") {
        (b"<script>", b"</script>")
    } else {
        return None;
    };
    let wrapped = [open, bytes, close].concat();
    let out = minify(&wrapped, &config());
    out.strip_prefix(open)
        .and_then(|o| o.strip_suffix(close))
        .map(<[u8]>::to_vec)
}

#[cfg(all(test, feature = "minify"))]
mod tests {
    use super::*;

    #[test]
    fn pages_shrink_and_keep_their_text() {
        let page = "<!DOCTYPE html>\n<html lang=\"zh-Hans\">\n<head>\n  <title>数码港</title>\n</head>\n<body>\n  <p>  数码港  </p>\n</body>\n</html>\n".as_bytes();
        let out = String::from_utf8(html(page)).expect("utf-8");
        assert!(out.len() < page.len(), "{out}");
        assert!(
            out.contains("<title>数码港</title>") && out.contains("</p>"),
            "{out}"
        );
    }

    /// minify-html 0.16's JavaScript minifier (minify-js 0.6) panicked on
    /// an `if … else` inside a function (wilsonzlin/minify-js#31), which
    /// the "more" button's script and many templates' scripts have.
    #[test]
    fn scripts_with_if_else_in_a_function_minify() {
        let page = b"<script>\nfunction toggle(open) {\n  if (open) {\n    show();\n  } else {\n    hide();\n  }\n}\n</script>";
        let out = String::from_utf8(html(page)).expect("utf-8");
        assert!(out.len() < page.len(), "{out}");
        assert!(out.contains("show()") && out.contains("hide()"), "{out}");
    }

    #[test]
    fn stylesheets_shrink() {
        let css = b"body {\n  color : #ff0000 ;\n}\n/* note */\n";
        let out = String::from_utf8(static_file("a.css", css).expect("css")).expect("utf-8");
        assert_eq!(out, "body{color:red}");
        assert_eq!(static_file("a.svg", b"<svg/>"), None);
    }
}
