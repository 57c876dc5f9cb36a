//! Fixed English word lists the rules key on: function words, titles, role
//! nouns, organisation words, reporting verbs, name particles.
//!
//! All entries are matching keys (see [`super::normalize`]): lowercase ASCII.

use std::collections::HashSet;

use super::tagger::hash::FxBuild;

/// A set of fixed words (not built from input, so a fast unkeyed hash is safe).
type Set = HashSet<&'static str, FxBuild>;

/// Function words and common sentence openers: never a name, never a place.
#[rustfmt::skip]
const STOP: &[&str] = &[
    "a", "about", "above", "according", "across", "additionally", "after", "afterwards", "again",
    "against", "ago", "all", "almost", "along", "already", "also", "although", "always", "am",
    "among", "an", "and", "another", "any", "anyone", "anything", "are", "around", "as", "at",
    "be", "because", "been", "before", "being", "below", "besides", "between", "beyond", "both",
    "but", "by", "can", "cannot", "could", "currently", "despite", "did", "do", "does", "doing",
    "done", "down", "during", "each", "earlier", "either", "else", "elsewhere", "enough",
    "especially", "even", "eventually", "ever", "every", "everyone", "everything", "except", "few",
    "finally", "first", "following", "for", "former", "from", "further", "furthermore", "had",
    "has", "have", "having", "he", "hence", "her", "here", "hers", "herself", "him", "himself",
    "his", "how", "however", "i", "if", "in", "including", "indeed", "initially", "inside",
    "instead", "into", "is", "it", "its", "itself", "just", "last", "later", "latter", "least",
    "less", "like", "likewise", "many", "maybe", "me", "meanwhile", "might", "more", "moreover",
    "most", "much", "must", "my", "neither", "never", "nevertheless", "next", "no", "nobody",
    "none", "nonetheless", "nor", "not", "nothing", "now", "nowhere", "of", "off", "often", "on",
    "once", "one", "only", "onto", "or", "other", "others", "otherwise", "our", "ours", "out",
    "over", "overall", "perhaps", "please", "previously", "quite", "rather", "really", "recently",
    "same", "several", "she", "should", "similarly", "since", "so", "some", "someone", "something",
    "sometimes", "still", "such", "than", "that", "the", "their", "them", "themselves", "then",
    "there", "therefore", "these", "they", "this", "those", "though", "through", "throughout",
    "thus", "to", "today", "together", "tomorrow", "tonight", "too", "toward", "towards", "under",
    "unless", "until", "up", "upon", "us", "very", "via", "was", "we", "well", "were", "what",
    "whatever", "when", "whenever", "where", "whereas", "wherever", "whether", "which", "while",
    "who", "whoever", "whole", "whom", "whose", "why", "will", "with", "within", "without",
    "would", "yes", "yesterday", "yet", "you", "your", "yours",
];

/// Days and months: never the first word of a name; never a single-word place.
#[rustfmt::skip]
const CALENDAR: &[&str] = &[
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "january",
    "february", "march", "april", "may", "june", "july", "august", "september", "october",
    "november", "december", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct",
    "nov", "dec",
];

/// Capitalised words that are not names: directions, demonyms, religions,
/// geographic and building nouns, office words (`Fed Chair Jerome Powell`).
#[rustfmt::skip]
const NON_NAME: &[&str] = &[
    "acting", "afghan", "african", "airport", "american", "arab", "asian", "australian", "avenue",
    "bay", "belgian", "brazilian", "bridge", "british", "buddhist", "canadian", "cathedral",
    "catholic", "central", "centre", "ceo", "cfo", "chair", "chairperson", "chechen", "chief",
    "chinese", "christians", "church", "city", "coast", "commissioner", "conservative", "county",
    "danish", "democratic", "democrats", "deputy", "director", "district", "dutch", "east",
    "eastern", "egyptian", "english", "envoy", "european", "executive", "federal", "founder",
    "french", "german", "global", "greek", "gulf", "hall", "highway", "hindu", "incumbent",
    "indian", "interim", "iranian", "iraqi", "irish", "islamic", "island", "islands", "israeli",
    "italian", "japanese", "jewish", "kurdish", "labour", "lake", "latin", "liberal", "mosque",
    "mount", "mountain", "mountains", "muslim", "muslims", "national", "north", "northern",
    "ocean", "officer", "orthodox", "pakistani", "palace", "palestinian", "park", "persian",
    "polish", "protestant", "province", "region", "republic", "republican", "republicans", "river",
    "road", "royal", "russian", "saudi", "scottish", "sea", "shia", "shiite", "social", "south",
    "southern", "soviet", "spanish", "spokesman", "spokesperson", "spokeswoman", "square",
    "stadium", "state", "station", "street", "strip", "sunni", "swedish", "syrian", "tajik",
    "temple", "tower", "turkish", "ukrainian", "united", "uzbek", "valley", "vice", "welsh",
    "west", "western",
];

