"""A TRT too short to fit says so on the borehole page (issue 22 item 8), instead of showing
nothing: the default window starts at 12 h (Gehlin 2002) and needs 10 readings
(field_tests.domain.trt.MIN_POINTS_IN_WINDOW)."""

from __future__ import annotations

import math

import numpy as np
import pytest
from django.urls import reverse
from django.utils import translation

from field_tests.domain import trt
from field_tests.models import FieldTestAnalysis
from ingest.models import ImportBatch
from tests.field_tests.test_service import beier_csv
from tests.wells import files


def _trt_csv(end_h: float, step_s: float = 600.0) -> bytes:
    """A 5 kW TRT on YOS-1's 100 m, readings every `step_s` to `end_h`: the mean fluid
    temperature follows the line source for λ = 2 W/(m·K) (slope q/4πλ = 50/(8π) K)."""
    rows = [
        ["borehole_code", "started_at", "active_length", "time", "inlet_temperature",
         "outlet_temperature", "heating_power", "published"],
        ["", "", "m", "s", "°C", "°C", "kW", ""],
    ]  # fmt: skip
    for t in np.arange(step_s, end_h * 3600 + 1, step_s):
        mean_c = 15.0 + 50 / (4 * math.pi * 2.0) * math.log(t)
        rows.append(["YOS-1", "2024-05-01 09:00", 100, t, mean_c + 0.5, mean_c - 0.5, 5.0, "true"])
    return files.table_csv(rows)


def test_too_short_means_fewer_than_ten_readings_from_12_h_on() -> None:
    hours = 3600.0
    assert trt.too_short_to_fit(np.arange(600.0, 6 * hours + 1, 600.0))  # ends at 6 h
    assert trt.too_short_to_fit([1 * hours, 12 * hours, 13 * hours])  # 2 readings from 12 h
    assert not trt.too_short_to_fit(np.arange(600.0, 14 * hours + 1, 600.0))  # 13 from 12 h
    assert trt.too_short_to_fit(np.arange(600.0, 13.4 * hours + 1, 600.0))  # 9 from 12 h
    assert not trt.too_short_to_fit(np.arange(600.0, 13.5 * hours + 1, 600.0))  # 10: enough


@pytest.fixture
def yoshioka(import_file):  # type: ignore[no-untyped-def]
    batch = import_file("boreholes.csv", files.table_csv(files.YOSHIOKA_BOREHOLE))
    assert batch.state == ImportBatch.State.IMPORTED, batch.errors


def test_the_borehole_page_warns_that_a_short_trt_was_not_fitted(
    client, import_file, yoshioka
) -> None:
    batch = import_file("trt.csv", _trt_csv(end_h=6))
    assert batch.state == ImportBatch.State.IMPORTED, batch.errors
    assert not FieldTestAnalysis.objects.filter(kind="trt").exists()  # the fit failed
    page = client.get(reverse("wells:borehole", args=["gunma", "YOS-1"])).content.decode()
    assert "trt-too-short" in page
    assert "is too short to fit: its readings end at 6.0 h" in page
    assert "needs at least 10 readings from 12 h on" in page
    with translation.override("ja"):
        url = reverse("wells:borehole", args=["gunma", "YOS-1"])
    page = client.get(url).content.decode()
    assert "trt-too-short" in page
    assert "短すぎ" in page  # the Japanese sentence, not the English one
    assert "is too short to fit" not in page


def test_a_fitted_trt_has_no_warning(client, import_file, yoshioka) -> None:
    import_file("trt.csv", beier_csv())  # the Beier sandbox test: 51.7 h
    assert FieldTestAnalysis.objects.filter(kind="trt").exists()
    page = client.get(reverse("wells:borehole", args=["gunma", "YOS-1"])).content.decode()
    assert 'data-kind="trt"' in page
    assert "trt-too-short" not in page
