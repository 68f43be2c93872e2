"""The words a routine carries: why no stretch was chosen, its steps at its dose, its dose and length.

A routine is built with its reasons (DESIGN.md, "Routines with reasons"): when no stretch fits, or the
health questions are not answered yet, or a "yes" needs a clinician first, the routine itself says so,
and every surface (dashboard, notebooks, handout, command line) shows that same sentence. Those
sentences, the steps with the dose written in (numbers come from the dose, never from prose) and the short
formats the routine's plain table uses live here in the model, so the model never imports the
presentation layer (``presentation.text`` builds on these, not the other way).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .schema import Screening, Stretch

#: What a person reads when none of the stretches suits their answers. Said the same way in the
#: dashboard, the notebooks and the plain-text table, so no one is left with a blank routine.
NO_STRETCH_FITS = "No stretch fits these answers. A physiotherapist can suggest one that suits you."

#: What a person reads before answering the health questions: no routine is built until they do.
ANSWER_HEALTH_QUESTIONS = "First answer the health questions. No stretch is chosen until you do."


def ask_first_text(screenings: Sequence[Screening]) -> str:
    """Why no stretch is offered after a "yes" that needs a clinician's word first, and what to do."""
    names = " and ".join(s.name for s in screenings)
    advice = " ".join(s.advice for s in screenings)
    return f"No stretches for now, because of {names}. {advice}"


def dose_short(repetitions: int, hold_seconds: int, per_side: bool = False) -> str:
    """The dose in a clinician's shorthand, for tables and the command line: "3 x 30 s each side"."""
    return f"{repetitions} x {hold_seconds} s{' each side' if per_side else ''}"


def minutes_text(seconds: float) -> str:
    """A duration as people say it: "17 min 55 s", "45 s"."""
    minutes, secs = divmod(round(seconds), 60)
    return f"{minutes} min {secs:02d} s" if minutes else f"{secs} s"


def hold_words(hold_seconds: int) -> str:
    """A hold as step text says it: "30 seconds"."""
    return "1 second" if hold_seconds == 1 else f"{hold_seconds} seconds"


def times_words(repetitions: int, per_side: bool) -> str:
    """How often, as step text says it: "2 times on each side", "once"."""
    times = "once" if repetitions == 1 else f"{repetitions} times"
    return f"{times} on each side" if per_side else times


def steps_text(
    stretch: Stretch, hold_seconds: int | None = None, repetitions: int | None = None
) -> list[str]:
    """The steps with the dose written in: ``{hold}`` and ``{times}`` filled from the dose followed.

    Steps never carry numbers of their own (the schema refuses them), so a clinician's 60 s x 2 prints
    "Stay there for 60 seconds" and "Do this 2 times on each side", never the content default.
    """
    hold = stretch.dosage.hold_seconds if hold_seconds is None else hold_seconds
    reps = stretch.dosage.repetitions if repetitions is None else repetitions
    words = {"hold": hold_words(hold), "times": times_words(reps, stretch.dosage.per_side)}
    return [step.format_map(words) for step in stretch.steps]
