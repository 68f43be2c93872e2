"""Plain-language Markdown for content entries: stretch cards, muscle facts, guidelines, references.

Notebooks, the dashboard and the handout all show the same content. Writing it once here keeps the
wording, the order (cautions always shown, never optional) and the citations identical everywhere, and
keeps logic out of notebook cells. Every fact carries its source ids as ``[id]`` so a reader can find it
in the references list that :func:`references_markdown` renders from the sources data.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pragma: no cover
    from .catalog import Catalog
    from .routine import Phase, Routine
    from .schema import Fact, Guideline, Muscle, Source, Stretch
    from .timer import TimerState

#: A reported limit in words. The one wording for cards, routines and handouts alike.
LIMIT_WORDS: dict[str, str] = {
    "low_back_pain": "low-back pain",
    "knee_pain": "knee pain",
}

#: What a person reads when none of the stretches suits their answers. Said the same way in the
#: dashboard, the notebooks and the plain-text table, so no one is left with a blank routine.
NO_STRETCH_FITS = "No stretch fits these answers. A physiotherapist can suggest one that suits you."


@dataclass(frozen=True)
class Shown:
    """Markdown that a notebook shows rendered, and whose plain-text form is that same Markdown.

    IPython's own ``Markdown`` object stores only ``<IPython.core.display.Markdown object>`` as its
    plain text, so nbval, which compares plain text, would check nothing of a stretch card or a
    reference list. Jupyter renders ``_repr_markdown_``; nbval compares ``repr``: the card's words.
    """

    markdown: str

    def _repr_markdown_(self) -> str:
        return self.markdown

    def __repr__(self) -> str:
        return self.markdown


def show(markdown: str) -> Shown:
    """Wrap Markdown from these helpers for display in a notebook cell (``display(text.show(...))``)."""
    return Shown(markdown)


def cite(source_ids: Iterable[str]) -> str:
    """The source ids of a fact as a compact ``[a, b]`` tag, matching the references list."""
    ids = list(source_ids)
    return f"[{', '.join(ids)}]" if ids else ""


def dosage_text(hold_seconds: int, repetitions: int, per_side: bool) -> str:
    """The dose in words a patient reads: "hold 30 s, 3 times on each side"."""
    times = "once" if repetitions == 1 else f"{repetitions} times"
    side = " on each side" if per_side else ""
    return f"hold {hold_seconds} s, {times}{side}"


def fact_line(label: str, fact: Fact) -> str:
    """One labelled, cited fact as a Markdown bullet."""
    return f"- **{label}:** {fact.text} {cite(fact.sources)}"


def muscle_markdown(muscle: Muscle) -> str:
    """A muscle's facts (origin, insertion, nerve supply, actions, variation), each with its sources."""
    lines = [f"### {muscle.name}", "", f"{muscle.summary.text} {cite(muscle.summary.sources)}", ""]
    lines += [
        fact_line("Starts at", muscle.origin),
        fact_line("Ends at", muscle.insertion),
        fact_line("Nerve supply", muscle.nerve_supply),
        fact_line("What it does", muscle.actions),
        fact_line("How it varies", muscle.variation),
    ]
    return "\n".join(lines)


def muscle_text(muscle: Muscle) -> str:
    """The same facts as plain text, for printed output that nbval compares."""
    return "\n".join(
        [
            muscle.name.upper(),
            f"  starts at:    {muscle.origin.text}",
            f"  ends at:      {muscle.insertion.text}",
            f"  nerve supply: {muscle.nerve_supply.text}",
            f"  what it does: {muscle.actions.text}",
            f"  how it varies: {muscle.variation.text}",
        ]
    )


