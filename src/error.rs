//! The library's error type.

use std::path::PathBuf;

/// What can stop a whole command (a single bad file never does).
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("no index at {path}; run `lede index <FOLDER>` first, or pass --index PATH")]
    NoIndex { path: PathBuf },
    #[error(
        "{path} holds an index lede cannot read (made by another version?); \
         delete it and run `lede index <FOLDER>` again"
    )]
    IncompatibleIndex { path: PathBuf },
    #[error(
        "another lede process is writing to the index at {path} (it holds {path}/.tantivy-writer.lock); \
         wait for it to finish, or run again with --wait"
    )]
    Locked { path: PathBuf },
    #[error(
        "{path}: permission denied; give your user access to the index \
         (`chmod -R u+rwX` on its folder), or pass --index PATH"
    )]
    NoAccess { path: PathBuf },
    #[error(
        "{path} holds a damaged index ({reason}); delete it and run `lede index <FOLDER>` again"
    )]
    Damaged { path: PathBuf, reason: String },
    #[error(
        "cannot write it: {reason}; free some disk space and run again \
         (what was committed is kept)"
    )]
    WriteFailed { reason: String },
    #[error(
        "{path}: no such folder; give the folder of articles to index, e.g. `lede index corpus`"
    )]
    NotAFolder { path: PathBuf },
    #[error(
        "{path}: a file, not a folder; add one article with `lede add {path}`, \
         or index its folder with `lede index <FOLDER>`"
    )]
    FileNotFolder { path: PathBuf },
    #[error(
        "{path} is a file, not an index folder; pass --index with a folder \
         (lede creates it), e.g. --index index"
    )]
    IndexIsAFile { path: PathBuf },
    #[error("{path}: no articles could be read ({reason})")]
    NothingRead { path: PathBuf, reason: String },
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{0}")]
    BadArgument(String),
    #[error("cannot start the reading threads: {0}")]
    Threads(String),
    #[error("reading the index: {0}")]
    IndexIo(std::io::Error),
    #[error("{addr}: cannot listen there ({source}); give another with --addr HOST:PORT")]
    Listen {
        addr: String,
        #[source]
        source: std::io::Error,
    },
    #[error(transparent)]
    Tantivy(#[from] tantivy::TantivyError),
}

/// The library's result type.
pub type Result<T, E = Error> = std::result::Result<T, E>;
