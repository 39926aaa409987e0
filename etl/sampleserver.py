"""Serve the bundled sample feeds and pages on loopback, for the demo and the tests.

A real HTTP server (threaded, 127.0.0.1, any free port). ``{{BASE}}`` in feeds and pages is
replaced by the server's own address, so links resolve back to it. Feeds carry an ETag and
answer ``If-None-Match`` with 304, like a well-behaved news site.
"""

from __future__ import annotations

import hashlib
import sys
import threading
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import yaml

SITE_DIR = Path(__file__).resolve().parent / "samples" / "site"
SAMPLE_BASE = "http://samples.newsetl.test"
"""The one URL the demo's samples live under, whatever port serves them (``.test`` never resolves:
the crawler connects through ``NEWSETL_CONNECT_TO``), so feeds and stories keep their keys."""

# (folder, source name, homepage, language, country, charset served)
SAMPLE_SOURCES = (
    ("ar", "وكالة الشام للأنباء", "ar", "SY", "utf-8"),
    ("ar2", "صحيفة الفرات", "ar", "SY", "windows-1256"),
    ("en", "World Desk", "en", None, "utf-8"),
    ("broken", "Broken Outlet", "en", None, "utf-8"),
)


def _content_type(path: Path, charset: str) -> str:
    if path.name == "robots.txt":
        return "text/plain; charset=utf-8"
    kind = "application/rss+xml" if path.suffix == ".xml" and path.parent.name != "broken" else "text/html"
    return f"{kind}; charset={charset}"


@dataclass
class SampleServer:
    """A running sample server; use as a context manager or call ``stop()``."""

    httpd: ThreadingHTTPServer
    thread: threading.Thread

    @property
    def base_url(self) -> str:
        host, port = self.httpd.server_address[:2]
        return f"http://{host}:{port}"

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    def __enter__(self) -> SampleServer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def connect_to(self) -> str:
        """Return the ``NEWSETL_CONNECT_TO`` value that sends ``SAMPLE_BASE`` to this server."""
        return f"{SAMPLE_BASE.removeprefix('http://')}:80={self.base_url.removeprefix('http://')}"

    def feeds_file(self, path: Path, *, base: str | None = None) -> Path:
        """Write a feeds file (YAML) listing the sample sources under ``base`` (default: this
        server's own address); return its path."""
        base = base or self.base_url
        sources = [
            {"name": name, "homepage": f"{base}/{folder}/", "language": lang,
             **({"country": country} if country else {}), "feeds": [f"{base}/{folder}/feed.xml"]}
            for folder, name, lang, country, _ in SAMPLE_SOURCES
        ]
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(yaml.safe_dump(sources, allow_unicode=True, sort_keys=False), encoding="utf-8")
        return path


def _handler(site: Path) -> type[BaseHTTPRequestHandler]:
    charsets = {folder: charset for folder, *_, charset in SAMPLE_SOURCES}

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - stdlib name
            pass  # the demo prints its own summary; tests read the database

        def do_GET(self) -> None:  # noqa: N802 - stdlib name
            rel = self.path.split("?", 1)[0].lstrip("/")
            if rel == "robots.txt":
                self._send(200, b"User-agent: *\nDisallow: /private/\n", "text/plain; charset=utf-8")
                return
            path = (site / rel).resolve()
            if site not in path.parents or not path.is_file():
                self._send(404, b"<h1>404 Not Found</h1>", "text/html; charset=utf-8")
                return
            charset = charsets.get(path.parent.name, "utf-8")
            host, port = self.server.server_address[:2]
            base = f"http://{self.headers.get('Host') or f'{host}:{port}'}"
            body = path.read_bytes().replace(b"{{BASE}}", base.encode("ascii"))
            etag = f'"{hashlib.sha256(body).hexdigest()[:16]}"'
            if path.suffix == ".xml" and self.headers.get("If-None-Match") == etag:
                self._send(304, b"", None, etag=etag)
                return
            self._send(200, body, _content_type(path, charset), etag=etag)

        def _send(self, status: int, body: bytes, content_type: str | None, etag: str | None = None) -> None:
            self.send_response(status)
            if content_type:
                self.send_header("Content-Type", content_type)
            if etag:
                self.send_header("ETag", etag)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if body:
                self.wfile.write(body)

    return Handler


class _QuietServer(ThreadingHTTPServer):
    """A threading server that does not print a traceback when a client hangs up mid-request."""

    def handle_error(self, request: object, client_address: object) -> None:
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


def serve_samples(host: str = "127.0.0.1", port: int = 0, site: Path = SITE_DIR) -> SampleServer:
    """Start serving ``site`` in a background thread and return the running server."""
    httpd = _QuietServer((host, port), _handler(site))
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, name="newsetl-samples", daemon=True)
    thread.start()
    return SampleServer(httpd=httpd, thread=thread)
