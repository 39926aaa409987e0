"""The nightly run, stage by stage. The DAG and the CLI both call these functions.

Every ``run_<stage>(run, *, engine, settings) -> StageStats`` reads its input from and writes
its output to PostgreSQL, so tasks pass only the run id and counts, and each stage can be
rerun for the same night without changing anything the second time:
- fetch_feeds inserts new stories only (url_key), records one fetch row per feed per night;
- fetch_pages works on articles whose page is pending or failed fewer than N times;
- dedup, find_entities and find_claims work on articles whose stored version differs from
  the running code's, and replace what they wrote for an article in one transaction;
- write_report replaces the night's row in ``reports``.
A bad feed, page or article is recorded in ``pipeline_errors`` and the stage goes on.
"""

from etl.load_quality import QUALITY_CHECKS
from etl.pipeline.common import Progress, code_version, make_run, open_engine
from etl.pipeline.feeds import MAX_URL_CHARS, run_fetch_feeds, run_start
from etl.pipeline.night import (
    STAGES,
    database_url_for_task,
    local_owner,
    night_of,
    plan_stage,
    record_task_failure,
    run_night,
    run_stage,
    total_stage,
)
from etl.pipeline.nlp import ANALYSIS_BATCH, run_claims, run_entities
from etl.pipeline.pages import PAGES_PER_CHUNK, run_fetch_pages, run_reextract
from etl.pipeline.partitions import MAPPED_STAGES
from etl.pipeline.quality import run_quality_checks
from etl.pipeline.report import build_report, report_of, run_write_report
from etl.pipeline.reprocess import (
    REPROCESS_STAGES,
    nights_to_reprocess,
    plan_reprocess_task,
    reprocess_night,
    reprocess_night_task,
    reprocess_stages,
)
from etl.pipeline.stories import run_clusters, run_dedup

__all__ = [
    "ANALYSIS_BATCH", "MAPPED_STAGES", "MAX_URL_CHARS", "PAGES_PER_CHUNK", "QUALITY_CHECKS", "REPROCESS_STAGES",
    "STAGES", "Progress", "build_report", "code_version", "database_url_for_task", "local_owner", "make_run",
    "night_of", "nights_to_reprocess", "open_engine", "plan_reprocess_task", "plan_stage", "record_task_failure",
    "report_of", "reprocess_night", "reprocess_night_task", "reprocess_stages", "run_claims", "run_clusters",
    "run_dedup", "run_entities", "run_fetch_feeds", "run_fetch_pages", "run_night", "run_quality_checks",
    "run_reextract", "run_stage", "run_start", "run_write_report", "total_stage",
]
