"""Issue 15: hostile input, two writers, a full disk, killed runs, output injection, user environment.

Each test reproduces one failure found by trying hakemisto as an attacker or a careless operator.
"""

from __future__ import annotations

import contextlib
import csv
import io
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from hakemisto.core.children import child_pids, is_alive
from hakemisto.core.config import PROJECT_ROOT

pytestmark = pytest.mark.slow  # subprocess kills, concurrent ingests

# --- 7. output injection ---------------------------------------------------------------------------


def test_spreadsheet_cells_starting_like_formulas_are_neutralised() -> None:
    from hakemisto.core.safe_output import csv_text, spreadsheet_cell

    for bad in ("=HYPERLINK(\"http://x\")", "+1+1", "-2+3", "@SUM(A1)", "\tx", "\rx"):
        assert spreadsheet_cell(bad).startswith("'"), bad
    assert spreadsheet_cell("Hoitotakuu") == "Hoitotakuu"
    assert spreadsheet_cell(-5) == -5 and spreadsheet_cell(1.5) == 1.5
    text = csv_text([{"a": "=cmd|' /C calc'!A0", "b": "ok\x1b[31m"}], ["a", "b"])
    row = next(csv.DictReader(io.StringIO(text)))
    assert row["a"] == "'=cmd|' /C calc'!A0"
    assert "\x1b" not in text and row["b"] == "ok\\x1b[31m"


def test_report_csv_neutralises_formula_cells(settings) -> None:
    from hakemisto.report.overview import CSV_COLUMNS, RegionReport, Report, ReportDocument, render_csv

    page = ReportDocument(id="x", title="=HYPERLINK(\"http://evil\")", link="+x", lang="fi")
    region = RegionReport(region="=1+1", name_sv=None, documents=(page,),
                          projects=("@SUM(1+1)*cmd|' /C calc'!A0",), themes=("-2+3",))
    report = Report(programme=None, funder=None, regions_filter=(), query=None, regions=(region,))
    text = render_csv(report)
    rows = list(csv.DictReader(io.StringIO(text.removeprefix("\ufeff")), delimiter=";"))
    assert list(rows[0]) == list(CSV_COLUMNS)
    assert rows[0]["region"] == "'=1+1"
    cells = [v for row in rows for v in row.values() if v]
    assert not [v for v in cells if v[0] in "=+-@\t\r"], cells


def test_control_characters_are_stripped_at_extraction_and_escaped_on_output() -> None:
    from hakemisto.core.safe_output import escape_controls, strip_controls
    from hakemisto.crawl.extract import html_to_document
    from hakemisto.documents.loaders import text_to_document

    assert strip_controls("a\x1b[2Jb\x07c\x00d\te") == "a[2Jbcd\te"
    assert escape_controls("x\x1by\nz") == "x\\x1by\nz"
    doc = text_to_document("Otsikko \x1b]0;pwned\x07 tässä\nHanke\x00 alkoi \x1b[2J vuonna 2024 ja jatkuu.",
                           doc_id="t")
    assert "\x1b" not in doc.text and "\x07" not in doc.text and "\x00" not in doc.text
    page = html_to_document(b"<html><body><h1>Otsikko\x1b[31m</h1><p>Hanke \x07alkoi vuonna 2024 ja jatkuu.</p>"
                            b"</body></html>", doc_id="h")
    assert not any(c in page.text + page.title for c in "\x1b\x07")


# --- 8. tests never touch the user's data -----------------------------------------------------------


def test_conftest_clears_the_inherited_environment() -> None:
    assert not [k for k in os.environ if k.startswith("HAKEMISTO_") and k != "HAKEMISTO_CONFIG"]
    assert not Path(os.environ["HAKEMISTO_CONFIG"]).exists()


