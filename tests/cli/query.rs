//! Query power: entity, date, source, language and path filters; query syntax and typos;
//! result shapes; entity facets; stats. Runs on the relevance set's articles.

use std::collections::HashSet;

use predicates::prelude::PredicateBooleanExt;
use predicates::str::contains;
use serde_json::Value;

use crate::env::*;

fn relevance_env() -> TestEnv {
    let env = TestEnv::new();
    env.copy_folder(&repo().join("tests/relevance/articles"), "articles");
    env.cmd(["index", "articles", "-q"]).assert().success();
    env
}

fn hits(env: &TestEnv, args: &[&str]) -> Vec<Value> {
    let out = env
        .cmd(["search", "--json"].iter().chain(args))
        .assert()
        .get_output()
        .stdout
        .clone();
    json_lines(&out)
}

fn article_ids(hits: &[Value]) -> HashSet<String> {
    hits.iter()
        .filter_map(|h| h["article"]["id"].as_str().map(str::to_string))
        .collect()
}

fn has(hit: &Value, kind: &str, name: &str) -> bool {
    hit["entities"][kind]
        .as_array()
        .is_some_and(|names| names.iter().any(|n| n == name))
}

#[test]
fn entity_filters_and_together_and_know_aliases() {
    let env = relevance_env();
    let rotterdam = article_ids(&hits(&env, &["port", "--place", "Rotterdam", "-n", "100"]));
    let hamburg = article_ids(&hits(&env, &["port", "--place", "hamburg", "-n", "100"]));
    let both = article_ids(&hits(
        &env,
        &[
            "port",
            "--place",
            "Rotterdam",
            "--place",
            "Hamburg",
            "-n",
            "100",
        ],
    ));
    assert!(!both.is_empty());
    assert_eq!(both, &rotterdam & &hamburg);
    assert!(both.len() < rotterdam.len());
    // A surname alone, and an acronym, find the full entity.
    let by_surname = article_ids(&hits(&env, &["*", "--person", "verbeek", "-n", "100"]));
    let by_name = article_ids(&hits(
        &env,
        &["*", "--person", "Maarten Verbeek", "-n", "100"],
    ));
    assert_eq!(by_surname, by_name);
    assert!(by_name.len() >= 2);
    let trust = article_ids(&hits(
        &env,
        &["*", "--org", "West Yorkshire Health Trust", "-n", "100"],
    ));
    // The article that defines the acronym is found by either form.
    let acronym = article_ids(&hits(&env, &["*", "--org", "wyht", "-n", "100"]));
    assert!(!(&trust & &acronym).is_empty(), "{trust:?} {acronym:?}");
}

#[test]
fn seed_aliases_work_as_filters() {
    let env = TestEnv::with_corpus();
    env.cmd(["index", "corpus", "-q"]).assert().success();
    assert!(!hits(&env, &["caliphate", "--org", "ISKP"]).is_empty());
    assert!(!hits(&env, &["caliphate", "--person", "van ginkel"]).is_empty());
    assert!(hits(&env, &["caliphate", "--person", "van gogh"]).is_empty());
}

#[test]
fn filters_without_a_query_give_the_passages_that_mention_the_entity() {
    let env = TestEnv::with_corpus();
    env.cmd(["index", "corpus", "-q"]).assert().success();
    let all = hits(&env, &["*", "--per-article", "0", "-n", "100"]);
    let mentioning: Vec<&Value> = all
        .iter()
        .filter(|h| has(h, "organization", "ISIS-K"))
        .collect();
    assert!(mentioning.len() < all.len());
    // "ISKP" finds the passages that name ISIS-K in any of its forms.
    let by_alias = hits(&env, &["--org", "ISKP", "--per-article", "0", "-n", "100"]);
    assert_eq!(by_alias.len(), mentioning.len(), "{by_alias:?}");
    assert!(by_alias.iter().all(|h| has(h, "organization", "ISIS-K")));
    // Neither a query nor a filter: nothing to search for.
    env.cmd(["search"])
        .assert()
        .code(2)
        .stderr(contains("QUERY"));
}

