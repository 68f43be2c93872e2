"""The catalog loader: the built-in content, a clinician's extra files, and every kind of bad input."""

from __future__ import annotations

import dataclasses
import importlib.util
import io
import json
import random
import re
import shutil
import sys
import textwrap
import tomllib
from collections.abc import Collection, Iterator, Mapping
from enum import Enum
from pathlib import Path
from types import ModuleType

import pytest
from conftest import ROOT

import iliopsoas_lib as il
from iliopsoas_lib import catalog as catalog_module
from iliopsoas_lib import content_snapshot
from iliopsoas_lib.catalog import CatalogError, ContentText

GOOD_EXTRA = textwrap.dedent(
    """
    [[source]]
    id = "clinic_notes"
    kind = "clinician"
    authors = ["A. Physio"]
    title = "Clinic exercise sheet"

    [[stretch]]
    id = "couch_stretch"
    name = "Couch stretch"
    summary = "Back knee on a cushion against a sofa, front foot forward."
    position = "kneeling"
    needs = ["kneel", "floor"]
    suits = { text = "For people who kneel easily and want a strong stretch.", sources = ["clinic_notes"] }
    steps = ["Kneel with your back foot up against the sofa.", "Lift your chest slowly.", "Stay for {hold}."]
    cue = "Chest up, tailbone tucked."
    feel = { text = "A strong pull at the front of the kneeling hip.", sources = ["clinic_notes"] }
    not_feel = { text = "Pain in the kneeling knee.", sources = ["clinic_notes"] }
    mistakes = [{ text = "Arching the back. Tuck the tailbone.", sources = ["clinic_notes"] }]
    get_in_out = { text = "Hold the sofa to get down and up.", sources = ["clinic_notes"] }
    dosage = { hold_seconds = 25, repetitions = 2, per_side = true, sources = ["clinic_notes"] }
    target_muscles = ["psoas_major", "iliacus"]
    cautions = [{ text = "Skip it with knee pain.", sources = ["clinic_notes"] }]
    on_pain = { text = "Come out of it slowly.", sources = ["clinic_notes"] }
    limits = [{ limit = "knee_pain", action = "skip", reason = "On a knee.", sources = ["clinic_notes"] }]
    easier = { name = "Foot down", text = "Keep the back foot on the floor.", sources = ["clinic_notes"] }
    harder = { name = "Upright", text = "Bring the trunk fully upright.", sources = ["clinic_notes"] }
    sources = ["clinic_notes"]
    """
)


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def test_builtin_content_counts_and_ids(catalog):
    assert len(catalog.stretches) == 5 and len(catalog.muscles) == 3
    assert list(catalog.stretches) == [
        "standing_hip_flexor",
        "kneeling_hip_flexor",
        "glute_bridge",
        "hip_flexor_bed",
        "table_psoas",
    ]
    assert set(catalog.muscles) == {"iliacus", "psoas_major", "psoas_minor"}


def test_article_dosage_is_carried_over_as_the_full_dose(catalog):
    for stretch in catalog.stretches.values():
        full = stretch.full_dose
        assert full is not None and 20 <= full.hold_seconds <= 30, stretch.id
        expected = (10, False) if stretch.id == "glute_bridge" else (3, True)
        assert (full.repetitions, full.per_side) == expected, stretch.id
        assert full.sources == ("lindberg_verywell",)
        # the usual dose: the guideline's hold, about 60 s a side in all (ACSM)
        usual = stretch.dosage
        assert 20 <= usual.hold_seconds <= 30 and usual.hold_seconds * usual.repetitions == 60, stretch.id
        assert usual.per_side == full.per_side
        assert ("acsm_garber2011" in usual.sources) == (stretch.id != "glute_bridge")  # a stretch dose
    assert catalog.muscle("psoas_minor").absent_in_percent == 40


def test_every_stretch_shows_cautions_and_pain_advice(catalog):
    for stretch in catalog.stretches.values():
        assert stretch.cautions and stretch.on_pain.text
        assert stretch.easier.text and stretch.harder.text
    table = catalog.stretch("table_psoas")
    assert {(r.limit, r.action) for r in table.limits} == {
        ("low_back_pain", "skip"),
        ("knee_pain", "skip"),
        ("pregnancy", "skip"),
        ("osteoporosis_or_falls", "skip"),
    }


