//! Markdown to HTML, converting reader-visible text and nothing else.
//!
//! A [`Document`] is parsed once from the source and normalised: runs of text
//! split by soft line breaks are joined into one text event (a break between
//! two CJK characters becomes nothing), and every heading gets a stable id.
//! [`Document::to_html`] then renders it once per variant, passing each text
//! event through the variant's converter. Joining first matters: a phrase
//! that an editor's hard wrap cut in two still converts as a phrase.
//!
//! Code spans, code blocks, raw HTML, URLs and attributes are never converted.
//! Link and image titles are, since readers see them.

use std::collections::HashSet;

use pulldown_cmark::{CowStr, Event, Parser, Tag, TagEnd};

use crate::layout::article_path;
use crate::photos::html::Loading;
use crate::source::markdown::{options, target, Target};
use crate::source::photo::Photo;
use crate::text;

/// Where an article page must link for `dest`: articles and root paths are
/// rewritten relative to the page (`<prefix>/articles/<slug>/`), so links
/// stay in the reader's script and work under any base path.
fn article_page_url(dest: &str) -> Option<String> {
    match target(dest) {
        // A sibling folder; the root as many folders up as a page is deep.
        Target::Article { slug, fragment } => Some(format!("../{slug}/{fragment}")),
        Target::Root(rest) => {
            let depth = article_path("prefix", "slug").matches('/').count();
            Some(format!("{}{rest}", "../".repeat(depth)))
        }
        _ => None,
    }
}

/// `source` with the text of every text run (outside code and raw HTML)
/// passed through `localize`, and everything else — syntax, URLs, code,
/// line breaks — kept byte for byte. For writing a variant as Markdown.
pub fn localize_source(source: &str, localize: &dyn Fn(&str) -> String) -> String {
    let mut out = String::with_capacity(source.len());
    let mut copied = 0;
    let mut in_code_block = false;
    for (event, range) in Parser::new_ext(source, options()).into_offset_iter() {
        match event {
            Event::Start(Tag::CodeBlock(_)) => in_code_block = true,
            Event::End(TagEnd::CodeBlock) => in_code_block = false,
            Event::Text(_) if !in_code_block && range.start >= copied => {
                out.push_str(&source[copied..range.start]);
                out.push_str(&localize(&source[range.clone()]));
                copied = range.end;
            }
            _ => {}
        }
    }
    out.push_str(&source[copied..]);
    out
}

/// A parsed, normalised Markdown body, ready to render in any variant.
#[derive(Debug, Clone)]
pub struct Document<'a> {
    events: Vec<Event<'a>>,
}

