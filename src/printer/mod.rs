//! Turns search results, entity counts, run summaries and exported passages into bytes; the only code that writes results.

mod csv;
mod export;
mod json;
mod text;

pub use self::csv::print_hits_csv;
pub use export::{ELASTICSEARCH_MAPPING, QUICKWIT_MAPPING, write_elasticsearch, write_quickwit};
pub use json::{print_entities_json, print_hits_json, print_json, print_summary_json};
pub use text::{print_entities, print_hits, print_stats, print_summary, print_timeline};

use crate::search::Hit;

/// The hits of one query: a batch (`--queries`) prints one answer per query,
/// in the batch's order, so a query with no hits still shows.
#[derive(Debug, Clone, Copy)]
pub struct Answer<'a> {
    /// The query, in a batch; `None` for a single search.
    pub query: Option<&'a str>,
    pub hits: &'a [Hit],
}
