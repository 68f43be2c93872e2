"""Derive iliopsoas_lib/data/hip_geometry.toml from the OpenSim gait2392 model file.

Why a derived file: the library must not parse a 4 MB XML model (or need OpenSim) at run time, and a
reader should be able to see every number the biomechanics model uses, with its credit and licence,
in one small text file. This script is the only place that reads the .osim; run it again if the model
file changes and commit the result.

Run from the repo root:
    python scripts/derive_hip_geometry.py [--osim PATH] [--out PATH]
"""

from __future__ import annotations

import argparse
import math
import xml.etree.ElementTree as ET
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_OSIM = ROOT / "tests" / "data" / "gait2392_thelen2003muscle.osim"  # credit: tests/data/README.md
DEFAULT_OUT = ROOT / "iliopsoas_lib" / "data" / "hip_geometry.toml"

#: Our muscle names and the right-side muscles of the model they come from.
MUSCLES = {"iliacus": "iliacus_r", "psoas": "psoas_r"}
HIP_JOINT = "hip_r"
KNEE_JOINT = "knee_r"
MUSCLE_PARAMETERS = (
    "max_isometric_force",
    "optimal_fiber_length",
    "tendon_slack_length",
    "pennation_angle_at_optimal",
)
REPOSITORY = "opensim-org/opensim-models"
REPOSITORY_COMMIT = "20a888b9655e73fb84963d6e03eee3752cf6074b"
REPOSITORY_PATH = "Models/Gait2392_Simbody/gait2392_thelen2003muscle.osim"


def numbers(text: str | None) -> list[float]:
    return [float(x) for x in (text or "").split()]


def one(parent: ET.Element, path: str) -> ET.Element:
    found = parent.find(path)
    if found is None:
        raise SystemExit(f"model file has no {path!r} under <{parent.tag} name={parent.get('name')!r}>")
    return found


def named(root: ET.Element, tag: str, name: str) -> ET.Element:
    return one(root, f".//{tag}[@name='{name}']")


def frame_body(socket: str) -> str:
    """'/bodyset/femur_r' -> 'femur_r'."""
    return socket.rstrip("/").rsplit("/", 1)[-1]


def transform_axis(axis: ET.Element) -> dict[str, object]:
    """One TransformAxis: its coordinate, unit axis and a linear or constant function of it."""
    coordinate = (one(axis, "coordinates").text or "").strip()
    out: dict[str, object] = {
        "name": axis.get("name"),
        "coordinate": coordinate,
        "axis": numbers(one(axis, "axis").text),
    }
    linear, constant = axis.find("LinearFunction"), axis.find("Constant")
    if linear is not None:
        out["function"] = "linear"
        out["coefficients"] = numbers(one(linear, "coefficients").text)
    elif constant is not None:
        out["function"] = "constant"
        out["value"] = float(one(constant, "value").text or 0)
    else:
        raise SystemExit(f"hip TransformAxis {axis.get('name')}: only Linear/Constant functions supported")
    return out


def offset_frames(joint: ET.Element) -> dict[str, dict[str, object]]:
    frames: dict[str, dict[str, object]] = {}
    for frame in joint.iter("PhysicalOffsetFrame"):
        frames[frame.get("name", "")] = {
            "body": frame_body(one(frame, "socket_parent").text or ""),
            "translation": numbers(one(frame, "translation").text),
            "orientation": numbers(one(frame, "orientation").text),
        }
    return frames


def hip_joint(root: ET.Element) -> dict[str, object]:
    joint = named(root, "CustomJoint", HIP_JOINT)
    frames = offset_frames(joint)
    parent = frames[one(joint, "socket_parent_frame").text or ""]
    child = frames[one(joint, "socket_child_frame").text or ""]
    transform = one(joint, "SpatialTransform")
    axes = [
        transform_axis(one(transform, f"TransformAxis[@name='{n}']"))
        for n in ("rotation1", "rotation2", "rotation3", "translation1", "translation2", "translation3")
    ]
    coordinates = {}
    for coord in joint.iter("Coordinate"):
        low, high = numbers(one(coord, "range").text)
        coordinates[coord.get("name")] = {
            "range_rad": [low, high],
            "range_deg": [round(math.degrees(low), 6), round(math.degrees(high), 6)],
            "default_value": float(one(coord, "default_value").text or 0),
        }
    return {"parent": parent, "child": child, "axes": axes, "coordinates": coordinates}


