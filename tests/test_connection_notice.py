"""The connection notice's words, and the answers kept in the browser: what the kernel side guarantees.

What the browser does (the banner within 3 s, restoring on reload, forgetting) is tested for real in
tests/browser/test_faults.py. Here: the notice says every state in plain words, the dashboard shows it,
the picker keeps every answer it asks, and an answer restored from the browser's storage reaches the
kernel exactly as a click does (the same widget update message), so it meets the same checks.
"""

from __future__ import annotations

from typing import Any

import ipywidgets as widgets
import pytest
from test_readability import MAX_GRADE, grade

import iliopsoas_lib as il
from iliopsoas_lib.routine import ABILITY_FIELDS
from iliopsoas_lib.widgets import patient_text as words
from iliopsoas_lib.widgets.answer_memory import ANSWERS_KEY, AnswerMemory
from iliopsoas_lib.widgets.app import Dashboard
from iliopsoas_lib.widgets.connection_notice import ConnectionNotice, notice_words
from iliopsoas_lib.widgets.routine_picker import RoutinePicker

CATALOG = il.load_catalog()


def from_browser(widget: widgets.Widget, state: dict[str, Any]) -> None:
    """Deliver ``state`` to ``widget`` as the browser's update message does (a click or a restore)."""
    widget._handle_msg(
        {"content": {"data": {"method": "update", "state": state, "buffer_paths": []}}, "buffers": []}
    )


def test_the_notice_has_words_for_every_state_and_both_actions() -> None:
    said = ConnectionNotice().words
    assert set(said) == {"lost", "offline", "gone", "back", "download", "reload"}
    assert all(text.strip() for text in said.values())
    assert "download" in said["lost"].lower() and "download" in said["offline"].lower()
    assert "reload" in said["gone"].lower(), "after a restart the page must say to reload"
    assert "timer" in said["lost"].lower(), "the visitor must learn that the timer keeps going"


def test_the_notice_and_memory_words_read_at_grade_7_or_below() -> None:
    texts = [*notice_words().values(), words.ANSWERS_KEPT, words.FORGET_ANSWERS, words.ANSWERS_FORGOTTEN]
    assert grade(texts) <= MAX_GRADE


def test_the_dashboard_shows_the_notice_so_it_is_on_every_visitors_page() -> None:
    board = Dashboard(CATALOG)
    assert isinstance(board.connection, ConnectionNotice)
    assert board.connection in board.children


def test_the_dashboards_picker_keeps_every_answer_it_asks_and_shows_the_forget_control() -> None:
    picker = Dashboard(CATALOG).picker
    assert picker.memory is not None
    fields = picker.memory.fields
    assert picker.memory.key == ANSWERS_KEY
    assert fields["health"] == [picker.health.model_id, "answers"]
    assert fields["dose"] == [picker.dose.model_id, "answers"]
    for name in ABILITY_FIELDS:
        assert fields[name] == [picker.boxes[name].model_id, "value"]
    assert picker.memory in picker.children
    assert picker.memory.words["forget"] == words.FORGET_ANSWERS


def test_a_notebooks_picker_keeps_nothing_in_the_browser_unless_asked() -> None:
    """In JupyterLab, answers stored by another page must not replace the ones a notebook's code sets."""
    picker = RoutinePicker(CATALOG, il.Abilities(can_kneel=True))
    assert picker.memory is None
    assert not any(isinstance(child, AnswerMemory) for child in picker.children)


def test_only_synced_traits_can_be_kept_and_each_name_once() -> None:
    memory = AnswerMemory()
    box = widgets.Checkbox()
    memory.remember("box", box)
    with pytest.raises(ValueError, match="kept already"):
        memory.remember("box", widgets.Checkbox())
    with pytest.raises(ValueError, match="not synced"):
        memory.remember("layoutless", box, "comm")  # a trait the browser never sees


