"""Monitoring of running ground-source systems: sensors, time series, seasonal performance, alerts."""
