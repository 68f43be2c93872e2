#!/usr/bin/env bash
# Set up everything (virtual environment, packages, Debian's Chromium) and run every test:
# ruff, the unit tests, nbval over every notebook, and the browser tests in headless Chromium.
# Extra arguments go to pytest (e.g. scripts/test.sh -k timer).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$root/scripts/setup.sh"
if [ ! -x /usr/bin/chromium ]; then
  echo "test: installing Debian's chromium for the browser tests (about 30 s)" >&2
  as_root apt-get update -qq && as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
fi
cd "$root"
echo "== ruff" && ruff check .
echo "== pytest: unit tests, nbval over notebooks/, browser tests"
exec python -m pytest tests notebooks --nbval -p no:cacheprovider "$@"
