//! IOB2 tags and entity kinds, with their dense label indexes.

use std::fmt;

/// The entity kinds the tagger knows. `Misc` is learned but not indexed by lede.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Kind {
    Per,
    Org,
    Loc,
    Misc,
}

impl Kind {
    /// Every kind, in label order.
    pub const ALL: [Kind; 4] = [Kind::Per, Kind::Org, Kind::Loc, Kind::Misc];

    /// The CoNLL spelling: `PER`, `ORG`, `LOC`, `MISC`.
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Per => "PER",
            Kind::Org => "ORG",
            Kind::Loc => "LOC",
            Kind::Misc => "MISC",
        }
    }

    /// Parses the CoNLL spelling.
    pub fn parse(s: &str) -> Option<Kind> {
        match s {
            "PER" => Some(Kind::Per),
            "ORG" => Some(Kind::Org),
            "LOC" => Some(Kind::Loc),
            "MISC" => Some(Kind::Misc),
            _ => None,
        }
    }

    fn index(self) -> usize {
        match self {
            Kind::Per => 0,
            Kind::Org => 1,
            Kind::Loc => 2,
            Kind::Misc => 3,
        }
    }
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One IOB2 label.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Tag {
    O,
    B(Kind),
    I(Kind),
}

/// The number of distinct labels (`O` plus `B-`/`I-` for each kind).
pub const NUM_LABELS: usize = 9;

impl Tag {
    /// The dense label index: `O` = 0, `B-k` = 1 + 2k, `I-k` = 2 + 2k.
    pub fn index(self) -> usize {
        match self {
            Tag::O => 0,
            Tag::B(k) => 1 + 2 * k.index(),
            Tag::I(k) => 2 + 2 * k.index(),
        }
    }

    /// The tag with dense label index `i` (`O` when out of range).
    pub fn from_index(i: usize) -> Tag {
        if i == 0 || i >= NUM_LABELS {
            return Tag::O;
        }
        let kind = Kind::ALL[(i - 1) / 2];
        if i % 2 == 1 {
            Tag::B(kind)
        } else {
            Tag::I(kind)
        }
    }

    /// The kind, if the tag is not `O`.
    pub fn kind(self) -> Option<Kind> {
        match self {
            Tag::O => None,
            Tag::B(k) | Tag::I(k) => Some(k),
        }
    }

    /// Parses `O`, `B-PER`, `I-LOC`, ...
    pub fn parse(s: &str) -> Option<Tag> {
        if s == "O" {
            return Some(Tag::O);
        }
        let (prefix, kind) = s.split_once('-')?;
        let kind = Kind::parse(kind)?;
        match prefix {
            "B" => Some(Tag::B(kind)),
            "I" => Some(Tag::I(kind)),
            _ => None,
        }
    }
}

impl fmt::Display for Tag {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Tag::O => f.write_str("O"),
            Tag::B(k) => write!(f, "B-{k}"),
            Tag::I(k) => write!(f, "I-{k}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn index_round_trips() {
        for i in 0..NUM_LABELS {
            assert_eq!(Tag::from_index(i).index(), i);
            let s = Tag::from_index(i).to_string();
            assert_eq!(Tag::parse(&s), Some(Tag::from_index(i)));
        }
    }
}
