"""Regenerate every generated file in dependency order; ``--check`` says which committed ones are stale.

    python scripts/regenerate.py                    # remake them all (needs Chromium and pdftoppm)
    python scripts/regenerate.py --only docs_figures biomechanics_figures
    python scripts/regenerate.py --check            # remake into a temporary folder, list what differs

Why one command: each generated file has its own script, and a later one reads what an earlier one
wrote (the handout and the dashboard show the stored pose pictures, which show the content). Running
them by hand in the wrong order commits a picture of stale content. tests/test_generated_files.py runs
the same ``--check`` as a test.

Index, in the order the steps run:

==================== ============================== ============================================ =========
step                 script (in scripts/)           writes                                       --check
==================== ============================== ============================================ =========
frontend             build_frontend.py              the dashboard page's script and stylesheet    yes
                                                    (template static/page.*, frontend.html.j2;
                                                    needs npm)
hip_geometry         derive_hip_geometry.py         iliopsoas_lib/data/hip_geometry.toml          yes
content_snapshot     make_content_snapshot.py       the content snapshot (run only if the script  no [1]
                                                    is there)
package_pictures     make_package_pictures.py       iliopsoas_lib/data/pictures/ (poses, front    yes
                                                    views, manifest.json)
docs_figures         make_docs_figures.py           docs/anatomy_front.png                        yes
biomechanics_figures make_biomechanics_figures.py   docs/biomechanics_side.png, _length.png       yes
handout_pictures     make_handout_picture.py        docs/handout_*.png (needs pdftoppm)           yes
app_pictures         make_app_pictures.py           docs/timer.png, docs/dashboard_phone.png      no [2]
                                                    (needs Chromium; starts the dashboard)
notebooks            execute_notebooks.py           the outputs in notebooks/*.ipynb (minutes)    no [3]
==================== ============================== ============================================ =========

[1] It writes only into the package; tests/test_catalog.py checks it. [2] Screenshots of a live page
change with every Chromium release: look at them after remaking them. [3] nbval checks them:
``python -m pytest --nbval notebooks -p no:cacheprovider``.
Not made here: tests/data/article_shingles.txt (``scripts/make_article_shingles.py ARTICLE``) needs the
source article, which the project does not keep.

Pictures are compared by what a reader sees, not byte for byte (see :func:`picture_difference`): a
matplotlib, FreeType or poppler upgrade renders text a little differently, and that must not make every
picture "stale"; a moved label, a new colour or a new size still does.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PIL import Image, ImageFilter

ROOT = Path(__file__).resolve().parents[1]
SCRIPTS = ROOT / "scripts"
TEMPLATE = "iliopsoas_lib/server/share/voila/templates/iliopsoas"  # the dashboard's Voilà template


@dataclass(frozen=True)
class Step:
    """One generator: its script, the committed files it writes and how to point it at another folder."""

    name: str
    script: str
    makes: tuple[str, ...]  # globs, relative to the repository root, of the files it writes
    out: tuple[str, ...] = ()  # its arguments to write under a root ("{root}"); () = cannot write elsewhere
    checked: bool = True  # False: --check leaves it out (the index says why and what checks it instead)
    optional: bool = False  # skipped without complaint when its script is not there

    def committed(self, root: Path = ROOT) -> list[str]:
        """The files this step has written under ``root``, as sorted repository-relative paths."""
        found = {
            p.relative_to(root).as_posix() for glob in self.makes for p in root.glob(glob) if p.is_file()
        }
        return sorted(found)


STEPS: tuple[Step, ...] = (
    Step(
        "frontend",
        "build_frontend.py",
        (f"{TEMPLATE}/static/page.*", f"{TEMPLATE}/frontend.html.j2"),
        ("--out", f"{{root}}/{TEMPLATE}"),
    ),
    Step(
        "hip_geometry",
        "derive_hip_geometry.py",
        ("iliopsoas_lib/data/hip_geometry.toml",),
        ("--out", "{root}/iliopsoas_lib/data/hip_geometry.toml"),
    ),
    Step("content_snapshot", "make_content_snapshot.py", (), checked=False, optional=True),
    Step(
        "package_pictures",
        "make_package_pictures.py",
        ("iliopsoas_lib/data/pictures/*",),
        ("--out", "{root}/iliopsoas_lib/data/pictures"),
    ),
    Step("docs_figures", "make_docs_figures.py", ("docs/anatomy_*.png",), ("--out", "{root}/docs")),
    Step(
        "biomechanics_figures",
        "make_biomechanics_figures.py",
        ("docs/biomechanics_*.png",),
        ("--out", "{root}/docs"),
    ),
    Step("handout_pictures", "make_handout_picture.py", ("docs/handout_*.png",), ("--out", "{root}/docs")),
    Step(
        "app_pictures",
        "make_app_pictures.py",
        ("docs/timer.png", "docs/dashboard_phone.png"),
        ("--out", "{root}/docs"),
        checked=False,
    ),
    Step("notebooks", "execute_notebooks.py", ("notebooks/*.ipynb",), checked=False),
)
CHECKED = tuple(step for step in STEPS if step.checked)

# How tolerant a picture comparison is (see picture_difference). Measured on anatomy_front, a pose and the
# length chart: a redraw with text antialiasing off or FreeType hinting off, or a 1-pixel blur, leaves at
# most 120 pixels changed; a title moved by 4 points (about 6 pixels) 800-1,200, a muscle drawn in another
# colour (or a fill 8 levels darker) thousands. Not caught: a short label (2-7 letters) moved by up to
# 8 points, which is as much ink as a hinting change moves; the figure tests check where labels go.
BLUR_RADIUS = 1.5  # pixels: softens glyph edges, so antialiasing and hinting stop mattering
NEIGHBOURHOOD = 5  # pixels square: a stroke may move a pixel or two either way
EDGE_TOLERANCE = 40  # of 255 per channel, near edges (after the blur)
FILL_TOLERANCE = 4  # of 255 per channel, inside flat areas, which font rendering never touches
MAX_CHANGED_PIXELS = 200  # about a 14-pixel square: less than any label a reader could notice moving


def _on_white(image: Image.Image) -> Image.Image:
    """The picture as a reader sees it: transparency laid on white, in RGB."""
    rgba = image.convert("RGBA")
    return Image.alpha_composite(Image.new("RGBA", rgba.size, "white"), rgba).convert("RGB")


def _pixels(image: Image.Image) -> np.ndarray:
    return np.asarray(image, dtype=np.int16)


def _unexplained(a: Image.Image, b: Image.Image) -> np.ndarray:
    """Pixels of ``a`` whose colour is found nowhere near the same place in ``b`` (within tolerance)."""
    low = _pixels(b.filter(ImageFilter.MinFilter(NEIGHBOURHOOD)))
    high = _pixels(b.filter(ImageFilter.MaxFilter(NEIGHBOURHOOD)))
    x = _pixels(a)
    return np.asarray(((x < low - EDGE_TOLERANCE) | (x > high + EDGE_TOLERANCE)).any(axis=2))


def _flat(image: Image.Image) -> np.ndarray:
    """Pixels inside an area of one colour (no edge within the neighbourhood)."""
    low = _pixels(image.filter(ImageFilter.MinFilter(NEIGHBOURHOOD)))
    high = _pixels(image.filter(ImageFilter.MaxFilter(NEIGHBOURHOOD)))
    return np.asarray(((high - low) <= FILL_TOLERANCE).all(axis=2))


def changed_pixels(old: Image.Image, new: Image.Image) -> np.ndarray:
    """Where two same-size pictures (RGB on white) differ beyond what font rendering changes."""
    both_flat = _flat(old) & _flat(new)
    recoloured = both_flat & (np.abs(_pixels(old) - _pixels(new)) > FILL_TOLERANCE).any(axis=2)
    old_soft = old.filter(ImageFilter.GaussianBlur(BLUR_RADIUS))
    new_soft = new.filter(ImageFilter.GaussianBlur(BLUR_RADIUS))
    return recoloured | _unexplained(old_soft, new_soft) | _unexplained(new_soft, old_soft)


def picture_difference(committed: Path, fresh: Path) -> str | None:
    """Why ``fresh`` looks different from ``committed`` to a reader, or None when it does not.

    Not byte equality: a matplotlib, FreeType or poppler upgrade draws the same text with other
    antialiasing and hinting, which changes the bytes of every picture without changing what it shows.
    So: the same size; inside flat areas (where font rendering never reaches) the same colour; and near
    edges, after a slight blur, every pixel's colour found within two pixels of the same place in the
    other picture. A moved label, a new colour or a new layout fails; a redrawn glyph edge does not.
    """
    with Image.open(committed) as old_image, Image.open(fresh) as new_image:
        old, new = _on_white(old_image), _on_white(new_image)
    if old.size != new.size:
        return f"size {old.size[0]}x{old.size[1]} is now {new.size[0]}x{new.size[1]}"
    changed = changed_pixels(old, new)
    count = int(changed.sum())
    if count <= MAX_CHANGED_PIXELS:
        return None
    ys, xs = np.nonzero(changed)
    return (
        f"{count} pixels look different (at most {MAX_CHANGED_PIXELS} allowed for rendering noise), "
        f"within x {xs.min()}-{xs.max()}, y {ys.min()}-{ys.max()}"
    )


def difference(committed: Path, fresh: Path) -> str | None:
    """Why a committed generated file is not what its generator makes now, or None when it is."""
    if not committed.is_file():
        return "not committed, but the generator makes it"
    if not fresh.is_file():
        return "committed, but the generator no longer makes it"
    if committed.suffix == ".png":
        return picture_difference(committed, fresh)
    old, new = committed.read_bytes(), fresh.read_bytes()
    if old == new:
        return None
    old_lines, new_lines = old.splitlines(), new.splitlines()
    first = next(
        (i for i, (a, b) in enumerate(zip(old_lines, new_lines, strict=False)) if a != b),
        min(len(old_lines), len(new_lines)),
    )
    return f"differs from line {first + 1} on"


def make(step: Step, root: Path = ROOT) -> None:
    """Run one generator so that it writes under ``root`` (the repository itself, or a scratch mirror)."""
    args = [a.replace("{root}", str(root)) for a in step.out]
    if root != ROOT and not step.out:
        raise ValueError(f"{step.name} can only write into the repository")
    for arg in args:  # some generators write into an existing folder only
        if arg.startswith(str(root)):
            Path(arg).parent.mkdir(parents=True, exist_ok=True)
    command = [sys.executable, str(SCRIPTS / step.script), *args]
    subprocess.run(command, cwd=ROOT, check=True, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)


def stale(step: Step, fresh_root: Path) -> dict[str, str]:
    """Committed files of ``step`` that differ from those it made under ``fresh_root``: path -> why."""
    paths = sorted(set(step.committed(ROOT)) | set(step.committed(fresh_root)))
    found = {path: difference(ROOT / path, fresh_root / path) for path in paths}
    return {path: why for path, why in found.items() if why is not None}


def _selected(only: list[str] | None, skip: list[str]) -> list[Step]:
    return [s for s in STEPS if (not only or s.name in only) and s.name not in skip]


def regenerate(steps: list[Step]) -> int:
    for step in steps:
        if step.optional and not (SCRIPTS / step.script).is_file():
            print(f"{step.name}: skipped (scripts/{step.script} is not there)")
            continue
        print(f"{step.name}: python scripts/{step.script}", flush=True)
        try:
            make(step)
        except subprocess.CalledProcessError as exc:
            print(exc.stdout, file=sys.stderr)
            print(f"{step.name} failed (exit {exc.returncode}); later steps not run", file=sys.stderr)
            return 1
    return 0


def check(steps: list[Step], fresh_root: Path) -> int:
    problems = 0
    for step in steps:
        if not step.checked:
            print(f"{step.name}: not compared here (see the index in scripts/regenerate.py)")
            continue
        try:
            make(step, fresh_root)
        except subprocess.CalledProcessError as exc:
            print(exc.stdout, file=sys.stderr)
            print(f"{step.name}: the generator failed (exit {exc.returncode})")
            problems += 1
            continue
        found = stale(step, fresh_root)
        for path, why in found.items():
            print(f"{step.name}: STALE {path}: {why}")
        problems += len(found)
        if not found:
            print(f"{step.name}: current ({len(step.committed())} files)")
    if problems:
        print(f"{problems} stale: run python scripts/regenerate.py --only STEP, look, and commit")
    return 1 if problems else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    names = [s.name for s in STEPS]
    parser.add_argument("--check", action="store_true", help="compare, do not write into the repository")
    parser.add_argument("--only", nargs="+", choices=names, metavar="STEP", help="run just these steps")
    parser.add_argument(
        "--skip", nargs="+", choices=names, default=[], metavar="STEP", help="leave these out"
    )
    parser.add_argument("--fresh", type=Path, help="with --check: keep the fresh files here to look at")
    options = parser.parse_args(argv)
    steps = _selected(options.only, options.skip)
    if not options.check:
        return regenerate(steps)
    if options.fresh is not None:
        options.fresh.mkdir(parents=True, exist_ok=True)
        return check(steps, options.fresh.resolve())
    with tempfile.TemporaryDirectory(prefix="regenerated-") as folder:
        return check(steps, Path(folder))


if __name__ == "__main__":
    sys.exit(main())
