"""Command line for clinicians who prefer it to a notebook: check a content file, make a handout,
a calendar plan or a slide deck. Every mistake in the input ends with one clear message and a non-zero
exit, never a traceback.

    python -m iliopsoas_lib validate my_clinic.toml
    python -m iliopsoas_lib handout --extra my_clinic.toml --cannot-kneel --large-print -o handout.pdf
    python -m iliopsoas_lib calendar --weekdays MO,TH --time 18:00 --weeks 6 -o plan.ics
    python -m iliopsoas_lib slides notebooks/03_stretches.ipynb -o stretches.html
"""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path

from .documents.calendar_plan import DEFAULT_WEEKDAYS
from .dosage import DEFAULT_SESSIONS_PER_WEEK

EXIT_BAD_INPUT = 2


def _routine_options(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("the routine (answers about the patient)")
    group.add_argument(
        "--extra",
        action="append",
        default=[],
        metavar="FILE",
        help="a clinician's content file (TOML) with extra stretches or dose changes; repeatable",
    )
    group.add_argument("--cannot-kneel", action="store_true", help="leave out stretches that need kneeling")
    group.add_argument("--poor-balance", action="store_true", help="leave out stretches that need balance")
    group.add_argument("--no-floor", action="store_true", help="cannot get down to the floor")
    group.add_argument("--low-back-pain", action="store_true", help="skip or ease stretches accordingly")
    group.add_argument("--knee-pain", action="store_true", help="skip or ease stretches accordingly")
    group.add_argument("--no-bed", action="store_true", help="no firm bed to lie on")
    group.add_argument("--table", action="store_true", help="a sturdy table a little lower than the hip")
    group.add_argument("--only", action="append", metavar="STRETCH_ID", help="use only these stretches")
    group.add_argument("--hold", type=int, metavar="SECONDS", help="hold time for every stretch (5-120)")
    group.add_argument("--reps", type=int, metavar="N", help="repetitions for every stretch (1-20)")


def _routine(args: argparse.Namespace):
    import iliopsoas_lib as il

    catalog = il.load_catalog(*args.extra)
    abilities = il.Abilities(
        can_kneel=not args.cannot_kneel,
        good_balance=not args.poor_balance,
        can_get_to_floor=not args.no_floor,
        low_back_pain=args.low_back_pain,
        knee_pain=args.knee_pain,
        has_bed=not args.no_bed,
        has_table=args.table,
    )
    routine = il.build_routine(
        catalog, abilities, only=args.only, hold_seconds=args.hold, repetitions=args.reps
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

    _, routine = _routine(args)
    at = parse_time_of_day(args.time, "--time")
    try:
        start = date.fromisoformat(args.start) if args.start else date.today()
    except ValueError:
        raise ValueError(f"--start: expected a date as YYYY-MM-DD, got {args.start!r}") from None
    _write(args.output, make_calendar(routine, weekdays=args.weekdays, start=start, at=at, weeks=args.weeks))
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

    handout = commands.add_parser("handout", help="a printable PDF handout of a routine")
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

    calendar = commands.add_parser("calendar", help="the weekly plan as a calendar file (.ics)")
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
