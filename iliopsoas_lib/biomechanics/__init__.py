"""How far each stretch lengthens the iliacus and psoas: a musculotendon path model.

The model is the published geometry of the OpenSim gait2392 model (Delp et al. 1990, CC BY 3.0):

- :mod:`.geometry` reads the hip joint and the two muscles' paths from ``data/hip_geometry.toml``;
- :mod:`.kinematics` moves the paths to a hip posture and measures lengths and moment arms, over the
  stretches' estimated postures (``[[posture]]`` content entries, loaded by the catalog).

Sentences and tables for people are in :mod:`iliopsoas_lib.presentation.biomechanics`. numpy is imported
here, not in the package ``iliopsoas_lib``, so ``import iliopsoas_lib`` stays cheap.
"""

from __future__ import annotations

from ..schema import StretchPosture
from .geometry import (
    COORDINATES,
    MUSCLES,
    HipGeometry,
    JointAxis,
    MuscleGeometry,
    PathPoint,
    geometry,
    read_geometry,
)
from .kinematics import (
    SITTING_FLEXION_DEG,
    STANDING,
    LengtheningRange,
    Posture,
    Shortening,
    StretchRow,
    conditional_switch_deg,
    femur_to_pelvis,
    lengthening,
    lengthening_table,
    load_postures,
    moment_arm,
    musculotendon_length,
    path_points,
    percent_of_standing,
    references,
    sitting_shortening,
    standing_length,
    stretch_lengthening,
    stretch_posture,
)

__all__ = [
    "COORDINATES",
    "MUSCLES",
    "SITTING_FLEXION_DEG",
    "STANDING",
    "HipGeometry",
    "JointAxis",
    "LengtheningRange",
    "MuscleGeometry",
    "PathPoint",
    "Posture",
    "Shortening",
    "StretchPosture",
    "StretchRow",
    "conditional_switch_deg",
    "femur_to_pelvis",
    "geometry",
    "lengthening",
    "lengthening_table",
    "load_postures",
    "moment_arm",
    "musculotendon_length",
    "path_points",
    "percent_of_standing",
    "read_geometry",
    "references",
    "sitting_shortening",
    "standing_length",
    "stretch_lengthening",
    "stretch_posture",
]
