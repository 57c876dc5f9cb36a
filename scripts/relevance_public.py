#!/usr/bin/env python3
"""Compares lede's ranking with a plain SQLite FTS5 baseline on public retrieval collections.

Usage:
    python3 scripts/relevance_public.py [--lede target/release/lede] [--data DIR]
                                        [--only adi,npl,xquad,covid,pubmed] [--limit-queries K]
                                        [--lede-args "--exact"] [--lede-rewrite '{w} title:{w}']
                                        [--language en] [--id-titles]
                                        [--keep DIR] [--json] [--check-adi MIN_RATIO]

The collections (DATA, default /work/shared/data/ir; see its README.md and PROVENANCE.md files):
  adi     ADI, 82 documentation abstracts, 35 queries (SMART: .I/.T/.W, ADI.QRY, ADI.REL)
  npl     NPL, 11,429 electronics abstracts, 93 queries (doc-text, query-text, rlv-ass)
  xquad   XQuAD-en, 48 Wikipedia articles in 240 paragraphs, 1,190 questions
  covid   COVID-QA, 98 scientific articles in 4,625 lines, 1,380 questions
  pubmed  PubMedQA-l, 1,000 structured abstracts, 1,000 questions (no passage judgments)

What it does, per collection:
  1. converts the collection into a folder lede reads, one file per document named after
     its id (so a hit's article path gives the collection's doc id back):
       - ADI, NPL, XQuAD, COVID-QA: `ID.json`, {"title", "text"} with the paragraphs joined
         by blank lines (ADI: .T title, .W text as one paragraph; NPL: no title, the text as
         one paragraph; XQuAD/COVID-QA: the article title and its paragraphs / lines);
       - PubMedQA: `ID.md`, each section as `## HEADING` and its text (Markdown punctuation
         backslash-escaped), no title, as its PROVENANCE asks. An article without a title
         gets lede's fallback title, its first sentence (lede has no way to leave it empty);
  2. indexes the folder with `lede index DIR --index INDEX -q`;
  3. FTS5 baseline, tokenize='porter unicode61', ranked by bm25(), the query's words OR-ed:
       - document / article level: one row per document, its title, headings and paragraphs
         (for the QA sets: whole-article rows, not the best paragraph of the article);
       - passage level (XQuAD, COVID-QA): one row per paragraph of docs.jsonl, its text;
  4. lede, in batch mode (`lede search --queries FILE --json --index INDEX`):
       - document / article level: `--per-article 1 -n 100`, i.e. the 100 best articles, each
         ranked by its best passage;
       - passage level: `--per-article 0 -n 10`;
  5. prints per collection the queries, MAP@100 of both systems and their ratio (lede / FTS5),
     passage MRR@10 of both where there are passage judgments, and the seconds each step
     took; then the mean and the minimum of the MAP ratios.

Queries. Both systems get the same cleaned query: lowercased, every run of characters that
is not a letter or a digit replaced by a space (quotes, `:`, `(`, `)`, `*`, `-`, `^`, `~`,
apostrophes, ... go; `Mother-to-child` becomes `mother to child`), so that lede reads no
operator (AND/OR/NOT are lowercased with everything else) and FTS5 none either (each word is
also written as an FTS5 string). A query with no word left is skipped and counted.
`--lede-rewrite TEMPLATE` then rewrites each word w of lede's query (only lede's) as
TEMPLATE.format(w=w), e.g. '{w} title:{w}' to emulate a higher title boost or '+{w}' for AND,
to measure variants that lede's options do not expose. `--lede-args` must not repeat -n or
--per-article (the harness sets them; lede refuses a repeated option); write
`--lede-args=--exact` when the value starts with a dash.

Conversion variants (diagnosis; each gets its own folder under --keep):
  --language CODE  writes the language into every article, so lede does not detect it (NPL's
                   lowercase abstracts are detected as `und`, fr, de, ... for ~880 of 11,429,
                   and those are not stemmed);
  --id-titles      gives the untitled documents (NPL, PubMedQA) their id as title, instead of
                   lede's fallback title, their first sentence (which counts that sentence twice).

Judging.
  - MAP@100: average precision over the first 100 documents / articles: the sum of
    precision@k at the ranks k of relevant documents, over the number of relevant documents
    (all of them, retrieved or not). Queries without judgments are left out.
  - MRR@10 (passages): 1 / rank of the first relevant passage in the first 10, else 0.
    For FTS5 a row is relevant when its paragraph id is judged. lede's passages are its own
    (short paragraphs merged, long ones split), so each lede passage of the index (dumped
    with `lede search '*'`) is aligned, word by word, to the paragraphs of its article; a
    passage *is* a judged paragraph P when at least half of the passage's words come from P
    (a piece of P, or P with a short neighbour merged in) or it holds at least half of P's
    words (P merged into a longer passage). When P was split into several passages, only
    the pieces that contain the gold answer (answers.tsv, words compared) count, unless
    none does (an answer spanning lines).

--keep DIR keeps each converted folder and index in DIR/NAME/ and reuses them on the next
run (conversion and indexing happen only when missing; a note is printed when the index
was built by another lede binary). --check-adi MIN_RATIO runs ADI only and exits 1 when
lede's MAP@100 falls below MIN_RATIO times FTS5's.

Standard library only (Python 3.11, sqlite3 with FTS5).
"""

