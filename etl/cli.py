"""The ``newsetl`` command: a thin shell over etl.pipeline and the stage functions."""

from __future__ import annotations

import json
import logging
import os
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, NoReturn

import click

from etl.settings import data_dir as data_dir_of
from etl.settings import load_settings


def _settings():
    from etl.errors import ConfigError

    try:
        return load_settings(os.environ)
    except ConfigError as exc:  # the user's to fix: one line, no traceback
        raise click.ClickException(str(exc)) from None


@click.group()
@click.option("-v", "--verbose", is_flag=True, help="Log every stage's summary and warnings.")
def main(verbose: bool) -> None:
    """newsetl: nightly news ingestion (Arabic first, then English) into PostgreSQL.

    \b
    Example:
      NEWSETL_DATABASE_URL=postgresql://postgres@127.0.0.1/news newsetl db upgrade
      newsetl run --feeds feeds.yaml --date 2026-11-24
    """
    logging.basicConfig(level=logging.INFO if verbose else logging.WARNING,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")


@main.group()
def db() -> None:
    """Database schema commands."""


@db.command("upgrade")
def db_upgrade() -> None:
    """Create or upgrade the schema (Alembic migrations + analyst views).

    \b
    Example:
      NEWSETL_DATABASE_URL=postgresql://postgres@127.0.0.1/news newsetl db upgrade
    """
    from etl.db import make_engine, resolve_database_url, upgrade_schema

    engine = make_engine(resolve_database_url(_settings()))
    click.echo(f"schema at revision {upgrade_schema(engine)}")


@db.command("url")
def db_url() -> None:
    """Print the news database as a libpq URL, for psql or any PostgreSQL client.

    Starts the embedded PostgreSQL first when NEWSETL_DATABASE_URL is unset.

    \b
    Example:
      psql "$(newsetl db url)" -c 'SELECT count(*) FROM articles'
    """
    from etl.db import libpq_url, resolve_database_url

    click.echo(libpq_url(resolve_database_url(_settings())))


@db.command("psql", context_settings={"ignore_unknown_options": True})
@click.argument("psql_args", nargs=-1, type=click.UNPROCESSED)
def db_psql(psql_args: tuple[str, ...]) -> None:
    """Open psql on the news database; further arguments go to psql.

    \b
    Example:
      newsetl db psql -c 'SELECT * FROM feed_health'
    """
    from etl.db import libpq_url, psql_command, resolve_database_url

    url = libpq_url(resolve_database_url(_settings()))
    psql = psql_command()
    os.execv(psql, [psql, url, *psql_args])  # noqa: S606 - psql found on PATH, our own arguments


@db.command("stop")
def db_stop() -> None:
    """Stop the embedded PostgreSQL (it stays up between commands so Airflow's tasks share it).

    \b
    Example:
      newsetl db stop
    """
    from etl.db import stop_embedded_postgres

    state_dir = _settings().storage.state_dir
    stopped = stop_embedded_postgres(state_dir)
    click.echo(f"embedded PostgreSQL at {state_dir / 'pgdata'} " + ("stopped" if stopped else "was not running"))


@db.command("grant-analyst")
@click.argument("name")
def db_grant_analyst(name: str) -> None:
    """Create a read-only role NAME for analysts (reads tables and views, writes nothing).

    Give it a password afterwards (psql: \\password NAME) or trust it in pg_hba.conf.

    \b
    Example:
      newsetl db grant-analyst analyst && psql "$(newsetl db url)" -c '\\password analyst'
    """
    from etl.db import grant_analyst, make_engine, resolve_database_url, upgrade_schema

    engine = make_engine(resolve_database_url(_settings()))
    upgrade_schema(engine)
    grant_analyst(engine, name)
    click.echo(f"role {name}: read-only on {engine.url.database}")


class _PlainProgress:
    """A progress bar for logs: one line when done, no carriage returns or escape codes."""

    def __init__(self, desc: str, total: int) -> None:
        self.desc, self.total, self.n = desc, total, 0

    def update(self, n: int) -> None:
        self.n += n

    def close(self) -> None:
        done = 100 * self.n // self.total if self.total else 100
        click.echo(f"{self.desc}: {done}% ({self.n}/{self.total})", err=True)


def _progress_factory():
    from tqdm import tqdm

    bars: list[Any] = []
    interactive = sys.stderr.isatty()  # tqdm's redrawing is for terminals; logs get one line per bar

    def factory(desc: str, total: int):
        bar = (tqdm(total=total, desc=desc, unit="item", file=sys.stderr, leave=True) if interactive
               else _PlainProgress(desc, total))
        bars.append(bar)
        return lambda _item: bar.update(1)

    return factory, bars


@main.command()
@click.option("--feeds", "feeds_file", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Feeds file (YAML, or OPML from any feed reader) to register before fetching.")
@click.option("--date", "night", type=click.DateTime(formats=["%Y-%m-%d"]),
              help="Logical night (YYYY-MM-DD); defaults to today (UTC). Same night = same run.")
@click.option("--workers", type=click.IntRange(min=1), default=os.cpu_count() or 1, show_default="core count",
              help="Processes for the per-article NLP stages (entities, claims); 1 runs them in this process.")
def run(feeds_file: Path | None, night: Any, workers: int) -> None:
    """Run one nightly batch over the registered feeds (and those in --feeds).

    \b
    Example:
      newsetl run --feeds feeds.yaml --date 2026-11-24 --workers 2
    """
    from dataclasses import replace

    from etl.pipeline import run_night

    settings = _settings()
    settings = replace(settings, pipeline=replace(settings.pipeline, workers=workers))
    factory, bars = _progress_factory()
    try:
        stats = run_night(night.date() if night else None, settings=settings, feeds_file=feeds_file,
                          progress=factory)
    except Exception as exc:
        _fail_with_one_line(exc)
    finally:
        for bar in bars:
            bar.close()
    for name, s in stats.items():
        click.echo(f"{name:15} processed={s.processed:<5} written={s.written:<5} errors={s.errors:<3} "
                   f"{dict(s.discards) or ''}")


def _fail_with_one_line(exc: Exception) -> NoReturn:
    """Exit non-zero with one line saying what failed: no traceback (``-v`` logs it), no payloads.

    A configuration or feeds-file error is the user's to fix and says so; anything else is the
    failed run's class and first message line, as stored in ``pipeline_runs.error``.
    """
    from etl.db import describe_error
    from etl.errors import EtlError

    if isinstance(exc, EtlError):
        raise click.ClickException(str(exc)) from None
    logging.getLogger("etl.cli").info("run failed", exc_info=exc)
    raise click.ClickException(f"the run failed: {describe_error(exc)}") from None


def _map_json_lines(work: Any, *, failed: dict[str, Any]) -> None:
    """Apply ``work`` to each JSON line of stdin and print one JSON line per input line.

    A line that cannot be processed still gets its output line — the ``failed`` shape plus an
    "error" field saying why — and the reason goes to stderr too; the other lines go on.
    """
    errors = 0
    for number, line in enumerate(sys.stdin, start=1):
        if not line.strip():
            continue
        record_id = None
        try:
            obj = json.loads(line)
            record_id = obj.get("id") if isinstance(obj, dict) else None
            out = work(obj)
        except Exception as exc:  # noqa: BLE001 - reported on stderr and in the output line
            errors += 1
            reason = f"{type(exc).__name__}: {exc}"
            click.echo(f"line {number} (id={record_id!r}): {reason}", err=True)
            out = {"id": record_id, **failed, "error": reason}
        click.echo(json.dumps(out, ensure_ascii=False))
    if errors:
        click.echo(f"{errors} line(s) failed; see their \"error\" field", err=True)


@main.command()
@click.option("--from", "first", type=click.DateTime(formats=["%Y-%m-%d"]), required=True,
              help="First night to redo (YYYY-MM-DD).")
@click.option("--to", "last", type=click.DateTime(formats=["%Y-%m-%d"]), required=True,
              help="Last night to redo (YYYY-MM-DD), inclusive.")
@click.option("--stages", default="extract,find_entities,find_claims", show_default=True,
              help="Comma-separated stages to redo: extract, find_entities, find_claims.")
def reprocess(first: Any, last: Any, stages: str) -> None:
    """Redo extraction, entities and claims over stored nights after an upgrade (no fetching).

    Per night, under its lease: text re-extracted from the kept raw pages where the extractor
    changed, entities and claims found again where the model or rule version changed. What is
    already current is left alone, so a second run does nothing. The DAG news_reprocess does the
    same, one mapped task per night.

    \b
    Example:
      newsetl reprocess --from 2026-11-01 --to 2026-11-30 --stages find_entities,find_claims
    """
    from etl.pipeline import (
        local_owner,
        nights_to_reprocess,
        open_engine,
        reprocess_night,
        reprocess_stages,
    )

    settings = _settings()
    try:
        names = reprocess_stages(stages)
        engine = open_engine(settings)
        nights = nights_to_reprocess(engine, first.date(), last.date())
        for night in nights:
            out = reprocess_night(night, names, engine=engine, settings=settings, owner=local_owner())
            click.echo(f"{night} " + " ".join(f"{name}={s.processed}/{s.written}" for name, s in out.items()))
    except Exception as exc:
        _fail_with_one_line(exc)
    click.echo(f"reprocessed {len(nights)} night(s) (processed/written per stage)")


@main.command()
@click.option("--date", "night", type=click.DateTime(formats=["%Y-%m-%d"]),
              help="Logical night to record the work under; defaults to today (UTC).")
def reextract(night: Any) -> None:
    """Re-extract article text from the kept raw pages (no refetching) where the extractor changed.

    The re-extracted articles' entities and claims are found again in the same command: the
    nightly stages analyse only their own night's articles.

    \b
    Example:
      newsetl reextract --date 2026-11-24
    """
    from etl import load
    from etl.models import Run
    from etl.pipeline import code_version, open_engine, run_claims, run_entities, run_reextract

    settings = _settings()
    day = night.date() if night else datetime.now(UTC).date()
    # A run of its own: the night's news_ingest row keeps its status and stats.
    run = Run(run_id=f"reextract/{day.isoformat()}", logical_date=day)
    engine = open_engine(settings)
    load.start_run(engine, run, code_version=code_version())
    s = run_reextract(run, engine=engine, settings=settings)
    entities = run_entities(run, engine=engine, settings=settings)
    claims = run_claims(run, engine=engine, settings=settings)
    load.finish_run(engine, run)
    click.echo(f"re-extracted {s.processed} pages: {s.written} with text, {dict(s.discards) or 'no discards'}; "
               f"analysed again: {entities.processed} for entities, {claims.processed} for claims")


@main.command()
@click.option("--date", "night", type=click.DateTime(formats=["%Y-%m-%d"]), required=True,
              help="Night of the report (YYYY-MM-DD), as passed to newsetl run or the DAG's logical date.")
@click.option("--out", "out_file", type=click.Path(dir_okay=False, writable=True, path_type=Path),
              help="Write the page to this file instead of standard output.")
@click.option("--rebuild", is_flag=True, help="Render again from the rows and code of now, replacing the stored page.")
def report(night: Any, out_file: Path | None, rebuild: bool) -> None:
    """Print the morning report of a night: one self-contained HTML page (charts as inline SVG).

    The nightly DAG stores it (table reports) as its last task; this prints the stored page,
    rendering and storing it first when the night has none yet.

    \b
    Example:
      newsetl report --date 2026-11-24 --out report-2026-11-24.html && xdg-open report-2026-11-24.html
    """
    from etl.pipeline import open_engine, report_of

    html = report_of(night.date(), engine=open_engine(_settings()), rebuild=rebuild)
    if out_file:
        out_file.write_text(html, encoding="utf-8")
        click.echo(f"wrote {out_file} ({len(html.encode('utf-8'))} bytes)", err=True)
    else:
        click.echo(html, nl=False)


@main.command()
def analyze() -> None:
    """Find entities and claims in JSON Lines read from stdin.

    Input, one object per line: {"id": ..., "text": ..., "lang": "ar"|"en"|null}.
    Output, one object per line: {"id", "lang", "entities": [...], "claims": [...]}
    with character offsets into "text". Texts longer than NEWSETL_MAX_ANALYSIS_CHARS (200,000)
    are analysed on their first that many characters and get a "truncated" field.

    \b
    Example:
      echo '{"id": 1, "text": "قال بيسكوف إن موسكو تدعم الأسد", "lang": "ar"}' | newsetl analyze
    """
    from etl.analyze import analysis_to_json, analyze_text

    limit = _settings().pipeline.max_analysis_chars

    def one(obj: dict[str, Any]) -> dict[str, Any]:
        # Longer texts are analysed on their first NEWSETL_MAX_ANALYSIS_CHARS characters (offsets
        # stay valid) and say so: "truncated" gives how much was read of how much.
        text = obj["text"]
        out = analysis_to_json(obj.get("id"), analyze_text(text[:limit], obj.get("lang")))
        if len(text) > limit:
            out["truncated"] = {"analysed_chars": limit, "text_chars": len(text)}
        return out

    _map_json_lines(one, failed={"lang": None, "entities": [], "claims": []})


@main.command()
def extract() -> None:
    """Extract article text and metadata from JSON Lines {"id", "url", "html"} on stdin.

    Output, one object per line: {"id", "title", "text", "published", "language", "authors"}.

    \b
    Example:
      python -c 'import json; print(json.dumps({"id": 1, "url": "http://x/a", "html": open("page.html").read()}))' | newsetl extract
    """
    from etl.extract import extract_record

    _map_json_lines(extract_record, failed={"title": None, "text": "", "published": None, "language": None,
                                            "authors": []})


@main.command("eval-ner")
@click.argument("conll", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--lang", type=click.Choice(["ar", "en"]), help="Language of the file (else guessed from its text).")
def eval_ner(conll: Path, lang: str | None) -> None:
    """Score the shipped NER model on a CoNLL file (entity-level P/R/F1 per type).

    \b
    Example:
      newsetl eval-ner tests/fixtures/ner/own_en.conll --lang en
    """
    from etl.ner_train import evaluate_file, format_report

    click.echo(format_report(evaluate_file(conll, lang)))


@main.command("train-ner")
@click.option("--lang", type=click.Choice(["ar", "en"]), required=True, help="Which model to train.")
@click.option("--data", "data_dir", type=click.Path(file_okay=False, path_type=Path),
              help="The corpus folder (default: $NEWSETL_DATA_DIR, else ../shared/data beside the checkout).")
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path),
              default=Path(__file__).resolve().parent / "ner_models", show_default=True)
def train_ner(lang: str, data_dir: Path | None, out_dir: Path) -> None:
    """Train the NER model of one language from the shared data (deterministic).

    Prints scores of a model trained with the last 10 % of each file held out, then ships
    (into --out) a model with the same settings trained on all of it.

    \b
    Example:
      newsetl train-ner --lang ar
    """
    from etl.errors import ConfigError
    from etl.ner_train import train_and_ship

    try:
        corpus = data_dir or data_dir_of(os.environ)
    except ConfigError as exc:
        raise click.UsageError(str(exc)) from exc
    report = train_and_ship(lang, corpus, out_dir=out_dir, progress=lambda line: click.echo(line, err=True))
    click.echo(json.dumps(report, indent=2, ensure_ascii=False))


@main.command("serve-samples")
@click.option("--port", default=8765, show_default=True)
def serve_samples(port: int) -> None:
    """Serve the bundled sample feeds on 127.0.0.1 until interrupted.

    \b
    Example:
      newsetl serve-samples --port 8765
    """
    import time

    from etl.sampleserver import serve_samples as start

    server = start(port=port)
    feeds = server.feeds_file(Path(".newsetl/sample-feeds.yaml"))
    click.echo(f"serving {server.base_url}; feeds file: {feeds}")
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        server.stop()


@main.command()
@click.option("--date", "night", type=click.DateTime(formats=["%Y-%m-%d"]), help="Logical night (default today).")
def demo(night: Any) -> None:
    """Run the nightly DAG once through Airflow on the bundled sample feeds and print what landed.

    \b
    Example:
      newsetl demo
    """
    from etl.demo import run_demo

    run_demo(night.date() if night else datetime.now(UTC).date())


if __name__ == "__main__":
    main()
