#!/usr/bin/env bash
# Runs a Python script in the tests' virtualenv (python-venv.sh creates it on first use).
# Usage: python-run.sh VENV_DIR SCRIPT [ARGS...]
set -euo pipefail
venv=${1:?virtualenv directory}
shift
python=$(bash "$(dirname "$0")/python-venv.sh" "$venv")
exec "$python" "$@"
