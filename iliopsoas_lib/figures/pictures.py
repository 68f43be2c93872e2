"""Figures as PNG bytes for the dashboard and the handout: stored pictures first, drawing as a fallback.

Drawing needs matplotlib, which costs a dashboard visitor's kernel about 45 MB and a second of CPU. The
pictures of built-in content (the five poses, the front view with each muscle highlighted) never change
between visitors, so they ship pre-drawn in ``data/pictures/`` with a manifest of exactly what content
each was drawn from. A picture is used only when that content is unchanged; anything else (a clinician's
own stretch, an edited muscle name, an edited posture estimate) is drawn live and cached for the
kernel's life. ``python scripts/make_package_pictures.py`` redraws the stored ones; a test fails when
they are stale.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from functools import lru_cache
from importlib import resources

from ..catalog import Catalog, builtin_postures
from ..schema import Stretch, StretchPosture

MANIFEST = "manifest.json"


def stretch_json(stretch: Stretch) -> str:
    """The whole stretch entry as compact JSON: fields in the schema's order, enums as their values,
    text as written (not escaped to ASCII). The same entry always gives the same text.

    An unset ``picture`` (a clinic's own picture, see :func:`stretch_picture`) is left out: the drawing
    does not depend on it, and the keys of the stored pictures stay those of the entries they show.
    """
    entry = dataclasses.asdict(stretch)
    if entry.get("picture") is None:
        entry.pop("picture", None)
    return json.dumps(entry, separators=(",", ":"), ensure_ascii=False)


def builtin_posture(stretch: Stretch) -> StretchPosture | None:
    """The posture estimate a stretch's pose is drawn from; None for a stretch the package does not have."""
    return builtin_postures().get(stretch.id)


def posture_json(posture: StretchPosture | None) -> str | None:
    """A posture entry as compact JSON, fields in the schema's order; None stays None."""
    if posture is None:
        return None
    return json.dumps(dataclasses.asdict(posture), separators=(",", ":"), ensure_ascii=False)


def pose_key(stretch: Stretch) -> str:
    """What a pose picture depends on: the whole stretch entry and the posture estimate it is drawn from.

    The picture's hip angles are the posture's numbers, so an edited estimate must give a new key: the
    stored picture of the old numbers is then never served, and the pose is drawn afresh.
    """
    key = json.dumps([stretch_json(stretch), posture_json(builtin_posture(stretch))], ensure_ascii=False)
    return hashlib.sha256(key.encode()).hexdigest()


def front_key(catalog: Catalog, highlight: str | None) -> str:
    """What the front view depends on: muscle ids and names, psoas minor's absence figure, the highlight."""
    absent = catalog.muscles["psoas_minor"].absent_in_percent if "psoas_minor" in catalog.muscles else None
    names = [(m.id, m.name) for m in catalog.muscles.values()]
    return hashlib.sha256(json.dumps([names, absent, highlight]).encode()).hexdigest()


@lru_cache(maxsize=1)
def _stored() -> dict[str, str]:
    """key -> file name of the stored pictures (empty if the folder is missing)."""
    folder = resources.files("iliopsoas_lib") / "data" / "pictures"
    try:
        manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except (FileNotFoundError, json.JSONDecodeError):
        return {}
    return {key: name for name, key in manifest.items()}


def _read_stored(key: str) -> bytes | None:
    name = _stored().get(key)
    if name is None:
        return None
    return (resources.files("iliopsoas_lib") / "data" / "pictures" / name).read_bytes()


@lru_cache(maxsize=64)
def _draw_pose(stretch: Stretch, posture: StretchPosture | None) -> bytes:
    """Draw from exactly the entries :func:`pose_key` hashes, so a drawing and its key always agree.
    Content is frozen all the way down, so the entries themselves are the cache's key."""
    from . import to_png
    from .poses import pose_figure

    return to_png(pose_figure(stretch, posture))


def draw_pose_png(stretch: Stretch) -> bytes:
    """Always draw (matplotlib): used for clinicians' stretches and to make the stored pictures."""
    return _draw_pose(stretch, builtin_posture(stretch))


def pose_png(stretch: Stretch) -> bytes:
    """The stretch's pose diagram: the stored picture when the stretch is unchanged, else drawn."""
    return _read_stored(pose_key(stretch)) or draw_pose_png(stretch)


def stretch_picture(stretch: Stretch, catalog: Catalog) -> bytes:
    """The picture a handout prints for a stretch: the clinic's own (its ``picture``, PNG or JPEG), as
    read and checked when ``catalog`` loaded the stretch's file, else the drawn pose as PNG.

    A stretch from another catalog than the one given has its picture read and checked here instead."""
    if stretch.picture is None:
        return pose_png(stretch)
    kept = catalog.pictures.get(stretch.picture)
    if kept is not None:
        return kept
    from pathlib import Path

    from ..stretch_picture import read_picture

    return read_picture(Path(stretch.picture))


_FRONT: dict[str, bytes] = {}


def draw_front_png(catalog: Catalog, highlight: str | None = None) -> bytes:
    """Always draw the front view (matplotlib)."""
    from . import to_png
    from .anatomy_front import front_view

    key = front_key(catalog, highlight)
    if key not in _FRONT:
        _FRONT[key] = to_png(front_view(catalog, highlight=highlight))
    return _FRONT[key]


def front_png(catalog: Catalog, highlight: str | None = None) -> bytes:
    """The front view of the three muscles, one highlighted (or none): stored, else drawn."""
    return _read_stored(front_key(catalog, highlight)) or draw_front_png(catalog, highlight)
