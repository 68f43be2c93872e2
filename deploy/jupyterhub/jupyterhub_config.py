"""JupyterHub: every user gets the dashboard as their own Voilà app (each user has their own server).

Run it at the END of your hub's jupyterhub_config.py, after your own settings::

    exec(open("/path/to/this/repository/deploy/jupyterhub/jupyterhub_config.py").read())

It adds to your configuration and replaces nothing of it: the environment is updated, the culler service
and its role are appended only when no idle culler is configured yet (so running it twice, or on a hub that
already culls, adds nothing). ``exec`` rather than traitlets' ``load_subconfig``: a sub-config starts from
an empty configuration, so it could not see your culler; and ``load_subconfig`` silently does nothing when
the path is wrong, while ``exec`` stops the hub with an error.

The only setting it sets outright is ``Spawner.default_url``: that is the point of it.

Versions (see docs/deploy.md, "JupyterHub"): the single-user environment needs ``jupyterhub`` of the same
major.minor version as the hub (``jupyterhub-singleuser`` comes from that package; ``pip install '.[hub]'``
gives the version this repository is tested with); the hub's own environment needs
``jupyterhub-idle-culler``. Each user's server also needs ``deploy/jupyterhub/jupyter_server_config.json``
(in ``/etc/jupyter/``), which hides the notebook sources and adds the page that explains missing notebooks.
"""

import sys

c = get_config()  # type: ignore[name-defined]  # noqa: F821 - provided by JupyterHub

# Open a small page of the project's (iliopsoas_lib/server/hub_landing.py): it sends the user on to the
# dashboard rendered by Voilà's server extension (sources hidden), or, when the notebooks are not in their
# home yet, says so in plain words instead of a bare 404.
c.Spawner.default_url = "/iliopsoas"

# Each user's server is theirs alone, so keeping their session log on their own disk is private:
# the dashboard then saves it (atomically) to the user's data folder and reads it back next time.
# update(), not "=": the admin's own variables stay.
c.Spawner.environment.update({"ILIOPSOAS_SAVE_LOG": "1"})


def _configured(section, key: str) -> list:
    """What the configuration so far holds under ``section.key``: a list that was assigned, or the items
    appended to a list not assigned yet (traitlets keeps those as a LazyConfigValue until the hub starts)."""
    value = section.get(key, [])
    return value.get_value([]) if hasattr(value, "get_value") else list(value)


def _is_idle_culler(service: dict) -> bool:
    command = " ".join(str(part) for part in service.get("command", []))
    return service.get("name") == "idle-culler" or "jupyterhub_idle_culler" in command


# Stop servers nobody has used for an hour. The culler runs with the hub's own interpreter
# (sys.executable), which is where `pip install jupyterhub-idle-culler` put it: a bare "python3" may be
# another Python that lacks it, and then nothing is ever culled.
if not any(_is_idle_culler(service) for service in _configured(c.JupyterHub, "services")):
    c.JupyterHub.services.append(
        {
            "name": "idle-culler",
            "command": [sys.executable, "-m", "jupyterhub_idle_culler", "--timeout=3600"],
        }
    )
    if not any(role.get("name") == "idle-culler" for role in _configured(c.JupyterHub, "load_roles")):
        c.JupyterHub.load_roles.append(
            {
                "name": "idle-culler",
                "scopes": ["list:users", "read:users:activity", "read:servers", "delete:servers"],
                "services": ["idle-culler"],
            }
        )
