"""The Yoshioka test borehole, as the report gives it, goes in through every survey kind.

Numbers: YOSHIOKA-2014 via shared/domain/yoshioka-gunma.md (tables cited in tests/wells/files.py).
Expected SI values are the source's values converted by hand, written next to each assert.
"""

from __future__ import annotations

import pytest

from ingest.models import ImportBatch
from tests.wells import files
from wells.models import (
    Borehole,
    GeologicalLayer,
    GroundwaterLevel,
    PumpingTest,
    TemperatureLog,
    WaterChemistrySample,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def yoshioka(import_file) -> Borehole:
    batch = import_file("boreholes.csv", files.table_csv(files.YOSHIOKA_BOREHOLE))
    assert batch.state == ImportBatch.State.IMPORTED, batch.errors
    return Borehole.objects.get(code="YOS-1")


def test_the_borehole_is_stored_in_si_units(yoshioka: Borehole) -> None:
    assert yoshioka.depth_m == 51.3
    assert yoshioka.diameter_m == pytest.approx(0.150)  # 150 mm
    assert yoshioka.purpose == "pumping_well"
    assert yoshioka.published is True
    assert (yoshioka.location.x, yoshioka.location.y) == (139.01028, 36.4475)


def test_the_column_is_stored_and_the_figure_depth_is_a_warning(import_file, yoshioka) -> None:
    batch = import_file("column.csv", files.table_csv(files.YOSHIOKA_COLUMN, "cp932"))
    assert batch.state == ImportBatch.State.IMPORTED, batch.errors
    assert batch.kind == "geological_layers"  # detected from the columns
    layers = list(GeologicalLayer.objects.filter(borehole=yoshioka).order_by("top_m"))
    assert [(x.top_m, x.bottom_m) for x in layers] == [
        (0, 0.5),
        (0.5, 1.9),
        (1.9, 8.5),
        (8.5, 9.6),
        (9.6, 17.2),
        (17.2, 22.3),
        (22.3, 53.8),
    ]
    assert layers[1].lithology_text == "砂混じり粘土"
    assert layers[3].hydro_role == "aquitard"  # separates shallow and mid-deep water
    # 53.8 m > 51.3 m drilled: kept, with a warning naming the row (discrepancy #1).
    assert [(w["row"], w["field"]) for w in batch.warnings] == [(9, "bottom")]
    assert batch.warnings[0]["params"] == {"depth": "51.3"}


def test_water_levels_are_tied_to_their_aquifer(import_file, yoshioka) -> None:
    batch = import_file("levels.csv", files.table_csv(files.YOSHIOKA_LEVELS))
    assert batch.created_count == 6, batch.errors
    mid_deep = GroundwaterLevel.objects.filter(borehole=yoshioka, aquifer="mid-deep")
    assert sorted(mid_deep.values_list("depth_to_water_m", flat=True)) == [
        32.805,
        33.05,
        33.08,
        33.15,
        33.29,
    ]
    first = GroundwaterLevel.objects.get(borehole=yoshioka, aquifer="shallow")
    # 2013-08-26 00:00 Japan time is 2013-08-25 15:00 UTC (region time zone Asia/Tokyo).
    assert first.measured_at.isoformat() == "2013-08-25T15:00:00+00:00"


def test_water_chemistry_is_converted_to_si_with_censored_values(import_file, yoshioka) -> None:
    batch = import_file("chemistry.csv", files.table_csv(files.YOSHIOKA_CHEMISTRY))
    assert batch.state == ImportBatch.State.IMPORTED, batch.errors
    sample = WaterChemistrySample.objects.get(borehole=yoshioka)
    assert sample.water_temperature_k == pytest.approx(289.35)  # 16.2 °C + 273.15
    assert sample.ph == 7.2
    assert sample.ph_temperature_k == pytest.approx(297.95)  # 24.8 °C
    assert sample.electrical_conductivity_s_per_m == pytest.approx(0.0386)  # 38.6 mS/m × 10⁻³
    assert sample.sulfate_kg_per_m3 == pytest.approx(0.062)  # 62 mg/L × 10⁻³
    assert sample.chloride_kg_per_m3 == pytest.approx(0.016)
    assert sample.acid_consumption_kg_per_m3 == pytest.approx(0.100)
    assert sample.total_hardness_kg_per_m3 == pytest.approx(0.150)
    assert sample.calcium_hardness_kg_per_m3 == pytest.approx(0.100)
    assert sample.ionic_silica_kg_per_m3 == pytest.approx(0.040)
    assert sample.free_co2_kg_per_m3 == pytest.approx(0.017)
    # Cu "< 0.05": the detection limit is stored, marked as below it.
    assert sample.copper_kg_per_m3 == pytest.approx(0.00005)
    assert sample.qualifiers == {"copper_kg_per_m3": "<"}
    assert sample.stability_index == 8.7


def test_the_step_test_is_one_series_in_si(import_file, yoshioka) -> None:
    batch = import_file("step.csv", files.table_csv(files.YOSHIOKA_STEP_TEST))
    assert batch.state == ImportBatch.State.IMPORTED, batch.errors
    test = PumpingTest.objects.get(borehole=yoshioka, kind="step")
    assert test.static_level_m == 32.9
    assert test.level_m == [33.6, 35.4, 36.5, 38.5, 40.5]
    # 16, 47, 60, 81, 100 L/min ÷ 60 000 = m³/s
    assert test.rate_m3_per_s == pytest.approx([q / 60000 for q in (16, 47, 60, 81, 100)])
    assert test.time_s == [4200, 7800, 11400, 15000, 18600]  # minutes × 60


@pytest.mark.parametrize(("depth_unit", "temperature_unit"), [("M", "DEGC"), ("M", "K")])
def test_the_temperature_log_reads_from_las(
    import_file, yoshioka, depth_unit, temperature_unit
) -> None:
    data = files.yoshioka_las(depth_unit, temperature_unit)
    if temperature_unit == "K":  # the same log written in kelvin
        text = data.decode()
        for _depth, celsius in files.YOSHIOKA_TEMPERATURES:
            text = text.replace(f"{celsius:7.2f}", f"{celsius + 273.15:7.2f}")
        data = text.encode()
    batch = import_file("yos-1.las", data)
    assert batch.state == ImportBatch.State.IMPORTED, batch.errors
    log = TemperatureLog.objects.get(borehole=yoshioka)
    assert log.depths_m == [7.5, 8.5, 15.0, 49.0, 51.0]
    expected_k = [c + 273.15 for _d, c in files.YOSHIOKA_TEMPERATURES]
    assert log.temperatures_k == pytest.approx(expected_k)


def test_xlsx_reads_like_csv(import_file) -> None:
    batch = import_file("boreholes.xlsx", files.table_xlsx(files.YOSHIOKA_BOREHOLE))
    assert batch.state == ImportBatch.State.IMPORTED, batch.errors
    assert Borehole.objects.get(code="YOS-1").diameter_m == pytest.approx(0.15)


def test_reuploading_the_same_file_changes_nothing(import_file, yoshioka) -> None:
    first = import_file("levels.csv", files.table_csv(files.YOSHIOKA_LEVELS))
    again = import_file("levels.csv", files.table_csv(files.YOSHIOKA_LEVELS))
    assert (first.created_count, again.created_count, again.unchanged_count) == (6, 0, 6)
    assert GroundwaterLevel.objects.count() == 6
