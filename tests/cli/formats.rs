//! Every article format, and bad files, end to end.

use serde_json::Value;

use crate::env::*;

#[test]
fn bad_files_are_reported_and_skipped_while_good_ones_are_indexed() {
    let env = fixtures_env();
    let assert = env.cmd(["index", "articles", "--json"]).assert().code(3);
    let output = assert.get_output();
    let stderr = String::from_utf8_lossy(&output.stderr);
    let sep = std::path::MAIN_SEPARATOR;
    for expected in [
        format!("articles{sep}empty.txt: empty file"),
        format!("articles{sep}binary.txt: binary file"),
        format!("articles{sep}articles.jsonl: line 2: "),
    ] {
        assert!(stderr.contains(&expected), "{expected:?} not in {stderr}");
    }
    let summary: Value = serde_json::from_slice(&output.stdout).expect("summary is JSON");
    assert_eq!(summary["failed"], 2);
    assert_eq!(summary["added"], 6, "files");
    assert_eq!(summary["articles"], 8);
}

#[test]
fn nothing_readable_is_a_failed_run() {
    let env = TestEnv::new();
    env.write("bad/empty.txt", b"");
    env.write("bad/binary.txt", b"\x00\x01\x02binary");
    env.cmd(["index", "bad"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("no articles could be read"));
    assert!(
        env.path("index/meta.json").is_file(),
        "the index exists, empty"
    );
}

#[test]
fn markdown_article_keeps_front_matter_and_sections() {
    let env = fixtures_env();
    env.cmd(["index", "articles", "-q"]).assert().code(3);
    let hit = first_hit(&env, "quay");
    let article = &hit["article"];
    assert_eq!(
        article["title"],
        "Rotterdam port approves new quay for wind turbine parts"
    );
    assert_eq!(article["source"], "Delta Courier");
    assert_eq!(article["published"], "2024-05-02T00:00:00+00:00");
    assert_eq!(article["url"], "https://news.example.org/rotterdam-quay");
    let mut headings: Vec<String> = env
        .search_json(&["*", "-n", "100", "--per-article", "0"])
        .iter()
        .filter(|h| h["article"]["id"] == article["id"])
        .filter_map(|h| h["passage"]["heading"].as_str().map(str::to_string))
        .collect();
    headings.sort();
    headings.dedup();
    assert_eq!(headings, ["The vote", "What comes next"]);
}

#[test]
fn html_article_has_meta_and_no_boilerplate() {
    let env = fixtures_env();
    env.cmd(["index", "articles", "-q"]).assert().code(3);
    let hit = first_hit(&env, "barrier");
    let article = &hit["article"];
    assert_eq!(
        article["title"],
        "Flood barrier in Hamburg passes first storm test"
    );
    assert_eq!(article["source"], "Harbour Herald");
    assert_eq!(article["published"], "2024-01-15T08:30:00+01:00");
    assert_eq!(
        article["url"],
        "https://herald.example.com/2024/01/hamburg-barrier"
    );
    for boilerplate in [
        "\"all rights reserved\"",
        "\"share on social media\"",
        "zoltan",
    ] {
        env.cmd(["search", boilerplate]).assert().code(1);
    }
}

#[test]
fn json_and_json_lines_give_one_article_per_object() {
    let env = fixtures_env();
    env.cmd(["index", "articles", "-q"]).assert().code(3);
    let garage = first_hit(&env, "bicycle garage");
    assert_eq!(garage["article"]["source"], "Alpine Wire");
    assert_eq!(garage["article"]["published"], "2024-04-11T06:15:00+00:00");
    let tram = first_hit(&env, "tram");
    assert_eq!(
        tram["article"]["title"],
        "Lisbon tram line 15 to run every five minutes"
    );
    assert_ne!(garage["article"]["id"], tram["article"]["id"]);
    let ferry = first_hit(&env, "ferry");
    assert_eq!(ferry["article"]["source"], "Nordic Ledger");
    let ghent = first_hit(&env, "climate research");
    assert_eq!(
        ghent["article"]["title"],
        "Ghent university opens climate research centre"
    );
}

#[test]
fn plain_text_without_header_lines_takes_its_first_line_as_title() {
    let env = fixtures_env();
    env.cmd(["index", "articles", "-q"]).assert().code(3);
    let hit = first_hit(&env, "bakery");
    assert_eq!(
        hit["article"]["title"],
        "Copenhagen bakery chain expands to Berlin"
    );
    assert_eq!(hit["article"]["source"], Value::Null);
    assert_eq!(hit["article"]["published"], Value::Null);
}

#[test]
fn title_only_article_is_its_own_passage() {
    let env = fixtures_env();
    env.cmd(["index", "articles", "-q"]).assert().code(3);
    let hit = first_hit(&env, "\"rue de la loi\"");
    let title = "Brussels council votes to close Rue de la Loi to cars on Sundays";
    assert_eq!(hit["article"]["title"], title);
    assert_eq!(hit["passage"]["text"], title);
}

#[test]
fn bylines_give_an_author_that_is_shown_and_searchable() {
    let env = TestEnv::new();
    env.copy_folder(&repo().join("tests/fixtures/layout"), "layout");
    env.index("layout");
    let hits = env.search_json(&["author:harvey"]);
    assert!(!hits.is_empty());
    assert!(
        hits.iter()
            .all(|h| h["article"]["author"] == "Fiona Harvey"),
        "{hits:?}"
    );
    // The byline is not searched as text.
    env.cmd(["search", "Flaminia"]).assert().code(1);
    let text = stdout_of(&mut env.cmd(["search", "author:\"Mara Velde\"", "--color", "never"]));
    assert!(
        text.contains("Harbour Wire · 2025-01-14 · by Mara Velde · layout/wire_conflict.html"),
        "{text}"
    );
    let csv = stdout_of(&mut env.cmd(["search", "author:reyes", "--csv"]));
    assert!(
        csv.starts_with("query,rank,score,article_id,path,title,source,author,"),
        "{csv}"
    );
    assert!(csv.contains(",County News,Tomas Reyes,"), "{csv}");
}
