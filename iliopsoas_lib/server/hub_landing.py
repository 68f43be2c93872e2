"""Where a JupyterHub user's server opens: the dashboard if its notebook is in their home, else a plain note.

deploy/jupyterhub/jupyterhub_config.py points ``Spawner.default_url`` here rather than straight at Voilà's
page, because a user whose home lacks the notebooks (the guide's step 4 skipped, or not done yet for a new
user) would otherwise land on Voilà's bare 404 with no hint of what to do. The check is made on every visit,
through the server's contents manager (the same files Voilà would read), so once the admin copies the
notebooks a reload opens the dashboard. The user's query string (e.g. a patient link's ``rx``) is kept.

A Jupyter server extension, turned on by deploy/jupyterhub/jupyter_server_config.json
(``ServerApp.jpserver_extensions``); it adds the one page ``<base_url>iliopsoas``, for the signed-in owner of
the server only (the hub's own login and access checks apply, as to every page of that server).
"""

from __future__ import annotations

from typing import Any

from jupyter_server.base.handlers import JupyterHandler
from jupyter_server.utils import ensure_async, url_path_join
from tornado import web

#: The dashboard notebook, relative to the user's server root (their home folder on a hub).
DASHBOARD = "notebooks/dashboard.ipynb"
#: The landing page's path under the server's base URL (``Spawner.default_url`` is ``/`` + this).
LANDING_PATH = "iliopsoas"

#: Shown to a hub user whose home has no dashboard notebook. Short, plain words for the user, then one
#: line for the admin saying what to copy where.
MISSING_NOTEBOOKS_PAGE = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Not ready yet</title>
<style>
body { font: 1.125rem/1.5 system-ui, sans-serif; max-width: 36rem; margin: 2rem auto; padding: 0 1rem; }
.admin { font-size: 1rem; color: #333; border-top: 1px solid #999; padding-top: 1rem; margin-top: 2rem; }
</style>
</head>
<body>
<main>
<h1>Not ready yet</h1>
<p>The dashboard's notebooks are not in your home folder yet.</p>
<p>Ask your hub admin to add them. Then open this page again.</p>
<p class="admin">For the hub admin: copy the project's <code>notebooks</code> folder into this user's
home folder, so that <code>notebooks/dashboard.ipynb</code> is there (step 4 of the JupyterHub part of
docs/deploy.md).</p>
</main>
</body>
</html>
"""


class LandingHandler(JupyterHandler):
    """Send the owner on to the dashboard, or say plainly that its notebooks are missing."""

    @web.authenticated
    async def get(self) -> None:
        if await ensure_async(self.contents_manager.file_exists(DASHBOARD)):
            target = url_path_join(self.base_url, "voila/render", DASHBOARD)
            self.redirect(f"{target}?{self.request.query}" if self.request.query else target)
            return
        self.set_status(404)  # still a "not found", but one a person can act on
        self.set_header("Content-Type", "text/html; charset=utf-8")
        self.set_header("Cache-Control", "no-store")  # a reload after the admin's copy must look again
        self.finish(MISSING_NOTEBOOKS_PAGE)


def _jupyter_server_extension_points() -> list[dict[str, str]]:
    return [{"module": __name__}]


def _load_jupyter_server_extension(serverapp: Any) -> None:
    route = url_path_join(serverapp.base_url, LANDING_PATH)
    serverapp.web_app.add_handlers(".*$", [(route, LandingHandler)])
