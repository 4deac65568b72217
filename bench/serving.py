"""What the benches that drive a real ``giamsat serve`` share: a free loopback port, the server
started as a process of its own (default workers, a shared secret), and waiting until it
answers its health probe."""

from __future__ import annotations

import asyncio
import os
import socket
import subprocess
import sys
from pathlib import Path

import httpx


def free_port() -> int:
    """A loopback port nobody holds now (the machine is shared: never assume one is free)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def serve(app_url: str, port: int) -> subprocess.Popen[bytes]:
    """``giamsat serve`` on ``port`` over ``app_url``, in a session of its own (so that the
    caller can stop it with its workers), with its default worker count."""
    secret = os.environ.get("GIAMSAT_SECRET_KEY", "bench-shared-secret")  # serve needs one
    env = {**os.environ, "GIAMSAT_DATABASE_URL": app_url, "GIAMSAT_LOG_LEVEL": "WARNING",
           "GIAMSAT_SECRET_KEY": secret}  # fmt: skip
    env.pop("GIAMSAT_WEB_WORKERS", None)
    command = [str(Path(sys.executable).with_name("giamsat")), "serve", "--port", str(port)]
    return subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL, start_new_session=True)  # fmt: skip


async def wait_ready(client: httpx.AsyncClient, seconds: float = 120) -> None:
    """Until the server answers ``/health/live`` (RuntimeError after ``seconds``)."""
    for _ in range(int(seconds * 2)):
        try:
            if (await client.get("/health/live")).status_code == 200:
                return
        except httpx.TransportError:
            pass
        await asyncio.sleep(0.5)
    raise RuntimeError("the server did not start")
