//! Name lists for features: a token trie over lowercased names, each name carrying a
//! bit set of categories (country, region, city, organisation, person, first name,
//! MISC word such as a nationality, organisation suffix, title). Matching is
//! longest-first from each token.

#[cfg(feature = "train")]
use std::io::Read;

use super::codec::{DecodeError, Reader, SortedStrings, Writer};
#[cfg(feature = "train")]
use super::conll::Document;
#[cfg(feature = "train")]
use super::eval::spans;
#[cfg(feature = "train")]
use super::hash::FxMap;
#[cfg(feature = "train")]
use super::tag::Kind;
#[cfg(feature = "train")]
use super::text::tokenize;

/// Category bits.
pub mod cat {
    pub const COUNTRY: u16 = 1 << 0;
    pub const REGION: u16 = 1 << 1;
    pub const CITY: u16 = 1 << 2;
    pub const ORG: u16 = 1 << 3;
    pub const PERSON: u16 = 1 << 4;
    pub const FIRST: u16 = 1 << 5;
    pub const MISC: u16 = 1 << 6;
    pub const ORG_SUFFIX: u16 = 1 << 7;
    pub const TITLE: u16 = 1 << 8;
    /// The number of categories.
    pub const COUNT: usize = 9;
}

/// The longest name in tokens that is matched.
pub const MAX_NAME_TOKENS: usize = 6;

#[cfg(feature = "train")]
const ORG_SUFFIXES: &[&str] = &[
    "inc",
    "inc.",
    "corp",
    "corp.",
    "co",
    "co.",
    "ltd",
    "ltd.",
    "plc",
    "llc",
    "ag",
    "sa",
    "nv",
    "bv",
    "gmbh",
    "group",
    "bank",
    "party",
    "ministry",
    "council",
    "association",
    "union",
    "federation",
    "committee",
    "club",
    "university",
    "institute",
    "agency",
    "commission",
    "organisation",
    "organization",
    "department",
    "airlines",
    "airways",
    "motors",
    "holdings",
    "international",
    "fund",
    "exchange",
    "court",
    "army",
    "police",
    "board",
    "foundation",
    "society",
    "press",
    "times",
    "news",
    "post",
    "journal",
    "corporation",
    "company",
    "industries",
    "systems",
    "technologies",
    "partners",
    "securities",
    "capital",
    "trust",
    "institution",
    "authority",
    "office",
    "service",
    "services",
    "network",
    "league",
    "assembly",
    "parliament",
    "congress",
    "senate",
    "government",
    "united",
    "rovers",
    "athletic",
    "wanderers",
    "county",
    "city",
    "FC",
    "school",
    "college",
    "hospital",
    // Dutch organisation words.
    "partij",
    "ministerie",
    "gemeente",
    "universiteit",
    "hogeschool",
    "stichting",
    "vereniging",
    "bond",
    "raad",
    "kamer",
    "ziekenhuis",
    "omroep",
    "groep",
    "maatschappij",
    "rechtbank",
    "politie",
];

#[cfg(feature = "train")]
const TITLES: &[&str] = &[
    "mr",
    "mr.",
    "mrs",
    "mrs.",
    "ms",
    "ms.",
    "dr",
    "dr.",
    "prof",
    "prof.",
    "sir",
    "lord",
    "lady",
    "president",
    "minister",
    "chancellor",
    "premier",
    "king",
    "queen",
    "prince",
    "princess",
    "pope",
    "senator",
    "sen.",
    "rep.",
    "governor",
    "gov.",
    "mayor",
    "judge",
    "general",
    "gen.",
    "colonel",
    "col.",
    "captain",
    "capt.",
    "secretary",
    "chairman",
    "chairwoman",
    "chief",
    "director",
    "spokesman",
    "spokeswoman",
    "coach",
    "manager",
    "striker",
    "midfielder",
    "defender",
    "goalkeeper",
    "leader",
    "rev.",
    "reverend",
    "father",
    "saint",
    "st.",
    "ambassador",
    "envoy",
    "commissioner",
    "officer",
    "analyst",
    "economist",
    "president-elect",
    "sheik",
    "sheikh",
    "emir",
    "ayatollah",
    "cardinal",
    "archbishop",
    "bishop",
    // Dutch titles.
    "dhr.",
    "mevr.",
    "mevrouw",
    "meneer",
    "koning",
    "koningin",
    "prins",
    "prinses",
    "paus",
    "minister-president",
    "burgemeester",
    "wethouder",
    "staatssecretaris",
    "voorzitter",
    "directeur",
    "woordvoerder",
    "kamerlid",
    "drs.",
    "ir.",
    // Salutations, which like titles precede a name ("Dear Sara", "Hi Kevin").
    "dear",
    "hi",
    "hello",
    "hey",
];

/// Collects names into a token trie; [`GazetteerBuilder::finish`] freezes it.
#[cfg(feature = "train")]
#[derive(Debug, Clone, Default)]
pub struct GazetteerBuilder {
    words: FxMap<String, u32>,
    word_list: Vec<String>,
    edges: FxMap<(u32, u32), u32>,
    terminal: Vec<u16>,
}

