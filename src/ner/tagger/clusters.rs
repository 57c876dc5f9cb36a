//! Word clusters learned from unlabelled text, and the compact word -> cluster table
//! saved with the model.
//!
//! The learner is divisive: each frequent word gets a context vector (positive PMI
//! with the most frequent words at offsets -2, -1, +1, +2), and the vocabulary is
//! split recursively in two by spherical 2-means. A word's cluster is its path of
//! left/right choices, a bit string like a Brown cluster, so prefixes of the path
//! give coarser clusters.

#[cfg(feature = "train")]
use std::collections::HashMap;

use super::codec::{DecodeError, Reader, SortedStrings, Writer};

/// Settings for [`learn`].
#[cfg(feature = "train")]
#[derive(Debug, Clone)]
pub struct ClusterConfig {
    /// Words seen fewer times are not clustered.
    pub min_count: usize,
    /// At most this many (most frequent) words are clustered.
    pub max_vocab: usize,
    /// The number of most frequent lowercase words used as contexts.
    pub contexts: usize,
    /// The maximum path length.
    pub max_depth: u8,
    /// Nodes with fewer words are not split.
    pub min_split: usize,
    /// 2-means iterations per split.
    pub iterations: usize,
    /// When non-zero: first group words into this many flat k-means clusters, then
    /// build the binary tree over the cluster centroids.
    pub leaves: usize,
}

#[cfg(feature = "train")]
impl Default for ClusterConfig {
    fn default() -> Self {
        ClusterConfig {
            min_count: 3,
            max_vocab: 80_000,
            contexts: 300,
            max_depth: 16,
            min_split: 6,
            iterations: 6,
            leaves: 0,
        }
    }
}

/// A word -> cluster path table. Paths are at most 32 bits, first choice in the top bit.
#[derive(Debug, Clone, Default)]
pub struct Clusters {
    words: SortedStrings,
    paths: Vec<(u32, u8)>,
    /// Lowercase words and how often they are capitalised inside a sentence, in tenths.
    lower: SortedStrings,
    caps: Vec<u8>,
}

impl Clusters {
    /// Builds the table from `(word, path)` pairs.
    pub fn from_pairs(mut pairs: Vec<(String, (u32, u8))>) -> Clusters {
        pairs.sort();
        pairs.dedup_by(|a, b| a.0 == b.0);
        let words: Vec<&str> = pairs.iter().map(|(w, _)| w.as_str()).collect();
        Clusters {
            words: SortedStrings::from_sorted(&words),
            paths: pairs.iter().map(|(_, p)| *p).collect(),
            lower: SortedStrings::default(),
            caps: Vec::new(),
        }
    }

    /// Sets the capitalisation table from `(lowercase word, tenths capitalised)` pairs.
    pub fn set_caps(&mut self, mut pairs: Vec<(String, u8)>) {
        pairs.sort();
        pairs.dedup_by(|a, b| a.0 == b.0);
        let words: Vec<&str> = pairs.iter().map(|(w, _)| w.as_str()).collect();
        self.lower = SortedStrings::from_sorted(&words);
        self.caps = pairs.iter().map(|(_, c)| *c).collect();
    }

    /// How often (in tenths, 0..=10) a lowercase word is capitalised inside sentences
    /// of the unlabelled text.
    pub fn cap_tenths(&self, lower: &str) -> Option<u8> {
        self.lower
            .find(lower)
            .and_then(|i| self.caps.get(i).copied())
    }

    /// The path `(bits, length)` of exactly this word.
    pub fn find(&self, word: &str) -> Option<(u32, u8)> {
        self.words
            .find(word)
            .and_then(|i| self.paths.get(i).copied())
    }

    /// The path `(bits, length)` of a word: the exact form first, then its lowercase.
    pub fn get(&self, word: &str) -> Option<(u32, u8)> {
        if let Some(i) = self.words.find(word) {
            return self.paths.get(i).copied();
        }
        if word.chars().any(char::is_uppercase) {
            return self
                .words
                .find(&word.to_lowercase())
                .and_then(|i| self.paths.get(i).copied());
        }
        None
    }

    /// The number of words in the table.
    pub fn len(&self) -> usize {
        self.paths.len()
    }

