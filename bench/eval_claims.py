"""Score ``etl.claims.extract_claims`` against the hand-annotated gold set.

Usage::

    .venv/bin/python bench/eval_claims.py            # rules only, no NER spans
    .venv/bin/python bench/eval_claims.py --ner      # with etl.ner entity spans
    .venv/bin/python bench/eval_claims.py --show dev # list misses of the dev split

Gold: ``bench/data/claims_gold.jsonl`` (Arabic dev, English dev and test), the second Arabic dev
part ``bench/data/claims_dev2_ar.jsonl`` (split ``dev2``, see ``CLAIMS_DEV2_AR_PROVENANCE.md``) and
the frozen Arabic test set ``bench/data/claims_test_ar.jsonl`` (see ``CLAIMS_TEST_AR_PROVENANCE.md``), one
document per line (text, lang, split, claims); annotation rules in
``bench/data/ANNOTATION_RULES.md``. Printed per language and split, then Arabic dev and frozen
test side by side with the gap:

- claim detection precision / recall / F1. A predicted claim matches a gold claim when their
  content spans share at least half of the tokens of the longer of the two (greedy one-to-one
  matching, best overlap first);
- on matched pairs: speaker accuracy (normalised keys equal or one contained in the other, or
  the spans overlap; a gold "no speaker" needs a predicted "no speaker"), polarity accuracy,
  kind accuracy;
- on the quantities of matched gold claims: value accuracy and category accuracy (a gold
  quantity with no overlapping predicted quantity counts as wrong).

Tune on ``dev`` only; ``test`` is held out. ``--show`` never lists the frozen Arabic test set:
only its scores are read.
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
FROZEN_TEST = ROOT / "bench" / "data" / "claims_test_ar.jsonl"
# A second Arabic dev part (split "dev2"), annotated before any rule was changed for it: fresh
# development material once "dev" has been read so often that its score says little.
DEV2_AR = ROOT / "bench" / "data" / "claims_dev2_ar.jsonl"
_WORD = re.compile(r"\w+")
MATCH_THRESHOLD = 0.5


def load_gold(path: Path = GOLD) -> list[dict]:
    """Return the gold documents."""
    with path.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def load_frozen(path: Path = FROZEN_TEST) -> list[dict]:
    """Return the frozen test documents, each marked ``frozen`` so that no miss of it is shown."""
    return [{**doc, "frozen": True} for doc in load_gold(path)] if path.exists() else []


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
        shown = show == doc["split"] and not doc.get("frozen")
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
            if shown and not speaker_ok(g["speaker"], p.speaker):
                print(f"SPEAKER {doc['doc_id']}: gold={g['speaker'] and g['speaker']['text']!r} "
                      f"pred={p.speaker and p.speaker.text!r} | {g['content']['text'][:60]!r}")
        if shown:
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


def prf(s: dict) -> tuple[float, float, float]:
    """Return (precision, recall, F1) of one split's counters."""
    p = s["matched"] / s["pred"] if s["pred"] else 0.0
    r = s["matched"] / s["gold"] if s["gold"] else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def report(stats: dict) -> None:
    """Print one line per (language, split), then Arabic dev beside the frozen test."""
    print(f"extractor {EXTRACTOR_VERSION}; match = content token overlap >= {MATCH_THRESHOLD}")
    head = ("lang", "split", "gold", "pred", "P", "R", "F1", "speaker", "polarity", "kind",
            "q_n", "q_value", "q_cat")
    print("  ".join(f"{h:>8}" for h in head))
    for (lang, split), s in sorted(stats.items(), key=lambda kv: (kv[0][0] != "ar", kv[0][1] != "dev", kv[0])):
        p, r, f1 = prf(s)
        row = (lang, split, s["gold"], s["pred"], f"{p:.3f}", f"{r:.3f}", f"{f1:.3f}",
               _ratio(s["speaker"], s["matched"]), _ratio(s["polarity"], s["matched"]),
               _ratio(s["kind"], s["matched"]), s["q_total"], _ratio(s["q_value"], s["q_total"]),
               _ratio(s["q_category"], s["q_total"]))
        print("  ".join(f"{str(x):>8}" for x in row))
    side_by_side(stats, "ar")


def side_by_side(stats: dict, lang: str) -> None:
    """Print dev, the second dev part (if any) and frozen test of one language, with test minus dev."""
    dev, dev2, test = stats.get((lang, "dev")), stats.get((lang, "dev2")), stats.get((lang, "test"))
    if not dev or not test:
        return
    rows = [("P", lambda s: prf(s)[0]), ("R", lambda s: prf(s)[1]), ("F1", lambda s: prf(s)[2]),
            ("speaker", lambda s: _frac(s["speaker"], s["matched"])),
            ("polarity", lambda s: _frac(s["polarity"], s["matched"])),
            ("quantity category", lambda s: _frac(s["q_category"], s["q_total"])),
            ("quantity value", lambda s: _frac(s["q_value"], s["q_total"]))]
    parts = [("dev", dev)] + ([("dev2", dev2)] if dev2 else []) + [("test", test)]
    print(f"\n{lang}: dev (read while writing rules)" + (", dev2 (second dev part)" if dev2 else "")
          + " vs frozen test (scores only)")
    print(f"{'':>18}  " + "  ".join(f"{n:>7}" for n, _ in parts) + f"  {'test-dev':>8}"
          + (f"  {'test-dev2':>9}" if dev2 else ""))
    for name, get in rows:
        values = [get(s) for _, s in parts]
        a, b = values[0], values[-1]
        gaps = [f"{b - a:+.3f}" if a is not None and b is not None else "-"]
        if dev2:
            c = values[1]
            gaps.append(f"{b - c:+.3f}" if c is not None and b is not None else "-")
        print(f"{name:>18}  " + "  ".join(f"{_num(v):>7}" for v in values) + f"  {gaps[0]:>8}"
              + (f"  {gaps[1]:>9}" if dev2 else ""))
    print(f"{'claims (gold)':>18}  " + "  ".join(f"{s['gold']:>7}" for _, s in parts))
    print(f"{'quantities (gold)':>18}  " + "  ".join(f"{s['q_total']:>7}" for _, s in parts))


def _frac(a: int, b: int) -> float | None:
    """Return a/b, or None when b is 0."""
    return a / b if b else None


def _num(x: float | None) -> str:
    """Return a 3-decimal string, or '-' for None."""
    return "-" if x is None else f"{x:.3f}"


def main(argv: list[str] | None = None) -> int:
    """Run the evaluation and print the table."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--ner", action="store_true", help="pass etl.ner entity spans to the extractor")
    ap.add_argument("--show", choices=("dev", "dev2", "test"), help="print misses and extras of a split")
    ap.add_argument("--gold", type=Path, default=GOLD, help="gold JSON Lines file")
    args = ap.parse_args(argv)
    extra = ((load_gold(DEV2_AR) if DEV2_AR.exists() else []) + load_frozen()) if args.gold == GOLD else []
    docs = load_gold(args.gold) + extra
    report(evaluate(docs, use_ner=args.ner, show=args.show))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
