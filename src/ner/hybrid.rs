//! The default extractor: the statistical tagger finds the spans, and the
//! rules' article-wide knowledge names them.
//!
//! A tagger span takes the canonical name of a rule entity of the same type
//! that overlaps it (aliases, acronyms, "Van Ginkel" → "Bibi van Ginkel");
//! otherwise a place takes its gazetteer name ("Moskva" → "Moscow"), a person
//! mention that is the end of a longer person name in the article takes that
//! name, and anything else its own text without a leading "the" or a
//! possessive.

use super::tagger::Model;
use super::tagger::hash::FxBuild;
use super::tidy;
use super::{Entity, EntityExtractor, EntityKind, Geo, RuleExtractor, normalize};

/// The tagger and the rules together.
pub struct HybridExtractor {
    tagger: Model,
    /// The tagger for Dutch text: given, or the embedded one loaded on the
    /// first Dutch article.
    dutch: std::sync::OnceLock<Model>,
    embedded_dutch: bool,
    rules: RuleExtractor,
}

impl HybridExtractor {
    /// One tagger for text in every language.
    pub fn new(tagger: Model, rules: RuleExtractor) -> HybridExtractor {
        HybridExtractor {
            tagger,
            dutch: std::sync::OnceLock::new(),
            embedded_dutch: false,
            rules,
        }
    }

    /// Uses `dutch` for Dutch text.
    pub fn with_dutch(self, dutch: Model) -> HybridExtractor {
        let cell = std::sync::OnceLock::new();
        let _ = cell.set(dutch);
        HybridExtractor {
            dutch: cell,
            ..self
        }
    }

    /// The tagger for text in `language`.
    fn tagger_for(&self, language: &str) -> &Model {
        if language != "nl" {
            return &self.tagger;
        }
        if self.embedded_dutch {
            return self.dutch.get_or_init(super::tagger::embedded_dutch);
        }
        self.dutch.get().unwrap_or(&self.tagger)
    }

    /// The extractor built from the assets compiled into the binary.
    pub fn embedded() -> HybridExtractor {
        // The two load independently: the rules' gazetteer on a second thread.
        std::thread::scope(|s| {
            let rules = s.spawn(RuleExtractor::embedded);
            let tagger = super::tagger::embedded();
            let rules = rules
                .join()
                .unwrap_or_else(|e| std::panic::resume_unwind(e));
            HybridExtractor {
                embedded_dutch: true,
                ..HybridExtractor::new(tagger, rules)
            }
        })
    }

    /// Whether every word of `name` is one news mostly writes in lower case.
    fn only_common_words(tagger: &Model, name: &str) -> bool {
        name.split_whitespace()
            .all(|w| tagger.is_common_word(w.trim_matches(|c: char| !c.is_alphanumeric())))
    }
}

fn kind_slot(kind: EntityKind) -> usize {
    match kind {
        EntityKind::Person => 0,
        EntityKind::Organization => 1,
        EntityKind::Place => 2,
    }
}

/// The rule entities (sorted by start, not overlapping) that overlap `span`.
fn around<'r>(rules: &'r [Entity], span: &Entity) -> &'r [Entity] {
    let from = rules.partition_point(|r| r.end <= span.start);
    let to = rules.partition_point(|r| r.start < span.end).max(from);
    &rules[from..to]
}

fn overlaps(a: &Entity, b: &Entity) -> bool {
    a.start < b.end && b.start < a.end
}

/// The text of a mention without a leading article or a trailing possessive.
fn trimmed(surface: &str) -> &str {
    let s = surface.trim();
    let s = ["the ", "The "]
        .iter()
        .find_map(|p| s.strip_prefix(p))
        .unwrap_or(s);
    ["'s", "\u{2019}s", "'", "\u{2019}"]
        .iter()
        .find_map(|p| s.strip_suffix(p))
        .unwrap_or(s)
        .trim()
}

impl EntityExtractor for HybridExtractor {
    fn extract(&self, text: &str) -> Vec<Entity> {
        self.extract_with(&self.tagger, text, SURE)
    }

    fn extract_in(&self, text: &str, language: &str) -> Vec<Entity> {
        let sure = if language == "nl" { SURE_DUTCH } else { SURE };
        self.extract_with(self.tagger_for(language), text, sure)
    }

