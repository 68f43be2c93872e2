"""Redraw the pictures the package ships pre-drawn (iliopsoas_lib/data/pictures/): the five poses and
the front view with no muscle or each muscle highlighted, with a manifest of the content each was drawn
from. Run after changing a drawing or built-in content:  python scripts/make_package_pictures.py
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import iliopsoas_lib as il
from iliopsoas_lib.figures.pictures import MANIFEST, draw_front_png, draw_pose_png, front_key, pose_key

FOLDER = Path(__file__).resolve().parents[1] / "iliopsoas_lib" / "data" / "pictures"


def main() -> int:
    catalog = il.load_catalog()
    FOLDER.mkdir(exist_ok=True)
    manifest: dict[str, str] = {}
    for stretch in catalog.stretches.values():
        name = f"pose_{stretch.id}.png"
        (FOLDER / name).write_bytes(draw_pose_png(stretch))
        manifest[name] = pose_key(stretch)
    for highlight in (None, *catalog.muscles):
        name = f"front_{highlight or 'all'}.png"
        (FOLDER / name).write_bytes(draw_front_png(catalog, highlight))
        manifest[name] = front_key(catalog, highlight)
    (FOLDER / MANIFEST).write_text(json.dumps(manifest, indent=1, sort_keys=True) + "\n")
    print(f"wrote {len(manifest)} pictures and {MANIFEST} to {FOLDER}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
