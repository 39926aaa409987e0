"""Stages ``find_entities`` and ``find_claims``: per-article analysis in id-batch partitions, failures recorded.

Each partition (``ANALYSIS_BATCH`` article ids) is claimed, analysed and written in one
transaction (``load_analysis.lock_analysis_batch``); partitions run in this process or, with
``settings.pipeline.workers`` > 1, in a pool of processes (``pool.map_partitions``), through the same function, so two
workers write exactly the rows one would.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from functools import partial
from typing import Any, TypeVar

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from etl import load, load_analysis
from etl.db import describe_error
from etl.errors import PermanentError
from etl.models import (
    ArticleClaims,
    ArticleEntities,
    ArticleText,
    EntityAlias,
    PipelineError,
    ResolvedMention,
    Run,
    StageStats,
    StoredMention,
)
from etl.pipeline.common import Progress, _finish
from etl.pipeline.pool import map_partitions
from etl.settings import Settings

log = logging.getLogger(__name__)

T = TypeVar("T")

ANALYSIS_BATCH = 200
"""Articles in one partition: claimed, held in memory and written together by an NLP stage."""


def _versions() -> dict[str, str]:
    from etl import ner
    from etl.analyze import nlp_version

    return {"model_version": ner.MODEL_VERSION, "nlp_version": nlp_version()}


def run_entities(run: Run, *, engine: Engine, settings: Settings, progress: Progress = None) -> StageStats:
    """Recognise entities in new or re-extracted articles; upsert canonical entities and mentions.

    ``articles.entities_version`` is stamped in the same transaction as the mentions; an article
    that fails loses its old mentions (they may point into an older text) and stays to do.
    """
    return _run_partitions(run, "find_entities", engine=engine, settings=settings, progress=progress,
                           label="entities")


def run_claims(run: Run, *, engine: Engine, settings: Settings, progress: Progress = None) -> StageStats:
    """Extract claims from analysed articles, link speakers to entities, store quantities."""
    return _run_partitions(run, "find_claims", engine=engine, settings=settings, progress=progress, label="claims")


def versions_tag() -> str:
    """Return a short tag of the analysis versions (the DAG's id-range partitions carry it)."""
    import hashlib

    versions = _versions()
    text = f"{versions['model_version']}|{versions['nlp_version']}"
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:10]


def todo_ids(run: Run, stage: load_analysis.AnalysisStage, *, engine: Engine) -> list[int]:
    """Return the ids of the night's articles ``stage`` still has to analyse under the running versions."""
    return load_analysis.analysis_todo_ids(engine, run, stage, **_versions())


def run_id_range(run: Run, stage: load_analysis.AnalysisStage, first: int, last: int, *, engine: Engine,
                 settings: Settings) -> StageStats:
    """Analyse the to-do articles with ids from ``first`` to ``last`` (a partition of the DAG's mapped
    stage) in batches; return the counts without recording the stage's totals."""
    ids = load_analysis.analysis_todo_ids(engine, run, stage, **_versions(), id_range=(first, last))
    return _analyse_ids(run, stage, ids, engine=engine, settings=settings, progress=None, label=stage)


def _run_partitions(run: Run, stage: load_analysis.AnalysisStage, *, engine: Engine, settings: Settings,
                    progress: Progress, label: str) -> StageStats:
    """Analyse every to-do article of the stage and record the stage's totals.

    Only ids are read up front, so a long night does not load every article's text into one
    task's memory. Only this night's articles (``load_analysis.analysis_todo_ids``).
    """
    stats = _analyse_ids(run, stage, todo_ids(run, stage, engine=engine), engine=engine, settings=settings,
                         progress=progress, label=label)
    return _finish(engine, run, stats, settings)


def _analyse_ids(run: Run, stage: load_analysis.AnalysisStage, ids: list[int], *, engine: Engine, settings: Settings,
                 progress: Progress, label: str) -> StageStats:
    """Split ``ids`` into batches, run them (pooled or not) and add up their stats."""
    parts = [tuple(ids[i:i + ANALYSIS_BATCH]) for i in range(0, len(ids), ANALYSIS_BATCH)]
    tick = progress(label, len(ids)) if progress else None
    stats = StageStats(stage=stage)
    work = partial(run_partition, run, stage, settings=settings)
    for part, part_stats in map_partitions(work, parts, engine=engine, workers=settings.pipeline.workers):
        stats.add(part_stats)
        for article_id in part if tick else ():
            tick(article_id)
    return stats


