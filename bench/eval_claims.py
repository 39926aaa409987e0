"""Score ``etl.claims.extract_claims`` against the hand-annotated gold set.

Usage::

    /work/main/.venv/bin/python bench/eval_claims.py            # rules only, no NER spans
    /work/main/.venv/bin/python bench/eval_claims.py --ner      # with etl.ner entity spans
    /work/main/.venv/bin/python bench/eval_claims.py --show dev # list misses of the dev split

Gold: ``bench/data/claims_gold.jsonl``, one document per line (text, lang, split, claims);
annotation rules in ``bench/data/ANNOTATION_RULES.md``. Printed per language and split:

- claim detection precision / recall / F1. A predicted claim matches a gold claim when their
  content spans share at least half of the tokens of the longer of the two (greedy one-to-one
  matching, best overlap first);
- on matched pairs: speaker accuracy (normalised keys equal or one contained in the other, or
  the spans overlap; a gold "no speaker" needs a predicted "no speaker"), polarity accuracy,
  kind accuracy;
- on the quantities of matched gold claims: value accuracy and category accuracy (a gold
  quantity with no overlapping predicted quantity counts as wrong).

Tune on ``dev`` only; ``test`` is held out.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from etl.arabic import normalise_key  # noqa: E402
from etl.claims import EXTRACTOR_VERSION, extract_claims  # noqa: E402

GOLD = ROOT / "bench" / "data" / "claims_gold.jsonl"
_WORD = re.compile(r"\w+")
MATCH_THRESHOLD = 0.5


def load_gold(path: Path = GOLD) -> list[dict]:
    """Return the gold documents."""
    with path.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def token_set(text: str, start: int, end: int) -> set[int]:
    """Return the start offsets of the word tokens inside ``text[start:end]``."""
    return {start + m.start() for m in _WORD.finditer(text[start:end])}


def overlap(text: str, a: tuple[int, int], b: tuple[int, int]) -> float:
    """Return shared tokens of two spans over the token count of the longer one."""
    ta, tb = token_set(text, *a), token_set(text, *b)
    if not ta or not tb:
        return 0.0
    return len(ta & tb) / max(len(ta), len(tb))


def one_to_one(pairs: list[tuple[float, int, int]]) -> list[tuple[int, int]]:
    """Return (gold, predicted) index pairs, best score first, each side used once (greedy)."""
    used_g, used_p, out = set(), set(), []
    for _, gi, pi in sorted(pairs, reverse=True):
        if gi not in used_g and pi not in used_p:
            used_g.add(gi)
            used_p.add(pi)
            out.append((gi, pi))
    return out


def match(text: str, gold: list[dict], pred: list) -> list[tuple[int, int]]:
    """Return (gold index, pred index) pairs, greedy on best content overlap."""
    pairs = []
    for gi, g in enumerate(gold):
        for pi, p in enumerate(pred):
            score = overlap(text, (g["content"]["start"], g["content"]["end"]),
                            (p.content.start, p.content.end))
            if score >= MATCH_THRESHOLD:
                pairs.append((score, gi, pi))
    return one_to_one(pairs)


def speaker_ok(g: dict | None, p) -> bool:
    """Return True when the predicted speaker names the gold speaker."""
    if g is None or p is None:
        return g is None and p is None
    if p.start < g["end"] and g["start"] < p.end:
        return True
    kg = normalise_key(g["text"], strip_clitic=True).split()
    kp = normalise_key(p.text, strip_clitic=True).split()
    if not kg or not kp:
        return False
    return _contains(kg, kp) or _contains(kp, kg)


def _contains(big: list[str], small: list[str]) -> bool:
    """Return True when ``small`` occurs as a contiguous run inside ``big``."""
    n = len(small)
    return any(big[i:i + n] == small for i in range(len(big) - n + 1))


def quantity_scores(g: dict, p) -> tuple[int, int, int]:
    """Return (gold quantities, values right, categories right) for one matched pair."""
    total = value_ok = cat_ok = 0
    for q in g["quantities"]:
        total += 1
        hit = next((x for x in p.quantities if x.start < q["end"] and q["start"] < x.end), None)
        if hit is None:
            continue
        same = (hit.value is None and q["value"] is None) or (
            hit.value is not None and q["value"] is not None and abs(hit.value - q["value"]) < 1e-6)
        value_ok += same
        cat_ok += hit.category == q["category"]
    return total, value_ok, cat_ok


def entities_for(text: str, lang: str, use_ner: bool) -> list:
    """Return NER spans for ``text`` when asked (and available), else an empty list."""
    if not use_ner:
        return []
    from etl import ner

    return ner.recognise(text, lang)


def evaluate(docs: list[dict], *, use_ner: bool = False, show: str | None = None) -> dict:
    """Return counters per (lang, split); print misses of split ``show``."""
    stats: dict[tuple[str, str], dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for doc in docs:
        text, lang = doc["text"], doc["lang"]
        pred = extract_claims(text, lang, entities_for(text, lang, use_ner))
        gold = doc["claims"]
        pairs = match(text, gold, pred)
        s = stats[(lang, doc["split"])]
        s["gold"] += len(gold)
        s["pred"] += len(pred)
        s["matched"] += len(pairs)
        for gi, pi in pairs:
            g, p = gold[gi], pred[pi]
            s["speaker"] += speaker_ok(g["speaker"], p.speaker)
            s["polarity"] += g["polarity"] == p.polarity
            s["kind"] += g["kind"] == p.kind
            total, v, c = quantity_scores(g, p)
            s["q_total"] += total
            s["q_value"] += v
            s["q_category"] += c
            if show == doc["split"] and not speaker_ok(g["speaker"], p.speaker):
                print(f"SPEAKER {doc['doc_id']}: gold={g['speaker'] and g['speaker']['text']!r} "
                      f"pred={p.speaker and p.speaker.text!r} | {g['content']['text'][:60]!r}")
        if show == doc["split"]:
            _show_misses(doc, gold, pred, pairs)
    return stats


def _show_misses(doc: dict, gold: list[dict], pred: list, pairs: list[tuple[int, int]]) -> None:
    """Print the unmatched gold and predicted claims of one document."""
    mg = {gi for gi, _ in pairs}
    mp = {pi for _, pi in pairs}
    for gi, g in enumerate(gold):
        if gi not in mg:
            print(f"MISS  {doc['doc_id']}: cue={g['cue']['text']!r} {g['content']['text'][:90]!r}")
    for pi, p in enumerate(pred):
        if pi not in mp:
            print(f"EXTRA {doc['doc_id']}: cue={p.cue.text!r} {p.content.text[:90]!r}")


def _ratio(a: int, b: int) -> str:
    """Return a/b as a 3-decimal string, or '-' when b is 0."""
    return f"{a / b:.3f}" if b else "-"


def report(stats: dict) -> None:
    """Print one line per (language, split)."""
    print(f"extractor {EXTRACTOR_VERSION}; match = content token overlap >= {MATCH_THRESHOLD}")
    head = ("lang", "split", "gold", "pred", "P", "R", "F1", "speaker", "polarity", "kind",
            "q_n", "q_value", "q_cat")
    print("  ".join(f"{h:>8}" for h in head))
    for (lang, split), s in sorted(stats.items(), key=lambda kv: (kv[0][0] != "ar", kv[0][1] != "dev", kv[0])):
        p = s["matched"] / s["pred"] if s["pred"] else 0.0
        r = s["matched"] / s["gold"] if s["gold"] else 0.0
        f1 = 2 * p * r / (p + r) if p + r else 0.0
        row = (lang, split, s["gold"], s["pred"], f"{p:.3f}", f"{r:.3f}", f"{f1:.3f}",
               _ratio(s["speaker"], s["matched"]), _ratio(s["polarity"], s["matched"]),
               _ratio(s["kind"], s["matched"]), s["q_total"], _ratio(s["q_value"], s["q_total"]),
               _ratio(s["q_category"], s["q_total"]))
        print("  ".join(f"{str(x):>8}" for x in row))


def main(argv: list[str] | None = None) -> int:
    """Run the evaluation and print the table."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--ner", action="store_true", help="pass etl.ner entity spans to the extractor")
    ap.add_argument("--show", choices=("dev", "test"), help="print misses and extras of a split")
    ap.add_argument("--gold", type=Path, default=GOLD, help="gold JSON Lines file")
    args = ap.parse_args(argv)
    report(evaluate(load_gold(args.gold), use_ner=args.ner, show=args.show))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
