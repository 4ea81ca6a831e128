"""The nightly job: crawl → load the corpus → ingest what changed → remove what is gone → report.

Crash safety comes from the layers below and from ordering here: the index only changes in one
atomic Whoosh commit (or a rebuild-and-swap), and the job's own state (first-missing times, the run
report) is written atomically *after* that commit. A run killed anywhere therefore leaves the previous
index searchable, and the next run simply redoes the work (unchanged documents cost a hash lookup).
One writer at a time: the index's ``flock`` writer lock (``lock.WriterLock``), held for the whole run;
a second job (or any other writer) waits ``lock_wait`` seconds, then exits with code 3.
"""

from __future__ import annotations

import os
import shutil
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from hakemisto import PIPELINE_VERSION
from hakemisto.core.atomic import read_json, write_json
from hakemisto.core.config import Settings
from hakemisto.core.errors import HakemistoError
from hakemisto.core.lock import pause_point, writer_lock
from hakemisto.core.model import Document, Skip
from hakemisto.core.notes import Note, note_dicts
from hakemisto.documents.loaders import SNAPSHOT_META, expand_paths, load_file
from hakemisto.report.changes import new_run_id
from hakemisto.search import index as idx
from hakemisto.search import whoosh_compat

Progress = Callable[[str, int, int], None]
Log = Callable[[str], None]

STATE_FILE = "_missing.json"
EXIT_OK, EXIT_FAILURES, EXIT_FAILED, EXIT_LOCKED = 0, 1, 2, 3
STATUS_BY_EXIT = {EXIT_OK: "ok", EXIT_FAILURES: "finished with failures", EXIT_FAILED: "failed"}


def _now() -> datetime:
    return datetime.now(UTC)


def _iso(moment: datetime) -> str:
    return moment.isoformat(timespec="seconds")


# --- loading the corpus --------------------------------------------------------------------------


def gone_reason(meta: dict[str, Any] | None) -> str | None:
    """Why the crawler considers a snapshot's source gone, from its metadata (None: still there).

    Contract with the crawler: a page that answered 410, or 404 on repeated re-crawls, keeps its
    snapshot and gets ``"gone": "<reason>"`` in its meta file (``status`` 410 is also understood).
    """
    if not meta:
        return None
    if meta.get("gone"):
        return str(meta["gone"]) if isinstance(meta["gone"], str) else "source gone"
    status = meta.get("status")
    if status == 410:
        return "410 Gone"
    misses = meta.get("not_found_count") or meta.get("misses") or 0
    if status == 404 and isinstance(misses, int) and misses >= 2:
        return f"404 on {misses} re-crawls"
    return None


@dataclass
class CorpusLoad:
    documents: list[Document] = field(default_factory=list)
    skipped: list[Skip] = field(default_factory=list)
    gone: dict[str, str] = field(default_factory=dict)  # document id → why its source is gone
    roots: tuple[Path, ...] = ()


def corpus_roots(settings: Settings, extra_paths: Iterable[str | Path] = ()) -> tuple[Path, ...]:
    return tuple(Path(p).expanduser().resolve() for p in (settings.corpus_dir, *extra_paths))


