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


@pytest.mark.parametrize("language", ["en", "ja", "ru", "tg"])
def test_the_language_menu_names_each_language_in_its_own_words(client, db, language) -> None:
    html = client.get(f"/{language}/").content.decode()
    menu = re.search(r'<select id="language-select".*?</select>', html, re.S).group(0)
    names = re.findall(r'<option value="(\w+)" lang="\w+"[^>]*>([^<]+)</option>', menu)
    assert names == [("en", "English"), ("ja", "日本語"), ("ru", "Русский"), ("tg", "Тоҷикӣ")]


@pytest.mark.parametrize(
    ("language", "area"),
    [("en", "6,360 km²"), ("ja", "6,360 km²"), ("ru", "6\xa0360 км²"), ("tg", "6\xa0360 км²")],
)
def test_region_areas_read_in_square_kilometres_with_the_languages_separators(
    client, gunma, language, area
) -> None:
    # Gunma's ellipsoidal area, 6,359,689,013 m² (the raw number), is 6,360 km².
    type(gunma).objects.filter(pk=gunma.pk).update(area_m2=6_359_689_013.0)
    html = client.get(f"/{language}/").content.decode()
    assert f'<span class="area">{area}</span>' in html
    assert not re.search(r"\d{7,}\s*m²", html)


def test_the_map_page_has_no_inline_script(client, okinawa) -> None:
    # A Content-Security-Policy without 'unsafe-inline' (issue #18) would block them: data
    # comes in json_script blocks and data- attributes, code from static files.
    html = client.get("/en/").content.decode()
    scripts = re.findall(r"<script([^>]*)>(.*?)</script>", html, re.S)
    for attributes, body in scripts:
        assert "src=" in attributes or 'type="application/json"' in attributes, attributes
        if "src=" in attributes:
            assert not body.strip()
    assert not re.search(r"\son[a-z]+=", html), "an inline event handler"


def test_an_operator_basemap_reaches_the_map_with_its_attribution(client, okinawa) -> None:
    import json

    from django.test import override_settings

    gsi = "https://cyberjapandata.gsi.go.jp/xyz/pale/{z}/{x}/{y}.png"
    credit = '<a href="https://maps.gsi.go.jp/development/ichiran.html">地理院タイル</a>'
    with override_settings(BASEMAP_URL=gsi, BASEMAP_ATTRIBUTION=credit):
        html = client.get("/en/").content.decode()
    config = json.loads(re.search(r'id="map-config"[^>]*>(.*?)</script>', html, re.S).group(1))
    assert (config["basemap_url"], config["basemap_attribution"]) == (gsi, credit)
    # by default there is none: the site's own outlines and names are the basemap
    config = json.loads(
        re.search(
            r'id="map-config"[^>]*>(.*?)</script>', client.get("/en/").content.decode(), re.S
        ).group(1)
    )
    assert config["basemap_url"] == ""
