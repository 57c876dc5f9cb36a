//! Reads article files (plain text, Markdown, HTML, JSON, JSON Lines) into [`Article`]s.
//!
//! This module owns file formats, header detection, dates and language detection.
//! It knows nothing of the index.

use std::path::{Path, PathBuf};

use chrono::{DateTime, FixedOffset};
use unicode_segmentation::UnicodeSegmentation;

mod date;
mod html;
mod json;
mod lang;
mod markdown;
mod text;

/// The formats lede reads, chosen by file extension (or named, as `lede add -
/// --format md` does).
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    #[value(name = "txt")]
    Text,
    #[value(name = "md")]
    Markdown,
    Html,
    Json,
    #[value(skip)]
    JsonLines,
}

impl Format {
    /// The format for a path's extension, or `None` when lede does not read it.
    pub fn from_path(path: &Path) -> Option<Format> {
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        match ext.as_str() {
            "txt" => Some(Format::Text),
            "md" | "markdown" => Some(Format::Markdown),
            "html" | "htm" => Some(Format::Html),
            "json" => Some(Format::Json),
            "jsonl" | "ndjson" => Some(Format::JsonLines),
            _ => None,
        }
    }
}

/// One paragraph of an article body, with the section heading it sits under.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Block {
    /// The nearest section heading above this paragraph, if any.
    pub heading: Option<String>,
    /// The paragraph text, trimmed, with inner line breaks joined by spaces.
    pub text: String,
}

/// One article, as read from a file (a JSON file may hold several).
#[derive(Debug, Clone, PartialEq)]
pub struct Article {
    /// The file the article came from.
    pub path: PathBuf,
    /// The position of the article inside a JSON array or JSON Lines file (0-based), else `None`.
    pub record: Option<usize>,
    pub title: String,
    /// The title was taken from the first sentence of the body, which the
    /// article's text already holds.
    pub title_from_body: bool,
    pub source: Option<String>,
    /// A real timestamp when the text gives one; never invented.
    pub published: Option<DateTime<FixedOffset>>,
    /// The date as written in the article ("Yesterday, 6:54 PM"), kept verbatim.
    pub date_text: Option<String>,
    pub url: Option<String>,
    pub author: Option<String>,
    /// ISO 639-1 code ("en", "nl", ...) or "und" when unknown.
    pub language: String,
    /// The section headings, in order.
    pub headings: Vec<String>,
    /// The body paragraphs, in order. Empty when the article has only a title.
    pub blocks: Vec<Block>,
}

/// Bytes inspected for a NUL when deciding whether a file is binary.
const BINARY_SNIFF_LEN: usize = 8 * 1024;

/// Longest title, in characters, taken from the first sentence of the body.
const FALLBACK_TITLE_CHARS: usize = 120;

/// What reading one file produced: its articles, and problems with parts of it
/// (e.g. a bad JSON Lines line) that did not stop the rest.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Read {
    /// The articles, in file order; never empty.
    pub articles: Vec<Article>,
    /// One line per skipped part, e.g. "line 3: expected value at column 1".
    pub warnings: Vec<String>,
}

/// Why a file gave no articles at all.
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    #[error("{}", io_message(.0))]
    Io(std::io::Error),
    #[error("binary file")]
    Binary,
    /// No text at all, or no title and no body.
    #[error("empty file")]
    Empty,
    /// A page whose markup holds no title and no article text (only scripts,
    /// navigation or other boilerplate).
    #[error("no article text")]
    NoText,
    /// The whole file is malformed JSON (or no JSON Lines line parsed).
    #[error("malformed JSON: {0}")]
    Json(String),
    /// Well-formed JSON without any object that has a title or a text.
    #[error("no articles found")]
    NoArticles,
    #[error("unsupported file format")]
    UnsupportedFormat,
    /// Shaped so that reading it would take unbounded time (nesting, attributes).
    #[error("{0}")]
    TooComplex(String),
}