#[test]
fn same_passage_requires_the_entities_in_the_passage() {
    let env = relevance_env();
    let args = [
        "strike",
        "--place",
        "Rotterdam",
        "--place",
        "Hamburg",
        "-n",
        "100",
    ];
    let article_level = hits(&env, &args);
    let passage_level = hits(&env, &[&args[..], &["--same-passage"]].concat());
    assert!(!passage_level.is_empty());
    assert!(passage_level.len() < article_level.len());
    for hit in &passage_level {
        assert!(
            has(hit, "place", "Rotterdam") && has(hit, "place", "Hamburg"),
            "{hit}"
        );
    }
}

#[test]
fn date_filters_take_days_months_years_and_spans() {
    let env = relevance_env();
    let march = hits(
        &env,
        &["*", "--since", "2024-03", "--until", "2024-03", "-n", "500"],
    );
    assert!(!march.is_empty());
    for hit in &march {
        let published = hit["article"]["published"].as_str().expect("dated");
        assert!(published.starts_with("2024-03"), "{published}");
    }
    let later = hits(&env, &["*", "--since", "2025", "-n", "500"]);
    assert!(later.iter().all(|h| {
        h["article"]["published"]
            .as_str()
            .is_some_and(|d| d >= "2025")
    }));
    assert!(!later.is_empty());
    let day = hits(
        &env,
        &[
            "*",
            "--since",
            "2024-03-04",
            "--until",
            "2024-03-04",
            "-n",
            "500",
        ],
    );
    assert!(day.iter().all(|h| {
        h["article"]["published"]
            .as_str()
            .is_some_and(|d| d.starts_with("2024-03-04"))
    }));
    assert!(!day.is_empty());
    let all = hits(
        &env,
        &["*", "--since", "10000w", "-n", "500", "--per-article", "0"],
    );
    assert_eq!(all.len(), 132);
    env.cmd(["search", "x", "--since", "last tuesday"])
        .assert()
        .code(2)
        .stderr(contains("--since").and(contains("2024-03-23")));
}

#[test]
fn source_language_and_path_filters() {
    let env = relevance_env();
    let herald = hits(&env, &["strike", "--source", "harbour herald", "-n", "50"]);
    assert!(!herald.is_empty());
    assert!(
        herald
            .iter()
            .all(|h| h["article"]["source"] == "Harbour Herald")
    );
    env.cmd(["search", "strike", "--lang", "nl"])
        .assert()
        .code(1);
    assert!(!hits(&env, &["strike", "--lang", "EN"]).is_empty());
    let first_three = hits(&env, &["port", "--path", "*/0[1-3]-*", "-n", "50"]);
    assert!(!first_three.is_empty());
    for hit in &first_three {
        let path = hit["article"]["path"].as_str().expect("path");
        assert!(
            ["01-", "02-", "03-"].iter().any(|p| path.contains(p)),
            "{path}"
        );
    }
}

#[test]
fn path_globs_filter_entity_counts_too() {
    let env = relevance_env();
    let count = |args: &[&str]| -> u64 {
        let out = env
            .cmd([&["entities", "-n", "0", "--json"], args].concat())
            .output()
            .expect("lede entities");
        json_lines(&out.stdout)
            .iter()
            .map(|e| e["articles"].as_u64().expect("articles"))
            .max()
            .unwrap_or(0)
    };
    let all = count(&[]);
    let some = count(&["--path", "*/0[1-3]-*"]);
    assert!(some > 0 && some < all, "{some} of {all}");
    let out = env
        .cmd(["entities", "--path", "*/0[1-3]-*"])
        .output()
        .expect("lede entities");
    assert!(!String::from_utf8_lossy(&out.stderr).contains("not applied"));
    // No path matches: nothing is counted.
    assert_eq!(count(&["--path", "nowhere/*"]), 0);
}

#[test]
fn inline_filters_match_the_flags() {
    let env = relevance_env();
    let inline = hits(
        &env,
        &[
            "strike date:>=2024-03-05 source:\"Lowlands Courier\"",
            "-n",
            "50",
        ],
    );
    let flags = hits(
        &env,
        &[
            "strike",
            "--since",
            "2024-03-05",
            "--source",
            "Lowlands Courier",
            "-n",
            "50",
        ],
    );
    assert!(!inline.is_empty());
    assert_eq!(inline, flags);
    let by_field = hits(&env, &["person:verbeek"]);
    assert!(by_field.iter().all(|h| has(h, "person", "Maarten Verbeek")));
    assert!(!by_field.is_empty());
}

