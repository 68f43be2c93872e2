"""The iliopsoas command, for clinicians who prefer it to a notebook: copy the template, list what is
built in, check a content file, make a handout, a calendar plan or a slide deck. Every mistake in the
input ends with one clear message and a non-zero exit, never a traceback. "python -m iliopsoas_lib"
runs the same command under the same name.

Nothing is assumed about the patient: say what they can do (--can-kneel, --good-balance,
--can-get-to-floor, --bed, --table) and answer the health questions, --condition ID for each "yes" or
--no-conditions when you screened them and none apply. Without an answer no handout or calendar is made.
A dose outside the guidelines is made as asked, with the clinicians' panel's warning on stderr.

    iliopsoas template -o my_clinic.toml
    iliopsoas list --extra my_clinic.toml
    iliopsoas validate my_clinic.toml
    iliopsoas handout --extra my_clinic.toml --no-conditions --good-balance --bed -o handout.pdf
    iliopsoas handout --condition knee_pain --good-balance --bed --full-dose -o handout.pdf
    iliopsoas handout --no-conditions --bed --dose hip_flexor_bed:hold=45,reps=2 \\
        --dose-reason "Longer holds after six weeks without pain." --clinician "A. Physio" -o handout.pdf
    iliopsoas calendar --no-conditions --bed --weekdays MO,TH --time 18:00 --weeks 6 -o plan.ics
    iliopsoas slides notebooks/03_stretches.ipynb -o stretches.html
"""

from __future__ import annotations

import argparse
import sys
import warnings
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from .documents.calendar_plan import DEFAULT_WEEKDAYS
from .dose_options import DoseReport, dose_report, read_dose_reasons, read_doses
from .limits import (
    CALENDAR_WEEKS,
    DEFAULT_CALENDAR_WEEKS,
    DEFAULT_HANDOUT_WEEKS,
    DEFAULT_SESSION_TIME,
    DEFAULT_SESSIONS_PER_WEEK,
    HANDOUT_WEEKS,
    HOLD_SECONDS,
    REMINDER_MINUTES,
    REPETITIONS,
)
from .routine import EmptyRoutineError
from .routine_words import dose_short

if TYPE_CHECKING:  # pragma: no cover
    from .catalog import Catalog
    from .limits import Limit
    from .routine import Routine

EXIT_BAD_INPUT = 2
#: The packages a plain `pip install .` leaves out, by the extra that brings them (pyproject.toml): a
#: command that needs one says which extra to install. Any other missing module is a broken install.
EXTRA_OF = {
    **dict.fromkeys(("matplotlib", "numpy"), "figures"),
    **dict.fromkeys(
        ("voila", "jupyter_server", "jupyterlab", "ipywidgets", "anywidget", "websockets", "tornado",
         "jupyter_client", "jupyter_core", "ipykernel", "IPython", "traitlets", "nbclient", "nbconvert"),
        "dashboard",
    ),
}


def _routine_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--extra",
        action="append",
        default=[],
        metavar="FILE",
        help="a clinician's content file (TOML) with extra stretches, dose changes or health questions; "
        "repeatable",
    )
    able = parser.add_argument_group(
        "what the patient can do (nothing is assumed: a stretch needing any of these needs its flag)"
    )
    able.add_argument("--can-kneel", action="store_true", help="can kneel on the floor")
    able.add_argument("--good-balance", action="store_true", help="can stand on one leg for a few seconds")
    able.add_argument(
        "--can-get-to-floor", action="store_true", help="can get down to the floor and up again"
    )
    able.add_argument("--bed", action="store_true", help="has a firm bed to lie on")
    able.add_argument("--table", action="store_true", help="has a sturdy table a little lower than the hip")
    health = parser.add_argument_group(
        "health answers (required: --condition or --no-conditions; the questions are listed below)"
    )
    health.add_argument(
        "--condition",
        action="append",
        default=[],
        metavar="ID",
        help="a question the patient answered yes, by its id; repeatable. Every question not named is "
        "taken as a no, so ask the patient all of them first",
    )
    health.add_argument(
        "--no-conditions",
        action="store_true",
        help="I screened the patient: no question applies",
    )
    dose = parser.add_argument_group("the stretches and the dose")
    dose.add_argument("--only", action="append", metavar="STRETCH_ID", help="use only these stretches")
    dose.add_argument(
        "--full-dose", action="store_true", help="the source article's full dose instead of the usual one"
    )
    dose.add_argument(
        "--hold", type=int, metavar="SECONDS", help=f"hold time for every stretch ({_span(HOLD_SECONDS)})"
    )
    dose.add_argument(
        "--reps", type=int, metavar="N", help=f"repetitions for every stretch ({_span(REPETITIONS)})"
    )
    dose.add_argument(
        "--dose",
        action="append",
        default=[],
        metavar="STRETCH_ID:hold=SECONDS,reps=N",
        help="the dose of one stretch (either setting or both), over --hold and --reps; repeatable. "
        "`iliopsoas list` shows the ids",
    )
    dose.add_argument(
        "--dose-reason",
        action="append",
        default=[],
        metavar="[STRETCH_ID:]TEXT",
        help="why the dose differs from the guideline, printed with it: for every dose set here, or with "
        "STRETCH_ID: in front for one stretch; repeatable",
    )


