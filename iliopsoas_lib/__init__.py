"""The iliopsoas explainer's library: content, routines, timer, session log, figures and widgets.

Public names are imported lazily (PEP 562), so ``import iliopsoas_lib`` stays fast: a Voilà visitor's
kernel, a test or the command line pays for pydantic, numpy or matplotlib only when it uses them.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

#: public name -> module that defines it. Names here are stable: clinicians call them in cells. It is the
#: whole path from content to a timed, logged routine, and nothing else: test doubles (``timer.FakeClock``),
#: demo data (``weekly_frequency.example_log``) and the biomechanics model (``iliopsoas_lib.biomechanics``,
#: which needs the ``figures`` extra's numpy) are imported from their own modules.
_EXPORTS: dict[str, str] = {
    # content
    "load_catalog": "catalog",
    "Catalog": "catalog",
    "CatalogError": "catalog",
    "ContentText": "catalog",
    # a routine for a person's answers
    "Abilities": "routine",
    "build_routine": "routine",
    "Routine": "routine",
    "RoutineItem": "routine",
    "Choice": "routine",
    "Gaps": "routine",
    "Phase": "routine",
    "PhaseKind": "routine",
    "EmptyRoutineError": "routine",
    "DosageError": "limits",
    # a clinician's dose and sessions a week, checked against the guidelines
    "plan_dosage": "dosage",
    "DosagePlan": "dosage",
    "DosageWarning": "dosage",
    # the timer
    "RoutineTimer": "timer",
    "MonotonicClock": "timer",
    "TimerStatus": "timer",
    "TimerState": "timer",
    "TimerPlan": "timer",
    # the session log and the week
    "SessionLog": "session_log",
    "Session": "session_log",
    "SessionLogError": "session_log",
    "weekly_counts": "weekly_frequency",
    "weekly_goal": "weekly_frequency",
    "WeeklyCounts": "weekly_frequency",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'iliopsoas_lib' has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *__all__])


# For type checkers and IDEs only; tests/test_layers.py keeps it equal to _EXPORTS.
if TYPE_CHECKING:  # pragma: no cover
    from .catalog import Catalog, CatalogError, ContentText, load_catalog
    from .dosage import DosagePlan, DosageWarning, plan_dosage
    from .limits import DosageError
    from .routine import (
        Abilities,
        Choice,
        EmptyRoutineError,
        Gaps,
        Phase,
        PhaseKind,
        Routine,
        RoutineItem,
        build_routine,
    )
    from .session_log import Session, SessionLog, SessionLogError
    from .timer import MonotonicClock, RoutineTimer, TimerPlan, TimerState, TimerStatus
    from .weekly_frequency import WeeklyCounts, weekly_counts, weekly_goal
