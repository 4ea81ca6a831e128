"""Project names as written, never a place, a programme acronym, a fragment or a common word (issue 12)."""

from __future__ import annotations

import pytest

from hakemisto.core.model import Document
from hakemisto.facts.entities import annotate

pytestmark = pytest.mark.slow  # the Finnish spaCy pipeline on every case


def _projects(*paragraphs: str, lang: str = "fi", url: str | None = None, title: str | None = None) -> list[str]:
    doc = Document(id=url or "x", title=title or paragraphs[0], paragraphs=paragraphs, lang=lang, url=url)
    return list(annotate([doc])[0].facts.projects)


def test_full_names_with_lowercase_words_and_owner_genitive() -> None:
    names = _projects("Uutinen.", "Eloisan Sujuvasti yhdessä Etelä-Savossa -hanke vie palveluja kyliin.",
                      "Kestävät ja vaikuttavat sote-palvelut Päijät-Hämeessä -hanke sai noin 11 miljoonaa euroa.")
    assert "Sujuvasti yhdessä Etelä-Savossa" in names
    assert "Kestävät ja vaikuttavat sote-palvelut Päijät-Hämeessä" in names


def test_never_a_place_programme_acronym_or_common_word() -> None:
    names = _projects("Hyvinvointialueen mukaan hanke etenee.", "Varhan RRP2-hanke jatkuu vuoteen 2025.",
                      "Yhteistyötä hanke tekee kuntien kanssa.", "Kohti-hankkeen toiminta päättyi.")
    assert "Varhan RRP2-hanke" in names and "RRP2" not in names
    assert not {"Hyvinvointialueen", "Yhteistyötä", "Päijät-Hämeessä"} & set(names)
    assert "Kohti" in names  # glued to -hanke: the KOHTI project


def test_swedish_shapes_and_project_cards() -> None:
    names = _projects("Nyhet.", "Projektet heter Vård i skärgården och pågår till slutet av 2025.",
                      "Välfärdsområdets projekt Hemvård på distans utvidgas till Lovisa.", lang="sv")
    assert {"Vård i skärgården", "Hemvård på distans"} <= set(names)
    card = _projects("Digitaalinen palveluohjaus Keski-Suomessa", "Hanke kehittää chat-palveluohjausta.",
                     url="https://innokyla.fi/fi/kokonaisuus/digitaalinen-palveluohjaus",
                     title="Digitaalinen palveluohjaus Keski-Suomessa")
    assert card[0] == "Digitaalinen palveluohjaus Keski-Suomessa"


def test_grant_tables_and_lists() -> None:
    names = _projects("Myönnetyt avustukset", "Hyvinvointialue | Hanke | Avustus",
                      "Etelä-Savon hyvinvointialue | Sujuvasti yhdessä Etelä-Savossa | 4 180 000 €",
                      "Lapin hyvinvointialue | Etäpalveluilla lähemmäs Lapissa | 2 600 000 €",
                      "Helsingin kaupunki, Sujuvat palvelut Helsingissä: 3 650 000 euroa")
    assert {"Sujuvasti yhdessä Etelä-Savossa", "Etäpalveluilla lähemmäs Lapissa",
            "Sujuvat palvelut Helsingissä"} <= set(names)
    assert "Etelä-Savon hyvinvointialue" not in names


def test_inflected_hyphen_forms_trials_versions_and_parentheses() -> None:
    """'-hankkeeseen' / '-hanketta' (tokenised apart from the hyphen), '-kokeilu', a version number in a
    name, and a translation in parentheses before the hyphen."""
    names = _projects("Uutinen.", "Etäkäynti kuuluu Kainuun soten Arki sujuvaksi Kainuussa -hankkeeseen.",
                      "Palvelu on osa Pohteen Vointi 3.0 Pohjois-Pohjanmaa -hanketta.",
                      "Iltavastaanotto lapsille -kokeilu rahoitetaan hyvinvointialueen omasta budjetista.",
                      "Alueet käynnistävät Vård över gränsen (Hoito yli rajan) -hankkeen.",
                      "Kuopion osuus hankkeen rahoituksesta on noin 90 000 euroa.")
    assert {"Arki sujuvaksi Kainuussa", "Vointi 3.0 Pohjois-Pohjanmaa", "Iltavastaanotto lapsille",
            "Vård över gränsen"} <= set(names)
    assert not any("osuus" in n for n in names)  # a town's share is not a project


