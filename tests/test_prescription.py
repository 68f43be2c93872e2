"""The prescription link: a routine and its doses in a short URL, read back only when it is whole and safe.

What is tested: the round trip (routine -> link -> the same stretches and doses, marked as the clinician's);
every way a link is refused (a changed check, an unknown stretch or version, a dose outside the safe bounds,
a repeated stretch, a link too long); no personal data in the link (name, notes, health answers, reasons);
the screening still applying to a prescribed routine; the dashboard following a link, or saying plainly
that it could not; the query reaching a preheated kernel the way Voilà sends it; the panel's per-stretch
doses, reasons and link; the ``link`` command.
"""

from __future__ import annotations

import hashlib
import json
import re
import subprocess
import sys
import threading
from collections.abc import Iterator
from urllib.parse import urlsplit

import pytest
import textstat

import iliopsoas_lib as il
from iliopsoas_lib.prescription import (
    MAX_LENGTH,
    PrescribedDose,
    Prescription,
    PrescriptionError,
    prescription_url,
    read_prescription,
)
from iliopsoas_lib.routine import ABILITY_FIELDS, DoseKind
from iliopsoas_lib.widgets import patient_text as words
from iliopsoas_lib.widgets.app import Dashboard, dashboard, page_query
from iliopsoas_lib.widgets.clinic import DASHBOARD_URL_ENV, ClinicPanel

BASE = "https://clinic.example/dashboard/"
ABLE = il.Abilities(**dict.fromkeys(ABILITY_FIELDS, True), conditions=frozenset())
DOSES = {"glute_bridge": {"hold_seconds": 10, "repetitions": 8}, "hip_flexor_bed": {"hold_seconds": 45}}


@pytest.fixture(scope="module")
def routine(catalog) -> il.Routine:
    return il.build_routine(catalog, ABLE, only=["glute_bridge", "hip_flexor_bed"], dosage=DOSES)


def query(url: str) -> str:
    return urlsplit(url).query


def signed(body: str) -> str:
    """An ``rx=`` query with a correct check: what someone who knows the format could make."""
    return f"rx={body}.{hashlib.sha256(body.encode()).hexdigest()[:8]}"


def doses(routine: il.Routine) -> list[tuple[str, int, int]]:
    return [(item.stretch.id, item.hold_seconds, item.repetitions) for item in routine.items]


# -- the link ------------------------------------------------------------------------------------------


def test_round_trip_gives_the_same_stretches_and_doses(catalog, routine) -> None:
    url = prescription_url(routine, BASE, sessions_per_week=2)
    assert url.startswith(BASE + "?rx=1.2.") and len(url) < 120
    assert re.fullmatch(r"[A-Za-z0-9._~-]+", query(url).split("=", 1)[1])  # URL-safe as it stands
    rx = read_prescription(query(url), catalog)
    assert rx == Prescription(
        (PrescribedDose("glute_bridge", 10, 8), PrescribedDose("hip_flexor_bed", 45, 2)), 2
    )
    again = rx.routine(catalog, ABLE)
    assert doses(again) == doses(routine) == [("glute_bridge", 10, 8), ("hip_flexor_bed", 45, 2)]
    assert {item.dose_kind for item in again.items} == {DoseKind.CLINICIAN}  # the clinician's choice
    assert read_prescription("?" + query(url), catalog) == rx  # with or without the "?"


def test_the_dashboards_other_parameters_stay_and_an_old_plan_is_replaced(catalog, routine) -> None:
    old = prescription_url(il.build_routine(catalog, ABLE, only=["glute_bridge"]), BASE)
    url = prescription_url(routine, old + "&lang=en#top")
    assert url.count("rx=") == 1 and "lang=en" in url and "#" not in url
    assert read_prescription(query(url), catalog).stretch_ids == ("glute_bridge", "hip_flexor_bed")
    assert read_prescription(query(url), catalog).sessions_per_week is None  # not given: not invented


