//! In-process benchmarks of lede's parts, on the articles in the repository
//! (`corpus/` and `tests/relevance/articles/`): reading articles, entity
//! tagging in tokens per second, indexing throughput, and query latency for
//! term, phrase, entity-filter and facet queries.
//!
//! ```text
//! cargo bench --bench lede
//! ```

use std::path::{Path, PathBuf};
use std::time::Duration;

use criterion::{BatchSize, Criterion, Throughput, criterion_group, criterion_main};

use lede::article::{self, Format};
use lede::index::Store;
use lede::index::writer::{Indexer, Options};
use lede::ner::{EntityExtractor, HybridExtractor, RuleExtractor, tagger};
use lede::search::entities::{self, Scope};
use lede::search::{self, Request};

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The repository's articles, as (path, bytes).
fn articles() -> Vec<(PathBuf, Vec<u8>)> {
    let mut paths: Vec<PathBuf> = ["corpus", "tests/relevance/articles"]
        .iter()
        .flat_map(|dir| std::fs::read_dir(repo().join(dir)).expect("read the article folder"))
        .map(|entry| entry.expect("folder entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .collect();
    paths.sort();
    paths
        .into_iter()
        .map(|p| {
            let bytes = std::fs::read(&p).expect("read an article");
            (p, bytes)
        })
        .collect()
}

/// The analysed text of every article (title and paragraphs), as the
/// extractor sees it.
fn texts(articles: &[(PathBuf, Vec<u8>)]) -> Vec<String> {
    articles
        .iter()
        .flat_map(|(path, bytes)| {
            article::read_bytes(bytes, Format::Text, path, None)
                .expect("a readable article")
                .articles
        })
        .map(|a| lede::passage::split(&a).text)
        .collect()
}

fn words(texts: &[String]) -> u64 {
    texts
        .iter()
        .map(|t| t.split_whitespace().count() as u64)
        .sum()
}

fn parsing(c: &mut Criterion) {
    let articles = articles();
    let bytes: u64 = articles.iter().map(|(_, b)| b.len() as u64).sum();
    let mut group = c.benchmark_group("parse");
    group.throughput(Throughput::Bytes(bytes));
    group.bench_function("txt articles and passages", |b| {
        b.iter(|| {
            for (path, bytes) in &articles {
                if let Ok(read) = article::read_bytes(bytes, Format::Text, path, None) {
                    for a in &read.articles {
                        std::hint::black_box(lede::passage::split(a));
                    }
                }
            }
        })
    });
    group.finish();
}

fn tagging(c: &mut Criterion) {
    let texts = texts(&articles());
    let mut group = c.benchmark_group("ner");
    // Throughput in words (whitespace-separated), close to tokens.
    group.throughput(Throughput::Elements(words(&texts)));
    let model = tagger::embedded();
    group.bench_function("tagger, warm word cache", |b| {
        b.iter(|| {
            for t in &texts {
                std::hint::black_box(model.extract(t));
            }
        })
    });
    group.bench_function("tagger, cold word cache", |b| {
        // A freshly loaded model per iteration; loading and dropping it are not timed.
        b.iter_batched_ref(
            tagger::embedded,
            |fresh| {
                for t in &texts {
                    std::hint::black_box(fresh.extract(t));
                }
            },
            BatchSize::PerIteration,
        )
    });
    let rules = RuleExtractor::embedded();
    group.bench_function("rules", |b| {
        b.iter(|| {
            for t in &texts {
                std::hint::black_box(rules.extract(t));
            }
        })
    });
    let hybrid = HybridExtractor::embedded();
    group.bench_function("hybrid (what lede index runs)", |b| {
        b.iter(|| {
            for t in &texts {
                std::hint::black_box(hybrid.extract(t));
            }
        })
    });
    group.finish();
}

/// Indexes `paths` into a new index at `dir`.
fn index(dir: &Path, paths: &[PathBuf], extractor: &dyn EntityExtractor, threads: usize) {
    let store = Store::open_or_create(dir).expect("create the index");
    let mut report = |_| {};
    let options = Options {
        threads,
        ..Options::default()
    };
    let mut indexer =
        Indexer::new(&store, options, extractor, &mut report).expect("take the writer");
    indexer
        .index_files(paths, threads, |_, _| {})
        .expect("index the files");
    indexer.finish().expect("commit");
}

fn indexing(c: &mut Criterion) {
    let paths: Vec<PathBuf> = articles().into_iter().map(|(p, _)| p).collect();
    let extractor = HybridExtractor::embedded();
    let mut group = c.benchmark_group("index");
    group.sample_size(10);
    group.measurement_time(Duration::from_secs(10));
    group.throughput(Throughput::Elements(paths.len() as u64));
    for threads in [1, 2] {
        group.bench_function(format!("articles, {threads} thread(s)"), |b| {
            b.iter_batched(
                || tempfile::tempdir().expect("a temporary folder"),
                |dir| index(dir.path(), &paths, &extractor, threads),
                BatchSize::PerIteration,
            )
        });
    }
    group.finish();
}

fn queries(c: &mut Criterion) {
    let paths: Vec<PathBuf> = articles().into_iter().map(|(p, _)| p).collect();
    let dir = tempfile::tempdir().expect("a temporary folder");
    index(dir.path(), &paths, &HybridExtractor::embedded(), 2);
    let store = Store::open(dir.path()).expect("open the index");
    let searcher = store.reader().expect("a reader").searcher();
    let mut group = c.benchmark_group("query");
    let run = |request: &Request| {
        search::run(&store, &searcher, request).expect("search");
    };
    group.bench_function("term", |b| {
        let request = Request::new("strike", 10);
        b.iter(|| run(&request))
    });
    group.bench_function("phrase", |b| {
        let request = Request::new("\"port of\"", 10);
        b.iter(|| run(&request))
    });
    group.bench_function("entity filter", |b| {
        let mut request = Request::new("attack", 10);
        request.filters.place.push("Moscow".into());
        b.iter(|| run(&request))
    });
    group.bench_function("entity facets of a query", |b| {
        let (query, _) = search::scope(
            &store,
            &searcher,
            "strike",
            &search::Filters::default(),
            None,
            chrono::Utc::now(),
        )
        .expect("a scope");
        let query = query.expect("a query");
        b.iter(|| {
            let scope = Scope {
                query: Some(&*query),
                kind: None,
                except: None,
            };
            entities::list(&store, &searcher, &scope, 20).expect("facets")
        })
    });
    group.finish();
}

criterion_group!(benches, parsing, tagging, indexing, queries);
criterion_main!(benches);
