//! `site.yaml`: the site's settings, its script variants, topics and UI strings.
//!
//! [`SiteConfig::parse`] reads the YAML into raw serde structs, checks every
//! key and value, and returns either a validated [`SiteConfig`] or every
//! problem found, each with its line in site.yaml and what to do.

use std::path::Path;

use indexmap::IndexMap;
use serde::Deserialize;
use serde_aux::serde_introspection::serde_introspect;
use serde_yaml::{Mapping, Value};

use crate::diagnostic::{self, Diagnostic, Kind};
use crate::layout::SITE_FILE;
use crate::source::archive::{valid_date_format, with_default_ui, ArchiveConfig, PERIOD_FORMATS};
use crate::source::glossary::{Glossary, GlossaryConfig};
use crate::source::photo::PhotoConfig;

/// The OpenCC configurations a variant's `opencc` may list, by the names of
/// the configuration files OpenCC ships; both engines understand each.
pub const KNOWN_CONFIGS: &[&str] = &[
    "hk2s", "hk2t", "jp2t", "s2hk", "s2t", "s2tw", "s2twp", "t2hk", "t2jp", "t2s", "t2tw", "tw2s",
    "tw2sp", "tw2t",
];

/// The keys site.yaml, a variant and a topic accept: the fields of the serde
/// structs below, read from them so the two cannot drift apart.
fn accepted_site_keys() -> &'static [&'static str] {
    serde_introspect::<RawSite>()
}
fn accepted_variant_keys() -> &'static [&'static str] {
    serde_introspect::<RawVariant>()
}
fn accepted_topic_keys() -> &'static [&'static str] {
    serde_introspect::<RawTopic>()
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSite {
    title: String,
    #[serde(default)]
    description: String,
    base_url: String,
    /// Gone since front pages and date archives replaced `/page/N/`;
    /// read only to say so.
    #[serde(default)]
    paginate_by: Option<serde_yaml::Value>,
    #[serde(default = "default_front_page")]
    front_page: usize,
    #[serde(default)]
    archive: ArchiveConfig,
    #[serde(default = "default_summary_length")]
    summary_length: usize,
    #[serde(default = "default_date_format")]
    date_format: String,
    #[serde(default = "default_feed_limit")]
    feed_limit: usize,
    variants: IndexMap<String, RawVariant>,
    #[serde(default)]
    topics: IndexMap<String, RawTopic>,
    #[serde(default)]
    ui: IndexMap<String, String>,
    #[serde(default)]
    conversion: GlossaryConfig,
    #[serde(default)]
    markdown: MarkdownConfig,
    #[serde(default)]
    photos: PhotoConfig,
    #[serde(default)]
    cms: CmsConfig,
}

/// How Markdown is rendered.
#[derive(Debug, Clone, Copy, Default, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct MarkdownConfig {
    /// Let raw HTML in articles through as HTML (off: it shows as text).
    #[serde(default)]
    pub unsafe_html: bool,
}

/// The CMS at `/admin/` (`serve`) and `jianfan cms-config`.
#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct CmsConfig {
    /// Where the admin page loads Decap CMS from, instead of the pinned
    /// release on unpkg: a copy the newsroom hosts (its whole `dist/`
    /// folder, whose chunks load beside it).
    #[serde(default)]
    pub script: Option<String>,
    /// The subresource-integrity hash of `script` (`sha384-…`), if known.
    #[serde(default)]
    pub integrity: Option<String>,
    /// The most articles the CMS lists, newest first, so a large
    /// archive's list opens quickly; older articles are edited as files.
    #[serde(default = "default_list_limit")]
    pub list_limit: usize,
}

impl Default for CmsConfig {
    fn default() -> Self {
        CmsConfig {
            script: None,
            integrity: None,
            list_limit: default_list_limit(),
        }
    }
}

fn default_list_limit() -> usize {
    500
}

fn default_front_page() -> usize {
    20
}