def _span(limit: Limit) -> str:
    """A setting's bounds as a help text shows them: "5-120"."""
    return f"{limit.low}-{limit.high}"


def _questions_help() -> str:
    """The built-in health questions with their ids, for --help: a clinician must see what they answer."""
    import iliopsoas_lib as il

    try:
        catalog = il.load_catalog()
    except ValueError:  # pragma: no cover - the built-in content is checked by its own tests
        return ""
    lines = ["health questions (--condition ID for each yes; a clinician's --extra file may add more):"]
    for screening in catalog.screenings.values():
        first = " (stops all stretches)" if screening.ask_first else ""
        lines.append(f"  {screening.id:<26}{screening.question}{first}")
    return "\n".join(lines)


def _conditions(args: argparse.Namespace, catalog: Catalog) -> frozenset[str]:
    """The health answers as screening ids, after checking that they were given and that each exists.

    An unanswered screening is refused here, before anything is written, rather than left to build an
    empty routine: the clinician must learn that the questions were skipped, not that "nothing fits".
    """
    known = ", ".join(catalog.screenings)
    if args.no_conditions and args.condition:
        raise ValueError("--condition and --no-conditions: give one or the other, not both")
    if not args.no_conditions and not args.condition:
        raise ValueError(
            "the health questions are not answered: add --no-conditions if none apply to the patient, "
            f"or --condition ID for each that does (ids: {known}; --help shows the questions)"
        )
    unknown = sorted(set(args.condition) - set(catalog.screenings))
    if unknown:
        raise ValueError(f"--condition: no health question with id {', '.join(unknown)}; known: {known}")
    return frozenset(args.condition)


def _routine(args: argparse.Namespace) -> tuple[Catalog, Routine, DoseReport]:
    import iliopsoas_lib as il

    catalog = il.load_catalog(*args.extra)
    abilities = il.Abilities(
        can_kneel=args.can_kneel,
        good_balance=args.good_balance,
        can_get_to_floor=args.can_get_to_floor,
        has_bed=args.bed,
        has_table=args.table,
        conditions=_conditions(args, catalog),
    )
    doses = read_doses(args.dose, catalog)
    routine = il.build_routine(
        catalog,
        abilities,
        only=args.only,
        hold_seconds=args.hold,
        repetitions=args.reps,
        dosage=doses,
        full_dose=args.full_dose,
        reasons=read_dose_reasons(
            args.dose_reason, catalog, doses, for_all=args.hold is not None or args.reps is not None
        ),
    )
    if not routine.items:
        # Screened out, or nothing fits: say why (the routine's own words) and write nothing.
        raise EmptyRoutineError(
            f"no stretch for this patient, so nothing was written. {routine.empty_message}"
        )
    return catalog, routine, dose_report(catalog, routine, getattr(args, "sessions", None))


def _check_folder(path: str) -> None:
    folder = Path(path).parent
    if not folder.exists():
        raise ValueError(f"{folder}: no such folder for the output file")


