"""The command line as a clinician meets it: its own name, the template and the list of what is built in,
per-stretch doses with their reasons and the same guideline warnings as the clinicians' panel, content
mistakes reported by line in plain words, and bad input refused with one clear line.

Most tests call :func:`iliopsoas_lib.__main__.main` in this process (fast, and the same code the console
script runs); a few run the real ``iliopsoas`` console script and ``python -m iliopsoas_lib``.
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
from pathlib import Path

import pytest

import iliopsoas_lib as il
from iliopsoas_lib.__main__ import build_parser, main
from iliopsoas_lib.clinic import template_text
from iliopsoas_lib.dosage import plan_dosage
from iliopsoas_lib.limits import (
    CALENDAR_WEEKS,
    DEFAULT_CALENDAR_WEEKS,
    DEFAULT_HANDOUT_WEEKS,
    DEFAULT_SESSION_TIME,
    DEFAULT_SESSIONS_PER_WEEK,
    HOLD_SECONDS,
    REPETITIONS,
)
from iliopsoas_lib.routine import ABILITY_FIELDS

ABLE_FLAGS = ("--can-kneel", "--good-balance", "--can-get-to-floor", "--bed", "--table", "--no-conditions")
ABLE = il.Abilities(**dict.fromkeys(ABILITY_FIELDS, True), conditions=frozenset())
CONSOLE_SCRIPT = Path(sys.executable).with_name("iliopsoas")
#: Words that belong to the code, not to a clinician's file: none may appear in a content error.
JARGON = ("schema.py", ".py", "pattern", "^[a-z", "Input should", "pydantic", "Value error", "Traceback")


def run(capsys, *args: str) -> tuple[int, str, str]:
    """The command's exit code, standard output and standard error."""
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def one_line_error(capsys, *args: str) -> str:
    """The bad-input contract: exit 2, one line on stderr, nothing else."""
    code, _, err = run(capsys, *args)
    assert code == 2, err
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert "Traceback" not in err
    return lines[0]


def routine_of(*args: str) -> il.Routine:
    """The routine the handout command would print, from its arguments (no file written)."""
    from iliopsoas_lib.__main__ import _routine

    parsed = build_parser().parse_args(["handout", *args, "-o", "unused.pdf"])
    return _routine(parsed)[1]


def line_of(text: str, needle: str) -> int:
    """The 1-based line of the first line containing ``needle``."""
    return next(n for n, line in enumerate(text.splitlines(), 1) if needle in line)


# -- its own name, the template, the list ------------------------------------------------------------


