"""Reference values on the estimate page read as numbers in the reader's language, not in
exponent form (the walk found "5e+05 JPY" and "3.571e+04 JPY/m" in the sources list)."""

from __future__ import annotations

import pytest
from django.utils import translation

from estimates.presentation import reference_lines


def _used(value: float, unit: str = "JPY") -> dict[str, object]:
    return {"x": {"value": value, "unit": unit, "provenance": "source", "source": "s"}}


@pytest.mark.parametrize(
    ("language", "value", "shown"),
    [
        ("en", 5e5, "500,000"),  # the system's fixed cost, YOSHIOKA-2014 Table 12
        ("ja", 3.571e4, "35,710"),  # 2,500,000 yen / 70 m = 35,714 → four digits
        ("ru", 3.571e4, "35\xa0710"),  # Russian groups with a no-break space
        ("tg", 0.2588, "0,2588"),  # decimal comma in Tajik as in Russian
        ("en", 4.038, "4.038"),
    ],
)
def test_a_reference_value_is_written_as_its_language_writes_numbers(
    language: str, value: float, shown: str
) -> None:
    with translation.override(language):
        assert reference_lines(_used(value))[0]["value"] == shown


def test_a_price_per_joule_is_shown_per_kilowatt_hour() -> None:
    # 17.35 JPY/kWh stored as 17.35 / 3.6e6 JPY/J (MOE-GL4-2024 fig. 11 note ※4)
    with translation.override("en"):
        line = reference_lines({"p_per_j": {**_used(17.35 / 3.6e6, "JPY/J")["x"]}})[0]
    assert (line["value"], line["unit"]) == ("17.35", "JPY/kWh")
