//! JSON Lines output: one hit or one entity a line, and the run summary as one object.

use std::io::{self, Write};

use serde::Serialize;

use super::Answer;
use crate::index::writer::Summary;
use crate::search::entities::EntityCount;

fn line<T: Serialize>(out: &mut dyn Write, value: &T) -> io::Result<()> {
    serde_json::to_writer(&mut *out, value)?;
    out.write_all(b"\n")
}

/// Any value as one JSON line (stats, or one row of a listing).
pub fn print_json<T: Serialize>(out: &mut dyn Write, values: &[T]) -> io::Result<()> {
    values.iter().try_for_each(|v| line(out, v))
}

/// A query of a batch that found nothing: `{"query": ..., "hits": 0}`.
#[derive(Serialize)]
struct NoHits<'a> {
    query: &'a str,
    hits: u64,
}

/// One hit a line; in a batch, a query with no hits gets a line of its own
/// (`{"query": ..., "hits": 0}`).
pub fn print_hits_json(out: &mut dyn Write, answers: &[Answer<'_>]) -> io::Result<()> {
    for answer in answers {
        match answer.query {
            Some(query) if answer.hits.is_empty() => line(out, &NoHits { query, hits: 0 })?,
            _ => answer.hits.iter().try_for_each(|hit| line(out, hit))?,
        }
    }
    Ok(())
}

/// One entity a line: `{"type", "name", "aliases", "articles", "passages"}`.
pub fn print_entities_json(out: &mut dyn Write, entities: &[EntityCount]) -> io::Result<()> {
    entities.iter().try_for_each(|e| line(out, e))
}

#[derive(Serialize)]
struct SummaryJson {
    added: u64,
    updated: u64,
    unchanged: u64,
    removed: u64,
    failed: u64,
    duplicates: u64,
    articles: u64,
    passages: u64,
    /// `null` when the run did not count them (`lede add`).
    entities: Option<u64>,
    seconds: f64,
}

/// The summary of an indexing run as one JSON object with exactly the documented keys.
pub fn print_summary_json(out: &mut dyn Write, s: &Summary) -> io::Result<()> {
    line(
        out,
        &SummaryJson {
            added: s.added,
            updated: s.updated,
            unchanged: s.unchanged,
            removed: s.removed,
            failed: s.failed,
            duplicates: s.duplicates,
            articles: s.articles,
            passages: s.passages,
            entities: s.entities,
            seconds: (s.seconds * 1000.0).round() / 1000.0,
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn summary_has_exactly_the_documented_keys() {
        let mut out = Vec::new();
        print_summary_json(&mut out, &Summary::default()).expect("write to a Vec");
        let value: serde_json::Value = serde_json::from_slice(&out).expect("valid JSON");
        let mut keys: Vec<&str> = value
            .as_object()
            .expect("an object")
            .keys()
            .map(String::as_str)
            .collect();
        keys.sort_unstable();
        assert_eq!(
            keys,
            [
                "added",
                "articles",
                "duplicates",
                "entities",
                "failed",
                "passages",
                "removed",
                "seconds",
                "unchanged",
                "updated"
            ]
        );
    }
}
