"""What the three parts of a series import share: readings ready to write, the refusal that
lists every problem, and the cap on how many problems a refusal lists."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from django.utils.translation import gettext_noop as N_

from core.lib.units import accepted_units
from ingest.errors import RowError
from monitoring.models import Sensor

MAX_LISTED_ERRORS = 500  # a file with more problems lists these and counts the rest


@dataclass
class Readings:
    """Readings ready to write: parallel arrays, times in µs since 1970 UTC, values SI."""

    sensor_ids: np.ndarray = field(default_factory=lambda: np.empty(0, np.int64))
    times_us: np.ndarray = field(default_factory=lambda: np.empty(0, np.int64))
    values: np.ndarray = field(default_factory=lambda: np.empty(0, np.float64))
    rows: np.ndarray = field(default_factory=lambda: np.empty(0, np.int64))  # file rows
    fields: list[str] = field(default_factory=list)  # sensor code per sensor id position
    row_count: int = 0  # data rows read

    def __len__(self) -> int:
        return len(self.values)


class SeriesRefused(Exception):
    def __init__(self, errors: list[RowError]) -> None:
        super().__init__(f"{len(errors)} problems")
        self.errors = errors


def capped(errors: list[RowError], file_name: str) -> list[RowError]:
    if len(errors) <= MAX_LISTED_ERRORS:
        return errors
    more = RowError(
        file_name,
        None,
        "",
        "",
        N_("More problems than listed: the first %(listed)s are shown; mend them and try again."),
        {"listed": MAX_LISTED_ERRORS},
    )
    return [*errors[:MAX_LISTED_ERRORS], more]


def si_unit(sensor: Sensor) -> str:
    return accepted_units(sensor.dimension)[0]
