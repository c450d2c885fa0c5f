#!/usr/bin/env bash
# Every tracked C++ file is formatted as .clang-format says, judged by clang-format itself
# (clang-format-14, the version Debian bookworm ships; deploy/dev.sh installs it). On failure it
# prints the files and the first lines of what would change; `clang-format-14 -i FILE` fixes one.
set -euo pipefail
cd "$(dirname "$0")/../.."
format=${SLUIS_CLANG_FORMAT:-clang-format-14}
mapfile -t files < <(git ls-files -- '*.cpp' '*.hpp' '*.h' '*.cc')
[ ${#files[@]} -gt 0 ] || { echo "no tracked C++ files found (not a git checkout?)" >&2; exit 1; }
bad=()
for f in "${files[@]}"; do
  "$format" --dry-run -Werror "$f" >/dev/null 2>&1 || bad+=("$f")
done
if [ ${#bad[@]} -gt 0 ]; then
  echo "not formatted (${#bad[@]} of ${#files[@]} files):" >&2
  for f in "${bad[@]}"; do
    echo "  $f" >&2
    diff -u "$f" <("$format" "$f") | sed -n '3,12p' >&2 || true
  done
  exit 1
fi
echo "${#files[@]} C++ files formatted"
