//! Runs queries against the index and returns ranked passages as plain data; never prints.

pub mod article;
pub mod entities;
pub(crate) mod filters;
mod highlight;
pub(crate) mod query;

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use globset::{Glob, GlobSet, GlobSetBuilder};
use serde::Serialize;
use tantivy::collector::TopDocs;
use tantivy::query::{
    BooleanQuery, ConstScoreQuery, Occur, Query, RangeQuery, TermQuery, TermSetQuery,
};
use tantivy::schema::Field;
use tantivy::schema::{IndexRecordOption, Value};
use tantivy::{DocAddress, DocId, Score, Searcher, SegmentReader, TantivyDocument, Term};

use crate::error::{Error, Result};
use crate::index::Store;
use crate::index::document::{names_of, parse_entities};
use crate::index::schema::{Fields, Stemming};
use crate::ner::EntityKind;
pub use filters::Filters;

/// How much the first passages of an article gain: a passage at index `i` has
/// its score multiplied by `1 + LEAD_PRIOR / (1 + i)`. News puts the key facts first.
pub const LEAD_PRIOR: f32 = 0.04;

/// A search request.
/// Passages `lede search` returns when no `-n` is given.
pub const DEFAULT_LIMIT: usize = 10;
/// Passages of one article `lede search` returns at most by default.
pub const DEFAULT_PER_ARTICLE: usize = 3;

#[derive(Debug, Clone)]
pub struct Request {
    pub query: String,
    pub limit: usize,
    /// Hits to skip before the first one returned.
    pub offset: usize,
    pub filters: Filters,
    /// No typo tolerance.
    pub exact: bool,
    /// Expand the query with words of its best passages.
    pub expand: bool,
    /// At most this many passages of one article (0: no limit).
    pub per_article: usize,
    /// The neighbouring passages to return on each side of a hit.
    pub context: usize,
    /// The time relative dates (`7d`) count back from.
    pub now: DateTime<Utc>,
}

impl Request {
    /// A request for the best `limit` passages, with the defaults of `lede search`.
    pub fn new(query: &str, limit: usize) -> Request {
        Request {
            query: query.to_string(),
            limit,
            offset: 0,
            filters: Filters::default(),
            exact: false,
            expand: false,
            per_article: DEFAULT_PER_ARTICLE,
            context: 0,
            now: Utc::now(),
        }
    }
}

/// The article a hit belongs to.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ArticleInfo {
    pub id: String,
    pub path: String,
    pub title: String,
    pub source: Option<String>,
    /// RFC 3339, or `None` when the article gives no date.
    pub published: Option<String>,
    /// The date as the article wrote it.
    pub date_text: Option<String>,
    pub url: Option<String>,
    /// The byline: who wrote the article.
    pub author: Option<String>,
    pub language: String,
}

/// The passage of a hit.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PassageInfo {
    pub index: u64,
    pub heading: Option<String>,
    pub text: String,
    /// Byte ranges of the query terms in `text`.
    pub highlights: Vec<[usize; 2]>,
}

/// A passage next to a hit, for context.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Neighbour {
    pub index: u64,
    pub heading: Option<String>,
    pub text: String,
}

/// The entities of a passage, by type.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct EntityLists {
    pub person: Vec<String>,
    pub organization: Vec<String>,
    pub place: Vec<String>,
}

/// One ranked passage.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Hit {
    pub rank: usize,
    pub score: f32,
    pub article: ArticleInfo,
    pub passage: PassageInfo,
    pub entities: EntityLists,
    /// Neighbouring passages, in article order, when context was asked for.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub context: Vec<Neighbour>,
    /// The query that found the hit, in a batch of queries.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub query: Option<String>,
}

/// The hits of a query, and warnings about how it was read.
#[derive(Debug, Clone, Default)]
pub struct Outcome {
    pub hits: Vec<Hit>,
    pub warnings: Vec<String>,
}

