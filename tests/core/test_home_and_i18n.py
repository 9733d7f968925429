"""The home page: a Leaflet map, the regions, four languages, nothing fetched from outside."""

from __future__ import annotations

import re

import pytest

# What the four languages call the region list (locale/*/LC_MESSAGES/django.po).
REGIONS_HEADING = {"en": "Regions", "ja": "地域", "ru": "Регионы", "tg": "Минтақаҳо"}


@pytest.mark.parametrize(("language", "heading"), REGIONS_HEADING.items())
def test_home_page_is_served_in_each_language(client, okinawa, language, heading) -> None:
    response = client.get(f"/{language}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert f'<html lang="{language}">' in html
    assert f'<h1 id="regions-title">{heading}</h1>' in html
    assert 'id="main-map"' in html


def test_region_names_follow_the_language(client, okinawa) -> None:
    assert "沖縄県" in client.get("/ja/").content.decode()
    assert "沖縄県" not in client.get("/en/").content.decode()


def test_the_root_redirects_to_a_language(client, db) -> None:
    response = client.get("/", headers={"accept-language": "ja"})
    assert response.status_code == 302
    assert response["Location"] == "/ja/"


def test_home_page_asks_no_server_outside_the_site(client, okinawa) -> None:
    html = client.get("/en/").content.decode()
    urls = re.findall(r'(?:src|href|action)="([^"]*)"', html)
    assert urls, "the page should load its assets"
    assert all(url.startswith("/") for url in urls), [u for u in urls if not u.startswith("/")]
    # No basemap by default: django-leaflet would otherwise add the public OSM server.
    assert "tile.openstreetmap" not in html


def test_api_docs_are_served_from_the_site_itself(client, db) -> None:
    for path in ("/api/docs/", "/api/redoc/"):
        html = client.get(path).content.decode()
        assert "static/drf_spectacular_sidecar" in html, path
        assert "cdn" not in html.lower(), path


def test_openapi_schema_documents_regions_and_jobs(client, db) -> None:
    response = client.get("/api/schema/", headers={"accept": "application/json"})
    assert response.status_code == 200
    paths = response.json()["paths"]
    assert {"/api/regions/", "/api/regions/{code}/", "/api/jobs/", "/api/jobs/{id}/"} <= set(paths)


def test_about_page_carries_the_data_credits(client, db) -> None:
    html = client.get("/ja/about/").content.decode()
    assert "「国土数値情報（行政区域データ）（国土交通省）」を加工して作成" in html
    assert "Made with Natural Earth" in html
