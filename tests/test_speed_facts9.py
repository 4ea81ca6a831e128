"""Session 9's cheaper fact building gives exactly what the straightforward code gave (issue 17)."""

from __future__ import annotations

import random
import re

from hakemisto.core.prefilter import Literals
from hakemisto.facts import attach, payers, roles
from tests.test_speed_paths import ROLE_TEXTS, _cues_one_scan_per_cue


def _starts_by_regex(text: str, literal: str, word_start: bool) -> list[int]:
    head = r"(?<!\w)" if word_start else ""
    return [m.start() for m in re.finditer(f"{head}(?={re.escape(literal)})", text)]


def test_literals_find_every_start_also_where_literals_overlap() -> None:
    words = ["myönn", "myönnetty", "myönnettiin", "eu-tuki", "tuki", "uki", "ki", "haet", "haettu", "a b", " b"]
    rng = random.Random(9)
    pieces = [*words, " ", "-", "x", "a", "b", "ä", "\n", "ttu", "EU-"]
    texts = ["", "myönnetty eu-tuki ja haettu tuki", "xmyönn myönnettiin-tuki a b a bb",
             *("".join(rng.choice(pieces) for _ in range(rng.randint(1, 40))) for _ in range(300))]
    for word_start in (False, True):
        finder = Literals(words, word_start=word_start)
        for text in texts:
            found = finder.starts(text)
            for w in words:
                assert found.get(w, []) == _starts_by_regex(text, w, word_start), (w, text, word_start)
            assert set(found) <= set(words)


def test_literals_search_a_range_like_an_alternation() -> None:
    """``Literals.search`` answers what the plain alternation of the literals answers for any range."""
    words = ["kunn", "kaupu", "valti", "hyvin", "eu", "euroo", "soite", "a"]
    plain = re.compile("|".join(re.escape(w) for w in words))
    finder = Literals(words)
    rng = random.Random(3)
    pieces = [*words, " ", "x", "u", "ro", "nn", "\n"]
    for _ in range(300):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 25)))
        for start in range(0, len(text) + 1, 3):
            for end in range(start, len(text) + 3, 4):
                assert finder.search(text, start, end) == bool(plain.search(text, start, end)), (text, start, end)
    assert not Literals([]).search("kunnat")


def test_literals_of_nothing_find_nothing() -> None:
    assert Literals([]).starts("mitä tahansa") == {}
    assert Literals(["", "abc"]).starts("xabcx") == {"abc": [1]}


def test_find_cues_on_mixed_random_texts() -> None:
    """Cue words glued, repeated, inside compounds, after dashes and digits: the word-start index and the
    match-at-start loop find what one ``finditer`` per cue finds, in the same order."""
    rng = random.Random(17)
    words = [w for t in ROLE_TEXTS for w in t.split()]
    words += ["myönnetty", "myönnettiin", "haettu", "haettava", "haettavissa", "EU-tuki", "eu-rahoitus", "on",
              "saanut", "i", "enlighet", "med", "av", "stödet", "omarahoitus", "kustannusarvio", "–", "-", ",", "24"]
    for _ in range(300):
        text = "".join(rng.choice(words) + rng.choice([" ", " ", "", "-", "\n", ", "]) for _ in range(rng.randint(1, 30)))
        assert roles.find_cues(text) == _cues_one_scan_per_cue(text), text


def _actor_by_scan(lemma: str, text: str) -> str | None:
    """The reference: every short name tried in turn, as before the index by initial."""
    words, _, names = payers._actor_index("fi")
    found = words.get(lemma)
    if found:
        return found
    for name, ident in names:
        first = name.split()[0]
        if text.startswith(first) and (len(text) - len(first) <= 4) and " " not in name:
            return ident
    return None


def test_actor_index_names_what_the_scan_of_every_name_named() -> None:
    words, _, names = payers._actor_index("fi")
    tokens = [w for n, _ in names for w in (n, n + "n", n + "lla", n + "ltakin", n + "lle" * 3, n.lower(), n[:-1])]
    tokens += [*words, "Kaupunki", "kunta", "Soiten", "Siun", "Oma", "", "x"]
    for token in tokens:
        for lemma in (token.lower(), "kunta", "muu"):
            assert payers._fi_actor_of(lemma, token) == _actor_by_scan(lemma, token), (lemma, token)


def test_name_scans_are_remembered_per_text_and_names() -> None:
    text = "Arjen tuki -hanke jatkuu. Arjen tukea saa myös Kohti-hankkeesta. Kohti ja Arjen tuki."
    names = ["Arjen tuki", "Kohti", "Kainuu"]
    first = attach.project_occurrences(text, names)
    assert first == attach.project_occurrences(text, names)
    assert [n for _s, _e, n in first] == ["Arjen tuki", "Kohti", "Kohti", "Arjen tuki"]
    assert attach.main_project(text, names) is None
    # another name list over the same text is scanned anew, never answered from the first one
    assert [n for _s, _e, n in attach.project_occurrences(text, ["Kohti"])] == ["Kohti", "Kohti"]
    assert attach.main_project(text, ["Kohti"]) == "Kohti"
    # another text with the same names too
    assert attach.project_occurrences("Ei hankkeita.", names) == []


def test_word_alternations_with_one_word_start_test_match_as_before() -> None:
    """The part, scope, funder and payer words as one alternation behind one word-start test find the
    same matches as the alternation of each phrase's own pattern."""
    from hakemisto.facts.entities import sentences
    from tests.test_index import FI, SV

    v = roles.vocab()
    lists = {
        roles._part_pattern(): [*v["parts"]["fi"], *v["parts"]["sv"]],
        roles._scope_pattern(): [*v["pool"]["scope_fi"], *v["pool"]["scope_sv"]],
        roles._funder_pattern(): list(v["parts"]["funders"]),
    }
    rng = random.Random(5)
    texts = [*ROLE_TEXTS, *FI.paragraphs, *SV.paragraphs]
    texts += [t[a:b] for t in list(texts) for a, b in sentences(t)]
    for pattern, words in lists.items():
        if pattern is not roles._funder_pattern():
            words = sorted(words, key=len, reverse=True)
        plain = re.compile("|".join(roles._word_pattern(w) for w in words))
        pieces = [w.replace("*", "").replace("#", "24") for w in words] + [" ", "-", "x", "1 000 ", "\n", "ja "]
        fuzz = ["".join(rng.choice(pieces) for _ in range(rng.randint(1, 12))) for _ in range(200)]
        for text in [*texts, *fuzz]:
            low = text.lower()
            assert [m.span() for m in pattern.finditer(low)] == [m.span() for m in plain.finditer(low)], text
    assert roles._words_pattern([]) == ""


def test_no_module_level_name_is_bound_twice_in_the_fact_rules() -> None:
    """A second ``_NAME = re.compile(...)`` further down a module silently replaces the first for every
    function that uses it (two developers' compiled patterns met that way in a merge)."""
    import ast
    from collections import Counter
    from pathlib import Path

    import hakemisto

    root = Path(hakemisto.__file__).parent
    for path in [*sorted((root / "facts").glob("*.py")), root / "core" / "prefilter.py"]:
        names: Counter[str] = Counter()
        for node in ast.parse(path.read_text("utf-8")).body:
            if isinstance(node, ast.Assign):
                names.update(t.id for t in node.targets if isinstance(t, ast.Name))
            elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
                names[node.target.id] += 1
            elif isinstance(node, ast.FunctionDef | ast.ClassDef):
                names[node.name] += 1
        assert [n for n, k in names.items() if k > 1] == [], path.name
