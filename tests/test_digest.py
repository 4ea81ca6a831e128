"""What is new: the change log, the digest, saved searches, Atom feeds and mail (issue 18).

Three simulated nights of real nightly runs (real spaCy, voikko, Whoosh) over a small corpus:
night 1 builds the index, night 2 adds a page and changes a sum, night 3 adds a contact and removes
a page. Each night's ``digest --since-last-run`` and Atom feed must say exactly that.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import tomllib
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import feedparser
import pytest
from fastapi.testclient import TestClient

from hakemisto.cli import main
from hakemisto.core.config import Settings
from hakemisto.core.lock import PAUSE_MARKER
from hakemisto.jobs.nightly import NightlyOptions, run_nightly
from hakemisto.report import watch as watches
from hakemisto.report.changes import ChangeLog
from hakemisto.report.digest import build_digest, make_filter, render_atom
from hakemisto.search import index as idx
from hakemisto.web.app import create_app

pytestmark = pytest.mark.slow  # nightly runs and kill tests

OFFLINE = NightlyOptions(crawl=False)

KAINUU = """Arjen tuki -hanke sai valtionavustusta

Sosiaali- ja terveysministeriö on myöntänyt Kainuun hyvinvointialueelle {sum} Arjen tuki -hankkeelle \
vuosille 2024–2025. Hanke on osa Suomen kestävän kasvun ohjelmaa.

Lisätietoja antaa hankepäällikkö Liisa Korhonen, puh. 040 123 4567, liisa.korhonen@kainuu.fi
{extra}"""

POHJANMAA = """Hemvården utvecklas i Österbotten

Österbottens välfärdsområde har beviljats statsunderstöd på 800 000 euro för projektet Trygg hemvård.

Mer information: projektledare Anna Nyqvist, tfn 050 321 7654, anna.nyqvist@ovph.fi
"""

SATAKUNTA = """Satakunta käynnistää Digiarki-hankkeen

Satakunnan hyvinvointialue sai 450 000 euroa valtionavustusta Digiarki-hankkeelle, joka kehittää \
ikäihmisten etäpalveluja. Hanke on osa Suomen kestävän kasvun ohjelmaa.

