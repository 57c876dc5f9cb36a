//! Adding articles over time: incremental runs, single articles, duplicates, crashes, concurrency and bad input.

use std::time::Duration;

use predicates::str::contains;
use serde_json::Value;

use crate::env::*;

fn summary(env: &TestEnv, args: &[&str]) -> Value {
    let out = env
        .cmd(["index", "--json"].iter().chain(args))
        .assert()
        .get_output()
        .stdout
        .clone();
    serde_json::from_slice(&out).expect("summary is JSON")
}

fn counts(s: &Value) -> [u64; 6] {
    [
        "added",
        "updated",
        "unchanged",
        "removed",
        "failed",
        "duplicates",
    ]
    .map(|k| s[k].as_u64().expect("a count"))
}

#[test]
fn rerun_on_an_unchanged_folder_does_nothing_and_says_so() {
    let env = TestEnv::new();
    env.generate("news", 5);
    assert_eq!(counts(&summary(&env, &["news"])), [5, 0, 0, 0, 0, 0]);
    let again = summary(&env, &["news"]);
    assert_eq!(counts(&again), [0, 0, 5, 0, 0, 0]);
    assert_eq!(again["articles"], 5);
    env.cmd(["index", "news"])
        .assert()
        .success()
        .stdout(contains("nothing to do: 5 files unchanged"));
}

#[test]
fn touch_alone_reindexes_nothing_but_an_edit_does() {
    let env = TestEnv::new();
    env.generate("news", 3);
    summary(&env, &["news"]);
    let path = env.path("news/00001.txt");
    let text = std::fs::read_to_string(&path).expect("read");
    std::fs::write(&path, &text).expect("rewrite, same bytes");
    assert_eq!(counts(&summary(&env, &["news"])), [0, 0, 3, 0, 0, 0]);
    std::fs::write(
        &path,
        text.replace("harbour board", "harbour zeppelin board"),
    )
    .expect("edit");
    let s = summary(&env, &["news"]);
    assert_eq!(counts(&s), [0, 1, 2, 0, 0, 0]);
    assert_eq!(s["articles"], 3);
    let hits = env.search_json(&["zeppelin"]);
    assert_eq!(hits.len(), 1);
    assert_eq!(assert_no_duplicate_passages(&env.all_passages()), 3);
}

#[test]
fn deleted_files_are_removed_unless_no_purge() {
    let env = TestEnv::new();
    env.generate("news", 4);
    env.write(
        "news/extra.txt",
        b"Visit to Reykjavik\n\nThe delegation flew to Reykjavik on Monday for talks.",
    );
    summary(&env, &["news"]);
    env.cmd(["search", "place:reykjavik"]).assert().success();
    std::fs::remove_file(env.path("news/extra.txt")).expect("delete");
    let kept = summary(&env, &["news", "--no-purge"]);
    assert_eq!(counts(&kept), [0, 0, 4, 0, 0, 0]);
    assert_eq!(kept["articles"], 5);
    let purged = summary(&env, &["news"]);
    assert_eq!(counts(&purged), [0, 0, 4, 1, 0, 0]);
    assert_eq!(purged["articles"], 4);
    env.cmd(["search", "reykjavik"]).assert().code(1);
    let places = env
        .cmd(["entities", "--type", "place", "-n", "0"])
        .assert()
        .get_output()
        .stdout
        .clone();
    assert!(!String::from_utf8_lossy(&places).contains("Reykjavik"));
}

