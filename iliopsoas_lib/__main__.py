"""Command line for clinicians who prefer it to a notebook: check a content file, make a handout,
a calendar plan or a slide deck. Every mistake in the input ends with one clear message and a non-zero
exit, never a traceback.

Nothing is assumed about the patient: say what they can do (--can-kneel, --good-balance,
--can-get-to-floor, --bed, --table) and answer the health questions, --condition ID for each "yes" or
--no-conditions when you screened them and none apply. Without an answer no handout or calendar is made.

    python -m iliopsoas_lib validate my_clinic.toml
    python -m iliopsoas_lib handout --extra my_clinic.toml --no-conditions --good-balance --bed -o handout.pdf
    python -m iliopsoas_lib handout --condition knee_pain --good-balance --bed --full-dose -o handout.pdf
    python -m iliopsoas_lib calendar --no-conditions --bed --weekdays MO,TH --time 18:00 --weeks 6 -o plan.ics
    python -m iliopsoas_lib slides notebooks/03_stretches.ipynb -o stretches.html
"""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from .documents.calendar_plan import DEFAULT_WEEKDAYS
from .dosage import DEFAULT_SESSIONS_PER_WEEK
from .routine import EmptyRoutineError

if TYPE_CHECKING:  # pragma: no cover
    from .catalog import Catalog
    from .routine import Routine

EXIT_BAD_INPUT = 2


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
    dose.add_argument("--hold", type=int, metavar="SECONDS", help="hold time for every stretch (5-120)")
    dose.add_argument("--reps", type=int, metavar="N", help="repetitions for every stretch (1-20)")


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


def _routine(args: argparse.Namespace) -> tuple[Catalog, Routine]:
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
    routine = il.build_routine(
        catalog,
        abilities,
        only=args.only,
        hold_seconds=args.hold,
        repetitions=args.reps,
        full_dose=args.full_dose,
    )
    if not routine.items:
        # Screened out, or nothing fits: say why (the routine's own words) and write nothing.
        raise EmptyRoutineError(
            f"no stretch for this patient, so nothing was written. {routine.empty_message}"
        )
    return catalog, routine


def _write(path: str, data: bytes | str) -> None:
    target = Path(path)
    if not target.parent.exists():
        raise ValueError(f"{target.parent}: no such folder for the output file")
    if isinstance(data, str):
        target.write_text(data, encoding="utf-8")
    else:
        target.write_bytes(data)
    print(f"wrote {target} ({target.stat().st_size} bytes)")


def _validate(args: argparse.Namespace) -> int:
    import iliopsoas_lib as il
    from iliopsoas_lib.catalog import BUILTIN_FILES

    catalog = il.load_catalog(*args.files)
    added = [key for key, origin in catalog.origin.items() if Path(origin).name not in BUILTIN_FILES]
    print(
        f"OK: {len(catalog.stretches)} stretches, {len(catalog.sources)} sources; "
        f"from your files: {', '.join(added) or 'nothing new'}"
    )
    return 0


def _handout(args: argparse.Namespace) -> int:
    from .documents.handout import HandoutOptions, make_handout

    catalog, routine = _routine(args)
    options = HandoutOptions(
        page_size=args.page_size,
        large_print=args.large_print,
        patient_name=args.patient,
        clinician_notes=args.notes,
        sessions_per_week=args.sessions,
        weeks=args.weeks,
    )
    _write(args.output, make_handout(routine, catalog, options))
    return 0


def _calendar(args: argparse.Namespace) -> int:
    from .documents.calendar_plan import make_calendar
    from .dosage import parse_time_of_day

    catalog, routine = _routine(args)
    at = parse_time_of_day(args.time, "--time")
    try:
        start = date.fromisoformat(args.start) if args.start else date.today()
    except ValueError:
        raise ValueError(f"--start: expected a date as YYYY-MM-DD, got {args.start!r}") from None
    _write(
        args.output,
        make_calendar(routine, weekdays=args.weekdays, start=start, at=at, weeks=args.weeks, catalog=catalog),
    )
    return 0


def _slides(args: argparse.Namespace) -> int:
    from .documents.slides import notebook_to_slides

    _write(args.output, notebook_to_slides(args.notebook))
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m iliopsoas_lib", description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

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
    handout.add_argument("--weeks", type=int, default=4, help="weeks in the tick-box chart")
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
        "--weekdays", default=",".join(DEFAULT_WEEKDAYS), help="days, e.g. MO,TH (default: MO,WE,FR)"
    )
    calendar.add_argument("--time", default="18:00", help="time of day, HH:MM")
    calendar.add_argument("--weeks", type=int, default=6, help="how many weeks (1-52)")
    calendar.add_argument("--start", help="first day to consider, YYYY-MM-DD (default: today)")
    calendar.add_argument("-o", "--output", required=True, help="the .ics file to write")
    calendar.set_defaults(run=_calendar)

    slides = commands.add_parser("slides", help="an offline HTML slide deck of a notebook")
    slides.add_argument("notebook", help="the .ipynb file")
    slides.add_argument("-o", "--output", required=True, help="the .html file to write")
    slides.set_defaults(run=_slides)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.run(args)
    except (ValueError, OSError, KeyError) as error:
        # CatalogError, DosageError and SessionLogError are ValueErrors with readable messages.
        message = error.args[0] if isinstance(error, KeyError) and error.args else str(error)
        print(f"error: {message}", file=sys.stderr)
        return EXIT_BAD_INPUT


if __name__ == "__main__":
    sys.exit(main())
