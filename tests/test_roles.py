"""Money by role (issue 13): what a sum is, which sums are parts, whose county and project it is.

Snippets are our own sentences in the shapes of real county pages, minutes and ministry releases;
the seed checks run the real extractor on the shipped corpus.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from hakemisto.core.config import PROJECT_ROOT, load_settings
from hakemisto.core.model import AMOUNT_ROLES, Amount, Contact, Entity, Facts
from hakemisto.core.regions import normalize_region
from hakemisto.evaluation.evaluate import load_gold, score
from hakemisto.facts.attach import attach_amounts, attach_contacts, project_occurrences
from hakemisto.facts.entities import gold_record, sentences
from hakemisto.facts.money import find_amounts
from hakemisto.facts.roles import amount_roles, find_cues, part_links
from hakemisto.jobs.pipeline import extract_paths

LOCAL_SEED_GOLD = Path(__file__).parent / "gold" / "seeds"


def _spans(text: str) -> tuple[list[Amount], list[tuple[int, int, int, int]]]:
    amounts = find_amounts(text)
    bounds = sentences(text)
    spans = []
    for a in amounts:
        s, e = next((s, e) for s, e in bounds if s <= (a.start or 0) < e)
        spans.append((a.start or 0, a.end or 0, s, e))
    return amounts, spans


def roles_of(text: str) -> list[str]:
    _, spans = _spans(text)
    return [role for role, _ in amount_roles(text, spans)]


@pytest.mark.parametrize(
    ("text", "role"),
    [
        # granted
        ("Sosiaali- ja terveysministeriö myönsi hankkeelle 1,2 miljoonaa euroa.", "granted"),
        ("Hanke sai noin 11,7 miljoonan euron rahoituksen vuosille 2023–2025.", "granted"),
        ("Hankkeelle on myönnetty valtionavustusta 480 000 euroa.", "granted"),
        ("Valtionavustus 350 000 € kattaa hankkeen henkilöstön.", "granted"),
        ("Projektet har beviljats 1,2 miljoner euro i statsunderstöd.", "granted"),
        ("Välfärdsområdet har fått 900 000 euro för projektet.", "granted"),
        ("Statsunderstöd på 640 000 euro används till nya arbetssätt.", "granted"),
        # applied
        ("Aluehallitus päättää, että hyvinvointialue hakee valtionavustusta 2 600 000 euroa.", "applied"),
        ("Hankkeelle haettu rahoitus on 780 000 euroa.", "applied"),
        ("Hakemuksen loppusumma on 1,1 milj. euroa.", "applied"),
        ("Välfärdsområdet ansöker om 2,6 miljoner euro för år 2022.", "applied"),
        ("Välfärdsområdet har sökt 500 000 euro för projektet.", "applied"),
        # budget
        ("Hankkeen kokonaisbudjetti on 3,2 miljoonaa euroa.", "budget"),
        ("Kustannusarvio on 640 000 euroa.", "budget"),
        ("Projektets totalkostnad är 1,5 miljoner euro.", "budget"),
        ("Projektets budget är 820 000 euro.", "budget"),
        # cost
        ("Hankkeen toteutuneet kustannukset ovat olleet noin 4,1 miljoonaa euroa.", "cost"),
        ("Vuonna 2023 hankkeessa käytettiin 310 000 euroa.", "cost"),
        ("Hittills har projektet förbrukat 400 000 euro.", "cost"),
        ("Kostnaderna hittills är 220 000 euro.", "cost"),
        # pool
        ("Valtionavustuksina jaettavissa oleva enimmäismäärä on 47,5 miljoonaa euroa.", "pool"),
        ("Ministeriö jakaa yhteensä 50 miljoonaa euroa 21 hyvinvointialueelle.", "pool"),
        ("Koko ohjelman rahoitus on 260 miljoonaa euroa.", "pool"),
        ("Haettavana on yhteensä enintään 50 miljoonaa euroa.", "pool"),
        ("Till välfärdsområdena fördelas sammanlagt högst 255 miljoner euro.", "pool"),
        ("Totalt för hela landet finns 30 miljoner euro.", "pool"),
        # other
        ("Projektipäällikön kuukausipalkka on 4 250 euroa.", "other"),
        ("Liikkuvan yksikön auton hinta on noin 180 000 euroa.", "other"),
        ("Uusi toimintamalli tuo 300 000 euron säästöt vuodessa.", "other"),
        ("Projektkoordinatorns månadslön är 3 800 euro.", "other"),
        ("Klientavgiften är 12 euro per besök.", "other"),
    ],
)
def test_role_cues(text: str, role: str) -> None:
    assert roles_of(text) == [role]


def test_every_role_has_fi_and_sv_cues() -> None:
    from hakemisto.facts.roles import vocab

    for role in AMOUNT_ROLES:
        table = vocab()[role]
        assert table["strong_fi"] and table["strong_sv"], role


def test_longer_and_exact_cues_win() -> None:
    assert [c.role for c in find_cues("käytettävissä")] == ["pool"]  # not 'käytett*' = cost
    assert [c.role for c in find_cues("haettavissa")] == ["pool"]  # not 'haettava*' = applied
    assert [c.role for c in find_cues("omarahoitusosuus")] == ["budget"]


def test_page_default_for_sums_without_cue() -> None:
    minutes = ("Valmistelija: kehittämispäällikkö\nEsittelijä: hyvinvointialuejohtaja\n\nPäätösehdotus\n"
               "Aluehallitus päättää, että hyvinvointialue hakee valtionavustusta hankkeelle.\n\n"
               "Summa: 1 200 000 euroa")
    assert roles_of(minutes) == ["applied"]
    release = "STM myönsi avustukset. Myönnetyt summat julkaistiin.\n\nPirkanmaa 2,1 miljoonaa euroa"
    assert roles_of(release) == ["granted"]


def test_label_line_gives_the_role() -> None:
    assert roles_of("Kokonaisbudjetti\n1 200 000 €") == ["budget"]
    assert roles_of("Myönnetty rahoitus:\n450 000 €") == ["granted"]
    assert roles_of("Beviljat belopp\n320 000 euro") == ["granted"]


@pytest.mark.parametrize(
    ("text", "roles", "parts"),
    [
        ("Hankkeen kokonaisbudjetti on 3 000 000 euroa, josta valtionavustusta 2,4 M€ ja omarahoitusta 0,6 M€.",
         ["budget", "granted", "budget"], [None, 0, 0]),
        ("Projektets totala budget är 812 000 euro, varav stödet från ERUF är 649 600 euro.",
         ["budget", "granted"], [None, 0]),
        ("Hankkeen kustannusarvio on 1,5 miljoonaa euroa. Tästä valtionavustuksen osuus on 1,2 miljoonaa euroa.",
         ["budget", "granted"], [None, 0]),
        ("Totalkostnaden är 900 000 euro, därav statsunderstöd 720 000 euro.", ["budget", "granted"], [None, 0]),
    ],
)
def test_parts_keep_their_role_and_point_at_their_whole(text: str, roles: list[str], parts: list) -> None:
    _, spans = _spans(text)
    assert [r for r, _ in amount_roles(text, spans)] == roles
    assert part_links(text, spans) == parts


def _attach(text: str, projects: list[str], page_region: str | None, national: bool = False) -> list[Amount]:
    amounts = find_amounts(text)
    regions = []
    for m in __import__("re").finditer(r"[A-ZÅÄÖ][\w-]+(?: [A-ZÅÄÖ][\w-]+)?", text):
        for candidate in (m.group(0), m.group(0).split()[0]):
            canonical = normalize_region(candidate)
            if canonical:
                regions.append(Entity(candidate, "REGION", canonical, m.start(), m.start() + len(candidate)))
                break
    return attach_amounts(text, amounts, sentences(text), projects, regions, page_region, national=national)


def test_national_release_attaches_each_sum_to_its_county() -> None:
    text = ("Sosiaali- ja terveysministeriö on myöntänyt valtionavustuksia yhteensä 12 miljoonaa euroa "
            "kuudelle hankkeelle.\n\nKainuun hyvinvointialueelle myönnettiin 1,2 miljoonaa euroa "
            "Arki sujuvaksi -hankkeelle.\n\nPirkanmaa\n2,1 miljoonaa euroa Hoitoon ajoissa -hankkeelle")
    amounts = _attach(text, ["Arki sujuvaksi", "Hoitoon ajoissa"], None, national=True)
    assert [(a.role, a.region, a.project) for a in amounts] == [
        ("pool", None, None),
        ("granted", "Kainuu", "Arki sujuvaksi"),
        ("granted", "Pirkanmaa", "Hoitoon ajoissa"),
    ]


def test_county_page_ceiling_keeps_its_county_and_national_pot_does_not() -> None:
    text = ("Hyvinvointialueille on jaettavissa yhteensä 50 miljoonaa euroa 21 hyvinvointialueelle. "
            "Keski-Suomen laskennallinen osuus on enintään 2 640 000 euroa. "
            "Hyvinvointialue hakee Tulevaisuuden sote-keskus Keski-Suomi -hankkeelle 2 600 000 euroa.")
    amounts = _attach(text, ["Tulevaisuuden sote-keskus Keski-Suomi"], "Keski-Suomi")
    assert [(a.role, a.region, a.project) for a in amounts] == [
        ("pool", None, None),
        ("pool", "Keski-Suomi", None),
        ("applied", "Keski-Suomi", "Tulevaisuuden sote-keskus Keski-Suomi"),
    ]


def test_sum_of_earlier_sums_is_their_whole() -> None:
    text = ("Ministeriö on myöntänyt Turvallisesti kotona -hankkeelle lisärahoitusta 280 000 euroa. "
            "Hankkeen aiempi valtionavustus oli 1 340 000 euroa, joten valtionavustus on yhteensä 1 620 000 euroa.")
    amounts = _attach(text, ["Turvallisesti kotona"], "Pohjois-Savo")
    assert [a.role for a in amounts] == ["granted"] * 3
    assert [a.part_of for a in amounts] == [2, 2, None]
    assert {a.project for a in amounts} == {"Turvallisesti kotona"}


def test_shared_sum_per_county_in_one_sentence() -> None:
    text = ("Ministeriö myönsi Yhteinen Uusimaa -hankkeelle 1,2 miljoonaa euroa. Avustus jaetaan alueiden "
            "kesken: Helsingin osuus on 410 000 euroa ja Länsi-Uudenmaan 320 000 euroa.")
    amounts = _attach(text, ["Yhteinen Uusimaa"], "Helsinki")
    assert [a.region for a in amounts[1:]] == ["Helsinki", "Länsi-Uusimaa"]
    assert [a.role for a in amounts] == ["granted"] * 3


def test_project_from_paragraph_and_only_project() -> None:
    text = ("Kohti-hanke kehittää kotihoitoa.\n\nPäijät-Koti-hankkeessa kokeillaan etähoivaa. "
            "Hankkeelle myönnettiin 900 000 euroa.\n\nAuton hinta on 40 000 euroa.")
    amounts = _attach(text, ["Kohti", "Päijät-Koti"], "Päijät-Häme")
    assert [a.project for a in amounts] == ["Päijät-Koti", None]
    only = _attach("Arjen tuki -hanke jatkuu.\n\nRahoitusta saatiin 300 000 euroa.", ["Arjen tuki"], "Kainuu")
    assert only[0].project == "Arjen tuki"


def test_county_name_is_never_a_project_occurrence() -> None:
    assert project_occurrences("Päijät-Hämeessä hanke jatkuu.", ["Päijät-Hämeessä"]) == []


def test_contact_projects() -> None:
    text = ("Päijät-Koti-hanke kehittää kotihoitoa, kertoo hankepäällikkö Kati Honkanen tiedotteessa.\n\n"
            "Kohti-hanke jatkuu, sanoo projektipäällikkö Ville Saloranta haastattelussa.\n\n"
            "Lisätietoja\nHanketoimiston päällikkö Jenny Ek\nHankejohtaja Pia Lind, Kohti-hanke")
    contacts = [Contact("Kati Honkanen", "hankepäällikkö"), Contact("Ville Saloranta", "projektipäällikkö"),
                Contact("Jenny Ek", "hanketoimiston päällikkö", sentence="Hanketoimiston päällikkö Jenny Ek"),
                Contact("Pia Lind", "hankejohtaja", sentence="Hankejohtaja Pia Lind, Kohti-hanke")]
    got = [c.project for c in attach_contacts(text, contacts, ["Päijät-Koti", "Kohti"])]
    assert got == ["Päijät-Koti", "Kohti", None, "Kohti"]


def test_card_contact_gets_the_card_project() -> None:
    text = ("Arjen tuki Kainuussa\n\nArjen tuki Kainuussa -hanke kehittää palveluja. Yhteistyö-hankkeen "
            "kanssa tehdään työtä.\n\nArjen tuki Kainuussa -hankkeen tulokset\n\nYhteyshenkilön nimi\n"
            "Maija Virta\n")
    (contact,) = attach_contacts(text, [Contact("Maija Virta", "yhteyshenkilö")],
                                 ["Arjen tuki Kainuussa", "Yhteistyö"])
    assert contact.project == "Arjen tuki Kainuussa"


def test_facts_round_trip_keeps_part_of() -> None:
    facts = Facts(amounts=(Amount("1 M€", 1e6, role="budget"), Amount("0,8 M€", 8e5, role="granted", part_of=0)))
    assert Facts.from_dict(facts.to_dict()) == facts


# --- the shipped corpus through the real extractor -----------------------------------------------


@pytest.fixture(scope="module")
def seeds(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict]:
    base = tmp_path_factory.mktemp("roles")
    settings = load_settings(index_dir=base / "index", corpus_dir=base / "corpus", n_process=1)
    docs, _ = extract_paths([PROJECT_ROOT / "corpus" / "seeds"], settings)
    return {Path(r["doc"]).stem[:3]: r for r in (gold_record(d) for d in docs)}


@pytest.mark.slow  # the spaCy pipeline over whole pages
def test_seed_money_roles(seeds: dict[str, dict]) -> None:
    (prima,) = seeds["000"]["amounts"]
    assert (prima["eur"], prima["role"], prima["region"], prima["year"]) == (2_600_000, "applied", "Pohjanmaa", "2022")
    assert prima["project"] == "Prima Botnia – Hyvinvoiva Pohjanmaa"
    (prima_sv,) = seeds["001"]["amounts"]
    assert (prima_sv["role"], prima_sv["project"]) == ("applied", "Prima Botnia – Välmående Österbotten")
    cost, grant = seeds["003"]["amounts"]
    assert (cost["eur"], cost["role"], cost["project"]) == (4_100_000, "cost", "Tulevaisuuden sote-keskus")
    assert (grant["eur"], grant["role"], grant["region"], grant["year"]) == (
        11_700_000, "granted", "Päijät-Häme", "2023-2025")


@pytest.mark.slow  # the spaCy pipeline over whole pages
def test_seed_contact_projects(seeds: dict[str, dict]) -> None:
    (satu,) = seeds["002"]["contacts"]
    assert (satu["name"], satu["project"]) == ("Satu Marjakangas", "RRF-Keski-Pohjanmaa")
    assert seeds["000"]["contacts"][0]["project"] is None  # the project office's head runs no one project
    by_name = {c["name"]: c["project"] for c in seeds["003"]["contacts"]}
    assert by_name["Katri Nousiainen"] == "Tulevaisuuden sote-keskus"
    assert by_name["Kati Honkanen"] == "Kohti"


@pytest.mark.slow  # the spaCy pipeline over whole pages
def test_seed_gold_roles_and_regions(seeds: dict[str, dict]) -> None:
    report = score(load_gold(LOCAL_SEED_GOLD), list(seeds.values()))
    data = report.to_dict()
    assert data["fields"]["amounts"]["f1"] == 1.0
    gold_amounts = [a for g in load_gold(LOCAL_SEED_GOLD).values() for a in g["amounts"]]
    ours = [a for r in seeds.values() for a in r["amounts"]]
    for g in gold_amounts:
        match = next(a for a in ours if abs(a["eur"] - g["eur"]) <= 0.005 * g["eur"] and a["text"] == g["text"])
        assert (match["role"], match["region"]) == (g["role"], g["region"]), g


def test_seed_003_project_of_each_sum_given_the_full_names() -> None:
    """With the page's full project names, each sum goes to its own project (names: entities.py)."""
    text = (PROJECT_ROOT / "corpus" / "seeds" / "003_98fa6ec4f8cc1730.txt").read_text(encoding="utf-8")
    names = json.loads((LOCAL_SEED_GOLD / "003_98fa6ec4f8cc1730.json").read_text(encoding="utf-8"))["projects"]
    amounts = attach_amounts(text, find_amounts(text), sentences(text), names, [], "Päijät-Häme")
    assert [(a.role, a.project) for a in amounts] == [
        ("cost", "Tulevaisuuden sote-keskus"),
        ("granted", "Kestävät ja vaikuttavat sote-palvelut Päijät-Hämeessä"),
    ]
    contacts = attach_contacts(text, [Contact("Ville Saloranta", "hankepäällikkö")], names)
    assert contacts[0].project == "Kestävät ja vaikuttavat sote-palvelut Päijät-Hämeessä"


