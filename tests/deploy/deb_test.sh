#!/usr/bin/env bash
# The Debian package, judged and used: deploy/debian/build-deb.sh builds it from BINARY, lintian
# finds no error in it, and dpkg installs it into a throwaway root (dpkg --root, maintainer scripts
# run with DPKG_ROOT), where the binary runs as the package's own `sluis` user, initialises the
# data directory and answers /healthz; then it is upgraded (a local change to a conffile is kept,
# the data stays) and purged (package files and conffiles go, the data directory with data stays).
# Everything happens under a temporary directory: the machine is left as it was.
#
#   tests/deploy/deb_test.sh BINARY
set -euo pipefail
export SLUIS_DEB_COMPRESSION="${SLUIS_DEB_COMPRESSION:-gzip}"  # xz would take minutes here

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
binary="$(realpath "$1")"
work="$(mktemp -d)"
server=""
cleanup() {
  [ -n "$server" ] && kill "$server" 2>/dev/null && wait "$server" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT
chmod 0755 "$work"  # the sluis user must reach the binary and its data directory
fail() { echo "FAIL: $*" >&2; exit 1; }
step() { echo "--- $*"; }

step "build two versions"
deb1="$("$repo/deploy/debian/build-deb.sh" "$binary" "$work/debs" 0.1.0~test1)"
deb2="$("$repo/deploy/debian/build-deb.sh" "$binary" "$work/debs" 0.1.0~test2)"

step "lintian"
lintian --fail-on error --tag-display-limit 0 "$deb1" || fail "lintian reports errors"

step "install into $work/root"
root="$work/root"
mkdir -p "$root/var/lib/dpkg/updates" "$root/var/lib/dpkg/info" "$root/etc"
touch "$root/var/lib/dpkg/status"
printf 'root:x:0:0:root:/root:/bin/sh\n' >"$root/etc/passwd"
printf 'root:x:0:\n' >"$root/etc/group"
printf 'root:*:19000:0:99999:7:::\n' >"$root/etc/shadow"
printf 'root:*::\n' >"$root/etc/gshadow"
chmod 0640 "$root/etc/shadow" "$root/etc/gshadow"
dpkg_root=(dpkg --root="$root" --force-script-chrootless --force-depends --force-confold
           --log=/dev/null)
"${dpkg_root[@]}" -i "$deb1" >"$work/install.log" 2>&1 || { cat "$work/install.log"; fail "install"; }
[ -x "$root/usr/bin/sluis" ] || fail "no /usr/bin/sluis"
[ -f "$root/etc/sluis/config.toml" ] || fail "no /etc/sluis/config.toml"
grep -q '^sluis:' "$root/etc/passwd" || fail "no sluis user"
uid="$(awk -F: '$1 == "sluis" { print $3 }' "$root/etc/passwd")"
gid="$(awk -F: '$1 == "sluis" { print $3 }' "$root/etc/group")"
[ "$uid" -gt 0 ] && [ "$uid" -lt 1000 ] || fail "sluis is no system user (uid $uid)"
[ "$(stat -c '%a %u' "$root/var/lib/sluis")" = "700 $uid" ] || fail "/var/lib/sluis is not 0700 sluis"
[ "$(stat -c '%U' "$root/usr/bin/sluis")" = root ] || fail "files are not root's"
[ "$(stat -c '%a %u' "$root/var/backups/sluis-keys")" = "700 $uid" ] ||
  fail "/var/backups/sluis-keys is not 0700 sluis"

step "systemd-analyze verify the installed units"
# systemd checks every setting and that each command exists in the root, which gets the host's
# targets and slices and kill(1), as a Debian system has them.
cp -a /lib/systemd/system/*.target /lib/systemd/system/*.slice "$root/lib/systemd/system/"
install -D -m 0755 /bin/kill "$root/bin/kill"
systemd-analyze verify --root="$root" --man=no sluis.service sluis-backup.service \
  sluis-backup.timer >"$work/verify.log" 2>&1 || { cat "$work/verify.log"; fail "unit verification"; }
# It exits 0 on an unknown key or a value it cannot parse, which it ignores: any word is a failure.
[ ! -s "$work/verify.log" ] || { cat "$work/verify.log"; fail "systemd-analyze verify complains"; }

step "run as the sluis user: init, serve, /healthz"
data="$root/var/lib/sluis"
"$repo/deploy/dev-pki.sh" "$data" >/dev/null
chown -R "$uid:$gid" "$data"
as_sluis=(setpriv --reuid="$uid" --regid="$gid" --clear-groups --)
"${as_sluis[@]}" "$root/usr/bin/sluis" init --data "$data" --key-file "$data/kek.key" \
  --create-key-file --config "$root/etc/sluis/config.toml" --policy "$root/etc/sluis/policy.toml" \
  >"$work/init.log" 2>&1 || { cat "$work/init.log"; fail "init as sluis"; }
"${as_sluis[@]}" "$root/usr/bin/sluis" serve --data "$data" --key-file "$data/kek.key" --port 0 \
  >"$work/serve.log" 2>&1 &
server=$!
port=""
for _ in $(seq 1 300); do
  port="$(sed -n 's|.*https://localhost:\([0-9]*\)/.*|\1|p' "$work/serve.log" | head -1)"
  [ -n "$port" ] && break
  sleep 0.1
done
[ -n "$port" ] || { cat "$work/serve.log"; fail "the gateway did not start"; }
[ "$(curl -s -o /dev/null -w '%{http_code}' --cacert "$data/pki/ca.pem" \
    "https://localhost:$port/healthz")" = 200 ] || fail "/healthz"
[ "$(stat -c '%u' "$data/sluis.db")" = "$uid" ] || fail "sluis.db is not the sluis user's"
kill "$server"
wait "$server" || fail "the gateway did not stop cleanly"
server=""

step "the backup service's command, as the sluis user"
# What sluis-backup.service runs (with its credential as a plain path), beside no gateway.
"${as_sluis[@]}" "$root/usr/bin/sluis" backup --data "$data" --key-file "$data/kek.key" \
  --into "$root/var/backups/sluis" --keys-to "$root/var/backups/sluis-keys/sluis.keys" \
  >"$work/backup.log" 2>&1 || { cat "$work/backup.log"; fail "backup as sluis"; }
ls "$root/var/backups/sluis" | grep -Eq '^sluis-[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{6}Z$' ||
  fail "no dated backup directory"

step "upgrade"
echo "# a local change" >>"$root/etc/sluis/policy.toml"
"${dpkg_root[@]}" -i "$deb2" >"$work/upgrade.log" 2>&1 || { cat "$work/upgrade.log"; fail "upgrade"; }
dpkg-query --admindir="$root/var/lib/dpkg" -W -f='${Version}' sluis | grep -qx '0.1.0~test2' ||
  fail "not upgraded"
grep -q '^# a local change' "$root/etc/sluis/policy.toml" || fail "the local conffile change is lost"
[ -f "$data/keyring.toml" ] || fail "the data directory lost its keyring"
"$root/usr/bin/sluis" --version | grep -q '0\.' || fail "sluis --version"

step "purge"
"${dpkg_root[@]}" --purge sluis >"$work/purge.log" 2>&1 || { cat "$work/purge.log"; fail "purge"; }
[ ! -e "$root/usr/bin/sluis" ] || fail "the binary is still there"
[ ! -e "$root/etc/sluis/config.toml" ] || fail "the conffiles are still there"
[ ! -e "$root/lib/systemd/system/sluis.service" ] || fail "the unit is still there"
[ -f "$data/keyring.toml" ] || fail "purge deleted the data directory with its data"
grep -q "kept $data" "$work/purge.log" || fail "purge did not say it kept the data"
echo "ok"
