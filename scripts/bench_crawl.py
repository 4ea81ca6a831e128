"""Crawl the realistic two-county fixture web (tests/fixture_counties.py) and print one line:
recall / precision of stored content pages, requests, time, peak RSS; then a second crawl after two
pages change. Usage: .venv/bin/python scripts/bench_crawl.py"""

from __future__ import annotations

import resource
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from fixture_counties import CountyWeb  # noqa: E402

from hakemisto.core.config import Settings  # noqa: E402
from hakemisto.crawl.fetch import crawl  # noqa: E402
from hakemisto.crawl.sources import load_sources  # noqa: E402
from hakemisto.crawl.store import SnapshotStore  # noqa: E402


def main() -> None:
    web = CountyWeb().start()
    try:
        tmp = Path(tempfile.mkdtemp(prefix="bench_crawl_"))
        settings = replace(Settings(), corpus_dir=tmp / "corpus", index_dir=tmp / "index", crawl_delay=0.02,
                           timeout=2.0, deadline=5.0, retries=1, concurrency=2)  # fmt: skip
        (tmp / "s.toml").write_text(web.sources_toml(), encoding="utf-8")
        sources = list(load_sources(tmp / "s.toml").values())
        t0 = time.monotonic()
        first = crawl(settings, sources)
        took = time.monotonic() - t0
        store = SnapshotStore(settings.crawl_dir)
        hit = stored_n = truth_n = 0
        for key in ("wp", "dr"):
            stored = {m["final_url"] for _, m in store.iter_metas(key, listings=False) if not m.get("alias_of")}
            truth = web.truth(key)
            hit, stored_n, truth_n = hit + len(stored & truth), stored_n + len(stored), truth_n + len(truth)
        web.change("wp", "/hankkeet/kuntoutus-hanke/")
        web.change("dr", "/sv/nyheter/rehabilitering-meddelande-3")
        t1 = time.monotonic()
        second = crawl(settings, sources).to_dict()
        took2 = time.monotonic() - t1
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(
            f"content pages {truth_n}: recall {hit / truth_n:.3f}, precision {hit / max(1, stored_n):.3f}; "
            f"first crawl {first.to_dict()['requests']} requests in {took:.1f} s; second crawl after 2 changes: "
            f"{second['stored']} re-stored, {second['requests']} requests in {took2:.1f} s; peak RSS {rss:.0f} MB"
        )
    finally:
        web.stop()


if __name__ == "__main__":
    main()