fn default_summary_length() -> usize {
    120
}
fn default_feed_limit() -> usize {
    20
}
fn default_date_format() -> String {
    "%Y-%m-%d".to_string()
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawVariant {
    lang: String,
    name: String,
    prefix: String,
    #[serde(default)]
    opencc: Vec<String>,
    #[serde(default)]
    accept_languages: Vec<String>,
    #[serde(default)]
    punctuation: bool,
    #[serde(default)]
    og_locale: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTopic {
    name: String,
    #[serde(default)]
    description: String,
}

/// The validated site configuration.
#[derive(Debug, Clone)]
pub struct SiteConfig {
    /// Site title, in the source script.
    pub title: String,
    /// One-line description, in the source script.
    pub description: String,
    /// Absolute URL the site is served at, always ending in `/`.
    pub base_url: String,
    /// The path part of `base_url` (`/` or `/news/`), for links that cannot
    /// be relative, such as those on a 404 page served at any address.
    pub base_path: String,
    /// Articles on a front page (a script's home page, a topic's page).
    pub front_page: usize,
    /// The periods of the archive pages.
    pub archive: ArchiveConfig,
    /// Length, in characters, of a summary made from the first paragraph.
    pub summary_length: usize,
    /// chrono format for dates shown to readers, e.g. `%Y年%-m月%-d日`.
    pub date_format: String,
    /// The most entries an Atom feed holds.
    pub feed_limit: usize,
    /// The scripts the site is published in; the source variant first.
    pub variants: Vec<Variant>,
    /// Topics by key, in the order site.yaml lists them.
    pub topics: IndexMap<String, Topic>,
    /// UI strings by key, in the source script.
    pub ui: IndexMap<String, String>,
    /// The site-wide glossary, as written.
    pub conversion: GlossaryConfig,
    /// The site-wide glossary, ready to match.
    pub glossary: Glossary,
    /// How Markdown is rendered.
    pub markdown: MarkdownConfig,
    /// How photos are processed.
    pub photos: PhotoConfig,
    /// The CMS's settings.
    pub cms: CmsConfig,
    /// site.yaml as read: what the build's keys hash and the text lints
    /// scan, so neither reads the file again.
    pub text: String,
}

/// One script the site is published in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Variant {
    /// The key used in site.yaml and file names, e.g. `zh-hans`.
    pub key: String,
    /// BCP 47 language tag for `<html lang>` and hreflang, e.g. `zh-Hans`.
    pub lang: String,
    /// The name readers see in the switcher, written in its own script.
    pub name: String,
    /// The URL folder of this variant's pages, e.g. `zh-hans`.
    pub prefix: String,
    /// OpenCC configs applied in order; empty for the source variant.
    pub opencc: Vec<String>,
    /// Browser languages (prefixes of `navigator.languages`) sent here by
    /// the root page.
    pub accept_languages: Vec<String>,
    /// Whether 「」『』 become “”‘’ for this variant's readers.
    pub punctuation: bool,
    /// Open Graph locale, e.g. `zh_HK`.
    pub og_locale: String,
}

impl Variant {
    /// Whether this is the variant the articles are written in.
    pub fn is_source(&self) -> bool {
        self.opencc.is_empty()
    }
}

/// A topic articles can be filed under.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Topic {
    /// Name shown to readers, in the source script.
    pub name: String,
    /// One-line description, in the source script.
    pub description: String,
    /// Where site.yaml defines it, for messages.
    pub line: Option<usize>,
}

impl SiteConfig {
    /// Reads and validates `site.yaml` in `root`.
    pub fn load(root: &Path) -> Result<SiteConfig, Vec<Diagnostic>> {
        let path = root.join(SITE_FILE);
        let text = crate::fs::read_utf8(&path).map_err(|e| {
            vec![match e {
                crate::fs::ReadError::Io(e) => {
                    Diagnostic::error(Kind::Site, SITE_FILE, format!("cannot read site.yaml: {e}"))
                        .with_help(format!(
                            "run jianfan in the site's folder, or pass --root DIR (looked in {})",
                            root.display()
                        ))
                }
                crate::fs::ReadError::NotUtf8 { line } => {
                    Diagnostic::error(Kind::Site, SITE_FILE, "site.yaml is not valid UTF-8 text")
                        .at_line(line)
                        .with_help("save it as UTF-8")
                }
            }]
        })?;
        SiteConfig::parse(&text)
    }

    /// Validates the text of a site.yaml.
    pub fn parse(text: &str) -> Result<SiteConfig, Vec<Diagnostic>> {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let value: Value = serde_yaml::from_str(text).map_err(|e| vec![yaml_error(e, text)])?;
        let mut problems = check_keys(text, &value);
        if !problems.is_empty() {
            return Err(problems);
        }
        let raw: RawSite = serde_yaml::from_value(value).map_err(|e| vec![yaml_error(e, text)])?;
        let config = validate(text, raw, &mut problems);
        if problems.is_empty() {
            Ok(config)
        } else {
            Err(problems)
        }
    }

