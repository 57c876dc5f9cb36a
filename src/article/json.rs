//! JSON and JSON Lines articles: one object per article, with the field names common in news feeds.

use serde_json::{Map, Value};

use super::{Block, Draft, ReadError, collapse_whitespace, date, non_empty};

const TITLE_FIELDS: &[&str] = &["title", "headline"];
const TEXT_FIELDS: &[&str] = &["text", "body", "content", "article", "description"];
const DATE_FIELDS: &[&str] = &[
    "date",
    "published",
    "publishedAt",
    "published_at",
    "pubDate",
    "datetime",
];
const SOURCE_FIELDS: &[&str] = &["source", "site", "publisher"];
const URL_FIELDS: &[&str] = &["url", "link"];
const AUTHOR_FIELDS: &[&str] = &["author", "byline"];
const LANGUAGE_FIELDS: &[&str] = &["language", "lang"];

/// What a JSON file gave: drafts with content, and warnings for the records without.
type Drafts = (Vec<Draft>, Vec<String>);

/// Reads a `.json` file: one article object, an array of them, or an object
/// whose "articles" field is such an array (as in NewsAPI responses).
pub(crate) fn read_json(text: &str) -> Result<Drafts, ReadError> {
    let value: Value =
        serde_json::from_str(text).map_err(|err| ReadError::Json(err.to_string()))?;
    match value {
        Value::Object(object) => {
            let draft = draft(&object, None);
            if draft.has_content() {
                return Ok((vec![draft], ignored_fields(&object)));
            }
            match object.get("articles") {
                Some(Value::Array(items)) => read_array(items),
                _ => Err(ReadError::NoArticles),
            }
        }
        Value::Array(items) => read_array(&items),
        _ => Err(ReadError::NoArticles),
    }
}

fn read_array(items: &[Value]) -> Result<Drafts, ReadError> {
    let mut drafts = Vec::new();
    let mut warnings = Vec::new();
    for (index, item) in items.iter().enumerate() {
        match object_draft(item, index) {
            Ok(draft) => {
                drafts.push(draft);
                warnings.extend(
                    ignored_fields_of(item)
                        .into_iter()
                        .map(|why| format!("record {index}: {why}")),
                );
            }
            Err(reason) => warnings.push(format!("record {index}: {reason}")),
        }
    }
    if drafts.is_empty() {
        return Err(ReadError::NoArticles);
    }
    Ok((drafts, warnings))
}

/// Reads a JSON Lines file: one object per line, blank lines skipped. An
/// article's `record` is its 0-based line index (line number - 1).
pub(crate) fn read_lines(text: &str) -> Result<Drafts, ReadError> {
    let mut drafts = Vec::new();
    let mut warnings = Vec::new();
    let mut parsed_any = false;
    for (index, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() {
            continue;
        }
        let number = index + 1;
        let value: Value = match serde_json::from_str(line) {
            Ok(value) => value,
            Err(err) => {
                warnings.push(format!("line {number}: {}", line_error(&err)));
                continue;
            }
        };
        parsed_any = true;
        match object_draft(&value, index) {
            Ok(draft) => {
                drafts.push(draft);
                warnings.extend(
                    ignored_fields_of(&value)
                        .into_iter()
                        .map(|why| format!("line {number}: {why}")),
                );
            }
            Err(reason) => warnings.push(format!("line {number}: {reason}")),
        }
    }
    if drafts.is_empty() {
        return Err(match warnings.first() {
            Some(first) if !parsed_any => ReadError::Json(first.clone()),
            _ => ReadError::NoArticles,
        });
    }
    Ok((drafts, warnings))
}

/// A serde error for one line, without the "line 1" that is always true there.
fn line_error(err: &serde_json::Error) -> String {
    err.to_string().replace(" at line 1 column ", " at column ")
}

/// The draft for one array item or line, or why it is not an article.
fn object_draft(value: &Value, record: usize) -> Result<Draft, &'static str> {
    let Value::Object(object) = value else {
        return Err("not a JSON object");
    };
    let draft = draft(object, Some(record));
    if draft.has_content() {
        Ok(draft)
    } else {
        Err("no title or text")
    }
}

