"""pyproject.toml and environment.yml must describe the same dependencies, the light core must hold no
dashboard or test package, the wheel must carry the dashboard and the licences, and every way of serving
the dashboard (voila.json, Binder, JupyterHub) the same protections: sources hidden, no tracebacks, no
files served, idle kernels culled."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

import pytest
from conftest import ROOT

NAME = re.compile(r"^\s*([A-Za-z0-9_.\-]+)(\[[^\]]*\])?\s*(.*)$")
#: The design's five packages: environment.yml keeps them, whichever extra brings them.
DESIGN_PACKAGES = {"jupyterlab", "ipywidgets", "matplotlib", "nbval", "voila"}
#: Packages a clinician on the command line never needs: none may be in the core or loaded by the CLI.
NOT_IN_CORE = {"jupyterlab", "voila", "nbval", "pytest", "ipywidgets"}
#: Modules only the figures, the dashboard, the notebooks or the tests use (import names).
DASHBOARD_MODULES = {
    "matplotlib", "numpy",
    "jupyterlab", "voila", "nbval", "pytest", "ipywidgets", "anywidget", "websockets", "jupyter_server",
    "ipykernel", "tornado",
}


def normalise(requirement: str) -> tuple[str, str]:
    match = NAME.match(requirement)
    assert match, requirement
    return re.sub(r"[-_.]+", "-", match.group(1)).lower(), match.group(3).replace(" ", "")


def project() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]


def pip_dependencies(*extras: str) -> dict[str, str]:
    """The core dependencies and those of ``extras``; an extra that names the project's own (test
    includes ``iliopsoas-lib[dashboard]``) brings that one's too."""
    names: dict[str, str] = {}
    requirements = list(project()["dependencies"])
    for extra in extras:
        requirements += project()["optional-dependencies"][extra]
    for requirement in requirements:
        match = NAME.match(requirement)
        assert match, requirement
        if normalise(requirement)[0] == "iliopsoas-lib":
            names.update(pip_dependencies(*match.group(2).strip("[]").split(",")))
        else:
            names.update([normalise(requirement)])
    return names


def conda_dependencies(path: str = "environment.yml") -> dict[str, str]:
    """The conda-forge packages in an environment file (simple enough to read line by line)."""
    names: dict[str, str] = {}
    in_deps = False
    for line in (ROOT / path).read_text().splitlines():
        if line.startswith("dependencies:"):
            in_deps = True
        elif in_deps and re.match(r"^  - [^-]", line) and not line.strip().endswith(":"):
            name, spec = normalise(line.strip()[2:])
            if name not in {"python", "pip"}:
                names[name] = spec
    return names


def test_same_packages_and_versions():
    """environment.yml: the core, the dashboard extra and nbval (the notebooks' check), same versions."""
    nbval = {"nbval": pip_dependencies("test")["nbval"]}
    assert conda_dependencies() == {**pip_dependencies("dashboard"), **nbval}


def test_the_required_dependencies_are_listed():
    assert set(pip_dependencies("test")) >= DESIGN_PACKAGES
    assert set(conda_dependencies()) >= DESIGN_PACKAGES


def test_the_core_is_light():
    """A plain `pip install .` is the command line: no notebook server, dashboard or test tool, and no
    drawing library (the built-in pictures are stored; matplotlib and numpy are half a venv's size)."""
    assert not NOT_IN_CORE & set(pip_dependencies()), NOT_IN_CORE & set(pip_dependencies())
    assert not {"matplotlib", "numpy"} & set(pip_dependencies())
    assert {"matplotlib", "numpy"} <= set(pip_dependencies("dashboard"))
    assert {"jupyterlab", "ipywidgets", "voila"} <= set(pip_dependencies("dashboard"))


def test_the_test_extra_brings_the_dashboard_and_the_tools():
    extras = project()["optional-dependencies"]
    assert "iliopsoas-lib[dashboard]" in extras["test"]
    assert "iliopsoas-lib[dashboard]" in extras["hub"]  # a hub user's server renders the dashboard
    assert {"nbval", "pytest", "mypy"} <= set(pip_dependencies("test"))
    assert pip_dependencies("test")["mypy"] == "==2.4.1"