def _write(path: str, data: bytes | str) -> None:
    target = Path(path)
    _check_folder(path)
    if isinstance(data, str):
        target.write_text(data, encoding="utf-8")
    else:
        target.write_bytes(data)
    print(f"wrote {target} ({target.stat().st_size} bytes)")


def _validate(args: argparse.Namespace) -> int:
    import iliopsoas_lib as il

    catalog = il.load_catalog(*args.files)
    added = catalog.added()  # by where each entry was read, never by a file's name
    print(
        f"OK: {len(catalog.stretches)} stretches, {len(catalog.sources)} sources; "
        f"from your files: {', '.join(added) or 'nothing new'}"
    )
    return 0


def _handout(args: argparse.Namespace) -> int:
    from .documents import handout

    catalog, routine, report = _routine(args)
    _check_folder(args.output)  # before the PDF is made, not after
    try:
        made_on = date.fromisoformat(args.date) if args.date else None  # None: today
    except ValueError:
        raise ValueError(f"--date: expected a date as YYYY-MM-DD, got {args.date!r}") from None
    link = None
    if args.dashboard_url:
        from .prescription import prescription_url

        link = prescription_url(routine, args.dashboard_url, sessions_per_week=args.sessions)
    options = handout.HandoutOptions(
        page_size=args.page_size,
        large_print=args.large_print,
        patient_name=args.patient,
        clinician_notes=args.notes,
        sessions_per_week=args.sessions,
        weeks=args.weeks,
        clinician=args.clinician,
        contact=args.contact,
        made_on=made_on,
        prescription_url=link,
    )
    _write(args.output, handout.make_handout(routine, catalog, options))
    if link:
        print(f"link to this routine on the dashboard (also a QR code on the handout): {link}")
    report.print()
    return 0


def _template(args: argparse.Namespace) -> int:
    from .clinic import copy_template, template_text

    if args.output:
        print(f"wrote {copy_template(args.output)}: edit it, then check it with: iliopsoas validate FILE")
    else:
        sys.stdout.write(template_text())
    return 0


def _list(args: argparse.Namespace) -> int:
    """The stretches (id, name, dose, needs, where from) and the health questions, to pick ids from."""
    import iliopsoas_lib as il

    catalog = il.load_catalog(*args.extra)
    print("Stretches (use the id with --only and --dose):")
    width = max(map(len, catalog.stretches)) + 2
    for stretch in catalog.stretches.values():
        dose = stretch.dosage
        parts = [dose_short(dose.repetitions, dose.hold_seconds, dose.per_side)]
        if stretch.full_dose is not None:
            longer = stretch.full_dose
            parts.append(f"longer dose (--full-dose) {dose_short(longer.repetitions, longer.hold_seconds)}")
        change = catalog.dosage_changes.get(stretch.id)
        if change is not None:
            parts.append(f"dose changed by your file: {change.reason}")
        if stretch.needs:
            parts.append("needs " + ", ".join(str(need) for need in stretch.needs))
        key = f"stretch:{stretch.id}"
        if key not in catalog.builtin:
            parts.append(f"from {catalog.origin[key]}")
        print(f"  {stretch.id:<{width}}{stretch.name}: {'; '.join(parts)}")
    print("\nHealth questions (--condition ID for each yes, --no-conditions if none):")
    width = max(map(len, catalog.screenings)) + 2
    for screening in catalog.screenings.values():
        first = " (a yes stops all stretches)" if screening.ask_first else ""
        print(f"  {screening.id:<{width}}{screening.question}{first}")
    return 0


def _calendar(args: argparse.Namespace) -> int:
    from datetime import datetime

    from .documents import calendar_plan as plan
    from .dosage import parse_time_of_day

    catalog, routine, report = _routine(args)
    at = parse_time_of_day(args.time, "--time")
    weekdays = plan.parse_weekdays(args.weekdays)
    zone = plan.resolve_zone(args.tz if args.tz is not None else plan.local_zone_name())
    reminder = plan.parse_reminder(args.reminder)
    try:
        start = date.fromisoformat(args.start) if args.start else None
    except ValueError:
        raise ValueError(f"--start: expected a date as YYYY-MM-DD, got {args.start!r}") from None
    now = datetime.now(zone)  # one clock reading for the file and the line below
    options = {"weekdays": weekdays, "start": start, "at": at, "weeks": args.weeks, "now": now}
    ics = plan.make_calendar(routine, **options, catalog=catalog, tz=zone.key, reminder=reminder)
    _write(args.output, ics)
    first = plan.first_event(weekdays, at, zone, now, start)
    alarm = f", a reminder {reminder} min before" if reminder else ", no reminder"
    print(f"first session {first:%a %d %b %Y %H:%M}, times in {zone.key}{alarm}")
    report.print()
    return 0


