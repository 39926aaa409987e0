"""The asyncio crawler behind ``fetch_all``: redirects, robots.txt, retries, pinned connections.

One ``_Crawler`` lives for one ``fetch_all`` call and owns what is shared between its
requests: the per-host gates, one small connection pool per host, the robots.txt cache and
the TLS context. Every hop of a redirect chain is checked again (address, robots.txt), and
the connection goes to the address that was checked.
"""

from __future__ import annotations

import asyncio
import contextlib
import ipaddress
import logging
import random
import socket
import ssl
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor

import certifi
import httpx

from etl.errors import (
    FetchError,
    FetchRefusedError,
    PermanentFetchError,
    TransientError,
    TransientFetchError,
)
from etl.fetch.addresses import (
    ALLOW_HINT,
    address_kind,
    is_blocked,
    is_ip_literal,
    origin_of,
    parse_url,
)
from etl.fetch.body import WireCounter, read_capped
from etl.fetch.failures import dns_failure, format_size, http_failure, transport_failure
from etl.fetch.gate import HostGate
from etl.fetch.results import (
    FetchRequest,
    FetchResult,
    Response,
    result_of_failure,
    result_of_response,
)
from etl.robots import RobotsRules, robots_url, rules_from_fetch
from etl.settings import FetchSettings

log = logging.getLogger(__name__)

_REDIRECTS = frozenset({301, 302, 303, 307, 308})
_PERMANENT = frozenset({301, 308})
_ACCEPT = {
    "feed": "application/rss+xml, application/atom+xml, application/xml;q=0.9, "
    "text/xml;q=0.9, */*;q=0.5",
    "page": "text/html, application/xhtml+xml;q=0.9, */*;q=0.5",
}


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