def test_exported_user_index_is_left_untouched_by_the_test_suite(tmp_path: Path) -> None:
    """The README's test command with HAKEMISTO_INDEX exported: passes, and the index is untouched."""
    user_index = tmp_path / "user-index"
    user_index.mkdir()
    (user_index / "marker").write_text("mine")
    env = dict(os.environ, HAKEMISTO_INDEX=str(user_index), HAKEMISTO_INDEX_DIR=str(user_index),
               HAKEMISTO_CORPUS_DIR=str(tmp_path / "user-corpus"))
    env.pop("HAKEMISTO_CONFIG", None)
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-x", "-p", "no:cacheprovider",
         "tests/test_fetch.py::test_crawl_ingests_into_the_index", "tests/test_cli.py::test_reingest_unchanged_changes_nothing"],
        cwd=PROJECT_ROOT, env=env, capture_output=True, text=True, timeout=300,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-2000:]
    assert sorted(p.name for p in user_index.iterdir()) == ["marker"]
    assert not (tmp_path / "user-corpus").exists()


# --- 1. one bad input never stops a run -------------------------------------------------------------

GOOD_TEXT = "Hoitotakuuhanke alkoi Keski-Pohjanmaalla vuonna 2024. Hanketta rahoittaa STM."


def _jsonl(path: Path, lines: list[str]) -> Path:
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_hostile_json_lines_are_skipped_with_file_and_line_and_the_rest_loads(tmp_path: Path, settings) -> None:
    import json

    from hakemisto.documents.loaders import load_paths

    deep = "[" * 100_000 + "]" * 100_000
    lines = [
        json.dumps({"id": "surrogate", "text": GOOD_TEXT + " \ud800 loppu"}),  # lone surrogate: ingested
        '{"id": "deep", "text": ' + deep + "}",
        deep,
        json.dumps({"id": ["a", "list"], "text": GOOD_TEXT}),
        json.dumps({"id": {"an": "object"}, "text": GOOD_TEXT}),
        json.dumps({"id": True, "text": GOOD_TEXT}),
        json.dumps({"id": "t-int", "title": 5, "text": GOOD_TEXT}),
        json.dumps({"id": "x-list", "text": ["not", "a", "string"]}),
        json.dumps({"id": "u-float", "url": 1.5, "text": GOOD_TEXT}),
        json.dumps({"id": 42, "text": GOOD_TEXT}),  # a number id is fine
        json.dumps({"id": 4.5, "text": GOOD_TEXT}),
        json.dumps({"id": "ls", "text": GOOD_TEXT + " rivi\u2028erotin ja kappale\u2029erotin"}, ensure_ascii=False),
        json.dumps({"id": "last", "text": GOOD_TEXT}),
    ]
    path = _jsonl(tmp_path / "bad.jsonl", lines)
    result = load_paths([path], settings)
    ids = sorted(d.id for d in result.documents)
    assert ids == ["4.5", "42", "last", "ls", "surrogate"], ids
    reasons = {s.path: s.reason for s in result.skipped}
    assert reasons[f"{path}:2"] == "JSON nested too deeply" and reasons[f"{path}:3"] == "JSON nested too deeply"
    assert "'id' must be a string or a number, not list" in reasons[f"{path}:4"]
    assert "not dict" in reasons[f"{path}:5"] and "not bool" in reasons[f"{path}:6"]
    assert "'title' must be a string, not int" in reasons[f"{path}:7"]
    assert "'text' must be a string, not list" in reasons[f"{path}:8"]
    assert "'url' must be a string, not float" in reasons[f"{path}:9"]
    surrogate = next(d for d in result.documents if d.id == "surrogate")
    assert "\ufffd" in surrogate.text and surrogate.content_hash
    ls = next(d for d in result.documents if d.id == "ls")
    assert "\u2028" in ls.text or "erotin" in ls.text


def test_ingest_goes_on_past_a_lone_surrogate_and_a_deep_record(tmp_path: Path, runner) -> None:
    from hakemisto.cli import main

    deep = "[" * 100_000 + "]" * 100_000
    path = _jsonl(tmp_path / "in.jsonl", [
        '{"id": "s", "text": "' + GOOD_TEXT + ' \\ud800"}', deep, '{"id": "ok", "text": "' + GOOD_TEXT + '"}',
    ])
    result = runner.invoke(main, ["ingest", str(path), "--index-dir", str(tmp_path / "ix"), "--json", "--quiet"])
    assert result.exit_code == 0, result.output
    import json

    report = json.loads(result.stdout)
    assert report["new"] == 2 and [s["reason"] for s in report["skipped"]] == ["JSON nested too deeply"]


