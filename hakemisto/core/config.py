"""One frozen ``Settings``: defaults < ``hakemisto.toml`` < ``HAKEMISTO_*`` env < CLI flags.

Written down once here so every command resolves paths and limits the same way. Default paths
(``index/``, ``corpus/``) are in the current working directory, and so is the default
``hakemisto.toml`` — never next to the installed package; relative paths inside a ``hakemisto.toml``
are relative to that file's folder.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

from hakemisto.core.errors import UsageError

PROJECT_ROOT = Path(__file__).resolve().parent.parent.parent  # the source checkout: for tests and scripts only
CONFIG_NAME = "hakemisto.toml"
ANALYZERS = ("voikko", "snowball")


@dataclass(frozen=True)
class Settings:
    index_dir: Path = field(default_factory=lambda: Path.cwd() / "index")
    corpus_dir: Path = field(default_factory=lambda: Path.cwd() / "corpus")
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
    analyzer: str = "voikko"  # index analyzers for a NEW index: voikko lemmas, or plain Snowball (evaluation)

    @property
    def runs_dir(self) -> Path:
        return self.report_dir or (self.index_dir / "runs")

    @property
    def crawl_dir(self) -> Path:
        return self.corpus_dir / "crawl"


_PATH_FIELDS = {"index_dir", "corpus_dir", "report_dir", "sources_file"}


def _coerce(name: str, value: Any, base: Path | None = None) -> Any:
    """``value`` as the setting's type; a relative path from a config file is taken from ``base``."""
    kind = {f.name: f.type for f in fields(Settings)}[name]
    if name in _PATH_FIELDS:
        if value in (None, ""):
            return None
        path = Path(value).expanduser()
        return base / path if base is not None and not path.is_absolute() else path
    if name == "analyzer" and value not in ANALYZERS:
        raise UsageError(f"setting analyzer: {value!r} is not one of {', '.join(ANALYZERS)}")
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
    path = config_file or Path(os.environ.get("HAKEMISTO_CONFIG") or Path.cwd() / CONFIG_NAME)
    from_file: set[str] = set()
    if path.is_file():
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise UsageError(f"{path}: not valid TOML ({exc})") from None
        values.update(data.get("hakemisto", data))
        from_file = set(values)
    names = {f.name for f in fields(Settings)}
    for name in names:
        env = os.environ.get(f"HAKEMISTO_{name.upper()}")
        if env is not None:
            values[name] = env
            from_file.discard(name)
    if "HAKEMISTO_INDEX" in os.environ:
        values["index_dir"] = os.environ["HAKEMISTO_INDEX"]
        from_file.discard("index_dir")
    given = {k: v for k, v in overrides.items() if v is not None}
    values.update(given)
    from_file -= set(given)
    unknown = set(values) - names
    if unknown:
        raise UsageError(f"unknown setting(s) {', '.join(sorted(unknown))} in {path}")
    file_dir = path.resolve().parent
    settings = Settings()
    return replace(settings, **{k: _coerce(k, v, file_dir if k in from_file else None) for k, v in values.items()})
