"""Funders found by grammar, not by phrase (session 8): the county, a town, the state and the EU as who pays
in their clause, in wordings no registry phrase lists; the actor's own non-paying clause; denied verbs a few
words before the money; logo lines; Swedish ministry abbreviations. Every sentence here is invented."""

from __future__ import annotations

import pytest

from tests.test_funders_shapes import _funders

PAYERS = [
    # the county: subject of a paying verb (any order), decision bodies, the agent of a participle, its money used
    ("fi", "Hyvinvointialue myönsi järjestöille avustuksia yhteensä 150 000 euroa.", {"Hyvinvointialue"}),
    ("fi", "Kokeilun rahoittaa Kainuun hyvinvointialue.", {"Hyvinvointialue"}),
    ("fi", "Aluehallitus päätti rahoittaa kotikuntoutuksen kokeilua 60 000 eurolla.", {"Hyvinvointialue"}),
    ("fi", "Ryhmätoimintaa jatketaan hyvinvointialueen omalla rahoituksella.", {"Hyvinvointialue"}),
    ("fi", "Loput rahoituksesta tulee hyvinvointialueelta.", {"Hyvinvointialue"}),
    ("fi", "Iltavastaanoton kulut maksaa Eksote 12 000 eurolla.", {"Hyvinvointialue"}),
    ("sv", "Välfärdsområdet beviljar engångsunderstöd till föreningar.", {"Hyvinvointialue"}),
    ("sv", "Försöket bekostas av välfärdsområdet.", {"Hyvinvointialue"}),
    ("sv", "Områdesstyrelsen beslutade att finansiera försöket med 45 000 euro.", {"Hyvinvointialue"}),
    ("sv", "Resten, 70 000 euro, finansierar välfärdsområdet själv.", {"Hyvinvointialue"}),
    ("sv", "Tolkkostnaderna betalar Soite själv.", {"Hyvinvointialue"}),
    # the towns
    ("fi", "Kerho on Porin kaupungin rahoittama.", {"Kunnat"}),
    ("fi", "Rahoitusta kerholle myönsi Lahden kaupunki.", {"Kunnat"}),
    ("fi", "Kunta on varannut talousarvioonsa 15 000 euroa kokeiluun.", {"Kunnat"}),
    ("fi", "Kokeilun kustannuksiin osallistuvat myös alueen kunnat.", {"Kunnat"}),
    ("sv", "Försöket finansieras helt av Jakobstads stad.", {"Kunnat"}),
    ("sv", "Staden finansierar kvällsöppet under hela året.", {"Kunnat"}),
    # the state and the EU as sources or owners of the money
    ("fi", "Hanke saa rahoitusta valtiolta.", {"Valtio"}),
    ("fi", "Kokeilu rahoitetaan valtion budjetista.", {"Valtio"}),
    ("fi", "Maakunnan liitto myönsi hankkeelle valtion varoista kansallista vastinrahoitusta.", {"Valtio"}),
    ("fi", "Suomen osatoteuttajien vastinrahoitus, 60 000 euroa, on valtion rahaa.", {"Valtio"}),
    ("sv", "Projektet får stöd från staten.", {"Valtio"}),
    ("sv", "Den nationella motfinansieringen beviljas av landskapsförbundet.", {"Valtio"}),
    ("fi", "Hanke saa rahoitusta EU:lta.", {"EU"}),
    ("fi", "Puolet rahoituksesta saadaan Euroopan unionilta.", {"EU"}),
    ("sv", "Projektet får pengar från EU.", {"EU"}),
    # the county's own contribution in other words
    ("fi", "Hyvinvointialueen oma panos on noin 40 000 euroa.", {"Hyvinvointialue"}),
    # Helsinki runs its own services: on its pages the city's budget is the county's money
    ("sv", "Helsingfors stad prövar kvällsmottagning. Resten, 90 000 euro, täcks ur stadens budget.", {"Hyvinvointialue"}),
]


