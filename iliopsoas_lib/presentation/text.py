"""Plain-language Markdown for content entries: stretch cards, muscle facts, guidelines, references.

Notebooks, the dashboard and the handout all show the same content. Writing it once here keeps the
wording, the order (cautions always shown, never optional) and the citations identical everywhere, and
keeps logic out of notebook cells.

Citations come in two forms. Student notebooks tag each fact with its source ids (``[id]``), which lead
to the references list that :func:`references_markdown` renders. Patient pages (the dashboard, the
handout) tag it with short readable labels instead, "(Lindberg; our advice)", through
:class:`PatientCitations`: a raw id means nothing to a patient.
"""

from __future__ import annotations

import html
import math
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from ..routine_words import hold_words, minutes_text, steps_text, times_words

if TYPE_CHECKING:  # pragma: no cover
    from ..catalog import Catalog
    from ..routine import Phase, Routine, RoutineItem
    from ..schema import Fact, GlossaryTerm, Guideline, Muscle, RedFlags, Source, Stretch
    from ..timer import TimerPlan, TimerState

#: Each kind of dose (:class:`~iliopsoas_lib.routine.DoseKind`) as a patient reads it, and what it
#: means: the routine table, the cards and the handout all say it in these words.
DOSE_LABELS: dict[str, str] = {
    "usual": "Usual dose",
    "full": "Longer dose (Lindberg)",
    "clinician": "Set by your clinician",
}
DOSE_MEANING: dict[str, str] = {
    "usual": "a short dose for each stretch, sized to what exercise guides advise.",
    "full": "the longer dose in Lindberg's guide, which this advice is based on.",
    "clinician": "your clinician chose this dose for you.",
}

#: A citation renderer: source ids in, a short tag out (``cite`` for students, PatientCitations for patients).
Cite = Callable[[Iterable[str]], str]


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


@dataclass(frozen=True)
class PatientCitations:
    """Citations for patient pages: "(Lindberg; our advice)", each label linked to its reference.

    ``link`` makes each label a Markdown link to ``#ref-<id>``, the anchor :func:`patient_references_html`
    gives each reference; a PDF has no such anchors, so the handout uses plain labels.
    """

    labels: Mapping[str, str]
    link: bool = True

    @classmethod
    def of(cls, catalog: Catalog, link: bool = True) -> PatientCitations:
        return cls({source_id: s.short_label() for source_id, s in catalog.sources.items()}, link)

    def __call__(self, source_ids: Iterable[str]) -> str:
        shown: list[str] = []
        seen: set[str] = set()
        for source_id in source_ids:
            label = self.labels.get(source_id, source_id)
            if label in seen:
                continue
            seen.add(label)
            shown.append(f"[{label}](#ref-{source_id})" if self.link else label)
        return f"({'; '.join(shown)})" if shown else ""


def dosage_text(hold_seconds: int, repetitions: int, per_side: bool) -> str:
    """The dose in words a patient reads: "hold 30 s, 3 times on each side"."""
    return f"hold {hold_seconds} s, {times_words(repetitions, per_side)}"


def dosage_words(hold_seconds: int, repetitions: int, per_side: bool) -> str:
    """The dose spelled out as the steps say it, for print: "hold for 60 seconds, 2 times on each side"."""
    return f"hold for {hold_words(hold_seconds)}, {times_words(repetitions, per_side)}"


