#!/usr/bin/env bash
# Load benchmark of the SPARQL endpoint (a benchmark, not a test): starts
# `guanxi serve` read-only on a free loopback port over STORE and drives it with
# wrk, CLIENTS concurrent connections for SECONDS per saved query (queries/*.rq,
# POSTed as application/sparql-query, JSON results), then prints per query the
# requests per second, p50 and p99 latency and the errors (non-2xx answers and
# socket errors). Only 127.0.0.1 is spoken to; every run is bounded in time.
#
# Usage: benches/serve.sh [STORE] [CLIENTS] [SECONDS] [QUERY.rq ...]
#   STORE    default /tmp/bench1k.db, built from 1,000 generated editions:
#            python3 ../shared/bench/gen_corpus.py --n 1000 --out /tmp/corpus1k
#            target/release/guanxi --store /tmp/bench1k.db ingest /tmp/corpus1k
#   CLIENTS  default 32;  SECONDS default 20
set -euo pipefail
cd "$(dirname "$0")/.."
store=${1:-/tmp/bench1k.db}
clients=${2:-32}
seconds=${3:-20}
shift $(( $# < 3 ? $# : 3 ))
queries=("$@")
[ ${#queries[@]} -gt 0 ] || queries=(queries/*.rq)

if ! command -v wrk >/dev/null 2>&1; then
    sudo_cmd=""
    [ "$(id -u)" -eq 0 ] || sudo_cmd="sudo"
    $sudo_cmd apt-get install -y -qq wrk >/dev/null || { $sudo_cmd apt-get update -qq && $sudo_cmd apt-get install -y -qq wrk; }
fi
[ -d "$store" ] || { echo "no store at $store (see the usage above)" >&2; exit 1; }
bin=target/release/guanxi
[ -x "$bin" ] || cargo build --release

work=$(mktemp -d)
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
url="http://127.0.0.1:$port"
"$bin" --store "$store" serve --bind "127.0.0.1:$port" --timeout 120 2>"$work/serve.log" &
server=$!
trap 'kill -TERM $server 2>/dev/null; wait $server 2>/dev/null; rm -rf "$work"' EXIT
for _ in $(seq 600); do
    curl -fs "$url/health" >/dev/null 2>&1 && break
    kill -0 $server 2>/dev/null || { cat "$work/serve.log" >&2; exit 1; }
    sleep 0.1
done

size=$(du -sh "$store" | cut -f1)
editions=$(curl -fs "$url/sparql" -H 'Accept: text/csv' --data-urlencode \
    'query=SELECT (COUNT(*) AS ?n) WHERE { ?e a schema:PublicationIssue }' | tail -1 | tr -d '\r')
echo "store $store: $size, $editions editions; $clients clients, ${seconds}s per query, wrk on loopback, $(nproc) cores"
printf '%-20s %10s %10s %10s %8s %8s\n' query 'req/s' p50 p99 requests errors
for q in "${queries[@]}"; do
    lua="$work/$(basename "$q" .rq).lua"
    {
        echo 'wrk.method = "POST"'
        echo 'wrk.headers["Content-Type"] = "application/sparql-query"'
        echo 'wrk.headers["Accept"] = "application/sparql-results+json"'
        printf 'wrk.body = [==[%s]==]\n' "$(cat "$q")"
    } >"$lua"
    out="$work/$(basename "$q" .rq).out"
    wrk -t2 -c"$clients" -d"${seconds}s" --timeout 120s --latency -s "$lua" "$url/sparql" >"$out"
    # wrk hangs up at the end of its window but the server finishes the
    # queries it was given; wait for them (the health request itself is the one
    # left in flight) so that the next query is measured alone.
    until curl -fs "$url/health" | grep -Eq '"in_flight":1[,}]'; do sleep 0.5; done
    rps=$(awk '/^Requests\/sec/ {print $2}' "$out")
    p50=$(awk '$1 == "50%" {print $2}' "$out")
    p99=$(awk '$1 == "99%" {print $2}' "$out")
    requests=$(awk '/requests in/ {print $1}' "$out")
    non2xx=$(awk '/Non-2xx/ {print $NF}' "$out")
    sockets=$(awk '/Socket errors/ {n = 0; for (i = 1; i <= NF; i++) if ($i ~ /^[0-9]+,?$/) n += $i; print n}' "$out")
    printf '%-20s %10s %10s %10s %8s %8s\n' "$(basename "$q")" "$rps" "$p50" "$p99" "$requests" $(( ${non2xx:-0} + ${sockets:-0} ))
done
