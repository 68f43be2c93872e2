"""An anywidget's browser code as the page receives it: the source files without their comments.

An anywidget sends its ESM and CSS *as widget state* on every visit, and the page's widget state has a
budget (issue 12: at most 50 KB). The files keep their comments, which explain the design to a reader;
the copy sent to a phone leaves out whole-line comments, end-of-line comments set off by two spaces,
and indentation. This is deliberately simple, not a minifier: it only removes what cannot be code, so
keep ``//`` out of string literals that follow two spaces (URLs in this project's code are built, not
written inline).
"""

from __future__ import annotations

import re
from pathlib import Path

_LINE_COMMENT = re.compile(r"^\s*(//|/\*\*?.*\*/\s*$)")
_TRAILING_COMMENT = re.compile(r"\s{2,}//\s.*$")
_CSS_COMMENT = re.compile(r"/\*.*?\*/", re.S)


def compact_js(path: Path) -> str:
    """The ES module at ``path`` without comment lines, end-of-line comments and indentation."""
    lines = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if _LINE_COMMENT.match(line):
            continue
        line = _TRAILING_COMMENT.sub("", line).strip()
        if line:
            lines.append(line)
    return "\n".join(lines) + "\n"


def compact_css(path: Path) -> str:
    """The stylesheet at ``path`` without comments and with runs of white space made single spaces."""
    text = _CSS_COMMENT.sub("", path.read_text(encoding="utf-8"))
    return re.sub(r"\s+", " ", text).strip() + "\n"
