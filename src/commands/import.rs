//! `jianfan import`: raw newspaper text to a Markdown draft.
//!
//! Text pasted from a newspaper page, a PDF or a wire service comes
//! hard-wrapped at the column width, with blank lines where columns broke,
//! the dateline or byline run into the text, and photo captions set apart
//! with ●. [`parse`] recognises:
//!
//! * the headline (the first line) and a subtitle (a second short line);
//! * datelines at the start of the text (`香港文匯報訊（記者 高鈺）`,
//!   `本報訊`) and ●-bylines (`●香港文匯報記者 莫楠、黃子龍`);
//! * sub-headings: short lines with no sentence punctuation, after a blank
//!   line that follows the end of a paragraph;
//! * ●-captions that are not bylines;
//! * paragraphs: lines joined until one ends a sentence (。！？：), with no
//!   space between CJK characters and the column-justification spaces
//!   around them removed, while Latin words keep theirs.
//!
//! It reports what it recognised and what it was unsure of.

use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};
use serde::Serialize;

use crate::text;

/// Sub-headings and headline lines are at most this many characters.
const HEADING_MAX: usize = 18;
/// A subtitle is at most this many characters.
const SUBTITLE_MAX: usize = 40;
/// Characters that end a paragraph when a line ends with them.
const PARAGRAPH_ENDS: &[char] = &['。', '！', '？', '：', '…'];
/// Characters that mark a line as running text rather than a heading.
const SENTENCE_MARKS: &[char] = &['。', '，', '；', '！', '？', '、'];

/// What `parse` made of a raw article.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Imported {
    /// Headline, if the text starts with one.
    pub title: Option<String>,
    /// Second headline line.
    pub subtitle: Option<String>,
    /// Byline or dateline, as printed (without ●).
    pub byline: Option<String>,
    /// Photo caption (without ●).
    pub caption: Option<String>,
    /// The Markdown body: paragraphs and `##` sub-headings.
    pub body: String,
    /// What was recognised, for the editor.
    pub recognised: Vec<String>,
    /// What the editor should check.
    pub unsure: Vec<String>,
}

/// Reads raw article text.
pub fn parse(raw: &str) -> Imported {
    let raw = raw
        .strip_prefix('\u{feff}')
        .unwrap_or(raw)
        .replace("\r\n", "\n")
        .replace('\r', "\n");
    let mut lines: Vec<&str> = raw.lines().map(str::trim).collect();
    let mut imported = Imported::default();

    take_captions(&mut lines, &mut imported);

    // Headline and subtitle.
    let mut rest: &[&str] = &lines;
    while rest.first().is_some_and(|l| l.is_empty()) {
        rest = &rest[1..];
    }
    if let Some(first) = rest.first().filter(|l| is_headline(l)) {
        imported.title = Some((*first).to_string());
        imported.recognised.push(format!("headline: {first}"));
        rest = &rest[1..];
        if let Some(second) = rest
            .first()
            .filter(|l| !l.is_empty() && is_headline_sized(l, SUBTITLE_MAX))
        {
            imported.subtitle = Some((*second).to_string());
            imported.recognised.push(format!("subtitle: {second}"));
            rest = &rest[1..];
        }
    } else {
        imported
            .unsure
            .push("no headline found: write a title".into());
    }

    // Body: bylines out, then paragraphs and sub-headings.
    let mut paragraphs: Vec<String> = Vec::new();
    let mut current = String::new();
    // A sub-heading follows a finished paragraph; none opens the text.
    let mut after_break = false;
    let mut blank_before = true;
    let mut headings = 0;
    for line in rest {
        let mut line = line.to_string();
        if line.is_empty() {
            blank_before = true;
            continue;
        }
        if imported.byline.is_none() {
            if let Some((byline, remainder)) =
                take_byline(&line, current.is_empty() && paragraphs.is_empty())
            {
                imported.recognised.push(format!("byline: {byline}"));
                imported.byline = Some(byline);
                line = remainder;
                if line.is_empty() {
                    continue;
                }
            }
        }
        if after_break && blank_before && is_heading(&line) && current.is_empty() {
            paragraphs.push(format!("## {line}"));
            headings += 1;
            blank_before = false;
            continue;
        }
        blank_before = false;
        if current.is_empty() {
            current = line.clone();
        } else {
            current.push_str(text::soft_break_between(
                current.chars().last(),
                line.chars().next(),
            ));
            current.push_str(&line);
        }
        after_break = line.ends_with(PARAGRAPH_ENDS);
        if after_break {
            paragraphs.push(remove_justification_spaces(&current));
            current.clear();
        }
    }
    if !current.is_empty() {
        imported
            .unsure
            .push("the text ends without closing its last sentence".into());
        paragraphs.push(remove_justification_spaces(&current));
    }
    if headings > 0 {
        imported
            .recognised
            .push(format!("{headings} sub-heading(s)"));
    }
    if imported.byline.is_none() {
        imported.unsure.push("no byline or dateline found".into());
    }
    imported.recognised.push(format!(
        "{} paragraph(s)",
        paragraphs.iter().filter(|p| !p.starts_with("## ")).count()
    ));
    imported.body = paragraphs.join("\n\n");
    imported
}

