#!/usr/bin/env bash
# The npm registry reachable here lacks some platform builds of optional dependencies; when a
# package's lock entries point at a version the registry lacks, `npm ci` refuses the lock file
# even though `npm install` works. Run this after every dependency change: it proves `npm ci`
# succeeds from package.json + package-lock.json alone, in a scratch folder.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
cp "$root/package.json" "$root/package-lock.json" "$tmp/"
cd "$tmp"
npm ci --no-audit --no-fund --ignore-scripts >/dev/null
echo "npm ci: ok"
