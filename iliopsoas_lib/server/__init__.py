"""The dashboard's public server: Voilà with its settings applied at build time, a kernel cap and a busy page.

Run from the repository root (it reads ./voila.json), or from anywhere on the installed notebook and
settings (:func:`.launcher.serve`)::

    python -m iliopsoas_lib.server [--port N] [--ip IP]
    iliopsoas serve [--port N] [--ip IP]

See :mod:`.launcher` for what it changes in Voilà and why, :mod:`.kernels` for the cap and the culling of
pages that never connect, and docs/deploy.md for sizing.
"""

from __future__ import annotations

from .kernels import KernelCapReached, PublicKernelManager
from .launcher import PublicVoila, main

__all__ = ["KernelCapReached", "PublicKernelManager", "PublicVoila", "main"]
