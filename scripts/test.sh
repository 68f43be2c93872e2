#!/usr/bin/env bash
# Set up everything (virtual environment, packages, Debian's Chromium) and run every test:
# ruff, mypy over the library, the unit tests, nbval over every notebook, and the browser tests in
# headless Chromium.
# Extra arguments go to pytest (e.g. scripts/test.sh -k timer).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$root/scripts/setup.sh"
if [ ! -x /usr/bin/chromium ]; then
  echo "test: installing Debian's chromium for the browser tests (about 30 s)" >&2
  as_root apt-get update -qq && as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
fi
if [ ! -x /usr/sbin/nginx ] && ! command -v nginx >/dev/null; then
  echo "test: installing Debian's nginx for the production-stack test (about 20 s)" >&2
  as_root apt-get update -qq && as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx >/dev/null
fi
if [ ! -f /usr/share/fonts/truetype/noto/NotoSansArabic-Regular.ttf ] || [ ! -f /usr/share/fonts-droid-fallback/truetype/DroidSansFallback.ttf ] || ! command -v pdffonts >/dev/null; then
  echo "test: installing Debian's fonts for every script and poppler-utils (pdffonts) for the handout tests" >&2
  as_root apt-get update -qq && as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq fonts-noto-core fonts-droid-fallback fonts-dejavu-core poppler-utils >/dev/null
fi
if ! command -v npm >/dev/null; then
  echo "test: installing Debian's nodejs and npm (the page's front-end build, axe-core, the hub's proxy)" >&2
  as_root apt-get update -qq && as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm >/dev/null
fi
cd "$root"
[ -f .cache/npm/node_modules/axe-core/axe.min.js ] || npm install --prefix .cache/npm --no-audit --no-fund --silent -E axe-core@4.10.3 >&2  # for tests/browser/test_accessibility.py
[ -f .cache/npm/node_modules/node-ical/package.json ] || npm install --prefix .cache/npm --no-audit --no-fund --silent -E node-ical@0.27.2 >&2  # for tests/test_calendar.py (read back with node)
grep -qs '"version": "5.3.0"' .cache/npm/node_modules/configurable-http-proxy/package.json || npm install --prefix .cache/npm --no-audit --no-fund --silent -E configurable-http-proxy@5.3.0 >&2  # the hub's proxy, for tests/browser/test_jupyterhub.py
# tests/test_generated_files.py rebuilds the page's front end (npm ci into frontend/node_modules) and compares.
echo "== ruff" && ruff check .
echo "== mypy" && mypy iliopsoas_lib  # settings in pyproject.toml [tool.mypy]
echo "== pytest: unit tests, nbval over notebooks/, browser tests"
exec python -m pytest tests notebooks --nbval -p no:cacheprovider "$@"
