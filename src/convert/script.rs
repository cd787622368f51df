//! Which script a character or a word belongs to, as OpenCC's dictionaries
//! and Hong Kong usage say.
//!
//! * **Traditional** is every form OpenCC writes or reads as Traditional:
//!   every candidate of STCharacters, the keys of TSCharacters, and the forms
//!   of HKVariants and TWVariants (Hong Kong's 户 温 税 着 and Taiwan's 裡 are
//!   Traditional), every character of STPhrases' Traditional words (發霉),
//!   with the Cantonese characters of `hong_kong.txt` (the
//!   documented data file beside this one).
//! * **Traditional words** are the Traditional side of every phrase table,
//!   the words of `hong_kong.txt` and rime-cantonese's Cantonese words
//!   (`cantonese/words.txt`): no Simplified word is looked for inside one.
//! * **Simplified-only** is a character STCharacters converts, never to
//!   itself, and that is none of the above (国, 发, 说).
//! * **Simplified words** are STPhrases entries made of characters both
//!   scripts share whose Traditional form differs (以后 → 以後, 面包 → 麵包),
//!   less words that are Traditional themselves and words that differ only in
//!   forms Hong Kong prints both ways (平台 beside 平臺).
//! * **Traditional-only** is a character TSCharacters converts that no
//!   Simplified text writes (於, 國): a Simplified page must not keep one.
//!
//! All of it comes from the embedded dictionaries of `opencc-fmmseg` and the
//! documented data file, never from a hand-kept list of characters in code.

use std::collections::{BTreeSet, HashMap, HashSet};
use std::sync::OnceLock;

use aho_corasick::{AhoCorasick, MatchKind};
use opencc_fmmseg::{DictMaxLen, DictionaryMaxlength};

/// The written standard of the source text: which Traditional forms a
/// suggestion uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Standard {
    /// Hong Kong (HKVariants): 裏, 着, 户.
    HongKong,
    /// Taiwan (TWVariants): 裡, 著, 戶.
    Taiwan,
}

/// What `hong_kong.txt` says, parsed.
pub struct Usage {
    /// Written Cantonese characters and Hong Kong standard forms OpenCC
    /// calls Simplified-only.
    pub cantonese: HashSet<char>,
    /// Cantonese and Hong Kong words, read as one word.
    pub words: Vec<String>,
    /// (shared form, Traditional form) pairs Hong Kong prints both ways.
    pub shared: HashSet<(char, char)>,
    /// Characters that convert differently when they are a surname.
    pub surnames: HashSet<char>,
    /// Words that follow a name.
    pub titles: Vec<String>,
    /// Words that introduce a writer's name.
    pub bylines: Vec<String>,
    /// Characters that are a unit of measure after a numeral (千里).
    pub units: HashSet<char>,
    /// The numerals a unit follows.
    pub numerals: HashSet<char>,
    /// Characters Traditional text writes only inside a few words (皇后,
    /// 茶几), with the Traditional form they stand for alone (後, 幾).
    pub lone: HashMap<char, char>,
    /// Characters that end a place's name in Hong Kong (里: a lane).
    pub suffixes: HashSet<char>,
    /// Words that come before a name: a role or an occupation (主席, 影星).
    pub roles: Vec<String>,
    /// Characters before 里 that make it a locative (哪里, 心里), never
    /// the end of a lane's name.
    pub locatives: HashSet<char>,
    /// Verbs that take the aspect particle 著 (看著, 穿著).
    pub aspect: HashSet<char>,
    /// The aspect particles those verbs take (著).
    pub particles: HashSet<char>,
}

/// The data file, read once.
pub fn usage() -> &'static Usage {
    static USAGE: OnceLock<Usage> = OnceLock::new();
    USAGE.get_or_init(|| parse_usage(include_str!("hong_kong.txt")))
}

