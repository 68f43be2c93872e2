"""pyproject.toml and environment.yml must describe the same runtime dependencies."""

from __future__ import annotations

import re
import tomllib

from conftest import ROOT

NAME = re.compile(r"^\s*([A-Za-z0-9_.\-]+)\s*(.*)$")


def normalise(requirement: str) -> tuple[str, str]:
    match = NAME.match(requirement)
    assert match, requirement
    return re.sub(r"[-_.]+", "-", match.group(1)).lower(), match.group(2).replace(" ", "")


def pip_dependencies() -> dict[str, str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    return dict(normalise(req) for req in project["dependencies"])


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
    assert pip_dependencies() == conda_dependencies()


def test_the_required_dependencies_are_listed():
    assert {"jupyterlab", "ipywidgets", "matplotlib", "nbval", "voila"} <= set(pip_dependencies())


def test_python_version_agrees():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    assert project["requires-python"] == ">=3.11"
    assert "  - python>=3.11" in (ROOT / "environment.yml").read_text().splitlines()


def test_binder_installs_the_same_packages():
    assert conda_dependencies("binder/environment.yml") == conda_dependencies()
    assert "pip install --no-deps -e ." in (ROOT / "binder" / "postBuild").read_text()


def test_package_data_ships_what_the_app_reads():
    package_data = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["package-data"]
    for pattern in ("data/*.toml", "widgets/*.js", "widgets/*.css"):
        assert pattern in package_data["iliopsoas_lib"]
        assert list((ROOT / "iliopsoas_lib").glob(pattern)), pattern


def test_deploy_settings_match_the_apps_voila_json():
    import json

    app = json.loads((ROOT / "voila.json").read_text())["VoilaConfiguration"]
    for path in ("binder/jupyter_server_config.json", "deploy/jupyterhub/jupyter_server_config.json"):
        extension = json.loads((ROOT / path).read_text())["VoilaConfiguration"]
        for key in ("strip_sources", "show_tracebacks", "file_allowlist", "file_denylist"):
            assert extension[key] == app[key], (path, key)
