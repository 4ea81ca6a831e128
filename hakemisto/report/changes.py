"""The change log: what each ingest did to each document, kept beside the index.

Every ingest (and so every nightly run) that changes the index appends one file
``<index>/changes/<run>.jsonl``: a header line, then one entry per document that is new, changed
(with the facts that changed: amounts, contacts, projects, statuses) or removed. Files are never edited,
only added (and pruned by ``optimize`` when older than ``changes_keep_days``).

Crash safety without a second database: the run's file is written *before* the index commit under a
``.pending`` name, and renamed after it. A kill in between leaves a pending file whose fate the next
ingest decides by looking at the index: if every entry's content hash (or absence, for removals) is what
the index now holds, the commit happened and the file is kept; otherwise it is dropped. So the log
never holds half a run, never misses a committed run, and never claims one that was not committed.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from hakemisto.core.atomic import write_bytes
from hakemisto.core.model import Document, Facts

CHANGES_DIR = "changes"
PENDING_SUFFIX = ".pending.jsonl"
FINAL_SUFFIX = ".jsonl"
KINDS = ("new", "changed", "removed")
# Pages whose facts are compared: amounts by (euros, role), contacts by name, projects by name.
_SPACE = re.compile(r"\s+")


def _now() -> datetime:
    return datetime.now(UTC)


def new_run_id(moment: datetime | None = None) -> str:
    """Sortable by start time to the microsecond, unique per process: '2026-12-01T150102.123456Z-4242'.

    The nightly job uses the same ids, so a run report and its change-log file share a name."""
    moment = moment or _now()
    return f"{moment.astimezone(UTC).strftime('%Y-%m-%dT%H%M%S.%fZ')}-{os.getpid()}"


def run_time(run_id: str) -> datetime | None:
    try:
        return datetime.strptime(run_id.rsplit("-", 1)[0], "%Y-%m-%dT%H%M%S.%fZ").replace(tzinfo=UTC)
    except ValueError:
        return None


def _key(text: str | None) -> str:
    return _SPACE.sub(" ", (text or "").strip()).casefold()


@dataclass(frozen=True)
class Change:
    """One document's change in one run, with the facts that are new to it."""

    run: str
    at: str
    doc: str
    kind: str
    url: str | None = None
    title: str = ""
    region: str | None = None
    lang: str | None = None
    content_hash: str = ""
    programmes: tuple[str, ...] = ()
    funders: tuple[str, ...] = ()
    projects: tuple[str, ...] = ()
    new_projects: tuple[str, ...] = ()  # named nowhere in the index before this run
    amounts: tuple[dict[str, Any], ...] = ()  # new on this page
    removed_amounts: tuple[dict[str, Any], ...] = ()
    contacts: tuple[dict[str, Any], ...] = ()  # new on this page
    changed_contacts: tuple[dict[str, Any], ...] = ()  # {"name", "before", "after"}
    statuses: tuple[dict[str, Any], ...] = ()  # {"project", "before", "after"}

    @property
    def entry_id(self) -> str:
        """Stable id (feeds use it so readers never repeat an entry)."""
        return hashlib.sha1(f"{self.run}\x00{self.doc}".encode()).hexdigest()[:20]

    @property
    def facts_changed(self) -> bool:
        return bool(self.new_projects or self.amounts or self.removed_amounts or self.contacts
                    or self.changed_contacts or self.statuses)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Change:
        names = {f for f in cls.__dataclass_fields__}
        values = {k: (tuple(v) if isinstance(v, list) else v) for k, v in data.items() if k in names}
        return cls(**values)


@dataclass(frozen=True)
class RunInfo:
    run: str
    at: str
    entries: int
    path: Path = field(compare=False)


# --- computing what changed ----------------------------------------------------------------------


def _amount(a: Any) -> dict[str, Any]:
    return {k: getattr(a, k, None) for k in ("text", "eur", "role", "region", "project", "funder", "year",
                                               "sentence")}


def _contact(c: Any) -> dict[str, Any]:
    return {k: getattr(c, k, None) for k in ("name", "title", "phone", "email", "organization", "project",
                                               "sentence")}


