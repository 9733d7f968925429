"""Time series in and out, one module per job:

- parse: a file or an API payload checked whole into Readings (SeriesRefused lists every
  problem; nothing is written);
- store: one binary COPY into the year-partitioned table, the hourly summaries kept in step,
  a batch's readings deleted on rollback;
- read: a span downsampled for a plot, daily totals for the ETV tables;
- readings: what the three share.
"""

from monitoring.series.parse import parse_file, parse_payload
from monitoring.series.read import PlotSeries, daily_totals, plot_series
from monitoring.series.readings import Readings, SeriesRefused
from monitoring.series.store import delete_batch, ensure_partitions, write

__all__ = [
    "PlotSeries",
    "Readings",
    "SeriesRefused",
    "daily_totals",
    "delete_batch",
    "ensure_partitions",
    "parse_file",
    "parse_payload",
    "plot_series",
    "write",
]
