"""The nightly job: incremental runs, removal after the grace period, rebuilds, reports, the lock,
and crash safety proven by SIGKILLing a real ``python -m hakemisto nightly`` at chosen stages."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from conftest import hold_writer_lock

from hakemisto.cli import main
from hakemisto.core.config import Settings
from hakemisto.core.errors import IndexLockedError
from hakemisto.core.lock import PAUSE_MARKER, WriterLock, lock_path_for, read_lock
from hakemisto.core.model import RawPage
from hakemisto.jobs.nightly import (
    STATE_FILE,
    CrawlOutcome,
    NightlyOptions,
    check_index,
    index_summary,
    list_runs,
    run_nightly,
)
from hakemisto.search import index as idx

pytestmark = pytest.mark.slow  # nightly runs over real corpora, kill tests with subprocesses

OFFLINE = NightlyOptions(crawl=False)
EXTRA = [
    "Etelä-Savon hyvinvointialue kehittää kotihoitoa. Kotihoidon etäpalvelut laajenevat hankkeen aikana.",
    "Hankkeessa kokeillaan sosiaalihuollon digitaalisia palveluja ja asiakasohjausta yhdessä kuntien kanssa.",
    "Projektet utvecklar hemvården i Österbotten tillsammans med kommunerna och tredje sektorn.",
]


def _write_page(folder: Path, n: int, extra: str = "") -> Path:
    path = folder / f"gen_{n:03d}.txt"
    path.write_text(
        f"Kehittämishanke numero {n}: palvelujen uudistaminen\n\n{EXTRA[n % len(EXTRA)]}\n\n"
        f"Hankkeen tavoitteena on parantaa palvelujen saatavuutta ja vahvistaa ennaltaehkäisyä. {extra}\n",
        encoding="utf-8",
    )
    return path


@pytest.fixture
def corpus(settings: Settings, seeds_dir: Path) -> Path:
    shutil.copytree(seeds_dir, settings.corpus_dir / "seeds")
    gen = settings.corpus_dir / "gen"
    gen.mkdir()
    for n in range(3):
        _write_page(gen, n)
    return settings.corpus_dir


@pytest.fixture
def baseline(settings: Settings, corpus: Path) -> dict[str, tuple[str, str]]:
    """An index built by a first nightly run; returns its id → (hash, version) map."""
    report = run_nightly(settings, OFFLINE)
    assert report.exit_code == 0, report.error
    assert report.counts["new"] == 8
    return idx.stored_hashes(settings.index_dir)


def _env(settings: Settings, **extra: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        HAKEMISTO_CONFIG=str(settings.index_dir.parent / "no-config.toml"),
        HAKEMISTO_INDEX=str(settings.index_dir),
        HAKEMISTO_CORPUS_DIR=str(settings.corpus_dir),
        HAKEMISTO_REPORT_DIR=str(settings.runs_dir),
        HAKEMISTO_N_PROCESS="1",
        HAKEMISTO_GRACE_DAYS=str(settings.grace_days),
    )
    env.pop(  # never let a developer's pause setting leak into a test
        "HAKEMISTO_TEST_PAUSE_AT", None
    )
    env.update(extra)
    return env


def _nightly_cmd(*args: str) -> list[str]:
    return [sys.executable, "-m", "hakemisto", "nightly", "--no-crawl", *args]


def _start_paused(settings: Settings, stage: str) -> subprocess.Popen[str]:
    """Start the job in a subprocess and return once it reports being paused at ``stage``."""
    proc = subprocess.Popen(
        _nightly_cmd("--quiet"),
        env=_env(settings, HAKEMISTO_TEST_PAUSE_AT=stage),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert proc.stderr is not None
    lines = []
    for line in proc.stderr:
        lines.append(line)
        if line.startswith(f"{PAUSE_MARKER} stage={stage}"):
            return proc
    proc.wait()
    raise AssertionError(f"the job never paused at {stage}: rc={proc.returncode}, stderr={''.join(lines)}")


def _search_json(settings: Settings, query: str) -> dict:
    result = subprocess.run(
        [sys.executable, "-m", "hakemisto", "search", query, "--json"],
        env=_env(settings),
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(result.stdout)


def _change_corpus(settings: Settings) -> None:
    """Two new pages, one changed, one deleted (grace 0 in these tests: removed at once)."""
    gen = settings.corpus_dir / "gen"
    _write_page(gen, 10)
    _write_page(gen, 11)
    _write_page(gen, 1, extra="Hanketta jatketaan vuoteen 2026 asti.")
    (gen / "gen_002.txt").unlink()


# --- incremental runs, reports ---------------------------------------------------------------------


def test_second_run_on_unchanged_corpus_does_nothing(settings: Settings, baseline: dict) -> None:
    report = run_nightly(settings, OFFLINE)
    assert report.exit_code == 0
    assert report.counts["new"] == report.counts["changed"] == report.counts["removed"] == 0
    assert report.counts["unchanged"] == 8
    assert "extract" not in report.stages  # nothing went through the NLP stages
    assert idx.stored_hashes(settings.index_dir) == baseline

    runs = list_runs(settings.runs_dir)
    assert [r["status"] for r in runs] == ["ok", "ok"]
    saved = json.loads(Path(report.path).read_text(encoding="utf-8"))
    assert saved["counts"]["unchanged"] == 8
    assert saved["index"]["before"]["documents"] == saved["index"]["after"]["documents"] == 8
    assert {"load", "total"} <= set(saved["stages"])


def test_changed_new_and_deleted_files(settings: Settings, baseline: dict) -> None:
    settings = replace(settings, grace_days=0)
    _change_corpus(settings)
    report = run_nightly(settings, OFFLINE)
    assert (report.counts["new"], report.counts["changed"], report.counts["removed"]) == (2, 1, 1)
    assert report.removed_ids == ("gen/gen_002.txt",)
    stored = idx.stored_hashes(settings.index_dir)
    assert "gen/gen_002.txt" not in stored and "gen/gen_010.txt" in stored
    assert stored["gen/gen_001.txt"] != baseline["gen/gen_001.txt"]


def test_deleted_file_is_removed_only_after_the_grace_period(settings: Settings, baseline: dict) -> None:
    (settings.corpus_dir / "gen" / "gen_000.txt").unlink()
    now = datetime.now(UTC)
    first = run_nightly(settings, OFFLINE, now=now)
    assert first.counts["removed"] == 0 and first.counts["pending_removal"] == 1
    assert first.pending_removal[0]["reason"] == "file deleted"
    assert "gen/gen_000.txt" in idx.stored_hashes(settings.index_dir)
    state = json.loads((settings.runs_dir / STATE_FILE).read_text(encoding="utf-8"))
    assert state["missing"]["gen/gen_000.txt"]["first_missing"] == first.started

    still = run_nightly(settings, OFFLINE, now=now + timedelta(days=6))
    assert still.counts["removed"] == 0  # the first-missing time was kept, not reset
    later = run_nightly(settings, OFFLINE, now=now + timedelta(days=7, minutes=1))
    assert later.removed_ids == ("gen/gen_000.txt",)
    assert "gen/gen_000.txt" not in idx.stored_hashes(settings.index_dir)


def test_file_that_comes_back_is_no_longer_pending(settings: Settings, baseline: dict) -> None:
    page = settings.corpus_dir / "gen" / "gen_000.txt"
    text = page.read_text(encoding="utf-8")
    page.unlink()
    assert run_nightly(settings, OFFLINE).counts["pending_removal"] == 1
    page.write_text(text, encoding="utf-8")
    back = run_nightly(settings, OFFLINE)
    assert back.counts["pending_removal"] == 0 and back.counts["unchanged"] == 8


def test_gone_source_is_removed_and_not_readded(settings: Settings, baseline: dict) -> None:
    from hakemisto.crawl.store import META_SUFFIX, SnapshotStore
    from hakemisto.crawl.urls import url_key

    settings = replace(settings, grace_days=0)
    url = "https://hyvinvointialue.example/hankkeet/kotihoito"
    body = (
        "<html lang='fi'><head><title>Kotihoidon kehittämishanke</title></head><body><main><h1>Kotihoidon"
        " kehittämishanke</h1><p>Hankkeessa kehitetään kotihoidon etäpalveluja ja asiakasohjausta koko"
        " hyvinvointialueella yhdessä kuntien ja järjestöjen kanssa vuosina 2024–2025.</p></main></body></html>"
    ).encode()
    page = RawPage(url=url, final_url=url, status=200, body=body, fetched_at="2026-11-01T00:00:00+00:00")
    SnapshotStore(settings.crawl_dir).save(page, content_hash="x", source_key="test")
    added = run_nightly(settings, OFFLINE)
    assert added.counts["new"] == 1
    doc_id = next(i for i in idx.stored_hashes(settings.index_dir) if i.startswith("https://"))

    meta_path = settings.crawl_dir / "test" / (url_key(url) + META_SUFFIX)
    meta = json.loads(meta_path.read_text(encoding="utf-8"))
    meta.update(status=410, gone="410 Gone")
    meta_path.write_text(json.dumps(meta), encoding="utf-8")
    gone = run_nightly(settings, OFFLINE)
    assert gone.removed_ids == (doc_id,)
    again = run_nightly(settings, OFFLINE)
    assert again.counts["new"] == 0 and doc_id not in idx.stored_hashes(settings.index_dir)


def test_pipeline_version_change_rebuilds_and_says_why(settings: Settings, baseline: dict) -> None:
    meta_file = settings.index_dir / idx.META_FILE
    meta = json.loads(meta_file.read_text(encoding="utf-8"))
    meta["pipeline_version"] = "2000.01.01-1"
    meta_file.write_text(json.dumps(meta), encoding="utf-8")
    report = run_nightly(settings, OFFLINE)
    assert report.exit_code == 0 and report.rebuilt
    assert "2000.01.01-1" in report.rebuild_reason and "re-extracting" in report.rebuild_reason
    assert set(idx.stored_hashes(settings.index_dir)) == set(baseline)
    assert idx.is_current(settings.index_dir)
    assert len(list_runs(settings.runs_dir)) == 2  # the reports survived the directory swap


def test_exit_codes_for_failures_and_a_failed_job(
    settings: Settings, baseline: dict, monkeypatch: pytest.MonkeyPatch
) -> None:
    import hakemisto.jobs.nightly as nightly

    monkeypatch.setattr(
        nightly, "run_crawl", lambda *a: CrawlOutcome(fetched=2, failed=(("https://x.example/", "HTTP 500"),))
    )
    partial = run_nightly(settings, NightlyOptions(crawl=True))
    assert partial.exit_code == 1 and partial.counts["fetched"] == 2
    assert partial.failed == ({"what": "https://x.example/", "reason": "HTTP 500"},)

    shutil.rmtree(settings.corpus_dir)
    failed = run_nightly(settings, OFFLINE)
    assert failed.exit_code == 2 and "no such file or directory" in failed.error
    assert index_summary(settings.index_dir).documents == 8


# --- the lock ----------------------------------------------------------------------------------------


def test_lock_refuses_a_second_writer_and_is_free_when_the_holder_dies(settings: Settings) -> None:
    with WriterLock(settings.index_dir, "test holder"):
        assert read_lock(lock_path_for(settings.index_dir)).pid == os.getpid()
        with WriterLock(settings.index_dir, "nested"):  # re-entrant in the holding process
            pass
        held = subprocess.run(
            [sys.executable, "-c", "import sys; from pathlib import Path; from hakemisto.core.lock import WriterLock;"
             "WriterLock(Path(sys.argv[1]), 'second').acquire()", str(settings.index_dir)],
            capture_output=True, text=True,
        )
        assert held.returncode != 0 and "being written by test holder" in held.stderr
    # A holder killed with SIGKILL: the kernel drops its flock, nothing is stale.
    holder = subprocess.Popen(
        [sys.executable, "-c", "import sys, time; from pathlib import Path; from hakemisto.core.lock import WriterLock;"
         "WriterLock(Path(sys.argv[1]), 'doomed').acquire(); print('held', flush=True); time.sleep(60)",
         str(settings.index_dir)],
        stdout=subprocess.PIPE, text=True,
    )
    assert holder.stdout.readline().strip() == "held"
    with pytest.raises(IndexLockedError, match="doomed"):
        WriterLock(settings.index_dir, "me").acquire()
    holder.kill()
    holder.wait()
    with WriterLock(settings.index_dir, "me"):
        assert read_lock(lock_path_for(settings.index_dir)).purpose == "me"


def test_cli_second_job_exits_3(settings: Settings, corpus: Path, runner) -> None:
    with hold_writer_lock(settings.index_dir, "hakemisto nightly") as holder:
        result = runner.invoke(main, ["nightly", "--no-crawl", "--quiet"], env=_env(settings))
    assert result.exit_code == 3
    assert f"being written by hakemisto nightly (PID {holder.pid}" in result.output


# --- crash safety: SIGKILL at chosen stages ----------------------------------------------------------


@pytest.mark.parametrize("stage", ["load", "extract", "commit"])
def test_kill_leaves_previous_index_and_next_run_finishes(settings: Settings, baseline: dict, stage: str) -> None:
    settings = replace(settings, grace_days=0)
    before = _search_json(settings, "hoitotakuu")
    _change_corpus(settings)
    proc = _start_paused(settings, stage)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert proc.returncode == -signal.SIGKILL

    assert idx.stored_hashes(settings.index_dir) == baseline
    assert index_summary(settings.index_dir).documents == 8
    assert _search_json(settings, "hoitotakuu")["total"] == before["total"] > 0
    found = check_index(settings, corpus=False)
    if stage == "commit":  # the killed writer's unfinished segment is reported (and removed by the next writer)
        assert len(found.problems) == 1 and "leftover files" in found.problems[0]
    else:
        assert found.ok, found.problems
    assert [r["status"] for r in list_runs(settings.runs_dir)] == ["ok", "running"]

    rerun = run_nightly(settings, OFFLINE)
    assert rerun.exit_code == 0
    assert (rerun.counts["new"], rerun.counts["changed"], rerun.counts["removed"]) == (2, 1, 1)
    assert any("killed" in n for n in rerun.notes)
    assert [r["status"] for r in list_runs(settings.runs_dir)] == ["ok", "interrupted", "ok"]
    assert check_index(settings).ok


def test_kill_during_rebuild_swap_keeps_old_index(settings: Settings, baseline: dict) -> None:
    meta_file = settings.index_dir / idx.META_FILE
    meta = json.loads(meta_file.read_text(encoding="utf-8")) | {"pipeline_version": "2000.01.01-1"}
    meta_file.write_text(json.dumps(meta), encoding="utf-8")
    proc = _start_paused(settings, "swap")
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert idx.stored_hashes(settings.index_dir) == baseline
    assert _search_json(settings, "hoitotakuu")["total"] > 0

    rerun = run_nightly(settings, OFFLINE)
    assert rerun.rebuilt and rerun.exit_code == 0
    assert idx.is_current(settings.index_dir) and check_index(settings).ok


def test_search_works_and_second_job_refused_while_job_runs(settings: Settings, baseline: dict) -> None:
    _change_corpus(replace(settings, grace_days=0))
    proc = _start_paused(settings, "commit")
    try:
        assert _search_json(settings, "hoitotakuu")["total"] > 0
        second = subprocess.run(_nightly_cmd("--quiet"), env=_env(settings), capture_output=True, text=True)
        assert second.returncode == 3
        assert "being written by hakemisto nightly" in second.stderr and "Traceback" not in second.stderr
        assert len(second.stderr.strip().splitlines()) == 1, second.stderr
        proc.send_signal(signal.SIGUSR1)  # let the paused job finish its commit
        out, _ = proc.communicate()
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 0, out
    assert "2 new, 1 changed" in out
    assert "gen/gen_010.txt" in idx.stored_hashes(settings.index_dir)


# --- CLI: progress, summary, runs, check, optimize ---------------------------------------------------


def test_cli_nightly_plain_progress_and_json(settings: Settings, corpus: Path) -> None:
    result = subprocess.run(_nightly_cmd(), env=_env(settings), capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert "load: 8/8" in result.stderr and "extract: 8/8" in result.stderr  # plain lines, not a bar
    assert "8 new" in result.stdout and "report:" in result.stdout
    again = subprocess.run(_nightly_cmd("--json", "--quiet"), env=_env(settings), capture_output=True, text=True)
    data = json.loads(again.stdout)
    assert data["counts"]["new"] == 0 and data["counts"]["unchanged"] == 8 and data["exit_code"] == 0


def test_cli_runs_check_optimize(settings: Settings, baseline: dict, runner) -> None:
    env = _env(settings)
    runs = runner.invoke(main, ["runs", "--last", "1", "--json"], env=env)
    assert runs.exit_code == 0 and len(json.loads(runs.output)) == 1
    assert "new 8" in runner.invoke(main, ["runs"], env=env).output

    assert runner.invoke(main, ["check"], env=env).exit_code == 0
    _write_page(settings.corpus_dir / "gen", 20)
    bad = runner.invoke(main, ["check"], env=env)
    assert bad.exit_code == 1 and "gen/gen_020.txt" in bad.output and "not in the index" in bad.output

    run_nightly(settings, OFFLINE)
    optimized = runner.invoke(main, ["optimize"], env=env)
    assert optimized.exit_code == 0 and "→ 1 segments" in optimized.output
    assert index_summary(settings.index_dir).segments == 1
    assert runner.invoke(main, ["check", "--no-corpus"], env=env).exit_code == 0


# --- with the crawler, against the local fixture web --------------------------------------------------


def test_nightly_crawls_then_second_run_is_not_modified(settings: Settings, tmp_path: Path) -> None:
    from fixture_web import FixtureWeb, write_sources

    web = FixtureWeb(slow_seconds=1.5).start()
    try:
        crawl_settings = replace(
            settings,
            sources_file=write_sources(web, tmp_path / "sources.toml"),
            crawl_delay=0.05,
            timeout=0.5,
            retries=1,
        )
        options = NightlyOptions(crawl=True, regions=("gamma",))
        first = run_nightly(crawl_settings, options)
        assert first.exit_code == 0, (first.error, first.failed)
        assert first.counts["fetched"] >= 3 and first.counts["new"] >= 2 and "crawl" in first.stages  # gamma: 2 pages + its home page, a listing
        second = run_nightly(crawl_settings, options)
    finally:
        web.stop()
    assert second.exit_code == 0
    assert second.counts["not_modified"] >= 3 and second.counts["fetched"] == 0
    assert second.counts["new"] == second.counts["changed"] == 0
