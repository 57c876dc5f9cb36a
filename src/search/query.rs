//! Reads the user's query once, with tantivy's query grammar, and builds the tantivy query:
//! field names, filters written in the query, word weights, typos and prefixes.
//!
//! The text is parsed leniently into a [`UserInputAst`]. The tree is then rewritten:
//! filters written in it (`date:`, `source:`, `lang:`, `path:`) move to [`Filters`], and
//! an unknown field name becomes a word. Each leaf is built by a `QueryParser` over the
//! fields it searches, as `index::schema` names them. A plain word (not quoted, no field)
//! counts as often as it was typed, does not search the fields of a language whose stop
//! word it is, fades as it gets common, and may match words of the index with a typo.

use std::collections::HashMap;
use std::ops::Bound;

use chrono::{DateTime, Utc};
use tantivy::query::{
    AllQuery, BooleanQuery, BoostQuery, ConstScoreQuery, FuzzyTermQuery, Occur, Query, QueryParser,
    RangeQuery, TermQuery,
};
use tantivy::query_grammar::{
    self, Delimiter, UserInputAst, UserInputBound, UserInputLeaf, UserInputLiteral,
};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::{Index, Searcher, Term};

use crate::entities::name_key;
use crate::index::schema::{Fields, QueryField, Stemming, analyzer};
use crate::ner::{EntityKind, normalize};
use crate::search::filters::{self, Filters};
use crate::search::highlight::Patterns;

/// Boost of the title fields over the passage text.
pub const TITLE_BOOST: f32 = 1.0;
/// Boost of the section heading fields over the passage text.
pub const HEADING_BOOST: f32 = 1.5;
/// Boost of the names of the passage's entities over the passage text.
pub const ENTITY_BOOST: f32 = 0.5;
/// Weight of a word matched with a typo; an exact match always adds more.
pub const FUZZY_WEIGHT: f32 = 0.3;
/// Weight of a word matched by a prefix (`lithi*`).
pub const PREFIX_WEIGHT: f32 = 1.0;
/// The least weight a word that most passages contain keeps.
pub const MIN_WORD_WEIGHT: f32 = 0.01;

/// The best passages read to expand a query (`--expand`).
pub const EXPAND_PASSAGES: usize = 10;
/// The most words an expanded query gains.
pub const EXPAND_WORDS: usize = 10;
/// The weight of the heaviest added word, against 1 for the query's own words.
pub const EXPAND_WEIGHT: f32 = 0.1;

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

/// A query read once: its tree, how often each plain word was typed, and what
/// reading it worked around.
#[derive(Debug, Clone)]
pub struct Reading {
    ast: Option<UserInputAst>,
    repeats: HashMap<String, usize>,
    pub warnings: Vec<String>,
}

impl Reading {
    /// Whether nothing is left to search for but filters.
    pub fn is_empty(&self) -> bool {
        self.ast.is_none()
    }
}

/// Reads the query text: the filters written in it are added to `filters`
/// (relative dates count back from `now`), and the rest is kept as a tree.
pub fn read(text: &str, filters: &mut Filters, now: DateTime<Utc>) -> Reading {
    let mut warnings = Vec::new();
    let text = bounded(text, &mut warnings);
    // An apostrophe inside a word ("Kerubo's", "Putin’s") is not a quote.
    let text = apostrophes_as_spaces(&text);
    let (ast, errors) = query_grammar::parse_query_lenient(&text);
    if let Some(error) = errors.first() {
        let mut message = error.message.clone();
        if let Some((cut, _)) = message.char_indices().nth(120) {
            message.truncate(cut);
            message.push('…');
        }
        warnings.push(format!(
            "read the query leniently ({message} at character {}); check its quotes, brackets and colons",
            error.pos
        ));
    }
    let mut rewriter = Rewriter {
        filters,
        now,
        warnings: &mut warnings,
    };
    let ast = rewriter.rewrite(ast);
    Reading {
        ast,
        repeats: plain_word_counts(&text),
        warnings,
    }
}

