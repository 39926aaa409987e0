"""Score English attribution (``etl.claims.extract_claims``) on PolNeAR, dev beside frozen test.

Usage::

    .venv/bin/python bench/eval_polnear.py              # P/R/F1 on our dev and on the frozen test
    .venv/bin/python bench/eval_polnear.py --ner        # with etl.ner entity spans, as the nightly run
    .venv/bin/python bench/eval_polnear.py --show dev   # misses and extras of our dev split
    .venv/bin/python bench/eval_polnear.py --misses     # our dev's misses counted by why
    .venv/bin/python bench/build_cue_verbs_en.py        # rebuild etl/data/cue_verbs_en.tsv from our train split

PolNeAR (Newell, Margolin, Ruths 2018; political news 2015-2016, brat standoff with Source, Cue
and Content spans) is read from ``$NEWSETL_DATA_DIR/claims/en/polnear``. Its data has no
licence: nothing of its text is committed, only scores and counts of cue words.

Splits: PolNeAR *train* is cut by document into our train (4 of 5 documents in name order) and
our dev (every fifth document) -- rules and word lists are tuned on those. PolNeAR's own *dev*
split is the frozen test: only its scores are read. One annotator per article (the first file
in name order), only attributions with a Source (the claims newsetl stores have a speaker).

A predicted claim matches a gold attribution, one-to-one and greedy on the best overlap, when
(as in ``bench/eval_claims.py``) their contents share at least half of the tokens of the longer
one *and* the speaker matches. A gold pronoun source ("he") also matches the named source
PolNeAR gives last before it, since the extractor reports the named speaker; a gold descriptor
source ("the senator", "the campaign") likewise matches the latest named source before it that
carries its head or title ("Sen. Ana Ruiz", "the Lopes campaign"), as the extractor resolves it
(``etl.claims.speakers.resolve_backref``). Descriptor antecedents were added on 2026-12-01; before,
only pronouns had one (see bench/RESULTS.md for figures under both).
"""

from __future__ import annotations

import argparse
import hashlib
import os
import re
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.eval_claims import entities_for, one_to_one, speaker_ok, token_set  # noqa: E402
from etl.claims import EXTRACTOR_VERSION, extract_claims  # noqa: E402
from etl.claims.lexicon import EN_PARTICIPLES, EN_VERBS  # noqa: E402
from etl.claims.speakers import TITLES_EN, descriptor_head  # noqa: E402
from etl.claims.tokens import word_key  # noqa: E402
from etl.errors import ConfigError  # noqa: E402
from etl.settings import data_dir  # noqa: E402

MATCH_THRESHOLD = 0.5
DEV_EVERY = 5  # every fifth PolNeAR train document (name order) is our dev
_PRONOUNS = frozenset(("he", "she", "they", "it", "we", "i", "you", "him", "her", "them", "us", "his", "their", "its"))


@dataclass(frozen=True, slots=True)
class Attribution:
    """One gold attribution: source, cue and content as (start, end, text)."""

    source: dict
    cue: dict
    content: dict
    antecedent: dict | None  # the last named source before a pronoun source
    strict_antecedent: dict | None = None  # the scorer before descriptor antecedents (``strict``)


@dataclass(frozen=True, slots=True)
class Document:
    """One PolNeAR article with its gold attributions."""

    doc_id: str
    text: str
    gold: tuple[Attribution, ...]


def polnear_root(environ) -> Path:
    """Return the PolNeAR folder, or raise ConfigError naming what is missing."""
    root = data_dir(environ) / "claims" / "en" / "polnear"
    if not (root / "train" / "text").is_dir():
        raise ConfigError(f"no PolNeAR corpus at {root} (expected train/text and dev/text)")
    return root


def text_span(fields: str, text: str) -> dict:
    """Return a brat text-bound span ("Content 10 20;25 30"): outer bounds and its fragments.

    A quotation interrupted by its attribution is one discontinuous Content; scoring counts the
    tokens of the fragments only, not of the "he said" between them.
    """
    parts = [tuple(int(x) for x in frag.split()) for frag in fields.split(None, 1)[1].split(";")]
    start, end = min(a for a, _ in parts), max(b for _, b in parts)
    return {"start": start, "end": end, "text": text[start:end], "parts": parts}


