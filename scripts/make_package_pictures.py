"""Redraw the pictures the package ships pre-drawn (iliopsoas_lib/data/pictures/): the five poses and
the front view with no muscle or each muscle highlighted, with a manifest of the content each was drawn
from. Run after changing a drawing or built-in content (or run scripts/regenerate.py, which runs every
generator in order):  python scripts/make_package_pictures.py [--out FOLDER]
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import iliopsoas_lib as il
from iliopsoas_lib.figures.pictures import MANIFEST, draw_front_png, draw_pose_png, front_key, pose_key

FOLDER = Path(__file__).resolve().parents[1] / "iliopsoas_lib" / "data" / "pictures"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--out", type=Path, default=FOLDER, help="folder to write to (default: the package)")
    folder: Path = parser.parse_args(argv).out
    catalog = il.load_catalog()
    folder.mkdir(parents=True, exist_ok=True)
    manifest: dict[str, str] = {}
    for stretch in catalog.stretches.values():
        name = f"pose_{stretch.id}.png"
        (folder / name).write_bytes(draw_pose_png(stretch))
        manifest[name] = pose_key(stretch)
    for highlight in (None, *catalog.muscles):
        name = f"front_{highlight or 'all'}.png"
        (folder / name).write_bytes(draw_front_png(catalog, highlight))
        manifest[name] = front_key(catalog, highlight)
    (folder / MANIFEST).write_text(json.dumps(manifest, indent=1, sort_keys=True) + "\n")
    print(f"wrote {len(manifest)} pictures and {MANIFEST} to {folder}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
