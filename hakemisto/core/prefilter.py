"""Regexes that skip a text without the literal text every one of their matches contains.

The vocabularies hold dozens of hand-written patterns (funders, project names) that the rules scan
over whole pages. Most begin with ``\\b``, a character class or an alternation, so ``re`` cannot jump
to a literal: it tries each pattern at every position of the page (~70 funding patterns were a
tenth of a rules-only rebuild). Each of them still needs some literal text in every match ('valtion ',
'kaupunki' or 'kunta', '-projekt'); a substring test for it is a fast scan, and a page without it
cannot match. ``Scan`` works that literal set out of the pattern's own parse tree, so the answer is
the pattern's answer by construction, whatever the vocabulary files say.

What counts as required (anything unsure counts as nothing, which only costs speed): a run of
literal characters; a group's requirements; for an alternation, one of its branches' requirements
when every branch has one; a repeat's when it repeats at least once. A pattern can have several
('yvinvointialue' or 'älfärdsområde', and 'oput' or 'oppuosa'): the text must meet each. Patterns that ignore case
(a flag or ``(?i)``) get no prefilter: ``re``'s case folding is not ``str.lower``'s ('ſ' matches 's').

``Literals`` is the other half, for rules that test a text against a whole set of literals at once:
one trie-shaped regex finds where each starts (the role cues' first words, at word starts: the cue
patterns then run only there) or whether any stands in a range (the payers' actor stems, per
sentence). These are the project's only literal pre-tests; a per-pattern ``Scan`` stays with its
substring tests, which measured faster than one shared ``Literals`` scan for the funding patterns
(their literals include ' ' and ')', found at nearly every position).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from functools import cache

try:  # the parser of the standard library's own ``re`` (``sre_parse`` before Python 3.11)
    from re import _constants as _c
    from re import _parser as _p
except ImportError:  # pragma: no cover - older Pythons
    import sre_constants as _c  # type: ignore[no-redef]
    import sre_parse as _p  # type: ignore[no-redef]

Needs = frozenset[str]  # one of these strings occurs in every match
_REPEATS = {_c.MAX_REPEAT, _c.MIN_REPEAT, getattr(_c, "POSSESSIVE_REPEAT", _c.MAX_REPEAT)}
_ATOMIC = getattr(_c, "ATOMIC_GROUP", None)
MAX_NEEDS = 4  # requirements tested per text, the most selective first


def _rank(needs: Needs) -> tuple[int, int]:
    """Selectivity: a longer shortest literal first, then fewer alternatives."""
    return (min(map(len, needs)), -len(needs))


def _best(all_needs: list[Needs]) -> Needs | None:
    return max(all_needs, key=_rank) if all_needs else None


def _needs(items: Sequence[tuple[object, object]]) -> list[Needs]:
    """Requirements every match of the parsed sequence ``items`` meets, each a set of literals one of
    which the match contains (an empty list: none known)."""
    found: list[Needs] = []
    run: list[str] = []

    def close() -> None:
        if run:
            found.append(frozenset(["".join(run)]))
            run.clear()

    for op, av in items:
        if op is _c.LITERAL:
            run.append(chr(av))  # type: ignore[arg-type]
            continue
        close()
        if op is _c.SUBPATTERN:
            _group, add_flags, _del_flags, sub = av  # type: ignore[misc]
            if not add_flags & _c.SRE_FLAG_IGNORECASE:
                found += _needs(sub)
        elif op is _c.BRANCH:
            # one branch matches: the union of each branch's most selective requirement
            alternatives = [_best(_needs(alt)) for alt in av[1]]  # type: ignore[index]
            if alternatives and all(alt is not None for alt in alternatives):
                found.append(frozenset().union(*alternatives))  # type: ignore[arg-type]
        elif op in _REPEATS:
            low, _high, sub = av  # type: ignore[misc]
            if low >= 1:
                found += _needs(sub)
        elif _ATOMIC is not None and op is _ATOMIC:
            found += _needs(av)  # type: ignore[arg-type]
        # anything else (classes, anchors, look-arounds, back-references) requires no known literal
    close()
    return found


def required_literals(pattern: str, flags: int = 0) -> tuple[Needs, ...]:
    """Requirements of every match of ``pattern``, most selective first: each a set of strings one of
    which the match contains (empty when none is known)."""
    if flags & re.IGNORECASE:
        return ()
    try:
        parsed = _p.parse(pattern, flags)
    except Exception:  # noqa: BLE001 - an unparsable pattern fails in ``re.compile`` instead
        return ()
    if parsed.state.flags & _c.SRE_FLAG_IGNORECASE:
        return ()
    found = [n for n in dict.fromkeys(_needs(list(parsed))) if n and all(n)]
    return tuple(sorted(found, key=_rank, reverse=True)[:MAX_NEEDS])


class Scan:
    """A compiled pattern that first asks whether the text holds one of its required literals."""

    __slots__ = ("needs", "regex")

    def __init__(self, pattern: str, flags: int = 0) -> None:
        self.regex = re.compile(pattern, flags)
        self.needs = tuple(tuple(sorted(n)) for n in required_literals(pattern, flags))

    def possible(self, text: str) -> bool:
        """False only when no match can exist: ``text`` misses every literal of some requirement."""
        for need in self.needs:  # plain loops: ``all``/``any`` over generators cost more than the tests
            for literal in need:
                if literal in text:
                    break
            else:
                return False
        return True

    def finditer(self, text: str) -> Iterator[re.Match[str]]:
        return self.regex.finditer(text) if self.possible(text) else iter(())

    def search(self, text: str) -> re.Match[str] | None:
        return self.regex.search(text) if self.possible(text) else None


@cache
def scan(pattern: str, flags: int = 0) -> Scan:
    """The ``Scan`` of a vocabulary pattern, compiled once per process (not through ``re``'s own
    cache, which the rules' per-name patterns keep evicting)."""
    return Scan(pattern, flags)


def _trie_pattern(literals: Sequence[str]) -> str:
    """One regex for a set of literals, their common beginnings shared ('myönn(?:et(?:ty|ään))?'):
    ``re`` then walks a trie at each position instead of trying every literal in turn. The optional
    tails are greedy, so the longest literal starting at a position is the one matched there."""
    trie: dict[str, dict] = {}
    for word in literals:
        node = trie
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}

    def emit(node: dict[str, dict]) -> str:
        alternatives = [re.escape(ch) + emit(child) for ch, child in sorted(node.items()) if ch]
        if not alternatives:
            return ""
        body = alternatives[0] if len(alternatives) == 1 else "(?:" + "|".join(alternatives) + ")"
        return f"(?:{body})?" if "" in node else body

    return emit(trie)


