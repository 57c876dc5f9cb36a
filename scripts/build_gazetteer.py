#!/usr/bin/env python3
"""Build models/places.tsv.gz, a compact place-name gazetteer for news text.

Sources (read-only, under DATA_DIR, default ../shared/data relative to the
repository root):
  gazetteers/countryInfo.txt        GeoNames countries
  gazetteers/admin1CodesASCII.txt   GeoNames first-level divisions
  gazetteers/cities15000.txt        GeoNames cities with population >= 15,000
  bbc/*/*.txt, reuters21578/*.sgm   running text, only to count how often a
                                    word is written in lower case (common words)
                                    and how often the news uses a city's
                                    alternate names against its own name
  conll2003/train.txt               CoNLL-2003 train, only to find tokens that
                                    are mostly person names or non-places
  conll2002_nl/ned.train            CoNLL-2002 Dutch train, only for the given
                                    names that open Dutch person names (Karel)
  models/names.tsv,                 the project's given-name and surname lists
  models/census-names.tsv           (US Census 1990): an alternate name or a
                                    small city's name that is a person's name
                                    is left out (Alice, Parker, Karel)

Output: one place per line, UTF-8, tab-separated, gzip-compressed:
  canonical<TAB>kind<TAB>country_code<TAB>geonameid<TAB>lat<TAB>lon<TAB>alias1...
kind is country, admin1 or city. geonameid, lat and lon are empty when another
place of comparable weight has the same name; a country's point is its
capital's, a division's its biggest city's. Lines are in priority order: when two lines
share a normalised name (lower case, accents removed) the first line wins.
Names and aliases that an earlier line already claims are not written again.

Priority: countries first (GeoNames population order), then cities and
admin1 regions together by a score: city population (x10 for national
capitals, x0.5 for city sections), admin1 = half the summed population of its
cities of 15,000+, capped just below a big city or capital inside it that
bears the same name (New York City > New York state, Moscow > Moscow
federal-city region). An alternate name never takes another place's own name
(Victoria -> the Australian state, not Hong Kong's old name), except for a
hand-listed exonym (Calcutta, Bombay, Leningrad...), a capital taking the
name of a region of its own country (Kiev -> Kyiv) or a city taking the
similar name of the region it lies in. An alternate name the news uses far
more than the city's own name is left out (Twickenham is not Huntsville).

Usage: python3 scripts/build_gazetteer.py [DATA_DIR] [--out PATH]
Python 3.11 standard library only.
"""

import argparse
import collections
import difflib
import glob
import gzip
import html
import io
import os
import re
import unicodedata

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DEFAULT_DATA = os.path.normpath(os.path.join(REPO, "..", "shared", "data"))
DEFAULT_OUT = os.path.join(REPO, "models", "places.tsv.gz")

# --------------------------------------------------------------------------
# Hand-made tables
# --------------------------------------------------------------------------

# Well-known short forms and former names of countries, keyed by ISO alpha-2.
# These bypass the alias filters (so "US", "UK", "UAE", "DRC" survive).
COUNTRY_ALIASES = {
    "US": ["US", "U.S.", "USA", "U.S.A.", "United States of America", "America"],
    "GB": ["UK", "U.K.", "Britain", "Great Britain",
           "United Kingdom of Great Britain and Northern Ireland"],
    "NL": ["Holland", "The Netherlands", "Nederland", "Neths"],
    "AE": ["UAE", "U.A.E.", "Emirates"],
    "CD": ["DRC", "DR Congo", "D.R. Congo", "Congo-Kinshasa", "Zaire",
           "Democratic Republic of Congo", "Congo"],
    "CG": ["Congo-Brazzaville", "Republic of Congo", "Congo Republic"],
    "CZ": ["Czech Republic"],
    "MM": ["Burma"],
    "SZ": ["Swaziland", "eSwatini"],
    "MK": ["Macedonia", "Republic of Macedonia"],
    "KR": ["Republic of Korea", "S. Korea"],
    "KP": ["DPRK", "Democratic People's Republic of Korea", "N. Korea"],
    "CI": ["Côte d'Ivoire", "Cote d'Ivoire"],
    "CV": ["Cape Verde"],
    "TL": ["East Timor", "Timor-Leste"],
    "VA": ["Holy See", "Vatican City"],
    "VN": ["Viet Nam"],
    "LA": ["Lao PDR"],
    "TR": ["Türkiye", "Turkiye"],
    "RU": ["Russian Federation"],
    "CN": ["People's Republic of China", "PRC", "Mainland China"],
    "TW": ["Republic of China"],
    "BY": ["Byelorussia", "Belorussia"],
    "MD": ["Moldavia"],
    "KG": ["Kirghizia", "Kyrgyz Republic"],
    "BA": ["Bosnia", "Bosnia-Herzegovina", "Bosnia Herzegovina"],
    "GM": ["The Gambia"],
    "BS": ["The Bahamas"],
    "IR": ["Islamic Republic of Iran"],
    "SY": ["Syrian Arab Republic"],
    "VE": ["Bolivarian Republic of Venezuela"],
    "BO": ["Plurinational State of Bolivia"],
    "FM": ["Federated States of Micronesia"],
    "VC": ["Saint Vincent"],
    "KN": ["St Kitts and Nevis", "St. Kitts and Nevis", "Saint Kitts"],
    "LC": ["St Lucia", "St. Lucia"],
    "TT": ["Trinidad"],
    "AG": ["Antigua"],
    "ST": ["São Tomé and Príncipe"],
    "CF": ["Central African Rep."],
    "DO": ["Dominican Rep."],
    "CS": ["Yugoslavia", "Federal Republic of Yugoslavia"],
    "IE": ["Irish Republic", "Republic of Ireland", "Eire"],
    "SA": ["Kingdom of Saudi Arabia"],
    "ZA": ["S. Africa"],
    "HK": ["H.K."],
    "MO": ["Macau"],
    "RE": ["Réunion"],
    "AX": ["Åland", "Åland Islands"],
    "BN": ["Brunei Darussalam"],
    "PS": ["Palestine", "Palestinian Territories", "Occupied Palestinian Territories"],
    "BQ": ["Bonaire", "Caribbean Netherlands"],
}

