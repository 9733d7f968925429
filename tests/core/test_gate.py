"""One gate for reads and writes (issue 17 item 6, issue 18 item 3): every region-scoped
queryset answers `visible_to(user, action="view" | "steward")`, a row is public only when it,
its batch, its parent and its region are published, and no view or API module writes a steward
check of its own.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path

import pytest
from django.contrib.auth.models import AnonymousUser
from django.contrib.gis.geos import Point
from django.utils import timezone

from core.models import District, Job, Region
from estimates.models import Estimate
from field_tests.models import FieldTestAnalysis
from geology.models import GeologicalUnit
from ingest.models import ImportBatch
from monitoring.models import GroundSourceSystem, Sensor
from planning.models import BuildingStock
from potential_map.models import MapLayer
from tests.factories import square
from tests.regions import constant_layer
from wells.models import Borehole, GroundwaterLevel

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]

GATED = (
    Region,
    Job,
    District,
    ImportBatch,
    Borehole,
    GroundwaterLevel,
    GeologicalUnit,
    FieldTestAnalysis,
    MapLayer,
    GroundSourceSystem,
    Sensor,
    Estimate,
    BuildingStock,
)


@pytest.mark.parametrize("model", GATED, ids=lambda m: m.__name__)
def test_a_misspelt_action_fails_loudly(model, personas) -> None:
    for user in (AnonymousUser(), personas["okinawa_steward"], personas["admin"]):
        with pytest.raises(ValueError, match="unknown action 'edit'"):
            model.objects.visible_to(user, action="edit")


def _batch(region: Region, **fields: object) -> ImportBatch:
    values = {
        "region": region,
        "kind": "boreholes",
        "file_name": "b.csv",
        "sha256": "0" * 64,
        "size_bytes": 1,
        "state": ImportBatch.State.IMPORTED,
        "published_at": timezone.now(),
    }
    return ImportBatch.objects.create(**(values | fields))


def _borehole(region: Region, code: str, **fields: object) -> Borehole:
    values = {"location": Point(127.7, 26.2, srid=4326), "depth_m": 40, "published": True}
    return Borehole.objects.create(region=region, code=code, **(values | fields))


@pytest.fixture
def rows(okinawa, gunma, tmp_path):  # type: ignore[no-untyped-def]
    """One row of each kind in Okinawa and in Gunma, every one published."""
    made = {}
    for region in (okinawa, gunma):
        borehole = _borehole(region, f"{region.code}-BH", batch=_batch(region))
        GroundwaterLevel.objects.create(
            region=region,
            borehole=borehole,
            measured_at=datetime(2024, 1, 1, tzinfo=UTC),
            depth_to_water_m=3.0,
            published=True,
        )
        District.objects.create(region=region, code=region.code, geometry=region.boundary)
        system = GroundSourceSystem.objects.create(
            region=region,
            code=f"{region.code}-sys",
            name="s",
            loop="closed",
            location=Point(127.7, 26.2, srid=4326),
            published=True,
        )
        Sensor.objects.create(system=system, code="t", measures="fluid_temperature")
        Job.objects.create(kind="recompute", region=region)
        made[region.code] = borehole
    constant_layer(okinawa, tmp_path / "o.tif")
    return made


@pytest.mark.parametrize(
    "model", [Borehole, GroundwaterLevel, District, GroundSourceSystem, Sensor, ImportBatch, Job]
)
@pytest.mark.parametrize(
    ("persona", "regions"),
    [
        ("anonymous", set()),
        ("planner", set()),
        ("installer", set()),
        ("okinawa_steward", {"okinawa"}),
        ("gunma_steward", {"gunma"}),
        ("admin", {"okinawa", "gunma"}),
    ],
)
def test_steward_action_gives_the_rows_of_the_regions_one_stewards(
    personas, rows, model, persona, regions
) -> None:
    user = personas[persona] or AnonymousUser()
    lookup = "system__region__code" if model is Sensor else "region__code"
    found = set(model.objects.visible_to(user, action="steward").values_list(lookup, flat=True))
    assert found == regions


def test_region_steward_action_is_stewarded_by(personas, okinawa, gunma) -> None:
    alice = personas["okinawa_steward"]
    assert list(Region.objects.visible_to(alice, "steward")) == [okinawa]
    assert not Region.objects.visible_to(AnonymousUser(), "steward").exists()
    assert set(Region.objects.visible_to(personas["admin"], "steward")) == {okinawa, gunma}


def test_a_published_row_of_an_unpublished_region_is_not_public(personas, rows, okinawa) -> None:
    Region.objects.filter(pk=okinawa.pk).update(published=False)
    for model in (Borehole, GroundwaterLevel, District, GroundSourceSystem, Sensor, MapLayer):
        lookup = "system__region__code" if model is Sensor else "region__code"
        for persona in ("anonymous", "planner", "gunma_steward"):
            user = personas[persona] or AnonymousUser()
            seen = set(model.objects.visible_to(user).values_list(lookup, flat=True))
            assert "okinawa" not in seen, (model.__name__, persona)
        # the region's own steward still sees them (so the rows are there)
        seen = model.objects.visible_to(personas["okinawa_steward"]).values_list(lookup, flat=True)
        assert "okinawa" in set(seen), model.__name__


@pytest.mark.parametrize(
    ("batch_fields", "public"),
    [
        ({"state": ImportBatch.State.IMPORTED}, True),
        ({"state": ImportBatch.State.IMPORTED, "published_at": None}, False),  # not published
        ({"state": ImportBatch.State.ROLLED_BACK}, False),  # never public, whatever the rows say
        ({"state": ImportBatch.State.REJECTED}, False),
        ({"state": ImportBatch.State.PENDING}, False),
    ],
    ids=["published", "not-published", "rolled-back", "rejected", "pending"],
)
def test_a_row_is_public_only_while_its_batch_is_published(okinawa, batch_fields, public) -> None:
    borehole = _borehole(okinawa, "B", batch=_batch(okinawa, **batch_fields))
    assert Borehole.objects.public().filter(pk=borehole.pk).exists() is public


def test_a_row_without_a_batch_follows_its_own_flag(okinawa) -> None:
    shown, hidden = _borehole(okinawa, "S"), _borehole(okinawa, "H", published=False)
    assert set(Borehole.objects.public()) == {shown}
    assert hidden not in Borehole.objects.visible_to(AnonymousUser())


def test_what_was_measured_in_a_withdrawn_borehole_is_not_public(okinawa, rows) -> None:
    """The level's own flag and batch are published; its borehole's batch is withdrawn."""
    borehole = rows["okinawa"]
    levels = GroundwaterLevel.objects.filter(borehole=borehole)
    assert levels.public().exists()
    ImportBatch.objects.filter(pk=borehole.batch_id).update(published_at=None)
    assert not levels.public().exists()
    assert not levels.released().exists()  # nor does it feed a map


def test_a_superseded_or_stale_layer_is_not_public(okinawa, tmp_path) -> None:
    batch = _batch(okinawa)
    old = constant_layer(okinawa, tmp_path / "1.tif", is_current=False)
    new = constant_layer(okinawa, tmp_path / "2.tif", version=2)
    new.input_batches.set([batch])
    assert list(MapLayer.objects.public()) == [new]
    ImportBatch.objects.filter(pk=batch.pk).update(published_at=None)  # withdrawn since
    assert not MapLayer.objects.public().exists()
    assert old not in MapLayer.objects.visible_to(AnonymousUser())


# The calls a view or API module may not make: the gate makes them (core.querysets).
OWN_CHECKS = re.compile(r"is_stewarded_by|stewarded_by|is_site_admin|steward_group__user")


def test_no_view_writes_its_own_steward_check() -> None:
    modules = [
        *ROOT.glob("*/views.py"),
        *ROOT.glob("*/api/*.py"),
        ROOT / "potential_map" / "tiles.py",
        *ROOT.glob("*/presentation.py"),
    ]
    assert len(modules) > 15
    # The people page asks who is a site admin: it manages roles, not rows of a region.
    role_pages = {ROOT / "accounts" / "views.py"}
    offenders = [
        f"{path.relative_to(ROOT)}:{number}"
        for path in modules
        for number, line in enumerate(path.read_text().splitlines(), start=1)
        if OWN_CHECKS.search(line) and not (path in role_pages and "is_site_admin" in line)
    ]
    assert offenders == []


def test_an_unpublished_region_hides_its_districts_from_the_api(client, okinawa, gunma) -> None:
    District.objects.create(region=okinawa, code="47201", geometry=square(127.6, 26.1, 0.1))
    District.objects.create(region=gunma, code="10464", geometry=square(138.9, 36.4, 0.1))
    Region.objects.filter(pk=okinawa.pk).update(published=False)
    body = client.get("/api/districts/").json()
    assert [f["properties"]["code"] for f in body["features"]] == ["10464"]