def read_ann(ann: str, text: str) -> tuple[Attribution, ...]:
    """Return the attributions with a Source of one .ann file, in text order."""
    spans, events = {}, []
    for line in ann.splitlines():
        parts = line.split("\t")
        if line.startswith("T") and len(parts) >= 2:
            spans[parts[0]] = (parts[1].split()[0], text_span(parts[1], text))
        elif line.startswith("E") and len(parts) >= 2:
            events.append(dict(arg.split(":", 1) for arg in parts[1].split()[1:]))
    rows = []
    for ev in events:
        if not {"Source", "Cue", "Content"} <= ev.keys():
            continue
        rows.append(tuple(spans[ev[k]][1] for k in ("Source", "Cue", "Content")))
    rows.sort(key=lambda r: (r[1]["start"], r[2]["start"]))
    out, named, sources = [], [], []
    for source, cue, content in rows:
        is_pronoun = source["text"].casefold() in _PRONOUNS
        head = None if is_pronoun else descriptor_head(source["text"].strip())
        antecedent = (named[-1] if named else None) if is_pronoun else _named_as(named, head) if head else None
        strict = (sources[-1] if sources else None) if is_pronoun else None
        out.append(Attribution(source, cue, content, antecedent, strict))
        if not is_pronoun:
            sources.append(source)
            if head is None:
                named.append(source)
    return tuple(out)


def _named_as(named: list[dict], head: str) -> dict | None:
    """Return the latest named source that carries a descriptor's head or title ("Sen." for "the senator")."""
    marks = set(TITLES_EN.get(head, (head,)))
    for source in reversed(named):
        words = {word_key(w.rstrip(".’'s")) for w in source["text"].split()} | {word_key(w) for w in source["text"].split()}
        if words & marks:
            return source
    return None


def load_split(root: Path, split: str) -> list[Document]:
    """Return the documents of one PolNeAR split, one annotator per article."""
    anns: dict[str, Path] = {}
    for path in sorted((root / split / "attributions").glob("*.ann")):
        anns.setdefault(path.stem.rsplit("_", 1)[0], path)
    docs = []
    for name, ann in sorted(anns.items()):
        text = (root / split / "text" / f"{name}.txt").read_text(encoding="utf-8")
        docs.append(Document(name, text, read_ann(ann.read_text(encoding="utf-8"), text)))
    return docs


def our_splits(root: Path) -> dict[str, list[Document]]:
    """Return {"train", "dev", "test"}: PolNeAR train cut by document, PolNeAR dev frozen."""
    train = load_split(root, "train")
    return {
        "train": [d for i, d in enumerate(train) if i % DEV_EVERY != DEV_EVERY - 1],
        "dev": [d for i, d in enumerate(train) if i % DEV_EVERY == DEV_EVERY - 1],
        "test": load_split(root, "dev"),
    }


_RELATIVES = frozenset(("who", "which", "that"))


def _speaker_matches(g: Attribution, p, *, strict: bool = False) -> bool:
    """Return True when the predicted speaker names the gold source (or its antecedent).

    A relative-pronoun source ("Okafor, who said …") is the phrase right before it. ``strict`` is
    the scorer before descriptor antecedents: a pronoun's antecedent is the last source of any
    kind, a descriptor has none. It does not lean on the extractor's title list
    (``descriptor_head``), so it is printed beside the lenient figure as a check on the scorer.
    """
    antecedent = g.strict_antecedent if strict else g.antecedent
    if speaker_ok(g.source, p.speaker) or (antecedent is not None and speaker_ok(antecedent, p.speaker)):
        return True
    return (p.speaker is not None and g.source["text"].casefold() in _RELATIVES
            and 0 <= g.source["start"] - p.speaker.end <= 3)


def _overlap(doc: Document, g: Attribution, p) -> float:
    """Return shared tokens of gold content fragments and a predicted content over the larger."""
    tg = set().union(*(token_set(doc.text, a, b) for a, b in g.content["parts"]))
    tp = token_set(doc.text, p.content.start, p.content.end)
    return len(tg & tp) / max(len(tg), len(tp)) if tg and tp else 0.0