def knee_centre_in_femur(root: ET.Element) -> list[float]:
    """Knee joint centre in the femur frame at 0 knee angle, by linear interpolation of the knee splines.

    Used only to draw the thigh bone to scale; the muscle model does not depend on it.
    """
    joint = named(root, "CustomJoint", KNEE_JOINT)
    frames = offset_frames(joint)
    parent = frames[one(joint, "socket_parent_frame").text or ""]
    translation = parent["translation"]
    assert isinstance(translation, list)
    centre = [float(v) for v in translation]
    transform = one(joint, "SpatialTransform")
    for name in ("translation1", "translation2", "translation3"):
        axis = one(transform, f"TransformAxis[@name='{name}']")
        direction = numbers(one(axis, "axis").text)
        spline, constant = axis.find("SimmSpline"), axis.find("Constant")
        if spline is not None:
            xs, ys = numbers(one(spline, "x").text), numbers(one(spline, "y").text)
            k = next(i for i in range(len(xs) - 1) if xs[i] <= 0.0 <= xs[i + 1])
            value = ys[k] + (ys[k + 1] - ys[k]) * (0.0 - xs[k]) / (xs[k + 1] - xs[k])
        else:
            value = float(one(constant, "value").text or 0) if constant is not None else 0.0
        for j in range(3):
            centre[j] += value * direction[j]
    return [round(c, 6) for c in centre]


def muscle(root: ET.Element, osim_name: str) -> dict[str, object]:
    element = named(root, "Thelen2003Muscle", osim_name)
    points = []
    for point in one(element, "GeometryPath/PathPointSet/objects"):
        entry: dict[str, object] = {
            "name": point.get("name"),
            "kind": point.tag,
            "frame": frame_body(one(point, "socket_parent_frame").text or ""),
            "location": numbers(one(point, "location").text),
        }
        if point.tag == "ConditionalPathPoint":
            entry["coordinate"] = frame_body(one(point, "socket_coordinate").text or "")
            active_range = numbers(one(point, "range").text)
            entry["active_range_rad"] = active_range
            entry["active_range_deg"] = [round(math.degrees(v), 4) for v in active_range]
        elif point.tag != "PathPoint":
            raise SystemExit(f"{osim_name}: path point type {point.tag} is not supported")
        points.append(entry)
    wraps = element.find("GeometryPath/PathWrapSet/objects")
    if wraps is not None and len(wraps):
        raise SystemExit(f"{osim_name}: wrapping surfaces are not supported by the straight-line path model")
    parameters = {name: float(one(element, name).text or "nan") for name in MUSCLE_PARAMETERS}
    return {"osim_name": osim_name, "parameters": parameters, "points": points}


