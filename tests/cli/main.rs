//! Runs the real `lede` binary in temporary folders.

mod env;
mod formats;
mod hostile;
mod incremental;
mod names;
mod ner;
mod query;
mod relevance;
mod search;
