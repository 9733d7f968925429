"""An alert of a default rule is named in the reader's language; a rule someone named
themselves keeps its name (issue 22 item 6: no English left on ja/ru/tg pages)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from monitoring.models import Alert, AlertRule


@pytest.mark.parametrize(
    ("language", "name"),
    [
        ("en", "Freeze risk (GL-T20)"),
        ("ja", "凍結のおそれ（GL-T20）"),
        ("ru", "Риск замерзания (GL-T20)"),
        ("tg", "Хатари яхбандӣ (GL-T20)"),
    ],
)
def test_a_default_rules_alert_is_named_in_the_pages_language(
    client, etv_system, language, name
) -> None:
    rule, _created = AlertRule.objects.get_or_create(  # migration 0003 seeds it
        name="Freeze risk (GL-T20)", defaults={"kind": "freeze", "severity": "critical"}
    )
    own = AlertRule.objects.create(name="Kōzō's own check", kind="freeze", severity="warning")
    for each in (rule, own):
        Alert.objects.create(
            system=etv_system,
            rule=each,
            severity=each.severity,
            started_at=datetime(2022, 2, 1, tzinfo=UTC),
            message="The daily COP stayed below %(value)s for %(days)s days (lowest %(worst)s).",
            params={"value": "2.2", "days": 3, "worst": "1.9"},
        )
    html = client.get(f"/{language}/monitoring/mie/{etv_system.code}/").content.decode()
    assert f" · {name} · " in html
    assert " · Kōzō's own check · " in html.replace("&#x27;", "'")
    if language != "en":
        assert "Freeze risk (GL-T20)" not in html
