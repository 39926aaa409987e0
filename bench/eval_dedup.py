"""Precision and recall of copies (``duplicate_of``) and same-event links, per language (issue 13).

Labelled pairs are built from ../shared/data text: Arabic documents from ANERcorp (runs of 20
consecutive sentences) and the Arabic samples, English documents from PolNeAR's train texts
(read at run time, never stored). True copies of each document: a changed headline, an added
"read also" box, the first half only, another byline, re-encoded diacritics (Arabic harakat,
English typographic quotes). True non-copies: each document against its most similar other
document (by shared words: the hardest negatives), and two documents wrapped in the same outlet
template. Same-event clusters are not measured here (they need the entity stage and labelled
same-event pairs; see bench/RESULTS.md).
"""

from __future__ import annotations

import os
import random
import sys
from pathlib import Path

from etl.dedup import article_keys, find_duplicates
from etl.settings import DedupSettings, data_dir

TEMPLATE = ("{outlet} | الرئيسية | أخبار | سياسة | اقتصاد | رياضة | تابعونا على وسائل التواصل الاجتماعي "
            "Home | News | World | Business | Sport | Follow us | Subscribe to our newsletter for the latest news ")


def _arabic_docs(root: Path) -> list[str]:
    words: list[list[str]] = [[]]
    for line in (root / "ner/ar/ANERCorp_CamelLab_train.txt").read_text(encoding="utf-8").splitlines():
        if line.strip():
            words[-1].append(line.rsplit(" ", 1)[0])
        elif words[-1]:
            words.append([])
    sentences = [" ".join(s) for s in words if len(s) > 5]
    docs = [" ".join(sentences[i:i + 20]) for i in range(0, len(sentences) - 20, 20)]
    return docs + [(root / "samples/aleppo_strikes_ar.txt").read_text(encoding="utf-8")]


def _english_docs(root: Path) -> list[str]:
    texts = sorted((root / "claims/en/polnear/train/text").glob("*.txt"))
    return [t for t in (p.read_text(encoding="utf-8") for p in texts) if len(t.split()) > 150]


def _copies(doc: str, lang: str, rng: random.Random) -> dict[str, str]:
    box = ("\nاقرأ أيضا: الأمم المتحدة تحذر من أزمة إنسانية جديدة في المنطقة" if lang == "ar"
           else "\nRead also: UN warns of a new humanitarian crisis in the region")
    byline = "بقلم: مراسل الوكالة\n" if lang == "ar" else "By a staff correspondent\n"
    if lang == "ar":
        recoded = " ".join(w + "َ" if rng.random() < 0.3 else w.replace("ا", "ـا", 1) for w in doc.split())
    else:
        recoded = doc.replace("'", "\u2019").replace('"', "\u201c")
    return {"headline": "عنوان آخر للخبر\n" + doc if lang == "ar" else "Another headline\n" + doc,
            "read-also": doc + box, "truncated": doc[: len(doc) // 2], "byline": byline + doc, "diacritics": recoded}


def _nearest(docs: list[str]) -> list[tuple[int, int]]:
    sets = [set(d.split()) for d in docs]
    pairs = []
    for i, s in enumerate(sets):
        j = max((k for k in range(len(sets)) if k != i), key=lambda k: len(s & sets[k]) / (len(s | sets[k]) or 1))
        pairs.append((i, j))
    return pairs


def _is_copy(a: str, b: str, threshold: float) -> bool:
    ka, kb = article_keys(1, None, a), article_keys(2, None, b)
    return find_duplicates([ka, kb], candidates={}, min_similarity=threshold)[1].duplicate_of == 1


def evaluate(lang: str, docs: list[str], threshold: float, rng: random.Random) -> list[str]:
    """Return the printed row for copies."""
    tp = fn = fp = tn = 0
    kinds: dict[str, int] = {}
    for doc in docs:
        for kind, copy in _copies(doc, lang, rng).items():
            hit = _is_copy(doc, copy, threshold)
            tp, fn = tp + hit, fn + (not hit)
            kinds[kind] = kinds.get(kind, 0) + hit
    negatives = [(docs[i], docs[j]) for i, j in _nearest(docs)]
    negatives += [(TEMPLATE.format(outlet="X") + docs[i] + TEMPLATE, TEMPLATE.format(outlet="X") + docs[i - 1] + TEMPLATE)
                  for i in range(1, len(docs))]
    for a, b in negatives:
        hit = _is_copy(a, b, threshold)
        fp, tn = fp + hit, tn + (not hit)
    dup = [f"{lang}  copies      P={tp / max(tp + fp, 1):.3f} R={tp / max(tp + fn, 1):.3f}  "
           f"({tp + fn} copies, {fp + tn} non-copies, {fp} merged)  recall by kind: "
           + ", ".join(f"{k} {v}/{len(docs)}" for k, v in kinds.items())]
    return dup


def main() -> None:
    root = data_dir(os.environ)
    if not (root / "ner/ar/ANERCorp_CamelLab_train.txt").exists() or not (root / "claims/en/polnear/train").exists():
        sys.exit(f"eval_dedup: corpora not found under {root} (set NEWSETL_DATA_DIR)")
    threshold = DedupSettings().min_similarity
    rng = random.Random(13)  # noqa: S311 - reproducible test data
    print(f"copies: MinHash copy similarity ≥ {threshold}")
    for lang, docs in (("ar", _arabic_docs(root)), ("en", _english_docs(root)[:200])):
        print("\n".join(evaluate(lang, docs, threshold, rng)))


if __name__ == "__main__":
    main()
