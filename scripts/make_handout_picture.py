"""Render handout pages to PNG for the README, each from a sample patient screened explicitly, as every
real one must be (nothing is assumed):

- docs/handout_page1.png: page 1 for a patient who answered yes to knee pain and no to the other health
  questions, cannot kneel, has good balance, can get down to the floor and has a firm bed;
- docs/handout_large_print.png: page 3 in large print (the health answers, the routine table, before you
  start), from a handout with the clinician's name, contact and notes;
- docs/handout_scripts.png: Vietnamese, Chinese and Arabic names, and the patient link's QR code.

Uses poppler's pdftoppm (Debian package poppler-utils, installed by scripts/test.sh) at a fixed
resolution. Run from the repository root:  python scripts/make_handout_picture.py [--out FOLDER]
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import iliopsoas_lib as il
from iliopsoas_lib.documents.handout import HandoutOptions, make_handout
from iliopsoas_lib.routine import ABILITY_FIELDS

DOCS = Path(__file__).resolve().parents[1] / "docs"
DAY = date(2026, 11, 25)  # a fixed date: the pictures change only when the handout does

#: The first sample patient's answers: every ability and every health question answered on purpose.
SAMPLE_PATIENT = il.Abilities(
    can_kneel=False,
    good_balance=True,
    can_get_to_floor=True,
    has_bed=True,
    has_table=False,
    conditions=frozenset({"knee_pain"}),
)
ABLE = il.Abilities(**dict.fromkeys(ABILITY_FIELDS, True), conditions=frozenset())


@dataclass(frozen=True)
class Picture:
    abilities: il.Abilities
    options: HandoutOptions
    only: tuple[str, ...] | None = None
    dpi: int = 80
    pages: tuple[int, int] = field(default=(1, 1))


PICTURES = {
    "handout_page1": Picture(
        SAMPLE_PATIENT,
        HandoutOptions(patient_name="A. Patient", clinician_notes="Start gently; build up.", made_on=DAY),
        dpi=60,
    ),
    "handout_large_print": Picture(
        ABLE,
        HandoutOptions(
            large_print=True,
            patient_name="Ann Example",
            clinician="Dr Sam Lee",
            contact="Hip Clinic, 555 0100",
            made_on=DAY,
            clinician_notes="Walk every day.\nStretch after the walk.",
        ),
        only=("glute_bridge", "hip_flexor_bed"),
        pages=(3, 3),
    ),
    "handout_scripts": Picture(
        ABLE,
        HandoutOptions(
            patient_name="Zoë Nguyễn 李雷 محمد علي",
            clinician="Dr Ewa Łukasz / 山田花子",
            contact="Hip Clinic, 555 0100",
            made_on=DAY,
            prescription_url="https://stretch.example.org/?rx=example",
        ),
        only=("glute_bridge", "hip_flexor_bed"),
    ),
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--out", type=Path, default=DOCS, help="folder to write to (default: docs/)")
    out: Path = parser.parse_args(argv).out
    out.mkdir(parents=True, exist_ok=True)
    if shutil.which("pdftoppm") is None:
        print("pdftoppm is missing: apt-get install -y poppler-utils", file=sys.stderr)
        return 1
    catalog = il.load_catalog()
    with tempfile.TemporaryDirectory() as folder:
        for name, picture in PICTURES.items():
            routine = il.build_routine(catalog, picture.abilities, only=picture.only)
            pdf = Path(folder) / f"{name}.pdf"
            pdf.write_bytes(make_handout(routine, catalog, picture.options))
            first, last = picture.pages
            pages = ["-f", str(first), "-l", str(last), "-singlefile"]
            command = ["pdftoppm", "-png", "-r", str(picture.dpi), *pages, str(pdf), str(out / name)]
            subprocess.run(command, check=True)
            print(f"wrote {out / name}.png")
    return 0


if __name__ == "__main__":
    sys.exit(main())
