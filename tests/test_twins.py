"""fi/sv twins: hreflang first, then content; the seed pair 000/001 and no other seed pair."""

from __future__ import annotations

from hakemisto.model import Document, Facts
from hakemisto.twins import link_twins


def _doc(id_: str, lang: str, text: str, persons=(), region="Pohjanmaa", **kw) -> Document:
    return Document(id=id_, title=id_, lang=lang, region=region, paragraphs=tuple(text.split("\n\n")),
                    facts=Facts(persons=tuple(persons)), **kw)


def test_hreflang_alternates() -> None:
    fi = _doc("https://x.fi/a", "fi", "Hanke", url="https://x.fi/a", alternates=(("sv", "https://x.fi/sv/a"),))
    sv = _doc("https://x.fi/sv/a", "sv", "Projekt helt annan", url="https://x.fi/sv/a")
    out = link_twins([fi, sv])
    assert [d.twin for d in out] == ["https://x.fi/sv/a", "https://x.fi/a"]


def test_content_match_picks_the_right_pair() -> None:
    fi = _doc("000.txt", "fi", "Hanketoimisto 2022 ja 12 henkilöä.\n\nHaetaan 2,6 milj. euroa vuodelle 2022.\n\n15 projektia",
              persons=["Jenny Björndahl-Öhman"])
    other = _doc("004.txt", "fi", "Sote-keskus 2022–2023.\n\nPuhelin 040 805 1455", persons=["Pia Vähäkangas"])
    sv = _doc("001.txt", "sv", "Projektbyrån 2022 och tolv personer.\n\nÖver 2,6 miljoner euro för 2022.\n\n15 projekt",
              persons=["Jenny Björndahl-Öhman"])
    out = link_twins([fi, other, sv])
    assert [d.twin for d in out] == ["001.txt", None, "000.txt"]


def test_no_twin_across_regions_or_same_language() -> None:
    a = _doc("a", "fi", "2,6 milj. 2022", persons=["Anna Ek"])
    b = _doc("b", "sv", "2,6 milj. 2022", persons=["Anna Ek"], region="Lappi")
    c = _doc("c", "fi", "2,6 milj. 2022", persons=["Anna Ek"])
    assert all(d.twin is None for d in link_twins([a, b, c]))


def test_seed_pair(seeds_dir, settings) -> None:
    from hakemisto.entities import extract_paths

    docs, _ = extract_paths([seeds_dir], settings)
    twins = {d.id.rsplit("/", 1)[-1][:3]: d.twin for d in docs}
    assert twins["000"].endswith("001_289a19efa96ceebd.txt")
    assert twins["001"].endswith("000_a2e82ce6035f6e98.txt")
    assert twins["002"] is None and twins["003"] is None and twins["004"] is None
