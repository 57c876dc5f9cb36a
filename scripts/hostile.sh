#!/usr/bin/env bash
# The hostile-input and fault campaign: bad files, bad queries, kills, a full
# disk, concurrent writers and readers, run against the real binary.
#
# Usage: scripts/hostile.sh [--quick] [--lede PATH] [--out FILE]
#
# Every case must end without a panic (exit 101), a hang (the timeout) or a
# peak RSS above the bound, with the exit code and message the case expects,
# and with no indexed article lost or counted twice. It prints a Markdown table
# of cases and outcomes (also written to --out) and exits 1 when a case fails.
#
# --quick runs smaller sizes (for CI, with a debug build); the full run uses the
# sizes docs/reliability.md gives (a million HTML tags, a 5,000-article index,
# 20 kills). Cases that need root (a tmpfs, running as nobody) are skipped with
# a note where they cannot run. Needs bash, python3, GNU time and timeout.
set -uo pipefail

QUICK=0
LEDE=""
OUT=""
while [ $# -gt 0 ]; do
    case "$1" in
        --quick) QUICK=1 ;;
        --lede) LEDE="$2"; shift ;;
        --out) OUT="$2"; shift ;;
        -h|--help) sed -n '2,15p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) echo "hostile.sh: unknown argument '$1' (try --help)" >&2; exit 2 ;;
    esac
    shift
done

repo="$(cd "$(dirname "$0")/.." && pwd)"
if [ -z "$LEDE" ]; then
    if [ -x "$repo/target/release/lede" ]; then LEDE="$repo/target/release/lede"
    else LEDE="$repo/target/debug/lede"; fi
fi
if [ ! -x "$LEDE" ]; then
    echo "hostile.sh: $LEDE: no lede binary; build one with 'cargo build --release'" >&2
    exit 2
fi
LEDE="$(cd "$(dirname "$LEDE")" && pwd)/$(basename "$LEDE")"
for tool in python3 timeout /usr/bin/time; do
    command -v "$tool" >/dev/null || { echo "hostile.sh: $tool is needed" >&2; exit 2; }
done

if [ "$QUICK" = 1 ]; then
    FLAT_TAGS=100000; BIG=300; MIDRUN=600; KILLS=3; TIME_LIMIT=60
else
    FLAT_TAGS=1000000; BIG=5000; MIDRUN=3000; KILLS=20; TIME_LIMIT=120
fi
MEM_LIMIT_MB=1024

root="$(mktemp -d /tmp/lede-hostile.XXXXXX)"
chmod 755 "$root"
# A copy nobody can run, for the cases run as an unprivileged user.
BUILT="$LEDE"
cp "$LEDE" "$root/lede" && chmod 755 "$root/lede"
LEDE="$root/lede"
cleanup() {
    mountpoint -q "$root/disk/mnt" 2>/dev/null && umount "$root/disk/mnt"
    rm -rf "$root"
}
trap cleanup EXIT

ROWS=()
FAILED=0
N=0

# --- one case -------------------------------------------------------------

# begin NAME DESCRIPTION: a fresh folder $d with in/good.txt, an article that must
# survive whatever else the case does.
begin() {
    CASE="$1"; DESC="$2"; OK=1; WHY=""; N=$((N + 1))
    d="$root/$N"
    mkdir -p "$d/in"
    printf 'Harbour board meets\n\nThe harbour board in Rotterdam met on Monday to discuss cargo volume.\n' >"$d/in/good.txt"
    cd "$d" || exit 2
}

fail() { OK=0; WHY="${WHY:+$WHY; }$1"; }

# run ARGS...: runs lede in $d with the time limit; records RC, SECS, MB and checks
# for panics, hangs and memory.
run() {
    /usr/bin/time -f '%e %M' -o "$d/time" timeout -k 5 "$TIME_LIMIT" "$LEDE" "$@" >"$d/out" 2>"$d/err"
    RC=$?
    read -r SECS KB < <(tail -1 "$d/time") || true
    SECS="${SECS:-?}"
    MB=$(( ${KB:-0} / 1024 ))
    [ "$RC" = 124 ] || [ "$RC" = 137 ] && fail "hang: killed after ${TIME_LIMIT}s"
    [ "$RC" = 101 ] || grep -q 'panicked at' "$d/err" && fail "panic: $(grep -m1 'panicked' "$d/err")"
    [ "$MB" -gt "$MEM_LIMIT_MB" ] && fail "peak RSS ${MB} MB over ${MEM_LIMIT_MB} MB"
    SAID="$(grep -v '^\s*$' "$d/err" | head -1 | cut -c1-110)"
}

