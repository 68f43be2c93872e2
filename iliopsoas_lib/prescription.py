"""The prescription link: a short URL that opens the shared dashboard with the routine a clinician chose.

The link carries only what the plan is: each stretch's id with its hold and repetitions, and the sessions
a week. Never a name, a health answer, a note or a reason (a clinician's reason is free text and may name
the patient's history): the link travels in text messages, chat previews and server logs.

Shape: ``<base>?rx=1.<sessions>.<id>-<hold>-<reps>.<id>-<hold>-<reps>....<check>``. Every character is
URL-safe as it stands (ids are ``[a-z][a-z0-9_]*``, numbers are digits, the separators ``.`` and ``-``),
so the link is readable and survives copying. ``1`` is the format's version; ``<check>`` is the first
8 hex digits of the SHA-256 of everything before it.

The check is not a signature: anyone can make a valid link, since the dashboard is public and the
clinician's machine shares no secret with it. It catches a link cut short or mistyped. Safety comes from
the reader: every id must be in the catalog, every number within the same safe bounds as a content file
(:func:`~iliopsoas_lib.routine.check_hold_seconds`), and the person still answers the health questions,
whose rules :func:`~iliopsoas_lib.routine.build_routine` applies to the prescribed stretches
(:meth:`Prescription.routine`).
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, replace
from urllib.parse import parse_qs, parse_qsl, urlencode, urlsplit, urlunsplit

from .catalog import Catalog
from .dosage import check_sessions_per_week
from .limits import DosageError
from .routine import (
    Abilities,
    DoseKind,
    Gaps,
    Routine,
    build_routine,
    check_hold_seconds,
    check_repetitions,
)

__all__ = [
    "PARAMETER",
    "VERSION",
    "PrescribedDose",
    "Prescription",
    "PrescriptionError",
    "prescription_url",
    "read_prescription",
]

#: The query parameter that carries the plan.
PARAMETER = "rx"
#: The format's version: a link of another version is refused, never guessed at.
VERSION = "1"
#: The longest ``rx`` value read; anything longer is refused before it is parsed (a public page meets bots).
MAX_LENGTH = 600
_CHECK_DIGITS = 8
_ITEM = re.compile(r"([a-z][a-z0-9_]{1,59})-(\d{1,4})-(\d{1,4})")


class PrescriptionError(ValueError):
    """A link that cannot be followed, with the reason (for the clinician and the server log).

    A ValueError, so the command line shows it as a bad input; the patient sees one plain sentence.
    """


@dataclass(frozen=True)
class PrescribedDose:
    """One stretch of the plan and its dose."""

    stretch_id: str
    hold_seconds: int
    repetitions: int


@dataclass(frozen=True)
class Prescription:
    """The plan a link carries: stretches with their doses, and sessions a week (None: not given)."""

    doses: tuple[PrescribedDose, ...]
    sessions_per_week: int | None = None

    @property
    def stretch_ids(self) -> tuple[str, ...]:
        return tuple(dose.stretch_id for dose in self.doses)

    @property
    def dosage(self) -> dict[str, dict[str, int]]:
        """Per-stretch doses in the shape :func:`build_routine` takes as ``dosage``."""
        return {
            d.stretch_id: {"hold_seconds": d.hold_seconds, "repetitions": d.repetitions} for d in self.doses
        }

    def code(self) -> str:
        """The ``rx`` value: version, sessions (0 for none), each stretch's dose, then the check."""
        body = ".".join(
            [VERSION, str(self.sessions_per_week or 0)]
            + [f"{d.stretch_id}-{d.hold_seconds}-{d.repetitions}" for d in self.doses]
        )
        return f"{body}.{_check(body)}"

    def routine(
        self, catalog: Catalog, abilities: Abilities | None = None, *, gaps: Gaps | None = None
    ) -> Routine:
        """The person's routine of this plan: the prescribed stretches at the prescribed doses, screened.

        Built by :func:`build_routine` with ``only`` and ``dosage``, so every safety rule holds: with the
        health questions unanswered or a "yes" that needs a clinician first, nothing is offered; a
        stretch the person's answers rule out (they cannot kneel, a condition it must skip) is left out
        with its reason, prescribed or not. Each dose is marked as the clinician's.
        """
        routine = build_routine(catalog, abilities, gaps=gaps, only=self.stretch_ids, dosage=self.dosage)
        items = tuple(replace(item, dose_kind=DoseKind.CLINICIAN) for item in routine.items)
        return replace(routine, items=items)

    @classmethod
    def of(cls, routine: Routine, sessions_per_week: int | None = None) -> Prescription:
        """The plan of ``routine`` as it stands: its stretches, in order, at their doses."""
        if not routine.items:
            raise PrescriptionError(f"a link needs at least one stretch: {routine.empty_message}")
        doses = tuple(
            PrescribedDose(item.stretch.id, item.hold_seconds, item.repetitions) for item in routine.items
        )
        sessions = check_sessions_per_week(sessions_per_week) if sessions_per_week is not None else None
        return cls(doses, sessions)


