"""Project records, money by role, the projects / contacts commands and their spreadsheet formats."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import replace

import pytest
from click.testing import CliRunner

from hakemisto.cli import main
from hakemisto.core.config import load_settings
from hakemisto.core.model import Amount, Contact, Document, Facts
from hakemisto.facts import projects as pj
from hakemisto.report.export import BOM, to_csv, to_xlsx
from hakemisto.report.fmt import format_eur
from hakemisto.search.records import load_projects
from tests.seed_index import KAINUU_FI, KAINUU_SV, S003, S003_COPY, build_seed_index, seed_documents

pytestmark = pytest.mark.slow  # extraction and project records over pages


@pytest.fixture(scope="module")
def records() -> pj.ProjectSet:
    return pj.build_projects(seed_documents())


@pytest.fixture(scope="module")
def settings(tmp_path_factory):
    root = tmp_path_factory.mktemp("projects")
    return build_seed_index(load_settings(index_dir=root / "index", report_dir=root / "runs"))


def named(records: pj.ProjectSet, prefix: str) -> pj.Project:
    return next(p for p in records.projects if p.name.startswith(prefix))


def test_one_record_per_project_across_languages_and_copies(records) -> None:
    prima = named(records, "Prima Botnia")
    assert prima.region == "Pohjanmaa" and "Prima Botnia – Välmående Österbotten" in prima.names
    assert prima.programmes == ("RRP",) and prima.period == "2022"
    assert prima.granted_eur == 0 and prima.total("applied") == 2_600_000  # fi + sv twin: one application
    assert {a.reason for a in prima.amounts} == {"applied"}
    [kainuu] = [p for p in records.projects if p.region == "Kainuu"]
    assert {"Kajanalands RRP-projekt", "Kainuun RRP-hanke"} == {kainuu.name, *kainuu.names}
    assert kainuu.granted_eur == 3_200_000 and kainuu.total("budget") == 500_000
    sv = next(a for a in kainuu.amounts if a.doc_id == KAINUU_SV)
    assert sv.reason == "same_twin" and sv.same_as == KAINUU_FI
    ph = named(records, "Kestävät ja vaikuttavat")
    assert ph.granted_eur == 11_700_000 and ph.period == "2023–2025" and ph.programmes == ("RRP",)
    assert {p.doc_id for p in ph.pages} == {S003, S003_COPY}
    sote = next(p for p in records.projects if p.name == "Tulevaisuuden sote-keskus" and p.region == "Päijät-Häme")
    assert sote.total("cost") == 4_100_000 and sote.granted_eur == 0
    assert records.region_total("Päijät-Häme") == 11_700_000 and records.region_total("Pohjanmaa") == 0


def _doc(doc_id: str, amounts: tuple[Amount, ...], *, projects=("Testihanke",), region="Kainuu", lang="fi",
         twin=None, duplicates=(), contacts=()) -> Document:
    return Document(id=doc_id, title=doc_id, paragraphs=("x",), lang=lang, region=region, twin=twin,
                    duplicates=duplicates, facts=Facts(amounts=amounts, projects=projects, region=region,
                                                       contacts=contacts))


def _a(text: str, eur: float, role: str | None, *, region="Kainuu", project="Testihanke", qualifier=None,
       year=None, sentence=None) -> Amount:
    return Amount(text, eur, role=role, region=region, project=project, qualifier=qualifier, year=year,
                  sentence=sentence)


def test_money_rules_each_exclusion_has_its_reason() -> None:
    whole = "Hanke sai 5 000 000 euroa, josta 1 000 000 euroa vuodelle 2023."
    docs = [
        _doc("a", (
            _a("1 498 000 euroa", 1_498_000, "granted", year="2024"),
            _a("1,5 miljoonaa euroa", 1_500_000, "granted", qualifier="noin", year="2024"),
            _a("2 M€", 2_000_000, "applied"),
            _a("3 M€", 3_000_000, "budget"),
            _a("40 M€", 40_000_000, "pool", region=None, project=None),
        )),
        _doc("b", (_a("5 000 000 euroa", 5_000_000, "granted", sentence=whole),
                   _a("1 000 000 euroa", 1_000_000, "granted", sentence=whole)), projects=("Toinen hanke",)),
    ]
    docs[1] = replace(docs[1], facts=replace(docs[1].facts, amounts=tuple(
        replace(a, project="Toinen hanke") for a in docs[1].facts.amounts)))
    records = pj.build_projects(docs)
    first = named(records, "Testihanke")
    reasons = {a.text: a.reason for a in first.amounts}
    assert reasons == {"1 498 000 euroa": None, "1,5 miljoonaa euroa": "same_rounded", "2 M€": "applied",
                       "3 M€": "budget"}
    assert [a.reason for a in records.loose] == ["pool"]
    second = named(records, "Toinen hanke")
    assert {a.text: a.reason for a in second.amounts} == {"5 000 000 euroa": None, "1 000 000 euroa": "part_of"}
    assert records.region_total("Kainuu") == 1_498_000 + 5_000_000
    assert pj.reason_text("same_rounded", "sv") == "samma stöd i avrundad form"
    assert pj.reason_text("part_of", "fi").startswith("osa suuremmasta")


def test_equal_grants_of_two_projects_both_count() -> None:
    docs = [_doc("a", (_a("1 M€", 1_000_000, "granted"),)),
            _doc("b", (_a("1 M€", 1_000_000, "granted", project="Muu hanke"),), projects=("Muu hanke",))]
    assert pj.build_projects(docs).region_total("Kainuu") == 2_000_000


def test_same_name_in_two_counties_is_two_projects() -> None:
    docs = [_doc("a", (_a("1 M€", 1_000_000, "granted", project="Tulevaisuuden sote-keskus"),),
                 projects=("Tulevaisuuden sote-keskus",)),
            _doc("b", (_a("2 M€", 2_000_000, "granted", region="Lappi", project="Tulevaisuuden sote-keskus"),),
                 projects=("Tulevaisuuden sote-keskus",), region="Lappi")]
    records = pj.build_projects(docs)
    assert sorted(p.region for p in records.projects) == ["Kainuu", "Lappi"]
    assert len({p.id for p in records.projects}) == 2


def test_contact_directory_merges_languages(records) -> None:
    jenny = next(p for p in records.people if p.name == "Jenny Björndahl-Öhman")
    assert set(jenny.titles) == {"hanketoimiston päällikkö", "chefen för projektbyrån"} and len(jenny.pages) == 2
    testi = next(p for p in records.people if p.name == "Testi Henkilö")
    assert testi.phone == "+358440000000" and testi.email == "testi.henkilo@example.org"
    assert testi.projects == (next(p for p in records.projects if p.region == "Kainuu").id,)
    assert testi.last_seen == "2023-05-02"


def test_babel_formatter_fi_sv() -> None:
    assert format_eur(11_700_000, "fi") == "11,7\u00a0milj.\u00a0€"
    assert format_eur(11_700_000, "sv") == "11,7\u00a0mn\u00a0€"
    assert format_eur(1_498_000, "fi", exact=True) == "1\u00a0498\u00a0000\u00a0€"
    assert format_eur(None) == "–"


def test_csv_and_xlsx_for_finnish_excel(tmp_path) -> None:
    from openpyxl import load_workbook

    header = ("county", "project", "granted_eur")
    rows = [["Kainuu", "=HYPERLINK(\"http://x\")", 1_498_000], ["Lappi", "@SUM(A1)", 2_600_000.5],
            ["Pohjanmaa", "+358401234567", 0], ["Helsinki", "+46812345678", 1]]
    text = to_csv(header, rows)
    assert text.startswith(BOM)
    parsed = list(csv.reader(io.StringIO(text[1:]), delimiter=";"))
    assert parsed[0] == list(header)
    assert parsed[1] == ["Kainuu", "'=HYPERLINK(\"http://x\")", "1498000"]
    assert parsed[2] == ["Lappi", "'@SUM(A1)", "2600000,5"]
    # A Finnish phone in its national form (no apostrophe, not a number); a foreign one stays guarded.
    assert parsed[3][1] == "040 1234567" and parsed[4][1] == "'+46812345678"
    path = tmp_path / "p.xlsx"
    path.write_bytes(to_xlsx(header, rows, euro_columns=(2,)))
    ws = load_workbook(path).active
    assert [c.value for c in ws[1]] == list(header)
    assert ws["C2"].value == 1_498_000 and isinstance(ws["C2"].value, int) and ws["C2"].data_type == "n"
    # Typed text cells: Excel never evaluates them, so the text stays exact (no apostrophe).
    assert ws["B2"].value == '=HYPERLINK("http://x")' and ws["B2"].data_type == "s"
    assert ws["B4"].value == "+358401234567" and ws["B4"].data_type == "s"


def test_cli_projects_formats(settings, tmp_path) -> None:
    runner = CliRunner()
    base = ["--index-dir", str(settings.index_dir)]
    table = runner.invoke(main, ["projects", "--programme", "rrp", *base])
    assert table.exit_code == 0, table.output
    assert "Kestävät ja vaikuttavat sote-palvelut Päijät-Hämeessä" in table.output and "11,7 milj. €" in table.output
    data = json.loads(runner.invoke(main, ["projects", "--region", "Österbotten", "--json", *base]).output)
    prima = next(p for p in data["projects"] if p["name"].startswith("Prima"))
    assert prima["granted_eur"] == 0 and prima["applied_eur"] == 2_600_000
    out = tmp_path / "rrp.csv"
    result = runner.invoke(main, ["projects", "--programme", "RRP", "--format", "csv", "--output", str(out), *base])
    assert result.exit_code == 0, result.output
    raw = out.read_bytes()
    assert raw.startswith(BOM.encode("utf-8"))
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))
    ph = next(r for r in rows if r["project"].startswith("Kestävät"))
    assert ph["county"] == "Päijät-Häme" and ph["granted_eur"] == "11700000" and ph["period"] == "2023–2025"
    xlsx = tmp_path / "rrp.xlsx"
    assert runner.invoke(main, ["projects", "--format", "xlsx", "--output", str(xlsx), *base]).exit_code == 0
    from openpyxl import load_workbook

    ws = load_workbook(xlsx).active
    values = {r[1]: r[4] for r in ws.iter_rows(min_row=2, values_only=True)}
    assert values["Kestävät ja vaikuttavat sote-palvelut Päijät-Hämeessä"] == 11_700_000
    bad = runner.invoke(main, ["projects", "--programme", "RRPP", *base])
    assert bad.exit_code != 0 and "did you mean 'RRP'" in bad.output and "Traceback" not in bad.output
    assert "--output" in runner.invoke(main, ["projects", "--format", "xlsx", *base]).output


def test_cli_contacts(settings) -> None:
    runner = CliRunner()
    base = ["--index-dir", str(settings.index_dir)]
    result = runner.invoke(main, ["contacts", "--region", "Keski-Pohjanmaa", "--json", *base])
    assert result.exit_code == 0, result.output
    people = json.loads(result.output)
    assert [p["name"] for p in people] == ["Satu Marjakangas"]
    assert people[0]["email"] == "satu.marjakangas@soite.fi"
    kainuu = json.loads(runner.invoke(main, ["contacts", "--project", "Kajanalands RRP", "--json", *base]).output)
    assert [p["name"] for p in kainuu] == ["Testi Henkilö"]
    text = runner.invoke(main, ["contacts", "--csv", *base]).output
    assert text.startswith(BOM) and "Satu Marjakangas" in text
    missing = runner.invoke(main, ["contacts", "--project", "Ei ole olemassa", *base])
    assert missing.exit_code != 0 and "no project matches" in missing.output


def test_records_are_stored_and_follow_a_changed_page(tmp_path) -> None:
    """Real ingest: the records land next to the index and a changed page updates its project."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    page = corpus / "kainuu_fi.txt"
    page.write_text("Kainuun hyvinvointialueen Etähoito Kainuussa -hanke sai 300 000 euroa valtionavustusta.\n",
                    encoding="utf-8")
    settings = load_settings(index_dir=tmp_path / "index", report_dir=tmp_path / "runs")
    from hakemisto.jobs.pipeline import ingest_paths

    ingest_paths([str(corpus)], settings)
    assert pj.projects_path(settings.index_dir).exists() and pj.is_current(settings.index_dir)
    first = load_projects(settings)
    assert first.documents == 1
    page.write_text("Kainuun hyvinvointialueen Etähoito Kainuussa -hanke sai 450 000 euroa valtionavustusta.\n",
                    encoding="utf-8")
    ingest_paths([str(corpus)], settings)
    euros = {a.eur for p in load_projects(settings).projects for a in p.amounts} | {a.eur for a in load_projects(settings).loose}
    assert 450_000 in euros and 300_000 not in euros


