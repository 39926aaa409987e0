"""Stages ``find_entities`` and ``find_claims``: per-article analysis, batched, failures recorded."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from etl import load
from etl.db import describe_error, is_item_error, tables
from etl.errors import PermanentError
from etl.models import PipelineError, Run, StageStats
from etl.pipeline.common import Progress, _finish, _record
from etl.settings import Settings

log = logging.getLogger(__name__)


ANALYSIS_BATCH = 200
"""Articles whose text is held in memory at once by an NLP stage."""


def _batches(engine: Engine, where: sa.ColumnElement[bool]) -> tuple[int, Iterator[list[Any]]]:
    """Return how many articles match ``where`` and an iterator over them in id-ordered batches.

    Only ids are read up front, so a model upgrade that re-analyses the whole history does
    not load every article's text into one task's memory.
    """
    t = tables(engine)["articles"]
    with engine.connect() as conn:
        ids = conn.execute(sa.select(t.c.id).where(where).order_by(t.c.id)).scalars().all()

    def batches() -> Iterator[list[Any]]:
        for i in range(0, len(ids), ANALYSIS_BATCH):
            chunk = ids[i:i + ANALYSIS_BATCH]
            # read, then yield outside the connection: a stage that raises mid-batch must not
            # leave a connection idle in transaction (its lock would block the next run)
            with engine.connect() as conn:
                rows = conn.execute(sa.select(t.c.id, t.c.full_text, t.c.language)
                                    .where(t.c.id.in_(chunk)).order_by(t.c.id)).all()
            yield rows

    return len(ids), batches()


def _for_each_article(run: Run, todo: tuple[int, Iterator[list[Any]]], work: Callable[[Any], int], *,
                      engine: Engine, settings: Settings, stats: StageStats, progress: Progress, label: str,
                      on_failure: Callable[[int], None] | None = None) -> StageStats:
    """Apply ``work`` (returns rows written) to each article; a failing article is recorded, not fatal.

    Database errors propagate (the task fails and Airflow retries) unless PostgreSQL refused this
    article's values (``is_item_error``); anything else raised while
    analysing one article's text is recorded in ``pipeline_errors`` with its class and message,
    logged with its traceback, ``on_failure(article_id)`` clears what the stage had stored for
    it, and the stage goes on with the next article.
    """
    total, batches = todo
    tick = progress(label, total) if progress else None
    for rows in batches:
        for row in rows:
            stats.processed += 1
            try:
                stats.written += work(row)
            except Exception as exc:  # noqa: BLE001 - recorded below with its traceback, never dropped
                if isinstance(exc, sa.exc.SQLAlchemyError) and not is_item_error(exc):
                    raise
                if not isinstance(exc, PermanentError) and not is_item_error(exc):
                    log.exception("%s: article %s failed", stats.stage, row.id)
                reason = exc.reason if isinstance(exc, PermanentError) else describe_error(exc)
                if on_failure:
                    on_failure(row.id)
                _record(engine, run, stats, PipelineError(stage=stats.stage, reason=reason, article_id=row.id,
                                                          error_class=type(exc).__name__))
            if tick:
                tick(row.id)
    return _finish(engine, run, stats, settings)


def run_entities(run: Run, *, engine: Engine, settings: Settings, progress: Progress = None) -> StageStats:
    """Recognise entities in new or re-extracted articles; upsert canonical entities and mentions.

    ``articles.entities_version`` is stamped in the same transaction as the mentions; an article
    that fails loses its old mentions (they may point into an older text) and stays to do.
    """
    from etl import ner
    from etl.analyze import find_entities
    from etl.arabic import normalise_key

    t = tables(engine)["articles"]

    def work(row: Any) -> int:
        lang, _, resolved = find_entities(_analysed_text(row, settings, stats), row.language)
        norm_keys = {m.key: normalise_key(m.canonical_name, strip_clitic=True) for m in resolved}
        with engine.begin() as conn:
            ids = load.upsert_entities(conn, run, resolved, norm_keys=norm_keys, model_version=ner.MODEL_VERSION)
            load.upsert_aliases(conn, _alias_rows(resolved, ids, lang))
            load.replace_mentions(conn, run, row.id, [
                {"entity_id": ids[m.key], "start_char": m.start, "end_char": m.end, "surface": m.text,
                 "label": m.label} for m in resolved], model_version=ner.MODEL_VERSION)
            conn.execute(sa.update(t).where(t.c.id == row.id).values(entities_version=ner.MODEL_VERSION))
        return len(resolved)

    def forget(article_id: int) -> None:
        with engine.begin() as conn:
            load.replace_mentions(conn, run, article_id, [], model_version=ner.MODEL_VERSION)
            conn.execute(sa.update(t).where(t.c.id == article_id).values(entities_version=None))

    todo = _batches(engine, t.c.entities_version.is_distinct_from(ner.MODEL_VERSION))
    stats = StageStats(stage="find_entities")
    return _for_each_article(run, todo, work, engine=engine, settings=settings, stats=stats,
                             progress=progress, label="entities", on_failure=forget)


def _analysed_text(row: Any, settings: Settings, stats: StageStats) -> str:
    """Return the part of the article the analysis reads: its first ``max_analysis_chars`` characters.

    Offsets into a prefix are offsets into the whole text, so what is stored stays valid; the
    article is counted under ``truncated`` so a reader knows the rest was not analysed.
    """
    limit = settings.pipeline.max_analysis_chars
    if len(row.full_text) <= limit:
        return row.full_text
    stats.extra["truncated"] = stats.extra.get("truncated", 0) + 1
    return row.full_text[:limit]


def _alias_rows(resolved: list[Any], ids: dict[str, int], lang: str) -> list[dict[str, Any]]:
    """Return alias rows: every surface form seen, plus the alias tables' names per language."""
    from etl.arabic import normalise_key
    from etl.entities import known_names

    unique = {(ids[m.key], m.text, lang) for m in resolved}
    unique |= {(ids[key], name, name_lang) for key in ids for name_lang, name in known_names(key)}
    return [{"entity_id": entity_id, "alias": alias, "alias_key": normalise_key(alias, strip_clitic=True),
             "language": alias_lang} for entity_id, alias, alias_lang in sorted(unique)]


