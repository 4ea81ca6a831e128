"""Pure HTML → ``Document``: main content as paragraphs, title, dates, language hint, links.

Never touches the network or the disk: the crawler, the snapshot store and the file loader all call
``html_to_document`` with bytes they already hold, so re-extraction is always offline.
Patterns (boilerplate classes, date labels, month names) live in ``data/extract.toml``.
"""

from __future__ import annotations

import hashlib
import json
import re
import threading
import time
import tomllib
from datetime import UTC, datetime, timedelta, timezone
from functools import lru_cache
from importlib import resources
from typing import Any
from zoneinfo import ZoneInfo

import lxml.etree
import lxml.html
from bs4 import BeautifulSoup, Comment, NavigableString, Tag
from charset_normalizer import from_bytes

from hakemisto.core.model import Document, Skip, Source, content_hash
from hakemisto.core.safe_output import strip_controls
from hakemisto.crawl.titles import choose_title
from hakemisto.crawl.urls import canonicalize, host_of, is_listing_url

HELSINKI = ZoneInfo("Europe/Helsinki")
MIN_WORDS = 5
# Hostile pages: nesting deeper than this is flattened before bs4 (whose tree walks recurse, and whose
# per-element parent searches made extraction quadratic in depth); libxml2 itself stops at 2,048.
MAX_DEPTH = 100
BUDGET_SECONDS = 20.0  # per page; a page that takes longer is skipped with this reason


class ExtractionTimeout(Exception):
    """A page used up its time budget."""


_clock = threading.local()


def _tick() -> None:
    """Raise ``ExtractionTimeout`` once the current page's budget is spent (checked in the tree walks)."""
    deadline = getattr(_clock, "deadline", None)
    if deadline is not None and time.monotonic() > deadline:
        raise ExtractionTimeout


def flatten_deep(html: str, max_depth: int = MAX_DEPTH) -> str | None:
    """The page with elements nested deeper than ``max_depth`` unwrapped (their text kept), or None
    when nothing is that deep. lxml parses and walks iteratively, in linear time."""
    try:
        root = lxml.html.document_fromstring(html, parser=lxml.html.HTMLParser(huge_tree=True))
    except (lxml.etree.ParserError, ValueError):
        return None
    deep = []
    stack = [(root, 0)]
    while stack:
        el, depth = stack.pop()
        if depth > max_depth:
            deep.append(el)
        stack.extend((child, depth + 1) for child in el)
    if not deep:
        return None
    for el in deep:
        if isinstance(el.tag, str):
            el.drop_tag()
        else:  # comments and processing instructions
            el.getparent().remove(el) if el.getparent() is not None else None
    return lxml.html.tostring(root, encoding="unicode")

BLOCK_TAGS = {
    "p", "div", "section", "article", "main", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li",
    "dl", "dt", "dd", "table", "thead", "tbody", "tfoot", "tr", "td", "th", "caption", "blockquote",
    "pre", "figure", "figcaption", "header", "footer", "address", "details", "summary", "hr", "body",
    "center", "fieldset", "legend",
}  # fmt: skip
_LABEL_HINTS = ("label", "term", "key", "title", "name", "otsikko")
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-:]+)""", re.I)


@lru_cache(maxsize=1)
def _rules() -> dict[str, Any]:
    text = resources.files("hakemisto").joinpath("data/extract.toml").read_text(encoding="utf-8")
    return tomllib.loads(text)


# ---------------------------------------------------------------- encoding


def _norm_encoding(name: str | None) -> str | None:
    if not name:
        return None
    name = name.strip().strip("'\"").lower().replace("_", "-")
    if name in {"utf8", "utf-8", "unicode-1-1-utf-8"}:
        return "utf-8"
    # WHATWG: latin-1 labels mean windows-1252 in practice.
    if name in {"iso-8859-1", "latin-1", "latin1", "l1", "us-ascii", "ascii", "windows-1252", "cp1252"}:
        return "cp1252"
    return name


_BOMS = (
    (b"\x00\x00\xfe\xff", "utf-32-be"),
    (b"\xff\xfe\x00\x00", "utf-32-le"),
    (b"\xef\xbb\xbf", "utf-8"),
    (b"\xfe\xff", "utf-16-be"),
    (b"\xff\xfe", "utf-16-le"),
)


def wide_encoding(data: bytes) -> tuple[str, int] | None:
    """(encoding, BOM length) of UTF-16 / UTF-32 text, with or without a byte order mark.

    Without a BOM the zero bytes give it away: Finnish and Swedish text is almost all below U+0100,
    so in UTF-16 every other byte is zero, in UTF-32 three of four.
    """
    for bom, enc in _BOMS:
        if data.startswith(bom):
            return (enc, len(bom)) if enc != "utf-8" else None
    head = data[:4096]
    if len(head) < 4 or b"\x00" not in head:
        return None
    zero = [0, 0, 0, 0]
    for i, byte in enumerate(head):
        if byte == 0:
            zero[i % 4] += 1
    quarter = len(head) / 4
    candidates: list[str] = []
    if zero[1] + zero[2] + zero[3] > 2.7 * quarter and zero[0] < 0.1 * quarter:
        candidates.append("utf-32-le")
    if zero[0] + zero[1] + zero[2] > 2.7 * quarter and zero[3] < 0.1 * quarter:
        candidates.append("utf-32-be")
    if zero[1] + zero[3] > 1.8 * quarter and zero[0] + zero[2] < 0.2 * quarter:
        candidates.append("utf-16-le")
    if zero[0] + zero[2] > 1.8 * quarter and zero[1] + zero[3] < 0.2 * quarter:
        candidates.append("utf-16-be")
    for enc in candidates:
        unit = 4 if "32" in enc else 2
        try:
            text = data[: len(data) - len(data) % unit].decode(enc)
        except UnicodeDecodeError:
            continue
        if "\x00" not in text:
            return enc, 0
    return None


def _mixed_lines(data: bytes, fallback: str) -> str | None:
    """Decode line by line when a file mixes UTF-8 lines with ``fallback`` (cp1252) lines.

    Only when some line with non-ASCII bytes is valid UTF-8: a pure cp1252 file has none, and then
    the whole-file rules apply as before.
    """
    lines = data.split(b"\n")
    utf8_lines = 0
    for line in lines:
        if max(line, default=0) > 0x7F:
            try:
                line.decode("utf-8")
                utf8_lines += 1
            except UnicodeDecodeError:
                pass
    if not utf8_lines:
        return None
    out = []
    for line in lines:
        try:
            out.append(line.decode("utf-8"))
        except UnicodeDecodeError:
            out.append(line.decode(fallback, errors="replace"))
    return "\n".join(out)


def decode_html(data: bytes, declared: str | None = None) -> tuple[str, str]:
    """Text and the encoding actually used. Trust valid UTF-8 over any label (a cp1252 label on UTF-8
    bytes is common), then the label, then cp1252 (UTF-8 label on cp1252 bytes), then detection.
    UTF-16/32 are recognised with or without a BOM; a file mixing UTF-8 and cp1252 lines is decoded
    line by line."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace"), "utf-8"
    wide = wide_encoding(data)
    if wide:
        enc, bom = wide
        return data[bom:].decode(enc, errors="replace"), enc
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    label = _norm_encoding(declared)
    if label is None:
        match = _META_CHARSET.search(data[:4096])
        label = _norm_encoding(match.group(1).decode("ascii", "ignore")) if match else None
    if label in (None, "utf-8", "cp1252"):
        mixed = _mixed_lines(data, "cp1252")
        if mixed is not None:
            return mixed, "utf-8+cp1252"
    for enc in (label, "cp1252"):
        if enc and enc != "utf-8":
            try:
                return data.decode(enc), enc
            except (UnicodeDecodeError, LookupError):
                continue
    best = from_bytes(data).best()
    if best is not None:
        return str(best), best.encoding
    return data.decode("cp1252", errors="replace"), "cp1252"


