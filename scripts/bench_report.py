#!/usr/bin/env python3
"""Writes the Markdown benchmark report from the raw results of scripts/bench.sh.

Usage:
    python3 scripts/bench_report.py RESULTS_DIR --out FILE [--notes docs/benchmarks-notes.md]
    python3 scripts/bench_report.py --summary ID.json ID        # one line about one timing
    python3 scripts/bench_report.py --fallback-json COMMAND < T  # "start end" lines to JSON

RESULTS_DIR is what bench.sh leaves in WORK/results-MODE: meta.env (KEY=VALUE
lines about the machine, tools and corpus) and, for each measurement ID,
ID.json (hyperfine's --export-json format), ID.time (`/usr/bin/time -v`),
ID.wall (wall-clock seconds of that one run), ID.out (stdout of that one run),
ID.cmd and ID.prepare (the commands), or
ID.skip / ID.fail (why there is no figure). The report has the machine, the
results with ratios against the baselines and the targets (PASS/FAIL), the
exact commands, and, last, the static notes file as "Other measurements".
Standard library only.
"""

from __future__ import annotations

import argparse
import json
import math
import re
import statistics
import sys
from pathlib import Path

MB = 1024 * 1024
# Targets: lede ÷ baseline ratios, and absolute limits on the scaled corpus.
INDEX_VS_FTS5 = 3.0
SEARCH_VS_FTS5 = 1.5
SCALE_PEAK_MB = 300
SCALE_P50_MS = 2.0
SCALE_P99_MS = 20.0
SCALE_ADD_S = 0.300
SCALE_REINDEX_S = 3.0
SCALE_SIZE_RATIO = 1.5
ENTITIES_S = 0.050  # lede entities on the BBC index
SCALE_ENTITIES_S = 1.0
SCALE_THROUGHPUT_RATIO = 0.8  # articles/s at the largest size ÷ at the smallest, at least


class Results:
    def __init__(self, root: Path):
        self.root = root
        self.meta: dict[str, str] = {}
        meta = root / "meta.env"
        if meta.exists():
            for line in meta.read_text(encoding="utf-8").splitlines():
                key, _, value = line.partition("=")
                if key:
                    self.meta[key] = value
        self.repo = self.meta.get("repo", "")

    def text(self, id_: str, ext: str) -> str | None:
        path = self.root / f"{id_}.{ext}"
        return path.read_text(encoding="utf-8", errors="replace").strip() if path.exists() else None

    def timing(self, id_: str) -> dict | None:
        raw = self.text(id_, "json")
        if not raw or (self.root / f"{id_}.fail").exists():
            return None
        try:
            return json.loads(raw)["results"][0]
        except (ValueError, KeyError, IndexError):
            return None

    def mean(self, id_: str) -> float | None:
        t = self.timing(id_)
        return t["mean"] if t else None

    def peak_kb(self, id_: str) -> int | None:
        raw = self.text(id_, "time")
        m = re.search(r"Maximum resident set size \(kbytes\): (\d+)", raw or "")
        return int(m.group(1)) if m else None

    def wall(self, id_: str) -> float | None:
        """Seconds of the one run under /usr/bin/time: bench.sh's own clock, else time's."""
        raw = self.text(id_, "wall")
        try:
            if raw:
                return float(raw)
        except ValueError:
            pass
        raw = self.text(id_, "time")
        m = re.search(r"Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): ([\d:.]+)", raw or "")
        if not m:
            return None
        seconds = 0.0
        for part in m.group(1).split(":"):
            seconds = seconds * 60 + float(part)
        return seconds

    def json_out(self, id_: str) -> dict | None:
        raw = self.text(id_, "out")
        if not raw:
            return None
        for line in reversed(raw.splitlines()):
            try:
                value = json.loads(line)
            except ValueError:
                continue
            if isinstance(value, dict):
                return value
        return None

    def why_missing(self, id_: str) -> str:
        for ext, word in (("fail", "failed"), ("skip", "skipped")):
            raw = self.text(id_, ext)
            if raw is not None:
                return f"{word}: {raw}"
        return "not measured"

    def shown(self, command: str) -> str:
        """A command as shown: paths in the repository relative, the work folder as $WORK."""
        work = self.meta.get("work", "")
        if work:
            command = command.replace(work + "/", "$WORK/").replace("'$WORK/", "$WORK/'")
        if self.repo:
            command = command.replace(self.repo + "/", "")
        return command


