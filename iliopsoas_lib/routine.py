"""Routines: which stretches suit a person, in what order, for how long, and why.

:func:`build_routine` reads the rules from the content (the screening questions, each stretch's
``needs`` and ``limits``), not from code, so a clinician's own stretch or question is applied by the same
reasoning as ours. Screening comes first: until every health question has an answer, or after a "yes"
that needs a clinician's word first, no stretch is offered. Nothing is assumed: an ability nobody
confirmed counts as "not able". A :class:`Routine` expands into a timeline of :class:`Phase` objects
that the timer walks through.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum

from .catalog import Catalog
from .limits import (
    GET_READY_SECONDS,
    HOLD_SECONDS,
    REPETITIONS,
    REST_SECONDS,
    SWITCH_SIDE_SECONDS,
    DosageError,
    finite_number,
)
from .routine_words import (
    ANSWER_HEALTH_QUESTIONS,
    NO_STRETCH_FITS,
    ask_first_text,
    dose_short,
    minutes_text,
    steps_text,
)
from .schema import Dosage, Need, Position, Screening, Stretch

#: Stretches are grouped by position so a person gets down to the floor once and finishes lying down.
POSITION_ORDER: dict[Position, int] = {
    Position.STANDING: 0,
    Position.KNEELING: 1,
    Position.LYING_ON_FLOOR: 2,
    Position.LYING_ON_BED: 3,
}

_NEED_WORDS: dict[Need, str] = {
    Need.KNEEL: "it needs kneeling",
    Need.BALANCE: "it needs steady balance",
    Need.BED: "it needs a bed",
    Need.TABLE: "it needs a table a little lower than your hip",
    Need.FLOOR: "it needs getting down to the floor",
}


class EmptyRoutineError(ValueError):
    """A document asked for a routine with no stretch in it (no stretch fits the person's answers).

    A ValueError, so the command line and the dashboard show its message like any other bad input.
    """


#: The abilities and things at hand a person is asked about, in the order they are asked.
ABILITY_FIELDS = ("can_kneel", "good_balance", "can_get_to_floor", "has_bed", "has_table")


@dataclass(frozen=True)
class Abilities:
    """What a person can do, what they have, and their answers to the health questions.

    Nothing is assumed: every ability defaults to "no" (a stretch needing it is not offered until the
    person says they can), and ``conditions`` defaults to None, meaning the health questions are not
    answered yet, so no stretch at all is offered. Once answered, ``conditions`` holds the ids of the
    screening questions (``[[screening]]`` in the content) answered "yes"; every other one was "no".
    """

    can_kneel: bool = False
    good_balance: bool = False
    can_get_to_floor: bool = False
    has_bed: bool = False
    has_table: bool = False
    conditions: frozenset[str] | None = None

    def __post_init__(self) -> None:
        if self.conditions is not None and not isinstance(self.conditions, frozenset):
            if isinstance(self.conditions, str):
                raise TypeError("conditions: give a set of screening ids, e.g. {'knee_pain'}, not a string")
            object.__setattr__(self, "conditions", frozenset(self.conditions))

    def meets(self, need: Need) -> bool:
        return {
            Need.KNEEL: self.can_kneel,
            Need.BALANCE: self.good_balance,
            Need.BED: self.has_bed,
            Need.TABLE: self.has_table,
            Need.FLOOR: self.can_get_to_floor,
        }[need]

    def has(self, condition: str) -> bool:
        """A "yes" to this screening question; unanswered questions count as "yes" (nothing assumed)."""
        return self.conditions is None or condition in self.conditions

    def describe(self) -> str:
        """One line listing the answers, for printing beside a routine."""
        answers = [
            f"{name.replace('_', ' ')}: {'yes' if getattr(self, name) else 'no'}" for name in ABILITY_FIELDS
        ]
        if self.conditions is None:
            answers.append("health questions: not answered")
        else:
            answers.append(f"health: {', '.join(sorted(self.conditions)) or 'none'}")
        return ", ".join(answers)


@dataclass(frozen=True)
class Gaps:
    """Seconds between holds: getting into position, changing sides, resting between repetitions.

    ``get_ready`` and ``switch_side`` default to None: each stretch's own time from the content (turning
    round on a bed takes longer than swapping feet in a lunge). A number sets it for every stretch.
    """

    get_ready: int | None = None
    switch_side: int | None = None
    rest: int = 10

    def __post_init__(self) -> None:
        # Bounds from limits.py; a gap may be a fraction of a second, unlike the whole numbers of Limit.check.
        gaps = {"get_ready": GET_READY_SECONDS, "switch_side": SWITCH_SIDE_SECONDS, "rest": REST_SECONDS}
        for name, limit in gaps.items():
            low, high = limit.low, limit.high
            value = getattr(self, name)
            if value is None and name != "rest":
                continue
            if not (finite_number(value) and low <= value <= high):
                raise DosageError(f"{name} gap must be between {low} and {high} seconds, got {value!r}")


@dataclass(frozen=True)
class Choice:
    """Whether a stretch is in the routine and why, in words a patient can read."""

    stretch_id: str
    name: str
    included: bool
    reason: str
    care: tuple[str, ...] = ()


class DoseKind(StrEnum):
    """Where an item's dose comes from, so a patient knows which dose they follow and its source."""

    USUAL = "usual"  # the stretch's guideline-sized dose
    FULL = "full"  # the source article's longer dose
    CLINICIAN = "clinician"  # set for this person (an override, a plan or a [[dosage_change]])


