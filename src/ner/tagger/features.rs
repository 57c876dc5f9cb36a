//! Token features as ids. Each distinct word in a document is analysed once into a
//! [`WordInfo`] (its own feature ids and the ids it contributes as a neighbour), so
//! per-token work is mostly copying ids; position features (bigrams, shape
//! trigrams, sentence start, headlines, gazetteer spans) and the document-level
//! features of the second pass are added per token.

use std::sync::{Arc, RwLock};

use super::clusters::Clusters;
use super::gazetteer::{self, Gazetteer};
use super::hash::{FxMap, key_nums, key_str};
use super::tag::{NUM_LABELS, Tag};

/// Feature-key templates.
mod tpl {
    pub const BIAS: u64 = 1;
    pub const WORD: u64 = 2;
    pub const LOWER: u64 = 3;
    pub const SHAPE: u64 = 4;
    pub const SHORT: u64 = 5;
    pub const PREFIX: u64 = 6;
    pub const SUFFIX: u64 = 7;
    pub const CLUSTER: u64 = 8;
    pub const NO_CLUSTER: u64 = 9;
    pub const CTX_LOWER: u64 = 10;
    pub const CTX_SHORT: u64 = 11;
    pub const CTX_CLUSTER: u64 = 12;
    pub const BIGRAM_L: u64 = 13;
    pub const BIGRAM_R: u64 = 14;
    pub const SHAPE3: u64 = 15;
    pub const INITIAL: u64 = 16;
    pub const HEADLINE: u64 = 17;
    pub const HEADLINE_LOWER: u64 = 18;
    pub const GAZ: u64 = 19;
    pub const PRED: u64 = 20;
    pub const DOC_MAJ: u64 = 21;
    pub const DOC_HAS: u64 = 22;
    pub const DOC_MAJ_LOWER: u64 = 23;
    pub const IN_LONGER: u64 = 24;
    pub const LEN: u64 = 25;
    pub const CTX_WORD: u64 = 26;
    pub const GAZ_CTX: u64 = 27;
    pub const CAP_LOWER_SEEN: u64 = 28;
    pub const CAP_RATIO: u64 = 29;
    pub const AGG: u64 = 30;
    pub const VEC: u64 = 31;
    pub const NO_VEC: u64 = 32;
    pub const CTX_VEC: u64 = 33;
}

/// Cluster path prefix lengths used for a word and for its neighbours.
const OWN_PREFIXES: [u8; 5] = [4, 6, 10, 14, 32];
const CTX_PREFIXES: [u8; 2] = [6, 12];
/// Word-vector class prefix lengths used for a word and for its neighbours.
const VEC_PREFIXES: [u8; 4] = [4, 8, 12, 16];
const VEC_CTX_PREFIXES: [u8; 2] = [6, 10];
/// Neighbour offsets, in the order of [`WordInfo::ctx`].
const OFFSETS: [isize; 4] = [-2, -1, 1, 2];

/// Maps feature keys to ids: growing while training, fixed when tagging.
pub trait Space {
    fn id(&mut self, key: u64) -> Option<u32>;
}

/// The training-time dictionary: unseen keys get new ids.
#[cfg(feature = "train")]
#[derive(Debug, Default)]
pub struct Growing {
    pub map: FxMap<u64, u32>,
    pub keys: Vec<u64>,
}

#[cfg(feature = "train")]
impl Space for Growing {
    fn id(&mut self, key: u64) -> Option<u32> {
        let next = self.keys.len() as u32;
        let id = *self.map.entry(key).or_insert(next);
        if id == next {
            self.keys.push(key);
        }
        Some(id)
    }
}

/// The tagging-time dictionary: unseen keys have no id.
pub struct Frozen<'a>(pub &'a FxMap<u64, u32>);

impl Space for Frozen<'_> {
    fn id(&mut self, key: u64) -> Option<u32> {
        self.0.get(&key).copied()
    }
}

