"""Schemas of the content files in ``iliopsoas_lib/data/`` and of a clinician's own files.

Every content file, built in or supplied, has the same shape: optional arrays of tables named
``source``, ``muscle``, ``guideline``, ``cause``, ``condition``, ``screening``, ``red_flags``, ``glossary``,
``stretch``, ``dosage_change`` and ``posture`` (a stretch's estimated hip angles, for the biomechanics model).
One shape for all files means a clinician's file is read by exactly the code that reads ours, and
a mistake in it is reported the same way (see :mod:`iliopsoas_lib.catalog`).

The models are strict (unknown fields are errors) because a misspelt field in a health handout is
worse than a refusal to load: ``hold_secs = 20`` must not silently fall back to the default.

They are frozen standard-library dataclasses with their limits written as ``Annotated`` metadata
(``annotated_types``), not pydantic models: pydantic reads the metadata and validates a file when one
is read (:func:`iliopsoas_lib.catalog.parse_content`), but importing this module imports no pydantic.
A dashboard visitor's kernel shows only the built-in content, read from a snapshot validated in
advance, so it never pays for pydantic's import and schema building (about 9 MB per visitor).
"""

from __future__ import annotations

import re
import string
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from types import MappingProxyType
from typing import TYPE_CHECKING, Annotated, Any, ClassVar, Literal

from annotated_types import Ge, Le, MaxLen, MinLen

from .limits import GET_READY_SECONDS, HOLD_SECONDS, REPETITIONS, SWITCH_SIDE_SECONDS

if TYPE_CHECKING:  # pragma: no cover
    from pydantic import ConfigDict


@dataclass(frozen=True, slots=True)
class StrOptions:
    """Pydantic's own string options (a pattern, stripping) that ``annotated_types`` has no name for.

    Pydantic calls this hook only while it builds a validator, so the options cost nothing until a
    file is validated. The messages are pydantic's usual ones ("String should match pattern ...").
    """

    pattern: str | None = None
    strip_whitespace: bool = False

    def __get_pydantic_core_schema__(self, source: Any, handler: Any) -> Any:
        schema = dict(handler(source))
        if self.pattern is not None:
            schema["pattern"] = self.pattern
        if self.strip_whitespace:
            schema["strip_whitespace"] = True
        return schema


@dataclass(frozen=True, slots=True)
class Exact:
    """A number or a true/false that must be written as one: pydantic's strict mode for this field only.

    Pydantic's usual (lax) mode turns ``hold_seconds = "45"`` into 45 without a word; a clinician who
    quoted a number may have quoted the wrong thing, so the file is refused with a hint instead (see
    :mod:`iliopsoas_lib.content_errors`). Strict mode for the whole model would also refuse the text of
    an enum (``position = "kneeling"``), which a TOML file can only write as text.
    """

    def __get_pydantic_core_schema__(self, source: Any, handler: Any) -> Any:
        schema = dict(handler(source))
        schema["strict"] = True
        return schema


#: A whole number, a number and a true/false as a file must write them (never in quotes).
Int = Annotated[int, Exact()]
Float = Annotated[float, Exact()]  # a whole number is a number too: strict floats take ints
Bool = Annotated[bool, Exact()]

#: An id: lower case, digits and underscores, starting with a letter. Stable: notebooks,
#: logs and clinicians' files refer to entries by it.
ID_PATTERN = r"^[a-z][a-z0-9_]*$"
Id = Annotated[str, StrOptions(pattern=ID_PATTERN), MinLen(2), MaxLen(60)]
Text = Annotated[str, StrOptions(strip_whitespace=True), MinLen(1)]
SourceIds = Annotated[tuple[Id, ...], MinLen(1)]

#: Safe bounds for a dosage (limits.py). Outside them a value is an error, not a warning: the guideline
#: range (hold 20-30 s, see guidelines.toml) is narrower and only warns (issue: a clinician decides).
HoldSeconds = Annotated[Int, Ge(HOLD_SECONDS.low), Le(HOLD_SECONDS.high)]
Repetitions = Annotated[Int, Ge(REPETITIONS.low), Le(REPETITIONS.high)]


