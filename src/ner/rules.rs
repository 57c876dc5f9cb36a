//! The extraction rules: candidate spans for places, organisations and people,
//! and the choice among overlapping candidates.
//!
//! Each rule proposes [`Candidate`]s with a priority; [`resolve`] keeps the
//! longest spans first, then the higher priority, so every output span is
//! disjoint from the others.

use std::collections::{BTreeMap, HashMap, HashSet};

use super::alias;
use super::gazetteer::{Hit, PlaceKind};
use super::normalize::normalize;
use super::token::{Shape, Token, joinable, tokenize};
use super::{Entity, EntityKind, RuleExtractor};

/// Priorities of the rules, higher wins between spans of equal length.
pub(crate) mod priority {
    /// A name defined in the article: `Long Name (ACR)`, `ACR, also known as X`.
    pub const DEFINED: u8 = 90;
    /// An acronym introduced by an organisation noun (`security service FSB`).
    pub const ACRONYM: u8 = 88;
    /// A name from the built-in organisation list.
    pub const BUILTIN_ORG: u8 = 87;
    /// A capitalised sequence with an organisation word (`... Institute`).
    pub const ORG_HEAD: u8 = 85;
    /// An all-capitals word after `the` (`the NOS`).
    pub const ACRONYM_WEAK: u8 = 84;
    /// A name after a title, role noun or verb of saying.
    pub const PERSON_CUE: u8 = 80;
    /// Another mention of a person found by a cue.
    pub const PERSON_PROPAGATED: u8 = 75;
    /// A gazetteer place.
    pub const PLACE: u8 = 70;
    /// An organisation from `names.tsv`.
    pub const KNOWN_ORG: u8 = 60;
    /// A given name plus surname, or a person from `names.tsv`.
    pub const KNOWN_PERSON: u8 = 50;
}

/// The longest name, in tokens, a person rule accepts.
const MAX_PERSON_TOKENS: usize = 6;
/// The longest capitalised chunk, in tokens, an organisation rule looks at.
const MAX_CHUNK_TOKENS: usize = 12;

/// A proposed entity span (byte offsets) with the rule's priority.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Candidate {
    pub kind: EntityKind,
    pub start: usize,
    pub end: usize,
    pub priority: u8,
    pub canonical: String,
}

/// One article being processed: its tokens and per-paragraph facts.
pub(crate) struct Ctx<'a> {
    pub ex: &'a RuleExtractor,
    pub text: &'a str,
    pub toks: Vec<Token<'a>>,
    /// Per paragraph: written in capitals (a shouted headline), where
    /// capitalisation says nothing.
    shouting: Vec<bool>,
    /// The words written in lowercase somewhere in the article.
    lowercase: HashSet<&'a str>,
}

