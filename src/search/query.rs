//! Turns the user's query text into a tantivy query: field names, boosts and filters.

use tantivy::query::{BooleanQuery, ConstScoreQuery, Occur, Query, QueryParser, TermQuery};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::{Index, Term};

use crate::index::schema::{Fields, Stemming};
use crate::ner::{normalize, EntityKind};

/// Boost of the title fields over the passage text.
pub const TITLE_BOOST: f32 = 2.0;
/// Boost of the section heading fields over the passage text.
pub const HEADING_BOOST: f32 = 1.5;

/// Filters that keep the passages of articles mentioning every named entity.
#[derive(Debug, Clone, Default)]
pub struct Filters {
    pub person: Vec<String>,
    pub organization: Vec<String>,
    pub place: Vec<String>,
}

impl Filters {
    fn by_kind(&self) -> [(EntityKind, &[String]); 3] {
        [
            (EntityKind::Person, &self.person),
            (EntityKind::Organization, &self.organization),
            (EntityKind::Place, &self.place),
        ]
    }
}

/// A parsed query and the problems a lenient parse worked around.
pub struct Parsed {
    pub query: Box<dyn Query>,
    pub warnings: Vec<String>,
}

/// Parses the query text and adds the filters.
pub fn parse(index: &Index, fields: &Fields, text: &str, filters: &Filters) -> Parsed {
    let mut defaults = Vec::new();
    let mut boosts: Vec<(Field, f32)> = Vec::new();
    for stemming in Stemming::ALL {
        let f = fields.text_fields(stemming);
        defaults.extend([f.title, f.heading, f.body]);
        boosts.push((f.title, TITLE_BOOST));
        boosts.push((f.heading, HEADING_BOOST));
    }
    let mut parser = QueryParser::for_index(index, defaults);
    for (field, boost) in boosts {
        parser.set_field_boost(field, boost);
    }
    let rewritten = rewrite_fields(text);
    let mut warnings = Vec::new();
    let user_query = match parser.parse_query(&rewritten) {
        Ok(q) => q,
        Err(strict) => {
            let (q, _) = parser.parse_query_lenient(&rewritten);
            warnings.push(format!("query read leniently: {strict}"));
            q
        }
    };
    let mut clauses: Vec<(Occur, Box<dyn Query>)> = vec![(Occur::Must, user_query)];
    for (kind, names) in filters.by_kind() {
        for name in names {
            let term = Term::from_field_text(fields.entity(kind).article_key, &normalize(name));
            let filter = TermQuery::new(term, IndexRecordOption::Basic);
            clauses.push((
                Occur::Must,
                Box::new(ConstScoreQuery::new(Box::new(filter), 0.0)),
            ));
        }
    }
    let query: Box<dyn Query> = if clauses.len() == 1 {
        clauses.remove(0).1
    } else {
        Box::new(BooleanQuery::new(clauses))
    };
    Parsed { query, warnings }
}

/// Maps the field names users type to the index's fields: `org:` is
/// `organization:`, and `title:`, `heading:` and `text:` search every
/// language's field of that kind.
pub fn rewrite_fields(text: &str) -> String {
    let mut out = String::with_capacity(text.len() * 2);
    let mut rest = text;
    let mut at_boundary = true;
    while !rest.is_empty() {
        if at_boundary {
            if let Some((name, (value, tail))) =
                field_prefix(rest).and_then(|(name, after)| Some((name, split_value(after)?)))
            {
                match name {
                    "org" => {
                        out.push_str("organization:");
                        out.push_str(value);
                    }
                    "title" | "heading" | "text" | "body" => {
                        let base = if name == "text" { "body" } else { name };
                        out.push('(');
                        for (i, stemming) in ["en", "nl", "xx"].iter().enumerate() {
                            if i > 0 {
                                out.push_str(" OR ");
                            }
                            out.push_str(&format!("{base}_{stemming}:{value}"));
                        }
                        out.push(')');
                    }
                    _ => unreachable!("field_prefix returns known names"),
                }
                rest = tail;
                at_boundary = false;
                continue;
            }
        }
        let Some(c) = rest.chars().next() else { break };
        out.push(c);
        rest = &rest[c.len_utf8()..];
        at_boundary = c.is_whitespace() || matches!(c, '(' | '+' | '-');
    }
    out
}

fn field_prefix(s: &str) -> Option<(&'static str, &str)> {
    for name in ["org", "title", "heading", "text", "body"] {
        if let Some(after) = s.strip_prefix(name).and_then(|a| a.strip_prefix(':')) {
            if !after.is_empty() && !after.starts_with(char::is_whitespace) {
                return Some((name, after));
            }
        }
    }
    None
}

/// Splits a field value (a word, or a quoted phrase with an optional `~N`) from
/// the rest; `None` for an unclosed quote, which is left to the lenient parser.
fn split_value(s: &str) -> Option<(&str, &str)> {
    let end = if let Some(inner) = s.strip_prefix('"') {
        match inner.find('"') {
            Some(close) => {
                let mut end = close + 2;
                let tail = &s[end..];
                if let Some(slop) = tail.strip_prefix('~') {
                    end += 1 + slop.chars().take_while(char::is_ascii_digit).count();
                }
                end
            }
            None => return None,
        }
    } else {
        s.find(|c: char| c.is_whitespace() || c == ')')
            .unwrap_or(s.len())
    };
    Some(s.split_at(end))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn org_prefix_becomes_organization() {
        assert_eq!(rewrite_fields("org:nos attack"), "organization:nos attack");
    }

    #[test]
    fn title_prefix_searches_every_language() {
        assert_eq!(
            rewrite_fields("+title:\"four questions\"~2 moscow"),
            "+(title_en:\"four questions\"~2 OR title_nl:\"four questions\"~2 OR title_xx:\"four questions\"~2) moscow"
        );
    }

    #[test]
    fn field_names_inside_words_are_left_alone() {
        assert_eq!(rewrite_fields("subtitle:x borg:y"), "subtitle:x borg:y");
        assert_eq!(rewrite_fields("org: x"), "org: x");
    }

    #[test]
    fn unclosed_quote_is_left_for_the_lenient_parser() {
        assert_eq!(rewrite_fields("heading:\"what is"), "heading:\"what is");
    }
}