class _Crawler:
    """One ``fetch_all`` call: per-host gates and connection pools, the robots.txt cache."""

    def __init__(self, settings: FetchSettings) -> None:
        self.settings = settings
        self.global_slots = asyncio.Semaphore(max(1, settings.global_concurrency))
        self.gates: dict[str, HostGate] = {}
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
                return result_of_response(request, response, attempts, started)
            except FetchError as failure:
                delay = self._retry_delay(failure, attempts)
                if delay is None:
                    return result_of_failure(request, failure, attempts, started)
                log.debug("retrying %s in %.2f s: %s", request.url, delay, failure.reason)
                await asyncio.sleep(delay)
            except Exception as exc:  # a bug must not sink the other URLs of the night
                log.exception("unexpected error fetching %s", request.url)
                failure = PermanentFetchError("internal", f"internal error: {type(exc).__name__}: {exc}")
                return result_of_failure(request, failure, attempts, started)

    def _retry_delay(self, failure: FetchError, attempts: int) -> float | None:
        """Return how long to wait before the next attempt, or None to give up (a permanent failure at once)."""
        if not isinstance(failure, TransientError) or attempts > self.settings.max_retries:
            return None
        if failure.retry_after_s is not None:
            if failure.retry_after_s > self.settings.max_retry_after_s:
                return None
            return failure.retry_after_s
        backoff = self.settings.backoff_base_s * 2 ** (attempts - 1)
        return backoff * random.uniform(0.5, 1.5)  # noqa: S311 - jitter spreads retries out; not a secret

    async def _follow(self, request: FetchRequest, *, cap: int, truncate: bool = False) -> Response:
        """Return the final response after following redirects, checking every hop."""
        url = parse_url(request.url)
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
                return Response(
                    response.url, response.status, response.headers,
                    response.body, response.wire_bytes, permanent,
                )  # fmt: skip
            if not location:
                raise PermanentFetchError(
                    "bad-redirect", f"HTTP {response.status} without a Location header",
                    status=response.status, url=str(url),
                )  # fmt: skip
            try:
                url = url.join(location)
            except (httpx.InvalidURL, ValueError) as exc:
                raise PermanentFetchError("bad-url", f"redirect to an invalid URL {location!r}: {exc}") from exc
            all_permanent = all_permanent and response.status in _PERMANENT
            if all_permanent:
                permanent = str(url)
            if str(url) in seen:
                raise PermanentFetchError(
                    "redirect-loop", f"redirect loop after {hop + 1} hops (back to {url})",
                    status=response.status, url=str(url),
                )  # fmt: skip
            seen.add(str(url))
        raise PermanentFetchError(
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
            raise FetchRefusedError("bad-url", f"unsupported scheme {url.scheme!r}: only http and https")
        if not url.host:
            raise PermanentFetchError("bad-url", f"no host in URL {url}")
        if self.settings.allow_private_networks:
            return None
        mapped = self._connect_to(url)
        addresses = [ipaddress.ip_address(mapped[0])] if mapped else await self._resolve(url)
        literal = len(addresses) == 1 and is_ip_literal(url.host)
        for address in addresses:
            if is_blocked(address, self.settings.allowed_networks):
                shown = url.host if literal else f"{url.host} ({address})"
                raise FetchRefusedError(
                    "private-address",
                    f"blocked: {shown} is a {address_kind(address)} address ({ALLOW_HINT})",
                    url=str(url),
                )  # fmt: skip
        return None if mapped else str(addresses[0])

    def _connect_to(self, url: httpx.URL) -> tuple[str, int] | None:
        """Return the (address, port) that ``url``'s host:port is mapped to, if it is (curl's --connect-to)."""
        port = url.port or (443 if url.scheme == "https" else 80)
        for source, target in self.settings.connect_to:
            if source == f"{url.host}:{port}":
                address, _, target_port = target.rpartition(":")
                return address.strip("[]"), int(target_port)
        return None

    async def _resolve(self, url: httpx.URL) -> list[ipaddress.IPv4Address | ipaddress.IPv6Address]:
        """Return every address ``url.host`` resolves to."""
        with contextlib.suppress(ValueError):
            return [ipaddress.ip_address(url.host)]
        loop = asyncio.get_running_loop()
        try:
            async with asyncio.timeout(self.settings.connect_timeout_s):
                infos = await loop.getaddrinfo(url.host, url.port, type=socket.SOCK_STREAM)
        except TimeoutError as exc:
            raise TransientFetchError("dns", f"DNS lookup for {url.host} timed out") from exc
        except socket.gaierror as exc:
            raise dns_failure(exc, url.host) from exc
        return [ipaddress.ip_address(info[4][0]) for info in infos]

    async def _check_robots(self, url: httpx.URL) -> None:
        """Refuse ``url`` when the host's robots.txt disallows it (or cannot be read)."""
        origin = origin_of(url)
        task = self.robots.get(origin)
        if task is None:
            task = asyncio.create_task(self._load_robots(str(url)))
            self.robots[origin] = task
        rules = await task
        if not rules.is_allowed(str(url), self.settings.user_agent):
            raise FetchRefusedError("robots", rules.refuse_all or "disallowed by robots.txt", url=str(url))

    async def _load_robots(self, page_url: str) -> RobotsRules:
        """Fetch and parse the robots.txt that governs ``page_url`` (one attempt)."""
        request = FetchRequest(robots_url(page_url), "robots")  # type: ignore[arg-type]
        try:
            response = await self._follow(
                request, cap=self.settings.max_robots_bytes, truncate=True
            )
        except FetchError as failure:
            rules = rules_from_fetch(failure.status, b"", failure.reason)
        else:
            rules = rules_from_fetch(response.status, response.body, None)
        delay = rules.crawl_delay(self.settings.user_agent)
        if delay:  # slows every request to the host, feeds included: it is the site's wish
            gate = self._gate(parse_url(page_url))
            gate.delay_s = max(gate.delay_s, min(delay, self.settings.max_crawl_delay_s))
        return rules

    def _gate(self, url: httpx.URL) -> HostGate:
        origin = origin_of(url)
        gate = self.gates.get(origin)
        if gate is None:
            gate = HostGate(self.settings.per_host_concurrency, self.settings.per_host_delay_s)
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
    ) -> Response:
        """Send one GET in the host's turn and read the body under the deadline and the cap."""
        gate = self._gate(url)
        counter = WireCounter()
        gate.users += 1
        try:
            async with gate.turn(self.global_slots):
                try:
                    async with asyncio.timeout(self.settings.timeout_s):
                        return await self._send(url, headers, pin, cap, truncate, counter, gate)
                except TimeoutError as exc:
                    raise TransientFetchError(
                        "timeout", f"timed out after {self.settings.timeout_s:g} s (total deadline)",
                        url=str(url), wire_bytes=counter.n,
                    ) from exc  # fmt: skip
                except (httpx.HTTPError, httpx.InvalidURL) as exc:  # InvalidURL is not an HTTPError
                    where = f"{url.host}:{url.port or (443 if url.scheme == 'https' else 80)}"
                    raise transport_failure(
                        exc, where, self.settings.timeout_s, counter.n, str(url)
                    ) from exc
                except FetchError as failure:
                    failure.url = failure.url or str(url)  # the hop that failed, for final_url
                    raise
        finally:
            gate.users -= 1
            if gate.users == 0 and (client := self.clients.pop(origin_of(url), None)):
                await client.aclose()  # nobody is queued for this host: free its sockets

    async def _send(
        self,
        url: httpx.URL,
        headers: dict[str, str],
        pin: str | None,
        cap: int,
        truncate: bool,
        counter: WireCounter,
        gate: HostGate,
    ) -> Response:
        """Return the response to one GET: its body read under ``cap``, none for redirects/304."""

        async def trace(event: str, info: dict[str, object]) -> None:
            if event.endswith("send_request_headers.started"):
                gate.mark_sent()

        extensions: dict[str, object] = {"trace": trace}
        target = url
        if pin is not None:  # connect to the checked address; Host and TLS name stay the host's
            target = url.copy_with(host=pin)
        if mapped := self._connect_to(url):  # same, to the address and port it is mapped to
            target = url.copy_with(host=mapped[0], port=mapped[1])
        if target is not url:
            headers = {**headers, "Host": url.netloc.decode("ascii")}
            extensions["sni_hostname"] = url.host
        client = self._client(origin_of(url))
        stream = client.stream("GET", target, headers=headers, extensions=extensions)
        async with stream as response:
            status = response.status_code
            if status in _REDIRECTS or status == 304:
                return Response(str(url), status, response.headers, b"", 0, None)
            if status >= 400:
                raise http_failure(response, str(url), gate, self.settings.max_retry_after_s)
            declared = _int_or_none(response.headers.get("content-length"))
            encoding = response.headers.get("content-encoding", "identity").strip().lower()
            if declared is not None and declared > cap and not truncate:
                raise PermanentFetchError(
                    "too-large",
                    f"body exceeded {format_size(cap)} cap (Content-Length {format_size(declared)})",
                    status=status, url=str(url),
                )  # fmt: skip
            body = await read_capped(response, encoding, cap, truncate, counter)
            return Response(str(url), status, response.headers, body, counter.n, None)


def _int_or_none(value: str | None) -> int | None:
    try:
        return int(value) if value is not None else None
    except ValueError:
        return None
