"""Why one attempt failed, in words a person understands, and whether to try again.

Every way a fetch can go wrong (an HTTP status, a network error, a body too large, a bad URL)
ends as one of ``etl.errors``' fetch errors with a short slug and a reason: a
``TransientFetchError`` when another attempt may help, a ``PermanentFetchError`` (or, for a
refusal by policy, ``FetchRefusedError``) when it will not. The crawler retries the first,
turns the last one into a ``FetchResult`` and never raises. Here too: reading Retry-After,
which makes the host's gate hold off.
"""

from __future__ import annotations

import email.utils
import socket
import ssl
from datetime import UTC, datetime

import httpx

from etl.errors import FetchError, PermanentFetchError, TransientFetchError
from etl.fetch.gate import HostGate


def http_failure(
    response: httpx.Response, url: str, gate: HostGate, max_retry_after_s: float
) -> FetchError:
    """Return the failure for a 4xx/5xx answer (5xx, 408 and 429 transient); 429/503 carry Retry-After."""
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
    error = TransientFetchError if status >= 500 or status in (408, 429) else PermanentFetchError
    kind = "http-5xx" if status >= 500 else f"http-{status}"
    return error(kind, reason, status=status, url=url, retry_after_s=retry_after)


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


def dns_failure(exc: socket.gaierror, host: str, *, url: str | None = None) -> FetchError:
    """Return the failure of a name lookup: transient when the resolver cannot answer now
    (EAI_AGAIN: an outage must not give up a night's pages for good), permanent when the name
    does not exist."""
    error = TransientFetchError if exc.errno == socket.EAI_AGAIN else PermanentFetchError
    return error("dns", f"DNS lookup failed for {host}: {exc.strerror}", url=url)


def transport_failure(
    exc: httpx.HTTPError, where: str, timeout: float, received: int, url: str
) -> FetchError:
    """Return a failure a person understands for a network-level httpx error.

    Timeouts, refused and reset connections are transient; so are a resolver that cannot answer
    now (EAI_AGAIN) and a failed TLS handshake or certificate: they are the host's condition, not
    the page's, and a resolver outage or an expired certificate must not give up every page of a
    night for good (the page is tried again on later nights, up to the attempts cap). A name that
    does not exist and an invalid URL are permanent: the next attempt meets the same.
    """
    causes = _causes(exc)
    if isinstance(exc, httpx.ConnectTimeout):
        return TransientFetchError("timeout", f"connect to {where} timed out", url=url)
    if isinstance(exc, httpx.TimeoutException):
        return TransientFetchError(
            "timeout", f"timed out after {timeout:g} s (no data)", url=url, wire_bytes=received
        )
    if isinstance(exc, httpx.ConnectError):
        if any(isinstance(c, ConnectionRefusedError) for c in causes):
            return TransientFetchError("refused", f"connection refused by {where}", url=url)
        if dns := next((c for c in causes if isinstance(c, socket.gaierror)), None):
            return dns_failure(dns, where.rsplit(":", 1)[0], url=url)
        if bad := next((c for c in causes if isinstance(c, ssl.SSLCertVerificationError)), None):
            why = bad.verify_message or bad.reason or str(bad)
            return TransientFetchError("tls", f"TLS certificate of {where} rejected: {why}", url=url)
        if tls := next((c for c in causes if isinstance(c, ssl.SSLError)), None):
            why = tls.reason or str(tls)
            return TransientFetchError("tls", f"TLS handshake with {where} failed: {why}", url=url)
        return TransientFetchError("connect", f"could not connect to {where}: {exc}", url=url)
    if isinstance(exc, httpx.ReadError | httpx.RemoteProtocolError | httpx.WriteError):
        return TransientFetchError(
            "reset", f"connection reset by {where} after {format_size(received)} of body",
            url=url, wire_bytes=received,
        )  # fmt: skip
    if isinstance(exc, httpx.InvalidURL):
        return PermanentFetchError("bad-url", f"invalid URL: {exc}", url=url)
    return TransientFetchError("http-error", f"{type(exc).__name__}: {exc}", url=url)


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


def format_size(n: int) -> str:
    """Return ``n`` bytes for a message: "512 B", "2 KB", "1.5 MB"."""
    for unit, scale in (("MB", 1024 * 1024), ("KB", 1024)):
        if n >= scale:
            return f"{n / scale:g} {unit}" if n % scale == 0 else f"{n / scale:.1f} {unit}"
    return f"{n} B"