def test_the_command_line_loads_no_dashboard_package(tmp_path: Path):
    """Every command a clinician runs on the built-in content works with the core alone: no package of
    the figures or dashboard extras is even imported."""
    answers = ["--no-conditions", "--good-balance", "--bed"]
    runs = [
        ["list"],
        ["template", "-o", str(tmp_path / "mine.toml")],
        ["validate", str(tmp_path / "mine.toml")],
        ["handout", *answers, "-o", str(tmp_path / "handout.pdf")],
        ["calendar", *answers, "--tz", "Europe/Berlin", "-o", str(tmp_path / "plan.ics")],
    ]
    code = (
        "import json, sys\n"
        "from iliopsoas_lib.__main__ import main\n"
        f"codes = [main(argv) for argv in {runs!r}]\n"
        "loaded = sorted({name.split('.')[0] for name in sys.modules})\n"
        "print(json.dumps({'codes': codes, 'loaded': loaded}))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result["codes"] == [0] * len(runs)
    assert "iliopsoas_lib" in result["loaded"] and "reportlab" in result["loaded"]  # it did run
    assert not DASHBOARD_MODULES & set(result["loaded"]), DASHBOARD_MODULES & set(result["loaded"])


def test_python_version_agrees():
    assert project()["requires-python"] == ">=3.11"
    assert "  - python>=3.11" in (ROOT / "environment.yml").read_text().splitlines()


def test_binder_installs_the_same_packages():
    assert conda_dependencies("binder/environment.yml") == conda_dependencies()
    assert "pip install --no-deps -e ." in (ROOT / "binder" / "postBuild").read_text()


def test_licence_metadata():
    assert project()["license"] == "MIT"
    assert project()["license-files"] == ["LICENSE", "NOTICE"]
    assert "The iliopsoas explainer authors" in (ROOT / "LICENSE").read_text()
    notice = (ROOT / "NOTICE").read_text()
    for credit in ("gait2392", "CC BY 3.0", "Delp", "Seth A.", "hip_geometry.toml"):
        assert credit in notice, credit


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The project's wheel, built as pip builds it for `pip install .` (isolated, from this tree)."""
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(out), str(ROOT)],
        check=True, capture_output=True,
    )
    return next(out.glob("iliopsoas_lib-*.whl"))


def test_the_wheel_carries_the_dashboard_and_the_licences(wheel: Path):
    """`iliopsoas serve` needs the notebook and its settings in the package; each is the repository's own
    file, copied at build time (no second copy in the repository)."""
    from iliopsoas_lib.server.launcher import DASHBOARD_FILES, PACKAGED_APP  # where `serve` looks

    app = PACKAGED_APP.relative_to(ROOT).as_posix()
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        for name in DASHBOARD_FILES:  # setup.py's list must give the launcher these
            assert archive.read(f"{app}/{name}") == (ROOT / name).read_bytes(), name
        licences = {name.rsplit("/", 1)[-1] for name in names if ".dist-info/licenses/" in name}
        assert licences == {"LICENSE", "NOTICE"}
        metadata = archive.read(next(n for n in names if n.endswith(".dist-info/METADATA"))).decode()
    assert "License-Expression: MIT" in metadata
    assert not any(name.startswith(("tests/", "notebooks/", "mutants/")) for name in names)
    assert not list(ROOT.glob("iliopsoas_lib/server/app"))  # the only copies are the repository's


def test_package_data_ships_what_the_app_reads():
    package_data = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["package-data"]
    # The content snapshot lets a dashboard kernel skip pydantic: without it every visitor validates.
    for pattern in ("data/*.toml", "data/builtin_content.json", "widgets/*.js", "widgets/*.css"):
        assert pattern in package_data["iliopsoas_lib"]
        assert list((ROOT / "iliopsoas_lib").glob(pattern)), pattern


# Paths a visitor might ask Voilà's file handler for: all must be refused.
PROBE_PATHS = ("voila.json", "notebooks/dashboard.ipynb", ".env", "a/b/c.toml", "docs/anatomy_front.png")


def read_json(path: str) -> dict:
    return json.loads((ROOT / path).read_text())


def assert_no_file_is_served(voila: dict, where: str) -> None:
    """Voilà serves a file only if it fully matches an allowlist rule and no denylist rule."""
    assert voila["file_allowlist"] == [], f"{where}: file_allowlist must be empty"
    for path in PROBE_PATHS:
        assert any(re.fullmatch(rule, path, re.IGNORECASE) for rule in voila["file_denylist"]), (where, path)


