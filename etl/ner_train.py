"""Training and evaluation of the NER models: CoNLL reading, CRF training, entity-level scores.

``python -m etl.ner_train --lang ar`` (or ``en``) rebuilds ``etl/ner_models/ner-<lang>.crfsuite``
and its lexicon from ``ner/`` of the corpus folder (``etl.settings.data_dir``: ``NEWSETL_DATA_DIR``)
deterministically, holding out the last 10 % of the sentences of every training file as the dev
set it reports scores on. ``--dev-first --out DIR`` is the cross-check: the first 10 % held out.
"""

from __future__ import annotations

import argparse
import json
import os
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from etl.arabic import analysis_language
from etl.errors import ConfigError
from etl.ner import (
    LABELS,
    MODEL_DIR,
    Recogniser,
    arabic_match_key,
    iob_spans,
    load_recogniser,
    open_recogniser,
)
from etl.ner_aliases import phrase_key
from etl.settings import data_dir
from etl.titles import NAME_TITLES_EN

DEV_FRACTION = 0.1


# Tag names of the corpora we read, folded onto PER/ORG/LOC/MISC; anything else becomes O.
LABEL_MAP = {
    "per": "PER", "pers": "PER", "person": "PER",
    "org": "ORG", "organisation": "ORG", "organization": "ORG",
    "loc": "LOC", "location": "LOC", "place": "LOC", "gpe": "LOC",
    "misc": "MISC", "nationality": "MISC", "norp": "MISC",
}
CRF_PARAMS = {
    "ar": {"c1": 0.05, "c2": 0.01, "max_iterations": 200, "feature.possible_transitions": True},
    "en": {"c1": 0.05, "c2": 0.3, "max_iterations": 200, "feature.possible_transitions": True},
}
"""L1/L2 weights chosen on blocked CV: English c2 0.3 gives 0.593 (0.01: 0.579; 0.1: 0.589;
c1 0.02 with c2 0.1 or 0.3: 0.593–0.594, c1 0.1: 0.579)."""


@dataclass(frozen=True, slots=True)
class Sentence:
    """One tokenised sentence with IOB2 tags over PER/ORG/LOC/MISC."""

    tokens: tuple[str, ...]
    tags: tuple[str, ...]


def read_conll(path: Path) -> list[tuple[list[str], list[str]]]:
    """Return (tokens, raw tags) per sentence of a CoNLL file (token first, tag last column)."""
    sentences: list[tuple[list[str], list[str]]] = []
    tokens: list[str] = []
    tags: list[str] = []
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            line = line.rstrip("\n\r")
            parts = line.split("\t") if "\t" in line else line.split(" ")
            if not line.strip() or parts[0] == "-DOCSTART-":
                if tokens:
                    sentences.append((tokens, tags))
                tokens, tags = [], []
                continue
            if len(parts) < 2:
                continue  # a token without a tag (stray whitespace): nothing to learn from
            tokens.append(parts[0])
            tags.append(parts[-1].strip())
    if tokens:
        sentences.append((tokens, tags))
    return sentences


def map_tag(tag: str) -> str:
    """Return a raw tag (B-PERS, I-person, O…) as IOB prefix + PER/ORG/LOC/MISC, or O."""
    prefix, _, label = tag.partition("-")
    if prefix not in ("B", "I") or not label:
        return "O"
    mapped = LABEL_MAP.get(label.lower())
    return f"{prefix}-{mapped}" if mapped else "O"


def to_iob2(tags: Sequence[str]) -> list[str]:
    """Return IOB1 or IOB2 tags as IOB2: an I-X that does not continue an X becomes B-X."""
    out = []
    prev = "O"
    for tag in tags:
        if tag.startswith("I-") and prev[2:] != tag[2:]:
            tag = "B-" + tag[2:]
        out.append(tag)
        prev = tag
    return out