/// The lookup tables features read.
#[derive(Clone, Copy)]
pub struct Resources<'a> {
    pub clusters: &'a Clusters,
    /// Classes of word vectors learnt from a large corpus (may be empty).
    pub vectors: &'a Clusters,
    pub gazetteer: &'a Gazetteer,
}

/// What is known about one distinct word.
#[derive(Debug, Clone)]
pub struct WordInfo {
    /// Features of the word itself.
    pub own: Box<[u32]>,
    /// Features the word contributes at offsets -2, -1, +1, +2.
    pub ctx: [Box<[u32]>; 4],
    pub exact_key: u64,
    pub lower_key: u64,
    pub short_key: u64,
    pub gaz: Option<u32>,
    /// First character uppercase.
    pub cap: bool,
    /// Has a letter and no lowercase letter.
    pub all_caps: bool,
    pub has_upper: bool,
    pub has_alpha: bool,
    /// When tagging: per pass, the label scores of `own` and then of `ctx` at each
    /// offset, summed once so a token's emission is a handful of row additions.
    /// `own` and `ctx` are then emptied. Empty when training.
    pub scores: Box<[[f32; NUM_LABELS]]>,
}

/// Rows of scores per pass in [`WordInfo::scores`]: the word's own, then one per offset.
const ROWS_PER_PASS: usize = 1 + OFFSETS.len();

#[inline]
fn add(acc: &mut [f32; NUM_LABELS], row: &[f32; NUM_LABELS]) {
    for (a, b) in acc.iter_mut().zip(row) {
        *a += b;
    }
}

/// A word's feature ids summed into label scores under each pass's weights.
fn word_scores(own: &[u32], ctx: &[Vec<u32>; 4], passes: &[&[f32]]) -> Box<[[f32; NUM_LABELS]]> {
    let mut scores = Vec::with_capacity(passes.len() * ROWS_PER_PASS);
    for w in passes {
        let mut row = [0f32; NUM_LABELS];
        add_rows(&mut row, w, own);
        scores.push(row);
        for c in ctx {
            let mut row = [0f32; NUM_LABELS];
            add_rows(&mut row, w, c);
            scores.push(row);
        }
    }
    scores.into_boxed_slice()
}

/// Emission scores of sentence `s` of a document extracted with scored words
/// ([`extract_doc`] given weights): each token's own row, its neighbours' context
/// rows for pass `pass`, its position features and the `extra` features, all under
/// the weights `w` of that pass.
pub fn scored_emissions(
    w: &[f32],
    pass: usize,
    doc: &DocBase,
    s: usize,
    extra: Option<&SentFeats>,
    out: &mut Vec<[f32; NUM_LABELS]>,
) {
    out.clear();
    let (Some(types), Some(pos)) = (doc.types.get(s), doc.sents.get(s)) else {
        return;
    };
    let n = types.len();
    let row = |t: u32, r: usize| -> Option<&[f32; NUM_LABELS]> {
        doc.words
            .get(t as usize)
            .and_then(|w| w.scores.get(pass * ROWS_PER_PASS + r))
    };
    for i in 0..n {
        let mut acc = [0f32; NUM_LABELS];
        if let Some(r) = row(types[i], 0) {
            add(&mut acc, r);
        }
        for (k, off) in OFFSETS.iter().enumerate() {
            let j = i as isize + off;
            if j >= 0
                && (j as usize) < n
                && let Some(r) = row(types[j as usize], 1 + k)
            {
                add(&mut acc, r);
            }
        }
        if i < pos.len() {
            add_rows(&mut acc, w, pos.token(i));
        }
        if let Some(e) = extra
            && i < e.len()
        {
            add_rows(&mut acc, w, e.token(i));
        }
        out.push(acc);
    }
}

