//! The on-disk index: opening or creating it, its schema, writing articles into it and its totals.

pub(crate) mod document;
pub(crate) mod export;
pub(crate) mod manifest;
pub mod schema;
pub(crate) mod stats;
pub(crate) mod walk;
pub mod writer;

use std::path::{Path, PathBuf};

use tantivy::collector::Count;
use tantivy::query::TermQuery;
use tantivy::schema::IndexRecordOption;
use tantivy::termdict::TermMerger;
use tantivy::{Index, IndexReader, ReloadPolicy, Searcher, Term};

use crate::error::{Error, Result};
use crate::ner::EntityKind;
pub use schema::Fields;

/// An opened index with its fields.
pub struct Store {
    pub index: Index,
    pub fields: Fields,
    pub path: PathBuf,
}

/// How much an index holds.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Totals {
    pub articles: u64,
    pub passages: u64,
    /// Distinct entities (by type and canonical name), when counted.
    pub entities: Option<u64>,
}

impl Store {
    /// Opens an existing index.
    pub fn open(path: &Path) -> Result<Store> {
        if path.is_file() {
            return Err(Error::IndexIsAFile {
                path: path.to_path_buf(),
            });
        }
        // A folder lede may not read is not "no index": say why.
        let meta = path.join("meta.json");
        for probe in [path, meta.as_path()] {
            if std::fs::File::open(probe)
                .is_err_and(|e| e.kind() == std::io::ErrorKind::PermissionDenied)
            {
                return Err(Error::NoAccess {
                    path: probe.to_path_buf(),
                });
            }
        }
        let dir = tantivy::directory::MmapDirectory::open(path).map_err(|_| Error::NoIndex {
            path: path.to_path_buf(),
        })?;
        if !Index::exists(&dir).unwrap_or(false) {
            return Err(Error::NoIndex {
                path: path.to_path_buf(),
            });
        }
        let index = Index::open(dir)?;
        Store::wrap(index, path)
    }

    /// Opens the index at `path`, creating the folder and an empty index when there is none.
    pub fn open_or_create(path: &Path) -> Result<Store> {
        if path.is_file() {
            return Err(Error::IndexIsAFile {
                path: path.to_path_buf(),
            });
        }
        std::fs::create_dir_all(path).map_err(|source| Error::Io {
            path: path.to_path_buf(),
            source,
        })?;
        match Store::open(path) {
            Err(Error::NoIndex { .. }) => {
                let (schema, _) = schema::build();
                let index = Index::builder()
                    .schema(schema)
                    .settings(schema::settings())
                    .create_in_dir(path)?;
                Store::wrap(index, path)
            }
            other => other,
        }
    }

    fn wrap(index: Index, path: &Path) -> Result<Store> {
        let (schema, fields) = schema::build();
        if index.schema() != schema {
            return Err(Error::IncompatibleIndex {
                path: path.to_path_buf(),
            });
        }
        schema::register_tokenizers(index.tokenizers());
        Ok(Store {
            index,
            fields,
            path: path.to_path_buf(),
        })
    }

    /// A reader that sees the last commit; reload it explicitly after writing.
    pub fn reader(&self) -> Result<IndexReader> {
        Ok(self
            .index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()?)
    }

    /// Counts articles, passages and (with `entities`) distinct entities.
    pub fn totals(&self, searcher: &Searcher, entities: bool) -> Result<Totals> {
        let first = TermQuery::new(
            Term::from_field_u64(self.fields.passage_index, 0),
            IndexRecordOption::Basic,
        );
        let articles = searcher.search(&first, &Count)? as u64;
        let entities = if entities {
            let mut n = 0;
            for kind in EntityKind::ALL {
                n += count_live_terms(searcher, self.fields.entity(kind).key)?;
            }
            Some(n)
        } else {
            None
        };
        Ok(Totals {
            articles,
            passages: searcher.num_docs(),
            entities,
        })
    }
}

/// How many terms of a raw field at least one live document holds.
///
/// The segments' sorted term dictionaries are read merged, so no term is kept
/// in memory; a segment with deletions has its postings read for the term
/// until one of its documents is live.
pub fn count_live_terms(searcher: &Searcher, field: tantivy::schema::Field) -> Result<u64> {
    let segments = searcher.segment_readers();
    let inverted = segments
        .iter()
        .map(|s| s.inverted_index(field))
        .collect::<tantivy::Result<Vec<_>>>()?;
    let streams = inverted
        .iter()
        .map(|i| i.terms().stream())
        .collect::<std::io::Result<Vec<_>>>()
        .map_err(Error::IndexIo)?;
    let mut merger = TermMerger::new(streams);
    let mut count = 0;
    while merger.advance() {
        for (ord, info) in merger.current_segment_ords_and_term_infos() {
            let live = match segments[ord].alive_bitset() {
                None => true,
                Some(bits) => held_alive(&inverted[ord], &info, bits)?,
            };
            if live {
                count += 1;
                break;
            }
        }
    }
    Ok(count)
}

/// Whether a live document holds the term of `info`.
fn held_alive(
    inverted: &tantivy::InvertedIndexReader,
    info: &tantivy::postings::TermInfo,
    bits: &tantivy::fastfield::AliveBitSet,
) -> Result<bool> {
    let mut postings = inverted
        .read_postings_from_terminfo(info, IndexRecordOption::Basic)
        .map_err(Error::IndexIo)?;
    loop {
        let doc = tantivy::DocSet::doc(&postings);
        if doc == tantivy::TERMINATED {
            return Ok(false);
        }
        if bits.is_alive(doc) {
            return Ok(true);
        }
        tantivy::DocSet::advance(&mut postings);
    }
}
