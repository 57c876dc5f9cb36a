//! Writes exported passages as NDJSON for Quickwit or for Elasticsearch's `_bulk`,
//! and holds the index mappings shipped in `docs/scale-out/`.
//!
//! A document's field names are the export format's, declared by those
//! mappings (a test checks every exported document against them); they are
//! not the index's own.

use std::io::{self, Write};

use chrono::SecondsFormat;
use serde::Serialize;

use crate::index::export::ExportPassage;
use crate::ner::EntityKind;

/// The Quickwit index config `lede export --mapping quickwit` prints.
pub const QUICKWIT_MAPPING: &str = include_str!("../../docs/scale-out/quickwit-index.yaml");

/// The Elasticsearch/OpenSearch index settings and mapping `lede export
/// --mapping elasticsearch` prints.
pub const ELASTICSEARCH_MAPPING: &str =
    include_str!("../../docs/scale-out/elasticsearch-index.json");

/// Where a passage's places are: Quickwit has no geo type, so it gets
/// parallel arrays of coordinates; Elasticsearch gets `geo_point`s.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Engine {
    Quickwit,
    Elasticsearch,
}

#[derive(Serialize)]
struct Point {
    lat: f64,
    lon: f64,
}

/// One exported document. Absent values are left out, never `null`.
#[derive(Serialize)]
struct Document<'a> {
    id: String,
    article_id: &'a str,
    passage_index: u64,
    title: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    source: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    author: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    url: Option<&'a str>,
    language: &'a str,
    path: &'a str,
    file: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    published: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    date_text: Option<&'a str>,
    modified: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    heading: Option<&'a str>,
    text: &'a str,
    person: &'a [String],
    person_alias: &'a [String],
    person_key: &'a [String],
    person_article_key: &'a [String],
    organization: &'a [String],
    organization_alias: &'a [String],
    organization_key: &'a [String],
    organization_article_key: &'a [String],
    place: &'a [String],
    place_alias: &'a [String],
    place_key: &'a [String],
    place_article_key: &'a [String],
    place_geonames_id: Vec<u32>,
    place_country: Vec<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    place_lat: Option<Vec<f64>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    place_lon: Option<Vec<f64>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    place_location: Option<Vec<Point>>,
}

/// A passage's id, the same on every run: its article's id and its index.
pub fn passage_id(passage: &ExportPassage) -> String {
    format!("{}-{}", passage.article_id, passage.passage_index)
}

fn document(passage: &ExportPassage, engine: Engine) -> Document<'_> {
    let person = passage.names(EntityKind::Person);
    let organization = passage.names(EntityKind::Organization);
    let place = passage.names(EntityKind::Place);
    let geo = &passage.places;
    let (lat, lon, location) = match engine {
        Engine::Quickwit => (
            Some(geo.iter().map(|g| g.lat).collect()),
            Some(geo.iter().map(|g| g.lon).collect()),
            None,
        ),
        Engine::Elasticsearch => (
            None,
            None,
            Some(
                geo.iter()
                    .map(|g| Point {
                        lat: g.lat,
                        lon: g.lon,
                    })
                    .collect(),
            ),
        ),
    };
    Document {
        id: passage_id(passage),
        article_id: &passage.article_id,
        passage_index: passage.passage_index,
        title: &passage.title,
        source: passage.source.as_deref(),
        author: passage.author.as_deref(),
        url: passage.url.as_deref(),
        language: &passage.language,
        path: &passage.path,
        file: &passage.file,
        published: passage.published.map(|d| d.to_rfc3339()),
        date_text: passage.date_text.as_deref(),
        modified: passage
            .modified
            .to_rfc3339_opts(SecondsFormat::Millis, true),
        heading: passage.heading.as_deref(),
        text: &passage.text,
        person: &person.names,
        person_alias: &person.aliases,
        person_key: &person.keys,
        person_article_key: &person.article_keys,
        organization: &organization.names,
        organization_alias: &organization.aliases,
        organization_key: &organization.keys,
        organization_article_key: &organization.article_keys,
        place: &place.names,
        place_alias: &place.aliases,
        place_key: &place.keys,
        place_article_key: &place.article_keys,
        place_geonames_id: geo.iter().map(|g| g.geonames_id).collect(),
        place_country: geo.iter().map(|g| g.country.as_str()).collect(),
        place_lat: lat,
        place_lon: lon,
        place_location: location,
    }
}

