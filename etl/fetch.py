"""Fetch feeds and article pages the way a trusted crawler does.

``fetch_all(requests, settings=...)`` is the one entry point: synchronous (it runs its own
asyncio loop, so an Airflow task or a plain thread can call it), results in request order, and
it never raises for a URL that failed: every failure is a ``FetchResult`` with
``outcome='error'``, a reason a person understands and a short ``error_kind`` slug.

Politeness and safety, in the order a request meets them:

1. only http/https; the host is resolved and every address checked against private, loopback,
   link-local, multicast and reserved ranges (SSRF guard), again on every redirect hop;
2. robots.txt for ``kind='page'`` (fetched once per host per call; see ``etl.robots``);
3. a per-host gate: at most ``per_host_concurrency`` requests in flight to one host
   (host = scheme://host:port) and ``per_host_delay_s`` between request starts; many hosts
   run at once up to ``global_concurrency``;
4. a conditional GET (If-None-Match / If-Modified-Since), a total deadline per hop that covers
   the body, and a cap on the *decompressed* size enforced while reading (gzip bombs stop
   after ``max_bytes``, not after the server is done);
5. 429/503 honour Retry-After (capped); other 5xx, timeouts and lost connections retry with
   exponential backoff and jitter, at most ``max_retries`` times.

The SSRF check resolves the name itself and the connection is pinned to the address it
checked (Host header and TLS server name stay the original host), so DNS rebinding between
check and connect cannot reach an internal address. Pinning uses the first resolved address
only (no fallback to the next one when it does not answer).
"""

from __future__ import annotations

import asyncio
import contextlib
import email.utils
import ipaddress
import logging
import random
import socket
import ssl
import time
import zlib
from collections.abc import AsyncIterator, Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Literal

import certifi
import httpx

from etl.models import FetchKind
from etl.robots import RobotsRules, robots_url, rules_from_fetch
from etl.settings import FetchSettings

log = logging.getLogger(__name__)

Outcome = Literal["ok", "not-modified", "error"]
_REDIRECTS = frozenset({301, 302, 303, 307, 308})
_PERMANENT = frozenset({301, 308})
_ACCEPT = {
    "feed": "application/rss+xml, application/atom+xml, application/xml;q=0.9, "
    "text/xml;q=0.9, */*;q=0.5",
    "page": "text/html, application/xhtml+xml;q=0.9, */*;q=0.5",
}


@dataclass(frozen=True, slots=True)
class FetchRequest:
    """One URL to fetch, with what we saw last time (for a conditional GET)."""

    url: str
    kind: FetchKind
    etag: str | None = None
    last_modified: str | None = None
    key: object = None
    """Opaque id the caller uses to match the result (feed id, article id)."""


@dataclass(frozen=True, slots=True)
class FetchResult:
    """What happened to one ``FetchRequest``: body and validators, or why it failed."""

    request: FetchRequest
    final_url: str
    status: int | None
    outcome: Outcome
    body: bytes
    """Decompressed body; b'' unless outcome is 'ok'."""
    content_type: str | None
    etag: str | None
    last_modified: str | None
    elapsed_ms: int
    """Wall time from the first attempt's start to the result, retries included."""
    bytes: int
    """Bytes received on the wire for the last attempt (compressed size)."""
    attempts: int
    error: str | None = None
    """Why it failed, for a person: "connection refused by 127.0.0.1:8080"."""
    error_kind: str | None = None
    """Short slug: refused, reset, timeout, dns, tls, connect, too-large, gzip-bomb,
    bad-encoding, redirect-loop, bad-redirect, bad-url, private-address, robots, http-4NN
    (the code: http-404, http-429…), http-5xx, internal."""
    permanent_redirect: str | None = None
    """Where the URL now lives, when every redirect followed was permanent (301/308)."""
    gone: bool = False
    """The server answered 410 Gone: stop polling this URL."""
    retry_after_s: float | None = None
    """Seconds the server asked us to wait (429/503 Retry-After), when it asked."""


