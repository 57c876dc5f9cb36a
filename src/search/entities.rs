//! Counts the entities of the index: how many articles and passages mention each, with its aliases.

use std::collections::{BTreeSet, HashMap};

use serde::Serialize;
use tantivy::schema::Value;
use tantivy::{Searcher, TantivyDocument};

use crate::error::Result;
use crate::index::document::parse_entities;
use crate::index::Store;
use crate::ner::EntityKind;

/// One entity and how often it is mentioned.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EntityCount {
    #[serde(rename = "type")]
    pub kind: EntityKind,
    pub name: String,
    pub aliases: Vec<String>,
    pub articles: u64,
    pub passages: u64,
}

#[derive(Default)]
struct Tally {
    name: String,
    aliases: BTreeSet<String>,
    articles: u64,
    passages: u64,
}

/// The entities of the index, most mentioned first (by articles, then passages, then name).
///
/// `limit` 0 lists them all.
pub fn list(
    store: &Store,
    searcher: &Searcher,
    kind: Option<EntityKind>,
    limit: usize,
) -> Result<Vec<EntityCount>> {
    let fields = &store.fields;
    let mut tallies: HashMap<(EntityKind, String), Tally> = HashMap::new();
    for segment in searcher.segment_readers() {
        let docs = segment.get_store_reader(64)?;
        for doc_id in segment.doc_ids_alive() {
            let doc: TantivyDocument = docs.get(doc_id)?;
            let stored = |field| {
                doc.get_first(field)
                    .and_then(|v| v.as_str())
                    .map(parse_entities)
                    .unwrap_or_default()
            };
            for named in stored(fields.entities) {
                if kind.is_some_and(|k| k != named.kind) {
                    continue;
                }
                let tally = tallies.entry((named.kind, named.key())).or_default();
                tally.passages += 1;
            }
            for named in stored(fields.article_entities) {
                if kind.is_some_and(|k| k != named.kind) {
                    continue;
                }
                let tally = tallies.entry((named.kind, named.key())).or_default();
                tally.articles += 1;
                if tally.name.is_empty() {
                    tally.name = named.name.clone();
                }
                tally.aliases.extend(named.aliases);
            }
        }
    }
    let mut out: Vec<EntityCount> = tallies
        .into_iter()
        .filter(|(_, t)| t.articles > 0)
        .map(|((kind, _), t)| EntityCount {
            kind,
            aliases: t.aliases.into_iter().filter(|a| *a != t.name).collect(),
            name: t.name,
            articles: t.articles,
            passages: t.passages,
        })
        .collect();
    out.sort_by(|a, b| {
        b.articles
            .cmp(&a.articles)
            .then(b.passages.cmp(&a.passages))
            .then_with(|| a.name.cmp(&b.name))
            .then(a.kind.cmp(&b.kind))
    });
    if limit > 0 {
        out.truncate(limit);
    }
    Ok(out)
}
