"""A handout a clinic hands out (issue 14, items 1 and 4, and the QR code of item 5): names in any script
read back exactly from embedded fonts, a warning naming what no font draws, page numbers, the date, the
clinician, notes with their line breaks, large print that fits its tables, the reason for a dose, the
clinic's own picture (checked when loaded), and the prescription link as a QR code."""

from __future__ import annotations

import dataclasses
import io
import shutil
import subprocess
import warnings
from datetime import date

import pytest
from PIL import Image
from pypdf import PdfReader

import iliopsoas_lib as il
from iliopsoas_lib import stretch_picture
from iliopsoas_lib.catalog import CatalogError
from iliopsoas_lib.clinic import template_text
from iliopsoas_lib.documents.handout import SCAN_LINE, HandoutOptions, _Handout, make_handout
from iliopsoas_lib.fonts import MissingGlyphWarning
from iliopsoas_lib.routine import ABILITY_FIELDS

ABLE = il.Abilities(**dict.fromkeys(ABILITY_FIELDS, True), conditions=frozenset())
NAMES = "Zoë Nguyễn 李雷 محمد علي"


def pages_text(pdf: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages]


@pytest.fixture(scope="module")
def bridge(catalog):
    return il.build_routine(catalog, ABLE, only=["glute_bridge"])


def quiet_handout(routine, catalog, **options) -> bytes:
    with warnings.catch_warnings():
        warnings.simplefilter("error", MissingGlyphWarning)  # none expected here
        return make_handout(routine, catalog, HandoutOptions(**options))


def test_names_in_latin_vietnamese_chinese_and_arabic_read_back_exactly(catalog, bridge) -> None:
    text = "\n".join(pages_text(quiet_handout(bridge, catalog, patient_name=NAMES)))
    for name in ("Zoë", "Nguyễn", "李雷", "محمد علي"):
        assert name in text, name
    assert "■" not in text


def test_every_font_is_embedded(catalog, bridge, tmp_path) -> None:
    """pdffonts (poppler-utils, installed by scripts/test.sh) lists each font with emb yes."""
    assert shutil.which("pdffonts"), "install poppler-utils (scripts/test.sh does)"
    pdf = tmp_path / "h.pdf"
    pdf.write_bytes(quiet_handout(bridge, catalog, patient_name=f"{NAMES} שלום 김민준"))
    rows = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
    fonts = rows.splitlines()[2:]
    assert len(fonts) >= 4  # Latin, bold, CJK, Arabic, Hebrew at least
    for row in fonts:
        name, emb = row.split()[0], row.split()[-5]
        assert emb == "yes", f"{name} is not embedded: {row}"
        assert "Helvetica" not in name


def test_a_character_no_font_has_gives_a_warning_naming_it(catalog, bridge) -> None:
    with pytest.warns(MissingGlyphWarning, match=r"U\+10FFFD") as caught:
        pdf = make_handout(bridge, catalog, patient_name="Ann \U0010fffd Lee", clinician_notes="ok \ue000")
    assert pdf.startswith(b"%PDF")
    assert caught[0].message.characters == ["\U0010fffd", "\ue000"]


def test_pages_are_numbered(catalog, bridge) -> None:
    pages = pages_text(quiet_handout(bridge, catalog))
    assert len(pages) >= 2
    for number, text in enumerate(pages, 1):
        assert f"Page {number} of {len(pages)}" in text


def test_date_clinician_contact_and_notes_with_their_line_breaks(catalog, bridge) -> None:
    options = {
        "clinician": "Dr Ana Łukasz",
        "contact": "Hip Clinic, 555 0100",
        "clinician_notes": "Walk every day.\nIce after the stretch.\n\nSee you in May.",
        "made_on": date(2026, 11, 25),
    }
    first = pages_text(quiet_handout(bridge, catalog, **options))[0]
    assert "Date: 2026-11-25" in first
    assert "Your clinician: Dr Ana Łukasz" in first and "Contact: Hip Clinic, 555 0100" in first
    assert "Walk every day.\nIce after the stretch.\n" in first  # not merged into one line
    today = pages_text(quiet_handout(bridge, catalog))[0]
    assert f"Date: {date.today().isoformat()}" in today


def test_who_it_suits_and_the_reason_for_a_changed_dose(catalog, bridge) -> None:
    item = bridge.items[0]
    changed = dataclasses.replace(
        bridge, items=(dataclasses.replace(item, reason="Her knee needs shorter holds"),)
    )
    text = " ".join(" ".join(pages_text(quiet_handout(changed, catalog))).split())
    assert "Why: Her knee needs shorter holds" in text  # in the routine table, beside the dose
    assert "Why this dose: Her knee needs shorter holds" in text  # with the stretch's own dose
    assert f"Who it suits: {' '.join(item.stretch.suits.text.split())}" in text
    assert f"Easier: {item.stretch.easier.name}" in text and f"Harder: {item.stretch.harder.name}" in text


