//! Dates as written in articles: recognising them and turning them into timestamps.
//!
//! Absolute dates are tried against a table of chrono formats (English and
//! Dutch month and day names); relative ones ("Yesterday, 6:54 PM",
//! "gisteren 18:54", "3 hours ago") count from a reference time. Nothing is
//! ever invented: text that matches no rule gives no timestamp.

use chrono::{
    DateTime, Datelike, FixedOffset, NaiveDate, NaiveDateTime, NaiveTime, Offset, TimeDelta,
    TimeZone, Utc,
};

/// Longer text is never taken for a date line.
const MAX_DATE_CHARS: usize = 64;

/// Years outside this range are taken for noise, not dates.
const YEARS: std::ops::RangeInclusive<i32> = 1800..=2200;

/// Date formats tried on normalised text (lower case, commas, weekdays and
/// ordinal suffixes removed, Dutch month names turned into English). Day
/// before month where both are numbers; month-first is tried after.
const DATE_FORMATS: &[&str] = &[
    "%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%d %B %Y", "%B %d %Y", "%d-%B-%Y", "%d-%m-%Y", "%d/%m/%Y",
    "%d.%m.%Y", "%m/%d/%Y", "%m-%d-%Y",
];

/// Time formats tried after (or before) a date, or after a relative day.
const TIME_FORMATS: &[&str] = &[
    "%H:%M",
    "%H:%M:%S",
    "%H:%M:%S%.f",
    "%I:%M %p",
    "%I:%M%p",
    "%I:%M:%S %p",
    "%I %p",
    "%I%p",
    "%H.%M",
    "%Hh%M",
];

/// Zone-bearing formats tried on the original text after RFC 3339 and 2822.
const ZONED_FORMATS: &[&str] = &[
    "%Y-%m-%dT%H:%M:%S%.f%z",
    "%Y-%m-%dT%H:%M%z",
    "%Y-%m-%d %H:%M:%S%.f%z",
    "%Y-%m-%d %H:%M:%S %z",
    "%Y-%m-%d %H:%M%z",
    "%Y-%m-%d %H:%M %z",
];

/// Zone-less ISO forms tried on the original text.
const ISO_LOCAL_FORMATS: &[&str] = &["%Y-%m-%dT%H:%M:%S%.f", "%Y-%m-%dT%H:%M"];

/// Dutch (and short English) month names chrono does not know, mapped to ones it does.
const MONTH_ALIASES: &[(&str, &str)] = &[
    ("januari", "january"),
    ("februari", "february"),
    ("maart", "march"),
    ("mrt", "mar"),
    ("mei", "may"),
    ("juni", "june"),
    ("juli", "july"),
    ("augustus", "august"),
    ("sept", "sep"),
    ("oktober", "october"),
    ("okt", "oct"),
];

/// Words dropped before matching: weekdays, fillers and "published"-like labels.
const NOISE_WORDS: &[&str] = &[
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
    "mon",
    "tue",
    "tues",
    "wed",
    "thu",
    "thur",
    "thurs",
    "fri",
    "sat",
    "sun",
    "maandag",
    "dinsdag",
    "woensdag",
    "donderdag",
    "vrijdag",
    "zaterdag",
    "zondag",
    "ma",
    "di",
    "wo",
    "do",
    "vr",
    "za",
    "zo",
    "at",
    "on",
    "of",
    "the",
    "om",
    "uur",
    "published",
    "updated",
    "posted",
    "gepubliceerd",
    "bijgewerkt",
];

/// Relative day words and how many days back they point.
const RELATIVE_DAYS: &[(&str, u32)] = &[
    ("today", 0),
    ("vandaag", 0),
    ("yesterday", 1),
    ("gisteren", 1),
    ("eergisteren", 2),
];

