//! The test environment: a temporary folder, copies of articles, and the real `lede` binary.

use std::fs;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use std::time::{Duration, SystemTime};

use assert_cmd::Command;
use serde_json::Value;
use tempfile::TempDir;

pub const SEED: &str = "000_9434b53dda31b95b.txt";

/// A temporary folder with a copy of articles and an index beside them.
pub struct TestEnv {
    dir: TempDir,
}

impl TestEnv {
    pub fn new() -> TestEnv {
        TestEnv {
            dir: tempfile::tempdir().expect("a temporary folder"),
        }
    }

    /// A folder with a copy of `corpus/`, its files dated 2024-03-23 12:00 UTC.
    pub fn with_corpus() -> TestEnv {
        let env = TestEnv::new();
        env.copy_folder(&repo().join("corpus"), "corpus");
        env
    }

    /// Copies the articles of a repository folder into the environment (files
    /// only, one level; its README.md, which describes the folder, stays out).
    pub fn copy_folder(&self, from: &Path, to: &str) {
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

    pub fn path(&self, rel: &str) -> PathBuf {
        self.dir.path().join(rel)
    }

    pub fn write(&self, rel: &str, bytes: &[u8]) {
        let path = self.path(rel);
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent).expect("create folder");
        }
        fs::write(&path, bytes).expect("write file");
        set_mtime(&path);
    }

    /// The `lede` binary, run in the environment with a clean environment.
    pub fn cmd<I, S>(&self, args: I) -> Command
    where
        I: IntoIterator<Item = S>,
        S: AsRef<std::ffi::OsStr>,
    {
        let mut cmd = Command::cargo_bin("lede").expect("the lede binary");
        cmd.current_dir(self.dir.path())
            .env_remove("LEDE_INDEX")
            .env_remove("LEDE_ALIASES")
            .env_remove("NO_COLOR")
            .args(args);
        cmd
    }

    /// The stdout of a `lede` run that must succeed.
    pub fn ok_stdout<I, S>(&self, args: I) -> Vec<u8>
    where
        I: IntoIterator<Item = S>,
        S: AsRef<std::ffi::OsStr>,
    {
        self.cmd(args)
            .assert()
            .success()
            .get_output()
            .stdout
            .clone()
    }

    pub fn index(&self, dir: &str) -> Value {
        let out = self.ok_stdout(["index", dir, "--json"]);
        serde_json::from_slice(&out).expect("summary is JSON")
    }

    pub fn search_json(&self, args: &[&str]) -> Vec<Value> {
        json_lines(&self.ok_stdout(["search", "--json"].iter().chain(args)))
    }
}

/// A copy of `corpus/` indexed once for the whole test binary, for tests that
/// only read it (search, entities): nothing may write to it. It lives under
/// cargo's temporary folder for integration tests and is never removed.
pub fn indexed_corpus() -> &'static TestEnv {
    static ENV: OnceLock<TestEnv> = OnceLock::new();
    ENV.get_or_init(|| {
        let env = TestEnv {
            dir: tempfile::tempdir_in(env!("CARGO_TARGET_TMPDIR")).expect("a temporary folder"),
        };
        env.copy_folder(&repo().join("corpus"), "corpus");
        env.index("corpus");
        env
    })
}

/// The well-formed articles of `tests/fixtures/`, beside `corpus/`.
pub const GOOD_FIXTURES: [&str; 6] = [
    "article.html",
    "article.md",
    "articles.json",
    "articles.jsonl",
    "plain.txt",
    "title_only.json",
];

/// `corpus/` and the fixtures of [`GOOD_FIXTURES`] in one folder, `articles/`,
/// indexed once for the whole test binary; like [`indexed_corpus`], nothing
/// may write to it. The malformed line of `articles.jsonl` is reported and
/// does not fail the run.
pub fn indexed_articles() -> &'static TestEnv {
    static ENV: OnceLock<TestEnv> = OnceLock::new();
    ENV.get_or_init(|| {
        let env = TestEnv {
            dir: tempfile::tempdir_in(env!("CARGO_TARGET_TMPDIR")).expect("a temporary folder"),
        };
        env.copy_folder(&repo().join("corpus"), "articles");
        for name in GOOD_FIXTURES {
            let bytes = fs::read(repo().join("tests/fixtures").join(name)).expect("read fixture");
            env.write(&format!("articles/{name}"), &bytes);
        }
        env.cmd(["index", "articles", "-q"]).assert().success();
        env
    })
}

pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub fn set_mtime(path: &Path) {
    let when = SystemTime::UNIX_EPOCH + Duration::from_secs(1_711_195_200); // 2024-03-23T12:00:00Z
    fs::File::options()
        .write(true)
        .open(path)
        .and_then(|f| f.set_modified(when))
        .expect("set mtime");
}

pub fn json_lines(out: &[u8]) -> Vec<Value> {
    String::from_utf8_lossy(out)
        .lines()
        .map(|l| serde_json::from_str(l).expect("each line is JSON"))
        .collect()
}

pub fn stdout_of(cmd: &mut Command) -> String {
    String::from_utf8(cmd.assert().get_output().stdout.clone()).expect("utf-8 output")
}

pub fn fixtures_env() -> TestEnv {
    let env = TestEnv::new();
    env.copy_folder(&repo().join("tests/fixtures"), "articles");
    env
}

pub fn first_hit(env: &TestEnv, query: &str) -> Value {
    let hits = env.search_json(&[query, "-n", "1"]);
    hits.into_iter().next().expect("one hit")
}

impl TestEnv {
    /// Writes `n` small, distinct articles into `dir`.
    pub fn generate(&self, dir: &str, n: usize) {
        const PLACES: [&str; 6] = ["Rotterdam", "Lisbon", "Oslo", "Kabul", "Moscow", "Lyon"];
        for i in 0..n {
            let place = PLACES[i % PLACES.len()];
            let text = format!(
                "Harbour report {i} from {place} ({dir})\n\n\
                 The harbour board in {place} met on day {i} to discuss cargo volume {v}. \
                 Officials said the quay number {q} would be extended next year.\n\n\
                 Minister Anna Berg said the plan for shipment {i} was sound. \
                 Critics from the Dockworkers Union asked for a review of item {r}.\n",
                v = i * 7,
                q = i % 13,
                r = i * 3 + 1
            );
            self.write(&format!("{dir}/{i:05}.txt"), text.as_bytes());
        }
    }

    /// The `lede` binary as a plain process, for runs in the background.
    pub fn process<I, S>(&self, args: I) -> std::process::Command
    where
        I: IntoIterator<Item = S>,
        S: AsRef<std::ffi::OsStr>,
    {
        let mut cmd = std::process::Command::new(assert_cmd::cargo::cargo_bin("lede"));
        cmd.current_dir(self.dir.path())
            .env_remove("LEDE_INDEX")
            .args(args)
            .stdin(std::process::Stdio::null())
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::piped());
        cmd
    }

    /// Every passage in the index, as JSON hits.
    pub fn all_passages(&self) -> Vec<Value> {
        let out = self
            .cmd([
                "search",
                "*",
                "-n",
                "1000000",
                "--per-article",
                "0",
                "--json",
            ])
            .assert()
            .get_output()
            .stdout
            .clone();
        json_lines(&out)
    }

    /// Waits until the index holds at least one article.
    pub fn wait_for_first_commit(&self, timeout: Duration) {
        let started = std::time::Instant::now();
        while started.elapsed() < timeout {
            let status = self
                .cmd(["search", "harbour", "-n", "1", "--json"])
                .output()
                .expect("run lede search");
            if status.status.code() == Some(0) {
                return;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        panic!("no commit within {timeout:?}");
    }
}

/// Checks that no passage is in the index twice, and returns the number of distinct articles.
pub fn assert_no_duplicate_passages(hits: &[Value]) -> usize {
    let mut seen = std::collections::HashSet::new();
    let mut articles = std::collections::HashSet::new();
    for hit in hits {
        let id = hit["article"]["id"]
            .as_str()
            .expect("article id")
            .to_string();
        let index = hit["passage"]["index"].as_u64().expect("passage index");
        assert!(
            seen.insert((id.clone(), index)),
            "passage {id}#{index} twice"
        );
        articles.insert(id);
    }
    articles.len()
}
