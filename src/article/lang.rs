//! An article's language: declared metadata when present, else whatlang's detection, as ISO 639-1.

use unicode_segmentation::UnicodeSegmentation;
use whatlang::{Detector, Lang};

use super::Block;

/// How much text (in characters) is given to the detector: a short sample
/// first, which settles most articles, then a longer one.
const SHORT_SAMPLE_CHARS: usize = 200;
const SAMPLE_CHARS: usize = 600;

/// From this many words on, an unreliable detection still gives the best
/// guess among the common news languages rather than "und".
const GUESS_MIN_WORDS: usize = 20;

/// The languages guessed among when detection is not reliable.
const COMMON: [Lang; 7] = [
    Lang::Eng,
    Lang::Nld,
    Lang::Deu,
    Lang::Fra,
    Lang::Spa,
    Lang::Ita,
    Lang::Por,
];

/// ISO 639-3 (and 639-2/B) codes and English names mapped to ISO 639-1.
const CODES: &[(&str, &str)] = &[
    ("afr", "af"),
    ("aka", "ak"),
    ("amh", "am"),
    ("ara", "ar"),
    ("aze", "az"),
    ("bel", "be"),
    ("ben", "bn"),
    ("bul", "bg"),
    ("cat", "ca"),
    ("ces", "cs"),
    ("cze", "cs"),
    ("cmn", "zh"),
    ("zho", "zh"),
    ("chi", "zh"),
    ("cym", "cy"),
    ("wel", "cy"),
    ("dan", "da"),
    ("deu", "de"),
    ("ger", "de"),
    ("ell", "el"),
    ("gre", "el"),
    ("eng", "en"),
    ("epo", "eo"),
    ("est", "et"),
    ("fin", "fi"),
    ("fra", "fr"),
    ("fre", "fr"),
    ("guj", "gu"),
    ("heb", "he"),
    ("hin", "hi"),
    ("hrv", "hr"),
    ("hun", "hu"),
    ("hye", "hy"),
    ("arm", "hy"),
    ("ind", "id"),
    ("ita", "it"),
    ("jav", "jv"),
    ("jpn", "ja"),
    ("kan", "kn"),
    ("kat", "ka"),
    ("geo", "ka"),
    ("khm", "km"),
    ("kor", "ko"),
    ("lat", "la"),
    ("lav", "lv"),
    ("lit", "lt"),
    ("mal", "ml"),
    ("mar", "mr"),
    ("mkd", "mk"),
    ("mac", "mk"),
    ("mya", "my"),
    ("bur", "my"),
    ("nep", "ne"),
    ("nld", "nl"),
    ("dut", "nl"),
    ("nob", "nb"),
    ("nor", "no"),
    ("ori", "or"),
    ("pan", "pa"),
    ("pes", "fa"),
    ("fas", "fa"),
    ("per", "fa"),
    ("pol", "pl"),
    ("por", "pt"),
    ("ron", "ro"),
    ("rum", "ro"),
    ("rus", "ru"),
    ("sin", "si"),
    ("slk", "sk"),
    ("slo", "sk"),
    ("slv", "sl"),
    ("sna", "sn"),
    ("spa", "es"),
    ("srp", "sr"),
    ("swe", "sv"),
    ("tam", "ta"),
    ("tel", "te"),
    ("tgl", "tl"),
    ("tha", "th"),
    ("tuk", "tk"),
    ("tur", "tr"),
    ("ukr", "uk"),
    ("urd", "ur"),
    ("uzb", "uz"),
    ("vie", "vi"),
    ("yid", "yi"),
    ("zul", "zu"),
    ("english", "en"),
    ("dutch", "nl"),
    ("nederlands", "nl"),
    ("german", "de"),
    ("deutsch", "de"),
    ("french", "fr"),
    ("français", "fr"),
    ("spanish", "es"),
    ("español", "es"),
    ("italian", "it"),
    ("italiano", "it"),
    ("portuguese", "pt"),
    ("português", "pt"),
];

/// The article's language: `declared` when it names a language, else detected
/// from the title and body. "und" when unknown.
pub(crate) fn language(declared: Option<&str>, title: &str, blocks: &[Block]) -> String {
    declared.and_then(normalize).unwrap_or_else(|| {
        reliable(&sample(title, blocks, SHORT_SAMPLE_CHARS))
            .unwrap_or_else(|| detect(&sample(title, blocks, SAMPLE_CHARS)))
    })
}