    /// The variants' keys, source first.
    pub fn variant_keys(&self) -> Vec<&str> {
        self.variants.iter().map(|v| v.key.as_str()).collect()
    }

    /// Serves the site from `url` instead of site.yaml's `base_url`.
    pub fn set_base_url(&mut self, url: &str) -> Result<(), String> {
        let (base_url, base_path) = parse_base_url(url)
            .ok_or_else(|| format!("--base-url `{url}` is not an absolute http(s) URL"))?;
        self.base_url = base_url;
        self.base_path = base_path;
        Ok(())
    }

    /// The keys of the variants made by conversion (all but the source).
    pub fn generated_keys(&self) -> Vec<&str> {
        self.variants
            .iter()
            .filter(|v| !v.is_source())
            .map(|v| v.key.as_str())
            .collect()
    }

    /// The variant the articles are written in.
    pub fn source(&self) -> &Variant {
        self.variants
            .iter()
            .find(|v| v.is_source())
            .expect("validation requires one source")
    }
}

fn yaml_error(e: serde_yaml::Error, text: &str) -> Diagnostic {
    if let Some(syntax) = crate::source::yaml::syntax_error(&e, text, 1, Kind::Site) {
        return syntax.in_file(SITE_FILE);
    }
    // serde_yaml gives no position for an error at the end of the file.
    let last_line = text.lines().count().max(1);
    let location = e.location();
    let message = e.to_string();
    Diagnostic::error(Kind::Site, SITE_FILE, strip_location(&message))
        .at(
            Some(location.as_ref().map_or(last_line, |l| l.line())),
            location.as_ref().map(|l| l.column()),
        )
        .with_help("fix the YAML syntax; indent with spaces, not tabs")
}

/// serde_yaml appends " at line L column C"; the diagnostic shows that itself.
pub(crate) fn strip_location(message: &str) -> &str {
    match message.find(" at line ") {
        Some(i) => &message[..i],
        None => message,
    }
}

/// Unknown keys at any level, each with its line and the nearest valid key.
fn check_keys(text: &str, value: &Value) -> Vec<Diagnostic> {
    let mut problems = Vec::new();
    let Some(top) = value.as_mapping() else {
        return vec![Diagnostic::error(
            Kind::Site,
            SITE_FILE,
            "site.yaml must be a mapping of keys to values",
        )
        .at_line(1)
        .with_help("start with `title: …` on the first line")];
    };
    unknown_keys(text, 1, top, accepted_site_keys(), SITE_FILE, &mut problems);
    for required in ["title", "base_url", "variants"] {
        if !top.contains_key(required) {
            problems.push(
                Diagnostic::error(
                    Kind::Site,
                    SITE_FILE,
                    format!("the required key `{required}` is missing"),
                )
                .at_line(1)
                .with_help("README.md lists every site.yaml key with an example"),
            );
        }
    }
    for (section, allowed) in [
        ("variants", accepted_variant_keys()),
        ("topics", accepted_topic_keys()),
    ] {
        let Some(entries) = top.get(section).and_then(Value::as_mapping) else {
            continue;
        };
        let section_line = diagnostic::line_of_key(text, section).unwrap_or(1);
        for (name, entry) in entries {
            let name = name.as_str().unwrap_or_default();
            let from = diagnostic::line_of_nested_key(text, section_line, name).unwrap_or(1);
            if let Some(entry) = entry.as_mapping() {
                let what = format!("{section}.{name}");
                unknown_keys(text, from, entry, allowed, &what, &mut problems);
                let required: &[&str] = if section == "variants" {
                    &["lang", "name", "prefix"]
                } else {
                    &["name"]
                };
                for key in required.iter().filter(|k| !entry.contains_key(**k)) {
                    problems.push(
                        Diagnostic::error(Kind::Site, SITE_FILE, format!("{what} has no `{key}`"))
                            .at(Some(from), Some(1))
                            .with_help(match *key {
                                "prefix" => "add `prefix:`, the URL folder of this variant's pages, e.g. zh-hans",
                                "lang" => "add `lang:`, its BCP 47 tag, e.g. zh-Hans",
                                _ => "add `name:`, as readers will see it",
                            }),
                    );
                }
            }
        }
    }
    problems
}

