"""The widgets as thin views: simulated clicks, keys and uploads change the model, and the model's
state is what the view shows. (The browser tests check the same views really render and respond.)"""

from __future__ import annotations

import html
import json
import re
from datetime import date
from pathlib import Path

import pytest

import iliopsoas_lib as il
from iliopsoas_lib import routine_words
from iliopsoas_lib.presentation import text, tones
from iliopsoas_lib.routine import ABILITY_FIELDS
from iliopsoas_lib.schema import Need
from iliopsoas_lib.timer import FakeClock
from iliopsoas_lib.weekly_frequency import example_log
from iliopsoas_lib.widgets.anatomy_view import MuscleExplorer
from iliopsoas_lib.widgets.app import Dashboard
from iliopsoas_lib.widgets.choice_questions import ChoiceQuestions
from iliopsoas_lib.widgets.common import follow
from iliopsoas_lib.widgets.log_view import LogView
from iliopsoas_lib.widgets.routine_cards import RoutineCards
from iliopsoas_lib.widgets.routine_picker import RoutinePicker
from iliopsoas_lib.widgets.stretch_cards import StretchCards
from iliopsoas_lib.widgets.timer_widget import POSITION_KEY, TimerView, routines_finished

CUE_TONES = {"phase": tones.PHASE_CHANGE, "count": tones.COUNTDOWN, "done": tones.DONE}
TIMER_JS = (Path(il.__file__).parent / "widgets" / "timer_widget.js").read_text()

TODAY = date(2026, 11, 25)  # a Wednesday
#: Someone who can do everything asked about and answered "no" to every health question.
EVERYTHING = il.Abilities(**dict.fromkeys(ABILITY_FIELDS, True), conditions=frozenset())
#: Stretches that need kneeling, steady balance or the floor: never offered to someone who has not said so.
NEEDS_UNSAID = {Need.KNEEL, Need.BALANCE, Need.FLOOR}


def ids(routine: il.Routine) -> list[str]:
    return [item.stretch.id for item in routine.items]


def plain_text(markup: str) -> str:
    """What a person reads of some HTML: the tags (and so the links' targets) taken out, a block's
    end (paragraph, list item, heading) read as a space, an inline tag (bold, a link) as nothing."""
    inline = re.sub(r"</?(?:strong|em|b|i|a|code|span)\b[^>]*>", "", markup)
    return html.unescape(re.sub(r"<[^>]+>", " ", inline))


def widget_tree(widget):
    """Every widget shown under ``widget``, itself first."""
    yield widget
    for child in getattr(widget, "children", ()) or ():
        yield from widget_tree(child)


def page_text(widget) -> str:
    """All the words the widgets under ``widget`` show: HTML values, labels, options, questions."""
    out = []
    for w in widget_tree(widget):
        value = getattr(w, "value", None)
        if isinstance(value, str):
            out.append(plain_text(value))
        for name in ("description", "tooltip", "placeholder"):
            if isinstance(getattr(w, name, None), str):
                out.append(getattr(w, name))
        out += [str(label) for label in getattr(w, "_options_labels", ()) or ()]
        if isinstance(w, ChoiceQuestions):
            out += [q["text"] for q in w.questions] + [o[1] for q in w.questions for o in q["options"]]
        if isinstance(w, TimerView):
            out += [str(v) for v in w.view.values()]
    return "\n".join(out)


def pick_file(view: LogView, name: str, content: bytes) -> None:
    """What the upload's browser side sends after a person picks a file under its size limit: the
    name and size, and the file's bytes as a binary buffer (as ``model.send`` delivers them)."""
    view.upload._handle_custom_msg(
        {"event": "file", "name": name, "size": len(content)}, [memoryview(content)]
    )


# -- timer view -------------------------------------------------------------------------------------


@pytest.fixture
def clocked_timer(catalog):
    clock = FakeClock(100.0)
    # A 10 s get-ready (the bridge's own is longer) keeps the times below easy to follow.
    routine = il.build_routine(
        catalog, EVERYTHING, only=["glute_bridge"], repetitions=2, gaps=il.Gaps(get_ready=10)
    )
    view = TimerView(routine, clock)
    return view, clock


def test_timer_view_shows_the_models_state_after_each_command(clocked_timer) -> None:
    view, clock = clocked_timer
    assert view.view["status"] == "ready" and view.view["title"] == "Get ready"
    assert view.view["countdown"] == "0:10"
    view.command("toggle")
    clock.advance(3.2)
    view.command("tick")
    assert view.view["status"] == "running"
    assert view.view["countdown"] == "0:07"  # 6.8 s left, shown rounded up
    view.command("pause")
    clock.advance(60)
    view.command("tick")
    assert view.view["countdown"] == "0:07", "paused time must not count"
    view.command("resume")
    view.command("skip")
    assert view.view["kind"] == "hold" and view.view["detail"] == "Glute bridge · 1 of 2"
    view.command("back")
    assert view.view["kind"] == "get ready"


def test_timer_view_plan_holds_what_the_browser_needs_to_play_on_its_own(clocked_timer) -> None:
    view, clock = clocked_timer
    view.command("start")
    clock.advance(4)
    view.command("pause")  # a command: the plan is sent again from where the model is
    plan = view.plan
    phases = view.timer.phases
    assert (plan["status"], plan["index"], plan["elapsed"]) == ("paused", 0, 4.0)
    assert plan["total"] == view.routine.duration() and plan["signature"] == view.timer.signature
    assert len(plan["phases"]) == len(phases) and plan["cues"] == []  # paused: no sound due
    for shown, phase, after in zip(plan["phases"], phases, (*phases[1:], None), strict=True):
        assert shown["seconds"] == phase.duration and shown["start"] == phase.start
        assert shown["kind"] == phase.kind.value and shown["say"] == phase.describe()
        assert shown["title"] == text.phase_title(phase) and shown["cue"] == phase.cue
        assert shown["detail"] == text.phase_detail(phase) and shown["next_up"] == text.next_up_text(after)
    hold = plan["phases"][1]
    assert (hold["title"], hold["detail"]) == ("Hold", "Glute bridge · 1 of 2")  # timer_display's words

    view.command("resume")
    hold_end = phases[1].end - 4  # seconds from now
    cues = [tuple(cue) for cue in view.plan["cues"]]
    assert cues[:5] == [(6.0, "phase"), (hold_end - 3, "count"), (hold_end - 2, "count"),
                        (hold_end - 1, "count"), (hold_end, "phase")]  # fmt: skip
    assert cues[-1] == (view.routine.duration() - 4, "done")
    assert json.loads(json.dumps(view.plan)) == view.plan  # plain JSON: what the websocket carries
    assert view.tones == {name: [t.frequency, t.seconds, t.volume] for name, t in CUE_TONES.items()}


