"""A printable home-exercise handout (PDF) for a patient: the signs that mean "stop and get help", the
health answers, the routine, each stretch in full (pose, steps with this patient's dose, what to feel,
mistakes, getting in and out, who should skip it), a tick-box week chart, and the references.

Safety comes first on page 1 (the red flags box, then what the health answers mean), because a patient
may never read past it. Facts carry short labels ("Lindberg; our advice"), never raw source ids; the
references at the end pair each label with its full citation. Numbers come only from the routine: the
steps are filled in with each item's dose, and guidelines that state numbers of their own ("20 to 30
seconds") are left out, so a clinician's 60 s is never printed beside a different figure.

Made offline with reportlab as real text (not pictures of text), so screen readers and copy-paste work.
Every word goes through :mod:`iliopsoas_lib.fonts`: embedded TrueType fonts chosen run by run, so a name in
any script prints (Arabic and Hebrew shaped, right to left); a character no font has is reported in a
:class:`~iliopsoas_lib.fonts.MissingGlyphWarning`, never printed as a silent box.
The patient's name and the clinician's notes are only placed in the PDF: nothing is stored.
Output is byte-for-byte repeatable (reportlab's invariant mode), which keeps tests and docs stable.
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from ..catalog import Catalog
from ..fonts import MissingGlyphWarning, TextMarkup
from ..limits import DEFAULT_HANDOUT_WEEKS, DEFAULT_SESSIONS_PER_WEEK, HANDOUT_WEEKS, SESSIONS_PER_WEEK
from ..presentation.text import DOSE_LABELS, DOSE_MEANING, PatientCitations, dosage_words
from ..routine import EmptyRoutineError, Routine, RoutineItem
from ..routine_words import minutes_text

if TYPE_CHECKING:  # pragma: no cover
    from reportlab.platypus import Flowable, ListFlowable, Paragraph

    from ..schema import LimitRule

PAGE_SIZES = ("A4", "Letter")

#: Shown when every health question was answered "no": the answers can change, so say what to do then.
ALL_NO = "You said no to every health question. If that changes, ask your clinician before you go on."

#: Under the QR code of a prescription link: what it is for, in one plain line.
SCAN_LINE = "Scan to open your stretches on your phone"

#: The handout's own closing words (everything else a patient reads comes from the content).
DISCLAIMER = "This is general advice, not a diagnosis. Stop if a stretch hurts and ask your clinician."


@dataclass(frozen=True)
class HandoutOptions:
    """What the clinician chooses; validated so a typo is a clear error, not a strange PDF."""

    page_size: str = "A4"
    large_print: bool = False
    patient_name: str = ""
    clinician_notes: str = ""
    sessions_per_week: int = DEFAULT_SESSIONS_PER_WEEK
    weeks: int = DEFAULT_HANDOUT_WEEKS
    #: The date printed at the top; None prints today's.
    made_on: date | None = None
    #: Who made the plan and how to reach them, printed under the patient's name.
    clinician: str = ""
    contact: str = ""
    #: A link to the shared dashboard with this routine (iliopsoas_lib.prescription): printed as a QR code
    #: and as text. It carries no personal data; the handout only draws it.
    prescription_url: str | None = None

    def __post_init__(self) -> None:
        if self.page_size not in PAGE_SIZES:
            raise ValueError(f"page_size: expected one of {', '.join(PAGE_SIZES)}, got {self.page_size!r}")
        SESSIONS_PER_WEEK.check(self.sessions_per_week, "sessions_per_week")
        HANDOUT_WEEKS.check(
            self.weeks, "weeks", "weeks: expected {low}-{high} weeks in the tick-box chart, got {value!r}"
        )
        if len(self.patient_name) > 200 or len(self.clinician_notes) > 5000:
            raise ValueError("patient name (200) or notes (5000 characters) too long for a handout")
        if len(self.clinician) > 200 or len(self.contact) > 300:
            raise ValueError("clinician (200) or contact (300 characters) too long for a handout")
        if self.prescription_url is not None and not 0 < len(self.prescription_url) <= 2000:
            raise ValueError("prescription_url: expected a link of 1 to 2000 characters")


def make_handout(
    routine: Routine,
    catalog: Catalog,
    options: HandoutOptions | None = None,
    **choices: object,
) -> bytes:
    """The handout as PDF bytes. Pass ``HandoutOptions`` or its fields as keywords.

    An empty routine raises :class:`~iliopsoas_lib.routine.EmptyRoutineError` with the routine's own
    reason (answer the health questions first, see a clinician first, or no stretch fits): a handout
    with a blank table would tell a patient nothing, or worse, suggest that nothing needs care.

    A character that no font can draw (a private-use code point, a script without a font here) still
    gives a handout, and one :class:`~iliopsoas_lib.fonts.MissingGlyphWarning` naming each such
    character: catch it with ``warnings.catch_warnings(record=True)`` to show it (the command line
    prints it), or turn it into an error with ``warnings.simplefilter("error", MissingGlyphWarning)``.
    """
    if not routine.items:
        raise EmptyRoutineError(
            f"the routine has no stretch, so there is no handout. {routine.empty_message}"
        )
    opts = options or HandoutOptions(**choices)  # type: ignore[arg-type]
    handout = _Handout(routine, catalog, opts)
    pdf = handout.build()
    handout.markup.warn("the handout", stacklevel=3)
    return pdf


__all__ = ["ALL_NO", "DISCLAIMER", "SCAN_LINE", "HandoutOptions", "MissingGlyphWarning", "make_handout"]


class _Handout:
    """One handout being laid out: the styles for its print size, and the sources its pages cite.

    Each method returns the flowables of one part, in reading order; ``cited`` collects the source ids
    printed beside facts, so the references list holds exactly those (and each label is explained).
    """

    def __init__(self, routine: Routine, catalog: Catalog, opts: HandoutOptions) -> None:
        from reportlab.lib import colors
        from reportlab.lib.pagesizes import A4, letter
        from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
        from reportlab.lib.units import mm

        self.routine, self.catalog, self.opts = routine, catalog, opts
        self.colors, self.mm = colors, mm
        self.page = A4 if opts.page_size == "A4" else letter
        self.margin = 18 * mm
        self.width = self.page[0] - 2 * self.margin
        self.size = size = 16 if opts.large_print else 11
        self.markup = TextMarkup()  # registers the fonts; collects what no font can draw
        regular, bold = self.markup.primary.name, self.markup.primary.bold_name
        self.font = regular
        base = getSampleStyleSheet()
        self.body = ParagraphStyle(
            "body", parent=base["BodyText"], fontName=regular, fontSize=size, leading=size * 1.35
        )
        self.small = ParagraphStyle("small", parent=self.body, fontSize=size - 2, leading=(size - 2) * 1.3)
        # Headings are kept with what follows them (keepWithNext), so none is left alone at a page foot.
        heading = {"fontName": bold, "keepWithNext": 1}
        self.h1 = ParagraphStyle(
            "h1", parent=base["Title"], fontSize=size * 1.9, leading=size * 2.2, **heading
        )
        self.h2 = ParagraphStyle(
            "h2", parent=base["Heading2"], fontSize=size * 1.35, leading=size * 1.7, **heading
        )
        self.h3 = ParagraphStyle(
            "h3", parent=base["Heading3"], fontSize=size * 1.15, leading=size * 1.5, **heading
        )
        self.alarm = ParagraphStyle(
            "alarm", parent=self.h2, textColor=colors.HexColor("#8b0000"), spaceBefore=0
        )
        self.cite = PatientCitations.of(catalog, link=False)
        self.cited: set[str] = set()
        self.answered = routine.abilities.conditions or frozenset()

    # -- building blocks -------------------------------------------------------------------------------

    def tag(self, sources: Iterable[str]) -> str:
        """The short labels for ``sources`` as grey markup, remembered for the references list."""
        sources = list(sources)
        self.cited.update(sources)
        labels = self.cite(sources)
        return f' <font color="#555555">{self.markup(labels)}</font>' if labels else ""

    def para(
        self, text: str, style: Any = None, *, label: str = "", note: str = "", keep_lines: bool = False
    ) -> Paragraph:
        """Plain text in the fonts that draw it (safe from reportlab's markup), with an optional bold
        label and a citation. ``keep_lines`` keeps the line breaks as typed (a clinician's notes)."""
        from reportlab.platypus import Paragraph

        style = style or self.body
        bold = style.fontName == self.markup.primary.bold_name
        lead = f"{self.markup(label, bold=True)} " if label else ""
        return Paragraph(f"{lead}{self.markup(text, bold=bold, keep_lines=keep_lines)}{note}", style)

    def fact(self, entry: Any, label: str = "") -> Paragraph:
        """A content fact (anything with ``text`` and ``sources``) with its short labels."""
        return self.para(entry.text, label=label, note=self.tag(entry.sources))

    def bullets(self, items: Iterable[Paragraph | str], numbered: bool = False) -> list[ListFlowable]:
        """One list flowable per item (numbering carried on), so a long list can break between items
        and a heading can be kept with just its first item instead of dragging the whole list over."""
        from reportlab.platypus import ListFlowable, ListItem

        indent = self.size * 1.4
        return [
            ListFlowable(
                [ListItem(item if not isinstance(item, str) else self.para(item), leftIndent=indent)],
                bulletType="1" if numbered else "bullet",
                start=str(n) if numbered else None,
                bulletFontName=self.font,
                bulletFontSize=self.size,
                leftIndent=indent,
            )
            for n, item in enumerate(items, 1)
        ]

    def section(self, title: str, items: list[ListFlowable], note: str = "") -> list[Flowable]:
        """A small heading kept on the same page as the first item it introduces."""
        from reportlab.platypus import KeepTogether

        return [KeepTogether([self.para(title, self.h3, note=note), *items[:1]]), *items[1:]]

    def table(self, rows: list[list[Any]], widths: list[float] | None, style: list[tuple]) -> Flowable:
        from reportlab.platypus import Table, TableStyle

        table = Table(rows, colWidths=widths, repeatRows=1)
        table.setStyle(TableStyle([("FONTNAME", (0, 0), (-1, -1), self.font), *style]))  # no Helvetica
        return table

    # -- the parts, in reading order -------------------------------------------------------------------

    def story(self) -> list[Flowable]:
        """Every part in reading order (also what tests measure: the tables' drawn sizes)."""
        from reportlab.platypus import Spacer

        opts, size = self.opts, self.size
        story: list[Flowable] = [self.para("Your iliopsoas stretches", self.h1)]
        if opts.patient_name:
            story.append(self.para(opts.patient_name, label="For:"))
        made_on = opts.made_on or date.today()
        story.append(self.para(made_on.isoformat(), label="Date:"))
        if opts.clinician:
            story.append(self.para(opts.clinician, label="Your clinician:"))
        if opts.contact:
            story.append(self.para(opts.contact, label="Contact:", keep_lines=True))
        story += self.what_is_the_iliopsoas()
        story.append(Spacer(1, size * 0.5))
        story += self.red_flags()
        if opts.clinician_notes:
            notes = self.para(opts.clinician_notes, keep_lines=True)  # their line breaks, as typed
            story += [self.para("Notes from your clinician", self.h3), notes]
        story += self.prescription_link()
        story += self.health_answers()
        story += self.routine_table()
        story += self.before_you_start()
        for n, item in enumerate(self.routine.items, 1):
            story += self.stretch(n, item)
        story += self.tick_chart()
        story += self.references()
        return story

    def build(self) -> bytes:
        from reportlab.platypus import SimpleDocTemplate

        story = self.story()
        out = io.BytesIO()
        doc = SimpleDocTemplate(
            out,
            pagesize=self.page,
            invariant=1,
            title="Iliopsoas stretches: home exercise handout",
            author="iliopsoas explainer",
            leftMargin=self.margin,
            rightMargin=self.margin,
            topMargin=16 * self.mm,
            bottomMargin=16 * self.mm,
        )
        doc.build(story, canvasmaker=_numbered_canvas(self.font, self.size - 2))
        return out.getvalue()

    def prescription_link(self) -> list[Flowable]:
        """The prescription link as a QR code with one plain line and the link under it (segno draws
        the code; it is vector art, sharp at any print size)."""
        from reportlab.lib.styles import ParagraphStyle
        from reportlab.platypus import KeepTogether

        url = self.opts.prescription_url
        if not url:
            return []
        side = 32 * self.mm * (1.25 if self.opts.large_print else 1.0)
        link = ParagraphStyle("link", parent=self.small, wordWrap="CJK")  # a long link breaks anywhere
        return [
            KeepTogether(
                [
                    _qr_flowable(url, side),
                    self.para(SCAN_LINE, self.body),
                    self.para(url, link),
                ]
            )
        ]

    def what_is_the_iliopsoas(self) -> list[Flowable]:
        """The muscle in everyday words under the title, so "iliopsoas" is never left unexplained."""
        term = self.catalog.glossary.get("iliopsoas")
        if term is None:  # a catalog without the built-in glossary entry
            return []
        label = f"What is the {term.term.lower()}?"
        return [self.para(term.meaning, label=label, note=self.tag(term.sources))]

    def red_flags(self) -> list[Flowable]:
        """The "stop and get help" box: the one thing every patient must see, even one who reads on no
        further, so it comes first, framed in red, with every sign and what to do."""
        from reportlab.platypus import Spacer

        out: list[Flowable] = []
        dark_red, pad = self.colors.HexColor("#8b0000"), self.size
        for flags in self.catalog.red_flags.values():
            inside = [
                self.para(flags.title, self.alarm),
                self.para(flags.intro),
                *self.bullets(self.para(sign.text, note=self.tag(sign.sources)) for sign in flags.signs),
                self.para(flags.action, label="What to do:", note=self.tag(flags.sources)),
            ]
            style = [
                ("BOX", (0, 0), (-1, -1), 2, dark_red),
                ("BACKGROUND", (0, 0), (-1, -1), self.colors.HexColor("#fdf0ef")),
                ("LEFTPADDING", (0, 0), (-1, -1), pad * 0.8),
                ("RIGHTPADDING", (0, 0), (-1, -1), pad * 0.8),
                ("TOPPADDING", (0, 0), (-1, -1), pad * 0.5),
                ("BOTTOMPADDING", (0, 0), (-1, -1), pad * 0.6),
            ]
            out += [self.table([[inside]], [self.width], style), Spacer(1, pad * 0.5)]
        return out

    def health_answers(self) -> list[Flowable]:
        """What each "yes" means for this patient (the routine's notes), or that every answer was no."""
        out: list[Flowable] = [self.para("Your health answers", self.h2)]
        if not self.routine.health:
            return [*out, self.para(ALL_NO)]
        notes: list[Paragraph | str] = [
            self.para(note, note=self.tag(screening.sources))
            for note, screening in zip(self.routine.health_notes, self.routine.health, strict=True)
        ]
        return out + self.bullets(notes)

    def routine_table(self) -> list[Flowable]:
        """The stretches with their dose and which dose it is, the time it takes, and what was left out."""
        from reportlab.platypus import KeepTogether, Spacer

        small = self.small
        rows: list[list[Any]] = [[self.para(h, small) for h in ("", "Stretch", "How much", "Dose")]]
        kinds: dict[str, list[str]] = {}
        for n, item in enumerate(self.routine.items, 1):
            kinds.setdefault(item.dose_kind, []).extend(item.dose_sources)
            words = dosage_words(item.hold_seconds, item.repetitions, item.per_side)
            name, dose = self.para(item.stretch.name), self.para(words)
            reason = getattr(item, "reason", "")  # RoutineItem.reason: why the dose was changed
            if reason:
                dose = [dose, self.para(reason, small, label="Why:")]
            rows.append([self.para(str(n)), name, dose, self.para(DOSE_LABELS[item.dose_kind])])
        style = [
            ("GRID", (0, 0), (-1, -1), 0.5, self.colors.grey),
            ("BACKGROUND", (0, 0), (-1, 0), self.colors.HexColor("#dbeaf5")),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ]
        widths = [share * self.width for share in (0.06, 0.38, 0.34, 0.22)]
        block: list[Flowable] = [self.para("Your routine", self.h2), self.table(rows, widths, style)]
        block.append(Spacer(1, self.size * 0.4))
        block += [
            self.para(DOSE_MEANING[kind], small, label=f"{DOSE_LABELS[kind]}:", note=self.tag(sources))
            for kind, sources in kinds.items()
        ]
        minutes = minutes_text(self.routine.duration())
        block.append(self.para(f"About {minutes} each time, {self.opts.sessions_per_week} times a week."))
        out: list[Flowable] = [KeepTogether(block)]  # a table split over two pages reads as two routines
        if self.routine.left_out:
            # Said plainly, so a patient does not pick a left-out stretch up from a video or a friend.
            left_out = [self.para(c.reason, label=f"{c.name}:") for c in self.routine.left_out]
            out += self.section("Not for you for now", self.bullets(left_out))
        return out

    def before_you_start(self) -> list[Flowable]:
        """The general rules, except those stating numbers: the table gives this patient's dose, and a
        second figure beside it ("20 to 30 seconds" next to a clinician's 60) would contradict it."""
        rules = [g for g in self.catalog.guidelines.values() if g.low is None]
        if not rules:
            return []
        lines = [self.para(g.text, label=f"{g.title}.", note=self.tag(g.sources)) for g in rules]
        return self.section("Before you start", self.bullets(lines))

    def stretch(self, n: int, item: RoutineItem) -> list[Flowable]:
        """Everything about one stretch, in the order it is done: what it is, getting in, the steps with
        this patient's dose, what to feel, mistakes, care, who should skip it, easier and harder."""
        from reportlab.platypus import Image, KeepTogether

        from ..figures.pictures import stretch_picture

        stretch = item.stretch
        # Start and end side by side: as wide as the text, taller in large print so its labels grow too.
        # A clinic's own picture of its own stretch (the stretch's ``picture``) replaces the drawn pose.
        tall = 70 * self.mm * self.size / 11
        image = io.BytesIO(stretch_picture(stretch, self.catalog))
        picture = Image(image, width=self.width, height=tall, kind="proportional")
        head = [self.para(f"{n}. {stretch.name}", self.h2), self.para(stretch.summary), picture]
        head.append(self.fact(stretch.suits, "Who it suits:"))
        if stretch.equipment:
            head.append(self.para(", ".join(stretch.equipment), label="You need:"))
        out: list[Flowable] = [
            KeepTogether(head),
            self.fact(stretch.get_in_out, "Getting in and out safely:"),
        ]
        steps = self.bullets([self.para(step) for step in item.steps()], numbered=True)
        out += self.section("How to do it", steps, note=self.tag(stretch.sources))
        dose_note = self.tag(item.dose_sources) if item.dose_sources else ""
        label = DOSE_LABELS[item.dose_kind]
        dose = dosage_words(item.hold_seconds, item.repetitions, item.per_side)
        out.append(self.para(f"{dose}. {label}.", label="How much:", note=dose_note))
        reason = getattr(item, "reason", "")  # RoutineItem.reason: why this dose differs from the guideline
        if reason:
            out.append(self.para(reason, label="Why this dose:"))
        out.append(self.fact(stretch.feel, "What you should feel:"))
        out.append(self.fact(stretch.not_feel, "What you should not feel:"))
        out += self.section("Common mistakes", self.bullets(self.fact(m) for m in stretch.mistakes))
        care = [*(self.fact(c) for c in stretch.cautions), self.fact(stretch.on_pain, "If it hurts:")]
        out += self.section("Take care", self.bullets(care))
        for action, title in (("skip", "Who should skip it"), ("ease", "Who should go easy")):
            rules = [rule for rule in stretch.limits if rule.action == action]
            if rules:
                out += self.section(title, self.bullets(self.limit(rule) for rule in rules))
        variants = [
            self.fact(stretch.easier, f"Easier: {stretch.easier.name}."),
            self.fact(stretch.harder, f"Harder: {stretch.harder.name}."),
        ]
        return out + self.section("Easier or harder", self.bullets(variants))

    def limit(self, rule: LimitRule) -> Paragraph:
        """A skip or go-easy rule under the health question's own name ("Knee pain: ..."), marked when
        the patient said yes to it (only a go-easy rule can be: a skip rule that applied left it out)."""
        name = self.catalog.screening(rule.limit).name
        yours = " (you said yes)" if rule.limit in self.answered else ""
        label = f"{name[:1].upper()}{name[1:]}{yours}:"
        return self.para(rule.reason, label=label, note=self.tag(rule.sources))

    def tick_chart(self) -> list[Flowable]:
        """A box per session and week. Every label is a paragraph that wraps in its cell and the header
        row grows to fit, so large print never spills over a border; a column too narrow for "Session 10"
        is headed by its number alone."""
        from reportlab.lib.styles import ParagraphStyle
        from reportlab.pdfbase.pdfmetrics import stringWidth
        from reportlab.platypus import Spacer, Table, TableStyle

        sessions, weeks, size = self.opts.sessions_per_week, self.opts.weeks, self.size
        cell = ParagraphStyle("chart", parent=self.small, alignment=1)
        pad = 3  # reportlab's default cell padding, each side
        first = stringWidth("Week 26", self.font, cell.fontSize) + 2 * pad + 4
        column = (self.width - first) / sessions
        fits = stringWidth(f"Session {sessions}", self.font, cell.fontSize) + 2 * pad <= column
        words = [f"Session {i}" if fits else str(i) for i in range(1, sessions + 1)]
        grid = [[self.para("Week" if fits else "Week / session", cell), *(self.para(w, cell) for w in words)]]
        grid += [[self.para(f"Week {w}", cell)] + [""] * sessions for w in range(1, weeks + 1)]
        chart = Table(
            grid,
            colWidths=[first] + [column] * sessions,
            rowHeights=[None] + [size * 2.4] * weeks,
            repeatRows=1,
        )
        chart.setStyle(
            TableStyle(
                [
                    ("FONTNAME", (0, 0), (-1, -1), self.font),
                    ("GRID", (0, 0), (-1, -1), 0.8, self.colors.black),
                    ("BACKGROUND", (0, 0), (-1, 0), self.colors.HexColor("#dbeaf5")),
                    ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ]
            )
        )
        return [self.para("Tick a box each time you do the routine", self.h2), chart, Spacer(1, size)]

    def references(self) -> list[Flowable]:
        """Every source cited on the pages before, as its short label then its full citation."""
        sources = [s for source_id, s in self.catalog.sources.items() if source_id in self.cited]
        out = [
            self.para("References", self.h2),
            self.para("Each short name in brackets above points to one of these.", self.small),
        ]
        out += self.bullets(self.para(s.citation(), self.small, label=f"{s.short_label()}:") for s in sources)
        return [*out, self.para(DISCLAIMER, self.small)]


def _numbered_canvas(font: str, size: float) -> type:
    """A reportlab canvas that prints "Page 2 of 5" at each page's foot: it keeps each page until the
    document ends, when the number of pages is known (the usual two-step, since reportlab lays out
    pages one after another)."""
    from reportlab.lib.units import mm
    from reportlab.pdfgen.canvas import Canvas

    class NumberedCanvas(Canvas):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            kwargs["initialFontName"] = font  # else each page names Helvetica, a font not embedded
            super().__init__(*args, **kwargs)
            self._pages: list[dict[str, Any]] = []

        def showPage(self) -> None:
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            total = len(self._pages)
            for number, state in enumerate(self._pages, 1):
                self.__dict__.update(state)
                self.setFont(font, size)
                self.setFillColorRGB(0.2, 0.2, 0.2)
                self.drawCentredString(self._pagesize[0] / 2, 8 * mm, f"Page {number} of {total}")
                super().showPage()
            super().save()

    return NumberedCanvas


def _qr_flowable(url: str, side: float) -> Any:
    """A QR code of ``url`` as a vector drawing ``side`` points square (dark modules as rectangles)."""
    import segno
    from reportlab.graphics.shapes import Drawing, Rect
    from reportlab.lib import colors

    code = segno.make(url, error="m", micro=False)
    rows = [list(row) for row in code.matrix_iter(border=4)]
    module = side / len(rows)
    drawing = Drawing(side, side)
    drawing.add(Rect(0, 0, side, side, fillColor=colors.white, strokeColor=None))
    for y, row in enumerate(rows):
        x = 0
        while x < len(row):  # one rectangle per run of dark modules: fewer shapes, no hairline gaps
            if row[x]:
                start = x
                while x < len(row) and row[x]:
                    x += 1
                top = side - (y + 1) * module
                width = (x - start) * module
                drawing.add(
                    Rect(start * module, top, width, module, fillColor=colors.black, strokeColor=None)
                )
            else:
                x += 1
    return drawing
