//! lede: search a folder of news articles and get ranked passages with the
//! people, organizations and places in them.
//!
//! The pipeline: [`article`] reads files into articles, [`passage`] splits
//! them into passages, [`ner`] finds entities, [`entities`] groups them,
//! [`index`] writes and reads the tantivy index, [`search`] answers queries
//! with plain data, [`printer`] turns that data into output, and [`serve`]
//! answers it over HTTP.

pub(crate) mod aliases;
pub(crate) mod analyse;
pub mod app;
pub mod article;
pub mod cli;
pub(crate) mod entities;
pub mod error;
pub mod index;
pub mod ner;
pub mod passage;
pub(crate) mod printer;
pub(crate) mod progress;
pub mod search;
pub mod serve;
pub mod watch;

pub use error::{Error, Result};
