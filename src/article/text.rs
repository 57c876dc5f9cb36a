//! Plain-text articles: the source/date/title header, paragraphs and section headings.
//!
//! The shape read is an optional source line ("NOS News"), an optional date
//! line, the title, an optional byline, then paragraphs separated by blank
//! lines (or, in text with no blank lines, by line ends after a sentence).
//! The first line is a source when a date line follows it or when it names a
//! known news outlet; a short line standing alone in front of body text is a
//! section heading. A byline ("By Flaminia Luck", or a name alone on a line
//! under the title) gives the author and is not body text.

use super::{Block, Draft, collapse_whitespace, date};

/// Headings have at most this many words (about twelve; questions run longer).
const HEADING_MAX_WORDS: usize = 15;

/// Headings have at most this many characters.
const HEADING_MAX_CHARS: usize = 150;

/// A source line has at most this many words.
const SOURCE_MAX_WORDS: usize = 8;

/// A first line with more words than this is body text, not a title.
const TITLE_MAX_WORDS: usize = 30;

/// The most lines under the title searched for a byline.
const BYLINE_LINES: usize = 4;

/// News outlets whose name on the first line is the article's source, even
/// with no date line after it (lower case).
const KNOWN_SOURCES: &[&str] = &[
    "al jazeera",
    "ap",
    "ap news",
    "associated press",
    "afp",
    "agence france-presse",
    "bbc",
    "bbc news",
    "bloomberg",
    "business recorder",
    "cbs news",
    "cnn",
    "dawn",
    "deutsche welle",
    "dw",
    "euronews",
    "financial times",
    "fox news",
    "france 24",
    "nbc news",
    "npr",
    "nos",
    "nos news",
    "nos nieuws",
    "nrc",
    "nu.nl",
    "politico",
    "reuters",
    "rtl nieuws",
    "sky news",
    "the atlantic",
    "the economist",
    "the guardian",
    "the hindu",
    "the independent",
    "the new york times",
    "the telegraph",
    "the times",
    "the wall street journal",
    "the washington post",
    "trouw",
    "usa today",
    "volkskrant",
    "de volkskrant",
    "het parool",
    "de telegraaf",
    "het financieele dagblad",
    "omroep west",
    "omroep brabant",
    "rtv noord",
    "rtv oost",
    "at5",
    "vrt nws",
    "de standaard",
    "times of india",
    "south china morning post",
    "the straits times",
    "abc news",
    "cbc news",
    "the globe and mail",
    "le monde",
    "der spiegel",
    "el país",
];

/// Words that end a byline's role line ("Environment editor").
const ROLE_WORDS: &[&str] = &[
    "editor",
    "correspondent",
    "reporter",
    "writer",
    "journalist",
    "columnist",
    "producer",
    "analyst",
    "contributor",
    "staff",
    "redacteur",
    "verslaggever",
    "correspondente",
];

/// Lower-case words that may stand inside a name ("Bibi van Ginkel").
const NAME_PARTICLES: &[&str] = &[
    "van", "de", "der", "den", "het", "ter", "ten", "von", "da", "di", "du", "la", "le", "al",
    "el", "bin", "ibn", "and", "en",
];

/// Reads a plain-text article.
pub(crate) fn read(text: &str) -> Draft {
    let mut paragraphs = paragraphs(text);
    let mut draft = Draft::default();
    read_header(&mut paragraphs, &mut draft);
    take_byline(&mut paragraphs, &mut draft);
    let (headings, blocks) = body(&paragraphs);
    draft.headings = headings;
    draft.blocks = blocks;
    draft
}

/// The non-blank lines of the text, trimmed, grouped into paragraphs at blank
/// lines; text with no blank lines at all is split where a line ends a
/// sentence and the next starts one, so that it does not read as one paragraph.
fn paragraphs(text: &str) -> Vec<Vec<&str>> {
    let grouped = grouped_at_blank_lines(text);
    match grouped.as_slice() {
        [only] if only.len() > 1 => split_at_sentence_ends(only),
        _ => grouped,
    }
}

