//! Finds the query terms in a passage's text, as byte ranges.

use std::collections::HashSet;

use tantivy::query::Query;

use crate::index::schema::{Fields, Stemming, analyzer};

/// Words a query matches other than by their terms, lowercased and accent-folded.
#[derive(Debug, Clone, Default)]
pub struct Patterns {
    /// Prefixes (`lithi*`): any word that starts with one.
    pub prefixes: Vec<String>,
    /// Words given typo tolerance, with the edits allowed.
    pub typos: Vec<(String, usize)>,
}

impl Patterns {
    fn matches(&self, word: &str) -> bool {
        self.prefixes.iter().any(|p| word.starts_with(p.as_str()))
            || self
                .typos
                .iter()
                .any(|(typo, edits)| strsim::osa_distance(typo, word) <= *edits)
    }
}

/// The terms a query looks for in passage text, per stemming, and in entity names.
pub struct QueryTerms {
    body: [HashSet<String>; 3],
    entity: HashSet<String>,
    patterns: Patterns,
}

impl QueryTerms {
    /// Collects the terms of the body and entity fields from a parsed query,
    /// with the words it matches by prefix or with a typo.
    pub fn collect(query: &dyn Query, fields: &Fields, patterns: &Patterns) -> QueryTerms {
        let mut terms = QueryTerms {
            body: Default::default(),
            entity: HashSet::new(),
            patterns: patterns.clone(),
        };
        query.query_terms(&mut |term, _| {
            let value = term.value();
            let Some(word) = value.as_str() else {
                return;
            };
            if let Some(stemming) = fields.stemming_of_body(term.field()) {
                terms.body[stemming.index()].insert(word.to_string());
            } else if fields.entity_kind_of(term.field()).is_some() {
                terms.entity.insert(word.to_string());
            }
        });
        terms
    }

    /// Byte ranges in `text` of the tokens the query matched, sorted and merged.
    pub fn highlight(&self, text: &str, stemming: Stemming) -> Vec<[usize; 2]> {
        let mut ranges = Vec::new();
        let body = &self.body[stemming.index()];
        if !body.is_empty() {
            mark(text, stemming, body, &mut ranges);
        }
        if !self.entity.is_empty() {
            mark(text, Stemming::None, &self.entity, &mut ranges);
        }
        if !self.patterns.prefixes.is_empty() || !self.patterns.typos.is_empty() {
            let mut analyzer = analyzer(Stemming::None);
            let mut stream = analyzer.token_stream(text);
            while let Some(token) = stream.next() {
                if self.patterns.matches(&token.text) {
                    ranges.push([token.offset_from, token.offset_to]);
                }
            }
        }
        ranges.sort_unstable();
        let mut merged: Vec<[usize; 2]> = Vec::with_capacity(ranges.len());
        for r in ranges {
            match merged.last_mut() {
                Some(last) if r[0] <= last[1] => last[1] = last[1].max(r[1]),
                _ => merged.push(r),
            }
        }
        merged
    }
}

fn mark(text: &str, stemming: Stemming, wanted: &HashSet<String>, out: &mut Vec<[usize; 2]>) {
    let mut analyzer = analyzer(stemming);
    let mut stream = analyzer.token_stream(text);
    while let Some(token) = stream.next() {
        if wanted.contains(&token.text) {
            out.push([token.offset_from, token.offset_to]);
        }
    }
}
