//! Searching the seed article: ranking, filters, output forms and exit codes.

use crate::env::*;

#[test]
fn indexing_the_seed_gives_one_article_with_source_title_and_headings() {
    let env = TestEnv::with_corpus();
    let summary = env.index("corpus");
    assert_eq!(summary["added"], 1);
    assert_eq!(summary["failed"], 0);
    assert_eq!(summary["articles"], 1);
    assert!(summary["passages"].as_u64().expect("a count") > 5);
    let mut hits = env.search_json(&["*", "-n", "1000", "--per-article", "0"]);
    hits.sort_by_key(|h| h["passage"]["index"].as_u64());
    assert_eq!(
        hits.len() as u64,
        summary["passages"].as_u64().expect("a count")
    );
    let article = &hits[0]["article"];
    assert_eq!(article["source"], "NOS News");
    assert_eq!(
        article["title"],
        "Why would IS attack Moscow? Four questions and answers"
    );
    assert_eq!(article["path"], format!("corpus/{SEED}"));
    assert_eq!(article["published"], "2024-03-22T18:54:00+00:00");
    assert_eq!(article["language"], "en");
    let mut headings: Vec<&str> = hits
        .iter()
        .filter_map(|h| h["passage"]["heading"].as_str())
        .collect();
    headings.dedup();
    assert_eq!(
        headings.len(),
        4,
        "four section headings in order, got {headings:?}"
    );
    assert_eq!(headings[1], "What is ISIS-K?");
}

#[test]
fn search_isis_k_ranks_the_what_is_isis_k_section_first() {
    let env = indexed_corpus();
    let hits = env.search_json(&["ISIS-K"]);
    assert_eq!(hits[0]["passage"]["heading"], "What is ISIS-K?");
    let text = hits[0]["passage"]["text"].as_str().expect("text");
    let highlights = hits[0]["passage"]["highlights"]
        .as_array()
        .expect("highlights");
    assert!(!highlights.is_empty());
    for range in highlights {
        let (start, end) = (
            range[0].as_u64().expect("start") as usize,
            range[1].as_u64().expect("end") as usize,
        );
        let word = text[start..end].to_lowercase();
        assert!(word == "isis" || word == "k", "highlighted {word:?}");
    }
}

#[test]
fn embassy_passage_comes_first_with_place_filter_and_place_field() {
    let env = indexed_corpus();
    for args in [
        vec!["embassy", "--place", "Kabul"],
        vec!["embassy", "--place", "KABUL"],
        vec!["place:kabul"],
    ] {
        let hits = env.search_json(&args);
        let text = hits[0]["passage"]["text"].as_str().expect("text");
        assert!(text.contains("Russian embassy"), "{args:?} gave {text}");
        let places = hits[0]["entities"]["place"].as_array().expect("places");
        assert!(places.iter().any(|p| p == "Kabul"), "{places:?}");
    }
}

#[test]
fn place_filter_drops_articles_that_do_not_mention_the_place() {
    let env = indexed_corpus();
    env.cmd(["search", "embassy", "--place", "Lisbon"])
        .assert()
        .code(1)
        .stdout("");
}

#[test]
fn json_hits_have_the_documented_fields() {
    let env = TestEnv::with_corpus();
    env.index("corpus");
    let hits = env.search_json(&["Taliban", "-n", "3"]);
    assert_eq!(hits.len(), 3);
    for (i, hit) in hits.iter().enumerate() {
        assert_eq!(hit["rank"], i + 1);
        assert!(hit["score"].as_f64().is_some());
        for key in ["id", "path", "title", "source", "published", "language"] {
            assert!(hit["article"].get(key).is_some(), "article.{key}");
        }
        for key in ["index", "heading", "text", "highlights"] {
            assert!(hit["passage"].get(key).is_some(), "passage.{key}");
        }
        for key in ["person", "organization", "place"] {
            assert!(hit["entities"][key].is_array(), "entities.{key}");
        }
    }
    let scores: Vec<f64> = hits.iter().filter_map(|h| h["score"].as_f64()).collect();
    assert!(scores.windows(2).all(|w| w[0] >= w[1]), "{scores:?}");
}

