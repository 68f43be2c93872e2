"""The clinicians' review of a patient's log: pick the CSV the patient downloaded, see it against the plan.

A thin view over :mod:`iliopsoas_lib.adherence`. The file picker is the dashboard's own
:class:`~iliopsoas_lib.widgets.csv_upload.CsvUpload` with the same 1 MB cap checked in the browser
(:data:`~iliopsoas_lib.widgets.csv_upload.MAX_UPLOAD_BYTES`) and the same handling
(:meth:`~iliopsoas_lib.widgets.csv_upload.CsvUpload.on_csv`), and the CSV goes through the session log's
import, so a review refuses what the patient's own upload refuses, with the same one-line message.

Nothing is stored: the log read is held by this view in the kernel's memory only (so the plan's start or
sessions a week can be changed and the review redrawn) and is gone with the page. The chart is the
weekly chart with the plan's target line (:func:`iliopsoas_lib.figures.adherence.adherence_chart`),
drawn at twice the pixels it is shown at so it stays sharp on a projector or a phone; matplotlib is
imported only when a log is first reviewed.
"""

from __future__ import annotations

import base64
import html
from collections.abc import Callable, Collection
from datetime import date
from typing import Any

import ipywidgets as widgets

from ..adherence import AdherenceReview, read_log, review_adherence
from ..limits import SESSIONS_PER_WEEK
from ..session_log import SessionLog
from .common import MessageArea, follow, guarded, number_box
from .csv_upload import CsvUpload

#: The chart is drawn at this many pixels per displayed pixel (sharp on high-density screens).
CHART_SCALE = 2
LABEL = {"description_width": "initial"}
NOTHING_READ = "Nothing was read from this file."


