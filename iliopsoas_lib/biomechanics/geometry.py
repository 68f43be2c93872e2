"""The hip of the OpenSim gait2392 model (Delp et al. 1990, CC BY 3.0), read from ``data/hip_geometry.toml``.

The file is derived from the model by ``scripts/derive_hip_geometry.py``; nothing is parsed from the
model file at run time, so a reader can see every number the model uses, with its credit and licence.
Each muscle is a chain of points fixed to the pelvis or the thigh bone (femur); one point near the front
of the hip joint is "conditional": the model uses it only while the hip flexion angle is inside the
range the file gives (up to 45 degrees of flexion). :mod:`.kinematics` moves the points and measures.

Sign conventions (as in OpenSim): hip flexion is positive (thigh forward), extension negative;
adduction positive (thigh across the midline); internal rotation positive.
"""

from __future__ import annotations

import math
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from ..schema import Source

if TYPE_CHECKING:  # pragma: no cover
    from numpy.typing import NDArray

#: The muscles of the model, by the name the functions take, with the catalog id of the same muscle.
MUSCLES: Mapping[str, str] = {"iliacus": "iliacus", "psoas": "psoas_major"}

#: Our angle names and the model's coordinates they stand for.
COORDINATES: Mapping[str, str] = {
    "hip_flexion_deg": "hip_flexion_r",
    "hip_adduction_deg": "hip_adduction_r",
    "hip_rotation_deg": "hip_rotation_r",
}

GEOMETRY_FILE = "hip_geometry.toml"


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


def axis_rotation(axis: NDArray[np.float64], angle: NDArray[np.float64] | float) -> NDArray[np.float64]:
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
        out = out @ axis_rotation(axis, np.float64(angle))
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
    from pydantic import TypeAdapter  # for the source table only; a content file would import it anyway

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
