"""Map services, one module per job:

- inputs: read the region's parameters, grid and released survey rows, fit the variograms
  (Prepared, what every window of a large recompute shares);
- layers: krige a window of cells and build every layer with its definition (no writes);
- publishing: write the COGs and switch the layer rows in one short transaction;
- recompute: queue a region's recompute (uploads close together share one);
- read: point and parcel queries, answered as a typed MapAnswer.

The fan-out of a large recompute over Celery and its assembly live in potential_map.tasks.
"""

from potential_map.services.read import PARCEL_MAX_AREA_M2, parcel_summary, point_provenance
from potential_map.services.recompute import request_recompute

__all__ = ["PARCEL_MAX_AREA_M2", "parcel_summary", "point_provenance", "request_recompute"]
