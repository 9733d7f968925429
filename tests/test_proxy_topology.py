"""One proxy topology (docs/deployment.md): nginx, the only proxy, sets X-Forwarded-Proto and
X-Forwarded-For itself; Django trusts exactly that; the container's health check asks with a
Host Django accepts."""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

import pytest
from django.test import override_settings

ROOT = Path(__file__).resolve().parent.parent
NGINX = (ROOT / "docker" / "nginx.conf").read_text()


def _directives(name: str) -> list[str]:
    return [
        " ".join(line.split()[1:]).rstrip(";")
        for line in NGINX.splitlines()
        if line.strip().startswith(name + " ")
    ]


def test_nginx_overwrites_the_forwarded_headers_with_its_own_word() -> None:
    headers = _directives("proxy_set_header")
    assert "X-Forwarded-Proto $scheme" in headers
    assert "X-Forwarded-For $remote_addr" in headers
    # a client's own header is never passed on or appended to
    assert "$http_x_forwarded_proto" not in NGINX
    assert "$proxy_add_x_forwarded_for" not in NGINX
    assert headers.count("X-Forwarded-For $remote_addr") == 1  # set once, for every location
    locations_with_own_headers = re.findall(r"location [^{]*\{[^}]*proxy_set_header", NGINX)
    assert locations_with_own_headers == []  # (their own would drop the inherited three)


def test_nginx_serves_https_and_only_redirects_http() -> None:
    assert "listen 443 ssl default_server" in NGINX
    http_server = NGINX.split("listen 80 default_server;")[1].split("server {")[0]
    assert "return 301 https://$host$request_uri" in http_server
    assert "proxy_pass" not in http_server


def test_gunicorn_is_published_to_nobody_but_nginx() -> None:
    compose = (ROOT / "docker" / "compose.yml").read_text()
    web = compose.split("\n  web:\n")[1].split("\n\n")[0]
    assert "expose:" in web
    assert "ports:" not in web


@pytest.mark.django_db
def test_the_audit_log_and_the_sign_in_limit_name_the_same_client(client, personas) -> None:
    """Behind nginx (NUM_PROXIES=1) the client is X-Forwarded-For's address for the audit log as
    for the limits, and a REMOTE_ADDR of the proxy's is never taken for the client."""
    from core.models import AuditEntry

    rest = {"NUM_PROXIES": 1, "DEFAULT_SCHEMA_CLASS": "core.api.schema.AutoSchema"}
    with override_settings(REST_FRAMEWORK=rest):
        client.force_login(personas["admin"])
        bob = personas["planner"]
        client.post(
            f"/en/people/{bob.pk}/",
            {"site_roles": ["installer"]},
            REMOTE_ADDR="172.18.0.5",
            HTTP_X_FORWARDED_FOR="198.51.100.23",
        )
    assert AuditEntry.objects.get().remote_addr == "198.51.100.23"


@pytest.mark.django_db
def test_production_trusts_the_proxys_scheme_and_counts_one_proxy(settings) -> None:
    env = {
        **{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"},
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "DJANGO_SECRET_KEY": "x" * 50,
        "DJANGO_ALLOWED_HOSTS": "atlas.example.org,.example.org",
        "DATABASE_URL": "postgis://groundheat:groundheat@127.0.0.1:5432/groundheat",
        "CELERY_BROKER_URL": "redis://127.0.0.1:6379/0",
        "CACHE_URL": "redis://127.0.0.1:6379/1",
    }
    code = (
        "from django.conf import settings as s; print(s.SECURE_PROXY_SSL_HEADER, "
        "s.REST_FRAMEWORK['NUM_PROXIES'], s.SITE_URL, s.ADMIN_URL, s.LOGIN_URL)"
    )
    result = subprocess.run(
        [str(Path(os.sys.executable)), "manage.py", "shell", "-c", code],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == (
        "('HTTP_X_FORWARDED_PROTO', 'https') 1 https://atlas.example.org admin/ accounts:login"
    )


def _healthcheck(port: int, allowed_hosts: str) -> subprocess.CompletedProcess[str]:
    env = {"PATH": os.environ["PATH"], "PORT": str(port), "DJANGO_ALLOWED_HOSTS": allowed_hosts}
    return subprocess.run(
        ["sh", str(ROOT / "docker" / "healthcheck.sh")],
        env=env, capture_output=True, text=True, timeout=30,
    )  # fmt: skip


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_the_container_health_check_asks_with_a_host_django_accepts(
    live_server, celery_worker_process
) -> None:
    """The production guards that refused the old `curl http://127.0.0.1:8000/health/`: an
    unknown Host (400) and the HTTPS redirect (301). The script passes both."""
    from core import health

    health._last.clear()  # a probe kept from an earlier test (an outage, no worker) is not ours
    port = int(live_server.url.rsplit(":", 1)[1])
    with override_settings(
        HEALTH_PROBE_TTL_S=600,  # one probe for the three asks: this test is about the Host
        ALLOWED_HOSTS=["atlas.example.org", ".example.org"],
        SECURE_SSL_REDIRECT=True,
        SECURE_PROXY_SSL_HEADER=("HTTP_X_FORWARDED_PROTO", "https"),
    ):
        result = _healthcheck(port, "atlas.example.org,.example.org")
        assert result.returncode == 0, result.stderr
        bare = subprocess.run(
            ["curl", "-fsS", "-o", "/dev/null", f"http://127.0.0.1:{port}/health/"],
            capture_output=True, text=True, timeout=30,
        )  # fmt: skip
        assert bare.returncode != 0  # what the image's old check did
        assert "400" in bare.stderr
        assert _healthcheck(port, ".example.org").returncode == 0  # a leading dot is dropped
