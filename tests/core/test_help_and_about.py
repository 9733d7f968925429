"""The help page answers each persona in four languages and is one click from the map, the
design estimate and the upload page; the about page says which data are demonstration data."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

# The help page's five questions, as locale/*/LC_MESSAGES/django.po words them.
QUESTIONS = {
    "en": ["What W/m means", "What P10, P50 and P90 are", "What the constraint colours mean"],
    "ja": ["W/m とは", "P10・P50・P90 とは", "規制レイヤーの色の意味"],
    "ru": ["Что означает Вт/м", "Что такое P10, P50 и P90", "Что означают цвета ограничений"],
    "tg": ["Вт/м чӣ маъно дорад", "P10, P50 ва P90 чистанд", "Рангҳои маҳдудиятҳо чӣ маъно доранд"],
}
SECTIONS = ("w-per-m", "methods", "bands", "constraints", "uploads")


@pytest.mark.parametrize("language", QUESTIONS)
def test_the_help_page_answers_in_each_language(client, db, language) -> None:
    response = client.get(f"/{language}/help/")
    assert response.status_code == 200
    html = response.content.decode()
    for question in QUESTIONS[language]:
        assert f">{question}</h2>" in html, question
    for section in SECTIONS:
        assert f'id="{section}"' in html, section
        assert f'href="#{section}"' in html, section
    # the three traffic-light classes with the colours the constraint tiles use
    assert all(f'class="swatch class-{value}"' in html for value in (0, 1, 2))
    assert "<script>" not in html  # CSP: script-src 'self', no inline script


def test_the_constraint_swatches_are_the_tiles_colours() -> None:
    from potential_map.tiles import TRAFFIC_LIGHT

    css = (ROOT / "static/css/site.css").read_text()
    for value, (red, green, blue, _alpha) in TRAFFIC_LIGHT.items():
        assert f".swatch.class-{value} {{ background: #{red:02x}{green:02x}{blue:02x}; }}" in css


def test_the_map_the_estimate_and_the_upload_page_link_to_help(client, personas) -> None:
    pages = {
        "/en/": "/en/help/#w-per-m",
        "/en/design/?lat=26.2&lon=127.7": "/en/help/#bands",
        "/en/imports/okinawa/": "/en/help/#uploads",
    }
    client.force_login(personas["okinawa_steward"])
    for page, link in pages.items():
        response = client.get(page)
        assert response.status_code == 200, page
        assert f'href="{link}"' in response.content.decode(), page
    assert 'href="/ja/help/"' in client.get("/ja/about/").content.decode()  # and in the menu


@pytest.mark.parametrize(
    ("language", "warning"),
    [
        ("en", "Part of the data shown here is synthetic"),
        ("ja", "ここに表示されるデータの一部は合成データです"),
        ("ru", "Часть показанных здесь данных синтетическая"),
        ("tg", "Қисми маълумоти дар ин ҷо нишондодашуда сунъӣ аст"),
    ],
)
def test_the_about_page_says_which_data_are_for_demonstration(
    client, db, language, warning
) -> None:
    html = client.get(f"/{language}/about/").content.decode()
    assert warning in html
    assert "-synthetic" in html  # how to tell a demonstration file by its name
    # every fixture file of demonstration data is named so
    synthetic = sorted(p.name for p in (ROOT / "fixtures").glob("*/*-synthetic.csv"))
    assert synthetic, "the fixtures ship demonstration data"
    assert "Made with Natural Earth" in html
    assert re.search(r"Ember.*CC BY-SA 4\.0", html)
