"""Field tests through the importer: each upload is analysed, a steward's new fit window is a
new version (the old kept), analyses are as public as their records, and the map takes a
TRT's λ near its borehole."""

from __future__ import annotations

import importlib

import numpy as np
import pytest
from django.apps import apps
from django.contrib.auth.models import AnonymousUser
from django.test import override_settings
from django.utils import timezone

from core.models import Job
from field_tests import services
from field_tests.models import AnalysisKind, FieldTestAnalysis
from ingest.models import ImportBatch
from potential_map import tasks as map_tasks
from potential_map.services.read import point_provenance
from tests.field_tests.test_analyses import BEIER
from tests.wells import files
from wells.models import Borehole, ThermalResponseTest

pytestmark = pytest.mark.django_db


def beier_csv(code: str = "YOS-1", length_m: float = 18.32, every: int = 4) -> bytes:
    """The Beier sandbox TRT as an upload (every 4th reading: 708 rows, plenty for a fit)."""
    rows = [
        [
            "borehole_code",
            "started_at",
            "active_length",
            "time",
            "inlet_temperature",
            "outlet_temperature",
            "heating_power",
            "published",
            "source",
        ],
        ["", "", "m", "s", "°C", "°C", "kW", "", ""],
    ]
    lines = [line for line in BEIER.read_text().splitlines()[2:] if line.strip()]
    for line in lines[::every]:
        t, t_in, t_out, p = line.split()
        rows.append(
            [code, "2011-01-01 10:00", length_m, t, t_in, t_out, p, "true", "BEIER-2011 sandbox"]
        )
    return files.table_csv(rows)


def beier_direct_lambda(end_s: float) -> float:
    """λ of the whole published file, parsed directly, with the default 12 h window."""
    from field_tests.domain import trt

    data = trt.parse_beier_text(BEIER.read_text())
    return trt.ils_fit(
        data["time_s"],
        data["inlet_temperature_k"],
        data["outlet_temperature_k"],
        data["heating_power_w"],
        18.32,
        (12 * 3600.0, end_s),
    ).conductivity_w_per_m_k


@pytest.fixture
def yoshioka(import_file) -> Borehole:
    batch = import_file("boreholes.csv", files.table_csv(files.YOSHIOKA_BOREHOLE))
    assert batch.state == ImportBatch.State.IMPORTED, batch.errors
    return Borehole.objects.get(code="YOS-1")


def test_an_uploaded_trt_is_analysed_with_the_default_window(import_file, yoshioka) -> None:
    batch = import_file("trt.csv", beier_csv())
    assert batch.state == ImportBatch.State.IMPORTED, batch.errors
    analysis = FieldTestAnalysis.objects.get(borehole=yoshioka, kind=AnalysisKind.TRT)
    assert analysis.version == 1
    last_s = ThermalResponseTest.objects.get(borehole=yoshioka).time_s[-1]
    assert analysis.parameters["window_s"] == [12 * 3600.0, last_s]
    assert analysis.parameters["window_basis"].startswith("default")
    # The upload (every 4th reading, °C and kW converted by the importer) fits the same line
    # as the published file read directly with the same window, within 1 %.
    assert analysis.result["conductivity_w_per_m_k"] == pytest.approx(
        beier_direct_lambda(last_s), rel=0.01
    )


def test_a_new_window_is_a_new_version_and_the_old_one_stays(import_file, yoshioka) -> None:
    import_file("trt.csv", beier_csv())
    test = ThermalResponseTest.objects.get(borehole=yoshioka)
    first = FieldTestAnalysis.objects.get(thermal_response_test=test)
    second = services.analyse_trt(test, (5 * 3600.0, 186360.0))
    first.refresh_from_db()
    assert (first.is_current, second.is_current, second.version) == (False, True, 2)
    assert second.parameters["window_basis"] == "steward"
    # an earlier start gives a lower λ on this test (test_analyses: 2.57 against 2.81)
    assert second.result["conductivity_w_per_m_k"] < first.result["conductivity_w_per_m_k"]
    # A re-import of the same test keeps the steward's window for the new version (the
    # importer stamps updated_at, as here).
    ThermalResponseTest.objects.filter(pk=test.pk).update(
        active_length_m=20.0, updated_at=timezone.now()
    )
    test.refresh_from_db()
    services.analyse_borehole(yoshioka)
    third = FieldTestAnalysis.objects.get(thermal_response_test=test, is_current=True)
    assert third.version == 3
    assert third.parameters["window_s"] == [5 * 3600.0, 186360.0]
    assert third.parameters["active_length_m"] == 20.0