fn draft(object: &Map<String, Value>, record: Option<usize>) -> Draft {
    let first = |fields: &[&str], read: fn(&Value) -> Option<String>| {
        fields
            .iter()
            .find_map(|field| object.get(*field).and_then(read))
    };
    let mut draft = Draft {
        record,
        title: first(TITLE_FIELDS, string),
        source: first(SOURCE_FIELDS, name),
        url: first(URL_FIELDS, string),
        author: first(AUTHOR_FIELDS, names),
        language: first(LANGUAGE_FIELDS, string),
        ..Draft::default()
    };
    let date = DATE_FIELDS
        .iter()
        .find_map(|field| match object.get(*field) {
            Some(Value::String(text)) => non_empty(text).map(|text| (text, None)),
            Some(Value::Number(number)) => {
                let stamp = number.as_f64().and_then(date::from_epoch);
                Some((number.to_string(), stamp))
            }
            _ => None,
        });
    if let Some((text, stamp)) = date {
        draft.date_text = Some(text);
        draft.published = stamp;
    }
    let paragraphs = TEXT_FIELDS
        .iter()
        .find_map(|field| object.get(*field).and_then(body))
        .unwrap_or_default();
    draft.blocks = paragraphs
        .into_iter()
        .map(|text| Block {
            heading: None,
            text,
        })
        .collect();
    draft
}

/// Fields of one kind, whether a value is usable as that kind, and what it should be.
type FieldKind = (&'static [&'static str], fn(&Value) -> bool, &'static str);

/// The known fields that hold a value of a kind lede cannot use (a number as
/// the title, an object as the date), when no other field of the same kind
/// gave one: each is ignored, with a warning.
fn ignored_fields(object: &Map<String, Value>) -> Vec<String> {
    let groups: [FieldKind; 7] = [
        (TITLE_FIELDS, |v| string(v).is_some(), "text"),
        (
            TEXT_FIELDS,
            |v| body(v).is_some(),
            "text or a list of texts",
        ),
        (SOURCE_FIELDS, |v| name(v).is_some(), "a name"),
        (URL_FIELDS, |v| string(v).is_some(), "text"),
        (
            AUTHOR_FIELDS,
            |v| names(v).is_some(),
            "a name or a list of names",
        ),
        (LANGUAGE_FIELDS, |v| string(v).is_some(), "text"),
        (
            DATE_FIELDS,
            |v| matches!(v, Value::String(_) | Value::Number(_)),
            "text or a number",
        ),
    ];
    let mut warnings = Vec::new();
    for (fields, read, wanted) in groups {
        let present: Vec<(&str, &Value)> = fields
            .iter()
            .filter_map(|field| object.get(*field).map(|value| (*field, value)))
            .collect();
        if present.iter().any(|(_, value)| read(value)) {
            continue;
        }
        if let Some((field, value)) = present.iter().find(|(_, value)| !is_nothing(value)) {
            warnings.push(format!(
                "field \"{field}\" is {}, not {wanted}; ignored",
                kind(value)
            ));
        }
    }
    warnings
}

fn ignored_fields_of(value: &Value) -> Vec<String> {
    match value {
        Value::Object(object) => ignored_fields(object),
        _ => Vec::new(),
    }
}

/// Null, blank text or an empty list: no value, not a wrong one.
fn is_nothing(value: &Value) -> bool {
    match value {
        Value::Null => true,
        Value::String(text) => super::is_blank(text),
        Value::Array(items) => items.is_empty(),
        _ => false,
    }
}

fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "true or false",
        Value::Number(_) => "a number",
        Value::String(_) => "text",
        Value::Array(_) => "a list",
        Value::Object(_) => "an object",
    }
}

/// A non-blank string.
fn string(value: &Value) -> Option<String> {
    value.as_str().and_then(non_empty)
}

/// A string, or the "name" of an object (`"source": {"id": null, "name": "BBC"}`).
fn name(value: &Value) -> Option<String> {
    match value {
        Value::Object(object) => object.get("name").and_then(string),
        other => string(other),
    }
}

/// A name, or a list of names joined by ", ".
fn names(value: &Value) -> Option<String> {
    match value {
        Value::Array(items) => {
            let parts: Vec<String> = items.iter().filter_map(name).collect();
            (!parts.is_empty()).then(|| parts.join(", "))
        }
        other => name(other),
    }
}

