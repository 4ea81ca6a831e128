"""The real Finnish model + rules, scored against the seed gold and the fixture-page gold."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from hakemisto.core.config import PROJECT_ROOT, load_settings
from hakemisto.core.model import Document
from hakemisto.evaluation.evaluate import load_gold, score
from hakemisto.facts.entities import annotate, gold_record
from hakemisto.jobs.pipeline import extract_paths

pytestmark = pytest.mark.slow  # the spaCy pipeline over the seeds

SHARED_GOLD = PROJECT_ROOT.parent / "shared" / "gold" / "seeds"
LOCAL_GOLD = Path(__file__).parent / "gold"
PAGES = Path(__file__).parent / "fixtures" / "pages"
FLOOR_FIELDS = ("funders", "programmes", "amounts", "contacts")


@pytest.fixture(scope="session")
def extracted(tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[dict]]:
    """Seeds and fixture pages through the whole extractor once per session."""
    base = tmp_path_factory.mktemp("extract")
    settings = load_settings(index_dir=base / "index", corpus_dir=base / "corpus", n_process=1)
    seeds, _ = extract_paths([PROJECT_ROOT / "corpus" / "seeds"], settings)
    pages, _ = extract_paths([PAGES], settings)
    return {"seeds": [gold_record(d) for d in seeds], "pages": [gold_record(d) for d in pages]}


def _assert_floors(report) -> None:
    for field in FLOOR_FIELDS:
        assert report.fields[field].f1 >= 0.95, (field, report.to_dict())
    for field in ("phone", "email", "region", "lang"):
        assert report.accuracy[field].value == 1.0, (field, report.to_dict())


def test_seed_floors_local_gold(extracted: dict) -> None:
    _assert_floors(score(load_gold(LOCAL_GOLD / "seeds"), extracted["seeds"]))


@pytest.mark.skipif(not SHARED_GOLD.is_dir(), reason="shared gold directory absent")
def test_seed_floors_shared_gold(extracted: dict) -> None:
    report = score(load_gold(SHARED_GOLD), extracted["seeds"])
    _assert_floors(report)
    assert report.accuracy["twin"].value == 1.0


def test_fixture_pages_gold(extracted: dict) -> None:
    report = score(load_gold(LOCAL_GOLD / "pages"), extracted["pages"])
    _assert_floors(report)
    assert report.accuracy["twin"].value == 1.0


def test_swedish_scored_separately(extracted: dict) -> None:
    gold = {k: v for k, v in load_gold(LOCAL_GOLD / "pages").items() if v["lang"] == "sv"}
    gold |= {k: v for k, v in load_gold(LOCAL_GOLD / "seeds").items() if v["lang"] == "sv"}
    report = score(gold, extracted["pages"] + extracted["seeds"])
    assert report.documents == 3
    _assert_floors(report)


def test_pages_json_expectations(extracted: dict) -> None:
    expected = json.loads((PAGES / "pages.json").read_text(encoding="utf-8"))
    by_doc = {r["doc"]: r for r in extracted["pages"]}
    for name, exp in expected.items():
        assert by_doc[name]["lang"] == exp["lang"]
        assert by_doc[name]["region"] == exp["region"]


def test_record_schema_and_spans(extracted: dict) -> None:
    record = next(r for r in extracted["seeds"] if r["doc"].startswith("003_"))
    assert {"doc", "lang", "region", "twin", "funders", "programmes", "amounts", "contacts", "persons",
            "projects", "organizations", "dates", "spans"} <= set(record)
    money = [s for s in record["spans"] if s["label"] == "MONEY"]
    assert [s["text"] for s in money] == ["4,1 miljoonaa euroa", "11,7 miljoonan euron"]
    amount = record["amounts"][1]
    assert (amount["qualifier"], amount["year"]) == ("noin", "2023-2025")


def test_unseen_inline_contacts_and_known_names() -> None:
    fi = Document(id="fi.txt", title="Hanke", lang="fi", paragraphs=(
        "Etelä-Savon hyvinvointialueen hanke sai 200 000 euroa.",
        "Lisätietoja: projektipäällikkö Arja Pesonen, p. 040 123 4567, arja.pesonen@hyvaks.fi",
    ))
    sv = Document(id="sv.txt", title="Projekt", lang="sv", paragraphs=(
        "Projektet i Södra Savolax välfärdsområde fick 200 000 euro.",
        "Enligt Arja Pesonen går arbetet bra.",
        "Kontaktperson: projektledare Anna Ek, tfn 050 123 4567",
    ))
    out_fi, out_sv = annotate([fi, sv])
    (c,) = out_fi.facts.contacts
    assert (c.name, c.title, c.phone, c.email) == (
        "Arja Pesonen", "projektipäällikkö", "+358401234567", "arja.pesonen@hyvaks.fi")
    assert out_fi.region == "Etelä-Savo"
    assert set(out_sv.facts.persons) == {"Arja Pesonen", "Anna Ek"}
    assert [(c.name, c.phone) for c in out_sv.facts.contacts] == [("Anna Ek", "+358501234567")]
    assert out_sv.region == "Etelä-Savo"


def test_known_region_is_kept() -> None:
    doc = Document(id="x", title="x", lang="fi", region="Lappi", paragraphs=("Pohjanmaan hyvinvointialue",))
    assert annotate([doc])[0].region == "Lappi"
