"""How far each stretch lengthens the iliacus and psoas: a musculotendon path model.

The model is the published geometry of the OpenSim gait2392 model (Delp et al. 1990, CC BY 3.0), read
from ``data/hip_geometry.toml`` (derived by ``scripts/derive_hip_geometry.py``; nothing is parsed from
the model file at run time). Each muscle is a chain of points fixed to the pelvis or the thigh bone
(femur); the musculotendon length is the sum of the straight segments between consecutive active
points. One point near the front of the hip joint is "conditional": the model uses it only while the
hip flexion angle is inside the range the file gives (up to 45 degrees of flexion).

Why a model at all: a stretch is described by a posture, and a posture is a joint angle. The model
turns an angle into a length, so we can say that a kneeling lunge lengthens the psoas by a few percent
over standing while sitting shortens it by more. What it is not: a measurement of any one person, a
strain in the muscle fibres (the length includes the tendon), or a claim about how the stretch feels.

Sign conventions (as in OpenSim): hip flexion is positive (thigh forward), extension negative;
adduction positive (thigh across the midline); internal rotation positive. The moment arm is
``-dL/dq`` (q the flexion angle in radians), so a hip flexor has a positive flexion moment arm.

numpy is imported here, not in the package ``__init__``, so ``import iliopsoas_lib`` stays cheap.
"""

from __future__ import annotations

import math
import tomllib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Literal

import numpy as np
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    TypeAdapter,
    ValidationError,
    model_validator,
)

from .catalog import Catalog, Problem, load_catalog
from .schema import Source

if TYPE_CHECKING:  # pragma: no cover
    from numpy.typing import ArrayLike, NDArray

#: The muscles of the model, by the name the functions take, with the catalog id of the same muscle.
MUSCLES: Mapping[str, str] = {"iliacus": "iliacus", "psoas": "psoas_major"}

#: Our angle names and the model's coordinates they stand for.
COORDINATES: Mapping[str, str] = {
    "hip_flexion_deg": "hip_flexion_r",
    "hip_adduction_deg": "hip_adduction_r",
    "hip_rotation_deg": "hip_rotation_r",
}

#: Hip flexion while sitting upright on a chair, the posture blamed for tight hip flexors.
SITTING_FLEXION_DEG = 90.0

GEOMETRY_FILE = "hip_geometry.toml"
POSTURES_FILE = "stretch_postures.toml"


# --------------------------------------------------------------------------------------------------
# Geometry read from the TOML
# --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PathPoint:
    """One point of a muscle path, fixed in the pelvis or the femur frame (metres)."""

    name: str
    frame: str
    location: tuple[float, float, float]
    #: For a conditional point: the coordinate and the range (radians) in which the point is used.
    coordinate: str | None = None
    active_range: tuple[float, float] | None = None

    @property
    def conditional(self) -> bool:
        return self.active_range is not None


@dataclass(frozen=True)
class MuscleGeometry:
    """A muscle of the model: its path and the Hill-type parameters the model file gives."""

    name: str
    osim_name: str
    points: tuple[PathPoint, ...]
    max_isometric_force: float
    optimal_fiber_length: float
    tendon_slack_length: float
    pennation_angle_at_optimal: float


@dataclass(frozen=True)
class JointAxis:
    """One TransformAxis of the hip's SpatialTransform: value = slope * q + intercept (or a constant)."""

    name: str
    coordinate: str
    axis: tuple[float, float, float]
    slope: float
    intercept: float


@dataclass(frozen=True)
class HipGeometry:
    """Everything the model needs: the hip joint, the coordinate ranges and the two muscles."""

    parent_translation: NDArray[np.float64]
    parent_rotation: NDArray[np.float64]
    child_translation: NDArray[np.float64]
    child_rotation: NDArray[np.float64]
    rotations: tuple[JointAxis, ...]
    translations: tuple[JointAxis, ...]
    ranges_rad: Mapping[str, tuple[float, float]]
    muscles: Mapping[str, MuscleGeometry]
    knee_centre_in_femur: NDArray[np.float64]
    source: Source
    credits: str

    def range_deg(self, coordinate: str) -> tuple[float, float]:
        low, high = self.ranges_rad[coordinate]
        return math.degrees(low), math.degrees(high)


def _axis_rotation(axis: NDArray[np.float64], angle: NDArray[np.float64]) -> NDArray[np.float64]:
    """Rotation matrices (..., 3, 3) by ``angle`` (radians, any shape) about the unit vector ``axis``."""
    x, y, z = axis / np.linalg.norm(axis)
    c, s = np.cos(angle), np.sin(angle)
    t = 1.0 - c
    return np.stack(
        [
            np.stack([c + x * x * t, x * y * t - z * s, x * z * t + y * s], axis=-1),
            np.stack([y * x * t + z * s, c + y * y * t, y * z * t - x * s], axis=-1),
            np.stack([z * x * t - y * s, z * y * t + x * s, c + z * z * t], axis=-1),
        ],
        axis=-2,
    )


