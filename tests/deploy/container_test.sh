#!/usr/bin/env bash
# The OCI image, built and started: deploy/debian/build-deb.sh packages BINARY,
# deploy/container/build-image.sh builds the image on it, and podman runs it the way the image is
# meant to run: as the sluis user, with a read-only root file system, the data directory as a
# volume and the key as a read-only file. `sluis init` and `sluis serve` run in it, /healthz
# answers through the published port, the image's own health check passes, and SIGTERM stops it
# with exit code 0. The image, the container and the files are removed afterwards.
#
#   tests/deploy/container_test.sh BINARY
#
# This machine kind runs containers with runc (crun refuses its hybrid cgroups) and with ulimits
# no higher than its own hard limits: SLUIS_PODMAN_RUN_FLAGS holds those flags.
set -euo pipefail
export SLUIS_DEB_COMPRESSION="${SLUIS_DEB_COMPRESSION:-gzip}"

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
binary="$(realpath "$1")"
work="$(mktemp -d)"
tag="localhost/sluis-test:$$"
name="sluis-test-$$"
cleanup() {
  podman rm -f "$name" >/dev/null 2>&1 || true
  podman rmi -f "$tag" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT
chmod 0755 "$work"
fail() { echo "FAIL: $*" >&2; exit 1; }
step() { echo "--- $*"; }
read -r -a flags <<<"${SLUIS_PODMAN_RUN_FLAGS:---runtime runc --ulimit nofile=$(ulimit -Hn):$(ulimit -Hn) --ulimit nproc=32768:32768}"

step "package and image"
deb="$("$repo/deploy/debian/build-deb.sh" "$binary" "$work/debs")"
"$repo/deploy/container/build-image.sh" "$deb" "$tag" >/dev/null 2>"$work/image.log" ||
  { tail -20 "$work/image.log"; fail "building the image"; }
[ "$(podman image inspect "$tag" --format '{{.Config.User}}')" = sluis ] || fail "the image's user is not sluis"
podman image inspect "$tag" --format '{{json .Config.Healthcheck}}' | grep -q healthz ||
  fail "the image has no health check on /healthz"

step "init, as the image's user, with a read-only root"
uid="$(podman run --rm "${flags[@]}" --entrypoint id "$tag" -u 2>/dev/null)"
gid="$(podman run --rm "${flags[@]}" --entrypoint id "$tag" -g 2>/dev/null)"
[ "$uid" != 0 ] || fail "the container runs as root"
data="$work/data"
mkdir -m 0700 "$data"
"$repo/deploy/dev-pki.sh" "$data" >/dev/null
(umask 077 && head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n' >"$work/kek.key" && echo >>"$work/kek.key")
chmod 0400 "$work/kek.key"
chown "$uid:$gid" "$work/kek.key"
chown -R "$uid:$gid" "$data"
mounts=(-v "$data:/var/lib/sluis" -v "$work/kek.key:/run/secrets/kek.key:ro")
podman run --rm "${flags[@]}" --read-only "${mounts[@]}" "$tag" init --data /var/lib/sluis \
  --key-file /run/secrets/kek.key --config /etc/sluis/config.toml \
  --policy /etc/sluis/policy.toml >"$work/init.log" 2>&1 || { cat "$work/init.log"; fail "init"; }
[ -f "$data/keyring.toml" ] || fail "init wrote no keyring into the volume"

step "serve, /healthz, the health check"
podman run -d --name "$name" "${flags[@]}" --read-only -p 127.0.0.1::8443 "${mounts[@]}" "$tag" \
  >/dev/null 2>"$work/run.log" || { cat "$work/run.log"; fail "run"; }
port="$(podman port "$name" 8443/tcp | sed 's/.*://')"
code=""
for _ in $(seq 1 300); do
  code="$(curl -s -o /dev/null -w '%{http_code}' --cacert "$data/pki/ca.pem" \
    "https://localhost:$port/healthz" || true)"
  [ "$code" = 200 ] && break
  sleep 0.1
done
[ "$code" = 200 ] || { podman logs "$name" 2>&1 | tail -20; fail "/healthz answered '$code'"; }
podman healthcheck run "$name" >/dev/null 2>&1 || fail "the image's health check fails"
[ "$(podman inspect "$name" --format '{{.HostConfig.ReadonlyRootfs}}')" = true ] ||
  fail "the root file system is not read-only"
[ "$(stat -c '%u' "$data/sluis.db")" = "$uid" ] || fail "sluis.db is not the container user's"

step "stop"
podman stop --time 30 "$name" >/dev/null 2>&1
[ "$(podman inspect "$name" --format '{{.State.ExitCode}}')" = 0 ] ||
  { podman logs "$name" 2>&1 | tail -20; fail "the gateway did not stop cleanly"; }
echo "ok"
