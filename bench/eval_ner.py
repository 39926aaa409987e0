"""NER evaluation that predicts unseen news: blocked cross-validation and cross-corpus scores.

Run: ``make eval-ner`` (``.venv/bin/python bench/eval_ner.py``; corpora from
``$NEWSETL_DATA_DIR``, default ../shared/data). About 10 minutes on two cores.

Why not one random or final split: a nightly run meets *later* news from *other* outlets. So

- **blocked k-fold CV**: every news corpus the shipped model learns from (``TRAIN_CORPORA``) is cut
  into 5 contiguous blocks in corpus order (the corpora keep their sentences in document order,
  so a block holds whole documents, never a sentence whose neighbours were trained on); fold k
  trains on the other blocks (plus all of ``EXTRA_CORPORA``, other genres) and scores block k.
  Mean ± sd over folds, per type, on
  PER/ORG/LOC/MISC and on PER/ORG/LOC only (MISC differs most between guidelines).
- **cross-corpus**: train on one corpus, score on another (PER/ORG/LOC): a different source,
  genre and annotation guideline, as the nightly run meets.

Scores are exact span and type, CoNLL-style, of the CRF tagging each sentence (``Recogniser.tag``:
the model, its lexicon and the shipped CLDR/alias gazetteer). ``doc`` columns add the document
pass of ``recognise`` (a name tagged once is tagged where it recurs) over chunks of 20 sentences.
Settings, features and training data are chosen on these numbers only.

Experiments: ``--set JACKKNIFE_BLOCK=1`` changes a module setting of ``etl.ner_train`` or
``etl.ner`` in every worker; ``--extra ar:aqmar`` adds a corpus to every CV training set;
``--only cv`` / ``--only cross``, ``--lang ar``.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field, replace
from pathlib import Path

from etl.errors import ConfigError
from etl.settings import data_dir

FOLDS = 5
DOC_CHUNK = 20
TYPES = ("PER", "ORG", "LOC", "MISC")
CROSS = [  # (lang, train corpora, test corpus)
    ("ar", ("anercorp",), "aqmar"),
    ("ar", ("anercorp",), "wojood"),
    ("ar", ("aqmar",), "anercorp"),
    ("ar", ("anercorp", "aqmar", "wojood"), "anercorp-last-block"),
    ("en", ("wikigold", "gum"), "re3d"),
    ("en", ("wikigold", "gum", "btc"), "re3d"),
    ("en", ("re3d",), "wikigold"),
    ("en", ("wikigold", "gum", "re3d"), "sec"),
]


@dataclass(frozen=True)
class Job:
    """One training run and the sentences it is scored on (named, to keep workers cheap)."""

    name: str
    lang: str
    train: tuple[tuple[str, int | None], ...]  # (corpus, block held out or None for all)
    test: tuple[tuple[str, int], ...]  # (corpus, block scored; -1 = the whole corpus)
    settings: tuple[tuple[str, str], ...] = field(default=())


def blocks(n: int, k: int = FOLDS) -> list[range]:
    """Return ``k`` contiguous blocks covering ``range(n)``."""
    edges = [round(i * n / k) for i in range(k + 1)]
    return [range(edges[i], edges[i + 1]) for i in range(k)]


def _apply(settings: tuple[tuple[str, str], ...]) -> None:
    import etl.ner
    import etl.ner_train

    for name, value in settings:
        module = etl.ner_train if hasattr(etl.ner_train, name) else etl.ner
        if not hasattr(module, name):
            raise SystemExit(f"eval_ner: no setting {name} in etl.ner_train or etl.ner")
        setattr(module, name, type(getattr(module, name))(json.loads(value)))


def _sentences(lang: str, corpus: str, block: int | None, held_out: bool, root: Path, cache: dict):
    from etl.ner_train import read_corpus

    if corpus not in cache:
        cache[corpus] = read_corpus(lang, corpus, root)
    sents = cache[corpus]
    if block is None or block == -1:
        return [] if held_out and block is None else list(sents)
    part = blocks(len(sents))[block]
    if held_out:
        return [s for i, s in enumerate(sents) if i not in part]
    return [sents[i] for i in part]


def run_job(job: Job, root: Path) -> dict:
    """Train the job's model in a scratch folder and return its scores (run in a worker)."""
    from etl.ner import open_recogniser
    from etl.ner_train import fit, score

    _apply(job.settings)
    cache: dict = {}
    train = [s for corpus, block in job.train
             for s in _sentences(job.lang, corpus, block, block is not None, root, cache)]
    test = [s for corpus, block in job.test
            for s in _sentences(job.lang, corpus, block, False, root, cache)]
    with tempfile.TemporaryDirectory(prefix="eval-ner-") as scratch:
        _, seconds = fit(job.lang, train, Path(scratch))
        model = open_recogniser(job.lang, Path(scratch))
        crf = [model.tag(s.tokens) for s in test]
        doc = [t for i in range(0, len(test), DOC_CHUNK)
               for t in model.tag_document([s.tokens for s in test[i:i + DOC_CHUNK]])]
    return {"name": job.name, "lang": job.lang, "train_sentences": len(train),
            "test_sentences": len(test), "seconds": round(seconds, 1),
            "all": _summary(score(test, crf)), "doc": _summary(score(test, doc)),
            "pol": _summary(score(*_without_misc(test, crf))),
            "pol_doc": _summary(score(*_without_misc(test, doc)))}


def _without_misc(gold, predicted):
    from etl.ner_train import Sentence

    def drop(tags):
        return [t if not t.endswith("-MISC") else "O" for t in tags]

    return ([Sentence(s.tokens, tuple(drop(s.tags))) for s in gold], [drop(p) for p in predicted])