def test_names_in_grant_lists_and_before_the_money_asked() -> None:
    names = _projects("Haku.", "Edellisellä kierroksella rahoitusta saivat Kainuun hyvinvointialueen Liikkeelle "
                      "Kainuussa (410 000 €) ja Lapin hyvinvointialueen Pohjoinen polku (388 000 €).",
                      "Hyvinvointialue hakee hankkeelle Kotiin turvallisesti – etähoiva Lapissa valtionavustusta "
                      "780 000 euroa.")
    assert {"Liikkeelle Kainuussa", "Pohjoinen polku", "Kotiin turvallisesti – etähoiva Lapissa"} <= set(names)
    names = _projects("Nyhet.", "I omgången beviljades Kajanalands välfärdsområdes projekt Liikkeelle Kainuussa "
                      "410 000 euro och Lapplands välfärdsområdes projekt Pohjoinen polku 388 000 euro.", lang="sv")
    assert {"Liikkeelle Kainuussa", "Pohjoinen polku"} <= set(names)


def test_capitals_heading_and_programme_name_alone() -> None:
    names = _projects("LOPPURAPORTTI", "KAINUUN ARJEN TUKI -HANKE",
                      "Kainuun Arjen tuki -hanke toteutti 20 toimenpidettä.",
                      "Kotona asumisen teknologiat ikäihmisille -hanke (KATI Kainuu) kokeilee etäkäyntejä.")
    assert "KAINUUN ARJEN TUKI" not in names and any(n.endswith("Arjen tuki") for n in names)
    assert "KATI Kainuu" in names and "Kotona asumisen teknologiat ikäihmisille" not in names


def test_names_after_the_project_word_quoted_and_niminen() -> None:
    names = _projects("Uutinen.", "Hankkeessa Arjen turva Lapissa kokeillaan etäkäyntejä.",
                      'Hanke "Kotona pidempään" käynnistyy syksyllä.',
                      "Hyvinvointialue käynnisti Ikäpolku Kainuussa -nimisen hankkeen.",
                      "Hankkeessa Maija Virtanen vastaa kehittämisestä. Hankkeessa STM:n rahoituksella kehitetään.")
    assert {"Arjen turva Lapissa", "Kotona pidempään", "Ikäpolku Kainuussa"} <= set(names)
    assert not any("Virtanen" in n or "STM" in n for n in names)
    names = _projects("Nyhet.", 'Projektet "Omsorg över gränser II" fortsätter arbetet.',
                      "Hälsa Botnia-projektets mål är tydliga. Österbottens Trygg Vård-projekt startar.", lang="sv")
    assert {"Omsorg över gränser II", "Hälsa Botnia", "Trygg Vård"} <= set(names)


def test_an_organisations_own_service_is_a_name_but_a_towns_share_is_not() -> None:
    names = _projects("Uutinen.", "Eksoten digiklinikka -hankkeessa rakennetaan chat-vastaanotto.",
                      "Kuopion osuus hankkeen rahoituksesta on noin 90 000 euroa.")
    assert "Eksoten digiklinikka" in names and not any("osuus" in n for n in names)


def test_appositive_names_and_words_that_never_make_a_name() -> None:
    names = _projects("Uutinen.", "Toinen uusi hanke, Muistiystävällinen Kainuu, on ESR+-rahoitteinen.",
                      "Rahoitus siirtyy hankkeeseen Kainuun hyvinvointialueelta.")
    assert "Muistiystävällinen Kainuu" in names
    assert not any(n.startswith("Toinen") or "hyvinvointialue" in n for n in names)
    names = _projects("Nyhet.", "Det nya projektet, Trygg vård, har startat. I Hälsa Botnia-projektet deltar tio enheter.",
                      lang="sv")
    assert {"Trygg vård", "Hälsa Botnia"} <= set(names) and not any(n.startswith("I ") for n in names)


