"""Per-host politeness: how many requests may be in flight to one host and how far apart.

A host is scheme://host:port. The gate measures the gap between request *starts* (when the
headers leave, not when a request queued), and the crawler widens it for robots.txt
Crawl-delay and Retry-After.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import AsyncIterator


class HostGate:
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
