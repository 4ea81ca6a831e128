"""PIPELINE_VERSION follows the data files and rule modules, so a vocabulary change can't be forgotten."""

from __future__ import annotations

import shutil
from pathlib import Path

import hakemisto
from hakemisto import _pipeline_hash


def _copy_package(tmp_path: Path) -> Path:
    package = Path(hakemisto.__file__).parent
    copy = tmp_path / "hakemisto"
    shutil.copytree(package, copy, ignore=shutil.ignore_patterns("__pycache__"))
    return copy


def test_version_is_the_hash_of_this_package() -> None:
    assert hakemisto.PIPELINE_VERSION == f"{hakemisto.SCHEMA_EPOCH}+{_pipeline_hash(Path(hakemisto.__file__).parent)}"


def test_a_vocabulary_or_rule_change_changes_the_version_a_cli_change_does_not(tmp_path: Path) -> None:
    copy = _copy_package(tmp_path)
    before = _pipeline_hash(copy)
    (copy / "cli.py").write_text((copy / "cli.py").read_text(encoding="utf-8") + "\n# a comment\n", encoding="utf-8")
    assert _pipeline_hash(copy) == before
    funding = copy / "data" / "funding.toml"
    funding.write_text(funding.read_text(encoding="utf-8") + "\n# one more word\n", encoding="utf-8")
    after_data = _pipeline_hash(copy)
    assert after_data != before
    money = copy / "facts" / "money.py"
    money.write_text(money.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    assert _pipeline_hash(copy) not in (before, after_data)