#[cfg(feature = "train")]
impl GazetteerBuilder {
    pub fn new() -> GazetteerBuilder {
        GazetteerBuilder {
            terminal: vec![0],
            ..Default::default()
        }
    }

    /// Adds a name (tokenized like text, lowercased) with category bits.
    pub fn add(&mut self, name: &str, category: u16) {
        let toks = tokenize(name);
        if toks.is_empty() || toks.len() > MAX_NAME_TOKENS {
            return;
        }
        let mut node = 0u32;
        for t in toks {
            let lower = t.to_lowercase();
            let id = match self.words.get(&lower) {
                Some(id) => *id,
                None => {
                    let id = self.word_list.len() as u32;
                    self.words.insert(lower.clone(), id);
                    self.word_list.push(lower);
                    id
                }
            };
            node = match self.edges.get(&(node, id)) {
                Some(n) => *n,
                None => {
                    let n = self.terminal.len() as u32;
                    self.terminal.push(0);
                    self.edges.insert((node, id), n);
                    n
                }
            };
        }
        if let Some(t) = self.terminal.get_mut(node as usize) {
            *t |= category;
        }
    }

    /// The frozen trie, with word ids renumbered in sorted order.
    pub fn finish(self) -> Gazetteer {
        let mut order: Vec<u32> = (0..self.word_list.len() as u32).collect();
        order.sort_by(|a, b| self.word_list[*a as usize].cmp(&self.word_list[*b as usize]));
        let mut new_id = vec![0u32; order.len()];
        for (pos, old) in order.iter().enumerate() {
            new_id[*old as usize] = pos as u32;
        }
        let sorted: Vec<&str> = order
            .iter()
            .map(|i| self.word_list[*i as usize].as_str())
            .collect();
        let mut edges: Vec<(u64, u32)> = self
            .edges
            .iter()
            .map(|((p, w), c)| ((u64::from(*p) << 32) | u64::from(new_id[*w as usize]), *c))
            .collect();
        edges.sort_unstable();
        let root = root_table(&edges, sorted.len());
        Gazetteer {
            words: SortedStrings::from_sorted(&sorted),
            edges,
            terminal: self.terminal,
            root,
        }
    }
}

/// A frozen token trie over lowercased names: sorted words, sorted edges.
#[derive(Debug, Clone)]
pub struct Gazetteer {
    words: SortedStrings,
    /// `((parent << 32) | word, child)`, sorted.
    edges: Vec<(u64, u32)>,
    /// Category bits of the name ending at each node (node 0 is the root).
    terminal: Vec<u16>,
    /// The child of the root for each word id (0 = none), so the first step is a lookup.
    root: Vec<u32>,
}

/// The root's children indexed by word id.
fn root_table(edges: &[(u64, u32)], words: usize) -> Vec<u32> {
    let mut root = vec![0u32; words];
    for (k, c) in edges.iter().take_while(|(k, _)| k >> 32 == 0) {
        if let Some(slot) = root.get_mut((*k & 0xffff_ffff) as usize) {
            *slot = *c;
        }
    }
    root
}

impl Default for Gazetteer {
    fn default() -> Self {
        Gazetteer::new()
    }
}

impl Gazetteer {
    /// The categories of a one-word name (lowercased), 0 when it is none.
    pub fn categories(&self, lower: &str) -> u16 {
        self.word(lower)
            .and_then(|w| self.root.get(w as usize))
            .and_then(|&node| self.terminal.get(node as usize))
            .copied()
            .unwrap_or(0)
    }

    /// An empty gazetteer.
    pub fn new() -> Gazetteer {
        Gazetteer {
            words: SortedStrings::default(),
            edges: Vec::new(),
            terminal: vec![0],
            root: Vec::new(),
        }
    }

    /// The id of a lowercased word, if it occurs in any name.
    pub fn word(&self, lower: &str) -> Option<u32> {
        self.words.find(lower).map(|i| i as u32)
    }

    fn step(&self, node: u32, word: u32) -> Option<u32> {
        if node == 0 {
            return self.root.get(word as usize).copied().filter(|c| *c != 0);
        }
        let key = (u64::from(node) << 32) | u64::from(word);
        self.edges
            .binary_search_by_key(&key, |e| e.0)
            .ok()
            .map(|i| self.edges[i].1)
    }

    /// The names found in a sentence given its tokens' word ids: for each start, the
    /// longest name, as `(start, length, categories)`.
    pub fn matches(&self, words: &[Option<u32>]) -> Vec<(usize, usize, u16)> {
        let mut out = Vec::new();
        for start in 0..words.len() {
            let mut node = 0u32;
            let mut best: Option<(usize, u16)> = None;
            for (j, w) in words[start..].iter().take(MAX_NAME_TOKENS).enumerate() {
                let Some(w) = w else { break };
                match self.step(node, *w) {
                    Some(n) => node = n,
                    None => break,
                }
                let t = self.terminal.get(node as usize).copied().unwrap_or(0);
                if t != 0 {
                    best = Some((j + 1, t));
                }
            }
            if let Some((len, cats)) = best {
                out.push((start, len, cats));
            }
        }
        out
    }

