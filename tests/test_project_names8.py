"""Project names of session 8's failure classes (issue 12 projects, issue 13 amount → project).

Shapes learnt from the dev pages' failure lists and real county pages (the ``pages`` corpus); every
page below is our own invented text, names and sums: a name given by a naming phrase, a page heading
that is the project's name, and funding or programme phrases that are no project's name.
"""

from __future__ import annotations

import pytest

from hakemisto.core.model import Document
from tests.test_project_shapes import _attached, _docs

pytestmark = pytest.mark.slow  # the spaCy pipelines on every page


def _projects(doc: Document) -> list[str]:
    assert doc.facts is not None
    return list(doc.facts.projects)


def test_naming_phrases_give_the_name_whole() -> None:
    """'Kokeilun nimi on X, ja …', 'Projektin nimi on A, b c.' (a comma inside the name), 'Hanke X kestää …'
    and the Swedish 'Försöket heter X – long subtitle' / 'Projektets namn är X': the name as written, and the
    sum of the sentence is that project's."""
    fi, sv = _docs(
        ("fi_naming", "Uusia kokeiluja Pohjois-Savossa", (
            "Uusia kokeiluja Pohjois-Savossa",
            "Hyvinvointialue käynnistää syksyllä kaksi kokeilua ja yhden hankkeen. Kokeilun nimi on Iltaneuvola "
            "kirjastossa Iisalmessa, ja sen budjetti on 84 000 euroa.",
            "Toinen kokeilu keskittyy unen seurantaan. Projektin nimi on Uni kuntoon, mieli kuntoon. Sitä rahoittaa "
            "Sitra 61 000 eurolla.",
            "Hanke Kotikuntoutus etänä Varkaudessa kestää 1.3.2025–28.2.2027, ja sille myönnettiin 455 000 euroa.",
        ), "fi"),
        ("sv_naming", "Nya försök i Österbotten", (
            "Nya försök i Österbotten",
            "Välfärdsområdet inleder två försök i höst. Försöket heter Kvällsmottagning på biblioteket – ett "
            "lågtröskelställe för unga familjer i Jakobstadsnejden och får 72 000 euro.",
            "Det andra försöket pågår till 2026. Projektets namn är Sömn i balans och det får 39 000 euro.",
        ), "sv"),
    )
    assert "Iltaneuvola kirjastossa Iisalmessa" in _projects(fi)
    assert "Uni kuntoon, mieli kuntoon" in _projects(fi)
    assert "Kotikuntoutus etänä Varkaudessa" in _projects(fi)
    assert _attached(fi)[84_000] == "Iltaneuvola kirjastossa Iisalmessa"
    assert _attached(fi)[455_000] == "Kotikuntoutus etänä Varkaudessa"
    long_name = "Kvällsmottagning på biblioteket – ett lågtröskelställe för unga familjer i Jakobstadsnejden"
    assert long_name in _projects(sv)
    assert "Sömn i balans" in _projects(sv)
    assert _attached(sv)[72_000] == long_name


def test_heading_over_a_project_paragraph_is_the_name_but_a_dated_headline_is_not() -> None:
    """A county page whose heading is followed by a paragraph on the work and then 'Hankkeessa …' /
    'Projektet …' names that project (also 'Name – subtitle'); a dated news item with the same shape, or a
    'Page – County' heading, does not."""
    fi, sv, news, site = _docs(
        ("fi_heading", "Liikkuvat iltapäivät Kuhmossa", (
            "Liikkuvat iltapäivät Kuhmossa",
            "Koululaisten iltapäivätoimintaan tuodaan liikuntaohjaajat kaikkiin Kuhmon kouluihin vuoden 2025 "
            "syksystä alkaen.",
            "Hankkeessa ohjaajat koulutetaan yhdessä urheiluseurojen kanssa. Opetus- ja kulttuuriministeriö myönsi "
            "sille 58 000 euroa.",
            "Tavoitteet",
            "Vähintään 200 lasta liikkuu viikoittain ohjatusti.",
        ), "fi"),
        ("sv_heading", "Steget vidare – stöd till unga vuxna i Raseborg", (
            "Steget vidare – stöd till unga vuxna i Raseborg",
            "Unga som saknar studieplats får en egen handledare och hjälp med hälsan på samma ställe.",
            "Projektet genomförs åren 2025–2027 och har beviljats 310 000 euro ur Europeiska socialfonden plus.",
        ), "sv"),
        ("fi_news", "Iltakerhot laajenevat kyliin", (
            "Iltakerhot laajenevat kyliin",
            "Julkaistu 3.2.2025",
            "Hyvinvointialue vie ikäihmisten iltakerhot kaikkiin kyliin kevään aikana, kertoo palvelupäällikkö.",
            "Hanke on saanut STEA:lta avustusta 120 000 euroa kahdeksi vuodeksi.",
        ), "fi"),
        ("fi_site", "Hankkeet – Kainuun hyvinvointialue", (
            "Hankkeet – Kainuun hyvinvointialue",
            "Kainuun hyvinvointialueella on käynnissä useita kehittämistöitä eri palveluissa ja kunnissa.",
            "Hankkeessa kerrotaan töistä erikseen omilla sivuillaan vuoden 2025 aikana.",
        ), "fi"),
    )
    assert _projects(fi) == ["Liikkuvat iltapäivät Kuhmossa"]
    assert _attached(fi)[58_000] == "Liikkuvat iltapäivät Kuhmossa"
    assert _projects(sv) == ["Steget vidare – stöd till unga vuxna i Raseborg"]
    assert _attached(sv)[310_000] == "Steget vidare – stöd till unga vuxna i Raseborg"
    assert "Iltakerhot laajenevat kyliin" not in _projects(news)
    assert not any("Kainuun hyvinvointialue" in p for p in _projects(site))