def test_national_page_officials_answer_for_no_project() -> None:
    text = ("STM myönsi Arjen tuki -hankkeelle 900 000 euroa. Hankkeen koordinaattoriksi on valittu Laura "
            "Heikkinen, joka aloittaa työnsä pian.\n\nLisätietoja\n"
            "neuvotteleva virkamies Outi Ek, puh. 0295 163 000, outi.ek@stm.fi")
    contacts = [Contact("Outi Ek", "neuvotteleva virkamies"), Contact("Laura Heikkinen", "hankkeen koordinaattori")]
    got = [c.project for c in attach_contacts(text, contacts, ["Arjen tuki"], national=True)]
    assert got == [None, "Arjen tuki"]
    # the same official on the county's own page of its only project answers for it
    assert attach_contacts(text, contacts[:1], ["Arjen tuki"])[0].project == "Arjen tuki"


def test_contact_block_line_is_no_running_text() -> None:
    text = ("Kohti-hanke päättyi. Päijät-Koti-hanke jatkuu.\n\n"
            "Lisätietoja: projektipäällikkö Maija Virta, puh. 044 123 4567, maija.virta@phhyky.fi, vastaa kysymyksiin")
    (contact,) = attach_contacts(text, [Contact("Maija Virta", "projektipäällikkö")], ["Kohti", "Päijät-Koti"])
    assert contact.project is None  # two projects and nothing ties her to either


