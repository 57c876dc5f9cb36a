#!/usr/bin/env python3
"""Build models/news-orgs.tsv: organisation names lede itself finds in news text.

Usage: python3 scripts/build_news_orgs.py [DATA_DIR] [--lede PATH] [--out PATH]
                                          [--min-articles N] [--share F]

DATA_DIR defaults to ../shared/data beside the repository; it must hold `bbc/`
and `reuters21578/`. The script indexes the BBC articles and the Reuters-21578
stories (converted by scripts/reuters_to_jsonl.py) with `lede index` (default
target/release/lede, so build first), lists the organisations, people and places
with `lede entities --json`, and keeps an organisation name when it is found in
at least --min-articles articles (default 2) and at least --share (default 0.7)
of the articles naming it (or its aliases) read it as an organisation. Names
without a capital letter are left out.

Output: one `org<TAB>name` line per name, most articles first, then by name, in
the format of models/names.tsv; `lede-tagger train --names` reads both. The
tagger model stores its own copy of the list, so the file is needed only to
train. The same binary and data give the same file.
"""
import argparse
import collections
import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def entities(lede, index, kind):
    out = subprocess.run(
        [str(lede), "entities", "--index", str(index), "--type", kind, "-n", "0", "--json"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return [json.loads(line) for line in out.splitlines() if line.strip()]


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("data", nargs="?", default=str(REPO.parent / "shared" / "data"))
    ap.add_argument("--lede", default=str(REPO / "target" / "release" / "lede"))
    ap.add_argument("--out", default=str(REPO / "models" / "news-orgs.tsv"))
    ap.add_argument("--min-articles", type=int, default=2)
    ap.add_argument("--share", type=float, default=0.7)
    args = ap.parse_args()
    data = Path(args.data)
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        corpus = tmp / "corpus"
        shutil.copytree(data / "bbc", corpus / "bbc")
        subprocess.run(
            [sys.executable, str(REPO / "scripts" / "reuters_to_jsonl.py"),
             str(data / "reuters21578"), str(corpus / "reuters")],
            check=True,
            stdout=subprocess.DEVNULL,
        )
        index = tmp / "index"
        subprocess.run(
            [args.lede, "index", str(corpus), "--index", str(index)],
            check=True,
            stdout=subprocess.DEVNULL,
        )
        found = {k: entities(args.lede, index, k) for k in ("organization", "person", "place")}
    # Articles per lowercased name (canonical or alias) and type.
    uses = collections.defaultdict(collections.Counter)
    for kind, items in found.items():
        for e in items:
            for name in [e["name"], *e.get("aliases", [])]:
                uses[name.lower()][kind] += e["articles"]
    kept = []
    for e in found["organization"]:
        name = e["name"]
        counts = uses[name.lower()]
        total = sum(counts.values())
        if (
            e["articles"] >= args.min_articles
            and counts["organization"] >= args.share * total
            and any(c.isupper() for c in name)
        ):
            kept.append((e["articles"], name))
    kept.sort(key=lambda x: (-x[0], x[1]))
    Path(args.out).write_text("".join(f"org\t{n}\n" for _, n in kept), encoding="utf-8")
    print(f"{len(found['organization'])} organisations found, {len(kept)} kept -> {args.out}")


if __name__ == "__main__":
    main()
