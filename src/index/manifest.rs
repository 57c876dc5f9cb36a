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
}

impl Manifest {
    /// Reads the manifest from the first passage of every live article.
    pub fn load(searcher: &Searcher, fields: &Fields) -> Result<Manifest> {
        let schema = searcher.schema();
        let name = |field| schema.get_field_name(field);
        let mut manifest = Manifest::default();
        let (mut key, mut id) = (String::new(), String::new());
        for segment in searcher.segment_readers() {
            let fast = segment.fast_fields();
            let first = fast.u64(name(fields.passage_index))?;
            let hash = fast.u64(name(fields.file_hash))?;
            let size = fast.u64(name(fields.file_size))?;
            let mtime = fast.i64(name(fields.file_mtime))?;
            let (Some(keys), Some(ids)) = (
                fast.str(name(fields.file_key))?,
                fast.str(name(fields.article_id))?,
            ) else {
                continue;
            };
            for doc in segment.doc_ids_alive() {
                if first.first(doc) != Some(0) {
                    continue;
                }
                let (Some(key_ord), Some(id_ord)) = (keys.ords().first(doc), ids.ords().first(doc))
                else {
                    continue;
                };
                key.clear();
                id.clear();
                keys.ord_to_str(key_ord, &mut key)?;
                ids.ord_to_str(id_ord, &mut id)?;
                let entry = manifest
                    .files
                    .entry(key.clone())
                    .or_insert_with(|| FileEntry {
                        hash: hash.first(doc).unwrap_or(0),
                        size: size.first(doc).unwrap_or(0),
                        mtime: mtime.first(doc).unwrap_or(0),
                        articles: Vec::new(),
                    });
                entry.articles.push(id.clone());
                manifest.articles.insert(id.clone(), key.clone());
            }
        }
        Ok(manifest)
    }

    /// Forgets a file and its articles.
    pub fn remove_file(&mut self, key: &str) -> Option<FileEntry> {
        let entry = self.files.remove(key)?;
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
        self.files.insert(key.to_string(), entry);
    }
}
