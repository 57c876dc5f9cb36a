//! The saved model and the public API: training ([`train`]), loading
//! ([`Model::from_bytes`]), saving ([`Model::to_bytes`]) and tagging
//! ([`Model::tag_document`]).
//!
//! File format: the magic bytes `LEDENER\0`, a little-endian u32 format version, a
//! flags byte (bit 0: the body is gzip-compressed; written uncompressed,
//! which loads faster), then the body: a description
//! string, the word-cluster table, the gazetteer trie, the feature keys and, per
//! pass, transition scores and quantised (i16) feature weights, stored sparsely
//! (a 9-bit mask of non-zero labels per feature, then those values).

use std::fmt;
use std::io::Read;

use super::clusters::Clusters;
use super::codec::{DecodeError, Reader, Writer};
use super::conll::Document;
use super::eval::{Scores, evaluate};
#[cfg(feature = "train")]
use super::features::{DocBase, Growing, SentFeats, doc_features};
use super::features::{
    Frozen, Resources, WordCache, doc_extra_features, extract_doc, scored_emissions,
};
use super::gazetteer::Gazetteer;
use super::hash::FxMap;
use super::perceptron::{self, Weights};
use super::tag::{NUM_LABELS, Tag};

const MAGIC: &[u8; 8] = b"LEDENER\0";
/// The current format version.
pub const VERSION: u32 = 2;
const L: usize = NUM_LABELS;

/// Why model bytes could not be loaded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ModelError {
    /// The bytes do not start with the model's magic bytes.
    NotAModel,
    /// The model was written in a format version this code does not read.
    Version(u32),
    /// The bytes are truncated or malformed.
    Corrupt(String),
}

impl fmt::Display for ModelError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ModelError::NotAModel => f.write_str("not an entity model (bad magic bytes)"),
            ModelError::Version(v) => write!(
                f,
                "entity model format version {v} is not supported (expected {VERSION})"
            ),
            ModelError::Corrupt(why) => write!(f, "corrupt entity model: {why}"),
        }
    }
}

impl std::error::Error for ModelError {}

impl From<DecodeError> for ModelError {
    fn from(e: DecodeError) -> Self {
        ModelError::Corrupt(e.0)
    }
}

/// One entity mention found in raw text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Mention {
    /// Byte offset of the first character.
    pub start: usize,
    /// Byte offset one past the last character.
    pub end: usize,
    pub kind: super::tag::Kind,
}

/// Training settings and the lookup tables the features use.
#[cfg(feature = "train")]
#[derive(Debug, Clone)]
pub struct TrainConfig {
    /// First-pass epochs.
    pub epochs: usize,
    /// Second-pass epochs.
    pub epochs2: usize,
    /// Whether to train the document-level second pass.
    pub second_pass: bool,
    /// Folds for the first-pass predictions the second pass is trained on.
    pub folds: usize,
    pub seed: u64,
    /// Features seen fewer times in the training data are dropped.
    pub min_count: usize,
    /// Models trained with different shuffles whose weights are averaged (1 = no averaging).
    pub ensemble: usize,
    /// Print progress and per-epoch dev scores to stderr.
    pub verbose: bool,
    pub clusters: Clusters,
    /// Word-vector classes (`word → path`), empty for none.
    pub vectors: Clusters,
    pub gazetteer: Gazetteer,
    /// A free-text description stored in the model.
    pub description: String,
}

#[cfg(feature = "train")]
impl Default for TrainConfig {
    fn default() -> Self {
        TrainConfig {
            epochs: 10,
            epochs2: 10,
            second_pass: true,
            folds: 4,
            seed: 7,
            ensemble: 1,
            min_count: 1,
            verbose: false,
            clusters: Clusters::default(),
            vectors: Clusters::default(),
            gazetteer: Gazetteer::new(),
            description: String::new(),
        }
    }
}

/// The most words the shared word cache holds (each takes about 600 bytes: feature
/// scores for both passes, keys and flags).
const CACHE_WORDS: usize = 32_768;