def run_partition(run: Run, stage: load_analysis.AnalysisStage, ids: Sequence[int], *, engine: Engine,
                  settings: Settings) -> StageStats:
    """Claim, analyse and write one partition of ``stage`` in one transaction; return its stats.

    Articles another worker holds are skipped (it writes them); articles already done are no
    longer to do; so a partition run twice, or by two workers at once, writes each row once.
    """
    stats = StageStats(stage=stage)
    with engine.begin() as conn:
        rows = load_analysis.lock_analysis_batch(conn, ids, stage, **_versions())
        stats.processed = len(rows)
        if stage == "find_entities":
            _entities_partition(conn, run, rows, settings=settings, stats=stats)
        else:
            _claims_partition(conn, run, rows, settings=settings, stats=stats)
    return stats


def _entities_partition(conn: Connection, run: Run, rows: list[ArticleText], *, settings: Settings,
                        stats: StageStats) -> None:
    from etl import ner

    done, failed = _analyse_each(rows, lambda row: _entities_of(row, settings, stats), stats)
    results, refused = load_analysis.write_isolated(
        conn, done, lambda items: load_analysis.store_entities(conn, run, items, model_version=ner.MODEL_VERSION))
    stats.written += sum(results)
    failed += [_refusal(stats, item.article_id, exc) for item, exc in refused]
    load_analysis.forget_entities(conn, [error.article_id for error in failed if error.article_id is not None])
    _record_all(conn, run, stats, failed)


def _claims_partition(conn: Connection, run: Run, rows: list[ArticleText], *, settings: Settings,
                      stats: StageStats) -> None:
    from etl import claims

    version = _versions()["nlp_version"]
    mentions = load_analysis.stored_mentions(conn, [row.id for row in rows])
    done, failed = _analyse_each(rows, lambda row: _claims_of(row, mentions[row.id], settings, stats), stats)
    results, refused = load_analysis.write_isolated(
        conn, done, lambda items: load_analysis.store_claims(conn, run, items, extractor_version=claims.EXTRACTOR_VERSION,
                                                    nlp_version=version))
    stats.written += sum(written for written, _ in results)
    dropped = sum(d for _, d in results)
    if dropped:
        stats.discards["duplicate-span"] += dropped
    _record_all(conn, run, stats, failed + [_refusal(stats, item.article_id, exc) for item, exc in refused])


def _analyse_each(rows: list[ArticleText], analyse: Callable[[ArticleText], T], stats: StageStats
                  ) -> tuple[list[T], list[PipelineError]]:
    """Return what ``analyse`` made of each article, and an error for each article it raised on.

    Anything raised while analysing one article's text is that article's failure: logged with
    its traceback (unless it is a ``PermanentError``, which says why itself) and recorded with its
    class and message; the partition goes on with the next article.
    """
    done: list[T] = []
    failed: list[PipelineError] = []
    for row in rows:
        try:
            done.append(analyse(row))
        except Exception as exc:  # noqa: BLE001 - recorded by the caller, with its traceback logged here
            if isinstance(exc, sa.exc.SQLAlchemyError):
                raise
            if not isinstance(exc, PermanentError):
                log.exception("%s: article %s failed", stats.stage, row.id)
            reason = exc.reason if isinstance(exc, PermanentError) else describe_error(exc)
            failed.append(PipelineError(stage=stats.stage, reason=reason, article_id=row.id,
                                        error_class=type(exc).__name__))
    return done, failed


def _refusal(stats: StageStats, article_id: int, exc: Exception) -> PipelineError:
    """Return the error of an article whose results PostgreSQL refused (its batch was written without it)."""
    return PipelineError(stage=stats.stage, reason=describe_error(exc), article_id=article_id,
                         error_class=type(exc).__name__)


