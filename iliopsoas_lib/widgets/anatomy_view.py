"""Try it: pick a muscle. Highlights it in the front view and shows its cited facts.

Students see the anatomy (where it starts and ends, its nerve supply); a patient page asks for
``plain=True``: the same muscle in everyday words, with short readable citations (``cite``).
"""

from __future__ import annotations

from typing import Any

import ipywidgets as widgets

from ..catalog import Catalog
from ..figures.pictures import front_png
from ..presentation.text import Cite, cite, muscle_markdown, muscle_plain_markdown, to_html
from .common import FigureBox


class MuscleExplorer(widgets.VBox):
    """Buttons for the three muscles; the picture and the facts follow the choice."""

    def __init__(
        self,
        catalog: Catalog,
        start: str | None = None,
        *,
        plain: bool = False,
        cite: Cite = cite,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self.catalog = catalog
        self.plain = plain
        self._cite = cite
        options = [(m.name, m.id) for m in catalog.muscles.values()]
        self.picker = widgets.ToggleButtons(
            options=options,
            value=start or options[0][1],
            description="Muscle:",
            style={"button_width": "auto"},
        )
        self.picker.add_class("ilio-muscle-picker")
        self.picture = FigureBox()
        self.facts = widgets.HTML()
        self.facts.add_class("ilio-muscle-facts")
        self.picker.observe(lambda _change: self.show(), "value")
        self.children = [self.picker, self.picture, self.facts]
        self.add_class("ilio-muscle-explorer")
        self.show()

    def show(self) -> None:
        """Draw the chosen muscle highlighted and list its facts."""
        muscle = self.catalog.muscle(self.picker.value)
        self.picture.show(
            front_png(self.catalog, highlight=muscle.id),
            f"Front view of the lower spine, pelvis and thigh bones with the {muscle.name} highlighted.",
        )
        facts = muscle_plain_markdown(muscle, self._cite) if self.plain else muscle_markdown(muscle)
        self.facts.value = to_html(facts)

    def __repr__(self) -> str:
        return f"Muscle explorer: showing {self.catalog.muscle(self.picker.value).name}"