def stretch_markdown(
    stretch: Stretch,
    *,
    hold_seconds: int | None = None,
    repetitions: int | None = None,
    heading_level: int = 3,
) -> str:
    """A whole stretch card: who it suits, steps, dose, cautions, when to skip or ease, variants.

    Cautions and the on-pain advice are always part of the card: a stretch is never shown without them.
    ``hold_seconds``/``repetitions`` show a routine's dose when it differs from the content default.
    """
    dose = stretch.dosage
    hold = hold_seconds if hold_seconds is not None else dose.hold_seconds
    reps = repetitions if repetitions is not None else dose.repetitions
    h = "#" * heading_level
    lines = [f"{h} {stretch.name}", "", stretch.summary, ""]
    lines.append(f"**Who it suits:** {stretch.suits.text} {cite(stretch.suits.sources)}")
    if stretch.equipment:
        lines.append(f"**You need:** {', '.join(stretch.equipment)}")
    lines += ["", "**How to do it**", ""]
    lines += [f"{n}. {step}" for n, step in enumerate(stretch.steps, 1)]
    lines += ["", f"**How much:** {dosage_text(hold, reps, dose.per_side)} {cite(dose.sources)}", ""]
    lines += ["**Take care**", ""]
    lines += [f"- {c.text} {cite(c.sources)}" for c in stretch.cautions]
    lines.append(f"- **If it hurts:** {stretch.on_pain.text} {cite(stretch.on_pain.sources)}")
    for rule in stretch.limits:
        verb = "Skip it" if rule.action == "skip" else "Ease off"
        lines.append(
            f"- **{verb} with {LIMIT_WORDS.get(rule.limit, rule.limit)}:** {rule.reason} {cite(rule.sources)}"
        )
    lines += [
        "",
        f"**Easier:** {stretch.easier.name}. {stretch.easier.text} {cite(stretch.easier.sources)}",
        f"**Harder:** {stretch.harder.name}. {stretch.harder.text} {cite(stretch.harder.sources)}",
    ]
    return "\n".join(lines)


def stretch_text(stretch: Stretch) -> str:
    """A short plain-text summary (dose and cautions) for printed output that nbval compares."""
    d = stretch.dosage
    lines = [f"{stretch.name}: {dosage_text(d.hold_seconds, d.repetitions, d.per_side)}"]
    lines += [f"  caution: {c.text}" for c in stretch.cautions]
    lines.append(f"  if it hurts: {stretch.on_pain.text}")
    lines += [f"  {rule.action} with {LIMIT_WORDS.get(rule.limit, rule.limit)}" for rule in stretch.limits]
    return "\n".join(lines)


def guidelines_markdown(guidelines: Iterable[Guideline]) -> str:
    """The stretching guidelines as a cited bullet list."""
    return "\n".join(f"- **{g.title}:** {g.text} {cite(g.sources)}" for g in guidelines)


def references_markdown(catalog: Catalog, *entries: object) -> str:
    """A numbered reference list of the sources cited by ``entries`` (every source when none given).

    Each line starts with the source's id, the tag the cards and facts use, so ``[bordoni_statpearls]``
    in a sentence leads straight to its full reference.
    """
    return sources_markdown(catalog.references(*entries))


def sources_markdown(sources: Sequence[Source]) -> str:
    """Render sources as a numbered Markdown list with their ids."""
    lines = ["### References", ""]
    lines += [f"{n}. **[{s.id}]** {s.citation()}" for n, s in enumerate(sources, 1)]
    return "\n".join(lines)


def clock_text(seconds: float) -> str:
    """Seconds left as a countdown reads: whole seconds rounded up, "0:45", "12:05".

    Rounding up means a 30 s hold shows 30 at its start and reaches 0 only when it is really over.
    """
    whole = max(0, math.ceil(seconds - 1e-9))
    minutes, secs = divmod(whole, 60)
    return f"{minutes}:{secs:02d}"


def phase_title(phase: Phase) -> str:
    """The big line above the countdown: what to do now."""
    if phase.kind.value == "done":
        return "Done"
    if phase.kind.value == "hold":
        return "Hold"
    return phase.kind.value.capitalize()


