//! The shared ground of the extraction rules: one article's tokens and facts
//! ([`Ctx`]), the spans rules propose ([`Candidate`]) and their priorities.

use std::collections::HashSet;

use super::EntityKind;
use super::RuleExtractor;
use super::gazetteer::{Hit, PlaceKind};
use super::tagger::hash::FxBuild;
use super::token::{Shape, Token, joinable, tokenize};

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

/// The longest capitalised chunk, in tokens, an organisation rule looks at.
pub(crate) const MAX_CHUNK_TOKENS: usize = 12;

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
    lowercase: HashSet<&'a str, FxBuild>,
    /// Where another extractor found names: per token, how many tokens before
    /// it lie inside one of its spans; with the lowest priority whose
    /// candidates stand on their own.
    focus: Option<(Vec<u32>, u8)>,
}

impl<'a> Ctx<'a> {
    pub fn new(ex: &'a RuleExtractor, text: &'a str) -> Ctx<'a> {
        Ctx::with_tokens(ex, text, tokenize(text))
    }

    /// The article `text` with its tokens, as [`tokenize`] gives them.
    pub fn with_tokens(ex: &'a RuleExtractor, text: &'a str, toks: Vec<Token<'a>>) -> Ctx<'a> {
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
            focus: None,
        }
    }

    /// The rules then look for candidates below priority `standalone` only
    /// around `spans` (sorted by start), since elsewhere nothing uses them.
    pub fn focused_on(mut self, spans: &[super::Entity], standalone: u8) -> Ctx<'a> {
        let mut inside = Vec::with_capacity(self.toks.len() + 1);
        inside.push(0u32);
        let mut from = 0;
        let mut count = 0;
        for t in &self.toks {
            while spans.get(from).is_some_and(|s| s.end <= t.start) {
                from += 1;
            }
            let covered = spans[from..]
                .iter()
                .take_while(|s| s.start < t.end)
                .any(|s| s.end > t.start);
            count += u32::from(covered);
            inside.push(count);
        }
        self.focus = Some((inside, standalone));
        self
    }

    /// Whether a candidate of `priority` found from tokens `s..e` can matter:
    /// it stands on its own, or one of those tokens is in focus.
    pub fn in_focus(&self, s: usize, e: usize, priority: u8) -> bool {
        match &self.focus {
            None => true,
            Some((_, standalone)) if priority >= *standalone => true,
            Some((inside, _)) => {
                let last = inside.len() - 1;
                inside[e.min(last)] > inside[s.min(last)]
            }
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

    pub fn candidate(
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
