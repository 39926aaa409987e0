"""Tests for etl.feedsfile: YAML and OPML feeds files, every refusal one line naming file and line."""

from __future__ import annotations

from pathlib import Path

import pytest

from etl.errors import ConfigError
from etl.feedsfile import read_feeds_file, read_opml
from etl.models import Source

FEEDS = Path(__file__).parent / "fixtures" / "feeds"


def test_yaml_feeds_file_as_a_list():
    sources = read_feeds_file(FEEDS / "feeds.yaml")
    assert sources == [
        Source(name="SANA", homepage="https://sana.example/", language="ar", country="SY",
               feeds=("https://sana.example/ar/politics/feed", "https://sana.example/ar/local/feed")),
        Source(name="BBC World", feeds=("https://bbc.example/world/rss.xml",)),
    ]


def test_yaml_feeds_file_as_a_sources_mapping(tmp_path):
    path = tmp_path / "feeds.yml"
    path.write_text("sources:\n  - name: One\n    feeds: https://one.example/rss\n", encoding="utf-8")
    assert read_feeds_file(path) == [Source(name="One", feeds=("https://one.example/rss",))]


_A = "- name: A\n  feeds: [https://a.example/rss]\n"


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ("", 1, "lists no feeds; refusing it"),
        ("[]\n", 1, "lists no feeds; refusing it"),
        ("# the list\n\nsources: []\n", 3, "lists no feeds; refusing it"),
        ("sources:\n" + "".join("  " + ln + "\n" for ln in _A.splitlines()) + "soruces: []\n", 4,
         "unknown top-level key 'soruces'; only 'sources' is allowed"),
        (_A + "- name: B\n  feeds: []\n", 4, "source #2 (B): 'feeds' must be a non-empty list of URLs"),
        (_A + "- name: B\n", 3, "source #2 (B): 'feeds' must be a non-empty list of URLs"),
        ("- feeds: [https://a.example/rss]\n", 1, "source #1: 'name' is missing or empty"),
        ("- name: A\n  feeds:\n    - https://a.example/rss\n    - ftp://a.example/rss\n", 4,
         "source #1 (A): feed 'ftp://a.example/rss' is not an absolute http(s) URL"),
        ("- name: A\n  homepage: https://a.example/\n  feed: [https://a.example/rss]\n", 3,
         "source #1 (A): unknown keys ['feed']"),
        (_A + "- name: B\n  feeds: [https://a.example/rss]\n", 3,
         "feed https://a.example/rss is listed under both 'A' and 'B'"),
        (_A + "- name: A\n  feeds: [https://b.example/rss]\n", 3, "source 'A' is listed twice"),
        ("name: A\n", 1, "unknown top-level key 'name'"),
        ("- just a string\n", 1, "source #1: expected a mapping with name and feeds"),
        (_A + "- [oops\n", 4, "not valid YAML"),
        ("- name: A\n  language: 7\n  feeds: [https://a.example/rss]\n", 2, "source #1 (A): 'language' must be text"),
    ],
)
def test_feeds_file_errors_are_one_line_naming_file_and_line(tmp_path, text, line, message):
    path = tmp_path / "feeds.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        read_feeds_file(path)
    reason = str(caught.value)
    assert reason.startswith(f"{path}:{line}: ") and message in reason, reason
    assert "\n" not in reason


def test_a_feeds_file_that_is_not_utf8_is_refused_at_its_line(tmp_path):
    path = tmp_path / "feeds.yaml"
    path.write_bytes(_A.encode() + "- name: حلب\n".encode("cp1256"))
    with pytest.raises(ConfigError, match=rf"^{path}:3: not UTF-8 text$"):
        read_feeds_file(path)


def test_a_missing_feeds_file_is_one_line(tmp_path):
    with pytest.raises(ConfigError, match=r"^cannot read feeds file .*missing.yaml: No such file"):
        read_feeds_file(tmp_path / "missing.yaml")


def test_opml_groups_feeds_under_their_publisher():
    sources = read_feeds_file(FEEDS / "sources.opml")
    assert sources == [
        Source(name="SANA", homepage="https://sana.example/", language="ar",
               feeds=("https://sana.example/ar/politics/feed", "https://sana.example/ar/local/feed")),
        # "Arabic" is a folder (no htmlUrl): its feed is a source of its own
        Source(name="Al Example", homepage="https://al.example/", feeds=("https://al.example/rss.xml",)),
        Source(name="BBC World", homepage="https://bbc.example/news", feeds=("https://bbc.example/world/rss.xml",)),
    ]


@pytest.mark.parametrize(
    ("raw", "line", "message"),
    [
        (b"<opml>\n<body>\n<outline", 3, "OPML is not well-formed XML"),
        (b"\n<rss/>", 2, "not an OPML document"),
        (b'<?xml version="1.0"?>\n<opml version="2.0">\n<head/>\n<body>\n<outline text="x"/>\n</body></opml>', 4,
         "lists no feeds; refusing it (nothing was changed, no feed deactivated) (no outline has an xmlUrl)"),
        (b'<opml><body>\n<outline text="A" xmlUrl="https://a.example/rss"/>\n'
         b'<outline text="X" xmlUrl="file:///etc/passwd"/></body></opml>', 3, "'X': 'file:///etc/passwd' is not"),
    ],
)
def test_opml_errors_name_the_line(raw, line, message):
    with pytest.raises(ConfigError) as caught:
        read_opml(raw, where="f.opml")
    assert str(caught.value).startswith(f"f.opml:{line}: ") and message in str(caught.value), str(caught.value)


@pytest.mark.parametrize(("name", "text", "line"), [
    ("empty.yaml", "[]\n", 1),
    ("sources.yaml", "# nothing yet\nsources: []\n", 2),
    ("typo.yaml", "sources:\n  - name: a\n    feeds: [http://example.com/f.xml]\nsoruces: []\n", 4),
    ("keys.yaml", "- name: a\n  feeds: [http://example.com/f.xml]\n  langauge: ar\n", 3),
    ("empty.opml", '<?xml version="1.0"?>\n<opml version="2.0">\n<head/>\n<body>\n<outline text="x"/>\n</body>\n</opml>\n',
     4),
])
def test_newsetl_run_refuses_a_bad_feeds_file_in_one_line_and_deactivates_nothing(engine, database_url, tmp_path,
                                                                                  name, text, line):
    import os
    import subprocess
    import sys
    from datetime import date

    import sqlalchemy as sa

    from etl import load
    from etl.pipeline import make_run

    run = make_run(date(2026, 11, 24))
    load.start_run(engine, run, code_version="test")
    load.register_sources(engine, [Source(name="kept", feeds=("http://example.com/kept.xml",))])
    load.finish_run(engine, run)
    bad = tmp_path / name
    bad.write_text(text, encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "etl.cli", "run", "--feeds", str(bad), "--date", "2026-11-24"],
                          capture_output=True, text=True, timeout=300,
                          env={**os.environ, "NEWSETL_DATABASE_URL": database_url})
    lines = done.stderr.strip().splitlines()
    assert done.returncode != 0 and "Traceback" not in done.stderr
    assert len(lines) == 1 and f"{bad}:{line}: " in lines[0], done.stderr
    with engine.connect() as conn:
        assert conn.execute(sa.text("SELECT status FROM pipeline_runs")).scalar_one() == "success"
        assert conn.execute(sa.text("SELECT active FROM feeds")).scalar_one() is True
        assert conn.execute(sa.text("SELECT count(*) FROM feed_fetches")).scalar_one() == 0
