//! The search page in a real browser: headless Chromium driven over WebDriver
//! (chromedriver) types a query, clicks a facet and opens an article, and the
//! DOM is checked against the API's answers.
//!
//! Where Chromium or chromedriver is not installed the test says so and
//! passes, unless `LEDE_BROWSER_TESTS=1` (as `.ci/run` sets) requires them.

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::{Client, ClientBuilder, Locator, key::Key};
use serde_json::{Value, json};

use crate::env::*;
use crate::serve::Server;

const WAIT: Duration = Duration::from_secs(60);

/// chromedriver, stopped when dropped.
struct Driver(Child);

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// The browser and its driver, or why they cannot be run here.
fn browser_programs() -> Result<(PathBuf, PathBuf), String> {
    let find = |var: &str, names: &[&str]| -> Option<PathBuf> {
        if let Some(path) = std::env::var_os(var) {
            return Some(PathBuf::from(path));
        }
        names
            .iter()
            .map(|n| Path::new("/usr/bin").join(n))
            .find(|p| p.exists())
    };
    let chromium = find(
        "LEDE_CHROMIUM",
        &["chromium", "chromium-browser", "google-chrome"],
    );
    let driver = find("LEDE_CHROMEDRIVER", &["chromedriver"]);
    match (chromium, driver) {
        (Some(c), Some(d)) => Ok((c, d)),
        _ => Err("Chromium and chromedriver are not installed \
             (apt-get install chromium chromium-driver)"
            .into()),
    }
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free loopback port")
}