@pytest.mark.parametrize(
    "base", ["ftp://clinic.example/", "clinic.example/dashboard", "javascript:alert(1)", ""]
)
def test_only_a_web_address_makes_a_link(routine, base) -> None:
    with pytest.raises(PrescriptionError, match="expected an http:// or https:// address"):
        prescription_url(routine, base)


def test_an_empty_routine_makes_no_link(catalog) -> None:
    with pytest.raises(PrescriptionError, match="at least one stretch"):
        prescription_url(il.build_routine(catalog, il.Abilities()), BASE)


def test_no_personal_data_in_the_link(catalog, monkeypatch) -> None:
    """The name, the notes, the health answers and the reason for a dose stay out of the link."""
    answers = il.Abilities(**dict.fromkeys(ABILITY_FIELDS, True), conditions={"low_back_pain", "pregnancy"})
    reason = "Because of her knee operation in May"
    routine = il.build_routine(
        catalog,
        answers,
        dosage={"hip_flexor_bed": {"hold_seconds": 45}},
        reasons={"hip_flexor_bed": reason},
    )
    assert routine.items and routine.health  # the answers really are in the routine
    monkeypatch.setenv(DASHBOARD_URL_ENV, BASE)
    panel = ClinicPanel(catalog, routine)
    panel.patient.value = "Zoë Nguyễn"
    panel.notes.value = "Lives alone; sore left hip"
    panel.dosage.row(routine.items[0].stretch.id).reason.value = "Weak glutes after the birth"
    url = panel.link.value
    assert url == prescription_url(panel.plan().routine, BASE, sessions_per_week=3)
    lowered = url.lower()
    for private in ("Zoë", "Nguy", "alone", "sore", "birth", "operation", "pregnan", "back_pain", "health"):
        assert private.lower() not in lowered, private
    plan = query(url).rsplit(".", 1)[0]  # before the check (hex digits)
    assert set(re.findall(r"[a-z][a-z_]+", plan)) <= {"rx", *catalog.stretches}  # only stretch ids


# -- links that are refused ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("rx=1.3.glute_bridge-10-8.00000000", "check does not match"),
        (signed("1.3.glute_bridge-10-8").replace("10-8", "10-9"), "check does not match"),
        (signed("1.3.glute_bridge-10-8")[:-2], "check does not match"),  # cut short in a text message
        (signed("1.3.pogo_stick-10-8"), "unknown stretch 'pogo_stick'"),
        (signed("1.3.glute_bridge-500-8"), "500 is outside the safe range 5-120"),
        (signed("1.3.glute_bridge-3-8"), "3 is outside the safe range 5-120"),
        (signed("1.3.glute_bridge-10-0"), "0 is outside the safe range 1-20"),
        (signed("1.3.glute_bridge-10-99"), "99 is outside the safe range 1-20"),
        (signed("1.15.glute_bridge-10-8"), "15 is outside the range 1-14"),
        (signed("2.3.glute_bridge-10-8"), "unknown link version '2'"),
        (signed("1.3.glute_bridge-10-8.glute_bridge-20-2"), "in the plan twice"),
        (signed("1.3.Glute_Bridge-10-8"), "not a stretch and its dose"),
        (signed("1.3.glute_bridge-10"), "not a stretch and its dose"),
        (signed("1.3"), "not of the form"),
        ("rx=nonsense", "not of the form"),
        (signed("1.3.glute_bridge-10-8") + "&" + signed("1.3.hip_flexor_bed-30-2"), "more than one plan"),
        ("rx=" + "a" * (MAX_LENGTH + 1), "at most 600"),
    ],
)
def test_a_changed_or_unknown_link_is_refused_with_its_reason(catalog, text, reason) -> None:
    with pytest.raises(PrescriptionError, match=re.escape(reason)):
        read_prescription(text, catalog)


