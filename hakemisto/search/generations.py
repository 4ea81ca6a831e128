"""Values computed once per index generation (compound lookup, did-you-mean vocabulary), and the
term lists those are made of, stored beside the index at commit time.

The key is ``freshness``: the one key of an index state (folder, inode, Whoosh generation), also
used by the search engine's searcher cache and the web app's answer cache.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import numpy as np

from hakemisto.core.caches import LRU
from hakemisto.search import whoosh_compat

T = TypeVar("T")
KEEP = 4  # generations per kind: an old searcher may still be in use while a new one opens

_values: dict[str, LRU[tuple, Any]] = {}  # kind → its values of the last KEEP generations
_TOC = re.compile(r"^_MAIN_(\d+)\.toc$")  # Whoosh's table of contents, one per commit


def freshness(index_dir: str | os.PathLike, searcher: Any = None) -> tuple[str, int, int]:
    """THE key of one state of the index, for every cache of values derived from it: the folder, its
    inode (a rebuild swaps in a new directory under the same path, whose generation numbers start
    again) and Whoosh's generation (every commit adds one) — of ``searcher`` when given (an old
    searcher keeps its own generation's values), else the newest on disk. -1 parts: no index there."""
    try:
        inode = os.stat(index_dir).st_ino
        if searcher is not None:
            generation = searcher.reader().generation()
        else:
            found = (_TOC.match(name) for name in os.listdir(index_dir))
            generation = max((int(m.group(1)) for m in found if m), default=-1)
    except OSError:
        return (str(index_dir), -1, -1)
    return (str(index_dir), inode, generation)


def cached(kind: str, searcher: Any, build: Callable[[], T]) -> T:
    """``build()`` once per (kind, index generation); uncached for searchers without a folder."""
    folder = whoosh_compat.index_folder(searcher)
    if folder is None:
        return build()
    values = _values.get(kind) or _values.setdefault(kind, LRU(KEEP))
    return values.get(freshness(folder, searcher), build)


# --- term lists stored at commit time -------------------------------------------------------------

TERM_FIELDS = {"fi": ("text_fi", "title_fi"), "sv": ("text_sv", "title_sv")}  # analysis.FIELDS' names
KEYWORD_FIELDS = ("funders", "programmes")
FACET_FIELDS = ("region", "funders", "programmes", "years", "lang")  # the result page's facets (engine.FACETS)
TERMS_FILE = "terms-{generation}.npz"
_TERMS_NAME = re.compile(r"^terms-(\d+)\.npz$")


@dataclass(frozen=True)
class TermLists:
    """The index's text terms per language, sorted and reversed-sorted, with document frequencies
    (the highest over the language's title and body fields), and the keyword facets' values.

    What the compound lookup (``analysis.Compounds``) and the did-you-mean vocabulary
    (``suggest.Vocabulary``) need. Written beside the index at every commit (``write_term_lists``),
    so a new process reads one file instead of walking the lexicon on its first search.
    """

    sorted: dict[str, list[str]]
    reversed: dict[str, list[str]]
    frequency: dict[str, np.ndarray]
    keywords: dict[str, tuple[str, ...]]
    doc_count: int
    # Facet field → [(value, document numbers)], deleted documents left out: what the first result
    # page's facet counts read instead of ~50 posting lists (issue 17). None for a file written
    # before facets were stored (the engine then reads the postings).
    facets: dict[str, list[tuple[str, np.ndarray]]] | None = None

    def frequencies(self, lang: str) -> dict[str, int]:
        """term → document frequency of one language (a dict: built when did-you-mean needs it)."""
        return dict(zip(self.sorted.get(lang, []), self.frequency[lang].tolist(), strict=True)) if lang in self.frequency else {}


def _field_frequencies(reader: Any, names: Iterable[str]) -> dict[str, int]:
    """Term → document frequency (the highest over ``names``), segment by segment: a multi-segment
    reader merges term infos across segments for every term, ten times slower."""
    out: dict[str, int] = {}
    for name in names:
        if name not in reader.schema.names():
            continue
        counts: dict[str, int] = {}
        for leaf, _ in reader.leaf_readers():
            for term, info in leaf.iter_field(name):
                text = term.decode("utf-8") if isinstance(term, bytes) else term
                counts[text] = counts.get(text, 0) + info.doc_frequency()
        for text, count in counts.items():
            if count > out.get(text, 0):
                out[text] = count
    return out


def build_term_lists(reader: Any, doc_count: int) -> TermLists:
    """The term lists of an open reader (what a commit stores; also the fallback without the file)."""
    sorted_terms: dict[str, list[str]] = {}
    frequency: dict[str, np.ndarray] = {}
    reversed_terms: dict[str, list[str]] = {}
    for lang, names in TERM_FIELDS.items():
        counts = _field_frequencies(reader, names)
        terms = sorted(counts)
        sorted_terms[lang] = terms
        frequency[lang] = np.array([counts[t] for t in terms], dtype=np.int64)
        reversed_terms[lang] = sorted(t[::-1] for t in terms)
    keywords = {name: tuple(sorted(_field_frequencies(reader, [name]))) for name in KEYWORD_FIELDS}
    return TermLists(sorted_terms, reversed_terms, frequency, keywords, doc_count)


