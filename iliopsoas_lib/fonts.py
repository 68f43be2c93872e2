"""The fonts every printed word goes through: which font files, which font for each run of text, Arabic
and Hebrew shaped and laid right to left, and the characters no font can draw.

A patient's name is typed by a clinician in any script ("Zoë Nguyễn 李雷 محمد"). The 14 standard PDF fonts
draw none of it beyond Western Europe, and a PDF viewer shows a box for the rest, silently. So the handout
and its pictures use embedded TrueType fonts from Debian packages whose licences allow embedding (SIL OFL
and Apache-2.0; see :data:`FACES`), and the text is split into runs, each in the first font that has all
its characters (font fallback by glyph coverage). A character none of them has is named in a
:class:`MissingGlyphWarning`, so the clinician hears of it before the patient sees a box.

Right-to-left text: reportlab lays glyphs left to right and does not join Arabic letters by itself
(its own right-to-left support needs ``rlbidi``, which is not on PyPI). So an RTL run is shaped here
(``arabic-reshaper`` picks each letter's joined form from Unicode's presentation forms) and put in display
order (``python-bidi``, the Unicode bidirectional algorithm). Copy-paste and text extraction must still give
the name as typed: a joined form's glyph is mapped back to its plain letter in the PDF's ToUnicode table
(:class:`LogicalTTFont`), and readers (pypdf, poppler) put a right-to-left run back in reading order.
The limit: a right-to-left passage is ordered as one line, so one that wraps over several lines reads
its lines in the wrong order (names and short phrases, the usual case, fit on a line).

Only this module knows font files; :mod:`iliopsoas_lib.documents.handout` and the figures ask it.
"""

from __future__ import annotations

import importlib.util
import unicodedata
import warnings
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from xml.sax.saxutils import escape

#: The Debian packages that hold the fonts (scripts/test.sh and scripts/start.sh install them).
DEBIAN_PACKAGES = ("fonts-noto-core", "fonts-droid-fallback", "fonts-dejavu-core")


@dataclass(frozen=True)
class FontFace:
    """One typeface in the fallback list: reportlab names and the files tried for its regular and bold.

    ``bold`` may list no file (the CJK fallback has no bold): its regular is used for bold runs then.
    """

    name: str
    family: str
    regular: tuple[str, ...]
    bold: tuple[str, ...] = ()
    covers: str = ""

    @property
    def bold_name(self) -> str:
        return f"{self.name}-Bold" if self.bold_path else self.name

    @property
    def regular_path(self) -> Path | None:
        return _first_file(self.regular)

    @property
    def bold_path(self) -> Path | None:
        return _first_file(self.bold)


_NOTO = "/usr/share/fonts/truetype/noto/"
_DEJAVU = "/usr/share/fonts/truetype/dejavu/"


def _matplotlib_font(name: str) -> str:
    """matplotlib ships DejaVu Sans: the last fallback when no Debian font package is installed.

    Found by where matplotlib is installed, without importing it: the documents need its font file, not
    the plotting library (the model layer never imports views; tests/test_layers.py)."""
    spec = importlib.util.find_spec("matplotlib")
    if spec is None or spec.origin is None:  # pragma: no cover - matplotlib is a dependency
        return ""
    return str(Path(spec.origin).parent / "mpl-data" / "fonts" / "ttf" / name)


