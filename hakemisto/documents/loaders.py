"""Local files → ``Document`` or ``Skip``: plain-text page dumps, HTML files, JSON Lines, crawl snapshots.

Pure apart from reading the files it is given. Every input that does not become a document comes
back as a ``Skip`` with a reason, so the run summary can count and name it.
"""

from __future__ import annotations

import glob
import json
import math
import os
import re
import tomllib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import lru_cache
from importlib import resources
from pathlib import Path

from hakemisto.core.config import Settings
from hakemisto.core.errors import InputError
from hakemisto.core.model import Document, Skip, content_hash
from hakemisto.core.safe_output import strip_controls

TEXT_SUFFIXES = {".txt", ".text", ".md", ""}
HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
JSONL_SUFFIXES = {".jsonl", ".ndjson"}
SNAPSHOT_META = ".meta.json"
TITLE_MAX = 160


@dataclass
class LoadResult:
    documents: list[Document] = field(default_factory=list)
    skipped: list[Skip] = field(default_factory=list)


@dataclass(frozen=True)
class Boilerplate:
    leading: frozenset[str]
    trailing: frozenset[str]
    residue: tuple[re.Pattern[str], ...]


@lru_cache(maxsize=1)
def boilerplate() -> Boilerplate:
    data = tomllib.loads(resources.files("hakemisto.data").joinpath("boilerplate.toml").read_text("utf-8"))
    low = lambda items: frozenset(s.casefold() for s in items)  # noqa: E731
    return Boilerplate(
        leading=low(data["leading"]),
        trailing=low(data["trailing"]),
        residue=tuple(re.compile(p, re.IGNORECASE) for p in data["residue"]),
    )


# --- bytes → text -------------------------------------------------------------------------------


def looks_binary(data: bytes) -> bool:
    """NUL bytes or many control characters in the first 8 KB: not a text page."""
    head = data[:8192]
    if b"\x00" in head:
        return True
    control = sum(1 for b in head if b < 9 or 13 < b < 32)
    return bool(head) and control / len(head) > 0.05


def wide_encoding(data: bytes) -> tuple[str, int] | None:
    from hakemisto.crawl.extract import wide_encoding as detect

    return detect(data)


def decode_bytes(data: bytes, declared: str | None = None) -> tuple[str, str]:
    """Text and the encoding used; one rule set for files and fetched pages (``extract.decode_html``)."""
    from hakemisto.crawl.extract import decode_html

    return decode_html(data, declared)


# --- text dumps ---------------------------------------------------------------------------------

_COLUMN_GAP = re.compile(r"\t+|[ \u00a0]{2,}")
_BARE_NUMBER = re.compile(r"[-–+]?\d[\d \u00a0.,]*(?:,-)?(?:\s*(?:€|e(?:ur|uro|uroa)))?", re.IGNORECASE)


def _table_rows(raw_lines: list[str]) -> list[str]:
    """A dump's tables as HTML tables are loaded: cells joined by ' | '. A table is a header line and
    two rows or more, all split by tabs or runs of spaces into the same number (≥ 2) of cells, the header
    holding no number and a row holding one ('Kustannuslaji      Yhteensä €' / 'Henkilöstökulut
    855 000'); menu bars and aligned prose have no such header and rows, and stay lines."""
    cells = [[c for c in _COLUMN_GAP.split(line.strip()) if c] for line in raw_lines]
    out = list(raw_lines)
    i = 0
    while i < len(raw_lines):
        width = len(cells[i])
        j = i + 1
        while j < len(raw_lines) and width >= 2 and len(cells[j]) == width:
            j += 1
        header, rows = cells[i], cells[i + 1:j]
        if (width >= 2 and len(rows) >= 2 and not any(_BARE_NUMBER.fullmatch(c) for c in header)
                and any(_BARE_NUMBER.fullmatch(c) for row in rows for c in row[1:])):
            for k in range(i, j):
                out[k] = " | ".join(cells[k])
            i = j
        else:
            i += 1
    return out