def test_every_stretch_is_complete(catalog):
    """Who skips it, what to feel and not, the common mistakes, breathing, getting in and out, a cue."""
    for stretch in catalog.stretches.values():
        assert any(rule.action == "skip" for rule in stretch.limits), stretch.id
        assert stretch.feel.text and stretch.not_feel.text and stretch.get_in_out.text and stretch.cue
        assert len(stretch.mistakes) >= 2, stretch.id
        assert any("breath" in step.lower() for step in stretch.steps), f"{stretch.id}: no breathing cue"
        assert sum("{hold}" in step for step in stretch.steps) == 1, stretch.id
        assert sum("{times}" in step for step in stretch.steps) == 1, stretch.id
    mistakes = {s.id: " ".join(m.text for m in s.mistakes).lower() for s in catalog.stretches.values()}
    assert "arching your lower back" in mistakes["standing_hip_flexor"]
    assert "leaning" in mistakes["standing_hip_flexor"] and "leaning" in mistakes["kneeling_hip_flexor"]
    assert "cramp" in mistakes["glute_bridge"]
    assert "pinch" in catalog.stretch("standing_hip_flexor").not_feel.text
    assert "tingl" in catalog.stretch("hip_flexor_bed").not_feel.text  # the hanging, bent knee loads a nerve
    assert any("tingles" in c.text for c in catalog.stretch("hip_flexor_bed").cautions)
    assert "wheels" in " ".join(catalog.stretch("table_psoas").equipment)
    assert "tuck your tailbone" in " ".join(catalog.stretch("kneeling_hip_flexor").steps).lower()


def test_the_bridge_is_described_as_mainly_strengthening(catalog):
    bridge = catalog.stretch("glute_bridge")
    assert "mainly makes your buttock muscles stronger" in bridge.summary
    assert "slight" in bridge.summary and "slight" in bridge.suits.text
    assert "both sides at once" not in bridge.suits.text


def test_screening_covers_the_conditions_a_clinician_would_ask_about(catalog):
    ask_first = {s.id for s in catalog.screenings.values() if s.ask_first}
    assert ask_first == {
        "hip_surgery",
        "recent_surgery_or_injury",
        "acute_strain",
        "hernia",
        "new_unexplained_pain",
    }
    assert {"pregnancy", "osteoporosis_or_falls", "low_back_pain", "knee_pain"} <= set(catalog.screenings)
    for screening in catalog.screenings.values():
        assert screening.question.endswith("?") and screening.advice and screening.sources
    assert "acog_804" in catalog.screening("pregnancy").sources


def test_the_red_flags_are_one_entry_with_a_time_frame(catalog):
    (flags,) = catalog.red_flags.values()
    signs = " ".join(flags.sign_texts).lower()
    for sign in ("numbness", "tingling", "weakness", "fever", "night", "fall", "swelling", "pee or poo"):
        assert sign in signs, sign
    assert "cancer" in signs and "weight" in signs and "steroid" in signs  # NICE's cancer and fracture flags
    assert "next day" in signs and "two weeks" in signs  # pain that stays, with a time frame
    assert "ambulance" in flags.action and flags.action.endswith("now.")  # an emergency is not "same day"
    for sign in flags.signs:  # each sign says where it comes from: a guideline or our own advice
        assert sign.sources, sign.text


def test_pregnancy_says_ask_first_and_when_to_stop(catalog):
    advice = catalog.screening("pregnancy").advice
    assert "before you start" in advice and "20 weeks" in advice
    for sign in ("bleed", "dizzy", "chest pain", "calf"):  # ACOG's reasons to stop exercising
        assert sign in advice, sign


def test_every_stretch_that_pulls_on_the_thigh_nerve_says_stop_if_it_tingles(catalog):
    for stretch_id in ("kneeling_hip_flexor", "hip_flexor_bed", "table_psoas"):
        stretch = catalog.stretch(stretch_id)
        assert "tingl" in stretch.not_feel.text, stretch_id
        assert any("tingles" in c.text and "Stop" in c.text for c in stretch.cautions), stretch_id


def test_the_bridge_gets_harder_by_a_real_progression(catalog):
    bridge = catalog.stretch("glute_bridge")
    assert "one foot" in bridge.harder.text and bridge.harder.text not in " ".join(bridge.steps)
    assert "acsm_garber2011" not in bridge.dosage.sources  # a strengthening exercise: our own dose


def test_references_resolve_in_catalog_order(catalog):
    ids = [s.id for s in catalog.references()]
    assert ids == [s for s in catalog.sources if s in ids]
    assert "lindberg_verywell" in ids and "gray_anatomy" in ids
    bridge_refs = [s.id for s in catalog.references(catalog.stretch("glute_bridge"))]
    assert bridge_refs == ["lindberg_verywell", "editorial_advice", "acog_804"]
    assert (
        catalog.source("lindberg_verywell").citation()
        == "Lindberg S. 5 Essential Iliopsoas Stretches. Verywell Fit. n.d."
    )


def test_the_projects_own_advice_is_cited_as_its_own(catalog):
    source = catalog.source("editorial_advice")
    assert source.kind == "editorial"
    citation = source.citation()
    assert "not taken from a published source" in citation and "no substitute for a clinician" in citation
    assert "n.d." not in citation  # no publication to date
    cited = {s.id for s in catalog.references(*catalog.guidelines.values())}
    assert "editorial_advice" in cited


