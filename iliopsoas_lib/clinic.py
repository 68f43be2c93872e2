"""Helpers for clinicians adapting the explainer: the template content file, and loading content so that
a mistake prints the loader's report instead of a traceback (cells stay short and friendly)."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from .catalog import Catalog, CatalogError, ContentInput, load_catalog

TEMPLATE = "clinician_stretch.toml"


def template_text() -> str:
    """The commented template of a clinician's content file (one new stretch, one dose change)."""
    return (resources.files("iliopsoas_lib") / "templates" / TEMPLATE).read_text(encoding="utf-8")


def copy_template(destination: str | Path) -> Path:
    """Write the template to ``destination`` (refusing to overwrite a file) and return its path."""
    target = Path(destination)
    if target.exists():
        raise FileExistsError(f"{target} already exists: choose another name or edit that file")
    target.write_text(template_text(), encoding="utf-8")
    return target


def load_or_explain(*extra: ContentInput) -> Catalog | None:
    """Load the catalog with extra files; on a mistake, print the report (file, entry, field, expected)
    and return None, so a notebook cell shows the message, not a traceback."""
    try:
        return load_catalog(*extra)
    except CatalogError as error:
        print(error)
        return None