#: The fallback list, in order: each run of text takes the first face that draws all of it.
#: Noto Sans: Latin (with Vietnamese), Greek, Cyrillic; SIL Open Font License 1.1 (fonts-noto-core).
#: Noto Sans Arabic and Hebrew: the same licence and package. Droid Sans Fallback: Chinese, Japanese,
#: Korean, Apache License 2.0 (fonts-droid-fallback; TrueType, unlike fonts-noto-cjk's CFF collections,
#: which reportlab cannot embed). DejaVu Sans: symbols and more scripts, a free licence that allows
#: embedding (fonts-dejavu-core, also shipped inside matplotlib).
FACES: tuple[FontFace, ...] = (
    FontFace(
        "IlioSans",
        "Noto Sans",
        (_NOTO + "NotoSans-Regular.ttf",),
        (_NOTO + "NotoSans-Bold.ttf",),
        "Latin, Vietnamese, Greek, Cyrillic",
    ),
    FontFace(
        "IlioArabic",
        "Noto Sans Arabic",
        (_NOTO + "NotoSansArabic-Regular.ttf",),
        (_NOTO + "NotoSansArabic-Bold.ttf",),
        "Arabic",
    ),
    FontFace(
        "IlioHebrew",
        "Noto Sans Hebrew",
        (_NOTO + "NotoSansHebrew-Regular.ttf",),
        (_NOTO + "NotoSansHebrew-Bold.ttf",),
        "Hebrew",
    ),
    FontFace(
        "IlioCJK",
        "Droid Sans Fallback",
        (
            "/usr/share/fonts-droid-fallback/truetype/DroidSansFallback.ttf",
            "/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf",
        ),
        (),
        "Chinese, Japanese, Korean",
    ),
    FontFace(
        "IlioDejaVu",
        "DejaVu Sans",
        (_DEJAVU + "DejaVuSans.ttf", _matplotlib_font("DejaVuSans.ttf")),
        (_DEJAVU + "DejaVuSans-Bold.ttf", _matplotlib_font("DejaVuSans-Bold.ttf")),
        "symbols and other scripts",
    ),
)


@cache
def _first_file(candidates: tuple[str, ...]) -> Path | None:
    """The first of ``candidates`` that exists; remembered, as it is asked for every character drawn."""
    for candidate in candidates:
        if candidate and Path(candidate).is_file():
            return Path(candidate)
    return None


class MissingGlyphWarning(UserWarning):
    """Some characters cannot be drawn by any of the fonts: they would print as boxes.

    ``characters`` lists them (each once, in the order met); the message names each with its code point,
    e.g. ``U+10FFFD``, so a clinician can find it in what they typed.
    """

    def __init__(self, characters: Iterable[str], where: str = "the handout") -> None:
        self.characters = list(dict.fromkeys(characters))
        named = ", ".join(describe(c) for c in self.characters)
        super().__init__(f"{where}: no font can draw {named}; it prints as a box. Check the spelling.")


def describe(char: str) -> str:
    """A character as a clinician can find it: the character itself, its code point and its name."""
    name = unicodedata.name(char, "")
    shown = repr(char) if char.isprintable() else "an invisible character"
    return f"{shown} (U+{ord(char):04X}{' ' + name if name else ''})"


def available_faces() -> tuple[FontFace, ...]:
    """The faces whose regular file is installed, in fallback order."""
    return tuple(face for face in FACES if face.regular_path is not None)


@cache
def _coverage(path: Path) -> frozenset[int]:
    """The code points a font file maps to glyphs (its cmap), read with fontTools."""
    from fontTools.ttLib import TTFont

    with TTFont(str(path), lazy=True) as font:
        return frozenset(font.getBestCmap() or {})


def _needs_no_glyph(char: str) -> bool:
    """Line breaks, tabs and invisible format marks (bidi marks, zero-width joiners): nothing to draw."""
    return unicodedata.category(char) in ("Cc", "Cf")


def face_for(char: str) -> FontFace | None:
    """The first face that draws ``char``; None when none does."""
    for face in available_faces():
        path = face.regular_path
        if path is not None and ord(char) in _coverage(path):
            return face
    return None


def missing_characters(text: str) -> list[str]:
    """The characters of ``text`` that no installed font can draw, each once, in the order met.

    Right-to-left text is checked as it will be drawn (Arabic letters in their joined forms).
    """
    drawn = display_text(text)
    return list(dict.fromkeys(c for c in drawn if not _needs_no_glyph(c) and face_for(c) is None))


def is_rtl(char: str) -> bool:
    return unicodedata.bidirectional(char) in ("R", "AL")


