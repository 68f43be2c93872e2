"""Stick figures of each stretch, from its gentle start to its full end, with the stretched iliopsoas.

The poses come from :mod:`.pose_geometry` as joint angles and body points; this module only draws them:
the support (floor, mat, bed or table), the body, the iliopsoas as a coloured line, the hip angle the
panel shows, and a title in the clinician's own words that fits its picture in any script. Both panels
share one scale, so the same body is the same size at the start and at the end.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from ..fonts import display_text
from . import MUSCLE_COLOURS, MUTED, SMALL_SIZE, SURFACE, TEXT, style
from .pose_geometry import (
    BED_TOP,
    HEAD_RADIUS,
    MAT,
    THIGH,
    TRUNK,
    Point,
    Pose,
    forward_kinematics,
    hip_extension_deg,
    poses_for,
    table_top,
)

if TYPE_CHECKING:  # pragma: no cover - for type checkers only
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure
    from matplotlib.text import Text

    from ..schema import Stretch, StretchPosture

_POSITION_WORDS = {
    "standing": "standing",
    "kneeling": "kneeling",
    "lying_on_floor": "lying on the floor",
    "lying_on_bed": "lying on a bed",
}


#: A leg's drawn segments: thigh, shin, and the foot either side of the ankle.
_LIMB = (("hip", "knee"), ("knee", "ankle"), ("ankle", "toe"), ("ankle", "heel"))

NEAR = "#3E4652"
FAR = "#A9B1BC"

#: Wide enough for two panels side by side; the handout scales it to 120 mm wide, the dashboard shows
#: the PNG (1000 x 420 pixels) at up to its own size. Text sizes are chosen for the handout's scale.
FIGSIZE = (10.0, 4.2)
#: The two panels' gids and titles: the start draws ``hip_extension_low_deg``, the end ``..._high_deg``.
PANELS = (("start", "Start: gentle"), ("end", "End: full stretch"))
_AXES_BOTTOM, _AXES_TOP = 0.115, 0.78  # figure fractions between the legend and the panel titles
_MIN_PANEL, _PANEL_GAP = 0.34, 0.02  # a panel's least width (room for its title) and the gap between


def _degrees(value: float) -> str:
    """An angle as the figure prints it: whole degrees, a true minus sign, never "-0°"."""
    whole = round(value)
    return f"{'−' if whole < 0 else ''}{abs(whole)}°"


def _iliopsoas_line(points: dict[str, Point], pose: Pose, leg: str, shift: Point = (0.0, 0.0)) -> list[Point]:
    """From the lumbar spine, over the front of the pelvis, to the front of the thigh."""
    hip, shoulder, knee = points["hip"], points["shoulder"], points[f"{leg}_knee"]
    ux, uy = (shoulder[0] - hip[0]) / TRUNK, (shoulder[1] - hip[1]) / TRUNK  # up the trunk
    ax_, ay_ = uy, -ux  # the trunk's front (the person faces +x when upright)
    tx, ty = (knee[0] - hip[0]) / THIGH, (knee[1] - hip[1]) / THIGH  # down the thigh
    fx, fy = -ty, tx  # the thigh's front
    if fx * ax_ + fy * ay_ < 0:  # keep "front" on the same side as the trunk's front
        fx, fy = -fx, -fy
    lumbar = (hip[0] + 22 * ux + 3 * ax_, hip[1] + 22 * uy + 3 * ay_)
    brim = (hip[0] + 5 * ux + 6 * ax_, hip[1] + 5 * uy + 6 * ay_)
    thigh = (hip[0] + 13 * tx + 4 * fx, hip[1] + 13 * ty + 4 * fy)
    return [(x + shift[0], y + shift[1]) for x, y in (lumbar, brim, thigh)]


def _draw_support(ax: Axes, pose: Pose, points: dict[str, Point]) -> tuple[float, float]:
    """Floor, mat, bed or table under the figure; returns the x range it covers."""
    from matplotlib.patches import FancyBboxPatch, Rectangle

    xs = [p[0] for p in points.values()]
    left, right = min(xs) - 18.0, max(xs) + 18.0
    furniture: dict[str, Any] = {
        "facecolor": "#D9C7A7",
        "edgecolor": SURFACE,
        "linewidth": 1.2,
        "zorder": 0.5,
    }
    words: dict[str, Any] = {"fontsize": SMALL_SIZE + 1, "color": MUTED}
    if pose.support == "mat":
        low = [p[0] for p in points.values() if p[1] < 30.0]
        ax.add_patch(
            FancyBboxPatch(
                (min(low) - 12.0, 0.0),
                max(low) - min(low) + 24.0,
                MAT,
                boxstyle="round,pad=0.4",
                facecolor=MUSCLE_COLOURS["iliacus"],
                alpha=0.35,
                edgecolor="none",
                zorder=0.6,
            )
        )
        ax.text(max(low) + 10.0, -4.0, "mat", ha="right", va="top", **words)
    elif pose.support == "bed":
        start, end = points["head"][0] - 20.0, max(points["other_ankle"][0], points["hip"][0]) + 25.0
        ax.add_patch(Rectangle((start, BED_TOP - 14.0), end - start, 14.0, **furniture))
        for x in (start + 3.0, end - 8.0):
            ax.add_patch(Rectangle((x, 0.0), 5.0, BED_TOP - 14.0, **furniture))
        ax.text(start + 6.0, BED_TOP - 7.0, "bed", va="center", zorder=1, **words)
    elif pose.support == "table":
        top = table_top(points)
        start, end = points["stretched_toe"][0] - 12.0, points["hand"][0] + 22.0
        ax.add_patch(Rectangle((start, top - 4.0), end - start, 4.0, **furniture))
        for x in (start + 3.0, end - 8.0):
            ax.add_patch(Rectangle((x, 0.0), 4.0, top - 4.0, **furniture))
        ax.text(end - 10.0, top - 9.0, "table", ha="right", va="center", **words)
    ax.plot([left, right], [0.0, 0.0], color=SURFACE, linewidth=3, zorder=0.4, solid_capstyle="butt")
    return left, right


def _draw_body(
    ax: Axes, points: dict[str, Point], leg: str, colour: str, zorder: float, shift: Point = (0.0, 0.0)
) -> None:
    def path(*names: str):
        return [points[n][0] + shift[0] for n in names], [points[n][1] + shift[1] for n in names]

    limb: dict[str, Any] = {
        "color": colour,
        "solid_capstyle": "round",
        "solid_joinstyle": "round",
        "zorder": zorder,
    }
    ax.plot(*path("hip", f"{leg}_knee", f"{leg}_ankle"), linewidth=8, **limb)
    ax.plot(*path(f"{leg}_heel", f"{leg}_ankle", f"{leg}_toe"), linewidth=5, **limb)


#: The drawn segments, by their end points: what a label must keep clear of.
_SEGMENTS = (
    ("hip", "shoulder"),
    ("shoulder", "head"),
    ("shoulder", "elbow"),
    ("elbow", "hand"),
    *(
        ("hip" if a == "hip" else f"{leg}_{a}", f"{leg}_{b}")
        for leg in ("stretched", "other")
        for a, b in _LIMB
    ),
)


def _add_math(p: Point, length: float, degrees: float) -> Point:
    """``p`` moved ``length`` along a direction given as matplotlib does (counter-clockwise from +x)."""
    return (p[0] + length * math.cos(math.radians(degrees)), p[1] + length * math.sin(math.radians(degrees)))


def _clearance(points: Mapping[str, Point], spot: Point) -> float:
    """Distance in cm from ``spot`` to the nearest drawn segment of the body."""

    def to_segment(a: Point, b: Point) -> float:
        dx, dy = b[0] - a[0], b[1] - a[1]
        t = ((spot[0] - a[0]) * dx + (spot[1] - a[1]) * dy) / ((dx * dx + dy * dy) or 1.0)
        t = max(0.0, min(1.0, t))
        return math.dist(spot, (a[0] + t * dx, a[1] + t * dy))

    return min(to_segment(points[a], points[b]) for a, b in _SEGMENTS)


def _angle_marker(ax: Axes, points: dict[str, Point], extension: float) -> None:
    """A dashed continuation of the trunk line through the hip, and the angle to the stretched thigh."""
    from matplotlib.patches import Arc

    hip, shoulder, knee = points["hip"], points["shoulder"], points["stretched_knee"]
    down = math.degrees(math.atan2(hip[1] - shoulder[1], hip[0] - shoulder[0]))
    thigh = math.degrees(math.atan2(knee[1] - hip[1], knee[0] - hip[0]))
    end = (hip[0] + 44 * math.cos(math.radians(down)), hip[1] + 44 * math.sin(math.radians(down)))
    ax.plot([hip[0], end[0]], [hip[1], end[1]], linestyle=(0, (4, 3)), color=MUTED, linewidth=1.4, zorder=4)
    lo, hi = sorted((down, thigh))
    if hi - lo > 180:
        lo, hi = hi, lo + 360
    ax.add_patch(Arc(hip, 60, 60, theta1=lo, theta2=hi, color=TEXT, linewidth=1.8, zorder=4))
    # The number goes beside the trunk line, on whichever side is clearer of the limbs; a little
    # further round only when that buys real room (the bridge's thigh lies close to the line).
    candidates = [(side * turn, turn) for turn in (16.0, 26.0) for side in (1.0, -1.0)]
    angle = max(
        candidates,
        key=lambda c: _clearance(points, _add_math(hip, 36.0, down + c[0])) - (3.0 if c[1] > 16.0 else 0.0),
    )[0]
    spot = _add_math(hip, 36.0, down + angle)
    ax.text(
        spot[0],
        spot[1],
        _degrees(extension),
        ha="center",
        va="center",
        fontsize=SMALL_SIZE + 3,
        fontweight="bold",
        color=TEXT,
        zorder=11,
        bbox={"boxstyle": "round,pad=0.15", "facecolor": "white", "edgecolor": "none", "alpha": 0.85},
        gid="hip_extension",
    )


def _draw_pose(ax: Axes, pose: Pose) -> tuple[float, float, float]:
    """One panel: support, body, the iliopsoas and (for a built-in pose) the hip angle.

    Returns the drawing's left, right and top in cm, for the figure to fit the panels to one scale.
    """
    from matplotlib.patches import Circle

    points = forward_kinematics(pose)
    psoas = MUSCLE_COLOURS["psoas_major"]
    left, right = _draw_support(ax, pose, points)

    far_shift = (3.0, 2.0) if pose.both_hips else (0.0, 0.0)
    # The table stands at the stretched leg's side, between us and the standing leg: that leg is behind it.
    _draw_body(ax, points, "other", FAR, 0.45 if pose.support == "table" else 1.0, far_shift)
    if pose.both_hips:
        xs, ys = zip(*_iliopsoas_line(points, pose, "other", far_shift), strict=True)
        ax.plot(
            xs,
            ys,
            color=psoas,
            alpha=0.55,
            linewidth=5,
            solid_capstyle="round",
            zorder=1.5,
            gid="iliopsoas_far",
        )
    # Trunk, head and arm.
    trunk: dict[str, Any] = {"color": NEAR, "solid_capstyle": "round", "zorder": 2}
    ax.plot(*zip(points["hip"], points["shoulder"], strict=True), linewidth=12, **trunk)
    ax.add_patch(Circle(points["head"], HEAD_RADIUS, facecolor=NEAR, edgecolor="none", zorder=2))
    ax.plot(*zip(points["shoulder"], points["head"], strict=True), linewidth=7, **trunk)  # the neck
    ax.plot(
        *zip(points["shoulder"], points["elbow"], points["hand"], strict=True),
        linewidth=6,
        solid_joinstyle="round",
        **trunk,
    )
    _draw_body(ax, points, "stretched", NEAR, 2.5)
    xs, ys = zip(*_iliopsoas_line(points, pose, "stretched"), strict=True)
    ax.plot(
        xs,
        ys,
        color=psoas,
        linewidth=6,
        solid_capstyle="round",
        solid_joinstyle="round",
        zorder=3,
        gid="iliopsoas",
    )
    if not pose.generic:
        _angle_marker(ax, points, hip_extension_deg(pose))
    top = max(p[1] for p in points.values()) + HEAD_RADIUS + 4.0
    return left, right, top


def _fit_panels(fig: Figure, axes: list[Axes], extents: list[tuple[float, float, float]]) -> None:
    """One scale (cm per inch) and one floor line for all panels, each centred in its own box.

    The same scale keeps start and end comparable (the same body is the same size in both); the
    limits follow each box's shape exactly, so equal aspect never shrinks a box. Narrow drawings (a
    standing figure) get narrower boxes moved towards the middle, so the two panels read as a pair.
    """
    bottom = -9.0
    width_in, height_in = fig.get_size_inches()
    boxes = [ax.get_position() for ax in axes]
    top = max(t for _l, _r, t in extents)
    scale = max(
        max((r - le) / (box.width * width_in) for (le, r, _t), box in zip(extents, boxes, strict=True)),
        (top - bottom) / (boxes[0].height * height_in),
    )
    widths = [
        min(box.width, max(_MIN_PANEL, (r - le) / scale / width_in))
        for (le, r, _t), box in zip(extents, boxes, strict=True)
    ]
    x = 0.5 - (sum(widths) + _PANEL_GAP * (len(widths) - 1)) / 2.0
    for ax, (le, r, _t), box, width in zip(axes, extents, boxes, widths, strict=True):
        ax.set_position((x, box.y0, width, box.height))
        x += width + _PANEL_GAP
        half = width * width_in * scale / 2.0
        middle = (le + r) / 2.0
        ax.set_xlim(middle - half, middle + half)
        ax.set_ylim(bottom, bottom + box.height * height_in * scale)
        ax.set_aspect("equal")


def _note(stretch: Stretch, poses: tuple[Pose, ...]) -> str:
    """The caption line: which hip comes first (or that both do), and the angles the panels show."""
    if poses[0].generic:
        return "A stand-in for this stretch's position; follow the written steps."
    low, high = (hip_extension_deg(p) for p in poses)
    if poses[0].both_hips:
        return (
            f"Mainly strengthening; both hips get a light stretch, from {_bent_words(low)} "
            f"to {_bent_words(high)}."
        )
    return (
        f"The {stretch.first_side} hip first: its thigh goes from {_degrees(low)} to {_degrees(high)} "
        "behind the line of the trunk (estimates)."
    )


def _bent_words(extension: float) -> str:
    if round(extension) < 0:
        return f"hips {_degrees(-extension)} bent"
    if round(extension) == 0:
        return "hips straight"
    return f"thighs {_degrees(extension)} behind the trunk line"


#: The narrowest a title may shrink to before it wraps onto a second line (points).
_TITLE_MIN_SIZE = 11
_TITLE_WIDTH = 0.97  # of the figure's width


def _fit_title(fig: Figure, heading: Text) -> None:
    """Make a long title fit across the figure: smaller type first, down to :data:`_TITLE_MIN_SIZE`, then
    two lines (broken between words), so a clinician's long stretch name is never cut off at the sides.
    """
    import textwrap

    from matplotlib.backends.backend_agg import FigureCanvasAgg

    renderer = FigureCanvasAgg(fig).get_renderer()
    room = fig.bbox.width * _TITLE_WIDTH

    def too_wide() -> bool:
        return heading.get_window_extent(renderer).width > room

    size = float(heading.get_fontsize())  # a number here: the title was given one (the stubs allow a name)
    while too_wide() and size > _TITLE_MIN_SIZE:
        size -= 1
        heading.set_fontsize(size)
    if too_wide():
        text = heading.get_text()
        scale = room / heading.get_window_extent(renderer).width
        width = max(10, int(len(text) * scale * 0.95))
        lines = textwrap.wrap(text, width, break_long_words=True) or [text]
        heading.set_text("\n".join([lines[0], " ".join(lines[1:])]) if len(lines) > 2 else "\n".join(lines))
        while too_wide() and size > 6:
            size -= 1
            heading.set_fontsize(size)


def pose_figure(stretch: Stretch, posture: StretchPosture | None = None) -> Figure:
    """Side-view stick figures of the stretch, start and end, with the stretched iliopsoas in colour.

    A built-in stretch gets two panels drawn from its posture estimate (``posture``, by default the
    package's; see :func:`poses_for`): "Start" at ``hip_extension_low_deg`` and "End" at
    ``hip_extension_high_deg``, each with its hip angle marked. Any other stretch (a clinician's own)
    gets one generic pose for its ``position``, and the title says so, so nobody mistakes the stand-in
    for instructions.
    """
    from matplotlib.figure import Figure
    from matplotlib.lines import Line2D

    poses = poses_for(stretch, posture)
    generic = poses[0].generic
    psoas = MUSCLE_COLOURS["psoas_major"]
    with style():
        fig = Figure(figsize=FIGSIZE, dpi=100)
        height = _AXES_TOP - _AXES_BOTTOM
        if generic:
            boxes = [(0.2, _AXES_BOTTOM, 0.6, height)]
        else:
            boxes = [(0.01, _AXES_BOTTOM, 0.48, height), (0.51, _AXES_BOTTOM, 0.48, height)]
        axes, extents = [], []
        for index, (pose, box) in enumerate(zip(poses, boxes, strict=True)):
            ax = fig.add_axes(box)
            ax.set_axis_off()
            if not generic:
                gid, title = PANELS[index]
                ax.set_gid(gid)
                ax.set_title(title, fontsize=SMALL_SIZE + 3, fontweight="bold", color=TEXT, pad=2)
            extents.append(_draw_pose(ax, pose))
            axes.append(ax)
        _fit_panels(fig, axes, extents)

        if generic:
            title = f"{stretch.name} (generic pose: {_POSITION_WORDS[str(stretch.position)]})"
        else:
            title = stretch.name
        heading = fig.suptitle(display_text(title), fontsize=16, fontweight="bold", y=0.985, va="top")
        _fit_title(fig, heading)
        fig.text(
            0.5, 0.895, _note(stretch, poses), ha="center", va="top", fontsize=SMALL_SIZE + 2, color=MUTED
        )
        label = "iliopsoas" if generic else "iliopsoas (being stretched)"
        legend = [Line2D([], [], color=psoas, linewidth=5, label=label)]
        if not generic:
            legend.append(Line2D([], [], color=MUTED, linestyle=(0, (4, 3)), label="line of the trunk"))
        fig.legend(
            handles=legend,
            loc="lower center",
            ncol=2,
            frameon=False,
            fontsize=SMALL_SIZE + 2,
            bbox_to_anchor=(0.5, 0.0),
        )
    return fig


__all__ = ["FIGSIZE", "PANELS", "pose_figure"]
