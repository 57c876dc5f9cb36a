//! Clean-up of entity spans on real text: span edges, titles, credit lines,
//! era markers, model codes, event names, sentence-initial common words, and
//! same-article merges of short and long names.

use std::collections::HashMap;

use super::{Entity, EntityKind, normalize};

/// Weekdays: never at the edge of a name ("Company on Monday").
const WEEKDAYS: &[&str] = &[
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
    "maandag",
    "dinsdag",
    "woensdag",
    "donderdag",
    "vrijdag",
    "zaterdag",
    "zondag",
];

/// Prepositions and conjunctions: never the first or last word of a name.
const EDGE_WORDS: &[&str] = &[
    "on", "at", "by", "for", "from", "in", "into", "of", "with", "to", "and", "or", "but", "op",
    "bij", "voor", "met", "naar", "en", "te",
];

/// Legal-form words that end a company name ("News Corp", "Thomson Corp").
const LEGAL_FORMS: &[&str] = &[
    "corp",
    "corp.",
    "corporation",
    "inc",
    "inc.",
    "ltd",
    "ltd.",
    "plc",
    "llc",
    "co",
    "co.",
    "company",
    "group",
    "holdings",
    "ag",
    "sa",
    "nv",
    "bv",
    "gmbh",
];

/// Office words after an organisation's name ("Thomson Chief Financial Officer").
const OFFICE_WORDS: &[&str] = &[
    "chief",
    "financial",
    "executive",
    "operating",
    "officer",
    "vice",
    "deputy",
    "senior",
    "director",
    "chairman",
    "chairwoman",
    "president",
    "spokesman",
    "spokeswoman",
    "spokesperson",
    "ceo",
    "cfo",
    "coo",
    "secretary",
    "minister",
    "governor",
];

/// Titles before a person's name, in English and Dutch; several may stack
/// ("Prime Minister Mark Rutte", "Koning Willem-Alexander").
const TITLES: &[&str] = &[
    "mr",
    "mr.",
    "mrs",
    "mrs.",
    "ms",
    "ms.",
    "dr",
    "dr.",
    "prof",
    "prof.",
    "professor",
    "sir",
    "dame",
    "lord",
    "lady",
    "president",
    "vice",
    "prime",
    "minister",
    "chancellor",
    "senator",
    "sen.",
    "rep.",
    "governor",
    "gov.",
    "mayor",
    "judge",
    "justice",
    "general",
    "gen.",
    "colonel",
    "col.",
    "captain",
    "capt.",
    "king",
    "queen",
    "prince",
    "princess",
    "pope",
    "cardinal",
    "archbishop",
    "bishop",
    "rabbi",
    "imam",
    "ayatollah",
    "sheik",
    "sheikh",
    "shaikh",
    "emir",
    "sultan",
    "crown",
    "foreign",
    "secretary",
    "chairman",
    "chairwoman",
    "coach",
    "koning",
    "koningin",
    "prins",
    "prinses",
    "paus",
    "premier",
    "minister-president",
    "burgemeester",
    "dhr.",
    "mevr.",
    "mevrouw",
    "meneer",
];

/// Last words of event, award, agreement and plan names: such a name is not a
/// person, place or organisation, nor is a name directly before one
/// ("Marshall Plan", "Paris Agreement").
const EVENT_TAILS: &[&str] = &[
    "campaign",
    "award",
    "awards",
    "agreement",
    "agreements",
    "accord",
    "accords",
    "prize",
    "treaty",
    "plan",
    "doctrine",
    "war",
    "revolution",
    "olympics",
    "summit",
    "cup",
    "championship",
    "championships",
    "festival",
    "act",
    "protocol",
    "uprising",
    "massacre",
    "crisis",
];

/// First words of event names ("Battle of Hastings", "Siege of Sarajevo").
const EVENT_HEADS: &[&str] = &["battle", "siege", "invasion", "slag", "beleg"];