# ---------------------------------------------------------------- text helpers


def _clean(text: str) -> str:
    text = strip_controls(text)
    text = text.replace("\xa0", " ").replace("\xad", "").replace("\u200b", "").replace("\ufeff", "")
    lines = [" ".join(line.split()) for line in text.split("\n")]
    return "\n".join(line for line in lines if line).strip()


def _text(el: Tag) -> str:
    """Text of an element with <br> as a line break and inline tags joined by spaces where needed."""
    _tick()
    parts: list[str] = []
    for node in el.descendants:
        if isinstance(node, Comment):
            continue
        if isinstance(node, NavigableString):
            parts.append(str(node))
        elif isinstance(node, Tag) and node.name == "br":
            parts.append("\n")
        elif isinstance(node, Tag) and node.name in BLOCK_TAGS:
            parts.append(" ")
    return _clean("".join(parts))


def _has_block(el: Tag) -> bool:
    return any(isinstance(d, Tag) and d.name in BLOCK_TAGS for d in el.descendants)


def _classes(el: Tag) -> str:
    cls = el.get("class") or []
    if isinstance(cls, str):
        cls = [cls]
    return " ".join([*cls, str(el.get("id") or "")]).lower()


# ---------------------------------------------------------------- boilerplate


def _is_boilerplate(el: Tag, in_content: bool) -> bool:
    rules = _rules()["boilerplate"]
    if el.name in rules["drop_tags"]:
        return True
    if el.name in rules["drop_outside_content"] and not in_content:
        return True
    if str(el.get("role") or "").lower() in rules["drop_roles"]:
        return True
    if el.get("hidden") is not None or str(el.get("aria-hidden") or "").lower() == "true":
        return True
    names = _classes(el)
    if not names.strip():
        return False
    if any(s in names for s in rules["drop_class_substrings"]):
        return True
    tokens = set(re.split(r"[\s_\-]+", names))
    return bool(tokens & set(rules["drop_class_tokens"]))


@lru_cache(maxsize=1)
def _logo_alt_pattern() -> re.Pattern[str]:
    """Alt texts that name who pays (``[logos]`` in ``data/extract.toml``)."""
    rules = _rules().get("logos", {})
    words = "|".join(re.escape(w) for w in rules.get("funding_alt_words", ()))
    acronyms = "|".join(re.escape(a) for a in rules.get("funding_alt_acronyms", ()))
    parts = [f"(?i:{words})" if words else "", rf"(?<![\w-])(?:{acronyms})(?![\w-])" if acronyms else ""]
    return re.compile("|".join(p for p in parts if p) or r"(?!)")


def _keep_funding_logos(root: Tag, soup: BeautifulSoup) -> None:
    """Replace each funder logo inside the content by its alt text as a paragraph of its own: 'Euroopan
    unionin osarahoittama' under an article is often the page's only word on who pays. Other images
    (a county's or a town's logo) stay out: their names would pass for the page's own text."""
    pattern = _logo_alt_pattern()
    for img in list(root.find_all("img")):
        alt = " ".join(str(img.get("alt") or "").split())
        if alt and len(alt) <= 160 and pattern.search(alt):
            para = soup.new_tag("p")
            para.string = alt
            img.replace_with(para)