def load_corpus(
    settings: Settings, extra_paths: Iterable[str | Path] = (), progress: Progress | None = None
) -> CorpusLoad:
    """Every document the corpus would produce now (no NLP): seeds, shipped files, crawl snapshots.

    In the crawl directory only snapshot HTML is read; the store's bookkeeping (meta, state) is not
    a document and would only add noise to the skipped list.
    """
    result = CorpusLoad(roots=corpus_roots(settings, extra_paths))
    crawl_dir = settings.crawl_dir.expanduser().resolve()
    files = [
        f
        for f in expand_paths(result.roots)
        if not f.resolve().is_relative_to(crawl_dir) or (f.suffix.lower() in (".html", ".htm"))
    ]
    loaded_at = _now()
    total = len(files)
    for n, path in enumerate(files, 1):
        items = list(load_file(path, settings, loaded_at))
        reason = None
        if path.resolve().is_relative_to(crawl_dir):
            reason = gone_reason(read_json(path.with_name(path.stem + SNAPSHOT_META)))
        for item in items:
            if isinstance(item, Document):
                result.documents.append(item)
                if reason:
                    result.gone[item.id] = reason
            else:
                result.skipped.append(item)
        if progress and (n == total or n % 200 == 0):
            progress("load", n, total)
        if n == max(total // 2, 1):
            pause_point("load")
    return result


# --- what is missing, and when it may go -------------------------------------------------------


@dataclass(frozen=True)
class StoredRef:
    id: str
    path: str | None
    url: str | None


def stored_refs(index_dir: Path) -> list[StoredRef]:
    """Id, path and URL of every indexed document (stored fields only; the JSON is not parsed)."""
    if not idx.exists(index_dir):
        return []
    ix = idx.open_index(index_dir)
    with ix.searcher() as searcher:
        return [StoredRef(f["id"], f.get("path"), f.get("url")) for f in searcher.all_stored_fields()]


def missing_documents(refs: Sequence[StoredRef], load: CorpusLoad, settings: Settings) -> dict[str, str]:
    """Indexed documents the corpus no longer produces, with the reason.

    Only documents that came from a loaded directory count (a file ingested by hand from elsewhere
    is left alone). A file that still exists but was skipped this time (unreadable, too large…) is
    not missing: that is a problem to fix, not a reason to delete.
    """
    produced = {d.id for d in load.documents}
    protected = {s.path for s in load.skipped} | {s.path.rsplit(":", 1)[0] for s in load.skipped}
    crawl_loaded = any(settings.crawl_dir.resolve().is_relative_to(r) for r in load.roots)
    missing = dict(load.gone)
    for ref in refs:
        if ref.id in produced or ref.id in missing:
            continue
        if ref.path:
            path = Path(ref.path).expanduser()
            if ref.path in protected or not any(path.resolve().is_relative_to(r) for r in load.roots):
                continue
            missing[ref.id] = "file deleted" if not path.exists() else "no longer in its file"
        elif ref.url and crawl_loaded and ref.url not in protected and ref.id not in protected:
            missing[ref.id] = "snapshot no longer in the crawl store"
    return missing


def plan_removals(
    missing: dict[str, str], state: dict[str, Any], now: datetime, grace_days: float
) -> tuple[dict[str, Any], list[str], list[dict[str, str]]]:
    """New state, ids due for removal (missing longer than the grace period), and those still waiting."""
    old = state.get("missing", {}) if isinstance(state, dict) else {}
    entries: dict[str, Any] = {}
    due: list[str] = []
    pending: list[dict[str, str]] = []
    for doc_id, reason in sorted(missing.items()):
        first = old.get(doc_id, {}).get("first_missing") or _iso(now)
        entries[doc_id] = {"first_missing": first, "reason": reason}
        remove_after = datetime.fromisoformat(first) + timedelta(days=grace_days)
        if remove_after <= now:
            due.append(doc_id)
        else:
            pending.append({"id": doc_id, "reason": reason, "first_missing": first, "remove_after": _iso(remove_after)})
    return {"version": 1, "missing": entries}, due, pending


# --- index housekeeping --------------------------------------------------------------------------


def recover_index(index_dir: Path) -> list[str]:
    """Undo what a run killed inside a rebuild-and-swap can leave: no index but ``.old``, stray runs."""
    notes: list[str] = []
    old = index_dir.with_name(index_dir.name + ".old")
    staging = index_dir.with_name(index_dir.name + ".rebuild")
    if not idx.exists(index_dir) and idx.exists(old):
        if index_dir.exists():
            shutil.rmtree(index_dir)
        os.replace(old, index_dir)
        notes.append(f"restored the previous index from {old.name} (a rebuild was interrupted mid-swap)")
    for item in ("runs",):
        if (staging / item).is_dir() and not (index_dir / item).exists() and index_dir.is_dir():
            os.replace(staging / item, index_dir / item)
            notes.append(f"moved {item}/ back from an interrupted rebuild")
    return notes


@dataclass(frozen=True)
class IndexSummary:
    documents: int
    size_bytes: int
    segments: int

    def to_dict(self) -> dict[str, int]:
        return {"documents": self.documents, "size_bytes": self.size_bytes, "segments": self.segments}


def index_summary(index_dir: Path) -> IndexSummary:
    """Doc count and size without reading stored documents (cheap enough for every run)."""
    if not idx.exists(index_dir):
        return IndexSummary(0, 0, 0)
    ix = idx.open_index(index_dir)
    with ix.searcher() as searcher:
        count = searcher.doc_count()
    segments = whoosh_compat.segment_count(ix)
    size = sum(p.stat().st_size for p in index_dir.iterdir() if p.is_file())
    return IndexSummary(count, size, segments)


# --- crawl stage ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class CrawlOutcome:
    fetched: int = 0
    not_modified: int = 0
    failed: tuple[tuple[str, str], ...] = ()
    requests: int = 0
    pending: int = 0
    budget_hit: tuple[str, ...] = ()  # sources that stopped at their page budget


def run_crawl(
    settings: Settings, regions: Sequence[str], progress: Progress | None, log: Log | None = None
) -> CrawlOutcome:
    """Call the crawler (``fetch.crawl``) and keep the counts of its report; failures are values."""
    from hakemisto.crawl import fetch  # loaded only when the run crawls (an offline run needs no HTTP stack)

    report = fetch.crawl(settings, regions=tuple(regions), progress=progress, log=log)
    data = report.to_dict()
    return CrawlOutcome(
        fetched=data["fetched"],
        not_modified=data["not_modified"],
        failed=tuple((item["url"], item["reason"]) for item in data["failed"]),
        requests=data["requests"],
        pending=data["pending"],
        budget_hit=tuple(r.source for r in report.sources if r.budget_hit),
    )


# --- the run -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class NightlyOptions:
    crawl: bool = True
    regions: tuple[str, ...] = ()
    extra_paths: tuple[Path, ...] = ()
    watch: bool = False  # run every saved search after a successful ingest


@dataclass(frozen=True)
class RunReport:
    run_id: str
    started: str
    finished: str | None
    exit_code: int
    status: str
    options: dict[str, Any]
    stages: dict[str, float]
    counts: dict[str, int]
    failed: tuple[dict[str, str], ...]
    skipped: tuple[dict[str, str], ...]
    removed_ids: tuple[str, ...]
    pending_removal: tuple[dict[str, str], ...]
    rebuilt: bool
    rebuild_reason: str | None
    index_before: dict[str, int]
    index_after: dict[str, int]
    notes: tuple[str, ...]
    error: str | None
    path: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "run_id": self.run_id,
            "pipeline_version": PIPELINE_VERSION,
            "started": self.started,
            "finished": self.finished,
            "exit_code": self.exit_code,
            "status": self.status,
            "options": self.options,
            "stages": {k: round(v, 3) for k, v in self.stages.items()},
            "counts": self.counts,
            "failed": list(self.failed),
            "skipped": list(self.skipped),
            "removed_ids": list(self.removed_ids),
            "pending_removal": list(self.pending_removal),
            "rebuilt": self.rebuilt,
            "rebuild_reason": self.rebuild_reason,
            "index": {"before": self.index_before, "after": self.index_after},
            "notes": list(self.notes),
            "error": self.error,
            "path": self.path,
        }


