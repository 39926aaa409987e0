"""etl.fetch against a real HTTP server on 127.0.0.1: politeness, bad servers, SSRF guard."""

from __future__ import annotations

import asyncio
import dataclasses
import gzip
import ipaddress
import socket
import threading
import time
import zlib
from pathlib import Path

import pytest
from httpserver import Exchange, LocalServer, gzipped, make_certificates, reset_after, trickle

from etl.errors import ConfigError, NotAFeedError
from etl.fetch import FetchRequest, FetchResult, fetch_all, parse_retry_after
from etl.fetch import crawler as fetch_module
from etl.fetch.addresses import ALLOW_HINT, is_blocked
from etl.parse import parse_feed
from etl.settings import FetchSettings, load_settings

FEEDS = Path(__file__).parent / "fixtures" / "feeds"
RSS = (FEEDS / "basic_rss.xml").read_bytes()
FAST = FetchSettings(
    allow_private_networks=True,
    timeout_s=1.0,
    connect_timeout_s=1.0,
    max_retries=1,
    backoff_base_s=0.01,
    per_host_delay_s=0.0,
    max_retry_after_s=2.0,
    max_bytes=256 * 1024,
)


@pytest.fixture
def server():
    with LocalServer() as s:
        yield s


def fetch_one(url: str, kind: str = "feed", settings: FetchSettings = FAST, **kw) -> FetchResult:
    [result] = fetch_all([FetchRequest(url, kind, **kw)], settings=settings)  # type: ignore[arg-type]
    return result


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# --- the happy path and conditional GET -------------------------------------------------


def test_ok_feed_returns_body_validators_and_sends_user_agent(server):
    server.add(
        "/feed.xml",
        RSS,
        content_type="application/rss+xml; charset=utf-8",
        headers={"ETag": '"v1"', "Last-Modified": "Tue, 17 Feb 2026 10:00:00 GMT"},
    )
    result = fetch_one(server.url("/feed.xml"), key=42)
    assert (result.outcome, result.status, result.error) == ("ok", 200, None)
    assert result.body == RSS and result.bytes == len(RSS)
    assert result.etag == '"v1"' and result.last_modified == "Tue, 17 Feb 2026 10:00:00 GMT"
    assert result.content_type == "application/rss+xml; charset=utf-8"
    assert result.request.key == 42 and result.attempts == 1
    assert result.final_url == server.url("/feed.xml") and result.permanent_redirect is None
    [seen] = server.requests
    assert seen.headers["user-agent"] == FAST.user_agent
    assert "rss+xml" in seen.headers["accept"]


def test_conditional_get_sends_validators_and_304_is_not_modified(server):
    def handler(ex: Exchange) -> None:
        if ex.request.headers.get("if-none-match") == '"v1"':
            ex.respond(304, headers={"ETag": '"v1"'})
        else:
            ex.respond(200, RSS, {"ETag": '"v1"'})

    server.add("/feed.xml", handler=handler)
    since = "Tue, 17 Feb 2026 10:00:00 GMT"
    result = fetch_one(server.url("/feed.xml"), etag='"v1"', last_modified=since)
    assert (result.outcome, result.status, result.body) == ("not-modified", 304, b"")
    assert result.etag == '"v1"' and result.last_modified == since  # kept from the request
    assert server.requests[0].headers["if-modified-since"] == since


def test_results_keep_request_order_and_progress_sees_each(server):
    server.add("/slow", RSS, delay_s=0.2)
    server.add("/fast", RSS)
    requests = [FetchRequest(server.url(p), "feed", key=p) for p in ("/slow", "/fast", "/none")]
    seen: list[object] = []
    results = fetch_all(
        requests,
        settings=dataclasses.replace(FAST, per_host_concurrency=4),
        progress=lambda r: seen.append(r.request.key),
    )
    assert [r.request.key for r in results] == ["/slow", "/fast", "/none"]
    assert sorted(seen) == sorted(["/slow", "/fast", "/none"]) and seen[-1] == "/slow"
    assert results[2].error == "HTTP 404 Not Found" and results[2].error_kind == "http-404"