def spans_to_tags(n: int, spans: Iterable[tuple[int, int, str]]) -> list[str]:
    """Return IOB2 tags of length ``n`` for (start, end, label) token spans."""
    tags = ["O"] * n
    for start, end, label in spans:
        tags[start] = "B-" + label
        for i in range(start + 1, end):
            tags[i] = "I-" + label
    return tags


def read_sentences(path: Path) -> list[Sentence]:
    """Return the sentences of a CoNLL file with tags mapped to IOB2 PER/ORG/LOC/MISC."""
    out = []
    for tokens, raw in read_conll(path):
        tags = to_iob2([map_tag(t) for t in raw])
        out.append(Sentence(tuple(tokens), tuple(tags)))
    return out


GUM_TYPES = {"person": "PER", "place": "LOC", "organization": "ORG",
             "event": "MISC", "abstract": "MISC", "object": "MISC"}
RE3D_TYPES = {"person": "PER", "location": "LOC", "organisation": "ORG", "nationality": "MISC"}
_DETERMINERS = {"the", "a", "an", "this", "that", "these", "those", "my", "our", "your", "his",
                "her", "their", "its", "some", "all", "both"}
_CONNECTORS = {"of", "and", "de", "&", "-", "'s", "la", "le", "du", "del", "von", "van", "al",
               "bin", "for", "on", "in", "the", "'", "da", "di", "y"}
_PRONOUNS = {"i", "he", "she", "we", "they", "it", "you", "me", "him", "us", "them", "mine",
             "one", "god", "mom", "dad"}


def _gum_name(tokens: Sequence[str], start: int, end: int) -> tuple[int, int] | None:
    """Return the proper-name part of a GUM mention span, or None when it is not a name."""
    while start < end - 1 and tokens[start].lower() in _DETERMINERS | NAME_TITLES_EN:
        start += 1
    while end > start and tokens[end - 1] in ("'s", "'", ",", "."):
        end -= 1
    words = tokens[start:end]
    if not words or not words[0][:1].isupper() or not words[-1][:1].isalnum():
        return None
    if len(words) == 1 and (words[0].lower() in _PRONOUNS or start == 0 and words[0].islower()):
        return None
    if start == 0 and len(words) == 1 and not words[0][1:].islower() and len(words[0]) < 2:
        return None
    ok = all(w[:1].isupper() or w[:1].isdigit() or w.lower() in _CONNECTORS for w in words)
    return (start, end) if ok else None


def read_mentions(path: Path, types: dict[str, str]) -> list[Sentence]:
    """Return sentences of a mention corpus (GUM, re3d) with only proper-name mentions kept.

    GUM and re3d tag every mention of a type, pronouns and "the supply routes" included; a NER
    model that should find names learns those as O. Sentences where a dropped mention contains
    a capitalised word are left out: the flat files keep only the outer mention ("the
    president of France"), so France would be taught as O.
    """
    out = []
    for tokens, raw in read_conll(path):
        iob = to_iob2([t if t == "O" else t[:2] + t[2:].lower() for t in raw])
        spans, drop = [], False
        for start, end, kind in iob_spans(iob):
            label = types.get(kind)
            name = _gum_name(tokens, start, end) if label else None
            if name and label == "MISC" and name[0] == 0 and name[1] == 1:
                name = None  # a capitalised first word alone ("Tips") is rarely a name
            if name:
                spans.append((*name, label))
            elif any(w[:1].isupper() for w in tokens[max(start, 1):end]) and kind not in (
                    "time", "quantity", "temporal", "money"):
                drop = True
        if not drop:
            out.append(Sentence(tuple(tokens), tuple(spans_to_tags(len(tokens), spans))))
    return out


def _concat(*parts: list[Sentence]) -> list[Sentence]:
    return [s for part in parts for s in part]


