#!/usr/bin/env bash
# Serve the dashboard to the public on this machine: nginx in front of several dashboard workers
# (compression, caching, rate limits, sticky websockets, security headers; see docs/deploy.md).
# Sets up .venv and installs Debian's nginx when missing, then runs scripts/serve_public.py.
#   PORT=8080 WORKERS=2 scripts/serve_public.sh      (Ctrl+C stops nginx and every worker)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$root/scripts/setup.sh"
if ! command -v nginx >/dev/null && [ ! -x /usr/sbin/nginx ]; then
  echo "serve_public: installing Debian's nginx (about 20 s)" >&2
  as_root apt-get update -qq && as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx >/dev/null
fi
cd "$root"
exec python "$root/scripts/serve_public.py"
