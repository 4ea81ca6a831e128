"""Web benchmark: the search page under concurrent load on a 10,000-document index.

Builds (or, with ``--index-dir`` pointing at an existing index, reuses) an index of generated
documents with facts (funders, programmes, amounts, years, contacts: the facets have work to do),
starts ``hakemisto serve`` on 127.0.0.1 as a separate process, and fires search-page requests from
this process (a thread pool of ``--concurrency`` clients) for at most ``--requests`` requests or
``--seconds`` seconds, twice: with the server's result cache off (every request runs the search)
and on (repeated planner queries are answered from it). Server time is read from each response's
``Server-Timing`` header, so client-side queueing is not counted. Prints one line: requests/s, p50
and p95 server time per pass (target p95 ≤ 150 ms).

    .venv/bin/python scripts/bench_web.py [--docs 10000] [--requests 1500] [--concurrency 4]
    .venv/bin/python scripts/bench_web.py --index-dir /tmp/bench-web-index   # built once, reused
"""

from __future__ import annotations

import argparse
import random
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from pathlib import Path

import httpx

from hakemisto import index as idx
from hakemisto.config import load_settings
from hakemisto.model import Amount, Contact, Document, Facts, content_hash
from hakemisto.regions import all_regions
from hakemisto.relevance import collection_paths, load_queries

BATCH = 1000
FUNDERS = ["STM", "NextGenerationEU/RRF", "ESR", "Valtio", "EAKR", "THL"]
PROGRAMMES = ["RRP", "Tulevaisuuden sote-keskus", "KATI", "ESR+", "Hyvinvointia ja terveyttä"]
TARGET_P95_MS = 150.0


def paragraphs() -> dict[str, list[str]]:
    out: dict[str, list[str]] = {"fi": [], "sv": []}
    for path in collection_paths():
        lang = "sv" if path.name.startswith(("sv_", "001_")) else "fi"
        for para in path.read_text(encoding="utf-8").split("\n\n"):
            if len(para.split()) >= 6:
                out[lang].append(" ".join(para.split()))
    return out


def generate(n: int, seed: int = 5) -> list[Document]:
    """``n`` documents mixed from the collection's paragraphs, with random but plausible facts."""
    rng = random.Random(seed)
    paras = paragraphs()
    regions = [r.canonical for r in all_regions()]
    loaded = datetime.now(UTC)
    docs = []
    for i in range(n):
        lang = "sv" if rng.random() < 0.2 else "fi"
        chosen = rng.sample(paras[lang], k=min(len(paras[lang]), rng.randint(3, 7)))
        eur = float(rng.choice([50_000, 250_000, 1_200_000, 2_600_000, 11_700_000]) * rng.uniform(0.5, 1.5))
        year = str(rng.randint(2020, 2026))
        facts = Facts(
            funders=tuple(rng.sample(FUNDERS, rng.randint(1, 2))),
            programmes=tuple(rng.sample(PROGRAMMES, rng.randint(0, 2))),
            amounts=tuple(Amount(f"{eur:.0f} euroa", round(eur), year=year, sentence=chosen[0][:200])
                          for _ in range(rng.randint(0, 2))),
            contacts=(Contact(f"Testi Henkilö {i % 97}", "hankepäällikkö"),) if rng.random() < 0.4 else (),
        )
        text = "\n\n".join(chosen)
        docs.append(Document(
            id=f"bench-web/{i}", title=chosen[0][:90], paragraphs=tuple(chosen), url=f"https://example.org/p/{i}",
            lang=lang, para_langs=tuple(lang for _ in chosen), region=rng.choice(regions),
            published=datetime(int(year), rng.randint(1, 12), rng.randint(1, 28)),
            content_hash=content_hash(text), loaded_at=loaded, facts=facts,
        ))  # fmt: skip
    return docs


def ensure_index(index_dir: Path, n_docs: int) -> tuple[int, float]:
    """Documents in the index and seconds spent building it (0 when an existing index is reused)."""
    settings = load_settings(index_dir=index_dir, corpus_dir=index_dir.parent / "corpus")
    if idx.exists(index_dir):
        return idx.open_index(index_dir).doc_count(), 0.0
    start = time.perf_counter()
    docs = generate(n_docs)
    for i in range(0, len(docs), BATCH):
        idx.write(settings, docs[i : i + BATCH])
        print(f"indexed {min(i + BATCH, len(docs))}/{len(docs)}", file=sys.stderr)
    idx.optimize(settings)
    return len(docs), time.perf_counter() - start