/// The features of one sentence: ids of token `i` are `feats[starts[i]..starts[i+1]]`.
#[derive(Debug, Clone, Default)]
pub struct SentFeats {
    pub feats: Vec<u32>,
    pub starts: Vec<u32>,
}

impl SentFeats {
    pub fn len(&self) -> usize {
        self.starts.len().saturating_sub(1)
    }
    /// A copy without the features marked `false` in `keep` (ids past its end are kept).
    #[cfg(feature = "train")]
    pub fn filtered(&self, keep: &[bool]) -> SentFeats {
        let mut out = SentFeats {
            feats: Vec::with_capacity(self.feats.len()),
            starts: vec![0],
        };
        for i in 0..self.len() {
            out.feats.extend(
                self.token(i)
                    .iter()
                    .filter(|f| keep.get(**f as usize).copied().unwrap_or(true)),
            );
            out.starts.push(out.feats.len() as u32);
        }
        out
    }

    /// The feature ids of token `i`.
    pub fn token(&self, i: usize) -> &[u32] {
        &self.feats[self.starts[i] as usize..self.starts[i + 1] as usize]
    }
}

/// The first-pass features of a document and what the second pass needs.
#[derive(Debug, Clone, Default)]
pub struct DocBase {
    pub sents: Vec<SentFeats>,
    /// Per sentence, per token: the index of its word in `words`.
    pub types: Vec<Vec<u32>>,
    pub words: Vec<Arc<WordInfo>>,
    pub headline: Vec<bool>,
}

fn push(space: &mut impl Space, out: &mut Vec<u32>, key: u64) {
    if let Some(id) = space.id(key) {
        out.push(id);
    }
}

/// Writes the shape of `w` (X, x, d, other characters kept) into `full` (runs cut
/// at 4) and `short` (runs collapsed).
fn shapes(w: &str, full: &mut String, short: &mut String) {
    full.clear();
    short.clear();
    let mut last = '\0';
    let mut run = 0;
    for c in w.chars() {
        let s = if c.is_uppercase() {
            'X'
        } else if c.is_lowercase() {
            'x'
        } else if c.is_ascii_digit() {
            'd'
        } else if c.is_alphabetic() {
            'a'
        } else {
            c
        };
        if s == last {
            run += 1;
        } else {
            run = 1;
            short.push(s);
        }
        if run <= 4 {
            full.push(s);
        }
        last = s;
    }
}