def toml_value(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(float(value)) if isinstance(value, float) else str(value)
    if isinstance(value, str):
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    if isinstance(value, list):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    raise TypeError(type(value))


def render(osim: Path, root: ET.Element) -> str:
    credits = " ".join((one(root, "Model/credits").text or "").split())
    publication = (
        "Delp SL, Loan JP, Hoy MG, Zajac FE, Topp EL, Rosen JM. An interactive graphics-based model of the "
        "lower extremity to study orthopaedic surgical procedures. IEEE Transactions on Biomedical "
        "Engineering 37:757-767, 1990."
    )
    hip = hip_joint(root)
    lines = [
        "# Hip and iliopsoas geometry of the OpenSim gait2392 model,",
        "# derived by scripts/derive_hip_geometry.py.",
        "# Do not edit by hand: run the script again instead.",
        "#",
        f"# Source: {REPOSITORY_PATH} from {REPOSITORY} (commit {REPOSITORY_COMMIT}),",
        "# an unmodified copy kept in tests/data/.",
        "# Licence: Creative Commons Attribution 3.0 (CC BY 3.0), http://creativecommons.org/licenses/by/3.0/",
        "# Credit: Delp S.L., Loan J.P., Hoy M.G., Zajac F.E., Topp E.L., Rosen J.M., Thelen D.G.,",
        "# Anderson F.C., Seth A. (model authors, as listed in the model's <credits>);",
        "# lower extremity joints after",
        f"# {publication}",
        "# This file holds numbers taken from that model (right side): unchanged, only selected.",
        "#",
        "# Frames (metres): the model's pelvis and femur_r body frames: +X anterior, +Y up, +Z right.",
        "# Angles: radians as in the model file; *_deg copies are for reading.",
        "",
        "[model]",
        f"file = {toml_value(REPOSITORY_PATH)}",
        f"repository = {toml_value(REPOSITORY)}",
        f"commit = {toml_value(REPOSITORY_COMMIT)}",
        'licence = "CC BY 3.0"',
        f"credits = {toml_value(credits)}",
        f"publication = {toml_value(publication)}",
        "",
        "# A reference in the shape of iliopsoas_lib/data/sources.toml, cited by stretch_postures.toml.",
        "[source]",
        'id = "delp1990_gait2392"',
        'kind = "model"',
        'authors = ["Delp SL", "Loan JP", "Hoy MG", "Zajac FE", "Topp EL", "Rosen JM"]',
        'title = "An interactive graphics-based model of the lower extremity to study orthopaedic surgical '
        'procedures"',
        'published_in = "IEEE Transactions on Biomedical Engineering 37:757-767; geometry as in the OpenSim '
        'gait2392 model (CC BY 3.0)"',
        "year = 1990",
        'note = "Musculotendon paths of iliacus and psoas and the hip joint of a generic adult model."',
        "",
        "# The hip joint (CustomJoint hip_r). A femur point p (femur_r frame) sits in the pelvis frame at",
        "#   p_pelvis = parent.translation",
        "#              + R_parent (R1(q1) R2(q2) R3(q3) R_child^T (p - child.translation) + translations),",
        "# where Rk rotates by the value of axis k's function about its axis: body-fixed, successive",
        "# rotations in the listed order (as Simbody's FunctionBased mobilizer composes them).",
        "# Offset orientations are body-fixed X-Y-Z rotation sequences.",
        "[hip_joint]",
        f"name = {toml_value(HIP_JOINT)}",
        f"parent_body = {toml_value(hip['parent']['body'])}",  # type: ignore[index]
        f"parent_translation = {toml_value(hip['parent']['translation'])}",  # type: ignore[index]
        f"parent_orientation = {toml_value(hip['parent']['orientation'])}",  # type: ignore[index]
        f"child_body = {toml_value(hip['child']['body'])}",  # type: ignore[index]
        f"child_translation = {toml_value(hip['child']['translation'])}",  # type: ignore[index]
        f"child_orientation = {toml_value(hip['child']['orientation'])}",  # type: ignore[index]
        "",
    ]
    for axis in hip["axes"]:  # type: ignore[attr-defined]
        lines.append("[[hip_joint.axis]]")
        lines += [f"{key} = {toml_value(value)}" for key, value in axis.items()]
        lines.append("")
    for name, coord in hip["coordinates"].items():  # type: ignore[attr-defined]
        lines.append(f"[coordinates.{name}]")
        lines += [f"{key} = {toml_value(value)}" for key, value in coord.items()]
        lines.append("")
    lines += [
        "# For drawing the thigh bone only: knee joint centre in the femur_r frame at 0 knee angle",
        "# (linear interpolation of the knee_r translation splines).",
        "[drawing]",
        f"knee_centre_in_femur = {toml_value(knee_centre_in_femur(root))}",
        "",
    ]
    for ours, osim_name in MUSCLES.items():
        data = muscle(root, osim_name)
        lines.append(f"[muscles.{ours}]")
        lines.append(f"osim_name = {toml_value(osim_name)}")
        lines += [f"{k} = {toml_value(v)}" for k, v in data["parameters"].items()]  # type: ignore[attr-defined]
        lines.append("")
        for point in data["points"]:  # type: ignore[attr-defined]
            lines.append(f"[[muscles.{ours}.path_point]]")
            lines += [f"{key} = {toml_value(value)}" for key, value in point.items()]
            lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--osim", type=Path, default=DEFAULT_OSIM)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args()
    root = ET.parse(args.osim).getroot()
    text = render(args.osim, root)
    args.out.write_text(text, encoding="utf-8")
    print(f"wrote {args.out} ({len(text.splitlines())} lines) from {args.osim}")


if __name__ == "__main__":
    main()
