"""The chosen stretches' cards, shown with the routine before the timer: how to do each one, at this dose.

A person reads the steps before they stretch, not after opening something: each stretch of the routine
gets its picture and its whole card (steps with the routine's own hold and repetitions, what to feel,
common mistakes, cautions), rebuilt whenever the routine changes. A thin view: the words come from
:func:`~iliopsoas_lib.presentation.text.stretch_markdown`, the picture from
:func:`~iliopsoas_lib.figures.pictures.pose_png`.
"""

from __future__ import annotations

from typing import Any

import ipywidgets as widgets

from ..catalog import Catalog
from ..presentation.text import Cite, cite, stretch_markdown, to_html
from ..routine import Routine, RoutineItem
from .common import FigureBox
from .patient_text import pose_alt


class RoutineCards(widgets.VBox):
    """One card per stretch of the routine, in the routine's order; nothing when it offers none.

    A stretch's picture is made once and its card kept, so a change of answers sends only what changed
    (a picture is the heaviest thing on the page, and a phone on a slow line feels every resend).
    """

    def __init__(
        self,
        catalog: Catalog,
        routine: Routine | None = None,
        *,
        cite: Cite = cite,
        heading_level: int = 3,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self.catalog = catalog
        self._cite = cite
        self._heading_level = heading_level
        self._cards: dict[str, tuple[widgets.VBox, widgets.HTML, widgets.HTML]] = {}
        self.routine: Routine | None = None
        self.add_class("ilio-routine-cards")
        if routine is not None:
            self.set_routine(routine)

    def set_routine(self, routine: Routine) -> None:
        """Show the cards of ``routine`` (the dashboard calls it through ``picker.link``)."""
        self.routine = routine
        self.children = [self._card(item) for item in routine.items]

    def card_text(self, stretch_id: str) -> str:
        """The HTML of one shown card's words (for tests and notebooks)."""
        _box, title, text = self._cards[stretch_id]
        return title.value + text.value

    def _card(self, item: RoutineItem) -> widgets.VBox:
        stretch = item.stretch
        if stretch.id not in self._cards:
            from ..figures.pictures import pose_png  # only when a card is first shown

            picture = FigureBox(pose_png(stretch), pose_alt(stretch))
            title, text = widgets.HTML(), widgets.HTML()
            text.add_class("ilio-card-text")
            box = widgets.VBox([title, picture, text])
            box.add_class("ilio-card")
            self._cards[stretch.id] = (box, title, text)
        box, title, text = self._cards[stretch.id]
        card = to_html(
            stretch_markdown(
                stretch,
                self.catalog,
                item=item,
                heading_level=self._heading_level,
                cite=self._cite,
            )
        )
        # The picture goes right under the stretch's name, before the words about it.
        end = f"</h{self._heading_level}>"
        head, found, rest = card.partition(end)
        title.value, text.value = (head + found, rest) if found else ("", card)
        return box

    def __repr__(self) -> str:
        count = len(self.routine.items) if self.routine is not None else 0
        return f"Routine cards: {count} stretches"
