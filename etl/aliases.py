"""The alias tables: CLDR country and city names, and the curated ``etl/data/entity_aliases.tsv``.

A leaf module (it imports nothing of the project), so the recogniser and the entity resolver
both read the same rows without importing each other.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

ALIASES_PATH = Path(__file__).parent / "data" / "entity_aliases.tsv"


@dataclass(frozen=True, slots=True)
class Alias:
    """One row of the alias table: an alias of the entity named ``key_name``."""

    key_name: str
    label: str
    alias: str
    lang: str


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