impl<'a> Ctx<'a> {
    pub fn new(ex: &'a RuleExtractor, text: &'a str) -> Ctx<'a> {
        let toks = tokenize(text);
        let paragraphs = toks.last().map_or(0, |t| t.paragraph + 1);
        let mut words = vec![0usize; paragraphs];
        let mut upper = vec![0usize; paragraphs];
        for t in &toks {
            if matches!(t.shape, Shape::Lower | Shape::Title | Shape::Upper) {
                words[t.paragraph] += 1;
                if t.shape == Shape::Upper {
                    upper[t.paragraph] += 1;
                }
            }
        }
        let shouting = words
            .iter()
            .zip(&upper)
            .map(|(&w, &u)| w >= 3 && u * 10 >= w * 6)
            .collect();
        let lowercase = toks
            .iter()
            .filter(|t| t.shape == Shape::Lower)
            .map(|t| t.text)
            .collect();
        Ctx {
            ex,
            text,
            toks,
            shouting,
            lowercase,
        }
    }

    /// A sentence-initial capitalised word that the article also writes in
    /// lowercase: an ordinary word, not a name.
    pub fn common_word_at(&self, i: usize) -> bool {
        self.toks.get(i).is_some_and(|t| {
            t.sentence_start
                && t.shape == Shape::Title
                && self.lowercase.contains(t.text.to_lowercase().as_str())
        })
    }

    pub fn shouting(&self, i: usize) -> bool {
        self.toks
            .get(i)
            .and_then(|t| self.shouting.get(t.paragraph))
            .copied()
            .unwrap_or(false)
    }

    /// Byte span of tokens `s..e`.
    pub fn span(&self, s: usize, e: usize) -> (usize, usize) {
        (self.toks[s].start, self.toks[e - 1].end)
    }

    /// The text of tokens `s..e` with whitespace runs collapsed to one space.
    pub fn surface(&self, s: usize, e: usize) -> String {
        let (a, b) = self.span(s, e);
        collapse_ws(self.text.get(a..b).unwrap_or(""))
    }

    /// The matching key of tokens `s..e`.
    pub fn key(&self, s: usize, e: usize) -> String {
        let mut key = String::new();
        for t in self.toks[s..e].iter().filter(|t| !t.norm.is_empty()) {
            if !key.is_empty() {
                key.push(' ');
            }
            key.push_str(&t.norm);
        }
        key
    }

    pub fn all_upper(&self, s: usize, e: usize) -> bool {
        self.toks[s..e]
            .iter()
            .filter(|t| t.is_word())
            .all(|t| t.shape == Shape::Upper)
    }

    /// The gazetteer entry for tokens `s..e` as written.
    pub fn place_hit(&self, s: usize, e: usize) -> Option<Hit> {
        self.ex
            .gazetteer
            .names
            .get_as_written(&self.key(s, e), self.all_upper(s, e))
    }

    /// Whether a key names a place in any spelling.
    pub fn is_place_key(&self, key: &str) -> bool {
        self.ex.gazetteer.names.get(key).is_some()
    }

    /// Whether a key names a country, first-level division or region.
    pub fn is_major_place_key(&self, key: &str) -> bool {
        let gaz = &self.ex.gazetteer;
        gaz.names
            .get(key)
            .is_some_and(|h| gaz.kind(h.entry) != Some(PlaceKind::City))
    }

    /// Whether a place name rules out a person of that name: countries,
    /// divisions and regions always; cities when written with two or more
    /// words under their own name (`New York`). One-word city names are
    /// also common surnames (`Warren`, `Lincoln`) and the gazetteer carries
    /// many stray aliases, so a cue for a person wins over them.
    pub fn place_blocks_person(&self, key: &str, multi_word: bool) -> bool {
        let gaz = &self.ex.gazetteer;
        match gaz.names.get(key) {
            Some(h) if gaz.kind(h.entry) == Some(PlaceKind::City) => multi_word && h.named,
            Some(_) => true,
            None => false,
        }
    }

    /// Whether a key names a listed organisation in any spelling.
    pub fn is_org_key(&self, key: &str) -> bool {
        self.ex.names.builtin_orgs.get(key).is_some() || self.ex.names.orgs.get(key).is_some()
    }

    /// An all-capitals abbreviation usable as an organisation name: 2 to
    /// `max_letters` capitals, optionally with a short suffix (`ISIS-K`).
    pub fn acronym_like(&self, i: usize, max_letters: usize) -> bool {
        let t = match self.toks.get(i) {
            Some(t) => t,
            None => return false,
        };
        if t.shape != Shape::Upper || self.shouting(i) || self.ex.words.is_common_acronym(&t.norm) {
            return false;
        }
        let mut parts = t.text.split(['-', '\u{2010}', '\u{2011}']);
        let base = parts.next().unwrap_or("");
        let base_ok = base.chars().all(|c| c.is_uppercase() || c.is_ascii_digit())
            && (2..=max_letters).contains(&base.chars().filter(|c| c.is_alphabetic()).count())
            && base.chars().next().is_some_and(char::is_alphabetic);
        base_ok
            && parts.all(|p| {
                (1..=3).contains(&p.chars().count())
                    && p.chars().all(|c| c.is_uppercase() || c.is_ascii_digit())
            })
    }

    /// Start of the capitalised chunk (capitalised words joined by
    /// connectors) ending at token `end - 1`, leading function words removed.
    pub fn chunk_back(&self, end: usize) -> Option<usize> {
        let toks = &self.toks;
        let words = &self.ex.words;
        if end == 0 || !toks.get(end - 1)?.is_cap() {
            return None;
        }
        let mut k = end - 1;
        while k > 0 && end - k < MAX_CHUNK_TOKENS && joinable(toks, k) {
            let p = &toks[k - 1];
            if p.is_cap() {
                k -= 1;
            } else if p.shape == Shape::Lower
                && words.is_connector(&p.norm)
                && k >= 2
                && joinable(toks, k - 1)
                && toks[k - 2].is_cap()
            {
                k -= 2;
            } else {
                break;
            }
        }
        while k < end && (!toks[k].is_cap() || words.is_stop(&toks[k].norm)) {
            k += 1;
        }
        (k < end).then_some(k)
    }

    /// End of the capitalised chunk starting at token `start`; `and` joins
    /// words only when `allow_and`.
    pub fn chunk_forward(&self, start: usize, allow_and: bool) -> Option<usize> {
        let toks = &self.toks;
        let words = &self.ex.words;
        if !toks.get(start)?.is_cap() {
            return None;
        }
        let mut e = start + 1;
        while e < toks.len() && e - start < MAX_CHUNK_TOKENS && joinable(toks, e) {
            let t = &toks[e];
            if t.is_cap() {
                e += 1;
                continue;
            }
            let connector = t.shape == Shape::Lower
                && words.is_connector(&t.norm)
                && (allow_and || t.norm != "and");
            if connector && joinable(toks, e + 1) && toks[e + 1].is_cap() {
                e += 2;
                continue;
            }
            break;
        }
        // `Procter & Gamble`.
        while allow_and && e + 1 < toks.len() && spaced_ampersand(toks, e) {
            e = match self.chunk_forward(e + 1, false) {
                Some(end) => end,
                None => break,
            };
        }
        Some(e)
    }

    fn candidate(
        &self,
        kind: EntityKind,
        s: usize,
        e: usize,
        priority: u8,
        canonical: String,
    ) -> Candidate {
        let (start, end) = self.span(s, e);
        Candidate {
            kind,
            start,
            end,
            priority,
            canonical,
        }
    }
}

