"""monitoring's survey kind, registered with ingest: a system's series file.

A series is uploaded on its system's page and imported by monitoring's own job (its readings
go to the partitioned reading table, not through BatchChange), so the kind is not offered on the
generic upload page. It is registered for its rollback: the readings carry their batch id, and
the rollback deletes exactly those, in the rollback's transaction.
"""

from __future__ import annotations

from django.utils.translation import gettext_noop as N_

from ingest import registry
from ingest.registry import SurveyKind
from monitoring.models import SERIES_KIND, Reading
from monitoring.services import rollback_readings

SERIES = SurveyKind(
    SERIES_KIND,
    N_("Sensor series"),
    (Reading,),
    on_rollback=rollback_readings,
    offered=False,
    publishable=False,  # readings carry no flag of their own: they follow their system
)


def register() -> None:
    """Called from MonitoringConfig.ready()."""
    registry.register(SERIES)