def test_national_sum_shared_by_several_counties_is_nobodys_alone() -> None:
    text = ("Kainuun, Lapin ja Pohjois-Pohjanmaan hyvinvointialueet kehittävät päivystystä yhdessä. "
            "Ministeriö myönsi yhteistyöalueen Pohjoinen päivystys -hankkeelle 1 000 000 euroa. "
            "Pohjois-Pohjanmaan osuus on 400 000 euroa, Lapin 250 000 euroa ja Kainuun 180 000 euroa.")
    amounts = _attach(text, ["Pohjoinen päivystys"], None, national=True)
    assert [(a.role, a.region) for a in amounts] == [
        ("granted", None), ("granted", "Pohjois-Pohjanmaa"), ("granted", "Lappi"), ("granted", "Kainuu")]
    assert {a.project for a in amounts} == {"Pohjoinen päivystys"}


def test_pot_shares_keep_their_own_county() -> None:
    text = ("Liitoilla on haussa käytettävissä yhteensä 14 miljoonaa euroa, josta Kainuun osuus on "
            "4,2 miljoonaa euroa, Lapin 5,1 miljoonaa euroa ja Pohjois-Pohjanmaan 4,7 miljoonaa euroa.")
    amounts = _attach(text, [], None, national=True)
    assert [(a.role, a.region) for a in amounts] == [
        ("pool", None), ("pool", "Kainuu"), ("pool", "Lappi"), ("pool", "Pohjois-Pohjanmaa")]
    assert [a.part_of for a in amounts] == [None, 0, 0, 0]