def _amount_key(a: Any) -> tuple[int, str | None]:
    return round(float(a.eur)), getattr(a, "role", None)


def _statuses(facts: Facts) -> dict[str, str]:
    return {_key(m.name): m.status for m in getattr(facts, "project_mentions", ()) if m.status}


def project_keys(docs: Iterable[Document]) -> set[str]:
    """Every project name the given documents mention, normalised (for 'new to the index')."""
    return {_key(p) for d in docs if d.facts for p in d.facts.projects}


def diff_document(
    old: Document | None, new: Document | None, *, run: str, at: str, known_projects: set[str]
) -> Change | None:
    """The change between the stored and the new version of one document (None: nothing to tell)."""
    doc = new or old
    if doc is None:
        return None
    if new is None:
        kind = "removed"
    elif old is None:
        kind = "new"
    elif old.content_hash != new.content_hash:
        kind = "changed"
    else:
        return None  # re-extracted (pipeline change) or relinked only: not news about the world
    facts = doc.facts or Facts()
    before = (old.facts or Facts()) if old is not None and new is not None else Facts()
    base = dict(
        run=run, at=at, doc=doc.id, kind=kind, url=doc.url, title=doc.title,
        region=doc.region or facts.region, lang=doc.lang, content_hash=doc.content_hash,
        programmes=tuple(facts.programmes), funders=tuple(facts.funders), projects=tuple(facts.projects),
    )
    if kind == "removed":
        return Change(**base)
    old_amounts = {_amount_key(a) for a in before.amounts}
    new_amounts = {_amount_key(a) for a in facts.amounts}
    old_contacts = {_key(c.name): c for c in before.contacts}
    changed_contacts = []
    for c in facts.contacts:
        prev = old_contacts.get(_key(c.name))
        if prev is not None and (prev.phone, prev.email, prev.title) != (c.phone, c.email, c.title):
            changed_contacts.append({"name": c.name, "before": _contact(prev), "after": _contact(c)})
    old_status = _statuses(before)
    statuses = [
        {"project": m.name, "before": old_status.get(_key(m.name)), "after": m.status}
        for m in facts.project_mentions
        if m.status and old_status.get(_key(m.name)) != m.status and kind == "changed"
    ]
    old_projects = {_key(p) for p in before.projects}
    return Change(
        **base,
        new_projects=tuple(p for p in facts.projects if _key(p) not in known_projects
                           and _key(p) not in old_projects),
        amounts=tuple(_amount(a) for a in facts.amounts if _amount_key(a) not in old_amounts),
        removed_amounts=tuple(_amount(a) for a in before.amounts if _amount_key(a) not in new_amounts),
        contacts=tuple(_contact(c) for c in facts.contacts if _key(c.name) not in old_contacts),
        changed_contacts=tuple(changed_contacts),
        statuses=tuple(statuses),
    )


def compute_changes(
    old: Mapping[str, Document],
    new: Iterable[Document],
    removed: Iterable[str],
    *,
    run: str,
    at: str,
) -> list[Change]:
    """Entries for one run: ``old`` is the index before it, ``new`` what the run writes."""
    new = list(new)
    new_ids = {d.id for d in new}
    known = project_keys(d for i, d in old.items() if i not in new_ids)
    out: list[Change] = []
    for doc in new:
        change = diff_document(old.get(doc.id), doc, run=run, at=at, known_projects=known)
        if change is not None:
            out.append(change)
            known |= {_key(p) for p in change.projects}
    for doc_id in sorted(set(removed)):
        if doc_id in old:
            change = diff_document(old[doc_id], None, run=run, at=at, known_projects=known)
            if change is not None:
                out.append(change)
    return out


# --- the log on disk -----------------------------------------------------------------------------


