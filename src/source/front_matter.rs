//! An article's front matter: the YAML block between `---` lines at the top
//! of its Markdown file.
//!
//! [`split`] separates the block from the body; [`FrontMatter::parse`] checks
//! it key by key. Both are pure functions of the text, and every problem
//! comes back as a [`Diagnostic`] with its line in the *file* (not in the YAML
//! block), so the caller only adds the file name.

use chrono::{DateTime, FixedOffset, NaiveDate, NaiveDateTime};
use serde::{Deserialize, Serialize};
use serde_yaml::Value;

use crate::diagnostic::{self, Diagnostic, Kind};
use crate::source::glossary::GlossaryConfig;

/// The keys an article's front matter may have: the fields of
/// [`RawFrontMatter`], read from it so the two cannot drift apart.
pub fn keys() -> &'static [&'static str] {
    serde_aux::serde_introspection::serde_introspect::<RawFrontMatter>()
}

/// A problem in an article's text, before its file is known: the caller
/// sets the file with [`Diagnostic::in_file`]. Lines are the file's.
fn problem(line: Option<usize>, message: impl Into<String>, help: impl Into<String>) -> Diagnostic {
    Diagnostic::error(Kind::Content, "", message)
        .at(line, None)
        .with_help(help)
}

/// An article file cut into its front matter and body.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Split<'a> {
    /// The YAML between the `---` lines.
    pub yaml: &'a str,
    /// The Markdown after the closing `---`.
    pub body: &'a str,
    /// The 1-based line of the file on which the body starts.
    pub body_line: usize,
}

/// Cuts `text` (LF line endings, no BOM) into front matter and body.
// A problem is the rare path, and the caller keeps it as it is.
#[allow(clippy::result_large_err)]
pub fn split(text: &str) -> Result<Split<'_>, Diagnostic> {
    let Some(after_open) = text
        .strip_prefix("---\n")
        .or_else(|| text.strip_prefix("---\r\n"))
    else {
        let message = if text.trim().is_empty() {
            "the file is empty"
        } else {
            "the file does not start with front matter"
        };
        return Err(problem(
            Some(1),
            message,
            "start the file with a `---` line, then `title:` and `date:`, then another `---` line",
        ));
    };
    let mut offset = 0;
    for (index, line) in after_open.split_inclusive('\n').enumerate() {
        let bare = line.trim_end();
        if bare == "---" || bare == "..." {
            return Ok(Split {
                yaml: &after_open[..offset],
                body: &after_open[offset + line.len()..],
                body_line: index + 3,
            });
        }
        offset += line.len();
    }
    Err(problem(
        Some(1),
        "the front matter is not closed",
        "add a line containing only `---` after the last front-matter key",
    ))
}

/// The newsroom's clock: Hong Kong time (UTC+8, no daylight saving). Dates
/// without a time, `new`'s "today" and scheduling use it.
pub fn hong_kong_now() -> DateTime<FixedOffset> {
    let offset = FixedOffset::east_opt(8 * 3600).expect("UTC+8 is a valid offset");
    chrono::Utc::now().with_timezone(&offset)
}

/// When an article was published, as its editor wrote it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Published {
    /// A calendar day, `YYYY-MM-DD`.
    Day(NaiveDate),
    /// A moment with its UTC offset (RFC 3339).
    Instant(DateTime<FixedOffset>),
}

impl Published {
    /// Parses `YYYY-MM-DD` or RFC 3339.
    pub fn parse(text: &str) -> Option<Published> {
        let text = text.trim();
        if let Ok(day) = NaiveDate::parse_from_str(text, "%Y-%m-%d") {
            return Some(Published::Day(day));
        }
        DateTime::parse_from_rfc3339(text)
            .ok()
            .map(Published::Instant)
    }

    /// The local date and time, for ordering articles (a day sorts as its
    /// midnight).
    pub fn local(&self) -> NaiveDateTime {
        match self {
            Published::Day(day) => day.and_hms_opt(0, 0, 0).expect("midnight exists"),
            Published::Instant(instant) => instant.naive_local(),
        }
    }

    /// The moment: a day is its midnight in Hong Kong.
    pub fn instant(&self) -> DateTime<FixedOffset> {
        match self {
            Published::Day(day) => {
                let offset = FixedOffset::east_opt(8 * 3600).expect("UTC+8 is a valid offset");
                let midnight = day.and_hms_opt(0, 0, 0).expect("midnight exists");
                DateTime::from_naive_utc_and_offset(midnight - chrono::Duration::hours(8), offset)
            }
            Published::Instant(instant) => *instant,
        }
    }

    /// RFC 3339, as feeds and sitemaps need it: a day is its midnight in
    /// Hong Kong.
    pub fn rfc3339(&self) -> String {
        match self {
            Published::Day(day) => format!("{}T00:00:00+08:00", day.format("%Y-%m-%d")),
            Published::Instant(instant) => instant.to_rfc3339(),
        }
    }

