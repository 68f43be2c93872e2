"""How long the iliacus and psoas are at a hip posture, and how much each stretch lengthens them.

The musculotendon length is the sum of the straight segments between consecutive active points of a
muscle's path (:mod:`.geometry`), once the femur points are moved by the hip joint's rotations to the
posture asked for. The postures of the stretches are content (``[[posture]]`` entries, read by the
catalog like every other entry): each is an estimated hip extension range, turned here into a range of
lengths relative to upright standing.

Why a model at all: a stretch is described by a posture, and a posture is a joint angle. The model
turns an angle into a length, so we can say that a kneeling lunge lengthens the psoas by a few percent
over standing while sitting shortens it by more. What it is not: a measurement of any one person, a
strain in the muscle fibres (the length includes the tendon), or a claim about how the stretch feels.

The moment arm is ``-dL/dq`` (q the flexion angle in radians), so a hip flexor has a positive flexion
moment arm. Words and tables for people are in :mod:`iliopsoas_lib.presentation.biomechanics`.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from ..catalog import Catalog, builtin_postures, load_catalog, parse_postures
from ..schema import Source, StretchPosture
from .geometry import COORDINATES, MUSCLES, MuscleGeometry, axis_rotation, geometry

if TYPE_CHECKING:  # pragma: no cover
    from numpy.typing import ArrayLike, NDArray

#: Hip flexion while sitting upright on a chair, the posture blamed for tight hip flexors.
SITTING_FLEXION_DEG = 90.0


# --------------------------------------------------------------------------------------------------
# Kinematics and path length
# --------------------------------------------------------------------------------------------------


def _muscle(name: str) -> MuscleGeometry:
    try:
        return geometry().muscles[name]
    except KeyError:
        known = ", ".join(repr(m) for m in MUSCLES)
        raise ValueError(f"unknown muscle {name!r}; the model knows {known}") from None


def _angles_rad(**angles_deg: ArrayLike) -> dict[str, NDArray[np.float64]]:
    """Check each angle against its coordinate's range in the model file; return radians."""
    geo = geometry()
    out = {}
    for label, value in angles_deg.items():
        coordinate = COORDINATES[label]
        deg = np.asarray(value, dtype=float)
        low, high = geo.range_deg(coordinate)
        # The file stores the range rounded to 8 digits in radians (120° is 2.0943951): allow for that.
        bad = ~np.isfinite(deg) | (deg < low - 1e-6) | (deg > high + 1e-6)
        if np.any(bad):
            first = deg[bad].flat[0] if deg.ndim else float(deg)
            raise ValueError(
                f"{label} = {first:g} is outside the model's range for {coordinate} "
                f"({low:g} to {high:g} degrees)"
            )
        out[label] = np.radians(deg)
    return out


