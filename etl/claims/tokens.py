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

_TOKEN = TOKEN


@dataclass(frozen=True, slots=True)
class _Tok:
    """A token with offsets, its matching key and its key without a leading و/ف clitic."""

    start: int
    end: int
    text: str
    key: str
    bare: str


class _Toks(list):
    """The tokens of a text, with their start offsets for bisecting."""

    starts: list[int]


_key = cached_key


_bare = strip_conjunction  # the one clitic stripper (etl.arabic), conjunction layer only


def _keys(words: str) -> frozenset[str]:
    """Return the normalised keys of a space-separated word list."""
    return frozenset(_key(w) for w in words.split())


def _tokenise(text: str) -> _Toks:
    """Return every token of ``text`` with offsets."""
    out = _Toks()
    for m in _TOKEN.finditer(text):
        key = _key(m.group())
        out.append(_Tok(m.start(), m.end(), m.group(), key, _bare(key)))
    out.starts = [t.start for t in out]
    return out


def _is_word(tok: _Tok) -> bool:
    """Return True for a word token (not punctuation)."""
    return tok.text[0].isalnum()


def _token_range(toks: _Toks, a: int, b: int) -> tuple[int, int]:
    """Return the token index range covering ``[a, b)``."""
    return bisect_left(toks.starts, a), bisect_left(toks.starts, b)


def _toks_between(toks: _Toks, a: int, b: int) -> list[_Tok]:
    """Return the tokens inside ``(a, b]`` (the words of a quotation between its marks)."""
    lo = bisect_right(toks.starts, a)
    return [t for t in toks[lo:bisect_right(toks.starts, b)] if t.end <= b]


def _index_after(toks: _Toks, pos: int) -> int:
    """Return the index of the first token starting after ``pos``."""
    return bisect_right(toks.starts, pos)
