"""Running the web app in one or several processes (``hakemisto serve --workers N``).

Searching and rendering are pure Python, so one process uses one core whatever its threads do;
``--workers N`` runs N processes behind one listening socket. uvicorn's worker processes are
*spawned*, so they build the app from an import string: ``app_from_env`` is that factory, and the
settings travel in one environment variable. Each worker keeps its own result cache (a per-process
LRU keyed by the index generation): no shared state, no locks, and a commit invalidates every
worker's entries the same way, at the price of each worker warming its own cache.

The listening socket is made here with ``proto=IPPROTO_TCP``: accepted connections inherit the
listener's protocol, and asyncio sets ``TCP_NODELAY`` only on sockets reporting ``IPPROTO_TCP``.
uvicorn's own ``bind_socket`` leaves it 0 (uvicorn issue 3149), which adds a delayed-ACK wait
(~40 ms) to every keep-alive request in worker mode.
"""

from __future__ import annotations

import dataclasses
import json
import os
import socket
from pathlib import Path
from typing import Any

from hakemisto.app import Settings

ENV = "HAKEMISTO_SERVE_APP"


def _encode(settings: Settings, cache_size: int) -> str:
    values = {f.name: getattr(settings, f.name) for f in dataclasses.fields(Settings)}
    return json.dumps({"settings": {k: str(v) if isinstance(v, Path) else v for k, v in values.items()},
                       "cache_size": cache_size})


def _decode(text: str) -> tuple[Settings, int]:
    data = json.loads(text)
    kinds = {f.name: f.type for f in dataclasses.fields(Settings)}
    values: dict[str, Any] = {}
    for name, value in data["settings"].items():
        if name in kinds:
            values[name] = Path(value) if "Path" in str(kinds[name]) and value is not None else value
    return Settings(**values), int(data["cache_size"])


def app_from_env() -> Any:
    """The app of one worker process, from the settings ``run`` put in the environment."""
    from hakemisto.web.app import create_app

    text = os.environ.get(ENV)
    if not text:
        raise RuntimeError(f"{ENV} is not set: start workers with `hakemisto serve --workers N`")
    settings, cache_size = _decode(text)
    return create_app(settings, cache_size=cache_size)


def listening_socket(host: str, port: int) -> socket.socket:
    """A bound, listening TCP socket whose accepted connections get ``TCP_NODELAY`` from asyncio."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, port))
    sock.listen(2048)
    sock.set_inheritable(True)
    return sock


def run(settings: Settings, host: str, port: int, cache_size: int, workers: int = 1) -> None:
    """Serve until interrupted: in this process (``workers`` 1) or in ``workers`` processes."""
    import uvicorn

    if workers <= 1:
        from hakemisto.web.app import create_app

        uvicorn.run(create_app(settings, cache_size=cache_size), host=host, port=port, log_level="warning",
                    access_log=False)
        return
    from uvicorn.supervisors import Multiprocess

    os.environ[ENV] = _encode(settings, cache_size)
    config = uvicorn.Config("hakemisto.web.serve:app_from_env", factory=True, host=host, port=port,
                            workers=workers, log_level="warning", access_log=False)
    Multiprocess(config, sockets=[listening_socket(host, port)]).run()