def test_text_over_spacy_max_length_is_processed_in_parts(monkeypatch) -> None:
    from hakemisto.documents.lang import detect_document
    from hakemisto.documents.loaders import text_to_document
    from hakemisto.facts.entities import annotate, fi_nlp, text_parts

    assert "".join(text_parts("ab cd\n\nef " * 50, 37)) == "ab cd\n\nef " * 50
    assert all(len(p) <= 37 for p in text_parts("ab cd\n\nef " * 50, 37))
    assert "".join(text_parts("x" * 100, 30)) == "x" * 100
    para = ("Hankkeen projektipäällikkö Maija Virtanen kertoo, että STM myönsi 500 000 euroa "
            "hoitotakuun parantamiseen Keski-Pohjanmaalla. ")
    text = "\n".join([para * 3] * 40)
    doc = detect_document(text_to_document(text, doc_id="long"))
    whole = annotate([doc])[0].facts
    nlp = fi_nlp()
    monkeypatch.setattr(nlp, "max_length", 2000)  # the same failure as a 1.2 MB page, at test size
    assert len(doc.text) > 2 * nlp.max_length
    parted = annotate([doc])[0].facts
    assert parted.funders == whole.funders and parted.amounts == whole.amounts
    assert set(parted.persons) == set(whole.persons)


def _bad_name(tmp_path: Path) -> Path:
    folder = tmp_path / "corpus"
    folder.mkdir(exist_ok=True)
    raw = os.path.join(os.fsencode(folder), b"sivu-\xff\xfe.txt")
    with open(raw, "wb") as handle:
        handle.write(GOOD_TEXT.encode())
    return folder


def test_file_name_that_is_not_utf8_is_ingested_and_leaves_no_temporary_files(tmp_path: Path, runner) -> None:
    from hakemisto.cli import main

    folder = _bad_name(tmp_path)
    (folder / "toinen.txt").write_text(GOOD_TEXT + " Toinen sivu.", encoding="utf-8")
    index = tmp_path / "ix"
    result = runner.invoke(main, ["ingest", str(folder), "--index-dir", str(index), "--json", "--quiet"])
    assert result.exit_code == 0, result.output
    import json

    assert json.loads(result.stdout)["new"] == 2
    assert not [p.name for p in index.iterdir() if p.suffix == ".tmp" or p.name.endswith((".pst", ".trm"))]
    shown = runner.invoke(main, ["show", "corpus/sivu-\\xff\\xfe.txt", "--index-dir", str(index), "--json"])
    assert shown.exit_code == 0, shown.output


def test_utf16_utf32_with_and_without_bom_and_mixed_lines_are_decoded(tmp_path: Path, settings) -> None:
    from hakemisto.documents.loaders import load_paths

    text = "Hyvinvointialueen hanke: hoitotakuu ja päivystys Ålandissa kehittyvät yhdessä."
    html = f"<html lang='fi'><body><h1>Otsikko</h1><p>{text}</p></body></html>"
    files = {}
    for enc in ("utf-16", "utf-16-le", "utf-16-be", "utf-32", "utf-32-le", "utf-32-be"):
        files[f"t-{enc}.txt"] = text.encode(enc)
        files[f"h-{enc}.html"] = html.encode(enc)
    files["mixed.txt"] = ("Ensimmäinen rivi on UTF-8: päivystys.\n".encode()
                          + "Toinen rivi on cp1252: hyvinvointialue ja hoitotakuu.\n".encode("cp1252")
                          + "Kolmas taas UTF-8: Åland ja sähköinen asiointi.\n".encode())
    for name, data in files.items():
        (tmp_path / name).write_bytes(data)
    result = load_paths([tmp_path / n for n in files], settings)
    assert not result.skipped, result.skipped
    for doc in result.documents:
        assert "päivystys" in doc.text or "Åland" in doc.text, (doc.path, doc.text)
    mixed = next(d for d in result.documents if d.path.endswith("mixed.txt"))
    assert "päivystys" in mixed.text and "hyvinvointialue" in mixed.text and "sähköinen" in mixed.text
    assert "Ã" not in mixed.text