_PHONE_OR_MAIL = re.compile(r"@|\+?\d[\d ()/-]{6,}\d")
# What may stay inside a kept fact box: it is an <aside> or a sidebar, but its own nav/forms/buttons go.
_SIDE_SPARED = frozenset({"aside", "complementary", "sidebar", "related"})


@lru_cache(maxsize=1)
def _side_rules() -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str]]:
    """(fact-box label, kept label, footer paying line) patterns from ``[sidebars]`` / ``[footers]``."""
    rules = _rules()

    def label(words: list[str]) -> re.Pattern[str]:
        alt = "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True)) or "(?!)"
        return re.compile(rf"^(?:{alt})\s*:?(?:\s|$)", re.I)

    side = rules.get("sidebars", {})
    words = "|".join(re.escape(w) for w in rules.get("footers", {}).get("funding_line_words", ())) or "(?!)"
    return label(side.get("fact_labels", [])), label(side.get("keep_labels", [])), re.compile(words, re.I)


def _is_side_furniture(el: Tag) -> bool:
    """Boilerplate inside a kept aside or footer, by the same rules, sparing what marks the box itself."""
    rules = _rules()["boilerplate"]
    if el.name in rules["drop_tags"] and el.name not in _SIDE_SPARED:
        return True
    role = str(el.get("role") or "").lower()
    if role in rules["drop_roles"] and role not in _SIDE_SPARED:
        return True
    if el.get("hidden") is not None or str(el.get("aria-hidden") or "").lower() == "true":
        return True
    tokens = set(re.split(r"[\s_\-]+", _classes(el))) - _SIDE_SPARED
    return bool(tokens & set(rules["drop_class_tokens"]))


def _side_paragraphs(el: Tag, soup: BeautifulSoup) -> list[str]:
    """Paragraphs of an aside or footer: funder logos as their alt texts, its own furniture gone, a lone
    label heading joined to the value under it ('Rahoittaja' + 'STM' → 'Rahoittaja: STM')."""
    _keep_funding_logos(el, soup)
    for d in list(el.find_all(True)):
        if not d.decomposed and d.parent is not None and _is_side_furniture(d):
            d.decompose()
    raw: list[str] = []
    _blocks(el, raw)
    lines = [line for p in raw for line in p.split("\n") if line.strip()]
    fact, _, _ = _side_rules()
    out: list[str] = []
    i = 0
    while i < len(lines):
        line = lines[i]
        bare = line.rstrip(":").strip()
        if fact.match(bare) and fact.match(bare).end() >= len(bare) and i + 1 < len(lines):
            out.append(f"{bare}: {lines[i + 1]}")
            i += 2
            continue
        out.append(line)
        i += 1
    return out


def _side_evidence(soup: BeautifulSoup, root: Tag) -> list[str]:
    """Funder lines from fact-box asides and page footers, taken out of the tree (they are dropped as
    furniture anyway). Only lines the funder rules need: a fact box's funding-labelled and paying lines,
    a footer's funder logos and emblem lines; never addresses, phones, persons or other fact-box fields."""
    fact, keep, paying = _side_rules()
    logo = _logo_alt_pattern()
    found: list[str] = []
    boxes = [el for el in soup.find_all(True)
             if el.name in ("aside", "footer") or str(el.get("role") or "").lower() in ("complementary", "contentinfo")]
    box_ids = {id(b) for b in boxes}  # identity: bs4's Tag equality compares whole subtrees
    for el in boxes:
        if el.decomposed or el.parent is None or el is root or any(p is el for p in root.parents):
            continue
        if any(id(p) in box_ids for p in el.parents):
            continue  # the outermost box decides
        footer = el.name == "footer" or str(el.get("role") or "").lower() == "contentinfo"
        alts = {" ".join(str(i.get("alt") or "").split()) for i in el.find_all("img")}
        el.extract()
        lines = _side_paragraphs(el, soup)
        if not footer and not any(fact.match(line) for line in lines):
            continue
        for line in lines:
            if len(line) > 200 or _PHONE_OR_MAIL.search(line):
                continue
            is_logo = line in alts and bool(logo.search(line))
            labelled = not footer and bool(keep.match(line))
            pays = bool(paying.search(line)) and len(line.split()) >= 2 and len(line) <= 160
            if is_logo or labelled or pays:
                found.append(line)
    return list(dict.fromkeys(found))


def _strip_boilerplate(root: Tag, extra_selectors: str | None) -> None:
    if extra_selectors:
        for el in root.select(extra_selectors):
            el.decompose()
    for comment in root.find_all(string=lambda s: isinstance(s, Comment)):
        comment.extract()
    for el in list(root.find_all(True)):
        _tick()
        if el.decomposed or el.parent is None:
            continue
        in_content = el.find_parent(["article", "main"]) is not None
        if el is not root and _is_boilerplate(el, in_content):
            el.decompose()


# ---------------------------------------------------------------- paragraphs


