"""``hakemisto serve --workers N``: processes from an app factory, one socket that keeps TCP_NODELAY."""

from __future__ import annotations

import asyncio
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from web_fixtures import build_web_index

from hakemisto.core.config import load_settings
from hakemisto.web.serve import ENV, _decode, _encode, app_from_env, listening_socket

pytestmark = pytest.mark.slow  # serves with worker processes


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_accepted_connections_get_tcp_nodelay() -> None:
    """asyncio sets TCP_NODELAY only when the listener says IPPROTO_TCP (uvicorn issue 3149)."""
    listener = listening_socket("127.0.0.1", 0)
    port = listener.getsockname()[1]
    seen: list[int] = []

    async def main() -> None:
        def on_connect(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
            sock = writer.get_extra_info("socket")
            seen.append(sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY))
            writer.close()

        server = await asyncio.start_server(on_connect, sock=listener)
        async with server:
            _, writer = await asyncio.open_connection("127.0.0.1", port)
            for _ in range(50):
                if seen:
                    break
                await asyncio.sleep(0.02)
            writer.close()

    asyncio.run(main())
    assert seen and seen[0] != 0


def test_settings_travel_to_the_worker_factory(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    settings = load_settings(index_dir=tmp_path / "index", corpus_dir=tmp_path / "corpus", n_process=3)
    back, cache_size = _decode(_encode(settings, 17))
    assert back == settings and cache_size == 17
    monkeypatch.setenv(ENV, _encode(settings, 5))
    app = app_from_env()
    assert app.state.settings == settings and app.state.cache is not None


def _children(pid: int) -> list[int]:
    out = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            if int(stat.read_text().rsplit(")", 1)[1].split()[1]) == pid:
                out.append(int(stat.parent.name))
        except (OSError, ValueError, IndexError):
            continue
    return out


def test_serve_with_two_workers_answers_searches(tmp_path: Path) -> None:
    settings = load_settings(index_dir=tmp_path / "index", corpus_dir=tmp_path / "corpus", report_dir=tmp_path / "runs")
    build_web_index(settings)
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("HAKEMISTO_")}
    server = subprocess.Popen([sys.executable, "-m", "hakemisto", "serve", "--port", str(port), "--workers", "2",
                               "--index-dir", str(settings.index_dir)], env=env, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 90
        totals = []
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=10) as client:
            while time.monotonic() < deadline and len(totals) < 6:
                try:
                    response = client.get("/api/search", params={"q": "RRP"}, headers={"Connection": "close"})
                except httpx.HTTPError:
                    time.sleep(0.3)
                    continue
                assert response.status_code == 200
                totals.append(response.json()["total"])
        assert len(totals) == 6 and min(totals) > 0 and len(set(totals)) == 1
        assert len(_children(server.pid)) >= 2, "the supervisor runs two worker processes"
    finally:
        server.terminate()
        server.wait(timeout=20)


def test_serve_reports_a_busy_port_in_one_line(tmp_path: Path) -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        env = {k: v for k, v in os.environ.items() if not k.startswith("HAKEMISTO_")}
        done = subprocess.run([sys.executable, "-m", "hakemisto", "serve", "--port", str(port), "--workers", "2",
                               "--index-dir", str(tmp_path / "index")], env=env, capture_output=True,
                              text=True, timeout=60)
    assert done.returncode != 0
    assert done.stderr.strip().splitlines()[-1].startswith("Error: cannot listen on 127.0.0.1:")
