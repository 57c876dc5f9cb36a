//! A small CoNLL-like tokenizer for raw text (cluster training text and gazetteer
//! names): whitespace split, then leading/trailing punctuation and `'s` split off.

/// Splits `text` into tokens. Abbreviations like `U.S.` keep their final period;
/// `1,000`, `Coca-Cola` and `o'clock` stay whole.
pub fn tokenize(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    for chunk in text.split_whitespace() {
        split_chunk(chunk, &mut out);
    }
    out
}

fn is_punct(c: char) -> bool {
    !c.is_alphanumeric()
}

fn split_chunk<'a>(chunk: &'a str, out: &mut Vec<&'a str>) {
    let mut s = chunk;
    // Leading punctuation, one character per token.
    while let Some(c) = s.chars().next() {
        if is_punct(c) && s.len() > c.len_utf8() {
            out.push(&s[..c.len_utf8()]);
            s = &s[c.len_utf8()..];
        } else {
            break;
        }
    }
    // Trailing punctuation, collected in reverse.
    let mut tail: Vec<&'a str> = Vec::new();
    while let Some(c) = s.chars().next_back() {
        if !is_punct(c) || s.len() <= c.len_utf8() {
            break;
        }
        let cut = s.len() - c.len_utf8();
        // A period before another is an ellipsis ("UK..."), never the word's.
        if c == '.' && !s[..cut].ends_with('.') && keeps_period(&s[..cut]) {
            break;
        }
        tail.push(&s[cut..]);
        s = &s[..cut];
    }
    // Possessive / clitic 's and n't, with a straight or a typographic apostrophe.
    if let Some(clitic) = ["'s", "'S", "\u{2019}s", "\u{2019}S", "n't", "n\u{2019}t"]
        .into_iter()
        .find(|c| s.len() > c.len() && s.ends_with(c))
    {
        let cut = s.len() - clitic.len();
        out.push(&s[..cut]);
        out.push(&s[cut..]);
    } else if !s.is_empty() {
        out.push(s);
    }
    out.extend(tail.into_iter().rev());
}

/// Words written with a final period that is part of the word.
const ABBREVIATIONS: &[&str] = &[
    "Mr", "Mrs", "Ms", "Dr", "St", "Jr", "Sr", "Inc", "Corp", "Co", "Ltd", "Bros", "Gen", "Col",
    "Lt", "Sgt", "Capt", "Cmdr", "Adm", "Rep", "Sen", "Gov", "Prof", "Rev", "Mt", "Ft", "vs", "No",
    "Jan", "Feb", "Mar", "Apr", "Aug", "Sep", "Sept", "Oct", "Nov", "Dec", "Ave", "Blvd", "Dept",
    "Univ",
];

/// A period stays on abbreviations (`U.S.`, `J.`, `Mr.`, `Corp.`).
fn keeps_period(core: &str) -> bool {
    if core.contains('.') || ABBREVIATIONS.contains(&core) {
        return true;
    }
    let mut chars = core.chars();
    matches!((chars.next(), chars.next()), (Some(c), None) if c.is_uppercase())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_like_conll() {
        assert_eq!(
            tokenize("\"The U.S. said, (Bush's) 1,000 don't.\""),
            vec![
                "\"", "The", "U.S.", "said", ",", "(", "Bush", "'s", ")", "1,000", "do", "n't",
                ".", "\""
            ]
        );
        assert_eq!(tokenize("J. Smith"), vec!["J.", "Smith"]);
        assert_eq!(tokenize("... !"), vec![".", ".", ".", "!"]);
    }

    #[test]
    fn typographic_apostrophes_split_like_straight_ones() {
        assert_eq!(
            tokenize("Al Jazeera\u{2019}s Hiba Morgan, the GOP\u{2019}s Laxalt won\u{2019}t"),
            vec![
                "Al",
                "Jazeera",
                "\u{2019}s",
                "Hiba",
                "Morgan",
                ",",
                "the",
                "GOP",
                "\u{2019}s",
                "Laxalt",
                "wo",
                "n\u{2019}t"
            ]
        );
        assert_eq!(
            tokenize("\u{201C}Liverpool\u{2019}s\u{201D}"),
            vec!["\u{201C}", "Liverpool", "\u{2019}s", "\u{201D}"]
        );
    }

    #[test]
    fn an_ellipsis_is_not_part_of_the_word() {
        assert_eq!(
            tokenize("the UK... since"),
            vec!["the", "UK", ".", ".", ".", "since"]
        );
        assert_eq!(tokenize("U.S..."), vec!["U.S.", ".", "."]);
        assert_eq!(tokenize("Mr... Smith"), vec!["Mr.", ".", ".", "Smith"]);
    }
}