@pytest.mark.parametrize("text", ["", "?", "lang=en", "rx=", "rx=%20&lang=en"])
def test_a_page_without_a_plan_has_none(catalog, text) -> None:
    assert read_prescription(text, catalog) is None


# -- screening still comes first -----------------------------------------------------------------------


def test_a_prescribed_routine_is_screened_like_any_other(catalog) -> None:
    rx = Prescription((PrescribedDose("kneeling_hip_flexor", 30, 2), PrescribedDose("hip_flexor_bed", 45, 3)))
    assert rx.routine(catalog, il.Abilities()).items == ()  # health questions unanswered: nothing
    surgery = rx.routine(
        catalog, il.Abilities(**dict.fromkeys(ABILITY_FIELDS, True), conditions={"hip_surgery"})
    )
    assert surgery.items == () and surgery.withheld  # a "yes" that needs a clinician first still withholds
    no_kneeling = rx.routine(
        catalog, il.Abilities(has_bed=True, can_get_to_floor=True, conditions=frozenset())
    )
    assert doses(no_kneeling) == [("hip_flexor_bed", 45, 3)]
    (left_out,) = no_kneeling.left_out
    assert left_out.stretch_id == "kneeling_hip_flexor" and "needs kneeling" in left_out.reason
    knee = rx.routine(catalog, il.Abilities(**dict.fromkeys(ABILITY_FIELDS, True), conditions={"knee_pain"}))
    assert "kneeling_hip_flexor" not in [item.stretch.id for item in knee.items]  # its skip rule holds


# -- the dashboard -------------------------------------------------------------------------------------


def test_the_dashboard_offers_the_plan_after_the_questions(catalog, routine) -> None:
    app = dashboard(catalog, query=query(prescription_url(routine, BASE, sessions_per_week=2)))
    assert app.prescription is not None and app.link_problem == ""
    assert words.LINK_OPENED in app.link_notice.value and app.children[1] is app.link_notice
    assert app.picker.dose not in app.picker.children  # no dose to choose: it is the plan's
    assert app.picker.routine.items == ()  # nothing before the health questions are answered
    app.picker.answer(**dict.fromkeys(ABILITY_FIELDS, True))
    app.picker.answer_health()
    assert doses(app.picker.routine) == doses(routine)  # not the five stretches these answers allow
    assert (
        words.PLAN_CHOSEN in app.picker.summary.value and "Do it 2 times a week." in app.picker.summary.value
    )
    assert "Stay up for 10 seconds." in app.cards.card_text("glute_bridge")
    assert "Do this 8 times." in app.cards.card_text("glute_bridge")
    assert app.timer.routine.duration() == routine.duration()
    assert app.clinic.expand().sessions.value == 2  # the clinician's panel starts from the plan too
    app.picker.answer(can_get_to_floor=False)  # the bridge needs the floor: left out, and said so
    assert doses(app.picker.routine) == [("hip_flexor_bed", 45, 2)]
    assert words.PLAN_LEFT_OUT in app.picker.summary.value


def test_a_bad_link_says_so_and_asks_the_usual_questions(catalog) -> None:
    app = dashboard(catalog, query="rx=1.3.glute_bridge-10-8.00000000")
    assert app.prescription is None and "check does not match" in app.link_problem
    assert words.LINK_FAILED in app.link_notice.value and 'role="alert"' in app.link_notice.value
    assert app.picker.dose in app.picker.children
    app.picker.answer(**dict.fromkeys(ABILITY_FIELDS, True))
    app.picker.answer_health()
    assert len(app.picker.routine.items) == len(catalog.stretches)  # the ordinary routine


def test_a_plain_visit_adds_nothing(catalog) -> None:
    app = dashboard(catalog, query="")
    plain = Dashboard(catalog)
    assert app.link_notice is None and len(app.children) == len(plain.children)


