"""Project records: one record per real project across pages and both languages, with honest money.

A county page, its Swedish twin, a board minute and a ministry release all talk about the same
project under different names ("Tulevaisuuden sosiaali- ja terveyskeskus", "Framtidens social- och
hälsocentral", "TulSote"). ``build_projects`` gathers every page's mentions (``Facts.projects``,
``Facts.project_mentions``, the ``project`` of amounts and contacts), groups the names that denote
one project within one county (same name, shared acronym, rapidfuzz similarity, the fi↔sv glossary,
and the order of projects on a fi/sv twin pair), and attaches the amounts, contacts and pages.

Money by role (``shared/gold/README.md``): only ``granted`` money of a county's own projects enters
the county's total. Every other amount stays visible with the reason it is left out: applied,
budget, cost, pool, national, a part of a larger sum, or the same grant seen again (twin page,
republished page, rounded form). Reasons are codes; ``reason_text`` says them in fi, sv or en.

The records are rebuilt from the documents the ingest already holds in memory and stored next to
the index (``projects.json``), so a changed page updates its projects in the same run.
"""

from __future__ import annotations

import json
import os
import re
import tomllib
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from functools import cache, lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from rapidfuzz import fuzz

from hakemisto import PIPELINE_VERSION
from hakemisto.core import glossary, voikko
from hakemisto.core.atomic import read_json, write_bytes
from hakemisto.core.config import Settings
from hakemisto.core.errors import UsageError
from hakemisto.core.model import Document, plain
from hakemisto.core.unionfind import UnionFind
from hakemisto.facts.attach import sequel_name
from hakemisto.facts.funding import funding_vocab, programme_forms, registry_ids

PROJECTS_FILE = "projects.json"
FORMAT_VERSION = 2
NAME_MATCH = 88.0  # token_sort_ratio for two spellings of one name in one county
CROSS_LANG_MATCH = 80.0  # token_set_ratio after the fi name is put into Swedish with the glossary
CROSS_LANG_WHOLE = 72.0  # … and token_sort_ratio: the whole names alike, not one inside the other
EXACT_TOLERANCE = 0.005  # the gold README's 0.5 %: the same sum written twice
ROUNDED_TOLERANCE = 0.05  # "noin 1,5 miljoonaa" beside "1 498 000 euroa"
ROUNDED_MAX = 0.10  # "cirka 0,6 miljoner" beside "640 000 €": never more than 10 % apart
ROUNDING_QUALIFIERS = frozenset({
    "noin", "n.", "arviolta", "lähes", "vajaa", "vajaat", "runsas", "runsaat", "reilu", "reilut",
    "hieman yli", "hieman alle", "vähän yli", "yli", "alle", "cirka", "ca", "ca.", "c:a", "drygt",
    "nästan", "knappt", "över", "under", "about", "approximately", "over",
})  # fmt: skip
LEAD_TITLE = re.compile(r"päällik|johtaj|ledare|chef|koordinaat|koordinator|vastuuhenkil|ansvarig", re.I)
_PART_CUE = re.compile(r"(?:\bjosta|\bjoista|\bmistä|\bvarav|\bdärav)\b[^.;]{0,60}$", re.I)
_OWNER = re.compile(
    r"^(?:[A-ZÅÄÖ][\w-]*n\s+){0,2}(?:hyvinvointialueen|kuntayhtymän|kaupungin|ministeriön)\s+(?=[A-ZÅÄÖ0-9])"
)
_ACRONYM = re.compile(r"^[A-ZÅÄÖ0-9][A-Za-zÅÄÖåäö0-9]{1,9}$")
_PAREN = re.compile(r"^(?P<name>.+?)\s*\((?P<acr>[^()]{2,15})\)\s*$")
_ACRONYM_FIRST = re.compile(r"^(?P<acr>[A-ZÅÄÖ][A-ZÅÄÖ0-9+-]{1,9})\s+[–—-]\s+(?P<long>[A-ZÅÄÖ].{4,})$")
_NAME_NOISE = re.compile(
    r"(?:(?<=\w)[-–]|(?:^|\s)[-–]?\s*)(?:hanke|hankkeen|hankkeessa|hankkeelle|hankkeeseen|hankkeella|hankkeesta|"
    r"projektet|projekt|projektets|hankekokonaisuus)(?=\s|$)|[\"”“'«»]",
    re.I,
)


# --- records ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PageRef:
    """A page that mentions a project."""

    doc_id: str
    title: str
    link: str
    lang: str
    region: str | None = None
    date: str | None = None  # published or modified, ISO date


@dataclass(frozen=True)
class ProjectAmount:
    """One euro amount as written on one page; ``reason`` (a code) says why it is not in the total."""

    eur: float
    text: str
    role: str | None
    doc_id: str
    link: str
    lang: str
    year: str | None = None
    funder: str | None = None
    qualifier: str | None = None
    sentence: str | None = None
    region: str | None = None
    reason: str | None = None
    same_as: str | None = None  # the page whose copy of this grant is counted
    distinct: bool = True  # False: a copy of an amount already shown in its role's column

    @property
    def counted(self) -> bool:
        """True when this amount is in its county's granted total."""
        return self.role == "granted" and self.reason is None


@dataclass(frozen=True)
class ProjectContact:
    name: str
    title: str | None
    phone: str | None
    email: str | None
    organization: str | None
    doc_id: str
    link: str
    seen: str | None = None


@dataclass(frozen=True)
class Project:
    """Everything known about one project, from every page that mentions it."""

    id: str
    name: str
    names: tuple[str, ...] = ()
    acronyms: tuple[str, ...] = ()
    region: str | None = None
    regions: tuple[str, ...] = ()
    programmes: tuple[str, ...] = ()
    funders: tuple[str, ...] = ()
    start_year: int | None = None
    end_year: int | None = None
    status: str | None = None
    lead: str | None = None
    amounts: tuple[ProjectAmount, ...] = ()
    contacts: tuple[ProjectContact, ...] = ()
    pages: tuple[PageRef, ...] = ()

    @property
    def scope(self) -> str:
        """'county' for a county's own project, 'national' when no county is known."""
        return "county" if self.region else "national"

    def total(self, role: str) -> float:
        """Granted: what counts in the county total; other roles: the distinct amounts of that role."""
        if role == "granted":
            return sum(a.eur for a in self.amounts if a.counted)
        return sum(a.eur for a in self.amounts if a.role == role and a.distinct)

    @property
    def granted_eur(self) -> float:
        return self.total("granted")

    @property
    def period(self) -> str:
        if self.start_year and self.end_year and self.start_year != self.end_year:
            return f"{self.start_year}–{self.end_year}"
        return str(self.start_year or self.end_year or "")

    @property
    def lead_contact(self) -> ProjectContact | None:
        for contact in self.contacts:
            if contact.title and LEAD_TITLE.search(contact.title):
                return contact
        return self.contacts[0] if self.contacts else None

    def years(self) -> set[int]:
        out: set[int] = set()
        if self.start_year or self.end_year:
            lo, hi = self.start_year or self.end_year, self.end_year or self.start_year
            out.update(range(min(lo, hi), max(lo, hi) + 1))  # type: ignore[type-var]
        for a in self.amounts:
            out.update(_years(a.year))
        return out

    def to_dict(self) -> dict[str, Any]:
        data = plain(self)  # ``asdict`` without its deep copies (same dicts)
        data["scope"] = self.scope
        data["period"] = self.period
        data["granted_eur"] = self.granted_eur
        data["applied_eur"] = self.total("applied")
        data["budget_eur"] = self.total("budget")
        data["cost_eur"] = self.total("cost")
        for item in data["amounts"]:
            item["counted"] = item["role"] == "granted" and item["reason"] is None
        lead = self.lead_contact
        data["lead_contact"] = plain(lead) if lead else None
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Project:
        known_amount = set(ProjectAmount.__dataclass_fields__)
        return cls(
            id=data["id"], name=data["name"], names=tuple(data.get("names", ())),
            acronyms=tuple(data.get("acronyms", ())), region=data.get("region"),
            regions=tuple(data.get("regions", ())), programmes=tuple(data.get("programmes", ())),
            funders=tuple(data.get("funders", ())), start_year=data.get("start_year"),
            end_year=data.get("end_year"), status=data.get("status"), lead=data.get("lead"),
            amounts=tuple(ProjectAmount(**{k: v for k, v in a.items() if k in known_amount})
                          for a in data.get("amounts", ())),
            contacts=tuple(ProjectContact(**c) for c in data.get("contacts", ())),
            pages=tuple(PageRef(**p) for p in data.get("pages", ())),
        )  # fmt: skip


@dataclass(frozen=True)
class Person:
    """One contact person across pages and languages (the directory's row)."""

    name: str
    titles: tuple[str, ...] = ()
    projects: tuple[str, ...] = ()  # project ids
    project_names: tuple[str, ...] = ()
    organizations: tuple[str, ...] = ()
    regions: tuple[str, ...] = ()
    phone: str | None = None
    email: str | None = None
    last_seen: str | None = None
    pages: tuple[str, ...] = ()  # links


