//! Turns the user's query text into a tantivy query: field names, boosts, typo tolerance and filters.

use std::ops::Bound;

use tantivy::query::{
    AllQuery, BooleanQuery, BoostQuery, ConstScoreQuery, FuzzyTermQuery, Occur, Query, QueryParser,
    RangeQuery, TermQuery,
};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::{Index, Searcher, Term};

use crate::entities::name_key;
use crate::index::schema::{Fields, Stemming};
use crate::ner::{EntityKind, normalize};
use crate::search::filters::Filters;

/// Boost of the title fields over the passage text.
pub const TITLE_BOOST: f32 = 1.0;
/// Boost of the section heading fields over the passage text.
pub const HEADING_BOOST: f32 = 1.5;
/// Boost of the names of the passage's entities over the passage text.
pub const ENTITY_BOOST: f32 = 0.5;
/// Weight of a word matched with a typo; an exact match always adds more.
pub const FUZZY_WEIGHT: f32 = 0.3;

/// Field names users may type before a colon.
const USER_FIELDS: [&str; 8] = [
    "title",
    "heading",
    "text",
    "body",
    "person",
    "organization",
    "org",
    "place",
];

/// The longest query read, in bytes: the rest is dropped with a warning.
pub const MAX_QUERY_BYTES: usize = 8 * 1024;
/// The most words a query is read with: the rest are dropped with a warning.
pub const MAX_QUERY_WORDS: usize = 100;
/// The deepest brackets are nested; a query nested deeper is read without brackets.
pub const MAX_QUERY_DEPTH: usize = 32;
/// Words longer than this many letters get no typo tolerance.
pub const MAX_FUZZY_LETTERS: usize = 32;
/// At most this many words of a query get typo tolerance.
pub const MAX_FUZZY_WORDS: usize = 16;

