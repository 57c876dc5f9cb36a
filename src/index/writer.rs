//! Indexing sessions: finds new, changed and deleted files of a walk and writes their articles.
//!
//! A file is re-read only when its size or modification time moved, and
//! re-indexed only when its content hash changed. Changes are committed in
//! batches, so a crash loses at most one batch; the next run finds the
//! remaining work from the index itself. A bad file is reported through the
//! caller's callback and skipped, and its earlier version stays indexed.

use std::collections::{BTreeMap, HashSet};
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Condvar, Mutex, PoisonError, RwLock, RwLockReadGuard, RwLockWriteGuard};
use std::time::{Duration, Instant, SystemTime};

use chrono::{DateTime, Utc};
use tantivy::directory::error::LockError;
use tantivy::{IndexWriter, TantivyError};

use crate::aliases::Aliases;
use crate::analyse;
use crate::article::{self, Article, Format};
use crate::error::{Error, Result};
use crate::index::Store;
use crate::index::document::{
    FileInfo, article_id, article_term, content_hash, file_term, passage_documents,
};
use crate::index::manifest::{FileEntry, Files, Manifest};
pub use crate::index::walk::{Problem, Walk, walk};
use crate::index::walk::{file_key, is_below, short_io_message};
use crate::ner::EntityExtractor;

/// Default memory the tantivy writer may use before it flushes a segment.
pub const DEFAULT_WRITER_MEMORY: usize = 64 * 1024 * 1024;
/// Default largest file lede reads.
pub const DEFAULT_MAX_SIZE: u64 = 20 * 1024 * 1024;
/// Default number of changed files per commit.
pub const DEFAULT_BATCH_FILES: usize = 1000;
/// Longest time between two commits while files keep changing.
pub const BATCH_SECONDS: Duration = Duration::from_secs(10);
/// How many files the reading threads may have read past the last one
/// written, so that they keep going while the writer commits.
const AHEAD_FILES: usize = 256;
/// How many bytes of read files may wait for the writer (a file is always
/// read when it is the next one the writer wants, however large).
const AHEAD_BYTES: u64 = 16 * 1024 * 1024;

/// How an indexing session behaves.
#[derive(Debug, Clone)]
pub struct Options {
    /// Files larger than this many bytes fail.
    pub max_size: u64,
    /// Commit after this many changed files.
    pub batch_files: usize,
    /// Wait for another writer to finish instead of failing.
    pub wait: bool,
    /// Memory budget of the tantivy writer, in bytes.
    pub writer_memory: usize,
    /// The user's alias rules, applied to every article's entities.
    pub aliases: Aliases,
    /// Threads reading files and finding entities while a folder is indexed.
    pub threads: usize,
    /// Read what the index holds of every file up front, as a folder run
    /// needs; false looks files up one at a time, for a run on a few files.
    pub whole_manifest: bool,
}

impl Options {
    /// Which entity model and alias rules files are read with now: a file
    /// read with others is read again, even when it has not changed.
    pub fn entity_version(&self) -> u64 {
        let mut hasher = xxhash_rust::xxh3::Xxh3::new();
        hasher.update(&crate::ner::fingerprint().to_le_bytes());
        hasher.update(&self.aliases.fingerprint().to_le_bytes());
        hasher.digest()
    }
}

impl Default for Options {
    fn default() -> Options {
        Options {
            max_size: DEFAULT_MAX_SIZE,
            batch_files: DEFAULT_BATCH_FILES,
            wait: false,
            writer_memory: DEFAULT_WRITER_MEMORY,
            aliases: Aliases::default(),
            threads: std::thread::available_parallelism().map_or(1, usize::from),
            whole_manifest: true,
        }
    }
}

/// What a run did, and the index totals after it.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Summary {
    /// Files indexed for the first time.
    pub added: u64,
    /// Files whose content changed and were indexed again.
    pub updated: u64,
    /// Files already indexed as they are.
    pub unchanged: u64,
    /// Files (or single articles) taken out of the index.
    pub removed: u64,
    /// Files that could not be read.
    pub failed: u64,
    /// Files whose every article is already indexed from another file.
    pub duplicates: u64,
    pub articles: u64,
    pub passages: u64,
    /// Distinct entities in the index; not counted by runs on a few files
    /// (`lede add`), where counting would take longer than the work.
    pub entities: Option<u64>,
    pub seconds: f64,
}

