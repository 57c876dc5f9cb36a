//! Counts the entities of the index: how many articles and passages mention each, with its aliases.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use serde::Serialize;
use tantivy::collector::{DocSetCollector, TopDocs};
use tantivy::query::{BooleanQuery, Occur, Query, TermQuery};
use tantivy::schema::{IndexRecordOption, Value};
use tantivy::{Searcher, TantivyDocument, Term};

use crate::entities::{Named, name_key};
use crate::error::Result;
use crate::index::Store;
use crate::index::document::parse_entities;
use crate::ner::{EntityKind, Geo};

/// One entity and how often it is mentioned.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EntityCount {
    #[serde(rename = "type")]
    pub kind: EntityKind,
    pub name: String,
    pub aliases: Vec<String>,
    /// For a place with an unambiguous name, its GeoNames entry.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub geo: Option<Geo>,
    pub articles: u64,
    pub passages: u64,
}

#[derive(Default)]
struct Tally {
    name: String,
    aliases: BTreeSet<String>,
    geo: Option<Geo>,
    articles: u64,
    passages: u64,
}

impl Tally {
    fn passage(&mut self) {
        self.passages += 1;
    }

    fn article(&mut self, named: Named) {
        self.articles += 1;
        if self.name.is_empty() {
            self.name = named.name;
        }
        if self.geo.is_none() {
            self.geo = named.geo;
        }
        self.aliases.extend(named.aliases);
    }
}

/// An entity named by one of the aliases of another: `(type, alias key, key)`.
type Pair = (EntityKind, String, String);

/// Tallies by type and key, for one type or all.
struct Tallies {
    kind: Option<EntityKind>,
    map: HashMap<(EntityKind, String), Tally>,
    /// Articles and passages where an entity and another whose alias is its
    /// name appear side by side, so that merging the two does not count them twice.
    both_articles: HashMap<Pair, u64>,
    both_passages: HashMap<Pair, u64>,
}

impl Tallies {
    fn new(kind: Option<EntityKind>) -> Tallies {
        Tallies {
            kind,
            map: HashMap::new(),
            both_articles: HashMap::new(),
            both_passages: HashMap::new(),
        }
    }

    /// Counts the pairs of organisations in `entities` (one article's or one
    /// passage's) where one is named by an acronym alias of the other, as
    /// [`merge_acronyms`] needs.
    fn count_pairs(entities: &[Named], into: &mut HashMap<Pair, u64>) {
        let kind = EntityKind::Organization;
        let orgs = || entities.iter().filter(|n| n.kind == kind);
        if !orgs().any(|n| n.aliases.iter().any(|a| is_acronym(a))) {
            return;
        }
        let keys: HashSet<String> = orgs().map(Named::key).collect();
        for named in orgs() {
            let key = named.key();
            for alias in named.aliases.iter().filter(|a| is_acronym(a)) {
                let alias_key = name_key(kind, alias);
                if alias_key != key && keys.contains(&alias_key) {
                    *into.entry((kind, alias_key, key.clone())).or_default() += 1;
                }
            }
        }
    }

    fn wanted(kind: Option<EntityKind>, named: &Named) -> bool {
        kind.is_none_or(|k| k == named.kind)
    }

    /// Counts one passage for each of its entities.
    fn passage(&mut self, entities: Vec<Named>) {
        let kind = self.kind;
        Tallies::count_pairs(&entities, &mut self.both_passages);
        for named in entities.into_iter().filter(|n| Tallies::wanted(kind, n)) {
            self.map
                .entry((named.kind, named.key()))
                .or_default()
                .passage();
        }
    }

    /// Counts one article for each of its entities, and keeps their aliases.
    fn article(&mut self, entities: Vec<Named>) {
        let kind = self.kind;
        Tallies::count_pairs(&entities, &mut self.both_articles);
        for named in entities.into_iter().filter(|n| Tallies::wanted(kind, n)) {
            self.map
                .entry((named.kind, named.key()))
                .or_default()
                .article(named);
        }
    }
}

/// What to count over.
pub struct Scope<'a> {
    /// Only the passages this query matches, and their articles; `None` for all.
    pub query: Option<&'a dyn Query>,
    pub kind: Option<EntityKind>,
    /// Leave out the entity with this name or alias (as in `--with`).
    pub except: Option<String>,
}

/// The entities, most mentioned first (by articles, then passages, then name).
///
/// Articles count the matching articles that mention the entity anywhere;
/// passages count the matching passages that mention it. `limit` 0 lists them all.
pub fn list(
    store: &Store,
    searcher: &Searcher,
    scope: &Scope<'_>,
    limit: usize,
) -> Result<Vec<EntityCount>> {
    let mut tallies = match scope.query {
        None => tally_all(store, searcher, scope.kind)?,
        Some(query) => tally_matching(store, searcher, query, scope.kind)?,
    };
    if let Some(except) = &scope.except {
        // Every key the filter on this name matches by: the name, an alias, a
        // person's surname ("Glocer" is Tom Glocer).
        tallies.map.retain(|(kind, _), t| {
            let key = name_key(*kind, except);
            let named = Named {
                kind: *kind,
                name: t.name.clone(),
                aliases: t.aliases.iter().cloned().collect(),
                geo: None,
            };
            !named.all_keys().contains(&key)
        });
    }
    Ok(finish(tallies, limit))
}

