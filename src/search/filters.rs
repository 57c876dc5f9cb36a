//! Filters on hits: entities, dates, sources, languages and paths, from flags or written in the query.

use chrono::{DateTime, Datelike, Duration, NaiveDate, TimeZone, Utc};

use crate::index::schema::QueryField;

/// Conditions every hit must meet.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Filters {
    /// People the article mentions (every one of them).
    pub person: Vec<String>,
    pub organization: Vec<String>,
    pub place: Vec<String>,
    /// The entity filters must hold in the passage itself, not only in its article.
    pub same_passage: bool,
    /// Published at or after this instant (Unix seconds).
    pub since: Option<i64>,
    /// Published before this instant (Unix seconds).
    pub until: Option<i64>,
    /// One of these sources (case and accents ignored).
    pub source: Vec<String>,
    /// One of these languages (ISO 639-1).
    pub lang: Vec<String>,
    /// The article's path matches one of these globs.
    pub path: Vec<String>,
}

/// A span of time a date expression names: `[start, end)` in Unix seconds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Period {
    pub start: i64,
    pub end: i64,
}

/// Reads `2024`, `2024-03`, `2024-03-23`, or a span back from `now`: `7d`, `2w`, `3m`, `1y`.
pub fn parse_period(text: &str, now: DateTime<Utc>) -> Result<Period, String> {
    let text = text.trim();
    let bad = || {
        format!(
            "{text:?} is not a date; use 2024-03-23, 2024-03, 2024, or a span like 7d, 2w, 3m, 1y"
        )
    };
    if let Some(unit) = text.chars().last().filter(|c| c.is_ascii_alphabetic()) {
        let n: i64 = text[..text.len() - 1].parse().map_err(|_| bad())?;
        let days = match unit.to_ascii_lowercase() {
            'd' => Some(n),
            'w' => n.checked_mul(7),
            'm' => n.checked_mul(30),
            'y' => n.checked_mul(365),
            _ => return Err(bad()),
        }
        .ok_or_else(bad)?;
        let at = now
            .checked_sub_signed(Duration::try_days(days).ok_or_else(bad)?)
            .ok_or_else(bad)?
            .timestamp();
        return Ok(Period { start: at, end: at });
    }
    let parts: Vec<&str> = text.split('-').collect();
    let num = |s: &str| s.parse::<u32>().map_err(|_| bad());
    let (start, end) = match parts.as_slice() {
        [y] => {
            let y = num(y)? as i32;
            (ymd(y, 1, 1), ymd(y + 1, 1, 1))
        }
        [y, m] => {
            let (y, m) = (num(y)? as i32, num(m)?);
            let next = if m == 12 {
                ymd(y + 1, 1, 1)
            } else {
                ymd(y, m + 1, 1)
            };
            (ymd(y, m, 1), next)
        }
        [y, m, d] => {
            let day = ymd(num(y)? as i32, num(m)?, num(d)?);
            (day, day.and_then(|d| d.succ_opt()))
        }
        _ => return Err(bad()),
    };
    match (start, end) {
        (Some(s), Some(e)) => Ok(Period {
            start: midnight(s),
            end: midnight(e),
        }),
        _ => Err(bad()),
    }
}

fn ymd(y: i32, m: u32, d: u32) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(y, m, d)
}

fn midnight(day: NaiveDate) -> i64 {
    Utc.with_ymd_and_hms(day.year(), day.month(), day.day(), 0, 0, 0)
        .single()
        .map_or(0, |t| t.timestamp())
}

/// Narrows `since` to at least `at`.
pub fn narrow_since(filters: &mut Filters, at: i64) {
    filters.since = Some(filters.since.map_or(at, |s| s.max(at)));
}

impl Filters {
    /// Narrows the filters to the articles published from `since` to the end
    /// of `until` (forms of [`parse_period`]); `Err` names the bad one
    /// (`"since"` or `"until"`) and says why.
    pub fn dated(
        mut self,
        since: Option<&str>,
        until: Option<&str>,
        now: DateTime<Utc>,
    ) -> Result<Filters, (&'static str, String)> {
        if let Some(since) = since {
            let p = parse_period(since, now).map_err(|e| ("since", e))?;
            narrow_since(&mut self, p.start);
        }
        if let Some(until) = until {
            let p = parse_period(until, now).map_err(|e| ("until", e))?;
            narrow_until(&mut self, p.end);
        }
        Ok(self)
    }
}

