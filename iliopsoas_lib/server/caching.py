"""How long a browser may keep each static file: forever when its URL changes with its content, else ask.

A phone's repeat visit should cost next to nothing: files whose URL names their content (a hash in the file
name, a ``?v=<hash>`` argument, or the versioned static folder) are cached for a year as ``immutable``, so the
browser does not even ask again. Every other file is ``no-cache``: kept, but checked with the server
(a 304 when unchanged), so a new release is never hidden behind an old copy. The page itself is never
cached (Voilà sends it ``no-store``): it holds the visitor's kernel id.
"""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Iterable
from typing import Any

__all__ = ["IMMUTABLE", "REVALIDATE", "CachePolicyMixin", "cache_control", "static_digest"]

IMMUTABLE = "public, max-age=31536000, immutable"
REVALIDATE = "no-cache"

#: A file name with a content hash of 8+ hex digits as its own dotted part: ``remoteEntry.5cbb9d23.js``,
#: ``568.1e2faa2ba0bbe59c4780.js``, ``9834b82ad26e2a37583d.woff2``. Voilà's ``5764.voila.js`` chunk names
#: are webpack chunk ids, not hashes (a new Voilà may reuse one for new code): they are versioned by
#: folder instead (:func:`static_digest`).
HASHED_NAME = re.compile(r"(?:^|\.)[0-9a-f]{8,}\.[A-Za-z0-9]+$")


def cache_control(url_path: str, versioned: bool = False) -> str:
    """The Cache-Control value for a file at ``url_path`` (``versioned``: its URL names its content)."""
    name = url_path.rsplit("/", 1)[-1]
    return IMMUTABLE if versioned or HASHED_NAME.search(name) else REVALIDATE


def static_digest(folders: Iterable[str]) -> str:
    """A short digest of every file (path, size, modification time) in the given folders.

    It names the versioned static folder ``/voila/static/v-<digest>/``: a Voilà upgrade or reinstall
    changes it, so an immutable cached chunk is never served for different code.
    """
    digest = hashlib.sha256()
    for folder in folders:
        for root, dirs, files in os.walk(folder):
            dirs.sort()
            for name in sorted(files):
                path = os.path.join(root, name)
                stat = os.stat(path)
                entry = f"{os.path.relpath(path, folder)}\0{stat.st_size}\0{stat.st_mtime_ns}\n"
                digest.update(entry.encode())
    return digest.hexdigest()[:16]


class CachePolicyMixin:
    """Put before a tornado ``StaticFileHandler`` class: sets Cache-Control by :func:`cache_control`.

    ``set_headers`` runs for full answers and for 304s alike, after the base class (and jupyter_server's
    ``FileFindHandler``, which marks every labextension file ``no-cache``) has set its own.
    """

    #: True on a route whose URL carries a version (the versioned static folder).
    versioned_route = False

    request: Any

    def set_headers(self) -> None:
        super().set_headers()  # type: ignore[misc]
        versioned = self.versioned_route or "v" in self.request.arguments
        self.set_header("Cache-Control", cache_control(self.request.path, versioned))  # type: ignore[attr-defined]
