"""A real HTTP server on 127.0.0.1 for tests: routes registered per test, every request logged.

    with LocalServer() as server:
        server.add("/feed.xml", body=rss_bytes, headers={"Content-Type": "application/rss+xml"})
        server.add("/slow", handler=trickle(b"<", every_s=0.05))
        server.redirect("/old", "/feed.xml", status=301)
        fetch_all([FetchRequest(server.url("/feed.xml"), "feed")], settings=...)
        assert server.requests[0].headers["user-agent"].startswith("newsetl")

A handler is any callable ``handler(exchange)``; ``Exchange`` can answer in one go
(``respond``), or write the status line, headers and body bytes piece by piece
(``send_head``, ``write``) and then ``reset()`` the TCP connection. Handlers that never end
(``trickle``) stop when the server closes or the client hangs up.
"""

from __future__ import annotations

import datetime
import gzip as gzip_module
import http.server
import ipaddress
import socket
import ssl
import struct
import sys
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from http import HTTPStatus
from pathlib import Path
from urllib.parse import urlsplit

Handler = Callable[["Exchange"], None]


@dataclass(frozen=True, slots=True)
class RecordedRequest:
    """One request the server received: method, path (with query), headers (lower-case keys)."""

    method: str
    path: str
    headers: dict[str, str]
    at: float
    client: tuple[str, int]


@dataclass(slots=True)
class Exchange:
    """One request being answered; the handler's way to write bytes back."""

    request: RecordedRequest
    stopping: threading.Event
    _handler: http.server.BaseHTTPRequestHandler = field(repr=False)

    def respond(
        self, status: int = 200, body: bytes = b"", headers: Mapping[str, str] | None = None
    ) -> None:
        """Send a complete response with a Content-Length."""
        head = {"Content-Length": str(len(body)), **(headers or {})}
        self.send_head(status, head)
        if self.request.method != "HEAD":
            self.write(body)

    def send_head(self, status: int, headers: Mapping[str, str] | None = None) -> None:
        """Send the status line and headers; the body follows with ``write``."""
        h = self._handler
        try:
            reason = HTTPStatus(status).phrase
        except ValueError:
            reason = "Unknown"
        h.wfile.write(f"HTTP/1.1 {status} {reason}\r\n".encode("latin-1"))
        merged = {"Server": "newsetl-test", **(headers or {})}
        if "Content-Length" not in merged:
            merged["Connection"] = "close"  # body ends when we close
            h.close_connection = True
        for name, value in merged.items():
            h.wfile.write(f"{name}: {value}\r\n".encode("latin-1"))
        h.wfile.write(b"\r\n")
        h.wfile.flush()

    def write(self, data: bytes) -> None:
        """Send body bytes now (no buffering)."""
        self._handler.wfile.write(data)
        self._handler.wfile.flush()

    def reset(self) -> None:
        """Abort the connection with a TCP RST (SO_LINGER 0), as a crashing server does."""
        sock = self._handler.connection
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        self._handler.close_connection = True
        sock.close()


def trickle(chunk: bytes = b" ", *, every_s: float = 0.05, head: bytes = b"") -> Handler:
    """Return a handler that answers 200 and then sends ``chunk`` every ``every_s`` forever."""

    def handler(ex: Exchange) -> None:
        ex.send_head(200, {"Content-Type": "application/rss+xml"})
        ex.write(head)
        while not ex.stopping.wait(every_s):
            ex.write(chunk)

    return handler


def reset_after(body: bytes, *, declared_length: int | None = None) -> Handler:
    """Return a handler that sends part of a body, then resets the connection."""

    def handler(ex: Exchange) -> None:
        length = declared_length if declared_length is not None else len(body) * 2
        ex.send_head(200, {"Content-Type": "application/rss+xml", "Content-Length": str(length)})
        ex.write(body)
        time.sleep(0.05)  # let the client read the bytes before the RST
        ex.reset()

    return handler


def gzipped(body: bytes) -> bytes:
    """Return ``body`` gzip-compressed (for ``Content-Encoding: gzip`` routes)."""
    return gzip_module.compress(body, compresslevel=9)


class _RequestHandler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _Server

    def _dispatch(self) -> None:
        recorded = RecordedRequest(
            method=self.command,
            path=self.path,
            headers={k.lower(): v for k, v in self.headers.items()},
            at=time.monotonic(),
            client=self.client_address[:2],
        )
        owner = self.server.owner
        owner._record(recorded)
        handler = owner._route(urlsplit(self.path).path)
        ex = Exchange(recorded, owner._stopping, self)
        if handler is None:
            ex.respond(404, b"not found", {"Content-Type": "text/plain"})
            return
        try:
            handler(ex)
        except (BrokenPipeError, ConnectionResetError, OSError):
            self.close_connection = True  # the client went away: fine for a test server

    do_GET = do_HEAD = do_POST = _dispatch  # noqa: N815

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass  # keep pytest output clean; ``LocalServer.requests`` is the log


