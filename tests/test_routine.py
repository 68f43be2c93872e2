"""Routines: which stretches a person gets and why, dosage overrides and the expanded timeline."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given
from hypothesis import strategies as st

import iliopsoas_lib as il
from iliopsoas_lib import text
from iliopsoas_lib.routine import DosageError, Gaps, PhaseKind


def ids(routine) -> list[str]:
    return [item.stretch.id for item in routine.items]


def reason(routine, stretch_id: str) -> str:
    return next(c.reason for c in routine.choices if c.stretch_id == stretch_id)


def test_default_person_gets_every_stretch_with_the_tools(catalog):
    routine = il.build_routine(catalog, il.Abilities(has_table=True))
    assert ids(routine) == [
        "standing_hip_flexor",
        "table_psoas",
        "kneeling_hip_flexor",
        "glute_bridge",
        "hip_flexor_bed",
    ]
    assert not routine.left_out


def test_cannot_kneel_keeps_standing_and_drops_kneeling(catalog):
    routine = il.build_routine(catalog, il.Abilities(can_kneel=False))
    assert "standing_hip_flexor" in ids(routine) and "kneeling_hip_flexor" not in ids(routine)
    assert reason(routine, "kneeling_hip_flexor") == "Left out because it needs kneeling."
    assert "kneeling hard or impossible" in reason(routine, "standing_hip_flexor")


def test_poor_balance_points_to_the_bed(catalog):
    routine = il.build_routine(catalog, il.Abilities(good_balance=False, can_kneel=False, has_table=True))
    assert ids(routine) == ["glute_bridge", "hip_flexor_bed"]
    assert "balance" in reason(routine, "table_psoas") and "balance" in reason(routine, "standing_hip_flexor")


def test_poor_balance_leaves_out_kneeling_even_for_people_who_can_kneel(catalog):
    routine = il.build_routine(catalog, il.Abilities(good_balance=False, can_kneel=True))
    assert "kneeling_hip_flexor" not in ids(routine)
    assert reason(routine, "kneeling_hip_flexor") == "Left out because it needs steady balance."
    assert ids(routine) == ["glute_bridge", "hip_flexor_bed"]


def test_low_back_pain_skips_table_and_eases_bridge(catalog):
    routine = il.build_routine(catalog, il.Abilities(low_back_pain=True, has_table=True))
    assert "table_psoas" not in ids(routine)
    assert reason(routine, "table_psoas").startswith("Left out because of low-back pain: ")
    assert "article" not in reason(routine, "table_psoas")
    bridge = next(c for c in routine.choices if c.stretch_id == "glute_bridge")
    assert bridge.included and any("lower them" in note for note in bridge.care)


def test_knee_pain_skips_table_and_kneeling(catalog):
    routine = il.build_routine(catalog, il.Abilities(knee_pain=True, has_table=True))
    assert {"table_psoas", "kneeling_hip_flexor"}.isdisjoint(ids(routine))
    assert "knee pain" in reason(routine, "kneeling_hip_flexor")


def test_no_bed_no_table(catalog):
    routine = il.build_routine(catalog, il.Abilities(has_bed=False, has_table=False))
    assert "hip_flexor_bed" not in ids(routine) and "table_psoas" not in ids(routine)
    assert reason(routine, "hip_flexor_bed") == "Left out because it needs a bed."


def test_only_restricts_and_rejects_unknown_ids(catalog):
    routine = il.build_routine(catalog, only=["glute_bridge"])
    assert ids(routine) == ["glute_bridge"] and len(routine.choices) == 1
    with pytest.raises(KeyError, match="unknown stretch id"):
        il.build_routine(catalog, only=["cobra"])


def test_dosage_overrides_within_bounds(catalog):
    routine = il.build_routine(catalog, hold_seconds=20, dosage={"glute_bridge": {"repetitions": 5}})
    assert {item.hold_seconds for item in routine.items} == {20}
    assert next(i for i in routine.items if i.stretch.id == "glute_bridge").repetitions == 5


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"hold_seconds": -5}, "hold_seconds: -5 is outside the safe range 5-120 seconds"),
        ({"hold_seconds": 600}, "outside the safe range"),
        ({"hold_seconds": 2.5}, "expected a whole number of seconds"),
        ({"hold_seconds": "30"}, "expected a whole number"),
        ({"repetitions": 0}, "repetitions: 0 is outside the safe range 1-20"),
        ({"dosage": {"glute_bridge": {"repetitions": 50}}}, "dosage['glute_bridge']['repetitions']: 50"),
        ({"dosage": {"glute_bridge": {"reps": 5}}}, "unknown setting"),
    ],
)
def test_impossible_dosage_is_a_clear_error(catalog, kwargs, message):
    with pytest.raises(DosageError) as info:
        il.build_routine(catalog, **kwargs)
    assert message in str(info.value)


def test_impossible_gap():
    with pytest.raises(DosageError, match="switch_side gap must be between 2 and 60 seconds, got -1"):
        Gaps(switch_side=-1)


def test_timeline_shape_for_a_one_sided_stretch(catalog):
    routine = il.build_routine(
        catalog, only=["standing_hip_flexor"], gaps=Gaps(get_ready=10, switch_side=5, rest=8)
    )
    kinds = [(p.kind, p.side) for p in routine.phases()]
    hold_l, hold_r = (PhaseKind.HOLD, "left"), (PhaseKind.HOLD, "right")
    switch_r = (PhaseKind.SWITCH_SIDE, "right")
    rest = (PhaseKind.REST, None)
    assert kinds == [
        (PhaseKind.GET_READY, None),
        hold_l,
        switch_r,
        hold_r,
        rest,
        hold_l,
        switch_r,
        hold_r,
        rest,
        hold_l,
        switch_r,
        hold_r,
        (PhaseKind.DONE, None),
    ]
    assert routine.duration() == 10 + 6 * 30 + 3 * 5 + 2 * 8
    assert routine.phases()[1].describe() == "Hold: Standing hip flexor stretch, left hip, 1 of 3"


def test_bridge_is_not_one_sided(catalog):
    phases = il.build_routine(catalog, only=["glute_bridge"]).phases()
    holds = [p for p in phases if p.kind is PhaseKind.HOLD]
    assert len(holds) == 10 and {p.side for p in holds} == {None}
    assert [p.repetition for p in holds] == list(range(1, 11))


def test_table_text_lists_reasons_and_total(catalog):
    text = il.build_routine(catalog, il.Abilities(can_kneel=False)).table()
    assert (
        "Left out:\n" in text and "- Kneeling hip flexor stretch: Left out because it needs kneeling." in text
    )
    assert text.splitlines()[-1].startswith("Total time: about ")


def test_routine_summaries_say_what_to_do_if_each_stretch_hurts(catalog):
    routine = il.build_routine(catalog, il.Abilities(low_back_pain=True, has_table=True))
    table, markdown = routine.table(), text.routine_markdown(routine)
    for item in routine.items:
        assert f"   if it hurts: {item.stretch.on_pain.text}" in table
        assert f"    - If it hurts: {item.stretch.on_pain.text}" in markdown
    assert table.count("if it hurts:") == len(routine.items) == markdown.count("If it hurts:")
    left_out = catalog.stretch("table_psoas").on_pain.text
    assert left_out not in table and left_out not in markdown


def test_a_routine_is_empty_exactly_without_balance_floor_and_bed(catalog):
    names = list(il.Abilities.__dataclass_fields__)
    empty = 0
    for answers in itertools.product((True, False), repeat=len(names)):
        who = il.Abilities(**dict(zip(names, answers, strict=True)))
        routine = il.build_routine(catalog, who)
        expected_empty = not (who.good_balance or who.can_get_to_floor or who.has_bed)
        assert (not routine.items) == expected_empty, who.describe()
        empty += expected_empty
    assert empty == 2 ** (len(names) - 3)  # the other answers, any way round: the case is reached


def test_an_empty_routine_says_no_stretch_fits_in_table_and_markdown(catalog):
    who = il.Abilities(good_balance=False, can_get_to_floor=False, has_bed=False)
    routine = il.build_routine(catalog, who)
    assert not routine.items
    table, markdown = routine.table(), text.routine_markdown(routine)
    assert table.splitlines()[0] == text.NO_STRETCH_FITS
    assert text.NO_STRETCH_FITS in markdown and "physiotherapist" in text.NO_STRETCH_FITS
    assert "Total time" not in table and "Total time" not in markdown
    assert "- Hip flexor bed stretch: Left out because it needs a bed." in table


abilities = st.builds(il.Abilities, **{name: st.booleans() for name in il.Abilities.__dataclass_fields__})


@given(
    who=abilities,
    hold=st.integers(5, 120),
    reps=st.integers(1, 20),
    gaps=st.builds(
        Gaps, get_ready=st.integers(3, 120), switch_side=st.integers(2, 60), rest=st.integers(0, 300)
    ),
)
def test_phases_add_up_to_duration(catalog, who, hold, reps, gaps):
    routine = il.build_routine(catalog, who, hold_seconds=hold, repetitions=reps, gaps=gaps)
    phases = routine.phases()
    assert sum(p.duration for p in phases) == pytest.approx(routine.duration())
    assert phases[-1].kind is PhaseKind.DONE and phases[-1].start == pytest.approx(routine.duration())
    for before, after in itertools.pairwise(phases):
        assert after.start == pytest.approx(before.end)
    assert all(choice.reason for choice in routine.choices)
    assert len(routine.choices) == len(catalog.stretches)


def test_a_stretch_left_out_for_several_reasons_gives_them_all(catalog):
    who = il.Abilities(has_table=False, low_back_pain=True, knee_pain=True)
    (table,) = [c for c in il.build_routine(catalog, who).left_out if c.stretch_id == "table_psoas"]
    assert table.reason.startswith("Left out because it needs a table a little lower than your hip.")
    for rule in catalog.stretch("table_psoas").limits:  # still not for this person once a table is found
        assert f"Left out because of {text.LIMIT_WORDS[rule.limit]} too: {rule.reason}" in table.reason
    with_table = il.build_routine(catalog, il.Abilities(has_table=True, low_back_pain=True))
    (alone,) = [c for c in with_table.left_out if c.stretch_id == "table_psoas"]
    assert alone.reason.startswith("Left out because of low-back pain: ")  # one reason, no "too"
