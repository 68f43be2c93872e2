"""The session log on screen: log today's session, see the week chart and streak, download or upload CSV.

A thin view over :class:`~iliopsoas_lib.session_log.SessionLog` and
:func:`~iliopsoas_lib.session_log.weekly_counts`. In the shared dashboard the log lives only in the
visitor's kernel and their own download (``path=None``); in a personal notebook pass a path (e.g.
``SessionLog.default_path()``) and every change is saved atomically.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from typing import Any

import ipywidgets as widgets
import traitlets

from ..session_log import SessionLog, weekly_counts
from ..text import minutes_text
from .common import MessageArea, download_link, guarded
from .patient_text import NOTHING_TO_LOG
from .week_bars import chart_description, week_bars_html

CSV_NAME = "iliopsoas_sessions.csv"
MAX_UPLOAD_BYTES = 1_000_000


class LogView(widgets.VBox):
    """Log button, weekly chart with the 2-3 a week band, streak, recent sessions, CSV out and in."""

    version = traitlets.Int(0)  # bumps after every change, for views and tests that follow the log

    def __init__(
        self,
        log: SessionLog,
        *,
        today: date | Callable[[], date],
        stretches: Callable[[], Sequence[str]],
        duration: Callable[[], float] = lambda: 0.0,
        empty_reason: Callable[[], str] = lambda: "",
        weeks: int = 8,
        path: str | Path | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self.session_log = log
        self._today = today if callable(today) else (lambda: today)
        self._stretches = stretches
        self._duration = duration
        self._empty_reason = empty_reason  # why there is nothing to log: the routine's own words
        self.weeks = weeks
        self.path = Path(path) if path is not None else None
        self.message = MessageArea()
        self.log_button = widgets.Button(
            description="Log a session today",
            button_style="success",
            icon="check",
            layout=widgets.Layout(width="auto", min_height="2.75rem"),
        )
        self.log_button.add_class("ilio-log-button")
        self.summary = widgets.HTML()
        self.summary.add_class("ilio-week-summary")
        self.chart = widgets.HTML()
        self.chart.add_class("ilio-chart")
        self.chart_description = ""
        self.recent = widgets.HTML()
        self.recent.add_class("ilio-recent")
        self.download = widgets.HTML()
        self.download.add_class("ilio-download")
        self.upload = widgets.FileUpload(
            accept=".csv,text/csv", multiple=False, description="Upload a CSV log"
        )
        self.upload.add_class("ilio-upload")
        self.log_button.on_click(guarded(self.message, "log the session")(self._log_clicked))
        self.upload.observe(guarded(self.message, "read the uploaded file")(self._uploaded), "value")
        self.children = [
            self.log_button,
            self.message,
            self.summary,
            self.chart,
            self.recent,
            widgets.HBox(
                [self.download, self.upload],
                layout=widgets.Layout(flex_flow="row wrap", justify_content="space-between"),
            ),
        ]
        self.add_class("ilio-log-view")
        self.refresh()

    # -- actions ---------------------------------------------------------------------------------

    def log_today(self, note: str = "") -> None:
        """Record a session today with the current routine's stretches (what the button does)."""
        stretches = list(self._stretches())
        if not stretches:
            raise ValueError(f"{NOTHING_TO_LOG} {self._empty_reason()}".strip())
        self.session_log.log_session(self._today(), stretches, self._duration(), note)
        self._changed(f"Logged a session on {self._today().isoformat()}. Well done!")

    def import_csv(self, text: str, name: str = "upload") -> int:
        """Merge an earlier CSV export; all rows or none, so a bad file leaves the log as it was."""
        added = self.session_log.import_csv(text, source=name)
        self._changed(f"Read {name}: {added} new session{'s' if added != 1 else ''} added.")
        return added

    # -- wiring ----------------------------------------------------------------------------------

    def _log_clicked(self, _button: widgets.Button) -> None:
        self.log_today()

    def _uploaded(self, change: dict[str, Any]) -> None:
        files = change["new"]
        if not files:
            return
        item = files[0]
        name = str(item.get("name", "upload"))
        try:
            content = bytes(item["content"])
            if len(content) > MAX_UPLOAD_BYTES:
                raise ValueError(f"{name} is {len(content)} bytes; a session log CSV is far smaller")
            try:
                text = content.decode("utf-8-sig")
            except UnicodeDecodeError:
                raise ValueError(f"{name} is not a text (UTF-8) CSV file") from None
            self.import_csv(text, name)
        finally:
            self.upload.value = ()

    def _changed(self, message: str) -> None:
        if self.path is not None:
            self.session_log.save(self.path)
            message += f" Saved to {self.path.name}."
        self.message.ok(message)
        self.refresh()
        self.version += 1

    def refresh(self) -> None:
        """Redraw the summary, chart, recent list and download link from the log."""
        counts = weekly_counts(self.session_log, self.weeks, self._today())
        this = counts.this_week
        unit = "week" if counts.streak == 1 else "weeks"
        self.summary.value = (
            f"<p><strong>This week: {this.count} session{'s' if this.count != 1 else ''}</strong> "
            f"(goal {counts.goal_low}-{counts.goal_high}). "
            f"<strong>Streak: {counts.streak} {unit}</strong> in a row meeting the goal. "
            f"Sessions logged in all: {len(self.session_log)}.</p>"
        )
        self.chart_description = chart_description(counts)
        self.chart.value = week_bars_html(counts)
        recent = list(self.session_log.sessions)[-5:][::-1]
        items = "".join(
            f"<li>{s.date.isoformat()}: {len(s.stretches)} stretch{'es' if len(s.stretches) != 1 else ''}"
            + (f", {minutes_text(s.duration_seconds)}" if s.duration_seconds else "")
            + (f" ({html.escape(s.note)})" if s.note else "")
            + "</li>"
            for s in recent
        )
        self.recent.value = f"<p>Latest sessions:</p><ul>{items}</ul>" if items else "<p>No sessions yet.</p>"
        self.download.value = download_link(
            self.session_log.to_csv().encode("utf-8"),
            CSV_NAME,
            "text/csv;charset=utf-8",
            "Download your log (CSV)",
            "ilio-download-link",
        )

    def __repr__(self) -> str:
        return f"Session log view: {len(self.session_log)} sessions"
