"""Which URLs the crawler accepts and which network addresses it may connect to.

Pure policy, no I/O: the crawler resolves host names itself, asks ``is_blocked`` about every
address (the SSRF guard: private, loopback, link-local, multicast and reserved ranges are
refused, IPv4-mapped IPv6 included) and pins the connection to the address it checked.
"""

from __future__ import annotations

import ipaddress

import httpx

from etl.errors import FetchRefusedError, PermanentFetchError

ALLOW_HINT = ("to allow it: NEWSETL_ALLOW_PRIVATE_NETWORKS=1 for every such address, "
              "or NEWSETL_ALLOWED_NETWORKS=<CIDR,...> for some")
"""Appended to every "blocked" message: the guard is right by default, but say how to lift it."""


def parse_url(raw: str) -> httpx.URL:
    """Return ``raw`` as an absolute http(s) URL; raises ``PermanentFetchError`` (bad-url) otherwise."""
    try:
        url = httpx.URL(raw.strip())
    except (httpx.InvalidURL, TypeError, ValueError) as exc:
        raise PermanentFetchError("bad-url", f"invalid URL {raw!r}: {exc}") from exc
    if not url.scheme:
        raise PermanentFetchError("bad-url", f"not an absolute http(s) URL: {raw!r}")
    if url.scheme not in ("http", "https"):
        raise FetchRefusedError("bad-url", f"unsupported scheme {url.scheme!r}: only http and https")
    return url


def origin_of(url: httpx.URL) -> str:
    """Return scheme://host:port, the unit of politeness and of robots.txt."""
    return f"{url.scheme}://{url.host}:{url.port or (443 if url.scheme == 'https' else 80)}"


def is_blocked(address: ipaddress.IPv4Address | ipaddress.IPv6Address,
               allowed: tuple[str, ...] = ()) -> bool:
    """Return True for addresses a public crawler must never reach (SSRF guard), unless they
    fall in one of the ``allowed`` networks (CIDR strings, from settings)."""
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    if any(address in ipaddress.ip_network(net, strict=False) for net in allowed):
        return False
    return not address.is_global or address.is_multicast or address.is_reserved


def is_ip_literal(host: str) -> bool:
    """Return True when ``host`` is an IP address written out, not a name."""
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


def address_kind(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> str:
    """Return why ``address`` is blocked, for the message: "loopback", "private" ..."""
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    for kind in ("loopback", "link_local", "multicast", "private", "reserved", "unspecified"):
        if getattr(address, f"is_{kind}"):
            return kind.replace("_", "-")
    return "non-public"