def test_the_patient_words_read_at_grade_7_or_below() -> None:
    for text in (words.LINK_OPENED, words.LINK_FAILED, words.PLAN_CHOSEN, words.PLAN_LEFT_OUT):
        assert textstat.flesch_kincaid_grade(text) <= 7.0, text
    assert words.plan_sessions_text(1) == "Do it once a week."


# -- the query reaches a preheated kernel ---------------------------------------------------------------


@pytest.fixture
def voila_query_socket(monkeypatch) -> Iterator[dict]:
    """A stand-in for Voilà's ``/voila/query/<kernel id>`` websocket: sends the request info once."""
    from websockets.sync.server import serve

    seen: dict = {}

    def handler(connection) -> None:
        seen["path"] = connection.request.path
        connection.send(json.dumps({"QUERY_STRING": "rx=1.3.glute_bridge-10-8.x", "SERVER_NAME": "clinic"}))

    with serve(handler, "127.0.0.1", 0) as server:
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        monkeypatch.setenv("VOILA_PREHEAT", "True")
        monkeypatch.setenv("VOILA_APP_PORT", str(server.socket.getsockname()[1]))
        monkeypatch.setenv("VOILA_SERVER_URL", "/")
        monkeypatch.setenv("VOILA_KERNEL_ID", "k-123")
        monkeypatch.delenv("QUERY_STRING", raising=False)
        monkeypatch.delenv("SERVER_NAME", raising=False)
        yield seen
        server.shutdown()


def test_a_preheated_kernel_gets_the_query_when_its_page_is_asked_for(voila_query_socket) -> None:
    assert page_query() == "rx=1.3.glute_bridge-10-8.x"
    assert voila_query_socket["path"] == "/voila/query/k-123"


def test_a_preheated_kernel_that_cannot_reach_the_server_opens_without_a_link(monkeypatch) -> None:
    import socket

    with socket.socket() as sock:  # a port nobody listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    monkeypatch.setenv("VOILA_PREHEAT", "True")
    monkeypatch.setenv("VOILA_APP_PORT", str(port))
    monkeypatch.setenv("VOILA_KERNEL_ID", "k-123")
    monkeypatch.delenv("QUERY_STRING", raising=False)
    assert page_query() == ""


def test_a_kernel_started_for_its_request_reads_the_query_at_once(monkeypatch) -> None:
    monkeypatch.setenv("VOILA_PREHEAT", "False")
    monkeypatch.setenv("QUERY_STRING", "rx=abc")
    assert page_query() == "rx=abc"


# -- the clinicians' panel -----------------------------------------------------------------------------


def test_the_panel_sets_each_stretchs_dose_and_reason(catalog, monkeypatch) -> None:
    monkeypatch.setenv(DASHBOARD_URL_ENV, BASE)
    routine = il.build_routine(catalog, ABLE, only=["glute_bridge", "hip_flexor_bed", "standing_hip_flexor"])
    panel = ClinicPanel(catalog, routine)
    calculator = panel.dosage
    bed = calculator.row("hip_flexor_bed")
    bed.hold.value = 45
    bed.repetitions.value = 3
    bed.reason.value = "Longer holds suit a stiff hip"
    planned = {item.stretch.id: item for item in calculator.plan.routine.items}
    assert (planned["hip_flexor_bed"].hold_seconds, planned["hip_flexor_bed"].repetitions) == (45, 3)
    assert planned["hip_flexor_bed"].dose_kind is DoseKind.CLINICIAN
    assert planned["hip_flexor_bed"].reason == "Longer holds suit a stiff hip"
    assert planned["glute_bridge"] == {i.stretch.id: i for i in routine.items}["glute_bridge"]
    # The warning names the stretch, in the words the command line prints (DosagePlan.warnings).
    assert "hold 45 s for Hip flexor bed stretch is above the guideline" in calculator.message.text
    assert "Glute bridge" not in calculator.message.text
    assert "hip_flexor_bed-45-3" in panel.link.value  # the link follows the dose
    calculator.hold.value = 25  # the hold for all: every stretch, this one too
    assert {item.hold_seconds for item in calculator.plan.routine.items} == {25}
    assert bed.hold.value == 25 and bed.repetitions.value == 3  # its own count is kept
    calculator.row("glute_bridge").hold.value = 12
    assert {i.stretch.id: i.hold_seconds for i in calculator.plan.routine.items}["glute_bridge"] == 12
    with pytest.raises(KeyError):
        calculator.row("table_psoas")