def _slides(args: argparse.Namespace) -> int:
    from .documents.slides import notebook_to_slides

    _write(args.output, notebook_to_slides(args.notebook))
    return 0


def _link(args: argparse.Namespace) -> int:
    """Print the patient link alone on stdout (so it can be piped); the dose notes go to stderr."""
    import os

    from .prescription import prescription_url

    url = args.dashboard_url or os.environ.get("ILIOPSOAS_DASHBOARD_URL", "").strip()
    if not url:
        raise ValueError(
            "--dashboard-url: give the shared dashboard's address, or set ILIOPSOAS_DASHBOARD_URL"
        )
    _catalog, routine, report = _routine(args)
    print(prescription_url(routine, url, sessions_per_week=args.sessions))
    DoseReport(cautions=(*report.changed, *report.cautions)).print()
    return 0


def _serve(args: argparse.Namespace) -> int:
    """Start the dashboard's public launcher on the packaged notebook and settings, until Ctrl+C.

    A server, not a one-shot command: :func:`main` runs it outside the command line's plain-warning and
    one-line-error handling, so Voilà's and jupyter_server's own warnings and errors reach the operator
    as they are. Only a missing dashboard extra is said in one line."""
    try:
        from .server.launcher import serve  # Voilà: the dashboard extra
    except ModuleNotFoundError as error:
        return _missing_extra(error)
    serve(port=args.port, ip=args.ip)  # Voilà prints the address to open
    return 0


def _missing_extra(error: ModuleNotFoundError) -> int:
    """A package of an extra that a plain ``pip install .`` leaves out, said with the extra to install;
    any other missing module is a broken install and is raised as it is."""
    missing = (error.name or "").split(".")[0]
    extra = EXTRA_OF.get(missing)
    if extra is None:
        raise error
    install = f"pip install 'iliopsoas-lib[{extra}]'"
    print(f"error: this needs {missing}, which the light install leaves out: {install}", file=sys.stderr)
    return EXIT_BAD_INPUT


