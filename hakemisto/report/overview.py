"""The planner report: "what did other regions do with RRP funding?" as an overview per county.

``build_report`` reads the index (never the network, never prints) and answers for EVERY canonical
county, in registry order, which pages match, the projects, funders, euro amounts with their source
sentences, distinctive themes and contact people, each with a link to the page it came from.
Counties without matching pages are listed as such: "nothing found" is an answer too.
Renderers turn a ``Report`` into a table, CSV or Markdown; JSON is ``Report.to_dict()``.
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from functools import cache
from importlib import resources
from typing import Any

from whoosh.query import And, Or, Query, Term

from hakemisto.core import voikko
from hakemisto.core.config import Settings
from hakemisto.core.model import Amount, Document
from hakemisto.core.notes import Note, note_dicts
from hakemisto.core.regions import all_regions
from hakemisto.core.unionfind import UnionFind
from hakemisto.facts import funding
from hakemisto.facts.projects import Project, ProjectAmount, ProjectContact, ProjectSet, reason_text
from hakemisto.report.export import to_csv
from hakemisto.search import engine
from hakemisto.search import index as idx
from hakemisto.search.records import load_projects

UNKNOWN_REGION = "(region unknown)"
THEMES = 8
_NUMBERISH = re.compile(r"\d")
_ADDRESS = re.compile(r"\S+@\S+|https?://\S+|\b[\w.-]+\.(?:fi|se|com|org|net)\b")


# --- result dataclasses --------------------------------------------------------------------------


@dataclass(frozen=True)
class ReportDocument:
    id: str
    title: str
    link: str
    lang: str
    url: str | None = None
    path: str | None = None
    twin: str | None = None
    duplicates: tuple[str, ...] = ()


@dataclass(frozen=True)
class ReportAmount:
    """One euro amount as found on one page; ``counted`` is False for a repeat or another programme's money."""

    text: str
    eur: float
    year: str | None
    funder: str | None
    project: str | None
    qualifier: str | None
    sentence: str | None
    doc_id: str
    link: str
    lang: str
    counted: bool = True
    same_as: str | None = None  # the page whose copy of this amount is counted
    note: str | None = None


@dataclass(frozen=True)
class RegionReport:
    region: str
    name_sv: str | None
    documents: tuple[ReportDocument, ...] = ()
    projects: tuple[str, ...] = ()
    funders: tuple[tuple[str, int], ...] = ()  # (funder id, pages naming it; fi/sv twins count once)
    amounts: tuple[ReportAmount, ...] = ()
    total_eur: float = 0.0
    themes: tuple[str, ...] = ()
    contacts: tuple[ProjectContact, ...] = ()
    # Project records of this county (hakemisto/facts/projects.py); total_eur = their counted grants only.
    records: tuple[Project, ...] = ()
    loose: tuple[ProjectAmount, ...] = ()  # this county's sums attached to no project: shown, never summed
    applied_eur: float = 0.0
    budget_eur: float = 0.0
    cost_eur: float = 0.0

    @property
    def has_documents(self) -> bool:
        return bool(self.documents)


@dataclass(frozen=True)
class MatrixCell:
    granted_eur: float = 0.0
    projects: int = 0


