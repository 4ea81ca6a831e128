"""A small index for report / suggestion / facet tests: the 5 shipped seeds with hand-checked facts
(shared/gold), plus FICTIONAL pages made for these tests: a Kainuu fi/sv twin pair and a republished
copy of the Päijät-Häme seed, which carry the same amounts and must not be counted twice.

Facts are written by hand (not extracted) so these tests check the report and search logic alone.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from pathlib import Path

from hakemisto.core.config import Settings
from hakemisto.core.model import Amount, Contact, Document, Facts, content_hash
from hakemisto.documents.lang import detect_document
from hakemisto.search import index as idx

SEEDS = Path(__file__).resolve().parent.parent / "corpus" / "seeds"

S000 = "seeds/000_a2e82ce6035f6e98.txt"
S001 = "seeds/001_289a19efa96ceebd.txt"
S002 = "seeds/002_244ef9beec10c723.txt"
S003 = "seeds/003_98fa6ec4f8cc1730.txt"
S004 = "seeds/004_6768baf477cadcc1.txt"
KAINUU_FI = "fixtures/kainuu-rrp-fi"
KAINUU_SV = "fixtures/kainuu-rrp-sv"
S003_COPY = "https://example.org/uutiset/paijat-hame-hankkeet"

PH_SENTENCE = (
    "Kestävät ja vaikuttavat sote-palvelut Päijät-Hämeessä -hanke sai noin 11,7 miljoonan euron "
    "rahoituksen vuosille 2023-2025."
)
PH_SOTE = (
    "Päijät-Hämeessä käynnistettiin vuonna 2020 Tulevaisuuden sote-keskus -hanke, jonka toteutuneet "
    "kustannukset tähän mennessä ovat olleet noin 4,1 miljoonaa euroa."
)

FACTS = {
    S000: Facts(
        funders=("STM", "NextGenerationEU/RRF", "Valtio"),
        programmes=("Tulevaisuuden sote-keskus", "KATI", "RRP"),
        amounts=(
            Amount("2,6 milj. euroa", 2_600_000, year="2022", project="Prima Botnia – Hyvinvoiva Pohjanmaa",
                   role="applied", region="Pohjanmaa",
                   sentence="Pohjanmaan hyvinvointialueen kuntayhtymä hakee ensimmäisessä vaiheessa hieman yli "
                   "2,6 milj. euroa vuodelle 2022."),
        ),
        contacts=(Contact("Jenny Björndahl-Öhman", "hanketoimiston päällikkö"),),
        persons=("Jenny Björndahl-Öhman",),
        projects=("Tulevaisuuden sosiaali- ja terveyskeskus", "TulKoti", "Kati", "ICT-muutoshanke",
                  "Prima Botnia – Hyvinvoiva Pohjanmaa"),
        region="Pohjanmaa",
    ),
    S001: Facts(
        funders=("NextGenerationEU/RRF", "Valtio"),
        programmes=("Tulevaisuuden sote-keskus", "KATI", "RRP"),
        amounts=(
            Amount("2,6 miljoner euro", 2_600_000, year="2022", project="Prima Botnia – Välmående Österbotten",
                   role="applied", region="Pohjanmaa",
                   sentence="samkommunen för Österbottens Välfärdsområde ansöker i den första omgången om över "
                   "2,6 miljoner euro för år 2022."),
        ),
        contacts=(Contact("Jenny Björndahl-Öhman", "chefen för projektbyrån"),),
        persons=("Jenny Björndahl-Öhman",),
        projects=("Framtidens social- och hälsocentral", "KATI", "ICT-projektet",
                  "Prima Botnia – Välmående Österbotten"),
        region="Pohjanmaa",
    ),
    S002: Facts(
        funders=("STM", "EU", "NextGenerationEU/RRF"),
        programmes=("RRP",),
        contacts=(Contact("Satu Marjakangas", "yhteyshenkilö", email="satu.marjakangas@soite.fi",
                          organization="Keski-Pohjanmaan sosiaali- ja terveyspalvelukuntayhtymä (Soite)"),),
        persons=("Satu Marjakangas", "Tuija Tuorila"),
        projects=("RRF-Keski-Pohjanmaa",),
        region="Keski-Pohjanmaa",
    ),
    S003: Facts(
        funders=("STM", "NextGenerationEU/RRF"),
        programmes=("Tulevaisuuden sote-keskus", "RRP"),
        amounts=(
            Amount("4,1 miljoonaa euroa", 4_100_000, qualifier="noin", project="Tulevaisuuden sote-keskus",
                   role="cost", region="Päijät-Häme",
                   sentence=PH_SOTE),
            Amount("11,7 miljoonan euron", 11_700_000, qualifier="noin", year="2023–2025", role="granted",
                   region="Päijät-Häme",
                   project="Kestävät ja vaikuttavat sote-palvelut Päijät-Hämeessä", sentence=PH_SENTENCE),
        ),
        contacts=(
            Contact("Katri Nousiainen", "hankepäällikkö", phone="+358444823328"),
            Contact("Ville Saloranta", "hankepäällikkö", phone="+358444403741"),
            Contact("Kati Honkanen", "hankepäällikkö", phone="+358444403106"),
        ),
        persons=("Katri Nousiainen", "Ville Saloranta", "Kati Honkanen", "Miia Ståhle"),
        projects=("Tulevaisuuden sote-keskus", "Kestävät ja vaikuttavat sote-palvelut Päijät-Hämeessä",
                  "Kohti", "Päijät-Koti", "RRP2"),
        region="Päijät-Häme",
    ),
    S004: Facts(
        funders=("Valtio",),
        programmes=("Tulevaisuuden sote-keskus",),
        contacts=(Contact("Pia Vähäkangas", "hankejohtaja", phone="+358408051455"),),
        persons=("Pia Vähäkangas", "Sanna Marin"),
        projects=("Tulevaisuuden sosiaali- ja terveyskeskus",),
        region="Pohjanmaa",
    ),
}  # fmt: skip

KAINUU_FI_TEXT = """Kainuun hyvinvointialueen RRP-hanke (kuvitteellinen testisivu)
Tämä sivu on keksitty testejä varten. Kainuun hyvinvointialue sai kestävän kasvun ohjelmasta 3,2 miljoonaa euroa vuosille 2023–2025 hoitojonojen purkamiseen ja etävastaanottojen kehittämiseen.
Lisäksi omarahoitusosuus on 500 000 euroa vuodelle 2024. Etävastaanotot ja mobiilipalvelut tuovat palvelut syrjäkylille.
Lisätietoja: hankepäällikkö Testi Henkilö, puh. 044 000 0000, testi.henkilo@example.org"""

KAINUU_SV_TEXT = """Kajanalands välfärdsområdes RRP-projekt (fiktiv testsida)
Denna sida är påhittad för testerna. Kajanalands välfärdsområde fick 3,2 miljoner euro för åren 2023–2025 ur programmet för hållbar tillväxt för att korta vårdköerna och utveckla distansmottagningar.
Distansmottagningar och mobila tjänster för glesbygden.
Mer information: projektledare Testi Henkilö, testi.henkilo@example.org"""


def _doc(doc_id: str, text: str, **kwargs) -> Document:
    lines = tuple(line.strip() for line in text.splitlines() if line.strip())
    doc = Document(
        id=doc_id,
        title=kwargs.pop("title", lines[0][:120]),
        paragraphs=lines,
        content_hash=content_hash(text),
        loaded_at=datetime(2025, 1, 1),
        **kwargs,
    )
    return detect_document(doc)


def seed_documents() -> list[Document]:
    docs: list[Document] = []
    for doc_id, facts in FACTS.items():
        text = (SEEDS / doc_id.split("/", 1)[1]).read_text(encoding="utf-8")
        docs.append(_doc(doc_id, text, path=f"corpus/{doc_id}", region=facts.region, facts=facts))
    docs = [replace(d, twin=S001) if d.id == S000 else replace(d, twin=S000) if d.id == S001 else d for d in docs]
    ph = next(d for d in docs if d.id == S003)
    docs = [replace(d, duplicates=(S003_COPY,)) if d.id == S003 else d for d in docs]
    docs.append(replace(ph, id=S003_COPY, url=S003_COPY, path=None, duplicates=(S003,)))
    contact = Contact("Testi Henkilö", "hankepäällikkö", phone="+358440000000", email="testi.henkilo@example.org")
    kainuu_fi = Facts(
        funders=("NextGenerationEU/RRF", "Hyvinvointialue"),
        programmes=("RRP",),
        amounts=(
            Amount("3,2 miljoonaa euroa", 3_200_000, year="2023–2025", funder="NextGenerationEU/RRF",
                   role="granted", region="Kainuu", project="Kainuun RRP-hanke",
                   sentence=KAINUU_FI_TEXT.splitlines()[1]),
            Amount("500 000 euroa", 500_000, year="2024", funder="Hyvinvointialue", role="budget",
                   region="Kainuu", project="Kainuun RRP-hanke",
                   sentence=KAINUU_FI_TEXT.splitlines()[2]),
        ),
        contacts=(contact,),
        persons=("Testi Henkilö",),
        projects=("Kainuun RRP-hanke",),
        region="Kainuu",
    )  # fmt: skip
    kainuu_sv = Facts(
        funders=("NextGenerationEU/RRF",),
        programmes=("RRP",),
        amounts=(
            Amount("3,2 miljoner euro", 3_200_000, year="2023-2025", funder="NextGenerationEU/RRF",
                   role="granted", region="Kainuu", project="Kajanalands RRP-projekt",
                   sentence=KAINUU_SV_TEXT.splitlines()[1]),
        ),
        contacts=(Contact("Testi Henkilö", "projektledare", email="testi.henkilo@example.org"),),
        persons=("Testi Henkilö",),
        projects=("Kajanalands RRP-projekt",),
        region="Kainuu",
    )  # fmt: skip
    docs.append(_doc(KAINUU_FI, KAINUU_FI_TEXT, url="https://example.org/fi/kainuu-rrp", region="Kainuu",
                     twin=KAINUU_SV, facts=kainuu_fi, published=datetime(2023, 5, 2)))
    docs.append(_doc(KAINUU_SV, KAINUU_SV_TEXT, url="https://example.org/sv/kainuu-rrp", region="Kainuu",
                     twin=KAINUU_FI, facts=kainuu_sv, published=datetime(2023, 5, 2)))
    return docs


def build_seed_index(settings: Settings) -> Settings:
    idx.write(settings, seed_documents())
    return settings
