"""Every generated file is what its generator makes today: the one "still current?" test.

The generators run once into a scratch folder (``scripts/regenerate.py``'s ``--check``, the same code),
and each committed file is compared with its fresh copy: text byte for byte, pictures by what a reader
sees (``picture_difference``: a matplotlib, FreeType or poppler upgrade redraws glyph edges, which must
not fail the test, while a moved label or a new colour must). The index of generators, and why the app
screenshots and the notebooks are checked elsewhere, is in scripts/regenerate.py.
"""

from __future__ import annotations

import importlib.util
import io
import json
import re
import sys
from pathlib import Path
from types import ModuleType

import pytest
from conftest import ROOT, SHARED
from PIL import Image, ImageFilter


def _load_script(path: Path) -> ModuleType:
    spec = importlib.util.spec_from_file_location(path.stem, path)
    assert spec is not None and spec.loader is not None, path
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up while they are made
    spec.loader.exec_module(module)
    return module


regenerate = _load_script(ROOT / "scripts" / "regenerate.py")
HINT = "run python scripts/regenerate.py --only {step}, look at the result, and commit it"
COMMITTED = [(step, path) for step in regenerate.CHECKED for path in step.committed()]
PICTURE_FOLDERS = ("docs", "iliopsoas_lib/data/pictures")


@pytest.fixture(scope="module")
def fresh(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Every checked generator's output, made now, under a scratch root that mirrors the repository."""
    root = tmp_path_factory.mktemp("regenerated")
    for step in regenerate.CHECKED:
        regenerate.make(step, root)
    return root


@pytest.mark.parametrize(("step", "path"), COMMITTED, ids=[path for _, path in COMMITTED])
def test_committed_file_is_what_its_generator_makes_now(fresh: Path, step, path: str) -> None:
    why = regenerate.difference(ROOT / path, fresh / path)
    assert why is None, f"{path} is stale ({why}): {HINT.format(step=step.name)}"


@pytest.mark.parametrize("step", regenerate.CHECKED, ids=lambda step: step.name)
def test_each_generator_makes_exactly_the_committed_files(fresh: Path, step) -> None:
    """No committed file that nothing makes any more, and no file made but not committed."""
    assert step.committed(fresh) == step.committed(ROOT), HINT.format(step=step.name)


def test_stored_pictures_are_found_for_todays_content(catalog) -> None:
    """The dashboard and the handout take a stored picture by the key of the content it shows."""
    from iliopsoas_lib.figures import pictures

    for stretch in catalog.stretches.values():
        stored = pictures._read_stored(pictures.pose_key(stretch))
        assert stored is not None, f"no stored pose for {stretch.id}: {HINT.format(step='package_pictures')}"
    for highlight in (None, *catalog.muscles):
        assert pictures._read_stored(pictures.front_key(catalog, highlight)) is not None, highlight


def test_the_derived_hip_geometry_keeps_its_credit() -> None:
    committed = (ROOT / "iliopsoas_lib" / "data" / "hip_geometry.toml").read_text(encoding="utf-8")
    header = committed.split("[model]")[0]
    assert "CC BY 3.0" in header and "Delp" in header


def test_every_picture_has_a_generator() -> None:
    made = {path for step in regenerate.STEPS for path in step.committed()}
    pictures = {
        p.relative_to(ROOT).as_posix()
        for folder in PICTURE_FOLDERS
        for p in (ROOT / folder).iterdir()
        if p.suffix in {".png", ".jpg", ".svg", ".json"}
    }
    assert pictures - made == set(), "add its generator to STEPS in scripts/regenerate.py"


def _shown(name: str) -> bool:
    """Whether a reader or the package can be shown docs/``name``: README, docs, notebooks, the package."""
    elsewhere = [(ROOT / "README.md").read_text(encoding="utf-8")]
    for notebook in sorted((ROOT / "notebooks").glob("*.ipynb")):
        cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
        elsewhere += ["".join(cell["source"]) for cell in cells]
    for pattern in ("**/*.py", "**/*.html", "**/*.j2", "**/*.css", "**/*.js", "**/*.json", "**/*.toml"):
        elsewhere += [p.read_text(encoding="utf-8") for p in sorted((ROOT / "iliopsoas_lib").glob(pattern))]
    if (SHARED / "DESIGN.md").is_file():
        elsewhere.append((SHARED / "DESIGN.md").read_text(encoding="utf-8"))
    beside = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "docs").glob("*.md"))]
    return bool(
        re.search(rf"\bdocs/{re.escape(name)}", "\n".join(elsewhere))
        or re.search(rf"(?<![\w/-]){re.escape(name)}", "\n".join(beside))
    )


