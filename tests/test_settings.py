"""Default paths come from the working directory or its hakemisto.toml, never from beside the package."""

from __future__ import annotations

from pathlib import Path

import pytest

from hakemisto.core.config import load_settings
from hakemisto.core.errors import UsageError


def test_defaults_are_in_the_working_directory(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("HAKEMISTO_CONFIG")
    monkeypatch.chdir(tmp_path)
    settings = load_settings()
    assert settings.index_dir == tmp_path / "index" and settings.corpus_dir == tmp_path / "corpus"
    assert settings.runs_dir == tmp_path / "index" / "runs" and settings.analyzer == "voikko"


def test_hakemisto_toml_in_the_working_directory(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("HAKEMISTO_CONFIG")
    (tmp_path / "hakemisto.toml").write_text(
        '[hakemisto]\nindex_dir = "data/index"\ncorpus_dir = "/srv/corpus"\nanalyzer = "snowball"\n', encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    settings = load_settings()
    assert settings.index_dir == tmp_path / "data" / "index"  # relative to the file's folder
    assert settings.corpus_dir == Path("/srv/corpus") and settings.analyzer == "snowball"
    # a flag still wins, and is taken as given (relative to where the command runs)
    assert load_settings(index_dir=Path("other")).index_dir == Path("other")


def test_a_config_file_elsewhere_resolves_its_relative_paths_from_its_folder(tmp_path: Path) -> None:
    (tmp_path / "conf").mkdir()
    config = tmp_path / "conf" / "hakemisto.toml"
    config.write_text('[hakemisto]\nindex_dir = "ix"\n', encoding="utf-8")
    assert load_settings(config).index_dir == tmp_path / "conf" / "ix"


def test_an_unknown_analyzer_is_one_clear_error(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="analyzer: 'stemmer' is not one of voikko, snowball"):
        load_settings(analyzer="stemmer")
