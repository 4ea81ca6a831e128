"""A small index for the web tests: FICTIONAL pages from five counties with hand-written facts, a
fi/sv twin pair, and a hostile page (tests/fixtures/xss/) whose title, text, facts and links carry
script, event-handler and ``javascript:`` attacks.

Facts are written by hand (not extracted) so the web tests check the web layer alone.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from pathlib import Path

from hakemisto.core.config import Settings
from hakemisto.core.model import Amount, Contact, Document, Facts, content_hash
from hakemisto.crawl.extract import html_to_document
from hakemisto.documents.lang import detect_document
from hakemisto.search import index as idx

XSS_DIR = Path(__file__).parent / "fixtures" / "xss"
HOSTILE_ID = "fixtures/xss/hostile_fi.html"
HOSTILE_URL = "javascript:window.__xss='source'"
TWIN_FI = "https://pohjanmaa.example/hankkeet/rrp-kotihoito"
TWIN_SV = "https://pohjanmaa.example/sv/projekt/rrp-hemvard"
HOSTILE_NAME = "Testi <img src=x onerror=\"window.__xss='contact'\"> Hyökkääjä"
HOSTILE_PROJECT = "<b onmouseover=\"window.__xss='project'\">RRP</b> =HYPERLINK(\"x\")"
HOSTILE_SENTENCE = "Hanke sai 250 000 euroa <script>window.__xss='sentence'</script> kestävän kasvun ohjelmasta."


def _doc(doc_id: str, paragraphs: list[str], **kwargs) -> Document:
    doc = Document(
        id=doc_id,
        title=kwargs.pop("title", paragraphs[0]),
        paragraphs=tuple(paragraphs),
        content_hash=content_hash("\n".join(paragraphs)),
        loaded_at=datetime(2025, 1, 1),
        **kwargs,
    )
    return detect_document(doc)


def _amount(text: str, eur: float, sentence: str, year: str | None = None, funder: str | None = None,
            project: str | None = None, region: str | None = None) -> Amount:
    return Amount(text, eur, year=year, funder=funder, sentence=sentence, role="granted", project=project,
                  region=region)


def web_documents() -> list[Document]:
    """Eight fictional pages: RRP in four counties, ESR in one, a fi/sv twin pair, a hostile page."""
    kp = "Keski-Pohjanmaan hyvinvointialue sai RRP-rahoitusta 1,2 miljoonaa euroa hoitotakuun toteuttamiseen vuosille 2023–2025."
    ph = "Päijät-Hämeen hyvinvointialueen RRP-hanke sai noin 11,7 miljoonan euron rahoituksen vuosille 2023–2025."
    po_fi = "Pohjanmaan hyvinvointialue sai kestävän kasvun ohjelmasta 2,6 miljoonaa euroa kotihoidon kehittämiseen."
    po_sv = "Välfärdsområdet i Österbotten fick 2,6 miljoner euro för att utveckla hemvården inom RRP-programmet."
    docs = [
        _doc(
            "fixtures/web/keski-pohjanmaa-rrp",
            ["Hoitotakuu etenee Keski-Pohjanmaalla", kp,
             "Hankkeessa puretaan hoitovelkaa ja vahvistetaan perustason palveluja. Lisätietoja antaa hankepäällikkö Kaisa Kuvitelma."],
            url="https://soite.example/hankkeet/hoitotakuu",
            region="Keski-Pohjanmaa",
            published=datetime(2024, 2, 15),
            facts=Facts(
                funders=("STM", "NextGenerationEU/RRF"), programmes=("RRP",),
                amounts=(_amount("1,2 miljoonaa euroa", 1_200_000, kp, "2023–2025", "STM", "Hoitotakuu",
                                 "Keski-Pohjanmaa"),),
                contacts=(Contact("Kaisa Kuvitelma", "hankepäällikkö", "+358401234567", "kaisa.kuvitelma@soite.example",
                                  sentence="Lisätietoja antaa hankepäällikkö Kaisa Kuvitelma.", project="Hoitotakuu"),),
                projects=("Hoitotakuu",),
            ),
        ),
        _doc(
            "fixtures/web/paijat-hame-rrp",
            ["Kestävät sote-palvelut Päijät-Hämeessä", ph,
             "Hanke kehittää digitaalisia palveluja ja hoitotakuuta. Yhteyshenkilö on kehittämispäällikkö Pekka Päätelmä."],
            url="https://phhyky.example/rrp",
            region="Päijät-Häme",
            published=datetime(2023, 5, 3),
            facts=Facts(
                funders=("STM", "NextGenerationEU/RRF"), programmes=("RRP",),
                amounts=(_amount("11,7 miljoonan euron", 11_700_000, ph, "2023–2025", "STM",
                                 "Kestävät sote-palvelut Päijät-Hämeessä", "Päijät-Häme"),),
                contacts=(Contact("Pekka Päätelmä", "kehittämispäällikkö",
                                  sentence="Yhteyshenkilö on kehittämispäällikkö Pekka Päätelmä."),),
                projects=("Kestävät sote-palvelut Päijät-Hämeessä",),
            ),
        ),
        _doc(
            TWIN_FI,
            ["RRP-hanke kehittää kotihoitoa Pohjanmaalla", po_fi, "Kotihoidon etäpalvelut laajenevat koko alueelle."],
            url=TWIN_FI,
            region="Pohjanmaa",
            twin=TWIN_SV,
            published=datetime(2024, 3, 1),
            facts=Facts(funders=("NextGenerationEU/RRF",), programmes=("RRP",),
                        amounts=(_amount("2,6 miljoonaa euroa", 2_600_000, po_fi, "2024", None, "Kotihoito RRP",
                                         "Pohjanmaa"),), projects=("Kotihoito RRP",)),
        ),
        _doc(
            TWIN_SV,
            ["RRP-projektet utvecklar hemvården i Österbotten", po_sv, "Distanstjänsterna inom hemvården utvidgas."],
            url=TWIN_SV,
            region="Pohjanmaa",
            twin=TWIN_FI,
            published=datetime(2024, 3, 1),
            facts=Facts(funders=("NextGenerationEU/RRF",), programmes=("RRP",),
                        amounts=(_amount("2,6 miljoner euro", 2_600_000, po_sv, "2024", None, "Hemvård RRP",
                                         "Pohjanmaa"),), projects=("Hemvård RRP",)),
        ),
        _doc(
            "fixtures/web/lappi-rrp",
            ["Lapin RRP-hanke vahvistaa etäpalveluja",
             "Lapin hyvinvointialueen RRP-hanke rakentaa etävastaanottoja pitkien matkojen alueille."],
            url="https://lapha.example/rrp",
            region="Lappi",
            published=datetime(2023, 11, 20),
            facts=Facts(funders=("STM",), programmes=("RRP",)),
        ),
        _doc(
            "fixtures/web/etela-pohjanmaa-esr",
            ["ESR-hanke tukee maahanmuuttajien työllistymistä",
             "Etelä-Pohjanmaan hyvinvointialueen ESR-hanke sai 300 000 euroa Euroopan sosiaalirahastosta."],
            url="https://hyvaep.example/esr",
            region="Etelä-Pohjanmaa",
            published=datetime(2024, 9, 9),
            facts=Facts(funders=("ESR",), programmes=("ESR+",),
                        amounts=(_amount("300 000 euroa", 300_000, "ESR-hanke sai 300 000 euroa.", "2024", "ESR",
                                         "Työllisyyden ESR-hanke", "Etelä-Pohjanmaa"),),
                        projects=("Työllisyyden ESR-hanke",)),
        ),
    ]
    return docs + [hostile_document()]


def hostile_document() -> Document:
    """The XSS fixture page through the real extractor, with hostile facts and a javascript: source link."""
    page = html_to_document((XSS_DIR / "hostile_fi.html").read_bytes(), url="https://kainuu.example/hyokkays",
                            doc_id=HOSTILE_ID)
    assert isinstance(page, Document), page
    doc = detect_document(page)
    facts = Facts(
        funders=("STM",),
        programmes=("RRP",),
        amounts=(Amount("250 000 euroa", 250_000, year="2024", sentence=HOSTILE_SENTENCE, role="granted",
                        region="Kainuu", project=HOSTILE_PROJECT),),
        contacts=(Contact(HOSTILE_NAME, "hankepäällikkö", email="javascript:alert(1)", sentence=HOSTILE_SENTENCE,
                          project=HOSTILE_PROJECT),),
        projects=(HOSTILE_PROJECT,),
    )
    return replace(doc, id=HOSTILE_ID, url=HOSTILE_URL, region="Kainuu", published=datetime(2024, 1, 2),
                   duplicates=("javascript:window.__xss='dup'",), facts=facts)


def build_web_index(settings: Settings) -> Settings:
    idx.write(settings, web_documents())
    return settings