fn apostrophes_as_spaces(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    chars
        .iter()
        .enumerate()
        .map(|(i, &c)| {
            let inside = i > 0
                && chars[i - 1].is_alphanumeric()
                && chars.get(i + 1).is_some_and(|n| n.is_alphanumeric());
            if matches!(c, '\'' | '\u{2019}') && inside {
                ' '
            } else {
                c
            }
        })
        .collect()
}

/// How often each plain word (outside quotes, without a field or an
/// operator) was typed, by its lowercased form. The grammar keeps one leaf
/// for a repeated word; the count gives it back its weight.
fn plain_word_counts(text: &str) -> HashMap<String, usize> {
    let mut counts = HashMap::new();
    for (i, part) in text.split('"').enumerate() {
        if i % 2 == 1 {
            continue;
        }
        for word in part.split_whitespace() {
            if word.contains(':') || word.starts_with(['+', '-']) {
                continue;
            }
            let word = word.trim_matches(|c: char| matches!(c, '(' | ')'));
            if !word.is_empty() && word.chars().all(char::is_alphanumeric) {
                *counts.entry(word.to_lowercase()).or_insert(0) += 1;
            }
        }
    }
    counts
}

/// Takes the filters out of the tree and turns unknown field names into words.
struct Rewriter<'a> {
    filters: &'a mut Filters,
    now: DateTime<Utc>,
    warnings: &'a mut Vec<String>,
}

impl Rewriter<'_> {
    fn rewrite(&mut self, ast: UserInputAst) -> Option<UserInputAst> {
        match ast {
            UserInputAst::Clause(children) => {
                let kept: Vec<_> = children
                    .into_iter()
                    .filter_map(|(occur, child)| self.rewrite(child).map(|c| (occur, c)))
                    .collect();
                (!kept.is_empty()).then_some(UserInputAst::Clause(kept))
            }
            UserInputAst::Boost(inner, boost) => self
                .rewrite(*inner)
                .map(|inner| UserInputAst::Boost(Box::new(inner), boost)),
            UserInputAst::Leaf(leaf) => self.leaf(*leaf),
        }
    }

    fn leaf(&mut self, leaf: UserInputLeaf) -> Option<UserInputAst> {
        match leaf {
            UserInputLeaf::Literal(literal) => {
                let Some(name) = literal.field_name.clone() else {
                    return Some(literal_ast(literal));
                };
                match QueryField::parse(&name) {
                    Some(f) if f.is_filter() => {
                        let mut value = literal.phrase;
                        if literal.prefix {
                            value.push('*');
                        }
                        if let Err(w) = filters::apply_inline(f, &value, self.filters, self.now) {
                            self.warnings.push(w);
                        }
                        None
                    }
                    Some(_) => Some(literal_ast(literal)),
                    None => {
                        self.warnings.push(format!(
                            "no field {name:?}; searched {name:?} and {:?} as words (fields: {})",
                            literal.phrase,
                            QueryField::NAMES
                        ));
                        let words = [(name, Delimiter::None), (literal.phrase, literal.delimiter)]
                            .map(|(phrase, delimiter)| {
                                let word = UserInputLiteral {
                                    field_name: None,
                                    phrase,
                                    delimiter,
                                    slop: 0,
                                    prefix: false,
                                };
                                (None, literal_ast(word))
                            });
                        Some(UserInputAst::Clause(words.into()))
                    }
                }
            }
            UserInputLeaf::Range {
                field: name,
                lower,
                upper,
            } => {
                match name.as_deref().and_then(QueryField::parse) {
                    Some(QueryField::Date) => {
                        if let Err(w) = filters::apply_date_range(
                            date_bound(&lower),
                            date_bound(&upper),
                            self.filters,
                            self.now,
                        ) {
                            self.warnings.push(w);
                        }
                    }
                    _ => self.warnings.push(format!(
                        "a range works on dates only (date:[2024-01 TO 2024-03], date:>=2024-01-01); left out {:?}",
                        name.unwrap_or_default()
                    )),
                }
                None
            }
            UserInputLeaf::Exists { field: name } => match QueryField::parse(&name) {
                Some(f) if !f.is_filter() => {
                    Some(UserInputAst::Leaf(Box::new(UserInputLeaf::Exists {
                        field: name,
                    })))
                }
                _ => {
                    self.warnings.push(format!(
                        "no field {name:?} to search for any word of (fields: {})",
                        QueryField::NAMES
                    ));
                    None
                }
            },
            UserInputLeaf::Set {
                field: name,
                elements,
            } => {
                let words = elements
                    .into_iter()
                    .map(|phrase| {
                        let word = UserInputLiteral {
                            field_name: name.clone(),
                            phrase,
                            delimiter: Delimiter::None,
                            slop: 0,
                            prefix: false,
                        };
                        (None, literal_ast(word))
                    })
                    .collect();
                self.rewrite(UserInputAst::Clause(words))
            }
            UserInputLeaf::Regex { .. } => {
                self.warnings.push(
                    "regular expressions are not searched; use a prefix (lithi*) instead"
                        .to_string(),
                );
                None
            }
            UserInputLeaf::All => Some(UserInputAst::Leaf(Box::new(UserInputLeaf::All))),
        }
    }
}

