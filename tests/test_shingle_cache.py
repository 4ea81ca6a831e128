"""The duplicate linker's shingle cache changes speed only: the same groups cold, warm, after a corrupt
cache file and after a page changed (issue 17: "cache shingles")."""

from __future__ import annotations

import hashlib
import heapq
import random
import re
from collections import Counter, defaultdict
from dataclasses import replace
from datetime import datetime
from pathlib import Path

import pytest

from hakemisto.core.config import Settings
from hakemisto.core.model import Document, content_hash
from hakemisto.core.unionfind import UnionFind
from hakemisto.facts import dedup
from hakemisto.facts.dedup import ShingleCache, group_duplicates
from hakemisto.jobs import pipeline, shinglestore
from hakemisto.search import index as idx

_VOCAB = [f"sana{i}" for i in range(2500)] + ["hyvinvointialue", "hanke", "rahoitus", "kotihoito", "tiedote"]


def _words(rng: random.Random, n: int) -> str:
    return " ".join(rng.choice(_VOCAB) for _ in range(n))


def _page(doc_id: str, title: str, paragraphs: list[str], published: datetime | None = None,
          lang: str = "fi") -> Document:
    paras = (title, *paragraphs)
    return Document(id=doc_id, title=title, paragraphs=paras, published=published, lang_hint=lang,
                    content_hash=content_hash("\n\n".join(paras)))


def _corpus(seed: int = 3) -> list[Document]:
    """80 pages with a shared footer (more than ``BOILERPLATE_PAGES``: template text), three releases
    republished on several sites (retitled, a dateline changed, one sentence edited), a Swedish copy
    of one release (another language: never a duplicate) and short pages (too short to judge)."""
    rng = random.Random(seed)
    footer = _words(rng, 90)
    docs = [_page(f"https://site{i % 7}.example/sivu/{i}", f"Sivu {i}", [_words(rng, 70), footer])
            for i in range(80)]
    for r in range(3):
        release = [_words(rng, 60), _words(rng, 50), _words(rng, 40)]
        for site in range(2 + r):
            edited = list(release)
            if site == 2:
                edited[1] = edited[1].replace("sana1", "sana9", 2)
            docs.append(_page(f"https://county{site}.example/uutiset/{r}", f"Otsikko {site} {r}",
                              [f"Julkaistu {10 + site}.3.2024", *edited, footer],
                              published=datetime(2024, 3, 10 + site)))
        if r == 0:
            docs.append(_page(f"https://county0.example/sv/nyheter/{r}", "Rubrik", release, lang="sv"))
    docs += [_page(f"https://short.example/{i}", "Lyhyt", ["Lyhyt tiedote hankkeesta."]) for i in range(3)]
    return docs


def _reference_shingles(text: str) -> set[int]:
    words = re.findall(r"\w+", text.casefold())
    if len(words) < dedup.MIN_WORDS:
        return set()
    grams = (" ".join(words[i : i + dedup.SHINGLE]) for i in range(len(words) - dedup.SHINGLE + 1))
    return {int.from_bytes(hashlib.blake2b(g.encode(), digest_size=8).digest(), "big") for g in grams}


def _reference_sketches(sets: list[set[int]]) -> list[list[int]]:
    pages_with: Counter[int] = Counter()
    for s in sets:
        pages_with.update(s)
    return [heapq.nsmallest(dedup.SKETCH, (h for h in s if pages_with[h] <= dedup.BOILERPLATE_PAGES)) for s in sets]