    /// Every `(word, path)` in word order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, (u32, u8))> + '_ {
        self.paths
            .iter()
            .enumerate()
            .map(|(i, p)| (self.words.get(i), *p))
    }

    pub fn is_empty(&self) -> bool {
        self.paths.is_empty()
    }

    /// The path prefix of length `n` (or the whole path if shorter), tagged with
    /// its length so different prefixes never collide.
    pub fn prefix((bits, len): (u32, u8), n: u8) -> u64 {
        let n = n.min(len);
        let p = if n == 0 {
            0
        } else {
            bits >> (32 - u32::from(n))
        };
        (u64::from(n) << 32) | u64::from(p)
    }

    pub fn write(&self, w: &mut Writer) {
        self.words.write(w);
        w.len(self.paths.len());
        for (bits, len) in &self.paths {
            w.u32(*bits);
            w.u8(*len);
        }
        self.lower.write(w);
        w.buf.extend_from_slice(&self.caps);
    }

    pub fn read(r: &mut Reader<'_>) -> Result<Clusters, DecodeError> {
        Ok(Clusters::read_unindexed(r)?.with_index())
    }

    /// The table with the hash indexes of its word lists built.
    pub fn with_index(self) -> Clusters {
        Clusters {
            words: self.words.with_index(),
            lower: self.lower.with_index(),
            ..self
        }
    }

    /// Reads the table without building the hash indexes of its word lists
    /// ([`Clusters::with_index`] builds them); until then it finds no word.
    pub fn read_unindexed(r: &mut Reader<'_>) -> Result<Clusters, DecodeError> {
        let words = SortedStrings::read_unindexed(r)?;
        let n = r.len(5)?;
        if n != words.len() {
            return Err(DecodeError("cluster table sizes differ".into()));
        }
        let mut paths = Vec::with_capacity(n);
        for _ in 0..n {
            let bits = r.u32()?;
            let len = r.u8()?.min(32);
            paths.push((bits, len));
        }
        let lower = SortedStrings::read_unindexed(r)?;
        let caps = r.bytes(lower.len())?.to_vec();
        Ok(Clusters {
            words,
            paths,
            lower,
            caps,
        })
    }
}

/// Learns clusters from tokenized sentences.
#[cfg(feature = "train")]
pub fn learn<S: AsRef<str>>(sentences: &[Vec<S>], config: &ClusterConfig) -> Clusters {
    // Vocabulary by frequency (ties by spelling, for reproducibility).
    let mut freq: HashMap<&str, usize> = HashMap::new();
    let mut lower_freq: HashMap<String, usize> = HashMap::new();
    // Per lowercase word: (capitalised, all) occurrences not at a sentence start.
    let mut caps: HashMap<String, (u32, u32)> = HashMap::new();
    for s in sentences {
        let mut prev = ".";
        for t in s {
            let t = t.as_ref();
            *freq.entry(t).or_default() += 1;
            let lower = t.to_lowercase();
            *lower_freq.entry(lower.clone()).or_default() += 1;
            let initial = matches!(prev, "." | "!" | "?" | "\"" | ":" | "-" | "(" | "'");
            let shouty = t.len() > 1 && !t.chars().any(char::is_lowercase);
            if !initial && !shouty && t.chars().any(char::is_alphabetic) {
                let e = caps.entry(lower).or_default();
                e.0 += u32::from(t.chars().next().is_some_and(char::is_uppercase));
                e.1 += 1;
            }
            prev = t;
        }
    }
    let cap_pairs: Vec<(String, u8)> = caps
        .into_iter()
        .filter(|(_, (_, n))| *n as usize >= config.min_count)
        .map(|(w, (c, n))| (w, ((10 * c + n / 2) / n) as u8))
        .collect();
    let mut vocab: Vec<(&str, usize)> = freq
        .into_iter()
        .filter(|(_, c)| *c >= config.min_count)
        .collect();
    vocab.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    vocab.truncate(config.max_vocab);
    let word_id: HashMap<&str, usize> = vocab
        .iter()
        .enumerate()
        .map(|(i, (w, _))| (*w, i))
        .collect();

    let mut ctx_words: Vec<(String, usize)> = lower_freq.into_iter().collect();
    ctx_words.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    // Context 0 is the sentence boundary.
    let c = config.contexts.min(ctx_words.len()) + 1;
    let ctx_id: HashMap<&str, usize> = ctx_words
        .iter()
        .take(c - 1)
        .enumerate()
        .map(|(i, (w, _))| (w.as_str(), i + 1))
        .collect();

    let offsets: [isize; 4] = [-2, -1, 1, 2];
    let dim = offsets.len() * c;
    let v = vocab.len();
    let mut m = vec![0f32; v * dim];
    let mut lower_buf = String::new();
    for s in sentences {
        let ctx: Vec<Option<usize>> = s
            .iter()
            .map(|t| {
                lower_buf.clear();
                lower_buf.extend(t.as_ref().chars().flat_map(char::to_lowercase));
                ctx_id.get(lower_buf.as_str()).copied()
            })
            .collect();
        for (i, t) in s.iter().enumerate() {
            let Some(&w) = word_id.get(t.as_ref()) else {
                continue;
            };
            for (oi, off) in offsets.iter().enumerate() {
                let j = i as isize + off;
                let cid = if j < 0 || j >= s.len() as isize {
                    Some(0)
                } else {
                    ctx[j as usize]
                };
                if let Some(cid) = cid {
                    m[w * dim + oi * c + cid] += 1.0;
                }
            }
        }
    }
    // Positive PMI, then unit rows.
    let mut col = vec![0f64; dim];
    let mut row = vec![0f64; v];
    let mut total = 0f64;
    for w in 0..v {
        for d in 0..dim {
            let x = f64::from(m[w * dim + d]);
            col[d] += x;
            row[w] += x;
            total += x;
        }
    }
    for w in 0..v {
        let r = &mut m[w * dim..(w + 1) * dim];
        let mut norm = 0f64;
        for d in 0..dim {
            let x = f64::from(r[d]);
            let pmi = if x > 0.0 {
                (x * total / (row[w] * col[d])).ln().max(0.0)
            } else {
                0.0
            };
            r[d] = pmi as f32;
            norm += pmi * pmi;
        }
        if norm > 0.0 {
            let inv = (1.0 / norm.sqrt()) as f32;
            r.iter_mut().for_each(|x| *x *= inv);
        }
    }
    let mut paths = vec![(0u32, 0u8); v];
    if config.leaves >= 2 && v > config.leaves {
        let (assign, cents) = kmeans(&m, dim, v, config.leaves, 8);
        let k = config.leaves;
        let mut cpaths = vec![(0u32, 0u8); k];
        let tree = ClusterConfig {
            min_split: 2,
            ..config.clone()
        };
        split(&cents, dim, (0..k).collect(), 0, 0, &tree, &mut cpaths);
        for (w, c) in assign.iter().enumerate() {
            paths[w] = cpaths[*c];
        }
    } else {
        let ids: Vec<usize> = (0..v).collect();
        split(&m, dim, ids, 0, 0, config, &mut paths);
    }
    let mut out = Clusters::from_pairs(
        vocab
            .iter()
            .zip(paths)
            .map(|((w, _), p)| (w.to_string(), p))
            .collect(),
    );
    out.set_caps(cap_pairs);
    out
}