def test_every_docs_picture_is_shown_somewhere() -> None:
    """A picture in docs/ that nothing shows is dead weight that still has to be kept current."""
    unused = [p.name for p in sorted((ROOT / "docs").glob("*.png")) if not _shown(p.name)]
    assert unused == [], "delete it and its line in its generator, or show it"


# -- the picture comparison itself: tolerant of font rendering, not of what a reader sees -----------------


def _render(tmp_path: Path, name: str, change=None, rc: dict | None = None) -> Path:
    """A pose picture as the package draws it, optionally changed or drawn with other rendering settings."""
    import matplotlib

    from iliopsoas_lib import load_catalog
    from iliopsoas_lib.figures import to_png
    from iliopsoas_lib.figures.poses import pose_figure

    with matplotlib.rc_context(rc or {}):
        figure = pose_figure(load_catalog().stretch("kneeling_hip_flexor"))
        if change is not None:
            change(figure)
        data = to_png(figure)
    path = tmp_path / f"{name}.png"
    path.write_bytes(data)
    return path


def _move_title(figure) -> None:
    """Move the title (the largest text) 4 points to the right, as a slip in hand-placed labels would."""
    import matplotlib.transforms as transforms
    from matplotlib.text import Text

    title = max((t for t in figure.findobj(Text) if t.get_text().strip()), key=lambda t: t.get_fontsize())
    title.set_transform(
        title.get_transform() + transforms.ScaledTranslation(4 / 72, 0, figure.dpi_scale_trans)
    )


def _recolour_muscle(figure) -> None:
    """Draw psoas major in another colour, as an edit of the colour table would."""
    from matplotlib.colors import to_hex
    from matplotlib.lines import Line2D

    from iliopsoas_lib.figures import MUSCLE_COLOURS, OKABE_ITO

    lines = [
        line
        for line in figure.findobj(Line2D)
        if to_hex(line.get_color()) == MUSCLE_COLOURS["psoas_major"].lower()
    ]
    assert lines, "the pose draws psoas major"
    for line in lines:
        line.set_color(OKABE_ITO["bluish_green"])


def test_a_redraw_with_other_text_antialiasing_or_hinting_still_matches(tmp_path: Path) -> None:
    committed = _render(tmp_path, "committed")
    settings: dict[str, dict[str, object]] = {
        "no_text_antialiasing": {"text.antialiased": False},
        "no_hinting": {"text.hinting": "none"},
    }
    for name, rc in settings.items():
        redrawn = _render(tmp_path, name, rc=rc)
        assert redrawn.read_bytes() != committed.read_bytes(), name  # the bytes do change ...
        assert regenerate.picture_difference(committed, redrawn) is None, name  # ... what it shows does not


def test_a_slightly_blurred_picture_still_matches(tmp_path: Path) -> None:
    committed = _render(tmp_path, "committed")
    blurred = tmp_path / "blurred.png"
    with Image.open(committed) as image:
        image.filter(ImageFilter.GaussianBlur(1)).save(blurred)
    assert regenerate.picture_difference(committed, blurred) is None


def test_a_moved_label_a_new_colour_or_a_new_size_is_stale(tmp_path: Path) -> None:
    committed = _render(tmp_path, "committed")
    moved = _render(tmp_path, "moved", change=_move_title)
    assert "pixels look different" in (regenerate.picture_difference(committed, moved) or "")
    recoloured = _render(tmp_path, "recoloured", change=_recolour_muscle)
    assert "pixels look different" in (regenerate.picture_difference(committed, recoloured) or "")
    wider = _render(
        tmp_path,
        "wider",
        change=lambda f: f.set_size_inches(f.get_size_inches()[0] + 0.1, f.get_size_inches()[1]),
    )
    assert "size" in (regenerate.picture_difference(committed, wider) or "")


def test_a_changed_text_file_names_its_first_changed_line(tmp_path: Path) -> None:
    old, new = tmp_path / "old.toml", tmp_path / "new.toml"
    old.write_text("a = 1\nb = 2\n")
    new.write_text("a = 1\nb = 3\n")
    assert regenerate.difference(old, new) == "differs from line 2 on"
    assert regenerate.difference(old, old) is None
    assert "no longer makes it" in regenerate.difference(old, tmp_path / "gone.toml")


def test_a_png_compares_as_a_picture_on_white(tmp_path: Path) -> None:
    """Transparency is laid on white, as a reader sees it: a transparent and a white picture are alike."""
    clear, white = tmp_path / "clear.png", tmp_path / "white.png"
    Image.new("RGBA", (40, 30), (0, 0, 0, 0)).save(clear)
    Image.new("RGB", (40, 30), "white").save(white)
    assert regenerate.picture_difference(clear, white) is None
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), "black").save(buffer, format="PNG")
    (tmp_path / "black.png").write_bytes(buffer.getvalue())
    assert regenerate.picture_difference(white, tmp_path / "black.png") is not None
