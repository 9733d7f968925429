"""Bands that do not claim more than is known (pure: no database).

A lithology lookup at a borehole keeps the table's spread; a unit's range is a PERT whose
P10/P90 lie strictly inside its extremes; a groundwater depth honours the well that measured it;
the demonstration share follows the kriging weights.
"""

from __future__ import annotations

import numpy as np
import pytest

from geology.domain.conductivity import depth_weighted_mean, depth_weighted_std
from geology.domain.property_ranges import (
    pert_bands,
    pert_mean,
    pert_quantile,
    pert_shape_parameters,
    pert_std,
)
from potential_map.domain.demonstration import combined_share, is_demonstration, layer_share
from potential_map.domain.interpolation import (
    Z90,
    Variogram,
    local_ordinary_kriging,
    local_ordinary_kriging_with_data,
)
from potential_map.domain.layers import kriged_with_fallback
from potential_map.domain.uncertainty import kriged_bands

RNG = np.random.default_rng(20)


def smooth(xy: np.ndarray) -> np.ndarray:
    """A synthetic λ field, W/(m·K), 1.6–2.4 over 20 km."""
    return 2.0 + 0.4 * np.sin(xy[:, 0] / 4000) * np.cos(xy[:, 1] / 5000)


# -- a unit's range as a distribution ----------------------------------------------------------


def test_a_symmetric_range_gives_the_beta_3_3_quantiles() -> None:
    # By hand: (1, 2, 3) → α = β = 1 + 4 · ½ = 3. Beta(3, 3)'s CDF is the regularised
    # incomplete beta I_x(3, 3) = 10x³ − 15x⁴ + 6x⁵; P10 = 1 + 2x where that equals 0.1.
    alpha, beta = pert_shape_parameters(1.0, 2.0, 3.0)
    assert (alpha, beta) == (3.0, 3.0)
    p10, p50, p90 = pert_bands(1.0, 2.0, 3.0)
    x = (p10 - 1.0) / 2.0
    assert 10 * x**3 - 15 * x**4 + 6 * x**5 == pytest.approx(0.1, abs=1e-9)
    assert x == pytest.approx(0.2466, abs=1e-4)  # by bisection on the polynomial, by hand
    assert p50 == pytest.approx(2.0)
    assert p90 == pytest.approx(4.0 - p10)  # symmetric
    # Mean (1 + 4·2 + 3)/6 = 2, variance (μ − a)(b − μ)/7 = 1/7.
    assert pert_mean(1.0, 2.0, 3.0) == pytest.approx(2.0)
    assert pert_std(1.0, 2.0, 3.0) == pytest.approx(np.sqrt(1 / 7))


# Rows of the lithology table (geology/migrations/0003, VDI 4640-1 Table B1, literature):
# (min, typical, max) W/(m·K).
TABLE = {
    "clay": (1.1, 1.8, 3.1),
    "sand": (1.5, 2.4, 4.0),
    "gravel": (1.6, 1.8, 2.5),
    "tuff": (1.1, 1.1, 1.5),
    "sandstone": (1.3, 2.3, 5.1),
    "granite": (2.1, 3.2, 4.1),
}


@pytest.mark.parametrize("lithology", sorted(TABLE))
def test_a_units_p10_and_p90_lie_strictly_inside_its_extremes(lithology: str) -> None:
    low, typical, high = TABLE[lithology]
    p10, p50, p90 = pert_bands(low, typical, high)
    assert low < p10 < p50 < p90 < high
    # The band is narrower than the table's range: the extremes are not P10 and P90.
    assert p90 - p10 < 0.8 * (high - low)


def test_a_typical_value_at_an_extreme_still_sits_inside_its_band() -> None:
    # Tuff (1.1, 1.1, 1.5): the mode is the minimum; P50 is the median, inside the band.
    # By hand: α = 1, β = 5; Beta(1, 5) has CDF 1 − (1 − x)⁵, median 1 − 0.5^(1/5) = 0.1294.
    p10, p50, p90 = pert_bands(1.1, 1.1, 1.5)
    assert p50 == pytest.approx(1.1 + 0.4 * (1 - 0.5 ** (1 / 5)))
    assert p10 == pytest.approx(1.1 + 0.4 * (1 - 0.9 ** (1 / 5)))
    assert 1.1 < p10 < p50 < p90 < 1.5