/// Writes a passage as one line of NDJSON, for `quickwit index ingest`.
pub fn write_quickwit(out: &mut impl Write, passage: &ExportPassage) -> io::Result<()> {
    serde_json::to_writer(&mut *out, &document(passage, Engine::Quickwit))?;
    out.write_all(b"\n")
}

/// Writes a passage as the two lines `_bulk` takes: the action, with the
/// passage's id as `_id`, and the document.
pub fn write_elasticsearch(out: &mut impl Write, passage: &ExportPassage) -> io::Result<()> {
    #[derive(Serialize)]
    struct Index<'a> {
        _id: &'a str,
    }
    #[derive(Serialize)]
    struct Action<'a> {
        index: Index<'a>,
    }
    let doc = document(passage, Engine::Elasticsearch);
    serde_json::to_writer(
        &mut *out,
        &Action {
            index: Index { _id: &doc.id },
        },
    )?;
    out.write_all(b"\n")?;
    serde_json::to_writer(&mut *out, &doc)?;
    out.write_all(b"\n")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::index::export::EntityNames;
    use crate::ner::Geo;

    fn passage() -> ExportPassage {
        let place = EntityNames {
            names: vec!["Kabul".into()],
            aliases: vec![],
            keys: vec!["kabul".into()],
            article_keys: vec!["kabul".into()],
        };
        ExportPassage {
            article_id: "c9701fc781a9cf9c".into(),
            passage_index: 2,
            title: "Title".into(),
            source: None,
            author: Some("Ann Author".into()),
            url: None,
            language: "en".into(),
            path: "corpus/a.txt".into(),
            file: "/news/corpus/a.txt".into(),
            published: chrono::DateTime::parse_from_rfc3339("2024-03-22T18:54:00+00:00").ok(),
            date_text: None,
            modified: chrono::DateTime::from_timestamp_millis(1_711_195_200_000)
                .unwrap_or_default(),
            heading: None,
            text: "In Kabul.".into(),
            entities: [EntityNames::default(), EntityNames::default(), place],
            places: vec![Geo {
                geonames_id: 1138958,
                country: "AF".into(),
                lat: 34.52813,
                lon: 69.17233,
            }],
        }
    }

    #[test]
    fn quickwit_lines_are_one_document_with_coordinates_as_arrays() {
        let mut out = Vec::new();
        write_quickwit(&mut out, &passage()).expect("write to memory");
        let text = String::from_utf8(out).expect("utf-8");
        assert_eq!(
            text,
            concat!(
                r#"{"id":"c9701fc781a9cf9c-2","article_id":"c9701fc781a9cf9c","passage_index":2,"#,
                r#""title":"Title","author":"Ann Author","language":"en","path":"corpus/a.txt","#,
                r#""file":"/news/corpus/a.txt","#,
                r#""published":"2024-03-22T18:54:00+00:00","modified":"2024-03-23T12:00:00.000Z","#,
                r#""text":"In Kabul.","person":[],"person_alias":[],"person_key":[],"#,
                r#""person_article_key":[],"organization":[],"organization_alias":[],"#,
                r#""organization_key":[],"organization_article_key":[],"place":["Kabul"],"#,
                r#""place_alias":[],"place_key":["kabul"],"place_article_key":["kabul"],"#,
                r#""place_geonames_id":[1138958],"place_country":["AF"],"place_lat":[34.52813],"#,
                r#""place_lon":[69.17233]}"#,
                "\n"
            )
        );
    }

    #[test]
    fn elasticsearch_lines_are_an_action_then_the_document_with_geo_points() {
        let mut out = Vec::new();
        write_elasticsearch(&mut out, &passage()).expect("write to memory");
        let text = String::from_utf8(out).expect("utf-8");
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 2);
        assert_eq!(lines[0], r#"{"index":{"_id":"c9701fc781a9cf9c-2"}}"#);
        assert!(lines[1].ends_with(r#""place_location":[{"lat":34.52813,"lon":69.17233}]}"#));
        assert!(!lines[1].contains("place_lat"));
    }
}