/// Lines into paragraphs, a new one after each line that ends a sentence
/// when the next line starts like one.
fn split_at_sentence_ends<'a>(lines: &[&'a str]) -> Vec<Vec<&'a str>> {
    let mut paragraphs = Vec::new();
    let mut current = Vec::new();
    for (i, &line) in lines.iter().enumerate() {
        current.push(line);
        let next = lines.get(i + 1);
        let ends = ends_thought(line) || is_heading_like(line) || current.len() == 1 && i < 3;
        if next.is_none_or(|next| ends && starts_sentence(next)) {
            paragraphs.push(std::mem::take(&mut current));
        }
    }
    paragraphs
}

/// The non-blank lines of the text, trimmed, grouped into paragraphs at blank lines.
fn grouped_at_blank_lines(text: &str) -> Vec<Vec<&str>> {
    let mut paragraphs = Vec::new();
    let mut current = Vec::new();
    for line in text.lines() {
        let line = line.trim();
        if line.is_empty() {
            if !current.is_empty() {
                paragraphs.push(std::mem::take(&mut current));
            }
        } else {
            current.push(line);
        }
    }
    if !current.is_empty() {
        paragraphs.push(current);
    }
    paragraphs
}

/// Takes the source, date and title lines off the front of the paragraphs.
fn read_header(paragraphs: &mut Vec<Vec<&str>>, draft: &mut Draft) {
    let first: Vec<&str> = paragraphs.iter().flatten().take(3).copied().collect();
    let Some(&line0) = first.first() else {
        return;
    };
    let line1 = first.get(1).copied();
    let line2 = first.get(2).copied();

    if date::is_date(line0) {
        draft.date_text = Some(line0.to_string());
        take_line(paragraphs);
        take_title(paragraphs, draft);
        return;
    }
    if let Some(line1) = line1.filter(|line| date::is_date(line)) {
        let source_then_title = is_source_like(line0) && line2.is_some_and(is_title_like);
        if source_then_title {
            draft.source = Some(line0.to_string());
            draft.date_text = Some(line1.to_string());
            take_line(paragraphs);
            take_line(paragraphs);
            take_title(paragraphs, draft);
        } else {
            // "Title / date / body": the first line is the title after all.
            draft.title = Some(line0.to_string());
            draft.date_text = Some(line1.to_string());
            take_line(paragraphs);
            take_line(paragraphs);
        }
        return;
    }
    if is_known_source(line0) && line1.is_some_and(is_title_like) {
        draft.source = Some(line0.to_string());
        take_line(paragraphs);
    }
    take_title(paragraphs, draft);
}

/// Whether a line names a known news outlet.
fn is_known_source(line: &str) -> bool {
    KNOWN_SOURCES.contains(&line.trim().to_lowercase().as_str())
}

/// Takes a byline from the first lines under the title: "By Flaminia Luck"
/// (or "Door …"), or a name alone on a line, with the role and date lines
/// that follow it. The name becomes the author.
fn take_byline(paragraphs: &mut Vec<Vec<&str>>, draft: &mut Draft) {
    let lines: Vec<(usize, usize)> = paragraphs
        .iter()
        .enumerate()
        .flat_map(|(p, lines)| (0..lines.len()).map(move |l| (p, l)))
        .take(BYLINE_LINES)
        .collect();
    let line = |(p, l): (usize, usize)| paragraphs[p][l];
    let Some(at) = lines.iter().position(|&pos| {
        let text = line(pos);
        by_name(text).is_some() || is_name_line(text)
    }) else {
        return;
    };
    // A lone name must be followed by more text, and be the byline zone's
    // only such line; "By" lines need no more.
    let text = line(lines[at]);
    let name = match by_name(text) {
        Some(name) => name,
        None if lines.len() > at + 1 || paragraphs.len() > lines[at].0 + 1 => text.to_string(),
        None => return,
    };
    let mut taken = vec![lines[at]];
    for &pos in lines.iter().skip(at + 1).take(2) {
        let next = line(pos);
        if is_role_line(next) {
            taken.push(pos);
        } else if date::is_date(next) {
            if draft.date_text.is_none() {
                draft.date_text = Some(next.to_string());
            }
            taken.push(pos);
        } else {
            break;
        }
    }
    if draft.author.is_none() {
        draft.author = Some(name);
    }
    for &(p, l) in taken.iter().rev() {
        paragraphs[p].remove(l);
    }
    paragraphs.retain(|lines| !lines.is_empty());
}

