#!/usr/bin/env bash
# Sluis developer entry point. Two verbs:
#   ./deploy/dev.sh demo   install what is missing, build build/sluis, initialise var/dev, run the gateway
#   ./deploy/dev.sh test   install what is missing, build with ASan+UBSan, run every test through CTest,
#                          then the integration tests again under ThreadSanitizer (SLUIS_TSAN=0: not)
# Environment: SLUIS_DATA (default var/dev), SLUIS_JOBS (default: the core count).
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo"
jobs="${SLUIS_JOBS:-$(nproc)}"

# Every Debian bookworm package the build, the demo and the tests need.
packages=(
  build-essential cmake pkg-config git ca-certificates
  libboost1.81-dev libboost-json1.81-dev libboost-url1.81-dev
  libssl-dev openssl libsodium-dev sqlite3
  googletest libgtest-dev libgmock-dev libbenchmark-dev
  libtomlplusplus-dev libcli11-dev libspdlog-dev libfmt-dev libsystemd-dev
  libhowardhinnant-date-dev tzdata   # calendar days in Europe/Amsterdam
  curl
  clang-format-14 clang-tidy-14  # the format and lint checks of the C++ code (tests/style)
  chromium nodejs  # the browser test (tests/e2e); npm is added below when missing
  prometheus       # its promtool judges /metrics and the alerting rules (deploy/prometheus)
  systemd          # systemd-analyze rates the unit's hardening (deploy/systemd)
  lintian help2man passwd procps  # the Debian package: man page, lintian, its user, kill(1)
  mmdebstrap podman runc   # the OCI image: a Debian root, built and run (deploy/container)
)

# SQLCipher 4.6 (the version Debian 13 ships) from Debian's bookworm-backports suite: bookworm's
# own is 3.4.1 on SQLite 3.15 (2016). Pinned by name, so nothing else comes from backports.
backports_packages=(libsqlcipher-dev libsqlcipher1 sqlcipher)
backports_list=/etc/apt/sources.list.d/bookworm-backports.sources
backports_pin=/etc/apt/preferences.d/sluis-sqlcipher

log() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }

installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed'; }

# Adds the backports suite (unless a source names it already) and the pin.
enable_backports() {
  if ! grep -rqs 'bookworm-backports' /etc/apt/sources.list /etc/apt/sources.list.d/; then
    "${sudo[@]}" tee "$backports_list" >/dev/null <<SOURCES
Types: deb
URIs: http://deb.debian.org/debian
Suites: bookworm-backports
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SOURCES
  fi
  local pin="Package: ${backports_packages[*]}
Pin: release n=bookworm-backports
Pin-Priority: 990"
  printf '%s\n' "$pin" | "${sudo[@]}" tee "$backports_pin" >/dev/null
}

install_missing() {
  local missing=() sudo=()
  for p in "${packages[@]}"; do installed "$p" || missing+=("$p"); done
  # SQLCipher 4: missing, or still bookworm's 3.x, which the pin below upgrades.
  for p in "${backports_packages[@]}"; do
    [[ "$(dpkg-query -W -f='${Version}' "$p" 2>/dev/null)" == 4.* ]] || missing+=("$p")
  done
  # Debian's npm package conflicts with a nodejs that bundles npm (e.g. NodeSource's): ask for it
  # only when there is no npm command at all.
  command -v npm >/dev/null || missing+=(npm)
  [ ${#missing[@]} -eq 0 ] && return 0
  log "installing: ${missing[*]}"
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null || { echo "need root or sudo to install: ${missing[*]}" >&2; exit 1; }
    sudo=(sudo)
  fi
  enable_backports
  "${sudo[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends \
    "${missing[@]}"
  # The prometheus package is here for promtool only; on a machine that runs systemd it also
  # starts a Prometheus server, which nothing of Sluis uses.
  if [[ " ${missing[*]} " == *" prometheus "* ]] && [ -d /run/systemd/system ]; then
    "${sudo[@]}" systemctl disable --now prometheus >/dev/null 2>&1 || true
  fi
}

build() {  # build PRESET [TARGET]
  log "building ($1)"
  cmake --preset "$1" >/dev/null
  cmake --build --preset "$1" -j "$jobs" ${2:+--target "$2"}
}

cmd_test() {
  install_missing
  build debug-asan
  log "installing the browser test's npm packages (tests/e2e/package-lock.json)"
  (cd tests/e2e && npm ci --no-audit --no-fund --loglevel=error)
  log "installing the OpenAPI linter (tests/openapi/package-lock.json)"
  (cd tests/openapi && npm ci --no-audit --no-fund --loglevel=error)
  log "running tests"
  ctest --preset debug-asan -j "$jobs"
  # The whole-system tests again under ThreadSanitizer: the server, the writer and the sessions
  # share state across threads. About 10 minutes of build on 2 cores; SLUIS_TSAN=0 skips it.
  if [ "${SLUIS_TSAN:-1}" != 0 ]; then
    build debug-tsan
    log "running the integration tests under ThreadSanitizer"
    SLUIS_STORM_BOUND_MS=5000 ctest --preset debug-tsan -L integration -j "$jobs"
  fi
}

cmd_demo() {
  install_missing
  build release sluis
  local data="${SLUIS_DATA:-var/dev}"
  "$repo/deploy/dev-pki.sh" "$data"
  if [ ! -f "$data/keyring.toml" ]; then
    log "initialising $data"
    build/sluis init --data "$data" --key-file "$data/kek.key" --create-key-file \
      --config deploy/config.example.toml --policy deploy/policy.example.toml
    log "loading the demo families and users"
    # The logins are kept beside kek.key (development only) so a later run can show them again.
    (umask 077 && build/sluis demo load --data "$data" --key-file "$data/kek.key" \
      >"$data/demo-logins.txt")
  else
    log "reusing $data"
  fi
  [ -f "$data/demo-logins.txt" ] && cat "$data/demo-logins.txt"
  log "open https://localhost:8443/ and log in with a demo login above (TOTP code from its secret)"
  cat >&2 <<HINT
==> try it, as the demo wijkteam (client certificates of all demo organisations are in $data/pki/clients):
    curl --cacert $data/pki/ca.pem --cert $data/pki/clients/wijkteam-noord.pem \\
         --key $data/pki/clients/wijkteam-noord.key https://localhost:8443/v1/contributions
HINT
  log "starting the gateway (Ctrl-C stops it)"
  exec build/sluis serve --data "$data" --key-file "$data/kek.key"
}

case "${1:-}" in
  demo) cmd_demo ;;
  test) cmd_test ;;
  *) echo "usage: $0 demo|test" >&2; exit 2 ;;
esac