def build_parser() -> argparse.ArgumentParser:
    # prog: the command's own name in every usage line, run as `iliopsoas` or as `python -m iliopsoas_lib`
    parser = argparse.ArgumentParser(prog="iliopsoas", description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    template = commands.add_parser(
        "template", help="the commented template of a clinic's own content file, to copy and edit"
    )
    template.add_argument("-o", "--output", metavar="FILE", help="write it here (never over a file)")
    template.set_defaults(run=_template)

    listing = commands.add_parser(
        "list", help="the stretches (ids, names, doses) and the health questions (ids), built in and yours"
    )
    listing.add_argument(
        "--extra", action="append", default=[], metavar="FILE", help="a clinician's content file; repeatable"
    )
    listing.set_defaults(run=_list)

    validate = commands.add_parser(
        "validate", help="check content files; report every problem with its place"
    )
    validate.add_argument("files", nargs="+", metavar="FILE", help="TOML content files")
    validate.set_defaults(run=_validate)

    questions = _questions_help()
    handout = commands.add_parser(
        "handout",
        help="a printable PDF handout of a routine",
        epilog=questions,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    _routine_options(handout)
    handout.add_argument("--page-size", choices=["A4", "Letter"], default="A4")
    handout.add_argument("--large-print", action="store_true", help="bigger text (16 pt and up)")
    handout.add_argument("--patient", default="", help="name printed on the handout (not stored)")
    handout.add_argument("--notes", default="", help="your notes printed on the handout (not stored)")
    handout.add_argument(
        "--sessions",
        type=int,
        default=DEFAULT_SESSIONS_PER_WEEK,
        help="sessions a week in the tick-box chart",
    )
    handout.add_argument(
        "--weeks",
        type=int,
        default=DEFAULT_HANDOUT_WEEKS,
        help=f"weeks in the tick-box chart ({_span(HANDOUT_WEEKS)})",
    )
    handout.add_argument("--clinician", default="", help="your name, printed on the handout")
    handout.add_argument("--contact", default="", help="how the patient reaches you, printed on the handout")
    handout.add_argument("--date", metavar="YYYY-MM-DD", help="the date on the handout (default: today)")
    handout.add_argument(
        "--dashboard-url",
        metavar="URL",
        help="the shared dashboard's address: the handout gets a link and QR code that open it with this "
        "routine and dose (no personal data in it)",
    )
    handout.add_argument("-o", "--output", required=True, help="the PDF file to write")
    handout.set_defaults(run=_handout)

    calendar = commands.add_parser(
        "calendar",
        help="the weekly plan as a calendar file (.ics)",
        epilog=questions,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    _routine_options(calendar)
    calendar.add_argument(
        "--weekdays",
        default=",".join(DEFAULT_WEEKDAYS),
        help='days, e.g. MO,TH or "Monday Thursday" (default: MO,WE,FR)',
    )
    calendar.add_argument("--time", default=f"{DEFAULT_SESSION_TIME:%H:%M}", help="time of day, HH:MM")
    calendar.add_argument(
        "--weeks", type=int, default=DEFAULT_CALENDAR_WEEKS, help=f"how many weeks ({_span(CALENDAR_WEEKS)})"
    )
    calendar.add_argument("--start", help="first day to consider, YYYY-MM-DD (default: today)")
    calendar.add_argument("--tz", help="time zone, e.g. Europe/Berlin (default: this computer's zone)")
    calendar.add_argument(
        "--reminder",
        default="0",
        help=f"a reminder this many minutes before each session ({_span(REMINDER_MINUTES)}; 0: none)",
    )
    calendar.add_argument("-o", "--output", required=True, help="the .ics file to write")
    calendar.set_defaults(run=_calendar)

    slides = commands.add_parser("slides", help="an offline HTML slide deck of a notebook")
    slides.add_argument("notebook", help="the .ipynb file")
    slides.add_argument("-o", "--output", required=True, help="the .html file to write")
    slides.set_defaults(run=_slides)

    link = commands.add_parser(
        "link",
        help="the patient link: opens the shared dashboard with this routine and dose (no personal data)",
        epilog=questions,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    _routine_options(link)
    link.add_argument(
        "--sessions", type=int, default=DEFAULT_SESSIONS_PER_WEEK, help="sessions a week, carried in the link"
    )
    link.add_argument(
        "--dashboard-url",
        metavar="URL",
        help="the shared dashboard's address (default: $ILIOPSOAS_DASHBOARD_URL)",
    )
    link.set_defaults(run=_link)

    serve = commands.add_parser(
        "serve",
        help="start the dashboard (Voilà, with the project's settings) for phones and browsers; "
        "needs the dashboard extra",
    )
    serve.add_argument("--port", type=int, help="port to listen on (default: voila.json's, 8866)")
    serve.add_argument("--ip", help="address to listen on (default: voila.json's, this computer only)")
    serve.set_defaults(run=_serve)
    return parser


def _plain_warning(message: Warning | str, category: type[Warning], *_where: object, **_kw: object) -> None:
    """A warning as one plain line ("warning: ..."), without the Python file and line it was raised on:
    a clinician reads "no font can draw '🦵' (U+1F9B5 LEG)", not a path into the package."""
    print(f"warning: {message}", file=sys.stderr)


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.run is _serve:
        return _serve(args)
    shown = warnings.showwarning
    warnings.showwarning = _plain_warning  # for this command only: a notebook keeps Python's own format
    try:
        code = args.run(args)
    except (ValueError, OSError, KeyError) as error:
        # CatalogError, DosageError and SessionLogError are ValueErrors with readable messages.
        message = error.args[0] if isinstance(error, KeyError) and error.args else str(error)
        print(f"error: {message}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except ModuleNotFoundError as error:  # e.g. matplotlib for a clinic's stretch drawn without a picture
        return _missing_extra(error)
    finally:
        warnings.showwarning = shown
    return code


if __name__ == "__main__":
    sys.exit(main())
