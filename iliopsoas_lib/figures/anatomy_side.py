"""Side views of the iliopsoas at several hip angles: why sitting shortens the psoas and a stretch
lengthens it.

A teaching schematic, not anatomical art: trunk, pelvis and leg are simple shapes in roughly true
proportions (one drawing unit is about 1 cm). Numbers are not drawn from the drawing: each panel's
length label comes from the musculotendon path model in :mod:`iliopsoas_lib.biomechanics`, the same
model notebook 06 uses, so every page gives one answer to "how much shorter is the psoas when sitting".
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from . import BODY, BODY_FAR, BONE, BONE_EDGE, MUSCLE_COLOURS, MUTED, SMALL_SIZE, SURFACE, style
from .outlines import Point, band, spline

if TYPE_CHECKING:  # pragma: no cover - for type checkers only
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

    from .outlines import Points

# --------------------------------------------------------------------------------------------------
# Side view: centimetres, the hip joint centre at (0, 0) in the pelvis frame, the person facing +x.
# --------------------------------------------------------------------------------------------------

THIGH_CM = 44.0
SHIN_CM = 45.0
ANKLE_HEIGHT_CM = 8.0
HEAD_WRAP_RADIUS_CM = 3.0  # femoral head (2.3 cm) plus the tendon's own thickness
#: Where psoas leaves the spine (front of L1-L2), and the points it passes on the way to the pelvic
#: brim, where it turns over the front of the pelvis (the pulley, fixed in the pelvis frame).
PSOAS_SPINE_POINTS: tuple[Point, ...] = ((-1.8, 26.0), (-0.8, 18.0), (1.5, 9.0))
PELVIC_BRIM: Point = (3.6, 1.8)
#: The lesser trochanter in the thigh's frame (thigh pointing straight down): back of the shaft.
LESSER_TROCHANTER_CM: Point = (-1.0, -6.5)
SIDE_PELVIS = [
    (-10.0, 5.5), (-8.8, 10.5), (-4.5, 14.0), (1.0, 13.5), (5.0, 10.0), (6.5, 6.5), (5.2, 5.2), (5.2, 3.4),
    (3.9, 2.4), (4.5, 0.0), (5.8, -3.5), (6.0, -5.5), (3.5, -6.0), (0.5, -6.8), (-2.0, -8.5), (-4.2, -7.5),
    (-4.2, -4.5), (-5.2, -2.5), (-6.0, 0.0), (-8.5, 2.0), (-10.2, 3.8),
]  # fmt: skip
LUMBAR_CENTRES: tuple[Point, ...] = ((-4.5, 12.8), (-3.8, 16.6), (-3.5, 20.4), (-3.7, 24.2), (-4.3, 28.0))
MIN_HIP_ANGLE, MAX_HIP_ANGLE = -30.0, 120.0


def _rotate(point: Point, degrees: float) -> Point:
    """Rotate about the hip centre; positive = hip flexion (thigh swings forward, towards +x)."""
    a = math.radians(degrees)
    x, y = point
    return (x * math.cos(a) - y * math.sin(a), x * math.sin(a) + y * math.cos(a))


def _wrap_path(start: Point, end: Point, radius: float, steps: int = 12) -> list[Point]:
    """The path from ``start`` to ``end`` over the front of a circle at the origin (the femoral head).

    In extension the tendon bends round the front of the femoral head, which lengthens it; in flexion
    the straight line clears the head. Travel is clockwise (down the front of the head and back).
    """
    ra, rb = math.hypot(*start), math.hypot(*end)
    if ra <= radius or rb <= radius:
        return [start, end]
    ta = math.atan2(start[1], start[0]) - math.acos(radius / ra)
    tb = math.atan2(end[1], end[0]) + math.acos(radius / rb)
    sweep = (ta - tb) % (2 * math.pi)
    if not 0 < sweep < math.pi:
        return [start, end]
    arc = [ta - sweep * i / steps for i in range(steps + 1)]
    return [start, *((radius * math.cos(t), radius * math.sin(t)) for t in arc), end]


def _drawn_psoas(hip_angle_deg: float) -> list[Point]:
    """Where the side view draws the psoas, spine to lesser trochanter, in the pelvis frame (cm).

    Positive angles bend the hip (flexion), negative ones extend it. The trunk and pelvis stay still
    and the thigh moves, so only the part below the pelvic brim changes. A picture only: its length
    is never reported (the path model gives the lengths, see :func:`psoas_percent`).
    """
    trochanter = _rotate(LESSER_TROCHANTER_CM, hip_angle_deg)
    return [*PSOAS_SPINE_POINTS, *_wrap_path(PELVIC_BRIM, trochanter, HEAD_WRAP_RADIUS_CM)]


def psoas_percent(hip_angle_deg: float) -> float:
    """The psoas length a side-view panel reports: the path model's, as a % of its standing length."""
    from ..biomechanics import percent_of_standing

    return percent_of_standing("psoas", hip_angle_deg)


