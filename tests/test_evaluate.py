"""The scorer follows the gold README's rules."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from hakemisto.errors import InputError
from hakemisto.evaluate import format_report, load_gold, score

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