/// Spherical k-means over unit rows, seeded with the `k` most frequent words (rows
/// are in frequency order). Returns each row's cluster and the centroids (row-major).
#[cfg(feature = "train")]
fn kmeans(m: &[f32], dim: usize, v: usize, k: usize, iterations: usize) -> (Vec<usize>, Vec<f32>) {
    let sparse: Vec<Vec<(u32, f32)>> = (0..v)
        .map(|w| {
            m[w * dim..(w + 1) * dim]
                .iter()
                .enumerate()
                .filter(|(_, x)| **x != 0.0)
                .map(|(d, x)| (d as u32, *x))
                .collect()
        })
        .collect();
    let mut cents: Vec<f32> = m[..k * dim].to_vec();
    let mut assign = vec![0usize; v];
    for _ in 0..iterations {
        // Centroids transposed, so each non-zero of a row adds a contiguous slice.
        let mut ct = vec![0f32; dim * k];
        for c in 0..k {
            for d in 0..dim {
                ct[d * k + c] = cents[c * dim + d];
            }
        }
        let assign_range = |rows: &[Vec<(u32, f32)>], out: &mut [usize]| {
            let mut scores = vec![0f32; k];
            for (row, a) in rows.iter().zip(out.iter_mut()) {
                scores.iter_mut().for_each(|x| *x = 0.0);
                for &(d, x) in row {
                    let col = &ct[d as usize * k..(d as usize + 1) * k];
                    for (s, c) in scores.iter_mut().zip(col) {
                        *s += x * c;
                    }
                }
                let mut best = 0;
                for c in 1..k {
                    if scores[c] > scores[best] {
                        best = c;
                    }
                }
                *a = best;
            }
        };
        let mid = v / 2;
        let (a0, a1) = assign.split_at_mut(mid);
        std::thread::scope(|s| {
            s.spawn(|| assign_range(&sparse[..mid], a0));
            assign_range(&sparse[mid..], a1);
        });
        let mut sums = vec![0f32; k * dim];
        let mut counts = vec![0usize; k];
        for (w, c) in assign.iter().enumerate() {
            counts[*c] += 1;
            for &(d, x) in &sparse[w] {
                sums[c * dim + d as usize] += x;
            }
        }
        for c in 0..k {
            if counts[c] == 0 {
                continue;
            }
            let row = &mut sums[c * dim..(c + 1) * dim];
            let n = dot(row, row).sqrt();
            if n > 0.0 {
                for (dst, x) in cents[c * dim..(c + 1) * dim].iter_mut().zip(row.iter()) {
                    *dst = x / n;
                }
            }
        }
    }
    (assign, cents)
}

