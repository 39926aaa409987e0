"""The newsetl command: output shapes of analyze/extract, and every command documented."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from etl.cli import main

SAMPLE = Path(__file__).resolve().parent.parent / "etl" / "samples" / "site"
ALEPPO_TEXT = ("وقال المتحدث باسم الرئاسة الروسية دميتري بيسكوف للصحفيين \"نواصل بالطبع دعم الرئيس بشار الأسد\"، "
               "مشيرا الى أن موسكو ستبني موقفها استنادا \"إلى ما هو ضروري من أجل استقرار الأوضاع\".")


def _run(args: list[str], stdin: str) -> list[dict]:
    out = subprocess.run([sys.executable, "-m", "etl.cli", *args], input=stdin, capture_output=True,
                         text=True, timeout=300, check=True).stdout
    return [json.loads(line) for line in out.splitlines() if line.strip()]


def _check_span(text: str, span: dict) -> None:
    assert set(span) == {"text", "start", "end"}
    assert text[span["start"]:span["end"]] == span["text"]


def test_analyze_output_shape_and_offsets():
    lines = [{"id": "a1", "text": ALEPPO_TEXT, "lang": "ar"},
             {"id": 2, "text": "Kremlin spokesman Dmitry Peskov told reporters: \"We continue to support Assad.\"",
              "lang": None}]
    out = _run(["analyze"], "\n".join(json.dumps(x, ensure_ascii=False) for x in lines) + "\n")
    assert [o["id"] for o in out] == ["a1", 2]
    assert [o["lang"] for o in out] == ["ar", "en"]
    for obj, line in zip(out, lines, strict=True):
        assert set(obj) == {"id", "lang", "entities", "claims"}
        for ent in obj["entities"]:
            assert set(ent) == {"start", "end", "text", "label"} and ent["label"] in {"PER", "ORG", "LOC", "MISC"}
            assert line["text"][ent["start"]:ent["end"]] == ent["text"]
        for claim in obj["claims"]:
            assert set(claim) == {"speaker", "cue", "content", "kind", "polarity", "quantities"}
            for key in ("cue", "content"):
                _check_span(line["text"], claim[key])
            if claim["speaker"] is not None:
                _check_span(line["text"], claim["speaker"])
            assert claim["kind"] in {"direct", "indirect"} and claim["polarity"] in {"assert", "deny"}
    arabic = out[0]
    assert any("بيسكوف" in (c["speaker"] or {}).get("text", "") for c in arabic["claims"])
    assert any(c["kind"] == "direct" and "نواصل" in c["content"]["text"] for c in arabic["claims"])


def test_extract_output_shape_on_windows_1256_page():
    raw = (SAMPLE / "ar2" / "syria-russia-strikes.html").read_bytes().decode("cp1256")
    out = _run(["extract"], json.dumps({"id": 7, "url": "http://example.com/a", "html": raw}, ensure_ascii=False) + "\n")
    assert len(out) == 1
    assert set(out[0]) == {"id", "title", "text", "published", "language", "authors"}
    assert out[0]["id"] == 7 and out[0]["language"] == "ar"
    assert "دميتري بيسكوف" in out[0]["text"] and "اقرأ أيضا" not in out[0]["text"]


def _commands(group, prefix=()):
    for name, cmd in group.commands.items():
        if hasattr(cmd, "commands"):
            yield from _commands(cmd, prefix + (name,))
        else:
            yield prefix + (name,), cmd


def test_every_command_has_help_with_an_example():
    runner = CliRunner()
    for path, _ in _commands(main):
        result = runner.invoke(main, [*path, "--help"])
        assert result.exit_code == 0, path
        assert "Example" in result.output, f"newsetl {' '.join(path)} has no example in its help"


def test_run_registers_feeds_shows_progress_and_summary(engine, database_url, sample_server, tmp_path):
    import os

    import sqlalchemy as sa

    feeds = sample_server.feeds_file(tmp_path / "feeds.yaml")
    env = {**os.environ, "NEWSETL_DATABASE_URL": database_url, "NEWSETL_ALLOW_PRIVATE_NETWORKS": "1",
           "NEWSETL_PER_HOST_DELAY_S": "0"}
    result = subprocess.run([sys.executable, "-m", "etl.cli", "run", "--feeds", str(feeds), "--date", "2026-11-24"],
                            capture_output=True, text=True, timeout=300, env=env, check=True)
    assert "fetch_feeds" in result.stdout and "find_claims" in result.stdout
    assert "feeds: 100%" in result.stderr and "pages: 100%" in result.stderr  # progress bars
    assert "\r" not in result.stderr and "\x1b" not in result.stderr  # not a terminal: plain lines
    with engine.connect() as conn:
        assert conn.execute(sa.text("SELECT count(*) FROM articles")).scalar_one() == 8
        assert conn.execute(sa.text("SELECT run_id FROM pipeline_runs")).scalars().all() == ["news_ingest/2026-11-24"]


def test_a_bad_line_gets_an_error_line_and_the_rest_goes_on():
    result = subprocess.run([sys.executable, "-m", "etl.cli", "analyze"], capture_output=True, text=True,
                            timeout=300, input='{"id": 1}\nnot json\n{"id": 3, "text": "Peskov said Russia supports Assad.", "lang": "en"}\n')
    assert result.returncode == 0
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [line["id"] for line in lines] == [1, None, 3]
    assert lines[0]["error"].startswith("KeyError") and lines[1]["error"].startswith("JSONDecodeError")
    assert "error" not in lines[2] and lines[2]["claims"]
    assert "line 2" in result.stderr and "2 line(s) failed" in result.stderr


def test_run_accepts_an_opml_export_from_a_feed_reader(engine, database_url, sample_server, tmp_path):
    import os

    import sqlalchemy as sa

    base = sample_server.base_url
    opml = tmp_path / "subscriptions.opml"
    opml.write_text(
        '<?xml version="1.0"?><opml version="2.0"><head><title>subs</title></head><body>'
        f'<outline text="وكالة الشام للأنباء" type="rss" xmlUrl="{base}/ar/feed.xml" htmlUrl="{base}/ar/"/>'
        f'<outline text="World Desk" type="rss" xmlUrl="{base}/en/feed.xml"/></body></opml>', encoding="utf-8")
    env = {**os.environ, "NEWSETL_DATABASE_URL": database_url, "NEWSETL_ALLOW_PRIVATE_NETWORKS": "1",
           "NEWSETL_PER_HOST_DELAY_S": "0"}
    subprocess.run([sys.executable, "-m", "etl.cli", "run", "--feeds", str(opml), "--date", "2026-11-24"],
                   capture_output=True, text=True, timeout=300, env=env, check=True)
    with engine.connect() as conn:
        assert set(conn.execute(sa.text("SELECT name FROM sources")).scalars()) == {"وكالة الشام للأنباء", "World Desk"}
        assert conn.execute(sa.text("SELECT count(*) FROM articles")).scalar_one() == 6


# --- the corpus folder: training, evaluation and benchmarks only ---------------------------

ROOT = Path(__file__).resolve().parent.parent


def test_data_dir_comes_from_the_variable_and_a_missing_one_is_named(tmp_path):
    from etl.errors import ConfigError
    from etl.settings import data_dir, data_file

    assert data_dir({"NEWSETL_DATA_DIR": str(tmp_path)}) == tmp_path
    missing = tmp_path / "nowhere"
    with pytest.raises(ConfigError, match="NEWSETL_DATA_DIR"):
        data_dir({"NEWSETL_DATA_DIR": str(missing)})
    with pytest.raises(ConfigError, match="incomplete"):
        data_file({"NEWSETL_DATA_DIR": str(tmp_path)}, "samples/pages")


@pytest.mark.parametrize("command", [
    [sys.executable, "-m", "etl.cli", "train-ner", "--lang", "ar", "--out", "{tmp}/models"],
    [sys.executable, "bench/eval_extract.py"],
    [sys.executable, "bench/bench_ner.py"],
])
def test_scripts_that_read_corpora_stop_with_one_line_naming_the_variable(command, tmp_path):
    env = {**os.environ, "NEWSETL_DATA_DIR": str(tmp_path / "nowhere")}
    done = subprocess.run([part.format(tmp=tmp_path) for part in command], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode != 0
    assert "NEWSETL_DATA_DIR" in done.stderr and "Traceback" not in done.stderr
    assert not (tmp_path / "models").exists()