class Strict:
    """Base for content models: unknown fields are errors when pydantic validates a file.

    Each model is a frozen, slotted, keyword-only dataclass (keyword-only because optional fields sit
    between required ones, in the order a reader meets them). Its lists are tuples: the built-in content
    is cached for the life of a process and shared by every catalog loaded in it, so an entry that could
    be changed in place would change it for every later caller (a cleared ``cautions`` once left every
    stretch without its safety notes). Frozen must mean frozen all the way down.

    The config is a plain dict (pydantic's ``ConfigDict`` is a ``TypedDict``), so defining a model
    imports no pydantic; pydantic finds it on each dataclass through inheritance.
    """

    __slots__ = ()
    __pydantic_config__: ClassVar[ConfigDict] = {"extra": "forbid"}


@dataclass(frozen=True, slots=True, kw_only=True)
class Fact(Strict):
    """One statement and the sources that back it."""

    text: Text
    sources: SourceIds


class SourceKind(StrEnum):
    """What kind of work a source is. ``editorial`` marks advice this project's authors wrote themselves,
    so a reader can tell it from advice taken from a published source."""

    ARTICLE = "article"
    BOOK = "book"
    JOURNAL = "journal"
    WEBPAGE = "webpage"
    GUIDELINE = "guideline"
    MODEL = "model"
    CLINICIAN = "clinician"
    EDITORIAL = "editorial"


@dataclass(frozen=True, slots=True, kw_only=True)
class Source(Strict):
    """A reference that facts cite by ``id``."""

    id: Id
    kind: SourceKind
    authors: Annotated[tuple[Text, ...], MinLen(1)]
    title: Text
    published_in: str = ""
    year: Annotated[Int, Ge(1800), Le(2100)] | None = None
    url: str = ""
    note: str = ""
    #: A short label a patient reads beside a fact ("Lindberg", "our advice"); the full reference is in
    #: the references list. Empty: the first author's family name.
    label: str = ""

    def short_label(self) -> str:
        """The label for patient pages: short and readable, never the raw id."""
        if self.label:
            return self.label
        first = self.authors[0].split(",")[0].strip()
        parts = first.split()
        # "Lindberg S" -> "Lindberg"; "Harvard Health Publishing" stays whole (no initials to drop).
        if len(parts) > 1 and parts[-1].isupper() and len(parts[-1]) <= 3:
            return " ".join(parts[:-1])
        return first

    def citation(self) -> str:
        """A one-line reference in a short Vancouver-like style.

        An editorial source has no publication to point to, so its note (where the advice comes from and
        what it is not) is printed instead: every references list then says plainly that it is our own.
        """
        authors = ", ".join(self.authors)
        parts = [f"{authors}. {self.title}."]
        if self.kind is SourceKind.EDITORIAL:
            return " ".join([*parts, self.note] if self.note else parts)
        if self.published_in:
            parts.append(f"{self.published_in}.")
        parts.append(f"{self.year}." if self.year else "n.d.")
        if self.url:
            parts.append(self.url)
        return " ".join(parts)


@dataclass(frozen=True, slots=True, kw_only=True)
class Muscle(Strict):
    """One of the muscles that make up the iliopsoas, with each anatomical fact cited."""

    id: Id
    name: Text
    summary: Fact
    origin: Fact
    insertion: Fact
    nerve_supply: Fact
    actions: Fact
    variation: Fact
    #: Share of people in whom the muscle is absent, in percent, where sources give one.
    absent_in_percent: Annotated[Float, Ge(0), Le(100)] | None = None
    #: The same muscle in everyday words for patient pages (the technical facts stay in the notebooks).
    plain: Fact | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Guideline(Strict):
    """A rule for stretching safely and usefully, e.g. how long to hold."""

    id: Id
    title: Text
    text: Text
    sources: SourceIds
    #: For numeric guidelines: the recommended range and its unit.
    low: Float | None = None
    high: Float | None = None
    unit: str = ""

    def __post_init__(self) -> None:
        # A ValueError here is reported by pydantic like any other, at this entry (see catalog.py).
        if (self.low is None) != (self.high is None):
            raise ValueError("give both low and high, or neither")
        if self.low is not None and self.high is not None and self.low > self.high:
            raise ValueError(f"low ({self.low}) must not exceed high ({self.high})")


