//! Counts the entities of the index: how many articles and passages mention each, with its aliases.

use std::collections::{BTreeMap, BTreeSet, HashSet};

use rustc_hash::FxHashMap as HashMap;

use serde::Serialize;
use tantivy::collector::DocSetCollector;
use tantivy::columnar::StrColumn;
use tantivy::query::Query;
use tantivy::schema::Value;
use tantivy::{DocAddress, DocId, Searcher, TantivyDocument};

use crate::entities::{Named, is_acronym, name_key};
use crate::error::{Error, Result};
use crate::index::Store;
use crate::index::document::{
    PAIR_IN_ARTICLE, PAIR_IN_PASSAGE, parse_acronym_pair, parse_entities,
};
use crate::index::manifest::resolve;
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
    /// Each name the entity goes by in some article, with their number: the
    /// most common one is its name.
    names: HashMap<String, u64>,
    aliases: BTreeSet<String>,
    /// Places' GeoNames entries, by the name they came with.
    geo: BTreeMap<String, Geo>,
    articles: u64,
    passages: u64,
}

impl Tally {
    /// Counts `articles` articles that name the entity so.
    fn articles(&mut self, named: Named, articles: u64) {
        self.articles += articles;
        if let Some(geo) = named.geo {
            self.geo.entry(named.name.clone()).or_insert(geo);
        }
        *self.names.entry(named.name).or_default() += articles;
        self.aliases.extend(named.aliases);
    }

    /// The name most articles give it; of those, the first in order.
    fn name(&self) -> &str {
        self.names
            .iter()
            .max_by(|a, b| a.1.cmp(b.1).then_with(|| b.0.cmp(a.0)))
            .map_or("", |(name, _)| name.as_str())
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
    /// The passages and articles counted over.
    passages_seen: u64,
    articles_seen: u64,
}

impl Tallies {
    fn new(kind: Option<EntityKind>) -> Tallies {
        Tallies {
            kind,
            map: HashMap::default(),
            both_articles: HashMap::default(),
            both_passages: HashMap::default(),
            passages_seen: 0,
            articles_seen: 0,
        }
    }

    fn wanted(&self, kind: EntityKind) -> bool {
        self.kind.is_none_or(|k| k == kind)
    }

    /// Counts `n` passages that mention the entity with this key.
    fn passages(&mut self, kind: EntityKind, key: &str, n: u64) {
        if self.wanted(kind) {
            self.map
                .entry((kind, key.to_string()))
                .or_default()
                .passages += n;
        }
    }

    /// Counts `n` articles that name an entity so.
    fn articles(&mut self, named: Named, n: u64) {
        if self.wanted(named.kind) {
            self.map
                .entry((named.kind, named.key()))
                .or_default()
                .articles(named, n);
        }
    }

    /// Counts `n` articles or passages (`in_article`) where the organisation
    /// with `key` and the one its acronym alias names appear side by side.
    fn pair(&mut self, in_article: bool, alias_key: &str, key: &str, n: u64) {
        let into = if in_article {
            &mut self.both_articles
        } else {
            &mut self.both_passages
        };
        let pair = (
            EntityKind::Organization,
            alias_key.to_string(),
            key.to_string(),
        );
        *into.entry(pair).or_default() += n;
    }

    /// Counts one passage for each of its entities.
    #[cfg(test)]
    fn passage(&mut self, entities: Vec<Named>) {
        for (alias, key) in crate::entities::acronym_pairs(&entities) {
            self.pair(false, &alias, &key, 1);
        }
        for named in entities {
            self.passages(named.kind, &named.key(), 1);
        }
    }