/// Runs a query and returns the best passages, best first.
pub fn run(store: &Store, searcher: &Searcher, request: &Request) -> Result<Outcome> {
    let (parsed, warnings) = prepare(store, searcher, request)?;
    ranked_hits(store, searcher, request, &parsed, warnings)
}

/// What all the matches of a request hold, whatever page of them is asked
/// for: the number of matching passages and articles, and the `per_kind` most
/// mentioned entities of each type. Nothing when neither a query nor a filter
/// is given.
pub fn facets(
    store: &Store,
    searcher: &Searcher,
    request: &Request,
    per_kind: usize,
) -> Result<(entities::Facets, Vec<String>)> {
    let (parsed, warnings) = prepare(store, searcher, request)?;
    if parsed.nothing {
        return Ok((entities::Facets::default(), warnings));
    }
    let facets = entities::facets(store, searcher, &*parsed.query, per_kind)?;
    Ok((facets, warnings))
}

/// A request's query with its filters, ready to run.
struct Prepared {
    query: Box<dyn Query>,
    text_query: Box<dyn Query>,
    patterns: highlight::Patterns,
    /// Neither a query nor a filter: nothing matches.
    nothing: bool,
}

fn prepare(
    store: &Store,
    searcher: &Searcher,
    request: &Request,
) -> Result<(Prepared, Vec<String>)> {
    let mut filters = request.filters.clone();
    let reading = query::read(&request.query, &mut filters, request.now);
    let mut warnings = reading.warnings.clone();
    // Without a query, the entity filters pick the passages that mention them
    // ("*" keeps every passage of the articles that do).
    if reading.is_empty() {
        filters.same_passage = true;
    }
    let mut parsed = query::build(
        &store.index,
        &store.fields,
        &reading,
        &filters,
        request.exact,
        Some(searcher),
    );
    warnings.append(&mut parsed.warnings);
    if request.expand && !reading.is_empty() {
        parsed = query::expand(parsed, searcher, &store.fields)?;
    }
    if let Some(set) = glob_set(&filters.path)? {
        parsed.query = Box::new(BooleanQuery::new(vec![
            (Occur::Must, parsed.query),
            (Occur::Must, path_query(searcher, store.fields.path, &set)?),
        ]));
    }
    let unfiltered = Filters {
        same_passage: filters.same_passage,
        ..Filters::default()
    };
    let nothing = reading.is_empty() && filters == unfiltered;
    Ok((
        Prepared {
            query: parsed.query,
            text_query: parsed.text_query,
            patterns: parsed.patterns,
            nothing,
        },
        warnings,
    ))
}

fn ranked_hits(
    store: &Store,
    searcher: &Searcher,
    request: &Request,
    parsed: &Prepared,
    warnings: Vec<String>,
) -> Result<Outcome> {
    // No query returns more passages than the index holds: `-n`, `--offset`
    // and `--context` are clamped to that, so nothing is sized by them.
    let total = usize::try_from(searcher.num_docs()).unwrap_or(usize::MAX);
    if request.limit == 0 || request.offset >= total {
        return Ok(Outcome {
            hits: Vec::new(),
            warnings,
        });
    }
    let wanted = request.offset.saturating_add(request.limit).min(total);
    let fields = &store.fields;
    let mut candidates = wanted
        .saturating_mul(if request.per_article > 0 { 4 } else { 1 })
        .clamp(1, total);
    let kept = loop {
        let top = ranked(searcher, &*parsed.query, fields, candidates)?;
        let exhausted = top.len() < candidates || candidates >= total;
        let mut kept: Vec<(Score, DocAddress, TantivyDocument)> = Vec::new();
        let mut per_article: HashMap<String, usize> = HashMap::new();
        for (score, address) in top {
            let doc: TantivyDocument = searcher.doc(address)?;
            if request.per_article > 0 {
                let n = per_article
                    .entry(text_of(&doc, fields.article_id).unwrap_or_default())
                    .or_default();
                if *n >= request.per_article {
                    continue;
                }
                *n += 1;
            }
            kept.push((score, address, doc));
            if kept.len() >= wanted {
                break;
            }
        }
        if kept.len() >= wanted || exhausted {
            break kept;
        }
        candidates = candidates.saturating_mul(4).min(total);
    };
    let terms = highlight::QueryTerms::collect(&*parsed.text_query, fields, &parsed.patterns);
    let context = request.context.min(total);
    let mut hits = Vec::new();
    for (i, (score, _, doc)) in kept.into_iter().enumerate().skip(request.offset) {
        let mut hit = hit(fields, &doc, i + 1, score, &terms);
        if context > 0 {
            hit.context = neighbours(searcher, fields, &hit, context)?;
        }
        hits.push(hit);
    }
    Ok(Outcome { hits, warnings })
}

