//! What the index holds, file by file, rebuilt from the index itself.
//!
//! lede keeps no file list beside the index: every passage carries its file's
//! key, hash, size and modification time, so the manifest is read back from
//! the last commit and can never disagree with it, even after a crash.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use tantivy::collector::DocSetCollector;
use tantivy::query::TermQuery;
use tantivy::schema::IndexRecordOption;
use tantivy::{Searcher, Term};

use crate::error::{Error, Result};
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

/// Files and the articles they hold, each article by the key of its file.
#[derive(Clone, Default)]
pub struct Files {
    /// By file key (absolute path, or `-#<id>` for standard input). Keys are
    /// shared with `articles`: a large collection holds each path once.
    files: HashMap<Arc<str>, FileEntry>,
    /// Article id to file key.
    articles: HashMap<String, Arc<str>>,
}

impl Files {
    fn get(&self, key: &str) -> Option<&FileEntry> {
        self.files.get(key)
    }

    fn owner(&self, id: &str) -> Option<&Arc<str>> {
        self.articles.get(id)
    }

    /// Whether a file is held.
    pub fn contains(&self, key: &str) -> bool {
        self.files.contains_key(key)
    }

    /// The keys of the files that `keep` is false for.
    pub fn keys_except(&self, keep: impl Fn(&str) -> bool) -> Vec<Arc<str>> {
        self.files
            .keys()
            .filter(|key| !keep(key))
            .cloned()
            .collect()
    }

    /// The file an article is held by.
    pub fn article_file(&self, id: &str) -> Option<Arc<str>> {
        self.articles.get(id).cloned()
    }

    /// Forgets one article of a file, and the file when it was its last.
    pub fn remove_article(&mut self, id: &str) {
        let Some(key) = self.articles.remove(id) else {
            return;
        };
        if let Some(entry) = self.files.get_mut(&key) {
            entry.articles.retain(|a| a != id);
            if entry.articles.is_empty() {
                self.files.remove(&key);
            }
        }
    }

    fn remove(&mut self, key: &str) -> Option<FileEntry> {
        let entry = self.files.remove(key)?;
        self.forget_articles(key, &entry);
        Some(entry)
    }

    fn forget_articles(&mut self, key: &str, entry: &FileEntry) {
        for id in &entry.articles {
            if self.articles.get(id).is_some_and(|k| &**k == key) {
                self.articles.remove(id);
            }
        }
    }

    fn insert(&mut self, key: &str, entry: FileEntry) {
        let key: Arc<str> = Arc::from(key);
        for id in &entry.articles {
            self.articles.insert(id.clone(), key.clone());
        }
        self.files.insert(key, entry);
    }
}

/// The files of a run that touches a few (like `lede add`), over the last
/// commit, which is asked about the others.
#[derive(Clone)]
pub struct Partial {
    /// Files written or looked up in this run.
    run: Files,
    commit: Searcher,
    fields: Fields,
    /// Files of the commit removed in this run.
    removed: HashSet<String>,
}

/// What the index holds, file by file.
///
/// Only a whole manifest lists its files, so only a whole one can say which
/// files are gone from a folder: a partial one cannot be purged by mistake.
#[derive(Clone)]
pub enum Manifest {
    /// Every file of the last commit, and the changes of this run.
    Whole(Files),
    Partial(Box<Partial>),
}

impl Manifest {
    /// A manifest that reads files from the last commit as they are asked for.
    pub fn partial(searcher: Searcher, fields: Fields) -> Manifest {
        Manifest::Partial(Box::new(Partial {
            run: Files::default(),
            commit: searcher,
            fields,
            removed: HashSet::new(),
        }))
    }

    /// Whether the manifest holds every file of the index.
    pub fn is_whole(&self) -> bool {
        matches!(self, Manifest::Whole(_))
    }

    /// What the index holds of a file.
    pub fn file(&self, key: &str) -> Option<FileEntry> {
        match self {
            Manifest::Whole(files) => files.get(key).cloned(),
            Manifest::Partial(p) => {
                if let Some(entry) = p.run.get(key) {
                    return Some(entry.clone());
                }
                if p.removed.contains(key) {
                    return None;
                }
                lookup_file(&p.commit, &p.fields, key).ok().flatten()
            }
        }
    }