impl Summary {
    /// Whether the run changed the index.
    pub fn changed(&self) -> bool {
        self.added + self.updated + self.removed > 0
    }
}

/// Values that replace what an article from standard input says of itself.
#[derive(Debug, Clone, Default)]
pub struct Overrides {
    pub title: Option<String>,
    pub source: Option<String>,
    pub date: Option<String>,
    pub url: Option<String>,
}

/// One indexing session: holds the index's writer lock from start to finish.
pub struct Indexer<'a> {
    store: &'a Store,
    options: Options,
    extractor: &'a dyn EntityExtractor,
    report: &'a mut dyn FnMut(Problem),
    writer: IndexWriter,
    /// Read by the threads that read files while the session writes.
    manifest: Arc<RwLock<Manifest>>,
    summary: Summary,
    started: Instant,
    last_commit: Instant,
    pending: usize,
    dirty: bool,
    written: u64,
    entity_version: u64,
}

impl<'a> Indexer<'a> {
    /// Takes the index's writer lock (waiting for it with `options.wait`) and
    /// reads what the index holds.
    pub fn new(
        store: &'a Store,
        options: Options,
        extractor: &'a dyn EntityExtractor,
        report: &'a mut dyn FnMut(Problem),
    ) -> Result<Indexer<'a>> {
        let started = Instant::now();
        let writer = acquire_writer(store, &options)?;
        remove_orphans(store)?;
        let reader = store.reader()?;
        let manifest = if options.whole_manifest {
            Manifest::load(&reader.searcher(), &store.fields)?
        } else {
            Manifest::partial(reader.searcher(), store.fields.clone())
        };
        let entity_version = options.entity_version();
        Ok(Indexer {
            entity_version,
            store,
            options,
            extractor,
            report,
            writer,
            manifest: Arc::new(RwLock::new(manifest)),
            summary: Summary::default(),
            started,
            last_commit: Instant::now(),
            pending: 0,
            dirty: false,
            written: 0,
        })
    }

    fn fail(&mut self, path: &Path, reason: String) {
        self.summary.failed += 1;
        (self.report)(Problem {
            path: path.to_path_buf(),
            reason,
            failed: true,
        });
    }

    /// Adds a new file, re-indexes a changed one, and leaves an unchanged one alone.
    pub fn index_file(&mut self, path: &Path) -> Result<()> {
        let prepared = self.reader().prepare(path, None);
        self.apply(path, prepared)
    }

    /// Indexes files in order, reading and analysing up to `threads` of them
    /// at once; the index receives them in the order given.
    pub fn index_files(
        &mut self,
        paths: &[PathBuf],
        threads: usize,
        each: impl FnMut(&Path, &Indexer<'_>),
    ) -> Result<()> {
        self.index_keyed(paths, None, threads, each)
    }

    /// [`Indexer::index_files`], with the files' keys when they are known.
    fn index_keyed(
        &mut self,
        paths: &[PathBuf],
        keys: Option<&[String]>,
        threads: usize,
        mut each: impl FnMut(&Path, &Indexer<'_>),
    ) -> Result<()> {
        let threads = threads.max(1);
        let key = |i: usize| keys.and_then(|k| k.get(i)).cloned();
        if threads == 1 {
            for (i, path) in paths.iter().enumerate() {
                let prepared = self.reader().prepare(path, key(i));
                self.apply(path, prepared)?;
                each(path, self);
            }
            return Ok(());
        }
        // Workers read files ahead of the writer, at most `AHEAD_FILES` past
        // the last one written and `AHEAD_BYTES` of them; the writer takes
        // them in the order given.
        let manifest = Arc::clone(&self.manifest);
        let options = self.options.clone();
        let reader = FileReader {
            manifest: &manifest,
            options: &options,
            extractor: self.extractor,
            entity_version: self.entity_version,
        };
        let next = AtomicUsize::new(0);
        let stop = AtomicBool::new(false);
        let window = Mutex::new(Window::default());
        let moved = Condvar::new();
        std::thread::scope(|scope| {
            let (send, receive) = std::sync::mpsc::channel::<(usize, Prepared)>();
            for n in 0..threads {
                let send = send.clone();
                let (reader, next, stop, window, moved) = (&reader, &next, &stop, &window, &moved);
                let worker = std::thread::Builder::new()
                    .name(format!("lede-reader-{n}"))
                    .spawn_scoped(scope, move || {
                        loop {
                            let i = next.fetch_add(1, Ordering::Relaxed);
                            let Some(path) = paths.get(i) else { break };
                            let mut w = window.lock().unwrap_or_else(PoisonError::into_inner);
                            while w.full(i) && !stop.load(Ordering::Relaxed) {
                                w = moved.wait(w).unwrap_or_else(PoisonError::into_inner);
                            }
                            drop(w);
                            if stop.load(Ordering::Relaxed) {
                                break;
                            }
                            let prepared = reader.prepare(path, key(i));
                            let size = prepared.size();
                            window.lock().unwrap_or_else(PoisonError::into_inner).bytes += size;
                            if send.send((i, prepared)).is_err() {
                                break;
                            }
                        }
                    });
                if let Err(err) = worker {
                    stop.store(true, Ordering::Relaxed);
                    moved.notify_all();
                    return Err(Error::Threads(err.to_string()));
                }
            }
            drop(send);
            let mut early: BTreeMap<usize, Prepared> = BTreeMap::new();
            let mut want = 0;
            let mut result = Ok(());
            'files: for (i, prepared) in receive {
                early.insert(i, prepared);
                while let Some(prepared) = early.remove(&want) {
                    let path = &paths[want];
                    let size = prepared.size();
                    if let Err(err) = self.apply(path, prepared) {
                        result = Err(err);
                        break 'files;
                    }
                    each(path, self);
                    want += 1;
                    let mut w = window.lock().unwrap_or_else(PoisonError::into_inner);
                    w.written = want;
                    w.bytes = w.bytes.saturating_sub(size);
                    drop(w);
                    moved.notify_all();
                }
            }
            // On an error the workers stop at their next file.
            stop.store(true, Ordering::Relaxed);
            moved.notify_all();
            result
        })
    }

    fn manifest(&self) -> RwLockReadGuard<'_, Manifest> {
        self.manifest.read().unwrap_or_else(PoisonError::into_inner)
    }

    /// The manifest, for the session's changes.
    fn manifest_mut(&self) -> RwLockWriteGuard<'_, Manifest> {
        self.manifest
            .write()
            .unwrap_or_else(PoisonError::into_inner)
    }

    /// What reads and analyses files: shared, read-only, by worker threads.
    fn reader(&self) -> FileReader<'_> {
        FileReader {
            manifest: &self.manifest,
            options: &self.options,
            extractor: self.extractor,
            entity_version: self.entity_version,
        }
    }

    /// Records what was found of a file.
    fn apply(&mut self, path: &Path, prepared: Prepared) -> Result<()> {
        match prepared {
            Prepared::Unchanged => {
                self.summary.unchanged += 1;
                Ok(())
            }
            Prepared::Failed(reason) => {
                self.fail(path, reason);
                Ok(())
            }
            Prepared::Read {
                file,
                warnings,
                articles,
            } => {
                for reason in warnings {
                    (self.report)(Problem {
                        path: path.to_path_buf(),
                        reason,
                        failed: false,
                    });
                }
                self.replace_file(&file, articles)
            }
        }
    }

    /// Indexes one article read from standard input.
    pub fn index_stdin(
        &mut self,
        bytes: &[u8],
        format: Format,
        overrides: &Overrides,
    ) -> Result<()> {
        let path = Path::new("-");
        let now = Utc::now().fixed_offset();
        let mut read = match article::read_bytes(bytes, format, path, Some(now)) {
            Ok(read) => read,
            Err(err) => {
                self.fail(path, err.to_string());
                return Ok(());
            }
        };
        for warning in std::mem::take(&mut read.warnings) {
            (self.report)(Problem {
                path: path.to_path_buf(),
                reason: warning,
                failed: false,
            });
        }
        for mut article in read.articles {
            if let Some(title) = &overrides.title {
                article.title = title.clone();
            }
            if let Some(source) = &overrides.source {
                article.source = Some(source.clone());
            }
            if let Some(url) = &overrides.url {
                article.url = Some(url.clone());
            }
            if let Some(date) = &overrides.date {
                article.published = article::parse_date(date, Some(now));
                article.date_text = Some(date.clone());
            }
            let file = FileInfo {
                key: format!("-#{}", article_id(&article)),
                hash: content_hash(bytes),
                size: bytes.len() as u64,
                mtime: millis(SystemTime::now()),
                entity_version: self.entity_version,
            };
            let analysed = self.reader().analyse(article);
            self.replace_file(&file, vec![analysed])?;
        }
        Ok(())
    }

    /// Replaces whatever the index holds of a file with its articles now.
    fn replace_file(&mut self, file: &FileInfo, articles: Vec<Analysed>) -> Result<()> {
        let existed = self.manifest_mut().remove_file(&file.key).is_some();
        self.writer
            .delete_term(file_term(&self.store.fields, &file.key));
        self.dirty = true;
        let mut ids = Vec::new();
        // The ids written so far, so a file of many articles is checked in linear time.
        let mut written = std::collections::HashSet::new();
        for analysed in articles {
            let id = &analysed.id;
            if written.contains(id) || self.manifest().article_file(id).is_some() {
                continue;
            }
            // Skipped as a duplicate, but its other copy has gone since.
            let Analysed {
                id,
                article,
                analysis: Some((layout, entities)),
            } = (match analysed.analysis {
                Some(_) => analysed,
                None => self.reader().analyse(analysed.article),
            })
            else {
                continue;
            };
            // Deleting by id too keeps an article single even when a crash
            // left it under a file key the manifest no longer knows.
            self.writer
                .delete_term(article_term(&self.store.fields, &id));
            for doc in
                passage_documents(&self.store.fields, &id, file, &article, &layout, &entities)
            {
                if let Err(err) = self.writer.add_document(doc) {
                    return Err(self.cause(err));
                }
            }
            written.insert(id.clone());
            ids.push(id);
            self.written += 1;
        }
        if ids.is_empty() {
            self.summary.duplicates += 1;
            if existed {
                self.summary.removed += 1;
            }
        } else {
            if existed {
                self.summary.updated += 1;
            } else {
                self.summary.added += 1;
            }
            self.manifest_mut().insert_file(
                &file.key,
                FileEntry {
                    hash: file.hash,
                    size: file.size,
                    mtime: file.mtime,
                    entity_version: file.entity_version,
                    articles: ids,
                },
            );
        }
        self.pending += 1;
        self.maybe_commit()
    }

    /// Removes the articles of files below `folder` that were not seen in this
    /// run, except below folders that could not be read.
    pub fn purge(
        &mut self,
        folder: &Path,
        seen: &HashSet<&str>,
        unreadable: &[PathBuf],
    ) -> Result<()> {
        let Ok(folder) = file_key(folder) else {
            return Ok(());
        };
        let skip: Vec<String> = unreadable.iter().filter_map(|p| file_key(p).ok()).collect();
        let gone = self.whole_files(|files| {
            files.keys_except(|key| {
                !is_below(key, &folder)
                    || seen.contains(key)
                    || skip.iter().any(|s| key == s || is_below(key, s))
            })
        })?;
        for key in gone {
            self.remove_file_key(&key)?;
        }
        Ok(())
    }

    /// What `look` finds in the files of a whole manifest: only a whole one
    /// can say which files are gone.
    fn whole_files<T>(&self, look: impl FnOnce(&mut Files) -> T) -> Result<T> {
        match &mut *self.manifest_mut() {
            Manifest::Whole(files) => Ok(look(files)),
            Manifest::Partial(_) => Err(Error::BadArgument(
                "listing the index's files needs the whole manifest; open the indexer with \
                 `whole_manifest: true`"
                    .into(),
            )),
        }
    }

    fn remove_file_key(&mut self, key: &str) -> Result<()> {
        self.manifest_mut().remove_file(key);
        self.writer.delete_term(file_term(&self.store.fields, key));
        self.dirty = true;
        self.summary.removed += 1;
        self.pending += 1;
        self.maybe_commit()
    }

    /// Removes an article by id, or a file's articles by path, or every file
    /// below a folder. Returns how many files or articles went.
    pub fn remove(&mut self, target: &std::ffi::OsStr) -> Result<u64> {
        let before = self.summary.removed;
        if let Some(target) = target.to_str()
            && self.whole_files(|files| {
                let held = files.article_file(target).is_some();
                files.remove_article(target);
                held
            })?
        {
            self.writer
                .delete_term(article_term(&self.store.fields, target));
            self.dirty = true;
            self.summary.removed += 1;
            return Ok(1);
        }
        let Ok(key) = file_key(Path::new(target)) else {
            return Ok(0);
        };
        let keys = self.whole_files(|files| {
            if files.contains(&key) {
                vec![Arc::from(key.as_str())]
            } else {
                files.keys_except(|k| !is_below(k, &key))
            }
        })?;
        for k in keys {
            self.remove_file_key(&k)?;
        }
        Ok(self.summary.removed - before)
    }

    /// Articles written so far in this session.
    pub fn articles_written(&self) -> u64 {
        self.written
    }

    fn maybe_commit(&mut self) -> Result<()> {
        if self.pending >= self.options.batch_files || self.last_commit.elapsed() >= BATCH_SECONDS {
            self.commit()?;
        }
        Ok(())
    }

    /// The error behind a failed write. Tantivy reports an indexing thread
    /// that failed (no space left on device, …) as "killed"; the thread's own
    /// error comes out when it is joined, which preparing a commit does.
    fn cause(&mut self, err: TantivyError) -> Error {
        let err = match err {
            TantivyError::ErrorInThread(_) => match self.writer.prepare_commit() {
                Err(cause) => cause,
                Ok(_) => err,
            },
            err => err,
        };
        let reason = match &err {
            TantivyError::IoError(io) => io.to_string(),
            TantivyError::InternalError(text) => text.clone(),
            _ => return err.into(),
        };
        Error::WriteFailed { reason }
    }

    fn commit(&mut self) -> Result<()> {
        let payload = commit_payload(&self.options.aliases);
        let committed = self.writer.prepare_commit().and_then(|mut prepared| {
            prepared.set_payload(&payload);
            prepared.commit()
        });
        if let Err(err) = committed {
            return Err(self.cause(err));
        }
        self.pending = 0;
        self.last_commit = Instant::now();
        Ok(())
    }

    /// Commits what is left and returns the summary with the index totals.
    pub fn finish(mut self) -> Result<Summary> {
        let whole = self.manifest().is_whole();
        if self.dirty {
            self.commit()?;
            self.writer.wait_merging_threads()?;
        }
        let reader = self.store.reader()?;
        reader.reload()?;
        let totals = self.store.totals(&reader.searcher(), whole)?;
        self.summary.articles = totals.articles;
        self.summary.passages = totals.passages;
        self.summary.entities = totals.entities;
        self.summary.seconds = self.started.elapsed().as_secs_f64();
        Ok(self.summary)
    }
}