fn date_bound(bound: &UserInputBound) -> filters::DateBound<'_> {
    match bound {
        UserInputBound::Inclusive(d) => Some((d, true)),
        UserInputBound::Exclusive(d) => Some((d, false)),
        UserInputBound::Unbounded => None,
    }
}

fn literal_ast(literal: UserInputLiteral) -> UserInputAst {
    UserInputAst::Leaf(Box::new(UserInputLeaf::Literal(literal)))
}

/// A query built for the index, and what to mark in its hits.
pub struct Parsed {
    pub query: Box<dyn Query>,
    /// The query without filters, for highlighting.
    pub text_query: Box<dyn Query>,
    /// Prefixes and words matched with a typo, marked in hits beside the query's terms.
    pub patterns: Patterns,
    pub warnings: Vec<String>,
}

/// Builds the query of a reading and adds the filters.
///
/// With a searcher, plain words are weighted by how many passages contain
/// them, only the fields of the languages the index holds are searched, and
/// (unless `exact`) a word no passage contains may match with a typo.
pub fn build(
    index: &Index,
    fields: &Fields,
    reading: &Reading,
    filters: &Filters,
    exact: bool,
    searcher: Option<&Searcher>,
) -> Parsed {
    let stemmings = searcher.map_or(Stemming::ALL.to_vec(), |s| stemmings_in(s, fields));
    let mut builder = Builder {
        index,
        fields,
        searcher,
        exact,
        repeats: &reading.repeats,
        drop_stop_words: reading.ast.as_ref().is_some_and(has_content_word),
        typo_words: 0,
        patterns: Patterns::default(),
        errors: Vec::new(),
        stemmings,
    };
    let text_query = reading
        .ast
        .as_ref()
        .and_then(|ast| builder.node(ast, Occur::Should))
        .unwrap_or_else(|| Box::new(AllQuery));
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
        patterns: builder.patterns,
        warnings: builder.errors,
    }
}

/// A word typed without quotes, field or prefix, lowercased, and whether it
/// was typed in capitals ("US", "WHO": a name, never a stop word).
fn plain_word(literal: &UserInputLiteral) -> Option<(String, bool)> {
    let phrase = literal.phrase.as_str();
    let plain = literal.field_name.is_none()
        && literal.delimiter == Delimiter::None
        && !literal.prefix
        && !phrase.is_empty()
        && phrase.chars().all(char::is_alphanumeric);
    plain.then(|| {
        let capitals = phrase.chars().count() > 1 && phrase.chars().all(|c| !c.is_lowercase());
        (phrase.to_lowercase(), capitals)
    })
}

