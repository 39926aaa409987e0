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
from datetime import date
from typing import Any

from sqlalchemy.engine import Engine

from etl import load
from etl.errors import ConfigError
from etl.models import Run, StageStats
from etl.pipeline.common import make_run, open_engine
from etl.pipeline.night import failing_at_once, night_date, task_settings
from etl.pipeline.nlp import run_claims, run_entities
from etl.pipeline.pages import run_reextract
from etl.settings import Settings

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
    out = {}
    try:
        for name in reprocess_stages(stages):  # claimed before the first stage, renewed before each next
            load.claim_lease(engine, night, owner=owner, ttl_s=settings.storage.lease_ttl_s)
            out[name] = REPROCESS_STAGES[name](run, engine=engine, settings=settings)
            log.info("%s: reprocessed %s: %d items", run.run_id, name, out[name].processed)
        return out
    finally:
        load.release_lease(engine, night, owner=owner)


def plan_reprocess_task(first: str, last: str, stages: Sequence[str] | str | None, *,
                        environ: Mapping[str, str]) -> list[str]:
    """Return the stored nights of the range as ISO dates (the DAG maps one task over each)."""
    with failing_at_once():
        reprocess_stages(stages)  # a bad stage name fails the plan, before any night is touched
        engine = open_engine(task_settings(environ), upgrade=False)
        try:
            return [n.isoformat() for n in nights_to_reprocess(engine, night_date(first), night_date(last))]
        finally:
            engine.dispose()


def reprocess_night_task(night: str, stages: Sequence[str] | str | None, *, environ: Mapping[str, str],
                         owner: str) -> dict[str, Any]:
    """Reprocess one night in an Airflow task; return its stats (for XCom).

    A night whose lease another run holds fails at once, without retry (AirflowFailException):
    the nightly run or a backfill is working on it, and a rerun of this task can follow.
    """
    with failing_at_once():
        settings = task_settings(environ)
        engine = open_engine(settings, upgrade=False)
        try:
            stats = reprocess_night(night_date(night), reprocess_stages(stages), engine=engine,
                                    settings=settings, owner=owner)
        finally:
            engine.dispose()
    return {name: s.as_dict() for name, s in stats.items()}
