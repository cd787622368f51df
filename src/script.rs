//! Which script a character belongs to, as OpenCC's dictionaries say.
//!
//! A character is *Traditional-only* when the Traditional→Simplified tables
//! convert it and no conversion ever produces it: `國` is, but `著` is not,
//! because Simplified text keeps `著` in `显著` and `著名`. The reverse holds
//! for *Simplified-only*. Both sets come from the embedded dictionaries of
//! `opencc-fmmseg`, never from a hand-kept list, so they follow OpenCC.

use std::collections::HashSet;
use std::sync::OnceLock;

use opencc_fmmseg::{DictMaxLen, DictionaryMaxlength};

struct Scripts {
    traditional_only: HashSet<char>,
    simplified_only: HashSet<char>,
}

fn scripts() -> &'static Scripts {
    static SCRIPTS: OnceLock<Scripts> = OnceLock::new();
    SCRIPTS.get_or_init(|| {
        let dicts = DictionaryMaxlength::new().unwrap_or_default();
        Scripts {
            traditional_only: one_way(
                &[&dicts.ts_characters, &dicts.hk_variants_rev],
                &[&dicts.ts_characters, &dicts.ts_phrases],
            ),
            simplified_only: one_way(
                &[&dicts.st_characters],
                &[&dicts.st_characters, &dicts.st_phrases],
            ),
        }
    })
}

/// Single characters that `from` tables convert, less every character that
/// any `produced` table writes in its output.
fn one_way(from: &[&DictMaxLen], produced: &[&DictMaxLen]) -> HashSet<char> {
    let mut converted: HashSet<char> = from
        .iter()
        .flat_map(|d| d.iter())
        .filter_map(|(key, _)| match key {
            [c] => Some(*c),
            _ => None,
        })
        .collect();
    for (_, values) in produced.iter().flat_map(|d| d.iter()) {
        for c in values.chars() {
            converted.remove(&c);
        }
    }
    converted
}

/// Whether `c` only occurs in Traditional text (`國`, `發`, `數`).
pub fn is_traditional_only(c: char) -> bool {
    scripts().traditional_only.contains(&c)
}

/// Whether `c` only occurs in Simplified text (`国`, `发`, `数`).
pub fn is_simplified_only(c: char) -> bool {
    scripts().simplified_only.contains(&c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn traditional_only_characters() {
        for c in ['國', '發', '數', '碼', '灣'] {
            assert!(is_traditional_only(c), "{c}");
        }
        // Shared by both scripts, or Simplified.
        for c in ['著', '港', '人', '国', 'A', '乾'] {
            assert!(!is_traditional_only(c), "{c}");
        }
    }

    #[test]
    fn simplified_only_characters() {
        for c in ['国', '发', '数', '码'] {
            assert!(is_simplified_only(c), "{c}");
        }
        for c in ['港', '人', '國', '著', '乾'] {
            assert!(!is_simplified_only(c), "{c}");
        }
    }
}