fn parse_usage(text: &str) -> Usage {
    let mut usage = Usage {
        cantonese: HashSet::new(),
        words: Vec::new(),
        shared: HashSet::new(),
        surnames: HashSet::new(),
        titles: Vec::new(),
        bylines: Vec::new(),
        units: HashSet::new(),
        numerals: HashSet::new(),
        lone: HashMap::new(),
        suffixes: HashSet::new(),
        roles: Vec::new(),
        locatives: HashSet::new(),
        aspect: HashSet::new(),
        particles: HashSet::new(),
    };
    for line in text.lines().map(str::trim) {
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let mut fields = line.split_whitespace();
        let (Some(kind), Some(form)) = (fields.next(), fields.next()) else {
            continue;
        };
        let first = form.chars().next().unwrap_or_default();
        match kind {
            "cantonese" | "form" => {
                usage.cantonese.insert(first);
            }
            "word" => usage.words.push(form.to_string()),
            "shared" => {
                let traditional = fields.next().and_then(|t| t.chars().next());
                usage.shared.extend(traditional.map(|t| (first, t)));
            }
            "surname" => {
                usage.surnames.insert(first);
            }
            "title" => usage.titles.push(form.to_string()),
            "byline" => usage.bylines.push(form.to_string()),
            "unit" => {
                usage.units.insert(first);
            }
            "numerals" => usage.numerals.extend(form.chars()),
            "suffix" => {
                usage.suffixes.insert(first);
            }
            "role" => usage.roles.push(form.to_string()),
            "locative" => usage.locatives.extend(form.chars()),
            "aspect" => usage.aspect.extend(form.chars()),
            "particle" => usage.particles.extend(form.chars()),
            "lone" => {
                let traditional = fields.next().and_then(|t| t.chars().next());
                usage.lone.extend(traditional.map(|t| (first, t)));
            }
            other => debug_assert!(false, "unknown kind `{other}` in hong_kong.txt"),
        }
    }
    usage
}

/// The Cantonese and Hong Kong words of rime-cantonese
/// (`cantonese/words.txt`, with its README).
fn cantonese_words() -> impl Iterator<Item = &'static str> {
    include_str!("cantonese/words.txt")
        .lines()
        .filter(|line| !line.is_empty() && !line.starts_with('#'))
}

struct Scripts {
    traditional: HashSet<char>,
    traditional_only: HashSet<char>,
    simplified_only: HashSet<char>,
    ambiguous: HashMap<char, Vec<char>>,
    /// Each character's usual Simplified form, where it differs.
    simplified: HashMap<char, char>,
    /// Japanese forms no Chinese table writes (呉, 様), with the Simplified
    /// form of the Chinese character they stand for (吴, 样).
    japanese: HashMap<char, char>,
}

/// What the phrase tables say about words; built apart from [`Scripts`],
/// which every conversion needs, because only the lint reads it.
struct Lexicon {
    /// The phrases the Traditional→Simplified dictionaries convert as one.
    settled: AhoCorasick,
    /// Words known to be Traditional, for reading a text longest word
    /// first: the Traditional side of every phrase table, and the Cantonese
    /// words that hold a character OpenCC converts.
    words: HashSet<String>,
    /// Every Cantonese word besides, to see a Simplified word straddled
    /// (喂我哋 is 喂 我哋); not for the reading, where 課室 would hide 室里.
    straddling: HashSet<String>,
    /// The Traditional side of every Simplified→Traditional phrase, to
    /// find the Simplified words a Traditional text holds (其餘 is 其余,
    /// 合作夥伴 is 合作伙伴), with each pattern's Simplified word.
    simplified_words: (AhoCorasick, Vec<Vec<char>>),
}