    /// Counts one article for each of its entities, and keeps their aliases.
    #[cfg(test)]
    fn article(&mut self, entities: Vec<Named>) {
        for (alias, key) in crate::entities::acronym_pairs(&entities) {
            self.pair(true, &alias, &key, 1);
        }
        for named in entities {
            self.articles(named, 1);
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
    let matched = match scope.query {
        None => None,
        Some(query) => Some(searcher.search(query, &DocSetCollector)?),
    };
    let mut tallies = tally(store, searcher, scope.kind, matched)?;
    if let Some(except) = &scope.except {
        // Every key the filter on this name matches by: the name, an alias, a
        // person's surname ("Glocer" is Tom Glocer).
        tallies.map.retain(|(kind, _), t| {
            let key = name_key(*kind, except);
            let named = Named {
                kind: *kind,
                name: t.name().to_string(),
                aliases: t.aliases.iter().cloned().collect(),
                geo: None,
            };
            !named.all_keys().contains(&key)
        });
    }
    Ok(finish(tallies, limit))
}

/// What the passages a query matches hold: how many there are, in how many
/// articles, and the entities of each type they mention most.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Facets {
    pub passages: u64,
    pub articles: u64,
    pub person: Vec<EntityCount>,
    pub organization: Vec<EntityCount>,
    pub place: Vec<EntityCount>,
}

/// Counts the passages `query` matches and their articles, with the
/// `per_kind` most mentioned entities of each type, counted as [`list`] does.
pub fn facets(
    store: &Store,
    searcher: &Searcher,
    query: &dyn Query,
    per_kind: usize,
) -> Result<Facets> {
    let matched = searcher.search(query, &DocSetCollector)?;
    if per_kind == 0 {
        let segments = searcher.segment_readers().len();
        let mut passages: Vec<Vec<DocId>> = vec![Vec::new(); segments];
        for address in &matched {
            if let Some(docs) = passages.get_mut(address.segment_ord as usize) {
                docs.push(address.doc_id);
            }
        }
        let firsts = first_passages(store, searcher, &passages, true)?;
        return Ok(Facets {
            passages: matched.len() as u64,
            articles: firsts.iter().map(|f| f.len() as u64).sum(),
            ..Facets::default()
        });
    }
    let tallies = tally(store, searcher, None, Some(matched))?;
    let mut out = Facets {
        passages: tallies.passages_seen,
        articles: tallies.articles_seen,
        ..Facets::default()
    };
    for row in finish(tallies, 0) {
        let list = match row.kind {
            EntityKind::Person => &mut out.person,
            EntityKind::Organization => &mut out.organization,
            EntityKind::Place => &mut out.place,
        };
        if list.len() < per_kind {
            list.push(row);
        }
    }
    Ok(out)
}

fn stored_entities(doc: &TantivyDocument, field: tantivy::schema::Field) -> Vec<Named> {
    doc.get_first(field)
        .and_then(|v| v.as_str())
        .map(parse_entities)
        .unwrap_or_default()
}

/// Counts the entities of the passages `matched` (all live passages when
/// `None`) and of their articles, from the index's fast columns: each
/// distinct value is decoded once per segment, however many documents hold it.
fn tally(
    store: &Store,
    searcher: &Searcher,
    kind: Option<EntityKind>,
    matched: Option<HashSet<DocAddress>>,
) -> Result<Tallies> {
    let fields = &store.fields;
    let schema = searcher.schema();
    let name = |field| schema.get_field_name(field);
    let segments = searcher.segment_readers();
    let mut passages: Vec<Vec<DocId>> = vec![Vec::new(); segments.len()];
    match &matched {
        None => {
            for (docs, segment) in passages.iter_mut().zip(segments) {
                docs.extend(segment.doc_ids_alive());
            }
        }
        Some(matched) => {
            for address in matched {
                if let Some(docs) = passages.get_mut(address.segment_ord as usize) {
                    docs.push(address.doc_id);
                }
            }
            for docs in &mut passages {
                docs.sort_unstable();
            }
        }
    }
    let firsts = first_passages(store, searcher, &passages, matched.is_some())?;
    let mut tallies = Tallies::new(kind);
    tallies.passages_seen = passages.iter().map(|docs| docs.len() as u64).sum();
    let kinds: Vec<EntityKind> = EntityKind::ALL
        .into_iter()
        .filter(|&k| tallies.wanted(k))
        .collect();
    for (ord, (docs, segment)) in passages.iter().zip(segments).enumerate() {
        let fast = segment.fast_fields();
        for &k in &kinds {
            if let Some(column) = fast.str(name(fields.entity(k).key))? {
                count_values(&column, docs, |key, n| tallies.passages(k, key, n))?;
            }
        }
        let pairs = fast.str(name(fields.acronym_pair))?;
        if let Some(column) = &pairs {
            count_values(column, docs, |value, n| {
                if let Some((PAIR_IN_PASSAGE, alias, key)) = parse_acronym_pair(value) {
                    tallies.pair(false, alias, key, n);
                }
            })?;
        }
        let firsts = &firsts[ord];
        tallies.articles_seen += firsts.len() as u64;
        if let Some(column) = fast.str(name(fields.article_entity))? {
            count_values(&column, firsts, |json, n| {
                for named in parse_entities(json) {
                    tallies.articles(named, n);
                }
            })?;
        }
        if let Some(column) = &pairs {
            count_values(column, firsts, |value, n| {
                if let Some((PAIR_IN_ARTICLE, alias, key)) = parse_acronym_pair(value) {
                    tallies.pair(true, alias, key, n);
                }
            })?;
        }
    }
    Ok(tallies)
}

/// The first passages, segment by segment, of the articles of `passages`
/// (each segment's matched passages; with `all`, every live passage).
///
/// Most articles have every passage in one segment, so they are found by
/// their ordinals there; only the ids of articles whose first passage is in
/// another segment are read and looked up in the others.
fn first_passages(
    store: &Store,
    searcher: &Searcher,
    passages: &[Vec<DocId>],
    matched: bool,
) -> Result<Vec<Vec<DocId>>> {
    let fields = &store.fields;
    let schema = searcher.schema();
    let name = |field| schema.get_field_name(field);
    let segments = searcher.segment_readers();
    let mut firsts: Vec<Vec<DocId>> = Vec::with_capacity(segments.len());
    // Per segment: the article ordinals counted there.
    let mut counted: Vec<HashSet<u64>> = Vec::with_capacity(segments.len());
    let mut elsewhere: HashSet<String> = HashSet::new();
    for (docs, segment) in passages.iter().zip(segments) {
        let fast = segment.fast_fields();
        let first = fast.u64(name(fields.passage_index))?;
        let is_first = |doc: DocId| first.first(doc) == Some(0);
        if !matched {
            firsts.push(docs.iter().copied().filter(|&d| is_first(d)).collect());
            counted.push(HashSet::new());
            continue;
        }
        let Some(column) = fast.str(name(fields.article_id))? else {
            firsts.push(Vec::new());
            counted.push(HashSet::new());
            continue;
        };
        let wanted: HashSet<u64> = docs
            .iter()
            .filter_map(|&d| column.ords().first(d))
            .collect();
        let own: Vec<DocId> = segment
            .doc_ids_alive()
            .filter(|&d| is_first(d) && column.ords().first(d).is_some_and(|o| wanted.contains(&o)))
            .collect();
        let here: HashSet<u64> = own.iter().filter_map(|&d| column.ords().first(d)).collect();
        let away = wanted.iter().copied().filter(|o| !here.contains(o));
        elsewhere.extend(resolve(&column, away)?.into_values());
        firsts.push(own);
        counted.push(here);
    }
    if elsewhere.is_empty() {
        return Ok(firsts);
    }
    for ((own, here), segment) in firsts.iter_mut().zip(&counted).zip(segments) {
        let fast = segment.fast_fields();
        let first = fast.u64(name(fields.passage_index))?;
        let Some(column) = fast.str(name(fields.article_id))? else {
            continue;
        };
        let mut wanted = ordinals_of(&column, &elsewhere, segment.num_docs())?;
        wanted.retain(|o| !here.contains(o));
        if wanted.is_empty() {
            continue;
        }
        own.extend(segment.doc_ids_alive().filter(|&d| {
            first.first(d) == Some(0) && column.ords().first(d).is_some_and(|o| wanted.contains(&o))
        }));
        own.sort_unstable();
    }
    Ok(firsts)
}

/// Calls `each` with every value `docs` hold in `column` and how many times
/// they hold it.
fn count_values(column: &StrColumn, docs: &[DocId], mut each: impl FnMut(&str, u64)) -> Result<()> {
    let mut counts = vec![0u64; column.num_terms()];
    for &doc in docs {
        for ord in column.term_ords(doc) {
            if let Some(n) = counts.get_mut(ord as usize) {
                *n += 1;
            }
        }
    }
    let held: Vec<u64> = (0..counts.len() as u64)
        .filter(|&o| counts[o as usize] > 0)
        .collect();
    let mut at = 0;
    column
        .dictionary()
        .sorted_ords_to_term_cb(&held, |bytes| {
            if let Some(&ord) = held.get(at) {
                each(&String::from_utf8_lossy(bytes), counts[ord as usize]);
            }
            at += 1;
        })
        .map_err(Error::IndexIo)?;
    Ok(())
}

/// The ordinals in `column` of the strings `wanted`: looked up one by one when
/// they are few beside the segment, else by a pass over its dictionary.
fn ordinals_of(column: &StrColumn, wanted: &HashSet<String>, docs: u32) -> Result<HashSet<u64>> {
    let dictionary = column.dictionary();
    if wanted.len() * 16 < docs as usize {
        let mut ords = HashSet::new();
        for id in wanted {
            if let Some(ord) = dictionary.term_ord(id).map_err(Error::IndexIo)? {
                ords.insert(ord);
            }
        }
        return Ok(ords);
    }
    let all = resolve(column, 0..column.num_terms() as u64)?;
    Ok(all
        .into_iter()
        .filter(|(_, id)| wanted.contains(id))
        .map(|(ord, _)| ord)
        .collect())
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
            into.aliases.insert(from.name().to_string());
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
        .map(|((kind, _), mut t)| {
            let name = t.name().to_string();
            let geo = t.geo.remove(&name).or_else(|| t.geo.into_values().next());
            EntityCount {
                kind,
                aliases: t.aliases.into_iter().filter(|a| *a != name).collect(),
                name,
                geo,
                articles: t.articles,
                passages: t.passages,
            }
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
    fn an_entity_is_named_as_most_articles_name_it() {
        let rows = tally(&[
            vec![org("Worldcom", &[])],
            vec![org("WorldCom", &[])],
            vec![org("WorldCom", &[])],
        ]);
        assert_eq!(rows.len(), 1, "{rows:?}");
        assert_eq!((rows[0].name.as_str(), rows[0].articles), ("WorldCom", 3));
        // A tie goes to the first name in order, whatever order the articles came in.
        let one = tally(&[vec![org("TiVo", &[])], vec![org("Tivo", &[])]]);
        let other = tally(&[vec![org("Tivo", &[])], vec![org("TiVo", &[])]]);
        assert_eq!(one[0].name, "TiVo");
        assert_eq!(one, other);
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
