"""The data dictionary (docs/DATA_DICTIONARY.md), generated from the COMMENTs in the database.

The comments in sql/ are the one description of every table, view and column; this renders
them for readers without a SQL client. ``python -m etl.dictionary`` rewrites the file (from the
database NEWSETL_DATABASE_URL names, else the embedded one); a test fails when it is stale.
"""

from __future__ import annotations

import os
from itertools import groupby

import sqlalchemy as sa

from etl.db import catalog_rows, make_engine, resolve_database_url, upgrade_schema
from etl.settings import PROJECT_ROOT, load_settings

DICTIONARY_FILE = PROJECT_ROOT / "docs" / "DATA_DICTIONARY.md"


def _cell(text: str | None) -> str:
    return (text or "").replace("|", "\\|").replace("\n", " ")


def render_dictionary(engine: sa.Engine) -> str:
    """Return the data dictionary as Markdown: tables, then views, each with its columns."""
    lines = ["# Data dictionary", "",
             "Generated from the database's COMMENTs by `python -m etl.dictionary`; do not edit by hand.",
             "In psql: `\\d+ articles`.", ""]
    for (name, kind, comment), columns in groupby(catalog_rows(engine), key=lambda r: r[:3]):
        lines += [f"## {name} ({kind})", "", _cell(comment), "", "| column | type | meaning |", "|---|---|---|"]
        lines += [f"| `{c.attname}` | {c.type} | {_cell(c.column_comment)} |" for c in columns]
        lines.append("")
    return "\n".join(lines)


if __name__ == "__main__":
    db = make_engine(resolve_database_url(load_settings(os.environ)))
    upgrade_schema(db)
    DICTIONARY_FILE.write_text(render_dictionary(db), encoding="utf-8")
    print(f"wrote {DICTIONARY_FILE}")
