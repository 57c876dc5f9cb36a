#!/usr/bin/env python3
"""SQLite FTS5 baseline for scripts/bench.sh: index a folder of articles, run a query.

Usage:
    python3 scripts/fts5_bench.py index DIR DB    # (re)build DB from the files below DIR
    python3 scripts/fts5_bench.py query DB QUERY  # the 10 best passages, bm25-ranked
    python3 scripts/fts5_bench.py sql QUERY       # the same query as SQL, for the sqlite3 shell
    python3 scripts/fts5_bench.py check           # exit 0 when sqlite3 has FTS5

`index` reads the same files `lede index DIR` reads (extensions .txt, .md,
.markdown, .html, .htm, .json, .jsonl, .ndjson in any case, below DIR, sorted),
itself, as UTF-8 text, and stores one row a paragraph (text split at blank lines,
like lede's passages): path, title (the first paragraph, after a source and date
line when the file starts with them) and text, in
an FTS5 table with tokenize='porter unicode61', in one transaction. No entity
extraction and no format parsing: it is the plain full-text baseline.

`query` runs QUERY as an FTS5 MATCH over title and text, ranked by bm25(),
and prints 10 rows: path, title and a snippet() of the passage. Words are
quoted, so punctuation cannot break the FTS5 syntax; a part in double quotes
stays a phrase. `sql` prints the same SELECT for the sqlite3 command-line shell
(`sqlite3 DB "$(python3 scripts/fts5_bench.py sql QUERY)"`), so the query can be
timed without a Python interpreter's start-up. Standard library only.
"""

from __future__ import annotations

import os
import re
import sqlite3
import sys
from pathlib import Path

sys.dont_write_bytecode = True  # no __pycache__ in the scripts folder
from make_corpus import is_date  # the date lines of lede's .txt header, as the generator reads them

EXTENSIONS = {".txt", ".md", ".markdown", ".html", ".htm", ".json", ".jsonl", ".ndjson"}
BLANK = re.compile(r"\n\s*\n")


def files(root: Path) -> list[Path]:
    found = []
    for folder, dirs, names in os.walk(root):
        dirs.sort()
        for name in sorted(names):
            if os.path.splitext(name)[1].lower() in EXTENSIONS:
                found.append(Path(folder) / name)
    return found


def header_lines(paragraphs: list[str]) -> int:
    """How many paragraphs come before the title: a source and a date line, or a date line."""
    if is_date(paragraphs[0]):
        return 1
    if len(paragraphs) > 2 and len(paragraphs[0].split()) <= 8 and is_date(paragraphs[1]):
        return 2
    return 0


def index(root: Path, db: Path) -> None:
    if db.exists():
        db.unlink()
    con = sqlite3.connect(db)
    con.execute(
        "CREATE VIRTUAL TABLE passages USING fts5(path UNINDEXED, title, text, "
        "tokenize='porter unicode61')"
    )
    rows = 0
    paths = files(root)
    with con:  # one transaction
        for path in paths:
            text = path.read_text(encoding="utf-8", errors="replace")
            paragraphs = [" ".join(p.split()) for p in BLANK.split(text)]
            paragraphs = [p for p in paragraphs if p]
            if not paragraphs:
                continue
            skip = header_lines(paragraphs)
            title = paragraphs[min(skip, len(paragraphs) - 1)]
            if len(paragraphs) > skip + 1:
                paragraphs = paragraphs[skip + 1 :]  # the title is a column, not a passage
            con.executemany(
                "INSERT INTO passages(path, title, text) VALUES (?, ?, ?)",
                ((str(path), title, p) for p in paragraphs),
            )
            rows += len(paragraphs)
    con.close()
    print(f"fts5: {len(paths)} files, {rows} passages indexed into {db}", file=sys.stderr)


def fts_query(query: str) -> str:
    """The query as FTS5 syntax: phrases kept, every other word quoted, ORed like lede."""
    parts = []
    for phrase, word in re.findall(r'"([^"]*)"|(\S+)', query):
        text = phrase if phrase else word
        tokens = re.findall(r"[^\W_]+", text)
        if tokens:
            parts.append('"' + " ".join(tokens) + '"')
    return " OR ".join(parts)


def sql(match: str) -> str:
    """The ranked query, with MATCH as a literal (for the sqlite3 command-line shell)."""
    literal = "'" + match.replace("'", "''") + "'"
    return (
        "SELECT path, title, snippet(passages, 2, '[', ']', '…', 24) FROM passages "
        f"WHERE passages MATCH {literal} ORDER BY bm25(passages) LIMIT 10;"
    )


def query(db: Path, text: str) -> None:
    con = sqlite3.connect(db)
    match = fts_query(text)
    if not match:
        return
    rows = con.execute(
        "SELECT path, title, snippet(passages, 2, '[', ']', '…', 24) FROM passages "
        "WHERE passages MATCH ? ORDER BY bm25(passages) LIMIT 10",
        (match,),
    )
    for rank, (path, title, snippet) in enumerate(rows, 1):
        print(f"{rank}. {title}\n   {path}\n   {snippet}\n")


def check() -> None:
    con = sqlite3.connect(":memory:")
    con.execute("CREATE VIRTUAL TABLE t USING fts5(x, tokenize='porter unicode61')")
    print(f"sqlite {sqlite3.sqlite_version} with FTS5")


def main() -> None:
    args = sys.argv[1:]
    try:
        if args[:1] == ["index"] and len(args) == 3:
            index(Path(args[1]), Path(args[2]))
        elif args[:1] == ["query"] and len(args) == 3:
            query(Path(args[1]), args[2])
        elif args[:1] == ["sql"] and len(args) == 2:
            print(sql(fts_query(args[1])))
        elif args == ["check"]:
            check()
        else:
            sys.exit(__doc__.split("\n\n")[1])
    except sqlite3.Error as err:
        sys.exit(f"fts5_bench: {err}")


if __name__ == "__main__":
    main()