@dataclass(frozen=True)
class Matrix:
    """Counties × programme phases ('RRP 2022', 'RRP 2023–2025'): granted sums and project counts."""

    phases: tuple[str, ...] = ()
    rows: tuple[tuple[str, tuple[MatrixCell, ...]], ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {"phases": list(self.phases),
                "rows": [{"region": r, "cells": [asdict(c) for c in cells]} for r, cells in self.rows]}


@dataclass(frozen=True)
class Report:
    programme: str | None
    funder: str | None
    regions_filter: tuple[str, ...]
    query: str | None
    regions: tuple[RegionReport, ...]
    documents: int = 0
    total_eur: float = 0.0
    notes: tuple[str, ...] = field(default=())
    matrix: Matrix = field(default_factory=Matrix)
    national: tuple[Project, ...] = ()  # national and county-less projects: context, never in a total

    @property
    def with_documents(self) -> tuple[RegionReport, ...]:
        return tuple(r for r in self.regions if r.has_documents)

    @property
    def without_documents(self) -> tuple[RegionReport, ...]:
        return tuple(r for r in self.regions if not r.has_documents)

    def title(self) -> str:
        scope = [f"programme {self.programme}" if self.programme else "", f"funder {self.funder}" if self.funder else ""]
        if self.query:
            scope.append(f"query '{self.query}'")
        what = ", ".join(s for s in scope if s) or "all pages"
        return f"Development projects by region ({what})"

    def to_dict(self) -> dict[str, Any]:
        regions = []
        for region in self.regions:
            data = asdict(region)
            data["funders"] = [{"id": f, "pages": n} for f, n in region.funders]
            data["has_documents"] = region.has_documents
            data["records"] = [p.to_dict() for p in region.records]
            regions.append(data)
        return {
            "title": self.title(),
            "filters": {
                "programme": self.programme,
                "funder": self.funder,
                "regions": list(self.regions_filter),
                "query": self.query,
            },
            "documents": self.documents,
            "total_eur": self.total_eur,
            "regions_with_documents": [r.region for r in self.with_documents],
            "regions_without_documents": [r.region for r in self.without_documents],
            "regions": regions,
            "matrix": self.matrix.to_dict(),
            "national": [p.to_dict() for p in self.national],
            "notes": list(self.notes),
            "note_codes": note_dicts(self.notes),
        }


# --- selecting documents -------------------------------------------------------------------------


def _registry() -> list[tuple[str, str | None]]:
    """(canonical, Swedish name) of every county in registry order."""
    return [(r.canonical, r.sv) for r in all_regions()]


def _resolve_id(searcher: Any, fieldname: str, kind: str, value: str) -> str:
    """A funder/programme id from any registry name or an indexed id (the search filters' rule)."""
    from hakemisto.search.engine import resolve_registry

    return resolve_registry(searcher, fieldname, value, kind)


def _resolve_region(value: str) -> str:
    """A county from any name, municipality or ä/ö-less spelling (the search filters' rule)."""
    from hakemisto.search.engine import resolve_region

    return resolve_region(value)


def _region_of(doc: Document) -> str | None:
    return doc.region or (doc.facts.region if doc.facts else None)


def _select(
    index_dir: Any, programme: str | None, funder: str | None, regions: list[str], query: str | None
) -> list[Document]:
    """The pages matching the query and every given filter, matched through the search engine's path."""
    parts: list[Query] = []
    if programme:
        parts.append(Term("programmes", programme))
    if funder:
        parts.append(Term("funders", funder))
    if regions:
        parts.append(Or([Term("region", r) for r in regions]))
    filter_query = None if not parts else parts[0] if len(parts) == 1 else And(parts)
    docs = [idx.document_from_stored(fields) for fields in engine.matching_fields(index_dir, query, filter_query)]
    if regions:
        docs = [d for d in docs if _region_of(d) in regions]
    return sorted(docs, key=lambda d: (d.lang != "fi", d.url is not None and d.path is None, d.id))


# --- amounts without double counting -------------------------------------------------------------


def _families(docs: Iterable[Document]) -> dict[str, str]:
    """doc id → one representative id for each group of fi/sv twins and republished duplicates."""
    uf: UnionFind[str] = UnionFind()
    for doc in docs:
        uf.find(doc.id)
        for other in (doc.twin, *doc.duplicates):
            if other:
                uf.union(doc.id, other)
    return {x: uf.find(x) for x in list(uf.parent)}


def _year_key(year: str | None) -> str:
    return re.sub(r"\s*[-–—]\s*", "-", year.strip()) if year else ""


def _other_programme(amount: Amount, programme: str | None) -> str | None:
    """The programme an amount's sentence names when that is not the one asked for, else None."""
    if not programme:
        return None
    text = " ".join(x for x in (amount.sentence, amount.project) if x).lower()
    if not text:
        return None
    forms = funding.programme_forms()
    if any(form in text for form in forms.get(programme, (programme.lower(),))):
        return None
    for other, other_forms in forms.items():
        if other != programme and any(form in text for form in other_forms):
            return other
    return None


def _link(doc: Document) -> str:
    return doc.url or doc.path or doc.id


def region_amounts(docs: list[Document], programme: str | None = None, funder: str | None = None) -> list[ReportAmount]:
    """Every amount of ``docs``, with ``counted`` set so that the sum of counted amounts is honest.

    The same money is often published twice: a Finnish page and its Swedish twin, or a news item
    republished at another address. Both copies carry the same value for the same years, so within
    one group of twins and duplicates an amount counts once per (euro value, years). Equal amounts
    on unrelated pages are not merged: two projects can well get the same sum for the same years.
    An amount whose sentence names another programme than ``programme`` (or another funder than
    ``funder``) is listed but not counted, so 'RRP money' does not include sote-keskus money.
    """
    family = _families(docs)
    seen: dict[tuple[str, int, str], str] = {}
    out: list[ReportAmount] = []
    for doc in docs:
        for amount in doc.facts.amounts if doc.facts else ():
            note = None
            other = _other_programme(amount, programme)
            if other:
                note = f"named with programme {other}"
            elif funder and amount.funder and amount.funder.casefold() != funder.casefold():
                note = f"funded by {amount.funder}"
            key = (family.get(doc.id, doc.id), round(amount.eur), _year_key(amount.year))
            same_as = seen.get(key) if note is None else None
            counted = note is None and same_as is None
            if counted:
                seen[key] = doc.id
            out.append(
                ReportAmount(
                    text=amount.text,
                    eur=amount.eur,
                    year=amount.year,
                    funder=amount.funder,
                    project=amount.project,
                    qualifier=amount.qualifier,
                    sentence=amount.sentence,
                    doc_id=doc.id,
                    link=_link(doc),
                    lang=doc.lang,
                    counted=counted,
                    same_as=same_as,
                    note=note or (f"same amount as on {same_as}" if same_as else None),
                )
            )
    return out


# --- funders, projects, contacts -----------------------------------------------------------------


def _funder_counts(docs: list[Document]) -> tuple[tuple[str, int], ...]:
    family = _families(docs)
    pages: dict[str, set[str]] = defaultdict(set)
    for doc in docs:
        for funder in doc.facts.funders if doc.facts else ():
            pages[funder].add(family.get(doc.id, doc.id))
    return tuple(sorted(((f, len(p)) for f, p in pages.items()), key=lambda fp: (-fp[1], fp[0])))


def _projects(docs: list[Document]) -> tuple[str, ...]:
    seen: dict[str, str] = {}
    for doc in docs:
        for project in doc.facts.projects if doc.facts else ():
            seen.setdefault(" ".join(project.split()).casefold(), project)
    return tuple(seen.values())


def _contacts(docs: list[Document]) -> tuple[ProjectContact, ...]:
    """One entry per person (same name on several pages merges, keeping every known detail)."""
    merged: dict[str, ProjectContact] = {}
    for doc in docs:
        for contact in doc.facts.contacts if doc.facts else ():
            key = " ".join(contact.name.split()).casefold()
            old = merged.get(key)
            new = ProjectContact(
                contact.name, contact.title, contact.phone, contact.email, contact.organization, doc.id, _link(doc)
            )
            if old is None:
                merged[key] = new
                continue
            merged[key] = ProjectContact(
                old.name,
                old.title or new.title,
                old.phone or new.phone,
                old.email or new.email,
                old.organization or new.organization,
                old.doc_id,
                old.link,
            )
    return tuple(merged.values())


# --- themes --------------------------------------------------------------------------------------


def _excluded_terms(searcher: Any, extra: Iterable[str]) -> set[str]:
    """Terms that say nothing about a region's work: county names, generic words, the filter values."""
    names: list[str] = [n for pair in _registry() for n in pair if n]
    names.extend(extra)
    names.extend(_theme_stopwords())
    out: set[str] = set()
    schema = searcher.schema
    for fieldname in ("text_fi", "text_sv"):
        analyzer = schema[fieldname].analyzer
        for name in names:
            out.update(t.text for t in analyzer(name))
            out.update(t.text for t in analyzer(name.replace("-", " ")))
    return out


@cache
def _theme_stopwords() -> tuple[str, ...]:
    text = resources.files("hakemisto").joinpath("data/theme_stopwords.txt").read_text("utf-8")
    return tuple(w for w in (line.split("#")[0].strip() for line in text.splitlines()) if w)


def _person_terms(searcher: Any, docs: list[Document]) -> set[str]:
    """Terms of the people named on the pages: a name is a contact, not a theme."""
    words = {part for d in docs for p in (d.facts.persons if d.facts else ()) for part in re.split(r"[\s-]+", p)}
    out: set[str] = set()
    for fieldname in ("text_fi", "text_sv"):
        for word in words:
            out.update(t.text for t in searcher.schema[fieldname].analyzer(word))
    return out


def themes(searcher: Any, docs: list[Document], excluded: set[str], top: int = THEMES) -> tuple[str, ...]:
    """The region's most distinctive words: share of its pages using a term × the term's idf.

    Terms are the index's own (Finnish base forms, Swedish stems), shown as the word most often
    written for them; numbers, stop words (dropped by the analyzers) and county names are left out.
    """
    if not docs:
        return ()
    total = max(searcher.doc_count(), 1)
    schema = searcher.schema
    excluded = excluded | _person_terms(searcher, docs)
    region_df: Counter[tuple[str, str]] = Counter()
    surfaces: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)
    for doc in docs:
        fields = idx.index_fields(doc)
        seen: set[tuple[str, str]] = set()
        for fieldname in ("text_fi", "text_sv"):
            text = _ADDRESS.sub(" ", fields.get(fieldname) or "")
            for token in schema[fieldname].analyzer(text, keeporiginal=True):
                term = token.text
                if token.boost < 1.0 or len(term) < 3 or term in excluded or _NUMBERISH.search(term):
                    continue
                if fieldname_is_fi(fieldname) and not _content_word(term):
                    continue
                key = (fieldname, term)
                seen.add(key)
                surfaces[key][getattr(token, "original", term)] += 1
        region_df.update(seen)
    scored = []
    for key, n in region_df.items():
        df = searcher.doc_frequency(key[0], key[1]) or n
        tf = sum(surfaces[key].values())
        score = (n / len(docs)) * math.log(1 + tf) * math.log(1 + total / df)
        scored.append((score, tf, key[1], key))
    scored.sort(key=lambda s: (-s[0], -s[1], s[2]))
    out: list[str] = []
    for _score, _n, term, key in scored:
        word = term if fieldname_is_fi(key[0]) else surfaces[key].most_common(1)[0][0].lower()
        if word not in out:
            out.append(word)
        if len(out) >= top:
            break
    return tuple(out)


