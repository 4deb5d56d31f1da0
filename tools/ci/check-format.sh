#!/usr/bin/env bash
# Fails when a C++ file of the project differs from what .clang-format says.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
git ls-files -co --exclude-standard '*.cpp' '*.h' | grep -v node_modules | xargs clang-format --dry-run -Werror
echo "clang-format: every C++ file is formatted"