def test_the_yoshioka_records_are_analysed_on_import(import_file, yoshioka) -> None:
    for name, data in (
        ("step.csv", files.table_csv(files.YOSHIOKA_STEP_TEST)),
        ("chemistry.csv", files.table_csv(files.YOSHIOKA_CHEMISTRY)),
        ("yos-1.las", files.yoshioka_las()),
    ):
        assert import_file(name, data).state == ImportBatch.State.IMPORTED
    by_kind = {a.kind: a for a in FieldTestAnalysis.objects.filter(borehole=yoshioka)}
    step = by_kind[AnalysisKind.STEP_TEST].result
    # Sc of the first step: 16 L/min / 0.7 m = 2.667e-4 / 0.7 = 3.810e-4 m²/s (32.9 m³/d/m)
    assert step["specific_capacity_m2_per_s"][0] == pytest.approx(16 / 60000 / 0.7)
    assert step["monotonic_decreasing"] is True
    log = by_kind[AnalysisKind.TEMPERATURE_LOG].result
    assert [f["top_m"] for f in log["inflow_flags"]] == [49.0]
    chemistry = by_kind[AnalysisKind.WATER_CHEMISTRY].result
    # the public JRA once-through set: SO₄, acid consumption, hardness, Ca hardness, silica
    assert chemistry["heat_exchanger_needed"] is True
    assert "sulfate" in chemistry["screening"]["standard_failures"]
    assert chemistry["saturation_indices"]["ryznar_tendency"] == "corrosive"
    assert chemistry["clogging_risk"] == ["iron"]  # Fe 1.0 mg/L > 0.3


def test_an_analysis_is_as_public_as_its_record(import_file, yoshioka, personas) -> None:
    import_file("trt.csv", beier_csv())
    ThermalResponseTest.objects.update(published=False)
    analyses = FieldTestAnalysis.objects.filter(kind=AnalysisKind.TRT)
    assert not analyses.visible_to(AnonymousUser()).exists()
    assert not analyses.visible_to(personas["planner"]).exists()
    assert analyses.visible_to(personas["gunma_steward"]).exists()


def test_the_map_takes_the_trt_lambda_near_its_borehole(import_file, yoshioka) -> None:
    importlib.import_module("geology.migrations.0003_seed_lithology_thermal_properties").seed(
        apps, None
    )
    import_file("trt.csv", beier_csv())
    region = yoshioka.region
    job = Job.objects.create(kind="recompute", region=region)
    with override_settings(RECOMPUTE_WINDOW_CELLS=10**9):
        map_tasks.recompute(job)
    answer = point_provenance(
        region, yoshioka.location.x, yoshioka.location.y, AnonymousUser()
    ).as_dict()
    conductivity = answer["layers"]["conductivity"]
    trt_lambda = FieldTestAnalysis.objects.get(kind="trt").result["conductivity_w_per_m_k"]
    assert conductivity["values"]["p50"] == pytest.approx(trt_lambda, rel=1e-6)  # float32
    assert conductivity["values"]["p10"] == pytest.approx(0.9 * trt_lambda, rel=1e-6)
    (override,) = conductivity["definition"]["trt_overrides"]
    assert override["borehole"] == "YOS-1"
    assert override["cells"] >= 1
    assert np.isfinite(conductivity["values"]["p90"])