/// A trained tagger. It is `Send + Sync`; tagging from several threads shares its word cache.
#[derive(Debug)]
pub struct Model {
    dict: FxMap<u64, u32>,
    first: Weights,
    second: Option<Weights>,
    clusters: Clusters,
    vectors: Clusters,
    gazetteer: Gazetteer,
    description: String,
    cache: WordCache,
}

impl Clone for Model {
    fn clone(&self) -> Self {
        Model {
            dict: self.dict.clone(),
            first: self.first.clone(),
            second: self.second.clone(),
            clusters: self.clusters.clone(),
            vectors: self.vectors.clone(),
            gazetteer: self.gazetteer.clone(),
            description: self.description.clone(),
            cache: WordCache::new(CACHE_WORDS),
        }
    }
}

/// The model file after its word tables: the gazetteer, the feature
/// dictionary and the weights of each pass.
type Tail = (Gazetteer, FxMap<u64, u32>, Vec<Weights>);

/// Reads the [`Tail`] of a model file.
fn read_weights(r: &mut Reader<'_>) -> Result<Tail, ModelError> {
    let gazetteer = Gazetteer::read(r)?;
    let n = r.len(8)?;
    let keys = r.bytes(n * 8)?;
    // The feature dictionary is filled on its own thread while the weights are read.
    std::thread::scope(|s| {
        let dict = s.spawn(move || {
            let mut dict = FxMap::default();
            dict.reserve(n);
            for (i, k) in keys.chunks_exact(8).enumerate() {
                let mut b = [0u8; 8];
                b.copy_from_slice(k);
                dict.insert(u64::from_le_bytes(b), i as u32);
            }
            dict
        });
        let passes = read_passes(r, n);
        let dict = dict.join().unwrap_or_else(|e| std::panic::resume_unwind(e));
        Ok((gazetteer, dict, passes?))
    })
}

/// The weights of each pass, `n` features each.
fn read_passes(r: &mut Reader<'_>, n: usize) -> Result<Vec<Weights>, ModelError> {
    let npass = r.u8()?;
    if !(1..=2).contains(&npass) {
        return Err(ModelError::Corrupt(format!("{npass} passes")));
    }
    let mut passes = Vec::new();
    for _ in 0..npass {
        let mut p = Weights::zeros(0);
        for v in p.trans.iter_mut().chain(p.start.iter_mut()) {
            *v = r.f32()?;
        }
        let scale = r.f32()?;
        p.w = vec![0.0; n * L];
        let rest = r.rest();
        let mut pos = 0usize;
        let truncated = || ModelError::Corrupt("truncated weights".into());
        for row in p.w.chunks_exact_mut(L) {
            let b = rest.get(pos..pos + 2).ok_or_else(truncated)?;
            let mask = u16::from_le_bytes([b[0], b[1]]);
            pos += 2;
            for (l, x) in row.iter_mut().enumerate() {
                if mask & (1 << l) != 0 {
                    let b = rest.get(pos..pos + 2).ok_or_else(truncated)?;
                    *x = f32::from(i16::from_le_bytes([b[0], b[1]])) * scale;
                    pos += 2;
                }
            }
        }
        r.bytes(pos)?;
        passes.push(p);
    }
    if !r.at_end() {
        return Err(ModelError::Corrupt("trailing bytes".into()));
    }
    Ok(passes)
}

/// Two or more letters, all capitals.
fn is_upper_word(token: &str) -> bool {
    token.chars().filter(|c| c.is_alphabetic()).count() >= 2
        && !token.chars().any(char::is_lowercase)
}

/// A sentence written in capitals: at least `SHOUTED_WORDS` words of two or more
/// letters, and four in five of them in capitals. Shorter headlines in capitals are
/// left as they are: the training data has them (CoNLL-2003 writes its headlines so).
fn shouted<S: AsRef<str>>(tokens: &[S]) -> bool {
    let words = tokens
        .iter()
        .filter(|t| t.as_ref().chars().filter(|c| c.is_alphabetic()).count() >= 2)
        .count();
    let upper = tokens.iter().filter(|t| is_upper_word(t.as_ref())).count();
    upper >= SHOUTED_WORDS && upper * 5 >= words * 4
}