@dataclass(frozen=True)
class RoutineItem:
    """One stretch in a routine with the dosage this person will do, and where that dose comes from.

    ``dose_sources`` are what the dose itself may cite: the content's sources for a usual or full dose
    (and a ``[[dosage_change]]``'s), none for a number set just for this routine, which no source gave.
    ``reason`` says why the dose differs from the guideline dose, in the clinician's words: a clinic
    file's ``[[dosage_change]]`` reason, or the words given with a dose set for this routine ("" when
    none was given, and always for a usual or full dose). The handout, the command line and the
    clinicians' panel print it beside the dose.
    """

    stretch: Stretch
    hold_seconds: int
    repetitions: int
    dose_kind: DoseKind = DoseKind.USUAL
    dose_sources: tuple[str, ...] = ()
    reason: str = ""

    @property
    def per_side(self) -> bool:
        return self.stretch.dosage.per_side

    @property
    def sides(self) -> tuple[str, str]:
        """The hips in the order they are stretched."""
        first = self.stretch.first_side
        return (first, "left" if first == "right" else "right")

    @property
    def holds(self) -> int:
        return self.repetitions * (2 if self.per_side else 1)

    def steps(self) -> list[str]:
        """The stretch's steps with this item's dose written in, so text and timer never disagree."""
        return steps_text(self.stretch, self.hold_seconds, self.repetitions)


class PhaseKind(StrEnum):
    GET_READY = "get ready"
    HOLD = "hold"
    SWITCH_SIDE = "switch side"
    REST = "rest"
    DONE = "done"


@dataclass(frozen=True)
class Phase:
    """One step of the timeline: what to do, on which side, for how long, and when it starts.

    ``side`` is the hip being stretched ("left"/"right"), or None for two-sided stretches and gaps.
    """

    kind: PhaseKind
    duration: float
    start: float
    stretch_id: str = ""
    stretch_name: str = ""
    side: str | None = None
    repetition: int = 0
    repetitions: int = 0
    index: int = 0
    #: The stretch's key cue, shown by the timer while this phase runs ("Tuck your tailbone under").
    cue: str = ""

    @property
    def end(self) -> float:
        return self.start + self.duration

    def describe(self) -> str:
        """What to tell the person at the start of this phase, e.g. for a screen reader."""
        side = f", {self.side} hip" if self.side else ""
        if self.kind is PhaseKind.DONE:
            return "Routine complete. Well done."
        if self.kind is PhaseKind.GET_READY:
            return f"Get ready: {self.stretch_name}"
        if self.kind is PhaseKind.HOLD:
            return f"Hold: {self.stretch_name}{side}, {self.repetition} of {self.repetitions}"
        if self.kind is PhaseKind.SWITCH_SIDE:
            return f"Switch sides: next, the {self.side} hip"
        return f"Rest, then {self.stretch_name} again"


