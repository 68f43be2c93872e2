"""The figures draw what the model says: checked through their artists and data, not by eye."""

from __future__ import annotations

import math
import re
import subprocess
import sys
from dataclasses import dataclass, replace
from datetime import date, timedelta

import pytest
from matplotlib.colors import to_hex

from iliopsoas_lib.figures import GOAL_MET, GOAL_NOT_MET, MUSCLE_COLOURS, to_png
from iliopsoas_lib.figures.anatomy import (
    FRONT_VIEW_MUSCLES,
    LENGTH_SOURCE_NOTE,
    front_view,
    side_view,
)
from iliopsoas_lib.figures.poses import (
    ANKLE_HEIGHT,
    BED_TOP,
    KNEE_DEPTH,
    MAT,
    POSES,
    SHIN,
    THIGH,
    forward_kinematics,
    hip_extension_deg,
    pose_figure,
    pose_for,
    table_top,
)
from iliopsoas_lib.figures.weekly import HATCH_MET, HATCH_NOT_MET, weekly_chart

BUILTIN_STRETCHES = (
    "standing_hip_flexor",
    "kneeling_hip_flexor",
    "glute_bridge",
    "hip_flexor_bed",
    "table_psoas",
)


def texts(fig) -> list[str]:
    """Every piece of text in a figure: titles, labels, annotations, legend entries."""
    return [t.get_text() for t in fig.findobj(lambda a: hasattr(a, "get_text") and a.get_text())]


def by_gid(fig, gid: str) -> list:
    return fig.findobj(lambda a: a.get_gid() == gid)


# --------------------------------------------------------------------------------------------------
# front view
# --------------------------------------------------------------------------------------------------


def test_front_view_names_the_three_muscles_from_the_catalog(catalog):
    shown = texts(front_view(catalog))
    for muscle_id in ("psoas_major", "iliacus", "psoas_minor"):
        assert catalog.muscle(muscle_id).name in shown


class _CatalogWithAbsence:
    """A catalog stand-in whose psoas minor is absent in a different share of people."""

    def __init__(self, catalog, percent: float):
        self._catalog, self._percent = catalog, percent

    def muscle(self, muscle_id: str):
        muscle = self._catalog.muscle(muscle_id)
        if muscle_id == "psoas_minor":
            return replace(muscle, absent_in_percent=self._percent)
        return muscle


def test_psoas_minor_note_takes_its_percentage_from_the_catalog(catalog):
    expected = catalog.muscle("psoas_minor").absent_in_percent
    [note] = by_gid(front_view(catalog), "note:psoas_minor")
    assert f"absent in about {expected:g}%" in note.get_text()

    [note] = by_gid(front_view(_CatalogWithAbsence(catalog, 47)), "note:psoas_minor")
    assert "47%" in note.get_text() and f"{expected:g}%" not in note.get_text()


def test_psoas_major_and_iliacus_on_both_sides_psoas_minor_on_one(catalog):
    fig = front_view(catalog)
    counts = {mid: len(by_gid(fig, mid)) for mid in FRONT_VIEW_MUSCLES}
    assert counts == {"psoas_major": 2, "iliacus": 2, "psoas_minor": 1}
    for mid in FRONT_VIEW_MUSCLES:
        assert to_hex(by_gid(fig, mid)[0].get_facecolor()) == MUSCLE_COLOURS[mid].lower()


@pytest.mark.parametrize("highlight", FRONT_VIEW_MUSCLES)
def test_highlight_draws_one_muscle_strongly_and_fades_the_others(catalog, highlight):
    fig = front_view(catalog, highlight=highlight)
    alphas = {mid: {p.get_alpha() for p in by_gid(fig, mid)} for mid in FRONT_VIEW_MUSCLES}
    strong = alphas.pop(highlight)
    assert len(strong) == 1
    for others in alphas.values():
        assert max(others) < min(strong) / 2
    assert catalog.muscle(highlight).name in fig.get_suptitle()


def test_without_highlight_all_muscles_are_drawn_alike(catalog):
    fig = front_view(catalog)
    assert len({p.get_alpha() for mid in FRONT_VIEW_MUSCLES for p in by_gid(fig, mid)}) == 1


def test_unknown_highlight_names_the_known_ids(catalog):
    with pytest.raises(ValueError, match="psoas_mayor") as error:
        front_view(catalog, highlight="psoas_mayor")
    for mid in FRONT_VIEW_MUSCLES:
        assert mid in str(error.value)