/// Capitalised headlines of fewer words are tagged as they are: with them read in
/// mixed case CoNLL-2003 dev fell from 93.37 to 92.75 F1 (3 words), 93.30 (6), 93.36 (8).
const SHOUTED_WORDS: usize = 8;

#[cfg(feature = "train")]
fn labels(tags: &[Tag]) -> Vec<u8> {
    tags.iter().map(|t| t.index() as u8).collect()
}

fn to_tags(labels: &[u8]) -> Vec<Tag> {
    labels
        .iter()
        .map(|l| Tag::from_index(*l as usize))
        .collect()
}

fn tokens(doc: &Document) -> Vec<Vec<&str>> {
    doc.sentences
        .iter()
        .map(|s| s.tokens.iter().map(String::as_str).collect())
        .collect()
}

#[cfg(feature = "train")]
fn decode_all(w: &Weights, sents: &[SentFeats]) -> Vec<Vec<Tag>> {
    let mut buf = Vec::new();
    sents
        .iter()
        .map(|sf| to_tags(&perceptron::decode(w, sf, &mut buf)))
        .collect()
}

fn gold_of(docs: &[Document]) -> Vec<Vec<Tag>> {
    docs.iter()
        .flat_map(|d| d.sentences.iter().map(|s| s.tags.clone()))
        .collect()
}

/// The `(features, gold labels)` sentences of the given documents.
#[cfg(feature = "train")]
fn collect_data<'a>(
    docs: impl Iterator<Item = usize>,
    feats: &dyn Fn(usize) -> &'a [SentFeats],
    golds: &'a [Vec<Vec<u8>>],
) -> Vec<(&'a SentFeats, &'a [u8])> {
    let mut data = Vec::new();
    for d in docs {
        for (sf, g) in feats(d).iter().zip(&golds[d]) {
            data.push((sf, g.as_slice()));
        }
    }
    data
}

