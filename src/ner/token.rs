//! Tokenization of article text into words and punctuation with byte offsets.
//!
//! Built on Unicode word boundaries (UAX #29), then adjusted for names:
//! hyphenated names stay one token (`ISIS-K`, `Al-Qaeda`, `Jean-Claude`),
//! abbreviations keep their full stop (`Mr.`, `St.`, `U.S.`), and a
//! possessive `'s` is cut off the token (`Russia's` spans `Russia`).

use unicode_segmentation::UnicodeSegmentation;

use super::normalize::normalize;

/// The letter case pattern of a token.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Shape {
    /// Starts with a lowercase letter (or a letter without case).
    Lower,
    /// Starts with an uppercase letter and is not all capitals (`Moscow`, `K`).
    Title,
    /// Two or more letters, all capitals (`NOS`, `ISIS-K`, `U.S.`).
    Upper,
    /// Has digits but no letters, or starts with a digit.
    Number,
    /// No letters or digits.
    Punct,
}

/// One token of the text.
#[derive(Debug, Clone)]
pub(crate) struct Token<'a> {
    /// The token's text (`text[start..end]`), possessive ending removed.
    pub text: &'a str,
    /// Byte offset of the first byte.
    pub start: usize,
    /// Byte offset one past the last byte.
    pub end: usize,
    /// The matching key of `text` (see [`normalize`]).
    pub norm: String,
    pub shape: Shape,
    /// The token was followed by a possessive `'s` that is not part of it.
    pub possessive: bool,
    /// Whitespace separates this token from the previous one.
    pub space_before: bool,
    /// A line break separates this token from the previous one (or it is first).
    pub newline_before: bool,
    /// The first token of a sentence, line or paragraph.
    pub sentence_start: bool,
    /// Index of the paragraph (blank-line separated block) holding the token.
    pub paragraph: usize,
}

impl Token<'_> {
    pub fn is_word(&self) -> bool {
        !matches!(self.shape, Shape::Punct)
    }

    /// Capitalised: title case or all capitals.
    pub fn is_cap(&self) -> bool {
        matches!(self.shape, Shape::Title | Shape::Upper)
    }

    pub fn is_punct(&self, s: &str) -> bool {
        self.shape == Shape::Punct && self.text == s
    }
}

/// Whether token `j` continues a name started before it: both are words on
/// the same line separated only by whitespace, and the previous one does not
/// end in a possessive.
pub(crate) fn joinable(toks: &[Token<'_>], j: usize) -> bool {
    if j == 0 || j >= toks.len() {
        return false;
    }
    let (prev, t) = (&toks[j - 1], &toks[j]);
    prev.is_word() && t.is_word() && t.space_before && !t.newline_before && !prev.possessive
}

/// Abbreviations that keep a directly following full stop.
const ABBREVIATIONS: &[&str] = &[
    "adm", "bros", "capt", "cmdr", "co", "col", "corp", "dept", "dr", "ft", "gen", "gov", "inc",
    "jr", "lt", "ltd", "mr", "mrs", "ms", "mt", "no", "prof", "rep", "rev", "sen", "sgt", "sr",
    "st", "vs",
];

/// Lowercase name prefixes joined by a hyphen to a capitalised name (`al-Assad`).
const HYPHEN_PREFIXES: &[&str] = &[
    "abu", "ad", "al", "an", "ar", "as", "ash", "at", "az", "ben", "bin", "d", "de", "el", "ibn",
    "van", "von",
];

/// Joins two words into one token when written without spaces:
/// hyphens (`ISIS-K`) and ampersands (`AT&T`).
fn is_joiner(s: &str) -> bool {
    matches!(s, "-" | "\u{2010}" | "\u{2011}" | "&")
}

/// How many tokens back a sentence end is looked for.
const SENTENCE_LOOKBACK: usize = 16;

/// A raw segment before merging.
struct Seg {
    start: usize,
    end: usize,
    word: bool,
    space_before: bool,
    newlines_before: usize,
}

/// Splits `text` into tokens. Never panics; offsets are char boundaries.
pub(crate) fn tokenize(text: &str) -> Vec<Token<'_>> {
    let segs = segments(text);
    let mut toks: Vec<Token<'_>> = Vec::with_capacity(segs.len());
    let mut paragraph = 0usize;
    let mut i = 0;
    while i < segs.len() {
        let seg = &segs[i];
        let mut end = seg.end;
        let mut next = i + 1;
        if seg.word {
            // Hyphen and ampersand chains: word-word(-word...), no whitespace.
            let mut j = i;
            while j + 2 < segs.len()
                && !segs[j + 1].word
                && is_joiner(&text[segs[j + 1].start..segs[j + 1].end])
                && !segs[j + 1].space_before
                && segs[j + 2].word
                && !segs[j + 2].space_before
            {
                j += 2;
            }
            if j > i && should_merge_hyphenated(text, &segs[i..=j]) {
                end = segs[j].end;
                next = j + 1;
            }
            // Abbreviation full stop.
            if next < segs.len()
                && !segs[next].word
                && !segs[next].space_before
                && &text[segs[next].start..segs[next].end] == "."
                && keeps_full_stop(&text[seg.start..end])
            {
                end = segs[next].end;
                next += 1;
            }
        }
        if seg.newlines_before >= 2 && !toks.is_empty() {
            paragraph += 1;
        }
        let raw = &text[seg.start..end];
        let (body, possessive) = if seg.word {
            strip_possessive(raw)
        } else {
            (raw, false)
        };
        let shape = if seg.word {
            shape_of(body)
        } else {
            Shape::Punct
        };
        let newline_before = seg.newlines_before > 0 || toks.is_empty();
        // Looking back over a bounded number of tokens keeps tokenizing
        // linear: a longer run of brackets and quotes starts a sentence.
        let recent = &toks[toks.len().saturating_sub(SENTENCE_LOOKBACK)..];
        let sentence_start = newline_before || follows_sentence_end(recent);
        toks.push(Token {
            text: body,
            start: seg.start,
            end: seg.start + body.len(),
            norm: if seg.word {
                normalize(body)
            } else {
                String::new()
            },
            shape,
            possessive,
            space_before: seg.space_before,
            newline_before,
            sentence_start,
            paragraph,
        });
        i = next;
    }
    toks
}