/// What [`scope`] gives: the passages to count (`None`: all of them) and the
/// warnings about the query.
pub type Scoped = (Option<Box<dyn Query>>, Vec<String>);

/// The passages a query and filters select, for counting rather than ranking.
///
/// `None` when neither a query nor a filter narrows anything. Typo tolerance is off.
pub fn scope(
    store: &Store,
    searcher: &Searcher,
    query: &str,
    filters: &Filters,
    mention: Option<&str>,
    now: DateTime<Utc>,
) -> Result<Scoped> {
    let mut filters = filters.clone();
    let reading = query::read(query, &mut filters, now);
    let mut warnings = reading.warnings.clone();
    let unfiltered = Filters {
        same_passage: filters.same_passage,
        ..Filters::default()
    };
    if reading.is_empty() && filters == unfiltered && mention.is_none() {
        return Ok((None, warnings));
    }
    let parsed = query::build(&store.index, &store.fields, &reading, &filters, true, None);
    warnings.extend(parsed.warnings);
    let mut clauses = vec![(Occur::Must, parsed.query)];
    if let Some(name) = mention {
        clauses.push((Occur::Must, query::mentions(&store.fields, name)));
    }
    if let Some(set) = glob_set(&filters.path)? {
        clauses.push((Occur::Must, path_query(searcher, store.fields.path, &set)?));
    }
    let query: Box<dyn Query> = if clauses.len() == 1 {
        clauses.remove(0).1
    } else {
        Box::new(BooleanQuery::new(clauses))
    };
    Ok((Some(query), warnings))
}

/// The passages whose article path matches one of the globs: the raw paths in
/// each segment's term dictionary that match, as a term set that adds nothing
/// to the score.
fn path_query(searcher: &Searcher, field: Field, set: &GlobSet) -> Result<Box<dyn Query>> {
    let mut terms = Vec::new();
    for segment in searcher.segment_readers() {
        let inverted = segment.inverted_index(field)?;
        let mut stream = inverted.terms().stream().map_err(Error::IndexIo)?;
        while stream.advance() {
            if let Ok(path) = std::str::from_utf8(stream.key())
                && set.is_match(path)
            {
                terms.push(Term::from_field_text(field, path));
            }
        }
    }
    terms.sort();
    terms.dedup();
    Ok(Box::new(ConstScoreQuery::new(
        Box::new(TermSetQuery::new(terms)),
        0.0,
    )))
}

/// The `limit` best passages, with the lead prior applied.
fn ranked(
    searcher: &Searcher,
    query: &dyn Query,
    fields: &Fields,
    limit: usize,
) -> Result<Vec<(Score, DocAddress)>> {
    let name = searcher
        .schema()
        .get_field_name(fields.passage_index)
        .to_string();
    let collector = TopDocs::with_limit(limit).tweak_score(move |segment: &SegmentReader| {
        let index = segment
            .fast_fields()
            .u64(&name)
            .ok()
            .map(|c| c.first_or_default_col(0));
        move |doc: DocId, score: Score| {
            let i = index.as_ref().map_or(0, |c| c.get_val(doc));
            score * (1.0 + LEAD_PRIOR / (1.0 + i as f32))
        }
    });
    Ok(searcher.search(query, &collector)?)
}