@pytest.mark.slow
@pytest.mark.parametrize(("lang", "text", "expected"), PAYERS)
def test_payers_by_their_role_in_the_clause(lang: str, text: str, expected: set[str]) -> None:
    assert _funders(*text.split("\n\n"), lang=lang) == expected


NOT_PAYING = [
    # the actor organises, steers, asks or shares out, or the clause denies it
    ("fi", "Hyvinvointialue järjestää sosiaali- ja terveyspalvelut alueellaan.", set()),
    ("fi", "Valtio ohjaa hyvinvointialueiden toimintaa.", set()),
    ("fi", "Kaupunki ja hyvinvointialue tekevät tiivistä yhteistyötä.", set()),
    ("fi", "Kuusi hyvinvointialuetta haki valtiolta lisärahoitusta alijäämänsä kattamiseen.", set()),
    ("fi", "Hyvinvointialue osoittaa hankkeelle toimitilat osoitteesta Torikatu 12.", set()),
    ("fi", "Yhdistyksellä on kokemusta valtion rahoittamista hankkeista.", set()),
    ("fi", "Hanke ei myöskään saa EU-rahoitusta.", set()),
    ("fi", "Hyvinvointialue ei rahoita kokeilua.", set()),
    ("sv", "Projektet finansieras av Europeiska socialfonden och leds av Uleåborgs stad.", {"ESR"}),
    ("sv", "Välfärdsområdet står för personalen och staden bidrar med 20 000 euro.", {"Kunnat"}),
    ("sv", "Välfärdsområdet finansierar inte försöket.", set()),
    ("sv", "Projektet får inte heller EU-finansiering.", set()),
    # a county's part of a joint grant is not its own money
    ("fi", "Interreg myönsi hankkeelle 900 000 euroa, josta Lapin hyvinvointialueen osuus on 300 000 euroa.",
     {"Interreg"}),
]


@pytest.mark.slow
@pytest.mark.parametrize(("lang", "text", "expected"), NOT_PAYING)
def test_actors_that_do_not_pay(lang: str, text: str, expected: set[str]) -> None:
    assert _funders(*text.split("\n\n"), lang=lang) == expected


NAMED = [
    # the actor's own clause gives it a non-paying role, a financer's phrase with a partner word, cost bearers
    ("fi", "STM rahoittaa kokeilua, ja THL arvioi sen tuloksia.", {"STM"}),
    ("sv", "SHM finansierar projektet och THL utvärderar det.", {"STM"}),
    ("fi", "Sitra on mukana rahoittamassa kokeilua.", {"Sitra"}),
    ("fi", "Kokeilun kustannuksista vastaa Kela.", {"Kela"}),
    ("sv", "Kostnaderna står FPA för.", {"Kela"}),
    # Swedish abbreviations of the ministries
    ("sv", "UKM finansierar kulturprojektet.", {"OKM"}),
    ("sv", "ANM har beviljat 150 000 euro för försöket.", {"TEM"}),
    # a logo's alt text as a line, beside a funding line
    ("fi", "Hanke alkaa keväällä.\n\nKelan logo\n\nRahoittaja", {"Kela"}),
    ("sv", "Projektet pågår.\n\nLogo: FPA\n\nFinansiär", {"Kela"}),
    ("fi", "Kelan logo\n\nKela järjestää kuntoutusta.", set()),
]


@pytest.mark.slow
@pytest.mark.parametrize(("lang", "text", "expected"), NAMED)
def test_named_actors_roles_and_logos(lang: str, text: str, expected: set[str]) -> None:
    assert _funders(*text.split("\n\n"), lang=lang) == expected


