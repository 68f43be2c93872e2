"""For clinicians: a live dosage calculator, and a panel that builds the handout and the calendar file.

Thin views: the numbers come from :mod:`iliopsoas_lib.dosage`, the files from
:mod:`iliopsoas_lib.documents`. Files are handed to the browser as download links (data URLs): nothing,
not the patient's name nor the notes, is written on the server.
"""

from __future__ import annotations

import base64
import html
from collections.abc import Callable
from datetime import date, time
from typing import Any

import ipywidgets as widgets
import traitlets

from ..catalog import Catalog
from ..dosage import DosagePlan, plan_dosage
from ..routine import Routine
from .common import MessageArea, guarded

WEEKDAY_NAMES = {"MO": "Mon", "TU": "Tue", "WE": "Wed", "TH": "Thu", "FR": "Fri", "SA": "Sat", "SU": "Sun"}
LABEL = {"description_width": "8rem"}


def download_link(data: bytes, filename: str, mime: str, label: str, css_class: str) -> str:
    """An ``<a download>`` link holding the file itself, so no server file is ever written."""
    encoded = base64.b64encode(data).decode("ascii")
    return (
        f'<a class="{css_class}" download="{html.escape(filename)}" href="data:{mime};base64,{encoded}">'
        f"{html.escape(label)}</a>"
    )