# Display names that differ from the GeoNames country name (which is then
# kept as an alias).
COUNTRY_CANONICAL = {"NL": "Netherlands"}

# Extra aliases for first-level divisions, keyed by "CC.code".
ADMIN1_ALIASES = {
    "US.DC": ["District of Columbia"],
    "RU.12": ["Chechen Republic", "Chechnia", "Ichkeria"],
    "RU.19": ["Ingushetia"],
    "RU.17": ["Daghestan"],
    "RU.73": ["Tatarstan"],
    "RU.08": ["Bashkortostan", "Bashkiria"],
}

# Well-known exonyms and former names of cities, keyed by (country, GeoNames
# name). They bypass the alias filters and may take a name that a smaller
# place carries as its own ('Calcutta' is also a town in South Africa).
CITY_ALIASES = {
    ("IN", "Kolkata"): ["Calcutta"],
    ("IN", "Mumbai"): ["Bombay"],
    ("IN", "Chennai"): ["Madras"],
    ("IN", "Bengaluru"): ["Bangalore"],
    ("RU", "Saint Petersburg"): ["St. Petersburg", "St Petersburg", "Leningrad"],
    ("MM", "Yangon"): ["Rangoon"],
    ("CN", "Beijing"): ["Peking"],
    ("VN", "Ho Chi Minh City"): ["Saigon"],
    ("UA", "Kyiv"): ["Kiev"],
    ("UA", "Odesa"): ["Odessa"],
    ("US", "Washington"): ["Washington D.C.", "Washington DC"],
    ("US", "New York City"): ["New York"],
    # English names that are also given names or surnames, so the
    # alternate-name filter leaves them out
    ("CH", "Genève"): ["Geneva"],
    ("GR", "Ródos"): ["Rhodes"],
}

# City names that in news text almost always mean a company, news agency or
# club rather than the town of that name.
NOT_PLACES = {"Xinhua", "Honda", "Toyota", "Hitachi", "Nokia", "Ajax"}

# Words treated as common regardless of corpus counts (months, days, compass
# and generic geographic words). Compared in lower case.
STOP_WORDS = set("""
january february march april may june july august september october november
december monday tuesday wednesday thursday friday saturday sunday
north south east west northern southern eastern western central centre center
city capital county district province region state island islands river lake
mount port bay beach valley village town new old upper lower great little
saint san santa union independence liberty victory unity progress freedom
university college hospital airport station market park garden gardens
""".split())

# Country/capital names that are also ordinary lower-case English words;
# not used to detect lower-cased stories.
AMBIGUOUS_SENTINELS = {"turkey", "china", "chad", "jersey", "guinea", "jordan",
                       "georgia", "niger", "man", "cuba", "malta", "nice"}

# Corpus thresholds for "common word": written in lower case at least
# COMMON_MIN_LC times and in at least COMMON_MIN_SHARE of its cased uses.
COMMON_MIN_LC = 3
COMMON_MIN_SHARE = 0.05

