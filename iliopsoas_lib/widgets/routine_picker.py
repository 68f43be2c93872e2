"""Questions about abilities and limits -> a routine with the reason for every choice.

A thin view: each checkbox is one field of :class:`~iliopsoas_lib.routine.Abilities`; every change
rebuilds the routine with :func:`~iliopsoas_lib.routine.build_routine` and publishes it on the
``routine`` trait, which the timer, the log and the handout observe. :meth:`RoutinePicker.link` is the
short way to make a view (a timer, the clinicians' panel) follow the answers.
"""

from __future__ import annotations

from dataclasses import fields
from typing import Any

import ipywidgets as widgets
import traitlets

from ..catalog import Catalog
from ..routine import Abilities, Routine, build_routine
from ..text import ABILITY_QUESTIONS, routine_markdown, to_html
from .common import MessageArea, ShowsRoutine, guarded, link_routine


class RoutinePicker(widgets.VBox):
    """Checkboxes for the questions, and the routine they lead to, with reasons."""

    routine = traitlets.Instance(Routine)

    def __init__(self, catalog: Catalog, abilities: Abilities | None = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.catalog = catalog
        start = abilities or Abilities()
        self.boxes: dict[str, widgets.Checkbox] = {}
        for f in fields(Abilities):
            box = widgets.Checkbox(
                value=getattr(start, f.name),
                description=ABILITY_QUESTIONS[f.name],
                indent=False,
                layout=widgets.Layout(width="auto"),
            )
            box.add_class(f"ilio-q-{f.name.replace('_', '-')}")
            box.observe(self._changed, "value")
            self.boxes[f.name] = box
        self.summary = widgets.HTML()
        self.summary.add_class("ilio-routine")
        self.message = MessageArea()
        questions = widgets.VBox(list(self.boxes.values()))
        questions.add_class("ilio-questions")
        self.children = [questions, self.message, self.summary]
        self.add_class("ilio-routine-picker")
        self._rebuild = guarded(self.message, "build your routine")(self._rebuild_routine)
        self._rebuild()

    @property
    def abilities(self) -> Abilities:
        """The answers as ticked now."""
        return Abilities(**{name: box.value for name, box in self.boxes.items()})

    def answer(self, **answers: bool) -> Routine:
        """Set answers from code (as ticking the boxes does) and return the new routine."""
        unknown = set(answers) - set(self.boxes)
        if unknown:
            raise ValueError(f"unknown question(s) {sorted(unknown)}; known: {', '.join(self.boxes)}")
        with self.hold_trait_notifications():
            for name, value in answers.items():
                self.boxes[name].value = value
        return self.routine

    def link(self, *views: ShowsRoutine) -> None:
        """Make each view (anything with ``set_routine``, e.g. a timer) show the routine of these
        answers, now and after every change, as the dashboard's timer does."""
        link_routine(self, "routine", lambda routine: routine, views)

    def _changed(self, _change: dict[str, Any]) -> None:
        self._rebuild()

    def _rebuild_routine(self) -> None:
        routine = build_routine(self.catalog, self.abilities)
        self.summary.value = to_html(routine_markdown(routine))
        self.message.clear()
        self.routine = routine

    def __repr__(self) -> str:
        return f"Routine picker: {len(self.routine.items)} stretches chosen"
