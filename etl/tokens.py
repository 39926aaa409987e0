"""Word tokens for the rule-based stages (claims, quantities): one pattern, one matching key.

Both stages must cut a text the same way so that a number found by ``etl.quantities`` sits on
the same token boundaries the claim rules see.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from etl.arabic import normalise_arabic

# A number (with Arabic or Latin separators), a word (letters plus Arabic marks and tatweel),
# or one punctuation character.
TOKEN = re.compile(r"\d+(?:[.,٫٬]\d+)*|(?:[^\W\d_]|[\u0640\u064b-\u065f\u0670])+|[^\s\w]")


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