# voikko word classes that never name what a region did: verbs, pronouns, adverbs, conjunctions,
# adpositions, numerals and interjections ('voida', 'moni', 'myös', 'kautta').
_FUNCTION_CLASSES = {"teonsana", "asemosana", "seikkasana", "sidesana", "suhdesana", "lukusana", "huudahdussana",
                     "kieltosana"}



@cache
def _content_word(term: str) -> bool:
    """A Finnish base form that can be a theme: a noun, adjective or name (every reading, not a verb,
    pronoun, adverb or particle; participles such as 'mietitty' count as verbs)."""
    readings = voikko.analyze(term)
    if not readings:
        return True  # unknown compounds and names ('hoitotakuu' variants, 'Kotona turvallisesti')
    return not all(r.get("CLASS") in _FUNCTION_CLASSES or r.get("PARTICIPLE") for r in readings)


def fieldname_is_fi(fieldname: str) -> bool:
    """Finnish terms are base forms and read well as they are; Swedish stems need their surface word."""
    return fieldname.endswith("_fi")


# --- the report ----------------------------------------------------------------------------------


def build_report(
    settings: Settings,
    *,
    programme: str | None = None,
    funder: str | None = None,
    regions: Iterable[str] | None = None,
    query: str | None = None,
) -> Report:
    """The overview per county of the pages matching all given filters (none = every page)."""
    ix = idx.open_index(settings.index_dir)
    with ix.searcher() as searcher:
        programme_id = _resolve_id(searcher, "programmes", "programme", programme) if programme else None
        funder_id = _resolve_id(searcher, "funders", "funder", funder) if funder else None
        wanted = list(dict.fromkeys(_resolve_region(r) for r in regions or ()))
        docs = _select(settings.index_dir, programme_id, funder_id, wanted, query)
        by_region: dict[str, list[Document]] = defaultdict(list)
        for doc in docs:
            by_region[_region_of(doc) or UNKNOWN_REGION].append(doc)
        excluded = _excluded_terms(searcher, [x for x in (programme_id, funder_id) if x])
        listed = [(name, sv) for name, sv in _registry() if not wanted or name in wanted]
        if by_region.get(UNKNOWN_REGION):
            listed.append((UNKNOWN_REGION, None))
        project_set = load_projects(settings)
        records = _report_projects(project_set, programme_id, funder_id, wanted,
                                   {d.id for d in docs} if query and query.strip() else None)
        selected = {d.id: _region_of(d) for d in docs}
        loose_by_county: dict[str, list[ProjectAmount]] = defaultdict(list)
        for amount in project_set.loose:
            if amount.doc_id in selected:
                county = amount.region or selected[amount.doc_id]
                if county:
                    loose_by_county[county].append(amount)
        by_county: dict[str, list[Project]] = defaultdict(list)
        for record in records:
            if record.region:
                by_county[record.region].append(record)
        sections = []
        for name, sv in listed:
            region_docs = by_region.get(name, [])
            amounts = region_amounts(region_docs, programme_id, funder_id)
            own = tuple(by_county.get(name, ()))
            sections.append(
                RegionReport(
                    region=name,
                    name_sv=sv,
                    documents=tuple(
                        ReportDocument(d.id, d.title, _link(d), d.lang, d.url, d.path, d.twin, d.duplicates)
                        for d in region_docs
                    ),
                    projects=_projects(region_docs),
                    funders=_funder_counts(region_docs),
                    amounts=tuple(amounts),
                    total_eur=sum(p.granted_eur for p in own),
                    themes=themes(searcher, region_docs, excluded),
                    contacts=_contacts(region_docs),
                    records=own,
                    loose=tuple(loose_by_county.get(name, ())),
                    applied_eur=sum(p.total("applied") for p in own),
                    budget_eur=sum(p.total("budget") for p in own),
                    cost_eur=sum(p.total("cost") for p in own),
                )
            )
    notes = []
    if not docs:
        notes.append(Note("no_match", "No indexed page matches these filters; try without the search words, "
                          "or another programme or funder."))
    return Report(
        programme=programme_id,
        funder=funder_id,
        regions_filter=tuple(wanted),
        query=query,
        regions=tuple(sections),
        documents=len(docs),
        total_eur=sum(s.total_eur for s in sections),
        notes=tuple(notes),
        matrix=programme_matrix([p for p in records if p.region], programme_id),
        national=tuple(p for p in records if not p.region),
    )


