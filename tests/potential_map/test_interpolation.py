"""Local kriging: exact at the data, bands that widen away from it (pure)."""

from __future__ import annotations

import numpy as np
import pytest

from geology.domain.conductivity import depth_weighted_mean
from potential_map.domain.interpolation import (
    Z90,
    Variogram,
    fit_variogram,
    local_ordinary_kriging,
    percentile_bands,
)

RNG = np.random.default_rng(42)


def field(xy: np.ndarray) -> np.ndarray:
    """A smooth synthetic λ field, W/(m·K), 1.5–2.5 over 20 km."""
    return 2.0 + 0.5 * np.sin(xy[:, 0] / 4000) * np.cos(xy[:, 1] / 5000)


@pytest.fixture(scope="module")
def data() -> tuple[np.ndarray, np.ndarray]:
    xy = RNG.uniform(0, 20_000, size=(200, 2))
    return xy, field(xy)


def test_kriging_is_exact_at_a_borehole(data) -> None:
    xy, values = data
    variogram = Variogram(sill=0.1, range_m=5000)
    estimate, variance = local_ordinary_kriging(xy, values, xy[:10], variogram)
    assert estimate == pytest.approx(values[:10], abs=1e-8)
    assert variance == pytest.approx(np.zeros(10), abs=1e-8)


def test_the_band_widens_away_from_the_data(data) -> None:
    xy, values = data
    variogram = fit_variogram(xy, values)
    near = xy[:1] + np.array([[50.0, 0.0]])  # 50 m east of a borehole
    mid = np.array([[-3000.0, -3000.0]])
    far = np.array([[-30_000.0, -30_000.0]])
    _e, (v_near, v_mid, v_far) = local_ordinary_kriging(
        xy, values, np.vstack([near, mid, far]), variogram
    )
    assert v_near < v_mid < v_far
    # It levels off: far from the data, ordinary kriging gives the sill plus the uncertainty of
    # the local mean, bounded by twice the sill.
    assert variogram.total_sill < v_far < 2 * variogram.total_sill
    low, mid50, high = percentile_bands(np.array([2.0, 2.0]), np.array([v_near, v_far]))
    assert (high - low)[1] > (high - low)[0]
    assert high[0] - mid50[0] == pytest.approx(Z90 * np.sqrt(v_near))


def test_it_predicts_a_smooth_field_between_the_data(data) -> None:
    xy, values = data
    targets = RNG.uniform(2000, 18_000, size=(500, 2))
    estimate, _variance = local_ordinary_kriging(xy, values, targets, fit_variogram(xy, values))
    error = np.abs(estimate - field(targets))
    assert np.median(error) < 0.05  # W/(m·K), on a field spanning 1.5–2.5


def test_the_fitted_variogram_finds_the_fields_scale(data) -> None:
    xy, values = data
    variogram = fit_variogram(xy, values)
    assert 0.5 * np.var(values) < variogram.total_sill < 2 * np.var(values)
    assert 1000 < variogram.range_m < 20_000


def test_no_data_gives_no_value() -> None:
    estimate, variance = local_ordinary_kriging(
        np.empty((0, 2)), np.empty(0), np.zeros((3, 2)), Variogram(1.0, 100.0)
    )
    assert np.isnan(estimate).all()
    assert np.isnan(variance).all()


def test_p10_is_floored_for_a_positive_quantity() -> None:
    low, _mid, _high = percentile_bands(np.array([0.1]), np.array([1.0]), floor=0.05)
    assert low[0] == 0.05


def test_depth_weighted_conductivity_of_a_column() -> None:
    # Hand calculation: 2 m at 1.0 + 18 m at 2.2 over 20 m → (2 + 39.6) / 20 = 2.08
    assert depth_weighted_mean([0, 2], [2, 20], [1.0, 2.2], 20) == pytest.approx(2.08)
    # A 100 m BHE below a 20 m log: the deepest layer continues → (2 + 98 × 2.2) / 100
    assert depth_weighted_mean([0, 2], [2, 20], [1.0, 2.2], 100) == pytest.approx(2.176)
    # A 1 m BHE sees only the first layer
    assert depth_weighted_mean([0, 2], [2, 20], [1.0, 2.2], 1) == pytest.approx(1.0)
    assert np.isnan(depth_weighted_mean([], [], [], 100))
