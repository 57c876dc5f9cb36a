//! Reads every passage back out of the index, article by article, for another search engine.
//!
//! Articles come in the order of their ids, and each article's passages in
//! passage order. The ids are walked by merging the `article_id` term
//! dictionaries of the segments, which are sorted, so the order depends on
//! what the index holds and not on how it is split into segments: exporting
//! twice, or after a merge, gives the same passages in the same order. Only
//! one article's passages are held at a time. This module returns data; the
//! printer turns it into NDJSON.

use std::collections::HashMap;
use std::sync::Arc;

use chrono::{DateTime, FixedOffset, Utc};
use tantivy::columnar::{Column, StrColumn};
use tantivy::fastfield::AliveBitSet;
use tantivy::schema::{Field, IndexRecordOption, Value};
use tantivy::store::StoreReader;
use tantivy::termdict::TermMerger;
use tantivy::{DocId, DocSet, InvertedIndexReader, Searcher, TERMINATED, TantivyDocument};

use crate::entities::{ArticleEntities, Named};
use crate::error::{Error, Result};
use crate::index::Store;
use crate::index::document::{parse_entities, shared_article_keys};
use crate::index::schema::Fields;
use crate::ner::{EntityKind, Geo};

/// One passage with its article's fields, as exported.
#[derive(Debug, Clone, PartialEq)]
pub struct ExportPassage {
    pub article_id: String,
    pub passage_index: u64,
    pub title: String,
    pub source: Option<String>,
    pub author: Option<String>,
    pub url: Option<String>,
    pub language: String,
    pub path: String,
    /// The key lede knows the article's file by: its absolute path, or
    /// `-#<article id>` for an article read from standard input.
    pub file: String,
    /// The publication date, with the offset the article gave.
    pub published: Option<DateTime<FixedOffset>>,
    /// The date as the article wrote it.
    pub date_text: Option<String>,
    /// The file's modification time when it was indexed (what `--since` compares).
    pub modified: DateTime<Utc>,
    pub heading: Option<String>,
    pub text: String,
    /// The passage's people, organizations and places, in [`EntityKind::ALL`] order.
    pub entities: [EntityNames; 3],
    /// The GeoNames entries of the passage's places that have one, in order.
    pub places: Vec<Geo>,
}

impl ExportPassage {
    /// The names of one entity type.
    pub fn names(&self, kind: EntityKind) -> &EntityNames {
        &self.entities[kind_index(kind)]
    }
}

/// The entities of one type in a passage.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EntityNames {
    /// Canonical names, in stored order.
    pub names: Vec<String>,
    /// The other forms the article uses for them.
    pub aliases: Vec<String>,
    /// The normalised keys of every name of the passage's entities (what a
    /// filter that must hold in the passage matches), sorted.
    pub keys: Vec<String>,
    /// The normalised keys of the article's entities that the index gives this
    /// passage (what an article-level filter matches), sorted.
    pub article_keys: Vec<String>,
}

fn kind_index(kind: EntityKind) -> usize {
    match kind {
        EntityKind::Person => 0,
        EntityKind::Organization => 1,
        EntityKind::Place => 2,
    }
}

/// Decompressed doc-store blocks kept per segment: an article's passages are
/// written side by side, so they share a block or two.
const CACHE_BLOCKS: usize = 4;

/// What is read of one segment.
struct SegmentSource {
    article_ids: Arc<InvertedIndexReader>,
    store: StoreReader,
    passage_index: Column<u64>,
    mtime: Column<i64>,
    file_keys: Option<StrColumn>,
    alive: Option<AliveBitSet>,
}

/// The passages of an index, ready to be read in article-id order.
pub struct Export {
    fields: Fields,
    segments: Vec<SegmentSource>,
    /// Only articles whose file was modified at or after this time (milliseconds since the epoch).
    since_ms: Option<i64>,
}

impl Export {
    /// Prepares to read the passages `searcher` sees; with `since_ms`, only the
    /// articles whose file was modified at or after then.
    pub fn open(store: &Store, searcher: &Searcher, since_ms: Option<i64>) -> Result<Export> {
        let fields = store.fields.clone();
        let schema = searcher.schema();
        let name = |field: Field| schema.get_field_name(field).to_string();
        let mut segments = Vec::new();
        for segment in searcher.segment_readers() {
            let fast = segment.fast_fields();
            segments.push(SegmentSource {
                article_ids: segment.inverted_index(fields.article_id)?,
                store: segment
                    .get_store_reader(CACHE_BLOCKS)
                    .map_err(Error::IndexIo)?,
                passage_index: fast.u64(&name(fields.passage_index))?,
                mtime: fast.i64(&name(fields.file_mtime))?,
                file_keys: fast.str(&name(fields.file_key))?,
                alive: segment.alive_bitset().cloned(),
            });
        }
        Ok(Export {
            fields,
            segments,
            since_ms,
        })
    }