/// Takes the photo captions out of `lines`: ●-lines that are not bylines,
/// to the next blank line.
fn take_captions(lines: &mut Vec<&str>, imported: &mut Imported) {
    let mut captions = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        if lines[i].starts_with('●') && !is_byline(lines[i]) {
            let start = i;
            while i < lines.len() && !lines[i].is_empty() {
                i += 1;
            }
            let caption: Vec<&str> = lines.drain(start..i).collect();
            let caption = caption.join("\n");
            captions.push(text::join_lines(caption.trim_start_matches('●')));
            i = start;
        } else {
            i += 1;
        }
    }
    if !captions.is_empty() {
        imported
            .recognised
            .push(format!("{} photo caption(s)", captions.len()));
        if captions.len() > 1 {
            imported
                .unsure
                .push("several captions were joined into one".into());
        }
        imported.caption = Some(captions.join(" "));
    }
}

/// Whether a line could be a headline: short, with no sentence punctuation.
fn is_headline(line: &str) -> bool {
    !line.is_empty() && take_byline(line, true).is_none() && is_headline_sized(line, SUBTITLE_MAX)
}

fn is_headline_sized(line: &str, max: usize) -> bool {
    line.chars().count() <= max && !line.contains(SENTENCE_MARKS) && !line.starts_with('●')
}

/// Whether a line inside the text is a sub-heading.
fn is_heading(line: &str) -> bool {
    is_headline_sized(line, HEADING_MAX)
        && !line.ends_with(PARAGRAPH_ENDS)
        && !line.ends_with(['」', '）'])
}

/// A ●-byline: `●香港文匯報記者 莫楠、黃子龍`.
fn is_byline(text: &str) -> bool {
    let text = text.trim_start_matches('●');
    // 、 separates reporters' names, so only sentence marks rule a byline out.
    text.contains("記者")
        && text.chars().count() <= 30
        && !text.contains(['。', '，', '；', '！', '？'])
}

/// Finds a byline in `line`: a dateline at the start of the text (`…訊`
/// with an optional `（記者 …）`), or a ●-byline anywhere. Returns it and
/// what is left of the line.
fn take_byline(line: &str, at_start: bool) -> Option<(String, String)> {
    if let Some(at) = line.find('●') {
        let candidate = &line[at..];
        if is_byline(candidate) {
            let byline = candidate.trim_start_matches('●').trim().to_string();
            return Some((byline, line[..at].trim_end().to_string()));
        }
    }
    if !at_start {
        return None;
    }
    let end = line.find('訊')?;
    let agency = &line[..end + '訊'.len_utf8()];
    if agency.chars().count() > 10 || agency.contains(SENTENCE_MARKS) || agency.contains(' ') {
        return None;
    }
    let mut taken = agency.len();
    let rest = &line[taken..];
    if rest.starts_with('（') {
        if let Some(close) = rest.find('）') {
            taken += close + '）'.len_utf8();
        }
    }
    Some((
        line[..taken].to_string(),
        line[taken..].trim_start().to_string(),
    ))
}

