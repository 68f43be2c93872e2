"""pyproject.toml and environment.yml must describe the same runtime dependencies, and every way of
serving the dashboard (voila.json, Binder, JupyterHub) the same protections: sources hidden, no
tracebacks, no files served, idle kernels culled."""

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
    # The content snapshot lets a dashboard kernel skip pydantic: without it every visitor validates.
    for pattern in ("data/*.toml", "data/builtin_content.pickle", "widgets/*.js", "widgets/*.css"):
        assert pattern in package_data["iliopsoas_lib"]
        assert list((ROOT / "iliopsoas_lib").glob(pattern)), pattern


# Paths a visitor might ask Voilà's file handler for: all must be refused.
PROBE_PATHS = ("voila.json", "notebooks/dashboard.ipynb", ".env", "a/b/c.toml", "docs/anatomy_front.png")


def read_json(path: str) -> dict:
    import json

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