def _facts(catalog):
    """Every cited sentence of the built-in stretches and guidelines: (where, text, source ids)."""
    for stretch in catalog.stretches.values():
        facts = [("suits", stretch.suits), ("on_pain", stretch.on_pain)]
        facts += [("feel", stretch.feel), ("not_feel", stretch.not_feel), ("get_in_out", stretch.get_in_out)]
        facts += [("cautions", c) for c in stretch.cautions]
        facts += [("mistakes", m) for m in stretch.mistakes]
        facts += [("easier", stretch.easier), ("harder", stretch.harder)]
        for field, fact in facts:
            yield f"{stretch.id}.{field}", fact.text, fact.sources
        for rule in stretch.limits:
            yield f"{stretch.id}.limits.{rule.limit}", rule.reason, rule.sources
        yield f"{stretch.id}.steps", " ".join(stretch.steps), stretch.sources
    for guideline in catalog.guidelines.values():
        yield f"guideline {guideline.id}", guideline.text, guideline.sources
    for screening in catalog.screenings.values():
        yield f"screening {screening.id}", f"{screening.question} {screening.advice}", screening.sources
    for flags in catalog.red_flags.values():
        yield f"red_flags {flags.id}", " ".join([flags.intro, *flags.sign_texts, flags.action]), flags.sources


def test_advice_no_published_source_gives_cites_the_editorial_source(catalog):
    # The article never sends readers to a clinician, never mentions bouncing, props such as a chair, a
    # wall, a stool or a bench, or a second stretch to use instead: such advice is the project's own.
    own_words = ("clinician", "bouncing", "chair", "wall", "stool", "bench", "instead")
    for where, text, sources in _facts(catalog):
        if any(word in text.lower() for word in own_words):
            assert "editorial_advice" in sources, f"{where}: {text!r}"


def test_source_labels_are_short_and_never_the_id(catalog):
    for source in catalog.sources.values():
        label = source.short_label()
        assert label and label != source.id and len(label) <= 20, source.id
    assert catalog.source("editorial_advice").short_label() == "our advice"
    anonymous = dataclasses.replace(catalog.source("gray_anatomy"), label="", authors=["Standring S"])
    assert anonymous.short_label() == "Standring"  # without a label: the first author's family name


def test_easier_versions_keep_the_guideline_hold(catalog):
    low, high = catalog.guideline("hold_time").low, catalog.guideline("hold_time").high
    for stretch in catalog.stretches.values():
        for variant in (stretch.easier, stretch.harder):
            assert "shorter time" not in variant.text, stretch.id
            for seconds in re.findall(r"(\d+) seconds", variant.text):
                assert low <= int(seconds) <= high, f"{stretch.id}: {variant.text!r}"


def test_patient_text_explains_without_pointing_to_an_unnamed_article(catalog):
    for where, text, _ in _facts(catalog):
        assert "article" not in text.lower(), where


def test_psoas_major_summary_claims_no_uniqueness_and_cites_anatomy(catalog):
    summary = catalog.muscle("psoas_major").summary
    assert "only muscle" not in summary.text
    assert set(summary.sources) <= {"bordoni_statpearls", "gray_anatomy"}


def test_kneeling_is_for_people_with_steady_balance(catalog):
    kneeling = catalog.stretch("kneeling_hip_flexor")
    assert {"kneel", "floor", "balance"} <= set(kneeling.needs)


def test_clinician_file_adds_a_stretch(tmp_path):
    extra = write(tmp_path, "clinic.toml", GOOD_EXTRA)
    catalog = il.load_catalog(extra)
    assert list(catalog.stretches)[-1] == "couch_stretch"
    assert catalog.origin["stretch:couch_stretch"] == str(extra)
    assert catalog.origin["stretch:glute_bridge"] == "iliopsoas_lib/data/stretches.toml"


def test_in_memory_content_is_accepted():
    catalog = il.load_catalog(ContentText("upload.toml", GOOD_EXTRA))
    assert "couch_stretch" in catalog.stretches


def test_dosage_change_only_when_the_file_says_so(tmp_path):
    change = write(
        tmp_path,
        "dose.toml",
        """
        [[dosage_change]]
        stretch = "glute_bridge"
        repetitions = 5
        reason = "Build up slowly after surgery."
        sources = ["acsm_garber2011"]
        """,
    )
    catalog = il.load_catalog(change)
    bridge = catalog.stretch("glute_bridge")
    assert bridge.dosage.repetitions == 5 and bridge.dosage.hold_seconds == 30
    assert "acsm_garber2011" in bridge.dosage.sources
    assert catalog.dosage_changes["glute_bridge"].reason.startswith("Build up")
    assert bridge.full_dose is None  # the clinician's dose replaces the article's too
    who = il.Abilities(can_get_to_floor=True, conditions=frozenset())
    assert il.build_routine(catalog, who, full_dose=True).items[0].repetitions == 5
    builtin = il.load_catalog().stretch("glute_bridge")
    assert builtin.dosage.repetitions == 2 and builtin.full_dose.repetitions == 10


