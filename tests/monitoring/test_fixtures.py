"""The shipped monitoring fixtures and rules: the ETV pattern system reproduces tbl 7-3 for
both periods through the importer, and its own data raise the source-side balance alert."""

from __future__ import annotations

import pytest

from monitoring import services
from monitoring.models import Alert, AlertRule, GroundSourceSystem
from region_fixtures import monitoring as fixtures
from region_fixtures.services import FIXTURES_DIR
from tests.cases import case

ETV = "openloop_etv.csv"
pytestmark = pytest.mark.django_db


def test_the_default_rules_ship_as_data() -> None:
    kinds = set(AlertRule.objects.values_list("kind", flat=True))
    assert {"freeze", "backwash_overdue", "forced_drainage", "energy_balance"} <= kinds


def test_the_etv_pattern_fixture_gives_table_7_3_and_flags_the_source_side(mie) -> None:
    imported = fixtures.load(mie, FIXTURES_DIR / "gunma" / "monitoring.json")
    assert imported == ["monitoring-etv-daily.csv"]
    assert fixtures.load(mie, FIXTURES_DIR / "gunma" / "monitoring.json") == []  # idempotent
    system = GroundSourceSystem.objects.get(region=mie)
    cooling, heating = services.period_rows(system)
    t05, t43, t37 = case(ETV, "ETV-T05"), case(ETV, "ETV-T43"), case(ETV, "ETV-T37")
    for index, row in enumerate((cooling, heating)):
        assert row.days == t05.inputs["days"][index]
        assert round(100 * row.operating_ratio, 1) == t05.expected["ratio_pct"][index]
        assert row.total1_j / 3.6e6 == pytest.approx(t43.expected["total1_kwh"][index], abs=1e-3)
        assert row.scop_with_indoor_units == pytest.approx(
            t37.expected["scop_incl_indoor"][index], abs=5e-4
        )
        assert row.passes is True  # 3.91 ≥ 3.3 cooling; 3.88 … ≥ 2.2 heating (ETV tbl 5-2)
    t34 = case(ETV, "ETV-T34")
    assert [cooling.source_balance_rel_diff, heating.source_balance_rel_diff] == pytest.approx(
        t34.expected["rel_diff"], abs=1e-4
    )
    flagged = Alert.objects.filter(system=system, rule__kind="energy_balance")
    assert flagged.count() == 2  # one per period: the report's own meters disagree
    # backwash every ≈ 7 days at ≈ 7 h a day: never 72 h of running without one
    assert not Alert.objects.filter(system=system, rule__kind="backwash_overdue").exists()


def test_the_dushanbe_demo_raises_its_freeze_alert(db) -> None:
    from tests.factories import RegionFactory, square

    region = RegionFactory(code="tj", boundary=square(68.8, 38.6, 0.5), time_zone="Asia/Dushanbe")
    fixtures.load(region, FIXTURES_DIR / "tajikistan" / "monitoring.json")
    system = GroundSourceSystem.objects.get(region=region)
    [alert] = Alert.objects.filter(system=system, rule__kind="freeze")
    # 52 h at −1.5 °C from 2025-02-20 06:00 (generate_monitoring.py) ≥ the 48 h window
    assert alert.params["hours"] == 52.0
    assert alert.params["lowest"] == -1.5
