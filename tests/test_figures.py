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

from iliopsoas_lib.biomechanics import StretchPosture, stretch_posture
from iliopsoas_lib.figures import GOAL_MET, GOAL_NOT_MET, MUSCLE_COLOURS, to_png
from iliopsoas_lib.figures.anatomy_front import FRONT_VIEW_MUSCLES, front_view
from iliopsoas_lib.figures.anatomy_side import LENGTH_SOURCE_NOTE, side_view
from iliopsoas_lib.figures.pose_geometry import (
    ANKLE_HEIGHT,
    BED_TOP,
    BODY_DEPTH,
    HAND_DEPTH,
    HEAD_RADIUS,
    KNEE_DEPTH,
    MAT,
    POSE_BUILDERS,
    SHIN,
    THIGH,
    Pose,
    PoseError,
    forward_kinematics,
    hip_extension_deg,
    poses_for,
    stretch_poses,
    table_top,
)
from iliopsoas_lib.figures.poses import FIGSIZE, pose_figure
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
# poses: drawn from the posture estimates, start and end
# --------------------------------------------------------------------------------------------------


def shown(degrees: float) -> str:
    """How a panel prints an angle: whole degrees with a true minus sign."""
    return f"{degrees:.0f}°".replace("-", "−")


def panels(fig) -> dict[str, object]:
    """The figure's panels by their gid ("start", "end")."""
    return {ax.get_gid(): ax for ax in fig.axes if ax.get_gid()}


def drawn_extension(points) -> float:
    """The angle between the drawn thigh and the trunk line continued down through the drawn hip,
    signed: positive when the thigh is behind that line (measured from the points, not the angles)."""
    hip, shoulder, knee = points["hip"], points["shoulder"], points["stretched_knee"]
    down = math.atan2(hip[1] - shoulder[1], hip[0] - shoulder[0])
    thigh = math.atan2(knee[1] - hip[1], knee[0] - hip[0])
    turn = math.degrees((thigh - down + math.pi) % (2 * math.pi) - math.pi)  # counter-clockwise > 0
    # Facing +x, a thigh behind the trunk line is turned clockwise from it (e.g. standing: down and back).
    return -turn


def posture_with(stretch_id: str, low: float, high: float) -> StretchPosture:
    return replace(stretch_posture(stretch_id), hip_extension_low_deg=low, hip_extension_high_deg=high)


def test_every_builtin_stretch_is_drawn_from_its_posture_in_two_panels(catalog):
    assert set(POSE_BUILDERS) == set(BUILTIN_STRETCHES) == set(catalog.stretches)
    for stretch in catalog.stretches.values():
        poses = poses_for(stretch)
        assert len(poses) == 2 and not any(p.generic for p in poses)
        fig = pose_figure(stretch)
        assert fig.get_suptitle() == stretch.name
        assert "generic pose" not in " ".join(texts(fig))
        by_panel = panels(fig)
        assert list(by_panel) == ["start", "end"]
        assert by_panel["start"].get_title().startswith("Start")
        assert by_panel["end"].get_title().startswith("End")
        for ax in by_panel.values():
            [line] = ax.findobj(lambda a: a.get_gid() == "iliopsoas")
            assert to_hex(line.get_color()) == MUSCLE_COLOURS["psoas_major"].lower()


@pytest.mark.parametrize("stretch_id", BUILTIN_STRETCHES)
def test_the_drawn_hip_angles_are_the_posture_estimates(catalog, stretch_id):
    """Start draws hip_extension_low_deg and end hip_extension_high_deg: in the angles, in the drawn
    points, and in the numbers printed on each panel."""
    posture = stretch_posture(stretch_id)
    expected = {"start": posture.hip_extension_low_deg, "end": posture.hip_extension_high_deg}
    start, end = poses_for(catalog.stretch(stretch_id))
    for name, pose in (("start", start), ("end", end)):
        assert hip_extension_deg(pose) == expected[name]
        assert drawn_extension(forward_kinematics(pose)) == pytest.approx(expected[name], abs=1e-6)
    for name, ax in panels(pose_figure(catalog.stretch(stretch_id))).items():
        [label] = ax.findobj(lambda a: a.get_gid() == "hip_extension")
        assert label.get_text() == shown(expected[name])


