"""Write the biomechanics figures for the README as PNGs in docs/, byte-identical on every run.

    python scripts/make_biomechanics_figures.py [--out docs]

docs/biomechanics_side.png: the right hip from the side, thigh 15 degrees behind the body (about a
kneeling hip flexor stretch), both muscle paths drawn by the model. docs/biomechanics_length.png:
length change against hip angle with each stretch's estimated band. Same figure functions as the
notebook and the widget, fixed dpi, no date or version stamp (see iliopsoas_lib.figures.to_png).
"""

from __future__ import annotations

import argparse
from pathlib import Path

from iliopsoas_lib.figures import to_png
from iliopsoas_lib.figures.biomechanics import hip_side_view, length_chart

ROOT = Path(__file__).resolve().parents[1]
DPI = 100
SIDE_VIEW_DEG = -15.0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs", help="folder to write to (default: docs/)")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    figures = {
        "biomechanics_side.png": hip_side_view(SIDE_VIEW_DEG),
        "biomechanics_length.png": length_chart(),
    }
    for name, fig in figures.items():
        path = args.out / name
        data = to_png(fig, dpi=DPI)
        path.write_bytes(data)
        print(f"wrote {path} ({len(data)} bytes)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
