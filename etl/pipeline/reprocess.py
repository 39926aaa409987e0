"""Reprocessing stored nights after a model or rule upgrade (DAG ``news_reprocess``, ``newsetl reprocess``).

The nightly stages analyse only their own night's articles, so an upgraded NER model or claim
rule reaches the history only when its nights are run again. Reprocessing does that for a range
of nights without fetching anything: per night, under that night's lease (a nightly or backfill
run of the same night cannot interleave), it re-extracts text from the kept raw pages where the
extractor changed and re-runs entities and claims where the model or rule version changed. Each
NLP partition replaces its articles' mentions and claims and stamps the new versions in one
transaction, so a reader sees either the old rows or the new ones, never a mix.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from datetime import date
from typing import Any

from sqlalchemy.engine import Engine

from etl import load
from etl.errors import ConfigError, LeaseHeldError
from etl.models import Run, StageStats
from etl.pipeline.common import make_run
from etl.pipeline.nlp import run_claims, run_entities
from etl.pipeline.pages import run_reextract
from etl.settings import Settings, load_settings

log = logging.getLogger(__name__)

REPROCESS_STAGES: dict[str, Callable[..., StageStats]] = {
    "extract": lambda run, **kw: run_reextract(run, night_only=True, **kw),
    "find_entities": run_entities,
    "find_claims": run_claims,
}
"""What can be redone from stored rows, in the order it must run (claims need the entities)."""


def reprocess_stages(names: Sequence[str] | str | None) -> list[str]:
    """Return the stages to redo in pipeline order; ``ConfigError`` for a name that cannot be redone."""
    if names is None or names == "" or names == []:
        return list(REPROCESS_STAGES)
    wanted = [n.strip() for n in (names.split(",") if isinstance(names, str) else names) if n.strip()]
    unknown = sorted(set(wanted) - set(REPROCESS_STAGES))
    if unknown:
        raise ConfigError(f"cannot reprocess {', '.join(unknown)}: choose from {', '.join(REPROCESS_STAGES)}")
    return [n for n in REPROCESS_STAGES if n in wanted]


def nights_to_reprocess(engine: Engine, first: date, last: date) -> list[date]:
    """Return the stored nightly runs' nights between ``first`` and ``last`` (inclusive), oldest first."""
    if last < first:
        raise ConfigError(f"reprocess: the range ends ({last}) before it starts ({first})")
    return load.stored_nights(engine, first, last)


def reprocess_night(night: date, stages: Sequence[str], *, engine: Engine, settings: Settings,
                    owner: str) -> dict[str, StageStats]:
    """Redo ``stages`` over the stored articles of ``night``, under its lease; return each stage's stats.

    The night's run row keeps its status; its stage stats become those of the latest pass.
    """
    run: Run = make_run(night)
    load.claim_lease(engine, night, owner=owner, ttl_s=settings.storage.lease_ttl_s)
    try:
        out = {}
        for name in reprocess_stages(stages):
            load.claim_lease(engine, night, owner=owner, ttl_s=settings.storage.lease_ttl_s)  # renew
            out[name] = REPROCESS_STAGES[name](run, engine=engine, settings=settings)
            log.info("%s: reprocessed %s: %d items", run.run_id, name, out[name].processed)
        return out
    finally:
        load.release_lease(engine, night, owner=owner)


def _task_engine(environ: Mapping[str, str]) -> tuple[Settings, Engine]:
    """Return the settings and the database of an Airflow task (the schema must already be at head)."""
    from etl.pipeline.common import open_engine
    from etl.pipeline.night import database_url_for_task

    settings = load_settings(environ)
    settings = replace(settings, storage=replace(settings.storage, database_url=database_url_for_task(environ)))
    return settings, open_engine(settings, upgrade=False)


def plan_reprocess_task(first: str, last: str, stages: Sequence[str] | str | None, *,
                        environ: Mapping[str, str]) -> list[str]:
    """Return the stored nights of the range as ISO dates (the DAG maps one task over each)."""
    try:
        reprocess_stages(stages)  # a bad stage name fails the plan, before any night is touched
        settings, engine = _task_engine(environ)
        try:
            return [n.isoformat() for n in nights_to_reprocess(engine, _day(first), _day(last))]
        finally:
            engine.dispose()
    except ConfigError as exc:
        from airflow.sdk.exceptions import AirflowFailException

        raise AirflowFailException(str(exc)) from exc


def reprocess_night_task(night: str, stages: Sequence[str] | str | None, *, environ: Mapping[str, str],
                         owner: str) -> dict[str, Any]:
    """Reprocess one night in an Airflow task; return its stats (for XCom).

    A night whose lease another run holds fails at once, without retry (AirflowFailException):
    the nightly run or a backfill is working on it, and a rerun of this task can follow.
    """
    try:
        settings, engine = _task_engine(environ)
        try:
            stats = reprocess_night(_day(night), reprocess_stages(stages), engine=engine, settings=settings,
                                    owner=owner)
        finally:
            engine.dispose()
    except (ConfigError, LeaseHeldError) as exc:
        from airflow.sdk.exceptions import AirflowFailException

        raise AirflowFailException(str(exc)) from exc
    return {name: s.as_dict() for name, s in stats.items()}


def _day(value: str | date) -> date:
    """Return a night given as a date or an ISO string (Airflow params are strings)."""
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value)[:10])
    except ValueError:
        raise ConfigError(f"reprocess: {value!r} is not a night (YYYY-MM-DD)") from None