def test_the_builtin_postures_are_what_the_pictures_disagreed_with():
    """The numbers the hand-made poses got wrong (20, 25 and 25 degrees) are now the data's ranges."""
    for stretch_id, (low, high) in {
        "standing_hip_flexor": (0, 10),
        "hip_flexor_bed": (0, 15),
        "table_psoas": (10, 20),
        "glute_bridge": (-10, 0),
    }.items():
        start, end = stretch_poses(stretch_id, posture_with(stretch_id, low, high))
        assert (hip_extension_deg(start), hip_extension_deg(end)) == (low, high)


def test_the_caption_names_the_first_hip_and_the_bridges_light_stretch(catalog):
    for stretch in catalog.stretches.values():
        words = " ".join(texts(pose_figure(stretch)))
        if stretch.id == "glute_bridge":
            assert "both hips" in words and "light stretch" in words and "strengthening" in words
            assert "10° bent" in words
        else:
            assert f"The {stretch.first_side} hip first" in words


def on_supports(stretch_id: str, pose: Pose) -> None:
    """Feet, knees, backs and hands touch what they rest on (within 1 cm); nothing sinks into the floor."""
    p = forward_kinematics(pose)

    def y(name: str) -> float:
        return p[name][1]

    def at(name: str, height: float) -> None:
        assert y(name) == pytest.approx(height, abs=1), f"{stretch_id}: {name} at {y(name):.1f} cm"

    assert min(y for _x, y in p.values()) > -1.0, f"{stretch_id}: something is below the floor"
    if stretch_id == "standing_hip_flexor":
        for leg in ("stretched", "other"):
            at(f"{leg}_ankle", ANKLE_HEIGHT)
            at(f"{leg}_toe", 0.0)  # the foot is flat: toes on the floor too
        assert p["other_ankle"][0] > p["stretched_ankle"][0] + 10  # a split stance, front foot ahead
    elif stretch_id == "kneeling_hip_flexor":
        at("stretched_knee", MAT + KNEE_DEPTH)
        at("stretched_ankle", MAT + KNEE_DEPTH)  # the shin lies flat on the mat behind the knee
        at("other_ankle", MAT + ANKLE_HEIGHT)
        at("other_toe", MAT)
        assert math.dist(p["hand"], p["other_knee"]) < 15  # hands on the front knee
    elif stretch_id == "glute_bridge":
        at("shoulder", MAT + BODY_DEPTH)
        at("head", MAT + HEAD_RADIUS)  # the head lies on the mat
        at("hand", MAT + HAND_DEPTH)  # arms resting beside the body
        for leg in ("stretched", "other"):
            at(f"{leg}_ankle", MAT + ANKLE_HEIGHT)
            at(f"{leg}_toe", MAT)
        assert y("hip") > y("shoulder") + 10  # hips lifted
    elif stretch_id == "hip_flexor_bed":
        at("hip", BED_TOP + BODY_DEPTH)
        at("shoulder", BED_TOP + BODY_DEPTH)
        at("head", BED_TOP + HEAD_RADIUS)
        at("hand", BED_TOP + HAND_DEPTH)
        at("other_ankle", BED_TOP + ANKLE_HEIGHT)  # the other foot flat on the bed
        at("other_toe", BED_TOP)
        assert y("stretched_ankle") < BED_TOP - SHIN / 2  # the leg hangs down off the bed
        assert y("stretched_ankle") > ANKLE_HEIGHT - 1  # ... and the foot rests on, not in, the floor
    elif stretch_id == "table_psoas":
        top = table_top(p)
        at("other_ankle", ANKLE_HEIGHT)
        at("other_toe", 0.0)
        at("stretched_knee", y("stretched_ankle"))  # the leg lies along the table top
        assert (
            0 < y("hip") - y("stretched_knee") < 5
        )  # and is (nearly) level: the table is just below the hip
        assert 0 < y("hand") - top < 3  # the hand rests on the table
        assert 60 < top < y("hip")
    else:  # pragma: no cover - a new built-in stretch needs its own checks here
        raise AssertionError(f"no support checks for {stretch_id}")


