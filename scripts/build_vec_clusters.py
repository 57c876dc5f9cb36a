#!/usr/bin/env python3
"""Build hierarchical word-cluster bit paths from a spaCy model's static word vectors.

Brown-cluster-like features for a tagger, derived from the pruned static vectors of
a spaCy pipeline (e.g. ``en_core_web_md``: 20,000 vector rows shared by ~685k word
forms through ``vocab/key2row``).

What it does
------------
1. Reads ``<model>/vocab``: the vector table (rows x dims), ``key2row`` (64-bit
   string hash -> row) and ``strings.json`` (the strings whose hashes are the keys).
   It uses spaCy's ``Vocab`` when spaCy is importable, otherwise it reads the files
   directly (numpy + msgpack, spaCy's MurmurHash64A string hash with seed 1); the
   direct route misses the few keys that are spaCy's built-in symbol names (e.g.
   ``ORG``, ``PERSON``), which are not stored in ``strings.json``.
2. Keeps word forms that contain at least one letter, are at most 30 characters,
   and contain no whitespace or other non-printable character. Case is preserved.
3. Clusters the vector ROWS (not the words); rows holding an identical vector are
   merged first and share one path. Rows are L2-normalised, then split
   recursively by weighted spherical 2-means (cosine k-means with k=2) down to
   ``--depth`` levels (default 16); a node with fewer than 2 rows is a leaf. A row's
   weight in the centroids and in choosing bit 0 is, by default, the square root
   of the number of kept word forms mapped to it (``--weight sqrt``; ``count`` and
   ``none`` are the alternatives; rows with no kept form get 0.1). Initialisation is deterministic: the row least similar to the
   node's mean direction, then the row least similar to that one. The heavier
   child is bit 0, the lighter bit 1.
4. Each word form gets the bit path of its row and the tables are written as
   ``word<TAB>bits`` lines sorted by the UTF-8 bytes of the word:

   * ``vec-clusters.tsv``      every kept form;
   * ``vec-clusters-cap.tsv``  forms whose first character is uppercase, plus
     all-lowercase forms whose capitalised form is not in the full table;
   * ``vec-clusters-<N>k.tsv`` the N most frequent forms, only when ``--freq``
     gives a frequency source: a word list (one form per line, most frequent
     first; a TSV line's first field is used) or a ``{word: log_prob}`` JSON table
     such as ``en_lexeme_prob.json.gz`` from the spacy-lookups-data package. The
     model's vector table itself carries no frequency information (rows are not in
     frequency order), so without ``--freq`` this file is not written.

Usage::

    python build_vec_clusters.py MODEL_DIR OUT_DIR [--depth 16] [--iters 10] [--weight sqrt]
                                 [--freq FILE [--top 200000]] [--probe WORD ...]

``MODEL_DIR`` is a spaCy model directory (the one holding ``meta.json`` and
``vocab/``). ``--probe`` prints, for each word given, 15 forms that share its
10-bit prefix (closest rows first, at most two forms per row, one form per
lowercase spelling; ``*`` marks forms sharing the query's own vector row).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections import defaultdict
from pathlib import Path

import numpy as np

MAX_LEN = 30
MASK64 = (1 << 64) - 1


# --------------------------------------------------------------------------- input


def murmurhash64a(data: bytes, seed: int = 1) -> int:
    """MurmurHash64A, as spaCy uses for its string store (seed 1)."""
    m = 0xC6A4A7935BD1E995
    r = 47
    n = len(data)
    h = (seed ^ ((n * m) & MASK64)) & MASK64
    nblocks = n // 8
    for i in range(nblocks):
        k = int.from_bytes(data[8 * i : 8 * i + 8], "little")
        k = (k * m) & MASK64
        k ^= k >> r
        k = (k * m) & MASK64
        h ^= k
        h = (h * m) & MASK64
    tail = data[8 * nblocks :]
    if tail:
        h ^= int.from_bytes(tail, "little")
        h = (h * m) & MASK64
    h ^= h >> r
    h = (h * m) & MASK64
    h ^= h >> r
    return h


def load_with_spacy(vocab_dir: Path):
    from spacy.vocab import Vocab  # noqa: import inside: spaCy is optional

    vocab = Vocab().from_disk(vocab_dir)
    vectors = vocab.vectors
    data = np.asarray(vectors.data, dtype=np.float32)
    strings = vocab.strings
    word2row = {}
    for key, row in vectors.key2row.items():
        try:
            word2row[strings[key]] = int(row)
        except KeyError:
            continue
    return data, word2row


def load_direct(vocab_dir: Path):
    data = np.load(vocab_dir / "vectors", allow_pickle=False).astype(np.float32)
    raw = (vocab_dir / "key2row").read_bytes()
    try:
        import srsly

        key2row = srsly.msgpack_loads(raw)
    except ImportError:
        import msgpack

        key2row = msgpack.unpackb(raw, strict_map_key=False)
    with open(vocab_dir / "strings.json", encoding="utf8") as f:
        strings = json.load(f)
    word2row = {}
    for s in strings:
        row = key2row.get(murmurhash64a(s.encode("utf8")))
        if row is not None:
            word2row[s] = int(row)
    return data, word2row


def keep_word(w: str) -> bool:
    if not w or len(w) > MAX_LEN:
        return False
    if not w.isprintable() or any(c.isspace() for c in w):
        return False
    return any(c.isalpha() for c in w)


# ---------------------------------------------------------------------- clustering


def two_means(x: np.ndarray, w: np.ndarray, iters: int) -> np.ndarray:
    """Weighted spherical 2-means on unit rows; returns a boolean mask (True = side 1)."""
    mean = w @ x
    c0 = int(np.argmin(x @ mean))          # least like the node's mean direction
    c1 = int(np.argmin(x @ x[c0]))         # least like c0
    cents = np.stack([x[c0], x[c1]])
    assign = None
    for _ in range(iters):
        sims = x @ cents.T
        new = sims[:, 1] > sims[:, 0]
        if assign is not None and np.array_equal(new, assign):
            break
        assign = new
        if assign.all() or not assign.any():
            break
        for j, sel in enumerate((~assign, assign)):
            c = w[sel] @ x[sel]
            nrm = np.linalg.norm(c)
            cents[j] = c / nrm if nrm > 0 else x[sel][0]
    if assign.all() or not assign.any():
        # Degenerate (e.g. identical rows): split at the median of the projection on
        # the c0 -> c1 direction, falling back to index order.
        proj = x @ (x[c1] - x[c0])
        order = np.lexsort((np.arange(len(x)), proj))
        assign = np.zeros(len(x), dtype=bool)
        assign[order[len(x) // 2 :]] = True
    # Heavier side gets bit 0.
    if w[assign].sum() > w[~assign].sum():
        assign = ~assign
    return assign


def cluster_rows(unit: np.ndarray, weights: np.ndarray, depth: int, iters: int) -> list[str]:
    paths = [""] * len(unit)
    stack = [(np.arange(len(unit)), "")]
    while stack:
        idx, prefix = stack.pop()
        if len(idx) < 2 or len(prefix) >= depth:
            for i in idx:
                paths[i] = prefix
            continue
        side = two_means(unit[idx], weights[idx], iters)
        stack.append((idx[side], prefix + "1"))
        stack.append((idx[~side], prefix + "0"))
    return paths


# -------------------------------------------------------------------------- output


def write_tsv(path: Path, words, word_bits) -> int:
    n = 0
    with open(path, "w", encoding="utf8", newline="\n") as f:
        for w in words:
            f.write(f"{w}\t{word_bits[w]}\n")
            n += 1
    return n


def read_freq_list(path: Path) -> list[str]:
    """Words most frequent first: a plain list, or a ``{word: log_prob}`` JSON table
    such as spacy-lookups-data's ``en_lexeme_prob.json.gz`` (ties in byte order)."""
    name = path.name
    if name.endswith(".json") or name.endswith(".json.gz"):
        import gzip

        opener = gzip.open if name.endswith(".gz") else open
        with opener(path, "rt", encoding="utf8") as f:
            table = json.load(f)
        return [w for w, _ in sorted(table.items(), key=lambda kv: (-kv[1], kv[0].encode("utf8")))]
    out = []
    with open(path, encoding="utf8") as f:
        for line in f:
            w = line.rstrip("\n").split("\t", 1)[0]
            if w:
                out.append(w)
    return out