@dataclass(frozen=True)
class ProjectSet:
    """All project records plus the money that belongs to no named project (shown, never summed)."""

    projects: tuple[Project, ...] = ()
    loose: tuple[ProjectAmount, ...] = ()
    people: tuple[Person, ...] = ()
    documents: int = 0
    pipeline_version: str = PIPELINE_VERSION

    def region_total(self, region: str) -> float:
        """A county's granted total: counted grants of its own projects, nothing else."""
        return sum(p.granted_eur for p in self.projects if p.region == region)

    def get(self, project_id: str) -> Project | None:
        return next((p for p in self.projects if p.id == project_id), None)

    def to_dict(self) -> dict[str, Any]:
        return {
            "format": FORMAT_VERSION,
            "pipeline_version": self.pipeline_version,
            "documents": self.documents,
            "projects": [p.to_dict() for p in self.projects],
            "loose": [plain(a) for a in self.loose],
            "people": [plain(p) for p in self.people],
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ProjectSet:
        known = set(ProjectAmount.__dataclass_fields__)
        return cls(
            projects=tuple(Project.from_dict(p) for p in data.get("projects", ())),
            loose=tuple(ProjectAmount(**{k: v for k, v in a.items() if k in known}) for a in data.get("loose", ())),
            people=tuple(Person(**{k: tuple(v) if isinstance(v, list) else v for k, v in p.items()})
                         for p in data.get("people", ())),
            documents=data.get("documents", 0),
            pipeline_version=data.get("pipeline_version", ""),
        )


# --- vocabularies ---------------------------------------------------------------------------------


@cache
def _reasons() -> dict[str, dict[str, str]]:
    text = resources.files("hakemisto").joinpath("data/money_reasons.toml").read_text("utf-8")
    return tomllib.loads(text)


def reason_text(code: str | None, lang: str = "en") -> str:
    """The reason an amount is left out of a total, in ``lang`` (fi, sv or en)."""
    if not code:
        return ""
    table = _reasons().get(lang) or _reasons()["en"]
    return table.get(code, code)


@cache
def _glossary() -> tuple[tuple[str, str], ...]:
    """fi → sv phrase pairs (county names included), longest Finnish phrase first (multi-word names
    before single words)."""
    folded = ((fi.casefold(), sv.casefold()) for fi, sv in glossary.pairs())
    return tuple(sorted(((fi, sv) for fi, sv in folded if len(fi) >= 4), key=lambda p: -len(p[0])))


@cache
def _translation() -> tuple[re.Pattern[str], dict[str, str]]:
    """One pattern for every glossary stem, longest first, and stem → Swedish."""
    table: dict[str, str] = {}
    for fi, sv in _glossary():
        if len(fi) < 5:
            continue
        stem = fi[:-1] if len(fi) > 6 else fi  # 'tulevaisuuden' ~ 'tulevaisuus': match the stem
        table.setdefault(stem, sv)
    stems = sorted(table, key=len, reverse=True)
    return re.compile(r"\b(" + "|".join(re.escape(x) for x in stems) + r")\w*"), table


@cache
def to_swedish(name: str) -> str:
    """A Finnish project name with the glossary's phrases put into Swedish (for matching only)."""
    pattern, table = _translation()
    return pattern.sub(lambda m: table[m.group(1)], name_key(name))


@cache
def name_key(name: str) -> str:
    """Case, quotes, dashes and the word 'hanke'/'projektet' do not make another project."""
    text = name.casefold().replace("–", " ").replace("—", " ")
    text = _NAME_NOISE.sub(" ", text)
    text = re.sub(r"\s+-\s+|\s+", " ", text)
    return text.strip(" -")


def slug(text: str) -> str:
    base = re.sub(r"[^a-z0-9åäö]+", "-", text.casefold()).strip("-")
    return base[:80] or "project"


def _years(text: str | None) -> list[int]:
    return [int(y) for y in re.findall(r"(?:19|20)\d{2}", text or "")]


def _year_key(text: str | None) -> tuple[int, ...]:
    years = _years(text)
    return (min(years), max(years)) if years else ()


def _date(doc: Document) -> str | None:
    moment = doc.modified or doc.published
    return moment.date().isoformat() if moment else None


def _seen(doc: Document) -> str | None:
    """When a person was last seen on a page: its own date, else when hakemisto read it."""
    moment = doc.modified or doc.published or doc.loaded_at
    return moment.date().isoformat() if moment else None


def _link(doc: Document) -> str:
    return doc.url or doc.path or doc.id


def _region(doc: Document) -> str | None:
    return doc.region or (doc.facts.region if doc.facts else None)


# --- mentions and clustering -----------------------------------------------------------------------


@dataclass(frozen=True)
class _Mention:
    """One project name on one page, with what that page says about it."""

    name: str
    region: str | None
    doc_id: str
    lang: str
    order: int
    aliases: tuple[str, ...] = ()
    programmes: tuple[str, ...] = ()
    start_year: int | None = None
    end_year: int | None = None
    status: str | None = None
    lead: str | None = None
    joint: bool = False  # one page gives this name money of several counties: a joint project
    synthetic: bool = False  # named after its programme by a national page ('Tulevaisuuden sote-keskus Kanta-Häme')


def _is_programme_name(name: str) -> bool:
    """'RRP', 'RRP2', 'KATI': a programme or its funding round, not one county's project by itself
    ('Tulevaisuuden sote-keskus' stays: counties name their projects after that programme)."""
    m = re.fullmatch(r"(\S+?)[\s-]*\d{0,2}", name.strip())
    return bool(m) and m.group(1).casefold() in registry_ids("programme")


@cache
def _funding_names() -> frozenset[str]:
    """Funder names in every spelling: 'NextGenerationEU' is a funder, not a project (programme names
    stay: a county's 'Tulevaisuuden sote-keskus' project is known by its programme's name)."""
    names: set[str] = set()
    for kind in ("funder",):
        for entry in funding_vocab().get(kind, ()):
            for name in (entry["id"], *entry.get("acronyms", ()), *entry.get("fi", ()), *entry.get("sv", ())):
                if "*" not in name:
                    names.add(name_key(name))
    return frozenset(names)


@cache
def _records_vocab() -> dict[str, list[str]]:
    data = tomllib.loads(resources.files("hakemisto").joinpath("data/projects.toml").read_text("utf-8"))
    return data["records"]


@cache
def _glossary_words() -> frozenset[str]:
    return frozenset(sv.casefold() for _fi, sv in glossary.pairs() if " " not in sv and len(sv) >= 5)


def _common_word(word: str) -> bool:
    """A Swedish glossary term with an inflection ending ('vårdgaranti' → 'vårdgarantin')."""
    words = _glossary_words()
    return any(word.endswith(end) and word[: len(word) - len(end)] in words
               for end in _records_vocab()["sv_endings"])


def _not_a_name(name: str) -> bool:
    """A funder's name, or one common word in the genitive ('Hyvinvointialueen', 'Yksittäisen'):
    a fragment of a sentence, not a project."""
    key = name_key(name)
    if key in _funding_names() and not _ACRONYM.match(name):
        return True
    if key in {name_key(n) for n in ("NextGenerationEU", "Next Generation EU", "EU")}:
        return True
    words = name.split()
    records = _records_vocab()
    if len(words) >= 2 and words[-1].casefold() in records["share_words"]:
        return True  # 'Lieksan osuus': a share of a sum
    if len(words) != 1 or not words[0].isalpha():
        return False
    if _common_word(words[0].casefold()):
        return True  # 'Vårdgarantin': the glossary's common noun, inflected
    analyses = voikko.analyze(words[0])
    return bool(analyses) and all(a.get("SIJAMUOTO") == "omanto" and a.get("CLASS") in ("nimisana", "laatusana")
                                  for a in analyses)


def name_region(name: str) -> str | None:
    """The one county a project's own name names ('Kymenlaakson Tulevaisuuden sote-keskus')."""
    from hakemisto.core.regions import normalize_region

    found = set()
    # a county of two words first ('RRF-Mellersta Österbotten' is Keski-Pohjanmaa, not Pohjanmaa)
    for m in re.finditer(r"(?:(?<=-)|(?<!\S))([A-ZÅÄÖ][\wåäö]+ [A-ZÅÄÖ][\wåäö-]+)", name):
        if (region := normalize_region(m.group(1))) and " " in _county_name_of(m.group(1)):
            name = name.replace(m.group(1), " ")
            found.add(region)
    for word in re.findall(r"[A-ZÅÄÖ][\wåäöÅÄÖ-]+", name):
        parts = word.split("-")
        spans = sorted(((i, j) for i in range(len(parts)) for j in range(i + 1, len(parts) + 1)),
                       key=lambda ij: ij[0] - ij[1])  # 'RRF-Keski-Pohjanmaa': the longest county first
        for i, j in spans:
            part = "-".join(parts[i:j])
            if part[:1].isupper() and (region := normalize_region(part)):
                found.add(region)
                break
    return found.pop() if len(found) == 1 else None


def _county_name_of(text: str) -> str:
    """``text`` when it is a two-word county name as the registry writes it (fi, sv or alias), else ''."""
    from hakemisto.core.regions import all_regions

    folded = text.casefold()
    names = {n.casefold() for r in all_regions() for n in (r.canonical, r.sv, *r.aliases)}
    return text if folded in names or folded.rstrip("s") in names else ""


_OWNER_WORDS = frozenset({
    "hyvinvointialue", "hyvinvointialueen", "hyvinvointialueella", "kuntayhtymä", "kuntayhtymän",
    "välfärdsområde", "välfärdsområdet", "välfärdsområdets", "suomen", "finlands", "i", "ja", "och",
})  # fmt: skip


def _programme_named(name: str) -> frozenset[str]:
    """The programmes of a name that is only a county and a programme ('Keski-Pohjanmaan
    hyvinvointialue - Suomen Kestävän Kasvun -ohjelma (RRP)'): such a record is the county's project
    in that programme. Empty when the name has words of its own."""
    from hakemisto.core.regions import normalize_region
    programmes = _programmes_in(name)
    rest = name.casefold()
    if not programmes:
        # the name as read before '-hanke': 'Itä-Uudenmaan kestävän kasvun' (-hanke)
        programmes = _programmes_in(f"{name} -hanke")
        rest = f"{rest} -hanke"
    if not programmes:
        return frozenset()
    for pid in programmes:
        for form in sorted(programme_forms()[pid], key=len, reverse=True):
            rest = rest.replace(form, " ")
    words = [w for w in re.findall(r"[\wåäö-]+", rest) if w.strip("-")]
    own = [w for w in words if w not in _OWNER_WORDS]
    # 'Tulevaisuuden sote-keskus' alone stays a project of its own: a county names it so.
    if words and (all(normalize_region(w) for w in own) or (len(own) == 2 and _county_name_of(" ".join(own)))):
        return programmes  # 'Östra Nylands projekt för hållbar tillväxt': a county of two words
    return frozenset()


def _split_acronym(name: str) -> tuple[str, tuple[str, ...]]:
    """'Tulevaisuuden kotona asumista tukevat palvelut (TulKoti)' → (name, ('TulKoti',)); an owner in
    the genitive is not part of the name ('Kainuun hyvinvointialueen Etähoito Kainuussa')."""
    name = _OWNER.sub("", name.strip()) or name.strip()
    m = _PAREN.match(name.strip())
    if m and _ACRONYM.match(m.group("acr").strip()):
        return m.group("name").strip(), (m.group("acr").strip(),)
    m = _ACRONYM_FIRST.match(name.strip())
    if m and not _is_programme_name(m.group("acr")):
        return name.strip(), (m.group("acr"),)  # 'OMA – Omahoidon mallit arkeen', 'KOHTI – Kohti …'
    return name.strip(), ()


def _raw_names(doc: Document) -> list[str]:
    facts = doc.facts
    if facts is None:
        return []
    names: list[str] = []
    for name in (*facts.projects, *(m.name for m in facts.project_mentions), *(a.project for a in facts.amounts),
                 *(c.project for c in facts.contacts)):
        if name and name.strip() and name not in names:
            names.append(name)
    return names


def _repair_fragment(name: str, text: str) -> str:
    """'Päijät-Hämeessä' → 'Kestävät ja vaikuttavat sote-palvelut Päijät-Hämeessä': a lone place word
    before '-hanke' is the tail of a longer name that starts its sentence."""
    from hakemisto.core.regions import normalize_region

    if len(name.split()) != 1 or not re.search(r"(?:ssa|ssä|lla|llä)$", name) or not normalize_region(name):
        return name  # only a county in the inessive/adessive ('Päijät-Hämeessä') is such a tail
    m = re.search(rf"(?:^|[.!?]\s+|\n)([A-ZÅÄÖ][^.!?\n]{{0,120}}?\s{re.escape(name)})\s*[-–]\s*hank", text)
    if m and 2 <= len(m.group(1).split()) <= 10:
        return m.group(1).strip()
    return name


def name_map(doc: Document) -> tuple[dict[str, str | None], dict[str, tuple[str, ...]]]:
    """Each project name as the page writes it → the name it stands for on this page (None: not a
    project), and extra aliases per name.

    A programme round the extractor took for a project ('RRP2') stands for the one project named in
    the sentences of the sums attached to it; a funder's name or a lone genitive word is no project."""
    facts = doc.facts
    out: dict[str, str | None] = {}
    aliases: dict[str, tuple[str, ...]] = defaultdict(tuple)
    if facts is None:
        return out, aliases
    text = doc.text
    rounds = []
    for raw in _raw_names(doc):
        name = _repair_fragment(_split_acronym(raw)[0], text)
        if _not_a_name(name):
            out[raw] = None
        elif _is_programme_name(name):
            rounds.append(raw)
        else:
            out[raw] = name
    names = {n for n in out.values() if n}
    for raw in rounds:
        sentences = [a.sentence or "" for a in facts.amounts if a.project == raw]
        targets = {n for n in names for sent in sentences if n.casefold() in sent.casefold()}
        target = targets.pop() if len(targets) == 1 else None
        out[raw] = target
        if target:
            aliases[target] += (raw,)
    return out, aliases


def programme_grants(doc: Document, nmap: dict[str, str | None]) -> dict[int, str]:
    """On a national page of one programme, a grant to a county whose project is not named (or is
    named after another county) is that county's project in the programme: amount index →
    'Tulevaisuuden sote-keskus Kanta-Häme'."""
    facts = doc.facts
    if facts is None or _region(doc) is not None or len(facts.programmes) != 1:
        return {}
    out: dict[int, str] = {}
    for i, a in enumerate(facts.amounts):
        if a.role != "granted" or not a.region:
            continue
        name = nmap.get(a.project) if a.project else None
        if name is None or (name_region(a.project or "") not in (None, a.region)):
            out[i] = f"{facts.programmes[0]} {a.region}"
    return out


def _page_mentions(doc: Document) -> list[_Mention]:
    facts = doc.facts
    if facts is None:
        return []
    nmap, extra = name_map(doc)
    page_region = _region(doc)
    amount_regions: dict[str, Counter[str]] = defaultdict(Counter)
    granted_regions: dict[str, set[str]] = defaultdict(set)
    for a in facts.amounts:
        mapped = nmap.get(a.project or "")
        if mapped and a.region:
            amount_regions[mapped][a.region] += 1
            # a partner's share of the lead county's grant ('josta Kainuun osuus 210 000 €') does not
            # make the lead's project a joint one: the page's county leads it
            if a.role == "granted" and (a.part_of is None or page_region is None):
                granted_regions[mapped].add(a.region)
    details = {m.name: m for m in facts.project_mentions}
    out: list[_Mention] = []
    seen: set[str] = set()
    for i, name in programme_grants(doc, nmap).items():
        if name not in seen:
            seen.add(name)
            out.append(_Mention(name=name, region=facts.amounts[i].region, doc_id=doc.id, lang="und",
                                order=1000 + i, programmes=tuple(facts.programmes), synthetic=True))
    for order, raw in enumerate(_raw_names(doc)):
        name = nmap.get(raw)
        acronyms = (*_split_acronym(raw)[1], *extra.get(name or "", ()))
        if not name or name in seen:
            continue
        seen.add(name)
        detail = details.get(raw)
        regions = amount_regions.get(name)
        own = name_region(raw)  # before the owner is cut: 'Lapin hyvinvointialueen Pohjoisen hoitotakuu'
        lead_region = _lead_region(detail.lead if detail else None, granted_regions.get(name, set()))
        if own:  # the name says whose project it is; other counties' sums are not its money
            places, joint = [own], False
        elif lead_region:  # 'Österbottens välfärdsområde är leadpartner': the partners' sums are shares
            places, joint = [lead_region], False
        elif len(granted_regions.get(name, ())) > 1 and not _programmes_in(name):
            places, joint = [None], True  # one page grants one project money for several counties
        elif regions and len(regions) > 1 and _programmes_in(name):
            places, joint = [r for r, _ in regions.most_common()], False  # 'Tulevaisuuden sote-keskus' per county
        elif regions:
            places, joint = [page_region if page_region in regions else regions.most_common(1)[0][0]], False
        else:
            places, joint = [page_region], False
        own_programmes = _programme_named(name)
        for region in places:
            out.append(_Mention(
                name=name, region=region, doc_id=doc.id, lang=doc.lang, order=order,
                aliases=tuple(dict.fromkeys((*acronyms, *(detail.aliases if detail else ())))),
                programmes=detail.programmes if detail else (),
                start_year=detail.start_year if detail else None, end_year=detail.end_year if detail else None,
                status=detail.status if detail else None, lead=detail.lead if detail else None, joint=joint,
                synthetic=bool(own_programmes),
            ))  # fmt: skip
            if own_programmes:
                out[-1] = replace(out[-1], programmes=tuple(sorted({*out[-1].programmes, *own_programmes})))
    return out


def _lead_region(lead: str | None, granted: set[str]) -> str | None:
    """The county of the project's lead organisation when it is one of the counties the page grants
    money to: the project is that county's, its partners' sums are shares of it."""
    from hakemisto.core.regions import normalize_region

    region = normalize_region(lead) if lead and len(granted) > 1 else None
    return region if region in granted else None


def _same_name(a: _Mention, b: _Mention) -> bool:
    return _same_names(a.name, a.aliases, a.lang, b.name, b.aliases, b.lang)


@lru_cache(maxsize=200_000)
def _same_names(name_a: str, aliases_a: tuple[str, ...], lang_a: str,
                name_b: str, aliases_b: tuple[str, ...], lang_b: str) -> bool:
    """``_same_name`` by what it reads (names, aliases, languages), remembered: the clustering compares
    the mentions of one county pairwise, and the pages of a site repeat the same names (one
    comparison with two fuzzy ratios per pair was half of the project records' time)."""
    ka, kb = name_key(name_a), name_key(name_b)
    if not ka or not kb:
        return False
    if ka == kb:
        return True
    folded_a = {x.casefold() for x in (*aliases_a, name_a)}
    folded_b = {x.casefold() for x in (*aliases_b, name_b)}
    if {x.casefold() for x in aliases_a} & folded_b or {x.casefold() for x in aliases_b} & folded_a:
        return True
    short = min(ka, kb, key=len)
    if len(short) < 6:
        return False
    if lang_a == lang_b or "und" in (lang_a, lang_b):
        if fuzz.token_sort_ratio(ka, kb) >= NAME_MATCH and not _other_word(ka, kb) \
                and not sequel_name(name_a, name_b):
            return True
        long = max(ka, kb, key=len)
        if len(short) >= 8 and long.endswith(" " + short):
            return True  # 'Kestävän kasvun -ohjelman mukaisesti RRF-Keski-Pohjanmaa' ~ 'RRF-Keski-Pohjanmaa'
        # one name inside the other: only as a run of its words ('Trygg hemma i Österbotten' is not inside
        # 'Trygg teknik hemma i Österbotten') and not with a sequel's word ('X Link', 'X 2.0')
        return len(short.split()) >= 2 and fuzz.token_set_ratio(ka, kb) >= 100 \
            and (f" {short} " in f" {long} " or _subtitled(name_a, name_b)) and not sequel_name(name_a, name_b)
    fi, sv = (name_a, name_b) if lang_a == "fi" else (name_b, name_a)
    translated, other = name_key(to_swedish(fi)), name_key(sv)
    # the whole name must read alike, not only the words one has in common with a longer other
    # ('Mielenterveyden tuki Kymenlaaksossa' is no 'Psykisk hälsa i första linjen i Kymmenedalen')
    return fuzz.token_set_ratio(translated, other) >= CROSS_LANG_MATCH \
        and fuzz.token_sort_ratio(translated, other) >= CROSS_LANG_WHOLE


def _same_word(x: str, y: str) -> bool:
    """One word inflected or spelt alike ('kainuussa' / 'kainuun', 'tuki' / 'tuen', 'sote-keskus' /
    'sotekeskus'), not another word ('hemma' / 'hemkomst')."""
    if x == y or x.replace("-", "") == y.replace("-", ""):
        return True
    common = len(os.path.commonprefix([x, y]))
    if common >= max(4, min(len(x), len(y)) - 3):
        return True
    return bool(_lemmas(x) & _lemmas(y))


@lru_cache(maxsize=4096)
def _lemmas(word: str) -> frozenset[str]:
    return frozenset(a["BASEFORM"].casefold() for a in voikko.analyze(word) if a.get("BASEFORM"))


def _other_word(ka: str, kb: str) -> bool:
    """Whether two names that read alike as strings differ by a word of their own: 'Trygg hemma i
    Österbotten', 'Trygg hemkomst i Österbotten' and 'Trygg teknik hemma i Österbotten' are three projects
    (an inflection or a spelling is no other word)."""
    if len(ka.split()) == len(kb.split()):
        # the same number of words: only a word clearly of its own ('hemma' / 'hemkomst') tells two apart;
        # a spelling, an inflection or a typo does not
        def alike(x: str, y: str) -> bool:
            return _same_word(x, y) or fuzz.ratio(x, y) >= 70
        wa, wb = [w for w in ka.split() if len(w) > 2], [w for w in kb.split() if len(w) > 2]
        return any(not any(alike(w, x) for x in wb) for w in wa) or any(not any(alike(w, x) for x in wa) for w in wb)
    # more words in one: only a word inserted inside the other's name ('Trygg teknik hemma i …') tells them
    # apart; words before or after it are a sentence's or a title's ('Haemme projektipäällikköä X')
    wa, wb = ka.split(), kb.split()
    if not (_same_word(wa[0], wb[0]) and _same_word(wa[-1], wb[-1])):
        return False
    wa, wb = [w for w in wa if len(w) > 2], [w for w in wb if len(w) > 2]
    return any(not any(_same_word(w, x) for x in wb) for w in wa) \
        or any(not any(_same_word(w, x) for x in wa) for w in wb)


def _subtitled(a: str, b: str) -> bool:
    """Whether the longer name carries a subtitle after a dash or a colon ('Kotiin kotiutus – turvallinen
    siirtyminen … Etelä-Savossa' beside 'Kotiin kotiutus Etelä-Savossa'): its words may then part the
    shorter name's words."""
    long = max(a, b, key=len)
    return bool(re.search(r"\s[–—-]\s|:\s", long))


def _block_keys(m: _Mention) -> set[str]:
    """Keys two mentions of one project share (word beginnings, in Swedish too; whole names and
    aliases), so only such pairs are compared: linear instead of quadratic in the mentions."""
    words = (*name_key(m.name).split(), *to_swedish(m.name).split())
    keys = {w[:5] for w in words if len(w) >= 3}
    keys.update("=" + x.casefold() for x in (m.name, *m.aliases))
    return keys


_Signature = tuple[str, tuple[str, ...], str]  # what ``_same_name`` reads of a mention: name, aliases, language


def _signature(m: _Mention) -> _Signature:
    return (m.name, m.aliases, m.lang)


def _union_same_names(idxs: Sequence[int], mentions: Sequence[_Mention], uf: UnionFind[int]) -> None:
    """Join the mentions ``idxs`` (one county's, or the county-less ones) that ``_same_name`` links,
    directly or through others: for every pair i < j sharing a block key (``_block_keys``) with
    ``_same_name(mentions[i], mentions[j])``. The groups are the same whatever the order of the
    unions, so the comparison runs per distinct signature (name, aliases, language) instead of per
    mention pair — the pages of a site repeat the same names, and comparing every pair of mentions
    was half of the project records' time on 2,000 pages. A pair of signatures (s, t) stands for the
    mention pairs i < j with i of s and j of t: there is one when s's first mention comes before t's
    last; mentions of one signature all pair with each other (same name: linked unless it is empty)."""
    members: dict[_Signature, list[int]] = {}
    for i in idxs:
        members.setdefault(_signature(mentions[i]), []).append(i)
    sigs = list(members)
    first = [members[s][0] for s in sigs]
    last = [members[s][-1] for s in sigs]
    for s, found in members.items():
        if len(found) > 1 and name_key(s[0]):
            for i in found[1:]:
                uf.union(found[0], i)
    index: dict[str, list[int]] = defaultdict(list)
    keys = [_block_keys(mentions[f]) for f in first]
    for a, ks in enumerate(keys):
        for k in ks:
            index[k].append(a)
    for a, ks in enumerate(keys):
        for b in sorted({b for k in ks for b in index[k] if b > a}):
            if uf.find(first[a]) == uf.find(first[b]):
                continue
            if (first[a] < last[b] and _same_names(*sigs[a], *sigs[b])) \
                    or (first[b] < last[a] and _same_names(*sigs[b], *sigs[a])):
                uf.union(first[a], first[b])


def _twin_sum_pairs(docs: dict[str, Document]) -> set[frozenset[tuple[str, str]]]:
    """(page, name) pairs of a page and its twin that give the same sum to a project: 'Työkyky
    fokukseen, 412 300 euroa' and 'Arbetsförmåga i fokus, 412 300 euro' are one project. Only a sum
    written once on each page counts (a list of grants in both languages pairs row by row)."""
    def named_sums(doc: Document) -> dict[float, str | None]:
        nmap, _ = name_map(doc)
        counts = Counter(a.eur for a in doc.facts.amounts) if doc.facts else Counter()
        return {a.eur: nmap.get(a.project or "") for a in (doc.facts.amounts if doc.facts else ())
                if counts[a.eur] == 1}

    pairs: set[frozenset[tuple[str, str]]] = set()
    for doc in docs.values():
        twin = docs.get(doc.twin or "")
        if twin is None or doc.id > twin.id or doc.lang == twin.lang:
            continue
        mine, theirs = named_sums(doc), named_sums(twin)
        for eur, name in mine.items():
            other = theirs.get(eur)
            if name and other:
                pairs.add(frozenset({(doc.id, name), (twin.id, other)}))
    return pairs


def _cluster(mentions: list[_Mention], twins: dict[str, str | None],
             same_sums: set[frozenset[tuple[str, str]]] = frozenset()) -> list[list[_Mention]]:
    """Group the mentions that denote one project: within one county, or with a county-less page."""
    uf: UnionFind[int] = UnionFind(range(len(mentions)))
    # twin pages giving one sum to a project in each language name the same project
    at: dict[tuple[str, str], dict[str | None, int]] = defaultdict(dict)
    for i, m in enumerate(mentions):
        at[(m.doc_id, m.name)].setdefault(m.region, i)
    for pair in same_sums:
        a, b = sorted(pair)
        for region, i in at.get(a, {}).items():
            if (j := at.get(b, {}).get(region)) is not None:
                uf.union(i, j)
    by_region: dict[str | None, list[int]] = defaultdict(list)
    for i, m in enumerate(mentions):
        by_region[m.region].append(i)
    for region, idxs in by_region.items():
        if region is not None:
            _union_same_names(idxs, mentions, uf)
    # Names that are only a county and one programme ('Itä-Uudenmaan kestävän kasvun -hanke', 'Östra
    # Nylands projekt för hållbar tillväxt') all denote the county's project in that programme.
    for region, idxs in by_region.items():
        named: dict[tuple[str, ...], int] = {}
        for i in idxs:
            if region is not None and mentions[i].synthetic and len(mentions[i].programmes) == 1:
                first = named.setdefault(mentions[i].programmes, i)
                uf.union(first, i)
    # A national page's 'Tulevaisuuden sote-keskus Kanta-Häme' is the county's one project that its
    # own pages put in that programme, when there is exactly one.
    for idxs in by_region.values():
        # the county's own mentions with a programme (only they can be a target; most have none)
        own = [(j, set(mentions[j].programmes)) for j in idxs if not mentions[j].synthetic and mentions[j].programmes]
        for i in idxs:
            if not mentions[i].synthetic:
                continue
            # (a county page's own 'Eksoten RRP-hanke' joins only a project of that programme alone, not
            # one its pages put in another programme too: 'Lähellä sinua' is a sote-keskus project paid
            # with RRP money)
            national = mentions[i].lang == "und"
            mine = set(mentions[i].programmes)
            targets = {uf.find(j) for j, theirs in own if mine & theirs and (national or theirs <= mine)}
            if len(targets) == 1:
                uf.union(i, targets.pop())
    # A fi page and its sv twin that each name one project name the same project.
    by_doc: dict[str, list[int]] = defaultdict(list)
    for i, m in enumerate(mentions):
        by_doc[m.doc_id].append(i)
    for doc_id, idxs in by_doc.items():
        twin = twins.get(doc_id)
        other = by_doc.get(twin or "", [])
        if len(idxs) == 1 and len(other) == 1 and mentions[idxs[0]].region == mentions[other[0]].region:
            uf.union(idxs[0], other[0])
    # A county-less page (a ministry release) joins a county's project only when exactly one county
    # has a project of that name; otherwise it stays a national record of its own.
    # (the county mentions sharing a block key with a county-less one and of the same name depend only
    # on its signature: worked out once per signature)
    index: dict[str, list[int]] = defaultdict(list)
    for j, m in enumerate(mentions):
        if m.region:
            for k in _block_keys(m):
                index[k].append(j)
    named: dict[_Signature, list[int]] = {}
    for i in by_region.get(None, ()):
        sig = _signature(mentions[i])
        if sig not in named:
            near = {j for k in _block_keys(mentions[i]) for j in index[k]}
            named[sig] = [j for j in near if _same_name(mentions[i], mentions[j])]
        matches = {uf.find(j) for j in named[sig]}
        if len(matches) == 1 or (mentions[i].joint and matches):
            for g in matches:  # a joint project's county pages describe the same joint project
                uf.union(i, g)
    _union_same_names(by_region.get(None, []), mentions, uf)
    groups: dict[int, list[_Mention]] = defaultdict(list)
    for i, m in enumerate(mentions):
        groups[uf.find(i)].append(m)
    return list(groups.values())


def _canonical_name(group: Sequence[_Mention], docs: dict[str, Document] | None = None) -> str:
    """The fullest Finnish form (a county's own name for its project), else the fullest of any.

    A longer form that only adds words in front of a form the pages use more often is a sentence
    caught with the name ('Kestävän kasvun -ohjelman mukaisesti RRF-Keski-Pohjanmaa'): the shorter wins."""
    def rank(m: _Mention) -> tuple:
        acronym = bool(_ACRONYM.match(m.name)) and len(m.name) <= 10
        return (m.synthetic, acronym, m.lang != "fi", -len(name_key(m.name)), m.name)
    counts = Counter(m.name for m in group)
    best = min(group, key=lambda m: (*rank(m)[:3], -counts[m.name], *rank(m)[3:])).name
    if docs:
        texts = [docs[d].text for d in {m.doc_id for m in group} if d in docs]
        occurs = {n: sum(t.count(n) for t in texts) for n in counts}
        for other in sorted(counts, key=len, reverse=True):
            if other != best and best.endswith(" " + other) and occurs[other] > occurs[best]:
                best = other
    return best


# --- money by role ---------------------------------------------------------------------------------


def _is_rounded(amount: ProjectAmount) -> bool:
    return _rounded(amount.qualifier, amount.eur)


@lru_cache(maxsize=65536)
def _rounded(qualifier: str | None, eur: float) -> bool:
    """``_is_rounded`` by its two inputs, remembered: a project's sums are compared pairwise."""
    if qualifier and qualifier.casefold() in ROUNDING_QUALIFIERS:
        return True
    digits = re.sub(r"0+$", "", str(int(round(eur))))
    return eur >= 100_000 and len(digits) <= 2


@lru_cache(maxsize=65536)
def _sum_year_key(text: str | None) -> tuple[int, ...]:
    return _year_key(text)


def _same_sum(a: ProjectAmount, b: ProjectAmount) -> bool:
    ya, yb = _sum_year_key(a.year), _sum_year_key(b.year)
    if ya and yb and ya != yb:
        return False
    big = max(a.eur, b.eur)
    if big <= 0:
        return a.eur == b.eur
    tolerance = EXACT_TOLERANCE
    for x in (a, b):
        if _is_rounded(x):
            # a rounded figure stands for anything within half its last digit ('cirka 0,6 miljoner' for
            # 640 000 €), at least the 5 % of "noin 1,5 miljoonaa", at most 10 %
            tolerance = max(tolerance, min(ROUNDED_MAX, max(ROUNDED_TOLERANCE, _half_unit(x.eur) / big)))
    return abs(a.eur - b.eur) / big <= tolerance + 1e-9


def _half_unit(eur: float) -> float:
    """Half the value of the last written digit of a rounded sum (600 000 → 50 000; 1 500 000 → 50 000)."""
    value = int(round(eur))
    unit = 1
    while value and value % (unit * 10) == 0:
        unit *= 10
    return unit / 2


def _copy_reason(kept: ProjectAmount, copy: ProjectAmount, docs: dict[str, Document]) -> str:
    doc = docs.get(copy.doc_id)
    if abs(kept.eur - copy.eur) / max(kept.eur, copy.eur, 1) > EXACT_TOLERANCE:
        return "same_rounded"
    if doc and kept.doc_id != copy.doc_id:
        if doc.twin == kept.doc_id or (docs.get(kept.doc_id) and docs[kept.doc_id].twin == copy.doc_id):
            return "same_twin"
        if kept.doc_id in doc.duplicates or copy.doc_id in getattr(docs.get(kept.doc_id), "duplicates", ()):
            return "same_duplicate"
    if _is_rounded(copy) and not _is_rounded(kept):
        return "same_rounded"
    return "same_repeat"


def _precision_rank(a: ProjectAmount, docs: dict[str, Document]) -> tuple:
    """Keep the most exact copy: no 'noin', more significant digits, the Finnish original page."""
    digits = len(re.sub(r"0+$", "", str(int(round(a.eur)))))
    doc = docs.get(a.doc_id)
    republished = bool(doc and doc.duplicates and min((doc.id, *doc.duplicates)) != doc.id)
    return (_is_rounded(a), -digits, republished, a.lang != "fi", a.doc_id, a.text)


def apply_money_rules(amounts: Sequence[ProjectAmount], region: str | None,
                      docs: dict[str, Document], parts: set[int],
                      county_level: set[int] | None = None) -> tuple[ProjectAmount, ...]:
    """Reason codes for one project's amounts, so that counted grants add up to the honest total.

    ``parts``: positions (in ``amounts``) of sums the page presents as a part of another sum.
    ``county_level``: positions of grants a national page gives a county without naming the project
    (the record is the county's project of that programme only by inference). When the county's own
    pages state a grant for the project, theirs is the project's grant and the national sum is the
    county's allocation as a whole (a supplementary round, another ministry's share), not added."""
    summed = _summed_parts(amounts) | (_joint_shares(amounts) if region is None else set()) | _shares(amounts)
    county_level = county_level or set()
    stated_here = any(a.role == "granted" and i not in county_level and i not in parts
                      and docs.get(a.doc_id) is not None and _region(docs[a.doc_id]) == region
                      for i, a in enumerate(amounts)) if county_level and region else False
    inside = _inside_other_whole(amounts, parts | summed)
    superseded = _superseded(amounts)
    order = sorted(range(len(amounts)), key=lambda i: _precision_rank(amounts[i], docs))
    kept: dict[str, list[ProjectAmount]] = defaultdict(list)
    out: dict[int, ProjectAmount] = {}
    for i in order:
        a = amounts[i]
        role = a.role
        copy_of = next((k for k in kept[role or "?"] if _same_sum(k, a)), None)
        distinct = copy_of is None
        if role is None:
            reason = "unknown_role"
        elif role != "granted":
            reason = role if role in _reasons()["en"] else "other"
        elif region is not None and a.region and a.region != region:
            reason = "other_region"
        elif i in parts or i in summed or i in inside:
            reason = "part_of"
        elif i in superseded:
            reason = "superseded"
        elif stated_here and i in county_level:
            reason = "county_level"
        elif copy_of is not None:
            reason = _copy_reason(copy_of, a, docs)
        else:
            reason = None
        if distinct and reason != "part_of":
            kept[role or "?"].append(a)
        out[i] = replace(a, reason=reason, distinct=distinct and reason != "part_of",
                         same_as=copy_of.doc_id if copy_of else None)
    return tuple(out[i] for i in range(len(amounts)))


@cache
def _change_patterns() -> tuple[re.Pattern[str], re.Pattern[str]]:
    vocab = _records_vocab()
    return (re.compile(r"(?<!\w)(?:" + "|".join(vocab["original_words"]) + r")(?!\w)", re.IGNORECASE),
            re.compile(r"(?<!\w)(?:" + "|".join(vocab["changed_words"]) + r")(?!\w)", re.IGNORECASE))


def _superseded(amounts: Sequence[ProjectAmount]) -> set[int]:
    """Grants a later decision on the same page changed ('myönnettiin alun perin 500 000 euroa' beside
    'Ministeriö pienensi avustusta 430 000 euroon'): the original is not counted, the changed one is."""
    original, changed = _change_patterns()
    out: set[int] = set()
    for i, a in enumerate(amounts):
        if a.role != "granted" or not original.search(a.sentence or ""):
            continue
        if any(j != i and b.role == "granted" and b.doc_id == a.doc_id and b.sentence != a.sentence
               and changed.search(b.sentence or "") and not original.search(b.sentence or "")
               for j, b in enumerate(amounts)):
            out.add(i)
    return out


def _inside_other_whole(amounts: Sequence[ProjectAmount], parts: set[int]) -> set[int]:
    """Grants that another page shows as a part of a larger grant it counts ('myönsi hankkeelle 760 000
    euroa … 210 000 euron lisäavustuksen … kaikkiaan 970 000 euroa' beside a ministry list's 760 000 €): the
    first grant is inside that whole already, also where it is written alone."""
    out: set[int] = set()
    granted_parts = [j for j in parts if amounts[j].role == "granted"]
    for i, a in enumerate(amounts):
        if i in parts or a.role != "granted":
            continue
        for j in granted_parts:
            p = amounts[j]
            if p.doc_id != a.doc_id and _same_sum(p, a) and any(
                    k not in parts and b.doc_id == p.doc_id and b.role == "granted" and b.eur > p.eur
                    for k, b in enumerate(amounts)):
                out.add(i)
                break
    return out


_CLAUSE_CUT = re.compile(r",\s|;\s|:\s|\s(?:ja|sekä|och|samt)\s")


def _is_share(a: ProjectAmount) -> bool:
    """The sum's own clause calls it someone's share ('Lieksan osuus hankkeen rahoituksesta on noin
    250 000 euroa', '… ja siitä etävastaanottojen osuus on 300 000 euroa', 'Vasas andel')."""
    sentence = a.sentence or ""
    pos = sentence.find(a.text)
    if pos < 0:
        return False
    cuts = [0, *(m.end() for m in _CLAUSE_CUT.finditer(sentence) if m.end() <= pos)]
    nxt = next((m.start() for m in _CLAUSE_CUT.finditer(sentence, pos + len(a.text))), len(sentence))
    words = {w.casefold() for w in re.findall(r"\w+", sentence[cuts[-1]:nxt])}
    return bool(words & set(_records_vocab()["share_words"]))


def _shares(amounts: Sequence[ProjectAmount]) -> set[int]:
    """Granted sums that are a share of a larger grant of the same project (rule: a part is never
    added to its whole), also when the whole is written on another page."""
    wholes = [a.eur for a in amounts if a.role == "granted" and not _is_share(a)]
    return {i for i, a in enumerate(amounts)
            if a.role == "granted" and _is_share(a) and any(w > a.eur * 1.005 for w in wholes)}


def _joint_shares(amounts: Sequence[ProjectAmount]) -> set[int]:
    """A joint project's page gives its grant and then each county's share ('Helsingin osuus on
    410 000 euroa'): the shares lie inside the grant even when not every county's share is listed."""
    parts: set[int] = set()
    by_page: dict[tuple[str, str | None], list[int]] = defaultdict(list)
    for i, a in enumerate(amounts):
        by_page[(a.doc_id, a.role)].append(i)
    for idxs in by_page.values():
        whole = max(idxs, key=lambda i: amounts[i].eur)
        shares = [i for i in idxs if i != whole and amounts[i].eur < amounts[whole].eur]
        if shares and sum(amounts[i].eur for i in shares) <= amounts[whole].eur * (1 + EXACT_TOLERANCE):
            parts.update(shares)
    return parts


def _summed_parts(amounts: Sequence[ProjectAmount]) -> set[int]:
    """Shares listed next to their total on one page (612 000 € = 250 000 + 192 000 + 170 000 €):
    the shares are parts, whichever comes first."""
    parts: set[int] = set()
    by_page: dict[tuple[str, str | None], list[int]] = defaultdict(list)
    for i, a in enumerate(amounts):
        by_page[(a.doc_id, a.role)].append(i)
    for idxs in by_page.values():
        if len(idxs) < 3:
            continue
        for i in idxs:
            others = [j for j in idxs if j != i and amounts[j].eur < amounts[i].eur]
            total = sum(amounts[j].eur for j in others)
            if len(others) >= 2 and abs(total - amounts[i].eur) <= EXACT_TOLERANCE * amounts[i].eur:
                parts.update(others)
    return parts


def _partner_state_share(amounts: Sequence[Any], i: int, whole_at: int) -> bool:
    """Whether granted sum ``i`` is the grant's share of one partner's part of the budget ('Av den totala
    budgeten hör 620 000 euro till Varha, varav 496 000 euro finansieras av Interreg') on a page that also
    states the project's whole grant ('Interreg-finansiering: 1 440 000 €'): it lies inside that grant.
    Its budget is a partner's part when the page states a larger budget of the same project."""
    a, whole = amounts[i], amounts[whole_at]
    if a.role != "granted" or whole.role != "budget":
        return False
    larger_budget = any(b.role == "budget" and b.eur > whole.eur * 1.005 and b.project == a.project
                        for b in amounts)
    whole_grant = any(j != i and g.role == "granted" and g.eur > a.eur * 1.005 and g.project == a.project
                      and getattr(g, "part_of", None) is None for j, g in enumerate(amounts))
    return larger_budget and whole_grant


def _part_positions(doc: Document) -> set[int]:
    """Amounts that are a part of another sum of the same role on the page ('josta', 'varav').

    The state share of a budget is a grant and counts (its whole is a budget, not a grant); a part
    of a grant ('sai 5 M€, josta 1 M€ vuodelle 2023') is already inside the grant."""
    parts: set[int] = set()
    amounts = doc.facts.amounts if doc.facts else ()
    for i, a in enumerate(amounts):
        whole_at = getattr(a, "part_of", None)
        if isinstance(whole_at, int) and 0 <= whole_at < len(amounts) and whole_at != i:
            # (a part of a county's whole allocation that is no project's — 'Tästä kokonaisuudesta X:n osuus on
            # 1,2 M€' — is that project's grant: its whole is in no project's total)
            if amounts[whole_at].role == a.role and (amounts[whole_at].project is not None or a.project is None):
                parts.add(i)
            elif _partner_state_share(amounts, i, whole_at):
                parts.add(i)
            continue
        sentence = a.sentence or ""
        pos = sentence.find(a.text)
        if pos <= 0:
            continue
        before = sentence[:pos]
        earlier = [b for b in amounts[:i] if b.sentence == a.sentence and b.text in before and b.role == a.role]
        if earlier and _PART_CUE.search(before):
            parts.add(i)
    return parts


# --- building ---------------------------------------------------------------------------------------


def _page_ref(doc: Document) -> PageRef:
    return PageRef(doc.id, doc.title, _link(doc), doc.lang, _region(doc), _date(doc))


def _amount(doc: Document, a: Any) -> ProjectAmount:
    return ProjectAmount(
        eur=float(a.eur), text=a.text, role=a.role, doc_id=doc.id, link=_link(doc), lang=doc.lang,
        year=a.year, funder=a.funder, qualifier=a.qualifier, sentence=a.sentence, region=a.region,
    )


@cache
def _programme_patterns() -> tuple[tuple[str, tuple[tuple[str, re.Pattern[str]], ...]], ...]:
    """Each programme's forms with their word-start patterns, compiled once (they were escaped and
    looked up in ``re``'s cache per paragraph and form)."""
    return tuple((pid, tuple((f, re.compile(rf"(?<!\w){re.escape(f)}")) for f in forms))
                 for pid, forms in programme_forms().items())


@lru_cache(maxsize=65536)
def _programmes_in(text: str) -> frozenset[str]:
    low = text.casefold()
    # a form that is not in the text cannot start a word of it: the substring test skips the regex
    return frozenset(pid for pid, forms in _programme_patterns()
                     if any(f in low and pattern.search(low) for f, pattern in forms))


def _paragraph_programmes(doc: Document, names: Sequence[str]) -> dict[str, set[str]]:
    """Programmes named in a paragraph that names exactly one of the page's projects.

    'Lisärahoitusta haetaan Prima Botnia -hankkeelle. Rahoitus koskee kestävän kasvun ohjelmaa'
    gives the project its programme; a paragraph naming two projects says nothing certain."""
    out: dict[str, set[str]] = defaultdict(set)
    keys = [(n, n.casefold()) for n in names if len(n) >= 4]
    every = [k.casefold() for k in (*names, *(doc.facts.projects if doc.facts else ())) if len(k) >= 4]
    for para in doc.paragraphs:
        low = para.casefold()
        named = {n for n, k in keys if k in low}
        if len(named) == 1 and len({k for k in every if k in low} - {next(iter(named)).casefold()}) == 0:
            out[named.pop()].update(_programmes_in(para))
    return out


def build_projects(documents: Iterable[Document]) -> ProjectSet:
    """Project records from every document's facts (pure: no index, no disk)."""
    docs = {d.id: d for d in documents}
    mentions: list[_Mention] = []
    page_names: dict[str, list[str]] = {}
    for doc in docs.values():
        found = _page_mentions(doc)
        mentions.extend(found)
        page_names[doc.id] = list(dict.fromkeys(m.name for m in found))
    groups = _cluster(mentions, {d.id: d.twin for d in docs.values()}, _twin_sum_pairs(docs))
    where: dict[tuple[str, str], int] = {}  # (page, name) → the group of its first (main) county
    where_in: dict[tuple[str, str, str | None], int] = {}  # (page, name, county) → group
    for g, group in enumerate(groups):
        for m in group:
            where_in[(m.doc_id, m.name, m.region)] = g
    for m in sorted(mentions, key=lambda m: m.order):
        where.setdefault((m.doc_id, m.name), where_in[(m.doc_id, m.name, m.region)])
    g_amounts: dict[int, list[ProjectAmount]] = defaultdict(list)
    g_parts: dict[int, set[int]] = defaultdict(set)
    g_contacts: dict[int, list[ProjectContact]] = defaultdict(list)
    g_funders: dict[int, Counter[str]] = defaultdict(Counter)
    g_programmes: dict[int, Counter[str]] = defaultdict(Counter)
    g_synthetic: dict[int, set[int]] = defaultdict(set)
    loose: list[ProjectAmount] = []
    for doc in docs.values():
        facts = doc.facts
        if facts is None:
            continue
        # A page about one project (its names all grouped into one record) gives it its contacts,
        # funders and programmes.
        on_page = {where[(doc.id, n)]: n for n in page_names[doc.id]}
        only = next(iter(on_page.values())) if len(on_page) == 1 else None
        parts = _part_positions(doc)
        nmap, _ = name_map(doc)
        synthetic = programme_grants(doc, nmap)
        for i, a in enumerate(facts.amounts):
            name = synthetic.get(i) or (nmap.get(a.project) if a.project else None)
            g = where_in.get((doc.id, name, a.region)) if name else None
            if g is None and name:
                g = where.get((doc.id, name))
            item = _amount(doc, a)
            if g is None:
                loose.append(replace(item, reason=_loose_reason(item)))
                continue
            if i in parts:
                g_parts[g].add(len(g_amounts[g]))
            if i in synthetic:
                g_synthetic[g].add(len(g_amounts[g]))
            g_amounts[g].append(item)
            if a.funder:
                g_funders[g][a.funder] += 1
            for pid in _programmes_in(a.sentence or ""):
                g_programmes[g][pid] += 1
        for c in facts.contacts:
            name = nmap.get(c.project) if c.project else only
            g = where.get((doc.id, name)) if name else None
            if g is not None:
                g_contacts[g].append(ProjectContact(c.name, c.title, c.phone, c.email, c.organization,
                                                    doc.id, _link(doc), _seen(doc)))
        if only:
            g_funders[where[(doc.id, only)]].update(facts.funders)
            g_programmes[where[(doc.id, only)]].update(facts.programmes)
        for name, programme_ids in _paragraph_programmes(doc, page_names[doc.id]).items():
            g_programmes[where[(doc.id, name)]].update(programme_ids)
        # A page's one programme not claimed by a project's own name goes to the page's projects
        # with money on it and no programme yet ('Kestävät ja vaikuttavat…' on an RRP2 news page).
        claimed = {pid for n in page_names[doc.id] for pid in _programmes_in(n)}
        left = set(facts.programmes) - claimed
        if len(left) == 1 and not only:
            funded = {nmap.get(a.project) for a in facts.amounts if a.project}
            for name in page_names[doc.id]:
                g = where[(doc.id, name)]
                if name in funded and not g_programmes[g] and not _programmes_in(name):
                    g_programmes[g].update(left)
    projects = []
    for g, group in enumerate(groups):
        projects.append(_record(g, group, docs, g_amounts[g], g_parts[g], g_contacts[g],
                                g_funders[g], g_programmes[g], g_synthetic[g]))
    projects = _unique_ids(projects)
    projects.sort(key=lambda p: (p.region is None, p.region or "", -p.granted_eur, p.name.casefold()))
    return ProjectSet(tuple(projects), tuple(loose), _people(docs, projects), len(docs))


PERSON_MATCH = 90.0  # the gold README's name rule


def _person_key(name: str) -> str:
    return " ".join(name.replace("-", " ").split()).casefold()


def _people(docs: dict[str, Document], projects: Sequence[Project]) -> tuple[Person, ...]:
    """Contacts of every page, one row per person: 'Satu Marjakangas' on a fi page and its sv twin,
    or written 'Marjakangas Satu' in a minute, is one person (token_sort_ratio ≥ 90)."""
    in_project: dict[str, list[Project]] = defaultdict(list)
    for p in projects:
        for c in p.contacts:
            in_project[_person_key(c.name)].append(p)
    groups: list[list[tuple[Document, Any]]] = []
    keys: list[str] = []
    blocks: dict[str, list[int]] = defaultdict(list)  # word beginnings → groups: no all-pairs compare
    for doc in sorted(docs.values(), key=lambda d: d.id):
        for c in doc.facts.contacts if doc.facts else ():
            key = _person_key(c.name)
            block = "|".join(sorted(w[:3] for w in key.split()))
            for i in blocks[block]:
                if key == keys[i] or fuzz.token_sort_ratio(key, keys[i]) >= PERSON_MATCH:
                    groups[i].append((doc, c))
                    break
            else:
                blocks[block].append(len(keys))
                keys.append(key)
                groups.append([(doc, c)])
    out = []
    for group in groups:
        names = Counter(c.name for _, c in group)
        name = max(names, key=lambda n: (names[n], len(n)))
        # Ordered (not a set): a set of strings iterates in hash-seed order, which made a person's
        # project order differ between runs.
        member_keys = list(dict.fromkeys(_person_key(c.name) for _, c in group))
        projs = list(dict.fromkeys(p for k in member_keys for p in in_project.get(k, ())))
        newest = sorted(group, key=lambda dc: _seen(dc[0]) or "", reverse=True)
        dates = [d for d in (_seen(doc) for doc, _ in group) if d]
        out.append(Person(
            name=name,
            titles=tuple(dict.fromkeys(c.title for _, c in group if c.title)),
            projects=tuple(p.id for p in projs), project_names=tuple(p.name for p in projs),
            organizations=tuple(dict.fromkeys(c.organization for _, c in group if c.organization)),
            regions=tuple(sorted({r for doc, _ in group if (r := _region(doc))})),
            phone=next((c.phone for _, c in newest if c.phone), None),
            email=next((c.email for _, c in newest if c.email), None),
            last_seen=max(dates) if dates else None,
            pages=tuple(dict.fromkeys(_link(doc) for doc, _ in group)),
        ))  # fmt: skip
    return tuple(sorted(out, key=lambda p: (p.regions[:1], p.name.split()[-1:], p.name)))


def _loose_reason(a: ProjectAmount) -> str:
    if a.role is None:
        return "unknown_role"
    if a.role != "granted":
        return a.role if a.role in _reasons()["en"] else "other"
    return "national" if a.region is None else "no_project"


def _record(g: int, group: list[_Mention], docs: dict[str, Document], amounts: list[ProjectAmount],
            parts: set[int], contacts: list[ProjectContact], funders: Counter[str],
            programmes: Counter[str], synthetic: set[int] | None = None) -> Project:
    name = _canonical_name(group, docs)
    regions = Counter(m.region for m in group if m.region)
    region = regions.most_common(1)[0][0] if regions and not any(m.joint for m in group) else None
    if region is None:
        regions.update(a.region for a in amounts if a.region)
    names = tuple(dict.fromkeys(m.name for m in group if m.name != name))
    acronyms = tuple(dict.fromkeys(a for m in group for a in m.aliases if _ACRONYM.match(a)))
    names = tuple(n for n in names if n not in acronyms)
    stated = Counter(p for m in group for p in m.programmes)
    in_name = {pid for m in group for pid in _programmes_in(m.name)}
    progs = tuple(sorted(stated)) if stated else tuple(sorted(set(programmes) | in_name))
    starts = [m.start_year for m in group if m.start_year]
    ends = [m.end_year for m in group if m.end_year]
    if not starts and not ends:  # no stated period: the years its grants (else any sums) were for
        years = [y for a in amounts if a.role == "granted" for y in _years(a.year)] or \
            [y for a in amounts for y in _years(a.year)]
        starts = ends = years
    statuses = [m.status for m in sorted(group, key=lambda m: _date(docs[m.doc_id]) or "") if m.status]
    leads = Counter(m.lead for m in group if m.lead)
    pages = sorted({m.doc_id for m in group} | {a.doc_id for a in amounts},
                   key=lambda d: (docs[d].lang != "fi", d))
    money = apply_money_rules(amounts, region, docs, parts, synthetic or set())
    people: dict[str, ProjectContact] = {}
    for c in sorted(contacts, key=lambda c: c.seen or "", reverse=True):
        key = " ".join(c.name.split()).casefold()
        old = people.get(key)
        people[key] = c if old is None else replace(
            old, title=old.title or c.title, phone=old.phone or c.phone, email=old.email or c.email,
            organization=old.organization or c.organization)
    return Project(
        id=slug(f"{region or 'national'}-{name}"), name=name, names=names, acronyms=acronyms,
        region=region, regions=tuple(sorted(regions)), programmes=progs,
        funders=tuple(f for f, _ in funders.most_common()),
        start_year=min(starts) if starts else None, end_year=max(ends) if ends else None,
        status=statuses[-1] if statuses else None, lead=leads.most_common(1)[0][0] if leads else None,
        amounts=money, contacts=tuple(people.values()), pages=tuple(_page_ref(docs[d]) for d in pages),
    )  # fmt: skip


def _unique_ids(projects: list[Project]) -> list[Project]:
    seen: Counter[str] = Counter()
    out = []
    for p in sorted(projects, key=lambda p: (p.id, p.pages[0].doc_id if p.pages else "")):
        seen[p.id] += 1
        out.append(p if seen[p.id] == 1 else replace(p, id=f"{p.id}-{seen[p.id]}"))
    return out


# --- storage ----------------------------------------------------------------------------------------


def projects_path(index_dir: Path) -> Path:
    return index_dir / PROJECTS_FILE


def encode(records: ProjectSet) -> bytes:
    """The bytes of ``projects.json`` (what ``write_json`` wrote). Kept apart from ``save`` so the
    ingest's forked child encodes them beside the index write and the parent only writes bytes."""
    return json.dumps(records.to_dict(), ensure_ascii=False, indent=1, default=str).encode("utf-8")


def save(index_dir: Path, records: ProjectSet | bytes) -> None:
    """Store the records (or their ``encode``d bytes) with the index, atomically."""
    write_bytes(projects_path(index_dir), records if isinstance(records, bytes) else encode(records))


def refresh(settings: Settings, documents: Iterable[Document], changed: Iterable[str] | None = None,
            previous: dict[str, Document] | None = None) -> ProjectSet:
    """Bring the stored records up to date with the ingest's documents and store them with the index.

    ``changed``: the ids of the pages this ingest added, changed or removed (None: all of them, a
    rebuild); ``previous``: their versions before the ingest. Only the projects of the counties those
    pages touch are rebuilt (``update``); the records of every other county stay as stored."""
    records = compute(documents, changed, previous, stored_for_refresh(settings.index_dir, changed))
    save(settings.index_dir, records)
    return records


def stored_for_refresh(index_dir: Path, changed: Iterable[str] | None) -> ProjectSet | None:
    """The stored records an incremental ``refresh`` starts from (None: every record is built)."""
    stored = read_json(projects_path(index_dir)) if changed is not None else None
    if isinstance(stored, dict) and is_current(index_dir):
        return ProjectSet.from_dict(stored)
    return None


def compute(documents: Iterable[Document], changed: Iterable[str] | None, previous: dict[str, Document] | None,
            stored: ProjectSet | None) -> ProjectSet:
    """``refresh``'s records without touching the disk: the ingest computes them in a forked process
    while it writes the index (``jobs.workers.Background``), then saves them after the commit."""
    docs = list(documents)
    if stored is not None:
        records, _scope = update(stored, docs, set(changed or ()), previous or {})
        return records
    return build_projects(docs)


def _touched_counties(doc: Document) -> set[str | None]:
    """The counties a page's projects and money can belong to (None: a national or joint one)."""
    facts = doc.facts
    if facts is None:
        return set()
    out: set[str | None] = {_region(doc), *facts.regions, *(a.region for a in facts.amounts)}
    out.update(m.region for m in _page_mentions(doc))
    return out


def update(stored: ProjectSet, documents: Sequence[Document], changed: set[str],
           previous: dict[str, Document]) -> tuple[ProjectSet, set[str | None] | None]:
    """The records after ``changed`` pages were added, changed or removed, rebuilding only what they touch.

    Names are grouped within a county, so a county's records depend only on the pages that mention
    its projects. The counties the changed pages touch (before and after the change) are closed over
    pages their records share; the pages of those counties' records plus the changed ones are built
    again, and only the records of those counties replace the stored ones. A national page (or a
    joint, county-less project) ties counties together: a change there rebuilds everything.
    Returns the records and the counties rebuilt (None: all)."""
    docs = {d.id: d for d in documents}
    if not changed:
        return replace(stored, documents=len(docs)), set()
    counties: set[str | None] = set()
    for doc_id in changed:
        for version in (previous.get(doc_id), docs.get(doc_id)):
            if version is not None:
                counties |= _touched_counties(version)
    by_page: dict[str, set[str | None]] = defaultdict(set)
    for p in stored.projects:
        for ref in p.pages:
            by_page[ref.doc_id].add(p.region)
    for doc_id in changed:
        counties |= by_page.get(doc_id, set())
    pages: set[str] = set()
    while None not in counties:
        pages = {ref.doc_id for p in stored.projects if p.region in counties for ref in p.pages}
        pages |= {d for d in changed if d in docs}
        grown = counties | {r for d in pages for r in by_page.get(d, ())} \
            | {r for d in pages if d in docs for r in _touched_counties(docs[d])}
        if grown == counties:
            break
        counties = grown
    if None in counties:
        return build_projects(docs.values()), None
    fresh = build_projects(docs[d] for d in sorted(pages) if d in docs)
    kept = [p for p in stored.projects if p.region not in counties]
    taken = {p.id for p in kept}
    new = []
    for p in fresh.projects:
        if p.region not in counties:
            continue
        pid, n = p.id, 1
        while pid in taken:
            n += 1
            pid = f"{p.id}-{n}"
        taken.add(pid)
        new.append(replace(p, id=pid) if pid != p.id else p)
    projects = sorted([*kept, *new], key=lambda p: (p.region is None, p.region or "", -p.granted_eur,
                                                    p.name.casefold()))
    loose = [a for a in stored.loose if a.doc_id not in pages and a.doc_id not in changed] + \
        [a for a in fresh.loose if a.doc_id in pages]
    order = {d: i for i, d in enumerate(docs)}  # as a full build lists them: page order, then text order
    loose.sort(key=lambda a: order.get(a.doc_id, len(order)))
    return ProjectSet(tuple(projects), tuple(loose), _people(docs, projects), len(docs)), counties


def is_current(index_dir: Path) -> bool:
    """True when the stored records were built by this format and pipeline version."""
    data = read_json(projects_path(index_dir))
    return isinstance(data, dict) and data.get("format") == FORMAT_VERSION \
        and data.get("pipeline_version") == PIPELINE_VERSION


def load_stored(index_dir: Path) -> ProjectSet | None:
    """The records stored with the index, None when missing or built by an older pipeline (the index
    stage rebuilds them then: ``search.records.load_projects``)."""
    if not is_current(index_dir):
        return None
    return ProjectSet.from_dict(read_json(projects_path(index_dir)))


# --- selection ---------------------------------------------------------------------------------------


STATUSES = ("planned", "applied", "started", "ongoing", "ended")


@dataclass(frozen=True)
class ProjectFilters:
    programme: str | None = None
    region: str | None = None
    funder: str | None = None
    year: int | None = None
    status: str | None = None
    project: str | None = None


def _resolve(value: str, known: Iterable[str], kind: str, registry: dict[str, str]) -> str:
    folded = value.casefold()
    choices = {k.casefold(): k for k in known} | {k: v for k, v in registry.items()}
    if folded in choices:
        return choices[folded]
    from rapidfuzz import process

    options = sorted(set(choices.values()))
    hint = process.extractOne(value, options, score_cutoff=60)
    more = f"; did you mean '{hint[0]}'?" if hint else f"; known {kind}s: {', '.join(options) or 'none'}"
    raise _usage(f"unknown {kind} '{value}'{more}", f"unknown_{kind}", value=value,
                 known=", ".join(options), hint=hint[0] if hint else "")


def _usage(text: str, code: str, **params: str) -> UsageError:
    """A usage error the web page can say in Finnish or Swedish (``code`` + ``params``)."""
    error = UsageError(text)
    error.code = code
    error.params = params
    return error


def resolve_filters(records: ProjectSet, programme: str | None = None, region: str | None = None,
                    funder: str | None = None, year: int | None = None, status: str | None = None,
                    project: str | None = None) -> ProjectFilters:
    """Filter values as the records spell them; a typo is one clear UsageError with a hint."""
    if programme:
        programme = _resolve(programme, {p for r in records.projects for p in r.programmes}, "programme",
                             registry_ids("programme"))
    if funder:
        funder = _resolve(funder, {f for r in records.projects for f in r.funders}, "funder",
                          registry_ids("funder"))
    if region:
        from hakemisto.core.regions import resolve_county

        region = resolve_county(region)
    if status and status not in STATUSES:
        raise UsageError(f"unknown status '{status}'; one of: {', '.join(STATUSES)}")
    return ProjectFilters(programme, region, funder, year, status, project)


def select(records: ProjectSet, filters: ProjectFilters) -> list[Project]:
    out = []
    for p in records.projects:
        if filters.programme and filters.programme not in p.programmes:
            continue
        if filters.region and p.region != filters.region:
            continue
        if filters.funder and filters.funder not in p.funders:
            continue
        if filters.year and filters.year not in p.years():
            continue
        if filters.status and p.status != filters.status:
            continue
        if filters.project and not _matches_project(p, filters.project):
            continue
        out.append(p)
    return out


def _matches_project(p: Project, query: str) -> bool:
    q = name_key(query)
    return any(q in name_key(n) or fuzz.token_set_ratio(q, name_key(n)) >= 90
               for n in (p.name, *p.names, *p.acronyms)) or query == p.id


def select_people(records: ProjectSet, region: str | None, project: str | None) -> list[Person]:
    """People of a county and/or of the projects whose names match ``project``."""
    filters = resolve_filters(records, region=region, project=project)
    wanted = {p.id for p in select(records, ProjectFilters(project=project))} if project else None
    if project and not wanted:
        raise _usage(f"no project matches '{project}'; list them with: hakemisto projects", "unknown_project",
                     value=project)
    return [p for p in records.people
            if (not filters.region or filters.region in p.regions)
            and (wanted is None or wanted & set(p.projects))]


# --- tables ------------------------------------------------------------------------------------------


TABLE_COLUMNS = (
    "county", "project", "programmes", "period", "granted_eur", "applied_eur", "budget_eur", "cost_eur",
    "status", "contact", "contact_title", "contact_phone", "contact_email", "sources",
)  # fmt: skip
EURO_COLUMNS = (4, 5, 6, 7)


def table_rows(projects: Iterable[Project]) -> list[list[Any]]:
    """One row per project: the comparison a planner pastes into a spreadsheet."""
    rows = []
    for p in projects:
        lead = p.lead_contact
        rows.append([
            p.region or "(national)", p.name, ", ".join(p.programmes), p.period,
            _num(p.granted_eur), _num(p.total("applied")), _num(p.total("budget")), _num(p.total("cost")),
            p.status or "", lead.name if lead else "", (lead.title or "") if lead else "",
            (lead.phone or "") if lead else "", (lead.email or "") if lead else "",
            " ".join(page.link for page in p.pages),
        ])  # fmt: skip
    return rows


def _num(value: float) -> float | int | None:
    if not value:
        return None
    return int(value) if float(value).is_integer() else round(value, 2)
