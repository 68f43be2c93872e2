"""Load, validate and merge the content files into one :class:`Catalog`.

A clinician supplies extra files of the same shape as ours (see :mod:`iliopsoas_lib.schema`). All files
are read and checked before anything is returned, so a caller gets either a whole, consistent catalog
or a :class:`CatalogError` listing every problem found, each naming the file, the entry, the field and
what was expected. There is no half-loaded state to recover from.

Pydantic validates a file only when one is read. The built-in files are read from a snapshot
(``data/builtin_content.json``, see :mod:`iliopsoas_lib.content_snapshot`; made by
``scripts/make_content_snapshot.py`` and checked by the tests) as long as every file's hash and the
schema's structure still match it, so a dashboard visitor's kernel never imports pydantic; an edited
built-in file no longer matches and is validated like any other.
"""

from __future__ import annotations

import dataclasses
import os
import tomllib
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, TypeVar

from . import content_snapshot
from .content_errors import line_of, path_parts, plain_message, toml_problem
from .content_snapshot import BuiltinContent
from .schema import (
    ENTRY_KINDS,
    Cause,
    Condition,
    ContentFile,
    DosageChange,
    GlossaryTerm,
    Guideline,
    Muscle,
    RedFlags,
    Screening,
    Source,
    Stretch,
    StretchPosture,
)

if TYPE_CHECKING:  # pragma: no cover
    from pydantic import TypeAdapter

T = TypeVar("T")

#: The built-in files, in the order they are read (sources first, so messages read naturally).
BUILTIN_FILES = (
    "sources.toml",
    "muscles.toml",
    "guidelines.toml",
    "tightness.toml",
    "screening.toml",
    "stretches.toml",
    "stretch_postures.toml",
)


@dataclass(frozen=True)
class ContentText:
    """Content that is not a file on disk, e.g. an upload in the dashboard. ``name`` appears in errors."""

    name: str
    text: str


ContentInput = str | os.PathLike[str] | ContentText


@dataclass(frozen=True)
class Problem:
    """One thing wrong with one field of one entry of one file, and the line it is on when known."""

    file: str
    entry: str
    field: str
    expected: str
    line: int | None = None

    def __str__(self) -> str:
        where = self.file
        if self.line is not None:
            where += f", line {self.line}"
        if self.entry:
            where += f", {self.entry}"
        if self.field:
            where += f", field '{self.field}'"
        return f"{where}: {self.expected}"


class CatalogError(ValueError):
    """The content could not be loaded. ``problems`` lists each one; ``str()`` reads as a short report."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        count = len(problems)
        head = "1 problem" if count == 1 else f"{count} problems"
        super().__init__(f"Content not loaded ({head}):\n" + "\n".join(f"- {p}" for p in problems))


def _no_entries() -> Mapping[str, Any]:
    """An empty read-only mapping: a catalog's mappings never change once it is made."""
    return MappingProxyType({})


