"""The records of the fetch stage: what to fetch, what came back, and how one becomes the other.

Apart from the crawler so that callers (the pipeline, the benches) and the failure helpers use
the records without the asyncio machinery. A ``FetchResult`` is the only thing ``fetch_all``
hands back: a success and a failure are the same record, told apart by ``outcome``.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Literal

import httpx

from etl.errors import FetchError, TransientError
from etl.models import FetchKind

Outcome = Literal["ok", "not-modified", "error"]


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
    failure: FetchError | None = None
    """Why the last attempt failed (outcome 'error'): a ``TransientFetchError`` or a
    ``PermanentFetchError`` of ``etl.errors``, which the stages branch on."""
    permanent_redirect: str | None = None
    """Where the URL now lives, when every redirect followed was permanent (301/308)."""

    @property
    def error(self) -> str | None:
        """Why it failed, for a person: "connection refused by 127.0.0.1:8080"."""
        return self.failure.reason if self.failure else None

    @property
    def error_kind(self) -> str | None:
        """Short slug: refused, reset, timeout, dns, tls, connect, too-large, gzip-bomb,
        bad-encoding, redirect-loop, bad-redirect, bad-url, private-address, robots, http-4NN
        (the code: http-404, http-429…), http-5xx, internal."""
        return self.failure.kind if self.failure else None

    @property
    def transient(self) -> bool:
        """The failure may go away: a later attempt (a later night) is worth it."""
        return isinstance(self.failure, TransientError)

    @property
    def gone(self) -> bool:
        """The server answered 410 Gone: stop polling this URL."""
        return self.failure is not None and self.failure.status == 410

    @property
    def retry_after_s(self) -> float | None:
        """Seconds the server asked us to wait (429/503 Retry-After), when it asked."""
        return self.failure.retry_after_s if self.failure else None


@dataclass(frozen=True, slots=True)
class Response:
    """The last hop of one attempt: what the crawler turns into a ``FetchResult``."""

    url: str
    status: int
    headers: httpx.Headers
    body: bytes
    wire_bytes: int
    permanent_redirect: str | None


def result_of_response(
    request: FetchRequest, response: Response, attempts: int, started: float
) -> FetchResult:
    """Return the ok / not-modified result of a request whose last attempt got ``response``."""
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


def result_of_failure(
    request: FetchRequest, failure: FetchError, attempts: int, started: float
) -> FetchResult:
    """Return the error result of a request whose last attempt ended in ``failure``."""
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
        failure=failure,
    )


def _ms_since(started: float) -> int:
    return int((time.monotonic() - started) * 1000)
