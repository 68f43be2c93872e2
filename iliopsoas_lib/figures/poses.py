"""Stick figures of each stretch's key position, with the stretched iliopsoas drawn in.

A pose is joint-angle data (:class:`Pose`), not a picture: :func:`forward_kinematics` turns the
angles into points, and :func:`pose_figure` draws them. Keeping the angles as data lets the text and
the tests state what a figure shows, e.g. :func:`hip_extension_deg` gives how far the stretched thigh
is behind the line of the trunk: the quantity that makes a hip flexor stretch a stretch.

Angles are in degrees, in the side (sagittal) view, with the person facing right (+x):

- ``trunk``: lean of the trunk from upright, positive forwards; lying on the back with the head to
  the left is -90.
- ``*_hip``: hip flexion relative to the trunk line (thigh forwards positive, behind negative).
- ``*_knee``: knee bend (0 = straight). ``*_ankle``: pointing the foot (0 = standing foot).
- ``shoulder``: arm raised forwards relative to the trunk. ``elbow``: elbow bend.
- ``neck``: head nodded forwards relative to the trunk (a bridge tucks the chin so the head lies flat).

"stretched" is the leg whose hip is stretched (drawn on the near side); "other" is the other leg.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from . import MUSCLE_COLOURS, MUTED, SMALL_SIZE, SURFACE, TEXT, style

if TYPE_CHECKING:  # pragma: no cover - for type checkers only
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

    from ..schema import Stretch

Point = tuple[float, float]
Support = Literal["floor", "mat", "bed", "table"]

#: Segment lengths in centimetres, for an adult of about 1.75 m.
TRUNK = 52.0  # hip joint to shoulder joint
NECK = 9.0  # shoulder line to the base of the head
HEAD_RADIUS = 10.0
UPPER_ARM = 30.0
FOREARM = 34.0  # with the hand
THIGH = 44.0
SHIN = 45.0
FOOT = 17.0  # ankle to toes
HEEL = 7.5
ANKLE_HEIGHT = 8.0  # ankle joint above the sole when standing
#: The neutral foot points forwards and down from the ankle so the toes touch the floor.
FOOT_NEUTRAL = math.degrees(math.atan2(15.0, ANKLE_HEIGHT))

MAT = 1.5
BED_TOP = 55.0
BODY_DEPTH = 10.0  # a lying hip or shoulder joint is this far above what it lies on
KNEE_DEPTH = 5.0  # a kneeling knee joint above the floor or mat


@dataclass(frozen=True)
class Pose:
    """A stretch's key position as joint angles (degrees; see the module docstring for the signs).

    ``anchor`` names the point that rests on the support and ``anchor_height`` its height above the
    floor in cm: the whole figure is placed so that point sits there.
    """

    trunk: float
    stretched_hip: float
    stretched_knee: float
    stretched_ankle: float
    other_hip: float
    other_knee: float
    other_ankle: float
    shoulder: float
    elbow: float
    support: Support
    anchor: str
    anchor_height: float
    neck: float = 0.0
    both_hips: bool = False  # both hips at once, lightly (the bridge)
    generic: bool = False  # a stand-in drawn from the stretch's position only


def _direction(phi: float) -> Point:
    """Unit vector of a limb pointing ``phi`` degrees forward of straight down."""
    a = math.radians(phi)
    return (math.sin(a), -math.cos(a))


def _add(p: Point, length: float, phi: float) -> Point:
    d = _direction(phi)
    return (p[0] + length * d[0], p[1] + length * d[1])


def _leg(hip: Point, trunk: float, hip_deg: float, knee_deg: float, ankle_deg: float) -> dict[str, Point]:
    thigh = hip_deg - trunk
    shin = thigh - knee_deg
    foot = shin + FOOT_NEUTRAL - ankle_deg
    knee = _add(hip, THIGH, thigh)
    ankle = _add(knee, SHIN, shin)
    return {
        "knee": knee,
        "ankle": ankle,
        "toe": _add(ankle, FOOT, foot),
        "heel": _add(ankle, HEEL, foot - 85.0),
    }


def forward_kinematics(pose: Pose) -> dict[str, Point]:
    """Joint positions (cm, floor at y = 0, stretched hip at x = 0) from the pose's angles.

    Pure: the same pose gives the same points. The limbs are built outwards from the hip, then the
    whole figure is moved so ``pose.anchor`` sits at ``pose.anchor_height``.
    """
    hip = (0.0, 0.0)
    up = 180.0 - pose.trunk  # the trunk points up (180 degrees from "straight down"), leaning forwards
    shoulder = _add(hip, TRUNK, up)
    points = {
        "hip": hip,
        "shoulder": shoulder,
        "head": _add(shoulder, NECK + HEAD_RADIUS, up - pose.neck),
    }
    arm = pose.shoulder - pose.trunk
    points["elbow"] = _add(shoulder, UPPER_ARM, arm)
    points["hand"] = _add(points["elbow"], FOREARM, arm + pose.elbow)
    for side in ("stretched", "other"):
        leg = _leg(
            hip,
            pose.trunk,
            getattr(pose, f"{side}_hip"),
            getattr(pose, f"{side}_knee"),
            getattr(pose, f"{side}_ankle"),
        )
        points.update({f"{side}_{name}": point for name, point in leg.items()})
    if pose.anchor not in points:
        raise ValueError(f"anchor {pose.anchor!r} is not a point of the figure; points: {', '.join(points)}")
    dy = pose.anchor_height - points[pose.anchor][1]
    return {name: (x, y + dy) for name, (x, y) in points.items()}


def hip_extension_deg(pose: Pose) -> float:
    """How far the stretched thigh lies behind the line of the trunk, in degrees (positive = behind).

    This is the hip extension the stretch asks for; 0 means the thigh continues the trunk line.
    """
    return -pose.stretched_hip


#: The five built-in stretches' key positions, by stretch id. The numbers were chosen so feet, knees
#: and backs land on their support (tests check this to within a centimetre).
POSES: dict[str, Pose] = {
    # Split-stance lunge: back (stretched) leg straight with the heel down, front shin upright,
    # pelvis tucked under so the trunk stays upright; hands on the hips.
    "standing_hip_flexor": Pose(
        trunk=0.0, stretched_hip=-20.0, stretched_knee=0.0, stretched_ankle=-20.0,
        other_hip=28.6, other_knee=28.6, other_ankle=0.0, shoulder=-29.2, elbow=73.3,
        support="floor", anchor="other_ankle", anchor_height=ANKLE_HEIGHT,
    ),
    # Half-kneeling: the stretched knee on a mat with the shin flat behind, front knee at 90 degrees.
    "kneeling_hip_flexor": Pose(
        trunk=0.0, stretched_hip=-15.0, stretched_knee=75.0, stretched_ankle=62.0,
        other_hip=94.4, other_knee=90.0, other_ankle=4.4, shoulder=21.6, elbow=40.1,
        support="mat", anchor="stretched_knee", anchor_height=MAT + KNEE_DEPTH,
    ),
    # Bridge: shoulders and feet on the mat, hips lifted so both thighs pass the trunk line a little.
    "glute_bridge": Pose(
        trunk=-119.0, stretched_hip=-5.0, stretched_knee=114.0, stretched_ankle=0.0,
        other_hip=-5.0, other_knee=114.0, other_ankle=0.0, shoulder=-35.7, elbow=0.0,
        support="mat", anchor="shoulder", anchor_height=MAT + BODY_DEPTH, neck=29.0, both_hips=True,
    ),
    # On the back on a bed, the other foot on the bed, the stretched leg hanging down off the edge.
    "hip_flexor_bed": Pose(
        trunk=-90.0, stretched_hip=-25.0, stretched_knee=33.6, stretched_ankle=31.4,
        other_hip=45.0, other_knee=92.4, other_ankle=42.6, shoulder=-4.5, elbow=0.0,
        support="bed", anchor="hip", anchor_height=BED_TOP + BODY_DEPTH,
    ),
    # Standing on the other leg (knee soft), the stretched leg lying back on a table, hand on the table.
    "table_psoas": Pose(
        trunk=40.0, stretched_hip=-25.0, stretched_knee=25.0, stretched_ankle=62.0,
        other_hip=48.0, other_knee=15.0, other_ankle=-7.0, shoulder=40.0, elbow=18.2,
        support="table", anchor="other_ankle", anchor_height=ANKLE_HEIGHT,
    ),
}  # fmt: skip

#: Stand-ins for a clinician's own stretch, by its ``position``: the body in that position, neutral.
GENERIC_POSES: dict[str, Pose] = {
    "standing": Pose(
        trunk=0.0, stretched_hip=0.0, stretched_knee=0.0, stretched_ankle=0.0, other_hip=0.0, other_knee=0.0,
        other_ankle=0.0, shoulder=5.0, elbow=10.0, support="floor", anchor="other_ankle",
        anchor_height=ANKLE_HEIGHT, generic=True,
    ),
    "kneeling": Pose(
        trunk=0.0, stretched_hip=0.0, stretched_knee=90.0, stretched_ankle=62.0, other_hip=0.0,
        other_knee=90.0, other_ankle=62.0, shoulder=5.0, elbow=10.0, support="mat",
        anchor="stretched_knee", anchor_height=MAT + KNEE_DEPTH, generic=True,
    ),
    "lying_on_floor": Pose(
        trunk=-90.0, stretched_hip=0.0, stretched_knee=0.0, stretched_ankle=30.0, other_hip=0.0,
        other_knee=0.0, other_ankle=30.0, shoulder=2.0, elbow=0.0, support="mat", anchor="hip",
        anchor_height=MAT + BODY_DEPTH, generic=True,
    ),
    "lying_on_bed": Pose(
        trunk=-90.0, stretched_hip=0.0, stretched_knee=0.0, stretched_ankle=30.0, other_hip=0.0,
        other_knee=0.0, other_ankle=30.0, shoulder=2.0, elbow=0.0, support="bed", anchor="hip",
        anchor_height=BED_TOP + BODY_DEPTH, generic=True,
    ),
}  # fmt: skip

_POSITION_WORDS = {
    "standing": "standing",
    "kneeling": "kneeling",
    "lying_on_floor": "lying on the floor",
    "lying_on_bed": "lying on a bed",
}


def pose_for(stretch: Stretch) -> Pose:
    """The built-in pose for a built-in stretch id, else a generic one for the stretch's position."""
    pose = POSES.get(stretch.id)
    if pose is not None:
        return pose
    return GENERIC_POSES[str(stretch.position)]