_NAME_CELL = re.compile(r"[A-ZÅÄÖÜ][a-zåäöüé'’]+(?:-[A-ZÅÄÖ][a-zåäöüé]+)?(?: [A-ZÅÄÖÜ][a-zåäöüé'’]+(?:-[A-ZÅÄÖ][a-zåäöüé]+)?){1,2}")


def _name_columns(row: str) -> list[str]:
    """Signature columns of board minutes ('Lena Back     Juha Hautamäki' under 'Protokolljusterare'):
    names set side by side with runs of spaces are one name per line, or the two would read as one
    name ('Lena Back Juha'). Only when every cell is a two- or three-word capitalised name."""
    cells = [c.strip() for c in _COLUMN_GAP.split(row.strip()) if c.strip()]
    if len(cells) >= 2 and all(_NAME_CELL.fullmatch(c) for c in cells):
        return cells
    return [row]


def clean_lines(text: str) -> list[str]:
    """Content lines of a page dump: residue stripped, skip links and trailing crumbs dropped."""
    bp = boilerplate()
    lines: list[str] = []
    for raw in (part for row in _table_rows(text.splitlines()) for part in _name_columns(row)):
        line = strip_controls(raw).replace("\u00a0", " ").strip()
        for pattern in bp.residue:
            line = pattern.sub("", line)
        line = " ".join(line.split())
        if line:
            lines.append(line)
    while lines and lines[0].casefold() in bp.leading:
        lines.pop(0)
    while lines and lines[-1].casefold() in bp.trailing:
        lines.pop()
    return lines


_LEADING_DATE = re.compile(r"\d{1,2}\.\d{1,2}\.\d{4}\b")


def labelled_dates(lines: list[str]) -> tuple[datetime | None, datetime | None]:
    """'Luotu' / 'Viimeksi muokattu' / 'Publicerad' + date (same or next line), as on HTML pages.

    News dumps often end with '22.11.2021 Toimitus': a date opening the last line is the
    publication date when no label says otherwise.
    """
    from hakemisto.crawl.extract import parse_date, text_dates

    found = text_dates("\n".join(lines))
    published, modified = found.get("published"), found.get("modified")
    if published is None and lines and _LEADING_DATE.match(lines[-1]):
        published = parse_date(lines[-1])
    return published, modified


def make_title(lines: list[str], menus: frozenset[str] = frozenset()) -> str:
    """First line that is a headline (titles.py: not a skip link, switcher, date label, breadcrumb,
    menu, masthead or site name): three words or more first (mastheads such as 'Forssan Seutu' are
    two), then two; long first paragraphs are cut at a sentence end. ``menus`` are lines the raw dump
    spaced out like a menu bar."""
    from hakemisto.crawl.titles import choose_title

    item = _minutes_item(lines)
    if item:
        return item
    head = lines[:15]
    if all(_furniture_line(line) for line in head):
        head = lines[:30]  # a minutes portal's header (feeds, links, item history) fills the first lines
    candidates = [_cut(line) for line in head if line not in menus]
    for min_words in (3, 2):
        title = choose_title(candidates, min_words=min_words)
        if title and min_words == 3:
            # a two-word heading above the first paragraph ('Talousohjelman seuranta' / 'Tiivistelmä: …')
            # is the headline the long paragraph's first sentence is not
            source = [line for line in head if line not in menus]
            at = next((i for i, c in enumerate(candidates) if c.startswith(title.rstrip("…"))), None)
            short = choose_title(candidates[:at], min_words=2) if at else ""
            short = short or (_one_word_heading(candidates[:at]) if at else "")
            if short and len(source[at].split()) >= 6 and source[at].rstrip().endswith((".", "!", "?")):
                title = short
        if title:
            source = next((line for line in head if line.startswith(title.rstrip("…"))), "")
            return (_name_field(lines) if _body_paragraph(source) else None) or _after_caption(title, lines) or title
    for line in lines:
        if len(line.split()) >= 2:
            return _cut(line)
    return lines[0] if lines else ""