#[test]
fn a_moved_file_or_the_copy_of_a_deleted_one_keeps_its_article() {
    let env = TestEnv::new();
    env.generate("news", 2);
    let visit = b"Visit to Reykjavik\n\nThe delegation flew to Reykjavik on Monday for talks.";
    env.write("news/visit.txt", visit);
    env.write("news/copy.txt", visit);
    let first = summary(&env, &["news"]);
    assert_eq!(
        (first["articles"].as_u64(), first["duplicates"].as_u64()),
        (Some(3), Some(1))
    );
    // The file that held the article is deleted: its copy holds it now.
    std::fs::remove_file(env.path("news/copy.txt")).expect("delete");
    std::fs::remove_file(env.path("news/visit.txt")).expect("delete");
    env.write("news/copy.txt", visit);
    assert_eq!(summary(&env, &["news"])["articles"], 3);
    // A move is a delete and a new file with the same text.
    std::fs::create_dir(env.path("news/2024")).expect("a folder");
    std::fs::rename(env.path("news/copy.txt"), env.path("news/2024/visit.txt")).expect("move");
    let moved = summary(&env, &["news"]);
    assert_eq!(moved["articles"], 3);
    let hits = env.search_json(&["reykjavik"]);
    assert_eq!(hits.len(), 1, "{hits:?}");
    let path = hits[0]["article"]["path"].as_str().unwrap_or("");
    assert!(
        path.ends_with("visit.txt") && path.contains("2024"),
        "{path}"
    );
}

#[test]
fn a_second_folder_adds_without_purging_the_first() {
    let env = TestEnv::with_corpus();
    env.generate("news", 3);
    summary(&env, &["corpus"]);
    let s = summary(&env, &["news"]);
    assert_eq!(counts(&s), [3, 0, 0, 0, 0, 0]);
    assert_eq!(s["articles"], 4);
    assert_eq!(summary(&env, &["corpus"])["articles"], 4);
}

#[test]
fn add_indexes_files_and_stdin_with_overrides() {
    let env = TestEnv::with_corpus();
    summary(&env, &["corpus"]);
    env.write(
        "later/note.md",
        b"# Ferry strike\n\nFerry crews in Calais walked out on Friday.",
    );
    env.cmd(["add", "later/note.md", "-q"]).assert().success();
    assert_eq!(
        first_hit(&env, "calais")["article"]["title"],
        "Ferry strike"
    );
    env.cmd([
        "add",
        "-",
        "--format",
        "txt",
        "--title",
        "Wire copy",
        "--source",
        "Wire",
        "--date",
        "2024-03-23",
        "--url",
        "https://example.org/w",
    ])
    .write_stdin("Untitled\n\nDockers in Antwerp joined the strike on Saturday.")
    .assert()
    .success();
    let hit = first_hit(&env, "antwerp");
    assert_eq!(hit["article"]["title"], "Wire copy");
    assert_eq!(hit["article"]["source"], "Wire");
    assert_eq!(hit["article"]["published"], "2024-03-23T00:00:00+00:00");
    assert_eq!(hit["article"]["path"], "-");
    // A later run on the folder leaves the added articles alone.
    assert_eq!(summary(&env, &["corpus"])["articles"], 3);
}

#[test]
fn remove_takes_paths_and_ids_and_forgets_their_entities() {
    let env = TestEnv::with_corpus();
    env.generate("news", 2);
    summary(&env, &["corpus"]);
    summary(&env, &["news"]);
    env.cmd(["remove", &format!("corpus/{SEED}"), "-q"])
        .assert()
        .success();
    env.cmd(["search", "ISIS-K"]).assert().code(1);
    let out = env
        .cmd(["entities", "-n", "0"])
        .assert()
        .get_output()
        .stdout
        .clone();
    assert!(!String::from_utf8_lossy(&out).contains("ISIS-K"));
    let id = first_hit(&env, "harbour")["article"]["id"]
        .as_str()
        .expect("id")
        .to_string();
    env.cmd(["remove", &id, "--json"]).assert().success();
    assert_eq!(assert_no_duplicate_passages(&env.all_passages()), 1);
    env.cmd(["remove", "nowhere.txt"])
        .assert()
        .code(3)
        .stderr(contains("nowhere.txt: not in the index"));
}

#[test]
fn the_same_content_under_two_paths_is_indexed_once() {
    let env = TestEnv::with_corpus();
    let seed = std::fs::read(env.path(&format!("corpus/{SEED}"))).expect("read seed");
    env.write("corpus/copy/again.txt", &seed);
    let s = summary(&env, &["corpus"]);
    assert_eq!(s["added"], 1);
    assert_eq!(s["duplicates"], 1);
    assert_eq!(s["articles"], 1);
    let hits = env.search_json(&["embassy", "-n", "50"]);
    assert_eq!(hits.len(), 1, "each passage once");
}

