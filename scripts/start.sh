#!/usr/bin/env bash
# Set up everything and start the explainer on a local port; prints the address to open.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$root/scripts/setup.sh"
cd "$root"
port="${PORT:-8866}"
echo "Starting JupyterLab on the notebooks: open http://localhost:$port/lab"
exec jupyter lab --no-browser --port "$port" --ServerApp.root_dir="$root/notebooks"