#[cfg(feature = "train")]
fn dot(a: &[f32], b: &[f32]) -> f32 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}

#[cfg(feature = "train")]
fn split(
    m: &[f32],
    dim: usize,
    ids: Vec<usize>,
    bits: u32,
    depth: u8,
    config: &ClusterConfig,
    paths: &mut [(u32, u8)],
) {
    for &i in &ids {
        paths[i] = (bits, depth);
    }
    if depth >= config.max_depth || ids.len() < config.min_split {
        return;
    }
    let row = |i: usize| &m[i * dim..(i + 1) * dim];
    // Farthest-point initialisation from the most frequent word.
    let first = ids[0];
    let second = ids
        .iter()
        .copied()
        .min_by(|a, b| dot(row(first), row(*a)).total_cmp(&dot(row(first), row(*b))))
        .unwrap_or(first);
    let mut cents = [row(first).to_vec(), row(second).to_vec()];
    let mut side = vec![false; ids.len()];
    for _ in 0..config.iterations {
        for (k, &i) in ids.iter().enumerate() {
            side[k] = dot(row(i), &cents[1]) > dot(row(i), &cents[0]);
        }
        let mut sums = [vec![0f32; dim], vec![0f32; dim]];
        for (k, &i) in ids.iter().enumerate() {
            let s = &mut sums[usize::from(side[k])];
            for (a, b) in s.iter_mut().zip(row(i)) {
                *a += b;
            }
        }
        for (cent, s) in cents.iter_mut().zip(sums) {
            let n = dot(&s, &s).sqrt();
            if n > 0.0 {
                *cent = s.into_iter().map(|x| x / n).collect();
            }
        }
    }
    let (mut left, mut right): (Vec<usize>, Vec<usize>) = (Vec::new(), Vec::new());
    for (k, &i) in ids.iter().enumerate() {
        if side[k] { right.push(i) } else { left.push(i) }
    }
    if left.is_empty() || right.is_empty() {
        let all: Vec<usize> = left.into_iter().chain(right).collect();
        let mid = all.len() / 2;
        left = all[..mid].to_vec();
        right = all[mid..].to_vec();
    }
    let bit = 1u32 << (31 - u32::from(depth));
    if depth == 0 {
        // The two halves are independent: learn them on two threads.
        let n = paths.len();
        let (lp, rp) = std::thread::scope(|s| {
            let handle = s.spawn(|| {
                let mut p = vec![(0u32, 0u8); n];
                split(m, dim, left.clone(), bits, depth + 1, config, &mut p);
                p
            });
            let mut p = vec![(0u32, 0u8); n];
            split(m, dim, right.clone(), bits | bit, depth + 1, config, &mut p);
            (handle.join().ok(), p)
        });
        match lp {
            Some(lp) => left.iter().for_each(|&i| paths[i] = lp[i]),
            None => split(m, dim, left.clone(), bits, depth + 1, config, paths),
        }
        right.iter().for_each(|&i| paths[i] = rp[i]);
        return;
    }
    split(m, dim, left, bits, depth + 1, config, paths);
    split(m, dim, right, bits | bit, depth + 1, config, paths);
}

// Training builds every model these tests use.
#[cfg(all(test, feature = "train"))]
mod tests {
    use super::*;

    #[test]
    fn similar_words_share_prefixes() {
        let mut sents = Vec::new();
        for i in 0..50 {
            let d = ["Monday", "Tuesday", "Friday"][i % 3];
            let p = ["Paris", "London", "Berlin"][i % 3];
            sents.push(vec!["on", d, "the", "team", "said"]);
            sents.push(vec!["in", p, ",", "a", "spokesman"]);
        }
        let c = learn(
            &sents,
            &ClusterConfig {
                min_count: 1,
                max_depth: 4,
                min_split: 2,
                leaves: 0,
                ..Default::default()
            },
        );
        let (mo, tu, pa) = (c.get("Monday"), c.get("Tuesday"), c.get("Paris"));
        assert!(mo.is_some() && tu.is_some() && pa.is_some());
        let p = |x: Option<(u32, u8)>, n| x.map(|x| Clusters::prefix(x, n));
        assert_eq!(p(mo, 2), p(tu, 2));
        assert_ne!(p(mo, 4), p(pa, 4));
    }
}
