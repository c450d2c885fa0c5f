#!/usr/bin/env bash
# Scale figures (issue 6): for each family count, initialises a data directory, fills it with
# `sluis demo generate` (or, in a build without it, build/tests/load/sluis_scale with 50
# contributions per family), records the build time and
# the store size on disk, serves it with build/sluis and measures the read mixes (involvement view
# and plan view) over a uniform sample of the families with sluis_load. Prints the p99 of each and their ratio.
#
#   tests/load/scale.sh OUT_DIR N1 N2 ...       (run from tests/bench/run.sh --scale)
# Environment: SLUIS_SCALE_CONTRIBUTIONS (50), SLUIS_SCALE_MAX_SECONDS build budget per store
#   (1200; a bigger store stops early and says so), SLUIS_BENCH_CONNECTIONS (16),
#   SLUIS_BENCH_DURATION (15), SLUIS_BENCH_PORT (18443; this script uses +2), SLUIS_BIN (build/sluis),
#   SLUIS_BENCH_DEPLOY (deploy/: config.example.toml and policy.example.toml),
#   SLUIS_SCALE_REUSE=1 measures an OUT_DIR/families-N made by an earlier run (or by the same
#   `sluis init` and `sluis demo generate` by hand) instead of building it again: a 100,000-family
#   store takes most of an hour to build.
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$repo"
out="${1:?usage: scale.sh OUT_DIR N...}"; shift
per="${SLUIS_SCALE_CONTRIBUTIONS:-50}"
budget="${SLUIS_SCALE_MAX_SECONDS:-1200}"
connections="${SLUIS_BENCH_CONNECTIONS:-16}"
duration="${SLUIS_BENCH_DURATION:-15}"
port=$(( ${SLUIS_BENCH_PORT:-18443} + 2 ))
mkdir -p "$out"
sluis="${SLUIS_BIN:-build/sluis}"
deploy="${SLUIS_BENCH_DEPLOY:-deploy}"
server=""
trap '[ -n "$server" ] && kill "$server" 2>/dev/null; true' EXIT

p99s=()
plan_p99s=()
for n in "$@"; do
  data="$out/families-$n"
  if [ "${SLUIS_SCALE_REUSE:-0}" = 1 ] && [ -f "$data/sluis.db" ]; then
    echo "== $n families: the store built earlier in $data"
    sed -i "s/^port = .*/port = $port/" "$data/config.toml"
  else
    rm -rf "$data"; mkdir -p "$data"
    deploy/dev-pki.sh "$data" >/dev/null
    sed -e "s/^port = .*/port = $port/" -e "s/^rate_limit_per_second = .*/rate_limit_per_second = 1000000/" \
        -e "s/^rate_limit_burst = .*/rate_limit_burst = 1000000/" "$deploy/config.example.toml" >"$out/config-$n.toml"
    "$sluis" init --data "$data" --key-file "$data/kek.key" --create-key-file \
      --config "$out/config-$n.toml" --policy "$deploy/policy.example.toml" >/dev/null 2>&1
    start=$(date +%s.%N)
    if "$sluis" demo generate --help >/dev/null 2>&1; then
      # The gateway's own generator: 3-15 organisations and 1-40 contributions each per family
      # (about 84 per family on average), one audit entry per family. Stopped at the budget: what
      # was committed before stays, and the figures say how far it got.
      echo "== $n families with sluis demo generate (build budget ${budget}s)"
      timeout "$budget" "$sluis" demo generate --data "$data" --key-file "$data/kek.key" \
        --families "$n" >"$out/generate-$n.log" 2>&1 || echo "(stopped at the budget or failed: rc $?)"
      tail -n 2 "$out/generate-$n.log"
    else
      echo "== $n families x $per contributions with sluis_scale (build budget ${budget}s)"
      build/tests/load/sluis_scale --data "$data" --key-file "$data/kek.key" --families "$n" \
        --contributions "$per" --max-seconds "$budget" 2> >(grep progress >&2)
    fi
    end=$(date +%s.%N)
    echo "build seconds: $(awk -v a="$start" -v b="$end" 'BEGIN{printf "%.0f", b - a}')" >"$out/build-time-$n.txt"
  fi
  build/tests/load/sluis_scale --data "$data" --key-file "$data/kek.key" --sample-only \
    --ids-out "$data/sample.txt" --sample 2000 | tee "$out/build-$n.txt"
  cat "$out/build-time-$n.txt" 2>/dev/null | tee -a "$out/build-$n.txt" || true
  "$sluis" serve --data "$data" --key-file "$data/kek.key" >"$out/server-$n.log" 2>&1 &
  server=$!
  for _ in $(seq 1 300); do
    curl -sf --cacert "$data/pki/ca.pem" "https://localhost:$port/healthz" >/dev/null && break
    sleep 0.2
  done
  echo "store on disk: $(du -sb "$data"/sluis.db* | awk '{s += $1} END {printf "%.1f MiB", s / 1048576}')" | tee -a "$out/build-$n.txt"
  build/tests/load/sluis_load --mode read --port "$port" --ca "$data/pki/ca.pem" \
    --cert "$data/pki/clients/wijkteam-noord.pem" --key "$data/pki/clients/wijkteam-noord.key" \
    --connections "$connections" --duration "$duration" --threads "${SLUIS_BENCH_THREADS:-2}" \
    --families-file "$data/sample.txt" \
    --url '/v1/families/{family}/involvement?purpose=signalling' | tee "$out/read-$n.txt"
  p99s+=("$(sed -n 's/.* p99_ms=\([0-9.]*\).*/\1/p' "$out/read-$n.txt")")
  # The plan view, as a wijkteam professional's system (mutual TLS; no session needed).
  build/tests/load/sluis_load --mode read --port "$port" --ca "$data/pki/ca.pem" \
    --cert "$data/pki/clients/wijkteam-noord.pem" --key "$data/pki/clients/wijkteam-noord.key" \
    --connections "$connections" --duration "$duration" --threads "${SLUIS_BENCH_THREADS:-2}" \
    --families-file "$data/sample.txt" --header 'X-Sluis-User: bench-wijkteam' \
    --url '/v1/plans/{family}' | tee "$out/plan-$n.txt"
  plan_p99s+=("$(sed -n 's/.* p99_ms=\([0-9.]*\).*/\1/p' "$out/plan-$n.txt")")
  kill "$server"; wait "$server" 2>/dev/null || true; server=""
done
if [ ${#p99s[@]} -ge 2 ]; then
  echo "SCALE p99 ${p99s[*]} ms; ratio last/first $(awk -v a="${p99s[-1]}" -v b="${p99s[0]}" 'BEGIN{printf "%.2f", a/b}')"
  echo "SCALE plan p99 ${plan_p99s[*]} ms; ratio last/first $(awk -v a="${plan_p99s[-1]}" -v b="${plan_p99s[0]}" 'BEGIN{printf "%.2f", a/b}')"
fi
