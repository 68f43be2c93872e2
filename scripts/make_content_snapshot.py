"""Write iliopsoas_lib/data/builtin_content.json: the built-in content files validated now (by the same
loader a clinician's file goes through), with the sha256 of each file and of the schema's structure.

A dashboard visitor's kernel reads this snapshot instead of validating the files, so it never imports
pydantic (see iliopsoas_lib/content_snapshot.py). It is used only while every hash still matches; after
editing a built-in file, or a field, type, limit or default in schema.py, the files are validated as
before, and a test fails until the snapshot is made again. The JSON is meant to be read in a diff.
Run after changing iliopsoas_lib/data/*.toml or iliopsoas_lib/schema.py:
    python scripts/make_content_snapshot.py
"""

from __future__ import annotations

import sys
from pathlib import Path

from iliopsoas_lib.catalog import CatalogError, builtin_snapshot
from iliopsoas_lib.content_snapshot import SNAPSHOT

TARGET = Path(__file__).resolve().parents[1] / "iliopsoas_lib" / "data" / SNAPSHOT


def main() -> int:
    try:
        text = builtin_snapshot()
    except CatalogError as exc:
        print(f"The built-in content has problems; no snapshot written.\n{exc}", file=sys.stderr)
        return 1
    TARGET.write_text(text, encoding="utf-8")
    print(f"wrote {TARGET} ({len(text.encode())} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