/// The name of a "By …" line ("By Flaminia Luck, BBC News" → "Flaminia Luck").
fn by_name(line: &str) -> Option<String> {
    let rest = ["By ", "by ", "BY ", "Door ", "door "]
        .iter()
        .find_map(|by| line.trim().strip_prefix(by))?;
    let name = rest.split([',', '|', '·']).next()?.trim();
    let words: Vec<&str> = name.split_whitespace().collect();
    let and = |w: &&str| matches!(*w, "and" | "&" | "en");
    let names_only = words
        .iter()
        .all(|w| and(w) || is_name_word(w) || NAME_PARTICLES.contains(w));
    (names_only && (1..=8).contains(&words.len()) && words.first().is_some_and(|w| is_name_word(w)))
        .then(|| name.to_string())
}

/// Common given names, from the name lists the entity tagger ships with
/// (lower case).
fn given_names() -> &'static std::collections::HashSet<String> {
    static NAMES: std::sync::OnceLock<std::collections::HashSet<String>> =
        std::sync::OnceLock::new();
    NAMES.get_or_init(|| {
        let lists = [
            include_str!("../../models/names.tsv"),
            include_str!("../../models/census-names.tsv"),
        ];
        lists
            .iter()
            .flat_map(|list| list.lines())
            .filter_map(|line| line.strip_prefix("first\t"))
            .map(|name| name.trim().to_lowercase())
            .collect()
    })
}

/// A line that is a person's name and nothing else: a common given name and
/// one to three more capitalised words (name particles allowed between
/// them), no punctuation of a sentence.
fn is_name_line(line: &str) -> bool {
    let words: Vec<&str> = line.split_whitespace().collect();
    (2..=4).contains(&words.len())
        && words.first().is_some_and(|w| is_name_word(w))
        && words
            .first()
            .is_some_and(|w| given_names().contains(&w.to_lowercase()))
        && words.last().is_some_and(|w| is_name_word(w))
        && words
            .iter()
            .all(|w| is_name_word(w) || NAME_PARTICLES.contains(w))
        && !date::is_date(line)
        && !is_known_source(line)
}

/// A capitalised word of letters, perhaps with a hyphen, apostrophe or dot
/// ("O'Neill", "Jean-Pierre", "J.").
fn is_name_word(word: &str) -> bool {
    let mut chars = word.chars();
    chars.next().is_some_and(char::is_uppercase)
        && word.chars().any(char::is_lowercase)
        && word
            .chars()
            .all(|c| c.is_alphabetic() || "-'’.".contains(c))
        || word.len() == 2 && word.ends_with('.') && word.starts_with(char::is_uppercase)
}

/// A byline's role line: a few words ending in a job ("Environment editor").
fn is_role_line(line: &str) -> bool {
    let words: Vec<&str> = line.split_whitespace().collect();
    (1..=5).contains(&words.len())
        && words
            .last()
            .is_some_and(|w| ROLE_WORDS.contains(&w.to_lowercase().as_str()))
}

/// Takes the next line as the title when it reads like one; otherwise leaves
/// it in the body (the title then comes from its first sentence).
fn take_title(paragraphs: &mut Vec<Vec<&str>>, draft: &mut Draft) {
    let Some(paragraph) = paragraphs.first() else {
        return;
    };
    let Some(&line) = paragraph.first() else {
        return;
    };
    let continues = paragraph
        .get(1)
        .is_some_and(|next| next.chars().next().is_some_and(char::is_lowercase));
    let words = line.split_whitespace().count();
    if continues || words > TITLE_MAX_WORDS {
        return;
    }
    draft.title = Some(line.to_string());
    take_line(paragraphs);
}

