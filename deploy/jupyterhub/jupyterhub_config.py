"""JupyterHub: every user gets the dashboard as their own Voilà app (each user has their own server).

Copy this next to your hub's configuration (or merge it in). The single-user image or environment
needs the project installed (``pip install .`` from this repository) and
``deploy/jupyterhub/jupyter_server_config.json`` in ``/etc/jupyter/`` (or the user's ``~/.jupyter/``),
which gives the Voilà server extension the same settings as the repository's voila.json.
See docs/deploy.md.
"""

c = get_config()  # type: ignore[name-defined]  # noqa: F821 - provided by JupyterHub

# Open the dashboard straight away, rendered by Voilà's server extension (sources hidden).
c.Spawner.default_url = "/voila/render/notebooks/dashboard.ipynb"
# Each user's server is theirs alone, so keeping their session log on their own disk is private:
# the dashboard then saves it (atomically) to the user's data folder and reads it back next time.
c.Spawner.environment = {"ILIOPSOAS_SAVE_LOG": "1"}
# Stop servers nobody has used for an hour (needs the jupyterhub-idle-culler service).
c.JupyterHub.services = [
    {
        "name": "idle-culler",
        "command": ["python3", "-m", "jupyterhub_idle_culler", "--timeout=3600"],
    }
]
c.JupyterHub.load_roles = [
    {
        "name": "idle-culler",
        "scopes": ["list:users", "read:users:activity", "read:servers", "delete:servers"],
        "services": ["idle-culler"],
    }
]
