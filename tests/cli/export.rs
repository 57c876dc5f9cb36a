//! `lede export`: NDJSON for Quickwit and Elasticsearch, checked against the
//! mappings shipped in `docs/scale-out/`.

use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::fs;
use std::time::{Duration, SystemTime};

use serde_json::Value;

use crate::env::{TestEnv, indexed_articles, json_lines, repo};

/// The fields an article may lack, left out of its documents.
const OPTIONAL: [&str; 6] = [
    "source",
    "author",
    "url",
    "published",
    "date_text",
    "heading",
];

/// What a mapping says a field holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// A JSON string.
    Str,
    /// A non-negative integer.
    UInt,
    /// An integer that fits 32 bits (Elasticsearch's `integer`).
    Int32,
    /// Any JSON number.
    Num,
    /// An RFC 3339 string.
    Date,
    /// `{"lat": number, "lon": number}`.
    GeoPoint,
}

/// Whether a field holds one value, an array, or either (Elasticsearch takes both).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Shape {
    One,
    Array,
    Either,
}

type Mapping = BTreeMap<String, (Kind, Shape)>;

/// The fields of the shipped Quickwit index config, which must be strict.
fn quickwit_mapping() -> Mapping {
    let text = fs::read_to_string(repo().join("docs/scale-out/quickwit-index.yaml"))
        .expect("the shipped Quickwit config");
    let config: serde_yaml_ng::Value = serde_yaml_ng::from_str(&text).expect("valid YAML");
    let doc_mapping = &config["doc_mapping"];
    assert_eq!(doc_mapping["mode"].as_str(), Some("strict"));
    let mut fields = Mapping::new();
    for field in doc_mapping["field_mappings"]
        .as_sequence()
        .expect("field_mappings")
    {
        let name = field["name"].as_str().expect("a field name").to_string();
        let declared = field["type"].as_str().expect("a field type");
        let (inner, shape) = match declared
            .strip_prefix("array<")
            .and_then(|t| t.strip_suffix('>'))
        {
            Some(inner) => (inner, Shape::Array),
            None => (declared, Shape::One),
        };
        let kind = match inner {
            "text" => Kind::Str,
            "u64" => Kind::UInt,
            "f64" => Kind::Num,
            "datetime" => Kind::Date,
            other => panic!("{name}: type {other} is not checked here; teach the test"),
        };
        assert!(fields.insert(name, (kind, shape)).is_none());
    }
    let timestamp = doc_mapping["timestamp_field"]
        .as_str()
        .expect("a timestamp field");
    assert_eq!(fields.get(timestamp), Some(&(Kind::Date, Shape::One)));
    assert!(
        !OPTIONAL.contains(&timestamp),
        "every document needs the timestamp"
    );
    for name in config["search_settings"]["default_search_fields"]
        .as_sequence()
        .expect("default_search_fields")
    {
        let name = name.as_str().expect("a field name");
        assert_eq!(fields.get(name).map(|f| f.0), Some(Kind::Str), "{name}");
    }
    fields
}

/// The fields of the shipped Elasticsearch mapping, which must be strict.
fn elasticsearch_mapping() -> Mapping {
    let text = fs::read_to_string(repo().join("docs/scale-out/elasticsearch-index.json"))
        .expect("the shipped Elasticsearch mapping");
    let config: Value = serde_json::from_str(&text).expect("valid JSON");
    let mappings = &config["mappings"];
    assert_eq!(mappings["dynamic"].as_str(), Some("strict"));
    let analyzers = config["settings"]["analysis"]["analyzer"]
        .as_object()
        .expect("analyzers");
    let mut fields = Mapping::new();
    for (name, field) in mappings["properties"].as_object().expect("properties") {
        let kind = match field["type"].as_str().expect("a field type") {
            "text" | "keyword" => Kind::Str,
            "integer" => Kind::Int32,
            "date" => Kind::Date,
            "geo_point" => Kind::GeoPoint,
            other => panic!("{name}: type {other} is not checked here; teach the test"),
        };
        for analyzer in std::iter::once(&field["analyzer"])
            .chain(
                field["fields"]
                    .as_object()
                    .into_iter()
                    .flat_map(|f| f.values().map(|v| &v["analyzer"])),
            )
            .filter_map(Value::as_str)
        {
            assert!(
                analyzers.contains_key(analyzer),
                "{name}: analyzer {analyzer}"
            );
        }
        fields.insert(name.clone(), (kind, Shape::Either));
    }
    fields
}

