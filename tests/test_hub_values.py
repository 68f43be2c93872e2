"""deploy/kubernetes/values.yaml: only keys the Zero to JupyterHub chart documents, and the same hub as
deploy/jupyterhub/ (issue 16, point 3).

The chart ignores a key it does not know (a typo gives a hub that silently lacks the setting), so each
key used is checked against the list below, written from the chart's documentation, with where each is
documented. deploy/jupyterhub/jupyterhub_config.py is read as text, not run: its form (assign, update,
append) may change while the settings it carries must not.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import yaml

from iliopsoas_lib.widgets.app import SAVE_LOG_ENV

ROOT = Path(__file__).resolve().parents[1]
VALUES = ROOT / "deploy" / "kubernetes" / "values.yaml"
HUB_CONFIG = ROOT / "deploy" / "jupyterhub" / "jupyterhub_config.py"

REFERENCE = "https://z2jh.jupyter.org/en/stable/resources/reference.html"
GUIDE = "https://z2jh.jupyter.org/en/stable/jupyterhub/customizing"

#: Keys of the chart this project may use, each with the page that documents it. A key that ends in
#: ``*`` takes a mapping of the user's own names (environment variables, a Kubernetes lifecycle spec),
#: so what is under it is not the chart's to document.
DOCUMENTED: dict[str, str] = {
    "singleuser.image.name": f"{GUIDE}/user-environment.html#existing-docker-image",
    "singleuser.image.tag": f"{GUIDE}/user-environment.html#existing-docker-image",
    "singleuser.defaultUrl": f"{REFERENCE}#singleuser-defaulturl",
    "singleuser.extraEnv*": f"{REFERENCE}#singleuser-extraenv",
    "singleuser.storage.type": f"{REFERENCE}#singleuser-storage",
    "singleuser.storage.capacity": f"{GUIDE}/user-storage.html#size-of-storage-provisioned",
    "singleuser.storage.dynamic.storageClass": f"{GUIDE}/user-storage.html",
    "singleuser.lifecycleHooks*": f"{GUIDE}/user-environment.html#add-files-to-home",
    "singleuser.initContainers*": f"{REFERENCE}#singleuser-initcontainers",
    "singleuser.extraFiles*": f"{REFERENCE}#singleuser-extrafiles",
    "singleuser.cmd": f"{REFERENCE}#singleuser-cmd",
    "singleuser.memory.guarantee": f"{GUIDE}/user-resources.html#memory-cpu-limits",
    "singleuser.memory.limit": f"{GUIDE}/user-resources.html#memory-cpu-limits",
    "singleuser.cpu.guarantee": f"{GUIDE}/user-resources.html#memory-cpu-limits",
    "singleuser.cpu.limit": f"{GUIDE}/user-resources.html#memory-cpu-limits",
    "cull.enabled": f"{REFERENCE}#cull",
    "cull.timeout": f"{REFERENCE}#cull",
    "cull.every": f"{REFERENCE}#cull",
    "cull.maxAge": f"{REFERENCE}#cull",
    "hub.extraConfig*": "https://z2jh.jupyter.org/en/stable/administrator/advanced.html#hub-extraconfig",
}
#: What makes a second culler: the idle culler's module named in a hub service or in extra hub config.
CULLER = re.compile(r"idle[_-]culler", re.I)


def values() -> dict[str, Any]:
    return yaml.safe_load(VALUES.read_text())


def keys(tree: Mapping[str, Any], prefix: str = "") -> Iterator[str]:
    """Every key path in ``tree``, down to the leaves or to a key that holds the user's own names."""
    for key, value in tree.items():
        path = f"{prefix}{key}"
        if f"{path}*" in DOCUMENTED:
            yield f"{path}*"
        elif isinstance(value, Mapping) and value:
            yield from keys(value, f"{path}.")
        else:
            yield path


def hub_default_urls(text: str) -> set[str]:
    """The URLs the hub config gives ``default_url`` (``c.Spawner.default_url = "..."``)."""
    return set(re.findall(r"""\bdefault_url\s*=\s*["']([^"']+)["']""", text))


def test_the_values_file_uses_only_keys_the_chart_documents() -> None:
    used = list(keys(values()))
    assert used, "values.yaml holds no keys"
    unknown = [key for key in used if key not in DOCUMENTED]
    assert not unknown, f"not among the chart's documented keys: {unknown}"


def test_each_key_in_the_values_file_links_to_its_documentation() -> None:
    text = VALUES.read_text()
    used = [key for key in keys(values()) if key in DOCUMENTED]  # the others fail the test above
    missing = {key: DOCUMENTED[key] for key in used if DOCUMENTED[key] not in text}
    assert not missing, f"no link in values.yaml to where these keys are documented: {missing}"


def test_the_chart_culls_and_no_second_culler_is_added() -> None:
    tree = values()
    assert tree["cull"]["enabled"] is True
    assert tree["cull"]["timeout"] > 0 and tree["cull"]["every"] > 0
    hub = tree.get("hub", {})
    extra = hub.get("extraConfig", {})
    snippets = extra.values() if isinstance(extra, Mapping) else [extra]
    assert not any(CULLER.search(str(snippet)) for snippet in snippets), "a culler in hub.extraConfig"
    assert not any(CULLER.search(str(service)) for service in hub.get("services", {}).values())


def test_the_default_url_is_the_one_the_hub_config_opens() -> None:
    urls = hub_default_urls(HUB_CONFIG.read_text())
    assert len(urls) == 1, f"expected one dashboard URL in {HUB_CONFIG.name}, found {urls}"
    assert values()["singleuser"]["defaultUrl"] == urls.pop()


def test_the_environment_is_the_one_the_hub_config_sets() -> None:
    text = HUB_CONFIG.read_text()
    name = re.escape(SAVE_LOG_ENV)
    found = re.findall(rf"""["']{name}["']\s*:\s*["']([^"']*)["']|\b{name}\s*=\s*["']([^"']*)["']""", text)
    assert found, f"{SAVE_LOG_ENV} is not set in {HUB_CONFIG.name}"
    (setting,) = {a or b for a, b in found}
    assert values()["singleuser"]["extraEnv"] == {SAVE_LOG_ENV: setting}


def test_the_notebooks_are_copied_from_outside_home_to_where_the_landing_page_looks() -> None:
    """A persistent home hides what an image has under home, so the notebooks come from elsewhere, and
    land where the hub's landing page looks for the dashboard (relative to the home)."""
    from iliopsoas_lib.server.hub_landing import DASHBOARD

    single = values()["singleuser"]
    assert single["storage"]["type"] == "dynamic"  # a home kept across restarts: the log lives there
    command = " ".join(single["lifecycleHooks"]["postStart"]["exec"]["command"])
    copied = re.search(r'cp -R (\S+)/\. "\$HOME/([^"]+)/"', command)
    assert copied, command
    source, target = copied.groups()
    assert not source.startswith(("/home", "~", "$HOME"))
    assert DASHBOARD.startswith(f"{target}/")
    assert (ROOT / DASHBOARD).is_file()  # the image copies the repository's notebooks/ to the source
