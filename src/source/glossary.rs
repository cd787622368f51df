//! Glossaries: terms an editor steers, site-wide in site.yaml and per article
//! in front matter, under the same `conversion:` key.
//!
//! ```yaml
//! conversion:
//!   protect: [乾隆, 郭台銘]        # never converted, in any variant
//!   phrases:                      # what a phrase becomes in a given variant
//!     的士: {zh-hans: 出租车}
//! ```
//!
//! A [`Glossary`] merges such configs (later ones win for the same term) and
//! finds their terms in text, longest match first.

use std::ops::Range;

use aho_corasick::{AhoCorasick, MatchKind};
use indexmap::IndexMap;
use serde::Deserialize;

use crate::diagnostic::{Diagnostic, Kind};
use crate::source::span::Fixed;

/// A `conversion:` block as written.
#[derive(Debug, Clone, Default, Deserialize, serde::Serialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct GlossaryConfig {
    /// Terms written the same in every variant.
    #[serde(default)]
    pub protect: Vec<String>,
    /// Terms with their text per variant key.
    #[serde(default)]
    pub phrases: IndexMap<String, IndexMap<String, String>>,
}

impl GlossaryConfig {
    /// Whether the block defines no term.
    pub fn is_empty(&self) -> bool {
        self.protect.is_empty() && self.phrases.is_empty()
    }

    /// What is wrong with the block, given the site's variant keys: each
    /// problem with the text to locate it by (the caller, who knows the
    /// file and where the block starts, sets the file and line).
    pub fn problems(&self, variants: &[&str]) -> Vec<(String, Diagnostic)> {
        let problem = |needle: &str, message: String, help: String| {
            let message = format!("conversion: {message}");
            let d = Diagnostic::error(Kind::Content, "", message).with_help(help);
            (needle.to_string(), d)
        };
        let mut problems = Vec::new();
        for term in self.protect.iter().chain(self.phrases.keys()) {
            if term.trim().is_empty() {
                problems.push(problem(
                    "protect:",
                    "a glossary term is empty".to_string(),
                    "remove the empty entry".to_string(),
                ));
            }
        }
        for (term, texts) in &self.phrases {
            for key in texts.keys() {
                if !variants.contains(&key.as_str()) {
                    problems.push(problem(
                        key,
                        format!("the phrase `{term}` names `{key}`, which is not a variant"),
                        crate::diagnostic::suggest(key, variants).replace("valid keys", "variants"),
                    ));
                }
            }
        }
        problems
    }
}

/// Merged glossary terms, ready to find in text.
#[derive(Debug, Default, Clone)]
pub struct Glossary {
    spans: Vec<Fixed>,
    matcher: Option<AhoCorasick>,
}

impl Glossary {
    /// Merges `configs` in order: a later config's entry for a term replaces
    /// an earlier one's (an article's glossary wins over the site's).
    pub fn new(configs: &[&GlossaryConfig]) -> Glossary {
        let mut terms: IndexMap<&str, Fixed> = IndexMap::new();
        for config in configs {
            for term in config.protect.iter().filter(|t| !t.is_empty()) {
                terms.insert(term, Fixed::Keep(term.clone()));
            }
            for (term, texts) in config.phrases.iter().filter(|(t, _)| !t.is_empty()) {
                terms.insert(
                    term,
                    Fixed::PerVariant {
                        texts: texts.clone(),
                        fallback: term.clone(),
                    },
                );
            }
        }
        if terms.is_empty() {
            return Glossary::default();
        }
        let matcher = AhoCorasick::builder()
            .match_kind(MatchKind::LeftmostLongest)
            .build(terms.keys())
            .expect("a few thousand short terms always build");
        Glossary {
            spans: terms.into_values().collect(),
            matcher: Some(matcher),
        }
    }

    /// Whether the glossary has no term.
    pub fn is_empty(&self) -> bool {
        self.spans.is_empty()
    }

    /// Each term in `text`, leftmost and longest first, with what it becomes.
    pub fn find_iter<'a>(
        &'a self,
        text: &'a str,
    ) -> impl Iterator<Item = (Range<usize>, &'a Fixed)> + 'a {
        self.matcher
            .iter()
            .flat_map(move |m| m.find_iter(text))
            .map(|m| (m.range(), &self.spans[m.pattern().as_usize()]))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(yaml: &str) -> GlossaryConfig {
        serde_yaml::from_str(yaml).expect("valid")
    }

    #[test]
    fn longest_term_wins() {
        let g = Glossary::new(&[&config("protect: [台, 台銘, 郭台銘]")]);
        let found: Vec<_> = g.find_iter("郭台銘在台").map(|(r, _)| r).collect();
        assert_eq!(found, [0..9, 12..15]);
    }

    #[test]
    fn a_later_config_wins_for_the_same_term() {
        let site = config("phrases:\n  的士: {zh-hans: 出租车}\n");
        let article = config("protect: [的士]\n");
        let g = Glossary::new(&[&site, &article]);
        let spans: Vec<_> = g.find_iter("的士").map(|(_, f)| f.clone()).collect();
        assert_eq!(spans, [Fixed::Keep("的士".into())]);
    }

    #[test]
    fn unknown_variant_in_a_phrase_is_a_problem() {
        let c = config("phrases:\n  的士: {zh-hanz: 出租车}\n");
        let problems = c.problems(&["zh-hant", "zh-hans"]);
        assert_eq!(problems.len(), 1);
        assert_eq!(problems[0].0, "zh-hanz");
        assert_eq!(
            problems[0].1.message,
            "conversion: the phrase `的士` names `zh-hanz`, which is not a variant"
        );
        assert_eq!(
            problems[0].1.help.as_deref(),
            Some("did you mean `zh-hans`?")
        );
    }

    #[test]
    fn unknown_keys_are_refused() {
        assert!(serde_yaml::from_str::<GlossaryConfig>("protects: [a]").is_err());
    }
}