/// Trains a model. `dev`, if given, is only used to print per-epoch scores.
#[cfg(feature = "train")]
pub fn train(config: &TrainConfig, train_docs: &[Document], dev: Option<&[Document]>) -> Model {
    let res = Resources {
        clusters: &config.clusters,
        vectors: &config.vectors,
        gazetteer: &config.gazetteer,
    };
    let log = |msg: String| {
        if config.verbose {
            eprintln!("{msg}");
        }
    };
    let mut space = Growing::default();
    let mut bases: Vec<DocBase> = train_docs
        .iter()
        .map(|d| extract_doc(res, &mut space, &tokens(d), None, &[]))
        .collect();
    if config.min_count > 1 {
        let mut counts = vec![0u32; space.keys.len()];
        for b in &bases {
            for sf in &b.sents {
                for f in &sf.feats {
                    counts[*f as usize] += 1;
                }
            }
        }
        let keep: Vec<bool> = counts
            .iter()
            .map(|c| *c as usize >= config.min_count)
            .collect();
        for b in &mut bases {
            for sf in &mut b.sents {
                *sf = sf.filtered(&keep);
            }
        }
    }
    let golds: Vec<Vec<Vec<u8>>> = train_docs
        .iter()
        .map(|d| d.sentences.iter().map(|s| labels(&s.tags)).collect())
        .collect();
    let dev_bases: Vec<DocBase> = dev
        .unwrap_or(&[])
        .iter()
        .map(|d| extract_doc(res, &mut space, &tokens(d), None, &[]))
        .collect();
    let dev_gold = gold_of(dev.unwrap_or(&[]));
    let nfeat1 = space.keys.len();
    log(format!("first pass: {nfeat1} features"));

    let base_feats = |d: usize| bases[d].sents.as_slice();
    let all = collect_data(0..train_docs.len(), &base_feats, &golds);
    let dev_eval = |w: &Weights| -> Vec<Vec<Tag>> {
        dev_bases
            .iter()
            .flat_map(|b| decode_all(w, &b.sents))
            .collect()
    };
    let first = if config.ensemble > 1 {
        perceptron::train_averaged(&all, nfeat1, config.epochs, config.seed, config.ensemble)
    } else {
        perceptron::train(&all, nfeat1, config.epochs, config.seed, |e, w| {
            if config.verbose && !dev_gold.is_empty() {
                let s = evaluate(&dev_gold, &dev_eval(w));
                eprintln!("first pass epoch {e}: dev F1 {:.2}", s.overall().f1());
            }
        })
    };
    let mut model = Model {
        dict: FxMap::default(),
        first,
        second: None,
        clusters: config.clusters.clone(),
        vectors: config.vectors.clone(),
        gazetteer: config.gazetteer.clone(),
        description: config.description.clone(),
        cache: WordCache::new(CACHE_WORDS),
    };
    if config.second_pass {
        // First-pass predictions on the training data come from models that did not see it.
        let folds = config.folds.max(2);
        let fold_preds: Vec<Vec<(usize, Vec<Vec<Tag>>)>> = std::thread::scope(|s| {
            let mut out = Vec::new();
            for chunk in (0..folds).collect::<Vec<_>>().chunks(2) {
                let handles: Vec<_> = chunk
                    .iter()
                    .map(|&k| {
                        let base_feats = &base_feats;
                        let bases = &bases;
                        let golds = &golds;
                        s.spawn(move || {
                            let train_ids = (0..train_docs.len()).filter(|d| d % folds != k);
                            let data = collect_data(train_ids, base_feats, golds);
                            let w = perceptron::train(
                                &data,
                                nfeat1,
                                config.epochs,
                                config.seed + k as u64,
                                |_, _| {},
                            );
                            (0..train_docs.len())
                                .filter(|d| d % folds == k)
                                .map(|d| (d, decode_all(&w, &bases[d].sents)))
                                .collect::<Vec<_>>()
                        })
                    })
                    .collect();
                for h in handles {
                    out.push(h.join().unwrap_or_default());
                }
            }
            out
        });
        let mut first_tags: Vec<Vec<Vec<Tag>>> = vec![Vec::new(); train_docs.len()];
        for (d, t) in fold_preds.into_iter().flatten() {
            first_tags[d] = t;
        }
        let feats2: Vec<Vec<SentFeats>> = bases
            .iter()
            .zip(&first_tags)
            .map(|(b, t)| doc_features(&mut space, b, t))
            .collect();
        let dev_feats2: Vec<Vec<SentFeats>> = dev_bases
            .iter()
            .map(|b| {
                let t = decode_all(&model.first, &b.sents);
                doc_features(&mut space, b, &t)
            })
            .collect();
        let nfeat2 = space.keys.len();
        log(format!("second pass: {nfeat2} features"));
        let f2 = |d: usize| feats2[d].as_slice();
        let all2 = collect_data(0..train_docs.len(), &f2, &golds);
        let second = if config.ensemble > 1 {
            perceptron::train_averaged(
                &all2,
                nfeat2,
                config.epochs2,
                config.seed ^ 0x5eed,
                config.ensemble,
            )
        } else {
            perceptron::train(
                &all2,
                nfeat2,
                config.epochs2,
                config.seed ^ 0x5eed,
                |e, w| {
                    if config.verbose && !dev_gold.is_empty() {
                        let pred: Vec<Vec<Tag>> =
                            dev_feats2.iter().flat_map(|s| decode_all(w, s)).collect();
                        let s = evaluate(&dev_gold, &pred);
                        eprintln!("second pass epoch {e}: dev F1 {:.2}", s.overall().f1());
                    }
                },
            )
        };
        model.second = Some(second);
    }
    let keys = space.keys;
    model.first.w.resize(keys.len() * L, 0.0);
    model.dict = keys
        .iter()
        .enumerate()
        .map(|(i, k)| (*k, i as u32))
        .collect();
    model.prune(&keys);
    model
}