def test_fetch_all_works_from_a_thread_and_inside_a_running_loop(server):
    server.add("/feed.xml", RSS)
    request = [FetchRequest(server.url("/feed.xml"), "feed")]
    box: list[list[FetchResult]] = []
    worker = threading.Thread(target=lambda: box.append(fetch_all(request, settings=FAST)))
    worker.start()
    worker.join(10)
    assert box[0][0].outcome == "ok"

    async def inside_a_loop() -> list[FetchResult]:
        return fetch_all(request, settings=FAST)

    assert asyncio.run(inside_a_loop())[0].outcome == "ok"
    assert fetch_all([], settings=FAST) == []


# --- bad servers --------------------------------------------------------------------------


def test_connection_refused_is_retried_then_reported():
    port = free_port()
    result = fetch_one(f"http://127.0.0.1:{port}/feed.xml")
    assert result.outcome == "error" and result.error_kind == "refused"
    assert result.error == f"connection refused by 127.0.0.1:{port}"
    assert result.attempts == FAST.max_retries + 1 and result.status is None


def test_reset_mid_body(server):
    server.add("/feed.xml", handler=reset_after(RSS[:100], declared_length=len(RSS)))
    result = fetch_one(server.url("/feed.xml"))
    assert result.error_kind == "reset", result.error
    assert result.error.startswith(f"connection reset by 127.0.0.1:{server.port}")
    assert result.body == b""


def test_trickling_server_hits_the_total_deadline(server):
    server.add("/feed.xml", handler=trickle(b"<", every_s=0.05, head=b"<rss>"))
    settings = dataclasses.replace(FAST, timeout_s=0.5, max_retries=0)
    started = time.monotonic()
    result = fetch_one(server.url("/feed.xml"), settings=settings)
    assert time.monotonic() - started < 2
    assert (result.error_kind, result.error) == (
        "timeout",
        "timed out after 0.5 s (total deadline)",
    )
    assert result.bytes > 0  # it was sending, just too slowly


def test_declared_too_large_is_refused_before_reading(server):
    server.add("/big.xml", b"x" * (FAST.max_bytes + 1))
    result = fetch_one(server.url("/big.xml"))
    assert result.error_kind == "too-large"
    assert result.error == "body exceeded 256 KB cap (Content-Length 256.0 KB)"


def test_undeclared_too_large_stops_at_the_cap(server):
    def endless(ex: Exchange) -> None:
        ex.send_head(200, {"Content-Type": "application/rss+xml"})  # no length: read to close
        while not ex.stopping.is_set():
            ex.write(b"x" * 65536)

    server.add("/big.xml", handler=endless)
    result = fetch_one(server.url("/big.xml"))
    assert (result.error_kind, result.error) == ("too-large", "body exceeded 256 KB cap")
    assert result.final_url == server.url("/big.xml")
    assert result.bytes < FAST.max_bytes + 2 * 65536 + 16384


def test_gzip_body_is_decompressed(server):
    server.add("/feed.xml", gzipped(RSS), headers={"Content-Encoding": "gzip"})
    result = fetch_one(server.url("/feed.xml"))
    assert result.outcome == "ok" and result.body == RSS and result.bytes < len(RSS)
    assert "gzip" in server.requests[0].headers["accept-encoding"]


def test_raw_deflate_body_is_decompressed(server):
    squeezer = zlib.compressobj(wbits=-zlib.MAX_WBITS)  # what many "deflate" servers send
    server.add(
        "/feed.xml",
        squeezer.compress(RSS) + squeezer.flush(),
        headers={"Content-Encoding": "deflate"},
    )
    assert fetch_one(server.url("/feed.xml")).body == RSS


def test_gzip_bomb_is_stopped_at_the_decompressed_cap(server):
    bomb = gzip.compress(b"\0" * (64 * 1024 * 1024), compresslevel=9)  # 64 MB -> ~64 KB
    server.add("/feed.xml", bomb, headers={"Content-Encoding": "gzip"})
    started = time.monotonic()
    result = fetch_one(server.url("/feed.xml"))
    assert time.monotonic() - started < 2
    assert result.error_kind == "gzip-bomb", result.error
    assert "exceeded 256 KB cap after decompressing only" in result.error


def test_corrupt_gzip_is_a_clear_error(server):
    server.add("/feed.xml", b"this is not gzip", headers={"Content-Encoding": "gzip"})
    result = fetch_one(server.url("/feed.xml"))
    assert result.error_kind == "bad-encoding" and result.error.startswith("corrupt gzip body")


