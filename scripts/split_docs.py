#!/usr/bin/env python3
"""Marks document boundaries in a token<TAB>tag file, for the tagger's document-level pass.

The labelled sets in ../shared/data that have no boundaries of their own:

  UNER English-EWT train: the UD sentence ids beside it name the document
      (the id without its trailing "-NNNN");
  GUM: documents.tsv lists each document's split and sentence count, in file order.

Writes the file with a "-DOCSTART- O" line before each document. The output is a
training input, not kept in the repository.

  python3 scripts/split_docs.py uner D/uner_en_ewt/train_early_revision/train.conll \
      D/uner_en_ewt/train_early_revision/train.sent_ids.txt > out/uner-train.conll
  python3 scripts/split_docs.py gum D/gum/train.conll D/gum/documents.tsv train > out/gum-train.conll
"""

import sys


def sentences(path):
    """Yields each sentence as its list of lines."""
    block = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n")
            if line.strip():
                block.append(line)
            elif block:
                yield block
                block = []
    if block:
        yield block


def write(doc_sizes, path):
    """Writes the sentences of `path` with a boundary before each document."""
    out = sys.stdout
    sents = list(sentences(path))
    if sum(doc_sizes) != len(sents):
        sys.exit(f"{path}: {len(sents)} sentences, but the documents add up to {sum(doc_sizes)}")
    i = 0
    for n in doc_sizes:
        out.write("-DOCSTART-\tO\n\n")
        for s in sents[i : i + n]:
            out.write("\n".join(s) + "\n\n")
        i += n


def uner_sizes(ids_path):
    sizes, last = [], None
    with open(ids_path, encoding="utf-8") as f:
        for line in f:
            doc = line.strip().rsplit("-", 1)[0]
            if doc != last:
                sizes.append(0)
                last = doc
            sizes[-1] += 1
    return sizes


def gum_sizes(tsv_path, split):
    sizes = []
    with open(tsv_path, encoding="utf-8") as f:
        header = f.readline().rstrip("\n").split("\t")
        col = {name: i for i, name in enumerate(header)}
        for line in f:
            row = line.rstrip("\n").split("\t")
            if row[col["split"]] == split:
                sizes.append(int(row[col["sentences"]]))
    return sizes


def main(argv):
    if len(argv) >= 3 and argv[0] == "uner":
        write(uner_sizes(argv[2]), argv[1])
    elif len(argv) >= 4 and argv[0] == "gum":
        write(gum_sizes(argv[2], argv[3]), argv[1])
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main(sys.argv[1:])
