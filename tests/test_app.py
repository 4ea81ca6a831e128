"""The library façade ``hakemisto.app.Hakemisto``, exercised directly (issue 11).

A real index on tmp_path: the shipped seeds go through the real ingest (spaCy, voikko, Whoosh), so
every method is checked against what the stages below it really produce.
"""

from __future__ import annotations

import shutil
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from hakemisto.app import (
    DocumentNotFound,
    Hakemisto,
    IndexMissingError,
    InvalidValue,
    NoPageSplits,
    UnknownRegion,
    UsageError,
    gold_record,
)
from hakemisto.core.config import load_settings
from tests.conftest import SEEDS_DIR
from tests.seed_index import FACTS, S000, S002

pytestmark = pytest.mark.slow  # the façade over an ingested index


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> Hakemisto:
    """The five seeds ingested once for the module (a writer test copies the index first)."""
    root = tmp_path_factory.mktemp("app")
    corpus = root / "corpus"
    shutil.copytree(SEEDS_DIR, corpus / "seeds")
    settings = load_settings(None, index_dir=root / "index", corpus_dir=corpus, report_dir=root / "runs",
                             n_process=1)
    app = Hakemisto(settings)
    report = app.ingest([corpus / "seeds"])
    assert (report.seen, report.new, report.skipped) == (5, 5, [])
    return app


def test_ingest_again_changes_nothing_and_stats_count_the_seeds(seeded: Hakemisto) -> None:
    again = seeded.ingest([seeded.settings.corpus_dir / "seeds"])
    assert (again.seen, again.new, again.changed, again.unchanged) == (5, 0, 0, 5)
    stats = seeded.stats()
    assert stats.documents == 5 == seeded.document_count()
    assert stats.by_lang == {"fi": 4, "sv": 1} or sum(stats.by_lang.values()) == 5


def test_search_with_keyword_filters_equals_search_with_filters(seeded: Hakemisto) -> None:
    by_keywords = seeded.search("RRP", regions=["Pohjanmaa"], limit=5)
    by_filters = seeded.search("RRP", Hakemisto.filters(regions=("Pohjanmaa",)), limit=5)
    assert by_keywords.total >= 1
    assert [h.id for h in by_keywords.hits] == [h.id for h in by_filters.hits]
    assert all(h.region == "Pohjanmaa" for h in by_keywords.hits)
    assert seeded.search("RRP", regions=[]).total >= by_keywords.total  # an empty list is no filter


def test_search_errors_carry_their_data_and_name_no_flag(seeded: Hakemisto) -> None:
    with pytest.raises(InvalidValue) as bad_page:
        seeded.search("RRP", page=0)
    assert (bad_page.value.kind, bad_page.value.value, bad_page.value.code) == ("page", 0, "bad_page")
    with pytest.raises(InvalidValue) as bad_year:
        seeded.search("RRP", year=1800)
    assert bad_year.value.params == {"value": "1800", "min": 1900, "max": 2100}
    with pytest.raises(InvalidValue) as bad_sort:
        seeded.search("RRP", sort="random")
    assert bad_sort.value.choices == ("relevance", "date", "amount")
    for error in (bad_page.value, bad_year.value, bad_sort.value):
        assert "--" not in str(error)


def test_document_and_require_document(seeded: Hakemisto) -> None:
    doc = seeded.document(S000)
    assert doc is not None and doc.facts is not None and "RRP" in doc.facts.programmes
    assert seeded.document("seeds/nope.txt") is None
    with pytest.raises(DocumentNotFound) as missing:
        seeded.require_document("seeds/nope.txt")
    assert missing.value.doc_id == "seeds/nope.txt" and missing.value.exit_code == 2
    assert "--" not in str(missing.value)


def test_report_projects_and_contacts(seeded: Hakemisto) -> None:
    report = seeded.report(programme="RRP")
    by_region = {r.region: r for r in report.regions}
    assert by_region["Pohjanmaa"].documents
    records = seeded.project_records()
    everything = seeded.projects(records=records)
    assert everything.projects, "the seeds name projects"
    by_name = seeded.projects(sort="name", records=records).projects
    assert [p.name.casefold() for p in by_name] == sorted(p.name.casefold() for p in by_name)
    first = everything.projects[0]
    assert seeded.project(first.id, records=records) == first and seeded.project("no-such-id") is None
    with pytest.raises(InvalidValue):
        seeded.projects(sort="colour")
    people = seeded.contacts(region="Pohjanmaa")
    assert any("Björndahl" in p.name for p in people)


def test_entities_and_region_errors(seeded: Hakemisto) -> None:
    funders = {e.name for e in seeded.entities(kind="funder")}
    assert "STM" in funders or "NextGenerationEU/RRF" in funders
    assert Hakemisto.region("Österbotten") == "Pohjanmaa"
    with pytest.raises(UnknownRegion) as unknown:
        seeded.entities(region="Atlantis")
    assert unknown.value.value == "Atlantis" and isinstance(unknown.value, UsageError)


