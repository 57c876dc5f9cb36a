//! In-process query latency over a file of queries: open the index once, run
//! every query (as `lede search` would, 10 passages each) and print the
//! latency percentiles as JSON.
//!
//! ```text
//! cargo run --release --example query_latency -- --index DIR --queries FILE [--rounds N]
//! ```
//!
//! Prints `{"queries":200,"rounds":3,"hits":..,"p50_ms":..,"p90_ms":..,"p99_ms":..,"mean_ms":..,"max_ms":..}`.
//! The first round warms the operating system's page cache and is not counted
//! when more than one round is run.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use lede::index::Store;
use lede::search::{self, Request};

fn usage() -> ExitCode {
    eprintln!("usage: query_latency --index DIR --queries FILE [--rounds N]");
    ExitCode::from(2)
}

fn main() -> ExitCode {
    let mut index = None;
    let mut queries = None;
    let mut rounds = 3usize;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--index" => index = args.next().map(PathBuf::from),
            "--queries" => queries = args.next().map(PathBuf::from),
            "--rounds" => match args.next().and_then(|n| n.parse().ok()) {
                Some(n) if n > 0 => rounds = n,
                _ => return usage(),
            },
            _ => return usage(),
        }
    }
    let (Some(index), Some(queries)) = (index, queries) else {
        return usage();
    };
    let text = match std::fs::read_to_string(&queries) {
        Ok(text) => text,
        Err(e) => {
            eprintln!("{}: {e}", queries.display());
            return ExitCode::from(2);
        }
    };
    let lines: Vec<&str> = text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect();
    let store = match Store::open(&index) {
        Ok(store) => store,
        Err(e) => {
            eprintln!("{}: {e}", index.display());
            return ExitCode::from(2);
        }
    };
    let searcher = match store.reader() {
        Ok(reader) => reader.searcher(),
        Err(e) => {
            eprintln!("{}: {e}", index.display());
            return ExitCode::from(2);
        }
    };
    let mut request = Request::new("", 10);
    let mut times = Vec::with_capacity(lines.len() * rounds);
    let mut hits = 0usize;
    for round in 0..rounds {
        for line in &lines {
            request.query = (*line).to_string();
            let started = Instant::now();
            let outcome = search::run(&store, &searcher, &request);
            let elapsed = started.elapsed().as_secs_f64() * 1000.0;
            match outcome {
                Ok(outcome) if round == rounds - 1 => hits += outcome.hits.len(),
                Ok(_) => {}
                Err(e) => {
                    eprintln!("{line}: {e}");
                    return ExitCode::from(2);
                }
            }
            if round > 0 || rounds == 1 {
                times.push(elapsed);
            }
        }
    }
    times.sort_by(f64::total_cmp);
    let at = |q: f64| {
        let i = ((times.len() as f64 - 1.0) * q).round() as usize;
        times.get(i).copied().unwrap_or(0.0)
    };
    let mean = times.iter().sum::<f64>() / times.len().max(1) as f64;
    println!(
        "{}",
        serde_json::json!({
            "queries": lines.len(),
            "rounds": rounds,
            "hits": hits,
            "p50_ms": (at(0.5) * 1000.0).round() / 1000.0,
            "p90_ms": (at(0.9) * 1000.0).round() / 1000.0,
            "p99_ms": (at(0.99) * 1000.0).round() / 1000.0,
            "mean_ms": (mean * 1000.0).round() / 1000.0,
            "max_ms": (at(1.0) * 1000.0).round() / 1000.0,
        })
    );
    ExitCode::SUCCESS
}