# Every corpus of the corpus folder, in corpus order (file order: documents stay contiguous).
CORPORA: dict[str, dict[str, Callable[[Path], list[Sentence]]]] = {
    "ar": {
        "anercorp": lambda ner: read_sentences(ner / "ar" / "ANERCorp_CamelLab_train.txt"),
        "aqmar": lambda ner: read_sentences(ner / "ar" / "aqmar" / "aqmar.conll"),
        "wojood": lambda ner: _concat(*(read_sentences(ner / "ar" / "wojood_sample" / f"wojood_sample_{p}.conll")
                                        for p in ("train", "val", "test"))),
    },
    "en": {
        "wikigold": lambda ner: read_sentences(ner / "en" / "wikigold.conll.txt"),
        "gum": lambda ner: read_mentions(ner / "en" / "gum-train.conll", GUM_TYPES),
        "re3d": lambda ner: read_mentions(ner / "en" / "re3d-train.conll", RE3D_TYPES),
        "btc": lambda ner: _concat(*(read_sentences(ner / "en" / "btc" / f"btc_{p}.conll")
                                     for p in "abefgh")),
        "wnut17": lambda ner: _concat(*(read_sentences(ner / "en" / "wnut17" / f"wnut17_{p}.conll")
                                        for p in ("train", "dev", "test"))),
        "sec": lambda ner: _concat(*(read_sentences(ner / "en" / "sec_filings" / f"sec_filings_{p}.conll")
                                     for p in ("train", "test"))),
    },
}
TRAIN_CORPORA = {"ar": ("anercorp",), "en": ("wikigold", "gum", "re3d")}
"""The news-like corpora the shipped models learn from and cross-validation scores."""
EXTRA_CORPORA: dict[str, tuple[str, ...]] = {"ar": (), "en": ()}
"""Corpora of other genres the models would also learn from (never scored in CV). None does
today, on the numbers of docs/MODEL_CARD_NER.md: tweets (BTC) gave English +2.2 PER/ORG/LOC in
CV but −3.4 on re3d and MISC −15; AQMAR and Wojood cost Arabic 2.3 F1 on a fold; WNUT-17
cost English 0.5."""


def read_corpus(lang: str, name: str, data_dir: Path) -> list[Sentence]:
    """Return one corpus of the corpus folder, tags mapped to PER/ORG/LOC/MISC."""
    return CORPORA[lang][name](data_dir / "ner")


def corpus_files(lang: str, data_dir: Path) -> dict[str, list[Sentence]]:
    """Return the training corpora of ``lang`` by name, tags already mapped."""
    return {name: read_corpus(lang, name, data_dir) for name in (*TRAIN_CORPORA[lang], *EXTRA_CORPORA[lang])}


def split_dev(sentences: Sequence[Sentence], *, first: bool = False, holdout: bool = True
              ) -> tuple[list[Sentence], list[Sentence]]:
    """Return (train, dev): the last 10 % of sentences, in file order, are dev (with ``first``,
    the first 10 %: the cross-check split, so settings are not picked on one dev set only).

    ``holdout=False`` is the shipped model's split: everything is training data (dev empty).
    """
    if not holdout:
        return list(sentences), []
    size = max(1, round(len(sentences) * DEV_FRACTION))
    if first:
        return list(sentences[size:]), list(sentences[:size])
    cut = len(sentences) - size
    return list(sentences[:cut]), list(sentences[cut:])


def _match_key(key: str, lang: str) -> str:
    return arabic_match_key(key) if lang == "ar" else key


