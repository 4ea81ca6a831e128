"""Presentation helpers for the pages: Finnish number/date formats, safe links, snippet markup, texts.

Kept apart from the routes so the templates stay declarative and the rules (what counts as a
safe link, how euros are written) are testable without a server.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from datetime import date, datetime
from functools import cache
from importlib import resources
from typing import Any
from urllib.parse import quote, urlencode, urlsplit
from zoneinfo import ZoneInfo

from markupsafe import Markup, escape

from hakemisto.app import MARK_END, MARK_START

UI_LANGS = ("fi", "sv")
DEFAULT_UI_LANG = "fi"
NBSP = "\u00a0"
HELSINKI = ZoneInfo("Europe/Helsinki")
_CONTROL = dict.fromkeys(c for c in range(32) if chr(c) not in "\t\n\r")
_MARKED = re.compile(f"{MARK_START}([^{MARK_START}{MARK_END}]*){MARK_END}")


@cache
def texts() -> dict[str, dict[str, str]]:
    """Interface texts per UI language, from the package's i18n.toml (one table per language)."""
    raw = resources.files("hakemisto.web").joinpath("i18n.toml").read_text("utf-8")
    return tomllib.loads(raw)


def pick_ui_lang(cookie: str | None, accept_language: str | None) -> str:
    """The remembered choice first, then the browser's preference (a Swedish browser gets sv)."""
    if cookie in UI_LANGS:
        return cookie
    for part in (accept_language or "").split(","):
        code = part.split(";")[0].strip().lower()[:2]
        if code in UI_LANGS:
            return code
    return DEFAULT_UI_LANG


def _decimal(value: float, digits: int) -> str:
    text = f"{value:.{digits}f}".rstrip("0").rstrip(".")
    return text.replace(".", ",")


def format_int(value: float | int | None) -> str:
    """'12 345' with a no-break space, the Finnish (and Finland-Swedish) way."""
    if not isinstance(value, int | float):
        return "–" if value is None else str(value)
    from hakemisto.app import format_number

    return format_number(value)


def format_eur(value: float | int | None, lang: str = "fi") -> str:
    """'2,6 milj. €' / '2,6 mn €' from a million up, '150 000 €' below: the shared Babel formatter."""
    from hakemisto.app import format_eur as babel_eur

    return babel_eur(value, lang)


def format_bytes(value: int) -> str:
    if value >= 1_000_000:
        return f"{_decimal(value / 1_000_000, 1)}{NBSP}Mt"
    return f"{_decimal(value / 1_000, 1)}{NBSP}kt"


def format_date(value: str | datetime | date | None) -> str:
    """'15.2.2024' (no leading zeros) from a date, datetime or ISO string; '' when unknown."""
    if not value:
        return ""
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value)
        except ValueError:
            return value
    return f"{value.day}.{value.month}.{value.year}"


def format_datetime(value: str | datetime | None) -> str:
    """'15.2.2024 3.05' in Finnish time: when the nightly job ran, as a planner reads a clock."""
    if not value:
        return "–"
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value)
        except ValueError:
            return value
    if value.tzinfo is not None:
        value = value.astimezone(HELSINKI)
    return f"{format_date(value)} {value.hour}.{value.minute:02d}"


def safe_url(value: str | None) -> str | None:
    """The URL if it is an absolute http(s) link; anything else (javascript:, data:, relative) is None."""
    if not value or not isinstance(value, str):
        return None
    value = value.strip()
    if any(ch in value for ch in "\x00\n\r\t") or any(ord(ch) < 32 for ch in value):
        return None
    try:
        parts = urlsplit(value)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return None
    return value


def snippet_html(snippet: str) -> Markup:
    """Escape the crawled text FIRST, then turn balanced search markers into <mark> elements."""
    safe = str(escape(snippet))
    safe = _MARKED.sub(r"<mark>\1</mark>", safe)
    return Markup(safe.translate(_CONTROL))


def doc_path(doc_id: str) -> str:
    """The document page of an id; ids are URLs or file paths, so every character is escaped."""
    return "/documents/" + quote(doc_id, safe="")


def page_url(path: str, params: dict[str, Any], **changes: Any) -> str:
    """``path`` with the current parameters plus ``changes`` (None removes one); blanks dropped."""
    merged = {**params, **changes}
    pairs: list[tuple[str, str]] = []
    for key, value in merged.items():
        if value in (None, "", [], ()):
            continue
        for item in value if isinstance(value, list | tuple) else [value]:
            pairs.append((key, str(item)))
    return path + ("?" + urlencode(pairs) if pairs else "")


def safe_next(target: str | None) -> str:
    """Only same-site paths are followed after a language switch (no open redirect)."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/"
    return target


@dataclass(frozen=True)
class Bar:
    label: str
    value: float
    y: int
    width: float
    text: str


@dataclass(frozen=True)
class Chart:
    bars: tuple[Bar, ...]
    width: int
    height: int
    label_width: int
    bar_height: int


def bar_chart(items: list[tuple[str, float]], width: int = 720, label_width: int = 190) -> Chart:
    """Geometry of a horizontal bar chart (drawn as inline SVG by the template, no script)."""
    bar_height, gap = 22, 6
    top = max((value for _, value in items), default=0.0) or 1.0
    room = width - label_width - 110
    bars = tuple(
        Bar(label, value, i * (bar_height + gap), round(room * value / top, 1), format_eur(value))
        for i, (label, value) in enumerate(items)
    )
    return Chart(bars, width, max(len(bars), 1) * (bar_height + gap), label_width, bar_height)



# --- library messages in the interface language ---------------------------------------------------


def note_text(note: Any, t: dict[str, str]) -> str:
    """A no-hits note (``search.Note``) in the interface language; never the CLI's English text."""
    code = getattr(note, "code", "")
    template = t.get(f"note_{code}")
    if not template:
        return t["note_generic"]
    params = dict(getattr(note, "params", {}) or {})
    if "filter" in params:
        params["filter"] = t.get(f"filter_{params['filter']}", params["filter"])
    if "lang" in params:
        params["lang"] = t.get(f"lang_{params['lang']}", params["lang"])
    for key in ("n", "total", "pages", "page"):
        if isinstance(params.get(key), int):
            params[key] = format_int(params[key])
    try:
        return template.format(**params)
    except (KeyError, IndexError, ValueError):
        return t["note_generic"]


def error_text(exc: Any, t: dict[str, str]) -> str:
    """A usage error (unknown region, bad page…) in the interface language, with its hint."""
    code = getattr(exc, "code", "")
    template = t.get(f"err_{code}") if code else None
    if not template:
        return t["err_generic"]
    params = dict(getattr(exc, "params", {}) or {})
    try:
        text = template.format(**params)
    except (KeyError, IndexError, ValueError):
        return t["err_generic"]
    if params.get("hint"):
        text = t["err_hint"].format(hint=params["hint"]) + " " + text
    return text


def validation_text(error: dict[str, Any], t: dict[str, str]) -> str:
    """One of Pydantic's parameter errors in the interface language."""
    loc = [str(part) for part in error.get("loc", ())]
    name = next((part for part in reversed(loc) if not part.isdigit()), "?")
    kind = error.get("type")
    key = "err_unknown_parameter" if kind == "extra_forbidden" else "err_too_long" if kind in (
        "string_too_long", "too_long") else "err_invalid"
    return t[key].format(name=name)
