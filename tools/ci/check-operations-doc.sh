#!/usr/bin/env bash
# Fails when docs/operations.md does not list an option of `wsd --help` with its default.
set -euo pipefail
wsd=$1 doc=$2
missing=0 flag=""
while IFS= read -r line; do
  if [[ $line =~ ^\ \ (--[a-z-]+.*)$ ]]; then
    flag=${BASH_REMATCH[1]}
  elif [ -n "$flag" ]; then
    if [[ $line =~ \(default:\ (.*)\)$ ]]; then
      default=${BASH_REMATCH[1]}
      if ! grep -qF "| \`$flag\` | $default |" "$doc"; then
        echo "$doc: no row for $flag with default '$default'"
        missing=1
      fi
    fi
    flag=""
  fi
done < <("$wsd" --help)
[ "$missing" = 0 ] && echo "$doc lists every option of wsd --help with its default"
exit "$missing"
