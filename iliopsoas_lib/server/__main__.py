"""``python -m iliopsoas_lib.server``: start the public dashboard server (see :func:`.launcher.main`)."""

from .launcher import main

main()
