//! Name lists loaded from the model assets: the place gazetteer
//! (`places.tsv.gz`) and the given-name, organisation and person lists
//! (`names.tsv`), plus a short built-in organisation list.

use std::collections::{HashMap, HashSet};
use std::fmt;
use std::io::Read;

use flate2::read::GzDecoder;

use super::Geo;
use super::normalize::normalize;
use super::tagger::hash::FxBuild;

/// Why an asset could not be loaded.
#[derive(Debug)]
pub enum AssetError {
    /// The places asset is not a readable gzip stream.
    Gzip(std::io::Error),
    /// The places asset is not UTF-8 once decompressed.
    NotUtf8,
    /// A line of `places.tsv` is malformed (line numbers start at 1).
    Places { line: usize, message: String },
    /// A line of `names.tsv` is malformed (line numbers start at 1).
    Names { line: usize, message: String },
}

impl fmt::Display for AssetError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            AssetError::Gzip(e) => write!(f, "places asset is not valid gzip: {e}"),
            AssetError::NotUtf8 => write!(f, "places asset is not UTF-8"),
            AssetError::Places { line, message } => write!(f, "places.tsv line {line}: {message}"),
            AssetError::Names { line, message } => write!(f, "names.tsv line {line}: {message}"),
        }
    }
}

impl std::error::Error for AssetError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            AssetError::Gzip(e) => Some(e),
            _ => None,
        }
    }
}

/// The longest name, in words, that lookups try.
pub(crate) const MAX_NAME_WORDS: usize = 6;

/// What a key of a [`Lexicon`] points to.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Hit {
    /// Index of the entry (its canonical name and data).
    pub entry: u32,
    /// Every written form of this key is all capitals (`US`): a text match
    /// must be all capitals too, so the pronoun "Us" is not the country.
    pub caps_only: bool,
    /// The key is the canonical name of some entry, not only an alias.
    pub named: bool,
}

/// Normalized names mapping to entries; the first entry to claim a key keeps it.
#[derive(Debug, Default)]
pub(crate) struct Lexicon {
    keys: HashMap<Box<str>, Hit, FxBuild>,
    canonicals: Vec<Box<str>>,
    max_words: usize,
}

/// Whether a written form is all capitals (two or more letters).
fn is_all_caps(form: &str) -> bool {
    let mut letters = 0;
    for c in form.chars().filter(|c| c.is_alphabetic()) {
        if !c.is_uppercase() {
            return false;
        }
        letters += 1;
    }
    letters >= 2
}

impl Lexicon {
    /// Adds an entry with its canonical name; returns its index.
    fn add_entry(&mut self, canonical: &str) -> u32 {
        self.canonicals.push(canonical.trim().into());
        (self.canonicals.len() - 1) as u32
    }

    /// Adds a written form of entry `entry`; `named` when it is the entry's
    /// canonical name. Another entry's key keeps its entry.
    fn add_form(&mut self, entry: u32, form: &str, named: bool) {
        let key = normalize(form);
        if key.is_empty() {
            return;
        }
        let caps = is_all_caps(form);
        let words = key.split(' ').count();
        match self.keys.get_mut(key.as_str()) {
            Some(hit) => {
                if hit.entry == entry {
                    hit.caps_only &= caps;
                }
                hit.named |= named;
            }
            None => {
                self.max_words = self.max_words.max(words.min(MAX_NAME_WORDS));
                self.keys.insert(
                    key.into_boxed_str(),
                    Hit {
                        entry,
                        caps_only: caps,
                        named,
                    },
                );
            }
        }
    }

    pub fn get(&self, key: &str) -> Option<Hit> {
        self.keys.get(key).copied()
    }

    /// The hit for a key written as in the text: `all_caps` tells whether the
    /// text form is all capitals.
    pub fn get_as_written(&self, key: &str, all_caps: bool) -> Option<Hit> {
        self.get(key).filter(|h| all_caps || !h.caps_only)
    }

    pub fn canonical(&self, entry: u32) -> &str {
        self.canonicals
            .get(entry as usize)
            .map(|s| &**s)
            .unwrap_or("")
    }