def _label_value(el: Tag) -> str | None:
    """'Label: value' for a two-child div whose first child is a label (class hint or trailing ':')."""
    children = [c for c in el.children if isinstance(c, Tag)]
    loose = "".join(str(c) for c in el.children if isinstance(c, NavigableString)).strip()
    if len(children) != 2 or loose or any(_has_block(c) for c in children):
        return None
    label, value = _text(children[0]), _text(children[1])
    if not label or not value or len(label) > 60:
        return None
    hinted = any(h in _classes(children[0]) for h in _LABEL_HINTS) or children[0].name in {"th", "dt"}
    if not (hinted or label.endswith(":")):
        return None
    return f"{label.rstrip(':').strip()}: {value}"


def _dl_items(dl: Tag) -> list[str]:
    out: list[str] = []
    label: str | None = None
    values: list[str] = []
    for child in dl.find_all(["dt", "dd"]):
        if child.find_parent("dl") is not dl:
            continue
        if child.name == "dt":
            if label is not None or values:
                out.append(f"{label}: {'; '.join(values)}" if label else "; ".join(values))
            label, values = _text(child).rstrip(":").strip(), []
        else:
            values.append(_text(child))
    if label is not None or values:
        out.append(f"{label}: {'; '.join(values)}" if label and values else (label or "; ".join(values)))
    return [p for p in out if p]


def _row(tr: Tag) -> str:
    cells = [c for c in tr.find_all(["th", "td"]) if c.find_parent("tr") is tr]
    filled = [(c, t) for c, t in ((c, _text(c)) for c in cells) if t]
    texts = [t for _, t in filled]
    # 'Budget | 420 000 €' with a th label is a field; a row of th cells only ('Kustannukset | euroa')
    # is a column header and stays cells, so its unit and role reach the column below
    if len(texts) == 2 and filled[0][0].name == "th" and filled[1][0].name != "th":
        return f"{texts[0].rstrip(':')}: {texts[1]}"
    if len(texts) >= 2 and len(filled) < len(cells):
        # an empty cell keeps its column ('Kotiapu | 80 000 | –' under 'Hanke | Haettu | Myönnetty'),
        # so the sums beside it stay under their own headers
        return " | ".join(_text(c) or "–" for c in cells)
    return " | ".join(texts)


def _blocks(el: Tag, out: list[str]) -> None:
    """Append the paragraphs of ``el``: leaf blocks whole, mixed blocks split at their block children."""
    _tick()
    if el.name == "dl":
        out.extend(_dl_items(el))
        return
    if el.name == "tr":
        row = _row(el)
        if row:
            out.append(row)
        return
    pair = _label_value(el)
    if pair:
        out.append(pair)
        return
    if not _has_block(el):
        text = _text(el)
        if text:
            out.append(text)
        return
    pending: list[str] = []

    def flush() -> None:
        text = _clean("".join(pending))
        if text:
            out.append(text)
        pending.clear()

    for child in el.children:
        if isinstance(child, Comment):
            continue
        if isinstance(child, NavigableString):
            pending.append(str(child))
        elif isinstance(child, Tag) and child.name == "br":
            pending.append("\n")
        elif isinstance(child, Tag) and (child.name in BLOCK_TAGS or _has_block(child)):
            flush()
            _blocks(child, out)
        elif isinstance(child, Tag):
            pending.append(" " + _text(child) + " ")
    flush()


# ---------------------------------------------------------------- metadata


def _lang(value: str | None) -> str | None:
    if not value:
        return None
    code = re.split(r"[-_]", value.strip().lower())[0]
    return code or None


def _lang_hint(soup: BeautifulSoup, url: str | None, source: Source | None) -> str | None:
    html = soup.find("html")
    if isinstance(html, Tag):
        hint = _lang(str(html.get("lang") or html.get("xml:lang") or ""))
        if hint:
            return hint
    meta = soup.find("meta", attrs={"http-equiv": re.compile("^content-language$", re.I)})
    if isinstance(meta, Tag) and _lang(str(meta.get("content") or "")):
        return _lang(str(meta.get("content")))
    meta = soup.find("meta", attrs={"property": "og:locale"})
    if isinstance(meta, Tag) and _lang(str(meta.get("content") or "")):
        return _lang(str(meta.get("content")))
    if url:
        path = url.lower()
        sv_paths = source.sv_paths if source else ("/sv/",)
        if any(p in path for p in sv_paths) or path.rstrip("/").endswith("/sv"):
            return "sv"
        if "/fi/" in path or path.rstrip("/").endswith("/fi"):
            return "fi"
    return None


def _abs(href: str, base: str | None) -> str | None:
    """Absolute canonical form of a link; None when it cannot be parsed (a page's bad link is not fatal)."""
    try:
        return canonicalize(href, base) if base else href.strip()
    except ValueError:
        return None


def _canonical(soup: BeautifulSoup, base: str | None) -> str | None:
    for link in soup.find_all("link", href=True):
        rel = link.get("rel") or []
        rels = [rel] if isinstance(rel, str) else rel
        if "canonical" in [r.lower() for r in rels]:
            return _abs(str(link["href"]), base)
    return None


