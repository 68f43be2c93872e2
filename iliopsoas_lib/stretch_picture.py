"""A clinic's own picture of its own stretch: the ``picture`` field of a ``[[stretch]]`` in a content file.

The field holds a path relative to the content file (``picture = "pictures/wall_lunge.jpg"``). It is
checked when the file is loaded, so a wrong file is refused at once with the file and field named, not
found out when a handout is printed: the picture must be PNG or JPEG by its content (Pillow reads its
header; a name ending in ``.png`` proves nothing), at most :data:`MAX_BYTES`, and between
:data:`MIN_PIXELS` and :data:`MAX_PIXELS` on each side (a huge image is a memory bomb in a kernel).

Content that is not a file on disk (an upload in the shared dashboard) has no folder to look in, and
a stranger's upload must not read the server's files: a picture there is refused.
"""

from __future__ import annotations

import io
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    from .schema import ContentFile

#: At most 2 MB: a phone photo saved for print, not a raw camera file.
MAX_BYTES = 2_000_000
#: Pixels on each side: at least enough to print, at most what a handout can use.
MIN_PIXELS, MAX_PIXELS = 100, 6000
#: The formats a PDF and a browser both show, as Pillow names them.
FORMATS = ("PNG", "JPEG")


class PictureError(ValueError):
    """A stretch picture that cannot be used; the message says which rule it breaks, in plain words."""


def read_picture(path: Path) -> bytes:
    """The picture's bytes after every check; :class:`PictureError` says what is wrong."""
    from PIL import Image, UnidentifiedImageError

    if not path.is_file():
        raise PictureError(f"no picture file at {path}")
    size = path.stat().st_size
    if size > MAX_BYTES:
        raise PictureError(
            f"{path.name} is {size / 1e6:.1f} MB; a picture may be at most {MAX_BYTES / 1e6:g} MB"
        )
    data = path.read_bytes()
    try:
        with Image.open(io.BytesIO(data)) as image:
            kind, (width, height) = image.format, image.size
            if kind in FORMATS and max(width, height) <= MAX_PIXELS:
                image.verify()  # reads the whole file: a cut-off or damaged picture fails here
    except (UnidentifiedImageError, OSError, SyntaxError, Image.DecompressionBombError) as exc:
        raise PictureError(f"{path.name} is not a PNG or JPEG picture ({exc.__class__.__name__})") from None
    if kind not in FORMATS:
        raise PictureError(f"{path.name} is a {kind} picture; use PNG or JPEG")
    if not min(width, height) >= MIN_PIXELS or max(width, height) > MAX_PIXELS:
        raise PictureError(
            f"{path.name} is {width} x {height} pixels; each side must be {MIN_PIXELS} to {MAX_PIXELS}"
        )
    return data


def resolve_pictures(
    content: ContentFile, content_path: Path | None
) -> tuple[ContentFile, list[tuple[int, str, str]]]:
    """Each stretch's ``picture`` made an absolute path next to the content file, and checked.

    Returns the content with resolved paths, and the problems as (index in the file's stretches,
    stretch id, message) for the loader to report against the file, the entry and the ``picture``
    field. ``content_path`` None (content that is not a file on disk) refuses every picture.
    """
    problems: list[tuple[int, str, str]] = []
    stretches = []
    for index, stretch in enumerate(content.stretch):
        picture = getattr(stretch, "picture", None)
        if picture is None:
            stretches.append(stretch)
            continue
        if content_path is None:
            problems.append((index, stretch.id, "a picture can only be given in a content file on disk"))
            continue
        relative = Path(picture)
        if relative.is_absolute():
            problems.append(
                (index, stretch.id, f"give the picture's path relative to this file, not {picture!r}")
            )
            continue
        path = (content_path.parent / relative).resolve()
        try:
            read_picture(path)
        except PictureError as exc:
            problems.append((index, stretch.id, str(exc)))
            continue
        stretches.append(replace(stretch, picture=str(path)))
    return replace(content, stretch=stretches), problems


__all__ = [
    "FORMATS",
    "MAX_BYTES",
    "MAX_PIXELS",
    "MIN_PIXELS",
    "PictureError",
    "read_picture",
    "resolve_pictures",
]