    /// The most words any key has (at most [`MAX_NAME_WORDS`]).
    pub fn max_words(&self) -> usize {
        self.max_words
    }
}

/// The kind of a gazetteer place.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum PlaceKind {
    /// A continent or world region from [`BUILTIN_REGIONS`].
    Region,
    Country,
    Admin1,
    City,
}

/// Continents and world regions, which `places.tsv` does not list. They come
/// before its lines, so `Africa` or `Asia` never resolve to a city so named.
pub(crate) const BUILTIN_REGIONS: &[&str] = &[
    "Africa",
    "Americas",
    "Antarctica",
    "Arctic",
    "Asia",
    "Balkans",
    "Caribbean",
    "Caucasus",
    "Central America",
    "Central Asia",
    "Central Europe",
    "East Africa",
    "East Asia",
    "Eastern Europe",
    "Europe",
    "Far East",
    "Horn of Africa",
    "Latin America",
    "Levant",
    "Maghreb",
    "Mediterranean",
    "Middle East",
    "North Africa",
    "North America",
    "North Caucasus",
    "Oceania",
    "Sahel",
    "Scandinavia",
    "South America",
    "South Asia",
    "Southeast Asia",
    "Sub-Saharan Africa",
    "West Africa",
    "Western Europe",
];

/// Places by normalized name.
#[derive(Debug, Default)]
pub(crate) struct Gazetteer {
    pub names: Lexicon,
    kinds: Vec<PlaceKind>,
    /// The GeoNames entry of each place whose name is unambiguous.
    geo: Vec<Option<Geo>>,
}

/// Reads the `geonameid, lat, lon` columns: all empty, or all valid.
fn parse_geo(country: &str, fields: [&str; 3]) -> Result<Option<Geo>, String> {
    let [id, lat, lon] = fields.map(str::trim);
    if id.is_empty() && lat.is_empty() && lon.is_empty() {
        return Ok(None);
    }
    let geonames_id = id.parse().map_err(|_| format!("bad geonameid {id:?}"))?;
    let lat: f64 = lat.parse().map_err(|_| format!("bad latitude {lat:?}"))?;
    let lon: f64 = lon.parse().map_err(|_| format!("bad longitude {lon:?}"))?;
    if !(-90.0..=90.0).contains(&lat) || !(-180.0..=180.0).contains(&lon) {
        return Err(format!("coordinates out of range: {lat}, {lon}"));
    }
    Ok(Some(Geo {
        geonames_id,
        country: country.to_string(),
        lat,
        lon,
    }))
}

impl Gazetteer {
    /// Reads gzip-compressed `places.tsv`.
    pub fn from_gzip(bytes: &[u8]) -> Result<Gazetteer, AssetError> {
        let mut raw = Vec::new();
        GzDecoder::new(bytes)
            .read_to_end(&mut raw)
            .map_err(AssetError::Gzip)?;
        let text = String::from_utf8(raw).map_err(|_| AssetError::NotUtf8)?;
        Gazetteer::from_tsv(&text)
    }

    /// Reads `places.tsv` lines:
    /// `canonical, kind, country_code, geonameid, lat, lon, aliases...`.
    pub fn from_tsv(text: &str) -> Result<Gazetteer, AssetError> {
        let mut g = Gazetteer::default();
        for region in BUILTIN_REGIONS {
            let entry = g.names.add_entry(region);
            g.kinds.push(PlaceKind::Region);
            g.geo.push(None);
            g.names.add_form(entry, region, true);
        }
        for (n, line) in text.lines().enumerate() {
            let line = line.trim_end_matches('\r');
            if line.trim().is_empty() || line.starts_with('#') {
                continue;
            }
            let err = |message: &str| AssetError::Places {
                line: n + 1,
                message: message.to_string(),
            };
            let mut fields = line.split('\t');
            let canonical = fields.next().unwrap_or("").trim();
            let kind = match fields.next().map(str::trim) {
                Some("country") => PlaceKind::Country,
                Some("admin1") => PlaceKind::Admin1,
                Some("city") => PlaceKind::City,
                Some(other) => return Err(err(&format!("unknown kind {other:?}"))),
                None => return Err(err("missing kind")),
            };
            let Some(country) = fields.next() else {
                return Err(err("missing country code"));
            };
            let geo = [fields.next(), fields.next(), fields.next()];
            let [Some(id), Some(lat), Some(lon)] = geo else {
                return Err(err("missing geonameid, latitude or longitude"));
            };
            let geo = parse_geo(country.trim(), [id, lat, lon]).map_err(|m| err(&m))?;
            if normalize(canonical).is_empty() {
                return Err(err("empty canonical name"));
            }
            let entry = g.names.add_entry(canonical);
            g.kinds.push(kind);
            g.geo.push(geo);
            g.names.add_form(entry, canonical, true);
            for alias in fields {
                g.names.add_form(entry, alias, false);
            }
        }
        Ok(g)
    }

