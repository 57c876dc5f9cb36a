//! The extraction rules: candidate spans for places, organisations and people,
//! and the choice among overlapping candidates.
//!
//! Each rule proposes [`Candidate`]s with a priority; [`resolve`] keeps the
//! longest spans first, then the higher priority, so every output span is
//! disjoint from the others.

use std::collections::{BTreeMap, HashMap};

use super::alias;
use super::context::{Candidate, Ctx, MAX_CHUNK_TOKENS, longest_match, priority};
use super::gazetteer::{Hit, PlaceKind};
use super::normalize::normalize;
use super::token::{Shape, Token, joinable};
use super::{Entity, EntityKind, RuleExtractor};

/// The longest name, in tokens, a person rule accepts.
const MAX_PERSON_TOKENS: usize = 6;

/// Runs every rule on `text`.
pub(crate) fn extract(ex: &RuleExtractor, text: &str) -> Vec<Entity> {
    extract_in_context(Ctx::new(ex, text))
        .into_iter()
        .map(|(e, _)| e)
        .collect()
}

/// The entities of an article, with the priority of the rule that found each
/// ([`priority`]).
pub(crate) fn extract_in_context(ctx: Ctx<'_>) -> Vec<(Entity, u8)> {
    if ctx.toks.is_empty() {
        return Vec::new();
    }
    let mut cands = alias::defined_names(&ctx);
    cands.extend(acronym_orgs(&ctx));
    cands.extend(listed_orgs(&ctx));
    cands.extend(org_chunks(&ctx));
    cands.extend(places(&ctx));
    cands.extend(persons(&ctx));
    let mut accepted = resolve(&cands);
    let more = alias::propagate_persons(&ctx, &accepted);
    if !more.is_empty() {
        cands.extend(more);
        accepted = resolve(&cands);
    }
    alias::merge_canonicals(&ctx, &mut accepted);
    accepted
        .into_iter()
        .map(|c| {
            (
                Entity {
                    kind: c.kind,
                    start: c.start,
                    end: c.end,
                    canonical: c.canonical,
                    geo: None,
                },
                c.priority,
            )
        })
        .collect()
}

/// Keeps the longest candidates, then the higher priority, then the earlier;
/// drops any candidate overlapping one already kept. Sorted by start.
pub(crate) fn resolve(cands: &[Candidate]) -> Vec<Candidate> {
    let mut order: Vec<&Candidate> = cands.iter().filter(|c| c.start < c.end).collect();
    order.sort_by(|a, b| {
        (b.end - b.start)
            .cmp(&(a.end - a.start))
            .then(b.priority.cmp(&a.priority))
            .then(a.start.cmp(&b.start))
    });
    let mut taken: BTreeMap<usize, usize> = BTreeMap::new();
    let mut out = Vec::new();
    for c in order {
        if let Some((_, &end)) = taken.range(..c.end).next_back()
            && end > c.start
        {
            continue;
        }
        taken.insert(c.start, c.end);
        out.push(c.clone());
    }
    out.sort_by_key(|c| c.start);
    out
}

/// Gazetteer places: longest capitalised matches.
fn places(ctx: &Ctx<'_>) -> Vec<Candidate> {
    let gaz = &ctx.ex.gazetteer;
    let toks = &ctx.toks;
    let max = gaz.names.max_words().max(1);
    let mut out = Vec::new();
    let mut i = 0;
    while i < toks.len() {
        let t = &toks[i];
        if !t.is_cap() || !ctx.in_focus(i, i + max, priority::PLACE) {
            i += 1;
            continue;
        }
        let shouting = ctx.shouting(i);
        let m = longest_match(toks, i, max, false, |key, upper| {
            gaz.names
                .get_as_written(key, upper)
                .filter(|h| !(shouting && h.caps_only))
        });
        if let Some((e, hit)) = m {
            if e - i > 1 || single_place_ok(ctx, i, hit) {
                let canonical = gaz.names.canonical(hit.entry).to_string();
                out.push(ctx.candidate(EntityKind::Place, i, e, priority::PLACE, canonical));
                i = e;
                continue;
            }
        } else if t.text.contains(['-', '\u{2010}', '\u{2011}']) {
            out.extend(countries_in_compound(ctx, t));
        }
        i += 1;
    }
    out
}

