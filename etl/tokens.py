"""Tokens and sentences: the one home of how newsetl cuts text.

Two cuts, for two jobs, kept side by side so a change to one is made knowing the other:

* ``TOKEN`` — the rule-based stages (claims, quantities): a hyphen or an apostrophe splits, so
  "400-500" is a range of two numbers. Both stages cut the same way, so a number found by
  ``etl.quantities`` sits on the token boundaries the claim rules see.
* ``NAME_TOKEN`` (``tokenise``, ``split_sentences``) — the recogniser: acronyms (U.S.), hyphenated
  and apostrophe names (al-Assad, O'Neill) stay one token, as in the CoNLL training data, and a
  possessive 's is its own token. Swapping one pattern for the other changes 8 rule tests'
  results (ranges, "'s"), which is why there are two.

``sentence_around`` gives the sentence stored with a claim; every splitter ends a sentence at
``SENTENCE_END`` characters.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from etl.arabic import normalise_arabic

_MARKS = "\u0610-\u061a\u064b-\u065f\u0670\u0640"
# LRM, RLM, ALM: kept in stored text (etl.clean), never a token of their own, so a marked text
# cuts into the same tokens as an unmarked one.
_DIRECTION_MARKS = "\u200e\u200f\u061c"
_HAS_MARK = re.compile(f"[{_DIRECTION_MARKS}]")
# Acronyms (U.S.), numbers with separators, words (with inner hyphens or apostrophes, but not
# a possessive 's, which CoNLL data splits off), then any other single non-space character.
NAME_TOKEN = re.compile(
    rf"(?:[^\W\d_]\.){{2,}}"
    rf"|\d+(?:[.,:٫٬]\d+)*"
    rf"|[\w{_MARKS}]+(?:(?:-|['’](?![sS]\b))[\w{_MARKS}]+)*"
    rf"|['’][sS]\b"
    rf"|[^\s{_DIRECTION_MARKS}]"
)
SENTENCE_END = frozenset(".!?؟…")
# A number (with Arabic or Latin separators), a word (letters plus Arabic marks and tatweel),
# or one punctuation character.
TOKEN = re.compile(r"\d+(?:[.,٫٬]\d+)*|(?:[^\W\d_]|[\u0640\u064b-\u065f\u0670])+|[^\s\w\u200e\u200f\u061c]")


_MARKS_AS_SPACES = str.maketrans(dict.fromkeys(_DIRECTION_MARKS, " "))


def without_direction_marks(text: str) -> str:
    """Return ``text`` with its LRM/RLM/ALM marks as spaces: the same length, so an offset into
    the result is an offset into ``text``.

    The rule-based stages and the recogniser read this view: a mark is kept in stored text
    (``etl.clean``) but is no letter, and "400\u200f." must end a sentence as "400." does.
    """
    return text.translate(_MARKS_AS_SPACES) if _HAS_MARK.search(text) else text


def word_key(word: str) -> str:
    """Return the matching key of one word: Arabic-normalised and casefolded."""
    return normalise_arabic(word).casefold()


# Keys are pure functions of the word and news repeats its words: cache them (the key is
# most of the tokenising time).
cached_key = lru_cache(maxsize=1 << 16)(word_key)


@dataclass(frozen=True, slots=True)
class Token:
    """One token with its offsets into the text and its matching key."""

    start: int
    end: int
    text: str
    key: str


def tokens_between(text: str, start: int, end: int) -> list[Token]:
    """Return the tokens of ``text[start:end]`` with offsets into ``text``."""
    return [Token(start + m.start(), start + m.end(), m.group(), cached_key(m.group()))
            for m in TOKEN.finditer(text[start:end])]


def tokenise(text: str) -> list[tuple[int, int]]:
    """Return (start, end) character offsets of the tokens of ``text``."""
    return [m.span() for m in NAME_TOKEN.finditer(text)]


def split_sentences(text: str, spans: Sequence[tuple[int, int]]) -> list[list[tuple[int, int]]]:
    """Return the token spans grouped into sentences (end punctuation or a line break)."""
    sentences: list[list[tuple[int, int]]] = []
    current: list[tuple[int, int]] = []
    prev_end = 0
    for start, end in spans:
        if current and "\n" in text[prev_end:start]:
            sentences.append(current)
            current = []
        current.append((start, end))
        if text[start:end] in SENTENCE_END:
            sentences.append(current)
            current = []
        prev_end = end
    if current:
        sentences.append(current)
    return sentences


_SENTENCE_BREAK = re.compile("[" + re.escape("".join(sorted(SENTENCE_END))) + "\n]")


def sentence_around(text: str, start: int, end: int) -> str:
    """Return the sentence(s) of ``text`` that contain [start, end)."""
    left = max((m.end() for m in _SENTENCE_BREAK.finditer(text, 0, start)), default=0)
    right_match = _SENTENCE_BREAK.search(text, end)
    right = right_match.end() if right_match else len(text)
    return text[left:right].strip()