def _check(body: str) -> str:
    return hashlib.sha256(body.encode("ascii")).hexdigest()[:_CHECK_DIGITS]


def prescription_url(routine: Routine, base_url: str, *, sessions_per_week: int | None = None) -> str:
    """The dashboard link (``base_url`` with ``?rx=...``) that opens ``routine``'s stretches and doses.

    ``base_url`` is the shared dashboard's address (http or https); a query it already has is kept,
    except an old ``rx``, and a ``#fragment`` is dropped. Only stretch ids and numbers go in the link.
    """
    parts = urlsplit(base_url.strip())
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise PrescriptionError(f"dashboard URL: expected an http:// or https:// address, got {base_url!r}")
    code = Prescription.of(routine, sessions_per_week).code()
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k != PARAMETER]
    query.append((PARAMETER, code))
    return urlunsplit((parts.scheme, parts.netloc, parts.path or "/", urlencode(query, safe="."), ""))


def read_prescription(query: str, catalog: Catalog) -> Prescription | None:
    """The plan in a page's query string (``rx=...``, with or without ``?``), or None when it has none.

    A link that is there but cannot be followed raises :class:`PrescriptionError` with the reason: more
    than one plan, too long, not of this shape, an unknown version, a failed check (cut short or
    changed), an unknown or repeated stretch, or a number outside the safe bounds.
    """
    values = [v.strip() for v in parse_qs(query.lstrip("?"), keep_blank_values=True).get(PARAMETER, [])]
    values = [v for v in values if v]  # a blank ``rx=`` (a proxy that keeps the name) is no plan
    if not values:
        return None
    if len(values) > 1:
        raise PrescriptionError("the link holds more than one plan")
    code = values[0]
    if len(code) > MAX_LENGTH:
        raise PrescriptionError(f"the plan is {len(code)} characters long; at most {MAX_LENGTH} are read")
    body, _dot, check = code.rpartition(".")
    fields = body.split(".")
    if not body or len(fields) < 3:
        raise PrescriptionError("the plan is not of the form version.sessions.stretch-hold-reps...check")
    if fields[0] != VERSION:
        raise PrescriptionError(
            f"unknown link version {fields[0][:10]!r}; this dashboard reads version {VERSION}"
        )
    if check != _check(body):
        raise PrescriptionError("the link's check does not match: it was cut short or changed")
    return _parse(fields[1], fields[2:], catalog)


def _parse(sessions_text: str, items: list[str], catalog: Catalog) -> Prescription:
    if not sessions_text.isdigit() or len(sessions_text) > 2:
        raise PrescriptionError(f"sessions a week: expected a number, got {sessions_text[:10]!r}")
    try:
        sessions = int(sessions_text)
        sessions_per_week = check_sessions_per_week(sessions) if sessions else None
        doses: list[PrescribedDose] = []
        for text in items:
            match = _ITEM.fullmatch(text)
            if match is None:
                raise PrescriptionError(f"not a stretch and its dose: {text[:70]!r}")
            stretch_id = match.group(1)
            if stretch_id not in catalog.stretches:
                raise PrescriptionError(f"unknown stretch {stretch_id!r}")
            if stretch_id in {d.stretch_id for d in doses}:
                raise PrescriptionError(f"stretch {stretch_id!r} is in the plan twice")
            hold = check_hold_seconds(int(match.group(2)), f"{stretch_id} hold")
            reps = check_repetitions(int(match.group(3)), f"{stretch_id} repetitions")
            doses.append(PrescribedDose(stretch_id, hold, reps))
    except DosageError as error:
        raise PrescriptionError(str(error)) from None
    return Prescription(tuple(doses), sessions_per_week)