def test_duplicate_ids_in_one_run_are_reported(tmp_path: Path, settings) -> None:
    from hakemisto.documents.loaders import load_paths
    from hakemisto.jobs.pipeline import unique_ids

    path = _jsonl(tmp_path / "dup.jsonl", [
        '{"id": "same", "text": "' + GOOD_TEXT + ' Ensimmäinen."}',
        '{"id": "same", "text": "' + GOOD_TEXT + ' Toinen."}',
    ])
    loaded = load_paths([path], settings)
    skipped: list = []
    docs = unique_ids(loaded.documents, skipped)
    assert len(docs) == 1 and "Toinen" in docs[0].text
    assert len(skipped) == 1 and "duplicate id 'same'" in skipped[0].reason and "replaced by the later" in skipped[0].reason


_LOAD_AND_PRINT = """
import json, os, sys
import hakemisto.crawl.extract, hakemisto.crawl.store
from hakemisto.core.config import load_settings
from hakemisto.documents.loaders import load_paths
settings = load_settings(index_dir=sys.argv[1] + "/ix", corpus_dir=sys.argv[1])
load_paths([sys.argv[1] + "/ok.txt"], settings)  # import and read every lazily loaded module and data file
if os.geteuid() == 0:  # root reads every directory: become an ordinary user once everything is imported
    os.setgid(65534)
    os.setuid(65534)
r = load_paths([sys.argv[1]], settings)
print(json.dumps({"docs": [d.id for d in r.documents], "skipped": [[s.path, s.reason] for s in r.skipped]}))
"""


def test_broken_symlinks_and_unreadable_directories_are_listed_as_skipped() -> None:
    """Loaded as an ordinary user ('nobody' when the tests run as root, who can read anything)."""
    import json
    import shutil
    import tempfile

    base = Path(tempfile.mkdtemp(prefix="hakemisto-unreadable-"))
    try:
        base.chmod(0o755)
        (base / "ok.txt").write_text(GOOD_TEXT, encoding="utf-8")
        (base / "dangling.txt").symlink_to(base / "nowhere.txt")
        locked = base / "locked"
        locked.mkdir()
        (locked / "inside.txt").write_text(GOOD_TEXT, encoding="utf-8")
        locked.chmod(0)
        out = subprocess.run([sys.executable, "-c", _LOAD_AND_PRINT, str(base)], capture_output=True, text=True,
                             cwd=PROJECT_ROOT, timeout=120)
        assert out.returncode == 0, out.stderr[-2000:]
        data = json.loads(out.stdout)
    finally:
        (base / "locked").chmod(0o755)
        shutil.rmtree(base)
    reasons = {Path(p).name: r for p, r in data["skipped"]}
    assert data["docs"] == ["ok.txt"]
    assert reasons["dangling.txt"] == "broken symbolic link"
    assert reasons["locked"].startswith("unreadable directory (Permission denied")


# --- 2. no page can hang extraction -------------------------------------------------------------------

LEAD = "<p>Hoitotakuuhanke alkoi Keski-Pohjanmaalla vuonna 2024, ja sitä rahoittaa STM.</p>"


def _timed_extract(html: str):
    import time

    from hakemisto.crawl.extract import html_to_document

    start = time.process_time()
    result = html_to_document(html.encode(), doc_id="hostile.html")
    return result, time.process_time() - start


def test_100000_nested_divs_extract_quickly() -> None:
    from hakemisto.core.model import Document

    n = 100_000
    doc, took = _timed_extract("<html><body>" + LEAD + "<div>" * n + "syvällä" + "</div>" * n + "</body></html>")
    assert isinstance(doc, Document) and "Hoitotakuuhanke" in doc.text
    assert took < 10, took