/// The language of `text` when the detector is sure of it.
fn reliable(text: &str) -> Option<String> {
    whatlang::detect(text)
        .filter(whatlang::Info::is_reliable)
        .and_then(|info| normalize(info.lang().code()))
}

/// A declared language ("en-US", "nl_NL", "eng", "Dutch") as ISO 639-1.
pub(crate) fn normalize(declared: &str) -> Option<String> {
    let primary = declared
        .trim()
        .split(['-', '_'])
        .next()?
        .trim()
        .to_lowercase();
    if primary.chars().count() == 2 && primary.chars().all(|c| c.is_ascii_alphabetic()) {
        return Some(primary);
    }
    CODES
        .iter()
        .find(|(code, _)| *code == primary)
        .map(|(_, iso)| (*iso).to_string())
}

/// The detected language of `text` as ISO 639-1, or "und".
pub(crate) fn detect(text: &str) -> String {
    let guess = match whatlang::detect(text) {
        Some(info) if info.is_reliable() => Some(info.lang()),
        _ if text.unicode_words().take(GUESS_MIN_WORDS).count() >= GUESS_MIN_WORDS => {
            Detector::with_allowlist(COMMON.to_vec()).detect_lang(text)
        }
        _ => None,
    };
    guess
        .and_then(|lang| normalize(lang.code()))
        .unwrap_or_else(|| "und".to_string())
}

/// The title and the start of the body, at most `chars` characters.
fn sample(title: &str, blocks: &[Block], chars: usize) -> String {
    let mut text = String::from(title);
    for block in blocks {
        if text.len() >= chars * 4 {
            break;
        }
        text.push('\n');
        text.push_str(&block.text);
    }
    match text.char_indices().nth(chars) {
        Some((cut, _)) => text[..cut].to_string(),
        None => text,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn block(text: &str) -> Block {
        Block {
            heading: None,
            text: text.to_string(),
        }
    }

    #[test]
    fn declared_language_is_normalized_to_iso_639_1() {
        assert_eq!(normalize("en-US").as_deref(), Some("en"));
        assert_eq!(normalize("nl_NL").as_deref(), Some("nl"));
        assert_eq!(normalize(" NL ").as_deref(), Some("nl"));
        assert_eq!(normalize("eng").as_deref(), Some("en"));
        assert_eq!(normalize("Dutch").as_deref(), Some("nl"));
        assert_eq!(normalize("und"), None);
        assert_eq!(normalize(""), None);
    }

    #[test]
    fn declared_language_wins_over_detection() {
        let blocks = [block(
            "This is plainly an English sentence about the weather.",
        )];
        assert_eq!(language(Some("de-DE"), "Title", &blocks), "de");
    }

    #[test]
    fn detects_dutch_and_english_bodies() {
        let dutch = [block(
            "Het kabinet heeft vandaag besloten dat de nieuwe regels voor de woningmarkt \
             volgend jaar ingaan. Volgens de minister moeten huurders daardoor minder \
             betalen voor een woning in de grote steden.",
        )];
        assert_eq!(language(None, "Nieuwe regels voor huurders", &dutch), "nl");
        let english = [block(
            "The government decided today that the new rules for the housing market will \
             take effect next year. According to the minister, tenants will pay less for \
             a home in the big cities.",
        )];
        assert_eq!(language(None, "New rules for tenants", &english), "en");
    }

    #[test]
    fn short_unclear_text_is_undetermined() {
        assert_eq!(language(None, "OK", &[]), "und");
        assert_eq!(language(None, "", &[]), "und");
    }

    #[test]
    fn long_text_always_gets_a_common_language_guess() {
        let mixed = "Ajax PSV Feyenoord AZ Twente Utrecht Vitesse Heerenveen Groningen \
                     Sparta NEC Willem Heracles Excelsior Volendam Almere Fortuna Zwolle \
                     Waalwijk Emmen Cambuur";
        let code = language(None, mixed, &[]);
        assert!(
            ["en", "nl", "de", "fr", "es", "it", "pt"].contains(&code.as_str()),
            "{code}"
        );
    }

    #[test]
    fn sample_is_cut_at_a_char_boundary() {
        let blocks = [block(&"ä".repeat(5000))];
        assert_eq!(
            sample("", &blocks, SAMPLE_CHARS).chars().count(),
            SAMPLE_CHARS
        );
    }
}
