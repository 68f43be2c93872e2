"""The musculotendon path model against numbers derived here, independently, from the OpenSim model file.

The test parses the .osim itself (xml.etree), places the femur points by hand with the hip joint's
rotations written out as explicit matrices, and sums the segment lengths: it shares no code with the
library, which reads only the derived TOML.
"""

from __future__ import annotations

import itertools
import math
import re
import xml.etree.ElementTree as ET

import numpy as np
import pytest
from conftest import DATA

from iliopsoas_lib import biomechanics as bio
from iliopsoas_lib.catalog import CatalogError, parse_postures
from iliopsoas_lib.figures.biomechanics import (
    CHART_RANGE_DEG,
    MODEL_COLOURS,
    hip_side_view,
    length_chart,
    lengths_for_chart,
)
from iliopsoas_lib.presentation.biomechanics import lengthening_table_text, lengths_text

OSIM = DATA / "gait2392_thelen2003muscle.osim"  # unmodified copy; origin and credit in tests/data/README.md
OSIM_NAMES = {"iliacus": "iliacus_r", "psoas": "psoas_r"}


# ---------------------------------------------------------------------------------------------
# An independent reading of the model file
# ---------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def osim():
    return ET.parse(OSIM).getroot()


def vec(text):
    return np.array([float(x) for x in text.split()])


def rot_x(a):
    c, s = math.cos(a), math.sin(a)
    return np.array([[1, 0, 0], [0, c, -s], [0, s, c]])


def rot_y(a):
    c, s = math.cos(a), math.sin(a)
    return np.array([[c, 0, s], [0, 1, 0], [-s, 0, c]])


def rot_z(a):
    c, s = math.cos(a), math.sin(a)
    return np.array([[c, -s, 0], [s, c, 0], [0, 0, 1]])


def hand_length(root, muscle, flexion_deg, adduction_deg=0.0, rotation_deg=0.0):
    """Length by hand: gait2392's hip is flexion about Z, then adduction about X, then rotation about Y."""
    hip = root.find(".//CustomJoint[@name='hip_r']")
    axes = [vec(hip.find(f".//TransformAxis[@name='rotation{i}']/axis").text) for i in (1, 2, 3)]
    # The file's axes are Z, X, Y: check, so the explicit matrices below are the right ones.
    assert [tuple(a) for a in axes] == [(0, 0, 1), (1, 0, 0), (0, 1, 0)]
    centre = vec(hip.find(".//PhysicalOffsetFrame[@name='pelvis_offset']/translation").text)
    q1, q2, q3 = (math.radians(v) for v in (flexion_deg, adduction_deg, rotation_deg))
    rotation = rot_z(q1) @ rot_x(q2) @ rot_y(q3)
    points = []
    for point in root.find(f".//Thelen2003Muscle[@name='{OSIM_NAMES[muscle]}']//PathPointSet/objects"):
        location = vec(point.find("location").text)
        frame = point.find("socket_parent_frame").text
        if point.tag == "ConditionalPathPoint":
            low, high = vec(point.find("range").text)
            if not low <= q1 <= high:
                continue
        points.append(location if frame.endswith("pelvis") else centre + rotation @ location)
    return sum(float(np.linalg.norm(b - a)) for a, b in itertools.pairwise(points))


@pytest.mark.parametrize("muscle", ["iliacus", "psoas"])
@pytest.mark.parametrize("pose", [(0, 0, 0), (-15, 0, 0), (30, 0, 0), (70, 0, 0), (-10, 8, -12)])
def test_length_matches_hand_calculation_from_osim(osim, muscle, pose):
    assert bio.musculotendon_length(muscle, *pose) == pytest.approx(
        hand_length(osim, muscle, *pose), abs=1e-12
    )


# Recorded with the opensim 4.6 PyPI package (Model.getLength / computeMomentArm on this .osim file),
# so the check against OpenSim itself runs even where that package is not installed.
OPENSIM_4_6 = {
    # (flexion, adduction, rotation): {muscle: (length m, flexion moment arm m)}
    (-20, 0, 0): {"iliacus": (0.219874893, 0.034353165), "psoas": (0.273548613, 0.033470321)},
    (-15, 10, 0): {"iliacus": (0.216537796, 0.036001589), "psoas": (0.270309322, 0.03491543)},
    (-10, -15, 20): {"iliacus": (0.21308995, 0.035035377), "psoas": (0.267270222, 0.03433401)},
    (60, 5, -10): {"iliacus": (0.162211486, 0.045384725), "psoas": (0.216291407, 0.045129217)},
    (100, 0, 0): {"iliacus": (0.135718086, 0.007921919), "psoas": (0.193512742, -0.002964585)},
}


