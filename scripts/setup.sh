#!/usr/bin/env bash
# Create .venv with the project, its dashboard and its test tools (the dashboard and test extras: what
# scripts/start.sh and scripts/test.sh need), on a fresh Debian machine with Python 3.11.
# Sourced by scripts/start.sh and scripts/test.sh; safe to run again (it only reinstalls when
# pyproject.toml or setup.py changed). Set ILIOPSOAS_VENV to use another folder.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
venv="${ILIOPSOAS_VENV:-$root/.venv}"

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else
  echo "setup: need root (or sudo) to run: $*" >&2; return 1; fi; }

python=""
for candidate in python3.11 python3.12 python3.13 python3; do
  if command -v "$candidate" >/dev/null && "$candidate" -c 'import sys; sys.exit(sys.version_info < (3, 11))'; then
    python="$candidate"; break
  fi
done
[ -n "$python" ] || { echo "setup: Python 3.11 or newer is needed (apt-get install python3)" >&2; exit 1; }

if [ ! -x "$venv/bin/python" ]; then
  if ! "$python" -m venv "$venv" 2>/dev/null; then
    echo "setup: installing Debian's python3-venv" >&2
    as_root apt-get update -qq && as_root apt-get install -y -qq python3-venv >/dev/null
    rm -rf "$venv"; "$python" -m venv "$venv"
  fi
fi

stamp="$venv/.installed-$(cat "$root/pyproject.toml" "$root/setup.py" | sha256sum | cut -c1-16)"
if [ ! -f "$stamp" ]; then
  echo "setup: installing the project and its tools into $venv (about a minute)" >&2
  "$venv/bin/python" -m pip install -q --upgrade pip 2>&1 | grep -v "is ignored" || true
  "$venv/bin/python" -m pip install -q -e "$root[dashboard,test]" 2>&1 | grep -v "is ignored" || true
  "$venv/bin/python" -c "import iliopsoas_lib, voila, nbval, playwright, mypy" \
    || { echo "setup: the install failed; see the pip output above" >&2; exit 1; }
  rm -f "$venv"/.installed-*; touch "$stamp"
fi
export PATH="$venv/bin:$PATH" VIRTUAL_ENV="$venv"