def test_one_project_page_headline_by_labels_or_first_paragraph_never_a_practice_card() -> None:
    """A headline is the project's name when the page is about one project — by card labels or a first
    paragraph speaking of 'the project' — but not on a practice card nor when it is a sentence."""
    card = _projects("Muistiluotsi kylille", "Toteuttaja", "Esimerkkilän hyvinvointialue", "Rahoittaja",
                     "Sosiaali- ja terveysministeriö", "Kesto: 2024–2025", url="https://example.org/sivu/12",
                     title="Muistiluotsi kylille")
    assert "Muistiluotsi kylille" in card
    talk = _projects("Kotikuntoutus saaristossa",
                     "Neljä kuntaa kehittää yhdessä kotikuntoutusta saaristoon. Hankkeella on yhteinen ohjausryhmä.",
                     url="https://example.org/ajankohtaista/7", title="Kotikuntoutus saaristossa")
    assert "Kotikuntoutus saaristossa" in talk
    sentence = _projects("Kotikuntoutus laajenee saaristoon",
                         "Neljä kuntaa kehittää yhdessä kotikuntoutusta saaristoon. Hankkeella on yhteinen ohjausryhmä.",
                         url="https://example.org/ajankohtaista/8", title="Kotikuntoutus laajenee saaristoon")
    assert "Kotikuntoutus laajenee saaristoon" not in sentence  # 'laajenee' is a finite verb
    practice = _projects("Liikkuva muistihoitaja", "Toimintamallin nimi", "Liikkuva muistihoitaja",
                         "Toteuttaja", "Esimerkkilän hyvinvointialue", "Rahoittaja", "Ei erillisrahoitusta",
                         url="https://innokyla.fi/fi/toimintamalli/liikkuva-muistihoitaja",
                         title="Liikkuva muistihoitaja")
    assert "Liikkuva muistihoitaja" not in practice
    plain = _projects("Kotikuntoutus saaristossa", "Neljä kuntaa kehittää yhdessä kotikuntoutusta saaristoon.",
                      url="https://example.org/ajankohtaista/9", title="Kotikuntoutus saaristossa")
    assert "Kotikuntoutus saaristossa" not in plain  # nothing says the page is about one project


def test_compound_project_words_after_the_name() -> None:
    """' -kehittämishanke', ' -pilottihanke' and other compounds of 'hanke' after a spaced hyphen end a name
    like '-hanke' does; glued to a word the compound is the name ('ICT-muutoshanke')."""
    names = _projects("Uutinen.", "Tällä Yritetään yhdessä -kehittämishankkeella tuetaan nuoria.",
                      "Kainuu käynnisti Arjen turvaa kotiin -kehittämishankkeen syksyllä.",
                      "ICT-muutoshankkeen tavoitteena on yhtenäistää IT-ratkaisuja.")
    assert {"Yritetään yhdessä", "Arjen turvaa kotiin", "ICT-muutoshanke"} <= set(names)
    assert "ICT" not in names


def test_name_after_an_owned_project_word() -> None:
    """'hyvinvointialueen hanke X sai', 'hyvinvointialueen hankkeen X tavoitteena': the name follows the word;
    a sentence-opening 'Hankkeen' or a place alone is no name."""
    names = _projects("Uutinen.", "Varsinais-Suomen hyvinvointialueen hanke Sujuva arki: kotihoidon mallit sai 540 000 euroa.",
                      "Päijät-Hämeen hyvinvointialueen hankkeen Ikäihmisten digituki tavoitteena on lisätä taitoja.",
                      "Hankkeen Kainuun osuus on pieni.", "Kainuun hyvinvointialueen hanke Kainuussa jatkuu.")
    assert {"Sujuva arki", "Ikäihmisten digituki"} <= set(names)
    assert not {"Kainuun osuus", "Kainuussa", "Ikäihmisten digituki tavoitteena"} & set(names)


def test_name_is_a_sentence_ends_at_its_clause_and_county_lists() -> None:
    names = _projects("Uutinen.", "Hankkeen nimi on Hyvinvoiva Lappi ja sitä rahoittaa STM.",
                      "Rahoitusta saaneet hankkeet", "Etelä-Karjala: Etelä-Karjalan LAPE",
                      "Osoite: Kauppakatu 5", "Kainuu: Hanke käynnistyy syksyllä")
    assert {"Hyvinvoiva Lappi", "Etelä-Karjalan LAPE"} <= set(names)
    assert not {"Kauppakatu 5", "Hanke käynnistyy syksyllä"} & set(names)