def line_in(path: Path, needle: str) -> int:
    """The 1-based line of ``path`` where ``needle`` first appears."""
    return next(n for n, line in enumerate(path.read_text().splitlines(), 1) if needle in line)


def problems_of(*files) -> list:
    with pytest.raises(CatalogError) as info:
        il.load_catalog(*files)
    return info.value.problems


def test_stretch_without_steps(tmp_path):
    path = write(
        tmp_path,
        "nosteps.toml",
        GOOD_EXTRA.replace(
            'steps = ["Kneel with your back foot up against the sofa.", "Lift your chest slowly.", '
            '"Stay for {hold}."]',
            "steps = []",
        ),
    )
    [problem] = problems_of(path)
    assert problem.file == str(path)
    assert problem.entry == "stretch #1 (id 'couch_stretch')"
    assert problem.field == "steps"
    assert problem.expected == "needs at least 1 item"
    assert problem.line == line_in(path, "steps = []")


def test_negative_hold(tmp_path):
    path = write(tmp_path, "neg.toml", GOOD_EXTRA.replace("hold_seconds = 25", "hold_seconds = -5"))
    [problem] = problems_of(path)
    assert (problem.entry, problem.field) == ("stretch #1 (id 'couch_stretch')", "dosage.hold_seconds")
    assert problem.expected == "must be 5 or more (got -5)"
    assert problem.line == line_in(path, "hold_seconds = -5")
    message = str(CatalogError([problem]))
    assert (
        f"{path}, line {problem.line}, stretch #1 (id 'couch_stretch'), field 'dosage.hold_seconds'"
        in message
    )


def test_unknown_source_id(tmp_path):
    path = write(
        tmp_path,
        "src.toml",
        GOOD_EXTRA.replace(
            'cautions = [{ text = "Skip it with knee pain.", sources = ["clinic_notes"] }]',
            'cautions = [{ text = "Skip it with knee pain.", sources = ["nice_2020"] }]',
        ),
    )
    [problem] = problems_of(path)
    assert problem.field == "cautions[1].sources"
    assert "unknown source id 'nice_2020'" in problem.expected
    assert problem.line == line_in(path, "nice_2020")


def test_duplicate_id(tmp_path):
    path = write(tmp_path, "dup.toml", GOOD_EXTRA.replace('id = "couch_stretch"', 'id = "glute_bridge"'))
    [problem] = problems_of(path)
    assert problem.entry == "stretch #1 (id 'glute_bridge')" and problem.field == "id"
    assert problem.line == line_in(path, 'id = "glute_bridge"')
    assert "already defined in iliopsoas_lib/data/stretches.toml" in problem.expected
    assert "dosage_change" in problem.expected


def test_duplicate_id_between_two_extra_files(tmp_path):
    first = write(tmp_path, "a.toml", GOOD_EXTRA)
    second = write(tmp_path, "b.toml", GOOD_EXTRA.replace('id = "clinic_notes"', 'id = "clinic_notes_b"'))
    problems = problems_of(first, second)
    assert any(p.file == str(second) and str(first) in p.expected for p in problems)


def test_toml_syntax_error(tmp_path):
    path = write(tmp_path, "broken.toml", '[[stretch]]\nid = "x\nname = "y"\n')
    [problem] = problems_of(path)
    assert problem.file == str(path) and problem.line == 2
    assert problem.expected.startswith("not valid TOML: the line ends inside quoted text")
    assert "a closing quote is missing" in problem.expected
    assert str(problem) == f"{path}, line 2: {problem.expected}"


def test_unknown_field_is_named(tmp_path):
    path = write(
        tmp_path, "typo.toml", GOOD_EXTRA.replace("hold_seconds = 25", "hold_seconds = 25, hold_secs = 20")
    )
    [problem] = problems_of(path)
    assert problem.field == "dosage.hold_secs"
    assert problem.expected == "unknown field: did you mean 'hold_seconds'?"
    assert problem.line == line_in(path, "hold_secs")


def test_unknown_muscle_and_missing_field(tmp_path):
    text = GOOD_EXTRA.replace(
        'target_muscles = ["psoas_major", "iliacus"]', 'target_muscles = ["rectus_femoris"]'
    )
    path = write(tmp_path, "muscle.toml", text)
    [problem] = problems_of(path)
    assert problem.field == "target_muscles[1]" and "rectus_femoris" in problem.expected
    assert problem.line == line_in(path, "rectus_femoris")
    path = write(tmp_path, "missing.toml", GOOD_EXTRA.replace('position = "kneeling"\n', ""))
    [problem] = problems_of(path)
    assert problem.field == "position" and problem.expected == "this field is missing; it is required here"
    assert problem.line == line_in(path, "[[stretch]]")  # not written: the entry it belongs to


def test_every_problem_is_reported_and_nothing_loaded(tmp_path):
    good = write(tmp_path, "good.toml", GOOD_EXTRA)
    bad = write(
        tmp_path,
        "bad.toml",
        "[[dosage_change]]\nstretch = 'nope'\nrepetitions = 99\nreason = 'x'\nsources = []\n",
    )
    problems = problems_of(good, bad)
    assert {p.field for p in problems} >= {"repetitions", "sources"}
    assert all(p.file == str(bad) for p in problems)


