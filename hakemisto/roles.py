"""What a sum of money is: granted, applied, budget, cost, pool or other — and which sums are parts.

A regional total may add only granted money, never a national pot, a budget beside its own state
share, or an application beside the later grant (shared/gold/README.md, "Amount roles"). The role is
read from the sum's own clause first (the nearest cue word wins, a strong cue — a verb or a label
such as 'myönnettiin', 'haettu', 'kokonaisbudjetti' — beats a weak one such as 'rahoitus'), then from
a label line right above it, then from what the page as a whole speaks of (a ministry release that
announces grants, a board minute that decides to apply). Cue words are data (``data/roles.toml``).
This module is pure: text and offsets in, roles and part links out.
"""

from __future__ import annotations

import re
import tomllib
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources

from .model import AMOUNT_ROLES

# Dashes are no clause breaks: project names carry them ('Prima Botnia – Hyvinvoiva Pohjanmaa').
_CLAUSE_BREAK = re.compile(r",\s|;\s|:\s|\n|(?<!-)\s(?:ja|sekä|och|samt)\s")
_LABEL_MAX_WORDS = 6


@dataclass(frozen=True)
class Cue:
    """One cue word (or phrase) found in a text: where, which role, and how strongly it speaks."""

    start: int
    end: int
    role: str
    strong: bool
    exact: bool = True


@cache
def vocab() -> dict:
    return tomllib.loads(resources.files("hakemisto").joinpath("data/roles.toml").read_text("utf-8"))


def _word_pattern(phrase: str) -> str:
    parts = []
    for word in phrase.lower().split():
        if word == "#":
            parts.append(r"\d+")
        elif word.endswith("*"):
            parts.append(re.escape(word[:-1]) + r"[\w-]*")
        else:
            parts.append(re.escape(word) + r"(?![\w-])")
    return r"(?<!\w)" + r"\s+".join(parts)


@cache
def _cue_patterns() -> tuple[tuple[str, bool, bool, re.Pattern[str]], ...]:
    """(role, strong, exact, pattern): exact cues have no wildcard, so they win a tie with a wildcard
    cue over the same word ('haettavissa' is a pool, 'haettava*' an application)."""
    out = []
    v = vocab()
    for role in AMOUNT_ROLES:
        table = v.get(role, {})
        for strong in (True, False):
            kind = "strong" if strong else "weak"
            words = sorted({*table.get(f"{kind}_fi", ()), *table.get(f"{kind}_sv", ())}, key=len, reverse=True)
            for exact in (True, False):
                group = [w for w in words if ("*" not in w) == exact]
                if group:
                    alternation = "|".join(_word_pattern(w) for w in group)
                    out.append((role, strong, exact, re.compile(alternation)))
    return tuple(out)


@cache
def _part_pattern() -> re.Pattern[str]:
    words = [*vocab()["parts"]["fi"], *vocab()["parts"]["sv"]]
    return re.compile("|".join(_word_pattern(w) for w in sorted(words, key=len, reverse=True)))


def find_cues(text: str) -> list[Cue]:
    """Every role cue in ``text``; a cue inside a longer cue of another role is dropped."""
    low = text.lower()
    found = [Cue(m.start(), m.end(), role, strong, exact)
             for role, strong, exact, pattern in _cue_patterns() for m in pattern.finditer(low)]
    kept = []
    for c in found:
        covered = any(o is not c and o.start <= c.start and c.end <= o.end
                      and ((o.end - o.start) > (c.end - c.start) or (o.exact and not c.exact))
                      for o in found)
        if not covered:
            kept.append(c)
    return sorted(kept, key=lambda c: c.start)


def _clause_index(text: str, pos: int) -> int:
    """Which clause of ``text`` the offset ``pos`` falls in (clauses end at , ; : ( ) and dashes)."""
    return sum(1 for m in _CLAUSE_BREAK.finditer(text) if m.end() <= pos)


def _part_breaks(text: str) -> list[int]:
    return [m.start() for m in _part_pattern().finditer(text.lower())]


