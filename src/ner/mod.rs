//! Named entities in article text: people, organizations and places.
//!
//! [`EntityExtractor`] is the interface the rest of lede uses; it is kept
//! narrow so a statistical tagger can replace [`RuleExtractor`], the
//! rule-based implementation here. The rules use a place gazetteer and name
//! lists shipped as model assets (`models/places.tsv.gz`, `models/names.tsv`).

mod alias;
mod context;
mod gazetteer;
mod hybrid;
mod normalize;
mod rules;
pub mod tagger;
mod tidy;
mod token;
mod words;

use serde::{Deserialize, Serialize};

pub use gazetteer::AssetError;
pub use hybrid::HybridExtractor;
pub use normalize::normalize;

/// The kinds of entity lede extracts.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    Serialize,
    Deserialize,
    clap::ValueEnum,
)]
#[serde(rename_all = "lowercase")]
pub enum EntityKind {
    Person,
    #[value(alias = "org")]
    Organization,
    Place,
}

impl EntityKind {
    /// Every kind, in display order.
    pub const ALL: [EntityKind; 3] = [
        EntityKind::Person,
        EntityKind::Organization,
        EntityKind::Place,
    ];

    /// The lowercase name: `"person"`, `"organization"` or `"place"`.
    pub fn as_str(self) -> &'static str {
        match self {
            EntityKind::Person => "person",
            EntityKind::Organization => "organization",
            EntityKind::Place => "place",
        }
    }
}

/// One mention of an entity in a text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entity {
    pub kind: EntityKind,
    /// Byte offset of the mention's start in the text given to the extractor.
    pub start: usize,
    /// Byte offset one past the mention's end.
    pub end: usize,
    /// The entity's name shared by all its mentions in the text
    /// (`"Putin"`, `"Bibi van Ginkel"`, `"United States"`).
    pub canonical: String,
    /// For a place whose name is unambiguous, its GeoNames entry.
    pub geo: Option<Geo>,
}

/// A place's GeoNames entry. A country's point is its capital's, a
/// first-level division's its biggest city's.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Geo {
    /// The GeoNames id (`https://www.geonames.org/{id}`).
    pub geonames_id: u32,
    /// ISO 3166-1 alpha-2 country code.
    pub country: String,
    pub lat: f64,
    pub lon: f64,
}

impl Eq for Geo {}

/// Finds entities in a whole article (title and paragraphs joined by blank lines).
pub trait EntityExtractor: Send + Sync {
    /// The mentions in `text`, sorted by start, never overlapping.
    fn extract(&self, text: &str) -> Vec<Entity>;

    /// The mentions in `text` written in `language` (ISO 639-1, as the article
    /// reader detects it); an extractor with a model for the language uses it.
    fn extract_in(&self, text: &str, _language: &str) -> Vec<Entity> {
        self.extract(text)
    }

    /// The GeoNames entry of a place name, where the extractor knows one.
    fn locate(&self, _place: &str) -> Option<Geo> {
        None
    }
}

/// The embedded place list (`models/places.tsv.gz`).
const PLACES_GZ: &[u8] = include_bytes!("../../models/places.tsv.gz");

/// The gazetteer's name for a place name in any spelling it knows ("Kiev" →
/// "Kyiv", "Den Haag" → "The Hague"), from the embedded place list alone,
/// which is loaded on first use.
pub fn place_name(name: &str) -> Option<String> {
    static PLACES: std::sync::OnceLock<Option<gazetteer::Gazetteer>> = std::sync::OnceLock::new();
    let places = PLACES
        .get_or_init(|| gazetteer::Gazetteer::from_gzip(PLACES_GZ).ok())
        .as_ref()?;
    let hit = places.names.get(&normalize(name))?;
    Some(places.names.canonical(hit.entry).to_string())
}

/// The rule-based extractor: gazetteer and name-list lookups, cue words
/// (titles, role nouns, verbs of saying, organisation words) and
/// article-wide alias merging.
pub struct RuleExtractor {
    gazetteer: gazetteer::Gazetteer,
    names: gazetteer::Names,
    words: words::Words,
}

impl RuleExtractor {
    /// The extractor built from the assets compiled into the binary.
    pub fn embedded() -> RuleExtractor {
        RuleExtractor::from_assets(PLACES_GZ, NAMES_TSV).expect("embedded model assets are valid")
    }

    /// Builds an extractor from a gzip-compressed `places.tsv` and the text
    /// of `names.tsv`.
    pub fn from_assets(places_gz: &[u8], names: &str) -> Result<RuleExtractor, AssetError> {
        Ok(RuleExtractor {
            gazetteer: gazetteer::Gazetteer::from_gzip(places_gz)?,
            names: gazetteer::Names::from_tsv(names)?,
            words: words::Words::new(),
        })
    }
}