def test_timer_view_sends_nothing_while_time_passes(clocked_timer, monkeypatch) -> None:
    """The browser counts down by itself: the kernel neither sends a message nor changes a synced
    value while a routine runs, until the page tells it something (once, at the end)."""
    view, clock = clocked_timer
    finished = []
    follow(view, "plan", finished.append, value_of=routines_finished, now=False)
    view.command("start")
    sent, changed = [], []
    monkeypatch.setattr(view, "send", lambda content, buffers=None: sent.append(content))
    view.observe(changed.append)
    for _ in range(int(view.routine.duration()) + 5):
        clock.advance(1)
    assert (sent, changed, finished) == ([], [], [])
    view._on_message(view, {"command": "tick", "seq": 7}, None)  # the page: "the routine has ended here"
    assert [change["name"] for change in changed] == ["plan"] and sent == []
    assert view.plan["status"] == "done" and view.plan["ack"] == 7 and len(finished) == 1
    assert TIMER_JS.count('"tick"') == 1  # the page says "tick" in one place: when its routine ends
    assert "setInterval(draw" in TIMER_JS and "wav" not in TIMER_JS.lower()


def test_timer_view_takes_the_position_the_page_paused_at(clocked_timer) -> None:
    view, clock = clocked_timer
    view.command("start")
    clock.advance(13)  # the kernel's clock says 3 s into the first hold...
    at = {"signature": view.timer.signature, "index": 1, "elapsed": 1.25}
    view._on_message(view, {"command": "pause", "seq": 2, **at}, None)
    assert (view.plan["status"], view.plan["index"], view.plan["elapsed"]) == ("paused", 1, 1.25)
    clock.advance(30)  # ...the page paused at 1.25 s (its message came late): the model agrees with the page
    view._on_message(view, {"command": "resume", "seq": 3, **at}, None)
    assert (view.plan["status"], view.plan["elapsed"], view.plan["ack"]) == ("running", 1.25, 3)
    view._on_message(view, {"command": "pause", **at, "signature": "another routine", "index": 0}, None)
    assert view.plan["status"] == "paused" and view.plan["index"] == 1  # no position for another routine


def test_timer_view_restores_a_reloaded_pages_position_and_ignores_junk(clocked_timer) -> None:
    view, _ = clocked_timer
    signature = view.timer.signature
    message = {"command": "restore", "signature": signature, "index": 2, "elapsed": 0.5, "running": True}
    view._on_message(view, message, None)
    assert (view.plan["status"], view.plan["index"], view.plan["elapsed"]) == ("running", 2, 0.5)
    assert view.view["detail"] == "Glute bridge"  # the rest before the second bridge
    for junk in (
        {**message, "index": 99},
        {**message, "index": True},
        {**message, "elapsed": -1},
        {**message, "elapsed": "NaN"},
        {**message, "signature": "stale"},
        {"command": "restore"},
        {"command": "__import__('os')"},
        "garbage",
    ):
        view._on_message(view, junk, None)
        assert (view.plan["status"], view.plan["index"], view.plan["elapsed"]) == ("running", 2, 0.5)
    with pytest.raises(ValueError, match="unknown timer command 'explode'"):
        view.command("explode")
    with pytest.raises(ValueError, match="unknown timer command 'restore'"):
        view.command("restore")  # a position is needed: TimerView.restore takes it


def test_timer_view_messages_from_the_browser_drive_it(clocked_timer) -> None:
    view, _ = clocked_timer
    view._on_message(view, {"command": "toggle"}, None)
    assert view.timer.status is il.TimerStatus.RUNNING
    view._on_message(view, {"command": "skip", "seq": 4}, None)
    assert view.plan["index"] == 1 and view.plan["ack"] == 4


def test_timer_view_calls_back_when_the_routine_is_done(clocked_timer) -> None:
    view, clock = clocked_timer
    finished = []
    follow(view, "plan", finished.append, value_of=routines_finished, now=False)
    view.command("start")
    clock.advance(view.routine.duration() + 1)
    view.command("tick")
    assert view.view["status"] == "done" and len(finished) == 1
    assert view.plan["phases"][0]["say"] == "Routine complete. Well done."


def test_timer_view_new_routine_starts_from_the_top(catalog, clocked_timer) -> None:
    view, _ = clocked_timer
    view.command("start")
    view.command("skip")
    view.set_routine(il.build_routine(catalog, EVERYTHING, only=["hip_flexor_bed"]))
    assert view.view["status"] == "ready" and view.plan["status"] == "ready"
    assert view.view["detail"] == "Hip flexor bed stretch"
    assert view.announcement.startswith("Timer ready: 1 stretches")
    assert repr(view).startswith("Routine timer: 1 stretches")


def test_an_empty_routines_plan_says_there_is_nothing_to_time(catalog) -> None:
    view = TimerView(RoutinePicker(catalog).routine, FakeClock(0))
    (only,) = view.plan["phases"]
    assert view.plan["empty"] is True and view.plan["status"] == "done"
    assert (only["title"], only["detail"]) == ("Nothing to time yet", routine_words.ANSWER_HEALTH_QUESTIONS)


def test_cue_tones_are_a_few_checked_numbers() -> None:
    assert tones.cue_tones() == {
        "phase": [660.0, 0.35, 0.4], "count": [880.0, 0.12, 0.4], "done": [523.25, 0.8, 0.4]
    }  # fmt: skip
    with pytest.raises(ValueError, match="frequency"):
        tones.Tone(10, 0.2)
    with pytest.raises(ValueError, match="length"):
        tones.Tone(440, 3)
    with pytest.raises(ValueError, match="volume"):
        tones.Tone(440, 0.2, 0)


def test_countdown_text_rounds_up_and_never_goes_negative() -> None:
    assert text.clock_text(30) == "0:30"
    assert text.clock_text(29.01) == "0:30"
    assert text.clock_text(0.2) == "0:01"
    assert text.clock_text(0) == "0:00"
    assert text.clock_text(-3) == "0:00"
    assert text.clock_text(725) == "12:05"


# -- routine picker ---------------------------------------------------------------------------------


def test_a_fresh_picker_asks_first_and_offers_no_stretch(catalog) -> None:
    picker = RoutinePicker(catalog)
    assert picker.health.ids == list(catalog.screenings)  # every health question, in the content's order
    assert picker.health.answers == {}, "an answer was chosen for the person"
    assert not any(box.value for box in picker.boxes.values()), "an ability was ticked for the person"
    assert picker.abilities.conditions is None and not picker.full_dose
    assert picker.routine.items == () and picker.routine.withheld == routine_words.ANSWER_HEALTH_QUESTIONS
    assert routine_words.ANSWER_HEALTH_QUESTIONS in plain_text(picker.summary.value)
    assert 'class="ilio-empty"' in picker.summary.value  # the reason stands out
    assert "You have answered 0 of" in picker.answered.value


