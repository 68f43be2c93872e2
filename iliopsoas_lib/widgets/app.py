"""The dashboard Voilà serves: one page from questions to routine, timer, log, stretches and anatomy.

Each visitor of a shared link gets their own kernel and so their own :class:`Dashboard`: their session
log lives in that kernel and in what they download. Nothing is written on the server unless the
operator sets ``ILIOPSOAS_SAVE_LOG=1`` on purpose (for one-person servers such as a JupyterHub user's
own Voilà app; see docs/deploy.md).
"""

from __future__ import annotations

import contextlib
import html
import json
import logging
import os
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import ipywidgets as widgets

from ..catalog import Catalog, load_catalog
from ..limits import DEFAULT_SESSIONS_PER_WEEK
from ..prescription import Prescription, PrescriptionError, read_prescription
from ..presentation.text import (
    PatientCitations,
    glossary_markdown,
    guidelines_markdown,
    patient_references_html,
    red_flags_markdown,
    to_html,
)
from ..session_log import SessionLog, SessionLogError
from ..timer import Clock
from . import patient_text as words
from .anatomy_view import MuscleExplorer
from .browser_code import files_url, stylesheet_html
from .clinic import ClinicPanel
from .common import LazySection, MessageArea, follow, html_block, share_looks
from .connection_notice import ConnectionNotice
from .log_view import LogView
from .routine_cards import RoutineCards
from .routine_picker import RoutinePicker
from .served_text import served_html
from .stretch_cards import StretchCards
from .timer_widget import TimerView, routines_finished
from .voila_env import VoilaEnv

_HERE = Path(__file__).parent
SAVE_LOG_ENV = "ILIOPSOAS_SAVE_LOG"


def log_saved_on_server() -> bool:
    """Whether the operator turned on the per-user store (``ILIOPSOAS_SAVE_LOG=1``, exactly "1").

    The one place that reads the switch: the log view saves to the user's data folder, and the page says
    so, from this answer only, so the words can never disagree with what is stored.
    """
    return os.environ.get(SAVE_LOG_ENV) == "1"


