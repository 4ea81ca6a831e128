"""Faster paths of the ingest give exactly what the straightforward code gave (issue 17)."""

from __future__ import annotations

import random
import re
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
    texts += ["Päivitetty 15.3.2024 040 805 1455", "Luotu 01.07.2022, puh. 040 805 1455 (20.05.2024)",
              "1.1.2023–31.12.2025 puh 0408051455 31.12.25", "Julkaistu 3.10.2024\n044 123 4567",
              "Avustus 1 180 000 euroa, puh. 040 805 1455", "2 000 000 €\n040 805 1455 1 000 000 euroa",
              "12 0408051455 1 000 euroa", "yhteensä 3\u00a0400\u00a0000 %, 09 310 12345 € 1 234 567"]
    pieces = ["040", " ", "805", "1455", "-", "/", ".", "(09)", "+358", "x", "€", "%", "12", "2024", "\n", "puh. ", "euroa",
              "15.3.2024", "1.1.23", "31.12.2025", "–", "1 180 000", " 000", "\u00a0", " milj.", " EUR"]
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


def _dev_texts() -> list[str]:
    """The dev pages' files as text (HTML as written: more shapes), with their paragraphs and lines."""
    from pathlib import Path

    docs = Path(__file__).parent / "pages" / "dev" / "docs"
    pages = [p.read_text("utf-8", "replace") for p in sorted(docs.iterdir()) if p.suffix in {".txt", ".html", ".htm"}]
    return pages + [part for page in pages for part in page.split("\n\n") if part.strip()]


def test_required_literals_of_pattern_shapes() -> None:
    from hakemisto.core.prefilter import required_literals

    def needs(pattern: str, flags: int = 0) -> set[frozenset[str]]:
        return set(required_literals(pattern, flags))

    assert needs(r"\bkunnilta\b") == {frozenset({"kunnilta"})}
    assert needs(r"[Kk]aupunki (?:maksaa|rahoittaa)") >= {frozenset({"aupunki "}), frozenset({"maksaa", "rahoittaa"})}
    assert needs(r"ab(?:cd|ef)?gh") == {frozenset({"ab"}), frozenset({"gh"})}  # an optional group requires nothing
    assert needs(r"x(?:foo|bar)+") == {frozenset({"x"}), frozenset({"foo", "bar"})}
    assert needs(r"(?:foo)*y") == {frozenset({"y"})}
    assert needs(r"a|\d+") == set()  # a branch without a literal: nothing is required
    assert needs(r"(?i)kunta") == needs("kunta", re.IGNORECASE) == set()  # case folding is re's, not str.lower's
    assert needs(r"(?i:kunta)x") == {frozenset({"x"})}
    assert needs(r"(?=.*\bHelsinki)\w+") == set()  # look-arounds are not counted
    assert needs(r"[") == set()  # not a pattern: no prefilter (re.compile reports it)


def test_prefiltered_vocabulary_patterns_find_what_re_finds() -> None:
    """Every funding and project-name pattern of the vocabularies, on every dev page, paragraph and
    sentence: ``prefilter.Scan`` finds exactly what ``re.finditer`` finds, and skips most texts."""
    from hakemisto.core.prefilter import scan
    from hakemisto.facts.entities import _project_vocab, sentences
    from hakemisto.facts.funding import funding_vocab

    vocab = funding_vocab()
    patterns = [p for kind in ("programme", "funder") for e in vocab[kind] for p in e.get("patterns", ())]
    patterns += list(_project_vocab()["patterns"])
    texts = _dev_texts()
    texts += [t[a:b] for t in texts[:60] for a, b in sentences(t)]
    skipped = matched = 0
    for pattern in patterns:
        s = scan(pattern)
        for text in texts:
            got = [(m.span(), m.groupdict()) for m in s.finditer(text)]
            assert got == [(m.span(), m.groupdict()) for m in re.finditer(pattern, text)], (pattern, text[:80])
            skipped += not s.possible(text)
            matched += bool(got)
    assert matched > 50 and skipped > len(patterns) * len(texts) // 2