/// The weights of the kept features, renumbered in order.
#[cfg(feature = "train")]
fn remap(w: &Weights, keep: &[usize]) -> Weights {
    let mut out = Weights::zeros(keep.len());
    out.trans.clone_from(&w.trans);
    out.start.clone_from(&w.start);
    for (i, &f) in keep.iter().enumerate() {
        if let Some(r) = w.w.get(f * L..f * L + L) {
            out.w[i * L..i * L + L].copy_from_slice(r);
        }
    }
    out
}

/// Quantises a weight to i16 with `scale`.
fn quantise(w: f32, scale: f32) -> i16 {
    (w / scale).round().clamp(-32767.0, 32767.0) as i16
}

impl Model {
    /// Drops features whose weights are all zero and renumbers the rest.
    #[cfg(feature = "train")]
    fn prune(&mut self, keys: &[u64]) {
        let passes: Vec<&Weights> = std::iter::once(&self.first)
            .chain(self.second.as_ref())
            .collect();
        let keep: Vec<usize> = (0..keys.len())
            .filter(|&f| {
                passes.iter().any(|w| {
                    w.w.get(f * L..f * L + L)
                        .is_some_and(|r| r.iter().any(|x| *x != 0.0))
                })
            })
            .collect();
        self.first = remap(&self.first, &keep);
        self.second = self.second.as_ref().map(|w| remap(w, &keep));
        self.dict = keep
            .iter()
            .enumerate()
            .map(|(i, &f)| (keys[f], i as u32))
            .collect();
    }

    /// The number of features with weights.
    pub fn feature_count(&self) -> usize {
        self.dict.len()
    }

    /// Whether the model has the document-level second pass.
    pub fn has_second_pass(&self) -> bool {
        self.second.is_some()
    }

    /// The description stored at training time.
    pub fn description(&self) -> &str {
        &self.description
    }

    /// The number of words in the cluster table.
    pub fn cluster_words(&self) -> usize {
        self.clusters.len()
    }

    /// Whether a word is mostly written in lower case inside sentences of
    /// news text ("election", "general"); unknown words are not.
    pub fn is_common_word(&self, word: &str) -> bool {
        self.clusters
            .cap_tenths(&word.to_lowercase())
            .is_some_and(|tenths| tenths < 3)
    }