# expect_rc CODE...: the last run's exit code is one of these.
expect_rc() {
    local c
    for c in "$@"; do [ "$RC" = "$c" ] && return; done
    fail "exit $RC, expected $*"
}

# expect_err TEXT: the last run's stderr says this (fixed string).
expect_err() { grep -qF -- "$1" "$d/err" || fail "stderr lacks '$1'"; }

# articles: the number of articles the index in $d/idx holds.
articles() {
    "$LEDE" stats --index "$d/idx" --json 2>/dev/null |
        python3 -c 'import json,sys; print(json.load(sys.stdin)["articles"])' 2>/dev/null || echo none
}

expect_articles() {
    local got
    got="$(articles)"
    [ "$got" = "$1" ] || fail "the index holds $got articles, expected $1"
}

# expect_found WORD: a search for WORD finds the good article.
expect_found() {
    "$LEDE" search --index "$d/idx" "$1" --json 2>/dev/null | grep -q 'good.txt' ||
        fail "'$1' does not find good.txt"
}

end() {
    local result="ok"
    if [ "$OK" = 0 ]; then result="**FAIL**: $WHY"; FAILED=$((FAILED + 1)); fi
    local said="${SAID//|/\\|}"
    said="${said//$d\//}"
    said="${said//$root\//}"
    ROWS+=("| $N | $CASE | $DESC | $RC | $SECS | $MB | ${said:-—} | $result |")
    printf '%3d %-34s exit %-3s %6ss %5s MB  %s\n' "$N" "$CASE" "$RC" "$SECS" "$MB" "$result" >&2
}

skip() {
    N=$((N + 1))
    ROWS+=("| $N | $1 | $2 | — | — | — | — | skipped: $3 |")
    printf '%3d %-34s skipped: %s\n' "$N" "$1" "$3" >&2
}

index() { run index in --index "$d/idx" --quiet "$@"; }

py() { python3 -c "$@"; }

# --- bad files --------------------------------------------------------------

begin "NUL bytes" "text with NUL bytes inside"
py 'import sys; open("in/nul.txt","wb").write(b"Title\n\nCargo \x00 harbour\x00\x00 text.\n")'
index; expect_rc 0 3; expect_found harbour; end

begin "invalid UTF-8" "text with bytes 0xFF 0xC3 0x28"
py 'open("in/bad.txt","wb").write(b"Title\n\nCaf\xc3\x28 \xff\xfe harbour text.\n")'
index; expect_rc 0 3; expect_articles 2; end

begin "UTF-16 with a BOM" "UTF-16LE text with a BOM"
py 'open("in/u16.txt","wb").write(b"\xff\xfe" + "Ferry news\n\nThe ferry to Lisbon sailed late.\n".encode("utf-16-le"))'
index; expect_rc 0; expect_articles 2
"$LEDE" search --index "$d/idx" lisbon --json 2>/dev/null | grep -q u16.txt || fail "lisbon not found"
end

begin "100k-deep JSON" "100,000 nested [ in a .json file"
py 'open("in/deep.json","w").write("["*100000 + "]"*100000)'
index; expect_rc 3; expect_err "deep.json:"; expect_articles 1; end

begin "wrong JSON types" '{"title": 5, "body": ["x"], "date": {}}'
py 'open("in/types.json","w").write("{\"title\": 5, \"body\": [\"x\"], \"date\": {}}")'
index; expect_rc 0 3; expect_err "types.json"; expect_found harbour; end

begin "a bad JSONL line" "good, broken, good lines in .jsonl"
printf '{"title":"One","body":"First ferry text."}\n{"title": "Two", "body": \n{"title":"Three","body":"Third ferry text."}\n' >in/lines.jsonl
index; expect_rc 0 3; expect_err "lines.jsonl"; expect_articles 3; end

