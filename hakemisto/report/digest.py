"""The change digest: what is new since a moment, grouped by county then project, in fi or sv.

Built from the change log (``changes.py``) only, so a digest never re-reads pages or the index except
to resolve a free-text ``query`` to the documents it matches. Renderers: text, Markdown, JSON, Atom 1.0.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cache
from importlib import resources
from typing import Any
from xml.etree import ElementTree as ET

from hakemisto.core.errors import UsageError
from hakemisto.report.changes import Change
from hakemisto.report.fmt import format_eur

LANGS = ("fi", "sv")
FORMATS = ("text", "json", "markdown", "atom")
ATOM_NS = "http://www.w3.org/2005/Atom"
NO_REGION = ""  # group key of national / multi-county pages


@cache
def labels(lang: str) -> dict[str, str]:
    """The digest's words in ``lang`` (data file hakemisto/data/digest.toml)."""
    if lang not in LANGS:
        raise UsageError(f"unknown language '{lang}'; choose one of: {', '.join(LANGS)}")
    data = tomllib.loads(resources.files("hakemisto").joinpath("data/digest.toml").read_text(encoding="utf-8"))
    return data[lang]


def region_name(region: str | None, lang: str) -> str:
    """The county in the reader's language ('Österbotten' for sv), or the national group's label."""
    if not region:
        return labels(lang)["national"]
    if lang == "sv":
        from hakemisto.core.regions import all_regions

        for r in all_regions():
            if r.canonical == region and r.sv:
                return r.sv
    return region


# --- filtering -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class DigestFilter:
    """What a planner wants to hear about: counties (OR), programmes (OR), and a free-text query."""

    regions: tuple[str, ...] = ()
    programmes: tuple[str, ...] = ()
    query: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"regions": list(self.regions), "programmes": list(self.programmes), "query": self.query}


def resolve_region(value: str) -> str:
    """Any name of a county, a municipality in it or a name typed without ä/ö/å → the county."""
    from hakemisto.core.regions import resolve_county

    return resolve_county(value)


def resolve_programme(value: str) -> str:
    from hakemisto.facts.funding import programme_forms, registry_ids

    folded = value.casefold().strip()
    ids = registry_ids("programme")
    if folded in ids:
        return ids[folded]
    for pid, forms in programme_forms().items():
        if folded in forms or any(folded.startswith(f) for f in forms if len(f) > 5):
            return pid
    raise UsageError(f"unknown programme '{value}'; known: {', '.join(sorted(set(ids.values())))}")


def make_filter(regions: Iterable[str] = (), programmes: Iterable[str] = (), query: str | None = None) -> DigestFilter:
    """Names as a planner writes them ('Österbotten', 'Suomen kestävän kasvun ohjelma') → canonical ids."""
    return DigestFilter(
        regions=tuple(dict.fromkeys(resolve_region(r) for r in regions if r.strip())),
        programmes=tuple(dict.fromkeys(resolve_programme(p) for p in programmes if p.strip())),
        query=(query or "").strip() or None,
    )


def matching_ids(index_dir: Any, query: str) -> set[str]:
    """Ids of indexed documents the query matches (same analyzers and glossary as search)."""
    from hakemisto.search import engine
    from hakemisto.search import index as idx

    if not idx.exists(index_dir) or not query.strip():  # a blank query matches nothing, not everything
        return set()
    return {fields["id"] for fields in engine.matching_fields(index_dir, query, compounds=False)}


def _query_words(query: str) -> list[str]:
    return [w.casefold() for w in query.replace('"', " ").split() if len(w) > 2]


def select(changes: Sequence[Change], filt: DigestFilter, index_dir: Any = None) -> list[Change]:
    """The entries a filter lets through (removed pages match the query on their title)."""
    ids = matching_ids(index_dir, filt.query) if filt.query and index_dir is not None else None
    words = _query_words(filt.query or "")
    out = []
    for c in changes:
        if filt.regions:
            regions = {c.region} | {a.get("region") for a in c.amounts}
            if not regions & set(filt.regions):
                continue
        if filt.programmes and not set(c.programmes) & set(filt.programmes):
            continue
        if filt.query:
            if c.kind == "removed" or ids is None:
                if not any(w in c.title.casefold() for w in words):
                    continue
            elif c.doc not in ids:
                continue
        out.append(c)
    return out


# --- the digest ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Item:
    """One line of the digest: a new project, a new sum, a new contact, a changed page…"""

    kind: str
    text: str
    doc: str
    url: str | None
    entry_id: str
    at: str
    sentence: str | None = None
    detail: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "text": self.text, "doc": self.doc, "url": self.url, "entry": self.entry_id,
                "at": self.at, "sentence": self.sentence, **({"detail": self.detail} if self.detail else {})}