from __future__ import annotations

import argparse
import bisect
import difflib
import json
import os
import re
import shlex
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

WORD = re.compile(r"[^\W_]+")
DEPTH_MAP = 100
DEPTH_MRR = 10
NAMES = ("adi", "npl", "xquad", "covid", "pubmed")
FOLDERS = {
    "adi": "adi",
    "npl": "npl",
    "xquad": "xquad-en",
    "covid": "covid-qa",
    "pubmed": "pubmedqa-l",
}
TITLES = {
    "adi": "ADI",
    "npl": "NPL",
    "xquad": "XQuAD-en",
    "covid": "COVID-QA",
    "pubmed": "PubMedQA-l",
}
MD_ESCAPE = re.compile(r"([\\`*_{}\[\]<>()#+\-.!|~&])")


@dataclass
class Paragraph:
    id: str
    text: str
    heading: str | None = None


@dataclass
class Doc:
    id: str
    title: str
    paragraphs: list[Paragraph]


@dataclass
class Collection:
    name: str
    docs: dict[str, Doc]
    queries: list[tuple[str, str]]  # (qid, text), in file order
    qrels: dict[str, set[str]]  # qid -> relevant doc ids
    passage_qrels: dict[str, set[str]] = field(default_factory=dict)  # qid -> paragraph ids
    answers: dict[str, str] = field(default_factory=dict)
    markdown: bool = False  # write .md with headings instead of .json

    @property
    def has_passages(self) -> bool:
        return bool(self.passage_qrels)


# ---------------------------------------------------------------- loading


def collapse(text: str) -> str:
    return " ".join(text.split())


def smart_records(path: Path) -> list[tuple[str, dict[str, str]]]:
    """SMART records: `.I id` then fields `.X` on their own line; the first of each field kept."""
    records: list[tuple[str, dict[str, str]]] = []
    current: dict[str, list[str]] | None = None
    name = None
    for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
        if line.startswith(".I"):
            current = {}
            records.append((line[2:].strip(), current))  # type: ignore[arg-type]
            name = None
        elif re.fullmatch(r"\.[A-Z]\s*", line) and current is not None:
            name = line[1]
            name = name if name not in current else name + "#dup"
            current[name] = []
        elif current is not None and name is not None:
            current[name].append(line)
    return [(i, {k: collapse(" ".join(v)) for k, v in f.items()}) for i, f in records]


def load_adi(folder: Path) -> Collection:
    docs = {}
    for did, f in smart_records(folder / "ADI.ALL"):
        docs[did] = Doc(did, f.get("T", ""), [Paragraph(f"{did}_0", f.get("W", ""))])
    queries = [(qid, f.get("W", "")) for qid, f in smart_records(folder / "ADI.QRY")]
    qrels: dict[str, set[str]] = defaultdict(set)
    for line in (folder / "ADI.REL").read_text().splitlines():
        parts = line.split()
        if len(parts) >= 2:
            qrels[parts[0]].add(parts[1])
    return Collection("adi", docs, queries, dict(qrels))


def slash_records(path: Path) -> list[tuple[str, list[str]]]:
    """Records ended by a line holding only `/`: an id line, then the lines of the record."""
    out, lines = [], []
    for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
        if line.strip() == "/":
            body = [x for x in lines if x.strip()]
            if body:
                out.append((body[0].strip(), body[1:]))
            lines = []
        else:
            lines.append(line)
    body = [x for x in lines if x.strip()]
    if body:
        out.append((body[0].strip(), body[1:]))
    return out