/// Analyses one word. With `passes` (when tagging) its features are kept only as
/// summed scores ([`WordInfo::scores`]); without, as ids.
pub fn word_info(
    res: Resources<'_>,
    space: &mut impl Space,
    w: &str,
    passes: &[&[f32]],
) -> WordInfo {
    // ASCII without capitals is its own lowercase; anything else is lowercased.
    let lower: std::borrow::Cow<'_, str> =
        if w.bytes().all(|b| b.is_ascii() && !b.is_ascii_uppercase()) {
            w.into()
        } else {
            w.to_lowercase().into()
        };
    let mut full = String::new();
    let mut short = String::new();
    shapes(w, &mut full, &mut short);
    let mut own = Vec::with_capacity(32);
    push(space, &mut own, key_str(tpl::WORD, w));
    let lower_key = key_str(tpl::LOWER, &lower);
    push(space, &mut own, lower_key);
    push(space, &mut own, key_str(tpl::SHAPE, &full));
    let short_key = key_str(tpl::SHORT, &short);
    push(space, &mut own, short_key);
    let nchars = lower.chars().count();
    push(
        space,
        &mut own,
        key_nums(tpl::LEN, nchars.min(12) as u64, 0, 0),
    );
    for n in 1..=4usize {
        if nchars > n {
            let pre = lower.char_indices().nth(n).map_or(lower.len(), |(i, _)| i);
            let suf = lower.char_indices().rev().nth(n - 1).map_or(0, |(i, _)| i);
            push(
                space,
                &mut own,
                key_str(tpl::PREFIX + 100 * n as u64, &lower[..pre]),
            );
            push(
                space,
                &mut own,
                key_str(tpl::SUFFIX + 100 * n as u64, &lower[suf..]),
            );
        }
    }
    let exact_path = res.clusters.find(w);
    let lower_path = if lower != w {
        res.clusters.find(&lower)
    } else {
        exact_path
    };
    let path = exact_path.or(lower_path);
    match path {
        Some(p) => {
            for n in OWN_PREFIXES {
                push(
                    space,
                    &mut own,
                    key_nums(tpl::CLUSTER, Clusters::prefix(p, n), 0, 0),
                );
            }
        }
        None => push(space, &mut own, key_nums(tpl::NO_CLUSTER, 0, 0, 0)),
    }
    // The word's vector class: exact form, lowercase, then capitalised.
    let vec_path = if res.vectors.is_empty() {
        None
    } else {
        res.vectors
            .find(w)
            .or_else(|| res.vectors.find(&lower))
            .or_else(|| res.vectors.find(&super::text::capitalised(&lower)))
    };
    if !res.vectors.is_empty() {
        match vec_path {
            Some(p) => {
                for n in VEC_PREFIXES {
                    push(
                        space,
                        &mut own,
                        key_nums(tpl::VEC, Clusters::prefix(p, n), 0, 0),
                    );
                }
            }
            None => push(space, &mut own, key_nums(tpl::NO_VEC, 0, 0, 0)),
        }
    }
    let has_upper = w.chars().any(char::is_uppercase);
    let cap = w.chars().next().is_some_and(char::is_uppercase);
    // A capitalised word whose lowercase form is a known (clustered) word.
    if cap && w != lower && lower_path.is_some() {
        push(space, &mut own, key_nums(tpl::CAP_LOWER_SEEN, 0, 0, 0));
    }
    match res.clusters.cap_tenths(&lower) {
        Some(t) => {
            push(
                space,
                &mut own,
                key_nums(tpl::CAP_RATIO, u64::from(t), u64::from(cap), 0),
            );
            push(
                space,
                &mut own,
                key_nums(tpl::CAP_RATIO, u64::from(t), 2, 0),
            );
        }
        None => push(
            space,
            &mut own,
            key_nums(tpl::CAP_RATIO, 99, u64::from(cap), 0),
        ),
    }
    let mut ctx: [Vec<u32>; 4] = Default::default();
    for (k, off) in OFFSETS.iter().enumerate() {
        let o = *off as u64;
        let c = &mut ctx[k];
        push(space, c, key_nums(tpl::CTX_LOWER, lower_key, o, 0));
        push(space, c, key_nums(tpl::CTX_SHORT, short_key, o, 0));
        if off.abs() == 1 {
            push(
                space,
                c,
                key_nums(tpl::CTX_WORD, key_str(tpl::WORD, w), o, 0),
            );
        }
        match path {
            Some(p) => {
                for n in CTX_PREFIXES {
                    push(
                        space,
                        c,
                        key_nums(tpl::CTX_CLUSTER, Clusters::prefix(p, n), o, 0),
                    );
                }
            }
            None => push(space, c, key_nums(tpl::CTX_CLUSTER, u64::MAX, o, 0)),
        }
        if off.abs() == 1
            && let Some(p) = vec_path
        {
            for n in VEC_CTX_PREFIXES {
                push(
                    space,
                    c,
                    key_nums(tpl::CTX_VEC, Clusters::prefix(p, n), o, 0),
                );
            }
        }
    }
    let has_alpha = w.chars().any(char::is_alphabetic);
    let (own, ctx, scores) = if passes.is_empty() {
        (
            own.into_boxed_slice(),
            ctx.map(Vec::into_boxed_slice),
            Box::default(),
        )
    } else {
        let scores = word_scores(&own, &ctx, passes);
        (Box::default(), Default::default(), scores)
    };
    WordInfo {
        own,
        ctx,
        exact_key: key_str(tpl::WORD, w),
        lower_key,
        short_key,
        gaz: res.gazetteer.word(&lower),
        cap,
        all_caps: has_alpha && !w.chars().any(char::is_lowercase),
        has_upper,
        has_alpha,
        scores,
    }
}

