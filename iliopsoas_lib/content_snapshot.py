"""The built-in content validated in advance, as reviewable JSON (``data/builtin_content.json``).

A dashboard visitor's kernel shows only the built-in content. Validating it means importing pydantic and
building its validators: measured with ``benchmarks/bench_content_snapshot.py``, about 11 MB and 100 ms
for the catalog alone, 9 MB and 0.3 s for a whole dashboard kernel. So the validated content ships as
JSON (the entries as validation made them: whitespace stripped, defaults filled in), and the objects are
rebuilt from it with the standard library, guided by the schema's own type hints.

The snapshot says what it was made from, and is used only while both still hold:

- the sha256 of each built-in file's bytes (an edited file is validated, never served stale);
- the schema's *structure* (:func:`schema_fingerprint`): every content model's fields with their types,
  limits and defaults, and each choice list's values. A comment or docstring edit in ``schema.py``
  changes nothing here; a new field, a changed default or a changed limit does.

A rule written as code (a ``__post_init__`` check) is not part of the structure: after changing one, the
test that the committed snapshot is current fails until ``python scripts/make_content_snapshot.py`` is run
(it validates the files afresh).
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import types
import typing
from collections.abc import Callable, Mapping
from enum import Enum
from functools import cache
from typing import Any

from .content_errors import field_hints
from .schema import ContentFile

#: The file in ``data/``, beside the files it was made from.
SNAPSHOT = "builtin_content.json"
#: Bumped when the snapshot's own layout changes, so an old snapshot is never misread.
FORMAT = 2

BuiltinContent = tuple[tuple[str, ContentFile], ...]


def _describe(hint: Any) -> str:
    """A type as text that names no module, so that the same structure always reads the same."""
    origin = typing.get_origin(hint)
    if origin is typing.Annotated:
        base, *limits = typing.get_args(hint)
        return f"{_describe(base)} with {', '.join(map(repr, limits))}"
    if origin is typing.Literal:
        return f"one of {typing.get_args(hint)!r}"
    if origin is not None:
        name = getattr(origin, "__name__", None) or str(origin)
        return f"{name}[{', '.join(_describe(arg) for arg in typing.get_args(hint))}]"
    if hint is Ellipsis:
        return "..."
    return hint.__qualname__ if isinstance(hint, type) else repr(hint)


def _types_in(hint: Any) -> set[type]:
    """The classes a type mentions, at any depth (``tuple[Caution, ...] | None`` -> {Caution, NoneType})."""
    found: set[type] = {hint} if isinstance(hint, type) else set()
    for arg in typing.get_args(hint):
        found |= _types_in(arg)
    return found


@cache
def schema_fingerprint(root: type = ContentFile) -> str:
    """The sha256 of the structure of ``root`` and every model and choice list it reaches (worked out once
    per process: the classes do not change while it runs).

    Each model gives its fields in order, each with its type (limits included) and its default; each
    enumeration gives its values. Read from the classes, not from the text of ``schema.py``.
    """
    structure: dict[str, object] = {}
    todo = [root]
    while todo:
        model = todo.pop()
        if model.__qualname__ in structure:
            continue
        if isinstance(model, type) and issubclass(model, Enum):
            structure[model.__qualname__] = [member.value for member in model]
        elif dataclasses.is_dataclass(model):
            hints = field_hints(model)
            fields = []
            for f in dataclasses.fields(model):
                if f.default is not dataclasses.MISSING:
                    default = repr(f.default)
                elif f.default_factory is not dataclasses.MISSING:
                    default = repr(f.default_factory())
                else:
                    default = "required"
                fields.append([f.name, _describe(hints[f.name]), default])
                reached = _types_in(hints[f.name])
                todo += [t for t in reached if dataclasses.is_dataclass(t) or issubclass(t, Enum)]
            structure[model.__qualname__] = fields
    text = json.dumps(structure, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()


def files_fingerprint(texts: Mapping[str, bytes]) -> dict[str, str]:
    """The sha256 of each built-in file's bytes, by file name."""
    return {filename: hashlib.sha256(data).hexdigest() for filename, data in texts.items()}


def dumps(content: BuiltinContent, texts: Mapping[str, bytes]) -> str:
    """The snapshot of ``content`` (validated from ``texts``) as JSON text: fields in the schema's order,
    choices as their values, one item a line, so a change to the content reads as a small diff."""
    snapshot = {
        "format": FORMAT,
        "files": files_fingerprint(texts),
        "schema": schema_fingerprint(),
        "content": [[name, dataclasses.asdict(entries)] for name, entries in content],
    }
    return json.dumps(snapshot, indent=1, ensure_ascii=False) + "\n"


def loads(text: str, texts: Mapping[str, bytes]) -> BuiltinContent | None:
    """The content of a snapshot made from exactly ``texts`` and this schema's structure, else None.

    The snapshot ships inside the package, next to its code, so it is trusted as the code is: its entries
    are rebuilt, not validated again (their own ``__post_init__`` checks still run).
    """
    try:
        snapshot = json.loads(text)
    except ValueError:
        return None
    if not isinstance(snapshot, dict) or snapshot.get("format") != FORMAT:
        return None
    if snapshot.get("files") != files_fingerprint(texts) or snapshot.get("schema") != schema_fingerprint():
        return None
    make = _maker(ContentFile)
    return tuple((name, make(entries)) for name, entries in snapshot["content"])


def _same(value: Any) -> Any:
    return value


@cache
def _maker(hint: Any) -> Callable[[Any], Any]:
    """How to make the type ``hint`` names (a content model, a tuple, a choice) from its JSON value: worked
    out once per type, so that rebuilding a few hundred entries costs little more than reading the JSON."""
    origin = typing.get_origin(hint)
    if origin is typing.Annotated:
        return _maker(typing.get_args(hint)[0])
    if origin in (typing.Union, types.UnionType):
        [kind] = [arg for arg in typing.get_args(hint) if arg is not type(None)]
        make = _maker(kind)
        return lambda value: None if value is None else make(value)
    if origin is tuple:
        item, ellipsis = typing.get_args(hint)
        if ellipsis is not Ellipsis:
            raise TypeError(f"only tuple[X, ...] is rebuilt, not {hint!r}")
        make = _maker(item)
        return tuple if make is _same else lambda value: tuple(map(make, value))
    if origin is typing.Literal or hint in (str, int, bool):
        return _same
    if hint is float:
        return float
    if dataclasses.is_dataclass(hint) and isinstance(hint, type):
        model, hints = hint, field_hints(hint)
        makers = {f.name: _maker(hints[f.name]) for f in dataclasses.fields(model)}
        return lambda value: model(**{name: makers[name](each) for name, each in value.items()})
    if isinstance(hint, type) and issubclass(hint, Enum):
        return hint
    raise TypeError(f"no way to rebuild {hint!r} from JSON: add it to content_snapshot._maker")
