//! What a Markdown source holds, before anything is converted: where its
//! code is (text there is never converted and `-{…}-` there is not
//! markup), its links and images, and bold that CommonMark leaves as
//! asterisks. Every parse here uses [`options`], the extensions the build
//! renders with, so a range found here is a range the renderer sees.

use pulldown_cmark::{Event, Options, Parser, Tag};

/// The Markdown extensions jianfan enables.
pub fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_HEADING_ATTRIBUTES
}

/// What a link or image address in an article points at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target<'a> {
    /// Another site, an e-mail address, a phone number: left alone.
    External,
    /// A fragment of the same page (`#h-1`).
    Fragment,
    /// An article, by slug: `@/slug.md`, `other.md`, `../other.md`.
    Article {
        /// The article's slug.
        slug: &'a str,
        /// `#…`, or empty.
        fragment: &'a str,
    },
    /// A path from the site root: `/images/a.jpg`, `/zh-hant/topics/ai/`.
    Root(&'a str),
    /// A path relative to the article page: `../cityu-us-patents/`.
    Relative(&'a str),
}

/// Classifies a link or image address.
pub fn target(dest: &str) -> Target<'_> {
    let has_scheme = dest.split_once(':').is_some_and(|(scheme, _)| {
        !scheme.is_empty()
            && scheme
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"+-.".contains(&b))
    });
    if has_scheme || dest.starts_with("//") {
        return Target::External;
    }
    if dest.is_empty() || dest.starts_with('#') {
        return Target::Fragment;
    }
    let (path, fragment) = match dest.find('#') {
        Some(at) => dest.split_at(at),
        None => (dest, ""),
    };
    if let Some(md) = path.strip_suffix(".md") {
        let slug = md.rsplit('/').next().unwrap_or(md);
        // A hand-edited variant's file links to the same article.
        let slug = slug.split('.').next().unwrap_or(slug);
        return Target::Article { slug, fragment };
    }
    match dest.strip_prefix('/') {
        Some(rest) => Target::Root(rest),
        None => Target::Relative(dest),
    }
}

/// Every link and image address in `source`, with its byte offset.
pub fn link_targets(source: &str) -> Vec<(usize, bool, String)> {
    Parser::new_ext(source, options())
        .into_offset_iter()
        .filter_map(|(event, range)| match event {
            Event::Start(Tag::Link { dest_url, .. }) => {
                Some((range.start, false, dest_url.to_string()))
            }
            Event::Start(Tag::Image { dest_url, .. }) => {
                Some((range.start, true, dest_url.to_string()))
            }
            _ => None,
        })
        .collect()
}

/// Byte ranges of `source` that are code or raw HTML: text there is never
/// converted, and conversion markup there is left as written.
pub fn code_ranges(source: &str) -> Vec<std::ops::Range<usize>> {
    let mut ranges = Vec::new();
    for (event, range) in Parser::new_ext(source, options()).into_offset_iter() {
        match event {
            Event::Start(Tag::CodeBlock(_) | Tag::HtmlBlock)
            | Event::Code(_)
            | Event::Html(_)
            | Event::InlineHtml(_) => ranges.push(range),
            _ => {}
        }
    }
    ranges
}

/// Byte offsets in `source` of each `**` that CommonMark leaves as two
/// literal asterisks. A `**` beside punctuation such as 。 or 「
/// opens or closes bold only when a space or more punctuation is on its
/// other side, which Chinese text never has: `**重點。**接著` and
/// `文字**「引號」**` show their asterisks to readers. (pulldown-cmark has no
/// CJK-friendly emphasis option in a release yet.) Code is not looked at.
pub fn literal_bold(source: &str) -> Vec<usize> {
    // An unmatched delimiter arrives as a text run of one `*` of its own;
    // an escaped `\*` as one that starts after its backslash. Two
    // delimiters side by side are a `**` that stayed text.
    let mut found = Vec::new();
    let mut previous: Option<usize> = None;
    for (event, range) in Parser::new_ext(source, options()).into_offset_iter() {
        let delimiter = matches!(event, Event::Text(_)) && &source[range.clone()] == "*";
        if let Some(first) = previous.filter(|&p| delimiter && p + 1 == range.start) {
            found.push(first);
            previous = None;
        } else {
            previous = delimiter.then_some(range.start);
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn code_and_html_ranges_are_found() {
        let source = "甲`乙`丙\n\n```\n丁\n```\n\n<b>戊</b>\n";
        let ranges: Vec<&str> = code_ranges(source)
            .into_iter()
            .map(|r| &source[r])
            .collect();
        assert_eq!(ranges, ["`乙`", "```\n丁\n```", "<b>", "</b>"]);
    }

    #[test]
    fn addresses_are_classified() {
        assert_eq!(target("https://x.org/a.md"), Target::External);
        assert_eq!(target("mailto:a@b.c"), Target::External);
        assert_eq!(target("#h-1"), Target::Fragment);
        assert_eq!(
            target("@/cityu-us-patents.md#h-1"),
            Target::Article {
                slug: "cityu-us-patents",
                fragment: "#h-1"
            }
        );
        assert_eq!(
            target("../sub/other.zh-hans.md"),
            Target::Article {
                slug: "other",
                fragment: ""
            }
        );
        assert_eq!(target("/images/a.jpg"), Target::Root("images/a.jpg"));
        assert_eq!(target("../x/"), Target::Relative("../x/"));
    }

    #[test]
    fn bold_that_stays_asterisks_is_found() {
        let source = "**重點。**接著說。\n\n文字**「引號」**之後。\n\n**重點**。與 「**引號**」\n\n`**code**` \\*\\*escaped\\*\\*\n\n```\n**block**\n```\n";
        let found = literal_bold(source);
        let lines: Vec<usize> = found
            .iter()
            .map(|&at| source[..at].matches('\n').count() + 1)
            .collect();
        // Both ends of each, and nothing from matched bold, code or escapes.
        assert_eq!(lines, vec![1, 1, 3, 3], "{found:?}");
        assert!(source[found[0]..].starts_with("**重點"));
        assert!(source[found[1]..].starts_with("**接著"));
        assert!(source[found[2]..].starts_with("**「引號"));
    }
}
