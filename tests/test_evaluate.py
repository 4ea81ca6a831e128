"""The scorer follows the gold README's rules."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from hakemisto.core.errors import InputError
from hakemisto.evaluation.evaluate import format_report, load_gold, score

GOLD = {
    "doc": "x.txt", "lang": "fi", "region": "Pohjanmaa", "twin": None,
    "funders": ["STM", "Valtio"], "programmes": ["RRP"],
    "amounts": [{"text": "2,6 milj. euroa", "eur": 2_600_000}, {"text": "1 000 €", "eur": 1000}],
    "contacts": [{"name": "Katri Nousiainen", "title": "x", "phone": "+358444823328", "email": None}],
    "persons": ["Katri Nousiainen", "Miia Ståhle"], "projects": ["Tulevaisuuden sote-keskus"],
}


def test_rules() -> None:
    pred = {
        "doc": "x.txt", "lang": "fi", "region": "Keski-Pohjanmaa", "twin": None,
        "funders": ["STM", "EU"], "programmes": ["RRP"],
        "amounts": [{"eur": 2_610_000}, {"eur": 2_600_000}, {"eur": 1006}],
        "contacts": [{"name": "katri  nousiainen", "phone": "+358 44 482 3328", "email": None}],
        "persons": ["Katri Nousiainen"], "projects": ["Tulevaisuuden sote-keskus -hanke"],
    }
    report = score({"x": GOLD}, [pred])
    assert (report.fields["funders"].tp, report.fields["funders"].fp, report.fields["funders"].fn) == (1, 1, 1)
    assert (report.fields["amounts"].tp, report.fields["amounts"].fp) == (1, 2)  # 0.5 % tolerance, once each
    assert report.fields["contacts"].f1 == 1.0
    assert report.accuracy["phone"].value == 1.0
    assert report.accuracy["region"].value == 0.0
    assert report.fields["persons"].recall == 0.5
    assert report.projects_recall.value == 1.0
    assert "funders" in format_report(report)


def test_missing_output_counts_as_missed() -> None:
    report = score({"x": GOLD}, [])
    assert report.missing == ["x"]
    assert report.fields["funders"].recall == 0.0


def test_load_gold_errors(tmp_path: Path) -> None:
    with pytest.raises(InputError):
        load_gold(tmp_path / "nope")
    (tmp_path / "bad.json").write_text("{", encoding="utf-8")
    with pytest.raises(InputError, match="bad.json"):
        load_gold(tmp_path)
    (tmp_path / "bad.json").write_text(json.dumps(GOLD), encoding="utf-8")
    assert list(load_gold(tmp_path)) == ["x"]


NEW = {
    "doc": "y.html", "lang": "sv", "title": "Kajanaland får 2 miljoner", "region": "Kainuu",
    "regions": ["Kainuu", "Lappi"], "twin": "y_fi", "funders": [], "programmes": [],
    "amounts": [{"text": "2 miljoner euro", "eur": 2_000_000, "role": "granted", "region": "Kainuu",
                 "project": "Arjen tuki"},
                {"text": "10 miljoner euro", "eur": 10_000_000, "role": "pool", "region": None, "project": None}],
    "contacts": [{"name": "Anna Berg", "title": "projektledare", "phone": None, "email": "anna.berg@x.fi"}],
    "persons": ["Anna Berg"], "projects": ["Arjen tuki", "KOHTI"], "projects_optional": ["Framtidens sote"],
}


def test_extended_rules() -> None:
    pred = {
        "doc": "y.html", "lang": "sv", "title": "Kajanaland får 2 miljoner", "region": "Kainuu",
        "regions": ["Kainuu", "Pohjanmaa"], "twin": "z_fi",
        "amounts": [{"eur": 2_000_000, "role": "granted", "region": "Kainuu", "project": "Arjen tuki -hanke"},
                    {"eur": 10_000_000, "role": "granted", "region": "Kainuu", "project": None}],
        "contacts": [{"name": "Anna Berg", "title": "Projektledare", "email": "ANNA.BERG@x.fi"}],
        "persons": ["Anna Berg"], "projects": ["Arjen tuki", "Kajaani", "Framtidens sote"],
    }
    report = score({"y": NEW}, [pred])
    head = report.headline()
    assert head["title_acc"] == 1.0
    c = report.fields["regions"]
    assert (c.tp, c.fp, c.fn) == (1, 1, 1)
    assert report.accuracy["amount_role"].value == 0.5
    assert report.accuracy["amount_region"].value == 0.5
    assert (report.accuracy["amount_project"].right, report.accuracy["amount_project"].total) == (1, 1)
    assert head["contact_title_acc"] == 1.0 and head["email_acc"] == 1.0
    # 'Kajaani' matches no gold project (FP); 'Framtidens sote' is optional: neither TP nor FP.
    assert (report.projects_precision.right, report.projects_precision.total) == (1, 2)
    assert report.projects_recall.value == 0.5
    # a wrong twin link is a false positive and a missed gold link
    assert (head["twin_precision"], head["twin_recall"]) == (0.0, 0.0)


def test_twin_and_title_edges() -> None:
    furniture = score({"y": NEW}, [{**NEW, "title": "Hoppa till innehåll"}])
    assert furniture.headline()["title_acc"] == 0.0
    # token_set_ratio: the gold title's words inside a longer predicted title still count
    longer = score({"y": NEW}, [{**NEW, "title": "Kajanaland får 2 miljoner – Kainuun hyvinvointialue"}])
    assert longer.headline()["title_acc"] == 1.0
    none = score({"y": NEW}, [{**NEW, "twin": None}])
    assert (none.headline()["twin_precision"], none.headline()["twin_recall"]) == (1.0, 0.0)
    national = {**NEW, "twin": None}
    wrong = score({"y": national}, [{**national, "twin": "other"}])
    assert wrong.headline()["twin_precision"] == 0.0
    assert wrong.to_dict()["twin_precision"] == 0.0


def test_old_gold_skips_new_fields() -> None:
    report = score({"x": GOLD}, [{**GOLD, "title": "anything", "regions": ["Lappi"]}])
    assert report.accuracy["title"].total == 0
    assert report.fields["regions"].fp == 0
    assert report.accuracy["amount_role"].total == 0


def test_page_splits(tmp_path: Path) -> None:
    from hakemisto.evaluation.evaluate import page_splits

    for split in ("dev", "heldout"):
        (tmp_path / split / "gold").mkdir(parents=True)
        (tmp_path / split / "docs").mkdir()
    assert list(page_splits(tmp_path)) == ["dev", "heldout"]
    assert list(page_splits(tmp_path / "dev")) == ["dev"]
    assert page_splits(tmp_path / "dev" / "gold") == {}