const BOUNDARY: u64 = 0x00b0_0b0b;

/// A cache of analysed words shared by every document a model tags, so each word
/// is analysed once. It stops growing at `capacity` words.
#[derive(Debug, Default)]
pub struct WordCache {
    map: RwLock<FxMap<Box<str>, Arc<WordInfo>>>,
    capacity: usize,
}

impl WordCache {
    pub fn new(capacity: usize) -> WordCache {
        WordCache {
            map: RwLock::new(FxMap::default()),
            capacity,
        }
    }
}

/// Extracts first-pass features for a document, reusing and filling `cache` if given.
///
/// With `passes` (the weights of each pass, when tagging) every word is scored
/// once ([`WordInfo::scores`]) and the sentences hold only the position features;
/// emissions then come from [`scored_emissions`]. Without, the sentences hold
/// every feature id, as training needs. A cache must always be used with the
/// same `passes`.
pub fn extract_doc<S: AsRef<str>>(
    res: Resources<'_>,
    space: &mut impl Space,
    sentences: &[Vec<S>],
    cache: Option<&WordCache>,
    passes: &[&[f32]],
) -> DocBase {
    let tokens: usize = sentences.iter().map(Vec::len).sum();
    let mut index: FxMap<&str, u32> =
        FxMap::with_capacity_and_hasher(tokens / 2, Default::default());
    let mut doc = DocBase::default();
    let mut fresh: Vec<(u32, &str)> = Vec::new();
    let shared = cache.and_then(|c| c.map.read().ok());
    for s in sentences {
        let types: Vec<u32> = s
            .iter()
            .map(|t| {
                let t = t.as_ref();
                match index.get(t) {
                    Some(i) => *i,
                    None => {
                        let i = doc.words.len() as u32;
                        match shared.as_ref().and_then(|m| m.get(t)) {
                            Some(w) => doc.words.push(Arc::clone(w)),
                            None => {
                                doc.words.push(Arc::new(word_info(res, space, t, passes)));
                                fresh.push((i, t));
                            }
                        }
                        index.insert(t, i);
                        i
                    }
                }
            })
            .collect();
        let (sf, headline) = sentence_features(res, space, &doc.words, &types, passes.is_empty());
        doc.sents.push(sf);
        doc.headline.push(headline);
        doc.types.push(types);
    }
    drop(shared);
    if let Some(c) = cache
        && !fresh.is_empty()
        && let Ok(mut m) = c.map.write()
    {
        for (i, t) in fresh {
            if m.len() >= c.capacity {
                break;
            }
            m.insert(t.into(), Arc::clone(&doc.words[i as usize]));
        }
    }
    doc
}

