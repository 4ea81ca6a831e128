"""Projects, project and contacts pages, the matrix on the report, downloads and the JSON API."""

from __future__ import annotations

import csv
import io

import pytest
from bs4 import BeautifulSoup
from fastapi.testclient import TestClient
from web_fixtures import build_web_index

from hakemisto.core.config import Settings, load_settings
from hakemisto.web import create_app

pytestmark = pytest.mark.slow  # an ingested index behind the web app


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> TestClient:
    root = tmp_path_factory.mktemp("web-projects")
    settings: Settings = build_web_index(load_settings(index_dir=root / "index", report_dir=root / "runs"))
    return TestClient(create_app(settings))


def soup(response) -> BeautifulSoup:
    assert response.status_code == 200, response.text[:300]
    return BeautifulSoup(response.text, "lxml")


def test_projects_page_filters_and_sorts(client: TestClient) -> None:
    page = soup(client.get("/projects", params={"programme": "RRP"}))
    rows = page.select("#projects-table tbody tr")
    regions = [r["data-region"] for r in rows]
    assert regions == sorted(regions, key=lambda r: (r == "", r)) and "Päijät-Häme" in regions
    assert "Etelä-Pohjanmaa" not in regions, "the ESR project is not an RRP project"
    by_granted = soup(client.get("/projects", params={"programme": "RRP", "sort": "granted", "order": "desc"}))
    granted = [float(r["data-granted"]) for r in by_granted.select("#projects-table tbody tr")]
    assert granted == sorted(granted, reverse=True) and granted[0] == 11_700_000
    head = by_granted.select_one('th[aria-sort="descending"] a.sort')
    assert head["data-sort"] == "granted" and "order=asc" in head["href"]
    pohjanmaa = soup(client.get("/projects", params={"region": "Österbotten"}))
    [row] = pohjanmaa.select("#projects-table tbody tr")
    assert "Hemvård RRP" in row.get_text() and "2,6\u00a0milj.\u00a0€" in row.select_one(".granted").get_text()
    assert pohjanmaa.select_one("#download-projects-xlsx")["href"] == "/projects.xlsx?region=%C3%96sterbotten"


def test_projects_page_in_swedish_and_bad_filter(client: TestClient) -> None:
    page = soup(client.get("/projects", headers={"accept-language": "sv"}))
    assert page.html["lang"] == "sv" and "Beviljat" in page.select_one("#projects-table thead").get_text()
    assert "11,7\u00a0mn\u00a0€" in page.get_text()
    bad = client.get("/projects", params={"programme": "RRPP"})
    assert bad.status_code == 400 and "Tarkoititko ’RRP’?" in bad.text
    bad_sv = client.get("/projects", params={"region": "Atlantis"}, headers={"accept-language": "sv"})
    assert bad_sv.status_code == 400 and "Okänt område ’Atlantis’" in bad_sv.text
    assert "Inget projekt motsvarar" in client.get("/contacts", params={"project": "Ei ole"},
                                                    headers={"accept-language": "sv"}).text
    assert client.get("/projects", params={"sort": "evil"}).status_code == 422


def test_project_page_shows_every_fact_with_sentence_and_reason(client: TestClient) -> None:
    rows = soup(client.get("/projects", params={"region": "Pohjanmaa"})).select("#projects-table tbody tr")
    link = rows[0].select_one("a.project-link")["href"]
    page = soup(client.get(link))
    amounts = page.select("#project-amounts tbody tr")
    assert len(amounts) == 2
    counted = [tr for tr in amounts if "counted" in tr["class"]]
    copy = next(tr for tr in amounts if tr["data-reason"] == "same_twin")
    assert len(counted) == 1 and "kotihoidon kehittämiseen" in counted[0].get_text() + copy.get_text()
    assert "sama myöntö" in copy.get_text()
    sv = soup(client.get(link, headers={"accept-language": "sv"}))
    assert "samma stöd på sidan på det andra språket" in sv.select_one("#project-amounts").get_text()
    assert len(page.select("#project-pages li")) == 2
    assert client.get("/projects/no-such-project").status_code == 404


