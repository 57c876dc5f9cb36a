//! The API's query-string parameters, read and checked into library requests.

use chrono::{DateTime, Utc};

use super::ApiError;
use crate::ner::EntityKind;
use crate::search::Filters;

/// The parameters of one request, in order, each name at most once unless it may repeat.
pub struct Params {
    pairs: Vec<(String, String)>,
}

/// The filters every listing takes.
pub const FILTERS: [&str; 9] = [
    "person",
    "org",
    "place",
    "same_passage",
    "since",
    "until",
    "source",
    "lang",
    "path",
];

/// The parameters that may be given more than once.
const REPEATABLE: [&str; 6] = ["person", "org", "place", "source", "lang", "path"];

impl Params {
    /// Reads a query string, refusing names outside `known` and repeats of
    /// names that cannot repeat.
    pub fn parse(query: Option<&str>, known: &[&[&str]]) -> Result<Params, ApiError> {
        let pairs: Vec<(String, String)> = form_urlencoded::parse(query.unwrap_or("").as_bytes())
            .map(|(k, v)| (k.into_owned(), v.into_owned()))
            .collect();
        let allowed = |name: &str| known.iter().any(|set| set.contains(&name));
        for (i, (name, _)) in pairs.iter().enumerate() {
            if !allowed(name) {
                let names: Vec<&str> = known.iter().flat_map(|s| s.iter().copied()).collect();
                let takes = if names.is_empty() {
                    "this takes none".to_string()
                } else {
                    format!("this takes {}", names.join(", "))
                };
                return Err(ApiError::bad(format!(
                    "unknown parameter {name:?}; {takes}"
                )));
            }
            if !REPEATABLE.contains(&name.as_str()) && pairs[..i].iter().any(|(n, _)| n == name) {
                return Err(ApiError::bad(format!(
                    "{name:?} is given twice; give it once"
                )));
            }
        }
        Ok(Params { pairs })
    }

    /// The value of a parameter given once, if given.
    pub fn one(&self, name: &str) -> Option<&str> {
        self.pairs
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    /// Every value of a repeatable parameter, blanks left out.
    pub fn all(&self, name: &str) -> Vec<String> {
        self.pairs
            .iter()
            .filter(|(n, v)| n == name && !v.trim().is_empty())
            .map(|(_, v)| v.trim().to_string())
            .collect()
    }

    /// A count, `default` when not given, at most `max`.
    pub fn count(&self, name: &str, default: usize, max: usize) -> Result<usize, ApiError> {
        match self.one(name) {
            None | Some("") => Ok(default),
            Some(text) => match text.trim().parse::<usize>() {
                Ok(n) if n <= max => Ok(n),
                _ => Err(ApiError::bad(format!(
                    "{name}={text:?}: give a whole number from 0 to {max}"
                ))),
            },
        }
    }

    /// A flag: absent, `true`/`1`, or `false`/`0`.
    pub fn flag(&self, name: &str) -> Result<bool, ApiError> {
        match self.one(name) {
            None | Some("") | Some("false") | Some("0") => Ok(false),
            Some("true") | Some("1") => Ok(true),
            Some(text) => Err(ApiError::bad(format!(
                "{name}={text:?}: give true or false"
            ))),
        }
    }

    /// The query text (`q`), empty when not given.
    pub fn query(&self) -> String {
        self.one("q").unwrap_or("").to_string()
    }

    /// An entity type (`type`), or `None` for all.
    pub fn kind(&self) -> Result<Option<EntityKind>, ApiError> {
        match self.one("type") {
            None | Some("") => Ok(None),
            Some("person") => Ok(Some(EntityKind::Person)),
            Some("organization") | Some("org") => Ok(Some(EntityKind::Organization)),
            Some("place") => Ok(Some(EntityKind::Place)),
            Some(text) => Err(ApiError::bad(format!(
                "type={text:?}: give person, organization or place"
            ))),
        }
    }

    /// The filters, with dates read as `lede search --since/--until` reads them.
    pub fn filters(&self, now: DateTime<Utc>) -> Result<Filters, ApiError> {
        let filters = Filters {
            person: self.all("person"),
            organization: self.all("org"),
            place: self.all("place"),
            same_passage: self.flag("same_passage")?,
            source: self.all("source"),
            lang: self
                .all("lang")
                .iter()
                .map(|l| l.to_ascii_lowercase())
                .collect(),
            path: self.all("path"),
            ..Filters::default()
        };
        let date = |name| self.one(name).filter(|v| !v.trim().is_empty());
        filters
            .dated(date("since"), date("until"), now)
            .map_err(|(name, e)| ApiError::bad(format!("{name}: {e}")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const KNOWN: &[&[&str]] = &[&["q", "n"], &FILTERS];

    #[test]
    fn repeated_filters_add_up_and_dates_read_as_the_flags_do() {
        let now = Utc::now();
        let p = Params::parse(
            Some("q=moscow&person=Vladimir+Putin&person=%20&org=ISKP&since=2024-03&until=2024"),
            KNOWN,
        )
        .expect("valid");
        let f = p.filters(now).expect("valid dates");
        assert_eq!(p.query(), "moscow");
        assert_eq!(f.person, ["Vladimir Putin"]);
        assert_eq!(f.organization, ["ISKP"]);
        assert_eq!(f.since, Some(1_709_251_200));
        assert_eq!(f.until, Some(1_735_689_600));
    }

    #[test]
    fn unknown_names_repeats_bad_numbers_and_bad_dates_are_refused() {
        let err = |q: &str| match Params::parse(Some(q), KNOWN) {
            Err(e) => e.message,
            Ok(p) => match (p.count("n", 10, 100), p.filters(Utc::now())) {
                (Err(e), _) | (_, Err(e)) => e.message,
                _ => String::new(),
            },
        };
        assert!(
            err("qq=1").contains("unknown parameter \"qq\""),
            "{}",
            err("qq=1")
        );
        assert!(err("q=a&q=b").contains("twice"));
        assert!(err("n=-1").contains("from 0 to 100"));
        assert!(err("n=101").contains("from 0 to 100"));
        assert!(err("since=yesterday").starts_with("since: "));
        assert_eq!(err("n=5&since=7d"), "");
    }
}
