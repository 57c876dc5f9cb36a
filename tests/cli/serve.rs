//! `lede serve`: the JSON API answers what the commands print, on a real
//! server on a loopback port the system picks.

use std::io::{BufRead, BufReader};
use std::process::Child;
use std::time::{Duration, Instant};

use serde_json::Value;

use crate::env::*;

/// Far above what a debug build needs to start or to see a commit.
const TIMEOUT: Duration = Duration::from_secs(120);

/// A running `lede serve`, stopped when dropped.
pub struct Server {
    child: Child,
    pub base: String,
    agent: ureq::Agent,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Server {
    /// Starts `lede serve --addr 127.0.0.1:0 ARGS` in the environment and
    /// waits for the address it prints.
    pub fn start(env: &TestEnv, args: &[&str]) -> Server {
        let mut child = env
            .process(["serve", "--addr", "127.0.0.1:0"].iter().chain(args))
            .spawn()
            .expect("start lede serve");
        let stderr = child.stderr.take().expect("piped stderr");
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                if let Some(at) = line.find("http://") {
                    let url = line[at..]
                        .split_whitespace()
                        .next()
                        .unwrap_or("")
                        .to_string();
                    let _ = tx.send(url.trim_end_matches('/').to_string());
                }
            }
        });
        let base = rx
            .recv_timeout(TIMEOUT)
            .expect("lede serve prints the address it serves at");
        let agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .build()
            .into();
        Server { child, base, agent }
    }

    /// GET a path: the status and the body as JSON.
    pub fn get(&self, path: &str) -> (u16, Value) {
        self.get_with(path, None)
    }

    pub fn get_with(&self, path: &str, token: Option<&str>) -> (u16, Value) {
        let mut request = self.agent.get(format!("{}{path}", self.base));
        if let Some(token) = token {
            request = request.header("Authorization", format!("Bearer {token}"));
        }
        let mut response = request.call().expect("the server answers");
        let status = response.status().as_u16();
        let body = response
            .body_mut()
            .read_json::<Value>()
            .expect("a JSON body");
        (status, body)
    }

    /// GET a path: status, content type and body as text.
    pub fn get_text(&self, path: &str) -> (u16, String, String) {
        let mut response = self
            .agent
            .get(format!("{}{path}", self.base))
            .call()
            .expect("the server answers");
        let kind = response
            .headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_string();
        let status = response.status().as_u16();
        let body = response.body_mut().read_to_string().expect("a text body");
        (status, kind, body)
    }

    /// Waits until a GET of `path` answers with `status`.
    pub fn wait_for(&self, path: &str, status: u16) -> Value {
        let started = Instant::now();
        loop {
            let (got, body) = self.get(path);
            if got == status {
                return body;
            }
            assert!(
                started.elapsed() < TIMEOUT,
                "{path} gave {got} {body} for {TIMEOUT:?}"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }
}

/// A query-string value, escaped.
fn q(value: &str) -> String {
    form_urlencoded::byte_serialize(value.as_bytes()).collect()
}

/// A path segment, escaped.
fn segment(value: &str) -> String {
    q(value).replace('+', "%20")
}

fn hits(body: &Value) -> &Vec<Value> {
    body["hits"].as_array().expect("hits is an array")
}

#[test]
fn search_gives_the_hits_lede_search_prints_with_their_total_and_facets() {
    let env = indexed_articles();
    let server = Server::start(env, &[]);
    let (status, body) = server.get("/api/search?q=moscow&n=4");
    assert_eq!(status, 200, "{body}");
    let cli = env.search_json(&["moscow", "-n", "4"]);
    assert_eq!(hits(&body), &cli, "the API's hits are lede search --json's");
    assert_eq!(
        (body["n"].as_u64(), body["offset"].as_u64()),
        (Some(4), Some(0))
    );

    // Every passage that matches is counted, not only the page returned.
    let all = env.search_json(&["moscow", "-n", "0", "--per-article", "0"]);
    assert_eq!(body["total"]["passages"].as_u64(), Some(all.len() as u64));
    let mut articles: Vec<&str> = all
        .iter()
        .filter_map(|h| h["article"]["id"].as_str())
        .collect();
    articles.sort_unstable();
    articles.dedup();
    assert_eq!(
        body["total"]["articles"].as_u64(),
        Some(articles.len() as u64)
    );

    // The facets are `lede entities` over the same query.
    let places = env.ok_stdout([
        "entities", "moscow", "--type", "place", "--json", "-n", "10",
    ]);
    let places = json_lines(&places);
    assert!(!places.is_empty());
    assert_eq!(body["facets"]["place"].as_array(), Some(&places));

    // The next page starts where this one ended.
    assert!(cli.len() >= 3, "{cli:?}");
    let (_, next) = server.get("/api/search?q=moscow&n=2&offset=1");
    assert_eq!(hits(&next)[..], cli[1..3]);
    assert_eq!(hits(&next)[0]["rank"], 2);
}

#[test]
fn facets_follow_the_query_and_entity_filters_narrow_it() {
    let env = indexed_articles();
    let server = Server::start(env, &[]);
    let (_, broad) = server.get("/api/search?q=*&n=1");
    let (_, narrow) = server.get("/api/search?q=krasnogorsk&n=1");
    let count = |body: &Value| body["total"]["passages"].as_u64().unwrap_or(0);
    assert!(
        count(&narrow) > 0 && count(&narrow) < count(&broad),
        "{narrow}"
    );

    // A facet, clicked: only passages of articles that mention it.
    let place = broad["facets"]["place"][0]["name"]
        .as_str()
        .expect("a place facet")
        .to_string();
    let (status, filtered) = server.get(&format!("/api/search?q=*&n=50&place={}", q(&place)));
    assert_eq!(status, 200, "{filtered}");
    let cli = env.search_json(&["*", "-n", "50", "--place", &place]);
    assert_eq!(hits(&filtered), &cli);
    assert!(count(&filtered) <= count(&broad));
    assert_eq!(
        filtered["facets"]["place"][0]["articles"].as_u64(),
        filtered["total"]["articles"].as_u64(),
        "every filtered article mentions {place}: {}",
        filtered["facets"]["place"][0]
    );

    // Without a query, the filters alone choose, as on the command line.
    let (_, alone) = server.get(&format!("/api/search?place={}&n=50", q(&place)));
    assert_eq!(
        hits(&alone),
        &env.search_json(&["--place", &place, "-n", "50"])
    );
    // Neither a query nor a filter: nothing.
    let (status, empty) = server.get("/api/search?q=");
    assert_eq!(status, 200);
    assert_eq!(empty["total"]["passages"], 0);
    assert!(hits(&empty).is_empty());
}

#[test]
fn bad_parameters_unknown_ids_and_paths_are_json_errors_with_their_status() {
    let env = indexed_articles();
    let server = Server::start(env, &[]);
    for (path, status, says) in [
        ("/api/search?q=a&n=many", 400, "n=\"many\""),
        ("/api/search?q=a&n=100000", 400, "from 0 to 1000"),
        ("/api/search?q=a&since=yesterday", 400, "since: "),
        (
            "/api/search?q=a&colour=red",
            400,
            "unknown parameter \"colour\"",
        ),
        ("/api/search?q=a&q=b", 400, "twice"),
        ("/api/search?q=a&path=%5B", 400, "--path"),
        (
            "/api/entities?type=animal",
            400,
            "person, organization or place",
        ),
        (
            "/api/articles/0000000000000000",
            404,
            "no article has the id",
        ),
        (
            "/api/entities/Nobody%20Atall/with",
            404,
            "no article mentions",
        ),
        (
            "/api/entities/Nobody%20Atall/timeline",
            404,
            "no article mentions",
        ),
        ("/api/nothing", 404, "/api/nothing: no such page"),
        ("/nothing", 404, "/nothing: no such page"),
        ("/api/articles/%FF", 400, "UTF-8"),
        ("/api/stats?x=1", 400, "this takes none"),
    ] {
        let (got, body) = server.get(path);
        assert_eq!(got, status, "{path}: {body}");
        assert_eq!(body["status"], status, "{path}: {body}");
        let error = body["error"].as_str().unwrap_or("");
        assert!(error.contains(says), "{path}: {error}");
    }
    let long = format!("/api/search?q={}", "a".repeat(20_000));
    let (got, body) = server.get(&long);
    assert_eq!(got, 414, "{body}");
    let mut response = server
        .agent
        .post(format!("{}/api/search", server.base))
        .send(&[0u8; 100][..])
        .expect("the server answers");
    assert_eq!(response.status().as_u16(), 405);
    let body: Value = response.body_mut().read_json().expect("a JSON error");
    assert!(
        body["error"].as_str().is_some_and(|e| e.contains("GET")),
        "{body}"
    );
}

#[test]
fn an_article_comes_whole_with_its_entities_marked_in_the_text() {
    let env = indexed_articles();
    let server = Server::start(env, &[]);
    let hit = first_hit(env, "krasnogorsk");
    let id = hit["article"]["id"].as_str().expect("an id");
    let (status, body) = server.get(&format!("/api/articles/{id}"));
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["article"], hit["article"]);
    let passages = body["passages"].as_array().expect("passages");
    let all = env.search_json(&["*", "-n", "0", "--per-article", "0"]);
    let own: Vec<&Value> = all.iter().filter(|h| h["article"]["id"] == id).collect();
    assert_eq!(passages.len(), own.len(), "every passage of the article");
    let mut marked = 0;
    for (i, passage) in passages.iter().enumerate() {
        assert_eq!(passage["index"], i as u64, "in order");
        let text = passage["text"].as_str().expect("text");
        let mut last = 0;
        for mark in passage["marks"].as_array().expect("marks") {
            let (start, end) = (
                mark["start"].as_u64().expect("start") as usize,
                mark["end"].as_u64().expect("end") as usize,
            );
            assert!(start >= last && start < end, "ordered, apart: {mark}");
            let named = text.get(start..end).expect("on character boundaries");
            let kind = mark["type"].as_str().expect("type");
            let names = &passage["entities"][kind];
            assert!(
                names.as_array().is_some_and(|n| n.contains(&mark["name"])),
                "{named:?} marks an entity of the passage: {mark}"
            );
            last = end;
            marked += 1;
        }
    }
    assert!(marked > 0, "the article names someone or somewhere");
    let entities = body["entities"].as_array().expect("entities");
    assert!(
        entities.iter().any(|e| e["name"] == "Moscow"),
        "{entities:?}"
    );
}