# A city whose primary name is a common word or a person-like token is kept
# only if it is at least this large or a national capital of SMALL_CAPITAL+.
BIG_CITY = 1_000_000
SMALL_CAPITAL = 50_000  # capitals below this get no exemption ('Stanley')

# A token counts as person-like if CoNLL-2003 train tags it PER at least
# PER_MIN times and in at least PER_MIN_SHARE of its occurrences.
PER_MIN = 2
PER_MIN_SHARE = 0.5
# Cities of MID_CITY or more are dropped only if the name is a given name
# (first token of a multi-token PER span at least GIVEN_MIN times).
MID_CITY = 100_000
GIVEN_MIN = 3
# Every alternate name that is a given name or a surname of the name lists is
# left out: a transliteration that happens to read as a name ('Karel' for
# Kanel, 'Sophia' for Sofia) would turn a person into a place. So is a city of
# under GIVEN_NAME_CITY people named with a given name ('Alice') and one of
# under SURNAME_CITY named with a surname ('Parker'); bigger towns keep their
# names ('Compton', 'Lourdes').
GIVEN_NAME_CITY = 30_000
SURNAME_CITY = 60_000
# Dutch given names: the first token of a multi-token PER span in CoNLL-2002
# Dutch train at least DUTCH_GIVEN_MIN times.
DUTCH_GIVEN_MIN = 2
# A token is a non-entity word if CoNLL-2003 train tags it O or MISC in at
# least OTHER_SHARE of OTHER_MIN or more capitalised uses.
OTHER_MIN = 3
OTHER_SHARE = 0.7

# A GeoNames alternate name of a city is dropped when the news text writes it
# capitalised ALIAS_NEWS_MIN+ times and over ALIAS_NEWS_RATIO times as often as
# the city's own name: the news then means something else by it ('Twickenham',
# once Huntsville; 'Google', for a while Topeka; 'Kuznetsova', 'Timberlake').
# Kept are spellings of the name (difflib ratio ALIAS_SIMILAR+), every
# alternate name of a city of ALIAS_KEEP_CITY+ people ('Cologne') and the
# leading words of the name of one of ALIAS_KEEP_LEAD+ ('Frankfurt',
# 'Newcastle'; not 'Stanford' for Stanford-le-Hope).
ALIAS_NEWS_MIN = 3
ALIAS_NEWS_RATIO = 3
ALIAS_SIMILAR = 0.7
ALIAS_KEEP_CITY = 500_000
ALIAS_KEEP_LEAD = 100_000

CAPITAL_BOOST = 10      # score multiplier for national capitals (PPLC)
ADMIN1_SHARE = 0.5      # admin1 score = share * summed population of its cities
AMBIGUOUS_SHARE = 0.1   # a same-named place with this share of the score makes a name ambiguous

SUFFIXES = [  # generic admin1 suffixes; a stripped variant becomes an alias
    " Oblast'", " Oblast", " oblast", " Kray", " Krai", " Republic", " Province",
    " Region", " Governorate", " Prefecture", " District", " Division",
    " Department", " Voivodeship", " County", " State", " Territory",
    " Autonomous Okrug", " Autonomous Region", " Municipality",
]
PREFIXES = ["Republic of ", "State of ", "Province of ", "Region of "]

TOKEN_RE = re.compile(r"[^\W\d_]+(?:['’\-][^\W\d_]+)*")


def norm(s):
    """Lower case, accents removed, spaces collapsed (mirrors the loader)."""
    s = unicodedata.normalize("NFD", s.lower())
    s = "".join(c for c in s if not unicodedata.combining(c))
    return " ".join(s.split())


def is_latin(s):
    for c in s:
        if c.isalpha():
            try:
                n = unicodedata.name(c)
            except ValueError:
                return False
            if not (n.startswith("LATIN") or n.startswith("MODIFIER LETTER")):
                return False
        elif unicodedata.combining(c):
            continue
        elif c not in " -'’‘`.ʻʼ":
            return False
    return True


# --------------------------------------------------------------------------
# Corpus statistics
# --------------------------------------------------------------------------

def corpus_texts(data):
    for path in sorted(glob.glob(os.path.join(data, "bbc", "*", "*.txt"))):
        with open(path, encoding="utf-8", errors="replace") as f:
            yield f.read()
    for path in sorted(glob.glob(os.path.join(data, "reuters21578", "reut2-*.sgm"))):
        with open(path, encoding="latin-1") as f:
            s = f.read()
        for body in re.findall(r"<BODY>(.*?)</BODY>", s, re.S):
            yield html.unescape(body)


