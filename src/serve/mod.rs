//! `lede serve`: the JSON API and the search page over HTTP, reading the
//! index as new commits land.

mod api;
mod params;

use std::collections::VecDeque;
use std::future::Future;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Router;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use serde::Serialize;
use tantivy::{IndexReader, ReloadPolicy, Searcher};
use tokio::sync::Semaphore;

use crate::error::{Error, Result};
use crate::index::Store;
use crate::search::entities::Facets;

/// How `lede serve` runs.
#[derive(Debug, Clone)]
pub struct Config {
    /// The index folder; it need not exist yet.
    pub index: PathBuf,
    pub addr: SocketAddr,
    /// When set, every API request needs `Authorization: Bearer <token>`.
    pub token: Option<String>,
    /// The longest a request may take before it is answered with 503.
    pub timeout: Duration,
}

/// The longest a request's query string may be, in bytes.
pub const MAX_QUERY_STRING: usize = 16 * 1024;
/// The largest request body taken (the API reads none).
pub const MAX_BODY: usize = 16 * 1024;

/// Serves until `stop` completes or Ctrl-C is pressed; `listening` is called
/// with the address bound (the port the system chose for port 0).
pub fn run(
    config: Config,
    listening: impl FnOnce(SocketAddr),
    stop: impl Future<Output = ()> + Send + 'static,
) -> Result<()> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| Error::Threads(e.to_string()))?;
    runtime.block_on(async move {
        let listener = tokio::net::TcpListener::bind(config.addr)
            .await
            .map_err(|source| Error::Listen {
                addr: config.addr.to_string(),
                source,
            })?;
        let bound = listener.local_addr().map_err(|source| Error::Listen {
            addr: config.addr.to_string(),
            source,
        })?;
        listening(bound);
        let app = router(Arc::new(Shared::new(config)));
        let shutdown = async move {
            tokio::select! {
                _ = tokio::signal::ctrl_c() => {}
                () = stop => {}
            }
        };
        axum::serve(listener, app)
            .with_graceful_shutdown(shutdown)
            .await
            .map_err(|source| Error::Listen {
                addr: bound.to_string(),
                source,
            })
    })
}

fn router(shared: Arc<Shared>) -> Router {
    let api = Router::new()
        .route("/search", get(api::search))
        .route("/entities", get(api::entities))
        .route("/entities/{name}/with", get(api::entities_with))
        .route("/entities/{name}/timeline", get(api::timeline))
        .route("/stats", get(api::stats))
        .route("/articles/{id}", get(api::article))
        .fallback(api::unknown)
        .layer(middleware::from_fn_with_state(shared.clone(), authorize));
    Router::new()
        .route(
            "/",
            get(|| async { page(PAGE_HTML, "text/html; charset=utf-8") }),
        )
        .route(
            "/app.js",
            get(|| async { page(PAGE_JS, "text/javascript; charset=utf-8") }),
        )
        .route(
            "/style.css",
            get(|| async { page(PAGE_CSS, "text/css; charset=utf-8") }),
        )
        .nest("/api", api)
        .fallback(api::unknown)
        .layer(middleware::from_fn(limit_request))
        .layer(tower_http::limit::RequestBodyLimitLayer::new(MAX_BODY))
        .layer(middleware::from_fn(json_errors))
        .with_state(shared)
}

const PAGE_HTML: &str = include_str!("page/index.html");
const PAGE_JS: &str = include_str!("page/app.js");
const PAGE_CSS: &str = include_str!("page/style.css");

/// One of the page's files, which may load nothing from elsewhere.
fn page(body: &'static str, kind: &'static str) -> Response {
    let mut response = Response::new(Body::from(body));
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(kind));
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(
            "default-src 'self'; img-src 'self' data:; frame-ancestors 'none'; base-uri 'none'",
        ),
    );
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    response
}

/// An error answered as `{"error": message, "status": code}`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiError {
    pub status: StatusCode,
    pub message: String,
}

