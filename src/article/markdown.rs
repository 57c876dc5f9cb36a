//! Markdown articles: YAML front matter, headings and the text of paragraphs and list items.
//!
//! Inline formatting is stripped (link text kept, URLs and images dropped);
//! code blocks and raw HTML are dropped.

use pulldown_cmark::{Event, HeadingLevel, Options, Parser, Tag, TagEnd};
use serde_yaml_ng::Value;

use super::{Block, Draft, collapse_whitespace, non_empty};

/// A paragraph with more `[` than this fails the file: the parser's work on
/// unclosed link brackets grows with the square of their number.
pub const MAX_BRACKETS: usize = 1000;
/// Front matter longer than this, in bytes, is ignored with a warning.
pub const MAX_FRONT_MATTER: usize = 64 * 1024;
/// Front matter with brackets or braces nested deeper than this is ignored
/// with a warning: the YAML parser's work grows with the depth.
pub const MAX_FRONT_MATTER_DEPTH: usize = 32;

/// Checks, in one linear pass before parsing, that no paragraph after the
/// front matter holds more than [`MAX_BRACKETS`] link brackets.
pub(crate) fn check_shape(text: &str) -> Result<(), String> {
    let body = split_front_matter(text).map_or(text, |(_, body)| body);
    for paragraph in body.split("\n\n") {
        if paragraph
            .bytes()
            .filter(|&b| b == b'[')
            .nth(MAX_BRACKETS)
            .is_some()
        {
            return Err(format!(
                "a paragraph with more than {MAX_BRACKETS} '[', more than lede reads"
            ));
        }
    }
    Ok(())
}

/// Reads a Markdown article; malformed front matter gives a warning.
pub(crate) fn read(text: &str) -> (Draft, Vec<String>) {
    let mut draft = Draft::default();
    let mut warnings = Vec::new();
    let body = match split_front_matter(text) {
        Some((yaml, body)) => {
            if let Err(message) = read_front_matter(yaml, &mut draft) {
                warnings.push(format!("front matter ignored: {message}"));
            }
            body
        }
        None => text,
    };
    read_body(body, &mut draft);
    (draft, warnings)
}

/// The YAML between a first line `---` and the next `---` (or `...`) line,
/// and the text after it. `None` when the text has no closed front matter.
fn split_front_matter(text: &str) -> Option<(&str, &str)> {
    let mut lines = text.split_inclusive('\n');
    let first = lines.next()?;
    if first.trim_end() != "---" {
        return None;
    }
    let start = first.len();
    let mut offset = start;
    for line in lines {
        let end = offset + line.len();
        if matches!(line.trim_end(), "---" | "...") {
            return Some((text.get(start..offset)?, text.get(end..)?));
        }
        offset = end;
    }
    None
}

/// Fills the draft's metadata from front matter; on error, leaves it untouched.
fn read_front_matter(yaml: &str, draft: &mut Draft) -> Result<(), String> {
    if yaml.len() > MAX_FRONT_MATTER {
        return Err(format!("longer than {} KB", MAX_FRONT_MATTER >> 10));
    }
    let mut depth = 0usize;
    for b in yaml.bytes() {
        match b {
            b'[' | b'{' => depth += 1,
            b']' | b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
        if depth > MAX_FRONT_MATTER_DEPTH {
            return Err(format!(
                "brackets nested more than {MAX_FRONT_MATTER_DEPTH} deep"
            ));
        }
    }
    let value: Value = serde_yaml_ng::from_str(yaml).map_err(|err| err.to_string())?;
    let map = match value {
        Value::Mapping(map) => map,
        Value::Null => return Ok(()),
        _ => return Err("not a mapping of keys to values".to_string()),
    };
    for (key, value) in &map {
        let Some(key) = key.as_str() else {
            continue;
        };
        let slot = match key.to_ascii_lowercase().as_str() {
            "title" | "headline" => &mut draft.title,
            "date" | "published" | "pubdate" => &mut draft.date_text,
            "source" | "publisher" | "site" => &mut draft.source,
            "url" | "link" => &mut draft.url,
            "author" | "authors" | "byline" => &mut draft.author,
            "language" | "lang" => &mut draft.language,
            _ => continue,
        };
        if slot.is_none() {
            *slot = value_text(value);
        }
    }
    Ok(())
}

/// A YAML value as text: strings and numbers, lists joined by ", ", or the
/// "name" of a mapping.
fn value_text(value: &Value) -> Option<String> {
    match value {
        Value::String(text) => non_empty(text),
        Value::Number(number) => Some(number.to_string()),
        Value::Sequence(items) => {
            let parts: Vec<String> = items.iter().filter_map(value_text).collect();
            (!parts.is_empty()).then(|| parts.join(", "))
        }
        Value::Mapping(map) => map.get("name").and_then(value_text),
        Value::Tagged(tagged) => value_text(&tagged.value),
        Value::Null | Value::Bool(_) => None,
    }
}

/// Collects headings and blocks from the Markdown body.
struct Collector<'d> {
    draft: &'d mut Draft,
    buffer: String,
    heading: Option<String>,
    in_heading: Option<HeadingLevel>,
    skip_depth: usize,
    started: bool,
}