/// The whitespace-separated runs of `text` that `toks` (all of its tokens, as
/// [`tokenize`] gives them) make up: byte ranges `(start, end, first_on_line)`,
/// in order. This is how the tagger reads the same tokens: it splits each run as
/// its training data was split.
pub(crate) fn chunks<'t>(
    text: &'t str,
    toks: &'t [Token<'_>],
) -> impl Iterator<Item = (usize, usize, bool)> + 't {
    let mut i = 0;
    std::iter::from_fn(move || {
        let first = toks.get(i)?;
        i += 1;
        while toks
            .get(i)
            .is_some_and(|t| !t.space_before && !t.newline_before)
        {
            i += 1;
        }
        // A possessive ending is cut from its token but not from the run.
        let last = toks[i - 1].end;
        let end = text
            .get(last..)
            .and_then(|rest| rest.find(char::is_whitespace))
            .map_or(text.len(), |k| last + k);
        Some((first.start, end, first.newline_before))
    })
}

/// Raw UAX #29 segments, whitespace folded into the flags of the next segment.
fn segments(text: &str) -> Vec<Seg> {
    let mut segs = Vec::new();
    let mut space = false;
    let mut newlines = 0usize;
    for (start, s) in text.split_word_bound_indices() {
        // Whitespace, and the whitespace a format character attaches to (" \u{feff}").
        let body = s.trim_start();
        let blank = &s[..s.len() - body.len()];
        if !blank.is_empty() {
            space = true;
            newlines += blank.chars().filter(|&c| c == '\n').count();
            if blank.contains('\r') && !blank.contains('\n') {
                newlines += 1;
            }
        }
        if body.is_empty() {
            continue;
        }
        let (start, s) = (start + blank.len(), body);
        segs.push(Seg {
            start,
            end: start + s.len(),
            word: s.chars().any(char::is_alphanumeric),
            space_before: space,
            newlines_before: newlines,
        });
        space = false;
        newlines = 0;
    }
    segs
}

/// Whether a hyphen chain (word, hyphen, word, ...) forms one name token.
fn should_merge_hyphenated(text: &str, chain: &[Seg]) -> bool {
    let (first, last) = match (chain.first(), chain.last()) {
        (Some(f), Some(l)) => (&text[f.start..f.end], &text[l.start..l.end]),
        _ => return false,
    };
    let last_ok = last
        .chars()
        .next()
        .is_some_and(|c| c.is_uppercase() || c.is_ascii_digit());
    let first_ok = first.chars().next().is_some_and(char::is_uppercase)
        || HYPHEN_PREFIXES.contains(&first.to_lowercase().as_str());
    last_ok && first_ok
}

