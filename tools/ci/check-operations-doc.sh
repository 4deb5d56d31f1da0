#!/usr/bin/env bash
# Fails when docs/operations.md does not list an option of `wsd --help` with its
# environment variable and default, or lists an option `wsd --help` does not have.
set -euo pipefail
wsd=$1 doc=$2
missing=0 flag="" default="" listed=()
while IFS= read -r line; do
  if [[ $line =~ ^\ \ (--[a-z-]+.*)$ ]]; then
    flag=${BASH_REMATCH[1]} default=""
    listed+=("${flag%% *}")
  elif [ -n "$flag" ] && [[ $line =~ \(default:\ (.*)\)$ ]]; then
    default=${BASH_REMATCH[1]}
  elif [ -n "$flag" ] && [[ $line =~ ^\ +env\ (WSD_[A-Z_]+)\; ]]; then
    env=${BASH_REMATCH[1]}
    if ! grep -qF "| \`$flag\` | \`$env\` | $default |" "$doc"; then
      echo "$doc: no row for $flag with variable $env and default '$default'"
      missing=1
    fi
    flag=""
  fi
done < <("$wsd" --help)
# Every documented option row names an option wsd still has.
while IFS= read -r documented; do
  if [[ ! " ${listed[*]} " == *" $documented "* ]]; then
    echo "$doc: lists $documented, which wsd --help does not"
    missing=1
  fi
done < <(grep -oE '^\| `--[a-z-]+' "$doc" | sed 's/^| `//')
[ "$missing" = 0 ] && echo "$doc lists every option of wsd --help with its variable and default"
exit "$missing"
