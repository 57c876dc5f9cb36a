//! The `EntityExtractor` contract on random text, for every extractor: spans
//! sorted by start, never overlapping, inside the text, on character
//! boundaries, with a name. Texts are drawn from a fixed seed, so a failure
//! names a case that reruns the same way.

use super::tagger;
use super::*;

/// Words that make extractors work: names, titles, acronyms, places, Dutch,
/// apostrophes and quotes of both kinds, numbers, money, punctuation.
const WORDS: &[&str] = &[
    "President",
    "Putin",
    "said",
    "the",
    "The",
    "FSB",
    "ISIS-K",
    "in",
    "Moscow",
    "Kabul",
    "Van",
    "Ginkel",
    "van",
    "de",
    "Bibi",
    "Mr",
    "Koning",
    "Willem-Alexander",
    "Den",
    "Haag",
    "Al",
    "Jazeera’s",
    "Hiba",
    "Morgan",
    "GOP’s",
    "Laxalt",
    "Liverpool's",
    "“Doctors",
    "Without",
    "Borders”",
    "(MSF)",
    "Reuters",
    "on",
    "Monday",
    "US$120bn",
    "0,16",
    "BC",
    "F-86",
    "Battle",
    "of",
    "Getty",
    "Images",
    "REX",
    "MUELLER",
    "New",
    "York",
    "Zürich",
    "Москва",
    "&",
    "and",
    "Thomson",
    "Corp",
    "Sheik",
    "Mohammed",
    "bin",
    "Abdulrahman",
    "Al-Thani",
    ",",
    ".",
    ";",
    ":",
    "-",
    "—",
    "\"",
    "'",
    "’",
    "(",
    ")",
    "2024",
    "1,000",
    "Dawn",
    "was",
    "breaking",
    "Rescuers",
    "warn",
    "Londoners",
    "PVV",
    "Tweede",
    "Kamer",
    "zei",
    "dat",
    "Israël",
    "Huis",
    "ten",
    "Bosch",
    "A.",
    "J.",
    "St.",
    "U.S.",
    "e.g.",
    "ü",
    "日本",
    "\u{200b}",
    "\u{feff}",
    "🙂",
];

fn random_text(rng: &mut fastrand::Rng) -> String {
    let words = rng.usize(0..80);
    let mut text = String::new();
    for _ in 0..words {
        match rng.u8(0..20) {
            0 => text.push('\n'),
            1 => text.push_str("\n\n"),
            2 => text.push(rng.char('\u{0}'..='\u{2fff}')),
            _ => {
                if rng.bool() && !text.is_empty() {
                    text.push(' ');
                }
                text.push_str(WORDS[rng.usize(0..WORDS.len())]);
            }
        }
    }
    text
}

fn check(name: &str, extractor: &dyn EntityExtractor, cases: usize, seed: u64) {
    let mut rng = fastrand::Rng::with_seed(seed);
    for case in 0..cases {
        let text = random_text(&mut rng);
        for language in ["en", "nl"] {
            let spans = extractor.extract_in(&text, language);
            let mut end = 0;
            for entity in &spans {
                assert!(
                    entity.start >= end && entity.start < entity.end && entity.end <= text.len(),
                    "{name}, case {case} ({language}): span {}..{} after {end} in {text:?}: {spans:?}",
                    entity.start,
                    entity.end,
                );
                assert!(
                    text.is_char_boundary(entity.start) && text.is_char_boundary(entity.end),
                    "{name}, case {case}: span off a character boundary in {text:?}"
                );
                assert!(
                    !entity.canonical.trim().is_empty(),
                    "{name}, case {case}: a span without a name in {text:?}"
                );
                end = entity.end;
            }
        }
    }
}

#[test]
fn rules_keep_the_contract_on_random_text() {
    check("rules", &RuleExtractor::embedded(), 400, 1);
}

#[test]
fn english_and_dutch_taggers_keep_the_contract_on_random_text() {
    check("tagger en", &tagger::embedded(), 400, 2);
    check("tagger nl", &tagger::embedded_dutch(), 400, 3);
}

#[test]
fn the_default_extractor_keeps_the_contract_on_random_text() {
    check("hybrid", &HybridExtractor::embedded(), 400, 4);
}

#[test]
fn the_tagger_reads_the_shared_tokens_as_its_own_tokenizer_splits_the_text() {
    let same = |text: &str, what: &str| {
        let toks = super::token::tokenize(text);
        let shared = tagger::text::sentences_of_chunks(text, super::token::chunks(text, &toks));
        assert_eq!(shared, tagger::text::sentences(text), "{what}: {text:?}");
    };
    let seed = include_str!("../../corpus/000_9434b53dda31b95b.txt");
    same(seed, "the corpus article");
    same(
        "Russia's role\r\n\n  Al Jazeera’s “Hiba”  ",
        "possessives and line ends",
    );
    let mut rng = fastrand::Rng::with_seed(5);
    for case in 0..2000 {
        same(&random_text(&mut rng), &format!("case {case}"));
    }
}
