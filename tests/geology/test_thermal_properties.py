"""Every lithology class has thermal properties, ordered and sourced (seeded by migration)."""

from __future__ import annotations

import pytest

from geology.choices import Lithology
from geology.models import LithologyThermalProperty


@pytest.mark.django_db
def test_every_lithology_has_ordered_properties_with_a_source() -> None:
    rows = {p.lithology: p for p in LithologyThermalProperty.objects.all()}
    assert set(rows) == set(Lithology.values)
    for row in rows.values():
        assert 0 < row.conductivity_min_w_per_m_k <= row.conductivity_typical_w_per_m_k
        assert row.conductivity_typical_w_per_m_k <= row.conductivity_max_w_per_m_k
        assert 1e6 <= row.volumetric_heat_capacity_j_per_m3_k <= 4e6  # J/(m³·K), earth materials
        assert row.source


@pytest.mark.django_db
def test_the_values_fall_in_the_vdi_4640_2_classes_they_belong_to() -> None:
    """VDI 4640 Blatt 2 (2001): dry sediment λ < 1.5, saturated sediment and normal rock 1.5–3.0,
    consolidated rock with high λ > 3.0 W/(m·K)."""
    typical = dict(
        LithologyThermalProperty.objects.values_list("lithology", "conductivity_typical_w_per_m_k")
    )
    assert typical["peat"] < 1.5
    for saturated_sediment in ("sand", "gravel", "clay"):
        assert 1.5 <= typical[saturated_sediment] <= 3.0
    assert typical["granite"] > 3.0
