#!/usr/bin/env python3
"""Tag a labelled NER file with a spaCy pipeline, keeping the file's own tokens.

The output is a prediction file that lines up token for token with the input,
so it can be scored with ``lede-tagger eval --pred PRED --data GOLD``.

Usage:
    python scripts/spacy_ner_eval.py MODEL GOLD [-o PRED] [--batch-size N]

MODEL is anything ``spacy.load`` accepts (an installed package name or a model
folder), or an importable module that exposes ``model_path()`` returning such a
folder.

Input formats (the same rules as the project's reader, ``src/ner/tagger/conll.rs``):

* ``token<TAB>tag`` or CoNLL (whitespace columns): the token is the first
  column and the tag the last one.
* UNER / CoNLL-U-like: tab-separated with a numeric first column; the token is
  column 2 and the tag column 3.
* Blank lines end sentences. ``-DOCSTART-`` lines and ``# newdoc`` comments are
  document breaks. ``#`` lines are comments when they look like CoNLL-U metadata
  (``# key = value``, ``# newdoc``, ``# newpar`` or a bare ``#``), so a ``#``
  token in a CoNLL file is still read as a token.

Each sentence becomes ``Doc(nlp.vocab, words=tokens)``; spaCy's tokenizer is not
used. Only the components the entity recogniser needs are run (``ner`` and any
``entity_ruler``/``span_ruler``, plus the upstream ``tok2vec``/``transformer``
that ``ner`` listens to, if it shares one).

spaCy labels are mapped to the CoNLL types: PERSON -> PER, ORG -> ORG,
GPE/LOC/FAC -> LOC, anything else -> MISC. Pipelines trained on CoNLL-style
labels (PER/ORG/LOC/MISC) keep their labels.

The prediction file has one ``token<TAB>tag`` line (IOB2) per input token, a
blank line after every sentence, and a ``-DOCSTART-<TAB>O`` line followed by a
blank line wherever the input has a document break. Throughput (tokens/s of the
pipeline alone, excluding loading and file I/O) is printed to stderr.
"""

from __future__ import annotations

import argparse
import importlib
import sys
import time
from pathlib import Path

LABEL_MAP = {
    "PERSON": "PER",
    "PER": "PER",
    "ORG": "ORG",
    "GPE": "LOC",
    "LOC": "LOC",
    "FAC": "LOC",
    "MISC": "MISC",
}

DOC_BREAK = "DOC"
SENTENCE = "SENT"


def is_comment(line: str) -> bool:
    return (
        " = " in line
        or line.startswith("# newdoc")
        or line.startswith("# newpar")
        or line == "#"
    )


def split_line(line: str) -> tuple[str, str] | None:
    if "\t" in line:
        cols = line.split("\t")
        first = cols[0]
        if first and first.isascii() and first.isdigit() and len(cols) >= 3:
            return cols[1], cols[2].strip()
        if len(cols) >= 2:
            return cols[0], cols[-1].strip()
    cols = line.split()
    if len(cols) < 2:
        return None
    return cols[0], cols[-1]


def read_items(path: Path) -> list[tuple[str, list[str]]]:
    """Reads the file into a list of (DOC_BREAK, []) and (SENTENCE, tokens)."""
    items: list[tuple[str, list[str]]] = []
    sent: list[str] = []

    def flush() -> None:
        nonlocal sent
        if sent:
            items.append((SENTENCE, sent))
            sent = []

    with open(path, encoding="utf-8") as f:
        for n, raw in enumerate(f, 1):
            line = raw.rstrip("\n").rstrip("\r")
            if not line.strip():
                flush()
                continue
            if line.startswith("#") and is_comment(line):
                if line.startswith("# newdoc"):
                    flush()
                    items.append((DOC_BREAK, []))
                continue
            if line.startswith("-DOCSTART-"):
                flush()
                items.append((DOC_BREAK, []))
                continue
            parts = split_line(line)
            if parts is None:
                raise SystemExit(f"{path}:{n}: expected a token and a tag, found {line!r}")
            sent.append(parts[0])
    flush()
    return items