def test_redirect_loop(server):
    server.redirect("/a", "/b")
    server.redirect("/b", "/a")
    result = fetch_one(server.url("/a"))
    assert result.error_kind == "redirect-loop"
    assert result.error == f"redirect loop after 2 hops (back to {server.url('/a')})"


def test_too_many_redirects(server):
    for i in range(10):
        server.redirect(f"/r{i}", f"/r{i + 1}")
    result = fetch_one(server.url("/r0"))
    assert result.error_kind == "redirect-loop"
    assert result.error.startswith("redirect loop after 5 hops")
    assert len(server.requests) == 6


def test_permanent_redirect_reports_the_new_url(server):
    server.redirect("/old.xml", "/new.xml", status=301)
    server.redirect("/new.xml", "/current.xml", status=308)
    server.add("/current.xml", RSS)
    result = fetch_one(server.url("/old.xml"))
    assert result.outcome == "ok" and result.final_url == server.url("/current.xml")
    assert result.permanent_redirect == server.url("/current.xml")


def test_temporary_hop_stops_the_permanent_redirect_chain(server):
    server.redirect("/old.xml", "/new.xml", status=301)
    server.redirect("/new.xml", "/today.xml", status=302)
    server.add("/today.xml", RSS)
    result = fetch_one(server.url("/old.xml"))
    assert result.permanent_redirect == server.url("/new.xml")
    server.redirect("/tmp.xml", "/today.xml", status=307)
    assert fetch_one(server.url("/tmp.xml")).permanent_redirect is None


def test_redirect_to_another_scheme_is_refused(server):
    server.redirect("/feed.xml", "file:///etc/passwd")
    result = fetch_one(server.url("/feed.xml"))
    assert result.error_kind == "bad-url"
    assert result.error == "unsupported scheme 'file': only http and https"


def test_gone_and_not_found(server):
    server.add("/gone.xml", status=410)
    gone = fetch_one(server.url("/gone.xml"))
    assert gone.gone and gone.error == "HTTP 410 Gone" and gone.attempts == 1
    missing = fetch_one(server.url("/missing.xml"))
    assert not missing.gone and missing.error_kind == "http-404" and missing.attempts == 1


def test_5xx_retries_with_backoff_then_gives_up(server):
    server.add("/feed.xml", status=502)
    result = fetch_one(server.url("/feed.xml"), settings=dataclasses.replace(FAST, max_retries=2))
    assert (result.error_kind, result.error) == ("http-5xx", "HTTP 502 Bad Gateway")
    assert result.attempts == 3 and len(server.requests) == 3 and result.status == 502


def test_503_retry_after_is_honoured(server):
    calls = []

    def flaky(ex: Exchange) -> None:
        calls.append(time.monotonic())
        if len(calls) == 1:
            ex.respond(503, b"busy", {"Retry-After": "1"})
        else:
            ex.respond(200, RSS)

    server.add("/feed.xml", handler=flaky)
    result = fetch_one(server.url("/feed.xml"))
    assert result.outcome == "ok" and result.attempts == 2
    assert calls[1] - calls[0] >= 0.95


def test_429_retry_after_beyond_the_cap_is_recorded_not_waited(server):
    server.add("/feed.xml", status=429, headers={"Retry-After": "3600"})
    started = time.monotonic()
    result = fetch_one(server.url("/feed.xml"))
    assert time.monotonic() - started < 1
    assert result.error_kind == "http-429" and result.retry_after_s == 3600 and result.attempts == 1
    assert result.error == "HTTP 429 Too Many Requests (Retry-After 3600 s is over the 2 s cap)"


def test_parse_retry_after_accepts_seconds_and_http_dates():
    from datetime import UTC, datetime

    now = datetime(2026, 2, 17, 10, 0, 0, tzinfo=UTC)
    assert parse_retry_after("120") == 120.0
    assert parse_retry_after("Tue, 17 Feb 2026 10:00:30 GMT", now=now) == 30.0
    assert parse_retry_after("Tue, 17 Feb 2026 09:00:00 GMT", now=now) == 0.0
    assert parse_retry_after("soon") is None and parse_retry_after(None) is None