    fn locate(&self, place: &str) -> Option<Geo> {
        self.rules.place_geo(place)
    }
}

/// The lowest rule priority whose names are kept where the tagger found
/// nothing: names defined in the text, acronyms and listed organisations. Rule
/// people after a title and organisation phrases cost more precision than they
/// add recall beside the English tagger (CoNLL-2003 dev 93.36 → 93.50, UNER test
/// 72.01 → 72.80, CrossNER test 69.72 → 71.61).
const SURE: u8 = super::context::priority::BUILTIN_ORG;
/// The same beside the Dutch tagger, which misses more: people after a title
/// count too ("koning Willem-Alexander").
const SURE_DUTCH: u8 = super::context::priority::PERSON_CUE;

impl HybridExtractor {
    fn extract_with(&self, tagger: &Model, text: &str, sure_priority: u8) -> Vec<Entity> {
        // One tokenization: the rules read its tokens, and the tagger the same
        // tokens grouped as its training data was.
        let toks = super::token::tokenize(text);
        let sentences =
            super::tagger::text::sentences_of_chunks(text, super::token::chunks(text, &toks));
        let tagged = super::tagger::extract::entities(text, tagger.tag_sentences(text, &sentences));
        // The rules' other names only name or retype the tagger's spans, so they
        // are looked for only around them.
        let ctx = super::context::Ctx::with_tokens(&self.rules, text, toks)
            .focused_on(&tagged, sure_priority);
        let scored = super::rules::extract_in_context(ctx);
        let rules: Vec<Entity> = scored
            .iter()
            .flat_map(|(r, _)| tidy::edges(text, r))
            .collect();
        // The rule names that stand without the tagger: those the rules are
        // sure of (names defined in the text, acronyms, listed organisations)
        // and, where the tagger is weaker (Dutch), people after a title.
        let sure: Vec<Entity> = scored
            .iter()
            .filter(|(_, p)| *p >= sure_priority)
            .flat_map(|(r, _)| tidy::edges(text, r))
            .collect();
        let mut spans: Vec<Entity> = tagged
            .into_iter()
            .flat_map(|mut span| {
                // A leading article and a trailing possessive are not part of the
                // name ("the Kremlin", "Labour's plans").
                if let Some(surface) = text.get(span.start..span.end) {
                    let name = trimmed(surface);
                    if !name.is_empty() {
                        // `name` is a slice of `surface`.
                        span.start += name.as_ptr() as usize - surface.as_ptr() as usize;
                        span.end = span.start + name.len();
                    }
                }
                // Nor is a common word that starts the sentence ("Imperious Liverpool").
                if let Some(cut) = tidy::without_initial_common_word(
                    text,
                    &span,
                    |w| tagger.is_usually_lower(w) || !tagger.knows_word(w),
                    |name| self.rules.place_name(name).is_some(),
                ) {
                    span = cut;
                }
                // Nor are weekdays, amounts, prepositions or titles at its edges.
                tidy::edges(text, &span)
            })
            .collect();
        for span in &mut spans {
            // The rules know organisations and people by their cues; where they
            // call a tagger span one of those, their type wins.
            if let Some(rule) = around(&rules, span).iter().find(|r| {
                overlaps(r, span)
                    && r.kind != span.kind
                    && matches!(r.kind, EntityKind::Organization | EntityKind::Person)
                    && r.start <= span.start
                    && r.end >= span.end
            }) {
                span.kind = rule.kind;
            }
            // A one-word country name is the country, whatever the tagger
            // thought ("Israël" in Dutch text).
            if span.kind == EntityKind::Person
                && text
                    .get(span.start..span.end)
                    .is_some_and(|w| !w.contains(' ') && self.rules.is_country(w))
            {
                span.kind = EntityKind::Place;
            }
            // A people's adjective before a name the rules know is not part of
            // it ("Afghan Taliban" is the Taliban).
            if let Some(rule) = around(&rules, span).iter().find(|r| {
                r.kind == span.kind
                    && r.end == span.end
                    && r.start > span.start
                    && text.get(span.start..r.start).is_some_and(|before| {
                        let word = before.trim_end();
                        !word.contains(' ') && self.rules.is_people_adjective(word)
                    })
            }) {
                span.start = rule.start;
            }
            // A rule entity names the span only when it covers all of it: "BBC"
            // does not name "BBC Films".
            let named = around(&rules, span)
                .iter()
                .filter(|r| r.kind == span.kind && r.start <= span.start && r.end >= span.end)
                .min_by_key(|r| r.end - r.start);
            span.canonical = match named {
                Some(rule) => {
                    // The mention is the rules' longer name: "Islamic State
                    // Province Khorasan", not the tagger's "Khorasan"; "S Africa",
                    // not "Africa".
                    span.start = rule.start;
                    span.end = rule.end;
                    rule.canonical.clone()
                }
                None => {
                    let mut surface = trimmed(text.get(span.start..span.end).unwrap_or(""));
                    if span.kind == EntityKind::Person {
                        surface = without_title(surface);
                    }
                    match span.kind {
                        EntityKind::Place => self
                            .rules
                            .place_name(surface)
                            .unwrap_or_else(|| surface.to_string()),
                        _ => surface.to_string(),
                    }
                }
            };
        }
        // A span in lower case made only of words news mostly writes in lower
        // case is not a name ("came back at us" is not the United States), nor
        // is such a word after "the" a person ("the Bill is debated"; but "the
        // Clinton administration").
        spans.retain(|s| {
            let surface = text.get(s.start..s.end).unwrap_or("");
            if !Self::only_common_words(tagger, surface) {
                return true;
            }
            let lower = !surface.chars().any(char::is_uppercase);
            let the_person = s.kind == EntityKind::Person
                && !surface.contains(char::is_whitespace)
                && text.get(..s.start).is_some_and(ends_with_the);
            !lower && !the_person
        });
        // Tagger spans widened to one rule name ("Washington Institute" and
        // "Near East Policy") are one mention.
        spans.sort_by_key(|s| (s.start, std::cmp::Reverse(s.end)));
        spans.dedup_by(|b, a| a.start <= b.start && b.end <= a.end);
        // A person named by a surname alone ("Smeets") is the person whose
        // longer name ends with it ("Hubert Smeets").
        // Each ending of a longer name after a space, keyed, names the first
        // such person.
        let mut by_ending: std::collections::HashMap<String, String, FxBuild> = Default::default();
        for e in spans
            .iter()
            .filter(|e| e.kind == EntityKind::Person && e.canonical.contains(' '))
        {
            let key = normalize(&e.canonical);
            for (at, _) in key.match_indices(' ') {
                by_ending
                    .entry(key[at + 1..].to_string())
                    .or_insert_with(|| e.canonical.clone());
            }
        }
        for span in spans.iter_mut().filter(|e| e.kind == EntityKind::Person) {
            if let Some(name) = by_ending.get(&normalize(&span.canonical)) {
                span.canonical = name.clone();
            }
        }
        // People and organisations the rules are sure of where the tagger saw
        // nothing, unless the name is only words news mostly writes in lower
        // case ("General Election" read as the title "General" and a name).
        let found: Vec<(usize, usize)> = spans.iter().map(|s| (s.start, s.end)).collect();
        let longest = found.iter().map(|(a, b)| b - a).max().unwrap_or(0);
        let seen = |rule: &Entity| {
            let from = found.partition_point(|(a, _)| *a + longest < rule.start);
            found[from..]
                .iter()
                .take_while(|(a, _)| *a < rule.end)
                .any(|(a, b)| *a < rule.end && rule.start < *b)
        };
        for rule in sure {
            if matches!(rule.kind, EntityKind::Organization | EntityKind::Person)
                && !seen(&rule)
                && !Self::only_common_words(tagger, &rule.canonical)
            {
                spans.push(rule);
            }
        }
        // Credits, eras, codes, events, and common words capitalised only
        // because they start a sentence are not names.
        let credits = tidy::CreditLines::new(text);
        let mut inside = std::collections::HashMap::new();
        spans.retain(|s| {
            !tidy::is_junk(text, s, &credits)
                && !tidy::is_sentence_initial_word(
                    text,
                    s,
                    |w| tagger.is_usually_lower(w),
                    |w| self.rules.place_name(w).is_some(),
                    &mut inside,
                )
        });
        // Short and long names of one entity: "AP" and "Associated Press".
        tidy::merge_names(text, &mut spans);
        // All mentions of one name share the type most of them have.
        let mut votes: std::collections::HashMap<String, [usize; 3], FxBuild> = Default::default();
        for s in &spans {
            votes.entry(normalize(&s.canonical)).or_default()[kind_slot(s.kind)] += 1;
        }
        for s in &mut spans {
            if let Some(v) = votes.get(&normalize(&s.canonical)) {
                let best = (0..3)
                    .max_by_key(|&i| (v[i], i == kind_slot(s.kind)))
                    .unwrap_or(0);
                s.kind = EntityKind::ALL[best];
            }
        }
        spans.retain(|s| !s.canonical.is_empty() && !self.rules.is_group(&s.canonical));
        self.rules.locate_all(&mut spans);
        disjoint(spans)
    }
}