    /// As written for machines: `2025-03-07` or full RFC 3339.
    pub fn iso(&self) -> String {
        match self {
            Published::Day(day) => day.format("%Y-%m-%d").to_string(),
            Published::Instant(instant) => instant.to_rfc3339(),
        }
    }

    /// Whether this lies after `now`: a day counts from its start in `now`'s
    /// time zone, so an article dated today is published today.
    pub fn is_after(&self, now: DateTime<FixedOffset>) -> bool {
        match self {
            Published::Day(day) => *day > now.date_naive(),
            Published::Instant(instant) => *instant > now,
        }
    }

    /// Formatted for readers with a chrono format string.
    pub fn display(&self, format: &str) -> String {
        self.local().format(format).to_string()
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFrontMatter {
    title: String,
    #[serde(default)]
    subtitle: Option<String>,
    date: String,
    #[serde(default)]
    byline: Option<String>,
    #[serde(default)]
    topics: Vec<String>,
    #[serde(default)]
    summary: Option<String>,
    #[serde(default)]
    image: Option<String>,
    #[serde(default)]
    caption: Option<String>,
    #[serde(default)]
    alt: Option<String>,
    #[serde(default)]
    credit: Option<String>,
    #[serde(default)]
    draft: bool,
    #[serde(default)]
    conversion: Option<GlossaryConfig>,
    #[serde(default)]
    forked_from: Option<String>,
    #[serde(default)]
    updated: Option<String>,
    #[serde(default)]
    slug: Option<String>,
}

/// Validated front matter.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FrontMatter {
    /// Headline.
    pub title: String,
    /// Second headline line (deck).
    pub subtitle: Option<String>,
    /// Publication date.
    pub date: Published,
    /// Who wrote it: `香港文匯報記者 莫楠`, `香港文匯報訊（記者 高鈺）`.
    pub byline: Option<String>,
    /// Topic keys from site.yaml, with the line each is written on.
    pub topics: Vec<(String, Option<usize>)>,
    /// A summary written by the editor.
    pub summary: Option<String>,
    /// The lead image: a path under static/ or an absolute URL.
    pub image: Option<String>,
    /// The file line of the `image` key, for messages about the image.
    pub image_line: Option<usize>,
    /// The lead image's caption: what the photo tells of the story.
    pub caption: Option<String>,
    /// The lead image's alternative text: what the photo shows, for a
    /// reader who cannot see it (the caption when not given).
    pub alt: Option<String>,
    /// Who took or supplied the lead photo (攝影／圖片來源), shown with
    /// the caption.
    pub credit: Option<String>,
    /// Left out of the build unless drafts are asked for.
    pub draft: bool,
    /// The article's own glossary; its entries win over the site's.
    pub conversion: Option<GlossaryConfig>,
    /// In a hand-edited variant: the hash of the source it was made from.
    pub forked_from: Option<String>,
    /// When the article was last changed, if after `date`.
    pub updated: Option<Published>,
    /// The file's own name, as a CMS hosted on GitHub or GitLab writes it
    /// (`jianfan cms-config`); it must match the name.
    #[serde(default)]
    pub slug: Option<String>,
}

/// An example value for each key, for help texts.
fn example(key: &str) -> &'static str {
    match key {
        "title" => "title: 數碼港「招兵買馬」",
        "date" => "date: 2025-03-07 (or 2025-03-07T09:30:00+08:00)",
        "topics" => "topics: [ai, startups]",
        "draft" => "draft: true (or false, without quotes)",
        _ => "a line of text",
    }
}

impl FrontMatter {
    /// The keys whose values readers see: converted into every script,
    /// steered with `-{…}-` markup, and scanned by the text lints.
    pub const TEXT_KEYS: [&'static str; 7] = [
        "title", "subtitle", "summary", "byline", "caption", "alt", "credit",
    ];

