//! Splits an article into passages: paragraphs, with short ones merged and long ones split.
//!
//! This module also lays out the article's analysed text (title, headings and
//! paragraphs joined by blank lines), which entity extraction reads, so that
//! every passage is a byte range of that text. It knows nothing of the index.

use std::ops::Range;

use unicode_segmentation::UnicodeSegmentation;

use crate::article::Article;

/// Paragraphs with fewer words are merged with the next paragraph of their section.
pub const MIN_WORDS: usize = 40;
/// Paragraphs with more words are split at sentence boundaries.
pub const MAX_WORDS: usize = 200;
/// A sentence with more words (text without sentence ends) is cut at word
/// boundaries into pieces of [`MAX_WORDS`], so no passage is unbounded.
pub const MAX_SENTENCE_WORDS: usize = 2 * MAX_WORDS;

const SEPARATOR: &str = "\n\n";

/// One passage of an article.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Passage {
    /// Position in the article, from 0.
    pub index: usize,
    /// The section heading the passage sits under.
    pub heading: Option<String>,
    /// The passage text: `layout.text[span]`.
    pub text: String,
    /// Byte range of the passage in [`Layout::text`].
    pub span: Range<usize>,
}

/// An article's analysed text and its passages.
#[derive(Debug, Clone)]
pub struct Layout {
    /// Title, then each section heading and paragraph, separated by blank lines.
    pub text: String,
    pub passages: Vec<Passage>,
}

impl Layout {
    /// The passage whose span holds the byte range, if any (titles and headings are in none).
    pub fn passage_at(&self, range: &Range<usize>) -> Option<usize> {
        let i = self.passages.partition_point(|p| p.span.end <= range.start);
        let p = self.passages.get(i)?;
        (p.span.start <= range.start && range.end <= p.span.end).then_some(i)
    }
}

struct Unit {
    heading: Option<String>,
    span: Range<usize>,
    words: usize,
}

/// Lays out an article and splits it into passages.
///
/// An article with no body has its title as its only passage.
pub fn split(article: &Article) -> Layout {
    let mut text = String::with_capacity(
        article.title.len()
            + article
                .blocks
                .iter()
                .map(|b| b.text.len() + 64)
                .sum::<usize>(),
    );
    text.push_str(&article.title);
    let mut units = Vec::new();
    let mut current_heading: Option<&str> = None;
    for block in &article.blocks {
        if block.text.trim().is_empty() {
            continue;
        }
        if block.heading.as_deref() != current_heading {
            current_heading = block.heading.as_deref();
            if let Some(h) = current_heading {
                text.push_str(SEPARATOR);
                text.push_str(h);
            }
        }
        text.push_str(SEPARATOR);
        let start = text.len();
        text.push_str(block.text.trim());
        let span = start..text.len();
        for piece in split_long(&text[span.clone()], MAX_WORDS) {
            let piece = (start + piece.start)..(start + piece.end);
            units.push(Unit {
                heading: block.heading.clone(),
                words: text[piece.clone()].unicode_words().count(),
                span: piece,
            });
        }
    }
    let mut passages: Vec<Passage> = Vec::new();
    let mut pending: Option<Unit> = None;
    for unit in units {
        pending = match pending.take() {
            Some(mut acc) if acc.words < MIN_WORDS && acc.heading == unit.heading => {
                acc.span.end = unit.span.end;
                acc.words += unit.words;
                Some(acc)
            }
            Some(acc) => {
                flush(&mut passages, &text, acc);
                Some(unit)
            }
            None => Some(unit),
        };
    }
    if let Some(acc) = pending {
        flush(&mut passages, &text, acc);
    }
    if passages.is_empty() {
        passages.push(Passage {
            index: 0,
            heading: None,
            text: article.title.clone(),
            span: 0..article.title.len(),
        });
    }
    Layout { text, passages }
}

/// Ends a passage; a short one that closes its section joins the passage before it.
fn flush(passages: &mut Vec<Passage>, text: &str, unit: Unit) {
    if let Some(prev) = passages.last_mut()
        && unit.words < MIN_WORDS
        && prev.heading == unit.heading
        && prev.text.unicode_words().count() + unit.words <= MAX_WORDS
    {
        prev.span.end = unit.span.end;
        prev.text = text[prev.span.clone()].to_string();
        return;
    }
    passages.push(Passage {
        index: passages.len(),
        heading: unit.heading,
        text: text[unit.span.clone()].to_string(),
        span: unit.span,
    });
}

/// Splits a paragraph over `max` words into runs of whole sentences of at most
/// `max` words (a single longer sentence stays whole, unless it has more than
/// [`MAX_SENTENCE_WORDS`], when it is cut at words). Ranges are trimmed.
fn split_long(paragraph: &str, max: usize) -> Vec<Range<usize>> {
    if paragraph.unicode_words().count() <= max {
        return std::iter::once(0..paragraph.len()).collect();
    }
    let mut pieces = Vec::new();
    let mut start = 0;
    let mut end = 0;
    let mut words = 0;
    for (at, sentence) in sentences(paragraph, max) {
        let n = sentence.unicode_words().count();
        if words > 0 && words + n > max {
            pieces.push(trimmed(paragraph, start..end));
            start = at;
            words = 0;
        }
        words += n;
        end = at + sentence.len();
    }
    if end > start {
        pieces.push(trimmed(paragraph, start..end));
    }
    pieces.retain(|r| !r.is_empty());
    pieces
}