fn unknown_keys(
    text: &str,
    from_line: usize,
    map: &Mapping,
    allowed: &[&str],
    what: &str,
    problems: &mut Vec<Diagnostic>,
) {
    for key in map.keys() {
        let key = key.as_str().unwrap_or_default();
        if !allowed.contains(&key) {
            let line = if from_line == 1 && what == SITE_FILE {
                diagnostic::line_of_key(text, key)
            } else {
                diagnostic::line_of_nested_key(text, from_line, key)
            };
            problems.push(
                Diagnostic::error(
                    Kind::Site,
                    SITE_FILE,
                    format!("unknown key `{key}` in {what}"),
                )
                .at(line, Some(1))
                .with_help(diagnostic::suggest(key, allowed)),
            );
        }
    }
}

/// An absolute http(s) URL as `(base_url, base_path)`, both ending in `/`.
fn parse_base_url(text: &str) -> Option<(String, String)> {
    let url = url::Url::parse(text).ok()?;
    if !matches!(url.scheme(), "http" | "https") || url.host().is_none() {
        return None;
    }
    let mut base = url.to_string();
    if !base.ends_with('/') {
        base.push('/');
    }
    let mut path = url.path().to_string();
    if !path.ends_with('/') {
        path.push('/');
    }
    Some((base, path))
}

/// The Open Graph locale for a BCP 47 tag: the region if there is one,
/// else the usual region of the script (zh-Hans → zh_CN, zh-Hant → zh_TW).
fn og_locale(lang: &str) -> String {
    let parts: Vec<&str> = lang.split('-').collect();
    let language = parts.first().copied().unwrap_or("zh").to_lowercase();
    let region = parts
        .iter()
        .skip(1)
        .find(|p| p.len() == 2)
        .map(|r| r.to_uppercase());
    let region = region.unwrap_or_else(|| {
        match parts
            .iter()
            .skip(1)
            .find(|p| p.len() == 4)
            .map(|s| s.to_lowercase())
            .as_deref()
        {
            Some("hans") => "CN".to_string(),
            Some("hant") => "TW".to_string(),
            _ => String::new(),
        }
    });
    if region.is_empty() {
        language
    } else {
        format!("{language}_{region}")
    }
}

fn is_url_segment(s: &str) -> bool {
    !s.is_empty()
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !s.starts_with('-')
        && !s.ends_with('-')
}

/// An error in site.yaml at `line`, with what to do.
fn site_error(line: Option<usize>, message: String, help: &str) -> Diagnostic {
    Diagnostic::error(Kind::Site, SITE_FILE, message)
        .at(line, None)
        .with_help(help)
}

fn validate(text: &str, raw: RawSite, problems: &mut Vec<Diagnostic>) -> SiteConfig {
    let at_key = |key: &str| diagnostic::line_of_key(text, key);
    let mut error = |line, message, help: &str| problems.push(site_error(line, message, help));

    if raw.title.trim().is_empty() {
        error(
            at_key("title"),
            "`title` is empty".into(),
            "give the site a title",
        );
    }
    let (base_url, base_path) = parse_base_url(&raw.base_url).unwrap_or_else(|| {
        error(
            at_key("base_url"),
            format!(
                "`base_url` `{}` is not an absolute http(s) URL",
                raw.base_url
            ),
            "write the address the site will be served at, e.g. https://example.org/news/",
        );
        (String::new(), "/".to_string())
    });
    if raw.paginate_by.is_some() {
        error(
            at_key("paginate_by"),
            "`paginate_by` is no longer used: numbered list pages (`/page/N/`) \
             gave way to front pages and date archives"
                .into(),
            "rename it to `front_page` (how many articles a front page shows; \
             default 20) and see `archive` in README.md",
        );
    }
    if raw.front_page == 0 {
        error(
            at_key("front_page"),
            "`front_page` must be at least 1".into(),
            "e.g. 20",
        );
    }
    if raw.summary_length == 0 {
        error(
            at_key("summary_length"),
            "`summary_length` must be at least 1".into(),
            "e.g. 120",
        );
    }
    for key in PERIOD_FORMATS {
        if let Some(format) = raw.ui.get(key).filter(|f| !valid_date_format(f)) {
            error(
                diagnostic::line_of_value(text, at_key("ui").unwrap_or(1), format),
                format!("`ui.{key}` `{format}` is not a valid chrono format"),
                "use strftime fields such as %Y年%-m月 (months) or %G年第%V週 (weeks)",
            );
        }
    }
    if !valid_date_format(&raw.date_format) {
        error(
            at_key("date_format"),
            format!(
                "`date_format` `{}` is not a valid chrono format",
                raw.date_format
            ),
            "use strftime fields such as %Y年%-m月%-d日",
        );
    }

    let variants = validate_variants(text, raw.variants, problems);
    let topics = validate_topics(text, raw.topics, problems);
    let at_key = |key: &str| diagnostic::line_of_key(text, key);
    let keys: Vec<&str> = variants.iter().map(|v| v.key.as_str()).collect();
    let conversion_line = at_key("conversion").unwrap_or(1);
    for (needle, problem) in raw.conversion.problems(&keys) {
        let line = diagnostic::line_of_value(text, conversion_line, &needle);
        let problem = Diagnostic {
            kind: Kind::Site,
            ..problem.in_file(SITE_FILE).at(line, None)
        };
        problems.push(problem);
    }
    let glossary = Glossary::new(&[&raw.conversion]);
    problems.extend(raw.photos.problems(text));

    SiteConfig {
        text: text.to_string(),
        title: raw.title,
        description: raw.description,
        base_url,
        base_path,
        front_page: raw.front_page,
        archive: raw.archive,
        summary_length: raw.summary_length,
        date_format: raw.date_format,
        feed_limit: raw.feed_limit,
        variants,
        topics,
        ui: with_default_ui(raw.ui),
        conversion: raw.conversion,
        glossary,
        markdown: raw.markdown,
        photos: raw.photos,
        cms: raw.cms,
    }
}