class Dashboard(widgets.VBox):
    """All parts of the app wired together; each part is a thin view that can also stand alone.

    The first screen, before any click: what the iliopsoas is, the signs that mean "stop and get
    help", then the health questions. No stretch is offered until every health question is answered;
    the chosen stretches' cards (steps at this routine's dose, cautions) come before the timer.
    Every fact carries a short readable citation ("Lindberg"), never a source id.
    """

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
        self.cite = PatientCitations.of(self.catalog)
        self.picker = RoutinePicker(self.catalog, show_routine=False, remember_answers=True)
        self.picker.health.main_landmark = "ilio-dashboard"
        self.cards = RoutineCards(self.catalog, cite=self.cite)
        self.timer = TimerView(self.picker.routine, clock)
        path = SessionLog.default_path() if log_saved_on_server() else None
        unreadable: str | None = None
        if log is None:
            log, unreadable = _saved_log(path)
            if unreadable is not None:
                path = None  # never save over a file that could not be read: it may hold someone's log
        self.log_view = LogView(
            log,
            today=today,
            routine=self.picker.routine,
            path=path,
            known_stretches=tuple(self.catalog.stretches),  # an upload naming any other stretch is refused
        )
        self.stretches = LazySection("all the stretches", lambda: StretchCards(self.catalog, cite=self.cite))
        self.muscles = LazySection(
            "the muscle", lambda: MuscleExplorer(self.catalog, plain=True, cite=self.cite)
        )
        self.clinic = LazySection(
            "the clinicians' tools",
            lambda: self._following(
                ClinicPanel(
                    self.catalog, self.picker.routine, today=today, sessions_per_week=self._sessions()
                )
            ),
        )
        # Above the log, only when the saved log could not be read (a model fewer on every other page).
        self.notice: MessageArea | None = MessageArea() if unreadable is not None else None
        #: The plan of the clinician's link this page was opened with, if it had a working one.
        self.prescription: Prescription | None = None
        #: Why the page's link could not be followed ("" when it could, or there was none).
        self.link_problem = ""
        #: Under the title, only when the page was opened with a link (a model fewer on every other page).
        self.link_notice: widgets.HTML | None = None
        # State flows between the parts one way only (common.follow): the answers' routine to the cards,
        # the timer and the log (the clinicians' panel joins when it is built), a finished routine to
        # the log's message.
        self.picker.link(self.cards, self.timer, self.log_view)
        follow(
            self.timer,
            "plan",
            lambda _count: self.log_view.message.ok(words.ROUTINE_FINISHED),
            value_of=routines_finished,
            now=False,
        )
        if self.picker.memory is not None:  # a reload's kept timer place, before the answers' routine
            follow(self.picker.memory, "kept", self.timer.take_kept_place, now=False)
        self.connection = ConnectionNotice()  # says so when the server or the network is gone
        self.children = [*self._parts(), self.connection]  # fixed on screen: its place here is moot
        self.add_class("ilio-dashboard")
        share_looks(self)  # one Layout and one Style model for widgets that look alike: a lighter page
        if self.notice is not None and unreadable is not None:  # stays above the log: nothing replaces it
            self.notice.error(unreadable)

    def _parts(self) -> list[widgets.Widget]:
        """The page in order. Each run of fixed text between two live parts is one HTML widget (with the
        section's heading in it): every widget is a model the page receives when it opens."""
        c, cite = self.catalog, self.cite
        term = c.glossary.get("iliopsoas")
        intro = html_block(
            stylesheet_html(_HERE / "dashboard.css")
            + f"<h1>{html.escape(words.TITLE)}</h1>"
            # What is true here: the log view saves only with a path (never over an unreadable file).
            + f"<p>{html.escape(words.intro_text(saved_on_server=self.log_view.path is not None))}</p>"
            + (_box("ilio-term", to_html(words.term_markdown(term, cite))) if term else "")
        )
        red_flags = html_block(
            f'<section id="{words.RED_FLAGS_ANCHOR}" class="ilio-red-flags" aria-label="Warning signs">'
            f"{to_html(red_flags_markdown(c, cite=cite, heading_level=2))}"
            f"<p>{html.escape(words.NOT_A_DIAGNOSIS)}</p></section>" + _heading(words.SECTION_QUESTIONS),
            "ilio-red-flags-box",
        )
        before = [g for g in (c.guidelines.get("warm_up"), c.guidelines.get("stop_at_pain")) if g]
        reminder = html_block(  # the timer's heading and help, then the red flags in short beside it
            _heading(words.SECTION_TIMER)
            + f"<p>{html.escape(words.TIMER_HELP)}</p>"
            + f"<h3>{html.escape(words.BEFORE_YOU_START)}</h3>"
            + _box(
                "ilio-safety",
                to_html(guidelines_markdown(before, cite=cite))
                + to_html(words.timer_reminder_markdown(c, cite)),
            ),
            "ilio-timer-reminder",
        )
        # Long fixed text travels as a cached file under the public server (served_text); the warning
        # signs and the timer's reminder always travel with the page.
        glossary = html_block(
            served_html(
                _heading(words.SECTION_MUSCLE) + to_html(glossary_markdown(c.glossary.values(), cite=cite))
            ),
            "ilio-glossary",
        )
        return [
            intro,
            red_flags,
            self.picker,
            html_block(_heading(words.SECTION_STRETCHES) + f"<p>{html.escape(words.STRETCHES_HELP)}</p>"),
            self.picker.summary,
            self.cards,
            reminder,
            self.timer,
            html_block(_heading(words.SECTION_WEEK)),
            *([self.notice] if self.notice is not None else []),
            self.log_view,
            html_block(_heading(words.SECTION_ALL_STRETCHES)),
            self.stretches,
            glossary,
            self.muscles,
            html_block(_heading(words.SECTION_CLINIC) + f"<p>{html.escape(words.CLINIC_HELP)}</p>"),
            self.clinic,
            html_block(served_html(patient_references_html(c.references())), "ilio-references"),
        ]

    def open_link(self, query: str) -> Prescription | None:
        """Follow the page's query string: a clinician's plan (``?rx=``) replaces the choice of stretches.

        The questions still come first (:meth:`RoutinePicker.follow`). A link that cannot be followed
        (changed, cut short, an unknown stretch, a dose outside the safe bounds) leaves the ordinary
        questions and says so in one plain sentence; the reason is kept in ``link_problem``. Nothing is
        logged: in a kernel, a log line would be printed on the visitor's page.
        """
        try:
            prescription = read_prescription(query, self.catalog)
        except PrescriptionError as error:
            self.link_problem = str(error)
            self._say_about_link(words.LINK_FAILED, "ilio-link-failed")
            return None
        if prescription is None:
            return None
        self.prescription = prescription
        self.picker.follow(prescription)
        self._say_about_link(words.LINK_OPENED, "ilio-link-opened")
        return prescription

    def _say_about_link(self, text: str, css_class: str) -> None:
        role = ' role="alert"' if css_class == "ilio-link-failed" else ""
        markup = f'<p class="{css_class}"{role}>{html.escape(text)}</p>'
        if self.link_notice is None:
            self.link_notice = html_block(markup, "ilio-link-notice")
            children = list(self.children)
            children.insert(1, self.link_notice)  # under the title, above the red flags
            self.children = children
        else:
            self.link_notice.value = markup

    def _sessions(self) -> int:
        """Sessions a week for the clinicians' panel: the link's plan's, else the usual default."""
        rx = self.prescription
        return rx.sessions_per_week if rx is not None and rx.sessions_per_week else DEFAULT_SESSIONS_PER_WEEK

    def _following(self, view: ClinicPanel) -> ClinicPanel:
        """``view`` made to follow the answers from now on, like the timer (its dose stays as set)."""
        self.picker.link(view)
        return view

    def __repr__(self) -> str:
        if not self.picker.health.complete:
            return "Iliopsoas dashboard: no stretches until the health questions are answered"
        return f"Iliopsoas dashboard: {len(self.picker.routine.items)} stretches in the routine"