impl Collector<'_> {
    /// Ends the pending block, if it has text.
    fn flush(&mut self) {
        if self.in_heading.is_some() {
            return;
        }
        let text = collapse_whitespace(&self.buffer);
        self.buffer.clear();
        if !text.is_empty() {
            self.started = true;
            self.draft.blocks.push(Block {
                heading: self.heading.clone(),
                text,
            });
        }
    }

    fn end_heading(&mut self, level: HeadingLevel) {
        self.in_heading = None;
        let text = collapse_whitespace(&self.buffer);
        self.buffer.clear();
        if text.is_empty() {
            return;
        }
        let at_top = !self.started;
        self.started = true;
        if level == HeadingLevel::H1 && at_top {
            match &self.draft.title {
                None => {
                    self.draft.title = Some(text);
                    return;
                }
                Some(title) if title.to_lowercase() == text.to_lowercase() => return,
                Some(_) => {}
            }
        }
        self.draft.headings.push(text.clone());
        self.heading = Some(text);
    }

    fn event(&mut self, event: Event<'_>) {
        match event {
            Event::Start(Tag::Heading { level, .. }) => {
                self.flush();
                self.in_heading = Some(level);
            }
            Event::End(TagEnd::Heading(level)) => self.end_heading(level),
            Event::Start(Tag::CodeBlock(_) | Tag::Image { .. } | Tag::HtmlBlock) => {
                if matches!(event, Event::Start(Tag::CodeBlock(_))) {
                    self.flush();
                }
                self.skip_depth += 1;
            }
            Event::End(TagEnd::CodeBlock | TagEnd::Image | TagEnd::HtmlBlock) => {
                self.skip_depth = self.skip_depth.saturating_sub(1);
            }
            Event::Start(
                Tag::Paragraph
                | Tag::Item
                | Tag::List(_)
                | Tag::BlockQuote(_)
                | Tag::TableHead
                | Tag::TableRow
                | Tag::DefinitionListTitle
                | Tag::DefinitionListDefinition
                | Tag::FootnoteDefinition(_),
            )
            | Event::End(
                TagEnd::Paragraph
                | TagEnd::Item
                | TagEnd::List(_)
                | TagEnd::BlockQuote(_)
                | TagEnd::TableHead
                | TagEnd::TableRow
                | TagEnd::DefinitionListTitle
                | TagEnd::DefinitionListDefinition
                | TagEnd::FootnoteDefinition,
            )
            | Event::Rule => self.flush(),
            Event::Text(text) | Event::Code(text) | Event::InlineMath(text)
                if self.skip_depth == 0 =>
            {
                self.buffer.push_str(&text);
            }
            Event::SoftBreak | Event::HardBreak | Event::End(TagEnd::TableCell) => {
                self.buffer.push(' ');
            }
            _ => {}
        }
    }
}

fn read_body(body: &str, draft: &mut Draft) {
    let options = Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH;
    let mut collector = Collector {
        draft,
        buffer: String::new(),
        heading: None,
        in_heading: None,
        skip_depth: 0,
        started: false,
    };
    for event in Parser::new_ext(body, options) {
        collector.event(event);
    }
    collector.flush();
}

#[cfg(test)]
mod tests {
    use super::super::Format;
    use super::super::testing::*;

    #[test]
    fn fixture_front_matter_gives_metadata_and_hash_sections() {
        let read = read_str(
            include_str!("../../tests/fixtures/article.md"),
            Format::Markdown,
        )
        .unwrap();
        assert!(read.warnings.is_empty());
        let article = &read.articles[0];
        assert_eq!(
            article.title,
            "Rotterdam port approves new quay for wind turbine parts"
        );
        assert_eq!(article.source.as_deref(), Some("Delta Courier"));
        assert_eq!(article.author.as_deref(), Some("Marieke Janssen"));
        assert_eq!(
            article.url.as_deref(),
            Some("https://news.example.org/rotterdam-quay")
        );
        assert_eq!(article.date_text.as_deref(), Some("2024-05-02"));
        assert_eq!(
            article.published.map(|d| d.to_rfc3339()),
            Some("2024-05-02T00:00:00+00:00".to_string())
        );
        assert_eq!(article.language, "en");
        assert_eq!(article.headings, ["The vote", "What comes next"]);
        assert_eq!(article.blocks[0].heading, None);
        assert_eq!(
            article.blocks.last().unwrap().heading.as_deref(),
            Some("What comes next")
        );
    }