    /// Calls `each` with the passages of every article in turn, and returns
    /// how many passages it was given.
    pub fn for_each_article<E: From<Error>>(
        &self,
        mut each: impl FnMut(&[ExportPassage]) -> std::result::Result<(), E>,
    ) -> std::result::Result<u64, E> {
        let mut streams = Vec::with_capacity(self.segments.len());
        for segment in &self.segments {
            streams.push(
                segment
                    .article_ids
                    .terms()
                    .stream()
                    .map_err(Error::IndexIo)?,
            );
        }
        let mut ids = TermMerger::new(streams);
        let mut exported = 0;
        while ids.advance() {
            let held: Vec<_> = ids.current_segment_ords_and_term_infos().collect();
            let docs = self.live_passages(&held)?;
            if docs.is_empty() || !self.changed(&docs) {
                continue;
            }
            let passages = self.read_article(&docs)?;
            exported += passages.len() as u64;
            each(&passages)?;
        }
        Ok(exported)
    }

    /// The live passages of one article as `(passage index, segment, doc)`,
    /// in passage order. A passage index held twice (which the writer never
    /// does) is exported once.
    fn live_passages(
        &self,
        held: &[(usize, tantivy::postings::TermInfo)],
    ) -> Result<Vec<(u64, usize, DocId)>> {
        let mut docs = Vec::new();
        for (ord, info) in held {
            let Some(segment) = self.segments.get(*ord) else {
                continue;
            };
            let mut postings = segment
                .article_ids
                .read_postings_from_terminfo(info, IndexRecordOption::Basic)
                .map_err(Error::IndexIo)?;
            let mut doc = postings.doc();
            while doc != TERMINATED {
                if segment.alive.as_ref().is_none_or(|bits| bits.is_alive(doc)) {
                    let index = segment.passage_index.first(doc).unwrap_or(0);
                    docs.push((index, *ord, doc));
                }
                doc = postings.advance();
            }
        }
        docs.sort_unstable();
        docs.dedup_by_key(|d| d.0);
        Ok(docs)
    }

    fn mtime(&self, segment: usize, doc: DocId) -> i64 {
        self.segments
            .get(segment)
            .and_then(|s| s.mtime.first(doc))
            .unwrap_or(0)
    }

    /// Whether the article's file changed at or after `since_ms` (every
    /// passage of a file carries the same time).
    fn changed(&self, docs: &[(u64, usize, DocId)]) -> bool {
        match self.since_ms {
            None => true,
            Some(since) => docs.iter().any(|&(_, s, d)| self.mtime(s, d) >= since),
        }
    }

    /// The key of the file a passage came from (a fast column: it is not stored).
    fn file_key(&self, segment: usize, doc: DocId) -> Result<String> {
        let mut key = String::new();
        if let Some(column) = self
            .segments
            .get(segment)
            .and_then(|s| s.file_keys.as_ref())
            && let Some(ord) = column.ords().first(doc)
        {
            column.ord_to_str(ord, &mut key).map_err(Error::IndexIo)?;
        }
        Ok(key)
    }

    /// Reads the stored passages of one article and names their entities.
    fn read_article(&self, docs: &[(u64, usize, DocId)]) -> Result<Vec<ExportPassage>> {
        let f = &self.fields;
        // Every passage of an article comes from the same file.
        let file = match docs.first() {
            Some(&(_, segment, doc)) => self.file_key(segment, doc)?,
            None => String::new(),
        };
        let mut stored = Vec::with_capacity(docs.len());
        for &(index, segment, doc) in docs {
            let Some(source) = self.segments.get(segment) else {
                continue;
            };
            let document: TantivyDocument = source.store.get(doc)?;
            stored.push((index, self.mtime(segment, doc), document));
        }
        // The article's entities are stored on its first passage.
        let article: Vec<Named> = stored
            .iter()
            .find(|(index, _, _)| *index == 0)
            .and_then(|(_, _, d)| text(d, f.article_entities))
            .map(|json| parse_entities(&json))
            .unwrap_or_default();
        let passages: Vec<Vec<Named>> = stored
            .iter()
            .map(|(_, _, d)| {
                text(d, f.entities)
                    .map(|json| parse_entities(&json))
                    .unwrap_or_default()
            })
            .collect();
        let keys = ArticleKeys::new(article, &passages);
        Ok(stored
            .iter()
            .zip(&passages)
            .map(|((index, mtime, doc), named)| {
                let (entities, places) = keys.of_passage(named);
                ExportPassage {
                    article_id: text(doc, f.article_id).unwrap_or_default(),
                    passage_index: *index,
                    title: text(doc, f.title).unwrap_or_default(),
                    source: text(doc, f.source),
                    author: text(doc, f.author),
                    url: text(doc, f.url),
                    language: text(doc, f.language).unwrap_or_default(),
                    path: text(doc, f.path).unwrap_or_default(),
                    file: file.clone(),
                    published: text(doc, f.published)
                        .and_then(|t| DateTime::parse_from_rfc3339(&t).ok()),
                    date_text: text(doc, f.date_text),
                    modified: DateTime::from_timestamp_millis(*mtime).unwrap_or_default(),
                    heading: text(doc, f.heading),
                    text: text(doc, f.text).unwrap_or_default(),
                    entities,
                    places,
                }
            })
            .collect())
    }
}

