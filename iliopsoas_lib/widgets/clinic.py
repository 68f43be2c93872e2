"""For clinicians: a live dosage calculator, and a panel that builds the handout and the calendar file.

Thin views: the numbers come from :mod:`iliopsoas_lib.dosage`, the files from
:mod:`iliopsoas_lib.documents`. The panel holds a dosage calculator, and the handout and the calendar
are made from the calculator's plan, so the dose the clinician sets is the dose the patient gets on
paper. Files are handed to the browser as download links (data URLs): nothing, not the patient's name
nor the notes, is written on the server.
"""

from __future__ import annotations

import html
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import anywidget
import ipywidgets as widgets
import traitlets

from ..catalog import Catalog
from ..documents.calendar_plan import local_zone_name, spread_weekdays, time_zone_names
from ..dosage import DosagePlan, parse_time_of_day, plan_dosage, warnings_text
from ..limits import (
    CALENDAR_WEEKS,
    DEFAULT_CALENDAR_WEEKS,
    DEFAULT_HOLD_SECONDS,
    DEFAULT_SESSION_TIME,
    DEFAULT_SESSIONS_PER_WEEK,
    HOLD_SECONDS,
    REPETITIONS,
    SESSIONS_PER_WEEK,
)
from ..prescription import PrescriptionError, prescription_url
from ..routine import Routine
from .browser_code import BrowserCode
from .common import MessageArea, ShowsRoutine, download_link, follow, guarded, link_routine, number_box
from .voila_env import VoilaEnv

WEEKDAY_NAMES = {"MO": "Mon", "TU": "Tue", "WE": "Wed", "TH": "Thu", "FR": "Fri", "SA": "Sat", "SU": "Sun"}
LABEL = {"description_width": "8rem"}
#: The repetitions box's value for "as each stretch says" (no one repetition count for all).
AS_EACH_STRETCH_SAYS = 0
#: The shared dashboard's address, for the patient link; unset, the link uses the address of the page the
#: panel is shown on (in Voilà only: in JupyterLab that page is not the dashboard). See docs/deploy.md.
DASHBOARD_URL_ENV = "ILIOPSOAS_DASHBOARD_URL"
_HERE = Path(__file__).parent


class PageAddress(anywidget.AnyWidget):
    """Nothing to see: reports the address of the page it is on (``address``), checked in the kernel."""

    _esm = BrowserCode(_HERE / "page_address.js")
    address = traitlets.Unicode("").tag(sync=True)

    @traitlets.validate("address")
    def _only_a_web_address(self, proposal: dict[str, Any]) -> str:
        value = proposal["value"]
        parts = urlsplit(value) if isinstance(value, str) and len(value) <= 500 else None
        if parts is None or parts.scheme not in ("http", "https") or not parts.netloc or parts.query:
            return self.address  # a forged or odd message changes nothing
        return value


def dashboard_url(page_address: str = "") -> str:
    """Where the patient link points: ``ILIOPSOAS_DASHBOARD_URL``, else the page's own address if this
    kernel is Voilà's (the dashboard itself), else "" (no link can be made)."""
    configured = os.environ.get(DASHBOARD_URL_ENV, "").strip()
    if configured:
        return configured
    return page_address if os.environ.get(VoilaEnv.VOILA_KERNEL_ID) else ""


class StretchDose(widgets.VBox):
    """One stretch's dose in the calculator: hold, repetitions and the reason for the clinician's choice.

    Its boxes show the dose in force (the stretch's own, the one set for all, or this stretch's own
    choice); the calculator listens to them and tells a clinician's change from its own syncing.
    """

    def __init__(self, stretch_id: str, name: str) -> None:
        self.stretch_id = stretch_id
        self.hold = number_box(HOLD_SECONDS, "Hold (s)", style=LABEL, continuous_update=False)
        self.repetitions = number_box(REPETITIONS, "Repetitions", style=LABEL, continuous_update=False)
        self.reason = widgets.Text(
            description="Why this dose",
            placeholder="optional: printed on the handout, never in the link",
            continuous_update=False,
            style=LABEL,
            layout=widgets.Layout(width="100%", max_width="32rem"),
        )
        super().__init__(
            [
                widgets.HTML(f"<p><strong>{html.escape(name)}</strong></p>"),
                self.hold,
                self.repetitions,
                self.reason,
            ]
        )
        self.add_class("ilio-stretch-dose")
        self.add_class(f"ilio-dose-{stretch_id.replace('_', '-')}")


