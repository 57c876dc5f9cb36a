//! Turns search results, entity counts and run summaries into bytes; the only code that writes results.

mod json;
mod text;

pub use json::{print_entities_json, print_hits_json, print_summary_json};
pub use text::{print_entities, print_hits, print_summary};