def test_bad_urls_are_results_not_exceptions():
    results = fetch_all(
        [FetchRequest(u, "feed") for u in ("not a url", "", "ftp://example.com/feed", "http:///x")],
        settings=FAST,
    )
    assert [r.error_kind for r in results] == ["bad-url"] * 4
    assert results[0].error == "not an absolute http(s) URL: 'not a url'"
    assert results[2].error == "unsupported scheme 'ftp': only http and https"


def test_unknown_host_is_a_dns_error():
    result = fetch_one(
        "http://no-such-host.invalid/feed.xml",
        settings=dataclasses.replace(FAST, allow_private_networks=False),
    )
    assert result.error_kind == "dns" and "no-such-host.invalid" in result.error


def test_html_instead_of_a_feed_is_fetched_then_refused_by_parse(server):
    server.add(
        "/feed.xml", b"<!DOCTYPE html><html><body>Login</body></html>", content_type="text/html"
    )
    result = fetch_one(server.url("/feed.xml"))
    assert result.outcome == "ok"
    with pytest.raises(NotAFeedError, match="document is HTML, not RSS/Atom"):
        parse_feed(result.body, feed_url=result.final_url, content_type=result.content_type)


def test_redirect_without_location_is_a_clear_error(server):
    server.add("/feed.xml", status=302)
    result = fetch_one(server.url("/feed.xml"))
    assert (result.error_kind, result.error) == (
        "bad-redirect",
        "HTTP 302 without a Location header",
    )


def test_undeclared_windows_1256_feed_gzipped_end_to_end(server):
    raw = (FEEDS / "arabic_windows1256_undeclared.xml").read_bytes()
    server.add(
        "/ar.xml",
        gzipped(raw),
        content_type="application/rss+xml",
        headers={"Content-Encoding": "gzip"},
    )
    result = fetch_one(server.url("/ar.xml"))
    feed = parse_feed(result.body, feed_url=result.final_url, content_type=result.content_type)
    title = (FEEDS / "expected_arabic_title.txt").read_text(encoding="utf-8").strip()
    assert feed.items[0].title == title and feed.language == "ar"


# --- SSRF guard ---------------------------------------------------------------------------

GUARDED = dataclasses.replace(FAST, allow_private_networks=False)


@pytest.mark.parametrize(
    ("url", "error"),
    [
        ("http://127.0.0.1:{port}/feed.xml", "blocked: 127.0.0.1 is a loopback address"),
        (
            "http://localhost:{port}/feed.xml",
            "blocked: localhost (127.0.0.1) is a loopback address",
        ),
        ("http://10.0.0.1/feed.xml", "blocked: 10.0.0.1 is a private address"),
        (
            "http://169.254.169.254/latest/meta-data/",
            "blocked: 169.254.169.254 is a link-local address",
        ),
        ("http://[::1]:{port}/feed.xml", "blocked: ::1 is a loopback address"),
        ("http://[::ffff:192.168.1.1]/", "blocked: ::ffff:192.168.1.1 is a private address"),
        ("http://224.0.0.1/", "blocked: 224.0.0.1 is a multicast address"),
        ("http://0.0.0.0:{port}/", "blocked: 0.0.0.0 is a private address"),
    ],
)
def test_private_addresses_are_refused_without_connecting(server, url, error):
    server.add("/feed.xml", RSS)
    result = fetch_one(url.format(port=server.port), settings=GUARDED)
    assert (result.error_kind, result.error) == ("private-address", f"{error} ({ALLOW_HINT})")
    assert "NEWSETL_ALLOW_PRIVATE_NETWORKS=1" in result.error  # the message says how to allow it
    assert server.requests == [] and result.attempts == 1


def test_connect_to_keeps_the_url_and_host_and_is_still_guarded(server):
    # A name that never resolves, mapped to the local server: the URL and Host header stay the
    # name's (so stored keys do not depend on the port), and the mapped address is still checked.
    server.add("/feed.xml", RSS)
    mapped = dataclasses.replace(GUARDED, connect_to=(("feeds.example.test:80", f"127.0.0.1:{server.port}"),))
    blocked = fetch_one("http://feeds.example.test/feed.xml", settings=mapped)
    assert blocked.error_kind == "private-address" and server.requests == []
    allowed = dataclasses.replace(mapped, allowed_networks=("127.0.0.1/32",))
    result = fetch_one("http://feeds.example.test/feed.xml", settings=allowed)
    assert result.outcome == "ok" and result.final_url == "http://feeds.example.test/feed.xml"
    assert server.requests[0].headers["host"] == "feeds.example.test"