def match(doc: Document, pred: list, *, need_speaker: bool = True, strict: bool = False) -> list[tuple[int, int]]:
    """Return (gold index, pred index) pairs, greedy on best content overlap."""
    pairs = []
    for gi, g in enumerate(doc.gold):
        for pi, p in enumerate(pred):
            score = _overlap(doc, g, p)
            if score >= MATCH_THRESHOLD and (not need_speaker or _speaker_matches(g, p, strict=strict)):
                pairs.append((score, gi, pi))
    return one_to_one(pairs)


def evaluate(docs: list[Document], *, show: bool = False, use_ner: bool = False) -> Counter:
    """Return gold, pred, matched (speaker + content) and content-only matched counts."""
    s: Counter = Counter()
    for doc in docs:
        pred = extract_claims(doc.text, "en", entities_for(doc.text, "en", use_ner))
        pairs = match(doc, pred)
        s["gold"] += len(doc.gold)
        s["pred"] += len(pred)
        s["matched"] += len(pairs)
        s["content"] += len(match(doc, pred, need_speaker=False))
        s["strict"] += len(match(doc, pred, strict=True))
        if show:
            _show(doc, pred, pairs)
    return s


def _show(doc: Document, pred: list, pairs: list[tuple[int, int]]) -> None:
    """Print the unmatched gold and predicted attributions of one document."""
    mg, mp = {g for g, _ in pairs}, {p for _, p in pairs}
    for gi, g in enumerate(doc.gold):
        if gi not in mg:
            print(f"MISS  {doc.doc_id[:30]}: src={g.source['text'][:30]!r} cue={g.cue['text']!r} "
                  f"{g.content['text'][:80]!r}")
    for pi, p in enumerate(pred):
        if pi not in mp:
            print(f"EXTRA {doc.doc_id[:30]}: src={p.speaker and p.speaker.text[:30]!r} cue={p.cue.text!r} "
                  f"{p.content.text[:80]!r}")


def miss_categories(docs: list[Document]) -> Counter:
    """Return how many gold attributions are missed, by why (counts only, no text).

    "speaker": a claim has the content but another speaker; "content": a claim sits on the cue
    but its content does not overlap enough; the rest had no claim at its cue, by the cue's
    shape: a colon, one word that is a cue word here, one word that is not, several words.
    """
    out: Counter = Counter()
    for doc in docs:
        pred = extract_claims(doc.text, "en", [])
        hit = {g for g, _ in match(doc, pred)}
        content_only = {g for g, _ in match(doc, pred, need_speaker=False)}
        for gi, g in enumerate(doc.gold):
            if gi not in hit:
                out[_why_missed(g, pred, gi in content_only)] += 1
    return out


def _why_missed(g: Attribution, pred: list, content_found: bool) -> str:
    """Return the category of one missed gold attribution (see ``miss_categories``)."""
    if content_found:
        return "content found, speaker wrong"
    if any(p.cue.start < g.cue["end"] and g.cue["start"] < p.cue.end for p in pred):
        return "cue found, content wrong"
    words = re.findall(r"[A-Za-z’'-]+", g.cue["text"])
    if not words:
        return "colon or other mark as cue"
    if len(words) > 1:
        return "multi-word cue, not found"
    known = word_key(words[0]) in EN_VERBS | EN_PARTICIPLES or words[0].casefold() == "according"
    return "cue word in the lexicon, missed" if known else "cue word not in the lexicon"


def scores(s: Counter) -> tuple[float, float, float, float]:
    """Return precision, recall, F1 (speaker + content) and content-only F1."""
    p = s["matched"] / s["pred"] if s["pred"] else 0.0
    r = s["matched"] / s["gold"] if s["gold"] else 0.0
    f1 = 2 * p * r / (p + r) if p + r else 0.0
    cp = s["content"] / s["pred"] if s["pred"] else 0.0
    cr = s["content"] / s["gold"] if s["gold"] else 0.0
    return p, r, f1, (2 * cp * cr / (cp + cr) if cp + cr else 0.0)