@pytest.mark.parametrize(
    "command", [[str(CONSOLE_SCRIPT)], [sys.executable, "-m", "iliopsoas_lib"]], ids=["script", "module"]
)
def test_the_usage_line_names_the_command_iliopsoas(command) -> None:
    done = subprocess.run([*command, "--help"], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("usage: iliopsoas ")
    for name in ("validate", "handout", "calendar", "slides", "template", "list"):
        assert name in done.stdout
    done = subprocess.run([*command, "handout", "--help"], capture_output=True, text=True, timeout=120)
    assert done.stdout.startswith("usage: iliopsoas handout ")


def test_the_options_show_and_default_to_the_one_set_of_limits() -> None:
    """Issue 15: bounds and defaults once, in limits.py; the help texts and defaults read them."""
    commands = next(a for a in build_parser()._actions if isinstance(a, argparse._SubParsersAction)).choices
    handout_help = " ".join(commands["handout"].format_help().split())
    assert f"every stretch ({HOLD_SECONDS.low}-{HOLD_SECONDS.high})" in handout_help
    assert f"every stretch ({REPETITIONS.low}-{REPETITIONS.high})" in handout_help
    calendar_help = " ".join(commands["calendar"].format_help().split())
    assert f"how many weeks ({CALENDAR_WEEKS.low}-{CALENDAR_WEEKS.high})" in calendar_help
    handout = build_parser().parse_args(["handout", "-o", "h.pdf"])
    assert (handout.weeks, handout.sessions) == (DEFAULT_HANDOUT_WEEKS, DEFAULT_SESSIONS_PER_WEEK)
    calendar = build_parser().parse_args(["calendar", "-o", "c.ics"])
    assert (calendar.time, calendar.weeks) == (f"{DEFAULT_SESSION_TIME:%H:%M}", DEFAULT_CALENDAR_WEEKS)


def test_template_writes_the_clinicians_template(tmp_path, capsys) -> None:
    target = tmp_path / "my_clinic.toml"
    code, out, _ = run(capsys, "template", "-o", str(target))
    assert code == 0 and str(target) in out
    assert target.read_text(encoding="utf-8") == template_text()
    code, out, _ = run(capsys, "template")
    assert code == 0 and out == template_text()
    line = one_line_error(capsys, "template", "-o", str(target))  # never overwrites
    assert "already exists" in line


def test_list_shows_ids_names_doses_and_the_health_questions(tmp_path, capsys, catalog) -> None:
    mine = tmp_path / "mine.toml"
    mine.write_text(template_text(), encoding="utf-8")
    code, out, _ = run(capsys, "list", "--extra", str(mine))
    assert code == 0
    for stretch in catalog.stretches.values():
        row = next(line for line in out.splitlines() if line.lstrip().startswith(stretch.id))
        assert stretch.name in row
        assert f"{stretch.dosage.repetitions} x {stretch.dosage.hold_seconds} s" in row
    assert "half_kneeling_wall" in out and "Half-kneeling stretch at a wall" in out and str(mine) in out
    for screening in catalog.screenings.values():
        assert screening.id in out and screening.question in out


# -- doses: per stretch, with their reason, and the panel's warnings ------------------------------------


def test_hold_90_warns_on_stderr_like_the_panel_and_still_makes_the_handout(
    tmp_path, capsys, catalog
) -> None:
    from iliopsoas_lib.dosage import warnings_text

    out_file = tmp_path / "h.pdf"
    code, _, err = run(capsys, "handout", *ABLE_FLAGS, "--hold", "90", "-o", str(out_file))
    assert code == 0 and out_file.exists()
    routine = il.build_routine(catalog, ABLE, hold_seconds=90)
    expected = warnings_text(plan_dosage(catalog, routine).warnings(catalog))
    assert expected and expected in err  # the panel's words, from the one function that writes them
    assert "90 s" in err and all(item.stretch.name in err for item in routine.items)


def test_a_dose_per_stretch_changes_that_stretch_only(catalog) -> None:
    routine = routine_of(*ABLE_FLAGS, "--dose", "glute_bridge:hold=45,reps=3", "--dose", "table_psoas:reps=1")
    doses = {item.stretch.id: (item.hold_seconds, item.repetitions) for item in routine.items}
    assert doses["glute_bridge"] == (45, 3)
    table = catalog.stretch("table_psoas").dosage
    assert doses["table_psoas"] == (table.hold_seconds, 1)
    for stretch_id in ("standing_hip_flexor", "kneeling_hip_flexor", "hip_flexor_bed"):
        usual = catalog.stretch(stretch_id).dosage
        assert doses[stretch_id] == (usual.hold_seconds, usual.repetitions)
    # --hold for all, --dose for one: the one stretch's own dose wins
    routine = routine_of(*ABLE_FLAGS, "--hold", "25", "--dose", "glute_bridge:hold=40")
    assert {item.stretch.id: item.hold_seconds for item in routine.items} == {
        **dict.fromkeys((item.stretch.id for item in routine.items), 25),
        "glute_bridge": 40,
    }


def test_each_stretch_outside_the_guideline_gets_a_warning_naming_it(tmp_path, capsys, catalog) -> None:
    code, _, err = run(
        capsys,
        "handout",
        *ABLE_FLAGS,
        "--dose",
        "glute_bridge:hold=45",
        "--dose",
        "table_psoas:hold=10",
        "-o",
        str(tmp_path / "h.pdf"),
    )
    assert code == 0
    bridge, table = catalog.stretch("glute_bridge").name, catalog.stretch("table_psoas").name
    assert re.search(rf"hold 45 s for {bridge} is above", err)
    assert re.search(rf"hold 10 s for {table} is below", err)


def test_the_clinicians_reason_goes_with_the_dose_and_is_printed(tmp_path, capsys) -> None:
    why = "Build up slowly after back surgery."
    routine = routine_of(*ABLE_FLAGS, "--dose", "glute_bridge:reps=5", "--dose-reason", why)
    reasons = {item.stretch.id: item.reason for item in routine.items}
    assert reasons["glute_bridge"] == why
    assert {reason for stretch_id, reason in reasons.items() if stretch_id != "glute_bridge"} == {""}
    code, out, _ = run(
        capsys,
        "handout",
        *ABLE_FLAGS,
        "--dose",
        "glute_bridge:reps=5",
        "--dose-reason",
        f"glute_bridge:{why}",
        "-o",
        str(tmp_path / "h.pdf"),
    )
    assert code == 0
    (line,) = [line for line in out.splitlines() if "Glute bridge" in line]
    assert "5 x 30 s" in line and why in line


def test_a_clinic_files_dose_change_prints_its_reason(tmp_path, capsys) -> None:
    why = "Start with fewer bridges after back surgery; build up over four weeks."
    mine = tmp_path / "mine.toml"
    mine.write_text(
        template_text() + '\n[[dosage_change]]\nstretch = "glute_bridge"\nrepetitions = 8\n'
        f'reason = "{why}"\nsources = ["clinic_protocol"]\n',
        encoding="utf-8",
    )
    routine = routine_of("--extra", str(mine), *ABLE_FLAGS, "--only", "glute_bridge")
    (item,) = routine.items
    assert (item.repetitions, item.reason) == (8, why)
    code, out, _ = run(
        capsys,
        "handout",
        "--extra",
        str(mine),
        *ABLE_FLAGS,
        "--only",
        "glute_bridge",
        "-o",
        str(tmp_path / "h"),
    )
    assert code == 0 and why in out and "8 x 30 s" in out


@pytest.mark.parametrize(
    ("dose", "message"),
    [
        ("glute_bridge", "--dose 'glute_bridge': expected STRETCH_ID:hold=SECONDS,reps=N"),
        ("glute_bridge:hold=abc", "--dose 'glute_bridge:hold=abc': hold must be a whole number"),
        ("glute_bridge:time=3", "--dose 'glute_bridge:time=3': unknown setting 'time'; use hold or reps"),
        ("glute_bridge:hold=500", "hold: 500 is outside the safe range 5-120 seconds"),
        ("glute_bridge:hold=30,hold=40", "hold given twice"),
        ("bridge:hold=30", "no stretch with id 'bridge'; known: standing_hip_flexor, "),
    ],
)
def test_a_dose_the_command_cannot_read_is_refused_with_one_line(tmp_path, capsys, dose, message) -> None:
    line = one_line_error(capsys, "handout", *ABLE_FLAGS, "--dose", dose, "-o", str(tmp_path / "h.pdf"))
    assert message in line
    assert not list(tmp_path.iterdir())


def test_a_reason_needs_a_dose_to_explain(tmp_path, capsys) -> None:
    line = one_line_error(
        capsys, "handout", *ABLE_FLAGS, "--dose-reason", "Because.", "-o", str(tmp_path / "h.pdf")
    )
    assert "--dose-reason" in line and "--dose" in line


# -- validate: what is new is decided by content, not by file name --------------------------------------


def test_validate_reports_a_clinic_file_named_like_a_builtin_one_as_new(tmp_path, capsys) -> None:
    clinic = tmp_path / "stretches.toml"
    clinic.write_text(template_text(), encoding="utf-8")
    code, out, _ = run(capsys, "validate", str(clinic))
    assert code == 0
    assert (
        "nothing new" not in out and "stretch:half_kneeling_wall" in out and "source:clinic_protocol" in out
    )


# -- content mistakes: by line, in plain words, with hints ---------------------------------------------


def validate_error(capsys, tmp_path: Path, text: str, name: str = "mine.toml") -> str:
    path = tmp_path / name
    path.write_bytes(text.encode("utf-8"))
    code, _, err = run(capsys, "validate", str(path))
    assert code == 2
    for word in JARGON:
        assert word not in err.replace(str(path), "mine"), f"{word!r} in {err}"
    return err


def test_a_quoted_number_is_refused_with_a_hint_and_its_line(tmp_path, capsys) -> None:
    text = template_text().replace("hold_seconds = 30", 'hold_seconds = "45"')
    err = validate_error(capsys, tmp_path, text)
    assert f"line {line_of(text, 'hold_seconds = ' + chr(34) + '45')}" in err
    assert "write 45 without quotes" in err


def test_a_notepad_byte_order_mark_is_accepted(tmp_path, capsys) -> None:
    path = tmp_path / "notepad.toml"
    path.write_bytes("\ufeff".encode() + template_text().replace("\n", "\r\n").encode("utf-8"))
    code, out, err = run(capsys, "validate", str(path))
    assert code == 0, err
    assert "stretch:half_kneeling_wall" in out


def test_single_brackets_for_a_stretch_get_a_hint(tmp_path, capsys) -> None:
    text = template_text().replace("[[stretch]]", "[stretch]")
    err = validate_error(capsys, tmp_path, text)
    assert "[[stretch]]" in err and f"line {line_of(text, '[stretch]')}" in err


@pytest.mark.parametrize(
    ("old", "new", "hint"),
    [
        ('name = "Half-kneeling stretch at a wall"', 'name = "Half-kneeling stretch at a wall', "quote"),
        ('name = "Half-kneeling stretch at a wall"', "name = Half-kneeling stretch at a wall", "quotes"),
        ('name = "Half-kneeling stretch at a wall"', "name = “Half-kneeling stretch at a wall”", "curly"),
    ],
    ids=["missing-closing-quote", "no-quotes", "smart-quotes"],
)
def test_common_toml_slips_get_a_hint_and_the_line(tmp_path, capsys, old, new, hint) -> None:
    text = template_text().replace(old, new)
    err = validate_error(capsys, tmp_path, text)
    assert f"line {line_of(text, new)}" in err and hint in err


@pytest.mark.parametrize(
    ("old", "new", "needle", "words"),
    [
        ('id = "half_kneeling_wall"', 'id = "Half Kneeling"', 'id = "Half Kneeling"', "lower-case letters"),
        ("hold_seconds = 30", "hold_seconds = 3", "hold_seconds = 3", "must be 5 or more (got 3)"),
        ('first_side = "left"', 'first_sidee = "left"', "first_sidee", "did you mean 'first_side'"),
        (
            'position = "kneeling"',
            'position = "sitting"',
            'position = "sitting"',
            "one of: standing, kneeling",
        ),
        ("per_side = true", 'per_side = "yes"', 'per_side = "yes"', "true or false"),
    ],
)
def test_schema_errors_name_the_line_in_plain_words(tmp_path, capsys, old, new, needle, words) -> None:
    text = template_text().replace(old, new)
    assert text != template_text()
    err = validate_error(capsys, tmp_path, text)
    assert f"line {line_of(text, needle)}" in err and words in err


def test_a_missing_field_points_at_its_entry(tmp_path, capsys) -> None:
    text = template_text().replace('position = "kneeling"', "")
    err = validate_error(capsys, tmp_path, text)
    assert f"line {line_of(text, '[[stretch]]')}" in err and "'position'" in err and "missing" in err


def test_an_unknown_source_points_at_its_line(tmp_path, capsys) -> None:
    old = 'on the cushion.", sources = ["clinic_protocol"]'
    assert template_text().count(old) == 1
    text = template_text().replace(old, 'on the cushion.", sources = ["clinic_protcol"]')
    assert text != template_text()
    err = validate_error(capsys, tmp_path, text)
    assert f"line {line_of(text, 'clinic_protcol')}" in err and "unknown source id 'clinic_protcol'" in err


# -- the handout's clinician, contact, date and link ---------------------------------------------------


def test_the_handout_gets_the_clinician_contact_date_and_link(tmp_path, capsys, monkeypatch) -> None:
    from iliopsoas_lib.documents import handout

    seen = {}

    def fake_handout(routine, catalog, options=None, **_):
        seen["options"], seen["routine"] = options, routine
        return b"%PDF-fake"

    monkeypatch.setattr(handout, "make_handout", fake_handout)
    code, _, err = run(
        capsys,
        "handout",
        *ABLE_FLAGS,
        "--clinician",
        "Dr Zoë Nguyễn",
        "--contact",
        "clinic@example.org, 555 0100",
        "--date",
        "2026-11-25",
        "--dashboard-url",
        "https://stretch.example.org/voila/render/dashboard.ipynb",
        "--sessions",
        "2",
        "-o",
        str(tmp_path / "h.pdf"),
    )
    assert code == 0, err
    options = seen["options"]
    assert (options.clinician, options.contact, str(options.made_on)) == (
        "Dr Zoë Nguyễn",
        "clinic@example.org, 555 0100",
        "2026-11-25",
    )
    from iliopsoas_lib.prescription import prescription_url

    url = "https://stretch.example.org/voila/render/dashboard.ipynb"
    assert options.prescription_url == prescription_url(seen["routine"], url, sessions_per_week=2)
    assert options.sessions_per_week == 2


def test_a_bad_dashboard_address_is_one_clear_line(tmp_path, capsys) -> None:
    line = one_line_error(
        capsys, "handout", *ABLE_FLAGS, "--dashboard-url", "ftp://x", "-o", str(tmp_path / "h.pdf")
    )
    assert "ftp://x" in line and not list(tmp_path.iterdir())


def test_a_bad_handout_date_is_one_clear_line(tmp_path, capsys) -> None:
    line = one_line_error(capsys, "handout", *ABLE_FLAGS, "--date", "25/11/2026", "-o", str(tmp_path / "h"))
    assert "--date: expected a date as YYYY-MM-DD" in line


def test_the_calendar_warns_like_the_handout(tmp_path, capsys, catalog) -> None:
    """The warnings come with the routine, so every document made from one gets them."""
    out_file = tmp_path / "p.ics"
    args = (
        "calendar",
        "--bed",
        "--no-conditions",
        "--hold",
        "10",
        "--tz",
        "Europe/Berlin",
        "-o",
        str(out_file),
    )
    code, _, err = run(capsys, *args)
    assert code == 0 and out_file.exists()
    assert f"hold 10 s for {catalog.stretch('hip_flexor_bed').name} is below the guideline" in err


def test_a_character_no_font_draws_is_one_plain_warning_line(capsys, tmp_path: Path) -> None:
    """The warning names the character, as a line a clinician reads: no Python file or source line."""
    out = tmp_path / "handout.pdf"
    args = ("handout", "--no-conditions", "--bed", "--patient", "Zoë 🦵", "-o", str(out))
    code, _stdout, err = run(capsys, *args)
    assert code == 0 and out.exists()
    lines = [line for line in err.splitlines() if "U+1F9B5" in line]
    assert len(lines) == 1 and lines[0].startswith("warning: "), err
    assert ".py" not in err and "make_handout(" not in err, err