def test_connect_to_is_read_from_the_environment_and_a_bad_pair_is_named():
    settings = load_settings({"NEWSETL_CONNECT_TO": "a.test:80=127.0.0.1:8766, b.test:443=[::1]:9"})
    assert settings.fetch.connect_to == (("a.test:80", "127.0.0.1:8766"), ("b.test:443", "[::1]:9"))
    with pytest.raises(ConfigError, match="NEWSETL_CONNECT_TO"):
        load_settings({"NEWSETL_CONNECT_TO": "a.test=127.0.0.1"})


# 127.0.0.1 let through as an allowed network (like an internal mirror); all else stays guarded.
MIRROR = dataclasses.replace(GUARDED, allowed_networks=("127.0.0.1/32",))


def test_every_redirect_hop_is_checked(server):
    # 127.0.0.1 is allowed so the first hop goes through; 127.0.0.2 stays private.
    server.redirect("/feed.xml", f"http://127.0.0.2:{server.port}/internal")
    result = fetch_one(server.url("/feed.xml"), settings=MIRROR)
    assert result.error_kind == "private-address"
    assert result.final_url == f"http://127.0.0.2:{server.port}/internal"
    assert [r.path for r in server.requests] == ["/feed.xml"]


def test_guarded_fetch_connects_to_the_address_it_checked(server, monkeypatch):
    # "rebind.test" does not resolve: success proves httpx never looked it up itself, so a
    # DNS answer changed after the check (DNS rebinding) cannot redirect the connection.
    loopback = ipaddress.ip_address("127.0.0.1")

    async def resolve(self, url):  # the one faked piece: DNS (no resolver can be pointed here)
        return [loopback]

    monkeypatch.setattr(fetch_module._Crawler, "_resolve", resolve)
    server.add("/feed.xml", RSS)
    result = fetch_one(f"http://rebind.test:{server.port}/feed.xml", settings=MIRROR)
    assert (
        result.outcome == "ok" and result.final_url == f"http://rebind.test:{server.port}/feed.xml"
    )
    assert server.requests[0].headers["host"] == f"rebind.test:{server.port}"


@pytest.fixture(scope="module")
def certificates(tmp_path_factory):
    return make_certificates(tmp_path_factory.mktemp("tls"), ["rebind.test", "127.0.0.1"])


def test_https_with_a_trusted_certificate(certificates):
    with LocalServer(tls=certificates) as tls_server:
        tls_server.add("/feed.xml", RSS)
        settings = dataclasses.replace(FAST, ca_file=certificates.ca_file)
        result = fetch_one(tls_server.url("/feed.xml"), settings=settings)
        assert result.outcome == "ok" and result.body == RSS
        untrusted = fetch_one(tls_server.url("/feed.xml"))  # our CA is not in certifi's bundle
        assert (untrusted.error_kind, untrusted.error) == (
            "tls",
            f"TLS certificate of 127.0.0.1:{tls_server.port} rejected: "
            "unable to get local issuer certificate",
        )


def test_pinned_https_checks_the_certificate_against_the_host_name(certificates, monkeypatch):
    loopback = ipaddress.ip_address("127.0.0.1")

    async def resolve(self, url):  # DNS faked, as above; connect, SNI and certificate checks are real
        return [loopback]

    monkeypatch.setattr(fetch_module._Crawler, "_resolve", resolve)
    settings = dataclasses.replace(MIRROR, ca_file=certificates.ca_file)
    with LocalServer(tls=certificates) as tls_server:
        tls_server.add("/feed.xml", RSS)
        good = fetch_one(f"https://rebind.test:{tls_server.port}/feed.xml", settings=settings)
        assert good.outcome == "ok", good.error
        assert tls_server.requests[0].headers["host"] == f"rebind.test:{tls_server.port}"
        bad = fetch_one(f"https://other.test:{tls_server.port}/feed.xml", settings=settings)
        assert (bad.error_kind, bad.error) == (
            "tls",
            f"TLS certificate of other.test:{tls_server.port} rejected: "
            "Hostname mismatch, certificate is not valid for 'other.test'.",
        )


