"""An offline slide deck of a notebook, for teaching a class: one HTML file that works from disk with no
network (no CDN, no fonts, no scripts fetched): styles, pictures and a few lines of navigation inline.

Each ``#`` or ``##`` heading starts a slide. Prose, printed results, tables and figures are shown; code
is hidden (a "Show code" button reveals it), and interactive widgets are replaced by a note, because a
file on disk has no kernel to run them.

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
import re
import warnings
from pathlib import Path

from ..text import to_html

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


STYLE = """
body { margin: 0; font-family: system-ui, sans-serif; background: #f4f7fa; color: #1a1a1a; }
.slide { display: none; box-sizing: border-box; min-height: 100vh; padding: 3vh 6vw 12vh; font-size: 1.35rem;
  line-height: 1.5; background: white; }
.slide.current { display: block; }
.slide h1 { font-size: 2.4rem; color: #005a8c; } .slide h2 { font-size: 2rem; color: #005a8c; }
.slide img { max-width: 100%; max-height: 60vh; }
.slide pre { background: #f2f2f2; padding: 0.6rem; overflow-x: auto; font-size: 1rem; white-space: pre-wrap; }
.slide table { border-collapse: collapse; }
.slide td, .slide th { border: 1px solid #bbb; padding: 0.2rem 0.5rem; }
.code { display: none; } body.show-code .code { display: block; }
.widget-note { font-style: italic; color: #555; }
nav { position: fixed; bottom: 0; left: 0; right: 0; display: flex; gap: 1rem; justify-content: center;
  align-items: center; padding: 0.6rem; background: #e8eef4; font-size: 1.1rem; }
nav button { font-size: 1.1rem; padding: 0.4rem 1rem; }
"""

SCRIPT = """
const slides = Array.from(document.querySelectorAll('.slide'));
const counter = document.getElementById('counter');
let current = 0;
function show(n) {
  current = Math.max(0, Math.min(slides.length - 1, n));
  slides.forEach((s, i) => s.classList.toggle('current', i === current));
  counter.textContent = `${current + 1} / ${slides.length}`;
  history.replaceState(null, '', '#' + (current + 1));
}
document.getElementById('prev').onclick = () => show(current - 1);
document.getElementById('next').onclick = () => show(current + 1);
document.getElementById('code').onclick = () => document.body.classList.toggle('show-code');
document.addEventListener('keydown', (e) => {
  if (['ArrowRight', 'PageDown', ' '].includes(e.key)) { e.preventDefault(); show(current + 1); }
  if (['ArrowLeft', 'PageUp'].includes(e.key)) { e.preventDefault(); show(current - 1); }
  if (e.key === 'Home') show(0);
  if (e.key === 'End') show(slides.length - 1);
});
show((parseInt(location.hash.slice(1), 10) || 1) - 1);
"""


def _markdown(text: str) -> str:
    return to_html(text, plugins=MARKDOWN_PLUGINS)


def _joined(value: object) -> str | None:
    """A notebook's multi-line text (a string, or a list of its lines) as one string; None if it is
    neither, as a hand-made notebook may have it (it is then left out, never a crash)."""
    if isinstance(value, str):
        return value
    if isinstance(value, list) and all(isinstance(line, str) for line in value):
        return "".join(value)
    return None


class BadPicture(ValueError):
    """A notebook's picture output that is not a readable PNG image."""


def png_picture(data: object) -> str:
    """A notebook's ``image/png`` output (base64 text, or a list of its lines) as clean base64 PNG.

    The bytes are decoded, opened with Pillow and written again as a fresh PNG, so what lands in
    ``src="data:image/png;base64,..."`` is always an image Pillow drew itself: base64 text only, never
    a quote or markup from the notebook, and no chunks of the original file. Raises :class:`BadPicture`
    saying why when it is not one.
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
    return base64.b64encode(out.getvalue()).decode("ascii")


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
                png = png_picture(data["image/png"])
            except BadPicture as error:
                warnings.warn(
                    f"{where}: a picture (image/png output) was left out of the slides: {error}",
                    SlideWarning,
                    stacklevel=3,
                )
                parts.append(PICTURE_LEFT_OUT)
            else:
                parts.append(f'<img alt="figure" src="data:image/png;base64,{png}">')
        elif "text/markdown" in data:
            parts.append(_markdown(_joined(data["text/markdown"]) or ""))
        elif "text/plain" in data and output.get("output_type") == "execute_result":
            # Never the text/html beside it: a notebook's HTML could carry script or fetch from afar.
            parts.append(f"<pre>{html.escape(_joined(data['text/plain']) or '')}</pre>")
    return parts


def notebook_to_slides(path: str | Path, title: str | None = None) -> str:
    """The deck as one self-contained HTML string. Raises ValueError for a file that is not a notebook."""
    import nbformat

    source = Path(path)
    try:
        notebook = nbformat.read(source, as_version=4)
    except FileNotFoundError:
        raise ValueError(f"{source}: no such notebook") from None
    except Exception as error:
        raise ValueError(f"{source}: not a readable notebook ({type(error).__name__})") from None
    slides: list[list[str]] = [[]]
    for number, cell in enumerate(notebook.cells, 1):
        if cell.cell_type == "markdown":
            text = "".join(cell.source)
            if text.lstrip().startswith(("# ", "## ")) and slides[-1]:
                slides.append([])
            slides[-1].append(_markdown(text))
        elif cell.cell_type == "code":
            slides[-1].append(f'<pre class="code">{html.escape("".join(cell.source))}</pre>')
            slides[-1].extend(_outputs(cell, f"{source.name}, cell {number}"))
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