/// Faiths, their followers and peoples: capitalised, but not a person,
/// organisation or place ("Islam", "Christians", "Muslims", "Afghans").
#[rustfmt::skip]
const GROUPS: &[&str] = &[
    "afghans", "africans", "americans", "arabs", "asians", "australians", "britons", "brits",
    "buddhism", "buddhists", "canadians", "catholicism", "catholics", "chechens", "christendom",
    "christian", "christianity", "christians", "egyptians", "europeans", "evangelicals", "french",
    "germans", "hindu", "hinduism", "hindus", "iranians", "iraqis", "islam", "islamist",
    "islamists", "israelis", "italians", "jew", "jews", "jihadists", "judaism", "kurds", "latinos",
    "lutherans", "mormons", "muslim", "muslims", "pakistanis", "palestinians", "protestants",
    "russians", "salafists", "shias", "shiites", "sikhism", "sikhs", "sunnis", "syrians", "tajiks",
    "taoism", "ukrainians", "uzbeks", "westerners", "yazidis",
];

/// Title words written before a name; one following name word is enough.
#[rustfmt::skip]
const TITLES: &[&str] = &[
    "adm", "admiral", "ambassador", "archbishop", "ayatollah", "baron", "baroness", "bishop",
    "capt", "captain", "cardinal", "chairman", "chairwoman", "chancellor", "cmdr", "coach", "col",
    "colonel", "commander", "countess", "dame", "detective", "dr", "duchess", "duke", "earl",
    "emir", "gen", "general", "gov", "governor", "imam", "inspector", "judge", "justice", "king",
    "lady", "lieutenant", "lord", "lt", "marshal", "mayor", "minister", "mr", "mrs", "ms",
    "pastor", "pope", "premier", "president", "prince", "princess", "prof", "professor", "queen",
    "rabbi", "rev", "reverend", "secretary", "sen", "senator", "sergeant", "sgt", "sheik", "sheikh",
    "sheriff", "sir", "speaker",
    // Dutch titles.
    "burgemeester", "koning", "koningin", "kroonprinses", "paus", "prins",
    "prinses", "staatssecretaris", "wethouder",
];

/// Lowercase titles that, like capitalised ones, take a single-word name.
#[rustfmt::skip]
const STRONG_LOWER_TITLES: &[&str] = &[
    "ambassador", "ayatollah", "chancellor", "elect", "general", "governor", "judge", "king",
    "mayor", "minister", "pope", "premier", "president", "prince", "princess", "queen", "senator",
    "sheik", "sheikh",
    "burgemeester", "koning", "koningin", "paus", "prins", "prinses", "staatssecretaris",
];

/// Lowercase role nouns written directly before a full name
/// (`terrorism expert Bibi van Ginkel`).
#[rustfmt::skip]
const ROLES: &[&str] = &[
    "activist", "actor", "actress", "adviser", "advisor", "aide", "analyst", "anchor", "artist",
    "attorney", "author", "banker", "billionaire", "blogger", "businessman", "businesswoman",
    "candidate", "captain", "ceo", "chair", "chairman", "chairwoman", "chief", "coach",
    "colleague", "columnist", "commander", "commentator", "correspondent", "defender", "deputy",
    "diplomat", "director", "dissident", "doctor", "economist", "editor", "entrepreneur", "envoy",
    "executive", "expert", "founder", "goalkeeper", "head", "historian", "host", "investigator",
    "investor", "journalist", "lawmaker", "lawyer", "leader", "lecturer", "legislator", "manager",
    "midfielder", "mp", "musician", "official", "opponent", "philosopher", "photographer",
    "player", "politician", "presenter", "professor", "prosecutor", "reporter", "researcher",
    "rival", "scholar", "scientist", "secretary", "singer", "specialist", "spokesman",
    "spokesperson", "spokeswoman", "striker", "surgeon", "teammate", "trainer", "tycoon", "writer",
];

/// Verbs of saying after a name (`Putin said`, `Van Ginkel tells`).
#[rustfmt::skip]
const REPORTING_AFTER: &[&str] = &[
    "acknowledged", "added", "adds", "admitted", "announced", "argued", "argues", "asked",
    "believes", "claimed", "concluded", "confirmed", "denied", "emphasised", "emphasized",
    "explained", "explains", "insisted", "insists", "noted", "notes", "predicted", "recalled",
    "replied", "responded", "said", "says", "stated", "stressed", "suggested", "suggests", "tells",
    "thinks", "told", "warned", "warns", "writes", "wrote",
];

