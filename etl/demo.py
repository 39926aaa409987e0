"""``make demo``: the nightly DAG once, through Airflow, on the bundled sample feeds.

Sets up a local Airflow (SQLite metadata under .newsetl/airflow), the embedded PostgreSQL
unless NEWSETL_DATABASE_URL is set, serves the sample feeds on 127.0.0.1, runs
``news_ingest`` with ``dag.test()`` and prints what landed with two example queries.
"""

from __future__ import annotations

import os
import subprocess
import sys
import warnings
from datetime import UTC, date, datetime, time
from pathlib import Path

import sqlalchemy as sa

from etl.settings import PROJECT_ROOT, load_settings

DAGS_DIR = PROJECT_ROOT / "dags"
DEMO_PORT = int(os.environ.get("NEWSETL_SAMPLE_PORT", "8765"))


def airflow_environment(state_dir: Path) -> dict[str, str]:
    """Return the environment for a local Airflow whose metadata lives under ``state_dir``."""
    home = state_dir / "airflow"
    home.mkdir(parents=True, exist_ok=True)
    return {
        "AIRFLOW_HOME": str(home),
        "AIRFLOW__CORE__DAGS_FOLDER": str(DAGS_DIR),
        "AIRFLOW__CORE__LOAD_EXAMPLES": "False",
        "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN": f"sqlite:///{home / 'airflow.db'}",
        "AIRFLOW__CORE__UNIT_TEST_MODE": "False",
        "AIRFLOW__LOGGING__LOGGING_LEVEL": "WARNING",
    }


def write_airflow_cfg(home: Path) -> Path:
    """Write the demo's ``airflow.cfg`` with the settings it really runs with; return its path.

    Airflow writes a default file on first start (examples on, a dags folder that does not
    exist) which the environment overrides, but a user reading the file is misled: say the truth.
    """
    cfg = home / "airflow.cfg"
    cfg.write_text(
        "# Written by `newsetl demo`; the same values are also set in its environment.\n"
        f"[core]\ndags_folder = {DAGS_DIR}\nload_examples = False\nunit_test_mode = False\n\n"
        f"[database]\nsql_alchemy_conn = sqlite:///{home / 'airflow.db'}\n\n"
        "[logging]\nlogging_level = WARNING\n", encoding="utf-8")
    return cfg


def prepare_airflow(state_dir: Path) -> None:
    """Point this process's Airflow at a local metadata DB under ``state_dir`` and migrate it.

    Must run before ``airflow`` is imported: Airflow reads its configuration at import.
    """
    env = airflow_environment(state_dir)
    os.environ.update(env)
    write_airflow_cfg(Path(env["AIRFLOW_HOME"]))
    marker = Path(env["AIRFLOW_HOME"]) / ".migrated-3.3.2"
    if not marker.exists():
        subprocess.run([sys.executable, "-m", "airflow", "db", "migrate"], check=True,
                       env={**os.environ, **env}, stdout=subprocess.DEVNULL)
        marker.touch()
    pool = Path(env["AIRFLOW_HOME"]) / ".pool-newsetl_fetch"
    if not pool.exists():  # the fetch tasks' pool (dag.test() runs without it; a scheduler would not)
        subprocess.run([sys.executable, "-m", "airflow", "pools", "set", "newsetl_fetch", "4",
                        "newsetl fetch tasks: host shards fetched at once"], check=True,
                       env={**os.environ, **env}, stdout=subprocess.DEVNULL)
        pool.touch()


def run_dag_once(logical_date: date, *, retries: int = 0) -> str:
    """Run ``news_ingest`` for one night with ``dag.test()``; return the DAG run's state.

    Retries are turned down (in this process only) so a broken stage fails the demo or the
    test at once instead of waiting out the production retry delay.
    """
    from airflow.dag_processing.dagbag import DagBag

    bag = DagBag(dag_folder=str(DAGS_DIR))
    if bag.import_errors:
        raise RuntimeError(f"DAG import errors: {bag.import_errors}")
    dag = bag.dags["news_ingest"]
    for task in dag.tasks:
        task.retries = retries
    dag_run = dag.test(logical_date=datetime.combine(logical_date, time(2), tzinfo=UTC))
    return str(dag_run.state)