#: Said under every side view, so no one takes the drawing's proportions for the numbers.
LENGTH_SOURCE_NOTE = (
    "Percentages: psoas length relative to standing, from the gait2392 path model (Delp et al. 1990), "
    "as in notebook 06; the drawing itself is a schematic."
)


def _panel_title(angle: float) -> str:
    if angle == 0:
        return "Standing (0°)"
    if angle == 90:
        return "Hip bent 90° (sitting)"
    if angle < 0:
        return f"Hip extended {abs(angle):g}° (stretch)"
    return f"Hip bent {angle:g}°"


def _leg(hip_angle: float) -> tuple[float, float]:
    """(thigh angle, knee bend) of a schematic leg: a bent hip sits with the shin upright."""
    knee = hip_angle if hip_angle > 0 else 0.0
    return hip_angle, knee


def _leg_points(hip: Point, thigh_deg: float, knee_deg: float) -> tuple[Point, Point, Point]:
    """Knee, ankle and toe of a leg whose thigh is ``thigh_deg`` forward of straight down."""
    t = math.radians(thigh_deg)
    knee = (hip[0] + THIGH_CM * math.sin(t), hip[1] - THIGH_CM * math.cos(t))
    s = math.radians(thigh_deg - knee_deg)
    ankle = (knee[0] + SHIN_CM * math.sin(s), knee[1] - SHIN_CM * math.cos(s))
    toe = (ankle[0] + 17.0, ankle[1] - ANKLE_HEIGHT_CM + 1.0)
    return knee, ankle, toe


def _hip_height(thigh_deg: float, knee_deg: float) -> float:
    t = math.radians(thigh_deg)
    s = math.radians(thigh_deg - knee_deg)
    return THIGH_CM * math.cos(t) + SHIN_CM * math.cos(s) + ANKLE_HEIGHT_CM


#: Trunk outline in the pelvis frame: buttock and lower back behind, belly and chest in front.
TRUNK_OUTLINE = [
    (-12.0, -9.0), (-14.5, -2.0), (-13.0, 8.0), (-10.0, 20.0), (-11.5, 34.0), (-12.0, 56.0), (10.0, 56.0),
    (12.5, 40.0), (12.0, 22.0), (12.5, 10.0), (9.0, -5.0),
]  # fmt: skip
SIDE_SACRUM = [(-7.0, 11.0), (-2.6, 10.8), (-4.4, 6.0), (-6.6, 1.0), (-9.0, -3.0), (-11.0, 2.0), (-10.6, 8.0)]
SIDE_OBTURATOR = ((1.8, -3.6), 4.2, 2.6, -20.0)


def _limb(points: Sequence[Point], half_widths: Sequence[float]) -> Points:
    """A limb's silhouette: a polygon around its bone line (straight segments, rounded by the spline)."""
    import numpy as np

    dense, widths = [], []
    for (a, b), (wa, wb) in zip(itertools.pairwise(points), itertools.pairwise(half_widths), strict=True):
        for t in np.linspace(0.0, 1.0, 8, endpoint=False):
            dense.append((a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t))
            widths.append(wa + (wb - wa) * t)
    dense.append(points[-1])
    widths.append(half_widths[-1])
    return band(dense, widths)


