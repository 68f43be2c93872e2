"""Health questions, abilities and the dose -> a routine with the reason for every choice.

A thin view over :class:`~iliopsoas_lib.routine.Abilities` and :func:`~iliopsoas_lib.routine.build_routine`:
the health questions come from the content (``catalog.screenings``, so a clinician's own question is
asked too), each answered Yes or No with nothing chosen at the start; the abilities are tick boxes that
start unticked (unticked means "not able": nothing is assumed). Until every health question has an
answer the routine offers no stretch and says why. Every change rebuilds the routine and publishes it
on the ``routine`` trait, which the timer, the cards, the log and the handout follow;
:meth:`RoutinePicker.link` is the short way to make a view follow it.
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any

import ipywidgets as widgets
import traitlets

from ..catalog import Catalog
from ..prescription import Prescription
from ..presentation.text import ABILITY_QUESTIONS, routine_markdown, to_html
from ..routine import ABILITY_FIELDS, Abilities, Routine, build_routine
from . import patient_text as words
from .answer_memory import AnswerMemory
from .choice_questions import ChoiceQuestions
from .common import MessageArea, ShowsRoutine, follow, guarded, heading, html_block, link_routine


class RoutinePicker(widgets.VBox):
    """The questions (health, abilities, dose) and the routine they lead to, with reasons.

    ``show_routine=False`` leaves the routine's summary (``summary``) out of this box, for a page that
    shows it elsewhere (the dashboard shows it above the stretches' cards). ``remember_answers=True``
    keeps the answers in the visitor's browser (``memory``) so a reload restores them, with a control to
    forget them.
    """

    routine = traitlets.Instance(Routine)

    def __init__(
        self,
        catalog: Catalog,
        abilities: Abilities | None = None,
        *,
        full_dose: bool = False,
        show_routine: bool = True,
        heading_level: int = 3,
        remember_answers: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self.catalog = catalog
        start = abilities or Abilities()
        self._quiet = False  # True while several answers change at once: rebuild once, at the end
        self.health = ChoiceQuestions(
            [(s.id, s.question) for s in catalog.screenings.values()],
            words.YES_NO,
            answers=_health_answers(catalog, start.conditions),
        )
        self.health.add_class("ilio-health-questions")
        self.answered = widgets.HTML()
        self.answered.add_class("ilio-answered")
        self.boxes: dict[str, widgets.Checkbox] = {}
        for name in ABILITY_FIELDS:
            box = widgets.Checkbox(
                value=getattr(start, name),
                description=ABILITY_QUESTIONS[name],
                indent=False,  # its width and height: the dashboard's CSS (no Layout model of its own)
            )
            box.add_class("ilio-questions")  # each box sits in the picker itself: no box model around them
            box.add_class(f"ilio-q-{name.replace('_', '-')}")
            box.observe(self._changed, "value")
            self.boxes[name] = box
        self.dose = ChoiceQuestions(
            [("dose", words.DOSE_QUESTION)],
            words.DOSE_OPTIONS,
            answers={"dose": "full" if full_dose else "usual"},
        )
        self.dose.add_class("ilio-dose-choice")
        self.health.observe(self._changed, "answers")
        self.dose.observe(self._changed, "answers")
        # The answers stay in this browser (never on the server), so a reload rebuilds the same routine.
        # Off unless asked for (the dashboard asks): in a notebook, answers from another page must not
        # replace the ones its code sets.
        self.memory: AnswerMemory | None = None
        if remember_answers:
            self.memory = AnswerMemory()
            self.memory.remember("health", self.health, "answers")
            for name, box in self.boxes.items():
                self.memory.remember(name, box)
            self.memory.remember("dose", self.dose, "answers")
            follow(self.memory, "restoring", self._restoring, now=False)
        self.summary = widgets.HTML()
        self.summary.add_class("ilio-routine")
        self.message = MessageArea()
        #: The plan of a clinician's link (:meth:`follow`): its stretches and doses replace the dose question.
        self.prescription: Prescription | None = None
        self._dose_heading = heading(words.DOSE_HEADING, heading_level)
        self.children = [
            _heading_and_help(words.HEALTH_HEADING, words.HEALTH_HELP, heading_level),
            self.health,
            self.answered,
            _heading_and_help(words.ABILITIES_HEADING, words.ABILITIES_HELP, heading_level),
            *self.boxes.values(),
            self._dose_heading,
            self.dose,
            *([self.memory] if self.memory is not None else []),
            self.message,
            *([self.summary] if show_routine else []),
        ]
        self.add_class("ilio-routine-picker")
        self._rebuild = guarded(self.message, "build your routine")(self._rebuild_routine)
        self._rebuild()

    @property
    def abilities(self) -> Abilities:
        """The answers as given now: ``conditions`` stays None until every health question is answered."""
        answers = self.health.answers
        conditions = None
        if self.health.complete:
            conditions = frozenset(qid for qid in self.health.ids if answers[qid] == "yes")
        return Abilities(**{name: box.value for name, box in self.boxes.items()}, conditions=conditions)

    @property
    def full_dose(self) -> bool:
        """Whether the article's full (longer) dose was chosen instead of the usual one."""
        return self.dose.answers.get("dose") == "full"

    def answer(self, **answers: bool | None) -> Routine:
        """Set answers from code, as ticking and clicking do, and return the new routine (built once).

        Abilities take True or False (``can_kneel=True``); health questions, by their content id, take
        True for "Yes", False for "No" and None for "not answered" (``hip_surgery=False``);
        ``full_dose`` takes True for the article's full dose.
        """
        unknown = set(answers) - set(self.boxes) - set(self.health.ids) - {"full_dose"}
        if unknown:
            known = [*self.boxes, *self.health.ids, "full_dose"]
            raise ValueError(f"unknown question(s) {sorted(unknown)}; known: {', '.join(known)}")
        with self._one_rebuild():
            for name, value in answers.items():
                if name in self.boxes:
                    self.boxes[name].value = bool(value)
            health = {k: _yes_no(v) for k, v in answers.items() if k in self.health.ids}
            if health:
                self.health.set_answers(health)
            if "full_dose" in answers:
                self.dose.set_answer("dose", "full" if answers["full_dose"] else "usual")
        return self.routine

    def answer_health(self, yes: Iterable[str] = ()) -> Routine:
        """Answer every health question: "Yes" to the ids in ``yes``, "No" to all the others."""
        said = set(yes)
        unknown = sorted(said - set(self.health.ids))
        if unknown:
            raise ValueError(f"unknown health question(s) {unknown}; known: {', '.join(self.health.ids)}")
        return self.answer(**{qid: qid in said for qid in self.health.ids})

    def follow(self, prescription: Prescription) -> Routine:
        """Offer the plan a clinician chose (their link) instead of a choice: its stretches at its doses.

        The questions stay and still come first: the routine is built from the person's answers by
        :meth:`Prescription.routine`, so nothing is offered until the health questions are answered, a
        "yes" that needs a clinician first still withholds everything, and a prescribed stretch the
        answers rule out is left out with its reason. The dose question goes: the dose is the plan's.
        """
        self.prescription = prescription
        self.children = [c for c in self.children if c is not self._dose_heading and c is not self.dose]
        self._rebuild()
        return self.routine

    def link(self, *views: ShowsRoutine) -> None:
        """Make each view (anything with ``set_routine``, e.g. a timer) show the routine of these
        answers, now and after every change, as the dashboard's timer does."""
        link_routine(self, "routine", lambda routine: routine, views)

    @contextmanager
    def _one_rebuild(self) -> Iterator[None]:
        quiet, self._quiet = self._quiet, True
        try:
            yield
        finally:
            self._quiet = quiet
        if not quiet:
            self._rebuild()

    def _restoring(self, restoring: bool) -> None:
        """Answers are coming back from the browser's storage: build nothing until the last one, then
        build the routine once, from all of them."""
        self._quiet = restoring
        if not restoring:
            self._rebuild()

    def _changed(self, _change: dict[str, Any]) -> None:
        if not self._quiet:
            self._rebuild()

    def _rebuild_routine(self) -> None:
        self.answered.value = (
            f"<p>{html.escape(words.answered_text(len(self.health.answers), len(self.health.ids)))}</p>"
        )
        if self.prescription is not None:
            routine = self.prescription.routine(self.catalog, self.abilities)
        else:
            routine = build_routine(self.catalog, self.abilities, full_dose=self.full_dose)
        summary = to_html(routine_markdown(routine))
        if self.prescription is not None:
            summary = _prescribed_html(self.prescription, routine) + summary
        # No stretch offered: the reason is the one thing to read here, so it stands out. (Never a served
        # file: it says what this visitor answered.)
        self.summary.value = summary if routine.items else f'<div class="ilio-empty">{summary}</div>'
        self.message.clear()
        self.routine = routine

    def __repr__(self) -> str:
        if not self.health.complete:
            return "Routine picker: health questions not answered yet, no stretches offered"
        return f"Routine picker: {len(self.routine.items)} stretches chosen"


def _prescribed_html(prescription: Prescription, routine: Routine) -> str:
    """Says plainly that this is the clinician's plan, how often, and what the answers left out."""
    if routine.withheld:  # the questions come first: the reason below is the one thing to read
        return ""
    lines = [words.PLAN_CHOSEN] if routine.items else []
    if routine.items and prescription.sessions_per_week:
        lines.append(words.plan_sessions_text(prescription.sessions_per_week))
    if len(routine.items) < len(prescription.doses):
        lines.append(words.PLAN_LEFT_OUT)
    paragraphs = "".join(f"<p>{html.escape(line)}</p>" for line in lines)
    return f'<div class="ilio-prescribed">{paragraphs}</div>'


def _heading_and_help(title: str, help_text: str, level: int) -> widgets.HTML:
    """A heading and its help line in one widget (one model fewer for the page to receive)."""
    return html_block(f"<h{level}>{html.escape(title)}</h{level}><p>{html.escape(help_text)}</p>")


def _yes_no(value: bool | None) -> str | None:
    return None if value is None else ("yes" if value else "no")


def _health_answers(catalog: Catalog, conditions: frozenset[str] | None) -> dict[str, str]:
    """The health answers that ``Abilities.conditions`` stands for: none when it is None."""
    if conditions is None:
        return {}
    unknown = sorted(conditions - set(catalog.screenings))
    if unknown:  # a typo must never be read as "no"
        raise ValueError(f"unknown health condition(s) {unknown}; known: {', '.join(catalog.screenings)}")
    return {qid: ("yes" if qid in conditions else "no") for qid in catalog.screenings}
