//! What a Markdown source holds, before anything is converted: its
//! events for the renderer ([`parse`], by the markdown-cjk-friendly
//! specification, through comrak), where its code is (text there is never
//! converted and `-{…}-` there is not markup), its links and images, and
//! bold that stays asterisks. The scans by byte offset use pulldown-cmark
//! with [`options`], the same extensions; code spans, links and images bind
//! before emphasis in both, so a range found here is a range the renderer
//! sees.

use pulldown_cmark::{
    Alignment, CodeBlockKind, CowStr, Event, HeadingLevel, LinkType, Options, Parser, Tag, TagEnd,
};

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
            // `<a@b.org>`: an e-mail address, whatever its text looks like.
            Event::Start(Tag::Link {
                link_type: LinkType::Email,
                ..
            }) => None,
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

/// The parse options: CommonMark with GitHub's tables, footnotes and
/// strikethrough, heading attributes (`{#id}`), and emphasis by the
/// markdown-cjk-friendly specification
/// (<https://github.com/tats-u/markdown-cjk-friendly>). CommonMark opens or
/// closes `**` beside punctuation such as 。 or 「 only when a space or more
/// punctuation is on its other side, which Chinese text never has, so
/// `**重點。**接著` would keep its asterisks; the specification lets CJK text
/// stand where CommonMark wants a space. pulldown-cmark has merged it but
/// not released it (0.13.6 lacks it), so comrak parses.
fn comrak_options() -> comrak::Options<'static> {
    let mut options = comrak::Options::default();
    options.extension.table = true;
    options.extension.footnotes = true;
    options.extension.strikethrough = true;
    options.extension.header_attributes = true;
    options.extension.cjk_friendly_emphasis = true;
    // Raw HTML is parsed as HTML; whether a page keeps it is the
    // renderer's decision (`Document::parse_with`).
    options.render.r#unsafe = true;
    options
}

/// `source` parsed by the specification ([`comrak_options`]), as the
/// pulldown-cmark events the rest of the pipeline renders. The events own
/// their text.
pub fn parse(source: &str) -> Vec<Event<'static>> {
    use comrak::arena_tree::NodeEdge;
    let arena = comrak::Arena::new();
    let root = comrak::parse_document(&arena, source, &comrak_options());
    let mut events = Vec::new();
    // Edge by edge rather than by recursion: nesting as deep as the input
    // (a thousand `>`) must not exhaust the stack.
    for edge in root.traverse() {
        match edge {
            NodeEdge::Start(node) => match container(node) {
                Ok(tag) => events.extend(tag.map(Event::Start)),
                Err(leaf) => events.extend(leaf),
            },
            NodeEdge::End(node) => {
                if let Ok(Some(tag)) = container(node) {
                    events.push(Event::End(tag.to_end()));
                }
            }
        }
    }
    events
}

