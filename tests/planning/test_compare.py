"""Districts compared on the Gunma fixture, and the exports a planner downloads."""

from __future__ import annotations

import io
import json

import pandas as pd
import pytest
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse

from planning import services
from planning.domain.supply import Scenario
from tests.estimates.test_service import gunma  # noqa: F401 - Gunma with computed maps


def test_every_gunma_municipality_is_compared(gunma) -> None:  # noqa: F811
    answer = services.compare(gunma, Scenario(), AnonymousUser())
    rows = {row["code"]: row for row in answer["districts"]}
    assert len(rows) == 35
    yoshioka = rows["10345"]
    assert yoshioka["demand_is_estimate"] is True
    assert "21,792" in yoshioka["demand_basis"]  # the population the estimate stands on
    assert 0 <= yoshioka["heating_coverage_p50"] <= 1
    assert yoshioka["closed_heating_mwh_p10"] <= yoshioka["closed_heating_mwh_p50"]
    assert yoshioka["closed_heating_mwh_p50"] <= yoshioka["closed_heating_mwh_p90"]
    # Kusatsu is in the mountains (andesite): no aquifer on the map, so no open-loop supply
    assert rows["10426"]["open_heating_mwh_p50"] == 0
    # Doubling adoption doubles every closed-loop supply (it is linear in the share)
    doubled = services.compare(gunma, Scenario(adoption_share=0.4), AnonymousUser())
    assert doubled["districts"][0]["closed_heating_mwh_p50"] == pytest.approx(
        2 * answer["districts"][0]["closed_heating_mwh_p50"]
    )


@pytest.mark.parametrize("extension", ["csv", "xlsx", "geojson"])
def test_the_exports_open_in_pandas_with_units_in_their_headers(client, gunma, extension) -> None:  # noqa: F811
    url = reverse("planning:data", args=["gunma", extension])
    response = client.get(url, {"adoption_share": "0.3"})
    assert response.status_code == 200
    content = b"".join(response.streaming_content) if response.streaming else response.content
    if extension == "csv":
        frame = pd.read_csv(io.BytesIO(content))
    elif extension == "xlsx":
        frame = pd.read_excel(io.BytesIO(content), sheet_name="districts")
    else:
        collection = json.loads(content)
        assert all(
            f["geometry"]["type"] in ("Polygon", "MultiPolygon") for f in collection["features"]
        )
        frame = pd.DataFrame([f["properties"] for f in collection["features"]])
    assert len(frame) == 35
    assert "heating demand [MWh/yr]" in frame.columns
    assert "CO2 saved P50 [t/yr]" in frame.columns
    assert frame["heating coverage P50 [share]"].between(0, 1).all()


def test_a_scenario_out_of_range_says_which_field(client, gunma) -> None:  # noqa: F811
    response = client.get(reverse("planning:data", args=["gunma", "json"]), {"adoption_share": "2"})
    assert response.status_code == 400
    assert "adoption_share" in response.json()["error"]


def test_the_csv_starts_with_a_bom_and_speaks_the_pages_language(client, gunma) -> None:  # noqa: F811
    # Excel reads a CSV without a byte order mark in the system code page (Shift_JIS in Japan)
    content = client.get("/ja/planning/gunma/districts.csv").content
    assert content.startswith(b"\xef\xbb\xbf")
    frame = pd.read_csv(io.BytesIO(content), encoding="utf-8-sig")
    assert len(frame) == 35
    assert frame.columns[0] == "コード"  # not "\ufeffコード": the mark is not part of the header
    assert "暖房需要 [MWh/年]" in frame.columns
    assert "CO2削減量 P50 [t/年]" in frame.columns
    assert (
        "потребность в отоплении [МВт·ч/год]"
        in pd.read_excel(
            io.BytesIO(client.get("/ru/planning/gunma/districts.xlsx").content),
            sheet_name="districts",
        ).columns
    )
    # the GeoJSON's property keys are machine-readable: English in every language
    features = json.loads(client.get("/ja/planning/gunma/districts.geojson").content)["features"]
    assert "heating demand [MWh/yr]" in features[0]["properties"]