class _Failure(Exception):
    """One attempt failed; says whether another attempt may help."""

    def __init__(
        self,
        kind: str,
        reason: str,
        *,
        retryable: bool = False,
        status: int | None = None,
        url: str | None = None,
        retry_after_s: float | None = None,
        wire_bytes: int = 0,
    ) -> None:
        super().__init__(reason)
        self.kind, self.reason, self.retryable = kind, reason, retryable
        self.status, self.url, self.retry_after_s = status, url, retry_after_s
        self.wire_bytes = wire_bytes


@dataclass(frozen=True, slots=True)
class _Response:
    url: str
    status: int
    headers: httpx.Headers
    body: bytes
    wire_bytes: int
    permanent_redirect: str | None


def fetch_all(
    requests: Sequence[FetchRequest],
    *,
    settings: FetchSettings,
    progress: Callable[[FetchResult], None] | None = None,
) -> list[FetchResult]:
    """Return one ``FetchResult`` per request, in request order; never raises for a bad URL.

    ``progress`` is called with each result as it completes, on the calling thread.
    """
    if not requests:
        return []
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(_fetch_all(list(requests), settings, progress))
    # Called from inside a running loop (a notebook, an async caller): use a fresh thread.
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, _fetch_all(list(requests), settings, progress)).result()


async def _fetch_all(
    requests: list[FetchRequest],
    settings: FetchSettings,
    progress: Callable[[FetchResult], None] | None,
) -> list[FetchResult]:
    started = time.monotonic()
    async with _Crawler(settings) as crawler:
        tasks = [asyncio.create_task(crawler.fetch(r)) for r in requests]
        if progress is not None:
            for done in asyncio.as_completed(tasks):
                progress(await done)
        results = list(await asyncio.gather(*tasks))
    outcomes = [r.outcome for r in results]
    log.info(
        "fetched %d URLs in %.1f s: %d ok, %d not modified, %d errors",
        len(results),
        time.monotonic() - started,
        outcomes.count("ok"),
        outcomes.count("not-modified"),
        outcomes.count("error"),
    )
    return results


class _HostGate:
    """Politeness for one host: a concurrency limit and a minimum gap between request starts."""

    def __init__(self, concurrency: int, delay_s: float) -> None:
        self.slots = asyncio.Semaphore(max(1, concurrency))
        self.order = asyncio.Lock()
        self.delay_s = delay_s
        self.next_start = 0.0
        self.users = 0
        """Requests waiting for or holding a turn; at 0 the host's connections are closed."""

    def mark_sent(self) -> None:
        """Measure the gap from when the request really left (after connecting), not queued."""
        self.next_start = max(self.next_start, time.monotonic() + self.delay_s)

    def hold_off(self, seconds: float) -> None:
        """Start nothing on this host for ``seconds`` (the server asked, with Retry-After)."""
        self.next_start = max(self.next_start, time.monotonic() + seconds)

    @contextlib.asynccontextmanager
    async def turn(self, global_slots: asyncio.Semaphore) -> AsyncIterator[None]:
        """Wait for this host's turn and a global slot; the start time is taken after both."""
        async with self.slots:
            async with self.order:
                wait = self.next_start - time.monotonic()
                if wait > 0:
                    await asyncio.sleep(wait)
                # Take the global slot while still holding the host's order lock, so the gap
                # is measured from when the request really starts, not from when it queued.
                await global_slots.acquire()
                self.next_start = time.monotonic() + self.delay_s
            try:
                yield
            finally:
                global_slots.release()


