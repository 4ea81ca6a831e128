"""The project-level scorer: the gold README's programme-name rule and held-out hygiene (numbers only)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from hakemisto.cli import main
from hakemisto.evaluation.evaluate import Report, format_report, is_heldout
from hakemisto.evaluation.project_eval import (
    numbers_only,
    programme_only,
    programme_only_name,
    score_projects,
)
from hakemisto.evaluation.relevance import Evaluation, QueryResult, format_sets
from hakemisto.facts.projects import Project, ProjectAmount, ProjectSet


@pytest.mark.parametrize(("name", "region", "verdict"), [
    ("Tulevaisuuden sote-keskus Kanta-Häme", "Kanta-Häme", True),
    ("Kymenlaakson Tulevaisuuden sote-keskus -hanke", "Kymenlaakso", True),
    ("projektet Framtidens social- och hälsocentral", "Pohjanmaa", True),
    ("KATI-ohjelma", "Lappi", True),
    ("Kainuun hyvinvointialueen kestävän kasvun hanke", "Kainuu", True),
    ("Tulevaisuuden sote-keskus Kanta-Häme", "Kainuu", False),  # another county's name is its own word
    ("Kestävät ja vaikuttavat sote-palvelut Päijät-Hämeessä", "Päijät-Häme", False),
    ("KATI Etelä-Pohjanmaa – teknologia kotona asumisen tukena", "Etelä-Pohjanmaa", False),
    ("Sote-keskus kaikille", "Kainuu", False),
    ("Hyvä arki", "Kainuu", False),
])
def test_programme_only_names(name: str, region: str, verdict: bool) -> None:
    assert programme_only_name(name, region) is verdict


def _record(name: str, region: str = "Kainuu", granted: float = 0.0, *names: str) -> Project:
    return Project(id=name, name=name, names=names, region=region)


def test_readme_rule_leaves_out_only_unmatched_programme_records() -> None:
    gold = [{"name": "Hyvä arki", "region": "Kainuu"},
            {"name": "Tulevaisuuden sote-keskus Lappi", "region": "Lappi"}]
    records = ProjectSet(projects=(
        _record("Hyvä arki -hanke"),
        _record("Tulevaisuuden sote-keskus Lappi", "Lappi"),  # matches gold: counted as usual
        _record("Tulevaisuuden sote-keskus -hanke"),  # programme only, unmatched: left out by the rule
        _record("Arjen apu"),  # a project of its own that gold does not list: false positive both ways
        _record("Tulevaisuuden sote-keskus", "Kainuu", 0.0, "Sote-keskus kaikille"),  # one own name: counts
    ))
    scores = score_projects(gold, records)
    assert scores["matched"] == 2 and scores["recall"] == 1.0
    assert scores["precision"] == pytest.approx(2 / 5)
    assert scores["precision_readme_rule"] == pytest.approx(2 / 4)
    assert scores["programme_only_unmatched"] == 1
    assert programme_only(records.projects[2]) and not programme_only(records.projects[4])


def _granted(name: str, eur: float, role: str = "granted") -> Project:
    amount = ProjectAmount(eur=eur, text=f"{eur:.0f} euroa", role=role, doc_id="d", link="d", lang="fi")
    return Project(id=name, name=name, region="Kainuu", amounts=(amount,))


def test_granted_within_1pct_counts_every_matched_project() -> None:
    """The issue's figure is over matched projects: a gold without a grant (null) expects none, so an
    application or a budget shown as granted is a miss; a project whose gold states no grant and whose
    record has none is a hit."""
    gold = [{"name": "Hyvä arki", "region": "Kainuu", "granted_eur": 300000},
            {"name": "Arjen apu", "region": "Kainuu", "granted_eur": None},
            {"name": "Kotiin tuki", "region": "Kainuu"}]
    records = ProjectSet(projects=(
        _granted("Hyvä arki", 301000),  # within 1 %
        _granted("Arjen apu", 250000),  # the pages state no grant: an invented one is wrong
        _granted("Kotiin tuki", 250000, role="applied"),  # applied only: granted 0, as the gold says
    ))
    scores = score_projects(gold, records)
    assert scores["granted_checked"] == 3
    assert scores["granted_within_1pct"] == pytest.approx(2 / 3)
    assert scores["granted_stated_checked"] == 1 and scores["granted_within_1pct_stated"] == 1.0


def test_heldout_paths(tmp_path: Path) -> None:
    assert is_heldout(Path("tests/pages/heldout"), None)
    assert is_heldout(tmp_path / "heldout" / "docs")
    assert not is_heldout(Path("tests/pages/dev"), tmp_path / "held-out-ish")
    scores = {"recall": 0.5, "missed": ["Kainuu: Hyvä arki"], "unmatched_records": [], "matches": [{"gold": "x"}]}
    assert numbers_only(scores) == {"recall": 0.5, "missed": 1, "unmatched_records": 0, "matches": 1}


def test_extraction_and_search_reports_hide_heldout_names() -> None:
    report = Report(documents=2, missing=["secret_page"])
    assert "secret_page" not in json.dumps(report.to_dict(details=False))
    assert report.to_dict(details=False)["missing"] == 1
    assert "secret_page" not in format_report(report, details=False)
    assert "secret_page" in format_report(report)
    ev = Evaluation("voikko", True, 3, [QueryResult("q9", "salainen kysely", 0.5, 1.0, ["doc_a"])], "heldout")
    assert "salainen" not in json.dumps(ev.to_dict(details=False)) and "doc_a" not in json.dumps(ev.to_dict(details=False))
    assert "salainen" not in format_sets({"heldout": ev}, frozenset({"heldout"}))
    assert "salainen" in format_sets({"heldout": ev})


PAGE = """Kainuun hyvinvointialue sai Hyvä arki -hankkeelle 300 000 euroa valtionavustusta.

Hyvä arki -hanke kehittää kotihoitoa vuosina 2024–2025.
"""


def _split(root: Path) -> Path:
    (root / "docs").mkdir(parents=True)
    (root / "docs" / "kainuu_arki.txt").write_text(PAGE, encoding="utf-8")
    (root / "projects-A.json").write_text(json.dumps([
        {"name": "Hyvä arki", "region": "Kainuu", "granted_eur": 300000},
        {"name": "Salainen Lisähanke", "region": "Kainuu"},
    ]), encoding="utf-8")
    return root


@pytest.mark.slow
def test_eval_projects_prints_numbers_only_for_heldout(tmp_path: Path) -> None:
    runner = CliRunner()
    heldout, dev = _split(tmp_path / "heldout"), _split(tmp_path / "dev")
    for args in (["--json"], []):
        out = runner.invoke(main, ["eval-projects", str(heldout), *args])
        assert out.exit_code == 0, out.output
        assert "Salainen" not in out.output and "Hyvä arki" not in out.output
    data = json.loads(runner.invoke(main, ["eval-projects", str(heldout), "--json"]).output)
    assert data["heldout"] is True and data["missed"] == 1 and data["recall"] == 0.5
    assert isinstance(data["matches"], int) and isinstance(data["unmatched_records"], int)
    shown = runner.invoke(main, ["eval-projects", str(heldout), "--show-heldout-details"]).output
    assert "Salainen Lisähanke" in shown
    dev_data = json.loads(runner.invoke(main, ["eval-projects", str(dev), "--json"]).output)
    assert dev_data["missed"] == ["Kainuu: Salainen Lisähanke"] and dev_data["heldout"] is False