@dataclass(frozen=True, slots=True, kw_only=True)
class Cause(Strict):
    """Something that makes the iliopsoas tight or short."""

    id: Id
    title: Text
    text: Text
    sources: SourceIds


@dataclass(frozen=True, slots=True, kw_only=True)
class Condition(Strict):
    """A condition related to a tight iliopsoas that needs a clinician, not only stretching."""

    id: Id
    name: Text
    text: Text
    sources: SourceIds


class Need(StrEnum):
    """What a stretch asks of the person or the room. Routines leave out a stretch whose need is unmet."""

    KNEEL = "kneel"
    BALANCE = "balance"
    BED = "bed"
    TABLE = "table"
    FLOOR = "floor"


@dataclass(frozen=True, slots=True, kw_only=True)
class Screening(Strict):
    """A health question asked before any routine, and what a "yes" means.

    A "yes" to an ``ask_first`` question leaves out every stretch until a clinician has said which are
    safe (e.g. after hip surgery). Otherwise each stretch says in its ``limits`` whether it is skipped
    or eased for this condition, and ``advice`` is shown with the routine. Clinicians add their own.
    """

    id: Id
    #: The question as the person answers it, in plain words.
    question: Text
    #: The condition in a phrase that follows "because of": "a hip replacement or other hip surgery".
    name: Text
    ask_first: Bool = False
    #: What a person who answers "yes" should know or do.
    advice: Text
    sources: SourceIds


@dataclass(frozen=True, slots=True, kw_only=True)
class RedFlags(Strict):
    """Signs that mean stop and get medical help, shown on every page a patient reads."""

    id: Id
    title: Text
    intro: Text
    #: Each sign with its own sources, so a reader can tell a guideline's red flag from our own advice.
    signs: Annotated[tuple[Fact, ...], MinLen(1)]
    action: Text
    sources: SourceIds

    @property
    def sign_texts(self) -> tuple[str, ...]:
        """The signs' words, in order, for lists that print no citations (plain text, a calendar)."""
        return tuple(sign.text for sign in self.signs)


@dataclass(frozen=True, slots=True, kw_only=True)
class GlossaryTerm(Strict):
    """A technical word that patient pages must keep, explained in everyday words."""

    id: Id
    term: Text
    meaning: Text
    sources: SourceIds


class Position(StrEnum):
    STANDING = "standing"
    KNEELING = "kneeling"
    LYING_ON_FLOOR = "lying_on_floor"
    LYING_ON_BED = "lying_on_bed"


@dataclass(frozen=True, slots=True, kw_only=True)
class Dosage(Strict):
    """How long and how often: hold seconds, repetitions, and whether each side is done separately."""

    hold_seconds: HoldSeconds
    repetitions: Repetitions
    per_side: Bool
    sources: SourceIds


@dataclass(frozen=True, slots=True, kw_only=True)
class Variant(Strict):
    """An easier or harder form of a stretch."""

    name: Text
    text: Text
    sources: SourceIds


@dataclass(frozen=True, slots=True, kw_only=True)
class Caution(Strict):
    """A safety instruction shown with the stretch."""

    text: Text
    sources: SourceIds


@dataclass(frozen=True, slots=True, kw_only=True)
class LimitRule(Strict):
    """What a reported limit means for this stretch: skip it, or do it with care."""

    #: The id of a ``[[screening]]`` question (the loader checks it exists).
    limit: Id
    action: Literal["skip", "ease"]
    reason: Text
    sources: SourceIds


