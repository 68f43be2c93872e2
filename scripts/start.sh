#!/usr/bin/env bash
# Set up everything and start the dashboard on a local port: `iliopsoas serve`, Voilà through the
# project's launcher (iliopsoas_lib/server: voila.json's settings applied, kernel cap, busy page).
# PORT=9000 scripts/start.sh picks another port. For the notebooks, run: .venv/bin/jupyter lab notebooks/
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$root/scripts/setup.sh"
if [ ! -f /usr/share/fonts/truetype/noto/NotoSansArabic-Regular.ttf ] || [ ! -f /usr/share/fonts-droid-fallback/truetype/DroidSansFallback.ttf ]; then
  echo "start: installing Debian's fonts for every script (handouts print any name)" >&2
  as_root apt-get update -qq && as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq fonts-noto-core fonts-droid-fallback fonts-dejavu-core >/dev/null
fi
port="${PORT:-8866}"
echo "Starting the iliopsoas dashboard: open http://localhost:$port/ (Ctrl+C stops it)"
exec iliopsoas serve --port "$port"  # this checkout's voila.json and notebooks/dashboard.ipynb