begin "a million flat HTML tags" "$FLAT_TAGS <p> elements"
py "open('in/flat.html','w').write('<html><body><article>' + '<p>harbour word</p>'*$FLAT_TAGS + '</article></body></html>')"
index --max-size 40M; expect_rc 0 3; expect_found harbour; end

begin "100k-deep HTML" "100,000 nested <div>"
py 'open("in/deep.html","w").write("<html><body>" + "<div>"*100000 + "x" + "</div>"*100000)'
index; expect_rc 3; expect_err "deep.html:"; expect_articles 1; end

begin "YAML alias bomb" "front matter with nine levels of aliases"
py '
lines = ["---", "a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]"]
prev = "a"
for c in "bcdefghi":
    lines.append(f"{c}: &{c} [" + ",".join(["*" + prev] * 9) + "]")
    prev = c
lines += ["title: Bomb", "---", "", "The harbour bomb test body."]
open("in/bomb.md", "w").write("\n".join(lines) + "\n")'
index; expect_rc 0 3; expect_articles 2; end

begin "deep Markdown quotes" "100,000 '> ' on one line"
py 'open("in/quote.md","w").write("# Quote\n\n" + "> "*100000 + "harbour\n")'
index; expect_rc 0 3; expect_found harbour; end

begin "deep Markdown lists" "100,000 '- ' on one line"
py 'open("in/list.md","w").write("# List\n\n" + "- "*100000 + "harbour\n")'
index; expect_rc 0 3; expect_found harbour; end

begin "absurd dates" "year 99999, -5 and 0 in .md, .json and .txt"
printf -- '---\ntitle: Far\ndate: 99999-01-01\n---\n\nFar future text.\n' >in/far.md
printf '{"title":"Past","body":"Negative year text.","date":"-0005-03-01"}\n' >in/past.json
printf 'Agency\n\n31 December 99999\n\nZero\n\nYear zero text 0000-00-00.\n' >in/zero.txt
index; expect_rc 0; expect_articles 4
expect_err "far.md: date \"99999-01-01\" not understood"; expect_err "past.json: date \"-0005-03-01\" not understood"
said="$SAID"; index_rc=$RC
run search '*' --index "$d/idx" --since 2020 --json; expect_rc 1
SAID="$said"; RC=$index_rc
end

begin "odd file names" 'a newline, a leading dash, bytes 0xFF 0xFE'
printf 'Odd one\n\nNewline name text.\n' >"in/new"$'\n'"line.txt"
printf 'Odd two\n\nDash name text.\n' >in/-n.txt
printf 'Odd three\n\nByte name text.\n' >"in/"$'\xff\xfe'".txt"
index; expect_rc 0; expect_articles 4
run add --index "$d/idx" --quiet -- in/-n.txt; expect_rc 0; expect_articles 4
end

begin "symlink loops" "a -> b -> a, and loop -> . with --follow"
ln -s b in/a.txt; ln -s a.txt in/b; ln -s . in/loop
index --follow; expect_rc 0 3; expect_articles 1; end

if [ "$(id -u)" = 0 ] && command -v setpriv >/dev/null; then
    begin "unreadable file and folder" "chmod 000 file and folder, run as nobody"
    mkdir in/closed; printf 'Closed\n\nHidden text.\n' >in/closed/x.txt
    printf 'Secret\n\nSecret text.\n' >in/secret.txt
    chown -R nobody "$d"; chmod 000 in/secret.txt in/closed
    /usr/bin/time -f '%e %M' -o "$d/time" timeout -k 5 "$TIME_LIMIT" \
        setpriv --reuid=nobody --regid=nogroup --clear-groups \
        "$LEDE" index in --index "$d/idx" --quiet >"$d/out" 2>"$d/err"
    RC=$?; read -r SECS KB < <(tail -1 "$d/time"); MB=$((KB / 1024))
    SAID="$(head -1 "$d/err" | cut -c1-110)"
    grep -q 'panicked' "$d/err" && fail panic
    expect_rc 3; expect_err "secret.txt:"; expect_err "closed"; expect_articles 1
    chmod 755 in/closed; end
