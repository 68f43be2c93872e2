"""Write iliopsoas_lib/data/builtin_content.pickle: the built-in content files validated now (by the same
loader a clinician's file goes through), with the sha256 of each file and of the schema.

A dashboard visitor's kernel reads this snapshot instead of validating the files, so it never imports
pydantic. The snapshot is used only while every hash still matches; after editing a built-in file (or
the schema) the files are validated as before, and the tests fail until the snapshot is made again.
Run after changing iliopsoas_lib/data/*.toml or iliopsoas_lib/schema.py:
    python scripts/make_content_snapshot.py
"""

from __future__ import annotations

import sys
from pathlib import Path

from iliopsoas_lib.catalog import SNAPSHOT, CatalogError, builtin_snapshot

TARGET = Path(__file__).resolve().parents[1] / "iliopsoas_lib" / "data" / SNAPSHOT


def main() -> int:
    try:
        data = builtin_snapshot()
    except CatalogError as exc:
        print(f"The built-in content has problems; no snapshot written.\n{exc}", file=sys.stderr)
        return 1
    TARGET.write_bytes(data)
    print(f"wrote {TARGET} ({len(data)} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