@pytest.mark.parametrize("pose", list(OPENSIM_4_6))
def test_matches_recorded_opensim_output(pose):
    for muscle, (length, arm) in OPENSIM_4_6[pose].items():
        assert bio.musculotendon_length(muscle, *pose) == pytest.approx(length, abs=1e-8)
        assert bio.moment_arm(muscle, *pose) == pytest.approx(arm, abs=1e-8)


def test_matches_live_opensim_when_installed():
    osim_pkg = pytest.importorskip(
        "opensim", reason="optional cross-check: the opensim package is not a dependency of the project"
    )
    model = osim_pkg.Model(str(OSIM))
    state = model.initSystem()
    coords = model.getCoordinateSet()
    names = ("hip_flexion_r", "hip_adduction_r", "hip_rotation_r")
    for pose in [(-25, 0, 0), (10, -5, 15), (80, 0, 0)]:
        for name, value in zip(names, pose, strict=True):
            coords.get(name).setValue(state, math.radians(value))
        model.realizePosition(state)
        for muscle, osim_name in OSIM_NAMES.items():
            assert bio.musculotendon_length(muscle, *pose) == pytest.approx(
                model.getMuscles().get(osim_name).getLength(state), abs=1e-9
            )


def test_muscle_parameters_come_from_the_file(osim):
    for muscle, osim_name in OSIM_NAMES.items():
        element = osim.find(f".//Thelen2003Muscle[@name='{osim_name}']")
        geo = bio.geometry().muscles[muscle]
        assert geo.max_isometric_force == float(element.find("max_isometric_force").text)
        assert geo.optimal_fiber_length == float(element.find("optimal_fiber_length").text)
        assert geo.tendon_slack_length == float(element.find("tendon_slack_length").text)
        assert geo.pennation_angle_at_optimal == float(element.find("pennation_angle_at_optimal").text)


# ---------------------------------------------------------------------------------------------
# Behaviour
# ---------------------------------------------------------------------------------------------


def test_vectorised_equals_scalar():
    angles = np.array([-30.0, -5.5, 0.0, 44.0, 46.0, 110.0])
    lengths = bio.musculotendon_length("psoas", angles)
    assert isinstance(lengths, np.ndarray) and lengths.shape == (6,)
    assert lengths.tolist() == pytest.approx([bio.musculotendon_length("psoas", float(a)) for a in angles])
    assert isinstance(bio.musculotendon_length("psoas", 10), float)
    grid = bio.musculotendon_length("iliacus", angles[:, None], np.array([0.0, 10.0])[None, :])
    assert grid.shape == (6, 2)


@pytest.mark.parametrize("muscle", ["iliacus", "psoas"])
@pytest.mark.parametrize("deg", [-25.0, -10.0, 0.0, 20.0, 60.0, 95.0])
def test_moment_arm_is_minus_finite_difference(muscle, deg):
    h = 1e-4  # degrees
    rad = math.radians(h)
    diff = (bio.musculotendon_length(muscle, deg + h) - bio.musculotendon_length(muscle, deg - h)) / (2 * rad)
    assert bio.moment_arm(muscle, deg) == pytest.approx(-diff, rel=1e-6, abs=1e-9)
    if deg < 80:
        assert bio.moment_arm(muscle, deg) > 0.02  # hip flexors: positive flexion moment arm of 2-5 cm


@pytest.mark.parametrize("muscle", ["iliacus", "psoas"])
def test_length_grows_with_extension_and_falls_with_flexion(muscle):
    angles = np.arange(-30.0, 90.0, 1.0)
    lengths = bio.musculotendon_length(muscle, angles)
    assert np.all(np.diff(lengths) < 0)
    assert bio.lengthening(muscle, bio.Posture(-15)) > 0 > bio.lengthening(muscle, bio.Posture(30))
    assert bio.lengthening(muscle, bio.STANDING) == 0.0


