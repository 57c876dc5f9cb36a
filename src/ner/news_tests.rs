//! The default extractor on original English and Dutch sentences written for
//! the project, one case of real-news trouble each: typographic apostrophes,
//! sentence-initial common words, run-on spans, titles, eras and codes,
//! events, credits, capitals, acronyms and same-article merges.

use std::sync::OnceLock;

use super::{Entity, EntityExtractor, EntityKind, HybridExtractor};

fn hybrid() -> &'static HybridExtractor {
    static HYBRID: OnceLock<HybridExtractor> = OnceLock::new();
    HYBRID.get_or_init(HybridExtractor::embedded)
}

/// `(kind, mention, canonical name)` of every entity found.
fn found(text: &str, language: &str) -> Vec<(EntityKind, String, String)> {
    let entities: Vec<Entity> = hybrid().extract_in(text, language);
    entities
        .iter()
        .map(|e| {
            (
                e.kind,
                text[e.start..e.end].to_string(),
                e.canonical.clone(),
            )
        })
        .collect()
}

fn has(
    found: &[(EntityKind, String, String)],
    kind: EntityKind,
    mention: &str,
    name: &str,
) -> bool {
    found
        .iter()
        .any(|(k, m, n)| *k == kind && m == mention && n == name)
}

fn mentions(found: &[(EntityKind, String, String)]) -> Vec<&str> {
    found.iter().map(|(_, m, _)| m.as_str()).collect()
}

use EntityKind::{Organization as Org, Person as Per, Place};

#[test]
fn typographic_and_straight_apostrophes_end_a_name() {
    let text = "Al Jazeera\u{2019}s Hiba Morgan, reporting from Omdurman, said the army had \
                pushed back. The GOP\u{2019}s Laxalt said on Tuesday that he would win. Adam \
                Laxalt, the Republican candidate in Nevada, spoke in Reno. Fans cheered \
                Liverpool\u{2019}s win and Liverpool's manager. \u{201C}We were brilliant,\u{201D} \
                said Hiba Morgan.";
    let f = found(text, "en");
    assert!(has(&f, Per, "Hiba Morgan", "Hiba Morgan"), "{f:?}");
    assert!(has(&f, Org, "Al Jazeera", "Al Jazeera"), "{f:?}");
    assert!(has(&f, Per, "Laxalt", "Adam Laxalt"), "{f:?}");
    assert!(
        f.iter()
            .filter(|(k, m, _)| *k != Per && m == "Liverpool")
            .count()
            == 2,
        "{f:?}"
    );
    assert!(
        !f.iter()
            .any(|(_, m, _)| m.contains('\u{2019}') || m.contains('\'')),
        "{f:?}"
    );
}

#[test]
fn common_words_and_plurals_at_a_sentence_start_are_not_names() {
    let text = "Dawn was breaking over the city when the quake struck. Rescuers warn that \
                time is running out. Londoners queued for hours. Petrostates have grown \
                richer. Imperious Liverpool beat Chelsea again.\n\nRescuers Warn Time Is \
                Running Out for Trapped Miners";
    let f = found(text, "en");
    let m = mentions(&f);
    for junk in [
        "Dawn",
        "Rescuers",
        "Londoners",
        "Petrostates",
        "Imperious Liverpool",
        "Rescuers Warn Time",
    ] {
        assert!(!m.contains(&junk), "{junk} in {f:?}");
    }
    assert!(m.contains(&"Chelsea"), "{f:?}");
}

#[test]
fn a_span_never_runs_on_past_the_name() {
    let text = "The Reuters Founders Share Company on Monday said it backed the deal. A bid \
                by News Corp for Reuters was never made. Thomson Corp reported results, and \
                Thomson Chief Financial Officer Bob Daleo said costs fell. The group raised US$120bn last year.";
    let f = found(text, "en");
    let m = mentions(&f);
    for junk in [
        "Reuters Founders Share Company on Monday",
        "News Corp for Reuters",
        "Thomson Chief Financial",
        "US$120bn",
    ] {
        assert!(!m.contains(&junk), "{junk} in {f:?}");
    }
    assert!(m.contains(&"News Corp"), "{f:?}");
    assert!(has(&f, Org, "Thomson", "Thomson Corp"), "{f:?}");
    assert!(m.contains(&"Bob Daleo"), "{f:?}");
    for (_, mention, _) in &f {
        let first = mention.split(' ').next().unwrap_or("");
        let last = mention.rsplit(' ').next().unwrap_or("");
        for edge in [first, last] {
            assert!(
                !["on", "for", "Monday", "at", "in"].contains(&edge)
                    && !edge.starts_with(|c: char| c.is_ascii_digit()),
                "{mention} in {f:?}"
            );
        }
    }
}