#[test]
fn entities_with_timeline_and_stats_answer_what_the_commands_print() {
    let env = indexed_articles();
    let server = Server::start(env, &[]);
    let (status, body) = server.get("/api/entities?n=5&type=person");
    assert_eq!(status, 200, "{body}");
    let cli = json_lines(&env.ok_stdout(["entities", "--type", "person", "-n", "5", "--json"]));
    assert_eq!(body["entities"].as_array(), Some(&cli));

    let top = cli[0]["name"].as_str().expect("a person").to_string();
    let (_, with) = server.get(&format!("/api/entities/{}/with?n=5", segment(&top)));
    let cli_with = json_lines(&env.ok_stdout(["entities", "--with", &top, "-n", "5", "--json"]));
    assert_eq!(with["entities"].as_array(), Some(&cli_with));

    let (_, timeline) = server.get(&format!("/api/entities/{}/timeline", segment(&top)));
    let cli_timeline = json_lines(&env.ok_stdout(["entities", "--timeline", &top, "--json"]));
    assert!(!cli_timeline.is_empty());
    assert_eq!(timeline["months"].as_array(), Some(&cli_timeline));
    assert_eq!(timeline["entity"], top.as_str());

    let (_, stats) = server.get("/api/stats");
    let cli_stats: Value =
        serde_json::from_slice(&env.ok_stdout(["stats", "--json"])).expect("JSON stats");
    assert_eq!(stats, cli_stats);
}

