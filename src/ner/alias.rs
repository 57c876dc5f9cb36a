//! Names that refer to the same entity within one article: acronyms defined
//! in the text, other mentions of a person, and the canonical name each
//! mention gets.
//!
//! - `Long Capitalised Name (ACR)`: canonical the long name, `ACR` an alias.
//! - `ACR, also known as X or Y`: canonical `ACR`, `X` and `Y` aliases.
//! - `... stands for Long Name`: joins the acronym it spells out.
//! - A person's full name, or its surname (with particles: `Van Ginkel`),
//!   elsewhere in the article is the same person, canonical the full name.
//! - An acronym whose letters are the initials of exactly one organisation
//!   named in the article takes that name as canonical.

use std::collections::{HashMap, HashSet};

use super::EntityKind;
use super::context::{Candidate, Ctx, collapse_ws, longest_match, priority};
use super::normalize::normalize;
use super::token::{Shape, Token, joinable};

/// How far back (in tokens) `the name stands for` looks for its acronym.
const STANDS_FOR_LOOKBACK: usize = 80;

/// One definition found in the text: names of one entity.
#[derive(Debug)]
struct Definition {
    /// Token ranges of the names defined together.
    members: Vec<(usize, usize)>,
    /// The member the definition presents as the main name, if any.
    preferred: Option<usize>,
    /// Canonical place name when the long name is a gazetteer place.
    place: Option<String>,
}

/// Mentions of names defined in the article (`ISIS-K, also known as ISKP or
/// ISPK`; `Long Name (ACR)`; `ACR stands for Long Name`), with the
/// canonical name of each group of names.
pub(crate) fn defined_names(ctx: &Ctx<'_>) -> Vec<Candidate> {
    let defs = definitions(ctx);
    if defs.is_empty() {
        return Vec::new();
    }
    // Group definitions sharing a name.
    let keys: Vec<Vec<String>> = defs
        .iter()
        .map(|d| d.members.iter().map(|&(s, e)| ctx.key(s, e)).collect())
        .collect();
    let mut group: Vec<usize> = (0..defs.len()).collect();
    for a in 0..defs.len() {
        for b in 0..a {
            if keys[a].iter().any(|k| keys[b].contains(k)) {
                let (ga, gb) = (group[a], group[b]);
                for g in group.iter_mut() {
                    if *g == ga {
                        *g = gb;
                    }
                }
            }
        }
    }
    // Every name of a group, keyed; all-capitals names match only all-capitals text.
    let mut member_group: HashMap<String, (usize, bool)> = HashMap::new();
    let mut max_tokens = 1;
    for (d, def) in defs.iter().enumerate() {
        for (m, &(s, e)) in def.members.iter().enumerate() {
            let upper = ctx.all_upper(s, e);
            member_group
                .entry(keys[d][m].clone())
                .or_insert((group[d], upper));
            max_tokens = max_tokens.max(e - s);
        }
    }
    // Mentions.
    let toks = &ctx.toks;
    let mut mentions: Vec<(usize, usize, usize)> = Vec::new();
    let mut i = 0;
    while i < toks.len() {
        let m = longest_match(toks, i, max_tokens, false, |key, upper| {
            member_group
                .get(key)
                .filter(|&&(_, caps)| upper || !caps)
                .map(|&(g, _)| g)
        });
        match m {
            Some((e, g)) if !ctx.shouting(i) => {
                mentions.push((i, e, g));
                i = e;
            }
            _ => i += 1,
        }
    }
    // Canonical per group: the earliest preferred name, else the most
    // mentioned name (earliest on a tie); a place keeps its gazetteer name.
    let mut canonical: HashMap<usize, (EntityKind, String)> = HashMap::new();
    for d in 0..defs.len() {
        let g = group[d];
        if canonical.contains_key(&g) {
            continue;
        }
        let members: Vec<usize> = (0..defs.len()).filter(|&x| group[x] == g).collect();
        if let Some(place) = members.iter().find_map(|&x| defs[x].place.clone()) {
            canonical.insert(g, (EntityKind::Place, place));
            continue;
        }
        let preferred = members.iter().find_map(|&x| {
            defs[x]
                .preferred
                .map(|p| ctx.surface(defs[x].members[p].0, defs[x].members[p].1))
        });
        let name = preferred.unwrap_or_else(|| most_mentioned(ctx, &mentions, g));
        canonical.insert(g, (EntityKind::Organization, name));
    }
    mentions
        .into_iter()
        .filter_map(|(s, e, g)| {
            let (kind, name) = canonical.get(&g)?;
            let (start, end) = ctx.span(s, e);
            Some(Candidate {
                kind: *kind,
                start,
                end,
                priority: priority::DEFINED,
                canonical: name.clone(),
            })
        })
        .collect()
}