def _report_projects(records: ProjectSet, programme: str | None, funder: str | None, regions: list[str],
                     doc_ids: set[str] | None) -> list[Project]:
    """The project records the report's filters select (``doc_ids``: pages matching the query)."""
    out = []
    for p in records.projects:
        if programme and programme not in p.programmes:
            continue
        if funder and funder not in p.funders:
            continue
        if regions and p.region not in regions:
            continue
        if doc_ids is not None and not doc_ids & {page.doc_id for page in p.pages}:
            continue
        out.append(p)
    return out


def phase(programme: str, p: Project) -> str:
    """'RRP 2022', 'RRP 2023–2025': a programme and the period its project ran or was funded for."""
    return f"{programme} {p.period}" if p.period else programme


def programme_matrix(records: Iterable[Project], programme: str | None = None) -> Matrix:
    """Counties × programme phases with granted sums (rule 2) and project counts."""
    cells: dict[tuple[str, str], list[Project]] = defaultdict(list)
    for p in records:
        for prog in p.programmes:
            if programme and prog != programme:
                continue
            cells[(p.region or UNKNOWN_REGION, phase(prog, p))].append(p)
    phases = tuple(sorted({ph for _, ph in cells}, key=lambda ph: (ph.split(" ")[0], ph)))
    order = [name for name, _ in _registry()]
    regions = sorted({r for r, _ in cells}, key=lambda r: (order.index(r) if r in order else len(order), r))
    rows = tuple(
        (r, tuple(MatrixCell(sum(p.granted_eur for p in cells.get((r, ph), ())), len(cells.get((r, ph), ())))
                  for ph in phases))
        for r in regions
    )
    return Matrix(phases, rows)


