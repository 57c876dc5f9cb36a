//! Span-level scoring: precision, recall and F1 per kind and micro-averaged, exact
//! span match, with conlleval's handling of an `I-` tag that starts a span.

use std::collections::HashSet;
use std::fmt;

use super::tag::{Kind, Tag};

/// The spans `(start, end_exclusive, kind)` in one tag sequence. Like conlleval, an
/// `I-X` after `O` or after another kind starts a new span.
pub fn spans(tags: &[Tag]) -> Vec<(usize, usize, Kind)> {
    let mut out = Vec::new();
    let mut open: Option<(usize, Kind)> = None;
    for (i, t) in tags.iter().enumerate() {
        let continues = matches!((t, open), (Tag::I(k), Some((_, ok))) if *k == ok);
        if !continues {
            if let Some((s, k)) = open.take() {
                out.push((s, i, k));
            }
            if let Some(k) = t.kind() {
                open = Some((i, k));
            }
        }
    }
    if let Some((s, k)) = open {
        out.push((s, tags.len(), k));
    }
    out
}

/// True-positive, false-positive and false-negative span counts.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    pub tp: usize,
    pub fp: usize,
    pub fn_: usize,
}

impl Counts {
    pub fn precision(&self) -> f64 {
        ratio(self.tp, self.tp + self.fp)
    }
    pub fn recall(&self) -> f64 {
        ratio(self.tp, self.tp + self.fn_)
    }
    pub fn f1(&self) -> f64 {
        let (p, r) = (self.precision(), self.recall());
        if p + r == 0.0 {
            0.0
        } else {
            2.0 * p * r / (p + r)
        }
    }
    fn add(&mut self, o: Counts) {
        self.tp += o.tp;
        self.fp += o.fp;
        self.fn_ += o.fn_;
    }
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 {
        0.0
    } else {
        100.0 * a as f64 / b as f64
    }
}

/// Scores per kind (indexed like [`Kind::ALL`]).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Scores {
    pub per_kind: [Counts; 4],
}

impl Scores {
    /// The counts for one kind.
    pub fn kind(&self, k: Kind) -> Counts {
        self.per_kind[Kind::ALL.iter().position(|x| *x == k).unwrap_or(0)]
    }

    /// Micro-averaged counts over the given kinds.
    pub fn micro(&self, kinds: &[Kind]) -> Counts {
        let mut c = Counts::default();
        for k in kinds {
            c.add(self.kind(*k));
        }
        c
    }

    /// Micro-averaged counts over every kind.
    pub fn overall(&self) -> Counts {
        self.micro(&Kind::ALL)
    }

    /// Micro-averaged counts over the kinds lede indexes (PER, ORG, LOC).
    pub fn indexed(&self) -> Counts {
        self.micro(&[Kind::Per, Kind::Org, Kind::Loc])
    }
}

/// Scores predicted tag sequences against gold ones, sentence by sentence. A missing
/// predicted sentence or token counts as `O`.
pub fn evaluate(gold: &[Vec<Tag>], predicted: &[Vec<Tag>]) -> Scores {
    let mut scores = Scores::default();
    let empty: Vec<Tag> = Vec::new();
    for (i, g) in gold.iter().enumerate() {
        let p = predicted.get(i).unwrap_or(&empty);
        let mut p = p.clone();
        p.resize(g.len(), Tag::O);
        let gs: HashSet<_> = spans(g).into_iter().collect();
        let ps: HashSet<_> = spans(&p).into_iter().collect();
        for (j, k) in Kind::ALL.iter().enumerate() {
            let c = &mut scores.per_kind[j];
            c.tp += gs.iter().filter(|s| s.2 == *k && ps.contains(s)).count();
            c.fp += ps.iter().filter(|s| s.2 == *k && !gs.contains(s)).count();
            c.fn_ += gs.iter().filter(|s| s.2 == *k && !ps.contains(s)).count();
        }
    }
    scores
}

impl fmt::Display for Scores {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "{:<12} {:>7} {:>7} {:>7} {:>6}",
            "type", "prec", "recall", "F1", "gold"
        )?;
        let row = |f: &mut fmt::Formatter<'_>, name: &str, c: Counts| {
            writeln!(
                f,
                "{:<12} {:>7.2} {:>7.2} {:>7.2} {:>6}",
                name,
                c.precision(),
                c.recall(),
                c.f1(),
                c.tp + c.fn_
            )
        };
        for k in Kind::ALL {
            let c = self.kind(k);
            if c.tp + c.fp + c.fn_ > 0 {
                row(f, k.as_str(), c)?;
            }
        }
        row(f, "PER+ORG+LOC", self.indexed())?;
        row(f, "overall", self.overall())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn conlleval_spans() {
        let t = [
            Tag::I(Kind::Per),
            Tag::I(Kind::Per),
            Tag::B(Kind::Per),
            Tag::I(Kind::Loc),
            Tag::O,
        ];
        assert_eq!(
            spans(&t),
            vec![(0, 2, Kind::Per), (2, 3, Kind::Per), (3, 4, Kind::Loc)]
        );
    }

    #[test]
    fn scores_exact_match() {
        let g = vec![vec![
            Tag::B(Kind::Per),
            Tag::I(Kind::Per),
            Tag::O,
            Tag::B(Kind::Loc),
        ]];
        let p = vec![vec![Tag::B(Kind::Per), Tag::O, Tag::O, Tag::B(Kind::Loc)]];
        let s = evaluate(&g, &p);
        assert_eq!(
            s.kind(Kind::Per),
            Counts {
                tp: 0,
                fp: 1,
                fn_: 1
            }
        );
        assert_eq!(
            s.kind(Kind::Loc),
            Counts {
                tp: 1,
                fp: 0,
                fn_: 0
            }
        );
        assert!((s.overall().f1() - 50.0).abs() < 1e-9);
    }
}
