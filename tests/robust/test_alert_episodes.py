"""Alerts fire once per condition (issue #19): an alert is its rule, system and episode, not
the start of the sliding look-back window. A 52 h freeze was reported again, with a later
start, at every beat once its start left the 14-day window (about 112 alerts and e-mails)."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest
from django.conf import settings

from monitoring import alerts
from monitoring.domain.rules import same_episode
from monitoring.models import Alert, AlertRule
from tests.factories import UserFactory
from tests.monitoring.conftest import mie  # noqa: F401 - the region fixture
from tests.monitoring.test_alerts import _append_temperatures, _closed_loop

pytestmark = pytest.mark.django_db

T0 = dt.datetime(2025, 1, 6, tzinfo=dt.UTC)


def test_an_episode_that_outlives_the_look_back_window_raises_one_alert_and_one_email(
    mie,  # noqa: F811
    mailoutbox,
) -> None:
    AlertRule.objects.all().delete()
    steward = UserFactory(username="mie-steward", email="steward@example.org")
    steward.groups.add(mie.steward_group)
    system = _closed_loop(mie)  # freeze window 24 h
    # 10-minute return temperatures: +3 °C for 10 h, −1 °C for 52 h (T0+10h to T0+62h),
    # then +3 °C for 10 h
    celsius = np.concatenate([np.full(60, 3.0), np.full(52 * 6, -1.0), np.full(60, 3.0)])
    _append_temperatures(system, T0, celsius)
    lookback = dt.timedelta(seconds=settings.MONITORING_ALERT_LOOKBACK_S)  # 14 days
    assert lookback == dt.timedelta(days=14)
    # Beats every 15 minutes, from when the whole episode is in view, across the moment its
    # start (T0+10h) leaves the window (at T0+14d+10h), until what is left of it in the
    # window is under the 24 h freeze window (T0+14d+38h: 62 − 38 = 24 h).
    beats = [T0 + dt.timedelta(hours=72)]
    beats += [T0 + lookback + dt.timedelta(hours=9, minutes=15 * k) for k in range(0, 4 * 30)]
    raised = []
    for now in beats:
        raised += alerts.evaluate_system(system, now=now)
        alerts.notify(system)
    assert len(raised) == 1
    [alert] = Alert.objects.filter(system=system)
    # the episode's own start and length, as seen whole, not as the window cut it
    assert alert.started_at == T0 + dt.timedelta(hours=10)
    assert alert.params["hours"] == pytest.approx(52.0, abs=0.2)
    [mail] = mailoutbox  # pytest-django's outbox: the one e-mail of the one alert
    assert mail.to == ["steward@example.org"]


def test_a_second_episode_after_the_first_ended_is_a_second_alert(mie) -> None:  # noqa: F811
    AlertRule.objects.all().delete()
    system = _closed_loop(mie)
    dip = np.concatenate([np.full(30 * 6, -1.0), np.full(24 * 6, 3.0)])  # 30 h frozen, 24 h not
    _append_temperatures(system, T0, np.concatenate([dip, dip]))
    alerts.evaluate_system(system, now=T0 + dt.timedelta(days=5))
    assert Alert.objects.filter(system=system).count() == 2


@pytest.mark.parametrize(
    ("episode", "finding", "same"),
    [
        ((10, 62), (11, 62), True),  # cut by the window: the same episode
        ((10, 62), (11, 70), True),  # and still going on
        ((10, None), (11, None), True),  # an open episode (backwash overdue) seen again
        ((10, 62), (62, 70), False),  # touching only: the next day's drainage is another
        ((10, 62), (80, 90), False),  # after it ended: another episode
        ((10, 62), (0, 5), False),
        ((0, 24), (0, 24), True),  # the same finding twice (a COP run of days)
    ],
)
def test_same_episode_is_overlap_not_equal_start(episode, finding, same) -> None:
    assert same_episode(*episode, *finding) is same