def test_contact_attached_to_the_only_project_of_a_page() -> None:
    doc = _doc("a", (_a("1 M€", 1_000_000, "granted"),),
               contacts=(Contact("Maija Malli", "projektipäällikkö", phone="+358401111111"),))
    record = pj.build_projects([doc]).projects[0]
    assert record.lead_contact is not None and record.lead_contact.name == "Maija Malli"


def test_joint_project_and_county_named_in_the_name() -> None:
    """One page granting one project money for several counties is one joint project (no county,
    never in a county total); a name that names a county is that county's project."""
    joint = _doc("release", (
        _a("1,2 M€", 1_200_000, "granted", region="Helsinki", project="Yhteinen sosiaalipäivystys"),
        _a("410 000 euroa", 410_000, "granted", region="Helsinki", project="Yhteinen sosiaalipäivystys"),
        _a("320 000 euroa", 320_000, "granted", region="Länsi-Uusimaa", project="Yhteinen sosiaalipäivystys"),
        _a("3 M€", 3_000_000, "granted", region="Helsinki", project="Kymenlaakson Tulevaisuuden sote-keskus"),
    ), projects=("Yhteinen sosiaalipäivystys", "Kymenlaakson Tulevaisuuden sote-keskus"), region="Helsinki")
    records = pj.build_projects([joint])
    shared = named(records, "Yhteinen")
    assert shared.region is None and set(shared.regions) == {"Helsinki", "Länsi-Uusimaa"}
    assert shared.granted_eur == 1_200_000
    assert sorted(a.reason or "" for a in shared.amounts) == ["", "part_of", "part_of"]
    kymi = named(records, "Kymenlaakson")
    assert kymi.region == "Kymenlaakso" and kymi.granted_eur == 0
    assert [a.reason for a in kymi.amounts] == ["other_region"]
    assert records.region_total("Helsinki") == 0 and records.region_total("Kymenlaakso") == 0
    assert pj.name_region("RRF-Keski-Pohjanmaa") == "Keski-Pohjanmaa"


