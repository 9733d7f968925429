"""Japanese soil names → lithology classes (pure; no database)."""

from __future__ import annotations

import pytest

from geology.choices import Lithology
from geology.domain.lithology import KEYWORDS, classify


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        # YOSHIOKA-2014 §2.2 A, with the English the source gives.
        ("埋土", "fill"),
        ("砂混じり粘土", "clay"),  # sandy clay
        ("粘土混じり砂礫", "sandy_gravel"),  # clayey sandy gravel
        ("砂・礫混じり粘土", "clay"),  # sandy/gravelly clay
        ("軽石混じり砂礫", "sandy_gravel"),  # pumice-bearing sandy gravel
        ("砂礫・玉石混じり砂礫・粘土混じり砂礫", "sandy_gravel"),
        # OKINAWA-FY2017 geology
        ("琉球石灰岩", "limestone"),
        ("泥岩", "mudstone"),
        ("風化岩", "weathered_rock"),
        ("表土", "topsoil"),
        ("砂岩", "sandstone"),
    ],
)
def test_the_main_constituent_decides(name: str, expected: str) -> None:
    assert classify(name) == expected


def test_an_unknown_name_is_none_not_a_guess() -> None:
    assert classify("コンクリート") is None
    assert classify("") is None


def test_every_keyword_maps_to_a_lithology_of_the_vocabulary() -> None:
    assert {lithology for _k, lithology in KEYWORDS} <= set(Lithology.values)