/// Removes the first line of the first paragraph (and the paragraph when it empties).
fn take_line(paragraphs: &mut Vec<Vec<&str>>) {
    if let Some(first) = paragraphs.first_mut() {
        if !first.is_empty() {
            first.remove(0);
        }
        if first.is_empty() {
            paragraphs.remove(0);
        }
    }
}

/// The section headings and the blocks of a body.
fn body(paragraphs: &[Vec<&str>]) -> (Vec<String>, Vec<Block>) {
    let mut headings = Vec::new();
    let mut blocks = Vec::new();
    let mut heading: Option<String> = None;
    for (index, lines) in paragraphs.iter().enumerate() {
        let Some((&first, rest)) = lines.split_first() else {
            continue;
        };
        // A heading starts a new thought: the text before it (if any) must
        // have ended its sentence, or the line is a fragment of that sentence.
        let after_sentence = index == 0
            || paragraphs[index - 1]
                .last()
                .is_none_or(|line| ends_thought(line) || is_list_item(line));
        let text_lines = if !after_sentence {
            lines.as_slice()
        } else if rest.is_empty() {
            let next = paragraphs.get(index + 1);
            if is_heading_like(first) && next.is_some_and(|next| starts_body(next)) {
                heading = Some(first.to_string());
                headings.push(first.to_string());
                continue;
            }
            lines.as_slice()
        } else if heads_paragraph(first, rest) {
            heading = Some(first.to_string());
            headings.push(first.to_string());
            rest
        } else {
            lines.as_slice()
        };
        let text = collapse_whitespace(&text_lines.join(" "));
        if !text.is_empty() {
            blocks.push(Block {
                heading: heading.clone(),
                text,
            });
        }
    }
    (headings, blocks)
}

/// Whether a paragraph can follow a standalone heading: body text starting
/// like a sentence, or a paragraph with several lines (which may open with
/// its own heading).
fn starts_body(paragraph: &[&str]) -> bool {
    match paragraph {
        [] => false,
        [only] => starts_sentence(only) && !is_heading_like(only),
        [first, ..] => starts_sentence(first),
    }
}

/// Whether the line starts like a sentence: not with a lower-case letter or
/// with punctuation other than an opening quote or bracket.
fn starts_sentence(line: &str) -> bool {
    line.chars()
        .next()
        .is_some_and(|c| (!c.is_lowercase() && !c.is_ascii_punctuation()) || "\"'(‘“«".contains(c))
}

/// Whether a line ends a sentence or a quote, so that a heading may follow.
fn ends_thought(line: &str) -> bool {
    line.trim_end()
        .chars()
        .last()
        .is_some_and(|c| ".?!:;…\"'”’)]»".contains(c))
}

/// Whether the first line of a multi-line paragraph is a heading over the
/// rest. Guards against hard-wrapped prose: the next line must start like a
/// sentence and be clearly longer, and the rest must read as text.
fn heads_paragraph(first: &str, rest: &[&str]) -> bool {
    let Some(next) = rest.first() else {
        return false;
    };
    if !is_heading_like(first) {
        return false;
    }
    let longer = next.chars().count() * 2 >= first.chars().count() * 3;
    let rest_words: usize = rest.iter().map(|l| l.split_whitespace().count()).sum();
    let reads_as_text = rest_words > first.split_whitespace().count()
        || rest.last().is_some_and(|l| ends_sentence(l));
    starts_sentence(next) && longer && reads_as_text
}

/// A short line with letters, starting like a sentence, that does not end
/// like one ('?' allowed) and is not a list item.
pub(crate) fn is_heading_like(line: &str) -> bool {
    let line = line.trim();
    if !starts_sentence(line) || line.starts_with(['(', '[']) {
        return false;
    }
    let words = line.split_whitespace().count();
    if words == 0 || words > HEADING_MAX_WORDS || line.chars().count() > HEADING_MAX_CHARS {
        return false;
    }
    if !line.chars().any(char::is_alphabetic) || is_list_item(line) {
        return false;
    }
    !ends_sentence(line)
}