/// The variants, source first, with every problem in `problems`.
fn validate_variants(
    text: &str,
    raw: IndexMap<String, RawVariant>,
    problems: &mut Vec<Diagnostic>,
) -> Vec<Variant> {
    let mut error = |line, message, help: &str| problems.push(site_error(line, message, help));
    let variants_line = diagnostic::line_of_key(text, "variants").unwrap_or(1);
    let mut variants = Vec::new();
    for (key, v) in raw {
        let line = diagnostic::line_of_nested_key(text, variants_line, &key);
        let field_line = |field: &str| {
            line.and_then(|l| diagnostic::line_of_nested_key(text, l, field))
                .or(line)
        };
        if !is_url_segment(&key) {
            error(
                line,
                format!("variant key `{key}` is not lowercase ASCII with hyphens"),
                "use a key such as zh-hans",
            );
        }
        if !is_url_segment(&v.prefix) {
            error(
                field_line("prefix"),
                format!(
                    "variant `{key}` has prefix `{}`, which is not a URL folder name",
                    v.prefix
                ),
                "use lowercase ASCII letters, digits and hyphens, e.g. zh-hans",
            );
        }
        if v.lang.trim().is_empty() || v.name.trim().is_empty() {
            error(
                line,
                format!("variant `{key}` needs a `lang` and a `name`"),
                "e.g. lang: zh-Hans, name: 简体",
            );
        }
        for config in &v.opencc {
            if !KNOWN_CONFIGS.contains(&config.as_str()) {
                let hint = diagnostic::suggest(config, KNOWN_CONFIGS);
                error(
                    field_line("opencc"),
                    format!("variant `{key}`: `{config}` is not an OpenCC config"),
                    &hint,
                );
            }
        }
        let accept_languages = if v.accept_languages.is_empty() {
            vec![v.lang.clone()]
        } else {
            v.accept_languages
        };
        let og_locale = v.og_locale.clone().unwrap_or_else(|| og_locale(&v.lang));
        variants.push(Variant {
            key,
            lang: v.lang,
            name: v.name,
            prefix: v.prefix,
            opencc: v.opencc,
            accept_languages,
            punctuation: v.punctuation,
            og_locale,
        });
    }
    let sources = variants.iter().filter(|v| v.is_source()).count();
    if sources != 1 {
        error(
            Some(variants_line),
            format!("{sources} variants have no `opencc` configs; exactly one must be the source"),
            "leave `opencc` out of the variant the articles are written in, and give every \
             other variant its configs, e.g. opencc: [hk2s]",
        );
    }
    // The source comes first: it is the x-default and the order of switchers.
    variants.sort_by_key(|v| !v.is_source());
    for (i, v) in variants.iter().enumerate() {
        if let Some(other) = variants[..i].iter().find(|o| o.prefix == v.prefix) {
            error(
                Some(variants_line),
                format!(
                    "variants `{}` and `{}` share the prefix `{}`",
                    other.key, v.key, v.prefix
                ),
                "give each variant its own prefix",
            );
        }
    }
    if variants.is_empty() {
        error(
            Some(variants_line),
            "no variants are defined".into(),
            "define zh-hant and zh-hans",
        );
    }

    variants
}