else
    skip "unreadable file and folder" "chmod 000, run as nobody" "needs root and setpriv"
fi

begin "folder deleted mid-run" "$MIDRUN files, their folder removed while indexing"
py "
import os
os.makedirs('in/sub'); os.makedirs('in/keep')
for i in range($MIDRUN):
    open(f'in/sub/{i}.txt','w').write(f'Item {i}\n\nThe quay {i} report on ferry traffic and cargo.\n')
for i in range(50):
    open(f'in/keep/{i}.txt','w').write(f'Kept {i}\n\nThe kept {i} report on ferry traffic.\n')"
"$LEDE" index in --index "$d/idx" --quiet --batch-size 50 >"$d/out" 2>"$d/err0" &
pid=$!
sleep 1; rm -rf in/sub; wait $pid; first=$?
[ "$first" = 101 ] && fail "panic in the interrupted run"
grep -q panicked "$d/err0" && fail "panic in the interrupted run"
index; expect_rc 0; expect_articles 51
SAID="interrupted run: exit $first, $(head -1 "$d/err0" | cut -c1-70)"
end

# --- bad queries --------------------------------------------------------------

begin "a ${BIG}-article index" "generated articles for the query cases"
py "
import os, random
r = random.Random(7)
words = ['harbour','cargo','ferry','minister','council','budget','strike','court','election','storm',
         'agreement','border','market','police','hospital','school','river','bridge','airport','union']
os.makedirs('in/big', exist_ok=True)
for i in range($BIG):
    body = ' '.join(r.choice(words) for _ in range(120))
    open(f'in/big/{i:05}.txt','w').write(f'Report {i} on {r.choice(words)}\n\n{body}.\n\n{body[::-1]}.\n')"
index; expect_rc 0; expect_articles $((BIG + 1)); end
big="$d/idx"

query() { begin "$1" "$2"; shift 2; run search --index "$big" "$@"; }

query "100 KB query" "100,000 bytes of words" \
    "$(py 'w="harbour cargo ferry minister "; print((w*4000)[:100000])')" -n 5
expect_rc 0; expect_err "longer than 8192 bytes"; end

query "10,000 terms" "10,000 short words" "$(py 'print(" ".join(f"w{i%100}" for i in range(10000)))')"
expect_rc 0 1; expect_err "searched its first 100"; end

query "10,000 parentheses" "10,000 ( and ) around a word" \
    "$(py 'print("("*10000 + "harbour" + ")"*10000)')"
expect_rc 0; expect_err "longer than 8192 bytes"; end

query "4,000 parentheses" "4,000 ( and ) around a word, under the length limit" \
    "$(py 'print("("*4000 + "harbour" + ")"*4000)')"
expect_rc 0; expect_err "brackets nested 4000 deep"; end

