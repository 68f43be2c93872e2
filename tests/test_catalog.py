"""The catalog loader: the built-in content, a clinician's extra files, and every kind of bad input."""

from __future__ import annotations

import re
import textwrap
from pathlib import Path

import pytest

import iliopsoas_lib as il
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
    steps = ["Kneel with your back foot up against the sofa.", "Lift your chest slowly."]
    dosage = { hold_seconds = 25, repetitions = 2, per_side = true, sources = ["clinic_notes"] }
    target_muscles = ["psoas_major", "iliacus"]
    cautions = [{ text = "Skip it with knee pain.", sources = ["clinic_notes"] }]
    on_pain = { text = "Come out of it slowly.", sources = ["clinic_notes"] }
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


def test_article_dosage_is_carried_over(catalog):
    for stretch in catalog.stretches.values():
        assert 20 <= stretch.dosage.hold_seconds <= 30, stretch.id
        expected = (10, False) if stretch.id == "glute_bridge" else (3, True)
        assert (stretch.dosage.repetitions, stretch.dosage.per_side) == expected, stretch.id
    assert catalog.muscle("psoas_minor").absent_in_percent == 40


def test_every_stretch_shows_cautions_and_pain_advice(catalog):
    for stretch in catalog.stretches.values():
        assert stretch.cautions and stretch.on_pain.text
        assert stretch.easier.text and stretch.harder.text
    table = catalog.stretch("table_psoas")
    assert {(r.limit, r.action) for r in table.limits} == {("low_back_pain", "skip"), ("knee_pain", "skip")}


def test_references_resolve_in_catalog_order(catalog):
    ids = [s.id for s in catalog.references()]
    assert ids == [s for s in catalog.sources if s in ids]
    assert "lindberg_verywell" in ids and "gray_anatomy" in ids
    bridge_refs = [s.id for s in catalog.references(catalog.stretch("glute_bridge"))]
    assert bridge_refs == ["lindberg_verywell", "editorial_advice"]
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
        facts += [("cautions", c) for c in stretch.cautions]
        facts += [("easier", stretch.easier), ("harder", stretch.harder)]
        for field, fact in facts:
            yield f"{stretch.id}.{field}", fact.text, fact.sources
        for rule in stretch.limits:
            yield f"{stretch.id}.limits.{rule.limit}", rule.reason, rule.sources
    for guideline in catalog.guidelines.values():
        yield f"guideline {guideline.id}", guideline.text, guideline.sources


def test_advice_no_published_source_gives_cites_the_editorial_source(catalog):
    # The article never sends readers to a clinician, never mentions bouncing, props such as a chair, a
    # wall, a stool or a bench, or a second stretch to use instead: such advice is the project's own.
    own_words = ("clinician", "bouncing", "chair", "wall", "stool", "bench", "instead")
    for where, text, sources in _facts(catalog):
        if any(word in text.lower() for word in own_words):
            assert "editorial_advice" in sources, f"{where}: {text!r}"


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
    assert il.load_catalog().stretch("glute_bridge").dosage.repetitions == 10


def problems_of(*files) -> list:
    with pytest.raises(CatalogError) as info:
        il.load_catalog(*files)
    return info.value.problems


def test_stretch_without_steps(tmp_path):
    path = write(
        tmp_path,
        "nosteps.toml",
        GOOD_EXTRA.replace(
            'steps = ["Kneel with your back foot up against the sofa.", "Lift your chest slowly."]',
            "steps = []",
        ),
    )
    [problem] = problems_of(path)
    assert problem.file == str(path)
    assert problem.entry == "stretch #1 (id 'couch_stretch')"
    assert problem.field == "steps"
    assert "at least 1 item" in problem.expected


def test_negative_hold(tmp_path):
    path = write(tmp_path, "neg.toml", GOOD_EXTRA.replace("hold_seconds = 25", "hold_seconds = -5"))
    [problem] = problems_of(path)
    assert (problem.entry, problem.field) == ("stretch #1 (id 'couch_stretch')", "dosage.hold_seconds")
    assert "greater than or equal to 5" in problem.expected and "-5" in problem.expected
    message = str(CatalogError([problem]))
    assert str(path) in message and "dosage.hold_seconds" in message


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


def test_duplicate_id(tmp_path):
    path = write(tmp_path, "dup.toml", GOOD_EXTRA.replace('id = "couch_stretch"', 'id = "glute_bridge"'))
    [problem] = problems_of(path)
    assert problem.entry == "stretch #1 (id 'glute_bridge')" and problem.field == "id"
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
    assert problem.file == str(path) and "not valid TOML" in problem.expected and "line 2" in problem.expected


def test_unknown_field_is_named(tmp_path):
    path = write(
        tmp_path, "typo.toml", GOOD_EXTRA.replace("hold_seconds = 25", "hold_seconds = 25, hold_secs = 20")
    )
    [problem] = problems_of(path)
    assert problem.field == "dosage.hold_secs" and "unknown field" in problem.expected


def test_unknown_muscle_and_missing_field(tmp_path):
    text = GOOD_EXTRA.replace(
        'target_muscles = ["psoas_major", "iliacus"]', 'target_muscles = ["rectus_femoris"]'
    )
    path = write(tmp_path, "muscle.toml", text)
    [problem] = problems_of(path)
    assert problem.field == "target_muscles[1]" and "rectus_femoris" in problem.expected
    path = write(tmp_path, "missing.toml", GOOD_EXTRA.replace('position = "kneeling"\n', ""))
    [problem] = problems_of(path)
    assert problem.field == "position" and problem.expected == "required field is missing"


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


def test_missing_file_and_non_utf8(tmp_path):
    assert "file not found" in problems_of(tmp_path / "nope.toml")[0].expected
    path = tmp_path / "latin1.toml"
    path.write_bytes(b'[[source]]\nid = "caf\xe9"\n')
    assert "not UTF-8" in problems_of(path)[0].expected
