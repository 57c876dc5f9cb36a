//! The relevance set in `tests/relevance/`: ranking must not fall below the figure in `docs/ranking.md`.

use serde_json::Value;

use crate::env::*;

/// MRR of the default ranking on the set, as recorded in docs/ranking.md.
const RECORDED_MRR: f64 = 0.932;
/// How far MRR may fall below the recorded figure before this test fails.
const TOLERANCE: f64 = 0.02;

struct Judged {
    query: String,
    relevant: Vec<(String, String)>,
}

fn judged() -> Vec<Judged> {
    let text = std::fs::read_to_string(repo().join("tests/relevance/queries.jsonl"))
        .expect("read queries.jsonl");
    text.lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let v: Value = serde_json::from_str(l).expect("a JSON query");
            Judged {
                query: v["query"].as_str().expect("query").to_string(),
                relevant: v["relevant"]
                    .as_array()
                    .expect("relevant")
                    .iter()
                    .map(|r| {
                        (
                            r["file"].as_str().expect("file").to_string(),
                            r["contains"].as_str().expect("contains").to_string(),
                        )
                    })
                    .collect(),
            }
        })
        .collect()
}

fn is_relevant(hit: &Value, judged: &Judged) -> bool {
    let path = hit["article"]["path"].as_str().unwrap_or("");
    let text = hit["passage"]["text"].as_str().unwrap_or("");
    judged
        .relevant
        .iter()
        .any(|(file, snippet)| path.ends_with(file.as_str()) && text.contains(snippet.as_str()))
}

#[test]
fn ranking_keeps_its_recorded_mrr_on_the_relevance_set() {
    let env = TestEnv::new();
    env.copy_folder(&repo().join("tests/relevance/articles"), "articles");
    env.cmd(["index", "articles", "-q"]).assert().success();
    let set = judged();
    assert!(set.len() >= 30, "{} queries", set.len());
    let lines: Vec<&str> = set.iter().map(|j| j.query.as_str()).collect();
    env.write("queries.txt", lines.join("\n").as_bytes());
    let out = env
        .cmd(["search", "--queries", "queries.txt", "--json", "-n", "10"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let hits = json_lines(&out);
    let mut total = 0.0;
    let mut misses = Vec::new();
    for judged in &set {
        let ranked: Vec<&Value> = hits
            .iter()
            .filter(|h| h["query"].as_str() == Some(judged.query.as_str()))
            .collect();
        match ranked.iter().position(|h| is_relevant(h, judged)) {
            Some(rank) => total += 1.0 / (rank + 1) as f64,
            None => misses.push(judged.query.clone()),
        }
    }
    let mrr = total / set.len() as f64;
    assert!(
        mrr >= RECORDED_MRR - TOLERANCE,
        "MRR {mrr:.3} is below the recorded {RECORDED_MRR} - {TOLERANCE}; no relevant hit for {misses:?}"
    );
}
