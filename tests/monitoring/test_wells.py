"""Open-loop wells on real series: heads relative to the observation well (ETV-T31), the
backwash hour left out (ETV-T32), role swaps read from the sign, and the clogging alert."""

from __future__ import annotations

import datetime as dt

import pytest

from monitoring import alerts, services
from monitoring.models import AlertRule, Measures, Sensor, SystemWell, WellRole
from tests.cases import case
from tests.monitoring.conftest import wide_csv

ETV = "openloop_etv.csv"
pytestmark = pytest.mark.django_db


def _heads_file(rise_from: dt.date | None) -> bytes:
    """Hourly heads (elevations, m) 2021-08-01..08-20: the ETV-T31 numbers, Y-K3 at −2.1 m,
    the pumping well at −2.5, the reinjecting one at −1.6; Y-2 and Y-3 swap on 08-10; at the
    03:00 backwash hour the reinjecting well spikes +5 m (left out, ETV-T32); from
    `rise_from` the reinjection head is 1.0 m higher (a clogging well)."""
    t31 = case(ETV, "ETV-T31")
    pumping_m, reinjection_m = t31.inputs["head_well_m"]
    reference_m = t31.inputs["head_reference_m"]
    rows = []
    for hour in range(20 * 24):
        when = dt.datetime(2021, 8, 1) + dt.timedelta(hours=hour)  # noqa: DTZ001 - local
        reinjection = reinjection_m + (5.0 if when.hour == 3 else 0.0)
        if rise_from and when.date() >= rise_from:
            reinjection += 1.0
        y2, y3 = (pumping_m, reinjection) if when.day < 10 else (reinjection, pumping_m)
        rows.append([when.isoformat(sep=" "), y2, y3, reference_m])
    return wide_csv(["observed_at", "h_y2", "h_y3", "h_yk3"], ["", "m", "m", "m"], rows)


@pytest.fixture
def wells(etv_system):
    for label in ("Y-2", "Y-3", "Y-K3"):
        Sensor.objects.create(
            system=etv_system,
            code=f"h_{label.lower().replace('-', '')}",
            measures=Measures.GROUNDWATER_HEAD,
            well_label=label,
            interval_s=3600,
        )
    for label, role, since in (
        ("Y-2", WellRole.PUMPING, "2021-07-01"),
        ("Y-3", WellRole.REINJECTION, "2021-07-01"),
        ("Y-3", WellRole.PUMPING, "2021-08-10"),
        ("Y-2", WellRole.REINJECTION, "2021-08-10"),
        ("Y-K3", WellRole.OBSERVATION, "2021-07-01"),
    ):
        SystemWell.objects.create(system=etv_system, label=label, role=role, valid_from=since)
    return etv_system


def test_daily_levels_are_relative_to_the_observation_well_across_a_swap(
    wells, import_series
) -> None:
    assert import_series(wells, "heads.csv", _heads_file(None)).state == "imported"
    days = services.well_days(wells, dt.date(2021, 8, 1), dt.date(2021, 8, 20))
    t31 = case(ETV, "ETV-T31")
    expected_pumping, expected_reinjection = t31.expected["relative_head_m"]  # −0.4, +0.5
    assert len(days) == 20
    for day in days:  # the 03:00 spike of +5 m is out: the level is +0.5 every day
        assert day.pumping_level_m == pytest.approx(expected_pumping, abs=1e-9)
        assert day.reinjection_level_m == pytest.approx(expected_reinjection, abs=1e-9)
        assert not day.sudden_rise


def test_a_sudden_rise_of_the_reinjection_level_raises_the_clogging_alert(
    wells, import_series
) -> None:
    assert import_series(wells, "heads.csv", _heads_file(dt.date(2021, 8, 15))).state == "imported"
    AlertRule.objects.all().delete()
    AlertRule.objects.create(
        name="Clogging", kind="clogging", parameters={"rise_m": 0.5, "baseline_days": 7}
    )
    new = alerts.evaluate_system(wells, now=dt.datetime(2021, 8, 21, tzinfo=dt.UTC))
    # 08-15: 1.5 m against a 0.5 m median of the 7 days before; 08-16..08-18 too, as the
    # week before still has more 0.5 m days; on 08-19 four of seven are at 1.5 m: one run
    [alert] = new
    assert alert.params == {"day": "2021-08-15", "level": 1.5, "rise": 0.5, "days": 4}
