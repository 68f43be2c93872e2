"""Matplotlib drawings of the model: anatomy, the five stretch poses, the weekly chart.

Every figure is a function that takes model objects and returns a :class:`matplotlib.figure.Figure`
built without pyplot, so Voilà kernels and tests share no global pyplot state and a figure is never
shown by accident. Widgets turn a figure into PNG bytes with :func:`to_png` and put them in an
``ipywidgets.Image``; notebooks simply return the figure.

This module stays import-light: matplotlib is imported inside the functions that need it, so
``import iliopsoas_lib.figures`` costs nothing until a figure is drawn.
"""

from __future__ import annotations

import logging
from contextlib import contextmanager
from functools import cache
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pragma: no cover - for type checkers only
    from collections.abc import Iterator

    from matplotlib.figure import Figure
    from matplotlib.typing import RcKeyType

#: Okabe-Ito colours: distinguishable with the common forms of colour blindness and in greyscale
#: print-outs (they differ in lightness too). One colour per muscle, the same in every figure.
OKABE_ITO = {
    "black": "#000000",
    "orange": "#E69F00",
    "sky_blue": "#56B4E9",
    "bluish_green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "reddish_purple": "#CC79A7",
}

#: The colour of each muscle, by catalog id.
MUSCLE_COLOURS = {
    "psoas_major": OKABE_ITO["vermillion"],
    "iliacus": OKABE_ITO["blue"],
    "psoas_minor": OKABE_ITO["reddish_purple"],
}

#: Neutral colours for bones, the body and furniture, so the muscles stand out.
BONE = "#EDE6D6"
BONE_EDGE = "#8A7F68"
BODY = "#C9CED6"
BODY_FAR = "#E3E6EA"
SURFACE = "#B08D57"
TEXT = "#222222"
MUTED = "#666666"

#: Colours for the weekly chart: a goal met or not (the chart adds a hatch, so colour is not alone).
GOAL_MET = OKABE_ITO["bluish_green"]
GOAL_NOT_MET = OKABE_ITO["orange"]
GOAL_BAND = OKABE_ITO["sky_blue"]

#: Large, readable text: figures are read on phones in the dashboard and projected in a clinic.
FONT_SIZE = 12
TITLE_SIZE = 14
LABEL_SIZE = 12
SMALL_SIZE = 10

#: rcParams applied while a figure is built (see :func:`style`, which adds ``font.family``: the font
#: fallback of :func:`font_families`); never set globally.
#: ``text.parse_math`` off: every word a figure draws is drawn as written. Names and labels come from
#: content files a clinician types, and matplotlib would otherwise read ``$...$`` as maths (``Strap $_$
#: rope`` raised a ParseException and stopped the handout). Each Text takes it when it is made, and every
#: figure here is made inside :func:`style`; none of them draws maths on purpose.
STYLE_RC: dict[RcKeyType, Any] = {
    "text.parse_math": False,
    "font.size": FONT_SIZE,
    "axes.titlesize": TITLE_SIZE,
    "axes.titleweight": "bold",
    "axes.labelsize": LABEL_SIZE,
    "xtick.labelsize": SMALL_SIZE + 1,
    "ytick.labelsize": SMALL_SIZE + 1,
    "text.color": TEXT,
    "axes.edgecolor": MUTED,
    "axes.labelcolor": TEXT,
    "hatch.linewidth": 1.2,
}


@cache
def font_families() -> tuple[str, ...]:
    """Font families for every word a figure draws, in fallback order: matplotlib's DejaVu Sans first (the
    look of every figure), then the handout's fonts for what it lacks (Chinese, Japanese, Korean, Arabic...;
    matplotlib 3.6+ falls back per glyph), so a name a clinician types in any script is drawn, not boxed.
    The files are added to matplotlib's font manager once; the families come back by their own names."""
    from matplotlib import font_manager

    from ..fonts import available_faces

    families: list[str] = ["DejaVu Sans"]
    regular_only: set[str] = set()
    for face in available_faces():
        for path in (face.regular_path, face.bold_path):
            if path is not None:
                font_manager.fontManager.addfont(str(path))
        family = font_manager.FontProperties(fname=str(face.regular_path)).get_name()
        families.append(family)
        if face.bold_path is None:
            regular_only.add(family)
    # A face with no bold (the CJK one) is drawn in its regular weight in a bold title, as intended;
    # matplotlib logs a warning each time, which would reach a notebook's output and a clinician's screen.
    logging.getLogger("matplotlib.font_manager").addFilter(_RegularIsIntended(regular_only))
    return tuple(dict.fromkeys(families))  # a tuple: the cached answer is shared, nobody may change it


class _RegularIsIntended(logging.Filter):
    """Drops matplotlib's "Failed to find font weight bold" for the faces that have no bold at all."""

    def __init__(self, families: set[str]) -> None:
        super().__init__()
        self.families = families

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        return not ("Failed to find font weight" in message and any(f in message for f in self.families))


@contextmanager
def style() -> Iterator[None]:
    """Apply the shared style while a figure is built, without touching global rcParams for good: every
    figure is made inside it, so every figure gets the same sizes, colours and font fallback."""
    import matplotlib

    rc: dict[RcKeyType, Any] = {**STYLE_RC, "font.family": list(font_families())}
    with matplotlib.rc_context(rc):
        yield


def to_png(fig: Figure, dpi: int = 100) -> bytes:
    """Render ``fig`` to PNG bytes, e.g. for the ``value`` of an ``ipywidgets.Image``.

    The bytes are the same for the same figure on every run (no software version or date stamp in
    the PNG metadata), so an unchanged figure does not trigger a needless widget update and tests
    can compare images byte for byte.
    """
    from io import BytesIO

    buffer = BytesIO()
    fig.savefig(buffer, format="png", dpi=dpi, metadata={"Software": None}, facecolor="white")
    return buffer.getvalue()


__all__ = [
    "BODY",
    "BODY_FAR",
    "BONE",
    "BONE_EDGE",
    "FONT_SIZE",
    "GOAL_BAND",
    "GOAL_MET",
    "GOAL_NOT_MET",
    "MUSCLE_COLOURS",
    "OKABE_ITO",
    "SMALL_SIZE",
    "STYLE_RC",
    "SURFACE",
    "TITLE_SIZE",
    "font_families",
    "style",
    "to_png",
]
