#!/usr/bin/env bash
# What `sluis backup` costs: its time and size on a store of N synthetic families, the time of
# `sluis restore`, and what a backup running under load does to the write and read mixes
# (sluis_load over mutual TLS, as in run.sh), each mix measured once without and once with a backup
# started one second into it.
#
#   tests/bench/backup.sh [--no-build]
#
# Environment: SLUIS_BENCH_FAMILIES (5000), SLUIS_BENCH_CONNECTIONS (16), SLUIS_BENCH_DURATION
#   seconds per mix (20), SLUIS_BENCH_THREADS (2), SLUIS_BENCH_PORT (18643), SLUIS_BENCH_OUT (a new
#   temp dir), SLUIS_BIN (build/sluis).
# Needs: the packages of deploy/dev.sh, curl. Results: BENCHMARKS.md, "Backup and restore".
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$repo"
families="${SLUIS_BENCH_FAMILIES:-5000}"
connections="${SLUIS_BENCH_CONNECTIONS:-16}"
duration="${SLUIS_BENCH_DURATION:-20}"
load_threads="${SLUIS_BENCH_THREADS:-2}"
port="${SLUIS_BENCH_PORT:-18643}"
sluis="${SLUIS_BIN:-build/sluis}"
out="${SLUIS_BENCH_OUT:-$(mktemp -d /tmp/sluis-backup-bench.XXXXXX)}"
if [ "${1:-}" != "--no-build" ]; then
  cmake --preset release >/dev/null
  cmake --build build -j "$(nproc)" --target sluis sluis_load
fi
load=build/tests/load/sluis_load
log() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; done; }
trap cleanup EXIT
now() { date +%s.%N; }

data="$out/data"
mkdir -p "$data"
deploy/dev-pki.sh "$data" >/dev/null
pki="$data/pki"
sed -e "s/^port = .*/port = $port/" \
    -e "s/^rate_limit_per_second = .*/rate_limit_per_second = 1000000/" \
    -e "s/^rate_limit_burst = .*/rate_limit_burst = 1000000/" \
    deploy/config.example.toml >"$out/config.toml"
"$sluis" init --data "$data" --key-file "$data/kek.key" --create-key-file \
  --config "$out/config.toml" --policy deploy/policy.example.toml >"$out/init.log"
log "generating $families families"
"$sluis" demo generate --data "$data" --key-file "$data/kek.key" --families "$families" |
  tail -1 | tee "$out/generate.txt"
"$sluis" serve --data "$data" --key-file "$data/kek.key" >"$out/server.log" 2>&1 &
pids+=($!)
for _ in $(seq 1 100); do
  curl -sf --cacert "$pki/ca.pem" "https://localhost:$port/healthz" >/dev/null && break
  sleep 0.1
done
client=(--ca "$pki/ca.pem" --cert "$pki/clients/wijkteam-noord.pem" --key "$pki/clients/wijkteam-noord.key")
common=(--port "$port" --connections "$connections" --duration "$duration" --threads "$load_threads")

backup() {  # backup N: started one second from now, its time and size into $out/backup-N.txt
  local b="$out/backup-$1" t0 t1
  sleep 1
  t0=$(now)
  "$sluis" backup --data "$data" --key-file "$data/kek.key" --to "$b" --keys-to "$out/keys" \
    >"$b.log"
  t1=$(now)
  echo "backup $1: $(awk "BEGIN {print $t1 - $t0}") s, $(du -sb "$b" | cut -f1) bytes" \
    "(data directory $(du -sb --exclude=pki "$data" | cut -f1) bytes)" | tee "$b.txt"
}

log "write mix: a warm-up (not counted), then without and with a backup"
"$load" --mode write "${client[@]}" --port "$port" --connections "$connections" --duration 10 \
  --threads "$load_threads" --families 200 --families-out "$out/families.txt" >"$out/warm-up.txt"
"$load" --mode write "${client[@]}" "${common[@]}" --families 1 | tee "$out/write.txt"
backup 1 &
backup_pid=$!
"$load" --mode write "${client[@]}" "${common[@]}" --families 1 | tee "$out/write-backup.txt"
wait "$backup_pid"
log "read mix, without and with a backup"
read_args=(--mode read "${client[@]}" "${common[@]}" --families-file "$out/families.txt"
           --url '/v1/families/{family}/involvement?purpose=signalling')
"$load" "${read_args[@]}" | tee "$out/read.txt"
backup 2 &
backup_pid=$!
"$load" "${read_args[@]}" | tee "$out/read-backup.txt"
wait "$backup_pid"
log "restore"
t0=$(now)
"$sluis" restore --from "$out/backup-2" --keys "$out/keys" --data "$out/restored" \
  --key-file "$data/kek.key" >"$out/restore.log"
t1=$(now)
echo "restore: $(awk "BEGIN {print $t1 - $t0}") s" | tee "$out/restore.txt"
log "results in $out"
