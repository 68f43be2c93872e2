"""Write the anatomy figure the README shows (docs/anatomy_front.png), so it can be made again.

    python scripts/make_docs_figures.py [--out FOLDER]

Only pictures something shows are made (tests/test_generated_files.py checks that each docs/ picture is
shown); scripts/regenerate.py runs this with the other generators, in order.

The PNGs come from the same figure functions the notebooks and the dashboard call, at a fixed dpi and
with no date or version stamp in them, so running this again on an unchanged library gives the same
bytes (and git shows no change).
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from matplotlib.figure import Figure

import iliopsoas_lib as il
from iliopsoas_lib.figures import to_png
from iliopsoas_lib.figures.anatomy_front import front_view

ROOT = Path(__file__).resolve().parents[1]
DPI = 100


def figures(catalog: il.Catalog) -> dict[str, Figure]:
    """File name -> figure, for every PNG this script writes in docs/."""
    return {"anatomy_front.png": front_view(catalog)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs", help="folder to write to (default: docs/)")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    catalog = il.load_catalog()
    for name, fig in figures(catalog).items():
        start = time.perf_counter()
        data = to_png(fig, dpi=DPI)
        path = args.out / name
        changed = not path.exists() or path.read_bytes() != data
        if changed:
            path.write_bytes(data)
        state = "written" if changed else "unchanged"
        print(
            f"{path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}: {state} "
            f"({len(data) // 1024} KiB, {1000 * (time.perf_counter() - start):.0f} ms to render)"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