/// What each commit records beside the data: the entity model and the time.
fn commit_payload(aliases: &Aliases) -> String {
    serde_json::json!({
        "model": format!(
            "{} v{} ({:016x})",
            crate::ner::DEFAULT_MODEL,
            crate::ner::RULES_VERSION,
            crate::ner::fingerprint()
        ),
        "aliases": format!("{:016x}", aliases.fingerprint()),
        "updated": Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
    })
    .to_string()
}

fn millis(time: SystemTime) -> i64 {
    match time.duration_since(SystemTime::UNIX_EPOCH) {
        Ok(d) => i64::try_from(d.as_millis()).unwrap_or(i64::MAX),
        Err(e) => -i64::try_from(e.duration().as_millis()).unwrap_or(i64::MAX),
    }
}

/// Segments of up to this many passages are merged, [`MERGE_FAN_IN`] at a
/// time; bigger ones are left alone. A merge then never writes more than
/// about 80,000 passages, which bounds the memory it takes (about 0.7 KB a
/// passage) however large the collection grows; a 200,000-article collection
/// (500,000 passages) ends up in about ten segments.
const MAX_MERGED_PASSAGES: usize = 20_000;
const MERGE_FAN_IN: usize = 4;

fn merge_policy() -> tantivy::indexer::LogMergePolicy {
    let mut policy = tantivy::indexer::LogMergePolicy::default();
    policy.set_max_docs_before_merge(MAX_MERGED_PASSAGES);
    policy.set_min_num_segments(MERGE_FAN_IN);
    policy
}

