"""Exceptions that say what to do next.

``TransientError``: worth retrying (timeouts, 5xx, lost connections) — raise it and let
Airflow or the fetcher retry. ``PermanentError``: retrying will not help (not a feed,
undecodable, too large, refused by policy) — record it with the stage, URL and reason,
skip the item, and let the run go on.
"""

from __future__ import annotations


class EtlError(Exception):
    """Base of every newsetl error; carries where it happened."""

    def __init__(self, reason: str, *, url: str | None = None, feed_id: int | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.url = url
        self.feed_id = feed_id

    def __str__(self) -> str:
        where = f" ({self.url})" if self.url else ""
        return f"{self.reason}{where}"


class TransientError(EtlError):
    """A failure that may succeed on retry: raise it, the caller retries."""


class StageFailedError(TransientError):
    """Too many of a stage's items failed (error rate over the threshold): likely an outage; Airflow retries."""


class PartitionHeldError(TransientError):
    """Another live worker holds this partition of a mapped stage: retry later (it will be done, or free)."""


class PermanentError(EtlError):
    """A failure retrying will not fix: record it, skip the item, go on."""


class ConfigError(PermanentError):
    """The configuration (feeds file, environment) is wrong; fix it and rerun."""


class SchemaOutdatedError(ConfigError):
    """The news database is not migrated to this code's head: run ``newsetl db upgrade``, then rerun."""


class LeaseHeldError(PermanentError):
    """Another live run holds this night's lease: this one exits at once (retrying would double the load)."""


class NotAFeedError(PermanentError):
    """The document fetched as a feed is not RSS/Atom (HTML, JSON, empty)."""


class FetchError(EtlError):
    """One fetch attempt failed: what the crawler retries or reports, with the HTTP details.

    Never raised as itself: a fetch failure is a ``TransientFetchError`` (the crawler retries
    it, a later night tries the page again) or a ``PermanentFetchError`` (reported at once,
    the page is given up). ``kind`` is the short slug stored with the fetch (``http-404``,
    ``timeout``, ``robots``…).
    """

    def __init__(self, kind: str, reason: str, *, url: str | None = None, status: int | None = None,
                 retry_after_s: float | None = None, wire_bytes: int = 0) -> None:
        super().__init__(reason, url=url)
        self.kind, self.status = kind, status
        self.retry_after_s, self.wire_bytes = retry_after_s, wire_bytes


class TransientFetchError(FetchError, TransientError):
    """A fetch that may succeed on retry: timeout, lost connection, 5xx, 408, 429."""


class PermanentFetchError(FetchError, PermanentError):
    """A fetch retrying will not fix: 404, 410, a body over the cap, a bad URL, a TLS certificate."""


class FetchRefusedError(PermanentFetchError):
    """The fetcher refused a URL by policy (private address, robots.txt, scheme)."""


class DataQualityError(EtlError):
    """The night's rows fail a quality check (e.g. offsets that miss their text): a code bug to fix."""