def request_urls(n: int, seed: int = 11) -> list[str]:
    """Planner-like search pages: judged queries and corpus words, a third with a facet, some page 2."""
    rng = random.Random(seed)
    texts = [q.text for q in load_queries()]
    words = [w for p in paragraphs()["fi"] for w in re.findall(r"[^\W\d_]{5,}", p)]
    regions = [r.canonical for r in all_regions()]
    urls = []
    for _ in range(n):
        params: dict[str, str] = {"q": rng.choice(texts) if rng.random() < 0.6 else " ".join(rng.sample(words, 2))}
        roll = rng.random()
        if roll < 0.15:
            params["region"] = rng.choice(regions)
        elif roll < 0.25:
            params["programme"] = "RRP"
        elif roll < 0.33:
            params["lang"] = "sv"
        if rng.random() < 0.1:
            params["page"] = "2"
        urls.append("/?" + str(httpx.QueryParams(params)))
    return urls


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(index_dir: Path, port: int, cache_size: int) -> subprocess.Popen:
    hakemisto = Path(sys.executable).with_name("hakemisto")
    server = subprocess.Popen([str(hakemisto), "serve", "--host", "127.0.0.1", "--port", str(port),
                               "--cache-size", str(cache_size), "--index-dir", str(index_dir)],
                              stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/api/health", timeout=2).status_code == 200:
                return server
        except httpx.HTTPError:
            time.sleep(0.2)
    server.kill()
    raise SystemExit("the server did not start within 60 s")


def server_ms(response: httpx.Response) -> float:
    match = re.search(r"dur=([\d.]+)", response.headers.get("server-timing", ""))
    if response.status_code != 200 or not match:
        raise SystemExit(f"{response.request.url}: HTTP {response.status_code}")
    return float(match.group(1))


def measure(index_dir: Path, cache_size: int, urls: list[str], seconds: float, concurrency: int) -> str:
    """Fire ``urls`` at a fresh server; returns 'N req/s, p50 …, p95 …' for that pass."""
    port = free_port()
    server = start_server(index_dir, port, cache_size)
    try:
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=30) as client:
            for url in ("/?q=RRP", "/?q=hoitotakuu"):  # first searcher, analysis caches
                server_ms(client.get(url))
            stop_at = time.monotonic() + seconds

            def fire(url: str) -> float | None:
                return server_ms(client.get(url)) if time.monotonic() < stop_at else None

            start = time.perf_counter()
            with ThreadPoolExecutor(concurrency) as pool:
                timings = [t for t in pool.map(fire, urls) if t is not None]
            elapsed = time.perf_counter() - start
    finally:
        server.terminate()
        server.wait(timeout=10)
    p95 = statistics.quantiles(timings, n=20)[-1]
    verdict = "ok" if p95 <= TARGET_P95_MS else "over target"
    return (f"{len(timings)} requests, {len(timings) / elapsed:.1f} req/s, server p50 {statistics.median(timings):.0f} ms, "
            f"p95 {p95:.0f} ms ({verdict})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--docs", type=int, default=10_000)
    parser.add_argument("--index-dir", type=Path, help="Reuse this index if it exists, else build it there.")
    parser.add_argument("--requests", type=int, default=1500, help="At most this many requests per pass.")
    parser.add_argument("--seconds", type=float, default=60.0, help="At most this long per pass.")
    parser.add_argument("--concurrency", type=int, default=4)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="bench-web-") as tmp:
        index_dir = args.index_dir or Path(tmp) / "index"
        n_docs, build_s = ensure_index(index_dir, args.docs)
        urls = request_urls(args.requests)
        cold = measure(index_dir, 0, urls, args.seconds, args.concurrency)
        cached = measure(index_dir, 256, urls, args.seconds, args.concurrency)
    print(
        f"web bench: {n_docs} docs (built in {build_s:.0f} s), search page, concurrency {args.concurrency}, "
        f"target p95 ≤ {TARGET_P95_MS:.0f} ms | no cache: {cold} | result cache: {cached}"
    )


if __name__ == "__main__":
    main()
