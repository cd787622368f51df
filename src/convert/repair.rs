//! The pass after OpenCC: what a conversion must never put on a page.
//!
//! * A character from a CJK extension block that the source did not have
//!   (餸 → 𩠌, 嗰 → 𠮶, 𨋢 → 䢂): common fonts lack it and readers see an empty
//!   box, so the source character stays.
//! * On a Simplified page, a Traditional-only character kept by a dictionary
//!   phrase that starts before it (著於 in 執著於 leaves 於): the character
//!   gets the form it has when the text is read from it on (于). A phrase
//!   that starts at the character keeps it on purpose (the surname in
//!   於梨華) and is left alone, unless a word starts right after the
//!   character (於倫 of 於倫敦 reads a name across 倫敦: 于伦敦).
//! * On a Simplified page, a character a phrase kept in a form that the
//!   word before it writes otherwise, where a word follows (看著名單: 著名
//!   kept 著, but 看着 and 名单 are words, so 看着名单). This is the class of
//!   OpenCC's phrases that start with a character whose usual form is
//!   another (著名, 著作): an aspect particle before them is read as their
//!   start.
//! * On a Simplified page, a Traditional-only character the engine does not
//!   know at all (an older system OpenCC leaves Hong Kong's 舖): it gets its
//!   form from OpenCC's own character tables, vendored in `opencc/` (铺).
//!   So does a Japanese form no Chinese table writes (呉 → 吴, 様 → 样, by
//!   OpenCC's JPShinjitaiCharacters).
//!
//! Each change is returned as a [`Repair`], which `check` lists.

use crate::convert::script;

/// One change the pass made, at a character index of the source text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Repair {
    /// The character's index in the text that was converted.
    pub at: usize,
    /// The source character.
    pub source: char,
    /// What the conversion wrote.
    pub converted: char,
    /// What the page has instead.
    pub written: char,
    /// Why.
    pub reason: Reason,
}

/// Why the pass changed a character.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reason {
    /// The conversion's form is in a CJK extension block; the source
    /// character is kept.
    Unreadable,
    /// A phrase across a word boundary kept a Traditional-only character.
    Straddle,
    /// The engine left a Traditional-only character it has no entry for;
    /// the character tables give its form.
    Unknown,
}

/// Whether `converted` may hold something to repair: the quick test every
/// conversion goes through.
fn suspect(source: &str, converted: &str, simplified: bool) -> bool {
    converted.chars().any(|c| {
        (script::is_extension(c) && !source.contains(c))
            || (simplified
                && (script::is_traditional_only(c)
                    || script::usage().particles.contains(&c)
                    || script::japanese_form(c).is_some()))
    })
}

/// Whether `from[i]`, which a phrase starting at it kept (著 of 著名), is
/// the aspect particle of the verb before it, with a word after it: 看著名單
/// reads 看著 名單.
fn is_particle(from: &[char], i: usize) -> bool {
    let usage = script::usage();
    i > 0
        && usage.particles.contains(&from[i])
        && usage.aspect.contains(&from[i - 1])
        && script::starts_word(from, i + 1)
}

/// `converted` (the conversion of `source` by `convert`) with the repairs
/// made, and the repairs. `simplified` says the conversion writes
/// Simplified text.
pub fn repair(
    source: &str,
    converted: String,
    simplified: bool,
    convert: &dyn Fn(&str) -> String,
) -> (String, Vec<Repair>) {
    if !suspect(source, &converted, simplified) {
        return (converted, Vec::new());
    }
    let from: Vec<char> = source.chars().collect();
    let to: Vec<char> = converted.chars().collect();
    let mut repairs = Vec::new();
    let out = if from.len() == to.len() {
        aligned(&from, to, 0, simplified, convert, &mut repairs)
    } else {
        // A phrase changed the length (rare in these directions): repair
        // clause by clause, where each clause lines up.
        let mut out = String::with_capacity(converted.len());
        let mut start = 0;
        for (i, &c) in from.iter().enumerate() {
            if is_break(c) || i + 1 == from.len() {
                let clause: String = from[start..=i].iter().collect();
                let clause_out: Vec<char> = convert(&clause).chars().collect();
                if clause_out.len() == i + 1 - start {
                    let piece = &from[start..=i];
                    out.push_str(&aligned(
                        piece,
                        clause_out,
                        start,
                        simplified,
                        convert,
                        &mut repairs,
                    ));
                } else {
                    out.extend(clause_out);
                }
                start = i + 1;
            }
        }
        out
    };
    (out, repairs)
}