/// Whether a one-word gazetteer match at `i` is taken as a place. All
/// capitals only as written in the gazetteer or for a place's own name of
/// four or more letters. Not function words, titles, months or demonyms; not a sentence-initial word
/// the article also writes in lowercase; and a city or division known only
/// by an alias (`Google` is an alias of Topeka) needs a preposition of place
/// before it or `, Place` after it.
fn single_place_ok(ctx: &Ctx<'_>, i: usize, hit: Hit) -> bool {
    let words = &ctx.ex.words;
    let toks = &ctx.toks;
    let t = &toks[i];
    let k = t.norm.as_str();
    if t.shape == Shape::Upper {
        // An abbreviation the gazetteer writes in capitals (`US`), or a place
        // name in a capitalised dateline (`MOSCOW`); not an acronym that
        // happens to spell a place (`WHO`, `EU`).
        return hit.caps_only || (hit.named && k.chars().count() >= 4 && !words.is_stop(k));
    }
    if words.is_stop(k)
        || words.is_calendar(k)
        || words.is_non_name(k)
        || words.is_title(k)
        || ctx.common_word_at(i)
    {
        return false;
    }
    let kind = ctx.ex.gazetteer.kind(hit.entry);
    if hit.named || !matches!(kind, Some(PlaceKind::City | PlaceKind::Admin1)) {
        return true;
    }
    let locative_before = i > 0
        && joinable(toks, i)
        && toks[i - 1].shape == Shape::Lower
        && words.is_locative(&toks[i - 1].norm);
    let place_after = toks.get(i + 1).is_some_and(|c| c.is_punct(","))
        && toks
            .get(i + 2)
            .is_some_and(|p| p.is_cap() && p.space_before)
        && ctx.place_hit(i + 2, i + 3).is_some();
    locative_before || place_after
}

/// Countries named inside a hyphenated compound (`Russia-Ukraine`).
fn countries_in_compound(ctx: &Ctx<'_>, t: &Token<'_>) -> Vec<Candidate> {
    let gaz = &ctx.ex.gazetteer;
    let mut out = Vec::new();
    let mut offset = 0;
    for part in t.text.split(['-', '\u{2010}', '\u{2011}']) {
        let upper = shape_is_upper(part);
        if part.chars().next().is_some_and(char::is_uppercase)
            && let Some(hit) = gaz.names.get_as_written(&normalize(part), upper)
            && gaz.kind(hit.entry) == Some(PlaceKind::Country)
        {
            out.push(Candidate {
                kind: EntityKind::Place,
                start: t.start + offset,
                end: t.start + offset + part.len(),
                priority: priority::PLACE,
                canonical: gaz.names.canonical(hit.entry).to_string(),
            });
        }
        // Every separator is a 1-byte or 3-byte hyphen; find the actual one.
        offset += part.len();
        offset += t.text[offset..].chars().next().map_or(0, char::len_utf8);
    }
    out
}

fn shape_is_upper(s: &str) -> bool {
    crate::ner::token::shape_of(s) == Shape::Upper
}

/// Organisations from the built-in list and `names.tsv`.
fn listed_orgs(ctx: &Ctx<'_>) -> Vec<Candidate> {
    let names = &ctx.ex.names;
    let mut out = Vec::new();
    for i in 0..ctx.toks.len() {
        if !ctx.toks[i].is_cap() || ctx.shouting(i) {
            continue;
        }
        for (lex, prio) in [
            (&names.builtin_orgs, priority::BUILTIN_ORG),
            (&names.orgs, priority::KNOWN_ORG),
        ] {
            let max = lex.max_words().max(1);
            if !ctx.in_focus(i, i + max, prio) {
                continue;
            }
            if let Some((e, hit)) = longest_match(&ctx.toks, i, max, false, |key, up| {
                lex.get_as_written(key, up)
            }) {
                if e - i == 1 && ctx.common_word_at(i) {
                    continue;
                }
                let canonical = lex.canonical(hit.entry).to_string();
                out.push(ctx.candidate(EntityKind::Organization, i, e, prio, canonical));
            }
        }
    }
    out
}