def build_lexicon(sentences: Iterable[Sentence], lang: str) -> dict:
    """Return the gazetteer (word → majority label when mostly tagged as one) and entity words.

    Built from the train split only, so dev scores are not flattered by dev names.
    """
    as_label: dict[str, Counter[str]] = defaultdict(Counter)
    total: Counter[str] = Counter()
    first_words: Counter[str] = Counter()
    for s in sentences:
        for tok, tag in zip(s.tokens, s.tags, strict=True):
            k = phrase_key(tok, lang)
            total[k] += 1
            if tag != "O":
                as_label[k][tag[2:]] += 1
            if tag.startswith("B-"):
                first_words[k] += 1
    gazetteer = {}
    for k, labels in as_label.items():
        label, n = labels.most_common(1)[0]
        if n >= 2 and n / total[k] >= 0.6 and len(k) > 1:
            gazetteer[k] = label
    entity_words = sorted(k for k, n in first_words.items() if n / total[k] >= 0.5 and len(k) > 1)
    # Words too often not a name to spread a tag found once over a whole article.
    stems = Counter()
    named = Counter()
    for k, n in total.items():
        stem = _match_key(k, lang)
        stems[stem] += n
        named[stem] += sum(as_label[k].values()) if k in as_label else 0
    common = sorted(k for k, n in stems.items() if n >= 3 and named[k] / n < 0.3)
    return {"gazetteer": dict(sorted(gazetteer.items())), "entity_words": entity_words,
            "common_words": common}


JACKKNIFE_BLOCK = 50
"""Sentences per contiguous block when the lexicon features are jackknifed (about a few news
documents). Blocks, not alternate sentences: a name recurs within its document, so a lexicon
built from the neighbouring sentence would know it, and the CRF would learn to trust lexicon
hits far more than they deserve on unseen news."""