def test_national_release_grant_to_a_county_without_a_project_name() -> None:
    """A ministry release of one programme lists grants per county: each is that county's project in
    the programme, and joins the county's own project of that programme."""
    from hakemisto.core.model import ProjectMention

    release = Document(id="stm", title="STM", paragraphs=("x",), lang="fi", region=None, facts=Facts(
        programmes=("Tulevaisuuden sote-keskus",), amounts=(
            Amount("4 250 000 euroa", 4_250_000, role="granted", region="Kanta-Häme"),
            Amount("3 200 000 euroa", 3_200_000, role="granted", region="Lappi"),
            Amount("120 M€", 120_000_000, role="pool"))))
    county = _doc("lappi", (), projects=("Lapin sote-keskus lähellä",), region="Lappi")
    county = replace(county, facts=replace(county.facts, project_mentions=(
        ProjectMention("Lapin sote-keskus lähellä", programmes=("Tulevaisuuden sote-keskus",)),)))
    records = pj.build_projects([release, county])
    kanta = next(p for p in records.projects if p.region == "Kanta-Häme")
    assert kanta.name == "Tulevaisuuden sote-keskus Kanta-Häme" and kanta.granted_eur == 4_250_000
    lappi = next(p for p in records.projects if p.region == "Lappi")
    assert lappi.name == "Lapin sote-keskus lähellä" and lappi.granted_eur == 3_200_000
    assert [a.reason for a in records.loose] == ["pool"]