def _reference(docs: list[Document]) -> dict[str, tuple[str, ...]]:
    """The grouping as written before the cache (Python sets of blake2b hashes, heapq sketches),
    kept here so the numpy path is checked against independent code."""
    from rapidfuzz import fuzz

    bodies = [dedup._body(d) for d in docs]
    sets = [_reference_shingles(b) for b in bodies]
    buckets: dict[int, list[int]] = defaultdict(list)
    for i, sketch in enumerate(_reference_sketches(sets)):
        for h in sketch:
            buckets[h].append(i)
    uf: UnionFind[int] = UnionFind(range(len(docs)))
    for members in buckets.values():
        for n, i in enumerate(members):
            for j in members[n + 1 :]:
                a, b = docs[i], docs[j]
                if (a.lang_hint and b.lang_hint and a.lang_hint != b.lang_hint) or not sets[i] or not sets[j]:
                    continue
                shared = len(sets[i] & sets[j])
                jac = shared / (len(sets[i]) + len(sets[j]) - shared)
                if jac >= dedup.JACCARD or (
                    jac >= dedup.JACCARD - 0.2 and fuzz.token_sort_ratio(bodies[i], bodies[j]) >= dedup.CONFIRM_RATIO
                ):
                    uf.union(i, j)
    groups: dict[int, list[int]] = defaultdict(list)
    for i in range(len(docs)):
        groups[uf.find(i)].append(i)
    out = {}
    for members in groups.values():
        ordered = sorted(members, key=lambda k: dedup._rep_key(docs[k]))
        for i in members:
            out[docs[i].id] = tuple(docs[k].id for k in ordered if k != i) if len(members) > 1 else ()
    return out


def _groups(docs: list[Document]) -> dict[str, tuple[str, ...]]:
    return {d.id: d.duplicates for d in docs}


def test_groups_are_the_same_without_cache_cold_warm_and_after_a_change() -> None:
    docs = _corpus()
    expected = _reference(docs)
    assert sum(1 for v in expected.values() if v) == 2 + 3 + 4  # the three releases' copies, nothing else
    assert _groups(group_duplicates(docs)) == expected

    cold = ShingleCache()
    assert _groups(group_duplicates(docs, cache=cold)) == expected
    assert cold.computed == len({dedup._body(d) for d in docs})

    warm = ShingleCache.from_bytes(cold.to_bytes())
    assert _groups(group_duplicates(docs, cache=warm)) == expected
    assert warm.computed == 0 and not warm.stale
    for d in docs:  # the stored arrays are exactly the hashes, not just close enough to group alike
        body = dedup._body(d)
        assert warm.get(body).tolist() == sorted(_reference_shingles(body))

    # One copy's body changes (another release now): only that body is hashed; the group shrinks.
    rng = random.Random(9)
    i = next(k for k, d in enumerate(docs) if d.id == "https://county1.example/uutiset/0")
    changed = list(docs)
    changed[i] = replace(docs[i], paragraphs=(docs[i].title, _words(rng, 80), _words(rng, 60)))
    again = ShingleCache.from_bytes(warm.to_bytes())
    out = _groups(group_duplicates(changed, cache=again))
    assert out == _reference(changed) == _groups(group_duplicates(changed))
    assert out[docs[i].id] == () and again.computed == 1 and again.stale


def test_sketches_leave_out_boilerplate_like_the_reference() -> None:
    docs = _corpus()
    cache = ShingleCache()
    bodies = [dedup._body(d) for d in docs]
    sketches = dedup._sketches([cache.get(b) for b in bodies])
    assert sketches == _reference_sketches([_reference_shingles(b) for b in bodies])
    assert sum(len(s) for s in sketches) > 0.9 * dedup.SKETCH * len(docs)  # the short pages have none
    assert dedup._sketches([]) == [] and dedup._sketches([dedup._EMPTY]) == [[]]


def test_incremental_runs_agree_with_the_cache() -> None:
    docs = _corpus(seed=4)
    first = group_duplicates(docs, cache=(cache := ShingleCache()))
    moved = [replace(d, paragraphs=(*d.paragraphs, "Päivitetty.")) if n % 17 == 0 else d for n, d in enumerate(first)]
    ids = {d.id for n, d in enumerate(first) if n % 17 == 0}
    warm = ShingleCache.from_bytes(cache.to_bytes())
    assert _groups(group_duplicates(moved, ids, cache=warm)) == _groups(group_duplicates(moved, ids)) == _reference(moved)


