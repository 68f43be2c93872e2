"""Shared fixtures. Browser fixtures live in tests/browser/conftest.py."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"


@pytest.fixture(scope="session")
def catalog():
    import iliopsoas_lib as il

    return il.load_catalog()