/// The tag a node opens and closes around its children (`Ok`, none for the
/// document and a tight list's paragraphs), or a leaf's events (`Err`).
fn container(node: comrak::Node<'_>) -> Result<Option<Tag<'static>>, Vec<Event<'static>>> {
    use comrak::nodes::{ListType, NodeValue, TableAlignment};
    let owned = |text: &str| CowStr::from(text.to_string());
    let data = node.data();
    let tag = match &data.value {
        NodeValue::Text(text) => return Err(vec![Event::Text(owned(text))]),
        NodeValue::Code(code) => return Err(vec![Event::Code(owned(&code.literal))]),
        NodeValue::HtmlInline(html) => return Err(vec![Event::InlineHtml(owned(html))]),
        NodeValue::SoftBreak => return Err(vec![Event::SoftBreak]),
        NodeValue::LineBreak => return Err(vec![Event::HardBreak]),
        NodeValue::ThematicBreak => return Err(vec![Event::Rule]),
        NodeValue::FootnoteReference(reference) => {
            return Err(vec![Event::FootnoteReference(owned(&reference.name))])
        }
        NodeValue::HtmlBlock(html) => {
            return Err(vec![
                Event::Start(Tag::HtmlBlock),
                Event::Html(owned(&html.literal)),
                Event::End(TagEnd::HtmlBlock),
            ])
        }
        NodeValue::CodeBlock(code) => {
            let kind = if code.fenced {
                CodeBlockKind::Fenced(owned(&code.info))
            } else {
                CodeBlockKind::Indented
            };
            let mut events = vec![Event::Start(Tag::CodeBlock(kind))];
            if !code.literal.is_empty() {
                events.push(Event::Text(owned(&code.literal)));
            }
            events.push(Event::End(TagEnd::CodeBlock));
            return Err(events);
        }
        NodeValue::Paragraph if in_tight_list(node) => None,
        NodeValue::Paragraph => Some(Tag::Paragraph),
        NodeValue::Heading(heading) => {
            let attrs = data.attrs.as_deref();
            Some(Tag::Heading {
                level: HeadingLevel::try_from(usize::from(heading.level))
                    .unwrap_or(HeadingLevel::H6),
                id: attrs.and_then(|a| a.id.as_deref()).map(owned),
                classes: attrs
                    .map_or_else(Vec::new, |a| a.classes.iter().map(|c| owned(c)).collect()),
                attrs: attrs.map_or_else(Vec::new, |a| {
                    (a.pairs.iter())
                        .map(|(k, v)| (owned(k), Some(owned(v))))
                        .collect()
                }),
            })
        }
        NodeValue::BlockQuote => Some(Tag::BlockQuote(None)),
        NodeValue::List(list) => Some(Tag::List(
            (list.list_type == ListType::Ordered).then_some(list.start as u64),
        )),
        NodeValue::Item(_) => Some(Tag::Item),
        NodeValue::FootnoteDefinition(definition) => {
            Some(Tag::FootnoteDefinition(owned(&definition.name)))
        }
        NodeValue::Table(table) => Some(Tag::Table(
            (table.alignments.iter())
                .map(|a| match a {
                    TableAlignment::None => Alignment::None,
                    TableAlignment::Left => Alignment::Left,
                    TableAlignment::Center => Alignment::Center,
                    TableAlignment::Right => Alignment::Right,
                })
                .collect(),
        )),
        NodeValue::TableRow(true) => Some(Tag::TableHead),
        NodeValue::TableRow(false) => Some(Tag::TableRow),
        NodeValue::TableCell => Some(Tag::TableCell),
        NodeValue::Emph => Some(Tag::Emphasis),
        NodeValue::Strong => Some(Tag::Strong),
        NodeValue::Strikethrough => Some(Tag::Strikethrough),
        NodeValue::Link(link) | NodeValue::Image(link) => {
            let (dest_url, title, id) = (owned(&link.url), owned(&link.title), owned(""));
            let link_type = LinkType::Inline;
            Some(if matches!(data.value, NodeValue::Link(_)) {
                Tag::Link {
                    link_type,
                    dest_url,
                    title,
                    id,
                }
            } else {
                Tag::Image {
                    link_type,
                    dest_url,
                    title,
                    id,
                }
            })
        }
        // The document, and what the options above never produce.
        _ => None,
    };
    Ok(tag)
}

/// Whether `paragraph` is an item's in a tight list, which renders without
/// `<p>`, as CommonMark says.
fn in_tight_list(paragraph: comrak::Node<'_>) -> bool {
    use comrak::nodes::NodeValue;
    let item = paragraph
        .parent()
        .filter(|p| matches!(p.data().value, NodeValue::Item(_)));
    let list = item.and_then(|item| item.parent());
    list.is_some_and(|list| matches!(&list.data().value, NodeValue::List(l) if l.tight))
}

/// Byte offsets in `source` of each `**` that stays two literal asterisks
/// for readers: one that opens or closes nothing by the specification, less
/// those with a space on both sides, which are no bold syntax (`a ** b`).
/// Code is not looked at, nor escaped asterisks.
pub fn literal_bold(source: &str) -> Vec<usize> {
    use comrak::nodes::NodeValue;
    let arena = comrak::Arena::new();
    let root = comrak::parse_document(&arena, source, &comrak_options());
    let line_starts: Vec<usize> = std::iter::once(0)
        .chain(source.match_indices('\n').map(|(at, _)| at + 1))
        .collect();
    let offset = |line: usize, column: usize| {
        line_starts
            .get(line.saturating_sub(1))
            .map(|start| (start + column.saturating_sub(1)).min(source.len()))
    };
    let mut found = Vec::new();
    for node in root.descendants() {
        let data = node.data();
        let NodeValue::Text(text) = &data.value else {
            continue;
        };
        if !text.contains("**") {
            continue;
        }
        let span = data.sourcepos;
        let (Some(from), Some(to)) = (
            offset(span.start.line, span.start.column),
            offset(span.end.line, span.end.column + 1),
        ) else {
            continue;
        };
        let Some(written) = source.get(from..to) else {
            continue;
        };
        for (at, _) in written.match_indices("**") {
            let at = from + at;
            let escaped = source[..at].ends_with('\\');
            let before = source[..at].chars().next_back();
            let after = source[at + 2..].chars().next();
            let spaced = |c: Option<char>| c.is_none_or(char::is_whitespace);
            let bare = spaced(before) && spaced(after);
            if !(escaped || bare || found.contains(&at)) {
                found.push(at);
            }
        }
    }
    found.sort_unstable();
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