    /// A word of a sentence in capitals as it would be written in mixed case:
    /// lower case if news mostly writes it so ("MAYOR" → "mayor"), kept when the
    /// capitals are its usual form ("BBC"), and otherwise capitalised
    /// ("MUELLER" → "Mueller").
    fn truecase<'t>(&self, token: &std::borrow::Cow<'t, str>) -> std::borrow::Cow<'t, str> {
        if !is_upper_word(token) {
            return token.clone();
        }
        let lower = token.to_lowercase();
        if self.clusters.cap_tenths(&lower).is_some_and(|t| t < 5) {
            return std::borrow::Cow::Owned(lower);
        }
        let title = super::text::capitalised(&lower);
        // An acronym is known in capitals and not capitalised ("BBC", not "Bbc"),
        // and is no first name ("REX").
        let first_name = self.gazetteer.categories(&lower) & super::gazetteer::cat::FIRST != 0;
        if !first_name
            && self.clusters.find(token).is_some()
            && self.clusters.find(&title).is_none()
        {
            token.clone()
        } else {
            std::borrow::Cow::Owned(title)
        }
    }

    /// Whether news writes the word in lower case more often than not inside
    /// sentences ("dawn", "rescuers"); unknown words are not.
    pub fn is_usually_lower(&self, word: &str) -> bool {
        self.clusters
            .cap_tenths(&word.to_lowercase())
            .is_some_and(|tenths| tenths < 5)
    }

    /// Whether the word occurs in the unlabelled text the model learnt its
    /// word clusters from, in any case.
    pub fn knows_word(&self, word: &str) -> bool {
        self.clusters.get(word).is_some()
            || self.clusters.cap_tenths(&word.to_lowercase()).is_some()
    }

    /// Tags a document given as sentences of tokens.
    pub fn tag_document(&self, sentences: &[Vec<&str>]) -> Vec<Vec<Tag>> {
        let res = Resources {
            clusters: &self.clusters,
            vectors: &self.vectors,
            gazetteer: &self.gazetteer,
        };
        let mut space = Frozen(&self.dict);
        let passes: Vec<&[f32]> = std::iter::once(self.first.w.as_slice())
            .chain(self.second.as_ref().map(|w| w.w.as_slice()))
            .collect();
        let base = extract_doc(res, &mut space, sentences, Some(&self.cache), &passes);
        let mut buf = Vec::new();
        let chain = perceptron::Chain::new(&self.first.trans, &self.first.start);
        let first: Vec<Vec<Tag>> = (0..base.sents.len())
            .map(|s| {
                scored_emissions(&self.first.w, 0, &base, s, None, &mut buf);
                to_tags(&perceptron::viterbi_with(&buf, &chain))
            })
            .collect();
        match &self.second {
            None => first,
            Some(w) => {
                let extra = doc_extra_features(&mut space, &base, &first);
                let chain = perceptron::Chain::new(&w.trans, &w.start);
                extra
                    .iter()
                    .enumerate()
                    .map(|(s, e)| {
                        scored_emissions(&w.w, 1, &base, s, Some(e), &mut buf);
                        to_tags(&perceptron::viterbi_with(&buf, &chain))
                    })
                    .collect()
            }
        }
    }

    /// Finds the entity mentions in raw text (an article: title and paragraphs),
    /// as byte ranges into `text` with their kinds, sorted and non-overlapping.
    /// The text is tokenized with [`super::text::sentences`] and tagged as one document.
    pub fn tag_text(&self, text: &str) -> Vec<Mention> {
        self.tag_sentences(text, &super::text::sentences(text))
    }

    /// [`Model::tag_text`] on text already split into sentences of tokens
    /// (byte ranges into `text`, as [`super::text::sentences`] gives them).
    pub fn tag_sentences(&self, text: &str, spans: &[Vec<(usize, usize)>]) -> Vec<Mention> {
        // Typographic quotes are tagged as the straight ones of the training data.
        let owned: Vec<Vec<std::borrow::Cow<'_, str>>> = spans
            .iter()
            .map(|s| {
                s.iter()
                    .map(|(a, b)| super::text::plain_quotes(text.get(*a..*b).unwrap_or("")))
                    .collect()
            })
            .collect();
        // A sentence in capitals is tagged as if it were written in mixed case.
        let owned: Vec<Vec<std::borrow::Cow<'_, str>>> = owned
            .into_iter()
            .map(|s| {
                if shouted(&s) {
                    s.iter().map(|t| self.truecase(t)).collect()
                } else {
                    s
                }
            })
            .collect();
        let sents: Vec<Vec<&str>> = owned
            .iter()
            .map(|s| s.iter().map(|t| t.as_ref()).collect())
            .collect();
        let tags = self.tag_document(&sents);
        let mut out = Vec::new();
        for (offsets, tags) in spans.iter().zip(&tags) {
            for (a, b, kind) in super::eval::spans(tags) {
                if let (Some(first), Some(last)) = (offsets.get(a), offsets.get(b.wrapping_sub(1)))
                {
                    out.push(Mention {
                        start: first.0,
                        end: last.1,
                        kind,
                    });
                }
            }
        }
        out
    }

    /// Tags labelled documents and scores the result against their gold tags.
    pub fn evaluate_documents(&self, docs: &[Document]) -> (Scores, Vec<Vec<Tag>>) {
        let pred: Vec<Vec<Tag>> = docs
            .iter()
            .flat_map(|d| self.tag_document(&tokens(d)))
            .collect();
        (evaluate(&gold_of(docs), &pred), pred)
    }

    /// The model file: magic, version, flags, gzip-compressed body.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut w = Writer::default();
        w.str(&self.description);
        self.clusters.write(&mut w);
        self.vectors.write(&mut w);
        self.gazetteer.write(&mut w);
        let mut keys: Vec<(u64, u32)> = self.dict.iter().map(|(k, v)| (*k, *v)).collect();
        keys.sort_by_key(|(_, id)| *id);
        w.len(keys.len());
        for (k, _) in &keys {
            w.u64(*k);
        }
        let passes: Vec<&Weights> = std::iter::once(&self.first)
            .chain(self.second.as_ref())
            .collect();
        w.u8(passes.len() as u8);
        for p in passes {
            for v in p.trans.iter().chain(&p.start) {
                w.f32(*v);
            }
            let max = p.w.iter().fold(0f32, |m, x| m.max(x.abs()));
            let scale = if max > 0.0 { max / 32767.0 } else { 1.0 };
            w.f32(scale);
            for f in 0..keys.len() {
                let row = &p.w[f * L..f * L + L];
                let q: Vec<i16> = row.iter().map(|x| quantise(*x, scale)).collect();
                let mask = q
                    .iter()
                    .enumerate()
                    .fold(0u16, |m, (i, v)| if *v != 0 { m | (1 << i) } else { m });
                w.buf.extend_from_slice(&mask.to_le_bytes());
                for v in q.iter().filter(|v| **v != 0) {
                    w.i16(*v);
                }
            }
        }
        let mut out = Vec::with_capacity(w.buf.len() / 2);
        out.extend_from_slice(MAGIC);
        out.extend_from_slice(&VERSION.to_le_bytes());
        out.push(0);
        out.extend_from_slice(&w.buf);
        out
    }

    /// Loads a model written by [`Model::to_bytes`].
    pub fn from_bytes(bytes: &[u8]) -> Result<Model, ModelError> {
        if bytes.len() < 13 || &bytes[..8] != MAGIC {
            return Err(ModelError::NotAModel);
        }
        let version = u32::from_le_bytes([bytes[8], bytes[9], bytes[10], bytes[11]]);
        if version != VERSION {
            return Err(ModelError::Version(version));
        }
        let flags = bytes[12];
        let raw = &bytes[13..];
        let body_buf;
        let body: &[u8] = if flags & 1 == 1 {
            let mut v = Vec::with_capacity(raw.len() * 3);
            flate2::read::GzDecoder::new(raw)
                .read_to_end(&mut v)
                .map_err(|e| ModelError::Corrupt(format!("gzip: {e}")))?;
            body_buf = v;
            &body_buf
        } else {
            raw
        };
        let mut r = Reader::new(body);
        let description = r.str()?.to_string();
        let clusters = Clusters::read(&mut r)?;
        // The word-vector table's index is the slowest part of loading: it is
        // built on a second thread while the rest is read.
        let vectors = Clusters::read_unindexed(&mut r)?;
        let (vectors, rest) = std::thread::scope(|s| {
            let index = s.spawn(move || vectors.with_index());
            let rest = read_weights(&mut r);
            let vectors = index
                .join()
                .unwrap_or_else(|e| std::panic::resume_unwind(e));
            (vectors, rest)
        });
        let (gazetteer, dict, mut passes) = rest?;
        let second = if passes.len() == 2 {
            passes.pop()
        } else {
            None
        };
        let first = passes
            .pop()
            .ok_or_else(|| ModelError::Corrupt("no weights".into()))?;
        Ok(Model {
            dict,
            first,
            second,
            clusters,
            vectors,
            gazetteer,
            description,
            cache: WordCache::new(CACHE_WORDS),
        })
    }
}

