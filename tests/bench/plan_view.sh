#!/usr/bin/env bash
# The plan view as a signed-in gezinsmanager (session cookie, no client certificate) against nginx
# serving the same bytes over TLS: the read path of the web UI, and the ceiling for it.
#
#   tests/bench/plan_view.sh [--no-build]
#
# Sets up a data directory with the demo (Gezin V.: 12 contributions) and synthetic families
# (`sluis demo generate`), signs in as gm-jansen and as the synthetic gezinsmanagers (TOTP computed
# here), picks the synthetic family with the number of contributions nearest SLUIS_BENCH_BIG_PLAN
# (84), and for each of the two families loads GET /v1/plans/{id} with sluis_load, then the same
# body from nginx, printing req/s, p99 and the ratio.
# Environment: SLUIS_BENCH_CONNECTIONS (64), SLUIS_BENCH_DURATION seconds (15), SLUIS_BENCH_THREADS
#   (2), SLUIS_BENCH_PORT (18543; nginx uses +1), SLUIS_BENCH_OUT (a new temp dir), SLUIS_BIN
#   (build/sluis), SLUIS_BENCH_DEPLOY (deploy/), SLUIS_BENCH_BIG_PLAN (84).
# Needs: the packages of deploy/dev.sh, nginx, curl, python3.
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$repo"
connections="${SLUIS_BENCH_CONNECTIONS:-64}"
duration="${SLUIS_BENCH_DURATION:-15}"
load_threads="${SLUIS_BENCH_THREADS:-2}"
port="${SLUIS_BENCH_PORT:-18543}"
nginx_port=$((port + 1))
big_plan="${SLUIS_BENCH_BIG_PLAN:-84}"
sluis="${SLUIS_BIN:-build/sluis}"
deploy="${SLUIS_BENCH_DEPLOY:-deploy}"
out="${SLUIS_BENCH_OUT:-$(mktemp -d /tmp/sluis-plan-bench.XXXXXX)}"
if [ "${1:-}" != "--no-build" ]; then
  cmake --preset release >/dev/null
  cmake --build build -j "$(nproc)" --target sluis sluis_load
fi
load=build/tests/load/sluis_load
. "$repo/tests/bench/nginx.sh"
log() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; done; }
trap cleanup EXIT

data="$out/data"
mkdir -p "$data"
deploy/dev-pki.sh "$data" >/dev/null
pki="$data/pki"
sed -e "s/^port = .*/port = $port/" \
    -e "s/^rate_limit_per_second = .*/rate_limit_per_second = 1000000/" \
    -e "s/^rate_limit_burst = .*/rate_limit_burst = 1000000/" \
    "$deploy/config.example.toml" >"$out/config.toml"
unlock=(--data "$data" --key-file "$data/kek.key")
"$sluis" init "${unlock[@]}" --create-key-file --config "$out/config.toml" \
  --policy "$deploy/policy.example.toml" >"$out/init.log"
"$sluis" demo load "${unlock[@]}" --json >"$out/demo.json"
"$sluis" demo generate "${unlock[@]}" --families 60 --seed 7 >"$out/generate.log"
# The synthetic families' gezinsmanagers (ten families each) get accounts.
for g in 1 2 3 4 5 6; do
  printf 'bench password 2026\nbench password 2026\n' |
    "$sluis" user add "${unlock[@]}" --id "gm-gen-$g" --organisation wijkteam-noord \
      --role gezinsmanager --name "Gezinsmanager $g" --password-stdin >"$out/user-$g.txt"
done
"$sluis" serve "${unlock[@]}" >"$out/server.log" 2>&1 &
pids+=($!)
server_pid=$!
for _ in $(seq 1 100); do
  curl -sf --cacert "$pki/ca.pem" "https://localhost:$port/healthz" >/dev/null && break
  sleep 0.1
done

