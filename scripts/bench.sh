#!/usr/bin/env bash
# Benchmarks lede against SQLite FTS5, Recoll, ripgrep and spaCy on the same files,
# as whole processes, and writes the Markdown report (docs/benchmarks.md by default).
#
# Usage:
#   scripts/bench.sh                 # the BBC corpus (../shared/data/bbc), target/release/lede,
#                                    # report to docs/benchmarks.md
#   scripts/bench.sh --scale 20000,200000
#                                    # the same, plus generated corpora of 20,000 and 200,000
#                                    # articles, and how indexing throughput holds up between them
#   scripts/bench.sh --smoke         # a 200-article corpus made from tests/relevance/articles
#                                    # and corpus/, target/debug/lede, 1-2 runs each; report
#                                    # to a temporary file
#
# Options:
#   --smoke          quick check of the harness itself (well under a minute)
#   --scale N[,N...] also generate (once per size, cached in the work folder) and measure
#                    corpora of N articles: index time (one run), articles indexed per second
#                    and peak memory, size on disk, unchanged re-index, `lede add`, and query
#                    latency with the query_latency example; with two sizes or more, the
#                    throughput at the largest size against the smallest. With --smoke the
#                    sizes are generated from the smoke sources (default: the smoke corpus
#                    itself, 200 articles)
#   --work DIR       work folder for indexes, cached corpora and raw results
#                    (default /tmp/lede-bench; a new temporary folder with --smoke)
#   --out FILE       where to write the report (default docs/benchmarks.md; with --smoke a
#                    file in the work folder)
#   --runs N         timed runs of each indexing command (default 5; queries get 4N)
#   --data DIR       the shared datasets (default ../shared/data beside the repository)
#   --seed N         seed of the generated corpus and queries (default 1)
#
# Environment:
#   LEDE             the lede binary (default target/release/lede; target/debug/lede with --smoke)
#   QUERY_LATENCY    the latency example (default: examples/query_latency beside $LEDE); it is run
#                    as `query_latency --index IX --queries FILE` (one query a line, lede's query
#                    syntax) and must print, as the last line of stdout, one JSON object such as
#                    {"queries":200,"p50_ms":0.9,"p99_ms":6.1,"mean_ms":1.4} (p50_ms and p99_ms
#                    required, in milliseconds, over an index opened once)
#   SPACY_PYTHON     Python interpreter that has spaCy (default python3); SPACY_MODEL the model
#   SPACY_LIMIT      read at most this many files for the spaCy measurement (default: all)
#   PYTHON           Python for the helper scripts (default: the python3 on PATH, resolved)
#   HYPERFINE        the hyperfine binary (default hyperfine; "none" forces the fallback timer)
#
# Nothing is built here. A comparison tool that is not installed is skipped with a
# message. Raw results (hyperfine JSON, `/usr/bin/time -v` output, commands) stay in
# WORK/results-MODE. Exit status: 0 when every measurement ran (targets missed are
# reported, not errors; missing tools are skipped), 1 when an installed command failed,
# 2 for a usage error or a missing lede binary.
set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
MODE=bbc
SCALE_ARG=""
WORK=""
OUT=""
RUNS=""
DATA="$REPO/../shared/data"
SEED=1

usage() { sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; }

while [ $# -gt 0 ]; do
  case "$1" in
    --smoke) MODE=smoke ;;
    --scale) SCALE_ARG=${2:?--scale needs a number of articles, or several separated by commas}; shift ;;
    --work) WORK=${2:?--work needs a folder}; shift ;;
    --out) OUT=${2:?--out needs a file}; shift ;;
    --runs) RUNS=${2:?--runs needs a number}; shift ;;
    --data) DATA=${2:?--data needs a folder}; shift ;;
    --seed) SEED=${2:?--seed needs a number}; shift ;;
    -h|--help) usage; exit 0 ;;
    *) echo "bench.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
  shift
