"""The dataclasses that travel the pipeline.

Everything here is frozen: stages return new values (``dataclasses.replace``) instead of mutating,
so a document seen by the index is exactly the one the extractor produced.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field, fields
from datetime import datetime
from functools import cache
from typing import Any

LANGS = ("fi", "sv")
UNKNOWN_LANG = "und"


def content_hash(text: str) -> str:
    """Stable hash of a document's text: the key for 'unchanged, skip it'."""
    return hashlib.sha256(" ".join(text.split()).encode("utf-8", "surrogatepass")).hexdigest()[:32]


@cache
def _field_names(cls: type) -> tuple[str, ...] | None:
    """A dataclass's field names; None for any other type (asked once per type, not per value)."""
    return tuple(f.name for f in fields(cls)) if hasattr(cls, "__dataclass_fields__") else None


_AS_IS = frozenset({str, int, float, bool, type(None), datetime})  # the leaves of a stored document


def plain(value: Any) -> Any:
    """``dataclasses.asdict`` without its deep copies: dataclasses become dicts, lists and tuples keep
    their type, everything else (str, numbers, datetimes — immutable here) is returned as is. Every
    page's stored JSON goes through this; ``asdict`` was 9 % of the parent's work after extraction.
    (Leaves are answered by their type first: a page's facts are hundreds of thousands of strings and
    numbers, and a ``hasattr`` per value was a third of a rebuild's index write.)"""
    kind = type(value)
    if kind in _AS_IS:
        return value
    names = _field_names(kind)
    if names is not None:
        return {name: plain(getattr(value, name)) for name in names}
    if kind is tuple or kind is list:
        return kind([plain(v) for v in value])
    if isinstance(value, dict):
        return {plain(k): plain(v) for k, v in value.items()}
    return value


@dataclass(frozen=True)
class Source:
    """One publisher in the registry (a county, Helsinki or a national source such as Innokylä)."""

    key: str
    name_fi: str
    name_sv: str | None
    region: str | None
    domains: tuple[str, ...] = ()
    seeds: tuple[str, ...] = ()
    sitemaps: tuple[str, ...] = ()
    include: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    selectors: dict[str, str] = field(default_factory=dict)
    sv_paths: tuple[str, ...] = ("/sv/",)
    verified: bool = False


@dataclass(frozen=True)
class RawPage:
    """Bytes as fetched, with the HTTP metadata needed for conditional re-fetching."""

    url: str
    final_url: str
    status: int
    body: bytes
    fetched_at: str
    content_type: str | None = None
    etag: str | None = None
    last_modified: str | None = None
    encoding: str | None = None
    source: str | None = None


@dataclass(frozen=True)
class Skip:
    """An input that was not turned into a document, and why (always counted and shown)."""

    path: str
    reason: str


@dataclass(frozen=True)
class Amount:
    """A money expression normalised to euros."""

    text: str
    eur: float
    qualifier: str | None = None
    year: str | None = None
    funder: str | None = None
    project: str | None = None
    start: int | None = None
    end: int | None = None
    sentence: str | None = None
    # What the sum is (shared/gold/README.md "Amount roles"): granted, applied, budget, cost, pool, other.
    role: str | None = None
    # The county whose money it is (canonical name); None for national sums.
    region: str | None = None
    # Index (in Facts.amounts) of the sum this one is a part of ('…3 M€, josta valtionavustusta 2,4 M€',
    # 'varav'): a total must never add a part to its whole. None for a sum that is no part.
    part_of: int | None = None


AMOUNT_ROLES = ("granted", "applied", "budget", "cost", "pool", "other")


@dataclass(frozen=True)
class Contact:
    """A person presented as responsible or reachable."""

    name: str
    title: str | None = None
    phone: str | None = None
    email: str | None = None
    organization: str | None = None
    sentence: str | None = None
    # The project the person is responsible for or reachable about, as written in Facts.projects.
    project: str | None = None


@dataclass(frozen=True)
class Entity:
    """A recognised span with its canonical id (funder id, region name, person base form…)."""

    text: str
    label: str
    canonical: str
    start: int
    end: int


@dataclass(frozen=True)
class ProjectMention:
    """What one page says about one named project: the input from which project records are built.

    ``name`` is written as in ``Facts.projects``; ``status`` is one of planned, applied, started,
    ongoing, ended when the page says so; years come from the page's own period cues
    ("2023–2025", "vuosille 2022–2023", "under åren 2023–2025").
    """

    name: str
    aliases: tuple[str, ...] = ()
    start_year: int | None = None
    end_year: int | None = None
    status: str | None = None
    lead: str | None = None
    programmes: tuple[str, ...] = ()
    sentence: str | None = None


@dataclass(frozen=True)
class Facts:
    """What the extractor found in one document (schema of shared/gold/README.md, plus extras)."""

    funders: tuple[str, ...] = ()
    programmes: tuple[str, ...] = ()
    amounts: tuple[Amount, ...] = ()
    contacts: tuple[Contact, ...] = ()
    persons: tuple[str, ...] = ()
    projects: tuple[str, ...] = ()
    organizations: tuple[str, ...] = ()
    regions: tuple[str, ...] = ()
    dates: tuple[str, ...] = ()
    spans: tuple[Entity, ...] = ()
    region: str | None = None
    project_mentions: tuple[ProjectMention, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return plain(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Facts:
        return cls(
            funders=tuple(data.get("funders", ())),
            programmes=tuple(data.get("programmes", ())),
            amounts=tuple(Amount(**a) for a in data.get("amounts", ())),
            contacts=tuple(Contact(**c) for c in data.get("contacts", ())),
            persons=tuple(data.get("persons", ())),
            projects=tuple(data.get("projects", ())),
            organizations=tuple(data.get("organizations", ())),
            regions=tuple(data.get("regions", ())),
            dates=tuple(data.get("dates", ())),
            spans=tuple(Entity(**e) for e in data.get("spans", ())),
            region=data.get("region"),
            project_mentions=tuple(
                ProjectMention(**{**m, "aliases": tuple(m.get("aliases", ())),
                                  "programmes": tuple(m.get("programmes", ()))})
                for m in data.get("project_mentions", ())
            ),
        )


@dataclass(frozen=True)
class Document:
    """One page or file, from loading to the index.

    ``id`` is stable: the canonical URL for web pages, the path relative to the corpus root for files,
    or the ``id`` given in a JSONL record. ``paragraphs`` keep the page's structure; ``text`` joins them.
    """

    id: str
    title: str
    paragraphs: tuple[str, ...]
    url: str | None = None
    path: str | None = None
    lang: str = UNKNOWN_LANG
    para_langs: tuple[str, ...] = ()
    lang_hint: str | None = None
    region: str | None = None
    source: str | None = None
    published: datetime | None = None
    modified: datetime | None = None
    canonical_url: str | None = None
    alternates: tuple[tuple[str, str], ...] = ()
    twin: str | None = None
    duplicates: tuple[str, ...] = ()
    content_hash: str = ""
    loaded_at: datetime | None = None
    facts: Facts | None = None

    @property
    def text(self) -> str:
        return "\n\n".join(self.paragraphs)

    def to_dict(self) -> dict[str, Any]:
        data = plain(self)
        data["text"] = self.text
        for key in ("published", "modified", "loaded_at"):
            value = getattr(self, key)
            data[key] = value.isoformat() if value else None
        return data
