"""docs/DATA_DICTIONARY.md is generated from the COMMENTs and in sync with them."""

from __future__ import annotations

from etl.db import catalog_rows
from etl.dictionary import DICTIONARY_FILE, render_dictionary


def test_every_view_and_view_column_has_a_comment(engine):
    rows = catalog_rows(engine)
    views = {r.relname for r in rows if r.kind == "view"}
    assert {"claims_with_speakers", "claim_numbers_by_cluster", "speaker_claims_daily", "feed_health",
            "story_cluster_articles", "story_clusters", "source_syndication"} <= views
    missing = [(r.relname, r.attname) for r in rows if not r.column_comment or not r.comment]
    assert missing == []


def test_quantity_categories_are_all_named():
    text = DICTIONARY_FILE.read_text(encoding="utf-8")
    line = next(x for x in text.splitlines() if x.startswith("| `category` |") and "killed" in x)
    for category in ("killed", "wounded", "arrested", "displaced", "destroyed", "money", "percent", "time", "other"):
        assert category in line


def test_the_dictionary_is_in_sync_with_the_database(engine):
    assert DICTIONARY_FILE.read_text(encoding="utf-8") == render_dictionary(engine), "run: python -m etl.dictionary"