def fact_line(label: str, fact: Fact, cite: Cite = cite) -> str:
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
    catalog: Catalog,
    *,
    item: RoutineItem | None = None,
    heading_level: int = 3,
    cite: Cite = cite,
) -> str:
    """A whole stretch card: who it suits, steps, dose, what to feel, mistakes, cautions, who skips it.

    Cautions, the on-pain advice and who should skip it are always part of the card: a stretch is never
    shown without them. ``item`` gives a routine's dose: the steps and the "how much" line both come
    from it, with the kind of dose and only the sources that gave it (none for a clinician's own
    number); without it the card shows the stretch's usual dose. ``catalog`` names the health
    conditions in the skip rules.
    """
    dose = stretch.dosage
    hold = item.hold_seconds if item is not None else dose.hold_seconds
    reps = item.repetitions if item is not None else dose.repetitions
    dose_sources = item.dose_sources if item is not None else tuple(dose.sources)
    dose_label = DOSE_LABELS[item.dose_kind] if item is not None else DOSE_LABELS["usual"]
    h = "#" * heading_level
    lines = [f"{h} {stretch.name}", "", stretch.summary, ""]
    lines += [f"**Who it suits:** {stretch.suits.text} {cite(stretch.suits.sources)}", ""]
    if stretch.equipment:
        lines += [f"**You need:** {', '.join(stretch.equipment)}", ""]
    get_in_out = stretch.get_in_out
    lines += [f"**Getting in and out safely:** {get_in_out.text} {cite(get_in_out.sources)}", ""]
    lines += ["**How to do it**", ""]
    lines += [f"{n}. {step}" for n, step in enumerate(steps_text(stretch, hold, reps), 1)]
    how_much = f"{dosage_text(hold, reps, dose.per_side)} ({dose_label.lower()})"
    lines += ["", f"**How much:** {how_much} {cite(dose_sources)}".rstrip(), ""]
    lines += [f"**What you should feel:** {stretch.feel.text} {cite(stretch.feel.sources)}", ""]
    lines += [f"**What you should not feel:** {stretch.not_feel.text} {cite(stretch.not_feel.sources)}"]
    lines += ["", "**Common mistakes**", ""]
    lines += [f"- {m.text} {cite(m.sources)}" for m in stretch.mistakes]
    lines += ["", "**Take care**", ""]
    lines += [f"- {c.text} {cite(c.sources)}" for c in stretch.cautions]
    lines.append(f"- **If it hurts:** {stretch.on_pain.text} {cite(stretch.on_pain.sources)}")
    for action, heading in (("skip", "Who should skip it"), ("ease", "Who should go easy")):
        rules = [rule for rule in stretch.limits if rule.action == action]
        if rules:
            lines += ["", f"**{heading}**", ""]
        for rule in rules:
            name = catalog.screening(rule.limit).name
            lines.append(f"- **{name[:1].upper()}{name[1:]}:** {rule.reason} {cite(rule.sources)}")
    lines += [
        "",
        f"**Easier:** {stretch.easier.name}. {stretch.easier.text} {cite(stretch.easier.sources)}",
        "",
        f"**Harder:** {stretch.harder.name}. {stretch.harder.text} {cite(stretch.harder.sources)}",
    ]
    return "\n".join(lines)


def stretch_text(stretch: Stretch) -> str:
    """A short plain-text summary (dose and cautions) for printed output that nbval compares."""
    d = stretch.dosage
    lines = [f"{stretch.name}: {dosage_text(d.hold_seconds, d.repetitions, d.per_side)}"]
    lines += [f"  caution: {c.text}" for c in stretch.cautions]
    lines.append(f"  if it hurts: {stretch.on_pain.text}")
    lines += [f"  {rule.action} with {rule.limit}" for rule in stretch.limits]
    return "\n".join(lines)


def guidelines_markdown(guidelines: Iterable[Guideline], cite: Cite = cite) -> str:
    """The stretching guidelines as a cited bullet list."""
    return "\n".join(f"- **{g.title}:** {g.text} {cite(g.sources)}" for g in guidelines)


def red_flags_markdown(catalog: Catalog, cite: Cite = cite, heading_level: int = 3) -> str:
    """The signs that mean "stop and get help", from the one content entry every patient surface shows."""
    lines: list[str] = []
    for flags in catalog.red_flags.values():
        lines += _red_flags_lines(flags, cite, heading_level)
    return "\n".join(lines)


def _red_flags_lines(flags: RedFlags, cite: Cite, heading_level: int) -> list[str]:
    lines = [f"{'#' * heading_level} {flags.title}", "", flags.intro, ""]
    lines += [f"- {sign.text} {cite(sign.sources)}" for sign in flags.signs]
    lines += ["", f"**What to do:** {flags.action} {cite(flags.sources)}", ""]
    return lines


def screening_markdown(catalog: Catalog, cite: Cite = cite) -> str:
    """The health questions asked before any routine, with what a "yes" means."""
    lines = []
    for s in catalog.screenings.values():
        if s.ask_first:
            effect = "no stretches until a clinician says so"
        else:  # worked out from the stretches' own rules, so a clinician's stretch is listed too
            stretches = catalog.stretches.values()
            rules = [(st.name, r.action) for st in stretches for r in st.limits if r.limit == s.id]
            skipped = [name for name, action in rules if action == "skip"]
            eased = [name for name, action in rules if action == "ease"]
            effect = "; ".join(
                part
                for part in (
                    f"left out: {', '.join(skipped)}" if skipped else "",
                    f"done with care: {', '.join(eased)}" if eased else "",
                )
                if part
            ) or "no stretch changes"
        lines.append(f"- **{s.question}** If yes: {effect}. {s.advice} {cite(s.sources)}")
    return "\n".join(lines)