@dataclass(frozen=True)
class Routine:
    """The stretches a person will do, in order, with the reasons behind every choice."""

    items: tuple[RoutineItem, ...]
    choices: tuple[Choice, ...]
    abilities: Abilities
    gaps: Gaps = field(default_factory=Gaps)
    #: Why no stretch is offered, when none is: answer the questions first, or see a clinician first.
    withheld: str = ""
    #: The health questions this person answered "yes" (when they did not withhold the routine): each
    #: one's advice goes with the routine, cited (e.g. pregnancy: hold a wall).
    health: tuple[Screening, ...] = ()
    #: True when the source article's full dose was chosen instead of the guideline-sized one.
    full_dose: bool = False

    def get_ready_seconds(self, item: RoutineItem) -> float:
        """Seconds to get into position for ``item``: the routine's setting, else the stretch's own."""
        value = self.gaps.get_ready
        return float(item.stretch.get_ready_seconds if value is None else value)

    def switch_side_seconds(self, item: RoutineItem) -> float:
        """Seconds to change sides in ``item``: the routine's setting, else the stretch's own."""
        value = self.gaps.switch_side
        return float(item.stretch.switch_side_seconds if value is None else value)

    @property
    def health_notes(self) -> tuple[str, ...]:
        """What each "yes" means for this person, in words: "Pregnancy: Tell your midwife..."."""
        return tuple(f"{s.name[:1].upper()}{s.name[1:]}: {s.advice}" for s in self.health)

    @property
    def empty_message(self) -> str:
        """What a person reads instead of a routine when no stretch is offered ("" when some are)."""
        if self.items:
            return ""
        return self.withheld or NO_STRETCH_FITS

    def phases(self) -> tuple[Phase, ...]:
        """The expanded timeline: get ready, holds (alternating sides), switches, rests, then done.

        One-sided stretches alternate right and left, as the source article describes, with a switch
        phase between the two sides and a rest between repetitions.
        """
        out: list[Phase] = []
        clock = 0.0

        def add(kind: PhaseKind, duration: float, item: RoutineItem | None = None, **kw: object) -> None:
            nonlocal clock
            named = (
                {"stretch_id": item.stretch.id, "stretch_name": item.stretch.name, "cue": item.stretch.cue}
                if item
                else {}
            )
            out.append(Phase(kind, float(duration), clock, index=len(out), **named, **kw))  # type: ignore[arg-type]
            clock += duration

        for item in self.items:
            add(PhaseKind.GET_READY, self.get_ready_seconds(item), item)
            for rep in range(1, item.repetitions + 1):
                count = {"repetition": rep, "repetitions": item.repetitions}
                if rep > 1 and self.gaps.rest:
                    add(PhaseKind.REST, self.gaps.rest, item, **count)
                if item.per_side:
                    first, second = item.sides
                    add(PhaseKind.HOLD, item.hold_seconds, item, side=first, **count)
                    add(PhaseKind.SWITCH_SIDE, self.switch_side_seconds(item), item, side=second, **count)
                    add(PhaseKind.HOLD, item.hold_seconds, item, side=second, **count)
                else:
                    add(PhaseKind.HOLD, item.hold_seconds, item, **count)
        add(PhaseKind.DONE, 0)
        return tuple(out)

    def duration(self) -> float:
        """Estimated whole time in seconds, gaps included; equals the sum of the phases."""
        total = 0.0
        for item in self.items:
            total += self.get_ready_seconds(item) + item.holds * item.hold_seconds
            total += (item.repetitions - 1) * self.gaps.rest
            if item.per_side:
                total += item.repetitions * self.switch_side_seconds(item)
        return total

    @property
    def included(self) -> tuple[Choice, ...]:
        return tuple(c for c in self.choices if c.included)

    @property
    def left_out(self) -> tuple[Choice, ...]:
        return tuple(c for c in self.choices if not c.included)

    def entries(self) -> list[tuple[RoutineItem, Choice]]:
        """Each stretch of the routine, in order, with the choice that put it there (its reason and care
        notes): what every summary of a routine lists, in text, Markdown or a handout."""
        choices = {choice.stretch_id: choice for choice in self.choices}
        return [(item, choices[item.stretch.id]) for item in self.items]

    def table(self) -> str:
        """A plain-text summary for notebooks and handouts: what is in, the dose, why, what to take care
        with and what to do if it hurts. An empty routine says so plainly instead of a bare total."""
        lines = [f"Health: {note}" for note in self.health_notes]
        for n, (item, choice) in enumerate(self.entries(), 1):
            dose = dose_short(item.repetitions, item.hold_seconds, item.per_side)
            lines.append(f"{n}. {item.stretch.name}: {dose}")
            lines.append(f"   why: {choice.reason}")
            lines += [f"   take care: {note}" for note in choice.care]
            lines.append(f"   if it hurts: {item.stretch.on_pain.text}")
        if not self.items:
            lines.append(self.empty_message)
        if self.left_out and not self.withheld:
            lines.append("Left out:")
            lines += [f"- {c.name}: {c.reason}" for c in self.left_out]
        if self.items:
            lines.append(f"Total time: about {minutes_text(self.duration())}")
        return "\n".join(lines)