def _new_run_id(now: datetime) -> str:
    """Sortable by start time to the microsecond: two runs within a second still list in order."""
    return new_run_id(now)


def mark_interrupted(runs_dir: Path) -> list[str]:
    """Reports still saying 'running' belong to killed jobs (we hold the lock): say so."""
    marked = []
    for path in sorted(runs_dir.glob("*.json")) if runs_dir.is_dir() else []:
        data = read_json(path)
        if path.name.startswith("_") or not isinstance(data, dict) or data.get("status") != "running":
            continue
        data.update(status="interrupted", exit_code=None, error="the job was killed before it finished")
        write_json(path, data)
        marked.append(data.get("run_id", path.stem))
    return marked


def run_nightly(
    settings: Settings,
    options: NightlyOptions = NightlyOptions(),
    *,
    progress: Progress | None = None,
    log: Log | None = None,
    now: datetime | None = None,
) -> RunReport:
    """One nightly run; raises ``IndexLockedError`` when another job holds the lock.

    Every other failure is caught and reported (exit code 2), so cron always gets a report file.
    ``now`` is for tests of the grace period.
    """
    started = now or _now()
    run_id = _new_run_id(started)
    runs_dir = settings.runs_dir
    with writer_lock(settings, "hakemisto nightly", run_id):
        report_path = runs_dir / f"{run_id}.json"
        notes: list[str] = []
        interrupted = mark_interrupted(runs_dir)
        if interrupted:
            notes.append(f"previous run(s) {', '.join(interrupted)} had been killed; finishing their work")
        notes.extend(recover_index(settings.index_dir))
        opts = {
            "crawl": options.crawl,
            "regions": list(options.regions),
            "paths": [str(p) for p in corpus_roots(settings, options.extra_paths)],
            "index_dir": str(settings.index_dir),
            "grace_days": settings.grace_days,
            "corpus_dir": str(settings.corpus_dir),
            "sources_file": str(settings.sources_file) if settings.sources_file else None,
            "page_budget": settings.page_budget,
        }
        write_json(report_path, {"run_id": run_id, "started": _iso(started), "status": "running", "options": opts})
        stages: dict[str, float] = {}
        counts: dict[str, int] = {}
        failed: list[dict[str, str]] = []
        skipped: list[Skip] = []
        removed: list[str] = []
        pending: list[dict[str, str]] = []
        rebuilt, rebuild_reason, error = False, None, None
        before = index_summary(settings.index_dir)
        after = before
        t_start = time.perf_counter()
        try:
            t = time.perf_counter()
            if options.crawl:
                pause_point("crawl")
                crawl = run_crawl(settings, options.regions, progress, log)
                counts.update(fetched=crawl.fetched, not_modified=crawl.not_modified,
                              requests=crawl.requests, pending=crawl.pending)  # fmt: skip
                if crawl.budget_hit:
                    notes.append(
                        f"page budget ({settings.page_budget}) reached for {', '.join(crawl.budget_hit)}; "
                        f"{crawl.pending} URLs left for the next run"
                    )
                failed.extend({"what": what, "reason": reason} for what, reason in crawl.failed)
                stages["crawl"] = time.perf_counter() - t
            t = time.perf_counter()
            load = load_corpus(settings, options.extra_paths, progress)
            skipped = load.skipped
            stages["load"] = time.perf_counter() - t

            t = time.perf_counter()
            refs = stored_refs(settings.index_dir)
            missing = missing_documents(refs, load, settings)
            state_path = runs_dir / STATE_FILE
            state, due, pending = plan_removals(missing, read_json(state_path) or {}, started, settings.grace_days)
            due_set = set(due)
            documents = [d for d in load.documents if d.id not in due_set]
            stages["plan_removals"] = time.perf_counter() - t

            from hakemisto.jobs.pipeline import ingest_documents

            def extract_progress(stage: str, done: int, total: int) -> None:
                if progress:
                    progress(stage, done, total)
                if stage == "extract":
                    pause_point("extract")

            ingest = ingest_documents(
                documents, settings, skipped=skipped, remove_ids=due, progress=extract_progress, run_id=run_id
            )
            notes.extend(ingest.notes)
            stages.update({k: v for k, v in ingest.durations.items() if k != "total"})
            skipped = ingest.skipped  # the load's skips plus duplicate ids found while ingesting
            removed = sorted(due_set & {r.id for r in refs})
            # Forget ids that are gone from the index and the corpus alike; keep gone-but-on-disk ones.
            state["missing"] = {k: v for k, v in state["missing"].items() if k not in due_set or k in load.gone}
            write_json(state_path, state)
            rebuilt, rebuild_reason = ingest.rebuilt, ingest.rebuild_reason
            counts.update(
                loaded=len(load.documents),
                new=ingest.new,
                changed=ingest.changed,
                unchanged=ingest.unchanged,
                removed=len(removed),
                pending_removal=len(pending),
                relinked=ingest.relinked,
            )
            after = index_summary(settings.index_dir)
            if options.watch:
                t = time.perf_counter()
                produced, delivered, watch_failures = run_watches(settings)
                counts.update(digests_produced=produced, digests_delivered=delivered)
                failed.extend(watch_failures)
                stages["watch"] = time.perf_counter() - t
        except HakemistoError as exc:
            error = str(exc)
        except Exception as exc:  # the job failed: report it (exit 2), never leave cron without a report
            error = f"{type(exc).__name__}: {exc}"
        counts.update(failed=len(failed), skipped=len(skipped))
        stages["total"] = time.perf_counter() - t_start
        exit_code = EXIT_FAILED if error else (EXIT_FAILURES if failed else EXIT_OK)
        report = RunReport(
            run_id=run_id,
            started=_iso(started),
            finished=_iso(_now()),
            exit_code=exit_code,
            status=STATUS_BY_EXIT[exit_code],
            options=opts,
            stages=stages,
            counts=counts,
            failed=tuple(failed),
            skipped=tuple({"path": s.path, "reason": s.reason} for s in skipped),
            removed_ids=tuple(removed),
            pending_removal=tuple(pending),
            rebuilt=rebuilt,
            rebuild_reason=rebuild_reason,
            index_before=before.to_dict(),
            index_after=after.to_dict(),
            notes=tuple(notes),
            error=error,
            path=str(report_path),
        )
        write_json(report_path, report.to_dict())
    return report