    #[test]
    fn inline_formatting_links_and_images_are_stripped() {
        let article = read_one(
            include_str!("../../tests/fixtures/article.md"),
            Format::Markdown,
        );
        let all = texts(&article).join("\n");
        assert!(all.contains("said the new berth would open"));
        assert!(all.contains("backed by the Dutch Ministry of Infrastructure and"));
        assert!(!all.contains("https://"));
        assert!(!all.contains("**"));
        assert!(!all.contains("Aerial view"));
    }

    #[test]
    fn list_items_are_blocks_under_their_heading() {
        let article = read_one(
            include_str!("../../tests/fixtures/article.md"),
            Format::Markdown,
        );
        let item = article
            .blocks
            .iter()
            .find(|b| b.text == "Dredging will be done by Van Oord.")
            .unwrap();
        assert_eq!(item.heading.as_deref(), Some("The vote"));
    }

    #[test]
    fn top_h1_without_front_matter_title_is_the_title() {
        let article = read_one(
            "# Main title\n\nIntro text.\n\n# Later section\n\nMore text.\n\n## Sub *part*\n\nEnd.",
            Format::Markdown,
        );
        assert_eq!(article.title, "Main title");
        assert_eq!(article.headings, ["Later section", "Sub part"]);
        assert_eq!(texts(&article), ["Intro text.", "More text.", "End."]);
        assert_eq!(article.blocks[2].heading.as_deref(), Some("Sub part"));
    }

    #[test]
    fn h1_after_text_is_a_section_heading() {
        let article = read_one("Intro first.\n\n# Section\n\nBody.", Format::Markdown);
        assert_eq!(article.title, "Intro first.");
        assert_eq!(article.headings, ["Section"]);
        assert_eq!(texts(&article), ["Body."]);
    }

    #[test]
    fn h1_repeating_front_matter_title_is_dropped() {
        let article = read_one(
            "---\ntitle: Same title\n---\n# Same title\n\nBody.",
            Format::Markdown,
        );
        assert_eq!(article.title, "Same title");
        assert!(article.headings.is_empty());
    }

    #[test]
    fn endless_brackets_fail_the_file_and_the_front_matter() {
        let links = format!("# T\n\n{}x{}\n", "[".repeat(5000), "](".repeat(5000));
        assert!(
            super::check_shape(&links)
                .unwrap_err()
                .contains("more than")
        );
        let fine = "[a link](https://example.com) and text. ".repeat(2000);
        assert_eq!(super::check_shape(&fine.replace(". ", ".\n\n")), Ok(()));
        let front = format!("---\ntitle: {}\n---\n\nBody.\n", "[".repeat(5000));
        assert_eq!(super::check_shape(&front), Ok(()));
        let (_, warnings) =
            super::read(&format!("---\ntitle: {}\n---\n\nBody.\n", "[".repeat(100)));
        assert!(warnings[0].contains("nested more than"), "{warnings:?}");
    }

    #[test]
    fn malformed_front_matter_warns_and_is_ignored() {
        let read = read_str(
            "---\ntitle: [unclosed\ndate: 2024-05-02\n---\n# Real title\n\nBody text.",
            Format::Markdown,
        )
        .unwrap();
        assert_eq!(read.warnings.len(), 1);
        assert!(read.warnings[0].starts_with("front matter ignored:"));
        let article = &read.articles[0];
        assert_eq!(article.title, "Real title");
        assert_eq!(article.date_text, None);
        assert_eq!(texts(article), ["Body text."]);
    }

    #[test]
    fn front_matter_lang_key_author_list_and_unknown_keys() {
        let article = read_one(
            "---\nlang: nl-NL\nauthor: [An, Bo]\nweird: {a: 1}\n---\nTekst.",
            Format::Markdown,
        );
        assert_eq!(article.language, "nl");
        assert_eq!(article.author.as_deref(), Some("An, Bo"));
    }

    #[test]
    fn unclosed_front_matter_fence_is_just_markdown() {
        let read = read_str("---\nTitle line\n\nBody.", Format::Markdown).unwrap();
        assert!(read.warnings.is_empty());
        assert_eq!(read.articles[0].title, "Title line");
    }

    #[test]
    fn code_blocks_and_raw_html_are_dropped() {
        let article = read_one(
            "# T\n\nText.\n\n```\nlet x = 1;\n```\n\n<div>raw</div>\n\nMore `inline` code.",
            Format::Markdown,
        );
        assert_eq!(texts(&article), ["Text.", "More inline code."]);
    }
}