# --------------------------------------------------------------------------------------------------
# side view
# --------------------------------------------------------------------------------------------------


def shown_percentages(fig) -> list[int]:
    return [int(re.search(r"(\d+)%", t.get_text()).group(1)) for t in by_gid(fig, "length_percent")]


def test_side_view_psoas_is_shorter_sitting_and_longer_in_extension():
    fig = side_view()
    sitting, standing, extended = shown_percentages(fig)
    assert sitting < standing < extended
    assert standing == 100
    titles = [ax.get_title() for ax in fig.axes]
    assert titles == ["Hip bent 90° (sitting)", "Standing (0°)", "Hip extended 15° (stretch)"]


@pytest.mark.parametrize("angles", [(90.0, 0.0, -15.0), (120.0, 45.0, -30.0)])
def test_side_view_percentages_are_the_path_models(angles):
    """One model of psoas length: the panels print what notebook 06's model gives, not the drawing's."""
    from iliopsoas_lib.biomechanics import musculotendon_length

    fig = side_view(angles)
    standing = musculotendon_length("psoas", 0.0)
    expected = [round(100 * musculotendon_length("psoas", a) / standing) for a in angles]
    assert shown_percentages(fig) == expected
    assert all("path model" in t.get_text() for t in by_gid(fig, "length_percent"))
    [note] = by_gid(fig, "length_source")
    assert LENGTH_SOURCE_NOTE in note.get_text() and "gait2392" in LENGTH_SOURCE_NOTE


def test_side_view_sitting_matches_the_models_sitting_shortening():
    from iliopsoas_lib.biomechanics import sitting_shortening

    sitting, standing, _extended = shown_percentages(side_view((90.0, 0.0, -15.0)))
    assert standing - sitting == round(sitting_shortening("psoas").percent)


def test_side_view_draws_the_psoas_to_the_moving_thigh():
    """The drawing still moves with the hip: the line's spine end stays, its thigh end follows the leg."""
    bent, extended = (by_gid(side_view((a,)), "psoas_line")[0] for a in (90.0, -15.0))

    def ends(line):
        xs, ys = line.get_data()
        return (xs[0], ys[0]), (xs[-1], ys[-1])

    (bent_top, bent_end), (ext_top, ext_end) = ends(bent), ends(extended)
    assert bent_end[0] - bent_top[0] > ext_end[0] - ext_top[0] + 5  # sitting: the thigh end is well forward


def test_side_view_one_panel_per_angle_and_refuses_impossible_angles():
    assert len(side_view((0.0,)).axes) == 1
    with pytest.raises(ValueError, match="170"):
        side_view((0.0, 170.0))
    with pytest.raises(ValueError, match="at least one"):
        side_view(())


# --------------------------------------------------------------------------------------------------
# poses
# --------------------------------------------------------------------------------------------------


def test_every_builtin_stretch_has_its_own_pose(catalog):
    assert set(POSES) == set(BUILTIN_STRETCHES) == set(catalog.stretches)
    for stretch in catalog.stretches.values():
        pose = pose_for(stretch)
        assert pose is POSES[stretch.id] and not pose.generic
        fig = pose_figure(stretch)
        assert fig.get_suptitle() == stretch.name
        assert "generic pose" not in " ".join(texts(fig))
        [line] = by_gid(fig, "iliopsoas")
        assert to_hex(line.get_color()) == MUSCLE_COLOURS["psoas_major"].lower()


@pytest.mark.parametrize("position", ["standing", "kneeling", "lying_on_floor", "lying_on_bed"])
def test_a_clinicians_stretch_gets_a_generic_pose_for_its_position(catalog, position):
    stretch = replace(
        catalog.stretch("standing_hip_flexor"), id="couch_stretch", name="Couch stretch", position=position
    )
    pose = pose_for(stretch)
    assert pose.generic
    title = pose_figure(stretch).get_suptitle()
    assert title.startswith("Couch stretch") and "generic pose" in title
    assert (
        position.replace("_", " ").replace("on bed", "on a bed").replace("on floor", "on the floor") in title
    )


def test_a_clinicians_copy_of_a_builtin_is_generic(catalog):
    stretch = replace(catalog.stretch("kneeling_hip_flexor"), id="couch_stretch")
    assert pose_for(stretch).generic
    assert "generic pose" in pose_figure(stretch).get_suptitle()


