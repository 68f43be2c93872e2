"""An offline slide deck of a notebook, for teaching a class: one HTML file that works from disk with no
network (no CDN, no fonts, no scripts fetched): styles, pictures and a few lines of navigation inline.

Made to be projected: every slide fits one 1280 x 800 screen (a common projector) without scrolling;
how sections are cut into slides is :mod:`.slide_layout`'s job, this module writes the deck. Pictures
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
:func:`iliopsoas_lib.presentation.text.to_html` (raw HTML escaped, pictures only from inside the
file, no script links), printed text is escaped, ``text/html`` outputs are never pasted (their
``text/plain`` is shown instead), and a PNG output is decoded, opened and re-encoded with Pillow before it
is embedded: data that is not a picture (``x" onerror="...``) is left out with a :class:`SlideWarning`.
"""

from __future__ import annotations

import base64
import binascii
import html
import io
import re
import warnings
from pathlib import Path
from typing import TYPE_CHECKING

from ..presentation.text import to_html
from .slide_layout import ROOM_PX, STYLE, Block, estimate, fragment_blocks, paginate, pieces

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


class SlideWarning(UserWarning):
    """Something in the notebook was left out of the deck (e.g. a picture that is not a picture)."""


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

#: A link as :func:`iliopsoas_lib.presentation.text.to_html` writes it (its address already escaped, no
#: nested links).
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


class BadPicture(ValueError):
    """A notebook's picture output that is not a readable PNG image."""


def png_picture(data: object) -> str:
    """A notebook's ``image/png`` output as clean base64 PNG (see :func:`png_picture_and_size`)."""
    return png_picture_and_size(data)[0]


def _fits_a_slide(width: int, height: int) -> str | None:
    return f"is {width} x {height} pixels, too large" if width * height > MAX_PICTURE_PIXELS else None


def png_picture_and_size(data: object) -> tuple[str, tuple[int, int]]:
    """A notebook's ``image/png`` output (base64 text, or a list of its lines) as clean base64 PNG.

    The bytes are decoded, opened with Pillow and written again as a fresh PNG, so what lands in
    ``src="data:image/png;base64,..."`` is always an image Pillow drew itself: base64 text only, never
    a quote or markup from the notebook, and no chunks of the original file. Raises :class:`BadPicture`
    saying why when it is not one. The size is the picture's, in pixels.
    """
    from ..stretch_picture import PictureError, open_picture

    text = _joined(data)
    if text is None:
        raise BadPicture(f"expected base64 text, found {type(data).__name__}")
    try:
        raw = base64.b64decode(re.sub(r"\s+", "", text), validate=True)
    except (binascii.Error, ValueError):
        raise BadPicture("not base64 data") from None
    try:
        image = open_picture(raw, ("PNG",), _fits_a_slide)
    except PictureError as error:
        raise BadPicture(f"the picture {error}") from None
    with image:
        width, height = image.size
        try:
            drawn = image if image.mode in PNG_MODES else image.convert("RGBA")
            out = io.BytesIO()
            drawn.save(out, format="PNG")
        except Exception as error:  # as in open_picture: any failure means this picture is left out
            raise BadPicture(f"the picture could not be redrawn ({type(error).__name__})") from None
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
            given = h if isinstance(h, int) and not isinstance(h, bool) and 0 < h <= height else None
            shown_h = given or max(1, round(height * w / width))
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


def _is_references(block: Block) -> bool:
    return block.heading in (1, 2, 3) and block.title.strip().lower() in {"references", "reference"}


def _without_references(blocks: list[Block]) -> list[Block]:
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


def _references_blocks(sources: list[Source]) -> list[Block]:
    if not sources:
        return []
    heading = "<h2>References</h2>"
    items = "".join(
        f"<li><strong>{html.escape(source_label(s))}:</strong> {html.escape(s.citation())}</li>"
        for s in sources
    )
    blocks = [Block(heading, estimate(heading), 2, "References")]
    for piece in pieces(f'<ol class="references">{items}</ol>', ROOM_PX - 60):
        blocks.append(Block(piece, estimate(piece)))
    return blocks


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
    blocks: list[Block] = []
    for number, cell in enumerate(notebook.cells, 1):
        if cell.cell_type == "markdown":
            blocks += fragment_blocks(_markdown("".join(cell.source)))
        elif cell.cell_type == "code":
            code = f'<pre class="code">{html.escape("".join(cell.source))}</pre>'
            blocks.append(Block(code, 0.0))  # hidden until "Show code"
            for part in _outputs(cell, f"{source.name}, cell {number}"):
                blocks += fragment_blocks(part)
    citations = _Citations(catalog)
    blocks = [Block(citations(b.html), b.height, b.heading, b.title) for b in _without_references(blocks)]
    blocks += _references_blocks(list(citations.cited.values()))
    slides = paginate(blocks)
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