def run_claims(run: Run, *, engine: Engine, settings: Settings, progress: Progress = None) -> StageStats:
    """Extract claims from analysed articles, link speakers to entities, store quantities."""
    from etl import claims, ner
    from etl.analyze import find_claims, nlp_version
    from etl.models import EntitySpan
    from etl.tokens import sentence_around

    version = nlp_version()
    stats = StageStats(stage="find_claims")
    tm, ta = tables(engine)["entity_mentions"], tables(engine)["articles"]

    def work(row: Any) -> int:
        with engine.connect() as conn:
            mentions = conn.execute(sa.select(tm.c.start_char, tm.c.end_char, tm.c.surface, tm.c.label,
                                              tm.c.entity_id).where(tm.c.article_id == row.id)
                                    .order_by(tm.c.start_char)).all()
        spans = [EntitySpan(m.start_char, m.end_char, m.surface, m.label) for m in mentions]
        found = find_claims(_analysed_text(row, settings, stats), row.language, spans)
        speaker_ids = [_speaker_entity(c, mentions) for c in found]
        sentences = [sentence_around(row.full_text, min(c.cue.start, c.content.start), c.content.end)
                     for c in found]
        with engine.begin() as conn:
            written, dropped = load.replace_claims(conn, run, row.id, found, sentences=sentences,
                                                   speaker_ids=speaker_ids,
                                                   extractor_version=claims.EXTRACTOR_VERSION)
            conn.execute(sa.update(ta).where(ta.c.id == row.id).values(nlp_version=version))
        if dropped:
            stats.discards["duplicate-span"] += dropped
        return written

    # Only articles whose mentions come from the current model: claims link speakers to them.
    todo = _batches(engine, sa.and_(ta.c.nlp_version.is_distinct_from(version),
                                    ta.c.entities_version == ner.MODEL_VERSION))
    return _for_each_article(run, todo, work, engine=engine, settings=settings, stats=stats, progress=progress,
                             label="claims")


def _speaker_entity(claim: Any, mentions: list[Any]) -> int | None:
    """Return the entity id of the PER/ORG mention overlapping the claim's speaker span."""
    sp = claim.speaker
    if sp is None:
        return None
    overlapping = [m for m in mentions if m.label in ("PER", "ORG")
                   and m.start_char < sp.end and sp.start < m.end_char]
    if not overlapping:
        return None
    return max(overlapping, key=lambda m: min(m.end_char, sp.end) - max(m.start_char, sp.start)).entity_id