def load_npl(folder: Path) -> Collection:
    docs = {}
    for did, lines in slash_records(folder / "doc-text"):
        docs[did] = Doc(did, "", [Paragraph(f"{did}_0", collapse(" ".join(lines)))])
    queries = [(qid, collapse(" ".join(lines))) for qid, lines in slash_records(folder / "query-text")]
    qrels = {qid: {x for line in lines for x in line.split()} for qid, lines in slash_records(folder / "rlv-ass")}
    return Collection("npl", docs, queries, qrels)


def read_tsv(path: Path) -> list[list[str]]:
    if not path.is_file():
        return []
    return [line.rstrip("\r").split("\t") for line in path.read_text(encoding="utf-8").split("\n") if line.strip()]


def load_qa(name: str, folder: Path, use_title: bool) -> Collection:
    docs = {}
    for line in (folder / "articles.jsonl").read_text(encoding="utf-8").split("\n"):
        if not line.strip():
            continue
        obj = json.loads(line)
        paras = [
            Paragraph(f"{obj['id']}_{i}", collapse(p["text"]), p.get("heading") or None)
            for i, p in enumerate(obj["paragraphs"])
        ]
        docs[obj["id"]] = Doc(obj["id"], (obj.get("title") or "") if use_title else "", paras)
    queries = [(r[0], r[1]) for r in read_tsv(folder / "queries.tsv") if len(r) >= 2]
    qrels: dict[str, set[str]] = defaultdict(set)
    for r in read_tsv(folder / "qrels-article.tsv"):
        if len(r) < 3 or r[2].strip() != "0":
            qrels[r[0]].add(r[1])
    pq: dict[str, set[str]] = defaultdict(set)
    for r in read_tsv(folder / "qrels.tsv"):
        if len(r) < 3 or r[2].strip() != "0":
            pq[r[0]].add(r[1])
    answers = {r[0]: r[1] for r in read_tsv(folder / "answers.tsv") if len(r) >= 2}
    return Collection(name, docs, queries, dict(qrels), dict(pq), answers, markdown=not use_title)


def load(name: str, data: Path) -> Collection:
    folder = data / FOLDERS[name]
    if name == "adi":
        return load_adi(folder)
    if name == "npl":
        return load_npl(folder)
    return load_qa(name, folder, use_title=name != "pubmed")


# ---------------------------------------------------------------- converting and indexing


def md_escape(text: str) -> str:
    return MD_ESCAPE.sub(r"\\\1", text)


def convert(coll: Collection, out: Path, language: str = "", id_titles: bool = False) -> None:
    out.mkdir(parents=True, exist_ok=True)
    for doc in coll.docs.values():
        title = doc.title or (doc.id if id_titles else "")
        if coll.markdown:
            parts = [f"---\nlanguage: {language}\n---"] if language else []
            parts += [f"# {md_escape(title)}"] if title else []
            heading = None
            for p in doc.paragraphs:
                if p.heading and p.heading != heading:
                    parts.append(f"## {md_escape(p.heading)}")
                    heading = p.heading
                parts.append(md_escape(p.text))
            (out / f"{doc.id}.md").write_text("\n\n".join(parts) + "\n", encoding="utf-8")
        else:
            obj = {"text": "\n\n".join(p.text for p in doc.paragraphs if p.text)}
            if title:
                obj = {"title": title, **obj}
            if language:
                obj["language"] = language
            (out / f"{doc.id}.json").write_text(json.dumps(obj, ensure_ascii=False), encoding="utf-8")


def binary_stamp(lede: str) -> str:
    try:
        st = os.stat(lede)
        return f"{os.path.realpath(lede)} {st.st_size} {int(st.st_mtime)}"
    except OSError:
        return lede


def index(lede: str, articles: Path, index_dir: Path) -> dict:
    proc = subprocess.run(
        [lede, "index", str(articles), "--index", str(index_dir), "-q", "--json"],
        capture_output=True, text=True, encoding="utf-8",
    )
    if proc.returncode not in (0, 3):
        sys.exit(f"lede index {articles} failed ({proc.returncode}): {proc.stderr.strip()[:2000]}")
    try:
        summary = json.loads(proc.stdout.strip().splitlines()[-1])
    except (IndexError, json.JSONDecodeError):
        summary = {}
    if proc.returncode == 3 or proc.stderr.strip():
        summary["stderr"] = proc.stderr.strip()[:2000]
    (index_dir / "relevance_public.stamp").write_text(binary_stamp(lede) + "\n")
    (index_dir / "relevance_public.summary.json").write_text(json.dumps(summary) + "\n")
    return summary


# ---------------------------------------------------------------- queries


