#!/usr/bin/env python3
"""Generates a scaled, reproducible corpus of news articles for benchmarks.

Usage:
    python3 scripts/make_corpus.py --count 200000 --seed 1 --out DIR [--data DATA_DIR]
    python3 scripts/make_corpus.py --count 300 --seed 1 --out DIR --from tests/relevance/articles --from corpus

The paragraphs of real articles are recombined into new ones. The pool comes
from the BBC corpus (DATA_DIR/bbc, every .txt file) and the Reuters-21578 stories
(DATA_DIR/reuters21578, parsed by scripts/reuters_to_jsonl.py, paragraphs as it
splits them), or, with --from DIR (repeatable), from every .txt file below DIR,
read the way lede reads a plain-text article (optional source and date lines,
the title, then paragraphs).

Each generated article takes the title of one source article, that article's
first paragraph, and 2 to 7 more paragraphs drawn from the whole pool by a
random.Random seeded with --seed; no two generated articles have the same set
of paragraphs. Its source line is the source of the article its title came from
("BBC News", "Reuters", or the source line of a --from article), and its date an
ISO date between 2019-01-01 and 2024-12-31. Files are written in lede's .txt
shape (source, blank, date, blank, title, blank, paragraphs separated by blank
lines) as DIR/00000/000000.txt, DIR/00000/000001.txt, ..., at most 1,000 files a
folder.

The same --seed, --count and inputs give byte-identical output: inputs are read
in sorted order and nothing depends on hash or filesystem order.

DATA_DIR defaults to ../shared/data beside the repository. Standard library only.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import re
import shutil
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.dont_write_bytecode = True  # no __pycache__ in the scripts folder
sys.path.insert(0, str(Path(__file__).resolve().parent))

import reuters_to_jsonl  # noqa: E402  (the Reuters parser; reused, not copied)

PER_FOLDER = 1000
FIRST_DAY = dt.date(2019, 1, 1)
LAST_DAY = dt.date(2024, 12, 31)
MIN_WORDS = 6  # shorter lines (headings, table rows) are left out of the pool
SOURCE_MAX_WORDS = 8
TITLE_MAX_WORDS = 30

MONTHS = (
    "jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec|january|february|march|april|june|"
    "july|august|september|october|november|december"
)
DATE_LIKE = [
    re.compile(r"^\d{4}-\d{2}-\d{2}([ T]\d{2}:\d{2}(:\d{2})?\S*)?$"),
    re.compile(rf"^(\w+,?\s+)?\d{{1,2}}(st|nd|rd|th)?\s+({MONTHS})\.?,?\s+\d{{4}}\b.*$", re.I),
    re.compile(rf"^(\w+,?\s+)?({MONTHS})\.?\s+\d{{1,2}}(st|nd|rd|th)?,?\s+\d{{4}}\b.*$", re.I),
    re.compile(r"^\d{1,2}[/.]\d{1,2}[/.]\d{2,4}\b.*$"),
    re.compile(r"^(today|yesterday)\b.*$", re.I),
    re.compile(r"^\d+\s+(minutes?|hours?|days?|weeks?)\s+ago$", re.I),
]


def is_date(line: str) -> bool:
    return len(line) <= 60 and any(p.match(line) for p in DATE_LIKE)


class Source:
    """One source article: where its title came from, its title and paragraphs."""

    __slots__ = ("source", "title", "paragraphs")

    def __init__(self, source: str, title: str, paragraphs: list[str]):
        self.source = source
        self.title = title
        self.paragraphs = paragraphs


def one_line(text: str) -> str:
    return " ".join(text.split())


def usable(paragraph: str) -> bool:
    return len(paragraph.split()) >= MIN_WORDS


def read_txt(text: str, default_source: str) -> Source | None:
    """Reads a plain-text article: [source, date,] title, paragraphs."""
    blocks: list[list[str]] = []
    current: list[str] = []
    for line in text.splitlines():
        line = line.strip()
        if line:
            current.append(line)
        elif current:
            blocks.append(current)
            current = []
    if current:
        blocks.append(current)
    lines = [line for block in blocks for line in block]
    if not lines:
        return None
    source, skip = default_source, 0
    if is_date(lines[0]):
        skip = 1
    elif len(lines) > 2 and is_date(lines[1]) and len(lines[0].split()) <= SOURCE_MAX_WORDS:
        source, skip = lines[0], 2
    title = one_line(lines[skip]) if skip < len(lines) else ""
    if not title or len(title.split()) > TITLE_MAX_WORDS:
        return None
    body = [one_line(line) for line in lines[skip + 1 :]]
    paragraphs = [p for p in body if usable(p)]
    if not paragraphs:
        return None
    return Source(source, title, paragraphs)


def text_files(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*") if p.is_file() and p.suffix.lower() == ".txt")


def from_folder(root: Path) -> list[Source]:
    sources = []
    for path in text_files(root):
        if path.name.upper() == "README.TXT":
            continue
        article = read_txt(path.read_text(encoding="utf-8", errors="replace"), "Newswire")
        if article:
            sources.append(article)
    return sources


def from_bbc(bbc: Path) -> list[Source]:
    sources = []
    for path in text_files(bbc):
        if path.parent == bbc:  # README.TXT and other documentation files
            continue
        article = read_txt(path.read_text(encoding="utf-8", errors="replace"), "BBC News")
        if article:
            article.source = "BBC News"
            sources.append(article)
    return sources


def from_reuters(folder: Path) -> list[Source]:
    """Reuters stories, as scripts/reuters_to_jsonl.py converts them."""
    sources = []
    with tempfile.TemporaryDirectory(prefix="lede-reuters-") as tmp:
        for sgm in sorted(folder.glob("reut2-*.sgm")):
            out = Path(tmp) / (sgm.stem + ".jsonl")
            reuters_to_jsonl.convert(sgm, out)
            with out.open(encoding="utf-8") as f:
                for line in f:
                    story = json.loads(line)
                    title = one_line(story.get("title", ""))
                    paragraphs = [
                        one_line(p) for p in story.get("text", "").split("\n\n") if usable(p)
                    ]
                    if title and paragraphs and len(title.split()) <= TITLE_MAX_WORDS:
                        sources.append(Source("Reuters", title, paragraphs))
    return sources


def pool_of(sources: list[Source]) -> tuple[list[str], list[int]]:
    """The distinct paragraphs in first-seen order, and each source's first paragraph's index."""
    index: dict[str, int] = {}
    pool: list[str] = []
    leads: list[int] = []
    for article in sources:
        for paragraph in article.paragraphs:
            if paragraph not in index:
                index[paragraph] = len(pool)
                pool.append(paragraph)
        leads.append(index[article.paragraphs[0]])
    return pool, leads


def generate(sources: list[Source], count: int, seed: int, out: Path) -> tuple[int, int]:
    pool, leads = pool_of(sources)
    if len(pool) < 8:
        sys.exit(f"make_corpus: only {len(pool)} paragraphs to draw from; need at least 8")
    rng = random.Random(seed)
    days = (LAST_DAY - FIRST_DAY).days + 1
    width = max(6, len(str(count - 1)))
    seen: set[tuple[int, ...]] = set()
    total_bytes = 0
    folder = None
    for n in range(count):
        if n % PER_FOLDER == 0:
            folder = out / f"{n // PER_FOLDER:05d}"
            folder.mkdir(parents=True, exist_ok=True)
        for attempt in range(1000):
            which = rng.randrange(len(sources))
            lead = leads[which]
            extra = rng.randint(2, 7)
            drawn = [lead]
            taken = {lead}
            while len(drawn) < extra + 1:
                i = rng.randrange(len(pool))
                if i not in taken:
                    taken.add(i)
                    drawn.append(i)
            key = tuple(sorted(drawn))
            if key not in seen:
                seen.add(key)
                break
        else:
            sys.exit(f"make_corpus: could not draw a new paragraph set for article {n}")
        article = sources[which]
        day = FIRST_DAY + dt.timedelta(days=rng.randrange(days))
        text = "\n\n".join(
            [article.source, day.isoformat(), article.title] + [pool[i] for i in drawn]
        ) + "\n"
        data = text.encode("utf-8")
        with open(folder / f"{n:0{width}d}.txt", "wb") as f:
            f.write(data)
        total_bytes += len(data)
    return count, total_bytes


def prepare_out(out: Path, force: bool) -> None:
    if out.exists() and any(out.iterdir()):
        ours = all(p.is_dir() and re.fullmatch(r"\d{5}", p.name) for p in out.iterdir())
        if not force:
            sys.exit(f"make_corpus: {out} is not empty (--force replaces a corpus made by this script)")
        if not ours:
            sys.exit(f"make_corpus: {out} holds files this script did not write; not removing it")
        shutil.rmtree(out)
    out.mkdir(parents=True, exist_ok=True)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--count", type=int, required=True, help="number of articles to write")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--out", type=Path, required=True, help="folder to write (empty or absent)")
    ap.add_argument("--data", type=Path, default=REPO.parent / "shared" / "data",
                    help="folder holding bbc/ and reuters21578/ (default: ../shared/data)")
    ap.add_argument("--from", dest="from_dirs", type=Path, action="append", default=[],
                    help="take paragraphs from the .txt files below this folder instead (repeatable)")
    ap.add_argument("--force", action="store_true", help="replace a corpus this script wrote before")
    args = ap.parse_args()
    if args.count < 1:
        sys.exit("make_corpus: --count must be at least 1")

    start = time.monotonic()
    sources: list[Source] = []
    if args.from_dirs:
        for folder in args.from_dirs:
            if not folder.is_dir():
                sys.exit(f"make_corpus: no folder {folder}")
            sources += from_folder(folder)
    else:
        bbc, reuters = args.data / "bbc", args.data / "reuters21578"
        for folder in (bbc, reuters):
            if not folder.is_dir():
                sys.exit(f"make_corpus: no folder {folder} (set --data)")
        sources = from_bbc(bbc) + from_reuters(reuters)
    if not sources:
        sys.exit("make_corpus: no articles found to draw from")

    prepare_out(args.out, args.force)
    files, total = generate(sources, args.count, args.seed, args.out)
    seconds = time.monotonic() - start
    print(f"{files} files, {total} bytes written to {args.out} "
          f"({len(sources)} source articles, {seconds:.1f} s)")


if __name__ == "__main__":
    main()