query "unbalanced parentheses" "10,000 ( and no )" "$(py 'print("("*10000 + "harbour")')"
expect_rc 0 1; end

begin "NUL bytes in --queries" "lines with NUL bytes"
printf 'harbour\0cargo\n\0\0\0\nferry\n' >q.txt
run search --index "$big" --queries q.txt --json -n 2; expect_rc 0 1; expect_err "line 1 holds NUL bytes"; end

query "'*' on the big index" "every passage" '*' -n 0 --per-article 0 --json
expect_rc 0; end

query "'a*' on the big index" "a prefix of every word" 'a*' -n 20; expect_rc 0 1; end

query "huge -n and --offset" "2^64-1 for both" harbour -n 18446744073709551615 --offset 18446744073709551615
expect_rc 1; end

query "huge -n" "-n 2^64-1 --context 2^64-1" harbour -n 18446744073709551615 --context 18446744073709551615
expect_rc 0; end

begin "binary --queries file" "1 MB from /dev/urandom"
head -c 1000000 /dev/urandom >q.bin
run search --index "$big" --queries q.bin --json -n 1; expect_rc 0 1 2; end

begin "--queries /dev/urandom" "an endless binary stream"
run search --index "$big" --queries /dev/urandom -n 1; expect_rc 2; expect_err "not UTF-8"; end

# --- faults -------------------------------------------------------------------

begin "SIGKILL at random moments" "$KILLS index runs killed at random moments of their work, then a full run"
# Each round rewrites a quarter of the articles, adds one and deletes one, and
# is killed at a moment drawn from the length of a whole first run.
NOTES=$((MIDRUN / 2))
write_notes() {  # write_notes ROUND: the articles as round ROUND leaves them
    py "
import os, random
r = random.Random($1)
os.makedirs('in/n', exist_ok=True)
for i in range($NOTES):
    if $1 == 0 or r.random() < 0.25:
        open(f'in/n/{i}.txt','w').write(f'Note {i}\\n\\nThe council note {i} on bridge repairs, round{$1}, and the budget of {r.randint(1, 10**6)}.\\n')
if $1 > 0:
    open(f'in/n/r{$1}.txt','w').write(f'Round {$1}\\n\\nThe extra round{$1} bridge report.\\n')
    if os.path.exists(f'in/n/r{$1 - 1}.txt'):
        os.remove(f'in/n/r{$1 - 1}.txt')"
}
write_notes 0
start=$(date +%s.%N)
"$LEDE" index in --index "$d/idx" --quiet --batch-size 25 >/dev/null 2>&1
whole=$(py "print($(date +%s.%N) - $start)")
kills=0
for k in $(seq 1 "$KILLS"); do
    write_notes "$k"
    "$LEDE" index in --index "$d/idx" --quiet --batch-size 25 >/dev/null 2>"$d/errk" &
    pid=$!
    sleep "$(py "import random; random.seed($k); print(round(random.uniform(0.01, $whole / 3), 3))")"
    kill -9 "$pid" 2>/dev/null && kills=$((kills + 1))
    wait "$pid" 2>/dev/null
    grep -q panicked "$d/errk" && fail "panic in round $k"
done
index; expect_rc 0
expect_articles $((NOTES + 2))
dups="$("$LEDE" search --index "$d/idx" '*' -n 0 --per-article 0 --json 2>/dev/null |
    python3 -c '
import json, sys
seen = {}
for line in sys.stdin:
    h = json.loads(line)
    key = (h["article"]["path"], h["passage"]["index"])
    seen[key] = seen.get(key, 0) + 1
print(sum(1 for v in seen.values() if v > 1))')"
[ "$dups" = 0 ] || fail "$dups passages twice"
# Every article holds its last round's text: the newest round of each file is found.
stale="$(python3 - "$d" "$LEDE" <<'PY'
import json, re, subprocess, sys
d, lede = sys.argv[1], sys.argv[2]
out = subprocess.run([lede, "search", "--index", f"{d}/idx", "*", "-n", "0", "--per-article", "0", "--json"],
                     capture_output=True, text=True).stdout
indexed = {}
for line in out.splitlines():
    h = json.loads(line)
    indexed[h["article"]["path"]] = indexed.get(h["article"]["path"], "") + h["passage"]["text"]
stale = 0
import os
for name in os.listdir(f"{d}/in/n"):
    want = re.search(r"round\d+", open(f"{d}/in/n/{name}").read()).group(0)
    if want not in indexed.get(f"in/n/{name}", ""):
        stale += 1
print(stale)
PY
)"
[ "$stale" = 0 ] || fail "$stale articles do not hold their file's last text"
SAID="$kills of $KILLS runs killed mid-work (a whole run: ${whole:0:4} s); then exit $RC, $(articles) articles, $dups passages twice, $stale stale"
end

if [ "$(id -u)" = 0 ] && mkdir -p "$root/disk/mnt" && mount -t tmpfs -o size=3m tmpfs "$root/disk/mnt" 2>/dev/null; then
    begin "full disk" "a 3 MB tmpfs: index fits, then a run that does not"
    index_dir="$root/disk/mnt/idx"
    run index in --index "$index_dir" --quiet; expect_rc 0
    py "