/// Era markers and other capitalised words that are never names on their own.
const NEVER_NAMES: &[&str] = &["bc", "bce", "ad", "ce", "image source", "image caption"];

/// Starts of caption and credit lines, whose names are credits, not news.
const CREDIT_LINES: &[&str] = &[
    "image source",
    "image caption",
    "media caption",
    "photograph:",
    "photo:",
    "photos:",
    "picture:",
    "pictures:",
    "credit:",
    "credits:",
    "illustration:",
    "foto:",
    "beeld:",
];

/// Photo agencies: a name joined to one by a slash is a credit ("Jane Doe/Getty Images").
const PHOTO_AGENCIES: &[&str] = &[
    "getty images",
    "getty",
    "afp",
    "reuters",
    "ap",
    "epa",
    "shutterstock",
    "alamy",
    "pa",
    "pa media",
    "anp",
    "hollandse hoogte",
    "bloomberg",
];

/// Suffixes that mark a plural noun for people or things ("Rescuers",
/// "Londoners", "Petrostates").
const PLURAL_ENDINGS: &[&str] = &["ers", "ians", "ites", "ists", "ants", "ents", "ates", "ors"];

fn word_key(w: &str) -> String {
    w.trim_matches(|c: char| !c.is_alphanumeric() && c != '.')
        .to_lowercase()
}

/// The words of `text[start..end]` as byte ranges.
fn words(text: &str, start: usize, end: usize) -> Vec<(usize, usize)> {
    let Some(span) = text.get(start..end) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    let mut at = None;
    for (i, c) in span.char_indices() {
        match (c.is_whitespace(), at) {
            (true, Some(a)) => {
                out.push((start + a, start + i));
                at = None;
            }
            (false, None) => at = Some(i),
            _ => {}
        }
    }
    if let Some(a) = at {
        out.push((start + a, end));
    }
    out
}

/// A number or an amount of money: digits with no letters but unit letters
/// ("0,16", "1,000", "US$120bn", "€5m", "20%").
fn is_number_or_money(word: &str) -> bool {
    let has_digit = word.chars().any(|c| c.is_ascii_digit());
    let money = word.contains(['$', '£', '€', '¥']);
    if money {
        return true;
    }
    if !has_digit {
        return false;
    }
    let letters: String = word.chars().filter(|c| c.is_alphabetic()).collect();
    letters.is_empty()
        || [
            "bn", "m", "k", "mn", "tn", "pc", "st", "nd", "rd", "th", "s",
        ]
        .contains(&letters.to_lowercase().as_str())
}

/// A model or type code: letters, a hyphen and digits ("F-86", "MiG-29", "COVID-19").
fn is_model_code(name: &str) -> bool {
    let Some((letters, digits)) = name.split_once('-') else {
        return false;
    };
    let digits = digits.trim_end_matches(|c: char| c.is_ascii_uppercase());
    (1..=5).contains(&letters.len())
        && letters.chars().all(|c| c.is_alphabetic())
        && letters.starts_with(|c: char| c.is_uppercase())
        && !digits.is_empty()
        && digits.chars().all(|c| c.is_ascii_digit())
}

fn edge_word(key: &str) -> bool {
    WEEKDAYS.contains(&key) || EDGE_WORDS.contains(&key) || key.is_empty()
}

/// Whether the span starts a sentence: only opening punctuation and
/// whitespace since the text's start, a line break or a sentence end.
pub(super) fn starts_sentence(text: &str, start: usize) -> bool {
    let before = text.get(..start).unwrap_or("");
    let rest = before.trim_end_matches(|c: char| {
        c.is_whitespace() || matches!(c, '"' | '\'' | '\u{201C}' | '\u{2018}' | '(' | '[' | '-')
    });
    rest.is_empty()
        || rest.ends_with(['.', '!', '?', ':', '\n'])
        || before[rest.len()..].contains('\n')
}

