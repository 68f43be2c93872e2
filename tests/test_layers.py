"""The layer rules of DESIGN.md, checked on the source: data flows down, never up."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT

PACKAGE = ROOT / "iliopsoas_lib"
MODEL_FORBIDDEN = {"ipywidgets", "IPython", "matplotlib", "anywidget", "traitlets"}
FIGURES_FORBIDDEN = {"ipywidgets", "IPython", "anywidget"}


def imported_roots(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    roots = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            roots |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            roots.add(node.module.split(".")[0])
        elif isinstance(node, ast.ImportFrom) and node.level and node.module:
            roots.add("." + node.module.split(".")[0])
    return roots


MODEL_FILES = sorted(p for p in PACKAGE.glob("*.py") if p.name != "__main__.py")
FIGURE_FILES = sorted((PACKAGE / "figures").glob("*.py"))
DOCUMENT_FILES = sorted((PACKAGE / "documents").glob("*.py"))


@pytest.mark.parametrize("path", MODEL_FILES, ids=lambda p: p.name)
def test_model_does_not_import_views(path):
    roots = imported_roots(path)
    assert not roots & MODEL_FORBIDDEN, f"{path.name} imports {roots & MODEL_FORBIDDEN}"
    assert not {".widgets", ".figures"} & roots, f"{path.name} imports a layer above the model"


@pytest.mark.parametrize("path", FIGURE_FILES, ids=lambda p: p.name)
def test_figures_do_not_import_widgets(path):
    roots = imported_roots(path)
    assert not roots & FIGURES_FORBIDDEN and ".widgets" not in roots


@pytest.mark.parametrize("path", DOCUMENT_FILES, ids=lambda p: p.name)
def test_documents_do_not_import_widgets(path):
    """The command line and the dashboard make the same handout: documents know figures, not widgets."""
    roots = imported_roots(path)
    assert not roots & FIGURES_FORBIDDEN and ".widgets" not in roots


def test_import_is_lazy():
    """Importing the package loads no heavy dependency: a dashboard kernel pays only for what it uses."""
    code = "import sys, iliopsoas_lib; print(' '.join(sorted(sys.modules)))"
    loaded = set(
        subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, check=True
        ).stdout.split()
    )
    assert not loaded & {"numpy", "matplotlib", "pydantic", "ipywidgets", "reportlab"}


def test_a_dashboard_visitors_kernel_imports_no_pydantic():
    """The dashboard shows only the built-in content, read from its validated snapshot: building the page
    and opening its parts loads neither pydantic nor its core (about 9 MB per visitor)."""
    code = (
        "import sys; from iliopsoas_lib.widgets import dashboard; d = dashboard(); "
        "d.picker.answer(**dict.fromkeys(d.picker.boxes, True)); d.picker.answer_health(); "
        "d.log_view.log_today(); d.stretches.expand(); d.muscles.expand(); "
        "print(' '.join(sorted(m for m in sys.modules if m.split('.')[0] in ('pydantic', 'pydantic_core'))))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "", f"the dashboard imported {done.stdout.strip()}"


def test_the_content_schema_imports_no_pydantic():
    code = "import sys, iliopsoas_lib.schema, iliopsoas_lib.catalog; print('pydantic' in sys.modules)"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "False"


def test_public_names_resolve():
    import iliopsoas_lib as il

    for name in il.__all__:
        assert getattr(il, name) is not None
    with pytest.raises(AttributeError, match="no attribute 'nope'"):
        il.nope  # noqa: B018
