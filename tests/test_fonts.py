"""Fonts for every script (issue 14, item 1): which font draws which character, right-to-left text laid
out for drawing, the characters no font has, and pose picture titles in any script that fit their box."""

from __future__ import annotations

import warnings
from dataclasses import replace

import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg

import iliopsoas_lib as il
from iliopsoas_lib.figures.poses import pose_figure
from iliopsoas_lib.fonts import display_text, face_for, missing_characters, runs

EVERY_SCRIPT = "Zoë Nguyễn 李雷 やまだ 김민준 Ωμέγα Жанна محمد علي שלום"


def test_every_script_asked_for_has_a_font() -> None:
    assert missing_characters(EVERY_SCRIPT) == []
    faces = {char: face_for(char).name for char in "ễ李やЖΩ김مש"}
    assert faces == {
        "ễ": "IlioSans", "Ж": "IlioSans", "Ω": "IlioSans",
        "李": "IlioCJK", "や": "IlioCJK", "김": "IlioCJK",
        "م": "IlioArabic", "ש": "IlioHebrew",
    }  # fmt: skip


@pytest.mark.parametrize("char", ["\U0010fffd", "\ue000", "\u0378"])  # private use, unassigned
def test_a_character_no_font_has_is_named(char: str) -> None:
    assert missing_characters(f"Ann {char} Lee") == [char]
    assert [face for face, chunk in runs(f"A{char}") if char in chunk] == [None]


def test_line_breaks_and_invisible_marks_need_no_glyph() -> None:
    assert missing_characters("one\ntwo\u200d\u200f") == []


def test_right_to_left_text_is_joined_and_reversed_for_drawing_latin_is_untouched() -> None:
    assert display_text("Zoë Nguyễn 李雷") == "Zoë Nguyễn 李雷"
    shown = display_text("For: محمد")
    assert shown.startswith("For: ")
    # Joined forms (Arabic presentation forms), last letter first: the name reads right to left.
    assert shown[5:] == "\ufeaa\ufee4\ufea4\ufee3"
    assert display_text("שלום") == "םולש"  # Hebrew letters do not join: only the order turns


def _title_box_inside(fig) -> tuple[bool, str]:
    canvas = FigureCanvasAgg(fig)
    canvas.draw()
    box = fig._suptitle.get_window_extent(canvas.get_renderer())
    width, height = canvas.get_width_height()
    return box.x0 >= 0 and box.x1 <= width and box.y1 <= height, fig.get_suptitle()


@pytest.mark.parametrize(
    "name",
    [
        "Half-kneeling hip flexor stretch against the wall with a folded towel under the back knee",
        "髂腰肌拉伸 李雷 と 김민준",
        "تمرين إطالة العضلة القطنية",
    ],
)
def test_a_clinicians_stretch_title_fits_its_picture_in_any_script(catalog, name: str) -> None:
    mine = replace(catalog.stretch("glute_bridge"), id="couch_stretch", name=name)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # matplotlib warns "Glyph ... missing from font(s)": a box
        fig = pose_figure(mine)
        inside, title = _title_box_inside(fig)
    assert inside, f"title cut off: {title!r}"
    assert title.replace("\n", " ").startswith(display_text(name)[:10])


@pytest.fixture(scope="module")
def catalog():
    return il.load_catalog()
