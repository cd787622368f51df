//! What a Markdown source holds, before anything is converted: where its
//! code is (text there is never converted and `-{…}-` there is not
//! markup), its links and images, and bold that CommonMark leaves as
//! asterisks. Every parse here uses [`options`], the extensions the build
//! renders with, so a range found here is a range the renderer sees.

use std::ops::Range;

use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};

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

/// Byte offsets in `source` of each `**` that stays two literal asterisks
/// for readers, even after [`cjk_strong`]: one with a space on its inner
/// side, or with no CJK text or punctuation beside either end. Code is not
/// looked at.
pub fn literal_bold(source: &str) -> Vec<usize> {
    let events: Vec<(Event<'_>, Range<usize>)> = Parser::new_ext(source, options())
        .into_offset_iter()
        .collect();
    cjk_strong(source, events).1
}

/// Bold beside Chinese punctuation, as readers mean it. CommonMark opens or
/// closes `**` beside punctuation such as 。 or 「 only when a space or more
/// punctuation is on its other side, which Chinese text never has, so
/// `**重點。**接著` and `文字**「引號」**之後` keep their asterisks
/// (pulldown-cmark has no option for it in a release; comrak's
/// `cjk_friendly_emphasis` and markdig follow the markdown-cjk-friendly
/// proposal). Here each `**` CommonMark left as text (two `*` text events
/// side by side) opens bold when text follows it, and the next one in the
/// same block, at the same nesting, with text before it closes it, where
/// a CJK character or punctuation mark stands beside either of the two.
/// Returns the events with those pairs turned into `Strong`, and the
/// offsets of the `**` still left as text.
pub fn cjk_strong<'a>(
    source: &str,
    mut events: Vec<(Event<'a>, Range<usize>)>,
) -> (Vec<(Event<'a>, Range<usize>)>, Vec<usize>) {
    // Each literal `**`: its first event's index, and the tag it stands in
    // (the index of that tag's start), since bold opens and closes within
    // one paragraph, heading, link or emphasis.
    let single = |(event, range): &(Event<'_>, Range<usize>)| {
        matches!(event, Event::Text(_)) && source.get(range.clone()) == Some("*")
    };
    let mut tokens: Vec<(usize, usize)> = Vec::new();
    let mut open_tags: Vec<usize> = Vec::new();
    let mut i = 0;
    while i < events.len() {
        match &events[i].0 {
            Event::Start(_) => open_tags.push(i),
            Event::End(_) => {
                open_tags.pop();
            }
            _ => {}
        }
        let next = events.get(i + 1);
        if single(&events[i]) && next.is_some_and(|n| single(n) && n.1.start == events[i].1.end) {
            tokens.push((i, open_tags.last().copied().unwrap_or(usize::MAX)));
            i += 2;
        } else {
            i += 1;
        }
    }
    let offset = |index: usize| events[index].1.start;
    let before = |at: usize| source[..at].chars().next_back();
    let after = |at: usize| source[at + 2..].chars().next();
    let spaced = |c: Option<char>| c.is_none_or(char::is_whitespace);
    // As CommonMark matches delimiters: a closer takes the nearest opener.
    let mut openers: Vec<(usize, usize)> = Vec::new();
    let mut pairs = Vec::new();
    let mut literal = Vec::new();
    for (index, tag) in tokens {
        let at = offset(index);
        let nearest = openers.iter().rposition(|&(_, t)| t == tag);
        if let Some(position) = nearest.filter(|_| !spaced(before(at))) {
            let from = offset(openers[position].0);
            let beside = [before(from), after(from), before(at), after(at)];
            if beside.into_iter().flatten().any(crate::text::is_cjk) {
                literal.extend(openers[position + 1..].iter().map(|&(o, _)| offset(o)));
                pairs.push((openers[position].0, index));
                openers.truncate(position);
                continue;
            }
        }
        if spaced(after(at)) {
            literal.push(at);
        } else {
            openers.push((index, tag));
        }
    }
    literal.extend(openers.iter().map(|&(o, _)| offset(o)));
    literal.sort_unstable();
    // Each pair's two `*` events become one tag; the second is dropped.
    let mut dropped = vec![false; events.len()];
    for (opener, closer) in pairs {
        let start = events[opener].1.start..events[opener + 1].1.end;
        let end = events[closer].1.start..events[closer + 1].1.end;
        events[opener] = (Event::Start(Tag::Strong), start);
        events[closer] = (Event::End(TagEnd::Strong), end);
        dropped[opener + 1] = true;
        dropped[closer + 1] = true;
    }
    let mut kept = dropped.iter();
    events.retain(|_| !kept.next().copied().unwrap_or(false));
    (events, literal)
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
        let source =
            "**重點。**接著說。\n\n文字**「引號」**之後。\n\n**重點**。與 「**引號**」\n\n\
                      `**code**` \\*\\*escaped\\*\\*\n\n```\n**block**\n```\n\n\
                      a ** b ** c\n\n**Done.**next\n\n**只開\n\n不關**\n";
        let found = literal_bold(source);
        let lines: Vec<usize> = found
            .iter()
            .map(|&at| source[..at].matches('\n').count() + 1)
            .collect();
        // Bold beside Chinese punctuation renders (lines 1 and 3); matched
        // bold, code and escapes are not looked at, nor are asterisks with
        // spaces on both sides, which are no bold syntax (line 13). Left as
        // asterisks: a pair with no CJK beside it, and a pair split across
        // two paragraphs.
        assert_eq!(lines, vec![15, 15, 17, 19], "{found:?}");
        assert!(source[found[0]..].starts_with("**Done"));
        assert!(source[found[2]..].starts_with("**只開"));
    }
}