@dataclass(frozen=True)
class ProjectGroup:
    project: str | None
    items: tuple[Item, ...]


@dataclass(frozen=True)
class RegionGroup:
    region: str | None
    projects: tuple[ProjectGroup, ...]


@dataclass(frozen=True)
class Digest:
    lang: str
    title: str
    since: str | None
    groups: tuple[RegionGroup, ...]
    changes: tuple[Change, ...]

    @property
    def count(self) -> int:
        return len(self.changes)

    def to_dict(self) -> dict[str, Any]:
        return {
            "lang": self.lang,
            "title": self.title,
            "since": self.since,
            "entries": self.count,
            "regions": [
                {"region": g.region, "name": region_name(g.region, self.lang),
                 "projects": [{"project": p.project, "items": [i.to_dict() for i in p.items]} for p in g.projects]}
                for g in self.groups
            ],
        }


def _amount_text(a: dict[str, Any], lang: str) -> str:
    role = labels(lang).get(f"role_{a.get('role')}", labels(lang)["role_none"])
    eur = a.get("eur")
    return f"{format_eur(eur, lang) if isinstance(eur, int | float) else ''} ({a.get('text')}), {role}"


def _contact_text(c: dict[str, Any]) -> str:
    return ", ".join(str(v) for v in (c.get("name"), c.get("title"), c.get("phone"), c.get("email")) if v)


def items_of(change: Change, lang: str) -> list[tuple[str | None, str | None, Item]]:
    """(region, project, item) for everything one entry tells."""
    words = labels(lang)
    single = change.projects[0] if len(change.projects) == 1 else None
    base = dict(doc=change.doc, url=change.url, entry_id=change.entry_id, at=change.at)
    out: list[tuple[str | None, str | None, Item]] = []
    for name in change.new_projects:
        out.append((change.region, name, Item("new_project", name, **base)))
    for a in change.amounts:
        out.append((a.get("region") or change.region, a.get("project") or single,
                    Item("new_amount", _amount_text(a, lang), sentence=a.get("sentence"), detail=a, **base)))
    for a in change.removed_amounts:
        out.append((a.get("region") or change.region, a.get("project") or single,
                    Item("removed_amount", _amount_text(a, lang), sentence=a.get("sentence"), detail=a, **base)))
    for c in change.contacts:
        out.append((change.region, c.get("project") or single,
                    Item("new_contact", _contact_text(c), sentence=c.get("sentence"), detail=c, **base)))
    for c in change.changed_contacts:
        after = c.get("after") or {}
        out.append((change.region, after.get("project") or single,
                    Item("changed_contact", _contact_text(after), sentence=after.get("sentence"), detail=c, **base)))
    for s in change.statuses:
        status = words.get(f"status_{s.get('after')}", str(s.get("after")))
        out.append((change.region, s.get("project"), Item("status", f"{s.get('project')}: {status}", **base)))
    page_kind = {"new": "page_new", "changed": "page_changed", "removed": "page_removed"}[change.kind]
    out.append((change.region, single, Item(page_kind, change.title or change.doc, **base)))
    return out


def build_digest(changes: Sequence[Change], lang: str = "fi", since: str | None = None,
                 title: str | None = None) -> Digest:
    """Group entries by county (national last), then project (pages without one last)."""
    words = labels(lang)
    grouped: dict[str, dict[str, list[Item]]] = {}
    for change in changes:
        for region, project, item in items_of(change, lang):
            grouped.setdefault(region or NO_REGION, {}).setdefault(project or "", []).append(item)
    groups = []
    for region in sorted(grouped, key=lambda r: (r == NO_REGION, region_name(r or None, lang))):
        projects = grouped[region]
        groups.append(RegionGroup(
            region=region or None,
            projects=tuple(ProjectGroup(p or None, tuple(projects[p]))
                           for p in sorted(projects, key=lambda p: (p == "", p.casefold()))),
        ))
    default_title = words["title_since"].format(since=since) if since else words["title"]
    return Digest(lang=lang, title=title or default_title, since=since, groups=tuple(groups),
                  changes=tuple(changes))


# --- renderers -----------------------------------------------------------------------------------


def _link(item: Item) -> str:
    return item.url or item.doc


def render_text(digest: Digest) -> str:
    words = labels(digest.lang)
    if not digest.count:
        return f"{digest.title}\n\n{words['empty']}\n"
    lines = [digest.title, words["entries"].format(count=digest.count), ""]
    for group in digest.groups:
        lines.append(region_name(group.region, digest.lang))
        for proj in group.projects:
            lines.append(f"  {proj.project or words['no_project']}")
            for item in proj.items:
                lines.append(f"    - {words[item.kind]}: {item.text}")
                if item.sentence:
                    lines.append(f"      “{item.sentence.strip()}”")
                lines.append(f"      {words['source']}: {_link(item)}")
        lines.append("")
    return "\n".join(lines)


