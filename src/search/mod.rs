//! Runs queries against the index and returns ranked passages as plain data; never prints.

pub mod entities;
mod highlight;
pub mod query;

use serde::Serialize;
use tantivy::collector::TopDocs;
use tantivy::schema::Value;
use tantivy::{Searcher, TantivyDocument};

use crate::error::Result;
use crate::index::document::{names_of, parse_entities};
use crate::index::schema::{Fields, Stemming};
use crate::index::Store;
use crate::ner::EntityKind;
pub use query::Filters;

/// A search request.
#[derive(Debug, Clone)]
pub struct Request {
    pub query: String,
    pub limit: usize,
    pub filters: Filters,
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
}

/// The hits of a query, and warnings about how it was read.
#[derive(Debug, Clone, Default)]
pub struct Outcome {
    pub hits: Vec<Hit>,
    pub warnings: Vec<String>,
}

/// Runs a query and returns the best passages, best first.
pub fn run(store: &Store, searcher: &Searcher, request: &Request) -> Result<Outcome> {
    let parsed = query::parse(
        &store.index,
        &store.fields,
        &request.query,
        &request.filters,
    );
    if request.limit == 0 {
        return Ok(Outcome {
            hits: Vec::new(),
            warnings: parsed.warnings,
        });
    }
    let top = searcher.search(
        &parsed.query,
        &TopDocs::with_limit(request.limit).order_by_score(),
    )?;
    let terms = highlight::QueryTerms::collect(&*parsed.query, &store.fields);
    let mut hits = Vec::with_capacity(top.len());
    for (i, (score, address)) in top.into_iter().enumerate() {
        let doc: TantivyDocument = searcher.doc(address)?;
        hits.push(hit(&store.fields, &doc, i + 1, score, &terms));
    }
    Ok(Outcome {
        hits,
        warnings: parsed.warnings,
    })
}

fn text(doc: &TantivyDocument, field: tantivy::schema::Field) -> Option<String> {
    doc.get_first(field)
        .and_then(|v| v.as_str())
        .map(str::to_string)
}

fn hit(
    fields: &Fields,
    doc: &TantivyDocument,
    rank: usize,
    score: f32,
    terms: &highlight::QueryTerms,
) -> Hit {
    let language = text(doc, fields.language).unwrap_or_else(|| "und".into());
    let passage_text = text(doc, fields.text).unwrap_or_default();
    let highlights = terms.highlight(&passage_text, Stemming::for_language(&language));
    let named = parse_entities(&text(doc, fields.entities).unwrap_or_default());
    Hit {
        rank,
        score,
        article: ArticleInfo {
            id: text(doc, fields.article_id).unwrap_or_default(),
            path: text(doc, fields.path).unwrap_or_default(),
            title: text(doc, fields.title).unwrap_or_default(),
            source: text(doc, fields.source),
            published: text(doc, fields.published),
            date_text: text(doc, fields.date_text),
            url: text(doc, fields.url),
            language,
        },
        passage: PassageInfo {
            index: doc
                .get_first(fields.passage_index)
                .and_then(|v| v.as_u64())
                .unwrap_or(0),
            heading: text(doc, fields.heading),
            text: passage_text,
            highlights,
        },
        entities: EntityLists {
            person: names_of(&named, EntityKind::Person),
            organization: names_of(&named, EntityKind::Organization),
            place: names_of(&named, EntityKind::Place),
        },
    }
}
