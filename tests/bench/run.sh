#!/usr/bin/env bash
# Reproduces the figures of BENCHMARKS.md (issue 6) with one command:
#   1. builds the Release tree build/ (preset release): build/sluis, the benchmarks, sluis_load
#   2. runs the Google Benchmarks (policy, keys, store, plain-SQLite baseline; plan if present)
#      and prints the ingest ratio Sluis store / plain SQLite per submitter count
#   3. starts build/sluis on a temp data dir with the dev PKI (deploy/dev-pki.sh), rate limits off,
#      and runs the write mix and the read mix with sluis_load over mutual TLS
#   4. starts nginx on loopback with TLS (the same dev server certificate), keep-alive, serving a
#      static file of the size of the read mix's responses, loads it with the same connection count
#      and prints the ratio Sluis / nginx
#   4b. the plan view as a signed-in gezinsmanager (session cookie, 64 connections) against nginx
#      serving the same bytes: tests/bench/plan_view.sh, for a family of 12 and one of about 84
#      contributions
#   5. with --scale, builds stores of 1,000 and SLUIS_BENCH_BIG_FAMILIES families and reports the
#      read p99 on each (long: see BENCHMARKS.md)
#
# Usage: tests/bench/run.sh [--quick] [--scale] [--no-micro] [--no-build]
# Environment: SLUIS_BENCH_CONNECTIONS (16), SLUIS_BENCH_DURATION seconds per mix (15),
#   SLUIS_BENCH_THREADS load generator threads (2), SLUIS_BENCH_OUT output dir (a new temp dir),
#   SLUIS_BENCH_PLAN_CONNECTIONS for the plan view (64),
#   SLUIS_BENCH_PORT (18443; nginx uses +1), SLUIS_BENCH_BIG_FAMILIES (100000),
#   SLUIS_BIN the server binary (build/sluis; e.g. a build of a given commit), SLUIS_BENCH_DEPLOY
#   the folder with config.example.toml and policy.example.toml for it (deploy/).
# Needs: the Debian packages of deploy/dev.sh, nginx, curl, python3 (for the JSON of the benchmarks).
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$repo"
connections="${SLUIS_BENCH_CONNECTIONS:-16}"
duration="${SLUIS_BENCH_DURATION:-15}"
load_threads="${SLUIS_BENCH_THREADS:-2}"
port="${SLUIS_BENCH_PORT:-18443}"
nginx_port=$((port + 1))
big="${SLUIS_BENCH_BIG_FAMILIES:-100000}"
micro=1 scale=0 repetitions=3 build=1
sluis="${SLUIS_BIN:-build/sluis}"
deploy="${SLUIS_BENCH_DEPLOY:-deploy}"
for arg in "$@"; do
  case "$arg" in
    --quick) duration=3; repetitions=1 ;;
    --scale) scale=1 ;;
    --no-micro) micro=0 ;;
    --no-build) build=0 ;;
    *) echo "usage: $0 [--quick] [--scale] [--no-micro] [--no-build]" >&2; exit 2 ;;
  esac
done
out="${SLUIS_BENCH_OUT:-$(mktemp -d /tmp/sluis-bench.XXXXXX)}"
mkdir -p "$out"
. "$repo/tests/bench/nginx.sh"
log() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; done; }
trap cleanup EXIT

log "machine"
{
  echo "cpu: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //')"
  echo "nproc: $(nproc)"
  free -g | sed -n 1,2p
  echo "load: $(cut -d' ' -f1-3 /proc/loadavg)"
} | tee "$out/machine.txt"

if [ "$build" = 1 ]; then
  log "building build/ (preset release)"
  cmake --preset release >/dev/null
  targets=(sluis_load sluis_scale policy_bench keys_bench store_bench sqlite_baseline_bench)
  [ -z "${SLUIS_BIN:-}" ] && targets+=(sluis)
  grep -q "add_executable(plan_bench" tests/bench/CMakeLists.txt && targets+=(plan_bench)
  flock /tmp/sluis-build-build.lock cmake --build build -j "$(nproc)" --target "${targets[@]}"
fi
bench=build/tests/bench
load=build/tests/load/sluis_load

# ---- 2. micro-benchmarks ----
if [ "$micro" = 1 ]; then
  for b in policy_bench keys_bench plan_bench store_bench sqlite_baseline_bench; do
    [ -x "$bench/$b" ] || continue
    log "$b"
    "$bench/$b" --benchmark_repetitions="$repetitions" --benchmark_report_aggregates_only=true \
      --benchmark_out="$out/$b.json" --benchmark_out_format=json | tee "$out/$b.txt"
  done
  log "ingest: Sluis store (SQLCipher + sealing) vs plain SQLite, same durability and group commit"
  python3 - "$out/store_bench.json" "$out/sqlite_baseline_bench.json" >"$out/ingest.txt" <<'PY'
import json, sys, re
def rates(path):
    out = {}
    for b in json.load(open(path))["benchmarks"]:
        if b.get("aggregate_name", "mean") != "mean": continue
        m = re.match(r"(BM_\w+)/real_time/threads:(\d+)", b["name"])
        if m: out[(m.group(1), int(m.group(2)))] = (b["items_per_second"], b.get("batch", 0))
    return out