def _femur_to_pelvis(
    q: tuple[NDArray[np.float64], NDArray[np.float64], NDArray[np.float64]],
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Rotation (..., 3, 3) and translation (..., 3) that take femur-frame points into the pelvis frame.

    ``q`` holds the hip flexion, adduction and rotation (radians, broadcast together). The joint's
    rotations are body-fixed and applied in the SpatialTransform's order (rotation1, 2, 3), each about
    its axis from the file; the offset frames wrap them on both sides.
    """
    geo = geometry()
    values = dict(zip(("hip_flexion_r", "hip_adduction_r", "hip_rotation_r"), q, strict=True))
    shape = np.broadcast_shapes(*(v.shape for v in q))
    rotation = np.broadcast_to(np.eye(3), (*shape, 3, 3))
    for axis in geo.rotations:
        angle = axis.slope * values.get(axis.coordinate, 0.0) + axis.intercept
        rotation = rotation @ axis_rotation(np.array(axis.axis), np.broadcast_to(angle, shape))
    shift = np.zeros((*shape, 3))
    for axis in geo.translations:
        value = axis.slope * values.get(axis.coordinate, 0.0) + axis.intercept
        shift = shift + np.multiply.outer(np.broadcast_to(value, shape), np.array(axis.axis))
    # p_pelvis = t_P + R_P (R(q) R_C^T (p - t_C) + shift)
    r_total = geo.parent_rotation @ rotation @ geo.child_rotation.T
    t_total = (
        geo.parent_translation
        + np.einsum("ij,...j->...i", geo.parent_rotation, shift)
        - np.einsum("...ij,j->...i", r_total, geo.child_translation)
    )
    return r_total, t_total


def femur_to_pelvis(
    points: ArrayLike,
    hip_flexion_deg: float,
    hip_adduction_deg: float = 0.0,
    hip_rotation_deg: float = 0.0,
) -> NDArray[np.float64]:
    """Place points given in the femur frame, shape (n, 3), into the pelvis frame at a hip posture.

    Used to draw the thigh bone where the model puts it; the same transform moves the muscle points.
    """
    q = _angles_rad(
        hip_flexion_deg=hip_flexion_deg,
        hip_adduction_deg=hip_adduction_deg,
        hip_rotation_deg=hip_rotation_deg,
    )
    rotation, translation = _femur_to_pelvis(
        (q["hip_flexion_deg"], q["hip_adduction_deg"], q["hip_rotation_deg"])
    )
    return np.asarray(points, dtype=float) @ rotation.T + translation


def path_points(
    muscle: str, hip_flexion_deg: ArrayLike, hip_adduction_deg: ArrayLike = 0, hip_rotation_deg: ArrayLike = 0
) -> tuple[NDArray[np.float64], NDArray[np.bool_]]:
    """The muscle's path points in the pelvis frame, (..., n_points, 3), and which are active (..., n).

    For drawing and for checking the model: a conditional point is inactive outside its range.
    """
    m = _muscle(muscle)
    q = _angles_rad(
        hip_flexion_deg=hip_flexion_deg,
        hip_adduction_deg=hip_adduction_deg,
        hip_rotation_deg=hip_rotation_deg,
    )
    flexion, adduction, rotation = np.broadcast_arrays(
        q["hip_flexion_deg"], q["hip_adduction_deg"], q["hip_rotation_deg"]
    )
    r_total, t_total = _femur_to_pelvis((flexion, adduction, rotation))
    coordinate_values = {"hip_flexion_r": flexion, "hip_adduction_r": adduction, "hip_rotation_r": rotation}
    positions, active = [], []
    for point in m.points:
        local = np.array(point.location)
        if point.frame == "pelvis":
            positions.append(np.broadcast_to(local, (*flexion.shape, 3)))
        else:
            positions.append(np.einsum("...ij,j->...i", r_total, local) + t_total)
        if point.active_range is None:
            active.append(np.ones(flexion.shape, dtype=bool))
        else:
            value = coordinate_values[point.coordinate or ""]
            low, high = point.active_range
            active.append((value >= low) & (value <= high))
    return np.stack(positions, axis=-2), np.stack(active, axis=-1)


def _length_from_points(points: NDArray[np.float64], active: NDArray[np.bool_]) -> NDArray[np.float64]:
    """Sum of the straight segments between consecutive active points (the first point is always used)."""
    total = np.zeros(points.shape[:-2])
    previous = points[..., 0, :]
    for k in range(1, points.shape[-2]):
        current = points[..., k, :]
        used = active[..., k]
        step = np.linalg.norm(current - previous, axis=-1)
        total = total + np.where(used, step, 0.0)
        previous = np.where(used[..., None], current, previous)
    return total


def musculotendon_length(
    muscle: str, hip_flexion_deg: ArrayLike, hip_adduction_deg: ArrayLike = 0, hip_rotation_deg: ArrayLike = 0
) -> Any:
    """Musculotendon length of ``"iliacus"`` or ``"psoas"`` in metres at the given hip angles (degrees).

    Angles may be numbers or numpy arrays (broadcast together); the result is a float for scalar
    input and an array otherwise. Raises ValueError for an unknown muscle or an angle outside the
    model's coordinate range.
    """
    points, active = path_points(muscle, hip_flexion_deg, hip_adduction_deg, hip_rotation_deg)
    length = _length_from_points(points, active)
    return float(length) if length.ndim == 0 else length


def moment_arm(
    muscle: str, hip_flexion_deg: ArrayLike, hip_adduction_deg: ArrayLike = 0, hip_rotation_deg: ArrayLike = 0
) -> Any:
    """Hip flexion moment arm in metres: ``-dL/dq`` with q the flexion angle in radians (OpenSim's sign).

    Positive means the muscle flexes the hip. Computed analytically: each segment's length changes by
    its unit direction dotted with the velocity of its femur end when the femur turns about the first
    joint axis (the flexion axis, expressed in the pelvis frame). At the angle where the conditional
    point switches the length has a small step and the moment arm a jump; each side is exact.
    """
    m = _muscle(muscle)
    geo = geometry()
    points, active = path_points(muscle, hip_flexion_deg, hip_adduction_deg, hip_rotation_deg)
    flexion_axis = next(a for a in geo.rotations if a.coordinate == "hip_flexion_r")
    # dR/dq1 = [a1]x R (the first rotation is the outermost), scaled by the function's slope.
    if any(a.coordinate == "hip_flexion_r" for a in geo.translations):
        raise NotImplementedError("the analytic moment arm assumes the hip centre does not move with flexion")
    axis_in_pelvis = geo.parent_rotation @ (flexion_axis.slope * np.array(flexion_axis.axis))
    # The point about which the femur turns: the child frame's origin placed in the pelvis frame.
    r_total, t_total = _femur_to_pelvis(tuple(np.zeros(1) for _ in range(3)))  # type: ignore[arg-type]
    centre = (t_total + r_total @ geo.child_translation)[0]
    femur = np.array([p.frame != "pelvis" for p in m.points])
    # Velocity of each point per radian: a x (p - hip centre) for femur points, 0 for pelvis points.
    velocity = np.where(femur[:, None], np.cross(axis_in_pelvis, points - centre), 0.0)
    derivative = np.zeros(points.shape[:-2])
    prev_pos, prev_vel = points[..., 0, :], velocity[..., 0, :]
    for k in range(1, points.shape[-2]):
        used = active[..., k]
        delta = points[..., k, :] - prev_pos
        unit = delta / np.linalg.norm(delta, axis=-1, keepdims=True)
        rate = np.einsum("...i,...i->...", unit, velocity[..., k, :] - prev_vel)
        derivative = derivative + np.where(used, rate, 0.0)
        prev_pos = np.where(used[..., None], points[..., k, :], prev_pos)
        prev_vel = np.where(used[..., None], velocity[..., k, :], prev_vel)
    result = -derivative
    return float(result) if result.ndim == 0 else result


def conditional_switch_deg(muscle: str) -> tuple[float, float]:
    """The hip flexion range (degrees) in which the muscle's conditional via point is used."""
    for point in _muscle(muscle).points:
        if point.active_range is not None:
            return math.degrees(point.active_range[0]), math.degrees(point.active_range[1])
    raise ValueError(f"{muscle!r} has no conditional path point")


# --------------------------------------------------------------------------------------------------
# Postures and lengthening
# --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Posture:
    """A hip posture in degrees: flexion (+) / extension (-), adduction (+), internal rotation (+)."""

    hip_flexion_deg: float = 0.0
    hip_adduction_deg: float = 0.0
    hip_rotation_deg: float = 0.0


#: Standing upright: the reference length.
STANDING = Posture()


@dataclass(frozen=True)
class LengtheningRange:
    """How much longer than in standing a muscle is over a posture's range (percent and millimetres)."""

    muscle: str
    low_percent: float
    high_percent: float
    low_mm: float
    high_mm: float

    def __iter__(self) -> Iterator[float]:
        """Lets ``low, high = stretch_lengthening(...)`` unpack the percentages."""
        return iter((self.low_percent, self.high_percent))


@dataclass(frozen=True)
class Shortening:
    """How much shorter a muscle sits at ``flexion_deg`` than in standing."""

    muscle: str
    flexion_deg: float
    standing_m: float
    sitting_m: float

    @property
    def mm(self) -> float:
        return (self.standing_m - self.sitting_m) * 1000.0

    @property
    def percent(self) -> float:
        return (self.standing_m - self.sitting_m) / self.standing_m * 100.0


def standing_length(muscle: str) -> float:
    """Length in metres in upright standing (all hip angles 0), the reference for percentages."""
    return musculotendon_length(muscle, 0.0)


def percent_of_standing(muscle: str, hip_flexion_deg: float) -> float:
    """The muscle's length at a hip flexion angle as a percentage of its standing length (100 = standing).

    The one source of "how long is the muscle at this angle" for every page: the anatomy side view
    labels its panels with it, so notebook 01 and notebook 06 give a student the same number.
    """
    return musculotendon_length(muscle, hip_flexion_deg) / standing_length(muscle) * 100.0


def lengthening(muscle: str, posture: Posture | StretchPosture) -> Any:
    """Percent lengthening over standing for a posture (a float) or a stretch posture (a range).

    Positive means longer than in standing. For a :class:`StretchPosture` the result is a
    :class:`LengtheningRange` over its hip extension range.
    """
    if isinstance(posture, StretchPosture):
        return _range(muscle, posture)
    reference = standing_length(muscle)
    length = musculotendon_length(
        muscle, posture.hip_flexion_deg, posture.hip_adduction_deg, posture.hip_rotation_deg
    )
    return (length - reference) / reference * 100.0


def _range(muscle: str, posture: StretchPosture) -> LengtheningRange:
    reference = standing_length(muscle)
    ends = musculotendon_length(
        muscle,
        np.array([-posture.hip_extension_low_deg, -posture.hip_extension_high_deg]),
        posture.hip_adduction_deg,
        posture.hip_rotation_deg,
    )
    low, high = float(ends.min()), float(ends.max())
    return LengtheningRange(
        muscle=muscle,
        low_percent=(low - reference) / reference * 100.0,
        high_percent=(high - reference) / reference * 100.0,
        low_mm=(low - reference) * 1000.0,
        high_mm=(high - reference) * 1000.0,
    )


def sitting_shortening(muscle: str, flexion_deg: float = SITTING_FLEXION_DEG) -> Shortening:
    """How much shorter the muscle sits at ``flexion_deg`` of hip flexion (90 by default) than standing.

    Long hours of sitting keep the hip flexors in this shortened position, one reason given for
    their tightness.
    """
    return Shortening(muscle, flexion_deg, standing_length(muscle), musculotendon_length(muscle, flexion_deg))


# --------------------------------------------------------------------------------------------------
# The stretches' postures (content) and their lengthening
# --------------------------------------------------------------------------------------------------


def load_postures(
    path: str | Path | None = None, catalog: Catalog | None = None
) -> dict[str, StretchPosture]:
    """The estimated posture of each stretch, by stretch id: ``catalog``'s own (the built-in catalog's
    when None), or when ``path`` is given, those of that file checked against the catalog
    (:func:`iliopsoas_lib.catalog.parse_postures`; a mistake raises CatalogError)."""
    if path is None:
        return dict(catalog.postures if catalog is not None else builtin_postures())
    return parse_postures(str(path), Path(path).read_text(encoding="utf-8"), catalog)


def stretch_posture(stretch_id: str, catalog: Catalog | None = None) -> StretchPosture:
    """The estimated posture of one stretch; ValueError for a stretch without one."""
    postures = load_postures(catalog=catalog)
    try:
        return postures[stretch_id]
    except KeyError:
        raise ValueError(f"no posture for stretch {stretch_id!r}; known: {', '.join(postures)}") from None


def stretch_lengthening(stretch_id: str, muscle: str = "psoas") -> LengtheningRange:
    """The modelled lengthening range of ``muscle`` over the estimated posture of a stretch."""
    return lengthening(muscle, stretch_posture(stretch_id))


@dataclass(frozen=True)
class StretchRow:
    """One stretch's line of the lengthening table: its extension range and both muscles' ranges."""

    stretch_id: str
    extension_deg: tuple[float, float]
    iliacus: LengtheningRange
    psoas: LengtheningRange


def lengthening_table(catalog: Catalog | None = None) -> list[StretchRow]:
    """Every stretch with a posture, with both muscles' lengthening ranges (file order)."""
    return [
        StretchRow(
            stretch_id=sid,
            extension_deg=(p.hip_extension_low_deg, p.hip_extension_high_deg),
            iliacus=lengthening("iliacus", p),
            psoas=lengthening("psoas", p),
        )
        for sid, p in load_postures(catalog=catalog).items()
    ]


def references(catalog: Catalog | None = None, *entries: object) -> list[Source]:
    """The sources behind a page that uses the model's numbers: those ``entries`` cite (the stretch
    postures when none are given), in catalog order, then the model itself."""
    catalog = catalog or load_catalog()
    model = catalog.source(geometry().source.id)
    cited = catalog.references(*(entries or tuple(catalog.postures.values())))
    return [s for s in cited if s.id != model.id] + [model]