fn acquire_writer(store: &Store, options: &Options) -> Result<IndexWriter> {
    loop {
        // One indexing thread, leaving the cores to the readers, and one
        // merge at a time, which bounds the memory merges take.
        let writer_options = tantivy::indexer::IndexWriterOptions::builder()
            .memory_budget_per_thread(options.writer_memory)
            .num_worker_threads(1)
            .num_merge_threads(1)
            .build();
        match store.index.writer_with_options(writer_options) {
            Ok(writer) => {
                writer.set_merge_policy(Box::new(merge_policy()));
                return Ok(writer);
            }
            Err(TantivyError::LockFailure(LockError::LockBusy, _)) => {
                if !options.wait {
                    return Err(Error::Locked {
                        path: store.path.clone(),
                    });
                }
                std::thread::sleep(Duration::from_millis(200));
            }
            Err(err) => return Err(err.into()),
        }
    }
}

/// Deletes the segment files the last commit does not reference: what a
/// process killed mid-commit leaves. Tantivy would write some of them again
/// under the same names and fail with `FileAlreadyExists`, so without this a
/// run killed at the wrong moment makes every later run fail.
///
/// Called with the writer lock held and before anything is written, so no
/// other process or thread can be writing such a file; readers open only the
/// files a commit references.
fn remove_orphans(store: &Store) -> Result<()> {
    let meta = store.index.load_metas()?;
    let mut live: HashSet<String> = HashSet::new();
    let mut deletes: HashSet<PathBuf> = HashSet::new();
    for segment in &meta.segments {
        live.insert(segment.id().uuid_string());
        if segment.has_deletes() {
            deletes.insert(segment.relative_path(tantivy::index::SegmentComponent::Delete));
        }
    }
    let entries = std::fs::read_dir(&store.path).map_err(|source| Error::Io {
        path: store.path.clone(),
        source,
    })?;
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(name) = name.to_str() else { continue };
        let Some((id, ext)) = name.split_once('.') else {
            continue;
        };
        let segment_file = id.len() == 32 && id.bytes().all(|b| b.is_ascii_hexdigit());
        if !segment_file {
            continue;
        }
        let orphan = if !live.contains(id) {
            true
        } else {
            ext.ends_with(".del") && !deletes.contains(Path::new(name))
        };
        if orphan {
            // A file that cannot go is left; tantivy reports it if it matters.
            let _ = std::fs::remove_file(entry.path());
        }
    }
    Ok(())
}