def run_watches(settings: Settings) -> tuple[int, int, list[dict[str, str]]]:
    """Every saved search after the ingest: mailed when it has a mail address, else written as a
    Markdown file under ``<runs>/digests/``. Returns (digests produced, delivered, failures)."""
    from hakemisto.report import watch as watches

    produced = delivered = 0
    failures: list[dict[str, str]] = []

    def deliver(w: watches.Watch, digest: Any) -> str:
        if not digest.count:
            return "nothing new"
        if w.mail_to and w.smtp:
            return watches.send_mail(digest, name=w.name, mail_to=w.mail_to, smtp=w.smtp)
        return watches.write_digest_file(settings.runs_dir / "digests", w, digest)

    for w in watches.list_watches(settings.index_dir):
        result = watches.run_watch(settings.index_dir, w.name, deliver)
        produced += result.entries > 0
        if result.delivered:
            delivered += result.entries > 0
        else:
            failures.append({"what": f"watch {w.name}", "reason": result.error or "not delivered"})
    return produced, delivered, failures


# --- past runs -----------------------------------------------------------------------------------


def list_runs(runs_dir: Path, last: int | None = None) -> list[dict[str, Any]]:
    """Past run reports, oldest first (file names sort by start time)."""
    if not runs_dir.is_dir():
        return []
    reports = []
    for path in sorted(runs_dir.glob("*.json")):
        if path.name.startswith(("_", ".")):
            continue
        data = read_json(path)
        if isinstance(data, dict) and data.get("run_id"):
            reports.append(data)
    return reports[-last:] if last else reports


