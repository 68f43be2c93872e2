"""Reviewing a patient's downloaded log against their plan (issue 14, item 6): exact figures for the
sample log, one clear message for a bad file, and nothing written anywhere."""

from __future__ import annotations

import dataclasses
import os
from datetime import date
from pathlib import Path

import pytest
from conftest import ROOT

import iliopsoas_lib as il
from iliopsoas_lib.adherence import read_log, review_adherence
from iliopsoas_lib.clinic import template_text
from iliopsoas_lib.dosage import plan_dosage
from iliopsoas_lib.session_log import MAX_ROWS, SessionLog, SessionLogError

SAMPLE = ROOT / "notebooks" / "sample_session_log.csv"
TODAY = date(2026, 11, 25)  # a Wednesday, as in notebook 07
START = date(2026, 10, 14)  # the plan started on a Wednesday too


@pytest.fixture(scope="module")
def catalog() -> il.Catalog:
    return il.load_catalog(il.ContentText("clinician_stretch.toml", template_text()))


@pytest.fixture(scope="module")
def sample(catalog) -> SessionLog:
    return read_log(SAMPLE.read_bytes(), SAMPLE.name, known_stretches=catalog.stretches, today=TODAY)


def test_the_sample_log_against_a_plan_of_four_a_week(sample) -> None:
    review = review_adherence(sample, 4, start=START, today=TODAY)
    assert [(w.monday.isoformat(), w.count, w.met) for w in review.weeks] == [
        ("2026-10-12", 3, False),
        ("2026-10-19", 4, True),
        ("2026-10-26", 3, False),
        ("2026-11-02", 4, True),
        ("2026-11-09", 5, True),
        ("2026-11-16", 4, True),
        ("2026-11-23", 2, False),  # under way: shown, not missed
    ]
    assert review.sessions_in_plan == 25 and review.sessions_before_start == 1
    assert [w.monday for w in review.missed_weeks] == [date(2026, 10, 12), date(2026, 10, 26)]
    assert len(review.weeks_met) == 4 and review.streak == 3
    assert review.sessions_per_week == pytest.approx(23 / 6)
    assert review.summary_lines() == [
        "Plan: 4 sessions a week, started 2026-10-14.",
        "Sessions since the plan started: 25, on average 3.8 a week.",
        "Finished weeks that met the plan: 4 of 6.",
        "Streak: 3 weeks in a row meeting the plan.",
        "Weeks missed (week starting): 2026-10-12, 2026-10-26.",
        "This week so far: 2 of 4.",
        "Not counted: 1 session from before the plan started.",
    ]
    assert "2026-10-26            3  missed (1 short)" in review.table()


def test_a_dosage_plan_gives_its_sessions_a_week(catalog, sample) -> None:
    routine = il.build_routine(catalog, il.Abilities(can_kneel=True, has_bed=True, conditions=set()))
    plan = plan_dosage(catalog, routine, sessions_per_week=3)
    review = review_adherence(sample, plan, start=START, today=TODAY)
    assert review.target == 3 and review.missed_weeks == () and review.streak == 6
    assert [w.met for w in review.weeks] == [True] * 6 + [False]


def test_the_streak_stops_at_the_plan_start_and_counts_this_week_once_met(sample) -> None:
    review = review_adherence(sample, 2, start=date(2026, 11, 16), today=TODAY)
    assert len(review.weeks) == 2 and review.streak == 2  # this week already has 2: it counts
    assert review.sessions_before_start == 20


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "date,stretches,duration_seconds,note\r\n2026-11-31,glute_bridge,600,\r\n",
            "sample.csv, line 2: date: '2026-11-31' is not a date (expected YYYY-MM-DD)",
        ),
        (
            "date,stretches,duration_seconds,note\r\n2026-11-02,glute_bridge,600,\r\n2026-11-03,yoga,600,\r\n",
            "sample.csv, line 3: stretches: 'yoga' is not a stretch this page knows",
        ),
        (
            "date,stretches,duration_seconds,note\r\n2026-11-02,glute_bridge,ten,\r\n",
            "sample.csv, line 2: duration_seconds 'ten' is not a number",
        ),
        (
            "when,what\r\n2026-11-02,glute_bridge\r\n",
            "sample.csv, line 1: expected the header date,stretches,duration_seconds,note, got when,what",
        ),
        (
            "date,stretches,duration_seconds,note\r\n2026-12-09,glute_bridge,600,\r\n",
            "sample.csv, line 2: date: 2026-12-09 is more than a day after today (2026-11-25)",
        ),
    ],
)
def test_a_malformed_log_gives_one_clear_message(catalog, text: str, expected: str) -> None:
    with pytest.raises(SessionLogError) as caught:
        read_log(text.encode(), "sample.csv", known_stretches=catalog.stretches, today=TODAY)
    assert str(caught.value) == expected