fn stored_entities(doc: &TantivyDocument, field: tantivy::schema::Field) -> Vec<Named> {
    doc.get_first(field)
        .and_then(|v| v.as_str())
        .map(parse_entities)
        .unwrap_or_default()
}

fn tally_matching(
    store: &Store,
    searcher: &Searcher,
    query: &dyn Query,
    kind: Option<EntityKind>,
) -> Result<Tallies> {
    let fields = &store.fields;
    let mut tallies = Tallies::new(kind);
    let mut articles = HashSet::new();
    for address in searcher.search(query, &DocSetCollector)? {
        let doc: TantivyDocument = searcher.doc(address)?;
        tallies.passage(stored_entities(&doc, fields.entities));
        if let Some(id) = doc.get_first(fields.article_id).and_then(|v| v.as_str()) {
            articles.insert(id.to_string());
        }
    }
    for id in articles {
        tallies.article(article_entities(store, searcher, &id)?);
    }
    Ok(tallies)
}

/// The entities of a whole article, stored with its first passage.
fn article_entities(store: &Store, searcher: &Searcher, id: &str) -> Result<Vec<Named>> {
    let fields = &store.fields;
    let first = BooleanQuery::new(vec![
        (
            Occur::Must,
            Box::new(TermQuery::new(
                Term::from_field_text(fields.article_id, id),
                IndexRecordOption::Basic,
            )) as Box<dyn Query>,
        ),
        (
            Occur::Must,
            Box::new(TermQuery::new(
                Term::from_field_u64(fields.passage_index, 0),
                IndexRecordOption::Basic,
            )),
        ),
    ]);
    let top = searcher.search(&first, &TopDocs::with_limit(1).order_by_score())?;
    let Some((_, address)) = top.into_iter().next() else {
        return Ok(Vec::new());
    };
    let doc: TantivyDocument = searcher.doc(address)?;
    Ok(stored_entities(&doc, fields.article_entities))
}

fn tally_all(store: &Store, searcher: &Searcher, kind: Option<EntityKind>) -> Result<Tallies> {
    let fields = &store.fields;
    let mut tallies = Tallies::new(kind);
    for segment in searcher.segment_readers() {
        let docs = segment.get_store_reader(64)?;
        for doc_id in segment.doc_ids_alive() {
            let doc: TantivyDocument = docs.get(doc_id)?;
            tallies.passage(stored_entities(&doc, fields.entities));
            tallies.article(stored_entities(&doc, fields.article_entities));
        }
    }
    Ok(tallies)
}

/// Whether a name is an acronym: two or more letters, none in lower case ("FA", "U.N.").
fn is_acronym(name: &str) -> bool {
    name.chars().filter(|c| c.is_alphabetic()).count() >= 2 && !name.chars().any(char::is_lowercase)
}

/// An organisation counted under an acronym alone ("FA") joins the organisation
/// that has the acronym as an alias in other articles ("Football Association"),
/// when one such organisation has over three times the articles of all others
/// with that alias. Articles and passages that name both apart count once.
fn merge_acronyms(tallies: &mut Tallies) {
    let kind = EntityKind::Organization;
    let mut owners: BTreeMap<String, Vec<(u64, String)>> = BTreeMap::new();
    for ((k, key), t) in &tallies.map {
        if *k != kind {
            continue;
        }
        for alias in t.aliases.iter().filter(|a| is_acronym(a)) {
            let alias_key = name_key(kind, alias);
            if alias_key != *key && tallies.map.contains_key(&(kind, alias_key.clone())) {
                owners
                    .entry(alias_key)
                    .or_default()
                    .push((t.articles, key.clone()));
            }
        }
    }
    let mut merges = Vec::new();
    for (short, mut owned) in owners {
        owned.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
        let others: u64 = owned.iter().skip(1).map(|o| o.0).sum();
        if let Some((articles, long)) = owned.into_iter().next()
            && articles > 3 * others
        {
            merges.push((short, long));
        }
    }
    let sources: HashSet<String> = merges.iter().map(|(s, _)| s.clone()).collect();
    for (short, long) in merges {
        if sources.contains(&long) {
            continue;
        }
        let Some(from) = tallies.map.remove(&(kind, short.clone())) else {
            continue;
        };
        let pair = (kind, short, long.clone());
        let both_articles = tallies.both_articles.get(&pair).copied().unwrap_or(0);
        let both_passages = tallies.both_passages.get(&pair).copied().unwrap_or(0);
        if let Some(into) = tallies.map.get_mut(&(kind, long)) {
            into.articles += from.articles.saturating_sub(both_articles);
            into.passages += from.passages.saturating_sub(both_passages);
            into.aliases.insert(from.name);
            into.aliases.extend(from.aliases);
        }
    }
}

