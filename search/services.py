"""Find a place on the map: coordinates, region and district names in every language and in
Latin transliteration, borehole codes and monitored systems, only among what the user may see.

Names are compared in PostgreSQL after folding case and accents (unaccent: Ōta → ota, Ё → е)
and the Russian э/е spellings of Japanese names (Маэбаси, Маебаси): an exact name scores 1,
a name that starts with the query 0.9, one that contains it 0.8 (what Japanese needs: 前橋 in
前橋市), anything else its pg_trgm word similarity (Maebasi ≈ Maebashi), kept from 0.3 up.

Districts carry their names on the District row (name_en/ja/ru/tg and name_latin, filled by the
region fixtures from a names file), so the basemap's labels and the search read one source.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Any

from django.contrib.gis.db.models.functions import PointOnSurface
from django.contrib.gis.geos import Point
from django.contrib.postgres.search import TrigramWordSimilarity
from django.db.models import Case, F, FloatField, Func, Q, QuerySet, TextField, Value, When
from django.db.models.functions import Greatest
from django.db.models.lookups import Contains, Exact, StartsWith
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from core.lib.coordinates import CoordinateError, LatLon, parse_coordinates
from core.models import District, Region
from monitoring.models import GroundSourceSystem
from wells.models import Borehole

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
    from django.db.models import Expression

MAX_QUERY_CHARS = 200
MIN_SCORE = 0.3  # pg_trgm's own default similarity threshold
MAX_RESULTS = 10
COORDINATE_DECIMALS = 5  # ≈ 1 m
SCORE_EXACT, SCORE_PREFIX, SCORE_CONTAINS = 1.0, 0.9, 0.8


class SearchError(ValueError):
    """The query cannot be searched; the message says why (answered as 400)."""


@dataclass(frozen=True)
class Result:
    """One place found: where to fly to, and how to name it."""

    kind: str  # coordinates, region, district, borehole, system
    label: str
    detail: str
    lat: float
    lon: float
    region: str | None  # the region it lies in, if the user may see one there
    bbox: tuple[float, float, float, float] | None = None  # west, south, east, north
    score: float = 1.0

    def as_json(self) -> dict[str, Any]:
        return asdict(self)


class Folded(Func):
    """Lower case, no accents, Russian э read as е: how the search compares names."""

    template = "translate(unaccent(lower((%(expressions)s)::text)), 'э', 'е')"
    output_field = TextField()


def check_query(query: str | None) -> str:
    """The query stripped, or SearchError naming what is wrong with it."""
    if query is None or not query.strip():
        raise SearchError(_("Give q: a place name, a borehole code or coordinates."))
    if len(query) > MAX_QUERY_CHARS:
        raise SearchError(
            _("q is %(length)s characters long; at most %(max)s are searched.")
            % {"length": len(query), "max": MAX_QUERY_CHARS}
        )
    if any(ord(character) < 32 or ord(character) == 127 for character in query):
        raise SearchError(_("q contains a control character (a NUL byte, a line break, ...)."))
    return query.strip()


def _score(fields: list[str], query: str) -> Expression:
    """The best match of `query` over `fields` (1 exact, 0.9 prefix, 0.8 contained, else the
    word similarity of their trigrams)."""
    folded_query = Folded(Value(query))
    scores = []
    for field in fields:
        folded = Folded(F(field))
        scores.append(
            Case(
                When(Exact(folded, folded_query), then=Value(SCORE_EXACT)),
                When(StartsWith(folded, folded_query), then=Value(SCORE_PREFIX)),
                When(Contains(folded, folded_query), then=Value(SCORE_CONTAINS)),
                default=TrigramWordSimilarity(folded_query, folded),
                output_field=FloatField(),
            )
        )
    return scores[0] if len(scores) == 1 else Greatest(*scores)


def _bbox(extent: tuple[float, float, float, float]) -> tuple[float, float, float, float]:
    return tuple(round(v, COORDINATE_DECIMALS) for v in extent)  # type: ignore[return-value]


def _degrees(value: float, positive: str, negative: str) -> str:
    text = number_format(round(abs(value), COORDINATE_DECIMALS), use_l10n=True)
    return (positive if value >= 0 else negative) % {"degrees": text}


def coordinates_label(position: LatLon) -> str:
    """36.38944° N, 139.06333° E in the active language's words and decimal separator."""
    latitude = _degrees(position.lat, _("%(degrees)s° N"), _("%(degrees)s° S"))
    longitude = _degrees(position.lon, _("%(degrees)s° E"), _("%(degrees)s° W"))
    return pgettext("list separator", ", ").join((latitude, longitude))