def _registry_name_by_scan(kind: str, value: str) -> str | None:
    """The reference: ``registry_name`` as one walk over every registry name."""
    from hakemisto.facts import funding

    key = funding._name_key(value)
    if not key:
        return None
    best: tuple[int, str] | None = None
    for name, prefix, canonical in funding._registry_names(kind):
        if key == name:
            return canonical
        rest = key[len(name):]
        if prefix and len(name) >= 6 and key.startswith(name) and (len(rest) <= 6 or funding._TRAILER.fullmatch(rest)):
            if best is None or len(name) > best[0]:
                best = (len(name), canonical)
    return best[1] if best else None


def test_registry_name_by_dictionary_answers_like_the_walk() -> None:
    from hakemisto.facts import funding

    values = {" ".join(words[i:i + n]) for text in _dev_texts()[:80] for words in [text.split()]
              for n in (1, 2, 3, 4) for i in range(0, max(0, len(words) - n), 3)}
    for kind in ("funder", "programme"):
        for entry in funding.funding_vocab()[kind]:
            for name in (entry["id"], *entry.get("acronyms", ()), *entry.get("fi", ()), *entry.get("sv", ())):
                bare = name.rstrip("*")
                values |= {bare, bare.upper(), bare + "n", bare + "ssa", bare + " -ohjelma", bare + "aa", bare[:-1]}
    hits = 0
    for kind in ("funder", "programme"):
        for value in sorted(values):
            expected = _registry_name_by_scan(kind, value)
            assert funding.registry_name(kind, value) == expected, (kind, value)
            hits += expected is not None
    assert hits > 100


def test_fuzzy_county_lookup_by_direction_groups() -> None:
    """``regions._fuzzy`` compares with the keys of the same direction words, in index order, as the
    scan over the whole index did (misspelt and inflected names, and words that name no county)."""
    from rapidfuzz import fuzz, process

    from hakemisto.core import regions

    def by_scan(keys: set[str]) -> str | None:
        index = regions._index()
        best = None
        for key in keys:
            if len(key) < regions.FUZZY_MIN_LEN:
                continue
            wanted = regions.directions(key)
            choices = [k for k in index if regions.directions(k) == wanted and abs(len(k) - len(key)) <= 3]
            if not choices:
                continue
            hit = process.extractOne(key, choices, scorer=fuzz.ratio, score_cutoff=regions.FUZZY_CUTOFF)
            if hit and (best is None or hit[1] > best[0]):
                best = (hit[1], index[hit[0]])
        return best[1] if best else None

    words = {w.strip(".,:;()") for text in _dev_texts()[:60] for w in text.split() if "-" in w or w[:1].isupper()}
    words |= {"Pohjois-Pohjanmaa", "Pohjis-Pohjanmaan", "Keski-Pohjanmaa", "Etelä-Pohjanmaa", "Varsinais-Suomi",
              "Varsinais-Suomen", "Itä-Uusimaa", "Länsi-Uusimaa", "Keski-Uusimaa", "Kanta-Häme", "Päijät-Häme"}
    found = 0
    for word in sorted(w for w in words if w):
        keys = regions.key_variants(word)
        expected = by_scan(keys)
        assert regions._fuzzy(keys) == expected, word
        found += expected is not None
    assert found > 10


