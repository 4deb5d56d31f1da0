#!/usr/bin/env bash
# CTest deploy.nginx_tls: makes a self-signed certificate for 127.0.0.1 with openssl,
# then runs nginx.test.mjs, which starts a real wsd and Debian's nginx (its own prefix,
# pid, logs and temp dirs under a mktemp dir; /etc/nginx and any running service are
# left alone) with deploy/nginx/wsd.conf, and drives WebSocket, SSE and polling clients
# through it over TLS. The certificate is trusted through NODE_EXTRA_CA_CERTS, so the
# clients verify it as they would a real one. Usage: run.sh WSD_BIN
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
export WSD_BIN=${1:?path to wsd}
command -v nginx >/dev/null || { echo "nginx is not installed (deploy/local/install-deps.sh installs it)" >&2; exit 1; }
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj "/CN=localhost" \
  -addext "subjectAltName=IP:127.0.0.1,DNS:localhost" \
  -keyout "$dir/key.pem" -out "$dir/cert.pem" 2>/dev/null
export WSD_NGINX_DIR="$dir" NODE_EXTRA_CA_CERTS="$dir/cert.pem"
cd "$here"
node --test --test-reporter=spec nginx.test.mjs