def test_a_file_that_is_not_text_or_too_long_is_refused(catalog) -> None:
    with pytest.raises(SessionLogError, match=r"^photo.csv: not a text \(UTF-8\) CSV file \(byte 1 "):
        read_log(b"\xff\xd8\xff\xe0 a picture", "photo.csv", today=TODAY)
    rows = "".join(f"2026-11-0{1 + n % 9},glute_bridge,600,\r\n" for n in range(MAX_ROWS + 1))
    with pytest.raises(SessionLogError, match=r"line 10002: more than 10,000 sessions in one file"):
        read_log("date,stretches,duration_seconds,note\r\n" + rows, "big.csv", today=TODAY)


def test_a_formula_note_is_read_as_plain_text(sample) -> None:
    """The export made a note starting with '-' inert with a quote; the review reads the words back."""
    (session,) = [s for s in sample if s.date == date(2026, 10, 28)]
    assert session.note == "-sore knee, used a thicker cushion"


def test_a_bad_plan_is_refused_in_plain_words(sample) -> None:
    with pytest.raises(ValueError, match="sessions a week must be a whole number from 1 to 14, got 0"):
        review_adherence(sample, 0, start=START, today=TODAY)
    with pytest.raises(ValueError, match="the plan starts on 2026-12-01, after today"):
        review_adherence(sample, 3, start=date(2026, 12, 1), today=TODAY)


def test_the_chart_draws_the_weeks_and_the_plan_line(sample) -> None:
    from iliopsoas_lib.figures.adherence import adherence_chart

    review = review_adherence(sample, 4, start=START, today=TODAY)
    fig = adherence_chart(review)
    (ax,) = fig.axes
    bars = [p for p in ax.patches if (p.get_gid() or "").startswith("week:")]
    assert [round(b.get_height()) for b in bars] == [3, 4, 3, 4, 5, 4, 2]
    assert not [p for p in ax.patches if p.get_gid() == "goal_band"], "a plan is a line, not a band"
    (line,) = [ln for ln in ax.lines if ln.get_gid() == "plan_target"]
    assert list(line.get_ydata()) == [4, 4]
    assert ax.get_title(loc="left") == "Streak: 3 weeks meeting the plan"
    assert [t.get_text() for t in fig.legends[0].get_texts()] == [
        "plan met",
        "fewer than planned",
        "plan: 4 a week",
    ]


def test_the_weekly_chart_draws_the_guidelines_goal_or_the_plans_target(catalog, sample) -> None:
    """Issue 15: the chart's band and streak come from the guideline, and a plan's target is the chart's
    own parameter (the adherence chart no longer patches a finished figure)."""
    from iliopsoas_lib.figures.weekly import weekly_chart

    weekly = dataclasses.replace(catalog.guidelines["sessions_per_week"], low=4, high=5)
    guidelines = {**catalog.guidelines, "sessions_per_week": weekly}
    four_or_five = dataclasses.replace(catalog, guidelines=guidelines)
    counts = il.weekly_counts(sample, 7, TODAY, catalog=four_or_five)
    fig = weekly_chart(counts)
    (ax,) = fig.axes
    (band,) = [p for p in ax.patches if p.get_gid() == "goal_band"]
    assert (band.get_y(), band.get_y() + band.get_height()) == (4, 5)
    assert [t.get_text() for t in fig.legends[0].get_texts()][-1] == "goal: 4-5 a week"
    assert ax.get_title(loc="left") == "Streak: 3 weeks meeting the goal"
    assert il.weekly_counts(sample, 7, TODAY, catalog=catalog).streak != counts.streak

    planned = weekly_chart(review_adherence(sample, 3, start=START, today=TODAY), target=3)
    (ax,) = planned.axes
    assert not [p for p in ax.patches if p.get_gid() == "goal_band"]
    (line,) = [ln for ln in ax.lines if ln.get_gid() == "plan_target"]
    assert list(line.get_ydata()) == [3, 3]
    assert [t.get_text() for t in planned.legends[0].get_texts()] == [
        "plan met",
        "fewer than planned",
        "plan: 3 a week",
    ]