#[test]
fn article_ids_do_not_depend_on_where_the_file_lies() {
    let a = TestEnv::with_corpus();
    let b = TestEnv::new();
    b.copy_folder(&repo().join("corpus"), "elsewhere/deeper");
    summary(&a, &["corpus"]);
    summary(&b, &["elsewhere"]);
    assert_eq!(
        first_hit(&a, "embassy")["article"]["id"],
        first_hit(&b, "embassy")["article"]["id"]
    );
}

#[test]
fn searches_run_while_an_index_run_is_under_way() {
    let env = TestEnv::with_corpus();
    summary(&env, &["corpus"]);
    env.generate("news", 2000);
    let mut child = env
        .process(["index", "news", "--batch-size", "100", "-q"])
        .spawn()
        .expect("start lede index");
    let mut searched_during = 0;
    while child.try_wait().expect("poll").is_none() {
        env.cmd(["search", "embassy", "--json"]).assert().success();
        searched_during += 1;
    }
    assert!(child.wait().expect("reap").success());
    assert!(searched_during > 0);
    assert_eq!(env.search_json(&["harbour", "-n", "1"]).len(), 1);
}

#[test]
fn a_second_writer_is_refused_with_the_lock_named_or_waits() {
    let env = TestEnv::new();
    env.generate("news", 2000);
    env.generate("more", 3);
    let mut first = env
        .process(["index", "news", "--batch-size", "100", "-q"])
        .spawn()
        .expect("start lede index");
    env.wait_for_first_commit(Duration::from_secs(120));
    let refused = env
        .cmd(["index", "more", "-q"])
        .output()
        .expect("second writer");
    let first_still_running = first.try_wait().expect("poll").is_none();
    assert!(
        first_still_running,
        "the first run ended too soon to test the lock"
    );
    assert_eq!(refused.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&refused.stderr);
    assert!(
        stderr.contains(".tantivy-writer.lock") && stderr.contains("--wait"),
        "{stderr}"
    );
    let waited = env
        .cmd(["index", "more", "--wait", "--json"])
        .output()
        .expect("waiting writer");
    assert_eq!(waited.status.code(), Some(0));
    assert!(first.wait().expect("reap").success());
    let s: Value = serde_json::from_slice(&waited.stdout).expect("summary");
    assert_eq!(s["added"], 3);
    assert_eq!(summary(&env, &["news"])["articles"], 2003);
}

#[test]
fn bad_input_is_reported_as_path_and_reason_and_the_run_goes_on() {
    let env = TestEnv::new();
    env.write(
        "in/good.txt",
        b"Good news\n\nThe bridge in Porto reopened today.",
    );
    env.write(
        "in/latin1.txt",
        b"Caf\xe9 closes\n\nThe caf\xe9 in Li\xe8ge closed after forty years.",
    );
    env.write("in/binary.txt", b"\x00\x01\x02\x03 binary");
    env.write("in/empty.md", b"");
    env.write("in/big.txt", &vec![b'a'; 3000]);
    env.write("in/broken.json", b"{\"title\": \"Half");
    env.write(
        "in/lines.jsonl",
        b"{\"title\":\"Line one\",\"text\":\"Trams in Ghent.\"}\nnot json\n",
    );
    env.write(
        "in/broken.html",
        b"<html><body><h1>Storm</h1><p>Wind hit <b>Bergen harbour</div></span><p>Boats sank",
    );
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink(env.path("in"), env.path("in/loop")).expect("symlink");
        std::os::unix::fs::symlink(env.path("in/missing.txt"), env.path("in/dangling.txt"))
            .expect("symlink");
    }
    let out = env
        .cmd(["index", "in", "--json", "--follow", "--max-size", "2K"])
        .assert()
        .code(3);
    let output = out.get_output();
    let stderr = String::from_utf8_lossy(&output.stderr);
    for expected in [
        "binary.txt: binary file",
        "empty.md: empty file",
        "big.txt: larger than the 2048 byte limit; raise it with --max-size",
        "broken.json: malformed JSON",
        "lines.jsonl: line 2: ",
        "latin1.txt: not valid UTF-8; read as Windows-1252",
    ] {
        assert!(stderr.contains(expected), "{expected:?} not in {stderr}");
    }
    #[cfg(unix)]
    assert!(
        stderr.contains("symlink loop") && stderr.contains("dangling.txt"),
        "{stderr}"
    );
    let s: Value = serde_json::from_slice(&output.stdout).expect("summary");
    assert_eq!(
        s["articles"], 4,
        "good, latin1, lines.jsonl and broken.html"
    );
    assert_eq!(first_hit(&env, "liège")["article"]["title"], "Café closes");
    assert_eq!(first_hit(&env, "bergen")["article"]["title"], "Storm");
}

