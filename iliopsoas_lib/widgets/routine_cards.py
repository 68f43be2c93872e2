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
from ..schema import Stretch
from .common import figure_html
from .patient_text import pose_alt
from .served_text import served_html


class RoutineCards(widgets.VBox):
    """One card per stretch of the routine, in the routine's order; nothing when it offers none.

    A card is one HTML widget (its name, picture and words), kept per stretch and sharing one look, so a
    change of answers opens no new model for a stretch already shown and sends only a card whose words
    changed. Under the public server a card's words are a cached file (:func:`served_html`): a returning
    phone does not download them again.
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
        self._cards: dict[str, widgets.HTML] = {}
        self._markup: dict[str, str] = {}
        self._pictures: dict[str, str] = {}
        self._style: widgets.Widget | None = None  # the first card's Style, shared by all
        self.routine: Routine | None = None
        self.add_class("ilio-routine-cards")
        if routine is not None:
            self.set_routine(routine)

    def set_routine(self, routine: Routine) -> None:
        """Show the cards of ``routine`` (the dashboard calls it through ``picker.link``)."""
        self.routine = routine
        self.children = [self._card(item) for item in routine.items]

    def card_text(self, stretch_id: str) -> str:
        """The HTML of one shown card (for tests and notebooks), whether or not it travels as a file."""
        return self._markup[stretch_id]

    def _card(self, item: RoutineItem) -> widgets.HTML:
        stretch = item.stretch
        if stretch.id not in self._cards:
            # The cards' own box's Layout (the shared empty one, once share_looks has run) and the first
            # card's Style: no new look model after the first card.
            looks = {"style": self._style} if self._style is not None else {}
            card = widgets.HTML(layout=self.layout, _dom_classes=("ilio-card",), **looks)
            self._style = card.style
            self._cards[stretch.id] = card
        words = to_html(
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
        head, found, rest = words.partition(end)
        title, text = (head + found, rest) if found else ("", words)
        if stretch.id not in self._pictures:  # drawn (or looked up) once per stretch
            self._pictures[stretch.id] = self._picture(stretch)
        rest = self._pictures[stretch.id] + f'<div class="ilio-card-text">{text}</div>'
        if self._markup.get(stretch.id) != title + rest:
            self._markup[stretch.id] = title + rest
            # The name always travels with the page, so a card still says which stretch it is while (or
            # if) its picture and words come as a cached file.
            self._cards[stretch.id].value = title + served_html(rest)
        return self._cards[stretch.id]

    @staticmethod
    def _picture(stretch: Stretch) -> str:
        from ..figures.pictures import pose_png  # only when a card is first shown

        return figure_html(pose_png(stretch), pose_alt(stretch))

    def __repr__(self) -> str:
        count = len(self.routine.items) if self.routine is not None else 0
        return f"Routine cards: {count} stretches"