def _body_fixed_xyz(angles: list[float]) -> NDArray[np.float64]:
    """An offset frame's orientation: body-fixed X, then Y, then Z rotations (OpenSim's convention)."""
    out = np.eye(3)
    for axis, angle in zip(np.eye(3), angles, strict=True):
        out = out @ _axis_rotation(axis, np.float64(angle))
    return out


def _joint_axis(raw: Mapping[str, Any]) -> JointAxis:
    if raw["function"] == "linear":
        slope, intercept = raw["coefficients"]
    else:
        slope, intercept = 0.0, raw["value"]
    return JointAxis(raw["name"], raw["coordinate"], tuple(raw["axis"]), float(slope), float(intercept))


def read_geometry(path: str | Path | None = None) -> HipGeometry:
    """Read the hip geometry TOML (the package's own when ``path`` is None)."""
    if path is None:
        text = (resources.files("iliopsoas_lib") / "data" / GEOMETRY_FILE).read_text(encoding="utf-8")
    else:
        text = Path(path).read_text(encoding="utf-8")
    raw = tomllib.loads(text)
    hip = raw["hip_joint"]
    axes = [_joint_axis(a) for a in hip["axis"]]
    muscles = {}
    for name, m in raw["muscles"].items():
        points = tuple(
            PathPoint(
                name=p["name"],
                frame=p["frame"],
                location=tuple(p["location"]),
                coordinate=p.get("coordinate"),
                active_range=tuple(p["active_range_rad"]) if "active_range_rad" in p else None,
            )
            for p in m["path_point"]
        )
        muscles[name] = MuscleGeometry(
            name=name,
            osim_name=m["osim_name"],
            points=points,
            max_isometric_force=m["max_isometric_force"],
            optimal_fiber_length=m["optimal_fiber_length"],
            tendon_slack_length=m["tendon_slack_length"],
            pennation_angle_at_optimal=m["pennation_angle_at_optimal"],
        )
    return HipGeometry(
        parent_translation=np.array(hip["parent_translation"], dtype=float),
        parent_rotation=_body_fixed_xyz(hip["parent_orientation"]),
        child_translation=np.array(hip["child_translation"], dtype=float),
        child_rotation=_body_fixed_xyz(hip["child_orientation"]),
        rotations=tuple(axes[:3]),
        translations=tuple(axes[3:]),
        ranges_rad={name: tuple(c["range_rad"]) for name, c in raw["coordinates"].items()},
        muscles=muscles,
        knee_centre_in_femur=np.array(raw["drawing"]["knee_centre_in_femur"], dtype=float),
        source=TypeAdapter(Source).validate_python(raw["source"]),
        credits=raw["model"]["credits"],
    )


@cache
def geometry() -> HipGeometry:
    """The package's hip geometry, read once per process."""
    return read_geometry()


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
        rotation = rotation @ _axis_rotation(np.array(axis.axis), np.broadcast_to(angle, shape))
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
# The stretch postures file
# --------------------------------------------------------------------------------------------------

NonEmpty = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
Degrees = Annotated[float, Field(ge=-120, le=120)]


class StretchPosture(BaseModel):
    """The estimated hip posture of one stretch: a hip extension range (degrees beyond standing).

    Extension is positive here because that is how a stretch is described ("the hip opens 10 to 20
    degrees behind the body"); a negative value means the hip is still a little bent.
    """

    model_config = ConfigDict(strict=True, extra="forbid", frozen=True)

    stretch: NonEmpty
    hip_extension_low_deg: Degrees
    hip_extension_high_deg: Degrees
    hip_adduction_deg: Degrees = 0.0
    hip_rotation_deg: Degrees = 0.0
    estimate: Literal[True]
    how_estimated: NonEmpty
    sources: list[NonEmpty] = Field(default_factory=list)

    @model_validator(mode="after")
    def _ordered(self) -> StretchPosture:
        if self.hip_extension_low_deg > self.hip_extension_high_deg:
            raise ValueError(
                f"hip_extension_low_deg ({self.hip_extension_low_deg:g}) must not be above "
                f"hip_extension_high_deg ({self.hip_extension_high_deg:g})"
            )
        return self

    def flexion_range_deg(self) -> tuple[float, float]:
        """The same range as hip flexion angles in the model's sign (extension negative), low to high."""
        return -self.hip_extension_high_deg, -self.hip_extension_low_deg