/// Whether the line ends in '.', ',', ';', ':', '!' or '…', looking through
/// closing quotes and brackets.
fn ends_sentence(line: &str) -> bool {
    let last = line
        .trim_end_matches(|c: char| c.is_whitespace() || "\"'”’»)]".contains(c))
        .chars()
        .last();
    last.is_some_and(|c| ".,;:!…".contains(c))
}

/// "- item", "* item", "• item", "1. item", "2) item".
fn is_list_item(line: &str) -> bool {
    let mut words = line.split_whitespace();
    let Some(marker) = words.next() else {
        return false;
    };
    if words.next().is_none() {
        return false;
    }
    if ["-", "*", "•", "–", "—", "+"].contains(&marker) {
        return true;
    }
    let digits = marker.trim_end_matches(['.', ')']);
    digits.len() < marker.len() && !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit())
}

/// A first line that can be a source: a few words, not a sentence.
fn is_source_like(line: &str) -> bool {
    let words = line.split_whitespace().count();
    words <= SOURCE_MAX_WORDS && !ends_sentence(line)
}

/// A line that can be a title: not too long, not ending like a sentence.
fn is_title_like(line: &str) -> bool {
    let words = line.split_whitespace().count();
    words <= TITLE_MAX_WORDS
        && !line
            .trim_end_matches(|c: char| c.is_whitespace() || "\"'”’»)]".contains(c))
            .ends_with('.')
}

#[cfg(test)]
mod tests {
    use super::super::Format;
    use super::super::testing::*;
    use super::*;

    #[test]
    fn bbc_style_title_line_then_paragraphs() {
        let article = read_one(include_str!("../../tests/fixtures/plain.txt"), Format::Text);
        assert_eq!(article.title, "Copenhagen bakery chain expands to Berlin");
        assert_eq!(article.source, None);
        assert_eq!(article.date_text, None);
        assert_eq!(article.published, None);
        assert!(article.headings.is_empty());
        assert_eq!(article.blocks.len(), 4);
        assert!(article.blocks.iter().all(|b| b.heading.is_none()));
        assert!(article.blocks[0].text.contains("Ole Kristoffersen"));
        assert!(article.blocks[3].text.starts_with("Kristoffersen said"));
        assert_eq!(article.language, "en");
    }

    #[test]
    fn first_line_is_title_when_no_date_follows() {
        let article = read_one(
            "Harbour Weekly\n\nThe king is dead\n\nA body line.",
            Format::Text,
        );
        assert_eq!(article.title, "Harbour Weekly");
        assert_eq!(article.source, None);
    }

    #[test]
    fn a_known_outlet_on_the_first_line_is_the_source_without_a_date() {
        let article = read_one("NOS News\n\nThe king is dead\n\nA body line.", Format::Text);
        assert_eq!(article.title, "The king is dead");
        assert_eq!(article.source.as_deref(), Some("NOS News"));
    }

    #[test]
    fn single_newline_text_is_split_into_paragraphs_with_a_by_line_author() {
        let article = read_one(
            include_str!("../../tests/fixtures/layout/byline_source.txt"),
            Format::Text,
        );
        assert_eq!(article.source.as_deref(), Some("Business Recorder"));
        assert_eq!(article.title, "Textile exports rise 10pc in December");
        assert_eq!(article.author.as_deref(), Some("Flaminia Luck"));
        assert!(article.headings.is_empty(), "{:?}", article.headings);
        let texts = texts(&article);
        assert_eq!(texts.len(), 4, "{texts:?}");
        assert!(texts[0].starts_with("KARACHI: Textile exports rose"));
        assert!(texts.iter().all(|t| !t.contains("Flaminia")));
    }

