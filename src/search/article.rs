//! One whole article read back from the index: its passages in order, their
//! entities, and where the text names them.

use serde::Serialize;
use tantivy::collector::TopDocs;
use tantivy::query::TermQuery;
use tantivy::schema::{IndexRecordOption, Value};
use tantivy::{Searcher, TantivyDocument};

use super::{ArticleInfo, EntityLists, article_info, text_of};
use crate::entities::Named;
use crate::error::Result;
use crate::index::Store;
use crate::index::document::{article_term, parse_entities};
use crate::ner::EntityKind;

/// An article with everything the index holds of it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ArticleView {
    pub article: ArticleInfo,
    pub passages: Vec<ArticlePassage>,
    /// The article's entities, merged over its passages.
    pub entities: Vec<Named>,
}

/// One passage of an [`ArticleView`].
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ArticlePassage {
    pub index: u64,
    pub heading: Option<String>,
    pub text: String,
    pub entities: EntityLists,
    /// Where `text` names its entities, in order and never overlapping.
    pub marks: Vec<Mark>,
}

/// A mention of an entity in a passage's text: the byte range `[start, end)`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Mark {
    pub start: usize,
    pub end: usize,
    #[serde(rename = "type")]
    pub kind: EntityKind,
    /// The entity's name, which the mention may give another way.
    pub name: String,
}

/// The article with this id, or `None` when the index holds none.
pub fn read(store: &Store, searcher: &Searcher, id: &str) -> Result<Option<ArticleView>> {
    let fields = &store.fields;
    let query = TermQuery::new(article_term(fields, id), IndexRecordOption::Basic);
    let found = searcher.search(&query, &tantivy::collector::Count)?;
    if found == 0 {
        return Ok(None);
    }
    let top = searcher.search(&query, &TopDocs::with_limit(found).order_by_score())?;
    let mut docs = Vec::with_capacity(top.len());
    for (_, address) in top {
        docs.push(searcher.doc::<TantivyDocument>(address)?);
    }
    let index_of = |doc: &TantivyDocument| {
        doc.get_first(fields.passage_index)
            .and_then(|v| v.as_u64())
            .unwrap_or(0)
    };
    docs.sort_by_key(index_of);
    let Some(first) = docs.first() else {
        return Ok(None);
    };
    let article = article_info(fields, first);
    let entities = parse_entities(&text_of(first, fields.article_entities).unwrap_or_default());
    let passages = docs
        .iter()
        .map(|doc| {
            let text = text_of(doc, fields.text).unwrap_or_default();
            let named = parse_entities(&text_of(doc, fields.entities).unwrap_or_default());
            ArticlePassage {
                index: index_of(doc),
                heading: text_of(doc, fields.heading),
                marks: marks(&text, &named),
                entities: EntityLists::of(&named),
                text,
            }
        })
        .collect();
    Ok(Some(ArticleView {
        article,
        passages,
        entities,
    }))
}

/// Where `text` names each entity by its name or an alias, as a whole word:
/// the longest form wins where two overlap, then the earliest.
pub fn marks(text: &str, entities: &[Named]) -> Vec<Mark> {
    let mut forms: Vec<(&str, &Named)> = entities
        .iter()
        .flat_map(|e| {
            std::iter::once(e.name.as_str())
                .chain(e.aliases.iter().map(String::as_str))
                .map(move |form| (form, e))
        })
        .filter(|(form, _)| !form.trim().is_empty())
        .collect();
    forms.sort_by(|a, b| b.0.len().cmp(&a.0.len()).then_with(|| a.0.cmp(b.0)));
    forms.dedup_by(|a, b| a.0 == b.0);
    let mut taken: Vec<Mark> = Vec::new();
    for (form, entity) in forms {
        for (start, _) in text.match_indices(form) {
            let end = start + form.len();
            let word_before = text[..start]
                .chars()
                .next_back()
                .is_some_and(char::is_alphanumeric);
            let word_after = text[end..]
                .chars()
                .next()
                .is_some_and(char::is_alphanumeric);
            let overlaps = taken.iter().any(|m| m.start < end && start < m.end);
            if !word_before && !word_after && !overlaps {
                taken.push(Mark {
                    start,
                    end,
                    kind: entity.kind,
                    name: entity.name.clone(),
                });
            }
        }
    }
    taken.sort_by_key(|m| m.start);
    taken
}

#[cfg(test)]
mod tests {
    use super::*;

    fn named(kind: EntityKind, name: &str, aliases: &[&str]) -> Named {
        Named::with_aliases(kind, name, aliases)
    }

    fn marked<'a>(text: &'a str, marks: &[Mark]) -> Vec<(&'a str, &'a str)> {
        let kinds = |k: EntityKind| match k {
            EntityKind::Person => "person",
            EntityKind::Organization => "organization",
            EntityKind::Place => "place",
        };
        marks
            .iter()
            .map(|m| (&text[m.start..m.end], kinds(m.kind)))
            .collect()
    }

    #[test]
    fn marks_find_names_and_aliases_as_whole_words_longest_first() {
        let text = "Vladimir Putin spoke in Moscow. Putin’s aides met Moscowitz of the \
                    Moscow City Council in Köln.";
        let entities = [
            named(EntityKind::Person, "Vladimir Putin", &["Putin"]),
            named(EntityKind::Place, "Moscow", &[]),
            named(EntityKind::Organization, "Moscow City Council", &[]),
            named(EntityKind::Place, "Cologne", &["Köln"]),
        ];
        let marks = marks(text, &entities);
        assert_eq!(
            marked(text, &marks),
            [
                ("Vladimir Putin", "person"),
                ("Moscow", "place"),
                ("Putin", "person"),
                ("Moscow City Council", "organization"),
                ("Köln", "place"),
            ]
        );
        assert_eq!(marks[4].name, "Cologne");
        assert!(marks.windows(2).all(|w| w[0].end <= w[1].start));
    }

    #[test]
    fn marks_are_empty_for_a_passage_without_entities_or_with_blank_names() {
        assert!(marks("Nothing here.", &[]).is_empty());
        let blank = [named(EntityKind::Person, " ", &[""])];
        assert!(marks("Nothing here.", &blank).is_empty());
    }
}
