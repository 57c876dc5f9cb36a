//! Groups an article's entity spans into named entities with aliases, per passage and per article.
//!
//! A name is identified by its type and normalised canonical form; every other
//! surface form seen for it is an alias. Knows nothing of the index.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::ner::{Entity, EntityExtractor, EntityKind, Geo, normalize};
use crate::passage::Layout;

/// One entity as stored with a passage or an article.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Named {
    #[serde(rename = "type")]
    pub kind: EntityKind,
    /// The canonical name.
    pub name: String,
    /// Other surface forms seen for it (normalised forms differ from the name's).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub aliases: Vec<String>,
    /// For a place with an unambiguous name, its GeoNames entry.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub geo: Option<Geo>,
}

/// The matching key of an entity's name: [`normalize`]d, and for a person
/// written "Last, First" the key of "First Last", so both spellings are one
/// person.
pub fn name_key(kind: EntityKind, name: &str) -> String {
    if kind == EntityKind::Person
        && let Some((last, first)) = name.split_once(',')
        && !first.contains(',')
    {
        let (last, first) = (normalize(last), normalize(first));
        if !last.is_empty() && !first.is_empty() {
            return format!("{first} {last}");
        }
    }
    normalize(name)
}

impl Named {
    /// An entity with these names and no place entry, for tests.
    #[cfg(test)]
    pub fn with_aliases(kind: EntityKind, name: &str, aliases: &[&str]) -> Named {
        Named {
            kind,
            name: name.to_string(),
            aliases: aliases.iter().map(|a| a.to_string()).collect(),
            geo: None,
        }
    }

    /// The matching key of the canonical name: case, accents and a
    /// "Last, First" order ignored.
    pub fn key(&self) -> String {
        name_key(self.kind, &self.name)
    }

    /// The keys of the name and every alias, without repeats. A person's
    /// surname (the name without its first word: "van ginkel") is a key too, so
    /// a filter on the surname finds the person in every article.
    pub fn all_keys(&self) -> Vec<String> {
        let mut keys: Vec<String> = std::iter::once(&self.name)
            .chain(&self.aliases)
            .map(|n| name_key(self.kind, n))
            .filter(|k| !k.is_empty())
            .collect();
        if self.kind == EntityKind::Person
            && let Some((_, surname)) = self.key().split_once(' ')
        {
            keys.push(surname.to_string());
        }
        keys.sort();
        keys.dedup();
        keys
    }
}

/// Whether a name is an acronym: two or more letters, none in lower case ("FA", "U.N.").
pub fn is_acronym(name: &str) -> bool {
    name.chars().filter(|c| c.is_alphabetic()).count() >= 2 && !name.chars().any(char::is_lowercase)
}

/// The organisations of one article or passage that another of them names by
/// an acronym alias, as `(alias key, key)`: "FA" beside the "Football
/// Association" that it stands for. Counting merges the two, and must not
/// count such a passage or article twice.
pub fn acronym_pairs(entities: &[Named]) -> Vec<(String, String)> {
    let kind = EntityKind::Organization;
    let orgs = || entities.iter().filter(|n| n.kind == kind);
    if !orgs().any(|n| n.aliases.iter().any(|a| is_acronym(a))) {
        return Vec::new();
    }
    let keys: std::collections::HashSet<String> = orgs().map(Named::key).collect();
    let mut pairs = Vec::new();
    for named in orgs() {
        let key = named.key();
        for alias in named.aliases.iter().filter(|a| is_acronym(a)) {
            let alias_key = name_key(kind, alias);
            if alias_key != key && keys.contains(&alias_key) {
                pairs.push((alias_key, key.clone()));
            }
        }
    }
    pairs
}

/// An article's entities: all of them, and those of each passage.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ArticleEntities {
    pub article: Vec<Named>,
    pub passages: Vec<Vec<Named>>,
}

/// What a [`Collector`] keeps of one entity.
struct Collected {
    name: String,
    /// alias key -> surface form
    aliases: BTreeMap<String, String>,
    geo: Option<Geo>,
}

#[derive(Default)]
struct Collector {
    map: BTreeMap<(EntityKind, String), Collected>,
}

