"""Content drawn as text, never trusted: a clinician's file or a shared notebook is made inert on every
surface a patient or a class sees (issue 13, point 4).

A clinician's stretch file is text typed by a person, and a notebook handed to the slides command may
come from anyone. On the dashboard cards, the handout, the pose pictures and the offline slides, that
text must never make a patient's browser contact another host, run a script, change the PDF's
typesetting, or be read as maths by matplotlib (``Strap $_$ rope`` once crashed the handout).
"""

from __future__ import annotations

import base64
import dataclasses
import io
import re
from datetime import date
from html.parser import HTMLParser
from pathlib import Path

import nbformat
import pytest
from matplotlib.text import Text
from PIL import Image
from pypdf import PdfReader

import iliopsoas_lib as il
from iliopsoas_lib.clinic import template_text
from iliopsoas_lib.documents.handout import HandoutOptions, make_handout
from iliopsoas_lib.documents.slides import SlideWarning, notebook_to_slides
from iliopsoas_lib.presentation.text import PatientCitations, routine_markdown, stretch_markdown, to_html
from iliopsoas_lib.routine import ABILITY_FIELDS

ABLE = il.Abilities(**dict.fromkeys(ABILITY_FIELDS, True), conditions=frozenset())

#: Maths for matplotlib (``$_$`` does not even parse), markup for reportlab, an ampersand for both.
HOSTILE_NAME = "Strap $_$ rope <font size=80> a & b $x$"
TRACKER = "evil.example"

#: The template's clinician stretch, each text field rewritten by someone hostile (or careless).
REPLACEMENTS = {
    'name = "Half-kneeling stretch at a wall"': f'name = "{HOSTILE_NAME}"',
    'summary = "The kneeling hip flexor stretch with one hand on a wall for balance."': (
        'summary = "Look ![tracking pixel](http://evil.example/pixel.png) then '
        '[tap here](javascript:alert(1)) <img src=x onerror=alert(1)> and $x^y$."'
    ),
    '"People who can kneel but want support for balance."': (
        '"People who read [our site](https://example.org/page) <script>alert(1)</script>."'
    ),
    '"Arching the lower back. Tuck the tailbone under instead."': (
        '"Arching ![](//evil.example/protocol-relative.png) & bending '
        '![svg](data:image/svg+xml;base64,PHN2Zy8+)."'
    ),
    '"Warm up first and move slowly into the stretch."': (
        '"Warm up ![x](<data:image/png;base64,iVBOR\\" onerror=\\"alert(1)>) [a](JaVaScRiPt:alert(1))."'
    ),
    '"Ease off at once. If it still hurts the next day, tell your clinician."': (
        '"Ease off <b>at once</b> & tell [me](vbscript:msgbox(1)) or [us](mailto:clinic@example.org)."'
    ),
    'name = "Smaller shift"': 'name = "Smaller $_$ shift"',
    '"Reach the left arm up and over to the right."': (
        '"Reach up [file](file:///etc/passwd) [page](data:text/html,hi) [ref](#ref-clinic_protocol)."'
    ),
}


@pytest.fixture(scope="module")
def hostile_catalog() -> il.Catalog:
    text = template_text()
    for old, new in REPLACEMENTS.items():
        assert old in text, old
        text = text.replace(old, new)
    return il.load_catalog(il.ContentText("hostile.toml", text))


@pytest.fixture(scope="module")
def hostile_stretch(hostile_catalog):
    return hostile_catalog.stretch("half_kneeling_wall")


@pytest.fixture(scope="module")
def hostile_routine(hostile_catalog):
    return il.build_routine(hostile_catalog, ABLE, only=["half_kneeling_wall"])


def png_bytes(size: tuple[int, int] = (4, 3), colour: str = "red") -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, colour).save(out, format="PNG")
    return out.getvalue()


# -- reading HTML as a browser would --------------------------------------------------------------


