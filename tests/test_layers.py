"""The layer rules of DESIGN.md, checked on the source: data flows down, never up."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT

import iliopsoas_lib as il
from iliopsoas_lib import widgets

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


MODEL_FILES = sorted(
    [p for p in PACKAGE.glob("*.py") if p.name != "__main__.py"]
    + list((PACKAGE / "biomechanics").glob("*.py"))
)
FIGURE_FILES = sorted((PACKAGE / "figures").glob("*.py"))
PRESENTATION_FILES = sorted((PACKAGE / "presentation").glob("*.py"))
#: Every layer above the model: the model hands data up and never imports any of them.
ABOVE_MODEL = {".widgets", ".figures", ".documents", ".presentation", ".server"}
DOCUMENT_FILES = sorted((PACKAGE / "documents").glob("*.py"))


@pytest.mark.parametrize("path", MODEL_FILES, ids=lambda p: p.name)
def test_model_does_not_import_views(path):
    roots = imported_roots(path)
    assert not roots & MODEL_FORBIDDEN, f"{path.name} imports {roots & MODEL_FORBIDDEN}"
    assert not ABOVE_MODEL & roots, f"{path.name} imports a layer above the model: {ABOVE_MODEL & roots}"


@pytest.mark.parametrize("path", PRESENTATION_FILES, ids=lambda p: p.name)
def test_presentation_builds_on_the_model_only(path):
    """Words and sounds made for people sit between the model and the views: they never import a view."""
    roots = imported_roots(path)
    assert not roots & FIGURES_FORBIDDEN and not {".widgets", ".documents", ".server"} & roots


@pytest.mark.parametrize("path", FIGURE_FILES, ids=lambda p: p.name)
def test_figures_do_not_import_widgets(path):
    roots = imported_roots(path)
    assert not roots & FIGURES_FORBIDDEN and ".widgets" not in roots


@pytest.mark.parametrize("path", DOCUMENT_FILES, ids=lambda p: p.name)
def test_documents_do_not_import_widgets(path):
    """The command line and the dashboard make the same handout: documents know figures, not widgets."""
    roots = imported_roots(path)
    assert not roots & FIGURES_FORBIDDEN and ".widgets" not in roots


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports_within_package(path: Path) -> set[str]:
    """Every module of the package that ``path`` imports, at any depth of the file (inside functions and
    ``if TYPE_CHECKING`` too: a cycle through a type-only import still ties two modules together)."""
    name = _module_name(path)
    base = name.split(".") if path.name == "__init__.py" else name.split(".")[:-1]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.level:
            anchor = ".".join(base[: len(base) - node.level + 1])
            if node.module:
                found.add(f"{anchor}.{node.module}")
            else:
                found |= {f"{anchor}.{alias.name}" for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("iliopsoas_lib."):
            found.add(node.module)
        elif isinstance(node, ast.Import):
            found |= {a.name for a in node.names if a.name.startswith("iliopsoas_lib.")}
    return found


def test_no_import_cycle():
    """Modules depend one way (issue 15 found routine -> text -> timer -> routine): a cycle means two
    modules can only be understood, tested and moved together."""
    modules = {_module_name(p): p for p in PACKAGE.rglob("*.py")}
    graph = {name: _imports_within_package(path) & set(modules) - {name} for name, path in modules.items()}
    done: set[str] = set()

    def visit(name: str, trail: list[str]) -> None:
        if name in trail:
            raise AssertionError("import cycle: " + " -> ".join([*trail[trail.index(name) :], name]))
        if name in done:
            return
        for target in sorted(graph[name]):
            visit(target, [*trail, name])
        done.add(name)

    for name in sorted(graph):
        visit(name, [])


@pytest.mark.parametrize("path", sorted(PACKAGE.rglob("*.py")), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_no_library_module_is_over_600_lines(path):
    """Small modules named after domain things: past 600 lines a module is doing more than one job."""
    lines = len(path.read_text(encoding="utf-8").splitlines())
    assert lines <= 600, f"{path.relative_to(PACKAGE)} has {lines} lines"


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
    for name in il.__all__:
        assert getattr(il, name) is not None
    with pytest.raises(AttributeError, match="no attribute 'nope'"):
        il.nope  # noqa: B018


def test_the_public_api_is_the_path_from_content_to_a_logged_routine():
    """The package's names are what a clinician's cell needs, each where its module defines it, and the
    type checkers' view (the ``TYPE_CHECKING`` imports) says the same: no test double, no demo data."""
    tree = ast.parse((PACKAGE / "__init__.py").read_text(encoding="utf-8"))
    guarded = next(n for n in tree.body if isinstance(n, ast.If) and ast.unparse(n.test) == "TYPE_CHECKING")
    typed = {
        alias.name: node.module
        for node in guarded.body
        if isinstance(node, ast.ImportFrom)
        for alias in node.names
    }
    assert typed == il._EXPORTS
    for name, module in il._EXPORTS.items():
        assert getattr(il, name).__module__ == f"iliopsoas_lib.{module}", name
    assert not {"FakeClock", "example_log"} & set(il.__all__)
    assert {"EmptyRoutineError", "plan_dosage", "DosagePlan", "weekly_goal"} <= set(il.__all__)
    assert "biomechanics" not in set(il._EXPORTS.values())  # its own module, with the figures extra


def test_a_function_notebooks_call_is_still_that_function_after_the_dashboard_is_imported() -> None:
    """A lazily exported function (``timer_view``, ``dashboard``...) must not share its name with a
    module of the package: once any view imports that module, Python puts the module in the function's
    place. A clinician who runs a dashboard cell, then notebook 07's timer cell, would get "'module'
    object is not callable". Checked in a fresh interpreter, the dashboard imported first."""
    functions = ", ".join(sorted(name for name in widgets._EXPORTS if name[0].islower()))
    code = (
        "from iliopsoas_lib.widgets import Dashboard\n"
        f"from iliopsoas_lib.widgets import {functions}\n"
        f"for f in ({functions},):\n"
        "    assert callable(f), f'{f!r} is not callable'\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr[-2000:]


@pytest.mark.parametrize("package", [il, widgets], ids=["iliopsoas_lib", "widgets"])
def test_no_lazily_exported_name_is_also_a_module_of_its_package(package) -> None:
    """The rule behind the test above, for names added later."""
    folder = Path(package.__file__).parent
    modules = {path.stem for path in folder.glob("*.py")}
    modules |= {path.name for path in folder.iterdir() if path.is_dir()}
    assert not set(package._EXPORTS) & modules