def summary_lines(report: dict[str, Any]) -> list[str]:
    """The short human summary printed after a run (and by ``hakemisto runs``)."""
    counts = report.get("counts", {})
    total = report.get("stages", {}).get("total")
    took = f" in {total:.1f} s" if isinstance(total, (int, float)) else ""
    code = report.get("exit_code")
    lines = [f"nightly {report.get('started')}: {report.get('status')}{took}" + (f" (exit {code})" if code is not None else "")]
    if report.get("options", {}).get("crawl"):
        lines.append(
            f"crawl: {counts.get('requests', 0)} requests, {counts.get('fetched', 0)} fetched, "
            f"{counts.get('not_modified', 0)} not modified"
            + (f", {counts['pending']} URLs left for the next run" if counts.get("pending") else "")
        )
    if "loaded" in counts:
        lines.append(
            f"documents: {counts['loaded']} loaded; {counts.get('new', 0)} new, {counts.get('changed', 0)} changed, "
            f"{counts.get('unchanged', 0)} unchanged, {counts.get('removed', 0)} removed, "
            f"{counts.get('pending_removal', 0)} pending removal; {counts.get('skipped', 0)} files skipped"
        )
    index = report.get("index") or {}
    b, a = index.get("before") or {}, index.get("after") or {}
    if b or a:
        lines.append(
            f"index: {b.get('documents', 0)} → {a.get('documents', 0)} documents, "
            f"{b.get('size_bytes', 0) / 1e6:.1f} → {a.get('size_bytes', 0) / 1e6:.1f} MB"
        )
    if report.get("rebuilt"):
        lines.append(f"index rebuilt: {report.get('rebuild_reason')}")
    failed = report.get("failed") or []
    for item in failed[:10]:
        lines.append(f"failed: {item.get('what')}: {item.get('reason')}")
    if len(failed) > 10:
        lines.append(f"… and {len(failed) - 10} more failures (see the report)")
    for note in report.get("notes") or []:
        lines.append(f"note: {note}")
    if report.get("error"):
        lines.append(f"error: {report['error']}")
    if report.get("path"):
        lines.append(f"report: {report['path']}")
    return lines