@dataclass(frozen=True)
class Catalog:
    """Everything the explainer knows: sources, muscles, guidelines, causes, conditions, the screening
    questions, the red flags, the glossary, the stretches and their estimated postures (``postures``, by
    stretch id, for the biomechanics model).

    Mappings are read-only and keep file order. ``origin`` tells which file each entry came from, so a
    clinician can see that a stretch is theirs; ``dosage_changes`` keeps the reasons for changed doses.
    ``builtin`` holds the keys (``"stretch:glute_bridge"``) of the entries from the package's own content,
    told apart by where they were read, never by a file's name: a clinic's own ``stretches.toml`` is new.
    """

    sources: Mapping[str, Source]
    muscles: Mapping[str, Muscle]
    guidelines: Mapping[str, Guideline]
    causes: Mapping[str, Cause]
    conditions: Mapping[str, Condition]
    stretches: Mapping[str, Stretch]
    screenings: Mapping[str, Screening] = field(default_factory=_no_entries)
    red_flags: Mapping[str, RedFlags] = field(default_factory=_no_entries)
    glossary: Mapping[str, GlossaryTerm] = field(default_factory=_no_entries)
    postures: Mapping[str, StretchPosture] = field(default_factory=_no_entries)
    dosage_changes: Mapping[str, DosageChange] = field(default_factory=_no_entries)
    origin: Mapping[str, str] = field(default_factory=_no_entries)
    builtin: frozenset[str] = frozenset()
    #: A clinic's own stretch pictures (a stretch's ``picture``) as read and checked at load, by path.
    pictures: Mapping[str, bytes] = field(default_factory=_no_entries, repr=False)

    def added(self) -> list[str]:
        """What the extra files brought, as ``kind:id`` keys in file order: new entries, then each
        ``dosage_change:stretch_id`` (a changed dose is the clinician's too)."""
        new = [key for key in self.origin if key not in self.builtin]
        return new + [f"dosage_change:{stretch_id}" for stretch_id in self.dosage_changes]

    def stretch(self, stretch_id: str) -> Stretch:
        return _lookup(self.stretches, stretch_id, "stretch")

    def muscle(self, muscle_id: str) -> Muscle:
        return _lookup(self.muscles, muscle_id, "muscle")

    def source(self, source_id: str) -> Source:
        return _lookup(self.sources, source_id, "source")

    def guideline(self, guideline_id: str) -> Guideline:
        return _lookup(self.guidelines, guideline_id, "guideline")

    def screening(self, screening_id: str) -> Screening:
        return _lookup(self.screenings, screening_id, "screening question")

    def references(self, *entries: object) -> list[Source]:
        """The sources cited anywhere inside ``entries`` (all entries when none given), in catalog order."""
        if not entries:
            entries = (
                *self.muscles.values(),
                *self.guidelines.values(),
                *self.causes.values(),
                *self.conditions.values(),
                *self.screenings.values(),
                *self.red_flags.values(),
                *self.glossary.values(),
                *self.stretches.values(),
            )
        cited = {source_id for entry in entries for _, ids in _source_refs(entry) for source_id in ids}
        return [source for source_id, source in self.sources.items() if source_id in cited]


def _lookup(mapping: Mapping[str, T], key: str, kind: str) -> T:
    try:
        return mapping[key]
    except KeyError:
        known = ", ".join(mapping) or "none"
        raise KeyError(f"no {kind} with id {key!r}; known ids: {known}") from None


def load_catalog(*extra_files: ContentInput) -> Catalog:
    """Load the built-in content, then each extra file in order, and check that every id resolves.

    Extra files may add sources, muscles, guidelines, stretches and the posture of a stretch that has
    none. Redefining an existing id is an
    error; to change the dosage of an existing stretch a file says so with a ``[[dosage_change]]``
    table, which records its reason and sources.
    """
    builtin = _builtin_content()
    parsed: list[tuple[str, ContentFile]] = list(builtin)
    problems: list[Problem] = []
    texts: dict[str, str] = {}
    pictures: dict[str, bytes] = {}
    for extra in extra_files:
        name, text = _read(extra)
        texts[name] = text
        content, file_problems = parse_content(name, text)
        problems += file_problems
        if content is not None:
            # A clinic's own stretch pictures: found next to the file and checked now (H1, issue 14).
            from .stretch_picture import resolve_pictures

            where = None if isinstance(extra, ContentText) else Path(extra)
            content, bad, found = resolve_pictures(content, where)
            pictures.update(found)
            problems += [
                Problem(name, f"stretch #{i + 1} (id '{sid}')", "picture", why, line_of(text, ("stretch", i)))
                for i, sid, why in bad
            ]
            parsed.append((name, content))
    if problems:
        raise CatalogError(problems)
    catalog = _merge(parsed, builtin_count=len(builtin), texts=texts)
    return dataclasses.replace(catalog, pictures=MappingProxyType(pictures)) if pictures else catalog


def parse_content(name: str, text: str) -> tuple[ContentFile | None, list[Problem]]:
    """Parse and validate one file's text. Returns the content, or None with the problems found.

    A byte order mark (Windows Notepad writes one) is dropped first: it is no mistake of the clinician's.
    """
    text = text.removeprefix("\ufeff")
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        line, message = toml_problem(text, exc)
        return None, [Problem(name, "", "", message, line)]
    except RecursionError:  # tomllib reads [[[[... by recursion: a hostile file, not a traceback
        return None, [Problem(name, "", "", "not valid TOML: lists or tables nested far too deeply")]
    from pydantic import ValidationError

    try:
        return _content_adapter().validate_python(raw), []
    except ValidationError as exc:
        return None, [_problem_from_error(name, text, raw, err) for err in exc.errors()]