    /// The values of [`FrontMatter::TEXT_KEYS`], in that order (`None` where
    /// an optional one is not given).
    pub fn text_fields_mut(&mut self) -> [(&'static str, Option<&mut String>); 7] {
        [
            ("title", Some(&mut self.title)),
            ("subtitle", self.subtitle.as_mut()),
            ("summary", self.summary.as_mut()),
            ("byline", self.byline.as_mut()),
            ("caption", self.caption.as_mut()),
            ("alt", self.alt.as_mut()),
            ("credit", self.credit.as_mut()),
        ]
    }

    /// Checks the YAML of a front-matter block. `first_line` is the file line
    /// the YAML starts on (2, after the opening `---`).
    pub fn parse(yaml: &str, first_line: usize) -> Result<FrontMatter, Vec<Diagnostic>> {
        let file_line = |l: usize| l + first_line - 1;
        let yaml_problem = |e: serde_yaml::Error| {
            if let Some(syntax) =
                crate::source::yaml::syntax_error(&e, yaml, first_line, Kind::Content)
            {
                return syntax;
            }
            let location = e.location();
            let message = crate::source::config::strip_location(&e.to_string()).to_string();
            let key = message.split(':').next().unwrap_or_default().to_string();
            let help = if keys().contains(&key.as_str()) {
                format!("write it like `{}`", example(&key))
            } else {
                "fix the YAML syntax; indent with spaces, not tabs, and quote text that \
                 starts with a special character"
                    .to_string()
            };
            problem(None, message, help).at(
                location.as_ref().map(|l| file_line(l.line())),
                location.as_ref().map(|l| l.column()),
            )
        };
        let value: Value = serde_yaml::from_str(yaml).map_err(|e| vec![yaml_problem(e)])?;
        let Some(map) = value.as_mapping() else {
            let message = if value.is_null() {
                "the front matter is empty"
            } else {
                "the front matter must be `key: value` lines"
            };
            return Err(vec![problem(
                Some(first_line.saturating_sub(1).max(1)),
                message,
                "write at least `title:` and `date:` between the `---` lines",
            )]);
        };

        let problems = key_problems(yaml, map, first_line);
        if !problems.is_empty() {
            return Err(problems);
        }

        let raw: RawFrontMatter = serde_yaml::from_str(yaml).map_err(|e| vec![yaml_problem(e)])?;
        let date_line = diagnostic::line_of_key(yaml, "date").map(file_line);
        let Some(date) = Published::parse(&raw.date) else {
            let column = diagnostic::line_of_key(yaml, "date")
                .and_then(|l| diagnostic::column_of(yaml, l, raw.date.trim()));
            return Err(vec![problem(
                date_line,
                format!("`{}` is not a real date", raw.date),
                format!("write `{}`", example("date")),
            )
            .at(date_line, column)]);
        };
        let updated = match raw.updated.as_deref().map(|u| (u, Published::parse(u))) {
            None => None,
            Some((_, Some(updated))) => Some(updated),
            Some((text, None)) => {
                return Err(vec![problem(
                    diagnostic::line_of_key(yaml, "updated").map(file_line),
                    format!("`{text}` is not a real date"),
                    format!("write `{}`", example("date").replace("date:", "updated:")),
                )])
            }
        };
        let topics_line = diagnostic::line_of_key(yaml, "topics").unwrap_or(1);
        let topics = raw
            .topics
            .into_iter()
            .map(|t| {
                let line = diagnostic::line_of_value(yaml, topics_line, &t);
                (t, line.map(file_line))
            })
            .collect();
        let blank_to_none = |s: Option<String>| s.filter(|s| !s.trim().is_empty());
        Ok(FrontMatter {
            title: raw.title,
            subtitle: blank_to_none(raw.subtitle),
            date,
            byline: blank_to_none(raw.byline),
            topics,
            summary: blank_to_none(raw.summary),
            image: blank_to_none(raw.image),
            image_line: diagnostic::line_of_key(yaml, "image").map(file_line),
            caption: blank_to_none(raw.caption),
            alt: blank_to_none(raw.alt),
            credit: blank_to_none(raw.credit),
            draft: raw.draft,
            conversion: raw.conversion.filter(|c| !c.is_empty()),
            forked_from: raw.forked_from,
            updated,
            slug: blank_to_none(raw.slug),
        })
    }
}

/// Unknown keys, and required keys that are missing or empty, in the
/// front matter `map` parsed from `yaml`, which starts on file line
/// `first_line`.
fn key_problems(yaml: &str, map: &serde_yaml::Mapping, first_line: usize) -> Vec<Diagnostic> {
    let file_line = |l: usize| l + first_line - 1;
    let mut problems = Vec::new();
    for key in map.keys() {
        let key = key
            .as_str()
            .map(str::to_owned)
            .unwrap_or_else(|| format!("{key:?}"));
        if !keys().contains(&key.as_str()) {
            let line = diagnostic::line_of_key(yaml, &key).map(file_line);
            problems.push(
                problem(
                    line,
                    format!("unknown front-matter key `{key}`"),
                    diagnostic::suggest(&key, keys()),
                )
                .at(line, Some(1)),
            );
        }
    }
    for required in ["title", "date"] {
        let present = map.get(required);
        let missing = present.is_none_or(|v| v.is_null() || v.as_str() == Some(""));
        if missing
            && problems
                .iter()
                .all(|p| !p.message.contains(&format!("`{required}`")))
        {
            let line = diagnostic::line_of_key(yaml, required)
                .map(file_line)
                .or(Some(first_line.saturating_sub(1).max(1)));
            let verb = if present.is_some() {
                "is empty"
            } else {
                "is missing"
            };
            problems.push(
                problem(
                    line,
                    format!("the required key `{required}` {verb}"),
                    format!("add `{}`", example(required)),
                )
                .at(line, Some(1)),
            );
        }
    }
    problems
}

#[cfg(test)]
mod tests {
    use super::*;