/// Time zone abbreviations and their offsets in hours.
const ZONES: &[(&str, i32)] = &[
    ("utc", 0),
    ("gmt", 0),
    ("z", 0),
    ("wet", 0),
    ("bst", 1),
    ("cet", 1),
    ("cest", 2),
    ("eet", 2),
    ("eest", 3),
    ("est", -5),
    ("edt", -4),
    ("cst", -6),
    ("cdt", -5),
    ("mst", -7),
    ("mdt", -6),
    ("pst", -8),
    ("pdt", -7),
];

/// What a date text says, before a reference time is applied.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Recognized {
    /// A full timestamp with its zone.
    Zoned(DateTime<FixedOffset>),
    /// A date and time without a zone.
    Local(NaiveDateTime),
    /// A date without a time.
    Day(NaiveDate),
    /// "Today"/"Yesterday", with an optional time of day.
    DaysAgo(u32, Option<NaiveTime>),
    /// "3 hours ago".
    Ago(TimeDelta),
}

/// Whether the text is a date (absolute or relative), reference or not.
pub(crate) fn is_date(text: &str) -> bool {
    recognize(text).is_some()
}

/// The timestamp a date text gives, if any.
///
/// Date-only values give midnight UTC; times without a zone take the
/// reference's offset (UTC without a reference); relative dates need a
/// reference and give `None` without one.
pub(crate) fn parse(
    text: &str,
    reference: Option<DateTime<FixedOffset>>,
) -> Option<DateTime<FixedOffset>> {
    match recognize(text)? {
        Recognized::Zoned(stamp) => Some(stamp),
        Recognized::Local(local) => {
            let offset = reference.map_or(Utc.fix(), |r| *r.offset());
            offset.from_local_datetime(&local).single()
        }
        Recognized::Day(day) => midnight_utc(day),
        Recognized::DaysAgo(days, time) => {
            let reference = reference?;
            let day = reference
                .date_naive()
                .checked_sub_signed(TimeDelta::try_days(i64::from(days))?)?;
            match time {
                Some(time) => reference
                    .offset()
                    .from_local_datetime(&day.and_time(time))
                    .single(),
                None => midnight_utc(day),
            }
        }
        Recognized::Ago(delta) => reference?.checked_sub_signed(delta),
    }
}

/// A Unix timestamp (seconds, or milliseconds when it is too large for
/// seconds) as a UTC time.
pub(crate) fn from_epoch(value: f64) -> Option<DateTime<FixedOffset>> {
    if !value.is_finite() {
        return None;
    }
    let seconds = if value.abs() >= 1e11 {
        value / 1000.0
    } else {
        value
    };
    if !(-1e12..=1e12).contains(&seconds) {
        return None;
    }
    // In range, so the conversion cannot saturate.
    let stamp = DateTime::from_timestamp(seconds.trunc() as i64, 0)?;
    YEARS.contains(&stamp.year()).then(|| stamp.fixed_offset())
}

fn midnight_utc(day: NaiveDate) -> Option<DateTime<FixedOffset>> {
    Some(day.and_time(NaiveTime::MIN).and_utc().fixed_offset())
}

fn recognize(text: &str) -> Option<Recognized> {
    let text = text.trim();
    if text.is_empty() || text.chars().count() > MAX_DATE_CHARS {
        return None;
    }
    let found = recognize_zoned(text)
        .or_else(|| recognize_iso_local(text))
        .or_else(|| recognize_words(text))?;
    let year = match found {
        Recognized::Zoned(stamp) => stamp.year(),
        Recognized::Local(local) => local.year(),
        Recognized::Day(day) => day.year(),
        Recognized::DaysAgo(..) | Recognized::Ago(_) => return Some(found),
    };
    YEARS.contains(&year).then_some(found)
}

fn recognize_zoned(text: &str) -> Option<Recognized> {
    DateTime::parse_from_rfc3339(text)
        .or_else(|_| DateTime::parse_from_rfc2822(text))
        .ok()
        .or_else(|| {
            ZONED_FORMATS
                .iter()
                .find_map(|format| DateTime::parse_from_str(text, format).ok())
        })
        .map(Recognized::Zoned)
}