def assert_idle_kernels_are_culled(config: dict, where: str) -> None:
    culler = config["MappingKernelManager"]
    assert isinstance(culler.get("cull_idle_timeout"), int) and culler["cull_idle_timeout"] > 0, where
    assert culler.get("cull_interval", 300) > 0, where


def test_the_apps_voila_json_hides_preheats_culls_and_serves_no_files():
    config = read_json("voila.json")
    voila = config["VoilaConfiguration"]
    assert voila["strip_sources"] is True and voila["show_tracebacks"] is False
    assert voila["preheat_kernel"] is True and voila["default_pool_size"] >= 1
    assert_idle_kernels_are_culled(config, "voila.json")
    assert_no_file_is_served(voila, "voila.json")


def test_deploy_settings_match_the_apps_voila_json():
    app = read_json("voila.json")
    for path in ("binder/jupyter_server_config.json", "deploy/jupyterhub/jupyter_server_config.json"):
        config = read_json(path)
        extension = config["VoilaConfiguration"]
        for key in ("strip_sources", "show_tracebacks", "file_allowlist", "file_denylist"):
            assert extension[key] == app["VoilaConfiguration"][key], (path, key)
        assert_no_file_is_served(extension, path)
        assert_idle_kernels_are_culled(config, path)
        for key in ("cull_idle_timeout", "cull_interval"):
            assert config["MappingKernelManager"][key] == app["MappingKernelManager"][key], (path, key)
        # Voilà's server extension has no kernel pool (only the standalone app preheats), so a pool
        # setting here would do nothing; if one is written anyway it must not contradict the app's.
        for key in ("preheat_kernel", "default_pool_size"):
            if key in extension:
                assert extension[key] == app["VoilaConfiguration"][key], (path, key)


def run_cli_without(
    folder: Path, modules: tuple[str, ...], *commands: list[str]
) -> subprocess.CompletedProcess[str]:
    """The command line run in ``folder`` with ``modules`` unimportable (as in a venv with the core only,
    or a damaged install): each command in turn, the process exiting with the last one's code."""
    code = "import sys\n" + "".join(f"sys.modules[{m!r}] = None\n" for m in modules)
    code += "from iliopsoas_lib.__main__ import main\n"
    code += "".join(f"code = main({c!r})\n" for c in commands) + "sys.exit(code)\n"
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=folder)


def test_a_drawing_without_the_figures_extra_says_what_to_install(tmp_path: Path):
    """A clinic's own stretch without a picture is drawn with matplotlib, which the light core leaves out:
    the command says which extra to install, in one line, never a traceback."""
    answers = ["--no-conditions", "--good-balance", "--bed", "--can-kneel", "--can-get-to-floor", "--table"]
    done = run_cli_without(
        tmp_path,
        ("matplotlib", "numpy"),
        ["template", "-o", "mine.toml"],
        ["handout", "--extra", "mine.toml", *answers, "-o", "handout.pdf"],
    )
    assert done.returncode == 2, done.stderr
    assert "Traceback" not in done.stderr
    assert "pip install 'iliopsoas-lib[figures]'" in done.stderr
    assert not (tmp_path / "handout.pdf").exists()


def test_a_broken_install_is_not_blamed_on_an_extra(tmp_path: Path):
    """Only the packages an extra brings are said to be left out by the light install; any other missing
    module (a damaged install) is reported as it is, not as "pip install the dashboard extra"."""
    lost = ("iliopsoas_lib.documents.calendar_plan",)  # as if the file were lost
    done = run_cli_without(tmp_path, lost, ["calendar", "--no-conditions", "--bed", "-o", "plan.ics"])
    assert done.returncode != 0 and "iliopsoas-lib[" not in done.stderr, done.stderr
    assert "calendar_plan" in done.stderr


def test_serve_without_the_dashboard_extra_says_what_to_install(tmp_path: Path):
    done = run_cli_without(tmp_path, ("voila",), ["serve", "--port", "1"])
    assert done.returncode == 2 and "Traceback" not in done.stderr, done.stderr
    assert "pip install 'iliopsoas-lib[dashboard]'" in done.stderr