/// Whether a stop word of the stemming's language (none for other languages).
fn is_stop_word(stemming: Stemming, word: &str) -> bool {
    use std::sync::OnceLock;
    static LISTS: OnceLock<[std::collections::HashSet<&'static str>; 2]> = OnceLock::new();
    let lists = LISTS.get_or_init(|| {
        [
            stop_words::get("en").iter().copied().collect(),
            stop_words::get("nl").iter().copied().collect(),
        ]
    });
    match stemming {
        Stemming::English => lists[0].contains(word),
        Stemming::Dutch => lists[1].contains(word),
        Stemming::None => false,
    }
}

/// Whether a plain word is a stop word of English or Dutch.
fn is_any_stop_word(word: &(String, bool)) -> bool {
    !word.1
        && [Stemming::English, Stemming::Dutch]
            .into_iter()
            .any(|s| is_stop_word(s, &word.0))
}

/// Whether the tree has something to search for besides stop words: then stop words are left out.
fn has_content_word(ast: &UserInputAst) -> bool {
    match ast {
        UserInputAst::Clause(children) => children.iter().any(|(_, c)| has_content_word(c)),
        UserInputAst::Boost(inner, _) => has_content_word(inner),
        UserInputAst::Leaf(leaf) => match leaf.as_ref() {
            UserInputLeaf::Literal(literal) => {
                plain_word(literal).is_none_or(|word| !is_any_stop_word(&word))
            }
            _ => true,
        },
    }
}

fn weighted(query: Box<dyn Query>, weight: f32) -> Box<dyn Query> {
    if (weight - 1.0).abs() < 1e-6 {
        query
    } else {
        Box::new(BoostQuery::new(query, weight))
    }
}

/// The first token of a word as an analyzer reads it.
fn token(stemming: Stemming, word: &str) -> Option<String> {
    let mut analyzer = analyzer(stemming);
    let mut stream = analyzer.token_stream(word);
    stream.next().map(|t| t.text.clone())
}

struct Builder<'a> {
    index: &'a Index,
    fields: &'a Fields,
    stemmings: Vec<Stemming>,
    searcher: Option<&'a Searcher>,
    exact: bool,
    repeats: &'a HashMap<String, usize>,
    /// Whether stop words are left out: the query has a word that is not one.
    drop_stop_words: bool,
    /// Words given typo tolerance so far.
    typo_words: usize,
    patterns: Patterns,
    errors: Vec<String>,
}