/// Which lines of a text are caption or credit lines, found once per text.
pub(super) struct CreditLines {
    /// The byte offset where each line starts, in order.
    starts: Vec<usize>,
    credit: Vec<bool>,
}

impl CreditLines {
    pub(super) fn new(text: &str) -> CreditLines {
        let mut starts = Vec::new();
        let mut credit = Vec::new();
        let mut at = 0;
        for line in text.split('\n') {
            starts.push(at);
            credit.push(is_credit_line(line));
            at += line.len() + 1;
        }
        CreditLines { starts, credit }
    }

    /// Whether byte `at` lies on a credit line.
    fn at(&self, at: usize) -> bool {
        let i = self.starts.partition_point(|&s| s <= at);
        i > 0 && self.credit.get(i - 1).copied().unwrap_or(false)
    }
}

/// A caption or credit line ("Image source, Getty Images", "Photograph: Jane Doe/AP").
fn is_credit_line(line: &str) -> bool {
    // Credit lines are short; a long line is text.
    if line.len() > 300 {
        return false;
    }
    let lower = line.trim_start().to_lowercase();
    CREDIT_LINES.iter().any(|p| lower.starts_with(p))
        || lower
            .split('/')
            .skip(1)
            .any(|part| PHOTO_AGENCIES.contains(&part.trim()))
}

/// Cuts a span to its name: no weekday, number, amount, preposition or
/// conjunction at either edge, no office words after an organisation, no
/// titles before a person. Splits "News Corp for Reuters" at the preposition
/// after a legal form. Returns the pieces left, possibly none.
pub(super) fn edges(text: &str, span: &Entity) -> Vec<Entity> {
    let mut ws = words(text, span.start, span.end);
    let key = |w: &(usize, usize)| word_key(&text[w.0..w.1]);
    loop {
        let before = ws.len();
        while ws
            .first()
            .is_some_and(|w| edge_word(&key(w)) || is_number_or_money(&text[w.0..w.1]))
        {
            ws.remove(0);
        }
        while ws
            .last()
            .is_some_and(|w| edge_word(&key(w)) || is_number_or_money(&text[w.0..w.1]))
        {
            ws.pop();
        }
        if span.kind == EntityKind::Organization {
            // "Thomson Chief Financial": the office words are not the company's.
            let run = ws
                .iter()
                .rev()
                .take_while(|w| OFFICE_WORDS.contains(&key(w).as_str()))
                .count();
            let only_executive = run == 1 && ws.last().is_some_and(|w| key(w) == "executive");
            if run > 0 && run < ws.len() && !only_executive {
                ws.truncate(ws.len() - run);
            }
        }
        if span.kind == EntityKind::Person {
            while ws.len() > 1 && TITLES.contains(&key(&ws[0]).as_str()) {
                ws.remove(0);
            }
        }
        if ws.len() == before {
            break;
        }
    }
    // A piece that is the whole span keeps its name; a shorter one is named by its text.
    let piece = |ws: &[(usize, usize)]| -> Option<Entity> {
        let (first, last) = (ws.first()?, ws.last()?);
        if (first.0, last.1) == (span.start, span.end) {
            return Some(span.clone());
        }
        Some(Entity {
            start: first.0,
            end: last.1,
            canonical: text[first.0..last.1].to_string(),
            ..span.clone()
        })
    };
    // "News Corp for Reuters": a company name ends at its legal form.
    if span.kind == EntityKind::Organization
        && let Some(cut) = (1..ws.len().saturating_sub(1)).find(|&i| {
            EDGE_WORDS.contains(&key(&ws[i]).as_str())
                && LEGAL_FORMS.contains(&key(&ws[i - 1]).as_str())
                && text[ws[i + 1].0..].starts_with(char::is_uppercase)
        })
    {
        return [piece(&ws[..cut]), piece(&ws[cut + 1..])]
            .into_iter()
            .flatten()
            .collect();
    }
    piece(&ws).into_iter().collect()
}