#[test]
fn query_syntax_phrases_prefixes_proximity_and_not() {
    let env = relevance_env();
    let phrase = hits(&env, &["\"automated cranes\"", "-n", "50"]);
    assert!(!phrase.is_empty());
    // Phrases match stemmed words in order: "automate cranes" matches too.
    for h in &phrase {
        let text = format!("{} {}", h["article"]["title"], h["passage"]["text"]).to_lowercase();
        assert!(text.contains("automat") && text.contains("crane"), "{text}");
    }
    let prefix = hits(&env, &["lithi*", "-n", "5"]);
    assert!(!prefix.is_empty());
    let near = hits(&env, &["\"dock strike\"~2", "-n", "50"]);
    assert!(near.len() >= hits(&env, &["\"dock strike\"", "-n", "50"]).len());
    let without = hits(&env, &["strike -rotterdam", "-n", "50"]);
    assert!(!without.is_empty());
    assert!(without.iter().all(|h| {
        !h["passage"]["text"]
            .as_str()
            .unwrap_or("")
            .contains("Rotterdam")
    }));
}

#[test]
fn typos_are_forgiven_unless_exact_and_exact_matches_rank_first() {
    let env = relevance_env();
    let fuzzy = hits(&env, &["goverment maize reserve"]);
    assert!(
        fuzzy[0]["article"]["path"]
            .as_str()
            .expect("path")
            .contains("19-kenya-drought-maize")
    );
    env.cmd(["search", "goverment", "--exact"]).assert().code(1);
    assert!(!hits(&env, &["goverment"]).is_empty());
    // "curlng" is one edit from "curling": the exact passage outranks fuzzy ones.
    let exact_first = hits(&env, &["curling", "-n", "3"]);
    let top = exact_first[0]["passage"]["text"].as_str().expect("text");
    assert!(top.contains("curling"), "{top}");
}

#[test]
fn everyday_input_never_fails() {
    let env = relevance_env();
    for query in [
        "\"unbalanced strike",
        "strike:",
        "colour:red strike",
        "((strike",
        "AND",
        "-",
        "\"\"",
    ] {
        let out = env.cmd(["search", query]).output().expect("run");
        assert!(matches!(out.status.code(), Some(0 | 1)), "{query}: {out:?}");
    }
    env.cmd(["search", "colour:red strike"])
        .assert()
        .success()
        .stderr(contains("\"colour\""));
}

#[test]
fn per_article_group_context_and_offset_shape_the_results() {
    let env = relevance_env();
    let one_each = hits(&env, &["strike", "--per-article", "1", "-n", "20"]);
    assert_eq!(article_ids(&one_each).len(), one_each.len());
    let unlimited = hits(&env, &["strike", "--per-article", "0", "-n", "20"]);
    assert!(article_ids(&unlimited).len() < unlimited.len());
    let page = hits(&env, &["strike", "-n", "6"]);
    let second = hits(&env, &["strike", "-n", "3", "--offset", "3"]);
    assert_eq!(second.len(), 3);
    for (a, b) in page[3..].iter().zip(&second) {
        assert_eq!(a["passage"], b["passage"]);
        assert_eq!(a["rank"], b["rank"]);
    }
    let with_context = hits(&env, &["automated cranes", "-n", "1", "--context", "1"]);
    let index = with_context[0]["passage"]["index"].as_u64().expect("index");
    let neighbours: Vec<u64> = with_context[0]["context"]
        .as_array()
        .expect("context")
        .iter()
        .filter_map(|n| n["index"].as_u64())
        .collect();
    assert!(!neighbours.is_empty());
    assert!(
        neighbours.iter().all(|&n| n + 1 == index || n == index + 1),
        "{neighbours:?}"
    );
    let grouped = env
        .cmd([
            "search",
            "strike",
            "--group",
            "--per-article",
            "0",
            "-n",
            "8",
            "--color",
            "never",
        ])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let grouped = String::from_utf8_lossy(&grouped);
    let titles: Vec<&str> = grouped
        .lines()
        .filter(|l| l.chars().next().is_some_and(|c| c.is_ascii_digit()))
        .collect();
    let distinct: HashSet<&str> = titles
        .iter()
        .map(|l| l.split_once(". ").map_or(*l, |(_, t)| t))
        .collect();
    assert_eq!(titles.len(), distinct.len(), "{grouped}");
    assert!(grouped.contains("── "), "{grouped}");
}

