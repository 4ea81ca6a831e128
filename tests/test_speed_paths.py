"""Faster paths of the ingest give exactly what the straightforward code gave (issue 17)."""

from __future__ import annotations

import random
from dataclasses import asdict, replace

from hakemisto.core.model import Document, content_hash, plain
from hakemisto.facts import dedup, roles
from tests.test_index import FI, SV

PAGES = 74  # more than dedup.BOILERPLATE_PAGES share the footer
ROLE_TEXTS = [
    "Sosiaali- ja terveysministeriö myönsi hankkeelle 2,4 miljoonaa euroa, josta valtionavustusta 1,2 M€.",
    "Hyvinvointialue haki 500 000 euroa. Haettu summa myönnettiin kokonaisuudessaan vuonna 2023.",
    "Kokonaisbudjetti on 3 M€ ja omarahoitus 0,6 M€; haettavissa on yhteensä 24 hankkeelle 10 M€.",
    "Välfärdsområdet beviljades 1,5 miljoner euro, varav 0,3 miljoner för utvärdering av 12 projekt.",
    "Rahoitus: 250 000 €. Kahdeksalle hankkeelle jaettiin rahoitusta koko maassa.",
]


def _cues_one_scan_per_cue(text: str) -> list[roles.Cue]:
    """The reference: every cue's regex over the whole text, as before the literal pre-test."""
    low = text.lower()
    found = [roles.Cue(m.start(), m.end(), role, strong, spec)
             for role, strong, spec, pattern in roles._cue_patterns() for m in pattern.finditer(low)]
    kept = [c for c in found
            if not any(o is not c and o.start <= c.start and c.end <= o.end
                       and ((o.end - o.start) > (c.end - c.start) or o.spec > c.spec) for o in found)]
    return sorted(kept, key=lambda c: c.start)


def test_cue_scan_finds_the_same_cues_in_the_same_order() -> None:
    texts = [*ROLE_TEXTS, " ".join(ROLE_TEXTS), "\n".join(FI.paragraphs), "\n".join(SV.paragraphs)]
    for text in texts:
        assert roles.find_cues(text) == _cues_one_scan_per_cue(text)
    assert any(roles.find_cues(t) for t in ROLE_TEXTS)


def test_cue_scan_on_sentences_and_lines_of_pages() -> None:
    """Every sentence and line of the test pages: the literal-first patterns and the word-start index
    find what one scan per original pattern finds (and the remembered answer is the same)."""
    from hakemisto.facts.entities import sentences

    texts = [*ROLE_TEXTS, "\n".join(FI.paragraphs), "\n".join(SV.paragraphs), "i enlighet med ansökan, on saanut"]
    units = [u for t in texts for u in (t, *t.split("\n"), *(t[a:b] for a, b in sentences(t)))]
    for unit in units:
        assert roles.find_cues(unit) == _cues_one_scan_per_cue(unit) == roles.find_cues(unit)


def _phones_plain(text: str) -> list:
    """The reference: ``find_phones`` with the plain ``PhoneNumberMatcher`` (every candidate parsed)."""

    import phonenumbers

    from hakemisto.facts import contacts

    found = []
    for match in phonenumbers.PhoneNumberMatcher(text, "FI"):
        digits = sum(ch.isdigit() for ch in match.raw_string)
        after = text[match.end: match.end + 8].lower()
        if digits < 7 or contacts.SUM_AFTER.match(after) or contacts._DATE.fullmatch(match.raw_string.strip()):
            continue
        e164 = phonenumbers.format_number(match.number, phonenumbers.PhoneNumberFormat.E164)
        found.append(contacts.Mention(match.start, match.end, e164))
    return found


def test_phones_skip_short_candidates_and_find_the_same() -> None:
    from hakemisto.facts.contacts import find_phones

    texts = [
        "Lisätietoja: Anna Virtanen, puh. 040 805 1455, 12.3.2024 klo 9.00–16.00, 2 400 000 euroa.",
        "Tel. +358 29 123 4567 / 044 123 45 67, vaihde 06 218 0000; hanke 2023–2025 (nro 1405/12.05.51/2023)",
        "Kontakt: 050 1234 567 (mån 8–16), 24 % av 300 000 euro, § 64, 09 310 12345 x 12",
        "1 2 3 4 5 6 7 8 9 0 12 34 56 78 040-8051455 1-2-3 (09) 4 5 6",
    ]
    rng = random.Random(7)
    pieces = ["040", " ", "805", "1455", "-", "/", ".", "(09)", "+358", "x", "€", "%", "12", "2024", "\n", "puh. ", "euroa"]
    texts += ["".join(rng.choice(pieces) for _ in range(rng.randint(3, 40))) for _ in range(400)]
    for text in texts:
        assert find_phones(text) == _phones_plain(text), text
    assert [m.value for m in find_phones(texts[0])] == ["+358408051455"]
    # so many number-like candidates that the skip's charge uses up the matcher's tries: the plain
    # matcher answers (it does not give up here: a phone after 3,000 short candidates is found)
    crowded = "1, " * 3000 + "puh. 040 805 1455"
    assert [m.value for m in find_phones(crowded)] == ["+358408051455"] == [m.value for m in _phones_plain(crowded)]


