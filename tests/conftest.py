"""Shared fixtures: settings under tmp_path, a CLI runner, the shipped seeds."""

from __future__ import annotations

import contextlib
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from hakemisto.core.config import PROJECT_ROOT, Settings, load_settings

SEEDS_DIR = PROJECT_ROOT / "corpus" / "seeds"
FIXTURES = Path(__file__).parent / "fixtures"
GOLD_SEEDS = PROJECT_ROOT.parent / "shared" / "gold" / "seeds"

# Tests never see the user's settings: an exported HAKEMISTO_INDEX (or any HAKEMISTO_* variable, or a
# hakemisto.toml in the project root) must not redirect a test's writes into the user's index. Cleared
# at import, before any test or subprocess starts; NO_CONFIG points the config lookup at nothing.
NO_CONFIG = "/nonexistent/hakemisto-tests-use-no-config.toml"
USER_ENV = {k: v for k, v in os.environ.items() if k.startswith("HAKEMISTO_")}
for _name in USER_ENV:
    del os.environ[_name]
os.environ["HAKEMISTO_CONFIG"] = NO_CONFIG


# The everyday tier is `pytest -m "not slow"` (under 30 s): a module marked slow as a whole is not even
# imported then, since importing spaCy, Playwright and Dask for tests that will be deselected anyway was
# most of that tier's time. scripts/test.sh runs everything.
_WHOLE_MODULE_SLOW = re.compile(r"^pytestmark = .*\bpytest\.mark\.slow\b", re.MULTILINE)


def pytest_ignore_collect(collection_path: Path, config: pytest.Config) -> bool | None:
    if "".join(str(config.getoption("markexpr", "") or "").split()) != "notslow":
        return None
    if collection_path.suffix == ".py" and collection_path.name.startswith("test_"):
        return bool(_WHOLE_MODULE_SLOW.search(collection_path.read_text(encoding="utf-8"))) or None
    return None


@pytest.fixture(autouse=True)
def _no_user_environment(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Also undo anything a previous test leaked into os.environ."""
    for name in [k for k in os.environ if k.startswith("HAKEMISTO_")]:
        monkeypatch.delenv(name)
    monkeypatch.setenv("HAKEMISTO_CONFIG", NO_CONFIG)
    yield


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


@contextlib.contextmanager
def hold_writer_lock(index_dir: Path, purpose: str) -> Iterator[subprocess.Popen]:
    """Another process holding the index's writer lock (the lock is re-entrant within one process)."""
    code = (
        "import sys, time; from pathlib import Path; from hakemisto.core.lock import WriterLock;"
        "WriterLock(Path(sys.argv[1]), sys.argv[2]).acquire(); print('held', flush=True); time.sleep(600)"
    )
    proc = subprocess.Popen([sys.executable, "-c", code, str(index_dir), purpose], stdout=subprocess.PIPE, text=True)
    try:
        assert proc.stdout is not None and proc.stdout.readline().strip() == "held"
        yield proc
    finally:
        proc.kill()
        proc.wait()