class Literals:
    """Where each of a fixed set of literal strings starts in a text, every occurrence, in one scan.

    A zero-width match at each position (``(?=(trie))``) gives the longest literal starting there; the
    literals that start there too are its prefixes, known in advance. So no occurrence is missed, also
    where literals overlap ('myönn' inside 'myönnetty', 'eu-tuki' holding 'tuki'). ``word_start``: only
    occurrences at the start of a word (no word character right before), which is where a pattern
    beginning with ``(?<!\\w)`` can match: the scan then skips every other position at once. Used
    instead of one substring test per literal when a text is tested against hundreds of them."""

    __slots__ = ("_any", "_prefixes", "_regex", "literals")

    def __init__(self, literals: Iterable[str], word_start: bool = False) -> None:
        self.literals = tuple(sorted({w for w in literals if w}))
        head = r"(?<!\w)" if word_start else ""
        trie = _trie_pattern(self.literals)
        self._regex = re.compile(f"{head}(?=({trie}))") if self.literals else None
        self._any = re.compile(f"{head}{trie}") if self.literals else None
        known = set(self.literals)
        self._prefixes = {w: tuple(w[:n] for n in range(1, len(w) + 1) if w[:n] in known) for w in self.literals}

    def search(self, text: str, start: int = 0, end: int | None = None) -> bool:
        """Whether one of the literals stands wholly inside ``text[start:end]`` (the trie as one
        consuming regex: ``re`` jumps to the characters a literal can start with)."""
        if self._any is None:
            return False
        return self._any.search(text, start, len(text) if end is None else end) is not None

    def starts(self, text: str) -> dict[str, list[int]]:
        """literal → the offsets where it starts in ``text``, ascending (only literals that occur)."""
        found: dict[str, list[int]] = {}
        if self._regex is None:
            return found
        prefixes = self._prefixes
        for m in self._regex.finditer(text):
            at = m.start()
            for literal in prefixes[m.group(1)]:
                found.setdefault(literal, []).append(at)
        return found
