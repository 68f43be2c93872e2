"""Teaching schematics of the iliopsoas: a front view of the three muscles and side views of its length.

These are diagrams, not anatomical art: bones are simple shapes in roughly true proportions (one
drawing unit is about 2.5 cm in the front view, 1 cm in the side view) so the reader sees where each
muscle starts, which way it runs and where it ends. Muscle names come from the catalog, so a renamed
or translated muscle shows up here unchanged; the only anatomy kept in code is the drawing geometry.

Numbers are not drawn from the drawing: the side view's length labels come from the musculotendon path
model in :mod:`iliopsoas_lib.biomechanics`, the same model notebook 06 uses, so every page gives one
answer to "how much shorter is the psoas when sitting".
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from typing import TYPE_CHECKING

from . import (
    BODY,
    BODY_FAR,
    BONE,
    BONE_EDGE,
    MUSCLE_COLOURS,
    MUTED,
    SMALL_SIZE,
    SURFACE,
    TEXT,
    style,
)

if TYPE_CHECKING:  # pragma: no cover - for type checkers only
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

    from ..catalog import Catalog

Point = tuple[float, float]

#: The muscles the front view draws, in drawing order (deepest first).
FRONT_VIEW_MUSCLES = ("iliacus", "psoas_major", "psoas_minor")

#: Opacity of a muscle: normal, highlighted, and faded while another one is highlighted.
ALPHA_NORMAL = 0.8
ALPHA_STRONG = 0.95
ALPHA_FADED = 0.18


# --------------------------------------------------------------------------------------------------
# Small geometry helpers (pure; numpy only)
# --------------------------------------------------------------------------------------------------


def _spline(points: Sequence[Point], samples: int = 12, closed: bool = False):
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


def _band(centre: Sequence[Point], half_widths: Sequence[float]):
    """The outline of a muscle belly: a smooth centre line widened by a half-width at each point."""
    import numpy as np

    samples = 10
    line = _spline(centre, samples)
    widths = np.interp(
        np.linspace(0, len(centre) - 1, len(line)), np.arange(len(centre)), np.asarray(half_widths)
    )
    tangent = np.gradient(line, axis=0)
    tangent /= np.linalg.norm(tangent, axis=1)[:, None]
    normal = np.column_stack([-tangent[:, 1], tangent[:, 0]])
    left = line + normal * widths[:, None]
    right = line - normal * widths[:, None]
    return np.vstack([left, right[::-1]])


def _mirror(points):
    """The same shape on the other side of the midline (the body is symmetric in this schematic)."""
    import numpy as np

    pts = np.asarray(points, dtype=float).copy()
    pts[:, 0] *= -1
    return pts


# --------------------------------------------------------------------------------------------------
# Front view geometry: x = 0 is the midline, +x is the person's left (the viewer's right), y is up.
# --------------------------------------------------------------------------------------------------

VERTEBRAE = ("T12", "L1", "L2", "L3", "L4", "L5")
_TOP = 10.4
_BODY_HEIGHT = 0.85
_DISC = 0.3


def _vertebra_boxes() -> list[tuple[str, float, float, float]]:
    """(name, centre y, half width, height) of each vertebral body, widening towards L5 as in life."""
    boxes = []
    y = _TOP
    for i, name in enumerate(VERTEBRAE):
        half = 0.85 + 0.05 * i
        boxes.append((name, y - _BODY_HEIGHT / 2, half, _BODY_HEIGHT))
        y -= _BODY_HEIGHT + _DISC
    return boxes


_SACRUM_TOP = _TOP - len(VERTEBRAE) * (_BODY_HEIGHT + _DISC)

SACRUM = [
    (-2.05, _SACRUM_TOP),
    (2.05, _SACRUM_TOP),
    (1.25, _SACRUM_TOP - 2.6),
    (0.45, _SACRUM_TOP - 3.8),
    (-0.45, _SACRUM_TOP - 3.8),
    (-1.25, _SACRUM_TOP - 2.6),
]
COCCYX = [(-0.35, _SACRUM_TOP - 3.9), (0.35, _SACRUM_TOP - 3.9), (0.0, _SACRUM_TOP - 4.6)]

#: The hip bone of the person's left side (viewer's right): ilium, pubis and ischium as one outline.
HIP_BONE = [
    (2.05, 3.1),
    (2.45, 4.2),
    (3.25, 5.0),
    (4.3, 5.25),
    (5.2, 4.95),
    (5.65, 4.15),
    (5.4, 3.05),
    (4.95, 2.35),
    (4.75, 1.85),
    (4.9, 1.35),
    (4.75, 0.7),
    (4.6, -0.45),
    (4.3, -1.4),
    (3.75, -2.55),
    (3.1, -2.75),
    (2.3, -2.35),
    (0.9, -1.95),
    (0.25, -1.6),
    (0.25, -0.75),
    (0.9, -0.5),
    (2.0, -0.3),
    (2.65, 0.1),
    (2.3, 0.6),
    (1.35, 0.75),
    (1.6, 2.1),
]
#: The iliac fossa: the shallow bowl on the inner face of the wing, where iliacus lies.
ILIAC_FOSSA = [
    (2.35, 3.3),
    (2.85, 4.45),
    (4.15, 4.85),
    (5.05, 4.35),
    (4.95, 3.3),
    (4.4, 2.2),
    (3.5, 1.5),
    (2.55, 1.75),
]
OBTURATOR = ((2.25, -1.5), 1.35, 0.8, -18.0)  # centre, width, height, angle
ILIOPUBIC_EMINENCE = (2.65, 0.1)

HIP_CENTRE = (3.65, 0.15)
FEMORAL_HEAD_RADIUS = 0.95
FEMUR = [
    (3.85, 0.6),
    (4.7, 0.1),
    (5.05, -0.2),
    (5.4, -0.5),
    (5.5, -1.2),
    (5.3, -1.9),
    (5.1, -3.0),
    (4.65, -7.3),
    (3.55, -7.3),
    (3.98, -3.0),
    (4.0, -2.6),
    (3.7, -2.35),
    (3.95, -1.95),
    (4.0, -1.35),
    (3.55, -0.4),
]
LESSER_TROCHANTER = (3.72, -2.33)

PSOAS_MAJOR = (
    [(1.0, 10.2), (1.35, 8.6), (1.75, 6.8), (2.1, 5.0), (2.45, 3.3), (2.8, 1.6), (3.05, 0.5), (3.35, -0.8),
     (3.58, -1.8), (3.76, -2.3)],
    [0.18, 0.45, 0.62, 0.7, 0.62, 0.5, 0.4, 0.3, 0.2, 0.1],
)  # fmt: skip
ILIACUS = [
    (2.35, 3.45), (2.95, 4.5), (4.1, 4.85), (4.95, 4.4), (5.15, 3.55), (4.8, 2.5), (4.35, 1.3), (4.05, 0.3),
    (3.98, -0.8), (3.95, -1.8), (3.82, -2.25), (3.55, -1.6), (3.3, -0.5), (3.0, 0.7), (2.6, 1.9), (2.3, 2.8),
]  # fmt: skip
#: Psoas minor lies on the front of psoas major; its long flat tendon ends on the pelvic brim.
PSOAS_MINOR = (
    [(1.15, 9.7), (1.45, 8.3), (1.8, 6.7), (2.08, 5.0), (2.32, 3.3), (2.5, 1.7), (2.62, 0.3)],
    [0.13, 0.22, 0.17, 0.09, 0.07, 0.06, 0.06],
)


def _check_highlight(highlight: str | None) -> None:
    if highlight is not None and highlight not in FRONT_VIEW_MUSCLES:
        known = ", ".join(FRONT_VIEW_MUSCLES)
        raise ValueError(f"highlight: unknown muscle id {highlight!r}; known ids: {known}")


def _muscle_alpha(muscle_id: str, highlight: str | None) -> float:
    if highlight is None:
        return ALPHA_NORMAL
    return ALPHA_STRONG if muscle_id == highlight else ALPHA_FADED


def _draw_front_bones(ax: Axes) -> None:
    from matplotlib.patches import Circle, Ellipse, FancyBboxPatch, Polygon

    bone = {"facecolor": BONE, "edgecolor": BONE_EDGE, "linewidth": 1.2}
    for side in (1, -1):
        hip = HIP_BONE if side == 1 else _mirror(HIP_BONE)
        fossa = ILIAC_FOSSA if side == 1 else _mirror(ILIAC_FOSSA)
        femur = FEMUR if side == 1 else _mirror(FEMUR)
        ax.add_patch(Polygon(_spline(hip, 6, closed=True), closed=True, zorder=1, **bone))
        ax.add_patch(
            Polygon(
                _spline(fossa, 6, closed=True), closed=True, facecolor="#DCCFB0", edgecolor="none", zorder=1.1
            )
        )
        (cx, cy), width, height, angle = OBTURATOR
        ax.add_patch(
            Ellipse(
                (side * cx, cy),
                width,
                height,
                angle=side * angle,
                facecolor="white",
                edgecolor=BONE_EDGE,
                linewidth=1.0,
                zorder=1.2,
            )
        )
        ax.add_patch(Polygon(_spline(femur, 4, closed=True), closed=True, zorder=1.3, **bone))
        ax.add_patch(Circle((side * HIP_CENTRE[0], HIP_CENTRE[1]), FEMORAL_HEAD_RADIUS, zorder=1.4, **bone))
        # Transverse processes: the side wings of each lumbar vertebra, partly under psoas major.
        for name, y, half, _height in _vertebra_boxes()[1:]:
            ax.add_patch(
                FancyBboxPatch(
                    (side * half - (0.9 if side < 0 else 0), y - 0.12),
                    0.9,
                    0.24,
                    boxstyle="round,pad=0.02",
                    zorder=1.5,
                    **bone,
                )
            )
            del name
    ax.add_patch(Polygon(SACRUM, closed=True, zorder=1.6, **bone))
    ax.add_patch(Polygon(COCCYX, closed=True, zorder=1.6, **bone))
    for level in range(4):  # the sacral foramina, where nerves leave the sacrum
        y = _SACRUM_TOP - 0.6 - level * 0.7
        for side in (1, -1):
            ax.add_patch(
                Circle(
                    (side * (0.85 - level * 0.12), y),
                    0.13,
                    facecolor="white",
                    edgecolor=BONE_EDGE,
                    linewidth=0.8,
                    zorder=1.7,
                )
            )
    for name, y, half, height in _vertebra_boxes():
        ax.add_patch(
            FancyBboxPatch(
                (-half, y - height / 2), 2 * half, height, boxstyle="round,pad=0.06", zorder=1.8, **bone
            )
        )
        ax.text(0, y, name, ha="center", va="center", fontsize=SMALL_SIZE, color=MUTED, zorder=5)
    ax.text(
        0,
        _SACRUM_TOP - 2.4,
        "sacrum",
        ha="center",
        va="center",
        fontsize=SMALL_SIZE - 1,
        color=MUTED,
        zorder=5,
    )


def _muscle_patch(ax: Axes, outline, muscle_id: str, highlight: str | None, zorder: float):
    from matplotlib.patches import Polygon

    alpha = _muscle_alpha(muscle_id, highlight)
    strong = muscle_id == highlight
    patch = Polygon(
        outline,
        closed=True,
        facecolor=MUSCLE_COLOURS[muscle_id],
        alpha=alpha,
        edgecolor="black" if strong else MUSCLE_COLOURS[muscle_id],
        linewidth=1.4 if strong else 0.6,
        zorder=zorder + (3 if strong else 0),
        label=muscle_id,
    )
    patch.set_gid(muscle_id)
    ax.add_patch(patch)
    return patch


def _fibres(muscle_id: str) -> list:
    """A few faint fibre lines, so the shapes read as muscle and show which way each one pulls."""
    import numpy as np

    if muscle_id == "psoas_major":
        centre, widths = PSOAS_MAJOR
        line = _spline(centre, 10)
        w = np.interp(np.linspace(0, len(centre) - 1, len(line)), np.arange(len(centre)), widths)
        tangent = np.gradient(line, axis=0)
        tangent /= np.linalg.norm(tangent, axis=1)[:, None]
        normal = np.column_stack([-tangent[:, 1], tangent[:, 0]])
        return [line + normal * (f * w)[:, None] for f in (-0.6, -0.2, 0.2, 0.6)]
    if muscle_id == "iliacus":
        end = np.array([3.86, -1.9])
        fibres = []
        for start in ((2.85, 4.2), (3.6, 4.5), (4.35, 4.4), (4.85, 3.7)):
            a = np.array(start)
            mid = (a + end) / 2 + np.array([-0.15, 0.0])
            fibres.append(_spline([tuple(a), tuple(mid), tuple(end)], 10))
        return fibres
    return []


def _draw_fibres(ax: Axes, muscle_id: str, highlight: str | None, zorder: float, mirror: bool) -> None:
    alpha = 0.45 * _muscle_alpha(muscle_id, highlight)
    for fibre in _fibres(muscle_id):
        pts = _mirror(fibre) if mirror else fibre
        ax.plot(
            pts[:, 0],
            pts[:, 1],
            color="white",
            alpha=alpha,
            linewidth=0.8,
            zorder=zorder + 0.05,
            gid=f"fibres:{muscle_id}",
        )


def _label(
    ax: Axes,
    text: str,
    xy: Point,
    xytext: Point,
    *,
    colour: str = TEXT,
    size: float = 12,
    weight: str = "normal",
    ha: str = "left",
    gid: str | None = None,
):
    """A label with a thin leader line to the thing it names (readable without a colour legend)."""
    annotation = ax.annotate(
        text,
        xy=xy,
        xytext=xytext,
        ha=ha,
        va="center",
        fontsize=size,
        fontweight=weight,
        color=colour,
        arrowprops={"arrowstyle": "-", "color": MUTED, "linewidth": 0.9, "shrinkA": 3, "shrinkB": 0},
        zorder=10,
    )
    if gid:
        annotation.set_gid(gid)
    return annotation


def front_view(catalog: Catalog, highlight: str | None = None) -> Figure:
    """The lower spine, pelvis and upper thighs from the front, with the three iliopsoas muscles.

    Psoas major and iliacus are drawn on both sides; psoas minor on one side only, with the share of
    people who lack it taken from the catalog. ``highlight`` (a muscle id) draws that muscle strongly
    and fades the others, so a widget can point at one muscle at a time. An unknown id raises
    :class:`ValueError` naming the known ids.
    """
    from matplotlib.figure import Figure

    _check_highlight(highlight)
    names = {mid: catalog.muscle(mid).name for mid in FRONT_VIEW_MUSCLES}
    absent = catalog.muscle("psoas_minor").absent_in_percent

    with style():
        fig = Figure(figsize=(9.0, 8.4), dpi=100)
        ax = fig.add_axes((0.0, 0.05, 1.0, 0.88))
        ax.set_aspect("equal")
        ax.set_axis_off()
        ax.set_xlim(-11.1, 11.1)
        ax.set_ylim(-6.9, 11.3)
        _draw_front_bones(ax)

        for side in (1, -1):
            flip = (lambda pts: pts) if side == 1 else _mirror
            for mid, outline, z in (
                ("iliacus", _spline(ILIACUS, 6, closed=True), 2.0),
                ("psoas_major", _band(*PSOAS_MAJOR), 2.1),
            ):
                patch = _muscle_patch(ax, flip(outline), mid, highlight, z)
                _draw_fibres(ax, mid, highlight, patch.get_zorder(), mirror=side == -1)
        # Psoas minor on the person's right only (viewer's left): it is often missing, and one copy
        # keeps psoas major visible on the other side.
        _muscle_patch(ax, _mirror(_band(*PSOAS_MINOR)), "psoas_minor", highlight, 2.2)
        ax.plot(
            [-ILIOPUBIC_EMINENCE[0]],
            [ILIOPUBIC_EMINENCE[1]],
            "o",
            color=MUSCLE_COLOURS["psoas_minor"],
            markersize=5,
            markeredgecolor="black",
            markeredgewidth=0.6,
            zorder=6,
        )
        for side in (1, -1):
            ax.plot(
                [side * LESSER_TROCHANTER[0]],
                [LESSER_TROCHANTER[1]],
                "o",
                color="black",
                markersize=5,
                zorder=6,
            )

        def weight(mid: str) -> str:
            return "bold" if highlight in (None, mid) else "normal"

        def colour(mid: str) -> str:
            return TEXT if highlight in (None, mid) else MUTED

        # Muscle labels: psoas major and iliacus on the viewer's right, psoas minor on the left.
        _label(
            ax,
            names["psoas_major"],
            (2.15, 6.8),
            (6.3, 8.6),
            size=14,
            weight=weight("psoas_major"),
            colour=colour("psoas_major"),
            gid="label:psoas_major",
        )
        _label(
            ax,
            names["iliacus"],
            (4.55, 3.9),
            (6.3, 6.2),
            size=14,
            weight=weight("iliacus"),
            colour=colour("iliacus"),
            gid="label:iliacus",
        )
        _label(
            ax,
            names["psoas_minor"],
            (-1.55, 7.6),
            (-5.6, 9.3),
            size=14,
            weight=weight("psoas_minor"),
            colour=colour("psoas_minor"),
            ha="right",
            gid="label:psoas_minor",
        )
        if absent is not None:
            note = ax.text(
                -5.6,
                8.55,
                f"absent in about {absent:g}%\nof people",
                ha="right",
                va="top",
                fontsize=SMALL_SIZE + 1,
                style="italic",
                color=colour("psoas_minor"),
                zorder=10,
            )
            note.set_gid("note:psoas_minor")
        _label(
            ax,
            "ends on the pelvic rim",
            (-2.65, 0.1),
            (-6.0, 2.0),
            size=SMALL_SIZE + 1,
            ha="right",
            colour=MUTED,
        )

        # Tendon and bones.
        _label(ax, "shared tendon", (3.6, -1.2), (6.3, -0.6), size=SMALL_SIZE + 1, colour=MUTED)
        ax.annotate(
            "",
            xy=LESSER_TROCHANTER,
            xytext=(0.0, -3.9),
            arrowprops={"arrowstyle": "-", "color": MUTED, "linewidth": 0.9, "shrinkA": 8},
            zorder=10,
        )
        _label(
            ax,
            "lesser trochanter",
            (-LESSER_TROCHANTER[0], LESSER_TROCHANTER[1]),
            (0.0, -3.9),
            size=SMALL_SIZE + 1,
            ha="center",
            colour=MUTED,
        )
        _label(
            ax,
            "iliac fossa\n(inner bowl of the pelvis)",
            (-4.85, 4.3),
            (-6.0, 5.6),
            size=SMALL_SIZE + 1,
            ha="right",
            colour=MUTED,
        )
        _label(
            ax,
            "hip joint",
            (-HIP_CENTRE[0] - 0.7, HIP_CENTRE[1] - 0.5),
            (-6.0, -1.3),
            size=SMALL_SIZE + 1,
            ha="right",
            colour=MUTED,
        )
        _label(
            ax,
            "thigh bone\n(femur)",
            (-4.45, -5.5),
            (-6.0, -5.5),
            size=SMALL_SIZE + 1,
            ha="right",
            colour=MUTED,
        )
        ax.text(
            0.0,
            _TOP + 0.45,
            "lower spine (T12 to L5)",
            ha="center",
            va="bottom",
            fontsize=SMALL_SIZE + 1,
            color=MUTED,
        )

        title = "The iliopsoas from the front"
        if highlight is not None:
            title += f": {names[highlight]}"
        fig.suptitle(title, fontsize=16, fontweight="bold", y=0.975)
        fig.text(
            0.5,
            0.015,
            "Seen from the front: the person's right side is on your left.",
            ha="center",
            fontsize=SMALL_SIZE,
            color=MUTED,
        )
    return fig


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


def _limb(points: Sequence[Point], half_widths: Sequence[float]):
    """A limb's silhouette: a polygon around its bone line (straight segments, rounded by the spline)."""
    import numpy as np

    dense, widths = [], []
    for (a, b), (wa, wb) in zip(itertools.pairwise(points), itertools.pairwise(half_widths), strict=True):
        for t in np.linspace(0.0, 1.0, 8, endpoint=False):
            dense.append((a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t))
            widths.append(wa + (wb - wa) * t)
    dense.append(points[-1])
    widths.append(half_widths[-1])
    return _band(dense, widths)


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
        chair = {"facecolor": SURFACE, "edgecolor": "none", "zorder": 0.3}
        ax.add_patch(Rectangle((-16.0, seat - 4.0), 44.0, 4.0, **chair))
        for x in (-14.0, 23.0):
            ax.add_patch(Rectangle((x, 0.0), 3.0, seat - 4.0, **chair))
        ax.add_patch(Rectangle((-19.0, seat - 4.0), 3.0, 50.0, **chair))
    ax.axhline(0.0, color=SURFACE, linewidth=3, zorder=0.4)

    # Body silhouette: trunk and near leg.
    ax.add_patch(
        Polygon(
            [at(p) for p in _spline(TRUNK_OUTLINE, 6, closed=True)],
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
    bone = {"facecolor": BONE, "edgecolor": BONE_EDGE, "linewidth": 1.0}
    ax.add_patch(
        Polygon([at(p) for p in _spline(SIDE_SACRUM, 4, closed=True)], closed=True, zorder=0.9, **bone)
    )
    ax.add_patch(
        Polygon([at(p) for p in _spline(SIDE_PELVIS, 5, closed=True)], closed=True, zorder=1, **bone)
    )
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
        leader = {"arrowstyle": "-", "color": MUTED, "linewidth": 0.8}
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


__all__ = [
    "FRONT_VIEW_MUSCLES",
    "LENGTH_SOURCE_NOTE",
    "front_view",
    "psoas_percent",
    "side_view",
]