def clean(query: str) -> str:
    """Lowercased words (letters and digits), one space apart: no operator left."""
    return " ".join(WORD.findall(query.lower()))


def fts5_expression(cleaned: str) -> str:
    return " OR ".join(f'"{w}"' for w in cleaned.split())


def rewrite(cleaned: str, template: str | None) -> str:
    if not template:
        return cleaned
    return " ".join(template.format(w=w) for w in cleaned.split())


# ---------------------------------------------------------------- FTS5


def fts5_table(rows: list[tuple[str, str]]) -> sqlite3.Connection:
    conn = sqlite3.connect(":memory:")
    conn.execute("CREATE VIRTUAL TABLE t USING fts5(text, id UNINDEXED, tokenize='porter unicode61')")
    conn.executemany("INSERT INTO t (text, id) VALUES (?, ?)", [(text, i) for i, text in rows])
    return conn


def fts5_search(conn: sqlite3.Connection, cleaned: str, depth: int) -> list[str]:
    expr = fts5_expression(cleaned)
    if not expr:
        return []
    rows = conn.execute(
        "SELECT id FROM t WHERE t MATCH ? ORDER BY bm25(t) LIMIT ?", (expr, depth)
    ).fetchall()
    return [r[0] for r in rows]


def doc_rows(coll: Collection) -> list[tuple[str, str]]:
    rows = []
    for doc in coll.docs.values():
        parts = [doc.title] if doc.title else []
        heading = None
        for p in doc.paragraphs:
            if p.heading and p.heading != heading:
                parts.append(p.heading)
                heading = p.heading
            parts.append(p.text)
        rows.append((doc.id, "\n".join(parts)))
    return rows


def paragraph_rows(coll: Collection) -> list[tuple[str, str]]:
    return [(p.id, p.text) for doc in coll.docs.values() for p in doc.paragraphs]


# ---------------------------------------------------------------- lede


@dataclass
class LedeHit:
    doc: str  # collection doc id (the file stem)
    index: int  # lede's passage index within the article
    text: str


@dataclass
class Batch:
    hits: dict[str, list[LedeHit]]  # query text as run -> hits in rank order
    warnings: list[str]
    seconds: float
    returncode: int


def duplicate_groups(coll: Collection, id_titles: bool = False) -> dict[str, list[str]]:
    """Doc id -> the ids of all documents with the same title and paragraphs (groups of 2+).

    lede indexes such copies once (an article's id is a hash of its title and paragraphs),
    so a hit on one stands for all of them; FTS5 holds each copy as its own row."""
    by_content: dict[tuple, list[str]] = defaultdict(list)
    for doc in coll.docs.values():
        title = doc.title or (doc.id if id_titles else "")
        by_content[(title, tuple((p.heading, p.text) for p in doc.paragraphs))].append(doc.id)
    return {d: ids for ids in by_content.values() if len(ids) > 1 for d in ids}


def expand_duplicates(ranked: list[str], groups: dict[str, list[str]]) -> list[str]:
    out, seen = [], set()
    for d in ranked:
        for x in groups.get(d, [d]):
            if x not in seen:
                seen.add(x)
                out.append(x)
    return out


def doc_id_of(path: str) -> str:
    return Path(path.replace("\\", "/")).stem


def lede_batch(lede: str, index_dir: Path, queries: list[str], extra: list[str], work: Path,
               tag: str, *opts: str) -> Batch:
    """Runs the distinct queries through one `lede search --queries FILE --json` process."""
    distinct = list(dict.fromkeys(q for q in queries if q))
    qfile = work / f"queries-{tag}.txt"
    qfile.write_text("".join(q + "\n" for q in distinct), encoding="utf-8")
    hits: dict[str, list[LedeHit]] = defaultdict(list)
    if not distinct:
        return Batch(hits, [], 0.0, 1)
    args = [lede, "search", "--queries", str(qfile), "--json", "--index", str(index_dir), *opts, *extra]
    start = time.monotonic()
    errfile = work / f"stderr-{tag}.txt"
    with open(errfile, "w+", encoding="utf-8") as err:
        proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=err, text=True, encoding="utf-8")
        assert proc.stdout is not None
        for line in proc.stdout:
            if not line.strip():
                continue
            obj = json.loads(line)
            if "article" not in obj:
                continue  # a query without hits: {"query": ..., "hits": 0}
            hits[obj.get("query") or ""].append(
                LedeHit(doc_id_of(obj["article"]["path"]), int(obj["passage"]["index"]), obj["passage"]["text"])
            )
        rc = proc.wait()
        err.seek(0)
        warnings = [w for w in err.read().splitlines() if w.strip()]
    seconds = time.monotonic() - start
    if rc not in (0, 1):
        sys.exit(f"lede search failed ({rc}): {' '.join(map(shlex.quote, args))}\n" + "\n".join(warnings[-20:]))
    return Batch(hits, warnings, seconds, rc)