fn finish(mut tallies: Tallies, limit: usize) -> Vec<EntityCount> {
    merge_acronyms(&mut tallies);
    let mut out: Vec<EntityCount> = tallies
        .map
        .into_iter()
        .filter(|(_, t)| t.articles > 0)
        .map(|((kind, _), t)| EntityCount {
            kind,
            aliases: t.aliases.into_iter().filter(|a| *a != t.name).collect(),
            name: t.name,
            geo: t.geo,
            articles: t.articles,
            passages: t.passages,
        })
        .collect();
    out.sort_by(|a, b| {
        b.articles
            .cmp(&a.articles)
            .then(b.passages.cmp(&a.passages))
            .then_with(|| a.name.cmp(&b.name))
            .then(a.kind.cmp(&b.kind))
    });
    if limit > 0 {
        out.truncate(limit);
    }
    out
}

/// Mentions of an entity in one month.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MonthCount {
    /// `YYYY-MM`, or `undated` for articles without a date.
    pub month: String,
    /// Matching articles that mention the entity.
    pub articles: u64,
    /// Matching passages that mention it in the passage itself.
    pub passages: u64,
}

/// Whether any article mentions an entity by this name, alias or surname.
pub fn is_mentioned(store: &Store, searcher: &Searcher, name: &str) -> Result<bool> {
    let query = crate::search::query::mentions(&store.fields, name);
    Ok(searcher.search(&*query, &tantivy::collector::Count)? > 0)
}

/// Mentions of an entity per month, over the passages `query` matches
/// (which should already require the entity in the article).
pub fn timeline(
    store: &Store,
    searcher: &Searcher,
    query: &dyn Query,
    name: &str,
) -> Result<Vec<MonthCount>> {
    let fields = &store.fields;
    let mut months: BTreeMap<String, (HashSet<String>, u64)> = BTreeMap::new();
    for address in searcher.search(query, &DocSetCollector)? {
        let doc: TantivyDocument = searcher.doc(address)?;
        let month = doc
            .get_first(fields.published)
            .and_then(|v| v.as_str())
            .and_then(|d| d.get(..7))
            .unwrap_or("undated")
            .to_string();
        let entry = months.entry(month).or_default();
        if let Some(id) = doc.get_first(fields.article_id).and_then(|v| v.as_str()) {
            entry.0.insert(id.to_string());
        }
        let here = stored_entities(&doc, fields.entities)
            .iter()
            .any(|n| n.all_keys().contains(&name_key(n.kind, name)));
        if here {
            entry.1 += 1;
        }
    }
    Ok(months
        .into_iter()
        .map(|(month, (articles, passages))| MonthCount {
            month,
            articles: articles.len() as u64,
            passages,
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn org(name: &str, aliases: &[&str]) -> Named {
        Named {
            kind: EntityKind::Organization,
            name: name.into(),
            aliases: aliases.iter().map(|a| a.to_string()).collect(),
            geo: None,
        }
    }

    /// Tallies of articles of one passage each.
    fn tally(articles: &[Vec<Named>]) -> Vec<EntityCount> {
        let mut tallies = Tallies::new(None);
        for entities in articles {
            tallies.passage(entities.clone());
            tallies.article(entities.clone());
        }
        finish(tallies, 0)
    }

    fn row<'a>(rows: &'a [EntityCount], name: &str) -> Option<&'a EntityCount> {
        rows.iter().find(|r| r.name == name)
    }

    #[test]
    fn an_acronym_alone_joins_the_organisation_it_stands_for() {
        let rows = tally(&[
            vec![org("Football Association", &["FA"])],
            vec![org("FA", &[])],
            // Both apart in one article: counted once.
            vec![org("FA", &[]), org("Football Association", &["FA"])],
            vec![org("United", &[])],
            vec![org("Manchester United", &["United"])],
        ]);
        let fa = row(&rows, "Football Association").expect("merged");
        assert_eq!((fa.articles, fa.passages), (3, 3));
        assert_eq!(fa.aliases, ["FA"]);
        assert!(row(&rows, "FA").is_none(), "{rows:?}");
        // Only acronyms join: "United" may be any United.
        assert!(row(&rows, "United").is_some(), "{rows:?}");
    }

    #[test]
    fn an_acronym_of_two_organisations_alike_stays_apart() {
        let rows = tally(&[
            vec![org("Islamic State", &["IS"])],
            vec![org("Intelligence Service", &["IS"])],
            vec![org("IS", &[])],
        ]);
        assert_eq!(rows.len(), 3, "{rows:?}");
        // One far more named than the other takes it.
        let mut articles = vec![vec![org("European Union", &["EU"])]; 4];
        articles.push(vec![org("Europe Union", &["EU"])]);
        articles.push(vec![org("EU", &[])]);
        let rows = tally(&articles);
        let eu = row(&rows, "European Union").expect("merged");
        assert_eq!(eu.articles, 5);
        assert_eq!(row(&rows, "Europe Union").map(|r| r.articles), Some(1));
    }
}