    fn problems(yaml: &str) -> Vec<Diagnostic> {
        FrontMatter::parse(yaml, 2).expect_err("should fail")
    }

    #[test]
    fn splits_front_matter_from_body() {
        let split = split("---\ntitle: 標題\n---\n正文\n").expect("valid");
        assert_eq!(split.yaml, "title: 標題\n");
        assert_eq!(split.body, "正文\n");
        assert_eq!(split.body_line, 4);
    }

    #[test]
    fn unclosed_front_matter_is_reported() {
        let problem = split("---\ntitle: 標題\n正文\n").expect_err("unclosed");
        assert_eq!(problem.message, "the front matter is not closed");
    }

    #[test]
    fn missing_front_matter_and_empty_file_are_told_apart() {
        assert_eq!(split("").expect_err("empty").message, "the file is empty");
        assert_eq!(
            split("正文").expect_err("none").message,
            "the file does not start with front matter"
        );
    }

    #[test]
    fn parses_every_key() {
        let yaml = "title: 標題\nsubtitle: 副題\ndate: 2025-03-07\nbyline: 記者\n\
                    topics: [ai, green-tech]\nsummary: 摘要\nimage: /a.jpg\ncaption: 圖\ndraft: true\n";
        let fm = FrontMatter::parse(yaml, 2).expect("valid");
        assert_eq!(fm.title, "標題");
        assert_eq!(fm.date.iso(), "2025-03-07");
        assert_eq!(
            fm.topics,
            [
                ("ai".to_string(), Some(6)),
                ("green-tech".to_string(), Some(6))
            ]
        );
        assert!(fm.draft);
    }

    #[test]
    fn rfc3339_dates_keep_their_offset() {
        let fm = FrontMatter::parse("title: t\ndate: 2025-03-07T09:30:00+08:00\n", 2).expect("ok");
        assert_eq!(fm.date.iso(), "2025-03-07T09:30:00+08:00");
        assert_eq!(
            fm.date.display("%Y年%-m月%-d日 %H:%M"),
            "2025年3月7日 09:30"
        );
    }

    #[test]
    fn scheduling_compares_with_now() {
        let now = DateTime::parse_from_rfc3339("2025-03-07T10:00:00+08:00").expect("valid");
        assert!(!Published::parse("2025-03-07").expect("day").is_after(now));
        assert!(Published::parse("2025-03-08").expect("day").is_after(now));
        assert!(Published::parse("2025-03-07T10:00:01+08:00")
            .expect("instant")
            .is_after(now));
        assert!(!Published::parse("2025-03-07T01:59:00Z")
            .expect("instant")
            .is_after(now));
    }

    #[test]
    fn unknown_key_has_file_line_and_suggestion() {
        let p = &problems("title: t\ndate: 2025-03-07\ntopic: [ai]\n")[0];
        assert_eq!(p.line, Some(4));
        assert_eq!(p.message, "unknown front-matter key `topic`");
        assert_eq!(p.help.as_deref(), Some("did you mean `topics`?"));
    }

    #[test]
    fn missing_and_empty_required_keys() {
        let all = problems("title: \"\"\n");
        assert_eq!(all.len(), 2);
        assert_eq!(all[0].message, "the required key `title` is empty");
        assert_eq!(all[1].message, "the required key `date` is missing");
    }

    #[test]
    fn wrong_types_name_the_key() {
        let p = &problems("title: t\ndate: 2025-03-07\ndraft: \"yes\"\n")[0];
        assert!(p.message.starts_with("draft: invalid type"), "{p:?}");
        assert_eq!(p.line, Some(4));
        assert!(
            p.help.as_deref().is_some_and(|h| h.contains("draft: true")),
            "{p:?}"
        );
        let p = &problems("title: t\ndate: 2025-03-07\ntopics: ai\n")[0];
        assert!(p.message.starts_with("topics: invalid type"), "{p:?}");
    }

    #[test]
    fn impossible_date_is_refused() {
        let p = &problems("title: t\ndate: 2025-02-30\n")[0];
        assert_eq!(p.message, "`2025-02-30` is not a real date");
        assert_eq!(p.line, Some(3));
    }

    #[test]
    fn yaml_syntax_error_is_located_in_the_file() {
        let p = &problems("title: t\n\tdate: 2025-03-07\n")[0];
        assert_eq!(p.line, Some(3), "{p:?}");
    }
}
