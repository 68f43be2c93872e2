"""The dashboard Voilà serves: one page from questions to routine, timer, log, stretches and anatomy.

Each visitor of a shared link gets their own kernel and so their own :class:`Dashboard`: their session
log lives in that kernel and in what they download. Nothing is written on the server unless the
operator sets ``ILIOPSOAS_SAVE_LOG=1`` on purpose (for one-person servers such as a JupyterHub user's
own Voilà app; see docs/deploy.md).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import ipywidgets as widgets

from ..catalog import Catalog, load_catalog
from ..session_log import SessionLog, SessionLogError
from ..text import guidelines_markdown, sources_markdown, to_html
from ..timer import Clock
from .anatomy_view import MuscleExplorer
from .clinic import ClinicPanel
from .common import LazySection, MessageArea, heading
from .log_view import LogView
from .routine_picker import RoutinePicker
from .stretch_cards import StretchCards
from .timer_view import TimerView

SAVE_LOG_ENV = "ILIOPSOAS_SAVE_LOG"

PAGE_CSS = """
<style>
.ilio-dashboard { max-width: 52rem; margin: 0 auto; padding: 0 0.75rem; font-size: 1.05rem; line-height: 1.5;
  box-sizing: border-box; width: 100%; }
.ilio-dashboard h1 { font-size: 1.8rem; margin: 0.6rem 0; }
.ilio-dashboard h2 { font-size: 1.35rem; margin: 1.4rem 0 0.4rem; border-bottom: 2px solid #0072b2; }
.ilio-dashboard .widget-checkbox { height: auto; min-height: 2.2rem; }
.ilio-dashboard .widget-checkbox label { white-space: normal; font-size: 1.05rem; }
.ilio-dashboard .widget-html-content { white-space: normal; }
.ilio-dashboard .ilio-error { color: #a3000b; font-weight: 600; padding: 0.4rem;
  border-left: 4px solid #d55e00; }
.ilio-dashboard .ilio-ok { color: #00553b; padding: 0.4rem; border-left: 4px solid #009e73; }
.ilio-dashboard .ilio-safety { background: #fff6e0; border-left: 4px solid #e69f00; padding: 0.5rem 0.8rem; }
.ilio-dashboard img { max-width: 100%; height: auto; }
.ilio-dashboard .widget-toggle-buttons .widget-toggle-button { min-height: 2.5rem; }
@media (max-width: 480px) { .ilio-dashboard { padding: 0 0.25rem; }
  .ilio-dashboard .widget-label { display: none; } }
</style>
"""


class Dashboard(widgets.VBox):
    """All parts of the app wired together; each part is a thin view that can also stand alone."""

    def __init__(
        self,
        catalog: Catalog | None = None,
        *,
        today: Callable[[], date] = date.today,
        clock: Clock | None = None,
        log: SessionLog | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self.catalog = catalog or load_catalog()
        self.picker = RoutinePicker(self.catalog)
        self.timer = TimerView(self.picker.routine, clock)
        path = SessionLog.default_path() if os.environ.get(SAVE_LOG_ENV) == "1" else None
        unreadable: str | None = None
        if log is None:
            log, unreadable = _saved_log(path)
            if unreadable is not None:
                path = None  # never save over a file that could not be read: it may hold someone's log
        self.log_view = LogView(
            log,
            today=today,
            stretches=lambda: [item.stretch.id for item in self.picker.routine.items],
            duration=lambda: self.picker.routine.duration(),
            path=path,
        )
        self.stretches = LazySection("the five stretches", lambda: StretchCards(self.catalog))
        self.muscles = LazySection("the muscle", lambda: MuscleExplorer(self.catalog))
        self.clinic = LazySection(
            "the clinicians' tools",
            lambda: self._following(ClinicPanel(self.catalog, self.picker.routine, today=today)),
        )
        self.notice = MessageArea()
        self.picker.link(self.timer)  # the clinicians' panel joins when it is built (_following)
        self.picker.observe(lambda _change: self.log_view.refresh(), "routine")
        self.timer.on_done(
            lambda _event: self.log_view.message.ok(
                "Routine finished. Well done! Press “Log a session today” to count it in your week."
            )
        )
        self.children = self._parts()
        self.add_class("ilio-dashboard")
        if unreadable is not None:  # stays on screen above the log: later messages do not replace it
            self.notice.error(unreadable)

    def _parts(self) -> list[widgets.Widget]:
        c = self.catalog
        safety = [c.guideline("warm_up"), c.guideline("stop_at_pain")]
        intro = widgets.HTML(
            PAGE_CSS
            + "<h1>Stretch your iliopsoas</h1>"
            + "<p>Answer a few questions, get stretches that suit you with a timer that talks you through "
            "them, and keep track of your week. Nothing you enter here is stored on the server: download "
            "your log to keep it.</p>" + f'<div class="ilio-safety">{to_html(guidelines_markdown(safety))}'
            "<p>This is general information, not a diagnosis. If you have pain that does not go away, "
            "ask a doctor or physiotherapist.</p></div>"
        )
        references = widgets.HTML(to_html(sources_markdown(c.references())))
        references.add_class("ilio-references")
        return [
            intro,
            heading("1. Your answers and your routine"),
            self.picker,
            heading("2. Timer"),
            self.timer,
            heading("3. Your week"),
            self.notice,
            self.log_view,
            heading("4. The stretches: steps and cautions"),
            self.stretches,
            heading("5. The muscle"),
            self.muscles,
            heading("6. For clinicians: handout and calendar plan"),
            widgets.HTML(
                "<p>Builds a printable handout and a calendar file of the routine above, in your browser's "
                "downloads. The name and notes you type are printed only, never stored.</p>"
            ),
            self.clinic,
            references,
        ]

    def _following(self, view: ClinicPanel) -> ClinicPanel:
        """``view`` made to follow the answers from now on, like the timer (its dose stays as set)."""
        self.picker.link(view)
        return view

    def __repr__(self) -> str:
        return f"Iliopsoas dashboard: {len(self.picker.routine.items)} stretches in the routine"


def _saved_log(path: Path | None) -> tuple[SessionLog, str | None]:
    """The operator's saved log, or an empty one and a message for the person if it cannot be read.

    A broken file must not stop the page from opening, and must not be lost: it is neither moved nor
    rewritten (unlike :meth:`SessionLog.recover`), so whoever looks after the server can rescue it.
    """
    if path is None or not path.exists():
        return SessionLog(), None
    try:
        return SessionLog.load(path), None
    except SessionLogError as exc:
        reason = f"line {exc.line}: {exc.reason}" if exc.line else exc.reason
    except OSError as exc:
        reason = exc.strerror or type(exc).__name__
    return SessionLog(), (
        f"Your saved log could not be read ({reason}). It is at {path} and was left exactly as it "
        "was, so nothing in it is lost. This page starts with an empty log and will not save over "
        "that file: download your log (CSV) to keep what you add now."
    )


def dashboard(catalog: Catalog | None = None, **kwargs: Any) -> Dashboard:
    """Build the whole app for one visitor (the dashboard notebook's only call)."""
    return Dashboard(catalog, **kwargs)