class Elements(HTMLParser):
    """Every start tag of a page with its attributes, and its text, as a browser's parser sees them."""

    def __init__(self, page: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str]]] = []
        self.text: list[str] = []
        self.feed(page)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, {name: value or "" for name, value in attrs}))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)

    def handle_data(self, data: str) -> None:
        self.text.append(data)

    def of(self, tag: str) -> list[dict[str, str]]:
        return [attrs for name, attrs in self.tags if name == tag]

    def words(self) -> str:
        return re.sub(r"\s+", " ", "".join(self.text))


SAFE_IMAGE = re.compile(r"^data:image/(?:png|jpeg|gif|webp);base64,[A-Za-z0-9+/]+={0,2}$")
#: The web, e-mail, an anchor, or a relative path with no scheme and no host.
SAFE_LINK = re.compile(
    r"^(?:(?:https?://|mailto:|#)[^\s\\]*|(?![/\\])[^\s\\:/?#]*(?:[/?#][^\s\\]*)?)$", re.IGNORECASE
)
ACTIVE_TAGS = {"script", "iframe", "object", "embed", "link", "style", "base", "form", "meta", "svg", "math"}


def assert_inert(page: str, *, own_script: int = 0, own_style: int = 0, own_meta: int = 0) -> Elements:
    """No tag that runs or fetches anything, no event handler, pictures only from inside the page, links
    only to the web, e-mail, an anchor or a neighbouring page. ``own_*`` counts the page's own script,
    style and meta tags (the slide deck has them; a card has none)."""
    found = Elements(page)
    for tag, attrs in found.tags:
        handlers = [name for name in attrs if name.startswith("on")]
        assert not handlers, f"<{tag}> carries event handlers {handlers}"
        assert "srcset" not in attrs and "background" not in attrs, (tag, attrs)
    for image in found.of("img"):
        assert SAFE_IMAGE.match(image.get("src", "")), f"picture from outside the page: {image}"
    for link in found.of("a"):
        assert SAFE_LINK.match(link.get("href", "")), f"unsafe link: {link}"
    counts = {tag: len(found.of(tag)) for tag in ACTIVE_TAGS}
    own = {"script": own_script, "style": own_style, "meta": own_meta}
    assert counts == {**dict.fromkeys(ACTIVE_TAGS, 0), **own}, counts
    assert not [v for _t, attrs in found.tags for v in attrs.values() if TRACKER in v], "another host named"
    return found


# -- 1. Markdown in the dashboard's cards ----------------------------------------------------------


def test_an_image_from_another_host_shows_as_its_words() -> None:
    html = to_html("Look ![a tracking pixel](http://evil.example/x.png) here.")
    assert "<img" not in html and TRACKER not in html
    assert "Look a tracking pixel here." in Elements(html).words()


@pytest.mark.parametrize(
    "url",
    [
        "http://evil.example/x.png",
        "https://evil.example/x.png",
        "//evil.example/x.png",
        "x.png",
        "data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9ImFsZXJ0KDEpIi8+",  # SVG can hold script
        "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
        "data:image/png,not-base64",
        'data:image/png;base64,iVBOR" onerror="alert(1)',
        "javascript:alert(1)",
    ],
)
def test_only_pictures_carried_inside_the_page_are_shown(url: str) -> None:
    html = to_html(f"![the <b>alt</b> & words](<{url}>)")
    assert "<img" not in html, html
    assert Elements(html).words().strip() == "the <b>alt</b> & words", html  # the words, as typed
    assert_inert(html)


@pytest.mark.parametrize("kind", ["png", "jpeg", "gif", "webp"])
def test_a_picture_carried_inside_the_page_is_kept(kind: str) -> None:
    data = base64.b64encode(png_bytes()).decode()
    html = to_html(f"![a red square](data:image/{kind};base64,{data})")
    (image,) = assert_inert(html).of("img")
    assert image["src"] == f"data:image/{kind};base64,{data}" and image["alt"] == "a red square"


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "JaVaScRiPt:alert(1)",
        " javascript:alert(1)",
        "java&#x09;script:alert(1)",
        "javascript&colon;alert(1)",
        "vbscript:msgbox(1)",
        "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
        "file:///etc/passwd",
        "//evil.example/",
        "/\\evil.example/",
        "/etc/passwd",
    ],
)
def test_a_link_that_is_not_to_the_web_mail_an_anchor_or_a_neighbour_is_inert(url: str) -> None:
    html = to_html(f"Read [this page](<{url}>) now.")
    assert "<a" not in html, html
    assert "Read this page now." in Elements(html).words()
    assert_inert(html)


