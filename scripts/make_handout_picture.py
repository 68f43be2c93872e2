"""Render page 1 of a sample patient's handout to docs/handout_page1.png (for the README).

The sample patient is screened explicitly, as every real one must be (nothing is assumed): they
answered yes to knee pain and no to the other health questions, cannot kneel, have good balance, can
get down to the floor and have a firm bed.

Uses poppler's pdftoppm (Debian package poppler-utils) at a fixed resolution. Run from the repository
root:  python scripts/make_handout_picture.py
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import iliopsoas_lib as il
from iliopsoas_lib.documents.handout import make_handout

ROOT = Path(__file__).resolve().parents[1]

#: The sample patient's answers: every ability and every health question answered on purpose.
SAMPLE_PATIENT = il.Abilities(
    can_kneel=False,
    good_balance=True,
    can_get_to_floor=True,
    has_bed=True,
    has_table=False,
    conditions=frozenset({"knee_pain"}),
)


def main() -> int:
    if shutil.which("pdftoppm") is None:
        print("pdftoppm is missing: apt-get install -y poppler-utils", file=sys.stderr)
        return 1
    catalog = il.load_catalog()
    routine = il.build_routine(catalog, SAMPLE_PATIENT)
    pdf = make_handout(routine, catalog, patient_name="A. Patient", clinician_notes="Start gently; build up.")
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "handout.pdf"
        source.write_bytes(pdf)
        subprocess.run(
            [
                "pdftoppm",
                "-png",
                "-r",
                "60",
                "-f",
                "1",
                "-l",
                "1",
                "-singlefile",
                str(source),
                str(ROOT / "docs" / "handout_page1"),
            ],
            check=True,
        )
    print("wrote docs/handout_page1.png")
    return 0


if __name__ == "__main__":
    sys.exit(main())