// Training builds every model these tests use.
#[cfg(all(test, feature = "train"))]
mod tests {
    use super::*;
    use crate::ner::tagger::conll::read;

    fn toy() -> Vec<Document> {
        let mut text = String::new();
        for i in 0..20 {
            let name = ["Smith", "Jones", "Brown"][i % 3];
            let city = ["Paris", "Berlin", "Rome"][i % 3];
            text.push_str(&format!(
                "-DOCSTART- O\n\nMr O\n{name} B-PER\nvisited O\n{city} B-LOC\n. O\n\n{name} B-PER\nsaid O\n. O\n\n"
            ));
        }
        read(&text).expect("toy data")
    }

    /// A small model trained on [`toy`].
    fn toy_model() -> Model {
        let config = TrainConfig {
            epochs: 3,
            epochs2: 3,
            ..Default::default()
        };
        train(&config, &toy(), None)
    }

    #[test]
    fn cached_word_scores_tag_like_full_feature_lists() {
        let model = Model::from_bytes(&toy_model().to_bytes()).expect("loads");
        let res = Resources {
            clusters: &model.clusters,
            vectors: &model.vectors,
            gazetteer: &model.gazetteer,
        };
        let text = [
            vec!["Mr", "Brown", "visited", "Berlin", "and", "Rome", "."],
            vec!["Smith", "said", "Jones", "visited", "Paris", "."],
            vec!["Rome"],
        ];
        let sents: Vec<Vec<&str>> = text.to_vec();
        let mut space = Frozen(&model.dict);
        let base = extract_doc(res, &mut space, &sents, None, &[]);
        let first = decode_all(&model.first, &base.sents);
        let second = model.second.as_ref().expect("two passes");
        let want = decode_all(second, &doc_features(&mut space, &base, &first));
        assert!(want.iter().flatten().any(|t| *t != Tag::O));
        // Once with an empty word cache, once with every word cached.
        assert_eq!(model.tag_document(&sents), want);
        assert_eq!(model.tag_document(&sents), want);
    }