def build_routine(
    catalog: Catalog,
    abilities: Abilities | None = None,
    *,
    only: Iterable[str] | None = None,
    hold_seconds: int | None = None,
    repetitions: int | None = None,
    dosage: Mapping[str, Mapping[str, int]] | None = None,
    gaps: Gaps | None = None,
    full_dose: bool = False,
    reasons: Mapping[str, str] | None = None,
) -> Routine:
    """Choose and order the catalog's stretches for a person, and say why each is in or out.

    Screening comes first: with the health questions unanswered (``abilities.conditions`` is None), or
    a "yes" to an ``ask_first`` question, every stretch is left out and the routine says why. Then a
    stretch is left out when one of its ``needs`` is not met or one of its limit rules says ``skip``
    for a condition the person has; a rule that says ``ease`` keeps it in with a note.
    With no ``abilities`` at all, nothing is assumed: nothing is offered.

    Each stretch's dose is its guideline-sized ``dosage``; ``full_dose=True`` takes the source article's
    full dose where the content gives one. ``only`` restricts the choice to the given stretch ids (in
    any order). ``hold_seconds`` and ``repetitions`` override every stretch's dosage; ``dosage``
    overrides per stretch id, e.g. ``{"glute_bridge": {"repetitions": 5}}``. Values outside the safe
    bounds raise :class:`DosageError`. ``reasons`` gives, by stretch id, why a dose set here differs
    from the guideline (the item's ``reason``); a reason for a stretch whose dose is not changed here is
    an error, since it would explain nothing the patient follows.
    """
    abilities = abilities or Abilities()
    _check_conditions(catalog, abilities)
    wanted = _check_only(catalog, only)
    overrides = _check_overrides(catalog, hold_seconds, repetitions, dosage)
    why = _check_reasons(catalog, overrides, reasons)
    withheld = _withheld(catalog, abilities)
    chosen: list[RoutineItem] = []
    choices: list[Choice] = []
    for stretch in sorted(catalog.stretches.values(), key=lambda s: POSITION_ORDER[s.position]):
        if wanted is not None and stretch.id not in wanted:
            continue
        if withheld:
            choice = Choice(stretch.id, stretch.name, False, withheld)
        else:
            choice = _choose(catalog, stretch, abilities)
        choices.append(choice)
        if choice.included:
            chosen.append(
                _dosed(catalog, stretch, full_dose, overrides.get(stretch.id, {}), why.get(stretch.id, ""))
            )
    # A "yes" that withholds the routine says so in ``withheld``; every other "yes" keeps its advice,
    # so a person told to see a clinician after hip surgery still reads what pregnancy means.
    health = tuple(
        screening
        for screening in catalog.screenings.values()
        if abilities.conditions is not None
        and screening.id in abilities.conditions
        and not (withheld and screening.ask_first)
    )
    return Routine(
        tuple(chosen), tuple(choices), abilities, gaps or Gaps(), withheld, health, full_dose=full_dose
    )


def _dosed(
    catalog: Catalog, stretch: Stretch, full_dose: bool, override: Mapping[str, int], reason: str = ""
) -> RoutineItem:
    """The stretch with its dose: the guideline-sized one, the article's full dose when asked for and the
    content has one, or the numbers given for this routine; each with where it comes from and why."""
    full = full_dose and stretch.full_dose is not None
    base: Dosage = stretch.full_dose if full and stretch.full_dose is not None else stretch.dosage
    hold = override.get("hold_seconds", base.hold_seconds)
    reps = override.get("repetitions", base.repetitions)
    sources: tuple[str, ...]
    if (hold, reps) != (base.hold_seconds, base.repetitions):
        # A dose set here replaces a clinic file's too: that file's reason no longer explains it.
        kind, sources = DoseKind.CLINICIAN, ()
    elif stretch.id in catalog.dosage_changes:
        kind, sources = DoseKind.CLINICIAN, tuple(base.sources)
        reason = reason or catalog.dosage_changes[stretch.id].reason
    else:
        kind, sources, reason = (DoseKind.FULL if full else DoseKind.USUAL), tuple(base.sources), ""
    return RoutineItem(stretch, hold, reps, kind, sources, reason.strip())


def _withheld(catalog: Catalog, abilities: Abilities) -> str:
    """Why no stretch may be offered yet, or "" when screening lets the routine be built."""
    if abilities.conditions is None:
        return ANSWER_HEALTH_QUESTIONS
    first = [s for s in catalog.screenings.values() if s.ask_first and s.id in abilities.conditions]
    return ask_first_text(first) if first else ""


def _check_conditions(catalog: Catalog, abilities: Abilities) -> None:
    """A condition id that no screening question has is a typo, never silently "no"."""
    unknown = sorted(set(abilities.conditions or ()) - set(catalog.screenings))
    if unknown:
        raise KeyError(
            f"unknown health condition(s) {', '.join(unknown)}; known: {', '.join(catalog.screenings)}"
        )


