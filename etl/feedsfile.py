"""Read the feeds file: the complete list of sources a night fetches, as YAML or OPML.

Every refusal is a ``ConfigError`` of one line naming the file and the line, as a compiler does
(``feeds.yaml:4: source #2 (BBC): unknown keys ['feed']``): YAML lines come from the node marks of
``yaml.compose``, OPML lines from lxml's ``sourceline``. The night reads the file before it starts
and treats it as complete, so a file that parsed to nothing (``[]``, ``sources: []``, an OPML
without an ``xmlUrl``) is refused too: it would otherwise deactivate every feed.

YAML, a list of sources or ``sources:`` with one::

    - name: SANA
      homepage: https://sana.example/
      language: ar
      country: SY
      feeds: [https://sana.example/ar/politics/feed]

OPML: feeds grouped under a parent outline with its own ``htmlUrl`` are one publisher; a parent
without one is a folder, and each feed in it is a source of its own.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import lxml.etree
import yaml

from etl.clean import normalise_language_tag
from etl.errors import ConfigError
from etl.models import Source

SOURCE_KEYS = frozenset({"name", "homepage", "language", "country", "feeds"})
_NOTHING = "lists no feeds; refusing it (nothing was changed, no feed deactivated)"


def read_feeds_file(path: Path) -> list[Source]:
    """Return the sources listed in a YAML feeds file, or in an OPML file (.opml/.xml)."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ConfigError(f"cannot read feeds file {path}: {exc.strerror or exc}") from exc
    if path.suffix.lower() in (".opml", ".xml"):
        return read_opml(raw, where=str(path))
    return read_yaml_sources(raw, where=str(path))


# --- YAML ------------------------------------------------------------------------------------

def read_yaml_sources(raw: bytes, *, where: str = "feeds file") -> list[Source]:
    """Return the sources of a YAML feeds file's bytes; ``where`` names it in errors."""
    node = _compose(raw, where)
    if node is None:
        raise ConfigError(f"{where}:1: {_NOTHING}")
    if isinstance(node, yaml.MappingNode):
        node = _sources_node(node, where)
    if not isinstance(node, yaml.SequenceNode):
        raise ConfigError(f"{_at(where, node)}: expected a list of sources (or 'sources:' with a list)")
    if not node.value:
        raise ConfigError(f"{_at(where, node)}: {_NOTHING}")
    sources = [(_source(entry, i, where), entry) for i, entry in enumerate(node.value, start=1)]
    _check_unique(sources, where)
    return [source for source, _ in sources]