@pytest.mark.parametrize("stretch_id", BUILTIN_STRETCHES)
def test_poses_rest_on_their_supports(catalog, stretch_id):
    for pose in poses_for(catalog.stretch(stretch_id)):
        on_supports(stretch_id, pose)


CHANGED_POSTURES = {
    "standing_hip_flexor": [(-5.0, 5.0), (5.0, 25.0), (12.5, 30.0)],
    "kneeling_hip_flexor": [(0.0, 25.0), (-5.0, 30.0)],
    "glute_bridge": [(-20.0, -5.0), (-5.0, 10.0)],
    "hip_flexor_bed": [(-5.0, 10.0), (5.0, 30.0)],
    "table_psoas": [(0.0, 10.0), (15.0, 35.0)],
}


@pytest.mark.parametrize(
    ("stretch_id", "low", "high"),
    [(sid, low, high) for sid, ranges in CHANGED_POSTURES.items() for low, high in ranges],
)
def test_a_changed_posture_is_drawn_and_still_rests_on_its_support(stretch_id, low, high):
    """The dependent joints are solved, not tuned: other numbers give other angles, still on the support."""
    start, end = stretch_poses(stretch_id, posture_with(stretch_id, low, high))
    assert (hip_extension_deg(start), hip_extension_deg(end)) == (low, high)
    for pose in (start, end):
        assert drawn_extension(forward_kinematics(pose)) == pytest.approx(hip_extension_deg(pose), abs=1e-6)
        on_supports(stretch_id, pose)


@pytest.mark.parametrize("stretch_id", BUILTIN_STRETCHES)
def test_the_posture_data_drive_the_figure(catalog, stretch_id):
    stretch = catalog.stretch(stretch_id)
    posture = stretch_posture(stretch_id)
    changed = replace(posture, hip_extension_high_deg=posture.hip_extension_high_deg + 7)
    [label] = panels(pose_figure(stretch, changed))["end"].findobj(lambda a: a.get_gid() == "hip_extension")
    assert label.get_text() == shown(posture.hip_extension_high_deg + 7)
    assert to_png(pose_figure(stretch, changed)) != to_png(pose_figure(stretch))
    assert to_png(pose_figure(stretch, posture)) == to_png(pose_figure(stretch))  # the default is the data


def test_the_table_leg_is_straight(catalog):
    for pose in poses_for(catalog.stretch("table_psoas")):
        assert 0 <= pose.stretched_knee <= 5
        p = forward_kinematics(pose)
        thigh = math.atan2(p["stretched_knee"][1] - p["hip"][1], p["stretched_knee"][0] - p["hip"][0])
        shin = math.atan2(
            p["stretched_ankle"][1] - p["stretched_knee"][1], p["stretched_ankle"][0] - p["stretched_knee"][0]
        )
        assert abs(math.degrees(thigh - shin)) <= 5  # the drawn thigh and shin are in line too