done
# The sizes of the scaled corpora, smallest first, each once (a 0 in the list is left out).
SCALES=()
if [ -n "$SCALE_ARG" ]; then
  IFS=, read -r -a scale_list <<< "$SCALE_ARG"
  for n in "${scale_list[@]}"; do
    case "$n" in ''|*[!0-9]*) echo "bench.sh: --scale takes numbers of articles separated by commas (got '$SCALE_ARG')" >&2; exit 2 ;; esac
    n=$((10#$n))
    [ "$n" = 0 ] || SCALES+=("$n")
  done
  if [ ${#SCALES[@]} -gt 0 ]; then
    mapfile -t SCALES < <(printf '%s\n' "${SCALES[@]}" | sort -n -u)
  fi
fi
case "${RUNS:-1}" in ''|*[!0-9]*|0) echo "bench.sh: --runs takes a positive number" >&2; exit 2 ;; esac

abspath() { case "$1" in /*) printf '%s\n' "$1" ;; *) printf '%s\n' "$PWD/$1" ;; esac; }

# --- settings per mode -------------------------------------------------------------------
if [ "$MODE" = smoke ]; then
  LEDE=${LEDE:-$REPO/target/debug/lede}
  RUNS_SLOW=${RUNS:-1}
  RUNS_FAST=$((RUNS_SLOW * 2))
  WARMUP=0
  [ -n "$WORK" ] || WORK=$(mktemp -d /tmp/lede-bench-smoke.XXXXXX)
  [ -n "$OUT" ] || OUT="$WORK/benchmarks-smoke.md"
  SPACY_LIMIT=${SPACY_LIMIT:-20}
  SMOKE_COUNT=200
  # One small size by default: the smoke corpus itself, indexed once for both sections.
  [ -n "$SCALE_ARG" ] || SCALES=("$SMOKE_COUNT")
else
  LEDE=${LEDE:-$REPO/target/release/lede}
  RUNS_SLOW=${RUNS:-5}
  RUNS_FAST=$((RUNS_SLOW * 4))
  WARMUP=1
  WORK=${WORK:-/tmp/lede-bench}
  OUT=${OUT:-$REPO/docs/benchmarks.md}
  SPACY_LIMIT=${SPACY_LIMIT:-0}
fi
LEDE=$(abspath "$LEDE")
WORK=$(abspath "$WORK")
OUT=$(abspath "$OUT")
DATA=$(abspath "$DATA")
if [ ! -x "$LEDE" ]; then
  if [ "$MODE" = smoke ]; then build="cargo build"; else build="cargo build --release"; fi
  echo "bench.sh: no lede binary at $LEDE" >&2
  echo "bench.sh: build it first with \`$build\` (or point LEDE at a binary)" >&2
  exit 2
fi
QUERY_LATENCY=${QUERY_LATENCY:-$(dirname "$LEDE")/examples/query_latency}
SPACY_PYTHON=${SPACY_PYTHON:-python3}
HYPERFINE=${HYPERFINE:-hyperfine}
if [ -z "${PYTHON:-}" ]; then
  # The interpreter itself, not a version manager's shim, so its start-up is what is timed.
  PYTHON=$(python3 -c 'import sys; print(sys.executable)' 2>/dev/null) || {
    echo "bench.sh: python3 is needed for the helper scripts" >&2; exit 2; }
fi

RES="$WORK/results-$MODE"
mkdir -p "$WORK"
rm -rf "$RES"
mkdir -p "$RES"
META="$RES/meta.env"
: > "$META"

say() { printf '%s\n' "$*"; }
meta() { printf '%s=%s\n' "$1" "$2" >> "$META"; }
skip() { printf '%s\n' "$2" > "$RES/$1.skip"; say "  SKIPPED $1: $2"; }
fail() { printf '%s\n' "$2" > "$RES/$1.fail"; say "  FAILED $1: $2"; }
have() { command -v "$1" >/dev/null 2>&1; }
# q ARG...: the arguments as one shell command line, quoted only where needed.
q() {
  local out="" a sq="'\\''"
  for a in "$@"; do
    if [[ $a =~ ^[A-Za-z0-9_./:=+,@%-]+$ ]]; then out+="$a "; else out+="'${a//\'/$sq}' "; fi
  done
  printf '%s' "${out% }"
}

if [ "$HYPERFINE" != none ] && have "$HYPERFINE"; then USE_HYPERFINE=1; else USE_HYPERFINE=0; fi
HYPERFINE_N=0
if [ "$USE_HYPERFINE" = 1 ] && "$HYPERFINE" --help 2>/dev/null | grep -q -- '--shell'; then
  "$HYPERFINE" --help 2>/dev/null | grep -q -- '-N' && HYPERFINE_N=1
fi
if [ -x /usr/bin/time ]; then USE_TIME=1; else USE_TIME=0; fi

# measure ID RUNS PREPARE CMD [hyperfine options...]
# Times the shell command CMD (RUNS runs, PREPARE before each) into RES/ID.json, in
# hyperfine's export format; the fallback timer writes the same format.
measure() {
  local id=$1 runs=$2 prepare=$3 cmd=$4; shift 4
  printf '%s\n' "$cmd" > "$RES/$id.cmd"
  [ -z "$prepare" ] || printf '%s\n' "$prepare" > "$RES/$id.prepare"
  if [ "$USE_HYPERFINE" = 1 ]; then
    local args=(--style basic --runs "$runs" --export-json "$RES/$id.json")
    if [ "$HYPERFINE_N" = 1 ]; then
      # No intermediate shell: nothing to subtract from millisecond-long commands. The
      # prepare step still needs one, so it goes through a script.
      args+=(-N)
      if [ -n "$prepare" ]; then
        printf '%s\n' "$prepare" > "$RES/$id.prepare.sh"
        args+=(--prepare "bash $RES/$id.prepare.sh")
      fi
    elif [ -n "$prepare" ]; then
      args+=(--prepare "$prepare")
    fi
    [ "$WARMUP" = 0 ] || args+=(--warmup "$WARMUP")
    if ! "$HYPERFINE" "${args[@]}" "$@" "$cmd" > "$RES/$id.log" 2>&1; then
      fail "$id" "hyperfine failed; see $RES/$id.log"
      return 1
    fi
  else
    local i t0 t1 times=()
    : > "$RES/$id.log"
    if [ "$WARMUP" != 0 ]; then
      [ -z "$prepare" ] || (eval "$prepare") >> "$RES/$id.log" 2>&1 || true
      (eval "$cmd") >/dev/null 2>&1 || true
    fi
    for ((i = 0; i < runs; i++)); do
      [ -z "$prepare" ] || (eval "$prepare") >> "$RES/$id.log" 2>&1
      t0=$(date +%s.%N)
      if ! (eval "$cmd") >/dev/null 2>> "$RES/$id.log"; then
        case " $* " in *" -i "*) ;; *) fail "$id" "command failed; see $RES/$id.log"; return 1 ;; esac
      fi
      t1=$(date +%s.%N)
      times+=("$t0 $t1")
    done
    printf '%s\n' "${times[@]}" | "$PYTHON" "$REPO/scripts/bench_report.py" --fallback-json "$cmd" > "$RES/$id.json"
  fi
  "$PYTHON" "$REPO/scripts/bench_report.py" --summary "$RES/$id.json" "$id"
}

# peak ID CMD... : one run of the command (an argument list) under /usr/bin/time -v,
# stdout to RES/ID.out, stderr to RES/ID.err, the time report to RES/ID.time, and the
# wall-clock seconds of that run (by date +%s.%N around it) to RES/ID.wall.
peak() {
  local id=$1; shift
  [ -f "$RES/$id.cmd" ] || q "$@" > "$RES/$id.cmd"
  local status=0 t0 t1
  t0=$(date +%s.%N)
  if [ "$USE_TIME" = 1 ]; then
    /usr/bin/time -v -o "$RES/$id.time" "$@" > "$RES/$id.out" 2> "$RES/$id.err" || status=$?
  else
    "$@" > "$RES/$id.out" 2> "$RES/$id.err" || status=$?
  fi
  t1=$(date +%s.%N)
  awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f\n", b - a }' > "$RES/$id.wall"
  if [ "$status" != 0 ]; then
    fail "$id" "exit status $status; see $RES/$id.err"
    return 1
  fi
  if [ "$USE_TIME" = 1 ]; then
    say "  $id: peak RSS $(sed -n 's/.*Maximum resident set size (kbytes): //p' "$RES/$id.time") kB"
  fi
}

size_of() { du -sb "$1" 2>/dev/null | cut -f1; }

# --- the machine and the tools ---------------------------------------------------------
say "lede benchmarks ($MODE mode); raw results in $RES"
meta mode "$MODE"
meta date "$(date -u '+%Y-%m-%d %H:%M UTC')"
meta nproc "$(nproc)"
meta cpu "$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)"
meta mem_kb "$(sed -n 's/^MemTotal: *\([0-9]*\) kB/\1/p' /proc/meminfo)"
meta os "$( (. /etc/os-release 2>/dev/null && printf '%s' "${PRETTY_NAME:-Linux}") || uname -s), kernel $(uname -r)"
meta virt "$(systemd-detect-virt 2>/dev/null || true)"
meta load_start "$(cut -d' ' -f1-3 /proc/loadavg)"
meta lede "$LEDE"
meta lede_version "$("$LEDE" --version 2>&1 | head -1)"
meta git_commit "$(git -C "$REPO" rev-parse --short HEAD 2>/dev/null || echo unknown)"
meta git_dirty "$(git -C "$REPO" status --porcelain --untracked-files=no 2>/dev/null | grep -c . || true)"
meta repo "$REPO"
meta work "$WORK"
meta seed "$SEED"
meta runs_slow "$RUNS_SLOW"
meta runs_fast "$RUNS_FAST"
meta python "$PYTHON ($("$PYTHON" -c 'import platform; print(platform.python_version())'))"
if [ "$USE_HYPERFINE" = 1 ]; then
  meta timer "$("$HYPERFINE" --version | head -1)$([ "$HYPERFINE_N" = 1 ] && echo ' (-N, no intermediate shell)')"
else
  meta timer "bash loop with date +%s.%N (hyperfine not installed)"
  say "  hyperfine not found: timing with a bash loop instead (install: apt-get install hyperfine)"
fi
[ "$USE_TIME" = 1 ] || say "  /usr/bin/time not found: no peak memory figures (install: apt-get install time)"
if [ ${#SCALES[@]} -gt 0 ] && [ -x "$QUERY_LATENCY" ] && [ "$QUERY_LATENCY" -ot "$LEDE" ]; then
  # An example built before lede may not read the index lede writes now.
  say "  WARNING: $QUERY_LATENCY is older than $LEDE; if the index format changed in between it"
  say "  cannot open lede's indexes (rebuild it: cargo build --release --example query_latency)"
fi

# --- the corpus ----------------------------------------------------------------------------
if [ "$MODE" = smoke ]; then
  CORPUS="$WORK/smoke-corpus"
  "$PYTHON" "$REPO/scripts/make_corpus.py" --count "$SMOKE_COUNT" --seed "$SEED" --out "$CORPUS" --force \
    --from "$REPO/tests/relevance/articles" --from "$REPO/corpus" | sed 's/^/  /'
  CORPUS_LABEL="smoke corpus: $SMOKE_COUNT articles generated by make_corpus.py from tests/relevance/articles and corpus/"
else
  CORPUS="$DATA/bbc"
  if [ ! -d "$CORPUS" ]; then
    echo "bench.sh: no BBC corpus at $CORPUS (set --data)" >&2
    exit 2
  fi
  CORPUS_LABEL="BBC News corpus (../shared/data/bbc): 2,225 articles plus README.TXT and PROVENANCE.md"
fi
meta corpus "$CORPUS"
meta corpus_label "$CORPUS_LABEL"
meta corpus_files "$(find "$CORPUS" -type f | wc -l)"
meta corpus_bytes "$(size_of "$CORPUS")"

# --- lede index, re-index --------------------------------------------------------------------
IX="$WORK/ix-$MODE"
say "lede index"
rm -rf "$IX"
measure lede_index "$RUNS_SLOW" "rm -rf $(q "$IX")" "$(q "$LEDE" index "$CORPUS" --index "$IX" -q)" || true
rm -rf "$IX"
peak lede_index "$LEDE" index "$CORPUS" --index "$IX" --json || true
meta index_bytes "$(size_of "$IX")"
say "lede index, unchanged folder"
measure lede_reindex "$RUNS_SLOW" "" "$(q "$LEDE" index "$CORPUS" --index "$IX" -q)" || true
peak lede_reindex "$LEDE" index "$CORPUS" --index "$IX" --json || true
say "lede entities (the 20 most mentioned, whole index)"
measure lede_entities "$RUNS_FAST" "" "$(q "$LEDE" entities --index "$IX")" || true
peak lede_entities "$LEDE" entities --index "$IX" || true

# The same empty-index run with 1 and with 2 threads reading and analysing files (-j), into
# a separate index folder. The peak-memory runs are left out in smoke mode to keep it short.
for threads in 1 2; do
  say "lede index, $threads thread$([ "$threads" = 1 ] || echo s) (-j $threads)"
  rm -rf "$IX-threads"
  measure "lede_index_j$threads" "$RUNS_SLOW" "rm -rf $(q "$IX-threads")" \
    "$(q "$LEDE" index "$CORPUS" --index "$IX-threads" -q -j "$threads")" || continue
  if [ "$MODE" != smoke ]; then
    rm -rf "$IX-threads"
    peak "lede_index_j$threads" "$LEDE" index "$CORPUS" --index "$IX-threads" -q -j "$threads" || true
  fi
done
rm -rf "$IX-threads"

# --- SQLite FTS5 -----------------------------------------------------------------------------
FTS_DB="$WORK/fts5-$MODE.db"
FTS5=0
SQLITE_CLI=0
if "$PYTHON" "$REPO/scripts/fts5_bench.py" check > "$RES/fts5.version" 2>&1; then
  FTS5=1
  meta sqlite "$(cat "$RES/fts5.version")"
  if have sqlite3 && sqlite3 :memory: "CREATE VIRTUAL TABLE t USING fts5(x, tokenize='porter')" >/dev/null 2>&1; then
    SQLITE_CLI=1
    meta sqlite_cli "sqlite3 shell $(sqlite3 --version | cut -d' ' -f1)"
  fi
fi
say "SQLite FTS5 index"
if [ "$FTS5" = 1 ]; then
  measure fts5_index "$RUNS_SLOW" "rm -f $(q "$FTS_DB")" \
    "$(q "$PYTHON" "$REPO/scripts/fts5_bench.py" index "$CORPUS" "$FTS_DB")" || true
  rm -f "$FTS_DB"
  peak fts5_index "$PYTHON" "$REPO/scripts/fts5_bench.py" index "$CORPUS" "$FTS_DB" || true
  meta fts5_bytes "$(size_of "$FTS_DB")"
else
  skip fts5_index "Python's sqlite3 module has no FTS5 ($(head -1 "$RES/fts5.version"))"
fi

# --- Recoll ----------------------------------------------------------------------------------
RCONF="$WORK/recoll-$MODE"
RECOLL=0
say "Recoll index"
if have recollindex && have recollq; then
  RECOLL=1
  rm -rf "$RCONF"
  mkdir -p "$RCONF"
  cat > "$RCONF/recoll.conf" <<EOF
topdirs = $CORPUS
indexStemmingLanguages = english
noaspell = 1
loglevel = 1
EOF
  cp "$RCONF/recoll.conf" "$RES/recoll.conf"
  meta recoll "Recoll $(dpkg-query -W -f='${Version}' recoll 2>/dev/null || echo '(version unknown)')"
  measure recoll_index "$RUNS_SLOW" "rm -rf $(q "$RCONF/xapiandb")" "$(q recollindex -c "$RCONF")" || RECOLL=0
  rm -rf "$RCONF/xapiandb"
  peak recoll_index recollindex -c "$RCONF" || RECOLL=0
  meta recoll_bytes "$(size_of "$RCONF/xapiandb")"
else
  skip recoll_index "recollindex/recollq not installed (apt-get install recoll)"
fi

# --- searches --------------------------------------------------------------------------------
QUERIES=(election '"prime minister"' economy)
[ "$MODE" != smoke ] || QUERIES=(strike '"port of"' election)
meta queries "$(printf '%s|' "${QUERIES[@]}")"
i=0
for query in "${QUERIES[@]}"; do
  i=$((i + 1))
  printf '%s\n' "$query" > "$RES/query_$i.text"
  say "search $query"
  measure "lede_search_$i" "$RUNS_FAST" "" "$(q "$LEDE" search --index "$IX" "$query")" || true
  peak "lede_search_$i" "$LEDE" search --index "$IX" "$query" || true
  if [ "$FTS5" = 1 ] && [ "$SQLITE_CLI" = 1 ]; then
    "$PYTHON" "$REPO/scripts/fts5_bench.py" sql "$query" > "$RES/fts5_query_$i.sql"
    measure "fts5_query_$i" "$RUNS_FAST" "" "$(q sqlite3 "$FTS_DB" ".read $RES/fts5_query_$i.sql")" || true
    peak "fts5_query_$i" sqlite3 "$FTS_DB" ".read $RES/fts5_query_$i.sql" || true
  elif [ "$FTS5" = 1 ]; then
    measure "fts5_query_$i" "$RUNS_FAST" "" "$(q "$PYTHON" "$REPO/scripts/fts5_bench.py" query "$FTS_DB" "$query")" || true
    peak "fts5_query_$i" "$PYTHON" "$REPO/scripts/fts5_bench.py" query "$FTS_DB" "$query" || true
  else
    skip "fts5_query_$i" "no FTS5"
  fi
  if [ "$RECOLL" = 1 ]; then
    measure "recoll_query_$i" "$RUNS_FAST" "" "$(q recollq -c "$RCONF" -n 10 -A "$query")" || true
    peak "recoll_query_$i" recollq -c "$RCONF" -n 10 -A "$query" || true
  else
    skip "recoll_query_$i" "recoll not installed or its index failed"
  fi
done

say "rg -c ${QUERIES[0]}"
if have rg; then
  meta rg "$(rg --version | head -1)"
  measure rg_scan "$RUNS_FAST" "" "$(q rg -c "${QUERIES[0]}" "$CORPUS")" -i || true
  peak rg_scan rg -c "${QUERIES[0]}" "$CORPUS" || true
else
  skip rg_scan "ripgrep not installed (apt-get install ripgrep)"
fi

# --- spaCy NER -------------------------------------------------------------------------------
say "spaCy NER (tok2vec + ner)"
spacy_args=("$SPACY_PYTHON" "$REPO/scripts/spacy_ner_bench.py" "$CORPUS")
[ "$SPACY_LIMIT" = 0 ] || spacy_args+=(--limit "$SPACY_LIMIT")
if ! "$SPACY_PYTHON" -c 'import spacy' >/dev/null 2>&1; then
  skip spacy_ner "spaCy is not importable by $SPACY_PYTHON (set SPACY_PYTHON to a Python that has it)"
else
  q "${spacy_args[@]}" > "$RES/spacy_ner.cmd"
  status=0
  if [ "$USE_TIME" = 1 ]; then
    /usr/bin/time -v -o "$RES/spacy_ner.time" "${spacy_args[@]}" > "$RES/spacy_ner.out" 2> "$RES/spacy_ner.err" || status=$?
  else
    "${spacy_args[@]}" > "$RES/spacy_ner.out" 2> "$RES/spacy_ner.err" || status=$?
  fi
  if [ "$status" = 0 ]; then
    say "  spacy_ner: $(cat "$RES/spacy_ner.out")"
  else
    rm -f "$RES/spacy_ner.out"
    skip spacy_ner "$(tail -1 "$RES/spacy_ner.err")"
  fi
fi

# --- lede add ---------------------------------------------------------------------------------
# Each run re-adds one article under the same path with a new last paragraph, so every run
# replaces one article and the index stays the same size.
add_bench() {
  local id=$1 index=$2 corpus=$3
  local dir="$WORK/add-$id"
  rm -rf "$dir"
  mkdir -p "$dir"
  local base
  base=$(find "$corpus" -mindepth 2 -type f -name '*.txt' | LC_ALL=C sort | sed -n 1p)
  cp "$base" "$dir/base.txt"
  local prepare
  prepare="cp $(q "$dir/base.txt") $(q "$dir/new-article.txt") && echo \"Revision \$(date +%s%N) of this article, filed for the add benchmark.\" >> $(q "$dir/new-article.txt")"
  measure "$id" "$RUNS_FAST" "$prepare" "$(q "$LEDE" add "$dir/new-article.txt" --index "$index")" || return 0
  bash -c "$prepare"
  peak "$id" "$LEDE" add "$dir/new-article.txt" --index "$index" || true
}
say "lede add (one article)"
rm -rf "$IX-add"
cp -a "$IX" "$IX-add"
add_bench lede_add "$IX-add" "$CORPUS"
rm -rf "$IX-add"

# --- the scaled corpora ----------------------------------------------------------------------
# scale_corpus N: the folder of the N-article corpus, generated once and cached in the work
# folder (the smoke corpus itself for its own size in smoke mode).
scale_corpus() {
  local n=$1 dir gen=()
  if [ "$MODE" = smoke ] && [ "$n" = "$SMOKE_COUNT" ]; then
    printf '%s\n' "$CORPUS"
    return
  fi
  if [ "$MODE" = smoke ]; then
    dir="$WORK/corpus-smoke-$n-s$SEED"
    gen=(--from "$REPO/tests/relevance/articles" --from "$REPO/corpus")
  else
    dir="$WORK/corpus-$n-s$SEED"
    gen=(--data "$DATA")
  fi
  if [ -f "$dir.done" ] && [ -d "$dir" ]; then
    say "  cached at $dir ($(cat "$dir.done"))" >&2
  else
    say "  generating $n articles into $dir" >&2
    rm -f "$dir.done"
    "$PYTHON" "$REPO/scripts/make_corpus.py" --count "$n" --seed "$SEED" --out "$dir" \
      "${gen[@]}" --force > "$RES/make_corpus_$n.out" || return 1
    sed 's/^/  /' "$RES/make_corpus_$n.out" >&2
    cp "$RES/make_corpus_$n.out" "$dir.done"
  fi
  printf '%s\n' "$dir"
}

# scale_bench N: every measurement of the N-article corpus, under the ids scale_N_*.
scale_bench() {
  local n=$1 corpus id six qfile
  id="scale_$n"
  say "scaled corpus ($n articles)"
  if ! corpus=$(scale_corpus "$n"); then
    fail "${id}_index" "make_corpus.py failed; see $RES/make_corpus_$n.out"
    return 0
  fi
  meta "${id}_corpus" "$corpus"
  if [ "$corpus" = "$CORPUS" ]; then
    meta "${id}_made" smoke
  elif [ "$MODE" = smoke ]; then
    meta "${id}_made" "$(q python3 scripts/make_corpus.py --count "$n" --seed "$SEED" \
      --from tests/relevance/articles --from corpus --out "$corpus")"
  else
    meta "${id}_made" "$(q python3 scripts/make_corpus.py --count "$n" --seed "$SEED" --out "$corpus")"
  fi
  meta "${id}_corpus_files" "$(find "$corpus" -type f -name '*.txt' | wc -l)"
  meta "${id}_corpus_bytes" "$(size_of "$corpus")"

  six="$WORK/ix-scale-$n"
  [ "$MODE" != smoke ] || six="$WORK/ix-scale-smoke-$n"
  rm -rf "$six"
  printf '%s\n' "rm -rf $(q "$six")" > "$RES/${id}_index.prepare"
  if [ "$corpus" = "$CORPUS" ] && [ -f "$RES/lede_index.out" ]; then
    # Same corpus as above: reuse that index and its figures rather than index it again.
    say "  lede index: the smoke index above"
    cp -a "$IX" "$six"
    for ext in time out err wall; do [ ! -f "$RES/lede_index.$ext" ] || cp "$RES/lede_index.$ext" "$RES/${id}_index.$ext"; done
    q "$LEDE" index "$corpus" --index "$six" --json > "$RES/${id}_index.cmd"
  else
    # One run: its wall-clock time, articles per second (from the --json summary) and peak RSS.
    say "  lede index (one run$([ "$n" -lt 100000 ] || echo '; several minutes at this size'))"
    if peak "${id}_index" "$LEDE" index "$corpus" --index "$six" --json; then
      say "  ${id}_index: $(cat "$RES/${id}_index.wall") s; $(tail -1 "$RES/${id}_index.out")"
    fi
  fi
  meta "${id}_index_bytes" "$(size_of "$six")"
  say "  lede index, unchanged folder"
  measure "${id}_reindex" "$RUNS_SLOW" "" "$(q "$LEDE" index "$corpus" --index "$six" -q)" || true
  peak "${id}_reindex" "$LEDE" index "$corpus" --index "$six" --json || true
  say "  lede entities (the 20 most mentioned, whole index)"
  measure "${id}_entities" "$RUNS_SLOW" "" "$(q "$LEDE" entities --index "$six")" || true
  peak "${id}_entities" "$LEDE" entities --index "$six" || true

  # Generated corpora with the same seed share their first articles, and the queries come
  # from the first 3,000 files, so sizes of 3,000 articles and more get the same queries.
  if [ "$corpus" = "$CORPUS" ] && [ "$MODE" = smoke ]; then
    qfile="$WORK/queries-smoke.txt"
  elif [ "$MODE" = smoke ]; then
    qfile="$WORK/queries-smoke-$n-s$SEED.txt"
  else
    qfile="$WORK/queries-$n-s$SEED.txt"
  fi
  if [ ! -s "$qfile" ]; then
    "$PYTHON" "$REPO/scripts/make_queries.py" --seed "$SEED" --count 200 --from "$corpus" --out "$qfile" 2>&1 | sed 's/^/  /'
  fi
  cp "$qfile" "$RES/${id}_queries.txt"
  meta "${id}_queries" "$qfile"
  say "  query latency"
  if [ -x "$QUERY_LATENCY" ]; then
    if peak "${id}_latency" "$QUERY_LATENCY" --index "$six" --queries "$qfile"; then
      # The contract: the last line of stdout is one JSON object with at least p50_ms and p99_ms.
      if ! "$PYTHON" -c 'import json,sys; d=json.loads(open(sys.argv[1]).read().strip().splitlines()[-1]); [float(d[k]) for k in ("p50_ms","p99_ms")]' \
           "$RES/${id}_latency.out" 2>/dev/null; then
        fail "${id}_latency" "last line of output is not a JSON object with p50_ms and p99_ms; see $RES/${id}_latency.out"
      else
        say "  ${id}_latency: $(tail -1 "$RES/${id}_latency.out")"
      fi
    fi
  else
    skip "${id}_latency" "no query_latency example at $QUERY_LATENCY (cargo build --release --example query_latency)"
  fi
  say "  lede add (one article)"
  add_bench "${id}_add" "$six" "$corpus"
}

if [ ${#SCALES[@]} -gt 0 ]; then
  meta scale_sizes "${SCALES[*]}"
  for n in "${SCALES[@]}"; do
    scale_bench "$n"
  done
fi

meta load_end "$(cut -d' ' -f1-3 /proc/loadavg)"

# --- the report --------------------------------------------------------------------------------
mkdir -p "$(dirname "$OUT")"
"$PYTHON" "$REPO/scripts/bench_report.py" "$RES" --out "$OUT" --notes "$REPO/docs/benchmarks-notes.md"
say "report written to $OUT"
if compgen -G "$RES/*.fail" > /dev/null; then
  say "some measurements failed:"
  for f in "$RES"/*.fail; do say "  $(basename "$f" .fail): $(cat "$f")"; done
  exit 1
fi
