"""Write the figures shown in the README and docs as PNGs in docs/, so they can be made again.

    python scripts/make_docs_figures.py

The PNGs come from the same figure functions the notebooks and the dashboard call, at a fixed dpi and
with no date or version stamp in them, so running this again on an unchanged library gives the same
bytes (and git shows no change).
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import iliopsoas_lib as il
from iliopsoas_lib.figures import to_png
from iliopsoas_lib.figures.anatomy import front_view, side_view
from iliopsoas_lib.figures.poses import pose_figure

ROOT = Path(__file__).resolve().parents[1]
DPI = 100


def figures(catalog) -> dict[str, object]:
    """File name -> figure, for every PNG in docs/."""
    out: dict[str, object] = {
        "anatomy_front.png": front_view(catalog),
        "anatomy_side.png": side_view((90.0, 0.0, -15.0)),
    }
    for stretch in catalog.stretches.values():
        out[f"pose_{stretch.id}.png"] = pose_figure(stretch)
    return out


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
