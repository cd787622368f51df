//! From source text to one variant's text: the editor's steering first, then
//! OpenCC, then the variant's punctuation.
//!
//! Source text reaches here *prepared*: each inline `-{…}-` span has been
//! replaced by a placeholder character that indexes a list of [`Fixed`]
//! spans (see [`crate::source::markup`]). [`Localizer::localize`] cuts the text at
//! placeholders and at glossary terms, resolves those for its variant, and
//! converts only what is left, so a protected term is never converted and a
//! glossary phrase is never converted twice.

use crate::convert::Converter;
use crate::source::glossary::Glossary;
#[cfg(test)]
use crate::source::span::placeholder;
use crate::source::span::{placeholder_index, Fixed};

/// Turns prepared source text into one variant's text.
#[derive(Debug)]
pub struct Localizer<'a> {
    variant: &'a str,
    converter: &'a Converter,
    punctuation: bool,
}

impl<'a> Localizer<'a> {
    /// A localizer for variant `variant`, converting with `converter`, and
    /// turning 「」『』 into “”‘’ when `punctuation` is set.
    pub fn new(variant: &'a str, converter: &'a Converter, punctuation: bool) -> Self {
        Localizer {
            variant,
            converter,
            punctuation,
        }
    }

    /// The variant this localizer writes.
    pub fn variant(&self) -> &str {
        self.variant
    }

    /// `text` in this variant. `fixed` resolves its placeholders; `glossary`
    /// holds the site's (and the article's) terms.
    pub fn localize(&self, text: &str, fixed: &[Fixed], glossary: &Glossary) -> String {
        let mut out = String::with_capacity(text.len());
        let mut plain_start = 0;
        for (at, c) in text.char_indices() {
            let Some(index) = placeholder_index(c) else {
                continue;
            };
            self.localize_plain(&text[plain_start..at], glossary, &mut out);
            match fixed.get(index) {
                Some(span) => out.push_str(&self.resolve(span)),
                // A private-use character that is not ours stays as it is.
                None => out.push(c),
            }
            plain_start = at + c.len_utf8();
        }
        self.localize_plain(&text[plain_start..], glossary, &mut out);
        out
    }

    /// Text without placeholders: glossary terms resolved, the rest converted.
    fn localize_plain(&self, text: &str, glossary: &Glossary, out: &mut String) {
        let mut plain_start = 0;
        for (range, span) in glossary.find_iter(text) {
            self.convert_into(&text[plain_start..range.start], out);
            out.push_str(&self.resolve(span));
            plain_start = range.end;
        }
        self.convert_into(&text[plain_start..], out);
    }

    fn convert_into(&self, text: &str, out: &mut String) {
        if text.is_empty() {
            return;
        }
        let converted = self.converter.convert(text);
        if self.punctuation {
            out.extend(converted.chars().map(western_quote));
        } else {
            out.push_str(&converted);
        }
    }

    fn resolve(&self, span: &Fixed) -> String {
        match span {
            Fixed::Keep(text) => text.clone(),
            Fixed::PerVariant { texts, fallback } => match texts.get(self.variant) {
                Some(text) => text.clone(),
                None => {
                    let mut out = String::new();
                    self.convert_into(fallback, &mut out);
                    out
                }
            },
        }
    }
}

/// Corner brackets to the quotation marks mainland readers expect.
fn western_quote(c: char) -> char {
    match c {
        '「' => '“',
        '」' => '”',
        '『' => '‘',
        '』' => '’',
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::convert::default_engine;
    use crate::source::glossary::GlossaryConfig;

    fn hk2s() -> Converter {
        Converter::new(default_engine().as_ref(), &["hk2s".to_string()]).expect("hk2s")
    }

    fn glossary(yaml: &str) -> Glossary {
        let config: GlossaryConfig = serde_yaml::from_str(yaml).expect("valid glossary");
        Glossary::new(&[&config])
    }

    #[test]
    fn placeholders_resolve_per_variant() {
        let cc = hk2s();
        let identity = Converter::identity();
        let fixed = vec![
            Fixed::Keep("乾隆".into()),
            Fixed::PerVariant {
                texts: [("zh-hans".to_string(), "出租车".to_string())]
                    .into_iter()
                    .collect(),
                fallback: "的士".into(),
            },
        ];
        let text = format!("{}年間坐{}的人", placeholder(0), placeholder(1));
        let none = Glossary::default();
        assert_eq!(
            Localizer::new("zh-hans", &cc, false).localize(&text, &fixed, &none),
            "乾隆年间坐出租车的人"
        );
        assert_eq!(
            Localizer::new("zh-hant", &identity, false).localize(&text, &fixed, &none),
            "乾隆年間坐的士的人"
        );
    }

    #[test]
    fn glossary_protects_and_replaces_longest_first() {
        let cc = hk2s();
        let g = glossary("protect: [乾隆, 乾隆帝]\nphrases:\n  的士: {zh-hans: 出租车}\n");
        let hans = Localizer::new("zh-hans", &cc, false);
        assert_eq!(hans.localize("乾隆帝愛坐的士", &[], &g), "乾隆帝爱坐出租车");
        assert_eq!(
            hans.localize("乾燥", &[], &g),
            "干燥",
            "only whole terms are protected"
        );
    }

    #[test]
    fn punctuation_changes_only_converted_text() {
        let cc = hk2s();
        let fixed = vec![Fixed::Keep("「原樣」".into())];
        let text = format!("「數碼港」與『綠色』{}", placeholder(0));
        let hans = Localizer::new("zh-hans", &cc, true);
        assert_eq!(
            hans.localize(&text, &fixed, &Glossary::default()),
            "“数码港”与‘绿色’「原樣」"
        );
    }

    #[test]
    fn foreign_private_use_characters_pass_through() {
        let text = format!("甲{}乙", placeholder(7));
        let id = Converter::identity();
        assert_eq!(
            Localizer::new("zh-hant", &id, false).localize(&text, &[], &Glossary::default()),
            text
        );
    }
}