def test_50000_unclosed_tags_extract_quickly() -> None:
    from hakemisto.core.model import Document

    for tag in ("b", "div", "span"):
        doc, took = _timed_extract("<html><body>" + LEAD + f"<{tag}>sana " * 50_000 + "</body></html>")
        assert isinstance(doc, Document) and "Hoitotakuuhanke" in doc.text, tag
        assert took < 10, (tag, took)


def test_extraction_time_grows_linearly_with_nesting() -> None:
    """Quadratic before: 8,000 levels took minutes. Compare 2,000 and 8,000 levels (CPU time)."""
    def page(n: int) -> str:
        return "<html><body>" + LEAD + "<section><div>" * (n // 2) + "teksti" + "</div></section>" * (n // 2) + "</body></html>"

    _, small = _timed_extract(page(2_000))
    _, large = _timed_extract(page(8_000))
    assert large < 4 * small + 1.0, (small, large)


def test_a_page_over_its_time_budget_is_skipped_with_the_reason() -> None:
    from hakemisto.core.model import Skip
    from hakemisto.crawl.extract import html_to_document

    html = "<html><body>" + LEAD * 2000 + "</body></html>"
    result = html_to_document(html.encode(), doc_id="slow.html", budget=0.0)
    assert isinstance(result, Skip) and result.path == "slow.html"
    assert result.reason == "extraction took longer than its 0 s time budget"


# --- 4. killed runs leave nothing running --------------------------------------------------------------


def _spacy_corpus(folder: Path, n: int = 110) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(n):
        (folder / f"doc{i:03d}.txt").write_text(
            f"Hanke {i} Keski-Pohjanmaalla\nHankkeen projektipäällikkö Maija Virtanen kertoo, että STM myönsi "
            f"{i + 1}00 000 euroa hoitotakuun parantamiseen. Hanke päättyy vuonna 2025.\n", encoding="utf-8")
    return folder


def test_killed_ingest_leaves_no_spacy_workers(tmp_path: Path) -> None:
    import signal
    import time

    corpus = _spacy_corpus(tmp_path / "corpus")
    env = dict(os.environ, HAKEMISTO_N_PROCESS="2", HAKEMISTO_BATCH_SIZE="2",
               HAKEMISTO_CORPUS_DIR=str(corpus))
    for sig in (signal.SIGKILL, signal.SIGTERM):
        proc = subprocess.Popen([sys.executable, "-m", "hakemisto", "ingest", str(corpus), "--quiet",
                                 "--index-dir", str(tmp_path / f"ix{sig}")], env=env,
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        workers: set[int] = set()
        deadline = time.monotonic() + 120
        while len(workers) < 2 and time.monotonic() < deadline and proc.poll() is None:
            time.sleep(0.2)
            workers = {c for c in child_pids(proc.pid) if is_alive(c)}
        assert len(workers) >= 2, "the spaCy workers never started"
        time.sleep(1.0)
        proc.send_signal(sig)
        proc.wait(timeout=60)
        deadline = time.monotonic() + 20
        while any(is_alive(w) for w in workers) and time.monotonic() < deadline:
            time.sleep(0.2)
        left = [w for w in workers if is_alive(w)]
        for w in left:  # do not leave them running on the machine even when the test fails
            os.kill(w, signal.SIGKILL)
        assert not left, f"{len(left)} worker(s) outlived their parent after {sig!r}"


# --- 6. query and filter input --------------------------------------------------------------------------


def _web_index(tmp_path: Path):
    from web_fixtures import build_web_index

    from hakemisto.core.config import load_settings

    settings = load_settings(index_dir=tmp_path / "index", corpus_dir=tmp_path / "corpus", report_dir=tmp_path / "runs")
    return build_web_index(settings)


def test_cli_rejects_non_finite_and_huge_amounts_and_out_of_range_years(tmp_path: Path, runner) -> None:
    from hakemisto.cli import main

    settings = _web_index(tmp_path)
    for value in ("nan", "inf", "-inf", "-1e308", "1e400", "-1"):
        result = runner.invoke(main, ["search", "hoitotakuu", "--min-amount", value, "--index-dir",
                                      str(settings.index_dir)])
        assert result.exit_code == 2, (value, result.output)
        lines = result.output.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("Error: --min-amount must be"), (value, result.output)
    for year in ("0", "99999", "-5"):
        result = runner.invoke(main, ["search", "--year", year, "--index-dir", str(settings.index_dir)])
        assert result.exit_code == 2 and result.output.startswith("Error: --year must be from 1900 to 2100"), result.output
    ok = runner.invoke(main, ["search", "hoitotakuu", "--min-amount", "1000", "--year", "2024",
                              "--index-dir", str(settings.index_dir), "--json"])
    assert ok.exit_code == 0, ok.output


def test_api_rejects_infinite_amounts_and_never_serves_a_cached_unfiltered_answer(tmp_path: Path) -> None:
    from fastapi.testclient import TestClient

    from hakemisto.web import create_app

    client = TestClient(create_app(_web_index(tmp_path), cache_size=64))
    unfiltered = client.get("/api/search", params={"q": "hoitotakuu"})
    assert unfiltered.status_code == 200
    for value in ("inf", "1e400", "Infinity", "-Infinity", "nan", "NaN", "-1e308", "1e300"):
        api = client.get("/api/search", params={"q": "hoitotakuu", "min_amount": value})
        assert api.status_code == 422, (value, api.status_code, api.text[:200])
        page = client.get("/", params={"q": "hoitotakuu", "min_amount": value})
        assert page.status_code == 422, value
    assert client.get("/api/search", params={"q": "hoitotakuu", "min_amount": "1e9"}).json()["total"] == 0


def test_a_30000_character_single_word_query_is_fast(tmp_path: Path) -> None:
    import resource
    import time

    from hakemisto.search.engine import search

    settings = _web_index(tmp_path)
    search(settings, "hoitotakuu")  # warm the searcher and the analyzers
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    for word in ("a" * 30_000, "hoitotakuu" * 3_000, "x" * 29_999 + " hoitotakuu"):
        start = time.perf_counter()
        result = search(settings, word)
        took = time.perf_counter() - start
        assert took < 1.0, took
        assert result.total >= 0
    grown_mb = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024
    assert grown_mb < 100, grown_mb


# --- 5. a full disk ----------------------------------------------------------------------------------------


@contextlib.contextmanager
def _small_disk(where: Path, size: str = "6m") -> Iterator[Path]:
    """A real file system that fills up: a small tmpfs (root only; skipped otherwise)."""
    import pytest

    where.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(where)],
                             capture_output=True, text=True)
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a small tmpfs here ({mounted.stderr.strip() or 'not root'})")
    try:
        yield where
    finally:
        subprocess.run(["umount", "-l", str(where)], check=False)