def test_public_addresses_pass_the_guard():
    for address in ("93.184.216.34", "2606:2800:220:1:248:1893:25c8:1946", "8.8.8.8"):
        assert not is_blocked(ipaddress.ip_address(address))
    for address in ("100.64.0.1", "192.0.2.1", "fd00::1", "fe80::1", "240.0.0.1", "::"):
        assert is_blocked(ipaddress.ip_address(address))


# --- robots.txt ---------------------------------------------------------------------------


def test_robots_txt_is_obeyed_for_pages_and_fetched_once_per_host(server):
    server.add(
        "/robots.txt",
        "User-agent: *\nDisallow: /private/\n\nUser-agent: newsetl\nDisallow: /drafts/\n",
    )
    for path in ("/news/1", "/news/2", "/private/1", "/drafts/1"):
        server.add(path, b"<html>page</html>", content_type="text/html")
    results = fetch_all(
        [
            FetchRequest(server.url(p), "page")
            for p in ("/news/1", "/news/2", "/private/1", "/drafts/1")
        ],
        settings=FAST,
    )
    assert [r.outcome for r in results] == ["ok", "ok", "ok", "error"]
    assert (results[3].error_kind, results[3].error) == ("robots", "disallowed by robots.txt")
    assert len(server.requests_to("/robots.txt")) == 1
    assert server.requests_to("/drafts/1") == []
    # feeds are not subject to robots.txt: a publisher lists a feed to have it read
    assert fetch_one(server.url("/drafts/1"), kind="feed").outcome == "ok"


def test_robots_txt_404_allows_everything(server):
    server.add("/news/1", b"<html>page</html>")
    assert fetch_one(server.url("/news/1"), kind="page").outcome == "ok"


def test_robots_txt_5xx_refuses_pages_conservatively(server):
    server.add("/robots.txt", status=500)
    server.add("/news/1", b"<html>page</html>")
    result = fetch_one(server.url("/news/1"), kind="page")
    assert result.error_kind == "robots"
    assert (
        result.error
        == "robots.txt unavailable (HTTP 500 Internal Server Error): not fetching pages"
    )
    assert server.requests_to("/news/1") == []


def test_robots_crawl_delay_slows_pages_of_that_host(server):
    server.add("/robots.txt", "User-agent: *\nCrawl-delay: 0.3\n")
    for path in ("/news/1", "/news/2", "/news/3"):
        server.add(path, b"<html>page</html>")
    requests = [FetchRequest(server.url(p), "page") for p in ("/news/1", "/news/2", "/news/3")]
    assert all(r.outcome == "ok" for r in fetch_all(requests, settings=FAST))
    starts = [r.at for r in server.requests if r.path.startswith("/news/")]
    assert min(b - a for a, b in zip(starts, starts[1:], strict=False)) >= 0.28


def test_robots_can_be_switched_off(server):
    server.add("/robots.txt", "User-agent: *\nDisallow: /\n")
    server.add("/news/1", b"<html>page</html>")
    settings = dataclasses.replace(FAST, obey_robots=False)
    assert fetch_one(server.url("/news/1"), kind="page", settings=settings).outcome == "ok"


# --- politeness ---------------------------------------------------------------------------


def test_per_host_delay_spaces_request_starts(server):
    server.add("/feed.xml", RSS)
    settings = dataclasses.replace(FAST, per_host_delay_s=0.2, per_host_concurrency=4)
    fetch_all([FetchRequest(server.url("/feed.xml"), "feed")] * 4, settings=settings)
    starts = [r.at for r in server.requests]
    gaps = [b - a for a, b in zip(starts, starts[1:], strict=False)]
    assert len(starts) == 4 and min(gaps) >= 0.18, gaps


def test_per_host_concurrency_caps_requests_in_flight(server):
    in_flight, peak, lock = [0], [0], threading.Lock()

    def slow(ex: Exchange) -> None:
        with lock:
            in_flight[0] += 1
            peak[0] = max(peak[0], in_flight[0])
        time.sleep(0.1)
        with lock:
            in_flight[0] -= 1
        ex.respond(200, RSS)

    server.add("/feed.xml", handler=slow)
    settings = dataclasses.replace(FAST, per_host_concurrency=2)
    results = fetch_all([FetchRequest(server.url("/feed.xml"), "feed")] * 6, settings=settings)
    assert all(r.outcome == "ok" for r in results) and peak[0] == 2