class _Server(http.server.ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 128
    owner: LocalServer
    tls: ssl.SSLContext | None = None

    def handle_error(self, request: object, client_address: object) -> None:
        """Stay quiet when a client hangs up (the fetcher aborting a trickle or a bomb is the test);
        print anything else, as socketserver does."""
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)

    def get_request(self) -> tuple[socket.socket, object]:
        sock, address = super().get_request()
        if self.tls is not None:  # a failed handshake raises OSError: socketserver drops it
            sock = self.tls.wrap_socket(sock, server_side=True)
        return sock, address


class LocalServer:
    """A threaded HTTP/1.1 server on an ephemeral port of ``host`` (127.0.0.1 by default)."""

    def __init__(self, host: str = "127.0.0.1", *, tls: Certificates | None = None) -> None:
        self.host = host
        self.tls = tls
        self._routes: dict[str, Handler] = {}
        self._lock = threading.Lock()
        self._requests: list[RecordedRequest] = []
        self._stopping = threading.Event()
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None

    def __enter__(self) -> LocalServer:
        self._server = _Server((self.host, 0), _RequestHandler)
        self._server.owner = self
        if self.tls is not None:
            context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
            context.load_cert_chain(self.tls.cert_file, self.tls.key_file)
            self._server.tls = context
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Stop serving and release the port; endless handlers end too."""
        self._stopping.set()
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    @property
    def port(self) -> int:
        """Return the port the server listens on."""
        assert self._server is not None, "use LocalServer as a context manager"
        return self._server.server_address[1]

    @property
    def origin(self) -> str:
        """Return ``http://host:port`` (``https://`` when serving TLS)."""
        scheme = "https" if self.tls is not None else "http"
        return f"{scheme}://{self.host}:{self.port}"

    def url(self, path: str) -> str:
        """Return the absolute URL of ``path`` on this server."""
        return self.origin + (path if path.startswith("/") else "/" + path)

    @property
    def requests(self) -> list[RecordedRequest]:
        """Return a copy of the requests received so far, in arrival order."""
        with self._lock:
            return list(self._requests)

    def requests_to(self, path: str) -> list[RecordedRequest]:
        """Return the requests received for ``path`` (query string ignored)."""
        return [r for r in self.requests if urlsplit(r.path).path == path]

    def add(
        self,
        path: str,
        body: bytes | str = b"",
        *,
        status: int = 200,
        headers: Mapping[str, str] | None = None,
        content_type: str | None = None,
        handler: Handler | None = None,
        delay_s: float = 0.0,
    ) -> None:
        """Serve ``path``: a fixed response, or ``handler(exchange)`` when given."""
        if handler is None:
            payload = body.encode("utf-8") if isinstance(body, str) else body
            head = dict(headers or {})
            if content_type:
                head["Content-Type"] = content_type

            def fixed(ex: Exchange) -> None:
                if delay_s:
                    time.sleep(delay_s)
                ex.respond(status, payload, head)

            handler = fixed

        with self._lock:
            self._routes[path] = handler

    def redirect(self, path: str, to: str, *, status: int = 302) -> None:
        """Serve ``path`` as a redirect to ``to`` (relative or absolute)."""
        self.add(path, status=status, headers={"Location": to})

    def _route(self, path: str) -> Handler | None:
        with self._lock:
            return self._routes.get(path)

    def _record(self, request: RecordedRequest) -> None:
        with self._lock:
            self._requests.append(request)


@dataclass(frozen=True, slots=True)
class Certificates:
    """A throwaway CA and a server certificate it signed, as PEM files."""

    ca_file: str
    cert_file: str
    key_file: str


def make_certificates(directory: Path, names: list[str]) -> Certificates:
    """Return a new CA and a certificate for ``names`` (DNS names or IP addresses)."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    now = datetime.datetime.now(datetime.UTC)
    ca_key, key = ec.generate_private_key(ec.SECP256R1()), ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "newsetl test CA")])
    ca = (
        x509.CertificateBuilder().subject_name(ca_name).issuer_name(ca_name)
        .public_key(ca_key.public_key()).serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(hours=1))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(ca_key, hashes.SHA256())
    )  # fmt: skip
    alt_names: list[x509.GeneralName] = []
    for name in names:
        try:
            alt_names.append(x509.IPAddress(ipaddress.ip_address(name)))
        except ValueError:
            alt_names.append(x509.DNSName(name))
    cert = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, names[0])]))
        .issuer_name(ca_name).public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(hours=1))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName(alt_names), critical=False)
        .sign(ca_key, hashes.SHA256())
    )  # fmt: skip
    pem = serialization.Encoding.PEM
    files = Certificates(
        ca_file=str(directory / "ca.pem"),
        cert_file=str(directory / "server.pem"),
        key_file=str(directory / "server.key"),
    )
    Path(files.ca_file).write_bytes(ca.public_bytes(pem))
    Path(files.cert_file).write_bytes(cert.public_bytes(pem))
    Path(files.key_file).write_bytes(
        key.private_bytes(pem, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    return files