async fn connect(chromium: &Path, driver: &Path, profile: &Path) -> (Driver, Client) {
    let port = free_port();
    let child = Command::new(driver)
        .arg(format!("--port={port}"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start chromedriver");
    let driver = Driver(child);
    let caps = json!({
        "goog:chromeOptions": {
            "binary": chromium,
            "args": [
                "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic",
                "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync",
                "--window-size=1200,900",
                format!("--user-data-dir={}", profile.display()),
            ]
        }
    });
    let caps = caps.as_object().cloned().expect("an object");
    let started = Instant::now();
    loop {
        let connector = hyper_util::client::legacy::connect::HttpConnector::new();
        match ClientBuilder::new(connector)
            .capabilities(caps.clone())
            .connect(&format!("http://127.0.0.1:{port}"))
            .await
        {
            Ok(client) => return (driver, client),
            Err(err) => {
                assert!(started.elapsed() < WAIT, "no WebDriver session: {err}");
                tokio::time::sleep(Duration::from_millis(200)).await;
            }
        }
    }
}

/// Runs a script in the page and returns what it returns.
async fn eval(client: &Client, script: &str) -> Value {
    client
        .execute(script, vec![])
        .await
        .expect("the script runs")
}

/// Waits until a script in the page returns `true`.
async fn until(client: &Client, what: &str, script: &str) {
    let started = Instant::now();
    while eval(client, script).await != Value::Bool(true) {
        assert!(started.elapsed() < WAIT, "not within {WAIT:?}: {what}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Clicks the first element `css` selects, finding it again when the page
/// re-rendered it between the find and the click.
async fn click(client: &Client, css: &str) {
    let started = Instant::now();
    loop {
        let clicked = match client.find(Locator::Css(css)).await {
            Ok(element) => element.click().await,
            Err(err) => Err(err),
        };
        match clicked {
            Ok(()) => return,
            Err(err) => {
                assert!(started.elapsed() < WAIT, "cannot click {css}: {err}");
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
        }
    }
}

/// Focuses the first element `css` selects and presses Enter on it, as a
/// keyboard user would, again when the page re-rendered it in between.
async fn press_enter(client: &Client, css: &str) {
    let focus = format!(
        "const e = document.querySelector({}); if (e) e.focus(); return !!e && document.activeElement === e",
        json!(css)
    );
    let started = Instant::now();
    loop {
        let pressed = if eval(client, &focus).await == Value::Bool(true) {
            match client.active_element().await {
                Ok(element) => element.send_keys(&Key::Enter.to_string()).await.is_ok(),
                Err(_) => false,
            }
        } else {
            false
        };
        if pressed {
            return;
        }
        assert!(started.elapsed() < WAIT, "cannot press Enter on {css}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// The titles of the hits shown, in order.
async fn shown_titles(client: &Client) -> Value {
    eval(
        client,
        "return [...document.querySelectorAll('#results article.hit a.title')].map(a => a.textContent.trim())",
    )
    .await
}

fn titles(answer: &Value) -> Value {
    answer["hits"]
        .as_array()
        .map(|hits| hits.iter().map(|h| h["article"]["title"].clone()).collect())
        .unwrap_or_default()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_page_searches_filters_by_a_facet_and_opens_an_article_in_a_real_browser() {
    let (chromium, driver) = match browser_programs() {
        Ok(found) => found,
        Err(why) if std::env::var_os("LEDE_BROWSER_TESTS").is_some_and(|v| v == "1") => {
            panic!("LEDE_BROWSER_TESTS=1 but {why}")
        }
        Err(why) => {
            eprintln!("skipped the browser test: {why}");
            return;
        }
    };
    let server = tokio::task::spawn_blocking(|| Server::start(indexed_articles(), &[]))
        .await
        .expect("the server starts");
    let profile = tempfile::tempdir().expect("a browser profile folder");
    let (_driver, client) = connect(&chromium, &driver, profile.path()).await;

    // Type a query and press Enter.
    client
        .goto(&format!("{}/", server.base))
        .await
        .expect("load the page");
    let input = client
        .wait()
        .at_most(WAIT)
        .for_element(Locator::Css("input#q"))
        .await
        .expect("the query box");
    input.send_keys("moscow").await.expect("type");
    input
        .send_keys(&Key::Enter.to_string())
        .await
        .expect("press Enter");
    until(
        &client,
        "hits shown",
        "return document.querySelectorAll('#results article.hit').length > 0",
    )
    .await;
    let answer = server.get("/api/search?q=moscow&n=10&facets=10").1;
    assert_eq!(shown_titles(&client).await, titles(&answer));
    let marked = eval(&client, "return [...document.querySelectorAll('#results p.text mark')].map(m => m.textContent.toLowerCase())").await;
    assert!(
        marked
            .as_array()
            .is_some_and(|m| !m.is_empty() && m.iter().all(|t| t == "moscow")),
        "the query word is highlighted: {marked}"
    );
    let total = eval(
        &client,
        "return document.querySelector('#total').textContent",
    )
    .await;
    let passages = answer["total"]["passages"].to_string();
    assert!(
        total.as_str().is_some_and(|t| t.contains(&passages)),
        "{total}"
    );
    let screenshot = client.screenshot().await.expect("a screenshot");
    std::fs::write(
        Path::new(env!("CARGO_TARGET_TMPDIR")).join("page-search.png"),
        screenshot,
    )
    .expect("save the screenshot");

    // Click a person facet: a chip appears and the hits are the API's for that filter.
    let first_person = "aside#facets section[data-type='person'] button.facet";
    let name = eval(
        &client,
        &format!(
            "return document.querySelector({}).dataset.name",
            json!(first_person)
        ),
    )
    .await;
    let name = name.as_str().expect("a person facet").to_string();
    click(
        &client,
        &format!("{first_person}[data-name={}]", json!(name)),
    )
    .await;
    until(
        &client,
        "the facet's chip",
        &format!(
            "return [...document.querySelectorAll('#chips button.chip')].some(c => c.dataset.type === 'person' && c.dataset.name === {})",
            json!(name)
        ),
    )
    .await;
    let filtered = server
        .get(&format!(
            "/api/search?q=moscow&n=10&facets=10&person={}",
            form_urlencoded::byte_serialize(name.as_bytes()).collect::<String>()
        ))
        .1;
    until(&client, "the filtered hits", &format!(
        "return JSON.stringify([...document.querySelectorAll('#results article.hit a.title')].map(a => a.textContent.trim())) === {}",
        json!(titles(&filtered).to_string())
    )).await;
    let url = client.current_url().await.expect("the URL");
    assert!(url.query().is_some_and(|q| q.contains("person=")), "{url}");

    // By keyboard: Enter on the chip removes the filter again.
    press_enter(&client, "#chips button.chip").await;
    until(
        &client,
        "the chip removed",
        "return document.querySelectorAll('#chips button.chip').length === 0",
    )
    .await;
    until(&client, "the unfiltered hits again", &format!(
        "return JSON.stringify([...document.querySelectorAll('#results article.hit a.title')].map(a => a.textContent.trim())) === {}",
        json!(titles(&answer).to_string())
    )).await;

    // Open the first hit's article: its text with the entities marked.
    click(&client, "#results article.hit a.title").await;
    until(&client, "the article view", "const s = document.querySelector('section#article'); return !!s && !s.hidden && s.querySelectorAll('mark.entity').length > 0").await;
    let id = answer["hits"][0]["article"]["id"].as_str().expect("an id");
    let view = server.get(&format!("/api/articles/{id}")).1;
    let heading = eval(
        &client,
        "return document.querySelector('section#article h2.title').textContent.trim()",
    )
    .await;
    assert_eq!(heading, view["article"]["title"]);
    let marks: usize = view["passages"]
        .as_array()
        .map(|ps| {
            ps.iter()
                .map(|p| p["marks"].as_array().map_or(0, Vec::len))
                .sum()
        })
        .unwrap_or(0);
    let shown = eval(
        &client,
        "return document.querySelectorAll('section#article mark.entity').length",
    )
    .await;
    assert_eq!(
        shown.as_u64(),
        Some(marks as u64),
        "every mention is marked"
    );

    // A phone-width screen: no sideways scrolling.
    client.set_window_size(375, 800).await.expect("resize");
    client
        .goto(&format!("{}/?q=moscow", server.base))
        .await
        .expect("load the page");
    until(
        &client,
        "hits at phone width",
        "return document.querySelectorAll('#results article.hit').length > 0",
    )
    .await;
    let fits = eval(
        &client,
        "return document.documentElement.scrollWidth <= window.innerWidth",
    )
    .await;
    assert_eq!(fits, Value::Bool(true), "the page fits a 375 px screen");
    let screenshot = client.screenshot().await.expect("a screenshot");
    std::fs::write(
        Path::new(env!("CARGO_TARGET_TMPDIR")).join("page-phone.png"),
        screenshot,
    )
    .expect("save the screenshot");
    client.close().await.expect("close the browser");
}
