"""An offline slide deck of a notebook, for teaching a class: one HTML file that works from disk with no
network (no CDN, no fonts, no scripts fetched): styles, pictures and a few lines of navigation inline.

Made to be projected: every slide fits one 1280 x 800 screen (:data:`SCREEN`, a common projector)
without scrolling. Each ``#`` or ``##`` heading starts a section; a section too long for one screen is
split into several slides, between blocks (paragraphs, lists, pictures, headings; a long list or printed
text between its lines), by an estimate of each block's height at that screen size, and a continued
slide says which section it continues. A heading is never left alone at the bottom of a slide. Pictures
are scaled down with CSS to fit the screen; a picture a notebook drew at twice its shown size (Jupyter's
"retina" figures, as notebook 07 draws them) keeps its double density, so it stays sharp when projected.
Should a screen be smaller after all, the page shrinks an overflowing slide's text a little to fit.

Citations are for a class to read: a source id in brackets (``[acsm_garber2011]``) becomes the source's
short label and year, "(ACSM 2011)", from the catalog, and the deck ends with a references slide of the
sources it cites (in place of the notebook's own list of ids). Links to other notebooks (``.ipynb``)
become their plain words, since a deck on a USB stick has no notebooks beside it.

Prose, printed results, tables and figures are shown; code is hidden (a "Show code" button reveals it),
and interactive widgets are replaced by a note, because a file on disk has no kernel to run them. The
arrow keys (and Page Up/Down, Home, End) move between slides.

A notebook may come from anyone, so nothing in it reaches the deck as it is: Markdown goes through
:func:`iliopsoas_lib.text.to_html` (raw HTML escaped, pictures only from inside the file, no script
links), printed text is escaped, ``text/html`` outputs are never pasted (their ``text/plain`` is shown
instead), and a PNG output is decoded, opened and re-encoded with Pillow before it is embedded: data
that is not a picture (``x" onerror="...``) is left out with a :class:`SlideWarning`.
"""

from __future__ import annotations

import base64
import binascii
import html
import io
import math
import re
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from typing import TYPE_CHECKING

from ..text import to_html

if TYPE_CHECKING:  # pragma: no cover - for type checkers only
    from ..catalog import Catalog
    from ..schema import Source

#: Pictures larger than this are left out: a deck for a class never needs more, and a crafted image
#: header can claim billions of pixels to exhaust memory when decoded.
MAX_PICTURE_PIXELS = 25_000_000
#: The pixel modes Pillow writes to PNG as they are; any other is converted to RGBA first.
PNG_MODES = ("1", "L", "LA", "I", "I;16", "P", "RGB", "RGBA")
#: The Markdown extensions the deck renders (notebooks use tables; mistune's plugin names).
MARKDOWN_PLUGINS = ("table", "strikethrough")
#: What the class sees where a picture was left out.
PICTURE_LEFT_OUT = '<p class="widget-note">(A picture here could not be read, so it was left out.)</p>'

#: The screen every slide must fit, in CSS pixels: WXGA, what most classroom projectors show.
SCREEN = (1280, 800)
# The layout at that size, as STYLE sets it (CSS pixels): the estimate of each block's height uses them.
_FONT_PX = 22  # 1.375rem
_LINE_PX = 32  # line-height 1.45
_CONTENT_PX = SCREEN[0] - 2 * 64  # 5vw padding each side
#: Characters a line of prose holds at that width (system fonts average about half an em a character;
#: fewer are assumed, so an estimate errs towards a taller block).
_CHARS_PER_LINE = 92
#: The height a slide's blocks may fill: 800 px less the top padding (3vh) and the room kept for the
#: navigation bar (12vh), less a margin for what the estimate cannot know (the font, the browser).
ROOM_PX = 640
#: The tallest a picture is shown (CSS ``max-height: 58vh`` at 800 px).
PICTURE_MAX_PX = 464
_GAP_PX = 16  # the margin between blocks


class SlideWarning(UserWarning):
    """Something in the notebook was left out of the deck (e.g. a picture that is not a picture)."""