class LogReview(widgets.VBox):
    """A "Choose the patient's log" button, the plan (sessions a week, start date), a summary and a chart.

    ``sessions`` is the plan's sessions a week: a number (shown in a box of this view's own), or a
    widget whose ``value`` the review follows (:func:`~iliopsoas_lib.widgets.common.follow`): the
    clinicians' panel passes its own sessions box, so the review follows the dose set there.
    ``today`` is a date or a function giving it (tests and notebooks pass a fixed day).
    ``known_stretches``: the catalog's ids; a log naming any other stretch is refused, as the dashboard's
    upload does.
    """

    def __init__(
        self,
        sessions: int | widgets.ValueWidget = 3,
        *,
        today: date | Callable[[], date],
        start: date | None = None,
        known_stretches: Collection[str] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self._today = today if callable(today) else (lambda: today)
        self.known_stretches = frozenset(known_stretches) if known_stretches is not None else None
        self.session_log: SessionLog | None = None
        self.review: AdherenceReview | None = None
        self.file_name = ""
        self.upload = CsvUpload(label="Choose the patient's log (CSV)")
        self.upload.add_class("ilio-review-upload")
        self.message = MessageArea()
        self._quiet = False  # True while this view sets the start itself (one redraw, not two)
        #: The plan's sessions a week; its own box (``sessions``) only when it was given a number.
        followed = sessions if isinstance(sessions, widgets.ValueWidget) else None
        self.sessions_per_week = int(followed.value if followed is not None else sessions)
        self.sessions: widgets.BoundedIntText | None = None
        if followed is None:
            self.sessions = number_box(SESSIONS_PER_WEEK, "Plan: sessions a week", sessions, style=LABEL)
        self.start = widgets.DatePicker(value=start, description="Plan started on", style=LABEL)
        self.summary = widgets.HTML()
        self.summary.add_class("ilio-review-summary")
        self.chart = widgets.HTML()
        self.chart.add_class("ilio-review-chart")
        self.upload.on_csv(self._received, self.message, what="the patient's log", nothing=NOTHING_READ)
        redraw = guarded(self.message, "review the log")(self._plan_changed)
        if self.sessions is not None:
            self.sessions.observe(redraw, names="value")
        if followed is not None:  # the panel's box: followed, the one way a view keeps in step with another
            follow(followed, "value", guarded(self.message, "review the log")(self.set_sessions), now=False)
        self.start.observe(redraw, names="value")
        intro = widgets.HTML(
            "<p>Ask the patient to download their log (CSV) from the dashboard, then choose the file here. "
            "It is read on this page only and never stored.</p>"
        )
        plan_row = widgets.HBox([self.start] if self.sessions is None else [self.sessions, self.start])
        plan_row.add_class("ilio-review-plan")
        self.children = [intro, self.upload, plan_row, self.message, self.summary, self.chart]
        self.add_class("ilio-log-review")

    # -- actions ---------------------------------------------------------------------------------

    def read_csv(self, data: bytes | str, name: str = "upload") -> AdherenceReview:
        """Read a patient's CSV (all or nothing) and review it against the plan. Raises SessionLogError
        (the file, the line and what is wrong) for a bad file; the previous review then stays shown."""
        log = read_log(data, name, known_stretches=self.known_stretches, today=self._today())
        self.session_log, self.file_name = log, name
        if self.start.value is None or self.start.value > self._today():
            self._quiet = True
            try:
                self.start.value = _first_day(log, self._today())
            finally:
                self._quiet = False
        review = self._draw()
        self.message.ok(f"Read {name}: {len(log)} session{'s' if len(log) != 1 else ''}.")
        return review

    def set_sessions(self, sessions_per_week: int) -> None:
        """Review against a plan of ``sessions_per_week`` from now on (the panel's dose changed)."""
        self.sessions_per_week = int(sessions_per_week)
        if self.session_log is not None:
            self._draw()

    # -- wiring ----------------------------------------------------------------------------------

    def _received(self, name: str, content: bytes) -> None:
        self.read_csv(content, name)

    def _plan_changed(self, _change: Any = None) -> None:
        if self.sessions is not None:
            self.sessions_per_week = int(self.sessions.value)
        if self.session_log is not None and not self._quiet:
            self._draw()

    def _draw(self) -> AdherenceReview:
        assert self.session_log is not None
        today = self._today()
        start = self.start.value or _first_day(self.session_log, today)
        review = review_adherence(self.session_log, self.sessions_per_week, start=start, today=today)
        self.review = review
        items = "".join(f"<li>{html.escape(line)}</li>" for line in review.summary_lines())
        self.summary.value = f"<h4>{html.escape(self.file_name)}</h4><ul>{items}</ul>"
        self.chart.value = chart_html(review)
        return review

    def __repr__(self) -> str:
        if self.review is None:
            return "Log review: no log read yet"
        r = self.review
        return f"Log review: {r.sessions_in_plan} sessions in {len(r.weeks)} weeks against {r.target} a week"


def _first_day(log: SessionLog, today: date) -> date:
    """A plan start to begin with when none is given: the log's first session (today for an empty log),
    never after today."""
    return min(log.sessions[0].date, today) if len(log) else today


def chart_description(review: AdherenceReview) -> str:
    """What the chart shows, in one sentence: its text alternative."""
    counts = ", ".join(f"{w.monday:%d %b}: {w.count}" for w in review.weeks)
    return (
        f"Bar chart of sessions per week since {review.start:%d %b %Y} against the plan of {review.target} "
        f"a week ({counts}); streak {review.streak}."
    )


def chart_html(review: AdherenceReview) -> str:
    """The adherence chart as an ``<img>`` drawn at :data:`CHART_SCALE` times its shown size."""
    from ..figures import to_png
    from ..figures.adherence import adherence_chart

    fig = adherence_chart(review)
    width = round(fig.get_figwidth() * fig.dpi)
    png = to_png(fig, dpi=round(fig.dpi * CHART_SCALE))
    src = "data:image/png;base64," + base64.b64encode(png).decode("ascii")
    alt = html.escape(chart_description(review), quote=True)
    return f'<img src="{src}" alt="{alt}" width="{width}" style="max-width:100%;height:auto">'


__all__ = ["CHART_SCALE", "LogReview", "chart_description", "chart_html"]
