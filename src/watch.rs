//! Watching a folder: file system events gathered into batches, each of which
//! asks for one indexing pass; no indexing here.
//!
//! Events come from the `notify` crate. A batch ends when the folder has been
//! quiet for the debounce time, or when changes have kept coming for
//! [`MAX_BATCH_DELAY`], so a file being written for a long time is still
//! indexed every couple of seconds (and again once it is complete). Events
//! that cannot change the index are dropped: reads, hidden files (editors'
//! swap and lock files), files of formats lede does not read (`~` backups,
//! `.tmp` files) and anything inside the index folder.

use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, RecvTimeoutError, channel};
use std::time::{Duration, Instant};

use notify::{Event, EventKind, RecommendedWatcher, RecursiveMode, Watcher};

use crate::article::Format;

/// The longest a batch waits for the folder to become quiet.
pub const MAX_BATCH_DELAY: Duration = Duration::from_millis(1500);

/// What the next batch asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Batch {
    /// Files changed: these paths (for the record; a pass reads the whole folder).
    Changed(Vec<PathBuf>),
    /// Events were lost (the kernel's queue overflowed), or the watch failed:
    /// only a pass over the whole folder tells what changed.
    Rescan(String),
    /// The periodic pass of a folder that could not be watched.
    Periodic,
}

/// Batches of changes below one folder.
pub struct Changes {
    source: Source,
    root: PathBuf,
    exclude: Option<PathBuf>,
    debounce: Duration,
    rescan: Duration,
    /// Events were lost or the watch failed once: passes come every
    /// `rescan` as well, since part of the folder may be unwatched.
    degraded: bool,
}

enum Source {
    Events {
        events: Receiver<notify::Result<Event>>,
        // Dropping the watcher stops the events.
        _watcher: RecommendedWatcher,
    },
    /// No watch: a pass every so often.
    Every(Duration),
}

impl Changes {
    /// Watches `dir` and everything below it, leaving out `exclude` (the index
    /// folder when it lies inside). When the folder cannot be watched (the
    /// system's limit of watches is reached, say), the error is returned
    /// with a [`Changes`] that asks for a pass every `rescan`.
    pub fn watch(
        dir: &Path,
        exclude: Option<&Path>,
        debounce: Duration,
        rescan: Duration,
    ) -> (Changes, Option<notify::Error>) {
        let (root, exclude) = resolved(dir, exclude);
        let (send, events) = channel();
        let watched = notify::recommended_watcher(move |event| {
            // The receiver is gone only when lede stops.
            let _ = send.send(event);
        })
        .and_then(|mut watcher| {
            watcher.watch(&root, RecursiveMode::Recursive)?;
            Ok(watcher)
        });
        let (source, error) = match watched {
            Ok(watcher) => (
                Source::Events {
                    events,
                    _watcher: watcher,
                },
                None,
            ),
            Err(err) => (Source::Every(rescan), Some(err)),
        };
        (
            Changes {
                source,
                root,
                exclude,
                debounce,
                rescan,
                degraded: false,
            },
            error,
        )
    }

    /// Asks for a pass every `period`, without watching for events.
    pub fn poll(dir: &Path, exclude: Option<&Path>, period: Duration) -> Changes {
        let (root, exclude) = resolved(dir, exclude);
        Changes {
            source: Source::Every(period),
            root,
            exclude,
            debounce: period,
            rescan: period,
            degraded: false,
        }
    }

    /// Waits for the next batch; `None` once no more events can come.
    pub fn next_batch(&mut self) -> Option<Batch> {
        let events = match &self.source {
            Source::Every(period) => {
                std::thread::sleep(*period);
                return Some(Batch::Periodic);
            }
            Source::Events { events, .. } => events,
        };
        let mut paths: Vec<PathBuf> = Vec::new();
        let mut started: Option<Instant> = None;
        loop {
            let event = match started {
                None if self.degraded => match events.recv_timeout(self.rescan) {
                    Ok(event) => event,
                    Err(RecvTimeoutError::Timeout) => return Some(Batch::Periodic),
                    Err(RecvTimeoutError::Disconnected) => return None,
                },
                None => events.recv().ok()?,
                Some(start) => {
                    let left = MAX_BATCH_DELAY.saturating_sub(start.elapsed());
                    if left.is_zero() {
                        break;
                    }
                    match events.recv_timeout(self.debounce.min(left)) {
                        Ok(event) => event,
                        Err(RecvTimeoutError::Timeout) => break,
                        Err(RecvTimeoutError::Disconnected) => break,
                    }
                }
            };
            match event {
                Err(err) => {
                    self.degraded = true;
                    return Some(Batch::Rescan(err.to_string()));
                }
                Ok(event) if event.need_rescan() => {
                    self.degraded = true;
                    return Some(Batch::Rescan(
                        "the system dropped file events (too many at once)".into(),
                    ));
                }
                Ok(event) => {
                    let relevant: Vec<PathBuf> = event
                        .paths
                        .into_iter()
                        .filter(|p| self.counts(&event.kind, p))
                        .collect();
                    if !relevant.is_empty() {
                        started.get_or_insert_with(Instant::now);
                        paths.extend(relevant);
                    }
                }
            }
        }
        paths.sort();
        paths.dedup();
        Some(Batch::Changed(paths))
    }