fn lexicon() -> &'static Lexicon {
    static LEXICON: OnceLock<Lexicon> = OnceLock::new();
    LEXICON.get_or_init(|| {
        let dicts = dictionaries();
        let settled: Vec<String> = [&dicts.ts_phrases, &dicts.hk_variants_rev_phrases]
            .iter()
            .flat_map(|d| d.iter())
            .map(|(key, _)| key.iter().collect())
            .collect();
        let mut words: HashSet<String> = settled.iter().cloned().collect();
        for table in [
            &dicts.st_phrases,
            &dicts.tw_phrases,
            &dicts.hk_variants_phrases,
        ] {
            for (_, value) in table.iter() {
                words.extend(value.split(' ').map(str::to_string));
            }
        }
        for table in [&dicts.tw_phrases_rev, &dicts.tw_variants_rev_phrases] {
            words.extend(table.iter().map(|(key, _)| key.iter().collect::<String>()));
        }
        words.extend(usage().words.iter().cloned());
        let converts: HashSet<char> = candidates(ST_CHARACTERS)
            .filter(|(c, forms)| forms.as_slice() != [*c])
            .map(|(c, _)| c)
            .collect();
        let (reading, straddling): (Vec<&str>, Vec<&str>) =
            cantonese_words().partition(|w| w.chars().any(|c| converts.contains(&c)));
        words.extend(reading.into_iter().map(str::to_string));
        let mut patterns: Vec<String> = Vec::new();
        let mut written: Vec<Vec<char>> = Vec::new();
        for (key, value) in dicts.st_phrases.iter() {
            for traditional in value.split(' ').filter(|t| t.chars().count() == key.len()) {
                patterns.push(traditional.to_string());
                written.push(key.to_vec());
            }
        }
        let simplified_words = AhoCorasick::new(&patterns).expect("the phrases make an automaton");
        Lexicon {
            simplified_words: (simplified_words, written),
            settled: AhoCorasick::builder()
                .match_kind(MatchKind::LeftmostLongest)
                .build(&settled)
                .expect("the phrase tables make an automaton"),
            words,
            straddling: straddling.into_iter().map(str::to_string).collect(),
        }
    })
}

fn scripts() -> &'static Scripts {
    static SCRIPTS: OnceLock<Scripts> = OnceLock::new();
    SCRIPTS.get_or_init(|| {
        let dicts = dictionaries();
        let traditional = traditional(dicts);
        let simplified_only = candidates(ST_CHARACTERS)
            .filter(|(c, forms)| !forms.contains(c))
            .map(|(c, _)| c)
            .filter(|c| !traditional.contains(c))
            .collect();
        // A character Simplified text writes: one STCharacters converts, or
        // one that Simplified words keep (著 in 显著 and 著名), counted as
        // for ambiguities so that one name (於梨华) does not count.
        let mut in_words: HashMap<char, usize> = HashMap::new();
        for (key, _) in dicts.st_phrases.iter() {
            for c in key.iter().collect::<HashSet<_>>() {
                *in_words.entry(*c).or_default() += 1;
            }
        }
        let written_in_simplified: HashSet<char> = dicts
            .st_characters
            .iter()
            .filter_map(|(key, _)| single(key))
            .chain(
                in_words
                    .into_iter()
                    .filter(|(_, n)| *n >= PHRASE_SUPPORT)
                    .map(|(c, _)| c),
            )
            .collect();
        let traditional_only = dicts
            .ts_characters
            .iter()
            .filter_map(|(key, value)| {
                let c = single(key)?;
                let usual = value.split(' ').next()?;
                (usual != c.to_string() && !written_in_simplified.contains(&c)).then_some(c)
            })
            .collect();
        let simplified = simplified(dicts);
        let japanese = japanese(dicts, &traditional, &simplified);
        Scripts {
            traditional,
            traditional_only,
            simplified_only,
            ambiguous: ambiguous(dicts),
            simplified,
            japanese,
        }
    })
}

/// The embedded dictionaries, unpacked once.
fn dictionaries() -> &'static DictionaryMaxlength {
    static DICTS: OnceLock<DictionaryMaxlength> = OnceLock::new();
    DICTS.get_or_init(|| DictionaryMaxlength::new().unwrap_or_default())
}

fn single(key: &[char]) -> Option<char> {
    match key {
        [c] => Some(*c),
        _ => None,
    }
}