/// Whether a span is no name at all: an era marker, a model code, an event,
/// award or agreement, a name inside one, or a name on a credit line.
pub(super) fn is_junk(text: &str, span: &Entity, credits: &CreditLines) -> bool {
    let Some(surface) = text.get(span.start..span.end) else {
        return true;
    };
    let key = normalize(surface);
    if NEVER_NAMES.contains(&key.as_str()) || is_model_code(surface) {
        return true;
    }
    if credits.at(span.start) {
        return true;
    }
    if surface
        .split('/')
        .any(|p| PHOTO_AGENCIES.contains(&normalize(p).as_str()))
        && surface.contains('/')
    {
        return true;
    }
    let first = key.split(' ').next().unwrap_or("");
    let last = key.rsplit(' ').next().unwrap_or("");
    let multi = key.contains(' ');
    if multi && EVENT_HEADS.contains(&first) && key.contains(" of ") {
        return true;
    }
    if multi && EVENT_TAILS.contains(&last) {
        return true;
    }
    // A name directly before an event word is part of the event's name
    // ("Marshall Plan", "Paris Agreement").
    let after = text.get(span.end..).unwrap_or("");
    if let Some(next) = after
        .strip_prefix(' ')
        .and_then(|a| a.split([' ', '\n', ',', '.', ';', ':']).next())
        && next.starts_with(char::is_uppercase)
        && EVENT_TAILS.contains(&next.to_lowercase().as_str())
    {
        return true;
    }
    false
}

/// Whether a one-word span at a sentence start is a capitalised common word
/// or plural noun rather than a name ("Dawn was breaking", "Londoners queued",
/// "Petrostates have"): `common` says whether news mostly writes the word in
/// lower case, and the word is never written capitalised inside a sentence
/// elsewhere in the text.
pub(super) fn is_sentence_initial_word(
    text: &str,
    span: &Entity,
    common: impl Fn(&str) -> bool,
    known: impl Fn(&str) -> bool,
    inside: &mut HashMap<String, bool>,
) -> bool {
    let Some(surface) = text.get(span.start..span.end) else {
        return false;
    };
    if surface.contains(char::is_whitespace)
        || !starts_sentence(text, span.start)
        || surface.chars().filter(|c| c.is_uppercase()).count() > 1
        || known(surface)
    {
        return false;
    }
    let lower = surface.to_lowercase();
    let plural = PLURAL_ENDINGS.iter().any(|e| lower.ends_with(e));
    if !(common(surface) || plural) {
        return false;
    }
    // Written capitalised inside a sentence elsewhere: a name after all.
    !*inside
        .entry(surface.to_string())
        .or_insert_with(|| written_inside_a_sentence(text, surface))
}

/// Whether `word` occurs in `text` as a whole word not at a sentence start.
fn written_inside_a_sentence(text: &str, word: &str) -> bool {
    text.match_indices(word).any(|(at, _)| {
        !starts_sentence(text, at)
            && !text[..at].ends_with(|c: char| c.is_alphanumeric())
            && !text[at + word.len()..].starts_with(|c: char| c.is_alphanumeric())
    })
}

/// A span at a sentence start whose first word is a common word capitalised
/// only because it starts the sentence, and whose other words are a known name
/// the whole span is not ("Imperious Liverpool", but "New York"): the span
/// without that word.
pub(super) fn without_initial_common_word(
    text: &str,
    span: &Entity,
    common: impl Fn(&str) -> bool,
    known: impl Fn(&str) -> bool,
) -> Option<Entity> {
    let surface = text.get(span.start..span.end)?;
    let (first, rest) = surface.split_once(' ')?;
    if !starts_sentence(text, span.start) || !common(first) || known(surface) || !known(rest) {
        return None;
    }
    let start = span.end - rest.len();
    Some(Entity {
        start,
        canonical: rest.to_string(),
        ..span.clone()
    })
}