# --------------------------------------------------------------------------------------------------
# Drawing
# --------------------------------------------------------------------------------------------------

NEAR = "#3E4652"
FAR = "#A9B1BC"


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


def table_top(points: dict[str, Point]) -> float:
    """Height of the table the stretched leg lies on: just under the knee and shin (a towel's depth)."""
    return min(points["stretched_knee"][1], points["stretched_ankle"][1]) - 5.5


def _draw_support(ax: Axes, pose: Pose, points: dict[str, Point]) -> tuple[float, float]:
    """Floor, mat, bed or table under the figure; returns the x range it covers."""
    from matplotlib.patches import FancyBboxPatch, Rectangle

    xs = [p[0] for p in points.values()]
    left, right = min(xs) - 18.0, max(xs) + 18.0
    furniture = {"facecolor": "#D9C7A7", "edgecolor": SURFACE, "linewidth": 1.2, "zorder": 0.5}
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
        ax.text(max(low) + 10.0, -4.0, "mat", ha="right", va="top", fontsize=SMALL_SIZE, color=MUTED)
    elif pose.support == "bed":
        start, end = points["head"][0] - 20.0, max(points["other_ankle"][0], points["hip"][0]) + 25.0
        ax.add_patch(Rectangle((start, BED_TOP - 14.0), end - start, 14.0, **furniture))
        for x in (start + 3.0, end - 8.0):
            ax.add_patch(Rectangle((x, 0.0), 5.0, BED_TOP - 14.0, **furniture))
        ax.text(start + 6.0, BED_TOP - 7.0, "bed", va="center", fontsize=SMALL_SIZE, color=MUTED, zorder=1)
    elif pose.support == "table":
        top = table_top(points)
        start, end = points["stretched_toe"][0] - 12.0, points["hand"][0] + 22.0
        ax.add_patch(Rectangle((start, top - 4.0), end - start, 4.0, **furniture))
        for x in (start + 3.0, end - 8.0):
            ax.add_patch(Rectangle((x, 0.0), 4.0, top - 4.0, **furniture))
        ax.text(end - 10.0, top - 9.0, "table", ha="right", va="center", fontsize=SMALL_SIZE, color=MUTED)
    ax.plot([left, right], [0.0, 0.0], color=SURFACE, linewidth=3, zorder=0.4, solid_capstyle="butt")
    return left, right