def test_every_health_question_needs_an_answer_before_any_stretch(catalog) -> None:
    picker = RoutinePicker(catalog)
    picker.answer(**dict.fromkeys(ABILITY_FIELDS, True))
    last, *others = picker.health.ids
    picker.answer(**dict.fromkeys(others, False))
    assert picker.abilities.conditions is None and picker.routine.items == ()
    assert f"You have answered {len(others)} of {len(others) + 1}" in picker.answered.value
    picker.answer(**{last: False})
    assert picker.abilities.conditions == frozenset() and len(picker.routine.items) == len(catalog.stretches)
    picker.answer(**{last: None})  # taking an answer back withholds the routine again
    assert picker.routine.items == () and picker.routine.withheld


@pytest.mark.parametrize("has_bed", [False, True])
def test_all_no_and_nothing_ticked_offers_only_what_needs_nothing_unsaid(catalog, has_bed: bool) -> None:
    picker = RoutinePicker(catalog)
    routine = picker.answer_health()  # "No" to every question, no ability ticked
    assert ids(routine) == []
    assert "No stretch fits these answers" in plain_text(picker.summary.value)
    routine = picker.answer(has_bed=has_bed)
    assert ids(routine) == (["hip_flexor_bed"] if has_bed else [])
    for stretch in catalog.stretches.values():
        if NEEDS_UNSAID & set(stretch.needs):
            assert stretch.id not in ids(routine), f"{stretch.id} offered to someone who did not say they can"
    for choice in routine.left_out:
        assert f"{choice.name}</strong>: {html.escape(choice.reason)}" in picker.summary.value


def test_hip_surgery_yes_withholds_every_stretch_with_the_reason(catalog) -> None:
    picker = RoutinePicker(catalog)
    routine = picker.answer(**dict.fromkeys(ABILITY_FIELDS, True))
    routine = picker.answer_health(yes={"hip_surgery"})
    assert routine.items == () and all(not c.included for c in routine.choices)
    assert "hip surgery" in routine.withheld
    assert catalog.screening("hip_surgery").advice in plain_text(picker.summary.value)
    assert picker.abilities.conditions == frozenset({"hip_surgery"})


def test_low_back_pain_leaves_out_bed_and_table_with_reasons_and_keeps_bridge_with_care(catalog) -> None:
    picker = RoutinePicker(catalog, EVERYTHING)
    routine = picker.answer_health(yes={"low_back_pain"})
    assert "table_psoas" not in ids(routine) and "hip_flexor_bed" not in ids(routine)
    assert "glute_bridge" in ids(routine)
    summary = plain_text(picker.summary.value)
    for stretch_id in ("table_psoas", "hip_flexor_bed"):
        name = catalog.stretch(stretch_id).name
        assert f"{name}: Left out because of low-back pain" in summary
    assert "Take care" in summary and catalog.screening("low_back_pain").advice in summary
    with pytest.raises(ValueError, match="unknown question"):
        picker.answer(can_fly=True)
    with pytest.raises(ValueError, match="unknown health question"):
        picker.answer_health(yes={"flu"})


def test_picker_cannot_kneel_puts_standing_in_and_kneeling_out_with_reason(catalog) -> None:
    picker = RoutinePicker(catalog, EVERYTHING)
    seen = []
    picker.observe(lambda change: seen.append(change["new"]), "routine")
    picker.boxes["can_kneel"].value = False
    routine = seen[-1]
    assert "kneeling_hip_flexor" not in ids(routine)
    assert "standing_hip_flexor" in ids(routine)
    assert "Kneeling hip flexor stretch</strong>: Left out because it needs kneeling" in picker.summary.value


def test_several_answers_at_once_give_one_new_routine(catalog) -> None:
    picker = RoutinePicker(catalog)
    seen = []
    picker.observe(lambda change: seen.append(change["new"]), "routine")
    picker.answer(**dict.fromkeys(ABILITY_FIELDS, True), **dict.fromkeys(catalog.screenings, False))
    assert len(seen) == 1 and len(seen[0].items) == len(catalog.stretches)


def test_the_full_dose_is_a_choice_and_the_usual_dose_the_default(catalog) -> None:
    picker = RoutinePicker(catalog, EVERYTHING)
    usual = picker.routine
    assert not usual.full_dose and picker.dose.answers == {"dose": "usual"}
    full = picker.answer(full_dose=True)
    assert full.full_dose and "(longer dose (lindberg))" in picker.summary.value
    for item in full.items:
        assert item.repetitions == item.stretch.full_dose.repetitions
    assert full.duration() > usual.duration()
    picker.dose.answers = {"dose": "usual"}  # as clicking the other option does
    assert picker.routine == usual


def test_answers_from_the_page_are_only_the_offered_ones(catalog) -> None:
    picker = RoutinePicker(catalog)
    picker.health.answers = {"hip_surgery": "maybe", "not_a_question": "yes", "pregnancy": "<b>yes</b>"}
    assert picker.health.answers == {}
    with pytest.raises(ValueError, match="not an offered answer"):
        picker.health.set_answer("hip_surgery", "perhaps")
    with pytest.raises(ValueError, match="unknown health condition"):
        RoutinePicker(catalog, il.Abilities(conditions=frozenset({"flu"})))


def test_a_clinicians_own_health_question_is_asked_too(catalog) -> None:
    extra = il.ContentText(
        "clinic.toml",
        """
[[screening]]
id = "recent_hip_injection"
question = "Have you had an injection in your hip in the last two weeks?"
name = "a recent hip injection"
ask_first = true
advice = "Ask the clinician who gave the injection when you can stretch again."
sources = ["editorial_advice"]
""",
    )
    picker = RoutinePicker(il.load_catalog(extra))
    questions = {q["id"]: q["text"] for q in picker.health.questions}
    assert questions["recent_hip_injection"].startswith("Have you had an injection in your hip")
    picker.answer(**dict.fromkeys(ABILITY_FIELDS, True), **dict.fromkeys(catalog.screenings, False))
    assert picker.routine.items == ()  # the clinic's question is not answered yet
    assert picker.routine.withheld == routine_words.ANSWER_HEALTH_QUESTIONS
    routine = picker.answer(recent_hip_injection=True)
    assert routine.items == () and "a recent hip injection" in routine.withheld
    assert len(picker.answer(recent_hip_injection=False).items) == len(catalog.stretches)