impl ApiError {
    fn new(status: StatusCode, message: impl Into<String>) -> ApiError {
        ApiError {
            status,
            message: message.into(),
        }
    }

    fn bad(message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::BAD_REQUEST, message)
    }

    fn not_found(message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::NOT_FOUND, message)
    }
}

impl From<Error> for ApiError {
    fn from(err: Error) -> ApiError {
        match err {
            Error::NoIndex { .. } => ApiError::new(
                StatusCode::SERVICE_UNAVAILABLE,
                format!("{err}; the server picks it up once it exists"),
            ),
            Error::BadArgument(message) => ApiError::bad(message),
            _ => ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, err.to_string()),
        }
    }
}

#[derive(Serialize)]
struct ErrorBody<'a> {
    error: &'a str,
    status: u16,
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = ErrorBody {
            error: &self.message,
            status: self.status.as_u16(),
        };
        let mut response = (self.status, axum::Json(body)).into_response();
        if self.status == StatusCode::UNAUTHORIZED {
            response
                .headers_mut()
                .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
        }
        response
    }
}

/// The index as the server reads it, opened on the first request that finds it.
struct Opened {
    store: Store,
    reader: IndexReader,
}

struct Shared {
    config: Config,
    opened: Mutex<Option<Arc<Opened>>>,
    /// Requests reading the index at once; the rest wait their turn.
    readers: Semaphore,
    /// The facets of the latest searches, by searcher generation and request,
    /// so that paging through hits counts them once.
    facets: Mutex<VecDeque<(String, Arc<Counted>)>>,
}

/// A search's facets and the warnings about its query.
type Counted = (Facets, Vec<String>);

/// Searches whose facets are kept.
const FACET_CACHE: usize = 64;

impl Shared {
    fn new(config: Config) -> Shared {
        let threads = std::thread::available_parallelism().map_or(2, |n| n.get());
        Shared {
            config,
            opened: Mutex::new(None),
            readers: Semaphore::new(threads * 2),
            facets: Mutex::new(VecDeque::with_capacity(FACET_CACHE)),
        }
    }

    /// The facets cached under `key`, or those `count` gives, then cached.
    fn facets(
        &self,
        key: String,
        count: impl FnOnce() -> std::result::Result<Counted, ApiError>,
    ) -> std::result::Result<Arc<Counted>, ApiError> {
        let cached = self.facets.lock().ok().and_then(|cache| {
            cache
                .iter()
                .find(|(k, _)| *k == key)
                .map(|(_, facets)| facets.clone())
        });
        if let Some(facets) = cached {
            return Ok(facets);
        }
        let facets = Arc::new(count()?);
        if let Ok(mut cache) = self.facets.lock() {
            if cache.len() >= FACET_CACHE {
                cache.pop_front();
            }
            cache.push_back((key, facets.clone()));
        }
        Ok(facets)
    }

    /// The index and a searcher of its latest commit, or 503 while it does not exist.
    fn searcher(&self) -> std::result::Result<(Arc<Opened>, Searcher), ApiError> {
        let mut opened = self
            .opened
            .lock()
            .map_err(|_| ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, "the server failed"))?;
        let current = match &*opened {
            Some(current) => current.clone(),
            None => {
                let store = Store::open(&self.config.index)?;
                // Reloaded when a commit lands, by tantivy's watch on the index's meta file.
                let reader = store
                    .index
                    .reader_builder()
                    .reload_policy(ReloadPolicy::OnCommitWithDelay)
                    .try_into()
                    .map_err(Error::from)?;
                let current = Arc::new(Opened { store, reader });
                *opened = Some(current.clone());
                current
            }
        };
        let searcher = current.reader.searcher();
        Ok((current, searcher))
    }
}

