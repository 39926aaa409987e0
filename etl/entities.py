"""Canonical entities: title stripping, in-article coreference and cross-language aliases.

``resolve_entities`` turns recogniser spans into ``ResolvedMention``s whose ``key`` is the same
for every way of writing one entity: with or without a title (الرئيس السوري بشار الأسد), with a
proclitic (والأسد), as a surname after the full name earlier in the article (الأسد, Peskov), or
in the other language (حلب / Aleppo, via CLDR names and ``etl/data/entity_aliases.tsv``).
``role_antecedent`` ties a definite role phrase that is no mention ("القيادة العامة", "الوزير",
"the ministry") to the mention it names again, so a claim's speaker links to that entity.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from etl.aliases import Alias, cldr_aliases, read_alias_table
from etl.arabic import analysis_language, normalise_arabic, normalise_key, strip_conjunction
from etl.models import EntitySpan, ResolvedMention
from etl.titles import TITLES_AR, TITLES_EN

_NISBA_AR = re.compile(r"^ال\w{2,}(ي|يه)$")  # الروسي، السورية: adjective after a title
_DEMONYM_EN = re.compile(r"^[A-Z][a-z]+(ian|an|ese|ish|i)$")  # Syrian, Russian, Chinese


def entity_key(name: str, label: str) -> str:
    """Return the entity key of a name: ``LABEL:`` + normalised, clitic-stripped words."""
    return f"{label}:{normalise_key(name, strip_clitic=True)}"


@dataclass(frozen=True, slots=True)
class AliasIndex:
    """Alias lookups: alias → (entity key, label), and display name per (entity key, lang)."""

    by_alias: dict[str, tuple[str, str]]
    by_words: dict[str, tuple[str, str]]
    display: dict[tuple[str, str], str]


def build_alias_index(base: Sequence[Alias], curated: Sequence[Alias]) -> AliasIndex:
    """Return lookups over alias rows; ``curated`` rows win over ``base`` (CLDR) rows.

    ``by_alias`` is keyed by ``entity_key(alias, label)``; ``by_words`` by the label-free key,
    so a curated alias also fixes a mention the recogniser typed wrongly (Kremlin as PER).
    """
    by_alias: dict[str, tuple[str, str]] = {}
    by_words: dict[str, tuple[str, str]] = {}
    display: dict[tuple[str, str], str] = {}
    for rows in (base, curated):
        firsts: dict[tuple[str, str], str] = {}
        for row in rows:
            key = entity_key(row.key_name, row.label)
            by_alias[entity_key(row.alias, row.label)] = (key, row.label)
            if rows is curated:  # not CLDR: Jordan the person must not become Jordan the place
                by_words[normalise_key(row.alias, strip_clitic=True)] = (key, row.label)
            firsts.setdefault((key, row.lang), row.alias)
        display.update(firsts)
    return AliasIndex(by_alias, by_words, display)


@lru_cache(maxsize=1)
def alias_index() -> AliasIndex:
    """Return the alias lookups of CLDR names plus the shipped alias table (built once)."""
    return build_alias_index(cldr_aliases(), read_alias_table())


@lru_cache(maxsize=1)
def _names_by_key() -> dict[str, tuple[tuple[str, str], ...]]:
    names: dict[str, list[tuple[str, str]]] = {}
    for (key, lang), name in sorted(alias_index().display.items()):
        names.setdefault(key, []).append((lang, name))
    return {key: tuple(rows) for key, rows in names.items()}


def known_names(key: str) -> tuple[tuple[str, str], ...]:
    """Return (language, display name) pairs the alias tables give for an entity key.

    The loader records them as aliases, so an analyst finds حلب by searching "Aleppo" even
    before an English article mentioned it.
    """
    return _names_by_key().get(key, ())


def strip_title(name: str, lang: str) -> str:
    """Return ``name`` without leading titles (الرئيس السوري, President, Syrian President)."""
    words = name.split()
    i = 0
    while i < len(words) - 1:
        w = words[i]
        if lang == "ar":
            n = normalise_arabic(w)
            is_title = n in TITLES_AR or (n.startswith("و") and n[1:] in TITLES_AR)
            is_title = is_title or (i > 0 and bool(_NISBA_AR.match(n)))
        else:
            lo, before_title = w.lower(), words[i + 1].lower() in TITLES_EN
            is_title = lo in TITLES_EN or before_title and (
                bool(_DEMONYM_EN.match(w)) or w.isupper()  # Syrian President, U.S. Secretary
                or (i > 0 and lo in ("of", "the")))  # Secretary of State
        if not is_title:
            break
        i += 1
    return " ".join(words[i:])


def _words(name: str) -> tuple[str, ...]:
    return tuple(normalise_key(name, strip_clitic=True).split())


def _contains(full: tuple[str, ...], part: tuple[str, ...]) -> bool:
    return len(part) < len(full) and any(
        full[i:i + len(part)] == part for i in range(len(full) - len(part) + 1))


def _starts(full: tuple[str, ...], part: tuple[str, ...]) -> bool:
    return len(part) < len(full) and full[:len(part)] == part


def corefer_names(names: Sequence[str], labels: Sequence[str]) -> list[str]:
    """Return each name replaced by the one longer name of the text that it abbreviates.

    People: a part of a longer PER name (الأسد → بشار الأسد, Peskov → Dmitry Peskov).
    Organisations: the head of a longer ORG name given in the same text, at least two words
    (القيادة العامة → القيادة العامة للجيش السوري; Foreign Ministry → Foreign Ministry of
    Russia): a later short form names the body already introduced in full. Left alone when
    two longer names share the short one (two Assads, two general commands).
    """
    fulls_of: dict[str, dict[tuple[str, ...], str]] = {"PER": {}, "ORG": {}}
    for name, label in zip(names, labels, strict=True):
        if label in fulls_of:
            fulls_of[label][_words(name)] = name
    out = []
    for name, label in zip(names, labels, strict=True):
        part = _words(name)
        if label == "PER":
            fulls = {n for w, n in fulls_of["PER"].items() if part and _contains(w, part)}
        elif label == "ORG" and len(part) >= 2:
            fulls = {n for w, n in fulls_of["ORG"].items() if _starts(w, part)}
        else:
            fulls = set()
        longest = {f for f in fulls if not any(_contains(_words(g), _words(f)) for g in fulls)}
        out.append(longest.pop() if len(longest) == 1 else name)
    return out


def resolve_entities(text: str, lang: str, spans: list[EntitySpan]) -> list[ResolvedMention]:
    """Return the spans tied to canonical entities (key and display name), in input order."""

    lang = analysis_language(text, lang)
    index = alias_index()
    # Titles only ever precede people: الرئاسة الروسية and Foreign Ministry keep their heads.
    stripped = [strip_title(s.text, lang) if s.label == "PER" else s.text for s in spans]
    names = corefer_names(stripped, [s.label for s in spans])
    resolved: list[tuple[EntitySpan, str, str, str | None]] = []
    for span, name in zip(spans, names, strict=True):
        hit = index.by_alias.get(entity_key(name, span.label)) or index.by_words.get(
            normalise_key(name, strip_clitic=True))
        if hit:
            key, label = hit
            shown = index.display.get((key, lang)) or index.display.get((key, "en"))
        else:
            key, label, shown = entity_key(name, span.label), span.label, None
        resolved.append((span, key, label, shown or name))
    # Without an alias, the fullest form seen in the text names the entity.
    fullest: dict[str, str] = {}
    for _, key, _, shown in resolved:
        if len(shown) > len(fullest.get(key, "")):
            fullest[key] = shown
    return [
        ResolvedMention(span.start, span.end, span.text, label, key, fullest[key])  # type: ignore[arg-type]
        for span, key, label, _ in resolved
    ]


_ROLE_TITLE_WORDS = 5  # words of a title searched before a person's name ("المتحدث باسم الكرملين")
_TITLE_BREAK = re.compile(r"[.،,؛;:!?؟\n\"«»“”()]")


def role_antecedent(text: str, lang: str, start: int, end: int, spans: Sequence[EntitySpan]) -> int | None:
    """Return the index in ``spans`` of the earlier mention that the role phrase ``text[start:end]`` names.

    A definite description points back; an indefinite one ("مصدر", "an official") is someone
    new and gets None. The phrase names an organisation when it is the name's head or a short
    form of it (الوزارة → وزارة الدفاع, القيادة العامة → القيادة العامة للجيش السوري, the
    ministry → the Foreign Ministry), or a person when the article put the same title before the
    name ("وزير النقل سامي داود" … "الوزير"). As in ``corefer_names``, a phrase that fits two
    different names (two ministers, two armies) is left unlinked rather than guessed.
    """
    role = _role_words(text[start:end], lang)
    if not role:
        return None
    fits = [i for i, span in enumerate(spans) if span.end <= start and (
        (span.label == "ORG" and _shortens(role, _words(span.text), lang))
        or (span.label == "PER" and role[0] in _title_before(text, span.start, lang)
            and set(role) <= set(_words(text[max(0, span.start - 80):span.start]))))]
    names = {_words(spans[i].text) for i in fits}
    # "بيسكوف" and "دميتري بيسكوف", "القيادة العامة" and its full name: one party
    fullest = {n for n in names if not any(_contains(m, n) for m in names)}
    if len(fullest) != 1:
        return None
    return max(fits, key=lambda i: spans[i].start)


def _role_words(phrase: str, lang: str) -> tuple[str, ...]:
    """Return the clitic-free words of a definite role phrase, without "the"; () if indefinite."""
    raw = phrase.split()
    if not raw:
        return ()
    if lang == "ar":  # definite by ال, or by a definite genitive ("وزير الدفاع")
        heads = [strip_conjunction(normalise_arabic(w)) for w in raw[:2]]
        return _words(phrase) if any(h.startswith(("ال", "لل")) for h in heads) else ()
    return _words(" ".join(raw[1:])) if raw[0].lower() == "the" and len(raw) > 1 else ()


def _shortens(role: tuple[str, ...], name: tuple[str, ...], lang: str) -> bool:
    """Return True when ``role`` is an organisation name's head words: its start in Arabic,
    any run of it in English (head-final: "the ministry" of "the Foreign Ministry")."""
    if len(role) > len(name):
        return False
    if lang == "ar":
        return name[:len(role)] == role
    return any(name[i:i + len(role)] == role for i in range(len(name) - len(role) + 1))


def _title_before(text: str, pos: int, lang: str) -> set[str]:
    """Return the clitic-free title words standing right before a name at ``pos``.

    Walks back over titles and the words of their office (definite words in Arabic,
    capitalised ones in English) and stops at anything else: "قال إن الرئيس X" gives الرئيس only.
    """
    before = _TITLE_BREAK.split(text[max(0, pos - 80):pos])[-1].split()
    out: set[str] = set()
    for raw in reversed(before[-_ROLE_TITLE_WORDS:]):
        if lang == "ar":
            n = strip_conjunction(normalise_arabic(raw))
            if not (n in TITLES_AR or n.startswith(("ال", "لل"))):
                break
            is_title = n in TITLES_AR
        else:
            if not (raw.lower() in TITLES_EN or raw[:1].isupper()):
                break
            is_title = raw.lower() in TITLES_EN
        if is_title:
            out.update(_words(raw))
    return out
