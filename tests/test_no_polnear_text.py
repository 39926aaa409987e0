"""No file of the repository holds a sentence of PolNeAR, whose text has no licence.

PolNeAR is read from the shared corpus folder for scoring (``bench/eval_polnear.py``); what the
repository keeps of it is counts (``etl/data/cue_verbs_en.tsv``) and, here, 48-bit fingerprints
of its sentences of 8 words or more, regenerated with ``bench/eval_polnear.py --fingerprints``.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.eval_polnear import sentence_fingerprints  # noqa: E402

PRINTS = ROOT / "tests" / "fixtures" / "polnear_fingerprints.txt"


def _fingerprints() -> set[str]:
    return set(PRINTS.read_text(encoding="ascii").split())


# What is not the project's own: the environment, caches and run state (as .gitignore lists).
_NOT_OURS = {".git", ".venv", ".newsetl", "__pycache__", ".pytest_cache", ".ruff_cache", ".hypothesis",
             "build", "dist", "out"}


def _tracked_text_files() -> list[Path]:
    """Every file of the checkout but environment and caches: walked, not asked of git, since
    CI tests a copy of the checkout without its .git."""
    files = []
    for folder, dirs, names in os.walk(ROOT):
        dirs[:] = [d for d in dirs if d not in _NOT_OURS and not d.endswith(".egg-info")]
        files += [Path(folder) / n for n in names]
    return [f for f in files if f != PRINTS]


def test_fingerprints_cover_the_corpus():
    assert len(_fingerprints()) > 20_000  # both splits, not an empty or truncated file


def test_a_planted_sentence_is_found():
    sentence = "The harbour authority said on Monday that the ferry will sail again in spring."
    [print_] = sentence_fingerprints("Intro line.\n" + sentence.upper())
    assert print_ in sentence_fingerprints(f"Other words. {sentence} More.")


def test_no_repository_file_contains_a_polnear_sentence():
    prints = _fingerprints()
    hits = []
    for path in _tracked_text_files():
        try:
            text = path.read_text(encoding="utf-8")
        except (UnicodeDecodeError, OSError):
            continue  # binary files (models, images) hold no sentences
        if sentence_fingerprints(text) & prints:
            hits.append(path.relative_to(ROOT).as_posix())
    assert hits == []
