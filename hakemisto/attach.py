"""Whose money and whose person: a sum's role, county and project; a contact's project.

A planner's total per county and per project is only honest when every sum knows what it is
(``roles``), whose it is (the county — None for a national pot) and which project it belongs to, and
when a part never counts beside its whole. This module puts those facts on the ``Amount`` and
``Contact`` values the extractor found, from the page text and the offsets of project names and
county mentions. Pure: text and values in, new frozen values out.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace

from rapidfuzz import fuzz

from .model import Amount, Contact, Entity
from .roles import amount_roles, part_links

# How far back (characters) a sentence without a project name may look for the project it speaks of.
RECENT_WINDOW = 1200
_PROJECT_WORD = re.compile(r"(?<!\w)(?:hank\w*|projekt\w*|-hank\w*)", re.IGNORECASE)
_GENERIC_TITLE = re.compile(r"hanketoimisto|projektbyrå|kehittämisjohtaja|utvecklingsdirektör", re.IGNORECASE)


# --- where projects and counties are named -------------------------------------------------------


def _name_pattern(name: str) -> re.Pattern[str] | None:
    """A project name with its last word free to inflect ('Kohti' → 'Kohti-hankkeen', 'Päijät-Kotia')."""
    words = name.split()
    if not words:
        return None
    last = words[-1]
    stem = last[: max(3, len(last) - 3)] if len(last) > 5 and last[-1].isalpha() else last
    body = [re.escape(w) for w in words[:-1]] + [re.escape(stem) + r"[\w:-]*"]
    return re.compile(r"(?<![\w-])" + r"\s+".join(body), re.IGNORECASE)


def project_occurrences(text: str, names: Sequence[str]) -> list[tuple[int, int, str]]:
    """Every place a project of ``names`` is named in ``text``: (start, end, name), no overlaps, the
    longer name winning ('Tulevaisuuden sote-keskus' over 'Sote-keskus')."""
    found: list[tuple[int, int, str]] = []
    for name in names:
        pattern = _name_pattern(name)
        if pattern is None:
            continue
        found += [(m.start(), m.end(), name) for m in pattern.finditer(text)]
    found.sort(key=lambda f: (f[0], -(f[1] - f[0])))
    out: list[tuple[int, int, str]] = []
    for f in found:
        if out and f[0] < out[-1][1]:
            continue
        out.append(f)
    return out


def _paragraph_start(text: str, pos: int) -> int:
    cut = text.rfind("\n\n", 0, pos)
    return 0 if cut < 0 else cut + 2


def _line_bounds(text: str, pos: int) -> tuple[int, int]:
    start = text.rfind("\n", 0, pos) + 1
    end = text.find("\n", pos)
    return start, len(text) if end < 0 else end


def _nearest(items: Sequence[tuple[int, int, str]], lo: int, hi: int, start: int, end: int) -> str | None:
    """The item inside [lo, hi) nearest to [start, end); one after the sum counts 1.5× its distance."""
    best: tuple[float, str] | None = None
    for s, e, value in items:
        if s < lo or e > hi:
            continue
        distance = start - e if e <= start else (s - end) * 1.5 if s >= end else 0
        if best is None or distance < best[0]:
            best = (distance, value)
    return best[1] if best else None


def _recent(items: Sequence[tuple[int, int, str]], before: int, window: int) -> str | None:
    prior = [i for i in items if i[1] <= before and before - i[1] <= window]
    return prior[-1][2] if prior else None


def main_project(names: Sequence[str], occurrences: Sequence[tuple[int, int, str]]) -> str | None:
    """The page's one project when it names only one (its aliases aside)."""
    named = {o[2] for o in occurrences} or set(names)
    return next(iter(named)) if len(named) == 1 else None


# --- amounts --------------------------------------------------------------------------------------


def amount_project(text: str, amount: Amount, sentence: tuple[int, int],
                   occurrences: Sequence[tuple[int, int, str]], single: str | None) -> str | None:
    """The project a sum belongs to: named in its sentence (nearest), else in its line or list item,
    else the latest one named earlier in its paragraph or in the text right before it, else the
    page's only project."""
    start, end = amount.start or 0, amount.end or 0
    for lo, hi in (sentence, _line_bounds(text, start)):
        hit = _nearest(occurrences, lo, hi, start, end)
        if hit:
            return hit
    paragraph = _paragraph_start(text, start)
    hit = _recent(occurrences, start, start - paragraph)
    if hit:
        return hit
    if _PROJECT_WORD.search(text[sentence[0]:sentence[1]]):
        hit = _recent(occurrences, start, RECENT_WINDOW)
        if hit:
            return hit
    return single


