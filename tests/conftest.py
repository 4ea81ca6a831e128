"""Shared fixtures: settings under tmp_path, a CLI runner, the shipped seeds."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from hakemisto.config import PROJECT_ROOT, Settings, load_settings

SEEDS_DIR = PROJECT_ROOT / "corpus" / "seeds"
FIXTURES = Path(__file__).parent / "fixtures"
GOLD_SEEDS = PROJECT_ROOT.parent / "shared" / "gold" / "seeds"


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    """Settings whose every writable path is under tmp_path (tests never write the repo)."""
    return load_settings(
        index_dir=tmp_path / "index",
        corpus_dir=tmp_path / "corpus",
        report_dir=tmp_path / "runs",
        crawl_delay=0.05,
        n_process=1,
    )


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture
def seeds_dir() -> Path:
    return SEEDS_DIR