def glossary_markdown(terms: Iterable[GlossaryTerm], cite: Cite = cite) -> str:
    """Technical words a patient page keeps, each explained in everyday words."""
    return "\n".join(f"- **{t.term}:** {t.meaning} {cite(t.sources)}" for t in terms)


def muscle_plain_markdown(muscle: Muscle, cite: Cite = cite) -> str:
    """A muscle in everyday words for patient pages (the technical facts stay in the notebooks)."""
    fact = muscle.plain or muscle.summary
    return f"### {muscle.name}\n\n{fact.text} {cite(fact.sources)}"


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


def patient_references_html(sources: Sequence[Source]) -> str:
    """The references for a patient page: each with its short label and an anchor the labels link to.

    Built as HTML (every text escaped) because Markdown has no way to give a list item an id.
    """
    items = "".join(
        f'<li id="ref-{html.escape(s.id, quote=True)}"><strong>{html.escape(s.short_label())}:</strong> '
        f"{html.escape(s.citation())}</li>"
        for s in sources
    )
    return f"<h3>Where this comes from</h3><ol>{items}</ol>"


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


def phase_detail(phase: Phase) -> str:
    """The line under the title: which stretch, which side, which repetition."""
    if phase.kind.value == "hold":
        side = f" · {phase.side} hip" if phase.side else ""
        return f"{phase.stretch_name}{side} · {phase.repetition} of {phase.repetitions}"
    if phase.kind.value in ("get ready", "rest"):
        return phase.stretch_name
    if phase.kind.value == "switch side":
        return f"next: the {phase.side} hip"
    return ""


def next_up_text(next_phase: Phase | None) -> str:
    """What comes after the current phase, as the timer's "Next:" line says it."""
    return next_phase.describe() if next_phase is not None else "Nothing: this is the end"


def timer_display(state: TimerState) -> dict[str, object]:
    """Everything the timer view shows, as plain values, so the view only places text on the page.

    Keeping this here (not in the widget) lets tests check what a person reads without a browser.
    """
    phase = state.phase
    return {
        "status": state.status.value,
        "kind": phase.kind.value,
        "title": phase_title(phase),
        "detail": phase_detail(phase),
        "side": phase.side or "",
        "cue": phase.cue,
        "countdown": clock_text(state.remaining_in_phase),
        "seconds_left": max(0, math.ceil(state.remaining_in_phase - 1e-9)),
        "next_up": next_up_text(state.next_phase),
        "overall_left": clock_text(state.remaining_overall),
        "progress": round(state.progress, 4),
    }


def timer_plan_display(plan: TimerPlan) -> dict[str, object]:
    """A :class:`~iliopsoas_lib.timer.TimerPlan` as plain values for the browser that plays it.

    Each phase ahead carries the words the page shows and speaks (the same wording as
    :func:`timer_display`), its length and its start in the routine, so the page can count down, redraw
    and announce from its own clock until the next command. Times are rounded to milliseconds.
    """
    phases = plan.phases
    return {
        "status": plan.status.value,
        "index": plan.index,
        "elapsed": round(plan.elapsed, 3),
        "total": round(plan.total, 3),
        "signature": plan.signature,
        "phases": [
            {
                "kind": phase.kind.value,
                "seconds": round(phase.duration, 3),
                "start": round(phase.start, 3),
                "title": phase_title(phase),
                "detail": phase_detail(phase),
                "cue": phase.cue,
                "say": phase.describe(),
                "next_up": next_up_text(phases[n + 1] if n + 1 < len(phases) else None),
            }
            for n, phase in enumerate(phases)
        ],
        "cues": [[round(cue.at, 3), cue.name.value] for cue in plan.cues],
    }


#: Pictures content may show: only those carried inside the page, as base64 ``data:`` URLs of raster
#: types (never SVG, which can hold script). Anything else would make a reader's browser ask another host.
INLINE_PICTURE = re.compile(r"data:image/(?:png|jpeg|gif|webp);base64,[A-Za-z0-9+/]+={0,2}")
#: Links content may carry: the web, e-mail, a place on the page, or a path on the same site (another
#: notebook beside this one). No other scheme (``javascript:``, ``data:``, ``file:``...), no ``//host``
#: or backslash trick, no spaces or control characters (browsers drop those to find a scheme).
SAFE_LINK = re.compile(
    r"(?:https?://|mailto:)[^\s\\\x00-\x1f\x7f]*"  # the web or e-mail
    r"|#[^\s\\\x00-\x1f\x7f]*"  # an anchor on this page
    r"|(?![/\\])[^\s\\\x00-\x1f\x7f:/?#]*(?:[/?#][^\s\\\x00-\x1f\x7f]*)?",  # relative: no scheme, no host
    re.IGNORECASE,
)