fn check_value(kind: Kind, value: &Value) -> Result<(), String> {
    let ok = match kind {
        Kind::Str => value.is_string(),
        Kind::UInt => value.as_u64().is_some(),
        Kind::Int32 => value.as_i64().is_some_and(|n| i32::try_from(n).is_ok()),
        Kind::Num => value.is_number(),
        Kind::Date => value
            .as_str()
            .is_some_and(|t| chrono::DateTime::parse_from_rfc3339(t).is_ok()),
        Kind::GeoPoint => value.as_object().is_some_and(|point| {
            let lat = point.get("lat").and_then(Value::as_f64);
            let lon = point.get("lon").and_then(Value::as_f64);
            point.len() == 2
                && lat.is_some_and(|l| (-90.0..=90.0).contains(&l))
                && lon.is_some_and(|l| (-180.0..=180.0).contains(&l))
        }),
    };
    if ok {
        Ok(())
    } else {
        Err(format!("{value} is not {kind:?}"))
    }
}

/// Checks one document against a mapping: no undeclared field, every
/// declared field present unless an article may lack it, every value of the
/// declared type and shape.
fn check_document(mapping: &Mapping, doc: &Value) -> Result<(), String> {
    let object = doc.as_object().ok_or("not an object")?;
    for (name, value) in object {
        let (kind, shape) = mapping
            .get(name)
            .ok_or_else(|| format!("{name}: not in the mapping"))?;
        let values: Vec<&Value> = match (value, shape) {
            (Value::Array(items), Shape::Array | Shape::Either) => items.iter().collect(),
            (Value::Array(_), Shape::One) => return Err(format!("{name}: an array")),
            (_, Shape::Array) => return Err(format!("{name}: not an array")),
            (value, _) => vec![value],
        };
        for value in values {
            check_value(*kind, value).map_err(|e| format!("{name}: {e}"))?;
        }
    }
    for name in mapping.keys() {
        if !object.contains_key(name) && !OPTIONAL.contains(&name.as_str()) {
            return Err(format!("{name}: missing"));
        }
    }
    Ok(())
}

fn export(args: &[&str]) -> Vec<u8> {
    let env = indexed_articles();
    env.ok_stdout(["export"].iter().chain(args))
}

/// Asserts that every document follows the mapping, and that the documents
/// between them hold every field the mapping declares.
fn assert_follow(mapping: &Mapping, docs: &[Value]) {
    assert!(!docs.is_empty());
    let mut seen = BTreeSet::new();
    for doc in docs {
        if let Err(problem) = check_document(mapping, doc) {
            panic!("{problem} in {doc}");
        }
        let object = doc.as_object().expect("an object");
        seen.extend(
            object
                .iter()
                .filter(|(_, v)| v.as_array().is_none_or(|a| !a.is_empty()))
                .map(|(k, _)| k.clone()),
        );
    }
    let unseen: Vec<&String> = mapping.keys().filter(|k| !seen.contains(*k)).collect();
    // Aliases of places are rare; every other field has a value somewhere.
    let unseen: Vec<&String> = unseen.into_iter().filter(|k| *k != "place_alias").collect();
    assert!(unseen.is_empty(), "no document gives {unseen:?}");
}

#[test]
fn export_quickwit_documents_follow_the_shipped_config() {
    let docs = json_lines(&export(&["--format", "quickwit"]));
    assert_follow(&quickwit_mapping(), &docs);
}

#[test]
fn export_elasticsearch_is_bulk_lines_that_follow_the_shipped_mapping() {
    let lines = json_lines(&export(&["--format", "elasticsearch"]));
    assert_eq!(lines.len() % 2, 0);
    let mut docs = Vec::new();
    for pair in lines.chunks(2) {
        let action = pair[0].as_object().expect("an action");
        assert_eq!(action.len(), 1);
        let id = &pair[0]["index"]["_id"];
        assert!(id.is_string(), "{}", pair[0]);
        assert_eq!(&pair[1]["id"], id);
        docs.push(pair[1].clone());
    }
    assert_follow(&elasticsearch_mapping(), &docs);
}

