"""The site as production serves it, for the benches that measure it over HTTP: gunicorn with
config/gunicorn.conf.py and config.settings.production on loopback (tile_bench, load_bench).

No Django import: the environment is built here, the server runs in its own process group.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import time
from pathlib import Path
from typing import IO

ROOT = Path(__file__).resolve().parent.parent
DEV_DATABASE = "postgis://groundheat:groundheat@127.0.0.1:5432/groundheat"


def wait_for_port(port: int, timeout_s: float = 60) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.2)
    raise RuntimeError(f"nothing answered on port {port} within {timeout_s} s")


def port_in_use(port: int) -> bool:
    with socket.socket() as s:
        return s.connect_ex(("127.0.0.1", port)) == 0


def production_environment(cache_url: str, broker_url: str, **extra: str) -> dict[str, str]:
    """What config.settings.production requires, on the development database (DATABASE_URL
    from the environment if set) and the given Redis databases; plain http on loopback, so no
    SSL redirect. `extra` adds or overrides variables (e.g. rate limits for a load test)."""
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "DJANGO_SECRET_KEY": "bench-only-" + "x" * 50,
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DATABASE_URL": os.environ.get("DATABASE_URL", DEV_DATABASE),
        "REDIS_URL": "redis://127.0.0.1:6379/0",
        "CELERY_BROKER_URL": broker_url,
        "CACHE_URL": cache_url,
        "DJANGO_SECURE_SSL_REDIRECT": "False",
        **extra,
    }


def start_gunicorn(
    port: int, environment: dict[str, str], output: IO[bytes] | None = None
) -> subprocess.Popen[bytes]:
    """gunicorn config.wsgi with config/gunicorn.conf.py (workers and threads as production),
    bound to 127.0.0.1:`port`, warnings only, no access log, its output to `output` (else
    ours); returns once the port answers."""
    if port_in_use(port):
        raise RuntimeError(f"something already answers on 127.0.0.1:{port}: stop it first")
    command = [
        str(ROOT / ".venv" / "bin" / "gunicorn"),
        "config.wsgi",
        "--config=config/gunicorn.conf.py",
        f"--bind=127.0.0.1:{port}",
        "--log-level=warning",
        "--access-logfile=/dev/null",
    ]
    server = subprocess.Popen(
        command,
        cwd=ROOT,
        env=environment,
        stdout=output,
        stderr=subprocess.STDOUT if output else None,
        start_new_session=True,
    )
    try:
        wait_for_port(port)
    except RuntimeError:
        stop(server)
        raise
    return server


def stop(server: subprocess.Popen[bytes], timeout_s: float = 30) -> None:
    """SIGTERM to the server's process group (gunicorn's workers too), then wait."""
    if server.poll() is None:
        os.killpg(server.pid, signal.SIGTERM)
    try:
        server.wait(timeout=timeout_s)
    except subprocess.TimeoutExpired:
        os.killpg(server.pid, signal.SIGKILL)
        server.wait()