/// Narrows `until` to at most `at`.
pub fn narrow_until(filters: &mut Filters, at: i64) {
    filters.until = Some(filters.until.map_or(at, |u| u.min(at)));
}

/// Applies a filter written in the query (`date:2024-03`, `date:>=2024-01-01`,
/// `source:"NOS News"`, `lang:nl`, `path:bbc/*`) to `filters`; `Err` says why it
/// could not be read.
pub fn apply_inline(
    field: QueryField,
    value: &str,
    filters: &mut Filters,
    now: DateTime<Utc>,
) -> Result<(), String> {
    match field {
        QueryField::Source => filters.source.push(value.to_string()),
        QueryField::Lang => filters.lang.push(value.to_ascii_lowercase()),
        QueryField::Path => filters.path.push(value.to_string()),
        QueryField::Date => {
            let (op, date) = ["<=", ">=", "<", ">", "="]
                .into_iter()
                .find_map(|op| value.strip_prefix(op).map(|d| (op, d)))
                .unwrap_or(("", value));
            let period = parse_period(date, now).map_err(|e| format!("date:{value}: {e}"))?;
            match op {
                ">=" => narrow_since(filters, period.start),
                ">" => narrow_since(filters, period.end),
                "<=" => narrow_until(filters, period.end),
                "<" => narrow_until(filters, period.start),
                _ => {
                    narrow_since(filters, period.start);
                    narrow_until(filters, period.end);
                }
            }
        }
        _ => return Err(format!("{field:?} is not a filter")),
    }
    Ok(())
}

/// One end of a date range written in the query (`date:[2024-01 TO 2024-03]`,
/// `date:>=2024-01-01`): the date, and whether the range includes it.
pub type DateBound<'a> = Option<(&'a str, bool)>;

/// Applies a date range written in the query to `filters`.
pub fn apply_date_range(
    lower: DateBound,
    upper: DateBound,
    filters: &mut Filters,
    now: DateTime<Utc>,
) -> Result<(), String> {
    let period = |d: &str| parse_period(d, now).map_err(|e| format!("date:{d}: {e}"));
    let lower = lower.map(|(d, inclusive)| period(d).map(|p| (p, inclusive)));
    let upper = upper.map(|(d, inclusive)| period(d).map(|p| (p, inclusive)));
    if let Some(lower) = lower {
        let (p, inclusive) = lower?;
        narrow_since(filters, if inclusive { p.start } else { p.end });
    }
    if let Some(upper) = upper {
        let (p, inclusive) = upper?;
        narrow_until(filters, if inclusive { p.end } else { p.start });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn now() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2024, 3, 23, 12, 0, 0)
            .single()
            .expect("valid")
    }

    fn ts(y: i32, m: u32, d: u32) -> i64 {
        Utc.with_ymd_and_hms(y, m, d, 0, 0, 0)
            .single()
            .expect("valid")
            .timestamp()
    }

    #[test]
    fn periods_cover_a_year_a_month_or_a_day() {
        assert_eq!(
            parse_period("2024", now()),
            Ok(Period {
                start: ts(2024, 1, 1),
                end: ts(2025, 1, 1)
            })
        );
        assert_eq!(
            parse_period("2024-12", now()),
            Ok(Period {
                start: ts(2024, 12, 1),
                end: ts(2025, 1, 1)
            })
        );
        assert_eq!(
            parse_period("2024-03-23", now()),
            Ok(Period {
                start: ts(2024, 3, 23),
                end: ts(2024, 3, 24)
            })
        );
    }

    #[test]
    fn relative_spans_count_back_from_now() {
        let p = parse_period("7d", now()).expect("valid");
        assert_eq!(p.start, now().timestamp() - 7 * 86_400);
        let p = parse_period("2w", now()).expect("valid");
        assert_eq!(p.start, now().timestamp() - 14 * 86_400);
    }

    #[test]
    fn bad_dates_say_what_to_type() {
        for bad in ["yesterday", "2024-13", "2024-02-30", "7x", "", "d"] {
            let err = parse_period(bad, now()).expect_err(bad);
            assert!(err.contains("2024-03-23"), "{err}");
        }
    }
}
