"""URL canonicalisation: one page, one key, however it was linked.

The canonical form is what the snapshot store hashes and what a crawled document's id is, so two
links that differ only in case, fragment, tracking parameters or a trailing slash land on one file.
"""

from __future__ import annotations

import hashlib
import tomllib
from functools import lru_cache
from importlib import resources
from urllib.parse import parse_qsl, quote, unquote, urlencode, urljoin, urlsplit, urlunsplit

_DEFAULT_PORTS = {"http": 80, "https": 443}


@lru_cache(maxsize=1)
def _rules() -> dict:
    text = resources.files("hakemisto").joinpath("data/urls.toml").read_text(encoding="utf-8")
    return tomllib.loads(text)


def _is_tracking(name: str) -> bool:
    rules = _rules()
    low = name.lower()
    return low in rules["tracking_params"] or any(low.startswith(p) for p in rules["tracking_prefixes"])


def canonicalize(url: str, base: str | None = None) -> str:
    """Canonical form of ``url`` (resolved against ``base``): lower-case scheme and host, no default
    port, no fragment, no tracking parameters, sorted query, no trailing slash except the root."""
    url = url.strip()
    if base:
        url = urljoin(base, url)
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower().rstrip(".")
    netloc = host
    try:
        port = parts.port
    except ValueError:
        port = None
    if port and port != _DEFAULT_PORTS.get(scheme):
        netloc = f"{host}:{port}"
    path = quote(unquote(parts.path or "/"), safe="/:@!$&'()*+,;=-._~%")
    while "//" in path:
        path = path.replace("//", "/")
    if len(path) > 1 and path.endswith("/"):
        path = path.rstrip("/") or "/"
    query_items = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not _is_tracking(k)]
    query = urlencode(sorted(query_items))
    return urlunsplit((scheme, netloc, path, query, ""))


def url_key(url: str) -> str:
    """The snapshot file stem for a URL: sha1 of its canonical form."""
    return hashlib.sha1(canonicalize(url).encode("utf-8")).hexdigest()


def host_of(url: str) -> str:
    """``host[:port]`` of a URL, lower-case: the unit of politeness (one delay per host)."""
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    try:
        port = parts.port
    except ValueError:
        port = None
    if port and port != _DEFAULT_PORTS.get(parts.scheme.lower()):
        return f"{host}:{port}"
    return host


def domain_allowed(url: str, domains: tuple[str, ...] | list[str]) -> bool:
    """True when the URL's host is one of ``domains`` or a subdomain of one (ports must match when given)."""
    host = host_of(url)
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