def test_the_start_and_end_of_a_stretch_share_what_stays_put(catalog):
    """Between the panels the body moves as the steps say: the kneeling and bridge feet stay where they
    are, the bed's other foot too; the lunge's step gets longer; the table stretch lifts the chest."""

    def points(stretch_id: str):
        return [forward_kinematics(p) for p in poses_for(catalog.stretch(stretch_id))]

    start, end = points("kneeling_hip_flexor")
    for p in (start, end):
        assert p["other_ankle"][0] - p["stretched_knee"][0] == pytest.approx(
            start["other_ankle"][0] - start["stretched_knee"][0], abs=1e-6
        )
    assert end["hip"][0] - end["stretched_knee"][0] > start["hip"][0] - start["stretched_knee"][0]  # forward
    start, end = points("glute_bridge")
    assert math.dist(start["stretched_ankle"], start["shoulder"]) == pytest.approx(
        math.dist(end["stretched_ankle"], end["shoulder"]), abs=1e-6
    )
    assert end["hip"][1] > start["hip"][1]  # the hips rise
    start, end = points("standing_hip_flexor")
    step = [p["other_ankle"][0] - p["stretched_ankle"][0] for p in (start, end)]
    assert step[1] > step[0]
    start, end = points("table_psoas")
    assert end["shoulder"][1] > start["shoulder"][1]  # the chest lifts


def test_hip_extension_matches_the_drawn_points(catalog):
    for stretch in catalog.stretches.values():
        for pose in poses_for(stretch):
            assert drawn_extension(forward_kinematics(pose)) == pytest.approx(
                hip_extension_deg(pose), abs=1e-6
            )


def test_forward_kinematics_keeps_segment_lengths_and_is_pure(catalog):
    for stretch in catalog.stretches.values():
        assert poses_for(stretch) == poses_for(stretch)
        for pose in poses_for(stretch):
            points = forward_kinematics(pose)
            assert points == forward_kinematics(pose)
            for side in ("stretched", "other"):
                assert math.dist(points["hip"], points[f"{side}_knee"]) == pytest.approx(THIGH)
                assert math.dist(points[f"{side}_knee"], points[f"{side}_ankle"]) == pytest.approx(SHIN)


def test_the_same_stretch_gives_the_same_picture(catalog):
    for stretch in catalog.stretches.values():
        assert to_png(pose_figure(stretch)) == to_png(pose_figure(stretch))


@pytest.mark.parametrize("position", ["standing", "kneeling", "lying_on_floor", "lying_on_bed"])
def test_a_clinicians_stretch_gets_a_generic_pose_for_its_position(catalog, position):
    stretch = replace(
        catalog.stretch("standing_hip_flexor"), id="couch_stretch", name="Couch stretch", position=position
    )
    [pose] = poses_for(stretch)
    assert pose.generic
    fig = pose_figure(stretch)
    title = fig.get_suptitle()
    assert title.startswith("Couch stretch") and "generic pose" in title
    assert (
        position.replace("_", " ").replace("on bed", "on a bed").replace("on floor", "on the floor") in title
    )
    assert not by_gid(fig, "hip_extension")  # a stand-in claims no angle


def test_a_clinicians_copy_of_a_builtin_is_generic(catalog):
    stretch = replace(catalog.stretch("kneeling_hip_flexor"), id="couch_stretch")
    assert [p.generic for p in poses_for(stretch)] == [True]
    assert "generic pose" in pose_figure(stretch).get_suptitle()


def test_postures_for_the_wrong_stretch_or_beyond_reach_are_refused():
    with pytest.raises(ValueError, match="table_psoas"):
        stretch_poses("glute_bridge", stretch_posture("table_psoas"))
    with pytest.raises(ValueError, match="couch_stretch"):
        stretch_poses("couch_stretch", stretch_posture("table_psoas"))
    with pytest.raises(PoseError, match="hanging foot"):  # a leg cannot drop 60 degrees off a bed
        stretch_poses("hip_flexor_bed", posture_with("hip_flexor_bed", 0.0, 60.0))


def test_the_bridge_stretches_both_hips(catalog):
    fig = pose_figure(catalog.stretch("glute_bridge"))
    assert all(p.both_hips for p in poses_for(catalog.stretch("glute_bridge")))
    for ax in panels(fig).values():
        assert len(ax.findobj(lambda a: a.get_gid() == "iliopsoas")) == 1
        assert len(ax.findobj(lambda a: a.get_gid() == "iliopsoas_far")) == 1
    others = [s for sid, s in catalog.stretches.items() if sid != "glute_bridge"]
    assert not any(p.both_hips for s in others for p in poses_for(s))