def to_html(markdown: str, *, plugins: Sequence[str] = ()) -> str:
    """Markdown from these helpers (or a notebook) as HTML, with everything in it made inert.

    A clinician's content file or a shared notebook is text typed by someone, and its HTML reaches pages
    other people open. So raw HTML in it is escaped (shown as typed), a picture is shown only when it is
    carried inside the page (:data:`INLINE_PICTURE`), otherwise its words stand in its place, and a link
    whose address is not a :data:`SAFE_LINK` becomes plain words. ``plugins`` are mistune's (the slides
    use ``table`` and ``strikethrough``).
    """
    return str(_markdown_parser(tuple(plugins))(markdown))


@lru_cache(maxsize=4)
def _markdown_parser(plugins: tuple[str, ...]) -> Callable[[str], Any]:
    """One mistune parser per plugin set, built on first use (mistune is imported only then)."""
    import mistune
    from mistune.renderers.html import HTMLRenderer
    from mistune.util import striptags

    def attribute(value: str) -> str:
        return html.escape(value, quote=True)

    class InertRenderer(HTMLRenderer):
        """mistune's HTML renderer with an allow-list for pictures and links (its own is a block-list)."""

        def link(self, text: str, url: str, title: str | None = None) -> str:
            if not SAFE_LINK.fullmatch(url):
                return text  # the words, without the link
            title_attr = f' title="{attribute(title)}"' if title else ""
            return f'<a href="{attribute(url)}"{title_attr}>{text}</a>'

        def image(self, text: str, url: str, title: str | None = None) -> str:
            words = striptags(text)  # already escaped by the renderer; any inner link dropped
            if not INLINE_PICTURE.fullmatch(url):
                return words
            alt = attribute(html.unescape(words))
            title_attr = f' title="{attribute(title)}"' if title else ""
            return f'<img src="{url}" alt="{alt}"{title_attr} />'

    return mistune.create_markdown(escape=True, renderer=InertRenderer(escape=True), plugins=list(plugins))


#: The questions behind :class:`~iliopsoas_lib.routine.Abilities`, in the order a person answers them.
#: Unticked means "no": a stretch that needs one of these is offered only to someone who ticked it.
ABILITY_QUESTIONS: dict[str, str] = {
    "can_kneel": "I can kneel on the floor",
    "good_balance": "I can stand on one leg for a few seconds",
    "can_get_to_floor": "I can get down to the floor and up again",
    "has_bed": "I have a firm bed I can lie on",
    "has_table": "I have a sturdy table a little lower than my hip",
}


def routine_markdown(routine: Routine) -> str:
    """The routine as a person reads it: what is in, the dose, why, what to take care with, what to do
    if it hurts, and what was left out and why. An empty routine says why and where to turn."""
    lines = ["**Your routine**", ""]
    lines += [f"- {note}" for note in routine.health_notes]
    if routine.health_notes:
        lines.append("")
    for n, (item, choice) in enumerate(routine.entries(), 1):
        dose = dosage_text(item.hold_seconds, item.repetitions, item.per_side)
        kind = DOSE_LABELS[item.dose_kind].lower()
        lines.append(f"{n}. **{item.stretch.name}**: {dose} ({kind}). *Why:* {choice.reason}")
        lines += [f"    - Take care: {note}" for note in choice.care]
        lines.append(f"    - If it hurts: {item.stretch.on_pain.text}")
    if not routine.items:
        lines.append(routine.empty_message)
    if routine.left_out and not routine.withheld:
        lines += ["", "**Left out**", ""]
        lines += [f"- **{c.name}**: {c.reason}" for c in routine.left_out]
    if routine.items:
        lines += [
            "",
            f"**Total time:** about {minutes_text(routine.duration())}, with time to get ready, "
            "switch sides and rest.",
        ]
        kinds = dict.fromkeys(item.dose_kind for item in routine.items)
        for kind in kinds:
            lines += ["", f"*{DOSE_LABELS[kind]}:* {DOSE_MEANING[kind]}"]
    return "\n".join(lines)


def entries_markdown(entries: Iterable[Any], cite: Cite = cite) -> str:
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