/// OpenCC's character tables with every candidate (the embedded
/// dictionaries keep the first only); see `opencc/README.md`.
const ST_CHARACTERS: &str = include_str!("opencc/STCharacters.txt");
const TS_CHARACTERS: &str = include_str!("opencc/TSCharacters.txt");

/// Each character of an OpenCC table file with its candidates, in order.
fn candidates(table: &'static str) -> impl Iterator<Item = (char, Vec<char>)> {
    table.lines().filter_map(|line| {
        let (key, forms) = line.split_once('\t')?;
        let mut key = key.chars();
        let c = key.next().filter(|_| key.next().is_none())?;
        let forms = forms.split(' ').filter_map(|f| f.chars().next()).collect();
        Some((c, forms))
    })
}

/// Every character OpenCC reads or writes as Traditional, and the
/// Cantonese characters.
fn traditional(dicts: &DictionaryMaxlength) -> HashSet<char> {
    let mut set: HashSet<char> = usage().cantonese.clone();
    set.extend(candidates(ST_CHARACTERS).flat_map(|(_, forms)| forms));
    set.extend(candidates(TS_CHARACTERS).map(|(c, _)| c));
    // Traditional words write some characters the character table maps
    // away (發霉, 永恒).
    for (_, value) in dicts.st_phrases.iter() {
        set.extend(value.chars().filter(|c| *c != ' '));
    }
    for table in [&dicts.hk_variants, &dicts.tw_variants] {
        for (_, value) in table.iter() {
            set.extend(value.chars().filter(|c| *c != ' '));
        }
    }
    for table in [&dicts.hk_variants_rev, &dicts.tw_variants_rev] {
        set.extend(table.iter().filter_map(|(key, _)| single(key)));
    }
    set
}

/// A Simplified word in Traditional text: where it starts and how long it
/// is, in characters, and its Traditional form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SimplifiedWord {
    /// The first character's index in the text.
    pub start: usize,
    /// Its length in characters.
    pub len: usize,
    /// The word as written.
    pub word: String,
    /// The word in the source's standard.
    pub traditional: String,
    /// Whether it ends in a character that ends place names (湖里 in
    /// 西湖里, a lane): then it may be part of a name, not a word.
    pub may_end_a_name: bool,
}

/// The Simplified words of one standard: an automaton finds candidates,
/// then the text around each is read as OpenCC reads it (longest word
/// first, Traditional words included), so a Simplified word is only found
/// where no Traditional word covers it.
struct Words {
    matcher: AhoCorasick,
    /// Each pattern's Traditional form.
    traditional: Vec<String>,
    /// The same words, for reading a stretch of text.
    forms: HashMap<String, usize>,
    /// The longest Traditional or Simplified word, in characters.
    longest: usize,
}

fn words(standard: Standard) -> &'static Words {
    static HONG_KONG: OnceLock<Words> = OnceLock::new();
    static TAIWAN: OnceLock<Words> = OnceLock::new();
    let cell = match standard {
        Standard::HongKong => &HONG_KONG,
        Standard::Taiwan => &TAIWAN,
    };
    cell.get_or_init(|| build_words(standard))
}