def _files_under(folder: Path) -> dict[str, float]:
    return {str(p): p.stat().st_mtime for p in folder.rglob("*") if p.is_file()}


def test_the_review_writes_nothing(catalog, tmp_path, monkeypatch) -> None:
    """Read, review and chart in the widget: no file appears or changes in the project, the working
    folder, the home folder or the temporary folder, and nothing is opened for writing."""
    import matplotlib.font_manager  # noqa: F401  (its font cache is matplotlib's, made before the spy)

    from iliopsoas_lib.widgets.log_review import LogReview

    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    (tmp_path / "home").mkdir()
    watched = [ROOT / "notebooks", ROOT / "tests" / "data", tmp_path]
    before = {str(f): _files_under(f) for f in watched}
    opened: list[str] = []
    real_open = open

    def spy_open(file, mode="r", *args, **kwargs):  # type: ignore[no-untyped-def]
        if any(m in mode for m in "wax+"):
            opened.append(str(file))
        return real_open(file, mode, *args, **kwargs)

    monkeypatch.setattr("builtins.open", spy_open)
    view = LogReview(4, today=TODAY, start=START, known_stretches=catalog.stretches)
    view.upload._on_message(view.upload, {"event": "file", "name": "sample.csv"}, [SAMPLE.read_bytes()])
    assert view.review is not None and view.review.streak == 3
    assert 'src="data:image/png;base64,' in view.chart.value
    assert opened == [], opened
    assert {str(f): _files_under(f) for f in watched} == before
    assert not os.listdir(tmp_path / "home")


# -- the clinicians' widget -----------------------------------------------------------------------------


def pick(view, name: str, content: bytes) -> None:
    """What the browser side of the file picker sends for a chosen file within the size limit."""
    view.upload._on_message(view.upload, {"event": "file", "name": name}, [content])


def test_the_widget_reviews_a_picked_file_and_follows_the_plan(catalog) -> None:
    import ipywidgets as widgets

    from iliopsoas_lib.widgets.log_review import LogReview

    panel_sessions = widgets.BoundedIntText(value=4, min=1, max=14)  # as the clinicians' panel has one
    view = LogReview(panel_sessions, today=TODAY, known_stretches=catalog.stretches)
    assert repr(view) == "Log review: no log read yet"
    pick(view, "sample.csv", SAMPLE.read_bytes())
    assert view.message.text == "Read sample.csv: 26 sessions."
    assert view.start.value == date(2026, 10, 9)  # no start given: the log's first session
    assert "Streak: 3 weeks in a row meeting the plan." in view.summary.value
    view.start.value = START
    assert "Not counted: 1 session from before the plan started." in view.summary.value
    panel_sessions.value = 3  # the dose changed in the panel: the review follows
    assert "Streak: 6 weeks in a row meeting the plan." in view.summary.value
    assert "No week missed." in view.summary.value
    assert (
        'alt="Bar chart of sessions per week since 14 Oct 2026 against the plan of 3 a week'
        in view.chart.value
    )
    assert repr(view) == "Log review: 25 sessions in 7 weeks against 3 a week"


def test_the_widget_says_what_is_wrong_and_keeps_the_last_review(catalog) -> None:
    from iliopsoas_lib.widgets.log_review import LogReview

    view = LogReview(4, today=TODAY, start=START, known_stretches=catalog.stretches)
    pick(view, "sample.csv", SAMPLE.read_bytes())
    shown = view.summary.value
    bad = SAMPLE.read_text(encoding="utf-8").replace("2026-11-05", "5/11/2026")
    pick(view, "edited.csv", bad.encode())
    assert view.message.text == (
        "Could not read the patient's log: edited.csv, line 15: date: '5/11/2026' is not a date "
        "(expected YYYY-MM-DD). Nothing was read from this file."
    )
    assert 'role="alert"' in view.message.value and view.summary.value == shown
    view.upload._on_message(view.upload, {"event": "refused", "name": "huge.csv", "size": 2_300_000}, None)
    assert view.message.text.startswith(
        "huge.csv is too big (2.3 MB). A session log is much smaller: up to 1 MB."
    )
    assert view.upload.max_bytes == 1_000_000  # the browser refuses a bigger file before reading it
