//! The statistical tagger's commands: `lede ner eval` and `lede ner tag`.

use serde_json::Value;

use crate::env::*;

fn stdout(env: &TestEnv, args: &[&str]) -> String {
    let out = env.cmd(args).assert().success().get_output().stdout.clone();
    String::from_utf8(out).expect("utf-8 output")
}

#[test]
fn the_committed_model_tags_the_golden_file_the_same_way_every_time() {
    let env = TestEnv::new();
    let tokens = repo().join("tests/fixtures/ner/tokens.conll");
    let tokens = tokens.to_str().expect("utf-8 path");
    let first = stdout(&env, &["ner", "tag", "--format", "conll", tokens]);
    let second = stdout(&env, &["ner", "tag", "--format", "conll", tokens]);
    assert_eq!(first, second);
    let input = std::fs::read_to_string(tokens).expect("read tokens");
    assert_eq!(first.lines().count(), input.lines().count());
    assert_eq!(first.lines().filter(|l| *l == "-DOCSTART-").count(), 2);
    insta::assert_snapshot!(first);
}

#[test]
fn eval_prints_precision_recall_and_f1_per_type() {
    let env = TestEnv::new();
    let gold = repo().join("tests/fixtures/ner/gold.conll");
    let out = stdout(&env, &["ner", "eval", gold.to_str().expect("utf-8 path")]);
    for row in ["PER ", "ORG ", "LOC ", "PER+ORG+LOC", "overall"] {
        assert!(out.lines().any(|l| l.starts_with(row)), "{row} in {out}");
    }
    let overall: f64 = out
        .lines()
        .find(|l| l.starts_with("overall"))
        .and_then(|l| l.split_whitespace().nth(3))
        .and_then(|f| f.parse().ok())
        .expect("an overall F1");
    assert!(overall >= 80.0, "{out}");
}

#[test]
fn tag_finds_the_entities_of_an_article() {
    let env = TestEnv::new();
    let seed = repo().join("corpus").join(SEED);
    let out = stdout(
        &env,
        &["ner", "tag", "--json", seed.to_str().expect("utf-8 path")],
    );
    let entities: Vec<Value> = json_lines(out.as_bytes());
    let has = |kind: &str, text: &str| {
        entities
            .iter()
            .any(|e| e["type"] == kind && e["text"] == text)
    };
    assert!(has("person", "Bibi van Ginkel"), "{out}");
    assert!(has("place", "Kabul"), "{out}");
    assert!(
        entities.iter().all(
            |e| ["person", "organization", "place"].contains(&e["type"].as_str().unwrap_or(""))
        )
    );
    let plain = env
        .cmd(["ner", "tag"])
        .write_stdin("Mayor Anne Hidalgo of Paris met Olaf Scholz in Berlin.")
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let plain = String::from_utf8_lossy(&plain);
    assert!(plain.contains("\tplace\tBerlin"), "{plain}");
}

#[test]
fn the_seed_yields_its_key_entities_and_no_sentence_starters() {
    let env = TestEnv::with_corpus();
    env.cmd(["index", "corpus", "-q"]).assert().success();
    let out = stdout(&env, &["entities", "--json", "-n", "0"]);
    let rows = json_lines(out.as_bytes());
    let find =
        |kind: &str, name: &str| rows.iter().find(|r| r["type"] == kind && r["name"] == name);
    for (kind, name) in [
        ("person", "Hubert Smeets"),
        ("person", "Bibi van Ginkel"),
        ("person", "Putin"),
        ("organization", "Taliban"),
        ("organization", "ISIS-K"),
        ("organization", "Islamic State"),
        ("organization", "FSB"),
        ("place", "Kabul"),
        ("place", "Tajikistan"),
        ("place", "Moscow"),
    ] {
        assert!(
            find(kind, name).is_some(),
            "{kind} {name} missing from {out}"
        );
    }
    let van_ginkel = find("person", "Bibi van Ginkel").expect("found above");
    assert!(
        van_ginkel["aliases"]
            .as_array()
            .is_some_and(|a| a.iter().any(|x| x == "Van Ginkel"))
    );
    let isis_k = find("organization", "ISIS-K").expect("found above");
    assert!(
        isis_k["aliases"]
            .as_array()
            .is_some_and(|a| a.iter().any(|x| x == "ISKP"))
    );
    for starter in [
        "Heavily",
        "Why",
        "Yesterday",
        "Four",
        "Although",
        "According",
    ] {
        assert!(
            rows.iter().all(|r| r["name"] != starter),
            "{starter} in {out}"
        );
    }
}