/// Capitalised sequences ending in an organisation word
/// (`Washington Institute for Near East Policy`, `Ministry of Defence`).
fn org_chunks(ctx: &Ctx<'_>) -> Vec<Candidate> {
    let toks = &ctx.toks;
    let mut out = Vec::new();
    let mut i = 0;
    while i < toks.len() {
        if !toks[i].is_cap()
            || ctx.shouting(i)
            || !ctx.in_focus(i, i + MAX_CHUNK_TOKENS, priority::ORG_HEAD)
        {
            i += 1;
            continue;
        }
        let b = ctx.chunk_forward(i, true).unwrap_or(i + 1);
        // `Human Rights Watch and Amnesty International`: two names.
        let mut a = i;
        for c in i + 1..b {
            let joins =
                toks[c].is_punct("&") || (toks[c].shape == Shape::Lower && toks[c].norm == "and");
            if joins && (a..c).any(|p| toks[p].is_cap() && ctx.ex.words.is_org_head(&toks[p].norm))
            {
                out.extend(org_in_chunk(ctx, a, c));
                a = c + 1;
            }
        }
        if a < b {
            out.extend(org_in_chunk(ctx, a, b));
        }
        i = b;
    }
    out
}

/// The organisation name inside chunk `a..b`, if it has an organisation word.
fn org_in_chunk(ctx: &Ctx<'_>, a: usize, b: usize) -> Option<Candidate> {
    let toks = &ctx.toks;
    let words = &ctx.ex.words;
    let head = (a..b)
        .rev()
        .find(|&p| toks[p].is_cap() && words.is_org_head(&toks[p].norm))?;
    // After the head: `of/for/on [the] Capitalised...` belongs to the name.
    let mut e = head + 1;
    if e < b && matches!(toks[e].norm.as_str(), "of" | "for" | "on") {
        let mut k = e + 1;
        while k < b && toks[k].is_cap() {
            k += 1;
        }
        if k > e + 1 {
            e = k;
        }
    }
    // Before: a name joined by `of/for/on` to a part without an organisation
    // word is not part of it (`Friederike Otto of Imperial College`).
    let mut a = a;
    if let Some(c) = (a..head).rev().find(|&p| {
        toks[p].shape == Shape::Lower && matches!(toks[p].norm.as_str(), "of" | "for" | "on")
    }) && !(a..c).any(|p| toks[p].is_cap() && words.is_org_head(&toks[p].norm))
    {
        a = c + 1;
    }
    // Drop function words; a mid-sentence capitalised `The` marks a name.
    let mut s = a;
    let mut marked = false;
    while s < head && (words.is_stop(&toks[s].norm) || !toks[s].is_cap()) {
        if toks[s].norm == "the" && toks[s].shape == Shape::Title && !toks[s].sentence_start {
            marked = true;
        }
        s += 1;
    }
    let name_words = (s..e).filter(|&p| toks[p].is_cap()).count();
    if name_words < 2 && !(name_words == 1 && marked) {
        return None;
    }
    if ctx.is_place_key(&ctx.key(s, e)) {
        return None;
    }
    Some(ctx.candidate(
        EntityKind::Organization,
        s,
        e,
        priority::ORG_HEAD,
        ctx.surface(s, e),
    ))
}

/// All-capitals organisation names: those introduced by an organisation noun
/// (`the terrorist group IS`) or by `the` (`the NOS`, unless a place), and
/// then every other mention of them.
fn acronym_orgs(ctx: &Ctx<'_>) -> Vec<Candidate> {
    let toks = &ctx.toks;
    let words = &ctx.ex.words;
    let mut found: HashMap<&str, u8> = HashMap::new();
    for i in 1..toks.len() {
        if !ctx.acronym_like(i, 6) || !joinable(toks, i) {
            continue;
        }
        let prev = &toks[i - 1];
        let prio = if prev.shape == Shape::Lower && words.is_org_noun(&prev.norm) {
            priority::ACRONYM
        } else if prev.norm == "the" && ctx.place_hit(i, i + 1).is_none() {
            priority::ACRONYM_WEAK
        } else {
            continue;
        };
        let slot = found.entry(toks[i].text).or_insert(prio);
        *slot = (*slot).max(prio);
    }
    let mut out = Vec::new();
    for (i, t) in toks.iter().enumerate() {
        if let Some(&prio) = found.get(t.text) {
            if !ctx.acronym_like(i, 6) {
                continue;
            }
            if prio == priority::ACRONYM_WEAK && ctx.place_hit(i, i + 1).is_some() {
                continue;
            }
            let canonical = t.text.to_string();
            out.push(ctx.candidate(EntityKind::Organization, i, i + 1, prio, canonical));
        }
    }
    out
}

