#!/usr/bin/env python3
"""Compares lede's ranking with a plain SQLite FTS5 baseline on the relevance set.

Usage:
    python3 scripts/relevance_fts5.py [--lede target/release/lede] [--set tests/relevance]
                                      [--json] [--per-query] [--check] [--depth 10]

What it does:
  1. indexes the set's articles (SET/articles) with `lede index DIR --index TMP -q`
     into a temporary index;
  2. dumps every passage of that index with `lede search '*' -n 1000000 --per-article 0 --json`;
  3. loads those same passages (their text only) into an SQLite FTS5 table with
     tokenize='porter unicode61';
  4. runs each query of SET/queries.jsonl through FTS5: the query's words, lowercased,
     with punctuation and quotes removed, joined by OR, ranked by bm25(), top DEPTH;
  5. runs each query through `lede search QUERY --json -n DEPTH --index TMP`, as written
     (phrase queries keep their double quotes);
  6. judges both result lists and prints MRR, nDCG@DEPTH, MAP and Top1 per system,
     overall and per query kind, as a Markdown table (or as JSON with --json).

Judging. A query lists judged passages as {"file", "contains", "grade"}. A hit is
relevant to a judged passage when the hit's article path ends with `file` (as a whole
path component) and its passage text contains `contains` verbatim. Each judged
passage is credited once, at the first hit that matches it; later hits matching only
already-credited passages count as not relevant.

Metrics, per query, averaged over queries:
  MRR      1 / rank of the first relevant hit (any grade) in the top DEPTH, else 0.
  nDCG     DCG of the hits (gain = grade, discount log2(rank + 1)) over the DCG of
           the judged passages sorted by grade, both cut at DEPTH.
  MAP      average precision: the sum of precision@k over the ranks k of relevant
           hits, divided by the number of judged passages.
  Top1     1 when the grade-2 passage is the first hit, else 0.

--check validates the set instead of scoring: every `contains` must be 4-10 words
and occur in exactly one paragraph of its file and in exactly one indexed passage;
the judged passages of a query must be distinct passages; and each query needs
exactly one grade-2 passage.
It exits 1 when a problem is found. Problems are also reported, as warnings, on
every scoring run.

Standard library only (Python 3.11, sqlite3 with FTS5).
"""

from __future__ import annotations

import argparse
import json
import math
import re
import sqlite3
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

KINDS = ("keyword", "question", "entity", "phrase", "typo")
WORD = re.compile(r"[^\W_]+")


@dataclass
class Judged:
    file: str
    contains: str
    grade: int


@dataclass
class Query:
    id: str
    query: str
    kind: str
    relevant: list[Judged]


@dataclass
class Hit:
    path: str
    text: str


@dataclass
class Run:
    """One system's answer to one query."""

    hits: list[Hit]
    error: str | None = None  # lede exited with an error (exit code 2)
    warning: str | None = None  # lede printed something on stderr
    gains: list[int] = field(default_factory=list)


# ---------------------------------------------------------------- loading


def load_queries(path: Path) -> list[Query]:
    queries = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        obj = json.loads(line)
        rel = [Judged(r["file"], r["contains"], int(r["grade"])) for r in obj["relevant"]]
        queries.append(Query(obj["id"], obj["query"], obj["kind"], rel))
    return queries


