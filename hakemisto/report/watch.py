"""Saved searches ("watches") and their delivery: each remembers the last change-log run it delivered.

State lives in one small SQLite file beside the index (``<index>/watches.sqlite``; stdlib ``sqlite3``,
one table, schema migrations by ``PRAGMA user_version``). Delivery is *at least once*: the cursor moves
only after the digest was printed, written or mailed, inside one transaction, so a failed or killed
delivery leaves its entries for the next run and nothing is skipped.
"""

from __future__ import annotations

import json
import re
import smtplib
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.message import EmailMessage
from html import escape
from pathlib import Path
from typing import Any

from hakemisto.core.errors import HakemistoError, InvalidValue, UsageError
from hakemisto.core.lock import pause_point
from hakemisto.report.changes import ChangeLog, new_run_id
from hakemisto.report.digest import (
    Digest,
    DigestFilter,
    build_digest,
    labels,
    render_markdown,
    render_text,
    select,
)

DB_NAME = "watches.sqlite"
NAME_RE = re.compile(r"^[\w][\w.-]{0,63}$")
# Each step brings a database at version i to version i + 1.
MIGRATIONS = (
    """CREATE TABLE watch (
        name TEXT PRIMARY KEY,
        query TEXT,
        regions TEXT NOT NULL DEFAULT '[]',
        programmes TEXT NOT NULL DEFAULT '[]',
        lang TEXT NOT NULL DEFAULT 'fi',
        created TEXT NOT NULL,
        cursor TEXT NOT NULL,
        last_run TEXT,
        delivered INTEGER NOT NULL DEFAULT 0
    )""",
    "ALTER TABLE watch ADD COLUMN mail_to TEXT",
    "ALTER TABLE watch ADD COLUMN smtp TEXT",
)


class DeliveryError(HakemistoError):
    """A digest could not be delivered (its entries stay for the next run)."""


@dataclass(frozen=True)
class Watch:
    name: str
    filter: DigestFilter
    lang: str = "fi"
    created: str = ""
    cursor: str = ""  # the change-log run id delivered last ('' = none)
    last_run: str | None = None
    delivered: int = 0
    mail_to: str | None = None
    smtp: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, **self.filter.to_dict(), "lang": self.lang, "created": self.created,
                "cursor": self.cursor, "last_run": self.last_run, "delivered": self.delivered,
                "mail_to": self.mail_to, "smtp": self.smtp}


def db_path(index_dir: Path) -> Path:
    return Path(index_dir) / DB_NAME


@contextmanager
def connect(index_dir: Path, read_only: bool = False) -> Iterator[sqlite3.Connection]:
    """The watch database, migrated to the current schema; one transaction per ``with``.

    ``read_only`` (the web app) opens it without writing anything; the schema must be current."""
    path = db_path(index_dir)
    if read_only:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=30)
        try:
            yield conn
        finally:
            conn.close()
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(path, timeout=30, isolation_level=None)
    try:
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("BEGIN IMMEDIATE")
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        for step, sql in enumerate(MIGRATIONS[version:], start=version + 1):
            conn.execute(sql)
            conn.execute(f"PRAGMA user_version = {step}")
        yield conn
        conn.execute("COMMIT")
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
    finally:
        conn.close()


def _row(row: sqlite3.Row | tuple) -> Watch:
    (name, query, regions, programmes, lang, created, cursor, last_run, delivered, mail_to, smtp) = row
    return Watch(name=name, filter=DigestFilter(tuple(json.loads(regions)), tuple(json.loads(programmes)), query),
                 lang=lang, created=created, cursor=cursor, last_run=last_run, delivered=delivered,
                 mail_to=mail_to, smtp=smtp)


_COLUMNS = "name, query, regions, programmes, lang, created, cursor, last_run, delivered, mail_to, smtp"


def add(index_dir: Path, name: str, filt: DigestFilter, lang: str = "fi", *,
        mail_to: str | None = None, smtp: str | None = None) -> Watch:
    """Save a search; it delivers what changes from now on (``--since`` previews the past)."""
    if not NAME_RE.match(name):
        raise UsageError(f"watch name '{name}': use letters, digits, '.', '-' or '_' (at most 64)")
    labels(lang)  # validates the language
    if (mail_to is None) != (smtp is None):
        raise UsageError("a watch that mails needs both a recipient and an SMTP server")
    now = datetime.now(UTC).isoformat(timespec="seconds")
    last = ChangeLog(index_dir).last_run()
    with connect(index_dir) as conn:
        if conn.execute("SELECT 1 FROM watch WHERE name = ?", (name,)).fetchone():
            raise UsageError(f"a watch named '{name}' exists; remove it first or choose another name")
        conn.execute(
            f"INSERT INTO watch ({_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, NULL, 0, ?, ?)",
            (name, filt.query, json.dumps(list(filt.regions)), json.dumps(list(filt.programmes)), lang, now,
             last.run if last else "", mail_to, smtp),
        )
    return get(index_dir, name)


def list_watches(index_dir: Path, read_only: bool = False) -> list[Watch]:
    if not db_path(index_dir).exists():
        return []
    with connect(index_dir, read_only) as conn:
        try:
            return [_row(r) for r in conn.execute(f"SELECT {_COLUMNS} FROM watch ORDER BY name")]
        except sqlite3.OperationalError:  # read-only view of a database no writer has migrated yet
            return []


def get(index_dir: Path, name: str, read_only: bool = False) -> Watch:
    saved = list_watches(index_dir, read_only)
    for watch in saved:
        if watch.name == name:
            return watch
    known = ", ".join(w.name for w in saved) or "none"
    raise UsageError(f"no watch named '{name}' (saved watches: {known})")