def test_swedish_name_with_lowercase_words_glued_to_projektet() -> None:
    names = _projects("Nyhet.", "Hemvård på distans-projektet i Västra Nyland fick 250 000 euro.",
                      "Österbottens Trygg vård-projekt startade i våras.",
                      "Sjukskötare på båt – EU-projekt ska hålla skärgårdsborna hemma.",
                      "Östra Nylands projekt för hållbar tillväxt (RRP2) beviljades 2 687 400 euro.", lang="sv")
    assert "Hemvård på distans" in names and "Trygg vård" in names
    assert "Östra Nylands projekt för hållbar tillväxt" in names
    assert not any("EU" in n or "Sjukskötare" in n for n in names)


def test_project_list_page_headings_and_grant_lists() -> None:
    """A county's project list: a heading line over a paragraph that names the project again (or speaks
    of 'the project' as its subject); one subheading of a news story is no list, nor are section headings."""
    names = _projects("Hankkeet", "Siun sote kehittää palveluja ulkopuolisen rahoituksen turvin.",
                      "Sote-keskus kaikille Pohjois-Karjalassa",
                      "Tulevaisuuden sote-keskus -ohjelmaan kuuluva hanke sai ministeriöltä 4,05 miljoonaa euroa.",
                      "Lapsiperheiden kotipalvelun kokeilu",
                      "THL rahoittaa Lapsiperheiden kotipalvelun kokeilua 120 000 eurolla vuonna 2025.",
                      "Päättyneet hankkeet",
                      "VIRTA (Virtuaalinen vastaanotto Pohjois-Karjalassa) päättyi. Hankkeen kustannukset olivat 2,6 M€.")
    assert {"Sote-keskus kaikille Pohjois-Karjalassa", "Lapsiperheiden kotipalvelun kokeilu",
            "Virtuaalinen vastaanotto Pohjois-Karjalassa"} <= set(names)
    assert "Päättyneet hankkeet" not in names
    news = _projects("Uutinen", "Hankkeilla tehdään paljon hyvää alueella.", "Jatkuvuutta turvattu",
                     "Tulevaisuuden sote-keskus -hankkeen kausi päättyy, mutta se saa jatkuvuutta uudesta hankkeesta.",
                     "Yhteiskehittämisen kulttuuri", "Hyvinvointialueen kehittämishankkeet ovat tehneet hyvää yhteistyötä.")
    assert not {"Jatkuvuutta turvattu", "Yhteiskehittämisen kulttuuri"} & set(news)
    listed = _projects("Rahoitetut hankkeet", "Pohjanmaan hyvinvointialue: Työkyky fokukseen, 412 300 euroa",
                       "Keski-Pohjanmaan hyvinvointialue: Osallisuuden polut, 296 750 euroa",
                       "Investointi 3: Suun terveydenhuollon jonot purettiin ostopalveluilla, joihin käytettiin 1 120 000 euroa.")
    assert {"Työkyky fokukseen", "Osallisuuden polut"} <= set(listed)
    assert not any("jonot" in n for n in listed)


def test_programme_word_before_the_name_and_pronouns_in_names() -> None:
    names = _projects("Uutinen.", "KATI-hanke Turvallisesti kotona Pohjois-Karjalassa sai 1 260 000 €.",
                      "Eksoten Lähellä sinua – Etelä-Karjalan sote-keskus -hanke laajentaa iltavastaanottoja.")
    assert "Turvallisesti kotona Pohjois-Karjalassa" in names and "KATI" not in names
    assert "Lähellä sinua – Etelä-Karjalan sote-keskus" in names
    sv = _projects("Nyhet.", "KATI-projektet Tryggt hemma i Egentliga Finland utvecklar teknik för äldre.",
                   "Tandvårdsprojektet Munhälsa för alla avslutades 2024.",
                   "Projektet Smidiga tjänster i Helsingfors vid stadens sektor har beviljats 3 650 000 euro.", lang="sv")
    assert {"Tryggt hemma i Egentliga Finland", "Munhälsa för alla", "Smidiga tjänster i Helsingfors"} <= set(sv)


