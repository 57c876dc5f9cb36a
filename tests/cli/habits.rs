//! Everyday habits: pipes, limits, batches of queries, and error messages that say what to type.

use std::process::Stdio;

use crate::env::*;

/// Runs `lede` with its stdout closed before it writes, as `| head -0` does.
fn exit_with_closed_stdout(env: &TestEnv, args: &[&str]) -> (Option<i32>, String) {
    let mut child = env
        .process(args)
        .stdout(Stdio::piped())
        .spawn()
        .expect("start lede");
    drop(child.stdout.take());
    let out = child.wait_with_output().expect("wait for lede");
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stderr).into(),
    )
}

#[test]
fn every_output_format_into_a_closed_pipe_exits_zero() {
    let env = indexed_corpus();
    for format in [None, Some("--json"), Some("--csv")] {
        let mut args = vec!["search", "moscow", "-n", "0"];
        args.extend(format);
        let (code, stderr) = exit_with_closed_stdout(env, &args);
        assert_eq!(code, Some(0), "{format:?}: {stderr}");
        assert!(!stderr.contains("Broken pipe"), "{format:?}: {stderr}");
    }
}

#[test]
fn a_limit_of_zero_prints_every_hit() {
    let env = indexed_corpus();
    let all = env.search_json(&["moscow", "-n", "0", "--per-article", "0"]);
    let many = env.search_json(&["moscow", "-n", "1000", "--per-article", "0"]);
    assert!(all.len() > 10, "{} hits", all.len());
    assert_eq!(all.len(), many.len());
}

#[test]
fn queries_from_stdin_keep_the_ones_that_find_nothing() {
    let env = indexed_corpus();
    let run = |format: &str| {
        let out = env
            .cmd(["search", "--queries", "-", "-n", "1", format])
            .write_stdin("moscow\nzzqqxx\nputin\n")
            .assert()
            .success()
            .get_output()
            .stdout
            .clone();
        String::from_utf8(out).expect("utf-8")
    };
    let lines = json_lines(run("--json").as_bytes());
    let queries: Vec<&str> = lines.iter().filter_map(|l| l["query"].as_str()).collect();
    assert_eq!(queries, ["moscow", "zzqqxx", "putin"]);
    assert_eq!(lines[1]["hits"], 0);
    assert!(lines[1].get("rank").is_none(), "{}", lines[1]);
    let csv = run("--csv");
    let rows: Vec<&str> = csv.lines().collect();
    assert_eq!(rows.len(), 4, "{csv}");
    assert!(rows[2].starts_with("zzqqxx,0,"), "{csv}");
    let text = run("--color=never");
    assert!(
        text.contains("== zzqqxx ==\nno hits\n\n== putin =="),
        "{text}"
    );
}

#[test]
fn entities_with_a_surname_leave_out_that_person_and_unknown_names_say_so() {
    let env = indexed_corpus();
    let listed = stdout_of(&mut env.cmd(["entities", "--with", "Van Ginkel", "-n", "0"]));
    assert!(listed.contains("Afghanistan"), "{listed}");
    assert!(!listed.contains("Ginkel"), "{listed}");
    env.cmd(["entities", "--with", "Nobodyx"])
        .assert()
        .code(1)
        .stderr(predicates::str::contains(
            "no article mentions \"Nobodyx\"; `lede entities` lists the names",
        ));
    env.cmd(["entities", "--timeline", "Ginkel, Bibi van"])
        .assert()
        .success();
}

#[test]
fn stats_count_what_entities_lists_and_a_missing_source_is_null() {
    let env = TestEnv::with_corpus();
    env.write(
        "corpus/nosource.json",
        br#"{"title": "Harbour strike", "text": "Dockworkers in Rotterdam stopped work on Monday."}"#,
    );
    env.index("corpus");
    let stats: serde_json::Value =
        serde_json::from_str(&stdout_of(&mut env.cmd(["stats", "--json"]))).expect("JSON");
    let rows = json_lines(stdout_of(&mut env.cmd(["entities", "-n", "0", "--json"])).as_bytes());
    for (kind, key) in [
        ("person", "person"),
        ("organization", "organization"),
        ("place", "place"),
    ] {
        let listed = rows.iter().filter(|r| r["type"] == kind).count();
        assert_eq!(stats["entities"][key], listed as u64, "{kind}");
    }
    let sources = stats["sources"].as_array().expect("a list");
    assert!(
        sources
            .iter()
            .any(|s| s["name"].is_null() && s["articles"] == 1),
        "{sources:?}"
    );
    assert!(
        sources.iter().any(|s| s["name"] == "NOS News"),
        "{sources:?}"
    );
}

#[test]
fn errors_say_which_command_to_type() {
    let env = TestEnv::with_corpus();
    env.cmd(["index", &format!("corpus/{SEED}")])
        .assert()
        .code(2)
        .stderr(predicates::str::contains(format!(
            "`lede add corpus/{SEED}`"
        )));
    env.cmd(["add", "corpus"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains(
            "corpus: a folder; index a folder with `lede index corpus`",
        ));
    env.write("afile", b"not an index");
    env.cmd(["search", "moscow", "--index", "afile"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains(
            "afile is a file, not an index folder",
        ));
    env.cmd(["index", "corpus", "--index", "afile"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains(
            "afile is a file, not an index folder",
        ));
    env.write(
        "page.html",
        b"<html><head><script>x()</script></head><body><nav>Home</nav></body></html>",
    );
    env.cmd(["add", "page.html"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("page.html: no article text"));
}

#[test]
fn an_empty_lede_index_is_the_default_index() {
    let env = TestEnv::with_corpus();
    env.cmd(["index", "corpus", "--quiet"])
        .env("LEDE_INDEX", "")
        .env("LEDE_ALIASES", "")
        .assert()
        .success();
    assert!(env.path("index/meta.json").is_file());
    env.cmd(["search", "moscow"])
        .env("LEDE_INDEX", "")
        .assert()
        .success();
}

#[test]
fn an_empty_folder_is_not_an_error_and_makes_no_index() {
    let env = TestEnv::new();
    std::fs::create_dir_all(env.path("empty")).expect("create folder");
    env.cmd(["index", "empty"])
        .assert()
        .success()
        .stderr(predicates::str::contains("empty: no .txt"));
    assert!(!env.path("index").exists());
}

#[test]
fn utf16_articles_are_read_as_text() {
    let env = TestEnv::new();
    let text = "Flood warning\n\nThe river Vecht rose in Dalfsen overnight.\n";
    let mut bytes = vec![0xFF, 0xFE];
    bytes.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
    env.write("in/flood.txt", &bytes);
    env.index("in");
    let hit = first_hit(&env, "Vecht");
    assert_eq!(hit["article"]["title"], "Flood warning");
}