# --- maintenance: check --------------------------------------------------------------------------

REQUIRED_FIELDS = ("id", "title", "lang", "content_hash", "pipeline_version", "doc")


@dataclass(frozen=True)
class CheckResult:
    documents: int
    problems: tuple[str, ...]
    notes: tuple[str, ...]
    repaired: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        return not self.problems

    def to_dict(self) -> dict[str, Any]:
        return {"ok": self.ok, "documents": self.documents, "problems": list(self.problems), "notes": list(self.notes),
                "repaired": list(self.repaired), "problem_codes": note_dicts(self.problems)}


def link_problems(docs: Sequence[Document]) -> tuple[list[Document], list[str]]:
    """Documents whose stored twin / duplicate links differ from a fresh computation over the whole
    collection (what two writers at once, or a run killed between stages, can leave), and the
    findings in words. Identical texts under two ids that the fresh computation does not group
    either (short pages, other language) are not findings."""
    from hakemisto.jobs.pipeline import link

    fresh = {d.id: d for d in link(list(docs), None)}
    wrong = [fresh[d.id] for d in docs if (d.twin, d.duplicates) != (fresh[d.id].twin, fresh[d.id].duplicates)]
    findings: list[str] = []
    stored = {d.id: d for d in docs}
    twins = [d.id for d in wrong if d.twin != stored[d.id].twin]
    if twins:
        findings.append(_listed("documents whose fi/sv twin link disagrees with a fresh link computation", twins))
    dups = [d.id for d in wrong if d.id not in twins]
    if dups:
        findings.append(_listed("documents whose duplicate links disagree with a fresh link computation", dups))
    by_hash: dict[str, list[Document]] = {}
    for d in docs:
        by_hash.setdefault(d.content_hash, []).append(d)
    unlinked = sorted(
        f"{a.id} = {b.id}"
        for group in by_hash.values() if len(group) > 1
        for a in group for b in group
        if a.id < b.id and b.id not in a.duplicates and b.id in fresh[a.id].duplicates
    )
    if unlinked:
        findings.append(_listed("pairs with the same content hash under two ids but no duplicate link", unlinked))
    return wrong, findings


def _listed(label: str, ids: Sequence[str], limit: int = 10) -> str:
    shown = ", ".join(ids[:limit]) + (f" … (+{len(ids) - limit})" if len(ids) > limit else "")
    return f"{len(ids)} {label}: {shown}"


def check_index(
    settings: Settings, *, corpus: bool = True, extra_paths: Iterable[str | Path] = (), repair: bool = False
) -> CheckResult:
    """The index opens, every stored document is whole, its links agree with a fresh computation, no
    crash left files behind, and it matches what the corpus produces.

    ``repair``: under the writer lock, rewrite the documents whose links are wrong and remove leftovers.
    """
    if repair:
        with writer_lock(settings, "hakemisto check (repair)"):
            found = _check(settings, corpus, extra_paths)
            return _repair(settings, found, corpus, extra_paths)
    return _check(settings, corpus, extra_paths)


def _repair(settings: Settings, found: CheckResult, corpus: bool, extra_paths: Iterable[str | Path]) -> CheckResult:
    repaired: list[str] = []
    removed = idx.remove_leftovers(settings.index_dir)
    if removed:
        repaired.append(f"removed {len(removed)} leftover file(s): {', '.join(removed[:10])}")
    if idx.exists(settings.index_dir):
        wrong, _ = link_problems(list(idx.iter_documents(settings)))
        if wrong:
            idx.write(settings, wrong, purpose="hakemisto check (repair)")
            repaired.append(_listed("documents relinked", [d.id for d in wrong]))
    after = _check(settings, corpus, extra_paths)
    return replace(after, repaired=tuple(repaired), notes=tuple(Note("before_repair", f"before repair: {p}", problem=p) for p in found.problems) + after.notes)


