"""Alias-table names in the recogniser's output: the multi-word names of
``etl/data/entity_aliases.tsv`` tagged wherever they occur, and the table's label for a model
span that is one of its names (Kremlin is an ORG). Kept apart from the CRF code in ``etl.ner``:
these passes read the curated table, not the model.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

from etl.aliases import read_alias_table
from etl.arabic import PROCLITIC_PREFIXES, normalise_arabic, normalise_key
from etl.tokens import tokenise


def phrase_key(token: str, lang: str) -> str:
    """Return the form under which a token matches a word of an alias-table phrase."""
    return normalise_arabic(token) if lang == "ar" else token.lower()


def _proclitic_variants(key: str, lang: str) -> list[tuple[str, int]]:
    """Return (word, characters cut) for a phrase's first word with and without proclitics."""
    out = [(key, 0)]
    if lang != "ar":
        return out
    for prefix in PROCLITIC_PREFIXES:
        if key.startswith(prefix) and len(key) - len(prefix) >= 3:
            out.append((key[len(prefix):], len(prefix)))
    if key.startswith("لل") and len(key) > 4:
        out.append(("ا" + key[1:], 0))  # لل = ل + ال with the alef elided: keep the token whole
    return out


@lru_cache(maxsize=2)
def alias_phrases(lang: str) -> dict[str, list[tuple[tuple[str, ...], str]]]:
    """Return the multi-word names of ``etl/data/entity_aliases.tsv``: first word → (rest, label),
    longest first."""
    phrases: dict[str, list[tuple[tuple[str, ...], str]]] = {}
    for row in read_alias_table():
        words = [phrase_key(row.alias[s:e], lang) for s, e in tokenise(row.alias)]
        if row.lang == lang and len(words) > 1:
            phrases.setdefault(words[0], []).append((tuple(words[1:]), row.label))
    for entries in phrases.values():
        entries.sort(key=lambda e: -len(e[0]))
    return phrases


Span4 = tuple[int, int, str, int]  # first token, last token + 1, label, characters to trim


def add_alias_phrases(tokens: Sequence[str], spans: Sequence[Span4], lang: str) -> list[Span4]:
    """Return token spans with alias-table names (هيئة تحرير الشام, Syrian Arab Army) added.

    A curated name wins over model spans that lie inside it (الشام as LOC inside the HTS name),
    except a span of the same type only one word shorter: حزب الله inside حزب الله اللبناني,
    غزة inside قطاع غزة name the same thing, as ANERcorp tags it (letting the table win there
    cost 1.3 F1 on the last 10 % of ANERcorp); القيادة العامة للجيش السوري still wins over
    الجيش السوري. A model span reaching outside the name wins over the name. The name's first word may carry
    a proclitic (لوزارة الدفاع السورية), trimmed from the span.
    """
    phrases = alias_phrases(lang)
    out = list(spans)
    keys = [phrase_key(t, lang) for t in tokens]
    i = 0
    while i < len(tokens):
        match = None
        for first, cut in _proclitic_variants(keys[i], lang):
            for rest, label in phrases.get(first, ()):
                end = i + 1 + len(rest)
                if tuple(keys[i + 1:end]) == rest and (match is None or end > match[1]):
                    match = (i, end, label, cut if len(keys[i]) == len(tokens[i]) else 0)
                    break
        if match:
            clashing = [s for s in out if s[0] < match[1] and match[0] < s[1]]
            if all(match[0] <= s[0] and s[1] <= match[1] for s in clashing) and not any(
                    s[2] == match[2] and (match[1] - match[0]) - (s[1] - s[0]) < 2 for s in clashing):
                out = [s for s in out if s not in clashing] + [match]
                i = match[1] - 1
        i += 1
    return sorted(out)


@lru_cache(maxsize=2)
def curated_labels(lang: str) -> dict[str, str]:
    """Return clitic-free name key → label for every alias of ``lang`` in the alias table."""
    return {normalise_key(r.alias, strip_clitic=True): r.label
            for r in read_alias_table() if r.lang == lang}
