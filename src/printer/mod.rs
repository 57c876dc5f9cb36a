//! Turns search results, entity counts and run summaries into bytes; the only code that writes results.

mod csv;
mod json;
mod text;

pub use self::csv::print_hits_csv;
pub use json::{print_entities_json, print_hits_json, print_json, print_summary_json};
pub use text::{print_entities, print_hits, print_stats, print_summary, print_timeline};
