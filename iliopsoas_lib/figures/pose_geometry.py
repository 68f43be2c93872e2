"""The stretch poses as data: joint angles (:class:`Pose`) and the body points they give.

A pose is joint-angle data, not a picture: :func:`forward_kinematics` turns the angles into points, and
:func:`iliopsoas_lib.figures.poses.pose_figure` draws them. Keeping the angles as data lets the text and
the tests state what a figure shows, e.g. :func:`hip_extension_deg` gives how far the stretched thigh
is behind the line of the trunk: the quantity that makes a hip flexor stretch a stretch.

The hip angle of a built-in stretch is not drawn by eye: it is the project's own posture estimate
(``data/stretch_postures.toml``, read through :func:`iliopsoas_lib.biomechanics.stretch_posture`), so
the picture, the biomechanics notebook and the lengthening table show one number. The "Start" panel
draws ``hip_extension_low_deg`` (the gentle version), the "End" panel ``hip_extension_high_deg``.
The other joints depend on that angle: they are solved (bisection on one angle, or the law of cosines
for a two-segment limb), never hand-tuned, so feet, knees and backs stay on the floor, mat, bed or
table whatever the posture numbers say. :func:`stretch_poses` builds the two poses from a posture.

Angles are in degrees, in the side (sagittal) view, with the person facing right (+x):

- ``trunk``: lean of the trunk from upright, positive forwards; lying on the back with the head to
  the left is -90.
- ``*_hip``: hip flexion relative to the trunk line (thigh forwards positive, behind negative).
- ``*_knee``: knee bend (0 = straight). ``*_ankle``: pointing the foot (0 = standing foot).
- ``shoulder``: arm raised forwards relative to the trunk. ``elbow``: elbow bend.
- ``neck``: head nodded forwards relative to the trunk (a bridge tucks the chin so the head lies flat).

"stretched" is the leg whose hip is stretched (drawn on the near side); "other" is the other leg.
A limb's direction ("phi" below) is measured in the picture: degrees forward (+x) of straight down.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:  # pragma: no cover - for type checkers only
    from ..schema import Stretch, StretchPosture

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
HAND_DEPTH = 2.5  # a resting hand's joint line above what it rests on
TOWEL = 5.5  # the table psoas stretch's knee and ankle joints above the table top (a folded towel)

#: Choices the steps leave open, kept as named numbers so a reader can see (and change) them.
#: The split stance leans the trunk this far forwards (hands on the hips): with the back leg straight,
#: an upright trunk could show the data's small lunge angles (0 degrees) only with the feet together.
LUNGE_LEAN = 10.0
#: Hands on the hips in the lunge: arm and elbow angles relative to the trunk.
HANDS_ON_HIPS = (-29.2, 73.3)
#: The leg on the table is straight but for this slight give at the knee, as a leg lying on a towel.
TABLE_KNEE = 4.0
#: The standing leg's "soft" knee in the table stretch, and the elbow of the hand on the table.
STANDING_KNEE = 15.0
TABLE_ELBOW = 20.0
#: The half-kneeling front knee at the start ("bent to a right angle"); the foot then stays put.
FRONT_KNEE = 90.0
#: The bed stretch's other thigh, raised this far from the bed (knee bent, foot on the bed).
BED_OTHER_HIP = 45.0


class PoseError(ValueError):
    """A posture the figure cannot be drawn in: e.g. no knee bend puts the foot on the floor."""


@dataclass(frozen=True)
class Pose:
    """A stretch's position as joint angles (degrees; see the module docstring for the signs).

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


