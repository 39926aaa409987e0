"""Score article extraction against gold text: trafilatura alone vs newsetl ``extract_article``.

Run: ``.venv/bin/python bench/eval_extract.py [PAGES_DIR ...]`` (default: the real sample
pages of the corpus folder, ``$NEWSETL_DATA_DIR/samples/pages``, then our own fixture pages in
tests/fixtures/pages). Without the corpus folder it stops with one line naming the variable:
scoring only the fixtures would report a different, easier test set.

For every ``*.html`` with a ``*.gold.txt`` next to it, both extractors are scored with
token-level precision / recall / F1 (tokens: NFC, split on whitespace and punctuation;
bag of tokens with multiplicity), per page and as macro (mean of pages) and micro (pooled
counts) averages. Metadata is compared to ``*.gold.json`` when present: title (token F1),
publication date (same UTC day; "-" when gold has none) and authors (set F1).
Extra configurations (trafilatura favor_precision/recall, newsetl without precision) show
what the chosen settings buy. The last table is the headline: newsetl beside trafilatura alone
(default settings), their ratio (target >= 1.0), trafilatura runs per page and which extractor
gave each page's text (a fallback runs only when trafilatura's result fails the quality test of
``etl.extract.text.first_result_problem``).
"""

from __future__ import annotations

import json
import os
import re
import sys
import time
import unicodedata
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import trafilatura

from etl.clean import detect_language
from etl.errors import ConfigError
from etl.extract import extract_article
from etl.settings import data_file

FIXTURES = Path(__file__).resolve().parents[1] / "tests" / "fixtures" / "pages"
_SPLIT = re.compile(r"[\W_]+")


def tokens(text: str) -> Counter[str]:
    """Return the bag of tokens of ``text`` (NFC, split on whitespace and punctuation)."""
    return Counter(t for t in _SPLIT.split(unicodedata.normalize("NFC", text)) if t)


@dataclass
class Score:
    """Overlap counts of one extraction against its gold text."""

    overlap: int
    predicted: int
    gold: int

    @property
    def precision(self) -> float:
        return self.overlap / self.predicted if self.predicted else 0.0

    @property
    def recall(self) -> float:
        return self.overlap / self.gold if self.gold else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def score(predicted: str, gold: str) -> Score:
    """Return the token-overlap score of ``predicted`` against ``gold``."""
    p, g = tokens(predicted), tokens(gold)
    return Score(sum((p & g).values()), sum(p.values()), sum(g.values()))


def gold_day(value: str | None) -> str | None:
    """Return the UTC day of a gold date string ("2023-11-07T02:00:00-05:00" → 2023-11-07)."""
    if not value:
        return None
    parsed = datetime.fromisoformat(value)
    return (parsed.astimezone(UTC) if parsed.tzinfo else parsed).date().isoformat()


def set_f1(predicted: set[str], gold: set[str]) -> float | None:
    """Return F1 between two sets of names (None when both are empty)."""
    if not predicted and not gold:
        return None
    overlap = len(predicted & gold)
    if not overlap:
        return 0.0
    p, r = overlap / len(predicted), overlap / len(gold)
    return 2 * p * r / (p + r)


def trafilatura_alone(raw: bytes, url: str) -> tuple[str, dict]:
    """Return trafilatura's text and metadata with default settings."""
    document = trafilatura.bare_extraction(raw, url=url, with_metadata=True)
    if document is None:
        return "", {}
    authors = [a.strip() for a in (document.author or "").split(";") if a.strip()]
    return document.text or "", {"title": document.title, "date": document.date, "authors": authors}


def trafilatura_with(**options: bool) -> Callable[[bytes, str], tuple[str, dict]]:
    """Return an extractor running trafilatura with ``options`` (text only)."""

    def run(raw: bytes, url: str) -> tuple[str, dict]:
        return trafilatura.extract(raw, url=url, **options) or "", {}

    return run


def newsetl(precision: bool = True) -> Callable[[bytes, str], tuple[str, dict]]:
    """Return an extractor running ``extract_article``."""

    def run(raw: bytes, url: str) -> tuple[str, dict]:
        page = extract_article(raw, url=url, precision=precision)
        date = page.published.date().isoformat() if page.published else None
        return page.text, {"title": page.title, "date": date, "authors": list(page.authors)}

    return run


SYSTEMS: dict[str, Callable[[bytes, str], tuple[str, dict]]] = {
    "trafilatura (default)": trafilatura_alone,
    "trafilatura precision": trafilatura_with(favor_precision=True),
    "trafilatura recall": trafilatura_with(favor_recall=True),
    "traf. no comments": trafilatura_with(include_comments=False),
    "newsetl (recall-bal.)": newsetl(precision=False),
    "newsetl extract_article": newsetl(precision=True),
}
HEADLINE = ("trafilatura (default)", "newsetl extract_article")


