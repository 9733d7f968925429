"""Subsidy rule (pure; no database)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from reference.domain.economics import subsidy


def test_the_cap_binds_above_rate_times_cost() -> None:
    # ¥4 million × 1/2 = ¥2 million (under the ¥3 million cap); ¥8 million × 1/2 → capped
    assert subsidy([4e6, 8e6], 0.5, 3e6).tolist() == [2e6, 3e6]


def test_a_fixed_amount_programme_pays_up_to_the_cost() -> None:
    assert subsidy([1e6, 5e6], None, 3e6).tolist() == [1e6, 3e6]


@given(st.floats(0, 1e10), st.floats(0.01, 1), st.floats(0, 1e10))
def test_the_subsidy_never_exceeds_cost_or_cap(cost: float, rate: float, cap: float) -> None:
    amount = float(subsidy(cost, rate, cap))
    assert amount <= cost + 1e-6
    assert amount <= cap


def test_a_negative_cost_is_refused() -> None:
    with pytest.raises(ValueError, match="negative"):
        subsidy(np.array([-1.0]), 0.5, None)