def _summary(report: dict) -> dict:
    out = {"overall": round(report["overall"]["f1"], 4),
           "p": round(report["overall"]["precision"], 4), "r": round(report["overall"]["recall"], 4)}
    for label in TYPES:
        if label in report["per_type"] and report["per_type"][label]["support"]:
            out[label] = round(report["per_type"][label]["f1"], 4)
    return out


def cv_jobs(lang: str, extra: list[str], settings) -> list[Job]:
    """Return the blocked k-fold jobs of one language."""
    from etl.ner_train import EXTRA_CORPORA, TRAIN_CORPORA

    main = TRAIN_CORPORA[lang]
    extra = [*EXTRA_CORPORA[lang], *extra]
    return [Job(f"cv-{lang}-{k}", lang,
                tuple((c, k) for c in main) + tuple((c, None) for c in extra),
                tuple((c, k) for c in main), settings)
            for k in range(FOLDS)]


def cross_jobs(langs: list[str], settings) -> list[Job]:
    """Return the cross-corpus jobs (``anercorp-last-block``: the last CV block of ANERcorp,
    trained on the rest of it plus the other Arabic corpora: does more data help?)."""
    jobs = []
    for lang, train, test in CROSS:
        if lang not in langs:
            continue
        if test == "anercorp-last-block":
            jobs.append(Job(f"x-{lang}-{'+'.join(train)}>{test}", lang,
                            (("anercorp", FOLDS - 1), *((c, None) for c in train[1:])),
                            (("anercorp", FOLDS - 1),), settings))
        else:
            jobs.append(Job(f"x-{lang}-{'+'.join(train)}>{test}", lang,
                            tuple((c, -1) for c in train), ((test, -1),), settings))
    return [replace(j, train=tuple((c, None if b == -1 else b) for c, b in j.train)) for j in jobs]


def _mean_sd(values: list[float]) -> str:
    if not values:
        return "   -        "
    sd = statistics.stdev(values) if len(values) > 1 else 0.0
    return f"{statistics.mean(values):.3f}±{sd:.3f}"


def print_cv(results: list[dict], lang: str) -> None:
    """Print the mean ± sd table of one language's folds."""
    folds = [r for r in results if r["name"].startswith(f"cv-{lang}-")]
    if not folds:
        return
    print(f"\n{lang}: blocked {FOLDS}-fold CV ({folds[0]['train_sentences']} train / "
          f"{folds[0]['test_sentences']} test sentences per fold)")
    print(f"{'':<18}{'overall':>13}{'P':>13}{'R':>13}" + "".join(f"{t:>13}" for t in TYPES))
    for key, title in (("all", "PER/ORG/LOC/MISC"), ("pol", "PER/ORG/LOC"),
                       ("doc", "+doc pass"), ("pol_doc", "PER/ORG/LOC +doc")):
        cols = ["overall", "p", "r", *TYPES]
        row = [_mean_sd([f[key][c] for f in folds if c in f[key]]) for c in cols]
        print(f"{title:<18}" + "".join(f"{v:>13}" for v in row))


def print_cross(results: list[dict]) -> None:
    """Print one line per cross-corpus job (PER/ORG/LOC)."""
    rows = [r for r in results if r["name"].startswith("x-")]
    if not rows:
        return
    print("\ncross-corpus, PER/ORG/LOC (train > test)")
    print(f"{'':<44}{'F1':>7}{'P':>7}{'R':>7}{'PER':>7}{'ORG':>7}{'LOC':>7}{'+doc':>7}")
    for r in rows:
        s = r["pol"]
        print(f"{r['name'][2:]:<44}{s['overall']:>7.3f}{s['p']:>7.3f}{s['r']:>7.3f}"
              + "".join(f"{s.get(t, 0):>7.3f}" for t in ("PER", "ORG", "LOC"))
              + f"{r['pol_doc']['overall']:>7.3f}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--lang", choices=["ar", "en"], action="append")
    parser.add_argument("--only", choices=["cv", "cross"])
    parser.add_argument("--extra", action="append", default=[], help="LANG:CORPUS added to CV training")
    parser.add_argument("--set", dest="settings", action="append", default=[], help="NAME=JSON value")
    parser.add_argument("--workers", type=int, default=min(2, os.cpu_count() or 1))
    parser.add_argument("--out", type=Path, default=Path("bench/out/eval_ner.json"))
    args = parser.parse_args(argv)
    try:
        root = data_dir(os.environ)
    except ConfigError as exc:
        parser.exit(2, f"eval_ner: {exc}\n")
    langs = args.lang or ["ar", "en"]
    settings = tuple(tuple(s.split("=", 1)) for s in args.settings)
    _apply(settings)  # here too: the training sets are chosen in this process
    jobs: list[Job] = []
    if args.only != "cross":
        for lang in langs:
            extra = [e.split(":", 1)[1] for e in args.extra if e.startswith(lang + ":")]
            jobs += cv_jobs(lang, extra, settings)
    if args.only != "cv":
        jobs += cross_jobs(langs, settings)
    started = time.perf_counter()
    results = []
    with ProcessPoolExecutor(max_workers=args.workers) as pool:
        for result in pool.map(run_job, jobs, [root] * len(jobs)):
            print(f"  {result['name']}: F1 {result['all']['overall']:.3f} "
                  f"({result['seconds']} s training)", file=sys.stderr, flush=True)
            results.append(result)
    from etl.ner import MODEL_VERSION

    print(f"models: {MODEL_VERSION}; settings: {dict(settings) or 'shipped'}; extra: {args.extra or '-'}")
    for lang in langs:
        print_cv(results, lang)
    print_cross(results)
    print(f"\n{len(jobs)} trainings in {time.perf_counter() - started:.0f} s with {args.workers} workers")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps({"settings": dict(settings), "extra": args.extra, "results": results},
                                   indent=1, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