@pytest.mark.parametrize(
    ("text", "roles"),
    [
        ("Hankkeen budjetti vuosille 2024–2026 on 1,4 miljoonaa euroa.", ["budget"]),
        ("Hankkeeseen on budjetoitu 380 000 euroa.", ["budget"]),
        ("Kokonaisrahoitus on 2 miljoonaa euroa, josta EU:n osuus on 1,6 miljoonaa euroa.", ["budget","granted"]),
        ("Hankkeen kulut olivat 420 000 euroa.", ["cost"]),
        ("Vuoden 2023 toteuma oli 310 000 euroa.", ["cost"]),
        ("Hankkeessa on käytetty 1,2 miljoonaa euroa.", ["cost"]),
        ("Hanke saa Euroopan sosiaalirahastolta 650 000 euroa.", ["granted"]),
        ("ESR+-rahoitusta myönnettiin 540 000 euroa.", ["granted"]),
        ("EU-tukea hanke sai 300 000 euroa.", ["granted"]),
        ("Hyvinvointialue haki hankkeelle 750 000 euron avustusta.", ["applied"]),
        ("Rahoitushakemus, yhteensä 1,1 miljoonaa euroa, jätettiin maaliskuussa.", ["applied"]),
        ("Haettava avustus on 900 000 euroa.", ["applied"]),
        ("Aluehallitus päätti hakea 2,3 miljoonan euron valtionavustusta.", ["applied"]),
        ("Sairaanhoitajan tehtäväkohtainen palkka on 3 100 euroa kuukaudessa.", ["other"]),
        ("Palkkaus määräytyy SOTE-sopimuksen mukaan, 3 450 €/kk.", ["other"]),
        ("Asiakasmaksu on 20 euroa käynniltä.", ["other"]),
        ("Uusi toimintamalli säästää vuosittain noin 400 000 euroa.", ["other"]),
        ("Rakennushankkeen kustannusarvio on 45 miljoonaa euroa.", ["budget"]),
        ("Haun kokonaisbudjetti on 12 miljoonaa euroa.", ["pool"]),
        ("Yksittäiselle hankkeelle voidaan myöntää enintään 500 000 euroa.", ["pool"]),
        ("Ministeriö varasi ohjelmaan 20 miljoonaa euroa.", ["pool"]),
        ("Avustuksia myönnettiin yhteensä 16 hankkeelle, yhteensä 9,4 miljoonaa euroa.", ["pool"]),
        ("Projektet får 480 000 euro av Europeiska socialfonden.", ["granted"]),
        ("Välfärdsområdet har ansökt om 1,2 miljoner euro i statsunderstöd.", ["applied"]),
        ("Projektets budget uppgår till 800 000 euro.", ["budget"]),
        ("Projektets kostnader uppgick till 610 000 euro år 2023.", ["cost"]),
        ("Lönen är 3 300 euro i månaden.", ["other"]),
        ("Social- och hälsovårdsministeriet beviljade välfärdsområdet 2,1 miljoner euro.", ["granted"]),
        ("Inom utlysningen kan högst 300 000 euro beviljas per projekt.", ["pool"]),
        ("Sammanlagt fördelas 50 miljoner euro mellan välfärdsområdena.", ["pool"]),
        ("Välfärdsområdet står för självfinansieringsandelen på 120 000 euro.", ["budget"]),
        ("Understödet på 640 000 euro täcker 80 procent av kostnaderna.", ["granted"]),
        ("Hankkeelle on saatu rahoitusta 350 000 euroa Sitralta.", ["granted"]),
        ("Hanke rahoitetaan STM:n 1,1 miljoonan euron valtionavustuksella.", ["granted"]),
        ("Valtionavustuksen määrä on 760 000 euroa.", ["granted"]),
        ("Kaupunki myöntää yhdistykselle 15 000 euroa toiminta-avustusta.", ["granted"]),
    ],
)
def test_more_role_shapes(text: str, roles: list[str]) -> None:
    """Budgets, spending reports, applications in compounds, pay, ceilings per project, fi and sv."""
    assert roles_of(text) == roles


