"""Benchmark: NER and claims on one long article, seconds per MB of text, at growing lengths.

A linear stage takes the same seconds per MB at every length; the speaker search used to scan
every entity for every candidate, and claims went from 0.4 s at 50k characters to 4.9 s at 200k.
The article is the repository's own real Arabic sample (``tests/fixtures/pages/aleppo_strikes_ar.txt``)
or the English gold page, repeated paragraph by paragraph up to each length. The night caps the
analysis at ``NEWSETL_MAX_ANALYSIS_CHARS`` (200,000); this measures the stages themselves, with no cap,
on one core (CPU seconds of this process, so other jobs on the machine do not count).

Run: ``.venv/bin/python bench/bench_long_article.py [--sizes 250000 500000 1000000] [--lang ar en]``
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from etl.claims import extract_claims
from etl.clean import clean_text
from etl.ner import recognise

PAGES = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "pages"
SAMPLES = {"ar": PAGES / "aleppo_strikes_ar.txt", "en": PAGES / "en_article_boxes.gold.txt"}
MB = 1_000_000


def long_article(lang: str, size: int) -> str:
    """Return ``size`` characters of the sample article of ``lang``, repeated paragraph by paragraph."""
    base = clean_text(SAMPLES[lang].read_text(encoding="utf-8"))
    return "\n\n".join([base] * (size // len(base) + 1))[:size]


def seconds(stage, *args) -> tuple[float, object]:
    """Return the CPU seconds ``stage(*args)`` took and its result."""
    started = time.process_time()
    result = stage(*args)
    return time.process_time() - started, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[250_000, 500_000, 1_000_000])
    parser.add_argument("--lang", nargs="+", default=["ar", "en"], choices=sorted(SAMPLES))
    args = parser.parse_args()
    print("long article: CPU seconds per MB of text (equal at every length = linear)")
    print(f"{'lang':<5}{'chars':>10}{'entities':>10}{'claims':>8}{'NER s/MB':>10}{'claims s/MB':>13}")
    for lang in args.lang:
        recognise(long_article(lang, 5_000), lang)  # models loaded before timing
        for size in args.sizes:
            text = long_article(lang, size)
            ner_s, entities = seconds(recognise, text, lang)
            claims_s, claims = seconds(extract_claims, text, lang, entities)
            print(f"{lang:<5}{size:>10,}{len(entities):>10,}{len(claims):>8,}"
                  f"{ner_s * MB / size:>10.2f}{claims_s * MB / size:>13.2f}", flush=True)


if __name__ == "__main__":
    main()
