"""A mistake in a content file, told the way a clinician can act on it: the line, and what to write.

The loader (:mod:`iliopsoas_lib.catalog`) finds the mistakes; this module words them. Three things:

- **Where**: ``tomllib`` gives no positions for a file it could read, and pydantic reports a path
  (``('stretch', 0, 'dosage', 'hold_seconds')``), so :func:`line_of` scans the text for the path: the
  n-th ``[[stretch]]`` header, then the key, the inline table's key or the array's item inside it.
  (``tomlkit`` keeps no positions either: python-poetry/tomlkit issue 55 is still open.)
- **What**: each kind of pydantic error becomes one sentence about the field (:func:`plain_message`),
  never a regular expression, a Python file name or pydantic's own words.
- **Slips**: a file that is not TOML at all gets a hint for the usual causes (:func:`toml_problem`):
  ``[stretch]`` for ``[[stretch]]``, a missing quote, curly quotes from a word processor.
"""

from __future__ import annotations

import dataclasses
import re
import sys
import types
import typing
from collections.abc import Mapping, Sequence
from functools import cache, lru_cache
from typing import Any

from .schema import ENTRY_KINDS, ID_PATTERN, ContentFile

Path = tuple[str | int, ...]

# -- where: the line of a path -------------------------------------------------------------------------

_HEADER = re.compile(r"^\s*(\[\[|\[)\s*([^\[\]]+?)\s*(\]\]|\])\s*(#.*)?$")
_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")
#: A key inside an inline table (``{ text = ...``), and the run of characters to skip when there is none,
#: so a long number is passed over once, not tried as a key at each of its digits.
_TABLE_KEY = re.compile(r"([A-Za-z0-9_-]+(?:\s*\.\s*[A-Za-z0-9_-]+)*)\s*=")
_KEY_RUN = re.compile(r"[A-Za-z0-9_.+:-]+")


def _key_parts(key: str) -> tuple[str, ...]:
    """``dosage.hold_seconds`` or ``"odd key"`` -> the key's parts, quotes removed."""
    return tuple(part.strip().strip("\"'") for part in key.split("."))


class _Scanner:
    """Records the line where each path of one TOML text is written, by a scan of its characters.

    It knows as much TOML as a content file uses: ``[table]`` and ``[[array]]`` headers, ``key = value``
    with dotted keys, strings, and arrays and inline tables nested in any way. Each key, each array item
    and each inline table's key gets the line it starts on; the first place a path is written wins.
    """

    def __init__(self, text: str) -> None:
        self.lines: dict[Path, int] = {}
        self.counts: dict[tuple[str, ...], int] = {}
        self.prefix: Path = ()
        # containers open across lines: [kind, path, item index, key waiting for its value]
        self.stack: list[list[Any]] = []
        for number, line in enumerate(text.splitlines(), 1):
            self._line(number, line)

    def _record(self, path: Path, number: int) -> None:
        self.lines.setdefault(path, number)

    def _line(self, number: int, line: str) -> None:
        if not self.stack:
            stripped = line.strip()
            if not stripped or stripped.startswith("#"):
                return
            header = _HEADER.match(line)
            if header:
                self._header(number, header.group(1) == "[[", _key_parts(header.group(2)))
                return
            key, sep, rest = line.partition("=")
            bare = key.strip().replace(".", "").replace('"', "")
            if not sep or not _BARE_KEY.fullmatch(bare):
                return
            path = (*self.prefix, *_key_parts(key))
            self._record(path, number)
            self._value(number, rest, path)
        else:
            self._value(number, line, None)

    def _header(self, number: int, is_array: bool, parts: tuple[str, ...]) -> None:
        """``[[stretch]]`` starts entry n of ``stretch``; ``[stretch.dosage]`` a table inside the last one."""
        path: list[str | int] = []
        for depth, part in enumerate(parts):
            path.append(part)
            last = depth == len(parts) - 1
            key = tuple(str(p) for p in path)
            if last and is_array:
                index = self.counts.get(key, 0)
                self.counts[key] = index + 1
                path.append(index)
            elif not last and key in self.counts:
                path.append(self.counts[key] - 1)  # [stretch.dosage]: inside the latest [[stretch]]
        self.prefix = tuple(path)
        self._record(self.prefix, number)
        if not is_array:
            self._record(tuple(path), number)

    def _value(self, number: int, text: str, path: Path | None) -> None:
        """Scan a value (or the rest of one open since an earlier line) for containers, keys and items."""
        i, quote = 0, ""
        item_waiting = bool(self.stack) and self.stack[-1][0] == "array" and self.stack[-1][3]
        while i < len(text):
            char = text[i]
            if quote:
                if char == "\\" and quote == '"':
                    i += 1
                elif char == quote:
                    quote = ""
            elif char == "#":
                break
            elif char.isspace():
                pass
            else:
                top = self.stack[-1] if self.stack else None
                if top is not None and top[0] == "array" and item_waiting and char != "]":
                    self._record((*top[1], top[2]), number)
                    item_waiting = False
                if char in "\"'":
                    quote = char
                elif char in "[{":
                    self.stack.append(["array" if char == "[" else "table", self._open_path(path), 0, True])
                    item_waiting = char == "["
                elif char in "]}":
                    if self.stack:
                        self.stack.pop()
                elif char == ",":
                    if top is not None and top[0] == "array":
                        top[2] += 1
                        item_waiting = True
                elif top is not None and top[0] == "table":
                    found = _TABLE_KEY.match(text, i)
                    if found:
                        key_path = (*top[1], *_key_parts(found.group(1)))
                        self._record(key_path, number)
                        top[3] = key_path
                        i = found.end()
                        continue
                    run = _KEY_RUN.match(text, i)
                    if run:
                        i = run.end()
                        continue
            i += 1
        if self.stack and self.stack[-1][0] == "array":
            self.stack[-1][3] = item_waiting

    def _open_path(self, line_path: Path | None) -> Path:
        """The path of a container that opens now: the key before it, or the item it is in."""
        if not self.stack:
            return line_path or ()
        top = self.stack[-1]
        if top[0] == "array":
            return (*top[1], top[2])
        return top[3] if isinstance(top[3], tuple) else top[1]


