"""Tokens with offsets and matching keys: the unit every claim rule walks over.

Both languages' rules compare words by key (Arabic-normalised, casefolded) and Arabic rules
also by the key without a leading و/ف conjunction (``bare``), so one list entry "قال" matches
"وقال" and "فقال". The token list carries its start offsets so rules can bisect from
character offsets (sentences, quotations) to token indices.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from dataclasses import dataclass

from etl.arabic import strip_conjunction
from etl.tokens import TOKEN, cached_key


@dataclass(frozen=True, slots=True)
class Tok:
    """A token with offsets, its matching key and its key without a leading و/ف clitic."""

    start: int
    end: int
    text: str
    key: str
    bare: str


class Tokens(list):
    """The tokens of a text, with their start offsets for bisecting."""

    starts: list[int]


word_key = cached_key


bare_key = strip_conjunction  # the one clitic stripper (etl.arabic), conjunction layer only


def word_keys(words: str) -> frozenset[str]:
    """Return the normalised keys of a space-separated word list."""
    return frozenset(word_key(w) for w in words.split())


def tokenise(text: str) -> Tokens:
    """Return every token of ``text`` with offsets."""
    out = Tokens()
    for m in TOKEN.finditer(text):
        key = word_key(m.group())
        out.append(Tok(m.start(), m.end(), m.group(), key, bare_key(key)))
    out.starts = [t.start for t in out]
    return out


def is_word(tok: Tok) -> bool:
    """Return True for a word token (not punctuation)."""
    return tok.text[0].isalnum()


def token_range(toks: Tokens, a: int, b: int) -> tuple[int, int]:
    """Return the token index range covering ``[a, b)``."""
    return bisect_left(toks.starts, a), bisect_left(toks.starts, b)


def toks_between(toks: Tokens, a: int, b: int) -> list[Tok]:
    """Return the tokens inside ``(a, b]`` (the words of a quotation between its marks)."""
    lo = bisect_right(toks.starts, a)
    return [t for t in toks[lo:bisect_right(toks.starts, b)] if t.end <= b]


def index_after(toks: Tokens, pos: int) -> int:
    """Return the index of the first token starting after ``pos``."""
    return bisect_right(toks.starts, pos)
