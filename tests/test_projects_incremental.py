"""Project records are updated incrementally at ingest: a changed page rebuilds only its county's projects.

Three invented county pages (Kainuu, Lappi, Pohjois-Savo), ingested for real (spaCy, rules, index).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from hakemisto.core.config import load_settings
from hakemisto.facts import projects as pj
from hakemisto.jobs.pipeline import ingest_paths
from hakemisto.search.records import load_projects

pytestmark = pytest.mark.slow  # runs the spaCy pipeline

PAGES = {
    "kainuu_arki.txt": (
        "Arjen tuki Kainuussa -hanke sai rahoitusta\n\n"
        "Sosiaali- ja terveysministeriö on myöntänyt Kainuun hyvinvointialueen Arjen tuki Kainuussa "
        "-hankkeelle valtionavustusta {eur} euroa vuosille 2024–2025.\n\n"
        "Lisätietoja: hankepäällikkö Aino Kallio, puh. 044 700 1111, aino.kallio@kainuu.fi\n"),
    "lappi_tunturi.txt": (
        "Tunturin hoiva -hanke käynnistyi\n\n"
        "Lapin hyvinvointialueen Tunturin hoiva -hankkeelle on myönnetty valtionavustusta "
        "640 000 euroa vuodelle 2024.\n\n"
        "Lisätietoja: projektipäällikkö Veli Paananen, puh. 040 700 2222\n"),
    "pohjoissavo_kotona.txt": (
        "Kotona Savossa -hanke etenee\n\n"
        "Pohjois-Savon hyvinvointialueen Kotona Savossa -hankkeelle myönnettiin valtionavustusta "
        "1 100 000 euroa vuosille 2023–2025.\n\n"
        "Lisätietoja: projektijohtaja Sanna Räsänen, puh. 050 700 3333\n"),
}


def _write(root: Path, kainuu_eur: str) -> None:
    root.mkdir(exist_ok=True)
    for name, text in PAGES.items():
        (root / name).write_text(text.format(eur=kainuu_eur), encoding="utf-8")


def _stored(settings) -> dict:
    return json.loads(pj.projects_path(settings.index_dir).read_text(encoding="utf-8"))


def test_changed_page_updates_its_project_and_nothing_else(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    settings = load_settings(index_dir=tmp_path / "index", report_dir=tmp_path / "runs")
    _write(corpus, "1 200 000")
    ingest_paths([str(corpus)], settings)
    first = _stored(settings)
    by_region = {p["region"]: p for p in first["projects"]}
    assert set(by_region) == {"Kainuu", "Lappi", "Pohjois-Savo"}
    assert pj.ProjectSet.from_dict(first).region_total("Kainuu") == 1_200_000

    # an unchanged corpus: the stored records stay byte for byte what they were
    before = pj.projects_path(settings.index_dir).read_bytes()
    ingest_paths([str(corpus)], settings)
    assert pj.projects_path(settings.index_dir).read_bytes() == before

    # Kainuu's page changes its grant: Kainuu's record follows, the other counties' are untouched
    _write(corpus, "1 350 000")
    ingest_paths([str(corpus)], settings)
    second = _stored(settings)
    after = {p["region"]: p for p in second["projects"]}
    records = pj.ProjectSet.from_dict(second)
    assert records.region_total("Kainuu") == 1_350_000
    assert after["Lappi"] == by_region["Lappi"] and after["Pohjois-Savo"] == by_region["Pohjois-Savo"]
    assert after["Kainuu"]["id"] == by_region["Kainuu"]["id"]

    # the incremental records equal a full build from the same documents
    from hakemisto.search import index as idx

    full = pj.build_projects(idx.iter_documents(settings))
    assert [p.to_dict() for p in full.projects] == [p.to_dict() for p in records.projects]
    assert full.people == records.people


def test_update_rebuilds_only_the_touched_counties(tmp_path: Path) -> None:
    from hakemisto.search import index as idx

    corpus = tmp_path / "corpus"
    settings = load_settings(index_dir=tmp_path / "index", report_dir=tmp_path / "runs")
    _write(corpus, "1 200 000")
    ingest_paths([str(corpus)], settings)
    stored = load_projects(settings)
    docs = list(idx.iter_documents(settings))
    kainuu = next(d for d in docs if d.id.endswith("kainuu_arki.txt"))
    _records, scope = pj.update(stored, docs, {kainuu.id}, {kainuu.id: kainuu})
    assert scope == {"Kainuu"}
    # a removed page takes its project with it and leaves the others
    rest = [d for d in docs if d.id != kainuu.id]
    records, scope = pj.update(stored, rest, {kainuu.id}, {kainuu.id: kainuu})
    assert scope == {"Kainuu"}
    assert {p.region for p in records.projects} == {"Lappi", "Pohjois-Savo"}
    assert "Aino Kallio" not in {p.name for p in records.people}