def test_a_bad_range_is_refused() -> None:
    with pytest.raises(ValueError, match="minimum ≤ typical ≤ maximum"):
        pert_quantile(2.0, 1.0, 3.0, 0.1)
    with pytest.raises(ValueError, match="strictly between"):
        pert_quantile(1.0, 2.0, 3.0, 1.0)


# -- a lithology lookup at a borehole is not a measurement ---------------------------------------


def test_a_columns_std_adds_layers_of_one_lithology_before_squaring() -> None:
    # 0–30 m clay (σ 0.3), 30–60 m sand (σ 0.4), 60–100 m clay again; BHE 100 m.
    # By hand: w = 0.3, 0.3, 0.4; clay (0.3 + 0.4) × 0.3 = 0.21, sand 0.3 × 0.4 = 0.12;
    # σ = √(0.21² + 0.12²) = √0.0585 = 0.24187.
    sigma = depth_weighted_std([0, 30, 60], [30, 60, 100], [0.3, 0.4, 0.3], ["c", "s", "c"], 100)
    assert sigma == pytest.approx(np.sqrt(0.0585))
    assert depth_weighted_mean([0, 30, 60], [30, 60, 100], [1.8, 2.4, 1.8], 100) == pytest.approx(
        1.98
    )
    assert np.isnan(depth_weighted_std([], [], [], [], 100))


def test_the_band_at_a_lithology_only_borehole_is_not_zero_width() -> None:
    xy = RNG.uniform(0, 20_000, size=(40, 2))
    values = smooth(xy)
    clay_sigma = float(pert_std(*TABLE["clay"]))
    # By hand: PERT of (1.1, 1.8, 3.1): μ = 11.4/6 = 1.9, σ² = 0.8 × 1.2 / 7, σ = 0.37033.
    assert clay_sigma == pytest.approx(np.sqrt(0.96 / 7))
    variogram = Variogram(sill=0.08, range_m=6000)
    cells = xy[:5].copy()  # cells on five boreholes
    fallback = (np.full(5, 1.5), np.full(5, 1.8), np.full(5, 2.1))
    p10, p50, p90 = fallback
    before = kriged_with_fallback(xy, values, cells, p50, p10, p90, variogram=variogram)
    assert before.p90 - before.p10 == pytest.approx(np.zeros(5), abs=1e-6)  # the old collapse
    layer = kriged_bands(
        xy, values, cells, fallback, data_std=np.full(40, clay_sigma), variogram=variogram
    )
    assert layer.p50 == pytest.approx(values[:5], abs=1e-8)
    # Kriging variance 0 at the borehole; the table's σ stays: P90 − P10 = 2 × 1.2816 × 0.37033.
    assert layer.p90 - layer.p10 == pytest.approx(np.full(5, 2 * Z90 * clay_sigma), abs=1e-6)


def test_between_boreholes_the_band_adds_kriging_variance_and_the_carried_table_error() -> None:
    xy = RNG.uniform(0, 20_000, size=(40, 2))
    values = smooth(xy)
    sigma = RNG.uniform(0.1, 0.4, size=40)
    variogram = Variogram(sill=0.08, range_m=6000)
    targets = RNG.uniform(2000, 18_000, size=(30, 2))
    result = local_ordinary_kriging_with_data(xy, values, targets, variogram, data_std=sigma)
    plain, variance = local_ordinary_kriging(xy, values, targets, variogram)
    assert result.estimate == pytest.approx(plain)
    assert result.variance == pytest.approx(variance)
    assert np.all(result.data_std > 0.1 * 0.5)
    assert np.all(result.data_std < 0.4 * 1.5)
    nan = np.full(30, np.nan)
    layer = kriged_bands(xy, values, targets, (nan, nan, nan), data_std=sigma, variogram=variogram)
    assert layer.std == pytest.approx(np.sqrt(variance + result.data_std**2))