fn sentence_features(
    res: Resources<'_>,
    space: &mut impl Space,
    words: &[Arc<WordInfo>],
    types: &[u32],
    with_words: bool,
) -> (SentFeats, bool) {
    let n = types.len();
    let info = |i: usize| &words[types[i] as usize];
    let alpha = (0..n).filter(|&i| info(i).has_alpha).count();
    let caps = (0..n)
        .filter(|&i| info(i).all_caps && info(i).has_alpha)
        .count();
    let headline = alpha >= 2 && caps * 5 >= alpha * 3;
    // Gazetteer spans: per token, B/I bits per category and capitalisation.
    let gaz_ids: Vec<Option<u32>> = (0..n).map(|i| info(i).gaz).collect();
    let mut gaz_b = vec![0u16; n];
    let mut gaz_i = vec![0u16; n];
    let mut gaz_cap = vec![false; n];
    for (start, len, cats) in res.gazetteer.matches(&gaz_ids) {
        let cap = (start..start + len).all(|j| info(j).cap);
        gaz_b[start] |= cats;
        gaz_cap[start] |= cap;
        for j in start + 1..start + len {
            gaz_i[j] |= cats;
            gaz_cap[j] |= cap;
        }
    }
    let mut sf = SentFeats {
        feats: Vec::with_capacity(n * 56),
        starts: Vec::with_capacity(n + 1),
    };
    sf.starts.push(0);
    for i in 0..n {
        let w = info(i);
        let out = &mut sf.feats;
        push(space, out, key_nums(tpl::BIAS, 0, 0, 0));
        if with_words {
            out.extend_from_slice(&w.own);
        }
        for (k, off) in OFFSETS.iter().enumerate() {
            let j = i as isize + off;
            if j >= 0 && (j as usize) < n {
                if with_words {
                    out.extend_from_slice(&info(j as usize).ctx[k]);
                }
            } else {
                push(
                    space,
                    out,
                    key_nums(tpl::CTX_LOWER, BOUNDARY, *off as u64, 0),
                );
            }
        }
        let prev = if i > 0 {
            info(i - 1).lower_key
        } else {
            BOUNDARY
        };
        let next = if i + 1 < n {
            info(i + 1).lower_key
        } else {
            BOUNDARY
        };
        push(space, out, key_nums(tpl::BIGRAM_L, prev, w.lower_key, 0));
        push(space, out, key_nums(tpl::BIGRAM_R, w.lower_key, next, 0));
        let ps = if i > 0 {
            info(i - 1).short_key
        } else {
            BOUNDARY
        };
        let ns = if i + 1 < n {
            info(i + 1).short_key
        } else {
            BOUNDARY
        };
        push(space, out, key_nums(tpl::SHAPE3, ps, w.short_key, ns));
        if i == 0 {
            push(space, out, key_nums(tpl::INITIAL, w.short_key, 0, 0));
        }
        if headline {
            push(space, out, key_nums(tpl::HEADLINE, w.short_key, 0, 0));
            push(space, out, key_nums(tpl::HEADLINE_LOWER, w.lower_key, 0, 0));
        }
        for bit in 0..gazetteer::cat::COUNT {
            let m = 1u16 << bit;
            let cap = u64::from(gaz_cap[i]);
            if gaz_b[i] & m != 0 {
                push(space, out, key_nums(tpl::GAZ, bit as u64, 1, cap));
            }
            if gaz_i[i] & m != 0 {
                push(space, out, key_nums(tpl::GAZ, bit as u64, 2, cap));
            }
            if i > 0 && (gaz_b[i - 1] | gaz_i[i - 1]) & m != 0 && gaz_i[i] & m == 0 {
                push(space, out, key_nums(tpl::GAZ_CTX, bit as u64, 1, 0));
            }
            if i + 1 < n && gaz_b[i + 1] & m != 0 {
                push(space, out, key_nums(tpl::GAZ_CTX, bit as u64, 2, 0));
            }
        }
        sf.starts.push(sf.feats.len() as u32);
    }
    (sf, headline)
}

/// The entity kind index of a tag for document statistics: 0 for `O`, 1.. for kinds.
fn kind_slot(t: Tag) -> usize {
    match t {
        Tag::O => 0,
        Tag::B(_) | Tag::I(_) => t.index().div_ceil(2),
    }
}

const SLOTS: usize = 5;
/// The most distinct neighbours aggregated per word.
const AGG_MAX: usize = 12;