def facet_postings(reader: Any) -> dict[str, list[tuple[str, np.ndarray]]]:
    """Every facet value's document numbers (deleted documents left out), values in lexicon order:
    the engine's ``facet_values`` computed from the postings, for storing at commit time."""
    out: dict[str, list[tuple[str, np.ndarray]]] = {}
    leaves = list(reader.leaf_readers())
    for name in FACET_FIELDS:
        if name not in reader.schema.names():
            out[name] = []
            continue
        values: list[tuple[str, np.ndarray]] = []
        for btext in reader.lexicon(name):
            ids = [whoosh_compat.read_postings(lambda leaf=leaf, n=name, b=btext: leaf.postings(n, b))[0] + offset
                   for leaf, offset in leaves if (name, btext) in leaf]
            values.append((btext.decode("utf-8"), np.concatenate(ids) if ids else np.zeros(0, dtype=np.int64)))
        out[name] = values
    return out


def _pack(words: Iterable[str]) -> np.ndarray:
    return np.frombuffer("\n".join(words).encode("utf-8"), dtype=np.uint8)


def _unpack(blob: np.ndarray, count: int) -> list[str]:
    return blob.tobytes().decode("utf-8").split("\n") if count else []


def write_term_lists(index_dir: Path) -> None:
    """Store the latest generation's term lists beside the index (called after each commit, under
    the writer lock); files of generations before the previous one are removed. A failure (a full
    disk) only costs the next process the lexicon walk: the file is a cache, never the index."""
    from whoosh import index as whoosh_index

    tmp: Path | None = None
    try:
        ix = whoosh_index.open_dir(str(index_dir))
        with ix.reader() as reader:
            generation = reader.generation()
            lists = build_term_lists(reader, reader.doc_count())
            facets = facet_postings(reader)
        arrays: dict[str, np.ndarray] = {"doc_count": np.array([lists.doc_count], dtype=np.int64)}
        for lang in TERM_FIELDS:
            arrays[f"{lang}_count"] = np.array([len(lists.sorted[lang])], dtype=np.int64)
            arrays[f"{lang}_terms"] = _pack(lists.sorted[lang])
            arrays[f"{lang}_reversed"] = _pack(lists.reversed[lang])
            arrays[f"{lang}_frequency"] = lists.frequency[lang]
        for name in KEYWORD_FIELDS:
            arrays[f"{name}_count"] = np.array([len(lists.keywords[name])], dtype=np.int64)
            arrays[f"{name}_terms"] = _pack(lists.keywords[name])
        for name, values in facets.items():
            arrays[f"facet_{name}_count"] = np.array([len(values)], dtype=np.int64)
            arrays[f"facet_{name}_values"] = _pack(value for value, _ in values)
            arrays[f"facet_{name}_bounds"] = np.cumsum([0, *(len(ids) for _, ids in values)], dtype=np.int64)
            arrays[f"facet_{name}_ids"] = (np.concatenate([ids for _, ids in values]) if values
                                           else np.zeros(0, dtype=np.int64)).astype(np.int32)
        target = index_dir / TERMS_FILE.format(generation=generation)
        tmp = target.with_name(target.name + ".tmp")
        with open(tmp, "wb") as out:
            np.savez(out, **arrays)
        os.replace(tmp, target)
        tmp = None
        for path in index_dir.iterdir():
            found = _TERMS_NAME.match(path.name)
            if found and int(found.group(1)) < generation - 1:
                path.unlink(missing_ok=True)
    except OSError:
        if tmp is not None:
            tmp.unlink(missing_ok=True)


def read_term_lists(folder: Path, generation: int) -> TermLists | None:
    """The stored term lists of one generation, or None (an index written before they were stored)."""
    try:
        with np.load(folder / TERMS_FILE.format(generation=generation)) as data:
            counts = {name: int(data[f"{name}_count"][0]) for name in (*TERM_FIELDS, *KEYWORD_FIELDS)}
            return TermLists(
                sorted={lang: _unpack(data[f"{lang}_terms"], counts[lang]) for lang in TERM_FIELDS},
                reversed={lang: _unpack(data[f"{lang}_reversed"], counts[lang]) for lang in TERM_FIELDS},
                frequency={lang: data[f"{lang}_frequency"] for lang in TERM_FIELDS},
                keywords={name: tuple(_unpack(data[f"{name}_terms"], counts[name])) for name in KEYWORD_FIELDS},
                doc_count=int(data["doc_count"][0]),
                facets=_read_facets(data),
            )
    except (OSError, KeyError, ValueError, UnicodeDecodeError):
        return None


def _read_facets(data: Any) -> dict[str, list[tuple[str, np.ndarray]]] | None:
    """The stored facet postings of an open terms file, or None (a file from before they were stored)."""
    if f"facet_{FACET_FIELDS[0]}_count" not in data.files:
        return None
    out: dict[str, list[tuple[str, np.ndarray]]] = {}
    for name in FACET_FIELDS:
        values = _unpack(data[f"facet_{name}_values"], int(data[f"facet_{name}_count"][0]))
        bounds, ids = data[f"facet_{name}_bounds"], data[f"facet_{name}_ids"].astype(np.int64)
        out[name] = [(value, ids[bounds[i]:bounds[i + 1]]) for i, value in enumerate(values)]
    return out


def term_lists(searcher: Any) -> TermLists:
    """The term lists of the searcher's generation: the stored file when there is one, else built
    from the reader's lexicons (older indexes, searchers without a folder). Once per generation."""

    def load() -> TermLists:
        folder = whoosh_compat.index_folder(searcher)
        reader = searcher.reader()
        stored = read_term_lists(Path(folder), reader.generation()) if folder is not None else None
        return stored or build_term_lists(reader, searcher.doc_count())

    return cached("term_lists", searcher, load)