/// Checks the bearer token, when one is set.
async fn authorize(State(shared): State<Arc<Shared>>, request: Request, next: Next) -> Response {
    if let Some(token) = &shared.config.token {
        let given = request
            .headers()
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "));
        if !given.is_some_and(|g| same_secret(g.trim().as_bytes(), token.as_bytes())) {
            return ApiError::new(
                StatusCode::UNAUTHORIZED,
                "this server needs a token: send `Authorization: Bearer <token>`",
            )
            .into_response();
        }
    }
    next.run(request).await
}

/// Compares two secrets in time that depends on their lengths only.
fn same_secret(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// Refuses query strings longer than [`MAX_QUERY_STRING`].
async fn limit_request(request: Request, next: Next) -> Response {
    let length = request.uri().query().map_or(0, str::len);
    if length > MAX_QUERY_STRING {
        return ApiError::new(
            StatusCode::URI_TOO_LONG,
            format!("the query string is {length} bytes; the most taken is {MAX_QUERY_STRING}"),
        )
        .into_response();
    }
    next.run(request).await
}

/// Turns the errors axum and its layers answer by themselves (a path that is
/// not UTF-8, a method other than GET, a body over [`MAX_BODY`]) into the
/// API's JSON errors.
async fn json_errors(request: Request, next: Next) -> Response {
    let method = request.method().clone();
    let response = next.run(request).await;
    let status = response.status();
    let json = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/json"));
    if json || !(status.is_client_error() || status.is_server_error()) {
        return response;
    }
    let message = match status {
        StatusCode::METHOD_NOT_ALLOWED => {
            format!("{method} is not served here; every page and API request is a GET")
        }
        StatusCode::PAYLOAD_TOO_LARGE => format!(
            "the request body is over {} KB; API requests are GETs without one",
            MAX_BODY / 1024
        ),
        _ => {
            let body = axum::body::to_bytes(response.into_body(), 4096)
                .await
                .unwrap_or_default();
            let text = String::from_utf8_lossy(&body).trim().to_string();
            if text.is_empty() {
                status.canonical_reason().unwrap_or("error").to_string()
            } else {
                text
            }
        }
    };
    ApiError::new(status, message).into_response()
}

/// Runs `work` on a thread that may block, with the index, within the time limit.
async fn reading<T, F>(shared: Arc<Shared>, work: F) -> std::result::Result<T, ApiError>
where
    T: Send + 'static,
    F: FnOnce(&Store, &Searcher) -> std::result::Result<T, ApiError> + Send + 'static,
{
    let limit = shared.config.timeout;
    let task = async move {
        let _permit = shared.readers.acquire().await.map_err(|_| {
            ApiError::new(StatusCode::SERVICE_UNAVAILABLE, "the server is stopping")
        })?;
        let worker = shared.clone();
        tokio::task::spawn_blocking(move || {
            let (opened, searcher) = worker.searcher()?;
            work(&opened.store, &searcher)
        })
        .await
        .map_err(|_| ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, "the request failed"))?
    };
    match tokio::time::timeout(limit, task).await {
        Ok(result) => result,
        Err(_) => Err(ApiError::new(
            StatusCode::SERVICE_UNAVAILABLE,
            format!(
                "the request took longer than {} s; narrow the query or its filters",
                limit.as_secs_f32()
            ),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_match_only_when_equal() {
        assert!(same_secret(b"s3cret", b"s3cret"));
        assert!(!same_secret(b"s3cret", b"s3creT"));
        assert!(!same_secret(b"s3cret", b"s3cre"));
        assert!(!same_secret(b"", b"x"));
    }

    #[test]
    fn a_missing_index_is_unavailable_and_a_bad_argument_is_a_bad_request() {
        let missing = ApiError::from(Error::NoIndex {
            path: PathBuf::from("nowhere"),
        });
        assert_eq!(missing.status, StatusCode::SERVICE_UNAVAILABLE);
        assert!(
            missing.message.contains("lede index"),
            "{}",
            missing.message
        );
        let bad = ApiError::from(Error::BadArgument("--path \"[\": bad glob".into()));
        assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    }
}