    #[test]
    fn a_name_alone_under_the_title_is_the_author_with_its_role_and_date() {
        let article = read_one(
            include_str!("../../tests/fixtures/layout/lone_byline.txt"),
            Format::Text,
        );
        assert_eq!(article.author.as_deref(), Some("Fiona Harvey"));
        assert!(article.headings.is_empty(), "{:?}", article.headings);
        assert_eq!(
            article.date_text.as_deref(),
            Some("Wed 15 Jan 2025 12.00 GMT")
        );
        let all = texts(&article).join("\n");
        assert!(
            !all.contains("Fiona Harvey") && !all.contains("Environment editor"),
            "{all}"
        );
        assert!(
            all.starts_with("Coastal wetlands in northern Europe"),
            "{all}"
        );
    }

    #[test]
    fn title_case_headings_and_sentences_under_the_title_are_not_bylines() {
        for text in [
            "Flood title\n\nKey Points\n\nThe river rose in the night.",
            "Flood title\n\nMark the date in your diary now.\n\nThe river rose.",
            "Flood title\n\nBy the river, the water rose.\n\nMore text.",
        ] {
            let article = read_one(text, Format::Text);
            assert_eq!(article.author, None, "{text}");
        }
    }

    #[test]
    fn date_as_first_line_then_title() {
        let article = read_one(
            "23 March 2024\nMarket hall reopens\n\nThe hall reopened on Saturday.",
            Format::Text,
        );
        assert_eq!(article.date_text.as_deref(), Some("23 March 2024"));
        assert_eq!(article.title, "Market hall reopens");
        assert_eq!(article.source, None);
        assert_eq!(
            article.published.map(|d| d.to_rfc3339()),
            Some("2024-03-23T00:00:00+00:00".to_string())
        );
        assert_eq!(texts(&article), ["The hall reopened on Saturday."]);
    }

    #[test]
    fn source_then_date_then_title_across_blank_lines() {
        let article = read_one(
            "Regional Post\n\n2024-03-23 18:54\n\nBridge closed after crash\n\nThe bridge was closed.",
            Format::Text,
        );
        assert_eq!(article.source.as_deref(), Some("Regional Post"));
        assert_eq!(article.date_text.as_deref(), Some("2024-03-23 18:54"));
        assert_eq!(article.title, "Bridge closed after crash");
        assert_eq!(
            article.published.map(|d| d.to_rfc3339()),
            Some("2024-03-23T18:54:00+01:00".to_string())
        );
    }

    #[test]
    fn title_then_date_then_body_keeps_first_line_as_title() {
        let article = read_one(
            "Bridge closed after crash\nMarch 23, 2024\n\nThe bridge over the river was closed on Saturday after a lorry hit one of its pillars, the police said.",
            Format::Text,
        );
        assert_eq!(article.title, "Bridge closed after crash");
        assert_eq!(article.source, None);
        assert_eq!(article.date_text.as_deref(), Some("March 23, 2024"));
        assert_eq!(article.blocks.len(), 1);
    }

    #[test]
    fn standalone_short_line_before_paragraph_is_heading() {
        let article = read_one(
            "Title\n\nIntro paragraph.\n\nBackground\n\nThe company was founded in 1990.\n\nMore text here.",
            Format::Text,
        );
        assert_eq!(article.headings, ["Background"]);
        assert_eq!(article.blocks[0].heading, None);
        assert_eq!(article.blocks[1].heading.as_deref(), Some("Background"));
        assert_eq!(article.blocks[2].heading.as_deref(), Some("Background"));
    }

    #[test]
    fn short_line_as_last_line_is_a_paragraph() {
        let article = read_one(
            "Title\n\nIntro paragraph.\n\nThe end of it all",
            Format::Text,
        );
        assert!(article.headings.is_empty());
        assert_eq!(texts(&article), ["Intro paragraph.", "The end of it all"]);
    }

    #[test]
    fn run_of_short_lines_has_no_headings() {
        let article = read_one(
            "Title\n\nIntro.\n\nFirst short line\n\nSecond short line\n\nReal text follows.",
            Format::Text,
        );
        assert!(article.headings.is_empty());
        assert_eq!(article.blocks.len(), 4);
    }

