"""The morning report on the demo night: what it shows, that headless Chromium draws its charts,
that it is self-contained, and that it is stored once per night and printed again by the CLI.

Expected content is read off the samples (etl/samples/site): three outlets deliver 4, 2 and 2
articles; the army command claims "more than 400" killed and 7 depots destroyed in the Aleppo
story; the broken feed is an HTML page, not a feed.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime

import pytest
import sqlalchemy as sa
from chromium import chart_geometry, png_colours, screenshot
from click.testing import CliRunner
from test_queries import FURAT, NIGHT, SHAM, load_demo_night, truncate

from etl.cli import main
from etl.db import make_engine
from etl.models import NightSummary, ReportClaim, ReportData, SourceNight
from etl.pipeline import make_run, run_write_report
from etl.report import BAR_COLOUR, render_report


@pytest.fixture(scope="module")
def demo_engine(database_url, tmp_path_factory):
    engine = make_engine(database_url)
    truncate(engine)
    load_demo_night(engine, tmp_path_factory.mktemp("demo"))  # run_night ends with write_report
    yield engine
    engine.dispose()


def stored(engine: sa.Engine) -> list[sa.Row]:
    with engine.connect() as conn:
        return conn.execute(sa.text("SELECT night, run_id, html, created_at FROM reports ORDER BY night")).all()


def test_the_night_ends_with_its_report_stored(demo_engine):
    [row] = stored(demo_engine)
    assert (row.night, row.run_id) == (NIGHT, "news_ingest/2026-11-24")
    html = row.html
    for expected in (SHAM, FURAT, "World Desk",           # articles per source
                     "بشار الأسد",                         # top entity: in 3 stories
                     "القيادة العامة للجيش السوري", "400",  # figures side by side
                     "مصدر عسكري",                          # a speaker of the new claims
                     "http://samples.newsetl.test/broken/feed.xml", "not-a-feed"):  # failing feed
        assert expected in html, expected
    assert re.search(r"<li><b>8</b>articles</li><li><b>7</b>stories</li>", html)


def test_the_report_is_self_contained(demo_engine):
    html = stored(demo_engine)[0].html
    # Nothing is fetched when the page opens: no script, no linked file, no CSS import or url().
    assert not re.search(r"<script|<link|<img|<iframe|\bsrc=|\bhref=|@import|url\(", html, re.I)
    assert html.count("<svg") >= 3 and 'charset="utf-8"' in html


def test_chromium_lays_out_every_chart_with_bars(demo_engine, tmp_path):
    charts = {c["label"]: c for c in chart_geometry(stored(demo_engine)[0].html, tmp_path)}
    for chart in charts.values():
        assert chart["width"] > 100 and chart["height"] > 20, chart
        assert chart["bars"] and all(b["w"] > 0 and b["h"] > 0 for b in chart["bars"]), chart
        assert chart["texts"] >= len(chart["bars"]), chart  # every bar's label drew
    nights = {b["tip"].split(",")[0]: b["h"] for b in charts["Articles per source per night"]["bars"]}
    assert set(nights) == {SHAM, FURAT, "World Desk"}
    assert nights[SHAM] == pytest.approx(2 * nights[FURAT])  # 4 articles against 2
    assert len(charts["Top entities"]["bars"]) >= 5
    assert "Figures claimed per party" in charts


def test_the_screenshot_shows_the_bars(demo_engine, tmp_path):
    page = tmp_path / "report.html"
    page.write_text(stored(demo_engine)[0].html, encoding="utf-8")
    colours = png_colours(screenshot(page, tmp_path / "report.png"))
    bar = tuple(int(BAR_COLOUR[i:i + 2], 16) for i in (1, 3, 5))
    total = sum(colours.values())
    assert total == 1000 * 1000
    assert colours[bar] > 20_000, "the bars are not on the screenshot"
    assert colours[(255, 255, 255)] < 0.97 * total, "the screenshot is (almost) blank"


def test_rerunning_the_night_replaces_its_report(demo_engine, settings):
    [before] = stored(demo_engine)
    run_write_report(make_run(NIGHT), engine=demo_engine, settings=settings)
    [after] = stored(demo_engine)
    assert after.night == NIGHT and after.created_at > before.created_at


def test_newsetl_report_prints_the_stored_page_again(demo_engine, database_url, tmp_path):
    runner = CliRunner()
    env = {"NEWSETL_DATABASE_URL": database_url}
    [row] = stored(demo_engine)
    printed = runner.invoke(main, ["report", "--date", "2026-11-24"], env=env)
    assert printed.exit_code == 0, printed.output
    assert printed.stdout == row.html
    out = tmp_path / "report.html"
    written = runner.invoke(main, ["report", "--date", "2026-11-24", "--out", str(out)], env=env)
    assert written.exit_code == 0 and out.read_text(encoding="utf-8") == row.html
    assert stored(demo_engine) == [row]  # printing is reading: nothing rewritten


def test_a_night_without_a_run_gets_an_empty_report_once(demo_engine, database_url):
    runner = CliRunner()
    env = {"NEWSETL_DATABASE_URL": database_url}
    first = runner.invoke(main, ["report", "--date", "2026-01-01"], env=env)
    assert first.exit_code == 0, first.output
    assert "no run recorded" in first.stdout and "No articles were loaded" in first.stdout
    assert runner.invoke(main, ["report", "--date", "2026-01-01"], env=env).stdout == first.stdout
    rows = [r for r in stored(demo_engine) if r.night == date(2026, 1, 1)]
    assert len(rows) == 1 and rows[0].run_id is None
    with demo_engine.begin() as conn:
        conn.execute(sa.text("DELETE FROM reports WHERE night = '2026-01-01'"))


def _data(**changes) -> ReportData:
    summary = NightSummary(run_status="success", code_version="t", articles=1, stories=1, claims=1,
                           feeds_fetched=1, feeds_failed=0)
    base = {"night": date(2026, 11, 24), "run_id": "news_ingest/2026-11-24", "summary": summary,
            "per_source": (), "entities": (), "claims": (), "claims_total": 0, "figures": (), "failing_feeds": ()}
    return ReportData(**{**base, **changes})


def test_published_text_cannot_inject_markup():
    evil = "<script>alert(1)</script>"
    data = _data(per_source=(SourceNight(night=date(2026, 11, 24), source=evil, articles=1, stories=1),),
                 claims=(ReportClaim(speaker=evil, speaker_label="PER", content='<img src="x">', cue="said",
                                     kind="direct", polarity="deny", numbers=None, outlets=evil,
                                     language="en"),), claims_total=1)
    html = render_report(data, generated_at=datetime(2026, 11, 25, tzinfo=UTC))
    assert "<script" not in html and "<img" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html and "denies: &lt;img" in html


def test_empty_sections_say_so_instead_of_drawing_empty_charts():
    html = render_report(_data(), generated_at=datetime(2026, 11, 25, tzinfo=UTC))
    assert "<svg" not in html
    for text in ("No articles were loaded", "No entities", "No figures", "No claims", "Every feed answered"):
        assert text in html