def test_the_borehole_page_shows_the_fit_and_a_steward_refits_it(
    client, import_file, yoshioka, personas
) -> None:
    from django.urls import reverse

    import_file("trt.csv", beier_csv())
    page_url = reverse("wells:borehole", args=["gunma", "YOS-1"])
    page = client.get(page_url).content.decode()
    assert 'data-kind="trt"' in page
    assert "fit-line" in page
    assert "window-edge" in page
    assert "W/(m·K)" in page
    assert 'name="window_start_h"' not in page  # the public cannot refit
    analysis = FieldTestAnalysis.objects.get(kind="trt")
    refit_url = reverse("field_tests:refit", args=[analysis.pk])
    window = {"window_start_h": "5", "window_end_h": "51.7"}

    client.force_login(personas["planner"])
    assert client.post(refit_url, window).status_code == 403
    client.force_login(personas["gunma_steward"])
    assert 'name="window_start_h"' in client.get(page_url).content.decode()
    for bad in (
        {"window_start_h": "x", "window_end_h": "5"},
        {"window_start_h": "51.65", "window_end_h": "51.7"},
    ):
        response = client.post(refit_url, bad, follow=True)
        assert b"message error" in response.content
    assert FieldTestAnalysis.objects.filter(kind="trt").count() == 1  # nothing was made
    response = client.post(refit_url, window, follow=True)
    assert response.redirect_chain[-1][0] == page_url
    current = FieldTestAnalysis.objects.get(kind="trt", is_current=True)
    assert current.version == 2
    assert current.parameters["window_s"] == [5 * 3600.0, 51.7 * 3600.0]
    assert "1 earlier version" in response.content.decode()


def test_field_test_sites_list_each_site_with_what_the_caller_may_see(
    client, import_file, yoshioka
) -> None:
    from django.urls import reverse

    import_file("trt.csv", beier_csv())
    import_file("step.csv", files.table_csv(files.published(files.YOSHIOKA_STEP_TEST)))
    (site,) = client.get(reverse("api:field-test-sites")).json()["features"]
    assert site["properties"]["code"] == "YOS-1"
    kinds = {t["kind"]: t for t in site["properties"]["tests"]}
    assert set(kinds) == {"trt", "step_test"}
    last_s = ThermalResponseTest.objects.get().time_s[-1]
    assert kinds["trt"]["conductivity_w_per_m_k"] == pytest.approx(
        beier_direct_lambda(last_s), rel=0.01
    )
    ThermalResponseTest.objects.update(published=False)
    (site,) = client.get(reverse("api:field-test-sites")).json()["features"]
    assert [t["kind"] for t in site["properties"]["tests"]] == ["step_test"]


def test_a_full_ion_sample_gets_its_ion_balance_and_stiff_diagram(
    client, import_file, yoshioka
) -> None:
    from django.urls import reverse

    # (synthetic) the hand-checked 4 + 4 meq/L sample of test_analyses: balance 0 %
    rows = [
        [
            "borehole_code",
            "sampled_at",
            "calcium",
            "magnesium",
            "sodium",
            "bicarbonate",
            "sulfate",
            "chloride",
            "published",
        ],
        ["", "", "mg/L", "mg/L", "mg/L", "mg/L", "mg/L", "mg/L", ""],
        ["YOS-1", "2024-05-01", 40.078, 12.1525, 22.99, 122.034, 48.03, 35.453, "true"],
    ]
    assert import_file("ions.csv", files.table_csv(rows)).state == ImportBatch.State.IMPORTED
    analysis = FieldTestAnalysis.objects.get(kind="water_chemistry")
    assert analysis.result["ion_balance_error_percent"] == pytest.approx(0, abs=1e-6)
    assert analysis.result["piper_percent"]["ca"] == pytest.approx(50)
    page = client.get(reverse("wells:borehole", args=["gunma", "YOS-1"])).content.decode()
    assert 'class="stiff"' in page
    assert "2.00 meq/L" in page  # the largest axis, HCO₃⁻ 2 meq/L
