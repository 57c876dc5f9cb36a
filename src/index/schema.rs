//! The index schema: the only place that spells field and tokenizer names.
//!
//! One tantivy document is one passage. It carries its article's id, title,
//! source, date, path and language, so a hit is self-contained. Text is
//! indexed into one field per stemming language; entities are indexed per
//! passage (tokenised and as exact keys) and per article (exact keys of names
//! and aliases, for filters).

use tantivy::schema::{
    DateOptions, DateTimePrecision, FAST, Field, INDEXED, IndexRecordOption, NumericOptions,
    STORED, STRING, Schema, TextFieldIndexing, TextOptions,
};
use tantivy::tokenizer::{
    AsciiFoldingFilter, Language, LowerCaser, RemoveLongFilter, SimpleTokenizer, Stemmer,
    TextAnalyzer, TokenizerManager,
};

use crate::ner::EntityKind;

/// Tokenizer for text whose language has no stemmer here, and for entity names.
pub const PLAIN_TOKENIZER: &str = "lede_plain";

/// A language whose text gets its own stemmed fields.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Stemming {
    English,
    Dutch,
    /// Any other or unknown language: lowercased and accent-folded, not stemmed.
    None,
}

impl Stemming {
    pub const ALL: [Stemming; 3] = [Stemming::English, Stemming::Dutch, Stemming::None];

    /// The stemming used for an ISO 639-1 language code. Text too short to
    /// tell (`und`) is stemmed as English, the language most articles are in.
    pub fn for_language(code: &str) -> Stemming {
        match code {
            "en" | "und" => Stemming::English,
            "nl" => Stemming::Dutch,
            _ => Stemming::None,
        }
    }

    fn tokenizer_name(self) -> &'static str {
        match self {
            Stemming::English => "lede_en",
            Stemming::Dutch => "lede_nl",
            Stemming::None => PLAIN_TOKENIZER,
        }
    }

    fn suffix(self) -> &'static str {
        match self {
            Stemming::English => "en",
            Stemming::Dutch => "nl",
            Stemming::None => "xx",
        }
    }

    /// A dense position for per-language tables.
    pub fn index(self) -> usize {
        match self {
            Stemming::English => 0,
            Stemming::Dutch => 1,
            Stemming::None => 2,
        }
    }
}

/// What a field name typed in a query refers to (`title:`, `org:`, `date:`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum QueryField {
    Title,
    Heading,
    /// `text:` or `body:`, the passage text.
    Body,
    /// `author:`, the article's byline.
    Author,
    /// `person:`, `organization:` or `org:`, `place:`: the names of the passage's entities.
    Entity(EntityKind),
    /// `date:`, a filter on the publication date.
    Date,
    /// `source:`, a filter on the source.
    Source,
    /// `lang:`, a filter on the language.
    Lang,
    /// `path:`, a filter on the article's path.
    Path,
}

impl QueryField {
    /// The field names a query may use, for messages.
    pub const NAMES: &'static str =
        "title, heading, text, author, person, org, place, date, source, lang, path";

    /// The field a name typed before a colon refers to.
    pub fn parse(name: &str) -> Option<QueryField> {
        Some(match name {
            "title" => QueryField::Title,
            "heading" => QueryField::Heading,
            "text" | "body" => QueryField::Body,
            "author" => QueryField::Author,
            "person" => QueryField::Entity(EntityKind::Person),
            "organization" | "org" => QueryField::Entity(EntityKind::Organization),
            "place" => QueryField::Entity(EntityKind::Place),
            "date" => QueryField::Date,
            "source" => QueryField::Source,
            "lang" => QueryField::Lang,
            "path" => QueryField::Path,
            _ => return None,
        })
    }

    /// Whether the field is a filter rather than searched text.
    pub fn is_filter(self) -> bool {
        matches!(
            self,
            QueryField::Date | QueryField::Source | QueryField::Lang | QueryField::Path
        )
    }
}

/// The searchable text fields of one stemming language.
#[derive(Debug, Clone, Copy)]
pub struct TextFields {
    pub title: Field,
    pub heading: Field,
    pub body: Field,
}

/// The fields of one entity type.
#[derive(Debug, Clone, Copy)]
pub struct EntityFields {
    /// Names and aliases of the entities in this passage, tokenised (for `person:van ginkel`).
    pub text: Field,
    /// Normalised canonical keys of the entities in this passage (raw; for counting).
    pub key: Field,
    /// Normalised keys of every name and alias of this passage's entities (raw; for
    /// filters that must hold in the passage).
    pub passage_key: Field,
    /// Normalised keys of every name and alias of the article's entities (raw; for filters).
    pub article_key: Field,
}

