"""The foundation commands end to end through click's CliRunner, with the real pipeline."""

from __future__ import annotations

import json
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from hakemisto.cli import main
from tests.conftest import SEEDS_DIR

pytestmark = pytest.mark.slow  # ingests the seeds through the CLI


@pytest.fixture(scope="module")
def seeded(tmp_path_factory) -> Path:
    """One index of the shipped seeds for the whole module (the spaCy model loads once)."""
    index_dir = tmp_path_factory.mktemp("cli") / "index"
    result = CliRunner().invoke(main, ["ingest", str(SEEDS_DIR), "--index-dir", str(index_dir), "--quiet"])
    assert result.exit_code == 0, result.output
    assert "5 documents: 5 new" in result.output
    return index_dir


def run(*args: str) -> object:
    return CliRunner().invoke(main, list(args))


def test_search_rrp_finds_both_rrp_seed_pages(seeded: Path) -> None:
    result = run("search", "RRP", "--index-dir", str(seeded), "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    hits = {h["id"]: h for h in data["hits"]}
    assert "seeds/002_244ef9beec10c723.txt" in hits
    assert "seeds/003_98fa6ec4f8cc1730.txt" in hits
    assert hits["seeds/002_244ef9beec10c723.txt"]["region"] == "Keski-Pohjanmaa"
    assert hits["seeds/003_98fa6ec4f8cc1730.txt"]["region"] == "Päijät-Häme"
    assert "region" in data["facets"]


def test_search_swedish(seeded: Path) -> None:
    result = run("search", "projektbyrån", "--lang", "sv", "--index-dir", str(seeded), "--json")
    data = json.loads(result.output)
    assert [h["id"] for h in data["hits"]] == ["seeds/001_289a19efa96ceebd.txt"]


@pytest.mark.parametrize(("query", "expected"), [("hoitotakuu", "002"), ("Pohjanmaa", "000")])
def test_finnish_inflection_through_cli(seeded: Path, query: str, expected: str) -> None:
    data = json.loads(run("search", query, "--index-dir", str(seeded), "--json").output)
    assert any(h["id"].startswith(f"seeds/{expected}") for h in data["hits"])


def test_search_text_output(seeded: Path) -> None:
    result = run("search", "hoitotakuu", "--index-dir", str(seeded))
    assert result.exit_code == 0
    assert "Keski-Pohjanmaa" in result.output and "[hoitotakuu]" in result.output.lower()
    assert "region:" in result.output  # facet lines under the results


def test_reingest_unchanged_changes_nothing(seeded: Path) -> None:
    before = json.loads(run("stats", "--index-dir", str(seeded), "--json").output)
    result = run("ingest", str(SEEDS_DIR), "--index-dir", str(seeded), "--json", "--quiet")
    report = json.loads(result.output)
    assert (report["new"], report["changed"], report["unchanged"]) == (0, 0, 5)
    after = json.loads(run("stats", "--index-dir", str(seeded), "--json").output)
    assert before["documents"] == after["documents"] == 5
    assert before["segments"] == after["segments"]


def test_show(seeded: Path) -> None:
    result = run("show", "seeds/003_98fa6ec4f8cc1730.txt", "--index-dir", str(seeded), "--json")
    doc = json.loads(result.output)
    assert doc["region"] == "Päijät-Häme" and doc["lang"] == "fi"
    text = run("show", "seeds/003_98fa6ec4f8cc1730.txt", "--index-dir", str(seeded)).output
    assert "Katri Nousiainen" in text


def test_stats(seeded: Path) -> None:
    data = json.loads(run("stats", "--index-dir", str(seeded), "--json").output)
    assert data["by_lang"] == {"fi": 4, "sv": 1}


def test_user_mistakes_give_one_line_and_nonzero_exit(seeded: Path, tmp_path: Path) -> None:
    cases = [
        (["search", "RRP", "--index-dir", str(tmp_path / "none")], "no index in"),
        (["ingest", str(tmp_path / "missing"), "--index-dir", str(tmp_path / "ix")], "no such file or directory"),
        (["search", "RRP", "--region", "Atlantis", "--index-dir", str(seeded)], "unknown region 'Atlantis'"),
        (["show", "nope", "--index-dir", str(seeded)], "no document with id"),
        (["search", "RRP", "--limit", "0", "--index-dir", str(seeded)], "--limit"),
    ]
    for args, message in cases:
        result = run(*args)
        assert result.exit_code != 0, args
        assert message in result.output, (args, result.output)
        assert "Traceback" not in result.output
        assert len([line for line in result.output.splitlines() if line.startswith("Error")]) == 1


def test_region_filter_accepts_inflected_and_misspelled_names(seeded: Path) -> None:
    for region in ("Päijät-Hämeessä", "Päijät-Hämme", "päijät-häme"):
        data = json.loads(run("search", "RRP", "--region", region, "--index-dir", str(seeded), "--json").output)
        assert [h["id"] for h in data["hits"]] == ["seeds/003_98fa6ec4f8cc1730.txt"], region


def test_ingest_bad_directory(tmp_path: Path) -> None:
    folder = tmp_path / "mixed"
    folder.mkdir()
    (folder / "hyva.txt").write_text(
        "Hoitotakuu toteutuu\nHankkeessa edistetään hoitotakuun toteutumista Kainuussa.\n", encoding="utf-8"
    )
    (folder / "kuva.txt").write_bytes(bytes(range(256)) * 20)
    (folder / "tyhja.txt").write_bytes(b"")
    (folder / "vanha.txt").write_bytes(
        "Päijät-Hämeen hanke\nHankkeen päätavoitteet ovat hoitovelan purkaminen.".encode("cp1252")
    )
    index_dir = tmp_path / "index"
    result = run("ingest", str(folder), "--index-dir", str(index_dir), "--quiet")
    assert result.exit_code == 0, result.output
    assert "3 documents" not in result.output
    assert "2 documents: 2 new, 0 changed, 0 unchanged; 2 skipped" in result.output
    assert "kuva.txt: binary file" in result.output
    assert "tyhja.txt: empty file" in result.output
    data = json.loads(run("search", "päätavoitteet", "--index-dir", str(index_dir), "--json").output)
    assert [h["id"] for h in data["hits"]] == ["mixed/vanha.txt"]


def test_every_command_has_help_with_example() -> None:
    for name in main.list_commands(click.Context(main)):
        result = run(name, "--help")
        assert result.exit_code == 0, name
        assert "Example" in result.output, f"{name} --help has no example"
