"""Shared fixtures. Browser fixtures live in tests/browser/conftest.py."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "tests" / "data"  # third-party test data kept in the repo, with its credit (README.md there)
SHARED = ROOT.parent / "shared"  # optional: reference material beside a clone, used only when present


@pytest.fixture(scope="session")
def catalog():
    import iliopsoas_lib as il

    return il.load_catalog()
