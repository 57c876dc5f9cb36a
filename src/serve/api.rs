//! The JSON API's handlers: parameters in, the library's data out as JSON.

use std::sync::Arc;

use axum::Json;
use axum::extract::OriginalUri;
use axum::extract::{Path, RawQuery, State};
use chrono::Utc;
use serde::Serialize;

use super::params::{FILTERS, Params};
use super::{ApiError, Shared, reading};
use crate::index::stats::EntityTotals;
use crate::search::entities::{self, EntityCount, MonthCount, Scope};
use crate::search::{self, DEFAULT_LIMIT, DEFAULT_PER_ARTICLE, Hit, Request, article};

type Answer<T> = Result<Json<T>, ApiError>;

/// The most hits, entities or facets one request returns.
const MAX_N: usize = 1000;
/// The deepest page of hits.
const MAX_OFFSET: usize = 10_000;
/// Entities of each type a search returns by default, for its facets.
const DEFAULT_FACETS: usize = 10;
/// Entities a listing returns by default, as `lede entities` does.
const DEFAULT_ENTITIES: usize = 20;

#[derive(Serialize)]
pub struct Total {
    passages: u64,
    articles: u64,
}

#[derive(Serialize)]
pub struct FacetLists {
    person: Vec<EntityCount>,
    organization: Vec<EntityCount>,
    place: Vec<EntityCount>,
}

#[derive(Serialize)]
pub struct SearchAnswer {
    query: String,
    total: Total,
    offset: usize,
    n: usize,
    hits: Vec<Hit>,
    facets: FacetLists,
    warnings: Vec<String>,
}

/// `GET /api/search`: a page of ranked passages, their total and the facets
/// of all matching articles.
pub async fn search(
    State(shared): State<Arc<Shared>>,
    RawQuery(raw): RawQuery,
) -> Answer<SearchAnswer> {
    const OWN: &[&str] = &[
        "q",
        "n",
        "offset",
        "per_article",
        "facets",
        "exact",
        "expand",
    ];
    let p = Params::parse(raw.as_deref(), &[OWN, &FILTERS])?;
    let now = Utc::now();
    let limit = p.count("n", DEFAULT_LIMIT, MAX_N)?;
    let request = Request {
        offset: p.count("offset", 0, MAX_OFFSET)?,
        filters: p.filters(now)?,
        exact: p.flag("exact")?,
        expand: p.flag("expand")?,
        per_article: p.count("per_article", DEFAULT_PER_ARTICLE, MAX_N)?,
        now,
        ..Request::new(&p.query(), limit)
    };
    let per_kind = p.count("facets", DEFAULT_FACETS, MAX_N)?;
    let cache = shared.clone();
    let answer = reading(shared, move |store, searcher| {
        // Neither a query nor a filter matches nothing, as a page of no hits.
        let key = format!(
            "{}\u{1f}{}\u{1f}{:?}\u{1f}{}\u{1f}{per_kind}",
            searcher.generation().generation_id(),
            request.query,
            request.filters,
            request.exact
        );
        let counted = cache.facets(key, || {
            Ok(search::facets(store, searcher, &request, per_kind)?)
        })?;
        let (facets, warnings) = &*counted;
        let outcome = if facets.passages == 0 {
            search::Outcome {
                hits: Vec::new(),
                warnings: warnings.clone(),
            }
        } else {
            search::run(store, searcher, &request)?
        };
        Ok(SearchAnswer {
            query: request.query,
            total: Total {
                passages: facets.passages,
                articles: facets.articles,
            },
            offset: request.offset,
            n: limit,
            hits: outcome.hits,
            facets: FacetLists {
                person: facets.person.clone(),
                organization: facets.organization.clone(),
                place: facets.place.clone(),
            },
            warnings: outcome.warnings,
        })
    })
    .await?;
    Ok(Json(answer))
}

#[derive(Serialize)]
pub struct EntityList {
    entities: Vec<EntityCount>,
    warnings: Vec<String>,
}