def test_a_share_of_a_grant_is_a_part_also_when_the_whole_is_on_another_page() -> None:
    share = "Lieksan osuus hankkeen rahoituksesta on noin 250 000 euroa."
    both = "Hankkeen rahoitus on 4,18 miljoonaa euroa, ja siitä etävastaanottojen osuus on noin 300 000 euroa."
    docs = [
        _doc("a", (_a("2 130 000 euroa", 2_130_000, "granted", sentence="Hanke sai 2 130 000 euroa."),)),
        _doc("b", (_a("250 000 euroa", 250_000, "granted", sentence=share),
                   _a("4,18 miljoonaa euroa", 4_180_000, "granted", sentence=both),
                   _a("300 000 euroa", 300_000, "granted", sentence=both))),
    ]
    record = named(pj.build_projects(docs), "Testihanke")
    reasons = {a.text: a.reason for a in record.amounts}
    assert reasons["250 000 euroa"] == reasons["300 000 euroa"] == "part_of"
    assert reasons["4,18 miljoonaa euroa"] is None  # the whole's own clause says no share
    # a share with no larger grant known is the project's only grant figure: it counts
    alone = named(pj.build_projects([_doc("c", (_a("250 000 euroa", 250_000, "granted", sentence=share),))]),
                  "Testihanke")
    assert alone.granted_eur == 250_000


