#!/usr/bin/env python3
"""Converts Reuters-21578 (SGML, as distributed) to JSON Lines that `lede index` reads.

Usage: python3 scripts/reuters_to_jsonl.py [DATA_DIR] [OUT_DIR]

DATA_DIR defaults to ../shared/data/reuters21578 beside the repository and
OUT_DIR to /tmp/lede-reuters. Each reut2-NNN.sgm becomes reut2-NNN.jsonl with
one object a story: title, text (paragraphs separated by blank lines), date
(ISO 8601, UTC), source "Reuters" and id (the story's NEWID). Unprocessed
stories take their first line as the title. Standard library only.
"""

import html
import json
import re
import sys
from datetime import datetime
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
STORY = re.compile(r"<REUTERS(?P<attrs>[^>]*)>(?P<body>.*?)</REUTERS>", re.S)
NEWID = re.compile(r'NEWID="(\d+)"')
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def field(tag, text):
    m = re.search(rf"<{tag}>(.*?)</{tag}>", text, re.S)
    return html.unescape(m.group(1)) if m else ""


def clean(text):
    return CONTROL.sub("", text).strip()


def paragraphs(body):
    body = clean(body)
    body = re.sub(r"\s*Reuter\s*$", "", body)
    parts = re.split(r"\n\s{3,}", body)
    paras = [" ".join(p.split()) for p in parts]
    return "\n\n".join(p for p in paras if p)


def iso_date(text):
    text = clean(text)
    for fmt in ("%d-%b-%Y %H:%M:%S.%f", "%d-%b-%Y %H:%M:%S"):
        try:
            return datetime.strptime(text, fmt).strftime("%Y-%m-%dT%H:%M:%SZ")
        except ValueError:
            continue
    return None


def convert(sgm, out):
    raw = sgm.read_bytes().decode("latin-1")
    count = 0
    with out.open("w", encoding="utf-8") as f:
        for m in STORY.finditer(raw):
            story = m.group("body")
            title = " ".join(clean(field("TITLE", story)).split())
            text = paragraphs(field("BODY", story))
            if not title and not text:
                # Unprocessed stories keep their whole text in <TEXT>.
                unproc = re.search(r"<TEXT[^>]*>(.*?)</TEXT>", story, re.S)
                lines = clean(html.unescape(unproc.group(1))).splitlines() if unproc else []
                if lines:
                    title = " ".join(lines[0].split())
                    text = paragraphs("\n".join(lines[1:]))
            if not title and not text:
                continue
            obj = {"title": title, "text": text, "source": "Reuters"}
            date = iso_date(field("DATE", story))
            if date:
                obj["date"] = date
            newid = NEWID.search(m.group("attrs"))
            if newid:
                obj["id"] = newid.group(1)
            f.write(json.dumps(obj, ensure_ascii=False) + "\n")
            count += 1
    return count


def main():
    data = Path(sys.argv[1]) if len(sys.argv) > 1 else REPO.parent / "shared/data/reuters21578"
    out_dir = Path(sys.argv[2]) if len(sys.argv) > 2 else Path("/tmp/lede-reuters")
    out_dir.mkdir(parents=True, exist_ok=True)
    total = 0
    for sgm in sorted(data.glob("reut2-*.sgm")):
        total += convert(sgm, out_dir / (sgm.stem + ".jsonl"))
    print(f"{total} stories written to {out_dir}")


if __name__ == "__main__":
    main()
