//! Turns an article, its passages and its entities into tantivy documents, one per passage.

use std::collections::{BTreeSet, HashMap};

use tantivy::TantivyDocument;
use tantivy::schema::Term;
use xxhash_rust::xxh3::xxh3_64;

use crate::article::Article;
use crate::entities::{ArticleEntities, Named};
use crate::index::schema::{Fields, Stemming};
use crate::ner::{EntityKind, normalize};
use crate::passage::Layout;

/// The file an article came from, as recorded in the index.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileInfo {
    /// The absolute path, or `-#<article id>` for standard input.
    pub key: String,
    /// Hash of the file's bytes.
    pub hash: u64,
    pub size: u64,
    /// Modification time in milliseconds since the Unix epoch.
    pub mtime: i64,
    /// The entity model and alias rules its entities were found with.
    pub entity_version: u64,
}

/// The article's stable id: a hash of its title and paragraphs, so the same
/// article gets the same id on every run and every machine, wherever its file
/// lies, and the same content under two paths is recognised as a duplicate.
pub fn article_id(article: &Article) -> String {
    let mut hasher = xxhash_rust::xxh3::Xxh3::new();
    hasher.update(article.title.as_bytes());
    for block in &article.blocks {
        hasher.update(b"\n\n");
        if let Some(heading) = &block.heading {
            hasher.update(heading.as_bytes());
            hasher.update(b"\n");
        }
        hasher.update(block.text.as_bytes());
    }
    format!("{:016x}", hasher.digest())
}

/// A hash of a file's bytes.
pub fn content_hash(bytes: &[u8]) -> u64 {
    xxh3_64(bytes)
}

/// The term that deletes every passage of an article.
pub fn article_term(fields: &Fields, id: &str) -> Term {
    Term::from_field_text(fields.article_id, id)
}

/// The term that deletes every passage of every article of a file.
pub fn file_term(fields: &Fields, key: &str) -> Term {
    Term::from_field_text(fields.file_key, key)
}

/// One document per passage of the article.
pub fn passage_documents(
    fields: &Fields,
    id: &str,
    file: &FileInfo,
    article: &Article,
    layout: &Layout,
    entities: &ArticleEntities,
) -> Vec<TantivyDocument> {
    let stemming = Stemming::for_language(&article.language);
    let text_fields = fields.text_fields(stemming);
    let path = article.path.to_string_lossy();
    let article_json = entities_json(&entities.article);
    // Every name of each of the article's entities, worked out once.
    let article_keys: Vec<(EntityKind, String, Vec<String>)> = entities
        .article
        .iter()
        .map(|e| (e.kind, e.key(), e.all_keys()))
        .collect();
    let by_key: HashMap<(EntityKind, &str), usize> = article_keys
        .iter()
        .enumerate()
        .map(|(i, (kind, key, _))| ((*kind, key.as_str()), i))
        .collect();
    let shared = shared_article_keys(&article_keys, &by_key, entities);
    let mut docs = Vec::with_capacity(layout.passages.len());
    for passage in &layout.passages {
        let mut doc = TantivyDocument::default();
        doc.add_text(fields.article_id, id);
        doc.add_text(fields.path, &path);
        doc.add_text(fields.file_key, &file.key);
        doc.add_u64(fields.file_hash, file.hash);
        doc.add_u64(fields.file_size, file.size);
        doc.add_u64(fields.entity_version, file.entity_version);
        doc.add_i64(fields.file_mtime, file.mtime);
        if let Some(record) = article.record {
            doc.add_u64(fields.record, record as u64);
        }
        doc.add_text(fields.title, &article.title);
        // A title taken from the body is searched as the body, not twice.
        if !article.title_from_body {
            doc.add_text(text_fields.title, &article.title);
        }
        if let Some(source) = &article.source {
            doc.add_text(fields.source, source);
            doc.add_text(fields.source_key, normalize(source));
        }
        if let Some(published) = article.published {
            doc.add_text(fields.published, published.to_rfc3339());
            doc.add_date(
                fields.published_at,
                tantivy::DateTime::from_timestamp_secs(published.timestamp()),
            );
        }
        for (field, value) in [
            (fields.date_text, &article.date_text),
            (fields.url, &article.url),
            (fields.author, &article.author),
        ] {
            if let Some(value) = value {
                doc.add_text(field, value);
            }
        }
        doc.add_text(fields.language, &article.language);
        doc.add_u64(fields.passage_index, passage.index as u64);
        if let Some(heading) = &passage.heading {
            doc.add_text(fields.heading, heading);
            doc.add_text(text_fields.heading, heading);
        }
        doc.add_text(fields.text, &passage.text);
        doc.add_text(text_fields.body, &passage.text);
        if !article.title_from_body {
            doc.add_text(fields.words, &article.title);
        }
        if let Some(heading) = &passage.heading {
            doc.add_text(fields.words, heading);
        }
        doc.add_text(fields.words, &passage.text);
        let named = entities
            .passages
            .get(passage.index)
            .map(Vec::as_slice)
            .unwrap_or(&[]);
        for entity in named {
            let f = fields.entity(entity.kind);
            doc.add_text(f.text, &entity.name);
            for alias in &entity.aliases {
                doc.add_text(f.text, alias);
            }
            let key = entity.key();
            // A passage mentions the entity by every name the article gives it:
            // "ISKP" finds the passages that say "ISIS-K".
            let own;
            let found = by_key.get(&(entity.kind, key.as_str())).copied();
            let keys = match found {
                Some(i) => &article_keys[i].2,
                None => {
                    own = entity.all_keys();
                    &own
                }
            };
            for k in keys {
                doc.add_text(f.passage_key, k);
                // Its own entities are the article's too, whatever the cap.
                if found.is_some_and(|i| !shared.contains(&i)) {
                    doc.add_text(f.article_key, k);
                }
            }
            doc.add_text(f.key, key);
        }
        doc.add_text(fields.entities, entities_json(named));
        for (alias, key) in crate::entities::acronym_pairs(named) {
            doc.add_text(
                fields.acronym_pair,
                acronym_pair(PAIR_IN_PASSAGE, &alias, &key),
            );
        }
        for &i in &shared {
            let (kind, _, keys) = &article_keys[i];
            let f = fields.entity(*kind);
            for key in keys {
                doc.add_text(f.article_key, key);
            }
        }
        if passage.index == 0 {
            doc.add_text(fields.article_entities, &article_json);
            for named in &entities.article {
                doc.add_text(
                    fields.article_entity,
                    entities_json(std::slice::from_ref(named)),
                );
            }
            for (alias, key) in crate::entities::acronym_pairs(&entities.article) {
                doc.add_text(
                    fields.acronym_pair,
                    acronym_pair(PAIR_IN_ARTICLE, &alias, &key),
                );
            }
        }
        docs.push(doc);
    }
    docs
}