/// The most articles lede reads from one file (a JSON array or JSON Lines):
/// about 280 MB of memory when they are tiny (100,000 took 423 MB).
const MAX_ARTICLES_PER_FILE: usize = 50_000;

/// A file as read and analysed, ready for the index.
enum Prepared {
    /// The index already holds it as it is.
    Unchanged,
    /// It could not be read: the reason.
    Failed(String),
    Read {
        file: FileInfo,
        /// Problems with parts of it.
        warnings: Vec<String>,
        articles: Vec<Analysed>,
    },
}

impl Prepared {
    /// The bytes of the file it was read from, as far as they are known.
    fn size(&self) -> u64 {
        match self {
            Prepared::Read { file, .. } => file.size,
            Prepared::Unchanged | Prepared::Failed(_) => 0,
        }
    }
}

/// How far the reading threads are ahead of the writer.
#[derive(Debug, Default)]
struct Window {
    /// Files written so far: the next one the writer wants.
    written: usize,
    /// Bytes of the files read and not yet written.
    bytes: u64,
}

impl Window {
    /// Whether file `i` must wait: it is not the next one wanted, and too
    /// many files or bytes already wait.
    fn full(&self, i: usize) -> bool {
        i > self.written && (i >= self.written + AHEAD_FILES || self.bytes >= AHEAD_BYTES)
    }
}