def parse_postures(name: str, text: str, catalog: Catalog | None = None) -> dict[str, StretchPosture]:
    """The stretch postures one file gives, by stretch id, in place of ``catalog``'s own (the built-in
    catalog by default): e.g. a clinic's own angle estimates, to compare what the model makes of them.

    The file is read by :func:`parse_content` like any content file and checked by the same rules as
    :func:`load_catalog` (each posture's stretch exists and has one posture, its sources exist), against
    ``catalog``'s entries and any the file adds. Raises :class:`CatalogError`.
    """
    content, problems = parse_content(name, text)
    if content is None:
        raise CatalogError(problems)
    if not content.posture:  # an empty file would silently compare nothing
        raise CatalogError([Problem(name, "", "posture", "no [[posture]] entry: list at least one posture")])
    base = catalog or load_catalog()
    others = ContentFile(
        source=tuple(base.sources.values()),
        muscle=tuple(base.muscles.values()),
        guideline=tuple(base.guidelines.values()),
        cause=tuple(base.causes.values()),
        condition=tuple(base.conditions.values()),
        screening=tuple(base.screenings.values()),
        red_flags=tuple(base.red_flags.values()),
        glossary=tuple(base.glossary.values()),
        stretch=tuple(base.stretches.values()),
    )
    merged = _merge([("the catalog", others), (name, content)], builtin_count=1, texts={name: text})
    return dict(merged.postures)


@cache
def builtin_postures() -> Mapping[str, StretchPosture]:
    """The built-in catalog's posture estimates, by stretch id, read once per process: the one lookup that
    the model, the pose drawings and the stored pictures' keys share (content is frozen, so one read-only
    mapping serves them all, and a kernel showing stored pictures pays for neither numpy nor pydantic)."""
    return load_catalog().postures


@cache
def _content_adapter() -> TypeAdapter[ContentFile]:
    """Pydantic's validator of a content file, built on first use (importing pydantic and building it
    costs a kernel about 9 MB, so only a kernel that reads a file pays)."""
    from pydantic import TypeAdapter

    return TypeAdapter(ContentFile)


def _data_folder() -> Traversable:
    """Where the built-in files and their snapshot live."""
    return resources.files("iliopsoas_lib") / "data"


@cache
def _builtin_content() -> BuiltinContent:
    """The package's own files, parsed once per process (they never change while it runs).

    Read from the snapshot when it was made from exactly these files (and this schema's structure);
    otherwise, e.g. after someone edited a file, validated from the files, so content is never stale or
    unchecked.
    """
    folder = _data_folder()
    texts = _builtin_bytes(folder)
    snapshot = _read_snapshot(folder, texts)
    return snapshot if snapshot is not None else _validate_builtin(texts)


def _builtin_bytes(folder: Traversable | Path) -> dict[str, bytes]:
    """Each built-in file's bytes, by file name: what the snapshot's hashes and validation both read."""
    return {filename: (folder / filename).read_bytes() for filename in BUILTIN_FILES}


def _validate_builtin(texts: Mapping[str, bytes]) -> BuiltinContent:
    """Validate the built-in files like any other file; a problem in them is an error."""
    out = []
    for filename, data in texts.items():
        name = f"iliopsoas_lib/data/{filename}"
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise CatalogError([Problem(name, "", "", f"not UTF-8 text ({exc.reason})")]) from None
        content, problems = parse_content(name, text)
        if problems:
            raise CatalogError(problems)
        assert content is not None
        out.append((name, content))
    return tuple(out)


def _read_snapshot(folder: Traversable | Path, texts: Mapping[str, bytes]) -> BuiltinContent | None:
    """The snapshot's content if it was made from exactly these files and this schema, else None: a
    snapshot that is missing, cut off, of another format or made from something else counts as stale."""
    try:
        return content_snapshot.loads((folder / content_snapshot.SNAPSHOT).read_text(encoding="utf-8"), texts)
    except Exception:  # unreadable or not rebuildable: validate the files instead
        return None


def builtin_snapshot() -> str:
    """A fresh snapshot of the built-in files, validated through :func:`parse_content` now, as JSON text.
    ``scripts/make_content_snapshot.py`` writes it to ``data/``."""
    texts = _builtin_bytes(_data_folder())
    return content_snapshot.dumps(_validate_builtin(texts), texts)