s, q = rates(sys.argv[1]), rates(sys.argv[2])
for t in (1, 16, 64):
    plain = q.get(("BM_plain_sqlite_submit", t))
    for name in ("BM_store_submit", "BM_store_submit_with_audit"):
        mine = s.get((name, t))
        if mine and plain:
            print(f"INGEST threads={t:<3} {name:<27} {mine[0]:9.0f}/s (batch {mine[1]:5.1f})   "
                  f"plain SQLite {plain[0]:9.0f}/s (batch {plain[1]:5.1f})   ratio {mine[0]/plain[0]:.2f}")
PY
  cat "$out/ingest.txt"
fi

# ---- 3. the server and the load mixes ----
data="$out/data"
log "server: $data on 127.0.0.1:$port"
mkdir -p "$data"
deploy/dev-pki.sh "$data" >/dev/null
pki="$data/pki"
sed -e "s/^port = .*/port = $port/" \
    -e "s/^rate_limit_per_second = .*/rate_limit_per_second = 1000000/" \
    -e "s/^rate_limit_burst = .*/rate_limit_burst = 1000000/" \
    "$deploy/config.example.toml" >"$out/config.toml"
"$sluis" init --data "$data" --key-file "$data/kek.key" --create-key-file \
  --config "$out/config.toml" --policy "$deploy/policy.example.toml" >"$out/init.log" 2>&1 ||
  { cat "$out/init.log" >&2; exit 1; }
"$sluis" serve --data "$data" --key-file "$data/kek.key" >"$out/server.log" 2>&1 &
pids+=($!)
server_pid=$!
for _ in $(seq 1 100); do
  curl -sf --cacert "$pki/ca.pem" "https://localhost:$port/healthz" >/dev/null && break
  sleep 0.1
done
client=(--ca "$pki/ca.pem" --cert "$pki/clients/wijkteam-noord.pem" --key "$pki/clients/wijkteam-noord.key")
common=(--port "$port" --connections "$connections" --duration "$duration" --threads "$load_threads")

log "write mix: POST /v1/contributions, $connections connections, ${duration}s"
"$load" --mode write "${client[@]}" "${common[@]}" --families 200 \
  --families-out "$out/families.txt" | tee "$out/write.txt"
log "read mix: GET /v1/families/{id}/involvement?purpose=signalling, $connections connections"
"$load" --mode read "${client[@]}" "${common[@]}" --families-file "$out/families.txt" \
  --url '/v1/families/{family}/involvement?purpose=signalling' | tee "$out/read.txt"
body_bytes=$(sed -n 's/.* body_bytes=\([0-9]*\).*/\1/p' "$out/read.txt")
rss_kib=$(awk '/VmHWM/ {print $2}' "/proc/$server_pid/status")
echo "server peak RSS: $((rss_kib / 1024)) MiB" | tee -a "$out/read.txt"

# ---- 4. nginx, the ceiling ----
log "nginx on 127.0.0.1:$nginx_port, a static file of $body_bytes bytes"
ng="$out/nginx"
mkdir -p "$ng/www"
head -c "${body_bytes:-400}" /dev/zero | tr '\0' 'x' >"$ng/www/involvement.json"
start_nginx "$ng" "$nginx_port" "$pki" /involvement.json
pids+=("$nginx_pid")
"$load" --mode static --ca "$pki/ca.pem" --port "$nginx_port" --connections "$connections" \
  --duration "$duration" --threads "$load_threads" --url /involvement.json | tee "$out/nginx.txt"

kill "$server_pid" 2>/dev/null || true
kill "$nginx_pid" 2>/dev/null || true

# ---- 4b. the plan view with a session cookie, the web UI's read path ----
log "plan view as a signed-in gezinsmanager (tests/bench/plan_view.sh)"
SLUIS_BIN="$sluis" SLUIS_BENCH_DEPLOY="$deploy" SLUIS_BENCH_OUT="$out/plan" \
  SLUIS_BENCH_CONNECTIONS="${SLUIS_BENCH_PLAN_CONNECTIONS:-64}" \
  SLUIS_BENCH_DURATION="$duration" SLUIS_BENCH_THREADS="$load_threads" \
  SLUIS_BENCH_PORT=$((port + 100)) tests/bench/plan_view.sh --no-build | tee "$out/plan.txt"

rps() { sed -n 's/.* rps=\([0-9.]*\).*/\1/p' "$1"; }
log "ratios"
{
  echo "READ  sluis $(rps "$out/read.txt")/s vs nginx $(rps "$out/nginx.txt")/s, $connections connections: ratio $(awk -v a="$(rps "$out/read.txt")" -v b="$(rps "$out/nginx.txt")" 'BEGIN{printf "%.3f", a/b}')"
  echo "WRITE sluis $(rps "$out/write.txt")/s (POST /v1/contributions, $connections connections)"
  grep '^PLAN' "$out/plan.txt" || true
  cat "$out/ingest.txt" 2>/dev/null || true
} | tee "$out/ratios.txt"

# ---- 5. scale ----
if [ "$scale" = 1 ]; then
  [ -x build/tests/load/sluis_scale ] || { echo "no sluis_scale target" >&2; exit 1; }
  SLUIS_BIN="$sluis" SLUIS_BENCH_DEPLOY="$deploy" tests/load/scale.sh "$out/scale" 1000 "$big" | tee "$out/scale.txt"
fi
log "all output in $out"