TABLES_AND_COMPOUNDS = [
    # a table's funder column names who pays, whatever the cell's form (rows may stand a paragraph apart)
    ("fi", "Hankkeiden rahoitus, tuhatta euroa\n\nHanke | Rahoittaja | Myönnetty\n\nKotihoidon yöpartio | STM | 900\n\n"
           "Nuorten chat | THL | 300", {"STM", "THL"}),
    ("sv", "Externt finansierade projekt (euro)\nProjekt | Finansiär | Beviljat\nHemsjukhus | Finansministeriet | 500 000\n"
           "Rehabilitering | FPA | 120 000\nRobotapotek | EU (Horisont Europa) | 400 000", {"VM", "Kela", "EU"}),
    # an actor's name glued into another thing's name is not the actor ('Kela-taksi', 'THL-raportti')
    ("fi", "Etävastaanotot säästävät Kela-taksikustannuksia 200 000 euroa vuodessa.", set()),
    ("fi", "Hanke on STM-rahoitteinen.", {"STM"}),
    # a ministry that only took part as an expert
    ("fi", "VM myönsi avustukset. Sosiaali- ja terveysministeriö on osallistunut hakemusten arviointiin asiantuntijana.",
     {"VM"}),
]


@pytest.mark.slow
@pytest.mark.parametrize(("lang", "text", "expected"), TABLES_AND_COMPOUNDS)
def test_funder_columns_and_glued_names(lang: str, text: str, expected: set[str]) -> None:
    assert _funders(*text.split("\n\n"), lang=lang) == expected


NOT_NEEDED = [
    # an own share not required or not needed after all, a model's continuation after the project
    ("fi", "STM:n avustus kattoi kaikki kustannukset. Ministeriö ei edellytä hankkeelta omarahoitusta.", {"STM"}),
    ("fi", "Valtionavustus kattoi kaikki kulut, joten hyvinvointialueen omaa rahoitusta ei tarvittu.", {"Valtio"}),
    ("fi", "Kela rahoitti kokeilun. Mallin jatko rahoitetaan ensi vuodesta hyvinvointialueen omalla budjetilla.", {"Kela"}),
    # a fund's money split in parentheses names the state too
    ("fi", "Rahoitus:\n\n– JTF-rahoitus (EU ja valtio) 500 000 euroa", {"JTF", "Valtio"}),
]


@pytest.mark.slow
@pytest.mark.parametrize(("lang", "text", "expected"), NOT_NEEDED)
def test_own_money_not_needed_and_fund_splits(lang: str, text: str, expected: set[str]) -> None:
    assert _funders(*text.split("\n\n"), lang=lang) == expected


DENIED_AND_RECEIVING = [
    # denials after the actor's name, a failed application, unrelated money, a steering role
    ("fi", "STM rahoittaa kokeilua. Kela ei kuitenkaan ole rahoittanut hanketta.", {"STM"}),
    ("sv", "SHM finansierar försöket, och THL deltar inte i finansieringen.", {"STM"}),
    ("fi", "Kela rahoittaa kokeilua. Yhdistyksen hakemus STEA:lle ei menestynyt.", {"Kela"}),
    ("sv", "Sitra finansierar försöket. SHM finansierade en förstudie, men den hade inget samband med försöket.", {"Sitra"}),
    ("fi", "THL maksaa kokeilut omasta budjetistaan, ja sosiaali- ja terveysministeriö on linjannut painopisteet.", {"THL"}),
    # a county after a named subject receives; its budget described is not its money used
    ("sv", "Social- och hälsovårdsministeriet har beviljat Eksote 300 000 euro för projektet.", {"STM"}),
    ("sv", "Kela finansierar projektet. Soites budget för digitala tjänster är 3 miljoner euro.", {"Kela"}),
    ("sv", "Kela beviljade 200 000 euro. Mellanskillnaden betalas ur Varhas budget.", {"Kela", "Hyvinvointialue"}),
]


@pytest.mark.slow
@pytest.mark.parametrize(("lang", "text", "expected"), DENIED_AND_RECEIVING)
def test_denials_roles_and_recipients(lang: str, text: str, expected: set[str]) -> None:
    assert _funders(*text.split("\n\n"), lang=lang) == expected
