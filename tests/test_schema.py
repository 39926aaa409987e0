"""The schema contract: every table, column and view documented; migrations are idempotent."""

from __future__ import annotations

from datetime import UTC, datetime

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


def test_revision_0010_indexes_the_story_keys_of_articles_clustered_before_it(database_url):
    """Articles clustered under revision 0009 are found as story neighbours after the upgrade."""
    from alembic import command
    from alembic.config import Config

    from etl.db import MIGRATIONS_DIR, make_engine, scratch_database

    admin = sa.make_url(database_url).set(database="postgres").render_as_string(hide_password=False)
    with scratch_database(admin, prefix="newsetl_test_0010") as url:
        engine = make_engine(url)
        config = Config()
        config.set_main_option("script_location", str(MIGRATIONS_DIR))
        with engine.begin() as conn:
            config.attributes["connection"] = conn
            command.upgrade(config, "0009_copies_and_stories")
            conn.execute(sa.text("INSERT INTO pipeline_runs (run_id, logical_date, code_version) VALUES ('r', '2026-11-24', 't')"))
            conn.execute(sa.text("INSERT INTO sources (name) VALUES ('s')"))
            conn.execute(sa.text(
                "INSERT INTO articles (url, url_key, source_id, title, body, language, run_id, published_at, title_key, "
                "cluster_id, cluster_version) VALUES ('http://x/1', 'x/1', 1, 'غارات على حلب', 'نص', 'ar', 'r', "
                "'2026-11-24 08:00+00', 'غارات حلب', 1, 'clusters/2 incremental-pubtime'), "
                "('http://x/2', 'x/2', 1, 'لم يجمع بعد', 'نص', 'ar', 'r', '2026-11-24 09:00+00', 'يجمع', NULL, NULL)"))
            conn.execute(sa.text("INSERT INTO entities (key, canonical_name, type, norm_key, model_version, run_id) "
                                 "VALUES ('LOC:حلب', 'حلب', 'LOC', 'حلب', 'm', 'r')"))
            conn.execute(sa.text("INSERT INTO entity_mentions (article_id, entity_id, start_char, end_char, surface, label, "
                                 "model_version, run_id) VALUES (1, 1, 0, 3, 'حلب', 'LOC', 'm', 'r')"))
        upgrade_schema(engine)
        with engine.connect() as conn:
            keys = conn.execute(sa.text("SELECT key, at, article_id FROM article_story_keys ORDER BY key")).all()
            terms = dict(conn.execute(sa.text("SELECT term, articles FROM story_terms")).all())
        engine.dispose()
    # revision 0011 counts them as the term frequencies of the one article clustered before it
    assert terms == {"e:LOC:حلب": 1, "t:حلب": 1, "t:غارات": 1, "#all": 1}
    assert [k.key for k in keys] == ["e:LOC:حلب", "t:حلب", "t:غارات"]
    assert {k.article_id for k in keys} == {1}
    assert keys[0].at == datetime(2026, 11, 24, 8, tzinfo=UTC)  # its publication time, as the window uses it