impl From<std::io::Error> for ReadError {
    fn from(err: std::io::Error) -> Self {
        ReadError::Io(err)
    }
}

/// An I/O error's message, lower-cased and without the "(os error N)" suffix.
fn io_message(err: &std::io::Error) -> String {
    let message = err.to_string();
    let message = match message.find(" (os error") {
        Some(cut) => &message[..cut],
        None => message.as_str(),
    };
    let mut chars = message.chars();
    match chars.next() {
        Some(first) => first.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// The timestamp a date text gives ("23 March 2024", "2024-03-23 18:54",
/// "Yesterday, 6:54 PM" against `reference`), if any.
pub fn parse_date(
    text: &str,
    reference: Option<DateTime<FixedOffset>>,
) -> Option<DateTime<FixedOffset>> {
    date::parse(text, reference)
}

/// The warning given for a file read as Windows-1252.
pub const NOT_UTF8_WARNING: &str = "not valid UTF-8; read as Windows-1252";

/// Reads one file, choosing the format from its extension.
///
/// Relative dates ("Yesterday, 6:54 PM", "3 hours ago") are resolved against
/// the file's modification time, taken in UTC (offset +00:00) so that results
/// do not depend on the machine's time zone. Without a modification time,
/// relative dates give no timestamp.
pub fn read_file(path: &Path) -> Result<Read, ReadError> {
    let format = Format::from_path(path).ok_or(ReadError::UnsupportedFormat)?;
    let bytes = std::fs::read(path)?;
    let reference = std::fs::metadata(path)
        .and_then(|meta| meta.modified())
        .ok()
        .map(|modified| DateTime::<chrono::Utc>::from(modified).fixed_offset());
    read_bytes(&bytes, format, path, reference)
}

/// The detected language of a text as ISO 639-1 ("en", "nl"), or "und":
/// its first 2,000 characters decide.
pub fn detect_language(text: &str) -> String {
    let cut = text.char_indices().nth(2000).map_or(text.len(), |(i, _)| i);
    lang::detect(&text[..cut])
}

/// Reads the bytes of one file in the given format.
///
/// `path` is only recorded in the articles. `reference` is the time that
/// relative dates ("Yesterday", "Today 09:10", "3 hours ago") count from, and
/// the offset given to times written without a zone; with `None`, relative
/// dates give no timestamp and zone-less times are taken as UTC.
pub fn read_bytes(
    bytes: &[u8],
    format: Format,
    path: &Path,
    reference: Option<DateTime<FixedOffset>>,
) -> Result<Read, ReadError> {
    let mut warnings = Vec::new();
    // UTF-16 (what Windows tools save as "Unicode") is known by its byte order mark.
    let utf16 = encoding_rs::Encoding::for_bom(bytes)
        .filter(|(encoding, _)| *encoding != encoding_rs::UTF_8)
        .map(|(encoding, bom)| encoding.decode_without_bom_handling(&bytes[bom..]).0);
    let decoded = match utf16 {
        Some(text) => {
            let sniff: String = text.chars().take(BINARY_SNIFF_LEN).collect();
            if sniff.contains('\0') {
                return Err(ReadError::Binary);
            }
            text
        }
        None => {
            let sniff = &bytes[..bytes.len().min(BINARY_SNIFF_LEN)];
            if sniff.contains(&0) {
                return Err(ReadError::Binary);
            }
            // Text that is not UTF-8 is read as Windows-1252, the usual encoding of
            // older Western news files, with a warning; no byte is ever rejected.
            match std::str::from_utf8(bytes) {
                Ok(text) => std::borrow::Cow::Borrowed(text),
                Err(_) => {
                    warnings.push(NOT_UTF8_WARNING.to_string());
                    encoding_rs::WINDOWS_1252
                        .decode_without_bom_handling(bytes)
                        .0
                }
            }
        }
    };
    let text = decoded.strip_prefix('\u{feff}').unwrap_or(&decoded);
    if is_blank(text) {
        return Err(ReadError::Empty);
    }
    let text = normalize_newlines(text);

    let (drafts, format_warnings) = match format {
        Format::Text => (vec![text::read(&text)], Vec::new()),
        Format::Markdown => {
            markdown::check_shape(&text).map_err(ReadError::TooComplex)?;
            let (draft, warnings) = markdown::read(&text);
            (vec![draft], warnings)
        }
        Format::Html => {
            html::check_shape(&text).map_err(ReadError::TooComplex)?;
            (vec![html::read(&text)], Vec::new())
        }
        Format::Json => json::read_json(&text)?,
        Format::JsonLines => json::read_lines(&text)?,
    };

    warnings.extend(format_warnings);
    let mut read = Read {
        articles: Vec::new(),
        warnings,
    };
    read.articles.extend(
        drafts
            .iter()
            .filter_map(|draft| draft.finish(path, reference)),
    );
    // A date the file gives that no reading understands (year 99999, "soon"):
    // the article is undated, and the file's owner is told. A relative date
    // that only lacks a reference time is not reported.
    let now = chrono::Utc::now().fixed_offset();
    for article in &read.articles {
        let Some(text) = &article.date_text else {
            continue;
        };
        if article.published.is_none() && date::parse(text, Some(now)).is_none() {
            let place = match (format, article.record) {
                (Format::JsonLines, Some(index)) => format!("line {}: ", index + 1),
                (Format::Json, Some(index)) => format!("record {index}: "),
                _ => String::new(),
            };
            let shown: String = text.chars().take(40).collect();
            read.warnings.push(format!(
                "{place}date \"{shown}\" not understood; the article is undated"
            ));
        }
    }
    if read.articles.is_empty() {
        return Err(match format {
            Format::Json | Format::JsonLines => ReadError::NoArticles,
            Format::Html | Format::Markdown => ReadError::NoText,
            Format::Text => ReadError::Empty,
        });
    }
    Ok(read)
}

/// Turns "\r\n" and lone "\r" into "\n".
fn normalize_newlines(text: &str) -> String {
    if text.contains('\r') {
        text.replace("\r\n", "\n").replace('\r', "\n")
    } else {
        text.to_string()
    }
}

/// Collapses every run of whitespace into one space and trims the ends.
pub(crate) fn collapse_whitespace(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for word in text.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

/// Whether the text has nothing visible: only whitespace, byte order marks
/// and zero-width characters.
pub(crate) fn is_blank(text: &str) -> bool {
    text.chars().all(|c| {
        c.is_whitespace() || matches!(c, '\u{200b}'..='\u{200d}' | '\u{2060}' | '\u{feff}')
    })
}

/// The text with whitespace collapsed, when it is not blank.
pub(crate) fn non_empty(text: &str) -> Option<String> {
    (!is_blank(text)).then(|| collapse_whitespace(text))
}

/// An article as a format reader found it, before dates, title fallback and
/// language are settled.
#[derive(Debug, Default)]
pub(crate) struct Draft {
    /// Position in a JSON array or JSON Lines file.
    pub record: Option<usize>,
    pub title: Option<String>,
    pub source: Option<String>,
    /// A timestamp the reader already knows (e.g. a numeric JSON date).
    pub published: Option<DateTime<FixedOffset>>,
    pub date_text: Option<String>,
    pub url: Option<String>,
    pub author: Option<String>,
    /// Language as declared by the file, in any common spelling.
    pub language: Option<String>,
    pub headings: Vec<String>,
    pub blocks: Vec<Block>,
}

impl Draft {
    /// Whether there is a title or some body text, i.e. an article.
    fn has_content(&self) -> bool {
        self.title.as_deref().is_some_and(|t| !is_blank(t))
            || self.blocks.iter().any(|block| !is_blank(&block.text))
    }

    /// Settles the date, the title (falling back to the first sentence of the
    /// body) and the language. `None` when there is neither title nor body.
    fn finish(&self, path: &Path, reference: Option<DateTime<FixedOffset>>) -> Option<Article> {
        let mut blocks: Vec<Block> = self
            .blocks
            .iter()
            .filter(|block| !is_blank(&block.text))
            .cloned()
            .collect();
        let (title, title_from_body) = match self.title.as_deref().and_then(non_empty) {
            Some(title) => (title, false),
            None => {
                let first = blocks.first()?;
                let (title, whole) = fallback_title(&first.text)?;
                if whole {
                    blocks.remove(0);
                }
                (title, true)
            }
        };
        let date_text = self.date_text.as_deref().and_then(non_empty);
        let published = self.published.or_else(|| {
            date_text
                .as_deref()
                .and_then(|text| date::parse(text, reference))
        });
        let language = lang::language(self.language.as_deref(), &title, &blocks);
        Some(Article {
            path: path.to_path_buf(),
            record: self.record,
            title,
            title_from_body,
            source: self.source.as_deref().and_then(non_empty),
            published,
            date_text,
            url: self.url.as_deref().and_then(non_empty),
            author: self.author.as_deref().and_then(non_empty),
            language,
            headings: self.headings.clone(),
            blocks,
        })
    }
}

/// The first sentence of `text`, cut to [`FALLBACK_TITLE_CHARS`] at a word
/// boundary when longer, and whether it is the whole text.
fn fallback_title(text: &str) -> Option<(String, bool)> {
    let text = collapse_whitespace(text);
    let sentence = text.unicode_sentences().next()?.trim();
    if sentence.is_empty() {
        return None;
    }
    if sentence.chars().count() <= FALLBACK_TITLE_CHARS {
        return Some((sentence.to_string(), sentence == text));
    }
    Some((truncate_chars(sentence, FALLBACK_TITLE_CHARS), false))
}

/// Cuts `text` to at most `max` characters, at the last space when there is
/// one in the second half, and marks the cut with "…".
pub(crate) fn truncate_chars(text: &str, max: usize) -> String {
    let end = text
        .char_indices()
        .nth(max)
        .map_or(text.len(), |(index, _)| index);
    let head = &text[..end];
    if end == text.len() {
        return head.to_string();
    }
    let head = match head.rfind(char::is_whitespace) {
        Some(space) if head[..space].chars().count() >= max / 2 => &head[..space],
        _ => head,
    };
    format!("{}…", head.trim_end())
}

/// Helpers shared by the format modules' tests.
#[cfg(test)]
pub(crate) mod testing {
    use super::*;

    /// The reference time used in tests: Sunday 24 March 2024, 10:00 at +01:00.
    pub(crate) fn reference() -> DateTime<FixedOffset> {
        DateTime::parse_from_rfc3339("2024-03-24T10:00:00+01:00").unwrap()
    }

    pub(crate) fn read_str(text: &str, format: Format) -> Result<Read, ReadError> {
        read_bytes(
            text.as_bytes(),
            format,
            Path::new("test.input"),
            Some(reference()),
        )
    }

    /// The single article of a text, which must read without warnings.
    pub(crate) fn read_one(text: &str, format: Format) -> Article {
        let read = read_str(text, format).unwrap();
        assert_eq!(read.articles.len(), 1, "{read:?}");
        read.articles.into_iter().next().unwrap()
    }

    pub(crate) fn texts(article: &Article) -> Vec<&str> {
        article.blocks.iter().map(|b| b.text.as_str()).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::testing::*;
    use super::*;

    const SEED: &str = include_str!("../../corpus/000_9434b53dda31b95b.txt");

    fn fixture(name: &str) -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures")
            .join(name)
    }

    #[test]
    fn seed_has_source_date_and_title_header() {
        let article = read_one(SEED, Format::Text);
        assert_eq!(article.source.as_deref(), Some("NOS News"));
        assert_eq!(article.date_text.as_deref(), Some("Yesterday, 6:54 PM"));
        assert_eq!(
            article.title,
            "Why would IS attack Moscow? Four questions and answers"
        );
        assert_eq!(article.language, "en");
        assert_eq!(article.record, None);
        assert_eq!(article.path, Path::new("test.input"));
    }

    #[test]
    fn a_date_no_reading_understands_warns_and_leaves_the_article_undated() {
        let read = read_str(
            "---\ntitle: Far\ndate: 99999-01-01\n---\n\nFar future text.\n",
            Format::Markdown,
        )
        .unwrap();
        assert_eq!(read.articles[0].published, None);
        assert_eq!(
            read.warnings,
            ["date \"99999-01-01\" not understood; the article is undated"]
        );
        let read = read_str(
            "{\"text\": \"A.\", \"date\": \"2024-03-23\"}\n{\"text\": \"B.\", \"date\": \"-0005-03-01\"}",
            Format::JsonLines,
        )
        .unwrap();
        assert_eq!(
            read.warnings,
            ["line 2: date \"-0005-03-01\" not understood; the article is undated"]
        );
    }

    #[test]
    fn seed_yesterday_resolves_to_day_before_reference_in_its_offset() {
        let article = read_one(SEED, Format::Text);
        let expected = DateTime::parse_from_rfc3339("2024-03-23T18:54:00+01:00").unwrap();
        assert_eq!(article.published, Some(expected));
        assert_eq!(article.published.unwrap().offset(), reference().offset());
    }

    #[test]
    fn seed_without_reference_keeps_date_text_but_no_timestamp() {
        let read = read_bytes(SEED.as_bytes(), Format::Text, Path::new("seed.txt"), None).unwrap();
        let article = &read.articles[0];
        assert_eq!(article.published, None);
        assert_eq!(article.date_text.as_deref(), Some("Yesterday, 6:54 PM"));
    }

    #[test]
    fn seed_has_exactly_the_four_question_headings() {
        let article = read_one(SEED, Format::Text);
        assert_eq!(
            article.headings,
            [
                "Why is IS mentioned as a possible perpetrator for the attack in Moscow?",
                "What is ISIS-K?",
                "How does ISIS-K compare to the Islamic State?",
                "Why would this group target Moscow?",
            ]
        );
    }

    #[test]
    fn seed_paragraphs_carry_their_heading_until_the_next() {
        let article = read_one(SEED, Format::Text);
        let blocks = &article.blocks;
        assert!(blocks[0].text.starts_with("Heavily armed men entered"));
        assert_eq!(blocks[0].heading, None);
        assert!(blocks[2].text.ends_with("Four questions and answers:"));
        assert_eq!(blocks[2].heading, None);
        assert!(
            blocks[3]
                .text
                .starts_with("Yesterday, the attack was quickly claimed")
        );
        assert_eq!(
            blocks[3].heading.as_deref(),
            Some("Why is IS mentioned as a possible perpetrator for the attack in Moscow?")
        );
        let isis_k = blocks
            .iter()
            .find(|b| b.text.starts_with("The split occurred in 2014"))
            .unwrap();
        assert_eq!(isis_k.heading.as_deref(), Some("What is ISIS-K?"));
        let first_under_third = blocks
            .iter()
            .position(|b| b.text.starts_with("The terrorist group that once renamed"))
            .unwrap();
        assert_eq!(
            blocks[first_under_third - 1].heading.as_deref(),
            Some("What is ISIS-K?")
        );
        assert!(blocks.iter().all(|b| !article.headings.contains(&b.text)));
    }

    #[test]
    fn seed_final_quote_line_is_a_paragraph_not_a_heading() {
        let article = read_one(SEED, Format::Text);
        let last = article.blocks.last().unwrap();
        assert_eq!(last.text, "\"The king is dead, long live the king!\"");
        assert_eq!(
            last.heading.as_deref(),
            Some("Why would this group target Moscow?")
        );
        assert_eq!(article.blocks.len(), 20);
    }

    #[test]
    fn read_file_reads_fixture_with_mtime_reference() {
        let read = read_file(&fixture("plain.txt")).unwrap();
        assert!(read.warnings.is_empty());
        let article = &read.articles[0];
        assert_eq!(article.title, "Copenhagen bakery chain expands to Berlin");
        assert_eq!(article.path, fixture("plain.txt"));
        assert_eq!(article.published, None);
    }

    #[test]
    fn read_file_rejects_unknown_extension() {
        let err = read_file(Path::new("notes.pdf")).unwrap_err();
        assert!(matches!(err, ReadError::UnsupportedFormat));
        assert_eq!(err.to_string(), "unsupported file format");
    }

    #[test]
    fn read_file_missing_file_is_io_error_with_short_message() {
        let err = read_file(&fixture("does-not-exist.txt")).unwrap_err();
        assert!(matches!(err, ReadError::Io(_)));
        assert_eq!(err.to_string(), "no such file or directory");
    }

    #[test]
    fn binary_fixture_is_binary() {
        let bytes = include_bytes!("../../tests/fixtures/binary.txt");
        let err = read_bytes(bytes, Format::Text, Path::new("binary.txt"), None).unwrap_err();
        assert!(matches!(err, ReadError::Binary));
        assert_eq!(err.to_string(), "binary file");
        assert!(matches!(
            read_file(&fixture("binary.txt")),
            Err(ReadError::Binary)
        ));
    }

    #[test]
    fn nul_after_first_8_kib_is_not_binary_detection() {
        let mut bytes = b"Title\n\n".to_vec();
        bytes.extend(std::iter::repeat_n(b'a', BINARY_SNIFF_LEN));
        bytes.push(0);
        let read = read_bytes(&bytes, Format::Text, Path::new("x.txt"), None).unwrap();
        assert_eq!(read.articles[0].title, "Title");
    }

    #[test]
    fn invalid_utf8_is_read_as_windows_1252_with_a_warning() {
        let read = read_bytes(
            b"Caf\xe9 news\n\nIt costs \x80 5.",
            Format::Text,
            Path::new("x.txt"),
            None,
        )
        .unwrap();
        assert_eq!(read.articles[0].title, "Café news");
        assert_eq!(read.articles[0].blocks[0].text, "It costs € 5.");
        assert_eq!(read.warnings, [NOT_UTF8_WARNING]);
    }

    #[test]
    fn empty_and_whitespace_only_files_are_empty() {
        let bytes = include_bytes!("../../tests/fixtures/empty.txt");
        for format in [Format::Text, Format::Markdown, Format::Html, Format::Json] {
            let err = read_bytes(bytes, format, Path::new("e"), None).unwrap_err();
            assert!(matches!(err, ReadError::Empty), "{format:?}");
            assert_eq!(err.to_string(), "empty file");
            let err = read_str("\u{feff} \n\t\r\n \u{200b}", format);
            assert!(matches!(
                err,
                Err(ReadError::Empty) | Err(ReadError::Json(_))
            ));
        }
        assert!(matches!(
            read_str("\n\n   \n\t\n", Format::Text),
            Err(ReadError::Empty)
        ));
    }

    #[test]
    fn utf16_with_a_byte_order_mark_is_read_as_text() {
        let text = "Flood title\n\nThe river rose in Zwolle.\n";
        let le: Vec<u8> = [0xFF, 0xFE]
            .into_iter()
            .chain(text.encode_utf16().flat_map(u16::to_le_bytes))
            .collect();
        let be: Vec<u8> = [0xFE, 0xFF]
            .into_iter()
            .chain(text.encode_utf16().flat_map(u16::to_be_bytes))
            .collect();
        for bytes in [le, be] {
            let read = read_bytes(&bytes, Format::Text, Path::new("u.txt"), None).unwrap();
            assert_eq!(read.articles[0].title, "Flood title");
            assert_eq!(read.articles[0].blocks[0].text, "The river rose in Zwolle.");
            assert!(read.warnings.is_empty(), "{:?}", read.warnings);
        }
        // Without a byte order mark, the zero bytes mark a binary file.
        let bare: Vec<u8> = text.encode_utf16().flat_map(u16::to_le_bytes).collect();
        assert!(matches!(
            read_bytes(&bare, Format::Text, Path::new("u.txt"), None),
            Err(ReadError::Binary)
        ));
    }

    #[test]
    fn byte_order_mark_and_crlf_are_ignored() {
        let article = read_one(
            "\u{feff}A title\r\n\r\nFirst line\r\nsecond line.\r\n",
            Format::Text,
        );
        assert_eq!(article.title, "A title");
        assert_eq!(texts(&article), ["First line second line."]);
    }

    #[test]
    fn title_falls_back_to_first_sentence_and_keeps_partial_block() {
        let long = format!(
            "{} And a second sentence follows here.",
            "word ".repeat(60).trim_end()
        );
        let article = read_one(&long, Format::Text);
        assert!(article.title.chars().count() <= FALLBACK_TITLE_CHARS + 1);
        assert!(article.title.ends_with('…'));
        assert_eq!(texts(&article), [long.as_str()]);
    }

    #[test]
    fn title_fallback_removes_block_taken_whole() {
        let json = r#"{"text": "Only one sentence here.\n\nA second paragraph follows."}"#;
        let article = read_one(json, Format::Json);
        assert_eq!(article.title, "Only one sentence here.");
        assert_eq!(texts(&article), ["A second paragraph follows."]);
    }

    #[test]
    fn truncation_respects_char_boundaries() {
        let text = "é".repeat(200);
        let cut = truncate_chars(&text, 120);
        assert_eq!(cut.chars().count(), 121);
        assert_eq!(truncate_chars("short", 120), "short");
    }

    #[test]
    fn error_messages_are_short_and_lower_case() {
        assert_eq!(ReadError::NoArticles.to_string(), "no articles found");
        assert_eq!(
            ReadError::Json("expected value at line 1 column 1".into()).to_string(),
            "malformed JSON: expected value at line 1 column 1"
        );
    }

    #[test]
    fn nasty_inputs_never_panic() {
        let huge_line = "ß".repeat(200_000);
        let huge_words = "word ".repeat(100_000);
        let deep_html = format!("{}text{}", "<div>".repeat(3_000), "</div>".repeat(3_000));
        let nasty: Vec<String> = vec![
            "Heading".into(),
            "Heading\n".into(),
            "Lone heading\n\nAnother lone heading".into(),
            "   \n \n\t\n".into(),
            "\n\n\n".into(),
            "é".into(),
            "日本語のタイトル\n\n本文です。".into(),
            "🦀".repeat(121),
            format!("{}.{}", "x".repeat(119), "🦀".repeat(10)),
            format!("{} {}", "ü".repeat(119), "ü".repeat(30)),
            huge_line,
            huge_words,
            deep_html,
            "---\n---\n".into(),
            "---\ntitle: [unclosed\n---\n# H".into(),
            "---\n: : :\n".into(),
            "# \n## \n###".into(),
            "<html><body><article></article>".into(),
            "<<<>>>&&&;;;".into(),
            "{\"title\": 1, \"text\": {\"a\": []}}".into(),
            "[1, \"a\", null, {}, []]".into(),
            "{\"text\": \"\\n\\n\\n\"}".into(),
            "{\"date\": 1e308, \"title\": \"x\"}".into(),
            "{\"date\": -1e300, \"title\": \"x\"}".into(),
            "{\"date\": 99999999999999999999, \"title\": \"x\"}".into(),
            "Yesterday\n\n99999999999 hours ago\n\nToday 25:99".into(),
            "9999-99-99\n31 February 2024\n\nbody".into(),
            "\u{feff}".into(),
            "\u{200b}\u{200b}".into(),
            "- a\n- b\n1. c".into(),
        ];
        for text in &nasty {
            for format in [
                Format::Text,
                Format::Markdown,
                Format::Html,
                Format::Json,
                Format::JsonLines,
            ] {
                let _ = read_str(text, format);
                let _ = read_bytes(text.as_bytes(), format, Path::new("n"), None);
            }
        }
    }
}
