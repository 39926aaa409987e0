"""Build the frozen Arabic claims test set (and the second Arabic dev part) from hand annotations.

Usage::

    .venv/bin/python bench/build_claims_test_ar.py              # reads $NEWSETL_DATA_DIR (../shared/data)
    .venv/bin/python bench/build_claims_test_ar.py --part dev2  # claims_dev2_ar.ann -> claims_dev2_ar.jsonl

Reads ``bench/data/claims_test_ar.ann`` (``claims_dev2_ar.ann`` for ``--part dev2``) (one window of ANERcorp sentences per ``## name a b``
header, one claim per line) and writes ``bench/data/claims_test_ar.jsonl`` in the gold format of
``bench/data/ANNOTATION_RULES.md``. The annotations name their spans by their words rather than by
offsets, so that a person reads and checks them against the Arabic; this script finds the offsets
and stops on any span it cannot place. A claim line is::

    sentence | speaker | cue | content | kind | polarity | label | quantities

- ``sentence``: the ANERcorp sentence (0-based block index) that holds the cue;
- ``cue`` and ``content``: words searched from the start of that sentence (a ``@2`` suffix takes
  the second occurrence); content may run into the next sentences (``\\n`` between them);
- ``speaker``: the occurrence nearest the cue inside the cue's sentence, else the last one
  before it (a back-reference names its antecedent); ``-`` for none;
- ``quantities``: ``text=value:category:qualifier`` separated by ``;``, searched inside the
  content (``value`` ``null`` for vague plurals, ``qualifier`` ``-`` for none).

The text is ANERcorp (CC BY-SA 4.0, Benajiba & Rosso 2008; CAMeL Lab split, Obeid et al. 2020),
prepared as for the rest of the gold set: tokens joined with spaces, one sentence a line, the
corpus's two-apostrophe quote mark restored to ``"``.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from etl.settings import data_dir  # noqa: E402

ANN = ROOT / "bench" / "data" / "claims_test_ar.ann"
OUT = ROOT / "bench" / "data" / "claims_test_ar.jsonl"
# part -> (annotations, output, split): the frozen test, and a second dev part annotated the same way
PARTS = {"test": (ANN, OUT, "test"),
         "dev2": (ROOT / "bench" / "data" / "claims_dev2_ar.ann", ROOT / "bench" / "data" / "claims_dev2_ar.jsonl", "dev2")}
CORPUS = "ner/ar/ANERCorp_CamelLab_train.txt"


def read_sentences(path: Path) -> list[str]:
    """Return ANERcorp's sentences as text (tokens joined with spaces, quote marks restored)."""
    out = []
    for block in path.read_text(encoding="utf-8").split("\n\n"):
        tokens = [line.rsplit(" ", 1)[0] for line in block.splitlines() if line.strip()]
        if not tokens:
            continue
        text = " ".join('"' if t == "''" else t for t in tokens)
        out.append(text.replace("' '", '"'))
    return out


def _find(text: str, needle: str, start: int, what: str) -> int:
    """Return the offset of ``needle`` (``@k`` = k-th occurrence) at or after ``start``."""
    k = 1
    if "@" in needle and needle.rsplit("@", 1)[1].isdigit():
        needle, k = needle.rsplit("@", 1)[0], int(needle.rsplit("@", 1)[1])
    pos, seen = start - 1, 0
    while seen < k:
        pos = text.find(needle, pos + 1)
        if pos < 0:
            raise ValueError(f"{what} not found: {needle!r}")
        seen += _is_word(text, pos, len(needle))
    return pos


def _is_word(text: str, pos: int, n: int, *, clitic: bool = False) -> bool:
    """Return True when ``text[pos:pos + n]`` neither starts nor ends inside a word or number.

    With ``clitic``, one proclitic letter (و ف ب ل) may stand before it ("لوزارة …" names the
    ministry).
    """
    def joined(a: str, b: str) -> bool:
        return (a.isalpha() and b.isalpha()) or (a.isdigit() and b.isdigit())

    left = pos == 0 or not joined(text[pos - 1], text[pos])
    if clitic and not left and text[pos - 1] in "وفبل":
        left = pos == 1 or not text[pos - 2].isalpha()
    right = pos + n >= len(text) or not joined(text[pos + n - 1], text[pos + n])
    return left and right


