//! What an index holds: counts, sources, languages, dates, size, last update and entity model.

use std::collections::BTreeMap;

use serde::Serialize;
use tantivy::schema::{Field, IndexRecordOption, Value};
use tantivy::{DocAddress, DocId, DocSet, Searcher, SegmentReader, TERMINATED, TantivyDocument};

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
    let schema = searcher.schema();
    let name = |field| schema.get_field_name(field).to_string();
    // Per source key: its articles and a first passage that gives its name.
    let mut by_key: BTreeMap<Vec<u8>, (u64, DocAddress)> = BTreeMap::new();
    let mut languages: BTreeMap<Option<String>, u64> = BTreeMap::new();
    let mut earliest: Option<(i64, DocAddress)> = None;
    let mut latest: Option<(i64, DocAddress)> = None;
    let mut sourced = 0;
    for (ord, segment) in searcher.segment_readers().iter().enumerate() {
        let fast = segment.fast_fields();
        let first = fast.u64(&name(fields.passage_index))?;
        let published = fast.date(&name(fields.published_at))?;
        // The live first passage of each article in the segment.
        let mut firsts = vec![false; segment.max_doc() as usize];
        for doc in segment.doc_ids_alive() {
            if first.first(doc) != Some(0) {
                continue;
            }
            firsts[doc as usize] = true;
            let at = DocAddress::new(ord as u32, doc);
            match published.first(doc) {
                Some(date) => {
                    let t = date.into_timestamp_secs();
                    if earliest.is_none_or(|(e, _)| t < e) {
                        earliest = Some((t, at));
                    }
                    if latest.is_none_or(|(l, _)| t > l) {
                        latest = Some((t, at));
                    }
                }
                None => stats.undated += 1,
            }
        }
        count_firsts(segment, fields.source_key, &firsts, |key, n, doc| {
            sourced += n;
            let entry = by_key
                .entry(key.to_vec())
                .or_insert((0, DocAddress::new(ord as u32, doc)));
            entry.0 += n;
        })?;
        count_firsts(segment, fields.language, &firsts, |key, n, _| {
            let code = String::from_utf8_lossy(key).into_owned();
            *languages.entry(Some(code)).or_insert(0) += n;
        })?;
    }
    let stored = |at: DocAddress, field| -> Result<Option<String>> {
        let doc: TantivyDocument = searcher.doc(at)?;
        Ok(doc
            .get_first(field)
            .and_then(|v| v.as_str())
            .map(str::to_string))
    };
    let mut sources: BTreeMap<Option<String>, u64> = BTreeMap::new();
    for (n, at) in by_key.into_values() {
        *sources.entry(stored(at, fields.source)?).or_insert(0) += n;
    }
    if totals.articles > sourced {
        *sources.entry(None).or_insert(0) += totals.articles - sourced;
    }
    let languaged: u64 = languages.values().sum();
    if totals.articles > languaged {
        *languages.entry(Some("und".into())).or_insert(0) += totals.articles - languaged;
    }
    if let Some((_, at)) = earliest {
        stats.first_published = stored(at, fields.published)?;
    }
    if let Some((_, at)) = latest {
        stats.last_published = stored(at, fields.published)?;
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

/// Calls `counted` with each term of a raw field in a segment that some of
/// the `firsts` (flags by document) hold: the term, how many, and one of them.
fn count_firsts(
    segment: &SegmentReader,
    field: Field,
    firsts: &[bool],
    mut counted: impl FnMut(&[u8], u64, DocId),
) -> Result<()> {
    let inverted = segment.inverted_index(field)?;
    let mut terms = inverted.terms().stream().map_err(Error::IndexIo)?;
    while terms.advance() {
        let mut postings = inverted
            .read_postings_from_terminfo(terms.value(), IndexRecordOption::Basic)
            .map_err(Error::IndexIo)?;
        let (mut n, mut one) = (0, None);
        let mut doc = postings.doc();
        while doc != TERMINATED {
            if firsts.get(doc as usize).copied().unwrap_or(false) {
                n += 1;
                one.get_or_insert(doc);
            }
            doc = postings.advance();
        }
        if let Some(one) = one {
            counted(terms.key(), n, one);
        }
    }
    Ok(())
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