class DosageCalculator(widgets.VBox):
    """Hold, repetitions and sessions a week -> minutes per session and per week, with guideline checks.

    A value outside the guideline is shown as a warning with its source; the clinician decides.
    """

    plan = traitlets.Instance(DosagePlan, allow_none=True)

    def __init__(self, catalog: Catalog, routine: Routine, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.catalog, self.routine = catalog, routine
        first = routine.items[0] if routine.items else None
        self.hold = widgets.IntSlider(
            value=first.hold_seconds if first else 30,
            min=5,
            max=120,
            description="Hold (s)",
            continuous_update=False,
            style=LABEL,
        )
        self.repetitions = widgets.Dropdown(
            options=[("as each stretch says", None)] + [(str(n), n) for n in range(1, 21)],
            value=None,
            description="Repetitions",
            style=LABEL,
        )
        self.sessions = widgets.IntSlider(
            value=3, min=1, max=14, description="Sessions/week", continuous_update=False, style=LABEL
        )
        self.result = widgets.HTML()
        self.result.add_class("ilio-dosage-result")
        self.message = MessageArea()
        self.update = guarded(self.message, "work out the dose")(self._update)
        for control in (self.hold, self.repetitions, self.sessions):
            control.observe(lambda _change: self.update(), "value")
        self.children = [self.hold, self.repetitions, self.sessions, self.result, self.message]
        self.add_class("ilio-dosage")
        self.update()

    def _update(self) -> None:
        plan = plan_dosage(
            self.catalog,
            self.routine,
            hold_seconds=self.hold.value,
            repetitions=self.repetitions.value,
            sessions_per_week=self.sessions.value,
        )
        warnings = plan.warnings(self.catalog)
        self.result.value = f"<p><strong>{html.escape(plan.summary())}</strong></p>"
        if warnings:
            self.message.error("Check: " + "; ".join(map(str, warnings)) + ". Your call as the clinician.")
        else:
            self.message.ok("Within the guidelines.")
        self.plan = plan

    def __repr__(self) -> str:
        return f"Dosage calculator: {self.plan.summary() if self.plan else 'no plan'}"


class ClinicPanel(widgets.VBox):
    """Patient name and notes (never stored), paper size, large print, weekdays, time and weeks; buttons
    that build the handout PDF and the calendar file and offer them as downloads."""

    def __init__(
        self,
        catalog: Catalog,
        routine: Callable[[], Routine],
        today: Callable[[], date] = date.today,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self.catalog, self._routine, self._today = catalog, routine, today
        wide = widgets.Layout(width="100%", max_width="32rem")
        hint = "printed on the handout only, never stored"
        self.patient = widgets.Text(description="Patient name", placeholder=hint, layout=wide, style=LABEL)
        self.notes = widgets.Textarea(description="Your notes", placeholder=hint, layout=wide, style=LABEL)
        self.page_size = widgets.ToggleButtons(options=["A4", "Letter"], description="Paper", style=LABEL)
        self.large_print = widgets.Checkbox(description="Large print", indent=False)
        self.sessions = widgets.IntSlider(value=3, min=1, max=14, description="Sessions/week", style=LABEL)
        self.weekdays = widgets.SelectMultiple(
            options=[(name, code) for code, name in WEEKDAY_NAMES.items()],
            value=("MO", "TH"),
            description="Weekdays",
            rows=7,
            style=LABEL,
        )
        self.time = widgets.Text(value="18:00", description="Time (HH:MM)", style=LABEL)
        self.weeks = widgets.IntSlider(value=6, min=1, max=52, description="Weeks", style=LABEL)
        auto = widgets.Layout(width="auto")
        self.handout_button = widgets.Button(description="Make the handout (PDF)", layout=auto)
        self.handout_button.add_class("ilio-make-handout")
        self.calendar_button = widgets.Button(description="Make the calendar file (.ics)", layout=auto)
        self.calendar_button.add_class("ilio-make-calendar")
        self.downloads = widgets.HTML()
        self.downloads.add_class("ilio-clinic-downloads")
        self.message = MessageArea()
        self.handout_button.on_click(
            guarded(self.message, "make the handout")(lambda _b: self.make_handout())
        )
        self.calendar_button.on_click(
            guarded(self.message, "make the calendar")(lambda _b: self.make_calendar())
        )
        self.children = [
            self.patient,
            self.notes,
            self.page_size,
            self.large_print,
            self.sessions,
            self.handout_button,
            self.weekdays,
            self.time,
            self.weeks,
            self.calendar_button,
            self.message,
            self.downloads,
        ]
        self.add_class("ilio-clinic")
        self._links: dict[str, str] = {}

    def make_handout(self) -> bytes:
        """Build the PDF for the current routine and offer it for download."""
        from ..documents.handout import HandoutOptions, make_handout

        options = HandoutOptions(
            page_size=self.page_size.value,
            large_print=self.large_print.value,
            patient_name=self.patient.value,
            clinician_notes=self.notes.value,
            sessions_per_week=self.sessions.value,
            made_on=self._today(),
        )
        pdf = make_handout(self._routine(), self.catalog, options)
        self._offer(
            "handout",
            download_link(
                pdf,
                "iliopsoas_handout.pdf",
                "application/pdf",
                "Download the handout (PDF)",
                "ilio-handout-link",
            ),
        )
        size = f"{options.page_size}{', large print' if options.large_print else ''}"
        self.message.ok(f"Handout ready: {len(pdf) // 1024} KB, {size}.")
        return pdf

    def make_calendar(self) -> bytes:
        """Build the .ics plan for the current routine and offer it for download."""
        from ..documents.calendar_plan import make_calendar

        try:
            hours, minutes = (int(part) for part in self.time.value.strip().split(":"))
            at = time(hours, minutes)
        except ValueError:
            raise ValueError(f"time: expected HH:MM (24-hour), got {self.time.value!r}") from None
        ics = make_calendar(
            self._routine(),
            weekdays=tuple(self.weekdays.value),
            start=self._today(),
            at=at,
            weeks=self.weeks.value,
        )
        self._offer(
            "calendar",
            download_link(
                ics,
                "iliopsoas_plan.ics",
                "text/calendar",
                "Download the calendar plan (.ics)",
                "ilio-calendar-link",
            ),
        )
        self.message.ok(f"Calendar ready: {self.weeks.value} weeks on {', '.join(self.weekdays.value)}.")
        return ics

    def _offer(self, key: str, link: str) -> None:
        self._links[key] = link
        self.downloads.value = " ".join(f"<p>{v}</p>" for v in self._links.values())

    def __repr__(self) -> str:
        return "Clinician panel: handout and calendar for the current routine"