/// A word that can be part of a person's name. Months may follow a given
/// name (`Theresa May`) unless a number follows them.
fn name_word(ctx: &Ctx<'_>, i: usize, initial: bool) -> bool {
    let words = &ctx.ex.words;
    let t = match ctx.toks.get(i) {
        Some(t) => t,
        None => return false,
    };
    if t.shape != Shape::Title || t.text.chars().count() < 2 {
        return false;
    }
    let k = t.norm.as_str();
    if words.is_calendar(k) {
        let month = !matches!(
            k,
            "monday" | "tuesday" | "wednesday" | "thursday" | "friday" | "saturday" | "sunday"
        );
        let number_next = ctx
            .toks
            .get(i + 1)
            .is_some_and(|n| n.shape == Shape::Number && joinable(&ctx.toks, i + 1));
        if initial || !month || number_next {
            return false;
        }
    }
    !(words.is_stop(k)
        || words.is_title(k)
        || words.is_org_head(k)
        || words.is_non_name(k)
        || words.is_particle(k)
        || words.is_reporting_after(k))
}

fn particle(ctx: &Ctx<'_>, i: usize) -> bool {
    ctx.toks.get(i).is_some_and(|t| {
        matches!(t.shape, Shape::Lower | Shape::Title) && ctx.ex.words.is_particle(&t.norm)
    })
}

/// A person name starting at token `i`: name words, with particles between
/// them. Returns the end (exclusive).
fn name_forward(ctx: &Ctx<'_>, i: usize) -> Option<usize> {
    let toks = &ctx.toks;
    let mut j = i;
    let mut end = None;
    while j < toks.len() && j - i < MAX_PERSON_TOKENS {
        if j > i && !joinable(toks, j) {
            break;
        }
        if name_word(ctx, j, end.is_none()) {
            j += 1;
            end = Some(j);
            continue;
        }
        if particle(ctx, j) && !toks[j].possessive {
            let mut k = j + 1;
            while k < toks.len() && k - j < 3 && joinable(toks, k) && particle(ctx, k) {
                k += 1;
            }
            if joinable(toks, k) && name_word(ctx, k, false) {
                j = k;
                continue;
            }
        }
        break;
    }
    end
}

/// A person name ending at token `end - 1`. Returns the start.
fn name_backward(ctx: &Ctx<'_>, end: usize) -> Option<usize> {
    let toks = &ctx.toks;
    if end == 0 || !name_word(ctx, end - 1, false) {
        return None;
    }
    let mut k = end - 1;
    let mut start = k;
    while k > 0 && end - k < MAX_PERSON_TOKENS && joinable(toks, k) {
        if name_word(ctx, k - 1, false) {
            k -= 1;
            start = k;
        } else if particle(ctx, k - 1) {
            k -= 1;
            if toks[k].shape == Shape::Title {
                start = k;
            }
        } else {
            break;
        }
    }
    // The first word must also be a valid first word (not a month).
    while start < end && !name_word(ctx, start, true) && !particle(ctx, start) {
        start += 1;
    }
    (start < end).then_some(start)
}

/// Number of name words in `s..e`.
fn name_words(ctx: &Ctx<'_>, s: usize, e: usize) -> usize {
    (s..e).filter(|&i| name_word(ctx, i, false)).count()
}

/// Checks a proposed person name and makes the candidate.
fn person(ctx: &Ctx<'_>, s: usize, e: usize, single_ok: bool, prio: u8) -> Option<Candidate> {
    let toks = &ctx.toks;
    // One word alone (`Putin`) needs a strong cue; a particle counts as a
    // word (`Van Ginkel`, `Al Jaber`).
    let n = name_words(ctx, s, e);
    if n == 0 || (e - s == 1 && !single_ok) || !name_word(ctx, e - 1, false) {
        return None;
    }
    let key = ctx.key(s, e);
    if ctx.place_blocks_person(&key, e - s > 1) || ctx.is_org_key(&key) {
        return None;
    }
    if s > 0 && joinable(toks, s) && ctx.ex.words.is_determiner(&toks[s - 1].norm) {
        return None;
    }
    Some(ctx.candidate(EntityKind::Person, s, e, prio, ctx.surface(s, e)))
}

/// Whether a one-word name at `s..e` is a listed person.
fn listed_person(ctx: &Ctx<'_>, s: usize, e: usize) -> bool {
    ctx.ex.names.persons.get(&ctx.key(s, e)).is_some()
}

/// Whether the name ending at `e` is followed by punctuation, a line end,
/// the text end or a verb of saying.
fn name_ends_clause(ctx: &Ctx<'_>, e: usize) -> bool {
    !joinable(&ctx.toks, e) || ctx.ex.words.is_reporting_after(&ctx.toks[e].norm)
}

