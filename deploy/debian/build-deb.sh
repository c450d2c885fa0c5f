#!/usr/bin/env bash
# Builds sluis_VERSION_amd64.deb from a built binary and deploy/ (an equivalent of a debian/
# source package, made with dpkg-deb so that it needs no build dependencies of its own).
#
#   deploy/debian/build-deb.sh BINARY OUTDIR [VERSION]
#
# BINARY is build/sluis of a Release build (cmake --preset release); VERSION defaults to the
# project's (CMakeLists.txt). The package holds:
#   /usr/bin/sluis                           the binary, stripped
#   /lib/systemd/system/sluis.service        deploy/systemd/: the gateway, and the nightly
#   /lib/systemd/system/sluis-backup.*       backup (a timer, not enabled by the package)
#   /etc/sluis/config.toml, policy.toml      conffiles: what `sluis init` copies into the data dir
#   /usr/share/man/man1/sluis.1.gz           from `sluis --help` (help2man)
#   /usr/share/doc/sluis/                    copyright, changelog, the operations runbook
# and its maintainer scripts make the `sluis` system user, /var/lib/sluis and the backup timer's
# /var/backups/sluis and /var/backups/sluis-keys (mode 0700 each).
# Checked by tests/deploy/deb_test.sh: lintian finds no error; it installs, runs as its user,
# upgrades and purges. SLUIS_DEB_COMPRESSION picks dpkg-deb's compressor (xz; the test uses gzip).
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
binary="$(realpath "$1")"
out="$(realpath "$2")"
version="${3:-$(sed -n 's/^project(sluis VERSION \([0-9.]*\).*/\1/p' "$repo/CMakeLists.txt")}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
pkg="$work/sluis"

install -d "$pkg/DEBIAN" "$pkg/usr/bin" "$pkg/etc/sluis" "$pkg/lib/systemd/system" \
  "$pkg/usr/share/doc/sluis" "$pkg/usr/share/man/man1"
install -m 0755 "$binary" "$pkg/usr/bin/sluis"
strip --strip-unneeded --remove-section=.comment --remove-section=.note "$pkg/usr/bin/sluis"
for unit in sluis.service sluis-backup.service sluis-backup.timer; do
  install -m 0644 "$repo/deploy/systemd/$unit" "$pkg/lib/systemd/system/$unit"
done
install -m 0644 "$repo/deploy/config.example.toml" "$pkg/etc/sluis/config.toml"
install -m 0644 "$repo/deploy/policy.example.toml" "$pkg/etc/sluis/policy.toml"
install -m 0644 "$repo/deploy/debian/copyright" "$pkg/usr/share/doc/sluis/copyright"
install -m 0644 "$repo/docs/operations.md" "$pkg/usr/share/doc/sluis/operations.md"
gzip -9n "$pkg/usr/share/doc/sluis/operations.md"
sed "s/@VERSION@/$version/; s/@DATE@/$(date -R -d @"${SOURCE_DATE_EPOCH:-$(git -C "$repo" log -1 --format=%ct 2>/dev/null || date +%s)}")/" \
  "$repo/deploy/debian/changelog.in" | gzip -9n >"$pkg/usr/share/doc/sluis/changelog.gz"
help2man --no-info --version-string="$version" \
  --name="privacy-preserving case-sharing gateway for the social domain" \
  --include="$repo/deploy/debian/sluis.h2m" "$pkg/usr/bin/sluis" |
  gzip -9n >"$pkg/usr/share/man/man1/sluis.1.gz"
chmod 0644 "$pkg/usr/share/doc/sluis/changelog.gz" "$pkg/usr/share/man/man1/sluis.1.gz"

# The shared libraries the binary links, as Debian package dependencies.
mkdir -p "$work/debian"
printf 'Source: sluis\n\nPackage: sluis\nArchitecture: any\n' >"$work/debian/control"
depends="$(cd "$work" && dpkg-shlibdeps -O -e"$pkg/usr/bin/sluis" 2>/dev/null |
  sed -n 's/^shlibs:Depends=//p')"
installed_size="$(du -sk --exclude=DEBIAN "$pkg" | cut -f1)"
# tzdata: calendar days are Dutch (Europe/Amsterdam, read from /usr/share/zoneinfo at run time).
sed -e "s/@VERSION@/$version/" -e "s/@DEPENDS@/$depends, passwd, tzdata/" \
  -e "s/@SIZE@/$installed_size/" "$repo/deploy/debian/control.in" >"$pkg/DEBIAN/control"
printf '/etc/sluis/config.toml\n/etc/sluis/policy.toml\n' >"$pkg/DEBIAN/conffiles"
for script in postinst prerm postrm; do
  install -m 0755 "$repo/deploy/debian/$script" "$pkg/DEBIAN/$script"
done
(cd "$pkg" && find . -path ./DEBIAN -prune -o -type f -printf '%P\0' | sort -z |
  xargs -0 md5sum >DEBIAN/md5sums)
chmod 0644 "$pkg/DEBIAN/control" "$pkg/DEBIAN/conffiles" "$pkg/DEBIAN/md5sums"
mkdir -p "$out"
dpkg-deb --root-owner-group -Z"${SLUIS_DEB_COMPRESSION:-xz}" --build "$pkg" "$out/sluis_${version}_amd64.deb" >/dev/null
echo "$out/sluis_${version}_amd64.deb"