def _one_word_heading(lines: list[str]) -> str:
    """A one-word headline above the first sentence ('Järjestöavustukset', 'Kärkihankkeet'): a long
    capitalised word in lower case after its first letter that is no menu, label or site name."""
    from hakemisto.crawl.titles import clean_title, is_furniture

    for line in reversed(lines):
        word = clean_title(line)
        if " " not in word and len(word) >= 8 and word[:1].isupper() and word[1:].islower() \
                and word.isalpha() and not is_furniture(word):
            return word
    return ""


def _furniture_line(line: str) -> bool:
    from hakemisto.crawl.titles import clean_title, is_furniture

    return len(line.split()) < 2 or is_furniture(clean_title(line))


def _after_caption(title: str, lines: list[str]) -> str | None:
    """The headline below a picture's alt text: a short sentence ending in a full stop ('Noin 20
    henkilön ryhmä poseeraa kameralle ulkona.') followed by a short line without one and then the
    body. Headlines do not end in a full stop; captions and alt texts do."""
    from hakemisto.crawl.titles import choose_title

    if not title.endswith(".") or len(title.split()) > 14:
        return None
    at = next((i for i, line in enumerate(lines[:15]) if line == title), None)
    if at is None or at + 2 >= len(lines):
        return None
    nxt, body = lines[at + 1], lines[at + 2]
    # the body is a long paragraph, or a lede sentence of its own ('… kesti pitkään, kertoo X.')
    lede = len(body.split()) >= 6 and body.endswith((".", "!", "?"))
    if nxt.endswith((".", "!", "?", ":")) or not 2 <= len(nxt.split()) <= 15 or (len(body.split()) < 12 and not lede):
        return None
    return choose_title([nxt], min_words=2) or None


_NAME_FIELD = re.compile(r"^(?:kokonaisuuden|hankkeen|projektin|toimintamallin|hankkeen julkinen) nimi|"
                         r"^projektets namn", re.I)


_ITEM_HEADING = re.compile(r"§\s*\d+\s+[^\W\d_]")


def _minutes_item(lines: list[str]) -> str | None:
    """The first item heading of a board-minutes dump ('§ 140 Mottagande av statsunderstöd: …'): what
    the portal's menus, the organ's name and the 'Tid:' / 'Aika:' lines above it only frame. Only
    when no paragraph of running text comes before it (a news story quoting '§ 61' has its headline)."""
    from hakemisto.crawl.titles import choose_title

    for i, line in enumerate(lines[:40]):
        if _body_paragraph(line):
            return None
        if _ITEM_HEADING.match(line) and 3 <= len(line.split()):
            items = sum(1 for other in lines[i + 1:120] if _ITEM_HEADING.match(other) and 3 <= len(other.split()))
            if items:  # a list of decisions ('Aluehallituksen päätöksiä 28.2.23', § 47, § 48 …): its own headline
                head = choose_title([_cut(x) for x in lines[:i]], min_words=2)
                if head and re.search(r"päätö|beslut", head, re.I):
                    return head
            return choose_title([_cut(line)], min_words=2) or None  # '§ 12' goes, as titles.clean_title does
    return None


def _body_paragraph(line: str) -> bool:
    """A paragraph of running text (two sentences or more, over 20 words), not a headline."""
    return len(line.split()) > 20 and len(re.findall(r"[.!?]\s+[A-ZÅÄÖ]", line)) >= 1


def _name_field(lines: list[str]) -> str | None:
    """The value of a project card's name field ('Kokonaisuuden nimi' / next line, 'Hankkeen nimi: X'):
    the card's heading when the dump begins with its description instead."""
    for i, line in enumerate(lines[:40]):
        m = _NAME_FIELD.match(line)
        if not m:
            continue
        rest = line[m.end():].strip(" :")
        value = rest or (lines[i + 1] if i + 1 < len(lines) else "")
        if 1 <= len(value.split()) <= 15 and not value.endswith(":"):
            return value
    return None


def menu_lines(text: str) -> frozenset[str]:
    """Lines laid out as a menu bar in a page dump: items separated by runs of spaces
    ('Toimielimet  Kokoukset  Haku', 'Tilaa  Kirjaudu'), as they are stored after clean-up."""
    out = set()
    for raw in text.splitlines():
        parts = [p for p in re.split(r"\s{2,}|\t", raw.replace("\u00a0", " ").strip()) if p.strip()]
        if len(parts) >= 2 and all(len(p.split()) <= 4 for p in parts):
            out.add(" ".join(raw.split()))
    return frozenset(out)