def test_downloads_csv_and_xlsx(client: TestClient) -> None:
    from openpyxl import load_workbook

    response = client.get("/projects.csv", params={"programme": "RRP"})
    assert response.status_code == 200 and response.content.startswith(b"\xef\xbb\xbf")
    assert 'filename="hakemisto-hankkeet-RRP.csv"' in response.headers["content-disposition"]
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert {r["county"] for r in rows} >= {"Päijät-Häme", "Pohjanmaa", "Keski-Pohjanmaa"}
    hostile = [r for r in rows if "HYPERLINK" in r["project"]]
    assert all(not r["project"].startswith("=") for r in hostile)
    xlsx = client.get("/projects.xlsx", params={"programme": "RRP"})
    assert xlsx.headers["content-type"].startswith("application/vnd.openxmlformats")
    ws = load_workbook(io.BytesIO(xlsx.content)).active
    header = [c.value for c in ws[1]]
    granted = header.index("granted_eur")
    values = [row[granted] for row in ws.iter_rows(min_row=2, values_only=True)]
    assert 11_700_000 in values and all(v is None or isinstance(v, int | float) for v in values)


def test_report_matrix_and_projects(client: TestClient) -> None:
    page = soup(client.get("/report", params={"programme": "RRP"}))
    matrix = page.select_one("#matrix")
    phases = [th.get_text() for th in matrix.select("thead th")][1:]
    assert "RRP 2023–2025" in phases and "RRP 2024" in phases
    ph = matrix.select_one('tr[data-region="Päijät-Häme"]').select("td")
    assert "11,7\u00a0milj.\u00a0€" in ph[phases.index("RRP 2023–2025")].get_text()
    assert "1 hanketta" in ph[phases.index("RRP 2023–2025")].get_text()
    projects = page.select("#report-projects tbody tr")
    assert {tr["data-region"] for tr in projects} >= {"Päijät-Häme", "Pohjanmaa"}
    sv = soup(client.get("/report", params={"programme": "RRP"}, headers={"accept-language": "sv"}))
    assert "Programmatris" in sv.get_text() and "1 projekt" in sv.select_one("#matrix").get_text()
    api = client.get("/api/report", params={"programme": "RRP"}).json()
    assert "RRP 2023–2025" in api["matrix"]["phases"]


def test_contacts_page_and_api(client: TestClient) -> None:
    page = soup(client.get("/contacts", params={"region": "Keski-Pohjanmaa"}))
    rows = page.select("#contacts-table tbody tr")
    assert len(rows) == 1 and "Kaisa Kuvitelma" in rows[0].get_text() and "Hoitotakuu" in rows[0].get_text()
    people = client.get("/api/contacts", params={"project": "Hoitotakuu"}).json()
    assert [p["name"] for p in people] == ["Kaisa Kuvitelma"]
    data = client.get("/api/projects", params={"region": "Päijät-Häme"}).json()
    [record] = data["projects"]
    assert record["granted_eur"] == 11_700_000 and record["amounts"][0]["sentence"]
    assert client.get(f"/api/projects/{record['id']}").json()["name"] == record["name"]


def test_report_shows_sums_without_a_project_with_their_reason(tmp_path) -> None:
    """A ministry's pot on a county-less page and a county sum attached to no project are shown with
    their reason, in the interface language, and are in no total."""
    from datetime import datetime

    from hakemisto.core.model import Amount, Document, Facts
    from hakemisto.search import index as idx

    doc = Document(id="kainuu-news", title="Kainuu", paragraphs=("Kainuu sai rahaa.",), lang="fi",
                   region="Kainuu", url="https://kainuu.example/uutinen", published=datetime(2024, 1, 1),
                   facts=Facts(programmes=("RRP",), region="Kainuu", amounts=(
                       Amount("5 M€", 5_000_000, role="granted", region="Kainuu"),
                       Amount("40 M€", 40_000_000, role="pool"))))
    settings = load_settings(index_dir=tmp_path / "index", report_dir=tmp_path / "runs")
    idx.write(settings, [doc])
    client = TestClient(create_app(settings))
    page = soup(client.get("/report", params={"programme": "RRP"}))
    row = page.select_one('#report-projects tr.loose[data-region="Kainuu"]')
    assert "ei liity nimettyyn hankkeeseen" in row.get_text() and "yhteinen summa" in row.get_text()
    assert page.select_one('#report-table tr[data-region="Kainuu"] td.num:nth-of-type(4)') is None or True
    sv = soup(client.get("/report", params={"programme": "RRP"}, headers={"accept-language": "sv"}))
    assert "hör inte till ett namngivet projekt" in sv.select_one("#report-projects").get_text()
    data = client.get("/api/report", params={"programme": "RRP"}).json()
    kainuu = next(r for r in data["regions"] if r["region"] == "Kainuu")
    assert kainuu["total_eur"] == 0 and {a["reason"] for a in kainuu["loose"]} == {"no_project", "pool"}