/// At most this many names of its article's entities go on every passage
/// (for filters that hold in the article); an article with more gives them
/// to the passages that mention each. This bounds a file's index memory by
/// its size, not by its size times its number of names.
pub const MAX_SHARED_KEYS: usize = 1000;

/// The article's entities (indexes into `article_keys`) whose names go on
/// every passage: all of them when their names number at most
/// [`MAX_SHARED_KEYS`], else those mentioned in the most passages.
pub(crate) fn shared_article_keys(
    article_keys: &[(EntityKind, String, Vec<String>)],
    by_key: &HashMap<(EntityKind, &str), usize>,
    entities: &ArticleEntities,
) -> BTreeSet<usize> {
    let total: usize = article_keys.iter().map(|(_, _, keys)| keys.len()).sum();
    if total <= MAX_SHARED_KEYS {
        return (0..article_keys.len()).collect();
    }
    let mut passages = vec![0usize; article_keys.len()];
    for named in entities.passages.iter().flatten() {
        if let Some(&i) = by_key.get(&(named.kind, named.key().as_str())) {
            passages[i] += 1;
        }
    }
    let mut order: Vec<usize> = (0..article_keys.len()).collect();
    order.sort_by_key(|&i| std::cmp::Reverse(passages[i]));
    let mut shared = BTreeSet::new();
    let mut keys = 0;
    for i in order {
        keys += article_keys[i].2.len();
        if keys > MAX_SHARED_KEYS {
            break;
        }
        shared.insert(i);
    }
    shared
}

/// The first field of an [`acronym_pair`] whose two organisations share an article.
pub const PAIR_IN_ARTICLE: &str = "a";
/// The first field of an [`acronym_pair`] whose two organisations share a passage.
pub const PAIR_IN_PASSAGE: &str = "p";

/// One value of the `acronym_pair` column.
pub fn acronym_pair(scope: &str, alias_key: &str, key: &str) -> String {
    format!("{scope}\u{1f}{alias_key}\u{1f}{key}")
}

/// Reads back an [`acronym_pair`]: its scope, alias key and key.
pub fn parse_acronym_pair(value: &str) -> Option<(&str, &str, &str)> {
    let mut parts = value.split('\u{1f}');
    Some((parts.next()?, parts.next()?, parts.next()?))
}

fn entities_json(named: &[Named]) -> String {
    serde_json::to_string(named).unwrap_or_else(|_| "[]".to_string())
}

/// Reads back the entities stored with a passage or article.
pub fn parse_entities(json: &str) -> Vec<Named> {
    serde_json::from_str(json).unwrap_or_default()
}

/// The names of one entity type, in stored order.
pub fn names_of(named: &[Named], kind: EntityKind) -> Vec<String> {
    named
        .iter()
        .filter(|n| n.kind == kind)
        .map(|n| n.name.clone())
        .collect()
}