def test_list_rows_name_their_own_project_or_none() -> None:
    text = ("STM myönsi avustukset. Esimerkkejä myönnetyistä avustuksista:\n"
            "Kymsote, Kymenlaakson sote-keskus -hanke: 3 200 000 euroa\n"
            "Helsingin kaupunki, Sujuvat palvelut: 3 650 000 euroa")
    amounts = _attach(text, ["Kymenlaakson sote-keskus"], None, national=True)
    assert [a.project for a in amounts] == ["Kymenlaakson sote-keskus", None]
    card = "Arjen tuki Kainuussa\n\nArjen tuki Kainuussa kehittää perhetyötä.\nKesto: 2024–2025\nBudjetti: 840 000 €"
    (amount,) = _attach(card, ["Arjen tuki Kainuussa"], None, national=True)
    assert (amount.role, amount.project) == ("budget", "Arjen tuki Kainuussa")


@pytest.mark.parametrize(("text", "roles"), [
    # applied: participles without the double t, Swedish 'begär' / 'det sökta beloppet'
    ("Avustus 3,1 miljoonaa euroa on noin 85 prosenttia haetusta 3 650 000 eurosta.", ["granted", "applied"]),
    ("Välfärdsområdet begär 720 000 euro för projektet.", ["applied"]),
    # budget: compounds and own shares in Swedish definite forms, municipalities' shares
    ("Hankkeen kokonaislaajuus on 1 240 000 euroa.", ["budget"]),
    ("Projektets totalkostnad är 2,2 miljoner euro, varav den egna finansieringen är 0,2 miljoner euro.",
     ["budget", "budget"]),
    ("Kommunernas andel av försöket är 45 000 euro.", ["budget"]),
    ("Hankkeen kuntaosuus on 80 000 euroa.", ["budget"]),
    # own means for equipment are other money in both languages
    ("Välfärdsområdet har reserverat 150 000 euro av egna medel för utrustning.", ["other"]),
    # a pool: the counties' money together, a pot to hand out
    ("Kaikkiaan alueiden saama rahoitus on lähes 180 miljoonaa euroa.", ["pool"]),
    ("I potten finns 6 miljoner euro för hela programperioden.", ["pool"]),
    # granted: continuation money, EU support in compounds
    ("Hanke sai jatkorahoitusta 410 000 euroa.", ["granted"]),
    ("Projektets ESF-stöd är 380 000 euro.", ["granted"]),
])
def test_role_cues_beyond_the_seed_wording(text: str, roles: list[str]) -> None:
    assert roles_of(text) == roles