class _Crawler:
    """One ``fetch_all`` call: per-host gates and connection pools, the robots.txt cache."""

    def __init__(self, settings: FetchSettings) -> None:
        self.settings = settings
        self.global_slots = asyncio.Semaphore(max(1, settings.global_concurrency))
        self.gates: dict[str, _HostGate] = {}
        self.robots: dict[str, asyncio.Task[RobotsRules]] = {}
        self.clients: dict[str, httpx.AsyncClient] = {}
        self.tls = ssl.create_default_context(cafile=certifi.where())  # shared: costly to build
        if settings.ca_file:
            self.tls.load_verify_locations(cafile=settings.ca_file)

    async def __aenter__(self) -> _Crawler:
        return self

    async def __aexit__(self, *exc: object) -> None:
        for client in list(self.clients.values()):
            await client.aclose()
        self.clients.clear()

    def _client(self, origin: str) -> httpx.AsyncClient:
        """Return the connection pool of one host, opened on first use.

        One small pool per host instead of one shared pool: httpcore scans every pooled
        connection on each request, which made a 100-host crawl CPU-bound, and a shared pool
        smaller than the number of hosts closed and reopened connections all the time.
        """
        client = self.clients.get(origin)
        if client is None:
            n = self.settings.per_host_concurrency
            client = httpx.AsyncClient(
                headers={
                    "User-Agent": self.settings.user_agent,
                    "Accept-Encoding": "gzip, deflate",
                },
                timeout=httpx.Timeout(
                    self.settings.timeout_s, connect=self.settings.connect_timeout_s
                ),
                transport=httpx.AsyncHTTPTransport(
                    verify=self.tls,
                    limits=httpx.Limits(max_connections=n, max_keepalive_connections=n),
                ),
                follow_redirects=False,  # followed by hand: SSRF check, loop detection per hop
                trust_env=False,  # an environment proxy would bypass the address check
            )
            self.clients[origin] = client
        return client

    async def fetch(self, request: FetchRequest) -> FetchResult:
        """Return the result of one request, retrying what may succeed on retry."""
        started = time.monotonic()
        attempts = 0
        while True:
            attempts += 1
            try:
                response = await self._follow(request, cap=self.settings.max_bytes)
                return _success(request, response, attempts, started)
            except _Failure as failure:
                delay = self._retry_delay(failure, attempts)
                if delay is None:
                    return _failed(request, failure, attempts, started)
                log.debug("retrying %s in %.2f s: %s", request.url, delay, failure.reason)
                await asyncio.sleep(delay)
            except Exception as exc:  # a bug must not sink the other URLs of the night
                log.exception("unexpected error fetching %s", request.url)
                failure = _Failure("internal", f"internal error: {type(exc).__name__}: {exc}")
                return _failed(request, failure, attempts, started)

    def _retry_delay(self, failure: _Failure, attempts: int) -> float | None:
        """Return how long to wait before the next attempt, or None to give up."""
        if not failure.retryable or attempts > self.settings.max_retries:
            return None
        if failure.retry_after_s is not None:
            if failure.retry_after_s > self.settings.max_retry_after_s:
                return None
            return failure.retry_after_s
        backoff = self.settings.backoff_base_s * 2 ** (attempts - 1)
        return backoff * random.uniform(0.5, 1.5)  # jitter: retries of many URLs spread out

    async def _follow(
        self, request: FetchRequest, *, cap: int, truncate: bool = False
    ) -> _Response:
        """Return the final response after following redirects, checking every hop."""
        url = _parse_url(request.url)
        headers = {"Accept": _ACCEPT.get(request.kind, "*/*")}
        if request.etag:
            headers["If-None-Match"] = request.etag
        if request.last_modified:
            headers["If-Modified-Since"] = request.last_modified
        seen = {str(url)}
        permanent: str | None = None
        all_permanent = True
        for hop in range(self.settings.max_redirects + 1):
            pin = await self._check_address(url)
            if request.kind == "page" and self.settings.obey_robots:
                await self._check_robots(url)
            response = await self._exchange(url, headers, pin=pin, cap=cap, truncate=truncate)
            location = response.headers.get("location")
            if response.status not in _REDIRECTS:
                return _Response(
                    response.url, response.status, response.headers,
                    response.body, response.wire_bytes, permanent,
                )  # fmt: skip
            if not location:
                raise _Failure(
                    "bad-redirect", f"HTTP {response.status} without a Location header",
                    status=response.status, url=str(url),
                )  # fmt: skip
            try:
                url = url.join(location)
            except (httpx.InvalidURL, ValueError) as exc:
                raise _Failure(
                    "bad-url", f"redirect to an invalid URL {location!r}: {exc}"
                ) from exc
            all_permanent = all_permanent and response.status in _PERMANENT
            if all_permanent:
                permanent = str(url)
            if str(url) in seen:
                raise _Failure(
                    "redirect-loop", f"redirect loop after {hop + 1} hops (back to {url})",
                    status=response.status, url=str(url),
                )  # fmt: skip
            seen.add(str(url))
        raise _Failure(
            "redirect-loop",
            f"redirect loop after {self.settings.max_redirects} hops (gave up at {url})",
            url=str(url),
        )

    async def _check_address(self, url: httpx.URL) -> str | None:
        """Refuse non-http(s) URLs and non-public hosts; return the address to connect to.

        The connection is pinned to the address checked here (None: let httpx resolve, when
        private networks are allowed), so a DNS answer that changes between the check and the
        connection (DNS rebinding) cannot steer the request to an internal address.
        """
        if url.scheme not in ("http", "https"):
            raise _Failure("bad-url", f"unsupported scheme {url.scheme!r}: only http and https")
        if not url.host:
            raise _Failure("bad-url", f"no host in URL {url}")
        if self.settings.allow_private_networks:
            return None
        addresses = await self._resolve(url)
        literal = len(addresses) == 1 and _is_ip_literal(url.host)
        for address in addresses:
            if _is_blocked(address):
                shown = url.host if literal else f"{url.host} ({address})"
                raise _Failure(
                    "private-address", f"blocked: {shown} is a {_address_kind(address)} address",
                    url=str(url),
                )  # fmt: skip
        return str(addresses[0])

    async def _resolve(self, url: httpx.URL) -> list[ipaddress.IPv4Address | ipaddress.IPv6Address]:
        """Return every address ``url.host`` resolves to."""
        with contextlib.suppress(ValueError):
            return [ipaddress.ip_address(url.host)]
        loop = asyncio.get_running_loop()
        try:
            async with asyncio.timeout(self.settings.connect_timeout_s):
                infos = await loop.getaddrinfo(url.host, url.port, type=socket.SOCK_STREAM)
        except TimeoutError as exc:
            raise _Failure("dns", f"DNS lookup for {url.host} timed out", retryable=True) from exc
        except socket.gaierror as exc:
            retry = exc.errno == socket.EAI_AGAIN
            raise _Failure(
                "dns", f"DNS lookup failed for {url.host}: {exc.strerror}", retryable=retry
            ) from exc
        return [ipaddress.ip_address(info[4][0]) for info in infos]

    async def _check_robots(self, url: httpx.URL) -> None:
        """Refuse ``url`` when the host's robots.txt disallows it (or cannot be read)."""
        origin = _origin(url)
        task = self.robots.get(origin)
        if task is None:
            task = asyncio.create_task(self._load_robots(str(url)))
            self.robots[origin] = task
        rules = await task
        if not rules.is_allowed(str(url), self.settings.user_agent):
            raise _Failure("robots", rules.refuse_all or "disallowed by robots.txt", url=str(url))

    async def _load_robots(self, page_url: str) -> RobotsRules:
        """Fetch and parse the robots.txt that governs ``page_url`` (one attempt)."""
        request = FetchRequest(robots_url(page_url), "robots")  # type: ignore[arg-type]
        try:
            response = await self._follow(
                request, cap=self.settings.max_robots_bytes, truncate=True
            )
        except _Failure as failure:
            rules = rules_from_fetch(failure.status, b"", failure.reason)
        else:
            rules = rules_from_fetch(response.status, response.body, None)
        delay = rules.crawl_delay(self.settings.user_agent)
        if delay:  # slows every request to the host, feeds included: it is the site's wish
            gate = self._gate(_parse_url(page_url))
            gate.delay_s = max(gate.delay_s, min(delay, self.settings.max_crawl_delay_s))
        return rules

    def _gate(self, url: httpx.URL) -> _HostGate:
        origin = _origin(url)
        gate = self.gates.get(origin)
        if gate is None:
            gate = _HostGate(self.settings.per_host_concurrency, self.settings.per_host_delay_s)
            self.gates[origin] = gate
        return gate

    async def _exchange(
        self,
        url: httpx.URL,
        headers: dict[str, str],
        *,
        pin: str | None,
        cap: int,
        truncate: bool,
    ) -> _Response:
        """Send one GET in the host's turn and read the body under the deadline and the cap."""
        gate = self._gate(url)
        counter = _Counter()
        gate.users += 1
        try:
            async with gate.turn(self.global_slots):
                try:
                    async with asyncio.timeout(self.settings.timeout_s):
                        return await self._send(url, headers, pin, cap, truncate, counter, gate)
                except TimeoutError as exc:
                    raise _Failure(
                        "timeout", f"timed out after {self.settings.timeout_s:g} s (total deadline)",
                        retryable=True, url=str(url), wire_bytes=counter.n,
                    ) from exc  # fmt: skip
                except httpx.HTTPError as exc:
                    where = f"{url.host}:{url.port or (443 if url.scheme == 'https' else 80)}"
                    raise _transport_failure(
                        exc, where, self.settings.timeout_s, counter.n, str(url)
                    ) from exc
                except _Failure as failure:
                    failure.url = failure.url or str(url)  # the hop that failed, for final_url
                    raise
        finally:
            gate.users -= 1
            if gate.users == 0 and (client := self.clients.pop(_origin(url), None)):
                await client.aclose()  # nobody is queued for this host: free its sockets

    async def _send(
        self,
        url: httpx.URL,
        headers: dict[str, str],
        pin: str | None,
        cap: int,
        truncate: bool,
        counter: _Counter,
        gate: _HostGate,
    ) -> _Response:
        async def trace(event: str, info: dict[str, object]) -> None:
            if event.endswith("send_request_headers.started"):
                gate.mark_sent()

        extensions: dict[str, object] = {"trace": trace}
        target = url
        if pin is not None:  # connect to the checked address; Host and TLS name stay the host's
            target = url.copy_with(host=pin)
            headers = {**headers, "Host": url.netloc.decode("ascii")}
            extensions["sni_hostname"] = url.host
        client = self._client(_origin(url))
        stream = client.stream("GET", target, headers=headers, extensions=extensions)
        async with stream as response:
            status = response.status_code
            if status in _REDIRECTS or status == 304:
                return _Response(str(url), status, response.headers, b"", 0, None)
            if status >= 400:
                raise _http_failure(response, str(url), gate, self.settings.max_retry_after_s)
            declared = _int_or_none(response.headers.get("content-length"))
            encoding = response.headers.get("content-encoding", "identity").strip().lower()
            if declared is not None and declared > cap and not truncate:
                raise _Failure(
                    "too-large",
                    f"body exceeded {_size(cap)} cap (Content-Length {_size(declared)})",
                    status=status, url=str(url),
                )  # fmt: skip
            body = await _read_capped(response, encoding, cap, truncate, counter)
            return _Response(str(url), status, response.headers, body, counter.n, None)