fn recognize_iso_local(text: &str) -> Option<Recognized> {
    ISO_LOCAL_FORMATS
        .iter()
        .find_map(|format| NaiveDateTime::parse_from_str(text, format).ok())
        .map(Recognized::Local)
}

/// Dates written in words or with separators: "Saturday 23 March 2024",
/// "23 maart 2024, 18:54 CET", "Yesterday, 6:54 PM", "3 hours ago".
fn recognize_words(text: &str) -> Option<Recognized> {
    let lowered = text.to_lowercase().replace(',', " ");
    let raw: Vec<&str> = lowered.split_whitespace().collect();
    if let Some(ago) = recognize_ago(&raw) {
        return Some(ago);
    }
    let mut tokens: Vec<String> = raw
        .iter()
        .map(|token| normalize_token(token))
        .filter(|token| !token.is_empty() && !NOISE_WORDS.contains(&token.as_str()))
        .collect();

    if let Some(first) = tokens.first() {
        if first == "just" && tokens.get(1).map(String::as_str) == Some("now") && tokens.len() == 2
        {
            return Some(Recognized::Ago(TimeDelta::zero()));
        }
        if let Some(&(_, days)) = RELATIVE_DAYS.iter().find(|(word, _)| word == first) {
            let rest = tokens[1..].join(" ");
            if rest.is_empty() {
                return Some(Recognized::DaysAgo(days, None));
            }
            return parse_time(&rest).map(|time| Recognized::DaysAgo(days, Some(time)));
        }
    }

    let offset = tokens.last().and_then(|last| zone_offset(last));
    if offset.is_some() {
        tokens.pop();
    }
    let joined = tokens.join(" ");
    if joined.is_empty() {
        return None;
    }
    if let Some(day) = parse_day(&joined) {
        return Some(Recognized::Day(day));
    }
    let local = parse_date_time(&tokens)?;
    Some(match offset {
        Some(offset) => Recognized::Zoned(offset.from_local_datetime(&local).single()?),
        None => Recognized::Local(local),
    })
}

/// "3 hours ago", "an hour ago", "5 minuten geleden".
fn recognize_ago(tokens: &[&str]) -> Option<Recognized> {
    let [count, unit, marker] = tokens else {
        return None;
    };
    if *marker != "ago" && *marker != "geleden" {
        return None;
    }
    let count: i64 = match *count {
        "a" | "an" | "one" | "een" | "één" => 1,
        digits => digits.parse().ok()?,
    };
    let unit = unit.trim_end_matches('.');
    let delta = match unit {
        "s" | "sec" | "secs" | "second" | "seconds" | "seconde" | "seconden" => {
            TimeDelta::try_seconds(count)
        }
        "m" | "min" | "mins" | "minute" | "minutes" | "minuut" | "minuten" => {
            TimeDelta::try_minutes(count)
        }
        "h" | "hr" | "hrs" | "hour" | "hours" | "uur" => TimeDelta::try_hours(count),
        "d" | "day" | "days" | "dag" | "dagen" => TimeDelta::try_days(count),
        "week" | "weeks" | "weken" => TimeDelta::try_weeks(count),
        _ => None,
    }?;
    Some(Recognized::Ago(delta))
}

/// Drops trailing dots of abbreviations ("Mar."), ordinal suffixes ("23rd")
/// and maps month aliases.
fn normalize_token(token: &str) -> String {
    let token = token.trim_end_matches(':');
    let token = if token.chars().all(|c| c.is_alphabetic() || c == '.') {
        token.trim_end_matches('.')
    } else {
        token
    };
    for suffix in ["st", "nd", "rd", "th", "e"] {
        if let Some(number) = token.strip_suffix(suffix)
            && !number.is_empty()
            && number.len() <= 2
            && number.bytes().all(|b| b.is_ascii_digit())
        {
            return number.to_string();
        }
    }
    match MONTH_ALIASES.iter().find(|(alias, _)| *alias == token) {
        Some((_, month)) => (*month).to_string(),
        None => token.to_string(),
    }
}