def test_picker_escapes_content_html(catalog) -> None:
    extra = il.ContentText(
        "mine.toml",
        """
[[stretch]]
id = "wall_lunge"
name = "Wall <b>lunge</b>"
summary = "A lunge with one hand on a wall <script>alert(1)</script>."
position = "standing"
suits = { text = "Anyone who can stand.", sources = ["lindberg_verywell"] }
steps = ["Stand by a wall.", "Step back and hold for {hold}.", "Do this {times}."]
cue = "Stand <i>tall</i>."
feel = { text = "A pull at the front of the hip.", sources = ["lindberg_verywell"] }
not_feel = { text = "Pain.", sources = ["lindberg_verywell"] }
mistakes = [{ text = "Leaning.", sources = ["lindberg_verywell"] }]
get_in_out = { text = "Step in slowly.", sources = ["lindberg_verywell"] }
dosage = { hold_seconds = 30, repetitions = 2, per_side = true, sources = ["lindberg_verywell"] }
target_muscles = ["psoas_major"]
cautions = [{ text = "Stop at pain.", sources = ["lindberg_verywell"] }]
on_pain = { text = "Stop.", sources = ["lindberg_verywell"] }
limits = [{ limit = "knee_pain", action = "skip", reason = "Just in case.", sources = ["lindberg_verywell"] }]
easier = { name = "Short step", text = "Take a shorter step.", sources = ["lindberg_verywell"] }
harder = { name = "Long step", text = "Take a longer step.", sources = ["lindberg_verywell"] }
sources = ["lindberg_verywell"]
""",
    )
    mine = il.load_catalog(extra)
    picker = RoutinePicker(mine, il.Abilities(conditions=frozenset()))
    assert "wall_lunge" in ids(picker.routine)
    assert "<b>lunge</b>" not in picker.summary.value
    assert "Wall &lt;b&gt;lunge&lt;/b&gt;" in picker.summary.value
    cards = StretchCards(mine, start="wall_lunge")
    assert "<script>" not in cards.card.value and "&lt;script&gt;" in cards.card.value
    routine_cards = RoutineCards(mine, picker.routine)
    assert "<script>" not in routine_cards.card_text("wall_lunge")


# -- the routine's cards ----------------------------------------------------------------------------


def test_routine_cards_show_the_routines_own_dose_in_the_steps(catalog) -> None:
    routine = il.build_routine(catalog, EVERYTHING, hold_seconds=60, repetitions=2)
    cards = RoutineCards(catalog, routine, cite=text.PatientCitations.of(catalog))
    assert len(cards.children) == len(routine.items) == len(catalog.stretches)
    for item in routine.items:
        card = cards.card_text(item.stretch.id)
        words = plain_text(card)
        for step in item.steps():
            assert html.escape(step, quote=False) in card
        assert "60 seconds" in words and "2 times" in words
        assert "{hold}" not in words and "{times}" not in words
        assert "20 to 30" not in words and "30 seconds" not in words
        for caution in item.stretch.cautions:
            assert html.escape(caution.text, quote=False) in card
        assert item.stretch.feel.text in words and "Common mistakes" in words
    assert [c.value for c in cards.children] == [cards.card_text(i.stretch.id) for i in routine.items]
    for card in cards.children:  # its name, then its picture (with what it shows in words), then the rest
        head, picture, rest = re.split(r"(<img [^>]*>)", card.value)
        assert head.startswith("<h3") and "<h3" not in rest
        assert picture.startswith('<img src="data:image/png;base64,')
        assert re.search(r'alt="[^"]{20,}"', picture)


def test_routine_cards_follow_the_routine_and_reuse_their_pictures(catalog) -> None:
    picker = RoutinePicker(catalog)
    cards = RoutineCards(catalog)
    picker.link(cards)
    assert cards.children == ()  # nothing answered, nothing to show
    picker.answer(has_bed=True, good_balance=True)
    picker.answer_health()
    assert [c for c in cards.children] and len(cards.children) == 2
    bed = cards.children[-1]
    picture = re.search(r"<img [^>]*>", bed.value).group(0)
    picker.answer(full_dose=True)
    assert cards.children[-1] is bed and re.search(r"<img [^>]*>", bed.value).group(0) == picture
    assert "3 times on each side" in cards.card_text("hip_flexor_bed")
    picker.answer_health(yes={"hip_surgery"})
    assert cards.children == ()


# -- log view ---------------------------------------------------------------------------------------


def make_log_view(log: il.SessionLog | None = None, **kwargs) -> LogView:
    routine = il.build_routine(il.load_catalog(), EVERYTHING, only=["glute_bridge", "hip_flexor_bed"])
    return LogView(log if log is not None else il.SessionLog(), today=TODAY, routine=routine, **kwargs)


def test_log_button_adds_a_session_and_the_week_count_rises() -> None:
    view = make_log_view()
    assert "This week: 0 sessions" in view.summary.value
    view.log_button.click()
    view.log_button.click()
    assert "This week: 2 sessions" in view.summary.value
    assert [s.date for s in view.session_log.sessions] == [TODAY, TODAY]
    assert view.session_log.sessions[0].stretches == ("glute_bridge", "hip_flexor_bed")
    assert "this week 2," in view.chart_description
    assert "this week 2," in view.chart.value and ">2</span>" in view.chart.value
    assert view.version == 2


def test_log_download_link_holds_the_csv() -> None:
    import base64

    view = make_log_view()
    view.log_button.click()
    href = re.search(r'href="data:text/csv;charset=utf-8;base64,([^"]+)"', view.download.value)
    assert href is not None
    assert base64.b64decode(href.group(1)).decode() == view.session_log.to_csv()
    assert 'download="iliopsoas_sessions.csv"' in view.download.value


def test_malformed_upload_shows_where_and_keeps_the_log() -> None:
    view = make_log_view()
    view.log_button.click()
    before = view.session_log.to_csv()
    bad = b"date,stretches,duration_seconds,note\n2026-11-20,glute_bridge,0,\nnot-a-date,glute_bridge,0,\n"
    pick_file(view, "old.csv", bad)
    assert "old.csv, line 3" in view.message.text
    assert view.message.text.endswith("Nothing from this file was added. Your log is as it was.")
    assert 'role="alert"' in view.message.value
    assert view.session_log.to_csv() == before


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"\xff\xfe\x00binary", "photo.jpg is not a text (UTF-8) CSV file"),
        (b"x" * 1_000_001, "This file is too big (1.1 MB). A session log is much smaller: up to 1 MB."),
    ],
)
def test_upload_that_is_not_a_csv_is_refused_clearly(content: bytes, expected: str) -> None:
    """The second case is a page's message forged past the browser's size check: the kernel checks too."""
    view = make_log_view()
    pick_file(view, "photo.jpg", content)
    assert expected in view.message.text and "Your log is as it was." in view.message.text
    assert len(view.session_log) == 0


