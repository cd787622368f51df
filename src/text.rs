//! Plain-text rules for Chinese copy: which characters count as CJK, how a
//! hard-wrapped line is joined, and how a summary is cut.
//!
//! These are the typographic decisions every other module relies on, kept in
//! one place so that Markdown rendering, summaries and (later) the importer
//! agree on them.

/// Whether `c` is a character that sets solid in Chinese text: ideographs,
/// kana, hangul, and the full-width punctuation and symbols set among them.
///
/// A line break or a space between two such characters is a typesetting
/// artifact (a column wrap), never a word separator.
pub fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x2E80..=0x2FFF      // radicals, Kangxi, ideographic description
        | 0x3000..=0x303F    // CJK symbols and punctuation: 。、「」『』〈〉
        | 0x3040..=0x31FF    // kana, bopomofo, CJK strokes
        | 0x3200..=0x4DBF    // enclosed CJK, compatibility, extension A
        | 0x4E00..=0x9FFF    // unified ideographs
        | 0xAC00..=0xD7AF    // hangul syllables
        | 0xF900..=0xFAFF    // compatibility ideographs
        | 0xFE10..=0xFE1F    // vertical forms
        | 0xFE30..=0xFE4F    // CJK compatibility forms
        | 0xFF00..=0xFFEF    // full-width forms: ，！？（）：；
        | 0x20000..=0x3FFFF  // extensions B and later
    )
}

/// What a soft line break between `before` and `after` should become.
///
/// Editors may hard-wrap Chinese paragraphs; a break between two CJK
/// characters is then no space at all. Anywhere else (between Latin words,
/// say) it is an ordinary space, as a browser would show it.
pub fn soft_break_between(before: Option<char>, after: Option<char>) -> &'static str {
    match (before, after) {
        (Some(b), Some(a)) if is_cjk(b) && is_cjk(a) => "",
        _ => " ",
    }
}

/// Joins hard-wrapped lines as a reader would see them: nothing between two
/// CJK characters, one space elsewhere.
pub fn join_lines(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for line in text.lines().map(str::trim).filter(|l| !l.is_empty()) {
        if !out.is_empty() {
            out.push_str(soft_break_between(out.chars().last(), line.chars().next()));
        }
        out.push_str(line);
    }
    out
}

/// Characters after which a summary may end cleanly.
const SENTENCE_ENDS: &[char] = &['。', '！', '？', '；', '!', '?', ';'];

/// Cuts `text` to at most `max_chars` characters for a summary.
///
/// Counting is by characters, not bytes, so no CJK character is ever split.
/// The cut prefers the last sentence end within the limit (when it keeps at
/// least half the budget), never falls inside a Latin word, and marks an
/// elision with the Chinese ellipsis `……`. Text within the limit is returned
/// whole.
pub fn cut_summary(text: &str, max_chars: usize) -> String {
    let text = text.trim();
    let chars: Vec<char> = text.chars().collect();
    if chars.len() <= max_chars {
        return text.to_string();
    }
    let window = &chars[..max_chars];
    if let Some(end) = window.iter().rposition(|c| SENTENCE_ENDS.contains(c)) {
        if end + 1 >= max_chars / 2 {
            return window[..=end].iter().collect();
        }
    }
    let mut cut = max_chars;
    // Back out of a Latin word or number that the limit would split.
    if chars[cut].is_ascii_alphanumeric() {
        while cut > 0 && chars[cut - 1].is_ascii_alphanumeric() {
            cut -= 1;
        }
        if cut == 0 {
            cut = max_chars;
        }
    }
    let mut kept: String = chars[..cut].iter().collect();
    // A trailing comma or space before the ellipsis reads as a typo.
    while kept.ends_with(|c: char| c.is_whitespace() || "，、,：:".contains(c)) {
        kept.pop();
    }
    kept.push_str("……");
    kept
}

/// Escapes text for HTML and XML content and quoted attributes.
pub fn escape_html(input: &str) -> String {
    let mut out = String::with_capacity(input.len() + input.len() / 8);
    for c in input.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cjk_characters_and_punctuation_are_cjk() {
        for c in ['港', '「', '。', '，', '（', '𠮷', 'ア'] {
            assert!(is_cjk(c), "{c} should be CJK");
        }
        for c in ['a', '1', ' ', '-', '℃'] {
            assert!(!is_cjk(c), "{c} should not be CJK");
        }
    }

    #[test]
    fn soft_break_vanishes_between_cjk_only() {
        assert_eq!(soft_break_between(Some('表'), Some('示')), "");
        assert_eq!(soft_break_between(Some('，'), Some('香')), "");
        assert_eq!(soft_break_between(Some('n'), Some('S')), " ");
        assert_eq!(soft_break_between(Some('b'), Some('開')), " ");
        assert_eq!(soft_break_between(None, Some('開')), " ");
    }

    #[test]
    fn lines_join_without_space_between_cjk() {
        assert_eq!(
            join_lines("香港特區\n  政府 Green\nSpace"),
            "香港特區政府 Green Space"
        );
        assert_eq!(join_lines("單行"), "單行");
    }

    #[test]
    fn short_text_is_kept_whole() {
        assert_eq!(cut_summary("  數碼港開幕。 ", 10), "數碼港開幕。");
    }

    #[test]
    fn cut_prefers_a_sentence_end() {
        let text = "第一句話說完了。第二句話還很長很長很長";
        assert_eq!(cut_summary(text, 12), "第一句話說完了。");
    }

    #[test]
    fn cut_never_splits_a_latin_word() {
        let text = "數碼港聯同GreenTech Hub合作";
        assert_eq!(cut_summary(text, 8), "數碼港聯同……");
    }

    #[test]
    fn cut_counts_characters_not_bytes() {
        let text = "香港特區政府財政司司長陳茂波昨日表示";
        let cut = cut_summary(text, 5);
        assert_eq!(cut, "香港特區政……");
    }
}
