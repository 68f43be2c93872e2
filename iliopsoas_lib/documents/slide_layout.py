"""How a deck's content is cut into slides that each fit one projector screen, without scrolling.

Each ``#`` or ``##`` heading starts a section; a section too long for one screen is split into several
slides, between blocks (paragraphs, lists, pictures, headings; a long list or printed text between its
lines), by an estimate of each block's height at :data:`SCREEN` size, and a continued slide says which
section it continues. A heading is never left alone at the bottom of a slide.

The estimate and :data:`STYLE` (the deck's CSS) describe one layout, so they live here together: change
a size in one and the other must follow. :mod:`.slides` writes the deck's HTML around the slides.
"""

from __future__ import annotations

import html
import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from html.parser import HTMLParser

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

# -- blocks and their height --------------------------------------------------------------------------


@dataclass
class Block:
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


def estimate(fragment: str) -> float:
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

        heights: list[float] = [_lines(html.unescape(line), _PRE_CHARS) * _PRE_LINE_PX for line in lines]
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


def pieces(fragment: str, room: float) -> list[str]:
    """A block taller than ``room`` cut into parts that each fit; a block that cannot be cut stays whole."""
    return _runs(fragment, room, room) if estimate(fragment) > room else [fragment]


def _list_html(name: str, attrs: str, start: int, items: list[str]) -> str:
    begin = f' start="{start}"' if name == "ol" and start != 1 else ""
    return f"<{name}{attrs}{begin}>\n" + "\n".join(items) + f"\n</{name}>"


def fragment_blocks(fragment: str) -> list[Block]:
    """A rendered fragment as blocks, each small enough for one slide."""
    found = []
    for part in _top_level(fragment):
        for piece in pieces(part, ROOM_PX - 60):
            heading = re.match(r"<h([1-6])\b", piece)
            level = int(heading.group(1)) if heading else 0
            if not level and re.fullmatch(r"<p><strong>[^<]{1,80}</strong></p>", piece.strip()):
                level = 9  # a bold line that introduces what follows ("**How to do it**")
            found.append(Block(piece, estimate(piece), level, _words(piece) if level else ""))
    return found


def paginate(blocks: list[Block]) -> list[list[str]]:
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
                queue.insert(index, Block(tail, estimate(tail)))
                next_slide()
                continue
            next_slide()
        current.append(block.html)
        used += block.height
    if current:
        slides.append(current)
    return slides


__all__ = [
    "PICTURE_MAX_PX",
    "ROOM_PX",
    "SCREEN",
    "STYLE",
    "Block",
    "estimate",
    "fragment_blocks",
    "paginate",
    "pieces",
]