#[test]
fn text_output_shows_title_meta_heading_and_passage() {
    let env = indexed_corpus();
    let out = stdout_of(&mut env.cmd(["search", "ISIS-K", "-n", "1", "--color", "never"]));
    insta::assert_snapshot!(out);
}

#[test]
fn color_always_highlights_query_terms() {
    let env = indexed_corpus();
    let out = stdout_of(&mut env.cmd(["search", "embassy", "-n", "1", "--color", "always"]));
    assert!(out.contains("\x1b[1m\x1b[31membassy\x1b[0m"), "{out}");
    let plain = stdout_of(
        env.cmd(["search", "embassy", "-n", "1"])
            .env("NO_COLOR", "1"),
    );
    assert!(!plain.contains('\x1b'));
}

#[test]
fn entities_lists_types_with_article_and_passage_counts() {
    let env = indexed_corpus();
    let out = stdout_of(&mut env.cmd(["entities", "--json", "-n", "0"]));
    let rows = json_lines(out.as_bytes());
    assert!(!rows.is_empty());
    for row in &rows {
        let kind = row["type"].as_str().expect("type");
        assert!(
            ["person", "organization", "place"].contains(&kind),
            "{kind}"
        );
        assert_eq!(row["articles"], 1);
        assert!(row["passages"].as_u64().is_some());
        assert!(row["aliases"].is_array());
    }
    let places = stdout_of(&mut env.cmd(["entities", "--type", "place", "--json", "-n", "0"]));
    let places = json_lines(places.as_bytes());
    assert!(places.iter().all(|r| r["type"] == "place"));
    assert!(places.iter().any(|r| r["name"] == "Kabul"));
}

#[test]
fn missing_index_says_to_run_lede_index() {
    let env = TestEnv::new();
    env.cmd(["search", "moscow", "--index", "nowhere"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("run `lede index"));
    env.cmd(["entities"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("no index at index"));
}

#[test]
fn no_hits_exit_with_one() {
    let env = indexed_corpus();
    env.cmd(["search", "zyxwvut"]).assert().code(1).stdout("");
}

#[test]
fn lede_index_environment_variable_sets_the_index() {
    let env = TestEnv::with_corpus();
    env.cmd(["index", "corpus", "--quiet"])
        .env("LEDE_INDEX", "elsewhere")
        .assert()
        .success();
    assert!(env.path("elsewhere/meta.json").is_file());
    env.cmd(["search", "Moscow"])
        .env("LEDE_INDEX", "elsewhere")
        .assert()
        .success();
}

#[test]
fn reindexing_the_same_folder_does_not_duplicate_passages() {
    let env = TestEnv::with_corpus();
    let first = env.index("corpus");
    let second = env.index("corpus");
    assert_eq!(first["passages"], second["passages"]);
    assert_eq!(second["articles"], 1);
}

#[test]
fn hidden_files_are_skipped() {
    let env = TestEnv::with_corpus();
    env.write("corpus/.hidden.txt", b"Hidden title\n\nHidden body text.");
    env.write("corpus/.git/notes.txt", b"Notes\n\nSome notes.");
    let summary = env.index("corpus");
    assert_eq!(summary["articles"], 1);
}

#[test]
fn missing_folder_is_an_error_that_names_it() {
    let env = TestEnv::new();
    env.cmd(["index", "no-such-folder"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("no-such-folder: no such folder"));
}

#[test]
fn the_readme_example_hit_is_what_the_quickstart_prints() {
    // The corpus file dated as the README's `touch -d` dates it.
    let env = TestEnv::with_corpus();
    env.index("corpus");
    let hit = first_hit(&env, "ISIS-K");
    let readme = std::fs::read_to_string(repo().join("README.md")).expect("README.md");
    let article = &hit["article"];
    for (key, value) in [
        ("id", &article["id"]),
        ("published", &article["published"]),
        ("date_text", &article["date_text"]),
    ] {
        let expected = format!("\"{key}\":{value}");
        assert!(readme.contains(&expected), "README.md lacks {expected}");
    }
}
