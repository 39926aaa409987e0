"""Canonical entities: title stripping, in-article coreference and cross-language aliases.

``resolve_entities`` turns recogniser spans into ``ResolvedMention``s whose ``key`` is the same
for every way of writing one entity: with or without a title (الرئيس السوري بشار الأسد), with a
proclitic (والأسد), as a surname after the full name earlier in the article (الأسد, Peskov), or
in the other language (حلب / Aleppo, via CLDR names and ``etl/data/entity_aliases.tsv``).
"""

from __future__ import annotations

import csv
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from etl.arabic import normalise_arabic, normalise_key
from etl.models import EntitySpan, ResolvedMention

ALIASES_PATH = Path(__file__).parent / "data" / "entity_aliases.tsv"


def _word_set(words: str) -> frozenset[str]:
    return frozenset(words.split())


# Words that precede a name without being part of it (normalised Arabic, lower-case English).
_TITLES_AR = _word_set(
    "الرءيس رءيس الرءيسه رءيسه نايب ونايب والرءيس السيد السيده الشيخ الامير الملك الملكه "
    "الوزير وزير وزيره الوزيره المتحدث الناطق باسم الدكتور د العقيد اللواء العميد الجنرال "
    "المشير الفريق الرايد النقيب المستشار السفير الزعيم القايد المرشد البابا الامين العام "
    "مدير المدير رءيسا زعيم قايد الحاج الاستاذ المهندس الكاتب الصحفي المبعوث الخاص "
    "الرءاسه الخارجيه الدفاع الداخليه الوزراء"
)
_TITLES_EN = _word_set(
    "president vice prime minister foreign defence defense interior secretary general "
    "mr mr. mrs mrs. ms ms. dr dr. prof prof. professor sir king queen prince princess sheikh "
    "emir gen gen. lt lt. col col. colonel major maj. sgt sgt. captain capt. admiral senator "
    "sen. rep. gov. governor chancellor spokesman spokeswoman spokesperson ambassador envoy "
    "leader commander chief pope kremlin state special"
)
_NISBA_AR = re.compile(r"^ال\w{2,}(ي|يه)$")  # الروسي، السورية: adjective after a title
_DEMONYM_EN = re.compile(r"^[A-Z][a-z]+(ian|an|ese|ish|i)$")  # Syrian, Russian, Chinese


@dataclass(frozen=True, slots=True)
class Alias:
    """One row of the alias table: an alias of the entity named ``key_name``."""

    key_name: str
    label: str
    alias: str
    lang: str


def entity_key(name: str, label: str) -> str:
    """Return the entity key of a name: ``LABEL:`` + normalised, clitic-stripped words."""
    return f"{label}:{normalise_key(name, strip_clitic=True)}"


def read_alias_table(path: Path = ALIASES_PATH) -> list[Alias]:
    """Return the rows of an alias TSV (key_name, label, alias, lang; # comments allowed)."""
    with path.open(encoding="utf-8", newline="") as fh:
        lines = [line for line in fh if line.strip() and not line.startswith("#")]
    return [Alias(r["key_name"], r["label"], r["alias"], r["lang"])
            for r in csv.DictReader(lines, delimiter="\t", quoting=csv.QUOTE_NONE)]


@lru_cache(maxsize=1)
def cldr_aliases() -> list[Alias]:
    """Return Arabic/English aliases of countries (CLDR territories) and CLDR cities."""
    import babel.localedata
    from babel import Locale

    rows: list[Alias] = []
    ar, en = Locale("ar").territories, Locale("en").territories
    for code, en_name in en.items():
        if code.isdigit() or code in ("ZZ", "QO", "EZ") or code not in ar:
            continue  # numeric regions ("world") and pseudo-territories are not places we key
        label = "ORG" if code in ("UN", "EU") else "LOC"
        rows += [Alias(en_name, label, ar[code], "ar"), Alias(en_name, label, en_name, "en")]
    en_zones = babel.localedata.load("en")["time_zones"]
    for zone, data in babel.localedata.load("ar")["time_zones"].items():
        if "city" in data and "/" in zone and not zone.startswith("Etc/"):
            # English exemplar cities are only stored where they differ from the zone id.
            en_city = en_zones.get(zone, {}).get("city") or zone.rsplit("/", 1)[1].replace("_", " ")
            rows += [Alias(en_city, "LOC", data["city"], "ar"), Alias(en_city, "LOC", en_city, "en")]
    return rows


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
            is_title = n in _TITLES_AR or (n.startswith("و") and n[1:] in _TITLES_AR)
            is_title = is_title or (i > 0 and bool(_NISBA_AR.match(n)))
        else:
            lo, before_title = w.lower(), words[i + 1].lower() in _TITLES_EN
            is_title = lo in _TITLES_EN or before_title and (
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


def corefer_names(names: Sequence[str], labels: Sequence[str]) -> list[str]:
    """Return each name replaced by the one longer PER name of the text that contains it.

    الأسد → بشار الأسد and Peskov → Dmitry Peskov when the full name occurs in the same text;
    a surname shared by two full names (two Assads) stays as it is.
    """
    people = {_words(n): n for n, lab in zip(names, labels, strict=True) if lab == "PER"}
    out = []
    for name, label in zip(names, labels, strict=True):
        part = _words(name)
        fulls = {people[w] for w in people if label == "PER" and part and _contains(w, part)}
        longest = {f for f in fulls if not any(_contains(_words(g), _words(f)) for g in fulls)}
        out.append(longest.pop() if len(longest) == 1 else name)
    return out


def resolve_entities(text: str, lang: str, spans: list[EntitySpan]) -> list[ResolvedMention]:
    """Return the spans tied to canonical entities (key and display name), in input order."""
    from etl.analyze import analysis_language

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