/// Initials of a name's capitalised words ("Associated Press" → "AP").
fn initials(name: &str) -> String {
    name.split_whitespace()
        .filter_map(|w| w.chars().next())
        .filter(|c| c.is_uppercase())
        .collect()
}

/// Merges short and long names of one entity within an article: an
/// organisation's acronym with the name whose initials it is ("AP",
/// "Associated Press") or that the text says it stands for ("Doctors Without
/// Borders, known by its French initials MSF"); a name with the same name plus
/// a legal form ("Thomson", "Thomson Corp") or "News" ("BBC", "BBC News"); a
/// person's first name alone after a title with the one longer name it starts
/// ("Sheik Mohammed", "Mohammed bin Abdulrahman Al Thani").
pub(super) fn merge_names(text: &str, spans: &mut [Entity]) {
    let orgs: Vec<(usize, &str)> = spans
        .iter()
        .enumerate()
        .filter(|(_, s)| s.kind == EntityKind::Organization)
        .map(|(i, s)| (i, s.canonical.as_str()))
        .collect();
    let org_names: std::collections::HashSet<&str> = orgs.iter().map(|(_, n)| *n).collect();
    // Long names by their initials, the first of each; long names by where they end.
    let mut by_initials: HashMap<String, &str> = HashMap::new();
    let mut long_by_end: Vec<(usize, &str)> = Vec::new();
    for (i, name) in &orgs {
        if name.contains(' ') {
            by_initials.entry(initials(name)).or_insert(name);
            long_by_end.push((spans[*i].end, name));
        }
    }
    long_by_end.sort_by_key(|(end, _)| *end);
    // Organisation names to rename, for every mention.
    let mut renames: HashMap<String, String> = HashMap::new();
    for (i, name) in &orgs {
        let is_acronym = (2..=6).contains(&name.chars().count())
            && name
                .chars()
                .all(|c| c.is_uppercase() || c == '.' || c == '&');
        if !is_acronym {
            continue;
        }
        // The name the text defines it for: "X, known as Y", "X ... initials Y".
        let start = spans[*i].start;
        let from = long_by_end.partition_point(|(end, _)| *end + 60 < start);
        let defined = long_by_end[from..]
            .iter()
            .take_while(|(end, _)| *end < start)
            .find(|(end, _)| {
                text.get(*end..start).is_some_and(|between| {
                    !between.contains(['.', '\n'])
                        && ["known as", "initials", "abbreviated", "acronym", "or "]
                            .iter()
                            .any(|cue| between.contains(cue))
                })
            })
            .map(|(_, long)| *long);
        // Else the name whose initials it is.
        let bare: String = name.chars().filter(|c| c.is_alphabetic()).collect();
        if let Some(long) = defined.or_else(|| by_initials.get(&bare).copied()) {
            renames
                .entry(name.to_string())
                .or_insert_with(|| long.to_string());
        }
    }
    for (_, long) in &orgs {
        let Some((short, last)) = long.rsplit_once(' ') else {
            continue;
        };
        if !org_names.contains(short) {
            continue;
        }
        if LEGAL_FORMS.contains(&last.to_lowercase().as_str()) {
            // "Thomson" and "Thomson Corp".
            renames.insert(short.to_string(), long.to_string());
        } else if last == "News" {
            // "BBC News" is named "BBC" when the article also says "BBC".
            renames.insert(long.to_string(), short.to_string());
        }
    }
    for span in spans.iter_mut() {
        if span.kind == EntityKind::Organization
            && let Some(name) = renames.get(&span.canonical)
        {
            span.canonical = name.clone();
        }
    }
    // A first name after a title: the one person whose name it starts.
    let mut by_first: HashMap<String, Vec<String>> = HashMap::new();
    for s in spans.iter().filter(|s| s.kind == EntityKind::Person) {
        if let Some((first, _)) = s.canonical.split_once(' ') {
            let names = by_first.entry(first.to_string()).or_default();
            if !names.contains(&s.canonical) {
                names.push(s.canonical.clone());
            }
        }
    }
    for span in spans.iter_mut() {
        if span.kind != EntityKind::Person
            || span.canonical.contains(' ')
            || !after_title(text, span.start)
        {
            continue;
        }
        if let Some([only]) = by_first.get(&span.canonical).map(Vec::as_slice) {
            span.canonical = only.clone();
        }
    }
}