/// The most frequent mention surface of group `g`, the earliest on a tie.
fn most_mentioned(ctx: &Ctx<'_>, mentions: &[(usize, usize, usize)], g: usize) -> String {
    let mut counts: Vec<(String, usize)> = Vec::new();
    for &(s, e, _) in mentions.iter().filter(|m| m.2 == g) {
        let name = ctx.surface(s, e);
        match counts.iter_mut().find(|(n, _)| *n == name) {
            Some((_, c)) => *c += 1,
            None => counts.push((name, 1)),
        }
    }
    let mut best: Option<&(String, usize)> = None;
    for c in &counts {
        if best.is_none_or(|b| c.1 > b.1) {
            best = Some(c);
        }
    }
    best.map(|b| b.0.clone()).unwrap_or_default()
}

/// Finds the definitions in the article.
fn definitions(ctx: &Ctx<'_>) -> Vec<Definition> {
    let toks = &ctx.toks;
    let mut defs = Vec::new();
    for (i, t) in toks.iter().enumerate() {
        let k = t.norm.as_str();
        if t.is_punct("(") {
            defs.extend(parenthesised(ctx, i));
        } else if k == "also" || k == "aka" {
            defs.extend(also_known_as(ctx, i));
        } else if matches!(k, "stands" | "stood") {
            defs.extend(stands_for(ctx, i));
        }
    }
    defs
}

/// The gazetteer name of tokens `s..e`, when they name a place.
fn place_canonical(ctx: &Ctx<'_>, s: usize, e: usize) -> Option<String> {
    ctx.place_hit(s, e)
        .map(|h| ctx.ex.gazetteer.names.canonical(h.entry).to_string())
}

/// `Long Capitalised Name (ACR)`.
fn parenthesised(ctx: &Ctx<'_>, i: usize) -> Option<Definition> {
    let toks = &ctx.toks;
    if i == 0 || !ctx.acronym_like(i + 1, 8) || !toks.get(i + 2)?.is_punct(")") {
        return None;
    }
    let a = ctx.chunk_back(i)?;
    let acronym = toks[i + 1].text;
    let words = &ctx.ex.words;
    let start = (a..i)
        .filter(|&s| toks[s].is_cap() && !words.is_stop(&toks[s].norm))
        .find(|&s| initials_match(acronym, &toks[s..i], ctx))
        .or_else(|| {
            // A foreign acronym of an organisation name (`Federal Security Service (FSB)`).
            let has_head = (a..i).any(|p| toks[p].is_cap() && words.is_org_head(&toks[p].norm));
            (has_head && i - a >= 2).then_some(a)
        })?;
    let place = place_canonical(ctx, start, i);
    Some(Definition {
        members: vec![(start, i), (i + 1, i + 2)],
        preferred: Some(0),
        place,
    })
}