@lru_cache(maxsize=4)
def _written(text: str) -> dict[Path, int]:
    """Each path written in ``text`` and its line: scanned once per text, however many mistakes it has."""
    return _Scanner(text).lines


def line_of(text: str, path: Sequence[str | int]) -> int | None:
    """The line where ``path`` (pydantic's location, 0-based indexes) is written in ``text``; for a path
    that is not written (a missing field), the line of the nearest thing around it; None if nothing."""
    lines = _written(text)
    wanted = tuple(path)
    while wanted:
        if wanted in lines:
            return lines[wanted]
        wanted = wanted[:-1]
    return None


def path_parts(field: str) -> Path:
    """A field as messages write it (``cautions[1].sources``) -> a path with 0-based indexes."""
    parts: list[str | int] = []
    for name, index in re.findall(r"([^.\[\]]+)|\[(\d+)\]", field):
        parts.append(int(index) - 1 if index else name)
    return tuple(parts)


# -- what: one sentence per pydantic error -------------------------------------------------------------


def _unwrap(hint: Any) -> Any:
    """``Annotated[tuple[Caution, ...] | None, ...]`` -> ``tuple[Caution, ...]``: the type a path goes
    through."""
    while True:
        origin = typing.get_origin(hint)
        if origin is typing.Annotated:
            hint = typing.get_args(hint)[0]
        elif origin in (typing.Union, types.UnionType):
            hint = next(arg for arg in typing.get_args(hint) if arg is not type(None))
        else:
            return hint


@cache
def field_hints(model: type) -> Mapping[str, Any]:
    """A content model's fields and their types, resolved (with their ``Annotated`` limits): the one way
    the content's types are read at run time, here and by :mod:`iliopsoas_lib.content_snapshot`."""
    # The models' ClassVar config names pydantic's ConfigDict only for type checkers: read it as a dict.
    names = {"ConfigDict": dict}
    module = vars(sys.modules[model.__module__])
    hints = typing.get_type_hints(model, globalns=module, localns=names, include_extras=True)
    return types.MappingProxyType(hints)


def fields_at(path: Sequence[str | int]) -> tuple[str, ...]:
    """The field names a content file may write at ``path`` (the table that holds its last part)."""
    model: Any = ContentFile
    for part in path[:-1]:
        model = _unwrap(model)
        if isinstance(part, int):
            args = typing.get_args(model)
            if not args:
                return ()
            model = args[0]
        elif isinstance(model, type) and dataclasses.is_dataclass(model):
            model = field_hints(model).get(part)
            if model is None:
                return ()
        else:
            return ()
    model = _unwrap(model)
    return tuple(f.name for f in dataclasses.fields(model)) if dataclasses.is_dataclass(model) else ()


def _choices(expected: str) -> str:
    """pydantic's "'standing', 'kneeling' or 'lying_on_bed'" -> "standing, kneeling or lying_on_bed"."""
    return expected.replace("'", "")


def _quoted(value: object) -> str:
    return f'"{value}"' if isinstance(value, str) else repr(value)


#: Why a field allows one value only, said with its error so the writer knows it is not a slip of ours.
ONLY_ONE_VALUE_BECAUSE = {"estimate": "every posture here is an estimate and says so"}