STYLE = """
html, body { margin: 0; }
body { font-family: system-ui, sans-serif; background: #f4f7fa; color: #1a1a1a; }
.slide { display: none; box-sizing: border-box; height: 100vh; overflow: hidden auto; padding: 3vh 5vw 12vh;
  font-size: 1.375rem; line-height: 1.45; background: white; }
.slide.current { display: block; }
.slide > :first-child { margin-top: 0; }
.slide h1 { font-size: 2.3rem; line-height: 1.2; margin: 0 0 0.4em; color: #005a8c; }
.slide h2 { font-size: 1.9rem; line-height: 1.2; margin: 0 0 0.4em; color: #005a8c; }
.slide h3 { font-size: 1.5rem; line-height: 1.25; margin: 0.5em 0 0.3em; }
.slide h4, .slide h5, .slide h6 { font-size: 1.3rem; line-height: 1.25; margin: 0.5em 0 0.3em; }
.slide p, .slide ul, .slide ol, .slide table { margin: 0.45em 0; }
.slide li { margin: 0.1em 0; }
.slide .continued { color: #005a8c; font-weight: bold; font-size: 1.1rem; margin: 0 0 0.4em; }
.slide figure.picture { margin: 0.45em 0; text-align: center; }
.slide img { width: auto; height: auto; max-width: 100%; max-height: 58vh; }
.slide pre { background: #f2f2f2; padding: 0.5rem; overflow-x: auto; font-size: 1rem; line-height: 1.4;
  white-space: pre-wrap; margin: 0.45em 0; }
.slide table { border-collapse: collapse; }
.slide td, .slide th { border: 1px solid #bbb; padding: 0.15rem 0.5rem; }
.slide .references li { font-size: 1.05rem; }
.code { display: none; } body.show-code .code { display: block; }
.widget-note { font-style: italic; color: #555; }
nav { position: fixed; bottom: 0; left: 0; right: 0; display: flex; gap: 1rem; justify-content: center;
  align-items: center; padding: 0.5rem; background: #e8eef4; font-size: 1.1rem; }
nav button { font-size: 1.1rem; padding: 0.3rem 1rem; }
"""

SCRIPT = """
const slides = Array.from(document.querySelectorAll('.slide'));
const counter = document.getElementById('counter');
let current = 0;
function fit(slide) {
  slide.style.fontSize = '';
  let scale = 1;
  while (slide.scrollHeight > slide.clientHeight + 1 && scale > 0.71) {
    scale -= 0.05;
    slide.style.fontSize = (1.375 * scale).toFixed(3) + 'rem';
  }
  slide.dataset.scale = scale.toFixed(2);
}
function show(n) {
  current = Math.max(0, Math.min(slides.length - 1, n));
  slides.forEach((s, i) => s.classList.toggle('current', i === current));
  fit(slides[current]);
  counter.textContent = `${current + 1} / ${slides.length}`;
  history.replaceState(null, '', '#' + (current + 1));
}
document.getElementById('prev').onclick = () => show(current - 1);
document.getElementById('next').onclick = () => show(current + 1);
document.getElementById('code').onclick = () => {
  document.body.classList.toggle('show-code');
  fit(slides[current]);
};
addEventListener('resize', () => fit(slides[current]));
document.addEventListener('keydown', (e) => {
  if (['ArrowRight', 'ArrowDown', 'PageDown', ' '].includes(e.key)) { e.preventDefault(); show(current + 1); }
  if (['ArrowLeft', 'ArrowUp', 'PageUp'].includes(e.key)) { e.preventDefault(); show(current - 1); }
  if (e.key === 'Home') show(0);
  if (e.key === 'End') show(slides.length - 1);
});
show((parseInt(location.hash.slice(1), 10) || 1) - 1);
"""


def _markdown(text: str) -> str:
    return _without_notebook_links(to_html(text, plugins=MARKDOWN_PLUGINS))


def _joined(value: object) -> str | None:
    """A notebook's multi-line text (a string, or a list of its lines) as one string; None if it is
    neither, as a hand-made notebook may have it (it is then left out, never a crash)."""
    if isinstance(value, str):
        return value
    if isinstance(value, list) and all(isinstance(line, str) for line in value):
        return "".join(value)
    return None