def _side_panel(ax: Axes, angle: float, first: bool) -> float:
    """Draw one side-view panel; return the psoas length it reports (path model, % of standing)."""
    from matplotlib.patches import Circle, Ellipse, FancyBboxPatch, Polygon, Rectangle

    thigh, knee = _leg(angle)
    lift = _hip_height(thigh, knee)

    def at(p: Point) -> Point:  # pelvis frame -> panel (floor at y = 0)
        return (p[0], p[1] + lift)

    hip = at((0.0, 0.0))
    knee_pt, ankle, toe = _leg_points(hip, thigh, knee)
    # The far leg: beside the near one, or a step forward when the near hip is extended (a lunge).
    if angle < 0:
        far_thigh = math.degrees(math.acos((lift - SHIN_CM - ANKLE_HEIGHT_CM) / THIGH_CM))
        far = _leg_points(hip, far_thigh, far_thigh)
    else:
        far = (knee_pt, ankle, toe)
    widths = (8.5, 5.5, 4.5, 3.0)
    ax.add_patch(
        Polygon(_limb([hip, *far[:2]], widths[:3]), facecolor=BODY_FAR, edgecolor="none", zorder=0.5)
    )

    if angle >= 60:  # a chair when sitting
        seat = hip[1] - 10.0
        chair: dict[str, Any] = {"facecolor": SURFACE, "edgecolor": "none", "zorder": 0.3}
        ax.add_patch(Rectangle((-16.0, seat - 4.0), 44.0, 4.0, **chair))
        for x in (-14.0, 23.0):
            ax.add_patch(Rectangle((x, 0.0), 3.0, seat - 4.0, **chair))
        ax.add_patch(Rectangle((-19.0, seat - 4.0), 3.0, 50.0, **chair))
    ax.axhline(0.0, color=SURFACE, linewidth=3, zorder=0.4)

    # Body silhouette: trunk and near leg.
    ax.add_patch(
        Polygon(
            [at(p) for p in spline(TRUNK_OUTLINE, 6, closed=True)],
            facecolor=BODY,
            edgecolor="none",
            zorder=0.6,
        )
    )
    ax.add_patch(
        Polygon(_limb([hip, knee_pt, ankle], widths[:3]), facecolor=BODY, edgecolor="none", zorder=0.7)
    )
    ax.add_patch(Polygon(_limb([ankle, toe], (3.5, 2.0)), facecolor=BODY, edgecolor="none", zorder=0.7))

    # Bones: pelvis, sacrum, lumbar vertebrae, femur and tibia.
    bone: dict[str, Any] = {"facecolor": BONE, "edgecolor": BONE_EDGE, "linewidth": 1.0}
    ax.add_patch(
        Polygon([at(p) for p in spline(SIDE_SACRUM, 4, closed=True)], closed=True, zorder=0.9, **bone)
    )
    ax.add_patch(Polygon([at(p) for p in spline(SIDE_PELVIS, 5, closed=True)], closed=True, zorder=1, **bone))
    (ox, oy), ow, oh, oa = SIDE_OBTURATOR
    ax.add_patch(
        Ellipse(
            at((ox, oy)), ow, oh, angle=oa, facecolor=BODY, edgecolor=BONE_EDGE, linewidth=0.8, zorder=1.05
        )
    )
    centres = [at(c) for c in LUMBAR_CENTRES]
    for i, (x, y) in enumerate(centres):
        above = centres[min(i + 1, len(centres) - 1)]
        below = centres[max(i - 1, 0)]
        tilt = math.degrees(math.atan2(-(above[0] - below[0]), above[1] - below[1]))
        box = FancyBboxPatch((x - 2.4, y - 1.4), 4.8, 2.8, boxstyle="round,pad=0.25", zorder=1.1, **bone)
        from matplotlib.transforms import Affine2D

        box.set_transform(Affine2D().rotate_deg_around(x, y, tilt) + ax.transData)
        ax.add_patch(box)
    for x1, y1, x2, y2 in ((hip[0], hip[1], knee_pt[0], knee_pt[1]), (*knee_pt, *ankle)):
        ax.plot([x1, x2], [y1, y2], color=BONE_EDGE, linewidth=9.5, solid_capstyle="round", zorder=1.2)
        ax.plot([x1, x2], [y1, y2], color=BONE, linewidth=7.5, solid_capstyle="round", zorder=1.25)
    ax.add_patch(Circle(hip, 2.3, zorder=1.3, **bone))
    ax.add_patch(Circle(knee_pt, 2.8, zorder=1.3, **bone))
    trochanter = at(_rotate(LESSER_TROCHANTER_CM, angle))
    ax.add_patch(Circle(trochanter, 1.1, zorder=1.3, **bone))

    # The psoas as a schematic line; the length the panel reports comes from the path model.
    line = [at(p) for p in _drawn_psoas(angle)]
    xs, ys = zip(*line, strict=True)
    ax.plot(
        xs,
        ys,
        color=MUSCLE_COLOURS["psoas_major"],
        linewidth=6,
        solid_capstyle="round",
        solid_joinstyle="round",
        zorder=3,
        gid="psoas_line",
    )
    ax.plot([xs[-1]], [ys[-1]], "o", color="black", markersize=5, zorder=4)
    percent = psoas_percent(angle)

    if first:
        leader: dict[str, Any] = {"arrowstyle": "-", "color": MUTED, "linewidth": 0.8}
        ax.annotate(
            "psoas",
            xy=at((-0.3, 16.0)),
            xytext=at((20.0, 30.0)),
            fontsize=SMALL_SIZE + 2,
            color=MUSCLE_COLOURS["psoas_major"],
            fontweight="bold",
            zorder=10,
            va="center",
            arrowprops=leader,
        )
        labels = (
            ("lower spine", at(LUMBAR_CENTRES[3]), at((-31.0, 38.0))),
            ("pelvis", at((-7.0, 8.0)), at((-31.0, 16.0))),
        )
        for text, point, where in labels:
            ax.annotate(
                text,
                xy=point,
                xytext=where,
                fontsize=SMALL_SIZE,
                color=MUTED,
                zorder=10,
                va="center",
                arrowprops=leader,
            )
        # The thigh bone's label sits in front of (or above) the thigh, whatever its angle.
        t = math.radians(thigh)
        mid = ((hip[0] + knee_pt[0]) / 2, (hip[1] + knee_pt[1]) / 2)
        ax.annotate(
            "thigh bone",
            xy=(mid[0] + 2.0 * math.cos(t), mid[1] + 2.0 * math.sin(t)),
            xytext=(mid[0] + 18.0 * math.cos(t), mid[1] + 18.0 * math.sin(t)),
            fontsize=SMALL_SIZE,
            color=MUTED,
            zorder=10,
            va="center",
            ha="center",
            arrowprops=leader,
        )

    change = "shorter" if percent < 99.5 else "longer" if percent > 100.5 else "reference length"
    ax.set_title(_panel_title(angle), fontsize=13, fontweight="bold", pad=26)
    ax.text(
        0.5,
        1.015,
        f"psoas (path model): {percent:.0f}% ({change})",
        transform=ax.transAxes,
        ha="center",
        va="bottom",
        fontsize=SMALL_SIZE + 1,
        color=MUSCLE_COLOURS["psoas_major"],
        fontweight="bold",
        gid="length_percent",
    )
    ax.set_xlim(-34.0, 64.0)
    ax.set_ylim(lift - 58.0, lift + 50.0)
    return percent


