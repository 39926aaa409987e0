"""Fetch feeds and article pages the way a trusted crawler does.

``fetch_all(requests, settings=...)`` is the one entry point: synchronous (it runs its own
asyncio loop, so an Airflow task or a plain thread can call it), results in request order, and
it never raises for a URL that failed: every failure is a ``FetchResult`` with
``outcome='error'`` and its ``failure``, an ``etl.errors`` ``TransientFetchError`` (retried here,
and by the page stage on a later night) or ``PermanentFetchError`` (reported at once), with a
reason a person understands and a short ``error_kind`` slug.

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

Modules, one concern each: ``crawler`` (``fetch_all`` and the asyncio crawler), ``gate``
(per-host politeness), ``addresses`` (accepted URLs, the SSRF address policy), ``body``
(capped reading, the gzip-bomb guard), ``failures`` (what went wrong, in words) and
``results`` (the request and result records).
"""

from etl.fetch.crawler import fetch_all
from etl.fetch.failures import parse_retry_after
from etl.fetch.results import FetchRequest, FetchResult, Outcome

__all__ = ["FetchRequest", "FetchResult", "Outcome", "fetch_all", "parse_retry_after"]
