#!/usr/bin/env python3
"""Build models/names.tsv: given names, organisations and person names.

Derived from the CoNLL-2003 English NER *training* split only
(DATA_DIR/conll2003/train.txt; the dev and test splits are never read),
plus a short hand list of common given names (HAND_GIVEN_NAMES below).

Output: plain UTF-8 text, one entry per line, `kind<TAB>word`, where kind is
  first   a common given name (single token)
  org     an organisation name, written as seen (may be several words)
  person  a frequent person name, written as seen (may be several words)
Lines are grouped by kind (first, org, person), most frequent first.

Usage: python3 scripts/build_names.py [DATA_DIR] [--out PATH]
DATA_DIR defaults to ../shared/data relative to the repository root.
Python 3 standard library only.
"""

import argparse
import collections
import os

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DEFAULT_DATA = os.path.normpath(os.path.join(REPO, "..", "shared", "data"))
DEFAULT_OUT = os.path.join(REPO, "models", "names.tsv")

FIRST_MIN = 2         # times seen as the first token of a multi-token PER span
FIRST_SHARE = 0.70    # share of all its occurrences that are tagged B-PER
SPAN_MIN = 3          # times an ORG / PER span must be seen
SPAN_SHARE = 0.80     # share of the string's occurrences tagged as that span

# Very common given names (English, Dutch, and international names frequent
# in news). Words that are also ordinary English words or abbreviations
# (Will, May, June, Grace, Bill, Jan, Art...) are left out on purpose.
HAND_GIVEN_NAMES = """
John James Peter Paul Michael David Robert William Richard Thomas Andrew
Stephen Steven Christopher Daniel Matthew Anthony Joseph Charles George
Edward Brian Kevin Jason Gary Ian Alan Simon Martin Tony Chris Mike Tom Jim
Joe Jack Harry Henry Frank Patrick Sean Kenneth Ronald Donald Timothy Jeffrey
Scott Eric Jonathan Nicholas Benjamin Samuel Gregory Raymond Dennis Jerry
Lawrence Douglas Keith Graham Neil Nigel Colin Malcolm Stuart Philip Roger
Mary Elizabeth Sarah Susan Margaret Jennifer Anne Helen Karen Laura Emma
Claire Catherine Julia Maria Anna Linda Barbara Patricia Nancy Lisa Sandra
Deborah Rachel Rebecca Jessica Emily Hannah Sophie Lucy Alice Jane Diana
Pieter Willem Johannes Hendrik Cornelis Kees Joost Sander Ruud Dirk Henk
Gerrit Maarten Thijs Wim Geert Frans Koen Bram Jeroen Wouter Sjoerd Rutger
Marieke Femke Anouk Lotte Sanne Inge Annemieke Ingrid
Hans Klaus Jurgen Wolfgang Helmut Gerhard Stefan Andreas Thomas Matthias
Jean Pierre Jacques Michel Francois Philippe Alain Nicolas Laurent
Giuseppe Giovanni Luca Marco Francesco Alessandro Massimo
Carlos Jose Juan Luis Miguel Jorge Antonio Manuel Francisco Pedro Javier
Ahmed Mohammed Mohamed Muhammad Ali Hassan Hussein Omar Abdullah Ibrahim
Vladimir Sergei Alexander Boris Viktor Igor Yuri Dmitry Nikolai Olga Natalia
Wei Li Hiroshi Takashi Kim Raj Rahul Amit
""".split()


# Words that start person spans but are titles or kinship terms, not names.
NOT_GIVEN = set("""
Mother Father Sister Brother Pope Saint St King Queen Prince Princess Lord
Lady Sir Dame President General Captain Judge Dr Mr Mrs Ms Sheikh Emir
""".split())

# Organisation strings that are also the name of a country, a first-level
# division or a city of PLACE_POP or more in GeoNames ('Barcelona', 'Monaco',
# 'Marseille': football clubs in the CoNLL sports pages) are left out, so that
# the list does not override the place gazetteer.
PLACE_POP = 200_000


def read_conll(path):
    """Sentences as lists of (word, tag)."""
    sents, cur = [], []
    with open(path, encoding="utf-8") as f:
        for line in f:
            parts = line.split()
            if not parts or parts[0] == "-DOCSTART-":
                if cur:
                    sents.append(cur)
                    cur = []
                continue
            cur.append((parts[0], parts[-1]))
    if cur:
        sents.append(cur)
    return sents


def spans(sent):
    """(type, start, end) of each entity span (IOB2; a stray I- opens one)."""
    out = []
    i = 0
    while i < len(sent):
        tag = sent[i][1]
        if tag == "O":
            i += 1
            continue
        typ = tag[2:]
        j = i + 1
        while j < len(sent) and sent[j][1] == "I-" + typ:
            j += 1
        out.append((typ, i, j))
        i = j
    return out


