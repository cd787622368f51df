//! Fixed spans: text the editor has settled for every script, and the
//! placeholder characters that stand for it while the rest is converted.
//!
//! [`crate::source::markup`] lifts each `-{…}-` span out of the source and
//! leaves a placeholder; [`crate::source::glossary`] finds `protect` and
//! per-variant terms; [`crate::convert::localize`] resolves both per variant.

use indexmap::IndexMap;

/// The first placeholder character: Supplementary Private Use Area-A, which
/// OpenCC's dictionaries never contain and editors do not type.
pub const PLACEHOLDER_BASE: u32 = 0xF0000;
/// How many placeholders one article can hold.
pub const PLACEHOLDER_LIMIT: u32 = 0xFFFD;

/// The placeholder for span `index`.
pub fn placeholder(index: usize) -> char {
    char::from_u32(PLACEHOLDER_BASE + index as u32).expect("index below PLACEHOLDER_LIMIT")
}

/// The span index a placeholder stands for.
pub fn placeholder_index(c: char) -> Option<usize> {
    let code = c as u32;
    (PLACEHOLDER_BASE..PLACEHOLDER_BASE + PLACEHOLDER_LIMIT)
        .contains(&code)
        .then(|| (code - PLACEHOLDER_BASE) as usize)
}

/// What a protected or marked span becomes.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Fixed {
    /// The same text in every variant: `-{乾隆}-`, or a `protect` term.
    Keep(String),
    /// Each listed variant's own text; any other variant converts `fallback`
    /// as usual (the source variant's text, or the glossary term itself).
    PerVariant {
        /// Text by variant key.
        texts: IndexMap<String, String>,
        /// What unlisted variants convert.
        fallback: String,
    },
}