class _PosturesFile(BaseModel):
    model_config = ConfigDict(strict=True, extra="forbid")

    posture: list[StretchPosture] = Field(min_length=1)


class PosturesError(ValueError):
    """The postures file is wrong. ``problems`` lists each (file, entry, field, expected)."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("Stretch postures not loaded:\n" + "\n".join(f"- {p}" for p in problems))


def parse_postures(name: str, text: str, catalog: Catalog | None = None) -> dict[str, StretchPosture]:
    """Validate a postures file's text; every stretch and source id must exist. Raises PosturesError."""
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise PosturesError([Problem(name, "", "", f"not valid TOML: {exc}")]) from None
    try:
        parsed = _PosturesFile.model_validate(raw)
    except ValidationError as exc:
        raise PosturesError([_problem(name, raw, err) for err in exc.errors()]) from None
    catalog = catalog or load_catalog()
    sources = {*catalog.sources, geometry().source.id}
    problems, out = [], {}
    for index, posture in enumerate(parsed.posture):
        label = f"posture #{index + 1} (stretch '{posture.stretch}')"
        if posture.stretch not in catalog.stretches:
            known = ", ".join(catalog.stretches)
            problems.append(Problem(name, label, "stretch", f"unknown stretch id; known: {known}"))
        if posture.stretch in out:
            problems.append(Problem(name, label, "stretch", "this stretch already has a posture"))
        for i, source_id in enumerate(posture.sources):
            if source_id not in sources:
                known = ", ".join(sorted(sources))
                field_name = f"sources[{i + 1}]"
                problems.append(Problem(name, label, field_name, f"unknown source id; known: {known}"))
        out[posture.stretch] = posture
    if problems:
        raise PosturesError(problems)
    return out


def _problem(name: str, raw: Any, err: Mapping[str, Any]) -> Problem:
    loc = list(err["loc"])
    entry = ""
    if len(loc) >= 2 and loc[0] == "posture" and isinstance(loc[1], int):
        entry = f"posture #{loc[1] + 1}"
        items = raw.get("posture")
        item = items[loc[1]] if isinstance(items, list) and loc[1] < len(items) else None
        if isinstance(item, dict) and isinstance(item.get("stretch"), str):
            entry += f" (stretch '{item['stretch']}')"
        loc = loc[2:]
    field_name = ".".join(f"[{p + 1}]" if isinstance(p, int) else str(p) for p in loc).replace(".[", "[")
    message = err["msg"]
    if err["type"] == "extra_forbidden":
        message = "unknown field (see StretchPosture in iliopsoas_lib/biomechanics.py for the fields)"
    elif err["type"] == "missing":
        message = "required field is missing"
    elif err["type"] == "literal_error" and field_name == "estimate":
        message = "must be true: every posture here is an estimate and says so"
    elif "input" in err and not isinstance(err["input"], dict | list):
        message += f" (got {err['input']!r})"
    return Problem(name, entry, field_name, message)


def load_postures(
    path: str | Path | None = None, catalog: Catalog | None = None
) -> dict[str, StretchPosture]:
    """The estimated posture of each stretch, by stretch id (the package's file when ``path`` is None)."""
    if path is None:
        return dict(_builtin_postures())
    return parse_postures(str(path), Path(path).read_text(encoding="utf-8"), catalog)


@cache
def _builtin_postures() -> tuple[tuple[str, StretchPosture], ...]:
    text = (resources.files("iliopsoas_lib") / "data" / POSTURES_FILE).read_text(encoding="utf-8")
    return tuple(parse_postures(f"iliopsoas_lib/data/{POSTURES_FILE}", text).items())


def stretch_posture(stretch_id: str) -> StretchPosture:
    postures = load_postures()
    try:
        return postures[stretch_id]
    except KeyError:
        raise ValueError(f"no posture for stretch {stretch_id!r}; known: {', '.join(postures)}") from None


def stretch_lengthening(stretch_id: str, muscle: str = "psoas") -> LengtheningRange:
    """The modelled lengthening range of ``muscle`` over the estimated posture of a stretch."""
    return lengthening(muscle, stretch_posture(stretch_id))


@dataclass(frozen=True)
class StretchRow:
    stretch_id: str
    extension_deg: tuple[float, float]
    iliacus: LengtheningRange
    psoas: LengtheningRange


def lengthening_table() -> list[StretchRow]:
    """Every stretch with a posture, with both muscles' lengthening ranges (file order)."""
    return [
        StretchRow(
            stretch_id=sid,
            extension_deg=(p.hip_extension_low_deg, p.hip_extension_high_deg),
            iliacus=lengthening("iliacus", p),
            psoas=lengthening("psoas", p),
        )
        for sid, p in load_postures().items()
    ]