def timer_display(state: TimerState) -> dict[str, object]:
    """Everything the timer view shows, as plain values, so the view only places text on the page.

    Keeping this here (not in the widget) lets tests check what a person reads without a browser.
    """
    phase = state.phase
    detail = ""
    if phase.kind.value == "hold":
        side = f" · {phase.side} hip" if phase.side else ""
        detail = f"{phase.stretch_name}{side} · {phase.repetition} of {phase.repetitions}"
    elif phase.kind.value in ("get ready", "rest"):
        detail = phase.stretch_name
    elif phase.kind.value == "switch side":
        detail = f"next: the {phase.side} hip"
    nxt = state.next_phase
    return {
        "status": state.status.value,
        "kind": phase.kind.value,
        "title": phase_title(phase),
        "detail": detail,
        "side": phase.side or "",
        "countdown": clock_text(state.remaining_in_phase),
        "seconds_left": max(0, math.ceil(state.remaining_in_phase - 1e-9)),
        "next_up": nxt.describe() if nxt is not None else "Nothing: this is the end",
        "overall_left": clock_text(state.remaining_overall),
        "progress": round(state.progress, 4),
    }


def to_html(markdown: str) -> str:
    """Markdown from these helpers as HTML for widgets, with any HTML inside the text escaped.

    Escaping matters: a clinician's content file is text, and it must never inject markup into a page
    other people open.
    """
    import mistune

    return str(mistune.create_markdown(escape=True)(markdown))


#: The questions behind :class:`~iliopsoas_lib.routine.Abilities`, in the order a person answers them.
ABILITY_QUESTIONS: dict[str, str] = {
    "can_kneel": "I can kneel on the floor",
    "good_balance": "My balance is good (I can stand on one leg)",
    "can_get_to_floor": "I can get down to the floor and up again",
    "low_back_pain": "I have low-back pain",
    "knee_pain": "I have knee pain",
    "has_bed": "I have a firm bed I can lie on",
    "has_table": "I have a sturdy table a little lower than my hip",
}


def routine_markdown(routine: Routine) -> str:
    """The routine as a person reads it: what is in, the dose, why, what to take care with, what to do
    if it hurts, and what was left out and why. An empty routine says so and where to turn."""
    lines = ["**Your routine**", ""]
    for n, (item, choice) in enumerate(routine.entries(), 1):
        dose = dosage_text(item.hold_seconds, item.repetitions, item.per_side)
        lines.append(f"{n}. **{item.stretch.name}**: {dose}. *Why:* {choice.reason}")
        lines += [f"    - Take care: {note}" for note in choice.care]
        lines.append(f"    - If it hurts: {item.stretch.on_pain.text}")
    if not routine.items:
        lines.append(NO_STRETCH_FITS)
    if routine.left_out:
        lines += ["", "**Left out**", ""]
        lines += [f"- **{c.name}**: {c.reason}" for c in routine.left_out]
    if routine.items:
        lines += [
            "",
            f"**Total time:** about {minutes_text(routine.duration())}, with time to get ready, "
            "switch sides and rest.",
        ]
    return "\n".join(lines)


def minutes_text(seconds: float) -> str:
    """A duration as people say it: "17 min 55 s", "45 s"."""
    minutes, secs = divmod(round(seconds), 60)
    return f"{minutes} min {secs:02d} s" if minutes else f"{secs} s"


def entries_markdown(entries: Iterable[Any]) -> str:
    """Causes, conditions or guidelines as a cited bullet list (title or name, then the text)."""
    lines = []
    for entry in entries:
        label = getattr(entry, "title", None) or getattr(entry, "name", "")
        lines.append(f"- **{label}:** {entry.text} {cite(entry.sources)}")
    return "\n".join(lines)


def entries_text(entries: Iterable[Any]) -> str:
    """The same as plain text, for printed output that nbval compares."""
    return "\n".join(f"- {getattr(e, 'title', None) or getattr(e, 'name', '')}: {e.text}" for e in entries)


def handout_summary(pdf: bytes) -> str:
    """Pages, paper size and file size of a handout PDF, read from the file itself (its page objects and
    media box), so a notebook can show what was made without a PDF reader."""
    import re

    pages = len(re.findall(rb"/Type /Page[^s]", pdf))
    box = re.search(rb"/MediaBox \[\s*0 0 ([\d.]+) ([\d.]+)\s*\]", pdf)
    size = (round(float(box.group(1))), round(float(box.group(2)))) if box else (0, 0)
    paper = {(595, 842): "A4", (612, 792): "Letter"}.get(size, f"{size[0]}x{size[1]} pt")
    return f"{pages} pages, {paper}"