def _draw_body(
    ax: Axes, points: dict[str, Point], leg: str, colour: str, zorder: float, shift: Point = (0.0, 0.0)
) -> None:
    def path(*names: str):
        return [points[n][0] + shift[0] for n in names], [points[n][1] + shift[1] for n in names]

    limb = {"color": colour, "solid_capstyle": "round", "solid_joinstyle": "round", "zorder": zorder}
    ax.plot(*path("hip", f"{leg}_knee", f"{leg}_ankle"), linewidth=9, **limb)
    ax.plot(*path(f"{leg}_heel", f"{leg}_ankle", f"{leg}_toe"), linewidth=6, **limb)


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
    # The number goes just outside the angle, on the trunk-line side, where no limb is drawn.
    towards_thigh = 1.0 if (thigh - down + 180.0) % 360.0 - 180.0 > 0 else -1.0
    label = math.radians(down - towards_thigh * 14.0)
    ax.text(
        hip[0] + 33 * math.cos(label),
        hip[1] + 33 * math.sin(label),
        f"{extension:.0f}°",
        ha="center",
        va="center",
        fontsize=SMALL_SIZE + 1,
        fontweight="bold",
        color=TEXT,
        zorder=11,
        bbox={"boxstyle": "round,pad=0.15", "facecolor": "white", "edgecolor": "none", "alpha": 0.8},
        gid="hip_extension",
    )


