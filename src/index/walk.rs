//! Walking folders: the article files below a folder, and the keys files are known by.

use std::path::{Path, PathBuf};

use walkdir::WalkDir;

use crate::article::Format;
use crate::error::{Error, Result};

/// A file that could not be indexed, or part of one: shown as `path: reason`,
/// the one place per-file problems are formatted.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}: {reason}", path.display())]
pub struct Problem {
    pub path: PathBuf,
    pub reason: String,
    /// True when the whole file failed; false for a warning about part of it.
    pub failed: bool,
}

/// The files found below a folder.
#[derive(Debug, Default)]
pub struct Walk {
    /// Files of readable formats, in a stable order.
    pub files: Vec<PathBuf>,
    /// The key of each file (see [`file_key`]), in the same order.
    pub keys: Vec<String>,
    /// Folders that could not be read: nothing below them is purged.
    pub unreadable: Vec<PathBuf>,
}

/// The files of readable formats below `dir`, skipping hidden ones and
/// anything below `exclude` (an index kept inside the folder); walk errors go
/// to `report`.
pub fn walk(
    dir: &Path,
    follow: bool,
    exclude: Option<&Path>,
    report: &mut dyn FnMut(Problem),
) -> Result<Walk> {
    if dir.is_file() {
        return Err(Error::FileNotFolder {
            path: dir.to_path_buf(),
        });
    }
    if !dir.is_dir() {
        return Err(Error::NotAFolder {
            path: dir.to_path_buf(),
        });
    }
    // Without symbolic links followed, a file's key is the folder's resolved
    // path and the file's path below it: one system call for the folder, not
    // one per component of every file.
    let root = std::fs::canonicalize(dir).ok();
    let exclude = exclude.and_then(|e| std::fs::canonicalize(e).ok());
    let walker = WalkDir::new(dir)
        .follow_links(follow)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !is_hidden(e.file_name()));
    let mut found = Walk::default();
    for entry in walker {
        match entry {
            Ok(entry) => {
                if entry.file_type().is_file() && Format::from_path(entry.path()).is_some() {
                    let below = entry.path().strip_prefix(dir).ok();
                    let key = match (&root, below) {
                        (Some(root), Some(below)) if !follow => Some(path_key(&root.join(below))),
                        _ => file_key(entry.path()).ok(),
                    };
                    let Some(key) = key else {
                        continue;
                    };
                    if exclude
                        .as_ref()
                        .is_some_and(|e| Path::new(&key).starts_with(e))
                    {
                        continue;
                    }
                    found.files.push(entry.into_path());
                    found.keys.push(key);
                }
            }
            Err(err) => {
                let path = err.path().unwrap_or(dir).to_path_buf();
                let reason = match err.loop_ancestor() {
                    Some(ancestor) => format!("symlink loop back to {}", ancestor.display()),
                    None => err
                        .io_error()
                        .map(short_io_message)
                        .unwrap_or_else(|| err.to_string()),
                };
                found.unreadable.push(path.clone());
                report(Problem {
                    path,
                    reason,
                    failed: true,
                });
            }
        }
    }
    Ok(found)
}

fn is_hidden(name: &std::ffi::OsStr) -> bool {
    name.to_str().is_some_and(|s| s.starts_with('.'))
}

pub(crate) fn short_io_message(err: &std::io::Error) -> String {
    let message = err.to_string();
    match message.find(" (os error") {
        Some(cut) => message[..cut].to_lowercase(),
        None => message.to_lowercase(),
    }
}

/// The key a file is known by in the index: its absolute path, symlinks resolved.
pub fn file_key(path: &Path) -> std::io::Result<String> {
    let absolute = std::fs::canonicalize(path).or_else(|_| std::path::absolute(path))?;
    Ok(path_key(&absolute))
}

/// A path as text, losing nothing: a name that is not UTF-8 keeps each of its
/// other bytes as a NUL and two hex digits. No path holds a NUL, so two paths
/// never share a key, and a UTF-8 path is its own key.
fn path_key(path: &Path) -> String {
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStrExt;
        let bytes = path.as_os_str().as_bytes();
        if let Ok(text) = std::str::from_utf8(bytes) {
            return text.to_string();
        }
        let mut key = String::with_capacity(bytes.len() * 3);
        for chunk in bytes.utf8_chunks() {
            key.push_str(chunk.valid());
            for byte in chunk.invalid() {
                key.push_str(&format!("\0{byte:02x}"));
            }
        }
        key
    }
    #[cfg(not(unix))]
    {
        path.to_string_lossy().into_owned()
    }
}

/// Whether a file key lies below a folder key.
pub(crate) fn is_below(key: &str, folder: &str) -> bool {
    let sep = std::path::MAIN_SEPARATOR;
    let folder = folder.strip_suffix(sep).unwrap_or(folder);
    key.strip_prefix(folder)
        .is_some_and(|rest| rest.starts_with(sep))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn below_means_inside_the_folder() {
        let sep = std::path::MAIN_SEPARATOR;
        let folder = format!("{sep}news");
        assert!(is_below(&format!("{sep}news{sep}a.txt"), &folder));
        assert!(is_below(
            &format!("{sep}news{sep}x{sep}a.txt"),
            &format!("{folder}{sep}")
        ));
        assert!(!is_below(&format!("{sep}newsroom{sep}a.txt"), &folder));
        assert!(!is_below(&folder, &folder));
    }

    #[cfg(unix)]
    #[test]
    fn names_that_are_not_utf8_keep_distinct_keys() {
        use std::ffi::OsStr;
        use std::os::unix::ffi::OsStrExt;
        let e9 = path_key(Path::new(OsStr::from_bytes(b"/news/caf\xe9.txt")));
        let e8 = path_key(Path::new(OsStr::from_bytes(b"/news/caf\xe8.txt")));
        assert_ne!(e9, e8);
        assert_eq!(e9, "/news/caf\u{0}e9.txt");
        assert!(is_below(&e9, "/news"));
        assert_eq!(path_key(Path::new("/news/café.txt")), "/news/café.txt");
    }
}