@dataclass(frozen=True, slots=True, kw_only=True)
class Stretch(Strict):
    """A stretch for the iliopsoas: how to do it, how much, who it suits and when to leave it out."""

    id: Id
    name: Text
    summary: Text
    position: Position
    equipment: tuple[Text, ...] = ()
    needs: tuple[Need, ...] = ()
    #: Why a person might choose this one (e.g. it suits people who cannot kneel).
    suits: Fact
    #: The steps. The dose is never written out here: ``{hold}`` and ``{times}`` are filled in from the
    #: dose the person follows ("30 seconds", "2 times on each side"), so any dose prints consistently.
    steps: Annotated[tuple[Text, ...], MinLen(1)]
    #: The one cue the timer shows during a hold ("Tuck your tailbone under").
    cue: Text
    #: Where the stretch should be felt, and where it should not.
    feel: Fact
    not_feel: Fact
    #: Mistakes people often make in this stretch, each with how to put it right.
    mistakes: Annotated[tuple[Caution, ...], MinLen(1)]
    #: Getting into and out of the position safely (down to the floor, off a bed, onto a table).
    get_in_out: Fact
    #: The dose a routine uses: sized to the flexibility guideline (about 60 s per side a session).
    dosage: Dosage
    #: The source article's full dose, offered as a labelled longer option.
    full_dose: Dosage | None = None
    #: Seconds to get into position before the first hold, and to change sides between holds.
    get_ready_seconds: Annotated[Int, Ge(GET_READY_SECONDS.low), Le(GET_READY_SECONDS.high)] = 10
    switch_side_seconds: Annotated[Int, Ge(SWITCH_SIDE_SECONDS.low), Le(SWITCH_SIDE_SECONDS.high)] = 5
    #: For one-sided stretches: the hip stretched first when the steps are followed as written.
    #: The timer names the hip being stretched, not the leg that moves (in a lunge they differ).
    first_side: Literal["left", "right"] = "right"
    target_muscles: Annotated[tuple[Id, ...], MinLen(1)]
    cautions: Annotated[tuple[Caution, ...], MinLen(1)]
    on_pain: Caution
    #: Who should skip or ease it: at least one rule says "skip", so every stretch names who it is not for.
    limits: Annotated[tuple[LimitRule, ...], MinLen(1)]
    easier: Variant
    harder: Variant
    sources: SourceIds
    #: A clinic's own picture of this stretch (PNG or JPEG), as a path relative to the content file;
    #: checked when the file is loaded (see iliopsoas_lib.stretch_picture), printed instead of the pose.
    picture: Annotated[str, MinLen(1), MaxLen(500)] | None = None

    def __post_init__(self) -> None:
        seen = [rule.limit for rule in self.limits]
        dupes = sorted({str(limit) for limit in seen if seen.count(limit) > 1})
        if dupes:
            raise ValueError(f"more than one rule for limit {', '.join(dupes)}")
        if not any(rule.action == "skip" for rule in self.limits):
            raise ValueError("limits: at least one rule must say action = \"skip\" (who should not do it)")
        for where, text in self._prose():
            check_dose_free(text, where)

    def _prose(self) -> list[tuple[str, str]]:
        """Every text of the stretch a person reads as instructions, with its field name: none of them
        may state a dose, since the dose is data and may be changed by a clinician."""
        prose = [(f"steps[{n}]", step) for n, step in enumerate(self.steps, 1)]
        prose += [("cue", self.cue), ("feel.text", self.feel.text), ("not_feel.text", self.not_feel.text)]
        prose += [(f"mistakes[{n}].text", m.text) for n, m in enumerate(self.mistakes, 1)]
        prose += [(f"cautions[{n}].text", c.text) for n, c in enumerate(self.cautions, 1)]
        prose += [("on_pain.text", self.on_pain.text), ("get_in_out.text", self.get_in_out.text)]
        prose += [(f"limits[{n}].reason", rule.reason) for n, rule in enumerate(self.limits, 1)]
        return [*prose, ("easier.text", self.easier.text), ("harder.text", self.harder.text)]


#: The placeholders step text may use; each is filled from the dose a person follows.
DOSE_PLACEHOLDERS = ("hold", "times")
_NUMBER = r"(?:\d+|one|two|three|four|five|six|seven|eight|nine|ten|twelve|fifteen|twenty|thirty|sixty)"
_DOSE_WORDS = re.compile(
    rf"\b{_NUMBER}(?:\s*(?:to|-|or)\s*{_NUMBER})?\s*"
    r"(?:s|secs?|seconds?|minutes?|times|reps|repetitions|sets|stretches|bridges|holds)\b"
    r"|\b(?:half )?an? minute\b|\b(?:twice|thrice)\b",
    re.IGNORECASE,
)