/// Every field of the schema, handed out by [`build`].
#[derive(Debug, Clone)]
pub struct Fields {
    /// Stable article id, a hash of its content (raw; articles are deleted by it).
    pub article_id: Field,
    /// The file the article came from, as given to lede (for display).
    pub path: Field,
    /// The file's absolute path, or `-#<article id>` for standard input (raw;
    /// a file's articles are deleted by it).
    pub file_key: Field,
    /// Hash of the file's bytes when it was indexed.
    pub file_hash: Field,
    /// The file's size in bytes when it was indexed.
    pub file_size: Field,
    /// The file's modification time (milliseconds since the Unix epoch) when it was indexed.
    pub file_mtime: Field,
    /// Which entity model and alias rules read the file (see `Options::entity_version`).
    pub entity_version: Field,
    pub record: Field,
    pub title: Field,
    pub source: Field,
    /// Normalised source (raw; for filters).
    pub source_key: Field,
    /// RFC 3339 with the original offset, as stored for display.
    pub published: Field,
    /// The same instant as a date field, for filters and sorting.
    pub published_at: Field,
    pub date_text: Field,
    pub url: Field,
    /// The byline, stored and searchable (`author:`), not stemmed.
    pub author: Field,
    pub language: Field,
    pub passage_index: Field,
    pub heading: Field,
    pub text: Field,
    /// JSON of the passage's entities with their aliases (stored only).
    pub entities: Field,
    /// JSON of the whole article's entities, stored on its first passage only.
    pub article_entities: Field,
    /// Each of the article's entities as JSON, a fast column of its first
    /// passage: counting reads each distinct value once, not every document.
    pub article_entity: Field,
    /// Organisations side by side with another named by one of their acronym
    /// aliases (fast only): `a` or `p` (in the article or the passage), the
    /// alias key and the key, separated by U+001F.
    pub acronym_pair: Field,
    /// The words of the passage, its heading and its title, lowercased and
    /// accent-folded but not stemmed, without frequencies or positions: what
    /// prefixes and typos are matched against.
    pub words: Field,
    text_fields: [TextFields; 3],
    entity_fields: [EntityFields; 3],
}

impl Fields {
    /// The searchable text fields for a stemming language.
    pub fn text_fields(&self, stemming: Stemming) -> TextFields {
        self.text_fields[stemming.index()]
    }

    /// The fields of an entity type.
    pub fn entity(&self, kind: EntityKind) -> EntityFields {
        self.entity_fields[kind_index(kind)]
    }

    /// The entity type whose tokenised field this is, if any.
    pub fn entity_kind_of(&self, field: Field) -> Option<EntityKind> {
        EntityKind::ALL
            .into_iter()
            .find(|&kind| self.entity(kind).text == field)
    }

    /// The fields a query field name searches, for the given stemmings (none for a filter).
    pub fn searched(&self, field: QueryField, stemmings: &[Stemming]) -> Vec<Field> {
        match field {
            QueryField::Entity(kind) => vec![self.entity(kind).text],
            QueryField::Author => vec![self.author],
            QueryField::Title | QueryField::Heading | QueryField::Body => stemmings
                .iter()
                .map(|&s| {
                    let f = self.text_fields(s);
                    match field {
                        QueryField::Title => f.title,
                        QueryField::Heading => f.heading,
                        _ => f.body,
                    }
                })
                .collect(),
            _ => Vec::new(),
        }
    }

    /// The stemming of a searchable body field, if it is one.
    pub fn stemming_of_body(&self, field: Field) -> Option<Stemming> {
        Stemming::ALL
            .into_iter()
            .find(|&s| self.text_fields(s).body == field)
    }
}

fn kind_index(kind: EntityKind) -> usize {
    match kind {
        EntityKind::Person => 0,
        EntityKind::Organization => 1,
        EntityKind::Place => 2,
    }
}

/// The name a query uses for an entity type's tokenised field (`person:`, `organization:`, `place:`).
pub fn entity_field_name(kind: EntityKind) -> &'static str {
    kind.as_str()
}

fn text_options(tokenizer: &str, stored: bool) -> TextOptions {
    let indexing = TextFieldIndexing::default()
        .set_tokenizer(tokenizer)
        .set_index_option(IndexRecordOption::WithFreqsAndPositions);
    let options = TextOptions::default().set_indexing_options(indexing);
    if stored { options | STORED } else { options }
}

/// Builds the schema and its fields.
/// How the index stores documents: zstd in blocks of 32 KB, which compress
/// the repeated titles, paths and entity lists of an article's passages far
/// better than lz4 in the default 16 KB blocks (the BBC index: 7.2 MB against
/// 9.5 MB), while a hit still decompresses only a small block.
pub fn settings() -> tantivy::IndexSettings {
    tantivy::IndexSettings {
        docstore_compression: tantivy::store::Compressor::Zstd(tantivy::store::ZstdCompressor {
            compression_level: Some(3),
        }),
        docstore_blocksize: 32 * 1024,
        ..tantivy::IndexSettings::default()
    }
}