def test_plain_equals_asdict() -> None:
    doc = replace(FI, twin="sv-1", duplicates=("a", "b"), alternates=(("sv", "https://x/sv"),))
    for value in (doc, SV, doc.facts):
        assert plain(value) == asdict(value)
    assert doc.to_dict()["facts"]["amounts"][0]["eur"] == 11_700_000


def _page(doc_id: str, body: str) -> Document:
    paragraphs = ("Otsikko " + doc_id, body)
    return Document(id=doc_id, title=paragraphs[0], paragraphs=paragraphs,
                    content_hash=content_hash("\n\n".join(paragraphs)))


def test_boilerplate_shingles_make_no_candidates(monkeypatch) -> None:
    assert PAGES > dedup.BOILERPLATE_PAGES
    rng = random.Random(5)
    vocabulary = [f"sana{i}" for i in range(3000)]
    footer = " ".join(rng.choice(vocabulary) for _ in range(120))  # on every page: template text

    def words(n: int) -> str:
        return " ".join(rng.choice(vocabulary) for _ in range(n))

    release = words(150)
    docs = [_page(f"p{i}", f"{words(60)} {footer}") for i in range(PAGES)]
    docs += [_page("copy-1", f"{release} {footer}"), _page("copy-2", f"{release} {footer}")]
    compared = []
    similar = dedup._similar

    def counting(*args):
        compared.append(1)
        return similar(*args)

    monkeypatch.setattr(dedup, "_similar", counting)
    out = {d.id: d.duplicates for d in dedup.group_duplicates(docs)}
    assert out["copy-1"] == ("copy-2",) and out["copy-2"] == ("copy-1",)
    assert all(not dups for doc_id, dups in out.items() if not doc_id.startswith("copy"))
    assert len(compared) < len(docs)  # not every pair of pages sharing the footer


def test_stored_languages_answer_like_langdetect(tmp_path) -> None:
    from hakemisto.documents.lang import detect_document, judged_texts
    from hakemisto.facts import modelcache

    docs = [FI, SV, replace(SV, id="sv-2", paragraphs=(*SV.paragraphs, "Kontaktperson Anna Virtanen"))]
    texts = [t for d in docs for t in judged_texts(d.paragraphs)]
    plain_docs = [detect_document(d) for d in docs]
    with modelcache.use(tmp_path / modelcache.FILE_NAME):
        first = modelcache.StoredLanguages(texts)
        assert [detect_document(d, first) for d in docs] == plain_docs
        first.store()
        again = modelcache.StoredLanguages(texts)
        assert set(again.known) == set(texts) and len(texts) > 2

        def no_model(text: str) -> tuple[str, float]:
            raise AssertionError(f"langdetect asked again about {text!r}")

        again._detect = no_model
        assert [detect_document(d, again) for d in docs] == plain_docs
        assert again.known == {t: first(t) for t in texts}


def test_token_strings_are_the_tokens_strings() -> None:
    """``entities.token_strings`` (read from the Doc's arrays) gives what walking the tokens gives."""
    from hakemisto.facts.entities import fi_nlp, sv_nlp, token_strings

    for nlp, text in ((fi_nlp(), "\n".join(FI.paragraphs)), (sv_nlp(), "\n".join(SV.paragraphs))):
        doc = nlp(text)
        assert token_strings(doc, "ORTH") == [t.text for t in doc]
        assert token_strings(doc, "LOWER") == [t.lower_ for t in doc]
        assert token_strings(doc, "LEMMA") == [t.lemma_ for t in doc]
        assert len(doc) > 10


def test_multiword_county_names_are_still_tried() -> None:
    """``regions._may_start_name`` lets the windows of every multi-word county name, alias or
    Swedish name through, also inflected ('Länsi-Uudenmaan hyvinvointialueella')."""
    from hakemisto.core import regions

    names = [n for r in regions.all_regions() for n in (r.canonical, r.sv, *r.aliases) if " " in n.strip()]
    assert names
    for name in names:
        first = regions._TOKEN.findall(name)[0]
        assert regions._may_start_name(first), name
    assert not regions._may_start_name("Anna")
    found = regions.find_mentions("Länsi-Uudenmaan hyvinvointialueella ja Anna Virtasen kanssa")
    assert [m.region for m in found][:1] == ["Länsi-Uusimaa"]


def test_contact_block_heads_as_one_pattern() -> None:
    """``contacts._opens_kind`` answers like testing every head's four openings, on every line of the
    dev pages and on edge shapes (a head alone, with ':', ' ', ',' or '(', glued, too long)."""
    from pathlib import Path

    from hakemisto.facts import contacts

    def opens(low: str, heads: list[str]) -> bool:
        return any(low == h or low.startswith((h + ":", h + " ", h + ",", h + "(")) and len(low) < 80 for h in heads)

    docs = Path(__file__).parent / "pages" / "dev" / "docs"
    lines = {line.strip().lower() for p in docs.iterdir() for line in p.read_text("utf-8", "replace").split("\n")}
    for kind in ("contact", "block_end"):
        heads = contacts.vocab()["blocks"][kind]
        shapes = {h + tail for h in heads for tail in ("", ":", " x", ",", "(", "x", ": " + "y" * 80, ";")}
        hits = 0
        for low in lines | shapes:
            assert contacts._opens_kind(low, kind) == opens(low, heads), (kind, low)
            hits += opens(low, heads)
        assert hits > len(heads)