def load_pipeline(name: str):
    import spacy

    if Path(name).exists():
        return spacy.load(name)
    try:
        return spacy.load(name)
    except OSError:
        module = importlib.import_module(name)
        if hasattr(module, "model_path"):
            return spacy.load(module.model_path())
        if hasattr(module, "load"):
            return module.load()
        raise


def ner_components(nlp) -> list[tuple[str, object]]:
    """The (name, component) pairs, in pipeline order, that NER needs."""
    wanted = {n for n in nlp.pipe_names if n in ("ner", "entity_ruler", "span_ruler")}
    wanted |= {n for n, p in nlp.pipeline if type(p).__name__ == "EntityRecognizer"}
    if not wanted:
        raise SystemExit(f"the pipeline has no entity recogniser: {nlp.pipe_names}")
    for name in list(wanted):
        proc = nlp.get_pipe(name)
        model = getattr(proc, "model", None)
        if model is None:
            continue
        for node in model.walk():
            upstream = getattr(node, "upstream_name", None)
            if upstream and upstream != "*" and upstream in nlp.pipe_names:
                wanted.add(upstream)
            elif upstream == "*":
                wanted |= {
                    n for n in nlp.pipe_names if n in ("tok2vec", "transformer")
                }
    return [(n, p) for n, p in nlp.pipeline if n in wanted]


def entity_tags(doc) -> list[str]:
    tags = ["O"] * len(doc)
    for ent in doc.ents:
        kind = LABEL_MAP.get(ent.label_, "MISC")
        tags[ent.start] = f"B-{kind}"
        for i in range(ent.start + 1, ent.end):
            tags[i] = f"I-{kind}"
    return tags


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("model", help="spaCy package name, model folder, or module with model_path()")
    ap.add_argument("data", type=Path, help="labelled file (token<TAB>tag, CoNLL or UNER)")
    ap.add_argument("-o", "--out", type=Path, help="prediction file (default: stdout)")
    ap.add_argument("--batch-size", type=int, default=256)
    args = ap.parse_args()

    from spacy.tokens import Doc

    nlp = load_pipeline(args.model)
    procs = ner_components(nlp)
    meta = nlp.meta
    print(
        f"model {meta.get('lang')}_{meta.get('name')} {meta.get('version')} "
        f"(spaCy requirement {meta.get('spacy_version')}); "
        f"running {[n for n, _ in procs]}",
        file=sys.stderr,
    )

    items = read_items(args.data)
    sentences = [toks for kind, toks in items if kind == SENTENCE]
    n_tokens = sum(len(t) for t in sentences)

    start = time.perf_counter()
    # Empty tokens are not valid spaCy words; the model sees a placeholder, the
    # output keeps the original token.
    docs = (Doc(nlp.vocab, words=[w if w.strip() else "_" for w in toks]) for toks in sentences)
    for _, proc in procs:
        if hasattr(proc, "pipe"):
            docs = proc.pipe(docs, batch_size=args.batch_size)
        else:
            docs = (proc(d) for d in docs)
    tagged = [entity_tags(d) for d in docs]
    elapsed = time.perf_counter() - start

    out = open(args.out, "w", encoding="utf-8") if args.out else sys.stdout
    try:
        it = iter(tagged)
        for kind, toks in items:
            if kind == DOC_BREAK:
                out.write("-DOCSTART-\tO\n\n")
                continue
            tags = next(it)
            assert len(tags) == len(toks)
            for tok, tag in zip(toks, tags):
                out.write(f"{tok}\t{tag}\n")
            out.write("\n")
    finally:
        if out is not sys.stdout:
            out.close()

    rate = n_tokens / elapsed if elapsed > 0 else float("inf")
    print(
        f"{args.data}: {len(sentences)} sentences, {n_tokens} tokens in "
        f"{elapsed:.2f}s: {rate:,.0f} tokens/s",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
