"""Series imports, appends and reads against PostGIS, checked with the ETV-052-2101 cases."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.urls import reverse

from ingest.models import ImportBatch
from ingest.service import rollback_batch
from monitoring import services
from monitoring.models import ReadingHour, Sensor
from tests.cases import case
from tests.monitoring.conftest import wide_csv

ETV = "openloop_etv.csv"


def _readings() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM monitoring_reading")
        return cursor.fetchone()[0]


def _cooling_period_file() -> bytes:
    """84 daily rows, 2021-07-09..09-30 at local noon, each day 1/84 of the period totals of
    ETV tbl 7-3 (cooling): Q_HP 3541 kWh (ETV-T37), W_HP 677, pumps 33.0 / 195.4, indoor 38.4
    (ETV-T43), HP run 566.4 h (ETV-T05), Q_1 4204 kWh (ETV-T33)."""
    t37, t43, t05, t33 = (case(ETV, i) for i in ("ETV-T37", "ETV-T43", "ETV-T05", "ETV-T33"))
    totals = {
        "q_hp": t37.inputs["heat_kwh"][0],
        "w_hp": t43.inputs["hp_kwh"][0],
        "w_primary": t43.inputs["primary_pump_kwh"][0],
        "w_well": t43.inputs["well_pump_kwh"][0],
        "w_indoor": t43.inputs["indoor_kwh"][0],
        "hp_run": t05.inputs["run_h"][0],
        "q_1": t33.inputs["q1_kwh"],
    }
    days = t05.inputs["days"][0]
    header = ["observed_at", *totals]
    units = ["Asia/Tokyo", "kWh", "kWh", "kWh", "kWh", "kWh", "h", "kWh"]
    first = dt.date(2021, 7, 9)
    rows = [
        [f"{first + dt.timedelta(days=i)} 12:00", *(repr(v / days) for v in totals.values())]
        for i in range(days)
    ]
    return wide_csv(header, units, rows)


@pytest.mark.django_db
def test_an_imported_cooling_period_gives_the_etv_table(etv_system, import_series) -> None:
    batch = import_series(etv_system, "cooling.csv", _cooling_period_file())
    assert batch.state == ImportBatch.State.IMPORTED, batch.errors
    [row] = services.period_rows(etv_system)
    t05, t06, t43 = case(ETV, "ETV-T05"), case(ETV, "ETV-T06"), case(ETV, "ETV-T43")
    assert row.days == case(ETV, "ETV-T07").expected["days"][0]
    # Each case lists cooling first; its tolerance is the CSV's (round:1, abs:0.0005, ...).
    assert round(100 * row.operating_ratio, 1) == t05.expected["ratio_pct"][0]
    assert row.mean_power_w["hp_j"] / 1e3 == pytest.approx(t06.expected["mean_kw"][0], abs=5e-4)
    assert row.total1_j / 3.6e6 == pytest.approx(t43.expected["total1_kwh"][0], abs=1e-3)
    assert row.total2_j / 3.6e6 == pytest.approx(t43.expected["total2_kwh"][0], abs=1e-3)
    t37, t44 = case(ETV, "ETV-T37"), case(ETV, "ETV-T44")
    assert row.scop_with_indoor_units == pytest.approx(
        t37.expected["scop_incl_indoor"][0], abs=5e-4
    )
    assert 100 * row.part_load_ratio == pytest.approx(t44.expected["plr_pct"][0], abs=0.01)
    # SCOP = 3541 / 905.4 = 3.911 ≥ 3.3: the cooling criterion is met (ETV tbl 5-2)
    assert row.scop == pytest.approx(3541 / 905.4, rel=1e-9)
    assert row.passes is True
    t33 = case(ETV, "ETV-T33")
    assert t33.matches("rel_diff", row.balance_rel_diff)
    assert row.balance_flag is (not t33.expected["pass"])


@pytest.mark.django_db
def test_a_representative_day_in_minutes_gives_the_printed_daily_cop(
    etv_system, import_series
) -> None:
    """ETV-T08 (2021-08-11): 81.7 / 13.3 / 0.6 / 3.0 kWh spread over 11 h of 1-minute rows."""
    t08 = case(ETV, "ETV-T08")
    minutes = 11 * 60
    start = dt.datetime(2021, 8, 11, 8, 0)  # noqa: DTZ001 - local time, as the logger writes
    keys = {"q_hp": "heat_kwh", "w_hp": "hp_kwh", "w_primary": "primary_pump_kwh"}
    keys["w_well"] = "well_pump_kwh"
    rows = [
        [
            (start + dt.timedelta(minutes=m)).isoformat(sep=" "),
            *(repr(t08.inputs[k] / minutes) for k in keys.values()),
        ]
        for m in range(minutes)
    ]
    data = wide_csv(["observed_at", *keys], ["", "kWh", "kWh", "kWh", "kWh"], rows)
    batch = import_series(etv_system, "day.csv", data)
    assert batch.state == ImportBatch.State.IMPORTED, batch.errors
    assert batch.created_count == 4 * minutes
    [day] = services.daily_rows(etv_system, dt.date(2021, 8, 11), dt.date(2021, 8, 11))
    assert t08.matches("cop", day.cop)
    assert t08.matches("scop", day.scop)


@pytest.mark.django_db
def test_a_bad_series_file_is_refused_whole_and_each_problem_named(
    etv_system, import_series
) -> None:
    before = _readings()
    rows = [
        ["2021-08-01 12:00", "10", "2"],
        ["2021-08-02 12:00", "ten", "2"],  # row 4: not a number
        ["2021-08-02 12:00", "10", "2"],  # row 5: the time of row 4 again
        ["2021-13-01 12:00", "10", "2"],  # row 6: no 13th month
        ["2021-08-05 12:00", "-3", "2"],  # row 7: negative energy
        [None, None, None],  # row 8: a blank line inside the data is a row without a time
        ["2021-08-07 12:00", "nan", "inf"],  # row 9: neither is a finite number
    ]
    data = wide_csv(["observed_at", "q_hp", "w_hp"], ["", "kWh", "kWh"], rows)
    batch = import_series(etv_system, "bad.csv", data)
    assert batch.state == ImportBatch.State.REJECTED
    problems = {(e["file"], e["row"], e["field"]) for e in batch.errors}
    assert problems == {
        ("bad.csv", 4, "q_hp"),
        ("bad.csv", 5, "observed_at"),
        ("bad.csv", 6, "observed_at"),
        ("bad.csv", 7, "q_hp"),
        ("bad.csv", 8, "observed_at"),
        ("bad.csv", 9, "q_hp"),
        ("bad.csv", 9, "w_hp"),
    }
    assert _readings() == before


@pytest.mark.django_db
def test_an_unknown_sensor_and_a_wrong_unit_are_named_in_the_header_rows(
    etv_system, import_series
) -> None:
    data = wide_csv(["observed_at", "q_hp", "nope"], ["", "°C", "kWh"], [["2021-08-01", "1", "1"]])
    batch = import_series(etv_system, "header.csv", data)
    assert batch.state == ImportBatch.State.REJECTED
    assert {(e["row"], e["field"]) for e in batch.errors} == {(1, "nope"), (2, "q_hp")}


@pytest.mark.django_db
def test_rolling_back_a_series_batch_deletes_exactly_its_readings(
    etv_system, import_series
) -> None:
    first = import_series(
        etv_system,
        "a.csv",
        wide_csv(["observed_at", "q_hp"], ["", "kWh"], [["2021-08-01 10:00", "5"]]),
    )
    second = import_series(
        etv_system,
        "b.csv",
        wide_csv(["observed_at", "q_hp"], ["", "kWh"], [["2021-08-01 10:30", "7"]]),
    )
    sensor = Sensor.objects.get(system=etv_system, code="q_hp")
    assert ReadingHour.objects.get(sensor=sensor).total == pytest.approx(12 * 3.6e6)
    rollback_batch(second, None)
    assert _readings() == 1
    assert ReadingHour.objects.get(sensor=sensor).total == pytest.approx(5 * 3.6e6)
    assert ImportBatch.objects.get(pk=first.pk).state == ImportBatch.State.IMPORTED


@pytest.mark.django_db
def test_the_token_api_appends_all_or_nothing_and_a_retry_writes_nothing(
    etv_system, client
) -> None:
    token = etv_system.new_token()
    url = reverse("api:monitoring-readings", args=[etv_system.pk])
    payload = {
        "readings": [
            {
                "sensor": "q_hp",
                "observed_at": "2021-08-01T12:00:00+09:00",
                "value": 2.5,
                "unit": "kWh",
            },
            {"sensor": "w_hp", "observed_at": "2021-08-01T12:00:00+09:00", "value": 9e6},
        ]
    }
    assert client.post(url, payload, content_type="application/json").status_code == 401
    wrong = client.post(url, payload, content_type="application/json", HTTP_AUTHORIZATION="Token x")
    assert wrong.status_code == 401
    auth = {"HTTP_AUTHORIZATION": f"Token {token}"}
    ok = client.post(url, payload, content_type="application/json", **auth)
    assert ok.status_code == 201
    assert ok.json() == {"written": 2}
    again = client.post(url, payload, content_type="application/json", **auth)
    assert again.status_code == 201
    assert again.json() == {"written": 0}
    conflict = {
        "readings": [
            {"sensor": "q_hp", "observed_at": "2021-08-01T13:00:00+09:00", "value": 1},
            {
                "sensor": "q_hp",
                "observed_at": "2021-08-01T12:00:00+09:00",
                "value": 3.0,
                "unit": "kWh",
            },
            {"sensor": "zz", "observed_at": "2021-08-01T12:00:00+09:00", "value": 1},
        ]
    }
    refused = client.post(url, conflict, content_type="application/json", **auth)
    assert refused.status_code == 400
    assert [(e["row"], e["field"]) for e in refused.json()["errors"]] == [(3, "sensor")]
    assert _readings() == 2
    stored_again = {"readings": conflict["readings"][:2]}
    refused = client.post(url, stored_again, content_type="application/json", **auth)
    assert refused.status_code == 400
    assert [(e["row"], e["field"]) for e in refused.json()["errors"]] == [(2, "q_hp")]
    assert _readings() == 2


@pytest.mark.django_db
def test_the_plot_endpoint_buckets_and_keeps_each_buckets_extremes(etv_system, client) -> None:
    """Two days of 1-minute temperatures with one spike; 48 buckets of 1 h each."""
    sensor = Sensor.objects.create(
        system=etv_system, code="t_out", measures="water_temperature", interval_s=60
    )
    start = dt.datetime(2021, 8, 1, tzinfo=dt.UTC)
    items = [
        {
            "sensor": "t_out",
            "observed_at": (start + dt.timedelta(minutes=m)).isoformat(),
            "value": 290.0 + (10.0 if m == 1000 else 0.0),
        }
        for m in range(2 * 24 * 60)
    ]
    token = etv_system.new_token()
    for chunk in range(0, len(items), 2000):
        response = client.post(
            reverse("api:monitoring-readings", args=[etv_system.pk]),
            {"readings": items[chunk : chunk + 2000]},
            content_type="application/json",
            HTTP_AUTHORIZATION=f"Token {token}",
        )
        assert response.status_code == 201
    url = reverse("api:monitoring-series", args=[etv_system.pk])
    answer = client.get(
        url,
        {
            "sensor": "t_out",
            "start": "2021-08-01T00:00:00Z",
            "end": "2021-08-03T00:00:00Z",
            "points": 48,
        },
    ).json()
    assert answer["source"] == "raw"
    assert answer["bucket_s"] == 3600
    assert len(answer["times"]) == 48
    assert max(answer["maximum"]) == 300.0  # the spike survives: minute 1000 is in hour 16
    assert answer["maximum"].index(300.0) == 16
    assert answer["mean"][16] == pytest.approx(290.0 + 10.0 / 60)
    assert sensor.hours.count() == 48


@pytest.mark.django_db
def test_an_xlsx_series_goes_through_the_same_checks(etv_system, import_series) -> None:
    """The survey importer's safe XLSX reader: a formula cell is refused, named by row and
    column; without it the file imports."""
    from io import BytesIO

    from openpyxl import Workbook

    def book(formula: bool) -> bytes:
        workbook = Workbook()
        sheet = workbook.active
        sheet.append(["observed_at", "q_hp"])
        sheet.append(["Asia/Tokyo", "kWh"])
        sheet.append(["2021-08-01 10:00", 5])
        sheet.append(["2021-08-01 11:00", "=B3*2" if formula else 10])
        out = BytesIO()
        workbook.save(out)
        return out.getvalue()

    refused = import_series(etv_system, "f.xlsx", book(formula=True))
    assert refused.state == ImportBatch.State.REJECTED
    assert [(e["row"], e["field"]) for e in refused.errors] == [(4, "q_hp")]
    imported = import_series(etv_system, "ok.xlsx", book(formula=False))
    assert imported.state == ImportBatch.State.IMPORTED, imported.errors
    assert imported.created_count == 2


@pytest.mark.django_db
def test_the_performance_api_gives_the_period_and_daily_tables(
    etv_system, import_series, client
) -> None:
    assert import_series(etv_system, "cooling.csv", _cooling_period_file()).state == "imported"
    body = client.get(reverse("api:monitoring-performance", args=[etv_system.pk])).json()
    [period] = body["periods"]
    assert period["days"] == 84
    assert period["scop"] == pytest.approx(3541 / 905.4, rel=1e-9)  # tbl 7-3 ⑳ from the sums
    assert len(body["daily"]) == 84