    pub fn kind(&self, entry: u32) -> Option<PlaceKind> {
        self.kinds.get(entry as usize).copied()
    }

    /// The GeoNames entry of a place, when its name is unambiguous.
    pub fn geo(&self, entry: u32) -> Option<&Geo> {
        self.geo.get(entry as usize)?.as_ref()
    }
}

/// Organisations well known in current news that older training data lacks.
/// Used alongside the `org` lines of `names.tsv`.
/// Other names of an organisation follow its name after `|`.
pub(crate) const BUILTIN_ORGS: &[&str] = &[
    "Islamic State|ISIS|ISIL|Daesh",
    "Taliban",
    "al-Qaeda|al-Qaida",
    "Hamas",
    "Hezbollah",
    "Boko Haram",
    "al-Shabaab",
    "Kremlin",
    "Pentagon",
    "White House",
    "NATO",
    "European Union",
    "EU",
    "United Nations",
    "UN",
    "Reuters",
    "Associated Press",
    "AFP",
    "Bloomberg",
    "BBC",
    "CNN",
    "Interpol",
    "Europol",
    // Platforms and companies that news names as sources and channels.
    "Telegram",
    "Facebook",
    "Twitter",
    "YouTube",
    "WhatsApp",
    "Instagram",
    "TikTok",
    "Google",
    "Microsoft",
    "Snapchat",
    "Huawei",
    "Apple",
    "Amazon",
    "Netflix",
    "Nvidia",
    "OpenAI",
    // News organisations and aid groups news names as sources.
    "Al Jazeera",
    "The Guardian",
    "Doctors Without Borders|Médecins Sans Frontières|Medecins Sans Frontieres",
    "Amnesty International",
    "Human Rights Watch",
    "Red Cross|International Committee of the Red Cross|ICRC",
    "Red Crescent",
    "World Health Organization|WHO",
    "Unicef|UNICEF",
    "International Monetary Fund|IMF",
    "World Bank",
];

/// The `names.tsv` lists.
#[derive(Debug, Default)]
pub(crate) struct Names {
    /// Common given names (matching keys).
    pub first: HashSet<Box<str>, FxBuild>,
    /// Frequent organisation names.
    pub orgs: Lexicon,
    /// Frequent person names.
    pub persons: Lexicon,
    /// [`BUILTIN_ORGS`].
    pub builtin_orgs: Lexicon,
}

impl Names {
    /// Reads `names.tsv` lines: `kind<TAB>word`, kind one of first, org, person.
    pub fn from_tsv(text: &str) -> Result<Names, AssetError> {
        let mut names = Names::default();
        for (n, line) in text.lines().enumerate() {
            let line = line.trim_end_matches('\r');
            if line.trim().is_empty() || line.starts_with('#') {
                continue;
            }
            let err = |message: &str| AssetError::Names {
                line: n + 1,
                message: message.to_string(),
            };
            let (kind, word) = line.split_once('\t').ok_or_else(|| err("missing tab"))?;
            let word = word.trim();
            let key = normalize(word);
            if key.is_empty() {
                return Err(err("empty name"));
            }
            match kind.trim() {
                "first" => {
                    names.first.insert(key.into_boxed_str());
                }
                "org" => add_name(&mut names.orgs, word),
                "person" => add_name(&mut names.persons, word),
                other => return Err(err(&format!("unknown kind {other:?}"))),
            }
        }
        for org in BUILTIN_ORGS {
            let mut forms = org.split('|');
            let Some(name) = forms.next() else {
                continue;
            };
            add_name(&mut names.builtin_orgs, name);
            if let Some(hit) = names.builtin_orgs.get(&normalize(name)) {
                for alias in forms {
                    names.builtin_orgs.add_form(hit.entry, alias, false);
                }
            }
        }
        Ok(names)
    }
}