def test_similar_hashes_each_body_once_per_cache() -> None:
    docs = _corpus()
    copies = [d for d in docs if "/uutiset/2" in d.id]
    cache = ShingleCache()
    assert all(dedup.similar(copies[0], other, cache) for other in copies[1:])
    assert cache.computed == len(copies)
    assert not dedup.similar(copies[0], docs[0], cache)


def test_written_cache_keeps_only_bodies_asked_for_and_rejects_damage(monkeypatch: pytest.MonkeyPatch) -> None:
    docs = _corpus()
    cache = ShingleCache()
    group_duplicates(docs, cache=cache)
    data = cache.to_bytes()
    assert len(ShingleCache.from_bytes(data)) == len({dedup._body(d) for d in docs})
    later = ShingleCache.from_bytes(data)
    group_duplicates(docs[:10], cache=later)  # the other pages are gone
    assert later.stale and len(ShingleCache.from_bytes(later.to_bytes())) == 10
    assert len(ShingleCache.from_bytes(ShingleCache().to_bytes())) == 0
    for damaged in (b"", b"not numpy", data[: len(data) // 2], data[:-40] + bytes(40)):
        with pytest.raises(ValueError, match="not a shingle cache"):
            ShingleCache.from_bytes(damaged)
    monkeypatch.setattr(dedup, "SCHEME", dedup.SCHEME + "|n=4")  # e.g. another shingle length
    with pytest.raises(ValueError, match="other shingle settings"):
        ShingleCache.from_bytes(data)


# The ingest pipeline: the cache file beside a Whoosh index on disk.

RELEASE = [
    "Sosiaali- ja terveysministeriö on myöntänyt hyvinvointialueille valtionavustusta hoitotakuun "
    "toteuttamiseen ja hoitojonojen purkamiseen perusterveydenhuollossa koko maassa.",
    "Rahoitus on osa Suomen kestävän kasvun ohjelmaa, ja se rahoitetaan Euroopan unionin elpymis- ja "
    "palautumistukivälineestä. Avustuksella lisätään etävastaanottoja ja kehitetään digitaalisia palveluja.",
    "Hankkeet käynnistyvät keväällä ja päättyvät vuoden 2025 lopussa. Lisätietoja antaa hankepäällikkö "
    "Maija Meikäläinen, joka vastaa alueen kehittämistyöstä.",
]
OTHERS = [
    ["Kotihoidon kehittämishanke tuo etähoivan ja uudet teknologiat kotihoidon asiakkaille koko alueella. "
     "Hankkeessa kokeillaan lääkeautomaatteja, etäkäyntejä ja turvapuhelimia, ja tuloksia arvioidaan yhdessä "
     "asiakkaiden ja omaisten kanssa. Hanke päättyy vuoden 2026 lopussa, ja sen rahoittaa hyvinvointialue."],
    ["Lasten ja nuorten mielenterveyspalveluja vahvistetaan matalan kynnyksen palveluilla kouluissa ja "
     "oppilaitoksissa. Terapiat etulinjaan -mallissa koulutetaan työntekijöitä lyhytterapioihin, ja "
     "ohjauksesta vastaa alueen perhekeskus yhdessä kuntien ja järjestöjen kanssa vuoteen 2025 saakka."],
]


def _site_docs() -> list[Document]:
    docs = [
        _page(f"https://{site}.example/uutiset/hoitotakuu", f"Hoitotakuu {site}", [f"Julkaistu {day}.3.2024.", *RELEASE],
              published=datetime(2024, 3, day))
        for site, day in (("alfa", 14), ("beta", 15), ("gamma", 16))
    ]
    docs += [_page(f"https://delta.example/hanke/{n}", f"Hanke {n}", text) for n, text in enumerate(OTHERS)]
    return docs


def _stored(settings: Settings) -> dict[str, tuple[str, ...]]:
    return {d.id: d.duplicates for d in idx.iter_documents(settings)}


def _counting(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    hashed: list[str] = []
    real = dedup._shingles

    def counting(text: str):
        hashed.append(text)
        return real(text)

    monkeypatch.setattr(dedup, "_shingles", counting)
    return hashed


def test_ingest_keeps_the_cache_beside_the_index(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> None:
    docs = _site_docs()
    path = settings.index_dir / shinglestore.FILE_NAME
    hashed = _counting(monkeypatch)
    report = pipeline.ingest_documents(docs, settings)
    groups = _stored(settings)
    alfa, beta, gamma = (d.id for d in docs[:3])
    assert groups[alfa] == (beta, gamma) and groups[gamma] == (alfa, beta)
    assert groups[docs[3].id] == () == groups[docs[4].id]
    assert path.is_file() and len(hashed) == 5 and not report.notes

    # Warm: a new page republishing the release; only its body is hashed, the group grows.
    hashed.clear()
    epsilon = _page("https://epsilon.example/tiedote", "Tiedote", ["Julkaistu 13.3.2024.", *RELEASE],
                    published=datetime(2024, 3, 13))
    report = pipeline.ingest_documents([*docs, epsilon], settings)
    assert len(hashed) == 1 and not report.notes
    groups = _stored(settings)
    assert groups[alfa] == (epsilon.id, beta, gamma) and groups[epsilon.id] == (alfa, beta, gamma)
    assert groups == _groups(group_duplicates(list(idx.iter_documents(settings))))

    # A page changed into another text: it leaves the group; its old body drops out of the file.
    hashed.clear()
    moved = replace(docs[1], paragraphs=(docs[1].title, *OTHERS[1], "Päivitetty: hanke jatkuu vuonna 2026."))
    moved = replace(moved, content_hash=content_hash("\n\n".join(moved.paragraphs)))
    pipeline.ingest_documents([docs[0], moved, docs[2], docs[3], docs[4], epsilon], settings)
    assert len(hashed) == 1
    groups = _stored(settings)
    assert groups[beta] == () and groups[alfa] == (epsilon.id, gamma)
    assert len(ShingleCache.from_bytes(path.read_bytes())) == 6

    # A corrupt file: one note, the same groups, and a sound file again.
    path.write_bytes(b"PK\x03\x04 half a zip")
    hashed.clear()
    changed_other = replace(docs[3], paragraphs=(*docs[3].paragraphs, "Hanke jatkuu."))
    changed_other = replace(changed_other, content_hash=content_hash("\n\n".join(changed_other.paragraphs)))
    report = pipeline.ingest_documents([docs[0], moved, docs[2], changed_other, docs[4], epsilon], settings)
    assert [n for n in report.notes if n.startswith("shingle cache")] == [
        f"shingle cache: ignored {path} (not a shingle cache (BadZipFile)): rebuilding it"
    ]
    assert _stored(settings) == groups and len(hashed) == 6
    assert len(ShingleCache.from_bytes(path.read_bytes())) == 6

    # A missing file is rebuilt without a note; a removed page leaves the file.
    path.unlink()
    report = pipeline.ingest_documents([], settings, remove_ids=[docs[4].id])
    assert report.removed == 1 and not report.notes
    assert _stored(settings) == {k: v for k, v in groups.items() if k != docs[4].id}
    assert len(ShingleCache.from_bytes(path.read_bytes())) == 5


def test_nothing_changed_writes_nothing(settings: Settings, tmp_path: Path) -> None:
    docs = _site_docs()
    pipeline.ingest_documents(docs, settings)
    path = settings.index_dir / shinglestore.FILE_NAME
    before = path.stat().st_mtime_ns
    cache = shinglestore.load(settings.index_dir, notes := [])
    group_duplicates(list(idx.iter_documents(settings)), cache=cache)
    assert not cache.stale and not notes
    shinglestore.save(settings.index_dir, cache, notes)
    assert path.stat().st_mtime_ns == before