fn text(doc: &TantivyDocument, field: Field) -> Option<String> {
    doc.get_first(field)
        .and_then(|v| v.as_str())
        .map(str::to_string)
}

/// The keys of an article's entities, and which of them the index puts on
/// every passage (as `index::document` decides when writing it).
struct ArticleKeys {
    /// Each entity's type and every key of its names.
    keys: Vec<(EntityKind, String, Vec<String>)>,
    by_key: HashMap<(EntityKind, String), usize>,
    shared: std::collections::BTreeSet<usize>,
}

impl ArticleKeys {
    fn new(article: Vec<Named>, passages: &[Vec<Named>]) -> ArticleKeys {
        let keys: Vec<(EntityKind, String, Vec<String>)> = article
            .iter()
            .map(|e| (e.kind, e.key(), e.all_keys()))
            .collect();
        let by_key: HashMap<(EntityKind, String), usize> = keys
            .iter()
            .enumerate()
            .map(|(i, (kind, key, _))| ((*kind, key.clone()), i))
            .collect();
        let borrowed = by_key
            .iter()
            .map(|((kind, key), &i)| ((*kind, key.as_str()), i))
            .collect();
        let entities = ArticleEntities {
            article,
            passages: passages.to_vec(),
        };
        let shared = shared_article_keys(&keys, &borrowed, &entities);
        ArticleKeys {
            keys,
            by_key,
            shared,
        }
    }

    /// The names and keys per type of a passage's entities, and the GeoNames
    /// entries of its places.
    fn of_passage(&self, named: &[Named]) -> ([EntityNames; 3], Vec<Geo>) {
        let mut out: [EntityNames; 3] = Default::default();
        let mut places = Vec::new();
        for entity in named {
            let names = &mut out[kind_index(entity.kind)];
            names.names.push(entity.name.clone());
            names.aliases.extend(entity.aliases.iter().cloned());
            if let Some(geo) = &entity.geo {
                places.push(geo.clone());
            }
            let found = self.by_key.get(&(entity.kind, entity.key())).copied();
            match found {
                Some(i) => {
                    names.keys.extend(self.keys[i].2.iter().cloned());
                    if !self.shared.contains(&i) {
                        names.article_keys.extend(self.keys[i].2.iter().cloned());
                    }
                }
                None => names.keys.extend(entity.all_keys()),
            }
        }
        for &i in &self.shared {
            let (kind, _, keys) = &self.keys[i];
            out[kind_index(*kind)]
                .article_keys
                .extend(keys.iter().cloned());
        }
        for names in &mut out {
            names.keys.sort();
            names.keys.dedup();
            names.article_keys.sort();
            names.article_keys.dedup();
        }
        (out, places)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn named(kind: EntityKind, name: &str, aliases: &[&str]) -> Named {
        Named::with_aliases(kind, name, aliases)
    }

    #[test]
    fn a_passage_carries_every_name_of_its_entities_and_the_articles_keys() {
        let putin = named(EntityKind::Person, "Vladimir Putin", &["Putin"]);
        let kabul = named(EntityKind::Place, "Kabul", &[]);
        let keys = ArticleKeys::new(
            vec![putin.clone(), kabul.clone()],
            &[vec![putin.clone()], vec![kabul.clone()]],
        );
        let (second, _) = keys.of_passage(std::slice::from_ref(&kabul));
        let people = &second[kind_index(EntityKind::Person)];
        assert!(people.names.is_empty());
        assert!(people.keys.is_empty());
        assert_eq!(people.article_keys, ["putin", "vladimir putin"]);
        let (first, _) = keys.of_passage(std::slice::from_ref(&putin));
        let people = &first[kind_index(EntityKind::Person)];
        assert_eq!(people.names, ["Vladimir Putin"]);
        assert_eq!(people.aliases, ["Putin"]);
        assert_eq!(people.keys, ["putin", "vladimir putin"]);
    }
}