# --- renderers -----------------------------------------------------------------------------------


def format_eur(value: float, lang: str = "fi") -> str:
    """'11,7 milj. €' (the shared Babel formatter, ``fmt``), with plain spaces for terminals and files."""
    from hakemisto.report.fmt import format_eur as babel_eur

    return babel_eur(value, lang).replace("\u00a0", " ")


def _amount_line(a: ReportAmount) -> str:
    bits = [f"{format_eur(a.eur)} ({a.text})"]
    if a.year:
        bits.append(f"for {a.year}")
    if a.funder:
        bits.append(f"funder {a.funder}")
    if a.project:
        bits.append(f"project {a.project}")
    return ", ".join(bits)


def _contact_line(c: ProjectContact) -> str:
    return ", ".join(b for b in (c.name, c.title, c.phone, c.email, c.organization) if b)


def render_table(report: Report) -> str:
    """Plain text for a terminal: one block per county with pages, then the counties without any."""
    lines = [report.title()]
    lines.append(
        f"{len(report.with_documents)} of {len(report.regions)} regions with matching pages; "
        f"{report.documents} pages; total {format_eur(report.total_eur)}"
    )
    for region in report.with_documents:
        lines.append("")
        name = region.region + (f" / {region.name_sv}" if region.name_sv and region.name_sv != region.region else "")
        lines.append(f"== {name} — {len(region.documents)} pages, total {format_eur(region.total_eur)}")
        for doc in region.documents:
            lines.append(f"  page: {doc.title} [{doc.lang}] {doc.link}")
        for record in region.records:
            lines.extend(_record_lines(record))
        if region.projects and not region.records:
            lines.append(f"  projects: {'; '.join(region.projects)}")
        if region.funders:
            lines.append("  funders: " + ", ".join(f"{f} ({n})" for f, n in region.funders))
        for loose in region.loose:
            lines.append(f"  other sum: {format_eur(loose.eur)} {loose.role or '?'} ({loose.text}) — not counted: "
                         f"{reason_text(loose.reason)} — {loose.link}")
        if not region.amounts:
            lines.append("  amounts: none found")
        if region.themes:
            lines.append(f"  themes: {', '.join(region.themes)}")
        for contact in region.contacts:
            lines.append(f"  contact: {_contact_line(contact)} — {contact.link}")
    if report.matrix.rows:
        lines += ["", "Programme matrix (granted € / projects):"]
        lines.append("  " + " | ".join(["county", *report.matrix.phases]))
        for region_name, cells in report.matrix.rows:
            lines.append("  " + " | ".join([region_name, *(f"{format_eur(c.granted_eur)} / {c.projects}" if c.projects
                                                          else "–" for c in cells)]))
    if report.national:
        lines += ["", "National pages and projects (context, never in a county total):"]
        for record in report.national:
            lines.extend(_record_lines(record))
    if report.without_documents:
        lines.append("")
        lines.append("No matching pages: " + ", ".join(r.region for r in report.without_documents))
    lines.extend(report.notes)
    return "\n".join(lines) + "\n"