    /// The number of nodes in the trie.
    pub fn node_count(&self) -> usize {
        self.terminal.len()
    }

    pub fn write(&self, w: &mut Writer) {
        self.words.write(w);
        w.len(self.terminal.len());
        for t in &self.terminal {
            w.buf.extend_from_slice(&t.to_le_bytes());
        }
        w.len(self.edges.len());
        for (k, c) in &self.edges {
            w.u64(*k);
            w.u32(*c);
        }
    }

    pub fn read(r: &mut Reader<'_>) -> Result<Gazetteer, DecodeError> {
        let words = SortedStrings::read(r)?;
        let nodes = r.len(2)?;
        let raw = r.bytes(nodes * 2)?;
        let mut terminal: Vec<u16> = raw
            .chunks_exact(2)
            .map(|c| u16::from_le_bytes([c[0], c[1]]))
            .collect();
        let ne = r.len(12)?;
        let mut edges = Vec::with_capacity(ne);
        for _ in 0..ne {
            let (k, c) = (r.u64()?, r.u32()?);
            if c as usize >= nodes {
                return Err(DecodeError("gazetteer edge out of range".into()));
            }
            edges.push((k, c));
        }
        if !edges.windows(2).all(|w| w[0].0 < w[1].0) {
            return Err(DecodeError("gazetteer edges not sorted".into()));
        }
        if terminal.is_empty() {
            terminal.push(0);
        }
        let root = root_table(&edges, words.len());
        Ok(Gazetteer {
            words,
            edges,
            terminal,
            root,
        })
    }
}

/// Builds the gazetteer from lede's assets (`places.tsv.gz`, `names.tsv`), the hand
/// lists of organisation suffixes and titles, and the single-token MISC names seen at
/// least twice in the training documents (nationalities, languages, events).
#[cfg(feature = "train")]
pub fn build(places_gz: &[u8], names_tsv: &str, train: &[Document]) -> Result<Gazetteer, String> {
    let mut g = GazetteerBuilder::new();
    let mut places = String::new();
    flate2::read::GzDecoder::new(places_gz)
        .read_to_string(&mut places)
        .map_err(|e| format!("places: {e}"))?;
    for line in places.lines() {
        let cols: Vec<&str> = line.split('\t').collect();
        // canonical, kind, country code, geonameid, lat, lon, aliases...
        if cols.len() < 6 {
            continue;
        }
        let category = match cols[1] {
            "country" => cat::COUNTRY,
            "admin1" => cat::REGION,
            _ => cat::CITY,
        };
        g.add(cols[0], category);
        for alias in &cols[6..] {
            let short_code =
                alias.len() <= 3 && alias.chars().all(|c| c.is_ascii_uppercase() || c == '.');
            if short_code && category != cat::COUNTRY {
                continue;
            }
            g.add(alias, category);
        }
    }
    for line in names_tsv.lines() {
        let Some((kind, word)) = line.split_once('\t') else {
            continue;
        };
        let category = match kind {
            "first" => cat::FIRST,
            "org" => cat::ORG,
            "person" => cat::PERSON,
            _ => continue,
        };
        g.add(word, category);
    }
    for w in ORG_SUFFIXES {
        g.add(w, cat::ORG_SUFFIX);
    }
    for w in TITLES {
        g.add(w, cat::TITLE);
    }
    let mut misc: FxMap<&str, usize> = FxMap::default();
    for d in train {
        for s in &d.sentences {
            for (a, b, k) in spans(&s.tags) {
                if k == Kind::Misc && b == a + 1 {
                    *misc.entry(s.tokens[a].as_str()).or_default() += 1;
                }
            }
        }
    }
    let mut misc: Vec<&str> = misc
        .into_iter()
        .filter(|(_, c)| *c >= 2)
        .map(|(w, _)| w)
        .collect();
    misc.sort_unstable();
    for w in misc {
        g.add(w, cat::MISC);
    }
    Ok(g.finish())
}

// Training builds every model these tests use.
#[cfg(all(test, feature = "train"))]
mod tests {
    use super::*;

    #[test]
    fn longest_match() {
        let mut b = GazetteerBuilder::new();
        b.add("New York", cat::CITY);
        b.add("New York City", cat::CITY | cat::REGION);
        b.add("York", cat::CITY);
        let g = b.finish();
        let ids: Vec<Option<u32>> = ["in", "new", "york", "city", "today"]
            .iter()
            .map(|w| g.word(w))
            .collect();
        let m = g.matches(&ids);
        assert_eq!(m[0], (1, 3, cat::CITY | cat::REGION));
        assert_eq!(m[1], (2, 1, cat::CITY));
    }
}
