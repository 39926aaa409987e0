"""Headless Chromium for tests: what a page's charts measure once laid out, and its screenshot's pixels.

Debian's ``chromium`` package; ``.ci/run`` installs it. A missing browser fails the test that
needs it (it is never skipped): a report whose charts nobody saw drawn is not tested.
"""

from __future__ import annotations

import json
import shutil
import struct
import subprocess
import zlib
from collections import Counter
from html import unescape
from pathlib import Path

FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run", "--hide-scrollbars")

# Appended to a copy of the page under test (the report itself has no script): measures every chart
# as the browser laid it out and leaves the numbers in the DOM that --dump-dom prints.
GEOMETRY_PROBE = """<script>
const charts = [...document.querySelectorAll('svg.chart')].map(svg => {
  const box = svg.getBoundingClientRect();
  const bars = [...svg.querySelectorAll('rect.bar')].map(r => {
    const b = r.getBoundingClientRect(); return {w: b.width, h: b.height, tip: r.textContent}; });
  const texts = [...svg.querySelectorAll('text')].filter(t => t.getComputedTextLength() > 0).length;
  return {label: svg.getAttribute('aria-label'), width: box.width, height: box.height, bars, texts};
});
const out = document.createElement('pre'); out.id = 'geometry'; out.textContent = JSON.stringify(charts);
document.body.appendChild(out);
</script>"""


def chromium_binary() -> str:
    """Return the Chromium executable; fail (not skip) when it is not installed."""
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    assert found, "headless Chromium is required: apt-get install -y chromium (.ci/run installs it)"
    return found


def _run(args: list[str], profile: Path) -> subprocess.CompletedProcess[str]:
    profile.mkdir(parents=True, exist_ok=True)
    result = subprocess.run([chromium_binary(), *FLAGS, f"--user-data-dir={profile}", *args],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr[-2000:]
    return result


def chart_geometry(html: str, work: Path) -> list[dict]:
    """Return, per ``svg.chart`` of ``html``, its laid-out size, its bars' sizes and drawn text count."""
    page = work / "probe.html"
    page.write_text(html.replace("</body>", GEOMETRY_PROBE + "</body>"), encoding="utf-8")
    dom = _run(["--dump-dom", page.as_uri()], work / "profile-dom").stdout
    start = dom.index('<pre id="geometry">') + len('<pre id="geometry">')
    return json.loads(unescape(dom[start:dom.index("</pre>", start)]))


def screenshot(html_file: Path, png: Path, *, size: tuple[int, int] = (1000, 1000)) -> bytes:
    """Return the PNG Chromium makes of ``html_file`` in a window of ``size``."""
    _run([f"--window-size={size[0]},{size[1]}", f"--screenshot={png}", html_file.as_uri()], png.parent / "profile-png")
    return png.read_bytes()


def png_colours(data: bytes) -> Counter[tuple[int, int, int]]:
    """Return how many pixels of each RGB colour an 8-bit, non-interlaced RGB(A) PNG has."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    pos, idat = 8, bytearray()
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            width, height, depth, colour_type, _, _, interlace = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    assert depth == 8 and colour_type in (2, 6) and interlace == 0, (depth, colour_type, interlace)
    bpp = 3 if colour_type == 2 else 4
    raw, stride = zlib.decompress(bytes(idat)), width * bpp
    colours: Counter[tuple[int, int, int]] = Counter()
    prev = bytearray(stride)
    for y in range(height):
        line = _unfilter(raw[y * (stride + 1)], bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)]), prev, bpp)
        colours.update(zip(line[0::bpp], line[1::bpp], line[2::bpp], strict=True))
        prev = line
    return colours


def _unfilter(kind: int, line: bytearray, prev: bytearray, bpp: int) -> bytearray:
    """Undo one scanline's PNG filter (None, Sub, Up, Average, Paeth)."""
    if kind == 0:
        return line
    if kind == 2:
        return bytearray((a + b) & 255 for a, b in zip(line, prev, strict=True))
    for i in range(len(line)):
        left = line[i - bpp] if i >= bpp else 0
        up, corner = prev[i], (prev[i - bpp] if i >= bpp else 0)
        if kind == 1:
            line[i] = (line[i] + left) & 255
        elif kind == 3:
            line[i] = (line[i] + (left + up) // 2) & 255
        else:
            p = left + up - corner
            pa, pb, pc = abs(p - left), abs(p - up), abs(p - corner)
            line[i] = (line[i] + (left if pa <= pb and pa <= pc else up if pb <= pc else corner)) & 255
    return line
