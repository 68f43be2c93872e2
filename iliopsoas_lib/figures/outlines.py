"""Smooth outlines from a handful of hand-placed points: the shapes of the anatomy schematics.

The front and side views (:mod:`.anatomy_front`, :mod:`.anatomy_side`) draw bones, muscles and limbs as
outlines through a few points placed by hand, smoothed here, so a shape is changed by moving a point,
not by redrawing a curve. Pure functions of their points (numpy only, imported when a figure is drawn).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover - for type checkers only
    import numpy as np
    from numpy.typing import NDArray

    Points = NDArray[np.float64]

#: A point of a drawing, in its own units (x to the right, y up).
Point = tuple[float, float]


def spline(points: Sequence[Point] | Points, samples: int = 12, closed: bool = False) -> Points:
    """A Catmull-Rom curve through ``points``: smooth outlines from a handful of hand-placed points."""
    import numpy as np

    pts = np.asarray(points, dtype=float)
    if closed:
        pts = np.vstack([pts[-1], pts, pts[0], pts[1]])
    else:
        pts = np.vstack([2 * pts[0] - pts[1], pts, 2 * pts[-1] - pts[-2]])
    t = np.linspace(0.0, 1.0, samples, endpoint=False)[:, None]
    out = []
    for i in range(1, len(pts) - 2):
        p0, p1, p2, p3 = pts[i - 1], pts[i], pts[i + 1], pts[i + 2]
        out.append(
            0.5
            * (
                2 * p1
                + (-p0 + p2) * t
                + (2 * p0 - 5 * p1 + 4 * p2 - p3) * t**2
                + (-p0 + 3 * p1 - 3 * p2 + p3) * t**3
            )
        )
    if not closed:
        out.append(pts[-2][None, :])
    return np.vstack(out)


def band(centre: Sequence[Point], half_widths: Sequence[float]) -> Points:
    """The outline of a muscle belly: a smooth centre line widened by a half-width at each point."""
    import numpy as np

    samples = 10
    line = spline(centre, samples)
    widths = np.interp(
        np.linspace(0, len(centre) - 1, len(line)), np.arange(len(centre)), np.asarray(half_widths)
    )
    tangent = np.gradient(line, axis=0)
    tangent /= np.linalg.norm(tangent, axis=1)[:, None]
    normal = np.column_stack([-tangent[:, 1], tangent[:, 0]])
    left = line + normal * widths[:, None]
    right = line - normal * widths[:, None]
    return np.vstack([left, right[::-1]])


def mirror(points: Sequence[Point] | Points) -> Points:
    """The same shape on the other side of the midline (the body is symmetric in this schematic)."""
    import numpy as np

    pts = np.asarray(points, dtype=float).copy()
    pts[:, 0] *= -1
    return pts


__all__ = ["Point", "band", "mirror", "spline"]
