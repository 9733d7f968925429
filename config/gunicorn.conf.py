"""gunicorn settings shared by the production image and the benchmarks (one source of truth).

Threads, not only processes: a tile waits on file reads and Redis, and the per-thread open
datasets (potential_map.tiles) then serve the next tile without reopening the COG.
"""

import os

bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", "2"))
worker_class = "gthread"
threads = int(os.environ.get("GUNICORN_THREADS", "8"))
keepalive = 5
timeout = 120
graceful_timeout = 30
# gunicorn is reachable from nginx only (docs/deployment.md), which sets X-Forwarded-Proto itself.
forwarded_allow_ips = "*"
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-")
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