    /// Whether an event of `kind` on `path` can change the index.
    fn counts(&self, kind: &EventKind, path: &Path) -> bool {
        counts(kind, path, &self.root, self.exclude.as_deref())
    }
}

fn resolved(dir: &Path, exclude: Option<&Path>) -> (PathBuf, Option<PathBuf>) {
    let resolve = |p: &Path| std::fs::canonicalize(p).unwrap_or_else(|_| p.to_path_buf());
    (resolve(dir), exclude.map(resolve))
}

/// Whether an event of `kind` on `path` (below `root`) can change the index.
fn counts(kind: &EventKind, path: &Path, root: &Path, exclude: Option<&Path>) -> bool {
    if matches!(kind, EventKind::Access(_)) {
        return false;
    }
    if exclude.is_some_and(|e| path.starts_with(e)) {
        return false;
    }
    let below = path.strip_prefix(root).unwrap_or(path);
    let hidden = below
        .components()
        .any(|c| c.as_os_str().to_str().is_some_and(|s| s.starts_with('.')));
    if hidden {
        return false;
    }
    // A path that is gone may have been a folder: its files go too.
    Format::from_path(path).is_some() || !path.is_file()
}

#[cfg(test)]
mod tests {
    use super::*;
    use notify::event::{AccessKind, CreateKind, ModifyKind, RemoveKind};

    fn counted(kind: EventKind, path: &str) -> bool {
        counts(
            &kind,
            Path::new(path),
            Path::new("/news"),
            Some(Path::new("/news/index")),
        )
    }

    #[test]
    fn articles_created_changed_or_removed_count() {
        assert!(counted(
            EventKind::Create(CreateKind::File),
            "/news/2024/a.txt"
        ));
        assert!(counted(EventKind::Modify(ModifyKind::Any), "/news/b.html"));
        assert!(counted(EventKind::Remove(RemoveKind::Folder), "/news/2023"));
    }

    #[test]
    fn reads_hidden_files_other_formats_and_the_index_do_not_count() {
        assert!(!counted(EventKind::Access(AccessKind::Any), "/news/a.txt"));
        assert!(!counted(
            EventKind::Create(CreateKind::File),
            "/news/.a.txt.swp"
        ));
        assert!(!counted(
            EventKind::Modify(ModifyKind::Any),
            "/news/.git/a.txt"
        ));
        assert!(!counted(
            EventKind::Modify(ModifyKind::Any),
            "/news/index/meta.json"
        ));
    }

    #[test]
    fn an_editor_backup_that_exists_does_not_count() {
        let dir = tempfile::tempdir().expect("temp dir");
        let backup = dir.path().join("a.txt~");
        std::fs::write(&backup, "old text").expect("write");
        assert!(!counts(
            &EventKind::Create(CreateKind::File),
            &backup,
            dir.path(),
            None
        ));
    }

    #[test]
    fn a_batch_gathers_the_changes_of_one_burst() {
        let dir = tempfile::tempdir().expect("temp dir");
        let (mut changes, error) = Changes::watch(
            dir.path(),
            None,
            Duration::from_millis(200),
            Duration::from_secs(60),
        );
        if let Some(err) = error {
            eprintln!("skipped: the folder cannot be watched here ({err})");
            return;
        }
        std::fs::write(dir.path().join("a.txt"), "A first article.").expect("write");
        std::fs::write(dir.path().join("b.md"), "# B\n\nA second.").expect("write");
        std::fs::write(dir.path().join(".c.txt.swp"), "swap").expect("write");
        let Some(Batch::Changed(paths)) = changes.next_batch() else {
            panic!("expected a batch of changes");
        };
        let names: Vec<String> = paths
            .iter()
            .filter_map(|p| p.file_name()?.to_str().map(String::from))
            .collect();
        assert!(names.contains(&"a.txt".to_string()), "{names:?}");
        assert!(!names.iter().any(|n| n.ends_with(".swp")), "{names:?}");
    }
}