GUIDELINE = (
    '[[guideline]]\nid = "hold_range"\ntitle = "Hold"\ntext = "Hold it."\nsources = ["acsm_garber2011"]\n'
)


@pytest.mark.parametrize(
    ("text", "entry", "expected"),
    [
        (GUIDELINE + "low = 20\n", "guideline #1 (id 'hold_range')", "give both low and high, or neither"),
        (
            GUIDELINE + "low = 30\nhigh = 20\n",
            "guideline #1 (id 'hold_range')",
            "low (30.0) must not exceed high (20.0)",
        ),
        (
            "[[dosage_change]]\nstretch = 'glute_bridge'\nreason = 'x'\nsources = ['acsm_garber2011']\n",
            "dosage_change #1 (stretch 'glute_bridge')",
            "a dosage_change must set hold_seconds or repetitions",
        ),
        (
            GOOD_EXTRA.replace(
                'limits = [{ limit = "knee_pain", action = "skip", reason = "On a knee.", '
                'sources = ["clinic_notes"] }]',
                "limits = ["
                '{ limit = "knee_pain", action = "skip", reason = "a", sources = ["clinic_notes"] }, '
                '{ limit = "knee_pain", action = "ease", reason = "b", sources = ["clinic_notes"] }]',
            ),
            "stretch #1 (id 'couch_stretch')",
            "more than one rule for limit knee_pain",
        ),
    ],
)
def test_a_check_across_fields_names_the_entry(text, entry, expected):
    [problem] = problems_of(ContentText("mine.toml", text))
    assert (problem.file, problem.entry, problem.field) == ("mine.toml", entry, "")
    assert problem.expected == expected


@pytest.mark.parametrize(
    ("old", "new", "field", "expected"),
    [
        (
            '"Stay for {hold}."',
            '"Stay there for 20 to 30 seconds."',
            "",
            "steps[3]: states a dose of its own",
        ),
        ('"Stay for {hold}."', '"Do ten bridges."', "", "steps[3]: states a dose of its own ('ten bridges')"),
        ('"Stay for {hold}."', '"Stay for {seconds}."', "", "steps[3]: unknown placeholder {seconds}"),
        ('"Come out of it slowly."', '"Hold it for a minute."', "", "on_pain.text: states a dose"),
        ('"Chest up, tailbone tucked."', '"Do it twice."', "", "cue: states a dose of its own ('twice')"),
        (
            'action = "skip", reason = "On a',
            'action = "ease", reason = "On a',
            "",
            "at least one rule",
        ),
        (
            'limit = "knee_pain"',
            'limit = "knee_ache"',
            "limits[1].limit",
            "unknown screening question 'knee_ache'",
        ),
    ],
)
def test_a_stretch_must_name_who_skips_it_and_take_its_dose_from_the_dose(old, new, field, expected):
    assert old in GOOD_EXTRA  # the replacement really happens
    [problem] = problems_of(ContentText("mine.toml", GOOD_EXTRA.replace(old, new)))
    assert (problem.file, problem.entry, problem.field) == (
        "mine.toml",
        "stretch #1 (id 'couch_stretch')",
        field,
    )
    assert expected in problem.expected


def test_a_clinicians_screening_question_applies_to_every_stretch(catalog):
    extra = ContentText(
        "mine.toml",
        '[[screening]]\nid = "hip_injection"\nquestion = "Have you had a hip injection lately?"\n'
        'name = "a recent hip injection"\nask_first = true\nadvice = "Ask your clinician first."\n'
        'sources = ["editorial_advice"]\n',
    )
    mine = il.load_catalog(extra)
    who = il.Abilities(has_bed=True, conditions=frozenset({"hip_injection"}))
    routine = il.build_routine(mine, who)
    assert not routine.items and "a recent hip injection" in routine.withheld
    assert il.build_routine(mine, il.Abilities(has_bed=True, conditions=frozenset())).items


def test_a_check_across_fields_also_guards_a_changed_copy(catalog):
    with pytest.raises(ValueError, match="give both low and high"):
        dataclasses.replace(catalog.guideline("hold_time"), high=None)
    with pytest.raises(dataclasses.FrozenInstanceError):
        catalog.guideline("hold_time").low = 5  # type: ignore[misc]


def everything_in(value: object, path: str = "catalog") -> Iterator[tuple[str, object]]:
    """Every object reachable from ``value`` through dataclass fields and collection items, with its
    path: the walk does not know the schema, so a field added later is covered too."""
    yield path, value
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        for f in dataclasses.fields(value):
            yield from everything_in(getattr(value, f.name), f"{path}.{f.name}")
    elif isinstance(value, Mapping):
        for key, item in value.items():
            yield from everything_in(item, f"{path}[{key!r}]")
    elif isinstance(value, Collection) and not isinstance(value, str | bytes):
        for n, item in enumerate(value):
            yield from everything_in(item, f"{path}[{n}]")