# Signs in (TOTP from the base32 secret) and prints the session cookie "sluis_session=...".
login() {
  local user="$1" password="$2" secret="$3"
  local code
  code=$(python3 -c '
import base64, hmac, struct, sys, time
key = base64.b32decode(sys.argv[1] + "=" * (-len(sys.argv[1]) % 8))
mac = hmac.new(key, struct.pack(">Q", int(time.time()) // 30), "sha1").digest()
o = mac[-1] & 15
print("%06d" % ((struct.unpack(">I", mac[o:o + 4])[0] & 0x7fffffff) % 1000000))' "$secret")
  curl -sf --cacert "$pki/ca.pem" -D - -o /dev/null -H 'Content-Type: application/json' \
    -d "{\"user\":\"$user\",\"password\":\"$password\",\"code\":\"$code\"}" \
    "https://localhost:$port/v1/session" |
    sed -n 's/^[Ss]et-[Cc]ookie: \(sluis_session=[^;]*\);.*/\1/p'
}
jansen_secret=$(python3 -c 'import json,sys; print([u["totp_secret"] for u in json.load(open(sys.argv[1]))["users"] if u["id"]=="gm-jansen"][0])' "$out/demo.json")
jansen=$(login gm-jansen sluis-demo-2026 "$jansen_secret")
[ -n "$jansen" ] || { echo "login failed" >&2; exit 1; }

get() { curl -sf --cacert "$pki/ca.pem" -H "Cookie: $1" "https://localhost:$port$2"; }
small=$(python3 -c 'import json,sys; print([f["family_id"] for f in json.load(open(sys.argv[1]))["families"] if f["label"]=="Gezin V."][0])' "$out/demo.json")
# The synthetic family whose plan counts the number of contributions nearest big_plan.
big=""; best=100000
for g in 1 2 3 4 5 6; do
  secret=$(sed -n 's/^TOTP secret[^:]*: \([A-Z2-7]*\).*/\1/p' "$out/user-$g.txt")
  cookie=$(login "gm-gen-$g" "bench password 2026" "$secret")
  [ -n "$cookie" ] || { echo "login of gm-gen-$g failed" >&2; exit 1; }
  for id in $(get "$cookie" /v1/me/families | python3 -c 'import json,sys; print(" ".join(f["family_id"] for f in json.load(sys.stdin)["families"]))'); do
    n=$(get "$cookie" "/v1/plans/$id" | python3 -c 'import json,sys; t=json.load(sys.stdin)["totals"]; print(t["shown"]+t["hidden"])')
    d=$(( n > big_plan ? n - big_plan : big_plan - n ))
    if [ "$d" -lt "$best" ]; then best=$d; big=$id; big_n=$n; gen=$cookie; fi
  done
done

ng="$out/nginx"
mkdir -p "$ng/www"
echo '{}' >"$ng/www/probe.json"
start_nginx "$ng" "$nginx_port" "$pki" /probe.json
pids+=("$nginx_pid")

rps() { sed -n 's/.* rps=\([0-9.]*\).*/\1/p' "$1"; }
p99() { sed -n 's/.* p99_ms=\([0-9.]*\).*/\1/p' "$1"; }
for case in "small $small $jansen 12" "big $big $gen $big_n"; do
  set -- $case
  name=$1 id=$2 cookie=$3 count=$4
  get "$cookie" "/v1/plans/$id" >"$ng/www/$name.json"
  bytes=$(wc -c <"$ng/www/$name.json")
  log "plan view, $count contributions ($bytes bytes), $connections connections, ${duration}s"
  "$load" --mode static --ca "$pki/ca.pem" --port "$port" --connections "$connections" \
    --duration "$duration" --threads "$load_threads" --cookie "$cookie" \
    --url "/v1/plans/$id" | tee "$out/sluis-$name.txt"
  "$load" --mode static --ca "$pki/ca.pem" --port "$nginx_port" --connections "$connections" \
    --duration "$duration" --threads "$load_threads" --url "/$name.json" | tee "$out/nginx-$name.txt"
  echo "PLAN $count contributions ($bytes B): sluis $(rps "$out/sluis-$name.txt")/s p99 $(p99 "$out/sluis-$name.txt") ms vs nginx $(rps "$out/nginx-$name.txt")/s p99 $(p99 "$out/nginx-$name.txt") ms: ratio $(awk -v a="$(rps "$out/sluis-$name.txt")" -v b="$(rps "$out/nginx-$name.txt")" 'BEGIN{printf "%.3f", a/b}')" |
    tee -a "$out/plan_view.txt"
done
echo "server peak RSS: $(( $(awk '/VmHWM/ {print $2}' "/proc/$server_pid/status") / 1024 )) MiB" | tee -a "$out/plan_view.txt"
log "all output in $out"
