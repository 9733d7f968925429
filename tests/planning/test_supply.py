"""District aggregation against a hand sum; the scenario moves results the right way."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from planning.domain import supply

YEAR_S = 365 * 86400.0


def small_region():  # type: ignore[no-untyped-def]
    """Four cells of 100 m × 100 m: cells 0, 1 in district 0; 2, 3 in district 1; cell 3
    red; NaN heating in cell 1 (no value)."""
    index = np.array([0, 0, 1, 1])
    heating = np.array([20.0, np.nan, 30.0, 40.0])  # W/m, annual mean
    cooling = np.array([10.0, 10.0, 10.0, 10.0])
    constraint = np.array([0.0, 0.0, 1.0, 2.0])
    return index, heating, cooling, constraint


def test_closed_loop_supply_is_the_hand_sum() -> None:
    index, heating, cooling, constraint = small_region()
    scenario = supply.Scenario(
        adoption_share=0.5, bhe_spacing_m=10, bhe_length_m=100, cop_heating=4, eer_cooling=4
    )
    heat, cool = supply.closed_loop_supply_j(index, 2, 1e4, heating, cooling, constraint, scenario)
    # boreholes per cell = 0.5 × 10 000 / 10² = 50; each 100 m for a year
    per_cell = 50 * 100 * YEAR_S
    # district 0: cell 0 only (cell 1 has no value): 20 W/m × per_cell × 4/3
    assert heat[0] == pytest.approx(20 * per_cell * 4 / 3)
    # district 1: cell 2 only (cell 3 is red): 30 W/m × per_cell × 4/3
    assert heat[1] == pytest.approx(30 * per_cell * 4 / 3)
    # cooling: district 0 both cells, district 1 cell 2 only, × EER/(EER+1) = 4/5
    assert cool[0] == pytest.approx(2 * 10 * per_cell * 4 / 5)
    assert cool[1] == pytest.approx(10 * per_cell * 4 / 5)


def test_red_cells_contribute_nothing() -> None:
    index, heating, cooling, constraint = small_region()
    scenario = supply.Scenario()
    base = supply.closed_loop_supply_j(index, 2, 1e4, heating, cooling, constraint, scenario)
    heating_more_in_red = heating.copy()
    heating_more_in_red[3] = 1e6
    again = supply.closed_loop_supply_j(
        index, 2, 1e4, heating_more_in_red, cooling, constraint, scenario
    )
    assert np.array_equal(base[0], again[0])
    heat, _cool = supply.open_loop_supply_j(
        index,
        2,
        1e4,
        np.array([1e5, 1e5, 1e5, 1e9]),
        np.full(4, 50.0),
        constraint,
        180 * 86400,
        90 * 86400,
        scenario,
    )
    # 0.2 × 10 000 / 50² = 0.8 doublets × 100 kW × 180 d × 4/3, cells 0, 1 | cell 2 only
    one_cell = 0.8 * 1e5 * 180 * 86400 * 4 / 3
    assert heat == pytest.approx([2 * one_cell, one_cell])


def test_coverage_is_capped_at_the_demand() -> None:
    assert list(supply.coverage([50, 200, 5], [100, 100, 0])[:2]) == [0.5, 1.0]
    assert np.isnan(supply.coverage([5], [0])[0])


@settings(max_examples=60, deadline=None)
@given(
    st.floats(0.0, 1.0),
    st.floats(0.0, 1.0),
    st.floats(5, 50),
    st.floats(5, 50),
)
def test_more_adoption_more_supply_wider_spacing_less(a1, a2, s1, s2) -> None:
    index, heating, cooling, constraint = small_region()

    def heat(adoption: float, spacing: float) -> float:
        scenario = supply.Scenario(adoption_share=adoption, bhe_spacing_m=spacing)
        return float(
            supply.closed_loop_supply_j(index, 2, 1e4, heating, cooling, constraint, scenario)[
                0
            ].sum()
        )

    low, high = sorted((a1, a2))
    assert heat(low, 10) <= heat(high, 10) + 1e-6
    near, far = sorted((s1, s2))
    assert heat(0.3, far) <= heat(0.3, near) + 1e-6


@pytest.mark.parametrize("bad", [{"adoption_share": 1.5}, {"bhe_spacing_m": 0}, {"cop_heating": 1}])
def test_a_scenario_out_of_range_is_refused(bad) -> None:
    with pytest.raises(ValueError, match=r"between|positive|COP"):
        supply.Scenario(**bad)