/// An article split into passages, with its entities.
struct Analysed {
    id: String,
    article: Article,
    /// None when another file held the article as the batch began: a
    /// duplicate is not analysed.
    analysis: Option<(crate::passage::Layout, crate::entities::ArticleEntities)>,
}

/// Reads and analyses files; shared by worker threads, so it only reads
/// what the index held when the batch began.
struct FileReader<'a> {
    manifest: &'a RwLock<Manifest>,
    options: &'a Options,
    extractor: &'a dyn EntityExtractor,
    entity_version: u64,
}

impl FileReader<'_> {
    /// Reads a file; `key` is its key when the caller knows it.
    fn prepare(&self, path: &Path, key: Option<String>) -> Prepared {
        if path.is_dir() {
            return Prepared::Failed(format!(
                "a folder; index a folder with `lede index {}`",
                path.display()
            ));
        }
        let Some(format) = Format::from_path(path) else {
            return Prepared::Failed(
                "not a format lede reads (.txt, .md, .html, .json, .jsonl)".into(),
            );
        };
        let known_key = key;
        let (key, size, modified) =
            match known_key
                .map_or_else(|| file_key(path), Ok)
                .and_then(|key| {
                    let meta = std::fs::metadata(path)?;
                    Ok((key, meta))
                }) {
                Ok((key, meta)) if meta.is_file() => (key, meta.len(), meta.modified().ok()),
                Ok(_) => {
                    return Prepared::Failed(
                        "not a regular file (a pipe or device); give an article file".into(),
                    );
                }
                Err(err) => return Prepared::Failed(short_io_message(&err)),
            };
        if size > self.options.max_size {
            return Prepared::Failed(format!(
                "larger than the {} byte limit; raise it with --max-size",
                self.options.max_size
            ));
        }
        let mtime = modified.map_or(0, millis);
        let known = self
            .manifest
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .file(&key)
            .filter(|e| e.entity_version == self.entity_version);
        if known
            .as_ref()
            .is_some_and(|e| e.size == size && e.mtime == mtime)
        {
            return Prepared::Unchanged;
        }
        // The size limit holds while reading too: the file may have grown.
        let mut bytes = Vec::new();
        if let Err(err) = std::fs::File::open(path)
            .and_then(|f| f.take(self.options.max_size + 1).read_to_end(&mut bytes))
        {
            return Prepared::Failed(short_io_message(&err));
        }
        if bytes.len() as u64 > self.options.max_size {
            return Prepared::Failed(format!(
                "larger than the {} byte limit; raise it with --max-size",
                self.options.max_size
            ));
        }
        let hash = content_hash(&bytes);
        if known.is_some_and(|e| e.hash == hash) {
            return Prepared::Unchanged;
        }
        let reference = modified.map(|m| DateTime::<Utc>::from(m).fixed_offset());
        match article::read_bytes(&bytes, format, path, reference) {
            // A file's articles are written in one batch, so their number bounds
            // the memory a file takes.
            Ok(read) if read.articles.len() > MAX_ARTICLES_PER_FILE => Prepared::Failed(format!(
                "{} articles in one file, more than the {MAX_ARTICLES_PER_FILE} lede reads from \
                 a file; split it (for JSON Lines: split -l {MAX_ARTICLES_PER_FILE})",
                read.articles.len()
            )),
            Ok(read) => Prepared::Read {
                articles: read
                    .articles
                    .into_iter()
                    .map(|article| {
                        let id = article_id(&article);
                        let held = self
                            .manifest
                            .read()
                            .unwrap_or_else(PoisonError::into_inner)
                            .article_file(&id);
                        if held.is_some_and(|k| k != key) {
                            Analysed {
                                id,
                                article,
                                analysis: None,
                            }
                        } else {
                            self.analyse(article)
                        }
                    })
                    .collect(),
                file: FileInfo {
                    key,
                    hash,
                    size,
                    mtime,
                    entity_version: self.entity_version,
                },
                warnings: read.warnings,
            },
            Err(err) => Prepared::Failed(err.to_string()),
        }
    }

    /// Splits an article into passages and finds its entities.
    fn analyse(&self, article: Article) -> Analysed {
        let id = article_id(&article);
        let analysis = analyse::analyse(&article, self.extractor, &self.options.aliases);
        Analysed {
            id,
            article,
            analysis: Some((analysis.layout, analysis.entities)),
        }
    }
}