def shape(w: str) -> str:
    if w.isupper() and sum(c.isalpha() for c in w) > 1:
        return "upper"
    if w[0].isupper() and w[1:] == w[1:].lower():
        return "title"
    if w.islower():
        return "lower"
    return "mixed"


def probe(word: str, word_bits, word2row, unit, rank=None, prefix_len=10, k=15, per_row=2):
    """Print up to k forms sharing word's first prefix_len bits.

    The query's own row comes first, then rows in order of shared path length and
    cosine to the query's row; from each row at most per_row forms are taken per
    round (rounds repeat while fewer than k forms were found), forms shaped like the query
    (Title, lower, UPPER) first, then by ``rank`` (frequency rank, when known),
    then in byte order; one form per lowercase spelling.
    """
    form = word if word in word_bits else word.lower() if word.lower() in word_bits else None
    if form is None:
        print(f"{word}: not in the table")
        return
    bits = word_bits[form]
    pre = bits[:prefix_len]
    qrow = word2row[form]
    qshape = shape(form)
    by_row = defaultdict(list)
    for w, b in word_bits.items():
        if b.startswith(pre):
            by_row[word2row[w]].append(w)
    n_forms = sum(len(v) for v in by_row.values())

    def shared(b: str) -> int:
        n = 0
        for a, c in zip(b, bits):
            if a != c:
                break
            n += 1
        return n

    rows = sorted(by_row, key=lambda r: (r != qrow, -shared(word_bits[by_row[r][0]]),
                                         -float(unit[r] @ unit[qrow]), r))
    seen = {form.lower()}
    out = []
    rank = rank or {}
    queues = {r: sorted(by_row[r], key=lambda w: (shape(w) != qshape, rank.get(w, len(rank)),
                                                  w.encode("utf8")))
              for r in rows}
    while len(out) < k and any(queues.values()):
        for r in rows:
            taken = 0
            q = queues[r]
            while q and taken < per_row and len(out) < k:
                w = q.pop(0)
                if w.lower() in seen:
                    continue
                seen.add(w.lower())
                out.append(w + ("*" if r == qrow else ""))
                taken += 1
            if len(out) == k:
                break
    print(f"{word} [{form} {bits} row {qrow}; {n_forms} forms in {len(by_row)} rows under {pre}]: "
          + ", ".join(out))


