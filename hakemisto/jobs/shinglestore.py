"""The duplicate linker's shingle cache on disk, beside the index (``dedup.ShingleCache``).

Read before linking, written (atomically) right after the index commits, so the next run hashes only
the bodies that changed. It is only a cache: a missing, unreadable or outdated file costs one note
and a cold run, never a different answer.
"""

from __future__ import annotations

from pathlib import Path

from hakemisto.core.atomic import write_bytes
from hakemisto.facts.dedup import ShingleCache

FILE_NAME = "shingles.npz"


def load(index_dir: Path, notes: list[str]) -> ShingleCache:
    """The stored cache, or an empty one (a note says why when a file was there but unusable)."""
    path = index_dir / FILE_NAME
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return ShingleCache()
    except OSError as exc:
        notes.append(f"shingle cache: cannot read {path} ({exc.strerror or exc}): rebuilding it")
        return ShingleCache()
    try:
        return ShingleCache.from_bytes(data)
    except ValueError as exc:
        notes.append(f"shingle cache: ignored {path} ({exc}): rebuilding it")
        return ShingleCache()


def save(index_dir: Path, cache: ShingleCache, notes: list[str]) -> None:
    """Write the entries this run used (pages gone since are dropped); a failed write costs only speed."""
    if not cache.stale and (index_dir / FILE_NAME).is_file():
        return
    try:
        write_bytes(index_dir / FILE_NAME, cache.to_bytes())
    except OSError as exc:
        notes.append(f"shingle cache: not written ({exc.strerror or exc}): the next run hashes every page")