def lengthening_table_text(catalog: Catalog | None = None) -> str:
    """The table as plain text, for notebooks (nbval compares it) and the widget's readout."""
    catalog = catalog or load_catalog()
    rows = lengthening_table()
    width = max(len(catalog.stretch(r.stretch_id).name) for r in rows)
    lines = [
        f"{'Stretch':{width}s}  {'hip extension':>14s}  {'iliacus longer by':>18s}  {'psoas longer by':>16s}",
    ]
    for r in rows:
        ext = f"{r.extension_deg[0]:g} to {r.extension_deg[1]:g} deg"
        ili = f"{r.iliacus.low_percent:.1f} to {r.iliacus.high_percent:.1f} %"
        pso = f"{r.psoas.low_percent:.1f} to {r.psoas.high_percent:.1f} %"
        lines.append(f"{catalog.stretch(r.stretch_id).name:{width}s}  {ext:>14s}  {ili:>18s}  {pso:>16s}")
    lines.append("(estimated postures; lengths relative to standing upright, from the gait2392 model)")
    return "\n".join(lines)


def sitting_text() -> str:
    """Sitting shortening of both muscles as two plain sentences."""
    lines = []
    for muscle in MUSCLES:
        s = sitting_shortening(muscle)
        lines.append(
            f"{muscle}: {s.standing_m * 100:.1f} cm standing, {s.sitting_m * 100:.1f} cm sitting "
            f"({s.flexion_deg:g} deg hip flexion): {s.mm:.0f} mm ({s.percent:.1f} %) shorter"
        )
    return "\n".join(lines)


def lengths_text(hip_flexion_deg: float) -> str:
    """Both muscles' lengths at one hip angle, for the widget readout and notebooks."""
    parts = []
    for muscle in MUSCLES:
        length = musculotendon_length(muscle, hip_flexion_deg)
        change = lengthening(muscle, Posture(hip_flexion_deg))
        parts.append(f"{muscle} {length * 100:.1f} cm ({change:+.1f} % vs standing)")
    return f"{angle_words(hip_flexion_deg)}: " + "; ".join(parts)


def moment_arms_text(hip_flexion_deg: float = 0.0) -> str:
    """Both muscles' hip flexion moment arms (leverage) at one angle, as plain text."""
    parts = [f"{m} {moment_arm(m, hip_flexion_deg) * 100:.1f} cm" for m in MUSCLES]
    return f"Flexion moment arm, {angle_words(hip_flexion_deg).lower()}: " + "; ".join(parts)


def angle_words(hip_flexion_deg: float) -> str:
    """'hip bent 30°', 'hip straight (standing)', 'hip extended 15°' for titles and readouts."""
    if abs(hip_flexion_deg) < 0.05:
        return "Hip straight (standing)"
    if hip_flexion_deg > 0:
        return f"Hip bent forward {hip_flexion_deg:g}°"
    return f"Hip extended back {-hip_flexion_deg:g}°"


def references(catalog: Catalog | None = None, *entries: object) -> list[Source]:
    """The sources behind a page that uses the model's numbers: those ``entries`` cite (the stretch
    postures when none are given), in catalog order, then the model itself."""
    catalog = catalog or load_catalog()
    model = catalog.source(geometry().source.id)
    cited = catalog.references(*(entries or tuple(load_postures().values())))
    return [s for s in cited if s.id != model.id] + [model]


def references_markdown(catalog: Catalog | None = None, *entries: object) -> str:
    """The numbered reference list for a page that uses the model: what ``entries`` cite (the stretch
    postures when none are given), then the model, each with its ``[id]``."""
    from .text import sources_markdown

    return sources_markdown(references(catalog, *entries))


__all__ = [
    "COORDINATES",
    "MUSCLES",
    "SITTING_FLEXION_DEG",
    "STANDING",
    "HipGeometry",
    "LengtheningRange",
    "MuscleGeometry",
    "PathPoint",
    "Posture",
    "PosturesError",
    "Shortening",
    "StretchPosture",
    "StretchRow",
    "angle_words",
    "conditional_switch_deg",
    "femur_to_pelvis",
    "geometry",
    "lengthening",
    "lengthening_table",
    "lengthening_table_text",
    "lengths_text",
    "load_postures",
    "moment_arm",
    "moment_arms_text",
    "musculotendon_length",
    "parse_postures",
    "path_points",
    "percent_of_standing",
    "read_geometry",
    "references",
    "references_markdown",
    "sitting_shortening",
    "sitting_text",
    "standing_length",
    "stretch_lengthening",
    "stretch_posture",
]