def _cut(line: str) -> str:
    if len(line) <= TITLE_MAX:
        return line
    sentence = re.split(r"(?<=[.!?])\s", line, maxsplit=1)[0]
    return sentence if len(sentence) <= TITLE_MAX else line[: TITLE_MAX - 1].rsplit(" ", 1)[0] + "…"


_SLUG_FOLD = str.maketrans("äöåüéáčšž", "aoaueacsz")
_SLUG_WORD = re.compile(r"[^\W_]+")


def _slug_words(url: str | None) -> list[str]:
    """The words of a URL's last path segment ('…/prima-botnia-valmaende-osterbotten/' → prima botnia
    valmaende osterbotten): CMSs make it from the page's headline. Ids, file names and short codes
    ('StVL_7+2025.aspx', '1271139') give nothing."""
    from urllib.parse import unquote, urlsplit

    if not url:
        return []
    segments = [s for s in urlsplit(url).path.split("/") if s]
    if not segments:
        return []
    slug = re.sub(r"\.(?:html?|aspx?|php|jsp)$", "", unquote(segments[-1]).lower())
    words = [w for w in re.split(r"[-_+\s]+", slug) if w]
    lettered = [w for w in words if w.isalpha()]
    if len(words) < 3 or len(lettered) < len(words) - 1 or sum(len(w) >= 4 for w in lettered) < 2:
        return []
    return [w.translate(_SLUG_FOLD) for w in words]


def _slug_title(lines: list[str], url: str | None, title: str) -> str | None:
    """The headline the URL's slug spells, when the dump lost its heading: a line that is exactly the
    slug's words (a heading the title rules took for the site's name: 'Egentliga Finlands
    välfärdsområde'), else the slug's words as written inside the first sentence the title was cut
    from ('… genomföra projektet Prima Botnia-Välmående Österbotten.')."""
    words = _slug_words(url)
    if not words:
        return None
    n = len(words)
    for line in lines[:15]:
        tokens = list(_SLUG_WORD.finditer(line))
        folded = [t.group().lower().translate(_SLUG_FOLD) for t in tokens]
        if folded == words:
            return line
        if len(title.split()) < 12 and not title.endswith("…"):
            continue  # the title is a headline of its own: keep it
        for i in range(len(folded) - n + 1):
            if folded[i:i + n] == words:
                return line[tokens[i].start():tokens[i + n - 1].end()]
    return None


def text_to_document(
    text: str,
    *,
    doc_id: str,
    path: str | None = None,
    url: str | None = None,
    title: str | None = None,
    lang_hint: str | None = None,
    loaded_at: datetime | None = None,
) -> Document | Skip:
    """A plain-text page dump as a document: one paragraph per content line."""
    lines = clean_lines(text)
    if not lines:
        return Skip(path or doc_id, "no text content")
    published, modified = labelled_dates(lines)
    if not title:
        made = make_title(lines, menu_lines(text))
        title = _slug_title(lines, url, made) or made
    return Document(
        id=doc_id,
        title=title,
        paragraphs=tuple(lines),
        url=url,
        path=path,
        lang_hint=lang_hint,
        published=published,
        modified=modified,
        content_hash=content_hash("\n".join(lines)),
        loaded_at=loaded_at or datetime.now(UTC),
    )


# --- HTML, JSONL, snapshots -----------------------------------------------------------------------


def html_to_document(data: bytes, **kwargs) -> Document | Skip:
    from hakemisto.crawl.extract import html_to_document as extract_html

    return extract_html(data, **kwargs)


def _parse_time(value: object) -> datetime | None:
    from hakemisto.crawl.extract import parse_date

    return parse_date(value) if isinstance(value, str) else None


_SURROGATE = re.compile("[\ud800-\udfff]")


def clean_str(value: str) -> str:
    """Text without lone surrogates (JSON allows ``\\ud800``; UTF-8, hashes and the index do not)."""
    return _SURROGATE.sub("\ufffd", value)