@pytest.mark.parametrize("muscle", ["iliacus", "psoas"])
def test_conditional_point_switches_where_the_file_says(osim, muscle):
    point = osim.find(f".//Thelen2003Muscle[@name='{OSIM_NAMES[muscle]}']//ConditionalPathPoint")
    low, high = (math.degrees(v) for v in vec(point.find("range").text))
    assert bio.conditional_switch_deg(muscle) == pytest.approx((low, high))
    _, inside = bio.path_points(muscle, high - 0.01)
    _, outside = bio.path_points(muscle, high + 0.01)
    assert inside.all() and not outside.all() and outside.sum() == inside.sum() - 1
    # Leaving the via point out is a small step down in length at the switch (the path straightens).
    before, after = bio.musculotendon_length(muscle, np.array([high - 1e-6, high + 1e-6]))
    assert after < before
    assert before - after == pytest.approx(
        hand_length(osim, muscle, high - 1e-6) - hand_length(osim, muscle, high + 1e-6), abs=1e-9
    )


def test_unknown_muscle_names_the_known_ones():
    with pytest.raises(ValueError, match=r"unknown muscle 'rectus'.*'iliacus', 'psoas'"):
        bio.musculotendon_length("rectus", 0)
    with pytest.raises(ValueError, match="unknown muscle"):
        bio.moment_arm("Psoas", 0)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"hip_flexion_deg": 130}, r"hip_flexion_deg = 130 is outside the model's range for hip_flexion_r"),
        ({"hip_flexion_deg": np.array([0, -121])}, r"hip_flexion_deg = -121 is outside"),
        ({"hip_flexion_deg": 0, "hip_adduction_deg": 200}, r"hip_adduction_deg = 200 .*hip_adduction_r"),
        ({"hip_flexion_deg": float("nan")}, r"hip_flexion_deg = nan is outside"),
    ],
)
def test_angle_outside_range(kwargs, message):
    with pytest.raises(ValueError, match=message):
        bio.musculotendon_length("psoas", **kwargs)


def test_model_range_ends_are_accepted():
    assert bio.musculotendon_length("psoas", np.array([-120.0, 120.0])).shape == (2,)


def test_sitting_shortening():
    for muscle in bio.MUSCLES:
        s = bio.sitting_shortening(muscle)
        assert s.flexion_deg == 90
        assert s.sitting_m == bio.musculotendon_length(muscle, 90)
        assert s.mm == pytest.approx((bio.standing_length(muscle) - s.sitting_m) * 1000)
        assert 15 < s.percent < 40 and s.mm > 40


def test_every_stretch_has_a_posture_and_a_range(catalog):
    postures = bio.load_postures()
    assert list(postures) == list(catalog.stretches)
    for stretch_id, posture in postures.items():
        assert posture.estimate is True and posture.how_estimated
        low, high = bio.stretch_lengthening(stretch_id)
        assert low <= high
        # the range is the model's length at the two ends of the posture's range
        standing = bio.standing_length("psoas")
        ends = [bio.musculotendon_length("psoas", a) for a in posture.flexion_range_deg()]
        assert (min(ends) - standing) / standing * 100 == pytest.approx(low)
        assert (max(ends) - standing) / standing * 100 == pytest.approx(high)
    kneeling = bio.stretch_lengthening("kneeling_hip_flexor", "iliacus")
    assert kneeling.low_percent > 0 and kneeling.high_mm > kneeling.low_mm > 0
    with pytest.raises(ValueError, match="no posture for stretch 'couch'"):
        bio.stretch_lengthening("couch")


def test_table_text_lists_every_stretch(catalog):
    text = lengthening_table_text(catalog)
    for stretch in catalog.stretches.values():
        assert stretch.name in text
    assert "estimated" in text


GOOD = """
[[posture]]
stretch = "glute_bridge"
hip_extension_low_deg = -10.0
hip_extension_high_deg = 0.0
estimate = true
how_estimated = "judged"
sources = ["lindberg_verywell", "delp1990_gait2392"]
"""