def test_many_hosts_are_fetched_at_once():
    servers = [LocalServer().__enter__() for _ in range(5)]
    try:
        for s in servers:
            s.add("/feed.xml", RSS, delay_s=0.3)
        requests = [FetchRequest(s.url("/feed.xml"), "feed") for s in servers]
        started = time.monotonic()
        results = fetch_all(requests, settings=FAST)
        assert all(r.outcome == "ok" for r in results)
        assert time.monotonic() - started < 1.0  # 5 hosts x 0.3 s in parallel, not 1.5 s
    finally:
        for s in servers:
            s.close()


def test_retry_after_holds_off_the_whole_host(server):
    server.add("/a.xml", status=429, headers={"Retry-After": "1"})
    server.add("/b.xml", RSS)
    settings = dataclasses.replace(FAST, max_retries=0)
    fetch_all(
        [FetchRequest(server.url(p), "feed") for p in ("/a.xml", "/b.xml")], settings=settings
    )
    [a], [b] = server.requests_to("/a.xml"), server.requests_to("/b.xml")
    assert b.at - a.at >= 0.95


def test_allowed_networks_open_only_what_they_name():
    assert not is_blocked(ipaddress.ip_address("10.1.2.3"), ("10.1.0.0/16",))
    assert is_blocked(ipaddress.ip_address("10.2.0.1"), ("10.1.0.0/16",))
    assert load_settings({"NEWSETL_ALLOWED_NETWORKS": "10.1.0.0/16, 127.0.0.1/32"}).fetch.allowed_networks == (
        "10.1.0.0/16", "127.0.0.1/32")


# --- transient or permanent: the etl.errors class the stages branch on ------------------------


@pytest.mark.parametrize(
    ("statuses", "outcome", "error_class", "attempts"),
    [
        ([503, 200], "ok", None, 2),  # busy once, then fine: retried, not reported
        ([500, 500], "error", "TransientFetchError", 2),
        ([429, 429], "error", "TransientFetchError", 2),
        ([404], "error", "PermanentFetchError", 1),  # never asked twice
        ([410], "error", "PermanentFetchError", 1),
        ([403], "error", "PermanentFetchError", 1),
    ],
)
def test_http_failures_are_transient_or_permanent_errors(server, statuses, outcome, error_class, attempts):
    from etl.errors import PermanentError, TransientError

    answers = iter(statuses)

    def handler(ex: Exchange) -> None:
        status = next(answers)
        ex.respond(status, RSS if status == 200 else b"no")

    server.add("/feed.xml", handler=handler)
    result = fetch_one(server.url("/feed.xml"))
    assert result.outcome == outcome and result.attempts == attempts
    assert len(server.requests) == attempts
    assert (type(result.failure).__name__ if result.failure else None) == error_class
    if error_class == "TransientFetchError":
        assert isinstance(result.failure, TransientError) and result.transient
    if error_class == "PermanentFetchError":
        assert isinstance(result.failure, PermanentError) and not result.transient


def test_network_and_policy_failures_have_their_class(server):
    from etl.errors import FetchRefusedError, PermanentFetchError, TransientFetchError

    refused = fetch_one(f"http://127.0.0.1:{free_port()}/feed.xml")
    assert isinstance(refused.failure, TransientFetchError) and refused.error_kind == "refused"
    server.add("/big", b"x" * (FAST.max_bytes + 1))
    big = fetch_one(server.url("/big"))
    assert type(big.failure) is PermanentFetchError and big.error_kind == "too-large" and big.attempts == 1
    server.add("/robots.txt", b"User-agent: *\nDisallow: /private\n", content_type="text/plain")
    robots = fetch_one(server.url("/private/page"), "page", settings=dataclasses.replace(FAST, obey_robots=True))
    assert isinstance(robots.failure, FetchRefusedError) and robots.error_kind == "robots"
    blocked = fetch_one(server.url("/feed.xml"), settings=dataclasses.replace(FAST, allow_private_networks=False))
    assert isinstance(blocked.failure, FetchRefusedError) and blocked.error_kind == "private-address"
    assert [r.path for r in server.requests] == ["/big", "/robots.txt"]  # refused before any request