def main(pages_dirs: list[Path]) -> int:
    """Print the per-page table, the averages and the metadata comparison; return 0."""
    pages = [p for d in pages_dirs for p in sorted(d.glob("*.html")) if (d / f"{p.stem}.gold.txt").exists()]
    if not pages:
        print(f"no *.html with *.gold.txt in {pages_dirs}")
        return 1
    detect_language("load the language models before timing anything")
    scores: dict[str, list[Score]] = {name: [] for name in SYSTEMS}
    meta_rows = []
    seconds: Counter[str] = Counter()
    print(f"{'page':<22}{'system':<26}{'P':>7}{'R':>7}{'F1':>7}")
    for page in pages:
        raw = page.read_bytes()
        gold_text = page.with_name(f"{page.stem}.gold.txt").read_text(encoding="utf-8")
        gold_path = page.with_name(f"{page.stem}.gold.json")
        gold = json.loads(gold_path.read_text(encoding="utf-8")) if gold_path.exists() else {}
        url = gold.get("url") or f"https://example.invalid/{page.stem}"
        for name, system in SYSTEMS.items():
            started = time.perf_counter()
            text, meta = system(raw, url)
            seconds[name] += time.perf_counter() - started
            result = score(text, gold_text)
            scores[name].append(result)
            if name in HEADLINE:
                print(f"{page.stem:<22}{name:<26}{result.precision:>7.3f}{result.recall:>7.3f}{result.f1:>7.3f}")
                if gold:
                    meta_rows.append((page.stem, name, meta, gold))
    print()
    print(f"{'system':<26}{'macro P':>8}{'macro R':>8}{'macro F1':>9}{'micro P':>8}{'micro R':>8}{'micro F1':>9}{'sec':>7}")
    for name, results in scores.items():
        n = len(results)
        macro = [sum(getattr(r, k) for r in results) / n for k in ("precision", "recall", "f1")]
        micro = Score(*(sum(getattr(r, k) for r in results) for k in ("overlap", "predicted", "gold")))
        print(f"{name:<26}{macro[0]:>8.3f}{macro[1]:>8.3f}{macro[2]:>9.3f}"
              f"{micro.precision:>8.3f}{micro.recall:>8.3f}{micro.f1:>9.3f}{seconds[name]:>7.2f}")
    print()
    print(f"{'page':<22}{'system':<26}{'title F1':>9}{'date':>6}{'authors F1':>11}  authors")
    for stem, name, meta, gold in meta_rows:
        title = score(meta.get("title") or "", gold.get("title") or "").f1
        gold_date = gold_day(gold.get("publish_date"))
        date = "-" if gold_date is None else ("ok" if meta.get("date") == gold_date else "WRONG")
        authors = set_f1(set(meta.get("authors") or []), set(gold.get("authors") or []))
        shown = "-" if authors is None else f"{authors:.2f}"
        print(f"{stem:<22}{name:<26}{title:>9.2f}{date:>6}{shown:>11}  {meta.get('authors')}")
    print_headline(scores, pages)
    print_no_article_pages(pages_dirs)
    return 0


def print_headline(scores: dict[str, list[Score]], pages: list[Path]) -> None:
    """Print newsetl beside trafilatura alone, their ratio, and what the fallbacks cost.

    The target is a ratio of at least 1.0: the fallbacks may only help. Each page is
    re-extracted once more to count trafilatura runs and the extractor that gave the text.
    """
    (alone, ours) = (scores[name] for name in HEADLINE)
    micro = [Score(*(sum(getattr(r, k) for r in rs) for k in ("overlap", "predicted", "gold"))).f1
             for rs in (alone, ours)]
    macro = [sum(r.f1 for r in rs) / len(rs) for rs in (alone, ours)]
    print()
    print(f"{'headline':<26}{'trafilatura alone':>18}{'newsetl':>9}{'ratio':>7}")
    print(f"{'token F1, micro':<26}{micro[0]:>18.3f}{micro[1]:>9.3f}{micro[1] / micro[0]:>7.3f}")
    print(f"{'token F1, macro':<26}{macro[0]:>18.3f}{macro[1]:>9.3f}{macro[1] / macro[0]:>7.3f}")
    first = [i for i, p in enumerate(pages) if p.parent == pages[0].parent]  # the real pages
    if len(first) < len(pages):
        sub = [Score(*(sum(getattr(rs[i], k) for i in first) for k in ("overlap", "predicted", "gold"))).f1
               for rs in (alone, ours)]
        label = f"micro, {pages[0].parent.parent.name}/{pages[0].parent.name}"
        print(f"{label:<26}{sub[0]:>18.3f}{sub[1]:>9.3f}{sub[1] / sub[0]:>7.3f}")
    runs, used = _count_runs(pages)
    print(f"trafilatura runs per page {runs / len(pages):.2f}; text from: "
          + ", ".join(f"{name} {n}" for name, n in sorted(used.items())) + f" (of {len(pages)} pages)")


def _count_runs(pages: list[Path]) -> tuple[int, Counter[str]]:
    """Return (trafilatura runs, pages per extractor name) of ``extract_article`` over ``pages``."""
    from etl.extract import text as text_module

    runs = 0
    real = text_module._trafilatura_paragraphs

    def counted(*args, **kwargs):
        nonlocal runs
        runs += 1
        return real(*args, **kwargs)

    used: Counter[str] = Counter()
    text_module._trafilatura_paragraphs = counted  # instrument, then restore
    try:
        for page in pages:
            used[extract_article(page.read_bytes(), url=f"https://example.invalid/{page.stem}").extractor] += 1
    finally:
        text_module._trafilatura_paragraphs = real
    return runs, used


def print_no_article_pages(pages_dirs: list[Path]) -> None:
    """Print what each system returns for pages that hold no article (no *.gold.txt)."""
    pages = [p for d in pages_dirs for p in sorted(d.glob("*.html")) if not (d / f"{p.stem}.gold.txt").exists()]
    if not pages:
        return
    print()
    print(f"{'no-article page':<22}{'trafilatura chars':>18}{'newsetl chars':>14}  newsetl problem")
    for page in pages:
        raw = page.read_bytes()
        alone = trafilatura.extract(raw) or ""
        ours = extract_article(raw, url=f"https://example.invalid/{page.stem}")
        print(f"{page.stem:<22}{len(alone):>18}{len(ours.text):>14}  {ours.problem}")


if __name__ == "__main__":
    try:
        dirs = [Path(arg) for arg in sys.argv[1:]] or [data_file(os.environ, "samples/pages"), FIXTURES]
    except ConfigError as exc:
        sys.exit(f"eval_extract: {exc}")
    sys.exit(main(dirs))
