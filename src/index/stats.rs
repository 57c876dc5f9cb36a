//! What an index holds: counts, sources, languages, dates, size, last update and entity model.

use std::collections::BTreeMap;

use serde::Serialize;
use tantivy::schema::Value;
use tantivy::{Searcher, TantivyDocument};

use crate::error::{Error, Result};
use crate::index::Store;
use crate::ner::EntityKind;

/// Distinct entities per type.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct EntityTotals {
    pub person: u64,
    pub organization: u64,
    pub place: u64,
}

/// A value and how many articles have it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Count {
    /// `None` for the articles without one (no source given).
    pub name: Option<String>,
    pub articles: u64,
}

/// The index at a glance.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Stats {
    pub articles: u64,
    pub passages: u64,
    pub entities: EntityTotals,
    /// Sources by number of articles, most first.
    pub sources: Vec<Count>,
    pub languages: Vec<Count>,
    /// The earliest and latest publication dates (RFC 3339).
    pub first_published: Option<String>,
    pub last_published: Option<String>,
    /// Articles without a publication date.
    pub undated: u64,
    /// Bytes the index folder takes on disk.
    pub bytes: u64,
    /// When the last commit was made (RFC 3339).
    pub updated: Option<String>,
    /// The entity model of the last commit.
    pub model: Option<String>,
}

fn counted(map: BTreeMap<Option<String>, u64>) -> Vec<Count> {
    let mut out: Vec<Count> = map
        .into_iter()
        .map(|(name, articles)| Count { name, articles })
        .collect();
    out.sort_by(|a, b| {
        b.articles
            .cmp(&a.articles)
            .then_with(|| a.name.cmp(&b.name))
    });
    out
}

impl EntityTotals {
    /// The totals of a listing of entities, so that `lede stats` counts what
    /// `lede entities -n 0` lists.
    pub fn of(kinds: impl IntoIterator<Item = EntityKind>) -> EntityTotals {
        let mut totals = EntityTotals::default();
        for kind in kinds {
            *match kind {
                EntityKind::Person => &mut totals.person,
                EntityKind::Organization => &mut totals.organization,
                EntityKind::Place => &mut totals.place,
            } += 1;
        }
        totals
    }
}

/// Reads the stats of an index; the entity totals are given, counted as
/// the entity listing counts them.
pub fn read(store: &Store, searcher: &Searcher, entities: EntityTotals) -> Result<Stats> {
    let fields = &store.fields;
    let totals = store.totals(searcher, false)?;
    let mut stats = Stats {
        articles: totals.articles,
        passages: totals.passages,
        entities,
        ..Stats::default()
    };
    let name = searcher
        .schema()
        .get_field_name(fields.passage_index)
        .to_string();
    let (mut sources, mut languages) = (BTreeMap::new(), BTreeMap::new());
    for segment in searcher.segment_readers() {
        let first = segment.fast_fields().u64(&name)?;
        let docs = segment.get_store_reader(16).map_err(Error::IndexIo)?;
        for doc_id in segment.doc_ids_alive() {
            if first.first(doc_id) != Some(0) {
                continue;
            }
            let doc: TantivyDocument = docs.get(doc_id)?;
            let text = |f| {
                doc.get_first(f)
                    .and_then(|v| v.as_str())
                    .map(str::to_string)
            };
            *sources.entry(text(fields.source)).or_insert(0) += 1;
            *languages
                .entry(Some(text(fields.language).unwrap_or_else(|| "und".into())))
                .or_insert(0) += 1;
            match text(fields.published) {
                Some(date) => {
                    if stats
                        .first_published
                        .as_ref()
                        .is_none_or(|d| date_key(&date) < date_key(d))
                    {
                        stats.first_published = Some(date.clone());
                    }
                    if stats
                        .last_published
                        .as_ref()
                        .is_none_or(|d| date_key(&date) > date_key(d))
                    {
                        stats.last_published = Some(date);
                    }
                }
                None => stats.undated += 1,
            }
        }
    }
    stats.sources = counted(sources);
    stats.languages = counted(languages);
    stats.bytes = folder_size(&store.path);
    if let Ok(metas) = store.index.load_metas()
        && let Some(payload) = metas.payload
        && let Ok(value) = serde_json::from_str::<serde_json::Value>(&payload)
    {
        stats.model = value["model"].as_str().map(str::to_string);
        stats.updated = value["updated"].as_str().map(str::to_string);
    }
    Ok(stats)
}

/// Orders RFC 3339 dates by instant, whatever their offsets.
fn date_key(date: &str) -> i64 {
    chrono::DateTime::parse_from_rfc3339(date).map_or(0, |d| d.timestamp())
}

fn folder_size(path: &std::path::Path) -> u64 {
    walkdir::WalkDir::new(path)
        .into_iter()
        .filter_map(|e| e.ok())
        .filter_map(|e| e.metadata().ok())
        .filter(|m| m.is_file())
        .map(|m| m.len())
        .sum()
}