    #[test]
    fn heading_needs_body_text_after_it() {
        let article = read_one(
            "Title\n\nIntro.\n\nA short line\n\n- a list item\n\nWhat next?\n\nA real paragraph.",
            Format::Text,
        );
        assert_eq!(article.headings, ["What next?"]);
        assert_eq!(article.blocks[1].text, "A short line");
        assert_eq!(article.blocks[1].heading, None);
    }

    #[test]
    fn lines_ending_in_sentence_punctuation_are_not_headings() {
        for line in [
            "Four questions and answers:",
            "Short one.",
            "Stop it!",
            "Well,",
            "Then;",
        ] {
            let text =
                format!("Title\n\nIntro.\n\n{line}\nThe next line is a longer body sentence.");
            let article = read_one(&text, Format::Text);
            assert!(article.headings.is_empty(), "{line}");
        }
    }

    #[test]
    fn question_line_heading_over_its_paragraph() {
        let article = read_one(
            "Title\n\nIntro.\n\nWhat is ISIS-K?\nISIS-K, also known as ISKP, is a branch of IS.",
            Format::Text,
        );
        assert_eq!(article.headings, ["What is ISIS-K?"]);
        assert_eq!(
            texts(&article),
            ["Intro.", "ISIS-K, also known as ISKP, is a branch of IS."]
        );
    }

    #[test]
    fn hard_wrapped_paragraphs_have_no_headings_and_join_lines() {
        let text = "Title\n\nHeavily armed men entered a concert hall in\nKrasnogorsk, near Moscow, last night. They opened\nfire on visitors and staff.\n\n\n\nSecond paragraph\nstarts here and goes on.";
        let article = read_one(text, Format::Text);
        assert!(article.headings.is_empty());
        assert_eq!(
            texts(&article),
            [
                "Heavily armed men entered a concert hall in Krasnogorsk, near Moscow, last night. They opened fire on visitors and staff.",
                "Second paragraph starts here and goes on.",
            ]
        );
    }

    #[test]
    fn fragments_of_a_broken_sentence_are_not_headings() {
        let article = read_one(
            "Title\n\nParry revealed Real Madrid\n\nDid\n\nAsk for an option on the midfielder.\n\nIn the other game Cameroon's\n\nbeat\n\nof South Africa 3-2 in Douala.",
            Format::Text,
        );
        assert!(article.headings.is_empty(), "{:?}", article.headings);
        assert_eq!(article.blocks.len(), 6);
    }

    #[test]
    fn lower_case_or_bracketed_lines_are_not_headings() {
        let article = read_one(
            "Title\n\nIntro.\n\nagent provocateur\n\nText follows here.\n\n(seeds in brackets)\n\nMore text.",
            Format::Text,
        );
        assert!(article.headings.is_empty(), "{:?}", article.headings);
    }

    #[test]
    fn list_items_are_not_headings() {
        let article = read_one(
            "Title\n\n- apples and pears\nThe list goes on with more fruit than anyone can eat.",
            Format::Text,
        );
        assert!(article.headings.is_empty());
        assert!(is_list_item("1. First"));
        assert!(!is_list_item("2024 was a year"));
    }

    #[test]
    fn title_only_text_has_no_blocks() {
        let article = read_one("Just a headline\n", Format::Text);
        assert_eq!(article.title, "Just a headline");
        assert!(article.blocks.is_empty());
    }

    #[test]
    fn wrapped_first_paragraph_gives_first_sentence_title() {
        let article = read_one(
            "The council met on Monday in\nthe town hall. It decided nothing.",
            Format::Text,
        );
        assert_eq!(article.title, "The council met on Monday in the town hall.");
        assert_eq!(
            texts(&article),
            ["The council met on Monday in the town hall. It decided nothing."]
        );
    }

    #[test]
    fn date_line_alone_is_not_an_article() {
        assert!(matches!(
            read_str("23 March 2024\n", Format::Text),
            Err(super::super::ReadError::Empty)
        ));
    }
}