@pytest.mark.parametrize("name, verdict", [
    ("Lieksan osuus", True), ("Vasas andel", True), ("Vårdgarantin", True),
    ("Hoitotakuu", False), ("Arjen tuki", False), ("KOHTI", False),
])
def test_shares_and_inflected_common_words_are_no_project_names(name: str, verdict: bool) -> None:
    assert pj._not_a_name(name) is verdict


def test_partner_shares_of_a_lead_countys_grant_keep_the_project_the_leads() -> None:
    line = "Myönnetty rahoitus: 1,05 milj. €, josta Kainuun osuus 210 000 € ja Lapin osuus 260 000 €"
    amounts = (_a("1,05 milj. €", 1_050_000, "granted", region="Pohjois-Pohjanmaa", sentence=line),
               replace(_a("210 000 €", 210_000, "granted", sentence=line), part_of=0),
               replace(_a("260 000 €", 260_000, "granted", region="Lappi", sentence=line), part_of=0))
    record = named(pj.build_projects([_doc("card", amounts, region="Pohjois-Pohjanmaa")]), "Testihanke")
    assert record.region == "Pohjois-Pohjanmaa" and record.granted_eur == 1_050_000
    # with no lead county on the page, one grant for several counties is a joint project (no county)
    joint = (_a("1,2 M€", 1_200_000, "granted", region="Helsinki"), _a("410 000 €", 410_000, "granted",
             region="Länsi-Uusimaa"))
    assert named(pj.build_projects([_doc("j", joint, region=None)]), "Testihanke").region is None


def test_names_that_are_only_a_county_and_one_programme_are_one_project() -> None:
    """'Itä-Uudenmaan kestävän kasvun' (-hanke) on a Finnish minute and 'Östra Nylands projekt för hållbar
    tillväxt' on a Swedish one are the county's one RRP project: the application and the grant meet in one
    record; a project with a name of its own stays apart."""
    assert pj._programme_named("Itä-Uudenmaan kestävän kasvun") == {"RRP"}
    assert pj._programme_named("Östra Nylands projekt för hållbar tillväxt") == {"RRP"}
    assert not pj._programme_named("Hemvård på distans")
    fi = _doc("hallitus", (_a("2 986 000 euroa", 2_986_000, "applied", region="Itä-Uusimaa",
                              project="Itä-Uudenmaan kestävän kasvun"),),
              projects=("Itä-Uudenmaan kestävän kasvun",), region="Itä-Uusimaa")
    sv = _doc("styrelsen", (
        _a("2 687 400 euro", 2_687_400, "granted", region="Itä-Uusimaa",
           project="Östra Nylands projekt för hållbar tillväxt"),
        _a("410 000 euro", 410_000, "granted", region="Itä-Uusimaa", project="Hemvård på distans"),
    ), projects=("Östra Nylands projekt för hållbar tillväxt", "Hemvård på distans"), region="Itä-Uusimaa",
        lang="sv")
    records = pj.build_projects([fi, sv])
    assert len(records.projects) == 2
    rrp = named(records, "Itä-Uudenmaan")
    assert rrp.granted_eur == 2_687_400 and rrp.total("applied") == 2_986_000
    assert "Östra Nylands projekt för hållbar tillväxt" in rrp.names
    assert named(records, "Hemvård").granted_eur == 410_000