/// The spans sorted by start with no two overlapping: of two that overlap (a
/// tagger span widened to a rule's name running into the next), the longer
/// stays, the earlier between equals.
fn disjoint(mut spans: Vec<Entity>) -> Vec<Entity> {
    spans.sort_by_key(|s| (s.start, std::cmp::Reverse(s.end)));
    let mut out: Vec<Entity> = Vec::with_capacity(spans.len());
    for span in spans {
        match out.last_mut() {
            Some(last) if span.start < last.end => {
                if span.end - span.start > last.end - last.start {
                    *last = span;
                }
            }
            _ => out.push(span),
        }
    }
    out
}

/// Whether text ends with the word "the" and a space.
fn ends_with_the(before: &str) -> bool {
    let Some(rest) = before
        .strip_suffix("the ")
        .or_else(|| before.strip_suffix("The "))
    else {
        return false;
    };
    !rest.ends_with(char::is_alphanumeric)
}

/// Titles that come before a name and are not part of it.
const TITLES: [&str; 16] = [
    "Mr",
    "Mr.",
    "Mrs",
    "Mrs.",
    "Ms",
    "Ms.",
    "Dr",
    "Dr.",
    "Prof",
    "Prof.",
    "Sir",
    "President",
    "Minister",
    "Chancellor",
    "Senator",
    "Mayor",
];