@pytest.mark.parametrize("sessions", [3, 7, 14])
def test_large_print_tables_fit_inside_their_borders(catalog, sessions) -> None:
    """Each cell's text, wrapped to its column, fits within the cell's padding: in particular the tick
    chart's header (its words used to spill over the border in large print)."""
    from reportlab.pdfbase.pdfmetrics import stringWidth
    from reportlab.platypus import Paragraph, Table

    routine = il.build_routine(catalog, ABLE)
    handout = _Handout(routine, catalog, HandoutOptions(large_print=True, sessions_per_week=sessions))
    tables = [f for f in handout.story() if isinstance(f, Table)]
    tables += [t for f in handout.story() for t in getattr(f, "_content", []) if isinstance(t, Table)]
    assert len(tables) >= 3  # the red flags box, the routine table, the tick chart
    for table in tables:
        table.wrap(handout.width, handout.page[1])
        for r, row in enumerate(table._cellvalues):
            for c, value in enumerate(row):
                cell = table._cellStyles[r][c]
                room_w = table._colWidths[c] - cell.leftPadding - cell.rightPadding
                room_h = table._rowHeights[r] - cell.topPadding - cell.bottomPadding
                values = value if isinstance(value, list | tuple) else [value]
                for v in values:
                    if isinstance(v, Paragraph):
                        _w, h = v.wrap(room_w, 10_000)
                        words = max(
                            (
                                stringWidth(x, cell.fontname, v.style.fontSize)
                                for x in v.getPlainText().split()
                            ),
                            default=0,
                        )
                        assert words <= room_w + 0.01, (
                            f"row {r} col {c}: {v.getPlainText()!r} wider than its cell"
                        )
                        if len(values) == 1:
                            assert h <= room_h + 0.01, (
                                f"row {r} col {c}: {v.getPlainText()!r} taller than its cell"
                            )
                    elif isinstance(v, str) and v:
                        assert stringWidth(v, cell.fontname, cell.fontsize) <= room_w, (
                            f"{v!r} wider than its cell"
                        )
                        assert cell.leading * len(v.splitlines()) <= room_h + 0.01, (
                            f"{v!r} taller than its cell"
                        )


def test_the_prescription_link_prints_as_a_qr_code_and_a_line(catalog, bridge) -> None:
    url = "https://stretch.example.org/?p=v1.abc123"
    pdf = quiet_handout(bridge, catalog, prescription_url=url)
    first = " ".join(pages_text(pdf)[0].split())
    assert SCAN_LINE in first and url in first
    assert SCAN_LINE not in " ".join(pages_text(quiet_handout(bridge, catalog)))
    assert len(pdf) > len(quiet_handout(bridge, catalog))  # the code's modules are drawn


# -- the clinic's own picture ------------------------------------------------------------------------


def clinic_file(tmp_path, picture: str | None):
    text = template_text()
    if picture is not None:
        text = text.replace(
            'id = "half_kneeling_wall"', f'id = "half_kneeling_wall"\npicture = "{picture}"', 1
        )
    path = tmp_path / "my_clinic.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_clinics_own_picture_is_printed_for_its_stretch(tmp_path) -> None:
    (tmp_path / "pictures").mkdir()
    Image.new("RGB", (321, 207), "#3366aa").save(tmp_path / "pictures" / "wall.jpg", "JPEG")
    catalog = il.load_catalog(clinic_file(tmp_path, "pictures/wall.jpg"))
    stretch = catalog.stretch("half_kneeling_wall")
    assert stretch.picture == str(tmp_path / "pictures" / "wall.jpg")
    routine = il.build_routine(catalog, ABLE, only=["half_kneeling_wall"])
    reader = PdfReader(io.BytesIO(quiet_handout(routine, catalog)))
    sizes = [image.image.size for page in reader.pages for image in page.images]
    assert (321, 207) in sizes


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda p: p.write_text("not a picture"), "is not a PNG or JPEG picture"),
        (lambda p: Image.new("RGB", (300, 300)).save(p, "GIF"), "is a GIF picture; use PNG or JPEG"),
        (lambda p: Image.new("RGB", (40, 300)).save(p, "PNG"), "each side must be 100 to 6000"),
        # 100 million pixels: past Pillow's bomb warning, still said in the handout's own words
        (lambda p: Image.new("1", (10000, 10000)).save(p, "PNG"), "is 10000 x 10000 pixels; each side must"),
        (lambda p: p.write_bytes(b"\x89PNG" + bytes(2_100_000)), "a picture may be at most 2 MB"),
    ],
)
def test_a_wrong_picture_is_refused_at_load_naming_file_and_field(tmp_path, make, message) -> None:
    make(tmp_path / "wall.png")
    with pytest.raises(CatalogError) as info:
        il.load_catalog(clinic_file(tmp_path, "wall.png"))
    report = str(info.value)
    assert "my_clinic.toml" in report and "half_kneeling_wall" in report and "field 'picture'" in report
    assert message in report


def test_a_picture_is_refused_in_uploaded_content_and_when_missing(tmp_path) -> None:
    text = clinic_file(tmp_path, "wall.png").read_text(encoding="utf-8")
    with pytest.raises(CatalogError, match="a picture can only be given in a content file on disk"):
        il.load_catalog(il.ContentText("upload.toml", text))
    with pytest.raises(CatalogError, match="no picture file at"):
        il.load_catalog(clinic_file(tmp_path, "missing.png"))
    assert stretch_picture.MAX_BYTES == 2_000_000
