#!/usr/bin/env bash
# What `sluis policy diff` and `sluis policy analyse` cost: wall time (best of 5, one process per
# run, so start-up is included) and the number of representatives decided, for the example policy
# against itself and against one-line changes, and for a large generated region policy (many named
# organisations and rules) against a one-line change of it. Runs on one core (taskset -c 0).
#
#   tests/bench/policy_diff.sh [--no-build]
#
# Environment: SLUIS_BIN (build/sluis), SLUIS_BENCH_ORGANISATIONS (40) and SLUIS_BENCH_RULES (60)
#   for the generated policy. Needs: the packages of deploy/dev.sh. Results: BENCHMARKS.md,
#   "Policy diff and analysis".
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$repo"
sluis="${SLUIS_BIN:-build/sluis}"
organisations="${SLUIS_BENCH_ORGANISATIONS:-40}"
rules="${SLUIS_BENCH_RULES:-60}"
if [ "${1:-}" != "--no-build" ]; then
  cmake --preset release >/dev/null
  cmake --build build -j "$(nproc)" --target sluis
fi
out="$(mktemp -d /tmp/sluis-diff-bench.XXXXXX)"
trap 'rm -rf "$out"' EXIT
example=deploy/policy.example.toml

changed() {  # FROM TO OUTPUT [AFTER]: the example with the first line holding FROM (after a line
  # holding AFTER) replaced, as literal text
  local from="$1" to="$2" file="$3" after="${4:-}"
  awk -v from="$from" -v to="$to" -v after="$after" '
    after == "" || index($0, after) { armed = 1 }
    armed && !done && (at = index($0, from)) {
      $0 = substr($0, 1, at - 1) to substr($0, at + length(from)); done = 1 }
    { print }
    END { if (!done) { print "not in the example: " from > "/dev/stderr"; exit 1 } }' \
    "$example" >"$file"
}
changed 'kinds = ["involvement"]' 'kinds = ["involvement", "goal"]' "$out/kind.toml" 'id = "signal-match"'
changed 'child_alone_from_age = 16' 'child_alone_from_age = 15' "$out/age.toml"
changed 'max_validity_days = 365' 'max_validity_days = 180' "$out/validity.toml"
changed 'max_duration_minutes = 240' 'max_duration_minutes = 120' "$out/glass.toml"
changed 'level = "status"' 'level = "summary"' "$out/level.toml" 'id = "procesmanager-status"'

# A region: ORGANISATIONS named partners, RULES rules naming them, by sector and organisation.
region() {
  local file="$1" extra="$2"
  {
    printf 'sectors = ["wijkteam", "ggz", "jeugdhulp", "schuldhulp", "woningcorporatie", "politie"]\n'
    printf 'organisations = ['
    for ((i = 1; i <= organisations; i++)); do printf '"org-%d"%s' "$i" "$([ "$i" -lt "$organisations" ] && echo ', ')"; done
    printf ']\n'
    local bases=(consent coordination none vital-interest) levels=(involvement status summary full)
    local roles=(gezinsmanager professional procesmanager)
    for ((r = 1; r <= rules; r++)); do
      printf '[[rule]]\nid = "r%d"\neffect = "permit"\nroles = ["%s"]\npurposes = ["plan"]\n' \
        "$r" "${roles[r % 3]}"
      printf 'organisations = ["org-%d", "org-%d"]\n' $(((r % organisations) + 1)) $((((r * 7) % organisations) + 1))
      printf 'source_organisations = ["org-%d"]\n' $((((r * 3) % organisations) + 1))
      printf 'basis = "%s"\nlevel = "%s"\n' "${bases[r % 4]}" "${levels[r % 4]}"
      [ "${bases[r % 4]}" = coordination ] && printf 'categories = ["regular"]\nsource_secrecy = false\n'
      [ "${bases[r % 4]}" = none ] && printf 'own_organisation = true\n'
      true
    done
    printf '%s' "$extra"
  } >"$file"
}
region "$out/region.toml" ''
region "$out/region-changed.toml" $'[[rule]]\nid = "extra"\neffect = "permit"\nroles = ["professional"]\npurposes = ["plan"]\norganisations = ["org-3"]\nbasis = "consent"\nlevel = "full"\n'
"$sluis" policy check "$out/region.toml" >/dev/null

best_of_5() {  # prints the best wall time in ms of 5 runs of "$@"
  local best=999999999 start end
  for _ in 1 2 3 4 5; do
    start=$(date +%s%N)
    taskset -c 0 "$@" >/dev/null || [ $? -eq 1 ]
    end=$(date +%s%N)
    best=$(( (end - start) < best ? (end - start) : best ))
  done
  printf '%d.%01d' $((best / 1000000)) $(((best / 100000) % 10))
}
printf '| comparison | request shapes | decided | added / removed / reasons | time (ms, best of 5) |\n|---|---|---|---|---|\n'
row() {  # LABEL OLD NEW: the figures from one --json run, the time from five plain ones
  local json
  json="$("$sluis" policy diff --json "$2" "$3" || [ $? -eq 1 ])"
  field() { sed -n "s/.*\"$1\":\([0-9.eE+]*\).*/\1/p" <<<"$json"; }
  local counts
  counts="$(sed -n 's/.*"counts":{"added":\([0-9]*\),"removed":\([0-9]*\),"reasons_changed":\([0-9]*\)}.*/\1 \/ \2 \/ \3/p' <<<"$json")"
  printf '| %s | %s | %s | %s | %s |\n' "$1" "$(field space_size)" "$(field decided)" "$counts" \
    "$(best_of_5 "$sluis" policy diff "$2" "$3")"
}
row 'example against itself' "$example" "$example"
row 'example, signal-match also kind goal' "$example" "$out/kind.toml"
row 'example, a procesmanager level status → summary' "$example" "$out/level.toml"
row 'example, child_alone_from_age 16 → 15' "$example" "$out/age.toml"
row 'example, max_validity_days 365 → 180' "$example" "$out/validity.toml"
row 'example, max_duration_minutes 240 → 120' "$example" "$out/glass.toml"
row "region ($organisations organisations, $rules rules), one rule added" "$out/region.toml" "$out/region-changed.toml"
printf '\n| analysis | time (ms, best of 5) |\n|---|---|\n'
printf '| example policy | %s |\n' "$(best_of_5 "$sluis" policy analyse "$example")"
printf '| region (%s organisations, %s rules) | %s |\n' "$organisations" "$rules" "$(best_of_5 "$sluis" policy analyse "$out/region.toml")"