def _record_lines(record: Project) -> list[str]:
    """A project with its money by role; every amount left out of the total says why."""
    money = [f"granted {format_eur(record.granted_eur)}"]
    money += [f"{role} {format_eur(record.total(role))}" for role in ("applied", "budget", "cost") if record.total(role)]
    head = f"  project: {record.name}" + (f" ({record.period})" if record.period else "")
    out = [head + f" — {', '.join(money)}" + (f" [{', '.join(record.programmes)}]" if record.programmes else "")]
    for a in record.amounts:
        mark = "counted" if a.counted else f"not counted: {reason_text(a.reason)}"
        out.append(f"      {format_eur(a.eur)} {a.role or '?'} ({a.text}) — {mark} — {a.link}")
    lead = record.lead_contact
    if lead:
        out.append("      contact: " + ", ".join(x for x in (lead.name, lead.title, lead.phone, lead.email) if x))
    return out


CSV_COLUMNS = (
    "region", "kind", "name", "eur", "counted", "year", "funder", "project", "title", "phone", "email",
    "organization", "lang", "sentence", "note", "doc_id", "link",
)  # fmt: skip


def _csv_rows(report: Report) -> Iterable[dict[str, Any]]:
    for region in report.regions:
        base = {"region": region.region}
        if not region.has_documents:
            yield base | {"kind": "no documents"}
            continue
        yield base | {"kind": "total", "eur": round(region.total_eur, 2), "name": format_eur(region.total_eur)}
        for doc in region.documents:
            yield base | {"kind": "document", "name": doc.title, "lang": doc.lang, "doc_id": doc.id, "link": doc.link}
        for record in region.records:
            yield base | {"kind": "project", "name": record.name, "eur": round(record.granted_eur, 2),
                          "year": record.period, "note": ", ".join(record.programmes)}
            for a in record.amounts:
                yield base | {"kind": f"project amount ({a.role or '?'})", "name": a.text, "eur": a.eur,
                              "counted": a.counted, "year": a.year, "funder": a.funder, "project": record.name,
                              "lang": a.lang, "sentence": a.sentence, "note": reason_text(a.reason),
                              "doc_id": a.doc_id, "link": a.link}
        if not region.records:
            for project in region.projects:
                yield base | {"kind": "project", "name": project}
        for funder, pages in region.funders:
            yield base | {"kind": "funder", "name": funder, "note": f"{pages} pages"}
        for a in region.amounts:
            yield base | {
                "kind": "amount", "name": a.text, "eur": a.eur, "counted": a.counted, "year": a.year,
                "funder": a.funder, "project": a.project, "lang": a.lang, "sentence": a.sentence,
                "note": a.note, "doc_id": a.doc_id, "link": a.link,
            }  # fmt: skip
        for theme in region.themes:
            yield base | {"kind": "theme", "name": theme}
        for c in region.contacts:
            yield base | {
                "kind": "contact", "name": c.name, "title": c.title, "phone": c.phone, "email": c.email,
                "organization": c.organization, "doc_id": c.doc_id, "link": c.link,
            }  # fmt: skip