def _heading(text: str) -> str:
    """A section's heading: real HTML, so screen-reader users can jump between the page's parts."""
    return f"<h2>{html.escape(text)}</h2>"


def _box(css_class: str, inner_html: str) -> str:
    return f'<div class="{css_class}">{inner_html}</div>'


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


def page_query() -> str:
    """The query string of the page this kernel serves ("" outside Voilà, or when it cannot be had).

    Read in Voilà 0.5.13's source (``handler.py``, ``utils.py``, ``request_info_handler.py``): a kernel
    started for one request has the request's query string in its environment (``QUERY_STRING``) from
    the start. A kernel of the preheated pool (``VOILA_PREHEAT=True``) runs the notebook before anyone
    asks for the page, so it has none yet: the page request that takes it sends the request's details
    to the websocket ``/voila/query/<kernel id>``, and the kernel, connected there, puts them in its
    environment. :func:`voila.utils.wait_for_request` does exactly that, but importing it imports all of
    Voilà and jupyter_server into the kernel (measured: 3.3 s of CPU, more than the rest of a kernel's
    start), so :func:`_wait_for_request` does the same with the websockets client alone.
    """
    if os.environ.get(VoilaEnv.VOILA_PREHEAT) == "True":
        # Whatever goes wrong, the page opens all the same, without the link (never a traceback).
        with contextlib.suppress(Exception):
            _wait_for_request()
    return os.environ.get(VoilaEnv.QUERY_STRING, "")


def _wait_for_request() -> None:
    """Voilà's ``wait_for_request``: wait until this pooled kernel's page is asked for, then put the
    request's details (``QUERY_STRING`` among them) in the environment.

    It blocks, on purpose: the dashboard is built before, so a preheated kernel waits only for its
    visitor, and the page's cell ends with the link followed. The server is asked on its own address
    (never through a proxy), at most 5 s to connect. The names and defaults are Voilà 0.5.13's
    (``voila.utils.wait_for_request``; the names: :class:`VoilaEnv`).
    """
    from websockets.sync.client import connect

    env, v = os.environ, VoilaEnv
    base = env.get(v.VOILA_WS_BASE_URL, env.get(v.VOILA_SERVER_URL, "/"))
    url = (
        f"{env.get(v.VOILA_WS_PROTOCOL, 'ws')}://{env.get(v.VOILA_APP_IP, '127.0.0.1')}:"
        f"{env.get(v.VOILA_APP_PORT, '8866')}{base}voila/query/{env[v.VOILA_KERNEL_ID]}"
    )
    with connect(url, open_timeout=5, proxy=None) as socket:
        info = json.loads(socket.recv())
    for key, value in info.items():
        if isinstance(key, str) and isinstance(value, str):
            env[key] = value


def dashboard(catalog: Catalog | None = None, *, query: str | None = None, **kwargs: Any) -> Dashboard:
    """Build the whole app for one visitor (the dashboard notebook's only call), following the page's
    link (``query``, else the page's own query string: :func:`page_query`).

    The app is built first and the query read after, so a preheated kernel does all the building before
    anyone arrives and waits only for the request: the visitor does not wait for the build.
    """
    if files_url() is not None:
        _lighter_kernel_messages()
    app = Dashboard(catalog, **kwargs)
    app.open_link(page_query() if query is None else query)
    return app


def _lighter_kernel_messages() -> None:
    """Under the public server, send a visitor's page nothing from the kernel that it never shows.

    - ipykernel 7.4's shell-channel thread looks each widget message's comm up to route it to a
      subshell, before the main shell has handled the ``comm_open`` just ahead of it: the page's first
      request for the widgets' state logs "No such comm: <id>" on every visit (the message is then
      handled as usual), and the kernel sends its log to the page.
    - The page asks for the kernel's info once per visit; its IPython banner and help links are for a
      notebook's menus, which this page does not have.
    """
    logging.getLogger("Comm").setLevel(logging.ERROR)
    with contextlib.suppress(Exception):  # outside a kernel (a test, a script): nothing to lighten
        from IPython import get_ipython

        shell = get_ipython()
        kernel = getattr(shell, "kernel", None)
        if kernel is not None:
            kernel.help_links = []
            shell.banner1 = shell.banner2 = ""