/// `X, also known as Y or Z` / `X, also called Y` / `X aka Y`.
fn also_known_as(ctx: &Ctx<'_>, i: usize) -> Option<Definition> {
    let toks = &ctx.toks;
    let norm = |j: usize| toks.get(j).map_or("", |t| t.norm.as_str());
    let first = if norm(i) == "aka" {
        i + 1
    } else if norm(i + 1) == "known" && norm(i + 2) == "as" {
        i + 3
    } else if norm(i + 1) == "called" {
        i + 2
    } else {
        return None;
    };
    // The subject, before an optional comma.
    let mut subj_end = i;
    if subj_end > 0 && toks[subj_end - 1].is_punct(",") {
        subj_end -= 1;
    }
    if subj_end == 0 {
        return None;
    }
    let subj_start = if ctx.acronym_like(subj_end - 1, 8) {
        subj_end - 1
    } else {
        ctx.chunk_back(subj_end)?
    };
    let mut members = vec![(subj_start, subj_end)];
    // The aliases: names separated by commas, `or`, `and`.
    let mut j = first;
    while j < toks.len() && (j == first || toks[j].space_before || toks[j].is_punct(",")) {
        let e = if ctx.acronym_like(j, 8) {
            j + 1
        } else if toks[j].is_cap() {
            match ctx.chunk_forward(j, false) {
                Some(e) => e,
                None => break,
            }
        } else {
            break;
        };
        members.push((j, e));
        j = e;
        if j < toks.len() && (toks[j].is_punct(",") || matches!(norm(j), "or" | "and")) {
            j += 1;
        } else {
            break;
        }
    }
    let any_acronym = members
        .iter()
        .any(|&(s, e)| e - s == 1 && ctx.acronym_like(s, 8));
    let any_place = members.iter().any(|&(s, e)| ctx.place_hit(s, e).is_some());
    if members.len() < 2 || !any_acronym || any_place {
        return None;
    }
    Some(Definition {
        members,
        preferred: Some(0),
        place: None,
    })
}

/// `ACR stands for Long Name` / `The name stands for Long Name`.
fn stands_for(ctx: &Ctx<'_>, i: usize) -> Option<Definition> {
    let toks = &ctx.toks;
    if toks.get(i + 1)?.norm != "for" || !joinable(toks, i + 1) {
        return None;
    }
    let mut s = i + 2;
    if toks.get(s)?.norm == "the" && toks[s].shape == Shape::Lower {
        s += 1;
    }
    if !joinable(toks, s) {
        return None;
    }
    let e = ctx.chunk_forward(s, true)?;
    let acronym = if i > 0 && joinable(toks, i) && ctx.acronym_like(i - 1, 8) {
        i - 1
    } else {
        let paragraph = toks[i].paragraph;
        (i.saturating_sub(STANDS_FOR_LOOKBACK)..i)
            .rev()
            .take_while(|&j| toks[j].paragraph == paragraph)
            .find(|&j| ctx.acronym_like(j, 8) && initials_match(toks[j].text, &toks[s..e], ctx))?
    };
    let place = place_canonical(ctx, s, e);
    Some(Definition {
        members: vec![(acronym, acronym + 1), (s, e)],
        preferred: None,
        place,
    })
}

