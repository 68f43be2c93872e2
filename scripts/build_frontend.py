"""Build the dashboard page's own front end (frontend/) into the project's Voilà template.

    python scripts/build_frontend.py             # into the template, iliopsoas_lib/server/share/voila/...
    python scripts/build_frontend.py --out DIR   # elsewhere (scripts/regenerate.py --check does this)

Why a build: the page's script is ipywidgets, @jupyterlab/services' kernel connection and anywidget put
together by esbuild from the npm registry (frontend/src/page.js says why the page does not use Voilà's
own front end). The built files are committed, so starting the dashboard and installing the package need
no Node.js; tests/test_generated_files.py rebuilds them here and compares, so a source edit without a
rebuild fails CI.

Installs frontend/node_modules with ``npm ci`` (exactly package-lock.json) when the lock file changed.
"""

from __future__ import annotations

import argparse
import hashlib
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FRONTEND = ROOT / "frontend"
TEMPLATE = ROOT / "iliopsoas_lib" / "server" / "share" / "voila" / "templates" / "iliopsoas"


def _npm_ci() -> None:
    """Install the locked packages, unless this lock file's packages are already there."""
    lock = (FRONTEND / "package-lock.json").read_bytes()
    stamp = FRONTEND / "node_modules" / f".installed-{hashlib.sha256(lock).hexdigest()[:16]}"
    if stamp.is_file():
        return
    npm = shutil.which("npm")
    if npm is None:
        sys.exit("build_frontend: npm is needed (Debian: apt-get install nodejs npm)")
    subprocess.run(
        [npm, "ci", "--no-audit", "--no-fund", "--loglevel=error"], cwd=FRONTEND, check=True
    )
    stamp.touch()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=TEMPLATE, help="the template folder to write into")
    args = parser.parse_args(argv)
    _npm_ci()
    node = shutil.which("node")
    if node is None:
        sys.exit("build_frontend: node is needed (Debian: apt-get install nodejs)")
    subprocess.run([node, str(FRONTEND / "build.mjs"), str(args.out)], cwd=FRONTEND, check=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
