//! What the index holds, file by file, rebuilt from the index itself.
//!
//! lede keeps no file list beside the index: every passage carries its file's
//! key, hash, size and modification time, so the manifest is read back from
//! the last commit and can never disagree with it, even after a crash.

use std::collections::HashMap;

use tantivy::Searcher;

use crate::error::Result;
use crate::index::Fields;

/// One indexed file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileEntry {
    pub hash: u64,
    pub size: u64,
    /// Milliseconds since the Unix epoch.
    pub mtime: i64,
    /// The entity model and alias rules the file was read with.
    pub entity_version: u64,
    /// The ids of the file's articles.
    pub articles: Vec<String>,
}

/// The indexed files, and which file each article came from.
#[derive(Debug, Clone, Default)]
pub struct Manifest {
    /// By file key (absolute path, or `-#<id>` for standard input).
    pub files: HashMap<String, FileEntry>,
    /// Article id to file key.
    pub articles: HashMap<String, String>,
    /// File content hash to file key.
    hashes: HashMap<u64, String>,
}

impl Manifest {
    /// Reads the manifest from the first passage of every live article.
    pub fn load(searcher: &Searcher, fields: &Fields) -> Result<Manifest> {
        let schema = searcher.schema();
        let name = |field| schema.get_field_name(field);
        let mut manifest = Manifest::default();
        for segment in searcher.segment_readers() {
            let fast = segment.fast_fields();
            let first = fast.u64(name(fields.passage_index))?;
            let hash = fast.u64(name(fields.file_hash))?;
            let size = fast.u64(name(fields.file_size))?;
            let mtime = fast.i64(name(fields.file_mtime))?;
            let version = fast.u64(name(fields.entity_version))?;
            let (Some(keys), Some(ids)) = (
                fast.str(name(fields.file_key))?,
                fast.str(name(fields.article_id))?,
            ) else {
                continue;
            };
            // (key ordinal, id ordinal, (hash, size, mtime, entity version)) of
            // each article's first passage.
            let mut rows = Vec::new();
            for doc in segment.doc_ids_alive() {
                if first.first(doc) != Some(0) {
                    continue;
                }
                if let (Some(k), Some(i)) = (keys.ords().first(doc), ids.ords().first(doc)) {
                    let meta = (
                        hash.first(doc).unwrap_or(0),
                        size.first(doc).unwrap_or(0),
                        mtime.first(doc).unwrap_or(0),
                        version.first(doc).unwrap_or(0),
                    );
                    rows.push((k, i, meta));
                }
            }
            // Dictionaries are read in one sorted pass each: looking ordinals
            // up one by one would decompress a block per lookup.
            let key_names = resolve(&keys, rows.iter().map(|r| r.0))?;
            let id_names = resolve(&ids, rows.iter().map(|r| r.1))?;
            for (k, i, (hash, size, mtime, entity_version)) in rows {
                let (Some(key), Some(id)) = (key_names.get(&k), id_names.get(&i)) else {
                    continue;
                };
                let entry = manifest
                    .files
                    .entry(key.clone())
                    .or_insert_with(|| FileEntry {
                        hash,
                        size,
                        mtime,
                        entity_version,
                        articles: Vec::new(),
                    });
                entry.articles.push(id.clone());
                manifest.articles.insert(id.clone(), key.clone());
                manifest.hashes.entry(hash).or_insert_with(|| key.clone());
            }
        }
        Ok(manifest)
    }

    /// The key of an indexed file with these exact bytes, if any.
    pub fn file_with_hash(&self, hash: u64) -> Option<&str> {
        self.hashes.get(&hash).map(String::as_str)
    }

    /// Forgets a file and its articles.
    pub fn remove_file(&mut self, key: &str) -> Option<FileEntry> {
        let entry = self.files.remove(key)?;
        if self.hashes.get(&entry.hash).is_some_and(|k| k == key) {
            self.hashes.remove(&entry.hash);
        }
        for id in &entry.articles {
            if self.articles.get(id).is_some_and(|k| k == key) {
                self.articles.remove(id);
            }
        }
        Some(entry)
    }

    /// Records a file and its articles.
    pub fn insert_file(&mut self, key: &str, entry: FileEntry) {
        for id in &entry.articles {
            self.articles.insert(id.clone(), key.to_string());
        }
        self.hashes
            .entry(entry.hash)
            .or_insert_with(|| key.to_string());
        self.files.insert(key.to_string(), entry);
    }
}

/// The strings of a set of ordinals, read in one pass over the column's dictionary.
fn resolve(
    column: &tantivy::columnar::StrColumn,
    ords: impl Iterator<Item = u64>,
) -> Result<HashMap<u64, String>> {
    let mut sorted: Vec<u64> = ords.collect();
    sorted.sort_unstable();
    sorted.dedup();
    let mut names = HashMap::with_capacity(sorted.len());
    let mut at = 0;
    column
        .dictionary()
        .sorted_ords_to_term_cb(&sorted, |bytes| {
            if let Some(&ord) = sorted.get(at) {
                names.insert(ord, String::from_utf8_lossy(bytes).into_owned());
            }
            at += 1;
        })?;
    Ok(names)
}