def _alternates(soup: BeautifulSoup, base: str | None, self_urls: set[str]) -> tuple[tuple[str, str], ...]:
    """hreflang links in <head> plus language-switcher anchors (``a[hreflang]``, ``a[lang]`` in a
    language menu): the twin finder's strongest evidence."""
    found: list[tuple[str, str]] = []
    for link in soup.find_all(["link", "a"], hreflang=True):
        lang = str(link.get("hreflang") or "").lower()
        if lang and lang != "x-default" and link.get("href"):
            found.append((_lang(lang) or lang, _abs(str(link["href"]), base)))
    for a in soup.find_all("a", lang=True, href=True):
        container = a.find_parent(
            lambda t: "lang" in _classes(t) or "kieli" in _classes(t) or "sprak" in _classes(t)
        )
        if container is not None:
            found.append((_lang(str(a["lang"])) or "", _abs(str(a["href"]), base)))
    out: list[tuple[str, str]] = []
    for lang, href in found:
        # A switcher that falls back to the other language's home page names no twin.
        if not href or (base and is_listing_url(href) and not is_listing_url(canonicalize(base))):
            continue
        if lang and href not in self_urls and (lang, href) not in out:
            out.append((lang, href))
    return tuple(out)


def _title(soup: BeautifulSoup, root: Tag, selector: str | None) -> str:
    """The headline: the source's selector, the h1s (content first), og:title, <title>; furniture and
    site names (a logo in an h1, 'Hyppää pääsisältöön', 'FI SV', 'date …') are skipped (titles.py)."""
    candidates: list[str] = []
    if selector:
        el = soup.select_one(selector)
        if el is not None:
            candidates.append(_text(el))
    for scope in (root, soup):
        candidates += [_text(h1).replace("\n", " ") for h1 in scope.find_all("h1") if isinstance(h1, Tag)]
    og = soup.find("meta", attrs={"property": "og:title"})
    if isinstance(og, Tag) and og.get("content"):
        candidates.append(_clean(str(og["content"])))
    if soup.title and soup.title.string:
        candidates.append(strip_site_suffix(_clean(soup.title.get_text())))
    return choose_title(candidates)


_SITE_TAIL = re.compile(r"\s+(?:kommun|kunta|kaupunki|stad|hyvinvointialue|välfärdsområde|kuntayhtymä|samkommun)$", re.I)


def _publisher_region(soup: BeautifulSoup) -> str | None:
    """The county of the site that publishes the page, from its own name: the <title> suffix, the logo
    or organisation line of the header, the footer ('Larsmo kommun' → Pohjanmaa, 'Österbottens
    välfärdsområde - Pohjanmaan hyvinvointialue' → Pohjanmaa). None for national or unknown sites."""
    from hakemisto.core.regions import municipality_county, normalize_region

    names: list[str] = []
    if soup.title and soup.title.string and " | " in soup.title.string:
        names.append(soup.title.string.rsplit(" | ", 1)[1])
    for el in soup.select("header .logo, header .org, header .site-name, .site-header .logo, #header .org, "
                          "#header .logo, a.logo, p.logo, span.org, footer"):
        text = el.get_text(" ", strip=True)
        if text:
            names.append(re.split(r"\s[·|,]\s|\s*\d{5}\s", text)[0])
    for name in names:
        first = re.split(r"\s[–-]\s", name.strip())[0]
        if not first or len(first.split()) > 5:
            continue
        bare = _SITE_TAIL.sub("", first)
        found = (normalize_region(first) if first != bare else None) or municipality_county(bare)
        if found:
            return found
    return None


def strip_site_suffix(title: str) -> str:
    """'Hanke X | Pohjanmaan hyvinvointialue' → 'Hanke X' (the part before the last separator)."""
    if " | " in title:
        return title.split(" | ")[0].strip()
    for sep in (" – ", " — ", " - "):
        if sep in title:
            return title.rsplit(sep, 1)[0].strip()
    return title


# ---------------------------------------------------------------- dates


def _to_local_naive(value: datetime) -> datetime:
    """All dates are naive Helsinki local time, so they compare and sort without tz surprises."""
    if value.tzinfo is not None:
        value = value.astimezone(HELSINKI).replace(tzinfo=None)
    return value


def parse_date(text: str | None) -> datetime | None:
    """ISO 8601, 'd.m.yyyy [klo HH.MM]' and 'd. monthname yyyy' (fi/sv) → naive local datetime."""
    if not text:
        return None
    text = text.strip()
    iso = re.match(
        r"(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2}))?(?:\.\d+)?)?\s*(Z|[+-]\d{2}:?\d{2})?",
        text,
    )
    if iso:
        y, m, d, hh, mm, ss, tz = iso.groups()
        try:
            value = datetime(int(y), int(m), int(d), int(hh or 0), int(mm or 0), int(ss or 0))
        except ValueError:
            return None
        if tz:
            if tz == "Z":
                value = value.replace(tzinfo=UTC)
            else:
                sign = 1 if tz[0] == "+" else -1
                digits = tz[1:].replace(":", "")
                offset = timedelta(hours=int(digits[:2]), minutes=int(digits[2:]))
                value = value.replace(tzinfo=timezone(sign * offset))
        return _to_local_naive(value)
    fin = re.search(
        r"(\d{1,2})\.\s?(\d{1,2})\.\s?(\d{4})(?:\s*(?:klo|kl\.?|at)?\s*(\d{1,2})[.:](\d{2}))?", text
    )
    if fin:
        d, m, y, hh, mm = fin.groups()
        try:
            return datetime(int(y), int(m), int(d), int(hh or 0), int(mm or 0))
        except ValueError:
            return None
    words = re.search(r"(\d{1,2})\.?\s+([a-zåäö]+)\s+(\d{4})", text.lower())
    if words:
        d, name, y = words.groups()
        for stem, month in _rules()["dates"]["months"].items():
            if name.startswith(stem):
                try:
                    return datetime(int(y), int(month), int(d))
                except ValueError:
                    return None
    return None


