//! Runs the real `lede` binary in temporary folders.

use std::fs;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use assert_cmd::Command;
use serde_json::Value;
use tempfile::TempDir;

const SEED: &str = "000_9434b53dda31b95b.txt";

/// A temporary folder with a copy of articles and an index beside them.
struct TestEnv {
    dir: TempDir,
}

impl TestEnv {
    fn new() -> TestEnv {
        TestEnv {
            dir: tempfile::tempdir().expect("a temporary folder"),
        }
    }

    /// A folder with a copy of `corpus/`, its files dated 2024-03-23 12:00 UTC.
    fn with_corpus() -> TestEnv {
        let env = TestEnv::new();
        env.copy_folder(&repo().join("corpus"), "corpus");
        env
    }

    /// Copies the articles of a repository folder into the environment (files
    /// only, one level; its README.md, which describes the folder, stays out).
    fn copy_folder(&self, from: &Path, to: &str) {
        let target = self.path(to);
        fs::create_dir_all(&target).expect("create folder");
        for entry in fs::read_dir(from).expect("read folder") {
            let entry = entry.expect("folder entry");
            if entry.file_type().expect("file type").is_file() && entry.file_name() != "README.md" {
                let dest = target.join(entry.file_name());
                fs::copy(entry.path(), &dest).expect("copy file");
                set_mtime(&dest);
            }
        }
    }

    fn path(&self, rel: &str) -> PathBuf {
        self.dir.path().join(rel)
    }

    fn write(&self, rel: &str, bytes: &[u8]) {
        let path = self.path(rel);
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent).expect("create folder");
        }
        fs::write(&path, bytes).expect("write file");
        set_mtime(&path);
    }

    /// The `lede` binary, run in the environment with a clean environment.
    fn cmd<I, S>(&self, args: I) -> Command
    where
        I: IntoIterator<Item = S>,
        S: AsRef<std::ffi::OsStr>,
    {
        let mut cmd = Command::cargo_bin("lede").expect("the lede binary");
        cmd.current_dir(self.dir.path())
            .env_remove("LEDE_INDEX")
            .env_remove("NO_COLOR")
            .args(args);
        cmd
    }

    fn index(&self, dir: &str) -> Value {
        let out = self
            .cmd(["index", dir, "--json"])
            .assert()
            .success()
            .get_output()
            .stdout
            .clone();
        serde_json::from_slice(&out).expect("summary is JSON")
    }

    fn search_json(&self, args: &[&str]) -> Vec<Value> {
        let out = self
            .cmd(["search", "--json"].iter().chain(args))
            .assert()
            .success()
            .get_output()
            .stdout
            .clone();
        json_lines(&out)
    }
}

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn set_mtime(path: &Path) {
    let when = SystemTime::UNIX_EPOCH + Duration::from_secs(1_711_195_200); // 2024-03-23T12:00:00Z
    fs::File::options()
        .write(true)
        .open(path)
        .and_then(|f| f.set_modified(when))
        .expect("set mtime");
}

fn json_lines(out: &[u8]) -> Vec<Value> {
    String::from_utf8_lossy(out)
        .lines()
        .map(|l| serde_json::from_str(l).expect("each line is JSON"))
        .collect()
}

fn stdout_of(cmd: &mut Command) -> String {
    String::from_utf8(cmd.assert().get_output().stdout.clone()).expect("utf-8 output")
}

#[test]
fn indexing_the_seed_gives_one_article_with_source_title_and_headings() {
    let env = TestEnv::with_corpus();
    let summary = env.index("corpus");
    assert_eq!(summary["added"], 1);
    assert_eq!(summary["failed"], 0);
    assert_eq!(summary["articles"], 1);
    assert!(summary["passages"].as_u64().expect("a count") > 5);
    let mut hits = env.search_json(&["*", "-n", "1000"]);
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
    let env = TestEnv::with_corpus();
    env.index("corpus");
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
    let env = TestEnv::with_corpus();
    env.index("corpus");
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
    let env = TestEnv::with_corpus();
    env.index("corpus");
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
    let env = TestEnv::with_corpus();
    env.index("corpus");
    let out = stdout_of(&mut env.cmd(["search", "ISIS-K", "-n", "1", "--color", "never"]));
    insta::assert_snapshot!(out);
}

#[test]
fn color_always_highlights_query_terms() {
    let env = TestEnv::with_corpus();
    env.index("corpus");
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
    let env = TestEnv::with_corpus();
    env.index("corpus");
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
    let env = TestEnv::with_corpus();
    env.index("corpus");
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
        .stderr(predicates::str::contains("no-such-folder: not a folder"));
}

fn fixtures_env() -> TestEnv {
    let env = TestEnv::new();
    env.copy_folder(&repo().join("tests/fixtures"), "articles");
    env
}

fn first_hit(env: &TestEnv, query: &str) -> Value {
    let hits = env.search_json(&[query, "-n", "1"]);
    hits.into_iter().next().expect("one hit")
}

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
        .search_json(&["*", "-n", "100"])
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