def test_extract_runs_the_ingest_stages_without_an_index(tmp_path: Path) -> None:
    app = Hakemisto(load_settings(None, index_dir=tmp_path / "index", n_process=1))
    (tmp_path / "empty.txt").write_text("", encoding="utf-8")
    extraction = app.extract([SEEDS_DIR / "002_244ef9beec10c723.txt", tmp_path / "empty.txt"])
    assert [d.id for d in extraction.documents] == [S002]
    assert len(extraction.skipped) == 1 and "empty" in extraction.skipped[0].path
    record = gold_record(extraction.documents[0])
    assert record["lang"] == "fi" and record["region"] == FACTS[S002].region == "Keski-Pohjanmaa"
    assert not (tmp_path / "index").exists(), "extract never writes an index"


def test_eval_extract_needs_docs_or_a_page_set(tmp_path: Path) -> None:
    with pytest.raises(NoPageSplits) as raised:
        Hakemisto(load_settings(None, index_dir=tmp_path / "index")).eval_extract(tmp_path)
    assert raised.value.path == tmp_path and "--" not in str(raised.value)


def test_check_optimize_update_and_runs_on_a_copy(seeded: Hakemisto, tmp_path: Path) -> None:
    index = tmp_path / "index"
    shutil.copytree(seeded.settings.index_dir, index)
    app = Hakemisto(load_settings(None, index_dir=index, corpus_dir=seeded.settings.corpus_dir,
                                  report_dir=tmp_path / "runs", n_process=1))
    checked = app.check()
    assert checked.ok, checked.problems
    before = app.generation()
    done = app.optimize()
    assert app.generation() != before, "a commit changes the key the web's caches use"
    assert done.after.segments == 1 and done.after.documents == 5 and done.removed == []
    run = app.update(crawl=False)
    assert run.exit_code == 0 and run.counts["unchanged"] == 5
    assert app.last_run()["run_id"] == run.run_id and len(app.runs()) == 1


def test_digest_and_changes_of_the_last_run(seeded: Hakemisto) -> None:
    digest = seeded.digest(since=datetime.now(UTC) - timedelta(days=1), regions=["Pohjanmaa"])
    assert digest.count >= 1
    seeded.ingest([seeded.settings.corpus_dir / "seeds"])
    changes, at = seeded.changes(last_run=True)
    assert at is not None and changes == []  # the last run (ingesting the same seeds again) changed nothing


def test_a_missing_index_is_said_plainly(tmp_path: Path) -> None:
    app = Hakemisto(load_settings(None, index_dir=tmp_path / "none"))
    with pytest.raises(IndexMissingError):
        app.document_count()
    assert app.runs() == [] and app.last_run() is None


# --- the same errors in the command line's words -----------------------------------------------------


def test_a_held_lock_is_data_for_the_library_and_a_flag_for_the_cli(tmp_path: Path, runner) -> None:
    from hakemisto.app import IndexLockedError
    from hakemisto.cli import main
    from tests.conftest import hold_writer_lock

    index = tmp_path / "index"
    app = Hakemisto(load_settings(None, index_dir=index, n_process=1))
    with hold_writer_lock(index, "hakemisto nightly") as holder:
        with pytest.raises(IndexLockedError) as locked:
            app.ingest([SEEDS_DIR / "002_244ef9beec10c723.txt"])
        result = runner.invoke(main, ["ingest", str(SEEDS_DIR / "002_244ef9beec10c723.txt"), "--index-dir",
                                      str(index), "--quiet"])
    assert str(holder.pid) in locked.value.holder and locked.value.lock_path is not None
    assert "--" not in str(locked.value) and locked.value.exit_code == 3
    assert result.exit_code == 3
    assert result.output.startswith("Error: the index ") and "try again later or pass --wait SECONDS (lock file" in result.output


def test_a_bad_sources_file_names_the_flag_only_on_the_command_line(tmp_path: Path, runner) -> None:
    from hakemisto.app import SourcesFileError
    from hakemisto.cli import main

    app = Hakemisto(load_settings(None, index_dir=tmp_path / "index"))
    broken = tmp_path / "broken.toml"
    broken.write_text("[sources.x\n", encoding="utf-8")
    for path, cli_words in ((tmp_path / "missing.toml", "; check the --sources path"),
                            (broken, "; fix the file or leave out --sources")):
        with pytest.raises(SourcesFileError) as raised:
            app.sources(path)
        assert str(raised.value.path) == str(path) and "--" not in str(raised.value)
        result = runner.invoke(main, ["sources", "--sources", str(path)])
        assert result.exit_code == 1 and result.output.strip().endswith(cli_words), result.output
        assert result.output.count("\n") == 1
