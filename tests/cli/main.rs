//! Runs the real `lede` binary in temporary folders.

mod env;
mod formats;
mod incremental;
mod relevance;
mod search;