/// Whether the comma at `c` opens an appositive naming a role: up to two
/// lowercase words (`the`, `former`, `deputy`) and then a role noun or title.
fn appositive_role_after(ctx: &Ctx<'_>, c: usize) -> bool {
    let words = &ctx.ex.words;
    let toks = &ctx.toks;
    for j in c + 1..(c + 4).min(toks.len()) {
        let t = &toks[j];
        if t.shape != Shape::Lower || (j > c + 1 && !joinable(toks, j)) {
            return false;
        }
        if words.is_role(&t.norm) || words.is_strong_lower_title(&t.norm) {
            return true;
        }
    }
    false
}

/// People: after titles and role nouns, next to verbs of saying, before
/// `of the`, given name plus surname, and listed names.
fn persons(ctx: &Ctx<'_>) -> Vec<Candidate> {
    let toks = &ctx.toks;
    let words = &ctx.ex.words;
    let names = &ctx.ex.names;
    let cue = priority::PERSON_CUE;
    let mut out = Vec::new();
    for i in 0..toks.len() {
        // Every rule below finds a name within this many tokens of `i`.
        let near = i.saturating_sub(MAX_PERSON_TOKENS)..i + MAX_PERSON_TOKENS + 3;
        if !ctx.in_focus(near.start, near.end, cue) {
            continue;
        }
        let t = &toks[i];
        let k = t.norm.as_str();
        // Titles and role nouns before the name.
        let strong = (t.shape == Shape::Title && words.is_title(k))
            || (t.shape == Shape::Lower && words.is_strong_lower_title(k));
        let role = t.shape == Shape::Lower && words.is_role(k);
        if (strong || role)
            && joinable(toks, i + 1)
            && let Some(e) = name_forward(ctx, i + 1)
        {
            let single_ok = strong || name_ends_clause(ctx, e);
            out.extend(person(ctx, i + 1, e, single_ok, cue));
        }
        if t.shape == Shape::Lower {
            // `<Name> said`, unless the name sits in a phrase like
            // `analysts at <Name> said`.
            if words.is_reporting_after(k)
                && joinable(toks, i)
                && let Some(s) = name_backward(ctx, i)
            {
                let in_phrase = s > 0
                    && joinable(toks, s)
                    && toks[s - 1].shape == Shape::Lower
                    && words.is_preposition(&toks[s - 1].norm);
                if !in_phrase {
                    out.extend(person(ctx, s, i, listed_person(ctx, s, i), cue));
                }
            }
            // `said <Name>`.
            if words.is_reporting_before(k)
                && joinable(toks, i + 1)
                && let Some(e) = name_forward(ctx, i + 1)
            {
                out.extend(person(ctx, i + 1, e, listed_person(ctx, i + 1, e), cue));
            }
            // `<Name> of the`.
            if k == "of"
                && toks.get(i + 1).is_some_and(|n| n.norm == "the")
                && joinable(toks, i)
                && let Some(s) = name_backward(ctx, i)
            {
                out.extend(person(ctx, s, i, false, cue));
            }
        }
        // `<Name>, (the former) leader of ...`: a full name before an
        // appositive role.
        if t.is_punct(",")
            && i > 0
            && appositive_role_after(ctx, i)
            && let Some(s) = name_backward(ctx, i)
        {
            out.extend(person(ctx, s, i, false, cue));
        }
        // `according to <Name>`.
        if k == "according"
            && toks.get(i + 1).is_some_and(|n| n.norm == "to")
            && joinable(toks, i + 1)
            && joinable(toks, i + 2)
            && let Some(e) = name_forward(ctx, i + 2)
        {
            out.extend(person(ctx, i + 2, e, listed_person(ctx, i + 2, e), cue));
        }
        // Given name plus surname (`Will Ukraine ...` is no name).
        if t.shape == Shape::Title
            && names.first.contains(k)
            && name_word(ctx, i, true)
            && !ctx.common_word_at(i)
            && let Some(e) = name_forward(ctx, i)
            && !(i + 1..e).any(|j| ctx.is_major_place_key(&toks[j].norm))
        {
            out.extend(person(ctx, i, e, false, priority::KNOWN_PERSON));
        }
        // Listed full names; listed single names only back up the cues above.
        if t.shape == Shape::Title {
            let lex = &names.persons;
            let max = lex.max_words().max(1);
            if let Some((e, _)) = longest_match(toks, i, max, false, |key, _| lex.get(key))
                && e - i >= 2
            {
                out.extend(person(ctx, i, e, false, priority::KNOWN_PERSON));
            }
        }
    }
    out
}
