"""The morning report as one self-contained HTML page: pure rendering of a ``ReportData``.

Self-contained means an editor can open the file from a mail attachment on a train: inline CSS,
charts drawn here as inline SVG, no script, no font or image fetched. Every string from the
database goes through ``html.escape`` (titles and claims are whatever outlets published), and
text cells carry ``dir="auto"`` so Arabic reads right-to-left inside the English page.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, timedelta
from html import escape

from etl.models import EntityCount, FailingFeed, PartyFigures, ReportClaim, ReportData, SourceNight

BAR_COLOUR = "#2b6cb0"
"""Fill of single-series bars (nights, entities); the browser test looks for it in the screenshot."""
PARTY_COLOURS = ("#2b6cb0", "#c05621", "#2f855a", "#6b46c1", "#b7791f", "#c53030")
WINDOW_NIGHTS = 7
CSS = """
body { font-family: "DejaVu Sans", "Noto Sans Arabic", Arial, sans-serif; margin: 24px auto; max-width: 1000px; color: #1a202c; padding: 0 16px; }
h1 { font-size: 24px; margin-bottom: 4px; } h2 { font-size: 18px; margin-top: 32px;
  border-bottom: 1px solid #cbd5e0; padding-bottom: 4px; } h3 { font-size: 15px; margin-bottom: 4px; }
.meta { color: #4a5568; font-size: 13px; } .empty { color: #718096; font-style: italic; }
.facts { display: flex; gap: 12px; flex-wrap: wrap; margin: 16px 0; padding: 0; list-style: none; }
.facts li { background: #edf2f7; border-radius: 6px; padding: 8px 12px; font-size: 13px; }
.facts b { display: block; font-size: 20px; }
table { border-collapse: collapse; width: 100%; font-size: 13px; margin-top: 8px; }
th, td { border-bottom: 1px solid #e2e8f0; padding: 4px 6px; text-align: start; vertical-align: top; }
th { background: #f7fafc; } .deny { color: #c53030; font-weight: bold; }
svg.chart { display: block; margin-top: 8px; } svg text { font-family: inherit; }
"""


def render_report(data: ReportData, *, generated_at: datetime) -> str:
    """Return the morning report of ``data.night`` as a complete HTML document."""
    title = f"newsetl morning report — {data.night.isoformat()}"
    sections = [
        _header(data, title, generated_at),
        _section("Articles per source per night", _per_source(data.per_source, data.night)),
        _section("Top entities", _entities(data.entities)),
        _section("Numbers claimed, side by side per event", _figures(data.figures)),
        _section("New claims with their speakers", _claims(data.claims, data.claims_total)),
        _section("Failing feeds", _failing(data.failing_feeds)),
    ]
    return ("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
            f"<title>{escape(title)}</title>\n<style>{CSS}</style>\n</head>\n<body>\n"
            + "\n".join(sections) + "\n</body>\n</html>\n")


def _header(data: ReportData, title: str, generated_at: datetime) -> str:
    s = data.summary
    facts = [("articles", s.articles), ("stories", s.stories), ("claims", s.claims),
             ("feeds fetched", s.feeds_fetched), ("feeds failed", s.feeds_failed)]
    items = "".join(f"<li><b>{n}</b>{escape(label)}</li>" for label, n in facts)
    return (f"<h1>{escape(title)}</h1>\n<p class=\"meta\">Run {escape(data.run_id)}: "
            f"{escape(s.run_status or 'no run recorded')}. Rendered {generated_at:%Y-%m-%d %H:%M} UTC "
            f"by {escape(s.code_version or 'newsetl')}. A story counts a wire copy carried by several "
            f"outlets once.</p>\n<ul class=\"facts\">{items}</ul>")


def _section(heading: str, body: str) -> str:
    return f"<section>\n<h2>{escape(heading)}</h2>\n{body}\n</section>"


def _empty(text: str) -> str:
    return f"<p class=\"empty\">{escape(text)}</p>"


def _short(text: str, limit: int = 36) -> str:
    """Return ``text`` cut to ``limit`` characters for a chart label (the tooltip has it whole)."""
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _count(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def _number(value: float) -> str:
    return f"{value:,.0f}" if value == int(value) else f"{value:,.2f}"


def _text(x: float, y: float, content: str, *, anchor: str = "start", size: int = 12,
          colour: str = "#1a202c") -> str:
    return (f"<text x=\"{x:.1f}\" y=\"{y:.1f}\" text-anchor=\"{anchor}\" font-size=\"{size}\" "
            f"fill=\"{colour}\">{escape(content)}</text>")


def _bar(x: float, y: float, width: float, height: float, colour: str, tip: str) -> str:
    return (f"<rect class=\"bar\" x=\"{x:.1f}\" y=\"{y:.1f}\" width=\"{width:.1f}\" height=\"{height:.1f}\" "
            f"fill=\"{colour}\"><title>{escape(tip)}</title></rect>")


def _svg(width: float, height: float, label: str, parts: list[str]) -> str:
    return (f"<svg class=\"chart\" xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" width=\"{width:.0f}\" "
            f"height=\"{height:.0f}\" viewBox=\"0 0 {width:.0f} {height:.0f}\" aria-label=\"{escape(label)}\">"
            + "".join(parts) + "</svg>")


def _per_source(rows: tuple[SourceNight, ...], night: date) -> str:
    """Small multiples: a row per source, a column per night, bar height = articles that night."""
    if not rows:
        return _empty("No articles were loaded in the last seven nights.")
    nights = [night - timedelta(days=i) for i in range(WINDOW_NIGHTS - 1, -1, -1)]
    counts: dict[str, dict[date, SourceNight]] = defaultdict(dict)
    for r in rows:
        counts[r.source][r.night] = r
    sources = sorted(counts, key=lambda s: (-sum(r.articles for r in counts[s].values()), s))
    top = max(r.articles for r in rows)
    label_w, cell_w, row_h, bar_h = 220, 100, 40, 26
    parts = [_text(label_w + i * cell_w + cell_w / 2, 14, f"{d:%a %d %b}", anchor="middle", size=11,
                   colour="#4a5568") for i, d in enumerate(nights)]
    for j, source in enumerate(sources):
        base = 24 + (j + 1) * row_h
        parts.append(_text(label_w - 8, base - 6, _short(source, 30), anchor="end"))
        for i, d in enumerate(nights):
            x = label_w + i * cell_w + 18
            parts.append(f"<line x1=\"{x:.1f}\" y1=\"{base:.1f}\" x2=\"{x + cell_w - 36:.1f}\" y2=\"{base:.1f}\" "
                         "stroke=\"#a0aec0\"/>")
            r = counts[source].get(d)
            if r:
                h = max(2.0, bar_h * r.articles / top)
                parts.append(_bar(x, base - h, cell_w - 36, h, BAR_COLOUR,
                                  f"{source}, {d}: {r.articles} articles, {r.stories} stories"))
                parts.append(_text(x + cell_w - 32, base - 2, str(r.articles), size=11))
    legend = (f"<p class=\"meta\">Nights {nights[0]} to {night}, by the run that first loaded each article "
              "(not its publication date); bar height = articles, the figure beside it.</p>")
    return legend + _svg(label_w + WINDOW_NIGHTS * cell_w, 32 + (len(sources) + 0.5) * row_h,
                         "Articles per source per night", parts)


def _entities(rows: tuple[EntityCount, ...]) -> str:
    """Horizontal bars: one per entity, length = stories of the night mentioning it."""
    if not rows:
        return _empty("No entities were found in the night's articles.")
    label_w, bar_w, row_h = 300, 400, 24
    top = max(r.stories for r in rows)
    parts = []
    for j, r in enumerate(rows):
        y = 6 + j * row_h
        w = max(2.0, bar_w * r.stories / top)
        parts.append(_text(label_w - 8, y + 15, f"{_short(r.name, 32)} ({r.type})", anchor="end"))
        parts.append(_bar(label_w, y + 2, w, row_h - 6, BAR_COLOUR, f"{r.name}: {r.stories} stories"))
        counts = f"{_count(r.stories, 'story', 'stories')} · {_count(r.mentions, 'mention', 'mentions')}"
        parts.append(_text(label_w + w + 6, y + 15, counts, size=11, colour="#4a5568"))
    return _svg(label_w + bar_w + 160, 12 + len(rows) * row_h, "Top entities", parts)


def _figures(rows: tuple[PartyFigures, ...]) -> str:
    """Per event: a chart of each party's figure per category, then the figures as worded."""
    if not rows:
        return _empty("No figures were claimed about the night's events.")
    events: dict[int, list[PartyFigures]] = defaultdict(list)
    for r in rows:
        events[r.cluster_id].append(r)
    return "\n".join(_event(parties) for parties in events.values())


def _event(parties: list[PartyFigures]) -> str:
    title = parties[0].event_title or f"event {parties[0].cluster_id}"
    table = "".join(
        f"<tr><td dir=\"auto\">{escape(p.party)}</td><td dir=\"auto\">{escape(p.figures_as_claimed)}</td>"
        f"<td dir=\"auto\">{escape(p.outlets)}</td><td>{p.stories}</td></tr>" for p in parties)
    return (f"<h3 dir=\"auto\">{escape(title)}</h3>\n{_event_chart(parties)}\n<table><tr><th>party</th>"
            f"<th>figures as claimed</th><th>outlets</th><th>stories</th></tr>{table}</table>")


def _event_chart(parties: list[PartyFigures]) -> str:
    """Grouped horizontal bars: a group per category, a bar per party that gave a number."""
    categories = [c for c in dict.fromkeys(c for p in parties for c, _ in p.figures)]
    if not categories:
        return _empty("Only vague figures (no number to compare): see the words below.")
    colour = {p.party: PARTY_COLOURS[i % len(PARTY_COLOURS)] for i, p in enumerate(parties)}
    label_w, bar_w, bar_h = 120, 440, 18
    parts, y = [], 4.0
    for category in categories:
        given = [(p, v) for p in parties for c, v in p.figures if c == category]
        top = max(v for _, v in given) or 1.0
        parts.append(_text(label_w - 8, y + 14, category, anchor="end"))
        for p, v in given:
            w = max(2.0, bar_w * v / top)
            parts.append(_bar(label_w, y, w, bar_h, colour[p.party], f"{p.party}: {_number(v)} {category}"))
            parts.append(_text(label_w + w + 6, y + 13, f"{_number(v)} — {_short(p.party, 40)}", size=11))
            y += bar_h + 4
        y += 10
    note = "<p class=\"meta\">Bars compare the parties within a category; each category has its own scale.</p>"
    return note + _svg(label_w + bar_w + 260, y, "Figures claimed per party", parts)


def _claims(rows: tuple[ReportClaim, ...], total: int) -> str:
    if not rows:
        return _empty("No claims were found in the night's articles.")
    body = "".join(_claim_row(c) for c in rows)
    note = (f"<p class=\"meta\">{len(rows)} of {total} statements (each once per story): those several outlets "
            "carried first, then those with numbers. All of them: view claims_with_speakers.</p>")
    return (note + "<table><tr><th>speaker</th><th>cue</th><th>claim</th><th>numbers</th><th>outlets</th></tr>"
            + body + "</table>")


def _claim_row(c: ReportClaim) -> str:
    deny = c.polarity == "deny"
    content = ('<td dir="auto" class="deny">denies: ' if deny else '<td dir="auto">') + escape(c.content) + "</td>"
    return (f'<tr><td dir="auto">{escape(c.speaker or "—")}<br><span class="meta">{escape(c.speaker_label or "")}'
            f'</span></td><td dir="auto">{escape(c.cue)}</td>{content}<td dir="auto">{escape(c.numbers or "")}</td>'
            f'<td dir="auto">{escape(c.outlets)}</td></tr>')


def _failing(rows: tuple[FailingFeed, ...]) -> str:
    if not rows:
        return _empty("Every feed answered this night.")
    body = "".join(
        f"<tr><td dir=\"auto\">{escape(f.source)}</td><td>{escape(f.url)}</td>"
        f"<td>{escape(f.error_kind or str(f.status_code or ''))}</td><td>{escape(f.error or '')}</td>"
        f"<td>{f.consecutive_failures}</td>"
        f"<td>{f.last_success_at.strftime('%Y-%m-%d %H:%M') if f.last_success_at else 'never'}</td></tr>"
        for f in rows)
    return ("<table><tr><th>source</th><th>feed</th><th>error</th><th>reason</th><th>nights failing</th>"
            "<th>last success</th></tr>" + body + "</table>")
