"""A printable home-exercise handout (PDF) for a patient: the routine, each stretch with its pose,
steps, dose and cautions, a tick-box week chart, and the references.

Made offline with reportlab as real text (not pictures of text), so screen readers and copy-paste work.
The patient's name and the clinician's notes are only placed in the PDF: nothing is stored.
Output is byte-for-byte repeatable (reportlab's invariant mode), which keeps tests and docs stable.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date
from xml.sax.saxutils import escape

from ..catalog import Catalog
from ..dosage import DEFAULT_SESSIONS_PER_WEEK
from ..routine import EmptyRoutineError, Routine
from ..text import LIMIT_WORDS, dosage_text, minutes_text

PAGE_SIZES = ("A4", "Letter")


@dataclass(frozen=True)
class HandoutOptions:
    """What the clinician chooses; validated so a typo is a clear error, not a strange PDF."""

    page_size: str = "A4"
    large_print: bool = False
    patient_name: str = ""
    clinician_notes: str = ""
    sessions_per_week: int = DEFAULT_SESSIONS_PER_WEEK
    weeks: int = 4
    made_on: date | None = None

    def __post_init__(self) -> None:
        if self.page_size not in PAGE_SIZES:
            raise ValueError(f"page_size: expected one of {', '.join(PAGE_SIZES)}, got {self.page_size!r}")
        if not 1 <= self.sessions_per_week <= 14:
            raise ValueError(f"sessions_per_week: expected 1-14, got {self.sessions_per_week!r}")
        if not 1 <= self.weeks <= 26:
            raise ValueError(f"weeks: expected 1-26 weeks in the tick-box chart, got {self.weeks!r}")
        if len(self.patient_name) > 200 or len(self.clinician_notes) > 5000:
            raise ValueError("patient name (200) or notes (5000 characters) too long for a handout")


def make_handout(
    routine: Routine,
    catalog: Catalog,
    options: HandoutOptions | None = None,
    **choices: object,
) -> bytes:
    """The handout as PDF bytes. Pass ``HandoutOptions`` or its fields as keywords.

    An empty routine raises :class:`~iliopsoas_lib.routine.EmptyRoutineError`: a handout with a blank
    table would tell a patient nothing, or worse, suggest that nothing needs care.
    """
    if not routine.items:
        raise EmptyRoutineError(
            "the routine has no stretch (none fits these answers), so there is nothing to put in a "
            "handout. Change the answers, or add a stretch that suits this patient in a content file."
        )
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4, letter
    from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
    from reportlab.lib.units import mm
    from reportlab.platypus import (
        Image,
        KeepTogether,
        ListFlowable,
        ListItem,
        Paragraph,
        SimpleDocTemplate,
        Spacer,
        Table,
        TableStyle,
    )

    from ..figures.pictures import pose_png

    opts = options or HandoutOptions(**choices)  # type: ignore[arg-type]
    size = 16 if opts.large_print else 11
    base = getSampleStyleSheet()
    body = ParagraphStyle("body", parent=base["BodyText"], fontSize=size, leading=size * 1.35)
    small = ParagraphStyle("small", parent=body, fontSize=size - 2, leading=(size - 2) * 1.3)
    h1 = ParagraphStyle("h1", parent=base["Title"], fontSize=size * 1.9, leading=size * 2.2)
    h2 = ParagraphStyle("h2", parent=base["Heading2"], fontSize=size * 1.35, leading=size * 1.7)
    h3 = ParagraphStyle("h3", parent=base["Heading3"], fontSize=size * 1.15, leading=size * 1.5)

    def para(text: str, style: ParagraphStyle = body) -> Paragraph:
        return Paragraph(escape(text), style)

    def bullets(items: list[str], numbered: bool = False) -> ListFlowable:
        return ListFlowable(
            [ListItem(para(item), leftIndent=size * 1.4) for item in items],
            bulletType="1" if numbered else "bullet",
            start="1" if numbered else None,
            bulletFontSize=size,
            leftIndent=size * 1.4,
        )

    story: list = [para("Your iliopsoas stretches", h1)]
    if opts.patient_name:
        story.append(para(f"For: {opts.patient_name}"))
    if opts.made_on:
        story.append(para(f"Date: {opts.made_on.isoformat()}"))
    if opts.clinician_notes:
        story += [para("Notes from your clinician", h3), para(opts.clinician_notes)]
    story += [para("Before you start", h2)]
    story.append(bullets([f"{g.title}: {g.text}" for g in catalog.guidelines.values()]))
    story += [para("Your routine", h2)]
    rows = [["", "Stretch", "How much"]]
    for n, item in enumerate(routine.items, 1):
        rows.append(
            [
                str(n),
                para(item.stretch.name),
                para(dosage_text(item.hold_seconds, item.repetitions, item.per_side)),
            ]
        )
    table = Table(rows, colWidths=[10 * mm, 80 * mm, 75 * mm], repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("FONTSIZE", (0, 0), (-1, -1), size),
                ("GRID", (0, 0), (-1, -1), 0.5, colors.grey),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#dbeaf5")),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )
    story += [table, Spacer(1, size)]
    story.append(
        para(f"About {minutes_text(routine.duration())} each time, {opts.sessions_per_week} times a week.")
    )

    for n, item in enumerate(routine.items, 1):
        stretch = item.stretch
        picture = Image(io.BytesIO(pose_png(stretch)), width=120 * mm, height=60 * mm, kind="proportional")
        parts = [
            para(f"{n}. {stretch.name}", h2),
            para(stretch.summary),
            picture,
            para("How to do it", h3),
            bullets(list(stretch.steps), numbered=True),
            para(f"How much: {dosage_text(item.hold_seconds, item.repetitions, item.per_side)}."),
        ]
        care = [c.text for c in stretch.cautions] + [f"If it hurts: {stretch.on_pain.text}"]
        care += [
            f"{'Skip it' if r.action == 'skip' else 'Ease off'} with {LIMIT_WORDS.get(r.limit, r.limit)}: "
            f"{r.reason}"
            for r in stretch.limits
        ]
        parts += [para("Take care", h3), bullets(care)]
        story.append(KeepTogether(parts[:3]))
        story += parts[3:]

    story += [para("Tick a box each time you do the routine", h2)]
    grid = [["Week"] + [f"Session {i}" for i in range(1, opts.sessions_per_week + 1)]]
    grid += [[f"Week {w}"] + [""] * opts.sessions_per_week for w in range(1, opts.weeks + 1)]
    chart = Table(grid, rowHeights=[size * 1.8] + [size * 2.4] * opts.weeks, repeatRows=1)
    chart.setStyle(
        TableStyle(
            [
                ("FONTSIZE", (0, 0), (-1, -1), size - 1),
                ("GRID", (0, 0), (-1, -1), 0.8, colors.black),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#dbeaf5")),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ]
        )
    )
    story += [chart, Spacer(1, size)]
    story += [para("References", h2)]
    sources = catalog.references(*[item.stretch for item in routine.items], *catalog.guidelines.values())
    story.append(bullets([s.citation() for s in sources]))
    story.append(
        para("General information, not a diagnosis. Stop if a stretch hurts and ask your clinician.", small)
    )

    out = io.BytesIO()
    page = A4 if opts.page_size == "A4" else letter
    doc = SimpleDocTemplate(
        out,
        pagesize=page,
        invariant=1,
        title="Iliopsoas stretches: home exercise handout",
        author="iliopsoas explainer",
        leftMargin=18 * mm,
        rightMargin=18 * mm,
        topMargin=16 * mm,
        bottomMargin=16 * mm,
    )
    doc.build(story)
    return out.getvalue()