impl Builder<'_> {
    fn node(&mut self, ast: &UserInputAst, occur: Occur) -> Option<Box<dyn Query>> {
        match ast {
            UserInputAst::Clause(children) => {
                let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
                for (child_occur, child) in children {
                    let child_occur = child_occur.unwrap_or(Occur::Should);
                    if let Some(q) = self.node(child, child_occur) {
                        clauses.push((child_occur, q));
                    }
                }
                if clauses.is_empty() {
                    return None;
                }
                if clauses.iter().all(|(o, _)| *o == Occur::MustNot) {
                    clauses.push((Occur::Must, Box::new(AllQuery)));
                }
                if clauses.len() == 1 {
                    return clauses.pop().map(|(_, q)| q);
                }
                Some(Box::new(BooleanQuery::new(clauses)))
            }
            UserInputAst::Boost(inner, boost) => self
                .node(inner, occur)
                .map(|q| weighted(q, boost.into_inner() as f32)),
            UserInputAst::Leaf(leaf) => match leaf.as_ref() {
                UserInputLeaf::Literal(literal) => self.literal(literal, occur),
                UserInputLeaf::Exists { field } => self.any_word_of(field),
                UserInputLeaf::All => Some(Box::new(AllQuery)),
                // Taken out by the reading.
                _ => None,
            },
        }
    }

    fn literal(&mut self, literal: &UserInputLiteral, occur: Occur) -> Option<Box<dyn Query>> {
        let searched = literal
            .field_name
            .as_deref()
            .and_then(QueryField::parse)
            .map(|f| self.fields.searched(f, &self.stemmings));
        // The grammar leaves the star on an unquoted word (`lithi*`).
        if literal.delimiter == Delimiter::None
            && let Some(stem) = literal.phrase.strip_suffix('*')
            && !stem.is_empty()
            && stem.chars().all(char::is_alphanumeric)
        {
            return self.prefix(stem, searched);
        }
        let leaf = literal_ast(UserInputLiteral {
            field_name: None,
            ..literal.clone()
        });
        if let Some(searched) = searched {
            let boosted = searched
                .into_iter()
                .map(|f| (f, self.boost_of(f)))
                .collect();
            return Some(self.parsed(leaf, boosted));
        }
        let word = plain_word(literal);
        let optional = occur == Occur::Should && self.drop_stop_words;
        let mut groups: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        for stemming in self.stemmings.clone() {
            if let Some((w, false)) = &word
                && optional
                && is_stop_word(stemming, w)
            {
                continue;
            }
            let f = self.fields.text_fields(stemming);
            let q = self.parsed(
                leaf.clone(),
                vec![
                    (f.title, TITLE_BOOST),
                    (f.heading, HEADING_BOOST),
                    (f.body, 1.0),
                ],
            );
            let weight = word
                .as_ref()
                .map_or(1.0, |(w, _)| self.commonness(stemming, w));
            groups.push((Occur::Should, weighted(q, weight)));
        }
        let stop_word = optional && word.as_ref().is_some_and(is_any_stop_word);
        if !stop_word {
            let names = EntityKind::ALL
                .map(|kind| (self.fields.entity(kind).text, ENTITY_BOOST))
                .to_vec();
            groups.push((Occur::Should, self.parsed(leaf, names)));
            if let Some((w, _)) = &word
                && let Some(q) = self.typo(w)
            {
                groups.push((Occur::Should, q));
            }
        }
        let repeats = word
            .as_ref()
            .and_then(|(w, _)| self.repeats.get(w))
            .copied()
            .unwrap_or(1)
            .max(1);
        let query: Box<dyn Query> = match groups.len() {
            0 => return None,
            1 => groups.pop()?.1,
            _ => Box::new(BooleanQuery::new(groups)),
        };
        Some(weighted(query, repeats as f32))
    }

    fn boost_of(&self, field: Field) -> f32 {
        for &s in &self.stemmings {
            let f = self.fields.text_fields(s);
            if field == f.title {
                return TITLE_BOOST;
            }
            if field == f.heading {
                return HEADING_BOOST;
            }
        }
        1.0
    }

    /// A leaf read by tantivy's query parser over the given fields, with their boosts.
    fn parsed(&mut self, leaf: UserInputAst, fields: Vec<(Field, f32)>) -> Box<dyn Query> {
        let mut parser = QueryParser::new(
            self.index.schema(),
            fields.iter().map(|(f, _)| *f).collect(),
            self.index.tokenizers().clone(),
        );
        for (field, boost) in fields {
            if (boost - 1.0).abs() > 1e-6 {
                parser.set_field_boost(field, boost);
            }
        }
        let (query, errors) = parser.build_query_from_user_input_ast_lenient(leaf);
        for error in errors {
            let message = format!("read the query leniently ({error})");
            if !self.errors.contains(&message) {
                self.errors.push(message);
            }
        }
        query
    }

    /// How much a word counts in a stemming's fields: its BM25 weight scaled
    /// to the IDF that falls to nothing for a word in half the passages or
    /// more, `ln((N - n + 0.5) / (n + 0.5))`, kept above [`MIN_WORD_WEIGHT`].
    fn commonness(&self, stemming: Stemming, word: &str) -> f32 {
        let Some(searcher) = self.searcher else {
            return 1.0;
        };
        let Some(token) = token(stemming, word) else {
            return 1.0;
        };
        let term = Term::from_field_text(self.fields.text_fields(stemming).body, &token);
        let n = searcher.doc_freq(&term).unwrap_or(0) as f64;
        let total = searcher.num_docs() as f64;
        if total <= 0.0 {
            return 1.0;
        }
        let odds = (total - n + 0.5) / (n + 0.5);
        let bm25 = (1.0 + odds).ln();
        let faded = odds.ln();
        ((faded / bm25) as f32).clamp(MIN_WORD_WEIGHT, 1.0)
    }

    /// The words of the index within one edit of a word of 5 letters or more
    /// (two for 9 or more) that no passage contains, with a small constant score.
    fn typo(&mut self, word: &str) -> Option<Box<dyn Query>> {
        let searcher = self.searcher?;
        let letters = word.chars().count();
        if self.exact
            || !(5..=MAX_FUZZY_LETTERS).contains(&letters)
            || self.typo_words >= MAX_FUZZY_WORDS
            || in_bodies(searcher, self.fields, &self.stemmings, word)
        {
            return None;
        }
        let token = token(Stemming::None, word)?;
        let distance = if letters >= 9 { 2 } else { 1 };
        self.typo_words += 1;
        self.patterns
            .typos
            .push((token.clone(), usize::from(distance)));
        let term = Term::from_field_text(self.fields.words, &token);
        Some(weighted(
            Box::new(FuzzyTermQuery::new(term, distance, true)),
            FUZZY_WEIGHT,
        ))
    }

    /// The passages with a word that starts with `prefix`: any word of their
    /// text, heading or title, or of the given fields.
    fn prefix(&mut self, prefix: &str, searched: Option<Vec<Field>>) -> Option<Box<dyn Query>> {
        let token = token(Stemming::None, prefix)?;
        self.patterns.prefixes.push(token.clone());
        let fields = searched.unwrap_or_else(|| vec![self.fields.words]);
        let alternatives = fields
            .into_iter()
            .map(|field| {
                let term = Term::from_field_text(field, &token);
                let q: Box<dyn Query> = Box::new(FuzzyTermQuery::new_prefix(term, 0, false));
                (Occur::Should, q)
            })
            .collect();
        Some(weighted(
            Box::new(BooleanQuery::new(alternatives)),
            PREFIX_WEIGHT,
        ))
    }

    /// The passages with any word in a field (`heading:*`).
    fn any_word_of(&mut self, name: &str) -> Option<Box<dyn Query>> {
        let field = QueryField::parse(name)?;
        let alternatives: Vec<(Occur, Box<dyn Query>)> = self
            .fields
            .searched(field, &self.stemmings)
            .into_iter()
            .map(|field| {
                let term = Term::from_field_text(field, "");
                let q: Box<dyn Query> = Box::new(FuzzyTermQuery::new_prefix(term, 0, false));
                (Occur::Should, q)
            })
            .collect();
        (!alternatives.is_empty())
            .then(|| Box::new(BooleanQuery::new(alternatives)) as Box<dyn Query>)
    }
}

