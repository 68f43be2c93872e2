"""Notebook hygiene: committed executed in order on a fresh kernel, no errors, no unstable output, the
skeleton every notebook follows, citations that resolve, and no sentence copied from the article.

nbval (run by scripts/test.sh over notebooks/) re-executes them and compares outputs; these tests catch
what nbval does not: a notebook committed unexecuted or out of order, or text taken from the source.
"""

from __future__ import annotations

import importlib.util
import json
import re
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest
from conftest import DATA, ROOT, SHARED


def _load_script(path: Path) -> ModuleType:
    """Import a script by path: the shingle script's normalisation is the one this test uses."""
    spec = importlib.util.spec_from_file_location(path.stem, path)
    assert spec is not None and spec.loader is not None, path
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
NUMBERED = [p for p in NOTEBOOKS if re.match(r"\d\d_", p.name)]
# The article is not part of the project: only hashes of its 8-word runs are (tests/data/README.md).
ARTICLE = SHARED / "reference" / "000_740fdbc46f50a786.txt"
SHINGLES = DATA / "article_shingles.txt"
SHINGLE_SCRIPT = ROOT / "scripts" / "make_article_shingles.py"
shingling = _load_script(SHINGLE_SCRIPT)
RUN = shingling.RUN  # words in a row that count as copying


def cells(path: Path) -> list[dict]:
    return json.loads(path.read_text(encoding="utf-8"))["cells"]


def source(cell: dict) -> str:
    return "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]


def output_texts(cell: dict) -> list[str]:
    texts = []
    for output in cell.get("outputs", []):
        if "text" in output:
            texts.append("".join(output["text"]))
        for key in ("text/plain", "text/markdown", "text/html"):
            value = output.get("data", {}).get(key)
            if value is not None:
                texts.append("".join(value) if isinstance(value, list) else value)
    return texts


def test_the_notebooks_are_there() -> None:
    names = {p.name for p in NOTEBOOKS}
    for expected in (
        "00_start_here.ipynb",
        "01_anatomy.ipynb",
        "02_why_it_tightens.ipynb",
        "03_stretches.ipynb",
        "04_routine_timer.ipynb",
        "05_weekly_frequency.ipynb",
        "dashboard.ipynb",
    ):
        assert expected in names


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_committed_executed_in_order_without_errors(path: Path) -> None:
    code = [c for c in cells(path) if c["cell_type"] == "code"]
    assert code, "a notebook without code cells"
    counts = [c["execution_count"] for c in code]
    assert None not in counts, f"unexecuted cells: {[i for i, n in enumerate(counts) if n is None]}"
    assert counts == list(range(1, len(code) + 1)), f"not run in order on a fresh kernel: {counts}"
    for cell in code:
        for output in cell.get("outputs", []):
            assert output["output_type"] != "error", f"error output in cell {cell['execution_count']}"
            assert output.get("name") != "stderr", f"stderr output in cell {cell['execution_count']}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_outputs_are_stable(path: Path) -> None:
    notebook = json.loads(path.read_text(encoding="utf-8"))
    assert "widgets" not in notebook["metadata"], "widget state stored: run scripts/execute_notebooks.py"
    for cell in notebook["cells"]:
        for text in output_texts(cell):
            assert not re.search(r" at 0x[0-9a-f]{6,}", text), f"memory address in output: {text[:80]}"
            assert not re.search(r"/tmp/|/home/|/root/", text), f"a machine's path in output: {text[:80]}"
            assert not re.fullmatch(r"<[\w.]+ object>", text.strip()), (
                f"an output whose plain text says nothing, so nbval compares nothing: {text!r} "
                "(show Markdown with text.show(...))"
            )


@pytest.mark.parametrize("path", NUMBERED, ids=lambda p: p.name)
def test_skeleton(path: Path) -> None:
    markdown = "\n".join(source(c) for c in cells(path) if c["cell_type"] == "markdown")
    assert markdown.lstrip().startswith("# "), "starts with a title"
    for part in ("What you will learn", "**Time:**", "## Summary", "## What's next", "## References"):
        assert part in markdown, f"missing {part!r}"
    last = cells(path)[-1]
    assert last["cell_type"] == "code" and "references_markdown" in source(last), "references from data"
    assert re.search(r"## Try it|Try it:", markdown) or path.name.startswith(("00", "02")), "a Try it part"


@pytest.mark.parametrize("path", NUMBERED, ids=lambda p: p.name)
def test_cells_are_short_and_call_the_library(path: Path) -> None:
    for cell in cells(path):
        if cell["cell_type"] != "code":
            continue
        lines = [line for line in source(cell).splitlines() if line.strip() and not line.startswith("#")]
        assert len(lines) <= 15, f"a {len(lines)}-line cell belongs in the library:\n{source(cell)}"
        assert not re.search(r"^\s*(def|class) ", source(cell), re.M), "notebooks import, never define"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_citations_resolve(path: Path) -> None:
    import iliopsoas_lib as il
    from iliopsoas_lib.clinic import template_text

    # the built-in sources, and the template's own source that notebook 07 loads and shows
    catalog = il.load_catalog(il.ContentText("clinician_stretch.toml", template_text()))
    text = "\n".join(source(c) for c in cells(path) if c["cell_type"] == "markdown")
    text += "\n".join(t for c in cells(path) for t in output_texts(c))
    groups = re.findall(r"\[([a-z][a-z0-9_]*(?:, [a-z][a-z0-9_]*)*)\](?!\()", text)  # not [x](link)
    cited = {i for group in groups for i in group.split(", ") if "_" in i}  # ids look like author_place
    assert cited or path.name == "dashboard.ipynb", "a notebook that cites nothing"
    unknown = cited - set(catalog.sources)
    assert not unknown, f"cited ids not in the sources data: {sorted(unknown)}"


