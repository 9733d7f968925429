"""The typed answer of the point and parcel queries (potential_map.services.read): what the
estimate reads from it, and the JSON the API sends."""

from __future__ import annotations

from potential_map.services.read import (
    BandStatistics,
    LayerAnswer,
    MapAnswer,
    NearestBorehole,
    ParcelCells,
    ParcelOutline,
)


def _layer(kind: str, values: dict[str, float | None], **extra: object) -> LayerAnswer:
    return LayerAnswer(
        kind=kind,
        label=kind,
        version=3,
        units="W/(m·K)",
        values=values,
        per_borehole_w=None,
        definition={"quantity": kind},
        method="kriging",
        method_version="2026.11-1",
        nearest_boreholes=(NearestBorehole("YOS-T1", 0.4),),
        batches=(7, 9),
        **extra,  # type: ignore[arg-type]
    )


def test_a_layer_gives_its_value_at_the_point_and_none_where_it_has_none() -> None:
    answer = MapAnswer("gunma", 139.0, 36.4, {"conductivity": _layer("conductivity", {"p50": 2.1})})
    assert answer.value("conductivity") == 2.1
    assert answer.value("conductivity", "p10") is None  # no such band here
    assert answer.value("ground_temperature") is None  # no such layer here
    assert answer.layer("ground_temperature") is None


def test_over_a_parcel_the_band_mean_wins_and_the_point_value_fills_in() -> None:
    parcel = ParcelCells(
        cells=4,
        bands={
            "p50": BandStatistics(mean=1.9, min=1.7, max=2.2),
            "p10": BandStatistics(mean=None, min=None, max=None),
        },
    )
    layer = _layer("conductivity", {"p50": 2.1, "p10": 1.5}, parcel=parcel)
    answer = MapAnswer("gunma", 139.0, 36.4, {"conductivity": layer})
    assert answer.value("conductivity") == 1.9  # the parcel's mean, not the point's 2.1
    assert answer.value("conductivity", "p10") == 1.5  # no cell had a value: the point's


def test_the_json_is_what_the_api_always_sent() -> None:
    constraint = _layer(
        "constraints_open_loop",
        {"class": 0.0, "rule": -1.0},
        parcel=ParcelCells(
            cells=2,
            bands={"class": BandStatistics(0.0, 0.0, 1.0)},
            strictest_class=1.0,
            is_constraint=True,
        ),
    )
    answer = MapAnswer(
        "gunma",
        139.0,
        36.4,
        {"constraints_open_loop": constraint},
        parcel=ParcelOutline(area_m2=1250.5, inside_point=(139.0, 36.4)),
    )
    assert answer.as_dict() == {
        "region": "gunma",
        "lon": 139.0,
        "lat": 36.4,
        "layers": {
            "constraints_open_loop": {
                "label": "constraints_open_loop",
                "per_borehole_w": None,
                "version": 3,
                "units": "W/(m·K)",
                "values": {"class": 0.0, "rule": -1.0},
                "definition": {"quantity": "constraints_open_loop"},
                "method": "kriging",
                "method_version": "2026.11-1",
                "nearest_boreholes": [{"code": "YOS-T1", "distance_m": 0.4}],
                "batches": [7, 9],
                "parcel": {
                    "cells": 2,
                    "bands": {"class": {"mean": 0.0, "min": 0.0, "max": 1.0}},
                    "strictest_class": 1.0,
                },
            }
        },
        "parcel": {"area_m2": 1250.5, "inside_point": [139.0, 36.4]},
    }