@pytest.mark.parametrize("stretch_id", BUILTIN_STRETCHES)
def test_the_stretched_thigh_is_behind_the_trunk_line(catalog, stretch_id):
    pose = POSES[stretch_id]
    extension = hip_extension_deg(pose)
    assert 0 < extension <= 30  # behind the body, within a safe range of hip extension
    [label] = by_gid(pose_figure(catalog.stretch(stretch_id)), "hip_extension")
    assert label.get_text() == f"{extension:.0f}°"


def test_hip_extension_matches_the_drawn_points():
    for pose in POSES.values():
        p = forward_kinematics(pose)
        up = (p["shoulder"][0] - p["hip"][0], p["shoulder"][1] - p["hip"][1])
        thigh = (p["stretched_knee"][0] - p["hip"][0], p["stretched_knee"][1] - p["hip"][1])
        # The angle between the thigh and the trunk line continued down through the hip.
        angle = math.degrees(
            math.atan2(up[0] * thigh[1] - up[1] * thigh[0], -(up[0] * thigh[0] + up[1] * thigh[1]))
        )
        assert abs(abs(angle) - hip_extension_deg(pose)) < 1e-6


def test_forward_kinematics_keeps_segment_lengths_and_is_pure():
    for pose in POSES.values():
        points = forward_kinematics(pose)
        assert points == forward_kinematics(pose)
        for side in ("stretched", "other"):
            assert math.dist(points["hip"], points[f"{side}_knee"]) == pytest.approx(THIGH)
            assert math.dist(points[f"{side}_knee"], points[f"{side}_ankle"]) == pytest.approx(SHIN)


def test_poses_rest_on_their_supports():
    """Feet, knees and backs touch what they rest on (within 1 cm); nothing sinks into the floor."""

    def at(stretch_id: str, name: str) -> float:
        return forward_kinematics(POSES[stretch_id])[name][1]

    lunge = "standing_hip_flexor"
    assert at(lunge, "stretched_ankle") == pytest.approx(ANKLE_HEIGHT, abs=1)
    assert at(lunge, "other_ankle") == pytest.approx(ANKLE_HEIGHT, abs=1)
    assert at("kneeling_hip_flexor", "stretched_knee") == pytest.approx(MAT + KNEE_DEPTH, abs=1)
    assert at("kneeling_hip_flexor", "other_ankle") == pytest.approx(ANKLE_HEIGHT, abs=1)
    assert at("glute_bridge", "stretched_ankle") == pytest.approx(MAT + ANKLE_HEIGHT, abs=1)
    assert at("glute_bridge", "hip") > at("glute_bridge", "shoulder") + 15  # hips lifted
    assert at("hip_flexor_bed", "other_ankle") == pytest.approx(BED_TOP + ANKLE_HEIGHT, abs=1)
    assert at("hip_flexor_bed", "stretched_knee") < BED_TOP  # the leg hangs off the bed
    assert at("table_psoas", "other_ankle") == pytest.approx(ANKLE_HEIGHT, abs=1)
    assert at("table_psoas", "stretched_knee") == pytest.approx(at("table_psoas", "stretched_ankle"), abs=1)
    assert at("table_psoas", "stretched_knee") < at("table_psoas", "hip")  # table a little below the hip
    table = table_top(forward_kinematics(POSES["table_psoas"]))
    assert 0 < at("table_psoas", "hand") - table < 3  # the hand rests on the table
    for pose in POSES.values():
        assert min(y for _x, y in forward_kinematics(pose).values()) > -1.0


def test_the_bridge_stretches_both_hips(catalog):
    fig = pose_figure(catalog.stretch("glute_bridge"))
    assert POSES["glute_bridge"].both_hips
    assert len(by_gid(fig, "iliopsoas")) == 1 and len(by_gid(fig, "iliopsoas_far")) == 1
    assert all(not pose.both_hips for sid, pose in POSES.items() if sid != "glute_bridge")


# --------------------------------------------------------------------------------------------------
# weekly chart
# --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Week:
    year: int
    week: int
    monday: date
    count: int
    met: bool


@dataclass(frozen=True)
class _Counts:
    weeks: tuple[_Week, ...]
    goal_low: int
    goal_high: int
    streak: int