def _fill(disk: Path, leave: int) -> Path:
    """Fill the file system up to ``leave`` free bytes."""
    stat = os.statvfs(disk)
    free = stat.f_bavail * stat.f_frsize
    filler = disk / "filler"
    with open(filler, "wb") as handle:
        chunk = b"\0" * (1 << 20)
        left = max(0, free - leave)
        while left > 0:
            left -= handle.write(chunk[: min(len(chunk), left)])
    return filler


def test_full_disk_gives_one_error_line_keeps_the_index_and_leaves_no_temporary_files(tmp_path: Path, runner) -> None:
    from dataclasses import replace

    import pytest
    from web_fixtures import web_documents

    from hakemisto.cli import main
    from hakemisto.core.config import load_settings
    from hakemisto.core.errors import IndexWriteError
    from hakemisto.jobs.nightly import check_index
    from hakemisto.jobs.pipeline import link
    from hakemisto.search import index as idx

    with _small_disk(tmp_path / "disk") as disk:
        settings = load_settings(index_dir=disk / "index", corpus_dir=tmp_path / "corpus", report_dir=tmp_path / "runs")
        docs = link(web_documents())
        idx.write(settings, docs[: len(docs) // 2])
        idx.write(settings, docs[len(docs) // 2 :])  # two segments: optimize has work to do
        before = idx.stored_hashes(settings.index_dir)
        files_before = sorted(p.name for p in settings.index_dir.iterdir())
        filler = _fill(disk, leave=64 * 1024)

        bigger = [replace(d, id=f"{d.id}-copy{n}", paragraphs=d.paragraphs * 40) for n in range(3) for d in docs]
        with pytest.raises(IndexWriteError, match="No space left on device; the previous index is unchanged"):
            idx.write(settings, bigger)
        assert sorted(p.name for p in settings.index_dir.iterdir()) == files_before
        assert idx.stored_hashes(settings.index_dir) == before

        result = runner.invoke(main, ["optimize", "--index-dir", str(settings.index_dir)])
        assert result.exit_code == 1
        lines = result.output.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("Error: ") and "No space left on device" in lines[0], result.output
        assert "Traceback" not in result.output
        assert sorted(p.name for p in settings.index_dir.iterdir()) == files_before
        assert idx.stored_hashes(settings.index_dir) == before
        filler.unlink()
        assert check_index(settings, corpus=False).ok


def test_check_reports_and_optimize_removes_leftovers_of_a_crash(tmp_path: Path, runner) -> None:
    from web_fixtures import web_documents

    from hakemisto.cli import main
    from hakemisto.core.config import load_settings
    from hakemisto.jobs.pipeline import link
    from hakemisto.search import index as idx

    settings = load_settings(index_dir=tmp_path / "index", corpus_dir=tmp_path / "corpus")
    idx.write(settings, link(web_documents()))
    (settings.index_dir / "MAIN_0123456789abcdef.pst").write_bytes(b"x" * 100)  # a killed writer's segment
    (settings.index_dir / "MAIN_0123456789abcdef.trm").write_bytes(b"x" * 100)
    (settings.index_dir / "abcdef.tmp").mkdir()  # Whoosh's posting pool directory
    (settings.index_dir / ".hakemisto.json.x1y2.tmp").write_text("{")  # an atomic write cut short
    checked = runner.invoke(main, ["check", "--no-corpus", "--index-dir", str(settings.index_dir)])
    assert checked.exit_code == 1 and "4 leftover files" in checked.output, checked.output
    optimized = runner.invoke(main, ["optimize", "--index-dir", str(settings.index_dir)])
    assert optimized.exit_code == 0 and "removed 4 leftover file(s)" in optimized.output, optimized.output
    assert runner.invoke(main, ["check", "--no-corpus", "--index-dir", str(settings.index_dir)]).exit_code == 0


# --- 3. one writer at a time --------------------------------------------------------------------------------

RELEASE = (
    "Keski-Pohjanmaan hyvinvointialue on saanut sosiaali- ja terveysministeriöltä 1,2 miljoonaa euroa "
    "hoitotakuun toteuttamiseen vuosille 2024–2025. Rahoitus tulee Suomen kestävän kasvun ohjelmasta. "
    "Hankkeessa kehitetään sähköistä asiointia, vahvistetaan perustason palveluja ja puretaan "
    "hoitojonoja yhdessä kuntien, järjestöjen ja asukkaiden kanssa. Hankkeen projektipäällikkönä "
    "toimii Maija Virtanen, puhelin 040 123 4567, maija.virtanen@soite.fi. Tiedote julkaistiin "
    "hyvinvointialueen verkkosivuilla ja lähetettiin myös alueen kunnille ja medialle."
)


def _republished(folder: Path, names: list[str], same_title: bool = False) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name in names:
        title = "Tiedote hoitotakuusta" if same_title else f"Tiedote {name}"
        (folder / name).write_text(f"{title}\n{RELEASE}\n", encoding="utf-8")
    return folder


def test_a_second_writer_exits_3_naming_the_holder_or_waits(tmp_path: Path, runner) -> None:
    import threading

    from conftest import hold_writer_lock

    from hakemisto.cli import main

    corpus = _republished(tmp_path / "a", ["a.txt"])
    index = tmp_path / "ix"
    with hold_writer_lock(index, "hakemisto crawl") as holder:
        threading.Timer(1.5, holder.kill).start()
        waited = runner.invoke(main, ["ingest", str(corpus), "--index-dir", str(index), "--quiet", "--wait", "60"])
    assert waited.exit_code == 0, waited.output
    for command in (["ingest", str(corpus), "--quiet"], ["optimize"], ["check", "--repair", "--no-corpus"],
                    ["nightly", "--no-crawl", "--quiet"]):
        with hold_writer_lock(index, "hakemisto nightly") as holder:
            result = runner.invoke(main, [*command, "--index-dir", str(index)])
        assert result.exit_code == 3, (command, result.output)
        lines = result.output.strip().splitlines()
        assert len(lines) == 1 and f"being written by hakemisto nightly (PID {holder.pid}" in lines[0], result.output


def _links(index: Path) -> dict[str, tuple]:
    from hakemisto.core.config import load_settings
    from hakemisto.search import index as idx

    return {d.id: (d.content_hash, d.twin, d.duplicates)
            for d in idx.iter_documents(load_settings(index_dir=index))}


def test_two_concurrent_ingests_give_the_same_index_as_one(tmp_path: Path) -> None:
    """Two writers at once used to both 'succeed' and lose the duplicate links between their documents."""
    a = _republished(tmp_path / "corpus" / "a", ["a1.txt", "a2.txt"])
    b = _republished(tmp_path / "corpus" / "b", ["b1.txt", "b2.txt"])
    env = dict(os.environ, HAKEMISTO_CORPUS_DIR=str(tmp_path / "corpus"), HAKEMISTO_N_PROCESS="1")
    index = tmp_path / "ix"
    procs = [subprocess.Popen([sys.executable, "-m", "hakemisto", "ingest", str(folder), "--index-dir", str(index),
                               "--quiet", "--wait", "300"], env=env, stderr=subprocess.PIPE, text=True)
             for folder in (a, b)]
    for proc in procs:
        _, err = proc.communicate(timeout=600)
        assert proc.returncode == 0, err
    clean = tmp_path / "clean"
    one = subprocess.run([sys.executable, "-m", "hakemisto", "ingest", str(a), str(b), "--index-dir", str(clean),
                          "--quiet"], env=env, capture_output=True, text=True, timeout=600)
    assert one.returncode == 0, one.stderr
    together = _links(index)
    assert together == _links(clean)
    assert all(len(dups) == 3 for _, _, dups in together.values()), together


def test_check_finds_links_two_writers_lost_and_repair_fixes_them(tmp_path: Path, runner) -> None:
    from dataclasses import replace

    from hakemisto.cli import main
    from hakemisto.core.config import load_settings
    from hakemisto.documents.loaders import load_paths
    from hakemisto.jobs.pipeline import link
    from hakemisto.search import index as idx

    settings = load_settings(index_dir=tmp_path / "ix", corpus_dir=tmp_path / "corpus")
    corpus = _republished(tmp_path / "corpus", ["x1.txt", "x2.txt", "x3.txt"], same_title=True)
    docs = [replace(d, lang="fi", para_langs=("fi",) * len(d.paragraphs)) for d in load_paths([corpus], settings).documents]
    linked = link(docs)
    assert all(len(d.duplicates) == 2 for d in linked)
    # What two unlocked writers left: each wrote its documents linked only to what it had seen.
    idx.write(settings, [linked[0], replace(linked[1], duplicates=()), replace(linked[2], duplicates=())])
    found = runner.invoke(main, ["check", "--no-corpus", "--index-dir", str(settings.index_dir)])
    assert found.exit_code == 1
    assert "duplicate links disagree with a fresh link computation" in found.output
    assert "same content hash under two ids but no duplicate link" in found.output
    repaired = runner.invoke(main, ["check", "--repair", "--no-corpus", "--index-dir", str(settings.index_dir)])
    assert repaired.exit_code == 0, repaired.output
    assert "repaired: 2 documents relinked: x2.txt, x3.txt" in repaired.output
    assert all(len(d.duplicates) == 2 for d in idx.iter_documents(settings))
    assert runner.invoke(main, ["check", "--no-corpus", "--index-dir", str(settings.index_dir)]).exit_code == 0
