//! Entity and source filters find what the index calls by another name, and
//! Dutch articles are read by the Dutch model.

use serde_json::Value;

use crate::env::*;

const ARTICLES: &str = r#"{"title": "Ministers meet in Kyiv", "text": "Foreign ministers met in Kyiv on Monday to discuss grain exports across the Black Sea.\n\nTurkey offered to host the next round of talks, a spokesman for the ministry said.", "date": "2025-03-03", "source": "The Guardian"}
{"title": "Kabinet vergadert in Den Haag", "text": "Het kabinet kwam woensdag bijeen in Den Haag om te praten over de begroting voor het komende jaar. Premier Dick Schoof sprak daarna met koning Willem-Alexander in paleis Huis ten Bosch.\n\nZeven ministers waren er niet bij. Alleen de PVV liet weten dat de partij tegen de plannen zal stemmen, omdat er volgens de fractie te weinig geld naar de zorg gaat.", "date": "2025-03-05", "source": "NOS"}
"#;

fn titles(hits: &[Value]) -> Vec<String> {
    let mut t: Vec<String> = hits
        .iter()
        .filter_map(|h| h["article"]["title"].as_str().map(str::to_string))
        .collect();
    t.sort();
    t.dedup();
    t
}

fn env() -> TestEnv {
    let env = TestEnv::new();
    env.write("news/articles.jsonl", ARTICLES.as_bytes());
    env.index("news");
    env
}

#[test]
fn place_filters_resolve_other_spellings_through_the_gazetteer() {
    let env = env();
    for (place, title) in [
        ("Kiev", "Ministers meet in Kyiv"),
        ("Kyiv", "Ministers meet in Kyiv"),
        ("Türkiye", "Ministers meet in Kyiv"),
        ("Den Haag", "Kabinet vergadert in Den Haag"),
        ("The Hague", "Kabinet vergadert in Den Haag"),
    ] {
        let hits = env.search_json(&["--place", place]);
        assert_eq!(titles(&hits), vec![title.to_string()], "--place {place}");
    }
    env.cmd(["search", "--place", "Lisbon"]).assert().code(1);
}

#[test]
fn a_source_filter_ignores_a_leading_article() {
    let env = env();
    for source in ["Guardian", "the guardian", "The Guardian"] {
        let hits = env.search_json(&["--source", source]);
        assert_eq!(
            titles(&hits),
            vec!["Ministers meet in Kyiv".to_string()],
            "--source {source}"
        );
    }
}

#[test]
fn dutch_articles_get_dutch_entities() {
    let env = env();
    let out = stdout_of(&mut env.cmd(["entities", "--json", "-n", "0"]));
    let rows = json_lines(out.as_bytes());
    let has = |kind: &str, name: &str| rows.iter().any(|r| r["type"] == kind && r["name"] == name);
    assert!(has("person", "Dick Schoof"), "{out}");
    assert!(has("person", "Willem-Alexander"), "{out}");
    assert!(has("organization", "PVV"), "{out}");
    assert!(has("place", "The Hague"), "{out}");
    assert!(has("place", "Huis ten Bosch"), "{out}");
    for junk in ["Zeven", "Alleen", "Koning", "Premier"] {
        assert!(!rows.iter().any(|r| r["name"] == junk), "{junk} in {out}");
    }
}