def _read(item: ContentInput) -> tuple[str, str]:
    if isinstance(item, ContentText):
        return item.name, item.text
    path = Path(item)
    try:
        return str(path), path.read_text(encoding="utf-8-sig")  # -sig: a Notepad byte order mark is fine
    except FileNotFoundError:
        raise CatalogError([Problem(str(path), "", "", "file not found")]) from None
    except UnicodeDecodeError as exc:
        raise CatalogError([Problem(str(path), "", "", f"not UTF-8 text ({exc.reason})")]) from None


def _problem_from_error(name: str, text: str, raw: Any, err: Mapping[str, Any]) -> Problem:
    """Turn a pydantic error at a location like ('stretch', 2, 'dosage', 'hold_seconds') into words, with
    the line of ``text`` it is on."""
    line = line_of(text, err["loc"])
    loc = list(err["loc"])
    entry = ""
    if len(loc) >= 2 and isinstance(loc[1], int) and loc[0] in ENTRY_KINDS:
        kind, index = loc[0], loc[1]
        entry = f"{kind} #{index + 1}"
        item = raw.get(kind, [])[index] if isinstance(raw.get(kind), list) else None
        key = ENTRY_KINDS[kind]
        if isinstance(item, dict) and isinstance(item.get(key), str):
            entry += f" ({key} '{item[key]}')"
        loc = loc[2:]
    elif loc and loc[0] in ENTRY_KINDS:
        written = isinstance(raw.get(loc[0]), dict)  # [stretch] where [[stretch]] was meant: say what it is
        entry, loc = (f"[{loc[0]}]" if written else f"[[{loc[0]}]]"), loc[1:]
    field_name = ".".join(f"[{part + 1}]" if isinstance(part, int) else str(part) for part in loc)
    field_name = field_name.replace(".[", "[")
    return Problem(name, entry, field_name, plain_message(err), line)