impl Collector {
    fn add(&mut self, entity: &Entity, surface: &str) {
        let key = name_key(entity.kind, &entity.canonical);
        if key.is_empty() {
            return;
        }
        let collected = self
            .map
            .entry((entity.kind, key.clone()))
            .or_insert_with(|| Collected {
                name: entity.canonical.clone(),
                aliases: BTreeMap::new(),
                geo: None,
            });
        if collected.geo.is_none() {
            collected.geo = entity.geo.clone();
        }
        let aliases = &mut collected.aliases;
        let surface = surface.trim();
        let surface_key = name_key(entity.kind, surface);
        if !surface_key.is_empty() && surface_key != key {
            aliases
                .entry(surface_key)
                .or_insert_with(|| surface.to_string());
        }
    }

    fn finish(self) -> Vec<Named> {
        self.map
            .into_iter()
            .map(|((kind, _), c)| Named {
                kind,
                name: c.name,
                aliases: c.aliases.into_values().collect(),
                geo: c.geo,
            })
            .collect()
    }
}

/// Articles longer than this are read for entities in pieces of about this
/// size, cut between passages, so that memory stays bounded on huge files.
pub const CHUNK_BYTES: usize = 256 * 1024;

/// Finds the entities of an article's analysed text.
///
/// A long text is read in pieces cut between passages; mentions are then
/// merged within a piece rather than across the whole article.
pub fn extract(extractor: &dyn EntityExtractor, layout: &Layout, language: &str) -> Vec<Entity> {
    if layout.text.len() <= CHUNK_BYTES {
        return extractor.extract_in(&layout.text, language);
    }
    let mut spans = Vec::new();
    let mut start = 0;
    while start < layout.text.len() {
        let limit = start + CHUNK_BYTES;
        let end = layout
            .passages
            .iter()
            .map(|p| p.span.end)
            .filter(|&e| e > start && e <= limit)
            .max()
            .or_else(|| {
                layout
                    .passages
                    .iter()
                    .map(|p| p.span.end)
                    .find(|&e| e > start)
            })
            .unwrap_or(layout.text.len());
        let Some(piece) = layout.text.get(start..end) else {
            break;
        };
        spans.extend(
            extractor
                .extract_in(piece, language)
                .into_iter()
                .map(|mut e| {
                    e.start += start;
                    e.end += start;
                    e
                }),
        );
        start = end;
    }
    spans
}