/// The topics, with every problem in `problems`.
fn validate_topics(
    text: &str,
    raw: IndexMap<String, RawTopic>,
    problems: &mut Vec<Diagnostic>,
) -> IndexMap<String, Topic> {
    let mut error = |line, message, help: &str| problems.push(site_error(line, message, help));
    let topics_line = diagnostic::line_of_key(text, "topics").unwrap_or(1);
    let mut topics = IndexMap::new();
    for (key, t) in raw {
        let line = diagnostic::line_of_nested_key(text, topics_line, &key);
        if !is_url_segment(&key) {
            error(
                line,
                format!("topic key `{key}` is not lowercase ASCII with hyphens"),
                "topic keys become URLs: use e.g. green-tech",
            );
        }
        topics.insert(
            key,
            Topic {
                name: t.name,
                description: t.description,
                line,
            },
        );
    }

    topics
}

#[cfg(test)]
mod tests {
    use super::*;

    const MINIMAL: &str = "\
title: 港聞科創
base_url: https://example.org/news
variants:
  zh-hant:
    lang: zh-Hant-HK
    name: 繁體
    prefix: zh-hant
  zh-hans:
    lang: zh-Hans
    name: 简体
    prefix: zh-hans
    opencc: [hk2s]
topics:
  ai:
    name: 人工智能
";

    fn errors(text: &str) -> Vec<String> {
        SiteConfig::parse(text)
            .expect_err("should fail")
            .iter()
            .map(|d| d.to_string())
            .collect()
    }

    #[test]
    fn parses_a_minimal_site() {
        let config = SiteConfig::parse(MINIMAL).expect("valid");
        assert_eq!(config.base_url, "https://example.org/news/");
        assert_eq!(config.base_path, "/news/");
        assert_eq!(config.source().key, "zh-hant");
        assert_eq!(config.variants[1].opencc, ["hk2s"]);
        assert_eq!(config.variants[1].accept_languages, ["zh-Hans"]);
        assert_eq!(config.front_page, 20);
        assert_eq!(config.archive, ArchiveConfig::default());
    }

    #[test]
    fn unknown_key_names_line_and_nearest_key() {
        let text = MINIMAL.replace("base_url:", "base_ur:");
        let errors = errors(&text);
        assert!(errors[0].starts_with("error: site.yaml:2:1: unknown key `base_ur` in site.yaml"));
        assert!(errors[0].contains("did you mean `base_url`?"), "{errors:?}");
    }

    #[test]
    fn unknown_variant_key_is_located() {
        let text = MINIMAL.replace("    prefix: zh-hans", "    prefx: zh-hans");
        let errors = errors(&text);
        assert!(
            errors[0].contains("site.yaml:11:1: unknown key `prefx` in variants.zh-hans"),
            "{errors:?}"
        );
    }

    #[test]
    fn bad_opencc_config_and_shared_prefix_are_both_reported() {
        let text = MINIMAL
            .replace("[hk2s]", "[hk2x]")
            .replace("prefix: zh-hans", "prefix: zh-hant");
        let errors = errors(&text);
        assert_eq!(errors.len(), 2, "{errors:?}");
        assert!(
            errors[0].contains("site.yaml:12: variant `zh-hans`: `hk2x` is not an OpenCC config"),
            "{errors:?}"
        );
        assert!(
            errors[1].contains("share the prefix `zh-hant`"),
            "{errors:?}"
        );
    }

    #[test]
    fn og_locales_follow_the_language_tag() {
        assert_eq!(og_locale("zh-Hant-HK"), "zh_HK");
        assert_eq!(og_locale("zh-Hans"), "zh_CN");
        assert_eq!(og_locale("zh-Hant-TW"), "zh_TW");
        assert_eq!(og_locale("zh-Hant"), "zh_TW");
    }

    #[test]
    fn syntax_error_has_line_and_column() {
        let errors = errors("title: [unclosed\nbase_url: x\n");
        assert!(
            errors[0].starts_with("error: site.yaml:1:8: this `[` is not closed"),
            "the `[` itself, not the next line where YAML noticed: {errors:?}"
        );
        assert!(
            errors[0].contains("help: end the list with `]`"),
            "{errors:?}"
        );
    }

    #[test]
    fn base_url_must_be_absolute() {
        let errors = errors(&MINIMAL.replace("https://example.org/news", "/news"));
        assert!(errors[0].contains("site.yaml:2: `base_url` `/news` is not an absolute"));
    }
}