def cue_role(sentence: str, start: int, end: int) -> tuple[str, bool] | None:
    """The role the cues of ``sentence`` give the sum at ``sentence[start:end]`` and whether the cue
    was strong; None when the sentence has no cue.

    A 'josta …' / 'varav …' part speaks only of itself; within it (or the rest of the sentence) a cue
    in the sum's own clause beats one in another clause, a strong cue beats a weak one, and the
    nearer cue beats the farther one.
    """
    cues = [c for c in find_cues(sentence) if c.end <= start or c.start >= end]
    if not cues:
        return None
    breaks = _part_breaks(sentence)
    own = _clause_index(sentence, start)
    own_part = sum(1 for b in breaks if b < start)

    def key(c: Cue) -> tuple[int, int, int, int]:
        same_part = sum(1 for b in breaks if b < c.start) == own_part
        same_clause = _clause_index(sentence, c.start) == own
        distance = start - c.end if c.end <= start else c.start - end
        return (int(same_part), int(same_clause), int(c.strong), -distance)

    best = max(cues, key=key)
    return best.role, best.strong


def label_role(text: str, line_start: int) -> str | None:
    """The role a short label line right above the sum's line gives it ('Myönnetty rahoitus',
    'Kokonaisbudjetti:', 'Beviljat belopp')."""
    before = text[:line_start].rstrip("\n")
    lines = before.split("\n")
    for line in reversed(lines[-3:]):
        words = line.split()
        if not words:
            continue
        if len(words) > _LABEL_MAX_WORDS:
            return None
        cues = find_cues(line)
        if cues:
            strong = [c for c in cues if c.strong] or cues
            return strong[-1].role
    return None


def page_role(text: str) -> str:
    """What the page as a whole speaks of when a sum's own words say nothing: 'applied' on pages whose
    strong cues are mostly applications (a board minute deciding to apply), else 'granted'."""
    counts: Counter[str] = Counter(c.role for c in find_cues(text) if c.strong and c.role in ("granted", "applied"))
    low = text.lower()
    minutes = sum(1 for w in vocab()["pages"]["minutes"] if w in low) >= 2
    if counts["applied"] > counts["granted"] or (minutes and counts["applied"] and counts["applied"] >= counts["granted"]):
        return "applied"
    return "granted"


def amount_roles(text: str, spans: Sequence[tuple[int, int, int, int]]) -> list[tuple[str, bool]]:
    """The role of every sum and whether a strong cue said so: ``spans`` are (amount start, amount
    end, sentence start, sentence end) offsets in ``text``."""
    default = page_role(text)
    out = []
    for start, end, s, e in spans:
        sentence = text[s:e]
        found = cue_role(sentence, start - s, end - s)
        if found is None or not found[1]:
            line_start = text.rfind("\n", 0, start) + 1
            label = label_role(text, line_start)
            if label:
                found = (label, True)
        out.append(found if found else (default, False))
    return out


def part_links(text: str, spans: Sequence[tuple[int, int, int, int]]) -> list[int | None]:
    """For every sum, the index of the sum it is a part of, or None.

    A sum is a part when a part word ('josta', 'joista', 'varav', 'därav' …) stands between it and an
    earlier sum of the same sentence, or opens its sentence ('Tästä …', 'Av detta …') right after a
    sentence with a sum; a sum joined to a part by 'ja' / 'och' / a comma is a part of the same whole.
    """
    pattern = _part_pattern()
    links: list[int | None] = [None] * len(spans)
    for j, (start, _end, s, _e) in enumerate(spans):
        if j == 0:
            continue
        p_start, p_end, p_s, _p_e = spans[j - 1]
        if p_s == s:
            between = text[p_end:start].lower()
            if pattern.search(between):
                links[j] = j - 1
            elif links[j - 1] is not None and re.fullmatch(r"[\s,]*(?:ja|sekä|och|samt)?\b[^.;]{0,60}", between):
                links[j] = links[j - 1]
        else:
            head = text[s:start].lower()
            opener = pattern.match(head.lstrip())
            same_paragraph = "\n\n" not in text[p_end:s]
            if opener and same_paragraph and head.lstrip()[: opener.end()] in ("tästä", "siitä", "av detta",
                                                                                "av dessa", "av summan",
                                                                                "av beloppet", "därav", "varav"):
                links[j] = j - 1
    return links
