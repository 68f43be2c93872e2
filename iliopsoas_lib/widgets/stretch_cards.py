"""Each stretch as a card: pose diagram, who it suits, steps, dose, cautions, easier and harder."""

from __future__ import annotations

from typing import Any

import ipywidgets as widgets

from ..catalog import Catalog
from ..figures.pictures import pose_png
from ..presentation.text import Cite, cite, stretch_markdown, to_html
from .common import FigureBox
from .patient_text import pose_alt


class StretchCards(widgets.VBox):
    """A chooser and one card at a time, so a phone screen shows one stretch fully.

    ``cite`` renders the cards' citations: source ids for students (the default), short readable
    labels on a patient page (``PatientCitations.of(catalog)``). Steps show each stretch's own dose.
    """

    def __init__(
        self, catalog: Catalog, start: str | None = None, *, cite: Cite = cite, **kwargs: Any
    ) -> None:
        super().__init__(**kwargs)
        self.catalog = catalog
        self._cite = cite
        options = [(s.name, s.id) for s in catalog.stretches.values()]
        self.picker = widgets.Dropdown(options=options, value=start or options[0][1], description="Stretch:")
        self.picker.add_class("ilio-stretch-picker")
        self.picture = FigureBox()
        self.card = widgets.HTML()
        self.card.add_class("ilio-stretch-card")
        self.picker.observe(lambda _change: self.show(), "value")
        self.children = [self.picker, self.picture, self.card]
        self.add_class("ilio-stretch-cards")
        self.show()

    def show(self) -> None:
        """Draw the chosen stretch's pose and card (cautions included, always)."""
        stretch = self.catalog.stretch(self.picker.value)
        self.picture.show(pose_png(stretch), pose_alt(stretch))
        self.card.value = to_html(stretch_markdown(stretch, self.catalog, cite=self._cite))

    def __repr__(self) -> str:
        return f"Stretch cards: showing {self.catalog.stretch(self.picker.value).name}"
