from django.apps import AppConfig


class RegionFixturesConfig(AppConfig):
    """Loads the shipped regions from fixtures/ (`manage.py load_region`). Project-level glue:
    it may import every app, and no app imports it."""

    name = "region_fixtures"