def word_case_counts(data, phrases, sentinels):
    """Count lower-case vs capitalised uses of words and of given phrases.

    phrases: set of normalised multi-word keys (tuples of tokens) to count.
    Returns (lc, cap) Counters keyed by lower-case word or token tuple.
    All-caps tokens (headlines, acronyms) are ignored.
    """
    lc = collections.Counter()
    cap = collections.Counter()
    maxn = max((len(p) for p in phrases), default=1)
    skipped = 0
    for text in corpus_texts(data):
        toks = TOKEN_RE.findall(text)
        if any(t in sentinels for t in toks):
            # Some Reuters-21578 stories were lower-cased (wholly or in part);
            # a country or capital written in lower case betrays them.
            skipped += 1
            continue
        kinds = []
        for t in toks:
            if t.islower():
                lc[t] += 1
                kinds.append(1)
            elif t[0].isupper() and not t.isupper():
                cap[t.lower()] += 1
                kinds.append(2)
            else:
                kinds.append(0)
        low = [t.lower() for t in toks]
        for i in range(len(toks)):
            for n in range(2, maxn + 1):
                if i + n > len(toks):
                    break
                key = tuple(low[i:i + n])
                if key in phrases:
                    ks = kinds[i:i + n]
                    if all(k == 1 for k in ks):
                        lc[key] += 1
                    elif all(k != 0 for k in ks):
                        cap[key] += 1
    print(f"  skipped {skipped} lower-cased texts")
    return lc, cap


def conll_rows(path, min_fields):
    """(word, tag) for each token line of a CoNLL file with at least
    `min_fields` fields, None at a sentence or document boundary."""
    with open(path, encoding="utf-8") as f:
        for line in f:
            parts = line.split()
            if len(parts) < min_fields or parts[0] == "-DOCSTART-":
                yield None
            else:
                yield parts[0], parts[-1]


def person_span_starts(rows):
    """How often each word (normalised) opens a person name of two or more tokens."""
    first = collections.Counter()
    prev = None
    for row in rows:
        if row is not None and row[1] == "I-PER" and prev is not None and prev[1] == "B-PER":
            first[norm(prev[0])] += 1
        prev = row
    return first


def conll_token_stats(data):
    """Single tokens that CoNLL-2003 train shows are not place names.

    Counts every capitalised token by the entity type of its tag.
    Returns (persons, given, non_entities, non_places):
      persons       tagged PER in >= PER_SHARE of uses (>= PER_MIN times)
      given         persons that start a multi-token PER span >= GIVEN_MIN times
      non_entities  tagged O or MISC in >= OTHER_SHARE of >= OTHER_MIN uses and
                    LOC in under 10% ('Olympic', 'Thai', 'Sale')
      non_places    tagged LOC in under 10% of >= OTHER_MIN uses (also clubs
                    and firms such as 'Hansa', 'Sion'); used for alternate
                    names only
    Keys are normalised (lower case, no accents).
    """
    tags = collections.defaultdict(collections.Counter)
    rows = list(conll_rows(os.path.join(data, "conll2003", "train.txt"), 4))
    first = person_span_starts(rows)
    for row in rows:
        if row is None:
            continue
        w, tag = row
        if not w[:1].isupper() or (w.isupper() and len(w) > 1):
            continue
        tags[norm(w)][tag[2:] if tag != "O" else "O"] += 1
    persons, others, nonloc = set(), set(), set()
    for w, c in tags.items():
        n = sum(c.values())
        if c["PER"] >= PER_MIN and c["PER"] >= PER_MIN_SHARE * n:
            persons.add(w)
        if n >= OTHER_MIN and c["LOC"] < 0.1 * n:
            nonloc.add(w)
            if c["O"] + c["MISC"] >= OTHER_SHARE * n:
                others.add(w)
    given = {w for w, c in first.items() if c >= GIVEN_MIN and w in persons}
    return persons, given, others, nonloc


def person_names(data):
    """Single-token given names and surnames, normalised, as two sets: the
    project's lists (models/names.tsv, models/census-names.tsv) and the given
    names of CoNLL-2002 Dutch train."""
    names, surnames = set(), set()
    for f in ("names.tsv", "census-names.tsv"):
        with open(os.path.join(REPO, "models", f), encoding="utf-8") as fh:
            for line in fh:
                kind, _, name = line.rstrip("\n").partition("\t")
                if " " in name:
                    continue
                if kind == "first":
                    names.add(norm(name))
                elif kind == "person":
                    surnames.add(norm(name))
    first = person_span_starts(conll_rows(os.path.join(data, "conll2002_nl", "ned.train"), 2))
    names.update(w for w, c in first.items() if c >= DUTCH_GIVEN_MIN and len(w) > 2)
    return names, surnames


# --------------------------------------------------------------------------
# GeoNames
# --------------------------------------------------------------------------