def _check(settings: Settings, corpus: bool, extra_paths: Iterable[str | Path]) -> CheckResult:
    index_dir = settings.index_dir
    problems: list[str] = []
    notes: list[str] = []
    old = index_dir.with_name(index_dir.name + ".old")
    if not idx.exists(index_dir):
        hint = f"; {old.name} holds the previous one: run hakemisto nightly to restore it" if idx.exists(old) else ""
        return CheckResult(0, (f"no index in {index_dir}{hint}",), ())
    for sibling in (".rebuild", ".old"):
        if index_dir.with_name(index_dir.name + sibling).exists():
            notes.append(f"leftover {index_dir.name}{sibling}/ from an interrupted rebuild (the next run clears it)")
    if not idx.is_current(index_dir):
        meta = idx.read_meta(index_dir)
        problems.append(
            f"index written by pipeline version {meta.get('pipeline_version') or 'unknown'}, this is {PIPELINE_VERSION}"
            " (or the schema changed): run hakemisto nightly to re-extract"
        )
    hashes: dict[str, str] = {}
    incomplete: list[str] = []
    duplicates: list[str] = []
    stale: list[str] = []
    try:
        ix = idx.open_index(index_dir)
        with ix.searcher() as searcher:
            count = searcher.doc_count()
            stored = list(searcher.all_stored_fields())
    except Exception as exc:  # a broken index: that is the finding, not a crash
        return CheckResult(0, (f"the index in {index_dir} does not open: {type(exc).__name__}: {exc}",), tuple(notes))
    current = idx.current_versions(index_dir)  # older tags a reusing rebuild verified count as current
    for n, fields_ in enumerate(stored):
        doc_id = fields_.get("id") or f"#{n}"
        lacking = [name for name in REQUIRED_FIELDS if name not in fields_]
        if not lacking:
            try:
                doc = idx.document_from_stored(fields_)
                if not doc.paragraphs:
                    lacking.append("paragraphs")
            except (ValueError, TypeError, KeyError) as exc:
                lacking.append(f"doc ({type(exc).__name__})")
        if lacking:
            incomplete.append(f"{doc_id} (missing {', '.join(lacking)})")
        if doc_id in hashes:
            duplicates.append(doc_id)
        hashes[doc_id] = fields_.get("content_hash", "")
        if fields_.get("pipeline_version") not in (None, *current):
            stale.append(doc_id)
    if count != len(stored):
        problems.append(f"doc count {count} ≠ {len(stored)} stored documents")
    if incomplete:
        problems.append(_listed("documents lack stored fields", incomplete))
    if duplicates:
        problems.append(_listed("ids stored more than once", duplicates))
    if stale:
        problems.append(_listed(f"documents not from pipeline version {PIPELINE_VERSION}", stale))
    if not incomplete:
        _, findings = link_problems([idx.document_from_stored(f) for f in stored])
        problems.extend(Note("links_disagree", f"{f} (a repair fixes it)", finding=f) for f in findings)
    lock = writer_lock(replace(settings, lock_wait=0.0), "hakemisto check")
    try:
        lock.acquire()
    except HakemistoError:
        notes.append("another writer is running: leftover files were not looked for")
    else:
        try:
            left = [p.name for p in idx.leftovers(index_dir)]
        finally:
            lock.release()
        if left:
            label = "leftover files of a crashed or failed write (optimizing or repairing the index removes them)"
            problems.append(Note("leftovers", _listed(label, left), files=left))
    if corpus:
        load = load_corpus(settings, extra_paths)
        produced = {d.id: d.content_hash for d in load.documents}
        not_indexed = sorted(i for i in produced if i not in hashes)
        outdated = sorted(i for i, h in produced.items() if i in hashes and hashes[i] != h)
        if not_indexed:
            problems.append(_listed("corpus documents not in the index (run hakemisto nightly)", not_indexed))
        if outdated:
            problems.append(_listed("documents changed in the corpus since indexing (run hakemisto nightly)", outdated))
        extra = sorted(i for i in hashes if i not in produced)
        if extra:
            notes.append(_listed("indexed documents the corpus no longer produces (removed after the grace period, or ingested by hand)", extra))
        notes.append(f"corpus: {len(produced)} documents, {len(load.skipped)} files skipped; index: {len(hashes)}")
    return CheckResult(count, tuple(problems), tuple(notes))
