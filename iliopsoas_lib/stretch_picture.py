"""A clinic's own picture of its own stretch: the ``picture`` field of a ``[[stretch]]`` in a content file.

The field holds a path relative to the content file (``picture = "pictures/wall_lunge.jpg"``). It is
checked when the file is loaded, so a wrong file is refused at once with the file and field named, not
found out when a handout is printed: the picture must be PNG or JPEG by its content (Pillow decodes it;
a name ending in ``.png`` proves nothing), at most :data:`MAX_BYTES`, and between :data:`MIN_PIXELS` and
:data:`MAX_PIXELS` on each side (a huge image is a memory bomb in a kernel). The file is read once, when
its content file is loaded: the catalog keeps the checked bytes, and the handout prints those.

Content that is not a file on disk (an upload in the shared dashboard) has no folder to look in, and
a stranger's upload must not read the server's files: a picture there is refused.
"""

from __future__ import annotations

import io
import warnings
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    from PIL.Image import Image

    from .schema import ContentFile

#: At most 2 MB: a phone photo saved for print, not a raw camera file.
MAX_BYTES = 2_000_000
#: Pixels on each side: at least enough to print, at most what a handout can use.
MIN_PIXELS, MAX_PIXELS = 100, 6000
#: The formats a PDF and a browser both show, as Pillow names them.
FORMATS = ("PNG", "JPEG")


class PictureError(ValueError):
    """A stretch picture that cannot be used; the message says which rule it breaks, in plain words."""


def open_picture(data: bytes, formats: Sequence[str], fits: Callable[[int, int], str | None]) -> Image:
    """The picture in ``data``, decoded by Pillow after the checks every picture from outside gets: the
    one check of a picture, for a clinic's stretch picture here and a notebook's picture in the slides.

    Pillow reads the header first (any format it knows, so a GIF is named as one); the format must be
    one of ``formats`` and ``fits(width, height)`` must find nothing wrong (it returns what is wrong)
    before a single pixel is decoded (Pillow refuses a decompression bomb of twice its limit). Then the
    whole picture is decoded, so a cut-off or damaged file fails here, not when it is printed. Raises
    :class:`PictureError` saying what is wrong, in words that follow the file's name.
    """
    from PIL import Image as PILImage

    wanted = " or ".join(formats)
    try:
        with warnings.catch_warnings():
            # The size is judged by ``fits`` before any pixel is decoded, in the caller's words; Pillow's own
            # warning would speak first and less clearly. Past twice its limit Pillow still refuses outright.
            warnings.simplefilter("ignore", PILImage.DecompressionBombWarning)
            image = PILImage.open(io.BytesIO(data))
            if image.format not in formats:
                raise PictureError(f"is a {image.format} picture; use {wanted}")
            wrong = fits(*image.size)
            if wrong:
                raise PictureError(wrong)
            image.load()
    except PictureError:
        raise
    except Exception as error:  # Pillow reports a broken file with many kinds of error (OSError,
        # SyntaxError, EOFError, zlib.error...): any of them means the data is not a picture to use.
        raise PictureError(f"is not a {wanted} picture ({type(error).__name__})") from None
    return image


def _fits_a_handout(width: int, height: int) -> str | None:
    if min(width, height) >= MIN_PIXELS and max(width, height) <= MAX_PIXELS:
        return None
    return f"is {width} x {height} pixels; each side must be {MIN_PIXELS} to {MAX_PIXELS}"


def read_picture(path: Path) -> bytes:
    """The picture's bytes after every check; :class:`PictureError` says what is wrong."""
    if not path.is_file():
        raise PictureError(f"no picture file at {path}")
    size = path.stat().st_size
    if size > MAX_BYTES:
        raise PictureError(
            f"{path.name} is {size / 1e6:.1f} MB; a picture may be at most {MAX_BYTES / 1e6:g} MB"
        )
    data = path.read_bytes()
    try:
        open_picture(data, FORMATS, _fits_a_handout).close()
    except PictureError as exc:
        raise PictureError(f"{path.name} {exc}") from None
    return data


def resolve_pictures(
    content: ContentFile, content_path: Path | None
) -> tuple[ContentFile, list[tuple[int, str, str]], dict[str, bytes]]:
    """Each stretch's ``picture`` made an absolute path next to the content file, read and checked.

    Returns the content with resolved paths; the problems as (index in the file's stretches, stretch
    id, message) for the loader to report against the file, the entry and the ``picture`` field; and
    each checked picture's bytes by its resolved path, which the catalog keeps (``Catalog.pictures``) so
    a handout prints the very bytes that were checked, without reading the file again.
    ``content_path`` None (content that is not a file on disk) refuses every picture.
    """
    problems: list[tuple[int, str, str]] = []
    pictures: dict[str, bytes] = {}
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
            pictures[str(path)] = read_picture(path)
        except PictureError as exc:
            problems.append((index, stretch.id, str(exc)))
            continue
        stretches.append(replace(stretch, picture=str(path)))
    return replace(content, stretch=tuple(stretches)), problems, pictures


__all__ = [
    "FORMATS",
    "MAX_BYTES",
    "MAX_PIXELS",
    "MIN_PIXELS",
    "PictureError",
    "open_picture",
    "read_picture",
    "resolve_pictures",
]