fn build_words(standard: Standard) -> Words {
    let dicts = dictionaries();
    let scripts = scripts();
    let lexicon = lexicon();
    let usage = usage();
    let variants = match standard {
        Standard::HongKong => &dicts.hk_variants,
        Standard::Taiwan => &dicts.tw_variants,
    };
    let variant: HashMap<char, char> = variants
        .iter()
        .filter_map(|(key, value)| Some((single(key)?, value.chars().next()?)))
        .collect();
    let mut patterns: Vec<String> = Vec::new();
    let mut traditional: Vec<String> = Vec::new();
    for (key, value) in dicts.st_phrases.iter() {
        let word: String = key.iter().collect();
        let Some(usual) = value.split(' ').next() else {
            continue;
        };
        let form: String = usual
            .chars()
            .map(|c| *variant.get(&c).unwrap_or(&c))
            .collect();
        let is_simplified = form != word
            && !value.split(' ').any(|v| v == word)
            && !lexicon.words.contains(&word)
            && !key.iter().any(|c| scripts.simplified_only.contains(c))
            && (form.chars().count() != key.len()
                || key.iter().zip(form.chars()).any(|(&s, t)| {
                    s != t && !usage.shared.contains(&(s, t)) && !usage.cantonese.contains(&s)
                }));
        if is_simplified {
            patterns.push(word);
            traditional.push(form);
        }
    }
    let forms = patterns
        .iter()
        .cloned()
        .enumerate()
        .map(|(i, w)| (w, i))
        .collect();
    let longest = lexicon
        .words
        .iter()
        .chain(&patterns)
        .map(|w| w.chars().count())
        .max()
        .unwrap_or(1)
        .min(LONGEST_WORD);
    Words {
        matcher: AhoCorasick::builder()
            .match_kind(MatchKind::LeftmostLongest)
            .build(&patterns)
            .expect("the phrase tables make an automaton"),
        traditional,
        forms,
        longest,
    }
}

/// How far back and ahead a candidate's surroundings are read, in
/// characters: longer dictionary words are names and idioms that do not
/// hide a Simplified word.
const LONGEST_WORD: usize = 8;

/// The Simplified words in `text`, read as the source's `standard` writes:
/// each with its character position and its Traditional form.
pub fn simplified_words(text: &str, standard: Standard) -> Vec<SimplifiedWord> {
    let words = words(standard);
    let mut candidates = words.matcher.find_iter(text).peekable();
    if candidates.peek().is_none() {
        return Vec::new();
    }
    let Lexicon {
        words: lexicon,
        straddling,
        ..
    } = lexicon();
    let usage = usage();
    let chars: Vec<char> = text.chars().collect();
    let mut char_at = vec![0; text.len() + 1];
    for (n, (at, _)) in text.char_indices().enumerate() {
        char_at[at] = n;
    }
    char_at[text.len()] = chars.len();
    let mut found = Vec::new();
    for m in candidates {
        let start = char_at[m.start()];
        // Read from a little before the candidate, longest word first,
        // until the reading reaches or passes its start.
        let mut at = start.saturating_sub(words.longest);
        while at < start {
            let word_len = (2..=words.longest.min(chars.len() - at))
                .rev()
                .find(|&len| {
                    let word: String = chars[at..at + len].iter().collect();
                    lexicon.contains(&word) || words.forms.contains_key(&word)
                })
                .unwrap_or(1);
            at += word_len;
        }
        if at != start {
            continue; // a word of the text covers the candidate's start
        }
        let longest_here = (2..=words.longest.min(chars.len() - start))
            .rev()
            .map(|len| chars[start..start + len].iter().collect::<String>())
            .find(|w| lexicon.contains(w) || words.forms.contains_key(w));
        let Some(word) = longest_here else {
            continue;
        };
        // A Traditional word that starts inside the candidate and runs past
        // its end reads the text otherwise: 完全干預 is 完全 干預, not 全干.
        let end = start + word.chars().count();
        let straddled = (start + 1..end).any(|from| {
            (end + 1 - from..=words.longest.min(chars.len() - from)).any(|len| {
                let across: String = chars[from..from + len].iter().collect();
                lexicon.contains(&across) || straddling.contains(&across)
            })
        });
        if straddled {
            continue;
        }
        // A unit after a numeral is the Traditional word it looks like:
        // 幾億里外 is 億 里 外, not 裏外.
        let after_numeral = start > 0 && usage.numerals.contains(&chars[start - 1]);
        if after_numeral && usage.units.contains(&chars[start]) {
            continue;
        }
        if let Some(&index) = words.forms.get(&word).filter(|_| !lexicon.contains(&word)) {
            // Ending in a name's last character, unless a Simplified word
            // starts at that character (室里面 is 室 里面, 「in the room」).
            let may_end_a_name = usage.suffixes.contains(&chars[end - 1])
                && !(2..=words.longest).any(|len| {
                    end - 1 + len <= chars.len()
                        && (words.forms)
                            .contains_key(&chars[end - 1..end - 1 + len].iter().collect::<String>())
                });
            found.push(SimplifiedWord {
                start,
                len: word.chars().count(),
                may_end_a_name,
                word,
                traditional: words.traditional[index].clone(),
            });
        }
    }
    found
}