def check_dose_free(text: str, where: str) -> None:
    """Refuse step text that states a hold time or a count of its own, or an unknown placeholder.

    Numbers in prose drift from the dose: a clinician's 60 s x 2 once printed beside "stay up for 20 to
    30 seconds". The dose enters text only through ``{hold}`` and ``{times}``.
    """
    try:
        names = {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}
    except ValueError as exc:
        raise ValueError(f"{where}: braces must be {{hold}} or {{times}} ({exc})") from None
    unknown = sorted(names - set(DOSE_PLACEHOLDERS))
    if unknown:
        raise ValueError(f"{where}: unknown placeholder {{{unknown[0]}}}; use {{hold}} or {{times}}")
    found = _DOSE_WORDS.search(text)
    if found:
        raise ValueError(
            f"{where}: states a dose of its own ({found.group(0)!r}); write {{hold}} or {{times}} instead, "
            "so the text follows the dose"
        )


@dataclass(frozen=True, slots=True, kw_only=True)
class DosageChange(Strict):
    """A clinician's deliberate change to the dosage of a stretch defined elsewhere."""

    stretch: Id
    hold_seconds: HoldSeconds | None = None
    repetitions: Repetitions | None = None
    #: Why the dose differs from the stretch's own: printed beside the dose wherever it is shown (the
    #: handout, the command line, the clinicians' panel) as ``RoutineItem.reason``.
    reason: Text
    sources: SourceIds

    def __post_init__(self) -> None:
        if self.hold_seconds is None and self.repetitions is None:
            raise ValueError("a dosage_change must set hold_seconds or repetitions")


#: A hip angle in degrees, inside the widest range the hip model takes (see iliopsoas_lib.biomechanics).
Degrees = Annotated[Float, Ge(-120), Le(120)]


@dataclass(frozen=True, slots=True, kw_only=True)
class StretchPosture(Strict):
    """The estimated hip posture of one stretch: a hip extension range (degrees beyond standing).

    The biomechanics model turns it into how much longer the muscles are than in standing, and the
    pose pictures are drawn from it. Extension is positive here because that is how a stretch is
    described ("the hip opens 10 to 20 degrees behind the body"); a negative value means the hip is
    still a little bent. Nobody measured these angles, so ``estimate`` must say so.
    """

    #: The id of the stretch (the loader checks it exists and has no other posture).
    stretch: Id
    hip_extension_low_deg: Degrees
    hip_extension_high_deg: Degrees
    hip_adduction_deg: Degrees = 0.0
    hip_rotation_deg: Degrees = 0.0
    estimate: Annotated[Literal[True], Exact()]
    how_estimated: Text
    sources: tuple[Id, ...] = ()

    def __post_init__(self) -> None:
        if self.hip_extension_low_deg > self.hip_extension_high_deg:
            raise ValueError(
                f"hip_extension_low_deg ({self.hip_extension_low_deg:g}) must not be above "
                f"hip_extension_high_deg ({self.hip_extension_high_deg:g})"
            )

    def flexion_range_deg(self) -> tuple[float, float]:
        """The same range as hip flexion angles in the model's sign (extension negative), low to high."""
        return -self.hip_extension_high_deg, -self.hip_extension_low_deg


@dataclass(frozen=True, slots=True, kw_only=True)
class ContentFile(Strict):
    """The shape of every content file."""

    source: tuple[Source, ...] = ()
    muscle: tuple[Muscle, ...] = ()
    guideline: tuple[Guideline, ...] = ()
    cause: tuple[Cause, ...] = ()
    condition: tuple[Condition, ...] = ()
    screening: tuple[Screening, ...] = ()
    red_flags: tuple[RedFlags, ...] = ()
    glossary: tuple[GlossaryTerm, ...] = ()
    stretch: tuple[Stretch, ...] = ()
    dosage_change: tuple[DosageChange, ...] = ()
    posture: tuple[StretchPosture, ...] = ()


#: The entry kinds in a content file, with the field that names each entry in messages.
ENTRY_KINDS: Mapping[str, str] = MappingProxyType(
    {
        "source": "id",
        "muscle": "id",
        "guideline": "id",
        "cause": "id",
        "condition": "id",
        "screening": "id",
        "red_flags": "id",
        "glossary": "id",
        "stretch": "id",
        "dosage_change": "stretch",
        "posture": "stretch",
    }
)