#[test]
fn the_page_is_served_from_the_binary_and_loads_nothing_from_elsewhere() {
    let env = indexed_articles();
    let server = Server::start(env, &[]);
    let (status, kind, html) = server.get_text("/");
    assert_eq!(status, 200);
    assert!(kind.starts_with("text/html"), "{kind}");
    assert!(html.contains("id=\"q\""), "the query box");
    for asset in ["/app.js", "/style.css"] {
        assert!(html.contains(asset), "the page loads {asset}");
        let (status, _, body) = server.get_text(asset);
        assert_eq!(status, 200);
        assert!(body.len() > 100, "{asset} is served");
    }
    assert!(
        !html.contains("//cdn") && !html.contains("https://"),
        "no CDN"
    );
}

#[test]
fn a_token_is_needed_on_every_api_request_when_one_is_given() {
    let env = indexed_articles();
    let server = Server::start(env, &["--token", "s3cret"]);
    let (status, body) = server.get("/api/stats");
    assert_eq!(status, 401, "{body}");
    assert!(body["error"].as_str().is_some_and(|e| e.contains("Bearer")));
    assert_eq!(
        server.get_with("/api/search?q=moscow", Some("wrong")).0,
        401
    );
    assert_eq!(
        server.get_with("/api/search?q=moscow", Some("s3cret")).0,
        200
    );
    assert_eq!(server.get_with("/api/stats", Some("s3cret")).0, 200);
}