class _Counter:
    __slots__ = ("n",)

    def __init__(self) -> None:
        self.n = 0


async def _read_capped(
    response: httpx.Response, encoding: str, cap: int, truncate: bool, counter: _Counter
) -> bytes:
    """Return the decompressed body, failing (or truncating) as soon as it passes ``cap``."""
    inflater = _Inflater(encoding)
    chunks: list[bytes] = []
    size = 0
    async for raw in response.aiter_raw():
        counter.n += len(raw)
        data = inflater.feed(raw, cap - size + 1)
        size += len(data)
        chunks.append(data)
        if size > cap:
            if truncate:
                return b"".join(chunks)[:cap]
            raise _too_large(cap, counter.n, inflater)
    chunks.append(inflater.flush())
    body = b"".join(chunks)
    if len(body) > cap:
        if truncate:
            return body[:cap]
        raise _too_large(cap, counter.n, inflater)
    return body


class _Inflater:
    """Incremental gzip/deflate decoder that never produces more than it is asked for."""

    def __init__(self, encoding: str) -> None:
        self.encoding = encoding
        if encoding in ("gzip", "x-gzip"):
            self.decoder: zlib._Decompress | None = zlib.decompressobj(16 + zlib.MAX_WBITS)
        elif encoding == "deflate":
            self.decoder = zlib.decompressobj(zlib.MAX_WBITS)
        elif encoding in ("identity", ""):
            self.decoder = None
        else:
            raise _Failure("bad-encoding", f"unsupported Content-Encoding {encoding!r}")
        self.first = True
        self.consumed = 0
        """Compressed bytes turned into output so far (input still queued not counted)."""

    def feed(self, data: bytes, limit: int) -> bytes:
        """Return up to ``limit`` decoded bytes of ``data``."""
        if self.decoder is None:
            return data
        try:
            out = self.decoder.decompress(data, limit)
        except zlib.error as exc:
            if self.encoding == "deflate" and self.first:
                # "deflate" servers often send raw deflate without the zlib header
                self.decoder = zlib.decompressobj(-zlib.MAX_WBITS)
                self.first = False
                return self.feed(data, limit)
            raise _Failure("bad-encoding", f"corrupt {self.encoding} body: {exc}") from exc
        self.first = False
        self.consumed += len(data) - len(self.decoder.unconsumed_tail)
        return out

    def flush(self) -> bytes:
        """Return what the decoder still holds (bounded: fed inputs were fully consumed)."""
        return self.decoder.flush() if self.decoder is not None else b""


