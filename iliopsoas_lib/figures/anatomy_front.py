"""The front view of the iliopsoas: the lower spine, pelvis and upper thighs with its three muscles.

A teaching schematic, not anatomical art: bones are simple shapes in roughly true proportions (one
drawing unit is about 2.5 cm) so the reader sees where each muscle starts, which way it runs and where
it ends. Muscle names come from the catalog, so a renamed or translated muscle shows up here unchanged;
the only anatomy kept in code is the drawing geometry and where each label sits (:data:`LABELS`, drawn
by one loop).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

from . import BONE, BONE_EDGE, MUSCLE_COLOURS, MUTED, SMALL_SIZE, TEXT, style
from .outlines import Point, band, mirror, spline

if TYPE_CHECKING:  # pragma: no cover - for type checkers only
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

    from ..catalog import Catalog
    from .outlines import Points

#: The muscles the front view draws, in drawing order (deepest first).
FRONT_VIEW_MUSCLES = ("iliacus", "psoas_major", "psoas_minor")

#: Opacity of a muscle: normal, highlighted, and faded while another one is highlighted.
ALPHA_NORMAL = 0.8
ALPHA_STRONG = 0.95
ALPHA_FADED = 0.18

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

    bone: dict[str, Any] = {"facecolor": BONE, "edgecolor": BONE_EDGE, "linewidth": 1.2}
    for side in (1, -1):
        hip = HIP_BONE if side == 1 else mirror(HIP_BONE)
        fossa = ILIAC_FOSSA if side == 1 else mirror(ILIAC_FOSSA)
        femur = FEMUR if side == 1 else mirror(FEMUR)
        ax.add_patch(Polygon(spline(hip, 6, closed=True), closed=True, zorder=1, **bone))
        ax.add_patch(
            Polygon(
                spline(fossa, 6, closed=True), closed=True, facecolor="#DCCFB0", edgecolor="none", zorder=1.1
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
        ax.add_patch(Polygon(spline(femur, 4, closed=True), closed=True, zorder=1.3, **bone))
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
        line = spline(centre, 10)
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
            fibres.append(spline([tuple(a), tuple(mid), tuple(end)], 10))
        return fibres
    return []


def _draw_fibres(ax: Axes, muscle_id: str, highlight: str | None, zorder: float, mirrored: bool) -> None:
    alpha = 0.45 * _muscle_alpha(muscle_id, highlight)
    for fibre in _fibres(muscle_id):
        pts = mirror(fibre) if mirrored else fibre
        ax.plot(
            pts[:, 0],
            pts[:, 1],
            color="white",
            alpha=alpha,
            linewidth=0.8,
            zorder=zorder + 0.05,
            gid=f"fibres:{muscle_id}",
        )


@dataclass(frozen=True)
class Label:
    """One label of the front view: words joined by a thin leader line to the thing they name, so the
    figure reads without a colour legend.

    ``text`` is the words, or for a muscle (``muscle=True``) its catalog id: the words are then the
    catalog's name for it, drawn larger and dimmed while another muscle is highlighted. ``at`` is where
    the words sit, ``ha`` which of their ends sits there. ``also`` points a second leader at the same thing
    on the other side of the body.
    """

    text: str
    anchor: Point
    at: Point
    ha: Literal["left", "center", "right"] = "left"
    muscle: bool = False
    also: Point | None = None


#: Every label with a leader line, in drawing order. The muscles are named on the side they are drawn
#: on (psoas minor only on the person's right, the viewer's left); bones and landmarks on the left.
LABELS: tuple[Label, ...] = (
    Label("psoas_major", anchor=(2.15, 6.8), at=(6.3, 8.6), muscle=True),
    Label("iliacus", anchor=(4.55, 3.9), at=(6.3, 6.2), muscle=True),
    Label("psoas_minor", anchor=(-1.55, 7.6), at=(-5.6, 9.3), ha="right", muscle=True),
    Label("ends on the pelvic rim", anchor=(-ILIOPUBIC_EMINENCE[0], ILIOPUBIC_EMINENCE[1]), at=(-6.0, 2.0),
          ha="right"),
    Label("shared tendon", anchor=(3.6, -1.2), at=(6.3, -0.6)),
    Label("lesser trochanter", anchor=(-LESSER_TROCHANTER[0], LESSER_TROCHANTER[1]), at=(0.0, -3.9),
          ha="center", also=LESSER_TROCHANTER),
    Label("iliac fossa\n(inner bowl of the pelvis)", anchor=(-4.85, 4.3), at=(-6.0, 5.6), ha="right"),
    Label("hip joint", anchor=(-HIP_CENTRE[0] - 0.7, HIP_CENTRE[1] - 0.5), at=(-6.0, -1.3), ha="right"),
    Label("thigh bone\n(femur)", anchor=(-4.45, -5.5), at=(-6.0, -5.5), ha="right"),
)  # fmt: skip

#: Where the note on how often psoas minor is missing sits: under its label.
ABSENT_NOTE_AT: Point = (-5.6, 8.55)
MUSCLE_LABEL_SIZE = 14
LANDMARK_LABEL_SIZE = SMALL_SIZE + 1
_LEADER: dict[str, Any] = {"arrowstyle": "-", "color": MUTED, "linewidth": 0.9}


def _draw_label(ax: Axes, label: Label, names: dict[str, str], highlight: str | None) -> None:
    """One :class:`Label`: a second leader first (from the words' centre, clear of them), then the words
    with theirs."""
    if label.also is not None:
        ax.annotate("", xy=label.also, xytext=label.at, arrowprops={**_LEADER, "shrinkA": 8}, zorder=10)
    lit = highlight in (None, label.text)
    annotation = ax.annotate(
        names[label.text] if label.muscle else label.text,
        xy=label.anchor,
        xytext=label.at,
        ha=label.ha,
        va="center",
        fontsize=MUSCLE_LABEL_SIZE if label.muscle else LANDMARK_LABEL_SIZE,
        fontweight="bold" if label.muscle and lit else "normal",
        color=(TEXT if lit else MUTED) if label.muscle else MUTED,
        arrowprops={**_LEADER, "shrinkA": 3, "shrinkB": 0},
        zorder=10,
    )
    if label.muscle:
        annotation.set_gid(f"label:{label.text}")


def _draw_muscles(ax: Axes, highlight: str | None) -> None:
    """Psoas major and iliacus on both sides, psoas minor on one, and the points where they end."""
    for side in (1, -1):
        outlines: tuple[tuple[str, Points, float], ...] = (
            ("iliacus", spline(ILIACUS, 6, closed=True), 2.0),
            ("psoas_major", band(*PSOAS_MAJOR), 2.1),
        )
        for mid, outline, z in outlines:
            patch = _muscle_patch(ax, outline if side == 1 else mirror(outline), mid, highlight, z)
            _draw_fibres(ax, mid, highlight, patch.get_zorder(), mirrored=side == -1)
    # Psoas minor on the person's right only (viewer's left): it is often missing, and one copy
    # keeps psoas major visible on the other side.
    _muscle_patch(ax, mirror(band(*PSOAS_MINOR)), "psoas_minor", highlight, 2.2)
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
            [side * LESSER_TROCHANTER[0]], [LESSER_TROCHANTER[1]], "o", color="black", markersize=5, zorder=6
        )


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
        _draw_muscles(ax, highlight)
        for label in LABELS:
            _draw_label(ax, label, names, highlight)
        if absent is not None:
            note = ax.text(
                *ABSENT_NOTE_AT,
                f"absent in about {absent:g}%\nof people",
                ha="right",
                va="top",
                fontsize=LANDMARK_LABEL_SIZE,
                style="italic",
                color=TEXT if highlight in (None, "psoas_minor") else MUTED,
                zorder=10,
            )
            note.set_gid("note:psoas_minor")
        ax.text(
            0.0,
            _TOP + 0.45,
            "lower spine (T12 to L5)",
            ha="center",
            va="bottom",
            fontsize=LANDMARK_LABEL_SIZE,
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


__all__ = ["FRONT_VIEW_MUSCLES", "LABELS", "Label", "front_view"]
