//! `lede watch`: files created, edited, moved and deleted while it runs are
//! searchable within the timeout, and killing it loses nothing committed.

use std::process::Child;
use std::time::{Duration, Instant};

use crate::env::*;

/// Far above the 2 s a change takes to show up, since the tests run a debug
/// build on a busy machine.
const TIMEOUT: Duration = Duration::from_secs(120);

/// The watcher, killed when the test ends, however it ends.
struct Watcher(Child);

impl Drop for Watcher {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Waits until `done` holds; panics with `what` after [`TIMEOUT`].
fn eventually(what: &str, mut done: impl FnMut() -> bool) {
    let started = Instant::now();
    while !done() {
        assert!(
            started.elapsed() < TIMEOUT,
            "not within {TIMEOUT:?}: {what}"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// The paths of the articles a search finds.
fn found(env: &TestEnv, query: &str) -> Vec<String> {
    let out = env
        .cmd(["search", query, "--json", "-n", "0"])
        .output()
        .expect("run lede search");
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .filter_map(|v| v["article"]["path"].as_str().map(String::from))
        .collect()
}

#[test]
fn files_created_edited_moved_and_deleted_while_watching_are_indexed() {
    let env = TestEnv::new();
    env.generate("news", 2);
    let child = env
        .process(["watch", "news", "--debounce", "100", "-q"])
        .spawn()
        .expect("start lede watch");
    let mut watcher = Watcher(child);
    eventually("the first pass", || found(&env, "harbour").len() == 2);

    let article = env.path("news/new.txt");
    std::fs::write(&article, "Zeppelin hangar\n\nA zeppelin landed in Lyon.\n").expect("write");
    eventually("a new file", || found(&env, "zeppelin").len() == 1);

    std::fs::write(
        &article,
        "Dirigible hangar\n\nA dirigible landed in Lyon, not a balloon.\n",
    )
    .expect("edit");
    eventually("an edit", || {
        found(&env, "dirigible").len() == 1 && found(&env, "zeppelin").is_empty()
    });

    std::fs::create_dir(env.path("news/2024")).expect("a folder");
    std::fs::rename(&article, env.path("news/2024/moved.txt")).expect("move");
    eventually("a move", || {
        found(&env, "dirigible")
            .iter()
            .any(|p| p.ends_with("moved.txt"))
    });

    // Editors' swap and backup files are not articles.
    std::fs::write(env.path("news/.moved.txt.swp"), "swap of a dirigible").expect("write");
    std::fs::write(env.path("news/moved.txt~"), "backup of a dirigible").expect("write");
    std::fs::remove_file(env.path("news/2024/moved.txt")).expect("delete");
    eventually("a deletion", || found(&env, "dirigible").is_empty());

    // Killed, it leaves every committed change: a pass over the folder finds
    // nothing left to do.
    watcher.0.kill().expect("kill lede watch");
    let _ = watcher.0.wait();
    let summary = env.index("news");
    assert_eq!(
        (summary["added"].as_u64(), summary["updated"].as_u64()),
        (Some(0), Some(0)),
        "{summary}"
    );
    assert_eq!(summary["articles"], 2, "{summary}");
    assert_eq!(assert_no_duplicate_passages(&env.all_passages()), 2);
}

#[test]
fn a_polled_folder_is_looked_at_again_periodically() {
    // What a folder that cannot be watched gets (a network share sends no events).
    let env = TestEnv::new();
    env.generate("news", 1);
    let child = env
        .process(["watch", "news", "--poll", "--rescan", "1", "-q"])
        .spawn()
        .expect("start lede watch");
    let _watcher = Watcher(child);
    eventually("the first pass", || found(&env, "harbour").len() == 1);
    std::fs::write(
        env.path("news/late.txt"),
        "Late news\n\nA zeppelin in Oslo.\n",
    )
    .expect("write");
    eventually("a periodic pass", || found(&env, "zeppelin").len() == 1);
}
