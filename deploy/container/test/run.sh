#!/usr/bin/env bash
# CTest deploy.container_image: builds deploy/container/Containerfile with Debian's podman
# and runs the image as shipped, requiring /readyz 200 from wsd inside it, as its
# unprivileged user, with the data dir on the volume, and a passing HEALTHCHECK.
# The base image is Debian 12 made from Debian's archive by mmdebstrap (no registry is
# needed). The base tarball and podman's storage (so its layer cache) are kept in
# WSD_CACHE_DIR (default ~/.cache/wsd), and podman keeps the build stage's compiler cache
# (a cache mount) on the machine, so only the first run pays for the whole compile. Runs
# as root (rootful podman).
# Usage: run.sh
set -euo pipefail
root=$(cd "$(dirname "$0")/../../.." && pwd)
tag=localhost/wsd:0.1.0
base=localhost/wsd-debian:12
for tool in podman mmdebstrap runc curl; do
  command -v "$tool" >/dev/null || { echo "$tool is missing (deploy/local/install-deps.sh installs it)" >&2; exit 1; }
done
cache="${WSD_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/wsd}/container"
mkdir -p "$cache"
# One user of the storage at a time: runs from several build trees wait here.
exec 9>"$cache/lock"
flock 9
work=$(mktemp -d)
container=""
cleanup() {
  [ -n "$container" ] && "${pod[@]}" rm -f -v -t 10 "$container" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT
# runc and explicit limits: they also work where cgroups are mixed v1/v2 and the limits
# may not be raised (crun and podman's default limits fail there).
pod=(podman --root "$cache/storage" --runroot "$cache/run" --storage-driver overlay --runtime runc)
# The port in wsd's "listening on http://HOST:PORT" line, read as the container logs it
# (empty if wsd exits first or says nothing for 60 s).
listening_port() {
  local line
  while IFS= read -r line; do
    if [[ $line =~ listening\ on\ http://[0-9.]+:([0-9]+) ]]; then
      echo "${BASH_REMATCH[1]}"
      return
    fi
  done < <(timeout 60 "${pod[@]}" logs -f "$1" 2>&1)
}
limits=(--ulimit "nofile=$(ulimit -Hn):$(ulimit -Hn)" --ulimit nproc=4096:4096)

if ! "${pod[@]}" image exists "$base"; then
  if [ ! -s "$cache/debian-12.tar" ]; then
    # No mirror named: mmdebstrap takes Debian's own, with updates and security.
    echo "container: making Debian 12 with mmdebstrap"
    mmdebstrap --variant=minbase --format=tar --quiet bookworm "$cache/debian-12.part.tar"
    mv "$cache/debian-12.part.tar" "$cache/debian-12.tar"
  fi
  "${pod[@]}" import --quiet "$cache/debian-12.tar" "$base" >/dev/null
fi

started=$(date +%s)
build=(build --quiet --format docker --network host "${limits[@]}" --build-arg "DEBIAN=$base"
  --ignorefile "$root/deploy/container/containerignore" -f "$root/deploy/container/Containerfile")
# The build stage gets a name of its own, so that pruning below keeps its layers (the
# build dependencies) for the next run, and drops earlier runs' build trees.
nice "${pod[@]}" "${build[@]}" --target build -t localhost/wsd-build:latest "$root" >/dev/null
nice "${pod[@]}" "${build[@]}" -t "$tag" "$root" >/dev/null
"${pod[@]}" image prune -f >/dev/null
echo "container: built $tag in $(($(date +%s) - started)) s ($("${pod[@]}" image inspect --format '{{.Size}}' "$tag") bytes)"

failed=0
fail() { echo "FAIL $*"; failed=1; }
# The image's own settings, as an operator's `podman run` would get them.
expect() {
  local got
  got=$("${pod[@]}" image inspect --format "$1" "$tag")
  [ "$got" = "$2" ] || fail "image $1 is '$got', not '$2'"
}
expect '{{.Config.User}}' 65532:65532
expect '{{json .Config.Volumes}}' '{"/var/lib/wsd":{}}'
expect '{{json .Config.ExposedPorts}}' '{"8080/tcp":{}}'
expect '{{json .Config.Entrypoint}}' '["/usr/local/bin/wsd"]'
expect '{{json .Config.Cmd}}' '["all"]'

# Run it as shipped, on the host's network (the only change: port 0, so that it never
# collides with another test; wsd logs the port it got).
mkdir -m 0777 "$work/data"
# (podman's complaints that no systemd runs its health-check timers go to podman.err.)
container=$("${pod[@]}" run -d --network host "${limits[@]}" -e WSD_LISTEN=127.0.0.1:0 \
  -v "$work/data:/var/lib/wsd" "$tag" 2>>"$work/podman.err")
port=$(listening_port "$container")
if [ -z "$port" ]; then
  "${pod[@]}" logs "$container" 2>&1 | tail -n 20
  cat "$work/podman.err"
  echo "FAIL the container's wsd did not start"
  exit 1
fi
status=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/readyz")
[ "$status" = 200 ] || fail "/readyz answered $status"
user=$("${pod[@]}" exec "$container" id -u)
[ "$user" = 65532 ] || fail "wsd runs as uid $user, not 65532"
[ -d "$work/data/log" ] || fail "the embedded log is not on the volume (no log/ in the data dir)"
# The HEALTHCHECK asks port 8080, the image's own; this run listens elsewhere, so the
# check runs in a second container on the image's defaults (a network of its own).
"${pod[@]}" rm -f -v -t 10 "$container" >/dev/null 2>>"$work/podman.err"
container=$("${pod[@]}" run -d "${limits[@]}" --network none "$tag" 2>>"$work/podman.err")
port=$(listening_port "$container")
[ "$port" = 8080 ] || fail "wsd did not listen on the image's default port 8080 (${port:-not at all})"
"${pod[@]}" healthcheck run "$container" >/dev/null || fail "the image's HEALTHCHECK failed on a running wsd"

if [ "$failed" = 0 ]; then
  echo "container: $tag runs wsd as uid 65532, /readyz 200, data on the volume, HEALTHCHECK passes"
else
  exit 1
fi