#[test]
fn export_gives_every_passage_once_in_article_order_and_the_same_twice() {
    let first = export(&["--format", "quickwit"]);
    assert_eq!(first, export(&["--format", "quickwit"]));
    let docs = json_lines(&first);
    let stats: Value = serde_json::from_slice(&export_stats()).expect("stats JSON");
    assert_eq!(Some(docs.len() as u64), stats["passages"].as_u64());
    let mut ids = HashSet::new();
    let mut order = Vec::new();
    for doc in &docs {
        let id = doc["id"].as_str().expect("an id");
        let article = doc["article_id"].as_str().expect("an article id");
        let index = doc["passage_index"].as_u64().expect("a passage index");
        assert_eq!(id, format!("{article}-{index}"));
        assert!(ids.insert(id.to_string()), "{id} twice");
        order.push((article.to_string(), index));
    }
    let mut sorted = order.clone();
    sorted.sort();
    assert_eq!(order, sorted);
    // The Elasticsearch ids are the same passages'.
    let bulk = json_lines(&export(&["--format", "elasticsearch"]));
    let bulk_ids: HashSet<String> = bulk
        .iter()
        .filter_map(|l| l["index"]["_id"].as_str().map(str::to_string))
        .collect();
    assert_eq!(bulk_ids, ids);
}

fn export_stats() -> Vec<u8> {
    indexed_articles().ok_stdout(["stats", "--json"])
}

#[test]
fn export_writes_the_same_bytes_to_a_file() {
    let env = TestEnv::new();
    let out = env.path("passages.ndjson");
    let out = out.to_str().expect("a UTF-8 path");
    let stdout = export(&["--format", "elasticsearch", "--out", out]);
    assert!(stdout.is_empty());
    let written = fs::read(out).expect("the export file");
    assert_eq!(written, export(&["--format", "elasticsearch"]));
}

#[test]
fn export_mapping_prints_the_shipped_files() {
    for (engine, file) in [
        ("quickwit", "quickwit-index.yaml"),
        ("elasticsearch", "elasticsearch-index.json"),
        ("opensearch", "elasticsearch-index.json"),
    ] {
        let shipped = fs::read(repo().join("docs/scale-out").join(file)).expect("shipped file");
        let printed = TestEnv::new().ok_stdout(["export", "--mapping", engine]);
        assert_eq!(printed, shipped, "{engine}");
    }
}

/// The passages `lede search --person X --since Y` gives are those the
/// documented Elasticsearch query selects: `person_article_key` holds X's key
/// and `published` is on or after Y.
#[test]
fn export_keys_and_dates_select_what_lede_search_filters_select() {
    let env = indexed_articles();
    let docs: Vec<Value> = json_lines(&export(&["--format", "elasticsearch"]))
        .into_iter()
        .filter(|l| l.get("index").is_none())
        .collect();
    for (flag, name, key, field, since) in [
        (
            "--person",
            "Siemons",
            "siemons",
            "person_article_key",
            "2024-02-01",
        ),
        // An undated article that mentions Hamburg is left out by both.
        (
            "--place",
            "Hamburg",
            "hamburg",
            "place_article_key",
            "2024-01-15",
        ),
        (
            "--org",
            "Carris",
            "carris",
            "organization_article_key",
            "2024-02-01",
        ),
    ] {
        let hits = env.search_json(&[
            "*",
            flag,
            name,
            "--since",
            since,
            "-n",
            "0",
            "--per-article",
            "0",
        ]);
        let searched: BTreeSet<String> = hits
            .iter()
            .map(|h| {
                format!(
                    "{}-{}",
                    h["article"]["id"].as_str().unwrap_or(""),
                    h["passage"]["index"]
                )
            })
            .collect();
        let since = chrono::DateTime::parse_from_rfc3339(&format!("{since}T00:00:00+00:00"))
            .expect("a date");
        let selected: BTreeSet<String> = docs
            .iter()
            .filter(|d| {
                d[field]
                    .as_array()
                    .is_some_and(|keys| keys.iter().any(|k| k == key))
                    && d["published"]
                        .as_str()
                        .and_then(|t| chrono::DateTime::parse_from_rfc3339(t).ok())
                        .is_some_and(|p| p >= since)
            })
            .map(|d| d["id"].as_str().unwrap_or("").to_string())
            .collect();
        assert!(!searched.is_empty(), "{flag} {name}");
        assert_eq!(searched, selected, "{flag} {name}");
    }
}