def test_the_panel_keeps_a_stretchs_dose_when_the_answers_change(catalog) -> None:
    both = il.build_routine(catalog, ABLE, only=["glute_bridge", "hip_flexor_bed"])
    panel = ClinicPanel(catalog, both)
    panel.dosage.row("hip_flexor_bed").hold.value = 50
    panel.set_routine(il.build_routine(catalog, ABLE, only=["hip_flexor_bed"]))
    panel.set_routine(both)
    holds = {i.stretch.id: i.hold_seconds for i in panel.plan().routine.items}
    assert holds == {
        "glute_bridge": catalog.stretch("glute_bridge").dosage.hold_seconds,
        "hip_flexor_bed": 50,
    }


def test_the_panel_says_where_its_link_would_point(catalog, monkeypatch) -> None:
    monkeypatch.delenv(DASHBOARD_URL_ENV, raising=False)
    monkeypatch.delenv("VOILA_KERNEL_ID", raising=False)
    panel = ClinicPanel(catalog, il.build_routine(catalog, ABLE, only=["glute_bridge"]))
    assert panel.link.value == "" and DASHBOARD_URL_ENV in panel.link_note.value  # JupyterLab: no guess
    monkeypatch.setenv("VOILA_KERNEL_ID", "k-1")  # in Voilà: the page's own address, from the browser
    panel = ClinicPanel(catalog, il.build_routine(catalog, ABLE, only=["glute_bridge"]))
    assert panel.address is not None and panel.link.value == ""
    panel.address.address = "javascript:alert(1)"  # a forged message changes nothing
    panel.address.address = "http://127.0.0.1:8866/?rx=old"
    assert panel.link.value == ""
    panel.address.address = "https://stretch.example/"
    assert panel.link.value.startswith("https://stretch.example/?rx=1.3.glute_bridge-")
    assert 'href="https://stretch.example/?rx=' in panel.link_note.value
    empty = ClinicPanel(catalog, il.build_routine(catalog, il.Abilities()))
    assert empty.link.value == "" and "no stretch" in empty.link_note.value


# -- the command line ----------------------------------------------------------------------------------


def cli(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "iliopsoas_lib", *args], capture_output=True, text=True, timeout=120, env=env
    )


def test_cli_link_prints_the_link_alone(catalog) -> None:
    done = cli(
        "link", "--no-conditions", "--bed", "--can-get-to-floor", "--only", "glute_bridge",
        "--only", "hip_flexor_bed", "--dose", "glute_bridge:hold=10,reps=8", "--sessions", "2",
        "--dashboard-url", BASE,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    (line,) = done.stdout.splitlines()  # the dose notes go to stderr: stdout can be piped
    rx = read_prescription(query(line), catalog)
    assert rx.sessions_per_week == 2 and rx.doses[0] == PrescribedDose("glute_bridge", 10, 8)
    assert "Glute bridge" in done.stderr


def test_cli_link_needs_the_dashboards_address(monkeypatch) -> None:
    import os

    env = {k: v for k, v in os.environ.items() if k != DASHBOARD_URL_ENV}
    done = cli("link", "--no-conditions", "--bed", env=env)
    assert done.returncode == 2 and done.stderr.strip().startswith("error: --dashboard-url")
    done = cli("link", "--no-conditions", "--bed", env={**env, DASHBOARD_URL_ENV: BASE})
    assert done.returncode == 0 and done.stdout.startswith(BASE + "?rx=1.3.hip_flexor_bed-")