#[test]
fn csv_and_batch_queries() {
    let env = relevance_env();
    let out = env
        .cmd(["search", "lithium", "--csv", "-n", "3"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let text = String::from_utf8_lossy(&out);
    assert!(text.starts_with("query,rank,score,article_id,path,title"));
    assert_eq!(
        text.lines().filter(|l| l.contains(".txt")).count(),
        3,
        "{text}"
    );
    env.write("batch.txt", b"lithium\n\nmaize reserve\n");
    let batch = json_lines(
        &env.cmd(["search", "--queries", "batch.txt", "--json", "-n", "2"])
            .assert()
            .success()
            .get_output()
            .stdout
            .clone(),
    );
    let labels: Vec<&str> = batch.iter().filter_map(|h| h["query"].as_str()).collect();
    assert_eq!(
        labels,
        ["lithium", "lithium", "maize reserve", "maize reserve"]
    );
}

#[test]
fn entity_counts_follow_the_query_and_filters() {
    let env = relevance_env();
    let all = json_lines(
        &env.cmd(["entities", "--json", "-n", "0"])
            .assert()
            .get_output()
            .stdout
            .clone(),
    );
    let strike = json_lines(
        &env.cmd(["entities", "strike", "--json", "-n", "0"])
            .assert()
            .get_output()
            .stdout
            .clone(),
    );
    assert!(!strike.is_empty() && strike.len() < all.len());
    let count = |rows: &[Value], name: &str| {
        rows.iter()
            .find(|r| r["name"] == name)
            .and_then(|r| r["articles"].as_u64())
            .unwrap_or(0)
    };
    assert!(count(&strike, "Rotterdam") >= 1);
    assert!(count(&strike, "Rotterdam") <= count(&all, "Rotterdam"));
    let march = json_lines(
        &env.cmd([
            "entities", "--since", "2024-03", "--until", "2024-03", "--type", "place", "--json",
            "-n", "0",
        ])
        .assert()
        .get_output()
        .stdout
        .clone(),
    );
    assert!(march.iter().all(|r| r["type"] == "place"));
    assert!(
        count(&march, "Rotterdam") < count(&all, "Rotterdam")
            || count(&all, "Rotterdam") == count(&march, "Rotterdam")
    );
    let with = json_lines(
        &env.cmd(["entities", "--with", "Maarten Verbeek", "--json", "-n", "0"])
            .assert()
            .get_output()
            .stdout
            .clone(),
    );
    assert!(!with.is_empty());
    assert!(with.iter().all(|r| r["name"] != "Maarten Verbeek"));
    let verbeek_articles = count(&all, "Maarten Verbeek");
    assert!(
        with.iter()
            .all(|r| r["articles"].as_u64().unwrap_or(0) <= verbeek_articles)
    );
    let timeline = json_lines(
        &env.cmd(["entities", "--timeline", "verbeek", "--json"])
            .assert()
            .success()
            .get_output()
            .stdout
            .clone(),
    );
    let total: u64 = timeline.iter().filter_map(|m| m["articles"].as_u64()).sum();
    assert_eq!(total, verbeek_articles);
    assert!(
        timeline
            .iter()
            .all(|m| m["month"].as_str().is_some_and(|s| s.len() == 7))
    );
}

#[test]
fn stats_report_what_the_index_holds() {
    let env = relevance_env();
    let out = env
        .cmd(["stats", "--json"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let s: Value = serde_json::from_slice(&out).expect("stats JSON");
    assert_eq!(s["articles"], 36);
    assert_eq!(s["passages"], 132);
    for kind in ["person", "organization", "place"] {
        assert!(s["entities"][kind].as_u64().expect("count") > 0);
    }
    assert_eq!(s["languages"][0]["name"], "en");
    assert_eq!(s["languages"][0]["articles"], 36);
    let sources: u64 = s["sources"]
        .as_array()
        .expect("sources")
        .iter()
        .filter_map(|c| c["articles"].as_u64())
        .sum();
    assert_eq!(sources, 36);
    assert_eq!(
        s["first_published"].as_str().map(|d| &d[..10]),
        Some("2024-01-15")
    );
    assert!(s["bytes"].as_u64().expect("bytes") > 0);
    assert!(s["updated"].as_str().is_some());
    assert!(s["model"].as_str().is_some_and(|m| m.contains("lede")));
    env.cmd(["stats"])
        .assert()
        .success()
        .stdout(contains("articles      36"));
}

/// The marked words of a hit's passage, lowercased.
fn marked(hit: &Value) -> Vec<String> {
    let text = hit["passage"]["text"].as_str().expect("text");
    hit["passage"]["highlights"]
        .as_array()
        .expect("highlights")
        .iter()
        .map(|r| {
            let (a, b) = (r[0].as_u64().expect("start"), r[1].as_u64().expect("end"));
            text[a as usize..b as usize].to_lowercase()
        })
        .collect()
}

#[test]
fn and_not_excludes_and_prefixes_and_typos_are_highlighted() {
    let env = relevance_env();
    let strike = hits(&env, &["strike", "-n", "50"]);
    let without = hits(&env, &["strike AND NOT rotterdam", "-n", "50"]);
    assert!(!without.is_empty() && without.len() < strike.len());
    assert!(without.iter().all(|h| {
        let text = format!("{} {}", h["article"]["title"], h["passage"]["text"]);
        !text.to_lowercase().contains("rotterdam")
    }));
    let prefix = hits(&env, &["lithi*", "-n", "3"]);
    assert!(marked(&prefix[0]).iter().any(|w| w.starts_with("lithi")));
    let typo = hits(&env, &["goverment", "-n", "3"]);
    assert!(
        typo.iter()
            .any(|h| marked(h).iter().any(|w| w == "government")),
        "{typo:?}"
    );
}

#[test]
fn one_edit_typos_find_words_the_stemmer_shortens() {
    let env = indexed_corpus();
    // The seed writes "caliphate": one edit from "caliphat", although the
    // stem the index keeps for it, "caliph", is two.
    let typo = env.search_json(&["caliphat", "-n", "3"]);
    assert!(!typo.is_empty());
    assert!(marked(&typo[0]).iter().any(|w| w == "caliphate"));
    env.cmd(["search", "caliphat", "--exact"]).assert().code(1);
}

#[test]
fn question_words_do_not_count_but_repeated_words_do() {
    let env = relevance_env();
    // "what", "is" and "the" are stop words: the question ranks as its key words.
    let question = hits(&env, &["what is the shore power rule", "-n", "1"]);
    let words = hits(&env, &["shore power rule", "-n", "1"]);
    assert_eq!(question[0]["article"]["id"], words[0]["article"]["id"]);
    assert!(marked(&question[0]).iter().all(|w| w != "the" && w != "is"));
    // A word typed twice weighs twice: it can reorder the hits.
    let once = hits(&env, &["strike cranes", "-n", "1"]);
    let twice = hits(&env, &["strike strike strike cranes", "-n", "1"]);
    let score = |h: &Value| h["score"].as_f64().expect("score");
    assert!(score(&twice[0]) > score(&once[0]));
    // Stop words alone are searched as written.
    assert!(!hits(&env, &["the", "-n", "1"]).is_empty());
}

#[test]
fn expansion_reorders_the_hits_of_the_query_and_keeps_its_filters() {
    let env = relevance_env();
    let ids = |hits: &[Value]| {
        let mut ids: Vec<String> = hits
            .iter()
            .map(|h| format!("{}#{}", h["article"]["id"], h["passage"]["index"]))
            .collect();
        ids.sort();
        ids
    };
    let args = ["dock strike", "-n", "100", "--per-article", "0"];
    let plain = hits(&env, &args);
    let expanded = hits(&env, &[&args[..], &["--expand"]].concat());
    assert!(!plain.is_empty());
    assert_eq!(ids(&plain), ids(&expanded));
    let filter = [
        "dock strike",
        "-n",
        "100",
        "--per-article",
        "0",
        "--place",
        "Antwerp",
    ];
    let filtered = hits(&env, &[&filter[..], &["--expand"]].concat());
    assert!(!filtered.is_empty() && filtered.len() < plain.len());
    assert_eq!(ids(&filtered), ids(&hits(&env, &filter)));
}