def test_a_restored_health_answer_meets_the_same_check_as_a_click() -> None:
    picker = RoutinePicker(CATALOG)
    # What a stored record could hold after tampering, an old version or a clinician's new question:
    from_browser(
        picker.health,
        {"answers": {"hip_surgery": "no", "made_up_question": "yes", "pregnancy": "maybe", "hernia": 1}},
    )
    assert picker.health.answers == {"hip_surgery": "no"}
    assert picker.abilities.conditions is None, "an unanswered question is never read as 'no'"


def test_an_answer_not_offered_leaves_the_question_as_it_was() -> None:
    """A bad stored dose must not leave the dose question blank: it keeps the answer it had."""
    picker = RoutinePicker(CATALOG)
    from_browser(picker.dose, {"answers": {"dose": "triple"}})
    assert picker.dose.answers == {"dose": "usual"}
    picker.answer(hip_surgery=False)
    from_browser(picker.health, {"answers": {"hip_surgery": "maybe", "hernia": "no"}})
    assert picker.health.answers == {"hip_surgery": "no", "hernia": "no"}
    from_browser(picker.dose, {"answers": {"dose": "full"}})
    assert picker.full_dose


def test_a_restored_tick_box_takes_only_true_or_false() -> None:
    picker = RoutinePicker(CATALOG)
    from_browser(picker.boxes["can_kneel"], {"value": "yes"})
    assert picker.abilities.can_kneel is False
    from_browser(picker.boxes["has_bed"], {"value": True})
    assert picker.abilities.has_bed is True


def test_restored_answers_rebuild_the_same_routine_as_the_same_clicks() -> None:
    clicked, restored = RoutinePicker(CATALOG), RoutinePicker(CATALOG)
    clicked.answer(has_bed=True, can_kneel=True, full_dose=True)
    clicked.answer_health()
    from_browser(restored.health, {"answers": dict(clicked.health.answers)})
    from_browser(restored.boxes["has_bed"], {"value": True})
    from_browser(restored.boxes["can_kneel"], {"value": True})
    from_browser(restored.dose, {"answers": {"dose": "full"}})
    assert restored.routine == clicked.routine
    assert restored.routine.items


def restore_message(memory: AnswerMemory, said: str) -> None:
    """Deliver the browser's "restore begins/ends" custom message to ``memory``."""
    message = {"data": {"method": "custom", "content": {"restore": said}}}
    memory._handle_msg({"content": message, "buffers": []})


def test_a_restore_builds_the_routine_once_from_all_the_answers() -> None:
    """A returning visitor's answers come back as one batch: one routine (one timer plan, one set of
    cards) for the page, not one per answer."""
    picker = Dashboard(CATALOG).picker
    assert picker.memory is not None
    built: list[object] = []
    picker.observe(lambda change: built.append(change["new"]), "routine")
    restore_message(picker.memory, "begin")
    from_browser(picker.health, {"answers": {qid: "no" for qid in picker.health.ids}})
    from_browser(picker.boxes["has_bed"], {"value": True})
    from_browser(picker.boxes["can_kneel"], {"value": True})
    assert built == [], "nothing is built while answers are still coming back"
    restore_message(picker.memory, "end")
    assert len(built) == 1 and built[0].items
    clicked = RoutinePicker(CATALOG)
    clicked.answer(has_bed=True, can_kneel=True, **{qid: False for qid in clicked.health.ids})
    assert picker.routine == clicked.routine


def test_an_end_without_a_begin_and_other_messages_change_nothing() -> None:
    picker = Dashboard(CATALOG).picker
    assert picker.memory is not None
    built: list[object] = []
    picker.observe(lambda change: built.append(change["new"]), "routine")
    restore_message(picker.memory, "end")
    restore_message(picker.memory, "anything")
    assert built == []
    from_browser(picker.boxes["has_bed"], {"value": True})  # a click still builds at once
    assert len(built) == 1