/// The characters of `text` that Traditional text writes only inside a few
/// words (`lone` in the data file: 后 in 皇后 and 天后, 几 in 茶几), standing
/// outside every such word and every word of `already` (the Simplified
/// words found): alone they are Simplified (結束后 is 結束後).
pub fn lone_characters(text: &str, already: &[SimplifiedWord]) -> Vec<SimplifiedWord> {
    let lone = &usage().lone;
    if !text.chars().any(|c| lone.contains_key(&c)) {
        return Vec::new();
    }
    let lexicon = &lexicon().words;
    let chars: Vec<char> = text.chars().collect();
    let in_a_word = |at: usize| {
        (2..=LONGEST_WORD).any(|len| {
            (at.saturating_sub(len - 1)..=at)
                .filter(|from| from + len <= chars.len())
                .any(|from| lexicon.contains(&chars[from..from + len].iter().collect::<String>()))
        })
    };
    let found_already = |at: usize| {
        already
            .iter()
            .any(|w| (w.start..w.start + w.len).contains(&at))
    };
    chars
        .iter()
        .enumerate()
        .filter_map(|(at, c)| {
            let traditional = lone.get(c)?;
            // After a Latin word it is a title as often as not (cue后, the
            // queen of snooker), so only Chinese text around it decides.
            let after_latin = at > 0 && chars[at - 1].is_ascii_alphanumeric();
            (!after_latin && !found_already(at) && !in_a_word(at)).then(|| SimplifiedWord {
                start: at,
                len: 1,
                word: c.to_string(),
                traditional: traditional.to_string(),
                may_end_a_name: false,
            })
        })
        .collect()
}

/// The character ranges of `text` that a Traditional→Simplified phrase
/// converts as a whole: the dictionaries have settled them.
pub fn settled_ranges(text: &str) -> Vec<std::ops::Range<usize>> {
    let mut ranges = Vec::new();
    let mut chars_before = 0;
    let mut counted_to = 0;
    for m in lexicon().settled.find_iter(text) {
        chars_before += text[counted_to..m.start()].chars().count();
        counted_to = m.start();
        let len = text[m.range()].chars().count();
        ranges.push(chars_before..chars_before + len);
    }
    ranges
}

/// The forms the Simplified words of the phrase tables write for
/// `chars[i]` where they cover it in `chars` (其余 for 其餘: `余`).
pub fn forms_in_words(chars: &[char], i: usize) -> Vec<char> {
    let (automaton, written) = &lexicon().simplified_words;
    let from = i.saturating_sub(LONGEST_WORD);
    let window: String = chars[from..(i + LONGEST_WORD).min(chars.len())]
        .iter()
        .collect();
    let at = i - from;
    let mut forms = Vec::new();
    for m in automaton.find_overlapping_iter(&window) {
        let start = window[..m.start()].chars().count();
        let len = written[m.pattern().as_usize()].len();
        if (start..start + len).contains(&at) {
            forms.push(written[m.pattern().as_usize()][at - start]);
        }
    }
    forms
}

/// Whether `chars[at..]` starts with a known Traditional word of two to
/// four characters (名單 in 名單公布).
pub fn starts_word(chars: &[char], at: usize) -> bool {
    let lexicon = lexicon();
    (2..=4).any(|len| {
        chars.get(at..at + len).is_some_and(|w| {
            let word: String = w.iter().collect();
            lexicon.words.contains(&word) || lexicon.straddling.contains(&word)
        })
    })
}

