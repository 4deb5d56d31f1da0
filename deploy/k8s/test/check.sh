#!/usr/bin/env bash
# CTest deploy.k8s_manifests: validates deploy/k8s offline (check_manifests.py says how).
# The validator is kubernetes-validate from PyPI, which packages Kubernetes' own OpenAPI
# schemas: no cluster, and no network once the virtualenv exists (tools/ci/python-venv.sh
# makes it in the build tree on first use, pinned by tools/ci/requirements.txt).
# Usage: check.sh WSD_BIN VENV_DIR
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
wsd=${1:?path to wsd}
python=$(bash "$here/../../../tools/ci/python-venv.sh" "${2:?virtualenv directory}")
exec "$python" "$here/check_manifests.py" "$wsd"