def amount_region(text: str, amount: Amount, sentence: tuple[int, int], regions: Sequence[Entity],
                  page_region: str | None) -> str | None:
    """The county whose money a sum is: on a national page (no page county) the county named next
    to it (its clause, sentence, line or the heading above it in its paragraph) or None; on a county
    page the page's county, unless the sum's own sentence names another county and not the page's."""
    start, end = amount.start or 0, amount.end or 0
    spans = [(r.start, r.end, r.canonical) for r in regions]
    s, e = sentence
    in_sentence = {r for a, b, r in spans if s <= a and b <= e}
    if page_region is not None:
        others = in_sentence - {page_region}
        if others and page_region not in in_sentence and len(others) == 1:
            return next(iter(others))
        return page_region
    for lo, hi in ((s, e), _line_bounds(text, start)):
        hit = _nearest(spans, lo, hi, start, end)
        if hit:
            return hit
    return _recent(spans, start, start - _paragraph_start(text, start))


def attach_amounts(text: str, amounts: Sequence[Amount], bounds: Sequence[tuple[int, int]],
                   projects: Sequence[str], regions: Sequence[Entity], page_region: str | None,
                   national: bool = False) -> list[Amount]:
    """The amounts with role, region, project and part_of filled.

    ``national``: the page speaks for the whole country (a ministry release): a granted sum that
    names no county and no project there is the ministry's total, a pool.
    """
    sentences = [_sentence_bounds(bounds, a.start or 0) for a in amounts]
    spans = [(a.start or 0, a.end or 0, s, e) for a, (s, e) in zip(amounts, sentences, strict=True)]
    roles = amount_roles(text, spans)
    parts = part_links(text, spans)
    occurrences = project_occurrences(text, projects)
    single = main_project(projects, occurrences)
    out = []
    for amount, sentence, role, part in zip(amounts, sentences, roles, parts, strict=True):
        region = amount_region(text, amount, sentence, regions, None if national else page_region)
        project = amount_project(text, amount, sentence, occurrences, None if national else single)
        if national and role == "granted" and region is None and project is None:
            role = "pool"
        if role == "pool":
            region, project = None, None
        out.append(replace(amount, role=role, region=region, project=project, part_of=part))
    return out


def _sentence_bounds(bounds: Sequence[tuple[int, int]], pos: int) -> tuple[int, int]:
    for s, e in bounds:
        if s <= pos < e:
            return s, e
    return pos, pos


# --- contacts -------------------------------------------------------------------------------------


def _mention_of(text: str, name: str) -> int | None:
    """Where a person is first named in running text, inflected or not ('Katri Nousiaisen')."""
    parts = name.split()
    if len(parts) < 2:
        return None
    first, last = parts[0], parts[-1]
    stem = last[: max(3, len(last) - 3)] if len(last) > 5 else last
    m = re.search(rf"(?<!\w){re.escape(first)}\s+{re.escape(stem)}", text)
    return m.start() if m else None


def _named_in(line: str, projects: Sequence[str]) -> str | None:
    for name in sorted(projects, key=len, reverse=True):
        pattern = _name_pattern(name)
        if pattern and pattern.search(line):
            return name
    best = max(projects, key=lambda p: fuzz.token_set_ratio(p.lower(), line.lower()), default=None)
    if best and fuzz.partial_ratio(best.lower(), line.lower()) >= 90 and len(best) >= 4:
        return best
    return None


def contact_project(text: str, contact: Contact, occurrences: Sequence[tuple[int, int, str]],
                    projects: Sequence[str], single: str | None) -> str | None:
    """The project a contact runs or answers for: named in the contact's own line (or the title line
    under it), else the project the text spoke of just before the person is first named, else the
    page's only project — never for an office-wide title ('hanketoimiston päällikkö')."""
    if contact.title and _GENERIC_TITLE.search(contact.title):
        return None
    pos = _mention_of(text, contact.name)
    if contact.sentence:
        hit = _named_in(contact.sentence, projects)
        if hit:
            return hit
    if pos is not None:
        line_start, line_end = _line_bounds(text, pos)
        following = text[line_end:line_end + 200].strip().split("\n")[0]
        for line in (text[line_start:line_end], following):
            hit = _named_in(line, projects) if len(line) < 200 else None
            if hit:
                return hit
        hit = _recent(occurrences, pos, RECENT_WINDOW)
        if hit:
            return hit
    return single


def attach_contacts(text: str, contacts: Sequence[Contact], projects: Sequence[str]) -> list[Contact]:
    occurrences = project_occurrences(text, projects)
    single = main_project(projects, occurrences)
    return [replace(c, project=contact_project(text, c, occurrences, projects, single)) for c in contacts]
