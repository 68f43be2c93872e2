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
import tomllib
from functools import cache, lru_cache
from importlib import resources
from typing import TYPE_CHECKING

from ..catalog import Catalog
from ..schema import Stretch

if TYPE_CHECKING:  # pragma: no cover
    from pydantic import TypeAdapter

MANIFEST = "manifest.json"
#: The posture estimates a built-in pose is drawn from (read by iliopsoas_lib.biomechanics for drawing).
POSTURES = "stretch_postures.toml"


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


@lru_cache(maxsize=1)
def _posture_entries() -> dict[str, str]:
    """Each posture entry of the package's postures file as compact JSON (keys sorted), by stretch id.

    Read with the standard library's TOML reader, not through :mod:`iliopsoas_lib.biomechanics`: the key
    needs only the numbers as written, and a dashboard kernel showing stored pictures must not pay for
    numpy and pydantic (which biomechanics imports) just to find a picture's name. Drawing validates
    the same file properly.
    """
    folder = resources.files("iliopsoas_lib") / "data"
    try:
        raw = tomllib.loads((folder / POSTURES).read_text(encoding="utf-8"))
    except (FileNotFoundError, tomllib.TOMLDecodeError):
        return {}
    entries = raw.get("posture")
    if not isinstance(entries, list):
        return {}
    return {
        entry["stretch"]: json.dumps(entry, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
        for entry in entries
        if isinstance(entry, dict) and isinstance(entry.get("stretch"), str)
    }


def posture_json(stretch: Stretch) -> str | None:
    """The posture estimate a stretch's pose is drawn from, as written in the package; None if it has none."""
    return _posture_entries().get(stretch.id)


def pose_key(stretch: Stretch) -> str:
    """What a pose picture depends on: the whole stretch entry and the posture estimate it is drawn from.

    The picture's hip angles are the posture's numbers, so an edited estimate must give a new key: the
    stored picture of the old numbers is then never served, and the pose is drawn afresh.
    """
    key = json.dumps([stretch_json(stretch), posture_json(stretch)], ensure_ascii=False)
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


@cache
def _stretch_adapter() -> TypeAdapter[Stretch]:
    """Pydantic's validator of one stretch, built only when a pose is drawn (matplotlib is loaded then
    anyway), never in a kernel that shows only stored pictures."""
    from pydantic import TypeAdapter

    return TypeAdapter(Stretch)


@lru_cache(maxsize=64)
def _draw_pose(stretch_json: str, posture_json: str | None) -> bytes:
    """Draw from exactly the texts :func:`pose_key` hashes, so a drawing and its key always agree."""
    from ..biomechanics import StretchPosture
    from . import to_png
    from .poses import pose_figure

    posture = None if posture_json is None else StretchPosture.model_validate_json(posture_json)
    return to_png(pose_figure(_stretch_adapter().validate_json(stretch_json), posture))


def draw_pose_png(stretch: Stretch) -> bytes:
    """Always draw (matplotlib): used for clinicians' stretches and to make the stored pictures."""
    return _draw_pose(stretch_json(stretch), posture_json(stretch))


def pose_png(stretch: Stretch) -> bytes:
    """The stretch's pose diagram: the stored picture when the stretch is unchanged, else drawn."""
    return _read_stored(pose_key(stretch)) or draw_pose_png(stretch)


def stretch_picture(stretch: Stretch) -> bytes:
    """The picture a handout prints for a stretch: the clinic's own (its ``picture``, PNG or JPEG, checked
    again here as the file may have changed since loading), else the drawn pose as PNG."""
    picture = getattr(stretch, "picture", None)
    if picture:
        from pathlib import Path

        from ..stretch_picture import read_picture

        return read_picture(Path(picture))
    return pose_png(stretch)


_FRONT: dict[str, bytes] = {}


def draw_front_png(catalog: Catalog, highlight: str | None = None) -> bytes:
    """Always draw the front view (matplotlib)."""
    from . import to_png
    from .anatomy import front_view

    key = front_key(catalog, highlight)
    if key not in _FRONT:
        _FRONT[key] = to_png(front_view(catalog, highlight=highlight))
    return _FRONT[key]


def front_png(catalog: Catalog, highlight: str | None = None) -> bytes:
    """The front view of the three muscles, one highlighted (or none): stored, else drawn."""
    return _read_stored(front_key(catalog, highlight)) or draw_front_png(catalog, highlight)