def _record_all(conn: Connection, run: Run, stats: StageStats, errors: list[PipelineError]) -> None:
    """Record the partition's failed articles in its own transaction (they commit with its results)."""
    for error in errors:
        stats.errors += 1
        log.warning("%s: %s (%s)", error.stage, error.reason, error.article_id)
        load.record_error(conn, run, error)


def _analysed_text(row: ArticleText, settings: Settings, stats: StageStats) -> str:
    """Return the part of the article the analysis reads: its first ``max_analysis_chars`` characters.

    Offsets into a prefix are offsets into the whole text, so what is stored stays valid; the
    article is counted under ``truncated`` so a reader knows the rest was not analysed.
    """
    limit = settings.pipeline.max_analysis_chars
    if len(row.full_text) <= limit:
        return row.full_text
    stats.extra["truncated"] = stats.extra.get("truncated", 0) + 1
    return row.full_text[:limit]


def _entities_of(row: ArticleText, settings: Settings, stats: StageStats) -> ArticleEntities:
    """Return one article's resolved mentions with their entities' normalised names and aliases."""
    from etl.analyze import find_entities
    from etl.arabic import normalise_key

    lang, _, resolved = find_entities(_analysed_text(row, settings, stats), row.language)
    norm_keys = {m.key: normalise_key(m.canonical_name, strip_clitic=True) for m in resolved}
    return ArticleEntities(article_id=row.id, mentions=tuple(resolved), norm_keys=tuple(sorted(norm_keys.items())),
                           aliases=_aliases(resolved, lang))


def _aliases(resolved: list[ResolvedMention], lang: str) -> tuple[EntityAlias, ...]:
    """Return every surface form seen, plus the alias tables' names per language, of each entity."""
    from etl.arabic import normalise_key
    from etl.entities import known_names

    unique = {(m.key, m.text, lang) for m in resolved}
    unique |= {(m.key, name, name_lang) for m in resolved for name_lang, name in known_names(m.key)}
    return tuple(EntityAlias(key=key, alias=alias, alias_key=normalise_key(alias, strip_clitic=True),
                             language=alias_lang) for key, alias, alias_lang in sorted(unique))


def _claims_of(row: ArticleText, mentions: list[StoredMention], settings: Settings, stats: StageStats
               ) -> ArticleClaims:
    """Return one article's claims, the sentence around each and its speaker's entity id."""
    from etl.analyze import find_claims
    from etl.models import EntitySpan
    from etl.tokens import sentence_around

    spans = [EntitySpan(m.start_char, m.end_char, m.surface, m.label) for m in mentions]
    text = _analysed_text(row, settings, stats)
    found = find_claims(text, row.language, spans)
    return ArticleClaims(
        article_id=row.id, claims=tuple(found),
        speaker_ids=tuple(speaker_entity(c, mentions, text, row.language) for c in found),
        sentences=tuple(sentence_around(row.full_text, min(c.cue.start, c.content.start), c.content.end)
                        for c in found))


def speaker_entity(claim: Any, mentions: list[StoredMention], text: str, lang: str | None) -> int | None:
    """Return the entity id of the claim's speaker: the PER/ORG mention overlapping its span, else
    the mention a role speaker names again ("القيادة العامة", "الوزير"; ``etl.entities.role_antecedent``).

    Linked, every way the article names one party counts as that party in ``speaker_claims_daily``.
    """
    from etl.arabic import analysis_language
    from etl.entities import role_antecedent
    from etl.models import EntitySpan

    sp = claim.speaker
    if sp is None:
        return None
    overlapping = [m for m in mentions if m.label in ("PER", "ORG")
                   and m.start_char < sp.end and sp.start < m.end_char]
    if overlapping:
        return max(overlapping, key=lambda m: min(m.end_char, sp.end) - max(m.start_char, sp.start)).entity_id
    if claim.speaker_label not in ("ROLE", None):
        return None
    spans = [EntitySpan(m.start_char, m.end_char, m.surface, m.label) for m in mentions]  # type: ignore[arg-type]
    i = role_antecedent(text, analysis_language(text, lang), sp.start, sp.end, spans)
    return None if i is None else mentions[i].entity_id