impl RuleExtractor {
    /// The gazetteer's canonical name for a place name ("Moskva" → "Moscow").
    pub fn place_name(&self, name: &str) -> Option<String> {
        let hit = self.gazetteer.names.get(&normalize(name))?;
        Some(self.gazetteer.names.canonical(hit.entry).to_string())
    }

    /// Whether a name is a faith, its followers or a people ("Muslims"):
    /// a word that is capitalised but names no person, organisation or place.
    pub fn is_group(&self, name: &str) -> bool {
        self.words.is_group(&normalize(name))
    }

    /// Whether a word is one of the capitalised words that name no entity
    /// ("Afghan", "Russian", "Western").
    pub(crate) fn is_people_adjective(&self, word: &str) -> bool {
        self.words.is_non_name(&normalize(word))
    }

    /// Whether a name is a country's, in any spelling ("Israël", "Türkiye").
    pub(crate) fn is_country(&self, name: &str) -> bool {
        let gaz = &self.gazetteer;
        gaz.names
            .get(&normalize(name))
            .is_some_and(|h| gaz.kind(h.entry) == Some(gazetteer::PlaceKind::Country))
    }

    /// The GeoNames entry of a place name, when the name is unambiguous.
    pub fn place_geo(&self, name: &str) -> Option<Geo> {
        let hit = self.gazetteer.names.get(&normalize(name))?;
        self.gazetteer.geo(hit.entry).cloned()
    }

    /// Gives every place its GeoNames entry, where its name has one.
    pub(crate) fn locate_all(&self, entities: &mut [Entity]) {
        for e in entities.iter_mut().filter(|e| e.kind == EntityKind::Place) {
            e.geo = self.place_geo(&e.canonical);
        }
    }
}

impl EntityExtractor for RuleExtractor {
    fn extract(&self, text: &str) -> Vec<Entity> {
        let mut entities = rules::extract(self, text);
        self.locate_all(&mut entities);
        entities
    }

    fn locate(&self, place: &str) -> Option<Geo> {
        self.place_geo(place)
    }
}

#[cfg(test)]
mod tests;

#[cfg(test)]
mod news_tests;

#[cfg(test)]
mod contract_tests;

/// The name of the default extractor, recorded with every commit of the index.
pub const DEFAULT_MODEL: &str = "lede tagger en and nl (models/ner-en.bin, models/ner-nl.bin, \
     averaged perceptron) named by lede rules";

/// The version of the rules around the tagger (cue words, tidying, merging):
/// raised whenever a change to the code in `ner` changes what it finds. The
/// embedded models and lists are versioned by their bytes ([`fingerprint`]).
pub const RULES_VERSION: u32 = 7;

/// The embedded English and Dutch tagger models.
pub(crate) const MODEL_EN: &[u8] = include_bytes!("../../models/ner-en.bin");
pub(crate) const MODEL_NL: &[u8] = include_bytes!("../../models/ner-nl.bin");
/// The embedded name list.
const NAMES_TSV: &str = include_str!("../../models/names.tsv");

/// What the default extractor finds depends on: a hash of the embedded models'
/// and lists' bytes and [`RULES_VERSION`], computed once per process.
pub fn fingerprint() -> u64 {
    static FINGERPRINT: std::sync::OnceLock<u64> = std::sync::OnceLock::new();
    *FINGERPRINT.get_or_init(|| {
        let mut hasher = xxhash_rust::xxh3::Xxh3::new();
        for part in [MODEL_EN, MODEL_NL, PLACES_GZ, NAMES_TSV.as_bytes()] {
            hasher.update(&(part.len() as u64).to_le_bytes());
            hasher.update(part);
        }
        hasher.update(&RULES_VERSION.to_le_bytes());
        hasher.digest()
    })
}

/// The default extractor ([`HybridExtractor`]), loaded on first use so that
/// runs which read no article never pay for loading its model.
#[derive(Default)]
pub struct LazyExtractor(std::sync::OnceLock<HybridExtractor>);

impl EntityExtractor for LazyExtractor {
    fn extract(&self, text: &str) -> Vec<Entity> {
        self.0.get_or_init(HybridExtractor::embedded).extract(text)
    }

    fn extract_in(&self, text: &str, language: &str) -> Vec<Entity> {
        self.0
            .get_or_init(HybridExtractor::embedded)
            .extract_in(text, language)
    }

    fn locate(&self, place: &str) -> Option<Geo> {
        self.0.get_or_init(HybridExtractor::embedded).locate(place)
    }
}