def test_a_page_that_rewrites_the_upload_limit_still_meets_the_kernels() -> None:
    """``max_bytes`` is synced so the browser can refuse early; a page that raises it (as a hostile page
    can: synced traits are written from the browser) still meets the kernel's own 1 MB check."""
    view = make_log_view()
    view.upload.set_state({"max_bytes": 10_000_000})  # what a forged "update" message from the page does
    assert view.upload.max_bytes == 10_000_000
    pick_file(view, "big.csv", b"x" * 3_100_000)
    assert "This file is too big (3.1 MB). A session log is much smaller: up to 1 MB." in view.message.text
    assert len(view.session_log) == 0


def test_an_upload_over_the_limit_is_refused_in_the_browser_with_its_size_in_plain_words() -> None:
    """The browser compares the file's size with ``max_bytes`` before reading it and sends only the name
    and size of a file that is too big (a 21.8 MB file would otherwise drop the websocket)."""
    view = make_log_view()
    assert view.upload.max_bytes == 1_000_000
    assert "ilio-upload" in (view.upload._esm if isinstance(view.upload._esm, str) else "")
    view.upload._handle_custom_msg({"event": "refused", "name": "big.csv", "size": 21_800_000}, [])
    assert view.message.text == (
        "This file is too big (21.8 MB). A session log is much smaller: up to 1 MB. "
        "Nothing from this file was added. Your log is as it was."
    )
    assert 'role="alert"' in view.message.value
    pick_file(view, "earlier.csv", b"date,stretches,duration_seconds,note\n2026-11-16,glute_bridge,300,\n")
    assert "1 new session added" in view.message.text  # the next upload works


@pytest.mark.parametrize(
    ("row", "expected"),
    [
        ("2026-11-16,rope_trick,300,", "up.csv, line 3: stretches: 'rope_trick' is not a stretch this page"),
        ("9999-01-01,glute_bridge,300,", "up.csv, line 3: date: 9999-01-01 is more than a day after today"),
        ("2026-11-16,glute_bridge,1e308,", "up.csv, line 3: duration_seconds: 1e308 is more than 24 hours"),
    ],
)
def test_an_upload_with_an_unknown_stretch_a_far_date_or_an_absurd_duration_adds_nothing(
    row: str, expected: str
) -> None:
    view = make_log_view(known_stretches={"glute_bridge", "hip_flexor_bed"})
    good = "2026-11-18,glute_bridge,300,"  # line 2: fine, and not added either (all or nothing)
    pick_file(view, "up.csv", f"date,stretches,duration_seconds,note\n{good}\n{row}\n".encode())
    assert expected in view.message.text
    assert "Nothing from this file was added" in view.message.text and len(view.session_log) == 0


def test_the_download_makes_a_formula_note_inert() -> None:
    import base64

    view = make_log_view()
    pick_file(view, "up.csv", b'date,stretches,duration_seconds,note\n2026-11-16,glute_bridge,300,"=1+1"\n')
    href = re.search(r'base64,([^"]+)"', view.download.value)
    assert base64.b64decode(href.group(1)).decode().splitlines()[1] == "2026-11-16,glute_bridge,300,'=1+1"
    assert "(=1+1)" in plain_text(view.recent.value)  # on the page it is the note as typed


def test_two_tabs_on_one_saved_log_see_and_keep_each_others_sessions(tmp_path) -> None:
    path = tmp_path / "session_log.json"
    first = make_log_view(il.SessionLog.load(path), path=path)
    second = make_log_view(il.SessionLog.load(path), path=path)  # a preheated kernel: read before use
    first.log_button.click()
    second.upload._handle_custom_msg({"event": "shown"}, [])  # the page is shown: the view reads the file
    assert "Sessions logged in all: 1" in second.summary.value
    second.log_button.click()
    assert len(il.SessionLog.load(path)) == 2
    first.refresh()
    assert "Sessions logged in all: 2" in first.summary.value


