"""Canonical entities: one id per real-world person, organisation, funder or programme.

Variants ('Sosiaali- ja terveysministeriö (STM)' / 'STM' / 'sosiaali- ja terveysministeriön',
'Keski-Pohjanmaan sosiaali- ja terveyspalvelukuntayhtymä (Soite)' / 'Soite') are joined by
acronyms written in parentheses, the funding vocabulary, base forms and rapidfuzz similarity.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz

from hakemisto.core.model import Document
from hakemisto.core.unionfind import UnionFind

ORG_MATCH = 92.0
PERSON_MATCH = 90.0
TYPES = ("person", "org", "funder", "programme")
_PAREN = re.compile(r"^(?P<name>.+?)\s*\((?P<acr>[^()]{2,15})\)\s*$")


@dataclass(frozen=True)
class CanonicalEntity:
    id: str
    type: str
    name: str
    variants: tuple[str, ...]
    doc_count: int
    regions: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, object]:
        return {"id": self.id, "type": self.type, "name": self.name, "variants": list(self.variants),
                "doc_count": self.doc_count, "regions": list(self.regions)}


def slug(text: str) -> str:
    return re.sub(r"[^\w]+", "-", text.lower()).strip("-")


def canonical_org(text: str, lemmas: Sequence[str] | None = None) -> str | None:
    """Base form of an organisation name: its head (last) word lemmatised, spaces normalised.

    Finnish organisation names inflect only in the head word ('sosiaali- ja terveysministeriön').
    """
    name = " ".join(text.split()).strip(" ,.;:")
    if len(name) < 2 or not any(c.isalpha() for c in name):
        return None
    words = name.split(" ")
    if lemmas and len(lemmas) and words:
        last = lemmas[-1]
        if last and last.isalpha() and words[-1].isalpha() and last.lower()[:3] == words[-1].lower()[:3]:
            words[-1] = last if words[-1][:1].islower() else last[:1].upper() + last[1:]
    if ":" in words[-1]:
        words[-1] = words[-1].split(":")[0]
    return " ".join(words)


def _key(name: str) -> str:
    return " ".join(name.lower().replace("–", "-").split())


def group_names(names: Iterable[str], kind: str) -> dict[str, list[str]]:
    """Variant groups: key = the chosen canonical name, value = its variants (first seen first)."""
    names = list(dict.fromkeys(n for n in names if n))
    uf: UnionFind[str] = UnionFind(key=len)  # the shortest key represents its group
    keys = {n: _key(n) for n in names}
    for n in names:
        uf.find(keys[n])
        m = _PAREN.match(n)
        if m and kind == "org":
            uf.union(keys[n], _key(m.group("name")))
            uf.union(keys[n], _key(m.group("acr")))
    threshold = PERSON_MATCH if kind == "person" else ORG_MATCH
    for i, a in enumerate(names):
        for b in names[i + 1:]:
            if fuzz.ratio(keys[a], keys[b]) >= threshold:
                uf.union(keys[a], keys[b])
    groups: dict[str, list[str]] = defaultdict(list)
    for n in names:
        groups[uf.find(keys[n])].append(n)
    out: dict[str, list[str]] = {}
    for variants in groups.values():
        out[_display(variants, kind)] = variants
    return out


def _display(variants: Sequence[str], kind: str) -> str:
    """The most informative variant: 'Name (ACR)' for organisations, else the longest base form."""
    if kind == "org":
        with_acr = [v for v in variants if _PAREN.match(v)]
        if with_acr:
            return with_acr[0]
    return max(variants, key=lambda v: (v[:1].isupper(), len(v)))


def build_entities(docs: Iterable[Document], kind: str | None = None,
                   region: str | None = None) -> list[CanonicalEntity]:
    """Canonical entities over documents that carry ``facts``, with variants and document counts."""
    mentions: dict[str, dict[str, set[str]]] = {t: defaultdict(set) for t in TYPES}
    variants_of: dict[str, dict[str, set[str]]] = {t: defaultdict(set) for t in TYPES}
    regions_of: dict[str, dict[str, set[str]]] = {t: defaultdict(set) for t in TYPES}
    for doc in docs:
        facts = doc.facts
        if facts is None or (region and (doc.region or facts.region) != region):
            continue
        found: dict[str, set[str]] = {
            "funder": set(facts.funders),
            "programme": set(facts.programmes),
            "person": set(facts.persons) | {c.name for c in facts.contacts},
            "org": set(facts.organizations) | {c.organization for c in facts.contacts if c.organization},
        }
        for span in facts.spans:
            label = {"FUNDER": "funder", "PROGRAMME": "programme", "PERSON": "person"}.get(span.label)
            if label:
                variants_of[label][span.canonical].add(" ".join(span.text.split()))
        for t, names in found.items():
            for name in names:
                mentions[t][name].add(doc.id)
                if doc.region or facts.region:
                    regions_of[t][name].add(doc.region or facts.region or "")
    out: list[CanonicalEntity] = []
    for t in TYPES:
        if kind and t != kind:
            continue
        if t in ("funder", "programme"):
            groups = {name: [name] for name in mentions[t]}
        else:
            groups = group_names(mentions[t], t)
        for name, members in groups.items():
            docs_ids = set().union(*(mentions[t][m] for m in members))
            variants = set(members).union(*(variants_of[t].get(m, set()) for m in members))
            regs = set().union(*(regions_of[t][m] for m in members))
            out.append(CanonicalEntity(
                id=f"{t}:{slug(name)}", type=t, name=name,
                variants=tuple(sorted(variants)), doc_count=len(docs_ids), regions=tuple(sorted(regs)),
            ))
    return sorted(out, key=lambda e: (e.type, -e.doc_count, e.name))
