#!/usr/bin/env bash
# Load on `lede serve`: 50 concurrent clients for 10 s on loopback (wrk), the
# search page's request over a rotating set of queries. Prints wrk's report
# (requests/s, latency percentiles, errors) and the server's peak RSS.
#
#   [FACETS=0] [COLD=1] scripts/serve_load.sh INDEX [LEDE] [CLIENTS] [SECONDS]
#
# TIMEOUT (s, default 30) is how long a client waits for an answer.
# COLD=1 asks 256 different searches in turn, so few facet counts are cached.
set -euo pipefail
index=${1:?give the index folder}
lede=${2:-target/release/lede}
clients=${3:-50}
seconds=${4:-10}
command -v wrk >/dev/null || { echo "wrk is needed: apt-get install wrk" >&2; exit 2; }
here=$(cd "$(dirname "$0")" && pwd)
log=$(mktemp)
/usr/bin/time -v "$lede" serve --index "$index" --addr 127.0.0.1:0 2>"$log" &
pid=$!
trap 'kill $pid 2>/dev/null || true; rm -f "$log"' EXIT
for _ in $(seq 100); do
  url=$(grep -o 'http://[^ ]*' "$log" | head -1 || true)
  [ -n "$url" ] && break
  sleep 0.1
done
[ -n "$url" ] || { cat "$log" >&2; exit 2; }
url=${url%/}
curl -sf "$url/api/search?q=election&n=10" >/dev/null
wrk -t2 -c"$clients" -d"${seconds}s" --timeout "${TIMEOUT:-30}s" --latency -s "$here/serve_load.lua" "$url"
kill -INT "$(pgrep -P $pid lede || echo $pid)" 2>/dev/null || true
wait $pid 2>/dev/null || true
grep -E 'Maximum resident set size' "$log" || true
