#!/usr/bin/env python3
"""Writes a fixed, reproducible file of benchmark queries drawn from a corpus.

Usage:
    python3 scripts/make_queries.py --seed 1 --count 200 --from CORPUS_DIR [--out FILE] [--sample 3000]

One query a line, in lede's query syntax, for latency measurements
(`target/release/examples/query_latency --queries FILE`). The text of the first
--sample .txt files below CORPUS_DIR (sorted by path) gives:

  - single words (half of the queries): half from the 500 most frequent words,
    half from the other words seen in at least two files;
  - two-word phrases (a quarter): word pairs seen at least twice, in double quotes;
  - entity filters (the rest): `person:NAME` for a name after Mr/Mrs/Ms/Dr/
    President/Minister, `place:NAME` for a capitalised name after "in", and
    `org:NAME` for an acronym that is not also a lowercase word; every other one also has a frequent word.

Stop words, and words under four letters, are left out. The same --seed,
--count and corpus give the same file. Standard library only.
"""

from __future__ import annotations

import argparse
import random
import re
import sys
from collections import Counter
from pathlib import Path

STOP = set("""
about above after again against also among another because been before being below between
both but came could does doing down during each even every from further have having here
into itself just made make many more most much must never only other over said same says
should since some such than that their them then there these they this those through under
until upon very were what when where which while whom will with within without would year
years your also last first week told people like
""".split())
MONTHS = set("""january february march april may june july august september october november
december monday tuesday wednesday thursday friday saturday sunday""".split())
# Capitalised words that are not organisations: months, days, time zones, units.
NOT_ORGS = set("""the and for jan feb mar apr jun jul aug sep sept oct nov dec mon tue wed thu
fri sat sun est edt cst cdt pst pdt gmt bst cet usd shr cts avg qtr net""".split())
WORD = re.compile(r"[a-z]{4,}")
PERSON = re.compile(r"\b(?:Mr|Mrs|Ms|Dr|President|Minister|Chancellor|Governor)\.? ([A-Z][a-z]{2,})\b")
PLACE = re.compile(r"\bin ([A-Z][a-z]{3,})\b")
ORG = re.compile(r"\b([A-Z]{3,5})\b")
BODY_START = 3  # source, date and title lines in a generated article


def body_lines(text: str) -> list[str]:
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return lines[BODY_START:] if len(lines) > BODY_START else lines


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--count", type=int, default=200)
    ap.add_argument("--from", dest="source", type=Path, required=True, help="corpus folder")
    ap.add_argument("--out", type=Path, help="file to write (default: stdout)")
    ap.add_argument("--sample", type=int, default=3000, help="files to read (default 3000)")
    args = ap.parse_args()

    files = sorted(p for p in args.source.rglob("*.txt") if p.is_file())[: args.sample]
    if not files:
        sys.exit(f"make_queries: no .txt files below {args.source}")

    words, doc_freq, pairs = Counter(), Counter(), Counter()
    persons, places, orgs = Counter(), Counter(), Counter()
    lowercase: set[str] = set()  # words also written in lower case are not acronyms
    for path in files:
        text = path.read_text(encoding="utf-8", errors="replace")
        seen = set()
        for line in body_lines(text):
            persons.update(PERSON.findall(line))
            places.update(p for p in PLACE.findall(line) if p.lower() not in MONTHS)
            orgs.update(ORG.findall(line))
            tokens = re.findall(r"[A-Za-z]+", line)
            lowercase.update(t for t in tokens if t.islower())
            lower = [t.lower() for t in tokens]
            for a, b in zip(lower, lower[1:]):
                if WORD.fullmatch(a) and WORD.fullmatch(b) and a not in STOP and b not in STOP:
                    pairs[(a, b)] += 1
            for w in lower:
                if WORD.fullmatch(w) and w not in STOP:
                    words[w] += 1
                    seen.add(w)
        doc_freq.update(seen)

    def ranked(counter: Counter, minimum: int = 2) -> list:
        # Most frequent first, ties by the key itself: no dependence on insertion order.
        return [k for k, n in sorted(counter.items(), key=lambda kv: (-kv[1], kv[0])) if n >= minimum]

    frequent_words = [w for w in ranked(words) if doc_freq[w] >= 2]
    top, rest = frequent_words[:500], frequent_words[500:] or frequent_words[:500]
    phrase_list = ranked(pairs)
    entity_lists = [
        ("person", ranked(persons)[:200]),
        ("place", ranked(places)[:200]),
        ("org", [o for o in ranked(orgs) if o.lower() not in NOT_ORGS and o.lower() not in lowercase][:200]),
    ]
    if not top:
        sys.exit("make_queries: too little text to draw queries from")

    rng = random.Random(args.seed)
    n_words = args.count // 2
    n_phrases = args.count // 4
    n_entities = args.count - n_words - n_phrases
    queries: list[str] = []
    for i in range(n_words):
        queries.append(rng.choice(top if i % 2 == 0 else rest))
    for _ in range(n_phrases):
        if phrase_list:
            a, b = rng.choice(phrase_list)
            queries.append(f'"{a} {b}"')
        else:
            queries.append(f"{rng.choice(top)} {rng.choice(top)}")
    for i in range(n_entities):
        field, names = entity_lists[i % 3]
        if not names:
            queries.append(rng.choice(top))
            continue
        query = f"{field}:{rng.choice(names).lower()}"
        if i % 2 == 1:
            query += f" {rng.choice(top)}"
        queries.append(query)

    text = "\n".join(queries) + "\n"
    if args.out:
        args.out.write_text(text, encoding="utf-8")
        print(f"{len(queries)} queries written to {args.out}", file=sys.stderr)
    else:
        sys.stdout.write(text)


if __name__ == "__main__":
    main()
