"""NER benchmark: tagging throughput (tokens/s, one core) and dev-split P/R/F1 per language.

Run: .venv/bin/python bench/bench_ner.py [--data DIR]  (default $NEWSETL_DATA_DIR, else ../shared/data)

Dev scores are given for the CRF alone (sentence by sentence, as ``eval-ner`` scores a
CoNLL file) and as ``recognise`` runs: per article, with the document pass (a name tagged once
is tagged where it recurs) and the alias-table names.

Throughput is measured twice: "cold" with an empty per-word feature cache (a fresh
recogniser, every word's features computed once) and "warm" (a second pass, the steady state
of a long-running worker). ``recognise`` adds tokenisation and span building on raw text.
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from pathlib import Path

from etl.errors import ConfigError
from etl.ner import MODEL_DIR, MODEL_VERSION, Recogniser, find_spans, load_recogniser, recognise
from etl.ner_train import (
    Sentence,
    corpus_files,
    format_report,
    score,
    spans_to_tags,
    split_dev,
    train,
)
from etl.settings import data_dir

ARTICLE = 25  # sentences per pseudo-article: the dev files keep no document boundaries


def pipeline_tags(dev: list[Sentence], lang: str, model_dir: Path = MODEL_DIR) -> list[list[str]]:
    """Return tags as ``recognise`` finds them: per pseudo-article, with the document pass
    and alias-table names."""
    tags: list[list[str]] = []
    for i in range(0, len(dev), ARTICLE):
        chunk = [s.tokens for s in dev[i:i + ARTICLE]]
        for tokens, spans in zip(chunk, find_spans(chunk, lang, model_dir), strict=True):
            tags.append(spans_to_tags(len(tokens), [(a, b, label) for a, b, label, _ in spans]))
    return tags


def tokens_per_second(model: Recogniser, sentences: list[tuple[str, ...]]) -> float:
    """Return how many tokens per second ``model.tag`` handles on ``sentences``."""
    started = time.perf_counter()
    n = 0
    for tokens in sentences:
        model.tag(tokens)
        n += len(tokens)
    return n / (time.perf_counter() - started)


def bench(lang: str, data_dir: Path, scratch: Path) -> None:
    """Print dev scores (of a model trained without the dev split) and the shipped model's speed.

    The shipped model has learnt from the dev sentences too, so scoring it there would flatter
    it: a held-out model with the same settings is trained into ``scratch`` first (about a
    minute for Arabic).
    """
    shipped = load_recogniser(lang)
    sizes = ", ".join(f"{path.name} {path.stat().st_size / 1e6:.2f} MB"
                      for path in sorted(MODEL_DIR.glob(f"ner-{lang}.*")))
    print(f"{lang} model files: {sizes}")
    train(lang, scratch, data_dir)
    held_out = load_recogniser(lang, scratch)
    dev = [s for sentences in corpus_files(lang, data_dir).values() for s in split_dev(sentences)[1]]
    print(format_report({"file": f"dev ({lang}), held-out model, CRF sentence by sentence", "lang": lang,
                         **score(dev, [held_out.tag(s.tokens) for s in dev])}))
    print(format_report({"file": f"dev ({lang}), held-out model, as recognise() ({ARTICLE}-sentence articles)",
                         "lang": lang, **score(dev, pipeline_tags(dev, lang, scratch))}))
    cold = Recogniser(lang, {}, (), shipped.tagger)  # same tagger and lexicon, empty cache
    cold.gazetteer, cold.entity_words = shipped.gazetteer, shipped.entity_words
    sentences = [s.tokens for s in dev]
    print(f"{lang} tag: cold {tokens_per_second(cold, sentences):,.0f} tokens/s, "
          f"warm {tokens_per_second(cold, sentences * 3):,.0f} tokens/s")
    text = "\n".join(" ".join(s.tokens) for s in dev)
    started = time.perf_counter()
    recognise(text, lang)
    n = sum(len(s.tokens) for s in dev)
    print(f"{lang} recognise (raw text, tokenise + tag + spans): "
          f"{n / (time.perf_counter() - started):,.0f} tokens/s\n")


def main() -> None:
    """Run the benchmark for both languages."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data", type=Path, help="corpus folder (default: $NEWSETL_DATA_DIR, else ../shared/data)")
    args = parser.parse_args()
    try:
        args.data = args.data or data_dir(os.environ)
    except ConfigError as exc:
        parser.exit(2, f"bench_ner: {exc}\n")
    print(f"models: {MODEL_VERSION}\n")
    with tempfile.TemporaryDirectory(prefix="ner-bench-") as scratch:
        for lang in ("ar", "en"):
            bench(lang, args.data, Path(scratch))


if __name__ == "__main__":
    main()