/// Column justification spreads characters with spaces (`中 ， 「 基 於`);
/// a space next to a CJK character is never the writer's.
fn remove_justification_spaces(paragraph: &str) -> String {
    let chars: Vec<char> = paragraph
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .chars()
        .collect();
    let mut out = String::with_capacity(paragraph.len());
    for (i, &c) in chars.iter().enumerate() {
        if c == ' ' {
            let before = i.checked_sub(1).map(|j| chars[j]);
            let after = chars.get(i + 1).copied();
            if before.is_some_and(text::is_cjk) || after.is_some_and(text::is_cjk) {
                continue;
            }
        }
        out.push(c);
    }
    out
}

/// A URL slug from a headline: its pinyin, at most eight syllables.
pub fn slug_from(title: &str) -> Option<String> {
    use pinyin::ToPinyin;
    let mut words: Vec<String> = Vec::new();
    let mut latin = String::new();
    for c in title.chars() {
        if c.is_ascii_alphanumeric() {
            latin.push(c.to_ascii_lowercase());
            continue;
        }
        if !latin.is_empty() {
            words.push(std::mem::take(&mut latin));
        }
        if let Some(p) = c.to_pinyin() {
            // ü is written v in URLs (lvse for 綠色), as in pinyin input.
            words.push(p.plain().replace('ü', "v"));
        }
    }
    if !latin.is_empty() {
        words.push(latin);
    }
    words.truncate(8);
    Some(words.join("-")).filter(|s| crate::source::article::is_valid_slug(s))
}

/// Front matter for an imported draft.
#[derive(Serialize)]
struct DraftFrontMatter<'a> {
    title: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    subtitle: Option<&'a str>,
    date: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    byline: Option<&'a str>,
    topics: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    caption: Option<&'a str>,
    draft: bool,
}

impl Imported {
    /// The draft as a Markdown file dated `date`.
    pub fn to_markdown(&self, date: &str) -> Result<String> {
        let front = DraftFrontMatter {
            title: self.title.as_deref().unwrap_or("（標題）"),
            subtitle: self.subtitle.as_deref(),
            date: date.to_string(),
            byline: self.byline.as_deref(),
            topics: Vec::new(),
            caption: self.caption.as_deref(),
            draft: true,
        };
        let yaml = serde_yaml::to_string(&front).context("cannot write the front matter")?;
        Ok(format!("---\n{yaml}---\n\n{}\n", self.body))
    }
}