# ---------------------------------------------------------------------------- main


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("model_dir", type=Path)
    ap.add_argument("out_dir", type=Path)
    ap.add_argument("--depth", type=int, default=16)
    ap.add_argument("--iters", type=int, default=10)
    ap.add_argument("--weight", choices=("sqrt", "count", "none"), default="sqrt")
    ap.add_argument("--freq", type=Path, default=None,
                    help="frequency-ordered word list for the top-N variant")
    ap.add_argument("--top", type=int, default=200_000)
    ap.add_argument("--no-spacy", action="store_true",
                    help="read the vocab files directly even if spaCy is installed")
    ap.add_argument("--probe", nargs="*", default=[])
    args = ap.parse_args(argv)

    vocab_dir = args.model_dir / "vocab"
    loader = "direct"
    if not args.no_spacy:
        try:
            data, word2row = load_with_spacy(vocab_dir)
            loader = "spacy"
        except ImportError:
            data, word2row = load_direct(vocab_dir)
    else:
        data, word2row = load_direct(vocab_dir)
    n_rows = data.shape[0]
    print(f"loaded via {loader}: {n_rows} rows x {data.shape[1]}, {len(word2row)} keyed strings",
          file=sys.stderr)

    kept = {w: r for w, r in word2row.items() if keep_word(w)}
    print(f"kept {len(kept)} word forms", file=sys.stderr)

    counts = np.bincount(np.fromiter(kept.values(), dtype=np.int64, count=len(kept)),
                         minlength=n_rows).astype(np.float64)
    if args.weight == "none":
        weights = np.ones(n_rows)
    else:
        base = np.sqrt(counts) if args.weight == "sqrt" else counts
        weights = np.where(counts > 0, base, 0.1)

    norms = np.linalg.norm(data, axis=1, keepdims=True)
    unit = (data / np.where(norms > 0, norms, 1.0)).astype(np.float64)
    # Rows that hold exactly the same vector (en_core_web_md has ~10k distinct
    # vectors in its 20k rows) are clustered once and share one path.
    uniq, inverse = np.unique(data, axis=0, return_inverse=True)
    inverse = inverse.reshape(-1)
    u_weights = np.bincount(inverse, weights=weights, minlength=len(uniq))
    u_norms = np.linalg.norm(uniq, axis=1, keepdims=True)
    u_unit = (uniq / np.where(u_norms > 0, u_norms, 1.0)).astype(np.float64)
    print(f"{len(uniq)} distinct vectors among {n_rows} rows", file=sys.stderr)
    u_paths = cluster_rows(u_unit, u_weights, args.depth, args.iters)
    paths = [u_paths[i] for i in inverse]
    depths = np.array([len(p) for p in paths])
    print(f"weights: {args.weight}; row paths: depth min {depths.min()} max {depths.max()} mean {depths.mean():.2f}; "
          f"{len(set(paths))} distinct", file=sys.stderr)

    word_bits = {w: paths[r] for w, r in kept.items()}
    words = sorted(word_bits, key=lambda s: s.encode("utf8"))

    args.out_dir.mkdir(parents=True, exist_ok=True)
    n_all = write_tsv(args.out_dir / "vec-clusters.tsv", words, word_bits)

    def is_cap_entry(w: str) -> bool:
        if w[0].isupper():
            return True
        return w.islower() and (w[0].upper() + w[1:]) not in word_bits

    n_cap = write_tsv(args.out_dir / "vec-clusters-cap.tsv",
                      (w for w in words if is_cap_entry(w)), word_bits)
    print(f"vec-clusters.tsv: {n_all} lines; vec-clusters-cap.tsv: {n_cap} lines", file=sys.stderr)

    rank = None
    if args.freq is not None:
        freq_words = read_freq_list(args.freq)
        rank = {w: i for i, w in enumerate(freq_words)}
        top = []
        seen = set()
        for w in freq_words:
            if w in word_bits and w not in seen:
                seen.add(w)
                top.append(w)
                if len(top) == args.top:
                    break
        print(f"--freq: {len(top)} table forms found in the frequency source", file=sys.stderr)
        top.sort(key=lambda s: s.encode("utf8"))
        name = f"vec-clusters-{args.top // 1000}k.tsv"
        n_top = write_tsv(args.out_dir / name, top, word_bits)
        print(f"{name}: {n_top} lines", file=sys.stderr)
    else:
        print("no --freq list: top-N variant not written (the vectors carry no frequencies)",
              file=sys.stderr)

    for w in args.probe:
        probe(w, word_bits, kept, unit, rank)
    return 0


if __name__ == "__main__":
    sys.exit(main())