def dump_passages(lede: str, index_dir: Path) -> list[LedeHit]:
    proc = subprocess.run(
        [lede, "search", "*", "-n", "100000000", "--per-article", "0", "--json", "--index", str(index_dir)],
        capture_output=True, text=True, encoding="utf-8",
    )
    if proc.returncode not in (0, 1):
        sys.exit(f"lede search '*' failed ({proc.returncode}): {proc.stderr.strip()[:2000]}")
    out = []
    for line in proc.stdout.split("\n"):
        if line.strip():
            obj = json.loads(line)
            out.append(LedeHit(doc_id_of(obj["article"]["path"]), int(obj["passage"]["index"]), obj["passage"]["text"]))
    return out


# ---------------------------------------------------------------- passage alignment


def words(text: str) -> list[str]:
    return WORD.findall(text.lower())


class Aligner:
    """Maps lede's passages of an article to the collection's paragraphs, word by word."""

    def __init__(self, doc: Doc):
        self.tokens: list[str] = []
        self.owner: list[str] = []  # paragraph id of each token
        self.sizes: dict[str, int] = {}
        for p in doc.paragraphs:
            ws = words(p.text)
            self.tokens += ws
            self.owner += [p.id] * len(ws)
            self.sizes[p.id] = len(ws)
        self.joined = " " + " ".join(self.tokens) + " "
        self.starts = []  # char offset in joined of each token
        pos = 1
        for w in self.tokens:
            self.starts.append(pos)
            pos += len(w) + 1
        self.cursor = 0

    def align(self, text: str) -> tuple[Counter, bool]:
        """Words of the passage per paragraph id, and whether the passage was found verbatim."""
        ws = words(text)
        if not ws:
            return Counter(), True
        needle = " " + " ".join(ws) + " "
        at = self.joined.find(needle, max(0, self.starts[self.cursor] - 1) if self.cursor < len(self.starts) else 0)
        if at < 0:
            at = self.joined.find(needle)
        if at >= 0:
            first = bisect.bisect_left(self.starts, at + 1)
            self.cursor = min(first + len(ws), len(self.tokens) - 1) if self.tokens else 0
            return Counter(self.owner[first:first + len(ws)]), True
        counts: Counter = Counter()
        sm = difflib.SequenceMatcher(None, self.tokens, ws, autojunk=False)
        for block in sm.get_matching_blocks():
            counts.update(self.owner[block.a:block.a + block.size])
        return counts, False


@dataclass
class PassageMap:
    """lede passage (doc id, passage index) -> the paragraph ids it counts as."""

    paragraphs: dict[tuple[str, int], set[str]]
    texts: dict[tuple[str, int], list[str]]  # the words of each passage
    pieces: dict[str, list[tuple[str, int]]]  # paragraph id -> the passages that count as it
    unaligned: int
    passages: int

    @property
    def split(self) -> int:
        """Paragraphs that two or more passages count as."""
        return sum(1 for keys in self.pieces.values() if len(keys) > 1)


def passage_map(coll: Collection, passages: list[LedeHit]) -> PassageMap:
    by_doc: dict[str, list[LedeHit]] = defaultdict(list)
    for p in passages:
        by_doc[p.doc].append(p)
    owners: dict[tuple[str, int], set[str]] = {}
    texts: dict[tuple[str, int], list[str]] = {}
    pieces: dict[str, list[tuple[str, int]]] = defaultdict(list)
    unaligned = 0
    for did, ps in by_doc.items():
        doc = coll.docs.get(did)
        if doc is None:
            continue
        al = Aligner(doc)
        for p in sorted(ps, key=lambda h: h.index):
            counts, exact = al.align(p.text)
            unaligned += not exact
            key = (did, p.index)
            texts[key] = words(p.text)
            n = max(1, len(texts[key]))
            owners[key] = set()
            for pid, c in counts.items():
                if c >= 0.5 * n or c >= 0.5 * max(1, al.sizes.get(pid, 0)):
                    owners[key].add(pid)
                    pieces[pid].append(key)
    return PassageMap(owners, texts, dict(pieces), unaligned, len(passages))


