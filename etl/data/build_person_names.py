"""Build ``etl/data/person_names.tsv`` from the name index of ``arabic-name-romanizer``.

Run by a developer only, after ``pip install arabic-name-romanizer==0.2.0`` (not a dependency:
the shipped list is all the tagger reads). The index holds ≈82k given-name and family-name
units of people from Wikidata (CC0) and two Algerian name corpora (CC0, MIT); licences in
``person_names.LICENSE.md``. We keep single-word units seen at least ``MIN_COUNT`` times, in
Arabic (normalised with ``etl.arabic.normalise_arabic``) and in their Latin spellings, each
with its majority role: the NER model uses them as features ("a known given name"), so a
word that is also a common noun (سعيد, أمل) is weighed by the model, not forced to PER.

    .venv/bin/python etl/data/build_person_names.py
"""

from __future__ import annotations

import sqlite3
from collections import Counter, defaultdict
from importlib import resources
from pathlib import Path

from etl.arabic import normalise_arabic

OUT = Path(__file__).resolve().parent / "person_names.tsv"
MIN_COUNT = 2
HEADER = ("# Person-name units (given / family) from arabic-name-romanizer 0.2.0's names.sqlite3\n"
          "# (Wikidata CC0; Algerian Name Transcription Corpus CC0; DziriNames MIT): see\n"
          "# person_names.LICENSE.md. Built by etl/data/build_person_names.py; do not edit.\n"
          "name\trole\tlang\n")


def main() -> None:
    db = resources.files("arabic_name_romanizer") / "resources" / "names.sqlite3"
    roles: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)
    with sqlite3.connect(str(db)) as conn:
        for arabic, latin, role, count in conn.execute("SELECT arabic_key, latin, role, count FROM units"):
            role = {"given": "given", "surname": "family"}.get(role)
            if not role:
                continue
            if " " not in arabic.strip():
                roles[(normalise_arabic(arabic), "ar")][role] += count
            latin = latin.strip()
            if latin and " " not in latin and latin[:1].isupper() and latin.isalpha():
                roles[(latin.lower(), "en")][role] += count
    rows = sorted((name, c.most_common(1)[0][0], lang) for (name, lang), c in roles.items()
                  if sum(c.values()) >= MIN_COUNT and len(name) > 2)
    OUT.write_text(HEADER + "".join(f"{n}\t{r}\t{lang}\n" for n, r, lang in rows), encoding="utf-8")
    print(f"{OUT}: {len(rows)} names")


if __name__ == "__main__":
    main()
