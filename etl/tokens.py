"""Word tokens for the rule-based stages (claims, quantities): one pattern, one matching key.

Both stages must cut a text the same way so that a number found by ``etl.quantities`` sits on
the same token boundaries the claim rules see.
"""

from __future__ import annotations

import re

from etl.arabic import normalise_arabic

# A number (with Arabic or Latin separators), a word (letters plus Arabic marks and tatweel),
# or one punctuation character.
TOKEN = re.compile(r"\d+(?:[.,٫٬]\d+)*|(?:[^\W\d_]|[\u0640\u064b-\u065f\u0670])+|[^\s\w]")


def word_key(word: str) -> str:
    """Return the matching key of one word: Arabic-normalised and casefolded."""
    return normalise_arabic(word).casefold()
