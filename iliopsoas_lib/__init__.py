"""The iliopsoas explainer's library: content, routines, timer, session log, figures and widgets.

Public names are imported lazily (PEP 562), so ``import iliopsoas_lib`` stays fast: a Voilà visitor's
kernel, a test or the command line pays for pydantic, numpy or matplotlib only when it uses them.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

#: public name -> module that defines it. Names here are stable: clinicians call them in cells.
_EXPORTS: dict[str, str] = {
    "load_catalog": "catalog",
    "Catalog": "catalog",
    "CatalogError": "catalog",
    "ContentText": "catalog",
    "Abilities": "routine",
    "build_routine": "routine",
    "Routine": "routine",
    "RoutineItem": "routine",
    "Choice": "routine",
    "Gaps": "routine",
    "DosageError": "routine",
    "Phase": "routine",
    "PhaseKind": "routine",
    "RoutineTimer": "timer",
    "MonotonicClock": "timer",
    "FakeClock": "timer",
    "TimerStatus": "timer",
    "SessionLog": "session_log",
    "Session": "session_log",
    "SessionLogError": "session_log",
    "weekly_counts": "session_log",
    "example_log": "session_log",
    "musculotendon_length": "biomechanics",
    "moment_arm": "biomechanics",
    "lengthening": "biomechanics",
    "stretch_lengthening": "biomechanics",
    "sitting_shortening": "biomechanics",
    "Posture": "biomechanics",
    "load_postures": "biomechanics",
    "WeeklyCounts": "session_log",
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


if TYPE_CHECKING:  # pragma: no cover - for type checkers and IDEs only
    from .biomechanics import (
        Posture,
        lengthening,
        load_postures,
        moment_arm,
        musculotendon_length,
        sitting_shortening,
        stretch_lengthening,
    )
    from .catalog import Catalog, CatalogError, ContentText, load_catalog
    from .routine import (
        Abilities,
        Choice,
        DosageError,
        Gaps,
        Phase,
        PhaseKind,
        Routine,
        RoutineItem,
        build_routine,
    )
    from .session_log import (
        Session,
        SessionLog,
        SessionLogError,
        WeeklyCounts,
        example_log,
        weekly_counts,
    )
    from .timer import FakeClock, MonotonicClock, RoutineTimer, TimerStatus