def _success(
    request: FetchRequest, response: _Response, attempts: int, started: float
) -> FetchResult:
    not_modified = response.status == 304
    headers = response.headers
    return FetchResult(
        request=request,
        final_url=response.url,
        status=response.status,
        outcome="not-modified" if not_modified else "ok",
        body=b"" if not_modified else response.body,
        content_type=headers.get("content-type"),
        etag=headers.get("etag") or (request.etag if not_modified else None),
        last_modified=headers.get("last-modified")
        or (request.last_modified if not_modified else None),
        elapsed_ms=_ms_since(started),
        bytes=response.wire_bytes,
        attempts=attempts,
        permanent_redirect=response.permanent_redirect,
    )


def _failed(request: FetchRequest, failure: _Failure, attempts: int, started: float) -> FetchResult:
    return FetchResult(
        request=request,
        final_url=failure.url or request.url,
        status=failure.status,
        outcome="error",
        body=b"",
        content_type=None,
        etag=None,
        last_modified=None,
        elapsed_ms=_ms_since(started),
        bytes=failure.wire_bytes,
        attempts=attempts,
        error=failure.reason,
        error_kind=failure.kind,
        gone=failure.status == 410,
        retry_after_s=failure.retry_after_s,
    )


def _http_failure(
    response: httpx.Response, url: str, gate: _HostGate, max_retry_after_s: float
) -> _Failure:
    """Return the failure for a 4xx/5xx answer; 429/503 carry the server's Retry-After."""
    status = response.status_code
    reason = f"HTTP {status} {response.reason_phrase or ''}".strip()
    retry_after = None
    if status in (429, 503):
        retry_after = parse_retry_after(response.headers.get("retry-after"))
        if retry_after is not None:
            gate.hold_off(min(retry_after, max_retry_after_s))
            if retry_after > max_retry_after_s:
                reason += (
                    f" (Retry-After {retry_after:g} s is over the {max_retry_after_s:g} s cap)"
                )
    retryable = status >= 500 or status in (408, 429)
    kind = "http-5xx" if status >= 500 else f"http-{status}"
    return _Failure(
        kind, reason, retryable=retryable, status=status, url=url,
        retry_after_s=retry_after,
    )  # fmt: skip