    #[test]
    fn trains_saves_loads_and_tags() {
        let model = toy_model();
        let bytes = model.to_bytes();
        let loaded = Model::from_bytes(&bytes).expect("loads");
        let tags = loaded.tag_document(&[vec!["Mr", "Smith", "visited", "Rome", "."]]);
        assert_eq!(tags[0][1].to_string(), "B-PER");
        assert_eq!(tags[0][3].to_string(), "B-LOC");
        assert!(loaded.tag_document(&[]).is_empty());
        let text = "Mr Jones visited Berlin.\n\nJones said .";
        let found = loaded.tag_text(text);
        assert!(found.iter().any(|m| &text[m.start..m.end] == "Berlin"));
        assert!(loaded.tag_text("").is_empty());
        assert_eq!(loaded.tag_document(&[vec![]]), vec![Vec::<Tag>::new()]);
    }

    #[test]
    fn rejects_bad_bytes() {
        assert_eq!(
            Model::from_bytes(b"nope").err(),
            Some(ModelError::NotAModel)
        );
        let model = train(
            &TrainConfig {
                epochs: 1,
                second_pass: false,
                ..Default::default()
            },
            &toy(),
            None,
        );
        let bytes = model.to_bytes();
        for cut in [13, 20, bytes.len() / 2, bytes.len() - 1] {
            assert!(Model::from_bytes(&bytes[..cut]).is_err());
        }
        let mut v = bytes.clone();
        v[8] = 9;
        assert_eq!(Model::from_bytes(&v).err(), Some(ModelError::Version(9)));
    }

    #[test]
    fn corrupt_bytes_never_panic() {
        let model = train(
            &TrainConfig {
                epochs: 1,
                epochs2: 1,
                ..Default::default()
            },
            &toy(),
            None,
        );
        let bytes = model.to_bytes();
        let mut rng = perceptron::Rng::new(11);
        for _ in 0..300 {
            let mut v = bytes.clone();
            for _ in 0..4 {
                let i = 13 + (rng.next_u64() as usize) % (v.len() - 13);
                v[i] = rng.next_u64() as u8;
            }
            if let Ok(m) = Model::from_bytes(&v) {
                let _ = m.tag_document(&[vec!["Mr", "Smith", "visited", "Rome", "."], vec![""]]);
            }
        }
    }
}