/// Whether token `i` is an ` & ` between capitalised words on one line.
fn spaced_ampersand(toks: &[Token<'_>], i: usize) -> bool {
    i > 0
        && toks[i].is_punct("&")
        && toks[i].space_before
        && !toks[i].newline_before
        && toks[i - 1].is_cap()
        && toks
            .get(i + 1)
            .is_some_and(|n| n.is_cap() && n.space_before && !n.newline_before)
}

/// Collapses whitespace runs to one space and trims.
pub(crate) fn collapse_ws(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The longest token sequence from `i` (at most `max_tokens`, on one line,
/// separated by whitespace only) whose key `lookup` accepts; the sequence
/// must start and end with a capitalised word (or start with any word when
/// `lower_start`). `lookup` also gets whether every token is all capitals.
pub(crate) fn longest_match<T>(
    toks: &[Token<'_>],
    i: usize,
    max_tokens: usize,
    lower_start: bool,
    mut lookup: impl FnMut(&str, bool) -> Option<T>,
) -> Option<(usize, T)> {
    let first = toks.get(i)?;
    if !first.is_word() || (!first.is_cap() && !lower_start) {
        return None;
    }
    let mut key = String::new();
    let mut upper = true;
    let mut best = None;
    let mut j = i;
    while j < toks.len() && j - i < max_tokens {
        if j > i && !joinable(toks, j) {
            break;
        }
        let t = &toks[j];
        if t.norm.is_empty() {
            break;
        }
        if !key.is_empty() {
            key.push(' ');
        }
        key.push_str(&t.norm);
        upper &= t.shape == Shape::Upper;
        if t.is_cap()
            && let Some(v) = lookup(&key, upper)
        {
            best = Some((j + 1, v));
        }
        j += 1;
    }
    best
}

/// Runs every rule on `text`.
pub(crate) fn extract(ex: &RuleExtractor, text: &str) -> Vec<Entity> {
    extract_with_priority(ex, text)
        .into_iter()
        .map(|(e, _)| e)
        .collect()
}

/// The entities with the priority of the rule that found each ([`priority`]).
pub(crate) fn extract_with_priority(ex: &RuleExtractor, text: &str) -> Vec<(Entity, u8)> {
    let ctx = Ctx::new(ex, text);
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
        if !t.is_cap() {
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
        if !toks[i].is_cap() || ctx.shouting(i) {
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