def _meta_dates(soup: BeautifulSoup) -> dict[str, datetime]:
    rules = _rules()["dates"]
    found: dict[str, datetime] = {}
    metas: dict[str, str] = {}
    for meta in soup.find_all("meta"):
        key = str(meta.get("property") or meta.get("name") or meta.get("itemprop") or "").lower()
        if key and meta.get("content") and key not in metas:
            metas[key] = str(meta["content"])
    for field, names in (("published", rules["published_meta"]), ("modified", rules["modified_meta"])):
        for name in names:
            value = parse_date(metas.get(name))
            if value:
                found[field] = value
                break
    return found


def _jsonld_dates(soup: BeautifulSoup) -> dict[str, datetime]:
    found: dict[str, datetime] = {}

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            for key, field in (
                ("datePublished", "published"),
                ("dateCreated", "published"),
                ("dateModified", "modified"),
            ):
                if field not in found and isinstance(node.get(key), str):
                    value = parse_date(node[key])
                    if value:
                        found[field] = value
            for child in node.values():
                walk(child)
        elif isinstance(node, list):
            for child in node:
                walk(child)

    for script in soup.find_all("script", type=re.compile("ld\\+json", re.I)):
        try:
            walk(json.loads(script.string or ""))
        except (ValueError, TypeError):
            continue
    return found


def _time_dates(soup: BeautifulSoup) -> dict[str, datetime]:
    found: dict[str, datetime] = {}
    for el in soup.find_all("time"):
        value = parse_date(str(el.get("datetime") or "")) or parse_date(el.get_text(" "))
        if not value:
            continue
        around = _text(el.parent) if el.parent is not None else ""
        context = " ".join([_classes(el), str(el.get("itemprop") or ""), around[:200]]).lower()
        field = (
            "modified"
            if any(
                w in context
                for w in ("modified", "updated", "päivitetty", "uppdaterad", "muokattu", "ändrad")
            )
            else "published"
        )
        found.setdefault(field, value)
    return found


@lru_cache(maxsize=1)
def _label_pattern() -> re.Pattern[str]:
    labels = sorted(_rules()["dates"]["labels"], key=len, reverse=True)
    alt = "|".join(re.escape(label) for label in labels)
    return re.compile(
        rf"(?<![\w])({alt})\s*:?\s*((?:\d{{4}}-\d{{2}}-\d{{2}}|\d{{1,2}}\.\s?\d{{1,2}}\.\s?\d{{4}}|\d{{1,2}}\.?\s+[a-zåäö]+\s+\d{{4}})(?:\s*(?:klo|kl\.?)?\s*\d{{1,2}}[.:]\d{{2}})?)",
        re.I,
    )


def text_dates(text: str) -> dict[str, datetime]:
    """Dates announced by labels such as 'Julkaistu 3.2.2024' or 'Uppdaterad 12 mars 2024'."""
    found: dict[str, datetime] = {}
    labels = _rules()["dates"]["labels"]
    for match in _label_pattern().finditer(text):
        field = labels[match.group(1).lower()]
        value = parse_date(match.group(2))
        if value:
            found.setdefault(field, value)
    return found


def _htmldate(html: str) -> datetime | None:
    """Last resort for the publication date: htmldate on markup only (no guessing from free text)."""
    from htmldate import find_date

    try:
        tree = lxml.html.fromstring(html)
        value = find_date(tree, extensive_search=False, original_date=True, outputformat="%Y-%m-%d")
    except Exception:  # htmldate raises assorted errors on odd trees; a missing date is fine
        return None
    return parse_date(value) if value else None


# ---------------------------------------------------------------- main entry


def _content_root(soup: BeautifulSoup, selector: str | None) -> Tag:
    if selector:
        el = soup.select_one(selector)
        if el is not None:
            return el
    for candidate in _rules()["content"]["candidates"]:
        matches = [m for m in soup.select(candidate) if _text(m)]
        if matches:
            return max(matches, key=lambda m: len(_text(m))) if candidate == "article" else matches[0]
    return soup.body or soup


# ---------------------------------------------------------------- site furniture (teasers)


def _fingerprint(text: str) -> str:
    return hashlib.sha1(" ".join(text.lower().split()).encode("utf-8")).hexdigest()[:12]


def _flat(el: Tag) -> str:
    """Cheap whole text of an element (fingerprints and length ratios; not paragraphs)."""
    return el.get_text(" ")


def _internal_href(a: Tag, base: str | None) -> str | None:
    """The link's target when it points to a page of the same site, else None."""
    href = str(a.get("href") or "").strip()
    if not href or href.startswith(("#", "mailto:", "tel:", "javascript:")):
        return None
    if not base:
        return None if re.match(r"^[a-z][a-z0-9+.-]*:", href, re.I) else href
    try:
        target = canonicalize(href, base)
    except ValueError:
        return None
    return target if host_of(target) == host_of(base) else None


class _LinkMap:
    """Internal links of a content root, resolved once: for every element, the distinct internal
    targets below it. Keeps furniture and listing checks linear-ish on big, deeply nested pages."""

    def __init__(self, root: Tag, base: str | None) -> None:
        self.root = root
        self.below: dict[int, set[str]] = {}
        self.anchors: list[tuple[Tag, str]] = []
        for a in root.find_all("a", href=True):
            target = _internal_href(a, base)
            if target is None:
                continue
            self.anchors.append((a, target))
            for parent in a.parents:
                self.below.setdefault(id(parent), set()).add(target)
                if parent is root:
                    break

    def holds(self, el: Tag) -> bool:
        return id(el) in self.below

    def targets(self, el: Tag) -> set[str]:
        return self.below.get(id(el), set())