EXAMPLES = {
    "Figures each party claimed about the same event, side by side (view claim_numbers_by_cluster)": """
        SELECT left(event_title, 40) AS event, speaker_name AS party, killed, destroyed,
               figures_as_claimed, outlets
          FROM claim_numbers_by_cluster
         ORDER BY cluster_id, killed DESC NULLS LAST, party LIMIT 6""",
    "Who was quoted most, per day (view speaker_claims_daily)": """
        SELECT day, speaker_name, speaker_label, stories, claims, direct_quotes, denials, outlets
          FROM speaker_claims_daily
         ORDER BY day DESC, rank_in_day, speaker_name LIMIT 8""",
}


def print_summary(engine: sa.Engine, run_id: str) -> None:
    """Print what the run left in the database, and two example analyst queries."""
    from etl.load_quality import read_only_query, run_totals

    n = run_totals(engine, run_id)
    print(f"\nrun {run_id}")
    print(f"  feeds fetched: {n.feeds_ok} ok, {n.feeds_failed} failed")
    print(f"  articles: {n.articles} ({n.articles - n.copies} new stories, {n.copies} duplicate copies, "
          f"{n.from_page} with text from their page)")
    print(f"  entities: {n.entities} ({n.mentions} mentions)")
    print(f"  claims: {n.claims} ({n.quantities} numbers)")
    for stage, url, reason in n.errors:
        print(f"  recorded error [{stage}] {url}: {reason}")
    for title, query in EXAMPLES.items():
        print(f"\n-- {title}\n{query.strip()};")
        columns, rows = read_only_query(engine, query)
        print("  " + " | ".join(columns))
        for row in rows:
            print("  " + " | ".join("" if v is None else str(v) for v in row))


def run_demo(logical_date: date) -> None:
    """Run the whole demo: services, one DAG run, summary."""
    from etl.db import make_engine, resolve_database_url, upgrade_schema
    from etl.pipeline import make_run
    from etl.sampleserver import SAMPLE_BASE, serve_samples

    settings = load_settings(os.environ)
    url = resolve_database_url(settings)
    engine = make_engine(url)
    upgrade_schema(engine)
    state = settings.storage.state_dir
    try:
        server = serve_samples(port=DEMO_PORT)
    except OSError as exc:  # port taken: serve elsewhere; the URLs stay SAMPLE_BASE's, so the same rows
        print(f"port {DEMO_PORT} unavailable ({exc.strerror}); serving the samples on a free port")
        server = serve_samples(port=0)
    with server:
        feeds = server.feeds_file(state / "demo" / "feeds.yaml", base=SAMPLE_BASE)
        os.environ.update({
            "NEWSETL_DATABASE_URL": url,
            "NEWSETL_FEEDS_FILE": str(feeds),
            "NEWSETL_ALLOW_PRIVATE_NETWORKS": "1",
            "NEWSETL_CONNECT_TO": server.connect_to,
            "NEWSETL_PER_HOST_DELAY_S": os.environ.get("NEWSETL_PER_HOST_DELAY_S", "0"),
        })
        print(f"sample feeds at {SAMPLE_BASE} (served by {server.base_url}); "
              f"news database {engine.url.render_as_string(hide_password=True)}")
        prepare_airflow(state)
        # Airflow's own import of starlette's test client warns on every run; not ours to fix.
        warnings.filterwarnings("ignore", message="Using `httpx` with `starlette.testclient`")
        state_name = run_dag_once(logical_date)
        print(f"DAG news_ingest finished: {state_name}")
    print_summary(engine, make_run(logical_date).run_id)
    if "success" not in state_name:
        raise SystemExit(1)