/// Expands a query with the words that weigh most in its best passages, a
/// relevance model of the top [`EXPAND_PASSAGES`] (RM3): a passage weighs by
/// its share of their scores, a word by its share of the passage's words.
/// The [`EXPAND_WORDS`] heaviest words that are not the query's own nor stop
/// words are added, the heaviest at [`EXPAND_WEIGHT`]. The passages the query
/// matches stay the same; only their order changes.
pub fn expand(parsed: Parsed, searcher: &Searcher, fields: &Fields) -> tantivy::Result<Parsed> {
    use tantivy::collector::TopDocs;
    use tantivy::schema::Value;
    let top = searcher.search(
        &*parsed.query,
        &TopDocs::with_limit(EXPAND_PASSAGES).order_by_score(),
    )?;
    let total: f32 = top.iter().map(|(score, _)| score.max(0.0)).sum();
    if top.is_empty() || total <= 0.0 {
        return Ok(parsed);
    }
    let mut own = std::collections::HashSet::new();
    parsed.text_query.query_terms(&mut |term, _| {
        if let Some(word) = term.value().as_str() {
            own.insert(word.to_string());
        }
    });
    let mut weights: HashMap<(Stemming, String), f32> = HashMap::new();
    for (score, address) in &top {
        let doc: tantivy::TantivyDocument = searcher.doc(*address)?;
        let text_of = |field| {
            doc.get_first(field)
                .and_then(|v| v.as_str())
                .unwrap_or_default()
                .to_string()
        };
        let stemming = Stemming::for_language(&text_of(fields.language));
        let text = format!("{}\n{}", text_of(fields.heading), text_of(fields.text));
        let mut words = Vec::new();
        let mut analyzer = analyzer(stemming);
        let mut stream = analyzer.token_stream(&text);
        while let Some(token) = stream.next() {
            words.push(token.text.clone());
        }
        if words.is_empty() {
            continue;
        }
        let share = score.max(0.0) / total / words.len() as f32;
        for word in words {
            let useful = word.chars().count() >= 3
                && !word.chars().any(|c| c.is_ascii_digit())
                && !own.contains(&word)
                && !is_stop_word(stemming, &word);
            if useful {
                *weights.entry((stemming, word)).or_insert(0.0) += share;
            }
        }
    }
    let mut ranked: Vec<((Stemming, String), f32)> = weights.into_iter().collect();
    ranked.sort_by(|a, b| b.1.total_cmp(&a.1).then_with(|| a.0.1.cmp(&b.0.1)));
    ranked.truncate(EXPAND_WORDS);
    let Some(heaviest) = ranked.first().map(|(_, w)| *w) else {
        return Ok(parsed);
    };
    let added: Vec<(Occur, Box<dyn Query>)> = ranked
        .into_iter()
        .map(|((stemming, word), weight)| {
            let term = Term::from_field_text(fields.text_fields(stemming).body, &word);
            let q: Box<dyn Query> = Box::new(TermQuery::new(term, IndexRecordOption::WithFreqs));
            (
                Occur::Should,
                weighted(q, EXPAND_WEIGHT * weight / heaviest),
            )
        })
        .collect();
    let query: Box<dyn Query> = Box::new(BooleanQuery::new(vec![
        (Occur::Must, parsed.query),
        (Occur::Should, Box::new(BooleanQuery::new(added))),
    ]));
    Ok(Parsed { query, ..parsed })
}