# -- links and citations ------------------------------------------------------------------------------

#: A link as :func:`iliopsoas_lib.text.to_html` writes it (its address already escaped, no nested links).
_LINK = re.compile(r'<a href="([^"]*)"(?: title="[^"]*")?>(.*?)</a>', re.DOTALL)


def _without_notebook_links(page: str) -> str:
    """Links to notebooks (``x.ipynb``, ``x.ipynb#part``) as their plain words, without ``.ipynb``: a
    deck is a file on its own, and a browser would only download the notebook's raw JSON."""

    def plain(match: re.Match[str]) -> str:
        address = html.unescape(match.group(1))
        path = re.split(r"[?#]", address, maxsplit=1)[0]
        if not path.lower().endswith(".ipynb"):
            return match.group(0)
        words = match.group(2)
        return words[: -len(".ipynb")] if words.lower().endswith(".ipynb") else words

    return _LINK.sub(plain, page)


#: A citation as the notebooks write it: source ids in brackets, not a link ("[a_b, c_d]").
CITATION = re.compile(r"\[([a-z][a-z0-9_]*(?:, [a-z][a-z0-9_]*)*)\](?!\()")


def source_label(source: Source) -> str:
    """What a class reads for a source: its short label and year, "ACSM 2011" (the label alone without
    a year: "Lindberg", "our advice")."""
    label = source.short_label()
    return f"{label} {source.year}" if source.year else label


class _Citations:
    """Replaces source ids with readable labels and remembers, in order, the sources it named."""

    def __init__(self, catalog: Catalog | None) -> None:
        self.sources = dict(catalog.sources) if catalog is not None else {}
        self.cited: dict[str, Source] = {}

    def __call__(self, page: str) -> str:
        return CITATION.sub(self._readable, page)

    def _readable(self, match: re.Match[str]) -> str:
        ids = match.group(1).split(", ")
        if not any(i in self.sources for i in ids):
            return match.group(0)  # brackets that are not a citation, or sources this deck cannot name
        labels: list[str] = []
        for source_id in ids:
            source = self.sources.get(source_id)
            label = source_label(source) if source is not None else source_id
            if source is not None:
                self.cited.setdefault(source_id, source)
            if label not in labels:
                labels.append(label)
        return html.escape(f"({'; '.join(labels)})")


# -- blocks and their height --------------------------------------------------------------------------


@dataclass
class _Block:
    """One piece of a slide (a paragraph, a list, a picture...) and its estimated height on the screen."""

    html: str
    height: float
    heading: int = 0  # 1-6 for a heading; 9 for a bold line that acts as one ("**How to do it**")
    title: str = ""


class _TopLevel(HTMLParser):
    """Cuts an HTML fragment (from our own renderer, so well formed) into its top-level elements."""

    VOID = frozenset({"area", "br", "col", "embed", "hr", "img", "input", "source", "track", "wbr"})

    def __init__(self, fragment: str) -> None:
        super().__init__(convert_charrefs=False)
        self.fragment = fragment
        self.line_starts = [0, *(m.end() for m in re.finditer("\n", fragment))]
        self.depth = 0
        self.start = 0
        self.parts: list[str] = []
        self.feed(fragment)
        self.close()
        if self.depth:  # an element never closed: keep the rest whole rather than lose it
            self.parts.append(fragment[self.start :])

    def _offset(self) -> int:
        line, column = self.getpos()
        return self.line_starts[line - 1] + column

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.depth == 0:
            self.start = self._offset()
        if tag in self.VOID:
            if self.depth == 0:
                self.parts.append(self.get_starttag_text() or "")
            return
        self.depth += 1

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.depth == 0:
            self.parts.append(self.get_starttag_text() or "")

    def handle_endtag(self, tag: str) -> None:
        if tag in self.VOID or self.depth == 0:
            return
        self.depth -= 1
        if self.depth == 0:
            end = self.fragment.index(">", self._offset()) + 1
            self.parts.append(self.fragment[self.start : end])

    def handle_data(self, data: str) -> None:
        if self.depth == 0 and data.strip():
            self.parts.append(f"<p>{data.strip()}</p>")


