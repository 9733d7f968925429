"""Estimate services, one module per job:

- lifecycle: request (reuse an identical estimate or follow the one running), run here or on a
  worker, store the result or the refusal; the computation's order (map, loads, choice);
- design: the ground side, a closed-loop borefield (GHEtool) or an open loop's wells;
- economics: prices, factors and baselines from reference data; the arithmetic lives in
  estimates.domain.economics.

Views, the API, the task and planning use the names below.
"""

from estimates.services.errors import Refused
from estimates.services.lifecycle import compute, parcel_from_geojson, request_estimate, run

__all__ = ["Refused", "compute", "parcel_from_geojson", "request_estimate", "run"]