class ChangeLog:
    """The append-only run files of one index directory."""

    def __init__(self, index_dir: Path) -> None:
        self.dir = Path(index_dir) / CHANGES_DIR

    def _path(self, run: str, pending: bool) -> Path:
        return self.dir / f"{run}{PENDING_SUFFIX if pending else FINAL_SUFFIX}"

    def write_pending(self, run: str, at: str, changes: list[Change]) -> Path:
        """Before the index commit: the whole run's entries in one crash-safe file."""
        header = {"run": run, "at": at, "entries": len(changes)}
        lines = [json.dumps(header, ensure_ascii=False)]
        lines += [json.dumps(c.to_dict(), ensure_ascii=False, default=str) for c in changes]
        path = self._path(run, pending=True)
        write_bytes(path, ("\n".join(lines) + "\n").encode("utf-8"))
        return path

    def commit(self, pending: Path) -> Path:
        """After the index commit: the run becomes part of the log."""
        final = pending.with_name(pending.name[: -len(PENDING_SUFFIX)] + FINAL_SUFFIX)
        os.replace(pending, final)
        return final

    def discard(self, pending: Path) -> None:
        pending.unlink(missing_ok=True)

    def recover(self, stored: Mapping[str, tuple[str, str]]) -> list[str]:
        """Settle pending files left by a killed run against what the index holds (``stored_hashes``)."""
        notes = []
        if not self.dir.is_dir():
            return notes
        for pending in sorted(self.dir.glob(f"*{PENDING_SUFFIX}")):
            entries = list(_read_entries(pending))
            committed = bool(entries) and all(
                (e.doc not in stored) if e.kind == "removed"
                else (e.doc in stored and stored[e.doc][0] == e.content_hash)
                for e in entries
            )
            if committed:
                self.commit(pending)
                notes.append(f"change log: kept run {pending.name[:-len(PENDING_SUFFIX)]} (its commit had happened)")
            else:
                self.discard(pending)
                notes.append(f"change log: dropped run {pending.name[:-len(PENDING_SUFFIX)]} (never committed)")
        for tmp in self.dir.glob(".*.tmp"):  # a kill inside write_bytes
            tmp.unlink(missing_ok=True)
        return notes

    def runs(self) -> list[RunInfo]:
        """Committed runs, oldest first."""
        out = []
        if not self.dir.is_dir():
            return out
        for path in self.dir.glob(f"*{FINAL_SUFFIX}"):
            if path.name.endswith(PENDING_SUFFIX):
                continue
            header = _read_header(path)
            if header is not None:
                out.append(RunInfo(run=header["run"], at=header["at"], entries=header.get("entries", 0), path=path))
        return sorted(out, key=lambda r: r.run)

    def entries(self, *, since: datetime | None = None, after_run: str | None = None,
                runs: Iterable[str] | None = None) -> list[Change]:
        """Entries of committed runs, oldest first: all, after a time, after a run id, or of given runs."""
        wanted = set(runs) if runs is not None else None
        out: list[Change] = []
        for info in self.runs():
            if wanted is not None and info.run not in wanted:
                continue
            if after_run is not None and info.run <= after_run:
                continue
            if since is not None and (_parse_time(info.at) or since) < since:
                continue
            out.extend(_read_entries(info.path))
        return out

    def last_run(self) -> RunInfo | None:
        runs = self.runs()
        return runs[-1] if runs else None

    def prune(self, keep_days: float, now: datetime | None = None) -> int:
        """Drop runs older than ``keep_days`` (called by ``optimize``); returns how many."""
        limit = (now or _now()) - timedelta(days=keep_days)
        dropped = 0
        for info in self.runs():
            at = _parse_time(info.at)
            if at is not None and at < limit:
                info.path.unlink(missing_ok=True)
                dropped += 1
        return dropped


def _parse_time(text: str | None) -> datetime | None:
    try:
        value = datetime.fromisoformat(str(text))
    except ValueError:
        return None
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def _read_header(path: Path) -> dict[str, Any] | None:
    try:
        with path.open(encoding="utf-8") as handle:
            header = json.loads(handle.readline())
    except (OSError, ValueError):
        return None
    return header if isinstance(header, dict) and "run" in header else None


def _read_entries(path: Path) -> Iterator[Change]:
    try:
        lines = path.read_text(encoding="utf-8").split("\n")
    except OSError:
        return
    for line in lines[1:]:
        if line.strip():
            try:
                yield Change.from_dict(json.loads(line))
            except (ValueError, TypeError):
                continue
