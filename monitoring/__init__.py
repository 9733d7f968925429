"""Monitoring of running ground-source systems: sensors, series, performance, alerts."""