def jackknife_halves(sentences: Sequence[Sentence], block: int) -> tuple[list[Sentence], list[Sentence]]:
    """Return the training sentences as two halves of alternating contiguous blocks."""
    halves: tuple[list[Sentence], list[Sentence]] = ([], [])
    for i in range(0, len(sentences), block):
        halves[(i // block) % 2].extend(sentences[i:i + block])
    return halves


Progress = Callable[[str], None]


def _trainer(progress: Progress | None, every: int = 25):
    """Return a CRF trainer that reports every ``every`` L-BFGS iterations to ``progress``.

    crfsuite hands its log to these handlers only in verbose mode, where the default handlers
    print every line: they are silenced here, and only the iteration count is passed on.
    """
    import pycrfsuite

    class Reporting(pycrfsuite.Trainer):
        def on_iteration(self, log, info):
            if progress and info.get("num", 0) % every == 0:
                progress(f"  iteration {info['num']}: loss {info.get('loss', 0):,.0f}")

        def on_start(self, log): pass
        def on_featgen_progress(self, log, percent): pass
        def on_featgen_end(self, log): pass
        def on_prepared(self, log): pass
        def on_prepare_error(self, log): pass
        def on_optimization_end(self, log): pass
        def on_end(self, log): pass

    return Reporting(verbose=progress is not None)


def fit(lang: str, train_set: Sequence[Sentence], out_dir: Path, params: dict | None = None,
        progress: Progress | None = None) -> tuple[Path, float]:
    """Train a CRF and its lexicon on ``train_set`` into ``out_dir``; return (model, seconds).

    Lexicon features are jackknifed: each half of the training data is featurised with the
    lexicon of the other half, so the CRF learns how far to trust a lexicon hit on a name it
    never saw; the saved lexicon is built from all of it.
    """
    trainer = _trainer(progress)
    halves = jackknife_halves(train_set, JACKKNIFE_BLOCK)
    for i, half in enumerate(halves):
        other = build_lexicon(halves[1 - i], lang)
        rec = Recogniser(lang, other["gazetteer"], other["entity_words"])
        for s in half:
            trainer.append(rec.sentence_features(s.tokens), list(s.tags))
    trainer.set_params(params or CRF_PARAMS[lang])
    if progress:
        progress(f"{lang}: training a CRF on {len(train_set):,} sentences "
                 f"({(params or CRF_PARAMS[lang])['max_iterations']} iterations at most)")
    out_dir.mkdir(parents=True, exist_ok=True)
    model_path = out_dir / f"ner-{lang}.crfsuite"
    started = time.perf_counter()
    trainer.train(str(model_path))
    seconds = time.perf_counter() - started
    (out_dir / f"ner-{lang}.lexicon.json").write_text(
        json.dumps(build_lexicon(train_set, lang), ensure_ascii=False, indent=0, sort_keys=True),
        encoding="utf-8")
    return model_path, seconds


def train(lang: str, out_dir: Path, data_dir: Path, *,
          dev_first: bool = False, holdout: bool = True, progress: Progress | None = None) -> dict:
    """Train the ``lang`` CRF on the train split, save it to ``out_dir``; return dev scores.

    ``dev_first`` holds out the first 10 % instead of the last (cross-check only). With
    ``holdout=False`` the model learns from every sentence (no dev scores): that is the
    shipped model, trained with the settings chosen on the held-out split — the sentences just
    before the corpus's own test part are the most useful ones to learn from.
    """
    corpora = corpus_files(lang, data_dir)
    train_set: list[Sentence] = []
    dev_sets: dict[str, list[Sentence]] = {}
    for name, sentences in corpora.items():
        tr, dev = split_dev(sentences, first=dev_first, holdout=holdout)
        train_set += tr
        dev_sets[name] = dev
    model_path, seconds = fit(lang, train_set, out_dir, progress=progress)
    if progress:
        progress(f"{lang}: trained in {seconds:.0f} s")
    if out_dir == MODEL_DIR:
        load_recogniser.cache_clear()  # this process now tags with the new model
    model = open_recogniser(lang, out_dir)
    report = {
        "lang": lang,
        "train_sentences": len(train_set),
        "train_seconds": round(seconds, 1),
        "model_bytes": model_path.stat().st_size,
        "dev": {name: score(dev, [model.tag(s.tokens) for s in dev]) for name, dev in dev_sets.items()},
    }
    all_dev = [s for dev in dev_sets.values() for s in dev]
    if all_dev:
        report["dev"]["all"] = score(all_dev, [model.tag(s.tokens) for s in all_dev])
    else:
        report["dev"] = {}
    return report


def train_and_ship(lang: str, data_dir: Path, *, out_dir: Path = MODEL_DIR,
                   progress: Progress | None = None) -> dict:
    """Score the settings on the held-out split (a scratch model), then train the shipped model
    on all the data into ``out_dir``; return the held-out report."""
    import tempfile

    with tempfile.TemporaryDirectory(prefix=f"ner-{lang}-dev-") as scratch:
        if progress:
            progress(f"{lang}: 1/2 the held-out model (last 10 % of each corpus kept out), for its scores")
        report = train(lang, Path(scratch), data_dir, progress=progress)
    if progress:
        progress(f"{lang}: 2/2 the shipped model, on every sentence, into {out_dir}")
    final = train(lang, out_dir, data_dir, holdout=False, progress=progress)
    report.update(shipped_train_sentences=final["train_sentences"], model_bytes=final["model_bytes"])
    return report


def _prf(tp: int, fp: int, fn: int) -> dict:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": p, "recall": r, "f1": f, "tp": tp, "fp": fp, "fn": fn, "support": tp + fn}


def score(gold: Sequence[Sentence], predicted: Sequence[Sequence[str]]) -> dict:
    """Return CoNLL-style entity scores (exact span and type) per type and overall."""
    counts = {lab: [0, 0, 0] for lab in LABELS}
    tokens = 0
    for sent, pred in zip(gold, predicted, strict=True):
        tokens += len(sent.tokens)
        g = set(iob_spans(sent.tags))
        p = set(iob_spans(pred))
        for span in p:
            counts.setdefault(span[2], [0, 0, 0])[0 if span in g else 1] += 1
        for span in g - p:
            counts.setdefault(span[2], [0, 0, 0])[2] += 1
    per_type = {lab: _prf(*c) for lab, c in counts.items()}
    overall = _prf(*(sum(c[i] for c in counts.values()) for i in range(3)))
    return {"sentences": len(gold), "tokens": tokens, "per_type": per_type, "overall": overall}


def is_mention_corpus(path: Path) -> bool:
    """Return True when a CoNLL file uses mention types (GUM person/place…, re3d Person…)
    rather than the CoNLL/ANERcorp names PER, PERS, LOC, ORG, MISC."""
    labels = {t.partition("-")[2] for _, tags in read_conll(path) for t in tags if t != "O"}
    return bool(labels - {"PER", "PERS", "LOC", "ORG", "MISC"})


def evaluate_file(path: Path, lang: str | None = None, *,
                  tag: Callable[[Sequence[str]], list[str]] | None = None,
                  names_only: bool | None = None) -> dict:
    """Return entity-level P/R/F1 on a CoNLL file (IOB1 or IOB2, PERS read as PER).

    ``tag`` maps a sentence's tokens to IOB tags; by default the shipped model of ``lang``
    (picked by script when ``lang`` is None). Files with GUM or re3d mention types are read as
    in training (``names_only``, default: detected): only proper-name mentions are gold, since
    a NER model is not meant to find "he" or "the supply routes".
    """
    path = Path(path)
    if names_only is None:
        names_only = is_mention_corpus(path)
    gold = read_mentions(path, {**GUM_TYPES, **RE3D_TYPES}) if names_only else read_sentences(path)
    if lang not in ("ar", "en"):
        lang = analysis_language(" ".join(t for s in gold[:200] for t in s.tokens), lang)
    tag = tag or load_recogniser(lang).tag
    report = score(gold, [tag(s.tokens) for s in gold])
    return {"file": str(path), "lang": lang, "names_only": names_only, **report}


def format_report(report: dict) -> str:
    """Return a CoNLL-eval-like text table of an ``evaluate_file`` or ``score`` report."""
    head = f"{report.get('file', '')} lang={report.get('lang', '?')} " \
           f"sentences={report['sentences']} tokens={report['tokens']}".strip()
    if report.get("names_only"):
        head += " (mention corpus: proper-name mentions only)"
    lines = [head, f"{'type':<8}{'precision':>10}{'recall':>9}{'f1':>8}{'support':>9}"]
    rows = [*report["per_type"].items(), ("overall", report["overall"])]
    for name, s in rows:
        lines.append(f"{name:<8}{s['precision']:>10.4f}{s['recall']:>9.4f}{s['f1']:>8.4f}"
                     f"{s['support']:>9}")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    """Train the requested model(s) and print dev scores; return the exit status."""
    parser = argparse.ArgumentParser(prog="newsetl train-ner", description=__doc__)
    parser.add_argument("--lang", choices=["ar", "en", "all"], default="all")
    parser.add_argument("--out", type=Path, default=MODEL_DIR, help="model directory")
    parser.add_argument("--data", type=Path, help="corpus folder (default: $NEWSETL_DATA_DIR, else ../shared/data)")
    parser.add_argument("--dev-first", action="store_true",
                        help="cross-check: hold out the first 10 %% of each file (use with --out)")
    parser.add_argument("--holdout-only", action="store_true",
                        help="train only the held-out model (use with --out); default: score it, then ship one trained on all data")
    args = parser.parse_args(argv)
    try:
        args.data = args.data or data_dir(os.environ)
    except ConfigError as exc:
        parser.exit(2, f"train-ner: {exc}\n")
    for lang in (["ar", "en"] if args.lang == "all" else [args.lang]):
        experiment = args.dev_first or args.holdout_only
        if experiment and args.out == MODEL_DIR:
            parser.error("held-out models are for scoring only, never shipped: pass --out DIR")
        report = (train(lang, args.out, args.data, dev_first=args.dev_first) if experiment
                  else train_and_ship(lang, args.data, out_dir=args.out))
        print(f"{lang}: {report['train_sentences']} train sentences, "
              f"{report['train_seconds']}s, model {report['model_bytes']} bytes")
        for name, dev in report["dev"].items():
            print(format_report({"file": f"dev:{name}", "lang": lang, **dev}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