#[test]
fn titles_are_not_part_of_a_person_s_name() {
    let text = "Mr Smith met Pope Francis in Rome. President Joe Biden called Prime \
                Minister Keir Starmer.";
    let f = found(text, "en");
    assert!(has(&f, Per, "Smith", "Smith"), "{f:?}");
    assert!(has(&f, Per, "Francis", "Francis"), "{f:?}");
    assert!(has(&f, Per, "Joe Biden", "Joe Biden"), "{f:?}");
    assert!(has(&f, Per, "Keir Starmer", "Keir Starmer"), "{f:?}");
}

#[test]
fn eras_model_codes_events_and_credits_are_not_entities() {
    let text = "The city was founded in 300 BC and destroyed in AD 79. The F-86 flew over \
                the peninsula. The Battle of Hastings was in 1066. The Marshall Plan and the \
                Paris Agreement followed.\nImage source, Getty Images\nPhotograph: Jane \
                Doe/Getty Images\nThe minister flew to Paris on Friday.";
    let f = found(text, "en");
    let m = mentions(&f);
    for junk in [
        "BC",
        "AD",
        "F-86",
        "Battle of Hastings",
        "Marshall",
        "Marshall Plan",
        "Getty Images",
        "Jane Doe",
        "Jane Doe/Getty Images",
        "Image source",
    ] {
        assert!(!m.contains(&junk), "{junk} in {f:?}");
    }
    assert_eq!(m.iter().filter(|m| **m == "Paris").count(), 1, "{f:?}");
}

#[test]
fn names_in_capitals_and_party_acronyms_are_found() {
    let text = "REX MUELLER, THE MAYOR OF SPRINGFIELD, RESIGNED ON FRIDAY.\n\nThe DUP and \
                the SNP voted against the bill.";
    let f = found(text, "en");
    assert!(
        f.iter().any(|(k, m, _)| *k == Per && m == "REX MUELLER"),
        "{f:?}"
    );
    assert!(has(&f, Org, "DUP", "DUP"), "{f:?}");
    assert!(has(&f, Org, "SNP", "SNP"), "{f:?}");
}

#[test]
fn short_and_long_names_of_one_entity_merge_within_an_article() {
    let text = "The Associated Press reported the vote. AP said turnout was high. BBC News \
                reported from London, and the BBC said the vote was close. Thomson Corp said \
                profits rose; Thomson expects more. Doctors Without Borders, known by its \
                French initials MSF, said 40 people died. MSF said its clinic was hit. \
                Qatar's Prime Minister Mohammed bin Abdulrahman Al Thani met the envoy. \
                Sheik Mohammed said talks would go on.";
    let f = found(text, "en");
    assert!(has(&f, Org, "AP", "Associated Press"), "{f:?}");
    assert!(has(&f, Org, "BBC News", "BBC"), "{f:?}");
    assert!(has(&f, Org, "Thomson", "Thomson Corp"), "{f:?}");
    assert!(
        has(
            &f,
            Org,
            "Doctors Without Borders",
            "Doctors Without Borders"
        ),
        "{f:?}"
    );
    assert!(
        f.iter()
            .filter(|(k, m, n)| *k == Org && m == "MSF" && n == "Doctors Without Borders")
            .count()
            == 2,
        "{f:?}"
    );
    assert!(
        has(&f, Per, "Mohammed", "Mohammed bin Abdulrahman Al Thani"),
        "{f:?}"
    );
}

#[test]
fn dutch_text_is_tagged_by_the_dutch_model() {
    let text = "Koning ontvangt premier in Den Haag\n\nKoning Willem-Alexander ontving \
                premier Dick Schoof woensdag in paleis Huis ten Bosch in Den Haag. Zeven \
                ministers waren aanwezig. Alleen de PVV van Geert Wilders stemde tegen het \
                plan. Daar zei minister Caspar Veldkamp dat Nederland de banden met Israël \
                wil herzien. Onderwijs blijft een belangrijk thema.";
    let f = found(text, "nl");
    let m = mentions(&f);
    for junk in ["Koning", "Zeven", "Alleen", "Daar", "Onderwijs"] {
        assert!(!m.contains(&junk), "{junk} in {f:?}");
    }
    assert!(
        has(&f, Per, "Willem-Alexander", "Willem-Alexander"),
        "{f:?}"
    );
    assert!(has(&f, Per, "Dick Schoof", "Dick Schoof"), "{f:?}");
    assert!(has(&f, Org, "PVV", "PVV"), "{f:?}");
    assert!(has(&f, Place, "Den Haag", "The Hague"), "{f:?}");
    assert!(has(&f, Place, "Israël", "Israel"), "{f:?}");
    assert!(
        f.iter()
            .any(|(k, m, _)| *k == Place && m == "Huis ten Bosch"),
        "{f:?}"
    );
}
