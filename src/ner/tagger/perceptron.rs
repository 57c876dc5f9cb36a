//! The averaged structured perceptron: first-order Viterbi decoding over IOB2 labels
//! (an `I-X` may only follow `B-X` or `I-X`) and training with shuffling and
//! weight averaging.

#[cfg(feature = "train")]
use super::features::{SentFeats, add_rows};
use super::tag::{NUM_LABELS, Tag};

const L: usize = NUM_LABELS;

/// Linear-chain weights: per feature a row of label scores, plus transitions.
#[derive(Debug, Clone)]
pub struct Weights {
    /// `w[f * L + label]`.
    pub w: Vec<f32>,
    /// `trans[prev * L + cur]`.
    pub trans: Vec<f32>,
    /// Scores of the first label.
    pub start: Vec<f32>,
}

impl Weights {
    pub fn zeros(nfeat: usize) -> Weights {
        Weights {
            w: vec![0.0; nfeat * L],
            trans: vec![0.0; L * L],
            start: vec![0.0; L],
        }
    }
}

/// Whether `cur` may follow `prev` (`None` = sentence start) in IOB2.
pub fn allowed(prev: Option<usize>, cur: usize) -> bool {
    match Tag::from_index(cur) {
        Tag::I(k) => prev.is_some_and(|p| Tag::from_index(p).kind() == Some(k)),
        _ => true,
    }
}

/// Emission scores per token.
#[cfg(feature = "train")]
pub fn emissions(w: &[f32], sf: &SentFeats, out: &mut Vec<[f32; L]>) {
    out.clear();
    for i in 0..sf.len() {
        let mut s = [0f32; L];
        add_rows(&mut s, w, sf.token(i));
        out.push(s);
    }
}

/// Transition and start scores with the IOB2 constraint folded in (forbidden moves
/// score minus infinity), ready for [`viterbi_with`].
#[derive(Debug, Clone)]
pub struct Chain {
    /// `t[cur][prev]`.
    t: [[f32; L]; L],
    start: [f32; L],
}

impl Chain {
    pub fn new(trans: &[f32], start: &[f32]) -> Chain {
        const NEG: f32 = f32::NEG_INFINITY;
        let mut t = [[NEG; L]; L];
        for (c, row) in t.iter_mut().enumerate() {
            for (p, v) in row.iter_mut().enumerate() {
                if allowed(Some(p), c) {
                    *v = trans.get(p * L + c).copied().unwrap_or(0.0);
                }
            }
        }
        let mut s = [NEG; L];
        for (c, v) in s.iter_mut().enumerate() {
            if allowed(None, c) {
                *v = start.get(c).copied().unwrap_or(0.0);
            }
        }
        Chain { t, start: s }
    }
}

/// The best label sequence under the IOB2 constraint.
#[cfg(feature = "train")]
pub fn viterbi(em: &[[f32; L]], trans: &[f32], start: &[f32]) -> Vec<u8> {
    viterbi_with(em, &Chain::new(trans, start))
}

/// [`viterbi`] with the transitions prepared once.
pub fn viterbi_with(em: &[[f32; L]], chain: &Chain) -> Vec<u8> {
    let n = em.len();
    if n == 0 {
        return Vec::new();
    }
    const NEG: f32 = f32::NEG_INFINITY;
    let t = &chain.t;
    let mut back = vec![[0u8; L]; n];
    let mut score = [NEG; L];
    for c in 0..L {
        score[c] = chain.start[c] + em[0][c];
    }
    for i in 1..n {
        let mut next = [NEG; L];
        for c in 0..L {
            let mut best = NEG;
            let mut arg = 0u8;
            let tc = &t[c];
            for p in 0..L {
                let v = score[p] + tc[p];
                if v > best {
                    best = v;
                    arg = p as u8;
                }
            }
            next[c] = best + em[i][c];
            back[i][c] = arg;
        }
        score = next;
    }
    let mut last = 0usize;
    for c in 1..L {
        if score[c] > score[last] {
            last = c;
        }
    }
    let mut out = vec![0u8; n];
    out[n - 1] = last as u8;
    for i in (1..n).rev() {
        out[i - 1] = back[i][out[i] as usize];
    }
    out
}

/// Decodes one sentence.
#[cfg(feature = "train")]
pub fn decode(weights: &Weights, sf: &SentFeats, buf: &mut Vec<[f32; L]>) -> Vec<u8> {
    emissions(&weights.w, sf, buf);
    viterbi(buf, &weights.trans, &weights.start)
}

/// A reproducible xorshift generator for shuffling.
#[cfg(feature = "train")]
#[derive(Debug, Clone)]
pub struct Rng(u64);

#[cfg(feature = "train")]
impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed.wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1)
    }
    pub fn next_u64(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.0 = x;
        x
    }
    pub fn shuffle<T>(&mut self, v: &mut [T]) {
        for i in (1..v.len()).rev() {
            let j = (self.next_u64() % (i as u64 + 1)) as usize;
            v.swap(i, j);
        }
    }
}