def _choose(catalog: Catalog, stretch: Stretch, abilities: Abilities) -> Choice:
    # Every reason is given, not just the first: someone without a table who also has low-back pain
    # must learn that the table stretch is not for them even once they find a table.
    unmet = [_NEED_WORDS[need] for need in stretch.needs if not abilities.meets(need)]
    reasons = [f"Left out because {' and '.join(unmet)}."] if unmet else []
    for rule in stretch.limits:
        if rule.action == "skip" and abilities.has(rule.limit):
            too = " too" if reasons else ""
            name = catalog.screening(rule.limit).name
            reasons.append(f"Left out because of {name}{too}: {rule.reason}")
    if reasons:
        return Choice(stretch.id, stretch.name, False, " ".join(reasons))
    care = tuple(
        f"With {catalog.screening(rule.limit).name}: {rule.reason}"
        for rule in stretch.limits
        if rule.action == "ease" and abilities.has(rule.limit)
    )
    return Choice(stretch.id, stretch.name, True, stretch.suits.text, care)


def _check_only(catalog: Catalog, only: Iterable[str] | None) -> set[str] | None:
    if only is None:
        return None
    wanted = set(only)
    unknown = sorted(wanted - set(catalog.stretches))
    if unknown:
        raise KeyError(f"unknown stretch id(s) {', '.join(unknown)}; known: {', '.join(catalog.stretches)}")
    return wanted


def check_hold_seconds(value: object, where: str = "hold_seconds") -> int:
    """Return ``value`` as a whole number of seconds within the safe bounds, or raise DosageError."""
    return HOLD_SECONDS.check(value, where)


def check_repetitions(value: object, where: str = "repetitions") -> int:
    """Return ``value`` as a repetition count within the safe bounds, or raise DosageError."""
    return REPETITIONS.check(value, where)


def check_dose(
    stretch_id: str, dose: Mapping[str, object], where: Callable[[str], str] | None = None
) -> dict[str, int]:
    """One stretch's dose settings (``hold_seconds``, ``repetitions``) checked against the safe bounds,
    each error naming ``dosage[<id>][<setting>]``: the one check for a dose given per stretch, whether a
    routine is built (:func:`build_routine`), re-dosed (:func:`~iliopsoas_lib.dosage.plan_dosage`) or
    typed on the command line (``--dose``, whose errors name a setting as typed: ``where`` names it)."""
    checks = {"hold_seconds": check_hold_seconds, "repetitions": check_repetitions}
    out: dict[str, int] = {}
    for key, value in dose.items():
        place = where(key) if where is not None else f"dosage[{stretch_id!r}][{key!r}]"
        if key not in checks:
            raise DosageError(f"{place}: unknown setting; use hold_seconds or repetitions")
        out[key] = checks[key](value, place)
    return out


def _check_reasons(
    catalog: Catalog, overrides: Mapping[str, Mapping[str, int]], reasons: Mapping[str, str] | None
) -> dict[str, str]:
    """The reasons by stretch id, each for a stretch that exists and whose dose is set here."""
    out: dict[str, str] = {}
    for stretch_id, reason in (reasons or {}).items():
        if stretch_id not in catalog.stretches:
            raise KeyError(
                f"reason for unknown stretch id {stretch_id!r}; known: {', '.join(catalog.stretches)}"
            )
        if not isinstance(reason, str):
            raise DosageError(f"reasons[{stretch_id!r}]: expected text, got {reason!r}")
        if not overrides.get(stretch_id) and stretch_id not in catalog.dosage_changes:
            raise DosageError(
                f"reasons[{stretch_id!r}]: no dose is changed for this stretch, so nothing to explain"
            )
        out[stretch_id] = reason
    return out


def _check_overrides(
    catalog: Catalog,
    hold_seconds: int | None,
    repetitions: int | None,
    dosage: Mapping[str, Mapping[str, int]] | None,
) -> dict[str, dict[str, int]]:
    everyone: dict[str, int] = {}
    if hold_seconds is not None:
        everyone["hold_seconds"] = check_hold_seconds(hold_seconds)
    if repetitions is not None:
        everyone["repetitions"] = check_repetitions(repetitions)
    out = {stretch_id: dict(everyone) for stretch_id in catalog.stretches}
    for stretch_id, dose in (dosage or {}).items():
        if stretch_id not in catalog.stretches:
            raise KeyError(
                f"dosage for unknown stretch id {stretch_id!r}; known: {', '.join(catalog.stretches)}"
            )
        out[stretch_id].update(check_dose(stretch_id, dose))
    return out