def problems(text, catalog):
    with pytest.raises(CatalogError) as info:
        parse_postures("clinic_postures.toml", text, catalog)
    return info.value.problems


def test_postures_file_validates(catalog):
    assert parse_postures("ok.toml", GOOD, catalog)["glute_bridge"].hip_extension_low_deg == -10
    # whole degrees may be written without a decimal point
    whole = GOOD.replace("-10.0", "-10").replace("= 0.0", "= 0")
    assert parse_postures("ok.toml", whole, catalog)["glute_bridge"].hip_extension_high_deg == 0


@pytest.mark.parametrize(
    ("change", "field", "expected"),
    [
        (
            ("hip_extension_low_deg = -10.0", 'hip_extension_low_deg = "ten"'),
            "hip_extension_low_deg",
            "must be a number",
        ),
        (("estimate = true", "estimate = false"), "estimate", "must be true: every posture here is an"),
        (("estimate = true\n", ""), "estimate", "this field is missing"),
        (("estimate = true", "estimate = true\nangle = 3"), "angle", "unknown field"),
        (("hip_extension_low_deg = -10.0", "hip_extension_low_deg = 5.0"), "", "must not be above"),
        (("hip_extension_high_deg = 0.0", "hip_extension_high_deg = 150.0"), "hip_extension_high_deg", "120"),
        (('"delp1990_gait2392"', '"nobody2020"'), "sources", "unknown source id 'nobody2020'"),
        (('stretch = "glute_bridge"', 'stretch = "couch"'), "stretch", "unknown stretch id"),
    ],
)
def test_postures_errors_name_file_entry_and_field(catalog, change, field, expected):
    (problem,) = problems(GOOD.replace(*change), catalog)
    assert problem.file == "clinic_postures.toml"
    assert problem.entry.startswith("posture #1")
    assert problem.field == field
    assert expected in problem.expected
    assert problem.line is not None
    assert f"clinic_postures.toml, line {problem.line}, posture #1" in str(CatalogError([problem]))


def test_postures_file_bad_toml(catalog):
    (problem,) = problems("[[posture]\n", catalog)
    assert "not valid TOML" in problem.expected


def test_a_clinicians_content_file_adds_the_posture_of_its_own_stretch():
    """Postures are content like the rest: a clinic's file gives its new stretch a posture, and the
    model's table and lengthening follow it."""
    from iliopsoas_lib.catalog import ContentText, load_catalog
    from iliopsoas_lib.clinic import template_text

    mine = GOOD.replace('"glute_bridge"', '"half_kneeling_wall"').replace(', "delp1990_gait2392"', "")
    catalog = load_catalog(ContentText("mine.toml", template_text() + mine))
    posture = catalog.postures["half_kneeling_wall"]
    assert list(catalog.postures)[-1] == "half_kneeling_wall" and posture.hip_extension_low_deg == -10
    assert bio.stretch_posture("half_kneeling_wall", catalog) == posture
    assert [row.stretch_id for row in bio.lengthening_table(catalog)][-1] == "half_kneeling_wall"
    assert "Half-kneeling" in lengthening_table_text(catalog).splitlines()[-2]
    assert catalog.added() == [
        "source:clinic_protocol",
        "stretch:half_kneeling_wall",
        "posture:half_kneeling_wall",
    ]


def test_a_postures_file_on_disk_replaces_the_estimates_for_a_comparison(tmp_path, catalog):
    path = tmp_path / "other_estimates.toml"
    path.write_text(GOOD.replace("-10.0", "-5.0"), encoding="utf-8")
    postures = bio.load_postures(path, catalog)
    assert list(postures) == ["glute_bridge"] and postures["glute_bridge"].hip_extension_low_deg == -5
    assert bio.load_postures()["glute_bridge"].hip_extension_low_deg == -10  # the built-in ones unchanged
    path.write_text(GOOD.replace("estimate = true", "estimate = false"), encoding="utf-8")
    with pytest.raises(CatalogError, match=rf"{re.escape(str(path))}, line \d+, posture #1 .*'estimate'"):
        bio.load_postures(path, catalog)