def side_view(hip_angles_deg: tuple[float, ...] = (90.0, 0.0, -15.0)) -> Figure:
    """Side views of the trunk, pelvis and leg at each hip angle, with the psoas drawn as a line.

    Positive angles bend the hip (90 = sitting), negative ones extend it (the thigh behind the body,
    as in a stretch). The drawing is a 2D schematic that shows *why* sitting shortens the muscle and a
    stretch lengthens it; the percentage over each panel is the psoas length of the path model
    (:mod:`iliopsoas_lib.biomechanics`) relative to standing, as the note under the panels says.
    """
    from matplotlib.figure import Figure

    angles = tuple(float(a) for a in hip_angles_deg)
    if not angles:
        raise ValueError("hip_angles_deg: give at least one hip angle, e.g. (90, 0, -15)")
    bad = [a for a in angles if not MIN_HIP_ANGLE <= a <= MAX_HIP_ANGLE]
    if bad:
        raise ValueError(
            f"hip_angles_deg: {', '.join(f'{a:g}' for a in bad)} outside the drawable range "
            f"{MIN_HIP_ANGLE:g} to {MAX_HIP_ANGLE:g} degrees"
        )
    with style():
        fig = Figure(figsize=(3.9 * len(angles) + 0.4, 6.4), dpi=100)
        fig.suptitle(
            "Hip angle and the length of the psoas (side view, facing right)",
            fontsize=15,
            fontweight="bold",
            y=0.985,
        )
        width = 1.0 / len(angles)
        for i, angle in enumerate(angles):
            ax = fig.add_axes((i * width + 0.01, 0.06, width - 0.02, 0.8))
            ax.set_aspect("equal")
            ax.set_axis_off()
            _side_panel(ax, angle, first=i == 0)
        fig.text(
            0.5,
            0.012,
            "Orange line: the psoas, from the lower spine over the front of the pelvis to the "
            "thigh bone. Black dot: where its tendon ends (lesser trochanter).\n" + LENGTH_SOURCE_NOTE,
            ha="center",
            fontsize=SMALL_SIZE,
            color=MUTED,
            gid="length_source",
        )
    return fig


__all__ = ["LENGTH_SOURCE_NOTE", "psoas_percent", "side_view"]