def _link_blocks(root: Tag, base: str | None, links: _LinkMap | None = None) -> list[tuple[Tag, str]]:
    """(element, fingerprint) of every element inside ``root`` that holds an internal link, in
    document order: the candidates for teaser blocks ("Ajankohtaista", "Lue myös", cards)."""
    links = links or _LinkMap(root, base)
    out: list[tuple[Tag, str]] = []
    for el in root.find_all(True):
        if el.name == "a" or not links.holds(el):
            continue
        text = _flat(el)
        if len(text.strip()) >= 3:
            out.append((el, _fingerprint(text)))
    return out


def _drop_teaser_dates(
    soup: BeautifulSoup, dates: dict[str, datetime], declared: dict[str, datetime], teaser_texts: list[str]
) -> bool:
    """A date read from a removed teaser ('Julkaistu 1.2.2031' of another news item) is not this
    page's: take it from what is left of the page instead, or leave it unknown."""
    teaser_values = {parse_date(m.group(2)) for m in _label_pattern().finditer("\n".join(teaser_texts))}
    teaser_values |= {parse_date(t) for t in teaser_texts}
    teaser_values.discard(None)
    if not any(dates.get(f) in teaser_values for f in dates if f not in declared):
        return False
    rest = {**text_dates(_text(soup.body or soup)), **_time_dates(soup)}
    for field in [f for f in dates if f not in declared and dates[f] in teaser_values]:
        if rest.get(field) and rest[field] not in teaser_values:
            dates[field] = rest[field]
        else:
            del dates[field]
    return True


def _strip_furniture(
    root: Tag, base: str | None, furniture: frozenset[str], removed_texts: list[str] | None = None
) -> int:
    """Remove blocks whose text (with internal links) recurs across many pages of the site. A list
    whose link items are mostly furniture goes whole (a rotating "Lue myös" item goes with its
    list), and so does a heading left announcing a removed block. Returns how many blocks went."""
    links = _LinkMap(root, base)
    blocks = _link_blocks(root, base, links)
    marked = {id(el) for el, fp in blocks if fp in furniture}
    if not marked:
        return 0
    lengths: dict[int, int] = {}

    def length(el: Tag) -> int:
        if id(el) not in lengths:
            lengths[id(el)] = len(_flat(el))
        return lengths[id(el)]

    grew = True
    while grew:
        grew = False
        for el, _ in reversed(blocks):  # innermost first
            if id(el) in marked:
                continue
            kids = [c for c in el.find_all(True, recursive=False) if links.holds(c)]
            furn = [c for c in kids if id(c) in marked]
            if len(kids) < 2 or len(furn) * 2 < len(kids):
                continue
            total = length(el)
            if total and sum(length(c) for c in kids) / total >= 0.8:
                marked.add(id(el))
                grew = True
    removed = 0
    for el, _ in blocks:
        if el.decomposed or id(el) not in marked:
            continue
        heading = el.find_previous_sibling(True)
        if isinstance(heading, Tag) and heading.name in ("h2", "h3", "h4", "h5", "h6"):
            nxt = el.find_next_sibling(True)
            if nxt is None or nxt.name in ("h1", "h2", "h3", "h4", "h5", "h6"):
                heading.decompose()
        if removed_texts is not None:
            removed_texts.append(_text(el))
            removed_texts.extend(str(t.get("datetime") or "") for t in el.find_all("time"))
        el.decompose()
        removed += 1
    return removed


def _listing_reason(root: Tag, base: str | None) -> str | None:
    """'listing page' when the content is mostly links to other pages (hubs, archives, card lists)."""
    total = len(_flat(root).strip())
    if total == 0:
        return None
    links = _LinkMap(root, base)
    distinct = len({t for _, t in links.anchors})
    if distinct < 3:
        return None
    linked = sum(len(_flat(a).strip()) for a, _ in links.anchors)
    if distinct >= 4 and linked / total > 0.5:
        return "listing page"
    # Cards: three or more sibling items, each one link plus a short excerpt, making most of the text.
    best = 0
    for parent in [root, *root.find_all(True)]:
        if len(links.targets(parent)) < 3:
            continue
        sizes = [
            size
            for c in parent.find_all(True, recursive=False)
            if len(links.targets(c)) == 1 and (size := len(_flat(c).strip())) < 400
        ]
        if len(sizes) >= 3:
            best = max(best, sum(sizes))
    return "listing page" if best / total > 0.5 else None


def _prepare(
    data: bytes | str, where: str, declared_encoding: str | None
) -> tuple[str, BeautifulSoup] | Skip:
    if isinstance(data, str):
        html = data
    else:
        if b"\x00" in data[:1024] and wide_encoding(data) is None:
            return Skip(where, "not html (binary data)")
        html, _ = decode_html(data, declared_encoding)
    html = flatten_deep(html) or html  # hostile nesting: unwrapped in linear time before bs4 sees it
    _tick()
    try:
        return html, BeautifulSoup(html, "lxml")
    except Exception as exc:  # lxml can refuse pathological input; the page is skipped, not the run
        return Skip(where, f"unparseable html ({type(exc).__name__})")