def read_countries(data):
    rows = []
    with open(os.path.join(data, "gazetteers", "countryInfo.txt"), encoding="utf-8") as f:
        for line in f:
            if line.startswith("#") or not line.strip():
                continue
            c = line.rstrip("\n").split("\t")
            rows.append({"cc": c[0], "name": " ".join(c[4].split()),
                         "capital": c[5], "pop": int(c[7] or 0), "id": c[16]})
    return rows


def read_admin1(data):
    rows = []
    with open(os.path.join(data, "gazetteers", "admin1CodesASCII.txt"), encoding="utf-8") as f:
        for line in f:
            c = line.rstrip("\n").split("\t")
            if len(c) < 3:
                continue
            cc = c[0].split(".")[0]
            rows.append({"code": c[0], "cc": cc, "name": c[1], "ascii": c[2],
                         "id": c[3] if len(c) > 3 else ""})
    return rows


def read_cities(data):
    rows = []
    with open(os.path.join(data, "gazetteers", "cities15000.txt"), encoding="utf-8") as f:
        for line in f:
            c = line.rstrip("\n").split("\t")
            rows.append({
                "id": c[0], "name": c[1], "ascii": c[2],
                "alts": [a for a in c[3].split(",") if a],
                "lat": c[4], "lon": c[5],
                "fcode": c[7], "cc": c[8], "admin1": f"{c[8]}.{c[10]}",
                "pop": int(c[14] or 0),
            })
    return rows


def name_parts(name):
    """Usable pieces of a compound GeoNames name.

    'Gasteiz / Vitoria' -> ['Gasteiz', 'Vitoria'];
    'Halle (Saale)' -> ['Halle']; 'Misato, Saitama' -> ['Misato'];
    a plain name -> [name].
    """
    base = re.sub(r"\s*\(.*?\)\s*", " ", name).split(",")[0]
    parts = [" ".join(p.split()) for p in base.split("/")]
    return [p for p in parts if p]


def may_take(fcode, key, city_key):
    """May a city claim a division's name `key` as an alias?"""
    if fcode == "PPLC":
        return True
    return difflib.SequenceMatcher(None, key, city_key).ratio() >= 0.7


def admin1_variants(name):
    """Stripped variants such as 'Tatarstan' for 'Tatarstan Republic'."""
    out = []
    base = re.sub(r"\s*\(.*?\)\s*", " ", name).strip()
    base = " ".join(base.split())
    if base != name:
        out.append(base)
    for cand in [name, base]:
        for suf in SUFFIXES:
            if cand.endswith(suf) and len(cand) > len(suf) + 2:
                out.append(cand[: -len(suf)].strip())
        for pre in PREFIXES:
            if cand.startswith(pre) and len(cand) > len(pre) + 2:
                out.append(cand[len(pre):].strip())
    return out


# --------------------------------------------------------------------------
# Filtering
# --------------------------------------------------------------------------

class Filter:
    def __init__(self, lc, cap, persons, others, nonloc, names):
        self.lc, self.cap = lc, cap
        self.persons, self.others, self.nonloc = persons, others, nonloc
        self.given, self.surnames = names
        self.reasons = collections.Counter()

    def key_tokens(self, name):
        return tuple(TOKEN_RE.findall(norm(name)))

    def is_common(self, name):
        toks = self.key_tokens(name)
        if not toks:
            return True
        if len(toks) == 1:
            w = toks[0]
            if w in STOP_WORDS:
                return True
        else:
            w = toks
        if all(t in STOP_WORDS for t in toks):
            return True
        if len(toks) == 1 and w in self.others:
            return True
        l, c = self.lc.get(w, 0), self.cap.get(w, 0)
        return l >= COMMON_MIN_LC and l >= COMMON_MIN_SHARE * (l + c)

    def is_person(self, name):
        toks = self.key_tokens(name)
        return len(toks) == 1 and toks[0] in self.persons

    def is_listed_name(self, name):
        """A given name or surname of the name lists ('Alice', 'Karel')."""
        return norm(name) in self.given or norm(name) in self.surnames

    def is_named_town(self, name, pop):
        """A town small enough, and named like a person, to be left out."""
        key = norm(name)
        return (pop < GIVEN_NAME_CITY and key in self.given) or (
            pop < SURNAME_CITY and key in self.surnames)

    def alias_ok(self, a):
        """Filters for GeoNames alternate names (not for hand-listed aliases)."""
        if not a or a != a.strip():
            return self.bad("space")
        if not is_latin(a):
            return self.bad("script")
        if any(ch.isdigit() for ch in a):
            return self.bad("digit")
        letters = sum(ch.isalpha() for ch in a)
        if letters < 3:
            return self.bad("short")
        if a.replace(".", "").replace(" ", "").isupper():
            return self.bad("code")  # IATA/ICAO codes, abbreviations
        if not a[0].isupper():
            # GeoNames transliterations of CJK/Arabic names are all lower case
            return self.bad("lowercase")
        if self.is_common(a):
            return self.bad("common")
        if self.is_person(a):
            return self.bad("person")
        if self.is_listed_name(a):
            return self.bad("person name list")
        toks = self.key_tokens(a)
        if len(toks) == 1 and toks[0] in self.nonloc:
            return self.bad("not-a-place in CoNLL")
        return True

    def news_count(self, name):
        """Capitalised uses of a name in the news text."""
        toks = tuple(t.lower() for t in TOKEN_RE.findall(name))
        if not toks:
            return 0
        return self.cap.get(toks[0] if len(toks) == 1 else toks, 0)

    def news_means_else(self, alias, names, pop):
        """Whether the news uses an alternate name of a city of `pop` people
        far more than the city's own names, for something else."""
        if pop >= ALIAS_KEEP_CITY:
            return False
        n = self.news_count(alias)
        own = max(self.news_count(x) for x in names)
        if n < ALIAS_NEWS_MIN or n <= ALIAS_NEWS_RATIO * own:
            return False
        a = self.key_tokens(alias)
        for x in names:
            if difflib.SequenceMatcher(None, norm(alias), norm(x)).ratio() >= ALIAS_SIMILAR:
                return False
            if pop >= ALIAS_KEEP_LEAD and self.key_tokens(x)[:len(a)] == a:
                return False
        self.bad("used for something else in the news")
        return True

    def bad(self, why):
        self.reasons[why] += 1
        return False


