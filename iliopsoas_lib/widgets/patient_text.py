"""The dashboard's own words: titles, section headings, instructions and labels a patient reads.

These belong in :mod:`iliopsoas_lib.presentation.text` with the rest of the wording (the content's facts
stay in the data files); they live here until that module takes them, so the views stay layout and wiring
only.
Every sentence is short and in everyday words: the patient page reads at grade 7 or below.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..presentation.text import Cite, cite

if TYPE_CHECKING:  # pragma: no cover
    from ..catalog import Catalog
    from ..schema import GlossaryTerm, Stretch

TITLE = "Stretch your iliopsoas"
_INTRO_START = (
    "Answer a few questions first. Then you get stretches that suit you, with steps, pictures and a timer."
)
#: The intro where nothing is stored on the server (a shared link): the log lives in the page only.
INTRO = f"{_INTRO_START} Nothing you type here is kept on our server. To keep your log, download it."
#: The intro where the operator's per-user store is on (a JupyterHub user's own server): the log is in
#: the user's own data folder. The page has no delete button, so it says whom to ask.
INTRO_SAVED = (
    f"{_INTRO_START} Your log is kept on our server, in a folder that is yours. Nothing else you type "
    "here is kept there. To have your log deleted, ask the people who run this site. To keep a copy, "
    "download it."
)
NOT_A_DIAGNOSIS = "This page gives general advice. It is not a diagnosis."

#: The anchor of the red flags box, so the reminder beside the timer can link to it.
RED_FLAGS_ANCHOR = "ilio-red-flags"

SECTION_QUESTIONS = "1. Questions first"
SECTION_STRETCHES = "2. Your stretches, step by step"
SECTION_TIMER = "3. Timer"
SECTION_WEEK = "4. Your week"
SECTION_ALL_STRETCHES = "5. All the stretches"
SECTION_MUSCLE = "6. The muscle and the words we use"
SECTION_CLINIC = "7. For clinicians: handout and calendar plan"

HEALTH_HEADING = "Your health"
HEALTH_HELP = "Pick Yes or No for each question. Your stretches show up once you answer them all."
ABILITIES_HEADING = "What you can do"
ABILITIES_HELP = "Tick each one that is true for you. If you are not sure, leave it blank."
DOSE_HEADING = "How long to stretch"
DOSE_QUESTION = "How much do you want to do?"
#: The two doses, as (value, label): the usual (guideline-sized) one first, as it is the default.
DOSE_OPTIONS = (("usual", "The usual dose (shorter)"), ("full", "The longer dose from Lindberg's guide"))
YES_NO = (("yes", "Yes"), ("no", "No"))

STRETCHES_HELP = "Read the steps for each stretch before you start the timer."
TIMER_HELP = "Get into place, then press Start. The timer tells you when to hold, switch sides and rest."
BEFORE_YOU_START = "Before you start"
CLINIC_HELP = (
    "Makes a handout to print and a calendar file of the stretches above. They go to your browser's "
    "downloads. The name and notes you type are printed only, never stored."
)
NOTHING_TO_TIME = "Nothing to time yet"
NOTHING_TO_LOG = "There are no stretches to log yet."
ROUTINE_FINISHED = "Routine finished. Well done! Press “Log a session today” to count it in your week."


def intro_text(*, saved_on_server: bool) -> str:
    """The page's opening words, true to where it runs: the log kept on the server or not at all."""
    return INTRO_SAVED if saved_on_server else INTRO


def answered_text(answered: int, total: int) -> str:
    """How far through the health questions a person is, shown under them."""
    if answered >= total:
        return "Thank you. You have answered every health question."
    return f"You have answered {answered} of {total} health questions."


def term_markdown(term: GlossaryTerm, cite: Cite = cite) -> str:
    """A word explained at the top of a page: "**What is the iliopsoas?** The main muscle that ..."."""
    return f"**What is the {term.term.lower()}?** {term.meaning} {cite(term.sources)}"


def timer_reminder_markdown(catalog: Catalog, cite: Cite = cite) -> str:
    """The red flags beside the timer: every sign in short and what to do, so a person mid-stretch need
    not scroll up (the list at the top, linked, has each sign's source)."""
    lines = []
    for flags in catalog.red_flags.values():
        signs = " ".join(flags.sign_texts)
        lines.append(
            f"**Stop and get help if you notice any of these** ([list](#{RED_FLAGS_ANCHOR})): {signs} "
            f"**What to do:** {flags.action} {cite(flags.sources)}"
        )
    return "\n\n".join(lines)


def pose_alt(stretch: Stretch) -> str:
    """What a pose picture shows, for people who cannot see it."""
    return (
        f"Drawing of the {stretch.name} from the side: how to start, and the full stretch. "
        "The muscle that stretches is in colour."
    )

# -- The connection notice and the answers kept on this device (connection_notice.py, answer_memory.py) --
CONNECTION_LOST = (
    "The connection to the server is lost. Your timer keeps going on this device. "
    "What you log now cannot reach the server: download your log now."
)
CONNECTION_OFFLINE = (
    "You are offline. Your timer keeps going on this device. "
    "Your log cannot reach the server: download it now."
)
CONNECTION_GONE = (
    "The server was restarted, so this page has stopped. Download your log first. "
    "Then reload the page. Your timer will go on where it was."
)
CONNECTION_BACK = "The connection is back. All is well."
CONNECTION_DOWNLOAD = "Download your log now"
CONNECTION_RELOAD = "Reload the page"
ANSWERS_KEPT = "Your answers are kept on this device only, so they stay if the page reloads."
FORGET_ANSWERS = "Forget my answers on this device"
ANSWERS_FORGOTTEN = "Done. Your answers are gone from this device."

# -- A clinician's link (prescription.py; app.py and routine_picker.py show these) ----------------------
LINK_OPENED = (
    "Your clinician chose a plan for you. First, answer the questions below. "
    "Then you will see the stretches they chose."
)
LINK_FAILED = "This link did not work. Answer the questions below to get your stretches."
PLAN_CHOSEN = "This is the plan your clinician chose."
PLAN_LEFT_OUT = (
    "Some stretches in your plan are left out because of your answers. Ask your clinician about them."
)


def plan_sessions_text(sessions: int) -> str:
    """How often the clinician's plan says to stretch."""
    return "Do it once a week." if sessions == 1 else f"Do it {sessions} times a week."