def _top_level(fragment: str) -> list[str]:
    return _TopLevel(fragment).parts


def _words(fragment: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", " ", fragment)).strip()


def _lines(text: str, per_line: int) -> int:
    """Lines a text takes when wrapped at ``per_line`` characters (each of its own lines at least one)."""
    return sum(max(1, math.ceil(len(line.strip()) / per_line)) for line in (text.strip() or " ").split("\n"))


#: Heading sizes (CSS px per line, characters per line, margins) as STYLE sets them.
_HEADINGS = {1: (44, 46, 18), 2: (37, 56, 16), 3: (34, 70, 24), 4: (30, 80, 22)}


def _estimate(fragment: str) -> float:
    """The height a top-level block takes on a :data:`SCREEN`-sized slide, erring on the tall side."""
    tag = re.match(r"<(\w+)", fragment)
    name = tag.group(1).lower() if tag else "p"
    if name in {"h1", "h2", "h3", "h4", "h5", "h6"}:
        per_line, chars, margin = _HEADINGS.get(int(name[1]), _HEADINGS[4])
        return _lines(_words(fragment), chars) * per_line + margin
    if name == "pre":
        text = html.unescape(re.sub(r"<[^>]+>", "", fragment))
        return _PRE_EDGES_PX + _lines(text, _PRE_CHARS) * _PRE_LINE_PX
    if name in {"ul", "ol"}:
        return _GAP_PX + sum(_item_height(item) for item in _list_items(fragment))
    if name == "table":
        rows = re.findall(r"<tr>(.*?)</tr>", fragment, re.DOTALL)
        height = 0.0
        for row in rows:
            cells = re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.DOTALL) or [""]
            share = max(10, _CHARS_PER_LINE // len(cells))
            height += max(_lines(_words(c), share) for c in cells) * _LINE_PX + 6
        return height + _GAP_PX
    if name == "figure" or "<img" in fragment:
        size = re.search(r'width="(\d+)" height="(\d+)"', fragment)
        width, height = (int(size.group(1)), int(size.group(2))) if size else (_CONTENT_PX, PICTURE_MAX_PX)
        shown = height * min(1.0, _CONTENT_PX / max(width, 1))
        return min(shown, PICTURE_MAX_PX) + _GAP_PX
    if name == "hr":
        return 20
    return _lines(_words(fragment), _CHARS_PER_LINE) * _LINE_PX + _GAP_PX


_PRE_LINE_PX, _PRE_CHARS, _PRE_EDGES_PX = 23, 104, 16 + _GAP_PX  # printed text: 1rem, monospace


def _item_height(item: str) -> float:
    return _lines(_words(item), _CHARS_PER_LINE - 4) * _LINE_PX + 3


def _list_items(fragment: str) -> list[str]:
    inner = fragment[fragment.index(">") + 1 : fragment.rindex("</")]
    return [part for part in _top_level(inner) if part.lower().startswith("<li")]


def _units(fragment: str) -> tuple[list[str], list[float], float, Callable[[int, list[str]], str]] | None:
    """A list's items or printed text's lines, the height of each, the block's own height beside them,
    and how to write a run of them (from which unit) as a block again; None for any other block."""
    tag = re.match(r"<(\w+)([^>]*)>", fragment)
    name, attrs = (tag.group(1).lower(), tag.group(2)) if tag else ("", "")
    if name in {"ul", "ol"}:
        start = int(m.group(1)) if (m := re.search(r' start="(\d+)"', attrs)) else 1
        attrs = re.sub(r' start="\d+"', "", attrs)
        items = _list_items(fragment)

        def as_list(first: int, run: list[str]) -> str:
            return _list_html(name, attrs, start + first, run)

        return items, [_item_height(i) for i in items], _GAP_PX, as_list
    if name == "pre":
        lines = fragment[fragment.index(">") + 1 : fragment.rindex("</pre>")].rstrip("\n").split("\n")

        def as_pre(_first: int, run: list[str]) -> str:
            return f"<pre{attrs}>" + "\n".join(run) + "</pre>"

        heights = [_lines(html.unescape(line), _PRE_CHARS) * _PRE_LINE_PX for line in lines]
        return lines, heights, _PRE_EDGES_PX, as_pre
    return None


def _runs(fragment: str, first_room: float, room: float) -> list[str]:
    """A list (between its items; a numbered list goes on counting) or printed text (between its lines)
    cut into runs: the first fits ``first_room``, each other ``room``. One pass, so a huge list from a
    crafted notebook costs time in proportion to its length. Any other block, or one whose first unit
    does not fit ``first_room``, comes back whole (as the only run)."""
    found = _units(fragment)
    if found is None:
        return [fragment]
    units, heights, edges, write = found
    runs: list[str] = []
    begin, used, limit = 0, edges, first_room
    for index, height in enumerate(heights):
        if used + height > limit and index > begin:
            runs.append(write(begin, units[begin:index]))
            begin, used, limit = index, edges, room
        elif used + height > limit and not runs:
            return [fragment]  # not even the first unit fits where asked: the caller moves it whole
        used += height
    runs.append(write(begin, units[begin:]))
    return runs


def _split(fragment: str, room: float) -> tuple[str, str] | None:
    """The start of a list or printed text that fits in ``room``, and the rest; None when it cannot be
    split so (another kind of block, or not even its first unit fits)."""
    runs = _runs(fragment, room, math.inf)
    return (runs[0], runs[1]) if len(runs) == 2 else None


def _pieces(fragment: str, room: float) -> list[str]:
    """A block taller than ``room`` cut into parts that each fit; a block that cannot be cut stays whole."""
    return _runs(fragment, room, room) if _estimate(fragment) > room else [fragment]


def _list_html(name: str, attrs: str, start: int, items: list[str]) -> str:
    begin = f' start="{start}"' if name == "ol" and start != 1 else ""
    return f"<{name}{attrs}{begin}>\n" + "\n".join(items) + f"\n</{name}>"


def _blocks(fragment: str) -> list[_Block]:
    """A rendered fragment as blocks, each small enough for one slide."""
    found = []
    for part in _top_level(fragment):
        for piece in _pieces(part, ROOM_PX - 60):
            heading = re.match(r"<h([1-6])\b", piece)
            level = int(heading.group(1)) if heading else 0
            if not level and re.fullmatch(r"<p><strong>[^<]{1,80}</strong></p>", piece.strip()):
                level = 9  # a bold line that introduces what follows ("**How to do it**")
            found.append(_Block(piece, _estimate(piece), level, _words(piece) if level else ""))
    return found


class BadPicture(ValueError):
    """A notebook's picture output that is not a readable PNG image."""


def png_picture(data: object) -> str:
    """A notebook's ``image/png`` output as clean base64 PNG (see :func:`png_picture_and_size`)."""
    return png_picture_and_size(data)[0]


def png_picture_and_size(data: object) -> tuple[str, tuple[int, int]]:
    """A notebook's ``image/png`` output (base64 text, or a list of its lines) as clean base64 PNG.

    The bytes are decoded, opened with Pillow and written again as a fresh PNG, so what lands in
    ``src="data:image/png;base64,..."`` is always an image Pillow drew itself: base64 text only, never
    a quote or markup from the notebook, and no chunks of the original file. Raises :class:`BadPicture`
    saying why when it is not one. The size is the picture's, in pixels.
    """
    from PIL import Image

    text = _joined(data)
    if text is None:
        raise BadPicture(f"expected base64 text, found {type(data).__name__}")
    try:
        raw = base64.b64decode(re.sub(r"\s+", "", text), validate=True)
    except (binascii.Error, ValueError):
        raise BadPicture("not base64 data") from None
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(raw), formats=["PNG"]) as image:
                width, height = image.size
                if width * height > MAX_PICTURE_PIXELS:
                    raise BadPicture(f"{width} x {height} pixels is too large")
                image.load()
                drawn = image if image.mode in PNG_MODES else image.convert("RGBA")
                out = io.BytesIO()
                drawn.save(out, format="PNG")
    except BadPicture:
        raise
    except Exception as error:  # Pillow reports a broken file with many kinds of error (OSError,
        # SyntaxError, EOFError, zlib.error...): any of them means the data is not a picture to show.
        raise BadPicture(f"not a PNG image ({type(error).__name__})") from None
    return base64.b64encode(out.getvalue()).decode("ascii"), (width, height)