def _record_id(value: object) -> str | None:
    """A record id: a string or a finite number; anything else (list, object, bool) is rejected."""
    if isinstance(value, str):
        return clean_str(value)
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ValueError(f"'id' must be a string or a number, not {type(value).__name__}")
    if isinstance(value, float) and not math.isfinite(value):
        raise ValueError(f"'id' must be a finite number, not {value}")
    return str(value)


def _optional_str(record: dict, key: str) -> str | None:
    value = record.get(key)
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        raise ValueError(f"'{key}' must be a string, not {type(value).__name__}")
    return clean_str(value)


def jsonl_lines(text: str) -> Iterator[tuple[int, str]]:
    """(line number, line) split at ``\\n`` only: U+2028 / U+2029 are legal inside JSON strings."""
    for lineno, line in enumerate(text.split("\n"), 1):
        yield lineno, line.removesuffix("\r")


def jsonl_documents(path: Path, rel: str, loaded_at: datetime) -> Iterator[Document | Skip]:
    """JSON Lines records ``{id?, url, title?, text? | html?, lang?, fetched_at?}``.

    A bad record (invalid or too deeply nested JSON, wrong field types) is one skip naming the file
    and line; the other records of the file still load.
    """
    data = path.read_bytes()
    text, _ = decode_bytes(data)
    shown = display_path(path)
    for lineno, line in jsonl_lines(text):
        where = f"{shown}:{lineno}"
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            yield Skip(where, f"invalid JSON ({exc.msg})")
            continue
        except RecursionError:
            yield Skip(where, "JSON nested too deeply")
            continue
        if not isinstance(record, dict):
            yield Skip(where, "record is not a JSON object")
            continue
        try:
            url = _optional_str(record, "url")
            title = _optional_str(record, "title")
            body = _optional_str(record, "text")
            html = _optional_str(record, "html")
            hint = _optional_str(record, "lang")
            raw_id = record.get("id")
            doc_id = _record_id(raw_id) if raw_id not in (None, "") else None
        except ValueError as exc:
            yield Skip(where, f"bad record: {exc}")
            continue
        doc_id = doc_id or url or f"{rel}#{lineno}"
        fetched = _parse_time(record.get("fetched_at")) or loaded_at
        if html is not None:
            doc = html_to_document(html.encode("utf-8"), url=url, path=shown, doc_id=doc_id)
        elif body is not None:
            doc = text_to_document(body, doc_id=doc_id, path=shown, url=url, title=title, loaded_at=fetched)
        else:
            yield Skip(where, "record has neither 'text' nor 'html'")
            continue
        if isinstance(doc, Document):
            from dataclasses import replace

            doc = replace(
                doc,
                id=doc_id,
                title=strip_controls(title) if title else doc.title,
                lang_hint=hint or doc.lang_hint,
                loaded_at=fetched,
            )
        elif isinstance(doc, Skip):
            doc = Skip(where, doc.reason)
        yield doc


def _snapshot_document(path: Path) -> Document | Skip:
    from hakemisto.crawl.store import snapshot_document

    return snapshot_document(path)


# --- files and directories ----------------------------------------------------------------------


def display_path(path: str | Path) -> str:
    """A path as printable, indexable text: bytes that are not UTF-8 in a file name become ``\\xNN``.

    Python keeps such bytes as lone surrogates, which cannot be encoded for the index or a terminal.
    """
    return os.fsencode(path).decode("utf-8", "backslashreplace")


def _walk(root: Path, skipped: list[Skip] | None) -> list[Path]:
    """Files under ``root`` (hidden names excluded); unreadable directories and broken links are skips."""
    found: list[Path] = []

    def unreadable(exc: OSError) -> None:
        if skipped is not None:
            skipped.append(Skip(display_path(exc.filename or root), f"unreadable directory ({exc.strerror or exc})"))

    for dirpath, dirnames, filenames in os.walk(root, onerror=unreadable):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for name in sorted(filenames):
            if name.startswith("."):
                continue
            path = Path(dirpath) / name
            if path.is_file():
                found.append(path)
            elif skipped is not None and path.is_symlink() and not path.exists():
                skipped.append(Skip(display_path(path), "broken symbolic link"))
            elif skipped is not None and not path.is_symlink():
                skipped.append(Skip(display_path(path), "not a regular file"))
    return sorted(found)