/// Verbs of saying before a name (`says Van Ginkel`).
#[rustfmt::skip]
const REPORTING_BEFORE: &[&str] = &[
    "added", "adds", "asked", "asks", "continued", "continues", "explained", "explains", "noted",
    "notes", "said", "says", "writes", "wrote",
];

/// Lowercase or capitalised particles inside names (`Bibi van Ginkel`).
#[rustfmt::skip]
const PARTICLES: &[&str] = &[
    "al", "bin", "binti", "da", "das", "de", "del", "della", "den", "der", "di", "do", "dos", "du",
    "el", "ibn", "la", "le", "ten", "ter", "van", "von",
];

/// Words that make a capitalised sequence an organisation name.
#[rustfmt::skip]
const ORG_HEADS: &[&str] = &[
    "academy", "agency", "airlines", "airways", "alliance", "army", "assembly", "association",
    "authority", "bank", "biotech", "board", "brands", "brigade", "brigades", "broadcasting",
    "bureau", "cabinet", "capital", "center", "centre", "chemicals", "club", "co", "coalition",
    "college", "commission", "committee", "communications", "company", "congress", "consortium",
    "corp", "corporation", "corps", "council", "court", "department", "directorate", "electric",
    "energy", "entertainment", "federation", "financial", "foods", "force", "forces", "foundation",
    "front", "fund", "gazette", "group", "guard", "herald", "holdings", "inc", "industries",
    "institute", "institution", "insurance", "international", "investments", "journal",
    "laboratories", "laboratory", "labs", "league", "llc", "logistics", "ltd", "media", "mining",
    "ministry", "motors", "movement", "navy", "network", "news", "observatory", "office", "oil",
    "organisation", "organization", "parliament", "partners", "party", "petroleum", "pharma",
    "pharmaceuticals", "plc", "police", "post", "press", "radio", "reserve", "resources",
    "secretariat", "securities", "senate", "service", "society", "software", "solutions", "steel",
    "studios", "systems", "technologies", "telecom", "telecommunications", "telegraph",
    "television", "therapeutics", "times", "tribunal", "tribune", "trust", "union", "university",
    "ventures", "watch",
];

/// Lowercase nouns naming a kind of organisation, written before its acronym
/// (`the Russian security service FSB`, `broadcaster NOS`).
#[rustfmt::skip]
const ORG_NOUNS: &[&str] = &[
    "affiliate", "agency", "airline", "alliance", "association", "automaker", "bank", "body",
    "branch", "broadcaster", "carmaker", "carrier", "channel", "charity", "club", "coalition",
    "committee", "company", "conglomerate", "consortium", "council", "court", "daily", "faction",
    "firm", "foundation", "group", "insurer", "institute", "lender", "magazine", "maker",
    "manufacturer", "militia", "ministry", "movement", "network", "newspaper", "offshoot",
    "operator", "organisation", "organization", "outfit", "outlet", "paper", "party", "platform",
    "regulator", "retailer", "service", "station", "team", "union", "watchdog", "wing",
];

/// Capitalised-sequence connectors inside organisation names.
#[rustfmt::skip]
const CONNECTORS: &[&str] = &[
    "and", "da", "de", "del", "der", "des", "di", "du", "for", "la", "le", "of", "on", "to", "van",
    "von",
];

/// All-caps words that are not organisations.
#[rustfmt::skip]
const COMMON_ACRONYMS: &[&str] = &[
    "ad", "ai", "aids", "am", "atm", "bc", "bce", "ce", "ceo", "cfo", "coo", "covid", "cto", "cv",
    "dna", "eta", "ev", "faq", "fyi", "gdp", "gmt", "gps", "hiv", "hr", "ii", "iii", "iq", "it",
    "iv", "ix", "lgbt", "lgbtq", "mp", "mps", "mvp", "ngo", "ngos", "ok", "pc", "pdf", "phd", "pm",
    "pr", "ps", "rna", "sms", "suv", "tv", "url", "usb", "utc", "vat", "vi", "vii", "viii", "vip",
    "xi", "xii",
];

/// Prepositions of place: a single-word city known only by an alias needs one.
#[rustfmt::skip]
const LOCATIVES: &[&str] = &[
    "across", "around", "at", "between", "from", "in", "inside", "into", "near", "outside",
    "through", "to", "toward", "towards", "via", "within",
];

/// Prepositions that put a following name inside a phrase (`analysts at X said`).
#[rustfmt::skip]
const PREPOSITIONS: &[&str] = &[
    "at", "by", "for", "from", "in", "into", "of", "on", "with", "within",
];