def display_text(text: str) -> str:
    """``text`` as it is laid out left to right: Arabic letters joined, right-to-left runs reversed (in
    a left-to-right line).

    Text with no right-to-left letter comes back unchanged. Each line is ordered on its own, so the line
    breaks of a clinician's note stay where they were typed.
    """
    if not any(is_rtl(c) for c in text):
        return text
    import arabic_reshaper
    from bidi import get_display

    # Base direction left to right: the handout and the pictures are English pages, so a name or phrase
    # in Arabic or Hebrew is a right-to-left run inside a left-to-right line ("For: <name>").
    return "\n".join(get_display(arabic_reshaper.reshape(line), base_dir="L") for line in text.split("\n"))


def runs(text: str) -> Iterator[tuple[FontFace | None, str]]:
    """``text`` (already in display order) cut into runs that one face draws; None for undrawable ones.

    A space or punctuation mark that the current face also has stays in its run, so a line is cut into
    as few runs as possible.
    """
    current: FontFace | None = None
    chunk = ""
    for char in text:
        if _needs_no_glyph(char) and char != "\n":
            continue
        face = current if current is not None and _draws(current, char) else face_for(char)
        if face is not current and chunk:
            yield current, chunk
            chunk = ""
        current = face
        chunk += char
    if chunk:
        yield current, chunk


def _draws(face: FontFace, char: str) -> bool:
    path = face.regular_path
    return char == "\n" or (path is not None and ord(char) in _coverage(path))


class TextMarkup:
    """Turns plain text into reportlab paragraph markup with a font per run, and remembers what it could
    not draw, so a whole document's problems are reported once (:meth:`warn`)."""

    def __init__(self) -> None:
        self.missing: list[str] = []
        self.primary = register_pdf_fonts()

    def __call__(self, text: str, *, bold: bool = False, keep_lines: bool = False) -> str:
        """Markup for ``text``: escaped, each run in its face (bold if asked). ``keep_lines`` turns line
        breaks into ``<br/>`` (a clinician's notes); otherwise they are spaces, as in any paragraph."""
        out: list[str] = []
        for face, chunk in runs(display_text(text)):
            if face is None:
                self.missing += [c for c in chunk if c != "\n"]
                face = self.primary  # drawn as the primary font's box, and reported by warn()
            words = escape(chunk)
            words = words.replace("\n", "<br/>" if keep_lines else " ")
            name = face.bold_name if bold else face.name
            out.append(f'<font name="{name}">{words}</font>')
        return "".join(out)

    def warn(self, where: str = "the handout", stacklevel: int = 3) -> list[str]:
        """Issue one :class:`MissingGlyphWarning` naming every undrawable character seen; return them."""
        missing = list(dict.fromkeys(self.missing))
        if missing:
            warnings.warn(MissingGlyphWarning(missing, where), stacklevel=stacklevel)
        return missing


@cache
def register_pdf_fonts() -> FontFace:
    """Register every installed face (regular and bold) with reportlab; return the primary face.

    Registering reads the font file's tables (Droid Sans Fallback is 4 MB); the glyphs are embedded only
    as a subset of those the document uses, reportlab's default for TrueType.
    """
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.pdfmetrics import registerFontFamily

    faces = available_faces()
    if not faces:  # pragma: no cover - matplotlib's DejaVu Sans is always there
        raise RuntimeError(f"no font found: install the Debian packages {' '.join(DEBIAN_PACKAGES)}")
    for face in faces:
        pdfmetrics.registerFont(LogicalTTFont(face.name, str(face.regular_path)))
        if face.bold_path is not None:
            pdfmetrics.registerFont(LogicalTTFont(face.bold_name, str(face.bold_path)))
        registerFontFamily(
            face.name, normal=face.name, bold=face.bold_name, italic=face.name, boldItalic=face.bold_name
        )
    return faces[0]


