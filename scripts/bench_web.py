"""Web benchmark: the search page under concurrent load on a 10,000-document index.

Builds (or, with ``--index-dir`` pointing at an existing index, reuses) an index of generated
documents with facts (funders, programmes, amounts, years, contacts: the facets have work to do),
starts ``hakemisto serve`` on 127.0.0.1 as a separate process, and fires search-page requests from
this process (a thread pool of ``--concurrency`` clients) for at most ``--requests`` requests or
``--seconds`` seconds, three times: one server process, cache off; ``--workers`` processes
(``hakemisto serve --workers N``), cache off (every request runs the search); the same with the result
cache on. Client time (keep-alive connections, server queueing included) is what the target is about;
server time from each response's ``Server-Timing`` header is shown too. Prints one line: requests/s,
p50 and p95 per pass and the throughput ratio N workers / 1 (targets: p95 ≤ 150 ms, ≥ 1.6×).

    .venv/bin/python scripts/bench_web.py [--docs 10000] [--requests 1500] [--concurrency 4]
    .venv/bin/python scripts/bench_web.py --index-dir /tmp/bench-web-index   # built once, reused
"""

from __future__ import annotations

import argparse
import os
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

from hakemisto.core.children import children_by_parent
from hakemisto.core.config import load_settings
from hakemisto.core.model import Amount, Contact, Document, Facts, content_hash
from hakemisto.core.regions import all_regions
from hakemisto.evaluation.relevance import collection_paths, load_queries
from hakemisto.search import index as idx

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


def start_server(index_dir: Path, port: int, cache_size: int, workers: int) -> subprocess.Popen:
    hakemisto = Path(sys.executable).with_name("hakemisto")
    server = subprocess.Popen([str(hakemisto), "serve", "--host", "127.0.0.1", "--port", str(port),
                               "--cache-size", str(cache_size), "--index-dir", str(index_dir),
                               "--workers", str(workers)],
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


def tree_cpu(pid: int) -> float:
    """CPU seconds (user + system) of a process and all its descendants so far: the server's own
    cost per request, steadier than latency on a machine shared with other work."""
    ticks = os.sysconf("SC_CLK_TCK")
    kids = children_by_parent()
    total, todo = 0.0, [pid]
    while todo:
        current = todo.pop()
        try:
            fields = Path(f"/proc/{current}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += (int(fields[11]) + int(fields[12])) / ticks
        todo.extend(kids.get(current, ()))
    return total


def server_ms(response: httpx.Response) -> float:
    match = re.search(r"dur=([\d.]+)", response.headers.get("server-timing", ""))
    if response.status_code != 200 or not match:
        raise SystemExit(f"{response.request.url}: HTTP {response.status_code}")
    return float(match.group(1))


def measure(index_dir: Path, cache_size: int, urls: list[str], seconds: float, concurrency: int,
            workers: int) -> tuple[float, str]:
    """Fire ``urls`` at a fresh server; returns (req/s, 'N req/s, p50 …, p95 …') for that pass.

    Client time (request sent → body read, queueing in the server included, keep-alive connections)
    is what a planner waits for; server time (``Server-Timing``) is the search and rendering alone."""
    port = free_port()
    server = start_server(index_dir, port, cache_size, workers)
    try:
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=30,
                          limits=httpx.Limits(max_keepalive_connections=concurrency)) as client:
            for _ in range(2 * workers):  # each worker: first searcher, analysis caches
                for url in ("/?q=RRP", "/?q=hoitotakuu"):
                    server_ms(client.get(url))
            stop_at = time.monotonic() + seconds
            cpu_before = tree_cpu(server.pid)

            def fire(url: str) -> tuple[float, float] | None:
                if time.monotonic() >= stop_at:
                    return None
                start = time.perf_counter()
                response = client.get(url)
                return server_ms(response), (time.perf_counter() - start) * 1000

            start = time.perf_counter()
            with ThreadPoolExecutor(concurrency) as pool:
                timings = [t for t in pool.map(fire, urls) if t is not None]
            elapsed = time.perf_counter() - start
            cpu = tree_cpu(server.pid) - cpu_before
    finally:
        server.terminate()
        server.wait(timeout=10)
    srv = [t for t, _ in timings]
    cli = [t for _, t in timings]
    p95 = statistics.quantiles(cli, n=20)[-1]
    verdict = "ok" if p95 <= TARGET_P95_MS else "over target"
    rate = len(timings) / elapsed
    return rate, (f"{len(timings)} requests, {rate:.1f} req/s, client p50 {statistics.median(cli):.0f} ms, "
                  f"p95 {p95:.0f} ms ({verdict}); server p50 {statistics.median(srv):.0f} ms, "
                  f"p95 {statistics.quantiles(srv, n=20)[-1]:.0f} ms, server CPU {1000 * cpu / len(timings):.0f} ms "
                  f"per request")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--docs", type=int, default=10_000)
    parser.add_argument("--index-dir", type=Path, help="Reuse this index if it exists, else build it there.")
    parser.add_argument("--requests", type=int, default=1500, help="At most this many requests per pass.")
    parser.add_argument("--seconds", type=float, default=60.0, help="At most this long per pass.")
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument("--workers", type=int, default=2, help="Server processes of the multi-process passes.")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="bench-web-") as tmp:
        index_dir = args.index_dir or Path(tmp) / "index"
        n_docs, build_s = ensure_index(index_dir, args.docs)
        urls = request_urls(args.requests)
        one_rate, one = measure(index_dir, 0, urls, args.seconds, args.concurrency, 1)
        many_rate, many = measure(index_dir, 0, urls, args.seconds, args.concurrency, args.workers)
        _, cached = measure(index_dir, 256, urls, args.seconds, args.concurrency, args.workers)
    print(
        f"web bench: {n_docs} docs (built in {build_s:.0f} s), search page, concurrency {args.concurrency}, "
        f"target p95 ≤ {TARGET_P95_MS:.0f} ms | 1 process, no cache: {one} | --workers {args.workers}, no cache: "
        f"{many} | throughput {args.workers} workers / 1 = {many_rate / one_rate:.2f}× | "
        f"--workers {args.workers}, result cache: {cached}; load average {os.getloadavg()[0]:.1f}"
    )


if __name__ == "__main__":
    main()
