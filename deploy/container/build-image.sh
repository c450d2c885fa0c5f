#!/usr/bin/env bash
# Builds the OCI image localhost/sluis:VERSION from a Debian package of deploy/debian/build-deb.sh:
# mmdebstrap makes a minimal Debian bookworm root (from the mirrors in /etc/apt, so only Debian's
# own packages, and bookworm-backports for libsqlcipher1, SQLCipher 4.6, which exists only there:
# apt takes nothing else from backports unless asked), installs the package and curl (for the
# health check) into it with apt, and drops
# apt's lists and the documentation; podman then builds deploy/container/Containerfile on it.
#
#   deploy/container/build-image.sh PACKAGE.deb [TAG]
#
# Needs mmdebstrap and podman (deploy/dev.sh installs both). Prints the tag.
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
deb="$(realpath "$1")"
version="$(dpkg-deb -f "$deb" Version)"
tag="${2:-localhost/sluis:${version//\~/-}}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

cp "$deb" "$work/sluis.deb"
mmdebstrap --quiet --variant=minbase --include=ca-certificates,curl \
  --setup-hook='echo "deb http://deb.debian.org/debian bookworm-backports main" >"$1"/etc/apt/sources.list.d/bookworm-backports.list' \
  --customize-hook='copy-in '"$work/sluis.deb"' /tmp' \
  --customize-hook='chroot "$1" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends /tmp/sluis.deb' \
  --customize-hook='rm -f "$1"/tmp/sluis.deb' \
  --customize-hook='rm -rf "$1"/var/lib/apt/lists/* "$1"/usr/share/doc/* "$1"/usr/share/man/* "$1"/var/cache/apt/*' \
  bookworm "$work/rootfs.tar" >&2
cp "$repo/deploy/container/Containerfile" "$work/Containerfile"
podman build --quiet --format docker --tag "$tag" --file "$work/Containerfile" "$work" >/dev/null
echo "$tag"
