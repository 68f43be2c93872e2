"""Thin ipywidgets views over the model: layout and event wiring only.

Names are imported lazily so importing one view does not pay for the others (or for matplotlib).
"""

from __future__ import annotations

import importlib
from typing import Any

_EXPORTS: dict[str, str] = {
    "TimerView": "timer_widget",
    "timer_view": "timer_widget",
    "RoutinePicker": "routine_picker",
    "RoutineCards": "routine_cards",
    "ChoiceQuestions": "choice_questions",
    "LogView": "log_view",
    "MuscleExplorer": "anatomy_view",
    "StretchCards": "stretch_cards",
    "Dashboard": "app",
    "dashboard": "app",
    "MessageArea": "common",
    "biomechanics_explorer": "biomechanics",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'iliopsoas_lib.widgets' has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value