def _to_unicode(code: int) -> str:
    """What one glyph means as text: a joined Arabic form (a presentation form) means its plain letter(s),
    so a name reads back as typed; any other character means itself. As UTF-16 hex, as a CMap wants."""
    char = chr(code)
    if 0xFB1D <= code <= 0xFDFF or 0xFE70 <= code <= 0xFEFF:
        char = unicodedata.normalize("NFKC", char) or char
    return char.encode("utf-16-be").hex().upper()


def _make_to_unicode_cmap(fontname: str, subset: list[int]) -> str:
    """reportlab's ToUnicode CMap, with :func:`_to_unicode` for each code (also right for characters
    beyond U+FFFF, which need a UTF-16 surrogate pair)."""
    lines = [
        "/CIDInit /ProcSet findresource begin",
        "12 dict begin",
        "begincmap",
        "/CIDSystemInfo",
        f"<< /Registry ({fontname})",
        f"/Ordering ({fontname})",
        "/Supplement 0",
        ">> def",
        f"/CMapName /{fontname} def",
        "/CMapType 2 def",
        "1 begincodespacerange",
        f"<00> <{len(subset) - 1:02X}>",
        "endcodespacerange",
        f"{len(subset)} beginbfchar",
        *(f"<{i:02X}> <{_to_unicode(code)}>" for i, code in enumerate(subset)),
        "endbfchar",
        "endcmap",
        "CMapName currentdict /CMap defineresource pop",
        "end",
        "end",
    ]
    return "\n".join(lines)


def _logical_ttfont_class() -> type:
    """Build :class:`LogicalTTFont` on first use, so importing this module does not import reportlab."""
    from reportlab.pdfbase import pdfdoc, ttfonts

    class _LogicalTTFont(ttfonts.TTFont):
        """reportlab's TrueType font whose ToUnicode table maps joined Arabic forms to plain letters.

        The body is reportlab's own ``addObjects`` (5.x) with the CMap made by
        :func:`_make_to_unicode_cmap`; the font objects, subsetting and embedding are unchanged.
        """

        def addObjects(self, doc):
            try:
                state = self.state[doc]
            except KeyError:
                state = self.state[doc] = ttfonts.TTFont.State(self._asciiReadable)
            state.frozen = 1
            for n, subset in enumerate(state.subsets):
                internal_name = self.getSubsetInternalName(n, doc)[1:]
                base = b"".join((ttfonts.SUBSETN(n), b"+", self.face.name, self.face.subfontNameX))
                base_font_name = base.decode("pdfdoc")
                pdf_font = pdfdoc.PDFTrueTypeFont()
                pdf_font.__Comment__ = f"Font {self.fontName} subset {n}"
                pdf_font.Name = internal_name
                pdf_font.BaseFont = base_font_name
                pdf_font.FirstChar = 0
                pdf_font.LastChar = len(subset) - 1
                pdf_font.Widths = pdfdoc.PDFArray(list(map(self.face.getCharWidth, subset)))
                cmap_stream = pdfdoc.PDFStream()
                cmap_stream.content = _make_to_unicode_cmap(base_font_name, subset)
                if doc.compression:
                    cmap_stream.filters = [pdfdoc.PDFZCompress]
                pdf_font.ToUnicode = doc.Reference(cmap_stream, "toUnicodeCMap:" + base_font_name)
                pdf_font.FontDescriptor = self.face.addSubsetObjects(doc, base_font_name, subset)
                doc.Reference(pdf_font, internal_name)
                doc.idToObject["BasicFonts"].dict[internal_name] = pdf_font
            del self.state[doc]

    return _LogicalTTFont


def LogicalTTFont(name: str, path: str):
    """A reportlab TrueType font (subset-embedded) that reads back Arabic names as typed."""
    return _cached_class()(name, path)


@cache
def _cached_class() -> type:
    return _logical_ttfont_class()


__all__ = [
    "DEBIAN_PACKAGES",
    "FACES",
    "FontFace",
    "LogicalTTFont",
    "MissingGlyphWarning",
    "TextMarkup",
    "available_faces",
    "describe",
    "display_text",
    "face_for",
    "missing_characters",
    "register_pdf_fonts",
    "runs",
]