def contains_words(hay: list[str], needle: list[str]) -> bool:
    if not needle:
        return False
    return (" " + " ".join(needle) + " ") in (" " + " ".join(hay) + " ")


def lede_passage_gains(hits: list[LedeHit], relevant: set[str], answer: str, pmap: PassageMap) -> list[int]:
    """1 for each hit that counts as a judged paragraph (see the module's Judging notes)."""
    ans = words(answer)
    gains = []
    for h in hits:
        key = (h.doc, h.index)
        text = pmap.texts.get(key, words(h.text))
        good = False
        for pid in pmap.paragraphs.get(key, set()) & relevant:
            pieces = pmap.pieces.get(pid, [])
            if len(pieces) > 1 and any(contains_words(pmap.texts.get(k, []), ans) for k in pieces):
                good = contains_words(text, ans)
            else:
                good = True
            if good:
                break
        gains.append(1 if good else 0)
    return gains


# ---------------------------------------------------------------- metrics


def average_precision(ranked: list[str], relevant: set[str], depth: int) -> float:
    seen, found, total = set(), 0, 0.0
    for rank, d in enumerate(ranked[:depth], 1):
        if d in relevant and d not in seen:
            found += 1
            total += found / rank
        seen.add(d)
    return total / len(relevant) if relevant else 0.0


def reciprocal_rank(gains: list[int], depth: int) -> float:
    return next((1.0 / r for r, g in enumerate(gains[:depth], 1) if g), 0.0)


def mean(xs: list[float]) -> float:
    return sum(xs) / len(xs) if xs else 0.0


# ---------------------------------------------------------------- one collection


