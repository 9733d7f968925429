"""Content-Security-Policy: every page is served with one that allows scripts from the site
only, and no template holds code the policy would block (inline script, on* handlers,
javascript: links). The rendered map, estimate and upload pages are checked too, so a library
template (django-leaflet's map tag) cannot bring inline script back."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.template import engines

ROOT = Path(__file__).resolve().parent.parent.parent
SCRIPT = re.compile(r"<script\b([^>]*)>(.*?)</script>", re.S | re.I)
HANDLER = re.compile(r"<[a-z][^>]*\son[a-z]+\s*=", re.I)  # onclick=, onchange=, ...
JS_URL = re.compile(r"""(href|src|action)\s*=\s*["']?\s*javascript:""", re.I)
DATA_TYPES = ('type="application/json"', "type='application/json'")


def _templates() -> list[Path]:
    """Every template the project serves: the project's folder and each app's templates/."""
    folders = [ROOT / "templates", *ROOT.glob("*/templates")]
    found = [p for f in folders for p in f.rglob("*.html") if ".venv" not in p.parts]
    assert len(found) > 20  # the scan sees the templates (a wrong path would pass vacuously)
    return found


def _inline_code(html: str) -> list[str]:
    """Pieces of `html` a script-src 'self' policy blocks."""
    problems = []
    for attributes, body in SCRIPT.findall(html):
        is_data = any(t in attributes for t in DATA_TYPES)
        if "src=" not in attributes and not is_data and body.strip():
            problems.append(f"inline <script>: {body.strip()[:60]}")
    problems += [f"event handler: {m.group(0)[:60]}" for m in HANDLER.finditer(html)]
    problems += [f"javascript: URL: {m.group(0)}" for m in JS_URL.finditer(html)]
    return problems


def test_no_template_holds_inline_script_handlers_or_javascript_urls() -> None:
    problems = {}
    for path in _templates():
        if path.name == "report.html" and path.parent.name == "estimates":
            continue  # rendered to PDF by WeasyPrint, never served as a page
        if found := _inline_code(path.read_text(encoding="utf-8")):
            problems[str(path.relative_to(ROOT))] = found
    assert problems == {}


def test_the_scan_finds_what_it_looks_for() -> None:
    # the three kinds the policy blocks are found; json_script data and a script file are not
    bad = '<script>alert(1)</script><button onclick="go()"><a href="javascript:x()">'
    assert len(_inline_code(bad)) == 3
    data = engines["django"].from_string("{{ v|json_script:'d' }}").render({"v": {"a": 1}})
    assert _inline_code(data + '<script src="/static/js/site.js"></script>') == []


def _policy(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    return {d.split()[0]: d.split()[1:] for d in header.split(";") if d.strip()}


def _assert_strict(response) -> None:
    assert response.status_code == 200
    policy = _policy(response)
    assert policy["script-src"] == ["'self'"]  # no 'unsafe-inline', no nonce asked for
    assert policy["style-src"] == ["'self'"]
    assert policy["default-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["base-uri"] == ["'self'"]
    assert _inline_code(response.content.decode()) == []


@pytest.mark.django_db
def test_the_map_page_has_the_policy_and_no_inline_script(client, okinawa) -> None:
    _assert_strict(client.get("/en/"))


@pytest.mark.django_db
def test_the_estimate_page_has_the_policy_and_no_inline_script(client, okinawa) -> None:
    _assert_strict(client.get("/en/design/?lat=26.2&lon=127.7"))


@pytest.mark.django_db
def test_the_upload_page_has_the_policy_and_no_inline_script(client, personas) -> None:
    client.force_login(personas["okinawa_steward"])
    _assert_strict(client.get("/en/imports/okinawa/"))


@pytest.mark.django_db
def test_the_district_comparison_map_starts_without_inline_script(client, okinawa) -> None:
    response = client.get("/en/planning/okinawa/")
    _assert_strict(response)
    assert b'data-leaflet-map="compare-map"' in response.content  # templates/leaflet/


def test_a_named_basemap_server_may_send_images_and_nothing_else(monkeypatch) -> None:
    from importlib import reload

    from config.settings import base

    monkeypatch.setenv("BASEMAP_URL", "https://{s}.tiles.example.org/{z}/{x}/{y}.png")
    try:
        policy = reload(base).CONTENT_SECURITY_POLICY["DIRECTIVES"]
    finally:
        monkeypatch.delenv("BASEMAP_URL")
        reload(base)
    assert policy["img-src"] == ["'self'", "data:", "https://*.tiles.example.org"]
    assert policy["connect-src"] == ["'self'"]
    assert policy["script-src"] == ["'self'", base.NONCE]  # no nonce unless a page asks