def try_to_change(value: object) -> None:
    """Mutate ``value`` the way a caller might by mistake; raises if it cannot be changed."""
    if dataclasses.is_dataclass(value):
        name = dataclasses.fields(value)[0].name
        setattr(value, name, getattr(value, name))
    else:
        value.clear()  # type: ignore[attr-defined]  # a list, dict or set has it; tuples and proxies do not


def test_a_loaded_catalog_cannot_be_changed_and_a_change_never_leaks():
    """``load_catalog().stretch('glute_bridge').cautions.clear()`` once emptied the cautions of every later
    load in the process: content is cached per process, so it must be immutable all the way down."""
    mine = GOOD_EXTRA + '\n[[dosage_change]]\nstretch = "glute_bridge"\nrepetitions = 3\n'
    mine += 'reason = "Fewer at first."\nsources = ["clinic_notes"]\n'
    before = repr(il.load_catalog())
    with pytest.raises(AttributeError):
        il.load_catalog().stretch("glute_bridge").cautions.clear()  # type: ignore[attr-defined]
    changeable = []
    for catalog in (il.load_catalog(), il.load_catalog(ContentText("mine.toml", mine))):
        for path, value in everything_in(catalog):
            if isinstance(value, str | bytes | int | float | bool | Enum | type(None)):
                continue
            try:
                try_to_change(value)
            except (AttributeError, TypeError, dataclasses.FrozenInstanceError):
                continue
            changeable.append(path)
    assert changeable == []
    assert repr(il.load_catalog()) == before
    assert il.load_catalog().stretch("glute_bridge").cautions


def with_picture(tmp_path: Path, data: bytes) -> Path:
    """A clinic's file whose stretch has its own picture (``wall.jpg`` beside it, holding ``data``)."""
    (tmp_path / "wall.jpg").write_bytes(data)
    text = GOOD_EXTRA.replace('id = "couch_stretch"', 'id = "couch_stretch"\npicture = "wall.jpg"', 1)
    return write(tmp_path, "mine.toml", text)


def jpeg(seed: int = 1) -> bytes:
    """A 300 x 300 JPEG of noise: big enough that cutting it in half leaves a header that reads well."""
    from PIL import Image

    noise = random.Random(seed).randbytes(300 * 300 * 3)
    out = io.BytesIO()
    Image.frombytes("RGB", (300, 300), noise).save(out, "JPEG")
    return out.getvalue()