def test_a_list_of_county_grants_after_a_plural_subject_stays_granted() -> None:
    text = ("Hyvinvointialueet saivat rahoitusta seuraavasti: Kainuu 1 200 000 euroa, Lappi 2 300 000 euroa.")
    assert [(a.role, a.region) for a in _attach(text, [], None)] == [("granted", "Kainuu"), ("granted", "Lappi")]


def test_a_very_large_grant_without_a_project_is_a_total() -> None:
    text = ("Keväällä rahoitusta myönnettiin yhteensä noin 31 miljoonaa euroa. "
            "Kainuun hyvinvointialueelle myönnettiin 1,2 miljoonaa euroa Arki sujuvaksi -hankkeelle.")
    amounts = _attach(text, ["Arki sujuvaksi"], "Kainuu")
    assert [(a.role, a.project) for a in amounts] == [("pool", None), ("granted", "Arki sujuvaksi")]


def test_a_table_column_header_gives_each_row_its_role() -> None:
    """'Hanke | Haettu | Myönnetty' above rows of sums: each sum takes its own column's role (not the
    header's last cue for all), a cue in the sum's own cell wins, and label fields on the sum's own line
    ('Kustannusarvio: …', 'Totalbudget: …') keep working."""
    fi = ("Avustukset\n\nHanke | Haettu | Myönnetty\n\nMuistiluotsi | 80 000 € | 70 000 €\n\n"
          "Kotiapu | 81 000 € | myönnetty 71 000 €\n\nKustannusarvio: 160 000 euroa")
    assert roles_of(fi) == ["applied", "granted", "applied", "granted", "budget"]
    sv = "Projektnamn | Sökt | Beviljat\n\nMinnesguiden | 60 000 € | 50 000 €\n\nTotalbudget: 40 000 €"
    assert roles_of(sv) == ["applied", "granted", "budget"]
    # a header without a cue says nothing: the row's own words or the page decide
    plain = "Hanke | Summa\n\nMuistiluotsi | 90 000 €\n\nHankkeelle haettiin rahoitusta."
    assert roles_of(plain) == ["applied"]