/// A zone abbreviation ("CET") or numeric offset ("+01:00", "+0100").
fn zone_offset(token: &str) -> Option<FixedOffset> {
    if let Some(&(_, hours)) = ZONES.iter().find(|(name, _)| *name == token) {
        return FixedOffset::east_opt(hours * 3600);
    }
    let (sign, digits) = match token.strip_prefix('+') {
        Some(rest) => (1, rest),
        None => (-1, token.strip_prefix('-')?),
    };
    let digits: String = digits.chars().filter(|c| *c != ':').collect();
    if !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let (hours, minutes) = match digits.len() {
        2 => (digits.parse::<i32>().ok()?, 0),
        4 => (
            digits.get(..2)?.parse::<i32>().ok()?,
            digits.get(2..)?.parse::<i32>().ok()?,
        ),
        _ => return None,
    };
    if hours > 18 || minutes > 59 {
        return None;
    }
    FixedOffset::east_opt(sign * (hours * 3600 + minutes * 60))
}

fn parse_day(text: &str) -> Option<NaiveDate> {
    DATE_FORMATS
        .iter()
        .find_map(|format| NaiveDate::parse_from_str(text, format).ok())
}

fn parse_time(text: &str) -> Option<NaiveTime> {
    TIME_FORMATS
        .iter()
        .find_map(|format| NaiveTime::parse_from_str(text, format).ok())
}

