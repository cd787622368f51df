//! `jianfan convert`: one text through the pipeline an article's text goes
//! through — the glossary of site.yaml, `-{…}-` markup, OpenCC, the repair
//! pass and the variant's punctuation — to standard output. Editors check a
//! headline with it; benchmarks compare it with the `opencc` command. With
//! `--review`, what `check` would say of the text goes to standard error.

use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use anyhow::{bail, Context, Result};

use crate::convert::localize::Localizer;
use crate::convert::{Converter, Engine};
use crate::diagnostic::{Diagnostic, Report};
use crate::source::config::SiteConfig;
use crate::source::front_matter::{self, FrontMatter};
use crate::source::markup;

/// The site a text is converted for when `--root` has no site.yaml: the
/// shipped site's two variants, Hong Kong Traditional to Simplified.
const DEFAULT_SITE: &str = "title: jianfan\nbase_url: https://example.org/\n\
variants:\n  zh-hant:\n    lang: zh-Hant-HK\n    name: 繁體\n    prefix: zh-hant\n  \
zh-hans:\n    lang: zh-Hans\n    name: 简体\n    prefix: zh-hans\n    opencc: [hk2s]\n    \
punctuation: true\n";

/// What to convert, and how.
#[derive(Debug, Clone, Default)]
pub struct ConvertOptions {
    /// The text's file; `None` or `-` for standard input.
    pub file: Option<PathBuf>,
    /// The variant to write; the first variant made by conversion if unset.
    pub to: Option<String>,
    /// OpenCC configs instead of the variant's (`tw2s` for a Taiwan text).
    pub opencc: Vec<String>,
    /// The text is plain: no Markdown syntax to keep.
    pub plain: bool,
}

/// The converted text, and what `check` would say of the source text.
#[derive(Debug)]
pub struct Converted {
    /// The text in the chosen variant.
    pub text: String,
    /// The warnings and conversions to review, at the text's lines.
    pub review: Vec<Diagnostic>,
    /// What the text is called in messages.
    pub name: PathBuf,
}

/// Converts the text `options` names for the site at `root`.
pub fn convert(
    root: &Path,
    options: &ConvertOptions,
    engine: &Arc<dyn Engine>,
) -> Result<Converted> {
    let config = if root.join(crate::layout::SITE_FILE).is_file() {
        SiteConfig::load(root).map_err(Report::from)?
    } else {
        SiteConfig::parse(DEFAULT_SITE).map_err(Report::from)?
    };
    let (name, text) = read(options.file.as_deref())?;
    let mut config = config;
    let variant = choose(&mut config, options)?;
    let converters: Vec<Converter> = (config.variants.iter())
        .map(|v| Converter::new(engine.as_ref(), &v.opencc))
        .collect::<Result<_, _>>()
        .map_err(anyhow::Error::msg)?;
    let index = (config.variants.iter())
        .position(|v| v.key == variant)
        .unwrap_or_default();
    let target = &config.variants[index];
    let localizer = Localizer::new(&target.key, &converters[index], target.punctuation);
    let variants = config.variant_keys();
    let source = config.source().key.clone();
    let glossary = &config.glossary;
    // `-{…}-` lifted out as the build lifts it; a markup problem is
    // `check`'s to report, and the text then stays as written.
    let prepare = |text: &str, code: &[Range<usize>]| {
        let mut spans = Vec::new();
        match markup::prepare(text, &variants, &source, code, &mut spans) {
            Ok(prepared) => (prepared, spans),
            Err(_) => (text.to_string(), Vec::new()),
        }
    };
    let whole = |text: &str| {
        let (prepared, spans) = prepare(text, &[]);
        localizer.localize(&prepared, &spans, glossary)
    };
    let converted = if options.plain {
        whole(&text)
    } else {
        markdown(&text, &whole, &|body| {
            let (prepared, spans) = prepare(body, &crate::source::markdown::code_ranges(body));
            let runs = |run: &str| localizer.localize(run, &spans, glossary);
            crate::convert::markdown::localize_source(&prepared, &runs)
        })
    };
    let review = crate::lint::script::text(&config, &converters, engine.as_ref(), &name, &text)
        .map_err(anyhow::Error::msg)?;
    Ok(Converted {
        text: converted,
        review,
        name,
    })
}

/// The text of `file`, or of standard input, and its name for messages.
fn read(file: Option<&Path>) -> Result<(PathBuf, String)> {
    match file.filter(|f| *f != Path::new("-")) {
        Some(file) => {
            let text = std::fs::read_to_string(file)
                .with_context(|| format!("cannot read {} as UTF-8 text", file.display()))?;
            Ok((file.to_path_buf(), text))
        }
        None => {
            let mut text = String::new();
            std::io::Read::read_to_string(&mut std::io::stdin(), &mut text)
                .context("cannot read standard input as UTF-8 text")?;
            Ok((PathBuf::from("<stdin>"), text))
        }
    }
}

/// The key of the variant to write, with `--opencc` put in its place.
fn choose(config: &mut SiteConfig, options: &ConvertOptions) -> Result<String> {
    let generated = config.generated_keys();
    let key = match &options.to {
        Some(key) if config.variants.iter().any(|v| &v.key == key) => key.clone(),
        Some(key) => bail!(
            "`{key}` is not a variant of this site; choose one of: {}",
            config.variant_keys().join(", ")
        ),
        None => match generated.first() {
            Some(key) => key.to_string(),
            None => bail!("this site has no variant made by conversion"),
        },
    };
    if !options.opencc.is_empty() {
        let variant = (config.variants.iter_mut())
            .find(|v| v.key == key)
            .context("the variant is there")?;
        variant.opencc = options.opencc.clone();
    }
    Ok(key)
}

/// A Markdown `text` in the variant: the values of the front matter keys
/// readers see through `value`, the body through `body`; keys, dates and
/// addresses as written.
fn markdown(text: &str, value: &dyn Fn(&str) -> String, body: &dyn Fn(&str) -> String) -> String {
    let (head, body_text) = match front_matter::split(text) {
        Ok(split) => {
            let head = &text[..text.len() - split.body.len()];
            let mut out = String::with_capacity(head.len());
            let mut readers_see = false;
            for line in head.split_inclusive('\n') {
                let indented = line.starts_with([' ', '\t']);
                if !indented {
                    let key = line.split_once(':').map(|(key, _)| key.trim());
                    readers_see = key.is_some_and(|k| FrontMatter::TEXT_KEYS.contains(&k));
                }
                match line.find(':').filter(|_| !indented) {
                    Some(colon) if readers_see => {
                        out.push_str(&line[..=colon]);
                        out.push_str(&value(&line[colon + 1..]));
                    }
                    None if readers_see => out.push_str(&value(line)),
                    _ => out.push_str(line),
                }
            }
            (out, split.body)
        }
        Err(_) => (String::new(), text),
    };
    let body = body(body_text);
    format!("{head}{body}")
}