def run_collection(name: str, args, lede: str, work_root: Path, keep: bool) -> dict:
    times: dict[str, float] = {}
    t0 = time.monotonic()
    coll = load(name, Path(args.data))
    queries = coll.queries
    if args.limit_queries:
        queries = queries[: args.limit_queries]
    judged = [(qid, q) for qid, q in queries if coll.qrels.get(qid)]
    variant = (f"-lang-{args.language}" if args.language else "") + ("-idtitles" if args.id_titles else "")
    work = work_root / (name + variant)
    articles, index_dir = work / "articles", work / "index"
    notes: list[str] = []
    if not (keep and articles.is_dir() and any(articles.iterdir())):
        if articles.exists():
            for f in articles.iterdir():
                f.unlink()
        convert(coll, articles, args.language, args.id_titles)
    times["convert"] = time.monotonic() - t0

    t = time.monotonic()
    stamp = index_dir / "relevance_public.stamp"
    if keep and stamp.is_file():
        summary_file = index_dir / "relevance_public.summary.json"
        summary = json.loads(summary_file.read_text()) if summary_file.is_file() else {}
        if stamp.read_text().strip() != binary_stamp(lede):
            notes.append(f"{name}: index reused from another lede binary ({stamp.read_text().strip()})")
    else:
        summary = index(lede, articles, index_dir)
    times["index"] = time.monotonic() - t
    groups = duplicate_groups(coll, args.id_titles)
    if groups:
        notes.append(f"{name}: {len(groups)} documents are exact copies of another ({len(set(map(tuple, groups.values())))} "
                     "groups); lede indexes one of each, and a lede hit on it is counted as all the copies in turn")
    if summary.get("articles") is not None and summary["articles"] != len(coll.docs):
        notes.append(f"{name}: {len(coll.docs)} documents, lede indexed {summary['articles']} articles "
                     f"(duplicates {summary.get('duplicates')}, failed {summary.get('failed')})")
    if summary.get("stderr"):
        notes.append(f"{name}: lede index stderr: {summary['stderr'][:300]}")

    cleaned = {qid: clean(q) for qid, q in judged}
    empty = [qid for qid, c in cleaned.items() if not c]
    if empty:
        notes.append(f"{name}: {len(empty)} queries have no word left after cleaning")
    lede_q = {qid: rewrite(c, args.lede_rewrite) for qid, c in cleaned.items()}
    extra = shlex.split(args.lede_args) if args.lede_args else []

    # FTS5
    t = time.monotonic()
    conn = fts5_table(doc_rows(coll))
    fts_docs = {qid: fts5_search(conn, c, DEPTH_MAP) for qid, c in cleaned.items()}
    conn.close()
    fts_par = {}
    if coll.has_passages:
        conn = fts5_table(paragraph_rows(coll))
        fts_par = {qid: fts5_search(conn, c, DEPTH_MRR) for qid, c in cleaned.items()}
        conn.close()
    times["fts5"] = time.monotonic() - t

    # lede
    t = time.monotonic()
    qs = list(lede_q.values())
    b_doc = lede_batch(lede, index_dir, qs, extra, work, "articles", "--per-article", "1", "-n", str(DEPTH_MAP))
    warnings = list(b_doc.warnings)
    b_par = None
    pmap = None
    if coll.has_passages:
        b_par = lede_batch(lede, index_dir, qs, extra, work, "passages", "--per-article", "0", "-n", str(DEPTH_MRR))
        warnings += b_par.warnings
        pmap = passage_map(coll, dump_passages(lede, index_dir))
        if pmap.unaligned:
            notes.append(f"{name}: {pmap.unaligned} of {pmap.passages} lede passages not found verbatim "
                         "in their article's paragraphs (aligned by longest matching word blocks)")
    times["lede"] = time.monotonic() - t
    if warnings:
        kinds = Counter(re.sub(r"\d+", "N", w)[:120] for w in warnings)
        notes.append(f"{name}: lede printed {len(warnings)} warnings: "
                     + "; ".join(f"{k} (x{v})" for k, v in kinds.most_common(4)))

    per_query = []
    for qid, _ in judged:
        rel = coll.qrels[qid]
        lhits = b_doc.hits.get(lede_q[qid], []) if lede_q[qid] else []
        row = {
            "qid": qid,
            "query": cleaned[qid],
            "relevant": len(rel),
            "fts5_ap": average_precision(fts_docs[qid], rel, DEPTH_MAP),
            "lede_ap": average_precision(expand_duplicates([h.doc for h in lhits], groups), rel, DEPTH_MAP),
        }
        if coll.has_passages:
            prel = coll.passage_qrels.get(qid, set())
            row["fts5_rr"] = reciprocal_rank([1 if p in prel else 0 for p in fts_par[qid]], DEPTH_MRR)
            phits = b_par.hits.get(lede_q[qid], []) if lede_q[qid] and b_par else []
            gains = lede_passage_gains(phits, prel, coll.answers.get(qid, ""), pmap)
            row["lede_rr"] = reciprocal_rank(gains, DEPTH_MRR)
        per_query.append(row)

    no_lede = sum(1 for qid, _ in judged if lede_q[qid] and not b_doc.hits.get(lede_q[qid]))
    no_fts = sum(1 for qid, _ in judged if cleaned[qid] and not fts_docs[qid])
    if no_lede or no_fts:
        notes.append(f"{name}: queries with no hit at all: lede {no_lede}, FTS5 {no_fts}")
    result = {
        "name": name,
        "title": TITLES[name],
        "documents": len(coll.docs),
        "lede_articles": summary.get("articles"),
        "lede_passages": summary.get("passages"),
        "queries": len(per_query),
        "fts5_map": mean([r["fts5_ap"] for r in per_query]),
        "lede_map": mean([r["lede_ap"] for r in per_query]),
        "seconds": {k: round(v, 2) for k, v in times.items()},
        "lede_search_seconds": round(b_doc.seconds + (b_par.seconds if b_par else 0), 2),
        "notes": notes,
        "per_query": per_query,
    }
    result["ratio"] = result["lede_map"] / result["fts5_map"] if result["fts5_map"] else 0.0
    if coll.has_passages:
        result["fts5_mrr"] = mean([r["fts5_rr"] for r in per_query])
        result["lede_mrr"] = mean([r["lede_rr"] for r in per_query])
        result["mrr_ratio"] = result["lede_mrr"] / result["fts5_mrr"] if result["fts5_mrr"] else 0.0
        result["split_paragraphs"] = pmap.split if pmap else 0
    result["seconds"]["total"] = round(sum(times.values()), 2)
    return result


# ---------------------------------------------------------------- output


