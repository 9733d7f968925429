"""The site's own basemap: a region's district outlines and names, as one small GeoJSON.

No request leaves the site by default (an operator may add a raster basemap, BASEMAP_URL), so
the map's place names come from the districts the region fixtures load. Why GeoJSON and not
vector tiles (ST_AsMVT): Leaflet draws GeoJSON itself but has no maintained vector-tile
renderer; a region's outlines, simplified to ≈ 100 m, are a few tens of kB once gzipped and
fetched once per region, where tiles would cost a request per tile and zoom on a line with a
400 ms round trip. The answer is built in one query and cached per region and language.
"""

from __future__ import annotations

import hashlib
import json

from django.contrib.gis.db.models import GeometryField
from django.contrib.gis.db.models.functions import AsGeoJSON, PointOnSurface
from django.core.cache import cache
from django.db import connection
from django.db.models import Func, Value
from django.utils import translation

from core.lib.units import m2_to_km2
from core.models import District, Region
from core.services import GeographyArea

# ≈ 100 m at these latitudes: a district outline drawn at zoom 12 and below, where the
# basemap serves; 4 decimals of a degree (≈ 10 m) are enough for points so simplified.
BASEMAP_SIMPLIFY_DEG = 0.001
BASEMAP_COORDINATE_DECIMALS = 4
LABEL_COORDINATE_DECIMALS = 4
CACHE_TTL_S = 24 * 3600


def fingerprint(region: Region) -> str:
    """Changes whenever the region or one of its districts (name or outline) changes."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT md5(coalesce(string_agg(concat_ws('|', code, name_en, name_ja, name_ru, "
            "name_tg, name_latin, md5(ST_AsBinary(geometry))), ',' ORDER BY code), '')) "
            "FROM core_district WHERE region_id = %s",
            [region.pk],
        )
        districts = cursor.fetchone()[0]
    stamp = f"{region.pk}:{region.updated_at.isoformat()}:{districts}"
    return hashlib.blake2b(stamp.encode(), digest_size=10).hexdigest()


def basemap_json(region: Region, language: str) -> tuple[bytes, str]:
    """The region's basemap as GeoJSON bytes, and its version (for ETag and the cache key).

    One feature per district: its simplified outline, its name in `language` (falling back to
    English, then Japanese, then the code, as District.name does), a label point inside it and
    its area in km² (a reader draws the names of large districts first).
    """
    version = fingerprint(region)
    key = f"basemap:{region.pk}:{language}:{version}"
    cached = cache.get(key)
    if cached is not None:
        return cached, version
    simplified = Func(
        "geometry",
        Value(BASEMAP_SIMPLIFY_DEG),
        function="ST_SimplifyPreserveTopology",
        output_field=GeometryField(srid=4326),
    )
    districts = (
        District.objects.filter(region=region)
        .annotate(
            outline_json=AsGeoJSON(simplified, precision=BASEMAP_COORDINATE_DECIMALS),
            label_point=PointOnSurface("geometry"),
            area_m2=GeographyArea("geometry"),
        )
        .defer("geometry")
        .order_by("code")
    )
    features = []
    with translation.override(language):
        for district in districts:
            features.append(
                {
                    "type": "Feature",
                    "geometry": json.loads(district.outline_json),
                    "properties": {
                        "code": district.code,
                        "name": district.name,
                        "label": [
                            round(district.label_point.x, LABEL_COORDINATE_DECIMALS),
                            round(district.label_point.y, LABEL_COORDINATE_DECIMALS),
                        ],
                        "area_km2": round(float(m2_to_km2(district.area_m2)), 1),
                    },
                }
            )
    body = json.dumps(
        {"type": "FeatureCollection", "region": region.code, "features": features},
        ensure_ascii=False,
        separators=(",", ":"),
    ).encode()
    cache.set(key, body, CACHE_TTL_S)
    return body, version
