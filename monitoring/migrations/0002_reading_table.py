"""The readings table: range-partitioned by year, BRIN-indexed, no unique index.

A year of 1-minute data for 20 sensors is 10.5 million rows; a B-tree unique index would
make the bulk COPY several times slower and the table twice as large. Duplicates are refused
by the importer before writing (monitoring.series), the BRIN index serves the plot's
(sensor, time range) reads because rows arrive in time order per sensor, and partitions
(one per year, made by monitoring.series.ensure_partitions before a write) keep old years cold.
"""

from django.db import migrations

CREATE = """
CREATE TABLE monitoring_reading (
    sensor_id bigint NOT NULL,
    observed_at timestamptz NOT NULL,
    value double precision NOT NULL,
    batch_id bigint NULL
) PARTITION BY RANGE (observed_at);
CREATE TABLE monitoring_reading_default PARTITION OF monitoring_reading DEFAULT;
CREATE INDEX monitoring_reading_brin ON monitoring_reading
    USING brin (sensor_id, observed_at) WITH (pages_per_range = 32);
"""
DROP = "DROP TABLE IF EXISTS monitoring_reading CASCADE;"


class Migration(migrations.Migration):
    dependencies = [("monitoring", "0001_initial")]

    operations = [migrations.RunSQL(CREATE, DROP)]
