//! Runs the real `lede` binary in temporary folders.

mod env;
mod export;
mod faults;
mod formats;
mod habits;
mod hostile;
mod incremental;
mod names;
mod ner;
mod page;
mod query;
mod relevance;
mod search;
mod serve;
mod watch;