def _picture_html(png: str, size: tuple[int, int], metadata: object) -> str:
    """A picture at the size it is meant to be shown. A notebook's ``retina`` figure says in its output
    metadata that it is shown at half its pixels (``{"width": w}``): it keeps that size, so each shown
    pixel has two drawn ones in each direction. Any other picture is shown at its own pixel size. Either
    way CSS scales it down (never up) to fit the slide."""
    width, height = size
    shown_w, shown_h = width, height
    meta = metadata.get("image/png") if isinstance(metadata, dict) else None
    if isinstance(meta, dict):
        w, h = meta.get("width"), meta.get("height")
        if isinstance(w, int) and not isinstance(w, bool) and 0 < w <= width:
            shown_w = w
            shown_h = h if isinstance(h, int) and not isinstance(h, bool) and 0 < h <= height else None
            shown_h = shown_h or max(1, round(height * w / width))
    return (
        f'<figure class="picture"><img alt="figure" src="data:image/png;base64,{png}" '
        f'width="{shown_w}" height="{shown_h}" style="max-width: min(100%, {shown_w}px)"></figure>'
    )


def _outputs(cell: dict, where: str) -> list[str]:
    parts = []
    for output in cell.get("outputs", []):
        data = output.get("data", {})
        if output.get("output_type") == "stream":
            parts.append(f"<pre>{html.escape(_joined(output.get('text')) or '')}</pre>")
        elif "application/vnd.jupyter.widget-view+json" in data:
            parts.append('<p class="widget-note">(An interactive part: open the notebook to use it.)</p>')
        elif "image/png" in data:
            try:
                png, size = png_picture_and_size(data["image/png"])
            except BadPicture as error:
                warnings.warn(
                    f"{where}: a picture (image/png output) was left out of the slides: {error}",
                    SlideWarning,
                    stacklevel=3,
                )
                parts.append(PICTURE_LEFT_OUT)
            else:
                parts.append(_picture_html(png, size, output.get("metadata")))
        elif "text/markdown" in data:
            parts.append(_markdown(_joined(data["text/markdown"]) or ""))
        elif "text/plain" in data and output.get("output_type") == "execute_result":
            # Never the text/html beside it: a notebook's HTML could carry script or fetch from afar.
            parts.append(f"<pre>{html.escape(_joined(data['text/plain']) or '')}</pre>")
    return parts


