"""Reference lookups: prices and factors, climate normals, baselines, subsidies, groundwater
rules. One function each, so the rule that picks a row (the region's before its country's, the
newest first) is written once; estimates, planning and the map all read through here.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date
from typing import Any

import numpy as np
from django.db.models import Avg, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from core.models import Region
from reference.domain.validity import valid_table
from reference.models import (
    Baseline,
    ClimateNormal,
    GroundwaterRule,
    ReferenceValue,
    SubsidyProgramme,
)


class MissingReference(ValueError):
    """The region lacks a reference row that an answer needs; the message (translated) says
    which."""


# Reference-value keys of each energy carrier: (CO2 per J, price per unit, J per unit); the
# price of electricity is per J already, so it has no heating value.
CARRIER_KEYS: dict[str, tuple[str, str, str | None]] = {
    "electricity": ("grid_co2_kg_per_j", "electricity_price_per_j", None),
    "kerosene": (
        "kerosene_co2_kg_per_j",
        "kerosene_price_per_m3",
        "kerosene_heating_value_j_per_m3",
    ),
    "lpg": ("lpg_co2_kg_per_j", "lpg_price_per_kg", "lpg_heating_value_j_per_kg"),
    "coal": ("coal_co2_kg_per_j", "coal_price_per_kg", "coal_heating_value_j_per_kg"),
}

# Further keys of each carrier for primary energy (J per J of the higher heating value, or of
# electricity) and the lower heating value its appliances' efficiencies go with (None: only one
# heating value is known; estimates.domain.economics.Carrier says what that assumes).
CARRIER_PRIMARY_KEYS: dict[str, str] = {
    "electricity": "electricity_primary_energy_j_per_j",
    "kerosene": "kerosene_primary_energy_j_per_j",
    "lpg": "lpg_primary_energy_j_per_j",
    "coal": "coal_primary_energy_j_per_j",
}
CARRIER_LOWER_HEATING_VALUE_KEYS: dict[str, str | None] = {
    "electricity": None,
    "kerosene": "kerosene_lower_heating_value_j_per_m3",
    "lpg": "lpg_lower_heating_value_j_per_kg",
    "coal": "coal_lower_heating_value_j_per_kg",
}

# The reference values of one region, read once for a piece of work that looks up many of them
# (an estimate looks up some twenty factors; one query each was a third of an open-loop
# estimate's time). Set by read_once().
_read_once: ContextVar[tuple[int, dict[str, dict[str, Any]]] | None] = ContextVar(
    "reference_values_read_once", default=None
)


def reference_values(
    region: Region, key: str | None = None, on: date | None = None
) -> dict[str, dict[str, Any]]:
    """Per key (or only `key`), the value that holds on `on` (today by default): the region's
    before its country's, then the latest valid_from (reference.domain.validity: an undated row
    counts as the earliest, so a new dated price wins), then the newest row; with its unit,
    provenance, source, and its pk and valid_from (the version an estimate used)."""
    rows = ReferenceValue.objects.filter(
        Q(region=region) | Q(region__isnull=True, country=country_of(region))
    )
    if key is not None:
        rows = rows.filter(key=key)
    table = valid_table(
        rows.order_by("pk"),  # oldest first: of equal rows the newest wins
        on or timezone.localdate(),
        key=lambda row: row.key,
        scope=lambda row: 1 if row.region_id else 0,
    )
    return {
        name: {
            "value": row.value,
            "unit": row.unit,
            "provenance": row.provenance,
            "source": row.source,
            "pk": row.pk,
            "valid_from": row.valid_from.isoformat() if row.valid_from else None,
        }
        for name, row in table.items()
    }


def country_of(region: Region) -> str:
    """The ISO country whose national reference values apply to the region."""
    return {"JPY": "JP", "TJS": "TJ"}.get(region.currency, "")


def reference_versions(region: Region, on: date | None = None) -> list[tuple[str, Any]]:
    """(key, pk) of every reference value that holds for the region on `on`: part of an
    estimate's reuse key, so a new or changed price or factor makes a new estimate."""
    table = reference_values(region, on=on)
    return sorted((name, entry["pk"]) for name, entry in table.items())


@contextmanager
def read_once(region: Region, on: date | None = None) -> Iterator[None]:
    """Within the block, reference_value() answers for `region` from one read of all its values
    that hold on `on` (today by default)."""
    token = _read_once.set((region.pk, reference_values(region, on=on)))
    try:
        yield
    finally:
        _read_once.reset(token)


def reference_value(region: Region, key: str) -> dict[str, Any] | None:
    """The region's value of a factor, else its country's; the newest valid one."""
    cached = _read_once.get()
    if cached is not None and cached[0] == region.pk:
        return cached[1].get(key)
    return reference_values(region, key).get(key)


def required_value(region: Region, key: str, used: dict[str, Any]) -> float:
    """reference_value() as a number, noted in `used` under its key; MissingReference when
    the region has none."""
    found = reference_value(region, key)
    if found is None:
        raise MissingReference(
            _("The region %(region)s has no reference value '%(key)s'.")
            % {"region": region.code, "key": key}
        )
    used[key] = found
    return float(found["value"])


def optional_value(region: Region, key: str, used: dict[str, Any]) -> float | None:
    """reference_value() as a number, noted in `used`; None when the region has none (the
    caller says what it then leaves out)."""
    found = reference_value(region, key)
    if found is None:
        return None
    used[key] = found
    return float(found["value"])


def monthly_temperatures(region: Region) -> tuple[np.ndarray, dict[str, Any]]:
    """Monthly mean air temperatures (K) of the region's latest climate normal, and where they
    come from; MissingReference when it has none."""
    normal = (
        ClimateNormal.objects.filter(region=region, monthly_mean_air_temperature_k__isnull=False)
        .order_by("-period")
        .first()
    )
    if normal is None:
        raise MissingReference(
            _("The region %(region)s has no monthly climate normals.") % {"region": region.code}
        )
    return np.array(normal.monthly_mean_air_temperature_k), {
        "station": normal.station,
        "period": normal.period,
        "source": normal.source,
    }


def mean_annual_air_temperature_k(region: Region) -> float | None:
    """Mean of the annual mean air temperatures of the region's climate normals, K."""
    return ClimateNormal.objects.filter(region=region).aggregate(
        mean=Avg("annual_mean_air_temperature_k")
    )["mean"]


def baselines(region: Region) -> QuerySet[Baseline]:
    """The systems a ground-source system may be compared with in the region."""
    return Baseline.objects.filter(region=region)


def default_baseline(region: Region, mode: str) -> Baseline | None:
    """The region's default baseline for heating or cooling, if it names one."""
    return Baseline.objects.filter(region=region, mode=mode, is_default=True).first()


def baseline(region: Region, mode: str, code: str | None) -> Baseline | None:
    """The baseline `code` for `mode`; without a code the default one, else any one."""
    rows = Baseline.objects.filter(region=region, mode=mode)
    if code:
        return rows.filter(code=code).first()
    return default_baseline(region, mode) or rows.first()


def subsidy_programmes(region: Region) -> QuerySet[SubsidyProgramme]:
    """The region's subsidy programmes."""
    return SubsidyProgramme.objects.filter(region=region)


def subsidy_programme(region: Region, code: str) -> SubsidyProgramme | None:
    """The region's subsidy programme `code`, if there is one."""
    return SubsidyProgramme.objects.filter(region=region, code=code).first()


def groundwater_rules(region: Region) -> list[GroundwaterRule]:
    """The region's groundwater rules, by code."""
    return list(GroundwaterRule.objects.filter(region=region).order_by("code"))