def test_the_figure_is_wide_with_nothing_cut_off_and_text_readable_in_the_handout(catalog):
    """The handout puts the PNG in a 120 x 60 mm box (kept in proportion), the dashboard in an <img>:
    the figure is wide, every text lies inside it, and no text prints smaller than 5 pt at 120 mm."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    width_in, height_in = FIGSIZE
    assert width_in / height_in >= 2.0  # fills the handout box's width
    printed = 120 / (width_in * 25.4)  # the handout's scale
    stretches = [
        *catalog.stretches.values(),
        replace(catalog.stretch("glute_bridge"), id="mine", name="Mine"),
    ]
    for stretch in stretches:
        fig = pose_figure(stretch)
        assert tuple(fig.get_size_inches()) == FIGSIZE
        canvas = FigureCanvasAgg(fig)
        canvas.draw()
        renderer = canvas.get_renderer()
        drawn = [
            *fig.texts,
            *fig.legends[0].get_texts(),
            *(t for ax in fig.axes for t in (*ax.texts, ax.title)),
        ]
        assert fig.get_suptitle() in [t.get_text() for t in drawn]
        for text in (t for t in drawn if t.get_text()):
            box = text.get_window_extent(renderer)
            assert box.x0 >= 0 and box.y0 >= 0, f"{stretch.id}: {text.get_text()!r} is cut off"
            assert box.x1 <= canvas.get_width_height()[0] and box.y1 <= canvas.get_width_height()[1], text
            assert text.get_fontsize() * printed >= 5.0, f"{text.get_text()!r} too small in the handout"
        if stretch.id != "mine":  # both panels to one scale, on one floor line
            start, end = panels(fig).values()
            assert start.get_ylim() == end.get_ylim()
            scales = [(ax.get_xlim()[1] - ax.get_xlim()[0]) / ax.get_position().width for ax in (start, end)]
            assert scales[0] == pytest.approx(scales[1])
            assert start.get_position().x1 <= end.get_position().x0  # side by side, not overlapping


# --------------------------------------------------------------------------------------------------
# stored pictures follow the posture they are drawn from
# --------------------------------------------------------------------------------------------------


def test_the_pose_key_covers_the_posture(catalog, monkeypatch):
    """An edited posture number gives a new key: the stored picture of the old numbers is not served,
    and the picture drawn instead shows the new number."""
    from iliopsoas_lib.figures import pictures

    stretch = catalog.stretch("table_psoas")
    posture = stretch_posture("table_psoas")
    before = pictures.pose_key(stretch)
    entry = pictures.builtin_posture(stretch)
    assert entry is not None
    assert (entry.hip_extension_low_deg, entry.hip_extension_high_deg) == (
        posture.hip_extension_low_deg,
        posture.hip_extension_high_deg,
    )
    changed = replace(entry, hip_extension_high_deg=entry.hip_extension_high_deg + 5)
    monkeypatch.setattr(pictures, "builtin_posture", lambda s: changed if s.id == "table_psoas" else None)
    after = pictures.pose_key(stretch)
    assert after != before
    assert pictures._read_stored(after) is None
    assert pictures.pose_png(stretch) == to_png(pose_figure(stretch, changed))
    monkeypatch.setattr(pictures, "builtin_posture", lambda s: None)  # no posture at all: yet another key
    assert pictures.pose_key(stretch) not in (before, after)


def test_a_clinicians_stretch_has_no_posture_but_a_key(catalog):
    from iliopsoas_lib.figures import pictures

    mine = replace(catalog.stretch("glute_bridge"), id="couch_stretch")
    assert pictures.builtin_posture(mine) is None
    assert pictures.builtin_posture(catalog.stretch("glute_bridge")) is not None
    assert len(pictures.pose_key(mine)) == 64


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
