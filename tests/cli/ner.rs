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
    // "ISIS" is another name of the Islamic State, which ISIS-K is not.
    let islamic_state = find("organization", "Islamic State").expect("found above");
    assert!(
        islamic_state["aliases"]
            .as_array()
            .is_some_and(|a| a.iter().any(|x| x == "ISIS")),
        "{islamic_state}"
    );
    assert!(rows.iter().all(|r| r["name"] != "ISIS"), "{out}");
    // Places resolve to their GeoNames entry; "US" is the United States.
    let kabul = find("place", "Kabul").expect("found above");
    assert_eq!(kabul["geo"]["country"], "AF", "{kabul}");
    assert_eq!(kabul["geo"]["geonames_id"], 1138958);
    let lat = kabul["geo"]["lat"].as_f64().expect("latitude");
    assert!((34.0..35.0).contains(&lat), "{kabul}");
    let us = find("place", "United States").expect("the United States");
    assert_eq!(us["geo"]["country"], "US");
    assert!(rows.iter().all(|r| r["name"] != "US"), "{out}");
    for starter in [
        "Heavily",
        "Why",
        "Yesterday",
        "Four",
        "Although",
        "According",
        // Faiths and their followers are not entities.
        "Christians",
        "Muslims",
        "Islam",
    ] {
        assert!(
            rows.iter().all(|r| r["name"] != starter),
            "{starter} in {out}"
        );
    }
}

#[test]
fn the_alias_file_merges_renames_and_drops_at_the_next_index_run() {
    let env = TestEnv::with_corpus();
    env.cmd(["index", "corpus", "-q"]).assert().success();
    let names = |env: &TestEnv| -> Vec<(String, String)> {
        json_lines(stdout(env, &["entities", "--json", "-n", "0"]).as_bytes())
            .iter()
            .map(|r| {
                (
                    r["type"].as_str().unwrap_or("").to_string(),
                    r["name"].as_str().unwrap_or("").to_string(),
                )
            })
            .collect()
    };
    let before = names(&env);
    assert!(before.contains(&("organization".into(), "Telegram".into())));
    env.write(
        "index/aliases.txt",
        b"# our house style\n\
          org: Islamic State Khorasan Province = ISIS-K\n\
          person: Vladimir Putin = Putin\n\
          drop: Telegram\n",
    );
    let summary = env.index("corpus");
    assert_eq!(summary["updated"], 1, "{summary}");
    let after = names(&env);
    assert!(after.contains(&(
        "organization".into(),
        "Islamic State Khorasan Province".into()
    )));
    assert!(after.contains(&("person".into(), "Vladimir Putin".into())));
    for gone in ["Telegram", "ISIS-K", "Putin"] {
        assert!(after.iter().all(|(_, n)| n != gone), "{gone} in {after:?}");
    }
    // The old names are aliases, and filters find them.
    let hits = env.search_json(&["embassy", "--org", "ISKP"]);
    assert!(!hits.is_empty());
    let hits = env.search_json(&["putin", "--person", "Putin"]);
    assert!(!hits.is_empty());
    // The same rules again: nothing to read.
    let summary = env.index("corpus");
    assert_eq!(summary["unchanged"], 1, "{summary}");
    // A bad rule names the file and line, and the index is kept.
    env.write("index/aliases.txt", b"Kyiv = Kiev\nthing: A = B\n");
    env.cmd(["index", "corpus", "-q"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("aliases.txt:2: unknown type"));
    assert_eq!(names(&env), after);
}