def pose_figure(stretch: Stretch) -> Figure:
    """A side-view stick figure of the stretch's key position, with the stretched iliopsoas in colour.

    Built-in stretches get their own pose; any other stretch (a clinician's own) gets a generic pose
    for its ``position``, and the title says so, so nobody mistakes the stand-in for instructions.
    """
    from matplotlib.figure import Figure
    from matplotlib.lines import Line2D
    from matplotlib.patches import Circle

    pose = pose_for(stretch)
    points = forward_kinematics(pose)
    extension = hip_extension_deg(pose)
    psoas = MUSCLE_COLOURS["psoas_major"]
    with style():
        fig = Figure(figsize=(7.2, 5.0), dpi=100)
        ax = fig.add_axes((0.02, 0.1, 0.96, 0.74))
        ax.set_aspect("equal")
        ax.set_axis_off()
        left, right = _draw_support(ax, pose, points)

        far_shift = (3.0, 2.0) if pose.both_hips else (0.0, 0.0)
        _draw_body(ax, points, "other", FAR, 1.0, far_shift)
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
        trunk = {"color": NEAR, "solid_capstyle": "round", "zorder": 2}
        ax.plot(*zip(points["hip"], points["shoulder"], strict=True), linewidth=13, **trunk)
        ax.add_patch(Circle(points["head"], HEAD_RADIUS, facecolor=NEAR, edgecolor="none", zorder=2))
        ax.plot(*zip(points["shoulder"], points["head"], strict=True), linewidth=8, **trunk)  # the neck
        ax.plot(
            *zip(points["shoulder"], points["elbow"], points["hand"], strict=True),
            linewidth=7,
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
            _angle_marker(ax, points, extension)

        top = max(p[1] for p in points.values()) + HEAD_RADIUS + 6.0
        ax.set_xlim(left, right)
        ax.set_ylim(-8.0, top)
        # Equal aspect: widen whichever range is short so the figure fills the axes without distortion.
        box = ax.get_position()
        target = (box.height * 5.0) / (box.width * 7.2)
        width, height = right - left, top + 8.0
        if height / width < target:
            extra = target * width - height
            ax.set_ylim(-8.0 - extra / 2, top + extra / 2)
        else:
            extra = height / target - width
            ax.set_xlim(left - extra / 2, right + extra / 2)

        if pose.generic:
            title = f"{stretch.name} (generic pose: {_POSITION_WORDS[str(stretch.position)]})"
            note = "A stand-in for this stretch's position; follow the written steps."
        elif pose.both_hips:
            title = stretch.name
            note = f"Both hips at once, a light stretch: thighs {extension:.0f}° behind the trunk line."
        else:
            title = stretch.name
            note = f"The {stretch.first_side} hip first: its thigh is {extension:.0f}° behind the trunk line."
        fig.suptitle(title, fontsize=15, fontweight="bold", y=0.97)
        fig.text(0.5, 0.865, note, ha="center", fontsize=SMALL_SIZE + 1, color=MUTED)
        label = "iliopsoas" if pose.generic else "iliopsoas (being stretched)"
        legend = [Line2D([], [], color=psoas, linewidth=5, label=label)]
        if not pose.generic:
            legend.append(Line2D([], [], color=MUTED, linestyle=(0, (4, 3)), label="line of the trunk"))
        fig.legend(
            handles=legend,
            loc="lower center",
            ncol=2,
            frameon=False,
            fontsize=SMALL_SIZE + 1,
            bbox_to_anchor=(0.5, 0.0),
        )
    return fig


__all__ = [
    "GENERIC_POSES",
    "POSES",
    "Pose",
    "forward_kinematics",
    "hip_extension_deg",
    "pose_figure",
    "pose_for",
    "table_top",
]