/// Whether the word before byte `start`, on the same line, is a title ("Sheik Mohammed").
fn after_title(text: &str, start: usize) -> bool {
    let before = text.get(..start).unwrap_or("").trim_end_matches(' ');
    let word = before
        .rsplit([' ', '\n'])
        .next()
        .unwrap_or("")
        .to_lowercase();
    !word.is_empty() && TITLES.contains(&word.as_str())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn span(text: &str, surface: &str, kind: EntityKind) -> Entity {
        let start = text.find(surface).expect("surface in text");
        Entity {
            kind,
            start,
            end: start + surface.len(),
            canonical: surface.to_string(),
            geo: None,
        }
    }

    fn cut(text: &str, surface: &str, kind: EntityKind) -> Vec<String> {
        edges(text, &span(text, surface, kind))
            .into_iter()
            .map(|e| e.canonical)
            .collect()
    }

    #[test]
    fn weekdays_prepositions_numbers_and_money_are_cut_from_the_edges() {
        let t = "Reuters Founders Share Company on Monday said 0,16 Thomson rose to US$120bn.";
        assert_eq!(
            cut(
                t,
                "Reuters Founders Share Company on Monday",
                EntityKind::Organization
            ),
            vec!["Reuters Founders Share Company"]
        );
        assert_eq!(
            cut(t, "0,16 Thomson", EntityKind::Organization),
            vec!["Thomson"]
        );
        assert!(cut(t, "US$120bn", EntityKind::Organization).is_empty());
    }

    #[test]
    fn a_company_name_ends_at_its_legal_form() {
        let t = "A bid by News Corp for Reuters was never made.";
        assert_eq!(
            cut(t, "News Corp for Reuters", EntityKind::Organization),
            vec!["News Corp", "Reuters"]
        );
        let t = "The Council on Foreign Relations met.";
        assert_eq!(
            cut(t, "Council on Foreign Relations", EntityKind::Organization),
            vec!["Council on Foreign Relations"]
        );
    }

    #[test]
    fn office_words_are_not_part_of_an_organisation() {
        let t = "Thomson Chief Financial Officer Bob Daleo said so.";
        assert_eq!(
            cut(t, "Thomson Chief Financial", EntityKind::Organization),
            vec!["Thomson"]
        );
        let t = "The Scottish Executive said so.";
        assert_eq!(
            cut(t, "Scottish Executive", EntityKind::Organization),
            vec!["Scottish Executive"]
        );
    }

    #[test]
    fn titles_are_cut_from_people() {
        let t = "Pope Francis met Prime Minister Mark Rutte and Koning Willem-Alexander.";
        assert_eq!(cut(t, "Pope Francis", EntityKind::Person), vec!["Francis"]);
        assert_eq!(
            cut(t, "Prime Minister Mark Rutte", EntityKind::Person),
            vec!["Mark Rutte"]
        );
        assert_eq!(
            cut(t, "Koning Willem-Alexander", EntityKind::Person),
            vec!["Willem-Alexander"]
        );
    }

    #[test]
    fn eras_codes_events_and_credits_are_not_names() {
        let t = "Founded in 300 BC, it saw the F-86 and the Battle of Hastings. \
                 The Marshall Plan and the Paris Agreement followed.\n\
                 Image source, Getty Images\nPhotograph: Jane Doe/Getty Images\nParis is calm.";
        for (surface, kind) in [
            ("BC", EntityKind::Organization),
            ("F-86", EntityKind::Organization),
            ("Battle of Hastings", EntityKind::Place),
            ("Marshall", EntityKind::Person),
            ("Paris", EntityKind::Place),
            ("Getty Images", EntityKind::Organization),
            ("Jane Doe/Getty Images", EntityKind::Person),
        ] {
            assert!(
                is_junk(t, &span(t, surface, kind), &CreditLines::new(t)),
                "{surface}"
            );
        }
        let last = t.rfind("Paris").expect("second Paris");
        let paris = Entity {
            start: last,
            end: last + 5,
            ..span(t, "Paris", EntityKind::Place)
        };
        assert!(!is_junk(t, &paris, &CreditLines::new(t)));
    }

    #[test]
    fn a_capitalised_common_word_or_plural_at_a_sentence_start_is_not_a_name() {
        let t = "Dawn was breaking. Londoners queued. Petrostates grew. Snapchat grew. \
                 Later, Dawn French spoke to Snapchat.";
        let common = |w: &str| w == "Dawn";
        let no = |_: &str| false;
        assert!(is_sentence_initial_word(
            t,
            &span(t, "Londoners", EntityKind::Organization),
            common,
            no,
            &mut HashMap::new()
        ));
        assert!(is_sentence_initial_word(
            t,
            &span(t, "Petrostates", EntityKind::Organization),
            common,
            no,
            &mut HashMap::new()
        ));
        assert!(!is_sentence_initial_word(
            t,
            &span(t, "Snapchat", EntityKind::Organization),
            common,
            no,
            &mut HashMap::new()
        ));
        // "Dawn" is written capitalised inside a sentence later on.
        assert!(!is_sentence_initial_word(
            t,
            &span(t, "Dawn", EntityKind::Person),
            common,
            no,
            &mut HashMap::new()
        ));
        let t = "Dawn was breaking over the city.";
        assert!(is_sentence_initial_word(
            t,
            &span(t, "Dawn", EntityKind::Person),
            common,
            no,
            &mut HashMap::new()
        ));
    }

    #[test]
    fn short_and_long_names_in_one_article_merge() {
        let t = "The Associated Press said so; AP added more. BBC News reported it, \
                 the BBC said. Thomson Corp grew and Thomson hired. Doctors Without \
                 Borders, known by its French initials MSF, said no.";
        let mut spans: Vec<Entity> = [
            "Associated Press",
            "AP",
            "BBC News",
            "BBC",
            "Thomson Corp",
            "Thomson",
            "Doctors Without Borders",
            "MSF",
        ]
        .iter()
        .map(|s| span(t, s, EntityKind::Organization))
        .collect();
        // "Thomson" is found first inside "Thomson Corp"; use its own mention.
        let at = t.rfind("Thomson").expect("Thomson");
        spans[5].start = at;
        spans[5].end = at + 7;
        merge_names(t, &mut spans);
        let names: Vec<&str> = spans.iter().map(|s| s.canonical.as_str()).collect();
        assert_eq!(
            names,
            vec![
                "Associated Press",
                "Associated Press",
                "BBC",
                "BBC",
                "Thomson Corp",
                "Thomson Corp",
                "Doctors Without Borders",
                "Doctors Without Borders"
            ]
        );
    }

    #[test]
    fn a_first_name_after_a_title_is_the_longer_name_it_starts() {
        let t = "Mohammed bin Abdulrahman Al Thani met him. Sheik Mohammed said so.";
        let at = t.rfind("Mohammed").expect("second Mohammed");
        let mut spans = vec![
            span(t, "Mohammed bin Abdulrahman Al Thani", EntityKind::Person),
            Entity {
                start: at,
                end: at + 8,
                canonical: "Mohammed".into(),
                ..span(t, "Mohammed", EntityKind::Person)
            },
        ];
        merge_names(t, &mut spans);
        assert_eq!(spans[1].canonical, "Mohammed bin Abdulrahman Al Thani");
    }
}