/// Splits raw text into sentences of tokens, as byte ranges `(start, end)` into
/// `text`. Lines are never joined; inside a line a sentence ends after `.`, `!` or
/// `?` (abbreviations such as `U.S.` keep their period and do not end one), and
/// very long sentences are cut at 250 tokens.
pub fn sentences(text: &str) -> Vec<Vec<(usize, usize)>> {
    let base = text.as_ptr() as usize;
    let chunks = text.lines().flat_map(|line| {
        line.split_whitespace().enumerate().map(move |(i, chunk)| {
            let start = chunk.as_ptr() as usize - base;
            (start, start + chunk.len(), i == 0)
        })
    });
    sentences_of_chunks(text, chunks)
}

/// [`sentences`] from text already cut into chunks: byte ranges `(start, end,
/// first_on_line)` of the whitespace-separated runs of `text`, in order. Each
/// chunk is split as [`tokenize`] splits it.
pub fn sentences_of_chunks(
    text: &str,
    chunks: impl IntoIterator<Item = (usize, usize, bool)>,
) -> Vec<Vec<(usize, usize)>> {
    let base = text.as_ptr() as usize;
    let mut out = Vec::new();
    let mut cur: Vec<(usize, usize)> = Vec::new();
    let mut tokens = Vec::new();
    for (start, end, first_on_line) in chunks {
        if first_on_line && !cur.is_empty() {
            out.push(std::mem::take(&mut cur));
        }
        let Some(chunk) = text.get(start..end) else {
            continue;
        };
        tokens.clear();
        split_chunk(chunk, &mut tokens);
        for t in &tokens {
            let start = t.as_ptr() as usize - base;
            cur.push((start, start + t.len()));
            if matches!(*t, "." | "!" | "?") || cur.len() >= 250 {
                out.push(std::mem::take(&mut cur));
            }
        }
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

#[cfg(test)]
mod sentence_tests {
    use super::*;

    #[test]
    fn splits_lines_and_sentences_with_offsets() {
        let text = "Title here\n\nMr. Smith left. He went to the U.S. today!";
        let s = sentences(text);
        assert_eq!(s.len(), 3);
        let words: Vec<&str> = s[1].iter().map(|(a, b)| &text[*a..*b]).collect();
        assert_eq!(words, vec!["Mr.", "Smith", "left", "."]);
        let last: Vec<&str> = s[2].iter().map(|(a, b)| &text[*a..*b]).collect();
        assert_eq!(last, vec!["He", "went", "to", "the", "U.S.", "today", "!"]);
    }
}

/// The token as the training data writes it: typographic quotes and
/// apostrophes become straight ones (`’s` → `'s`, `“` → `"`).
pub fn plain_quotes(token: &str) -> std::borrow::Cow<'_, str> {
    if !token.contains(['\u{2018}', '\u{2019}', '\u{201C}', '\u{201D}']) {
        return std::borrow::Cow::Borrowed(token);
    }
    std::borrow::Cow::Owned(
        token
            .chars()
            .map(|c| match c {
                '\u{2018}' | '\u{2019}' => '\'',
                '\u{201C}' | '\u{201D}' => '"',
                c => c,
            })
            .collect(),
    )
}

/// The word with its first letter in upper case ("mueller" → "Mueller").
pub fn capitalised(word: &str) -> String {
    let mut chars = word.chars();
    chars
        .next()
        .into_iter()
        .flat_map(char::to_uppercase)
        .chain(chars)
        .collect()
}