/// Imports `input` (a file, or `-` for standard input) into `root/content/`
/// as `<slug>.md`; returns the path written and what was recognised.
pub fn import(root: &Path, input: &Path, slug: Option<&str>) -> Result<(PathBuf, Imported)> {
    let raw = if input == Path::new("-") {
        std::io::read_to_string(std::io::stdin()).context("cannot read standard input")?
    } else {
        crate::fs::read_text(input)?
    };
    let imported = parse(&raw);
    if imported.body.trim().is_empty() {
        bail!("{} holds no article text", input.display());
    }
    let today = crate::source::front_matter::hong_kong_now()
        .format("%Y-%m-%d")
        .to_string();
    let content = root.join(crate::layout::CONTENT_DIR);
    std::fs::create_dir_all(&content)
        .with_context(|| format!("cannot create {}", content.display()))?;
    let (base, numbered) = match slug {
        Some(slug) if crate::source::article::is_valid_slug(slug) => (slug.to_string(), false),
        Some(slug) => {
            bail!("`{slug}` cannot be a slug: use lowercase ASCII letters, digits and hyphens")
        }
        None => match imported.title.as_deref().and_then(slug_from) {
            Some(slug) => (slug, true),
            None => (today.clone(), true),
        },
    };
    let text = imported.to_markdown(&today)?;
    for n in 1.. {
        let name = if n == 1 {
            base.clone()
        } else {
            format!("{base}-{n}")
        };
        let path = content.join(format!("{name}.md"));
        if crate::fs::write_new(&path, &text)? {
            return Ok((path, imported));
        }
        // A name made from the headline takes the next free number; a name
        // the editor chose is theirs to change.
        if !numbered {
            bail!(
                "{} already exists; jianfan never overwrites it (choose another --slug)",
                path.display()
            );
        }
    }
    unreachable!("some numbered name is free")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headline_subtitle_and_byline_are_recognised() {
        let raw = "打造AI技術生態圈 數碼港「招兵買馬」\n已吸約260間專門企業進駐\n 國務院總理\n\n李強表示。 ●香港文匯報記者 莫楠、黃子龍\n";
        let imported = parse(raw);
        assert_eq!(
            imported.title.as_deref(),
            Some("打造AI技術生態圈 數碼港「招兵買馬」")
        );
        assert_eq!(
            imported.subtitle.as_deref(),
            Some("已吸約260間專門企業進駐")
        );
        assert_eq!(
            imported.byline.as_deref(),
            Some("香港文匯報記者 莫楠、黃子龍")
        );
        assert_eq!(imported.body, "國務院總理李強表示。");
    }

    #[test]
    fn datelines_become_bylines() {
        let imported = parse("標題\n\n香港文匯報訊（記者 高鈺）研發專利是\n關鍵之一。\n");
        assert_eq!(
            imported.byline.as_deref(),
            Some("香港文匯報訊（記者 高鈺）")
        );
        assert_eq!(imported.body, "研發專利是關鍵之一。");
        let imported = parse("標題\n\n本報訊 消息指出\n一切順利。\n");
        assert_eq!(imported.byline.as_deref(), Some("本報訊"));
    }

    #[test]
    fn latin_words_keep_their_space_and_justification_spaces_go() {
        let imported =
            parse("標題\n\n設有展示專區Green\nSpace，其中 ， 「 基 於 形 狀\n記憶」。\n");
        assert_eq!(
            imported.body,
            "設有展示專區Green Space，其中，「基於形狀記憶」。"
        );
    }

    #[test]
    fn short_lines_after_a_paragraph_are_sub_headings() {
        let imported = parse(
            "標題\n\n第一段完結。\n\n積極拓展數碼基建新設施\n除超算中心外，數碼港\n正積極拓展。\n",
        );
        assert_eq!(
            imported.body,
            "第一段完結。\n\n## 積極拓展數碼基建新設施\n\n除超算中心外，數碼港正積極拓展。"
        );
    }

    #[test]
    fn captions_are_taken_out() {
        let imported =
            parse("標題\n\n正文。\n\n ●論壇昨日舉行。左起：張成\n奇、李青。 記者郭木又 攝\n");
        assert_eq!(
            imported.caption.as_deref(),
            Some("論壇昨日舉行。左起：張成奇、李青。 記者郭木又 攝")
        );
        assert_eq!(imported.body, "正文。");
    }

    #[test]
    fn missing_headline_is_reported() {
        let imported =
            parse("香港文匯報訊（記者 姬文風）\n全球氣候暖化加劇，空調製冷\n需求持續攀升。\n");
        assert_eq!(imported.title, None);
        assert!(imported.unsure.iter().any(|u| u.contains("no headline")));
        assert_eq!(imported.body, "全球氣候暖化加劇，空調製冷需求持續攀升。");
    }

    #[test]
    fn slugs_come_from_pinyin() {
        assert_eq!(
            slug_from("數碼港開幕").as_deref(),
            Some("shu-ma-gang-kai-mu")
        );
        assert_eq!(
            slug_from("GreenTech Hub開幕").as_deref(),
            Some("greentech-hub-kai-mu")
        );
        assert_eq!(
            slug_from("匯聚逾200綠色科企 GreenTech Hub開幕").as_deref(),
            Some("hui-ju-yu-200-lv-se-ke-qi")
        );
    }
}