/// A person's name without a title before it ("Mr Blair" → "Blair").
fn without_title(name: &str) -> &str {
    match name.split_once(' ') {
        Some((first, rest)) if TITLES.contains(&first) && !rest.is_empty() => rest,
        _ => name,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn overlapping_spans_keep_the_longer() {
        let span = |start, end, name: &str| Entity {
            kind: EntityKind::Person,
            start,
            end,
            canonical: name.into(),
            geo: None,
        };
        let kept = disjoint(vec![
            span(43, 50, "Den St."),
            span(25, 49, "Mohammed Al-Thani Den St"),
            span(0, 5, "Alpha"),
            span(3, 12, "Alpha Beta"),
            span(60, 64, "Oslo"),
        ]);
        let names: Vec<&str> = kept.iter().map(|e| e.canonical.as_str()).collect();
        assert_eq!(names, ["Alpha Beta", "Mohammed Al-Thani Den St", "Oslo"]);
    }

    #[test]
    fn articles_and_possessives_are_trimmed() {
        assert_eq!(trimmed("the Kremlin"), "Kremlin");
        assert_eq!(trimmed("Putin's"), "Putin");
        assert_eq!(trimmed("Taliban\u{2019}s"), "Taliban");
        assert_eq!(trimmed("NOS"), "NOS");
    }

    #[test]
    fn faiths_and_their_followers_are_not_entities() {
        let hybrid = HybridExtractor::embedded();
        let text = "Christians and Muslims were attacked, and Islam was invoked, \
                    said Hubert Smeets in Moscow.";
        let found = hybrid.extract(text);
        let names: Vec<&str> = found.iter().map(|e| e.canonical.as_str()).collect();
        for word in ["Christians", "Muslims", "Islam"] {
            assert!(!names.contains(&word), "{word} in {names:?}");
        }
        assert!(names.contains(&"Hubert Smeets"), "{names:?}");
        assert!(names.contains(&"Moscow"), "{names:?}");
    }

    #[test]
    fn a_mention_inside_a_longer_rule_name_is_the_whole_name() {
        let hybrid = HybridExtractor::embedded();
        let text = "ISIS-K, also known as ISKP or ISPK, is a branch of IS. The name stands for \
                    Islamic State Province Khorasan, after a region. Analysts at the \
                    Washington Institute for Near East Policy agree.";
        let found = hybrid.extract(text);
        let mentions: Vec<(&str, &str)> = found
            .iter()
            .map(|e| (&text[e.start..e.end], e.canonical.as_str()))
            .collect();
        assert!(
            mentions.contains(&("Islamic State Province Khorasan", "ISIS-K")),
            "{mentions:?}"
        );
        assert!(
            !mentions.iter().any(|(m, _)| *m == "Khorasan"),
            "{mentions:?}"
        );
        let institute = "Washington Institute for Near East Policy";
        let n = mentions.iter().filter(|(m, _)| *m == institute).count();
        assert_eq!(n, 1, "{mentions:?}");
    }

    #[test]
    fn a_place_mention_inside_a_longer_rule_place_is_the_whole_name() {
        let hybrid = HybridExtractor::embedded();
        let text = "J Fourie (S Africa) and V Matfield (S Africa) were picked, \
                    said the coach in London.";
        let found = hybrid.extract(text);
        let mentions: Vec<(&str, &str)> = found
            .iter()
            .map(|e| (&text[e.start..e.end], e.canonical.as_str()))
            .collect();
        let n = mentions
            .iter()
            .filter(|m| **m == ("S Africa", "South Africa"))
            .count();
        assert_eq!(n, 2, "{mentions:?}");
        assert!(
            !mentions.iter().any(|(m, _)| *m == "Africa"),
            "{mentions:?}"
        );
    }

    #[test]
    fn a_common_word_in_lower_case_is_not_a_name() {
        let hybrid = HybridExtractor::embedded();
        let text = "It will be difficult judging by the way Brentford came back at us \
                    on Saturday, said the manager in the US.";
        let found = hybrid.extract(text);
        let mentions: Vec<&str> = found.iter().map(|e| &text[e.start..e.end]).collect();
        assert!(!mentions.contains(&"us"), "{mentions:?}");
        assert!(mentions.contains(&"US"), "{mentions:?}");
    }

    #[test]
    fn a_mention_leaves_out_the_article_and_the_possessive() {
        let hybrid = HybridExtractor::embedded();
        let text = "The Tories say Labour's plans to give all children two hours of \
                    sports lessons a week in school are not new, the Kremlin said.";
        let found = hybrid.extract(text);
        let mentions: Vec<&str> = found.iter().map(|e| &text[e.start..e.end]).collect();
        assert!(mentions.contains(&"Labour"), "{mentions:?}");
        assert!(mentions.contains(&"Kremlin"), "{mentions:?}");
        assert!(
            !mentions
                .iter()
                .any(|m| m.ends_with("'s") || m.starts_with("the")),
            "{mentions:?}"
        );
    }

    #[test]
    fn a_common_word_after_the_is_not_a_person() {
        let hybrid = HybridExtractor::embedded();
        let text = "Ms Jowell will set out her position when the Bill is debated in the \
                    Commons on Monday, said Tessa Jowell. As for the Clinton \
                    administration, let them wait.";
        let found = hybrid.extract(text);
        let people: Vec<&str> = found
            .iter()
            .filter(|e| e.kind == EntityKind::Person)
            .map(|e| &text[e.start..e.end])
            .collect();
        assert!(!people.contains(&"Bill"), "{people:?}");
        assert!(people.contains(&"Tessa Jowell"), "{people:?}");
        assert!(people.contains(&"Clinton"), "{people:?}");
        assert!(ends_with_the("when the "));
        assert!(ends_with_the("The "));
        assert!(!ends_with_the("bathe "));
        assert!(!ends_with_the("the"));
    }

    #[test]
    fn titles_are_not_part_of_a_name() {
        assert_eq!(without_title("Mr Blair"), "Blair");
        assert_eq!(without_title("President Assad"), "Assad");
        assert_eq!(without_title("Tony Blair"), "Tony Blair");
        assert_eq!(without_title("Mr"), "Mr");
    }
}