Yhteyshenkilö: projektipäällikkö Timo Saarinen, puh. 044 555 1212, timo.saarinen@sata.fi
"""

NEW_CONTACT = "\nLisäksi tietoja antaa projektikoordinaattori Mikko Laine, puh. 050 765 4321, mikko.laine@kainuu.fi\n"


def _night(settings: Settings, day: int) -> None:
    moment = datetime(2026, 11, day, 2, 0, tzinfo=UTC)
    report = run_nightly(settings, OFFLINE, now=moment)
    assert report.exit_code == 0, report.error


@pytest.fixture(scope="module")
def nights(tmp_path_factory: pytest.TempPathFactory) -> dict:
    """Settings after three nights, and the digests (fi and sv, JSON) and feeds taken after each."""
    root = tmp_path_factory.mktemp("nights")
    settings = Settings(index_dir=root / "index", corpus_dir=root / "corpus", report_dir=root / "runs",
                        n_process=1, grace_days=0)
    pages = settings.corpus_dir / "pages"
    pages.mkdir(parents=True)
    kainuu = pages / "kainuu_arjentuki.txt"
    kainuu.write_text(KAINUU.format(sum="1,2 miljoonaa euroa", extra=""), encoding="utf-8")
    (pages / "pohjanmaa_hemvard.txt").write_text(POHJANMAA, encoding="utf-8")
    out: dict = {"settings": settings, "digests": {}, "feeds": {}}

    def take(n: int) -> None:
        for lang in ("fi", "sv"):
            result = _cli(settings, "digest", "--since-last-run", "--json", "--lang", lang)
            assert result.exit_code == 0, result.output
            out["digests"][(n, lang)] = json.loads(result.output)
        client = TestClient(create_app(settings, cache_size=0))
        out["feeds"][n] = client.get("/feeds/digest.atom", params={"days": 3650}).text

    _night(settings, 1)
    take(1)
    watches.add(settings.index_dir, "kaikki", make_filter())
    watches.add(settings.index_dir, "kainuu", make_filter(regions=["Kajanaland"]), "sv")
    (pages / "satakunta_digiarki.txt").write_text(SATAKUNTA, encoding="utf-8")
    kainuu.write_text(KAINUU.format(sum="1,5 miljoonaa euroa", extra=""), encoding="utf-8")
    _night(settings, 2)
    take(2)
    kainuu.write_text(KAINUU.format(sum="1,5 miljoonaa euroa", extra=NEW_CONTACT), encoding="utf-8")
    (pages / "pohjanmaa_hemvard.txt").unlink()
    _night(settings, 3)
    take(3)
    return out


def _cli(settings: Settings, *args: str):
    from click.testing import CliRunner

    return CliRunner().invoke(main, [*args, "--index-dir", str(settings.index_dir)],
                              env={"HAKEMISTO_CONFIG": str(settings.index_dir.parent / "none.toml")})


def _items(digest: dict) -> list[tuple[str | None, str | None, str, str]]:
    """(region, project, kind, text) of every digest line."""
    return [(g["region"], p["project"], i["kind"], i["text"])
            for g in digest["regions"] for p in g["projects"] for i in p["items"]]


def _entries(digest: dict) -> set[tuple[str, str]]:
    return {(i[2], i[3]) for i in _items(digest) if i[2].startswith("page_")}


def test_night_one_everything_is_new(nights: dict) -> None:
    d = nights["digests"][(1, "fi")]
    assert d["entries"] == 2
    assert _entries(d) == {("page_new", "Arjen tuki -hanke sai valtionavustusta"),
                           ("page_new", "Hemvården utvecklas i Österbotten")}
    regions = [g["region"] for g in d["regions"]]
    assert regions == ["Kainuu", "Pohjanmaa"]
    kinds = {(i[0], i[2]) for i in _items(d)}
    assert ("Kainuu", "new_amount") in kinds and ("Kainuu", "new_contact") in kinds
    assert ("Kainuu", "new_project") in kinds


def test_night_two_new_page_and_changed_amount(nights: dict) -> None:
    d = nights["digests"][(2, "fi")]
    assert d["entries"] == 2  # the new Satakunta page and the changed Kainuu page; Pohjanmaa untouched
    assert _entries(d) == {("page_changed", "Arjen tuki -hanke sai valtionavustusta"),
                           ("page_new", "Satakunta käynnistää Digiarki-hankkeen")}
    items = _items(d)
    kainuu = [i for i in items if i[0] == "Kainuu"]
    assert {i[2] for i in kainuu} == {"new_amount", "removed_amount", "page_changed"}
    new = next(i for i in kainuu if i[2] == "new_amount")
    gone = next(i for i in kainuu if i[2] == "removed_amount")
    assert "1,5\u00a0milj.\u00a0€" in new[3] and "1,2\u00a0milj.\u00a0€" in gone[3]  # fmt.format_eur
    assert any(i[0] == "Satakunta" and i[2] == "new_project" for i in items)
    assert all(g["region"] != "Pohjanmaa" for g in d["regions"])


def test_night_three_new_contact_and_removed_page(nights: dict) -> None:
    d = nights["digests"][(3, "fi")]
    assert d["entries"] == 2
    assert _entries(d) == {("page_changed", "Arjen tuki -hanke sai valtionavustusta"),
                           ("page_removed", "Hemvården utvecklas i Österbotten")}
    kainuu = [i for i in _items(d) if i[0] == "Kainuu"]
    assert [i[3] for i in kainuu if i[2] == "new_contact"] == [
        "Mikko Laine, projektikoordinaattori, +358507654321, mikko.laine@kainuu.fi"]
    assert not [i for i in kainuu if i[2] in ("new_amount", "removed_amount")]


def test_swedish_digest_names_counties_in_swedish(nights: dict) -> None:
    d = nights["digests"][(3, "sv")]
    assert d["lang"] == "sv" and d["title"].startswith("Nytt i projektkatalogen")
    names = [g["name"] for g in d["regions"]]
    assert names == ["Kajanaland", "Österbotten"]
    assert _entries(d) == _entries(nights["digests"][(3, "fi")])


def test_atom_feed_parses_and_grows_without_repeating(nights: dict) -> None:
    ids = []
    for n in (1, 2, 3):
        parsed = feedparser.parse(nights["feeds"][n])
        assert not parsed.bozo, parsed.get("bozo_exception")
        assert parsed.feed.title == "Uutta hankehakemistossa"
        ids.append({e.id for e in parsed.entries})
    assert len(ids[0]) == 2 and len(ids[1]) == 4 and len(ids[2]) == 6
    assert ids[0] < ids[1] < ids[2]  # stable ids: yesterday's entries keep theirs


def test_watch_feed_in_swedish(nights: dict) -> None:
    client = TestClient(create_app(nights["settings"], cache_size=0))
    response = client.get("/feeds/watch/kainuu.atom", params={"days": 3650})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/atom+xml")
    parsed = feedparser.parse(response.text)
    assert not parsed.bozo
    assert parsed.feed.title == "Sparad sökning: kainuu"
    assert parsed.entries and all(e.title.startswith("Kajanaland: ") for e in parsed.entries)
    assert client.get("/feeds/watch/nope.atom").status_code == 404
    assert client.get("/feeds/digest.atom", params={"bogus": 1}).status_code == 422


def test_digest_filters_take_any_known_name(nights: dict) -> None:
    settings = nights["settings"]
    result = _cli(settings, "digest", "--since", "2000-01-01", "--region", "Satakunta", "--json")
    assert result.exit_code == 0, result.output
    assert [g["region"] for g in json.loads(result.output)["regions"]] == ["Satakunta"]
    result = _cli(settings, "digest", "--since", "2000-01-01", "--programme", "Suomen kestävän kasvun ohjelma",
                  "--json")
    assert {g["region"] for g in json.loads(result.output)["regions"]} == {"Kainuu", "Satakunta"}
    result = _cli(settings, "digest", "--since", "2000-01-01", "--query", "etäpalveluja", "--json")
    assert [g["region"] for g in json.loads(result.output)["regions"]] == ["Satakunta"]
    bad = _cli(settings, "digest", "--region", "Atlantis")
    assert bad.exit_code == 2 and bad.output.count("\n") == 1 and "Atlantis" in bad.output
    for fmt, marker in (("markdown", "# Uutta"), ("text", "Uutta"), ("atom", "<feed")):
        out = _cli(settings, "digest", "--since", "2000-01-01", "--format", fmt)
        assert out.exit_code == 0 and marker in out.output


def test_watch_delivers_each_entry_once(nights: dict) -> None:
    settings = nights["settings"]
    first = _cli(settings, "watch", "run", "kaikki", "--json")
    assert first.exit_code == 0, first.output
    delivered = json.loads(first.output)[0]
    assert delivered["entries"] == 4  # nights 2 and 3 (the watch was added after night 1)
    again = json.loads(_cli(settings, "watch", "run", "kaikki", "--json").output)[0]
    assert again["entries"] == 0 and again["delivered"]
    listed = json.loads(_cli(settings, "watch", "list", "--json").output)
    assert {w["name"]: w["delivered"] for w in listed} == {"kaikki": 4, "kainuu": 0}


def test_failed_mail_keeps_entries_then_delivers(nights: dict, tmp_path: Path) -> None:
    import socket

    from aiosmtpd.controller import Controller

    settings = replace(nights["settings"], index_dir=tmp_path / "index")
    # A private copy of the index directory so the shared watches are not consumed.
    import shutil

    shutil.copytree(nights["settings"].index_dir, settings.index_dir)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        closed_port = s.getsockname()[1]
    down = _cli(settings, "watch", "run", "kainuu", "--mail-to", "a@example.fi", "--smtp", f"127.0.0.1:{closed_port}")
    assert down.exit_code == 1 and "NOT delivered" in down.output
    assert watches.get(settings.index_dir, "kainuu").delivered == 0

    class Inbox:
        def __init__(self) -> None:
            self.messages: list[bytes] = []

        async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's hook name
            self.messages.append(envelope.content)
            return "250 OK"

    inbox = Inbox()
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        up = _cli(settings, "watch", "run", "kainuu", "--mail-to", "a@example.fi", "--smtp", f"127.0.0.1:{port}")
        assert up.exit_code == 0, up.output
        assert len(inbox.messages) == 1
        import email

        msg = email.message_from_bytes(inbox.messages[0])
        assert "Hakemisto: kainuu" in msg["Subject"]
        kinds = sorted(part.get_content_type() for part in msg.walk() if not part.is_multipart())
        assert kinds == ["text/html", "text/plain"]
        text = next(p for p in msg.walk() if p.get_content_type() == "text/plain").get_payload(decode=True)
        assert "Kajanaland" in text.decode("utf-8")
        again = _cli(settings, "watch", "run", "kainuu", "--mail-to", "a@example.fi", "--smtp", f"127.0.0.1:{port}")
        assert again.exit_code == 0 and len(inbox.messages) == 1  # nothing new: no second mail
    finally:
        controller.stop()


def test_watch_add_rejects_bad_input(tmp_path: Path) -> None:
    settings = Settings(index_dir=tmp_path / "index")
    bad_name = _cli(settings, "watch", "add", "no spaces")
    assert bad_name.exit_code == 2 and bad_name.output.startswith("Error:")
    assert _cli(settings, "watch", "add", "ok").exit_code == 0
    dup = _cli(settings, "watch", "add", "ok")
    assert dup.exit_code == 2 and "exists" in dup.output
    missing = _cli(settings, "watch", "run", "nope")
    assert missing.exit_code == 2 and "ok" in missing.output
    bad_smtp = _cli(settings, "watch", "run", "ok", "--mail-to", "a@b.fi", "--smtp", "host:port")
    assert bad_smtp.exit_code == 2
    assert _cli(settings, "watch", "remove", "ok").exit_code == 0
    assert _cli(settings, "watch", "list").output.startswith("No saved watches")


def test_nightly_watch_writes_digests_and_counts_them(tmp_path: Path) -> None:
    settings = Settings(index_dir=tmp_path / "index", corpus_dir=tmp_path / "corpus",
                        report_dir=tmp_path / "runs", n_process=1, grace_days=0)
    pages = settings.corpus_dir / "pages"
    pages.mkdir(parents=True)
    (pages / "satakunta_digiarki.txt").write_text(SATAKUNTA, encoding="utf-8")
    watches.add(settings.index_dir, "sata", make_filter(regions=["Satakunta"]))
    watches.add(settings.index_dir, "lappi", make_filter(regions=["Lappi"]))
    report = run_nightly(settings, NightlyOptions(crawl=False, watch=True))
    assert report.exit_code == 0, report.error
    assert report.counts["digests_produced"] == 1 and report.counts["digests_delivered"] == 1
    files = list((settings.runs_dir / "digests").glob("sata-*.md"))
    assert len(files) == 1 and "Digiarki" in files[0].read_text(encoding="utf-8")


def test_change_log_is_pruned_by_age(tmp_path: Path) -> None:
    log = ChangeLog(tmp_path)
    old = log.commit(log.write_pending("2020-01-01T000000.000000Z-1", "2020-01-01T00:00:00+00:00", []))
    log.commit(log.write_pending("2026-11-30T000000.000000Z-1", "2026-11-30T00:00:00+00:00", []))
    assert log.prune(365, now=datetime(2026, 12, 1, tzinfo=UTC)) == 1
    assert not old.exists() and len(log.runs()) == 1


def test_atom_escapes_hostile_titles() -> None:
    from hakemisto.report.changes import Change

    change = Change(run="r", at="2026-11-01T00:00:00+00:00", doc="x", kind="new",
                    title="<script>alert(1)</script> & \x1b[31m", url="javascript:alert(1)")
    xml = render_atom(build_digest([change], "fi"), feed_id="urn:x")
    parsed = feedparser.parse(xml)
    assert not parsed.bozo
    assert "<script>" not in xml and "javascript:" not in xml


def test_digest_labels_exist_in_both_languages() -> None:
    from importlib import resources

    data = tomllib.loads(resources.files("hakemisto").joinpath("data/digest.toml").read_text(encoding="utf-8"))
    assert set(data["fi"]) == set(data["sv"])


# --- crash safety: SIGKILL around the commit and the watch cursor -------------------------------


def _env(settings: Settings, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("HAKEMISTO_")}
    env.update(HAKEMISTO_CONFIG=str(settings.index_dir.parent / "none.toml"),
               HAKEMISTO_INDEX=str(settings.index_dir), HAKEMISTO_CORPUS_DIR=str(settings.corpus_dir),
               HAKEMISTO_REPORT_DIR=str(settings.runs_dir), HAKEMISTO_N_PROCESS="1", HAKEMISTO_GRACE_DAYS="0")
    env.update(extra)
    return env


def _kill_at(settings: Settings, stage: str, *args: str) -> None:
    proc = subprocess.Popen([sys.executable, "-m", "hakemisto", *args], env=_env(settings, HAKEMISTO_TEST_PAUSE_AT=stage),
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert proc.stderr is not None
    for line in proc.stderr:
        if line.startswith(f"{PAUSE_MARKER} stage={stage}"):
            proc.send_signal(signal.SIGKILL)
            proc.wait()
            return
    proc.wait()
    raise AssertionError(f"never paused at {stage}: rc={proc.returncode}")


@pytest.fixture
def small(tmp_path: Path) -> Settings:
    settings = Settings(index_dir=tmp_path / "index", corpus_dir=tmp_path / "corpus", report_dir=tmp_path / "runs",
                        n_process=1, grace_days=0)
    (settings.corpus_dir / "pages").mkdir(parents=True)
    (settings.corpus_dir / "pages" / "satakunta_digiarki.txt").write_text(SATAKUNTA, encoding="utf-8")
    run_nightly(settings, OFFLINE)
    (settings.corpus_dir / "pages" / "pohjanmaa_hemvard.txt").write_text(POHJANMAA, encoding="utf-8")
    return settings


@pytest.mark.slow
@pytest.mark.parametrize("stage, committed", [("commit", False), ("changelog", True)])
def test_kill_around_commit_keeps_log_and_index_agreeing(small: Settings, stage: str, committed: bool) -> None:
    log = ChangeLog(small.index_dir)
    runs_before = [r.run for r in log.runs()]
    _kill_at(small, stage, "nightly", "--no-crawl", "--quiet")
    hashes = idx.stored_hashes(small.index_dir)
    assert any(k.endswith("pohjanmaa_hemvard.txt") for k in hashes) is committed
    assert [r.run for r in log.runs()] == runs_before  # nothing half-written is visible
    report = run_nightly(small, OFFLINE)  # the next run settles the pending file
    assert report.exit_code == 0, report.error
    news = [c for r in log.runs() if r.run not in runs_before for c in log.entries(runs=[r.run])]
    assert [(c.kind, c.title) for c in news] == [("new", "Hemvården utvecklas i Österbotten")]
    assert not list(log.dir.glob("*.pending.jsonl"))


@pytest.mark.slow
def test_kill_during_watch_run_redelivers(small: Settings) -> None:
    watches.add(small.index_dir, "kaikki", make_filter())
    run_nightly(small, OFFLINE)
    _kill_at(small, "watch", "watch", "run", "kaikki")
    saved = watches.get(small.index_dir, "kaikki")
    assert saved.delivered == 0  # killed before the cursor moved: delivered at least once, never lost
    result = watches.run_watch(small.index_dir, "kaikki", lambda w, d: "test")
    assert result.entries == 1 and watches.get(small.index_dir, "kaikki").delivered == 1


def test_since_last_run_is_empty_after_a_quiet_night(small: Settings) -> None:
    run_nightly(small, OFFLINE)  # picks up the Pohjanmaa page
    run_nightly(small, OFFLINE)  # nothing changed
    result = _cli(small, "digest", "--since-last-run", "--json")
    assert json.loads(result.output)["entries"] == 0
    week = _cli(small, "digest", "--since", (datetime.now(UTC) - timedelta(days=7)).date().isoformat(), "--json")
    assert json.loads(week.output)["entries"] >= 2