def sentence_fingerprints(text: str) -> set[str]:
    """Return 48-bit fingerprints of the sentences of ``text`` that have at least 8 words.

    ``tests/test_no_polnear_text.py`` holds the fingerprints of PolNeAR's sentences (a hash is no
    text) and checks that no file of the repository contains one of them.
    """
    out = set()
    for sentence in re.split(r"(?<=[.!?])\s+|\n+", text):
        words = re.findall(r"\w+", sentence.casefold())
        if len(words) >= 8:
            out.add(hashlib.blake2b(" ".join(words).encode(), digest_size=6).hexdigest())
    return out


def cue_precision(docs: list[Document]) -> dict[str, tuple[int, int]]:
    """Return {cue word: (claims the extractor built on it, claims that matched gold)}."""
    claims, matched = Counter(), Counter()
    for doc in docs:
        pred = extract_claims(doc.text, "en", [])
        hits = {p for _, p in match(doc, pred)}
        for i, p in enumerate(pred):
            word = p.cue.text.casefold()
            claims[word] += 1
            matched[word] += i in hits
    return {w: (claims[w], matched[w]) for w in claims}


def report(results: dict[str, Counter], *, use_ner: bool = False) -> None:
    """Print one line per split: our dev beside PolNeAR's dev (frozen test)."""
    print(f"PolNeAR English attribution, extractor {EXTRACTOR_VERSION}{' with etl.ner spans' if use_ner else ''}; "
          f"match = speaker + content token overlap >= {MATCH_THRESHOLD}")
    print(f"{'split':>22}  {'gold':>6}  {'pred':>6}  {'P':>6}  {'R':>6}  {'F1':>6}  {'F1 content only':>15}"
          f"  {'F1 strict':>9}")
    names = {"dev": "our dev (train 1/5)", "test": "frozen test (PolNeAR dev)"}
    for split, s in results.items():
        p, r, f1, cf1 = scores(s)
        _, _, strict, _ = scores(Counter({**s, "matched": s["strict"]}))
        print(f"{names[split]:>22}  {s['gold']:>6}  {s['pred']:>6}  {p:6.3f}  {r:6.3f}  {f1:6.3f}  {cf1:15.3f}"
              f"  {strict:9.3f}")
    print("F1 strict: the scorer without descriptor antecedents (a pronoun's antecedent is the last "
          "source of any kind), which needs none of the extractor's lists")


def main(argv: list[str] | None = None) -> int:
    """Run the evaluation (or print cue counts) and return the exit status."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--show", choices=("dev",), help="print misses and extras of our dev split")
    ap.add_argument("--misses", action="store_true", help="count the misses of our dev split by why")
    ap.add_argument("--ner", action="store_true",
                    help="pass etl.ner entity spans to the extractor, as the nightly run does")
    ap.add_argument("--cue-precision", action="store_true",
                    help="print claims and matches per cue word on our train split (bench/build_cue_verbs_en.py)")
    ap.add_argument("--fingerprints", action="store_true",
                    help="print the sentence fingerprints of PolNeAR train and dev (tests/fixtures)")
    args = ap.parse_args(argv)
    splits = our_splits(polnear_root(os.environ))
    if args.fingerprints:
        prints = set().union(*(sentence_fingerprints(d.text) for docs in splits.values() for d in docs))
        print("\n".join(sorted(prints)))
        return 0
    if args.cue_precision:
        for word, (claims, matched) in sorted(cue_precision(splits["train"]).items()):
            print(f"{word}\t{claims}\t{matched}")
        return 0
    if args.misses:
        for why, n in miss_categories(splits["dev"]).most_common():
            print(f"{n:6d}  {why}")
        return 0
    if args.show:
        evaluate(splits[args.show], show=True, use_ner=args.ner)
        return 0
    report({split: evaluate(splits[split], use_ner=args.ner) for split in ("dev", "test")}, use_ner=args.ner)
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except ConfigError as exc:
        sys.exit(f"eval_polnear: {exc}")