impl<'a> Document<'a> {
    /// Parses and normalises `source`.
    pub fn parse(source: &'a str) -> Document<'a> {
        Document::parse_with(source, false)
    }

    /// Parses `source`; raw HTML is kept as HTML only when `unsafe_html`.
    ///
    /// Otherwise raw HTML shows as text, and links and images whose address
    /// runs script or embeds data (`javascript:`, `vbscript:`, `data:`) are
    /// dropped, keeping their text: content from anywhere cannot reach a
    /// page as live markup.
    pub fn parse_with(source: &'a str, unsafe_html: bool) -> Document<'a> {
        let raw = crate::source::markdown::parse(source);
        let raw = if unsafe_html { raw } else { sanitize(raw) };
        let mut events = join_text(raw);
        assign_heading_ids(&mut events);
        Document { events }
    }

    /// The plain text of the first paragraph, for a summary.
    pub fn first_paragraph(&self) -> Option<String> {
        let start = self
            .events
            .iter()
            .position(|e| matches!(e, Event::Start(Tag::Paragraph)))?;
        let mut text = String::new();
        for event in &self.events[start + 1..] {
            match event {
                Event::End(TagEnd::Paragraph) => break,
                Event::Text(t) | Event::Code(t) => text.push_str(t),
                Event::HardBreak => text.push(' '),
                _ => {}
            }
        }
        Some(text).filter(|t| !t.trim().is_empty())
    }

    /// The plain text of each paragraph, heading and table cell, in order:
    /// the units an editor proofreads.
    pub fn blocks(&self) -> Vec<String> {
        let mut blocks = Vec::new();
        let mut current: Option<String> = None;
        for event in &self.events {
            match event {
                Event::Start(Tag::Paragraph | Tag::Heading { .. } | Tag::TableCell) => {
                    current = Some(String::new());
                }
                Event::End(TagEnd::Paragraph | TagEnd::Heading(_) | TagEnd::TableCell) => {
                    blocks.extend(current.take().filter(|b| !b.trim().is_empty()));
                }
                Event::Text(t) | Event::Code(t) => {
                    if let Some(block) = &mut current {
                        block.push_str(t);
                    }
                }
                _ => {}
            }
        }
        blocks
    }

    /// Renders the document as HTML, passing every piece of reader-visible
    /// text (text outside code, link and image titles) through `localize`.
    pub fn to_html(&self, localize: &dyn Fn(&str) -> String) -> String {
        self.to_html_with_photos(localize, &|_| None, "")
    }

    /// [`to_html`](Self::to_html), with each image that `photo` knows (by
    /// its address) laid out as a processed photo ([`crate::photos::html`]):
    /// lazy, with `srcset` and `sizes`. An image alone in its paragraph with
    /// a title becomes a figure, the title its caption.
    pub fn to_html_with_photos<'p>(
        &self,
        localize: &dyn Fn(&str) -> String,
        photo: &dyn Fn(&str) -> Option<&'p Photo>,
        sizes: &str,
    ) -> String {
        let events = with_photos(&self.events, localize, photo, sizes);
        let mut html = String::with_capacity(self.events.len() * 48);
        let mut in_code_block = false;
        let localize_title = |title: &CowStr<'_>| -> CowStr<'static> {
            if title.is_empty() {
                CowStr::Borrowed("")
            } else {
                localize(title).into()
            }
        };
        let converted = events.iter().map(|event| match event {
            Event::Start(Tag::CodeBlock(_)) => {
                in_code_block = true;
                event.clone()
            }
            Event::End(TagEnd::CodeBlock) => {
                in_code_block = false;
                event.clone()
            }
            Event::Text(t) if !in_code_block => Event::Text(localize(t).into()),
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }) => Event::Start(Tag::Link {
                link_type: *link_type,
                dest_url: article_page_url(dest_url).map_or_else(|| dest_url.clone(), Into::into),
                title: localize_title(title),
                id: id.clone(),
            }),
            Event::Start(Tag::Image {
                link_type,
                dest_url,
                title,
                id,
            }) => Event::Start(Tag::Image {
                link_type: *link_type,
                dest_url: article_page_url(dest_url).map_or_else(|| dest_url.clone(), Into::into),
                title: localize_title(title),
                id: id.clone(),
            }),
            _ => event.clone(),
        });
        pulldown_cmark::html::push_html(&mut html, converted);
        html
    }
}

/// `events` with each image `photo` knows replaced by its markup: alone in
/// a paragraph and titled, a `<figure>` in place of the paragraph.
fn with_photos<'e, 'p>(
    events: &[Event<'e>],
    localize: &dyn Fn(&str) -> String,
    photo: &dyn Fn(&str) -> Option<&'p Photo>,
    sizes: &str,
) -> Vec<Event<'e>> {
    let mut out: Vec<Event<'e>> = Vec::with_capacity(events.len());
    let mut index = 0;
    while index < events.len() {
        let found = match &events[index] {
            Event::Start(Tag::Image {
                dest_url, title, ..
            }) => photo(dest_url).map(|p| (p, title.to_string())),
            _ => None,
        };
        let Some((found, title)) = found else {
            out.push(events[index].clone());
            index += 1;
            continue;
        };
        // The alternative text: the image's own text, to its end.
        let (mut alt, mut depth, mut end) = (String::new(), 0, index + 1);
        while end < events.len() {
            match &events[end] {
                Event::Start(Tag::Image { .. }) => depth += 1,
                Event::End(TagEnd::Image) if depth == 0 => break,
                Event::End(TagEnd::Image) => depth -= 1,
                Event::Text(t) | Event::Code(t) => alt.push_str(t),
                _ => {}
            }
            end += 1;
        }
        let url = |file: &str| article_page_url(&format!("/{file}")).unwrap_or_default();
        let caption = (!title.is_empty()).then(|| localize(&title));
        let alone = matches!(out.last(), Some(Event::Start(Tag::Paragraph)))
            && matches!(events.get(end + 1), Some(Event::End(TagEnd::Paragraph)));
        let alt = localize(&alt);
        // Titled and alone in its paragraph: a figure, the title its caption.
        let figure = caption.as_deref().filter(|_| alone);
        let title = if figure.is_some() {
            None
        } else {
            caption.as_deref()
        };
        let picture = crate::photos::html::picture(found, &url, &alt, title, sizes, Loading::Lazy);
        match figure {
            Some(caption) => {
                out.pop();
                let caption = crate::text::escape_html(caption);
                let figure = format!(
                    "<figure class=\"photo\">{picture}<figcaption>{caption}</figcaption></figure>\n"
                );
                out.push(Event::Html(figure.into()));
                index = end + 2;
            }
            None => {
                out.push(Event::InlineHtml(picture.into()));
                index = end + 1;
            }
        }
    }
    out
}

