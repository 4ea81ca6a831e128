"""Near-duplicate press releases are grouped; different pages and fi/sv twins are not."""

from __future__ import annotations

from datetime import datetime

from hakemisto.core.model import Document
from hakemisto.facts.dedup import group_duplicates, representative, similar

RELEASE = (
    "Sosiaali- ja terveysministeriö on myöntänyt hyvinvointialueille valtionavustusta hoitotakuun "
    "toteuttamiseen. Rahoitus on osa Suomen kestävän kasvun ohjelmaa, ja se rahoitetaan EU:n elpymis- ja "
    "palautumistukivälineestä. Avustuksella vähennetään hoitojonoja perusterveydenhuollossa, lisätään "
    "etävastaanottoja ja kehitetään digitaalisia palveluja. Hankkeet käynnistyvät keväällä ja päättyvät "
    "vuoden 2025 lopussa. Lisätietoja antaa hankepäällikkö Maija Meikäläinen."
)
OTHER = (
    "Kotihoidon kehittämishanke tuo etähoivan ja teknologiat kotihoidon asiakkaille koko alueella. Hankkeessa "
    "kokeillaan lääkeautomaatteja, etäkäyntejä ja turvapuhelimia, ja tuloksia arvioidaan yhdessä asiakkaiden "
    "ja omaisten kanssa. Hanke päättyy vuoden 2026 lopussa, ja sen rahoittaa hyvinvointialue itse ilman "
    "ulkopuolista rahoitusta. Mukana on kaikki alueen kunnat ja useita järjestöjä."
)


def doc(
    doc_id: str, text: str, published: datetime | None = None, lang: str | None = "fi", title: str = "T"
) -> Document:
    return Document(
        id=doc_id, title=title, paragraphs=(title, *text.split(". ")), published=published, lang_hint=lang
    )


def test_republished_release_is_grouped_with_a_stable_representative() -> None:
    a = doc(
        "https://alfa.example/uutiset/1",
        "Julkaistu 14.3.2024. " + RELEASE,
        datetime(2024, 3, 14),
        title="Lisärahoitusta",
    )
    b = doc(
        "https://gamma.example/tiedote",
        "Julkaistu 15.3.2024. " + RELEASE,
        datetime(2024, 3, 15),
        title="Hoitotakuu",
    )
    c = doc("https://beta.example/kotihoito", OTHER)
    out = {d.id: d for d in group_duplicates([b, c, a])}
    assert out[a.id].duplicates == (b.id,)
    assert out[b.id].duplicates == (a.id,)
    assert out[c.id].duplicates == ()
    assert representative(out[b.id], out) == a.id == representative(out[a.id], out)
    # order of input does not change the outcome
    again = {d.id: d for d in group_duplicates([a, c, b])}
    assert again == out


def test_light_edits_still_match_but_other_pages_do_not() -> None:
    edited = RELEASE.replace("keväällä", "syksyllä").replace("Maija Meikäläinen", "Liisa Laine")
    assert similar(doc("a", RELEASE), doc("b", edited))
    assert not similar(doc("a", RELEASE), doc("b", OTHER))
    assert not similar(doc("a", "Lyhyt tiedote."), doc("b", "Lyhyt tiedote."))  # too short to judge


def test_twins_in_other_language_and_stale_groups() -> None:
    fi = doc("fi", RELEASE, lang="fi")
    sv = doc("sv", RELEASE, lang="sv")  # same text labelled sv: a twin candidate, never a duplicate
    stale = Document(id="x", title="x", paragraphs=(OTHER,), duplicates=("gone",))
    out = {d.id: d for d in group_duplicates([fi, sv, stale])}
    assert out["fi"].duplicates == () and out["sv"].duplicates == ()
    assert out["x"].duplicates == ()


def test_three_copies_form_one_group() -> None:
    copies = [doc(f"https://site{i}.example/t", RELEASE, datetime(2024, 3, 10 + i)) for i in range(3)]
    out = group_duplicates(copies)
    assert out[2].duplicates == (copies[0].id, copies[1].id)
    assert out[0].duplicates == (copies[1].id, copies[2].id)


def test_incremental_grouping_equals_a_full_recomputation() -> None:
    """A nightly run passes only what changed; the verdicts must be those of comparing everything."""
    from dataclasses import replace

    copies = [doc(f"https://site{i}.example/tiedote", f"Julkaistu {i}.3.2024. " + RELEASE) for i in range(4)]
    others = [doc(f"https://other{i}.example/sivu", OTHER.replace("alueella", f"alueella {i}")) for i in range(3)]
    stored = group_duplicates(copies + others)  # the previous run: 4 copies in one group, 3 others too
    assert len(stored[0].duplicates) == 3 and len(stored[4].duplicates) == 2
    # copy 0 is rewritten into another page, copy 3 is removed, a new copy appears
    rewritten = replace(stored[0], paragraphs=("T", *(OTHER + " Uusi kappale lopussa.").split(". ")))
    new = doc("https://new.example/tiedote", "Julkaistu 9.3.2024. " + RELEASE)
    current = [rewritten, *stored[1:3], *stored[4:], new]
    incremental = group_duplicates(current, changed={rewritten.id, new.id})
    full = group_duplicates([replace(d, duplicates=()) for d in current])
    assert {d.id: set(d.duplicates) for d in incremental} == {d.id: set(d.duplicates) for d in full}
    assert set(next(d for d in incremental if d.id == new.id).duplicates) == {stored[1].id, stored[2].id}