#[test]
fn export_since_gives_only_the_articles_of_files_changed_since() {
    let env = TestEnv::with_corpus();
    env.index("corpus");
    let all = env.ok_stdout(["export", "--format", "quickwit"]);
    assert!(!all.is_empty());
    // Every file of the corpus is dated 2024-03-23 12:00 UTC.
    assert_eq!(
        all,
        env.ok_stdout(["export", "--format", "quickwit", "--since", "2024-03-23"])
    );
    env.cmd(["export", "--format", "quickwit", "--since", "2024-03-24"])
        .assert()
        .code(1)
        .stdout("");
    env.write(
        "corpus/later.txt",
        b"Ferry strike ends in Oslo\n\nThe ferry strike in Oslo ended on Friday after talks.\n",
    );
    let later = SystemTime::UNIX_EPOCH + Duration::from_secs(1_735_689_600); // 2025-01-01
    fs::File::options()
        .write(true)
        .open(env.path("corpus/later.txt"))
        .and_then(|f| f.set_modified(later))
        .expect("set mtime");
    env.index("corpus");
    let docs = json_lines(&env.ok_stdout(["export", "--format", "quickwit", "--since", "2024-12"]));
    assert_eq!(docs.len(), 1);
    assert_eq!(docs[0]["title"], "Ferry strike ends in Oslo");
    assert_eq!(docs[0]["modified"], "2025-01-01T00:00:00.000Z");
    // The file key is what an engine deletes the old passages of a changed file by.
    let file = docs[0]["file"].as_str().expect("a file key");
    assert!(std::path::Path::new(file).is_absolute(), "{file}");
    assert!(file.ends_with("later.txt"), "{file}");
    env.cmd(["export", "--format", "quickwit", "--since", "next week"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("--since"));
}

#[test]
fn export_gives_an_article_from_stdin_its_own_file_key() {
    let env = TestEnv::new();
    env.cmd(["add", "-", "--format", "md", "--title", "Dock strike", "-q"])
        .write_stdin("The dock strike in Antwerp ended after two days of talks.\n")
        .assert()
        .success();
    let docs = json_lines(&env.ok_stdout(["export", "--format", "quickwit"]));
    assert_eq!(docs.len(), 1);
    let id = docs[0]["article_id"].as_str().expect("an article id");
    assert_eq!(docs[0]["file"], format!("-#{id}"));
    assert_eq!(docs[0]["path"], "-");
}

#[test]
fn export_of_a_missing_index_fails_and_creates_no_file() {
    let env = TestEnv::new();
    env.cmd(["export", "--format", "quickwit", "--out", "out.ndjson"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("no index"));
    assert!(!env.path("out.ndjson").exists());
}

/// The checker itself: each of these documents breaks the mapping once.
#[test]
fn the_mapping_check_rejects_documents_that_break_it() {
    let quickwit = quickwit_mapping();
    let elasticsearch = elasticsearch_mapping();
    let good = json_lines(&export(&["--format", "quickwit"]))
        .into_iter()
        .next()
        .expect("a document");
    assert_eq!(check_document(&quickwit, &good), Ok(()));
    let broken = |edit: &dyn Fn(&mut serde_json::Map<String, Value>)| {
        let mut doc = good.clone();
        edit(doc.as_object_mut().expect("an object"));
        doc
    };
    for doc in [
        broken(&|d| {
            d.insert("passage_index".into(), "3".into());
        }),
        broken(&|d| {
            d.insert("extra".into(), 1.into());
        }),
        broken(&|d| {
            d.remove("text");
        }),
        broken(&|d| {
            d.insert("published".into(), "yesterday".into());
        }),
        broken(&|d| {
            d.insert("person_key".into(), "a key".into());
        }),
        broken(&|d| {
            d.insert("title".into(), serde_json::json!(["two", "titles"]));
        }),
        broken(&|d| {
            d.insert("place_lat".into(), serde_json::json!(["north"]));
        }),
    ] {
        assert!(check_document(&quickwit, &doc).is_err(), "{doc}");
    }
    let with_point = |point: Value| {
        broken(&|d| {
            d.remove("place_lat");
            d.remove("place_lon");
            d.insert("place_location".into(), point.clone());
        })
    };
    let good_point = with_point(serde_json::json!([{"lat": 34.5, "lon": 69.2}]));
    assert_eq!(check_document(&elasticsearch, &good_point), Ok(()));
    for point in [
        serde_json::json!([{"lat": "34.5", "lon": 69.2}]),
        serde_json::json!([{"lat": 134.5, "lon": 69.2}]),
        serde_json::json!([{"lat": 34.5}]),
    ] {
        assert!(check_document(&elasticsearch, &with_point(point)).is_err());
    }
}
