"""What the map shows of a layer (#22): legends in units people use, with distinct round
values; the definition as a sentence in the reader's language; point values in display
units with kW per borehole. Stored values stay SI."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import translation

from core.models import Job
from potential_map.presentation import definition_sentence
from tests.factories import RegionFactory, square
from tests.regions import constant_layer

# A closed-loop G.POT layer's definition as potential_map.services stores it (Gunma, heating).
GPOT_HEATING = {
    "mode": "heating",
    "statistic": "annual_mean",
    "horizon_years": 50,
    "fluid_limit_c": -2.0,
    "bhe_length_m": 100.0,
    "method_id": "gpot",
}


@pytest.fixture
def region(db):  # type: ignore[no-untyped-def]
    return RegionFactory(code="display-test", boundary=square(127.6, 26.1, 0.2))


def _layer(region, tmp_path, name: str, bands: dict[str, float], **fields):  # type: ignore[no-untyped-def]
    return constant_layer(
        region,
        tmp_path / f"{name}.tif",
        bands,
        resolution_m=2000.0,
        job=Job.objects.create(kind="recompute"),
        **fields,
    )


def _legend(client, layer, language: str = "en") -> dict:  # type: ignore[no-untyped-def, type-arg]
    return client.get(
        reverse("api:maplayer-legend", args=[layer.pk]), HTTP_ACCEPT_LANGUAGE=language
    ).json()


def test_a_constant_ground_temperature_is_one_legend_entry_in_celsius(
    client, region, tmp_path
) -> None:
    # The five "290 K" entries: Gunma's regional 289.65 K is 16.5 °C everywhere.
    layer = _layer(
        region, tmp_path, "t0", {"p50": 289.65}, kind="ground_temperature", units="K",
        value_min=289.65, value_max=289.65, colormap="inferno",
        definition={"is_fallback": True, "fallback_k": 289.65},
    )  # fmt: skip
    legend = _legend(client, layer)
    assert legend["units"] == "K"  # as stored
    assert legend["display_units"] == "°C"
    assert [e["label"] for e in legend["entries"]] == ["16.5\u00a0°C"]
    assert "one regional value of 16.5\u00a0°C" in legend["summary"]


def test_a_ground_temperature_range_gets_distinct_round_celsius_values(
    client, region, tmp_path
) -> None:
    # 287.85–296.15 K (Dushanbe's to Naha's ground) is 14.7–23.0 °C: step 2 °C, ends 15 and 23
    layer = _layer(
        region, tmp_path, "t0r", {"p50": 290.0}, kind="ground_temperature", units="K",
        value_min=287.85, value_max=296.15, colormap="inferno",
    )  # fmt: skip
    legend = _legend(client, layer)
    values = [e["display_value"] for e in legend["entries"]]
    assert values == [15.0, 16.0, 18.0, 20.0, 22.0, 23.0]
    assert len({e["label"] for e in legend["entries"]}) == len(values)  # distinct
    assert all(e["label"].endswith("°C") for e in legend["entries"])
    # each colour is the tiles' colour at that value: 16 °C = 289.15 K is (289.15 − 287.85) /
    # (296.15 − 287.85) = 0.157 of the stretch, so the stored value is 289.15 K
    assert legend["entries"][1]["value"] == pytest.approx(289.15)


def test_doublet_power_reads_in_kilowatts_with_thousands_separators(
    client, region, tmp_path
) -> None:
    # Gunma's doublets: 48,184 W to 4,666,682 W (the "4,666,682 W").
    layer = _layer(
        region, tmp_path, "heat", {"p50": 1e6}, kind="open_loop_heat_rate", units="W",
        value_min=48184.1875, value_max=4666681.5,
        definition={"delta_t_k": 7.0, "statistic": "continuous at the sustainable rate"},
    )  # fmt: skip
    en = [e["label"] for e in _legend(client, layer)["entries"]]
    assert en == ["48\u00a0kW", "1,000\u00a0kW", "2,000\u00a0kW", "3,000\u00a0kW",
                  "4,000\u00a0kW", "4,700\u00a0kW"]  # fmt: skip
    ru = [e["label"] for e in _legend(client, layer, "ru")["entries"]]
    assert ru[1] == "1\u00a0000\u00a0кВт"
    summary = _legend(client, layer)["summary"]
    assert summary == (
        "Thermal power of one doublet (a pumping and a reinjection well), groundwater cooled "
        "or warmed by 7\u00a0K, continuous at the sustainable pumping rate."
    )


def test_the_definition_is_a_sentence_in_the_readers_language(client, region, tmp_path) -> None:
    layer = _layer(
        region, tmp_path, "gpot", {"p50": 12.0}, kind="closed_loop_heating", units="W/m",
        value_min=10.78, value_max=13.51, definition=GPOT_HEATING,
    )  # fmt: skip
    sentences = {lang: _legend(client, layer, lang)["summary"] for lang in ("en", "ja", "ru")}
    assert sentences["en"] == (
        "Heating, annual mean over 50 years, fluid limit −2\u00a0°C, 100\u00a0m borehole."
    )
    assert (
        sentences["ja"]
        == "暖房、50年間の年平均、熱媒温度の限度 −2\u00a0°C、地中熱交換井 100\u00a0m。"
    )
    assert sentences["ru"] == (
        "Отопление, среднегодовое значение за 50 лет, предел температуры теплоносителя "
        "−2\u00a0°C, "
        "скважина 100\u00a0м."
    )
    # the stored definition stays one click away, untranslated
    assert _legend(client, layer, "ru")["definition"] == GPOT_HEATING


def test_the_russian_and_tajik_legends_write_watts_per_metre_in_cyrillic(
    client, region, tmp_path
) -> None:
    layer = _layer(
        region, tmp_path, "gpot", {"p50": 12.0}, kind="closed_loop_heating", units="W/m",
        value_min=10.78, value_max=13.51, definition=GPOT_HEATING,
    )  # fmt: skip
    for language, decimal in (("ru", "11,5\u00a0Вт/м"), ("tg", "11,5\u00a0Вт/м")):
        legend = _legend(client, layer, language)
        assert legend["display_units"] == "Вт/м"
        assert decimal in [e["label"] for e in legend["entries"]]
    assert _legend(client, layer, "ja")["display_units"] == "W/m"


def test_the_point_answer_adds_display_values_and_kilowatts_per_borehole(
    client, region, tmp_path
) -> None:
    _layer(
        region, tmp_path, "gpot", {"p50": 12.0, "p10": 11.0, "p90": 13.0},
        kind="closed_loop_heating", units="W/m", value_min=10.0, value_max=14.0,
        definition=GPOT_HEATING,
    )  # fmt: skip
    _layer(
        region, tmp_path, "t0", {"p50": 289.65}, kind="ground_temperature", units="K",
        value_min=289.65, value_max=289.65,
    )  # fmt: skip
    _layer(
        region, tmp_path, "flow", {"p50": 0.009918}, kind="open_loop_flow", units="m³/s",
        value_min=0.001, value_max=0.16,
    )  # fmt: skip
    body = client.get(
        reverse("api:point"), {"lat": 26.2, "lon": 127.7}, HTTP_ACCEPT_LANGUAGE="ru"
    ).json()
    layers = body["layers"]
    assert body["region_name"] == "Display-Test"
    gpot = layers["closed_loop_heating"]
    assert gpot["values"]["p50"] == pytest.approx(12.0)  # stored, W/m
    assert gpot["display"]["units"] == "Вт/м"
    # 12 W/m × 100 m = 1,200 W = 1.2 kW per borehole
    assert gpot["display"]["per_borehole"]["values"]["p50"] == pytest.approx(1.2)
    assert gpot["display"]["per_borehole"]["units"] == "кВт"
    assert gpot["display"]["group"] == "closed_loop"
    temperature = layers["ground_temperature"]["display"]
    assert (temperature["units"], temperature["values"]["p50"]) == ("°C", pytest.approx(16.5))
    flow = layers["open_loop_flow"]["display"]
    # 0.009918 m³/s × 3600 = 35.7 m³/h (the raw "0.009918")
    assert (flow["units"], flow["values"]["p50"]) == ("м³/ч", pytest.approx(35.7048, rel=1e-4))


def test_a_ground_temperature_from_stations_shows_its_band_and_how_it_was_made(
    client, region, tmp_path
) -> None:
    # A T0 layer as the recompute now writes it (issue 20): P50/P10/P90 and the stations'
    # definition. Dushanbe's cell: 14.7 °C air + 1.5 K = 16.2 °C = 289.35 K; σ 0.289 K at the
    # station, P10/P90 = 289.35 ∓ 1.2816 × 0.289 = 288.98 / 289.72 K = 15.83 / 16.57 °C.
    definition = {
        "method": "ordinary kriging of the stations",
        "stations": 9,
        "ground_offset_k": 1.5,
        "ground_offset_std_k": 0.2887,
        "temperature_logs": [],
        "climate_stations": ["dushanbe"],
    }
    _layer(
        region, tmp_path, "t0s", {"p50": 289.35, "p10": 288.98, "p90": 289.72},
        kind="ground_temperature", units="K", value_min=268.0, value_max=292.0,
        colormap="inferno", definition=definition,
    )  # fmt: skip
    body = client.get(reverse("api:point"), {"lat": 26.2, "lon": 127.7}).json()
    shown = body["layers"]["ground_temperature"]["display"]
    assert shown["units"] == "°C"
    assert shown["values"] == {
        "p50": pytest.approx(16.2),
        "p10": pytest.approx(15.83),
        "p90": pytest.approx(16.57),
    }
    summary = body["layers"]["ground_temperature"]["summary"]
    assert "kriged from 9 climate stations, 1.5\u00a0K warmer than the air" in summary
    assert "P10 and P90 from the kriging variance" in summary
    assert "one regional value" not in summary
    with translation.override("ru"):
        assert "кригинг по 9 метеостанциям" in definition_sentence("ground_temperature", definition)