/// Whether `chars[i]` is inside a known Traditional word (哩 of the
/// Cantonese 哩個, 覆 of 顛覆), where it is written as it is meant.
pub fn in_known_word(chars: &[char], i: usize) -> bool {
    let lexicon = lexicon();
    (2..=4).any(|len| {
        (i.saturating_sub(len - 1)..=i).any(|start| {
            chars.get(start..start + len).is_some_and(|w| {
                let word: String = w.iter().collect();
                lexicon.straddling.contains(&word) || lexicon.words.contains(&word)
            })
        })
    })
}

/// Whether `word` is known as a Traditional word.
pub fn is_traditional_word(word: &str) -> bool {
    lexicon().words.contains(word)
}

/// Whether `c` is in a CJK extension block (A and beyond), or among the
/// compatibility ideographs of the supplement: forms common fonts lack.
pub fn is_extension(c: char) -> bool {
    matches!(c, '\u{3400}'..='\u{4DBF}' | '\u{20000}'..='\u{3FFFF}')
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

/// The Japanese forms of JPShinjitaiCharacters that no Chinese table
/// writes (`呉` of 吳, `様` of 樣), each with the Simplified form of the
/// character it stands for: a Simplified page writes that (吴, 样).
fn japanese(
    dicts: &DictionaryMaxlength,
    traditional: &HashSet<char>,
    simplified: &HashMap<char, char>,
) -> HashMap<char, char> {
    let chinese: HashSet<char> = (dicts.st_characters.iter())
        .filter_map(|(key, _)| single(key))
        .chain(simplified.values().copied())
        .chain(traditional.iter().copied())
        .collect();
    // The embedded tables name the two directions the other way round:
    // `jps_characters` reads Japanese forms (様 → 樣), `jps_characters_rev`
    // writes them (吳 → 呉). Both give (Japanese form, Chinese character).
    let reads = (dicts.jps_characters.iter())
        .filter_map(|(key, value)| Some((single(key)?, value.chars().next()?)));
    let writes = (dicts.jps_characters_rev.iter())
        .filter_map(|(key, value)| Some((value.chars().next()?, single(key)?)));
    reads
        .chain(writes)
        .filter(|(japanese, standing_for)| japanese != standing_for)
        .filter_map(|(japanese, standing_for)| {
            let form = simplified
                .get(&standing_for)
                .copied()
                .unwrap_or(standing_for);
            (!chinese.contains(&japanese) && form != japanese).then_some((japanese, form))
        })
        .collect()
}

/// The Simplified form of a Japanese form no Chinese table writes (`呉` →
/// `吴`), if `c` is one.
pub fn japanese_form(c: char) -> Option<char> {
    scripts().japanese.get(&c).copied()
}

/// Whether `c` is in the Table of General Standard Chinese Characters
/// (2013, 8,105 characters; `standard/`), or is no CJK ideograph at all.
pub fn is_standard(c: char) -> bool {
    static TABLE: OnceLock<HashSet<char>> = OnceLock::new();
    let is_ideograph = matches!(c, '\u{3400}'..='\u{4DBF}' | '\u{4E00}'..='\u{9FFF}' | '\u{F900}'..='\u{FAFF}' | '\u{20000}'..='\u{3FFFF}');
    !is_ideograph
        || TABLE
            .get_or_init(|| {
                include_str!("standard/characters.txt")
                    .lines()
                    .filter_map(|l| l.chars().next())
                    .collect()
            })
            .contains(&c)
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

/// Whether `c` is Traditional and no Simplified text writes it (`國`,
/// `於`, `餘`): a Simplified page keeps one only where the editor protected
/// it or a dictionary phrase keeps it on purpose (the surname in `於梨華`).
pub fn is_traditional_only(c: char) -> bool {
    scripts().traditional_only.contains(&c)
}

/// Whether `c` is written in Traditional text, Hong Kong's and Taiwan's
/// forms and Cantonese included.
pub fn is_traditional(c: char) -> bool {
    scripts().traditional.contains(&c)
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
    fn vendored_tables_match_the_embedded_dictionaries() {
        let dicts = dictionaries();
        for (table, embedded) in [
            (ST_CHARACTERS, &dicts.st_characters),
            (TS_CHARACTERS, &dicts.ts_characters),
        ] {
            let first: HashMap<char, char> = embedded
                .iter()
                .filter_map(|(key, value)| Some((single(key)?, value.chars().next()?)))
                .collect();
            let vendored: Vec<(char, Vec<char>)> = candidates(table).collect();
            assert_eq!(vendored.len(), first.len(), "same characters");
            for (c, forms) in vendored {
                assert_eq!(first.get(&c), forms.first(), "{c}: first candidate");
            }
        }
    }

    #[test]
    fn hong_kong_forms_are_traditional() {
        // HKVariants' forms, second candidates, and Cantonese.
        for c in [
            '户', '温', '税', '葱', '着', '床', '准', '里', '説', '晒', '吓',
        ] {
            assert!(is_traditional(c), "{c}");
            assert!(!is_simplified_only(c), "{c}");
        }
    }

    #[test]
    fn simplified_words_made_of_shared_characters_are_found() {
        let found = |text: &str| -> Vec<(String, String)> {
            simplified_words(text, Standard::HongKong)
                .into_iter()
                .map(|w| (w.word, w.traditional))
                .collect()
        };
        let pair = |a: &str, b: &str| (a.to_string(), b.to_string());
        assert_eq!(found("我以后再說"), [pair("以后", "以後")]);
        assert_eq!(found("他幾乎每天買面包"), [pair("面包", "麵包")]);
        assert_eq!(found("几乎"), [pair("几乎", "幾乎")]);
        // A Traditional word covers the shared characters (a Cantonese word
        // of rime-cantonese too), or 里 is a unit of length: nothing to find.
        for text in [
            "這方面包括",
            "平台",
            "公布",
            "秘密",
            "周末",
            "皇后",
            "茶几",
            "心郁郁",
            "我今日去游水",
            "佢打關斗打到頭暈",
            "間屋啲家私好新淨",
            "牆身發霉，啲霉菌好難清",
            "火星喺幾億里外",
            "一碟干炒牛河",
            "「喂我哋好慘啊。」",
            "我今日游咗三十個塘",
        ] {
            assert_eq!(found(text), [], "{text}");
        }
        assert_eq!(found("在里面"), [pair("里面", "裡面")]);
        assert_eq!(found("研究團隊在課室里"), [pair("室里", "室裡")]);
        // 里 ends lanes' names: such a word may be part of one.
        let lane = simplified_words("我住喺西營盤西湖里", Standard::HongKong);
        assert!(
            !lane.is_empty() && lane.iter().all(|w| w.may_end_a_name),
            "{lane:?}"
        );
        let inside = simplified_words("在實驗室里面", Standard::HongKong);
        assert!(
            !inside.is_empty() && inside.iter().all(|w| !w.may_end_a_name),
            "{inside:?}"
        );
    }

    #[test]
    fn a_lone_character_of_a_few_words_is_simplified() {
        let lone = |text: &str| -> Vec<(usize, String)> {
            let words = simplified_words(text, Standard::HongKong);
            lone_characters(text, &words)
                .into_iter()
                .map(|w| (w.start, w.traditional))
                .collect()
        };
        assert_eq!(lone("會議結束后，代表們離開"), [(4, "後".to_string())]);
        assert_eq!(lone("客廳有張几"), [(4, "幾".to_string())]);
        // Inside a Traditional word, or a Simplified word found already.
        for text in [
            "皇后大道中",
            "天后廟",
            "茶几",
            "影后",
            "以后再說",
            "几乎",
            "毒后被捕",
            "香港cue后",
        ] {
            assert_eq!(lone(text), [], "{text}");
        }
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