@pytest.mark.parametrize(
    ("text", "roles"),
    [
        # a scope cue of another clause's sum ('koko maan … 18 M€') leaves this clause's grant a grant
        ("Kainuulle myönnettiin 640 000 euroa, kun koko maan hyvinvointialueille jaettiin yhteensä 18 miljoonaa "
         "euroa.", ["granted", "pool"]),
        # the number of a scope cue is never the tail of the sum ('1 435 050 euroa neljälle hankkeelle')
        ("Keskus on myöntänyt rahoitusta yhteensä 1 435 050 euroa neljälle hankkeelle.", ["pool"]),
        # a weak word gives way to a scope cue ('reserverat … för hela landet')
        ("För ändamålet har ministeriet reserverat sammanlagt 15 miljoner euro för hela landet.", ["pool"]),
        # a pot that could be handed out, beside an application verb
        ("Högst 30 miljoner euro kunde delas ut och 14 välfärdsområden sökte understöd.", ["pool"]),
        # a budget word after a percentage names the whole, not the sum
        ("Hankkeelle myönnettiin AIKO-rahoitusta 18 848 € (50 % kokonaiskustannuksista).", ["granted"]),
        ("Projektet beviljades 640 000 euro, vilket motsvarar 80 procent av de totala kostnaderna.", ["granted"]),
        # own shares written as shares or as taking part
        ("Tukea on myönnetty 310 000 euroa ja hyvinvointialueen oma osuus on 78 000 euroa.", ["granted", "budget"]),
        ("Kaupunki osallistuu hankkeen rahoitukseen 20 000 eurolla.", ["budget"]),
        ("Nokian ja Ylöjärven kaupungit maksavat yhteensä 18 000 euroa.", ["budget"]),
        ("Karleby stads andel är 60 000 €.", ["budget"]),
        # a partner county's part of a grant stays a grant
        ("Interreg on myöntänyt hankkeelle 1,2 miljoonaa euroa, josta Lapin hyvinvointialueen osuus on 468 000 "
         "euroa.", ["granted", "granted"]),
        # a relative clause with only a weak word speaks of its antecedent
        ("Kokeilu rahoitetaan Siun soten omasta kehittämisbudjetista, johon on varattu 95 000 euroa.", ["budget"]),
        # a difference between two sums is no money of its own
        ("Myönnetty avustus on 235 000 euroa haettua pienempi.", ["other"]),
        # staff costs are a line of the cost they are named in
        ("Suurin kustannuserä olivat henkilöstökulut, yhteensä 4 330 000 euroa.", ["cost"]),
    ],
)
def test_role_shapes_of_real_pages(text: str, roles: list[str]) -> None:
    assert roles_of(text) == roles