def place_names(data):
    """Lower-cased names of countries, admin1 regions and big cities."""
    g = os.path.join(data, "gazetteers")
    names = set()
    with open(os.path.join(g, "countryInfo.txt"), encoding="utf-8") as f:
        for line in f:
            if not line.startswith("#") and line.strip():
                names.add(line.split("\t")[4].strip().lower())
    with open(os.path.join(g, "admin1CodesASCII.txt"), encoding="utf-8") as f:
        for line in f:
            c = line.rstrip("\n").split("\t")
            if len(c) >= 3:
                names.update((c[1].lower(), c[2].lower()))
    with open(os.path.join(g, "cities15000.txt"), encoding="utf-8") as f:
        for line in f:
            c = line.rstrip("\n").split("\t")
            if int(c[14] or 0) >= PLACE_POP:
                names.update((c[1].lower(), c[2].lower()))
    return names


def build(data):
    sents = read_conll(os.path.join(data, "conll2003", "train.txt"))
    places = place_names(data)

    tok_total = collections.Counter()
    tok_bper = collections.Counter()
    first = collections.Counter()
    span_count = {"ORG": collections.Counter(), "PER": collections.Counter()}
    lengths = set()
    for s in sents:
        for w, t in s:
            tok_total[w] += 1
            if t == "B-PER":
                tok_bper[w] += 1
        for typ, i, j in spans(s):
            if typ == "PER" and j - i >= 2:
                first[s[i][0]] += 1
            if typ in span_count:
                span_count[typ][tuple(w for w, _ in s[i:j])] += 1
                lengths.add(j - i)

    # occurrences of each candidate string anywhere (as a token sequence)
    cands = set(span_count["ORG"]) | set(span_count["PER"])
    occ = collections.Counter()
    for s in sents:
        words = [w for w, _ in s]
        for n in lengths:
            for i in range(len(words) - n + 1):
                key = tuple(words[i:i + n])
                if key in cands:
                    occ[key] += 1

    def cap(w):
        return w[:1].isupper()

    firsts = []
    for w, c in first.items():
        if (c >= FIRST_MIN and cap(w) and len(w) >= 2 and not w.isupper()
                and w not in NOT_GIVEN
                and not any(ch.isdigit() for ch in w)
                and tok_bper[w] >= FIRST_SHARE * tok_total[w]):
            firsts.append((c, w))
    corpus_first = {w for _, w in firsts}
    hand_added, hand_skipped = [], []
    for w in dict.fromkeys(HAND_GIVEN_NAMES):
        if w in corpus_first:
            continue
        # skip a hand name that the corpus mostly uses as something else
        if tok_total[w] >= 3 and tok_bper[w] < 0.5 * tok_total[w]:
            hand_skipped.append(w)
            continue
        hand_added.append(w)
    firsts.sort(key=lambda x: (-x[0], x[1]))

    # Title-case forms seen in the corpus: an all-caps string whose title-case
    # form also occurs ('CINCINNATI' in baseball tables) is a shouted word,
    # not an acronym such as 'NATO'.
    titled = {w for w in tok_total if w[:1].isupper() and not w.isupper()}

    def shouted(key):
        return all(w.isupper() and len(w) > 1 and w.capitalize() in titled
                   for w in key)

    excluded = collections.Counter()

    def frequent(typ):
        out = []
        for key, c in span_count[typ].items():
            if c < SPAN_MIN or not cap(key[0]):
                continue
            if c < SPAN_SHARE * occ[key]:
                continue
            if shouted(key):
                excluded["all-caps copy of a title-case word"] += 1
                continue
            if typ == "ORG" and " ".join(key).lower() in places:
                excluded["org that is a GeoNames place"] += 1
                continue
            out.append((c, " ".join(key)))
        out.sort(key=lambda x: (-x[0], x[1]))
        return out

    orgs = frequent("ORG")
    persons = frequent("PER")

    lines = [f"first\t{w}" for _, w in firsts]
    lines += [f"first\t{w}" for w in hand_added]
    lines += [f"org\t{w}" for _, w in orgs]
    lines += [f"person\t{w}" for _, w in persons]
    stats = {
        "first (corpus)": len(firsts),
        "first (hand list)": len(hand_added),
        "hand names skipped": hand_skipped,
        "org": len(orgs),
        "person": len(persons),
        "excluded": dict(excluded),
    }
    return lines, stats


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("data", nargs="?", default=DEFAULT_DATA,
                    help="data folder (default: ../shared/data from the repo root)")
    ap.add_argument("--out", default=DEFAULT_OUT)
    args = ap.parse_args()

    lines, st = build(args.data)
    text = "\n".join(lines) + "\n"
    os.makedirs(os.path.dirname(args.out), exist_ok=True)
    with open(args.out, "w", encoding="utf-8", newline="\n") as f:
        f.write(text)
    print(f"wrote {args.out}: {len(lines)} lines, {len(text.encode('utf-8'))} bytes")
    for k, v in st.items():
        print(f"  {k}: {v}")


if __name__ == "__main__":
    main()