def render_csv(report: Report) -> str:
    """One row per fact ('kind' says which: total, document, project, funder, amount, theme, contact).

    The same Finnish-Excel rules as ``hakemisto projects``: ';'-separated, UTF-8 with a BOM, euros as
    numbers with a decimal comma, every text cell neutralised against formula injection."""
    return to_csv(CSV_COLUMNS, ([row.get(c) for c in CSV_COLUMNS] for row in _csv_rows(report)))


def _md(text: str | None) -> str:
    return (text or "").replace("|", "\\|").replace("\n", " ")


def render_markdown(report: Report) -> str:
    """A document to paste into a memo: a section per county, amounts and contacts as tables."""
    lines = [f"# {report.title()}", ""]
    lines.append(
        f"{len(report.with_documents)} of {len(report.regions)} regions with matching pages; "
        f"{report.documents} pages; total **{format_eur(report.total_eur)}**."
    )
    for region in report.with_documents:
        lines += ["", f"## {region.region}" + (f" ({region.name_sv})" if region.name_sv and region.name_sv != region.region else ""), ""]
        lines.append(f"Total: **{format_eur(region.total_eur)}**")
        lines.append("")
        lines.append("Pages: " + "; ".join(f"[{_md(d.title)}]({d.link}) ({d.lang})" for d in region.documents))
        if region.records:
            lines += ["", "| project | period | granted | applied | budget | cost | contact |",
                      "|---|---|---|---|---|---|---|"]
            for r in region.records:
                lead = r.lead_contact
                lines.append(
                    f"| {_md(r.name)} | {r.period} | {format_eur(r.granted_eur)} | {format_eur(r.total('applied'))} "
                    f"| {format_eur(r.total('budget'))} | {format_eur(r.total('cost'))} | {_md(lead.name if lead else '')} |"
                )
        elif region.projects:
            lines += ["", "Projects: " + "; ".join(_md(p) for p in region.projects)]
        if region.funders:
            lines += ["", "Funders: " + ", ".join(f"{f} ({n})" for f, n in region.funders)]
        if region.themes:
            lines += ["", "Themes: " + ", ".join(region.themes)]
        if region.amounts:
            lines += ["", "| amount | as written | years | funder | project | counted | source |", "|---|---|---|---|---|---|---|"]
            for a in region.amounts:
                counted = "yes" if a.counted else f"no ({_md(a.note)})"
                lines.append(
                    f"| {format_eur(a.eur)} | {_md(a.text)} | {_md(a.year)} | {_md(a.funder)} | {_md(a.project)} "
                    f"| {counted} | [{_md(a.sentence) or a.doc_id}]({a.link}) |"
                )
        if region.contacts:
            lines += ["", "| contact | title | phone | e-mail | organisation | page |", "|---|---|---|---|---|---|"]
            for c in region.contacts:
                lines.append(
                    f"| {_md(c.name)} | {_md(c.title)} | {_md(c.phone)} | {_md(c.email)} | {_md(c.organization)} "
                    f"| [{c.doc_id}]({c.link}) |"
                )
    if report.matrix.rows:
        lines += ["", "## Programme matrix", "", "| county | " + " | ".join(report.matrix.phases) + " |",
                  "|---|" + "---|" * len(report.matrix.phases)]
        for region_name, cells in report.matrix.rows:
            lines.append(f"| {region_name} | " + " | ".join(
                f"{format_eur(c.granted_eur)} ({c.projects})" if c.projects else "–" for c in cells) + " |")
    if report.without_documents:
        lines += ["", "## No matching pages", "", ", ".join(r.region for r in report.without_documents)]
    for note in report.notes:
        lines += ["", f"_{note}_"]
    return "\n".join(lines) + "\n"


RENDERERS = {"table": render_table, "csv": render_csv, "markdown": render_markdown}
