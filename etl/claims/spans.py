"""Quotations, sentences and content spans: where the words of a claim start and stop.

Shared by the Arabic and English rules. Every span returned is an exact slice of the text,
which is the contract :func:`etl.claims.extract_claims` gives its callers; the trimming rules
(whitespace, trailing punctuation, a quote mark on one edge only) live here so both
languages cut content the same way.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterator, Sequence

from etl.claims.tokens import Tok, word_keys
from etl.models import Span

_OPEN_CLOSE = {"«": "»", "“": "”", '"': '"', "„": "“", "‘": "’", "'": "'"}
QUOTE_CHARS = set("«»“”\"„‘’")
_SINGLE = ("‘", "'")  # headline quotes ('I am a survivor' X tells BBC); also apostrophes
_PUNCT_END = " \t\n.,،؛;:!?؟…"


class Quotes(list):
    """The quotations of a text as (open, close) pairs, indexed by opening offset."""

    by_open: dict[int, tuple[int, int]]


def index_quotes(pairs: list[tuple[int, int]], text: str = "") -> Quotes:
    """Return ``pairs`` with a lookup by opening offset.

    A ''…'' quotation is kept from its second apostrophe; with ``text`` it is also found from
    the first, where a sentence or clause made of it starts.
    """
    out = Quotes(pairs)
    out.by_open = {q[0]: q for q in pairs}
    for q in pairs:
        if q[0] > 0 and text[q[0] - 1:q[0] + 1] == "''":
            out.by_open.setdefault(q[0] - 1, q)
    return out


def find_quotes(text: str) -> list[tuple[int, int]]:
    """Return (open, close) offsets of quotation marks; a quote never crosses a paragraph.

    An opening mark left unclosed at the end of its paragraph runs to the paragraph end
    (news style leaves multi-paragraph quotes open).
    """
    out: list[tuple[int, int]] = []
    pos = 0
    for para in text.split("\n"):
        i = 0
        while i < len(para):
            ch = para[i]
            if para.startswith("''", i) and _is_opening(para, i):
                close = _double_apostrophe_close(para, i)
                out.append((pos + i + 1, pos + close))
                i = close + 2
                continue
            if ch in _OPEN_CLOSE and (ch not in ('"', *_SINGLE) or _is_opening(para, i)):
                close = _closing(para, i, _OPEN_CLOSE[ch]) if ch in _SINGLE else _double_close(para, i)
                if close == -1 and ch in _SINGLE:
                    i += 1
                    continue  # an apostrophe, not a quotation
                if close == -1:
                    close = len(para.rstrip())
                out.append((pos + i, pos + close))
                i = close + 1
                continue
            i += 1
        pos += len(para) + 1
    return out


_DOUBLE_CLOSERS = re.compile(r'[”"]|(?<=[^\s“])“(?=[\s,.;:!?…—–-]|$)')


def _double_close(para: str, i: int) -> int:
    """Return where the double quotation opening at ``para[i]`` closes (-1: not in the paragraph).

    Pages mix their marks: "“It is odd," said …", "\"I like the plan,” he said", even
    "“It is odd,“ said …" with an opening mark typed as the closing one. A curly or straight
    double mark closes either kind (an opening mark only right after a word, before a space or
    punctuation); «…» and „…“ close with their own partner.
    """
    if para[i] not in '“"':
        return para.find(_OPEN_CLOSE[para[i]], i + 1)
    m = _DOUBLE_CLOSERS.search(para, i + 1)
    return m.start() if m else -1


def _double_apostrophe_close(para: str, i: int) -> int:
    """Return where the ''…'' quotation opening at ``para[i]`` closes (paragraph end if never).

    Some newswire archives write double quotes as two apostrophes; the pair is kept as
    (second opening apostrophe, first closing one) so the inner text is ``q[0] + 1 .. q[1]``.
    """
    close = para.find("''", i + 2)
    return close if close != -1 else len(para.rstrip())


def _closing(para: str, i: int, mark: str) -> int:
    """Return the single quote closing the one at ``para[i]``, skipping apostrophes (don’t)."""
    if i + 1 >= len(para) or not para[i + 1].isalnum():
        return -1
    k = para.find(mark, i + 1)
    while k != -1 and k + 1 < len(para) and para[k + 1].isalnum():
        k = para.find(mark, k + 1)
    return k if k != -1 and not para[k - 1].isspace() else -1


def _is_opening(para: str, i: int) -> bool:
    """Return True when a straight quote at ``para[i]`` can open a quotation."""
    return i == 0 or not para[i - 1].isalnum() or para[i - 1] in "لب"


ABBREVIATIONS = word_keys("mr mrs ms dr gen sen rep st jan feb mar apr jun jul aug sep sept oct nov dec "
                "u.s u.n jr sr inc corp co ltd plc no vs lt col maj sgt gov")


def split_sentences(text: str, quotes: Sequence[tuple[int, int]]) -> list[tuple[int, int]]:
    """Return (start, end) of each sentence; never splits inside a quotation."""
    inside = [False] * (len(text) + 1)
    for a, b in quotes:
        for k in range(a, min(b + 1, len(text))):
            inside[k] = True
    out, start = [], 0
    for m in re.finditer(r"\n+|(?<=[.!?؟…])(?:[\"”»’]|'')?\s+|\.\.+\s*", text):
        cut = m.start()
        if text[cut - 1:cut] == "." and not m.group().startswith(".") and "\n" not in m.group():
            word = re.findall(r"[\w.]+\.$", text[max(0, cut - 12):cut])
            if word and (word[0][:-1].casefold() in ABBREVIATIONS or (len(word[0]) == 2 and word[0][0].isupper())
                         or re.fullmatch(r"([^\W\d_]\.){2,}", word[0])):
                continue
            if inside[cut - 1] and inside[min(m.end(), len(text) - 1)]:
                continue
        elif "\n" not in m.group() and inside[cut]:
            continue
        end = cut + len(m.group()) - len(m.group().lstrip(".\"”»’'")) if m.group()[:1] in "\"”»’'" else cut
        if text[start:end].strip():
            out.append((start, end))
        start = m.end()
    if text[start:].strip():
        out.append((start, len(text)))
    return [_trim(text, a, b) for a, b in out]


def _trim(text: str, a: int, b: int) -> tuple[int, int]:
    """Return (a, b) narrowed past surrounding whitespace."""
    while a < b and text[a].isspace():
        a += 1
    while b > a and text[b - 1].isspace():
        b -= 1
    return a, b


def strip_span(text: str, a: int, b: int) -> tuple[int, int]:
    """Return (a, b) narrowed past whitespace and trailing punctuation and stray quotes."""
    a, b = _trim(text, a, b)
    while b > a and text[b - 1] in _PUNCT_END:
        b -= 1
    while a < b and text[a] in _PUNCT_END:
        a += 1
    # a quote mark left open or closed at only one edge is not part of the content
    if b > a and text[b - 1] in QUOTE_CHARS and not any(c in QUOTE_CHARS for c in text[a:b - 1]):
        b -= 1
    if b > a and text[a] in QUOTE_CHARS and not any(c in QUOTE_CHARS for c in text[a + 1:b]):
        a += 1
    return _trim(text, a, b)


def text_span(text: str, a: int, b: int) -> Span:
    """Return the Span of ``text[a:b]``."""
    return Span(a, b, text[a:b])


def quote_at(quotes: Sequence[tuple[int, int]], pos: int) -> tuple[int, int] | None:
    """Return the quote that opens at ``pos``, if any (``quotes`` from ``index_quotes``)."""
    return quotes.by_open.get(pos)


def in_quote(quotes: Sequence[tuple[int, int]], pos: int) -> bool:
    """Return True when ``pos`` lies strictly inside a quotation (``quotes`` from ``index_quotes``)."""
    # Quotations never nest or overlap: checking the last opener before pos is enough.
    k = bisect_left(quotes, (pos, -1)) - 1
    return k >= 0 and quotes[k][0] < pos < quotes[k][1]


def outside_quotes(toks: Sequence[Tok], lo: int, hi: int, quotes) -> Iterator[int]:
    """Yield the indices ``lo..hi`` of tokens not inside a quotation, where cues are sought.

    A reporting verb inside a quotation belongs to the quoted words, not to the attribution.
    """
    return (k for k in range(lo, hi) if not in_quote(quotes, toks[k].start))


def direct_quote(text: str, quotes, a: int, b: int) -> tuple[int, int] | None:
    """Return the quote's inner span when ``text[a:b]`` is exactly one quotation."""
    a, b = _trim(text, a, b)
    while b > a and text[b - 1] in ".,،؛;!?؟…":
        b -= 1
    q = quote_at(quotes, a)
    if q and (q[1] >= b - 1 or text[q[1]:b] == "''") and q[1] - q[0] > 1:
        return strip_span(text, q[0] + 1, q[1])
    return None


def content_span(text: str, quotes, a: int, b: int) -> tuple[Span, str] | None:
    """Return the content span of ``text[a:b]`` and its kind.

    Direct when the content is one quotation, or opens with a quotation of two or more
    words ("شدد على "ضرورة …" في بيان"): the words after it are the reporter's, not the speaker's.
    """
    inner = direct_quote(text, quotes, a, b)
    a2, _ = _trim(text, a, b)
    q = quote_at(quotes, a2)
    if inner is None and q and text[q[0]] not in _SINGLE and len(text[q[0] + 1:q[1]].split()) >= 2 and q[1] <= b:
        inner = strip_span(text, q[0] + 1, q[1])
    if inner is not None:
        return text_span(text, *inner), "direct"
    a, b = strip_span(text, a, b)
    if b - a < 3:
        return None
    return text_span(text, a, b), "indirect"