# --- formatting ----------------------------------------------------------------------------

def seconds(value: float | None) -> str:
    if value is None:
        return "–"
    if value < 1:
        return f"{value * 1000:.1f} ms"
    return f"{value:.2f} s"


def mean_sd(t: dict | None) -> str:
    if not t:
        return "–"
    sd = t.get("stddev")
    mean = t["mean"]
    if sd is None or (isinstance(sd, float) and math.isnan(sd)):
        return seconds(mean)
    if mean < 1:
        return f"{mean * 1000:.1f} ± {sd * 1000:.1f} ms"
    return f"{mean:.2f} ± {sd:.2f} s"


def megabytes(kb: int | None) -> str:
    return "–" if kb is None else f"{kb / 1024:.1f} MB"


def size(n: int | None) -> str:
    return "–" if n is None else f"{n / MB:.1f} MB"


def count(n) -> str:
    return f"{n:,}" if isinstance(n, int) else "?"


def ratio(a: float | None, b: float | None) -> float | None:
    return a / b if a is not None and b else None


def verdict(value: float | None, limit: float) -> str:
    if value is None:
        return "–"
    return "PASS" if value <= limit else "**FAIL**"


def verdict_at_least(value: float | None, limit: float) -> str:
    if value is None:
        return "–"
    return "PASS" if value >= limit else "**FAIL**"


def integer(value: str | None) -> int | None:
    try:
        return int(value) if value not in (None, "") else None
    except ValueError:
        return None


# --- the report ----------------------------------------------------------------------------

