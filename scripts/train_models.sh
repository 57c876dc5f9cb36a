#!/usr/bin/env bash
# Rebuilds the tagger models from the public data sets in ../shared/data:
#   models/ner-en.bin, models/ner-nl.bin, and the scoring models out/en-dev.bin and
#   out/nl-dev.bin (trained without CoNLL-2003 dev / CoNLL-2002 testa).
# Needs a release build of the tool (`cargo build --release --features train`) and the word-vector classes
# (`scripts/build_vec_clusters.py`, see models/README.md) at $VEC.
set -euo pipefail
cd "$(dirname "$0")/.."
D=${DATA:-../shared/data}
M=models
T=target/release/lede-tagger
VEC=${VEC:-out/vec-clusters-200k.tsv}
mkdir -p out
N=$M/names.tsv,$M/news-orgs.tsv,$M/census-names.tsv

# Documents of the sets that have no boundaries of their own.
python3 scripts/split_docs.py uner $D/uner_en_ewt/train_early_revision/train.conll \
    $D/uner_en_ewt/train_early_revision/train.sent_ids.txt > out/uner-train.conll
for s in train dev test; do
    python3 scripts/split_docs.py gum $D/gum/$s.conll $D/gum/documents.tsv $s > out/gum-$s.conll
done

# English: word clusters from news text, then the model scored on CoNLL dev and the shipped one.
$T clusters --bbc $D/bbc --reuters $D/reuters21578 --conll $D/conll2003/train.txt --out out/clusters-en.bin
EN="$D/conll2003/train.txt,out/uner-train.conll,$D/uner_en_ewt/en_ewt-ud-dev.iob2,out/gum-train.conll,$D/crossner/all.train.conll"
$T train --train "$EN" --clusters out/clusters-en.bin --vectors "$VEC" --places $M/places.tsv.gz \
    --names $N --ensemble 4 --out out/en-dev.bin
$T train --train "$EN,$D/conll2003/dev.txt" --clusters out/clusters-en.bin --vectors "$VEC" \
    --places $M/places.tsv.gz --names $N --ensemble 4 --out $M/ner-en.bin

# Dutch: clusters from CoNLL-2002 train and Europeana text; train only, then train + testa.
$T clusters --conll $D/conll2002_nl/ned.train,$D/europeana_nl/train.conll,$D/europeana_nl/dev.conll,$D/europeana_nl/test.conll \
    --out out/clusters-nl.bin
NL="$D/conll2002_nl/ned.train,$D/europeana_nl/train.conll"
$T train --train "$NL" --clusters out/clusters-nl.bin --vectors "$VEC" --places $M/places.tsv.gz \
    --names $N --ensemble 4 --min-count 2 --out out/nl-dev.bin
$T train --train "$NL,$D/conll2002_nl/ned.testa" --clusters out/clusters-nl.bin --vectors "$VEC" \
    --places $M/places.tsv.gz --names $N --ensemble 4 --min-count 2 --out $M/ner-nl.bin