@pytest.mark.parametrize(("text", "name"), [
    ("Sujuva arki: kotihoidon uudet mallit -hanke sai 540 000 euroa.", "Sujuva arki: kotihoidon uudet mallit"),
    ("Keski-Suomessa käynnistyy Hyvinvoiva Keski-Suomi 2030 -hanke.", "Hyvinvoiva Keski-Suomi 2030"),
    ("Kymsote sai 900 000 euroa hankkeelle Mielenterveyspalvelut lähelle.", "Mielenterveyspalvelut lähelle"),
    ("Lapin hyvinvointialue sai rahoituksen Lapin kotihoidon digiloikka -nimiselle hankkeelle.",
     "Lapin kotihoidon digiloikka"),
    ("Hankkeelle ”Lapsen ääni” myönnettiin 250 000 euroa.", "Lapsen ääni"),
    ("Eloisa käynnistää hankkeen nimeltä Eloisa arki.", "Eloisa arki"),
    ("Hankkeen Sujuvat siirtymät Pirkanmaalla tavoitteena on parantaa hoitoketjuja.", "Sujuvat siirtymät Pirkanmaalla"),
    ("Kanta-Hämeen hyvinvointialueen (Oma Häme) hanke Arjen apu Hämeessä on päättynyt.", "Arjen apu Hämeessä"),
])
def test_name_shapes_of_press_and_minutes(text: str, name: str) -> None:
    names = _projects("Uutinen.", text)
    assert name in names, names
    assert not any(n.endswith(("-nimiselle", "tavoitteena")) for n in names)


def test_sums_of_an_acronym_belong_to_the_full_name_and_a_spaced_dash_ends_a_clause() -> None:
    doc = Document(id="tyke", title="Työkyvyn tuen kehittäminen Etelä-Savossa (TYKE)", lang="fi",
                   url="https://eloisa.example/hankkeet/tyke", paragraphs=(
        "Työkyvyn tuen kehittäminen Etelä-Savossa (TYKE)",
        "TYKE-hanke rakentaa Etelä-Savoon työkyvyn tuen palvelupolun.",
        "TYKE-hankkeen kokonaisbudjetti on 1 250 000 euroa."))
    facts = annotate([doc])[0].facts
    assert {a.project for a in facts.amounts} == {"Työkyvyn tuen kehittäminen Etelä-Savossa"}
    names = _projects("Liikkuva vastaanotto kiertää Jämsän kyliä – hankkeelle lähes puolitoista miljoonaa",
                      "Hankkeen nimi on Lähipalvelut liikkeelle.")
    assert "Lähipalvelut liikkeelle" in names and "Jämsän kyliä" not in names


def test_minute_item_titled_by_what_is_done_with_a_project() -> None:
    def titled(title: str, lang: str = "fi") -> list[str]:
        doc = Document(id="m", title=title, lang=lang, paragraphs=(title, "Aluehallitus päättää asiasta."))
        return list(annotate([doc])[0].facts.projects)

    assert titled("Valtionavustuksen hakeminen: Arjen tuki Kainuussa") == ["Arjen tuki Kainuussa"]
    assert titled("Valtionavustuksen vastaanottaminen: Turvallisesti kotona Pohjois-Savossa, lisärahoitus") \
        == ["Turvallisesti kotona Pohjois-Savossa"]
    assert "Tryggt boende i Österbotten" in titled("Ansökan om statsunderstöd: Tryggt boende i Österbotten", "sv")
    assert titled("Hyvinvointialueen johtaja: Jonot lyhenevät vasta ensi vuonna") == []
    assert titled("Ansökan: Arbetsförmåga och delaktighet – ESF+, specifikt mål 4.11", "sv") == []


def test_numbered_minute_items_name_their_projects() -> None:
    doc = Document(id="m", title="Valtionavustushankkeiden siirto", lang="fi", paragraphs=(
        "Valtionavustushankkeiden siirto", "Sairaanhoitopiiri hakee suostumusta seuraavien hankkeiden siirtämiseksi.",
        "1. Kotikuntoutus kuntoon Pirkanmaalla",
        "STM on myöntänyt valtionavustusta 1,0 milj. euroa Kotikuntoutus kuntoon Pirkanmaalla -hankkeeseen.",
        "2. Digituki ikäihmisille", "Kaupungille myönnettiin hankkeelle 120 000 euroa vuosille 2022–2023."))
    facts = annotate([doc])[0].facts
    assert "Digituki ikäihmisille" in facts.projects
    assert {a.text: a.project for a in facts.amounts}["120 000 euroa"] == "Digituki ikäihmisille"
