"""Read a response body under a size cap, undoing gzip/deflate as it arrives.

The cap applies to the *decompressed* size and is enforced while reading, so a gzip bomb
stops after ``max_bytes`` of output, not after the server is done; a body that expands more
than 50-fold is reported as a bomb rather than as a big feed.
"""

from __future__ import annotations

import zlib

import httpx

from etl.errors import PermanentFetchError
from etl.fetch.failures import format_size


class WireCounter:
    """Bytes received on the wire so far, readable after a failure cut the read short."""

    __slots__ = ("n",)

    def __init__(self) -> None:
        self.n = 0


async def read_capped(
    response: httpx.Response, encoding: str, cap: int, truncate: bool, counter: WireCounter
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
            raise PermanentFetchError("bad-encoding", f"unsupported Content-Encoding {encoding!r}")
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
            raise PermanentFetchError("bad-encoding", f"corrupt {self.encoding} body: {exc}") from exc
        self.first = False
        self.consumed += len(data) - len(self.decoder.unconsumed_tail)
        return out

    def flush(self) -> bytes:
        """Return what the decoder still holds (bounded: fed inputs were fully consumed)."""
        return self.decoder.flush() if self.decoder is not None else b""


def _too_large(cap: int, wire: int, inflater: _Inflater) -> PermanentFetchError:
    # Text and XML compress 5-20 times; a 50-fold expansion is a bomb, not a big feed.
    if inflater.decoder is not None and inflater.consumed * 50 < cap:
        return PermanentFetchError(
            "gzip-bomb",
            f"body exceeded {format_size(cap)} cap after decompressing only "
            f"{format_size(inflater.consumed)} of {inflater.encoding} (a decompression bomb)",
            wire_bytes=wire,
        )  # fmt: skip
    return PermanentFetchError("too-large", f"body exceeded {format_size(cap)} cap", wire_bytes=wire)