def test_a_save_that_fails_keeps_the_session_on_the_page_and_says_so(tmp_path, monkeypatch) -> None:
    view = make_log_view(path=tmp_path / "session_log.json")

    def full(*_args, **_kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(il.SessionLog, "save", full)
    view.log_button.click()
    assert len(view.session_log) == 1 and "This week: 1 session" in view.summary.value
    assert view.message.text == (
        f"Logged a session on {TODAY.isoformat()}. Your log is kept on this page, but it could not be saved "
        "to session_log.json (No space left on device). Download your log (CSV) to keep it."
    )
    assert 'role="alert"' in view.message.value


def test_a_saved_log_that_became_unreadable_is_said_and_never_written_over(tmp_path) -> None:
    path = tmp_path / "session_log.json"
    view = make_log_view(path=path)
    view.log_button.click()
    path.write_text('{"format": "iliopsoas-sess', encoding="utf-8")
    view.refresh()
    assert "Your saved log could not be read" in view.message.text
    assert "It was left as it was" in view.message.text and "Download your log (CSV)" in view.message.text
    view.log_button.click()
    assert len(view.session_log) == 2 and "could not be saved" in view.message.text
    assert path.read_text(encoding="utf-8") == '{"format": "iliopsoas-sess'


def test_good_upload_merges_and_saves_when_a_path_is_given(tmp_path) -> None:
    path = tmp_path / "log.json"
    view = make_log_view(path=path)
    csv_text = (
        "date,stretches,duration_seconds,note\n2026-11-16,glute_bridge,300,\n2026-11-18,glute_bridge,300,\n"
    )
    pick_file(view, "earlier.csv", csv_text.encode())
    assert "2 new sessions added" in view.message.text and "Saved" in view.message.text
    assert len(il.SessionLog.load(path)) == 2
    assert "Streak: 1 week" in view.summary.value


def test_log_with_an_empty_routine_says_so_and_why() -> None:
    reason = "See a clinician."
    nothing = il.Routine(items=(), choices=(), abilities=il.Abilities(), withheld=reason)
    view = LogView(il.SessionLog(), today=TODAY, routine=nothing)
    view.log_button.click()
    assert "no stretches to log yet" in view.message.text and "See a clinician." in view.message.text
    assert len(view.session_log) == 0


# -- content views and the dashboard ----------------------------------------------------------------


def test_muscle_explorer_follows_the_choice(catalog) -> None:
    view = MuscleExplorer(catalog)
    view.picker.value = "psoas_minor"
    assert "Psoas minor highlighted" in view.picture.alt
    assert "40%" in view.facts.value
    assert view.picture.value.startswith('<img src="data:image/png;base64,')


def test_muscle_explorer_for_patients_says_it_in_plain_words(catalog) -> None:
    view = MuscleExplorer(catalog, plain=True, cite=text.PatientCitations.of(catalog))
    for muscle in catalog.muscles.values():
        view.picker.value = muscle.id
        assert (muscle.plain or muscle.summary).text in plain_text(view.facts.value)
        assert muscle.origin.text not in plain_text(view.facts.value)
    assert "transverse process" not in plain_text(view.facts.value).lower()


def test_every_stretch_card_shows_cautions_and_pain_advice(catalog) -> None:
    view = StretchCards(catalog)
    for stretch in catalog.stretches.values():
        view.picker.value = stretch.id
        for caution in stretch.cautions:
            assert text.to_html(caution.text).strip()[3:-4] in view.card.value
        assert "If it hurts" in view.card.value
        assert stretch.name in view.picture.alt


def answered(app: Dashboard) -> Dashboard:
    """``app`` once its visitor has a bed, can do nothing else asked about, and said "no" to every
    health question: a routine of the bed stretch alone."""
    app.picker.answer(has_bed=True, **dict.fromkeys(app.catalog.screenings, False))
    return app


def test_dashboard_wires_answers_to_timer_cards_and_log(catalog) -> None:
    clock = FakeClock(0)
    app = Dashboard(catalog, today=lambda: TODAY, clock=clock)
    assert app.timer.routine.items == () and app.timer.view["title"] == "Nothing to time yet"
    assert app.timer.view["detail"] == routine_words.ANSWER_HEALTH_QUESTIONS
    assert app.cards.children == ()
    answered(app)
    assert [i.stretch.id for i in app.timer.routine.items] == ["hip_flexor_bed"]
    assert "Hip flexor bed stretch" in app.cards.card_text("hip_flexor_bed")
    app.timer.command("skip")
    assert app.timer.view["cue"] == catalog.stretch("hip_flexor_bed").cue
    app.timer.command("reset")
    app.timer.command("start")
    clock.advance(app.timer.routine.duration() + 1)
    app.timer.command("tick")
    assert "Routine finished" in app.log_view.message.text
    app.log_view.log_button.click()
    assert app.log_view.session_log.sessions[-1].stretches == ("hip_flexor_bed",)
    assert app.log_view.session_log.sessions[-1].duration_seconds == app.timer.routine.duration()


def test_a_reload_gets_one_plan_already_at_the_kept_timer_place(catalog) -> None:
    """A returning page puts its answers back in one batch, and the batch's end carries the timer's kept
    place: the routine those answers build starts where the person was, in a single plan (it was a
    plan from the top, then the page's restore, then the same plan again at the place)."""
    clock = FakeClock(500.0)
    app = Dashboard(catalog, clock=clock)
    memory, picker = app.picker.memory, app.picker
    bed = il.build_routine(catalog, il.Abilities(has_bed=True, conditions=frozenset()))
    signature = TimerView(bed, FakeClock()).timer.signature
    place = {"signature": signature, "status": "running", "index": 1, "elapsed": 4.0, "saved": 1_000_000}
    plans: list[dict] = []
    app.timer.observe(lambda change: plans.append(change["new"]), "plan")
    memory._browser_said(memory, {"restore": "begin"}, None)
    picker.health.answers = {qid: "no" for qid in picker.health.ids}
    picker.boxes["has_bed"].value = True
    kept = {POSITION_KEY: json.dumps(place), "elsewhere": "ignored"}
    memory._browser_said(memory, {"restore": "end", "kept": kept, "now": 1_003_000}, None)
    assert len(plans) == 1, [p["status"] for p in plans]
    assert (plans[0]["signature"], plans[0]["status"], plans[0]["index"]) == (signature, "running", 1)
    assert plans[0]["elapsed"] == pytest.approx(7.0)  # 4 s in, kept 3 s before the page came back
    assert memory.kept == {"now": 1_003_000.0, "kept": {POSITION_KEY: json.dumps(place)}}


@pytest.mark.parametrize(
    "place",
    [
        "not json",
        json.dumps({"signature": "another", "status": "running", "index": 1, "elapsed": 4, "saved": 0}),
        json.dumps({"signature": "SIG", "status": "done", "index": 1, "elapsed": 4, "saved": 0}),
        json.dumps({"signature": "SIG", "status": "running", "index": True, "elapsed": 4, "saved": 0}),
        json.dumps({"signature": "SIG", "status": "running", "index": 99, "elapsed": 4, "saved": 0}),
        json.dumps({"signature": "SIG", "status": "running", "index": 1, "elapsed": "NaN", "saved": 0}),
        json.dumps({"signature": "SIG", "status": "paused", "index": 1}),
        "[" * 1999,  # too deep for Python's parser: RecursionError
        '{"signature": "SIG", "status": "running", "index": 1, "elapsed": 1' + "0" * 400 + ', "saved": 0}',
    ],
)
def test_a_kept_timer_place_that_does_not_fit_leaves_the_routine_at_its_start(catalog, place: str) -> None:
    clock = FakeClock(500.0)
    bed = il.build_routine(catalog, il.Abilities(has_bed=True, conditions=frozenset()))
    view = TimerView(il.build_routine(catalog, il.Abilities()), clock)  # nothing answered yet
    signature = TimerView(bed, FakeClock()).timer.signature
    view.take_kept_place({"now": 1000.0, "kept": {POSITION_KEY: place.replace("SIG", signature)}})
    view.set_routine(bed)
    assert (view.plan["status"], view.plan["index"], view.plan["elapsed"]) == ("ready", 0, 0.0)


@pytest.mark.parametrize(
    "end",
    [
        {"kept": {POSITION_KEY: "[" * 1999}, "now": 1.0},
        {"kept": {POSITION_KEY: "{}"}, "now": 10**400},
        {"kept": "not a record", "now": "soon"},
        {"kept": {POSITION_KEY: "x" * 100_000}, "now": 1.0},
    ],
)
def test_junk_at_the_end_of_a_restore_still_ends_it_and_builds_the_routine(catalog, end: dict) -> None:
    app = Dashboard(catalog, clock=FakeClock(500.0))
    memory, picker = app.picker.memory, app.picker
    memory._browser_said(memory, {"restore": "begin"}, None)
    picker.health.answers = {qid: "no" for qid in picker.health.ids}
    picker.boxes["has_bed"].value = True
    assert not app.cards.children  # held until the batch ends
    memory._browser_said(memory, {"restore": "end", **end}, None)
    assert not memory.restoring and len(app.cards.children) == 1 and app.timer.plan["status"] == "ready"


def test_the_timers_kept_place_key_is_the_one_its_script_writes() -> None:
    assert f'const STORE = "{POSITION_KEY}";' in TIMER_JS


def test_dashboard_writes_nothing_unless_the_operator_asks(catalog, tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    monkeypatch.setattr(il.SessionLog, "default_path", staticmethod(lambda: tmp_path / "log.json"))
    monkeypatch.delenv("ILIOPSOAS_SAVE_LOG", raising=False)
    answered(Dashboard(catalog, today=lambda: TODAY)).log_view.log_button.click()
    assert list(tmp_path.iterdir()) == []
    monkeypatch.setenv("ILIOPSOAS_SAVE_LOG", "1")
    answered(Dashboard(catalog, today=lambda: TODAY)).log_view.log_button.click()
    assert len(il.SessionLog.load(tmp_path / "log.json")) == 1
    again = Dashboard(catalog, today=lambda: TODAY)  # the operator's store is read back
    assert len(again.log_view.session_log) == 1


def test_the_dashboard_refuses_an_upload_naming_a_stretch_not_in_its_catalog(catalog) -> None:
    app = Dashboard(catalog, today=lambda: TODAY)
    text = "date,stretches,duration_seconds,note\n2026-11-16,glute_bridge,300,\n2026-11-17,rope_trick,300,\n"
    pick_file(app.log_view, "up.csv", text.encode())
    message = app.log_view.message.text
    assert "up.csv, line 3: stretches: 'rope_trick' is not a stretch this page knows" in message
    assert len(app.log_view.session_log) == 0
    pick_file(app.log_view, "up.csv", text.replace("rope_trick", "hip_flexor_bed").encode())
    assert len(app.log_view.session_log) == 2


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b'{"format": "iliopsoas-session-log", "version": 1, "sessions": [{"da', "not valid JSON"),
        (b"\xff\xfe\x00 half a log", "not UTF-8 text"),
        (b'{"format": "iliopsoas-session-log", "version": 7, "sessions": []}', "version 7 is not supported"),
    ],
)
def test_dashboard_opens_with_a_corrupt_saved_log_and_leaves_it_as_it_was(
    catalog, tmp_path, monkeypatch, content: bytes, reason: str
) -> None:
    saved = tmp_path / "data" / "session_log.json"
    saved.parent.mkdir()
    saved.write_bytes(content)
    monkeypatch.setattr(il.SessionLog, "default_path", staticmethod(lambda: saved))
    monkeypatch.setenv("ILIOPSOAS_SAVE_LOG", "1")
    app = Dashboard(catalog, today=lambda: TODAY)  # must not raise: the visitor's page still opens
    assert len(app.log_view.session_log) == 0
    notice = app.notice
    assert notice in app.children and app.children.index(notice) < app.children.index(app.log_view)
    assert 'role="alert"' in notice.value
    assert "Your saved log could not be read" in notice.text and reason in notice.text
    assert str(saved) in notice.text and "left exactly as it was" in notice.text
    app.log_view.log_button.click()  # before any answer: nothing to log, said plainly
    assert "no stretches to log yet" in app.log_view.message.text and len(app.log_view.session_log) == 0
    assert routine_words.ANSWER_HEALTH_QUESTIONS in app.log_view.message.text  # the routine's own reason
    answered(app).log_view.log_button.click()  # logging still works, in the page only
    assert len(app.log_view.session_log) == 1 and "Logged a session" in app.log_view.message.text
    assert "Your saved log could not be read" in notice.text  # the warning stays on screen
    assert saved.read_bytes() == content, "the unreadable file was changed"
    assert [p.name for p in saved.parent.iterdir()] == ["session_log.json"], "nothing moved or added"