fn glob_set(globs: &[String]) -> Result<Option<GlobSet>> {
    if globs.is_empty() {
        return Ok(None);
    }
    let mut builder = GlobSetBuilder::new();
    for glob in globs {
        let glob =
            Glob::new(glob).map_err(|e| Error::BadArgument(format!("--path {glob:?}: {e}")))?;
        builder.add(glob);
    }
    builder
        .build()
        .map(Some)
        .map_err(|e| Error::BadArgument(format!("--path: {e}")))
}

/// The passages within `k` of a hit in its article, in order, without the hit.
fn neighbours(searcher: &Searcher, fields: &Fields, hit: &Hit, k: usize) -> Result<Vec<Neighbour>> {
    let index = hit.passage.index;
    let lo = index.saturating_sub(k as u64);
    let hi = index.saturating_add(k as u64);
    let query = BooleanQuery::new(vec![
        (
            Occur::Must,
            Box::new(TermQuery::new(
                Term::from_field_text(fields.article_id, &hit.article.id),
                IndexRecordOption::Basic,
            )) as Box<dyn Query>,
        ),
        (
            Occur::Must,
            Box::new(RangeQuery::new(
                std::ops::Bound::Included(Term::from_field_u64(fields.passage_index, lo)),
                std::ops::Bound::Included(Term::from_field_u64(fields.passage_index, hi)),
            )),
        ),
    ]);
    let limit = k.saturating_mul(2).saturating_add(1);
    let docs = searcher.search(&query, &TopDocs::with_limit(limit).order_by_score())?;
    let mut out = Vec::new();
    for (_, address) in docs {
        let doc: TantivyDocument = searcher.doc(address)?;
        let i = doc
            .get_first(fields.passage_index)
            .and_then(|v| v.as_u64())
            .unwrap_or(0);
        if i != index {
            out.push(Neighbour {
                index: i,
                heading: text_of(&doc, fields.heading),
                text: text_of(&doc, fields.text).unwrap_or_default(),
            });
        }
    }
    out.sort_by_key(|n| n.index);
    Ok(out)
}

fn text_of(doc: &TantivyDocument, field: tantivy::schema::Field) -> Option<String> {
    doc.get_first(field)
        .and_then(|v| v.as_str())
        .map(str::to_string)
}

/// The article fields every passage of an article carries.
fn article_info(fields: &Fields, doc: &TantivyDocument) -> ArticleInfo {
    ArticleInfo {
        id: text_of(doc, fields.article_id).unwrap_or_default(),
        path: text_of(doc, fields.path).unwrap_or_default(),
        title: text_of(doc, fields.title).unwrap_or_default(),
        source: text_of(doc, fields.source),
        published: text_of(doc, fields.published),
        date_text: text_of(doc, fields.date_text),
        url: text_of(doc, fields.url),
        author: text_of(doc, fields.author),
        language: text_of(doc, fields.language).unwrap_or_else(|| "und".into()),
    }
}

impl EntityLists {
    fn of(named: &[crate::entities::Named]) -> EntityLists {
        EntityLists {
            person: names_of(named, EntityKind::Person),
            organization: names_of(named, EntityKind::Organization),
            place: names_of(named, EntityKind::Place),
        }
    }
}

fn hit(
    fields: &Fields,
    doc: &TantivyDocument,
    rank: usize,
    score: f32,
    terms: &highlight::QueryTerms,
) -> Hit {
    let passage_text = text_of(doc, fields.text).unwrap_or_default();
    let language = text_of(doc, fields.language);
    let stemming = Stemming::for_language(language.as_deref().unwrap_or("und"));
    let highlights = terms.highlight(&passage_text, stemming);
    let named = parse_entities(&text_of(doc, fields.entities).unwrap_or_default());
    Hit {
        rank,
        score,
        article: article_info(fields, doc),
        passage: PassageInfo {
            index: doc
                .get_first(fields.passage_index)
                .and_then(|v| v.as_u64())
                .unwrap_or(0),
            heading: text_of(doc, fields.heading),
            text: passage_text,
            highlights,
        },
        entities: EntityLists::of(&named),
        context: Vec::new(),
        query: None,
    }
}
