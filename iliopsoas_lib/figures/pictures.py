"""Figures as PNG bytes, cached per process.

Drawing a pose or the anatomy takes a few tenths of a second. The pictures depend only on content
(never on a visitor's data), so one kernel draws each at most once; in the shared dashboard every
visitor has their own kernel, so nothing about one visitor can reach another through this cache.
"""

from __future__ import annotations

from functools import lru_cache

from ..catalog import Catalog
from ..schema import Stretch


@lru_cache(maxsize=64)
def _pose_png(stretch_json: str) -> bytes:
    from . import to_png
    from .poses import pose_figure

    return to_png(pose_figure(Stretch.model_validate_json(stretch_json)))


def pose_png(stretch: Stretch) -> bytes:
    """The stretch's pose diagram (a clinician's changed stretch gets its own entry)."""
    return _pose_png(stretch.model_dump_json())


_FRONT: dict[tuple[object, ...], bytes] = {}


def front_png(catalog: Catalog, highlight: str | None = None) -> bytes:
    """The front view of the three muscles, one highlighted (or none).

    Cached by what the drawing uses from the catalog (muscle names, psoas minor's absence figure).
    """
    from . import to_png
    from .anatomy import front_view

    absent = catalog.muscles["psoas_minor"].absent_in_percent if "psoas_minor" in catalog.muscles else None
    key = (tuple((m.id, m.name) for m in catalog.muscles.values()), absent, highlight)
    if key not in _FRONT:
        _FRONT[key] = to_png(front_view(catalog, highlight=highlight))
    return _FRONT[key]
