"""fi/sv twins: hreflang first, then content; the seed pair 000/001 and no other seed pair."""

from __future__ import annotations

import pytest

from hakemisto.core.model import Document, Facts
from hakemisto.facts.twins import link_twins


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


@pytest.mark.slow  # the spaCy pipeline over whole pages
def test_seed_pair(seeds_dir, settings) -> None:
    from hakemisto.jobs.pipeline import extract_paths

    docs, _ = extract_paths([seeds_dir], settings)
    twins = {d.id.rsplit("/", 1)[-1][:3]: d.twin for d in docs}
    assert twins["000"].endswith("001_289a19efa96ceebd.txt")
    assert twins["001"].endswith("000_a2e82ce6035f6e98.txt")
    assert twins["002"] is None and twins["003"] is None and twins["004"] is None


def test_county_page_and_national_page_never_twins() -> None:
    fi = _doc("fi", "fi", "Hanke sai 2 400 000 euroa vuosille 2024–2025.", persons=["Anna Ek"])
    sv = _doc("sv", "sv", "Projektet fick 2 400 000 euro för 2024–2025.", persons=["Anna Ek"], region=None)
    assert all(d.twin is None for d in link_twins([fi, sv]))
    both_national = [_doc("a", "fi", "2 400 000 euroa 2024", persons=["Anna Ek"], region=None),
                     _doc("b", "sv", "2 400 000 euro 2024", persons=["Anna Ek"], region=None)]
    assert [d.twin for d in link_twins(both_national)] == ["b", "a"]


def test_unsure_means_no_link() -> None:
    """Two Finnish pages match one Swedish page equally well: no link at all."""
    fi1 = _doc("fi1", "fi", "Avustus 1 200 000 euroa 2024.\n\nKesto 2024–2026.", persons=["Anna Ek"])
    fi2 = _doc("fi2", "fi", "Avustus 1 200 000 euroa 2024.\n\nKesto 2024–2026.", persons=["Anna Ek"])
    sv = _doc("sv", "sv", "Understöd 1 200 000 euro 2024.\n\nTid 2024–2026.", persons=["Anna Ek"])
    assert all(d.twin is None for d in link_twins([fi1, fi2, sv]))


def test_nothing_shared_means_no_link() -> None:
    fi = _doc("fi", "fi", "Kotihoito kehittyy.\n\nLisää tietoa myöhemmin.")
    sv = _doc("sv", "sv", "Hemvården utvecklas.\n\nMer information senare.")
    assert all(d.twin is None for d in link_twins([fi, sv]))


def test_switcher_to_another_county_is_not_a_twin() -> None:
    fi = _doc("https://a.fi/x", "fi", "Hanke", url="https://a.fi/x", alternates=(("sv", "https://b.fi/sv"),))
    sv = _doc("https://b.fi/sv", "sv", "Projekt", url="https://b.fi/sv", region="Lappi")
    assert all(d.twin is None for d in link_twins([fi, sv]))


def test_two_pages_about_one_project_are_not_twins() -> None:
    """A job ad and a project card of the same county share a person and a few numbers, not a page."""
    fi = _doc("ad", "fi", "Haemme hankekoordinaattoria 1.3.2024 alkaen.\n\nPalkka 3 400 euroa.\n\nHaku päättyy 15.2.2024.",
              persons=["Anna Ek"])
    sv = _doc("card", "sv", "Projektet 2023–2025 fick 640 000 euro.\n\nBudget 800 000 euro, 20 procent egen andel.\n\n"
              "Projektet har 12 partner i 14 kommuner och når 3 400 familjer under 2024.\n\nMer om resultat 2025.",
              persons=["Anna Ek"])
    assert all(d.twin is None for d in link_twins([fi, sv]))
