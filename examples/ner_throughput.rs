//! Times the default entity extractor over a folder of plain-text articles on one
//! thread: every article once with a new extractor, then once more with its word
//! cache warm.
//!
//! ```text
//! cargo run --release --example ner_throughput -- ../shared/data/bbc
//! ```

use std::hash::{Hash, Hasher};
use std::path::PathBuf;
use std::time::Instant;

use lede::article::{self, Format};
use lede::ner::{EntityExtractor, HybridExtractor};

fn main() -> anyhow::Result<()> {
    let dir = std::env::args()
        .nth(1)
        .map(PathBuf::from)
        .ok_or_else(|| anyhow::anyhow!("usage: ner_throughput DIR"))?;
    let mut texts = Vec::new();
    for entry in walkdir::WalkDir::new(&dir).sort_by_file_name() {
        let entry = entry?;
        let path = entry.path();
        if path.extension().is_none_or(|e| e != "txt") {
            continue;
        }
        let bytes = std::fs::read(path)?;
        if let Ok(read) = article::read_bytes(&bytes, Format::Text, path, None) {
            texts.extend(read.articles.iter().map(|a| lede::passage::split(a).text));
        }
    }
    let words: usize = texts.iter().map(|t| t.split_whitespace().count()).sum();
    let start = Instant::now();
    let hybrid = HybridExtractor::embedded();
    let loaded = start.elapsed();
    for round in ["cold", "warm"] {
        let start = Instant::now();
        let mut entities = 0;
        let mut digest = std::collections::hash_map::DefaultHasher::new();
        for t in &texts {
            let found = hybrid.extract(t);
            entities += found.len();
            for e in &found {
                (e.kind.as_str(), e.start, e.end, &e.canonical).hash(&mut digest);
            }
        }
        let secs = start.elapsed().as_secs_f64();
        println!(
            "{round}: {} texts, {words} words, {entities} entities (digest {:016x}) in {secs:.3} s ({:.0} words/s)",
            texts.len(),
            digest.finish(),
            words as f64 / secs
        );
    }
    println!("load: {:.1} ms", loaded.as_secs_f64() * 1000.0);
    Ok(())
}
