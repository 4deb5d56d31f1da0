#!/usr/bin/env bash
# Prints the python of a virtualenv with tools/ci/requirements.txt installed, creating
# or updating it first when needed (from PyPI; later runs need no network). Tests that
# run in parallel share it: one creates it while the others wait on its lock.
# Usage: python-venv.sh VENV_DIR
set -euo pipefail
venv=${1:?virtualenv directory}
requirements="$(cd "$(dirname "$0")" && pwd)/requirements.txt"
mkdir -p "$(dirname "$venv")"
exec 9>"$venv.lock"
flock 9
if [ ! -x "$venv/bin/python" ] || ! cmp -s "$requirements" "$venv/requirements.txt"; then
  rm -rf "$venv"
  python3 -m venv "$venv" >&2
  "$venv/bin/pip" install --quiet --disable-pip-version-check -r "$requirements" >&2
  cp "$requirements" "$venv/requirements.txt"
fi
echo "$venv/bin/python"