/// Whether a link address would run script or embed data in the page.
pub fn is_unsafe_url(dest: &str) -> bool {
    // Browsers ignore control characters and spaces inside the scheme.
    let scheme: String = dest
        .chars()
        .filter(|c| !c.is_whitespace() && !c.is_control())
        .take_while(|&c| c != ':')
        .collect::<String>()
        .to_ascii_lowercase();
    dest.contains(':') && matches!(scheme.as_str(), "javascript" | "vbscript" | "data")
}

/// Raw HTML to text; unsafe links and images to their text alone.
fn sanitize(raw: Vec<Event<'_>>) -> Vec<Event<'_>> {
    let mut dropped: Vec<bool> = Vec::new();
    let mut events = Vec::with_capacity(raw.len());
    for event in raw {
        match event {
            Event::Html(html) | Event::InlineHtml(html) => events.push(Event::Text(html)),
            Event::Start(Tag::Link { ref dest_url, .. } | Tag::Image { ref dest_url, .. }) => {
                let unsafe_url = is_unsafe_url(dest_url);
                dropped.push(unsafe_url);
                if !unsafe_url {
                    events.push(event);
                }
            }
            Event::End(TagEnd::Link | TagEnd::Image) => {
                if !dropped.pop().unwrap_or(false) {
                    events.push(event);
                }
            }
            other => events.push(other),
        }
    }
    events
}

/// Joins adjacent text and soft breaks into single text events.
fn join_text(raw: Vec<Event<'_>>) -> Vec<Event<'_>> {
    let mut events = Vec::with_capacity(raw.len());
    let mut pending: Option<String> = None;
    let mut last_char: Option<char> = None;
    for (index, event) in raw.iter().enumerate() {
        match event {
            Event::Text(t) => {
                pending.get_or_insert_with(String::new).push_str(t);
                last_char = t.chars().last().or(last_char);
            }
            Event::SoftBreak => {
                let next_char = raw[index + 1..].iter().find_map(|e| match e {
                    Event::Text(t) | Event::Code(t) => Some(t.chars().next()),
                    Event::End(TagEnd::Paragraph | TagEnd::Heading(_) | TagEnd::Item) => Some(None),
                    _ => None,
                });
                let joint = text::soft_break_between(last_char, next_char.flatten());
                pending.get_or_insert_with(String::new).push_str(joint);
            }
            other => {
                if let Some(text) = pending.take() {
                    events.push(Event::Text(text.into()));
                }
                if let Event::Code(code) = other {
                    last_char = code.chars().last().or(last_char);
                }
                events.push(other.clone());
            }
        }
    }
    if let Some(text) = pending {
        events.push(Event::Text(text.into()));
    }
    events
}

/// Gives every heading without an explicit `{#id}` an id that is the same in
/// every variant and every build: an ASCII slug of a Latin-only heading, or a
/// short hash of a Chinese one (an id derived from Chinese text would keep
/// the source script in Simplified pages' URLs).
fn assign_heading_ids(events: &mut [Event<'_>]) {
    let mut taken: HashSet<String> = events
        .iter()
        .filter_map(|e| match e {
            Event::Start(Tag::Heading { id: Some(id), .. }) => Some(id.to_string()),
            _ => None,
        })
        .collect();
    for start in 0..events.len() {
        let Event::Start(Tag::Heading { id: None, .. }) = &events[start] else {
            continue;
        };
        let mut heading = String::new();
        for event in &events[start + 1..] {
            match event {
                Event::End(TagEnd::Heading(_)) => break,
                Event::Text(t) | Event::Code(t) => heading.push_str(t),
                _ => {}
            }
        }
        let base = heading_id(&heading);
        let mut id = base.clone();
        let mut n = 1;
        while !taken.insert(id.clone()) {
            n += 1;
            id = format!("{base}-{n}");
        }
        if let Event::Start(Tag::Heading { id: slot, .. }) = &mut events[start] {
            *slot = Some(CowStr::from(id));
        }
    }
}

fn heading_id(heading: &str) -> String {
    if !heading.chars().any(text::is_cjk) {
        let slug = heading
            .to_lowercase()
            .split(|c: char| !c.is_ascii_alphanumeric())
            .filter(|w| !w.is_empty())
            .collect::<Vec<_>>()
            .join("-");
        if !slug.is_empty() {
            return slug;
        }
    }
    let hash = blake3::hash(heading.trim().as_bytes()).to_hex();
    format!("h-{}", &hash[..8])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::convert::{default_engine, Converter};

    fn hk2s() -> impl Fn(&str) -> String {
        let cc = Converter::new(default_engine().as_ref(), &["hk2s".to_string()]).expect("hk2s");
        move |text: &str| cc.convert(text)
    }

    fn source(markdown: &str) -> String {
        Document::parse(markdown).to_html(&|text: &str| text.to_string())
    }

    #[test]
    fn soft_break_between_cjk_renders_as_nothing() {
        assert_eq!(
            source("香港特區政府財政司司長陳茂\n波表示"),
            "<p>香港特區政府財政司司長陳茂波表示</p>\n"
        );
        assert_eq!(
            source("展示專區Green\nSpace"),
            "<p>展示專區Green Space</p>\n"
        );
    }

    #[test]
    fn phrase_split_by_a_wrap_converts_as_a_phrase() {
        // 乾隆 is a name; split by a wrap it must still not become 干隆.
        let html = Document::parse("清朝乾\n隆皇帝").to_html(&hk2s());
        assert_eq!(html, "<p>清朝乾隆皇帝</p>\n");
    }

    #[test]
    fn bold_beside_chinese_punctuation_renders_as_bold() {
        assert_eq!(
            source("**重點。**接著說。"),
            "<p><strong>重點。</strong>接著說。</p>\n"
        );
        assert_eq!(
            source("文字**「引號」**之後。"),
            "<p>文字<strong>「引號」</strong>之後。</p>\n"
        );
        assert_eq!(
            source("[連結**「甲」**乙](https://x.org/) 與 **丙**。"),
            "<p><a href=\"https://x.org/\">連結<strong>「甲」</strong>乙</a> 與 <strong>丙</strong>。</p>\n",
            "inside a link, beside CommonMark's own bold"
        );
        // The text inside is converted as any other text.
        let html = Document::parse("**數碼港。**發展").to_html(&hk2s());
        assert_eq!(html, "<p><strong>数码港。</strong>发展</p>\n");
        // What CommonMark means stays as it is.
        assert_eq!(source("a ** b ** c"), "<p>a ** b ** c</p>\n");
        assert_eq!(source("`**代碼。**`"), "<p><code>**代碼。**</code></p>\n");
        assert_eq!(source("**只開\n\n不關**"), "<p>**只開</p>\n<p>不關**</p>\n");
    }

    #[test]
    fn code_urls_and_html_stay_as_written() {
        let md = "看[數碼港](https://example.org/數碼港 \"數碼港網頁\")和`數碼港`\n\n\
                  ```\n數碼港\n```\n\n<span title=\"數碼港\">數碼港</span>\n";
        let html = Document::parse_with(md, true).to_html(&hk2s());
        assert!(html.contains("<a href=\"https://example.org/%E6%95%B8%E7%A2%BC%E6%B8%AF\" title=\"数码港网页\">数码港</a>"), "{html}");
        assert!(html.contains("<code>數碼港</code>"), "{html}");
        assert!(html.contains("<pre><code>數碼港\n</code></pre>"), "{html}");
        // Text between inline tags is reader text; the attribute is not.
        assert!(
            html.contains("<span title=\"數碼港\">数码港</span>"),
            "{html}"
        );
    }

    #[test]
    fn image_alt_and_title_are_converted_but_not_src() {
        let html = Document::parse("![數碼港大樓](/圖/數碼港.jpg \"數碼港\")").to_html(&hk2s());
        assert!(html.contains("alt=\"数码港大楼\""), "{html}");
        assert!(html.contains("title=\"数码港\""), "{html}");
        assert!(
            html.contains("src=\"../../../%E5%9C%96/%E6%95%B8%E7%A2%BC%E6%B8%AF.jpg\""),
            "{html}"
        );
    }

    #[test]
    fn tables_footnotes_and_strikethrough_render() {
        let html = source("|甲|乙|\n|-|-|\n|1|2|\n\n~~刪除~~[^1]\n\n[^1]: 註腳\n");
        assert!(html.contains("<table>"), "{html}");
        assert!(html.contains("<del>刪除</del>"), "{html}");
        assert!(html.contains("footnote-definition"), "{html}");
    }

    #[test]
    fn heading_ids_are_stable_ascii_and_unique() {
        let html =
            source("## 積極拓展數碼基建\n\n## Green Space\n\n## Green Space\n\n## 自訂 {#mine}\n");
        let expected = format!(
            "<h2 id=\"{}\">積極拓展數碼基建</h2>",
            heading_id("積極拓展數碼基建")
        );
        assert!(html.contains(&expected), "{html}");
        assert!(html.contains("<h2 id=\"green-space\">"), "{html}");
        assert!(html.contains("<h2 id=\"green-space-2\">"), "{html}");
        assert!(html.contains("<h2 id=\"mine\">"), "{html}");
        let converted = Document::parse("## 積極拓展數碼基建\n").to_html(&hk2s());
        assert!(
            converted.contains(&format!("id=\"{}\"", heading_id("積極拓展數碼基建"))),
            "{converted}"
        );
    }
    #[test]
    fn localized_source_keeps_its_markdown() {
        let source =
            "## 標題\n\n看[數碼港](https://x.org/數碼港)和`數碼港`。\n\n```\n數碼港\n```\n";
        let out = localize_source(source, &hk2s());
        assert_eq!(
            out,
            "## 标题\n\n看[数码港](https://x.org/數碼港)和`數碼港`。\n\n```\n數碼港\n```\n"
        );
    }

    #[test]
    fn blocks_are_paragraphs_headings_and_cells() {
        let doc = Document::parse("## 標題\n\n第一\n段\n\n|甲|\n|-|\n|乙|\n");
        assert_eq!(doc.blocks(), ["標題", "第一段", "甲", "乙"]);
    }
    #[test]
    fn internal_links_and_root_paths_are_rewritten_for_the_page() {
        let html = source(
            "[甲](@/other.md#h-1) [乙](/zh-hant/topics/) ![丙](/images/a.jpg) [丁](https://x.org/)",
        );
        assert!(html.contains("href=\"../other/#h-1\""), "{html}");
        assert!(html.contains("href=\"../../../zh-hant/topics/\""), "{html}");
        assert!(html.contains("src=\"../../../images/a.jpg\""), "{html}");
        assert!(html.contains("href=\"https://x.org/\""), "{html}");
    }
    #[test]
    fn raw_html_shows_as_text_unless_allowed() {
        let md = "<script>alert(1)</script>\n\n段落<img src=x onerror=alert(1)>。\n";
        let html = Document::parse(md).to_html(&|t: &str| t.to_string());
        assert!(
            !html.contains("<script") && !html.contains("<img"),
            "{html}"
        );
        assert!(
            html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"),
            "{html}"
        );
        let allowed = Document::parse_with(md, true).to_html(&|t: &str| t.to_string());
        assert!(allowed.contains("<script>alert(1)</script>"), "{allowed}");
    }

    #[test]
    fn script_and_data_urls_are_dropped_but_their_text_stays() {
        let md = "[按我](javascript:alert(1)) [也按](JaVa\tScRiPt:alert(1)) ![圖](data:image/svg+xml,x) [好](https://x.org/)";
        let html = Document::parse(md).to_html(&|t: &str| t.to_string());
        assert!(
            !html.to_lowercase().contains("javascript") && !html.contains("data:"),
            "{html}"
        );
        assert!(
            html.contains("按我") && html.contains("也按") && html.contains("圖"),
            "{html}"
        );
        assert!(html.contains("<a href=\"https://x.org/\">好</a>"), "{html}");
        assert!(is_unsafe_url(" javascript:x") && !is_unsafe_url("/js/javascript.html"));
    }

    #[test]
    fn first_paragraph_is_plain_text() {
        let doc = Document::parse("## 標題\n\n研發**專利**是\n鞏固`創科`的關鍵。\n\n第二段");
        assert_eq!(
            doc.first_paragraph().as_deref(),
            Some("研發專利是鞏固創科的關鍵。")
        );
    }
}