/// Adds a name as its own entry, unless its key is taken (first line wins).
fn add_name(lex: &mut Lexicon, word: &str) {
    let key = normalize(word);
    match lex.get(&key) {
        Some(hit) => lex.add_form(hit.entry, word, false),
        None => {
            let entry = lex.add_entry(word);
            lex.add_form(entry, word, true);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn first_line_keeps_a_shared_name() {
        let g = Gazetteer::from_tsv(
            "Moscow\tcity\tRU\t524901\t55.75204\t37.61781\tMoskva\tMoscou\nMoscow (Idaho)\tcity\tUS\t\t\t\tMoscow\n",
        )
        .expect("valid");
        let hit = g.names.get("moscow").expect("moscow");
        assert_eq!(g.names.canonical(hit.entry), "Moscow");
        let hit = g.names.get("moskva").expect("moskva");
        assert_eq!(g.names.canonical(hit.entry), "Moscow");
        assert_eq!(g.kind(hit.entry), Some(PlaceKind::City));
        assert!(!hit.named);
        assert!(g.names.get("moscow").is_some_and(|h| h.named));
        let geo = g.geo(hit.entry).expect("Moscow has a GeoNames entry");
        assert_eq!((geo.geonames_id, geo.country.as_str()), (524901, "RU"));
        assert!((geo.lat - 55.75204).abs() < 1e-9 && (geo.lon - 37.61781).abs() < 1e-9);
    }

    #[test]
    fn an_ambiguous_place_has_no_geonames_entry() {
        let g = Gazetteer::from_tsv("Georgia\tcountry\tGE\t\t\t\n").expect("valid");
        let hit = g.names.get("georgia").expect("georgia");
        assert!(g.geo(hit.entry).is_none());
    }

    #[test]
    fn regions_come_before_file_lines() {
        let g = Gazetteer::from_tsv("Mahdia\tcity\tTN\t\t\t\tAfrica\nAsia\tcity\tPE\t\t\t\n")
            .expect("valid");
        for key in ["africa", "asia"] {
            let hit = g.names.get(key).expect(key);
            assert_eq!(g.kind(hit.entry), Some(PlaceKind::Region), "{key}");
        }
        let hit = g.names.get("central asia").expect("central asia");
        assert_eq!(g.names.canonical(hit.entry), "Central Asia");
    }

    #[test]
    fn all_caps_alias_needs_all_caps_text() {
        let g = Gazetteer::from_tsv("United States\tcountry\tUS\t\t\t\tUS\tUSA\tU.S.\n")
            .expect("valid");
        assert!(g.names.get_as_written("us", true).is_some());
        assert!(g.names.get_as_written("us", false).is_none());
        assert!(g.names.get_as_written("united states", false).is_some());
    }

    #[test]
    fn malformed_assets_are_errors() {
        assert!(matches!(
            Gazetteer::from_tsv("Moscow\ttown\tRU\t\t\t\n"),
            Err(AssetError::Places { line: 1, .. })
        ));
        assert!(matches!(
            Gazetteer::from_tsv("\nMoscow\n"),
            Err(AssetError::Places { line: 2, .. })
        ));
        assert!(matches!(
            Gazetteer::from_tsv("Moscow\tcity\tRU\tMoskva\n"),
            Err(AssetError::Places { line: 1, .. })
        ));
        assert!(matches!(
            Gazetteer::from_tsv("Moscow\tcity\tRU\t524901\t95.1\t37.6\n"),
            Err(AssetError::Places { line: 1, .. })
        ));
        assert!(matches!(
            Names::from_tsv("first\tJohn\nnickname\tJo\n"),
            Err(AssetError::Names { line: 2, .. })
        ));
        assert!(matches!(
            Gazetteer::from_gzip(b"not gzip"),
            Err(AssetError::Gzip(_))
        ));
    }
}