def _phi(start: Point, end: Point) -> float:
    """The direction of ``end`` seen from ``start``, as ``phi`` (the inverse of :func:`_direction`)."""
    return math.degrees(math.atan2(end[0] - start[0], start[1] - end[1]))


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

    This is the hip extension the stretch asks for; 0 means the thigh continues the trunk line and a
    negative value means the hip is still bent (the start of the bridge).
    """
    return -pose.stretched_hip


def table_top(points: Mapping[str, Point]) -> float:
    """Height of the table the stretched leg lies on: just under the knee and shin (a towel's depth)."""
    return min(points["stretched_knee"][1], points["stretched_ankle"][1]) - TOWEL


# --------------------------------------------------------------------------------------------------
# Solving the joints that depend on the hip angle
# --------------------------------------------------------------------------------------------------


def _bisect(residual: Callable[[float], float], lo: float, hi: float, what: str) -> float:
    """The angle between ``lo`` and ``hi`` where ``residual`` (a height or distance in cm) is zero.

    Bisection rather than Newton's method: it needs only a sign change, cannot wander off to a second,
    unphysical solution (a knee bent backwards), and takes the same steps every time, so the same
    posture always gives the same figure, byte for byte.
    """
    f_lo, f_hi = residual(lo), residual(hi)
    if f_lo == 0.0:
        return lo
    if f_hi == 0.0:
        return hi
    if (f_lo > 0.0) == (f_hi > 0.0):
        raise PoseError(f"cannot draw {what}: no angle between {lo:g} and {hi:g} degrees does it")
    for _ in range(64):
        mid = 0.5 * (lo + hi)
        f_mid = residual(mid)
        if f_mid == 0.0:
            return mid
        if (f_mid > 0.0) == (f_lo > 0.0):
            lo, f_lo = mid, f_mid
        else:
            hi = mid
    return 0.5 * (lo + hi)


def _reach(
    start: Point, target: Point, first: float, second: float, knee: bool, what: str
) -> tuple[float, float]:
    """Directions (phi) of a two-segment limb from ``start`` whose end lies on ``target``.

    Exact, by the law of cosines. ``knee=True`` bends the middle joint like a knee (the second segment
    turned back from the first: a positive knee bend), ``False`` like the elbows here (turned forward).
    """
    distance = math.dist(start, target)
    if not abs(first - second) <= distance <= first + second:
        raise PoseError(f"cannot draw {what}: {distance:.0f} cm away, out of the limb's reach")
    cos_open = (first**2 + distance**2 - second**2) / (2.0 * first * distance)
    opening = math.degrees(math.acos(max(-1.0, min(1.0, cos_open))))
    phi1 = _phi(start, target) + (opening if knee else -opening)
    return phi1, _phi(_add(start, first, phi1), target)


def _lying_arm(trunk: float) -> float:
    """The ``shoulder`` angle that lays a straight arm beside a lying body, the hand on what it lies on."""
    return math.degrees(math.acos((BODY_DEPTH - HAND_DEPTH) / (UPPER_ARM + FOREARM))) + trunk


def _leg_to(pose: Pose, side: str, target: Point, what: str) -> Pose:
    """``pose`` with the leg ``side`` bent so its ankle is at ``target`` and the foot flat (sole level).

    The pose's anchor must not be on that leg (it is not: legs are solved after the body is placed).
    """
    hip = forward_kinematics(pose)["hip"]
    thigh, shin = _reach(hip, target, THIGH, SHIN, knee=True, what=what)
    angles: dict[str, Any] = {
        f"{side}_hip": thigh + pose.trunk,
        f"{side}_knee": thigh - shin,
        f"{side}_ankle": shin,
    }
    return replace(pose, **angles)


def _height(pose: Pose, point: str) -> float:
    return forward_kinematics(pose)[point][1]


def _lunge(extension: float) -> Pose:
    """Split stance: back (stretched) leg straight, heel down; front shin upright, knee bent as needed.

    A longer step lowers the hips and opens the back hip, so each hip angle has its own step length:
    the front thigh angle is solved so that the front foot, too, is flat on the floor.
    """
    trunk = LUNGE_LEAN
    back = extension + trunk  # the back leg's angle behind straight down

    def pose(front: float) -> Pose:  # ``front``: the front thigh's direction; the shin hangs straight
        return Pose(
            trunk=trunk, stretched_hip=-extension, stretched_knee=0.0, stretched_ankle=-back,
            other_hip=front + trunk, other_knee=front, other_ankle=0.0,
            shoulder=HANDS_ON_HIPS[0], elbow=HANDS_ON_HIPS[1],
            support="floor", anchor="stretched_ankle", anchor_height=ANKLE_HEIGHT,
        )  # fmt: skip

    front = _bisect(
        lambda a: _height(pose(a), "other_ankle") - ANKLE_HEIGHT, 0.0, 89.0, "the front foot on the floor"
    )
    return pose(front)


def _lunge_poses(low: float, high: float) -> tuple[Pose, Pose]:
    return _lunge(low), _lunge(high)


def _half_kneel(extension: float) -> Pose:
    """Half-kneeling, trunk upright: the stretched knee on the mat, its shin flat behind (toes back).

    The front leg is left straight here; the callers bend it to put its foot on the mat.
    """
    return Pose(
        trunk=0.0, stretched_hip=-extension, stretched_knee=90.0 - extension, stretched_ankle=FOOT_NEUTRAL,
        other_hip=90.0, other_knee=0.0, other_ankle=0.0, shoulder=0.0, elbow=0.0,
        support="mat", anchor="stretched_knee", anchor_height=MAT + KNEE_DEPTH,
    )  # fmt: skip


def _hands_on_front_knee(pose: Pose) -> Pose:
    """Both hands resting on top of the front thigh just behind the knee ("hands on your front knee")."""
    points = forward_kinematics(pose)
    hip, knee = points["hip"], points["other_knee"]
    along = _phi(hip, knee)
    target = _add(_add(hip, THIGH - 8.0, along), 6.0, 180.0)  # on top of the thigh, 8 cm short of the knee
    shoulder = points["shoulder"]
    reach = UPPER_ARM + FOREARM - 0.5
    if math.dist(shoulder, target) > reach:  # too far for the arm: reach towards it, arm almost straight
        target = _add(shoulder, reach, _phi(shoulder, target))
    upper, fore = _reach(shoulder, target, UPPER_ARM, FOREARM, knee=False, what="the hands on the knee")
    return replace(pose, shoulder=upper + pose.trunk, elbow=fore - upper)


def _kneeling_poses(low: float, high: float) -> tuple[Pose, Pose]:
    """Start: front knee at a right angle, foot flat. End: the weight shifted forward over the same feet.

    Only the kneeling thigh's angle changes between the two: the knee on the mat and the front foot
    stay where they are, and the front knee bends further as the hips move forward.
    """

    def start_pose(front: float) -> Pose:
        base = _half_kneel(low)
        return replace(base, other_hip=front, other_knee=FRONT_KNEE, other_ankle=front - FRONT_KNEE)

    front = _bisect(
        lambda a: _height(start_pose(a), "other_ankle") - (MAT + ANKLE_HEIGHT),
        45.0,
        180.0,
        "the front foot on the mat",
    )
    start = start_pose(front)
    points = forward_kinematics(start)
    foot = (
        points["other_ankle"][0] - points["stretched_knee"][0],
        points["other_ankle"][1] - points["stretched_knee"][1],
    )
    end = _half_kneel(high)
    knee = forward_kinematics(end)["stretched_knee"]
    end = _leg_to(end, "other", (knee[0] + foot[0], knee[1] + foot[1]), "the front foot where it was")
    return _hands_on_front_knee(start), _hands_on_front_knee(end)


def _bridge(extension: float, trunk: float, knee: float, ankle: float) -> Pose:
    """On the back, shoulders and head on the mat, both legs alike; the hips lifted by ``trunk``."""
    return Pose(
        trunk=trunk, stretched_hip=-extension, stretched_knee=knee, stretched_ankle=ankle,
        other_hip=-extension, other_knee=knee, other_ankle=ankle,
        shoulder=_lying_arm(trunk), elbow=0.0,
        support="mat", anchor="shoulder", anchor_height=MAT + BODY_DEPTH,
        neck=-90.0 - trunk, both_hips=True,
    )  # fmt: skip


def _bridge_poses(low: float, high: float) -> tuple[Pose, Pose]:
    """The feet stay on the mat where they are; only the hips rise (the trunk tilts) between the two.

    End: the trunk tilts until the shins stand upright with the feet flat on the mat. Start: the hips
    lower, the hip bent by the start angle, with the feet on the same spot (the knee angle follows).
    """
    floor = MAT + ANKLE_HEIGHT

    def upright_shins(trunk: float) -> Pose:
        thigh = -high - trunk  # the thigh's direction; bending the knee by as much makes the shin upright
        return _bridge(high, trunk, thigh, 0.0)

    trunk = _bisect(
        lambda t: _height(upright_shins(t), "stretched_ankle") - floor, -175.0, -90.0, "the feet on the mat"
    )
    end = upright_shins(trunk)
    points = forward_kinematics(end)
    # Where the feet are, seen from the shoulders: both stay on the mat while the hips move.
    foot = (
        points["stretched_ankle"][0] - points["shoulder"][0],
        points["stretched_ankle"][1] - points["shoulder"][1],
    )

    def knee_and_foot(t: float) -> tuple[Point, Point]:
        points = forward_kinematics(_bridge(low, t, 0.0, 0.0))
        shoulder = points["shoulder"]
        return points["stretched_knee"], (shoulder[0] + foot[0], shoulder[1] + foot[1])

    start_trunk = _bisect(
        lambda t: math.dist(*knee_and_foot(t)) - SHIN,
        trunk - 30.0,
        -90.0,
        "the hips lowered over the same feet",
    )
    knee, target = knee_and_foot(start_trunk)
    shin = _phi(knee, target)
    bend = (-low - start_trunk) - shin
    return _bridge(low, start_trunk, bend, shin), end


def _bed(extension: float) -> Pose:
    """On the back on a bed, the other foot on the bed, the stretched leg over the edge.

    The hanging shin hangs straight down, unless that would put the foot through the floor: then the
    knee straightens just enough for the foot to rest on the floor ("hover or rest lightly").
    """
    thigh = 90.0 - extension  # the trunk lies along +x from the hip down, so this is below level

    def pose(knee: float, other_knee: float) -> Pose:
        return Pose(
            trunk=-90.0, stretched_hip=-extension, stretched_knee=knee, stretched_ankle=thigh - knee,
            other_hip=BED_OTHER_HIP, other_knee=other_knee, other_ankle=BED_OTHER_HIP + 90.0 - other_knee,
            shoulder=_lying_arm(-90.0), elbow=0.0,
            support="bed", anchor="hip", anchor_height=BED_TOP + BODY_DEPTH,
        )  # fmt: skip

    other = _bisect(
        lambda k: _height(pose(thigh, k), "other_ankle") - (BED_TOP + ANKLE_HEIGHT),
        0.0,
        BED_OTHER_HIP + 90.0,
        "the other foot on the bed",
    )
    knee = thigh  # the shin hangs straight down
    if _height(pose(knee, other), "stretched_ankle") < ANKLE_HEIGHT:
        knee = _bisect(
            lambda k: _height(pose(k, other), "stretched_ankle") - ANKLE_HEIGHT,
            0.0,
            thigh,
            "the hanging foot on the floor",
        )
    return pose(knee, other)


def _bed_poses(low: float, high: float) -> tuple[Pose, Pose]:
    return _bed(low), _bed(high)


def _table(extension: float) -> Pose:
    """The stretched leg lies straight back along a table; the trunk leans over it, hand on the table.

    The leg is (almost) level, so the hip angle is set by how far the trunk leans forwards: lifting the
    chest opens the hip. The standing leg puts its foot under the hip; the arm reaches the table.
    """
    trunk = 90.0 - TABLE_KNEE - extension  # the thigh is TABLE_KNEE short of level behind the hip

    def pose(standing: float, arm: float) -> Pose:  # the standing thigh's and the upper arm's phi
        return Pose(
            trunk=trunk, stretched_hip=-extension, stretched_knee=TABLE_KNEE, stretched_ankle=FOOT_NEUTRAL,
            other_hip=standing + trunk, other_knee=STANDING_KNEE, other_ankle=standing - STANDING_KNEE,
            shoulder=arm + trunk, elbow=TABLE_ELBOW,
            support="table", anchor="other_ankle", anchor_height=ANKLE_HEIGHT,
        )  # fmt: skip

    def under_hip(a: float) -> float:
        points = forward_kinematics(pose(a, 0.0))
        return points["other_ankle"][0] - points["hip"][0]

    standing = _bisect(under_hip, -45.0, 60.0, "the standing foot under the hip")

    def hand_on_table(a: float) -> float:
        points = forward_kinematics(pose(standing, a))
        return points["hand"][1] - (table_top(points) + HAND_DEPTH)

    arm = _bisect(hand_on_table, 0.0, 90.0, "the hand on the table")
    return pose(standing, arm)


def _table_poses(low: float, high: float) -> tuple[Pose, Pose]:
    return _table(low), _table(high)


#: How each built-in stretch's start and end poses are built from its hip extension range, by id.
PoseBuilder = Callable[[float, float], tuple[Pose, Pose]]
POSE_BUILDERS: Mapping[str, PoseBuilder] = {
    "standing_hip_flexor": _lunge_poses,
    "kneeling_hip_flexor": _kneeling_poses,
    "glute_bridge": _bridge_poses,
    "hip_flexor_bed": _bed_poses,
    "table_psoas": _table_poses,
}

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


def stretch_poses(stretch_id: str, posture: StretchPosture) -> tuple[Pose, Pose]:
    """The (start, end) poses of a built-in stretch drawn at a posture's low and high hip extension.

    Any posture will do, not only the package's: e.g. ``dataclasses.replace(posture,
    hip_extension_high_deg=30.0)`` shows what a changed estimate would look like. Raises
    :class:`PoseError` for a posture the body cannot take with its feet, knees and back on their
    supports, ValueError for an id with no built-in pose.
    """
    builder = POSE_BUILDERS.get(stretch_id)
    if builder is None:
        raise ValueError(f"no built-in pose for stretch {stretch_id!r}; known: {', '.join(POSE_BUILDERS)}")
    if posture.stretch != stretch_id:
        raise ValueError(f"the posture is for {posture.stretch!r}, not for {stretch_id!r}")
    return builder(posture.hip_extension_low_deg, posture.hip_extension_high_deg)


def posture_for(stretch: Stretch) -> StretchPosture | None:
    """The package's posture estimate for a built-in stretch; None for any other (a clinician's own)."""
    if stretch.id not in POSE_BUILDERS:
        return None
    from ..catalog import builtin_postures

    return builtin_postures().get(stretch.id)


def poses_for(stretch: Stretch, posture: StretchPosture | None = None) -> tuple[Pose, ...]:
    """What :func:`pose_figure` draws: (start, end) from the posture for a built-in stretch, else one
    generic pose for the stretch's ``position`` (a clinician's stretch has no posture to draw from).

    ``posture`` defaults to the package's estimate (:func:`posture_for`).
    """
    posture = posture if posture is not None else posture_for(stretch)
    if posture is None or stretch.id not in POSE_BUILDERS:
        return (GENERIC_POSES[str(stretch.position)],)
    return stretch_poses(stretch.id, posture)


__all__ = [
    "ANKLE_HEIGHT",
    "BED_TOP",
    "BODY_DEPTH",
    "GENERIC_POSES",
    "HAND_DEPTH",
    "HEAD_RADIUS",
    "KNEE_DEPTH",
    "MAT",
    "POSE_BUILDERS",
    "SHIN",
    "THIGH",
    "TRUNK",
    "Pose",
    "PoseError",
    "forward_kinematics",
    "hip_extension_deg",
    "poses_for",
    "posture_for",
    "stretch_poses",
    "table_top",
]