/// A date followed or preceded by a time: every split of the tokens into a
/// date part and a time part is tried against the format tables.
fn parse_date_time(tokens: &[String]) -> Option<NaiveDateTime> {
    for split in 1..tokens.len() {
        let (head, tail) = tokens.split_at(split);
        let (head, tail) = (head.join(" "), tail.join(" "));
        if let (Some(day), Some(time)) = (parse_day(&head), parse_time(&tail)) {
            return Some(day.and_time(time));
        }
        if let (Some(time), Some(day)) = (parse_time(&head), parse_day(&tail)) {
            return Some(day.and_time(time));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reference() -> DateTime<FixedOffset> {
        DateTime::parse_from_rfc3339("2024-03-24T10:00:00+01:00").unwrap()
    }

    fn at(text: &str) -> Option<String> {
        parse(text, Some(reference())).map(|d| d.to_rfc3339())
    }

    #[test]
    fn absolute_dates_in_many_shapes() {
        let cases = [
            ("23 March 2024", "2024-03-23T00:00:00+00:00"),
            ("March 23, 2024", "2024-03-23T00:00:00+00:00"),
            ("Saturday 23 March 2024", "2024-03-23T00:00:00+00:00"),
            ("Saturday, March 23rd, 2024", "2024-03-23T00:00:00+00:00"),
            ("23 Mar. 2024", "2024-03-23T00:00:00+00:00"),
            ("2024-03-23", "2024-03-23T00:00:00+00:00"),
            ("23/03/2024", "2024-03-23T00:00:00+00:00"),
            ("03/23/2024", "2024-03-23T00:00:00+00:00"),
            ("23.03.2024", "2024-03-23T00:00:00+00:00"),
            ("2024-03-23 18:54", "2024-03-23T18:54:00+01:00"),
            ("2024-03-23T18:54:00", "2024-03-23T18:54:00+01:00"),
            ("23 March 2024, 6:54 PM", "2024-03-23T18:54:00+01:00"),
            ("23 March 2024 18:54 CET", "2024-03-23T18:54:00+01:00"),
            ("18:54, 23 March 2024", "2024-03-23T18:54:00+01:00"),
            ("March 23, 2024 at 6:54 pm", "2024-03-23T18:54:00+01:00"),
            ("2024-03-23T17:54:00Z", "2024-03-23T17:54:00+00:00"),
            ("2024-03-23T18:54:00.000+01:00", "2024-03-23T18:54:00+01:00"),
            ("2024-03-23 18:54:00 +0100", "2024-03-23T18:54:00+01:00"),
            ("Sat, 23 Mar 2024 17:54:00 GMT", "2024-03-23T17:54:00+00:00"),
            ("Published: 23 March 2024", "2024-03-23T00:00:00+00:00"),
        ];
        for (text, expected) in cases {
            assert_eq!(at(text).as_deref(), Some(expected), "{text}");
        }
    }

    #[test]
    fn dutch_month_and_day_names() {
        assert_eq!(
            at("23 maart 2024").as_deref(),
            Some("2024-03-23T00:00:00+00:00")
        );
        assert_eq!(
            at("zaterdag 23 maart 2024, 18:54 uur").as_deref(),
            Some("2024-03-23T18:54:00+01:00")
        );
        assert_eq!(
            at("1 okt 2023").as_deref(),
            Some("2023-10-01T00:00:00+00:00")
        );
        assert_eq!(
            at("gisteren, 18:54").as_deref(),
            Some("2024-03-23T18:54:00+01:00")
        );
        assert_eq!(
            at("3 uur geleden").as_deref(),
            Some("2024-03-24T07:00:00+01:00")
        );
    }

    #[test]
    fn relative_dates_count_from_reference() {
        assert_eq!(
            at("Yesterday, 6:54 PM").as_deref(),
            Some("2024-03-23T18:54:00+01:00")
        );
        assert_eq!(
            at("Today, 09:10").as_deref(),
            Some("2024-03-24T09:10:00+01:00")
        );
        assert_eq!(
            at("Today 09:10").as_deref(),
            Some("2024-03-24T09:10:00+01:00")
        );
        assert_eq!(
            at("Yesterday").as_deref(),
            Some("2024-03-23T00:00:00+00:00")
        );
        assert_eq!(
            at("3 hours ago").as_deref(),
            Some("2024-03-24T07:00:00+01:00")
        );
        assert_eq!(
            at("an hour ago").as_deref(),
            Some("2024-03-24T09:00:00+01:00")
        );
        assert_eq!(
            at("2 days ago").as_deref(),
            Some("2024-03-22T10:00:00+01:00")
        );
    }

    #[test]
    fn relative_dates_without_reference_are_dates_without_timestamp() {
        assert!(is_date("Yesterday, 6:54 PM"));
        assert_eq!(parse("Yesterday, 6:54 PM", None), None);
        assert_eq!(parse("3 hours ago", None), None);
    }

    #[test]
    fn zoneless_time_without_reference_is_utc() {
        assert_eq!(
            parse("2024-03-23 18:54", None).map(|d| d.to_rfc3339()),
            Some("2024-03-23T18:54:00+00:00".to_string())
        );
    }

    #[test]
    fn non_dates_are_not_dates() {
        for text in [
            "NOS News",
            "Why would IS attack Moscow? Four questions and answers",
            "2024",
            "18:54",
            "March 2024 was warm",
            "31 February 2024",
            "Today is the day",
            "99999999999999 hours ago",
            "",
            "Sunday",
            "Ad sales boost Time Warner profit",
        ] {
            assert!(!is_date(text), "{text}");
            assert_eq!(parse(text, Some(reference())), None, "{text}");
        }
    }

    #[test]
    fn epoch_numbers_become_utc_times() {
        assert_eq!(
            from_epoch(1_711_216_440.0).map(|d| d.to_rfc3339()),
            Some("2024-03-23T17:54:00+00:00".to_string())
        );
        assert_eq!(
            from_epoch(1_711_216_440_000.0).map(|d| d.to_rfc3339()),
            Some("2024-03-23T17:54:00+00:00".to_string())
        );
        assert_eq!(from_epoch(f64::NAN), None);
        assert_eq!(from_epoch(1e300), None);
    }
}