/// Second-pass features: the first pass's features plus the first-pass labels around
/// each token, the majority first-pass kind of the same word elsewhere in the
/// document (exact and lowercased), and whether the word is part of a longer
/// capitalised span elsewhere (with that span's first-pass kind).
#[cfg(feature = "train")]
pub fn doc_features(space: &mut impl Space, doc: &DocBase, first: &[Vec<Tag>]) -> Vec<SentFeats> {
    let extra = doc_extra_features(space, doc, first);
    doc.sents
        .iter()
        .zip(&extra)
        .map(|(base, extra)| {
            let mut sf = SentFeats {
                feats: Vec::with_capacity(base.feats.len() + extra.feats.len()),
                starts: vec![0],
            };
            for i in 0..base.len() {
                sf.feats.extend_from_slice(base.token(i));
                sf.feats.extend_from_slice(extra.token(i));
                sf.starts.push(sf.feats.len() as u32);
            }
            sf
        })
        .collect()
}

/// Only the document-level features of [`doc_features`], without the first-pass ones.
pub fn doc_extra_features(
    space: &mut impl Space,
    doc: &DocBase,
    first: &[Vec<Tag>],
) -> Vec<SentFeats> {
    let mut exact: FxMap<u64, [u32; SLOTS]> = FxMap::default();
    let mut lower: FxMap<u64, [u32; SLOTS]> = FxMap::default();
    // Per word: the longest capitalised run it appears in and the kinds seen there.
    let mut longest: FxMap<u64, (usize, [u32; SLOTS])> = FxMap::default();
    let mut runs: Vec<Vec<usize>> = Vec::with_capacity(doc.sents.len());
    // Per capitalised word: the words around its occurrences (context aggregation).
    let mut agg: FxMap<u64, Vec<(u64, u64)>> = FxMap::default();
    for (s, types) in doc.types.iter().enumerate() {
        let tags = first.get(s).map(Vec::as_slice).unwrap_or(&[]);
        let n = types.len();
        let mut run_len = vec![0usize; n];
        let mut i = 0;
        while i < n {
            let w = &doc.words[types[i] as usize];
            if w.cap && !doc.headline[s] {
                let mut j = i;
                while j < n && doc.words[types[j] as usize].cap {
                    j += 1;
                }
                for r in run_len.iter_mut().take(j).skip(i) {
                    *r = j - i;
                }
                i = j;
            } else {
                i += 1;
            }
        }
        for i in 0..n {
            let w = &doc.words[types[i] as usize];
            if !w.has_upper {
                continue;
            }
            let slot = kind_slot(tags.get(i).copied().unwrap_or(Tag::O));
            let around = agg.entry(w.exact_key).or_default();
            for (off, j) in [
                (1u64, i.checked_sub(1)),
                (2, Some(i + 1).filter(|j| *j < n)),
            ] {
                let key = j.map_or(BOUNDARY, |j| doc.words[types[j] as usize].lower_key);
                if around.len() < AGG_MAX && !around.contains(&(key, off)) {
                    around.push((key, off));
                }
            }
            if !doc.headline[s] {
                exact.entry(w.exact_key).or_default()[slot] += 1;
            }
            lower.entry(w.lower_key).or_default()[slot] += 1;
            if run_len[i] >= 2 {
                let e = longest.entry(w.exact_key).or_insert((0, [0; SLOTS]));
                e.0 = e.0.max(run_len[i]);
                e.1[slot] += 1;
            }
        }
        runs.push(run_len);
    }
    let majority = |c: &[u32; SLOTS]| -> Option<usize> {
        let total: u32 = c.iter().sum();
        if total == 0 {
            return None;
        }
        (0..SLOTS).max_by_key(|k| (c[*k], SLOTS - k))
    };
    let mut out = Vec::with_capacity(doc.sents.len());
    for (s, types) in doc.types.iter().enumerate() {
        let tags = first.get(s).map(Vec::as_slice).unwrap_or(&[]);
        let n = types.len();
        let label = |i: isize| -> u64 {
            if i < 0 || i as usize >= n {
                NUM_LABELS as u64
            } else {
                tags.get(i as usize).map_or(0, |t| t.index() as u64)
            }
        };
        let mut sf = SentFeats {
            feats: Vec::with_capacity(n * 8),
            starts: Vec::with_capacity(n + 1),
        };
        sf.starts.push(0);
        for i in 0..n {
            let out_f = &mut sf.feats;
            let ii = i as isize;
            push(space, out_f, key_nums(tpl::PRED, 0, label(ii), 0));
            push(
                space,
                out_f,
                key_nums(tpl::PRED, 1, label(ii - 1), label(ii)),
            );
            push(
                space,
                out_f,
                key_nums(tpl::PRED, 2, label(ii), label(ii + 1)),
            );
            let w = &doc.words[types[i] as usize];
            if w.has_upper {
                let own = kind_slot(tags.get(i).copied().unwrap_or(Tag::O));
                if let Some(c) = exact.get(&w.exact_key) {
                    let mut c = *c;
                    if !doc.headline[s] {
                        c[own] = c[own].saturating_sub(1);
                    }
                    if let Some(m) = majority(&c) {
                        push(space, out_f, key_nums(tpl::DOC_MAJ, m as u64, 0, 0));
                        for (k, v) in c.iter().enumerate().skip(1) {
                            if *v > 0 {
                                push(space, out_f, key_nums(tpl::DOC_HAS, k as u64, 0, 0));
                            }
                        }
                    }
                }
                for (key, off) in agg.get(&w.exact_key).map(Vec::as_slice).unwrap_or(&[]) {
                    push(space, out_f, key_nums(tpl::AGG, *key, *off, 0));
                }
                if let Some(c) = lower.get(&w.lower_key) {
                    let mut c = *c;
                    c[own] = c[own].saturating_sub(1);
                    if let Some(m) = majority(&c) {
                        push(
                            space,
                            out_f,
                            key_nums(tpl::DOC_MAJ_LOWER, m as u64, u64::from(doc.headline[s]), 0),
                        );
                    }
                }
                if let Some((len, c)) = longest.get(&w.exact_key)
                    && *len > runs[s][i]
                    && let Some(m) = majority(c)
                {
                    push(space, out_f, key_nums(tpl::IN_LONGER, m as u64, 0, 0));
                }
            }
            sf.starts.push(sf.feats.len() as u32);
        }
        out.push(sf);
    }
    out
}