/// The sentences of a paragraph with their offsets; one of more than
/// [`MAX_SENTENCE_WORDS`] words comes as pieces of `max` words.
fn sentences(paragraph: &str, max: usize) -> impl Iterator<Item = (usize, &str)> {
    paragraph
        .split_sentence_bound_indices()
        .flat_map(move |(at, sentence)| {
            let mut pieces = Vec::new();
            if sentence.unicode_words().nth(MAX_SENTENCE_WORDS).is_none() {
                pieces.push((at, sentence));
                return pieces;
            }
            let (mut start, mut words) = (0, 0);
            for (i, segment) in sentence.split_word_bound_indices() {
                if segment.chars().any(char::is_alphanumeric) {
                    if words == max {
                        pieces.push((at + start, &sentence[start..i]));
                        start = i;
                        words = 0;
                    }
                    words += 1;
                }
            }
            pieces.push((at + start, &sentence[start..]));
            pieces
        })
}

fn trimmed(text: &str, range: Range<usize>) -> Range<usize> {
    let slice = &text[range.clone()];
    let lead = slice.len() - slice.trim_start().len();
    let trail = slice.len() - slice.trim_end().len();
    (range.start + lead)..(range.end - trail)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::article::Block;

    fn article(blocks: Vec<(Option<&str>, String)>) -> Article {
        Article {
            path: "a.txt".into(),
            record: None,
            title: "A title".into(),
            title_from_body: false,
            source: None,
            published: None,
            date_text: None,
            url: None,
            author: None,
            language: "en".into(),
            headings: Vec::new(),
            blocks: blocks
                .into_iter()
                .map(|(h, text)| Block {
                    heading: h.map(str::to_string),
                    text,
                })
                .collect(),
        }
    }

    fn words(n: usize) -> String {
        let mut s = String::new();
        for i in 0..n {
            s.push_str(match i % 10 {
                0 => "Word ",
                9 => "word. ",
                _ => "word ",
            });
        }
        s.trim_end().to_string()
    }

    #[test]
    fn short_paragraph_merges_with_next_in_same_section() {
        let layout = split(&article(vec![
            (None, words(10)),
            (None, words(50)),
            (None, words(50)),
        ]));
        assert_eq!(layout.passages.len(), 2);
        assert_eq!(layout.passages[0].text.unicode_words().count(), 60);
    }

    #[test]
    fn short_last_paragraph_joins_the_one_before() {
        let layout = split(&article(vec![(None, words(50)), (None, words(5))]));
        assert_eq!(layout.passages.len(), 1);
        assert_eq!(layout.passages[0].text.unicode_words().count(), 55);
    }

    #[test]
    fn short_paragraph_does_not_cross_a_heading() {
        let layout = split(&article(vec![
            (None, words(10)),
            (Some("Next part"), words(50)),
        ]));
        assert_eq!(layout.passages.len(), 2);
        let layout = split(&article(vec![
            (None, words(50)),
            (None, words(10)),
            (Some("Next part"), words(50)),
        ]));
        assert_eq!(layout.passages.len(), 2);
        assert_eq!(layout.passages[0].text.unicode_words().count(), 60);
        assert_eq!(layout.passages[1].heading.as_deref(), Some("Next part"));
    }

    #[test]
    fn long_paragraph_splits_at_sentences() {
        let layout = split(&article(vec![(None, words(450))]));
        assert_eq!(layout.passages.len(), 3);
        for p in &layout.passages {
            assert!(p.text.unicode_words().count() <= MAX_WORDS);
            assert!(p.text.ends_with('.'), "{:?}", p.text);
        }
    }

    #[test]
    fn text_without_sentence_ends_is_cut_at_words() {
        let endless = "word ".repeat(MAX_SENTENCE_WORDS * 5);
        let layout = split(&article(vec![(None, endless)]));
        assert_eq!(layout.passages.len(), 10);
        for p in &layout.passages {
            assert_eq!(p.text.unicode_words().count(), MAX_WORDS);
            assert_eq!(&layout.text[p.span.clone()], p.text);
        }
        let long_sentence = format!("{}end.", "word ".repeat(MAX_WORDS + 50));
        let layout = split(&article(vec![(None, long_sentence)]));
        assert_eq!(layout.passages.len(), 1, "a long sentence stays whole");
    }

    #[test]
    fn passage_text_is_its_span_of_the_layout() {
        let layout = split(&article(vec![
            (None, words(45)),
            (Some("Heading"), words(300)),
            (Some("Heading"), "Café ünïcode.".into()),
        ]));
        for p in &layout.passages {
            assert_eq!(&layout.text[p.span.clone()], p.text);
            assert_eq!(layout.passage_at(&p.span), Some(p.index));
        }
        assert!(layout.text.starts_with("A title\n\n"));
        assert!(layout.text.contains("\n\nHeading\n\n"));
    }

    #[test]
    fn title_only_article_has_title_as_its_passage() {
        let layout = split(&article(Vec::new()));
        assert_eq!(layout.passages.len(), 1);
        assert_eq!(layout.passages[0].text, "A title");
        assert_eq!(layout.passage_at(&(0..1)), Some(0));
    }

    #[test]
    fn title_is_in_no_passage() {
        let layout = split(&article(vec![(None, words(45))]));
        assert_eq!(layout.passage_at(&(0..1)), None);
    }
}