@pytest.mark.parametrize(
    "url",
    [
        "https://example.org/a?b=c&d=e",
        "http://example.org",
        "mailto:clinic@example.org",
        "#ref-lindberg",
        "02_why_it_tightens.ipynb",  # the notebooks link to each other; a deck keeps those links
        "../notes/a.html?x=1#part",
    ],
)
def test_web_mail_anchor_and_neighbour_links_still_work(url: str) -> None:
    (link,) = assert_inert(to_html(f"[here]({url})")).of("a")
    assert link["href"] == url


def test_raw_html_in_content_stays_text() -> None:
    raw = '<img src="http://evil.example/x.png" onerror="alert(1)"> <script>alert(1)</script>'
    for markdown in (raw, f"Inline {raw} too."):
        assert raw in assert_inert(to_html(markdown)).words()  # shown as the characters typed


def test_patient_citation_links_still_reach_their_references(catalog) -> None:
    stretch = catalog.stretch("glute_bridge")
    html = to_html(stretch_markdown(stretch, catalog, cite=PatientCitations.of(catalog)))
    hrefs = {link["href"] for link in assert_inert(html).of("a")}
    assert hrefs and all(href.startswith("#ref-") for href in hrefs)


def test_dashboard_cards_of_a_hostile_stretch_are_inert(hostile_catalog, hostile_routine) -> None:
    from iliopsoas_lib.widgets.routine_cards import RoutineCards
    from iliopsoas_lib.widgets.stretch_cards import StretchCards

    cite = PatientCitations.of(hostile_catalog)
    cards = RoutineCards(hostile_catalog, hostile_routine, cite=cite)
    shown = cards.card_text("half_kneeling_wall")
    words = assert_inert(shown).words()
    assert HOSTILE_NAME in words  # the name is shown as written, as text
    assert "tracking pixel" in words and "tap here" in words
    links = {link["href"] for link in Elements(shown).of("a")}
    assert {"https://example.org/page", "mailto:clinic@example.org", "#ref-clinic_protocol"} <= links
    browse = StretchCards(hostile_catalog, "half_kneeling_wall", cite=cite)
    assert_inert(browse.card.value)
    assert_inert(browse.picture.value)  # the pose picture itself, and its alt text
    assert_inert(to_html(routine_markdown(hostile_routine)))


# -- 3. matplotlib and reportlab draw content as text -------------------------------------------------


def as_maths(figure) -> list[str]:
    """The words of ``figure`` that matplotlib would read as maths, leaving out the numbers its axes
    make for themselves (tick labels a formatter writes when the figure is drawn, never content)."""
    from matplotlib.text import Text

    numbering = {
        id(label)
        for ax in figure.axes
        for axis in (ax.xaxis, ax.yaxis)
        for tick in axis.get_major_ticks() + axis.get_minor_ticks()
        for label in (tick.label1, tick.label2)
        if re.fullmatch(r"[−\-\d.,%° ]*", label.get_text())
    }
    texts = figure.findobj(Text)
    assert len(texts) > len(numbering)
    return [t.get_text() for t in texts if t.get_parse_math() and id(t) not in numbering]


def test_a_name_with_dollar_signs_is_drawn_as_written(hostile_stretch) -> None:
    from iliopsoas_lib.figures import to_png
    from iliopsoas_lib.figures.poses import pose_figure

    figure = pose_figure(hostile_stretch)
    png = to_png(figure)  # drawing used to raise a mathtext ParseException here
    with Image.open(io.BytesIO(png)) as picture:
        assert picture.size == tuple(round(v * 100) for v in figure.get_size_inches())
    title = figure._suptitle
    assert title is not None and HOSTILE_NAME in title.get_text() and not title.get_parse_math()
    assert not as_maths(figure)