# --------------------------------------------------------------------------
# Build
# --------------------------------------------------------------------------

def build(data):
    countries = read_countries(data)
    admins = read_admin1(data)
    cities = read_cities(data)

    # phrases to count: every multi-word candidate name
    phrases = set()
    for c in cities:
        for n in [c["name"], c["ascii"], *c["alts"]]:
            toks = tuple(t.lower() for t in TOKEN_RE.findall(n))
            if 2 <= len(toks) <= 4:
                phrases.add(toks)
    for a in admins:
        for n in [a["name"], *admin1_variants(a["name"])]:
            toks = tuple(t.lower() for t in TOKEN_RE.findall(n))
            if 2 <= len(toks) <= 4:
                phrases.add(toks)
    print("counting word case in BBC + Reuters text ...")
    sentinels = set()
    for c in countries:
        sentinels.add(c["name"].lower())
    for c in cities:
        if c["fcode"] == "PPLC" and c["pop"] >= 500_000:
            sentinels.add(c["name"].lower())
    sentinels = {w for w in sentinels if " " not in w} - AMBIGUOUS_SENTINELS
    lc, cap = word_case_counts(data, phrases, sentinels)
    persons, given, others, nonloc = conll_token_stats(data)
    flt = Filter(lc, cap, persons, others, nonloc, person_names(data))

    entries = []
    dropped = collections.Counter()

    def entry(canonical, kind, cc, primary, aliases, hand, score, tier=1, **kw):
        e = {"canonical": canonical, "kind": kind, "cc": cc, "tier": tier,
             "score": score, "primary": {norm(p) for p in primary},
             "aliases": [(a, False) for a in aliases] + [(a, True) for a in hand]}
        e.update(kw)
        entries.append(e)

    # A country's point is its capital's (else its biggest city's); a
    # division's is its biggest city's.
    def biggest(rows):
        return max(rows, key=lambda c: (c["pop"], c["id"]), default=None)

    by_country = collections.defaultdict(list)
    for c in cities:
        by_country[c["cc"]].append(c)

    def point(city):
        return {"lat": city["lat"], "lon": city["lon"]} if city else {"lat": "", "lon": ""}

    # countries: always kept, canonical unfiltered, hand-listed aliases only
    for c in countries:
        in_country = by_country.get(c["cc"], [])
        capital = biggest([x for x in in_country if x["fcode"] == "PPLC"]) or biggest(
            [x for x in in_country if x["name"] == c["capital"]]) or biggest(in_country)
        name = COUNTRY_CANONICAL.get(c["cc"], c["name"])
        hand = COUNTRY_ALIASES.get(c["cc"], [])
        if name != c["name"]:
            hand = [c["name"], *hand]
        entry(name, "country", c["cc"], [name], [], hand, float(c["pop"]), tier=0,
              gid=c["id"], **point(capital))

    country_pop = {c["cc"]: c["pop"] for c in countries}

    # admin1 population proxy: summed population of its (non-section) cities
    a1pop = collections.Counter()
    by_admin1 = collections.defaultdict(list)
    for c in cities:
        by_admin1[c["admin1"]].append(c)
        if c["fcode"] != "PPLX":
            a1pop[c["admin1"]] += c["pop"]

    for a in admins:
        name = a["name"]
        if flt.is_common(name) or flt.is_person(name):
            dropped["admin1 common/person name"] += 1
            continue
        aliases = [v for v in [a["ascii"], *admin1_variants(name),
                               *admin1_variants(a["ascii"])] if flt.alias_ok(v)]
        if a1pop[a["code"]] == 0 and country_pop.get(a["cc"], 0) < 10_000_000:
            # no city of 15,000+ in it: a parish or small municipality
            dropped["admin1 without any city of 15,000+"] += 1
            continue
        score = ADMIN1_SHARE * a1pop[a["code"]]
        # A big city or capital inside the division that carries the same
        # name (New York City / New York, Moscow / Moscow) ranks above it.
        key = norm(name)
        for c in by_admin1.get(a["code"], []):
            if c["pop"] < BIG_CITY and c["fcode"] != "PPLC":
                continue
            cnames = {norm(x) for x in [c["name"], c["ascii"], *c["alts"]]}
            if key in cnames and may_take(c["fcode"], key, norm(c["name"])):
                cscore = c["pop"] * (CAPITAL_BOOST if c["fcode"] == "PPLC" else 1)
                score = min(score, 0.99 * cscore)
        entry(name, "admin1", a["cc"], [name, a["ascii"]], aliases,
              ADMIN1_ALIASES.get(a["code"], []), score, code=a["code"], gid=a["id"],
              **point(biggest(by_admin1.get(a["code"], []))))

    for c in cities:
        name = c["name"]
        big = c["pop"] >= BIG_CITY or (
            c["fcode"] == "PPLC" and c["pop"] >= SMALL_CAPITAL)
        parts = name_parts(name)
        if (any(ch.isdigit() for ch in name) or not all(is_latin(x) for x in parts)
                or sum(ch.isalpha() for ch in name) < 3):
            dropped["city bad primary name"] += 1
            continue
        if name in NOT_PLACES and c["pop"] < BIG_CITY:
            dropped["city name used for a firm or club"] += 1
            continue
        if not big and flt.is_common(name):
            dropped["city common-word name"] += 1
            continue
        if not big and flt.is_person(name) and (
                c["pop"] < MID_CITY or norm(name) in given):
            dropped["city person-like name"] += 1
            continue
        if not big and flt.is_named_town(name, c["pop"]):
            dropped["city named like a person"] += 1
            continue
        own = [name, c["ascii"]]
        # Accented spellings of a dropped name ('Camerón') go with it.
        elsewhere = {norm(a) for a in c["alts"] if flt.news_means_else(a, own, c["pop"])}
        alts = [a for a in c["alts"] if norm(a) not in elsewhere]
        aliases = [v for v in [*parts, c["ascii"], *name_parts(c["ascii"]), *alts]
                   if v != name and flt.alias_ok(v)]
        score = float(c["pop"]) * (CAPITAL_BOOST if c["fcode"] == "PPLC" else 1)
        if c["fcode"] == "PPLX":
            score *= 0.5  # sections of a city rank below real cities
        hand = CITY_ALIASES.get((c["cc"], name), []) if c["fcode"] in (
            "PPLC", "PPLA", "PPLA2") or c["pop"] >= BIG_CITY else []
        # The names of a bilingual 'Gasteiz / Vitoria' are the city's own; a
        # name without its qualifier ('Frankfurt' of 'Frankfurt (Oder)') is
        # only an alias, so a bigger city may have it (Frankfurt am Main).
        primary = [name, *parts] if "/" in name else [name]
        entry(name, "city", c["cc"], primary, aliases, hand, score,
              admin1=c["admin1"], fcode=c["fcode"], gid=c["id"], lat=c["lat"], lon=c["lon"])

    city_keys = {(c["cc"], c["name"]) for c in cities}
    admin_keys = {a["code"] for a in admins}
    country_keys = {c["cc"] for c in countries}
    for k in CITY_ALIASES:
        if k not in city_keys:
            print(f"  warning: hand alias key {k} matches no city")
    for k in ADMIN1_ALIASES:
        if k not in admin_keys:
            print(f"  warning: hand alias key {k} matches no admin1 region")
    for k in [*COUNTRY_ALIASES, *COUNTRY_CANONICAL]:
        if k not in country_keys:
            print(f"  warning: hand alias key {k} matches no country")

    entries.sort(key=lambda e: (e["tier"], -e["score"], e["canonical"]))

    primary_of = collections.defaultdict(list)
    for e in entries:
        for k in e["primary"]:
            primary_of[k].append(e)

    def alias_allowed(e, k):
        """An alternate name may not take another place's own name, except
        that a capital may take the name of a division of its own country
        ('Kiev' -> Kyiv) and a city may take the name of the division it lies
        in when the two are spelled alike ('New York' -> New York City)."""
        others = [o for o in primary_of.get(k, []) if o is not e]
        if not others:
            return True
        if e["kind"] != "city":
            return False
        if e["fcode"] == "PPLC" and all(
                o["kind"] == "admin1" and o["cc"] == e["cc"] for o in others):
            return True
        return any(o["kind"] == "admin1" and o["code"] == e["admin1"]
                   for o in others) and may_take(e["fcode"], k, norm(e["canonical"]))

    def ambiguous(e):
        """Another place of comparable weight has the same name. A division
        and a city in it, or a country and a place in it, that share a name
        are taken as one place (Moscow, Singapore)."""
        for o in primary_of.get(norm(e["canonical"]), []):
            if o is e or o["score"] < AMBIGUOUS_SHARE * e["score"]:
                continue
            if "country" in (e["kind"], o["kind"]) and o["cc"] == e["cc"]:
                continue
            pair = {e["kind"], o["kind"]}
            if pair == {"city", "admin1"}:
                city, region = (e, o) if e["kind"] == "city" else (o, e)
                if city["admin1"] == region["code"]:
                    continue
            return True
        return False

    # emit in priority order, skipping names an earlier line already owns
    seen = {}
    lines = []
    n_alias = 0
    shadowed_lines = 0
    yielded = 0
    n_ambiguous = 0
    for e in entries:
        canon = e["canonical"]
        ck = norm(canon)
        own = []
        own_keys = set()
        if ck not in seen:
            own_keys.add(ck)
        for a, hand in e["aliases"]:
            k = norm(a)
            if k == ck or k in own_keys or k in seen:
                continue
            if not hand and not alias_allowed(e, k):
                yielded += 1
                continue
            own.append(a)
            own_keys.add(k)
        if not own_keys and e["kind"] != "country":
            shadowed_lines += 1
            continue
        for k in own_keys:
            seen[k] = canon
        seen.setdefault(ck, canon)
        geo = ["", "", ""] if ambiguous(e) or not (e["gid"] and e["lat"]) else [e["gid"], e["lat"], e["lon"]]
        n_ambiguous += geo[0] == ""
        lines.append("\t".join([canon, e["kind"], e["cc"], *geo, *own]))
        n_alias += len(own)

    stats = {
        "lines": len(lines),
        "aliases": n_alias,
        "keys": len(seen),
        "by_kind": collections.Counter(l.split("\t")[1] for l in lines),
        "dropped": dropped,
        "alias_rejects": flt.reasons,
        "shadowed_lines": shadowed_lines,
        "yielded": yielded,
        "ambiguous": n_ambiguous,
        "person_tokens": len(persons),
        "other_tokens": len(others),
    }
    return lines, stats


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("data", nargs="?", default=DEFAULT_DATA,
                    help="data folder (default: ../shared/data from the repo root)")
    ap.add_argument("--out", default=DEFAULT_OUT)
    args = ap.parse_args()

    lines, st = build(args.data)
    raw = ("\n".join(lines) + "\n").encode("utf-8")
    os.makedirs(os.path.dirname(args.out), exist_ok=True)
    buf = io.BytesIO()
    with gzip.GzipFile(filename="", mode="wb", fileobj=buf, compresslevel=9, mtime=0) as g:
        g.write(raw)
    with open(args.out, "wb") as f:
        f.write(buf.getvalue())

    print(f"wrote {args.out}")
    print(f"  lines:   {st['lines']} "
          f"({', '.join(f'{k} {v}' for k, v in sorted(st['by_kind'].items()))})")
    print(f"  aliases: {st['aliases']}   distinct names: {st['keys']}   "
          f"without a GeoNames entry (ambiguous name): {st['ambiguous']}")
    print(f"  bytes:   {len(raw)} raw, {len(buf.getvalue())} gzip")
    print(f"  dropped places: {dict(st['dropped'])}; "
          f"lines fully shadowed by earlier lines: {st['shadowed_lines']}")
    print(f"  rejected alternate names: {dict(st['alias_rejects'])}; "
          f"{st['yielded']} gave way to another place's own name")
    print(f"  CoNLL train tokens: {st['person_tokens']} person-like, "
          f"{st['other_tokens']} non-entity/MISC-like")


if __name__ == "__main__":
    main()