/// Body paragraphs from a string (split at blank lines, or at every line
/// break when there are no blank lines) or from an array of strings.
fn body(value: &Value) -> Option<Vec<String>> {
    let paragraphs = match value {
        Value::String(text) => split_body(text),
        Value::Array(items) => items
            .iter()
            .filter_map(Value::as_str)
            .flat_map(split_body)
            .collect(),
        _ => return None,
    };
    (!paragraphs.is_empty()).then_some(paragraphs)
}

fn split_body(text: &str) -> Vec<String> {
    let text = text.replace("\r\n", "\n").replace('\r', "\n");
    let lines: Vec<&str> = text.lines().map(str::trim).collect();
    let first = lines.iter().position(|line| !line.is_empty());
    let last = lines.iter().rposition(|line| !line.is_empty());
    let has_blank = match (first, last) {
        (Some(first), Some(last)) => lines[first..last].iter().any(|line| line.is_empty()),
        _ => return Vec::new(),
    };
    if has_blank {
        lines
            .split(|line| line.is_empty())
            .map(|paragraph| collapse_whitespace(&paragraph.join(" ")))
            .filter(|paragraph| !paragraph.is_empty())
            .collect()
    } else {
        lines.iter().filter_map(|line| non_empty(line)).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::*;
    use super::super::{Format, ReadError};

    #[test]
    fn fixture_array_gives_two_records() {
        let read = read_str(
            include_str!("../../tests/fixtures/articles.json"),
            Format::Json,
        )
        .unwrap();
        assert!(read.warnings.is_empty());
        let [first, second] = read.articles.as_slice() else {
            panic!("{read:?}");
        };
        assert_eq!(first.record, Some(0));
        assert_eq!(first.source.as_deref(), Some("Alpine Wire"));
        assert_eq!(first.author.as_deref(), Some("Sofia Brunner"));
        assert_eq!(
            first.published.map(|d| d.to_rfc3339()),
            Some("2024-04-11T06:15:00+00:00".to_string())
        );
        assert_eq!(first.blocks.len(), 3, "content split at blank lines");
        assert!(first.blocks[1].text.contains("Corine Mauch"));
        assert_eq!(second.record, Some(1));
        assert_eq!(
            second.title,
            "Lisbon tram line 15 to run every five minutes"
        );
        assert_eq!(second.source.as_deref(), Some("Iberia Daily"));
        assert_eq!(second.author.as_deref(), Some("Ana Ferreira, Tiago Costa"));
        assert_eq!(
            second.url.as_deref(),
            Some("https://iberiadaily.example.com/lisbon-tram-15")
        );
        assert_eq!(second.date_text.as_deref(), Some("3 May 2024"));
        assert_eq!(second.blocks.len(), 3, "body split at single newlines");
        assert_eq!(second.language, "en");
    }

    #[test]
    fn fixture_lines_skip_malformed_line_with_warning() {
        let read = read_str(
            include_str!("../../tests/fixtures/articles.jsonl"),
            Format::JsonLines,
        )
        .unwrap();
        assert_eq!(read.articles.len(), 2);
        assert_eq!(read.articles[0].record, Some(0));
        assert_eq!(read.articles[1].record, Some(2));
        assert_eq!(read.articles[1].source.as_deref(), Some("Nordic Ledger"));
        assert_eq!(read.warnings.len(), 1);
        assert!(
            read.warnings[0].starts_with("line 2: "),
            "{:?}",
            read.warnings
        );
    }

    #[test]
    fn title_only_object_is_an_article_without_blocks() {
        let article = read_one(
            include_str!("../../tests/fixtures/title_only.json"),
            Format::Json,
        );
        assert_eq!(
            article.title,
            "Brussels council votes to close Rue de la Loi to cars on Sundays"
        );
        assert!(article.blocks.is_empty());
        assert_eq!(article.record, None);
    }

    #[test]
    fn malformed_json_file_is_an_error_with_message() {
        let err = read_str("{\"title\": ", Format::Json).unwrap_err();
        assert!(matches!(err, ReadError::Json(_)));
        assert!(err.to_string().starts_with("malformed JSON: "), "{err}");
    }

    #[test]
    fn json_without_usable_object_has_no_articles() {
        for text in ["[]", "42", "{\"id\": 3}", "[1, {\"url\": \"x\"}]"] {
            let err = read_str(text, Format::Json).unwrap_err();
            assert!(matches!(err, ReadError::NoArticles), "{text}");
        }
    }

    #[test]
    fn fields_of_the_wrong_kind_are_ignored_with_a_warning() {
        let read = read_str(
            "{\"title\": 5, \"body\": [\"The ferry sailed.\"], \"date\": {}, \"source\": null}",
            Format::Json,
        )
        .unwrap();
        assert_eq!(read.articles[0].title, "The ferry sailed.");
        assert_eq!(read.articles[0].published, None);
        assert_eq!(
            read.warnings,
            [
                "field \"title\" is a number, not text; ignored",
                "field \"date\" is an object, not text or a number; ignored"
            ]
        );
    }

    #[test]
    fn a_wrong_field_is_not_reported_when_another_gives_the_value() {
        let read = read_str(
            "{\"title\": [1], \"headline\": \"Ferry\", \"text\": \"Body.\"}\n{\"text\": 3, \"body\": \"B\", \"lang\": 7}",
            Format::JsonLines,
        )
        .unwrap();
        assert_eq!(read.articles[0].title, "Ferry");
        assert_eq!(
            read.warnings,
            ["line 2: field \"lang\" is a number, not text; ignored"]
        );
    }

    #[test]
    fn array_items_without_content_become_warnings() {
        let read = read_str(
            "[{\"title\": \"A\"}, 7, {\"url\": \"u\"}, {\"text\": \"B body.\"}]",
            Format::Json,
        )
        .unwrap();
        assert_eq!(read.articles.len(), 2);
        assert_eq!(read.articles[1].record, Some(3));
        assert_eq!(
            read.warnings,
            ["record 1: not a JSON object", "record 2: no title or text"]
        );
    }

    #[test]
    fn news_api_response_wrapper_is_read() {
        let read = read_str(
            "{\"status\": \"ok\", \"articles\": [{\"title\": \"X\", \"source\": {\"name\": \"S\"}}]}",
            Format::Json,
        )
        .unwrap();
        assert_eq!(read.articles[0].source.as_deref(), Some("S"));
    }

    #[test]
    fn field_aliases_and_first_non_empty_text() {
        let article = read_one(
            "{\"headline\": \"H\", \"text\": \"  \", \"body\": \"Body wins.\", \
             \"description\": \"Not this.\", \"pubDate\": \"2024-03-23\", \"publisher\": \"P\", \
             \"link\": \"L\", \"byline\": \"By\", \"language\": \"nl-BE\"}",
            Format::Json,
        );
        assert_eq!(article.title, "H");
        assert_eq!(texts(&article), ["Body wins."]);
        assert_eq!(article.date_text.as_deref(), Some("2024-03-23"));
        assert_eq!(article.source.as_deref(), Some("P"));
        assert_eq!(article.url.as_deref(), Some("L"));
        assert_eq!(article.author.as_deref(), Some("By"));
        assert_eq!(article.language, "nl");
    }

    #[test]
    fn numeric_dates_are_unix_times() {
        let article = read_one("{\"title\": \"T\", \"date\": 1711216440}", Format::Json);
        assert_eq!(article.date_text.as_deref(), Some("1711216440"));
        assert_eq!(
            article.published.map(|d| d.to_rfc3339()),
            Some("2024-03-23T17:54:00+00:00".to_string())
        );
    }

    #[test]
    fn lines_blank_lines_skipped_and_bad_objects_warned() {
        let read = read_str(
            "\n{\"title\": \"A\"}\n\n[1]\n{\"id\": 1}\n{\"text\": \"Body.\"}\n",
            Format::JsonLines,
        )
        .unwrap();
        assert_eq!(read.articles.len(), 2);
        assert_eq!(read.articles[0].record, Some(1));
        assert_eq!(read.articles[1].record, Some(5));
        assert_eq!(
            read.warnings,
            ["line 4: not a JSON object", "line 5: no title or text"]
        );
    }

    #[test]
    fn lines_file_without_any_article_errors() {
        let err = read_str("not json\nnor this\n", Format::JsonLines).unwrap_err();
        assert!(
            matches!(err, ReadError::Json(ref m) if m.starts_with("line 1: ")),
            "{err}"
        );
        let err = read_str("{\"id\": 1}\n", Format::JsonLines).unwrap_err();
        assert!(matches!(err, ReadError::NoArticles));
    }
}