def _merge(
    parsed: Iterable[tuple[str, ContentFile]], builtin_count: int = 0, texts: Mapping[str, str] | None = None
) -> Catalog:
    """One catalog from the parsed files, the first ``builtin_count`` being the package's own; every id
    checked across files. ``texts`` (file name -> text) gives the line of each problem found here."""
    tables: dict[str, dict[str, Any]] = {
        kind: {} for kind in ENTRY_KINDS if kind not in ("dosage_change", "posture")
    }
    origin: dict[str, str] = {}
    builtin: set[str] = set()
    changes: list[tuple[str, int, DosageChange]] = []
    problems: list[Problem] = []
    texts = texts or {}

    def problem(
        name: str, kind: str, index: int, label: str, field_name: str, expected: str, at: tuple[int, ...] = ()
    ) -> Problem:
        """A problem at ``field_name`` of entry ``index`` of ``kind``; ``at``: the item of that field."""
        text = texts.get(name)
        line = line_of(text, (kind, index, *path_parts(field_name), *at)) if text is not None else None
        return Problem(name, label, field_name, expected, line)

    for position, (name, content) in enumerate(parsed):
        for kind, table in tables.items():
            for index, entry in enumerate(getattr(content, kind)):
                label = f"{kind} #{index + 1} (id '{entry.id}')"
                key = f"{kind}:{entry.id}"
                if entry.id in table:
                    hint = (
                        " To change a stretch's dosage use a [[dosage_change]] table."
                        if kind == "stretch"
                        else ""
                    )
                    problems.append(
                        problem(
                            name,
                            kind,
                            index,
                            label,
                            "id",
                            f"duplicate id: already defined in {origin[key]}.{hint}",
                        )
                    )
                    continue
                table[entry.id] = entry
                origin[key] = name
                if position < builtin_count:
                    builtin.add(key)
        changes += [(name, i, change) for i, change in enumerate(content.dosage_change)]

    sources, stretches, muscles = tables["source"], tables["stretch"], tables["muscle"]
    for name, content in parsed:
        for kind in ENTRY_KINDS:
            for index, entry in enumerate(getattr(content, kind)):
                key = ENTRY_KINDS[kind]
                label = f"{kind} #{index + 1} ({key} '{getattr(entry, key)}')"
                for path, ids in _source_refs(entry):
                    for i, source_id in enumerate(ids):
                        if source_id not in sources:
                            known = ", ".join(sources)
                            expected = f"unknown source id '{source_id}'; known: {known}"
                            problems.append(problem(name, kind, index, label, path, expected, at=(i,)))
                if isinstance(entry, Stretch):
                    for i, rule in enumerate(entry.limits):
                        if rule.limit not in tables["screening"]:
                            known = ", ".join(tables["screening"]) or "none"
                            expected = f"unknown screening question '{rule.limit}'; known: {known}"
                            problems.append(
                                problem(name, kind, index, label, f"limits[{i + 1}].limit", expected)
                            )
                    for i, muscle_id in enumerate(entry.target_muscles):
                        if muscle_id not in muscles:
                            expected = f"unknown muscle id '{muscle_id}'; known: {', '.join(muscles)}"
                            problems.append(
                                problem(name, kind, index, label, f"target_muscles[{i + 1}]", expected)
                            )

    # A posture is named by its stretch: one each, for a stretch that exists (in any file).
    postures: dict[str, StretchPosture] = {}
    for position, (name, content) in enumerate(parsed):
        for index, posture in enumerate(content.posture):
            label = f"posture #{index + 1} (stretch '{posture.stretch}')"
            key = f"posture:{posture.stretch}"
            if posture.stretch not in stretches:
                expected = f"unknown stretch id; known: {', '.join(stretches)}"
                problems.append(problem(name, "posture", index, label, "stretch", expected))
            elif posture.stretch in postures:
                expected = f"this stretch already has a posture, in {origin[key]}"
                problems.append(problem(name, "posture", index, label, "stretch", expected))
            else:
                postures[posture.stretch] = posture
                origin[key] = name
                if position < builtin_count:
                    builtin.add(key)

    applied: dict[str, DosageChange] = {}
    for name, index, change in changes:
        label = f"dosage_change #{index + 1} (stretch '{change.stretch}')"
        if change.stretch not in stretches:
            expected = f"unknown stretch id; known: {', '.join(stretches)}"
            problems.append(problem(name, "dosage_change", index, label, "stretch", expected))
            continue
        stretch = stretches[change.stretch]
        update = {
            k: v for k, v in (("hold_seconds", change.hold_seconds), ("repetitions", change.repetitions)) if v
        }
        dosage = dataclasses.replace(
            stretch.dosage, **update, sources=(*stretch.dosage.sources, *change.sources)
        )
        # The clinician's dose is the dose: it replaces the article's full dose too, so no choice of
        # "full dose" can bring back a dose the clinician changed on purpose.
        stretches[change.stretch] = dataclasses.replace(stretch, dosage=dosage, full_dose=None)
        applied[change.stretch] = change

    if problems:
        raise CatalogError(problems)
    return Catalog(
        sources=MappingProxyType(sources),
        muscles=MappingProxyType(muscles),
        guidelines=MappingProxyType(tables["guideline"]),
        causes=MappingProxyType(tables["cause"]),
        conditions=MappingProxyType(tables["condition"]),
        stretches=MappingProxyType(stretches),
        screenings=MappingProxyType(tables["screening"]),
        red_flags=MappingProxyType(tables["red_flags"]),
        glossary=MappingProxyType(tables["glossary"]),
        postures=MappingProxyType(postures),
        dosage_changes=MappingProxyType(applied),
        origin=MappingProxyType(origin),
        builtin=frozenset(builtin),
    )


def _field_names(entry: object) -> tuple[str, ...]:
    """The fields of a content dataclass, or of a pydantic model (e.g. a stretch posture); none for
    anything else. Read without importing pydantic."""
    if dataclasses.is_dataclass(entry) and not isinstance(entry, type):
        return tuple(f.name for f in dataclasses.fields(entry))
    model_fields = getattr(type(entry), "model_fields", None)
    return tuple(model_fields) if isinstance(model_fields, dict) else ()


def _source_refs(model: object, prefix: str = "") -> Iterator[tuple[str, tuple[str, ...]]]:
    """Every ``sources`` tuple inside an entry, with its dotted field path (for messages)."""
    for name in _field_names(model):
        value = getattr(model, name)
        path = f"{prefix}{name}"
        if name == "sources" and isinstance(value, tuple):
            yield path, value
        elif _field_names(value):
            yield from _source_refs(value, f"{path}.")
        elif isinstance(value, tuple):
            for i, item in enumerate(value):
                if _field_names(item):
                    yield from _source_refs(item, f"{path}[{i + 1}].")