def test_a_second_posture_for_a_stretch_is_refused_at_its_line():
    from iliopsoas_lib.catalog import ContentText, load_catalog

    with pytest.raises(CatalogError) as info:
        load_catalog(ContentText("mine.toml", GOOD))
    (problem,) = info.value.problems
    assert (problem.entry, problem.field) == ("posture #1 (stretch 'glute_bridge')", "stretch")
    assert (
        problem.expected == "this stretch already has a posture, in iliopsoas_lib/data/stretch_postures.toml"
    )
    assert problem.line == GOOD.splitlines().index('stretch = "glute_bridge"') + 1


# ---------------------------------------------------------------------------------------------
# Figures and widget
# ---------------------------------------------------------------------------------------------


def by_gid(ax, gid):
    return next(a for a in ax.get_children() if a.get_gid() == gid)


@pytest.mark.parametrize("deg", [-15.0, 60.0])
def test_side_view_draws_the_model_paths(deg):
    fig = hip_side_view(deg)
    ax = fig.axes[0]
    for muscle in bio.MUSCLES:
        line = by_gid(ax, f"path:{muscle}")
        points, active = bio.path_points(muscle, deg)
        assert np.allclose(line.get_xdata(), points[active, 0])
        assert np.allclose(line.get_ydata(), points[active, 1])
        assert line.get_color() == MODEL_COLOURS[muscle]
        assert f"{bio.musculotendon_length(muscle, deg) * 100:.1f} cm" in line.get_label()
        unused = [a for a in ax.get_children() if a.get_gid() == f"unused:{muscle}"]
        assert len(unused) == (0 if active.all() else 1)
    hip = by_gid(ax, "hip_centre")
    assert np.allclose([hip.get_xdata()[0], hip.get_ydata()[0]], bio.geometry().parent_translation[:2])
    assert "extended back 15°" in ax.get_title() or "bent forward 60°" in ax.get_title()


def test_length_chart_lines_equal_model_output(catalog):
    fig = length_chart(current_deg=-12, catalog=catalog)
    ax, bands = fig.axes
    for muscle in bio.MUSCLES:
        line = by_gid(ax, f"length:{muscle}")
        angles, percent = lengths_for_chart(muscle)
        assert np.allclose(line.get_xdata(), angles) and np.allclose(line.get_ydata(), percent)
        assert line.get_xdata()[0] == CHART_RANGE_DEG[0] and line.get_xdata()[-1] == CHART_RANGE_DEG[1]
        sit = by_gid(ax, f"sitting:{muscle}")
        assert sit.get_ydata()[0] == pytest.approx(-bio.sitting_shortening(muscle).percent)
    assert by_gid(ax, "current").get_xdata()[0] == -12
    for stretch_id, posture in bio.load_postures().items():
        band = by_gid(bands, f"band:{stretch_id}")
        (x0, _), (x1, _) = band.get_paths()[0].vertices[[0, 2]]
        assert sorted([x0, x1]) == pytest.approx(posture.flexion_range_deg())
    assert [t.get_text() for t in bands.get_yticklabels()] == [s.name for s in catalog.stretches.values()]


def test_widget_slider_updates_readout_and_images():
    from iliopsoas_lib.widgets.biomechanics import biomechanics_explorer

    view = biomechanics_explorer(initial_deg=0)
    first_side, first_chart = view.side.value, view.chart.value
    assert view.readout_text.startswith("Hip straight (standing)")
    view.slider.value = -15
    assert view.readout_text == lengths_text(-15)
    assert "Hip extended back 15°" in view.readout_text
    assert f"psoas {bio.musculotendon_length('psoas', -15) * 100:.1f} cm" in view.readout_text
    assert view.side.value != first_side and view.chart.value != first_chart
    assert bytes(view.side.value).startswith(b"\x89PNG")
    assert view.message.text == ""
    view.show(300)
    assert "outside the model's range" in view.message.text
    assert "Traceback" not in view.message.text
    assert repr(view).startswith("Hip explorer: Hip extended back 15°") and "0x" not in repr(view)


def test_a_postures_file_with_no_posture_is_refused(catalog):
    """An empty postures file would compare nothing and say nothing: it is refused, naming what is missing."""
    with pytest.raises(CatalogError, match=r"empty\.toml, field 'posture': no \[\[posture\]\] entry"):
        parse_postures("empty.toml", "# my clinic's angles, to fill in later\n", catalog)
