"""The source registry: which publishers to crawl and which of their URLs matter.

The registry is data (``data/sources.toml``); this module only loads, validates and queries it, so
adding a county or fixing a seed never needs a code change. A county source names only its
``region``: its names, publisher and domains come from the county registry (``data/counties.toml``). A user's file replaces the registry
(or extends it with ``include_builtin = true``); its sources inherit the built-in ``[defaults]``
include/exclude patterns and Swedish paths unless it says ``inherit_patterns = false``.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from hakemisto.core.errors import InputError, InvalidValue, SourcesFileError
from hakemisto.core.model import Source
from hakemisto.core.regions import region_named
from hakemisto.crawl.urls import canonicalize, domain_allowed, is_asset_link

_LIST_KEYS = ("domains", "seeds", "sitemaps", "include", "exclude", "sv_paths")
_SCALAR_KEYS = ("name_fi", "name_sv", "region", "verified", "selectors", "org")
_SELECTOR_KEYS = {"content", "title", "date", "drop"}


def _builtin_text() -> str:
    return resources.files("hakemisto").joinpath("data/sources.toml").read_text(encoding="utf-8")


def _parse(text: str, where: str) -> dict[str, Any]:
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise SourcesFileError(where, f"not valid TOML ({exc}); fix the file", "sources_toml") from None


def _with_county(table: dict[str, Any]) -> dict[str, Any]:
    """A county source's names, publisher and domains from the county registry (``counties.toml``),
    unless the table sets them itself (a test web on 127.0.0.1, a user's extra domain)."""
    county = region_named(table["region"]) if isinstance(table.get("region"), str) else None
    if county is None:
        return table
    known = {"name_fi": county.canonical, "name_sv": county.sv, "org": county.org, "domains": list(county.domains)}
    return known | table


def _build(key: str, table: dict[str, Any], defaults: dict[str, Any], where: str) -> Source:
    unknown = set(table) - set(_LIST_KEYS) - set(_SCALAR_KEYS)
    if unknown:
        raise InputError(f"{where}: source '{key}' has unknown key(s) {', '.join(sorted(unknown))}")
    table = _with_county(table)
    if not table.get("name_fi"):
        raise InputError(f"{where}: source '{key}' needs name_fi")
    lists: dict[str, tuple[str, ...]] = {}
    for name in _LIST_KEYS:
        value = table.get(name, [])
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise InputError(f"{where}: source '{key}': {name} must be a list of strings")
        merged = [*defaults.get(name, []), *value] if name in ("include", "exclude", "sv_paths") else value
        lists[name] = tuple(dict.fromkeys(merged))
    for pattern in (*lists["include"], *lists["exclude"]):
        try:
            re.compile(pattern)
        except re.error as exc:
            raise InputError(f"{where}: source '{key}': bad pattern {pattern!r} ({exc})") from None
    selectors = table.get("selectors", {})
    if not isinstance(selectors, dict) or set(selectors) - _SELECTOR_KEYS:
        raise InputError(
            f"{where}: source '{key}': selectors may only set {', '.join(sorted(_SELECTOR_KEYS))}"
        )
    if not lists["domains"]:
        raise InputError(f"{where}: source '{key}' needs at least one domain")
    for url in (*lists["seeds"], *lists["sitemaps"]):
        if not url.startswith(("http://", "https://")) or not domain_allowed(url, lists["domains"]):
            raise InputError(f"{where}: source '{key}': {url} is not an http(s) URL on its domains")
    return Source(
        key=key,
        name_fi=str(table["name_fi"]),
        name_sv=table.get("name_sv"),
        region=table.get("region"),
        domains=tuple(d.lower() for d in lists["domains"]),
        seeds=tuple(canonicalize(u) for u in lists["seeds"]),
        sitemaps=tuple(canonicalize(u) for u in lists["sitemaps"]),
        include=lists["include"],
        exclude=lists["exclude"],
        selectors={k: str(v) for k, v in selectors.items()},
        sv_paths=lists["sv_paths"] or ("/sv/",),
        verified=bool(table.get("verified", False)),
    )


def _merge_defaults(base: dict[str, Any], own: dict[str, Any]) -> dict[str, Any]:
    merged = dict(base)
    for name, value in own.items():
        if name in ("include", "exclude", "sv_paths") and isinstance(value, list):
            merged[name] = [*base.get(name, []), *value]
        else:
            merged[name] = value
    return merged


def parse_registry(
    text: str, where: str, inherited: dict[str, Any] | None = None
) -> tuple[dict[str, Source], bool]:
    """Sources from TOML text, and whether the file asks to keep the built-in registry too.
    ``inherited`` defaults (the built-in ones, for a user's file) come first unless the file says
    ``inherit_patterns = false``."""
    data = _parse(text, where)
    tables = data.get("sources")
    if not isinstance(tables, dict) or not tables:
        raise InputError(f"{where}: no [sources.<key>] tables found")
    defaults = data.get("defaults", {})
    if not isinstance(defaults, dict):
        raise InputError(f"{where}: [defaults] must be a table")
    inherit = data.get("inherit_patterns", True)
    if not isinstance(inherit, bool):
        raise InputError(f"{where}: inherit_patterns must be true or false, not {inherit!r}")
    if inherited and inherit:
        defaults = _merge_defaults(inherited, defaults)
    sources = {key: _build(key, table, defaults, where) for key, table in tables.items()}
    return sources, bool(data.get("include_builtin", False))


@lru_cache(maxsize=1)
def builtin_defaults() -> dict[str, Any]:
    """The built-in ``[defaults]`` table (patterns every source inherits)."""
    return dict(_parse(_builtin_text(), "hakemisto/data/sources.toml").get("defaults", {}))


@lru_cache(maxsize=1)
def builtin_sources() -> dict[str, Source]:
    return parse_registry(_builtin_text(), "hakemisto/data/sources.toml")[0]


def load_sources(path: Path | None = None) -> dict[str, Source]:
    """The registry: the built-in one, or the user's file (plus the built-in one if it asks)."""
    if path is None:
        return dict(builtin_sources())
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise SourcesFileError(path, f"cannot read sources file ({exc.strerror})", "sources_unreadable") from None
    sources, keep_builtin = parse_registry(text, str(path), builtin_defaults())
    return {**builtin_sources(), **sources} if keep_builtin else sources


def _fold(text: str) -> str:
    return text.casefold().replace("-", " ").replace("_", " ").strip()


def select_sources(sources: dict[str, Source], wanted: Iterable[str] = ()) -> list[Source]:
    """Sources matching ``wanted`` by key, fi/sv name or region (case- and hyphen-insensitive)."""
    wanted = list(wanted)
    if not wanted:
        return list(sources.values())
    chosen: dict[str, Source] = {}
    for name in wanted:
        hits = [
            s
            for s in sources.values()
            if _fold(name) in {_fold(x) for x in (s.key, s.name_fi, s.name_sv or "", s.region or "") if x}
        ]
        if not hits:  # any other name of a county: 'Vaasa', 'Vasa', 'Paijat-Hame'
            from hakemisto.core.regions import resolve_filter

            county = resolve_filter(name)
            hits = [s for s in sources.values() if county and s.region == county]
        if not hits:
            known = ", ".join(sorted(sources))
            raise InvalidValue("source", name, tuple(sorted(sources)), f"unknown region or source {name!r}; known: {known}",
                               code="unknown_source")
        chosen.update({s.key: s for s in hits})
    return list(chosen.values())


def wants_url(source: Source, url: str) -> str | None:
    """None when the crawler should follow ``url`` for ``source``, else the reason it should not."""
    if not url.startswith(("http://", "https://")):
        return "not http"
    if not domain_allowed(url, source.domains):
        return "off-domain"
    if is_asset_link(url):
        return "not a page"
    if any(re.search(p, url) for p in source.exclude):
        return "excluded by pattern"
    if source.include and not any(re.search(p, url) for p in source.include):
        return "not included by pattern"
    return None


def source_to_dict(source: Source) -> dict[str, Any]:
    return {
        "key": source.key,
        "name_fi": source.name_fi,
        "name_sv": source.name_sv,
        "region": source.region,
        "domains": list(source.domains),
        "seeds": list(source.seeds),
        "sitemaps": list(source.sitemaps),
        "include": list(source.include),
        "exclude": list(source.exclude),
        "selectors": dict(source.selectors),
        "sv_paths": list(source.sv_paths),
        "verified": source.verified,
    }


def _rule_origin(pattern: str, kind: str) -> str:
    return "built-in" if pattern in builtin_defaults().get(kind, []) else "own"


def check_rules(source: Source, urls: Iterable[str]) -> dict[str, Any]:
    """What each include/exclude rule of ``source`` admits or refuses among ``urls``, and the verdict
    per URL (``hakemisto sources --check``): the way to see a new sources file work before crawling."""
    urls = list(dict.fromkeys(urls))
    rules = []
    for kind in ("include", "exclude"):
        for pattern in getattr(source, kind):
            matched = [u for u in urls if re.search(pattern, u)]
            rules.append({"kind": kind, "pattern": pattern, "origin": _rule_origin(pattern, kind),
                          "matches": matched})  # fmt: skip
    verdicts = []
    for url in urls:
        if url in source.seeds or url in source.sitemaps:  # start URLs are fetched whatever the rules say
            kind = "seed" if url in source.seeds else "sitemap"
            verdicts.append({"url": url, "followed": True, "reason": f"{kind} (always fetched)"})
            continue
        reason = wants_url(source, url)
        verdicts.append({"url": url, "followed": reason is None, "reason": reason or "followed"})
    return {"source": source.key, "rules": rules, "urls": verdicts}