/// Whether a word takes a directly following full stop as part of itself.
fn keeps_full_stop(word: &str) -> bool {
    let mut chars = word.chars();
    let single_capital =
        matches!((chars.next(), chars.next()), (Some(c), None) if c.is_uppercase());
    single_capital
        || word.contains('.')
        || ABBREVIATIONS.contains(&word.to_ascii_lowercase().as_str())
}

/// Splits a trailing possessive `'s` / `’s` off a word.
fn strip_possessive(word: &str) -> (&str, bool) {
    for suffix in ["'s", "\u{2019}s", "'S", "\u{2019}S"] {
        if let Some(body) = word.strip_suffix(suffix)
            && body.chars().any(char::is_alphanumeric)
        {
            return (body, true);
        }
    }
    (word, false)
}

/// The case shape of a word.
pub(crate) fn shape_of(word: &str) -> Shape {
    let mut body = word;
    // `al-Assad`: a lowercase particle prefix does not decide the shape.
    if let Some((prefix, rest)) = word.split_once(['-', '\u{2010}', '\u{2011}'])
        && HYPHEN_PREFIXES.contains(&prefix.to_lowercase().as_str())
        && rest.chars().next().is_some_and(char::is_uppercase)
    {
        body = rest;
    }
    let first = match body.chars().find(|c| c.is_alphanumeric()) {
        Some(c) => c,
        None => return Shape::Punct,
    };
    if first.is_numeric() {
        return Shape::Number;
    }
    let mut letters = 0usize;
    let mut all_upper = true;
    for c in body.chars().filter(|c| c.is_alphabetic()) {
        letters += 1;
        if !c.is_uppercase() {
            all_upper = false;
        }
    }
    if letters >= 2 && all_upper {
        Shape::Upper
    } else if first.is_uppercase() {
        Shape::Title
    } else {
        Shape::Lower
    }
}

/// Whether the next token starts a sentence, judged from the tokens so far.
fn follows_sentence_end(toks: &[Token<'_>]) -> bool {
    for t in toks.iter().rev() {
        if t.shape != Shape::Punct {
            return false;
        }
        match t.text {
            "." | "!" | "?" | "\u{2026}" => return true,
            "\"" | "'" | "\u{201C}" | "\u{201D}" | "\u{2018}" | "\u{2019}" | "(" | ")" | "["
            | "]" | "\u{00AB}" | "\u{00BB}" => continue,
            _ => return false,
        }
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(s: &str) -> Vec<&str> {
        tokenize(s).into_iter().map(|t| t.text).collect()
    }

    #[test]
    fn a_long_run_of_brackets_tokenizes_in_linear_time() {
        let text = format!("Title. {}Moscow", "(".repeat(200_000));
        let started = std::time::Instant::now();
        let toks = tokenize(&text);
        assert_eq!(toks.len(), 200_003);
        assert!(toks.last().is_some_and(|t| t.sentence_start));
        assert!(started.elapsed() < std::time::Duration::from_secs(5));
    }

    #[test]
    fn hyphenated_names_stay_one_token() {
        assert_eq!(texts("branch ISIS-K."), ["branch", "ISIS-K", "."]);
        assert_eq!(
            texts("al-Assad and Jean-Claude"),
            ["al-Assad", "and", "Jean-Claude"]
        );
        assert_eq!(texts("US-backed army"), ["US", "-", "backed", "army"]);
        assert_eq!(texts("Texas A&M and R&D"), ["Texas", "A&M", "and", "R&D"]);
    }

    #[test]
    fn possessive_is_cut_from_token() {
        let toks = tokenize("Russia's role and Taliban’s takeover");
        assert_eq!(toks[0].text, "Russia");
        assert!(toks[0].possessive);
        assert_eq!(toks[0].end, 6);
        assert_eq!(toks[3].text, "Taliban");
        assert!(toks[3].possessive);
    }

    #[test]
    fn abbreviations_keep_full_stop() {
        assert_eq!(
            texts("Mr. Smith in the U.S. today."),
            ["Mr.", "Smith", "in", "the", "U.S.", "today", "."]
        );
        assert_eq!(tokenize("U.S.")[0].shape, Shape::Upper);
    }

    #[test]
    fn shapes_and_sentence_starts() {
        let toks = tokenize("NOS News\n\nWhy would IS attack? \"Islamic State");
        assert_eq!(toks[0].shape, Shape::Upper);
        assert_eq!(toks[1].shape, Shape::Title);
        assert!(toks[2].sentence_start && toks[2].newline_before);
        assert_eq!(toks[2].paragraph, 1);
        assert!(!toks[3].sentence_start);
        assert!(toks[8].sentence_start, "{:?}", toks[8]);
    }
}
