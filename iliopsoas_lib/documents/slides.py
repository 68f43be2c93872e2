"""An offline slide deck of a notebook, for teaching a class: one HTML file that works from disk with no
network (no CDN, no fonts, no scripts fetched): styles, pictures and a few lines of navigation inline.

Each ``#`` or ``##`` heading starts a slide. Prose, printed results, tables and figures are shown; code
is hidden (a "Show code" button reveals it), and interactive widgets are replaced by a note, because a
file on disk has no kernel to run them.
"""

from __future__ import annotations

import html
from pathlib import Path

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
    import mistune

    return str(mistune.create_markdown(escape=True, plugins=["table", "strikethrough"])(text))


def _outputs(cell: dict) -> list[str]:
    parts = []
    for output in cell.get("outputs", []):
        data = output.get("data", {})
        if output.get("output_type") == "stream":
            parts.append(f"<pre>{html.escape(''.join(output.get('text', '')))}</pre>")
        elif "application/vnd.jupyter.widget-view+json" in data:
            parts.append('<p class="widget-note">(An interactive part: open the notebook to use it.)</p>')
        elif "image/png" in data:
            png = "".join(data["image/png"]).replace("\n", "")
            parts.append(f'<img alt="figure" src="data:image/png;base64,{png}">')
        elif "text/markdown" in data:
            parts.append(_markdown("".join(data["text/markdown"])))
        elif "text/plain" in data and output.get("output_type") == "execute_result":
            parts.append(f"<pre>{html.escape(''.join(data['text/plain']))}</pre>")
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
    for cell in notebook.cells:
        if cell.cell_type == "markdown":
            text = "".join(cell.source)
            if text.lstrip().startswith(("# ", "## ")) and slides[-1]:
                slides.append([])
            slides[-1].append(_markdown(text))
        elif cell.cell_type == "code":
            slides[-1].append(f'<pre class="code">{html.escape("".join(cell.source))}</pre>')
            slides[-1].extend(_outputs(cell))
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
