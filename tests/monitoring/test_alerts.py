"""Alert rules as data on real series: the freeze rule (GL-T20), the ETV balance and backwash
rules, the beat task on the real worker, and the e-mail to the region's stewards."""

from __future__ import annotations

import datetime as dt
import shutil
import time
from pathlib import Path
from zoneinfo import ZoneInfo

import numpy as np
import pytest
from django.conf import settings
from django.contrib.gis.geos import Point
from django.utils import timezone

from monitoring import alerts, services, tasks
from monitoring.models import (
    Alert,
    AlertRule,
    GroundSourceSystem,
    Loop,
    Measures,
    Sensor,
)
from tests.cases import case
from tests.factories import UserFactory


@pytest.fixture(autouse=True)
def _only_the_tests_rules(db: None) -> None:
    """Each test names the rules it checks; the shipped defaults are tested on their own."""
    AlertRule.objects.all().delete()


def _closed_loop(region) -> GroundSourceSystem:
    system = GroundSourceSystem.objects.create(
        region=region,
        code="house-1",
        name="House 1",
        loop=Loop.CLOSED,
        location=Point(136.6, 34.95, srid=4326),
        published=True,
        settings={"freeze_window_s": 24 * 3600.0},
    )
    Sensor.objects.create(
        system=system, code="t_return", measures=Measures.FLUID_TEMPERATURE, interval_s=600
    )
    AlertRule.objects.create(name="Freeze", kind="freeze", loop=Loop.CLOSED, severity="critical")
    return system


def _append_temperatures(system, start: dt.datetime, celsius: np.ndarray) -> None:
    items = [
        {
            "sensor": "t_return",
            "observed_at": (start + dt.timedelta(minutes=10 * i)).isoformat(),
            "value": float(c),
            "unit": "°C",
        }
        for i, c in enumerate(celsius)
    ]
    services.append(system, {"readings": items})


def _series_with_dips(first_dip_h: float, second_dip_h: float) -> np.ndarray:
    """10-minute return temperatures over 4 days: +3 °C, a dip at −1 °C of `first_dip_h`,
    +3 °C, then a dip of `second_dip_h`, then +3 °C."""
    steps = lambda hours: round(hours * 6)  # noqa: E731 - 6 samples per hour
    return np.concatenate(
        [
            np.full(steps(10), 3.0),
            np.full(steps(first_dip_h), -1.0),
            np.full(steps(12), 3.0),
            np.full(steps(second_dip_h), -0.5),
            np.full(steps(96 - 22 - first_dip_h - second_dip_h), 3.0),
        ]
    )


@pytest.mark.django_db
def test_a_freeze_longer_than_the_window_raises_one_alert_and_a_short_one_none(mie) -> None:
    system = _closed_loop(mie)
    start = timezone.now().replace(microsecond=0) - dt.timedelta(days=5)
    # 30 h at −1 °C (≥ 24 h: an alert), later 10 h at −0.5 °C (< 24 h: none)
    _append_temperatures(system, start, _series_with_dips(30, 10))
    new = alerts.evaluate_system(system)
    assert len(new) == 1
    alert = new[0]
    assert alert.started_at == start + dt.timedelta(hours=10)
    assert alert.ended_at == start + dt.timedelta(hours=40)
    assert alert.params["lowest"] == -1.0
    assert alert.params["hours"] == 30.0
    # evaluated again: the same alert, not a second one
    assert alerts.evaluate_system(system) == []
    assert Alert.objects.filter(system=system).count() == 1


@pytest.mark.django_db
def test_the_guideline_freeze_case_lasts_its_printed_hours(mie) -> None:
    """GL-T20's daily samples at 0, −0.5, −0.2, 0 °C last 4 × 24 h = 96 h: over a 72 h window
    they raise an alert; over a 120 h window they do not."""
    system = _closed_loop(mie)
    sensor = system.sensors.get()
    sensor.interval_s = 86400
    sensor.save()
    start = timezone.now().replace(microsecond=0) - dt.timedelta(days=10)
    values = [5.0, 0.0, -0.5, -0.2, 0.0, 5.0]
    services.append(
        system,
        {
            "readings": [
                {
                    "sensor": "t_return",
                    "observed_at": (start + dt.timedelta(days=i)).isoformat(),
                    "value": v,
                    "unit": "°C",
                }
                for i, v in enumerate(values)
            ]
        },
    )
    system.settings = {"freeze_window_s": 120 * 3600.0}
    system.save()
    assert alerts.evaluate_system(system) == []
    system.settings = {"freeze_window_s": 72 * 3600.0}
    system.save()
    [alert] = alerts.evaluate_system(system)
    assert alert.params["hours"] == 96.0