def test_a_cut_off_picture_is_refused_at_load_not_at_print(tmp_path):
    """The check once read only the header and Pillow's verify(), which passes half a JPEG: the whole
    picture is decoded when its file is loaded."""
    data = jpeg()
    [problem] = problems_of(with_picture(tmp_path, data[: len(data) // 2]))
    assert problem.field == "picture" and "wall.jpg is not a PNG or JPEG picture" in problem.expected


def test_a_picture_is_read_once_and_the_checked_bytes_are_printed(tmp_path):
    """A clinic's picture was read when loaded and again when printed, so the handout could print a file
    that was never checked. The catalog keeps the bytes it checked."""
    from iliopsoas_lib.figures.pictures import stretch_picture

    data = jpeg()
    catalog = il.load_catalog(with_picture(tmp_path, data))
    (tmp_path / "wall.jpg").write_bytes(b"changed after loading")
    assert stretch_picture(catalog.stretch("couch_stretch"), catalog) == data


def test_missing_file_and_non_utf8(tmp_path):
    assert "file not found" in problems_of(tmp_path / "nope.toml")[0].expected
    path = tmp_path / "latin1.toml"
    path.write_bytes(b'[[source]]\nid = "caf\xe9"\n')
    assert "not UTF-8" in problems_of(path)[0].expected


# The snapshot of the built-in content (data/builtin_content.json): a dashboard kernel reads it instead
# of validating the files, so it must hold exactly what validating the files gives, and be ignored the
# moment a file or the schema's structure no longer matches it.

SNAPSHOT_HINT = "the content snapshot is stale: run python scripts/make_content_snapshot.py and commit it"


builtin_texts = catalog_module._builtin_bytes


def test_the_committed_snapshot_is_current():
    committed = (ROOT / "iliopsoas_lib" / "data" / content_snapshot.SNAPSHOT).read_text(encoding="utf-8")
    fresh = catalog_module.builtin_snapshot()
    assert json.loads(committed)["files"] == json.loads(fresh)["files"], SNAPSHOT_HINT
    assert committed == fresh, SNAPSHOT_HINT


def test_the_builtin_content_is_read_from_the_snapshot(monkeypatch):
    validated = catalog_module._validate_builtin(builtin_texts(ROOT / "iliopsoas_lib" / "data"))

    def no_validation(texts):
        raise AssertionError("validated the built-in files although the snapshot matches them")

    monkeypatch.setattr(catalog_module, "_validate_builtin", no_validation)
    assert catalog_module._builtin_content.__wrapped__() == validated


def schema_copy(monkeypatch, tmp_path: Path, old: str = "", new: str = "") -> ModuleType:
    """schema.py loaded again as another module, with ``old`` replaced by ``new`` in its text."""
    text = (ROOT / "iliopsoas_lib" / "schema.py").read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "schema_copy.py"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    spec = importlib.util.spec_from_file_location("iliopsoas_lib._schema_copy", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    monkeypatch.setitem(sys.modules, spec.name, module)  # dataclasses look their module up while made
    spec.loader.exec_module(module)
    return module


def test_the_snapshot_follows_the_schemas_structure_not_its_text(monkeypatch, tmp_path):
    """A comment edit in schema.py once made the snapshot stale; a changed default must still do so."""
    fingerprint = content_snapshot.schema_fingerprint()
    assert content_snapshot.schema_fingerprint(schema_copy(monkeypatch, tmp_path).ContentFile) == fingerprint
    stretch = "class Stretch(Strict):\n"
    comment = schema_copy(monkeypatch, tmp_path, stretch, f"# a note\n{stretch}")
    assert content_snapshot.schema_fingerprint(comment.ContentFile) == fingerprint
    ready = "get_ready_seconds: Annotated[Int, Ge(GET_READY_SECONDS.low), Le(GET_READY_SECONDS.high)]"
    for old, new in [
        (f"{ready} = 10", f"{ready} = 12"),
        (ready, ready.replace("Ge(GET_READY_SECONDS.low)", "Ge(4)")),
        ('    BED = "bed"\n', '    BED = "a_bed"\n'),
        ("    cue: Text\n", "    cue: Text\n    extra: Text = \"\"\n"),
    ]:
        changed = schema_copy(monkeypatch, tmp_path, old, new)
        assert content_snapshot.schema_fingerprint(changed.ContentFile) != fingerprint, new


@pytest.fixture
def data_copy(tmp_path, monkeypatch):
    """A copy of the package's built-in files, with a snapshot made from them, read instead of the
    package's own; the catalog cache is emptied before and after so no other test sees it."""
    folder = tmp_path / "data"
    folder.mkdir()
    for name in catalog_module.BUILTIN_FILES:
        shutil.copy(ROOT / "iliopsoas_lib" / "data" / name, folder / name)
    monkeypatch.setattr(catalog_module, "_data_folder", lambda: folder)
    (folder / content_snapshot.SNAPSHOT).write_text(catalog_module.builtin_snapshot(), encoding="utf-8")
    catalog_module._builtin_content.cache_clear()
    yield folder
    catalog_module._builtin_content.cache_clear()


def append_source(folder: Path, text: str) -> int:
    """Add a source table to the copied sources.toml; returns its number among the sources."""
    path = folder / "sources.toml"
    count = len(tomllib.loads(path.read_text(encoding="utf-8"))["source"])
    path.write_text(path.read_text(encoding="utf-8") + "\n" + textwrap.dedent(text), encoding="utf-8")
    return count + 1


def test_an_edited_builtin_file_is_validated_not_taken_from_the_snapshot(data_copy):
    assert catalog_module._read_snapshot(data_copy, builtin_texts(data_copy))
    append_source(
        data_copy,
        """
        [[source]]
        id = "edited_source"
        kind = "clinician"
        authors = ["  A. Physio  "]
        title = "Added after the snapshot"
        """,
    )
    catalog = il.load_catalog()
    assert catalog.source("edited_source").authors == ("A. Physio",)  # validated: whitespace stripped
    assert len(catalog.stretches) == 5


def test_an_invalid_edit_of_a_builtin_file_is_reported(data_copy):
    number = append_source(
        data_copy,
        """
        [[source]]
        id = "edited_source"
        kind = "clinician"
        authors = []
        title = "Added after the snapshot"
        """,
    )
    [problem] = problems_of()
    assert problem.file == "iliopsoas_lib/data/sources.toml"
    assert (problem.entry, problem.field) == (f"source #{number} (id 'edited_source')", "authors")
    assert "at least 1 item" in problem.expected


def test_a_snapshot_of_other_files_or_schema_or_unreadable_is_ignored(data_copy, monkeypatch):
    texts = builtin_texts(data_copy)
    assert catalog_module._read_snapshot(data_copy, texts) is not None
    other_files = {**texts, "sources.toml": texts["sources.toml"] + b"\n"}
    assert catalog_module._read_snapshot(data_copy, other_files) is None
    with monkeypatch.context() as patch:
        patch.setattr(content_snapshot, "schema_fingerprint", lambda: "0" * 64)
        assert catalog_module._read_snapshot(data_copy, texts) is None
    snapshot = data_copy / content_snapshot.SNAPSHOT
    snapshot.write_bytes(snapshot.read_bytes()[:100])
    assert catalog_module._read_snapshot(data_copy, texts) is None
    snapshot.unlink()
    assert catalog_module._read_snapshot(data_copy, texts) is None
    assert len(il.load_catalog().stretches) == 5  # validated from the files instead


# -- strict types, a byte order mark, the usual TOML slips, what is built in --------------------------


@pytest.mark.parametrize(
    ("old", "new", "field", "expected"),
    [
        ("hold_seconds = 25", 'hold_seconds = "45"', "dosage.hold_seconds", "write 45 without quotes"),
        ("repetitions = 2", "repetitions = 2.5", "dosage.repetitions", "must be a whole number (got 2.5)"),
        ("per_side = true", 'per_side = "true"', "dosage.per_side", "write true without quotes"),
        ('title = "Clinic exercise sheet"', "title = 2026", "title", "must be text in double quotes"),
    ],
)
def test_a_value_of_the_wrong_type_is_refused_never_converted(old, new, field, expected):
    """Lax validation turned "45" into 45 without a word: a quoted number may be the wrong thing quoted."""
    assert old in GOOD_EXTRA
    [problem] = problems_of(ContentText("mine.toml", GOOD_EXTRA.replace(old, new)))
    assert problem.field.endswith(field) and expected in problem.expected


def test_a_whole_number_is_a_number_where_a_number_is_asked():
    text = GOOD_EXTRA + "\n" + GUIDELINE + "low = 20\nhigh = 30.5\n"
    assert il.load_catalog(ContentText("mine.toml", text)).guideline("hold_range").low == 20.0


def test_a_byte_order_mark_is_no_mistake(tmp_path):
    path = tmp_path / "notepad.toml"
    path.write_bytes(b"\xef\xbb\xbf" + GOOD_EXTRA.encode())
    assert "couch_stretch" in il.load_catalog(path).stretches
    assert "couch_stretch" in il.load_catalog(ContentText("upload.toml", "\ufeff" + GOOD_EXTRA)).stretches


def test_single_brackets_are_explained_at_their_line():
    text = GOOD_EXTRA.replace("[[stretch]]", "[stretch]")
    [problem] = problems_of(ContentText("mine.toml", text))
    assert problem.line == text.splitlines().index("[stretch]") + 1
    assert "write [[stretch]] with two square brackets" in problem.expected
    twice = text + '\n[stretch]\nid = "other"\n'
    [problem] = problems_of(ContentText("mine.toml", twice))
    assert problem.line == len(twice.splitlines()) - 1 and "[[stretch]]" in problem.expected


def test_the_line_of_an_item_in_a_list_written_over_several_lines():
    text = GOOD_EXTRA.replace(
        'mistakes = [{ text = "Arching the back. Tuck the tailbone.", sources = ["clinic_notes"] }]',
        'mistakes = [\n  { text = "Arching the back.", sources = ["clinic_notes"] },\n'
        '  { text = "Bouncing.", sources = ["clinic_nots"] },\n]',
    )
    [problem] = problems_of(ContentText("mine.toml", text))
    assert problem.field == "mistakes[2].sources"
    assert problem.line == next(n for n, line in enumerate(text.splitlines(), 1) if "clinic_nots" in line)


def test_a_table_of_its_own_inside_an_entry_is_found():
    """``[stretch.dosage]`` after ``[[stretch]]`` is the last stretch's dose: its keys are found there."""
    inline = 'dosage = { hold_seconds = 25, repetitions = 2, per_side = true, sources = ["clinic_notes"] }\n'
    assert inline in GOOD_EXTRA
    text = GOOD_EXTRA.replace(inline, "") + (
        '\n[stretch.dosage]\nhold_seconds = 2\nrepetitions = 2\nper_side = true\nsources = ["clinic_notes"]\n'
    )
    [problem] = problems_of(ContentText("mine.toml", text))
    assert problem.field == "dosage.hold_seconds"
    assert problem.line == text.splitlines().index("hold_seconds = 2") + 1


def test_what_is_built_in_is_told_by_content_not_by_file_name(tmp_path):
    """A clinic's own stretches.toml brings new entries: the name of a built-in file says nothing."""
    mine = tmp_path / "stretches.toml"
    mine.write_text(
        GOOD_EXTRA + '\n[[dosage_change]]\nstretch = "glute_bridge"\nrepetitions = 3\n'
        'reason = "Fewer at first."\nsources = ["clinic_notes"]\n'
    )
    catalog = il.load_catalog(mine)
    assert catalog.added() == ["source:clinic_notes", "stretch:couch_stretch", "dosage_change:glute_bridge"]
    assert "stretch:glute_bridge" in catalog.builtin and il.load_catalog().added() == []


def test_lists_nested_far_too_deeply_are_a_problem_not_a_crash():
    """tomllib reads nested lists by recursion: a hostile file must end in a report, not a traceback."""
    [problem] = problems_of(ContentText("deep.toml", "a = " + "[" * 100_000))
    assert problem.expected == "not valid TOML: lists or tables nested far too deeply"