/// Whether the letters of `acronym` are the initials of `words`.
/// Capitalised words must give their initial (a hyphenated word may give the
/// initial of each part); lowercase connectors and function words may.
pub(crate) fn initials_match(acronym: &str, words: &[Token<'_>], ctx: &Ctx<'_>) -> bool {
    let letters: Vec<char> = acronym
        .chars()
        .filter(|c| c.is_alphabetic())
        .flat_map(char::to_uppercase)
        .collect();
    let mut parts: Vec<(Vec<char>, bool)> = Vec::new();
    for t in words.iter().filter(|t| t.is_word()) {
        let initials: Vec<char> = t
            .text
            .split(['-', '\u{2010}', '\u{2011}'])
            .filter_map(|p| p.chars().find(|c| c.is_alphanumeric()))
            .flat_map(char::to_uppercase)
            .collect();
        if initials.is_empty() {
            return false;
        }
        let optional = !t.is_cap() || ctx.ex.words.is_stop(&t.norm);
        parts.push((initials, optional));
    }
    if parts.len() > 12 || letters.len() < 2 {
        return false;
    }
    fn go(parts: &[(Vec<char>, bool)], letters: &[char]) -> bool {
        let Some(((initials, optional), rest)) = parts.split_first() else {
            return letters.is_empty();
        };
        (*optional && go(rest, letters))
            || (letters.first() == initials.first() && go(rest, &letters[1..]))
            || (initials.len() > 1
                && letters.starts_with(initials)
                && go(rest, &letters[initials.len()..]))
    }
    go(&parts, &letters)
}

/// The keys of the shorter forms of a full person name: every word suffix
/// that does not begin right after a particle (`Bibi van Ginkel` gives
/// `van ginkel`, not `ginkel`). Empty for a one-word name or one starting
/// with a particle.
fn surname_keys(name: &str, ctx: &Ctx<'_>) -> Vec<String> {
    let words: Vec<&str> = name.split_whitespace().collect();
    let particle = |w: &str| ctx.ex.words.is_particle(&normalize(w));
    let mut keys = Vec::new();
    if words.len() < 2 || particle(words[0]) {
        return keys;
    }
    for k in 1..words.len() {
        if !particle(words[k - 1]) && words[k..].iter().any(|w| !particle(w)) {
            keys.push(normalize(&words[k..].join(" ")));
        }
    }
    keys
}

/// Whether a person key may be used to find other mentions: not a place,
/// organisation or ordinary word.
fn usable_person_key(ctx: &Ctx<'_>, key: &str, taken: &HashSet<String>) -> bool {
    let words = &ctx.ex.words;
    !key.is_empty()
        && !ctx.place_blocks_person(key, key.contains(' '))
        && !ctx.is_org_key(key)
        && !taken.contains(key)
        && !words.is_stop(key)
        && !words.is_non_name(key)
        && !words.is_title(key)
        && !words.is_calendar(key)
}

/// Other mentions of the people found: their full names and surnames.
pub(crate) fn propagate_persons(ctx: &Ctx<'_>, accepted: &[Candidate]) -> Vec<Candidate> {
    // Names already taken by organisations, and by places that rule out a
    // person (a one-word city does not: `Mark Carney ... Carney said`).
    let mut taken: HashSet<String> = HashSet::new();
    for c in accepted.iter().filter(|c| c.kind != EntityKind::Person) {
        let surface = normalize(ctx.text.get(c.start..c.end).unwrap_or(""));
        if c.kind == EntityKind::Place && !ctx.place_blocks_person(&surface, surface.contains(' '))
        {
            continue;
        }
        taken.insert(normalize(&c.canonical));
        taken.insert(surface);
    }
    let mut keys: HashSet<String> = HashSet::new();
    let mut max_tokens = 1;
    for c in accepted.iter().filter(|c| c.kind == EntityKind::Person) {
        let surface = collapse_ws(ctx.text.get(c.start..c.end).unwrap_or(""));
        let mut all = surname_keys(&surface, ctx);
        all.push(normalize(&surface));
        for key in all {
            if usable_person_key(ctx, &key, &taken) {
                max_tokens = max_tokens.max(key.split(' ').count());
                keys.insert(key);
            }
        }
    }
    if keys.is_empty() {
        return Vec::new();
    }
    let toks = &ctx.toks;
    let words = &ctx.ex.words;
    let mut out = Vec::new();
    let mut i = 0;
    while i < toks.len() {
        let t = &toks[i];
        let start_ok =
            t.shape == Shape::Title || (t.shape == Shape::Lower && words.is_particle(&t.norm));
        let m = if start_ok {
            longest_match(toks, i, max_tokens, true, |key, _| {
                keys.contains(key).then_some(())
            })
        } else {
            None
        };
        match m {
            Some((e, ())) if toks[e - 1].shape == Shape::Title => {
                let (start, end) = ctx.span(i, e);
                out.push(Candidate {
                    kind: EntityKind::Person,
                    start,
                    end,
                    priority: priority::PERSON_PROPAGATED,
                    canonical: ctx.surface(i, e),
                });
                i = e;
            }
            _ => i += 1,
        }
    }
    out
}

/// Gives every accepted mention its article-wide canonical name.
pub(crate) fn merge_canonicals(ctx: &Ctx<'_>, accepted: &mut [Candidate]) {
    merge_persons(ctx, accepted);
    merge_acronyms(ctx, accepted);
    // One spelling per key and kind: the first mention's.
    let mut first: HashMap<(EntityKind, String), String> = HashMap::new();
    for c in accepted.iter_mut() {
        let key = (c.kind, normalize(&c.canonical));
        match first.get(&key) {
            Some(name) => c.canonical = name.clone(),
            None => {
                first.insert(key, c.canonical.clone());
            }
        }
    }
}

/// Surname-only and repeated mentions of a person take the full name.
fn merge_persons(ctx: &Ctx<'_>, accepted: &mut [Candidate]) {
    // Full names: two or more words, not starting with a particle.
    let mut full: HashMap<String, Option<String>> = HashMap::new();
    for c in accepted.iter().filter(|c| c.kind == EntityKind::Person) {
        let name = collapse_ws(&c.canonical);
        let variants = surname_keys(&name, ctx);
        if variants.is_empty() {
            continue;
        }
        let own = normalize(&name);
        if matches!(full.get(&own), Some(Some(_))) {
            continue;
        }
        full.insert(own.clone(), Some(name.clone()));
        for v in variants {
            let slot = full.entry(v).or_insert_with(|| Some(name.clone()));
            if slot.as_ref().is_some_and(|n| normalize(n) != own) {
                *slot = None; // two people share this surname
            }
        }
    }
    for c in accepted.iter_mut().filter(|c| c.kind == EntityKind::Person) {
        if let Some(Some(name)) = full.get(&normalize(&c.canonical)) {
            c.canonical = name.clone();
        }
    }
}

/// An acronym without a definition takes the one organisation name in the
/// article whose initials it spells (`IS` → `Islamic State`).
fn merge_acronyms(ctx: &Ctx<'_>, accepted: &mut [Candidate]) {
    let long: Vec<String> = {
        let mut seen = HashSet::new();
        accepted
            .iter()
            .filter(|c| c.kind == EntityKind::Organization && c.canonical.contains(' '))
            .filter(|c| seen.insert(normalize(&c.canonical)))
            .map(|c| c.canonical.clone())
            .collect()
    };
    if long.is_empty() {
        return;
    }
    let mut resolved: HashMap<String, Option<String>> = HashMap::new();
    for c in accepted
        .iter_mut()
        .filter(|c| c.kind == EntityKind::Organization)
    {
        let surface = ctx.text.get(c.start..c.end).unwrap_or("");
        let defined = c.priority == priority::DEFINED;
        if defined || c.canonical != surface || surface.contains(char::is_whitespace) {
            continue;
        }
        if !matches!(super::token::shape_of(surface), Shape::Upper) {
            continue;
        }
        let target = resolved.entry(surface.to_string()).or_insert_with(|| {
            let matches: Vec<&String> = long
                .iter()
                .filter(|name| {
                    let toks = super::token::tokenize(name);
                    initials_match(surface, &toks, ctx)
                        && toks.iter().filter(|t| t.is_cap()).count() >= 2
                })
                .collect();
            match matches.as_slice() {
                [one] => Some((*one).clone()),
                _ => None,
            }
        });
        if let Some(name) = target {
            c.canonical = name.clone();
        }
    }
}
