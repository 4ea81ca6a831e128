"""One frozen ``Settings``: defaults < ``hakemisto.toml`` < ``HAKEMISTO_*`` env < CLI flags.

Written down once here so every command resolves paths and limits the same way.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Any

from .errors import UsageError

PROJECT_ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Settings:
    index_dir: Path = PROJECT_ROOT / "index"
    corpus_dir: Path = PROJECT_ROOT / "corpus"
    report_dir: Path | None = None  # default: <index_dir>/runs
    sources_file: Path | None = None  # default: the package's data/sources.toml
    user_agent: str = "hakemisto/0.1 (+https://github.com/hakemisto/hakemisto; search over public project pages)"
    crawl_delay: float = 1.0
    timeout: float = 15.0
    deadline: float = 60.0  # wall-clock cap on one request, headers and body (slow servers)
    page_budget: int = 2000  # pages per source per run; the rest waits for the next run
    max_sitemap_bytes: int = 50_000_000  # decompressed sitemap cap (the sitemaps.org limit)
    max_bytes: int = 5_000_000
    max_file_bytes: int = 5_000_000
    concurrency: int = 4
    retries: int = 3
    n_process: int = 2
    batch_size: int = 32
    grace_days: float = 7.0
    changes_keep_days: float = 365.0  # change-log runs older than this are pruned by `optimize`
    lock_wait: float = 0.0  # seconds a writer waits for another writer's index lock (0: exit 3 at once)
    cluster: str = ""  # Dask extraction: "" in-process, "tcp://HOST:PORT" a scheduler, "local:N" N local workers
    cluster_batch: int = 32  # documents per Dask task (one task = one batch on one worker)

    @property
    def runs_dir(self) -> Path:
        return self.report_dir or (self.index_dir / "runs")

    @property
    def crawl_dir(self) -> Path:
        return self.corpus_dir / "crawl"


_PATH_FIELDS = {"index_dir", "corpus_dir", "report_dir", "sources_file"}


def _coerce(name: str, value: Any) -> Any:
    kind = {f.name: f.type for f in fields(Settings)}[name]
    if name in _PATH_FIELDS:
        return Path(value).expanduser() if value not in (None, "") else None
    try:
        if kind == "float":
            return float(value)
        if kind == "int":
            return int(value)
    except (TypeError, ValueError):
        raise UsageError(f"setting {name}: {value!r} is not a {kind}") from None
    return str(value)


def load_settings(config_file: Path | None = None, **overrides: Any) -> Settings:
    """Resolve settings from the layers; ``overrides`` are CLI flags (None = not given)."""
    values: dict[str, Any] = {}
    path = config_file or Path(os.environ.get("HAKEMISTO_CONFIG", PROJECT_ROOT / "hakemisto.toml"))
    if path.is_file():
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise UsageError(f"{path}: not valid TOML ({exc})") from None
        values.update(data.get("hakemisto", data))
    names = {f.name for f in fields(Settings)}
    for name in names:
        env = os.environ.get(f"HAKEMISTO_{name.upper()}")
        if env is not None:
            values[name] = env
    if "HAKEMISTO_INDEX" in os.environ:
        values["index_dir"] = os.environ["HAKEMISTO_INDEX"]
    values.update({k: v for k, v in overrides.items() if v is not None})
    unknown = set(values) - names
    if unknown:
        raise UsageError(f"unknown setting(s) {', '.join(sorted(unknown))} in {path}")
    settings = Settings()
    return replace(settings, **{k: _coerce(k, v) for k, v in values.items()})
