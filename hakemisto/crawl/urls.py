"""URL canonicalisation: one page, one key, however it was linked — without second-guessing the server.

The canonical form is what the snapshot store hashes and what a crawled document's id is. Only what
is certain is normalised (case of scheme and host, default port, fragment, tracking and session
parameters, query order, duplicate slashes). The path is otherwise kept as written: whether ``/x`` or
``/x/`` is the page is the server's call, learnt from its redirects and ``rel=canonical``, never
guessed here (stripping a slash the server redirects back to loops forever).
"""

from __future__ import annotations

import hashlib
import re
import tomllib
from functools import lru_cache
from importlib import resources
from typing import Any
from urllib.parse import parse_qsl, quote, unquote, urlencode, urljoin, urlsplit, urlunsplit

_DEFAULT_PORTS = {"http": 80, "https": 443}
_COUNTER = re.compile(r"\d+")


class BadUrl(ValueError):
    """A URL that cannot be parsed or fetched; ``str(exc)`` says why (shown as the failure reason)."""


@lru_cache(maxsize=1)
def _rules() -> dict[str, Any]:
    text = resources.files("hakemisto").joinpath("data/urls.toml").read_text(encoding="utf-8")
    return tomllib.loads(text)


@lru_cache(maxsize=1)
def _patterns() -> dict[str, list[re.Pattern[str]]]:
    rules = _rules()
    return {
        "traps": [re.compile(p, re.I) for p in rules["traps"]["patterns"]],
        "listings": [re.compile(p, re.I) for p in rules["listings"]["patterns"]],
    }


def _is_tracking(name: str) -> bool:
    rules = _rules()
    low = name.lower()
    return (
        low in rules["tracking_params"]
        or low in rules["session_params"]
        or any(low.startswith(p) for p in rules["tracking_prefixes"])
    )


def _strip_path_params(path: str) -> str:
    """Remove ``;jsessionid=…`` style path parameters that carry a session id."""
    if ";" not in path:
        return path
    names = set(_rules()["session_params"])
    out = []
    for segment in path.split("/"):
        head, *params = segment.split(";")
        kept = [p for p in params if p.split("=", 1)[0].lower() not in names]
        out.append(";".join([head, *kept]))
    return "/".join(out)


def canonicalize(url: str, base: str | None = None) -> str:
    """Canonical form of ``url`` (resolved against ``base``): lower-case scheme and host, no default
    port, no fragment, no tracking or session parameters, sorted query, path kept as written.
    Raises ``BadUrl`` (a ValueError) with the reason when the URL cannot be parsed."""
    url = url.strip()
    if any(ord(c) < 32 for c in url):
        raise BadUrl(f"control characters in URL {url[:80]!r}")
    try:
        if base:
            url = urljoin(base, url)
        parts = urlsplit(url)
        port = parts.port
    except ValueError as exc:
        raise BadUrl(f"unparseable URL {url[:80]!r} ({exc})") from None
    scheme = parts.scheme.lower()
    if scheme in ("http", "https") and not parts.hostname:
        raise BadUrl(f"URL without a host {url[:80]!r}")
    host = (parts.hostname or "").lower().rstrip(".")
    if ":" in host:  # IPv6 literal
        host = f"[{host}]"
    netloc = host
    if port and port != _DEFAULT_PORTS.get(scheme):
        netloc = f"{host}:{port}"
    path = quote(unquote(_strip_path_params(parts.path or "/")), safe="/:@!$&'()*+,;=-._~%")
    while "//" in path:
        path = path.replace("//", "/")
    query_items = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not _is_tracking(k)]
    query = urlencode(sorted(query_items))
    return urlunsplit((scheme, netloc, path, query, ""))


def url_key(url: str) -> str:
    """The snapshot file stem for a URL: sha1 of its canonical form."""
    try:
        url = canonicalize(url)
    except BadUrl:
        pass
    return hashlib.sha1(url.encode("utf-8")).hexdigest()


def host_of(url: str) -> str:
    """``host[:port]`` of a URL, lower-case: the unit of politeness (one delay per host)."""
    try:
        parts = urlsplit(url)
        host = (parts.hostname or "").lower()
        port = parts.port
    except ValueError:
        return ""
    if port and port != _DEFAULT_PORTS.get(parts.scheme.lower()):
        return f"{host}:{port}"
    return host


def domain_allowed(url: str, domains: tuple[str, ...] | list[str]) -> bool:
    """True when the URL's host is one of ``domains`` or a subdomain of one (ports must match when given)."""
    host = host_of(url)
    if not host:
        return False
    bare = host.split(":")[0]
    for domain in domains:
        d = domain.lower()
        if host == d or bare == d or host.endswith("." + d) or bare.endswith("." + d):
            return True
    return False


def is_document_link(url: str) -> bool:
    """A PDF or office file: recorded, not fetched."""
    path = urlsplit(url).path.lower()
    return path.endswith(tuple(_rules()["document_suffixes"]))


def is_asset_link(url: str) -> bool:
    path = urlsplit(url).path.lower()
    return path.endswith(tuple(_rules()["asset_suffixes"]))


def trap_reason(url: str) -> str | None:
    """Why ``url`` looks like a crawler trap (calendar, search, sort/filter variant), or None."""
    for pattern in _patterns()["traps"]:
        if pattern.search(url):
            return f"trap pattern {pattern.pattern[:40]}"
    return None


def is_listing_url(url: str) -> bool:
    """Home pages, language roots, pagination, tag and archive pages: discovery only, never documents."""
    return any(p.search(url) for p in _patterns()["listings"])


def trap_limits() -> tuple[int, int]:
    """(max trap depth, max counter steps) from ``data/urls.toml``."""
    traps = _rules()["traps"]
    return int(traps["max_depth"]), int(traps["max_counter_steps"])


def counter_template(url: str) -> tuple[str, str] | None:
    """``(template, number)`` with the URL's last number replaced by ``#``; None without numbers.
    Two URLs with one template differ only in a counter (page 2 → page 3, /2031/03 → /2031/04)."""
    parts = urlsplit(url)
    tail = parts.path + (f"?{parts.query}" if parts.query else "")
    matches = list(_COUNTER.finditer(tail))
    if not matches:
        return None
    offset = len(url) - len(tail)
    last = matches[-1]
    start, end = last.start() + offset, last.end() + offset
    return url[:start] + "#" + url[end:], last.group()