def plain_message(err: Mapping[str, Any]) -> str:
    """One pydantic error as a sentence about the field, with what was written and what to write."""
    kind, ctx = err["type"], err.get("ctx") or {}
    value = err.get("input")
    got = f" (got {_quoted(value)})" if not isinstance(value, dict | list | tuple) else ""
    loc = tuple(err["loc"])
    if kind in {"extra_forbidden", "unexpected_keyword_argument"}:
        import difflib  # only when a file has a mistake

        near = difflib.get_close_matches(str(loc[-1]), fields_at(loc), n=1)
        if near:
            return f"unknown field: did you mean '{near[0]}'?"
        return "unknown field: check the spelling (`iliopsoas template` shows every field)"
    if kind in {"missing", "missing_argument"}:
        return "this field is missing; it is required here"
    if kind in {"int_type", "int_parsing", "float_type", "float_parsing", "int_from_float"}:
        whole = kind.startswith("int")
        wanted = "a whole number" if whole else "a number"
        if isinstance(value, str) and re.fullmatch(r"\s*-?\d+(\.\d+)?\s*", value):
            return f"must be {wanted}: write {value.strip()} without quotes"
        return f"must be {wanted}{got}"
    if kind == "bool_type":
        if isinstance(value, str) and value.strip().lower() in {"true", "false"}:
            return f"must be true or false: write {value.strip().lower()} without quotes"
        return f"must be true or false, without quotes{got}"
    if kind == "string_type":
        return f"must be text in double quotes{got}"
    if kind == "string_pattern_mismatch" and ctx.get("pattern") == ID_PATTERN:
        return f"an id is lower-case letters, digits and _, starting with a letter, e.g. my_stretch{got}"
    if kind == "string_too_short":
        least = ctx.get("min_length", 1)
        return "must not be empty" if least == 1 else f"must be at least {least} characters long{got}"
    if kind == "string_too_long":
        return f"must be at most {ctx.get('max_length')} characters long"
    if kind == "too_short":
        least = ctx.get("min_length", 1)
        return f"needs at least {least} item{'s' if least != 1 else ''}"
    if kind == "too_long":
        return f"has too many items: at most {ctx.get('max_length')}"
    if kind in {"greater_than_equal", "greater_than"}:
        return f"must be {ctx.get('ge', ctx.get('gt'))} or more{got}"
    if kind in {"less_than_equal", "less_than"}:
        return f"must be {ctx.get('le', ctx.get('lt'))} or less{got}"
    if kind in {"enum", "literal_error"}:
        choices = _choices(str(ctx.get("expected", "")))
        if choices in {"True", "False"}:  # a field with one allowed value: true or false, as TOML writes it
            written = f" (got {str(value).lower()})" if isinstance(value, bool) else got
            why = ONLY_ONE_VALUE_BECAUSE.get(str(loc[-1]))
            return f"must be {choices.lower()}{': ' + why if why else ''}{written}"
        return f"must be one of: {choices}{got}"
    if kind in {"list_type", "tuple_type"}:
        if len(loc) == 1 and loc[0] in ENTRY_KINDS and isinstance(value, dict):
            return (
                f"write [[{loc[0]}]] with two square brackets on each side: each {loc[0]} is one entry "
                f"of a list, and [{loc[0]}] makes a single table"
            )
        return f'must be a list in square brackets, e.g. ["first", "second"]{got}'
    if kind in {"dataclass_type", "dict_type", "model_type", "dataclass_exact_type"}:
        return f"must be a table: {{ key = value, ... }} or a [section] of its own{got}"
    if kind in {"value_error", "assertion_error"}:
        error = ctx.get("error")
        return str(error) if error is not None else str(err["msg"]).removeprefix("Value error, ")
    message = str(err["msg"])  # a kind no content field has yet: pydantic's words, lower-cased
    return message[:1].lower() + message[1:] + got


# -- slips: a file that is not TOML ---------------------------------------------------------------------

_AT = re.compile(r"\s*\(at line (\d+), column (\d+)\)$")
_CURLY = "“”‘’„«»"
_REASONS = {
    "Invalid value": "the value after = cannot be read",
    "Invalid statement": "this line is neither key = value nor a [section] header",
    "Illegal character '\\n'": "the line ends inside quoted text",
}


def toml_problem(text: str, error: Exception) -> tuple[int | None, str]:
    """A ``tomllib`` error -> its line and a plain message with a hint for the usual slips."""
    message = str(error)
    found = _AT.search(message)
    number = int(found.group(1)) if found else None
    reason = _AT.sub("", message)
    lines = text.splitlines()
    line = lines[number - 1] if number and number <= len(lines) else ""
    said = _REASONS.get(reason, reason[:1].lower() + reason[1:])
    twice = re.fullmatch(r"Cannot declare \('([a-z_]+)',\) twice", reason)
    if any(mark in line for mark in _CURLY):
        hint = (
            'curly quotes (“ ” ‘ ’) are not TOML quotes: type straight quotes " instead (a word processor '
            "changes them; edit the file in a plain text editor)"
        )
    elif twice and twice.group(1) in ENTRY_KINDS:
        kind = twice.group(1)
        hint = f"write [[{kind}]] with two square brackets on each side, once before each {kind}"
    elif reason.startswith("Illegal character '\\n'") and line.count('"') % 2:
        hint = 'a closing quote is missing: text starts and ends with " on the same line'
    elif reason == "Invalid value" and "=" in line:
        hint = 'text must be in double quotes, e.g. name = "My stretch"; numbers and true/false without'
    else:
        hint = ""
    return number, f"not valid TOML: {said}" + (f". Hint: {hint}" if hint else "")