def _strip_k(needle: str) -> str:
    """Return ``needle`` without its ``@k`` occurrence suffix."""
    head, _, tail = needle.rpartition("@")
    return head if head and tail.isdigit() else needle


def _span(text: str, start: int, words: str) -> dict:
    """Return a gold span dict for ``words`` placed at ``start``."""
    words = _strip_k(words)
    return {"start": start, "end": start + len(words), "text": words}


def _speaker(text: str, words: str, cue: int, sent: tuple[int, int]) -> dict | None:
    """Return the speaker span nearest the cue in its sentence, else the last one before it."""
    if words == "-":
        return None
    hits, pos = [], text.find(words)
    while pos >= 0:
        if _is_word(text, pos, len(words), clitic=True):
            hits.append(pos)
        pos = text.find(words, pos + 1)
    inside = [h for h in hits if sent[0] <= h < sent[1]]
    before = [h for h in hits if h < cue]
    if inside:
        return _span(text, min(inside, key=lambda h: abs(h - cue)), words)
    if before:
        return _span(text, before[-1], words)
    raise ValueError(f"speaker not found: {words!r}")


def _quantities(text: str, field: str, content: dict) -> list[dict]:
    """Return the gold quantities of one claim, each found inside its content span."""
    out = []
    for item in filter(None, (x.strip() for x in field.split(";"))):
        words, _, rest = item.rpartition("=")
        value, category, qualifier = rest.split(":")
        start = _find(text, words, content["start"], "quantity")
        if start + len(_strip_k(words)) > content["end"]:
            raise ValueError(f"quantity outside content: {words!r}")
        out.append({**_span(text, start, words), "value": None if value == "null" else float(value),
                    "category": category, "qualifier": None if qualifier == "-" else qualifier})
    return out


def build_claim(text: str, starts: dict[int, int], line: str) -> dict:
    """Return one gold claim from one annotation line."""
    parts = [p.strip() for p in line.split("|")]
    parts += [""] * (8 - len(parts))
    sent, speaker, cue, content, kind, polarity, label, quantities = parts[:8]
    s0 = starts[int(sent)]
    s1 = starts.get(int(sent) + 1, len(text))
    cue_at = _find(text, cue, s0, "cue")
    content = content.replace("\\n", "\n")
    content_span = _span(text, _find(text, content, s0, "content"), content)
    if kind not in ("direct", "indirect") or polarity not in ("assert", "deny"):
        raise ValueError(f"bad kind/polarity in {line!r}")
    return {"speaker": _speaker(text, speaker, cue_at, (s0, s1)),
            "speaker_label": label if speaker != "-" else None,
            "cue": _span(text, cue_at, cue), "content": content_span, "kind": kind,
            "polarity": polarity, "quantities": _quantities(text, quantities, content_span)}


def build(ann: Path, sentences: list[str], split: str = "test") -> list[dict]:
    """Return the gold documents described by the annotation file."""
    docs, doc, starts, text = [], None, {}, ""
    for raw in ann.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line or line.startswith("#") and not line.startswith("## "):
            continue
        if line.startswith("## "):
            name, a, b = line[3:].split()
            a, b = int(a), int(b)
            starts, pos = {}, 0
            for i in range(a, b + 1):
                starts[i] = pos
                pos += len(sentences[i]) + 1
            text = "\n".join(sentences[a:b + 1])
            doc = {"doc_id": f"anercorp_{a}_{name}", "lang": "ar", "split": split,
                   "source": f"{CORPUS}#{a}-{b}", "text": text, "claims": []}
            docs.append(doc)
            continue
        try:
            doc["claims"].append(build_claim(text, starts, line))
        except (ValueError, KeyError) as exc:
            raise SystemExit(f"{doc['doc_id']}: {exc} in line {line!r}") from exc
    return docs


def main(argv: list[str] | None = None) -> int:
    """Write the test set (or the part asked for) and print its size."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--part", choices=sorted(PARTS), default="test")
    ann, out, split = PARTS[ap.parse_args(argv).part]
    docs = build(ann, read_sentences(data_dir(os.environ) / CORPUS), split)
    with out.open("w", encoding="utf-8") as fh:
        for doc in docs:
            fh.write(json.dumps(doc, ensure_ascii=False) + "\n")
    print(f"{len(docs)} documents, {sum(len(d['claims']) for d in docs)} claims -> {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
