//! Crashes at chosen moments: `lede index`, `add` and `remove` killed with
//! SIGKILL at the Nth call of a system call that writes (a commit's rename of
//! meta.json, an fsync, a write, an unlink of merged segments), injected with
//! strace. After each kill the next run must complete and the index must hold
//! every article exactly once: none lost, none twice.

use std::collections::BTreeSet;
use std::process::Command;

use crate::env::*;

/// Whether strace can trace here (installed, and allowed to).
fn strace_works() -> bool {
    Command::new("strace")
        .args(["-f", "-o", "/dev/null", "true"])
        .status()
        .is_ok_and(|s| s.success())
}

/// A moment to kill at: the `when`th call of `calls`, only on `path` if given.
struct Moment {
    calls: &'static str,
    when: u32,
    path: Option<&'static str>,
}

const fn at(calls: &'static str, when: u32, path: Option<&'static str>) -> Moment {
    Moment { calls, when, path }
}

const COMMIT: &str = "rename,renameat,renameat2";
const SYNC: &str = "fsync,fdatasync";
const WRITE: &str = "write,pwrite64";
const UNLINK: &str = "unlink,unlinkat";

/// Runs lede under strace, killed at the moment; true when it was killed.
fn killed_at(env: &TestEnv, moment: &Moment, args: &[&str]) -> bool {
    let mut strace = Command::new("strace");
    strace
        .current_dir(env.path(""))
        .env_remove("LEDE_INDEX")
        .args(["-f", "-o", "/dev/null"]);
    if let Some(path) = moment.path {
        strace.args(["-P", path]);
    }
    let status = strace
        .args(["-e", &format!("trace={}", moment.calls)])
        .args([
            "-e",
            &format!(
                "inject={}:signal=SIGKILL:when={}",
                moment.calls, moment.when
            ),
        ])
        .arg(assert_cmd::cargo::cargo_bin("lede"))
        .args(args)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .status()
        .expect("run strace");
    !status.success()
}

/// The article files the index holds, each once (passages checked for repeats).
fn indexed_paths(env: &TestEnv) -> BTreeSet<String> {
    let hits = env.all_passages();
    assert_no_duplicate_passages(&hits);
    hits.iter()
        .filter_map(|h| h["article"]["path"].as_str().map(str::to_string))
        .collect()
}

fn paths(dir: &str, range: std::ops::Range<usize>) -> BTreeSet<String> {
    range.map(|i| format!("{dir}/{i:05}.txt")).collect()
}

/// The moments of one command: commits, syncs, writes and unlinks at several counts.
fn moments() -> Vec<Moment> {
    vec![
        at(COMMIT, 1, Some("index/meta.json")),
        at(COMMIT, 2, Some("index/meta.json")),
        at(COMMIT, 4, Some("index/meta.json")),
        at(SYNC, 1, None),
        at(SYNC, 4, None),
        at(SYNC, 12, None),
        at(WRITE, 40, None),
        at(WRITE, 400, None),
        at(UNLINK, 1, None),
        at(UNLINK, 3, None),
    ]
}

#[test]
fn sigkill_of_index_add_and_remove_at_chosen_moments_loses_and_doubles_nothing() {
    if !strace_works() {
        eprintln!("strace is not available or may not trace; skipped");
        return;
    }
    let mut kills = 0;
    // `lede index`: a first run in small batches (several commits and merges),
    // then an incremental run that adds, changes and deletes files.
    for moment in moments() {
        let env = TestEnv::new();
        env.generate("news", 40);
        let args = ["index", "news", "--batch-size", "4", "--quiet"];
        kills += usize::from(killed_at(&env, &moment, &args));
        env.cmd(args).assert().success();
        assert_eq!(
            indexed_paths(&env),
            paths("news", 0..40),
            "{}",
            moment.calls
        );

        env.generate("more", 10);
        for i in 30..40 {
            std::fs::remove_file(env.path(&format!("news/{i:05}.txt"))).expect("delete");
        }
        std::fs::rename(env.path("more"), env.path("news/more")).expect("move");
        kills += usize::from(killed_at(&env, &moment, &args));
        env.cmd(args).assert().success();
        let mut expected = paths("news", 0..30);
        expected.extend(paths("news/more", 0..10));
        assert_eq!(
            indexed_paths(&env),
            expected,
            "{} {}",
            moment.calls,
            moment.when
        );
    }
    // `lede add` and `lede remove` on an index of 20 articles.
    for moment in moments().into_iter().take(7) {
        let env = TestEnv::new();
        env.generate("news", 20);
        env.generate("extra", 8);
        env.index("news");
        let added: Vec<String> = paths("extra", 0..8).into_iter().collect();
        let mut add = vec!["add", "--quiet"];
        add.extend(added.iter().map(String::as_str));
        kills += usize::from(killed_at(&env, &moment, &add));
        env.cmd(&add).assert().success();
        let mut expected = paths("news", 0..20);
        expected.extend(paths("extra", 0..8));
        assert_eq!(indexed_paths(&env), expected, "add {}", moment.calls);

        let removed: Vec<String> = paths("news", 0..5).into_iter().collect();
        let mut remove = vec!["remove", "--quiet"];
        remove.extend(removed.iter().map(String::as_str));
        kills += usize::from(killed_at(&env, &moment, &remove));
        // What the killed run removed is gone; the rest goes now.
        env.cmd(&remove).assert().code(predicates::ord::le(3));
        let expected: BTreeSet<String> = expected
            .into_iter()
            .filter(|p| !removed.contains(p))
            .collect();
        assert_eq!(indexed_paths(&env), expected, "remove {}", moment.calls);
    }
    eprintln!("{kills} runs killed at chosen moments");
    assert!(kills >= 20, "only {kills} runs were killed");
}