def test_beyond_the_range_the_unit_pert_band_is_shown() -> None:
    xy = RNG.uniform(0, 5000, size=(10, 2))
    far = np.array([[100_000.0, 100_000.0]])
    bands = [float(b) for b in pert_bands(*TABLE["sand"])]
    layer = kriged_bands(
        xy, smooth(xy), far, tuple(np.array([b]) for b in bands), variogram=Variogram(0.08, 3000)
    )
    assert (layer.p10[0], layer.p50[0], layer.p90[0]) == pytest.approx(bands)
    assert layer.p10[0] > 1.5
    assert layer.p90[0] < 4.0


# -- groundwater depth honours its measurements ---------------------------------------------------


def test_a_kriged_groundwater_depth_shows_the_measurement_in_its_cell() -> None:
    # Thirty wells around 8 m deep and one shallow well that measured 2.1 m, 100 m cells.
    xy = RNG.uniform(0, 10_000, size=(30, 2))
    depths = 8.0 + 0.5 * np.sin(xy[:, 0] / 2000)
    shallow = np.array([[5030.0, 4980.0]])
    xy, depths = np.vstack([xy, shallow]), np.append(depths, 2.1)
    cells = np.array([[x, y] for y in (5050.0, 4950.0) for x in (4950.0, 5050.0, 5150.0)])
    nan = np.full(len(cells), np.nan)
    # With a nugget (micro-scale variance kept), plain kriging puts the regional depth there:
    nugget = Variogram(sill=1.0, range_m=4000, nugget=2.0)
    old = kriged_with_fallback(xy, depths, cells, nan, nan, nan, floor=0.0, variogram=nugget)
    holding = 4  # the cell centred at (5050, 4950) holds the well (20 m west, 30 m north)
    assert old.p50[holding] > 5.0
    layer = kriged_bands(
        xy, depths, cells, (nan, nan, nan), floor=0.0, variogram=nugget, honour_cell_size_m=100.0
    )
    assert layer.p50[holding] == pytest.approx(2.1)
    assert layer.honoured_cells == 1
    # Fitted without a nugget, the surface passes through the well: its neighbour 100 m away
    # is far nearer 2.1 m than the regional 8 m.
    fitted = kriged_bands(
        xy, depths, cells, (nan, nan, nan), floor=0.0, fit_nugget=False, honour_cell_size_m=100.0
    )
    assert fitted.variogram["nugget"] == 0.0
    assert fitted.p50[holding] == pytest.approx(2.1)
    assert fitted.p50[holding + 1] < 5.0


# -- demonstration share ----------------------------------------------------------------------


def test_the_demonstration_share_follows_the_kriging_weights() -> None:
    xy = np.array([[0.0, 0.0], [1000.0, 0.0], [0.0, 1000.0], [1000.0, 1000.0]])
    values = np.array([2.0, 2.1, 1.9, 2.2])
    synthetic = np.array([True, True, True, False])
    variogram = Variogram(sill=0.1, range_m=2000)
    cells = np.array([[1000.0, 1000.0], [0.0, 0.0], [500.0, 500.0], [50_000.0, 0.0]])
    fallback = (np.full(4, 1.5), np.full(4, 1.8), np.full(4, 2.1))
    layer = kriged_bands(
        xy,
        values,
        cells,
        fallback,
        data_is_demonstration=synthetic,
        fallback_is_demonstration=np.array([1.0, 1.0, 1.0, 1.0]),  # schematic unit
        variogram=variogram,
    )
    # On the real borehole 0, on a synthetic one 1; at the centre the four weights are equal
    # by symmetry, so 3/4; far away the schematic unit's value, 1.
    assert layer.demonstration_share == pytest.approx([0.0, 1.0, 0.75, 1.0])
    assert layer_share(layer.demonstration_share) == pytest.approx(2.75 / 4)
    assert is_demonstration(layer_share(layer.demonstration_share))
    assert not is_demonstration(0.0)
    assert combined_share([0.0, 0.5], [0.2, 0.1]) == pytest.approx([0.2, 0.5])
    assert layer_share([0.0, np.nan, 1.0], has_value=[True, True, False]) == 0.0