def test_every_figure_draws_its_words_as_text(catalog) -> None:
    """One mechanism for all figures: each word of each figure is plain text, content or not."""
    from iliopsoas_lib.figures import to_png
    from iliopsoas_lib.figures.anatomy_front import front_view
    from iliopsoas_lib.figures.anatomy_side import side_view
    from iliopsoas_lib.figures.biomechanics import hip_side_view, length_chart
    from iliopsoas_lib.figures.weekly import weekly_chart

    renamed_stretch = dataclasses.replace(catalog.stretch("glute_bridge"), name="Bridge $_$ <b> & $x$")
    psoas = dataclasses.replace(catalog.muscle("psoas_major"), name="Psoas $_$ & $x$")
    odd = dataclasses.replace(
        catalog,
        stretches={**catalog.stretches, "glute_bridge": renamed_stretch},
        muscles={**catalog.muscles, "psoas_major": psoas},
    )
    figures = {
        "front_view": front_view(odd),
        "side_view": side_view(),
        "hip_side_view": hip_side_view(30.0),
        "length_chart": length_chart(20.0, catalog=odd),
        "weekly_chart": weekly_chart(il.weekly_counts(il.SessionLog(), 6, date(2026, 11, 25))),
    }
    for name, figure in figures.items():
        to_png(figure)
        assert not as_maths(figure), f"{name} would read these words as maths: {as_maths(figure)}"
    for name, words in (("length_chart", "Bridge $_$ <b> & $x$"), ("front_view", "Psoas $_$ & $x$")):
        assert any(words in text.get_text() for text in figures[name].findobj(Text)), name


def test_the_handout_prints_hostile_text_as_written(hostile_catalog, hostile_routine) -> None:
    options = HandoutOptions(
        patient_name="<font size=80>Pat</font> & $co$", clinician_notes="Notes <b>bold?</b> & $_$ &amp; done"
    )
    pdf = make_handout(hostile_routine, hostile_catalog, options)  # used to raise a ParseException
    reader = PdfReader(io.BytesIO(pdf))
    text = re.sub(r"\s+", " ", " ".join(page.extract_text() for page in reader.pages))
    assert HOSTILE_NAME in text
    assert "<font size=80>Pat</font> & $co$" in text
    assert "Notes <b>bold?</b> & $_$ &amp; done" in text
    assert "Smaller $_$ shift" in text
    sizes: set[float] = set()

    def visit(text, cm, tm, font, size) -> None:  # pypdf's visitor signature
        if text.strip():
            sizes.add(round(size * abs(tm[0]), 1))

    for page in reader.pages:
        page.extract_text(visitor_text=visit)
    assert max(sizes) < 40, sizes  # no <font size=80> took effect


def test_the_calendar_carries_hostile_text_as_plain_words(hostile_catalog, hostile_routine) -> None:
    """A calendar description is plain text (RFC 5545): the name goes in as typed, and parses back."""
    from icalendar import Calendar

    from iliopsoas_lib.documents.calendar_plan import make_calendar

    ics = make_calendar(hostile_routine, start=date(2026, 11, 25), catalog=hostile_catalog)
    (event,) = Calendar.from_ical(ics).walk("VEVENT")
    assert HOSTILE_NAME in str(event["DESCRIPTION"])


# -- 2. the offline slides --------------------------------------------------------------------------