def test_programmes_in_and_clause_index_answer_like_before() -> None:
    from hakemisto.facts import projects, roles
    from hakemisto.facts.funding import programme_forms

    def programmes_by_search(text: str) -> frozenset[str]:
        low = text.casefold()
        return frozenset(pid for pid, forms in programme_forms().items()
                         if any(re.search(rf"(?<!\w){re.escape(f)}", low) for f in forms))

    texts = _dev_texts()
    assert sum(bool(projects._programmes_in(t)) for t in texts) > 20
    for text in texts:
        assert projects._programmes_in(text) == programmes_by_search(text)
        for pos in range(0, len(text), max(1, len(text) // 25)):
            assert roles._clause_index(text, pos) == sum(1 for m in roles._CLAUSE_BREAK.finditer(text) if m.end() <= pos)


def test_several_projects_answers_like_the_leading_word_pattern() -> None:
    """``entities._several_projects`` (word endings without a leading ``\\w*``) says yes on exactly the
    texts the original pattern matched: every dev page and paragraph, and inflected forms."""
    from hakemisto.facts import entities

    original = re.compile(
        r"\b(?:kaksi|kolme|neljä|viisi|kuusi|seitsemän|kahdeksan|yhdeksän|kymmenen|[2-9]|1\d) (?:\w+ ){0,2}"
        r"\w*(?:hanketta|kokeilua|projektia)\b|\w*(?:hankkeet|hankkeille|hankkeisiin|hankkeita|kokeilut|kokeiluille)\b|"
        r"\b(?:två|tre|fyra|fem|sex|sju|åtta|nio|tio|[2-9]|1\d) (?:\w+ ){0,2}\w*(?:projekt|försök)\b|"
        r"\w*(?:projekten|försöken)\b", re.IGNORECASE)
    texts = _dev_texts() + ["Kehittämishankkeille jaettiin", "HANKKEET", "hankkeetkin", "tre nya utvecklingsprojekt",
                            "Utvecklingsprojekten", "3 uutta hanketta", "Hankkeet.", "projektenheten", "x"]
    said = [entities._several_projects(t) for t in texts]
    assert said == [original.search(t) is not None for t in texts]
    assert 20 < sum(said) < len(texts)


def _cluster_pairwise(mentions: list, twins: dict) -> list[list]:
    """The reference: ``projects._cluster`` as one comparison per pair of mentions sharing a block key
    (the code before the comparison per distinct signature), same-sum twins left out."""
    from collections import defaultdict

    from hakemisto.core.unionfind import UnionFind
    from hakemisto.facts import projects

    uf = UnionFind(range(len(mentions)))
    index: dict[str, list[int]] = defaultdict(list)
    keys = [projects._block_keys(m) for m in mentions]
    for i, ks in enumerate(keys):
        for k in ks:
            index[k].append(i)
    later = [{j for k in ks for j in index[k] if j > i} for i, ks in enumerate(keys)]
    by_region: dict = defaultdict(list)
    for i, m in enumerate(mentions):
        by_region[m.region].append(i)
    for i, m in enumerate(mentions):
        if m.region is not None:
            for j in sorted(later[i]):
                if mentions[j].region == m.region and projects._same_name(m, mentions[j]):
                    uf.union(i, j)
    for region, idxs in by_region.items():
        named: dict = {}
        for i in idxs:
            if region is not None and mentions[i].synthetic and len(mentions[i].programmes) == 1:
                uf.union(named.setdefault(mentions[i].programmes, i), i)
    for idxs in by_region.values():
        for i in idxs:
            if mentions[i].synthetic:
                national = mentions[i].lang == "und"
                targets = {uf.find(j) for j in idxs if not mentions[j].synthetic
                           and set(mentions[i].programmes) & set(mentions[j].programmes)
                           and (national or set(mentions[j].programmes) <= set(mentions[i].programmes))}
                if len(targets) == 1:
                    uf.union(i, targets.pop())
    by_doc: dict = defaultdict(list)
    for i, m in enumerate(mentions):
        by_doc[m.doc_id].append(i)
    for doc_id, idxs in by_doc.items():
        other = by_doc.get(twins.get(doc_id) or "", [])
        if len(idxs) == 1 and len(other) == 1 and mentions[idxs[0]].region == mentions[other[0]].region:
            uf.union(idxs[0], other[0])
    near: dict = defaultdict(set)
    for i, js in enumerate(later):
        for j in js:
            near[i].add(j)
            near[j].add(i)
    for i in by_region.get(None, ()):
        matches = {uf.find(j) for j in near[i] if mentions[j].region and projects._same_name(mentions[i], mentions[j])}
        if len(matches) == 1 or (mentions[i].joint and matches):
            for g in matches:
                uf.union(i, g)
    for i in by_region.get(None, ()):
        for j in sorted(later[i]):
            if mentions[j].region is None and projects._same_name(mentions[i], mentions[j]):
                uf.union(i, j)
    groups: dict = defaultdict(list)
    for i, m in enumerate(mentions):
        groups[uf.find(i)].append(m)
    return list(groups.values())


def test_project_clustering_by_signature_groups_like_every_pair() -> None:
    """``projects._cluster`` compares distinct (name, aliases, language) signatures instead of every pair
    of mentions: the same groups, in the same order, on random mentions that repeat names across pages,
    counties, languages, aliases and programmes (and county-less, joint and synthetic ones)."""
    from hakemisto.facts import projects

    names = ["Kotiin kotiutus Etelä-Savossa", "Kotiin kotiutus – turvallinen siirtyminen Etelä-Savossa",
             "Trygg hemma i Österbotten", "Trygg teknik hemma i Österbotten", "Trygg hemkomst i Österbotten",
             "Sote-keskus kaikille", "Tulevaisuuden sote-keskus Kanta-Häme", "Tulevaisuuden sote-keskus",
             "Hyvinvointia yhdessä", "Välmående tillsammans", "Arjen tuki Kainuussa", "Vardagsstöd i Kajanaland",
             "Digituki ikäihmisille", "Digitalt stöd för äldre", "Mielenterveyden tuki Kymenlaaksossa",
             "Psykisk hälsa i första linjen i Kymmenedalen", "RRF-Keski-Pohjanmaa", "Prima Botnia",
             "Kestävän kasvun -ohjelman mukaisesti RRF-Keski-Pohjanmaa", "HYTE", "X 2.0", "X"]
    regions = [None, "Kainuu", "Pohjanmaa", "Etelä-Savo", "Kanta-Häme"]
    rng = random.Random(17)
    for _round in range(4):
        mentions = []
        for k in range(260):
            name = rng.choice(names)
            mentions.append(projects._Mention(
                name=name, region=rng.choice(regions), doc_id=f"d{rng.randrange(60)}", lang=rng.choice(["fi", "sv", "und", "en"]),
                order=k, aliases=tuple(rng.sample(["HYTE", "PB", "SK", "KK"], rng.randrange(0, 2))),
                programmes=tuple(rng.sample(["RRP", "TSK", "KATI"], rng.randrange(0, 3))),
                joint=rng.random() < 0.1, synthetic=rng.random() < 0.1))
        twins = {f"d{i}": f"d{i + 30}" for i in range(30)}
        got = projects._cluster(mentions, twins)
        assert got == _cluster_pairwise(mentions, twins)
        assert 1 < len(got) < len(mentions)


def test_county_scan_pretests_equal_the_patterns() -> None:
    """``regions._partner_before`` searches only from the last sentence end on and ``_lead_before`` asks
    the pattern only where the last letter can end a lead phrase: both answer as the plain pattern
    search on random texts before a mention (cues with and without their own dots, sentence ends,
    white space, capitals, non-ASCII letters)."""
    from hakemisto.core import regions

    pieces = ["kumppanina ", "yhteistyössä ", "mm. ", "esim.", "bl.a. ", "Bl.A.", "sekä ", "Liksom", " ", "\n", ".",
              "! ", "?", "hanke", "x" * 30, "leds av", " som leds av ", "huvudman är", "hallinnoijana toimii",
              "HALLINNOIJANA ON", "vetovastuussa on", "İ", "ı", "Å", "ä", "Pohjanmaa", "a", "n", "\t", "toimii"]
    rng = random.Random(23)
    for _ in range(6000):
        before = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 14)))[-120:]
        assert regions._partner_before(before) == bool(regions._PARTNER_BEFORE.search(before)), before
        lead = before[-40:]
        assert regions._lead_before(lead) == bool(regions._LEAD_BEFORE.search(lead)), lead