def test_parts_that_only_name_a_line_take_the_role_of_their_whole() -> None:
    text = ("Hankkeen toteutuneet kustannukset olivat 1 512 384 euroa. Niistä henkilöstökulujen osuus oli "
            "1 021 900 euroa ja laitteiden osuus 318 500 euroa.")
    assert roles_of(text) == ["cost", "cost", "cost"]
    # a part with a grant word of its own keeps it
    assert roles_of("Hankkeen kokonaisrahoitus on 390 000 euroa, josta valtionavustuksen osuus on 310 000 "
                    "euroa.") == ["budget", "granted"]


def test_list_items_under_a_lead_in_and_a_financing_plan_total() -> None:
    text = ("Projektets totala budget är 2 380 000 euro. Budgeten fördelas mellan partnerna så här:\n\n"
            "Österbottens välfärdsområde 1 120 000 euro\n\nMellersta Österbottens välfärdsområde 540 000 euro\n\n"
            "Region Västerbotten 720 000 euro")
    assert roles_of(text) == ["budget"] * 4
    plan = "Rahoitus\nESR+ 640 000 €\nValtion rahoitus 96 000 €\nOmarahoitus 64 000 €\nYhteensä 800 000 €"
    assert roles_of(plan) == ["granted", "granted", "budget", "budget"]


@pytest.mark.parametrize(
    ("text", "roles"),
    [
        # hiring is no pay ('palkkaamaan'), and 'saimme' is a grant
        ("Kun saimme 2,6 M€, pystyimme palkkaamaan kuusi uutta sairaanhoitajaa.", ["granted"]),
        ("Välfärdsområdets egen finansieringsandel är 0,4 miljoner euro.", ["budget"]),
        ("Projektet finansieras av Europeiska socialfonden plus (ESF+) med EUR 150 000; välfärdsområdets egen "
         "andel är EUR 37 500.", ["granted", "budget"]),
        ("Projektets kostnader blev 318 000 euro.", ["cost"]),
        # a count of projects before a compound ('neljää … kotoutumishanketta') makes a pot
        ("ELY-keskus rahoittaa neljää työkyky- ja kotoutumishanketta 2,6 miljoonalla eurolla.", ["pool"]),
        # a list item's own weak word gives way to the list's label
        ("Hankkeen kustannukset jakautuvat seuraavasti:\n\nHenkilöstökulut 300 000 euroa\n\nOstopalvelut 80 000 euroa",
         ["budget", "budget"]),
    ],
)
def test_role_shapes_of_real_pages_batch_two(text: str, roles: list[str]) -> None:
    assert roles_of(text) == roles


def test_field_labels_and_pots_at_one_s_disposal() -> None:
    # the field label before the sum beats the words after it
    assert roles_of("Budjetti: 400 000 € (EU- ja valtion rahoitus 80 %)") == ["budget"]
    assert roles_of("Beviljat belopp: 310 000 euro (ESF+)") == ["granted"]
    # 'finns till förfogande' is a pot, beside an application total
    assert roles_of("Det totala ansökningsbeloppet uppgick till 2 661 959 euro medan 2 miljoner euro finns till "
                    "förfogande.") == ["applied", "pool"]


def test_a_part_word_ends_the_whole_s_claim_on_the_cues_after_it() -> None:
    assert roles_of("Hankkeen arvioitu kokonaisbudjetti on noin 1,3 miljoonaa euroa, josta haetaan valtionavustusta "
                    "1 miljoona euroa.") == ["budget", "applied"]
    assert roles_of("Hankkeelle haettiin 1,3 miljoonaa euroa, josta myönnettiin 1 miljoona euroa.") == ["applied", "granted"]
    assert roles_of("Projektets kostnader täcks med statsunderstöd på 240 000 euro.") == ["granted"]


def test_a_label_s_granting_verb_beats_a_pot_noun() -> None:
    assert roles_of("Beviljade anslag:\n\nProjektet Framtidens social- och hälsocentral II 11,3 miljoner euro") == ["granted"]
    assert roles_of("Jaettava määräraha\n\n12 000 000 €") == ["pool"]
