"""The schema contract: every table, column and view documented; migrations are idempotent."""

from __future__ import annotations

import sqlalchemy as sa

from etl.db import TABLE_NAMES, upgrade_schema


def test_every_table_and_column_has_a_comment(engine):
    with engine.connect() as conn:
        missing = conn.execute(sa.text("""
            SELECT c.table_name || '.' || c.column_name
              FROM information_schema.columns c
             WHERE c.table_schema = 'public' AND c.table_name = ANY(:tables)
               AND col_description(format('%I.%I', c.table_schema, c.table_name)::regclass, c.ordinal_position) IS NULL
        """), {"tables": list(TABLE_NAMES)}).scalars().all()
        undocumented_tables = conn.execute(sa.text(
            "SELECT t FROM unnest(CAST(:tables AS text[])) t WHERE obj_description(t::regclass, 'pg_class') IS NULL"),
            {"tables": list(TABLE_NAMES)}).scalars().all()
        views = conn.execute(sa.text(
            "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE c.relkind = 'v' AND n.nspname = 'public' AND obj_description(c.oid, 'pg_class') IS NULL")).scalars().all()
    assert missing == []
    assert undocumented_tables == []
    assert views == []


def test_upgrade_is_idempotent(engine):
    assert upgrade_schema(engine) == upgrade_schema(engine) != ""


def test_arabic_full_text_search_finds_stemmed_forms(engine):
    with engine.begin() as conn:
        conn.execute(sa.text("INSERT INTO pipeline_runs (run_id, logical_date, code_version) VALUES ('r', '2026-11-24', 't')"))
        conn.execute(sa.text("INSERT INTO sources (name) VALUES ('s')"))
        conn.execute(sa.text(
            "INSERT INTO articles (url, url_key, source_id, title, body, language, run_id) VALUES "
            "('http://x/1', 'x/1', 1, 'غارات على المسلحين بحلب', 'قال الكرملين إن روسيا تواصل دعم الأسد', 'ar', 'r')"))
        def hits(query: str) -> int:
            return conn.execute(sa.text(
                "SELECT count(*) FROM articles WHERE search @@ plainto_tsquery('arabic', arabic_fold(:q))"),
                {"q": query}).scalar_one()

        assert hits("الكرملين") == 1
        assert hits("الاسد") == 1  # typed without hamza, stored as الأسد
        assert hits("الأسَـــد") == 1  # vocalised and stretched
        assert hits("موسكو") == 0
        body = conn.execute(sa.text("SELECT body FROM articles")).scalar_one()
    assert "الأسد" in body  # stored as published