def search(query: str, user: AbstractBaseUser | AnonymousUser) -> list[Result]:
    """Places matching `query` that `user` may see, best first (coordinates before names)."""
    query = check_query(query)
    regions = Region.objects.visible_to(user)
    results: list[Result] = []
    try:
        position = parse_coordinates(query)
    except CoordinateError as problem:
        raise SearchError(_(problem.message) % problem.params) from problem
    if position is not None:
        here = Point(position.lon, position.lat, srid=4326)
        inside = regions.filter(boundary__intersects=here).first()
        results.append(
            Result(
                kind="coordinates",
                label=coordinates_label(position),
                detail=inside.name if inside else _("outside every region"),
                lat=round(position.lat, COORDINATE_DECIMALS),
                lon=round(position.lon, COORDINATE_DECIMALS),
                region=inside.code if inside else None,
            )
        )
    results += _regions(regions, query)
    results += _districts(regions, query)
    results += _boreholes(regions, query, user)
    results += _systems(regions, query, user)
    named = sorted(results[1:] if position else results, key=lambda r: (-r.score, len(r.label)))
    return ([results[0]] if position else []) + named[: MAX_RESULTS - (1 if position else 0)]


def _best(queryset: QuerySet[Any], fields: list[str], query: str) -> QuerySet[Any]:
    return (
        queryset.annotate(score=_score(fields, query))
        .filter(score__gte=MIN_SCORE)
        .order_by("-score")[:MAX_RESULTS]
    )


def _regions(regions: QuerySet[Region], query: str) -> list[Result]:
    fields = ["code", "name_en", "name_ja", "name_ru", "name_tg"]
    found = _best(regions.annotate(inside=PointOnSurface("boundary")), fields, query)
    return [
        Result(
            kind="region",
            label=region.name,
            detail=_("region"),
            lat=round(region.inside.y, COORDINATE_DECIMALS),
            lon=round(region.inside.x, COORDINATE_DECIMALS),
            region=region.code,
            bbox=_bbox(region.boundary.extent),
            score=region.score,
        )
        for region in found
    ]


def _districts(regions: QuerySet[Region], query: str) -> list[Result]:
    fields = ["name_en", "name_ja", "name_ru", "name_tg", "name_latin"]
    districts = District.objects.filter(region__in=regions).select_related("region")
    found = _best(districts.annotate(inside=PointOnSurface("geometry")), fields, query)
    return [
        Result(
            kind="district",
            label=district.name,
            detail=district.region.name,
            lat=round(district.inside.y, COORDINATE_DECIMALS),
            lon=round(district.inside.x, COORDINATE_DECIMALS),
            region=district.region.code,
            bbox=_bbox(district.geometry.extent),
            score=district.score,
        )
        for district in found
    ]


def _boreholes(
    regions: QuerySet[Region], query: str, user: AbstractBaseUser | AnonymousUser
) -> list[Result]:
    boreholes = (
        Borehole.objects.visible_to(user)
        .filter(Q(region__in=regions) & Q(location__isnull=False))
        .select_related("region")
    )
    return [
        Result(
            kind="borehole",
            label=borehole.code,
            detail=_("borehole, %(region)s") % {"region": borehole.region.name},
            lat=round(borehole.location.y, COORDINATE_DECIMALS),
            lon=round(borehole.location.x, COORDINATE_DECIMALS),
            region=borehole.region.code,
            score=borehole.score,
        )
        for borehole in _best(boreholes, ["code"], query)
    ]


def _systems(
    regions: QuerySet[Region], query: str, user: AbstractBaseUser | AnonymousUser
) -> list[Result]:
    systems = (
        GroundSourceSystem.objects.visible_to(user)
        .filter(region__in=regions)
        .select_related("region")
    )
    return [
        Result(
            kind="system",
            label=system.name,
            detail=_("monitored system %(code)s, %(region)s")
            % {"code": system.code, "region": system.region.name},
            lat=round(system.location.y, COORDINATE_DECIMALS),
            lon=round(system.location.x, COORDINATE_DECIMALS),
            region=system.region.code,
            score=system.score,
        )
        for system in _best(systems, ["code", "name"], query)
    ]