class Report:
    def __init__(self, res: Results):
        self.res = res
        self.lines: list[str] = []
        self.commands: list[tuple[str, str]] = []
        self.missing: list[tuple[str, str]] = []
        self.verdicts: list[tuple[str, str]] = []
        self.section = ""  # put before labels in the command list and the verdicts

    def add(self, line: str = "") -> None:
        self.lines.append(line)

    def command(self, label: str, id_: str) -> None:
        cmd = self.res.text(id_, "cmd")
        if cmd is None:
            return
        prepare = self.res.text(id_, "prepare")
        text = f"`{self.res.shown(cmd)}`"
        if prepare:
            text += f" (before each run: `{self.res.shown(prepare)}`)"
        self.commands.append((self.section + label, text))

    def row(self, label: str, id_: str, value: str, runs: str, peak: str,
            ratio_text: str = "", target: str = "", result: str = "") -> None:
        if value == "–":
            why = self.res.why_missing(id_)
            self.missing.append((self.section + label, why))
            value = why.split(":")[0]
        else:
            self.command(label, id_)
        if result and result != "–":
            self.verdicts.append((self.section + label, result.replace("*", "")))
        self.add(f"| {label} | {value} | {runs} | {peak} | {ratio_text} | {target} | {result} |")

    def timed_row(self, label: str, id_: str, ratio_text: str = "", target: str = "",
                  result: str = "") -> None:
        t = self.res.timing(id_)
        runs = str(len(t.get("times", []))) if t else ""
        self.row(label, id_, mean_sd(t), runs, megabytes(self.res.peak_kb(id_)),
                 ratio_text, target, result)

    def header(self) -> None:
        self.add("| measurement | mean ± σ, or value | runs | peak RSS | ratio | target | result |")
        self.add("|---|---|---|---|---|---|---|")

    # --- sections --------------------------------------------------------------------------

    def machine(self) -> None:
        m = self.res.meta
        mem = integer(m.get("mem_kb"))
        dirty = integer(m.get("git_dirty")) or 0
        commit = m.get("git_commit", "unknown") + (
            f" with {dirty} uncommitted changed file{'s' if dirty != 1 else ''}" if dirty else "")
        tools = [m[k] for k in ("sqlite", "sqlite_cli", "recoll", "rg") if m.get(k)]
        spacy = self.res.json_out("spacy_ner")
        if spacy:
            tools.append(f"spaCy {spacy.get('spacy', '')} with {spacy.get('model', '')}")
        tools.append(f"Python {m.get('python', '')}")
        cpu = m.get("cpu", "unknown")
        virt = m.get("virt", "")
        self.add("## Machine")
        self.add()
        self.add("| | |")
        self.add("|---|---|")
        self.add(f"| CPU | {cpu}, {m.get('nproc', '?')} cores" + (f" ({virt})" if virt and virt != "none" else "") + " |")
        self.add(f"| RAM | {mem / MB:.1f} GiB |" if mem else "| RAM | unknown |")
        self.add(f"| OS | {m.get('os', 'unknown')} |")
        self.add(f"| date | {m.get('date', '')} |")
        self.add(f"| load average (1, 5, 15 min) | {m.get('load_start', '?')} at the start, {m.get('load_end', '?')} at the end |")
        self.add(f"| lede | {m.get('lede_version', '')}, commit {commit}, `{self.res.shown(m.get('lede', ''))}` |")
        self.add(f"| timer | {m.get('timer', '')}; {m.get('runs_slow', '?')} runs of each indexing command, "
                 f"{m.get('runs_fast', '?')} of each query and add"
                 + (", after one warm-up run" if m.get("mode") != "smoke" else "")
                 + ("; one run of each scaled corpus's full index" if m.get("scale_sizes") else "") + " |")
        self.add(f"| other tools | {'; '.join(tools)} |")
        self.add(f"| work folder (`$WORK` below) | `{m.get('work', '')}` |")
        self.add()
        self.add("Times are of whole processes (start-up included), measured on the same files. The "
                 "machine is shared, so the ratios, taken between runs made minutes apart, are "
                 "steadier than the times. Peak RSS is `Maximum resident set size` from "
                 "`/usr/bin/time -v` over one more run; MB here are 1,048,576 bytes.")
        self.add()

    def corpus(self) -> None:
        m = self.res.meta
        res = self.res
        smoke = m.get("mode") == "smoke"
        files = integer(m.get("corpus_files"))
        corpus_bytes = integer(m.get("corpus_bytes"))
        summary = res.json_out("lede_index") or {}
        self.add("## Smoke corpus" if smoke else "## BBC corpus")
        self.add()
        facts = f"{m.get('corpus_label', '')}; {count(files)} files, {size(corpus_bytes)} (`du -sb`)."
        if summary:
            facts += (f" lede indexed {count(summary.get('articles'))} articles "
                      f"({count(summary.get('duplicates', 0))} duplicate files), "
                      f"{count(summary.get('passages'))} passages, {count(summary.get('entities'))} entities.")
        self.add(facts)
        self.add()
        self.header()

        lede_index = res.mean("lede_index")
        fts5_index = res.mean("fts5_index")
        r = ratio(lede_index, fts5_index)
        self.timed_row("lede index (empty index)", "lede_index",
                       f"{r:.2f}× FTS5 index" if r else "", f"≤ {INDEX_VS_FTS5:g}× FTS5 index",
                       verdict(r, INDEX_VS_FTS5))
        self.timed_row("lede index, 1 thread (`-j 1`)", "lede_index_j1")
        r = ratio(res.mean("lede_index_j1"), res.mean("lede_index_j2"))
        self.timed_row("lede index, 2 threads (`-j 2`)", "lede_index_j2",
                       f"speedup from 1 to 2 threads: {r:.2f}×" if r else "")
        self.timed_row("SQLite FTS5 index (Python, one transaction)", "fts5_index", "baseline")
        r = ratio(lede_index, res.mean("recoll_index"))
        self.timed_row("Recoll index (recollindex)", "recoll_index",
                       f"lede index = {r:.2f}× this" if r else "")
        r = ratio(res.mean("lede_reindex"), lede_index)
        self.timed_row("lede index, unchanged folder", "lede_reindex",
                       f"{r:.3f}× lede index" if r else "")
        self.timed_row("lede entities (20 most mentioned)", "lede_entities", "",
                       f"≤ {ENTITIES_S * 1000:g} ms", verdict(res.mean("lede_entities"), ENTITIES_S))

        ratios = []
        i = 1
        while res.text(f"query_{i}", "text") is not None:
            query = res.text(f"query_{i}", "text")
            shown = query.replace("|", "\\|")
            lede_q = res.mean(f"lede_search_{i}")
            fts_q = res.mean(f"fts5_query_{i}")
            r = ratio(lede_q, fts_q)
            if r:
                ratios.append(r)
            self.timed_row(f"lede search `{shown}`", f"lede_search_{i}",
                           f"{r:.2f}× FTS5 query" if r else "", f"≤ {SEARCH_VS_FTS5:g}× FTS5 query",
                           verdict(r, SEARCH_VS_FTS5))
            how = "sqlite3 shell" if (res.text(f"fts5_query_{i}", "cmd") or "").startswith("sqlite3") else "Python"
            self.timed_row(f"FTS5 query `{shown}` ({how}: bm25, snippet, 10 rows)", f"fts5_query_{i}",
                           "baseline")
            r = ratio(lede_q, res.mean(f"recoll_query_{i}"))
            self.timed_row(f"recollq `{shown}` (10 results, abstracts)", f"recoll_query_{i}",
                           f"lede search = {r:.2f}× this" if r else "")
            i += 1
        if ratios:
            geo = math.exp(sum(math.log(x) for x in ratios) / len(ratios))
            result = verdict(geo, SEARCH_VS_FTS5)
            self.verdicts.append((f"lede search, all {len(ratios)} queries", result.replace("*", "")))
            self.add(f"| lede search, all {len(ratios)} queries | | | | {geo:.2f}× FTS5 query "
                     f"(geometric mean) | ≤ {SEARCH_VS_FTS5:g}× FTS5 query | {result} |")
        first = res.text("query_1", "text") or ""
        r = ratio(res.mean("lede_search_1"), res.mean("rg_scan"))
        self.timed_row(f"`rg -c {first}` over the folder", "rg_scan",
                       f"lede search `{first}` = {r:.2f}× this" if r else "")
        self.timed_row("lede add, one article", "lede_add")

        spacy = res.json_out("spacy_ner")
        if spacy:
            value = f"{spacy['tokens_per_s']:,.0f} tokens/s ({spacy['words_per_s']:,.0f} words/s)"
            lede_wps = spacy["words"] / lede_index if lede_index and spacy.get("docs") else None
            note = ""
            if lede_wps and spacy["docs"] >= (files or 0) - 5:  # all the corpus, not a sample
                note = (f"lede index ≈ {lede_wps:,.0f} words/s = "
                        f"{lede_wps / spacy['words_per_s']:.1f}× this")
            self.row(f"spaCy NER alone, {spacy['docs']:,} files ({spacy['tokens']:,} tokens)", "spacy_ner",
                     value + f"; {spacy['seconds']:.1f} s + {spacy['load_seconds']:.1f} s loading",
                     "1", megabytes(res.peak_kb("spacy_ner")), note)
        else:
            self.row("spaCy NER alone", "spacy_ner", "–", "", "")

        for label, key in (("lede index on disk", "index_bytes"),
                                ("FTS5 database on disk", "fts5_bytes"),
                                ("Recoll index on disk", "recoll_bytes")):
            n = integer(m.get(key))
            if n is None:
                continue
            r = ratio(n, corpus_bytes)
            self.add(f"| {label} | {size(n)} | | | {r:.2f}× corpus |  |  |" if r else
                     f"| {label} | {size(n)} | | | | | |")
        self.add()
        self.add("What each does: `lede index` reads every file, parses it, splits passages, tags "
                 "people, organizations and places and writes a tantivy index; by default with one "
                 "thread reading and analysing files per core, set with `-j` in the 1- and 2-thread "
                 "rows (the speedup is the 1-thread time ÷ the 2-thread time). The FTS5 baseline "
                 "(`scripts/fts5_bench.py`) reads the same files (same extensions) and stores each "
                 "paragraph as a row of an FTS5 table with the `porter unicode61` tokenizer, with no "
                 "parsing or entities; its query runs in the `sqlite3` shell (in Python when the shell lacks FTS5): an OR of the query's "
                 "words (phrases kept), ranked by `bm25()`, with `snippet()`, 10 rows. Recoll indexes "
                 "whole files with Xapian (English stemming, no aspell dictionary) and `recollq` "
                 "prints 10 results with abstracts. `rg -c` counts matching lines without an index. "
                 "The spaCy figure is named-entity recognition alone (`tok2vec` and `ner`, one "
                 "process, `nlp.pipe`), without reading files or indexing, to compare with the "
                 "whole of `lede index`.")
        self.add()

    def scale_sizes(self) -> list[int]:
        sizes = [integer(x) for x in self.res.meta.get("scale_sizes", "").split()]
        return sorted({n for n in sizes if n})

    def scale_figures(self, n: int) -> dict:
        """The figures of the N-article corpus, None where there is none."""
        res, m = self.res, self.res.meta
        id_ = f"scale_{n}"
        failed = (res.root / f"{id_}_index.fail").exists()
        wall = None if failed else res.wall(f"{id_}_index")
        articles = (res.json_out(f"{id_}_index") or {}).get("articles")
        lat = res.json_out(f"{id_}_latency") or {}
        corpus_bytes = integer(m.get(f"{id_}_corpus_bytes"))
        index_bytes = integer(m.get(f"{id_}_index_bytes")) if wall is not None else None
        return {
            "wall": wall,
            "articles": articles if isinstance(articles, int) else None,
            "rate": articles / wall if wall and isinstance(articles, int) else None,
            "peak_kb": res.peak_kb(f"{id_}_index") if wall is not None else None,
            "corpus_bytes": corpus_bytes,
            "index_bytes": index_bytes,
            "size_ratio": ratio(index_bytes, corpus_bytes),
            "reindex": res.mean(f"{id_}_reindex"),
            "add": res.mean(f"{id_}_add"),
            "latency": lat if "p50_ms" in lat and "p99_ms" in lat else None,
        }

    def scaled(self, n: int) -> None:
        res, m = self.res, self.res.meta
        id_ = f"scale_{n}"
        smoke = m.get("mode") == "smoke"
        made = m.get(f"{id_}_made", "")
        files = integer(m.get(f"{id_}_corpus_files"))
        f = self.scale_figures(n)
        if made == "smoke":
            made = "the smoke corpus again"
        elif made:
            made = f"`{res.shown(made)}` " + ("(the smoke sources' paragraphs recombined)" if smoke
                                   else "(BBC and Reuters-21578 paragraphs recombined)")
        self.section = f"scaled corpus, {n:,} articles: "
        self.add(f"## Scaled corpus: {n:,} articles")
        self.add()
        if smoke:
            note = (" The targets are for the 200,000-article corpus; on the smoke corpus they only "
                    "show that the report works.")
        else:
            note = " The targets were set for 200,000 articles; they are checked at every size."
        self.add(f"Corpus: {made}; {count(files)} files, {size(f['corpus_bytes'])} (`du -sb`)." + note)
        self.add()
        self.header()

        value = seconds(f["wall"]) if f["wall"] is not None else "–"
        peak_mb = f["peak_kb"] / 1024 if f["peak_kb"] is not None else None
        self.row("lede index (empty index), one run", f"{id_}_index", value, "1" if value != "–" else "",
                 megabytes(f["peak_kb"]), "", f"peak RSS ≤ {SCALE_PEAK_MB} MB",
                 verdict(peak_mb, SCALE_PEAK_MB) if value != "–" else "–")
        if value != "–":
            rate = (f"{f['rate']:,.0f} articles/s" if f["rate"] else
                    "? (no article count in lede's --json summary)")
            detail = f" ({count(f['articles'])} articles in {seconds(f['wall'])})" if f["rate"] else ""
            self.add(f"| indexing throughput | {rate}{detail} | | | | | |")
        r = f["size_ratio"]
        self.add(f"| index size on disk | {size(f['index_bytes'])} (corpus {size(f['corpus_bytes'])}) | | | "
                 f"{f'{r:.2f}× corpus' if r else ''} | ≤ {SCALE_SIZE_RATIO:g}× corpus | {verdict(r, SCALE_SIZE_RATIO)} |")
        if r is not None:
            self.verdicts.append((self.section + "index size", verdict(r, SCALE_SIZE_RATIO).replace("*", "")))
        self.timed_row("lede index, unchanged folder", f"{id_}_reindex", "", f"≤ {SCALE_REINDEX_S:g} s",
                       verdict(f["reindex"], SCALE_REINDEX_S))
        self.timed_row("lede add, one article", f"{id_}_add", "", f"≤ {SCALE_ADD_S * 1000:g} ms",
                       verdict(f["add"], SCALE_ADD_S))
        self.timed_row("lede entities (20 most mentioned)", f"{id_}_entities", "",
                       f"≤ {SCALE_ENTITIES_S:g} s", verdict(res.mean(f"{id_}_entities"), SCALE_ENTITIES_S))
        lat = f["latency"]
        if lat:
            queries = lat.get("queries", "?")
            rounds = lat.get("rounds")
            peak = megabytes(res.peak_kb(f"{id_}_latency"))
            self.command("query latency (in-process)", f"{id_}_latency")
            p50, p99 = float(lat["p50_ms"]), float(lat["p99_ms"])
            how = f"{queries} queries in-process" + (f", {rounds} rounds" if rounds else "")
            self.add(f"| query latency p50, {how} | {p50:.2f} ms | {queries} | {peak} | | "
                     f"≤ {SCALE_P50_MS:g} ms | {verdict(p50, SCALE_P50_MS)} |")
            if "p90_ms" in lat:
                self.add(f"| query latency p90 | {float(lat['p90_ms']):.2f} ms | | | | | |")
            self.add(f"| query latency p99 | {p99:.2f} ms | | | | ≤ {SCALE_P99_MS:g} ms | {verdict(p99, SCALE_P99_MS)} |")
            if "mean_ms" in lat:
                self.add(f"| query latency mean | {float(lat['mean_ms']):.2f} ms | | | | | |")
            self.verdicts += [(self.section + "query latency p50", verdict(p50, SCALE_P50_MS).replace("*", "")),
                              (self.section + "query latency p99", verdict(p99, SCALE_P99_MS).replace("*", ""))]
        else:
            self.row("query latency (p50, p90, p99)", f"{id_}_latency", "–", "", "", "",
                     f"p50 ≤ {SCALE_P50_MS:g} ms, p99 ≤ {SCALE_P99_MS:g} ms")
        self.add()
        self.add("The index time is one run (a fresh index), its wall-clock time; articles/s is the "
                 "`articles` of lede's `--json` summary ÷ that time, start-up included. The queries "
                 f"(`scripts/make_queries.py --seed {m.get('seed', '1')} --count 200 --from CORPUS`, "
                 f"in `{res.shown(m.get(f'{id_}_queries', '$WORK/queries-N-sSEED.txt'))}`) are single "
                 "words, quoted two-word phrases and `person:`/`place:`/`org:` filters drawn from the "
                 "corpus's first 3,000 files; query latency is measured inside one process by the "
                 "`query_latency` example over an index opened once.")
        self.add()

    def scaling(self, sizes: list[int]) -> None:
        """The sizes side by side, and the throughput at the largest against the smallest."""
        if len(sizes) < 2:
            return
        figures = {n: self.scale_figures(n) for n in sizes}
        self.section = ""
        self.add("## Scaling: " + ", ".join(f"{n:,}" for n in sizes) + " articles")
        self.add()
        self.add("| articles | index time | articles/s | peak RSS | index on disk | unchanged re-index "
                 "| lede add | p50 | p90 | p99 |")
        self.add("|---|---|---|---|---|---|---|---|---|---|")
        for n in sizes:
            f = figures[n]
            lat = f["latency"] or {}

            def ms(key: str, lat: dict = lat) -> str:
                return f"{float(lat[key]):.2f} ms" if key in lat else "–"

            on_disk = size(f["index_bytes"]) + (f" ({f['size_ratio']:.2f}× corpus)" if f["size_ratio"] else "")
            rate = f"{f['rate']:,.0f}" if f["rate"] else "–"
            self.add(f"| {n:,} | {seconds(f['wall'])} | {rate} | {megabytes(f['peak_kb'])} | {on_disk} | "
                     f"{seconds(f['reindex'])} | {seconds(f['add'])} | "
                     f"{ms('p50_ms')} | {ms('p90_ms')} | {ms('p99_ms')} |")
        self.add()
        small, large = sizes[0], sizes[-1]
        rs, rl = figures[small]["rate"], figures[large]["rate"]
        r = ratio(rl, rs)
        label = "indexing throughput at the largest size vs the smallest"
        result = verdict_at_least(r, SCALE_THROUGHPUT_RATIO)
        self.header()
        if r is not None:
            self.add(f"| {label} | {rl:,.0f} vs {rs:,.0f} articles/s ({large:,} vs {small:,} articles) | | | "
                     f"{r:.2f}× | within 20% (≥ {SCALE_THROUGHPUT_RATIO:g}×) | {result} |")
            self.verdicts.append((label, result.replace("*", "")))
        else:
            missing = [f"{n:,}" for n in (small, large) if figures[n]["rate"] is None]
            why = f"no articles/s at {' and '.join(missing)} articles"
            self.missing.append((label, why))
            self.add(f"| {label} | {why} | | | | within 20% (≥ {SCALE_THROUGHPUT_RATIO:g}×) | – |")
        self.add()
        self.add("Generated corpora with the same seed share their first articles (a larger one "
                 "begins with the smaller one), and from 3,000 articles up they get the same queries.")
        self.add()

    def write(self, out: Path, notes: Path | None) -> None:
        m = self.res.meta
        smoke = m.get("mode") == "smoke"
        body_start = len(self.lines)
        self.machine()
        self.corpus()
        sizes = self.scale_sizes()
        for n in sizes:
            self.scaled(n)
        self.scaling(sizes)
        body = self.lines[body_start:]
        self.lines = self.lines[:body_start]

        self.add("<!-- Generated by scripts/bench.sh (scripts/bench_report.py). Do not edit by hand: "
                 "change the scripts or docs/benchmarks-notes.md and run scripts/bench.sh again. -->")
        self.add()
        self.add("# Benchmarks" + (" (smoke run)" if smoke else ""))
        self.add()
        self.add("This file is generated by `scripts/bench.sh` and must not be edited by hand. "
                 "Run `scripts/bench.sh` (BBC corpus) or `scripts/bench.sh --scale 20000,200000` "
                 "(plus generated corpora of 20,000 and 200,000 articles) to regenerate it.")
        self.add()
        passed = sum(1 for _, v in self.verdicts if v == "PASS")
        if self.verdicts:
            self.add(f"Targets met: {passed} of {len(self.verdicts)}.")
            self.add()
        self.lines += body
        if self.commands:
            self.add("## Commands")
            self.add()
            for label, text in self.commands:
                self.add(f"- {label}: {text}")
            recoll_conf = self.res.text("recoll", "conf")
            if recoll_conf:
                self.add()
                self.add("Recoll's configuration (`recoll.conf` in its own `RECOLL_CONFDIR`):")
                self.add()
                self.add("```")
                self.add(recoll_conf)
                self.add("```")
            self.add()
        if self.missing:
            self.add("## Not measured")
            self.add()
            for label, why in self.missing:
                self.add(f"- {label}: {why}")
            self.add()
        if notes and notes.exists():
            text = notes.read_text(encoding="utf-8").strip()
            text = re.sub(r"^#\s.*\n+", "", text)  # the notes file's own title
            self.add("## Other measurements")
            self.add()
            self.add("Not measured by `scripts/bench.sh`; kept from earlier hand-made runs "
                     "(`docs/benchmarks-notes.md`).")
            self.add()
            self.add(text)
            self.add()
        out.write_text("\n".join(self.lines).rstrip() + "\n", encoding="utf-8")
        for label, v in self.verdicts:
            print(f"  {v:4} {label}")