/// The entities of the passages a listing's query and filters select, and
/// those mentioned with `mention` when given.
async fn listing(
    shared: Arc<Shared>,
    raw: Option<String>,
    mention: Option<String>,
) -> Answer<EntityList> {
    const OWN: &[&str] = &["q", "n", "type"];
    let p = Params::parse(raw.as_deref(), &[OWN, &FILTERS])?;
    let now = Utc::now();
    let filters = p.filters(now)?;
    let limit = p.count("n", DEFAULT_ENTITIES, MAX_N)?;
    let kind = p.kind()?;
    let query = p.query();
    let answer = reading(shared, move |store, searcher| {
        let (scope, warnings) =
            search::scope(store, searcher, &query, &filters, mention.as_deref(), now)?;
        if let Some(name) = &mention {
            known(store, searcher, name)?;
        }
        let entities = entities::list(
            store,
            searcher,
            &Scope {
                query: scope.as_deref(),
                kind,
                except: mention,
            },
            limit,
        )?;
        Ok(EntityList { entities, warnings })
    })
    .await?;
    Ok(Json(answer))
}

/// 404 unless some article mentions an entity by this name.
fn known(
    store: &crate::index::Store,
    searcher: &tantivy::Searcher,
    name: &str,
) -> Result<(), ApiError> {
    if entities::is_mentioned(store, searcher, name)? {
        Ok(())
    } else {
        Err(ApiError::not_found(format!(
            "no article mentions {name:?}; /api/entities lists the names"
        )))
    }
}

/// `GET /api/entities`: people, organisations and places, most mentioned first.
pub async fn entities(
    State(shared): State<Arc<Shared>>,
    RawQuery(raw): RawQuery,
) -> Answer<EntityList> {
    listing(shared, raw, None).await
}

/// `GET /api/entities/{name}/with`: the entities mentioned with one.
pub async fn entities_with(
    State(shared): State<Arc<Shared>>,
    Path(name): Path<String>,
    RawQuery(raw): RawQuery,
) -> Answer<EntityList> {
    listing(shared, raw, Some(name)).await
}

#[derive(Serialize)]
pub struct Timeline {
    entity: String,
    months: Vec<MonthCount>,
    warnings: Vec<String>,
}

/// `GET /api/entities/{name}/timeline`: an entity's mentions per month.
pub async fn timeline(
    State(shared): State<Arc<Shared>>,
    Path(name): Path<String>,
    RawQuery(raw): RawQuery,
) -> Answer<Timeline> {
    let p = Params::parse(raw.as_deref(), &[&["q"], &FILTERS])?;
    let now = Utc::now();
    let filters = p.filters(now)?;
    let query = p.query();
    let answer = reading(shared, move |store, searcher| {
        known(store, searcher, &name)?;
        let (scope, warnings) = search::scope(store, searcher, &query, &filters, Some(&name), now)?;
        let months = match scope {
            Some(scope) => entities::timeline(store, searcher, &*scope, &name)?,
            None => Vec::new(),
        };
        Ok(Timeline {
            entity: name,
            months,
            warnings,
        })
    })
    .await?;
    Ok(Json(answer))
}

/// `GET /api/stats`: what the index holds, as `lede stats --json` prints it.
pub async fn stats(
    State(shared): State<Arc<Shared>>,
    RawQuery(raw): RawQuery,
) -> Answer<crate::index::stats::Stats> {
    Params::parse(raw.as_deref(), &[])?;
    let answer = reading(shared, |store, searcher| {
        let everything = Scope {
            query: None,
            kind: None,
            except: None,
        };
        let listed = entities::list(store, searcher, &everything, 0)?;
        let totals = EntityTotals::of(listed.iter().map(|row| row.kind));
        Ok(crate::index::stats::read(store, searcher, totals)?)
    })
    .await?;
    Ok(Json(answer))
}

/// `GET /api/articles/{id}`: the whole article, its passages and entities.
pub async fn article(
    State(shared): State<Arc<Shared>>,
    Path(id): Path<String>,
    RawQuery(raw): RawQuery,
) -> Answer<article::ArticleView> {
    Params::parse(raw.as_deref(), &[])?;
    let answer = reading(shared, move |store, searcher| {
        article::read(store, searcher, &id)?.ok_or_else(|| {
            ApiError::not_found(format!(
                "no article has the id {id:?}; search hits give the ids"
            ))
        })
    })
    .await?;
    Ok(Json(answer))
}

/// Any other path.
pub async fn unknown(OriginalUri(uri): OriginalUri) -> ApiError {
    ApiError::not_found(format!(
        "{}: no such page; the API is /api/search, /api/entities, \
         /api/entities/NAME/with, /api/entities/NAME/timeline, /api/stats and /api/articles/ID",
        uri.path()
    ))
}