def _compose(raw: bytes, where: str) -> yaml.Node | None:
    """Return the YAML node tree of ``raw`` (scalars resolved to their tags), refusing bad text in one line."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[:exc.start].count(b"\n") + 1
        raise ConfigError(f"{where}:{line}: not UTF-8 text") from exc
    try:
        return yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else 1
        raise ConfigError(f"{where}:{line}: not valid YAML: {exc.problem or exc.context}") from exc
    except yaml.YAMLError as exc:
        raise ConfigError(f"{where}: not valid YAML: {' '.join(str(exc).split())}") from exc


def _sources_node(node: yaml.MappingNode, where: str) -> yaml.Node | None:
    """Return the value of the top-level ``sources:`` key; any other key is refused at its line."""
    found: yaml.Node | None = None
    for key, value in node.value:
        if key.value != "sources":
            raise ConfigError(f"{_at(where, key)}: unknown top-level key {key.value!r}; only 'sources' is allowed")
        found = value
    if found is None:
        raise ConfigError(f"{_at(where, node)}: {_NOTHING}")
    return found


def _source(entry: yaml.Node, index: int, where: str) -> Source:
    """Return the ``Source`` of one list entry, or refuse it at the line of what is wrong."""
    label = f"source #{index}"
    if not isinstance(entry, yaml.MappingNode):
        raise ConfigError(f"{_at(where, entry)}: {label}: expected a mapping with name and feeds")
    fields = {key.value: (key, value) for key, value in entry.value}
    unknown = [key for name, (key, _) in fields.items() if name not in SOURCE_KEYS]
    name = _scalar(fields.get("name"))
    if not isinstance(name, str) or not name.strip():
        raise ConfigError(f"{_at(where, entry)}: {label}: 'name' is missing or empty")
    label = f"{label} ({name.strip()})"
    if unknown:
        raise ConfigError(f"{_at(where, unknown[0])}: {label}: unknown keys {sorted(k.value for k in unknown)}; "
                          f"allowed: {sorted(SOURCE_KEYS)}")
    optional = {}
    for key in ("homepage", "language", "country"):
        value = _scalar(fields.get(key))
        if value is not None and not isinstance(value, str):
            raise ConfigError(f"{_at(where, fields[key][1])}: {label}: {key!r} must be text, got {value!r}")
        optional[key] = value.strip() if isinstance(value, str) and value.strip() else None
    return Source(name=name.strip(), feeds=_feeds(fields.get("feeds"), entry, label, where), **optional)


def _feeds(field: tuple[yaml.Node, yaml.Node] | None, entry: yaml.Node, label: str, where: str) -> tuple[str, ...]:
    """Return the feed URLs of one source (one URL or a list), refusing a bad one at its line."""
    node = field[1] if field else entry
    nodes = [node] if isinstance(node, yaml.ScalarNode) else node.value
    if not isinstance(nodes, list) or not nodes or not all(isinstance(n, yaml.ScalarNode) for n in nodes):
        raise ConfigError(f"{_at(where, node)}: {label}: 'feeds' must be a non-empty list of URLs")
    for url_node in nodes:
        url = _scalar((url_node, url_node))
        if not isinstance(url, str) or not _is_http_url(url):
            raise ConfigError(f"{_at(where, url_node)}: {label}: feed {url!r} is not an absolute http(s) URL")
    return tuple(n.value.strip() for n in nodes)


def _scalar(field: tuple[yaml.Node, yaml.Node] | None) -> Any:
    """Return the Python value of a scalar node (None when absent), as yaml.safe_load would."""
    if field is None:
        return None
    node = field[1]
    if not isinstance(node, yaml.ScalarNode):
        return node  # not a scalar: callers refuse it as "not text"
    return yaml.SafeLoader("").construct_object(node)


def _at(where: str, node: yaml.Node) -> str:
    """Return ``file:line`` of ``node`` (1-based)."""
    return f"{where}:{node.start_mark.line + 1}"


def _check_unique(sources: list[tuple[Source, Any]], where: str) -> None:
    """Refuse a source name or a feed URL listed twice, at the line of its second listing."""
    names: set[str] = set()
    feeds: dict[str, str] = {}
    for source, node in sources:
        at = _at(where, node) if isinstance(node, yaml.Node) else f"{where}:{node}"
        if source.name in names:
            raise ConfigError(f"{at}: source {source.name!r} is listed twice")
        names.add(source.name)
        for url in source.feeds:
            if url in feeds:
                raise ConfigError(f"{at}: feed {url} is listed under both {feeds[url]!r} and {source.name!r}")
            feeds[url] = source.name


def _is_http_url(url: str) -> bool:
    """Return True for an absolute http(s) URL with a host and no surrounding space."""
    parts = urlsplit(url.strip())
    return parts.scheme in ("http", "https") and bool(parts.netloc)


# --- OPML ------------------------------------------------------------------------------------

def read_opml(raw: bytes, *, where: str = "OPML") -> list[Source]:
    """Return sources from OPML bytes: feeds grouped by their publisher outline (or each on its own)."""
    parser = lxml.etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
    try:
        root = lxml.etree.fromstring(raw, parser=parser)
    except lxml.etree.XMLSyntaxError as exc:
        raise ConfigError(f"{where}:{exc.lineno or 1}: OPML is not well-formed XML: {exc.msg}") from exc
    body = root.find("body")
    if root.tag != "opml" or body is None:
        raise ConfigError(f"{where}:{root.sourceline or 1}: not an OPML document: no <opml><body>")
    groups: dict[str, dict[str, Any]] = {}
    for outline in body.iter("outline"):
        url = outline.get("xmlUrl")
        if not url:
            continue
        if not _is_http_url(url):
            raise ConfigError(f"{where}:{outline.sourceline}: OPML outline {_label(outline)!r}: "
                              f"{url!r} is not an http(s) URL")
        parent = outline.getparent()
        # A parent with its own htmlUrl is a publisher with several feeds; a parent without
        # one is a folder ("Arabic", "World"), and each feed in it is its own source.
        is_publisher = parent is not None and parent.tag == "outline" and parent.get("htmlUrl")
        owner = parent if is_publisher else outline
        name = _label(owner) or urlsplit(url).hostname or url
        group = groups.setdefault(name, {"homepage": None, "language": None, "feeds": [], "line": outline.sourceline})
        group["homepage"] = group["homepage"] or owner.get("htmlUrl") or outline.get("htmlUrl")
        group["language"] = group["language"] or normalise_language_tag(owner.get("language") or outline.get("language"))
        if url.strip() not in group["feeds"]:
            group["feeds"].append(url.strip())
    if not groups:
        raise ConfigError(f"{where}:{body.sourceline or 1}: {_NOTHING} (no outline has an xmlUrl)")
    sources = [(Source(name=name, homepage=g["homepage"], language=g["language"], feeds=tuple(g["feeds"])), g["line"])
               for name, g in groups.items()]
    _check_unique(sources, where)
    return [source for source, _ in sources]


def _label(outline: Any) -> str | None:
    """Return an outline's title (or text), spaces collapsed, or None when blank."""
    label = outline.get("title") or outline.get("text")
    return " ".join(label.split()) if label and label.strip() else None