#[test]
fn reading_threads_change_nothing_in_the_index() {
    let env = TestEnv::new();
    env.generate("news", 120);
    env.copy_folder(&repo().join("tests/fixtures"), "news/fixtures");
    // A duplicate and a bad file, to be met in the same batch as good files.
    env.write(
        "news/00007-copy.txt",
        &std::fs::read(env.path("news/00007.txt")).expect("read"),
    );
    env.write("news/broken.json", b"{ not json");
    let sorted = |mut hits: Vec<serde_json::Value>| {
        for h in &mut hits {
            h["score"] = serde_json::Value::Null;
            h["rank"] = serde_json::Value::Null;
        }
        let mut rows: Vec<String> = hits.iter().map(|h| h.to_string()).collect();
        rows.sort();
        rows
    };
    let mut results = Vec::new();
    let mut summaries = Vec::new();
    for threads in ["1", "2", "3"] {
        std::fs::remove_dir_all(env.path("index")).ok();
        let out = env
            .cmd(["index", "news", "--json", "-j", threads])
            .assert()
            .code(3)
            .get_output()
            .stdout
            .clone();
        let mut summary: serde_json::Value = serde_json::from_slice(&out).expect("JSON summary");
        summary["seconds"] = serde_json::Value::Null;
        summaries.push(summary);
        results.push(sorted(env.all_passages()));
    }
    assert!(results[0].len() > 120, "{}", results[0].len());
    assert_eq!(results[0], results[1]);
    assert_eq!(results[0], results[2]);
    assert_eq!(summaries[0], summaries[1]);
    assert_eq!(summaries[0], summaries[2]);
    assert_eq!(summaries[0]["duplicates"], 1, "{}", summaries[0]);
    assert!(
        summaries[0]["failed"].as_u64() >= Some(1),
        "{}",
        summaries[0]
    );
}

#[test]
fn add_knows_unchanged_changed_and_duplicate_files_without_reading_the_whole_index() {
    let env = TestEnv::new();
    env.generate("news", 30);
    summary(&env, &["news"]);
    let add = |args: &[&str]| -> Value {
        let out = env.ok_stdout(["add", "--json"].iter().chain(args));
        serde_json::from_slice(&out).expect("JSON summary")
    };
    // An indexed file as it is.
    let s = add(&["news/00003.txt"]);
    assert_eq!(
        (s["unchanged"].as_u64(), s["added"].as_u64()),
        (Some(1), Some(0)),
        "{s}"
    );
    // The same article under another path is a duplicate.
    env.write(
        "copy/00003.txt",
        &std::fs::read(env.path("news/00003.txt")).expect("read"),
    );
    let s = add(&["copy/00003.txt"]);
    assert_eq!(s["duplicates"], 1, "{s}");
    // A changed file replaces its article.
    env.write(
        "news/00004.txt",
        b"Ferry strike\n\nFerry crews in Calais walked out.",
    );
    let s = add(&["news/00004.txt"]);
    assert_eq!(s["updated"], 1, "{s}");
    assert_eq!(s["articles"], 30, "{s}");
    assert!(s["entities"].is_null(), "add does not count entities: {s}");
    assert_eq!(assert_no_duplicate_passages(&env.all_passages()), 30);
    assert_eq!(
        first_hit(&env, "calais")["article"]["path"],
        "news/00004.txt"
    );
}
