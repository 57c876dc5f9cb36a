//! An indexing run: walks a folder, reads each article, extracts its entities and writes its passages.
//!
//! A bad file is reported through the caller's callback and skipped; the run goes on.

use std::path::{Path, PathBuf};
use std::time::Instant;

use indicatif::ProgressBar;
use tantivy::IndexWriter;
use walkdir::WalkDir;

use crate::article::{self, Format};
use crate::entities;
use crate::error::{Error, Result};
use crate::index::document::{article_id, article_term, passage_documents};
use crate::index::Store;
use crate::ner::EntityExtractor;
use crate::passage;

/// Memory the tantivy writer may use before it flushes a segment.
pub const WRITER_MEMORY: usize = 64 * 1024 * 1024;

/// What an indexing run is asked to do.
#[derive(Debug, Clone)]
pub struct Options {
    /// The folder of articles.
    pub dir: PathBuf,
    /// Follow symbolic links while walking.
    pub follow: bool,
}

/// A file that could not be indexed, or part of one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub path: PathBuf,
    pub reason: String,
    /// True when the whole file failed; false for a warning about part of it.
    pub failed: bool,
}

/// What a run did, and the index totals after it.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Summary {
    pub added: u64,
    pub updated: u64,
    pub unchanged: u64,
    pub removed: u64,
    pub failed: u64,
    pub duplicates: u64,
    pub articles: u64,
    pub passages: u64,
    pub entities: u64,
    pub seconds: f64,
    /// Files of a readable format found in the folder.
    pub files: u64,
}

/// The files of readable formats below `dir`, in a stable order; walk errors go to `report`.
pub fn collect_files(options: &Options, report: &mut dyn FnMut(Problem)) -> Result<Vec<PathBuf>> {
    if !options.dir.is_dir() {
        return Err(Error::NotAFolder {
            path: options.dir.clone(),
        });
    }
    let walker = WalkDir::new(&options.dir)
        .follow_links(options.follow)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !is_hidden(e.file_name()));
    let mut files = Vec::new();
    for entry in walker {
        match entry {
            Ok(entry) => {
                if entry.file_type().is_file() && Format::from_path(entry.path()).is_some() {
                    files.push(entry.into_path());
                }
            }
            Err(err) => {
                let path = err
                    .path()
                    .map(Path::to_path_buf)
                    .unwrap_or_else(|| options.dir.clone());
                let reason = match err.loop_ancestor() {
                    Some(ancestor) => format!("symlink loop back to {}", ancestor.display()),
                    None => err
                        .io_error()
                        .map(|e| e.to_string())
                        .unwrap_or_else(|| err.to_string()),
                };
                report(Problem {
                    path,
                    reason,
                    failed: true,
                });
            }
        }
    }
    Ok(files)
}

fn is_hidden(name: &std::ffi::OsStr) -> bool {
    name.to_str().is_some_and(|s| s.starts_with('.'))
}

/// Indexes the files into the store, replacing earlier versions of the same articles.
pub fn run(
    store: &Store,
    files: &[PathBuf],
    extractor: &dyn EntityExtractor,
    progress: &ProgressBar,
    report: &mut dyn FnMut(Problem),
) -> Result<Summary> {
    let started = Instant::now();
    let mut writer: IndexWriter = store.index.writer(WRITER_MEMORY)?;
    let mut summary = Summary {
        files: files.len() as u64,
        ..Summary::default()
    };
    for path in files {
        progress.set_message(path.display().to_string());
        match article::read_file(path) {
            Ok(read) => {
                for warning in read.warnings {
                    report(Problem {
                        path: path.clone(),
                        reason: warning,
                        failed: false,
                    });
                }
                for article in &read.articles {
                    let id = article_id(article);
                    let layout = passage::split(article);
                    let spans = extractor.extract(&layout.text);
                    let grouped = entities::group(&layout, &spans);
                    writer.delete_term(article_term(&store.fields, &id));
                    for doc in passage_documents(&store.fields, &id, article, &layout, &grouped) {
                        writer.add_document(doc)?;
                    }
                    summary.added += 1;
                }
            }
            Err(err) => {
                summary.failed += 1;
                report(Problem {
                    path: path.clone(),
                    reason: err.to_string(),
                    failed: true,
                });
            }
        }
        progress.inc(1);
    }
    writer.commit()?;
    writer.wait_merging_threads()?;
    let reader = store.reader()?;
    reader.reload()?;
    let totals = store.totals(&reader.searcher())?;
    summary.articles = totals.articles;
    summary.passages = totals.passages;
    summary.entities = totals.entities;
    summary.seconds = started.elapsed().as_secs_f64();
    Ok(summary)
}
