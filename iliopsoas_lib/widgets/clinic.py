"""For clinicians: a live dosage calculator, and a panel that builds the handout and the calendar file.

Thin views: the numbers come from :mod:`iliopsoas_lib.dosage`, the files from
:mod:`iliopsoas_lib.documents`. The panel holds a dosage calculator, and the handout and the calendar
are made from the calculator's plan, so the dose the clinician sets is the dose the patient gets on
paper. Files are handed to the browser as download links (data URLs): nothing, not the patient's name
nor the notes, is written on the server.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from datetime import date
from typing import Any

import ipywidgets as widgets
import traitlets

from ..catalog import Catalog
from ..documents.calendar_plan import spread_weekdays
from ..dosage import DEFAULT_SESSIONS_PER_WEEK, SESSIONS_BOUNDS, DosagePlan, parse_time_of_day, plan_dosage
from ..routine import Routine
from ..schema import HOLD_SECONDS_BOUNDS
from .common import MessageArea, ShowsRoutine, download_link, guarded, link_routine

WEEKDAY_NAMES = {"MO": "Mon", "TU": "Tue", "WE": "Wed", "TH": "Thu", "FR": "Fri", "SA": "Sat", "SU": "Sun"}
LABEL = {"description_width": "8rem"}
DEFAULT_HOLD_SECONDS = 30
#: The repetitions box's value for "as each stretch says" (no one repetition count for all).
AS_EACH_STRETCH_SAYS = 0


class DosageCalculator(widgets.VBox):
    """Hold, repetitions and sessions a week -> minutes per session and per week, with guideline checks.

    A value outside the guideline is shown as a warning with its source; the clinician decides. Until
    the hold is changed, each stretch keeps its own hold (a clinician's file may give them
    different ones); once changed, that hold applies to every stretch. The result is the ``plan``
    trait: :meth:`link` hands its routine to a timer or any view with ``set_routine``.
    """

    plan = traitlets.Instance(DosagePlan, allow_none=True)

    def __init__(
        self,
        catalog: Catalog,
        routine: Routine,
        *,
        sessions_per_week: int = DEFAULT_SESSIONS_PER_WEEK,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self.catalog, self.routine = catalog, routine
        self._hold_chosen = False  # True once the clinician changes the hold
        self._syncing = False  # True while the hold box follows a new routine (not the clinician's move)
        low, high = HOLD_SECONDS_BOUNDS
        # Number boxes, not sliders: an ipywidgets slider's handle has no accessible name (its label is
        # tied to nothing), so a screen reader could not say which number it sets.
        self.hold = widgets.BoundedIntText(
            value=self._first_hold(routine),
            min=low,
            max=high,
            description="Hold (s)",
            continuous_update=False,
            style=LABEL,
        )
        self.repetitions = widgets.Dropdown(
            # 0 stands for "as each stretch says": ipywidgets reads a value of None as "nothing
            # chosen", which left the box blank.
            options=[("as each stretch says", AS_EACH_STRETCH_SAYS)] + [(str(n), n) for n in range(1, 21)],
            value=AS_EACH_STRETCH_SAYS,
            description="Repetitions",
            style=LABEL,
        )
        self.sessions = widgets.BoundedIntText(
            value=sessions_per_week,
            min=SESSIONS_BOUNDS[0],
            max=SESSIONS_BOUNDS[1],
            description="Sessions/week",
            continuous_update=False,
            style=LABEL,
        )
        self.result = widgets.HTML()
        self.result.add_class("ilio-dosage-result")
        self.message = MessageArea()
        self.update = guarded(self.message, "work out the dose")(self._update)
        self.hold.observe(self._hold_moved, "value")
        for control in (self.repetitions, self.sessions):
            control.observe(lambda _change: self.update(), "value")
        self.children = [self.hold, self.repetitions, self.sessions, self.result, self.message]
        self.add_class("ilio-dosage")
        self.update()

    @property
    def hold_seconds(self) -> int | None:
        """The hold applied to every stretch, or None while each keeps its own (not changed yet)."""
        return self.hold.value if self._hold_chosen else None

    def set_routine(self, routine: Routine) -> None:
        """Dose a new routine (e.g. after the patient's answers change), keeping the dose set so far."""
        self.routine = routine
        if not self._hold_chosen:
            self._syncing = True
            try:
                self.hold.value = self._first_hold(routine)
            finally:
                self._syncing = False
        self.update()

    def link(self, *views: ShowsRoutine) -> None:
        """Make each view (e.g. a timer) show the dosed routine, now and after every change of dose."""
        link_routine(self, "plan", lambda plan: plan.routine if plan is not None else None, views)

    @staticmethod
    def _first_hold(routine: Routine) -> int:
        return routine.items[0].hold_seconds if routine.items else DEFAULT_HOLD_SECONDS

    def _hold_moved(self, _change: dict[str, Any]) -> None:
        if not self._syncing:
            self._hold_chosen = True
            self.update()

    def _update(self) -> None:
        self.plan = None  # stays None if the dose cannot be worked out, so nothing uses a stale plan
        plan = plan_dosage(
            self.catalog,
            self.routine,
            hold_seconds=self.hold_seconds,
            repetitions=self.repetitions.value or None,
            sessions_per_week=self.sessions.value,
        )
        warnings = plan.warnings(self.catalog)
        holds = sorted({item.hold_seconds for item in plan.routine.items})
        mixed = (
            f"<p>Holds as each stretch says ({holds[0]}-{holds[-1]} s); changing the hold sets one hold "
            "for all.</p>"
            if len(holds) > 1
            else ""
        )
        self.result.value = f"<p><strong>{html.escape(plan.summary())}</strong></p>{mixed}"
        if warnings:
            self.message.error("Check: " + "; ".join(map(str, warnings)) + ". Your call as the clinician.")
        else:
            self.message.ok("Within the guidelines.")
        self.plan = plan

    def __repr__(self) -> str:
        return f"Dosage calculator: {self.plan.summary() if self.plan else 'no plan'}"


class ClinicPanel(widgets.VBox):
    """The dose (a :class:`DosageCalculator`), then patient name and notes (never stored), paper size,
    large print, weekdays, time and weeks; buttons that build the handout PDF and the calendar file of
    the *dosed* routine and offer them as downloads.

    :meth:`set_routine` gives it a new routine (the dashboard calls it when the answers change, and
    ``picker.link(panel)`` does the same); the dose the clinician set is kept. The routine lives in one
    place, the dosage calculator.
    """

    def __init__(
        self,
        catalog: Catalog,
        routine: Routine,
        today: Callable[[], date] = date.today,
        *,
        sessions_per_week: int = DEFAULT_SESSIONS_PER_WEEK,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self.catalog, self._today = catalog, today
        self.dosage = DosageCalculator(catalog, routine, sessions_per_week=sessions_per_week)
        self.sessions = self.dosage.sessions  # sessions a week: the handout's tick-box chart follows it
        wide = widgets.Layout(width="100%", max_width="32rem")
        hint = "printed on the handout only, never stored"
        self.patient = widgets.Text(description="Patient name", placeholder=hint, layout=wide, style=LABEL)
        self.notes = widgets.Textarea(description="Your notes", placeholder=hint, layout=wide, style=LABEL)
        self.page_size = widgets.ToggleButtons(options=["A4", "Letter"], description="Paper", style=LABEL)
        self.large_print = widgets.Checkbox(description="Large print", indent=False)
        self.weekdays = widgets.SelectMultiple(
            options=[(name, code) for code, name in WEEKDAY_NAMES.items()],
            value=spread_weekdays(self.sessions.value),
            description="Weekdays",
            rows=7,
            style=LABEL,
        )
        self.time = widgets.Text(value="18:00", description="Time (HH:MM)", style=LABEL)
        self.weeks = widgets.BoundedIntText(value=6, min=1, max=52, description="Weeks", style=LABEL)
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
        # The documents part carries the ilio-clinic class; the dose above it has its own message area.
        documents = widgets.VBox(
            [
                self.patient,
                self.notes,
                self.page_size,
                self.large_print,
                self.handout_button,
                self.weekdays,
                self.time,
                self.weeks,
                self.calendar_button,
                self.message,
                self.downloads,
            ]
        )
        documents.add_class("ilio-clinic")
        self.children = [
            widgets.HTML("<p>The dose (the handout and the calendar use it):</p>"),
            self.dosage,
            documents,
        ]
        self.add_class("ilio-clinic-panel")
        self._links: dict[str, str] = {}
        # The calendar follows the dose: a new number of sessions a week picks days spread over the week,
        # which the clinician can still change by hand.
        self.sessions.observe(
            lambda change: setattr(self.weekdays, "value", spread_weekdays(change["new"])), "value"
        )

    def set_routine(self, routine: Routine) -> None:
        """Make the documents for ``routine`` from now on, with the dose set so far."""
        self.dosage.set_routine(routine)

    def plan(self) -> DosagePlan:
        """The dosed routine the documents are made from: the current routine with the dose set here."""
        if self.dosage.plan is None:
            raise ValueError(f"the dose could not be worked out: {self.dosage.message.text}")
        return self.dosage.plan

    def make_handout(self) -> bytes:
        """Build the PDF for the dosed routine and offer it for download."""
        from ..documents.handout import HandoutOptions, make_handout

        plan = self.plan()
        options = HandoutOptions(
            page_size=self.page_size.value,
            large_print=self.large_print.value,
            patient_name=self.patient.value,
            clinician_notes=self.notes.value,
            sessions_per_week=plan.sessions_per_week,
            made_on=self._today(),
        )
        pdf = make_handout(plan.routine, self.catalog, options)
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
        """Build the .ics plan for the dosed routine and offer it for download."""
        from ..documents.calendar_plan import make_calendar

        at = parse_time_of_day(self.time.value, "time")
        plan = self.plan()
        days = tuple(self.weekdays.value)
        ics = make_calendar(
            plan.routine,
            weekdays=days,
            start=self._today(),
            at=at,
            weeks=self.weeks.value,
            catalog=self.catalog,  # a clinician's own red flags go into the plan too
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
        note = ""
        if len(days) != plan.sessions_per_week:
            note = f" The dose says {plan.sessions_per_week} sessions a week; the calendar has {len(days)}."
        self.message.ok(f"Calendar ready: {self.weeks.value} weeks on {', '.join(days)}.{note}")
        return ics

    def _offer(self, key: str, link: str) -> None:
        self._links[key] = link
        self.downloads.value = " ".join(f"<p>{v}</p>" for v in self._links.values())

    def __repr__(self) -> str:
        plan = self.dosage.plan
        return f"Clinician panel: handout and calendar for {plan.summary() if plan else 'no plan yet'}"
