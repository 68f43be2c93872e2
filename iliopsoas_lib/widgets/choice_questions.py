"""Questions answered by picking one option each (Yes / No), as real radio groups a screen reader names.

ipywidgets 8's ``ToggleButtons`` and ``RadioButtons`` accept "nothing chosen yet" (``value=None``), but
tried in Chromium neither is usable without sight: the question is a label tied to no control, so a
screen reader says only "Yes, button" or "Yes, radio button" nine times over; the toggle buttons do not
say which one is pressed; the radio buttons share no ``name``, so they are not one group for the arrow
keys. Here each question is a ``<fieldset>`` whose ``<legend>`` is the question, with one native radio
per option: the question is the group's accessible name, the arrow keys move between its options, and
nothing is chosen until the person chooses.

The browser only reports choices; the kernel keeps the answers (``answers``) and refuses anything that
is not one of the offered options, since a page's messages can be forged. Answers restored from the
browser's storage after a reload (:mod:`.answer_memory`) arrive the same way and meet the same check.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import anywidget
import traitlets

from .browser_code import BrowserCode, BrowserStyle

_HERE = Path(__file__).parent


class ChoiceQuestions(anywidget.AnyWidget):
    """One radio group per question; ``answers`` maps a question id to the chosen option's value.

    A question with no entry in ``answers`` is unanswered: nothing is preselected unless ``answers``
    says so (the dose question starts on the usual dose; the health questions start empty).
    """

    _esm = BrowserCode(_HERE / "choice_questions.js", _HERE / "choice_questions.css")
    _css = BrowserStyle(_HERE / "choice_questions.css")

    questions = traitlets.List(traitlets.Dict()).tag(sync=True)
    answers = traitlets.Dict().tag(sync=True)
    #: The CSS class of an ancestor to mark as the page's ``main`` landmark (the dashboard's own box):
    #: ipywidgets gives a box no way to set a role, and a landmark lets a screen reader jump to the app.
    main_landmark = traitlets.Unicode("").tag(sync=True)

    def __init__(
        self,
        questions: Sequence[tuple[str, str]],
        options: Sequence[tuple[str, str]],
        answers: Mapping[str, str] | None = None,
        **kwargs: Any,
    ) -> None:
        """``questions`` as (id, text) pairs; ``options`` as (value, label) pairs, the same for each."""
        offered = [[value, label] for value, label in options]
        self._allowed = {value for value, _label in options}
        self._ids = [question_id for question_id, _text in questions]
        super().__init__(
            questions=[{"id": qid, "text": text, "options": offered} for qid, text in questions], **kwargs
        )
        self.answers = dict(answers or {})

    @traitlets.validate("answers")
    def _only_offered_answers(self, proposal: dict[str, Any]) -> dict[str, str]:
        """Keep only answers to questions asked, with an offered option: anything else is dropped.

        A question whose new answer is not offered keeps the answer it had, so a forged message or an
        unreadable answer restored from the browser's storage changes nothing rather than blanking it.
        """
        ids = set(getattr(self, "_ids", ()))
        allowed: set[str] = getattr(self, "_allowed", set())
        # The last accepted answers, not the trait's stored value: under hold_trait_notifications (as in
        # ipywidgets' set_state, the path of every browser update) that already holds the raw proposal.
        before = getattr(self, "_accepted", {})
        kept = {}
        for question_id, value in dict(proposal["value"]).items():
            if question_id not in ids:
                continue
            if isinstance(value, str) and value in allowed:
                kept[question_id] = value
            elif question_id in before:
                kept[question_id] = before[question_id]
        self._accepted = dict(kept)
        return kept

    @property
    def ids(self) -> list[str]:
        """The question ids, in the order they are asked."""
        return list(self._ids)

    @property
    def complete(self) -> bool:
        """Whether every question has an answer."""
        return all(question_id in self.answers for question_id in self._ids)

    def set_answer(self, question_id: str, value: str | None) -> None:
        """Answer one question from code (as a click does); None takes the answer back."""
        self.set_answers({question_id: value})

    def set_answers(self, answers: Mapping[str, str | None]) -> None:
        """Answer several questions in one change, so views following the answers update once."""
        unknown = sorted(set(answers) - set(self._ids))
        if unknown:
            raise ValueError(f"unknown question(s) {unknown}; known: {', '.join(self._ids)}")
        bad = {k: v for k, v in answers.items() if v is not None and v not in self._allowed}
        if bad:
            raise ValueError(f"not an offered answer: {bad}; offered: {', '.join(sorted(self._allowed))}")
        new = {k: v for k, v in self.answers.items() if k not in answers}
        new.update({k: v for k, v in answers.items() if v is not None})
        self.answers = new

    def __repr__(self) -> str:
        return f"Questions: {len(self.answers)} of {len(self._ids)} answered"