/// The stemmings of the languages the index holds articles in: only their
/// fields are searched. Every stemming when the index cannot tell.
fn stemmings_in(searcher: &Searcher, fields: &Fields) -> Vec<Stemming> {
    let count = |lang: &str| {
        searcher
            .doc_freq(&Term::from_field_text(fields.language, lang))
            .unwrap_or(u64::MAX)
    };
    let (en, nl) = (count("en").saturating_add(count("und")), count("nl"));
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

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn now() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2024, 3, 23, 12, 0, 0)
            .single()
            .expect("valid")
    }

    fn ts(y: i32, m: u32, d: u32) -> i64 {
        Utc.with_ymd_and_hms(y, m, d, 0, 0, 0)
            .single()
            .expect("valid")
            .timestamp()
    }

    /// The leaves of a reading as `field:phrase` strings, in order.
    fn leaves(reading: &Reading) -> Vec<String> {
        fn walk(ast: &UserInputAst, out: &mut Vec<String>) {
            match ast {
                UserInputAst::Clause(children) => children.iter().for_each(|(_, c)| walk(c, out)),
                UserInputAst::Boost(inner, _) => walk(inner, out),
                UserInputAst::Leaf(leaf) => out.push(match leaf.as_ref() {
                    UserInputLeaf::Literal(l) => match &l.field_name {
                        Some(f) => format!("{f}:{}", l.phrase),
                        None => l.phrase.clone(),
                    },
                    other => format!("{other:?}"),
                }),
            }
        }
        let mut out = Vec::new();
        if let Some(ast) = &reading.ast {
            walk(ast, &mut out);
        }
        out
    }

    #[test]
    fn filters_written_in_the_query_leave_the_words() {
        let mut f = Filters::default();
        let reading = read(
            "embassy date:>=2024-01-01 source:\"NOS News\" lang:NL kabul path:bbc/*",
            &mut f,
            now(),
        );
        assert_eq!(leaves(&reading), ["embassy", "kabul"]);
        assert!(reading.warnings.is_empty(), "{:?}", reading.warnings);
        assert_eq!(f.since, Some(ts(2024, 1, 1)));
        assert_eq!(f.until, None);
        assert_eq!(f.source, ["NOS News"]);
        assert_eq!(f.lang, ["nl"]);
        assert_eq!(f.path, ["bbc/*"]);
    }

    #[test]
    fn date_ranges_and_operators_narrow_the_dates() {
        let mut f = Filters::default();
        read("date:2024-03 date:<2024-03-15", &mut f, now());
        assert_eq!(f.since, Some(ts(2024, 3, 1)));
        assert_eq!(f.until, Some(ts(2024, 3, 15)));
        let mut f = Filters::default();
        read("moscow date:[2024-01 TO 2024-02]", &mut f, now());
        assert_eq!(f.since, Some(ts(2024, 1, 1)));
        assert_eq!(f.until, Some(ts(2024, 3, 1)));
        let mut f = Filters::default();
        read("date:>2024-01-01", &mut f, now());
        assert_eq!(f.since, Some(ts(2024, 1, 2)));
    }

    #[test]
    fn a_bad_date_is_a_warning_not_an_error() {
        let mut f = Filters::default();
        let reading = read("moscow date:someday", &mut f, now());
        assert_eq!(leaves(&reading), ["moscow"]);
        assert_eq!(reading.warnings.len(), 1);
        assert_eq!(f, Filters::default());
    }

    #[test]
    fn an_unknown_field_becomes_words_with_a_warning() {
        let mut f = Filters::default();
        let reading = read("colour:red person:putin 10:30", &mut f, now());
        assert_eq!(
            leaves(&reading),
            ["colour", "red", "person:putin", "10", "30"]
        );
        assert_eq!(reading.warnings.len(), 2);
        assert!(reading.warnings[0].contains("\"colour\""));
    }

    #[test]
    fn words_that_only_contain_a_filter_name_stay() {
        let mut f = Filters::default();
        let reading = read("update:x outsource:y", &mut f, now());
        assert_eq!(leaves(&reading), ["update", "x", "outsource", "y"]);
        assert_eq!(f, Filters::default());
    }

    #[test]
    fn repeated_words_are_counted() {
        let reading = read(
            "cost Cost of \"cost\" living cost",
            &mut Filters::default(),
            now(),
        );
        assert_eq!(reading.repeats.get("cost"), Some(&3));
        assert_eq!(reading.repeats.get("living"), Some(&1));
    }

    #[test]
    fn apostrophes_inside_words_are_not_quotes() {
        let reading = read(
            "Kerubo's Putin’s 'civil war'",
            &mut Filters::default(),
            now(),
        );
        assert_eq!(leaves(&reading), ["Kerubo", "s", "Putin", "civil war"]);
    }

    #[test]
    fn a_query_of_filters_alone_is_empty() {
        let mut f = Filters::default();
        assert!(read("source:BBC", &mut f, now()).is_empty());
        assert!(!read("*", &mut f, now()).is_empty());
    }

    #[test]
    fn stop_words_are_left_out_only_beside_other_words() {
        let q = |text: &str| read(text, &mut Filters::default(), now());
        assert!(has_content_word(
            q("what is the cost").ast.as_ref().expect("words")
        ));
        assert!(!has_content_word(q("the who").ast.as_ref().expect("words")));
        assert!(has_content_word(
            q("\"the who\"").ast.as_ref().expect("words")
        ));
        assert!(
            has_content_word(q("US").ast.as_ref().expect("words")),
            "capitals are a name"
        );
        assert!(is_stop_word(Stemming::English, "what"));
        assert!(is_stop_word(Stemming::Dutch, "het"));
        assert!(
            !is_stop_word(Stemming::English, "die"),
            "a Dutch stop word only"
        );
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
}