def block_fingerprints(
    data: bytes | str, *, url: str | None = None, source: Source | None = None,
    declared_encoding: str | None = None,
) -> list[str]:  # fmt: skip
    """Fingerprints of a page's link-holding content blocks, as ``html_to_document`` sees them. The
    crawler counts them across a site; those found on many pages are the site's furniture."""
    prepared = _prepare(data, url or "<html>", declared_encoding)
    if isinstance(prepared, Skip):
        return []
    _, soup = prepared
    for script in soup.find_all(["script", "style", "noscript", "template"]):
        script.decompose()
    root = _content_root(soup, (source.selectors if source else {}).get("content"))
    _strip_boilerplate(root, (source.selectors if source else {}).get("drop"))
    return sorted({fp for _, fp in _link_blocks(root, url)})


def html_to_document(
    data: bytes | str,
    *,
    url: str | None = None,
    path: str | None = None,
    doc_id: str | None = None,
    source: Source | None = None,
    declared_encoding: str | None = None,
    furniture: frozenset[str] = frozenset(),
    budget: float | None = BUDGET_SECONDS,
) -> Document | Skip:
    """Extract one page. Boilerplate-only or empty pages give ``Skip(..., "no main content")``; home,
    pagination, tag and hub pages give ``Skip(..., "listing page")``. ``furniture`` holds the
    fingerprints of the site's recurring teaser blocks (see ``block_fingerprints``), left out of the text.
    A page that needs more than ``budget`` seconds is skipped with that reason (None: no limit)."""
    where = doc_id or url or path or "<html>"
    previous = getattr(_clock, "deadline", None)
    _clock.deadline = time.monotonic() + budget if budget is not None else None
    try:
        return _extract(data, url=url, path=path, doc_id=doc_id, source=source,
                        declared_encoding=declared_encoding, furniture=furniture, where=where)
    except ExtractionTimeout:
        return Skip(where, f"extraction took longer than its {budget:g} s time budget")
    except RecursionError:
        return Skip(where, "page structure too deeply nested to extract")
    finally:
        _clock.deadline = previous


def _extract(
    data: bytes | str,
    *,
    url: str | None,
    path: str | None,
    doc_id: str | None,
    source: Source | None,
    declared_encoding: str | None,
    furniture: frozenset[str],
    where: str,
) -> Document | Skip:
    prepared = _prepare(data, where, declared_encoding)
    if isinstance(prepared, Skip):
        return prepared
    html, soup = prepared
    selectors = source.selectors if source else {}
    base = url
    canonical = _canonical(soup, base)
    self_urls = {u for u in (canonicalize(url) if url else None, canonical) if u}
    alternates = _alternates(soup, base, self_urls)
    lang_hint = _lang_hint(soup, url, source)
    dates = {**_jsonld_dates(soup), **_time_dates(soup)}
    declared = {**_jsonld_dates(soup), **_meta_dates(soup)}  # the page's own word, never a teaser's
    dates.update(_meta_dates(soup))
    _tick()
    for script in soup.find_all(["script", "style", "noscript", "template"]):
        script.decompose()
    publisher_region = None if source else _publisher_region(soup)
    root = _content_root(soup, selectors.get("content"))
    _tick()
    title = _title(soup, root, selectors.get("title"))
    if selectors.get("date"):
        el = soup.select_one(selectors["date"])
        value = parse_date(str(el.get("datetime") or el.get_text(" "))) if el is not None else None
        if value:
            dates["published"] = value
    for field, value in text_dates(_text(soup.body or soup)).items():
        dates.setdefault(field, value)
    side_lines = _side_evidence(soup, root)
    _keep_funding_logos(root, soup)
    _strip_boilerplate(root, selectors.get("drop"))
    teaser_dated = False
    if furniture:
        teaser_texts: list[str] = []
        _strip_furniture(root, url, furniture, teaser_texts)
        if teaser_texts:
            teaser_dated = _drop_teaser_dates(soup, dates, declared, teaser_texts)
    # Crawled pages only (a source is known): a file someone hands us is a document by intent.
    if source is not None and url and is_listing_url(canonicalize(url)):
        return Skip(where, "listing page")
    listing = _listing_reason(root, url) if source is not None else None
    if listing:
        return Skip(where, listing)
    _tick()
    paragraphs: list[str] = []
    _blocks(root, paragraphs)
    paragraphs = [p for p in paragraphs if p]
    if sum(len(p.split()) for p in paragraphs) < MIN_WORDS:
        return Skip(where, "no main content")
    if "published" not in dates and not teaser_dated:  # htmldate would find the teaser's date again
        guessed = _htmldate(html)
        if guessed:
            dates["published"] = guessed
    if not title:
        title = choose_title(p[:200] for p in paragraphs[:5]) or paragraphs[0][:200]
    # after the word count and the title: funder lines alone never make a page, nor name it
    paragraphs += [line for line in side_lines if line not in paragraphs]
    doc_key = doc_id
    if doc_key is None and canonical and (url is None or host_of(canonical) == host_of(url)):
        doc_key = canonical
    if doc_key is None:
        doc_key = canonicalize(url) if url else (path or where)
    return Document(
        id=doc_key,
        title=title,
        paragraphs=tuple(paragraphs),
        url=url,
        path=path,
        lang_hint=lang_hint,
        region=source.region if source else publisher_region,
        source=source.key if source else None,
        published=dates.get("published"),
        modified=dates.get("modified"),
        canonical_url=canonical,
        alternates=alternates,
        content_hash=content_hash("\n\n".join(paragraphs)),
    )
