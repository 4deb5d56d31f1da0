#!/usr/bin/env bash
# Fetches the libwebsockets source the gateway is built on (Debian 13's source package,
# orig tarball) through the machine's own Debian mirror, checks its SHA-256, and caches
# it so later builds work offline. The version and hash live in cmake/libwebsockets.cmake
# alone; this script reads them from there. Prints the cached tarball's path.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
pin() { sed -n "s/^set($1 \"\\(.*\\)\")/\\1/p" "$root/cmake/libwebsockets.cmake"; }
version=$(pin WSD_LWS_VERSION)
sha256=$(pin WSD_LWS_SHA256)
suite=$(pin WSD_LWS_DEBIAN_SUITE)
tarball="libwebsockets_${version}.orig.tar.gz"
cache="${WSD_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/wsd}"
mkdir -p "$cache"

verified() { [ -f "$1" ] && echo "$sha256  $1" | sha256sum --check --status; }
if verified "$cache/$tarball"; then
  echo "$cache/$tarball"
  exit 0
fi

# The first Debian archive URI among the apt sources (deb822 .sources or one-line lists),
# skipping the security archive, which carries no orig tarballs of its own.
mirror_uri() {
  {
    sed -n 's/^URIs:[[:space:]]*//p' /etc/apt/sources.list.d/*.sources 2>/dev/null | tr ' ' '\n' || true
    cat /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null |
      sed -n 's/^deb\(-src\)\?[[:space:]]\+\(\[[^]]*\][[:space:]]\+\)\?\([^[:space:]]\+\).*/\3/p'
  } | grep -E '^(https?|ftp)://' | grep -v -- '-security' | grep -E '/debian/?$' | head -n 1
}
mirror=$(mirror_uri || true)
if [ -z "$mirror" ]; then
  echo "fetch-libwebsockets: no Debian mirror in /etc/apt/sources.list(.d)" >&2
  exit 1
fi
mirror=${mirror%/}

work=$(mktemp -d "$cache/fetch.XXXXXX")
trap 'rm -rf "$work"' EXIT

# A private apt: its own source list, lists and cache directories, so the system's apt
# state is untouched. Only the source package index of the one suite is downloaded.
fetch_with_apt() {
  mkdir -p "$work/lists/partial" "$work/archives/partial" "$work/parts" "$work/prefs"
  local keyring=/usr/share/keyrings/debian-archive-keyring.gpg
  echo "deb-src [signed-by=$keyring] $mirror $suite main" >"$work/sources.list"
  local opts=(-o "Dir::Etc::sourcelist=$work/sources.list" -o "Dir::Etc::sourceparts=$work/parts"
    -o "Dir::Etc::preferencesparts=$work/prefs" -o "Dir::State::Lists=$work/lists"
    -o "Dir::Cache=$work" -o "Dir::Cache::archives=$work/archives"
    -o "APT::Sandbox::User=root" -o "Acquire::Languages=none")
  apt-get "${opts[@]}" -qq update >"$work/apt.log" 2>&1 || { cat "$work/apt.log" >&2; return 1; }
  # The .dsc and .debian.tar.xz may be missing on the mirror; only the orig tarball is
  # needed, so a partial download is judged by the tarball alone.
  (cd "$work" && apt-get "${opts[@]}" -qq source --download-only libwebsockets >>"$work/apt.log" 2>&1) || true
  if [ ! -f "$work/$tarball" ]; then
    cat "$work/apt.log" >&2
    return 1
  fi
  mv "$work/$tarball" "$work/candidate"
}

fetch_from_pool() {
  curl -fsSL --retry 3 -o "$work/candidate" "$mirror/pool/main/libw/libwebsockets/$tarball"
}

if ! fetch_with_apt; then
  echo "fetch-libwebsockets: apt could not fetch $tarball; trying the mirror's pool" >&2
  fetch_from_pool
fi
if ! verified "$work/candidate"; then
  echo "fetch-libwebsockets: $tarball does not have SHA-256 $sha256; not using it" >&2
  exit 1
fi
mv "$work/candidate" "$cache/$tarball"
echo "$cache/$tarball"