/// Groups entity spans over `layout.text` by passage and for the whole article.
///
/// Spans in the title or a heading count for the article only.
pub fn group(layout: &Layout, spans: &[Entity]) -> ArticleEntities {
    let mut article = Collector::default();
    let mut passages: Vec<Collector> = layout
        .passages
        .iter()
        .map(|_| Collector::default())
        .collect();
    for entity in spans {
        let Some(surface) = layout.text.get(entity.start..entity.end) else {
            continue;
        };
        article.add(entity, surface);
        if let Some(i) = layout.passage_at(&(entity.start..entity.end)) {
            passages[i].add(entity, surface);
        }
    }
    ArticleEntities {
        article: article.finish(),
        passages: passages.into_iter().map(Collector::finish).collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::passage::Passage;

    /// Finds every "Oslo" as a place.
    struct OsloFinder;

    impl EntityExtractor for OsloFinder {
        fn extract(&self, text: &str) -> Vec<Entity> {
            text.match_indices("Oslo")
                .map(|(i, m)| Entity {
                    kind: EntityKind::Place,
                    start: i,
                    end: i + m.len(),
                    canonical: m.to_string(),
                    geo: None,
                })
                .collect()
        }
    }

    #[test]
    fn long_texts_are_read_in_pieces_with_offsets_kept() {
        let paragraph = format!("{} Oslo.", "word ".repeat(2000));
        let mut text = String::from("Title");
        let mut spans = Vec::new();
        for _ in 0..100 {
            text.push_str("\n\n");
            let start = text.len();
            text.push_str(&paragraph);
            spans.push((start, text.len()));
        }
        let l = layout(&text, &spans);
        assert!(l.text.len() > 3 * CHUNK_BYTES);
        let found = extract(&OsloFinder, &l, "en");
        assert_eq!(found.len(), 100);
        for e in &found {
            assert_eq!(&l.text[e.start..e.end], "Oslo");
        }
    }

    fn layout(text: &str, passages: &[(usize, usize)]) -> Layout {
        Layout {
            text: text.to_string(),
            passages: passages
                .iter()
                .enumerate()
                .map(|(index, &(s, e))| Passage {
                    index,
                    heading: None,
                    text: text[s..e].to_string(),
                    span: s..e,
                })
                .collect(),
        }
    }

    fn span(text: &str, needle: &str, kind: EntityKind, canonical: &str) -> Entity {
        let start = text.find(needle).expect("needle in text");
        Entity {
            kind,
            start,
            end: start + needle.len(),
            canonical: canonical.into(),
            geo: None,
        }
    }

    #[test]
    fn surface_forms_become_aliases_of_the_canonical_name() {
        let text = "Title\n\nBibi van Ginkel spoke.\n\nSays Van Ginkel.";
        let l = layout(text, &[(7, 30), (32, text.len())]);
        let spans = [
            span(
                text,
                "Bibi van Ginkel",
                EntityKind::Person,
                "Bibi van Ginkel",
            ),
            span(text, "Van Ginkel", EntityKind::Person, "Bibi van Ginkel"),
        ];
        let grouped = group(&l, &spans);
        assert_eq!(grouped.article.len(), 1);
        assert_eq!(grouped.article[0].aliases, ["Van Ginkel"]);
        assert_eq!(grouped.passages[0][0].aliases, Vec::<String>::new());
        assert_eq!(grouped.passages[1][0].name, "Bibi van Ginkel");
        assert_eq!(
            grouped.article[0].all_keys(),
            [normalize("Bibi van Ginkel"), normalize("Van Ginkel")]
        );
        let smeets = Named {
            kind: EntityKind::Person,
            name: "Hubert Smeets".into(),
            aliases: Vec::new(),
            geo: None,
        };
        assert_eq!(smeets.all_keys(), ["hubert smeets", "smeets"]);
    }

    #[test]
    fn last_first_order_gives_the_same_person_key() {
        assert_eq!(
            name_key(EntityKind::Person, "Smeets, Hubert"),
            name_key(EntityKind::Person, "Hubert Smeets")
        );
        assert_eq!(
            name_key(EntityKind::Person, "van Ginkel, Bibi"),
            "bibi van ginkel"
        );
        // Only people: a place written with a comma keeps its order.
        assert_eq!(name_key(EntityKind::Place, "Paris, Texas"), "paris texas");
        // Two commas are not a "Last, First" name.
        assert_eq!(
            name_key(EntityKind::Person, "Smith, Jr., John"),
            "smith jr john"
        );
        let text = "Title\n\nSmeets, Hubert spoke. Hubert Smeets said.";
        let l = layout(text, &[(7, text.len())]);
        let spans = [
            span(text, "Smeets, Hubert", EntityKind::Person, "Smeets, Hubert"),
            span(text, "Hubert Smeets", EntityKind::Person, "Hubert Smeets"),
        ];
        let grouped = group(&l, &spans);
        assert_eq!(grouped.article.len(), 1, "{:?}", grouped.article);
        let named = &grouped.article[0];
        assert!(named.all_keys().contains(&"smeets".to_string()));
    }

    #[test]
    fn title_entities_count_for_the_article_only() {
        let text = "Moscow\n\nBody text.";
        let l = layout(text, &[(8, text.len())]);
        let grouped = group(&l, &[span(text, "Moscow", EntityKind::Place, "Moscow")]);
        assert_eq!(grouped.article.len(), 1);
        assert!(grouped.passages[0].is_empty());
    }

    #[test]
    fn out_of_range_spans_are_ignored() {
        let text = "Title\n\nBody.";
        let l = layout(text, &[(7, text.len())]);
        let bad = Entity {
            kind: EntityKind::Place,
            start: 5,
            end: 500,
            canonical: "X".into(),
            geo: None,
        };
        assert_eq!(
            group(&l, &[bad]),
            ArticleEntities {
                article: Vec::new(),
                passages: vec![Vec::new()],
            }
        );
    }
}