/// Adds the weight rows of `feats` to `acc` (ids past the end of `w` add nothing).
#[inline]
pub fn add_rows(acc: &mut [f32; NUM_LABELS], w: &[f32], feats: &[u32]) {
    for &f in feats {
        let base = f as usize * NUM_LABELS;
        if let Some(row) = w.get(base..base + NUM_LABELS) {
            for (a, b) in acc.iter_mut().zip(row) {
                *a += b;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shape_forms() {
        let (mut f, mut s) = (String::new(), String::new());
        shapes("McDonald's", &mut f, &mut s);
        assert_eq!(f, "XxXxxxx'x");
        assert_eq!(s, "XxXx'x");
        shapes("1996-08-30", &mut f, &mut s);
        assert_eq!(f, "dddd-dd-dd");
        assert_eq!(s, "d-d-d");
    }

    #[test]
    #[cfg(feature = "train")]
    fn features_are_cached_per_word() {
        let clusters = Clusters::default();
        let gazetteer = Gazetteer::new();
        let res = Resources {
            clusters: &clusters,
            vectors: &clusters,
            gazetteer: &gazetteer,
        };
        let mut space = Growing::default();
        let sents = vec![vec!["Peter", "met", "Peter", "."]];
        let doc = extract_doc(res, &mut space, &sents, None, &[]);
        assert_eq!(doc.words.len(), 3);
        assert_eq!(doc.sents[0].len(), 4);
        let second = doc_features(&mut space, &doc, &[vec![Tag::O; 4]]);
        assert!(second[0].token(0).len() > doc.sents[0].token(0).len());
    }
}