/// Bounds the work a query can ask for: at most [`MAX_QUERY_BYTES`] bytes and
/// [`MAX_QUERY_WORDS`] words, brackets at most [`MAX_QUERY_DEPTH`] deep, and
/// no run of more than [`MAX_QUERY_DEPTH`] operators (`NOT NOT …`), each with
/// a warning. Parsing a query is then bounded in time, memory and stack.
pub fn bounded(text: &str, warnings: &mut Vec<String>) -> String {
    let mut text = text;
    if text.len() > MAX_QUERY_BYTES {
        let mut cut = MAX_QUERY_BYTES;
        while !text.is_char_boundary(cut) {
            cut -= 1;
        }
        text = &text[..cut];
        warnings.push(format!(
            "the query is longer than {MAX_QUERY_BYTES} bytes; searched its first {cut} bytes"
        ));
    }
    let words: Vec<&str> = text.split_whitespace().collect();
    let mut kept: Vec<&str> = Vec::with_capacity(words.len().min(MAX_QUERY_WORDS));
    let mut operators = 0;
    let mut dropped_operators = false;
    for word in words.iter().take(MAX_QUERY_WORDS) {
        let operator = matches!(*word, "AND" | "OR" | "NOT" | "&&" | "||" | "!" | "+" | "-");
        operators = if operator { operators + 1 } else { 0 };
        if operators > MAX_QUERY_DEPTH {
            dropped_operators = true;
            continue;
        }
        kept.push(word);
    }
    if words.len() > MAX_QUERY_WORDS {
        warnings.push(format!(
            "the query has {} words; searched its first {MAX_QUERY_WORDS}",
            words.len()
        ));
    }
    if dropped_operators {
        warnings.push(format!(
            "more than {MAX_QUERY_DEPTH} operators in a row; searched without the rest of them"
        ));
    }
    let joined = kept.join(" ");
    let (mut depth, mut deepest, mut quoted) = (0usize, 0usize, false);
    for c in joined.chars() {
        match c {
            '"' => quoted = !quoted,
            '(' if !quoted => {
                depth += 1;
                deepest = deepest.max(depth);
            }
            ')' if !quoted => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    if deepest <= MAX_QUERY_DEPTH {
        return joined;
    }
    warnings.push(format!(
        "brackets nested {deepest} deep (at most {MAX_QUERY_DEPTH}); searched the query without brackets"
    ));
    let mut quoted = false;
    joined
        .chars()
        .map(|c| match c {
            '"' => {
                quoted = !quoted;
                c
            }
            '(' | ')' if !quoted => ' ',
            _ => c,
        })
        .collect()
}

/// A parsed query and the problems a lenient parse worked around.
pub struct Parsed {
    pub query: Box<dyn Query>,
    /// The query without filters, for highlighting.
    pub text_query: Box<dyn Query>,
    pub warnings: Vec<String>,
}

/// Parses the query text (inline filters already taken out) and adds the filters.
///
/// Typo tolerance (unless `exact`) applies to the words `searcher` does not
/// find in any article body: a word the collection uses is taken as written.
pub fn parse(
    index: &Index,
    fields: &Fields,
    text: &str,
    filters: &Filters,
    exact: bool,
    searcher: Option<&Searcher>,
) -> Parsed {
    let mut warnings = Vec::new();
    // Apostrophes ("Kerubo's", "Putin’s") are part of words here, not quotes.
    let text = text.replace(['\'', '\u{2019}'], " ");
    let text = neutralize_unknown_fields(&text, &mut warnings);
    let stemmings = searcher.map_or(Stemming::ALL.to_vec(), |s| stemmings_in(s, fields));
    let text_query: Box<dyn Query> = if text.trim().is_empty() || text.trim() == "*" {
        Box::new(AllQuery)
    } else {
        let (text, prefixes) = take_prefixes(&text);
        let parsed = if text.trim().is_empty() {
            None
        } else {
            let parser = parser(index, fields, &stemmings);
            let rewritten = rewrite_fields(&text);
            let parsed = match parser.parse_query(&rewritten) {
                Ok(q) => q,
                Err(strict) => {
                    let (q, _) = parser.parse_query_lenient(&rewritten);
                    let mut strict = strict.to_string();
                    if let Some((cut, _)) = strict.char_indices().nth(120) {
                        strict.truncate(cut);
                        strict.push('…');
                    }
                    warnings.push(format!(
                        "read the query leniently ({strict}); check its quotes, brackets and colons"
                    ));
                    q
                }
            };
            let known =
                |word: &str| searcher.is_some_and(|s| in_bodies(s, fields, &stemmings, word));
            Some(match (exact, fuzzy(fields, &stemmings, &text, &known)) {
                (false, Some(fuzzy)) => Box::new(BooleanQuery::new(vec![
                    (Occur::Should, parsed),
                    (Occur::Should, fuzzy),
                ])) as Box<dyn Query>,
                _ => parsed,
            })
        };
        with_prefixes(fields, &stemmings, parsed, prefixes)
    };
    let mut clauses: Vec<(Occur, Box<dyn Query>)> = vec![(Occur::Must, text_query.box_clone())];
    for filter in filter_queries(fields, filters) {
        clauses.push((Occur::Must, Box::new(ConstScoreQuery::new(filter, 0.0))));
    }
    let query: Box<dyn Query> = if clauses.len() == 1 {
        clauses.remove(0).1
    } else {
        Box::new(BooleanQuery::new(clauses))
    };
    Parsed {
        query,
        text_query,
        warnings,
    }
}

fn parser(index: &Index, fields: &Fields, stemmings: &[Stemming]) -> QueryParser {
    let mut defaults = Vec::new();
    let mut boosts: Vec<(Field, f32)> = Vec::new();
    for &stemming in stemmings {
        let f = fields.text_fields(stemming);
        defaults.extend([f.title, f.heading, f.body]);
        boosts.push((f.title, TITLE_BOOST));
        boosts.push((f.heading, HEADING_BOOST));
    }
    for kind in EntityKind::ALL {
        let f = fields.entity(kind).text;
        defaults.push(f);
        boosts.push((f, ENTITY_BOOST));
    }
    let mut parser = QueryParser::for_index(index, defaults);
    for (field, boost) in boosts {
        parser.set_field_boost(field, boost);
    }
    parser
}

/// A word the query parser is not given: a prefix, or any word of a field.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Prefix {
    /// `moscow*`: the words of the text, heading and title that start with it.
    Word(String),
    /// `heading:*`: any word of the field, i.e. the passages that have one.
    AnyIn(&'static str),
}

/// Takes the prefix words (`moscow*`, `+lithi*`) and the field wildcards
/// (`heading:*`, which tantivy would read as a fast-field query) out of a query.
fn take_prefixes(text: &str) -> (String, Vec<(Occur, Prefix)>) {
    let mut rest = Vec::new();
    let mut prefixes = Vec::new();
    for word in text.split(' ') {
        let (occur, bare) = match word.strip_prefix('+') {
            Some(b) => (Occur::Must, b),
            None => match word.strip_prefix('-') {
                Some(b) => (Occur::MustNot, b),
                None => (Occur::Should, word),
            },
        };
        match bare.strip_suffix('*') {
            Some(stem) if !stem.is_empty() && stem.chars().all(char::is_alphanumeric) => {
                prefixes.push((occur, Prefix::Word(normalize(stem))));
            }
            Some(field) => match USER_FIELDS
                .iter()
                .find(|name| field.strip_suffix(':') == Some(**name))
            {
                Some(name) => prefixes.push((occur, Prefix::AnyIn(name))),
                None => rest.push(word),
            },
            None => rest.push(word),
        }
    }
    (rest.join(" "), prefixes)
}

/// The fields a user's field name searches.
fn user_fields(fields: &Fields, stemmings: &[Stemming], name: &str) -> Vec<Field> {
    let kind = match name {
        "person" => Some(EntityKind::Person),
        "organization" | "org" => Some(EntityKind::Organization),
        "place" => Some(EntityKind::Place),
        _ => None,
    };
    if let Some(kind) = kind {
        return vec![fields.entity(kind).text];
    }
    stemmings
        .iter()
        .map(|&s| {
            let f = fields.text_fields(s);
            match name {
                "title" => f.title,
                "heading" => f.heading,
                _ => f.body,
            }
        })
        .collect()
}

/// Adds prefix words to a parsed query: each matches the words of the text,
/// heading and title that start with it (or any word of its field), with a
/// constant score.
fn with_prefixes(
    fields: &Fields,
    stemmings: &[Stemming],
    parsed: Option<Box<dyn Query>>,
    prefixes: Vec<(Occur, Prefix)>,
) -> Box<dyn Query> {
    if prefixes.is_empty() {
        return parsed.unwrap_or_else(|| Box::new(AllQuery));
    }
    let mut clauses: Vec<(Occur, Box<dyn Query>)> =
        parsed.into_iter().map(|q| (Occur::Should, q)).collect();
    for (occur, prefix) in prefixes {
        let (searched, prefix) = match &prefix {
            Prefix::Word(word) => (
                stemmings
                    .iter()
                    .flat_map(|&s| {
                        let f = fields.text_fields(s);
                        [f.body, f.heading, f.title]
                    })
                    .collect(),
                word.as_str(),
            ),
            Prefix::AnyIn(name) => (user_fields(fields, stemmings, name), ""),
        };
        let alternatives = searched
            .into_iter()
            .map(|field: Field| {
                let term = Term::from_field_text(field, prefix);
                let q: Box<dyn Query> = Box::new(FuzzyTermQuery::new_prefix(term, 0, false));
                (Occur::Should, q)
            })
            .collect();
        clauses.push((occur, Box::new(BooleanQuery::new(alternatives))));
    }
    if clauses.iter().all(|(o, _)| *o == Occur::MustNot) {
        clauses.push((Occur::Must, Box::new(AllQuery)));
    }
    Box::new(BooleanQuery::new(clauses))
}

/// Typo-tolerant alternatives for the words of a plain query: one edit for
/// words of 5 letters or more, two for 9 or more, up to [`MAX_FUZZY_LETTERS`]
/// letters, for the first [`MAX_FUZZY_WORDS`] words the index does not know.
/// `None` for a query with operators, phrases or fields, which is taken as written.
fn fuzzy(
    fields: &Fields,
    stemmings: &[Stemming],
    text: &str,
    known: &dyn Fn(&str) -> bool,
) -> Option<Box<dyn Query>> {
    let plain = text.split_whitespace().all(|w| {
        !matches!(w, "AND" | "OR" | "NOT")
            && !w.starts_with(['+', '-'])
            && !w.contains(['"', ':', '*', '~', '^', '(', ')', '[', ']', '{', '}'])
    });
    if !plain {
        return None;
    }
    let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
    let mut words = 0;
    for word in text.split(|c: char| !c.is_alphanumeric()) {
        let letters = word.chars().count();
        if !(5..=MAX_FUZZY_LETTERS).contains(&letters) || words >= MAX_FUZZY_WORDS {
            continue;
        }
        let distance = if letters >= 9 { 2 } else { 1 };
        if known(word) {
            continue;
        }
        words += 1;
        let word = normalize(word);
        for &stemming in stemmings {
            let f = fields.text_fields(stemming);
            for field in [f.body, f.title, f.heading] {
                let term = Term::from_field_text(field, &word);
                clauses.push((
                    Occur::Should,
                    Box::new(FuzzyTermQuery::new(term, distance, true)),
                ));
            }
        }
    }
    if clauses.is_empty() {
        return None;
    }
    Some(Box::new(BoostQuery::new(
        Box::new(BooleanQuery::new(clauses)),
        FUZZY_WEIGHT,
    )))
}

/// The stemmings of the languages the index holds articles in: only their
/// fields are searched. Every stemming when the index cannot tell.
fn stemmings_in(searcher: &Searcher, fields: &Fields) -> Vec<Stemming> {
    let count = |lang: &str| {
        searcher
            .doc_freq(&Term::from_field_text(fields.language, lang))
            .unwrap_or(u64::MAX)
    };
    let (en, nl) = (count("en"), count("nl"));
    let all: u64 = searcher
        .segment_readers()
        .iter()
        .map(|s| u64::from(s.max_doc()))
        .sum();
    let mut out = Vec::with_capacity(3);
    if en > 0 {
        out.push(Stemming::English);
    }
    if nl > 0 {
        out.push(Stemming::Dutch);
    }
    if en.saturating_add(nl) < all || out.is_empty() {
        out.push(Stemming::None);
    }
    out
}

/// Whether a word, analysed as each language's body field analyses text, is
/// in some article body.
fn in_bodies(searcher: &Searcher, fields: &Fields, stemmings: &[Stemming], word: &str) -> bool {
    stemmings.iter().any(|&stemming| {
        let mut analyzer = crate::index::schema::analyzer(stemming);
        let mut stream = analyzer.token_stream(word);
        let Some(token) = stream.next() else {
            return false;
        };
        let term = Term::from_field_text(fields.text_fields(stemming).body, &token.text);
        searcher.doc_freq(&term).is_ok_and(|n| n > 0)
    })
}

fn any_of(field: Field, values: &[String], key: impl Fn(&str) -> String) -> Box<dyn Query> {
    let clauses = values
        .iter()
        .map(|v| {
            let q: Box<dyn Query> = Box::new(TermQuery::new(
                Term::from_field_text(field, &key(v)),
                IndexRecordOption::Basic,
            ));
            (Occur::Should, q)
        })
        .collect();
    Box::new(BooleanQuery::new(clauses))
}

/// The names an entity filter matches: the name as given and, for a place, the
/// name the gazetteer gives it, as a mention of it is named ("Kiev" finds Kyiv).
fn filter_names(kind: EntityKind, name: &str) -> Vec<String> {
    let mut names = vec![name.to_string()];
    if kind == EntityKind::Place
        && let Some(canonical) = crate::ner::place_name(name)
        && name_key(kind, &canonical) != name_key(kind, name)
    {
        names.push(canonical);
    }
    names
}

/// The source keys a source filter matches: the name with and without a
/// leading article ("Guardian" finds "The Guardian", "De Telegraaf" finds "Telegraaf").
fn source_keys(source: &str) -> Vec<String> {
    let key = normalize(source);
    let bare = ["the ", "de ", "het "]
        .iter()
        .find_map(|a| key.strip_prefix(a))
        .map(str::to_string);
    match bare {
        Some(bare) => vec![key, bare],
        None => vec![format!("the {key}"), format!("de {key}"), key],
    }
}

/// One query per filter (the path filter is applied to hits afterwards).
fn filter_queries(fields: &Fields, filters: &Filters) -> Vec<Box<dyn Query>> {
    let mut out: Vec<Box<dyn Query>> = Vec::new();
    for (kind, names) in [
        (EntityKind::Person, &filters.person),
        (EntityKind::Organization, &filters.organization),
        (EntityKind::Place, &filters.place),
    ] {
        let f = fields.entity(kind);
        let field = if filters.same_passage {
            f.passage_key
        } else {
            f.article_key
        };
        for name in names {
            out.push(any_of(field, &filter_names(kind, name), |n| {
                name_key(kind, n)
            }));
        }
    }
    if !filters.source.is_empty() {
        let sources: Vec<String> = filters.source.iter().flat_map(|s| source_keys(s)).collect();
        out.push(any_of(fields.source_key, &sources, str::to_string));
    }
    if !filters.lang.is_empty() {
        out.push(any_of(fields.language, &filters.lang, |l| {
            l.to_ascii_lowercase()
        }));
    }
    if filters.since.is_some() || filters.until.is_some() {
        let bound = |at: Option<i64>, inclusive: bool| match at {
            None => Bound::Unbounded,
            Some(secs) => {
                let term = Term::from_field_date_for_search(
                    fields.published_at,
                    tantivy::DateTime::from_timestamp_secs(secs),
                );
                if inclusive {
                    Bound::Included(term)
                } else {
                    Bound::Excluded(term)
                }
            }
        };
        out.push(Box::new(RangeQuery::new(
            bound(filters.since, true),
            bound(filters.until, false),
        )));
    }
    out
}

/// Passages of articles that mention the entity, of any type, by name or alias.
pub fn mentions(fields: &Fields, name: &str) -> Box<dyn Query> {
    let clauses = EntityKind::ALL
        .into_iter()
        .map(|kind| {
            let q: Box<dyn Query> = Box::new(TermQuery::new(
                Term::from_field_text(fields.entity(kind).article_key, &name_key(kind, name)),
                IndexRecordOption::Basic,
            ));
            (Occur::Should, q)
        })
        .collect();
    Box::new(BooleanQuery::new(clauses))
}

/// Turns `name:` with a field name lede does not know into plain words, with a warning.
fn neutralize_unknown_fields(text: &str, warnings: &mut Vec<String>) -> String {
    let mut out = String::with_capacity(text.len());
    for (i, word) in text.split(' ').enumerate() {
        if i > 0 {
            out.push(' ');
        }
        let bare = word.trim_start_matches(['+', '-', '(']);
        match bare.split_once(':') {
            Some((name, _))
                if !name.is_empty() && !name.contains('"') && !USER_FIELDS.contains(&name) =>
            {
                warnings.push(format!(
                    "no field {name:?}; searched {word:?} as words (fields: title, heading, person, org, place, date, source, lang, path)"
                ));
                out.push_str(&word.replacen(':', " ", 1));
            }
            _ => out.push_str(word),
        }
    }
    out
}

/// Maps the field names users type to the index's fields: `org:` is
/// `organization:`, and `title:`, `heading:` and `text:` search every
/// language's field of that kind.
pub fn rewrite_fields(text: &str) -> String {
    let mut out = String::with_capacity(text.len() * 2);
    let mut rest = text;
    let mut at_boundary = true;
    while !rest.is_empty() {
        if at_boundary
            && let Some((name, (value, tail))) =
                field_prefix(rest).and_then(|(name, after)| Some((name, split_value(after)?)))
        {
            match name {
                "org" => {
                    out.push_str("organization:");
                    out.push_str(value);
                }
                _ => {
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
            }
            rest = tail;
            at_boundary = false;
            continue;
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
        if let Some(after) = s.strip_prefix(name).and_then(|a| a.strip_prefix(':'))
            && !after.is_empty()
            && !after.starts_with(char::is_whitespace)
        {
            return Some((name, after));
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

    #[test]
    fn prefix_words_are_taken_out_with_their_operator() {
        let (rest, prefixes) = take_prefixes("strike +mosc* -lithi* a*b * +heading:* colour:*");
        assert_eq!(rest, "strike a*b * colour:*");
        assert_eq!(
            prefixes,
            [
                (Occur::Must, Prefix::Word("mosc".to_string())),
                (Occur::MustNot, Prefix::Word("lithi".to_string())),
                (Occur::Must, Prefix::AnyIn("heading")),
            ]
        );
    }

    #[test]
    fn unknown_field_becomes_words_with_a_warning() {
        let mut warnings = Vec::new();
        assert_eq!(
            neutralize_unknown_fields("colour:red person:putin 10:30", &mut warnings),
            "colour red person:putin 10 30"
        );
        assert_eq!(warnings.len(), 2);
        assert!(warnings[0].contains("\"colour\""));
    }

    #[test]
    fn queries_nested_too_deep_lose_their_brackets() {
        let mut warnings = Vec::new();
        let deep = format!("{}a{}", "(".repeat(40), ")".repeat(40));
        assert_eq!(bounded(&deep, &mut warnings).trim(), "a");
        assert_eq!(warnings.len(), 1);
        let mut warnings = Vec::new();
        assert_eq!(
            bounded("((a OR b) c) \"(x)\"", &mut warnings),
            "((a OR b) c) \"(x)\""
        );
        assert!(warnings.is_empty());
    }

    #[test]
    fn queries_keep_a_bounded_number_of_words_and_operators() {
        let mut warnings = Vec::new();
        let nots = format!("{}a", "NOT ".repeat(50));
        let kept = bounded(&nots, &mut warnings);
        assert_eq!(kept.matches("NOT").count(), MAX_QUERY_DEPTH);
        let many = "word ".repeat(500);
        let kept = bounded(&many, &mut warnings);
        assert_eq!(kept.split(' ').count(), MAX_QUERY_WORDS);
        let long = "é".repeat(MAX_QUERY_BYTES);
        assert!(bounded(&long, &mut warnings).len() <= MAX_QUERY_BYTES);
        assert_eq!(warnings.len(), 3);
    }

    #[test]
    fn only_plain_queries_get_typo_tolerance() {
        let (_, fields) = crate::index::schema::build();
        let unknown = |_: &str| false;
        let all = Stemming::ALL;
        assert!(fuzzy(&fields, &all, "goverment budget", &unknown).is_some());
        assert!(
            fuzzy(&fields, &all, "tiny word", &unknown).is_none(),
            "no word of 5 letters"
        );
        let known = |w: &str| w != "goverment";
        assert!(fuzzy(&fields, &all, "goverment budget", &known).is_some());
        assert!(fuzzy(&fields, &all, "government budget", &known).is_none());
        let long = "x".repeat(MAX_FUZZY_LETTERS + 1);
        assert!(fuzzy(&fields, &all, &long, &unknown).is_none(), "too long");
        for op in [
            "\"civil war\"",
            "+strike harbour",
            "strike -harbour",
            "person:putin",
            "moscow*",
            "a AND b",
        ] {
            assert!(fuzzy(&fields, &all, op, &unknown).is_none(), "{op}");
        }
    }
}
