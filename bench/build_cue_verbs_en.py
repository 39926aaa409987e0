"""Build ``etl/data/cue_verbs_en.tsv``: English cue words with counts from PolNeAR train.

Run by a developer only (PolNeAR is read from ``$NEWSETL_DATA_DIR/claims/en/polnear``)::

    .venv/bin/python bench/build_cue_verbs_en.py

PolNeAR has no licence, so the file holds counts, never text. Only our train split is read
(4 of 5 PolNeAR train documents, ``bench/eval_polnear.py``); our dev and the frozen test are not.
Two passes, each a statistic of train:

1. *Cue share*: how often a word sits inside the Cue span of an attribution with a source, over
   its occurrences outside quotations. Frequent, verb-like cue words are kept.
2. *Rule precision*: with every kept word active, how many claims the extractor builds on each
   cue word and how many of them match a gold attribution. ``etl.claims.lexicon`` drops a word
   whose claims are mostly wrong ("call", "view" as a verb of reporting).
"""

from __future__ import annotations

import re
import subprocess  # runs this repository's own eval script
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.eval_polnear import Document, our_splits, polnear_root  # noqa: E402
from etl.claims import find_quotes  # noqa: E402

OUT = ROOT / "etl" / "data" / "cue_verbs_en.tsv"
HEADER = ("# English cue words from PolNeAR train (4 of 5 documents), counts only; built by\n"
          "# bench/build_cue_verbs_en.py, do not edit. cues: times inside the Cue of an attribution\n"
          "# with a source; occurrences: outside quotations; claims/matched: the extractor's claims\n"
          "# on the word over train and how many matched gold (- before the second pass).\n"
          "# word\tcues\toccurrences\tclaims\tmatched\n")

_WORD_EN = re.compile(r"[A-Za-z][A-Za-z’'-]*")
CUE_MIN_COUNT = 3  # a cue word must mark at least this many attributions of our train split
CUE_MIN_SHARE = 0.15  # ... and be a cue in at least this share of its occurrences outside quotations
# Closed-class words inside multi-word cues ("has said", "pointed out", "also noted"): never a
# cue by themselves, whatever their share.
_FUNCTION_TEXT = """
a an the to of in on at by for with about from into over out up as that this it its is are was
were be been being has have had do does did not no also just still again then so and or but
would will can could should may might must shall very more most much too even only ever never
her his their them him he she they we i you our your my me us who which what how why when
"""
_FUNCTION_WORDS = frozenset(_FUNCTION_TEXT.split())
_NOUN_ENDINGS = ("ly", "ment", "ism", "tion", "sion", "nce", "ness", "ity")


def _quoted_mask(text: str) -> list[bool]:
    """Return, per character, whether it lies inside a quotation."""
    mask = [False] * (len(text) + 1)
    for a, b in find_quotes(text):
        mask[a:b + 1] = [True] * (b + 1 - a)
    return mask


def _count(docs: list[Document]) -> tuple[Counter, Counter, Counter]:
    """Return (inside a cue, occurrences outside quotations, whole one-word cue) per word."""
    cues, seen, alone = Counter(), Counter(), Counter()
    for doc in docs:
        quoted = _quoted_mask(doc.text)
        in_cue = set()
        for g in doc.gold:
            words = _WORD_EN.findall(g.cue["text"])
            if len(words) == 1:
                alone[words[0].casefold()] += 1
            for a, b in g.cue["parts"]:
                in_cue.update(range(a, b))
        for m in _WORD_EN.finditer(doc.text):
            word = m.group().casefold()
            cues[word] += m.start() in in_cue
            seen[word] += not quoted[m.start()]
    return cues, seen, alone


def cue_table(docs: list[Document]) -> list[tuple[str, int, int]]:
    """Return (word, times inside a cue, occurrences outside quotations) of frequent cue words.

    A word counts as a cue wherever it sits in a cue span, so "pointed out", "has said" and
    "made clear" give "pointed", "said" and "clear". Occurrences are counted outside quotations,
    where the rules look for cues ("I think" inside a quotation is the speaker's words).
    """
    cues, seen, alone = _count(docs)
    rows = [(w, n, seen[w]) for w, n in cues.items()
            if n >= CUE_MIN_COUNT and seen[w] and n / seen[w] >= CUE_MIN_SHARE and w not in _FUNCTION_WORDS
            and (alone[w] >= CUE_MIN_COUNT or is_verb_form(w, cues))]
    return sorted(rows, key=lambda r: (-r[1], r[0]))


def is_verb_form(word: str, cues: Counter) -> bool:
    """Return True when ``word`` looks like a verb: a past form, or one of a verb's set of forms.

    The rules fire on reporting verbs; adverbs ("publicly"), adjectives ("eager") and nouns
    ("criticism") inside cue spans need constructions of their own. Without a tagger, a word
    that is not a one-word cue by itself is taken as a verb when it ends in -ed or -ing, or when
    another inflection of it (-s, -ed, -ing) is also a cue in train ("think" beside "thinks").
    """
    if word.endswith(_NOUN_ENDINGS) or "'" in word or "’" in word:
        return False
    if word.endswith(("ed", "ing")):
        return True
    stems = {word, word[:-1], word[:-2]} if word.endswith("s") else {word, word.removesuffix("e")}
    forms = {st + end for st in stems for end in ("s", "es", "ed", "d", "ing", "e")} - {word}
    return any(cues[f] for f in forms)


def write(rows: list[tuple[str, int, int]], precision: dict[str, tuple[int, int]]) -> None:
    """Write the table, with the rule precision columns when known."""
    lines = [HEADER]
    for word, n, seen in rows:
        claims, matched = precision.get(word, ("-", "-"))
        lines.append(f"{word}\t{n}\t{seen}\t{claims}\t{matched}\n")
    OUT.write_text("".join(lines), encoding="utf-8")


def _rule_precision() -> dict[str, tuple[int, int]]:
    """Return claims and matches per cue word, measured in a fresh process on the new table."""
    out = subprocess.run([sys.executable, str(ROOT / "bench" / "eval_polnear.py"), "--cue-precision"],  # noqa: S603
                         check=True, capture_output=True, text=True).stdout
    rows = (line.split("\t") for line in out.splitlines() if line)
    return {w: (int(c), int(m)) for w, c, m in rows}


def main() -> int:
    """Build the table in two passes and return the exit status."""
    import os

    rows = cue_table(our_splits(polnear_root(os.environ))["train"])
    write(rows, {})
    write(rows, _rule_precision())
    print(f"{OUT}: {len(rows)} cue words")
    return 0


if __name__ == "__main__":
    sys.exit(main())
