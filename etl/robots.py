"""robots.txt rules for one host, decided from how the robots.txt fetch went (RFC 9309).

Pure: ``etl.fetch`` downloads ``/robots.txt`` once per host per run and hands the outcome here.

- 2xx: the rules in the file apply (an empty or non-robots file allows everything).
- 4xx (401/403/404/410...): no rules are published, everything is allowed (RFC 9309 §2.3.1.3).
- 5xx, timeouts, resets, DNS failures: the site is treated as fully disallowed for this run
  (RFC 9309 §2.3.1.4 "unreachable"): a struggling site is the last one to crawl harder, and the
  page is retried on a later night (``FetchSettings.max_page_attempts``).

Known gap: ``urllib.robotparser`` matches path prefixes only; ``*`` and ``$`` wildcards inside
paths (a Google extension RFC 9309 adopted) are not understood, so such rules match nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import urlsplit, urlunsplit
from urllib.robotparser import RobotFileParser


@dataclass(frozen=True, slots=True)
class RobotsRules:
    """What one host's robots.txt lets the crawler fetch."""

    parser: RobotFileParser | None
    """Parsed rules; None when everything is allowed or everything is refused."""
    refuse_all: str | None = None
    """Why every page of the host is refused (robots.txt unreachable); None otherwise."""
    crawl_delays: dict[str, float] = field(default_factory=dict)
    """Crawl-delay per user-agent token (lower case, '*' for all)."""

    def is_allowed(self, url: str, user_agent: str) -> bool:
        """Return True when ``url`` may be fetched by ``user_agent``."""
        if self.refuse_all is not None:
            return False
        if self.parser is None:
            return True
        return self.parser.can_fetch(user_agent, url)

    def crawl_delay(self, user_agent: str) -> float | None:
        """Return the Crawl-delay asked of ``user_agent`` in seconds, if any."""
        token = user_agent.split("/")[0].strip().lower()
        specific = [d for agent, d in self.crawl_delays.items() if agent != "*" and agent in token]
        if specific:
            return max(specific)
        return self.crawl_delays.get("*")


ALLOW_ALL = RobotsRules(parser=None)


def robots_url(url: str) -> str:
    """Return the robots.txt URL that governs ``url`` (same scheme, host and port)."""
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, "/robots.txt", "", ""))


def rules_from_fetch(status: int | None, body: bytes, failure: str | None) -> RobotsRules:
    """Return the rules for a host from its robots.txt fetch (status, body, or failure reason)."""
    if status is not None and 200 <= status < 300:
        parser = RobotFileParser()
        # robots.txt is UTF-8 by RFC 9309; a stray byte must not void the whole file
        lines = body.decode("utf-8", errors="replace").splitlines()
        parser.parse(lines)
        return RobotsRules(parser=parser, crawl_delays=_crawl_delays(lines))
    if status is not None and 400 <= status < 500:
        return ALLOW_ALL
    why = failure or (f"HTTP {status}" if status is not None else "no answer")
    return RobotsRules(
        parser=None, refuse_all=f"robots.txt unavailable ({why}): not fetching pages"
    )


def _crawl_delays(lines: list[str]) -> dict[str, float]:
    """Return Crawl-delay per user-agent group; urllib.robotparser only reads whole seconds."""
    delays: dict[str, float] = {}
    agents: list[str] = []
    in_rules = False
    for raw in lines:
        key, _, value = raw.split("#", 1)[0].partition(":")
        key, value = key.strip().lower(), value.strip()
        if key == "user-agent":
            if in_rules:  # a user-agent line after rules starts a new group
                agents, in_rules = [], False
            agents.append(value.lower())
        elif key == "crawl-delay":
            in_rules = True
            try:
                delay = float(value)
            except ValueError:
                continue
            for agent in agents:
                delays[agent] = delay
        elif key in ("allow", "disallow"):
            in_rules = True
    return delays
