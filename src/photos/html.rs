//! A processed photo as HTML: `<picture>` with a WebP `srcset` and one in
//! the photo's own format, `sizes` from site.yaml, the intrinsic `width`
//! and `height` (so the text never jumps when it arrives), and the loading
//! hints: the lead photo eager and first in line, every other lazy.

use crate::source::photo::{Photo, Variant};
use crate::text::escape_html as escape;

/// How a photo is loaded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Loading {
    /// The lead photo, the largest thing on the first screen: fetched first.
    Lead,
    /// Below the lead: fetched when the reader scrolls near it.
    Lazy,
}

/// `srcset`'s value for `variants`, each address made by `url` from its
/// output path.
pub fn srcset(variants: &[Variant], url: &dyn Fn(&str) -> String) -> String {
    let each = variants
        .iter()
        .map(|v| format!("{} {}w", url(&v.file), v.width));
    each.collect::<Vec<_>>().join(", ")
}

/// The markup of `photo` with alternative text `alt` (already escaped for
/// HTML is not assumed: it is escaped here) and an optional `title`.
pub fn picture(
    photo: &Photo,
    url: &dyn Fn(&str) -> String,
    alt: &str,
    title: Option<&str>,
    sizes: &str,
    loading: Loading,
) -> String {
    let largest = photo.fallback.last().unwrap_or(&photo.share);
    let hints = match loading {
        Loading::Lead => r#" fetchpriority="high" decoding="async""#,
        Loading::Lazy => r#" loading="lazy" decoding="async""#,
    };
    let title = title
        .filter(|t| !t.is_empty())
        .map(|t| format!(r#" title="{}""#, escape(t)))
        .unwrap_or_default();
    let img = format!(
        r#"<img src="{src}" srcset="{srcset}" sizes="{sizes}" width="{w}" height="{h}" alt="{alt}"{title}{hints}>"#,
        src = escape(&url(&largest.file)),
        srcset = escape(&srcset(&photo.fallback, url)),
        sizes = escape(sizes),
        w = photo.width,
        h = photo.height,
        alt = escape(alt),
    );
    if photo.webp_only() {
        return img;
    }
    format!(
        r#"<picture><source type="image/webp" srcset="{}" sizes="{}">{img}</picture>"#,
        escape(&srcset(&photo.webp, url)),
        escape(sizes)
    )
}