import os
os.makedirs('in/more')
for i in range(3000):
    open(f'in/more/{i}.txt','w').write(f'More {i}\n\n' + ' '.join(f'token{i}x{j}' for j in range(200)) + '\n')"
    run index in --index "$index_dir" --quiet --batch-size 100000
    expect_rc 2 3; expect_err "space"
    said="$SAID"; full_rc=$RC
    rm -rf in/more
    "$LEDE" search --index "$index_dir" harbour --json 2>/dev/null | grep -q good.txt || fail "the old article is lost"
    run index in --index "$index_dir" --quiet; expect_rc 0
    got="$("$LEDE" stats --index "$index_dir" --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["articles"])')"
    [ "$got" = 1 ] || fail "after freeing space the index holds $got articles, expected 1"
    SAID="$said"; RC=$full_rc
    end
    umount "$root/disk/mnt"
else
    skip "full disk" "a 3 MB tmpfs" "needs root to mount a tmpfs"
fi

begin "concurrent writers" "two index runs on one index at once"
py "
import os
os.makedirs('in/c')
for i in range(300):
    open(f'in/c/{i}.txt','w').write(f'Con {i}\n\nThe market {i} report on the strike.\n')"
"$LEDE" index in --index "$d/idx" --quiet >/dev/null 2>"$d/err1" & p1=$!
"$LEDE" index in --index "$d/idx" --quiet >/dev/null 2>"$d/err2" & p2=$!
wait $p1; r1=$?; wait $p2; r2=$?
cat "$d/err1" "$d/err2" >"$d/err"
RC="$r1,$r2"; SECS="—"; MB="—"
grep -q panicked "$d/err" && fail panic
case "$r1$r2" in 00|02|20) ;; *) fail "exits $r1 and $r2" ;; esac
[ "$r1$r2" = 00 ] || grep -qi 'another lede\|lock' "$d/err" || fail "the refused run does not say why"
said="$(grep -v '^\s*$' "$d/err" | head -1 | cut -c1-110)"
expect_articles 301
run index in --index "$d/idx" --quiet --wait; expect_rc 0; expect_articles 301
RC="$r1,$r2"; SAID="$said"; SECS="—"; MB="—"
end

begin "20 searches during an index run" "20 parallel searches, 5 rounds, while indexing"
cp -r "$root/$((N - 1))/in/c" in/c 2>/dev/null || py "
import os
os.makedirs('in/c')
for i in range(300):
    open(f'in/c/{i}.txt','w').write(f'Con {i}\n\nThe market {i} report on the strike.\n')"
"$LEDE" index in --index "$d/idx" --quiet --batch-size 20 >/dev/null 2>"$d/erri" & pi=$!
bad=0; total=0
for round in 1 2 3 4 5; do
    pids=()
    for s in $(seq 1 20); do
        "$LEDE" search --index "$d/idx" market --json -n 3 >/dev/null 2>"$d/s$s" & pids+=($!)
    done
    for s in $(seq 1 20); do
        wait "${pids[$((s - 1))]}"; r=$?; total=$((total + 1))
        # Before the first commit there is no index yet: exit 2 saying so.
        if [ "$r" = 2 ] && grep -q 'no index' "$d/s$s"; then r=1; fi
        [ "$r" = 0 ] || [ "$r" = 1 ] || { bad=$((bad + 1)); cp "$d/s$s" "$d/err"; }
        grep -q panicked "$d/s$s" && fail panic
    done
    sleep 0.3
done
wait $pi; RC=$?; SECS="—"; MB="—"
[ "$bad" = 0 ] || fail "$bad of $total searches failed: $(head -1 "$d/err")"
expect_rc 0; expect_articles 301
SAID="$total searches: $((total - bad)) answered (hits or no index yet)"
end

# --- the table ------------------------------------------------------------------

{
    echo "| # | case | input | exit | s | peak MB | what lede said (first line of stderr) | result |"
    echo "|---:|---|---|---:|---:|---:|---|---|"
    printf '%s\n' "${ROWS[@]}"
    echo
    echo "$N cases, $FAILED failed; binary: ${BUILT#"$repo/"}$( [ "$QUICK" = 1 ] && echo ', --quick')."
} | tee "${OUT:-/dev/null}"
[ "$FAILED" = 0 ]