def test_the_first_screen_explains_the_muscle_shows_the_red_flags_then_asks(catalog) -> None:
    app = Dashboard(catalog, today=lambda: TODAY)
    first = app.children[: app.children.index(app.picker)]
    shown = "\n".join(plain_text(w.value) for w in first if isinstance(getattr(w, "value", None), str))
    (flags,) = catalog.red_flags.values()
    for words in (flags.title, flags.intro, *flags.sign_texts, flags.action):
        assert words in shown, words
    assert catalog.glossary["iliopsoas"].meaning in shown
    assert "pain that does not go away" not in shown.lower()
    assert app.picker.health.questions and app.children.index(app.picker) < app.children.index(app.timer)
    assert app.children.index(app.cards) < app.children.index(app.timer)  # steps before stretching
    assert app.picker.health.main_landmark == "ilio-dashboard"
    reminder = next(w for w in app.children if "ilio-timer-reminder" in w._dom_classes)
    assert app.children.index(reminder) == app.children.index(app.timer) - 1
    assert flags.action in plain_text(reminder.value) and 'href="#ilio-red-flags"' in reminder.value
    assert 'id="ilio-red-flags"' in first[1].value
    css = app.children[0].value
    assert ".widget-label { display: none" not in css, "labels that name inputs must stay on a phone"


def test_no_citation_id_anywhere_a_patient_reads(catalog) -> None:
    app = Dashboard(catalog, today=lambda: TODAY)
    pages = [page_text(app)]
    app.picker.answer(**dict.fromkeys(ABILITY_FIELDS, True))
    app.picker.answer_health(yes={"low_back_pain", "pregnancy"})
    app.stretches.expand()
    app.muscles.expand()
    for stretch_id in catalog.stretches:
        app.stretches.content.picker.value = stretch_id
        pages.append(page_text(app))
    for muscle_id in catalog.muscles:
        app.muscles.content.picker.value = muscle_id
        pages.append(page_text(app))
    shown = "\n".join(pages)
    assert "Lindberg" in shown and "our advice" in shown  # facts are cited, in readable words
    for source_id in catalog.sources:
        assert source_id not in shown, f"raw citation id {source_id!r} shown to a patient"
    raw = "\n".join(w.value for w in widget_tree(app) if isinstance(getattr(w, "value", None), str))
    ids_pattern = "|".join(map(re.escape, catalog.sources))
    assert not re.search(rf"\[({ids_pattern})", raw)
    for source_id in catalog.sources:  # every label links to its reference at the bottom
        if f"#ref-{source_id}" in raw:
            assert f'id="ref-{source_id}"' in raw, source_id


# -- a light page for each visitor ------------------------------------------------------------------


def test_a_changed_stretch_is_drawn_not_taken_from_the_store(catalog) -> None:
    from dataclasses import replace

    from iliopsoas_lib.figures import pictures

    stretch = catalog.stretch("glute_bridge")
    changed = replace(stretch, name="Bridge, my way")
    assert pictures._read_stored(pictures.pose_key(changed)) is None
    assert pictures.pose_png(changed) != pictures.pose_png(stretch)