def test_funding_phrases_and_programme_areas_are_no_project() -> None:
    """'Euroopan sosiaalirahasto plussan ja valtion rahoittama hanke', 'kuntien ja valtion', 'Interreg Aurora
    -ohjelma … Aurora-hankkeita': who pays and the programme are no names; the project named beside them is."""
    (doc,) = _docs(("fi_funders", "Hoitajapolku pohjoiseen", (
        "Hoitajapolku pohjoiseen",
        "Kainuu ja Lappi kuuluvat Interreg Aurora -ohjelma-alueeseen. Hanke Pohjoinen hoivapolku on ensimmäisiä "
        "alueen vetämiä Aurora-hankkeita, ja sille myönnettiin 640 000 euroa.",
        "Kyseessä on Euroopan sosiaalirahasto plussan ja valtion rahoittama hanke, jonka omarahoitus jaetaan "
        "Kainuun kuntien ja valtion kesken.",
    ), "fi"))
    projects = _projects(doc)
    assert "Pohjoinen hoivapolku" in projects
    assert not any(p.split()[0] in ("Aurora", "Euroopan", "Kainuun") for p in projects)
    assert _attached(doc)[640_000] == "Pohjoinen hoivapolku"


def test_minute_list_items_after_an_intro_line_are_projects() -> None:
    """'… rahoituspäätökset kahteen uuteen hankkeeseen:' ¶ 'Name: clause' and '… hanketta. Suurimmat ovat:'
    ¶ 'a) Name (STM, NGEU/RRF): myönnetty …': each item is a project with its own sums; a card's fields
    ('Kesto: …', 'Kokonaisbudjetti: …') after a colon line are none."""
    minutes, card = _docs(
        ("fi_items", "§ 52 Talousarviomuutos", (
            "§ 52 Talousarviomuutos",
            "Keväällä 2025 hyvinvointialue on saanut rahoituspäätökset kahteen uuteen hankkeeseen:",
            "Perhetyön etäohjaus: Terveyden ja hyvinvoinnin laitos maksaa hyvinvointialueelle 64 000 euroa "
            "kokeilusta Loviisassa.",
            "Ikäihmisten ravitsemuksen arviointi: hanke rahoitetaan kehittämismäärärahasta, 38 000 euroa.",
            "Katsauskaudella käynnissä oli yhdeksän hanketta. Suurimmat niistä ovat:",
            "a) Kotisairaala Kymi II (STM, NGEU/RRF): myönnetty 1 400 000 €, toteutunut 220 400 €.",
            "b) Nuorten mielen tuki (ESR+): myönnetty 390 000 €, toteutunut 51 000 €.",
        ), "fi"),
        ("fi_card", "Hankkeen tiedot", (
            "Hankkeen tiedot",
            "Hankkeen perustiedot:",
            "Kesto: 1.1.2025–30.6.2026 kahden vuoden ajan koko alueella",
            "Kokonaisbudjetti: 326 000 euroa, josta EU:n osuus on 60 %",
        ), "fi"),
    )
    attached = _attached(minutes)
    assert attached[64_000] == "Perhetyön etäohjaus"
    assert attached[38_000] == "Ikäihmisten ravitsemuksen arviointi"
    assert attached[1_400_000] == "Kotisairaala Kymi II"
    assert attached[390_000] == "Nuorten mielen tuki"
    assert not any(p.startswith(("Kesto", "Kokonaisbudjetti")) for p in _projects(card))


def test_compound_trial_words_and_offices() -> None:
    """'… för rehabiliteringsförsöket Name. FPA …' names the trial after a compound ending in 'försöket';
    an office ('TE-byrån') and a minute's label ('Selostus') are none."""
    sv, fi = _docs(
        ("sv_trial", "Styrelsen 3.4.2025", (
            "Styrelsen 3.4.2025",
            "FPA har beviljat 148 000 euro för rehabiliteringsförsöket Ork efter stroke. Försöket pågår till 2026.",
            "Arbetet görs tillsammans med TE-byrån och kommunerna.",
        ), "sv"),
        ("fi_prestudy", "Kokeilu jatkaa esiselvitystä", (
            "Kokeilu jatkaa esiselvitystä",
            "Kokeilu Tietopolku yhteen jatkaa esiselvitystä, joka rahoitettiin valtionavustuksella.",
            "Selostus",
            "Hyvinvointialue jatkaa työtä omalla rahoituksellaan.",
        ), "fi"),
    )
    assert "Ork efter stroke" in _projects(sv)
    assert _attached(sv)[148_000] == "Ork efter stroke"
    assert not any("byrån" in p for p in _projects(sv))
    assert "Selostus" not in _projects(fi)