/// Where a clause may end: punctuation and spaces convert as themselves.
fn is_break(c: char) -> bool {
    c.is_whitespace() || c.is_ascii_punctuation() || "，。、；：！？「」『』（）《》".contains(c)
}

/// Repairs `to`, the conversion of `from` character for character; `offset`
/// is `from`'s index in the whole text.
fn aligned(
    from: &[char],
    mut to: Vec<char>,
    offset: usize,
    simplified: bool,
    convert: &dyn Fn(&str) -> String,
    repairs: &mut Vec<Repair>,
) -> String {
    for i in 0..to.len() {
        let (source, converted) = (from[i], to[i]);
        let written = if script::is_extension(converted) && converted != source {
            Some((source, Reason::Unreadable))
        } else if simplified && converted == source && is_particle(from, i) {
            // Alone, the engine writes the particle's form (着); an engine
            // whose character table keeps 著 first (Debian's OpenCC 1.1) has
            // it as the other form.
            let alone = convert(&source.to_string()).chars().next();
            let other = || {
                script::ambiguous_forms(source)
                    .and_then(|forms| forms.iter().copied().find(|&f| f != source))
            };
            (alone.filter(|&c| c != source).or_else(other)).map(|c| (c, Reason::Straddle))
        } else if let Some(form) = script::japanese_form(converted).filter(|_| simplified) {
            // A Japanese form (呉, 様) is no Simplified character: the form
            // of the Chinese character it stands for (吴, 样).
            Some((form, Reason::Unknown))
        } else if simplified && script::is_traditional_only(converted) {
            // Read from this character on: a phrase starting here keeps it.
            let rest: String = from[i..].iter().collect();
            let fresh = convert(&rest).chars().next();
            let alone = convert(&converted.to_string()).chars().next();
            let table = script::simplified_form(converted);
            // Read from two characters before: a word there (執著 of 執著於)
            // takes the phrase's start away, a name (陳昇 of 話陳昇) does not.
            let earlier = i
                .checked_sub(2)
                .map(|start| convert(&from[start..].iter().collect::<String>()))
                .and_then(|text| text.chars().nth(2));
            let straddled = earlier.is_some_and(|c| c != converted);
            if straddled && fresh.is_some_and(|c| c != converted && !script::is_extension(c)) {
                fresh.map(|c| (c, Reason::Straddle))
            } else if alone == Some(converted) && table != converted && !script::is_extension(table)
            {
                // The engine does not know the character even on its own,
                // so no phrase kept it on purpose (於梨華 converts 於 alone).
                Some((table, Reason::Unknown))
            } else if alone.is_some_and(|c| c != converted) && script::starts_word(from, i + 1) {
                // The phrase that keeps it reads a name (於倫) across the
                // word after it (倫敦): 他於倫敦病逝 is 他于伦敦病逝.
                alone.map(|c| (c, Reason::Straddle))
            } else {
                None
            }
        } else {
            None
        };
        if let Some((written, reason)) = written {
            to[i] = written;
            repairs.push(Repair {
                at: offset + i,
                source,
                converted,
                written,
                reason,
            });
        }
    }
    to.into_iter().collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::convert::engine::{default_engine, Converter};

    fn hk2s() -> Converter {
        Converter::new(default_engine().as_ref(), &["hk2s".to_string()]).expect("hk2s")
    }

    #[test]
    fn extension_characters_are_never_brought_in() {
        let cc = hk2s();
        for (source, expected) in [("餸菜", "餸菜"), ("嗰個人", "嗰个人"), ("搭𨋢", "搭𨋢")]
        {
            let (out, repairs) = cc.convert_explained(source);
            assert_eq!(out, expected, "{source}");
            assert_eq!(repairs.len(), 1, "{source}: {repairs:?}");
            assert_eq!(repairs[0].reason, Reason::Unreadable);
            assert!(!out.chars().any(script::is_extension) || source.contains('𨋢'));
        }
    }

    #[test]
    fn a_phrase_across_a_word_boundary_leaves_no_traditional_character() {
        let cc = hk2s();
        let (out, repairs) = cc.convert_explained("他很執著於細節");
        assert_eq!(out, "他很执著于细节");
        // The system OpenCC reads 執著 first and needs no repair.
        if cfg!(feature = "system-opencc") {
            return;
        }
        assert_eq!(repairs.len(), 1, "{repairs:?}");
        let r = &repairs[0];
        assert_eq!(
            (r.at, r.source, r.converted, r.written),
            (4, '於', '於', '于')
        );
        assert_eq!(r.reason, Reason::Straddle);
    }

    #[test]
    fn a_character_the_engine_does_not_know_gets_the_tables_form() {
        // An engine without Hong Kong's 舖 (Debian's OpenCC 1.1) leaves it.
        let leaves = |text: &str| text.replace('鋪', "铺");
        let (out, repairs) = repair("舖頭", "舖头".to_string(), true, &leaves);
        assert_eq!(out, "铺头");
        assert_eq!(repairs.len(), 1, "{repairs:?}");
        assert_eq!(repairs[0].reason, Reason::Unknown);
        // A character the engine converts alone is left to its phrases.
        let keeps = |text: &str| text.replace('於', "于").replace("于梨", "於梨");
        let (out, repairs) = repair("於梨", "於梨".to_string(), true, &keeps);
        assert_eq!(out, "於梨");
        assert!(repairs.is_empty(), "{repairs:?}");
    }

    #[test]
    fn a_phrase_that_starts_at_the_character_keeps_it() {
        // The dictionaries keep the surname 於 of 於梨華 on purpose.
        let (out, repairs) = hk2s().convert_explained("作家於梨華");
        assert_eq!(out, "作家於梨华");
        assert!(repairs.is_empty(), "{repairs:?}");
    }

    #[test]
    fn the_particle_before_a_phrase_is_the_particle() {
        let cc = hk2s();
        // 著名 and 著作 kept 著; the verb before it and the word after it say
        // it is the particle. Each alone, and all in one text.
        let cases = [
            ("他們看著名單", "他们看着名单"),
            ("她穿著名牌外套", "她穿着名牌外套"),
            ("他寫著作業", "他写着作业"),
        ];
        for (source, expected) in cases {
            let (out, repairs) = cc.convert_explained(source);
            assert_eq!(out, expected, "{source}");
            // The system OpenCC may segment these right by itself.
            if !cfg!(feature = "system-opencc") {
                assert_eq!(repairs.len(), 1, "{source}: {repairs:?}");
                assert_eq!(repairs[0].reason, Reason::Straddle);
            }
        }
        let together: String = cases.iter().map(|(s, _)| format!("{s}。")).collect();
        let (out, repairs) = cc.convert_explained(&together);
        assert_eq!(out, "他们看着名单。她穿着名牌外套。他写着作业。");
        if !cfg!(feature = "system-opencc") {
            assert_eq!(repairs.len(), 3, "{repairs:?}");
        }
        // 著名 itself, and 著名 after a word that ends in 著, stay.
        for (source, expected) in [
            ("他是著名學者，最著名的一章", "他是著名学者，最著名的一章"),
            ("顯著名氣", "显著名气"),
            ("沿著名山", "沿著名山"),
            // Only the particle: the Cantonese 哩 after a verb stays.
            ("我唔想向哩啲人買車", "我唔想向哩啲人买车"),
        ] {
            assert_eq!(cc.convert(source), expected, "{source}");
        }
    }

    #[test]
    fn a_name_read_across_the_next_word_is_no_name() {
        // OpenCC's 於倫 keeps 於 as a surname; 倫敦 after it says otherwise.
        let cc = hk2s();
        assert_eq!(cc.convert("他於倫敦病逝"), "他于伦敦病逝");
        assert_eq!(cc.convert("作家於梨華"), "作家於梨华");
    }

    #[test]
    fn japanese_forms_get_their_simplified_form() {
        let (out, repairs) = hk2s().convert_explained("呉先生的模様，國學會");
        assert_eq!(out, "吴先生的模样，国学会");
        assert!(repairs.len() >= 2, "{repairs:?}");
    }

    #[test]
    fn plain_text_is_untouched() {
        let (out, repairs) = hk2s().convert_explained("數碼港「招兵買馬」");
        assert_eq!(out, "数码港「招兵买马」");
        assert!(repairs.is_empty());
    }
}