def test_acronym_long_form_lead_county_and_twin_sums() -> None:
    """'OMA – Omahoidon mallit arkeen' has the acronym OMA; a lead partner's project is its county's, the
    partners' sums do not make it joint; twin pages giving one sum to a project name the same project."""
    assert pj._split_acronym("OMA – Omahoidon mallit arkeen") == ("OMA – Omahoidon mallit arkeen", ("OMA",))
    assert pj._split_acronym("Hyvinvoiva perhe – Itä-Uusimaa")[1] == ()
    assert pj.name_region("RRF-Mellersta Österbotten") == "Keski-Pohjanmaa"
    from hakemisto.core.model import ProjectMention

    lead = _doc("aurora", (
        _a("1 547 000 euro", 1_547_000, "granted", region="Pohjanmaa", project="DigiRehab Aurora"),
        _a("540 000 euro", 540_000, "granted", region="Keski-Pohjanmaa", project="DigiRehab Aurora"),
    ), projects=("DigiRehab Aurora",), region="Pohjanmaa", lang="sv")
    lead = replace(lead, facts=replace(lead.facts, project_mentions=(
        ProjectMention("DigiRehab Aurora", lead="Österbottens välfärdsområde"),)))
    aurora = pj.build_projects([lead]).projects[0]
    assert aurora.region == "Pohjanmaa"
    fi = _doc("ely_fi", (_a("412 300 euroa", 412_300, "granted", region="Pohjanmaa", project="Työkyky fokukseen"),
                         _a("538 000 euroa", 538_000, "granted", region="Pohjanmaa", project="Nuoret mukaan")),
              projects=("Työkyky fokukseen", "Nuoret mukaan"), region="Pohjanmaa", twin="ely_sv")
    sv = _doc("ely_sv", (_a("412 300 euro", 412_300, "granted", region="Pohjanmaa", project="Arbetsförmåga i fokus"),
                         _a("538 000 euro", 538_000, "granted", region="Pohjanmaa", project="Unga med")),
              projects=("Arbetsförmåga i fokus", "Unga med"), region="Pohjanmaa", lang="sv", twin="ely_fi")
    records = pj.build_projects([fi, sv])
    assert len(records.projects) == 2
    work = named(records, "Työkyky")
    assert "Arbetsförmåga i fokus" in work.names and work.granted_eur == 412_300


def test_a_county_pages_programme_named_project_joins_only_a_project_of_that_programme_alone() -> None:
    from hakemisto.core.model import ProjectMention

    minute = _doc("minute", (_a("3 456 200 euroa", 3_456_200, "granted", region="Etelä-Karjala",
                                project="Eksoten RRP-hanke"),),
                  projects=("Eksoten RRP-hanke",), region="Etelä-Karjala")
    news = _doc("news", (_a("2 612 000 euroa", 2_612_000, "granted", region="Etelä-Karjala", project="Lähellä sinua"),),
                projects=("Lähellä sinua",), region="Etelä-Karjala")
    news = replace(news, facts=replace(news.facts, project_mentions=(
        ProjectMention("Lähellä sinua", programmes=("RRP", "Tulevaisuuden sote-keskus")),)))
    records = pj.build_projects([minute, news])
    assert sorted(p.granted_eur for p in records.projects) == [2_612_000, 3_456_200]