class DosageCalculator(widgets.VBox):
    """Each stretch's hold and repetitions, and sessions a week -> minutes per session and per week, with
    the guideline checks of :meth:`DosagePlan.warnings` (the command line prints the same).

    A value outside the guideline is shown as a warning with its source; the clinician decides. Each
    stretch keeps its own dose (a clinician's file may give them different ones) until it is changed:
    in its own boxes, for that stretch only, or in the "for every stretch" boxes (``hold``,
    ``repetitions``), for all of them, including stretches that join the routine later. A stretch's
    reason for its dose goes with it (``RoutineItem.reason``) to the handout. The result is the ``plan``
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
        self._hold_chosen = False  # True once the clinician changes the hold for every stretch
        self._syncing = False  # True while boxes follow the routine or the dose for all (not a click)
        #: Doses the clinician set for one stretch: stretch id -> {"hold_seconds": 40, "repetitions": 3}.
        self._own: dict[str, dict[str, int]] = {}
        self._reasons: dict[str, str] = {}
        self._rows: dict[str, StretchDose] = {}  # kept, so a change of answers sends only new stretches
        # Number boxes, not sliders: an ipywidgets slider's handle has no accessible name (its label is
        # tied to nothing), so a screen reader could not say which number it sets.
        self.hold = number_box(
            HOLD_SECONDS, "Hold (s), all", self._first_hold(routine), style=LABEL, continuous_update=False
        )
        self.repetitions = widgets.Dropdown(
            # 0 stands for "as each stretch says": ipywidgets reads a value of None as "nothing
            # chosen", which left the box blank.
            options=[("as each stretch says", AS_EACH_STRETCH_SAYS)]
            + [(str(n), n) for n in range(REPETITIONS.low, REPETITIONS.high + 1)],
            value=AS_EACH_STRETCH_SAYS,
            description="Repetitions, all",
            style=LABEL,
        )
        self.sessions = number_box(
            SESSIONS_PER_WEEK, "Sessions/week", sessions_per_week, style=LABEL, continuous_update=False
        )
        self.stretches = widgets.VBox()
        self.stretches.add_class("ilio-stretch-doses")
        self.result = widgets.HTML()
        self.result.add_class("ilio-dosage-result")
        self.message = MessageArea()
        self.update = guarded(self.message, "work out the dose")(self._update)
        self.hold.observe(self._hold_moved, "value")
        self.repetitions.observe(self._repetitions_moved, "value")
        self.sessions.observe(lambda _change: self.update(), "value")
        self.children = [
            widgets.HTML("<p>For every stretch:</p>"),
            self.hold,
            self.repetitions,
            self.sessions,
            widgets.HTML("<p>For each stretch:</p>"),
            self.stretches,
            self.result,
            self.message,
        ]
        self.add_class("ilio-dosage")
        self._show_rows()
        self.update()

    @property
    def hold_seconds(self) -> int | None:
        """The hold applied to every stretch, or None while each keeps its own (not changed yet)."""
        return self.hold.value if self._hold_chosen else None

    def row(self, stretch_id: str) -> StretchDose:
        """The boxes of one stretch of the routine (KeyError for a stretch not in it)."""
        if stretch_id not in {item.stretch.id for item in self.routine.items}:
            raise KeyError(f"{stretch_id!r} is not in the routine")
        return self._rows[stretch_id]

    def set_routine(self, routine: Routine) -> None:
        """Dose a new routine (e.g. after the patient's answers change), keeping the dose set so far."""
        self.routine = routine
        if not self._hold_chosen:
            with self._synced():
                self.hold.value = self._first_hold(routine)
        self._show_rows()
        self.update()

    def link(self, *views: ShowsRoutine) -> None:
        """Make each view (e.g. a timer) show the dosed routine, now and after every change of dose."""
        link_routine(self, "plan", lambda plan: plan.routine if plan is not None else None, views)

    @staticmethod
    def _first_hold(routine: Routine) -> int:
        return routine.items[0].hold_seconds if routine.items else DEFAULT_HOLD_SECONDS

    @contextmanager
    def _synced(self) -> Iterator[None]:
        syncing, self._syncing = self._syncing, True
        try:
            yield
        finally:
            self._syncing = syncing

    def _hold_moved(self, _change: dict[str, Any]) -> None:
        if not self._syncing:
            self._hold_chosen = True
            for own in self._own.values():  # one hold for all, until a stretch is changed again
                own.pop("hold_seconds", None)
            self.update()

    def _repetitions_moved(self, _change: dict[str, Any]) -> None:
        for own in self._own.values():  # one count for all, until a stretch is changed again
            own.pop("repetitions", None)
        self.update()

    def _own_moved(self, stretch_id: str, key: str, value: int) -> None:
        if not self._syncing:
            self._own.setdefault(stretch_id, {})[key] = value
            self.update()

    def _reason_moved(self, stretch_id: str, text: str) -> None:
        self._reasons[stretch_id] = text.strip()
        self.update()

    def _show_rows(self) -> None:
        """One row of boxes per stretch of the routine (their numbers: :meth:`_show_doses`)."""
        rows = []
        with self._synced():
            for item in self.routine.items:
                stretch_id = item.stretch.id
                row = self._rows.get(stretch_id)
                if row is None:
                    row = self._rows[stretch_id] = StretchDose(stretch_id, item.stretch.name)
                    row.hold.value, row.repetitions.value = item.hold_seconds, item.repetitions
                    row.hold.observe(
                        lambda c, s=stretch_id: self._own_moved(s, "hold_seconds", c["new"]), "value"
                    )
                    row.repetitions.observe(
                        lambda c, s=stretch_id: self._own_moved(s, "repetitions", c["new"]), "value"
                    )
                    row.reason.observe(lambda c, s=stretch_id: self._reason_moved(s, c["new"]), "value")
                rows.append(row)
        self.stretches.children = rows

    def _show_doses(self, plan: DosagePlan) -> None:
        """Each stretch's boxes show the dose the plan gives it."""
        with self._synced():
            for item in plan.routine.items:
                row = self._rows[item.stretch.id]
                row.hold.value, row.repetitions.value = item.hold_seconds, item.repetitions

    def _update(self) -> None:
        self.plan = None  # stays None if the dose cannot be worked out, so nothing uses a stale plan
        ids = {item.stretch.id for item in self.routine.items}
        plan = plan_dosage(  # checks every number, and marks a changed dose as the clinician's
            self.catalog,
            self.routine,
            hold_seconds=self.hold_seconds,
            repetitions=self.repetitions.value or None,
            dosage={k: v for k, v in self._own.items() if k in ids and v},
            reasons={k: v for k, v in self._reasons.items() if k in ids and v},
            sessions_per_week=self.sessions.value,
        )
        warnings = plan.warnings(self.catalog)
        holds = sorted({item.hold_seconds for item in plan.routine.items})
        mixed = (
            f"<p>Holds differ by stretch ({holds[0]}-{holds[-1]} s); changing the hold for all sets one hold "
            "for every stretch.</p>"
            if len(holds) > 1
            else ""
        )
        self.result.value = f"<p><strong>{html.escape(plan.summary())}</strong></p>{mixed}"
        if warnings:
            self.message.error(warnings_text(warnings))
        else:
            self.message.ok("Within the guidelines.")
        self._show_doses(plan)
        self.plan = plan

    def __repr__(self) -> str:
        return f"Dosage calculator: {self.plan.summary() if self.plan else 'no plan'}"


class ClinicPanel(widgets.VBox):
    """The dose (a :class:`DosageCalculator`), the patient link, then patient name and notes (never
    stored), paper size, large print, weekdays, time and weeks; buttons that build the handout PDF and
    the calendar file of the *dosed* routine and offer them as downloads.

    The patient link (``link``, a text box to copy) opens the shared dashboard with this routine at this
    dose (:func:`~iliopsoas_lib.prescription.prescription_url`); it follows every change of dose. It
    points at ``ILIOPSOAS_DASHBOARD_URL``, else, in Voilà, at the page the panel is on (:class:`PageAddress`).

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
        printed = "printed on the handout"
        self.clinician = widgets.Text(description="Your name", placeholder=printed, layout=wide, style=LABEL)
        self.contact = widgets.Text(
            description="How to reach you", placeholder=printed, layout=wide, style=LABEL
        )
        self.page_size = widgets.ToggleButtons(options=["A4", "Letter"], description="Paper", style=LABEL)
        self.large_print = widgets.Checkbox(description="Large print", indent=False)
        self.weekdays = widgets.SelectMultiple(
            options=[(name, code) for code, name in WEEKDAY_NAMES.items()],
            value=spread_weekdays(self.sessions.value),
            description="Weekdays",
            rows=7,
            style=LABEL,
        )
        self.time = widgets.Text(
            value=f"{DEFAULT_SESSION_TIME:%H:%M}", description="Time (HH:MM)", style=LABEL
        )
        self.weeks = number_box(CALENDAR_WEEKS, "Weeks", DEFAULT_CALENDAR_WEEKS, style=LABEL)
        # The patient's time zone: the sessions keep their wall time across clock changes. The server's
        # own zone is only a first guess (a shared dashboard's server may be anywhere).
        self.zone = widgets.Combobox(
            value=local_zone_name(),
            options=list(time_zone_names()),
            description="Time zone",
            placeholder="e.g. Europe/Berlin",
            ensure_option=False,  # a typo gets the calendar's own message, with a suggestion
            style=LABEL,
        )
        self.reminder = widgets.Dropdown(
            options=[("No reminder", 0), ("10 min before", 10), ("30 min before", 30), ("1 hour before", 60)],
            value=0,
            description="Reminder",
            style=LABEL,
        )
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
                self.clinician,
                self.contact,
                self.page_size,
                self.large_print,
                self.handout_button,
                self.weekdays,
                self.time,
                self.weeks,
                self.zone,
                self.reminder,
                self.calendar_button,
                self.message,
                self.downloads,
            ]
        )
        documents.add_class("ilio-clinic")
        # The patient link: this routine at this dose, to open on the shared dashboard.
        self.link = widgets.Text(
            description="Patient link",
            placeholder="the link shows here",
            layout=wide,
            style=LABEL,
        )
        self.link.add_class("ilio-patient-link")
        self.link_note = widgets.HTML()
        self.link_note.add_class("ilio-patient-link-note")
        self._base_url = dashboard_url()
        self.address: PageAddress | None = None
        if not self._base_url and os.environ.get(VoilaEnv.VOILA_KERNEL_ID):  # ask the page its address
            self.address = PageAddress()
            follow(self.address, "address", self._follow_address, now=False)
        link = widgets.VBox(
            [
                widgets.HTML(
                    "<p>The patient link opens the dashboard with these stretches and doses. It holds no "
                    "name, no answers and no notes. The patient still answers the health questions.</p>"
                ),
                self.link,
                self.link_note,
                *([self.address] if self.address is not None else []),
            ]
        )
        link.add_class("ilio-link-part")
        # A patient's downloaded log against this plan, for the consultation; nothing is stored.
        from .log_review import LogReview

        self.log_review = LogReview(self.sessions, today=today, known_stretches=catalog.stretches)
        self.children = [
            widgets.HTML("<p>The dose (the handout, the calendar and the link use it):</p>"),
            self.dosage,
            link,
            documents,
            widgets.HTML("<p>Review a patient's log: the CSV file they downloaded from their log.</p>"),
            self.log_review,
        ]
        self.add_class("ilio-clinic-panel")
        self._links: dict[str, str] = {}
        # The calendar follows the dose: a new number of sessions a week picks days spread over the week,
        # which the clinician can still change by hand. The link follows every new plan.
        follow(self.sessions, "value", self._spread_sessions, now=False)
        follow(self.dosage, "plan", lambda _plan: self.update_link())

    def _spread_sessions(self, sessions_per_week: int) -> None:
        self.weekdays.value = spread_weekdays(sessions_per_week)

    def _follow_address(self, address: str) -> None:
        self._base_url = dashboard_url(address)
        self.update_link()

    def update_link(self) -> str:
        """Show the patient link of the dosed routine (made by :func:`prescription_url`); "" if none."""
        plan = self.dosage.plan
        if plan is None or not plan.routine.items:
            self.link.value = ""
            self.link_note.value = "<p>No link yet: the routine has no stretch.</p>"
        elif not self._base_url:
            self.link.value = ""
            self.link_note.value = (
                f"<p>No link: set {DASHBOARD_URL_ENV} to the shared dashboard's address "
                "(see docs/deploy.md).</p>"
            )
        else:
            try:
                self.link.value = prescription_url(
                    plan.routine, self._base_url, sessions_per_week=plan.sessions_per_week
                )
            except PrescriptionError as error:  # a mistyped ILIOPSOAS_DASHBOARD_URL
                self.link.value = ""
                self.link_note.value = f"<p>No link: {html.escape(str(error))}.</p>"
                return ""
            self.link_note.value = (
                f'<p><a href="{html.escape(self.link.value, quote=True)}" target="_blank" '
                'rel="noopener noreferrer">Open the link</a> to see what your patient will see.</p>'
            )
        return self.link.value

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
            clinician=self.clinician.value,
            contact=self.contact.value,
            prescription_url=self.link.value or None,  # a QR code and the link on the handout
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
            tz=self.zone.value.strip() or None,
            reminder=self.reminder.value,
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
        zone = self.zone.value.strip() or local_zone_name()
        self.message.ok(
            f"Calendar ready: {self.weeks.value} weeks on {', '.join(days)}, times in {zone}.{note}"
        )
        return ics

    def _offer(self, key: str, link: str) -> None:
        self._links[key] = link
        self.downloads.value = " ".join(f"<p>{v}</p>" for v in self._links.values())

    def __repr__(self) -> str:
        plan = self.dosage.plan
        return f"Clinician panel: handout and calendar for {plan.summary() if plan else 'no plan yet'}"