def _is_references(block: _Block) -> bool:
    return block.heading in (1, 2, 3) and block.title.strip().lower() in {"references", "reference"}


def _without_references(blocks: list[_Block]) -> list[_Block]:
    """The notebook's own references section left out (from its heading to the next section): it lists
    ids; the deck ends with its own, readable, list instead."""
    kept, skipping = [], False
    for block in blocks:
        if _is_references(block):
            skipping = True
            continue
        if skipping and block.heading in (1, 2):
            skipping = False
        if not skipping:
            kept.append(block)
    return kept


def _references_blocks(sources: list[Source]) -> list[_Block]:
    if not sources:
        return []
    heading = "<h2>References</h2>"
    items = "".join(
        f"<li><strong>{html.escape(source_label(s))}:</strong> {html.escape(s.citation())}</li>"
        for s in sources
    )
    blocks = [_Block(heading, _estimate(heading), 2, "References")]
    for piece in _pieces(f'<ol class="references">{items}</ol>', ROOM_PX - 60):
        blocks.append(_Block(piece, _estimate(piece)))
    return blocks


def _paginate(blocks: list[_Block]) -> list[list[str]]:
    """Blocks into slides: a new slide at each ``#`` or ``##`` heading, and wherever the next block
    would not fit in :data:`ROOM_PX` (a list or printed text is cut to fill the slide first). A heading
    (or a bold lead line) goes with the start of what follows it; a slide that continues a section says
    so first."""
    slides: list[list[str]] = []
    current: list[str] = []
    used = 0.0
    section = ""
    queue = list(blocks)
    index = 0

    def next_slide() -> None:
        nonlocal current, used
        slides.append(current)
        current, used = [], 0.0
        if section:
            current, used = [f'<p class="continued">{html.escape(section)} (continued)</p>'], 40.0

    while index < len(queue):
        block = queue[index]
        index += 1
        if block.heading in (1, 2):
            if current:
                slides.append(current)
            current, used, section = [block.html], block.height, block.title
            continue
        need = block.height
        following = next((b for b in queue[index:] if b.height > 0 or b.heading), None)  # not hidden code
        if block.heading and following is not None and following.heading not in (1, 2):
            # a heading goes with what it introduces: all of it when that is short, else its start
            whole = following.height <= ROOM_PX / 2 or _split(following.html, ROOM_PX) is None
            need += following.height if whole else 3 * _LINE_PX
        if current and block.height > 0 and used + need > ROOM_PX:
            room = ROOM_PX - used
            split = _split(block.html, room) if not block.heading and room >= 3 * _LINE_PX else None
            if split is not None:
                head, tail = split
                current.append(head)
                queue.insert(index, _Block(tail, _estimate(tail)))
                next_slide()
                continue
            next_slide()
        current.append(block.html)
        used += block.height
    if current:
        slides.append(current)
    return slides


