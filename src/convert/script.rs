//! Which script a character belongs to, as OpenCC's dictionaries say.
//!
//! A character is *Traditional-only* when the Traditional→Simplified tables
//! convert it and no conversion ever produces it: `國` is, but `著` is not,
//! because Simplified text keeps `著` in `显著` and `著名`. The reverse holds
//! for *Simplified-only*. Both sets come from the embedded dictionaries of
//! `opencc-fmmseg`, never from a hand-kept list, so they follow OpenCC.

use std::collections::{BTreeSet, HashMap, HashSet};
use std::sync::OnceLock;

use opencc_fmmseg::{DictMaxLen, DictionaryMaxlength};

struct Scripts {
    traditional_only: HashSet<char>,
    simplified_only: HashSet<char>,
    ambiguous: HashMap<char, Vec<char>>,
    /// Each character's usual Simplified form, where it differs.
    simplified: HashMap<char, char>,
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
            ambiguous: ambiguous(&dicts),
            simplified: simplified(&dicts),
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

/// How many phrases must map a character to another form before that form
/// counts: a single phrase is a word-level substitution (新婦 → 媳妇), not an
/// ambiguity of the character.
const PHRASE_SUPPORT: usize = 2;

/// Whether `c` is in the CJK Unified Ideographs block: the forms a newspaper
/// prints. Forms from the extension blocks are left out of the report.
fn is_common_ideograph(c: char) -> bool {
    ('\u{4E00}'..='\u{9FFF}').contains(&c)
}

/// Traditional characters whose Simplified form depends on context, with
/// their possible forms. The embedded tables keep one candidate per
/// character, so the alternatives are read from two other places:
///
/// * phrases that map a character away from its usual form (著 → 着, but
///   顯著 → 显著, 著名 → 著名), when at least [`PHRASE_SUPPORT`] do;
/// * several Simplified characters that map back to one Traditional
///   character (余 and 馀 are both 餘), so converting it must choose.
fn ambiguous(dicts: &DictionaryMaxlength) -> HashMap<char, Vec<char>> {
    let usual: HashMap<char, char> = dicts
        .ts_characters
        .iter()
        .filter_map(|(key, value)| match key {
            [c] => value.chars().next().map(|s| (*c, s)),
            _ => None,
        })
        .collect();
    let usual_form = |t: char| usual.get(&t).copied().unwrap_or(t);
    let mut forms: HashMap<char, BTreeSet<char>> = HashMap::new();

    let mut support: HashMap<(char, char), usize> = HashMap::new();
    for (key, value) in dicts.ts_phrases.iter() {
        if value.chars().count() != key.len() {
            continue;
        }
        for (&t, s) in key.iter().zip(value.chars()) {
            if s != usual_form(t) && is_common_ideograph(s) {
                *support.entry((t, s)).or_default() += 1;
            }
        }
    }
    for ((t, s), count) in support {
        if count >= PHRASE_SUPPORT {
            forms.entry(t).or_default().extend([usual_form(t), s]);
        }
    }

    let mut back: HashMap<char, BTreeSet<char>> = HashMap::new();
    for (key, value) in dicts.st_characters.iter() {
        if let ([s], Some(t)) = (key, value.chars().next()) {
            if is_common_ideograph(*s) {
                back.entry(t).or_default().insert(*s);
            }
        }
    }
    for (t, mut simplified) in back {
        if usual.contains_key(&t) {
            simplified.insert(usual_form(t));
            if simplified.len() > 1 {
                forms.entry(t).or_default().extend(simplified);
            }
        }
    }
    forms
        .into_iter()
        .map(|(c, set)| (c, set.into_iter().collect()))
        .collect()
}

/// Each character's usual Simplified form, character by character: Hong
/// Kong variant forms first go to the standard Traditional form (綫 → 線),
/// then Traditional to Simplified (線 → 线).
fn simplified(dicts: &DictionaryMaxlength) -> HashMap<char, char> {
    let single = |table: &DictMaxLen| -> HashMap<char, char> {
        table
            .iter()
            .filter_map(|(key, value)| match key {
                [c] => value.chars().next().map(|v| (*c, v)),
                _ => None,
            })
            .collect()
    };
    let to_simplified = single(&dicts.ts_characters);
    let hk_to_standard = single(&dicts.hk_variants_rev);
    let mut table: HashMap<char, char> = to_simplified.clone();
    for (hk, standard) in hk_to_standard {
        let form = to_simplified.get(&standard).copied().unwrap_or(standard);
        table.insert(hk, form);
    }
    table.retain(|from, to| from != to);
    table
}

/// `c`'s usual Simplified form (`數` → `数`); `c` itself when it has none.
pub fn simplified_form(c: char) -> char {
    scripts().simplified.get(&c).copied().unwrap_or(c)
}

/// Every character with a Simplified form that differs, in code-point order.
pub fn simplified_forms() -> impl Iterator<Item = (char, char)> {
    let mut pairs: Vec<(char, char)> = scripts().simplified.iter().map(|(&t, &s)| (t, s)).collect();
    pairs.sort_unstable();
    pairs.into_iter()
}

/// The Simplified forms of `c` when they depend on context (`乾` → `[干, 乾]`).
pub fn ambiguous_forms(c: char) -> Option<&'static [char]> {
    scripts().ambiguous.get(&c).map(Vec::as_slice)
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
    fn ambiguity_comes_from_the_dictionaries() {
        assert_eq!(
            ambiguous_forms('乾'),
            Some(&['乾', '干'][..]),
            "sorted by code point"
        );
        assert_eq!(ambiguous_forms('著'), Some(&['着', '著'][..]));
        for c in ['藉', '瞭', '餘', '沈', '昇', '甦', '祕'] {
            assert!(ambiguous_forms(c).is_some_and(|f| f.len() > 1), "{c}");
        }
        // Word-level substitutions and rare forms are not ambiguities.
        for c in ['國', '港', '發', '臺', '新', '開', '劃', '戰'] {
            assert_eq!(ambiguous_forms(c), None, "{c}");
        }
        let count = scripts().ambiguous.len();
        assert!((20..200).contains(&count), "{count} ambiguous characters");
    }

    #[test]
    fn cantonese_characters_are_not_simplified() {
        for c in ['嘅', '咗', '冇', '佢', '啲', '嘢', '喺', '噉'] {
            assert!(!is_simplified_only(c), "{c}");
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
