#!/usr/bin/env bash
# Runs the browser tests: usage run.sh NODE [vitest arguments...].
# Where the system permits (root, or user namespaces), they run in a network namespace of
# their own whose only interface is loopback: wsd, the page server and chromium all live
# there, so nothing a page does (WebRTC included) can use any address but 127.0.0.1/::1.
# Elsewhere (or with WSD_BROWSER_NETNS=0) they run on the host's network, where the call
# test signals loopback candidates only.
set -euo pipefail
node=$1
shift
cd "$(dirname "$0")/../.."
vitest=(node_modules/vitest/vitest.mjs run --config vitest.browser.config.ts "$@")
if [ "${WSD_BROWSER_NETNS:-1}" = 1 ] && command -v unshare >/dev/null && command -v ip >/dev/null &&
  unshare -n true 2>/dev/null; then
  exec unshare -n bash -c 'ip link set lo up && export WSD_BROWSER_NETNS=isolated && exec "$@"' bash "$node" "${vitest[@]}"
fi
echo "run.sh: no network namespace here; running on the host's network" >&2
exec "$node" "${vitest[@]}"
