//! The tagger as an [`EntityExtractor`], and any extractor scored on labelled token files.

use crate::ner::{Entity, EntityExtractor, EntityKind};

use super::conll::Document;
use super::tag::{Kind, Tag};
use super::{Mention, Model};

impl EntityExtractor for Model {
    /// The tagger's PER, ORG and LOC mentions; each mention's text is its canonical name.
    fn extract(&self, text: &str) -> Vec<Entity> {
        entities(text, self.tag_text(text))
    }
}

/// The PER, ORG and LOC mentions found in `text` as entities named by their text.
pub(crate) fn entities(text: &str, mentions: Vec<Mention>) -> Vec<Entity> {
    mentions
        .into_iter()
        .filter_map(|m| {
            let kind = match m.kind {
                Kind::Per => EntityKind::Person,
                Kind::Org => EntityKind::Organization,
                Kind::Loc => EntityKind::Place,
                Kind::Misc => return None,
            };
            let canonical = text.get(m.start..m.end)?.to_string();
            Some(Entity {
                kind,
                start: m.start,
                end: m.end,
                canonical,
                geo: None,
            })
        })
        .collect()
}

/// The IOB2 tags an extractor gives a labelled document: its tokens are joined
/// by spaces, one sentence a line, and each entity tags the tokens inside it.
pub fn extractor_tags(
    extractor: &dyn EntityExtractor,
    doc: &Document,
    language: &str,
) -> Vec<Vec<Tag>> {
    let mut text = String::new();
    let mut offsets: Vec<Vec<(usize, usize)>> = Vec::with_capacity(doc.sentences.len());
    for sentence in &doc.sentences {
        let mut spans = Vec::with_capacity(sentence.tokens.len());
        for (i, token) in sentence.tokens.iter().enumerate() {
            if i > 0 {
                text.push(' ');
            }
            let start = text.len();
            text.push_str(token);
            spans.push((start, text.len()));
        }
        text.push('\n');
        offsets.push(spans);
    }
    let mut tags: Vec<Vec<Tag>> = offsets.iter().map(|s| vec![Tag::O; s.len()]).collect();
    for entity in extractor.extract_in(&text, language) {
        let kind = match entity.kind {
            EntityKind::Person => Kind::Per,
            EntityKind::Organization => Kind::Org,
            EntityKind::Place => Kind::Loc,
        };
        for (spans, tags) in offsets.iter().zip(tags.iter_mut()) {
            let mut first = true;
            for (&(s, e), tag) in spans.iter().zip(tags.iter_mut()) {
                if s >= entity.start && e <= entity.end {
                    *tag = if first { Tag::B(kind) } else { Tag::I(kind) };
                    first = false;
                }
            }
        }
    }
    tags
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ner::tagger::conll::Sentence;

    struct Fixed;

    impl EntityExtractor for Fixed {
        fn extract(&self, text: &str) -> Vec<Entity> {
            let start = text.find("Bibi").unwrap_or(0);
            vec![Entity {
                kind: EntityKind::Person,
                start,
                end: start + "Bibi van Ginkel".len(),
                canonical: "Bibi van Ginkel".into(),
                geo: None,
            }]
        }
    }

    #[test]
    fn entity_spans_become_iob2_tags_on_tokens() {
        let doc = Document {
            sentences: vec![
                Sentence {
                    tokens: vec!["Hello".into()],
                    tags: vec![Tag::O],
                },
                Sentence {
                    tokens: ["says", "Bibi", "van", "Ginkel", "."]
                        .map(String::from)
                        .to_vec(),
                    tags: vec![Tag::O; 5],
                },
            ],
        };
        let tags = extractor_tags(&Fixed, &doc, "en");
        assert_eq!(tags[0], [Tag::O]);
        assert_eq!(
            tags[1],
            [
                Tag::O,
                Tag::B(Kind::Per),
                Tag::I(Kind::Per),
                Tag::I(Kind::Per),
                Tag::O
            ]
        );
    }
}
