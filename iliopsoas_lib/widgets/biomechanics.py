"""Try it: move the hip. A slider sets the hip angle; both figures and the length readout follow.

Thin by design: the model computes, the figure functions draw, this view only wires a slider to
them and puts the PNGs into two ``ipywidgets.Image`` widgets updated in place.
"""

from __future__ import annotations

import html
from typing import Any

import ipywidgets as widgets

from ..biomechanics import geometry
from ..figures import to_png
from ..figures.biomechanics import CHART_RANGE_DEG, hip_side_view, length_chart
from ..presentation.biomechanics import lengths_text
from .common import MessageArea, guarded


class BiomechanicsExplorer(widgets.VBox):
    """A hip-angle slider linked to the side view, the length chart and a text readout."""

    def __init__(self, initial_deg: int = 0, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        low, high = CHART_RANGE_DEG
        model_low, model_high = geometry().range_deg("hip_flexion_r")
        self.slider = widgets.IntSlider(
            value=initial_deg,
            min=int(max(low, model_low)),
            max=int(min(high, model_high)),
            step=1,
            description="Hip angle:",
            continuous_update=False,
            readout_format="d",
            style={"description_width": "initial"},
            layout=widgets.Layout(width="min(100%, 520px)"),
        )
        self.slider.add_class("ilio-hip-slider")
        self.hint = widgets.HTML(
            "<small>Negative: thigh behind the body (stretch). Positive: hip bent.</small>"
        )
        self.readout = widgets.HTML()
        self.readout.add_class("ilio-length-readout")
        self.message = MessageArea()
        self.side = widgets.Image(format="png", layout=widgets.Layout(max_width="100%"))
        self.chart = widgets.Image(format="png", layout=widgets.Layout(max_width="100%"))
        self.side.add_class("ilio-hip-side")
        self.chart.add_class("ilio-length-chart")
        self.slider.observe(lambda change: self.show(change["new"]), "value")
        self.children = [
            self.slider,
            self.hint,
            self.readout,
            self.message,
            widgets.HBox([self.side, self.chart], layout=widgets.Layout(flex_flow="row wrap")),
        ]
        self.add_class("ilio-biomechanics")
        self.show(initial_deg)

    @property
    def readout_text(self) -> str:
        """The readout as plain text (what a screen reader says)."""
        return self._text

    def show(self, hip_flexion_deg: float) -> None:
        """Redraw both figures and the readout at ``hip_flexion_deg``; errors go to the message area."""

        @guarded(self.message, "show that hip angle")
        def draw() -> None:
            text = lengths_text(hip_flexion_deg)
            self.side.value = to_png(hip_side_view(hip_flexion_deg))
            self.chart.value = to_png(length_chart(hip_flexion_deg))
            self._text = text
            self.readout.value = f'<div role="status">{html.escape(text)}</div>'
            self.message.clear()

        draw()

    def __repr__(self) -> str:
        return f"Hip explorer: {getattr(self, '_text', 'not drawn yet')}"


def biomechanics_explorer(initial_deg: int = 0) -> BiomechanicsExplorer:
    """The explorer as a ready VBox (factory for notebooks and the dashboard)."""
    return BiomechanicsExplorer(initial_deg=initial_deg)


__all__ = ["BiomechanicsExplorer", "biomechanics_explorer"]