/// One file of a folder run done: the caller shows it (a progress bar, a log).
#[derive(Debug, Clone, Copy)]
pub struct Progress<'a> {
    /// The file just done.
    pub path: &'a Path,
    /// Articles written a second since the run began.
    pub rate: f64,
}

/// Indexes a folder: new and changed files, and (with `purge`) removes the
/// articles of files below it that are gone.
pub fn index_folder(
    indexer: &mut Indexer<'_>,
    walk: &Walk,
    folder: &Path,
    purge: bool,
    progress: &mut dyn FnMut(Progress<'_>),
) -> Result<()> {
    // Files that are gone go first: an article moved to another file, or the
    // copy of one whose first file was deleted, is then written again, not
    // skipped as held by a file that no longer exists.
    if purge {
        let seen: HashSet<&str> = walk.keys.iter().map(String::as_str).collect();
        indexer.purge(folder, &seen, &walk.unreadable)?;
    }
    let started = Instant::now();
    let threads = indexer.options.threads;
    indexer.index_keyed(&walk.files, Some(&walk.keys), threads, |path, indexer| {
        let rate = indexer.articles_written() as f64 / started.elapsed().as_secs_f64().max(1e-3);
        progress(Progress { path, rate });
    })?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    struct NoEntities;

    impl EntityExtractor for NoEntities {
        fn extract(&self, _text: &str) -> Vec<crate::ner::Entity> {
            Vec::new()
        }
    }

    #[test]
    fn readers_wait_only_when_too_far_ahead_and_never_for_the_next_file() {
        let mut w = Window::default();
        assert!(!w.full(0));
        assert!(!w.full(AHEAD_FILES - 1));
        assert!(w.full(AHEAD_FILES));
        w.bytes = AHEAD_BYTES;
        assert!(w.full(1));
        assert!(!w.full(0), "the next file is read however many bytes wait");
        w.written = 10;
        w.bytes = 0;
        assert!(!w.full(10 + AHEAD_FILES - 1));
        assert!(w.full(10 + AHEAD_FILES));
    }

    #[test]
    fn indexing_more_files_than_the_read_ahead_window_keeps_each_in_order() {
        // More files than the window holds, with two reading threads: each is
        // written once, in order, whatever the threads' pace.
        let dir = tempfile::tempdir().expect("a temporary folder");
        let articles = dir.path().join("articles");
        std::fs::create_dir(&articles).expect("a folder");
        let n = AHEAD_FILES + 40;
        let mut paths = Vec::new();
        for i in 0..n {
            let path = articles.join(format!("{i:04}.txt"));
            std::fs::write(
                &path,
                format!("Title {i}\n\nParagraph number {i} of the set.\n"),
            )
            .expect("write");
            paths.push(path);
        }
        let store = Store::open_or_create(&dir.path().join("index")).expect("an index");
        let mut report = |p: Problem| panic!("unexpected problem: {p}");
        let mut indexer =
            Indexer::new(&store, Options::default(), &NoEntities, &mut report).expect("an indexer");
        let mut order = Vec::new();
        indexer
            .index_files(&paths, 2, |path, _| order.push(path.to_path_buf()))
            .expect("indexed");
        assert_eq!(order, paths);
        let summary = indexer.finish().expect("finished");
        assert_eq!(summary.articles, n as u64);
    }

    #[test]
    fn only_a_whole_manifest_lists_files_to_purge_or_remove() {
        let dir = tempfile::tempdir().expect("a temporary folder");
        let articles = dir.path().join("articles");
        std::fs::create_dir(&articles).expect("a folder");
        std::fs::write(articles.join("a.txt"), "Title\n\nOne paragraph of text.\n").expect("write");
        let store = Store::open_or_create(&dir.path().join("index")).expect("an index");
        let mut report = |_: Problem| {};
        let options = Options {
            whole_manifest: false,
            ..Options::default()
        };
        let mut indexer =
            Indexer::new(&store, options, &NoEntities, &mut report).expect("an indexer");
        indexer
            .index_file(&articles.join("a.txt"))
            .expect("indexed");
        let seen = HashSet::new();
        assert!(indexer.purge(&articles, &seen, &[]).is_err());
        assert!(indexer.remove(articles.as_os_str()).is_err());
        let summary = indexer.finish().expect("committed");
        assert_eq!((summary.added, summary.removed), (1, 0));
        // A whole manifest purges the file that is gone.
        std::fs::remove_file(articles.join("a.txt")).expect("remove");
        let mut report = |_: Problem| {};
        let mut indexer =
            Indexer::new(&store, Options::default(), &NoEntities, &mut report).expect("an indexer");
        indexer.purge(&articles, &seen, &[]).expect("purged");
        assert_eq!(indexer.finish().expect("committed").articles, 0);
    }

    #[test]
    fn millis_counts_from_the_epoch() {
        assert_eq!(
            millis(SystemTime::UNIX_EPOCH + Duration::from_millis(1500)),
            1500
        );
        assert_eq!(
            millis(SystemTime::UNIX_EPOCH - Duration::from_millis(20)),
            -20
        );
    }
}