def _stand_in(counts: list[int], streak: int, low: int = 2, high: int = 3) -> _Counts:
    first = date(2026, 10, 5)
    weeks = tuple(
        _Week(*(first + timedelta(weeks=i)).isocalendar()[:2], first + timedelta(weeks=i), c, c >= low)
        for i, c in enumerate(counts)
    )
    return _Counts(weeks, low, high, streak)


def bars(fig):
    return sorted(
        (p for p in fig.axes[0].patches if (p.get_gid() or "").startswith("week:")), key=lambda b: b.get_x()
    )


def test_weekly_chart_bars_band_colours_and_title():
    counts = _stand_in([1, 3, 2, 0, 4, 2], streak=2, low=2, high=3)
    fig = weekly_chart(counts)
    drawn = bars(fig)
    assert [b.get_height() for b in drawn] == [1, 3, 2, 0, 4, 2]

    [band] = by_gid(fig, "goal_band")
    assert (band.get_y(), band.get_y() + band.get_height()) == (2, 3)
    assert "goal: 2-3 a week" in texts(fig)

    met = [b for b, w in zip(drawn, counts.weeks, strict=True) if w.met]
    unmet = [b for b, w in zip(drawn, counts.weeks, strict=True) if not w.met]
    assert {to_hex(b.get_facecolor()) for b in met} == {GOAL_MET.lower()}
    assert {to_hex(b.get_facecolor()) for b in unmet} == {GOAL_NOT_MET.lower()}
    assert {b.get_hatch() or "" for b in met} == {HATCH_MET}
    assert {b.get_hatch() for b in unmet} == {HATCH_NOT_MET} and HATCH_NOT_MET != HATCH_MET

    assert fig.axes[0].get_title(loc="left") == "Streak: 2 weeks meeting the goal"
    labels = [t.get_text() for t in fig.axes[0].get_xticklabels()]
    assert labels[0] == "5 Oct" and len(labels) == 6
    [this_week] = by_gid(fig, "this_week")
    assert (
        this_week.get_text() == "this week"
        and this_week.xy[0] == drawn[-1].get_x() + drawn[-1].get_width() / 2
    )
    assert all(float(t).is_integer() for t in fig.axes[0].get_yticks())


def test_weekly_chart_draws_the_session_logs_own_counts():
    import iliopsoas_lib as il

    today = date(2026, 11, 23)
    log = il.SessionLog()
    for back in (0, 3, 5, 8, 10, 12, 15, 30):
        log.log_session(today - timedelta(days=back), ("glute_bridge",))
    counts = il.weekly_counts(log, 6, today)
    fig = weekly_chart(counts)
    assert [b.get_height() for b in bars(fig)] == [w.count for w in counts.weeks]
    assert f"Streak: {counts.streak} " in fig.axes[0].get_title(loc="left")
    assert "week" in fig.axes[0].get_title(loc="left")


def test_weekly_chart_with_no_weeks_says_so():
    fig = weekly_chart(_Counts((), 2, 3, 0))
    assert "No weeks to show yet" in texts(fig)
    assert "Streak: 0 weeks meeting the goal" in texts(fig)


# --------------------------------------------------------------------------------------------------
# PNG output and import cost
# --------------------------------------------------------------------------------------------------


def test_to_png_is_png_and_byte_identical_for_the_same_figure(catalog):
    fig = front_view(catalog)
    first, second = to_png(fig), to_png(fig)
    assert first.startswith(b"\x89PNG\r\n\x1a\n")
    assert first == second
    assert to_png(front_view(catalog)) == first  # a fresh build of the same figure, too
    assert b"Software" not in first and b"matplotlib" not in first.lower()
    assert to_png(fig, dpi=50) != first


def test_to_png_is_the_same_in_a_fresh_process(catalog):
    code = (
        "import sys, iliopsoas_lib as il; from iliopsoas_lib.figures import to_png, poses;"
        "sys.stdout.buffer.write(to_png(poses.pose_figure(il.load_catalog().stretch('glute_bridge'))))"
    )
    other = subprocess.run([sys.executable, "-c", code], capture_output=True, check=True).stdout
    assert other == to_png(pose_figure(catalog.stretch("glute_bridge")))


def test_importing_figures_does_not_import_matplotlib():
    code = "import sys, iliopsoas_lib.figures; print('matplotlib' in sys.modules, 'numpy' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.split() == ["False", "False"]