/// Determiners and possessives: a single capitalised word after one is not a person.
#[rustfmt::skip]
const DETERMINERS: &[&str] = &[
    "a", "an", "her", "his", "its", "my", "our", "that", "the", "their", "these", "this", "those",
    "your",
];

fn set(words: &[&'static str]) -> Set {
    words.iter().copied().collect()
}

/// The word lists as hash sets, built once per extractor.
pub(crate) struct Words {
    stop: Set,
    calendar: Set,
    non_name: Set,
    groups: Set,
    titles: Set,
    strong_lower_titles: Set,
    roles: Set,
    reporting_after: Set,
    reporting_before: Set,
    particles: Set,
    org_heads: Set,
    org_nouns: Set,
    connectors: Set,
    common_acronyms: Set,
    determiners: Set,
    locatives: Set,
    prepositions: Set,
}

/// The last word of a key (`"vice president"` → `"president"`).
fn last_word(key: &str) -> &str {
    key.rsplit(' ').next().unwrap_or(key)
}

impl Words {
    pub fn new() -> Words {
        Words {
            stop: set(STOP),
            calendar: set(CALENDAR),
            non_name: set(NON_NAME),
            groups: set(GROUPS),
            titles: set(TITLES),
            strong_lower_titles: set(STRONG_LOWER_TITLES),
            roles: set(ROLES),
            reporting_after: set(REPORTING_AFTER),
            reporting_before: set(REPORTING_BEFORE),
            particles: set(PARTICLES),
            org_heads: set(ORG_HEADS),
            org_nouns: set(ORG_NOUNS),
            connectors: set(CONNECTORS),
            common_acronyms: set(COMMON_ACRONYMS),
            determiners: set(DETERMINERS),
            locatives: set(LOCATIVES),
            prepositions: set(PREPOSITIONS),
        }
    }

    pub fn is_stop(&self, key: &str) -> bool {
        self.stop.contains(key)
    }
    pub fn is_calendar(&self, key: &str) -> bool {
        self.calendar.contains(key)
    }
    pub fn is_non_name(&self, key: &str) -> bool {
        self.non_name.contains(key)
    }
    /// A faith, its followers or a people: never an entity on its own.
    pub fn is_group(&self, key: &str) -> bool {
        self.groups.contains(key)
    }
    /// A title word, also as the end of a hyphenated title (`Vice-President`).
    pub fn is_title(&self, key: &str) -> bool {
        self.titles.contains(key) || self.titles.contains(last_word(key))
    }
    pub fn is_strong_lower_title(&self, key: &str) -> bool {
        self.strong_lower_titles.contains(key)
    }
    pub fn is_role(&self, key: &str) -> bool {
        self.roles.contains(key)
    }
    pub fn is_reporting_after(&self, key: &str) -> bool {
        self.reporting_after.contains(key)
    }
    pub fn is_reporting_before(&self, key: &str) -> bool {
        self.reporting_before.contains(key)
    }
    pub fn is_particle(&self, key: &str) -> bool {
        self.particles.contains(key)
    }
    pub fn is_org_head(&self, key: &str) -> bool {
        self.org_heads.contains(key) || self.org_heads.contains(last_word(key))
    }
    pub fn is_org_noun(&self, key: &str) -> bool {
        self.org_nouns.contains(key)
    }
    pub fn is_connector(&self, key: &str) -> bool {
        self.connectors.contains(key)
    }
    pub fn is_common_acronym(&self, key: &str) -> bool {
        self.common_acronyms.contains(key)
    }
    pub fn is_determiner(&self, key: &str) -> bool {
        self.determiners.contains(key)
    }
    pub fn is_locative(&self, key: &str) -> bool {
        self.locatives.contains(key)
    }
    pub fn is_preposition(&self, key: &str) -> bool {
        self.prepositions.contains(key)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ner::normalize::normalize;

    #[test]
    fn word_lists_are_matching_keys() {
        for list in [
            STOP,
            CALENDAR,
            NON_NAME,
            TITLES,
            STRONG_LOWER_TITLES,
            ROLES,
            REPORTING_AFTER,
            REPORTING_BEFORE,
            PARTICLES,
            ORG_HEADS,
            ORG_NOUNS,
            CONNECTORS,
            COMMON_ACRONYMS,
            DETERMINERS,
        ] {
            for w in list {
                assert_eq!(normalize(w), *w, "{w} is not a matching key");
            }
        }
    }

    #[test]
    fn hyphenated_titles_count_by_last_word() {
        let w = Words::new();
        assert!(w.is_title("vice president"));
        assert!(w.is_org_head("ministry"));
        assert!(!w.is_title("presidential"));
    }
}