def _md(text: str | None) -> str:
    return (text or "").replace("|", "\\|").replace("[", "\\[").replace("]", "\\]").replace("\n", " ")


def render_markdown(digest: Digest) -> str:
    words = labels(digest.lang)
    lines = [f"# {_md(digest.title)}", ""]
    if not digest.count:
        return "\n".join(lines + [words["empty"], ""])
    lines += [words["entries"].format(count=digest.count), ""]
    for group in digest.groups:
        lines += [f"## {_md(region_name(group.region, digest.lang))}", ""]
        for proj in group.projects:
            lines += [f"### {_md(proj.project or words['no_project'])}", ""]
            for item in proj.items:
                link = _link(item)
                target = f"[{_md(words['source'])}]({link})" if item.url else f"`{_md(link)}`"
                lines.append(f"- **{words[item.kind]}**: {_md(item.text)} — {target}")
                if item.sentence:
                    lines.append(f"  > {_md(item.sentence.strip())}")
            lines.append("")
    return "\n".join(lines)


def _entry_summary(change: Change, lang: str) -> tuple[str, str]:
    """(title, plain-text body) of one change entry in a feed or e-mail."""
    words = labels(lang)
    kind = {"new": "page_new", "changed": "page_changed", "removed": "page_removed"}[change.kind]
    region = region_name(change.region, lang)
    title = f"{region}: {words[kind]} – {change.title or change.doc}"
    body = [f"{words[i.kind]}: {i.text}" + (f" — “{i.sentence.strip()}”" if i.sentence else "")
            for _, _, i in items_of(change, lang) if not i.kind.startswith("page_")]
    return title, "\n".join(body) or words[kind]


def render_atom(digest: Digest, *, feed_id: str, self_url: str | None = None,
                link: str | None = None) -> str:
    """Atom 1.0 (RFC 4287): one entry per changed document and run, with a stable id."""
    ET.register_namespace("", ATOM_NS)

    def sub(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
        el = ET.SubElement(parent, f"{{{ATOM_NS}}}{tag}", {k: xml_safe(v) for k, v in attrs.items()})
        if text is not None:
            el.text = xml_safe(text)
        return el

    feed = ET.Element(f"{{{ATOM_NS}}}feed", {"{http://www.w3.org/XML/1998/namespace}lang": digest.lang})
    sub(feed, "id", feed_id)
    sub(feed, "title", digest.title)
    updated = max((c.at for c in digest.changes), default=None) or datetime.now(UTC).isoformat(timespec="seconds")
    sub(feed, "updated", _rfc3339(updated))
    author = sub(feed, "author")
    sub(author, "name", "hakemisto")
    if self_url:
        sub(feed, "link", rel="self", href=self_url, type="application/atom+xml")
    if link:
        sub(feed, "link", rel="alternate", href=link, type="text/html")
    sub(feed, "generator", "hakemisto")
    for change in sorted(digest.changes, key=lambda c: (c.at, c.run, c.doc), reverse=True):
        title, body = _entry_summary(change, digest.lang)
        entry = sub(feed, "entry")
        sub(entry, "id", f"urn:hakemisto:change:{change.entry_id}")
        sub(entry, "title", title)
        sub(entry, "updated", _rfc3339(change.at))
        if change.url and change.url.startswith(("http://", "https://")):
            sub(entry, "link", rel="alternate", href=change.url)
        if change.region:
            sub(entry, "category", term=change.region)
        sub(entry, "content", body, type="text")
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(feed, encoding="unicode") + "\n"


# Characters XML 1.0 cannot carry (C0 controls but tab/LF/CR, surrogates, U+FFFE/FFFF): a page's ESC
# or NUL must not make a whole feed unreadable.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]")


def xml_safe(text: str) -> str:
    return _NOT_XML.sub("", text)


def _rfc3339(value: str) -> str:
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        moment = datetime.now(UTC)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def render(digest: Digest, fmt: str, *, feed_id: str = "urn:hakemisto:digest") -> str:
    import json

    if fmt == "text":
        return render_text(digest)
    if fmt == "markdown":
        return render_markdown(digest)
    if fmt == "json":
        return json.dumps(digest.to_dict(), ensure_ascii=False, indent=2, default=str) + "\n"
    if fmt == "atom":
        return render_atom(digest, feed_id=feed_id)
    raise UsageError(f"unknown format '{fmt}'; choose one of: {', '.join(FORMATS)}")