def markdown(results: list[dict]) -> str:
    lines = [
        f"| collection | queries | FTS5 MAP@{DEPTH_MAP} | lede MAP@{DEPTH_MAP} | ratio "
        f"| FTS5 MRR@{DEPTH_MRR} | lede MRR@{DEPTH_MRR} | ratio | seconds |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in results:
        mrr = (f"{r['fts5_mrr']:.3f} | {r['lede_mrr']:.3f} | {r['mrr_ratio']:.3f}"
               if "fts5_mrr" in r else "– | – | –")
        lines.append(
            f"| {r['title']} | {r['queries']} | {r['fts5_map']:.3f} | {r['lede_map']:.3f} "
            f"| {r['ratio']:.3f} | {mrr} | {r['seconds']['total']:.1f} |"
        )
    ratios = [r["ratio"] for r in results]
    if ratios:
        lines.append("")
        lines.append(f"MAP ratio lede/FTS5 over {len(ratios)} collections: mean {mean(ratios):.3f}, "
                     f"minimum {min(ratios):.3f} ({results[ratios.index(min(ratios))]['title']})")
    lines.append("")
    lines.append("Seconds per step: " + "; ".join(
        f"{r['title']} " + ", ".join(f"{k} {v:.1f}" for k, v in r["seconds"].items() if k != "total")
        for r in results))
    return "\n".join(lines)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--lede", default="target/release/lede", help="path to the lede binary")
    ap.add_argument("--data", default="/work/shared/data/ir", help="folder of the collections")
    ap.add_argument("--only", default=",".join(NAMES), help=f"comma-separated subset of {','.join(NAMES)}")
    ap.add_argument("--limit-queries", type=int, default=0, help="only the first K queries of each collection")
    ap.add_argument("--json", action="store_true", help="print the results (with per-query numbers) as JSON")
    ap.add_argument("--lede-args", default="", help="extra arguments for every `lede search`; write --lede-args=--exact (with '=') "
                    "when they start with a dash")
    ap.add_argument("--lede-rewrite", default="", help="rewrite each word w of lede's query as this "
                    "template, e.g. '{w} title:{w}' (lede only)")
    ap.add_argument("--language", default="", metavar="CODE",
                    help="write this language into every converted article (lede then skips detection)")
    ap.add_argument("--id-titles", action="store_true",
                    help="give untitled documents (NPL, PubMedQA) their id as title, instead of lede's "
                    "fallback title (their first sentence)")
    ap.add_argument("--keep", default="", help="keep converted collections and indexes in this folder and reuse them")
    ap.add_argument("--check-adi", type=float, default=None, metavar="MIN_RATIO",
                    help="run ADI only; exit 1 when lede's MAP@100 / FTS5's is below MIN_RATIO")
    args = ap.parse_args()

    names = ["adi"] if args.check_adi is not None else [n.strip() for n in args.only.split(",") if n.strip()]
    unknown = [n for n in names if n not in NAMES]
    if unknown:
        ap.error(f"unknown collection(s) {', '.join(unknown)}; choose from {', '.join(NAMES)}")
    lede = str(Path(args.lede).resolve()) if "/" in args.lede else args.lede
    if "/" in args.lede and not Path(lede).is_file():
        ap.error(f"no lede binary at {lede}")

    tmp = None
    if args.keep:
        root = Path(args.keep).resolve()
        root.mkdir(parents=True, exist_ok=True)
    else:
        tmp = tempfile.TemporaryDirectory(prefix="lede-public-")
        root = Path(tmp.name)
    results = []
    try:
        for name in names:
            print(f"{TITLES[name]}...", file=sys.stderr, flush=True)
            r = run_collection(name, args, lede, root, keep=bool(args.keep))
            print(f"{TITLES[name]}: {r['queries']} queries, MAP fts5 {r['fts5_map']:.3f} lede {r['lede_map']:.3f}"
                  f", {r['seconds']['total']:.1f}s", file=sys.stderr, flush=True)
            results.append(r)
    finally:
        if tmp is not None:
            tmp.cleanup()

    ratios = [r["ratio"] for r in results]
    if args.json:
        print(json.dumps({
            "lede": lede,
            "lede_args": args.lede_args,
            "lede_rewrite": args.lede_rewrite,
            "language": args.language,
            "id_titles": args.id_titles,
            "limit_queries": args.limit_queries,
            "mean_ratio": mean(ratios),
            "min_ratio": min(ratios) if ratios else None,
            "collections": results,
        }, indent=1, ensure_ascii=False))
    else:
        extra = " ".join(x for x in (
            args.lede_args,
            f"rewrite {args.lede_rewrite!r}" if args.lede_rewrite else "",
            f"articles in language {args.language}" if args.language else "",
            "id titles" if args.id_titles else "",
        ) if x)
        print(f"lede: {lede}{' ' + extra if extra else ''}\n")
        print(markdown(results))
        notes = [n for r in results for n in r["notes"]]
        if notes:
            print("\nNotes:")
            for n in notes:
                print(f"- {n}")
    if args.check_adi is not None:
        r = results[0]
        if r["ratio"] < args.check_adi:
            print(f"ADI MAP@100 ratio {r['ratio']:.3f} is below {args.check_adi}", file=sys.stderr)
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
