"""Every figure shares one style, font fallback included: a word a clinician types in any script is drawn
in every figure, not only in the pose titles (reviewer finding, issue 15: the fallback lived in poses.py)."""

from __future__ import annotations

import dataclasses
import warnings

import pytest

import iliopsoas_lib as il
from iliopsoas_lib.figures import font_families, to_png
from iliopsoas_lib.figures.anatomy_front import front_view
from iliopsoas_lib.figures.biomechanics import length_chart


@pytest.fixture(scope="module")
def renamed():
    """The catalog with a muscle and a stretch named in Chinese and Arabic, as a clinic's content may."""
    catalog = il.load_catalog()
    stretch = dataclasses.replace(catalog.stretch("glute_bridge"), name="臀桥 جسر")
    muscle = dataclasses.replace(catalog.muscle("psoas_major"), name="腰大肌")
    return dataclasses.replace(
        catalog,
        stretches={**catalog.stretches, "glute_bridge": stretch},
        muscles={**catalog.muscles, "psoas_major": muscle},
    )


@pytest.mark.parametrize(
    "draw",
    [lambda c: front_view(c), lambda c: length_chart(20.0, catalog=c)],
    ids=["front_view", "length_chart"],
)
def test_a_figure_draws_words_in_any_script(renamed, draw) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # matplotlib warns "Glyph ... missing from font(s)": a box
        to_png(draw(renamed))


def test_the_fallback_keeps_dejavu_sans_first() -> None:
    """DejaVu Sans first: the look of every figure is unchanged, the other fonts only fill its gaps."""
    families = font_families()
    assert families[0] == "DejaVu Sans" and len(families) == len(set(families)) > 1
