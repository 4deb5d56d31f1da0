#!/usr/bin/env bash
# Starts a wsd (`wsd all`) on a free port with a fresh data dir, sending mail to an SMTP
# sink, and runs the whole kit against it, mail cases included. Then checks that the run
# left the server's projects as it found them (a project of the operator's own stays, none
# of the cases' remains, nor so any of their tokens), and that with --keep one case's
# project stays.
# Usage: run-against-wsd.sh WSCONFORM WSD CASES_DIR [wsconform options...]
set -euo pipefail
wsconform=$1 wsd=$2 cases=$3
shift 3
here=$(cd "$(dirname "$0")" && pwd)
source "$here/processes.sh"
data=$(mktemp -d)
trap 'stop_started; rm -rf "$data"' EXIT
start_smtp_sink "$data"
token=$(head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n')
# The short timeouts the cases declare (serverSettings), so that those cases finish quickly.
settings=$("$wsconform" --cases "$cases" --server-settings)
read -ra quick <<<"$settings"
start_process "$data/wsd.log" "$wsd" all --listen 127.0.0.1:0 --data-dir "$data" --admin-token "$token" \
  "${quick[@]}" --smtp-url "smtp://127.0.0.1:$smtp_port"
line=$(await_line "$data/wsd.log" 'listening on http://127\.0\.0\.1:[0-9]+' "$started_pid" "wsd")
url="http://127.0.0.1:$(port_of "$line")"
# The keys of the projects the server has.
projects() { curl -sf -H "Authorization: Bearer $token" "$url/project" | python3 -c \
  'import json, sys; print(" ".join(sorted(p["key"] for p in json.load(sys.stdin)["projects"])))'; }
curl -sf -H "Authorization: Bearer $token" -d '{"key":"operators-own","name":"kept"}' "$url/project" >/dev/null
before=$(projects)

status=0
"$wsconform" --url "$url" --admin-token "$token" --cases "$cases" --profile full --with-mail "$@" || status=$?
[ "$status" -eq 0 ] || { echo "---- wsd (last lines)"; tail -n 30 "$data/wsd.log"; exit "$status"; }

after=$(projects)
[ "$after" == "$before" ] || { echo "FAIL: projects before the run: '$before', after: '$after'"; exit 1; }
"$wsconform" --url "$url" --admin-token "$token" --cases "$cases" --filter seed/bind-and-send --transport ws --keep \
  >/dev/null
kept=$(projects)
[[ "$kept" == conf_*" operators-own" ]] || { echo "FAIL: with --keep, the case's project is gone (projects: '$kept')"; exit 1; }
echo "cleanup: a run leaves the server's projects as it found them; --keep keeps the cases' ones"
