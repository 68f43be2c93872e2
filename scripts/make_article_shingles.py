"""Write tests/data/article_shingles.txt: hashed 8-word runs of the source article, not its text.

Why: the copy test (tests/test_notebooks.py) must find any run of eight words that the project's own
prose shares with the source article, on any machine, yet the project must not store the article. A
one-way hash of every normalised run lets the test check membership without keeping a readable word.

The normalisation lives here, and the test imports it from this file, so the article's runs and the
project's runs are always cut the same way.

Run from the repo root, giving the article's path:
    python scripts/make_article_shingles.py PATH/TO/ARTICLE.txt [--out PATH]
"""

from __future__ import annotations

import argparse
import hashlib
import re
import sys
from collections.abc import Iterable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_OUT = ROOT / "tests" / "data" / "article_shingles.txt"
RUN = 8  # words in a row that count as copying
HEX_DIGITS = 16  # 64 bits of sha256: a chance collision among a few thousand runs is negligible
HEADER = (
    f"# Hashed {RUN}-word runs of the source article (the article itself is not stored in the project).\n"
    f"# One line per run: the first {HEX_DIGITS} hex digits of sha256 of the run's normalised words\n"
    "# joined by single spaces. Made by scripts/make_article_shingles.py; read by tests/test_notebooks.py.\n"
)


def words(text: str) -> list[str]:
    """Lower-case letters and digits only, apostrophes dropped, so punctuation and case never hide a copy."""
    return re.findall(r"[a-z0-9]+", text.lower().replace("’", "'").replace("'", ""))


def word_runs(text: str, n: int = RUN) -> set[tuple[str, ...]]:
    """Every run of ``n`` consecutive normalised words in ``text``."""
    w = words(text)
    return {tuple(w[i : i + n]) for i in range(len(w) - n + 1)}


def shingle(run: Iterable[str]) -> str:
    """The stored form of one run: a truncated sha256 of its words joined by single spaces."""
    return hashlib.sha256(" ".join(run).encode("utf-8")).hexdigest()[:HEX_DIGITS]


def shingles_text(article: str) -> str:
    """The whole file for ``article``: the header, then each run's hash, sorted, one per line."""
    hashes = sorted({shingle(run) for run in word_runs(article)})
    return HEADER + "".join(f"{h}\n" for h in hashes)


def read_shingles(path: Path) -> set[str]:
    """The hashes in a shingle file; comment lines (``#``) and blank lines are skipped."""
    lines = path.read_text(encoding="utf-8").splitlines()
    return {line.strip() for line in lines if line.strip() and not line.startswith("#")}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("article", type=Path, help="the source article as a UTF-8 text file")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args(argv)
    if not args.article.is_file():
        parser.error(f"article not found: {args.article}")
    text = shingles_text(args.article.read_text(encoding="utf-8"))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text, encoding="utf-8")
    count = text.count("\n") - HEADER.count("\n")
    print(f"wrote {count} hashed {RUN}-word runs to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