def parse_retry_after(value: str | None, *, now: datetime | None = None) -> float | None:
    """Return the seconds a Retry-After header asks for (delta-seconds or HTTP date)."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


def _transport_failure(
    exc: httpx.HTTPError, where: str, timeout: float, received: int, url: str
) -> _Failure:
    """Return a failure a person understands for a network-level httpx error."""
    causes = _causes(exc)
    if isinstance(exc, httpx.ConnectTimeout):
        return _Failure("timeout", f"connect to {where} timed out", retryable=True, url=url)
    if isinstance(exc, httpx.TimeoutException):
        return _Failure(
            "timeout", f"timed out after {timeout:g} s (no data)", retryable=True, url=url,
            wire_bytes=received,
        )  # fmt: skip
    if isinstance(exc, httpx.ConnectError):
        if any(isinstance(c, ConnectionRefusedError) for c in causes):
            return _Failure("refused", f"connection refused by {where}", retryable=True, url=url)
        if dns := next((c for c in causes if isinstance(c, socket.gaierror)), None):
            host = where.rsplit(":", 1)[0]
            return _Failure("dns", f"DNS lookup failed for {host}: {dns.strerror}", url=url)
        if bad := next((c for c in causes if isinstance(c, ssl.SSLCertVerificationError)), None):
            why = bad.verify_message or bad.reason or str(bad)
            return _Failure("tls", f"TLS certificate of {where} rejected: {why}", url=url)
        if tls := next((c for c in causes if isinstance(c, ssl.SSLError)), None):
            why = tls.reason or str(tls)
            return _Failure("tls", f"TLS handshake with {where} failed: {why}", url=url)
        return _Failure("connect", f"could not connect to {where}: {exc}", retryable=True, url=url)
    if isinstance(exc, httpx.ReadError | httpx.RemoteProtocolError | httpx.WriteError):
        return _Failure(
            "reset", f"connection reset by {where} after {_size(received)} of body",
            retryable=True, url=url, wire_bytes=received,
        )  # fmt: skip
    if isinstance(exc, httpx.InvalidURL | httpx.UnsupportedProtocol):
        return _Failure("bad-url", f"invalid URL: {exc}", url=url)
    return _Failure("http-error", f"{type(exc).__name__}: {exc}", retryable=True, url=url)


def _causes(exc: BaseException) -> list[BaseException]:
    """Return ``exc`` and everything it was raised from, exception groups flattened."""
    out: list[BaseException] = []
    stack = [exc]
    while stack and len(out) < 32:
        current = stack.pop()
        if current in out:
            continue
        out.append(current)
        if isinstance(current, BaseExceptionGroup):
            stack.extend(current.exceptions)
        stack.extend(e for e in (current.__cause__, current.__context__) if e is not None)
    return out


def _too_large(cap: int, wire: int, inflater: _Inflater) -> _Failure:
    # Text and XML compress 5-20 times; a 50-fold expansion is a bomb, not a big feed.
    if inflater.decoder is not None and inflater.consumed * 50 < cap:
        return _Failure(
            "gzip-bomb",
            f"body exceeded {_size(cap)} cap after decompressing only "
            f"{_size(inflater.consumed)} of {inflater.encoding} (a decompression bomb)",
            wire_bytes=wire,
        )  # fmt: skip
    return _Failure("too-large", f"body exceeded {_size(cap)} cap", wire_bytes=wire)


def _parse_url(raw: str) -> httpx.URL:
    try:
        url = httpx.URL(raw.strip())
    except (httpx.InvalidURL, TypeError, ValueError) as exc:
        raise _Failure("bad-url", f"invalid URL {raw!r}: {exc}") from exc
    if not url.scheme:
        raise _Failure("bad-url", f"not an absolute http(s) URL: {raw!r}")
    if url.scheme not in ("http", "https"):
        raise _Failure("bad-url", f"unsupported scheme {url.scheme!r}: only http and https")
    return url


def _origin(url: httpx.URL) -> str:
    """Return scheme://host:port, the unit of politeness and of robots.txt."""
    return f"{url.scheme}://{url.host}:{url.port or (443 if url.scheme == 'https' else 80)}"


def _is_blocked(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    """Return True for addresses a public crawler must never reach (SSRF guard)."""
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    return not address.is_global or address.is_multicast or address.is_reserved


def _is_ip_literal(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


def _address_kind(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> str:
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    for kind in ("loopback", "link_local", "multicast", "private", "reserved", "unspecified"):
        if getattr(address, f"is_{kind}"):
            return kind.replace("_", "-")
    return "non-public"


def _int_or_none(value: str | None) -> int | None:
    try:
        return int(value) if value is not None else None
    except ValueError:
        return None


def _size(n: int) -> str:
    for unit, scale in (("MB", 1024 * 1024), ("KB", 1024)):
        if n >= scale:
            return f"{n / scale:g} {unit}" if n % scale == 0 else f"{n / scale:.1f} {unit}"
    return f"{n} B"


def _ms_since(started: float) -> int:
    return int((time.monotonic() - started) * 1000)