    /// The key of the file an article was indexed from.
    pub fn article_file(&self, id: &str) -> Option<String> {
        match self {
            Manifest::Whole(files) => files.owner(id).map(|k| k.to_string()),
            Manifest::Partial(p) => {
                if let Some(key) = p.run.owner(id) {
                    return Some(key.to_string());
                }
                let key = lookup_article(&p.commit, &p.fields, id).ok().flatten()?;
                (!p.removed.contains(&key) && !p.run.contains(&key)).then_some(key)
            }
        }
    }

    /// Reads the manifest from the first passage of every live article.
    pub fn load(searcher: &Searcher, fields: &Fields) -> Result<Manifest> {
        let schema = searcher.schema();
        let name = |field| schema.get_field_name(field);
        let mut manifest = Files::default();
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
            let key_names: HashMap<u64, Arc<str>> = resolve(&keys, rows.iter().map(|r| r.0))?
                .into_iter()
                .map(|(ord, key)| (ord, Arc::from(key)))
                .collect();
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
            }
        }
        Ok(Manifest::Whole(manifest))
    }

    /// Forgets a file and its articles.
    pub fn remove_file(&mut self, key: &str) -> Option<FileEntry> {
        match self {
            Manifest::Whole(files) => files.remove(key),
            Manifest::Partial(p) => {
                if let Some(entry) = p.run.remove(key) {
                    return Some(entry);
                }
                if p.removed.contains(key) {
                    return None;
                }
                let entry = lookup_file(&p.commit, &p.fields, key).ok().flatten()?;
                p.removed.insert(key.to_string());
                Some(entry)
            }
        }
    }

    /// Records a file and its articles.
    pub fn insert_file(&mut self, key: &str, entry: FileEntry) {
        match self {
            Manifest::Whole(files) => files.insert(key, entry),
            Manifest::Partial(p) => p.run.insert(key, entry),
        }
    }
}

/// The live documents a term is in, by segment.
fn docs_with(searcher: &Searcher, term: Term) -> Result<Vec<tantivy::DocAddress>> {
    let query = TermQuery::new(term, IndexRecordOption::Basic);
    let mut docs: Vec<_> = searcher
        .search(&query, &DocSetCollector)?
        .into_iter()
        .collect();
    docs.sort();
    Ok(docs)
}

/// What the last commit holds of one file.
fn lookup_file(searcher: &Searcher, fields: &Fields, key: &str) -> Result<Option<FileEntry>> {
    let schema = searcher.schema();
    let name = |field| schema.get_field_name(field);
    let mut found: Option<FileEntry> = None;
    for address in docs_with(searcher, Term::from_field_text(fields.file_key, key))? {
        let segment = searcher.segment_reader(address.segment_ord);
        let fast = segment.fast_fields();
        let doc = address.doc_id;
        if fast.u64(name(fields.passage_index))?.first(doc) != Some(0) {
            continue;
        }
        let Some(ids) = fast.str(name(fields.article_id))? else {
            continue;
        };
        let mut id = String::new();
        if let Some(ord) = ids.ords().first(doc) {
            ids.ord_to_str(ord, &mut id).map_err(Error::IndexIo)?;
        }
        let entry = found.get_or_insert_with(|| FileEntry {
            hash: 0,
            size: 0,
            mtime: 0,
            entity_version: 0,
            articles: Vec::new(),
        });
        entry.hash = fast.u64(name(fields.file_hash))?.first(doc).unwrap_or(0);
        entry.size = fast.u64(name(fields.file_size))?.first(doc).unwrap_or(0);
        entry.mtime = fast.i64(name(fields.file_mtime))?.first(doc).unwrap_or(0);
        entry.entity_version = fast
            .u64(name(fields.entity_version))?
            .first(doc)
            .unwrap_or(0);
        entry.articles.push(id);
    }
    Ok(found)
}

/// The key of the file the last commit holds an article from.
fn lookup_article(searcher: &Searcher, fields: &Fields, id: &str) -> Result<Option<String>> {
    let schema = searcher.schema();
    for address in docs_with(searcher, Term::from_field_text(fields.article_id, id))? {
        let fast = searcher.segment_reader(address.segment_ord).fast_fields();
        if let Some(keys) = fast.str(schema.get_field_name(fields.file_key))?
            && let Some(ord) = keys.ords().first(address.doc_id)
        {
            let mut key = String::new();
            keys.ord_to_str(ord, &mut key).map_err(Error::IndexIo)?;
            return Ok(Some(key));
        }
    }
    Ok(None)
}

/// The strings of a set of ordinals, read in one pass over the column's dictionary.
pub(crate) fn resolve(
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
        })
        .map_err(Error::IndexIo)?;
    Ok(names)
}