@pytest.mark.django_db
def test_a_meter_that_disagrees_raises_the_balance_alert(etv_system, import_series) -> None:
    """ETV-T34: the groundwater heat 5775 kWh against Q_1 4204 kWh does not close (+37 %);
    here the primary heat meter reads 20 % low against Q_HP + W_HP (3541 + 677 = 4218 kWh)."""
    from tests.monitoring.conftest import wide_csv

    rows = [["2021-08-01 12:00", "3541", "677", str(4218 * 0.8)]]
    data = wide_csv(["observed_at", "q_hp", "w_hp", "q_1"], ["", "kWh", "kWh", "kWh"], rows)
    assert import_series(etv_system, "bal.csv", data).state == "imported"
    AlertRule.objects.create(name="Balance", kind="energy_balance", parameters={"tolerance": 0.02})
    [alert] = alerts.evaluate_system(etv_system, now=dt.datetime(2021, 8, 10, tzinfo=dt.UTC))
    # (4218 − 3374.4) / 3374.4 = +25.0 %
    assert alert.params["percent"] == 25.0


@pytest.mark.django_db
def test_backwash_overdue_counts_heat_pump_hours_since_the_last_backwash_day(
    etv_system, import_series
) -> None:
    """ETV §3.3(4): backwash at most every 72 h of HP running. Days with the well pump 0.9 h
    longer than the HP are backwash days (ETV-T30). 11 h a day from a backwash on 08-01:
    66 h by 08-06, 77 h > 72 h by 08-07 (the alert starts that local day), 88 h by 08-08."""
    t30 = case("openloop_etv.csv", "ETV-T30")
    rows = []
    for day in range(8):
        hp = 11.0
        pump = hp + (0.9 if day == 0 else 0.0)
        rows.append([f"2021-08-{day + 1:02d} 12:00", str(hp), str(pump)])
    from tests.monitoring.conftest import wide_csv

    data = wide_csv(["observed_at", "hp_run", "well_run"], ["", "h", "h"], rows)
    assert import_series(etv_system, "runs.csv", data).state == "imported"
    AlertRule.objects.create(
        name="Backwash",
        kind="backwash_overdue",
        parameters={"max_s": 72 * 3600.0, "min_excess_s": t30.inputs["min_excess_h"] * 3600},
    )
    [alert] = alerts.evaluate_system(etv_system, now=dt.datetime(2021, 8, 9, tzinfo=dt.UTC))
    assert alert.started_at.astimezone(ZoneInfo("Asia/Tokyo")).date() == dt.date(2021, 8, 7)
    assert alert.params["hours"] == 88.0


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_the_beat_task_on_the_worker_raises_the_freeze_alert_and_mails_the_steward(
    mie, celery_worker_process
) -> None:
    mail_dir = Path(settings.EMAIL_FILE_PATH)
    shutil.rmtree(mail_dir, ignore_errors=True)
    steward = UserFactory(username="mie-steward", email="steward@example.org")
    steward.groups.add(mie.steward_group)
    system = _closed_loop(mie)
    start = timezone.now().replace(microsecond=0) - dt.timedelta(days=5)
    _append_temperatures(system, start, _series_with_dips(30, 10))
    assert "monitoring.tasks.evaluate_alerts" in {
        entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()
    }
    tasks.evaluate_alerts.delay()
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        alert = Alert.objects.filter(system=system, notified_at__isnull=False).first()
        if alert is not None:
            break
        time.sleep(0.5)
    assert alert is not None, "the worker raised no alert"
    [message] = list(mail_dir.glob("*.log"))
    text = message.read_text()
    assert "steward@example.org" in text
    assert "t_return" in text
    assert "/monitoring/mie/house-1/" in text