def hostile_notebook(path: Path) -> Path:
    """A notebook as someone might craft it: bad pictures in outputs, markup in cells and outputs."""
    good = base64.b64encode(png_bytes((6, 5), "blue")).decode()
    not_an_image = base64.b64encode(b"<script>alert(1)</script>").decode()
    nb = nbformat.v4.new_notebook()
    out = nbformat.v4.new_output
    nb.cells = [
        nbformat.v4.new_markdown_cell(
            "# Hostile deck\n\n![pixel](http://evil.example/pixel.png) [tap](javascript:alert(1))\n\n"
            "<img src=x onerror=alert(1)> <script>alert(1)</script>"
        ),
        nbformat.v4.new_code_cell(
            "x = 1",
            outputs=[
                out("display_data", data={"image/png": 'x" onerror="alert(1)', "text/plain": "<Figure>"}),
                out("display_data", data={"image/png": not_an_image, "text/plain": "<Figure>"}),
                out("display_data", data={"image/png": good, "text/plain": "<Figure>"}),
                out("display_data", data={"text/markdown": "![md](https://evil.example/md.png) **bold**"}),
                out(
                    "execute_result",
                    data={
                        "text/html": "<script>alert(1)</script><img src=x onerror=alert(1)>",
                        "text/plain": "<b>plain</b>",
                    },
                    execution_count=1,
                ),
                out("display_data", data={"text/html": '<iframe src="http://evil.example"></iframe>'}),
                out("stream", name="stdout", text='<img src=x onerror="alert(1)">'),
            ],
        ),
    ]
    nbformat.write(nb, path)
    return path


def test_slides_embed_only_pictures_that_really_are_pictures(tmp_path: Path) -> None:
    with pytest.warns(SlideWarning) as caught:
        deck = notebook_to_slides(hostile_notebook(tmp_path / "hostile.ipynb"))
    messages = [str(w.message) for w in caught]
    assert len(messages) == 2 and all("cell 2" in m and "picture" in m for m in messages), messages
    found = assert_inert(deck, own_script=1, own_style=1, own_meta=2)
    (picture,) = found.of("img")
    data = base64.b64decode(picture["src"].removeprefix("data:image/png;base64,"))
    with Image.open(io.BytesIO(data)) as image:
        assert image.format == "PNG" and image.size == (6, 5) and image.getpixel((0, 0))[:3] == (0, 0, 255)
    words = found.words()
    assert "pixel" in words and "tap" in words and "md" in words  # bad pictures and links as their words
    assert "<img src=x onerror=alert(1)>" in words and "<b>plain</b>" in words  # markup shown as text
    assert words.count("could not be read") == 2  # the class sees that a picture was left out


def test_slides_of_the_project_notebooks_keep_every_figure() -> None:
    root = Path(__file__).resolve().parents[1]
    deck = notebook_to_slides(root / "notebooks" / "03_stretches.ipynb")
    notebook = nbformat.read(root / "notebooks" / "03_stretches.ipynb", as_version=4)
    outputs = [o.get("data", {}) for cell in notebook.cells for o in cell.get("outputs", [])]
    pictures = sum("image/png" in d and "application/vnd.jupyter.widget-view+json" not in d for d in outputs)
    found = assert_inert(deck, own_script=1, own_style=1, own_meta=2)
    assert pictures and len(found.of("img")) == pictures


def test_slides_leave_out_outputs_of_the_wrong_shape(tmp_path: Path) -> None:
    """A hand-made notebook may hold a number where text belongs: the deck leaves it out, never crashes."""
    import json

    cell = {
        "id": "odd-cell",
        "cell_type": "code",
        "execution_count": 1,
        "metadata": {},
        "source": "x",
        "outputs": [
            {
                "output_type": "display_data",
                "metadata": {},
                "data": {"image/png": {"src": "http://evil.example"}},
            },
            {"output_type": "stream", "name": "stdout", "text": 5},
            {
                "output_type": "execute_result",
                "execution_count": 1,
                "metadata": {},
                "data": {"text/plain": [1]},
            },
        ],
    }
    notebook = {"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": [cell]}
    (tmp_path / "odd.ipynb").write_text(json.dumps(notebook), encoding="utf-8")
    with pytest.warns(SlideWarning, match="odd.ipynb, cell 1: .* expected base64 text"):
        deck = notebook_to_slides(tmp_path / "odd.ipynb")
    assert "could not be read" in assert_inert(deck, own_script=1, own_style=1, own_meta=2).words()