def runs(text: str, n: int = RUN, names: tuple[str, ...] = ()) -> set[tuple[str, ...]]:
    """Every run of ``n`` words, not crossing ``names`` (stretch names and reference titles, which
    must be quoted as they are)."""
    pattern = "|".join(re.escape(name) for name in sorted(names, key=len, reverse=True))
    segments = re.split(pattern, text, flags=re.I) if pattern else [text]
    return set().union(*(shingling.word_runs(segment, n) for segment in segments))


def proper_names() -> tuple[str, ...]:
    import iliopsoas_lib as il

    catalog = il.load_catalog()
    names = [s.name for s in catalog.stretches.values()]
    names += [part for s in catalog.sources.values() for part in (s.title, s.citation())]
    return tuple(names)


ARTICLE_SHINGLES = shingling.read_shingles(SHINGLES)
OWN_TEXT = [
    *NOTEBOOKS,
    *sorted((ROOT / "iliopsoas_lib" / "data").glob("*.toml")),
    ROOT / "README.md",
    *sorted((ROOT / "docs").glob("*.md")),
]


def copied_runs(text: str, shingles: set[str], names: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    """The runs of ``text`` whose hash is among ``shingles`` (a source's hashed runs), sorted."""
    return sorted(run for run in runs(text, names=names) if shingling.shingle(run) in shingles)


def test_the_shingle_file_holds_hashed_runs() -> None:
    assert len(ARTICLE_SHINGLES) > 500, f"{SHINGLES} holds too few runs for a whole article"
    for line in ARTICLE_SHINGLES:
        assert re.fullmatch(rf"[0-9a-f]{{{shingling.HEX_DIGITS}}}", line), f"not a hashed run: {line!r}"


def test_the_shingle_file_is_what_the_script_makes_from_the_article(tmp_path: Path) -> None:
    if not ARTICLE.is_file():
        pytest.skip(
            f"the source article is not beside this clone ({ARTICLE}); the stored hashes are still checked "
            "by the copy test, but cannot be compared with a fresh run of the script here"
        )
    out = tmp_path / "shingles.txt"
    command = [sys.executable, str(SHINGLE_SCRIPT), str(ARTICLE), "--out", str(out)]
    subprocess.run(command, check=True, capture_output=True)
    assert out.read_text(encoding="utf-8") == SHINGLES.read_text(encoding="utf-8"), (
        f"{SHINGLES} is out of date: run python scripts/make_article_shingles.py {ARTICLE}"
    )
    excerpt = " ".join(ARTICLE.read_text(encoding="utf-8").split()[200:212])
    assert copied_runs(excerpt.upper(), ARTICLE_SHINGLES), "an excerpt of the article is not caught"


def test_the_copy_check_really_finds_copies() -> None:
    source = (
        "A made-up source: the quick brown fox jumps over the lazy dog while the patient "
        "cat watches from a sunny window sill and the kettle slowly starts to whistle."
    )
    shingles = {shingling.shingle(run) for run in shingling.word_runs(source)}
    copied = "Our text: THE quick, brown fox jumps over the LAZY dog."  # other case and punctuation
    assert copied_runs(copied, shingles) == [
        ("quick", "brown", "fox", "jumps", "over", "the", "lazy", "dog"),
        ("the", "quick", "brown", "fox", "jumps", "over", "the", "lazy"),
    ]
    seven = "the quick brown fox jumps over the sleepy dog"  # seven words in a row, then a change
    assert copied_runs(seven, shingles) == [], "seven words in a row do not count as a copy"
    assert copied_runs(copied, shingles, names=("jumps",)) == [], "a proper name splits a run"


@pytest.mark.parametrize("path", OWN_TEXT, ids=lambda p: p.name)
def test_no_sentence_is_copied_from_the_article(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    if path.suffix == ".ipynb":
        text = "\n".join(source(c) + "\n" + "\n".join(output_texts(c)) for c in cells(path))
    copied = copied_runs(text, ARTICLE_SHINGLES, names=proper_names())
    assert not copied, f"{len(copied)} runs of {RUN} words copied, e.g. {' '.join(copied[0])!r}"


def test_shown_markdown_renders_and_compares_as_its_own_text() -> None:
    from iliopsoas_lib.presentation import text

    shown = text.show("### Title\n\n- a caution [lindberg_verywell]")
    assert shown._repr_markdown_() == "### Title\n\n- a caution [lindberg_verywell]"  # what Jupyter draws
    assert repr(shown) == shown.markdown  # what nbval compares: the words, not "<... object>"