# --- helpers used by bench.sh ----------------------------------------------------------------

def fallback_json(command: str) -> None:
    times = []
    for line in sys.stdin:
        parts = line.split()
        if len(parts) == 2:
            times.append(float(parts[1]) - float(parts[0]))
    result = {
        "command": command,
        "mean": statistics.fmean(times) if times else None,
        "stddev": statistics.stdev(times) if len(times) > 1 else None,
        "median": statistics.median(times) if times else None,
        "min": min(times) if times else None,
        "max": max(times) if times else None,
        "times": times,
        "timer": "bash date +%s.%N",
    }
    print(json.dumps({"results": [result]}, indent=2))


def summary(path: Path, id_: str) -> None:
    try:
        t = json.loads(path.read_text())["results"][0]
    except (OSError, ValueError, KeyError, IndexError):
        print(f"  {id_}: no timing")
        return
    print(f"  {id_}: {mean_sd(t)} (runs: {len(t.get('times', []))})")


def main() -> None:
    if len(sys.argv) == 3 and sys.argv[1] == "--fallback-json":
        fallback_json(sys.argv[2])
        return
    if len(sys.argv) == 4 and sys.argv[1] == "--summary":
        summary(Path(sys.argv[2]), sys.argv[3])
        return
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("results", type=Path)
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--notes", type=Path)
    args = ap.parse_args()
    if not (args.results / "meta.env").exists():
        sys.exit(f"bench_report: no meta.env in {args.results}")
    Report(Results(args.results)).write(args.out, args.notes)


if __name__ == "__main__":
    main()