#[test]
fn listening_beyond_loopback_warns_that_other_machines_can_reach_it() {
    let env = TestEnv::new();
    let mut child = env
        .process(["serve", "--addr", "0.0.0.0:0"])
        .spawn()
        .expect("start lede serve");
    let stderr = child.stderr.take().expect("piped stderr");
    let lines: Vec<String> = BufReader::new(stderr)
        .lines()
        .map_while(Result::ok)
        .take_while(|l| !l.contains("http://"))
        .collect();
    let _ = child.kill();
    let _ = child.wait();
    let warning = lines.join("\n");
    assert!(warning.contains("other machines can reach"), "{warning}");
    assert!(warning.contains("--token"), "{warning}");
}

#[test]
fn the_server_waits_for_an_index_and_shows_new_commits_without_a_restart() {
    let env = TestEnv::new();
    env.generate("news", 3);
    let server = Server::start(&env, &[]);
    let (status, body) = server.get("/api/search?q=harbour");
    assert_eq!(status, 503, "{body}");
    assert!(
        body["error"]
            .as_str()
            .is_some_and(|e| e.contains("lede index"))
    );

    env.cmd(["index", "news", "-q"]).assert().success();
    let body = server.wait_for("/api/search?q=harbour&n=10", 200);
    assert_eq!(body["total"]["articles"], 3, "{body}");

    env.write(
        "late.txt",
        b"Zeppelin hangar\n\nA zeppelin landed in Lyon on Monday.\n",
    );
    env.cmd(["add", "late.txt", "-q"]).assert().success();
    let started = Instant::now();
    while hits(&server.get("/api/search?q=zeppelin").1).is_empty() {
        assert!(started.elapsed() < TIMEOUT, "the new commit never showed");
        std::thread::sleep(Duration::from_millis(100));
    }
}

#[test]
fn serve_watch_indexes_the_folder_and_serves_what_lands_in_it() {
    let env = TestEnv::new();
    env.generate("news", 2);
    let server = Server::start(&env, &["--watch", "news"]);
    let body = server.wait_for("/api/search?q=harbour", 200);
    let started = Instant::now();
    let mut body = body;
    while body["total"]["articles"] != 2 {
        assert!(started.elapsed() < TIMEOUT, "the first pass: {body}");
        std::thread::sleep(Duration::from_millis(100));
        body = server.get("/api/search?q=harbour").1;
    }
    std::fs::write(
        env.path("news/new.txt"),
        "Zeppelin hangar\n\nA zeppelin landed in Lyon.\n",
    )
    .expect("write");
    while hits(&server.get("/api/search?q=zeppelin").1).is_empty() {
        assert!(started.elapsed() < TIMEOUT, "the new file never showed");
        std::thread::sleep(Duration::from_millis(100));
    }
}