/// Trains averaged weights on `(features, gold labels)` sentences.
/// `on_epoch` is called after each epoch with the epoch number and the averaged weights so far.
#[cfg(feature = "train")]
pub fn train(
    data: &[(&SentFeats, &[u8])],
    nfeat: usize,
    epochs: usize,
    seed: u64,
    mut on_epoch: impl FnMut(usize, &Weights),
) -> Weights {
    let mut cur = Weights::zeros(nfeat);
    // Sums of (step * update), for the averaging trick.
    let mut acc_w = vec![0f64; nfeat * L];
    let mut acc_t = vec![0f64; L * L];
    let mut acc_s = vec![0f64; L];
    let mut wd = vec![0f64; nfeat * L];
    let mut td = vec![0f64; L * L];
    let mut sd = vec![0f64; L];
    let mut c: f64 = 1.0;
    let mut order: Vec<usize> = (0..data.len()).collect();
    let mut rng = Rng::new(seed);
    let mut buf = Vec::new();
    for epoch in 1..=epochs {
        rng.shuffle(&mut order);
        for &k in &order {
            let (sf, gold) = data[k];
            emissions(&cur.w, sf, &mut buf);
            let pred = viterbi(&buf, &cur.trans, &cur.start);
            if pred.as_slice() != gold {
                for i in 0..gold.len().min(pred.len()) {
                    let (g, p) = (gold[i] as usize, pred[i] as usize);
                    if g != p {
                        for &f in sf.token(i) {
                            let b = f as usize * L;
                            wd[b + g] += 1.0;
                            wd[b + p] -= 1.0;
                            cur.w[b + g] += 1.0;
                            cur.w[b + p] -= 1.0;
                            acc_w[b + g] += c;
                            acc_w[b + p] -= c;
                        }
                    }
                    if i == 0 {
                        if g != p {
                            sd[g] += 1.0;
                            sd[p] -= 1.0;
                            acc_s[g] += c;
                            acc_s[p] -= c;
                        }
                    } else {
                        let gi = gold[i - 1] as usize * L + g;
                        let pi = pred[i - 1] as usize * L + p;
                        if gi != pi {
                            td[gi] += 1.0;
                            td[pi] -= 1.0;
                            acc_t[gi] += c;
                            acc_t[pi] -= c;
                        }
                    }
                }
                for (t, d) in cur.trans.iter_mut().zip(&td) {
                    *t = *d as f32;
                }
                for (t, d) in cur.start.iter_mut().zip(&sd) {
                    *t = *d as f32;
                }
            }
            c += 1.0;
        }
        let avg = average(&wd, &acc_w, &td, &acc_t, &sd, &acc_s, c);
        on_epoch(epoch, &avg);
        if epoch == epochs {
            return avg;
        }
    }
    average(&wd, &acc_w, &td, &acc_t, &sd, &acc_s, c)
}

/// Trains `runs` models with different shuffles (two at a time) and averages their
/// weights, which reduces the variance that comes from the training order.
#[cfg(feature = "train")]
pub fn train_averaged(
    data: &[(&SentFeats, &[u8])],
    nfeat: usize,
    epochs: usize,
    seed: u64,
    runs: usize,
) -> Weights {
    let runs = runs.max(1);
    let mut models: Vec<Weights> = Vec::new();
    for chunk in (0..runs as u64).collect::<Vec<_>>().chunks(2) {
        let trained: Vec<Weights> = std::thread::scope(|s| {
            let handles: Vec<_> = chunk
                .iter()
                .map(|&r| {
                    s.spawn(move || {
                        train(data, nfeat, epochs, seed.wrapping_add(r * 7919), |_, _| {})
                    })
                })
                .collect();
            handles.into_iter().filter_map(|h| h.join().ok()).collect()
        });
        models.extend(trained);
    }
    let n = models.len().max(1) as f32;
    let mut out = models.pop().unwrap_or_else(|| Weights::zeros(nfeat));
    for m in &models {
        for (a, b) in out.w.iter_mut().zip(&m.w) {
            *a += b;
        }
        for (a, b) in out.trans.iter_mut().zip(&m.trans) {
            *a += b;
        }
        for (a, b) in out.start.iter_mut().zip(&m.start) {
            *a += b;
        }
    }
    out.w
        .iter_mut()
        .chain(out.trans.iter_mut())
        .chain(out.start.iter_mut())
        .for_each(|x| *x /= n);
    out
}

#[cfg(feature = "train")]
fn average(
    wd: &[f64],
    aw: &[f64],
    td: &[f64],
    at: &[f64],
    sd: &[f64],
    a_s: &[f64],
    c: f64,
) -> Weights {
    let avg = |w: &[f64], a: &[f64]| -> Vec<f32> {
        w.iter().zip(a).map(|(w, a)| (w - a / c) as f32).collect()
    };
    Weights {
        w: avg(wd, aw),
        trans: avg(td, at),
        start: avg(sd, a_s),
    }
}

// Training builds every model these tests use.
#[cfg(all(test, feature = "train"))]
mod tests {
    use super::*;

    #[test]
    fn viterbi_respects_iob2() {
        // Emissions prefer I-PER at the start, which is not allowed.
        let mut e = [0f32; L];
        e[Tag::I(super::super::tag::Kind::Per).index()] = 5.0;
        e[Tag::B(super::super::tag::Kind::Per).index()] = 1.0;
        let path = viterbi(&[e], &[0.0; L * L], &[0.0; L]);
        assert_eq!(
            path,
            vec![Tag::B(super::super::tag::Kind::Per).index() as u8]
        );
    }

    #[test]
    fn learns_a_toy_task() {
        let sf = SentFeats {
            feats: vec![0, 1],
            starts: vec![0, 1, 2],
        };
        let gold = [1u8, 0];
        let w = train(&[(&sf, &gold[..])], 2, 5, 1, |_, _| {});
        let mut buf = Vec::new();
        assert_eq!(decode(&w, &sf, &mut buf), vec![1, 0]);
    }
}
