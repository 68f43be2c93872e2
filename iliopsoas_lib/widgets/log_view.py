"""The session log on screen: log today's session, see the week chart and streak, download or upload CSV.

A thin view over :class:`~iliopsoas_lib.session_log.SessionLog` and
:func:`~iliopsoas_lib.weekly_frequency.weekly_counts`. In the shared dashboard the log lives only in the
visitor's kernel and their own download (``path=None``); in a personal notebook pass a path (e.g.
``SessionLog.default_path()``) and every change is saved atomically. The session logged is the routine
the view was given: ``routine=`` and then :meth:`LogView.set_routine`, which the dashboard's picker calls
through its link (``picker.link(log_view)``) like it does for the timer.

With a path, several kernels may share the file (two tabs of one person, or the operator's server-side
store): every save merges under a lock (see :meth:`SessionLog.save`), and the view reads the file again
when its page is shown and on every redraw, so a kernel preheated before its visitor came shows what
was saved since. Nothing a person logged is lost silently: each failure (a file too big, a bad row, a
save that could not be written, a saved log that cannot be read) says in plain words what happened and
what was kept.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Collection
from datetime import date
from pathlib import Path
from typing import Any

import ipywidgets as widgets
import traitlets

from ..routine import Routine
from ..routine_words import minutes_text
from ..session_log import SessionLog, SessionLogError
from ..weekly_frequency import weekly_counts
from .browser_code import stylesheet_html
from .common import MessageArea, download_link, guarded
from .csv_upload import CsvUpload
from .patient_text import NOTHING_TO_LOG
from .served_text import served_html
from .week_bars import chart_description, week_bars_html

_HERE = Path(__file__).parent

CSV_NAME = "iliopsoas_sessions.csv"
NOTHING_ADDED = "Nothing from this file was added. Your log is as it was."


class LogView(widgets.VBox):
    """Log button, weekly chart with the 2-3 a week band, streak, recent sessions, CSV out and in."""

    version = traitlets.Int(0)  # bumps after every change, for views and tests that follow the log

    def __init__(
        self,
        log: SessionLog,
        *,
        today: date | Callable[[], date],
        routine: Routine,
        weeks: int = 8,
        path: str | Path | None = None,
        known_stretches: Collection[str] | None = None,
        **kwargs: Any,
    ) -> None:
        """``routine``: what "Log a session" records (its stretches and length) until :meth:`set_routine`
        gives another; ``known_stretches``: the catalog's stretch ids; an upload naming any other is
        refused."""
        super().__init__(**kwargs)
        self.session_log = log
        self._today = today if callable(today) else (lambda: today)
        self.routine = routine
        self.weeks = weeks
        self.path = Path(path) if path is not None else None
        self.known_stretches = frozenset(known_stretches) if known_stretches is not None else None
        self.message = MessageArea()
        self.log_button = widgets.Button(
            description="Log a session today",
            button_style="success",  # no icon: an icon font is 78 KB more for a phone to fetch
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
        self.upload = CsvUpload(label="Upload a CSV log")
        self.log_button.on_click(guarded(self.message, "log the session")(self._log_clicked))
        self.upload.on_csv(
            self._received, self.message, what="the uploaded file", nothing=NOTHING_ADDED, call_it="This file"
        )
        self.upload.on_shown(guarded(self.message, "show your log")(self.refresh))
        self.children = [
            self.log_button,
            self.message,
            self.summary,
            self.chart,
            self.recent,
            self._files_row(),
        ]
        self.add_class("ilio-log-view")
        self.refresh()

    def _files_row(self) -> widgets.HBox:
        """Download and upload side by side, wrapping on a phone (looks in log_view.css, not a Layout
        model: every model is sent to each visitor's page)."""
        row = widgets.HBox([self.download, self.upload])
        row.add_class("ilio-log-files")
        return row

    # -- actions ---------------------------------------------------------------------------------

    def set_routine(self, routine: Routine) -> None:
        """Log ``routine`` from now on, and read the saved log again (the page is in use: other tabs may
        have saved since). The same routine again changes nothing."""
        if routine == self.routine:
            return
        self.routine = routine
        self.refresh()

    def log_today(self, note: str = "") -> None:
        """Record a session today with the current routine's stretches (what the button does)."""
        stretches = [item.stretch.id for item in self.routine.items]
        if not stretches:  # why there is nothing to log: the routine's own words
            raise ValueError(f"{NOTHING_TO_LOG} {self.routine.empty_message}".strip())
        self.session_log.log_session(self._today(), stretches, self.routine.duration(), note)
        self._changed(f"Logged a session on {self._today().isoformat()}. Well done!")

    def import_csv(self, text: str, name: str = "upload") -> int:
        """Merge an earlier CSV export; all rows or none, so a bad file leaves the log as it was.

        Checked against the catalog's stretches (when the view was given them) and today's date.
        """
        added = self.session_log.import_csv(
            text, source=name, known_stretches=self.known_stretches, today=self._today()
        )
        self._changed(f"Read {name}: {added} new session{'s' if added != 1 else ''} added.")
        return added

    # -- wiring ----------------------------------------------------------------------------------

    def _log_clicked(self, _button: widgets.Button) -> None:
        self.log_today()

    def _received(self, name: str, content: bytes) -> None:
        """A picked file within the size limit (a bad CSV: :meth:`CsvUpload.on_csv` says where)."""
        try:
            text = content.decode("utf-8-sig")
        except UnicodeDecodeError:
            self.message.error(f"{name} is not a text (UTF-8) CSV file. {NOTHING_ADDED}")
            return
        self.import_csv(text, name)

    def _changed(self, message: str) -> None:
        """After the log changed here: save (merging with the file) when there is a file, then redraw.

        A save that fails leaves the change in this page's log (and its download), and says so.
        """
        if self.path is not None:
            try:
                self.session_log.save(self.path)
            except (SessionLogError, OSError) as error:
                self.message.error(
                    f"{message.removesuffix(' Well done!')} Your log is kept on this page, but it could not "
                    f"be saved to {self.path.name} ({_reason(error)}). Download your log (CSV) to keep it."
                )
                self._draw()
                self.version += 1
                return
            message += f" Saved to {self.path.name}."
        self.message.ok(message)
        self._draw()
        self.version += 1

    def refresh(self) -> None:
        """Read the saved log again (if there is one) for what other tabs saved, then redraw."""
        if self.path is not None:
            try:
                if self.session_log.sync(self.path):
                    self.version += 1
            except (SessionLogError, OSError) as error:
                self.message.error(
                    f"Your saved log could not be read ({_reason(error)}). It was left as it was, and "
                    "nothing will be saved over it. What you log here stays on this page. "
                    "Download your log (CSV) to keep it."
                )
        self._draw()

    def _draw(self) -> None:
        """Redraw the summary, chart, recent list and download link from the log."""
        counts = weekly_counts(self.session_log, self.weeks, self._today())
        this = counts.this_week
        unit = "week" if counts.streak == 1 else "weeks"
        self.summary.value = stylesheet_html(_HERE / "log_view.css") + (
            f"<p><strong>This week: {this.count} session{'s' if this.count != 1 else ''}</strong> "
            f"(goal {counts.goal_low}-{counts.goal_high}). "
            f"<strong>Streak: {counts.streak} {unit}</strong> in a row meeting the goal. "
            f"Sessions logged in all: {len(self.session_log)}.</p>"
        )
        self.chart_description = chart_description(counts)
        chart = week_bars_html(counts)
        # An empty log's chart is this week's, the same for every visitor: a cached file. A chart with
        # sessions is this visitor's own and always travels with the page, never written on the server.
        self.chart.value = served_html(chart) if not self.session_log.sessions else chart
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


def _reason(error: Exception) -> str:
    if isinstance(error, SessionLogError):
        return f"line {error.line}: {error.reason}" if error.line else error.reason
    if isinstance(error, OSError) and error.strerror:
        return error.strerror
    return str(error)
