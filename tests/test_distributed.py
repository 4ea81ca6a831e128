"""Extraction on Dask gives the index an in-process ingest gives, even when a worker is killed.

The cluster is real: a scheduler and two worker processes (with nannies) over TCP on 127.0.0.1,
started by the test; each worker loads the real spaCy pipeline through ``ExtractionPlugin``.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from hakemisto.core.config import PROJECT_ROOT, Settings, load_settings
from hakemisto.core.errors import UsageError
from hakemisto.core.model import Document
from hakemisto.documents.loaders import load_paths
from hakemisto.jobs.distributed import ClusterSpec, parse_cluster, start_local_cluster
from hakemisto.jobs.pipeline import ingest_documents
from hakemisto.search import index as idx

pytestmark = pytest.mark.slow  # a Dask cluster

FIXTURES = Path(__file__).parent / "fixtures"


# --- fast: options and settings ------------------------------------------------------------------


def test_parse_cluster_values() -> None:
    assert parse_cluster("tcp://127.0.0.1:8786") == ClusterSpec(address="tcp://127.0.0.1:8786")
    assert parse_cluster("local:3") == ClusterSpec(local_workers=3)
    assert parse_cluster("2") == ClusterSpec(local_workers=2)
    for bad in ("http://x:1", "local:0", "local:two", "somewhere"):
        with pytest.raises(UsageError, match="cluster"):
            parse_cluster(bad)


def test_cluster_comes_from_the_config_file_and_flags_win(tmp_path: Path) -> None:
    config = tmp_path / "hakemisto.toml"
    config.write_text('[hakemisto]\ncluster = "tcp://10.0.0.5:8786"\ncluster_batch = 16\n', encoding="utf-8")
    settings = load_settings(config)
    assert (settings.cluster, settings.cluster_batch) == ("tcp://10.0.0.5:8786", 16)
    assert load_settings(config, cluster="local:2").cluster == "local:2"
    assert Settings().cluster == ""  # without the option nothing changes: in-process extraction


def test_bad_cluster_flag_is_one_clear_line(runner: Any, tmp_path: Path) -> None:
    from hakemisto.cli import main

    result = runner.invoke(main, ["ingest", str(FIXTURES / "pages"), "--index-dir", str(tmp_path / "i"),
                                  "--cluster", "http://nowhere"])
    assert result.exit_code != 0
    assert "tcp://HOST:PORT or local:N" in result.output and "Traceback" not in result.output
    both = runner.invoke(main, ["ingest", str(FIXTURES / "pages"), "--cluster", "tcp://127.0.0.1:1",
                                "--workers", "local:2"])
    assert both.exit_code == 2 and "not both" in both.output


def test_nightly_takes_the_same_flags(runner: Any, tmp_path: Path) -> None:
    from hakemisto.cli import cluster_setting, main

    assert cluster_setting(None, "2") == "local:2" and cluster_setting(None, "local:3") == "local:3"
    assert cluster_setting("tcp://127.0.0.1:8786", None) == "tcp://127.0.0.1:8786"
    assert cluster_setting(None, None) is None  # the config file's value stays
    result = runner.invoke(main, ["nightly", "--no-crawl", "--index-dir", str(tmp_path / "i"),
                                  "--workers", "local:zero"])
    assert result.exit_code != 0 and "local:zero" in result.output and "Traceback" not in result.output


def test_unreachable_scheduler_is_one_clear_line(runner: Any, tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    from hakemisto.cli import main
    from hakemisto.jobs import distributed

    monkeypatch.setattr(distributed, "CONNECT_TIMEOUT", 2.0)
    result = runner.invoke(main, ["ingest", str(FIXTURES / "pages"), "--index-dir", str(tmp_path / "i"),
                                  "--quiet", "--cluster", "tcp://127.0.0.1:9"])
    assert result.exit_code == 1, result.output
    assert "cannot reach the Dask scheduler at tcp://127.0.0.1:9" in result.output
    assert not idx.exists(tmp_path / "i")


def test_a_scheduler_without_workers_is_one_clear_line(monkeypatch: pytest.MonkeyPatch) -> None:
    from hakemisto.jobs import distributed

    monkeypatch.setattr(distributed, "CONNECT_TIMEOUT", 2.0)
    empty = start_local_cluster(0, processes=False)
    try:
        with pytest.raises(distributed.ClusterError, match="has no workers"):
            with distributed.connect(parse_cluster(empty.scheduler_address)):
                pass
    finally:
        empty.close()


# --- slow: a real 2-worker cluster -------------------------------------------------------------


def _corpus(root: Path) -> Path:
    """Seeds + fixture pages (fi/sv twins) + one press release republished elsewhere (a duplicate)."""
    corpus = root / "corpus"
    shutil.copytree(PROJECT_ROOT / "corpus" / "seeds", corpus / "seeds")
    shutil.copytree(FIXTURES / "pages", corpus / "pages", ignore=shutil.ignore_patterns("*.json"))
    shutil.copytree(FIXTURES / "projects", corpus / "projects")
    release = (FIXTURES / "projects" / "stm_tiedote_hoitotakuu.html").read_text(encoding="utf-8")
    (corpus / "republished").mkdir()
    (corpus / "republished" / "stt_hoitotakuu.html").write_text(
        release.replace("</body>", "<p>Lähde: STT Info.</p></body>"), encoding="utf-8")
    return corpus


def _stored(settings: Settings) -> list[dict[str, Any]]:
    return [d.to_dict() for d in idx.iter_documents(settings)]


def _settings(root: Path, name: str, cluster: str = "") -> Settings:
    return load_settings(index_dir=root / name, corpus_dir=root / "corpus", n_process=1,
                         cluster=cluster, cluster_batch=3)


@pytest.fixture(scope="module")
def baseline(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[Document], list[dict[str, Any]]]:
    """One load of the corpus and its in-process ingest: what every cluster ingest must equal."""
    root = tmp_path_factory.mktemp("dask")
    corpus = _corpus(root)
    settings = _settings(root, "inprocess")
    documents = load_paths([str(corpus)], settings).documents
    ingest_documents(documents, settings)
    stored = _stored(settings)
    assert sum(1 for d in stored if d["lang"] == "sv") >= 3
    assert sum(1 for d in stored if d["twin"]) >= 2
    assert sum(1 for d in stored if d["duplicates"]) >= 2
    assert sum(len(d["facts"]["persons"]) for d in stored if d["lang"] == "sv") >= 1
    return root, documents, stored


@pytest.fixture(scope="module")
def cluster() -> Iterator[Any]:
    local = start_local_cluster(2)
    try:
        yield local
    finally:
        local.close()


def _by_id(stored: list[dict[str, Any]]) -> dict[str, str]:
    return {d["id"]: json.dumps(d, sort_keys=True, ensure_ascii=False, default=str) for d in stored}


@pytest.mark.slow
def test_ingest_on_a_two_worker_cluster_equals_in_process(baseline: Any, cluster: Any, runner: Any) -> None:
    """Through the CLI flag: same ids, facts, languages, twins and duplicates, and the same hits."""
    from hakemisto.cli import main
    from hakemisto.search.engine import search

    root, _, expected = baseline
    index_dir = root / "cli"
    result = runner.invoke(main, ["ingest", str(root / "corpus"), "--index-dir", str(index_dir), "--json",
                                  "--cluster", cluster.scheduler_address],
                           env={"HAKEMISTO_CLUSTER_BATCH": "3", "HAKEMISTO_N_PROCESS": "1"})
    assert result.exit_code == 0, result.output
    assert "batches:" in result.output  # progress: batches done
    settings = _settings(root, "cli")
    # loaded_at differs between two loads of the same files; everything else must be equal.
    got = {k: {**json.loads(v), "loaded_at": None} for k, v in _by_id(_stored(settings)).items()}
    want = {k: {**json.loads(v), "loaded_at": None} for k, v in _by_id(expected).items()}
    assert got.keys() == want.keys()
    assert got == want
    for query in ("hoitotakuu", "projektet", "RRP"):
        a = search(_settings(root, "inprocess"), query)
        b = search(settings, query)
        assert [h.id for h in a.hits] == [h.id for h in b.hits]


@pytest.mark.slow
def test_a_worker_killed_mid_run_loses_and_duplicates_nothing(baseline: Any, cluster: Any) -> None:
    from distributed import Client

    root, documents, expected = baseline
    settings = _settings(root, "killed", cluster=cluster.scheduler_address)
    killed: list[tuple[int, int]] = []
    with Client(cluster.scheduler_address, set_as_default=False) as watcher:

        def kill_a_busy_worker(stage: str, done: int, total: int) -> None:
            if killed or stage != "batches" or done < 1 or done >= total:
                return
            processing = watcher.processing()
            busy = [w for w, tasks in processing.items() if tasks]
            if not busy:
                return
            pid = watcher.run(os.getpid, workers=[busy[0]])[busy[0]]
            os.kill(pid, signal.SIGKILL)
            killed.append((pid, len(processing[busy[0]])))

        ingest_documents(documents, settings, progress=kill_a_busy_worker)
    assert killed and killed[0][1] >= 1, "no worker was busy when the test meant to kill one"
    stored = _stored(settings)
    ids = [d["id"] for d in stored]
    assert len(ids) == len(set(ids)) == len(expected)
    assert idx.open_index(settings.index_dir).doc_count() == len(expected)
    assert _by_id(stored) == _by_id(expected)