def default_catalog() -> Catalog:
    """The sources a deck can name without being told: the built-in ones and the clinic template's
    example source, which notebook 07 teaches with (the template shipped with the package)."""
    from ..catalog import CatalogError, ContentText, load_catalog
    from ..clinic import template_text

    try:
        return load_catalog(ContentText("clinician_stretch.toml", template_text()))
    except CatalogError:  # a template being edited must not stop a deck: the built-in sources still serve
        return load_catalog()


def notebook_to_slides(path: str | Path, title: str | None = None, *, catalog: Catalog | None = None) -> str:
    """The deck as one self-contained HTML string. Raises ValueError for a file that is not a notebook.

    ``catalog`` names the sources the notebook cites (:func:`default_catalog` when not given; pass one
    loaded with a clinic's own file for its own source ids). An id it does not know is left as it is.
    """
    import nbformat

    source = Path(path)
    try:
        notebook = nbformat.read(source, as_version=4)
    except FileNotFoundError:
        raise ValueError(f"{source}: no such notebook") from None
    except Exception as error:
        raise ValueError(f"{source}: not a readable notebook ({type(error).__name__})") from None
    if catalog is None:
        catalog = default_catalog()
    blocks: list[_Block] = []
    for number, cell in enumerate(notebook.cells, 1):
        if cell.cell_type == "markdown":
            blocks += _blocks(_markdown("".join(cell.source)))
        elif cell.cell_type == "code":
            code = f'<pre class="code">{html.escape("".join(cell.source))}</pre>'
            blocks.append(_Block(code, 0.0))  # hidden until "Show code"
            for part in _outputs(cell, f"{source.name}, cell {number}"):
                blocks += _blocks(part)
    citations = _Citations(catalog)
    blocks = [_Block(citations(b.html), b.height, b.heading, b.title) for b in _without_references(blocks)]
    blocks += _references_blocks(list(citations.cited.values()))
    slides = _paginate(blocks)
    name = html.escape(title or source.stem.replace("_", " "))
    body = "\n".join(
        f'<section class="slide" aria-roledescription="slide">{"".join(s)}</section>' for s in slides if s
    )
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{name}</title><style>{STYLE}</style></head><body>\n{body}\n"
        '<nav><button id="prev" type="button">◀ Back</button><span id="counter" aria-live="polite"></span>'
        '<button id="next" type="button">Next ▶</button>'
        '<button id="code" type="button">Show code</button></nav>'
        f"<script>{SCRIPT}</script></body></html>\n"
    )