def remove(index_dir: Path, name: str) -> None:
    get(index_dir, name)
    with connect(index_dir) as conn:
        conn.execute("DELETE FROM watch WHERE name = ?", (name,))


# --- running a watch -----------------------------------------------------------------------------


@dataclass
class WatchResult:
    name: str
    entries: int
    delivered: bool
    target: str
    digest: Digest | None = field(default=None, repr=False)
    error: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "entries": self.entries, "delivered": self.delivered, "target": self.target,
                "error": self.error, **({"digest": self.digest.to_dict()} if self.digest else {})}


def pending_digest(index_dir: Path, watch: Watch, *, since: datetime | None = None) -> tuple[Digest, str | None]:
    """The digest of everything after the watch's cursor (or after ``since``), and the newest run in it."""
    log = ChangeLog(index_dir)
    runs = log.runs()
    if since is not None:
        changes = log.entries(since=since)
    else:
        changes = log.entries(after_run=watch.cursor or None)
    newest = runs[-1].run if runs else None
    chosen = select(changes, watch.filter, index_dir)
    title = labels(watch.lang)["watch_title"].format(name=watch.name)
    return build_digest(chosen, watch.lang, title=title), newest


def run_watch(index_dir: Path, name: str, deliver: Any, *, since: datetime | None = None) -> WatchResult:
    """Build the watch's digest, hand it to ``deliver(watch, digest) -> target``, then move the cursor.

    With ``since`` it is a preview: delivered, but the cursor stays. ``deliver`` raising leaves the
    cursor where it was, so the same entries come again next time.
    """
    watch = get(index_dir, name)
    digest, newest = pending_digest(index_dir, watch, since=since)
    try:
        target = deliver(watch, digest)
    except (OSError, smtplib.SMTPException, DeliveryError) as exc:
        return WatchResult(name, digest.count, False, "", digest, error=f"{type(exc).__name__}: {exc}")
    pause_point("watch")
    if since is None:
        with connect(index_dir) as conn:
            conn.execute(
                "UPDATE watch SET cursor = ?, last_run = ?, delivered = delivered + ? WHERE name = ?",
                (newest or watch.cursor, datetime.now(UTC).isoformat(timespec="seconds"), digest.count, name),
            )
    return WatchResult(name, digest.count, True, target, digest)


# --- delivery ------------------------------------------------------------------------------------


def parse_smtp(value: str) -> tuple[str, int]:
    host, _, port = value.rpartition(":") if ":" in value else (value, "", "25")
    try:
        number = int(port)
    except ValueError:
        raise InvalidValue("smtp", value, (), f"SMTP server '{value}': the port must be a number (HOST[:PORT])",
                           code="bad_smtp_port") from None
    if not host or not 0 < number < 65536:
        raise InvalidValue("smtp", value, (), f"SMTP server '{value}': expected HOST[:PORT], e.g. localhost:25",
                           code="bad_smtp")
    return host, number


def digest_email(digest: Digest, mail_from: str, mail_to: str, name: str) -> EmailMessage:
    """Plain text + HTML (Markdown rendered as a <pre>-free simple list) in one message."""
    words = labels(digest.lang)
    msg = EmailMessage()
    msg["Subject"] = words["mail_subject"].format(name=name, count=digest.count)
    msg["From"] = mail_from
    msg["To"] = mail_to
    msg["Message-ID"] = f"<{new_run_id()}.{name}@hakemisto>"
    msg.set_content(render_text(digest))
    msg.add_alternative(digest_html(digest), subtype="html")
    return msg


def digest_html(digest: Digest) -> str:
    from hakemisto.report.digest import region_name

    words = labels(digest.lang)
    parts = [f'<html lang="{digest.lang}"><body><h1>{escape(digest.title)}</h1>']
    if not digest.count:
        parts.append(f"<p>{escape(words['empty'])}</p>")
    for group in digest.groups:
        parts.append(f"<h2>{escape(region_name(group.region, digest.lang))}</h2>")
        for proj in group.projects:
            parts.append(f"<h3>{escape(proj.project or words['no_project'])}</h3><ul>")
            for item in proj.items:
                link = item.url if item.url and item.url.startswith(("http://", "https://")) else None
                source = f' <a href="{escape(link)}">{escape(words["source"])}</a>' if link else ""
                quote = f"<br><q>{escape(item.sentence.strip())}</q>" if item.sentence else ""
                parts.append(f"<li><strong>{escape(words[item.kind])}</strong>: {escape(item.text)}{source}{quote}</li>")
            parts.append("</ul>")
    parts.append("</body></html>")
    return "".join(parts)


def send_mail(digest: Digest, *, name: str, mail_to: str, smtp: str,
              mail_from: str = "hakemisto@localhost", timeout: float = 30.0) -> str:
    host, port = parse_smtp(smtp)
    message = digest_email(digest, mail_from, mail_to, name)
    with smtplib.SMTP(host, port, timeout=timeout) as client:
        client.send_message(message)
    return f"mail to {mail_to} via {host}:{port}"


def write_digest_file(directory: Path, watch: Watch, digest: Digest) -> str:
    """Nightly delivery for watches without mail: a Markdown file per watch and run."""
    from hakemisto.core.atomic import write_bytes

    path = Path(directory) / f"{watch.name}-{new_run_id()}.md"
    write_bytes(path, render_markdown(digest).encode("utf-8"))
    return str(path)