def test_the_dashboard_kernel_needs_no_matplotlib() -> None:
    import subprocess
    import sys

    code = (
        "import sys; from iliopsoas_lib.widgets import dashboard; d = dashboard(); "
        "d.picker.answer(**dict.fromkeys(d.picker.boxes, True)); d.picker.answer_health(); "
        "assert len(d.cards.children) == 5; "
        "d.log_view.log_today(); d.stretches.expand(); d.muscles.expand(); "
        "print(' '.join(m for m in ('matplotlib', 'numpy', 'reportlab') if m in sys.modules))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == ""


def test_lazy_sections_build_once_on_first_open(catalog) -> None:
    from iliopsoas_lib.widgets.common import LazySection

    built = []
    section = LazySection("the stretches", lambda: built.append(1) or StretchCards(catalog))
    assert built == [] and section.children == (section.toggle,)  # nothing else is sent until opened
    section.toggle.value = True
    assert built == [1] and isinstance(section.children[-1], StretchCards)
    assert section.toggle.description == "Hide the stretches"
    section.toggle.value = False
    section.toggle.value = True
    assert built == [1]


def test_week_bars_show_counts_goal_and_this_week() -> None:
    from iliopsoas_lib.widgets.week_bars import week_bars_html

    counts = il.weekly_counts(example_log(TODAY), 8, TODAY)
    page = week_bars_html(counts)
    labels = re.findall(r'role="listitem" aria-label="([^"]+)"', page)
    assert len(labels) == 8
    assert labels[-1] == f"23 Nov (this week): {counts.this_week.count} session"
    for week, label in zip(counts.weeks, labels, strict=True):
        assert f": {week.count} session" in label and ("goal met" in label) == week.met
    bars = re.findall(r'class="ilio-bar ilio-(met|missed)" style="height:([\d.]+)%', page)
    top = max(counts.goal_high + 1, *(w.count for w in counts.weeks))
    assert [float(height) for _met, height in bars] == [round(100 * w.count / top, 1) for w in counts.weeks]
    assert [met == "met" for met, _height in bars] == [w.met for w in counts.weeks]
    assert f"Streak: {counts.streak} weeks meeting the goal" in page


# -- plain words ------------------------------------------------------------------------------------


def test_the_dashboards_own_words_read_at_grade_7_or_below(catalog) -> None:
    import textstat

    from iliopsoas_lib.widgets import patient_text as words

    said = [
        words.INTRO,
        words.NOT_A_DIAGNOSIS,
        words.HEALTH_HELP,
        words.ABILITIES_HELP,
        words.DOSE_QUESTION,
        *(label + "." for _value, label in words.DOSE_OPTIONS),
        words.STRETCHES_HELP,
        words.TIMER_HELP,
        words.NOTHING_TO_LOG,
        words.ROUTINE_FINISHED,
        words.answered_text(3, 9),
        words.answered_text(9, 9),
        plain_text(text.to_html(words.timer_reminder_markdown(catalog, text.PatientCitations.of(catalog)))),
        *(words.pose_alt(stretch) for stretch in catalog.stretches.values()),
    ]
    for sentence in said:
        assert textstat.flesch_kincaid_grade(sentence) <= 7.0, sentence
    assert textstat.flesch_kincaid_grade(" ".join(said)) <= 6.0


# -- what a visitor's phone receives ----------------------------------------------------------------

#: The most widget state a visitor's page may receive when it opens (issue 12: a phone on a slow line).
PAGE_STATE_BUDGET = 50 * 1024


def widget_state_bytes(models) -> dict[str, int]:
    """Bytes per model of ipywidgets' answer to the page's ``request_states``: what Voilà's page receives
    over the websocket when it opens (each model's name, module and whole state as JSON, the way
    jupyter_client packs it, plus its binary buffers)."""
    import json

    from ipywidgets.widgets.widget import _remove_buffers

    sizes = {}
    for widget in models:
        entry = {
            "model_name": widget._model_name,
            "model_module": widget._model_module,
            "model_module_version": widget._model_module_version,
            "state": widget.get_state(),
        }
        entry, paths, buffers = _remove_buffers(entry)
        packed = json.dumps({"state": entry, "buffer_paths": paths}, ensure_ascii=False).encode()
        sizes[widget.model_id] = len(packed) + sum(len(buffer) for buffer in buffers)
    return sizes


def test_a_visitors_page_sends_at_most_50_kb_of_widget_state(catalog, monkeypatch) -> None:
    """Measured as the public server's kernels run: their widgets' code comes as cached files."""
    from ipywidgets.widgets.widget import _instances  # every model the kernel would send the page

    from iliopsoas_lib.widgets.browser_code import FILES_URL_ENV

    monkeypatch.setenv(FILES_URL_ENV, "/iliopsoas/")
    before = set(_instances)
    app = Dashboard(catalog, today=lambda: TODAY)
    models = [widget for key, widget in list(_instances.items()) if key not in before]
    sizes = widget_state_bytes(models)
    total = sum(sizes.values())
    print(f"\nwidget state on opening the dashboard: {total / 1024:.1f} KB in {len(models)} models")
    heaviest = sorted(models, key=lambda w: -sizes[w.model_id])[:12]
    listing = "\n".join(
        f"{sizes[w.model_id]:7d} {type(w).__name__} {' '.join(getattr(w, '_dom_classes', ()))}"
        for w in heaviest
    )
    assert total <= PAGE_STATE_BUDGET, f"{total} bytes in {len(models)} models; heaviest:\n{listing}"
    assert app.stretches.content is None and app.clinic.content is None  # the lazy parts stay lazy


def test_a_section_that_cannot_be_built_says_so_in_its_own_message(catalog) -> None:
    from iliopsoas_lib.widgets.common import LazySection

    def broken() -> StretchCards:
        raise ValueError("the pictures are missing")

    section = LazySection("the stretches", broken)
    assert section.message is None  # no message model until there is something to say
    section.toggle.value = True
    assert section.children == (section.toggle, section.message)
    assert "Could not show the stretches: the pictures are missing" in section.message.text
    assert 'role="alert"' in section.message.value


def test_widgets_that_look_alike_share_one_layout_and_keep_their_looks() -> None:
    import ipywidgets as widgets

    from iliopsoas_lib.widgets.common import share_looks, widget_tree

    wide = widgets.Layout(width="100%")
    page = widgets.VBox(
        [
            widgets.HTML("a"),
            widgets.HTML("b"),
            widgets.Button(description="go", layout=widgets.Layout(width="100%")),
            widgets.Text(layout=wide),
            widgets.VBox([widgets.HTML("c")]),
        ]
    )
    looks = {id(w): (w.layout.get_state(), w.style.get_state() if w.has_trait("style") else None)
             for w in widget_tree(page)}
    old_layouts = {w.layout for w in widget_tree(page)}
    closed = share_looks(page)
    for w in widget_tree(page):  # every widget looks as it did
        assert (w.layout.get_state(), w.style.get_state() if w.has_trait("style") else None) == looks[id(w)]
    layouts = {w.layout for w in widget_tree(page)}
    assert len(layouts) == 2  # the default look and the full-width one
    assert len({w.style for w in widget_tree(page) if isinstance(w, widgets.HTML)}) == 1
    assert len(old_layouts) == 7 and closed == 5 + 2  # 5 copies of layouts, 2 of the 3 HTML styles
    assert all(look.comm is None for look in old_layouts - layouts)  # closed: never sent to a page
    assert all(look.comm is not None for look in layouts)