def run_lede(lede: str, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([lede, *args], capture_output=True, text=True, encoding="utf-8")


def index_articles(lede: str, articles: Path, index: Path) -> None:
    proc = run_lede(lede, "index", str(articles), "--index", str(index), "-q")
    if proc.returncode != 0:
        sys.exit(f"lede index failed ({proc.returncode}): {proc.stderr.strip()}")


def parse_hits(stdout: str) -> list[Hit]:
    hits = []
    for line in stdout.splitlines():
        if line.strip():
            obj = json.loads(line)
            hits.append(Hit(obj["article"]["path"], obj["passage"]["text"]))
    return hits


def dump_passages(lede: str, index: Path) -> list[Hit]:
    proc = run_lede(lede, "search", "*", "-n", "1000000", "--per-article", "0", "--json", "--index", str(index))
    if proc.returncode not in (0, 1):
        sys.exit(f"lede search '*' failed ({proc.returncode}): {proc.stderr.strip()}")
    return parse_hits(proc.stdout)


# ---------------------------------------------------------------- systems


def fts5_table(passages: list[Hit]) -> sqlite3.Connection:
    conn = sqlite3.connect(":memory:")
    conn.execute(
        "CREATE VIRTUAL TABLE passages USING fts5("
        "text, path UNINDEXED, tokenize='porter unicode61')"
    )
    conn.executemany(
        "INSERT INTO passages (text, path) VALUES (?, ?)", [(p.text, p.path) for p in passages]
    )
    return conn


def fts5_expression(query: str) -> str:
    """The query's words, lowercased and without punctuation or quotes, joined by OR.

    Each word is written as an FTS5 string so that words such as `and` or `near`
    are never read as operators."""
    words = WORD.findall(query.lower())
    return " OR ".join(f'"{w}"' for w in words)


def fts5_search(conn: sqlite3.Connection, query: str, depth: int) -> Run:
    expr = fts5_expression(query)
    if not expr:
        return Run([])
    rows = conn.execute(
        "SELECT path, text FROM passages WHERE passages MATCH ? ORDER BY bm25(passages) LIMIT ?",
        (expr, depth),
    ).fetchall()
    return Run([Hit(path, text) for path, text in rows])


def lede_search(lede: str, index: Path, query: str, depth: int) -> Run:
    args = ["search", "--json", "-n", str(depth), "--index", str(index)]
    args += ["--", query] if query.startswith("-") else [query]
    proc = run_lede(lede, *args)
    stderr = proc.stderr.strip() or None
    if proc.returncode not in (0, 1):
        return Run([], error=f"exit {proc.returncode}: {stderr}")
    return Run(parse_hits(proc.stdout), warning=stderr)


# ---------------------------------------------------------------- judging


def matches(hit: Hit, judged: Judged) -> bool:
    path = hit.path.replace("\\", "/")
    in_file = path == judged.file or path.endswith("/" + judged.file)
    return in_file and judged.contains in hit.text


def judge(run: Run, relevant: list[Judged]) -> list[int]:
    """Gain of each hit: the best grade among the judged passages it is the first to match."""
    credited: set[int] = set()
    gains = []
    for hit in run.hits:
        new = [i for i, j in enumerate(relevant) if i not in credited and matches(hit, j)]
        credited.update(new)
        gains.append(max((relevant[i].grade for i in new), default=0))
    return gains


def dcg(gains: list[int]) -> float:
    return sum(g / math.log2(rank + 1) for rank, g in enumerate(gains, 1))


def query_metrics(gains: list[int], relevant: list[Judged], depth: int) -> dict[str, float]:
    gains = gains[:depth]
    rr = next((1.0 / rank for rank, g in enumerate(gains, 1) if g > 0), 0.0)
    ideal = dcg(sorted((j.grade for j in relevant), reverse=True)[:depth])
    found, precisions = 0, []
    for rank, g in enumerate(gains, 1):
        if g > 0:
            found += 1
            precisions.append(found / rank)
    return {
        "mrr": rr,
        "ndcg": dcg(gains) / ideal if ideal else 0.0,
        "map": sum(precisions) / len(relevant) if relevant else 0.0,
        "top1": 1.0 if gains and gains[0] == 2 else 0.0,
    }


def mean(values: list[float]) -> float:
    return sum(values) / len(values) if values else 0.0


def summarise(per_query: list[dict], system: str) -> dict[str, dict[str, float]]:
    groups = {"all": per_query}
    for kind in KINDS:
        groups[kind] = [q for q in per_query if q["kind"] == kind]
    out = {}
    for name, qs in groups.items():
        if qs:
            out[name] = {"queries": len(qs)}
            for m in ("mrr", "ndcg", "map", "top1"):
                out[name][m] = round(mean([q[system][m] for q in qs]), 4)
    return out


# ---------------------------------------------------------------- checking


def paragraphs(article: Path) -> list[str]:
    """Blocks separated by blank lines, after the source, date and title lines."""
    blocks = re.split(r"\n\s*\n", article.read_text(encoding="utf-8").strip())
    return blocks[1:]  # the first block is the header (source, date, title)


def check_set(queries: list[Query], articles: Path, passages: list[Hit]) -> list[str]:
    problems = []
    seen_ids = set()
    for q in queries:
        if q.id in seen_ids:
            problems.append(f"{q.id}: duplicate id")
        seen_ids.add(q.id)
        if q.kind not in KINDS:
            problems.append(f"{q.id}: unknown kind {q.kind!r}")
        if sum(1 for j in q.relevant if j.grade == 2) != 1:
            problems.append(f"{q.id}: needs exactly one grade-2 passage")
        used: dict[int, str] = {}
        for j in q.relevant:
            if j.grade not in (1, 2):
                problems.append(f"{q.id}: grade {j.grade} for {j.contains!r}")
            if not 4 <= len(j.contains.split()) <= 10:
                problems.append(f"{q.id}: {j.contains!r} is not 4-10 words")
            path = articles / j.file
            if not path.is_file():
                problems.append(f"{q.id}: no article {j.file}")
                continue
            n = sum(1 for p in paragraphs(path) if j.contains in p)
            if n != 1:
                problems.append(f"{q.id}: {j.contains!r} is in {n} paragraphs of {j.file}")
            hits = [i for i, p in enumerate(passages) if matches(p, j)]
            if len(hits) != 1:
                problems.append(f"{q.id}: {j.contains!r} is in {len(hits)} indexed passages")
            elif hits[0] in used:
                problems.append(
                    f"{q.id}: {j.contains!r} and {used[hits[0]]!r} are in the same passage"
                )
            else:
                used[hits[0]] = j.contains
    return problems


# ---------------------------------------------------------------- output


def markdown_table(summary: dict, depth: int) -> str:
    fts, led = summary["fts5"], summary["lede"]
    lines = [
        f"| kind | queries | MRR fts5 | MRR lede | nDCG@{depth} fts5 | nDCG@{depth} lede "
        "| MAP fts5 | MAP lede | Top1 fts5 | Top1 lede |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for kind in fts:
        a, b = fts[kind], led[kind]
        cells = [kind, str(a["queries"])]
        for m in ("mrr", "ndcg", "map", "top1"):
            cells += [f"{a[m]:.3f}", f"{b[m]:.3f}"]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def first_rank(gains: list[int], grade: int) -> str:
    return next((str(r) for r, g in enumerate(gains, 1) if g >= grade), "-")


def per_query_table(per_query: list[dict]) -> str:
    lines = [
        "| id | kind | query | grade-2 rank fts5 | grade-2 rank lede | nDCG fts5 | nDCG lede |",
        "|---|---|---|---:|---:|---:|---:|",
    ]
    for q in per_query:
        lines.append(
            f"| {q['id']} | {q['kind']} | {q['query'].replace('|', '/')} "
            f"| {q['fts5']['rank2']} | {q['lede']['rank2']} "
            f"| {q['fts5']['ndcg']:.3f} | {q['lede']['ndcg']:.3f} |"
        )
    return "\n".join(lines)


# ---------------------------------------------------------------- main


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--lede", default="target/release/lede", help="path to the lede binary")
    ap.add_argument("--set", default="tests/relevance", help="folder of the relevance set")
    ap.add_argument("--depth", type=int, default=10, help="hits judged per query (10)")
    ap.add_argument("--json", action="store_true", help="print the numbers as JSON")
    ap.add_argument("--per-query", action="store_true", help="also print a per-query table")
    ap.add_argument("--check", action="store_true", help="only validate the set")
    args = ap.parse_args()

    set_dir = Path(args.set)
    articles = (set_dir / "articles").resolve()
    queries = load_queries(set_dir / "queries.jsonl")
    lede = str(Path(args.lede).resolve()) if "/" in args.lede else args.lede

    with tempfile.TemporaryDirectory(prefix="lede-relevance-") as tmp:
        index = Path(tmp) / "index"
        index_articles(lede, articles, index)
        passages = dump_passages(lede, index)

        problems = check_set(queries, articles, passages)
        for p in problems:
            print(f"warning: {p}", file=sys.stderr)
        if args.check:
            print(f"{len(queries)} queries, {len(passages)} passages, {len(problems)} problems")
            return 1 if problems else 0

        conn = fts5_table(passages)
        per_query, notes = [], []
        for q in queries:
            row = {"id": q.id, "query": q.query, "kind": q.kind}
            for system, run in (
                ("fts5", fts5_search(conn, q.query, args.depth)),
                ("lede", lede_search(lede, index, q.query, args.depth)),
            ):
                if run.error:
                    notes.append(f"{q.id} {system} error: {run.error}")
                if run.warning:
                    notes.append(f"{q.id} {system} stderr: {run.warning}")
                gains = judge(run, q.relevant)
                row[system] = query_metrics(gains, q.relevant, args.depth)
                row[system]["rank2"] = first_rank(gains[: args.depth], 2)
                row[system]["error"] = run.error
            per_query.append(row)

    summary = {"fts5": summarise(per_query, "fts5"), "lede": summarise(per_query, "lede")}
    if args.json:
        out = {
            "depth": args.depth,
            "queries": len(queries),
            "passages": len(passages),
            "summary": summary,
            "per_query": per_query,
            "notes": notes,
            "problems": problems,
        }
        print(json.dumps(out, indent=2, ensure_ascii=False))
        return 0

    print(f"{len(queries)} queries over {len(passages)} passages, top {args.depth}\n")
    print(markdown_table(summary, args.depth))
    if args.per_query:
        print()
        print(per_query_table(per_query))
    if notes:
        print("\nNotes:")
        for n in notes:
            print(f"- {n}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
