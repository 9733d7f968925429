"""Start a real Celery worker process and wait until it answers (tests and benchmarks).

The tests never use eager mode or an in-thread worker: this is the process they talk to.
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path
from typing import IO

from celery import current_app as celery_app  # the project's app: core imports no config

ROOT = Path(__file__).resolve().parent.parent


class WorkerDidNotStart(RuntimeError):
    pass


def start_worker(
    hostname: str,
    env: dict[str, str],
    output: IO[bytes] | int = subprocess.DEVNULL,
    timeout_s: float = 60.0,
    queues: str | None = None,
    niceness: int = 0,
    pool: str = "solo",
) -> subprocess.Popen[bytes]:
    """`celery -A config worker --pool=solo` (or `pool`) named `hostname`; returns once it
    answers a ping. `queues` (comma-separated) are the queues it takes; default: "celery".
    `niceness` > 0 runs it at a lower CPU priority than the web server (as in production).

    `env` must carry DJANGO_SETTINGS_MODULE, DATABASE_URL and CELERY_BROKER_URL: the worker
    sees only what they name. Raises WorkerDidNotStart (and kills it) after `timeout_s`.
    """
    command = [sys.executable, "-m", "celery", "-A", "config", "worker", f"--pool={pool}"]
    if pool == "prefork":  # time limits need a child process to kill
        command += ["--concurrency=1"]
    if niceness:
        command = ["nice", "-n", str(niceness), *command]
    command += [f"--hostname={hostname}", "--loglevel=INFO", "--without-mingle"]
    command += ["--without-gossip"]
    if queues:
        command += ["-Q", queues]
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=output, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + timeout_s
    while not celery_app.control.ping(destination=[hostname], timeout=0.5):
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            raise WorkerDidNotStart(f"the Celery worker {hostname} did not start")
    return process


def stop_worker(process: subprocess.Popen[bytes], timeout_s: float = 15.0) -> None:
    """Warm shutdown (SIGTERM), then kill if it does not end in `timeout_s`."""
    process.terminate()
    try:
        process.wait(timeout=timeout_s)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
