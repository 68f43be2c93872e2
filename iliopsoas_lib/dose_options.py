"""The command line's dose options read strictly, and what it reports about the dose afterwards.

``--dose STRETCH_ID:hold=SECONDS,reps=N`` and ``--dose-reason [STRETCH_ID:]TEXT`` are read here into the
``dosage`` and ``reasons`` that :func:`~iliopsoas_lib.routine.build_routine` takes; their numbers are
checked by the routine's one check of a stretch's dose. After a document is written, the command prints
a :class:`DoseReport`: each dose that differs from the guideline dose with its reason, and the guideline
warnings the clinicians' panel shows.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable
from dataclasses import dataclass

from .catalog import Catalog
from .limits import DEFAULT_SESSIONS_PER_WEEK
from .routine import Routine, check_dose
from .routine_words import dose_short


@dataclass(frozen=True)
class DoseReport:
    """What the clinician reads once the document is written: each dose that differs from the guideline
    dose with its reason (stdout), and the guideline warnings the clinicians' panel shows (stderr)."""

    changed: tuple[str, ...] = ()
    cautions: tuple[str, ...] = ()

    def print(self) -> None:
        """After the document: a warning never stops it (the clinician decides), and bad input, which
        raises before this, still gets its one line alone."""
        for line in self.changed:
            print(line)
        for line in self.cautions:
            print(line, file=sys.stderr)


_DOSE = re.compile(r"([a-z][a-z0-9_]*):(.*)", re.DOTALL)
#: The --dose settings as typed, and the dose settings they set.
_DOSE_SETTINGS = {"hold": "hold_seconds", "reps": "repetitions"}
_TYPED = {name: key for key, name in _DOSE_SETTINGS.items()}


def read_doses(texts: list[str], catalog: Catalog) -> dict[str, dict[str, int]]:
    """``--dose glute_bridge:hold=30,reps=3`` -> ``{"glute_bridge": {"hold_seconds": 30, ...}}``.

    Read strictly: anything it cannot read is refused, naming the --dose and what to write, because a dose
    half understood would print a dose the clinician never chose. The numbers are checked by the one
    check of a stretch's dose (:func:`~iliopsoas_lib.routine.check_dose`), naming the setting as typed.
    """
    out: dict[str, dict[str, int]] = {}
    for text in texts:
        head = f"--dose {text!r}"
        found = _DOSE.fullmatch(text.strip())
        if found is None or not found.group(2).strip():
            raise ValueError(
                f"{head}: expected STRETCH_ID:hold=SECONDS,reps=N (either or both), e.g. glute_bridge:reps=5"
            )
        stretch_id, settings = found.group(1), found.group(2)
        if stretch_id not in catalog.stretches:
            known = ", ".join(catalog.stretches)
            raise ValueError(f"{head}: no stretch with id '{stretch_id}'; known: {known}")
        if stretch_id in out:
            raise ValueError(f"{head}: a second --dose for {stretch_id}; give hold and reps in one --dose")
        dose: dict[str, object] = {}
        for part in settings.split(","):
            key, sep, value = (piece.strip() for piece in part.partition("="))
            if not sep:
                raise ValueError(f"{head}: expected hold=SECONDS or reps=N, got {part.strip()!r}")
            if key not in _DOSE_SETTINGS:
                raise ValueError(f"{head}: unknown setting '{key}'; use hold or reps")
            name = _DOSE_SETTINGS[key]
            if name in dose:
                raise ValueError(f"{head}: {key} given twice")
            if not value.isdecimal():
                raise ValueError(f"{head}: {key} must be a whole number, got {value!r}")
            dose[name] = int(value)
        out[stretch_id] = check_dose(stretch_id, dose, _as_typed(stretch_id))
    return out


def _as_typed(stretch_id: str) -> Callable[[str], str]:
    """How a --dose error names a setting: as the clinician typed it ("--dose glute_bridge: hold")."""
    return lambda name: f"--dose {stretch_id}: {_TYPED[name]}"


def read_dose_reasons(
    texts: list[str], catalog: Catalog, doses: dict[str, dict[str, int]], *, for_all: bool
) -> dict[str, str]:
    """The ``--dose-reason`` words by stretch id: one for every dose set here, or ``ID:`` for one.

    ``doses`` are the ``--dose`` ones (:func:`read_doses`); ``for_all`` says --hold or --reps was given.
    """
    changed = list(catalog.stretches) if for_all else list(doses)
    shared: list[str] = []
    own: dict[str, str] = {}
    for text in texts:
        found = _DOSE.match(text.strip())  # "glute_bridge: words" is for one stretch; other words for all
        if found:
            stretch_id, words = found.group(1), found.group(2).strip()
            if stretch_id not in catalog.stretches:
                raise ValueError(
                    f"--dose-reason: no stretch with id '{stretch_id}' before the colon; known: "
                    f"{', '.join(catalog.stretches)} (for every dose set here, write the reason alone)"
                )
            if stretch_id not in changed:
                raise ValueError(
                    f"--dose-reason {stretch_id}: no dose is set for it here; add --dose {stretch_id}:reps=N"
                )
            own[stretch_id] = words
        else:
            shared.append(text.strip())
    if len(shared) > 1:
        raise ValueError("--dose-reason: give one reason for all, or one per stretch as STRETCH_ID:TEXT")
    if shared and not changed:
        raise ValueError("--dose-reason: no dose is set here to explain; set one with --dose, --hold, --reps")
    if any(not words for words in [*shared, *own.values()]):
        raise ValueError("--dose-reason: the reason is empty")
    reasons = dict.fromkeys(changed, shared[0]) if shared else {}
    return {**reasons, **own}


def dose_report(catalog: Catalog, routine: Routine, sessions: int | None) -> DoseReport:
    """Each dose that differs from the guideline dose with its reason, and the guideline warnings."""
    from .dosage import plan_dosage, warnings_text
    from .routine import DoseKind

    changed = []
    for item in routine.items:
        if item.dose_kind is not DoseKind.CLINICIAN:
            continue
        full = item.stretch.full_dose
        usual = full if routine.full_dose and full is not None else item.stretch.dosage
        if (item.hold_seconds, item.repetitions) != (usual.hold_seconds, usual.repetitions):
            where = f"set here; the content's dose is {dose_short(usual.repetitions, usual.hold_seconds)}"
        else:
            where = "a clinic file's dose change"
        why = item.reason or "no reason given (add --dose-reason)"
        dose = dose_short(item.repetitions, item.hold_seconds, item.per_side)
        changed.append(f"dose: {item.stretch.name} {dose} ({where}). Why: {why}")
    plan = plan_dosage(catalog, routine, sessions_per_week=sessions or DEFAULT_SESSIONS_PER_WEEK)
    warning = warnings_text(plan.warnings(catalog))
    return DoseReport(tuple(changed), (f"warning: {warning}",) if warning else ())


__all__ = ["DoseReport", "dose_report", "read_dose_reasons", "read_doses"]