pub fn build() -> (Schema, Fields) {
    let mut b = Schema::builder();
    let stored_only = TextOptions::default() | STORED;
    let article_id = b.add_text_field("article_id", STRING | STORED | FAST);
    let path = b.add_text_field("path", STRING | STORED);
    let file_key = b.add_text_field("file_key", STRING | FAST);
    let file_hash = b.add_u64_field("file_hash", FAST);
    let file_size = b.add_u64_field("file_size", FAST);
    let file_mtime = b.add_i64_field("file_mtime", FAST);
    let entity_version = b.add_u64_field("entity_version", FAST);
    let record = b.add_u64_field("record", NumericOptions::default() | STORED);
    let title = b.add_text_field("title", stored_only.clone());
    let source = b.add_text_field("source", stored_only.clone());
    let source_key = b.add_text_field("source_key", STRING);
    let published = b.add_text_field("published", stored_only.clone());
    let published_at = b.add_date_field(
        "published_at",
        DateOptions::default()
            .set_indexed()
            .set_fast()
            .set_precision(DateTimePrecision::Seconds),
    );
    let date_text = b.add_text_field("date_text", stored_only.clone());
    let url = b.add_text_field("url", stored_only.clone());
    let author = b.add_text_field("author", text_options(PLAIN_TOKENIZER, true));
    let language = b.add_text_field("language", STRING | STORED);
    let passage_index = b.add_u64_field("passage_index", INDEXED | STORED | FAST);
    let heading = b.add_text_field("heading", stored_only.clone());
    let text = b.add_text_field("text", stored_only.clone());
    let entities = b.add_text_field("entities", stored_only.clone());
    let article_entities = b.add_text_field("article_entities", stored_only);
    let article_entity = b.add_text_field("article_entity", FAST);
    let acronym_pair = b.add_text_field("acronym_pair", FAST);
    let words = b.add_text_field(
        "words",
        TextOptions::default().set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer(PLAIN_TOKENIZER)
                .set_index_option(IndexRecordOption::Basic),
        ),
    );
    let text_fields = Stemming::ALL.map(|s| {
        let tok = s.tokenizer_name();
        TextFields {
            title: b.add_text_field(&format!("title_{}", s.suffix()), text_options(tok, false)),
            heading: b.add_text_field(&format!("heading_{}", s.suffix()), text_options(tok, false)),
            body: b.add_text_field(&format!("body_{}", s.suffix()), text_options(tok, false)),
        }
    });
    let entity_fields = EntityKind::ALL.map(|kind| {
        let name = entity_field_name(kind);
        EntityFields {
            text: b.add_text_field(name, text_options(PLAIN_TOKENIZER, false)),
            key: b.add_text_field(&format!("{name}_key"), STRING | FAST),
            passage_key: b.add_text_field(&format!("{name}_passage_key"), STRING),
            article_key: b.add_text_field(&format!("{name}_article_key"), STRING),
        }
    });
    let fields = Fields {
        article_id,
        path,
        file_key,
        file_hash,
        file_size,
        file_mtime,
        entity_version,
        record,
        title,
        source,
        source_key,
        published,
        published_at,
        date_text,
        url,
        author,
        language,
        passage_index,
        heading,
        text,
        entities,
        article_entities,
        article_entity,
        acronym_pair,
        words,
        text_fields,
        entity_fields,
    };
    (b.build(), fields)
}

/// Registers lede's tokenizers; an index must have them before it is read or written.
pub fn register_tokenizers(manager: &TokenizerManager) {
    for stemming in Stemming::ALL {
        manager.register(stemming.tokenizer_name(), analyzer(stemming));
    }
}

/// The analyzer of a stemming language, for highlighting outside tantivy.
pub fn analyzer(stemming: Stemming) -> TextAnalyzer {
    let base = TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(40))
        .filter(LowerCaser);
    match stemming {
        Stemming::English => base
            .filter(Stemmer::new(Language::English))
            .filter(AsciiFoldingFilter)
            .build(),
        Stemming::Dutch => base
            .filter(Stemmer::new(Language::Dutch))
            .filter(AsciiFoldingFilter)
            .build(),
        Stemming::None => base.filter(AsciiFoldingFilter).build(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_entity_type_has_its_own_fields() {
        let (schema, fields) = build();
        for kind in EntityKind::ALL {
            let f = fields.entity(kind);
            assert_eq!(schema.get_field_name(f.text), kind.as_str());
            assert_ne!(f.key, f.article_key);
        }
    }

    #[test]
    fn english_analyzer_stems_and_folds() {
        let mut a = analyzer(Stemming::English);
        let mut stream = a.token_stream("Attacks in Zürich");
        let mut out = Vec::new();
        while let Some(t) = stream.next() {
            out.push(t.text.clone());
        }
        assert_eq!(out, ["attack", "in", "zurich"]);
    }
}