def expand_paths(paths: Iterable[str | Path], skipped: list[Skip] | None = None) -> list[Path]:
    """Files from files, directories (recursive) and glob patterns; a missing path is an error.

    ``skipped`` collects what was found but cannot be read: unreadable directories, broken links.
    """
    files: list[Path] = []
    for raw in paths:
        text = str(raw)
        if any(ch in text for ch in "*?[") and not Path(text).exists():
            matches = sorted(glob.glob(text, recursive=True))
            if not matches:
                raise InputError(f"{display_path(text)}: the pattern matches no files")
            files.extend(Path(m) for m in matches if Path(m).is_file())
            continue
        path = Path(text)
        if path.is_dir():
            files.extend(_walk(path, skipped))
        elif path.is_file():
            files.append(path)
        elif path.is_symlink():
            raise InputError(f"{display_path(text)}: broken symbolic link")
        else:
            raise InputError(f"{display_path(text)}: no such file or directory")
    seen: set[Path] = set()
    unique = []
    for f in files:
        key = f.resolve()
        if key not in seen:
            seen.add(key)
            unique.append(f)
    return unique


def document_id_for(path: Path, corpus_dir: Path) -> str:
    """Path relative to the corpus root when inside it, else the file's last two path parts."""
    resolved = path.resolve()
    try:
        return display_path(resolved.relative_to(corpus_dir.resolve()).as_posix())
    except ValueError:
        return display_path("/".join(resolved.parts[-2:]))


def load_file(path: Path, settings: Settings, loaded_at: datetime | None = None) -> Iterator[Document | Skip]:
    """One file → documents (JSONL gives several) or a skip with its reason."""
    loaded_at = loaded_at or datetime.now(UTC)
    shown = display_path(path)
    name = path.name.lower()
    suffix = path.suffix.lower()
    if name.endswith(SNAPSHOT_META):
        return  # read together with its .html snapshot
    try:
        size = path.stat().st_size
        if size == 0:
            yield Skip(shown, "empty file")
            return
        if size > settings.max_file_bytes:
            yield Skip(shown, f"file too large ({size / 1e6:.1f} MB > {settings.max_file_bytes / 1e6:.0f} MB)")
            return
        if suffix in HTML_SUFFIXES and path.with_name(path.stem + SNAPSHOT_META).exists():
            yield _snapshot_document(path)
            return
        if suffix in JSONL_SUFFIXES:
            yield from jsonl_documents(path, document_id_for(path, settings.corpus_dir), loaded_at)
            return
        if suffix not in TEXT_SUFFIXES | HTML_SUFFIXES:
            yield Skip(shown, f"unsupported file type '{suffix}'")
            return
        data = path.read_bytes()
    except OSError as exc:
        yield Skip(shown, f"unreadable ({exc.strerror or exc})")
        return
    if looks_binary(data) and wide_encoding(data) is None:
        yield Skip(shown, "binary file, not text")
        return
    doc_id = document_id_for(path, settings.corpus_dir)
    if suffix in HTML_SUFFIXES:
        doc = html_to_document(data, path=shown, doc_id=doc_id)
    else:
        text, _ = decode_bytes(data)
        doc = text_to_document(text, doc_id=doc_id, path=shown, loaded_at=loaded_at)
    if isinstance(doc, Skip):
        doc = Skip(shown, doc.reason)
    yield doc


def load_paths(paths: Iterable[str | Path], settings: Settings) -> LoadResult:
    """Every document under ``paths``; bad inputs are skipped with a reason, never raised."""
    result = LoadResult()
    loaded_at = datetime.now(UTC)
    for path in expand_paths(paths, result.skipped):
        for item in load_file(path, settings, loaded_at):
            if isinstance(item, Document):
                result.documents.append(item)
            else:
                result.skipped.append(item)
    return result
